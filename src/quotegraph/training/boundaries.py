"""Train the boundary stage (``quotegraph.boundaries``) on PolNeAR's train split.

The finders run on every article as ``extract`` runs them (rules, the packaged pair model, the
links across paragraphs). Each attribution the boundary stage would look at, whose content
covers more than 30% of a gold attribution's content in the same paragraph, gives two example
sets: its candidate starts, positive where the start is the gold content's start as the scorer
compares them (after trimming spaces and quotation marks), and its candidate ends, likewise.
A set with no positive candidate (the gold edge is outside the window or inside a word) is left
out. Two logistic models over ``boundaries.start_features`` / ``end_features`` learn which
candidate is the edge. Deterministic (fixed seed, sorted features), plain Python; the model
file holds feature weights over dependency labels, coarse tags and stop words only.

Reproduce with::

    quotegraph train boundaries PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..boundaries import MODEL_FILE, BoundaryModel, end_candidates, end_features, refinable, save, setting, start_candidates, start_features
from ..evaluation.metrics import exact_key, length, merge_spans, overlap, trim_span
from .attributions import Parsed, parse_articles

__all__ = ["MODEL_FILE", "Examples", "examples", "learn", "save"]

EPOCHS = 6
LEARNING_RATE = 0.05


def fit_choice(groups: list[tuple[list[list[str]], list[int]]], *, epochs: int = EPOCHS, lr: float = LEARNING_RATE,
               l2: float = 1e-6, seed: int = 13, min_count: int = 2) -> dict[str, float]:
    """Multinomial logistic regression over the candidates of each group (a conditional logit:
    the probability of a candidate is the softmax of its score over its group), by AdaGrad SGD
    with L2; features seen in fewer than ``min_count`` groups are dropped. Deterministic."""
    counts: Counter[str] = Counter(f for X, _ in groups for f in {f for fs in X for f in fs})
    index = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    data = [([[index[f] for f in fs if f in index] for fs in X], Y) for X, Y in groups]
    w = [0.0] * len(index)
    g2 = [1e-8] * len(index)
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            X, Y = data[k]
            zs = [sum(w[j] for j in ids) for ids in X]
            top = max(zs)
            es = [math.exp(z - top) for z in zs]
            tot = sum(es)
            npos = sum(Y)
            grad: dict[int, float] = {}
            for ids, e, y in zip(X, es, Y):
                g = e / tot - (y / npos)
                if abs(g) < 1e-9:
                    continue
                for j in ids:
                    grad[j] = grad.get(j, 0.0) + g
            for j, g in grad.items():
                g += l2 * w[j]
                g2[j] += g * g
                w[j] -= lr * g / math.sqrt(g2[j])
    return {f: round(w[i], 5) for f, i in index.items() if abs(w[i]) >= 1e-5}


@dataclass
class Examples:
    starts: list[tuple[list[list[str]], list[int]]] = field(default_factory=list)  # (features, labels) per attribution
    ends: list[tuple[list[list[str]], list[int]]] = field(default_factory=list)
    attributions: int = 0  # refinable attributions matched to a gold content
    start_reachable: int = 0  # ... whose gold start is among the candidates
    end_reachable: int = 0


def examples(parsed: list[Parsed], out: Optional[Examples] = None) -> Examples:
    from ..pipeline import Options, find_candidates

    ex = out if out is not None else Examples()
    options = Options()
    for item in parsed:
        prep, art = item.prepared, item.article
        text = art.text
        ctxs = {c.index: c for c in prep.ctxs}
        gold = [(merge_spans(map(tuple, a.content)), exact_key(text, [tuple(s) for s in a.content]))
                for a in art.attributions if a.content]
        for c in find_candidates(prep, options):
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
            if any(ys):
                ex.start_reachable += 1
                ex.starts.append(([start_features(st, i) for i in starts], ys))
            ends = end_candidates(st)
            ye = []
            for j in ends:
                t = ctx.doc[j]
                ye.append(int(trim_span(text, (key[0], ctx.offset + t.idx + len(t.text)))[1] == key[1]))
            if any(ye):
                ex.end_reachable += 1
                ex.ends.append(([end_features(st, j) for j in ends], ye))
    return ex


def learn(root: str, split: str = "train", *, limit: Optional[int] = None, parsed: Optional[list[Parsed]] = None,
          on_article: Optional[Callable[[], None]] = None, on_step: Optional[Callable[[str], None]] = None) -> BoundaryModel:
    step = on_step or (lambda msg: None)
    if parsed is None:
        parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    step("boundary examples")
    ex = examples(parsed)
    step("boundary models")
    start = fit_choice(ex.starts)
    end = fit_choice(ex.ends)
    about = (f"content boundaries: logistic weights over dependency labels, coarse tags and stop words (no text); "
             f"{split} split, {len(parsed)} articles, {ex.attributions} attributions "
             f"({ex.start_reachable} with the gold start among the candidates, {ex.end_reachable} the gold end), "
             f"{sum(len(x) for x, _ in ex.starts)} candidate starts, {sum(len(x) for x, _ in ex.ends)} candidate ends")
    return BoundaryModel(start, end, about)
