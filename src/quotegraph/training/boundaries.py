"""Train the boundary stage (``quotegraph.find.boundaries``) on PolNeAR's train split.

The finders run on every article as ``extract`` runs them (rules, the packaged pair model, the
links across paragraphs). Each attribution the boundary stage would look at, whose content
covers more than 30% of a gold attribution's content in the same paragraph, gives two example
sets: its candidate starts, positive where the start is the gold content's start as the scorer
compares them (after trimming spaces and quotation marks), and its candidate ends, likewise.
A set with no positive candidate (the gold edge is outside the window or inside a word) is left
out. Two logistic models over ``boundaries.start_features`` / ``end_features`` learn which
candidate is the edge; then, for each attribution whose gold start and end are both among the
``TOP_K`` best of the two, a third learns which pair of them is the content
(``boundaries.pair_features``) on top of the sum of their scores. Deterministic (fixed seed,
sorted features, no set or hash order in the result: the same bytes under any
PYTHONHASHSEED), plain Python; the model file holds feature weights over dependency labels,
coarse tags and stop words only. The examples come from the finders as they run at this
commit: retrain whenever the finders or the features change (``make check-boundary-model``
tells whether the shipped file is still what the trainer gives).

Reproduce with::

    quotegraph train boundaries PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..evaluation.metrics import exact_key, length, merge_spans, overlap, spans_of, trim_span
from ..find.boundaries import (
    MODEL_FILE,
    TOP_K,
    BoundaryModel,
    Setting,
    end_candidates,
    end_features,
    pair_features,
    pairs,
    refinable,
    save,
    score,
    setting,
    start_candidates,
    start_features,
)
from ..learned import store
from ..learned.linear import Group, fit_choice
from .attributions import Parsed, corpus_meta, pair_finder, parse_articles

__all__ = ["MODEL_FILE", "Examples", "examples", "learn", "save"]

EPOCHS = 6
LEARNING_RATE = 0.05


@dataclass
class Attribution:
    """One refinable attribution matched to a gold content: its setting, candidates and labels."""

    setting: Setting
    starts: list[int]
    ends: list[int]
    start_features: list[list[str]]
    end_features: list[list[str]]
    start_gold: list[int]
    end_gold: list[int]


@dataclass
class Examples:
    items: list[Attribution] = field(default_factory=list)
    attributions: int = 0  # refinable attributions matched to a gold content
    start_reachable: int = 0  # ... whose gold start is among the candidates
    end_reachable: int = 0

    @property
    def starts(self) -> list[Group]:
        return [(a.start_features, a.start_gold) for a in self.items if any(a.start_gold)]

    @property
    def ends(self) -> list[Group]:
        return [(a.end_features, a.end_gold) for a in self.items if any(a.end_gold)]


def examples(parsed: list[Parsed], out: Examples | None = None) -> Examples:
    """The refinable attributions of ``parsed`` (found as ``extract`` finds them) whose content
    covers more than 30% of a gold content of their paragraph, with the candidate edges."""
    from ..find.interview import answers
    from ..pipeline import Options, find_candidates

    ex = out if out is not None else Examples()
    # the rules' candidates and the learned pair finder's, from a pair model trained here from the
    # parse and the gold (``attributions.pair_finder``): this model is trained before the
    # attribution model, which learns from what it does (one pass of `make retrain`: no cycle)
    options = Options()
    pairs = pair_finder(parsed)
    for item in parsed:
        prep, art = item.prepared, item.article
        text = art.text
        ctxs = {c.index: c for c in prep.ctxs}
        gold = [(merge_spans(spans_of(a.content)), exact_key(text, spans_of(a.content)))
                for a in art.attributions if a.content]
        for c in answers(prep.ctxs, find_candidates(prep, options, pairs)):
            if not refinable(c):
                continue
            ctx = ctxs[c.para]
            spans = [(ctx.offset + s, ctx.offset + e) for s, e in c.content]
            lo, hi = ctx.offset, ctx.offset + len(ctx.text)
            best = None
            for pieces, key in gold:
                if key is None or not (lo <= pieces[0][0] and pieces[-1][1] <= hi):
                    continue
                ov = overlap(spans, pieces)
                if ov > 0.3 * length(pieces) and (best is None or ov > best[0]):
                    best = (ov, key)
            if best is None:
                continue
            st = setting(ctx, c)
            if st is None:
                continue
            key = best[1]
            ex.attributions += 1
            starts = start_candidates(st)
            ys = [int(trim_span(text, (ctx.offset + ctx.doc[i].idx, key[1]))[0] == key[0]) for i in starts]
            ends = end_candidates(st)
            ye = []
            for j in ends:
                t = ctx.doc[j]
                ye.append(int(trim_span(text, (key[0], ctx.offset + t.idx + len(t.text)))[1] == key[1]))
            ex.start_reachable += any(ys)
            ex.end_reachable += any(ye)
            ex.items.append(Attribution(st, starts, ends, [start_features(st, i) for i in starts],
                                        [end_features(st, j) for j in ends], ys, ye))
    return ex


def pair_groups(ex: Examples, start: dict[str, float], end: dict[str, float]) -> tuple[list[Group], list[list[float]]]:
    """For each attribution whose gold start and end are both among the ``TOP_K`` best by the
    start and end models: its candidate pairs (``boundaries.pairs``) with their span features,
    the gold pair positive, and the pairs' start + end scores as the base."""
    groups: list[Group] = []
    bases: list[list[float]] = []
    for a in ex.items:
        if not (any(a.start_gold) and any(a.end_gold)):
            continue
        st = a.setting
        ss = [(score(start, fs), i) for fs, i in zip(a.start_features, a.starts, strict=False)]
        se = [(score(end, fs), j) for fs, j in zip(a.end_features, a.ends, strict=False)]
        ss.sort(key=lambda x: (-x[0], x[1] != st.start_tok, x[1]))
        se.sort(key=lambda x: (-x[0], x[1] != st.end_tok, -x[1]))
        gs = {i for i, y in zip(a.starts, a.start_gold, strict=False) if y}
        ge = {j for j, y in zip(a.ends, a.end_gold, strict=False) if y}
        cands = pairs(st, ss, se)
        ys = [int(i in gs and j in ge) for _, i, j in cands]
        if not any(ys) or all(ys):
            continue
        groups.append(([pair_features(st, i, j) for _, i, j in cands], ys))
        bases.append([b for b, _, _ in cands])
    return groups, bases


def learn(root: str, split: str = "train", *, limit: int | None = None, parsed: list[Parsed] | None = None,
          on_article: Callable[[], None] | None = None, on_step: Callable[[str], None] | None = None,
          joint: bool = True) -> BoundaryModel:
    step = on_step or (lambda msg: None)
    if parsed is None:
        parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    step("boundary examples")
    ex = examples(parsed)
    step("boundary models")
    start = fit_choice(ex.starts, epochs=EPOCHS, lr=LEARNING_RATE)
    end = fit_choice(ex.ends, epochs=EPOCHS, lr=LEARNING_RATE)
    pair: dict[str, float] = {}
    npairs = 0
    if joint:
        groups, bases = pair_groups(ex, start, end)
        npairs = len(groups)
        pair = fit_choice(groups, epochs=EPOCHS, lr=LEARNING_RATE, base=bases)
    about = (f"content boundaries: logistic weights over dependency labels, coarse tags and stop words (no text); "
             f"{split} split, {len(parsed)} articles, {ex.attributions} attributions "
             f"({ex.start_reachable} with the gold start among the candidates, {ex.end_reachable} the gold end), "
             f"{sum(len(x) for x, _ in ex.starts)} candidate starts, {sum(len(x) for x, _ in ex.ends)} candidate ends, "
             f"{npairs} attributions with the gold pair among the top {TOP_K} x {TOP_K}")
    return BoundaryModel(start, end, about, pair, corpus_meta(store.BOUNDARIES, [p.article for p in parsed], split, limit))
