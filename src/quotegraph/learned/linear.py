"""The one linear learner behind every shipped model: logistic regression over string features
by AdaGrad SGD with L2, plain Python, deterministic.

Two objectives share the same feature index, optimiser and epoch order:

* :func:`fit_logistic`: one example, one label (the attribution pair finder and filter, the
  speaker model);
* :func:`fit_choice`: a group of candidates with the positive ones marked, their probabilities
  the softmax of their scores over the group (a conditional logit: the boundary model).

Deterministic: a fixed seed, the feature index sorted, no set or dict order of strings in the
result, so the same examples give the same weights under any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat

#: a group of candidates: their features and their labels (1: a right one)
Group = tuple[Sequence[Sequence[str]], Sequence[int]]


def sigmoid(z: float) -> float:
    """The logistic function, its argument clipped to ±30."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def score(weights: Mapping[str, float], feats: Sequence[str]) -> float:
    """The linear score of a feature list (a feature listed twice counts twice)."""
    return sum(map(weights.get, feats, repeat(0.0, len(feats))))


def feature_index(counts: Counter[str], min_count: int, keep: frozenset[str] = frozenset()) -> dict[str, int]:
    """Feature → column, sorted: the features counted ``min_count`` times or more, and ``keep``."""
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count or f in keep))}


class AdaGrad:
    """Weights and AdaGrad's sums of squared gradients, updated one coordinate at a time."""

    def __init__(self, size: int, lr: float, l2: float):
        self.w = [0.0] * size
        self.g2 = [1e-8] * size
        self.lr = lr
        self.l2 = l2

    def update(self, j: int, g: float) -> None:
        """One step on weight ``j`` for the loss gradient ``g`` (plus the L2 term)."""
        g += self.l2 * self.w[j]
        self.g2[j] += g * g
        self.w[j] -= self.lr * g / math.sqrt(self.g2[j])


def shuffled(n: int, epochs: int, seed: int) -> Iterator[int]:
    """``range(n)`` ``epochs`` times, each time in a new order drawn from ``seed``."""
    order = list(range(n))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        yield from order


def fit_logistic(X: Sequence[Sequence[str]], Y: Sequence[int], *, epochs: int = 6, lr: float = 0.02,
                 l2: float = 1e-6, seed: int = 13, min_count: int = 2) -> dict[str, float]:
    """Binary logistic regression; features in fewer than ``min_count`` examples are dropped
    (but ``bias``). The weights unrounded."""
    counts: Counter[str] = Counter(f for fs in X for f in set(fs))
    index = feature_index(counts, min_count, frozenset({"bias"}))
    data = [[index[f] for f in fs if f in index] for fs in X]
    opt = AdaGrad(len(index), lr, l2)
    w = opt.w
    for i in shuffled(len(data), epochs, seed):
        ids = data[i]
        g = sigmoid(sum(w[j] for j in ids)) - Y[i]
        for j in ids:
            opt.update(j, g)
    return {f: w[i] for f, i in index.items()}


def fit_choice(groups: Sequence[Group], *, epochs: int = 6, lr: float = 0.05, l2: float = 1e-6, seed: int = 13,
               min_count: int = 2, base: Sequence[Sequence[float]] | None = None) -> dict[str, float]:
    """Conditional logit over the candidates of each group (the probability of a candidate is the
    softmax of its score over its group); features in fewer than ``min_count`` groups are
    dropped. ``base``: a fixed score per candidate the weights are learned on top of. The
    weights rounded to 5 places, those under 1e-5 left out."""
    counts: Counter[str] = Counter(f for X, _ in groups for f in _union(X))
    index = feature_index(counts, min_count)
    data = [([[index[f] for f in fs if f in index] for fs in X], Y) for X, Y in groups]
    opt = AdaGrad(len(index), lr, l2)
    w = opt.w
    for k in shuffled(len(data), epochs, seed):
        X, Y = data[k]
        b = base[k] if base is not None else [0.0] * len(X)
        zs = [b0 + sum(w[j] for j in ids) for ids, b0 in zip(X, b, strict=False)]
        top = max(zs)
        es = [math.exp(z - top) for z in zs]
        tot = sum(es)
        npos = sum(Y)
        grad: dict[int, float] = {}
        for ids, e, y in zip(X, es, Y, strict=False):
            g = e / tot - (y / npos)
            if abs(g) < 1e-9:
                continue
            for j in ids:
                grad[j] = grad.get(j, 0.0) + g
        for j, g in grad.items():
            opt.update(j, g)
    return {f: round(w[i], 5) for f, i in index.items() if abs(w[i]) >= 1e-5}


def _union(X: Iterable[Sequence[str]]) -> set[str]:
    return {f for fs in X for f in fs}
