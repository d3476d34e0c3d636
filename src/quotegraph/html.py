"""HTML articles: main text and metadata through trafilatura, image captions kept apart.

The article text is rebuilt from the title, the body paragraphs and the captions (one paragraph
each, separated by blank lines); offsets point into that rebuilt text.
"""

from __future__ import annotations

import re

from .errors import InputError
from .layout import Layout, Para, mark_duplicates

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_CAPTION_CLASS = re.compile(r"(^|[\s_-])(caption|wp-caption-text|image-caption|photo-caption)([\s_-]|$)", re.I)


def _clean(s: str) -> str:
    return _WS.sub(" ", s).strip()


def html_to_layout(html: str, name: str = "<html>", url: str | None = None) -> Layout:
    try:
        import lxml.html
        from lxml import etree
    except ImportError as e:  # pragma: no cover - lxml comes with trafilatura
        raise InputError(name, f"HTML support needs lxml ({e})") from None
    if len(html) > 0 and html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as e:
        raise InputError(name, f"cannot parse HTML ({e})") from None

    captions: list[str] = []
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):
            continue
        cls = el.get("class") or ""
        if el.tag == "figcaption" or (_CAPTION_CLASS.search(cls) and el.tag in {"p", "div", "span", "figcaption"}):
            txt = _clean(el.text_content())
            if txt and txt not in captions and len(txt) < 2000:
                captions.append(txt)
            parent = el.getparent()
            if parent is not None:
                el.drop_tree()
    for el in list(tree.iter("script", "style", "noscript")):
        el.drop_tree()
    cleaned = lxml.html.tostring(tree, encoding="unicode")

    title = author = date = sitename = None
    body_lines: list[str] = []
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            cleaned, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, favor_recall=True,
        )
    except Exception:  # trafilatura may fail on hostile markup; fall back below
        doc = None
    if doc is not None:
        get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
        title, author, date, sitename = get("title"), get("author"), get("date"), get("sitename")
        url = url or get("url")
        text = get("text") or ""
        body_lines = [_clean(ln) for ln in text.split("\n") if _clean(ln)]
    if not title:
        t = tree.find(".//title")
        if t is not None and t.text_content():
            title = _clean(t.text_content())
    if not body_lines:
        body_lines = [_clean(p.text_content()) for p in tree.iter("p", "h2", "h3", "li", "blockquote")]
        body_lines = [b for b in body_lines if b]
    body_lines = [b for b in body_lines if b not in captions]
    if not body_lines and not captions:
        raise InputError(name, "no article text found in the HTML")

    parts: list[tuple[str, str]] = []
    if title:
        parts.append((_clean(title), "title"))
    parts += [(b, "body") for b in body_lines]
    parts += [(c, "caption") for c in captions]
    text = ""
    paras: list[Para] = []
    for s, role in parts:
        if text:
            text += "\n\n"
        paras.append(Para(len(text), len(text) + len(s), role))
        text += s
    mark_duplicates(text, paras)
    # a repeated caption is still a caption: mark_duplicates may have made body repeats captions
    authors = [a.strip() for a in re.split(r";|\band\b", author or "") if a.strip()]
    publisher = sitename
    if not publisher and url:
        m = re.match(r"^(?:https?://)?(?:www\.)?([^/]+)", url)
        publisher = m.group(1) if m else None
    return Layout(text=text, paragraphs=paras, title=_clean(title) if title else None, publisher=publisher,
                  authors=authors, date=date, url=url, format="html")
