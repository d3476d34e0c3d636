"""A small, forgiving reader of brat standoff (``.ann``) attribution annotations.

Supported lines::

    T12<TAB>Content 120 211;215 240<TAB>span text          text-bound annotation
    E3<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1      event (one attribution)
    R1<TAB>Attribution Arg1:T2 Arg2:T3                     relation (linked parts)
    A1 / M1 / N1 / #1 / *                                   ignored

Offsets are ``[start, end)`` in code points of the ``.txt`` file read as UTF-8 (no newline
translation); discontinuous spans list their fragments separated by ``;`` and their text
joins the fragments with a space.  A span text containing a newline continues on the
next physical line(s) of the ``.ann`` file; such continuation lines are re-attached.

Attributions are grouped from events: roles are named by their prefix (``Content``,
``Content2`` … → content; ``Cue*`` → cue; ``Source*`` → source).  Files that use
relations instead of events get one attribution per connected group of linked parts that
contains a cue or content.  Anything unexpected produces a warning (with the file name
and line number) and is skipped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

Span = tuple[int, int]

ROLES = ("content", "cue", "source")

_T_RE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_T_NOTEXT_RE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\s*$")
_E_RE = re.compile(r"^(E\d+)\t(\S+?)(?::(\S+))?((?:\s+\S+:\S+)*)\s*$")
_R_RE = re.compile(r"^(R\d+)\t(\S+)\s+(\S+):(\S+)\s+(\S+):(\S+)\s*$")
_OTHER_RE = re.compile(r"^(?:[AMN]\d+|#\d*|\*)\t")
_ANY_ID_RE = re.compile(r"^(?:[TERAMN]\d+|#\d*|\*)\t")


def role_of(label: str) -> str | None:
    """``Content2`` → ``content``; ``Cue`` → ``cue``; ``Source`` → ``source``; else ``None``."""
    base = re.sub(r"[\d_-]+$", "", label).lower()
    return base if base in ROLES else None


@dataclass(frozen=True)
class TextBound:
    id: str
    label: str
    spans: tuple[Span, ...]
    text: str

    @property
    def start(self) -> int:
        return min(a for a, _ in self.spans)

    @property
    def end(self) -> int:
        return max(b for _, b in self.spans)


@dataclass
class BratAttribution:
    """One attribution: the pieces of its content, cue and source (each possibly empty)."""

    id: str
    label: str = "Attribution"
    content: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    source: list[Span] = field(default_factory=list)
    parts: dict[str, list[str]] = field(default_factory=dict)  # role -> text-bound ids

    def add(self, role: str, tb: TextBound) -> None:
        getattr(self, role).extend(tb.spans)
        getattr(self, role).sort()
        self.parts.setdefault(role, []).append(tb.id)

    @property
    def start(self) -> int:
        spans = self.content or self.cue or self.source
        return min(a for a, _ in spans) if spans else 0


@dataclass
class BratDocument:
    name: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    attributions: list[BratAttribution] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, msg: str) -> None:
        full = f"{self.name}: {msg}"
        self.warnings.append(full)
        log.info(full)


def _parse_spans(s: str) -> tuple[Span, ...]:
    """Fragments in the order written (brat joins their texts in that order)."""
    return tuple((int(a), int(b)) for a, b in (p.split() for p in s.split(";")))


def _expected_len(spans: tuple[Span, ...]) -> int:
    return sum(b - a for a, b in spans) + len(spans) - 1


_Event = tuple[int, str, str, str | None, list[tuple[str, str]]]  # line, id, type, trigger, (role, id) args
_Relation = tuple[int, str, str, str]  # line, type, first id, second id


def parse_ann(content: str, name: str = "<ann>", text: str | None = None) -> BratDocument:
    """Parse the text of an ``.ann`` file.  With ``text`` (the ``.txt``), offsets are checked."""
    doc = BratDocument(name=name)
    events, relations = _read_lines(doc, content.split("\n"), text)
    used: set[str] = set()
    _event_attributions(doc, events, used)
    if relations:
        _relation_attributions(doc, relations, used)
    orphans = [t for t in doc.textbounds.values() if t.id not in used and role_of(t.label)]
    if orphans:
        doc.warn(f"{len(orphans)} {'/'.join(sorted({t.label for t in orphans}))} span(s) in no attribution: {', '.join(t.id for t in orphans[:5])}")
    doc.attributions.sort(key=lambda a: (a.start, a.id))
    return doc


def _read_lines(doc: BratDocument, lines: list[str], text: str | None) -> tuple[list[_Event], list[_Relation]]:
    """Text-bounds into ``doc``; the events and relations, to be resolved once all are read."""
    events: list[_Event] = []
    relations: list[_Relation] = []
    i = 0
    while i < len(lines):
        lineno = i + 1
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip():
            continue
        m = _T_RE.match(line) or _T_NOTEXT_RE.match(line)
        if m:
            i = _textbound(doc, m, line, lineno, lines, i, text)
            continue
        if line.startswith("E"):
            m = _E_RE.match(line)
            if not m:
                doc.warn(f"line {lineno}: unreadable event, skipped: {line[:60]!r}")
                continue
            args = [tuple(a.split(":", 1)) for a in m.group(4).split()]
            events.append((lineno, m.group(1), m.group(2), m.group(3), args))
            continue
        if line.startswith("R"):
            m = _R_RE.match(line)
            if not m:
                doc.warn(f"line {lineno}: unreadable relation, skipped: {line[:60]!r}")
                continue
            relations.append((lineno, m.group(2), m.group(4), m.group(6)))
            continue
        if _OTHER_RE.match(line):
            continue
        doc.warn(f"line {lineno}: unrecognised line, skipped: {line[:60]!r}")
    return events, relations


def _textbound(doc: BratDocument, m: re.Match, line: str, lineno: int, lines: list[str], i: int, text: str | None) -> int:
    """One text-bound line (and the lines its text continues on) into ``doc``; the next line's index."""
    tid, label = m.group(1), m.group(2)
    try:
        spans = _parse_spans(m.group(3))
    except ValueError:
        doc.warn(f"line {lineno}: bad offsets, skipped: {line[:60]!r}")
        return i
    stored = m.group(4) if m.lastindex and m.lastindex >= 4 else ""
    # span text containing newlines continues on the following physical lines
    want = _expected_len(spans)
    while len(stored) < want and i < len(lines) and not _ANY_ID_RE.match(lines[i]):
        stored += "\n" + lines[i].rstrip("\r")
        i += 1
    if any(a < 0 or b < a for a, b in spans):
        doc.warn(f"line {lineno}: invalid span {m.group(3)!r}, skipped")
        return i
    if text is not None:
        if any(b > len(text) for _, b in spans):
            doc.warn(f"line {lineno}: span {m.group(3)} beyond end of text ({len(text)}), skipped")
            return i
        actual = " ".join(text[a:b] for a, b in spans)
        if actual != stored and " ".join(actual.split()) != " ".join(stored.split()):
            doc.warn(f"line {lineno}: {tid} text differs from the .txt at {m.group(3)}")
    if tid in doc.textbounds:
        doc.warn(f"line {lineno}: duplicate id {tid}, later one kept")
    doc.textbounds[tid] = TextBound(tid, label, tuple(sorted(spans)), stored)
    return i


def _event_attributions(doc: BratDocument, events: list[_Event], used: set[str]) -> None:
    """One attribution per event, its arguments in their roles (the text-bounds used go into ``used``)."""
    for lineno, eid, etype, trigger, args in events:
        att = BratAttribution(id=eid, label=etype)
        if trigger:
            used.add(trigger)
        for role_label, tid in args:
            tb = doc.textbounds.get(tid)
            if tb is None:
                doc.warn(f"line {lineno}: {eid} refers to missing {tid}, argument skipped")
                continue
            role = role_of(role_label) or role_of(tb.label)
            if role is None:
                doc.warn(f"line {lineno}: {eid} has unknown role {role_label!r}, skipped")
                continue
            att.add(role, tb)
            used.add(tid)
        if not (att.content or att.cue or att.source):
            doc.warn(f"line {lineno}: {eid} has no content, cue or source, skipped")
            continue
        doc.attributions.append(att)


def _relation_attributions(doc: BratDocument, relations: list[_Relation], used: set[str]) -> None:
    """Text-bounds linked by relations (and in no event) grouped into attributions (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lineno, _rtype, a, b in relations:
        if a not in doc.textbounds or b not in doc.textbounds:
            doc.warn(f"line {lineno}: relation refers to a missing text-bound, skipped")
            continue
        if a in used or b in used:
            continue
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for tid in parent:
        groups.setdefault(find(tid), []).append(tid)
    for n, members in enumerate(sorted(groups.values(), key=lambda m: min(doc.textbounds[t].start for t in m))):
        att = BratAttribution(id=f"R-group{n + 1}", label="Attribution")
        for tid in sorted(members, key=lambda t: doc.textbounds[t].start):
            tb = doc.textbounds[tid]
            role = role_of(tb.label)
            if role:
                att.add(role, tb)
                used.add(tid)
        if att.content or att.cue:
            doc.attributions.append(att)


def read_text(path: str | Path) -> str:
    """Read a brat ``.txt`` exactly as brat counts offsets: UTF-8, newlines untranslated.

    A leading byte-order mark is kept (it is one code point in the offsets too).
    """
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def read_ann(path: str | Path, text: str | None = None) -> BratDocument:
    """Read an ``.ann`` file; a missing or unreadable file gives an empty document with a warning."""
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        doc = BratDocument(name=path.name)
        doc.warn(f"cannot read annotation file ({exc.strerror or exc}), skipped")
        return doc
    if content.startswith("\ufeff"):
        content = content[1:]
    return parse_ann(content, name=path.name, text=text)
