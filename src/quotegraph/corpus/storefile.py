"""The file of a corpus store: opening it for reading (read-only, and on a read-only medium) or
for writing, recognising it, telling a damaged store from another program's database, and the
health check of ``quotegraph check``.

A store carries its own marker: ``PRAGMA application_id`` = ``APPLICATION_ID`` (set when it is
created or first written by this version), and the ``meta`` row ``schema``.  A store made before
the marker is recognised by its ``meta`` row and its own tables.  Nothing is ever written to a
file that is neither a store nor an empty database, and a store is only read at the schema
version this quotegraph knows.

Every refusal is a ``StoreError`` whose message is one line that names the store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

SCHEMA_VERSION = "5"
UPGRADABLE = ("2", "3", "4")  # versions the writer brings to SCHEMA_VERSION in place (``store.ensure_schema``)
APPLICATION_ID = 0x51475254  # "QGRT" in the database header (offset 68)

# the tables that make a database created before the marker a quotegraph store
STORE_TABLES = frozenset({"meta", "articles", "quotes", "occurrences"})

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14


class StoreError(RuntimeError):
    """A store that cannot be used as asked (the message names it and says why, in one line)."""

    def __init__(self, path: str | Path, reason: str, detail: str = ""):
        self.path, self.reason = str(path), reason
        self.detail = detail or reason  # SQLite's own words, when it gave some
        super().__init__(f"{path}: {reason}")


class DamagedStore(StoreError):
    """SQLite finds the file malformed: pages overwritten, truncated, not a database at all."""


class NotAStore(StoreError):
    """A database that is not a quotegraph store (another program's, or empty when read)."""


class UnknownSchema(StoreError):
    """A store of a schema version this quotegraph does not read."""


class StoreConnection(sqlite3.Connection):
    """A connection that knows how its store was opened (``opened``)."""

    opened = "read-write"


def _code(e: BaseException) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damaged(e: BaseException) -> bool:
    """Whether an error from SQLite means that the file is malformed or not a database."""
    if not isinstance(e, sqlite3.DatabaseError):
        return False
    msg = str(e)
    return _code(e) in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in msg or "not a database" in msg


def explain(path: str | Path, e: BaseException, doing: str = "read the store") -> StoreError:
    """The ``StoreError`` that says what an error met while using the store at ``path`` means."""
    if isinstance(e, StoreError):
        return e
    msg = " ".join(str(e).split())
    if is_damaged(e):
        if _code(e) == _SQLITE_NOTADB or "not a database" in msg:
            return DamagedStore(path, f"cannot open the corpus: not a SQLite database, or a store whose first page is "
                                      f"damaged ({msg})", msg)
        return DamagedStore(path, f"the store is damaged ({msg}); `quotegraph check --db {path}` tells more", msg)
    return StoreError(path, f"cannot {doing} ({type(e).__name__}: {msg})", msg)


def _uri(path: str, **params: str) -> str:
    """A SQLite URI for ``path`` (any character of the name escaped: ``?``, ``#``, ``%``)."""
    p = str(Path(path).absolute())
    return "file:" + quote(p, safe="/") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _cannot_share(e: sqlite3.Error) -> bool:
    """Whether a read-only open failed only because the shared-memory index (``-shm``) cannot be
    created or written: a read-only folder or medium."""
    return isinstance(e, sqlite3.OperationalError) and _code(e) in (_SQLITE_READONLY, _SQLITE_CANTOPEN)


_Con = TypeVar("_Con", bound=sqlite3.Connection)


def _tune(con: _Con) -> _Con:
    con.execute("PRAGMA busy_timeout=30000")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA cache_size=-65536")
    return con


def _probe(con: sqlite3.Connection) -> None:
    """The first read: it opens the WAL index and checks the header."""
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()


def open_readonly(path: str | Path, *, check: bool = True) -> StoreConnection:
    """A read-only connection to the store at ``path``.

    On a read-only folder or medium (no ``-wal``/``-shm`` beside it, none can be created) the file
    is opened immutable.  ``check``: refuse anything but a store of ``SCHEMA_VERSION``
    (``NotAStore``, ``UnknownSchema``); damage met on the way is a ``DamagedStore``."""
    p = str(path)
    if not Path(p).exists():
        raise FileNotFoundError(f"{p}: no such corpus (run `quotegraph ingest ... --db {p}` first)")
    con = _connect_ro(_uri(p, mode="ro"), "read-only")
    try:
        try:
            _probe(con)
        except sqlite3.OperationalError as e:
            if not _cannot_share(e):
                raise
            con.close()
            con = _open_immutable(p, e)
        if check:
            version = identify(con, p)
            if version is None:
                raise NotAStore(p, "an empty database, not a quotegraph store (run `quotegraph ingest` to fill it)")
            if version != SCHEMA_VERSION:
                raise UnknownSchema(p, f"corpus schema {version}; this quotegraph reads schema {SCHEMA_VERSION}"
                                       + (f" (run `quotegraph upgrade --db {p}` once to upgrade it in place)"
                                          if version in UPGRADABLE else ""))
    except (sqlite3.Error, StoreError) as e:
        con.close()
        raise explain(p, e) from None
    return _tune(con)


def _connect_ro(uri: str, opened: str) -> StoreConnection:
    con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, factory=StoreConnection)
    con.opened = opened
    return con


def _open_immutable(p: str, cause: sqlite3.Error) -> StoreConnection:
    """The store opened as an immutable file, when its folder cannot take a ``-shm`` file.  Not
    when a ``-wal`` file holds changes: reading the main file alone would miss them."""
    wal = Path(p + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(p, f"cannot be read here ({cause}): its write-ahead log {wal.name} holds changes that "
                            "need a writable folder; copy the store with its -wal file to one, or give this "
                            "user write access to its folder")
    con = _connect_ro(_uri(p, immutable="1"), "immutable (read-only folder or medium)")
    _probe(con)
    return con


def identify(con: sqlite3.Connection, path: str) -> str | None:
    """The schema version of the store on ``con``; None for an empty database.  Raises
    ``NotAStore`` for a database of another program (only reads)."""
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app_id == APPLICATION_ID or (app_id == 0 and STORE_TABLES <= tables):
        row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone() if "meta" in tables else None
        if row is None:
            raise DamagedStore(path, "a quotegraph store without its schema version (meta table); "
                                     f"`quotegraph check --db {path}` tells more")
        return str(row[0])
    if app_id == 0 and not tables:
        return None
    if app_id != 0:
        raise NotAStore(path, f"not a quotegraph store (a SQLite database of another program: application id {app_id:#x})")
    shown = ", ".join(sorted(tables)[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
    raise NotAStore(path, f"not a quotegraph store (a SQLite database with the tables {shown}); "
                          "refusing to read or write it")


def open_for_writing(path: str | Path) -> tuple[sqlite3.Connection, str | None]:
    """A connection of the writer and the schema version found (None: a new or empty file).

    The file is identified before anything is written: a database of another program, a damaged
    one or a file that is no database is refused (``StoreError``) and left exactly as it was."""
    p = str(path)
    con = sqlite3.connect(p, isolation_level=None, check_same_thread=False)
    try:
        con.execute("PRAGMA busy_timeout=30000")
        version = identify(con, p)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across process crashes
    except (sqlite3.Error, StoreError) as e:
        con.close()
        raise explain(p, e, "open the store for writing") from None
    return _tune(con), version


def mark(con: sqlite3.Connection) -> None:
    """Give a store its marker (inside the writer's transaction)."""
    if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        con.execute(f"PRAGMA application_id={APPLICATION_ID}")


# the counts ``quotegraph check`` reports, each one query
COUNTS = {
    "articles": "SELECT count(*) FROM articles",
    "quotes": "SELECT count(*) FROM quotes",
    "occurrences": "SELECT count(*) FROM occurrences",
    "people": "SELECT count(*) FROM people WHERE kind='person'",
    "organizations": "SELECT count(*) FROM people WHERE kind!='person'",
    "wordings": "SELECT count(*) FROM forms",
    "failures": "SELECT count(*) FROM failures",
}


def check(path: str | Path, *, quick: bool = False, max_errors: int = 20) -> dict:
    """The health of the store at ``path``: how it opened, its marker and schema version, SQLite's
    integrity check (``quick``: ``quick_check``, which skips matching indexes to their tables), the
    counts, and whether the full-text index has a row for every wording.

    ``status``: ``ok``; ``damaged`` (the file is malformed); ``refused`` (not a store, an unknown
    schema version, missing).  ``problems``: one line each."""
    p = str(path)
    out: dict = {"store": p, "status": "ok", "opened": None, "marker": None, "schema": None,
                 "integrity": None, "counts": {}, "problems": []}
    try:
        con = open_readonly(p, check=False)
    except (FileNotFoundError, StoreError) as e:
        return _failed(out, e)
    try:
        out["opened"] = con.opened
        try:
            out["schema"] = identify(con, p)
            out["marker"] = ("application_id" if con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
                             else "meta table (a store made before the marker)")
        except (StoreError, sqlite3.Error) as e:
            return _failed(out, explain(p, e))
        if out["schema"] != SCHEMA_VERSION:
            return _failed(out, UnknownSchema(p, f"corpus schema {out['schema']}; this quotegraph reads schema "
                                                 f"{SCHEMA_VERSION}"))
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = [" ".join(str(r[0]).split()) for r in con.execute(f"PRAGMA {pragma}({int(max_errors)})")]
        except sqlite3.DatabaseError as e:
            rows = [" ".join(str(e).split())]
        out["integrity"] = "ok" if rows == ["ok"] else rows
        if rows != ["ok"]:
            out["problems"] += [f"{pragma}: {r}" for r in rows]
        _count(con, out)
    finally:
        con.close()
    if out["problems"]:
        out["status"] = "damaged"
    return out


def _count(con: sqlite3.Connection, out: dict) -> None:
    for name, sql in COUNTS.items():
        try:
            out["counts"][name] = con.execute(sql).fetchone()[0]
        except sqlite3.DatabaseError as e:
            out["counts"][name] = None
            out["problems"].append(f"counting {name}: {' '.join(str(e).split())}")
    try:
        indexed = con.execute("SELECT count(*) FROM quote_fts_docsize").fetchone()[0]
    except sqlite3.DatabaseError as e:
        out["problems"].append(f"the full-text index: {' '.join(str(e).split())}")
        return
    if out["counts"].get("wordings") is not None and indexed != out["counts"]["wordings"]:
        out["problems"].append(f"the full-text index holds {indexed} wordings, the store {out['counts']['wordings']}")


def _failed(out: dict, e: BaseException) -> dict:
    out["status"] = "damaged" if isinstance(e, DamagedStore) else "refused"
    out["problems"].append(str(e))
    return out
