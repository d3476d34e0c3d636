"""Paragraphs, their roles, and repeated paragraphs.

Plain text: paragraphs are separated by blank lines; a block of ``•`` lines gives one highlight
paragraph per line; the first short unpunctuated line is the title, the next such line the
subtitle; a closing ``source: domain`` line is the source. Paragraphs repeated (identical after
quote/space/case normalisation, or one containing the other) are marked ``duplicate_of`` the
first occurrence; a paragraph that occurs twice or more, identically, outside the head is a
caption (news pages repeat image captions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .htmlmeta import body_byline
from .normalize import normalize_string

_BLANK = re.compile(r"\n[ \t\u00a0\r\f\v]*\n\s*")
_BULLET = re.compile(r"^[ \t\u00a0]*[•\u2022\u25cf\u25aa\u2023\u2043\u2219*·▪-][ \t\u00a0]+")
_SOURCE = re.compile(r"^\s*(source|via|originally published (?:at|on|by|in))\s*:\s*(.+?)\s*$", re.I)
# a web address: what a closing "source:" line names when it gives the article's origin
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?:[/?#]\S*)?$", re.I)
_END_PUNCT = ".!?"


@dataclass
class Para:
    start: int
    end: int
    role: str = "body"
    duplicate_of: int | None = None
    key: str = field(default="", repr=False)


@dataclass
class Layout:
    text: str
    paragraphs: list[Para]
    title: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    url: str | None = None
    language: str | None = None
    format: Literal["text", "html"] = "text"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str) -> list[Para]:
    """Blank-line separated blocks; a block of bullet lines becomes one paragraph per line."""
    paras: list[Para] = []
    pos = 0
    blocks: list[tuple[int, int]] = []
    for m in _BLANK.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    for bs, be in blocks:
        bs, be = _trimmed(text, bs, be)
        if bs >= be:
            continue
        block = text[bs:be]
        lines = block.split("\n")
        bullets = sum(1 for ln in lines if _BULLET.match(ln))
        if bullets and bullets >= len([ln for ln in lines if ln.strip()]) / 2:
            off = bs
            for ln in lines:
                bm = _BULLET.match(ln)
                ls, le = off + (bm.end() if bm else 0), off + len(ln)
                ls, le = _trimmed(text, ls, le)
                if ls < le:
                    paras.append(Para(ls, le, "highlight" if bm else "body"))
                off += len(ln) + 1
        else:
            for ps, pe in _chunks(text, bs, be):
                paras.append(Para(ps, pe, "body"))
    return paras


MAX_PARAGRAPH = 20_000  # characters; longer blocks (no blank lines at all) are cut at sentence ends


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A block longer than ``MAX_PARAGRAPH`` cut into pieces at line breaks or sentence ends, so
    that one huge paragraph neither exceeds the parser's limit nor its memory."""
    out = []
    while end - start > MAX_PARAGRAPH:
        window = text[start : start + MAX_PARAGRAPH]
        cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < MAX_PARAGRAPH // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_PARAGRAPH - 1
        s, e = _trimmed(text, start, start + cut + 1)
        if s < e:
            out.append((s, e))
        start = start + cut + 1
    s, e = _trimmed(text, start, end)
    if s < e:
        out.append((s, e))
    return out


def source_outlet(label: str, value: str) -> str | None:
    """The outlet a closing source line names: a web address (its domain, lower case) after
    ``source:``/``via:``; after ``originally published by:`` a short name too. Else None."""
    m = _DOMAIN.match(value.strip())
    if m:
        return m.group(1).lower()
    if label.lower().startswith("originally") and len(value.split()) <= 6:
        return value.strip().rstrip(".") or None
    return None


def _is_headline(s: str, max_words: int) -> bool:
    s = s.strip()
    return "\n" not in s and 0 < len(s.split()) <= max_words and s[-1] not in _END_PUNCT


def assign_roles(text: str, paras: list[Para]) -> tuple[str | None, str | None]:
    """Mark title, subtitle and source paragraphs; return (title, publisher)."""
    title = publisher = None
    if not paras:
        return None, None
    last = paras[-1]
    m = _SOURCE.match(text[last.start : last.end]) if "\n" not in text[last.start : last.end] else None
    if m and len(m.group(2).split()) <= 8:
        # "source: dailymail.co.uk" names the outlet; "Source: NATO." under a chart credits data, not an outlet
        last.role = "source"
        publisher = source_outlet(m.group(1), m.group(2))
    first = paras[0]
    if first.role == "body" and len(paras) > 1 and _is_headline(text[first.start : first.end], 30):
        first.role = "title"
        title = text[first.start : first.end]
        if len(paras) > 2:
            second = paras[1]
            nxt = paras[2]
            if second.role == "body" and _is_headline(text[second.start : second.end], 70) and (
                nxt.role == "highlight" or len(text[second.start : second.end].split()) >= 8
            ):
                second.role = "subtitle"
    return title, publisher


def paragraph_key(s: str) -> str:
    return normalize_string(s).casefold()


def mark_duplicates(text: str, paras: list[Para], *, min_chars: int = 40) -> None:
    """Set ``duplicate_of`` on repeated paragraphs and the caption role on repeated body ones."""
    for p in paras:
        p.key = paragraph_key(text[p.start : p.end])
    exact: dict[str, list[int]] = {}
    for i, p in enumerate(paras):
        exact.setdefault(p.key, []).append(i)
    for key, idxs in exact.items():
        if len(idxs) < 2 or len(key) < min_chars:
            continue
        for j in idxs[1:]:
            paras[j].duplicate_of = idxs[0]
        if all(paras[j].role == "body" for j in idxs):
            for j in idxs:
                paras[j].role = "caption"
    # near duplicates: one paragraph contained in another (caption = body sentence + photo line)
    near = _Containment()
    for i, p in enumerate(paras):
        if p.duplicate_of is not None or len(p.key) < min_chars or p.role == "source":
            continue
        for j in near.candidates(p.key):
            q = paras[j]
            shorter, longer = (p.key, q.key) if len(p.key) <= len(q.key) else (q.key, p.key)
            if shorter in longer:
                p.duplicate_of = j
                break
        else:
            near.add(p.key, i)


class _Containment:
    """Earlier paragraphs that may contain a new one or be contained in it, in their order: the
    same as trying every earlier paragraph, without trying every one (linear in the text).

    If one key is inside another, the inner one's whole words (all but its first and last) are
    consecutive words of the outer one, so the two share the inner one's first pair of whole
    words: every paragraph is indexed under all its word pairs, and under that first pair."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], list[int]] = {}  # word pair -> paragraphs having it
        self.first: dict[tuple[str, str], list[int]] = {}  # word pair -> paragraphs whose first whole pair it is
        self.unindexed: list[int] = []  # fewer than two whole words: always tried
        self.all: list[int] = []

    @staticmethod
    def _pairs(key: str) -> list[tuple[str, str]]:
        w = key.split()
        return list(zip(w, w[1:], strict=False))

    def candidates(self, key: str) -> list[int]:
        inner = key.split()[1:-1]
        if len(inner) < 2:  # too few whole words to look up: try them all
            return self.all
        found = set(self.pairs.get((inner[0], inner[1]), ()))  # they contain this one
        for pair in set(self._pairs(key)):  # this one contains them
            found.update(self.first.get(pair, ()))
        found.update(self.unindexed)
        return sorted(found)

    def add(self, key: str, i: int) -> None:
        self.all.append(i)
        pairs = self._pairs(key)
        for pair in set(pairs):
            self.pairs.setdefault(pair, []).append(i)
        inner = key.split()[1:-1]
        if len(inner) < 2:
            self.unindexed.append(i)
        else:
            self.first.setdefault((inner[0], inner[1]), []).append(i)


BYLINE_SCAN = 4  # paragraphs from the top where a plain text's "By ..." line is looked for


def mark_bylines(text: str, paras: list[Para], publisher: str | None) -> list[str]:
    """'By Jane Porter' near the top: the byline role (never a speaker), and its names."""
    names: list[str] = []
    for p in paras[:BYLINE_SCAN]:
        found = body_byline(text[p.start : p.end], publisher) if p.role == "body" and "\n" not in text[p.start : p.end] else []
        if found:
            p.role = "byline"
            names = names or found
    return names


def layout_plain_text(text: str) -> Layout:
    paras = split_paragraphs(text)
    title, publisher = assign_roles(text, paras)
    authors = mark_bylines(text, paras, publisher)
    mark_duplicates(text, paras)
    return Layout(text=text, paragraphs=paras, title=title, publisher=publisher, authors=authors, format="text")
