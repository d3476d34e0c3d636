"""What the app holds for its lifetime: settings, a pool of read-only store connections, and the
extractor for the paste page and ``/api/extract``.

The store is only ever read.  Each request takes one connection from the pool and reads inside one
transaction (a WAL snapshot), so a page is consistent even while ``quotegraph ingest`` commits to
the same file.  Extraction is CPU-bound: it runs in its own process, one article at a time, so a
queue of pastes neither holds the threads that serve the other pages nor their interpreter lock.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio

from ..corpus import Corpus
from ..corpus.views import Views
from ..errors import InputError, QuotegraphError
from ..models import Article
from .extract_worker import WorkerGone, WorkerProcess

MAX_PASTE_BYTES = 512 * 1024  # a long article is ~50 kB of text, a heavy HTML page ~1 MB of markup
MAX_FETCH_BYTES = 4 * 1024 * 1024  # a page fetched for the paste page (its scripts and styles included)
MAX_WAITING_EXTRACTIONS = 256  # then 503 (each waiting request holds its text: at most 128 MiB)
EXTRACT_TIMEOUT = 60.0  # seconds an extraction may take in the server; then 503, and the worker is replaced
RATE_LIMIT = 60.0  # extractions (POST /api/extract, /paste) a minute per client, on average
RATE_BURST = 20  # ... and at once
LOW_CONFIDENCE = 0.5  # a record below it is more likely wrong than right (its confidence is a probability)
REFUSAL_DELAY = 1.0  # at most this many seconds a request past the rate waits before its 429
MAX_DELAYED_REFUSALS = 64  # ... and at most this many wait at once (the others are answered at once)


@dataclass
class Settings:
    store_path: str | None = None
    max_paste_bytes: int = MAX_PASTE_BYTES
    page_size: int = 20
    max_waiting_extractions: int = MAX_WAITING_EXTRACTIONS
    pool_size: int = 8
    title: str = "quotegraph"
    extractor_options: object | None = None  # quotegraph.Options; None: the defaults
    extract_timeout: float = EXTRACT_TIMEOUT
    rate_limit: float = RATE_LIMIT  # per client and minute; 0: no limit
    rate_burst: int = RATE_BURST
    refusal_delay: float = REFUSAL_DELAY  # 0: answer a request past the rate at once
    api_token: str | None = None  # when set, every write (POST /api/extract, /paste) must give it
    low_confidence: float = LOW_CONFIDENCE  # records below it are marked "low confidence" on the pages
    # the paste page's URL field (web/fetching.py, SSRF): "off", "public" (public addresses only) or "all"
    fetch_urls: str = "off"
    max_fetch_bytes: int = MAX_FETCH_BYTES  # a fetched page's HTML (pages are heavier than the text pasted)

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
        self._slots: anyio.Semaphore | None = None
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


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} kB"


def too_large_message(what: str, size: int, limit: int, exact: bool = True) -> str:
    """"the input is 600 kB; the limit is 512 kB", or "more than 512 kB" when the size is not
    known (a body cut off when it passed the limit) or rounds down to the limit."""
    over = kb(size) if exact and kb(size) != kb(limit) else f"more than {kb(limit)}"
    return (f"the {what} is {over}; the limit is {kb(limit)} "
            "(paste one article, or run `quotegraph extract FILE` for larger inputs)")


class TooLarge(ValueError):
    def __init__(self, size: int, limit: int, exact: bool = True):
        self.size, self.limit = size, limit
        super().__init__(too_large_message("input", size, limit, exact))


class Busy(RuntimeError):
    pass


class TimedOut(Busy):
    pass


class ExtractService:
    """Extraction in one worker process (``extract_worker``), started on the first request,
    one article at a time; the server only reads and checks the input (size, text or not), in a
    worker thread. A request waits its turn without holding a thread; when it is cancelled (its
    client went away) it leaves the queue, and if its article was being extracted the worker is
    killed, as it is past the time limit (``Settings.extract_timeout``) and on ``stop``."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._worker: WorkerProcess | None = None
        self._lock = threading.Lock()
        self._turn: anyio.Lock | None = None
        self.waiting = 0
        self.stopping = False

    def check_size(self, n: int, exact: bool = True, limit: int | None = None) -> None:
        limit = limit or self.settings.max_paste_bytes
        if n > limit:
            raise TooLarge(n, limit, exact)

    def read(self, content: str, name: str = "<pasted>", format: str | None = None, limit: int | None = None):
        """The checked ``Source`` (``InputError`` naming ``name`` when it is not text); ``limit``:
        its size limit, when not the paste's (a fetched page's)."""
        from ..read.readers import read_string

        self.check_size(len(content.encode("utf-8", "surrogatepass")), limit=limit)
        return read_string(content, name, format=format)

    def worker(self) -> WorkerProcess:
        """The live worker process, started (again) when there is none."""
        with self._lock:
            if self.stopping:
                raise Busy("the server is stopping")
            if self._worker is None or not self._worker.alive():
                if self._worker is not None:
                    self._worker.kill()
                self._worker = WorkerProcess(self.settings.extractor_options)
            return self._worker

    def _drop(self, worker: WorkerProcess) -> None:
        with self._lock:
            if self._worker is worker:
                self._worker = None
        worker.kill()

    async def extract(self, content: str, name: str = "<pasted>", format: str | None = None,
                      overrides: dict | None = None, limit: int | None = None) -> Article:
        """The article extracted in the worker; ``overrides``: ``Options`` fields of this request
        (``acts``, ``min_confidence``) over the server's."""
        if self.stopping:
            raise Busy("the server is stopping")
        if self.waiting >= self.settings.max_waiting_extractions:
            raise Busy(f"{self.waiting} extractions are waiting; try again in a moment")
        self.waiting += 1
        try:
            src = await anyio.to_thread.run_sync(self.read, content, name, format, limit)  # sniffing: off the event loop
            if self._turn is None:
                self._turn = anyio.Lock()
            async with self._turn:
                return await self._run(src, overrides)
        finally:
            self.waiting -= 1

    async def _run(self, src, overrides: dict | None = None) -> Article:
        limit = self.settings.extract_timeout
        done = False
        worker = await anyio.to_thread.run_sync(self.worker)
        try:
            with anyio.move_on_after(limit):
                article = await anyio.to_thread.run_sync(worker.call, src.content, src.name, src.format, overrides,
                                                         abandon_on_cancel=True)
                done = True
        except WorkerGone:
            done = True
            self._drop(worker)
            if self.stopping:
                raise Busy("the server is stopping") from None
            raise Busy("the extraction process stopped; it restarts with the next request") from None
        except RuntimeError as e:
            done = True
            raise ExtractionFailed(f"{src.name}: extraction failed ({e})") from None
        finally:
            if not done:  # past the time limit, or cancelled: the worker is stopped and replaced
                self._drop(worker)
        if not done:
            raise TimedOut(f"{src.name}: the extraction took more than {limit:g} s, the server's limit, and was "
                           "stopped (`quotegraph extract FILE` has no limit)")
        return article

    def stop(self) -> None:
        """The server is stopping: the running extraction is killed, the waiting ones answer 503."""
        self.stopping = True
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.kill()

    def shutdown(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.reap()


class ExtractionFailed(QuotegraphError):
    pass


__all__ = ["Busy", "ExtractService", "ExtractionFailed", "InputError", "Reader", "Settings", "StorePool", "TimedOut",
           "TooLarge"]
