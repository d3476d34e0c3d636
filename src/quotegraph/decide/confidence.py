"""The learned filter's check of every proposal: its probability is the record's ``confidence``."""

from __future__ import annotations

from ..attribute.records import Prepared, Resolved
from ..learned import attributions as learned


def keep_likely(p: Prepared, items: list[Resolved], model: learned.Model | None, min_confidence: float | None) -> list[Resolved]:
    """Score each attribution with the learned filter (the probability that an annotator would
    mark it: its ``confidence``) and drop those below ``min_confidence`` (None: the model's own)."""
    if model is None or not model.filter:
        return items
    floor = model.min_confidence if min_confidence is None else min_confidence
    ctxs = {c.index: c for c in p.ctxs}
    kept: list[Resolved] = []
    dropped: set[int] = set()
    for r in items:
        pr = model.keep_prob(learned.quote_features(r, ctxs[r.para], p.layout.text))
        if pr < floor:
            dropped.add(id(r))
            continue
        r.confidence = pr
        kept.append(r)
    for r in kept:
        if r.parent is not None and id(r.parent) in dropped:
            r.parent = None
    return kept
