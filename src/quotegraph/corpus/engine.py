"""Where an ingest's extraction runs: this machine's processes, or a Dask cluster.

Both engines run the same pure function over a partition of articles, ``ingest.extract_chunk``,
and both feed the one writer of ``ingest.Ingestor``, which stores results in input order (so the
store is the same whichever engine made it, and an ingest killed and run again ends where an
uninterrupted one does).

- ``local`` (the default): ``Ingestor``'s own pool of ``--jobs`` processes.
- ``dask``: a ``distributed.Client`` on a ``LocalCluster`` of ``--workers`` processes, or on the
  scheduler at ``--scheduler ADDRESS``.  A worker plugin loads the model once per worker; the
  input is read here and streamed out in partitions (a bounded number in flight, never the whole
  corpus in memory); each worker writes its partition's articles, quotes, occurrences and people
  as Parquet files (``corpus/parquet.py``) under ``--parts`` (a folder, or an fsspec URL every
  worker can write), and the writer here merges each partition's articles into the store as it
  comes back.  See docs/dask.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import TYPE_CHECKING

from ..models import Article
from . import parquet
from .ingest import EXTRACTOR_SPEC, Ingestor, extract_chunk, get_extractor
from .sources import Item

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

ENGINES = ("local", "dask")

# Dask starts its worker processes with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc hand freed
# memory back to the system at once; spaCy allocates and frees many mid-sized arrays per
# sentence, and measured here that costs 20-25% more CPU per article (page faults and madvise in
# system time).  The local cluster's workers keep glibc's default (a value already in the
# environment still wins); the BLAS thread limits of one per worker stay.  docs/dask.md says how
# to do the same on a real cluster.  The workers' sampling profiler (a thread walking the task's
# stack every 10 ms) only feeds the dashboard, which the local cluster does not start: off too
# (threads other than the task's took about 12% of a worker's CPU here).
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                       "distributed.worker.profile.enabled": False}


def _meta(it: Item) -> dict:
    return {"key": it.key, "source": it.source, "given_id": it.given_id, "url": it.url, "outlet": it.outlet,
            "published": it.published, "crawled": it.crawled}


def extract_partition(items: list[dict], texts: list[str], root: str, name: str, spec: str = EXTRACTOR_SPEC) -> str:
    """The Dask task: extract one partition (``extract_chunk``) and write it as Parquet under
    ``root``; returns its name.  Runs on a worker, whose extractor the plugin has loaded."""
    results = extract_chunk([(t, it["source"]) for t, it in zip(texts, items, strict=False)], spec)
    parquet.write_partition(root, name, parquet.extraction_rows(items, results))
    return name


try:  # the plugin must be a WorkerPlugin for Dask to run it; without Dask installed, a plain class
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover
    _PluginBase = object  # type: ignore[assignment,misc]  # a stand-in for the WorkerPlugin class


class ModelPlugin(_PluginBase):
    """Loads the extractor (and its spaCy model) once per worker, when the worker starts."""

    name = "quotegraph-model"

    def __init__(self, spec: str = EXTRACTOR_SPEC):
        self.spec = spec

    def setup(self, worker) -> None:
        try:
            ex = get_extractor(self.spec)
            if hasattr(ex, "load"):
                ex.load()  # the spaCy pipeline and the shipped models, now
            elif hasattr(ex, "nlp"):
                ex.nlp  # noqa: B018
        except Exception:  # noqa: BLE001 - the first task reports it (ExtractorUnavailable), with its reason
            pass


class _Partition:
    """A submitted partition: ``result()`` waits for its task and reads its extractions back."""

    def __init__(self, future, root: str, name: str, keys: list[str]):
        self.future, self.root, self.name, self.keys = future, root, name, keys

    def result(self) -> list[Article | str]:
        self.future.result()
        self.future.release()
        by_key = parquet.read_results(self.root, self.name)
        return [by_key[k] for k in self.keys]


class DaskEngine:
    """Extraction on a Dask cluster: a LocalCluster of ``workers`` processes by default, or the
    scheduler at ``scheduler``.  Partition files go to ``parts`` (cleared of an earlier run's)."""

    def __init__(self, parts: str, *, workers: int | None = None, scheduler: str | None = None,
                 processes: bool = True, spec: str = EXTRACTOR_SPEC):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("--engine dask needs Dask: pip install 'quotegraph[dask]'") from None
        parquet.require_pyarrow()
        self.parts, self.spec = parts, spec
        self.cluster: LocalCluster | None = None
        self.client: Client | None
        if scheduler:
            client = Client(scheduler)
        else:
            import dask

            n = workers or os.cpu_count() or 1
            with dask.config.set(LOCAL_WORKER_CONFIG):
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                                            dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(self.cluster)
        self.client = client
        client.register_plugin(ModelPlugin(spec), name=ModelPlugin.name)
        self.workers = max(1, len(client.nthreads()))
        parquet.clear(parts)
        self.seq = 0

    @property
    def max_inflight(self) -> int:
        return 4 * self.workers

    def submit(self, items: list[Item]) -> _Partition:
        keys: list[str] = []
        for it in items:
            assert it.key is not None, it.source  # an item read without error has its content key
            keys.append(it.key)
        digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:12]
        name = f"part-{self.seq:06d}-{digest}"
        self.seq += 1
        assert self.client is not None, "the Dask engine is closed"
        fut = self.client.submit(extract_partition, [_meta(it) for it in items], [it.text for it in items],
                                 self.parts, name, self.spec, key=f"quotegraph-{name}", pure=False)
        return _Partition(fut, self.parts, name, keys)

    def close(self) -> None:
        if self.client is None:
            return
        try:
            self.client.close()
        finally:
            self.client = None
            if self.cluster is not None:
                self.cluster.close()
                self.cluster = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def default_parts(db: str) -> str:
    return f"{db}.parts"


def ingestor(db: str, engine: str = "local", **kw) -> tuple[Ingestor, DaskEngine | None]:
    """An ``Ingestor`` on the engine named (``local`` or ``dask``) and the engine to close after.
    Dask options: ``workers``, ``scheduler``, ``parts`` (default: ``DB.parts``), ``processes``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    dask_kw = {k: kw.pop(k) for k in ("workers", "scheduler", "parts", "processes") if k in kw}
    if engine == "local":
        return Ingestor(db, **kw), None
    kw.pop("jobs", None)  # the workers are the cluster's
    eng = DaskEngine(dask_kw.pop("parts", None) or default_parts(db), spec=kw.get("extractor", EXTRACTOR_SPEC), **dask_kw)
    return Ingestor(db, engine=eng, jobs=eng.workers, **kw), eng
