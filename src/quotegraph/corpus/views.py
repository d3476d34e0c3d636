"""Read-only views of a corpus store for the web app: listings with offsets and totals, what an
article page links to, a person's quotes page by page and over time, second-hand sourcing.

    from quotegraph.corpus import Corpus
    from quotegraph.corpus.views import Views
    with Corpus("quotegraph.db") as c:
        v = Views(c)
        page = v.articles(limit=20, offset=40)       # {"items": [...], "total": N}

Everything here only reads (the store is opened read-only by ``Corpus``); every value taken from
a request is bound as a parameter, never pasted into the SQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .filtering import QuoteFilter
from .query import occurrence_row
from .reader import Corpus

# Smaller than the writer's page cache: a web server holds several read connections at once.
WEB_CACHE_KIB = 16384

_ARTICLE_COLS = ("key", "given_id", "source", "url", "outlet", "published", "crawled", "title", "format", "n_quotes")

_OCC = (
    "SELECT o.*, a.key AS akey, a.source, a.url, a.title, q.key AS quote_key, q.n_occurrences,"
    " (q.key = a.key || ':' || o.qid) AS is_first, sp.gender AS speaker_gender"
    " FROM occurrences o JOIN articles a ON a.id=o.article_id JOIN quotes q ON q.id=o.quote_id"
    " LEFT JOIN people sp ON sp.id=o.speaker_id"
)


def occurrence(r: sqlite3.Row) -> dict[str, Any]:
    """One occurrence row as the JSON-ready dict ``Corpus.search``/``person`` give, with its quote."""
    return occurrence_row(r, with_quote=True)


class Views:
    """Queries the web pages need beyond ``Corpus``'s, on the same read-only connection."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.con = corpus.con

    def tune(self) -> None:
        """A page cache sized for one of several connections of a server."""
        self.con.execute(f"PRAGMA cache_size=-{WEB_CACHE_KIB}")

    def begin(self) -> None:
        """Start a read transaction: every query until ``end`` sees the same snapshot (WAL), however
        much an ingest commits meanwhile."""
        if not self.con.in_transaction:
            self.con.execute("BEGIN")

    def end(self) -> None:
        if self.con.in_transaction:
            self.con.execute("COMMIT")

    # ------------------------------------------------------------------ articles

    def articles(self, limit: int = 20, offset: int = 0, outlet: str | None = None) -> dict:
        """Stored articles, newest first (by publication date, then order of ingest)."""
        where, args = ("WHERE outlet = ?", [outlet]) if outlet else ("", [])
        total = self.con.execute(f"SELECT count(*) FROM articles {where}", args).fetchone()[0]
        rows = self.con.execute(
            f"SELECT {', '.join(_ARTICLE_COLS)} FROM articles {where}"
            " ORDER BY published IS NULL, published DESC, id DESC LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return {"items": [dict(r) for r in rows], "total": total}

    def article_meta(self, key: str) -> dict | None:
        """What the store knows about an article besides its extraction (None if not stored)."""
        r = self.con.execute(f"SELECT {', '.join(_ARTICLE_COLS)} FROM articles WHERE key=? OR given_id=?"
                             " ORDER BY key=? DESC LIMIT 1", (key, key, key)).fetchone()
        return dict(r) if r else None

    def article_links(self, key: str) -> dict[str, dict[str, int]]:
        """For an article's page: each quote's corpus quote id and speaker's person id (by the
        article's quote id), and each entity's person id (by entity id)."""
        row = self.con.execute("SELECT id FROM articles WHERE key=?", (key,)).fetchone()
        if row is None:
            return {"quotes": {}, "speakers": {}, "addressees": {}, "entities": {}}
        aid = row[0]
        quotes, speakers, addressees = {}, {}, {}
        for qid, quote_id, sp, ad in self.con.execute(
                "SELECT qid, quote_id, speaker_id, addressee_id FROM occurrences WHERE article_id=?", (aid,)):
            quotes[qid] = quote_id
            if sp is not None:
                speakers[qid] = sp
            if ad is not None:
                addressees[qid] = ad
        entities = {e: p for p, e in self.con.execute(
            "SELECT person_id, entity FROM person_articles WHERE article_id=? AND entity != ''", (aid,))}
        return {"quotes": quotes, "speakers": speakers, "addressees": addressees, "entities": entities}

    # ------------------------------------------------------------------ quotes

    def quotes_total(self, acts: str = "all", min_confidence: float | None = None) -> int:
        """Quotes with an occurrence that the acts shown and the lowest confidence let through
        (``filtering.QuoteFilter``, as a search asks them)."""
        where, args, _ = QuoteFilter(acts=acts, min_confidence=min_confidence).conditions(self.con)
        if not where:
            return self.con.execute("SELECT count(*) FROM quotes").fetchone()[0]
        return self.con.execute("SELECT count(DISTINCT o.quote_id) FROM occurrences o WHERE " + " AND ".join(where),
                                args).fetchone()[0]

    def occurrences(self, quote_id: int, limit: int = 50, offset: int = 0) -> list[dict]:
        """A quote's occurrences, first reported first."""
        rows = self.con.execute(
            _OCC + " WHERE o.quote_id=? ORDER BY o.published IS NULL, o.published, o.id LIMIT ? OFFSET ?",
            (quote_id, limit, offset)).fetchall()
        return [occurrence(r) for r in rows]

    def first_occurrence(self, quote_id: int) -> dict | None:
        """The first report of a quote: the earliest dated (the first stored when none is dated)."""
        r = self.con.execute(_OCC + " WHERE o.quote_id=? ORDER BY o.published IS NULL, o.published, o.id LIMIT 1",
                             (quote_id,)).fetchone()
        return occurrence(r) if r else None

    # ------------------------------------------------------------------ people

    def people(self, name: str = "", limit: int = 50, offset: int = 0) -> dict:
        """People and organisations, most quoted first; ``name`` narrows to names and aliases
        containing it (case-insensitive)."""
        args: list[Any] = []
        where = ""
        if name.strip():
            like = "%" + name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where = (" WHERE (p.name LIKE ? ESCAPE '\\' OR p.id IN"
                     " (SELECT person_id FROM person_aliases WHERE alias LIKE ? ESCAPE '\\'))")
            args = [like, like]
        total = self.con.execute("SELECT count(*) FROM people p" + where, args).fetchone()[0]
        rows = self.con.execute(
            "SELECT p.id, p.name, p.kind, p.scope AS local_to_article, p.gender, p.gender_evidence,"
            " (SELECT count(*) FROM occurrences o WHERE o.speaker_id=p.id) AS quotes,"
            " (SELECT count(DISTINCT article_id) FROM person_articles pa WHERE pa.person_id=p.id) AS articles"
            " FROM people p" + where + " ORDER BY quotes DESC, p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?",
            [*args, limit, offset]).fetchall()
        return {"items": [dict(r) for r in rows], "total": total}

    def said(self, person_id: int, limit: int = 50, offset: int = 0, where: QuoteFilter | None = None) -> list[dict]:
        """What a person said, in time order (undated last); ``where``: only what passes that filter."""
        cond, args = self._passing(where)
        rows = self.con.execute(
            _OCC + " WHERE o.speaker_id=?" + cond + " ORDER BY o.published IS NULL, o.published, a.id, o.start"
            " LIMIT ? OFFSET ?", (person_id, *args, limit, offset)).fetchall()
        return [occurrence(r) for r in rows]

    def said_total(self, person_id: int, where: QuoteFilter | None = None) -> int:
        """How many records of a person pass ``where``."""
        cond, args = self._passing(where)
        return self.con.execute("SELECT count(*) FROM occurrences o WHERE o.speaker_id=?" + cond,
                                (person_id, *args)).fetchone()[0]

    def _passing(self, where: QuoteFilter | None) -> tuple[str, list[Any]]:
        conds, args, _ = where.conditions(self.con) if where is not None else ([], [], [])
        return "".join(f" AND {c}" for c in conds), args

    def timeline(self, person_id: int) -> list[tuple[str, int]]:
        """(YYYY-MM, quotes) for every month a person was quoted in (dated occurrences only)."""
        return [(m, n) for m, n in self.con.execute(
            "SELECT substr(published, 1, 7) AS m, count(*) FROM occurrences WHERE speaker_id=? AND published IS NOT NULL"
            " GROUP BY m ORDER BY m", (person_id,))]

    # ------------------------------------------------------------------ outlets

    def second_hand(self) -> dict[str | None, int]:
        """Per outlet: occurrences reported through another source (a non-empty via chain)."""
        return {(o or None): n for o, n in self.con.execute(
            "SELECT coalesce(outlet, ''), count(*) FROM occurrences WHERE via IS NOT NULL AND via != '[]' GROUP BY 1")}
