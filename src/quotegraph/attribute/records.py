"""The record types an article is carried in between the stages, and who owns which field.

``Prepared`` is the document as it walks: made by ``read`` (``source``, ``layout``, ``view``) and
given its parsed paragraphs by the parse stage (``ctxs``); later stages read it and never write
to it. ``Candidate`` (``attribution.py``) is a proposal of the finders; ``Resolved`` is a
candidate resolved to article offsets and people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..read.layout import Layout
from ..read.normalize import TextView
from ..read.readers import Source
from .attribution import Candidate, ParaCtx


@dataclass
class Prepared:
    """An article read, laid out and (after the parse stage) parsed paragraph by paragraph."""

    source: Source
    layout: Layout
    view: TextView
    ctxs: list[ParaCtx] = field(default_factory=list)


@dataclass
class Resolved:
    """One attribution resolved to article offsets and people (made by ``resolution.resolve``).

    Who writes which field after ``resolve`` made it: ``decide.dedup`` appends to ``also_at``,
    re-points ``parent`` at the record kept for a repeat, and fills the speaker fields of a kept
    record from a repeat that has a speaker; ``decide.filters`` and ``decide.confidence`` clear
    ``parent`` when they drop the parent, ``keep_likely`` sets ``filter_prob`` and ``calibrate``
    sets ``confidence``; ``attribute.source_types`` sets ``source_type``, ``source_role`` and
    ``source_org`` (and the kind ``anonymous`` of an unnamed source kept anonymous);
    ``decide.acts`` sets ``act`` and ``factuality`` and, when it drops a parent, clears
    ``parent``. No other stage writes to a record."""

    cand: Candidate
    kind: str
    spans: list[tuple[int, int]]  # global content pieces
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_phrase: tuple[int, int] | None
    cue_phrase: tuple[int, int] | None
    speaker_name: str | None
    speaker_entity: str | None
    speaker_kind: str
    addressee: tuple[int, int] | None
    addressee_entity: str | None
    via: list[tuple[tuple[int, int], str]]
    role: str
    para: int
    confidence: float
    duplicate_para: bool
    also_at: list[tuple[int, int]] = field(default_factory=list)
    parent: Resolved | None = None
    filter_prob: float | None = None  # the learned filter's probability (``decide.confidence.keep_likely``)
    source_type: str | None = None  # named_person, document, anonymous ... (``attribute.source_types``)
    source_role: str | None = None  # a person's role as the article gives it
    source_org: str | None = None  # the organisation the source speaks for or comes from
    act: str = "statement"  # set by decide.acts (statement, belief, intention, knowledge)
    factuality: str = "asserted"  # set by decide.acts (asserted, negated, hypothetical)


def detach_orphans(kept: list[Resolved]) -> list[Resolved]:
    """``kept``, each record whose parent is not among them detached from it (``parent``
    cleared): what every stage that drops records does with what it keeps."""
    ids = {id(r) for r in kept}
    for r in kept:
        if r.parent is not None and id(r.parent) not in ids:
            r.parent = None
    return kept
