"""Offset-preserving normalisation.

The text that offsets point into is never rewritten. ``TextView`` holds the original and a
normalised copy (typographic quotes made straight, exotic spaces made plain) with a map from
every normalised position back to the original one. The default normalisations replace one code
point by one code point, so the map is the identity, but callers must still go through
``to_original`` so that wider normalisations can be added without breaking offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\""
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032'`\u00b4"
QUOTE_CHARS = DOUBLE_QUOTES + SINGLE_QUOTES

_CHAR_MAP: dict[str, str] = {}
for _c in DOUBLE_QUOTES:
    _CHAR_MAP[_c] = '"'
for _c in SINGLE_QUOTES:
    _CHAR_MAP[_c] = "'"
for _c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\x0b\x0c":
    _CHAR_MAP[_c] = " "
for _c in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
    _CHAR_MAP[_c] = " "
_CHAR_MAP["\r"] = "\n"
_CHAR_MAP["\u2028"] = "\n"
_CHAR_MAP["\u2029"] = "\n"
_CHAR_MAP["\u0085"] = "\n"
_TABLE = str.maketrans(_CHAR_MAP)


@dataclass
class TextView:
    """A normalised view of ``original`` with an offset map back into it."""

    original: str
    text: str = ""
    _map: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, original: str) -> "TextView":
        norm = original.translate(_TABLE)
        # One code point for one: the map is the identity.
        assert len(norm) == len(original)
        return cls(original=original, text=norm, _map=None)

    def to_original(self, i: int) -> int:
        if self._map is None:
            return i
        if i >= len(self._map):
            return len(self.original)
        return self._map[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end)


def normalize_string(s: str) -> str:
    """Normalise a free string for comparison (not for offsets): straight quotes, single spaces."""
    s = s.translate(_TABLE)
    return re.sub(r"\s+", " ", s).strip()


_WORD_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*", re.UNICODE)


def words(s: str) -> list[str]:
    """Lower-case word tokens of a string, quotes and punctuation ignored."""
    return [w.lower() for w in _WORD_RE.findall(s.translate(_TABLE))]


def token_f1(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    ca, cb = Counter(wa), Counter(wb)
    common = sum((ca & cb).values())
    if common == 0:
        return 0.0
    p, r = common / len(wa), common / len(wb)
    return 2 * p * r / (p + r)
