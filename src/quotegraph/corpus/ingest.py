"""Ingest: read inputs → extract (CPU-heavy, in worker processes) → store (one writer).

The extractor is built once per process (``get_extractor``); ``extract_chunk`` is the unit of
work a worker runs, a plain module-level function over plain data, so it can be handed to a
process pool here or to Dask workers later.  The writer takes results back in input order (a
bounded window of chunks in flight), which makes the store the same whether a run went through
in one go or was killed and run again: articles already stored are skipped before extraction.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..errors import QuotegraphError
from ..models import Article
from ..read.readers import MAX_BYTES_DEFAULT, read_string
from ..read.segments import SEGMENT_CHARS, extract_long
from .corrections import replay_after_ingest
from .given import GivenMeta
from .sources import Item, expand, iter_items, total_bytes
from .store import ItemMeta, Store, StoreFull, Totals, is_full
from .storefile import is_damaged

log = logging.getLogger(__name__)

EXTRACTOR_SPEC = "quotegraph:Extractor"

# ------------------------------------------------------------------ the worker side

_extractor = None
_extractor_spec: str | None = None


def get_extractor(spec: str = EXTRACTOR_SPEC):
    """The extractor of this process, built on first use (the spaCy model loads once per process)."""
    global _extractor, _extractor_spec
    if _extractor is None or _extractor_spec != spec:
        mod, _, attr = spec.partition(":")
        factory = getattr(importlib.import_module(mod), attr or "Extractor")
        _extractor = factory()
        options = getattr(_extractor, "options", None)
        if options is not None and hasattr(options, "acts"):
            options.acts = "all"  # the store keeps every act; its queries choose what to show (corpus.query.ACTS)
        _extractor_spec = spec
    return _extractor


def _watch_parent(ppid: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != ppid:
            os._exit(1)


class ExtractorUnavailable(RuntimeError):
    """The extractor cannot be built or its model loaded: no article can be extracted."""


_init_error: str | None = None


def init_worker(spec: str = EXTRACTOR_SPEC, parent_pid: int | None = None, warm: bool = True,
                deathsig: bool = True) -> None:
    """Process-pool initializer: die with the parent (even on SIGKILL), load the model.

    ``PR_SET_PDEATHSIG`` fires when the *thread* that started the process exits, not the process:
    a worker started from a pool thread that may retire gives ``deathsig=False`` and relies on the
    watch of ``parent_pid`` alone."""
    global _init_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if deathsig and sys.platform.startswith("linux"):
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
        if hasattr(ex, "load"):
            ex.load()  # the spaCy pipeline and the shipped models, now
        elif hasattr(ex, "nlp"):
            ex.nlp  # noqa: B018 - load the model now
        return ex
    except Exception as e:  # noqa: BLE001
        raise ExtractorUnavailable(f"cannot load the extractor ({spec}): {type(e).__name__}: {e}") from None


def _reason(e: BaseException) -> str:
    """The failure reason of one article: a bad input says what is wrong with it; anything else
    is a bug of ours, logged with its traceback and said to be one."""
    if isinstance(e, QuotegraphError):
        r = getattr(e, "reason", None)
        return str(r) if r else str(e)
    log.error("internal error while extracting an article", exc_info=e)
    return f"internal error (a bug in quotegraph, please report it): {type(e).__name__}: {e}"


def extract_chunk(payload: list[tuple[str, str]], spec: str = EXTRACTOR_SPEC) -> list[Article | str]:
    """Extract ``(text, name)`` pairs; an Article, or the failure reason (a string), for each."""
    if _init_error is not None:
        raise ExtractorUnavailable(_init_error)
    ex = _ready_extractor(spec)
    if any(len(text) > SEGMENT_CHARS for text, _ in payload):  # a huge text: in segments, memory bounded
        return [_extract_one(ex, text, name) for text, name in payload]
    if hasattr(ex, "extract_many"):
        try:
            results = list(ex.extract_many(payload))
        except Exception:  # noqa: BLE001 - extract_many reports bad inputs per item: this is a bug
            log.exception("extract_many failed on a chunk of %d articles (a bug): extracting them one by one", len(payload))
            results = None
        if results is not None and len(results) == len(payload):
            return [r if isinstance(r, Article) else _reason(r) for r in results]
        if results is not None:
            log.error("extract_many gave %d results for %d articles (a bug): extracting them one by one",
                      len(results), len(payload))
    return [_extract_one(ex, text, name) for text, name in payload]


def _extract_one(ex, text: str, name: str) -> Article | str:
    try:
        if len(text) > SEGMENT_CHARS and hasattr(ex, "extract_source"):
            return extract_long(ex.extract_source, read_string(text, name))
        return ex.extract(text, path=name)
    except Exception as e:  # noqa: BLE001 - one bad article never stops the run
        return _reason(e)


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
    corrected: int = 0  # corrections of the log that changed something when re-applied after the run
    seconds: float = 0.0
    store_seconds: float = 0.0  # time the writer spent storing (linking, matching, indexing, commits)
    wait_seconds: float = 0.0  # time the writer waited for extraction results
    interrupted: bool = False
    stopped: bool = False  # stopped at the first failure (fail_fast)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason), this run
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, warning): read, but not cleanly
    totals: Totals | None = None
    web: object | None = None  # read.fetch.WalkStats of the URLs read (fetched, unchanged, older than --since)

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


class _Stop(Exception):
    """Raised inside a run to end it early (fail_fast's first failure)."""


ProgressFn = Callable[[IngestReport, int], None]


class Ingestor:
    """Reads inputs, extracts them in worker processes, stores the results in input order.

    ``fail_fast``: stop at the first input that fails (what is stored so far is kept).
    ``after_store``: called with each stored item inside its transaction (tests use it to slow a
    run down and kill it in the middle); ``store_factory``: opens the store (default ``Store``)."""

    def __init__(self, db: str = "quotegraph.db", *, jobs: int | None = None, chunk: int = 16,
                 commit_every: int = 16, retry_failed: bool = False, extractor: str = EXTRACTOR_SPEC,
                 store_docs: bool = True, max_bytes: int = MAX_BYTES_DEFAULT, fail_fast: bool = False,
                 after_store: Callable[[Item], None] | None = None,
                 store_factory: Callable[[str], Store] = Store, engine=None, given: GivenMeta | None = None,
                 web=None, on_fetch=None):
        self.db = db
        self.given = given  # metadata for every input that gives none of its own (--outlet, --date)
        # an engine (corpus/engine.py) runs the extraction elsewhere: submit(items) -> .result()
        self.engine = engine
        self.jobs = default_jobs() if jobs is None else max(0, jobs)
        self.chunk = max(1, chunk)
        self.commit_every = max(1, commit_every)
        self.retry_failed = retry_failed
        self.spec = extractor
        self.store_docs = store_docs
        self.max_bytes = max_bytes
        self.fail_fast = fail_fast
        self.after_store = after_store
        self.store_factory = store_factory
        self.pool: ProcessPoolExecutor | None = None
        self.restarts = 0
        # URLs (corpus/webpages.py): their WebOptions, and a callback with the fetch counts as they change
        self.web = web
        self.on_fetch = on_fetch

    # pool ---------------------------------------------------------------------------

    def _start_pool(self) -> None:
        import multiprocessing as mp

        self.pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=mp.get_context("spawn"),
            initializer=init_worker, initargs=(self.spec, os.getpid()),
        )

    def stop_pool(self, wait: bool = True) -> None:
        if self.engine is not None:  # an engine serves one run
            self.engine.close()
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None

    def submit(self, items: list[Item]):
        if self.engine is not None:
            return self.engine.submit(items)
        payload = [(it.checked()[1], it.source) for it in items]
        if self.jobs == 0:
            return _Done(extract_chunk(payload, self.spec))
        if self.pool is None:
            self._start_pool()
        assert self.pool is not None  # _start_pool made it
        return self.pool.submit(extract_chunk, payload, self.spec)

    def results(self, items: list[Item], fut) -> list[Article | str]:
        try:
            return fut.result()
        except BrokenProcessPool:
            self.restarts += 1
            # An extraction process died (a crash in native code, the OOM killer): redo the
            # chunk one article at a time in a new pool to find the culprit.
            out: list[Article | str] = []
            crashes = 0
            for it in items:
                self.stop_pool(wait=False)
                try:
                    out.extend(self.submit([it]).result())
                    crashes = 0
                except BrokenProcessPool:
                    crashes += 1
                    if crashes >= 3:
                        raise ExtractorUnavailable("the extraction processes keep dying (out of memory?)") from None
                    out.append("the extraction process crashed on this article")
            self.stop_pool(wait=False)
            return out

    # run ----------------------------------------------------------------------------

    def run(self, paths: Iterable[str], *, on_progress: ProgressFn | None = None,
            total_hint: Callable[[int], None] | None = None) -> IngestReport:
        paths = [str(p) for p in paths]
        if total_hint is not None:
            total_hint(total_bytes([f for f, err in expand(paths) if not err]))
        try:
            store = self.store_factory(self.db)
        except Exception as e:
            if is_full(e):
                raise StoreFull(f"{self.db}: the disk is full (cannot create or open the store)") from None
            raise
        return _Run(self, store, on_progress).go(paths)


class _Run:
    """One ingest run: the writer's state (the store, the open batch, the chunks in flight)."""

    def __init__(self, ing: Ingestor, store: Store, on_progress: ProgressFn | None):
        self.ing = ing
        self.store = store
        self.on_progress = on_progress
        self.report = IngestReport()
        self.t0 = time.perf_counter()
        self.in_batch = 0
        self.window: deque = deque()
        self.max_inflight = max(4, 8 * ing.jobs) if ing.jobs else 1
        if ing.engine is not None:
            self.max_inflight = ing.engine.max_inflight
        self.queued: set[str] = set()
        from .webpages import WebReader

        self.web = WebReader(ing.web, store=store, max_bytes=ing.max_bytes, on_change=ing.on_fetch)

    def progress(self, pos: int) -> None:
        if self.on_progress is not None:
            self.report.seconds = time.perf_counter() - self.t0
            self.on_progress(self.report, pos)

    def go(self, paths: list[str]) -> IngestReport:
        report, store = self.report, self.store
        try:
            self.read_all(paths)
            t = time.perf_counter()
            report.corrected = replay_after_ingest(store)  # the user's corrections, over the new articles too
            store.commit()
            report.store_seconds += time.perf_counter() - t
        except _Stop:
            report.stopped = True
            report.corrected = replay_after_ingest(store)
            store.commit()  # every stored article is whole: keep them
        except KeyboardInterrupt:
            report.interrupted = True
            report.corrected = replay_after_ingest(store)
            store.commit()
        except ExtractorUnavailable:
            store.commit()
            raise
        except BaseException as e:
            store.rollback()  # the open batch is undone; what was committed stays, whole
            if is_full(e):
                raise StoreFull(f"{self.ing.db}: the disk is full; the store keeps the {store.totals().articles} "
                                "articles committed before (free some space and run the same command again)") from None
            raise
        finally:
            self.ing.stop_pool(wait=not (report.interrupted or report.stopped))
            self.web.close()
            report.web = self.web.stats if self.web.walker is not None else None
            report.seconds = time.perf_counter() - self.t0
            try:
                report.totals = store.totals()
            finally:
                store.close()
        return report

    def read_all(self, paths: list[str]) -> None:
        ing, report, store = self.ing, self.report, self.store
        chunk: list[Item] = []
        for item in iter_items(paths, max_bytes=ing.max_bytes, given=ing.given, web=self.web):
            report.seen += 1
            report.warnings.extend((item.source, w) for w in item.warnings)
            if item.error is not None:
                if ing.fail_fast:  # the articles before it are stored before the run stops
                    self.flush(chunk)
                    chunk = []
                self.record_failure(item, item.error)
                self.progress(item.pos)
                continue
            key = item.checked()[0]
            if key in self.queued or store.has_article(key):
                report.skipped += 1
                self.progress(item.pos)
                continue
            if store.has_failure(key):
                if not ing.retry_failed:
                    report.skipped_failed += 1
                    continue
                store.begin()
                store.con.execute("DELETE FROM failures WHERE key=?", (key,))
            self.queued.add(key)
            chunk.append(item)
            if len(chunk) >= ing.chunk:
                self.window.append((chunk, ing.submit(chunk)))
                chunk = []
                while len(self.window) >= self.max_inflight:
                    self.drain_one()
        self.flush(chunk)

    def flush(self, chunk: list[Item]) -> None:
        if chunk:
            self.window.append((chunk, self.ing.submit(chunk)))
        while self.window:
            self.drain_one()

    def drain_one(self) -> None:
        items, fut = self.window.popleft()
        t = time.perf_counter()
        results = self.ing.results(items, fut)
        t1 = time.perf_counter()
        self.write(items, results)
        self.report.wait_seconds += t1 - t
        self.report.store_seconds += time.perf_counter() - t1

    def record_failure(self, item: Item, reason: str) -> None:
        self.store.begin()
        if self.store.add_failure(item.failure_key, item.source, "read" if item.error else "extract", reason):
            self.report.failed += 1
            self.report.failures.append((item.source, reason))
        self.in_batch += 1
        if self.ing.fail_fast:
            raise _Stop()

    def write(self, items: list[Item], results: list[Article | str]) -> None:
        for it, r in zip(items, results, strict=False):
            self.queued.discard(it.key)
            if isinstance(r, Article):
                self.store_article(it, r)
            else:
                self.record_failure(it, r)
            if self.in_batch >= self.ing.commit_every:
                self.store.commit()
                self.in_batch = 0
            self.progress(it.pos)

    def store_article(self, it: Item, art: Article) -> None:
        store, report = self.store, self.report
        store.begin()
        art.title, art.authors = it.title or art.title, it.authors or art.authors  # given with the input
        meta = ItemMeta(key=it.checked()[0], source=it.source, given_id=it.given_id, url=it.url,
                        outlet=it.outlet, published=it.published, crawled=it.crawled)
        try:
            res = store.add_article(meta, art, store_doc=self.ing.store_docs)
        except Exception as e:  # noqa: BLE001 - undone alone (savepoint); recorded
            if is_full(e) or is_damaged(e) or not store.con.in_transaction:
                raise  # no room left, a damaged store (or the batch is lost): the run cannot go on
            log.error("cannot store %s (a bug)", it.source, exc_info=e)
            self.record_failure(it, f"cannot store (a bug in quotegraph, please report it): {type(e).__name__}: {e}")
            return
        if res.added:
            report.added += 1
            report.occurrences += res.occurrences
            report.new_quotes += res.new_quotes
            report.new_people += res.new_people
        else:
            report.skipped += 1
        self.in_batch += 1
        if self.ing.after_store is not None:
            self.ing.after_store(it)


def ingest(paths: Iterable[str], db: str = "quotegraph.db", **kw) -> IngestReport:
    """Add articles to the corpus at ``db`` (see ``Ingestor`` for the options)."""
    on_progress = kw.pop("on_progress", None)
    total_hint = kw.pop("total_hint", None)
    return Ingestor(db, **kw).run(paths, on_progress=on_progress, total_hint=total_hint)
