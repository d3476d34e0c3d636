"""PolNeAR (Political News Attribution Relations) evaluation.

Loads one split of a PolNeAR checkout (``data/<split>/text/*.txt`` and
``data/<split>/attributions/<article>_<annotator>.ann``), runs the extractor on every
article, and scores it with :mod:`quotegraph.evaluation.metrics`.

PolNeAR has no licence: nothing here copies its text.  The error report does quote the
articles, so it is written only to a path the user names, never inside the project.
The test split is held out and is refused.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import platform
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from quotegraph.evaluation.brat import BratAttribution, read_ann, read_text
from quotegraph.evaluation.metrics import (
    BOUNDARY_ERRORS,
    METRICS,
    TYPES,
    DocResult,
    GoldItem,
    PredItem,
    Totals,
    boundary_errors,
    score_document,
)

log = logging.getLogger(__name__)

Span = tuple[int, int]

HELD_OUT_SPLITS = frozenset({"test"})

#: targets on the dev split (F1 in %, speaker accuracy in %, indirect lenient-30 recall in %)
TARGETS: dict[str, float] = {
    "content_exact": 55.0,
    "content_lenient30": 75.0,
    "content_lenient80": 65.0,
    "cue_exact": 62.0,
    "source_exact": 68.0,
    "speaker_accuracy": 88.0,
    "end_to_end": 62.0,
    "indirect_lenient30_recall": 65.0,
}

#: reference figures (F1 / accuracy, %): the SFU Gender Gap Tracker and human agreement
PEERS: dict[str, dict[str, float]] = {
    "GGT": {
        "content_exact": 31.0,
        "content_lenient30": 54.8,
        "content_lenient80": 39.4,
        "cue_exact": 47.5,
        "source_exact": 53.9,
        "end_to_end": 43.7,
        "speaker_accuracy": 79.7,
    },
    "human": {
        "content_exact": 69.3,
        "content_lenient30": 84.1,
        "content_lenient80": 81.1,
        "cue_exact": 72.3,
        "source_exact": 79.9,
        "end_to_end": 78.6,
        "speaker_accuracy": 93.5,
    },
}

METRIC_LABELS: dict[str, str] = {
    "content_exact": "content exact",
    "content_lenient30": "content lenient 30%",
    "content_lenient80": "content lenient 80%",
    "cue_exact": "cue exact",
    "source_exact": "source exact",
    "source_overlap": "source overlap",
    "end_to_end": "end to end",
    "speaker_accuracy": "speaker accuracy",
}


# --------------------------------------------------------------------------- loading


@dataclass
class PolnearArticle:
    name: str
    split: str
    text: str
    ann_path: Path | None
    annotator: str | None
    attributions: list[BratAttribution] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def gold_items(self) -> list[GoldItem]:
        """Gold attributions that have content (others cannot be scored as quotes)."""
        return [
            GoldItem.build(self.text, a.content, a.cue, a.source, id=a.id)
            for a in self.attributions
            if a.content
        ]


def data_dir(root: str | Path) -> Path:
    """The ``data`` directory of a checkout (``root`` may be the checkout or ``data`` itself)."""
    root = Path(root)
    return root / "data" if (root / "data").is_dir() else root


def read_metadata(data: Path) -> dict[tuple[str, str], list[str]]:
    """``(compartment, filename) -> [annotator ids in listed order]``; empty if absent."""
    path = data / "metadata.tsv"
    out: dict[tuple[str, str], list[str]] = {}
    if not path.exists():
        log.warning("%s: not found; annotators chosen by file name", path)
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            try:
                ann = [a for a in (row.get("annotators") or "").split("|") if a]
                out[(row["compartment"], row["filename"])] = ann
            except KeyError:
                continue
    return out


def choose_annotation(candidates: dict[str, Path], listed: Sequence[str]) -> tuple[str | None, Path | None]:
    """First annotator listed in the metadata whose file exists, else the lexicographically first file."""
    for a in listed:
        if a in candidates:
            return a, candidates[a]
    if not candidates:
        return None, None
    best = min(candidates.items(), key=lambda kv: kv[1].name)
    return best


def load_split(
    root: str | Path,
    split: str = "dev",
    limit: int | None = None,
    warnings: list[str] | None = None,
) -> list[PolnearArticle]:
    """Articles of ``split`` (sorted by name) with their text and one annotator's attributions."""
    if split in HELD_OUT_SPLITS:
        raise ValueError(f"the {split!r} split is held out and is never loaded")
    warns: list[str] = warnings if warnings is not None else []
    data = data_dir(root)
    sdir = data / split
    tdir, adir = sdir / "text", sdir / "attributions"
    if not tdir.is_dir():
        raise FileNotFoundError(f"{tdir} not found (is {root} a PolNeAR checkout with a {split!r} split?)")
    meta = read_metadata(data)
    anns: dict[str, dict[str, Path]] = {}
    if adir.is_dir():
        for p in sorted(adir.glob("*.ann")):
            stem, sep, ann_id = p.stem.rpartition("_")
            if not sep:
                stem, ann_id = p.stem, ""
            anns.setdefault(stem, {})[ann_id] = p
    else:
        warns.append(f"{adir}: not found; every article will have no gold attributions")
    texts = {p.stem: p for p in sorted(tdir.glob("*.txt"))}
    for stem in sorted(set(anns) - set(texts)):
        warns.append(f"{split}/attributions/{stem}_*.ann: no matching text file, skipped")
    names = sorted(texts)
    if limit is not None:
        names = names[: max(0, limit)]
    articles = []
    for name in names:
        try:
            text = read_text(texts[name])
        except OSError as exc:
            warns.append(f"{texts[name].name}: unreadable ({exc}), skipped")
            continue
        annotator, ann_path = choose_annotation(anns.get(name, {}), meta.get((split, name), []))
        art = PolnearArticle(name=name, split=split, text=text, ann_path=ann_path, annotator=annotator)
        if ann_path is None:
            warns.append(f"{texts[name].name}: no .ann file, skipped")
            continue
        doc = read_ann(ann_path, text=text)
        art.attributions = doc.attributions
        art.warnings = doc.warnings
        warns.extend(doc.warnings)
        articles.append(art)
    return articles


# --------------------------------------------------------------------------- predictions


def pred_items(article) -> list[PredItem]:
    """Convert a :class:`quotegraph.models.Article`'s quotes into scorer items (:func:`pred_groups`)."""
    return pred_groups(article)[0]


def pred_groups(article) -> tuple[list[PredItem], list[int]]:
    """Convert a :class:`quotegraph.models.Article`'s quotes into scorer items, and give for each
    quote the index of the item it went into.

    PolNeAR's unit is one source-cue relation: quotes that share their cue and speaker spans
    (``"A," Smith said. "B."``: two records in quotegraph, one attribution in PolNeAR) are scored
    as one attribution with several content pieces. The cue is the whole verb group
    (``cue_phrase``: "has called for", "did not say") when the extractor gives one.
    """
    out: list[PredItem] = []
    by_key: dict[tuple, int] = {}
    where: list[int] = []
    for q in article.quotes:
        spans = [(int(a), int(b)) for a, b in (q.spans or [q.span])]
        cue_m = (getattr(q.cue, "phrase", None) or q.cue) if q.cue is not None else None
        cue = tuple(cue_m.span) if cue_m is not None else None
        src_m = (getattr(q.speaker, "phrase", None) or q.speaker) if q.speaker is not None else None
        source = tuple(src_m.span) if src_m is not None else None
        key = (cue, source)
        if cue is not None and key in by_key:
            item = out[by_key[key]]
            item.content = sorted(item.content + spans)
            where.append(by_key[key])
            continue
        if cue is not None:
            by_key[key] = len(out)
        where.append(len(out))
        out.append(PredItem(content=spans, kind=q.kind, cue=cue, source=source, id=q.id))
    return out, where


@dataclass
class ArticleRun:
    article: PolnearArticle
    gold: list[GoldItem]
    pred: list[PredItem]
    result: DocResult | None = None
    error: str | None = None
    seconds: float = 0.0


def run_extractor(
    articles: Iterable[PolnearArticle],
    extractor,
    on_done: Callable[[PolnearArticle], None] | None = None,
) -> list[ArticleRun]:
    """Extract quotes from every article; an exception is recorded and the article scored as empty."""
    runs = []
    for art in articles:
        t0 = time.perf_counter()
        pred: list[PredItem] = []
        error = None
        try:
            out = extractor.extract(art.text, path=art.name)
            if out.text != art.text:
                raise ValueError("article.text differs from the input text")
            pred = pred_items(out)
        except Exception as exc:  # noqa: BLE001 - one article must not stop the run
            error = f"{type(exc).__name__}: {exc}"
            log.info("%s: extractor raised %s", art.name, error)
            pred = []
        runs.append(ArticleRun(art, art.gold_items(), pred, error=error, seconds=time.perf_counter() - t0))
        if on_done is not None:
            on_done(art)
    return runs


# --------------------------------------------------------------------------- scoring


@dataclass
class Evaluation:
    split: str
    runs: list[ArticleRun]
    totals: Totals
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ArticleRun]:
        return [r for r in self.runs if r.error]

    def figures(self) -> dict[str, float]:
        """Headline figures (%), keyed like :data:`TARGETS`."""
        s = self.totals.scores
        out = {m: 100 * s[m].f1() for m in METRICS}
        out["speaker_accuracy"] = 100 * self.totals.speaker.value
        out["indirect_lenient30_recall"] = 100 * s["content_lenient30"].recall("indirect")
        return out

    def to_dict(self) -> dict:
        gold_types = self.totals.scores["content_exact"].gold
        pred_kinds = self.totals.scores["content_exact"].pred
        return {
            "corpus": "PolNeAR",
            "split": self.split,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
            "seconds": round(self.seconds, 2),
            "articles": len(self.runs),
            "articles_failed": len(self.failed),
            "failed": [{"article": r.article.name, "error": r.error} for r in self.failed],
            "gold_attributions": gold_types["all"],
            "gold_by_type": {t: gold_types[t] for t in TYPES},
            "predicted_quotes": pred_kinds["all"],
            "predicted_by_kind": {t: pred_kinds[t] for t in TYPES},
            "warnings": len(self.warnings),
            "metrics": self.totals.to_dict(),
            "headline": {k: round(v, 2) for k, v in self.figures().items()},
            "targets": TARGETS,
            "peers": PEERS,
        }


def score_runs(runs: Sequence[ArticleRun]) -> Totals:
    totals = Totals()
    for r in runs:
        r.result = score_document(r.article.text, r.gold, r.pred)
        totals.add(r.result)
    return totals


def evaluate(
    root: str | Path,
    split: str = "dev",
    limit: int | None = None,
    extractor=None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[PolnearArticle], None] | None = None,
) -> Evaluation:
    warns: list[str] = []
    articles = load_split(root, split, limit=limit, warnings=warns)
    if extractor is None:
        from quotegraph import Extractor, Options  # imported late: loading spaCy is slow

        extractor = Extractor(Options(acts="all"))  # PolNeAR counts PARC's full set
    if on_start is not None:
        on_start(len(articles))
    t0 = time.perf_counter()
    runs = run_extractor(articles, extractor, on_done=on_done)
    seconds = time.perf_counter() - t0
    return Evaluation(split=split, runs=runs, totals=score_runs(runs), seconds=seconds, warnings=warns)


def write_json(evaluation: Evaluation, path: str | Path) -> None:
    Path(path).write_text(json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- error report


def _sentence_bounds(text: str, start: int, end: int, max_chars: int = 400) -> tuple[int, int]:
    """A window around ``[start, end)`` widened to sentence/line boundaries."""
    lo = start
    floor = max(0, start - max_chars)
    while lo > floor:
        ch = text[lo - 1]
        if ch == "\n" or (ch == " " and lo >= 2 and text[lo - 2] in ".!?" and lo - 2 < start - 1):
            break
        lo -= 1
    hi = end
    ceil = min(len(text), end + max_chars)
    while hi < ceil:
        ch = text[hi]
        if ch == "\n":
            break
        hi += 1
        if ch in ".!?" and hi < len(text) and text[hi] in " \n" and hi > end:
            break
    return lo, hi


def _mark(text: str, lo: int, hi: int, marks: list[tuple[Span, str, str]]) -> str:
    """``text[lo:hi]`` with ``open``/``close`` markers inserted around each span."""
    inserts: list[tuple[int, int, str]] = []
    for (a, b), open_, close in marks:
        if b <= lo or a >= hi:
            continue
        inserts.append((max(a, lo), 1, open_))
        inserts.append((min(b, hi), 0, close))
    inserts.sort(key=lambda t: (t[0], t[1]))
    out, pos = [], lo
    for at, _, s in inserts:
        out.append(text[pos:at])
        out.append(s)
        pos = at
    out.append(text[pos:hi])
    return " ".join("".join(out).split())


def _gold_marks(g: GoldItem) -> list[tuple[Span, str, str]]:
    return (
        [(s, "⟦", "⟧") for s in g.content]
        + [(s, "{", "}") for s in g.cue]
        + [(s, "<", ">") for s in g.source]
    )


def _pred_marks(p: PredItem) -> list[tuple[Span, str, str]]:
    marks = [(s, "⟦", "⟧") for s in p.content]
    if p.cue:
        marks.append((p.cue, "{", "}"))
    if p.source:
        marks.append((p.source, "<", ">"))
    return marks


def _context(text: str, marks: list[tuple[Span, str, str]]) -> str:
    a = min(s[0] for s, _, _ in marks)
    b = max(s[1] for s, _, _ in marks)
    lo, hi = _sentence_bounds(text, a, b)
    return _mark(text, lo, hi, marks)


def error_report(evaluation: Evaluation) -> str:
    """Markdown listing, per article, misses, false positives and wrong speakers/boundaries."""
    lines = [
        f"# PolNeAR {evaluation.split}: errors",
        "",
        "Contains PolNeAR text; keep it out of any repository.",
        "",
        "Markers: ⟦content⟧ {cue} <source>.  *miss* = gold attribution with no prediction covering"
        " > 30% of it; *false positive* = prediction matching no gold attribution; *speaker* = content"
        " matched but speaker does not overlap the gold source; *boundary* = content matched at 30%"
        " but not exactly.",
        "",
        boundary_summary(evaluation.totals),
        "",
    ]
    for run in evaluation.runs:
        res = run.result
        if res is None:
            continue
        text = run.article.text
        block: list[str] = []
        if run.error:
            block.append(f"- **extractor error**: {run.error}")
        for gi in res.missed:
            g = run.gold[gi]
            block.append(f"- *miss* ({g.type}): {_context(text, _gold_marks(g))}")
        for pi in res.spurious:
            p = run.pred[pi]
            if p.content:
                block.append(f"- *false positive* ({p.kind}): {_context(text, _pred_marks(p))}")
        e2e = set(res.e2e_pairs)
        exact_g = {g for g, _ in res.exact_pairs}
        for gi, pi in res.lenient_pairs:
            g, p = run.gold[gi], run.pred[pi]
            if (gi, pi) not in e2e:
                block.append(f"- *speaker* gold: {_context(text, _gold_marks(g))}")
                block.append(f"  predicted: {_context(text, _pred_marks(p))}")
            elif gi not in exact_g:
                why = ", ".join(boundary_errors(text, g.content, p.content)).replace("_", " ") or "other"
                block.append(f"- *boundary* gold: {_context(text, _gold_marks(g))}")
                block.append(f"  predicted: {_context(text, _pred_marks(p))}")
                block.append(f"  ({g.type}: {why})")
        if block:
            s = res.scores
            lines.append(
                f"## {run.article.name} (annotator {run.article.annotator}; gold {len(run.gold)}, predicted"
                f" {len(run.pred)}, lenient-30 matched {s['content_lenient30'].tp})"
            )
            lines.append("")
            lines.extend(block)
            lines.append("")
    return "\n".join(lines) + "\n"


def boundary_summary(totals: Totals) -> str:
    """Counts of boundary errors by kind and gold type, as a markdown table (no corpus text)."""
    table = totals.boundary_table()
    lines = ["| boundary error | " + " | ".join(TYPES) + " | all |", "|---|" + "---:|" * (len(TYPES) + 1)]
    for k in ("any",) + BOUNDARY_ERRORS:
        label = "matched at 30%, not exact" if k == "any" else k.replace("_", " ")
        lines.append(f"| {label} | " + " | ".join(str(table[k][t]) for t in TYPES) + f" | {table[k]['all']} |")
    return "\n".join(lines)


def write_error_report(evaluation: Evaluation, path: str | Path) -> None:
    Path(path).write_text(error_report(evaluation), encoding="utf-8")
