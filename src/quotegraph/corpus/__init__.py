"""The corpus: many articles in one store, people and quotes linked across them.

- ``ingest(paths, db)`` / ``Ingestor``: read → extract (worker processes) → store (one writer).
- ``Store``: the SQLite (WAL, FTS5) store; ``snapshot(db)`` its logical content.
- ``Corpus(db)``: read-only queries (search, person, sources, export) for the CLI and the web app.
"""

from .ingest import Ingestor, IngestReport, ingest
from .query import AmbiguousName
from .reader import Corpus
from .store import Store, snapshot

__all__ = ["AmbiguousName", "Corpus", "IngestReport", "Ingestor", "Store", "ingest", "snapshot"]
