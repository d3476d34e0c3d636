"""Dedup: one record per attribution; its repeats (captions, highlights, the title) go to ``also_at``."""

from __future__ import annotations

from collections import Counter

from ..attribute.records import Prepared, Resolved
from ..read.normalize import bag_f1, words

ROLE_PRIORITY = {"body": 0, "subtitle": 2, "highlight": 2, "title": 3, "caption": 4, "byline": 5, "source": 6}


def _content_text(text: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in spans)


def _same_speaker(a: Resolved, b: Resolved) -> bool:
    if a.speaker_entity and b.speaker_entity:
        return a.speaker_entity == b.speaker_entity
    if a.speaker_name and b.speaker_name:
        return a.speaker_name.lower() == b.speaker_name.lower()
    return True


def _repeats(p: Prepared, a: Resolved, b: Resolved) -> bool:
    """Two attributions from paragraphs that repeat one another."""
    pa, pb = p.layout.paragraphs[a.para], p.layout.paragraphs[b.para]
    if a.para == b.para:
        return False
    root_a = pa.duplicate_of if pa.duplicate_of is not None else a.para
    root_b = pb.duplicate_of if pb.duplicate_of is not None else b.para
    return root_a == root_b or pa.duplicate_of == b.para or pb.duplicate_of == a.para


_SUMMARY_ROLES = ("title", "subtitle", "highlight")


class _KeptIndex:
    """The kept records a new one may be a repeat of, in the order they were kept: the same
    answer as trying every kept record, without trying every one (the cost of ``dedup`` grows
    with the article, not with its square).

    A match needs a word F1 of at least ``threshold``: then the words of the new record that the
    kept one lacks weigh at most ``1 - t/(2-t)`` of it, so the kept one holds one of its rarest
    words making up more than that share (a prefix filter). Or a match is a containment between
    repeated paragraphs, or with a title, subtitle or highlight: those are looked up directly."""

    def __init__(self, p: Prepared, threshold: float, counts: list[Counter]):
        self.p = p
        self.threshold = threshold
        self.df: Counter = Counter()
        for c in counts:
            self.df.update(c.keys())
        self.postings: dict[str, list[int]] = {}
        self.by_root: dict[int, list[int]] = {}
        self.by_para: dict[int, list[int]] = {}
        self.by_dup_of: dict[int, list[int]] = {}
        self.summary: list[int] = []  # kept records in summary roles, with a speaker entity
        self.with_entity: list[int] = []

    def _root(self, para: int) -> int:
        pa = self.p.layout.paragraphs[para]
        return pa.duplicate_of if pa.duplicate_of is not None else para

    def add(self, r: Resolved, rc: Counter, i: int) -> None:
        for w in rc:
            self.postings.setdefault(w, []).append(i)
        self.by_root.setdefault(self._root(r.para), []).append(i)
        self.by_para.setdefault(r.para, []).append(i)
        dup = self.p.layout.paragraphs[r.para].duplicate_of
        if dup is not None:
            self.by_dup_of.setdefault(dup, []).append(i)
        if r.speaker_entity is not None:
            self.with_entity.append(i)
            if r.role in _SUMMARY_ROLES:
                self.summary.append(i)

    def candidates(self, r: Resolved, rc: Counter, kept: list[Resolved]) -> list[Resolved]:
        t = self.threshold
        if t <= 0:
            return kept
        found: set[int] = set()
        n = sum(rc.values())
        if n and t <= 1:
            allowed = n - t / (2 - t) * n  # the most of r's word mass a match may lack
            mass = 0
            for w in sorted(rc, key=lambda w: (self.df[w], w)):  # rarest first
                found.update(self.postings.get(w, ()))
                mass += rc[w]
                if mass > allowed + 1e-9:
                    break
        found.update(self.by_root.get(self._root(r.para), ()))
        dup = self.p.layout.paragraphs[r.para].duplicate_of
        if dup is not None:
            found.update(self.by_para.get(dup, ()))
        found.update(self.by_dup_of.get(r.para, ()))
        found.update(self.with_entity if r.role in _SUMMARY_ROLES else self.summary)
        return [kept[i] for i in sorted(found)]


def dedup(p: Prepared, items: list[Resolved], threshold: float) -> list[Resolved]:
    """One record per attribution: repeats (captions, highlights, title) go to ``also_at``."""
    text = p.layout.text
    order = sorted(items, key=lambda r: (ROLE_PRIORITY.get(r.role, 9), r.duplicate_para, r.spans[0][0]))
    kept: list[Resolved] = []
    replaced: dict[int, Resolved] = {}
    bags: dict[int, Counter] = {}  # word counts of each kept record, computed once
    counts = [Counter(words(_content_text(text, r.spans))) for r in order]
    index = _KeptIndex(p, threshold, counts)
    for r, rc in zip(order, counts, strict=False):
        rw = set(rc)
        match = None
        for k in index.candidates(r, rc, kept):
            if not _same_speaker(k, r):
                continue
            kc = bags[id(k)]
            f1 = bag_f1(kc, rc)
            kw = set(kc)
            small, big = (rw, kw) if len(rw) <= len(kw) else (kw, rw)
            contained = len(small) >= 4 and len(small & big) / max(1, len(small)) >= 0.9
            summary = {k.role, r.role} & {"title", "subtitle", "highlight"} and k.speaker_entity is not None
            if f1 >= threshold or (contained and (_repeats(p, k, r) or summary)):
                match = k
                break
        if match is None:
            index.add(r, rc, len(kept))
            kept.append(r)
            bags[id(r)] = rc
        else:
            match.also_at.append((r.spans[0][0], r.spans[-1][1]))
            replaced[id(r)] = match
            if match.speaker is None and r.speaker is not None:
                match.speaker, match.speaker_name, match.speaker_entity, match.speaker_kind = r.speaker, r.speaker_name, r.speaker_entity, r.speaker_kind
    for r in kept:
        if r.parent is not None and id(r.parent) in replaced:
            r.parent = replaced[id(r.parent)]
        r.also_at.sort()
    kept.sort(key=lambda r: r.spans[0][0])
    return kept
