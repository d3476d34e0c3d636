"""The process the web app extracts in (paste page, ``/api/extract``).

Extraction is CPU-bound Python: in the server's own process it would hold the interpreter lock
and slow every page while it runs. One worker process, started on the first paste, loads the
model once and extracts one article at a time; it dies with the server (``init_worker``)."""

from __future__ import annotations

from typing import Optional

from ..corpus.ingest import init_worker
from ..models import Article

_extractor = None


def start(options, parent_pid: int) -> None:
    """Process-pool initializer: die with the server, load the model."""
    global _extractor
    init_worker(parent_pid=parent_pid, warm=False)
    from ..pipeline import Extractor

    _extractor = Extractor(options)
    try:
        _extractor.load()  # the model and the shipped model files now, so the first paste only waits once
    except Exception:  # reported by the first extraction, with its message
        pass


def extract(content: str, name: str, fmt: Optional[str]) -> Article:
    """Extract an article already read and checked by the server (``readers.read_string``)."""
    from ..read.readers import Source

    assert _extractor is not None, "extract_worker.start was not run in this process"
    try:
        return _extractor.extract_source(Source(name=name, content=content, format=fmt or "text"))
    except Exception as e:  # noqa: BLE001 - sent back as text: exception types may not unpickle
        raise RuntimeError(f"{type(e).__name__}: {e}") from None

