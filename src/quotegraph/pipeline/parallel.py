"""Extraction in several processes (``Extractor(..., n_process=N)``, ``quotegraph extract --jobs N``).

Each process builds one ``Extractor`` with the caller's options (the spaCy model loads once per
process) and extracts batches of articles; the parent hands batches out and yields the results
in input order, with at most a few batches per process in flight (memory stays bounded on a
stream of any length).  A worker runs exactly what one process runs on the same batch, so the
output is the same as with one process.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from ..errors import InputError, ModelError, QuotegraphError
from ..models import Article
from ..read.readers import Source

if TYPE_CHECKING:
    from . import Extractor, Options

Item = str | tuple[str, str | None] | Source
Result = Article | Exception

_worker_extractor: Extractor | None = None
_init_error: str | None = None


def _init(options: Options) -> None:
    """Process initializer: build this process's extractor and load its model now."""
    global _worker_extractor, _init_error
    from . import Extractor

    _worker_extractor = Extractor(options)
    try:
        _worker_extractor.load()  # the models load once, before the first batch
    except QuotegraphError as e:  # reported with the first batch (a failing initializer kills the pool)
        _init_error = str(e)


def _portable(r: Result) -> Article | tuple[str, str, str]:
    """Exceptions travel back as (type, name, reason): not every exception survives pickling."""
    if isinstance(r, Article):
        return r
    if isinstance(r, InputError):
        return ("InputError", r.name, r.reason)
    return (type(r).__name__, "", str(r))


def _restore(r: Article | tuple[str, str, str]) -> Result:
    if isinstance(r, Article):
        return r
    kind, name, reason = r
    if kind == "InputError":
        return InputError(name, reason)
    return RuntimeError(f"{kind}: {reason}")


def extract_batch(batch: list[Item]) -> list[Article | tuple[str, str, str]]:
    """Worker side: one batch through this process's extractor (as one process would run it)."""
    assert _worker_extractor is not None, "extract_batch runs in a pool made by ProcessExtractor"
    if _init_error is not None:
        raise ModelError(_init_error)
    return [_portable(r) for r in _worker_extractor.extract_many(batch)]


class ProcessExtractor:
    """A pool of ``n`` extraction processes for ``Extractor.extract_many``."""

    def __init__(self, options: Options, n: int):
        self.options = options
        self.n = max(1, n)
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.n, mp_context=mp.get_context("spawn"),
                                             initializer=_init, initargs=(self.options,))
        return self._pool

    def map(self, items: Iterable[Item], batch_articles: int) -> Iterator[Result]:
        """Results of ``items`` in input order; batches of ``batch_articles`` articles."""
        pool = self._start()
        window: deque[Future] = deque()
        inflight = 2 * self.n
        batch: list[Item] = []
        for it in items:
            batch.append(it)
            if len(batch) >= batch_articles:
                window.append(pool.submit(extract_batch, batch))
                batch = []
                while len(window) >= inflight:
                    yield from map(_restore, window.popleft().result())
        if batch:
            window.append(pool.submit(extract_batch, batch))
        while window:
            yield from map(_restore, window.popleft().result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __del__(self) -> None:  # pragma: no cover - best effort when the extractor is dropped
        try:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
        except Exception:
            pass
