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
if any(len(k) != 1 or len(v) != 1 for k, v in _CHAR_MAP.items()):  # pragma: no cover - a table edit
    raise ImportError("normalize._CHAR_MAP must replace one code point by one (offsets depend on it)")
_TABLE = str.maketrans(_CHAR_MAP)


@dataclass
class TextView:
    """A normalised view of ``original`` with an offset map back into it."""

    original: str
    text: str = ""
    _map: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, original: str) -> TextView:
        # Every replacement in _TABLE is one code point (checked where the table is built), so
        # the view has the original's length and the map is the identity.
        return cls(original=original, text=original.translate(_TABLE), _map=None)

    def to_original(self, i: int) -> int:
        if self._map is None:
            return i
        if i >= len(self._map):
            return len(self.original)
        return self._map[i]


def normalize_string(s: str) -> str:
    """Normalise a free string for comparison (not for offsets): straight quotes, single spaces."""
    s = s.translate(_TABLE)
    return re.sub(r"\s+", " ", s).strip()


_WORD_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*", re.UNICODE)


def words(s: str) -> list[str]:
    """Lower-case word tokens of a string, quotes and punctuation ignored."""
    return [w.lower() for w in _WORD_RE.findall(s.translate(_TABLE))]


def bag_f1(a: Counter, b: Counter) -> float:
    """Token F1 of two word bags (``Counter(words(s))``): 2 * common / (len a + len b)."""
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values())) if common else 0.0


def token_f1(a: str, b: str) -> float:
    """Token F1 of the words of two strings (0 when either has none)."""
    return bag_f1(Counter(words(a)), Counter(words(b)))
