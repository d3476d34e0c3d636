"""What a fetched document is (a page, a feed, a sitemap, a sitemap index) and the links it lists.

Read with lxml's XML parser, hardened (no entities resolved, no network, no DTD), from the
bytes fetched: RSS 2.0 and 0.9x, RSS 1.0 (RDF), Atom, sitemaps (``urlset``), sitemap indexes
(``sitemapindex``) and Google News sitemaps (``news:publication_date``), gzipped or not.  Each
link comes with its date (an item's ``pubDate``/``published``/``updated``/``dc:date``, a
sitemap entry's news publication date or ``lastmod``) so ``--since`` can skip old ones before
anything is fetched.  trafilatura's feeds and sitemaps modules find links too, but they give no
dates and fetch on their own; docs/fetching.md.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

from ..readers import is_url

FEED = "feed"
SITEMAP = "sitemap"
SITEMAP_INDEX = "sitemap index"
PAGE = "page"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)


@dataclass(frozen=True)
class Link:
    url: str
    date: datetime | None = None  # when it was published or last changed, as the listing says (UTC)


def unzip(body: bytes, limit: int) -> bytes:
    """A gzipped body (a ``sitemap.xml.gz``) decompressed, up to ``limit`` bytes; else as it is."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    d = zlib.decompressobj(wbits=31)
    try:
        out = d.decompress(body, limit + 1)
    except zlib.error as e:
        raise ValueError(f"corrupt gzip data ({e})") from None
    if len(out) > limit:
        raise ValueError(f"too large (more than {limit:,} bytes once decompressed)")
    return out


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _root(body: bytes):
    head = body[:1024].lstrip().lower()
    if not head.startswith(b"<") or b"<html" in head or b"<!doctype html" in head:
        return None
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None
    return root


def kind_of(body: bytes) -> tuple[str, object]:
    """(``FEED`` | ``SITEMAP`` | ``SITEMAP_INDEX`` | ``PAGE``, the parsed root or None)."""
    root = _root(body)
    name = _local(root.tag) if root is not None else ""
    if name in ("rss", "feed", "rdf", "channel"):
        return FEED, root
    if name == "urlset":
        return SITEMAP, root
    if name == "sitemapindex":
        return SITEMAP_INDEX, root
    return PAGE, None


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date (``2026-03-01``, ``2026-03-01T10:00:00Z``) or an RFC 822 one (RSS's
    ``Sun, 01 Mar 2026 10:00:00 GMT``) in UTC; None when it is neither."""
    v = (value or "").strip()
    if not v:
        return None
    try:
        d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            return None
    return (d if d.tzinfo else d.replace(tzinfo=UTC)).astimezone(UTC)


def _children(el, *names: str):
    return [c for c in el if _local(c.tag) in names]


def _text(el, *names: str) -> str | None:
    for c in _children(el, *names):
        t = (c.text or "").strip()
        if t:
            return t
    return None


def _first_date(el, *names: str) -> datetime | None:
    for c in _children(el, *names):
        d = parse_date(c.text)
        if d is not None:
            return d
    return None


def _feed_link(item) -> str | None:
    for c in _children(item, "link"):
        href = c.get("href")
        if href and c.get("rel", "alternate") == "alternate":  # Atom
            return href.strip()
        if not href and (c.text or "").strip():  # RSS
            return c.text.strip()
    guid = _children(item, "guid")
    if guid and guid[0].get("isPermaLink", "true") == "true" and is_url((guid[0].text or "").strip()):
        return (guid[0].text or "").strip()
    return None


def links(kind: str, root, base: str) -> list[Link]:
    """The links a feed, sitemap or sitemap index lists, in its order, made absolute against ``base``;
    each only once."""
    out: list[Link] = []
    if kind == FEED:
        for item in root.iter():
            if _local(item.tag) not in ("item", "entry"):
                continue
            href = _feed_link(item)
            if href:
                out.append(Link(urljoin(base, href), _first_date(item, "pubdate", "published", "date", "updated", "issued")))
    else:
        for entry in _children(root, "url", "sitemap"):
            loc = _text(entry, "loc")
            if not loc:
                continue
            news = [n for c in _children(entry, "news") for n in _children(c, "publication_date")]
            date = next((d for n in news if (d := parse_date(n.text)) is not None), None) or _first_date(entry, "lastmod")
            out.append(Link(urljoin(base, loc), date))
    seen: set[str] = set()
    unique = []
    for link in out:
        if link.url not in seen and is_url(link.url):
            seen.add(link.url)
            unique.append(link)
    return unique


__all__ = ["FEED", "PAGE", "SITEMAP", "SITEMAP_INDEX", "Link", "kind_of", "links", "parse_date", "unzip"]
