"""People in a corpus store: who a name may refer to, their summaries, and everything one said."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from . import textnorm as tn
from .query import OCC_SELECT, SHORT_NAMES_SHOWN, check_limit, like_pattern, occurrence_row, search_key

if TYPE_CHECKING:
    from .filtering import QuoteFilter


def person_ids(con: sqlite3.Connection, name: str) -> list[int]:
    """People a name may refer to, most quoted first (a full name that is a person's key first):
    the full name, an alias as written in an article ("Mr. Trump", "Sen. Kaine"), or one word
    that is somebody's surname or first name ("Trump", "Hillary")."""
    if name.strip().isdigit():
        return [int(name)]
    key = tn.name_key(name)
    if not key:
        return []
    exact = [r[0] for r in con.execute("SELECT id FROM people WHERE key IN (?, ?) ORDER BY id",
                                       ("p:" + key, "o:" + tn.org_key(name)))]
    found = set(exact)
    found.update(r[0] for r in con.execute("SELECT DISTINCT person_id FROM person_aliases WHERE akey=?", (key,)))
    if " " not in key:  # one word: everyone with it as surname or first name
        try:
            found.update(r[0] for r in con.execute("SELECT person_id FROM person_names WHERE token=?", (key,)))
        except sqlite3.OperationalError:  # a version-2 store not yet opened for writing: by key
            found.update(r[0] for r in con.execute(
                "SELECT id FROM people WHERE scope IS NULL AND (key LIKE ? OR key LIKE ?)",
                ("p:% " + key, "p:" + key + " %")))
        found.update(r[0] for r in con.execute("SELECT id FROM people WHERE key LIKE ?", (f"p:{key}@%",)))
    if not found:
        return []
    ids = sorted(found)
    quotes = dict(con.execute(
        f"SELECT speaker_id, count(*) FROM occurrences WHERE speaker_id IN ({','.join('?' * len(ids))})"
        " GROUP BY speaker_id", ids).fetchall())
    # a full name written out is who was asked for; one word is whoever is most quoted with it
    first = set(exact) if " " in key else set()
    return sorted(ids, key=lambda i: (i not in first, -quotes.get(i, 0), i))


def people(con: sqlite3.Connection, name: str = "", limit: int = 50) -> list[dict]:
    """People whose name fits ``name`` (all people, most quoted first, when it is empty)."""
    check_limit(limit)
    if name:
        ids = person_ids(con, name)
        if not ids:
            ids = [r[0] for r in con.execute(
                "SELECT id FROM people WHERE name LIKE ? ESCAPE '\\' LIMIT ?", (like_pattern(search_key(name)), limit))]
    else:
        ids = [r[0] for r in con.execute(
            "SELECT speaker_id FROM occurrences WHERE speaker_id IS NOT NULL GROUP BY speaker_id"
            " ORDER BY count(*) DESC LIMIT ?", (limit,))]
    return [person_summary(con, i) for i in ids[:limit]]


def person_summary(con: sqlite3.Connection, pid: int) -> dict:
    """One person's name, kind, aliases, dated roles, and how many articles and quotes."""
    row = con.execute("SELECT id, key, name, kind, scope, gender, gender_evidence FROM people WHERE id=?", (pid,)).fetchone()
    if row is None:
        raise LookupError(f"no person with id {pid}")
    n = con.execute("SELECT count(*) FROM occurrences WHERE speaker_id=?", (pid,)).fetchone()[0]
    roles = [dict(role=r["role"], date=r["published"], outlet=r["outlet"], article=r["akey"]) for r in con.execute(
        "SELECT r.role, a.published, a.outlet, a.key AS akey FROM person_roles r JOIN articles a ON a.id=r.article_id"
        " WHERE r.person_id=? ORDER BY coalesce(a.published, a.crawled), a.id", (pid,))]
    aliases = sorted({r[0] for r in con.execute("SELECT alias FROM person_aliases WHERE person_id=?", (pid,))})
    articles = con.execute("SELECT count(DISTINCT article_id) FROM person_articles WHERE person_id=?", (pid,)).fetchone()[0]
    return {"id": row["id"], "name": row["name"], "kind": row["kind"], "key": row["key"],
            "local_to_article": row["scope"], "aliases": aliases, "roles": roles,
            "articles": articles, "quotes": n, "gender": row["gender"], "gender_evidence": row["gender_evidence"]}


def short_names(con: sqlite3.Connection, pid: int, limit: int) -> list[dict]:
    """Articles where this person is a surname or first name alone, least certain first: how
    that was linked ('article': the article names them in full; 'first': by first name in the
    article; 'store': the store's most likely holder; 'alone': nobody likely enough named in
    full yet), with the confidence and the other people it may be."""
    out = []
    for r in con.execute("SELECT l.article_id, l.entity, l.written, l.confidence, l.method, a.key AS akey"
                         " FROM person_links l JOIN articles a ON a.id=l.article_id WHERE l.person_id=?"
                         " ORDER BY l.confidence, l.article_id, l.entity LIMIT ?", (pid, limit)).fetchall():
        alts = [{"person": x["person_id"], "name": x["name"], "confidence": x["confidence"]} for x in con.execute(
            "SELECT t.person_id, p.name, t.confidence FROM person_alternatives t JOIN people p ON p.id=t.person_id"
            " WHERE t.article_id=? AND t.entity=? ORDER BY t.confidence DESC, t.person_id",
            (r["article_id"], r["entity"]))]
        out.append({"article": r["akey"], "written": r["written"], "method": r["method"],
                    "confidence": r["confidence"], "alternatives": alts})
    return out


def person(con: sqlite3.Connection, name: str, limit: int | None = None, store: str = "the store",
           where: QuoteFilter | None = None, offset: int = 0) -> dict:
    """Everything a person said, in time order, with addressees and sources (``Corpus.person``);
    ``where``: only the records that pass this filter (``filtering.QuoteFilter``; ``shown`` counts
    them), ``limit``/``offset``: a page of them."""
    ids = person_ids(con, name)
    if not ids:
        raise LookupError(f"no person named {name!r} in {store}")
    pid = ids[0]
    out = person_summary(con, pid)
    out["others"] = [person_summary(con, i) for i in ids[1:]]
    try:
        out["n_short_names"] = con.execute("SELECT count(*) FROM person_links WHERE person_id=?",
                                           (pid,)).fetchone()[0]
        out["short_names"] = short_names(con, pid, SHORT_NAMES_SHOWN)
    except sqlite3.OperationalError:  # a version-2 store: no links recorded
        out["n_short_names"], out["short_names"] = 0, []
    conds, args, _ = where.conditions(con) if where is not None else ([], [], [])
    cond = "".join(f" AND {c}" for c in conds)
    out["shown"] = con.execute("SELECT count(*) FROM occurrences o WHERE o.speaker_id=?" + cond,
                               (pid, *args)).fetchone()[0]
    sql = (OCC_SELECT + " WHERE o.speaker_id=?" + cond + " ORDER BY coalesce(o.published, a.crawled) IS NULL,"
           " coalesce(o.published, a.crawled), a.id, o.start LIMIT ? OFFSET ?")
    rows = con.execute(sql, (pid, *args, -1 if limit is None else limit, offset)).fetchall()
    out["said"] = [occurrence_row(r, with_quote=True) for r in rows]
    out["addressed"] = [occurrence_row(r, with_quote=True) for r in con.execute(
        OCC_SELECT + " WHERE o.addressee_id=? ORDER BY coalesce(o.published, a.crawled), a.id, o.start", (pid,))]
    return out
