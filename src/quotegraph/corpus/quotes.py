"""Quotes in a corpus store: full-text search with filters, and one quote with its occurrences."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from .filtering import QuoteFilter
from .query import MAX_OFFSET, OCC_SELECT, RANK_LIMIT, check_limit, fts_query, occurrence_row


def search(con: sqlite3.Connection, query: str = "", where: QuoteFilter | None = None,
           limit: int = 20, offset: int = 0, occurrences: bool | int = 20) -> list[dict]:
    """Quotes whose reported wording matches ``query`` (all words; "a phrase" in quotation
    marks) with an occurrence that passes the filter ``where`` (``filtering.QuoteFilter``: speaker,
    outlet, date range, kind, acts, gender, source type, lowest confidence; default: statements
    from a source); best match first (newest first without a query).  A hit lists the
    occurrences that pass the filter.

    Each hit is one quote with up to ``occurrences`` of its occurrences (True: all of them,
    False/0: none; ``n_occurrences`` always gives the total; ``quote(id)`` gives them all)."""
    check_limit(limit)
    check_limit(offset, "offset", 0, MAX_OFFSET)
    conds, args, speaker_ids = (where or QuoteFilter()).conditions(con)
    fq = fts_query(query) if query else None
    if query and fq is None:
        return []
    if fq:
        n_match = con.execute("SELECT count(*) FROM quote_fts WHERE quote_fts MATCH ?", (fq,)).fetchone()[0]
    scored: Sequence[tuple[int, float | None]]  # (quote id, score; None when ordered by date)
    if fq and speaker_ids:
        # A speaker's quotes are few: those with a matching wording, newest first.
        matching = {r[0] for r in con.execute("SELECT rowid FROM quote_fts WHERE quote_fts MATCH ?", (fq,))}
        rows = con.execute(
            "SELECT f.id AS fid, f.quote_id AS qid, max(o.published) AS d FROM occurrences o"
            " JOIN forms f ON f.quote_id=o.quote_id WHERE " + " AND ".join(conds) +
            " GROUP BY f.id ORDER BY d IS NULL, d DESC, f.quote_id DESC", args).fetchall()
        seen: set[int] = set()
        newest: list[tuple[int, None]] = []
        for r in rows:
            if r["fid"] in matching and r["qid"] not in seen:
                seen.add(r["qid"])
                newest.append((r["qid"], None))
        scored = newest[offset : offset + limit]
    elif fq and n_match > RANK_LIMIT:
        # Too many wordings match to rank them all within a web request: newest first.
        scored = newest_fts(con, fq, conds, args, limit + offset)[offset:]
    elif fq and not conds:
        scored = rank_fts(con, fq, limit + offset)[offset:]
    elif fq:
        restrict = f"EXISTS (SELECT 1 FROM occurrences o WHERE o.quote_id=f.quote_id AND {' AND '.join(conds)})"
        sql = ("WITH m AS MATERIALIZED (SELECT rowid AS fid, rank AS score FROM quote_fts WHERE quote_fts MATCH ?)"
               " SELECT f.quote_id AS qid, min(m.score) AS score FROM m JOIN forms f ON f.id=m.fid"
               f" WHERE {restrict} GROUP BY f.quote_id ORDER BY score, qid LIMIT ? OFFSET ?")
        rows = con.execute(sql, [fq, *args, limit, offset]).fetchall()
        scored = [(r["qid"], -r["score"]) for r in rows]
    else:
        sql = ("SELECT o.quote_id AS qid, max(o.published) AS d FROM occurrences o"
               + (" WHERE " + " AND ".join(conds) if conds else "") +
               " GROUP BY o.quote_id ORDER BY d IS NULL, d DESC, o.quote_id DESC LIMIT ? OFFSET ?")
        rows = con.execute(sql, [*args, limit, offset]).fetchall()
        scored = [(r["qid"], None) for r in rows]
    return [quote(con, qid, score=score, occurrences=occurrences, shown=(conds, args)) for qid, score in scored]


def newest_fts(con: sqlite3.Connection, fq: str, where: list[str], args: list, n: int) -> list[tuple[int, None]]:
    """The n newest quotes with a matching wording (and occurrences passing the filters), reading
    the full-text matches from the newest in pages: no ranking of every match."""
    cond = (" AND EXISTS (SELECT 1 FROM occurrences o WHERE o.quote_id=f.quote_id AND " + " AND ".join(where) + ")"
            if where else "")
    out: list[tuple[int, None]] = []
    seen: set[int] = set()
    below = None
    page = 1000
    while len(out) < n:
        rows = con.execute(
            "SELECT m.fid, f.quote_id FROM (SELECT rowid AS fid FROM quote_fts WHERE quote_fts MATCH ?"
            + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?) m"
            " JOIN forms f ON f.id=m.fid" + cond + " ORDER BY m.fid DESC",
            [fq, *([below] if below is not None else []), page, *args]).fetchall()
        last = con.execute(
            "SELECT min(fid), count(*) FROM (SELECT rowid AS fid FROM quote_fts WHERE quote_fts MATCH ?"
            + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?)",
            [fq, *([below] if below is not None else []), page]).fetchone()
        for _, qid in rows:
            if qid not in seen:
                seen.add(qid)
                out.append((qid, None))
        if last[1] < page:
            break
        below = last[0]
    return out[:n]


def rank_fts(con: sqlite3.Connection, fq: str, n: int) -> list[tuple[int, float]]:
    """The n best quotes for an FTS expression (FTS5's own ORDER BY rank LIMIT, deduplicated)."""
    want = max(n, 1) * 2
    while True:
        rows = con.execute(
            "SELECT f.quote_id, m.score FROM (SELECT rowid AS fid, rank AS score FROM quote_fts"
            " WHERE quote_fts MATCH ? ORDER BY rank LIMIT ?) m JOIN forms f ON f.id=m.fid ORDER BY m.score, f.quote_id",
            (fq, want)).fetchall()
        out: list[tuple[int, float]] = []
        seen: set[int] = set()
        for qid, score in rows:
            if qid not in seen:
                seen.add(qid)
                out.append((qid, -score))
        if len(out) >= n or len(rows) < want:
            return out[:n]
        want *= 4


def quote(con: sqlite3.Connection, quote_id: int, score: float | None = None, occurrences: bool | int = True,
          shown: tuple[list[str], list[Any]] = ([], [])) -> dict:
    """One quote: its wording, kind, speaker, dates, variants, and its occurrences (all, or up to a
    number; ``shown``: only those passing these conditions of ``filtering.QuoteFilter``)."""
    q = con.execute("SELECT q.*, a.key AS akey, a.outlet AS a_outlet FROM quotes q JOIN articles a ON a.id=q.first_article"
                    " WHERE q.id=?", (quote_id,)).fetchone()
    if q is None:
        raise LookupError(f"no quote {quote_id}")
    out: dict[str, Any] = {
        "id": q["id"], "key": q["key"], "text": q["text"], "kind": q["kind"],
        "speaker": {"name": q["speaker_name"], "person": q["speaker_id"]},
        "first_published": q["first_published"], "last_published": q["last_published"],
        "n_occurrences": q["n_occurrences"],
        "variants": {"speaker": q["speaker_variants"], "words": q["word_variants"]},
    }
    if score is not None:
        out["score"] = round(score, 4)
    if occurrences:
        lim = -1 if occurrences is True else int(occurrences)
        cond = "".join(f" AND {c}" for c in shown[0])
        rows = con.execute(OCC_SELECT + " WHERE o.quote_id=?" + cond + " ORDER BY o.id LIMIT ?",
                           (quote_id, *shown[1], lim)).fetchall()
        out["occurrences"] = [occurrence_row(r) for r in rows]
    return out
