"""A word-level difference between a quote's first occurrence and another report of it.

Words are compared case- and punctuation-blind (``"Children,"`` matches ``"children"``) with
``difflib.SequenceMatcher``; the other report's own words are shown. Words the other report
leaves out are cuts (marked as an ellipsis cut when the report has ``...``/``…`` there), words it
has instead are changes, and words it adds (``[They]``) are insertions.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_WORD = re.compile(r"\S+")
_ELLIPSIS = re.compile(r"^(\.\s?\.\s?\.|…)+$")
_STRIP = re.compile(r"[^\w]+", re.UNICODE)


@dataclass
class Op:
    tag: str  # equal | changed | cut | ellipsis | added
    old: list[str]
    new: list[str]


def _key(w: str) -> str:
    k = _STRIP.sub("", w).lower()
    return k or w


def word_diff(first: str, other: str) -> list[Op]:
    a, b = _WORD.findall(first), _WORD.findall(other)
    sm = difflib.SequenceMatcher(None, [_key(w) for w in a], [_key(w) for w in b], autojunk=False)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        old, new = a[i1:i2], b[j1:j2]
        if tag == "equal":
            ops.append(Op("equal", old, new))
        elif tag == "delete":
            ops.append(Op("cut", old, []))
        elif tag == "insert":
            ops.append(Op("ellipsis" if all(_ELLIPSIS.match(w) for w in new) else "added", [], new))
        elif all(_ELLIPSIS.match(w) for w in new):
            ops.append(Op("ellipsis", old, new))
        else:
            ops.append(Op("changed", old, new))
    return ops


def summary(ops: list[Op]) -> dict[str, int]:
    out = {"changed": 0, "cut": 0, "ellipsis": 0, "added": 0}
    for op in ops:
        if op.tag != "equal":
            out[op.tag] += max(len(op.old), len(op.new))
    return out


def render(ops: list[Op]) -> Markup:
    """HTML: equal words plain, ``<del>`` for words cut or replaced, ``<ins>`` for words added."""
    out: list[str] = []
    for op in ops:
        old, new = escape(" ".join(op.old)), escape(" ".join(op.new))
        if op.tag == "equal":
            out.append(str(new))
        elif op.tag == "cut":
            out.append(f'<del class="cut" title="cut">{old}</del>')
        elif op.tag == "ellipsis":
            if op.old:
                out.append(f'<del class="cut ellipsis" title="cut at an ellipsis">{old}</del>')
            out.append(f'<ins class="ellipsis" title="ellipsis">{new}</ins>')
        elif op.tag == "added":
            out.append(f'<ins class="added" title="added">{new}</ins>')
        else:
            out.append(f'<del class="changed" title="replaced">{old}</del> <ins class="changed" title="instead">{new}</ins>')
    return Markup(" ".join(out))
