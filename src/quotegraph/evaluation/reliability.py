"""How well a record's confidence says how often it is right: the reliability diagram.

A record is *right* when the PolNeAR scorer pairs it end to end with a gold attribution
(:func:`record_labels`): its content matches the gold content leniently (more than 30%, one to
one) and its speaker mention overlaps the gold source (or neither has one). Quotes that the
scorer joins into one attribution (one cue and speaker, several pieces) share its verdict.

:func:`reliability` bins the records by confidence (10 bins of 0.1) and compares, in each, the
mean confidence with the share found right; :func:`ece` is the expected calibration error (the
bins' gaps weighted by their share of the records). :func:`markdown` and :func:`svg` draw it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Article
from .metrics import score_document
from .polnear import PolnearArticle, load_split, pred_groups

HIGH = 0.9  # the confidence from which a record counts as high (issue #23's acceptance)
FLOORS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97)  # the --min-confidence values the report shows


def record_labels(text: str, article: Article, gold: PolnearArticle) -> list[bool]:
    """For each quote of ``article`` (extracted from ``text``): is it right, speaker included."""
    items, where = pred_groups(article)
    result = score_document(text, gold.gold_items(), items)
    right = {p for _, p in result.e2e_pairs}
    return [k in right for k in where]


def polnear_records(root: str | Path, split: str, extractor, limit: int | None = None,
                    on_done: Callable[[], None] | None = None) -> list[tuple[float, bool]]:
    """(confidence, right) for every record ``extractor`` gives on a PolNeAR split."""
    out: list[tuple[float, bool]] = []
    for art in load_split(root, split, limit=limit):
        found = extractor.extract(art.text, path=art.name)
        out.extend(zip((q.confidence for q in found.quotes), record_labels(art.text, found, art), strict=True))
        if on_done is not None:
            on_done()
    return out


@dataclass(frozen=True)
class Bin:
    lo: float
    hi: float
    count: int
    mean_confidence: float
    right: float  # share of the bin's records that are right

    @property
    def gap(self) -> float:
        return abs(self.mean_confidence - self.right)


def reliability(records: Iterable[tuple[float, bool]], bins: int = 10) -> list[Bin]:
    """The records in ``bins`` equal bins of confidence ([0, 0.1), ..., [0.9, 1.0]); empty bins too."""
    counts, sums, rights = [0] * bins, [0.0] * bins, [0] * bins
    for conf, ok in records:
        k = min(bins - 1, max(0, int(conf * bins)))
        counts[k] += 1
        sums[k] += conf
        rights[k] += int(ok)
    return [Bin(k / bins, (k + 1) / bins, n, sums[k] / n if n else 0.0, rights[k] / n if n else 0.0)
            for k, n in enumerate(counts)]


def ece(table: Sequence[Bin]) -> float:
    """Expected calibration error: the bins' gaps weighted by their share of the records."""
    total = sum(b.count for b in table)
    return sum(b.count * b.gap for b in table) / total if total else 0.0


def high_share(records: Sequence[tuple[float, bool]], floor: float = HIGH) -> tuple[float, float, int]:
    """The share of records at confidence ``floor`` or above, their share right, and how many."""
    high = [ok for conf, ok in records if conf >= floor]
    share = len(high) / len(records) if records else 0.0
    return share, (sum(high) / len(high) if high else 0.0), len(high)


def markdown(records: Sequence[tuple[float, bool]], title: str) -> str:
    """The reliability table with its summary lines (no corpus text)."""
    table = reliability(records)
    share, acc, n = high_share(records)
    lines = [f"**{title}**: {len(records)} records, {sum(ok for _, ok in records)} right; "
             f"ECE {ece(table):.3f}; confidence >= {HIGH}: {n} records ({100 * share:.1f}%), {100 * acc:.1f}% right",
             "", "| confidence | records | mean confidence | right |", "|---|---:|---:|---:|"]
    for b in table:
        shown = f"{b.mean_confidence:.3f} | {b.right:.3f}" if b.count else "- | -"
        lines.append(f"| {b.lo:.1f}-{b.hi:.1f} | {b.count} | {shown} |")
    lines += ["", "| --min-confidence | records kept | share kept | right among them |", "|---:|---:|---:|---:|"]
    for floor in FLOORS:
        share, acc, n = high_share(records, floor)
        lines.append(f"| {floor:g} | {n} | {100 * share:.1f}% | {100 * acc:.1f}% |")
    return "\n".join(lines) + "\n"


def svg(series: Sequence[tuple[str, Sequence[tuple[float, bool]]]], title: str) -> str:
    """A reliability diagram: per series, the share right against the mean confidence of each
    non-empty bin (dot area by the bin's records), over the diagonal of perfect calibration."""
    w, h, m = 420, 420, 50
    plot = w - 2 * m

    def xy(x: float, y: float) -> tuple[float, float]:
        return m + x * plot, h - m - y * plot

    colours = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 20 * len(series)}" '
             f'font-family="sans-serif" font-size="12">',
             f'<title>{_esc(title)}</title>',
             f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">{_esc(title)}</text>',
             f'<rect x="{m}" y="{m}" width="{plot}" height="{plot}" fill="none" stroke="#888"/>']
    for k in range(11):
        v = k / 10
        x0, y0 = xy(v, 0)
        x1, y1 = xy(0, v)
        parts.append(f'<text x="{x0:.1f}" y="{h - m + 16}" text-anchor="middle">{v:.1f}</text>')
        parts.append(f'<text x="{m - 6}" y="{y1 + 4:.1f}" text-anchor="end">{v:.1f}</text>')
        parts.append(f'<line x1="{x0:.1f}" y1="{m}" x2="{x0:.1f}" y2="{h - m}" stroke="#eee"/>')
        parts.append(f'<line x1="{m}" y1="{y1:.1f}" x2="{w - m}" y2="{y1:.1f}" stroke="#eee"/>')
    (ax, ay), (bx, by) = xy(0, 0), xy(1, 1)
    parts.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="#888" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">predicted (mean confidence of the bin)</text>')
    parts.append(f'<text x="14" y="{h / 2}" text-anchor="middle" transform="rotate(-90 14 {h / 2})">observed (share right)</text>')
    for (name, records), colour in zip(series, colours, strict=False):
        table = [b for b in reliability(records) if b.count]
        total = sum(b.count for b in table) or 1
        pts = [xy(b.mean_confidence, b.right) for b in table]
        parts.append('<polyline fill="none" stroke="{}" points="{}"/>'.format(colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
        for b, (x, y) in zip(table, pts, strict=True):
            r = 2 + 14 * (b.count / total) ** 0.5
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.5">'
                         f'<title>{_esc(name)} {b.lo:.1f}-{b.hi:.1f}: {b.count} records, {b.right:.3f} right</title></circle>')
    for k, ((name, records), colour) in enumerate(zip(series, colours, strict=False)):
        y = h + 20 * k
        share, acc, _ = high_share(records)
        label = f"{name}: ECE {ece(reliability(records)):.3f}; >= {HIGH}: {100 * share:.0f}% of records, {100 * acc:.1f}% right"
        parts.append(f'<rect x="{m}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{m + 16}" y="{y}">{_esc(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
