"""The process the web app extracts in (paste page, ``/api/extract``).

Extraction is CPU-bound Python: in the server's own process it would hold the interpreter lock
and slow every page while it runs. One worker process, started on the first paste, loads the
model once and extracts one article at a time, taking jobs over a pipe.

Its life is tied to the server *process*: it watches the server's pid (``init_worker``) instead
of relying on ``PR_SET_PDEATHSIG``, which fires when the *thread* that started the process
exits, and the server starts it from whichever worker thread is at hand (issue 21: an idle
thread retired after 10 s took the worker with it). The server kills it to stop a job (time
limit, client gone, shutdown) and starts another one for the next request."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace
from multiprocessing.connection import Connection

from ..corpus.ingest import init_worker
from ..models import Article

_extractor = None
_options = None  # the server's options (a request's overrides apply to one extraction)

NICENESS = 10
"""The worker's CPU priority below the server's: an extraction (seconds of CPU, a hostile one as long
as the time limit) yields the cores to the page reads, which take milliseconds (issue 21)."""


def start(options, parent_pid: int) -> None:
    """In the worker: die with the server, load the model."""
    global _extractor, _options
    init_worker(parent_pid=parent_pid, warm=False, deathsig=False)
    try:
        os.nice(NICENESS)
    except OSError:  # not permitted here: extract at the server's priority
        pass
    from ..pipeline import Extractor

    _extractor = Extractor(options)
    _options = _extractor.options
    try:
        _extractor.load()  # the model and the shipped model files now, so the first paste only waits once
    except Exception:  # reported by the first extraction, with its message
        pass


def extract(content: str, name: str, fmt: str | None, overrides: dict | None = None) -> Article:
    """Extract an article already read and checked by the server (``readers.read_string``);
    ``overrides``: options of this request (``acts``, ``min_confidence``) over the server's."""
    from ..read.readers import Source

    assert _extractor is not None and _options is not None, "extract_worker.start was not run in this process"
    _extractor.options = replace(_options, **overrides) if overrides else _options
    try:
        return _extractor.extract_source(Source(name=name, content=content, format=fmt or "text"))
    except Exception as e:  # noqa: BLE001 - sent back as text: exception types may not unpickle
        raise RuntimeError(f"{type(e).__name__}: {e}") from None


def main(conn: Connection, options, parent_pid: int) -> None:
    """The worker's loop: a job ``(content, name, format, overrides)`` in, ``("ok", Article)`` or
    ``("error", message)`` out, until the pipe closes."""
    start(options, parent_pid)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", extract(*job)))
        except RuntimeError as e:
            conn.send(("error", str(e)))


class WorkerGone(Exception):
    """The worker process ended (killed, out of memory, crashed) before it answered."""


class WorkerProcess:
    """The server's side of one worker process: started at once, one job at a time."""

    def __init__(self, options=None):
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(target=main, args=(child, options, os.getpid()), name="quotegraph-extract",
                                   daemon=True)
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, content: str, name: str, fmt: str | None, overrides: dict | None = None) -> Article:
        """Blocking (run it in a thread): the article; ``RuntimeError`` with the extraction's
        message; ``WorkerGone`` when the process ended first (``kill`` ends a call)."""
        try:
            self._conn.send((content, name, fmt, overrides))
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            raise WorkerGone(f"the extraction process (pid {self.pid}) stopped") from None
        if kind == "error":
            raise RuntimeError(value)
        return value

    def kill(self) -> None:
        """Stop the process now; a thread waiting in ``call`` gets ``WorkerGone``. (It is reaped
        by the next process start, or ``reap``.)"""
        try:
            self.process.kill()
        except (OSError, ValueError):  # already gone, or closed
            pass

    def reap(self, timeout: float = 5.0) -> None:
        self.kill()
        self.process.join(timeout)
