"""Page metadata of an HTML article: title, authors, date, publisher, URL.

Read in this order, the first source that has a field wins: the page's JSON-LD
(``<script type="application/ld+json">``, parsed as data with ``json``, never run), its meta tags
(Open Graph, ``article:*``, Dublin Core, ``author``...), then the body (``By Jane Doe`` lines, and
what trafilatura finds in byline elements). Author names are cleaned of what pages put next to
them: roles ("Staff Writer"), dates ("February 3, 2020"), the outlet's own name, e-mail addresses,
links and placeholders.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .bylines import _DATE_TAIL, _URL
from .bylines import body_byline as body_byline  # re-exported: the byline functions' old home
from .bylines import choose_authors as choose_authors
from .bylines import clean_authors as clean_authors
from .bylines import is_byline_note as is_byline_note

# schema.org types whose node describes the article itself (any "...Article" type counts too)
_ARTICLE_TYPES = {"blogposting", "socialmediaposting", "liveblogposting", "report", "review", "pressrelease",
                  "webpage", "itempage", "newsarticle", "article"}
_ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "collegeoruniversity", "educationalorganization",
              "governmentorganization", "ngo", "website"}

_META_AUTHOR = ("author", "article:author", "og:article:author", "byl", "dc.creator", "dc.creator.author",
                "dcterms.creator", "sailthru.author", "parsely-author", "citation_author", "cxenseparse:author")
_META_DATE = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
              "article.published", "published_time", "publishdate", "pubdate", "date", "dc.date", "dc.date.issued",
              "dcterms.created", "dcterms.date", "parsely-pub-date", "sailthru.date", "citation_publication_date",
              "citation_date", "release_date", "og:pubdate")
_META_PUBLISHER = ("og:site_name", "dc.publisher", "dcterms.publisher", "publisher", "citation_publisher")
_META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "citation_title", "headline")

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")


@dataclass
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    site_name: str | None = None  # og:site_name, as the page gives it
    keywords: list[str] = field(default_factory=list)  # the page's keywords and tags: never authors


def looks_like_url(s: str) -> bool:
    return bool(_URL.search(s.strip()))


def _text(v: Any, depth: int = 0) -> str | None:
    """A JSON-LD value as one clean string (first of a list, ``name`` or ``@value`` of an object;
    no deeper than ``_walk`` goes)."""
    if depth > 20:
        return None
    if isinstance(v, list):
        for x in v:
            t = _text(x, depth + 1)
            if t:
                return t
        return None
    if isinstance(v, dict):
        return _text(v.get("name") or v.get("@value"), depth + 1)
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        s = htmllib.unescape(str(v))
        if re.search(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", s, re.I):
            s = htmllib.unescape(s)  # escaped twice ("&amp;#8217;"), as some CMSs write JSON-LD
        s = re.sub(r"\s+", " ", s).strip()
        return s or None
    return None


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {x.rsplit("/", 1)[-1].casefold() for x in ts if isinstance(x, str)}


def _is_article(node: dict) -> bool:
    return any(t in _ARTICLE_TYPES or t.endswith("article") for t in _types(node))


def load_json_ld(texts: Iterable[str]) -> list[dict]:
    """Every object of the page's JSON-LD blocks (``@graph`` members and nested objects included),
    with ``{"@id": ...}`` references left for ``_resolve``. Blocks that are not JSON are skipped."""
    out: list[dict] = []
    for raw in texts:
        raw = (raw or "").strip()
        raw = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$", "", raw).strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except RecursionError:  # nested deeper than Python reads: no page's metadata
            continue
        except ValueError:
            try:  # a trailing comma or a stray control character: the commonest slips
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]", " ", raw)), strict=False)
            except (ValueError, RecursionError):
                continue
        out.extend(_walk(data, 0))
    return out


# keys under which JSON-LD lists other articles (teasers, related reading, a list page's items)
_RELATED_KEYS = {"relatedlink", "significantlink", "itemlistelement", "mentions", "citation", "isrelatedto",
                 "relatedarticles", "relatedarticle", "haspart", "subjectof", "workexample", "isbasedon"}


def _walk(v: Any, depth: int, related: bool = False) -> Iterator[dict]:
    if depth > 20:
        return
    if isinstance(v, list):
        for x in v:
            yield from _walk(x, depth + 1, related)
    elif isinstance(v, dict):
        if related and "@related" not in v:
            v["@related"] = True  # (a mark on the parsed data, never written back)
        yield v
        for k, x in v.items():
            if isinstance(x, (list, dict)) and k not in ("author", "creator", "publisher"):
                yield from _walk(x, depth + 1, related or k.casefold() in _RELATED_KEYS)


def _resolve(v: Any, ids: dict[str, dict]) -> Any:
    if isinstance(v, dict) and set(v) <= {"@id", "@type"} and isinstance(v.get("@id"), str):
        return ids.get(v["@id"], v)
    return v


def _people(v: Any, ids: dict[str, dict], persons_only: bool = False) -> list[str]:
    """The names of ``v`` (a name, an object, a list of them); ``persons_only``: not those typed
    as an organisation (an organisation's byline is no author)."""
    out: list[str] = []
    for x in v if isinstance(v, list) else [v]:
        x = _resolve(x, ids)
        if isinstance(x, dict):
            if persons_only and _types(x) & _ORG_TYPES:
                continue
            name = _text(x.get("name"))
            if not name and (x.get("givenName") or x.get("familyName")):
                name = " ".join(t for t in (_text(x.get("givenName")), _text(x.get("familyName"))) if t)
            if name:
                out.append(name)
        else:
            name = _text(x)
            if name:
                out.append(name)
    return out


def from_json_ld(nodes: list[dict]) -> PageMeta:
    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 2}
    arts = [n for n in nodes if _is_article(n) and not n.get("@related")]
    # the article node before a generic WebPage node
    arts.sort(key=lambda n: "webpage" in _types(n) or "itempage" in _types(n))
    meta = PageMeta()
    for n in arts:
        if meta.title is None:
            meta.title = _text(n.get("headline")) or (None if "webpage" in _types(n) else _text(n.get("name")))
        if not meta.authors:
            meta.authors = _people(n.get("author"), ids, True) or _people(n.get("creator"), ids, True)
        if meta.date is None:
            meta.date = iso_date(_text(n.get("datePublished")) or _text(n.get("dateCreated")) or _text(n.get("uploadDate")))
        if meta.publisher is None:
            pub = _people(n.get("publisher"), ids) or _people(n.get("sourceOrganization"), ids)
            meta.publisher = next((p for p in pub if not _URL.search(p)), None)
        if meta.url is None:
            u = _text(n.get("url")) or _text(_resolve(n.get("mainEntityOfPage"), ids))
            meta.url = u if u and u.startswith("http") else None
        if meta.language is None:
            meta.language = _text(n.get("inLanguage"))
    if meta.publisher is None:
        for n in nodes:
            ts = _types(n)
            if ts & _ORG_TYPES:
                name = _text(n.get("name"))
                if name and not _URL.search(name):
                    meta.publisher = name
                    if "website" not in ts:
                        break
    return meta


def from_meta_tags(tree) -> PageMeta:
    """Title, authors, date and publisher from ``<meta>`` (name, property or itemprop) and ``<link>``."""
    found: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().casefold()
        val = m.get("content")
        if key and val and val.strip():
            found.setdefault(key, []).append(re.sub(r"\s+", " ", val).strip())
    meta = PageMeta()
    for k in _META_TITLE:
        if k in found:
            meta.title = found[k][0]
            break
    for k in _META_AUTHOR:
        names = [v for v in found.get(k, []) if not _URL.search(v)]
        if names:
            meta.authors = names
            break
    for k in _META_DATE:
        d = next((iso_date(v) for v in found.get(k, []) if iso_date(v)), None)
        if d:
            meta.date = d
            break
    if meta.date is None:
        for t in tree.iter("time"):
            if (t.get("itemprop") or "").casefold() == "datepublished" or "pubdate" in t.attrib:
                meta.date = iso_date(t.get("datetime") or "")
                if meta.date:
                    break
    for k in _META_PUBLISHER:
        name = next((v for v in found.get(k, []) if not _URL.search(v)), None)
        if name:
            meta.publisher = name
            break
    meta.site_name = next(iter(found.get("og:site_name", [])), None)
    meta.keywords = [k.strip() for key in ("keywords", "news_keywords", "article:tag", "parsely-tags", "sailthru.tags")
                     for v in found.get(key, []) for k in re.split(r"[,;]", v) if k.strip()]
    meta.language = next((v for key in ("content-language", "dc.language", "language", "og:locale") for v in found.get(key, [])
                          if re.fullmatch(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*", v)), None)
    for link in tree.iter("link"):
        if (link.get("rel") or "").casefold() == "canonical" and (link.get("href") or "").startswith("http"):
            meta.url = link.get("href")
            break
    if meta.url is None and (found.get("og:url") or [""])[0].startswith("http"):
        meta.url = found["og:url"][0]
    return meta


_FURNITURE_TAGS = {"nav", "footer", "aside", "header", "form"}
_INLINE = {"span", "a", "li", "strong", "em", "b", "i", "small", "address", "p"}


def from_body_markup(tree) -> PageMeta:
    """Authors and date from the article's own markup: ``rel="author"`` links and schema.org
    microdata (``itemprop="author"``, ``itemprop="datePublished"``). Only the first byline's
    names are taken (the author elements under the first one's parent or grandparent), so the
    bylines of teasers for other articles further down stay out."""
    meta = PageMeta()
    els = tree.xpath('//*[@itemprop="author"] | //a[contains(concat(" ", normalize-space(@rel), " "), " author ")]')
    els = [e for e in els if not any(a.tag in _FURNITURE_TAGS for a in e.iterancestors())]
    if els:
        # the first byline's box: the first author element's parent (a block, past inline wrappers)
        box = els[0].getparent()
        while box is not None and box.tag in _INLINE and box.getparent() is not None:
            box = box.getparent()
        names: list[str] = []
        for e in els:
            if box is None or not any(a is box for a in list(e.iterancestors())[:3]):
                continue
            name_el = e.xpath('.//*[@itemprop="name"]')
            name = (name_el[0].get("content") or name_el[0].text_content()) if name_el else (e.get("content") or e.text_content())
            name = re.sub(r"\s+", " ", name or "").strip()
            if name and len(name) <= 80 and name not in names:
                names.append(name)
        meta.authors = names
    for e in tree.xpath('//*[@itemprop="datePublished"]'):
        meta.date = iso_date(e.get("content") or e.get("datetime") or e.text_content())
        if meta.date:
            break
    return meta


def iso_date(s: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO 8601 (or compact ``YYYYMMDD``) date or date-time of a page, else
    None (also when the day does not exist or is out of ``date_range()``)."""
    if not s:
        return None
    m = _ISO_DATE.match(s) or _COMPACT_DATE.match(s)
    if not m:
        return None
    try:
        d = dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None
    first, last = date_range()
    return d.isoformat() if first <= d <= last else None


# ---------------------------------------------------------------- dates given with an article

FIRST_YEAR = 1800  # older than any news article quotegraph reads
MAX_DATE_CHARS = 64  # "Tuesday, 14 March 2024 09:30:00.000000 +02:00 (Central European Time)" fits


def date_range() -> tuple[dt.date, dt.date]:
    """The dates quotegraph stores: from 1 January 1800 to the end of next year (a publication
    date is never further ahead than a scheduled article's)."""
    return dt.date(FIRST_YEAR, 1, 1), dt.date(dt.date.today().year + 1, 12, 31)


@dataclass
class DateReading:
    iso: str | None = None  # "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" in UTC
    problem: str | None = None  # why a value given was not read as a date


def _utc_iso(d: dt.datetime) -> str:
    """UTC, without the offset, to the second: such strings sort in time order."""
    if d.tzinfo is not None:
        d = d.astimezone(dt.UTC).replace(tzinfo=None)
    return d.replace(microsecond=0).isoformat()


def _in_range(d: dt.date | dt.datetime, iso: str) -> DateReading:
    first, last = date_range()
    day = d.date() if isinstance(d, dt.datetime) else d
    if first <= day <= last:
        return DateReading(iso)
    return DateReading(problem=f"out of range ({first.year} to {last.year})")


# two different defaults: a field the text does not give comes out differently from each
_DEFAULTS = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))


def read_date(value: Any, bounded: bool = True) -> DateReading:
    """A date given with an article (JSON Lines "published", a WARC-Date, a page's time stamp), as
    an ISO string, read only when it is given absolutely and lies in ``date_range()``: an ISO 8601
    date or date-time (offsets are turned into UTC), a written date with day, month and year
    ("14 March 2024"), or a Unix time stamp (a JSON number).  Relative or partial dates ("Tuesday",
    "March 2024", "yesterday"), impossible ones, long strings and other types give ``problem``
    instead; nothing raises. ``bounded=False`` (a search bound): any date datetime holds."""
    if value is None or value == "":
        return DateReading()
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        return DateReading(problem=f"{json_kind(value)}, not a date")
    if isinstance(value, dt.date):
        return _checked(lambda: (value, _utc_iso(value) if isinstance(value, dt.datetime) else value.isoformat()), bounded)
    if isinstance(value, (int, float)):
        return _checked(lambda: _from_timestamp(value), bounded)
    s = value.strip()
    if not s:
        return DateReading()
    if len(s) > MAX_DATE_CHARS:
        return DateReading(problem=f"too long for a date ({len(s):,} characters)")
    return _checked(lambda: _from_text(s), bounded)


def json_kind(value: Any) -> str:
    """What a JSON value is, for a message: "a JSON object", "a JSON array", "true"..."""
    if isinstance(value, bool):
        return "true" if value else "false"
    kinds = {dict: "a JSON object", list: "a JSON array", str: "a string", int: "a number", float: "a number"}
    return next((k for t, k in kinds.items() if isinstance(value, t)), f"a {type(value).__name__}")


def _from_timestamp(value: float) -> tuple[dt.datetime, str]:
    d = dt.datetime.fromtimestamp(value, dt.UTC)
    return d, _utc_iso(d)


def _from_text(s: str) -> tuple[dt.date | dt.datetime, str] | str:
    try:
        d = dt.datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s)
        return (d.date(), d.date().isoformat()) if len(s) <= 10 else (d, _utc_iso(d))
    except ValueError:
        pass
    try:
        from dateutil import parser as dparser  # installed with trafilatura
    except ImportError:  # pragma: no cover - then only ISO 8601 is read
        return "not an ISO 8601 date"
    try:
        a, b = (dparser.parse(s, default=df) for df in _DEFAULTS)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return "not a date"
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return "not a whole date (a day, a month and a year)"  # "Tuesday", "March 2024", "12:30"
    if a.hour or a.minute or a.second:
        return a, _utc_iso(a)
    return a.date(), a.date().isoformat()


def _checked(read, bounded: bool = True) -> DateReading:
    """``read()``'s (date, iso) checked against the range; its failures as problems."""
    try:
        got = read()
    except (OverflowError, OSError):  # beyond what datetime holds (year 1 in UTC+14, year 9999 in UTC-14)
        first, last = date_range()
        return DateReading(problem=f"out of range ({first.year} to {last.year})")
    except (ValueError, ArithmeticError):
        return DateReading(problem="not a date")
    if isinstance(got, str):
        return DateReading(problem=got)
    return _in_range(*got) if bounded else DateReading(got[1])


def is_date_note(s: str) -> bool:
    """A short piece that only gives a date or time ("March 3, 2024", "Updated 4:15 PM", "2024-03-03")."""
    s = s.strip()
    return bool(s) and len(s.split()) <= 8 and _DATE_TAIL.sub("", s).strip(" ,.:;-–—|·•") == ""


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|$|[-_])")


def local_date(date: str | None, url: str | None) -> str | None:
    """``date`` (from a time stamp, often in UTC) or, when the page's URL carries a date one day
    off, the URL's: the publisher's own calendar day ("2020-02-25T02:25Z" for /2020/02/24/)."""
    m = _URL_DATE.search(url or "")
    if not date or not m:
        return date
    try:
        u = dt.date(*(int(g) for g in m.groups()))
        d = dt.date.fromisoformat(date)
    except ValueError:
        return date
    return u.isoformat() if abs((d - u).days) == 1 else date
