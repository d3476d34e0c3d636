"""Who a source mention refers to, chosen by a learned ranker over the article's people.

A pronoun ('he', 'she') or a definite role ('the treasurer') names no one by itself: it refers to
one of the people the article has mentioned before it. Each such person is a candidate, described
by features that carry over from article to article (none of them a name or a word of the text):

* how far back: the candidate's rank among the people mentioned before (nearest first), the
  sentences and paragraphs since its last mention, how often it was mentioned;
* agreement: the mention's gender (he/she, Mr/Ms, the name table of ``people.names``) or, for a
  role noun, whether the article linked that role to the candidate ('Maria Okafor, the city
  treasurer'): agrees, clashes, or unknown;
* the syntactic role of the last mention (the subject of its clause, an object, a possessive),
  whether it stood inside a quotation;
* discourse: whether the candidate was the speaker of the attribution just before (the run of
  quotes a reporter writes one speaker at a time), whether it is the speaker of the quotation
  the mention stands in (the other side of the exchange), whether it was the article's first
  person.

A conditional logit (``learned.linear.fit_choice``) scores the candidates; the best one is the
referent, the nearest first among equals. (The distance features are computed but left out of
the shipped model: ``training.referents.DROPPED`` says why.) It is trained on PolNeAR train (``quotegraph train referents``; ``training.referents``).
The model file holds weights over these feature names only.

Used today for definite roles (``resolution.definite_title``); he/she stay with the nearest person
of their gender until the ranker has labels of real pronouns (``resolution.Referring``).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from ..learned import store
from ..learned.linear import score
from ..people.names import gender_of_words
from ..people.registry import EntityRec, People
from .attribution import ParaCtx

MODEL_FILE = store.REFERENTS.packaged
MAX_CANDIDATES = 8  # the nearest people before the mention
MAX_SENTENCES = 12  # a person last mentioned further back is no candidate
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}


@dataclass
class ReferentModel:
    weights: dict[str, float]
    about: str = ""
    meta: store.Meta | None = None  # what the file says about itself; a trainer sets it

    def to_json(self) -> dict:
        return {"about": self.about, "weights": {k: v for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, d: dict, meta: store.Meta | None = None) -> ReferentModel:
        return cls({str(k): float(v) for k, v in d["weights"].items()}, str(d.get("about", "")), meta)


def save(model: ReferentModel, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata as sorted, compact JSON, gzipped reproducibly."""
    return store.save_json(model.meta, model.to_json(), path)


load = store.json_loader(store.REFERENTS, ReferentModel.from_json)  # load(path=None): read once per process


class Discourse:
    """Sentences and tokens of one article by global offset."""

    def __init__(self, ctxs: Sequence[ParaCtx]):
        self.ctxs = sorted(ctxs, key=lambda c: c.offset)
        self._para_starts = [c.offset for c in self.ctxs]
        self._sent_starts: list[int] = []
        for c in self.ctxs:
            self._sent_starts.extend(c.offset + s.start_char for s in c.doc.sents)
        self._sent_starts.sort()
        self._token_starts = {c.index: [t.idx for t in c.doc] for c in self.ctxs}

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self._sent_starts, pos)

    def ctx(self, pos: int) -> ParaCtx | None:
        k = bisect.bisect_right(self._para_starts, pos) - 1
        return self.ctxs[k] if k >= 0 else None

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self._para_starts, pos)

    def token(self, pos: int) -> Token | None:
        ctx = self.ctx(pos)
        if ctx is None or pos >= ctx.offset + len(ctx.text):
            return None
        i = bisect.bisect_right(self._token_starts[ctx.index], pos - ctx.offset) - 1
        return ctx.doc[i] if i >= 0 else None


@dataclass(frozen=True)
class Anaphor:
    """A mention to resolve: where it is, the gender it asks for, the role words it names."""

    pos: int
    gender: str | None = None
    role_words: frozenset[str] = frozenset()
    skip: tuple[tuple[int, int], ...] = ()  # the quotation it attributes: a name inside is no candidate
    exclude: str | None = None  # the speaker of the quotation it stands in
    previous: str | None = None  # the speaker of the attribution just before


def anaphor_of(tok: Token, pos: int, **kw) -> Anaphor:
    """The :class:`Anaphor` of a pronoun or role noun ``tok`` at global ``pos``."""
    gender = PRONOUN_GENDER.get(tok.lower_)
    roles: frozenset[str] = frozenset()
    if gender is None and tok.pos_ in ("NOUN", "PROPN"):
        words = [t.lower_ for t in tok.subtree if t.i <= tok.i]
        gender = gender_of_words(words)
        roles = frozenset(w for w in words if w.isalpha() and w not in ("the", "a", "an"))
    return Anaphor(pos, gender, roles, **kw)


def _bucket(n: int, edges: Sequence[int]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f"{edges[-1]}+"


class Ranker:
    """The referents of one article's mentions among its people."""

    def __init__(self, people: People, disc: Discourse, model: ReferentModel):
        self.people = people
        self.disc = disc
        self.model = model
        persons = [e for e in people.entities if e.kind == "person" and e.mentions]
        self.first = min(persons, key=lambda e: min(e.mentions)).id if persons else None

    def candidates(self, a: Anaphor) -> list[tuple[EntityRec, tuple[int, int], int]]:
        """(person, last mention before the anaphor, mentions before it), nearest first."""
        out = []
        here = self.disc.sentence(a.pos)
        for ent in self.people.entities:
            if ent.kind != "person":
                continue
            before = [m for m in ent.mentions if m[1] <= a.pos and not any(s <= m[0] and m[1] <= e for s, e in a.skip)]
            if not before:
                continue
            last = max(before)
            if here - self.disc.sentence(last[0]) > MAX_SENTENCES:
                continue
            out.append((ent, last, len(before)))
        out.sort(key=lambda x: -x[1][0])
        return out[:MAX_CANDIDATES]

    def agreement(self, a: Anaphor, ent: EntityRec) -> str:
        if a.role_words:
            words = {w for r in ent.roles + ent.honorifics for w in r.lower().split()}
            if words:
                return "yes" if a.role_words & words else "no"
        g = self.people.gender_of(ent)
        if a.gender is None or g is None:
            return "unk"
        return "yes" if g == a.gender else "no"

    def features(self, a: Anaphor, ent: EntityRec, last: tuple[int, int], count: int, rank: int) -> list[str]:
        kind = "role" if a.role_words else "pron"
        sd = _bucket(self.disc.sentence(a.pos) - self.disc.sentence(last[0]), (0, 1, 2, 4))
        pd = _bucket(self.disc.paragraph(a.pos) - self.disc.paragraph(last[0]), (0, 1))
        tok = self.disc.token(last[0])
        ctx = self.disc.ctx(last[0])
        dep = "subj" if tok is not None and tok.dep_ in SUBJECT_DEPS else "obj" if tok is not None and tok.dep_ in OBJECT_DEPS \
            else "poss" if tok is not None and tok.dep_ == "poss" else "other"
        inq = ctx is not None and tok is not None and ctx.in_quote(tok)
        # agreement as a feature is a clash or not: a known gender and an unknown one differ in
        # what the name table knows, not in who is meant (the training mentions all have one)
        agr = "no" if self.agreement(a, ent) == "no" else "ok"
        r = _bucket(rank, (0, 1, 2, 3))
        return [
            "rank=" + r, "sd=" + sd, "pd=" + pd, "agr=" + agr, "agr|rank=" + agr + "|" + r, "kagr=" + kind + "|" + agr,
            "dep=" + dep, "dep|sd=" + dep + "|" + sd, "inq=" + str(inq), "cnt=" + _bucket(count, (1, 2, 5)),
            "prev=" + str(ent.id == a.previous), "prev|sd=" + str(ent.id == a.previous) + "|" + sd,
            "excl=" + str(ent.id == a.exclude), "first=" + str(ent.id == self.first),
        ]

    def ranked(self, a: Anaphor) -> list[tuple[float, EntityRec]]:
        """The candidates with their probabilities, best first."""
        cands = self.candidates(a)
        if not cands:
            return []
        zs = [score(self.model.weights, self.features(a, e, last, n, k)) for k, (e, last, n) in enumerate(cands)]
        top = max(zs)
        es = [math.exp(z - top) for z in zs]
        tot = sum(es)
        out = [(x / tot, e) for x, (e, _, _) in zip(es, cands, strict=True)]
        out.sort(key=lambda x: -x[0])  # stable: the nearer first among equals
        return out

    def choose(self, a: Anaphor) -> EntityRec | None:
        """The referent: the best candidate whose gender or role does not clash with the mention's,
        never the speaker of the quotation the mention stands in."""
        for _, ent in self.ranked(a):
            if ent.id != a.exclude and self.agreement(a, ent) != "no":
                if a.gender and self.people.gender_of(ent) is None:
                    self.people.gender[ent.id] = a.gender  # the pronoun tells the person's gender
                return ent
        return None
