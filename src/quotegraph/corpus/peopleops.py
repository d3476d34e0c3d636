"""What a user's correction does to the people tables: one person merged into another, some
entities of a person moved to another, an alias taken off (``corrections.py`` logs and replays
them). Everything runs inside the caller's transaction, on row ids resolved from stable keys.

A person's things are: its ``person_articles`` (the entities it is, per article), roles, aliases,
name tokens (``person_names``: how short names find it), short-name links and alternatives, the
occurrences it speaks or is addressed in, the quotes it speaks, and its counts (``n_named``,
``n_male``, ``n_female``) and gender.
"""

from __future__ import annotations

import sqlite3

from . import textnorm as tn
from .linking import refresh_gender
from .relinking import Relinker

#: the ``person_links.method`` of a short name a user moved: re-linking leaves it where it is
CORRECTED = "correction"


def merge_person(con: sqlite3.Connection, target: int, other: int) -> None:
    """Everything of ``other`` becomes ``target``'s, and ``other`` is deleted."""
    c = con
    moves = (
        ("person_articles", "?, article_id, entity, name"),
        ("person_roles", "?, article_id, role"),
        ("person_aliases", "?, alias, akey"),
    )
    for table, cols in moves:
        c.execute(f"INSERT OR IGNORE INTO {table} SELECT {cols} FROM {table} WHERE person_id=?", (target, other))
        c.execute(f"DELETE FROM {table} WHERE person_id=?", (other,))
    c.execute("INSERT OR IGNORE INTO person_names SELECT token, pos, ? FROM person_names WHERE person_id=?",
              (target, other))
    c.execute("DELETE FROM person_names WHERE person_id=?", (other,))
    c.execute("UPDATE person_links SET person_id=? WHERE person_id=?", (target, other))
    c.execute("INSERT OR IGNORE INTO person_alternatives SELECT article_id, entity, ?, confidence"
              " FROM person_alternatives WHERE person_id=?", (target, other))
    c.execute("DELETE FROM person_alternatives WHERE person_id=?", (other,))
    _drop_self_alternatives(c, target)
    c.execute("UPDATE occurrences SET speaker_id=? WHERE speaker_id=?", (target, other))
    c.execute("UPDATE occurrences SET addressee_id=? WHERE addressee_id=?", (target, other))
    c.execute("UPDATE quotes SET speaker_id=? WHERE speaker_id=?", (target, other))
    c.execute("UPDATE person_genders SET person_id=? WHERE person_id=?", (target, other))
    row = c.execute("SELECT name, first_article, n_named, n_male, n_female, gender, gender_evidence FROM people"
                    " WHERE id=?", (other,)).fetchone()
    name, first, n_named, n_male, n_female, gender, evidence = row
    add_alias(c, target, name)
    c.execute("UPDATE people SET n_named=n_named+?, n_male=n_male+?, n_female=n_female+?,"
              " first_article=CASE WHEN first_article IS NULL OR ? < first_article THEN ? ELSE first_article END"
              " WHERE id=?", (n_named, n_male, n_female, first, first, target))
    if evidence == CORRECTED:  # a gender a user gave wins over one the articles gave
        c.execute("UPDATE people SET gender=?, gender_evidence=? WHERE id=? AND gender_evidence IS NOT ?",
                  (gender, evidence, target, CORRECTED))
    c.execute("DELETE FROM people WHERE id=?", (other,))
    refresh_gender(c, target)  # from both people's articles (a user's gender is left as it is)


def _drop_self_alternatives(c: sqlite3.Connection, pid: int) -> None:
    """A link is not its own alternative (after a merge made the two one person)."""
    c.execute("DELETE FROM person_alternatives WHERE person_id=? AND EXISTS(SELECT 1 FROM person_links l"
              " WHERE l.article_id=person_alternatives.article_id AND l.entity=person_alternatives.entity"
              " AND l.person_id=?)", (pid, pid))


def add_alias(c: sqlite3.Connection, pid: int, alias: str) -> None:
    alias = alias.strip()
    if alias:
        c.execute("INSERT OR IGNORE INTO person_aliases VALUES(?,?,?)", (pid, alias, tn.name_key(alias)))


def drop_alias(c: sqlite3.Connection, pid: int, alias: str) -> int:
    """Takes an alias (matched by its name key: "President Clinton", "PRESIDENT CLINTON") off a
    person; how many it took."""
    return c.execute("DELETE FROM person_aliases WHERE person_id=? AND akey=?", (pid, tn.name_key(alias))).rowcount


def entities_in(c: sqlite3.Connection, pid: int, article_ids: list[int]) -> list[tuple[int, str]]:
    """(article id, entity) of everything a person is in these articles."""
    return [tuple(r) for aid in article_ids for r in c.execute(
        "SELECT article_id, entity FROM person_articles WHERE person_id=? AND article_id=? ORDER BY entity",
        (pid, aid))]


def entities_written(c: sqlite3.Connection, pid: int, alias: str) -> list[tuple[int, str]]:
    """(article id, entity) of a person's entities written as ``alias`` in their article (its name
    there, or the short name linked to it)."""
    akey = tn.name_key(alias)
    found = {(aid, ent) for aid, ent, name in c.execute(
        "SELECT article_id, entity, name FROM person_articles WHERE person_id=?", (pid,)) if tn.name_key(name or "") == akey}
    found.update((aid, ent) for aid, ent, written in c.execute(
        "SELECT article_id, entity, written FROM person_links WHERE person_id=?", (pid,)) if tn.name_key(written) == akey)
    return sorted(found)


def move_entities(relinker: Relinker, source: int, target: int, entities: list[tuple[int, str]]) -> int:
    """What ``source`` is as these (article, entity) pairs becomes ``target``'s: their occurrences,
    quotes, roles and names; a short name among them is linked to ``target`` for good (method
    ``correction``: re-linking leaves it). Returns how many entities moved."""
    c = relinker.con
    counted = c.execute("SELECT kind FROM people WHERE id=?", (source,)).fetchone()[0] == "person"
    named_before = _named_articles(c, source) if counted else set()
    moved = 0
    for aid, entity in entities:
        row = c.execute("SELECT name FROM person_articles WHERE person_id=? AND article_id=? AND entity=?",
                        (source, aid, entity)).fetchone()
        if row is None:
            continue
        c.execute("UPDATE person_links SET person_id=?, method=?, confidence=1.0 WHERE article_id=? AND entity=?"
                  " AND person_id=?", (target, CORRECTED, aid, entity, source))
        c.execute("DELETE FROM person_alternatives WHERE article_id=? AND entity=? AND person_id=?", (aid, entity, target))
        relinker.move(aid, source, target, entity)
        add_alias(c, target, row[0] or "")
        if not c.execute("SELECT 1 FROM person_articles WHERE person_id=? AND name=? LIMIT 1", (source, row[0])).fetchone() \
                and not c.execute("SELECT 1 FROM person_links WHERE person_id=? AND written=? LIMIT 1",
                                  (source, row[0])).fetchone():
            c.execute("DELETE FROM person_aliases WHERE person_id=? AND alias=?", (source, row[0]))
        moved += 1
    if counted and moved:
        gone = len(named_before - _named_articles(c, source))
        c.execute("UPDATE people SET n_named=max(0, n_named-?) WHERE id=?", (gone, source))
        c.execute("UPDATE people SET n_named=n_named+? WHERE id=?", (gone, target))
    return moved


def _named_articles(c: sqlite3.Connection, pid: int) -> set[int]:
    """The articles naming a person in full: an entity of theirs that no short-name link is."""
    return {aid for (aid,) in c.execute(
        "SELECT DISTINCT pa.article_id FROM person_articles pa WHERE pa.person_id=? AND pa.entity != ''"
        " AND pa.entity NOT LIKE 'name:%' AND NOT EXISTS(SELECT 1 FROM person_links l"
        " WHERE l.article_id=pa.article_id AND l.entity=pa.entity)", (pid,))}


def drop_if_empty(relinker: Relinker, pid: int) -> bool:
    """A person a split left with nothing is deleted; whether it was."""
    relinker.drop_if_empty(pid)
    return relinker.con.execute("SELECT 1 FROM people WHERE id=?", (pid,)).fetchone() is None
