"""Body text against hand-checked article bodies: scrapinghub's article-extraction-benchmark.

The scorer is a re-implementation of that benchmark's ``evaluate.py`` (MIT licence): the text is
tokenised as the runs of ``\\w`` characters (Python's Unicode ``\\w``), each text becomes the
multiset of its 4-token shingles (a text of fewer than four tokens is one shorter shingle, an
empty text none), and per page

    tp = sum of min(true count, predicted count), fp = the predicted excess, fn = the true excess,

normalised by ``tp + fp + fn``; precision = tp / (tp + fp) over pages where it is defined
(``tp + fp > 0``), recall = tp / (tp + fn) over pages where it is defined, both 1 when
``fp == fn == 0``; both are averaged over pages, and F1 is the harmonic mean of the two averages.

The data set is a folder with ``ground-truth.json`` (key -> ``articleBody``, ``url``) and
``html/<key>.html.gz``. Its pages are split in two fixed halves by their key (a hex digest):
keys starting with 0-7 are the *tuning* half, 8-f the *held-out* half.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
NGRAM = 4
TUNING_FIRST_CHARS = frozenset("01234567")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """The multiset of ``n``-token shingles of ``text`` (one shorter shingle for a short text)."""
    toks = tokens(text)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(toks) - n + 1)):
        shingle = tuple(toks[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == self.fn == 0:
            return 1.0
        return None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.fp == self.fn == 0:
            return 1.0
        return None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_page(true: str, pred: str) -> PageScore:
    """The normalised (tp, fp, fn) of ``pred`` against ``true``, as the benchmark counts them."""
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return PageScore(tp / s, fp / s, fn / s) if s > 0 else PageScore(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Totals:
    pages: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def totals(scores: list[PageScore]) -> Totals:
    """Precision and recall averaged over the pages where each is defined (the benchmark's way)."""
    ps = [s.precision for s in scores if s.tp + s.fp > 0]
    rs = [s.recall for s in scores if s.tp + s.fn > 0]
    return Totals(len(scores), statistics.mean(p for p in ps if p is not None) if ps else 0.0,
                  statistics.mean(r for r in rs if r is not None) if rs else 0.0)


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    body: str  # the hand-checked articleBody
    html: bytes

    @property
    def half(self) -> str:
        return "tuning" if self.key[:1].lower() in TUNING_FIRST_CHARS else "held-out"


def load_pages(folder: str | Path) -> Iterator[Page]:
    """The pages of the data set in ``folder``, in key order."""
    root = Path(folder)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        yield Page(key, truth[key].get("url") or "", truth[key].get("articleBody") or "", gzip.decompress(path.read_bytes()))
