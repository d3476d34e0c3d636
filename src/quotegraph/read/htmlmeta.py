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

_URL = re.compile(r"^(?:https?:)?//|^www\.|^[\w.-]+\.[a-z]{2,}/", re.I)
# (the same matches as r"\S+@\S+\.\w+", found in linear time: a match starts where a run of
# non-space does, and the first "@" of the run serves whenever a later one would)
_EMAIL = re.compile(r"(?<!\S)\S[^\s@]*@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
# where the name ends and the date/time or a "Published ..." note begins
_DATE_TAIL = re.compile(
    rf"(?:(?<![\s,|·•–—-])[\s,|·•–—-]+|^)(?:{_WEEKDAY}\s*,?\s*)?(?:{_MONTH}(?:\s+\d|\s*$|,)|\d{{1,2}}\s+{_MONTH}|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}"
    r"|\d{1,2}:\d{2}|(?:updated|published|posted|last updated|modified)\b).*$", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:(?:written|posted|reported|words|story|text|published|compiled)\s+by|by|authors?|reporter|from)\b\s*:?\s*", re.I)
# words that name a job or a desk, not a person
_ROLE_WORDS = {
    "staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
    "contributor", "contributors", "contributing", "columnist", "columnists", "senior", "chief", "associate",
    "assistant", "deputy", "managing", "executive", "political", "national", "international", "foreign",
    "business", "sports", "science", "health", "tech", "technology", "desk", "news", "service", "services",
    "reports", "report", "wire", "wires", "team", "bureau", "freelance", "freelancer", "special", "guest",
    "digital", "online", "web", "producer", "producers", "journalist", "journalists", "photographer", "author",
    "authors", "admin", "administrator", "editorial", "board", "newsroom", "multimedia", "investigative",
    "economics", "economy", "politics", "culture", "entertainment", "lifestyle", "features", "feature", "local",
    "breaking", "content", "the", "our", "and", "of", "for", "at", "a", "an", "by", "&",
}
# the last words of a byline that only give the job: "Jane Doe Staff Writer", "Jane Doe, Correspondent"
_ROLE_HEADS = {"writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
               "contributor", "contributors", "columnist", "columnists", "producer", "producers", "journalist",
               "journalists", "photographer", "desk", "bureau", "staff", "team", "newsroom"}
_PLACEHOLDERS = {"name", "admin", "administrator", "author", "unknown", "anonymous", "guest", "user", "null", "none",
                 "undefined", "staff", "editor", "editors", "by", "webmaster", "root", "test"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d."}
# a match never starts inside a run of white space (only where the run does): linear time on long runs
# "(AP)", "[Staff]" (innermost: an opening bracket ends the scan, so unclosed ones cost linear time)
_PARENTHETICAL = re.compile(r"(?!(?<=\s)\s)\s*[(\[][^()\[\]]*[)\]]")
_SPLIT = re.compile(r"(?!(?<=\s)\s)(?:\s*(?:;|\||,|/|\band\b|&|\bwith\b)\s*|\s+[-–—]\s+)", re.I)


@dataclass
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    publisher: str | None = None
    url: str | None = None


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


def _walk(v: Any, depth: int) -> Iterator[dict]:
    if depth > 20:
        return
    if isinstance(v, list):
        for x in v:
            yield from _walk(x, depth + 1)
    elif isinstance(v, dict):
        yield v
        for k, x in v.items():
            if isinstance(x, (list, dict)) and k not in ("author", "creator", "publisher"):
                yield from _walk(x, depth + 1)


def _resolve(v: Any, ids: dict[str, dict]) -> Any:
    if isinstance(v, dict) and set(v) <= {"@id", "@type"} and isinstance(v.get("@id"), str):
        return ids.get(v["@id"], v)
    return v


def _people(v: Any, ids: dict[str, dict]) -> list[str]:
    out: list[str] = []
    for x in v if isinstance(v, list) else [v]:
        x = _resolve(x, ids)
        if isinstance(x, dict):
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
    arts = [n for n in nodes if _is_article(n)]
    # the article node before a generic WebPage node
    arts.sort(key=lambda n: "webpage" in _types(n) or "itempage" in _types(n))
    meta = PageMeta()
    for n in arts:
        if meta.title is None:
            meta.title = _text(n.get("headline")) or (None if "webpage" in _types(n) else _text(n.get("name")))
        if not meta.authors:
            meta.authors = _people(n.get("author"), ids) or _people(n.get("creator"), ids)
        if meta.date is None:
            meta.date = iso_date(_text(n.get("datePublished")) or _text(n.get("dateCreated")) or _text(n.get("uploadDate")))
        if meta.publisher is None:
            pub = _people(n.get("publisher"), ids) or _people(n.get("sourceOrganization"), ids)
            meta.publisher = next((p for p in pub if not _URL.search(p)), None)
        if meta.url is None:
            u = _text(n.get("url")) or _text(_resolve(n.get("mainEntityOfPage"), ids))
            meta.url = u if u and u.startswith("http") else None
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
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().casefold()
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


_BYLINE = re.compile(r"^\s*(?:(?:written|posted|reported|words|story|text)\s+by|by)\b\s*:?\s*(?P<names>.+)$", re.I)
_PARTICLES = {"de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al", "el", "y", "ibn", "mc"}
_LINKERS = {"and", "with", "in", "for", "at", "of", "the", "from", "updated", "published", "posted", "on", "am", "pm",
            "a.m.", "p.m."}


def body_byline(line: str, publisher: str | None = None) -> list[str]:
    """The names of a body line that is only a byline ("By Jane Doe and John Roe, CBS News"), else [].

    Every word after "By" must be part of a name, a job, a date or a linking word, so a sentence
    that starts with "By" ("By the end of the year, ...") is not a byline."""
    m = _BYLINE.match(line)
    if not m or len(line.split()) > 16 or line.rstrip()[-1:] in "?!\"'”’":
        return []
    rest = _DATE_TAIL.sub("", _EMAIL.sub(" ", m.group("names")))
    for w in re.findall(r"[^\W\d_][\w.'’-]*", rest):
        lw = w.casefold()
        if w[:1].islower() and lw not in _PARTICLES and lw not in _LINKERS and lw.strip(".") not in _ROLE_WORDS:
            return []
    names = clean_authors([m.group("names")], publisher)
    if not names or any(len(n.split()) > 5 for n in names):
        return []
    return names


def is_byline_note(line: str) -> bool:
    """A short line that follows a byline with only the author's job or e-mail ("Staff Reporter")."""
    s = line.strip()
    if not s or len(s.split()) > 6:
        return False
    if _EMAIL.fullmatch(s) or _HANDLE.fullmatch(s):
        return True
    words = [w.strip(".,:").casefold() for w in s.split()]
    return words[-1] in _ROLE_HEADS and s[-1] not in ".!?"


def clean_authors(raw: Iterable[str], publisher: str | None = None) -> list[str]:
    """Person or organisation names from byline strings: split on separators, roles, dates, e-mail
    addresses, links, handles and placeholders removed, the outlet's name dropped when a person is
    also named, ALL-CAPS names title-cased, duplicates removed."""
    pieces: list[str] = []
    for r in raw:
        if not r or _URL.search(r.strip()) and " " not in r.strip():
            continue
        r = htmllib.unescape(r)
        r = _EMAIL.sub(" ", r)
        r = re.sub(r"https?://\S+", " ", r)
        r = _HANDLE.sub(" ", r)
        r = _PARENTHETICAL.sub(" ", r)  # "Jane Doe (AP)", "[Staff]"
        r = re.sub(r"\s+", " ", r).strip()
        r = _BY_PREFIX.sub("", r)
        r = _DATE_TAIL.sub("", r).strip()
        for part in _SPLIT.split(r):
            part = part.strip(" ,:;-–—|·•()[]")
            last = part.rsplit(" ", 1)[-1]
            if part.endswith(".") and (len(last) > 4 or last.casefold() in {"news.", "staff."}):
                part = part.rstrip(".")  # the end of a sentence, not of "Jr." or "J."
            if not part:
                continue
            if pieces and part.casefold() in _SUFFIXES:
                pieces[-1] += " " + part
                continue
            pieces.append(part)
    out: list[str] = []
    seen: set[str] = set()
    pub = (publisher or "").casefold().strip()
    for p in pieces:
        p = _BY_PREFIX.sub("", p).strip()
        p = _strip_role(p, pub)
        if not p or not _looks_like_name(p):
            continue
        if p.isupper() and len(p) > 3:
            p = " ".join(w.capitalize() if w.isalpha() else w for w in p.split())
        key = p.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    if pub and len(out) > 1:
        out = [p for p in out if p.casefold() != pub] or out
    return out


def _strip_role(p: str, pub: str) -> str:
    words = p.split()
    if pub and len(words) > len(pub.split()) and " ".join(words[-len(pub.split()):]).casefold() == pub:
        words = words[: -len(pub.split())]  # "Jane Doe CBS News" -> "Jane Doe"
    if all(w.casefold().strip(".,") in _ROLE_WORDS for w in words):
        return ""
    # a trailing job title: drop the role words after the name
    if words and words[-1].casefold().strip(".,") in _ROLE_HEADS:
        while len(words) > 1 and words[-1].casefold().strip(".,") in _ROLE_WORDS:
            words.pop()
        if pub:
            n = len(pub.split())
            if len(words) > n and " ".join(words[-n:]).casefold() == pub:
                words = words[:-n]
    return " ".join(words)


def _looks_like_name(p: str) -> bool:
    words = p.split()
    if not words or len(words) > 7 or len(p) > 80:
        return False
    if p.casefold() in _PLACEHOLDERS or re.search(r"\d", p) or not re.search(r"[^\W\d_]", p):
        return False
    if _URL.search(p) or p.endswith(":"):
        return False
    # a name has a capitalised (or non-cased script) word
    return any(w[:1].isupper() or not w[:1].islower() for w in words)


def choose_authors(layers: list[list[str]], visible: str) -> list[str]:
    """The first layer (JSON-LD, meta tags, body byline, byline elements) whose names the page
    shows (``visible``: its text, casefolded), else the first with any; a later layer that names
    the same people and more (a co-author the JSON-LD left out) wins over it."""
    layers = [ly for ly in layers if ly]
    if not layers:
        return []
    shown = [ly for ly in layers if all(n.casefold() in visible for n in ly)]
    best = (shown or layers)[0]
    keys = {n.casefold() for n in best}
    for ly in layers:
        if len(ly) > len(best) and keys <= {n.casefold() for n in ly}:
            return ly
    return best


def strip_site_suffix(title: str, publisher: str | None) -> str:
    """``Harbour dredging approved | Valley Post`` -> ``Harbour dredging approved`` when the suffix is the publisher."""
    if not publisher:
        return title
    m = re.match(rf"^(.*\S)\s+[|\-–—:·•]\s+{re.escape(publisher)}\s*$", title, re.I)
    return m.group(1) if m else title
