"""Charts as SVG rendered on the server: no chart library, no script, nothing to download; they
show with JavaScript off and pass a strict Content-Security-Policy (presentation attributes and
classes only, no inline styles). Every label is escaped; each bar has a ``<title>`` tooltip."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

SOURCE_CLASSES = ("named", "anonymous", "document", "unknown")


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out: list[str] = []
    while (y, m) <= (ly, lm) and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline(counts: list[tuple[str, int]], width: int = 640, height: int = 150, label: str = "quotes") -> Markup:
    """Bars per month (the months between the first and the last, empty ones included)."""
    good = [(m, n) for m, n in counts if len(m) >= 7 and m[:4].isdigit() and m[5:7].isdigit()]
    if not good:
        return Markup('<p class="muted">No dated quotes to chart.</p>')
    by = dict(good)
    months = _months(good[0][0], good[-1][0])
    top = max(by.values())
    pad_l, pad_b, pad_t = 34, 22, 8
    w = min((width - pad_l - 4) / len(months), 36.0)  # a few months: narrow bars, not one slab
    h = height - pad_b - pad_t
    parts = [f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
             f' role="img" aria-label="{escape(label)} per month, {escape(months[0])} to {escape(months[-1])}">']
    parts.append(f'<line class="axis" x1="{pad_l}" y1="{pad_t + h}" x2="{width - 4}" y2="{pad_t + h}"/>')
    parts.append(f'<text class="tick" x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end">{top}</text>')
    parts.append(f'<text class="tick" x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end">0</text>')
    step = max(1, -(-len(months) // 8))  # about eight labels
    for i, m in enumerate(months):
        n = by.get(m, 0)
        x = pad_l + i * w
        bh = h * n / top if top else 0
        if n:
            parts.append(f'<rect class="bar" x="{x + w * 0.1:.1f}" y="{pad_t + h - bh:.1f}" width="{max(w * 0.8, 1):.1f}"'
                         f' height="{bh:.1f}"><title>{escape(m)}: {n} {escape(label)}</title></rect>')
        if i % step == 0:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 6}">{escape(m)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def source_shares(rows: list[dict], width: int = 680) -> Markup:
    """Per outlet a stacked bar of its quotes by source (named, anonymous, document, unknown) and a
    thin bar below of the share reported second-hand (through a via chain)."""
    rows = [r for r in rows if r.get("quotes")]
    if not rows:
        return Markup('<p class="muted">No quotes stored yet.</p>')
    label_w, bar_w, row_h = 180, width - 180 - 60, 34
    height = 30 + row_h * len(rows)
    parts = [f'<svg class="chart shares" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"'
             ' aria-label="share of named, anonymous, document and unknown sources, and of second-hand reports, per outlet">']
    x: float = label_w  # the legend steps in whole pixels; the bars below in fractions
    for cls in SOURCE_CLASSES + ("second-hand",):
        parts.append(f'<rect class="src-{cls}" x="{x}" y="6" width="12" height="12"/>'
                     f'<text class="legend" x="{x + 16}" y="16">{cls}</text>')
        x += 16 + 7 * len(cls) + 20
    for i, r in enumerate(rows):
        y = 30 + i * row_h
        n = r["quotes"]
        name = r.get("outlet") or "(unknown outlet)"
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f'<text class="outlet" x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(short)}'
                     f'<title>{escape(name)}: {n} quotes</title></text>')
        x = float(label_w)
        for cls in SOURCE_CLASSES:
            k = r.get(cls, 0)
            if not k:
                continue
            w = bar_w * k / n
            parts.append(f'<rect class="src-{cls}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="18">'
                         f'<title>{escape(name)}: {k} of {n} {cls} ({100 * k / n:.0f}%)</title></rect>')
            x += w
        sh = r.get("second_hand", 0)
        parts.append(f'<rect class="track" x="{label_w}" y="{y + 21}" width="{bar_w}" height="5"/>')
        if sh:
            parts.append(f'<rect class="src-second-hand" x="{label_w}" y="{y + 21}" width="{bar_w * sh / n:.1f}" height="5">'
                         f'<title>{escape(name)}: {sh} of {n} second-hand ({100 * sh / n:.0f}%)</title></rect>')
        parts.append(f'<text class="tick" x="{label_w + bar_w + 6}" y="{y + 13}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------------- stacked bars of links
#
# A chart of rows, each a label, a bar of coloured segments and, under it, the same counts as
# words: the text is HTML (it reflows and stays readable on a phone), the bar an SVG that
# stretches to the width it is given (viewBox, preserveAspectRatio="none"). Every segment and
# every count is a link to the quotes behind it.

BAR_W = 1000  # the bars' SVG width in user units (they stretch to the page)


@dataclass
class Segment:
    key: str  # the colour's class suffix: seg-<key>
    label: str  # what the count is of, in words ("women", "named person")
    n: int
    href: str | None = None


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    href: str | None = None  # where the label links
    note: str = ""  # beside the label ("40% women")

    @property
    def total(self) -> int:
        return sum(s.n for s in self.segments)


def _link(href: str | None, inner: Markup | str) -> Markup:
    """``inner`` linked to ``href`` (no link without one). Names taken from the data go in element
    content (``<title>``, text), never in attributes: only our hrefs are attribute values."""
    if not href:
        return Markup(inner)
    return Markup('<a href="{}">{}</a>').format(href, inner)


def stacked_bars(title: str, bars: list[Bar], keys: list[tuple[str, str]], unit: str, css: str,
                 whole: int | None = None, empty: str = "Nothing to chart yet.") -> Markup:
    """A ``<figure>`` of ``bars`` under ``title``, with a legend of ``keys`` ((key, label) in
    order). A bar fills the width with its own total (shares), or ``whole`` (lengths comparable
    across bars); ``unit`` names what is counted ("people", "quotes")."""
    bars = [b for b in bars if b.total]
    if not bars:
        return Markup('<figure class="hbars {}"><figcaption>{}</figcaption><p class="muted">{}</p></figure>').format(
            css, title, empty)
    parts = [Markup('<figure class="hbars {}"><figcaption>{}</figcaption><ul class="keys">').format(css, title)]
    for key, label in keys:
        parts.append(Markup('<li><svg class="chart key" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">'
                            '<rect class="seg-{}" width="10" height="10"/></svg>{}</li>').format(key, label))
    parts.append(Markup('</ul><ol class="bars">'))
    for b in bars:
        scale = BAR_W / (whole or b.total)
        parts.append(Markup('<li><div class="bar-label">{}{}</div>').format(
            _link(b.href, b.label), Markup(' <span class="muted">{}</span>').format(b.note) if b.note else ""))
        parts.append(Markup('<svg class="chart stack" viewBox="0 0 {} 10" preserveAspectRatio="none" role="group">'
                            '<title>{}</title>').format(BAR_W, f"{b.label}: {b.total} {unit}"))
        x = 0.0
        for s in b.segments:
            if not s.n:
                continue
            w = s.n * scale
            words = f"{b.label}: {s.n} {s.label}" + (f" of {b.total} {unit}" if whole is None else "")
            rect = Markup('<title>{}</title><rect class="seg-{}" x="{:.1f}" y="0" width="{:.1f}" height="10"/>').format(
                words, s.key, x, w)
            parts.append(_link(s.href, rect) if s.href else Markup("<g>{}</g>").format(rect))
            x += w
        parts.append(Markup('</svg><div class="bar-counts">'))
        parts.append(Markup(" · ").join(_link(s.href, Markup("{} {}").format(s.label, s.n)) for s in b.segments if s.n))
        parts.append(Markup("</div></li>"))
    parts.append(Markup("</ol></figure>"))
    return Markup("").join(parts)
