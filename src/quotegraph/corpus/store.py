"""The corpus store: SQLite (WAL) with FTS5 over quote texts.

One writer.  Every article goes in with all its quotes, occurrences and people in the same
transaction (``Store.transaction``), so a process killed at any point leaves either the whole
article or nothing of it; articles are keyed by the hash of their content, so running the same
ingest again adds nothing and a killed one picks up where it stopped.

Tables (``id`` columns are internal row ids; ``key`` columns are the stable identities):

- ``articles``: one row per distinct article content (``key`` = content hash).
- ``people``: speakers and addressees that are named: persons (``kind='person'``) keyed by the
  normalised full name, organisations by their normalised name; a surname or first name alone is
  linked to the person it most likely is, in its article or across the store, and re-linked when
  later articles make it clearer (``linking.py``: ``person_names``, ``person_links``,
  ``person_alternatives``).
- ``person_aliases``, ``person_roles`` (per article, so over time), ``person_articles``.
- ``quotes``: one row per statement, however many articles report it; ``text`` is its first
  occurrence.  ``occurrences``: one row per report of it in an article (outlet, date, speaker as
  attributed there, addressee, via chain) with ``speaker_variant``/``word_variant`` flags.
- ``forms``: the distinct wordings (token sequences) a quote was reported in, one row each however
  many outlets used it; ``quote_fts``: FTS5 over them (so a statement reprinted a thousand times
  is one search hit, found in one index row per wording).
- ``shingles``: word-shingle hashes of every wording, to find candidate matches.
- ``failures``: inputs that could not be read or extracted, with the reason.
- ``fetched``: what each URL fetched answered (pages, feeds, sitemaps), body zlib-compressed, with
  its ETag and Last-Modified: a re-run asks conditionally, a re-extraction reads the kept copy
  (``corpus/webpages.py``).  Schema 5 (created by ``SCHEMA`` in a store of any earlier version).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..models import Article
from . import textnorm as tn
from .article_people import ArticlePeople
from .linking import SCHEMA as PEOPLE_SCHEMA
from .linking import PeopleLinker, gender_conflicts
from .matching import QuoteMatcher
from .occurrences import add_occurrence
from .relinking import Relinker
from .storefile import SCHEMA_VERSION, UPGRADABLE, StoreError, UnknownSchema, identify, mark, open_for_writing, open_readonly

__all__ = ["SCHEMA_VERSION", "AddResult", "ItemMeta", "Store", "StoreError", "StoreFull", "Totals", "connect",
           "ensure_schema", "is_full", "snapshot"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  given_id TEXT, source TEXT, url TEXT, outlet TEXT, published TEXT, crawled TEXT,
  title TEXT, format TEXT, n_quotes INTEGER NOT NULL DEFAULT 0,
  doc BLOB, ingested_at TEXT);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE TABLE IF NOT EXISTS people(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL, kind TEXT NOT NULL,
  scope TEXT, first_article INTEGER, n_named INTEGER NOT NULL DEFAULT 0,
  n_male INTEGER NOT NULL DEFAULT 0, n_female INTEGER NOT NULL DEFAULT 0,
  gender TEXT NOT NULL DEFAULT 'unknown', gender_evidence TEXT);
CREATE INDEX IF NOT EXISTS people_name ON people(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS person_aliases(
  person_id INTEGER NOT NULL, alias TEXT NOT NULL, akey TEXT NOT NULL,
  PRIMARY KEY(person_id, alias)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_aliases_akey ON person_aliases(akey);
CREATE TABLE IF NOT EXISTS person_articles(
  person_id INTEGER NOT NULL, article_id INTEGER NOT NULL, entity TEXT NOT NULL, name TEXT,
  PRIMARY KEY(person_id, article_id, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS person_roles(
  person_id INTEGER NOT NULL, article_id INTEGER NOT NULL, role TEXT NOT NULL,
  PRIMARY KEY(person_id, article_id, role)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL, kind TEXT, tokens TEXT NOT NULL, exact INTEGER NOT NULL, nsh INTEGER NOT NULL DEFAULT 0,
  speaker_id INTEGER, speaker_name TEXT,
  first_article INTEGER NOT NULL,
  n_occurrences INTEGER NOT NULL DEFAULT 0,
  first_published TEXT, last_published TEXT,
  speaker_variants INTEGER NOT NULL DEFAULT 0, word_variants INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS quotes_exact ON quotes(exact);
CREATE TABLE IF NOT EXISTS occurrences(
  id INTEGER PRIMARY KEY,
  quote_id INTEGER NOT NULL, article_id INTEGER NOT NULL, qid TEXT NOT NULL,
  kind TEXT, text TEXT NOT NULL, start INTEGER, "end" INTEGER, tokens TEXT NOT NULL,
  speaker_text TEXT, speaker_name TEXT, speaker_kind TEXT, speaker_id INTEGER,
  addressee_text TEXT, addressee_id INTEGER, cue TEXT, via TEXT, source_class TEXT,
  nested_in TEXT, confidence REAL,
  act TEXT NOT NULL DEFAULT 'statement', factuality TEXT NOT NULL DEFAULT 'asserted',
  source_type TEXT, speaker_role TEXT, speaker_organization TEXT,
  outlet TEXT, published TEXT,
  containment REAL, speaker_variant INTEGER NOT NULL DEFAULT 0, word_variant INTEGER NOT NULL DEFAULT 0,
  UNIQUE(article_id, qid));
CREATE INDEX IF NOT EXISTS occ_quote ON occurrences(quote_id, article_id);
CREATE INDEX IF NOT EXISTS occ_speaker ON occurrences(speaker_id, published);
CREATE INDEX IF NOT EXISTS occ_addressee ON occurrences(addressee_id);
CREATE INDEX IF NOT EXISTS occ_outlet ON occurrences(outlet, published);
CREATE INDEX IF NOT EXISTS occ_published ON occurrences(published);
CREATE TABLE IF NOT EXISTS shingles(
  h INTEGER NOT NULL, quote_id INTEGER NOT NULL, PRIMARY KEY(h, quote_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forms(
  id INTEGER PRIMARY KEY, quote_id INTEGER NOT NULL, tokens TEXT NOT NULL, text TEXT NOT NULL,
  UNIQUE(quote_id, tokens));
CREATE VIRTUAL TABLE IF NOT EXISTS quote_fts USING fts5(
  text, content='forms', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS failures(
  key TEXT PRIMARY KEY, source TEXT, stage TEXT, reason TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS corrections(
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, op TEXT NOT NULL, args TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fetched(
  url TEXT PRIMARY KEY, final_url TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT,
  etag TEXT, last_modified TEXT, fetched_at TEXT NOT NULL, body BLOB NOT NULL);
"""


@dataclass
class ItemMeta:
    """What the ingest knows about an input besides its text."""

    key: str
    source: str
    given_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    crawled: str | None = None


@dataclass
class AddResult:
    added: bool = False
    occurrences: int = 0
    new_quotes: int = 0
    new_people: int = 0


@dataclass
class Totals:
    articles: int = 0
    quotes: int = 0
    occurrences: int = 0
    people: int = 0
    organizations: int = 0
    failures: int = 0
    extra: dict = field(default_factory=dict)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class StoreFull(RuntimeError):
    """The disk (or the database's size limit) is full: nothing more can be written."""


def is_full(e: BaseException) -> bool:
    """Whether an error from SQLite or the OS means that there is no room left to write."""
    import errno

    if isinstance(e, sqlite3.OperationalError) or isinstance(e, sqlite3.DatabaseError):
        code = getattr(e, "sqlite_errorcode", None)
        return code == getattr(sqlite3, "SQLITE_FULL", 13) or "disk is full" in str(e)
    return isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the store at ``path``: read-only (``storefile.open_readonly``: a store of
    this schema version only) or the writer's (``storefile.open_for_writing``: never another
    program's database)."""
    if readonly:
        return open_readonly(path)
    return open_for_writing(path)[0]


def ensure_schema(con: sqlite3.Connection, relinker: Relinker, path: str) -> None:
    """Create the tables of a new store, or bring a version 2, 3 or 4 store to version 5 in place
    (2 to 3: the people tables, ``Relinker.migrate_2_3``; 3 to 4: ``migrate_3_4``; 4 to 5:
    ``migrate_4_5``); refuse any
    other version.  The store gets its marker.  Run inside the writer's transaction, so a process
    killed on the way leaves the store as it was (SQLite's schema changes are transactional)."""
    version = identify(con, path)  # again, under the write lock: a new file may have become a store meanwhile
    if version not in (None, *UPGRADABLE, SCHEMA_VERSION):
        raise UnknownSchema(path, f"corpus schema {version}, this quotegraph writes {SCHEMA_VERSION}")
    mark(con)
    if version == "3":
        migrate_3_4(con)  # before the CREATE INDEX statements of SCHEMA, which may name the new columns
    if version in ("3", "4"):
        migrate_4_5(con)
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            con.execute(stmt)
    row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is not None and row[0] == "2":
        relinker.migrate_2_3(PEOPLE_SCHEMA)
        migrate_3_4(con)
        migrate_4_5(con)
    for stmt in PEOPLE_SCHEMA.split(";"):
        if stmt.strip():
            con.execute(stmt)
    if row is None:
        con.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
    elif row[0] != SCHEMA_VERSION:
        con.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION,))


# the columns version 4 adds to ``occurrences`` (issue 23's record fields), with the value rows
# stored before it get: the schema's defaults (``models.Quote``: a statement, asserted; no source type)
OCCURRENCE_COLUMNS_4 = (
    ("act", "TEXT NOT NULL DEFAULT 'statement'"), ("factuality", "TEXT NOT NULL DEFAULT 'asserted'"),
    ("source_type", "TEXT"), ("speaker_role", "TEXT"), ("speaker_organization", "TEXT"),
)


def migrate_3_4(con: sqlite3.Connection) -> None:
    """Occurrences get their act, factuality, source type, role and organisation (columns with
    defaults: SQLite adds them without rewriting a row, so the upgrade takes no longer on a large
    store).  Inside the caller's transaction."""
    have = {r[1] for r in con.execute("PRAGMA table_info(occurrences)")}
    for name, decl in OCCURRENCE_COLUMNS_4:
        if name not in have:
            con.execute(f"ALTER TABLE occurrences ADD COLUMN {name} {decl}")


# the columns version 5 adds to ``people`` (issue 25): the person's gender as the articles tell it
# ('female', 'male' or 'unknown') and its evidence ('pronoun', 'honorific', 'name', 'correction');
# the ``corrections`` table (a user's merges, splits, renames and genders, re-applied on every
# ingest) comes with ``SCHEMA``
PEOPLE_COLUMNS_5 = (("gender", "TEXT NOT NULL DEFAULT 'unknown'"), ("gender_evidence", "TEXT"))


def migrate_4_5(con: sqlite3.Connection) -> None:
    """People get their gender and its evidence (columns with defaults, added without rewriting a
    row); the tables new in 5 (``corrections``, ``fetched``) come with ``SCHEMA``.  Inside the
    caller's transaction."""
    have = {r[1] for r in con.execute("PRAGMA table_info(people)")}
    for name, decl in PEOPLE_COLUMNS_5:
        if name not in have:
            con.execute(f"ALTER TABLE people ADD COLUMN {name} {decl}")


class Store:
    """The single writer of a corpus database."""

    def __init__(self, path: str | Path = "quotegraph.db"):
        self.path = str(path)
        self.con = connect(self.path)
        self._in_tx = False
        self._sp = 0
        self.matcher = QuoteMatcher(self.con)  # finds the stored quote a new one repeats
        self.linker = PeopleLinker(self.con)
        self.relinker = Relinker(self.linker)  # moves short names as later articles make them clear
        self._people: ArticlePeople | None = None  # the people of the article being added
        self._init_schema()

    # -------------------------------------------------------------- setup and transactions

    def _init_schema(self) -> None:
        with self.transaction():
            ensure_schema(self.con, self.relinker, self.path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT; inside an open transaction, a savepoint (so a failing article
        is undone alone while the batch it is part of goes on)."""
        if self._in_tx:
            self._sp += 1
            name = f"sp{self._sp}"
            self.con.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                self.matcher.forget()
                if self.con.in_transaction:
                    self.con.execute(f"ROLLBACK TO {name}")
                    self.con.execute(f"RELEASE {name}")
                else:  # SQLite undid the whole transaction itself (a full disk, an I/O error)
                    self._in_tx = False
                raise
            finally:
                self._sp -= 1
            self.con.execute(f"RELEASE {name}")
            return
        self.con.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self._in_tx = False
            self.matcher.forget()
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")
            raise
        self._in_tx = False
        self.con.execute("COMMIT")

    def begin(self) -> None:
        if not self._in_tx:
            self.con.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self._in_tx = False
            self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.matcher.forget()
        if self._in_tx:
            self._in_tx = False
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.rollback()
        try:
            self.con.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -------------------------------------------------------------- lookups

    def has_article(self, key: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE key=?", (key,)).fetchone() is not None

    def has_failure(self, key: str) -> bool:
        return self.con.execute("SELECT 1 FROM failures WHERE key=?", (key,)).fetchone() is not None

    def totals(self) -> Totals:
        c = self.con
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return Totals(
            articles=one("SELECT count(*) FROM articles"),
            quotes=one("SELECT count(*) FROM quotes"),
            occurrences=one("SELECT count(*) FROM occurrences"),
            people=one("SELECT count(*) FROM people WHERE kind='person'"),
            organizations=one("SELECT count(*) FROM people WHERE kind!='person'"),
            failures=one("SELECT count(*) FROM failures"),
            extra={"gender_conflicts": len(gender_conflicts(c, limit=-1))},
        )

    # -------------------------------------------------------------- writing

    def add_failure(self, key: str, source: str, stage: str, reason: str) -> bool:
        """Record a failed input (once: the first reason is kept). True if it is new."""
        with self.transaction():
            cur = self.con.execute(
                "INSERT OR IGNORE INTO failures(key, source, stage, reason, at) VALUES(?,?,?,?,?)",
                (key, source, stage, reason, _now()),
            )
            return cur.rowcount > 0

    def add_article(self, meta: ItemMeta, article: Article, *, store_doc: bool = True) -> AddResult:
        """Add an article with its quotes and people, in one transaction (or the open one)."""
        res = AddResult()
        with self.transaction():
            c = self.con
            if c.execute("SELECT 1 FROM articles WHERE key=?", (meta.key,)).fetchone():
                return res
            outlet = meta.outlet or article.publisher or tn.outlet_from_url(meta.url or article.url)
            published = tn.norm_date(meta.published) or tn.norm_date(article.date)
            doc = zlib.compress(article.model_dump_json(exclude_none=True).encode("utf-8"), 3) if store_doc else None
            cur = c.execute(
                "INSERT INTO articles(key, given_id, source, url, outlet, published, crawled, title, format,"
                " n_quotes, doc, ingested_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                (meta.key, meta.given_id, meta.source, meta.url or article.url, outlet, published,
                 tn.norm_date(meta.crawled), article.title, article.format, len(article.quotes), doc, _now()),
            )
            aid = cur.lastrowid
            assert aid is not None  # the INSERT just made sets it
            c.execute("DELETE FROM failures WHERE key=?", (meta.key,))
            res.added = True
            ent_person = self._link_people(article, aid, meta.key, res)
            people = self._people
            assert people is not None  # _link_people has just set it
            date = published or tn.norm_date(meta.crawled)
            # Whole statements before the fragments reported inside them (a nested or shorter quote
            # may only join a statement that this article does not already report).
            order = sorted(article.quotes, key=lambda q: (q.nested_in is not None, -(q.span[1] - q.span[0])))
            for q in order:
                add_occurrence(self.con, self.matcher, people, q, aid, meta.key, outlet, date, ent_person, res)
        return res

    # people (corpus/linking.py, relinking.py, article_people.py) ----------------------------------------------

    def _link_people(self, article: Article, aid: int, akey: str, res: AddResult) -> dict[str, int]:
        """The stored person of each entity of the article (linked and re-linked: ``ArticlePeople``)."""
        self._people = ArticlePeople(self.linker, self.relinker, aid)
        ent_person = self._people.link(article)
        res.new_people += self._people.new_people
        return ent_person


def snapshot(path: str | Path) -> dict[str, frozenset]:
    """The logical content of a store, independent of row ids and insertion order (for tests)."""
    con = connect(path, readonly=True)
    try:
        q = lambda sql: frozenset(tuple(r) for r in con.execute(sql))  # noqa: E731
        people = {}
        for pid, key, name, kind, scope, n_named, n_male, n_female in con.execute(
                "SELECT id, key, name, kind, scope, n_named, n_male, n_female FROM people"):
            aliases = frozenset(a for (a,) in con.execute("SELECT alias FROM person_aliases WHERE person_id=?", (pid,)))
            roles = frozenset(con.execute(
                "SELECT a.key, r.role FROM person_roles r JOIN articles a ON a.id=r.article_id WHERE r.person_id=?",
                (pid,)).fetchall())
            arts = frozenset(k for (k,) in con.execute(
                "SELECT a.key FROM person_articles pa JOIN articles a ON a.id=pa.article_id WHERE pa.person_id=?",
                (pid,)))
            people[key] = (key, name, kind, scope, n_named, aliases, roles, arts, n_male, n_female)
        return {
            "articles": q("SELECT key, given_id, source, url, outlet, published, crawled, title, format, n_quotes"
                          " FROM articles"),
            "quotes": q("SELECT q.key, q.text, q.kind, q.n_occurrences, q.first_published, q.last_published,"
                        " q.speaker_variants, q.word_variants, p.key, a.key FROM quotes q"
                        " LEFT JOIN people p ON p.id=q.speaker_id JOIN articles a ON a.id=q.first_article"),
            "occurrences": q("SELECT a.key, o.qid, q.key, o.text, o.kind, o.speaker_text, o.speaker_name, p.key,"
                             " o.addressee_text, o.via, o.source_class, o.outlet, o.published, o.containment,"
                             " o.speaker_variant, o.word_variant, o.act, o.factuality, o.source_type, o.speaker_role,"
                             " o.speaker_organization, o.confidence FROM occurrences o"
                             " JOIN articles a ON a.id=o.article_id JOIN quotes q ON q.id=o.quote_id"
                             " LEFT JOIN people p ON p.id=o.speaker_id"),
            "people": frozenset(people.values()),
            "person_links": q("SELECT a.key, l.entity, l.written, l.token, p.key, l.confidence, l.method"
                              " FROM person_links l JOIN articles a ON a.id=l.article_id"
                              " LEFT JOIN people p ON p.id=l.person_id"),
            "person_link_genders": q("SELECT a.key, l.entity, l.gender FROM person_links l"
                                     " JOIN articles a ON a.id=l.article_id WHERE l.gender IS NOT NULL"),
            "person_mentions": q("SELECT a.key, m.qid, m.role, m.entity FROM person_mentions m"
                                 " JOIN articles a ON a.id=m.article_id"),
            "person_alternatives": q("SELECT a.key, l.entity, p.key, l.confidence FROM person_alternatives l"
                                     " JOIN articles a ON a.id=l.article_id LEFT JOIN people p ON p.id=l.person_id"),
            "shingles": q("SELECT s.h, q.key FROM shingles s JOIN quotes q ON q.id=s.quote_id"),
            "forms": q("SELECT q.key, f.tokens, f.text FROM forms f JOIN quotes q ON q.id=f.quote_id"),
            "failures": q("SELECT key, source, stage, reason FROM failures"),
        }
    finally:
        con.close()
