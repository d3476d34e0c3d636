"""Verb first: every reporting verb with a subject and a clausal complement gives an indirect or
mixed quote (``told the prosecutors that it didn't matter``); a reporting verb inside a quote
gives a nested one; reporting nouns ("his claim that ...") and "as X said" asides likewise.

All offsets are local to the paragraph.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..attribute.attribution import (
    Candidate,
    How,
    LocalSpan,
    ParaCtx,
    classify,
    count_tokens_between,
    cue_phrase,
    expand_over_quotes,
    extend_right,
    frame_of,
    is_cue,
    make_candidate,
    mention_span,
    noun_owner,
    source_phrase,
    subject_of,
    subtree_span,
    trim_region,
)
from ..attribute.parse_tables import children, sentence, subtree_size
from ..lexicon import CUE_VERBS, LIGHT_VERBS, NOT_CUES, NOUN_CUES, WEAK_CUES, XCOMP_CUES, broad_cue_table, frame_cue_table
from ..models import Kind
from .quotemarks import QuoteSpan


def _broad_region(v: Token, rels: tuple[str, ...]) -> LocalSpan | None:
    """Content of a non-speech cue: its object, open complement or prepositional object
    ('cited the report', 'called it a disgrace', 'wants to run', 'called for a ban')."""
    kids = [c for c in children(v) if c.dep_ in rels and c.i > v.i]
    if "dobj" in rels and kids:
        # "called it a disgrace", "described it as a mistake"
        kids += [c for c in children(v) if (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")) and c.i > v.i and c not in kids]
    kids = [c for c in kids if not (c.dep_ == "prep" and c.lower_ not in ("for", "on", "about", "against", "as"))]
    if kids and all(c.dep_ == "prep" and c.lower_ == "as" for c in kids):
        return None
    # "called for a ban": the preposition belongs to the cue, its object is the content
    kids = [next((g for g in children(c) if g.dep_ in ("pobj", "pcomp")), c) if c.dep_ == "prep" and c.lower_ != "as" and c.i == v.i + 1 else c
            for c in kids]
    if not kids:
        return None
    a = min(c.left_edge.i for c in kids)
    b = max(c.right_edge.i for c in kids)
    doc = v.doc
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _that_clause(v: Token) -> LocalSpan | None:
    """'told five of the attorneys that they needed ...' when the parser missed the ccomp:
    a 'that' soon after the verb, before any other verb, opens the content."""
    sent = sentence(v)
    doc = v.doc
    for j in range(v.i + 1, min(sent.end, v.i + 16)):
        t = doc[j]
        if t.lower_ == "that" and j + 2 < sent.end:
            rest = doc[j + 1 : sent.end]
            if any(x.pos_ in ("VERB", "AUX") for x in rest[:12]) and rest[0].pos_ in ("PRON", "PROPN", "NOUN", "DET", "ADJ", "NUM", "PUNCT"):
                return rest[0].idx, sent.end_char
            return None
        if t.pos_ in ("VERB", "AUX") or t.text in ";:" or t.is_quote:
            return None
    return None


def _parenthetical(ctx: ParaCtx, v: Token, subj: Token) -> list[LocalSpan] | None:
    """'Repairs cost $3.8 million, Achterberg said, most of it covered by a grant.': the
    attribution clause set off by commas inside the content; content on both sides."""
    sent = sentence(v)
    ss, se = source_phrase(ctx.doc, subj)
    a, b = min(ss, v.idx), max(se, cue_phrase(v)[1])
    as_mark = next((c for c in children(v) if c.dep_ == "mark" and c.lower_ == "as" and c.i < subj.i), None)
    if as_mark is not None:  # 'Towns, as one adviser pointed out, rarely see ...'
        a = min(a, as_mark.idx)
    before = ctx.text[sent.start_char : a].rstrip()
    after = ctx.text[b : sent.end_char]
    if not after.lstrip().startswith(","):
        return None
    if as_mark is not None and not before:  # 'As one adviser noted, towns rarely see ...'
        right = trim_region(ctx.text, b, sent.end_char, strip_that=False)
        return [right] if count_tokens_between(ctx.doc, *right) >= 2 else None
    if not before.endswith(","):
        return None
    if any(c.dep_ in ("ccomp",) and c.i > v.i for c in children(v)) and re.match(r"\s*,?\s*that\b", after):
        return None
    left = trim_region(ctx.text, sent.start_char, a, strip_that=False)
    right = trim_region(ctx.text, b, sent.end_char, strip_that=False)
    if count_tokens_between(ctx.doc, *left) < 1 or count_tokens_between(ctx.doc, *right) < 2:
        return None
    return [left, right]


def verb_first(ctx: ParaCtx, used: set[int], taken: list[Candidate]) -> list[Candidate]:
    """Every reporting verb with a subject and a content region gives an attribution (one per verb;
    the verbs it claims go into ``used``)."""
    out: list[Candidate] = []
    seen = _Seen(taken)  # taken + out, as out grows
    for v in ctx.doc:
        if v.i in used:
            continue
        claimed, cand = _verb_candidate(ctx, v, seen)
        if claimed:
            used.add(v.i)
        if cand is not None:
            out.append(cand)
            seen.add(cand)
    return out


class _Seen(list):
    """The attributions found before a verb, in order, with the quotations they hold and the length
    of the longest direct one (a region twice as long cannot yield to any of them: no need to look
    through them all)."""

    def __init__(self, cands: list[Candidate]):
        super().__init__()
        self.longest_direct = 0
        self._quotes: set[int] = set()  # ids of the quotations held by the first _folded of them
        self._folded = 0
        self.direct_quotes: set[int] = set()  # ... by the direct ones
        for c in cands:
            self.add(c)

    def add(self, c: Candidate) -> None:
        self.append(c)
        if c.kind == Kind.DIRECT:
            self.direct_quotes.update(map(id, c.quotes))
            if c.content:
                self.longest_direct = max(self.longest_direct, c.end - c.start)

    @property
    def quotes(self) -> set[int]:
        """The ids of the quotations they all hold (gathered when first asked: a content over a
        long paragraph holds many, and few verbs ask)."""
        for c in self[self._folded :]:
            self._quotes.update(map(id, c.quotes))
        self._folded = len(self)
        return self._quotes


# what a verb gives: whether it claims the verb, and the attribution if any
_Found = tuple[bool, Candidate | None]
_NOTHING: _Found = (False, None)


def _cue_relations(v: Token, speech: bool) -> tuple[str, ...] | None:
    """The dependency relations under which a verb that is not a speech verb governs reported
    content (a broad cue, any verb with a that-clause, a verb in a reporting frame)."""
    rels = broad_cue_table().get(v.lemma_.lower()) if v.pos_ == "VERB" else None
    if rels is None and not speech and v.pos_ == "VERB" and v.lemma_.lower() not in NOT_CUES | LIGHT_VERBS \
            and any(c.dep_ == "ccomp" and c.i > v.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in children(c)) for c in children(v)):
        rels = ("ccomp",)  # any verb with a subject and a that-clause reports a statement or a belief
    if rels is None and v.pos_ == "VERB" and not speech:
        frame = frame_of(v)
        if (v.lemma_.lower(), frame) in frame_cue_table():
            rels = (frame,)
    return rels


def _complements(v: Token, speech: bool, rels: tuple[str, ...] | None) -> tuple[list[Token], tuple[str, ...] | None]:
    """The verb's clausal complements, and its relations with a governed 'for/about/on/against'."""
    comps = [c for c in children(v) if c.dep_ == "ccomp"]
    if not comps and v.lemma_.lower() in XCOMP_CUES:
        comps = [c for c in children(v) if c.dep_ == "xcomp" or (
            c.dep_ == "advcl" and c.i > v.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in children(c)))]
    if not comps and (speech or rels) and not any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in children(v)):
        # "called for a ban", "talked about the economy", "warned against cuts"
        if any(c.dep_ == "prep" and c.lower_ in ("for", "about", "on", "against") and c.i == v.i + 1 for c in children(v)):
            rels = tuple(rels or ()) + ("prep",)
    return comps, rels


def _verb_candidate(ctx: ParaCtx, v: Token, seen: _Seen) -> _Found:
    speech = is_cue(v)
    rels = _cue_relations(v, speech)
    if not speech and not rels:
        return _NOTHING
    comps, rels = _complements(v, speech, rels)
    if not speech or (not comps and rels):
        broad = _broad_region(v, rels or ())
        if broad is not None and not comps:
            return _broad_candidate(ctx, v, broad, seen)
        if not speech and not comps:
            return _NOTHING
    subj = subject_of(v)
    if subj is None:
        return _passive_candidate(ctx, v, speech, rels, seen)
    pieces = _parenthetical(ctx, v, subj)
    if pieces is not None:
        return _parenthetical_candidate(ctx, v, subj, pieces)
    return _clause_candidate(ctx, v, subj, comps, seen)


def _broad_candidate(ctx: ParaCtx, v: Token, broad: LocalSpan, seen: _Seen) -> _Found:
    """A broad cue's governed phrase ("called for a ban") as its content."""
    subj = subject_of(v)
    if subj is None or ctx.in_quote(v):
        return _NOTHING
    kind, content, quotes = classify(ctx, broad[0], broad[1], v.idx)
    if count_tokens_between(ctx.doc, content[0][0], content[-1][1]) < 2:
        return _NOTHING
    if not seen.direct_quotes.isdisjoint(map(id, quotes)):
        return _NOTHING
    return True, make_candidate(ctx, v, subj, kind, content, quotes, How.VERB, 0.6)


def _passive_candidate(ctx: ParaCtx, v: Token, speech: bool, rels: tuple[str, ...] | None, seen: _Seen) -> _Found:
    """"It is widely believed that ...", "The mayor is expected to ...": a passive cue with a
    clause has no source in the text."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children(v))
    clause = [c for c in children(v) if c.dep_ in ("ccomp", "xcomp") and c.i > v.i]
    if not (passive and clause and (speech or rels)) or ctx.in_quote(v):
        return _NOTHING
    s0, e0 = subtree_span(max(clause, key=subtree_size))
    kind, content, quotes = classify(ctx, s0, extend_right(ctx, e0, sentence(v).end_char), v.idx)
    if count_tokens_between(ctx.doc, content[0][0], content[-1][1]) < 3:
        return _NOTHING
    if not seen.quotes.isdisjoint(map(id, quotes)):
        return _NOTHING
    return True, make_candidate(ctx, v, None, kind, content, quotes, How.PASSIVE, 0.4)


def _parenthetical_candidate(ctx: ParaCtx, v: Token, subj: Token, pieces: list[LocalSpan]) -> _Found:
    """"The policy, she said, was cruel": one report in two pieces around the cue."""
    qs: list[QuoteSpan] = []
    for a, b in pieces:
        _, _, inside = expand_over_quotes(ctx, a, b)
        qs += inside
    if qs:
        return True, None  # quotations around it are the quote-first pass's work
    return True, make_candidate(ctx, v, subj, "indirect", pieces, [], How.PARENTHETICAL, 0.75)


def _clause_candidate(ctx: ParaCtx, v: Token, subj: Token, comps: list[Token], seen: _Seen) -> _Found:
    """The verb's clausal complement (or the clause it introduces) as its content."""
    doc = ctx.doc
    comp: Token | None = None
    if comps:
        right = [c for c in comps if c.i > v.i]
        comp = max(right or comps, key=subtree_size)
        s, e = subtree_span(comp)
        if comp.i < v.i:
            # "CONTENT, the source added.": the content is the sentence up to the comma
            a = min(mention_span(doc, subj)[0], v.idx)
            head_text = ctx.text[sentence(v).start_char : a].rstrip()
            if head_text.endswith(",") and e <= a:
                s, e = sentence(v).start_char, len(head_text) + sentence(v).start_char
    else:
        region = _that_clause(v)
        if region is None:
            return _NOTHING
        s, e = region
    if subj.lower_ in ("i", "we", "you") and ctx.in_quote(v):
        return _NOTHING
    if subj.lower_ in ("it", "this", "that", "which", "what") and v.lemma_.lower() not in ("say", "report", "state", "find", "conclude", "add", "note", "write", "warn"):
        return _NOTHING
    if s <= v.idx < e:
        return _NOTHING
    if s > v.idx:
        e = extend_right(ctx, e, sentence(v).end_char)
    kind, content, quotes = classify(ctx, s, e, v.idx)
    cs, ce = content[0][0], content[-1][1]
    if ce - cs < 2 or count_tokens_between(doc, cs, ce) < 2:
        return _NOTHING
    if v.lemma_.lower() in WEAK_CUES and comp is not None and not any(c.dep_ == "mark" and c.lower_ == "that" for c in children(comp)) and v.lemma_.lower() not in ("find", "conclude"):
        return _NOTHING
    # a quotation already attributed to another cue is not claimed twice, unless this
    # attribution is much larger and reports it (nested)
    size = content[-1][1] - content[0][0]
    if quotes and size < 2 * seen.longest_direct:
        qids = set(map(id, quotes))
        if any(t.kind == Kind.DIRECT and not qids.isdisjoint(map(id, t.quotes)) and size < 2 * (t.end - t.start) for t in seen):
            return _NOTHING
    conf = 0.85 if kind != "indirect" else 0.75
    cand = make_candidate(ctx, v, subj, kind, content, quotes, How.VERB, conf)
    if ctx.in_quote(v):
        cand.how = How.NESTED
    return True, cand



def noun_cues(ctx: ParaCtx, used: set[int], cands: list[Candidate]) -> list[Candidate]:
    """'the mayor's claim that there were "hundreds of complaints"': a noun cue with its owner
    (possessive, or 'by X') and a that-clause or 'about'/'of' object."""
    doc = ctx.doc
    out: list[Candidate] = []
    for n in doc:
        if n.pos_ != "NOUN" or n.lower_ not in NOUN_CUES or n.i in used or ctx.in_quote(n):
            continue
        owner = noun_owner(n, ("PROPN", "PRON", "NOUN"))
        if owner is None:
            continue
        comp = next((c for c in children(n) if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark" for m in children(c))), None)
        if comp is not None:
            s0, e0 = subtree_span(comp)
        else:
            prep = next((c for c in children(n) if c.dep_ == "prep" and c.lower_ in ("about", "of", "for", "on") and c.i > n.i), None)
            pobj = next((c for c in children(prep) if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is None:
                continue
            s0, e0 = subtree_span(pobj)
        if any(any(cs <= n.idx < ce for cs, ce in c.content) for c in cands + out):
            continue
        kind, content, quotes = classify(ctx, s0, e0, n.idx)
        if count_tokens_between(doc, content[0][0], content[-1][1]) < 2:
            continue
        if any(set(map(id, quotes)) & set(map(id, t.quotes)) and t.kind == Kind.DIRECT for t in cands + out):
            continue
        os_, oe = mention_span(doc, owner)
        if doc[owner.i + 1 : owner.i + 2].text in ("'s", "\u2019s"):
            oe = doc[owner.i + 1].idx + len(doc[owner.i + 1].text)
        used.add(n.i)
        out.append(Candidate(para=ctx.index, kind=kind, content=content, cue=(n.idx, n.idx + len(n.text)), cue_token=None,
                             speaker=(os_, oe), speaker_token=owner, quotes=quotes, how=How.NOUN, confidence=0.55))
    return out


def as_asides(ctx: ParaCtx, used: set[int], taken: list[Candidate]) -> list[Candidate]:
    """'Towns, as one of the mayor's advisers pointed out, rarely see ...': a reporting aside set
    off by commas inside the sentence it attributes (the parse of such sentences is often wrong,
    so the aside is read from its commas: ', as SOURCE VERB [particle],')."""
    doc = ctx.doc
    out: list[Candidate] = []
    for m in doc:
        if m.lower_ != "as" or m.i == 0 or doc[m.i - 1].text != "," or ctx.in_quote(m):
            continue
        sent = sentence(m)
        end = next((t.i for t in doc[m.i + 1 : min(sent.end, m.i + 14)] if t.text == ","), None)
        if end is None:
            continue
        v = doc[end - 1]
        if v.dep_ == "prt" or v.lower_ in ("out", "up"):
            v = doc[end - 2]
        if v.i in used or v.lemma_.lower() not in CUE_VERBS or v.i - m.i < 2:
            continue
        src = [t for t in doc[m.i + 1 : v.i] if not t.is_punct]
        head = next((t for t in src if t.head.i < m.i + 1 or t.head.i >= v.i), None)
        if head is None or head.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
            continue
        left = trim_region(ctx.text, sent.start_char, doc[m.i - 1].idx, strip_that=False)
        right = trim_region(ctx.text, doc[end].idx + 1, sent.end_char, strip_that=False)
        pieces = [p for p in (left, right) if count_tokens_between(doc, *p) >= 1]
        if len(pieces) < 2 or any(p[0] < c.end and c.start < p[1] for p in pieces for c in taken + out):
            continue
        used.add(v.i)
        cand = make_candidate(ctx, v, head, "indirect", pieces, [], How.ASIDE, 0.7)
        cand.speaker = (src[0].idx, src[-1].idx + len(src[-1].text))
        out.append(cand)
    return out
