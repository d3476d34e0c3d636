"""Ingest: read inputs → extract (CPU-heavy, in worker processes) → store (one writer).

The extractor is built once per process (``get_extractor``); ``extract_chunk`` is the unit of
work a worker runs, a plain module-level function over plain data, so it can be handed to a
process pool here or to Dask workers later.  The writer takes results back in input order (a
bounded window of chunks in flight), which makes the store the same whether a run went through
in one go or was killed and run again: articles already stored are skipped before extraction.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Union

from ..models import Article
from .sources import Item, expand, iter_items, total_bytes
from .store import ItemMeta, Store, Totals

EXTRACTOR_SPEC = "quotegraph:Extractor"

# ------------------------------------------------------------------ the worker side

_extractor = None
_extractor_spec: Optional[str] = None


def get_extractor(spec: str = EXTRACTOR_SPEC):
    """The extractor of this process, built on first use (the spaCy model loads once per process)."""
    global _extractor, _extractor_spec
    if _extractor is None or _extractor_spec != spec:
        mod, _, attr = spec.partition(":")
        factory = getattr(importlib.import_module(mod), attr or "Extractor")
        _extractor = factory()
        _extractor_spec = spec
    return _extractor


def _watch_parent(ppid: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != ppid:
            os._exit(1)


class ExtractorUnavailable(RuntimeError):
    """The extractor cannot be built or its model loaded: no article can be extracted."""


_init_error: Optional[str] = None


def init_worker(spec: str = EXTRACTOR_SPEC, parent_pid: Optional[int] = None, warm: bool = True) -> None:
    """Process-pool initializer: die with the parent (even on SIGKILL), load the model."""
    global _init_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:  # pragma: no cover
            pass
    if parent_pid is not None:
        if os.getppid() != parent_pid:
            os._exit(1)
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if warm:
        try:
            _ready_extractor(spec)
        except ExtractorUnavailable as e:  # reported with the first chunk, not as a dead worker
            _init_error = str(e)


def _ready_extractor(spec: str):
    try:
        ex = get_extractor(spec)
        if hasattr(ex, "nlp"):
            ex.nlp  # noqa: B018 - load the model now
        return ex
    except Exception as e:  # noqa: BLE001
        raise ExtractorUnavailable(f"cannot load the extractor ({spec}): {type(e).__name__}: {e}") from None


def _reason(e: BaseException) -> str:
    r = getattr(e, "reason", None)
    return str(r) if r else f"{type(e).__name__}: {e}"


def extract_chunk(payload: list[tuple[str, str]], spec: str = EXTRACTOR_SPEC) -> list[Union[Article, str]]:
    """Extract ``(text, name)`` pairs; an Article, or the failure reason (a string), for each."""
    if _init_error is not None:
        raise ExtractorUnavailable(_init_error)
    ex = _ready_extractor(spec)
    out: list[Union[Article, str]] = []
    if hasattr(ex, "extract_many"):
        try:
            for r in ex.extract_many(payload):
                out.append(r if isinstance(r, Article) else _reason(r))
            if len(out) == len(payload):
                return out
        except Exception:
            pass
        out = []
    for text, name in payload:
        try:
            out.append(ex.extract(text, path=name))
        except Exception as e:  # noqa: BLE001 - one bad article never stops the run
            out.append(_reason(e))
    return out


# ------------------------------------------------------------------ the writer side


@dataclass
class IngestReport:
    seen: int = 0  # inputs met (articles, lines, records)
    added: int = 0  # articles stored by this run
    skipped: int = 0  # already in the store (or repeated in the input)
    skipped_failed: int = 0  # failed in an earlier run (see --retry-failed)
    failed: int = 0  # failed in this run
    occurrences: int = 0
    new_quotes: int = 0
    new_people: int = 0
    seconds: float = 0.0
    store_seconds: float = 0.0  # time the writer spent storing (linking, matching, indexing, commits)
    wait_seconds: float = 0.0  # time the writer waited for extraction results
    interrupted: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason), this run
    totals: Optional[Totals] = None

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


def default_jobs() -> int:
    """Extraction processes: all cores but one (which the writer and the reader use)."""
    n = os.cpu_count() or 1
    return max(1, n - 1) if n > 1 else 0


class _Done:
    """A finished stand-in for a Future (inline extraction)."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


class Ingestor:
    def __init__(self, db: str = "quotegraph.db", *, jobs: Optional[int] = None, chunk: int = 16,
                 commit_every: int = 16, retry_failed: bool = False, extractor: str = EXTRACTOR_SPEC,
                 store_docs: bool = True, engine=None):
        self.db = db
        # an engine (corpus/engine.py) runs the extraction elsewhere: submit(items) -> .result()
        self.engine = engine
        self.jobs = default_jobs() if jobs is None else max(0, jobs)
        self.chunk = max(1, chunk)
        self.commit_every = max(1, commit_every)
        self.retry_failed = retry_failed
        self.spec = extractor
        self.store_docs = store_docs
        self.pool: Optional[ProcessPoolExecutor] = None
        self.restarts = 0
        # for crash tests: seconds to wait after each stored article (inside its transaction)
        self.throttle = float(os.environ.get("QUOTEGRAPH_INGEST_THROTTLE", "0") or 0)

    # pool ---------------------------------------------------------------------------

    def _start_pool(self) -> None:
        import multiprocessing as mp

        self.pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=mp.get_context("spawn"),
            initializer=init_worker, initargs=(self.spec, os.getpid()),
        )

    def _stop_pool(self, wait: bool = True) -> None:
        if self.engine is not None:  # an engine serves one run
            self.engine.close()
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None

    def _submit(self, items: list[Item]):
        if self.engine is not None:
            return self.engine.submit(items)
        payload = [(it.text, it.source) for it in items]
        if self.jobs == 0:
            return _Done(extract_chunk(payload, self.spec))
        if self.pool is None:
            self._start_pool()
        return self.pool.submit(extract_chunk, payload, self.spec)

    def _results(self, items: list[Item], fut) -> list[Union[Article, str]]:
        try:
            return fut.result()
        except BrokenProcessPool:
            self.restarts += 1
            # An extraction process died (a crash in native code, the OOM killer): redo the
            # chunk one article at a time in a new pool to find the culprit.
            out: list[Union[Article, str]] = []
            crashes = 0
            for it in items:
                self._stop_pool(wait=False)
                try:
                    out.extend(self._submit([it]).result())
                    crashes = 0
                except BrokenProcessPool:
                    crashes += 1
                    if crashes >= 3:
                        raise ExtractorUnavailable("the extraction processes keep dying (out of memory?)") from None
                    out.append("the extraction process crashed on this article")
            self._stop_pool(wait=False)
            return out

    # run ----------------------------------------------------------------------------

    def run(self, paths: Iterable[str], *, on_progress: Optional[Callable[[IngestReport, int], None]] = None,
            total_hint: Optional[Callable[[int], None]] = None) -> IngestReport:
        report = IngestReport()
        paths = [str(p) for p in paths]
        t0 = time.perf_counter()
        if total_hint is not None:
            total_hint(total_bytes([f for f, err in expand(paths) if not err]))
        store = Store(self.db)
        in_batch = 0
        window: deque = deque()
        max_inflight = max(4, 8 * self.jobs) if self.jobs else 1
        if self.engine is not None:
            max_inflight = self.engine.max_inflight
        queued: set[str] = set()

        def record_failure(item: Item, reason: str) -> None:
            nonlocal in_batch
            store.begin()
            if store.add_failure(item.failure_key, item.source, "read" if item.error else "extract", reason):
                report.failed += 1
                report.failures.append((item.source, reason))
            in_batch += 1

        def write(items: list[Item], results: list[Union[Article, str]]) -> None:
            nonlocal in_batch
            for it, r in zip(items, results):
                queued.discard(it.key)
                if isinstance(r, Article):
                    store.begin()
                    meta = ItemMeta(key=it.key, source=it.source, given_id=it.given_id, url=it.url,
                                    outlet=it.outlet, published=it.published, crawled=it.crawled)
                    try:
                        res = store.add_article(meta, r, store_doc=self.store_docs)
                    except Exception as e:  # noqa: BLE001 - undone alone (savepoint); recorded
                        record_failure(it, f"cannot store: {type(e).__name__}: {e}")
                        continue
                    if res.added:
                        report.added += 1
                        report.occurrences += res.occurrences
                        report.new_quotes += res.new_quotes
                        report.new_people += res.new_people
                    else:
                        report.skipped += 1
                    in_batch += 1
                    if self.throttle:
                        time.sleep(self.throttle)
                else:
                    record_failure(it, r)
                if in_batch >= self.commit_every:
                    store.commit()
                    in_batch = 0
                if on_progress is not None:
                    report.seconds = time.perf_counter() - t0
                    on_progress(report, it.pos)

        def drain_one() -> None:
            items, fut = window.popleft()
            t = time.perf_counter()
            results = self._results(items, fut)
            t1 = time.perf_counter()
            write(items, results)
            report.wait_seconds += t1 - t
            report.store_seconds += time.perf_counter() - t1

        try:
            chunk: list[Item] = []
            for item in iter_items(paths):
                report.seen += 1
                if item.error is not None:
                    record_failure(item, item.error)
                    if on_progress is not None:
                        on_progress(report, item.pos)
                    continue
                if item.key in queued or store.has_article(item.key):
                    report.skipped += 1
                    if on_progress is not None:
                        on_progress(report, item.pos)
                    continue
                if store.has_failure(item.key):
                    if not self.retry_failed:
                        report.skipped_failed += 1
                        continue
                    store.begin()
                    store.con.execute("DELETE FROM failures WHERE key=?", (item.key,))
                queued.add(item.key)
                chunk.append(item)
                if len(chunk) >= self.chunk:
                    window.append((chunk, self._submit(chunk)))
                    chunk = []
                    while len(window) >= max_inflight:
                        drain_one()
            if chunk:
                window.append((chunk, self._submit(chunk)))
            while window:
                drain_one()
            t = time.perf_counter()
            store.commit()
            report.store_seconds += time.perf_counter() - t
        except KeyboardInterrupt:
            report.interrupted = True
            store.commit()  # every stored article is whole: keep them
        except ExtractorUnavailable:
            store.commit()
            raise
        except BaseException:
            store.rollback()
            raise
        finally:
            self._stop_pool(wait=not report.interrupted)
            report.seconds = time.perf_counter() - t0
            try:
                report.totals = store.totals()
            finally:
                store.close()
        return report


def ingest(paths: Iterable[str], db: str = "quotegraph.db", **kw) -> IngestReport:
    """Add articles to the corpus at ``db`` (see ``Ingestor`` for the options)."""
    on_progress = kw.pop("on_progress", None)
    total_hint = kw.pop("total_hint", None)
    return Ingestor(db, **kw).run(paths, on_progress=on_progress, total_hint=total_hint)
