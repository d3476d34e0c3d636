"""Train the confidence model (``quotegraph.learned.confidence``) on PolNeAR's train split.

1. The extractor runs on every article as ``extract`` does, with the shipped models, up to the
   learned filter's drop. Every record it keeps is an example: *right* when the PolNeAR scorer
   pairs it end to end with a gold attribution (``evaluation.reliability.record_labels``).
2. The learned filter was trained on these very articles, so its probability is in-sample here
   (higher and surer than on unseen text). It is replaced by an out-of-fold one: the articles
   are split in 5 folds (by document); for each fold a filter is retrained, exactly as
   ``training.attributions`` does it, on the proposals of the other four and scores the fold's
   records.
3. On the same folds, a logistic model (``learned.linear``) over ``learned.confidence.features``
   is trained on four folds and scores the fifth: every record gets an out-of-fold probability.
   Isotonic regression (scikit-learn, at training time only) maps those to the share right; its
   points are the stored calibration map. The shipped weights are those trained on all folds.

Deterministic (the linear learner's fixed seed, folds by article order, isotonic regression has
no randomness), so ``make check-models`` reproduces the file. Reproduce with::

    quotegraph train confidence PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..evaluation.metrics import length, merge_spans, overlap, spans_of
from ..evaluation.reliability import high_share, record_labels
from ..learned import attributions as learned
from ..learned import store
from ..learned.confidence import MODEL_FILE, Calibration, ConfidenceModel, filter_feature, record_features, save
from ..learned.linear import fit_logistic, score, sigmoid
from .attributions import LEARNING_RATE, Parsed, corpus_meta, parse_articles

__all__ = ["MODEL_FILE", "Examples", "describe", "examples", "fit", "learn", "save"]

FOLDS = 5


@dataclass
class Examples:
    """What the extractor does on the training articles, for the confidence model."""

    proposals: list[tuple[int, list[str], int]]  # every proposal the filter sees: (article, filter features, real)
    records: list[tuple[int, list[str], list[str], float, int]]  # every kept record: (article, its features but the
    # filter's, the filter's features, the shipped filter's probability, right)


def examples(parsed: Sequence[Parsed]) -> Examples:
    from ..decide import filters
    from ..decide.confidence import keep_likely
    from ..pipeline import Options, attributions
    from ..pipeline.serialise import serialise

    options = Options()
    model = learned.load()
    out = Examples([], [])
    for n, item in enumerate(parsed):
        prep, art = item.prepared, item.article
        text = prep.layout.text
        ctxs = {c.index: c for c in prep.ctxs}
        gold = [merge_spans(spans_of(a.content)) for a in art.attributions if a.content]
        found, people = attributions(prep, options)
        found = filters.drop_non_attributions(found, prep.ctxs, text)  # PARC's full set, as PolNeAR marks it
        qfeats = {id(r): learned.quote_features(r, ctxs[r.para], text) for r in found}
        for r in found:  # labelled as training.attributions labels the filter's examples
            real = int(any(overlap(merge_spans(r.spans), g) > 0.3 * length(g) for g in gold))
            out.proposals.append((n, qfeats[id(r)], real))
        kept = keep_likely(prep, found, model, options.filter_threshold)
        labels = record_labels(art.text, serialise(prep, kept, people, None), art)
        for r, right in zip(kept, labels, strict=True):
            out.records.append((n, record_features(r, qfeats[id(r)]), qfeats[id(r)], r.filter_prob or 0.0, int(right)))
    return out


def _fold_filter_probs(ex: Examples, folds: int) -> list[float]:
    """Each record's filter probability from a filter trained without its fold."""
    probs = [0.0] * len(ex.records)
    for k in range(folds):
        rows = [(f, y) for n, f, y in ex.proposals if n % folds != k]
        w = fit_logistic([f for f, _ in rows], [y for _, y in rows], lr=LEARNING_RATE)
        for i, rec in enumerate(ex.records):
            if rec[0] % folds == k:
                probs[i] = round(sigmoid(score(w, rec[2])), 3)
    return probs


@dataclass
class Fitted:
    model: ConfidenceModel
    oof: list[tuple[float, bool]]  # (out-of-fold calibrated probability, right) per record


def fit(ex: Examples, *, folds: int = FOLDS, refit_filter: bool = True) -> Fitted:
    """The logistic model on all records and its isotonic map from out-of-fold predictions.
    ``refit_filter``: the filter's probability out of fold (else the shipped filter's, in-sample)."""
    from sklearn.isotonic import IsotonicRegression

    fprobs = _fold_filter_probs(ex, folds) if refit_filter else [rec[3] for rec in ex.records]
    X = [rec[1] + [filter_feature(p)] for rec, p in zip(ex.records, fprobs, strict=True)]
    Y = [rec[4] for rec in ex.records]
    raw = [0.0] * len(X)
    for k in range(folds):
        train = [i for i, rec in enumerate(ex.records) if rec[0] % folds != k]
        w = fit_logistic([X[i] for i in train], [Y[i] for i in train])
        for i, rec in enumerate(ex.records):
            if rec[0] % folds == k:
                raw[i] = sigmoid(score(w, X[i]))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, Y)
    cal = Calibration([float(x) for x in iso.X_thresholds_], [float(y) for y in iso.y_thresholds_])
    model = ConfidenceModel(fit_logistic(X, Y), cal)
    return Fitted(model, [(round(cal(p), 3), bool(y)) for p, y in zip(raw, Y, strict=True)])


def describe(fitted: Fitted, ex: Examples, data: str) -> str:
    """The model's ``about``: its data and its out-of-fold figures (the map is fitted on these
    predictions, so their calibration is no test of it: PolNeAR dev is)."""
    share, acc, _ = high_share(fitted.oof)
    return (f"calibrated confidence: logistic weights over record features and an isotonic map (no text); "
            f"{data}, {len(ex.records)} records ({sum(r[4] for r in ex.records)} right); "
            f"out of {FOLDS} folds: {100 * share:.1f}% of records at >= 0.9, {100 * acc:.1f}% of them right")


def learn(root: str, split: str = "train", *, limit: int | None = None, on_article: Callable[[], None] | None = None,
          on_step: Callable[[str], None] | None = None) -> ConfidenceModel:
    """The confidence model of ``split`` (``quotegraph train confidence``)."""
    parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    articles = [p.article for p in parsed]
    if on_step is not None:
        on_step("confidence examples and model")
    ex = examples(parsed)
    fitted = fit(ex)
    fitted.model.about = describe(fitted, ex, f"{split} split, {len(articles)} articles")
    fitted.model.meta = corpus_meta(store.CONFIDENCE, articles, split, limit)
    return fitted.model
