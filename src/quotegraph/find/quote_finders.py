"""Quote first: every top-level direct quotation looks for its cue in the clause after it
(``"...," Sessions told the group``) or before it when that ends in ``:`` or ``,``
(``he continued: "..."``), then for a dash line (``— Commissioner Starks``); a quotation inside
another's content and a label line ("Smith: ...") are attributions of their own.

All offsets are local to the paragraph.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..attribute.attribution import (
    DASHES,
    Candidate,
    How,
    ParaCtx,
    as_put,
    in_words,
    is_cue,
    make_candidate,
    mention_span,
    name_in,
    sentence_ends,
    subject_of,
    tokens_between,
    trailer_word,
    trim_region,
)
from ..attribute.parse_tables import sentence
from ..lexicon import NOT_SPEAKER_LABELS
from ..models import Kind
from .quotemarks import QuoteSpan


def _trailer_cue(ctx: ParaCtx, q: QuoteSpan, used: set[int]) -> Token | None:
    """A reporting verb in the clause right after a closing mark: '"...," Sessions told ...'."""
    if q.close_pos is None:
        return None
    text = ctx.text
    start = q.close_pos + 1
    nxt = ctx.top_after(q.close_pos)
    stop = nxt.open_pos if nxt is not None else len(text)
    ends = sentence_ends(text[start:stop])
    if ends:  # the clause after the quote ends at a sentence end
        stop = start + ends[0].end()
    # the quotation must be a whole utterance: it ends in punctuation, or a comma follows it
    # ('"... wrongfully" suggests that' and '"..." to drive up prices, she said' are parts of a sentence)
    inner_end = text[q.start : q.end].rstrip()[-1:]
    if inner_end not in ",.!?;:\u2014-\u2026" and text[start:].lstrip(" ")[:1] not in (",", "\u2014", "\u2013", "-", "\n"):
        return None
    # the quotation opens its sentence (or follows a colon or dash): '"...," she said', not
    # 'a segment of "The Evening Hour," Ruiz said she ...'
    opening = ctx.doc.char_span(q.open_pos, q.open_pos + 1, alignment_mode="expand")
    if opening is not None:
        before = text[opening.sent.start_char : q.open_pos].strip()
        if before and before[-1] not in ":\u2014\u2013-(\"'\u201c\u2018" and not re.fullmatch(r"(and|but|so|then|yet)\W*", before, re.I):
            return None
    # the trailer must start right away (a comma or a space, not a new sentence with a verb first)
    lead = text[start : start + 3]
    if lead[:1] not in " ,\n" and not lead[:1].isalpha() and lead[:1] not in DASHES:
        if lead[:1] not in ".!?":
            return None
    if text[q.close_pos - 1 : q.close_pos] in ".!?" or text[q.close_pos - 1 : q.close_pos] in "\"'\u201d\u2019" and text[q.close_pos - 2 : q.close_pos - 1] in ".!?":
        # the quotation ends its sentence; a reporting verb before it in that sentence owns it
        sent = ctx.doc.char_span(q.open_pos, q.open_pos + 1, alignment_mode="expand")
        if sent is not None:
            ss = sent.sent.start_char
            if any(is_cue(t) and subject_of(t) is not None and not ctx.in_quote(t) for t in tokens_between(ctx.doc, ss, q.open_pos)):
                return None
    if text[q.close_pos - 1 : q.close_pos] in ".!?" and lead[:1] in " \n":
        # "... done." He smiled. -> the quote ended a sentence: a trailer must start with a cue or subject+cue
        window = tokens_between(ctx.doc, start, stop)
        if not window or not any(is_cue(t) for t in window[:4]):
            return None
    for t in tokens_between(ctx.doc, start, stop):
        if t.i in used or ctx.in_quote(t):
            continue
        if trailer_word(t) and (subject_of(t) is not None or t.lemma_.lower() in ("say", "add") or not is_cue(t)):
            return t
    return None


def _leader_cue(ctx: ParaCtx, q: QuoteSpan, used: set[int]) -> Token | None:
    """A reporting verb in a clause ending in ':' or ',' right before the opening mark."""
    text = ctx.text
    before = text[: q.open_pos].rstrip()
    if not before or before[-1] not in ":,":
        return None
    prev = ctx.top_before(q.open_pos)
    lo = (prev.close_pos + 1) if prev is not None and prev.close_pos is not None else 0
    ends = sentence_ends(text[lo : len(before)])
    if ends:
        lo = lo + ends[-1].end()
    best = None
    for t in tokens_between(ctx.doc, lo, len(before)):
        if t.i in used or ctx.in_quote(t):
            continue
        if ((is_cue(t) or as_put(t)) and subject_of(t) is not None) or in_words(t) is not None:
            best = t  # the one nearest the quote
    if best is None and before[-1] == ":":
        # 'he resents it: "..."': a person's clause that a colon hands to the quotation
        for t in reversed(tokens_between(ctx.doc, lo, len(before))):
            subj = subject_of(t) if t.pos_ in ("VERB", "AUX") and t.i not in used and not ctx.in_quote(t) else None
            if subj is not None:
                if subj.ent_type_ == "PERSON" or subj.lower_ in ("he", "she", "they", "i", "we"):
                    best = t
                break
    return best


# the text after the dash, without the spaces around it (a lone space when there is nothing else),
# found greedily: the lazy "(.+?)\s*$" was quadratic on long runs of spaces inside the line
DASH_LINE = re.compile(r"^\s*+[\u2014\u2013\u2015-]{1,2}\s*(\S(?:.*\S)?|\s)\s*$", re.S)


def quote_first(ctx: ParaCtx, used: set[int]) -> list[Candidate]:
    out: list[Candidate] = []
    for q in ctx.top:
        v = _trailer_cue(ctx, q, used)
        how = How.TRAILER
        if v is None:
            v = _leader_cue(ctx, q, used)
            how = How.LEADER
        if v is not None:
            subj = in_words(v) or subject_of(v)
            if subj is not None and ctx.in_quote(subj):
                subj = None
            if subj is None and q.close_pos is not None and v.idx > q.close_pos:
                # '"...," county fire Chief Ana Ruiz said' parsed without a subject: the name between
                subj = name_in(ctx.doc, q.close_pos + 1, v.idx)
                if subj is None:
                    after = [t for t in ctx.doc[v.i + 1 : v.i + 6] if t.ent_type_ in ("PERSON", "ORG", "") and t.pos_ == "PROPN"
                             and t.dep_ not in ("compound", "flat")]
                    subj = after[0] if after else None
            if subj is None and v.tag_ == "VBG":
                # '"...," Ruiz said, adding later, "..."': the participle shares the earlier cue's subject
                for t in reversed(tokens_between(ctx.doc, sentence(v).start_char, v.idx)):
                    s = subject_of(t) if is_cue(t) and not ctx.in_quote(t) else None
                    if s is not None and not ctx.in_quote(s):
                        subj = s
                        break
            used.add(v.i)
            kind, content, quotes = "direct", [(q.start, q.end)], [q]
            cand = make_candidate(ctx, v, subj, kind, content, quotes, how, 0.95 if subj is not None else 0.6)
            out.append(cand)
            continue
        # dash attribution on the same line: "..." — Commissioner Geoffrey Starks
        if q.close_pos is not None:
            rest = ctx.text[q.close_pos + 1 :]
            m = DASH_LINE.match(rest.split("\n")[0]) if rest.strip() else None
            if m:
                dash = dash_candidate(ctx, q, q.close_pos + 1 + m.start(1), q.close_pos + 1 + m.end(1), ctx)
                if dash is not None:
                    out.append(dash)
    return out


def dash_candidate(ctx: ParaCtx, q: QuoteSpan, s: int, e: int, line_ctx: ParaCtx) -> Candidate | None:
    """'— Commissioner Geoffrey Starks' after a quotation: the speaker is the name on the line."""
    doc = line_ctx.doc
    line = line_ctx.text[s:e]
    if len(line.split()) > 12 or not line[:1].isupper():
        return None
    head = name_in(doc, s, e)
    if head is None:
        return None
    dash_pos = max(line_ctx.text.rfind("\u2014", 0, s), line_ctx.text.rfind("\u2015", 0, s))
    if dash_pos < 0:
        dash_pos = max(line_ctx.text.rfind("\u2013", 0, s), line_ctx.text.rfind("-", 0, s))
    cue = (dash_pos, dash_pos + 1) if dash_pos >= 0 else None
    cand = Candidate(
        para=ctx.index, kind=Kind.DIRECT, content=[(q.start, q.end)], cue=cue, cue_token=None,
        speaker=mention_span(doc, head), speaker_token=head, quotes=[q], how=How.DASH, confidence=0.85,
    )
    if line_ctx is not ctx:
        cand.how = How.DASH_NEXT
        cand.speaker_para = line_ctx.index
    return cand


def nested_quote_first(ctx: ParaCtx, used: set[int]) -> list[Candidate]:
    """A quotation inside a quotation, with its own cue inside the outer one:
    '"He closed the door and said, 'Anything ... by Friday,'" Ostrowski testified.'"""
    doc = ctx.doc
    out: list[Candidate] = []
    for q in ctx.quotes:
        if q.depth != 1 or q.close_pos is None:
            continue
        outer = next((p for p in ctx.top if p.start <= q.open_pos and q.close_pos < p.end + 1), None)
        if outer is None:
            continue
        v = None
        lead = ctx.text[outer.start : q.open_pos].rstrip()
        if lead and lead[-1] in ":,":
            for t in tokens_between(doc, outer.start, q.open_pos):
                if t.i not in used and is_cue(t) and subject_of(t) is not None:
                    v = t
        if v is None:
            for t in tokens_between(doc, q.close_pos + 1, outer.end)[:4]:
                if t.i not in used and is_cue(t) and subject_of(t) is not None:
                    v = t
                    break
        if v is None:
            continue
        used.add(v.i)
        cand = make_candidate(ctx, v, subject_of(v), "direct", [(q.start, q.end)], [q], How.NESTED, 0.8)
        out.append(cand)
    return out


# possessive spaces and words (no re-splitting on backtracking), and the text up to its last
# non-space found greedily: linear time on any line
_LABEL = re.compile(r"^\s*+[\"\u201c]?\s*+((?:[A-Z][A-Za-z.'\u2019-]*+\s?){1,4}):\s+(\S(?:.*\S)?)\s*$", re.S)



def label_attribution(ctx: ParaCtx) -> Candidate | None:
    """Transcripts and headlines: 'RUIZ: Well, look, ...', 'Ruiz: Bridge Will Reopen in May'."""
    m = _LABEL.match(ctx.text)
    if not m:
        return None
    label = m.group(1).strip()
    if label.lower().rstrip(".") in NOT_SPEAKER_LABELS or len(label) < 2:
        return None
    content_s, content_e = m.start(2), m.end(2)
    if len(ctx.text[content_s:content_e].split()) < 3:
        return None
    doc = ctx.doc
    ls, le = m.start(1), m.start(1) + len(label)
    toks = tokens_between(doc, ls, le)
    if not toks:
        return None
    # a speaker label: a transcript's upper-case name, or a person's name ("Ruiz: ..."),
    # not a headline kicker ("The Briefing: ...", "Road Works Ahead: ...")
    is_name = any(t.ent_type_ in ("PERSON", "ORG") for t in toks) or (len(toks) == 1 and toks[0].pos_ in ("PROPN", "NOUN"))
    if not (label.isupper() or is_name) or toks[0].lower_ in ("the", "a", "an", "watch", "update"):
        return None
    head = toks[-1]
    colon = ctx.text.index(":", le)
    # the transcript turn is the content; a stray opening mark of the paragraph does not widen it
    content = [trim_region(ctx.text, content_s, content_e, strip_that=False)]
    quotes = [q for q in ctx.top if content_s <= q.open_pos and (q.close_pos or q.end) <= content_e]
    kind = "direct"
    return Candidate(para=ctx.index, kind=kind, content=content, cue=(colon, colon + 1), cue_token=None,
                     speaker=(ls, le), speaker_token=head, quotes=quotes, how=How.LABEL, confidence=0.7)
