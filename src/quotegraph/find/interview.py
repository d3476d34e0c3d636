"""Q&A interviews: the answers are the interviewee's.

An interview set out as turns ("The Herald: What do you ...?" / "Jane Doe: I try to ...") names
its interviewee at the first answers only; later answers often stand alone after a bare question
("Why Dayton?" / "I grew up here ..."), and an answer may run over a second paragraph. Such an
answer paragraph is a direct attribution of the interviewee (verbatim speech set off by the
layout), and a first-person source inside it ("I believed ...", "we call ...") is the interviewee.

An article is taken for an interview only when it has both kinds of labelled turn: the
interviewer's (a labelled question) and the interviewee's (a labelled answer). The answer's speaker
is then the last interviewee turn's; a paragraph is an answer when it follows a question (a
labelled one or a bare paragraph ending in "?"), or continues an answer in the first person, up to
a separator or a heading.
"""

from __future__ import annotations

import re

from ..attribute.attribution import Candidate, How, ParaCtx, trim_region
from ..lexicon import NOT_SPEAKER_LABELS
from ..models import Kind

TURNS = frozenset({How.LABEL, How.ANSWER})  # how a turn of an interview is found
ANSWER_HEADS = frozenset({"a", "answer"})  # 'A: ...': a head for the interviewee's turn, not a name
MAX_CONTINUED = 2  # paragraphs an answer may run on after the first without a new question
_ENDS_QUESTION = re.compile(r"\?[\"'\u201d\u2019)\]]*\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s*$")
# possessive words: a word is never split again on backtracking (that was O(n^4) on "A.A.A.A...")
_TURN = re.compile(r"^\s*+((?:[A-Z][A-Za-z.'\u2019-]*+\s?){1,4}):\s+\S")
_FIRST_PERSON = re.compile(r"\b(?:I|I['\u2019](?:m|ve|d|ll)|me|my|mine|we|we['\u2019](?:re|ve|d|ll)|us|our|ours)\b", re.I)


def is_question(text: str) -> bool:
    return bool(_ENDS_QUESTION.search(text))


def _first_person(ctx: ParaCtx) -> bool:
    """A first-person word of the paragraph outside quotation marks."""
    return any(not ctx.quote_at(m.start()) for m in _FIRST_PERSON.finditer(ctx.text) if m.group(0) != "US")


def answers(ctxs: list[ParaCtx], cands: list[Candidate]) -> list[Candidate]:
    """``cands`` with the unlabelled answers of an interview added, and the first-person
    attributions inside the interviewee's turns nested in them (their ``parent``)."""
    by_para: dict[int, list[Candidate]] = {}
    for c in cands:
        by_para.setdefault(c.para, []).append(c)
    ctx_of = {ctx.index: ctx for ctx in ctxs}
    labels = {c.para: c for c in cands if c.how == How.LABEL and ctx_of[c.para].role == "body"}
    # the interviewer's turns: labelled questions ('The Herald: Why ...?'), and every turn so labelled
    turn_label = {ctx.index: m.group(1).strip().lower() for ctx in ctxs if ctx.role == "body" for m in [_TURN.match(ctx.text)] if m}
    asker_names = {turn_label[i] for i in turn_label if is_question(ctx_of[i].text)}
    asking = {i for i, name in turn_label.items() if name in asker_names}
    if not asking or not set(turn_label) - asking:
        return cands
    added: list[Candidate] = []
    interviewee: Candidate | None = None
    asked = False  # the last turn was a question
    run = 0  # paragraphs of the current answer so far
    for ctx in ctxs:
        if ctx.role != "body":
            continue
        lab = labels.get(ctx.index)
        text = ctx.text.strip()
        if ctx.index in asking:
            asked, run = True, 0
            continue
        if lab is None and ctx.index in turn_label:
            lab = _turn(ctx)  # 'Ines Calloway: I make ...', a name the recogniser did not know
            if lab is None and turn_label[ctx.index].rstrip(".") in ANSWER_HEADS:
                lab = _headed_answer(ctx, ctxs, min(asking))  # 'A: ...': the person the introduction names
            if lab is not None:
                added.append(lab)
        if lab is not None:
            interviewee, asked, run = lab, False, 1
            _nest(by_para.get(ctx.index, []), lab, ctx)
            continue
        if interviewee is None:
            continue
        if not _ENDS_SENTENCE.search(text) or len(text.split()) < 3:
            interviewee = None  # a separator or a heading: the interview is over
            continue
        if is_question(text):
            asked, run = True, 0
            continue
        if not asked and (run == 0 or run > MAX_CONTINUED or not _first_person(ctx)):
            continue
        mine = by_para.get(ctx.index, [])
        covered = sum(e - s for c in mine for s, e in c.content if c.kind != Kind.INDIRECT)
        asked, run = False, run + 1
        if covered >= 0.5 * len(text):
            continue  # the paragraph is mostly a quotation of its own
        s, e = trim_region(ctx.text, 0, len(ctx.text), strip_that=False)
        ans = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[(s, e)], cue=interviewee.cue, cue_token=None,
                        speaker=interviewee.speaker, speaker_token=interviewee.speaker_token, quotes=list(ctx.top),
                        how=How.ANSWER, confidence=0.7, inherit_from=interviewee)
        ans.speaker_para = interviewee.speaker_para if interviewee.speaker_para is not None else interviewee.para
        ans.cue_para = interviewee.cue_para if interviewee.cue_para is not None else interviewee.para
        _nest(mine, ans, ctx)
        added.append(ans)
    if not added:
        return cands
    return sorted(cands + added, key=lambda c: (c.para, c.start))


def _turn(ctx: ParaCtx) -> Candidate | None:
    """The interviewee's labelled turn ('Ines Calloway: I make ...'): the label is the speaker."""
    m = _TURN.match(ctx.text)
    if m is None:
        return None
    ls, le = m.start(1), m.start(1) + len(m.group(1).rstrip())
    if m.group(1).strip().lower().rstrip(".") in NOT_SPEAKER_LABELS:
        return None  # 'A: ...', 'Answer: ...': a head, not the interviewee's name
    toks = [t for t in ctx.doc if ls <= t.idx < le]
    if not toks or len(toks) > 4 or not all(t.text[:1].isupper() or t.is_punct for t in toks):
        return None
    content = trim_region(ctx.text, le + 1, len(ctx.text), strip_that=False)
    quotes = [q for q in ctx.top if content[0] <= q.open_pos]
    return Candidate(para=ctx.index, kind=Kind.DIRECT, content=[content], cue=(le, le + 1), cue_token=None, speaker=(ls, le),
                     speaker_token=toks[-1], quotes=quotes, how=How.LABEL, confidence=0.7)


def _headed_answer(ctx: ParaCtx, ctxs: list[ParaCtx], first_question: int) -> Candidate | None:
    """An answer under a bare head ('A: The seabed was softer ...'): the interviewee's when the
    paragraphs before the first question name one person and no other (every name of theirs
    ends with the same surname); the speaker is the last of those mentions."""
    people = [(c, e) for c in ctxs if c.index < first_question for e in c.doc.ents if e.label_ == "PERSON"]
    if not people or len({e.text.split()[-1] for _, e in people}) != 1:
        return None
    m = _TURN.match(ctx.text)
    if m is None:
        return None
    head_end = m.start(1) + len(m.group(1).rstrip())
    intro, name = people[-1]
    content = trim_region(ctx.text, head_end + 1, len(ctx.text), strip_that=False)
    ans = Candidate(para=ctx.index, kind=Kind.DIRECT, content=[content], cue=None, cue_token=None,
                    speaker=(name.start_char, name.end_char), speaker_token=name.root,
                    quotes=[q for q in ctx.top if content[0] <= q.open_pos], how=How.ANSWER, confidence=0.7)
    ans.speaker_para = intro.index
    return ans


def _nest(inside: list[Candidate], turn: Candidate, ctx: ParaCtx) -> None:
    """Attributions of the turn's paragraph outside quotation marks are reported in the turn."""
    for c in inside:
        if c is turn or c.parent is not None or c.how in TURNS:
            continue
        if c.cue_token is not None and ctx.in_quote(c.cue_token):
            continue
        c.parent = turn


def in_turn(c: Candidate) -> bool:
    """Whether ``c`` is reported inside an interview turn (its first person is the turn's speaker)."""
    return c.parent is not None and c.parent.how in TURNS
