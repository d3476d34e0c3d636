"""The act model: what a record's source did, from its cue (issue #23).

``statement`` (communicated: said, told, wrote, announced, according to, a document states),
``belief`` (thinks, fears, sees X as), ``intention`` (wants, plans, hopes) or ``knowledge`` (knows,
found, saw). One logistic model per act (one against the rest, by the project's one trainer,
``learned.linear.fit_logistic``); the act is the most probable. The features are grammar and
general vocabulary, never corpus text: the cue's lemma, its verb classes (``lexicon.ACT_CLASSES``),
its verb group (negation, modals, passive, perfect), its complement (quotation, that-clause,
to-infinitive, noun, "according to"), its subject (pronoun, name, document, organisation,
anonymous, none) and its tense. Which groups the model uses is chosen by 5-fold cross-validation
on the hand-labelled train cues (``training.acts``) and written in the model file.

Whether the act happened (``factuality``: asserted, negated, hypothetical) is grammar, not learned:
see :func:`quotegraph.decide.acts.factuality`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from ..lexicon import ACT_CLASSES, ANONYMOUS_NOUNS, DOCUMENT_NOUNS, MODAL_WORDS, ORGANIZATION_NOUNS
from . import store
from .linear import score, sigmoid

MODEL_FILE = store.ACTS.packaged
ACTS: tuple[str, ...] = ("statement", "belief", "intention", "knowledge")
#: every feature group :func:`features` knows, in the order forward selection tries them
GROUPS: tuple[str, ...] = ("lemma", "lexicon", "verb_group", "complement", "subject", "tense", "lemma_pairs", "class_pairs")
QUOTE_CHARS = frozenset("\"“”‘’'«»")
PERSON_PRONOUNS = frozenset("i we you he she they one who".split())


def head_of(tokens: Sequence[Token]) -> Token:
    """The token of ``tokens`` whose head lies outside them (the first such), else the first."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


def verb_chain(cue: Token) -> list[Token]:
    """The cue and the verbs its infinitive hangs from, innermost first ("declined to comment":
    comment, declined; "went on to say": say, went)."""
    out = [cue]
    t = cue
    while t.dep_ in ("xcomp", "auxpass") and t.head.i != t.i:
        t = t.head
        out.append(t)
    return out


def governor(cue: Token) -> Token:
    """The verb that carries the cue's clause: the cue itself, or the verb it hangs from."""
    return verb_chain(cue)[-1]


def subject_of(cue: Token) -> Token | None:
    """The subject of the cue's clause (through infinitives), or the agent of a passive."""
    for t in (cue, governor(cue)):
        for k in t.children:
            if k.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return k
        for k in t.children:
            if k.dep_ == "agent":
                return next((g for g in k.children if g.dep_ == "pobj"), None)
    if cue.dep_ in ("relcl", "acl") and cue.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return cue.head
    return None


def subject_class(cue: Token) -> str:
    s = subject_of(cue)
    if s is None:
        return "none"
    low, lem = s.lower_, s.lemma_.lower()
    if s.pos_ == "PRON":
        return "pron_person" if low in PERSON_PRONOUNS else "pron_" + low
    if lem in DOCUMENT_NOUNS:
        return "document"
    if lem in ANONYMOUS_NOUNS:
        return "anonymous"
    if lem in ORGANIZATION_NOUNS or s.ent_type_ in ("ORG", "NORP", "GPE"):
        return "organization"
    if s.pos_ == "PROPN" or s.ent_type_ == "PERSON":
        return "name"
    return "noun"


def complement_class(cue: Token) -> str:
    """What the cue governs: a quotation nearby, a that-clause, a wh-clause, a to-infinitive, a
    noun, a preposition, "according to", or nothing."""
    if cue.lower_ in ("according", "per"):
        return "according_to"
    doc = cue.doc
    near = doc[max(0, cue.i - 3) : min(len(doc), cue.i + 4)]
    if any(ch in QUOTE_CHARS for t in near for ch in t.text):
        return "quotation"
    kids = list(cue.children)
    for k in kids:
        if k.dep_ == "ccomp":
            marks = [g.lower_ for g in k.children if g.dep_ == "mark"]
            if "that" in marks:
                return "that"
            if any(g.tag_ in ("WDT", "WP", "WRB") or g.lower_ in ("whether", "if") for g in k.subtree):
                return "wh"
            return "clause"
    for k in kids:
        if k.dep_ == "xcomp":
            return "to_inf" if any(g.tag_ == "TO" for g in k.children) else "xcomp"
    for k in kids:
        if k.dep_ in ("dobj", "attr", "oprd"):
            return "noun"
    for k in kids:
        if k.dep_ == "prep":
            return "prep_" + k.lower_
    if cue.dep_ == "parataxis" or any(k.dep_ == "parataxis" for k in kids):
        return "parataxis"
    return "none"


def verb_group(cue: Token) -> list[str]:
    """The verb group's words that say how the act is reported: negation, modals, passive, perfect,
    progressive (the cue's auxiliaries and those of the verb it hangs from)."""
    out: list[str] = []
    for t in {cue.i: cue, governor(cue).i: governor(cue)}.values():
        for k in t.children:
            low = k.lower_
            if k.dep_ == "neg" or low == "never":
                out.append("neg")
            elif k.dep_ == "aux" and (k.tag_ == "MD" or low in MODAL_WORDS):
                out.append("modal")
                out.append("modal_" + k.lemma_.lower())
            elif k.dep_ == "auxpass":
                out.append("passive")
            elif k.dep_ == "aux" and k.lemma_.lower() == "have":
                out.append("perfect")
            elif k.dep_ == "aux" and k.lemma_.lower() == "be" and t.tag_ == "VBG":
                out.append("progressive")
    if governor(cue) is not cue:
        out.append("gov_" + governor(cue).lemma_.lower())
    return sorted(set(out))


def lexicon_classes(lemma: str) -> list[str]:
    return [name for name, words in ACT_CLASSES.items() if lemma in words]


def features(cue: Token, groups: Iterable[str] = GROUPS) -> list[str]:
    """The cue's features in the groups named (``bias`` always)."""
    groups = set(groups)
    # 'per X' is the short form of 'according to X' (a cue only there: ``attribute.vias``)
    lem = "accord" if cue.lower_ == "per" else cue.lemma_.lower()
    classes = lexicon_classes(lem) or ["none"]
    subj = subject_class(cue)
    comp = complement_class(cue)
    out = ["bias"]
    if "lemma" in groups:
        out.append("lemma=" + lem)
    if "lexicon" in groups:
        out += ["class=" + c for c in classes]
        out.append("pos=" + cue.pos_)
    if "verb_group" in groups:
        out += ["group=" + g for g in verb_group(cue)]
    if "complement" in groups:
        out.append("comp=" + comp)
    if "subject" in groups:
        out.append("subj=" + subj)
    if "tense" in groups:
        out.append("tag=" + cue.tag_)
    if "lemma_pairs" in groups:
        out += ["lemma_subj=" + lem + "|" + subj, "lemma_comp=" + lem + "|" + comp]
    if "class_pairs" in groups:
        out += [f"class_subj={c}|{subj}" for c in classes] + [f"class_comp={c}|{comp}" for c in classes]
    return out


@dataclass
class ActModel:
    """One weight table per act; the act of a cue is the one scored most probable."""

    weights: dict[str, dict[str, float]]
    groups: tuple[str, ...] = GROUPS
    about: str = ""
    meta: store.Meta | None = None  # what the file says about itself (``learned.store``); a trainer sets it
    cv: dict[str, Any] = field(default_factory=dict)  # the cross-validation that chose ``groups``

    def probabilities(self, feats: Sequence[str]) -> dict[str, float]:
        return {act: sigmoid(score(self.weights.get(act, {}), feats)) for act in ACTS}

    def act_of_features(self, feats: Sequence[str]) -> str:
        probs = self.probabilities(feats)
        return max(ACTS, key=lambda a: (probs[a], -ACTS.index(a)))

    def act(self, cue: Token) -> str:
        return self.act_of_features(features(cue, self.groups))

    def to_json(self) -> dict[str, Any]:
        return {"about": self.about, "groups": list(self.groups), "cv": self.cv,
                "weights": {a: {k: round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 1e-4}
                            for a, w in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, d: dict[str, Any], meta: store.Meta | None = None) -> ActModel:
        groups = tuple(str(g) for g in d["groups"])
        unknown = set(groups) - set(GROUPS)
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}")
        weights = {str(a): {str(k): float(v) for k, v in w.items()} for a, w in d["weights"].items()}
        return cls(weights, groups, str(d.get("about", "")), meta, dict(d.get("cv", {})))


def save(model: ActModel, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata as indented JSON (a retrain changes only the lines that moved)."""
    return store.save_json(model.meta, model.to_json(), path, indent=1)


load = store.json_loader(store.ACTS, ActModel.from_json)  # load(path=None): read once per process
