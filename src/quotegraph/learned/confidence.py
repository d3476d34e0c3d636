"""The confidence model: a calibrated probability that a record is right, speaker included.

*Right* is what the PolNeAR scorer calls an end-to-end match: the record's content matches a
gold attribution's (more than 30% of it, one to one) and its speaker mention overlaps that
attribution's source (or neither has one). Two parts, both trained on PolNeAR train by
``quotegraph train confidence`` (``training/confidence.py``):

* a logistic model (``learned.linear``) over symbolic features of a record
  (:func:`features`): the learned filter's probability and its features, the speaker model's
  score and margin, the finder that proposed it, its kind, the class of its cue word, the kind
  of mention its speaker is (pronoun, role noun, name), how far the speaker stands from the cue;
* a calibration map fitted by isotonic regression on that model's out-of-fold predictions
  (5 folds by document): a non-decreasing piecewise linear map from the logistic probability
  to the share of records found right. Runtime applies the stored map; it needs no
  scikit-learn.

The model file holds weights over feature names and the map's points only: no corpus text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from spacy.tokens import Token

from ..attribute.attribution import Candidate
from ..lexicon import CUE_VERBS, INTENT_VERBS, LIGHT_VERBS, NOUN_CUES, PERCEPTION, SPEECH_CUES
from . import store
from .linear import score, sigmoid

MODEL_FILE = store.CONFIDENCE.packaged


class Record(Protocol):
    """What the confidence model reads of a record (``attribute.records.Resolved``)."""

    cand: Candidate
    kind: str
    spans: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_kind: str
    speaker_entity: str | None
    via: list[tuple[tuple[int, int], str]]
    duplicate_para: bool
    also_at: list[tuple[int, int]]
    parent: Any


def _bucket(x: float, edges: Sequence[float]) -> str:
    for e in edges:
        if x <= e:
            return f"<={e:g}"
    return f">{edges[-1]:g}"


def cue_class(t: Token | None) -> str:
    """The kind of cue word: a verb of speech, another reporting verb, a reporting noun, a verb of
    intention or perception, a light verb, another word, or none."""
    if t is None:
        return "none"
    lem = t.lemma_.lower()
    if t.pos_ == "NOUN":
        return "noun" if lem in NOUN_CUES else "noun:other"
    for name, words in (("speech", SPEECH_CUES), ("report", CUE_VERBS), ("intent", INTENT_VERBS),
                        ("perception", PERCEPTION), ("light", LIGHT_VERBS)):
        if lem in words:
            return name
    return "other"


def mention_class(t: Token | None) -> str:
    """The kind of mention a speaker is: a pronoun, a role or other noun, a name, or none."""
    if t is None:
        return "none"
    if t.pos_ == "PRON":
        return "pron"
    if t.pos_ == "PROPN":
        return "name:" + (t.ent_type_ or "-")
    if t.pos_ == "NOUN":
        return "noun"
    return "other"


def features(r: Record, filter_prob: float | None, filter_feats: Sequence[str]) -> list[str]:
    """The features of one record: its own (:func:`record_features`), the learned filter's
    probability (``filter_prob``; None: no filter) and the filter's features of it
    (``learned.attributions.quote_features``: the cue lemma, the finder, the pronoun ...)."""
    return record_features(r, filter_feats) + [filter_feature(filter_prob)]


def filter_feature(filter_prob: float | None) -> str:
    """The learned filter's probability as a feature (in bins)."""
    return "filter=" + ("none" if filter_prob is None else _bucket(filter_prob, (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)))


def record_features(r: Record, filter_feats: Sequence[str]) -> list[str]:
    """The features of one record but the filter's probability."""
    c = r.cand
    how = c.how or "-"
    spk_tok = c.speaker_token if r.speaker is not None else None
    spk = mention_class(spk_tok)
    cls = cue_class(c.cue_token)
    if r.speaker is None:
        dist = "none"
    else:
        anchor = r.cue if r.cue is not None else r.spans[0]
        gap = max(0, anchor[0] - r.speaker[1], r.speaker[0] - anchor[1])
        dist = _bucket(gap, (2, 10, 30, 80, 200))
    sscore = "none" if c.speaker_score is None else _bucket(c.speaker_score, (0.2, 0.4, 0.6, 0.8, 0.9))
    margin = "none" if c.speaker_margin is None else _bucket(c.speaker_margin, (0.05, 0.2, 0.4, 0.7))
    nchar = sum(e - s for s, e in r.spans)
    return [
        "bias",
        "how=" + how,
        "kind=" + r.kind,
        "hk=" + how + "|" + r.kind,
        "cue=" + cls,
        "kcue=" + r.kind + "|" + cls,
        "spk=" + spk,
        "kspk=" + r.kind + "|" + spk,
        "hspk=" + how + "|" + spk,
        "skind=" + (r.speaker_kind if r.speaker is not None else "none"),
        "entity=" + str(r.speaker_entity is not None),
        "sscore=" + sscore,
        "margin=" + margin,
        "dist=" + dist,
        "spara=" + str(c.speaker_para is not None and c.speaker_para != c.para),
        "len=" + _bucket(nchar, (15, 40, 100, 250)),
        "nested=" + str(r.parent is not None),
        "via=" + str(bool(r.via)),
        "dup=" + str(r.duplicate_para),
        "also=" + str(bool(r.also_at)),
        "pieces=" + str(min(len(r.spans), 3)),
        "spk|sscore=" + spk + "|" + sscore,
        "spk|margin=" + spk + "|" + margin,
        "spk|dist=" + spk + "|" + dist,
        "how|sscore=" + how + "|" + sscore,
        "kind|dist=" + r.kind + "|" + dist,
    ] + ["q:" + f for f in filter_feats]


@dataclass
class Calibration:
    """A non-decreasing piecewise linear map from [0, 1] into [0, 1] through the points
    ``(xs[i], ys[i])``: flat before the first point and after the last."""

    xs: list[float]
    ys: list[float]

    def __post_init__(self) -> None:
        if not self.xs or len(self.xs) != len(self.ys):
            raise ValueError("a calibration map needs as many ys as xs, and at least one point")
        if any(b < a for a, b in zip(self.xs, self.xs[1:], strict=False)) or any(b < a for a, b in zip(self.ys, self.ys[1:], strict=False)):
            raise ValueError("a calibration map's points must be sorted and non-decreasing")
        if not all(0.0 <= y <= 1.0 for y in self.ys):
            raise ValueError("a calibration map's values must lie in [0, 1]")

    def __call__(self, x: float) -> float:
        xs, ys = self.xs, self.ys
        k = bisect_right(xs, x)
        if k == 0:
            return ys[0]
        if k == len(xs):
            return ys[-1]
        x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass
class ConfidenceModel:
    weights: dict[str, float]
    calibration: Calibration
    about: str = ""
    meta: store.Meta | None = None  # what the file says about itself (``learned.store``); a trainer sets it

    def raw(self, feats: list[str]) -> float:
        """The logistic model's probability (before calibration)."""
        return sigmoid(score(self.weights, feats))

    def prob(self, feats: list[str]) -> float:
        """The calibrated probability that the record is right, rounded to 3 places."""
        return round(self.calibration(self.raw(feats)), 3)

    def to_json(self) -> dict[str, Any]:
        return {"about": self.about,
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4},
                "calibration": {"x": [round(x, 6) for x in self.calibration.xs],
                                "y": [round(y, 6) for y in self.calibration.ys]}}

    @classmethod
    def from_json(cls, d: dict[str, Any], meta: store.Meta | None = None) -> ConfidenceModel:
        cal = d["calibration"]
        return cls({str(k): float(v) for k, v in d["weights"].items()},
                   Calibration([float(x) for x in cal["x"]], [float(y) for y in cal["y"]]), str(d.get("about", "")), meta)


def save(model: ConfidenceModel, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata as sorted, compact JSON."""
    return store.save_json(model.meta, model.to_json(), path)


load = store.json_loader(store.CONFIDENCE, ConfidenceModel.from_json)  # load(path=None): read once per process
