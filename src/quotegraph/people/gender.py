"""The gender of each person of an article, as the article tells it (``Entity.gender``).

Evidence, strongest first:

1. gendered honorifics and nouns the article gives the person: "Mr.", "Ms.", "Mrs.", "Miss",
   "Sir", "Dame", "Lady", "Lord" written before a mention or in a form of the name, and the head
   word of a role ("the congresswoman", "his wife", "a spokesman for the port"; not "chairman",
   which newsrooms use for women too): ``honorific``;
2. pronouns coreferent with the person: the he/she the article's own resolution gives the
   person as a speaker or an addressee, and a he/she/his/her after a mention of the person in the
   same or the next sentence, with no other person, no gendered noun ("his wife") and no
   quotation mark between them: ``pronoun``;
3. the given name's usual gender where its bearers are almost all of one gender (at most
   ``NAME_THRESHOLD`` of the other, from the shipped nomquamgender-derived table): ``name``;

else ``unknown`` (``none``). Honorifics count twice a pronoun; the gender with more evidence wins,
and a tie is unknown. Only persons get a gender, never organisations, outlets, documents or
groups.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..lexicon import FEMALE_WORDS, MALE_WORDS
from ..models import Article, Entity, Gender, GenderEvidence
from .names import female_share
from .registry import role_heads

#: a given name is taken for a gender when at most this share of its bearers have the other
#: (chosen on the tuning half of eval/gender: see docs/accuracy.md)
NAME_THRESHOLD = 0.1
#: an honorific or gendered noun weighs this many pronouns
HONORIFIC_WEIGHT = 2
#: how far after a mention a pronoun is looked for (characters; within the next sentence too)
PRONOUN_WINDOW = 300

FEMALE, MALE = Gender.FEMALE, Gender.MALE

HONORIFICS = {"mr": MALE, "sir": MALE, "lord": MALE, "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE,
              "dame": FEMALE, "lady": FEMALE}
# nouns for one gender in practice: "chairman" is said of women too
NOT_GENDERED = frozenset({"chairman"})
GENDER_NOUNS = {**{w: MALE for w in MALE_WORDS - NOT_GENDERED}, **{w: FEMALE for w in FEMALE_WORDS - NOT_GENDERED},
                **HONORIFICS}
PRONOUNS = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
            "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}

_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord|MR|MRS|MS)\.?\s+$")
_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
_WORD = re.compile(r"[A-Za-z]+")
# the end of a sentence: a full stop, question or exclamation mark (with a closing quotation
# mark or bracket) before a space
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s")
_QUOTE_MARKS = frozenset("\"“”«»")


@dataclass
class Votes:
    """The evidence for one entity: honorific and pronoun votes per gender."""

    honorific: Counter[Gender] = field(default_factory=Counter)
    pronoun: Counter[Gender] = field(default_factory=Counter)

    def decide(self) -> tuple[Gender, GenderEvidence] | None:
        score = {g: HONORIFIC_WEIGHT * self.honorific[g] + self.pronoun[g] for g in (FEMALE, MALE)}
        if score[FEMALE] == score[MALE]:
            return None
        won = FEMALE if score[FEMALE] > score[MALE] else MALE
        lost = MALE if won is FEMALE else FEMALE
        return won, "honorific" if self.honorific[won] > self.honorific[lost] else "pronoun"


def assign_genders(article: Article, name_threshold: float = NAME_THRESHOLD) -> None:
    """Set ``gender`` and ``gender_evidence`` on every person entity of ``article`` (in place)."""
    persons = [e for e in article.entities if e.kind == "person"]
    if not persons:
        return
    votes = {e.id: Votes() for e in persons}
    for e in persons:
        _honorific_votes(article.text, e, votes[e.id])
    _resolved_pronoun_votes(article, votes)
    _nearby_pronoun_votes(article, persons, votes)
    for e in persons:
        decided = votes[e.id].decide() or _by_name(e, name_threshold)
        if decided is not None:
            e.gender, e.gender_evidence = decided


def _honorific_votes(text: str, e: Entity, v: Votes) -> None:
    """Titles before mentions, the first word of the name's forms, the head word of its roles."""
    for s, _ in e.mentions:
        m = _TITLE_BEFORE.search(text, max(0, s - 7), s)
        if m:
            v.honorific[HONORIFICS[m.group(1).lower()]] += 1
    for form in (e.name, *e.aliases):
        words = form.split()
        g = HONORIFICS.get(words[0].lower().rstrip(".")) if words else None
        if g is not None:
            v.honorific[g] += 1
    for head in role_heads(e.roles):
        g = GENDER_NOUNS.get(head.lower().rstrip(".,"))
        if g is not None:
            v.honorific[g] += 1


def _resolved_pronoun_votes(article: Article, votes: dict[str, Votes]) -> None:
    """The he/she the article's resolution gave a person as speaker or addressee."""
    for q in article.quotes:
        for m in (q.speaker, q.addressee):
            if m is not None and m.entity in votes:
                g = PRONOUNS.get(m.text.lower())
                if g is not None:
                    votes[m.entity].pronoun[g] += 1


def _nearby_pronoun_votes(article: Article, persons: list[Entity], votes: dict[str, Votes]) -> None:
    """A pronoun after a mention, in its sentence or the next, where the person is the only candidate."""
    text = article.text
    mentions = sorted((s, e, ent.id) for ent in persons for s, e in ent.mentions)
    counted: set[int] = set()  # a pronoun after two mentions of one person counts once
    for i, (s, end, eid) in enumerate(mentions):
        limit = _window_end(article, text, s, end)
        m = _PRONOUN.search(text, end, limit)
        if m is None or m.start() in counted:
            continue
        between = text[end : m.start()]
        if any(c in _QUOTE_MARKS for c in between):
            continue  # a pronoun inside a quotation (or the mention inside one): another speaker's
        if any(w.lower() in GENDER_NOUNS for w in _WORD.findall(between)):
            continue  # 'Smith and his wife said she': another candidate
        start = _sentence_start(text, s)
        others = (oid != eid and os_ < m.start() and oe > start for os_, oe, oid in mentions[max(0, i - 40): i + 40])
        if any(others):
            continue
        counted.add(m.start())
        votes[eid].pronoun[PRONOUNS[m.group(0).lower()]] += 1


def _window_end(article: Article, text: str, s: int, end: int) -> int:
    """Where the search for a pronoun after a mention stops: the end of the next sentence, within
    ``PRONOUN_WINDOW`` characters and the mention's paragraph."""
    limit = min(len(text), end + PRONOUN_WINDOW)
    for p in article.paragraphs:
        if p.span[0] <= s < p.span[1]:
            limit = min(limit, p.span[1])
            break
    first = _SENTENCE_END.search(text, end, limit)
    if first is not None:
        second = _SENTENCE_END.search(text, first.end(), limit)
        if second is not None:
            limit = second.end()
    return limit


def _sentence_start(text: str, pos: int) -> int:
    """The start of the sentence holding ``pos`` (looked for at most ``PRONOUN_WINDOW`` back)."""
    lo = max(0, pos - PRONOUN_WINDOW)
    last = lo
    for m in _SENTENCE_END.finditer(text, lo, pos):
        last = m.end()
    return last


def _by_name(e: Entity, threshold: float) -> tuple[Gender, GenderEvidence] | None:
    """The given name's gender, where at most ``threshold`` of its bearers have the other."""
    words = [w for w in e.name.split() if w.lower().rstrip(".") not in HONORIFICS]
    if len(words) < 2 or len(words[0].rstrip(".")) < 2:
        return None  # a surname alone, or an initial, says nothing
    share = female_share(words[0])
    if share is None:
        return None
    if share >= 1 - threshold:
        return FEMALE, "name"
    if share <= threshold:
        return MALE, "name"
    return None
