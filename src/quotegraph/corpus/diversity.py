"""Who gets quoted: people and quotes counted by the speaker's gender, the source's type, the
outlet, the month or the year, in any combination (``quotegraph sources --by``, the web app's
sources page and ``/api/sources?by=``).

    from quotegraph.corpus import Corpus
    with Corpus("quotegraph.db") as c:
        rows = c.source_groups(["gender", "month"])
        # [{"gender": "female", "month": "2024-03", "people": 2, "quotes": 5}, ...]

``quotes`` counts occurrences (every report of a quote in an article); ``people`` counts the
distinct people (not organisations) quoted in the group. A speaker's gender is the person's in
the store; quotes from organisations, documents and sources not linked to a person have gender
``None`` (a group of its own, never counted as ``unknown``). A month is ``YYYY-MM`` and a year
``YYYY`` of the article's publication date; undated quotes fall in the group ``None``.
The records counted are those a search shows (``filtering.QuoteFilter``: statements from a
source unless ``acts="all"``), narrowed by the same outlet and date filters as a search.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from .filtering import QuoteFilter

GROUPS: tuple[str, ...] = ("gender", "type", "outlet", "month", "year")
GENDERS: tuple[str, ...] = ("female", "male", "unknown")

# what each group is, as SQL over an occurrence ``o`` and its speaker ``p`` (LEFT JOIN people)
_KEY_SQL = {
    "gender": "CASE WHEN p.kind = 'person' THEN p.gender END",
    "type": "o.source_type",
    "outlet": "nullif(o.outlet, '')",
    "month": "CASE WHEN length(o.published) >= 7 THEN substr(o.published, 1, 7) END",
    "year": "CASE WHEN length(o.published) >= 4 THEN substr(o.published, 1, 4) END",
}
_PEOPLE_SQL = "count(DISTINCT CASE WHEN p.kind = 'person' THEN o.speaker_id END)"
_FROM = " FROM occurrences o LEFT JOIN people p ON p.id = o.speaker_id"


def check_groups(by: Sequence[str]) -> list[str]:
    """``by`` without repeats, in the order given; a ValueError naming anything not in ``GROUPS``."""
    out: list[str] = []
    for key in [by] if isinstance(by, str) else by:
        if key not in GROUPS:
            raise ValueError(f"cannot group by {key!r}: choose from {', '.join(GROUPS)}")
        if key not in out:
            out.append(key)
    return out


def _where(con: sqlite3.Connection, outlet: str | None, since: str | None, until: str | None, acts: str,
           min_confidence: float | None) -> tuple[str, list[Any]]:
    flt = QuoteFilter.parse(outlet=outlet, since=since, until=until, acts=acts, min_confidence=min_confidence)
    conds, args, _ = flt.conditions(con)
    return (" WHERE " + " AND ".join(conds) if conds else ""), args


def source_groups(con: sqlite3.Connection, by: Sequence[str], outlet: str | None = None,
                  since: str | None = None, until: str | None = None, acts: str = "statements",
                  min_confidence: float | None = None) -> list[dict]:
    """One row per group of ``by`` (see the module's doc) that has quotes: its keys, ``people`` and
    ``quotes``; ordered by the keys in the order of ``by`` (``None`` last). No ``by``: one row of
    totals."""
    keys = check_groups(by)
    where, args = _where(con, outlet, since, until, acts, min_confidence)
    cols = [f"{_KEY_SQL[k]} AS k{i}" for i, k in enumerate(keys)]
    group = " GROUP BY " + ", ".join(f"k{i}" for i in range(len(keys))) if keys else ""
    order = " ORDER BY " + ", ".join(f"k{i} IS NULL, k{i}" for i in range(len(keys))) if keys else ""
    sql = "SELECT " + ", ".join([*cols, f"{_PEOPLE_SQL} AS people", "count(*) AS quotes"]) + _FROM + where + group + order
    out = []
    for r in con.execute(sql, args):
        if not r["quotes"]:
            continue  # no group at all: the totals of an empty selection
        row: dict[str, Any] = {k: r[f"k{i}"] for i, k in enumerate(keys)}
        row["people"] = r["people"]
        row["quotes"] = r["quotes"]
        out.append(row)
    return out


def most_quoted(con: sqlite3.Connection, gender: str, limit: int = 10, outlet: str | None = None,
                since: str | None = None, until: str | None = None, acts: str = "statements",
                min_confidence: float | None = None) -> list[dict]:
    """The people of ``gender`` (one of ``GENDERS``) quoted most: ``id``, ``name``, ``quotes``
    (most first, then by name), counted over the same records as ``source_groups``."""
    if gender not in GENDERS:
        raise ValueError(f"gender must be one of {', '.join(GENDERS)} (got {gender!r})")
    where, args = _where(con, outlet, since, until, acts, min_confidence)
    where += (" AND " if where else " WHERE ") + "p.kind = 'person' AND p.gender = ?"
    rows = con.execute(
        "SELECT p.id, p.name, count(*) AS quotes" + _FROM + where +
        " GROUP BY p.id ORDER BY quotes DESC, p.name COLLATE NOCASE, p.id LIMIT ?", [*args, gender, limit])
    return [{"id": r["id"], "name": r["name"], "quotes": r["quotes"]} for r in rows]
