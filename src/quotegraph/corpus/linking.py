"""People across articles: which stored person each named entity of an article is.

Used by the store's single writer, inside the article's transaction (so a crash leaves an
article's people, links and re-links all in or all out, and the store's state after any prefix of
an ingest is a function of that prefix alone: no memory of the process is consulted).

- A full name (two name tokens or more, titles and suffixes dropped: ``textnorm.name_tokens``) is
  one global person, ``p:<tokens>``.
- A short name (one token: "Clinton", "Mr. Trump", "Sen. Kaine", "Hillary") is linked to:

  1. a person named in full in the same article whose surname (or first name) it is: the
     article's own text says who it is (``method='article'``); when several are ("Bill Clinton"
     and "Hillary Clinton"), the one the article mentions most, with the others as alternatives;
  2. else the person the store knows under that surname or first name, weighted by the number of
     articles that name each in full (``method='store'``); the others are kept as alternatives,
     with their share as confidence;
  3. else (nobody, or no holder at least ``MIN_STORE`` likely) a global surname-only person
     ``p:<token>`` (``method='alone'``), with the store's holders as alternatives.

  A one-word name that is only the first name of the article's full names ("Hillary") is linked
  to the one the article mentions most (``method='first'``), unless the store knows the word
  mostly as a surname (a headline's "Obama Says" does not make "Obama" a first name).

  Whenever an article names somebody in full, the short names linked through the store under
  that person's tokens are re-examined: those whose most likely holder is no longer the one they
  are on are moved (a surname-only person is merged into the full-name person once the store
  knows one; "Clinton" moves from one Clinton to the other when the store's balance turns), with
  their occurrences, quotes, roles and aliases (``relinking.py``). One article's entities are
  linked by ``article_people.ArticlePeople``.

Tables (see ``SCHEMA``): ``person_names`` (first and last name token of every full-name person),
``person_links`` (one row per short-name entity of an article: what it was linked to, how, with
what confidence), ``person_alternatives`` (the other people it may be, with theirs) and
``person_mentions`` (which entity each occurrence's speaker and addressee is, so that one
entity's occurrences move without another's).
``people.n_named`` counts the articles naming a person in full, ``n_male``/``n_female`` those of
them that give the person a gendered title ("Mr.", "Mrs.", "Ms."): a "Mrs. Obama" alone goes to
the Obama the store knows as "Mrs.", whoever is named more often.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from ..lexicon import HONORIFICS, TITLE_WORDS
from ..people.names import gender_of_name
from . import textnorm as tn

PERSON_KINDS = ("person",)
ORG_KINDS = ("organization", "outlet")

SCHEMA = """
CREATE TABLE IF NOT EXISTS person_names(
  token TEXT NOT NULL, pos TEXT NOT NULL, person_id INTEGER NOT NULL,
  PRIMARY KEY(token, pos, person_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS person_links(
  article_id INTEGER NOT NULL, entity TEXT NOT NULL, written TEXT NOT NULL, token TEXT NOT NULL,
  person_id INTEGER NOT NULL, confidence REAL NOT NULL, method TEXT NOT NULL, gender TEXT,
  PRIMARY KEY(article_id, entity)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_links_name ON person_links(token, person_id);
CREATE INDEX IF NOT EXISTS person_links_person ON person_links(person_id);
CREATE TABLE IF NOT EXISTS person_mentions(
  article_id INTEGER NOT NULL, qid TEXT NOT NULL, role TEXT NOT NULL, entity TEXT NOT NULL,
  PRIMARY KEY(article_id, qid, role)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS person_alternatives(
  article_id INTEGER NOT NULL, entity TEXT NOT NULL, person_id INTEGER NOT NULL, confidence REAL NOT NULL,
  PRIMARY KEY(article_id, entity, person_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_alternatives_person ON person_alternatives(person_id);
CREATE TABLE IF NOT EXISTS person_genders(
  article_id INTEGER NOT NULL, entity TEXT NOT NULL, person_id INTEGER NOT NULL, gender TEXT NOT NULL,
  evidence TEXT NOT NULL, PRIMARY KEY(article_id, entity)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_genders_person ON person_genders(person_id);
"""

#: how much a short name linked in its own article is trusted (its full name is written there)
ARTICLE_CONFIDENCE = 0.95
#: weight of "somebody the store does not know yet" against the known holders of a name
UNSEEN = 1.0
#: a short name is linked through the store only to a holder at least this likely; a less
#: certain one stays on its surname-only person, with the holders kept as alternatives
MIN_STORE = 0.5
#: confidence of a surname-only person nobody in the store is named in full with
ALONE_CONFIDENCE = 0.5
#: alternatives kept per link (those at least this likely)
MAX_ALTERNATIVES = 5
MIN_ALTERNATIVE = 0.01

# a "name" that is a pronoun or a bare determiner is nobody (an extraction that took "I" or
# "He" for a name must not become a person of the corpus)
NOT_NAMES = frozenset(
    "i me my we us our he him his she her they them their it its you your this that these those who"
    " one someone somebody everyone anyone nobody".split()
)


_GENDER_TITLES = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|MR|MRS|MS)\.?\s+$")


def gender_of(forms: Iterable[str], text: str = "", mentions: Iterable[tuple[int, int]] = ()) -> str | None:
    """'m' or 'f' when the titles a name is written with say so ("Mr. Obama", "Mrs. Clinton"): in
    its forms, or just before its mentions in the text."""
    seen = set()
    for f in forms:
        words = f.split()
        if words:
            g = _GENDER_TITLES.get(words[0].strip(".,").casefold())
            if g:
                seen.add(g)
    for s, _ in mentions:
        m = _TITLE_BEFORE.search(text, max(0, s - 6), s)
        if m:
            seen.add(_GENDER_TITLES[m.group(1).casefold()])
    return seen.pop() if len(seen) == 1 else None


@dataclass
class Link:
    person_id: int
    confidence: float
    method: str
    alternatives: list[tuple[int, float]]


class PeopleLinker:
    """The people half of the store's writer (one per store; state lives in the database)."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    # ------------------------------------------------------------------ persons

    def person(self, name: str, kind: str, aid: int) -> tuple[int | None, bool]:
        """The global person (or organisation) a full name is, created if new: (id, created)."""
        c = self.con
        if kind in PERSON_KINDS:
            toks = tn.name_tokens(name)
            if not toks or (len(toks) == 1 and toks[0] in NOT_NAMES):
                return None, False
            key = "p:" + " ".join(toks)
        elif kind in ORG_KINDS:
            k = tn.org_key(name)
            if not k:
                return None, False
            key, toks = "o:" + k, []
        else:
            return None, False
        row = c.execute("SELECT id FROM people WHERE key=?", (key,)).fetchone()
        if row:
            return row[0], False
        kind_ = "person" if kind in PERSON_KINDS else "organization"
        display = tn.display_name(name) or name
        cur = c.execute("INSERT INTO people(key, name, kind, scope, first_article, n_named) VALUES(?,?,?,?,?,0)",
                        (key, display, kind_, None, aid))
        pid = cur.lastrowid
        if len(toks) > 1:
            c.executemany("INSERT OR IGNORE INTO person_names VALUES(?,?,?)",
                          [(toks[0], "first", pid), (toks[-1], "last", pid)])
        return pid, True

    # ------------------------------------------------------------------ short names

    def gender_fit(self, pid: int, gender: str | None) -> float:
        """How well a person fits a mention's gendered title (1: no title, or no evidence against)."""
        if gender is None:
            return 1.0
        row = self.con.execute("SELECT n_male, n_female FROM people WHERE id=?", (pid,)).fetchone()
        return _fit(row[0], row[1], gender) if row else 1.0

    def given_gender(self, pid: int) -> str | None:
        """The usual gender of a person's given name ('Michelle Obama' → 'f'), if clear."""
        row = self.con.execute("SELECT name FROM people WHERE id=?", (pid,)).fetchone()
        return gender_of_name(row[0].split()) if row else None

    def holders(self, token: str, gender: str | None = None) -> list[tuple[int, float]]:
        """The people the store names in full with ``token`` as surname or first name, with the
        probability that a bare ``token`` (with a title of that ``gender``) is each of them, most
        likely first."""
        rows = self.con.execute(
            "SELECT p.id, p.key, p.n_named, n.pos, p.n_male, p.n_female FROM person_names n"
            " JOIN people p ON p.id=n.person_id WHERE n.token=? AND p.n_named > 0", (token,)).fetchall()
        weight: dict[int, float] = {}
        keys: dict[int, str] = {}
        for pid, key, n, pos, n_m, n_f in rows:
            # a surname is what a person is called alone far more often than a first name
            w = float(n) * (1.0 if pos == "last" else 0.5) * (_fit(n_m, n_f, gender) if gender else 1.0)
            if w > weight.get(pid, 0.0):
                weight[pid] = w
            keys[pid] = key
        total = sum(weight.values()) + UNSEEN
        return sorted(((pid, w / total) for pid, w in weight.items()), key=lambda x: (-x[1], keys[x[0]]))

    def holds_title(self, pid: int, titles: frozenset[str]) -> bool:
        """Whether an article gave the person one of the office words ``titles`` in a role."""
        return any(titles & {w.lower().rstrip(".,") for w in r[0].split()}
                   for r in self.con.execute("SELECT DISTINCT role FROM person_roles WHERE person_id=?", (pid,)))

    def resolve_short(self, token: str, in_article: list[tuple[int, int, bool]],
                      gender: str | None = None, titles: frozenset[str] = frozenset()) -> Link | None:
        """Who a short name is. ``in_article``: (person id, mentions, token is the surname) of the
        full-name people of this article it may be: those it is the surname of come first; a
        first name is only taken for one when the store knows nobody under that surname (in a
        headline such as "Obama Says", "Obama" is not a first name). A title or role word alone
        ("Judge") is only ever the surname of a full name of its article; None when it is not.
        ``titles``: the office words the short name is written with ("President Clinton"): of
        namesakes, those an article gave the title; when several are and none has it, the article
        does not tell which, and the store's holders of the title do."""
        cands: list[tuple[int, float]] = [(pid, m) for pid, m, last in in_article if last]
        method = "article"
        if not cands and in_article and not self.mostly_surname(token):
            cands = [(pid, m) for pid, m, _ in in_article]
            method = "first"  # re-examined should the store come to know the word as a surname
        if cands and titles:
            held = [(pid, m) for pid, m in cands if self.holds_title(pid, titles)]
            cands = held or (cands if len(cands) == 1 else [])
        if cands and gender:
            # 'Mr. Obama' is not the article's Michelle Obama: a given name of the other gender rules one out
            cands = [(pid, m * self.gender_fit(pid, gender)) for pid, m in cands if self.given_gender(pid) in (gender, None)]
        if cands:
            total = sum(m for _, m in cands)
            ranked = sorted(cands, key=lambda x: (-x[1], x[0]))
            best, bm = ranked[0]
            conf = ARTICLE_CONFIDENCE * bm / total
            alts = [(pid, round(ARTICLE_CONFIDENCE * m / total, 4)) for pid, m in ranked[1:]]
            return Link(best, round(conf, 4), method, alts[:MAX_ALTERNATIVES])
        if tn.is_title(token):
            return None  # "Judge", "President" alone: somebody's surname in its article, else nobody
        hs = self.holders(token, gender)
        if titles:
            held = [(pid, q) for pid, q in hs if self.holds_title(pid, titles)]
            if held:  # among the holders of the title, and those the store does not know yet
                total = sum(q for _, q in held) + 1.0 - sum(q for _, q in hs)
                hs = [(pid, q / total) for pid, q in held]
        if hs and hs[0][1] >= MIN_STORE:
            best, p = hs[0]
            alts = [(pid, round(q, 4)) for pid, q in hs[1:] if q >= MIN_ALTERNATIVE]
            return Link(best, round(p, 4), "store", alts[:MAX_ALTERNATIVES])
        pid = self.surname_person(token)
        alts = [(pid, round(q, 4)) for pid, q in hs if q >= MIN_ALTERNATIVE]
        return Link(pid, ALONE_CONFIDENCE, "alone", alts[:MAX_ALTERNATIVES])

    def mostly_surname(self, token: str) -> bool:
        """Whether the store names more people in full with ``token`` as surname than as first name
        (counting articles): then a one-word mention of it is a surname."""
        w = dict(self.con.execute(
            "SELECT n.pos, sum(p.n_named) FROM person_names n JOIN people p ON p.id=n.person_id WHERE n.token=?"
            " GROUP BY n.pos", (token,)).fetchall())
        return (w.get("last") or 0) > (w.get("first") or 0)

    def surname_person(self, token: str) -> int:
        key = "p:" + token
        row = self.con.execute("SELECT id FROM people WHERE key=?", (key,)).fetchone()
        if row:
            return row[0]
        cur = self.con.execute(
            "INSERT INTO people(key, name, kind, scope, first_article, n_named) VALUES(?,?,?,?,NULL,0)",
            (key, token[:1].upper() + token[1:], "person", None))
        assert cur.lastrowid is not None  # an INSERT just made sets it
        return cur.lastrowid

    def record_link(self, aid: int, entity: str, written: str, token: str, link: Link,
                    gender: str | None = None) -> None:
        c = self.con
        c.execute("INSERT OR REPLACE INTO person_links VALUES(?,?,?,?,?,?,?,?)",
                  (aid, entity, written, token, link.person_id, link.confidence, link.method, gender))
        c.execute("DELETE FROM person_alternatives WHERE article_id=? AND entity=?", (aid, entity))
        c.executemany("INSERT OR IGNORE INTO person_alternatives VALUES(?,?,?,?)",
                      [(aid, entity, pid, conf) for pid, conf in link.alternatives if pid != link.person_id])

# ------------------------------------------------------------------ gender across articles

#: evidence an article gives by its own words (``people.gender``): beats a given name's statistic
STRONG_EVIDENCE = ("pronoun", "honorific")
#: a user's correction (``people set-gender``): never overwritten by what articles say
CORRECTION = "correction"


def record_gender(con: sqlite3.Connection, aid: int, entity: str, pid: int, gender: str, evidence: str) -> None:
    """What article ``aid`` says of the gender of its entity ``entity`` (person ``pid``)."""
    con.execute("INSERT OR REPLACE INTO person_genders VALUES(?,?,?,?,?)", (aid, entity, pid, gender, evidence))


def refresh_gender(con: sqlite3.Connection, pid: int) -> None:
    """``people.gender`` and ``gender_evidence`` of a person from what all its articles say: the
    majority of the articles' own evidence (pronouns, honorifics) where there is any, else the
    majority of their given-name statistics, else unknown (a tie is unknown). A row whose evidence
    is ``correction`` (a user's, ``people set-gender``) is left as it is."""
    row = con.execute("SELECT gender_evidence FROM people WHERE id=?", (pid,)).fetchone()
    if row is None or row[0] == CORRECTION:
        return
    votes: dict[tuple[str, str], int] = {}
    for gender, evidence, n in con.execute(
            "SELECT gender, evidence, count(*) FROM person_genders WHERE person_id=? GROUP BY gender, evidence", (pid,)):
        votes[(gender, evidence)] = n
    gender, evidence = "unknown", None
    for kinds in (STRONG_EVIDENCE, ("name",)):
        f = sum(votes.get(("female", k), 0) for k in kinds)
        m = sum(votes.get(("male", k), 0) for k in kinds)
        if f or m:
            if f != m:
                gender = "female" if f > m else "male"
                evidence = max(kinds, key=lambda k: (votes.get((gender, k), 0), k == "honorific"))
            break
    con.execute("UPDATE people SET gender=?, gender_evidence=? WHERE id=?", (gender, evidence, pid))


def gender_conflicts(con: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """People whose articles' own evidence disagrees (pronouns or honorifics of one gender in some
    articles, of the other in others): their stored gender is the majority's, or unknown on a tie."""
    ev = ",".join("?" * len(STRONG_EVIDENCE))
    rows = con.execute(
        "SELECT g.person_id, p.name, p.gender, sum(g.gender='female'), sum(g.gender='male') FROM person_genders g"
        f" JOIN people p ON p.id=g.person_id WHERE g.evidence IN ({ev}) GROUP BY g.person_id"
        " HAVING sum(g.gender='female') > 0 AND sum(g.gender='male') > 0 ORDER BY p.name, g.person_id LIMIT ?",
        (*STRONG_EVIDENCE, limit)).fetchall()
    return [{"id": r[0], "name": r[1], "gender": r[2], "articles_female": r[3], "articles_male": r[4]} for r in rows]


def _fit(n_male: int, n_female: int, gender: str) -> float:
    """How well a holder fits a title of ``gender``, from the titles the articles gave them: 1
    without evidence against; less the more articles gave the other ("Mr. Clinton" is not a
    Hillary Clinton the store knows as "Mrs." five times: 0.03), little for one stray vote (an
    article that gave "Mrs. Clinton" to Bill Clinton's entity: 0.25)."""
    same, other = (n_male, n_female) if gender == "m" else (n_female, n_male)
    return min(1.0, 4.0 * ((same + 0.5) / (same + other + 1.0)) ** 2)


def office_words(roles: Iterable[str]) -> frozenset[str]:
    """The titles of office among the words of a short name's roles ('president' of 'President';
    not 'mr' of 'Mr.', which says a gender, nor 'former')."""
    words = {w.lower().rstrip(".,") for r in roles for w in r.split()}
    return frozenset(w for w in words if w in TITLE_WORDS and w not in HONORIFICS and w not in ("former", "then"))


def short_token(name: str) -> str | None:
    """The one name token of a short name ("Mr. Trump" -> "trump", "De Blasio" -> "blasio"), None
    for a full name."""
    t = tn.short_name(name)
    return t if t and t not in NOT_NAMES else None
