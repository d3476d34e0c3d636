"""Drop proposed attributions that are not attributions, by kind of error.

The rules and the learned finder propose every reporting verb with a complement; on real web
pages (essays, blogs, interviews, organisation news) many of those are the writer's own voice
or plain description.  Each rule here names one kind and looks only at the attribution's
shape: who the speaker is (person, number, a thing that cannot speak), where the cue stands
(inside a quotation or not, negated), what the content is (a bare noun phrase pointing back,
an intention) and the paragraph's role.  :func:`why_not` gives the kind's name for an
attribution that is not one (``None`` when it stands); :func:`drop_non_attributions` keeps the
others.  The pipeline calls it between the act stage and the learned filter: ``RULES`` always,
``STATEMENT_RULES`` as well in the default output (``Options(acts="statements")``: kinds that are
no statement from a source, though PolNeAR's annotators count them as attributions; see
docs/accuracy.md, "With the non-attribution filter").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from ..attribute.attribution import How, ParaCtx
from ..attribute.records import detach_orphans
from ..lexicon import (
    ACT_CLASSES,
    ANONYMOUS_NOUNS,
    DOCUMENT_NOUNS,
    DOCUMENT_USES,
    FIRST_PLURAL,
    HANDLING,
    INTENT_VERBS,
    LAYOUT_WORDS,
    ORGANIZATION_NOUNS,
    PERCEPTION,
    POINTING,
    SPEAKING_NOUNS,
    THING_NOUNS,
    TOPIC_PREPS,
)
from ..models import Kind

if TYPE_CHECKING:  # the record type only
    from ..attribute.records import Resolved


def _cue(r: Resolved) -> Token | None:
    return r.cand.cue_token


def _tokens_between(doc: Doc, s: int, e: int) -> list[Token]:
    """Tokens wholly inside local characters [s, e)."""
    if e <= s or not len(doc):
        return []
    n = doc[-1].idx + len(doc[-1].text_with_ws)
    span = doc.char_span(max(0, s), min(e, n), alignment_mode="contract")
    return list(span) if span is not None else []


def writer_voice(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """The speaker is the writer ('we') and the cue stands outside any quotation: the
    article's own voice, not a report of someone's."""
    s = r.cand.speaker_token
    c = _cue(r)
    if s is None or c is None or s.lower_ not in FIRST_PLURAL:
        return False
    return not ctx.in_quote(c) and ctx.quote_at(s.idx) is None


def reader_voice(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'you might think', 'you will find': the generic reader, outside quotation marks."""
    s = r.cand.speaker_token
    c = _cue(r)
    return s is not None and c is not None and s.lower_ == "you" and not ctx.in_quote(c) and ctx.quote_at(s.idx) is None


# nouns that name something that cannot state, believe or report anything
ABSTRACT_SUFFIXES = ("tion", "sion", "ment", "ness", "ism", "ance", "ence", "ure")


def thing_speaker(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'The spike suggested ...', 'The crash shows how ...': the speaker is an event, a
    thing or an abstraction, not a person, an organisation or a document."""
    s = r.cand.speaker_token
    if s is None or s.pos_ != "NOUN" or s.ent_type_:
        return False
    lem = s.lemma_.lower()
    low = s.lower_
    if lem in SPEAKING_NOUNS or low in SPEAKING_NOUNS or lem in DOCUMENT_NOUNS or lem in ANONYMOUS_NOUNS or lem in ORGANIZATION_NOUNS:
        return False
    return lem in THING_NOUNS or low in THING_NOUNS or lem.endswith(ABSTRACT_SUFFIXES)



def pointing_content(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'explained those choices', 'asked this question', 'rejected this idea': a content
    of one to three words that only points back, not what was said."""
    if r.kind != Kind.INDIRECT:
        return False
    s, e = r.spans[0][0] - ctx.offset, r.spans[-1][1] - ctx.offset
    toks = [t for t in _tokens_between(ctx.doc, s, e) if not t.is_punct]
    if not toks or len(toks) > 3:
        return False
    if any(t.pos_ in ("VERB", "AUX") for t in toks):
        return False
    return toks[0].lower_ in POINTING


# verb classes (``lexicon.ACT_CLASSES``, after VerbNet) whose noun-phrase object is what was
# communicated: said or promised ('reported a rise', 'promised a draft')
ASSERTING_CLASSES = ("say", "promise")


def learned_topic(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'..., the mayor said on Friday, standing outside the gates with a group of neighbours': a
    pair the learned finder proposes around a participle that tells the circumstance of a
    reporting verb (an adverbial clause of it), a verb in no class of communication or cognition
    (``lexicon.ACT_CLASSES``), with a noun phrase for content (``no_proposition``'s test): where
    the source stood, not what it said ('..., adding that ...' is a cue: 'add' is in a class)."""
    if r.cand.how != How.LEARNED:
        return False
    c = _cue(r)
    if c is None or c.pos_ != "VERB" or c.tag_ != "VBG" or c.dep_ != "advcl" or _in_act_class(c) \
            or not _in_act_class(c.head):
        return False
    return r.kind == Kind.INDIRECT and _noun_phrase(_content_tokens(r, ctx))


def _in_act_class(t: Token) -> bool:
    return t.pos_ == "VERB" and any(t.lemma_.lower() in words for words in ACT_CLASSES.values())


def _content_tokens(r: Resolved, ctx: ParaCtx) -> list[Token]:
    """The words of a record's content (its spans' tokens, punctuation left out)."""
    return [t for a, b in r.spans for t in _tokens_between(ctx.doc, a - ctx.offset, b - ctx.offset) if not t.is_punct]


def _noun_phrase(toks: list[Token], that_clauses: bool = True) -> bool:
    """Whether a content's words are a noun phrase: no verb but those of clauses that modify its
    nouns (``_in_noun_modifier``)."""
    return bool(toks) and not any(t.pos_ in ("VERB", "AUX") and not _in_noun_modifier(t, toks, that_clauses)
                                  for t in toks)


def no_proposition(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'questions about their treatment', 'discussed further engagement', 'criticised the
    closings': an indirect content with no verb at all is a topic, a target or an addressee, not
    something the source stated (a statement reports a clause or a quotation). Not for a verb
    that asserts or commits to its object ('reported a 9 percent rise', 'announced layoffs',
    'promised a draft': ``ASSERTING_CLASSES``), nor for a demand ('called for a ban', 'asked for
    help': the content hangs on 'for'), nor for 'according to X' and its kin, whose content is the clause around the cue."""
    if r.kind != Kind.INDIRECT or r.cand.how in (How.ACCORDING, How.ASIDE, How.PARENTHETICAL):
        return False
    c = _cue(r)
    if c is not None and c.pos_ == "VERB" and any(c.lemma_.lower() in ACT_CLASSES[k] for k in ASSERTING_CLASSES):
        return False
    toks = _content_tokens(r, ctx)
    if not _noun_phrase(toks, that_clauses=False):
        return False
    return not (c is not None and any(t.lower_ == "for" and t.i + 1 == toks[0].i for t in c.children))


# the dependencies by which a clause modifies a noun ('neighbours who have campaigned', 'the plan
# to widen the road'): a verb under one belongs to a noun phrase, which stays a topic
NOUN_MODIFIER_DEPS = frozenset({"relcl", "acl"})


def _in_noun_modifier(t: Token, toks: list[Token], that_clauses: bool = True) -> bool:
    """Whether verb ``t`` of a content sits in a clause that modifies one of the content's nouns.
    Not ``that_clauses``: a clause that opens with 'that' does not count ('told reporters on the
    quay that the crews had asked ...': the parser may take the reported clause for a relative
    clause of the noun before it, when the content's start is one noun too early)."""
    inside = {x.i for x in toks}
    for a in (t, *t.ancestors):
        if a.i not in inside:
            return False
        if a.dep_ in NOUN_MODIFIER_DEPS and a.head.i in inside and a.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return that_clauses or a.doc[min(x.i for x in a.subtree)].lower_ != "that"
    return False


_ANONYMITY_REQUEST = re.compile(
    r"^(?:not\s+(?:to\s+)?be\s+(?:named|identified|quoted)(?:\s+by\s+name)?|(?:to\s+)?remain\s+anonymous|anonymity)\b", re.I)


def anonymity_request(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'who asked not to be named', 'requested anonymity', 'spoke on condition of anonymity': the
    source's request to stay unnamed, reported about the source, not a statement of theirs."""
    if r.kind != Kind.INDIRECT or not r.spans:
        return False
    content = text[r.spans[0][0] : r.spans[-1][1]].strip()
    return bool(_ANONYMITY_REQUEST.match(content))


def heading(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """An indirect 'attribution' in a title or a caption: a headline or a photo's description."""
    return r.kind == Kind.INDIRECT and r.role in ("title", "caption") and r.cand.how in (How.VERB, How.LEARNED)


def negated(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'declined to comment on the lawsuit', 'the authors do not say how many', 'no one asked'."""
    c = _cue(r)
    if c is None or r.kind != Kind.INDIRECT:
        return False
    if any(k.dep_ == "neg" for k in c.children):
        return True
    if c.dep_ == "xcomp" and c.head.lemma_.lower() in ("decline", "refuse", "fail"):
        return True
    s = r.cand.speaker_token
    return s is not None and s.lower_ in ("nobody", "none", "no one", "neither") or (s is not None and any(k.lower_ == "no" and k.dep_ == "det" for k in s.children))



def intention(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'plans to use the data', 'decided to stay', 'want you to know': an intention or an
    attempt, not a statement."""
    c = _cue(r)
    if c is None or r.kind != Kind.INDIRECT or c.lemma_.lower() not in INTENT_VERBS:
        return False
    return text[r.spans[0][0] : r.spans[0][0] + 3].lower() == "to "



def perception(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'officers found a wallet lying ...', 'we watched the vote', 'you will find the shop': a verb of
    perception or possession with a noun phrase, not a clause."""
    c = _cue(r)
    if c is None or r.kind != Kind.INDIRECT or c.lemma_.lower() not in PERCEPTION:
        return False
    first = text[r.spans[0][0] : r.spans[0][1]].split(" ", 1)[0].lower()
    if first in ("that", "how", "why", "what", "whether", "if", "who", "when", "where"):
        return False
    s, e = r.spans[0][0] - ctx.offset, r.spans[-1][1] - ctx.offset
    toks = _tokens_between(ctx.doc, s, e)
    return not any(t.dep_ in ("ccomp", "nsubj") and t.head.i >= c.i for t in toks if t.head == c or t.head.head == c)


def reporters_question(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'Asked if the fire was connected, Chief Ruiz said ...': the reporter's question."""
    c = _cue(r)
    if c is None or c.lemma_.lower() != "ask" or r.kind != Kind.INDIRECT:
        return False
    first = text[r.spans[0][0] : r.spans[0][1]].split(" ", 1)[0].lower()
    return c.tag_ == "VBN" and first in ("if", "whether", "about")



def topic_only(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'a draft report about the policy', 'questions about their treatment': a noun cue and the
    topic it is about, a noun phrase that says nothing."""
    c = _cue(r)
    if c is None or r.kind != Kind.INDIRECT or c.pos_ != "NOUN" or c.lemma_.lower() not in DOCUMENT_NOUNS:
        return False
    s, e = r.spans[0][0] - ctx.offset, r.spans[-1][1] - ctx.offset
    toks = _tokens_between(ctx.doc, s, e)
    if not toks or any(t.pos_ in ("VERB", "AUX") for t in toks) or toks[0].lower_ in ("that", "how", "why", "whether", "what", "if"):
        return False
    idx = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in idx), toks[0])
    prep = head.head if head.dep_ == "pobj" else None
    return prep is not None and prep.lower_ in TOPIC_PREPS



def _document_speaker(r: Resolved) -> bool:
    s = r.cand.speaker_token
    return r.speaker_kind == "document" or (s is not None and s.lemma_.lower() in DOCUMENT_NOUNS)


def handled_thing(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'submitted a 64-page response to the report', 'cited more than 45 interviews': the
    object handed over or relied on, not what was said."""
    c = _cue(r)
    if c is None or r.kind != Kind.INDIRECT:
        return False
    lem = c.lemma_.lower()
    if lem not in HANDLING and not (lem in DOCUMENT_USES and _document_speaker(r)):
        return False
    s, e = r.spans[0][0] - ctx.offset, r.spans[-1][1] - ctx.offset
    toks = _tokens_between(ctx.doc, s, e)
    if not toks or toks[0].lower_ in ("that", "how", "why", "whether", "what", "if"):
        return False
    return not any(t.dep_ in ("ccomp", "nsubj", "nsubjpass") and t.head.i in {x.i for x in toks} | {c.i} for t in toks if t.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "PRON"))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text)]


def title_cased(text: str) -> bool:
    """'The Quiet Harbour: How Small Towns Rebuilt Their Economies': most longer words capitalised,
    no sentence inside."""
    ws = _words(text)
    long = [w for w in ws if len(w) >= 4]
    if len(ws) < 3 or len(long) < 2 or re.search(r"[.!?]\s+[A-Z]", text):
        return False
    return sum(w[0].isupper() for w in long) >= 0.75 * len(long)


def work_title(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """A quoted title of a work, a headline or a paper ('her book, "The Quiet Harbour: ..."'): a
    title-cased direct quotation with no speech cue of its own (no speaker, inherited from the
    previous quotation, or found by the learned finder)."""
    if r.kind != Kind.DIRECT or r.cand.how not in (How.UNATTRIBUTED, How.INHERIT, How.LEARNED):
        return False
    return all(title_cased(text[a:b]) for a, b in r.spans)



def layout_label(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'Header Image: Fishermen haul their nets ...', 'Gallery: ...', a caption's 'Name: Work, 2022':
    a page's label, not a speaker's turn."""
    if r.cand.how != How.LABEL or r.speaker is None:
        return False
    label = text[r.speaker[0] : r.speaker[1]].lower().split()
    # a headline 'Name: claim' is an attribution; a caption's 'Name: Work, 2022' is a credit
    return r.role == "caption" or any(w in LAYOUT_WORDS for w in label)


def sourceless(r: Resolved, ctx: ParaCtx, text: str) -> bool:
    """'It is widely assumed that ...', 'residents were told to stay indoors': a passive cue
    with no source anywhere in the text."""
    return r.cand.how == How.PASSIVE and r.speaker is None


# every kind, for measuring; RULES are those the pipeline applies
ALL_RULES = {
    "sourceless": sourceless,
    "writer": writer_voice,
    "reader": reader_voice,
    "thing": thing_speaker,
    "heading": heading,
    "negated": negated,
    "pointing": pointing_content,
    "no-proposition": no_proposition,
    "learned-topic": learned_topic,
    "anonymity": anonymity_request,
    "intention": intention,
    "perception": perception,
    "question": reporters_question,
    "topic": topic_only,
    "handled": handled_thing,
    "title": work_title,
    "layout": layout_label,
}
RULES = ("heading", "question", "topic", "handled", "title", "layout", "sourceless", "learned-topic")
# kinds that PolNeAR's annotators mostly count as attributions (beliefs and intentions of any
# source, the author's own voice in an op-ed) but that are no statement from a source: applied
# in the default output (``Options(acts="statements")``), not with ``acts="all"``
STATEMENT_RULES = ("writer", "reader", "thing", "intention", "perception", "negated", "pointing", "no-proposition", "anonymity")


def why_not(r: Resolved, ctx: ParaCtx, text: str, rules: tuple[str, ...] = RULES) -> str | None:
    """The name of the kind of non-attribution ``r`` is (among ``rules``), or ``None``."""
    for name in rules:
        if ALL_RULES[name](r, ctx, text):
            return name
    return None


def drop_non_attributions(items: list[Resolved], ctxs: list[ParaCtx], text: str, statements: bool = False) -> list[Resolved]:
    """The attributions none of the rules rejects (``RULES``, and ``STATEMENT_RULES`` with
    ``statements``); a nested attribution whose parent is dropped loses its parent."""
    by = {c.index: c for c in ctxs}
    rules = RULES + STATEMENT_RULES if statements else RULES
    return detach_orphans([r for r in items if why_not(r, by[r.para], text, rules) is None])
