"""An article as HTML: its paragraphs with every attribution highlighted, one colour per speaker.

Every piece of text comes out escaped (``markupsafe.escape``); the only markup is ours. Marks
(a quote's content pieces, its speaker mention and cue, the places it is repeated) may nest (a
quote reported inside another) or even cross; the text is cut at every mark boundary and each
segment is wrapped in the marks that cover it, outermost first, re-opened where marks cross. The
segment itself is a link to the details of the innermost attribution covering it, so every
attribution is reachable with the keyboard and works without JavaScript (the details are the link's
``:target``). Each link carries the segment's offsets (``data-start``/``data-end``) into
``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..models import Article, Quote

PALETTE = 10  # distinct speaker colours in style.css (sp-0 .. sp-9); past them, the same hues dashed
ROLE_LABEL = {"title": "Title", "subtitle": "Subtitle", "highlight": "Highlight", "caption": "Caption",
              "source": "Source", "byline": "Byline"}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    quote: str  # the quote's id in the article
    role: str  # content | speaker | cue | repeat
    colour: str  # a css class


@dataclass
class ParagraphView:
    index: int
    role: str
    duplicate_of: int | None
    html: Markup

    @property
    def label(self) -> str | None:
        return ROLE_LABEL.get(self.role)


def speaker_key(q: Quote) -> str | None:
    sp = q.speaker
    if sp is None:
        return None
    if sp.entity:
        return "e:" + sp.entity
    return "n:" + (sp.name or sp.text).strip().lower()


def colours(article: Article) -> dict[str, str]:
    """Quote id → css colour class: one per speaker, in order of first appearance."""
    order: dict[str, int] = {}
    out: dict[str, str] = {}
    for q in sorted(article.quotes, key=lambda q: q.span[0]):
        k = speaker_key(q)
        if k is None:
            out[q.id] = "sp-none"
            continue
        i = order.setdefault(k, len(order))
        out[q.id] = f"sp-{i % PALETTE}" + (" sp-alt" if i >= PALETTE else "")
    return out


def marks(article: Article, colour: dict[str, str]) -> list[Mark]:
    out: list[Mark] = []
    n = len(article.text)

    def add(s: int, e: int, q: Quote, role: str) -> None:
        s, e = max(0, s), min(n, e)
        if s < e:
            out.append(Mark(s, e, q.id, role, colour[q.id]))

    for q in article.quotes:
        for s, e in q.spans or [q.span]:
            add(s, e, q, "content")
        if q.speaker is not None:
            add(*q.speaker.span, q, "speaker")
        if q.cue is not None:
            add(*q.cue.span, q, "cue")
        for s, e in q.also_at:
            add(s, e, q, "repeat")
    return out


def _order(m: Mark) -> tuple:
    # outermost first: longer marks, then content before the marks inside it
    return (-(m.end - m.start), m.start, m.role != "content", m.quote)


def _open(m: Mark, first: set) -> str:
    ident = ""
    key = (m.quote, m.role)
    if m.role in ("content", "speaker") and key not in first:  # anchor of the quote's text / speaker
        first.add(key)
        ident = f' id="{"t" if m.role == "content" else "s"}-{escape(m.quote)}"'
    return f'<span class="hl {m.role} {m.colour}" data-q="{escape(m.quote)}" data-role="{m.role}"{ident}>'


def render_span(text: str, start: int, end: int, ms: list[Mark], first: set) -> Markup:
    """HTML of ``text[start:end]`` with the marks overlapping it."""
    ms = [m for m in ms if m.start < end and m.end > start]
    cuts = {start, end}
    for m in ms:
        cuts.add(max(start, m.start))
        cuts.add(min(end, m.end))
    bounds = sorted(cuts)
    html: list[str] = []
    stack: list[Mark] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        cover = sorted((m for m in ms if m.start <= a and m.end >= b), key=_order)
        common = 0
        while common < len(stack) and common < len(cover) and stack[common] == cover[common]:
            common += 1
        html.append("</span>" * (len(stack) - common))
        for m in cover[common:]:
            html.append(_open(m, first))
        stack = cover
        piece = escape(text[a:b])
        if cover:
            inner = cover[-1]
            title = {"content": "", "speaker": " (speaker)", "cue": " (cue)", "repeat": " (repeat)"}[inner.role]
            html.append(f'<a class="seg" href="#d-{escape(inner.quote)}" data-start="{a}" data-end="{b}"'
                        f' title="{escape(inner.quote)}{title}">{piece}</a>')
        else:
            html.append(str(piece))
    html.append("</span>" * len(stack))
    return Markup("".join(html))


def paragraphs(article: Article) -> list[ParagraphView]:
    """The article's paragraphs as HTML (the whole text as one body paragraph if it has none)."""
    colour = colours(article)
    ms = marks(article, colour)
    first: set = set()
    paras = article.paragraphs or []
    spans = [(p.span, p.role, p.duplicate_of) for p in paras] or [((0, len(article.text)), "body", None)]
    out = []
    for i, ((s, e), role, dup) in enumerate(spans):
        out.append(ParagraphView(i, role, dup, render_span(article.text, s, e, ms, first)))
    return out


def paragraph_of(article: Article, pos: int) -> int | None:
    for i, p in enumerate(article.paragraphs):
        if p.span[0] <= pos < p.span[1]:
            return i
    return None
