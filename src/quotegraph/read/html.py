"""HTML articles: main text through trafilatura, metadata from the page, image captions kept apart.

The article text is rebuilt from the title, the body paragraphs and the captions (one paragraph
each, separated by blank lines); offsets point into that rebuilt text. The page's JSON-LD is read
as data before any ``<script>`` is removed (nothing in a script is ever run or kept in the text);
navigation, share bars, comment sections, view counters and language menus are pruned. Pages
nested deeper than the HTML parser's limit are flattened first, so their text is kept.
"""

from __future__ import annotations

import copy
import re
from html import escape
from html.parser import HTMLParser

from ..errors import InputError
from . import htmlmeta, pagemeta
from .body import line_key, prune, read_body
from .boilerplate import drop_boilerplate
from .layout import Layout, Para, mark_duplicates

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_CAPTION_CLASS = re.compile(r"(^|[\s_-])(caption|wp-caption-text|image-caption|photo-caption)([\s_-]|$)", re.I)

# Nesting kept when a page is deeper than libxml2 allows (2048 with huge_tree): deeper tags are
# dropped and their text kept in place.
MAX_DEPTH = 400


def _cls(token: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


def _ident(*tokens: str) -> str:
    return " or ".join([_cls(t) for t in tokens] + [f"@id='{t}'" for t in tokens])


# Page furniture that trafilatura can keep inside an article container: semantic navigation,
# comment threads, share bars, view/comment counters, language switchers, forms.
PRUNE_XPATH = [
    "//nav", "//form", "//menu", "//*[@role='navigation' or @role='menubar' or @role='menu' or @role='search']",
    "//*[" + _ident("comments", "comment-list", "commentlist", "comments-area", "comment-section", "comments-section",
                    "disqus_thread", "respond") + "]",
    "//*[" + _ident("share", "sharing", "share-buttons", "social-share", "sharedaddy", "social-links", "share-bar",
                    "post-share") + "]",
    "//*[" + _ident("views", "post-views", "view-count", "views-count", "post-view-count", "page-views",
                    "comment-count", "comments-count", "read-count") + "]",
    "//*[" + _ident("lang", "language", "languages", "language-switcher", "lang-switcher", "language-selector",
                    "language-menu", "wpml-ls", "menu", "nav", "navbar", "breadcrumb", "breadcrumbs", "skip-link",
                    "screen-reader-text") + "]",
    "//ul[count(li) > 1 and count(li[a and normalize-space(.) = normalize-space(a)]) = count(li)"
    " and count(.//a[@hreflang]) > 1]",
]

# "Views: 184", "3 Comments", "1.2k shares": a counter, not a sentence
_COUNTER = re.compile(
    r"^(?:(?:views?|comments?|shares?|likes?|reads?|reactions?|visits?|hits)\s*[:\-]?\s*[\d.,]+\s*[kKmM]?"
    r"|[\d.,]+\s*[kKmM]?\s+(?:views?|comments?|shares?|likes?|reads?|reactions?|visits?|hits|times read))$", re.I)
# separators of a line's parts; a match never starts inside a run of white space (linear on long runs)
_FURNITURE_SPLIT = re.compile(r"(?!(?<=\s)\s)(?:\s+[|·•]\s+|\s*\|\s*)")
_PUBLISHER_SPLIT = re.compile(r"(?!(?<=\s)\s)\s+[|–—]\s+")
# a line that is only an image's address, an e-mail address or a machine timestamp (page data, never prose;
# a page's own address can be the source an article cites, so it stays)
_BARE_DATUM = re.compile(r"^(?:(?:https?://|www\.)\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?"
                         r"(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)$", re.I)
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b|all rights reserved)", re.I)
# a line made of language names (endonyms) is a language menu
_ENDONYMS = {
    "english", "español", "espanol", "français", "francais", "deutsch", "italiano", "português", "portugues",
    "nederlands", "polski", "русский", "українська", "türkçe", "svenska", "norsk", "dansk", "suomi", "čeština",
    "magyar", "română", "ελληνικά", "العربية", "עברית", "فارسی", "हिन्दी", "বাংলা", "中文", "简体中文", "繁體中文",
    "日本語", "한국어", "tiếng", "việt", "bahasa", "indonesia", "melayu", "kiswahili", "català", "euskara", "galego",
    "hrvatski", "srpski", "slovenčina", "slovenščina", "lietuvių", "latviešu", "eesti", "български", "íslenska",
    "filipino", "tagalog", "ไทย", "اردو", "português(brasil)",
}
_BYLINE_SCAN = 8  # body lines from the top (and the bottom) where a "By ..." line is looked for


def _clean(s: str) -> str:
    return _WS.sub(" ", s).strip()


class _Flattener(HTMLParser):
    """Re-serialise HTML keeping at most ``max_depth`` levels of nesting: deeper tags are dropped,
    their text (and everything after them) kept."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
            "param", "keygen"}
    RAW = {"script", "style"}

    def __init__(self, max_depth: int):
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.depth = 0  # kept tags open

    def _tag(self, tag: str, attrs, close: str = "") -> str:
        a = "".join(f' {k}="{escape(v, quote=True)}"' if v is not None else f" {k}" for k, v in attrs)
        return f"<{tag}{a}{close}>"

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            self.out.append(self._tag(tag, attrs))
            return
        keep = self.depth < self.max_depth
        if keep:
            self.out.append(self._tag(tag, attrs))
            self.depth += 1
        else:
            self.out.append(" ")
        self.stack.append((tag, keep))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, " /"))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            t, keep = self.stack.pop()
            if keep:
                self.out.append(f"</{t}>")
                self.depth -= 1
            if t == tag:
                break

    def handle_data(self, data):
        raw = bool(self.stack) and self.stack[-1][0] in self.RAW
        self.out.append(data if raw else escape(data, quote=False))

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def result(self) -> str:
        self.close()
        while self.stack:
            t, keep = self.stack.pop()
            if keep:
                self.out.append(f"</{t}>")
        return "".join(self.out)


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with nesting past ``max_depth`` levels removed (the text is kept)."""
    f = _Flattener(max_depth)
    f.feed(html)
    return f.result()


def _too_deep(parser) -> bool:
    return any("depth" in (e.message or "").lower() for e in parser.error_log)


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(html: str, name: str = "<html>"):
    """An lxml tree of the whole page; raises ``InputError`` naming ``name`` when it cannot be parsed."""
    import lxml.html
    from lxml import etree

    if html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    # control characters no page shows; lxml's parser keeps them in text, but any later edit of
    # that text (dropping a <script> joins the text around it) refuses them
    html = _NOT_XML_TEXT.sub("", html)
    for attempt in (html, None):
        src = attempt if attempt is not None else flatten(html)
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
        try:
            tree = lxml.html.fromstring(src, parser=parser)
        except (etree.ParserError, ValueError, etree.XMLSyntaxError) as e:
            raise InputError(name, f"cannot parse HTML ({e})") from None
        if not _too_deep(parser):
            return tree
    raise InputError(name, f"HTML nested too deeply to parse (more than {MAX_DEPTH} levels even after flattening)")


_BLOCKS = frozenset("p div section article main aside header footer h1 h2 h3 h4 h5 h6 ul ol li table blockquote pre figure form".split())


def _captions(tree) -> list[str]:
    captions: list[str] = []
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):
            continue
        cls = el.get("class") or ""
        if el.tag == "figcaption" or (_CAPTION_CLASS.search(cls) and el.tag in {"p", "div", "span", "figcaption"}):
            if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
                txt = _leading_caption(el)  # a caption holding the article (unclosed): its own first words only
            else:
                txt = _clean(el.text_content())
                if el.getparent() is not None:
                    el.drop_tree()
            if txt and txt not in captions and len(txt) < 2000:
                captions.append(txt)
    return captions


def _leading_caption(el) -> str:
    """The text of caption element ``el`` before its first block (a paragraph the parser put
    inside it because the caption was never closed), taken out of the tree; the blocks stay,
    without the caption element around them."""
    parts = [el.text or ""]
    el.text = None
    for c in list(el):
        if isinstance(c.tag, str) and (c.tag in _BLOCKS or any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in c.iterdescendants())):
            break
        parts += [c.text_content() if isinstance(c.tag, str) else "", c.tail or ""]
        el.remove(c)  # with its tail, kept above
    if el.getparent() is not None:
        el.drop_tag()  # its paragraphs belong to the element around it
    return _clean("".join(parts))


def _is_furniture(line: str) -> bool:
    if _COUNTER.match(line) or _BARE_DATUM.match(line) or (_COPYRIGHT.match(line) and len(line.split()) <= 15):
        return True
    parts = [p for p in _FURNITURE_SPLIT.split(line) if p.strip()]
    if len(parts) >= 2 and len(line.split()) <= 20 and all(
            _COUNTER.match(p.strip()) or htmlmeta.is_date_note(p) for p in parts):
        return True  # "March 3, 2024 | Views: 184 | 3 Comments"
    words = [w.strip("|·•/,()[]").casefold() for w in line.split()]
    words = [w for w in words if w]
    return len(words) >= 3 and sum(w in _ENDONYMS for w in words) >= 0.8 * len(words)


def _fallback_lines(tree) -> list[str]:
    """Paragraph-like elements outside page furniture, when trafilatura finds no main text."""
    lines = []
    for el in tree.iter("p", "h2", "h3", "li", "blockquote"):
        if any(a.tag in ("nav", "header", "footer", "aside", "form", "menu") for a in el.iterancestors()):
            continue
        txt = _clean(el.text_content())
        links = "".join(a.text_content() for a in el.iter("a"))
        if txt and (el.tag != "li" or _clean(links) != txt):
            lines.append(txt)
    return lines


def has_article_text(lines: list[str]) -> bool:
    """Some running text: a sentence of four words or more, or twenty words in all (not "Home")."""
    if sum(len(b.split()) for b in lines) >= 20:
        return True
    return any(len(b.split()) >= 4 and b.rstrip()[-1:] in ".!?\"'”’)" for b in lines)


def _main_text(tree, url: str | None, ld_nodes: list[dict]) -> tuple[list[str], htmlmeta.PageMeta]:
    """The article's lines (``body.read_body``, else paragraph-like elements outside page furniture)
    and what trafilatura found of the metadata."""
    reading = read_body(tree, url, PRUNE_XPATH, ld_nodes)
    doc = reading.doc
    traf = htmlmeta.PageMeta()
    if doc is not None:
        get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
        traf = htmlmeta.PageMeta(title=get("title"), date=htmlmeta.iso_date(get("date")),
                                 authors=[a for a in (get("author") or "").split(";") if a.strip()],
                                 publisher=get("sitename"), url=get("url"))
    lines = reading.lines
    if not lines:
        lines = _fallback_lines(prune(tree, PRUNE_XPATH).tree)
    return lines, traf


def _bylines(lines: list[str], publisher: str | None) -> tuple[list[str], list[str]]:
    """Each line's role ("byline" for a "By ..." line near the top or the end, and the job or
    e-mail lines under it, else "body") and the names of the first byline."""
    roles = ["body"] * len(lines)
    names: list[str] = []
    scan = list(range(min(_BYLINE_SCAN, len(lines)))) + list(range(max(_BYLINE_SCAN, len(lines) - 3), len(lines)))
    for i in scan:
        found = htmlmeta.body_byline(lines[i], publisher)
        if found:
            roles[i] = "byline"
            names = names or found
            j = i + 1
            while j < len(lines) and j <= i + 2 and htmlmeta.is_byline_note(lines[j]):
                roles[j] = "byline"
                j += 1
    return roles, names


def html_to_layout(html: str, name: str = "<html>", url: str | None = None) -> Layout:
    tree = parse_html(html, name)
    # metadata first: JSON-LD is data inside <script>, read before the scripts go
    ld_nodes = htmlmeta.load_json_ld(
        s.text or "" for s in tree.iter("script") if (s.get("type") or "").split(";")[0].strip().lower() == "application/ld+json")
    ld = htmlmeta.from_json_ld(ld_nodes)
    tags = htmlmeta.from_meta_tags(tree)
    markup = htmlmeta.from_body_markup(tree)
    captions = _captions(copy.deepcopy(tree))  # the main text is read from the page as it is (captions included)
    for el in list(tree.iter("script", "style", "noscript", "template")):
        el.drop_tree()

    body_lines, traf = _main_text(tree, url, ld_nodes)
    body_lines = [b for b in body_lines if b not in captions and not _is_furniture(b)]
    body_lines = drop_boilerplate(body_lines, tree, url)
    src = pagemeta.Sources.of(tree, ld, tags, markup, traf)
    page_url = pagemeta.choose_url(url, src)
    sites = pagemeta.site_names(src, page_url)
    title = pagemeta.choose_title(src, sites)
    publisher = pagemeta.choose_publisher(src, page_url, title)  # before the authors: bylines repeat the outlet's name
    roles, byline_names = _bylines(body_lines, publisher)
    if not has_article_text([b for b, r in zip(body_lines, roles, strict=False) if r == "body"] + captions):
        raise InputError(name, "no article text found in the HTML (a page without an article: index, menu or error page?)")

    authors = pagemeta.choose_authors(src, byline_names, publisher, sites, _clean(tree.text_content()))
    body = tree.find(".//body")
    date = htmlmeta.local_date(ld.date or tags.date or markup.date or traf.date, page_url)
    date = pagemeta.shown_date(date, _clean(body.text_content() if body is not None else ""), title)

    parts: list[tuple[str, str]] = []
    if title:
        parts.append((title, "title"))
    # the headline repeated at the top of the body is the title paragraph's text already
    title_key = line_key(title) if title else None
    parts += [(b, r) for b, r in zip(body_lines, roles, strict=False) if line_key(b) != title_key]
    parts += [(c, "caption") for c in captions]
    text = ""
    paras: list[Para] = []
    for s, role in parts:
        if text:
            text += "\n\n"
        paras.append(Para(len(text), len(text) + len(s), role))
        text += s
    mark_duplicates(text, paras, repeats_are_captions=False)
    return Layout(text=text, paragraphs=paras, title=title, publisher=publisher,
                  authors=authors, date=date, url=page_url, language=pagemeta.choose_language(src) or pagemeta.guess_language(text), format="html")
