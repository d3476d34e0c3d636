"""Re-linking: a store's short names moved to the person they now most likely are.

Whenever an article names somebody in full, the short names linked through the store (or left
on a surname-only person) under that person's name tokens are re-examined, and moved with their
occurrences, quotes, roles and aliases when their most likely holder has changed (see
``linking.py`` for how a short name is linked in the first place). Runs inside the article's
transaction, like the rest of the store's writer.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import textnorm as tn
from .linking import ALONE_CONFIDENCE, MAX_ALTERNATIVES, MIN_ALTERNATIVE, MIN_STORE, Link, PeopleLinker, refresh_gender


class Relinker:
    """Moves links between stored people (one per store, beside its ``PeopleLinker``)."""

    def __init__(self, linker: PeopleLinker):
        self.linker = linker
        self.con = linker.con

    def relink(self, tokens: Iterable[str]) -> int:
        """Move the short names linked through the store (or alone) under these tokens to their
        most likely holder now. Returns how many links moved."""
        c = self.con
        moved = 0
        for token, gender in ((t, g) for t in sorted(set(tokens)) for g in (None, "f", "m")):
            hs = self.linker.holders(token, gender)
            if not hs or hs[0][1] < MIN_STORE:
                continue
            best, p = hs[0]
            share = dict(hs)
            # links through the store are on a holder or on the surname-only person: look those up
            # (by index) rather than every link of the name
            on = [pid for pid, q in hs if q < p]  # a tie leaves a link where it is
            alone = c.execute("SELECT id FROM people WHERE key=?", ("p:" + token,)).fetchone()
            if alone and alone[0] not in share:
                on.append(alone[0])
            # a first name taken in its article ("Obama" for a headline's "Obama Says") moves once
            # the store knows the word mostly as a surname
            methods = ("store", "alone", "first") if self.linker.mostly_surname(token) else ("store", "alone")
            stale = sorted(r for pid in on for r in c.execute(
                "SELECT article_id, entity, person_id FROM person_links WHERE token=? AND person_id=? AND gender IS ?"
                f" AND method IN ({','.join('?' * len(methods))})", (token, pid, gender, *methods)))
            if not stale:
                continue
            alts = [(pid, round(q, 4)) for pid, q in hs[1:] if q >= MIN_ALTERNATIVE][:MAX_ALTERNATIVES]
            link = Link(best, round(p, 4), "store", alts)
            for aid, entity, old in stale:
                written = c.execute("SELECT written FROM person_links WHERE article_id=? AND entity=?",
                                    (aid, entity)).fetchone()[0]
                self.linker.record_link(aid, entity, written, token, link, gender)
                self.move(aid, old, best, entity)
                moved += 1
            for old in sorted({o for _, _, o in stale}):
                self.drop_if_empty(old)
        return moved

    def move(self, aid: int, old: int, new: int, entity: str | None = None) -> None:
        """What ``old`` is in article ``aid`` as ``entity`` (everything, without one or in an
        article stored before mentions were recorded) becomes ``new``'s."""
        c = self.con
        by_entity = entity is not None and c.execute(
            "SELECT 1 FROM person_mentions WHERE article_id=? LIMIT 1", (aid,)).fetchone() is not None
        ent_sql, ent_arg = (" AND entity=?", (entity,)) if by_entity else ("", ())
        c.execute("INSERT OR IGNORE INTO person_articles SELECT ?, article_id, entity, name FROM person_articles"
                  " WHERE person_id=? AND article_id=?" + ent_sql, (new, old, aid, *ent_arg))
        c.execute("DELETE FROM person_articles WHERE person_id=? AND article_id=?" + ent_sql, (old, aid, *ent_arg))
        c.execute("UPDATE person_genders SET person_id=? WHERE person_id=? AND article_id=?" + ent_sql, (new, old, aid, *ent_arg))
        refresh_gender(c, new)
        refresh_gender(c, old)
        # roles are kept per person and article: they go along, and leave when nothing of old is left there
        c.execute("INSERT OR IGNORE INTO person_roles SELECT ?, article_id, role FROM person_roles"
                  " WHERE person_id=? AND article_id=?", (new, old, aid))
        if not c.execute("SELECT 1 FROM person_articles WHERE person_id=? AND article_id=? LIMIT 1",
                         (old, aid)).fetchone():
            c.execute("DELETE FROM person_roles WHERE person_id=? AND article_id=?", (old, aid))
        for (written,) in c.execute("SELECT written FROM person_links WHERE article_id=? AND person_id=?",
                                    (aid, new)).fetchall():
            c.execute("INSERT OR IGNORE INTO person_aliases VALUES(?,?,?)", (new, written, tn.name_key(written)))
        occ_sql, occ_arg = ((" AND qid IN (SELECT qid FROM person_mentions WHERE article_id=? AND role=? AND entity=?)",
                             lambda role: (aid, role, entity)) if by_entity else ("", lambda role: ()))
        affected = [q for (q,) in c.execute(
            "SELECT DISTINCT quote_id FROM occurrences WHERE article_id=? AND speaker_id=?" + occ_sql,
            (aid, old, *occ_arg("speaker")))]
        c.execute("UPDATE occurrences SET speaker_id=? WHERE article_id=? AND speaker_id=?" + occ_sql,
                  (new, aid, old, *occ_arg("speaker")))
        c.execute("UPDATE occurrences SET addressee_id=? WHERE article_id=? AND addressee_id=?" + occ_sql,
                  (new, aid, old, *occ_arg("addressee")))
        for q in affected:
            c.execute("UPDATE quotes SET speaker_id=(SELECT o.speaker_id FROM occurrences o WHERE o.quote_id=quotes.id"
                      " AND o.speaker_id IS NOT NULL ORDER BY o.id LIMIT 1) WHERE id=?", (q,))

    def drop_if_empty(self, pid: int) -> None:
        """A person nothing refers to any more (a surname-only person merged away) is deleted."""
        c = self.con
        if c.execute("SELECT 1 FROM person_articles WHERE person_id=? LIMIT 1", (pid,)).fetchone():
            return
        if c.execute("SELECT 1 FROM occurrences WHERE speaker_id=? OR addressee_id=? LIMIT 1", (pid, pid)).fetchone():
            return
        for table in ("person_aliases", "person_roles", "person_names"):
            c.execute(f"DELETE FROM {table} WHERE person_id=?", (pid,))
        c.execute("DELETE FROM person_alternatives WHERE person_id=?", (pid,))
        c.execute("DELETE FROM people WHERE id=?", (pid,))

    def migrate_2_3(self, schema: str) -> None:
        """People get ``n_named`` and the name/link tables (``schema``); the surname-only people
        version 2 kept to their article become links, re-linked as a new article's would be."""
        c = self.con
        for col in ("n_named", "n_male", "n_female"):
            c.execute(f"ALTER TABLE people ADD COLUMN {col} INTEGER NOT NULL DEFAULT 0")
        for stmt in schema.split(";"):
            if stmt.strip():
                c.execute(stmt)
        for pid, name in c.execute("SELECT id, name FROM people WHERE kind='person' AND scope IS NULL").fetchall():
            toks = tn.name_tokens(name)
            if len(toks) > 1:
                c.executemany("INSERT OR IGNORE INTO person_names VALUES(?,?,?)",
                              [(toks[0], "first", pid), (toks[-1], "last", pid)])
                c.execute("UPDATE people SET n_named=(SELECT count(DISTINCT article_id) FROM person_articles"
                          " WHERE person_id=?) WHERE id=?", (pid, pid))
        tokens = set()
        for pid, key in c.execute("SELECT id, key FROM people WHERE kind='person' AND scope IS NOT NULL"
                                  " ORDER BY id").fetchall():
            token = key[2:].split("@", 1)[0]
            tokens.add(token)
            alone = self.linker.surname_person(token)
            for aid, entity, name in c.execute("SELECT article_id, entity, name FROM person_articles WHERE person_id=?"
                                               " ORDER BY article_id, entity", (pid,)).fetchall():
                self.linker.record_link(aid, entity, name or token, token, Link(alone, ALONE_CONFIDENCE, "alone", []))
                self.move(aid, pid, alone)
            self.drop_if_empty(pid)
        self.relink(tokens)
