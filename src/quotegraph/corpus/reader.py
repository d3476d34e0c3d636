"""``Corpus``: a corpus store opened for reading, the Python API the CLI and the web app use.

    from quotegraph.corpus import Corpus
    with Corpus("quotegraph.db") as c:
        hits = c.search("take away children", speaker="Sessions", since="2018-01-01")
        who = c.person("Jeff Sessions")
        per_outlet = c.sources()
        c.export("jsonl", "quotes.jsonl")

Every method returns plain JSON-ready dicts and lists; the queries themselves live in
``persons`` (people), ``quotes`` (search, one quote) and ``exporting`` (writing it all out).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from ..models import Article
from . import diversity, exporting, persons, quotes
from .filtering import QuoteFilter
from .store import connect
from .storefile import DamagedStore, explain


class Corpus:
    """A corpus store opened for reading."""

    EXPORT_FIELDS = exporting.EXPORT_FIELDS

    def __init__(self, path: str | Path = "quotegraph.db"):
        self.path = str(path)
        self.con: sqlite3.Connection = connect(self.path, readonly=True)
        self.con.row_factory = sqlite3.Row

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ people

    def people(self, name: str = "", limit: int = 50) -> list[dict]:
        """People whose name fits ``name`` (all people, most quoted first, when it is empty)."""
        return persons.people(self.con, name, limit)

    def person(self, name: str, limit: int | None = None, where: QuoteFilter | None = None, offset: int = 0) -> dict:
        """Everything a person said, in time order, with addressees and sources.

        ``name`` may be a full name, an alias, a surname or a first name: the person it fits with
        the most quotes is answered (a full name that is somebody's own first), and ``others`` lists
        everyone else it fits (summaries, most quoted first).  Raises ``LookupError`` when nobody fits.
        ``where`` (a ``filtering.QuoteFilter``): only the records that pass it (``shown`` counts
        them); ``limit``/``offset``: a page of them.
        """
        return persons.person(self.con, name, limit, store=self.path, where=where, offset=offset)

    # ------------------------------------------------------------------ quotes

    def search(self, query: str = "", speaker: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, kind: str | None = None,
               limit: int = 20, offset: int = 0, occurrences: bool | int = 20, acts: str = "statements",
               min_confidence: float | None = None, gender: str | None = None, type: str | None = None,
               where: QuoteFilter | None = None) -> list[dict]:
        """Quotes whose reported wording matches ``query``, filtered and paged (``quotes.search``);
        the filter is ``where`` (a ``filtering.QuoteFilter``) or else made of the other values
        (``QuoteFilter.parse``: a ``FilterError``, a ValueError, for a value it cannot read);
        ``acts``: ``statements`` (what a source communicated), ``all``, or act names."""
        if where is None:
            where = QuoteFilter.parse(speaker=speaker, outlet=outlet, since=since, until=until, kind=kind, acts=acts,
                                      gender=gender, type=type, min_confidence=min_confidence)
        return quotes.search(self.con, query, where, limit, offset, occurrences)

    def quote(self, quote_id: int, score: float | None = None, occurrences: bool | int = True) -> dict:
        """One quote with its occurrences (all, or up to ``occurrences``)."""
        return quotes.quote(self.con, quote_id, score, occurrences)

    def article(self, key: str) -> Article:
        """The stored extraction of an article (by content key or given id)."""
        row = self.con.execute("SELECT doc FROM articles WHERE key=? OR given_id=?", (key, key)).fetchone()
        if row is None or row[0] is None:
            raise LookupError(f"no stored article {key!r}")
        return Article.model_validate_json(zlib.decompress(row[0]))

    # ------------------------------------------------------------------ outlets

    def sources(self) -> list[dict]:
        """Per outlet: articles, quote occurrences, and how they are sourced (named people or
        organisations, anonymous sources, documents, unknown), plus attributions made via a document."""
        c = self.con
        arts = {r[0]: r[1] for r in c.execute("SELECT coalesce(outlet, ''), count(*) FROM articles GROUP BY 1")}
        rows = c.execute(
            "SELECT coalesce(o.outlet, '') AS outlet, count(*) AS n,"
            " sum(o.source_class='named') AS named, sum(o.source_class='anonymous') AS anonymous,"
            " sum(o.source_class='document') AS document, sum(o.source_class='unknown') AS unknown,"
            " sum(o.via LIKE '%\"kind\": \"document\"%') AS via_document,"
            " sum(o.kind='direct') AS direct, sum(o.kind='indirect') AS indirect, sum(o.kind='mixed') AS mixed"
            " FROM occurrences o GROUP BY 1").fetchall()
        out = []
        seen = set()
        for r in rows:
            n = r["n"] or 0
            d = {"outlet": r["outlet"] or None, "articles": arts.get(r["outlet"], 0), "quotes": n}
            for k in ("named", "anonymous", "document", "unknown", "via_document", "direct", "indirect", "mixed"):
                d[k] = r[k] or 0
            d["anonymous_share"] = round(d["anonymous"] / n, 4) if n else 0.0
            out.append(d)
            seen.add(r["outlet"])
        for o, n in arts.items():
            if o not in seen:
                out.append({"outlet": o or None, "articles": n, "quotes": 0, **{k: 0 for k in (
                    "named", "anonymous", "document", "unknown", "via_document", "direct", "indirect", "mixed")},
                    "anonymous_share": 0.0})
        out.sort(key=lambda d: (-d["quotes"], d["outlet"] or ""))
        return out

    def source_groups(self, by: Sequence[str], outlet: str | None = None, since: str | None = None,
                      until: str | None = None, acts: str = "statements",
                      min_confidence: float | None = None) -> list[dict]:
        """People and quotes per group of ``by`` (``gender``, ``type``, ``outlet``, ``month``,
        ``year``, in any combination): ``diversity.source_groups``."""
        return diversity.source_groups(self.con, by, outlet, since, until, acts, min_confidence)

    def most_quoted(self, gender: str, limit: int = 10, outlet: str | None = None, since: str | None = None,
                    until: str | None = None, acts: str = "statements") -> list[dict]:
        """The people of a gender quoted most (``diversity.most_quoted``)."""
        return diversity.most_quoted(self.con, gender, limit, outlet, since, until, acts)

    def stats(self) -> dict:
        one = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "occurrences": one("SELECT count(*) FROM occurrences"),
            "people": one("SELECT count(*) FROM people WHERE kind='person'"),
            "organizations": one("SELECT count(*) FROM people WHERE kind!='person'"),
            "failures": one("SELECT count(*) FROM failures"),
        }

    def failures(self, limit: int = 100) -> list[dict]:
        return [dict(r) for r in self.con.execute(
            "SELECT source, stage, reason, at FROM failures ORDER BY at, source LIMIT ?", (limit,))]

    # ------------------------------------------------------------------ export

    def iter_occurrence_rows(self, where: QuoteFilter | None = None, query: str = "",
                             quote_ids: list[int] | None = None, limit: int | None = None) -> Iterator[dict]:
        """Every occurrence as one flat row (``EXPORT_FIELDS``); or only those of a search
        (``exporting.iter_occurrence_rows``)."""
        return exporting.iter_occurrence_rows(self.con, where, query, quote_ids, limit)

    def iter_quotes(self, where: QuoteFilter | None = None, query: str = "", limit: int | None = None) -> Iterator[dict]:
        """One dict per quote with its occurrences nested (only those of a search, when asked)."""
        return exporting.iter_quotes(self.con, where=where, query=query, limit=limit)

    def export(self, fmt: str, out: str | Path | IO | None = None, *, bom: bool = False,
               where: QuoteFilter | None = None, query: str = "") -> int:
        """Write the corpus as ``jsonl``, ``csv`` or ``parquet`` (``exporting.export``; ``bom``: a
        byte order mark before the CSV, for spreadsheets; ``where``, ``query``: only what a search
        with this filter and these words finds); returns the number of records written.
        A damaged store is refused first (``DamagedStore``): an export reads it all anyway, and a
        damaged page it happens not to read must not pass for a sound store."""
        self.verify()
        return exporting.export(self.con, fmt, out, bom=bom, where=where, query=query)

    def verify(self) -> None:
        """Raise ``DamagedStore`` unless SQLite's ``quick_check`` finds the file sound (every page
        read once; indexes are not matched to their tables: ``quotegraph check`` does that)."""
        try:
            rows = [" ".join(str(r[0]).split()) for r in self.con.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as e:
            raise explain(self.path, e) from None
        if rows != ["ok"]:
            raise DamagedStore(self.path, f"the store is damaged ({'; '.join(rows)}); "
                                          f"`quotegraph check --db {self.path}` tells more")
