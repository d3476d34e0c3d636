"""``according to X``: X is the source of the rest of the sentence, or a ``via`` of an attribution
already found in the sentence; and the chains of sources ("X told Y, the Times reports").

All offsets are local to the paragraph.
"""

from __future__ import annotations

import re

from ..lexicon import CUE_VERBS
from .attribution import Candidate, ParaCtx, classify, expand_over_quotes, is_cue, is_via_source, mention_span, region_head, subject_of, tokens_between, trim_region


def according_to(ctx: ParaCtx, cands: list[Candidate]) -> list[Candidate]:
    """'according to X': a via of an attribution in the sentence, or X's own attribution."""
    doc = ctx.doc
    out: list[Candidate] = []
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        if ctx.in_quote(t):
            continue
        to = doc[t.i + 1]
        sent = t.sent
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
        host = [c for c in cands if c.cue_token is not None and c.cue_token.sent == sent]
        if host:
            h = min(host, key=lambda c: abs(c.cue[0] - t.idx))
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
            if b - a > 0 and len(tokens_between(doc, a, b)) >= 3:
                pieces.append((a, b))
        if not pieces:
            continue
        kind, content, quotes = classify(ctx, pieces[0][0], pieces[-1][1]) if len(pieces) == 1 else ("indirect", pieces, [])
        if len(pieces) > 1:
            _, _, quotes = expand_over_quotes(ctx, pieces[0][0], pieces[-1][1])
            kind = "mixed" if quotes else "indirect"
        cand = Candidate(
            para=ctx.index, kind=kind, content=content, cue=(t.idx, to.idx + len(to.text)), cue_token=t,
            speaker=src, speaker_token=pobj, quotes=quotes, how="according", confidence=0.8,
        )
        out.append(cand)
    return out


def _not_speech_host(c: Candidate, sent) -> bool:
    """A verb attribution of the sentence whose cue reports no speech, writing or finding."""
    v = c.cue_token
    return (v is not None and c.how in ("verb", "trailer", "leader") and v.sent == sent and v.pos_ == "VERB"
            and v.lemma_.lower() not in CUE_VERBS and not c.quotes)


def collect_vias(ctx: ParaCtx, cands: list[Candidate]) -> list[Candidate]:
    """Reporting clauses whose subject is an outlet or a document and which report another
    attribution of the same sentence become that attribution's ``via``."""
    doc = ctx.doc
    keep: list[Candidate] = []
    by_sent: dict[int, list[Candidate]] = {}
    for o in cands:
        if o.cue_token is not None:
            by_sent.setdefault(o.cue_token.sent.start, []).append(o)
    for c in cands:
        if c.cue_token is None or c.how == "according" or c.speaker_token is None:
            keep.append(c)
            continue
        sent_start = c.cue_token.sent.start
        others = [o for o in by_sent.get(sent_start, ()) if o is not c and o.how != "according" and o.cue_token.i != c.cue_token.i]
        host = None
        for o in others:
            # c reports o: o's cue is inside c's content (outside quotes), or c is a side clause of o
            inside = any(cs <= o.cue[0] < ce for cs, ce in c.content)
            side = c.cue_token.dep_ == "parataxis" and c.cue_token.head == o.cue_token
            if (inside or side) and not ctx.in_quote(o.cue_token):
                if is_via_source(doc, c.speaker_token, ctx.text) and o.how != "nested":
                    host = o
                    break
        if host is not None:
            host.via.append((c.speaker, c.speaker_token))
        else:
            keep.append(c)
    # order each via chain innermost (nearest the cue) first
    for c in keep:
        if c.cue is not None and len(c.via) > 1:
            c.via.sort(key=lambda v: abs(v[0][0] - c.cue[0]))
    return keep


def leader_vias(ctx: ParaCtx, cands: list[Candidate]) -> None:
    """'Notes added that he continued: "..."': the outer reporting clause before the cue."""
    doc = ctx.doc
    for c in cands:
        v = c.cue_token
        if v is None or c.how not in ("leader", "trailer", "verb"):
            continue
        h = v
        while h.dep_ in ("ccomp", "conj", "xcomp") and h.head is not h:
            h = h.head
            if is_cue(h) and h is not v:
                subj = subject_of(h)
                if subj is not None and not ctx.in_quote(h) and is_via_source(doc, subj, ctx.text):
                    span = mention_span(doc, subj)
                    if span not in [x[0] for x in c.via]:
                        c.via.append((span, subj))
        # "..., the New York Times reports." as a side clause of the cue
        for ch in v.children:
            if ch.dep_ in ("parataxis", "ccomp", "conj") and is_cue(ch) and ch.i > v.i and not any(cs <= ch.idx < ce for cs, ce in c.content):
                subj = subject_of(ch)
                if subj is not None and is_via_source(doc, subj, ctx.text):
                    span = mention_span(doc, subj)
                    if span not in [x[0] for x in c.via]:
                        c.via.append((span, subj))
