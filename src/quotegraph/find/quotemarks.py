"""Find direct quotations: pair quotation marks, telling apostrophes from closing quotes.

Works on the original text of one paragraph (marks keep their direction there) and returns
content spans that exclude the marks. A right single quotation mark (U+2019) is an apostrophe
when it sits between letters (``don’t``, ``A.G.’s``), when no single quote is open, or when it
follows a plural ``s`` and a later mark can close the open quote (``participants’ notes``).
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_DOUBLE = "\u201c\u201e\u00ab"
CLOSE_DOUBLE = "\u201d\u00bb"
OPEN_SINGLE = "\u2018\u201a\u2039"
CLOSE_SINGLE = "\u2019\u203a"
STRAIGHT_DOUBLE = '"\u201f\u2033'
STRAIGHT_SINGLE = "'\u201b`\u00b4\u2032"

_OPEN_CONTEXT = " \t\n([{\u2014\u2013-/:;,\u00a0\u2009\u202f"  # what may stand before an opener
_CLOSE_CONTEXT = " \t\n)]}\u2014\u2013-/:;,.!?\u00a0\u2009\u202f\u2026"  # what may follow a closer


@dataclass
class QuoteMark:
    pos: int
    char: str
    family: str  # "double" | "single"
    can_open: bool
    can_close: bool
    width: int = 1  # 2 for the doubled marks '' and `` (New York Times style)


@dataclass
class QuoteSpan:
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark)
    open_pos: int
    close_pos: int | None  # None: runs to the end of the paragraph (unclosed / continued)
    family: str
    depth: int = 0  # 0 for a top-level quotation, 1 inside another one, ...
    parent: int | None = None  # index of the enclosing QuoteSpan


def _family(c: str) -> str | None:
    if c in OPEN_DOUBLE or c in CLOSE_DOUBLE or c in STRAIGHT_DOUBLE:
        return "double"
    if c in OPEN_SINGLE or c in CLOSE_SINGLE or c in STRAIGHT_SINGLE:
        return "single"
    return None


def _marks(text: str) -> list[QuoteMark]:
    marks: list[QuoteMark] = []
    n = len(text)
    skip = -1
    for i, c in enumerate(text):
        if i == skip:
            continue
        if c in "'`" and i + 1 < n and text[i + 1] == c:
            # '' or ``: one double quotation mark written with two characters
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 2] if i + 2 < n else " "
            skip = i + 1
            opener = c == "`" or ((prev.isspace() or prev in _OPEN_CONTEXT) and not nxt.isspace())
            closer = c == "'" and not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_CONTEXT or nxt in "\"'")
            if opener or closer:
                marks.append(QuoteMark(i, c, "double", opener and not (closer and not prev.isspace()), closer, 2))
            continue
        fam = _family(c)
        if fam is None:
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        prev_open = prev in _OPEN_CONTEXT or prev in OPEN_DOUBLE + OPEN_SINGLE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
        next_close = nxt in _CLOSE_CONTEXT or nxt in CLOSE_DOUBLE + CLOSE_SINGLE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
        if c in OPEN_DOUBLE or c in OPEN_SINGLE:
            can_open, can_close = not nxt.isspace() or c in "\u00ab\u2039", False
            if c == "\u2018" and prev.isalnum():  # ‘ used as an apostrophe: rock‘n’roll
                can_open = False
            elif c in "\u00ab\u2039" and not prev.isspace() and prev not in _OPEN_CONTEXT and (nxt.isspace() or nxt in _CLOSE_CONTEXT):
                can_open, can_close = False, True  # German style »...«: a « after a word closes
        elif c in CLOSE_DOUBLE:
            can_open, can_close = False, not prev.isspace() or next_close or c == "\u00bb"
            if c == "\u00bb" and nxt.isalnum() and prev.isspace():  # German style »...«
                can_open, can_close = True, False
        elif c in CLOSE_SINGLE:
            if prev.isalnum() and nxt.isalnum():
                continue  # don’t, A.G.’s (prev is '.', handled below), O’Brien
            if nxt.isalpha() and not prev.isalnum() and prev not in ".":
                # ’90s, ’em: an elision at the start of a word, or a wrongly-directed opener
                if prev in _OPEN_CONTEXT and nxt.isupper():
                    can_open, can_close = True, False
                else:
                    continue
            elif nxt.isalnum():
                continue  # A.G.’s
            else:
                can_open, can_close = False, not prev.isspace()
        else:  # straight marks
            if fam == "single" and prev.isalnum() and nxt.isalnum():
                continue  # don't
            if fam == "single" and nxt.isalnum() and prev in ".":
                continue  # A.G.'s
            if fam == "single" and nxt.isdigit() and prev.isspace():
                continue  # '90s
            can_open = prev_open and not nxt.isspace()
            can_close = (not prev.isspace()) and next_close
            if not can_open and not can_close:
                if prev.isspace() and not nxt.isspace():
                    can_open = True
                elif not prev.isspace() and nxt.isspace() or i == n - 1:
                    can_close = True
                else:
                    continue
        marks.append(QuoteMark(i, c, fam, can_open, can_close))
    return marks


def _is_possessive_apostrophe(text: str, m: QuoteMark) -> bool:
    """``participants’ notes``: a closer candidate after a plural s, followed by a lower-case word."""
    i = m.pos
    if i == 0 or text[i - 1] not in "sS":
        return False
    rest = text[i + 1 : i + 3]
    return len(rest) == 2 and rest[0] == " " and rest[1].islower()


def find_quotes(text: str) -> list[QuoteSpan]:
    """Pair the quotation marks of one paragraph.

    Returns spans in text order of their opening marks; unclosed quotes run to the end of the
    paragraph with ``close_pos=None``.
    """
    marks = _marks(text)
    stack: list[tuple[QuoteMark, int]] = []  # (opening mark, index in result)
    result: list[QuoteSpan] = []
    later_closer: list[bool] | None = None
    for k, m in enumerate(marks):
        top = stack[-1][0] if stack else None
        # Close the innermost open quote of the same family.
        if m.can_close and top is not None and top.family == m.family:
            if m.family == "single" and m.char == "\u2019" and _is_possessive_apostrophe(text, m):
                # only a closer if no later mark could close instead
                if later_closer is None:
                    later_closer = _later_single_closers(text, marks)
                if later_closer[k + 1]:
                    continue
            _, idx = stack.pop()
            result[idx].end = m.pos
            result[idx].close_pos = m.pos + m.width - 1
            continue
        if m.can_close and not m.can_open:
            # a closer with no matching opener: is it closing an outer quote of the same family?
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0].family == m.family:
                    if m.family == "single":
                        break  # likely an apostrophe inside a double quote
                    # the inner quotes were never closed: drop them
                    while len(stack) > depth + 1:
                        _, idx_drop = stack.pop()
                        result[idx_drop].close_pos = -1
                    _, idx = stack.pop()
                    result[idx].end = m.pos
                    result[idx].close_pos = m.pos + m.width - 1
                    break
            continue
        if m.can_open and top is not None and top.family == m.family and not m.can_close:
            # “a ... “b: an opener of the same family while one is open means the first was never closed
            _, idx_drop = stack.pop()
            result[idx_drop].close_pos = -1
        if m.can_open:
            if m.family == "single" and m.char in STRAIGHT_SINGLE and not stack and _looks_like_elision(text, m.pos):
                continue
            parent = stack[-1][1] if stack else None
            result.append(QuoteSpan(m.pos + m.width, len(text), m.pos, None, m.family, len(stack), parent))
            stack.append((m, len(result) - 1))
    # inner quotes closed by an outer closer were marked -1: drop them; unclosed stay to paragraph end
    spans = [q for q in result if q.close_pos != -1]
    # a straight single quote that was never closed is most likely an apostrophe
    spans = [q for q in spans if not (q.close_pos is None and q.family == "single" and text[q.open_pos] in STRAIGHT_SINGLE + "\u2019")]
    for q in spans:
        if q.close_pos is None:
            q.end = len(text.rstrip())
        while q.start < q.end and text[q.start].isspace():
            q.start += 1
        while q.end > q.start and text[q.end - 1].isspace():
            q.end -= 1
    # recompute parents/depths after dropping
    spans.sort(key=lambda q: q.open_pos)
    reach: list[int] = []  # reach[j]: the furthest end of spans[0..j]; no span before j ends later
    for i, q in enumerate(spans):
        q.parent, q.depth = None, 0
        for j in range(i - 1, -1, -1):
            if reach[j] < q.end:
                break  # nothing from here back encloses q
            p = spans[j]
            if p.start <= q.open_pos and q.end <= p.end:
                q.parent, q.depth = j, p.depth + 1
                break
        reach.append(max(reach[-1], q.end) if reach else q.end)
    return [q for q in spans if q.end > q.start]


def _later_single_closers(text: str, marks: list[QuoteMark]) -> list[bool]:
    """For each k: whether a mark from the k-th on can close a single quotation and is not a
    possessive apostrophe (one pass from the end instead of a scan per apostrophe)."""
    later = [False] * (len(marks) + 1)
    for k in range(len(marks) - 1, -1, -1):
        mm = marks[k]
        later[k] = later[k + 1] or (mm.can_close and mm.family == "single" and not _is_possessive_apostrophe(text, mm))
    return later


def _looks_like_elision(text: str, pos: int) -> bool:
    """'em, 'til, 'cause: a straight apostrophe at the start of a short word."""
    word = ""
    for c in text[pos + 1 : pos + 8]:
        if not c.isalpha():
            break
        word += c
    return word.lower() in {"em", "til", "cause", "n", "tis", "twas"}
