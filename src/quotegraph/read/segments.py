"""Very long plain-text inputs, extracted in segments so that memory stays bounded.

An input far longer than any article (a book, a transcript, a whole feed pasted into one file)
would hold every paragraph's parse at once. ``extract_long`` cuts such a text at blank lines into
segments of about ``SEGMENT_CHARS``, extracts them one after the other and joins the results into
one ``Article`` over the whole text: offsets, quote and entity ids, paragraph indices all refer to
the whole. ``extract_long_compact`` keeps that article compact instead (``LongArticle``: the text,
and each segment's records as compressed JSON), so that a 100 MB input holds one segment's parse
and objects at a time; ``LongArticle.write_json`` writes the same JSON as the joined ``Article``
would, piece by piece. What crosses a cut is not linked (a quotation continued over it, a speaker named only
before it); with segments of two million characters that is a handful of places in a huge input,
and none in a real article, which is never cut.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..errors import InputError
from ..models import Article, Entity, Paragraph, Quote
from .readers import Source

SEGMENT_CHARS = 2_000_000
_BLANK = re.compile(r"\n[ \t]*\n")
_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019\u00bb]?\s")
TEXT_CUTS = (_BLANK, _SENTENCE)
# one paragraph: after a sentence end followed by a capital (or an opening mark and a capital),
# else after a run of white space
PARAGRAPH_CUTS = (re.compile(r"[.!?][\"'\u201d\u2019\u00bb)]?\s+(?=[\"'\u201c\u2018\u00ab(]?[A-Z])"), re.compile(r"\s+"))


def cut_points(text: str, size: int = SEGMENT_CHARS, patterns: tuple[re.Pattern, ...] = TEXT_CUTS) -> list[int]:
    """Where to cut ``text`` into pieces of at most ``size`` characters: after the last match of
    the first of ``patterns`` found in the second half of each piece (by default a blank line,
    else a sentence end), else after a space, else at ``size``: the pieces' starts, from 0."""
    starts = [0]
    n = len(text)
    while n - starts[-1] > size:
        lo, hi = starts[-1] + size // 2, starts[-1] + size
        cut = None
        for pat in patterns:
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
    for a, b in zip(starts, starts[1:], strict=False):
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
        self.first: Article | None = None
        self.paragraphs: list = []
        self.quotes: list = []
        self.entities: list = []
        self.n_paragraphs = self.n_quotes = self.n_entities = 0  # all added so far (the lists may be handed on)

    def add(self, art: Article, off: int) -> None:
        if self.first is None:
            self.first = art
        qids = {q.id: f"q{self.n_quotes + k + 1}" for k, q in enumerate(art.quotes)}
        eids = {e.id: f"e{self.n_entities + k + 1}" for k, e in enumerate(art.entities)}
        base_para = self.n_paragraphs
        self.n_paragraphs += len(art.paragraphs)
        self.n_quotes += len(art.quotes)
        self.n_entities += len(art.entities)
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

    def article(self, text: str, id: str | None) -> Article:
        f = self.first
        assert f is not None
        return Article(
            id=id or hashlib.sha256(self.src.content.encode("utf-8")).hexdigest()[:16], path=f.path, text=text,
            title=f.title, publisher=f.publisher, authors=f.authors, date=f.date, url=f.url, language=f.language, format=f.format,
            paragraphs=self.paragraphs, quotes=self.quotes, entities=self.entities,
        )


_LISTS = (("paragraphs", Paragraph), ("quotes", Quote), ("entities", Entity))


class LongArticle:
    """The extraction of a huge text, kept compact: the text, the metadata of its first segment,
    and each segment's paragraphs, quotes and entities (offsets, ids and paragraph indices
    already those of the whole text) as zlib-compressed JSON.  ``article()`` builds the one
    ``Article`` (all of it in memory); ``write_json`` writes the JSON that article would give,
    one segment's records at a time."""

    def __init__(self, head: Article):
        self.head = head  # text, id and metadata; empty lists
        self.chunks: list[bytes] = []
        self.counts = {name: 0 for name, _ in _LISTS}

    @property
    def path(self) -> str | None:
        return self.head.path

    @path.setter
    def path(self, value: str | None) -> None:
        self.head.path = value

    @property
    def text(self) -> str:
        return self.head.text

    def add(self, part: Article) -> None:
        """One segment's records (already shifted and renumbered), compressed."""
        for name, _ in _LISTS:
            self.counts[name] += len(getattr(part, name))
        self.chunks.append(zlib.compress(part.model_dump_json().encode("utf-8"), 1))

    def segments(self) -> Iterator[Article]:
        """Each segment's records back, one at a time (an ``Article`` whose text is empty)."""
        for chunk in self.chunks:
            yield Article.model_validate_json(zlib.decompress(chunk))

    def records(self, name: str) -> Iterator:
        for part in self.segments():
            yield from getattr(part, name)

    def article(self) -> Article:
        arts: dict[str, list[Any]] = {name: [] for name, _ in _LISTS}
        for part in self.segments():
            for name, _ in _LISTS:
                arts[name].extend(getattr(part, name))
        return self.head.model_copy(update=arts)

    def write_json(self, out: TextIO, indent: int | None = None) -> None:
        """Write ``self.article().model_dump_json(indent=indent)``, without building it."""
        skeleton = self.head.model_dump_json(indent=indent)
        sep = ": " if indent is not None else ":"
        pad = "\n" + " " * (2 * indent) if indent is not None else ""
        pos = 0
        for name, _ in _LISTS:
            empty = f'"{name}"{sep}[]'
            at = skeleton.index(empty, pos)
            out.write(skeleton[pos : at + len(empty) - 1])
            pos = at + len(empty) - 1
            if not self.counts[name]:
                continue
            first = True
            for part in self.segments():
                for rec in getattr(part, name):
                    js = rec.model_dump_json(indent=indent)
                    out.write(("" if first else ",") + pad + js.replace("\n", pad))
                    first = False
            if indent is not None:
                out.write("\n" + " " * indent)
        out.write(skeleton[pos:])


def extract_long_compact(extract_source: Callable[[Source], Article], src: Source, *, size: int | None = None,
                         id: str | None = None, on_segment: Callable[[int, int], None] | None = None) -> LongArticle:
    """``extract_source`` over a plain text longer than ``size``, segment by segment, into a
    ``LongArticle``: memory holds the text, one segment's parse and objects, and the compressed
    records of the segments before (``size``: ``SEGMENT_CHARS`` unless told)."""
    text = src.content
    starts = cut_points(text, size or SEGMENT_CHARS)
    ends = starts[1:] + [len(text)]
    joined = _Joined(src)
    long: LongArticle | None = None
    for k, (off, end) in enumerate(zip(starts, ends, strict=False)):
        seg = text[off:end]
        art = extract_source(Source(name=src.name, content=seg, format="text"))
        if art.text != seg:
            raise InputError(src.name, "too long to extract in segments (the layout changed the text)")
        del seg
        joined.add(art, off)
        if long is None:
            long = LongArticle(joined.article(text, id).model_copy(update={"paragraphs": [], "quotes": [], "entities": []}))
        long.add(Article(id="", text="", paragraphs=joined.paragraphs, quotes=joined.quotes, entities=joined.entities))
        joined.paragraphs, joined.quotes, joined.entities = [], [], []  # its counters go on
        del art
        if on_segment is not None:
            on_segment(k + 1, len(starts))
    assert long is not None
    return long


def extract_long(extract_source: Callable[[Source], Article], src: Source, *, size: int | None = None,
                 id: str | None = None, on_segment: Callable[[int, int], None] | None = None) -> Article:
    """``extract_source(src)`` for a plain text of any length, segment by segment (a text no
    longer than ``size``, or HTML, goes through whole)."""
    if src.format != "text" or len(src.content) <= (size or SEGMENT_CHARS):
        return extract_source(src)
    return extract_long_compact(extract_source, src, size=size, id=id, on_segment=on_segment).article()
