"""What the app holds for its lifetime: settings, a pool of read-only store connections, and the
extractor for the paste page and ``/api/extract``.

The store is only ever read.  Each request takes one connection from the pool and reads inside one
transaction (a WAL snapshot), so a page is consistent even while ``quotegraph ingest`` commits to
the same file.  Extraction is CPU-bound: it runs in its own process, one article at a time, so a
queue of pastes neither holds the threads that serve the other pages nor their interpreter lock.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator, Optional

import anyio

from ..corpus import Corpus
from ..corpus.views import Views
from ..errors import InputError, QuotegraphError
from . import extract_worker
from ..models import Article

MAX_PASTE_BYTES = 512 * 1024  # a long article is ~50 kB of text, a heavy HTML page ~1 MB of markup
MAX_WAITING_EXTRACTIONS = 256  # then 503 (each waiting request holds its text: at most 128 MiB)


@dataclass
class Settings:
    store_path: Optional[str] = None
    max_paste_bytes: int = MAX_PASTE_BYTES
    page_size: int = 20
    max_waiting_extractions: int = MAX_WAITING_EXTRACTIONS
    pool_size: int = 8
    title: str = "quotegraph"
    extractor_options: Optional[object] = None  # quotegraph.Options; None: the defaults

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
    """Up to ``size`` read-only connections, each lent to one request at a time.

    A request waits for a connection without holding a worker thread (an async semaphore): if it
    held one, requests blocked on the pool could take every thread of the thread pool and leave
    none for the requests that hold connections to run and give them back."""

    def __init__(self, path: str, size: int = 8):
        self.path = path
        self.size = max(1, size)
        self._free: list[Reader] = []
        self._slots: Optional[anyio.Semaphore] = None
        Reader(path).close()  # fail now, with the store's own message, if it cannot be opened

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Reader]:
        if self._slots is None:
            self._slots = anyio.Semaphore(self.size)
        async with self._slots:
            r = self._free.pop() if self._free else Reader(self.path)
            try:
                r.views.begin()  # BEGIN/COMMIT of a read transaction take no lock until the first read
                yield r
            finally:
                try:
                    r.views.end()
                    self._free.append(r)
                except Exception:  # a broken connection is dropped, not reused
                    r.close()

    def close(self) -> None:
        while self._free:
            self._free.pop().close()


class TooLarge(ValueError):
    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"the input is {size / 1024:,.0f} kB; the limit is {limit / 1024:,.0f} kB "
                         "(paste one article, or run `quotegraph extract FILE` for larger inputs)")


class Busy(RuntimeError):
    pass


class ExtractService:
    """Extraction in one worker process (``extract_worker``), started on the first request,
    one article at a time; the server only reads and checks the input (size, text or not)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pool: Optional[ProcessPoolExecutor] = None
        self._lock = threading.Lock()
        self._limiter: Optional[anyio.CapacityLimiter] = None
        self.waiting = 0

    def check_size(self, n: int) -> None:
        if n > self.settings.max_paste_bytes:
            raise TooLarge(n, self.settings.max_paste_bytes)

    def read(self, content: str, name: str = "<pasted>", format: Optional[str] = None):
        """The checked ``Source`` (``InputError`` naming ``name`` when it is not text)."""
        from ..read.readers import read_string

        self.check_size(len(content.encode("utf-8", "surrogatepass")))
        return read_string(content, name, format=format)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=extract_worker.start, initargs=(self.settings.extractor_options, os.getpid()))
            return self._pool

    def _run(self, src) -> Article:
        try:
            return self._executor().submit(extract_worker.extract, src.content, src.name, src.format).result()
        except BrokenProcessPool:
            self.shutdown()  # a new worker next time
            raise Busy("the extraction process stopped; it restarts with the next request") from None
        except RuntimeError as e:
            raise ExtractionFailed(f"{src.name}: extraction failed ({e})") from None

    async def extract(self, content: str, name: str = "<pasted>", format: Optional[str] = None) -> Article:
        src = self.read(content, name, format)
        if self.waiting >= self.settings.max_waiting_extractions:
            raise Busy(f"{self.waiting} extractions are waiting; try again in a moment")
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)
        self.waiting += 1
        try:
            return await anyio.to_thread.run_sync(functools.partial(self._run, src), limiter=self._limiter)
        finally:
            self.waiting -= 1

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


class ExtractionFailed(QuotegraphError):
    pass


__all__ = ["Busy", "ExtractService", "ExtractionFailed", "InputError", "Reader", "Settings", "StorePool", "TooLarge"]
