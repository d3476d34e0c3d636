"""Normalisation for matching across articles: quote texts, person names, dates, outlets.

Quotes are compared as sequences of lowercase word tokens.  Two markers stand for editorial
changes: ``ELLIPSIS`` where words were left out ("...", "…", "[...]") and ``EDIT`` where the
reporter put words of their own in brackets ("[the administration]").  Markers are never counted
as words; they split a quote into *segments*, and shingles never cross them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from ..lexicon import TITLE_WORDS
from ..read.htmlmeta import read_date

ELLIPSIS = "\x01el"
EDIT = "\x01ed"
MARKERS = frozenset((ELLIPSIS, EDIT))

SHINGLE = 3  # words per shingle

_APOS = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032`\u00b4"})
# "[W]e" / "hope[s]": a bracket glued to a word only changes case or inflection: keep its content.
_GLUED_BRACKET = re.compile(r"(?<=\w)\[(\w{1,4})\]|\[(\w{1,4})\](?=\w)")
_BRACKETED_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){2,}\]|\[\s*…\s*\]|\(\s*(?:\.\s*){3}\)")
_ELLIPSIS = re.compile(r"(?:\.\s*){3,}|…")
_BRACKET = re.compile(r"\[[^\[\]]*\]")
_TOKEN = re.compile(rf"\w+(?:'\w+)*|{ELLIPSIS}|{EDIT}")


def quote_tokens(text: str) -> list[str]:
    """Lowercase word tokens of a quote, with ``ELLIPSIS``/``EDIT`` markers for editorial changes."""
    t = unicodedata.normalize("NFKC", text).translate(_APOS)
    t = _GLUED_BRACKET.sub(lambda m: m.group(1) or m.group(2), t)
    t = _BRACKETED_ELLIPSIS.sub(f" {ELLIPSIS} ", t)
    t = _ELLIPSIS.sub(f" {ELLIPSIS} ", t)
    t = _BRACKET.sub(f" {EDIT} ", t)
    out: list[str] = []
    for tok in _TOKEN.findall(t.casefold()):
        if tok in MARKERS and out and out[-1] in MARKERS:
            if tok == EDIT:
                out[-1] = EDIT
            continue
        out.append(tok.replace("_", "") if "_" in tok else tok)
    while out and out[-1] in MARKERS and out[-1] == ELLIPSIS:
        out.pop()
    while out and out[0] == ELLIPSIS:
        out.pop(0)
    return [t for t in out if t]


def words(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in MARKERS]


def segments(tokens: list[str]) -> list[list[str]]:
    segs: list[list[str]] = [[]]
    for t in tokens:
        if t in MARKERS:
            if segs[-1]:
                segs.append([])
        else:
            segs[-1].append(t)
    return [s for s in segs if s]


def _h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def shingles(tokens: list[str], k: int = SHINGLE) -> set[int]:
    """Stable 64-bit hashes of the k-word shingles of every segment (never across a marker)."""
    out: set[int] = set()
    for seg in segments(tokens):
        if len(seg) < k:
            continue
        for i in range(len(seg) - k + 1):
            out.add(_h64(" ".join(seg[i : i + k])))
    return out


def exact_hash(tokens: list[str]) -> int:
    return _h64(" ".join(words(tokens)))


class Comparison:
    """How a new quote compares with a stored one."""

    __slots__ = ("containment", "changed", "changed_words", "matched", "shorter")

    def __init__(self, containment: float, changed_words: int, matched: int, shorter: int):
        self.containment = containment
        self.changed_words = changed_words
        self.changed = changed_words > 0
        self.matched = matched
        self.shorter = shorter

    def __repr__(self) -> str:
        return f"Comparison(containment={self.containment:.3f}, changed_words={self.changed_words}, shorter={self.shorter})"


MIN_BLOCK = 3  # matching runs shorter than this count only when they are a whole segment


def _segment_bounds(tokens: list[str]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    start = None
    for i, t in enumerate(tokens + [ELLIPSIS]):
        if t in MARKERS:
            if start is not None:
                out.add((start, i))
            start = None
        elif start is None:
            start = i
    return out


def compare(a: list[str], b: list[str]) -> Comparison:
    """Align two token lists (with markers).

    ``containment``: the share of the shorter quote's words found in the other, in order, in runs of
    at least ``MIN_BLOCK`` words (or whole segments between ellipses/edits): two different
    statements that share stock phrases ("with or without federal help") do not contain each other.
    ``changed_words``: words of the shorter quote replaced, added or left out (without an ellipsis
    or an edit to show it) inside the span the two share; truncation at either end is no change.
    """
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return Comparison(0.0, max(len(wa), len(wb)), 0, 0)
    sm = SequenceMatcher(None, a, b, autojunk=False)
    short_is_a = len(wa) <= len(wb)
    short = a if short_is_a else b
    segs = _segment_bounds(short)
    matched = 0
    for blk in sm.get_matching_blocks():
        if not blk.size:
            continue
        i = blk.a if short_is_a else blk.b
        n = sum(1 for t in short[i : i + blk.size] if t not in MARKERS)
        if n >= MIN_BLOCK or (i, i + blk.size) in segs or n == len(words(short)):
            matched += n
    shorter = len(wa) if short_is_a else len(wb)
    changed = 0
    ops = sm.get_opcodes()
    last = len(ops) - 1
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        sa, sb = a[i1:i2], b[j1:j2]
        if (k == 0 or k == last) and (not sa or not sb):
            continue  # one is a truncated version of the other
        if any(t in MARKERS for t in sa) or any(t in MARKERS for t in sb):
            continue  # an ellipsis covers left-out words, an edit covers replaced ones
        changed += max(len(sa), len(sb))
    return Comparison(matched / shorter, changed, matched, shorter)


# ---------------------------------------------------------------- names

_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)
_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_TITLES = TITLE_WORDS | frozenset(
    "sen rep gov lt col gen capt sgt cmdr adm insp supt fr rev hon mx dr prof mr mrs ms".split()
)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).translate(_APOS).casefold()


# surname particles: "de Blasio", "van Voorhis", "bin Laden" are surnames, not first + last names;
# written with a capital, some are first names too ("Van Jones", "Al Gore"): those only in lower case
_PARTICLES = frozenset("de da di do dos das du del della der den des la le las los van von vom ter ten bin ibn al el".split())
_CAPITAL_PARTICLES = frozenset("de di du da dos das der des la le von ter ten".split())


def name_tokens(name: str) -> list[str]:
    """Tokens of a person's name without leading titles, initials (in long names) or suffixes;
    an article written before the name ("a Mitt Romney") is not part of it."""
    written = _NAME_TOKEN.findall(name)
    if len(written) > 2 and written[0] in ("a", "an", "the"):
        name = name[name.index(written[1]):]
    toks = _NAME_TOKEN.findall(_fold(name))
    if toks and toks[-1].endswith("'s"):  # "Trump's"
        toks[-1] = toks[-1][:-2]
    toks = [t.replace("'", "") for t in toks if t]
    while len(toks) > 1 and toks[0] in _TITLES:
        toks.pop(0)
    while len(toks) > 1 and toks[-1] in _SUFFIXES:
        toks.pop()
    if len(toks) > 2:
        toks = [toks[0]] + [t for t in toks[1:-1] if len(t) > 1] + [toks[-1]]
    return toks


def short_name(name: str) -> str | None:
    """The surname of a name that is only a surname, particles and all ("Mr. Trump" -> "trump",
    "de Blasio" -> "blasio"), else None ("Van Jones", "Al Gore": first names)."""
    toks = name_tokens(name)
    if not toks:
        return None
    if len(toks) > 1:
        words = [w for w in _NAME_TOKEN.findall(name) if _fold(w).replace("'", "") in toks[:-1]]
        if len(words) < len(toks) - 1 or not all(
                (_fold(w) in _PARTICLES if w[:1].islower() else _fold(w) in _CAPITAL_PARTICLES) for w in words):
            return None
    return toks[-1]


def is_title(word: str) -> bool:
    """Whether a (folded) word is a title or role word ("sen", "president", "judge"): alone it names nobody."""
    return word in _TITLES


def name_key(name: str) -> str:
    """The key people are merged on across articles: the normalised full name."""
    return " ".join(name_tokens(name))


def display_name(name: str) -> str:
    """The name without leading titles, as written."""
    parts = name.split()
    if len(parts) > 2 and parts[0] in ("a", "an", "the"):  # "a Mitt Romney"
        parts.pop(0)
    while len(parts) > 1 and _fold(parts[0]).strip(".") in _TITLES:
        parts.pop(0)
    return " ".join(parts).strip(" ,;:")


def org_key(name: str) -> str:
    toks = _NAME_TOKEN.findall(_fold(name))
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


# ---------------------------------------------------------------- dates, outlets


def norm_date(value, bounded: bool = True) -> str | None:
    """An ISO 8601 date or date-time string (UTC), or None when ``value`` is not a date given
    absolutely (and, when ``bounded``, in range: ``htmlmeta.read_date`` says why)."""
    return read_date(value, bounded).iso


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host or None
