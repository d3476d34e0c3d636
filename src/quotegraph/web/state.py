"""What the app holds for its lifetime: settings, a pool of read-only store connections, and the
extractor for the paste page and ``/api/extract``.

The store is only ever read.  Each request takes one connection from the pool and reads inside one
transaction (a WAL snapshot), so a page is consistent even while ``quotegraph ingest`` commits to
the same file.  Extraction is CPU-bound: it runs on its own worker thread, one article at a time,
so a queue of pastes never holds the threads that serve the other pages.
"""

from __future__ import annotations

import functools
import queue
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional

import anyio

from ..corpus import Corpus
from ..corpus.views import Views
from ..errors import InputError
from ..models import Article

MAX_PASTE_BYTES = 512 * 1024  # a long article is ~50 kB of text, a heavy HTML page ~1 MB of markup
MAX_WAITING_EXTRACTIONS = 64


@dataclass
class Settings:
    store_path: Optional[str] = None
    max_paste_bytes: int = MAX_PASTE_BYTES
    page_size: int = 20
    max_waiting_extractions: int = MAX_WAITING_EXTRACTIONS
    pool_size: int = 8
    title: str = "quotegraph"
    extractor_options: Optional[object] = None  # quotegraph.Options; None: the defaults
    extra: dict = field(default_factory=dict)

    @property
    def max_request_bytes(self) -> int:
        """Request bodies past this are refused unread (a form or JSON around the largest paste)."""
        return 2 * self.max_paste_bytes + 64 * 1024


class Reader:
    """One read-only connection: the corpus queries and the web views over it."""

    def __init__(self, path: str):
        self.corpus = Corpus(path)
        self.views = Views(self.corpus)
        self.views.tune()

    def close(self) -> None:
        self.corpus.close()


class StorePool:
    """Up to ``size`` read-only connections, handed to one request at a time."""

    def __init__(self, path: str, size: int = 8):
        self.path = path
        self.size = max(1, size)
        self._free: "queue.LifoQueue[Reader]" = queue.LifoQueue()
        self._made = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)
        Reader(path).close()  # fail now, with the store's own message, if it cannot be opened

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        self._slots.acquire()
        try:
            try:
                r = self._free.get_nowait()
            except queue.Empty:
                r = Reader(self.path)
            try:
                r.views.begin()
                yield r
            finally:
                try:
                    r.views.end()
                    self._free.put(r)
                except Exception:  # a broken connection is dropped, not reused
                    r.close()
        finally:
            self._slots.release()

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


class TooLarge(ValueError):
    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"the input is {size / 1024:,.0f} kB; the limit is {limit / 1024:,.0f} kB "
                         "(paste one article, or run `quotegraph extract FILE` for larger inputs)")


class Busy(RuntimeError):
    pass


class ExtractService:
    """The extractor, loaded on first use; one extraction at a time on a dedicated thread."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._ex = None
        self._load = threading.Lock()
        self._limiter: Optional[anyio.CapacityLimiter] = None
        self.waiting = 0

    def extractor(self):
        with self._load:
            if self._ex is None:
                from ..pipeline import Extractor

                ex = Extractor(self.settings.extractor_options)  # type: ignore[arg-type]
                ex.nlp  # noqa: B018 - load the model now (a missing model is one clear error)
                self._ex = ex
        return self._ex

    def check_size(self, n: int) -> None:
        if n > self.settings.max_paste_bytes:
            raise TooLarge(n, self.settings.max_paste_bytes)

    def extract_sync(self, content: str | bytes, name: str = "<pasted>", format: Optional[str] = None) -> Article:
        """Read (bytes: decoded, detected) and extract; ``InputError`` names ``name``."""
        from ..readers import read_bytes, read_string

        if isinstance(content, bytes):
            self.check_size(len(content))
            src = read_bytes(content, name, max_bytes=self.settings.max_paste_bytes, format=format)
        else:
            self.check_size(len(content.encode("utf-8", "surrogatepass")))
            src = read_string(content, name, format=format)
        return self.extractor().extract_source(src)

    async def extract(self, content: str | bytes, name: str = "<pasted>", format: Optional[str] = None) -> Article:
        if self.waiting >= self.settings.max_waiting_extractions:
            raise Busy(f"{self.waiting} extractions are waiting; try again in a moment")
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)
        self.waiting += 1
        try:
            return await anyio.to_thread.run_sync(
                functools.partial(self.extract_sync, content, name, format), limiter=self._limiter)
        finally:
            self.waiting -= 1


__all__ = ["Busy", "ExtractService", "InputError", "Reader", "Settings", "StorePool", "TooLarge"]
