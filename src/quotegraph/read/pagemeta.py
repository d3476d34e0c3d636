"""The page's metadata chosen from its sources: headline, publisher, authors, URL and language.

Each field has several sources that can disagree (JSON-LD, meta tags, the ``<title>``, the
page's ``<h1>``, trafilatura's guesses). A reporter writes down what the page shows: the headline
is the ``<h1>`` that another source agrees with (the same words, or the same words with a
section or site name around them: "Opinion | ...", "... | Editorial", "... - BBC News"),
else the first of JSON-LD, meta tags, ``<title>`` and trafilatura, without the site's name. The
publisher is JSON-LD's publisher (unless a blogging platform), else the site's name
(``og:site_name``), else the name a
``<title>`` ends with, else the page's domain.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from . import bylines
from .htmlmeta import PageMeta, looks_like_url

# what separates a headline from a section or site name in a title
_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ", " // ", " » ")
_SPLIT_SITE = re.compile(r"(?!(?<=\s)\s)\s+[|–—]\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_MAX_LABEL_WORDS = 5  # a section or site name around a headline is short


@dataclass
class Sources:
    """What the page says about itself, source by source."""

    ld: PageMeta
    tags: PageMeta
    markup: PageMeta
    traf: PageMeta
    title_tag: str | None
    h1s: list[str]
    html_lang: str | None

    @classmethod
    def of(cls, tree, ld: PageMeta, tags: PageMeta, markup: PageMeta, traf: PageMeta) -> Sources:
        t = tree.find(".//title")
        h1s = [_clean(h.text_content()) for h in tree.iter("h1")]
        return cls(ld=ld, tags=tags, markup=markup, traf=traf,
                   title_tag=_clean(t.text_content()) if t is not None else None,
                   h1s=[h for h in h1s if h], html_lang=(tree.get("lang") or tree.get("xml:lang") or "").strip() or None)


def _clean(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def _norm(s: str) -> str:
    return _clean(unicodedata.normalize("NFC", s).translate(_QUOTES)).casefold()


def site_names(src: Sources, url: str | None) -> list[str]:
    """The names the site goes by: its site name (the whole, and its first part before a "|"),
    JSON-LD's and the meta tags' publisher, its domain without "www." and its ending."""
    names: list[str] = []
    for n in (src.tags.site_name, src.tags.publisher, src.ld.publisher):
        if n and not looks_like_url(n):
            names += [_clean(n), _SPLIT_SITE.split(_clean(n))[0]]
    host = _host(url)
    if host:
        names += [host, _domain_stem(host)]
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def _host(url: str | None) -> str | None:
    m = re.match(r"^(?:https?://)?(?:www\.)?([^/:?#\s]+)", url or "")
    return m.group(1).lower() if m else None


def _domain_stem(host: str) -> str:
    """"comwrap" of "blog.comwrap.com", "standard" of "standard.co.uk"."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in {"co", "com", "org", "net", "gov", "ac"}:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


def _is_site(s: str, sites: Iterable[str]) -> bool:
    key = bylines._key(s)
    return bool(key) and any(key == bylines._key(n) for n in sites)


def strip_site(title: str, sites: Iterable[str]) -> str:
    """``title`` without a site or section name around it when that name is one of ``sites``
    ("Harbour vote approved | Valley Post", "Valley Post - Harbour vote approved")."""
    sites = list(sites)
    for sep in _SEPARATORS:
        head, _, tail = title.rpartition(sep)
        if head and _is_site(tail, sites):
            return strip_site(head.strip(), sites)
        first, _, rest = title.partition(sep)
        if rest and _is_site(first, sites):
            return strip_site(rest.strip(), sites)
    return title


def _agrees(h1: str, other: str) -> str | None:
    """The headline when ``h1`` and ``other`` give the same one: the two equal; one of them the
    other with a short section or site label before or after it (the shorter wins); ``other`` cut
    short (the ``<h1>`` wins); the ``<h1>`` with a kicker glued before ``other`` (``other`` wins)."""
    a, b = _norm(h1), _norm(other)
    if not a or not b:
        return None
    if a == b:
        return h1
    for sep in _SEPARATORS:
        s = sep.translate(_QUOTES)
        for longer, shorter, keep in ((b, a, h1), (a, b, other)):
            if longer.endswith(s + shorter) or longer.startswith(shorter + s):
                label = longer[: -len(s + shorter)] if longer.endswith(s + shorter) else longer[len(shorter + s):]
                if len(re.findall(r"\w+", label)) <= _MAX_LABEL_WORDS:
                    return keep
    cut = b.rstrip(".… ")
    if len(b) >= 20 and a.startswith(cut) and len(cut) >= len(a) / 2:
        return h1
    if len(b) >= 20 and a.endswith(b) and len(b) >= len(a) / 2:
        return other
    return None


def choose_title(src: Sources, sites: list[str]) -> str | None:
    """The headline (see the module's doc)."""
    # trafilatura's title is often the <h1> itself: no second opinion on it
    given = [t for t in (src.ld.title, src.tags.title, src.title_tag) if t]
    for h1 in src.h1s:
        if _is_site(h1, sites):
            continue
        for other in given:
            got = _agrees(h1, other)
            if got:
                return strip_site(_clean(got), sites)
    others = [t for t in (src.ld.title, src.tags.title, _strip_label(src.title_tag), src.traf.title) if t]
    for t in others:
        t = strip_site(_clean(t), sites)
        if t and not _is_site(t, sites):
            return t
    return _clean(others[0]) if others else None


def _strip_label(title: str | None) -> str | None:
    """A ``<title>`` without the short name after its last separator ("Harbour vote approved -
    Valley Post"): two or three capitalised words after a headline of three words or more."""
    if not title:
        return title
    for sep in _SEPARATORS:
        head, _, tail = _clean(title).rpartition(sep)
        words = tail.split()
        if head and len(head.split()) >= 3 and 1 <= len(words) <= 3 and all(not w[:1].islower() for w in words):
            return head
    return title


# blogging platforms and site builders a page's JSON-LD names as its publisher: not the outlet
_PLATFORMS = {"blogger", "blogspot", "wordpress", "wordpresscom", "medium", "substack", "tumblr", "wix", "squarespace",
              "ghost", "weebly", "typepad", "livejournal"}


def _key(s: str) -> str:
    return bylines._key(s)


def choose_publisher(src: Sources, url: str | None, title: str | None) -> str | None:
    """JSON-LD's publisher (not a blogging platform's name), else the site's name (its first part:
    "WSVN 7News | Miami News, Weather" -> "WSVN 7News"), else the name after the headline in the ``<title>``, else the domain,
    else trafilatura's guess when it is a short name."""
    for n in (src.ld.publisher, src.tags.site_name, src.tags.publisher):
        if n and not looks_like_url(n) and _key(n) not in _PLATFORMS:
            return _SPLIT_SITE.split(_clean(n))[0]
    if src.title_tag and title:
        for sep in _SEPARATORS:
            head, _, tail = src.title_tag.rpartition(sep)
            if head and tail and _norm(title)[:40] in _norm(head) and len(tail.split()) <= _MAX_LABEL_WORDS:
                return tail.strip()
    host = _host(url)
    if host:  # the registered domain ("comwrap.com" of "blog.comwrap.com")
        return host[host.index(_domain_stem(host)):] if _domain_stem(host) in host else host
    tp = _clean(src.traf.publisher)
    if tp and not looks_like_url(tp) and len(tp.split()) <= 5 and tp not in _clean(src.traf.title):
        return tp
    return None


def choose_url(given: str | None, src: Sources) -> str | None:
    """The page's canonical link (or ``og:url``, else JSON-LD's) when it is on the host of the URL
    the page was read from (``given``: a site's own name for the page, without tracking parameters);
    else ``given``; else the canonical link, JSON-LD's or trafilatura's."""
    canonical = src.tags.url or src.ld.url
    if given and canonical:
        canonical = urljoin(given, canonical)
        return canonical if _host(canonical) == _host(given) and canonical.startswith(("http://", "https://")) else given
    return given or canonical or src.traf.url


def choose_language(src: Sources) -> str | None:
    """The page's declared language ("en", "pt-BR"): its HTTP-equivalent ``Content-Language``
    or ``dc.language`` meta tag, else the ``lang`` of ``<html>``, else JSON-LD's ``inLanguage``,
    else ``og:locale`` (None when it declares none: ``guess_language`` reads the text then)."""
    tags = src.tags.language if src.tags.language and not _is_locale_only(src) else None
    for v in (tags, src.html_lang, src.ld.language, src.tags.language):
        if v and re.fullmatch(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*", v.strip()):
            lang, _, region = v.strip().replace("_", "-").partition("-")
            return lang.lower() + (f"-{region.upper() if len(region) == 2 else region}" if region else "")
    return None


# the commonest short words of each language: a page that declares no language is read by them
_FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "he", "she", "as", "his", "her"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "des", "auf", "für", "ein", "eine", "dem", "den"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "qui", "pas", "sur", "du", "au"},
    "es": {"el", "los", "las", "que", "y", "del", "en", "por", "una", "con", "para", "es", "se", "su", "al"},
    "pt": {"o", "os", "as", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "por", "dos", "das"},
    "it": {"il", "che", "e", "di", "della", "per", "un", "una", "non", "con", "del", "sono", "gli", "nel", "alla"},
    "nl": {"de", "het", "een", "en", "van", "is", "dat", "niet", "met", "voor", "zijn", "op", "te", "ook", "aan"},
    "id": {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan", "pada", "ada", "juga"},
}


def guess_language(text: str) -> str | None:
    """The language of running text by its commonest short words, when one language is clearly
    ahead (twice the next, on at least 1 word in 12); else None."""
    words = re.findall(r"[^\W\d_]+", text[:20000].casefold())
    if len(words) < 30:
        return None
    counts = sorted(((sum(w in fw for w in words), lang) for lang, fw in _FUNCTION_WORDS.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= len(words) / 12 and best >= 2 * second else None


def _is_locale_only(src: Sources) -> bool:
    # og:locale ("en_US") says less than <html lang>: read after it
    return "_" in (src.tags.language or "")


def choose_authors(src: Sources, byline_names: list[str], publisher: str | None, sites: list[str], visible: str) -> list[str]:
    """The authors: ``bylines.choose_authors`` over JSON-LD, meta tags, the body's byline, byline
    markup and trafilatura, each cleaned with the site's names; the page's keywords never count."""
    keywords = {k.casefold() for k in src.tags.keywords}

    def clean(raw: list[str]) -> list[str]:
        return [n for n in bylines.clean_authors(raw, publisher, sites) if n.casefold() not in keywords]

    return bylines.choose_authors(
        [clean(src.ld.authors), clean(src.tags.authors), clean(byline_names), clean(src.markup.authors), clean(src.traf.authors)],
        visible)


_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTH_NAME = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_SHOWN_DATE = re.compile(rf"\b(?:({_MONTH_NAME})\s+(\d{{1,2}}),?\s+(\d{{4}})|(\d{{1,2}})\s+({_MONTH_NAME}),?\s+(\d{{4}}))\b", re.I)
_NEAR = 400  # characters after the headline where the byline's date is looked for


def shown_date(date: str | None, body_text: str, headline: str | None) -> str | None:
    """``date`` (often a time stamp in UTC), or the date the page shows under its headline when
    that one is a day off: the publisher's own calendar day ("Nov 18, 2019 7:04 pm ET" for
    2019-11-19T00:04Z)."""
    if not date or not headline:
        return date
    at = body_text.find(headline)
    if at < 0:
        return date
    try:
        meta_day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return date
    for m in _SHOWN_DATE.finditer(body_text, at + len(headline), at + len(headline) + _NEAR):
        month, day, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
        try:
            shown = dt.date(int(year), _MONTHS[month[:3].casefold()], int(day))
        except (ValueError, KeyError):
            continue
        if abs((shown - meta_day).days) == 1:
            return shown.isoformat()
        if shown == meta_day:
            return date
    return date
