"""Very long plain-text inputs, extracted in segments so that memory stays bounded.

An input far longer than any article (a book, a transcript, a whole feed pasted into one file)
would hold every paragraph's parse at once. ``extract_long`` cuts such a text at blank lines into
segments of about ``SEGMENT_CHARS``, extracts them one after the other and joins the results into
one ``Article`` over the whole text: offsets, quote and entity ids, paragraph indices all refer to
the whole. What crosses a cut is not linked (a quotation continued over it, a speaker named only
before it); with segments of two million characters that is a handful of places in a huge input,
and none in a real article, which is never cut.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable, Iterator, Optional

from .errors import InputError
from .models import Article
from .readers import Source

SEGMENT_CHARS = 2_000_000
_BLANK = re.compile(r"\n[ \t]*\n")
_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019\u00bb]?\s")


def cut_points(text: str, size: int = SEGMENT_CHARS) -> list[int]:
    """Where to cut ``text`` (after a blank line if there is one near, else after a sentence,
    else after a space): the segments' starts, from 0."""
    starts = [0]
    n = len(text)
    while n - starts[-1] > size:
        lo, hi = starts[-1] + size // 2, starts[-1] + size
        cut = None
        for pat in (_BLANK, _SENTENCE):
            last = None
            for m in pat.finditer(text, lo, hi):
                last = m
            if last is not None:
                cut = last.end()
                break
        if cut is None:
            sp = text.rfind(" ", lo, hi)
            cut = sp + 1 if sp >= 0 else hi
        starts.append(cut)
    return starts


def segments(text: str, size: int = SEGMENT_CHARS) -> Iterator[tuple[int, str]]:
    starts = cut_points(text, size) + [len(text)]
    for a, b in zip(starts, starts[1:]):
        yield a, text[a:b]


def _shift(span, off: int):
    return (span[0] + off, span[1] + off)


def _shift_mention(m, off: int) -> None:
    if m is None:
        return
    m.span = _shift(m.span, off)
    phrase = getattr(m, "phrase", None)
    if phrase is not None:
        phrase.span = _shift(phrase.span, off)


class _Joined:
    """The article being assembled from its segments' articles."""

    def __init__(self, src: Source):
        self.src = src
        self.first: Optional[Article] = None
        self.paragraphs: list = []
        self.quotes: list = []
        self.entities: list = []

    def add(self, art: Article, off: int) -> None:
        if self.first is None:
            self.first = art
        qids = {q.id: f"q{len(self.quotes) + k + 1}" for k, q in enumerate(art.quotes)}
        eids = {e.id: f"e{len(self.entities) + k + 1}" for k, e in enumerate(art.entities)}
        base_para = len(self.paragraphs)
        for p in art.paragraphs:
            p.span = _shift(p.span, off)
            if p.duplicate_of is not None:
                p.duplicate_of += base_para
            self.paragraphs.append(p)
        for q in art.quotes:
            q.id = qids[q.id]
            q.span = _shift(q.span, off)
            q.spans = [_shift(s, off) for s in q.spans]
            q.also_at = [_shift(s, off) for s in q.also_at]
            for m in (q.cue, q.speaker, q.addressee, *q.via):
                _shift_mention(m, off)
            if q.speaker is not None and q.speaker.entity is not None:
                q.speaker.entity = eids.get(q.speaker.entity)
            if q.addressee is not None and q.addressee.entity is not None:
                q.addressee.entity = eids.get(q.addressee.entity)
            if q.nested_in is not None:
                q.nested_in = qids.get(q.nested_in)
            self.quotes.append(q)
        for e in art.entities:
            e.id = eids[e.id]
            e.mentions = [_shift(s, off) for s in e.mentions]
            self.entities.append(e)

    def article(self, text: str, id: Optional[str]) -> Article:
        f = self.first
        assert f is not None
        return Article(
            id=id or hashlib.sha256(self.src.content.encode("utf-8")).hexdigest()[:16], path=f.path, text=text,
            title=f.title, publisher=f.publisher, authors=f.authors, date=f.date, url=f.url, format=f.format,
            paragraphs=self.paragraphs, quotes=self.quotes, entities=self.entities,
        )


def extract_long(extract_source: Callable[[Source], Article], src: Source, *, size: int = SEGMENT_CHARS,
                 id: Optional[str] = None, on_segment: Optional[Callable[[int, int], None]] = None) -> Article:
    """``extract_source(src)`` for a plain text of any length, segment by segment (a text no
    longer than ``size``, or HTML, goes through whole)."""
    text = src.content
    if src.format != "text" or len(text) <= size:
        return extract_source(src)
    joined = _Joined(src)
    parts = list(segments(text, size))
    for k, (off, seg) in enumerate(parts):
        art = extract_source(Source(name=src.name, content=seg, format="text"))
        if art.text != seg:
            raise InputError(src.name, "too long to extract in segments (the layout changed the text)")
        joined.add(art, off)
        del art
        if on_segment is not None:
            on_segment(k + 1, len(parts))
    return joined.article(text, id)
