"""Finding across paragraphs: quotations with no cue in their own paragraph (continued quotes,
colon and dash lines, a speaker carried over from the quotation before, or no speaker at all)."""

from __future__ import annotations

import re

from ..attribute.attribution import ABBREVIATION, Candidate, How, ParaCtx, is_cue, mention_span, name_in, subject_of
from ..lexicon import SPEECH_CUES, TITLE_WORDS
from ..models import Kind
from ..read.normalize import words
from .quote_finders import DASH_LINE, dash_candidate
from .quotemarks import QuoteSpan


def link_across_paragraphs(ctxs: list[ParaCtx], cands: list[Candidate], min_unattributed_words: int) -> list[Candidate]:
    """Quotations with no cue in their own paragraph: continued quotes, colon and dash lines,
    a speaker carried over from the previous quotation, or no speaker at all."""
    by_para: dict[int, list[Candidate]] = {}  # ``out`` by paragraph, in its order (lookups stay local)
    for c in cands:
        by_para.setdefault(c.para, []).append(c)
    out = list(cands)
    # which record holds each quotation, also as a later paragraph of a multi-paragraph quote
    owner: dict[int, Candidate] = {id(q): c for c in cands for q in c.quotes}
    in_out = {id(c) for c in out}
    pending_chain: list[tuple[ParaCtx, QuoteSpan]] = []  # unattributed pieces of a multi-paragraph quote
    prev_ctx: ParaCtx | None = None
    for k, ctx in enumerate(ctxs):
        if ctx.role == "source":
            continue
        for q in ctx.top:
            at_start = not ctx.text[: q.open_pos].strip()
            mine = owner.get(id(q)) if owner.get(id(q)) is not None and owner[id(q)].para == ctx.index else None
            continuing = None
            if at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                continuing = owner.get(id(prev_ctx.top[-1]))
            if mine is not None:
                if continuing is None and at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                    pending_chain.append((prev_ctx, prev_ctx.top[-1]))  # the piece just before this one
                if pending_chain:  # earlier pieces of this quote had no cue: they join it
                    mine.pre_spans = [(pc.offset + pq.start, pc.offset + pq.end) for pc, pq in pending_chain]
                    pending_chain = []
                continue
            if continuing is not None:
                # one record for the whole multi-paragraph quote: spans in article coordinates
                continuing.extra_spans.append((ctx.offset + q.start, ctx.offset + q.end))
                owner[id(q)] = continuing
                continue
            if at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                pending_chain.append((prev_ctx, prev_ctx.top[-1]))
            near = by_para.get(prev_ctx.index, []) + by_para.get(ctx.index, []) if prev_ctx is not None else by_para.get(ctx.index, [])
            cand = (_colon_intro(ctx, q, prev_ctx, at_start) or _dash_next(ctx, q, ctxs, k) or _joins_report(ctx, q, near)
                    or _inherit(ctx, q, near, prev_ctx, at_start)
                    or _after_subject(ctx, q, prev_ctx, at_start))
            if cand is None and q.close_pos is not None:
                n = len(words(ctx.text[q.start : q.end]))
                if min_unattributed_words and n >= min_unattributed_words:
                    cand = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=None, cue_token=None,
                                     speaker=None, speaker_token=None, quotes=[q], how=How.UNATTRIBUTED, confidence=0.3)
            if cand is not None and id(cand) in in_out:
                owner[id(q)] = cand
                continue
            if cand is not None:
                if pending_chain:
                    cand.pre_spans = [(pc.offset + pq.start, pc.offset + pq.end) for pc, pq in pending_chain]
                    pending_chain = []
                out.append(cand)
                owner[id(q)] = cand
                in_out.add(id(cand))
                by_para.setdefault(cand.para, []).append(cand)
        prev_ctx = ctx
    out.sort(key=lambda c: (c.para, c.start))
    return out


def _colon_intro(ctx: ParaCtx, q, prev_ctx: ParaCtx | None, at_start: bool) -> Candidate | None:
    if not at_start or prev_ctx is None or not prev_ctx.text.rstrip().endswith(":"):
        return None
    doc = prev_ctx.doc
    cue = None
    for t in doc:
        if is_cue(t) and subject_of(t) is not None and not prev_ctx.in_quote(t):
            cue = t
    if cue is not None:
        subj = subject_of(cue)
        assert subj is not None  # the loop above takes only a cue with a subject
        c = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=(cue.idx, cue.idx + len(cue.text)), cue_token=cue,
                      speaker=mention_span(doc, subj), speaker_token=subj, quotes=[q], how=How.COLON, confidence=0.85)
    else:
        head = name_in(doc, 0, len(prev_ctx.text))
        if head is None:
            return None
        colon = len(prev_ctx.text.rstrip()) - 1
        c = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=(colon, colon + 1), cue_token=None,
                      speaker=mention_span(doc, head), speaker_token=head, quotes=[q], how=How.COLON, confidence=0.75)
    c.speaker_para = prev_ctx.index
    c.cue_para = prev_ctx.index
    return c


def _dash_next(ctx: ParaCtx, q, ctxs: list[ParaCtx], k: int) -> Candidate | None:
    if q.close_pos is None or ctx.text[q.close_pos + 1 :].strip():
        return None
    if k + 1 >= len(ctxs):
        return None
    nxt = ctxs[k + 1]
    m = DASH_LINE.match(nxt.text)
    if not m or not re.match(r"\s*[\u2014\u2013-]", nxt.text):
        return None
    c = dash_candidate(ctx, q, m.start(1), m.end(1), nxt)
    if c is not None:
        c.cue_para = nxt.index
    return c


_ABBREV = re.compile(ABBREVIATION.pattern + r"|\([^()]{1,12}\)")


def _after_subject(ctx: ParaCtx, q, prev_ctx: ParaCtx | None, at_start: bool) -> Candidate | None:
    """'Lena Ruiz, a nurse, moved back to Porto in May. She has no plans to leave again. "The
    city feels ..."': a quotation with no cue of its own, right after a sentence about a
    person, is that person's (the subject of the sentence before, a name or he/she)."""
    if q.close_pos is None:
        return None
    where, before = (prev_ctx, None) if at_start else (ctx, ctx.text[: q.open_pos])
    if where is None or (before is not None and not before.rstrip().endswith((".", "!", "?"))):
        return None
    doc = where.doc
    end = len(where.text) if before is None else len(before.rstrip())
    toks = [t for t in doc if t.idx < end and not t.is_space]
    if not toks or where.quote_at(toks[-1].idx) is not None:
        return None  # the sentence before is itself a quotation
    sent = toks[-1].sent
    subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
    titled = subj is not None and subj.pos_ == "NOUN" and subj.lower_ in TITLE_WORDS and any(
        c.dep_ == "det" and c.lower_ == "the" for c in subj.children)  # 'the governor also indicated ...'
    if subj is None or where.in_quote(subj) or not (subj.ent_type_ == "PERSON" or subj.lower_ in ("he", "she") or titled):
        return None
    c = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=None, cue_token=None,
                  speaker=mention_span(doc, subj), speaker_token=subj, quotes=[q], how=How.ADJACENT, confidence=0.5)
    if where is not ctx:
        c.speaker_para = where.index
    return c


def _joins_report(ctx: ParaCtx, q, cands: list[Candidate]) -> Candidate | None:
    """'X said the unveiling reminded her of a winter, and of "every crew that ..."', 'Most crews were
    tired, she said, and "we kept going anyway."': a quotation closing the sentence of an indirect
    report, joined to it by a conjunction, goes on with the report (one mixed attribution in two
    pieces)."""
    if q.close_pos is None:
        return None
    for c in cands:
        if c.para != ctx.index or c.kind != Kind.INDIRECT or c.speaker is None or c.cue is None or c.quotes:
            continue
        if not (c.end <= q.open_pos and c.cue[1] <= q.open_pos and c.speaker[1] <= q.open_pos):
            continue
        between = ctx.text[max(c.end, c.cue[1], c.speaker[1]) : q.open_pos]
        if len(between) > 30 or not re.fullmatch(r"[,;]?\s*(and|but)\s+(\w+\s+)?", between):
            continue
        if not re.match(r"[\"'\u201d\u2019]*\s*([.!?]|$)", ctx.text[q.end :]):
            continue  # the quotation ends the sentence
        close = q.close_pos + (2 if ctx.text.startswith("''", q.close_pos) else 1)
        c.content.append((q.open_pos, close))  # the quotation with its marks, as in a mixed content
        c.quotes.append(q)
        c.kind = "mixed"
        return c
    return None


def _inherit(ctx: ParaCtx, q, cands: list[Candidate], prev_ctx: ParaCtx | None, at_start: bool) -> Candidate | None:
    """'"...," Rosenstein said. "..."': the second quotation has the first one's speaker."""
    before = [c for c in cands if c.para == ctx.index and c.kind in (Kind.DIRECT, Kind.MIXED) and c.end <= q.open_pos and c.speaker is not None]
    src = None
    if before:
        last = max(before, key=lambda c: c.end)
        between = ctx.text[last.end : q.open_pos]
        # only the attribution clause between them: no other sentence
        n_sent = len(re.findall(r"[.!?][\"'\u201d\u2019]?\s", _ABBREV.sub("", between)))
        if n_sent == 0 and between.rstrip().endswith(",") and last.cue is not None and last.end <= last.cue[0] < q.open_pos:
            # "A," said X, "and B.": one quotation interrupted by its attribution
            last.content.append((q.start, q.end))
            last.quotes.append(q)
            return last
        own_clause = last.cue is not None and last.end <= last.cue[0] < q.open_pos  # '"A," said X, ... "B."'
        if n_sent <= 1 and (len(between) < 120 or (own_clause and len(between) < 400)):
            src = last
    elif at_start and prev_ctx is not None:
        # a quotation opening the paragraph after a speaker's words ('"...," she said.' or
        # 'Inspector Hale said it was likely.') goes on with that speaker
        prev = [c for c in cands if c.para == prev_ctx.index and c.speaker is not None and c.how != How.NESTED]
        if prev:
            last = max(prev, key=lambda c: c.end)
            tail = prev_ctx.text[last.end :]
            if len(tail) < 100 and (last.kind != Kind.INDIRECT or last.cue_token is not None and last.cue_token.lemma_.lower() in SPEECH_CUES):
                src = last
    if src is None:
        return None
    c = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=src.cue, cue_token=src.cue_token,
                  speaker=src.speaker, speaker_token=src.speaker_token, quotes=[q], how=How.INHERIT,
                  confidence=0.75, inherit_from=src)
    c.speaker_para = src.speaker_para if src.speaker_para is not None else src.para
    c.cue_para = src.cue_para if src.cue_para is not None else src.para
    return c
