"""Scorers for attribution extraction: gold attributions vs predicted quotes.

Everything here works on plain character spans (``[start, end)`` in Python code points
into the article text), so it can be tested with hand-built items and reused for any
corpus.  Conventions (documented in ``docs/accuracy.md``):

* **Trimming** – before comparing, a span loses surrounding whitespace, quotation marks
  (any style) at either end, and trailing ``,.;:`` (repeatedly, so ``“Yes,”`` → ``Yes``).
* **Discontinuous spans** – for *exact* comparisons the overall extent
  ``[min start, max end)`` of the (trimmed) pieces is used; for *overlap* comparisons the
  character sets of the (trimmed) pieces are used.
* **Gold quote type** – derived from the gold content text: every word inside quotation
  marks → ``direct``; some quotation mark → ``mixed``; none → ``indirect``.  Recall by type
  uses the gold type; precision by type uses the prediction's own ``kind``.
* **Matching** is one-to-one.  Exact metrics pair equal (trimmed) spans; lenient metrics
  use greedy matching (highest coverage first) over pairs whose overlap covers *more
  than* the threshold share of the gold span's characters (as in the SFU Gender Gap
  Tracker evaluation, which uses 0.3 and 0.8).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]

TYPES: tuple[str, ...] = ("direct", "mixed", "indirect")

#: quotation marks stripped from span edges (any style)
QUOTE_MARKS = frozenset("\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a\u300c\u300d")
TRAILING_PUNCT = frozenset(",.;:")

_DOUBLE_OPEN = frozenset("\u201c\u00ab\u201e")  # “ « „
_DOUBLE_CLOSE = frozenset("\u201d\u00bb")  # ” »
_DOUBLE_TOGGLE = frozenset('"\u201f')  # " ‟
_DOUBLE = _DOUBLE_OPEN | _DOUBLE_CLOSE | _DOUBLE_TOGGLE
_SINGLE_OPEN = frozenset("\u2018'")  # ‘ '
_SINGLE_CLOSE = frozenset("\u2019'")  # ’ '


# --------------------------------------------------------------------------- spans


def trim_span(text: str, span: Span) -> Span:
    """Shrink ``span`` past whitespace and quotation marks at both ends and ``,.;:`` at the end."""
    start, end = span
    start = max(0, start)
    end = min(len(text), end)
    while start < end:
        ch = text[start]
        if ch.isspace() or ch in QUOTE_MARKS:
            start += 1
        else:
            break
    while end > start:
        ch = text[end - 1]
        if ch.isspace() or ch in QUOTE_MARKS or ch in TRAILING_PUNCT:
            end -= 1
        else:
            break
    return (start, end)


def spans_of(spans: Iterable[Sequence[int]]) -> list[Span]:
    """``(start, end)`` pairs of spans given as pairs or lists."""
    return [(int(s[0]), int(s[1])) for s in spans]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-empty, non-overlapping union of ``spans``."""
    out: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def trim_pieces(text: str, spans: Iterable[Span]) -> list[Span]:
    """Trim each piece and merge; empty pieces disappear."""
    return merge_spans(trim_span(text, s) for s in spans)


def extent(spans: Sequence[Span]) -> Span | None:
    """``[min start, max end)`` of ``spans`` (``None`` when there are none)."""
    spans = [s for s in spans if s[1] > s[0]]
    if not spans:
        return None
    return (min(a for a, _ in spans), max(b for _, b in spans))


def exact_key(text: str, spans: Sequence[Span]) -> Span | None:
    """Comparison key for exact matching: trimmed extent of the trimmed pieces.

    A span made only of punctuation (e.g. a colon used as a cue) keeps its
    whitespace-stripped extent instead of vanishing; ``None`` only for blank spans.
    """
    pieces = trim_pieces(text, spans)
    ext = extent(pieces)
    if ext is not None:
        key = trim_span(text, ext)
        if key[1] > key[0]:
            return key
    raw = extent([(max(0, a), min(len(text), b)) for a, b in spans])
    if raw is None:
        return None
    a, b = raw
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def length(spans: Sequence[Span]) -> int:
    return sum(b - a for a, b in spans)


def overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Number of characters shared by two sorted lists of disjoint spans."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


# --------------------------------------------------------------------------- types


def classify_content(text: str, spans: Sequence[Span]) -> str:
    """``direct`` / ``mixed`` / ``indirect`` from the content's own characters.

    Fully enclosed in quotation marks (every letter or digit lies inside a pair of
    double quotation marks -- ``''`` counts as one -- or the whole thing is wrapped in
    single quotation marks)
    → ``direct``; contains a quotation mark → ``mixed``; otherwise ``indirect``.
    """
    joined = " ".join(text[a:b] for a, b in sorted(spans)).strip()
    # typewriter conventions: ''double'' (e.g. some newspaper archives) and ``TeX''
    joined = joined.replace("``", "\u201c").replace("''", '"')
    if not joined:
        return "indirect"
    if any(ch in _DOUBLE for ch in joined):
        inside = False
        outside_alnum = False
        for ch in joined:
            if ch in _DOUBLE_OPEN:
                inside = True
            elif ch in _DOUBLE_CLOSE:
                inside = False
            elif ch in _DOUBLE_TOGGLE:
                inside = not inside
            elif not inside and ch.isalnum():
                outside_alnum = True
                break
        return "mixed" if outside_alnum else "direct"
    core = joined.rstrip(",.;:!? \t\n")
    if len(core) > 1 and core[0] in _SINGLE_OPEN and core[-1] in _SINGLE_CLOSE:
        return "direct"
    # an opening single quotation mark before a word (not an apostrophe inside one)
    for i, ch in enumerate(joined):
        if ch in _SINGLE_OPEN and (i == 0 or not joined[i - 1].isalnum()) and i + 1 < len(joined) and joined[i + 1].isalnum():
            if ch == "\u2018" or i == 0 or joined[i - 1] in " \t\n(\u2014-":
                return "mixed"
    return "indirect"


def normalise_kind(kind: str | None) -> str:
    return kind if kind in TYPES else "indirect"


# --------------------------------------------------------------------------- items


@dataclass
class GoldItem:
    """One gold attribution: content pieces, cue pieces, source pieces (any may be empty)."""

    content: list[Span]
    cue: list[Span] = field(default_factory=list)
    source: list[Span] = field(default_factory=list)
    type: str = "indirect"
    id: str = ""

    @classmethod
    def build(cls, text: str, content: Sequence[Span], cue: Sequence[Span] = (), source: Sequence[Span] = (), id: str = "") -> GoldItem:
        content = sorted(content)
        return cls(list(content), sorted(cue), sorted(source), classify_content(text, content), id)


@dataclass
class PredItem:
    """One predicted quote: content pieces, its kind, cue span and speaker-mention span."""

    content: list[Span]
    kind: str = "indirect"
    cue: Span | None = None
    source: Span | None = None
    id: str = ""


# --------------------------------------------------------------------------- scores


@dataclass
class Score:
    """Counts for one metric, overall (``"all"``) and by type.

    ``gold[t]`` / ``gold_hit[t]``: gold items of gold type ``t`` / matched ones;
    ``pred[k]`` / ``pred_hit[k]``: predictions of kind ``k`` / matched ones.
    """

    gold: Counter = field(default_factory=Counter)
    gold_hit: Counter = field(default_factory=Counter)
    pred: Counter = field(default_factory=Counter)
    pred_hit: Counter = field(default_factory=Counter)

    def __iadd__(self, other: Score) -> Score:
        self.gold.update(other.gold)
        self.gold_hit.update(other.gold_hit)
        self.pred.update(other.pred)
        self.pred_hit.update(other.pred_hit)
        return self

    @property
    def tp(self) -> int:
        return self.gold_hit["all"]

    def precision(self, t: str = "all") -> float:
        return self.pred_hit[t] / self.pred[t] if self.pred[t] else 0.0

    def recall(self, t: str = "all") -> float:
        return self.gold_hit[t] / self.gold[t] if self.gold[t] else 0.0

    def f1(self, t: str = "all") -> float:
        p, r = self.precision(t), self.recall(t)
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        out = {}
        for t in ("all",) + TYPES:
            out[t] = {
                "precision": round(100 * self.precision(t), 2),
                "recall": round(100 * self.recall(t), 2),
                "f1": round(100 * self.f1(t), 2),
                "gold": self.gold[t],
                "gold_matched": self.gold_hit[t],
                "predicted": self.pred[t],
                "predicted_matched": self.pred_hit[t],
            }
        return out


@dataclass
class Ratio:
    correct: int = 0
    total: int = 0

    def __iadd__(self, other: Ratio) -> Ratio:
        self.correct += other.correct
        self.total += other.total
        return self

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        return {"accuracy": round(100 * self.value, 2), "correct": self.correct, "total": self.total}


METRICS: tuple[str, ...] = (
    "content_exact",
    "content_lenient30",
    "content_lenient80",
    "cue_exact",
    "source_exact",
    "source_overlap",
    "end_to_end",
)


def _score(gold_types: Sequence[str], pred_kinds: Sequence[str], gold_idx: Sequence[int], pred_idx: Sequence[int], pairs: Iterable[tuple[int, int]]) -> Score:
    """A :class:`Score` over the gold items ``gold_idx`` and predictions ``pred_idx``."""
    s = Score()
    for g in gold_idx:
        s.gold["all"] += 1
        s.gold[gold_types[g]] += 1
    for p in pred_idx:
        s.pred["all"] += 1
        s.pred[pred_kinds[p]] += 1
    for g, p in pairs:
        s.gold_hit["all"] += 1
        s.gold_hit[gold_types[g]] += 1
        s.pred_hit["all"] += 1
        s.pred_hit[pred_kinds[p]] += 1
    return s


# --------------------------------------------------------------------------- matching


def match_exact(gold_keys: Sequence[Span | None], pred_keys: Sequence[Span | None]) -> list[tuple[int, int]]:
    """One-to-one pairs of equal keys (``None`` never matches); in document order."""
    free: dict[Span, list[int]] = {}
    for p, k in enumerate(pred_keys):
        if k is not None:
            free.setdefault(k, []).append(p)
    pairs = []
    for g, k in enumerate(gold_keys):
        if k is not None and free.get(k):
            pairs.append((g, free[k].pop(0)))
    return pairs


def match_greedy(
    gold: Sequence[Sequence[Span] | None],
    pred: Sequence[Sequence[Span] | None],
    threshold: float = 0.0,
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on character overlap.

    A pair is a candidate when ``overlap / len(gold) > threshold`` (with ``threshold=0``:
    any overlap).  Candidates are taken by decreasing gold coverage, then decreasing share
    of the prediction covered, then document order.
    """
    cands = []
    for g, gs in enumerate(gold):
        if not gs:
            continue
        glen = length(gs)
        if glen == 0:
            continue
        for p, ps in enumerate(pred):
            if not ps:
                continue
            ov = overlap(gs, ps)
            if ov <= 0:
                continue
            cov = ov / glen
            if cov > threshold:
                cands.append((-cov, -ov / max(1, length(ps)), g, p))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, g, p in cands:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        pairs.append((g, p))
    pairs.sort()
    return pairs


# --------------------------------------------------------------------------- boundary errors

#: kinds of boundary error of a content matched leniently (30%) but not exactly
BOUNDARY_ERRORS: tuple[str, ...] = ("starts_early", "starts_late", "ends_early", "ends_late", "fragment_missing", "fragment_extra")


def boundary_errors(text: str, gold: Sequence[Span], pred: Sequence[Span]) -> list[str]:
    """How a predicted content's edges differ from the gold one's, in the exact comparison's units
    (trimmed extents): ``starts_early`` / ``starts_late`` / ``ends_early`` / ``ends_late``, and
    with both edges right, ``fragment_missing`` / ``fragment_extra`` (fewer / more trimmed pieces
    than the gold, or other ones). Empty when the two are the same span."""
    gk, pk = exact_key(text, gold), exact_key(text, pred)
    if gk is None or pk is None:
        return []
    out = []
    if pk[0] < gk[0]:
        out.append("starts_early")
    elif pk[0] > gk[0]:
        out.append("starts_late")
    if pk[1] < gk[1]:
        out.append("ends_early")
    elif pk[1] > gk[1]:
        out.append("ends_late")
    if not out:
        gp, pp = trim_pieces(text, gold), trim_pieces(text, pred)
        if len(pp) < len(gp):
            out.append("fragment_missing")
        elif len(pp) > len(gp) or (pp != gp and len(pp) > 1):
            out.append("fragment_extra")
    return out


# --------------------------------------------------------------------------- documents


@dataclass
class DocResult:
    """Scores of one document plus the pairings needed for an error report."""

    scores: dict[str, Score]
    speaker: Ratio
    lenient_pairs: list[tuple[int, int]]
    exact_pairs: list[tuple[int, int]]
    e2e_pairs: list[tuple[int, int]]
    missed: list[int]  # gold indices without a lenient-30 match
    spurious: list[int]  # prediction indices without a lenient-30 match
    boundary: Counter = field(default_factory=Counter)  # (gold type, boundary error kind) -> count


def score_document(text: str, gold: Sequence[GoldItem], pred: Sequence[PredItem]) -> DocResult:
    """Score the predictions of one document against its gold attributions.

    Gold items without content are ignored (the caller should not pass them).
    """
    gtypes = [g.type if g.type in TYPES else "indirect" for g in gold]
    pkinds = [normalise_kind(p.kind) for p in pred]
    all_g = range(len(gold))
    all_p = range(len(pred))
    scores: dict[str, Score] = {}

    # content ---------------------------------------------------------------
    g_pieces = [trim_pieces(text, g.content) for g in gold]
    p_pieces = [trim_pieces(text, p.content) for p in pred]
    exact_pairs = match_exact([exact_key(text, g.content) for g in gold], [exact_key(text, p.content) for p in pred])
    scores["content_exact"] = _score(gtypes, pkinds, all_g, all_p, exact_pairs)
    lenient = {}
    for thr, name in ((0.3, "content_lenient30"), (0.8, "content_lenient80")):
        lenient[name] = match_greedy(g_pieces, p_pieces, thr)
        scores[name] = _score(gtypes, pkinds, all_g, all_p, lenient[name])
    l30 = lenient["content_lenient30"]

    # cues --------------------------------------------------------------------
    g_cue = [exact_key(text, g.cue) if g.cue else None for g in gold]
    p_cue = [exact_key(text, [p.cue]) if p.cue else None for p in pred]
    scores["cue_exact"] = _score(
        gtypes,
        pkinds,
        [i for i, k in enumerate(g_cue) if k is not None],
        [i for i, k in enumerate(p_cue) if k is not None],
        match_exact(g_cue, p_cue),
    )

    # sources ---------------------------------------------------------------
    g_src = [exact_key(text, g.source) if g.source else None for g in gold]
    p_src = [exact_key(text, [p.source]) if p.source else None for p in pred]
    g_with = [i for i, k in enumerate(g_src) if k is not None]
    p_with = [i for i, k in enumerate(p_src) if k is not None]
    scores["source_exact"] = _score(gtypes, pkinds, g_with, p_with, match_exact(g_src, p_src))
    g_src_pieces = [merge_spans(g.source) if g.source else None for g in gold]
    p_src_pieces = [[p.source] if p.source and p.source[1] > p.source[0] else None for p in pred]
    scores["source_overlap"] = _score(gtypes, pkinds, g_with, p_with, match_greedy(g_src_pieces, p_src_pieces, 0.0))

    # end to end + speaker accuracy ---------------------------------------------
    e2e_pairs = []
    speaker = Ratio()
    for g, p in l30:
        gs, ps = g_src_pieces[g], p_src_pieces[p]
        if gs:
            ok = bool(ps and overlap(gs, ps) > 0)
            speaker.total += 1
            speaker.correct += ok
        else:
            ok = ps is None  # gold has no source: right only when none is predicted
        if ok:
            e2e_pairs.append((g, p))
    scores["end_to_end"] = _score(gtypes, pkinds, all_g, all_p, e2e_pairs)

    matched_g = {g for g, _ in l30}
    matched_p = {p for _, p in l30}
    exact_g = {g for g, _ in exact_pairs}
    boundary: Counter = Counter()
    for g, p in l30:
        if g in exact_g:
            continue
        kinds = boundary_errors(text, gold[g].content, pred[p].content)
        boundary[(gtypes[g], "any")] += 1
        for k in kinds:
            boundary[(gtypes[g], k)] += 1
    return DocResult(
        scores=scores,
        speaker=speaker,
        lenient_pairs=l30,
        exact_pairs=exact_pairs,
        e2e_pairs=e2e_pairs,
        missed=[i for i in all_g if i not in matched_g],
        spurious=[i for i in all_p if i not in matched_p],
        boundary=boundary,
    )


@dataclass
class Totals:
    """Micro-averaged sums over documents."""

    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    speaker: Ratio = field(default_factory=Ratio)
    documents: int = 0
    boundary: Counter = field(default_factory=Counter)

    def add(self, doc: DocResult) -> None:
        for name, s in doc.scores.items():
            self.scores.setdefault(name, Score())
            self.scores[name] += s
        self.speaker += doc.speaker
        self.boundary.update(doc.boundary)
        self.documents += 1

    def boundary_table(self) -> dict[str, dict[str, int]]:
        """Boundary errors of contents matched at 30% but not exactly: kind -> gold type -> count
        (``any``: such contents; one content may have two kinds, e.g. starts late and ends late)."""
        out: dict[str, dict[str, int]] = {}
        for k in ("any",) + BOUNDARY_ERRORS:
            row = {t: self.boundary[(t, k)] for t in TYPES}
            row["all"] = sum(row.values())
            out[k] = row
        return out

    def to_dict(self) -> dict:
        out = {name: s.to_dict() for name, s in self.scores.items()}
        out["speaker_accuracy"] = self.speaker.to_dict()
        out["boundary_errors"] = self.boundary_table()
        return out
