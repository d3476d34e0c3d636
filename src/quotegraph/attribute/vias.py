"""``according to X``: X is the source of the rest of the sentence, or a ``via`` of an attribution
already found in the sentence; and the chains of sources ("X told Y, the Times reports").

All offsets are local to the paragraph.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left

from spacy.tokens import Doc, Token

from ..lexicon import ACCORDING_PHRASES, CUE_VERBS
from .attribution import (
    Candidate,
    How,
    ParaCtx,
    classify,
    count_tokens_between,
    expand_over_quotes,
    is_cue,
    is_via_source,
    mention_span,
    region_head,
    subject_of,
    trim_region,
    via_distance,
)
from .parse_tables import children, sentence


def _according_phrase(doc: Doc, t: Token) -> int:
    """The number of words of the 'according to' phrase starting at ``t`` (0: none); also
    'per' before a determiner, a possessive or a name that opens a clause or follows a comma
    ('..., per the county's filing', 'Per Reuters, ...'), not '5 dollars per hour' nor 'per cent'."""
    if t.lower_ == "per" and t.i + 1 < len(doc) and (t.i == 0 or t.is_sent_start or doc[t.i - 1].text in (",", "(", ";")):
        nxt = doc[t.i + 1]
        if nxt.pos_ in ("DET", "PROPN") or nxt.tag_ == "PRP$" or (nxt.pos_ == "NOUN" and any(k.dep_ == "poss" for k in nxt.head.children)):
            return 1
    for words in ACCORDING_PHRASES:
        if t.lower_ == words[0] and t.i + len(words) <= len(doc) \
                and all(doc[t.i + k].lower_ == w for k, w in enumerate(words)):
            return len(words)
    return 0


def according_to(ctx: ParaCtx, cands: list[Candidate]) -> list[Candidate]:
    """'according to X', 'in the words of X': a via of an attribution in the sentence, or X's own
    attribution."""
    doc = ctx.doc
    out: list[Candidate] = []
    for t in doc:
        n = _according_phrase(doc, t)
        if not n or ctx.in_quote(t):
            continue
        to = doc[t.i + n - 1]
        sent = sentence(t)
        # the phrase runs to the next comma (outside quotes) or to the end of the sentence
        src_s = to.idx + len(to.text)
        phrase_e = sent.end_char
        j = src_s
        while j < sent.end_char:
            if ctx.text[j] in ",;" and ctx.quote_at(j) is None:
                if re.match(r"[,;]\s*(who|which|whose|whom)\b", ctx.text[j : j + 10]):
                    nxt = ctx.text.find(",", j + 1, sent.end_char)
                    phrase_e = nxt if nxt > 0 else sent.end_char
                    if nxt > 0:
                        j = nxt
                        break
                    j = sent.end_char
                    break
                phrase_e = j
                break
            j += 1
        src_s, src_e = trim_region(ctx.text, src_s, phrase_e, strip_that=False)
        if src_e <= src_s:
            continue
        pobj = region_head(doc, src_s, src_e)
        if pobj is None:
            continue
        src = mention_span(doc, pobj)
        src = (max(src[0], src_s), min(src[1], src_e))
        if src[1] <= src[0]:
            src = (src_s, src_e)
        phrase_s = t.idx
        # 'Most tenants would see their rents rise, according to the housing board': a
        # clause whose verb reports no speech (a perception, a plan, a proof) is not an
        # attribution the phrase reports through, but the content of X's own
        for c in [c for c in cands if _not_speech_host(c, sent)]:
            cands.remove(c)
        # inside an attribution's content: not ours
        if any(c.para == ctx.index and any(cs <= t.idx < ce for cs, ce in c.content) for c in cands + out):
            continue
        host = [c for c in cands if c.cue_token is not None and sentence(c.cue_token) == sent]
        if host:
            h = min(host, key=lambda c: abs(c.cue_start - t.idx))
            h.via.append((src, pobj))
            continue
        # content: the sentence without the phrase
        ss, se = sent.start_char, sent.end_char
        pieces = []
        left = trim_region(ctx.text, ss, phrase_s, strip_that=False)
        right = trim_region(ctx.text, phrase_e, se, strip_that=False)
        for a, b in (left, right):
            m = re.match(r"(but|and|yet|so)\b\s*,?\s*", ctx.text[a:b], re.I)
            if m:
                a += m.end()
            if b - a > 0 and count_tokens_between(doc, a, b) >= 3:
                pieces.append((a, b))
        if not pieces:
            continue
        kind, content, quotes = classify(ctx, pieces[0][0], pieces[-1][1]) if len(pieces) == 1 else ("indirect", pieces, [])
        if len(pieces) > 1:
            _, _, quotes = expand_over_quotes(ctx, pieces[0][0], pieces[-1][1])
            kind = "mixed" if quotes else "indirect"
        cand = Candidate(
            para=ctx.index, kind=kind, content=content, cue=(t.idx, to.idx + len(to.text)), cue_token=t,
            speaker=src, speaker_token=pobj, quotes=quotes, how=How.ACCORDING, confidence=0.8,
        )
        out.append(cand)
    return out


def _not_speech_host(c: Candidate, sent) -> bool:
    """A verb attribution of the sentence whose cue reports no speech, writing or finding."""
    v = c.cue_token
    return (v is not None and c.how in (How.VERB, How.TRAILER, How.LEADER) and sentence(v) == sent and v.pos_ == "VERB"
            and v.lemma_.lower() not in CUE_VERBS and not c.quotes)


def collect_vias(ctx: ParaCtx, cands: list[Candidate]) -> list[Candidate]:
    """Reporting clauses whose subject is an outlet or a document and which report another
    attribution of the same sentence, one of speech, become that attribution's ``via``; one that
    reports a belief, a knowledge or a perception ('a poll found that most voters support ...') is
    the document's own statement."""
    doc = ctx.doc
    keep: list[Candidate] = []
    hosts = _Hosts(ctx, cands)
    for c in cands:
        if c.cue_token is None or c.how == How.ACCORDING or c.speaker_token is None \
                or not is_via_source(doc, c.speaker_token, ctx.text):
            keep.append(c)
            continue
        host = hosts.first_reported_by(c)
        if host is not None and host.cue_token is not None and not is_cue(host.cue_token):
            host = None  # 'The filing says the company knew ...': a document reports a statement, never a belief
        if host is not None:
            assert c.speaker is not None  # a speaker token comes with its span
            host.via.append((c.speaker, c.speaker_token))
        else:
            keep.append(c)
    # order each via chain innermost (nearest the cue) first
    for c in keep:
        if c.cue is not None and len(c.via) > 1:
            c.via.sort(key=functools.partial(via_distance, c.cue[0]))
    return keep


class _Hosts:
    """The attributions a reporting clause may report, per sentence: those with a cue outside
    quotations, neither 'according to' nor nested, in the order found and by cue position
    (so that finding the first one whose cue lies in a region is a bisection, not a scan)."""

    def __init__(self, ctx: ParaCtx, cands: list[Candidate]):
        self.by_sent: dict[int, tuple[list[int], list[tuple[int, Candidate]]]] = {}
        self.by_cue: dict[int, list[tuple[int, Candidate]]] = {}
        rows: dict[int, list[tuple[int, int, Candidate]]] = {}
        for rank, o in enumerate(cands):
            if o.cue_token is None or o.how in (How.ACCORDING, How.NESTED) or ctx.in_quote(o.cue_token):
                continue
            rows.setdefault(sentence(o.cue_token).start, []).append((o.cue_start, rank, o))
            self.by_cue.setdefault(o.cue_token.i, []).append((rank, o))
        for sent_start, row in rows.items():
            row.sort(key=lambda r: (r[0], r[1]))
            self.by_sent[sent_start] = ([r[0] for r in row], [(r[1], r[2]) for r in row])

    def first_reported_by(self, c: Candidate) -> Candidate | None:
        """The first attribution (in the order found) of ``c``'s sentence, with another cue, that
        ``c`` reports: its cue is inside ``c``'s content, or ``c`` is a side clause of its cue."""
        v = c.cue_token
        assert v is not None
        found: list[tuple[int, Candidate]] = []
        if v.dep_ == "parataxis":
            found += [r for r in self.by_cue.get(v.head.i, ())
                      if r[1].cue_token is not None and sentence(r[1].cue_token).start == sentence(v).start]
        positions, row = self.by_sent.get(sentence(v).start, ([], []))
        for cs, ce in c.content:
            found += row[bisect_left(positions, cs) : bisect_left(positions, ce)]
        found = [r for r in found if r[1] is not c and r[1].cue_token is not None and r[1].cue_token.i != v.i]
        return min(found, key=lambda r: r[0])[1] if found else None


def leader_vias(ctx: ParaCtx, cands: list[Candidate]) -> None:
    """'Notes added that he continued: "..."': the outer reporting clause before the cue."""
    chain = _LeaderChain(ctx)
    for c in cands:
        v = c.cue_token
        if v is None or c.how not in (How.LEADER, How.TRAILER, How.VERB):
            continue
        h = chain.next_source(v)
        while h is not None:
            span, subj = chain.source[chain.key(h)]
            if span not in [x[0] for x in c.via]:
                c.via.append((span, subj))
            h = chain.next_source(h)
        # "..., the New York Times reports." as a side clause of the cue
        for ch in children(v):
            if ch.dep_ in ("parataxis", "ccomp", "conj") and is_cue(ch) and ch.i > v.i and not any(cs <= ch.idx < ce for cs, ce in c.content):
                side = subject_of(ch)
                if side is not None and is_via_source(ctx.doc, side, ctx.text):
                    span = mention_span(ctx.doc, side)
                    if span not in [x[0] for x in c.via]:
                        c.via.append((span, side))


class _LeaderChain:
    """Up a verb's chain of heads (clausal complements and conjuncts), the reporting verbs whose
    subject is an outlet or a document, each found once per paragraph: the next one above a
    token is remembered, so that a long chain is climbed once, not once per verb on it."""

    LINKS = ("ccomp", "conj", "xcomp")

    def __init__(self, ctx: ParaCtx):
        self.ctx = ctx
        # keyed by (doc, token index): a cue may come from the next or previous paragraph's parse
        self.source: dict[tuple[int, int], tuple[tuple[int, int], Token]] = {}  # verb -> (its source's span, subject)
        self.above: dict[tuple[int, int], Token | None] = {}  # token -> the next such verb up its chain

    @staticmethod
    def key(t: Token) -> tuple[int, int]:
        return id(t.doc), t.i

    def _is_source(self, h: Token) -> bool:
        ctx = self.ctx
        k = self.key(h)
        if k not in self.source:
            subj = subject_of(h) if is_cue(h) else None
            if subj is not None and not ctx.in_quote(h) and is_via_source(ctx.doc, subj, ctx.text):
                self.source[k] = (mention_span(ctx.doc, subj), subj)
        return k in self.source

    def next_source(self, t: Token) -> Token | None:
        path: list[tuple[int, int]] = []
        found: Token | None = None
        h = t
        while self.key(h) not in self.above:
            path.append(self.key(h))
            if h.dep_ not in self.LINKS or h.head.i == h.i:
                break
            h = h.head
            if self._is_source(h):
                found = h
                break
        else:
            found = self.above[self.key(h)]
        for k in path:
            self.above[k] = found
        return found
