"""Speaker choice: which mention in the text is the source of an attribution.

The finders (``finders.py``) and ``learned.py`` name a source by rule (the cue verb's
subject, the agent of a passive, the object of "according to"). Those rules go wrong in
recognisable ways: the subject of another clause, a noun inside the content, the relative
pronoun of the wrong clause, an object taken for the speaker. This stage looks again: for every
attribution with a cue word, each noun, proper noun and pronoun of the cue's sentence and the one
before it is a candidate, described by symbolic features (the dependency path from the cue, its
part of speech and entity type, which side of the cue it stands on, whether the rules chose it,
the attribution's kind ...) and scored by a logistic model trained on PolNeAR train's Source
spans (``quotegraph train speakers``). The best-scoring candidate becomes the speaker mention.

The model file holds weights over dependency labels, tags and dictionary words only (no names,
no corpus text), and is loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from ..learned import store
from ..learned.attributions import word
from ..learned.linear import score, sigmoid
from ..lexicon import ANONYMOUS_NOUNS, DOCUMENT_NOUNS, ORGANIZATION_NOUNS, REFERS
from .attribution import Candidate, How, ParaCtx, mention_span

MODEL_FILE = store.SPEAKERS.packaged

CANDIDATE_POS = frozenset({"PROPN", "NOUN", "PRON"})
# the heads of noun phrases only: the parts of a name or a compound are not candidates
NOT_HEADS = frozenset({"compound", "flat", "nmod", "det", "case", "punct"})
GOVERNED = frozenset({"xcomp", "advcl", "acl", "ccomp", "conj", "pcomp", "relcl"})
# where the rules' choice is kept without a second look: the speaker is written in the form itself
FIXED_HOW = frozenset({How.LABEL, How.INHERIT, How.DASH, How.COLON, How.NESTED, How.ASIDE, How.ADJACENT})


@dataclass
class SpeakerModel:
    weights: dict[str, float]
    threshold_add: float = 0.5  # probability from which a speaker is added where the rules found none
    about: str = ""
    meta: store.Meta | None = None  # what the file says about itself (``learned.store``); a trainer sets it

    def score(self, feats: list[str]) -> float:
        return sigmoid(score(self.weights, feats))

    def to_json(self) -> dict:
        return {"about": self.about, "threshold_add": self.threshold_add,
                "weights": {k: round(v, 3) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-3}}

    @classmethod
    def from_json(cls, d: dict, meta: store.Meta | None = None) -> SpeakerModel:
        return cls(dict(d["weights"]), float(d.get("threshold_add", 0.5)), d.get("about", ""), meta)


def save(model: SpeakerModel, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata as sorted, compact JSON, gzipped reproducibly."""
    return store.save_json(model.meta, model.to_json(), path)


load = store.json_loader(store.SPEAKERS, SpeakerModel.from_json)  # load(path=None): read once per process


# ------------------------------------------------------------------ candidates and features


def candidates(ctx: ParaCtx, cue: Token, content: list[tuple[int, int]], rule: Token | None = None) -> list[Token]:
    """Noun-phrase heads of the cue's sentence and the sentence before it, outside the content."""
    doc = ctx.doc
    sent = cue.sent
    start = sent.start
    if start > 0:
        start = doc[start - 1].sent.start
    out: list[Token] = []
    for t in doc[start : sent.end]:
        if t.i == cue.i or t.pos_ not in CANDIDATE_POS or t.dep_ in NOT_HEADS or t.idx < ctx.dateline_end:
            continue
        if any(s <= t.idx < e for s, e in content):
            continue
        out.append(t)
    if rule is not None and rule.doc is doc and all(t.i != rule.i for t in out):
        out.append(rule)
    return out


def dep_path(a: Token, b: Token, limit: int = 4) -> str | None:
    """The dependency path from ``a`` up to the common ancestor and down to ``b``
    ('^conj>nsubj'), or None when it is longer than ``limit`` links."""
    up: list[Token] = [a]
    while up[-1].head.i != up[-1].i and len(up) <= limit + 1:
        up.append(up[-1].head)
    index = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    t = b
    while t.i not in index:
        down.append(t)
        if t.head.i == t.i or len(down) > limit:
            return None
        t = t.head
    k = index[t.i]
    if k + len(down) > limit:
        return None
    return "".join("^" + x.dep_ for x in up[:k]) + "".join(">" + x.dep_ for x in reversed(down))


def _cand_class(t: Token) -> str:
    low = t.lower_
    if t.pos_ == "PRON":
        return "pron:" + (low if low in REFERS else "other")
    lem = t.lemma_.lower()
    if t.pos_ == "NOUN":
        if lem in ANONYMOUS_NOUNS:
            return "noun:anon"
        if lem in DOCUMENT_NOUNS:
            return "noun:doc"
        if lem in ORGANIZATION_NOUNS:
            return "noun:org"
        return "noun"
    return "propn:" + (t.ent_type_ or "-")


def features(ctx: ParaCtx, cand: Candidate, t: Token, rule: Token | None) -> list[str]:
    """The features of ``t`` as the source of ``cand`` (whose ``cue_token`` is set)."""
    cue = cand.cue_token
    if cue is None:
        raise ValueError("the speaker model scores only a candidate with a cue token")
    path = dep_path(cue, t) or "far"
    cls = _cand_class(t)
    side = "L" if t.i < cue.i else "R"
    dist = abs(t.i - cue.i)
    db = "1" if dist <= 1 else "2-3" if dist <= 3 else "4-7" if dist <= 7 else "8-15" if dist <= 15 else "16+"
    same = str(t.sent.start == cue.sent.start)
    is_rule = "rule" if rule is not None and rule.i == t.i else ("norule" if rule is None else "other")
    lem = word(cue)
    kind = cand.kind
    inq = str(ctx.in_quote(t))
    f = [
        "bias",
        "P=" + path,
        "C=" + cls,
        "PC=" + path + "|" + cls,
        "dep=" + t.dep_,
        "depC=" + t.dep_ + "|" + cls,
        "side=" + side + "|" + same,
        "dist=" + db,
        "sdist=" + side + db,
        "R=" + is_rule,
        "RP=" + is_rule + "|" + path,
        "RC=" + is_rule + "|" + cls,
        "how=" + (cand.how or "-") + "|" + is_rule,
        "kind=" + kind + "|" + side,
        "kP=" + kind + "|" + path,
        "inq=" + inq,
        "cuepos=" + cue.pos_ + "|" + path,
        "L=" + lem + "|" + path,
        "Ldep=" + lem + "|" + t.dep_,
        "cuedep=" + cue.dep_ + "|" + path,
        "ent=" + (t.ent_type_ or "-"),
        "poss=" + str(any(k.tag_ == "POS" for k in t.children)),
    ]
    if t.pos_ == "NOUN":
        f.append("N=" + word(t))
    if t.pos_ == "PRON":
        f.append("pronP=" + t.lower_ + "|" + path if t.lower_ in REFERS else "pronP=other")
    if t.dep_ == "pobj":
        f.append("prep=" + word(t.head.lower_) + "|" + path)
    if cue.dep_ in GOVERNED and cue.head.i != cue.i:
        f.append("gov=" + word(cue.head) + "|" + cue.dep_ + "|" + path)
    return f


def rescore(ctx: ParaCtx, cand: Candidate, model: SpeakerModel) -> None:
    """Choose the speaker mention of ``cand`` among the candidates of its cue's sentence."""
    cue = cand.cue_token
    if cue is None or cand.how in FIXED_HOW or cand.inherit_from is not None:
        return
    if cand.cue_para is not None and cand.cue_para != cand.para:
        return
    if cand.speaker_para is not None and cand.speaker_para != cand.para:
        return
    if cue.doc is not ctx.doc:
        return
    rule = cand.speaker_token if cand.speaker_token is not None and cand.speaker_token.doc is ctx.doc else None
    if rule is None and any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children):
        return  # 'Residents were told to ...': a passive names its source or none, never its subject
    options = candidates(ctx, cue, cand.content, rule)
    if not options:
        return
    scored = [(model.score(features(ctx, cand, t, rule)), -abs(t.i - cue.i), t) for t in options]
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    p, _, best = scored[0]
    cand.speaker_score = p
    cand.speaker_margin = p - (scored[1][0] if len(scored) > 1 else 0.0)
    if rule is None and p < model.threshold_add:
        return
    if rule is not None and best.i == rule.i:
        return
    cand.speaker_token = named(best)
    cand.speaker = mention_span(ctx.doc, cand.speaker_token)


def named(t: Token) -> Token:
    """The head of the mention ``t`` stands in, by its name where it has one: the noun an
    'of'-phrase hangs from ('one of the advisers'), the name in apposition to a role noun
    ('the chairman, Phil Lovas')."""
    while t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ in ("of", "at", "for", "from") and t.head.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        t = t.head.head
    if t.pos_ == "NOUN" and t.dep_ == "appos" and t.head.pos_ == "PROPN":
        return t.head  # 'Loomis Robotics, the automation company'
    if t.pos_ == "NOUN":
        for a in t.children:
            if a.dep_ == "appos" and a.pos_ == "PROPN" and a.ent_type_ in ("PERSON", "ORG"):
                return a
    return t
