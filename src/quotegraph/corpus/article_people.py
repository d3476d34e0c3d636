"""The people of one article being added to a store: its entities to stored people (through
``linking.PeopleLinker``), then its speakers; re-linking after (``relinking.Relinker``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..models import Article, Entity, Quote
from . import textnorm as tn
from .linking import ORG_KINDS, PERSON_KINDS, PeopleLinker, gender_of, office_words, record_gender, refresh_gender, short_token
from .relinking import Relinker


class ArticlePeople:
    """The people of one article being added: its entities to stored people, then its speakers."""

    def __init__(self, linker: PeopleLinker, relinker: Relinker, aid: int):
        self.linker = linker
        self.relinker = relinker
        self.con = linker.con
        self.aid = aid
        self.new_people = 0
        # this article's full-name people by name token: (person id, mentions, token is the surname)
        self.by_token: dict[str, list[tuple[int, int, bool]]] = {}

    def _alias(self, pid: int, alias: str) -> None:
        alias = alias.strip()
        if alias:
            self.con.execute("INSERT OR IGNORE INTO person_aliases(person_id, alias, akey) VALUES(?,?,?)",
                             (pid, alias, tn.name_key(alias)))

    def attach(self, pid: int, entity: str, name: str, aliases: Iterable[str] = (), roles: Iterable[str] = ()) -> None:
        c = self.con
        c.execute("INSERT OR IGNORE INTO person_articles VALUES(?,?,?,?)", (pid, self.aid, entity, name))
        self._alias(pid, name)
        for a in aliases:
            self._alias(pid, a)
        for r in roles:
            if r.strip():
                c.execute("INSERT OR IGNORE INTO person_roles VALUES(?,?,?)", (pid, self.aid, r.strip()))

    def _person(self, name: str, kind: str) -> int | None:
        pid, created = self.linker.person(name, kind, self.aid)
        self.new_people += created
        return pid

    def _short(self, entity: str, name: str, token: str, aliases: Iterable[str] = (),
               text: str = "", mentions: Iterable[tuple[int, int]] = (), roles: Iterable[str] = ()) -> int | None:
        gender = gender_of([name, *aliases], text, mentions)
        link = self.linker.resolve_short(token, self.by_token.get(token, []), gender, office_words(roles))
        if link is None:
            return None
        self.linker.record_link(self.aid, entity, name, token, link, gender)
        return link.person_id

    def _mention(self, qid: str, role: str, entity: str) -> None:
        self.con.execute("INSERT OR IGNORE INTO person_mentions VALUES(?,?,?,?)", (self.aid, qid, role, entity))

    def _names_surname(self, token: str) -> bool:
        return any(last for _, _, last in self.by_token.get(token, []))

    def link(self, article: Article) -> dict[str, int]:
        """Entity id -> person id. Full names first (each one global person), then the short names:
        to a full name of the same article, else through the store; then the store's earlier short
        names under the tokens this article names in full are re-examined (``Relinker.relink``).

        A one-word organisation that is the surname of a person the same article names in full
        ("Trump" beside "Donald Trump") is taken for that person."""
        ent_person: dict[str, int] = {}
        named: dict[int, int] = {}
        first_last: dict[int, tuple[str, str]] = {}
        genders: dict[int, set[str]] = {}
        shorts: list[tuple[Entity, str | None]] = []
        for e in article.entities:
            if e.kind not in PERSON_KINDS + ORG_KINDS or not e.name.strip():
                continue
            if e.kind in PERSON_KINDS and short_token(e.name):
                shorts.append((e, short_token(e.name)))
                continue
            if e.kind == "organization" and " " not in tn.org_key(e.name) and short_token(e.name):
                shorts.append((e, None))  # decided once the article's full names are known
                continue
            pid = self._person(e.name, e.kind)
            if pid is None:
                continue
            ent_person[e.id] = pid
            self.attach(pid, e.id, e.name, e.aliases, e.roles)
            if e.kind in PERSON_KINDS:
                toks = tn.name_tokens(e.name)
                named[pid] = named.get(pid, 0) + max(1, len(e.mentions))
                first_last[pid] = (toks[0], toks[-1])
                g = gender_of([e.name, *e.aliases], article.text, e.mentions)
                if g:
                    genders.setdefault(pid, set()).add(g)
        for pid in sorted(named):
            first, last = first_last[pid]
            self.by_token.setdefault(last, []).append((pid, named[pid], True))
            if first != last:
                self.by_token.setdefault(first, []).append((pid, named[pid], False))
            gs = genders.get(pid, set())
            self.con.execute("UPDATE people SET n_named=n_named+1, n_male=n_male+?, n_female=n_female+? WHERE id=?",
                             (int("m" in gs), int("f" in gs), pid))
        for e, token in shorts:
            if token is None:  # a one-word organisation
                token = short_token(e.name)
                assert token is not None  # the loop above queued it only when it has a short token
                if not self._names_surname(token):
                    pid = self._person(e.name, e.kind)
                    if pid is not None:
                        ent_person[e.id] = pid
                        self.attach(pid, e.id, e.name, e.aliases, e.roles)
                    continue
            pid = self._short(e.id, e.name, token, e.aliases, article.text, e.mentions, e.roles)
            if pid is not None:
                ent_person[e.id] = pid
                self.attach(pid, e.id, e.name, e.aliases, e.roles)
        record_genders(self.con, self.aid, article, ent_person)
        self.relinker.relink({t for fl in first_last.values() for t in fl})
        return ent_person

    def speaker(self, q: Quote, ent_person: dict[str, int]) -> tuple[int | None, str | None]:
        """(person id, name) of a quote's speaker: its entity's person, else its name linked as an
        entity's would be. Which entities its speaker and addressee are is recorded."""
        sp = q.speaker
        assert sp is not None  # occurrences.speaker_of asks only for quotes with a speaker
        if q.addressee is not None and q.addressee.entity in ent_person:
            self._mention(q.id, "addressee", q.addressee.entity)
        pid = ent_person.get(sp.entity) if sp.entity else None
        name = sp.name
        if pid is not None and sp.entity:  # pid was found under sp.entity: it is set
            self._mention(q.id, "speaker", sp.entity)
        if pid is None and name and sp.kind in PERSON_KINDS + ORG_KINDS:
            token = short_token(name) if sp.kind in PERSON_KINDS else None
            ent = sp.entity or (f"name:{token}" if token else "")
            if token:  # a short name outside the article's entities
                pid = ent_person.get(ent)
                if pid is None:
                    pid = self._short(ent, name, token)
                    if pid is not None:
                        ent_person[ent] = pid
            else:
                pid = self._person(name, sp.kind)
            if pid is not None:
                self.attach(pid, ent, name)
                self._mention(q.id, "speaker", ent)
        if pid is None and sp.kind == "unknown" and (not name or name == sp.text) and sp.text[:1].isupper():
            # one word the article's resolution gave nobody, which is the surname of a person this
            # article names in full ("Trump" in an article about Donald Trump)
            token = short_token(sp.text) if " " not in sp.text.strip() else None
            if token and self._names_surname(token):
                ent = f"name:{token}"
                pid = ent_person.get(ent)
                if pid is None:
                    pid = self._short(ent, sp.text, token)
                    if pid is not None:
                        ent_person[ent] = pid
                        self.attach(pid, ent, sp.text)
                if pid is not None:
                    self._mention(q.id, "speaker", ent)
        if pid is not None and not name:
            name = self.con.execute("SELECT name FROM people WHERE id=?", (pid,)).fetchone()[0]
        return pid, name


def record_genders(con: sqlite3.Connection, aid: int, article: Article, ent_person: dict[str, int]) -> None:
    """What article ``aid`` says of each of its people's gender is recorded, and each person's
    gender across the store brought up to date (``linking.refresh_gender``)."""
    touched = set()
    for e in article.entities:
        pid = ent_person.get(e.id)
        if pid is not None and e.kind in PERSON_KINDS and e.gender != "unknown":
            record_gender(con, aid, e.id, pid, e.gender.value, e.gender_evidence)
            touched.add(pid)
    for pid in sorted(touched):
        refresh_gender(con, pid)
