"""The learned filter's check of every proposal, then each kept record's calibrated confidence.

* :func:`keep_likely`: the learned filter (``learned.attributions``) gives each proposal the
  probability that an annotator would mark it (``Resolved.filter_prob``) and drops those below
  its threshold (``Options.filter_threshold``).
* :func:`calibrate`: the confidence model (``learned.confidence``) gives each kept record the
  calibrated probability that it is right, speaker included (``Resolved.confidence``), and drops
  those below ``Options.min_confidence`` when set.
"""

from __future__ import annotations

from ..attribute.records import Prepared, Resolved, detach_orphans
from ..learned import attributions as learned
from ..learned import confidence as calibrated


def keep_likely(p: Prepared, items: list[Resolved], model: learned.Model | None, threshold: float | None) -> list[Resolved]:
    """Score each attribution with the learned filter (the probability that an annotator would
    mark it: its ``filter_prob``, and its ``confidence`` until :func:`calibrate` runs) and drop
    those below ``threshold`` (None: the model's own)."""
    if model is None or not model.filter:
        return items
    floor = model.min_confidence if threshold is None else threshold
    ctxs = {c.index: c for c in p.ctxs}
    kept: list[Resolved] = []
    for r in items:
        pr = model.keep_prob(learned.quote_features(r, ctxs[r.para], p.layout.text))
        if pr < floor:
            continue
        r.filter_prob = pr
        r.confidence = pr
        kept.append(r)
    return detach_orphans(kept)


def calibrate(p: Prepared, items: list[Resolved], model: calibrated.ConfidenceModel | None,
              min_confidence: float | None) -> list[Resolved]:
    """Give each record the calibrated probability that it is right (``confidence``; without a
    model, the rules alone, it keeps their own score) and drop those below ``min_confidence``
    (None: keep all)."""
    if model is not None:
        ctxs = {c.index: c for c in p.ctxs}
        for r in items:  # every record first: its features read its parent, which may go below
            feats = calibrated.features(r, r.filter_prob, learned.quote_features(r, ctxs[r.para], p.layout.text))
            r.confidence = model.prob(feats)
    if min_confidence is None:
        return items
    return detach_orphans([r for r in items if r.confidence >= min_confidence])
