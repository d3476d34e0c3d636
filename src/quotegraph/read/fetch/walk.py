"""From a URL to the pages it stands for: a page is itself; a feed, its items; a sitemap, its
entries; a sitemap index, the entries of its sitemaps.  What a URL is, is read from what it
answers (``discover.kind_of``), not from its name.

``Walker.pages(url)`` yields a ``Page`` for each article page, fetched or failed, in the listing's
order.  With a ``Cache`` (the store's ``fetched`` table) every URL fetched before is asked for
conditionally (its ETag and Last-Modified): an unchanged one answers 304 and its kept copy is
used, so a re-run downloads nothing that did not change; ``offline`` uses the kept copies alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from ...errors import InputError
from ..readers import Source, charset_of, read_bytes, read_string
from .client import HTML_TYPES, XML_TYPES, Fetcher
from .discover import PAGE, SITEMAP_INDEX, Link, kind_of, links, unzip

MAX_DEPTH = 3  # a sitemap index (0) → its sitemaps (1) → their pages (2); a feed (0) → its items (1)


@dataclass
class Kept:
    """A copy of what a URL answered, as the store keeps it (``body`` uncompressed here)."""

    url: str
    final_url: str
    status: int
    content_type: str
    etag: str | None
    last_modified: str | None
    fetched_at: str
    body: bytes


class Cache(Protocol):
    def get(self, url: str) -> Kept | None: ...

    def put(self, kept: Kept) -> None: ...


@dataclass
class Page:
    url: str  # as given or listed
    kept: Kept | None = None  # what it answered (now, or before: ``fresh`` False)
    error: str | None = None
    listed_in: str | None = None  # the feed or sitemap it was listed in
    fresh: bool = True

    @property
    def name(self) -> str:
        """What the article is named by: the URL it was read from (after redirects)."""
        return self.kept.final_url if self.kept is not None else self.url


@dataclass
class WalkStats:
    listed: int = 0  # links found in feeds and sitemaps
    fetched: int = 0  # downloaded (200)
    unchanged: int = 0  # not modified since the kept copy (304, or --offline)
    older: int = 0  # skipped: listed as older than --since
    failed: int = 0
    pages: int = 0  # article pages met (fetched, unchanged or failed)


class Walker:
    def __init__(self, fetcher: Fetcher, *, cache: Cache | None = None, since: datetime | None = None,
                 offline: bool = False, on_change: Callable[[WalkStats], None] | None = None):
        self.fetcher = fetcher
        self.cache = cache
        self.since = since
        self.offline = offline
        self.on_change = on_change
        self.stats = WalkStats()
        self.seen: set[str] = set()

    def pages(self, url: str, accept: tuple[str, ...] = HTML_TYPES + XML_TYPES) -> Iterator[Page]:
        """The article pages ``url`` stands for (see the module's doc); ``accept=HTML_TYPES``: a page only."""
        self.seen.add(url)
        yield from self._visit(Link(url), 0, None, accept)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.stats)

    def _visit(self, link: Link, depth: int, listed_in: str | None, accept: tuple[str, ...]) -> Iterator[Page]:
        st = self.stats
        try:
            kept, fresh = self._get(link.url, accept)
            body = unzip(kept.body, self.fetcher.options.max_bytes)
        except InputError as e:
            st.failed += 1
            st.pages += 1
            self._changed()
            yield Page(link.url, error=e.reason, listed_in=listed_in)
            return
        except ValueError as e:  # a gzipped body that is corrupt or too large
            st.failed += 1
            self._changed()
            yield Page(link.url, error=str(e), listed_in=listed_in)
            return
        media = kept.content_type.split(";")[0].strip().lower()
        kind, root = kind_of(body) if media not in HTML_TYPES else (PAGE, None)
        if kind == PAGE:
            st.pages += 1
            self._changed()
            if media in XML_TYPES:
                st.failed += 1
                yield Page(link.url, error=f"an XML document that is neither a feed nor a sitemap (Content-Type {media})",
                           listed_in=listed_in)
                return
            yield Page(link.url, kept=replace(kept, body=body), listed_in=listed_in, fresh=fresh)
            return
        if depth >= MAX_DEPTH - 1 or not any(t in XML_TYPES for t in accept):
            st.failed += 1
            self._changed()
            yield Page(link.url, error=f"a {kind} where an article page was expected", listed_in=listed_in)
            return
        entries = links(kind, root, kept.final_url)
        st.listed += len(entries)
        self._changed()
        # a sitemap index lists sitemaps; a feed or a sitemap lists pages
        child_accept = XML_TYPES if kind == SITEMAP_INDEX else HTML_TYPES
        for entry in entries:
            if self.since is not None and entry.date is not None and entry.date < self.since:
                st.older += 1
                self._changed()
                continue
            if entry.url in self.seen:
                continue
            self.seen.add(entry.url)
            yield from self._visit(entry, depth + 1, kept.final_url, child_accept)

    def _get(self, url: str, accept: tuple[str, ...]) -> tuple[Kept, bool]:
        """The answer of ``url`` and whether it is new: fetched now, or the kept copy when the
        server says it has not changed (or ``offline``)."""
        kept = self.cache.get(url) if self.cache is not None else None
        if self.offline:
            if kept is None:
                raise InputError(url, "not in the store (--offline fetches nothing)")
            self.stats.unchanged += 1
            return kept, False
        resp = self.fetcher.fetch(url, accept=accept, etag=kept.etag if kept else None,
                                  last_modified=kept.last_modified if kept else None)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        if resp.not_modified:
            if kept is None:
                raise InputError(url, "HTTP 304 Not Modified to a request that asked for no condition")
            self.stats.unchanged += 1
            return kept, False
        self.stats.fetched += 1
        kept = Kept(url, resp.final_url, resp.status, resp.content_type, resp.etag, resp.last_modified, now, resp.body)
        if self.cache is not None:
            self.cache.put(kept)
        return kept, True


def page_source(page: Page, max_bytes: int) -> Source:
    """The ``Source`` of a fetched page, named by its URL (decoded by its declared charset, else
    sniffed). ``InputError`` naming the URL when it is not a readable article page."""
    if page.kept is None:
        raise InputError(page.url, page.error or "not fetched")
    k = page.kept
    media = k.content_type.split(";")[0].strip().lower()
    fmt = "html" if media in HTML_TYPES else None
    charset = charset_of(k.content_type)
    try:
        if charset:
            try:
                return read_string(k.body.decode(charset), page.name, format=fmt, max_bytes=max_bytes)
            except (LookupError, UnicodeDecodeError):
                pass
        return read_bytes(k.body, page.name, format=fmt, max_bytes=max_bytes)
    except InputError as e:
        raise InputError(page.url, e.reason) from None
