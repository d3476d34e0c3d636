"""URLs as inputs of an ingest: the pages a URL, feed or sitemap stands for, as ``Item``s.

``WebReader.items(url)`` walks a URL (``read.fetch.Walker``) and gives one ``Item`` per article
page, named by its URL; a page that cannot be fetched or read is an ``Item`` with ``error`` set
(its URL and one-line reason), so the ingest records it and goes on.  ``StoredPages`` keeps what
every URL answered in the store's ``fetched`` table (body zlib-compressed, ETag, Last-Modified):
the next run asks conditionally and reads the kept copy on a 304, so nothing unchanged is
downloaded again and, the content being the same, nothing new is stored; ``offline`` reads the
kept copies alone (a re-extraction without the network).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import InputError
from ..read.fetch import Fetcher, FetchOptions, Kept, Walker, WalkStats, page_source
from .sources import Item, content_key
from .store import Store


class StoredPages:
    """The ``read.fetch.Cache`` of an ingest: the store's ``fetched`` table, written inside the
    writer's open batch (committed with the articles)."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, url: str) -> Kept | None:
        row = self.store.con.execute(
            "SELECT url, final_url, status, content_type, etag, last_modified, fetched_at, body FROM fetched WHERE url=?",
            (url,)).fetchone()
        if row is None:
            return None
        try:
            body = zlib.decompress(row[7])
        except zlib.error:  # a damaged copy: fetched again (unconditionally)
            return None
        url, final_url, status, ctype, etag, last_modified, fetched_at = row[:7]
        return Kept(url, final_url, status, ctype or "", etag, last_modified, fetched_at, body)

    def put(self, kept: Kept) -> None:
        self.store.begin()
        self.store.con.execute(
            "INSERT OR REPLACE INTO fetched(url, final_url, status, content_type, etag, last_modified, fetched_at, body)"
            " VALUES(?,?,?,?,?,?,?,?)",
            (kept.url, kept.final_url, kept.status, kept.content_type, kept.etag, kept.last_modified, kept.fetched_at,
             zlib.compress(kept.body, 6)))


@dataclass
class WebOptions:
    """What ``ingest`` fetches and how (the ``--delay``, ``--timeout``, ``--since``, ``--offline`` options)."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    since: datetime | None = None  # feed and sitemap entries dated before it are skipped, unfetched
    offline: bool = False  # fetch nothing: read the copies the store keeps


class WebReader:
    """The URLs of one ingest run: one ``Fetcher`` (its per-host clock and robots.txt cache) for all."""

    def __init__(self, options: WebOptions | None = None, *, store: Store | None = None, max_bytes: int | None = None,
                 on_change: Callable[[WalkStats], None] | None = None):
        self.options = options or WebOptions()
        self.max_bytes = max_bytes or self.options.fetch.max_bytes
        self.fetcher: Fetcher | None = None
        self.walker: Walker | None = None
        self.cache = StoredPages(store) if store is not None else None
        self.on_change = on_change

    @property
    def stats(self) -> WalkStats:
        return self.walker.stats if self.walker is not None else WalkStats()

    def items(self, url: str, pos: int = 0) -> Iterator[Item]:
        if self.walker is None:
            self.fetcher = Fetcher(self.options.fetch)
            self.walker = Walker(self.fetcher, cache=self.cache, since=self.options.since, offline=self.options.offline,
                                 on_change=self.on_change)
        for page in self.walker.pages(url):
            if page.error is not None:
                yield Item(source=page.url, error=page.error, pos=pos)
                continue
            try:
                src = page_source(page, self.max_bytes)
            except InputError as e:
                yield Item(source=page.url, error=e.reason, pos=pos)
                continue
            yield Item(source=src.name, text=src.content, format=src.format, key=content_key(src.content),
                       warnings=src.warnings, pos=pos)

    def close(self) -> None:
        if self.fetcher is not None:
            self.fetcher.close()
