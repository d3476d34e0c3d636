"""The shared ground of the finders: one parsed paragraph (``ParaCtx``), one proposed attribution
(``Candidate``), and what every finder asks of the parse: is this word a cue, what is its subject,
where does a mention, a source phrase, a cue phrase or a content region begin and end.

The finders themselves live beside it, one family each: ``quote_finders`` (a direct quotation looks
for its cue), ``verb_finders`` (a reporting verb looks for its content), ``vias`` ("according to X"
and the chains of sources); ``finders.find_in_paragraph`` runs them in order over a paragraph.

All offsets here are local to the paragraph; the pipeline adds the paragraph's offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate

from spacy.tokens import Doc, Token

from ..find.quotemarks import QuoteSpan
from ..lexicon import (
    ADDRESSEE_VERBS,
    ANONYMOUS_NOUNS,
    CUE_VERBS,
    DOCUMENT_NOUNS,
    FOCUS_WORDS,
    OBJECT_CONTROL,
    OUTLET_SUFFIXES,
    OUTLETS,
    TITLE_WORDS,
    broad_cue_table,
)
from .parse_tables import children, entities_within, entity_at, sentence, subtree_ends, tokens_starting_in

LocalSpan = tuple[int, int]

_TRAIL_PUNCT = " \t\n,.;:\u2014\u2013-"
DASHES = "\u2014\u2013\u2015-"
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\- ]{2,40}(?:,\s+[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?(?:,\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
    r"\s*(?:\([A-Za-z]+\)\s*)?[\u2014\u2013\u2015-]{1,2}\s*")


@dataclass
class ParaCtx:
    index: int
    offset: int
    text: str  # original paragraph text
    role: str
    doc: Doc  # parse of the normalised paragraph text (same length)
    quotes: list[QuoteSpan]

    def __post_init__(self) -> None:
        self.top = [q for q in self.quotes if q.depth == 0]
        m = _DATELINE.match(self.text)
        self.dateline_end = m.end() if m else 0
        # the top-level quotations follow each other without overlapping (quotemarks pairs them
        # so): their opening and closing positions are then two sorted lists to bisect
        self._opens = [q.open_pos for q in self.top]
        self._closes = [q.close_pos if q.close_pos is not None else q.end for q in self.top]
        self._participles: list[Token] | None = None
        self._participle_starts: list[int] = []
        self._after_closes = [q.close_pos + 1 if q.close_pos is not None else q.end for q in self.top]
        self._ordered = all(c < o for c, o in zip(self._closes, self._opens[1:], strict=False)) and all(
            o <= c for o, c in zip(self._opens, self._closes, strict=False))

    def quote_at(self, i: int) -> QuoteSpan | None:
        """The top-level quotation whose marks enclose character ``i``."""
        if self._ordered:
            k = bisect_right(self._opens, i) - 1
            return self.top[k] if k >= 0 and i <= self._closes[k] else None
        for q, close in zip(self.top, self._closes, strict=False):
            if q.open_pos <= i <= close:
                return q
        return None

    def participle_after_comma(self, s: int, e: int) -> Token | None:
        """The first reporting participle after a comma, outside quotations, that starts at or
        after ``s`` and ends by ``e`` (', arguing that ...'): the paragraph's are listed once."""
        if self._participles is None:
            self._participles = [t for t in self.doc if t.tag_ == "VBG" and t.i > 0 and self.doc[t.i - 1].text == ","
                                 and t.idx < len(self.text) and self.quote_at(t.idx) is None
                                 and t.dep_ in ("advcl", "xcomp", "conj", "acl") and (is_cue(t) or t.lemma_.lower() in broad_cue_table())]
            self._participle_starts = [t.idx for t in self._participles]
        k = bisect_left(self._participle_starts, max(s, 0))
        if k < len(self._participles):
            t = self._participles[k]
            if t.idx + len(t.text) <= min(e, len(self.text)):
                return t
        return None

    def top_after(self, i: int) -> QuoteSpan | None:
        """The first top-level quotation that opens after character ``i``."""
        if self._ordered:
            k = bisect_right(self._opens, i)
            return self.top[k] if k < len(self.top) else None
        return next((q for q in self.top if q.open_pos > i), None)

    def top_before(self, i: int) -> QuoteSpan | None:
        """The last top-level quotation that closes (or, unclosed, ends) before character ``i``."""
        if self._ordered:
            k = bisect_left(self._closes, i) - 1
            return self.top[k] if k >= 0 else None
        before = [q for q, close in zip(self.top, self._closes, strict=False) if close < i]
        return before[-1] if before else None

    def tops_overlapping(self, s: int, e: int) -> list[QuoteSpan]:
        """The top-level quotations that open before ``e`` and close at or after ``s``, in order."""
        if self._ordered:
            return self.top[bisect_left(self._closes, s) : bisect_left(self._opens, e)]
        return [q for q, close in zip(self.top, self._closes, strict=False) if q.open_pos < e and close >= s]

    def in_quote(self, tok: Token) -> bool:
        """Whether ``tok`` stands inside one of this paragraph's quotations (not on its marks).
        A token of another paragraph's parse (a cue carried over from the previous or next
        paragraph) is in none of them."""
        if tok.doc is not self.doc or tok.idx >= len(self.text):
            return False
        return self.quote_at(tok.idx) is not None and self.text[tok.idx] not in "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


class How(StrEnum):
    """Which finder proposed a candidate (``Candidate.how``): later stages and the learned
    models' features read it."""

    NONE = ""
    VERB = "verb"  # a reporting verb with its clause (verb_finders)
    TRAILER = "trailer"  # a quotation, then its cue ('"...," she said')
    LEADER = "leader"  # a cue, then its quotation ('She said: "..."')
    LEARNED = "learned"  # the learned pair finder (learned.attributions)
    NESTED = "nested"  # an attribution inside another's quotation
    PASSIVE = "passive"  # 'it was said that ...' (no source)
    PARENTHETICAL = "parenthetical"  # '..., she said, ...' inside the content
    ASIDE = "aside"  # 'as X said'
    NOUN = "noun"  # a reporting noun ('his claim that ...')
    LABEL = "label"  # 'Name: "..."' label lines
    ACCORDING = "according"  # 'according to X'
    COLON = "colon"  # a paragraph ending in a colon introduces the quotation
    ANSWER = "answer"  # an interview answer
    UNATTRIBUTED = "unattributed"  # a long quotation with no speaker found
    INHERIT = "inherit"  # the speaker of the quotation before
    DASH = "dash"  # '"..." — Name' on the same line
    DASH_NEXT = "dash-next"  # '— Name' on the next line
    ADJACENT = "adjacent"  # right after a sentence about a person


@dataclass
class Candidate:
    para: int
    kind: str
    content: list[LocalSpan]
    cue: LocalSpan | None
    cue_token: Token | None
    speaker: LocalSpan | None
    speaker_token: Token | None
    addressee: LocalSpan | None = None
    addressee_token: Token | None = None
    via: list[tuple[LocalSpan, Token | None]] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    confidence: float = 0.5
    how: How = How.NONE
    parent: Candidate | None = None
    inherit_from: Candidate | None = None
    speaker_para: int | None = None  # paragraph of the speaker mention when not ``para``
    cue_para: int | None = None  # paragraph of the cue when not ``para``
    pre_spans: list[tuple[int, int]] = field(default_factory=list)  # article offsets: earlier pieces
    extra_spans: list[tuple[int, int]] = field(default_factory=list)  # article offsets: later pieces
    speaker_score: float | None = None  # the speaker model's probability of the chosen mention (when it looked)
    speaker_margin: float | None = None  # ... less that of the next best candidate (its own score when alone)

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    @property
    def cue_word(self) -> Token:
        """The cue token (for a candidate that has one: the boundary and speaker models see only those)."""
        if self.cue_token is None:
            raise ValueError(f"a {self.how or 'found'} candidate without a cue token")
        return self.cue_token

    @property
    def cue_start(self) -> int:
        """Where the cue starts (for a candidate that has one: a finder that sets ``cue_token`` sets ``cue``)."""
        if self.cue is None:
            raise ValueError(f"a {self.how or 'found'} candidate without a cue")
        return self.cue[0]


def via_distance(at: int, via: tuple[LocalSpan, object]) -> int:
    """How far a via's span starts from ``at`` (its cue): chains are ordered nearest first."""
    return abs(via[0][0] - at)


# ---------------------------------------------------------------- token helpers


def is_cue(tok: Token) -> bool:
    """A reporting verb, finite or with an auxiliary or subject (the tagger often takes 'tweeted'
    for a participle)."""
    if tok.lemma_.lower() not in CUE_VERBS or tok.pos_ not in ("VERB", "AUX") or asked_of(tok):
        return False
    if tok.tag_ != "VBN":
        return True
    return any(c.dep_ in ("aux", "nsubj") for c in children(tok))


def asked_of(tok: Token) -> bool:
    """'Asked whether she would run, Kane said ...': the question is put *to* the subject of the
    main clause by the writer; it is no statement of hers."""
    if tok.lemma_.lower() != "ask" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in children(tok)):
        return False
    return tok.dep_ in ("advcl", "acl", "conj", "ROOT", "pcomp", "xcomp") and tok.tag_ in ("VBN", "VBD")


def as_put(tok: Token) -> bool:
    """'As Dr. Ortiz put it, ...': a reporting clause without a reporting verb."""
    return (tok.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in children(tok))
            and any(c.dep_ in ("mark", "advmod") and c.lower_ == "as" for c in children(tok)))


def went_on(tok: Token) -> bool:
    """'"...," she went on': going on speaking."""
    return tok.lemma_.lower() in ("go", "carry") and tok.pos_ == "VERB" and any(
        c.dep_ == "prt" and c.lower_ == "on" for c in children(tok)) and not any(c.dep_ in ("xcomp", "prep", "dobj") for c in children(tok))


def in_words(tok: Token) -> Token | None:
    """'In Dr. Shadlen's words, "..."': the owner of the words speaks."""
    if tok.lower_ != "words" or tok.head.lower_ not in ("in", "to") or tok.dep_ != "pobj":
        return None
    return next((c for c in children(tok) if c.dep_ == "poss"), None)


def trailer_word(tok: Token) -> bool:
    """A reporting verb after a quotation, also where the tagger took it for a noun ('"...,"
    Marsh notes') or it reads out a document ('"...," the letter reads')."""
    if is_cue(tok) or as_put(tok) or went_on(tok):
        return True
    low = tok.lower_
    if tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_VERBS and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ == "PROPN":
        return True  # '"...," added KCNA': inverted, the participle reading of 'added'

    if tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NNS", "NNPS") and (low[:-1] in CUE_VERBS or low[:-2] in CUE_VERBS):
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return prev is not None and prev.pos_ in ("PROPN", "PRON") and prev.i >= sentence(tok).start
    if tok.lemma_.lower() == "read" and tok.pos_ == "VERB":
        subj = next((c for c in children(tok) if c.dep_ == "nsubj"), None)
        return subj is not None and subj.lemma_.lower() in DOCUMENT_NOUNS
    return False


def subject_of(v: Token) -> Token | None:
    for c in children(v):
        if c.dep_ in ("nsubj", "csubj"):
            if c.is_punct or c.is_space:
                # a parse that took a dash for the subject: the name just before the verb
                prev = [t for t in v.doc[max(sentence(v).start, v.i - 6) : v.i] if t.ent_type_ == "PERSON"]
                return prev[-1] if prev else None
            # "A university spokesman, Neil Garrity, said", "Chief Executive Officer of the
            # Authority, Gary Scott, added": the name in apposition to the role
            if c.pos_ == "NOUN" or (c.pos_ == "PROPN" and c.ent_type_ != "PERSON"):
                for a in children(c):
                    if a.dep_ == "appos" and a.ent_type_ == "PERSON":
                        return a
            return c
    for c in children(v):
        if c.dep_ == "agent":
            for cc in children(c):
                if cc.dep_ == "pobj":
                    return cc
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head)
    if v.tag_ == "VBG" and v.dep_ in ("advcl", "xcomp", "acl", "conj") and v.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head)  # "The mayor criticised the plan, saying ..."
    if v.tag_ == "VBG" and v.dep_ == "pcomp" and v.head.pos_ in ("ADP", "SCONJ") and v.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head.head)  # "Ruiz thanked the crew before telling them, ..."
    if v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX"):
        if v.head.lemma_ in OBJECT_CONTROL:  # "forced Stumpf to admit ...": the object speaks
            obj = next((c for c in children(v.head) if c.dep_ in ("dobj", "nsubj") and v.head.i < c.i < v.i), None)
            if obj is not None or v.head.lemma_ in ("ask", "tell", "urge", "force", "allow"):
                return obj
        return subject_of(v.head)  # "Smith declined to say whether ..." (the controller speaks)
    for c in children(v):  # "..., said Smith" sometimes parsed with Smith as dobj/attr after the verb
        if c.dep_ in ("dobj", "attr") and c.i > v.i and c.ent_type_ == "PERSON" and v.lemma_ == "say":
            return c
    return None


_NP_DROP = {"appos", "relcl", "acl", "punct", "advcl", "cc", "conj", "parataxis"}


def np_tokens(head: Token, *, drop_preps: bool = True) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``, without appositions, relative clauses
    and (for nouns) prepositional attachments other than ``of``."""
    out = [head]
    lemma = head.lemma_.lower()
    anonymous = head.pos_ in ("NOUN", "PRON", "NUM") and lemma in ANONYMOUS_NOUNS
    keep_preps = ("of", "by", "from") if lemma in DOCUMENT_NOUNS else ("of",)
    for c in children(head):
        if anonymous and c.dep_ in ("acl", "prep", "amod") and c.i > head.i:
            out.extend(c.subtree)
            continue
        if c.dep_ in _NP_DROP:
            continue
        if drop_preps and c.dep_ == "prep" and head.pos_ in ("NOUN", "PROPN") and c.lower_ not in keep_preps:
            continue
        if drop_preps and c.dep_ == "prep" and head.pos_ in ("NOUN", "PROPN") and c.lower_ == "of" and c.i < head.i:
            continue
        out.extend(np_tokens(c, drop_preps=drop_preps))
    return out


def contiguous(tokens: list[Token], anchor: Token) -> tuple[int, int]:
    """Token index range [a, b) of the run of ``tokens`` containing ``anchor``."""
    idx = {t.i for t in tokens}
    a = b = anchor.i
    while a - 1 in idx:
        a -= 1
    while b + 1 in idx:
        b += 1
    return a, b + 1


# forms of reporting verbs a headline capitalises, which the recogniser may take into a name
REPORTING_FORMS = frozenset("said says told tells added adds stated states wrote writes noted notes warned warns "
                            "claimed claims argued argues announced announces insisted insists explained explains".split())


def cue_after_name(doc: Doc, i: int) -> bool:
    """A reporting verb taken into a name, capitalised as in a headline ('Tomas Reyes Said On
    Tuesday', 'Okafor Says That'): a reporting verb's form before a time or a 'that' ('Edward
    Said' at a sentence's end is a name)."""
    if doc[i].lower_ not in REPORTING_FORMS or i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    return nxt.lower_ in ("on", "that", "this", "last", "yesterday", "today", "tonight") or nxt.ent_type_ in ("DATE", "TIME")


def mention_span(doc: Doc, head: Token) -> LocalSpan:
    """Character span of the mention headed by ``head``: a named entity when it is one."""
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART") and head.pos_ == "PROPN":
        ent = entity_at(doc, head.i)
        s, e = (ent.start, ent.end) if ent is not None else (0, 0)
        # an entity ending in a possessive marker: drop it
        while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct or (e - 1 > s and e - 1 != head.i and cue_after_name(doc, e - 1))):
            e -= 1
        if ent is not None and e > s:  # not an "entity" of punctuation only (a stray quote mark)
            if ent.label_ == "PERSON":
                while s < e - 1 and doc[s].lower_.rstrip(".") in TITLE_WORDS:
                    s += 1
            # "the New York Times": keep the determiner out, titles out
            return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    a, b = contiguous(np_tokens(head), head)
    while a < b and (doc[a].is_punct or doc[a].is_space or (a < head.i and (doc[a].pos_ in ("VERB", "AUX") or focus_word(doc[a], head)))):
        a += 1  # '"...," added KCNA': the inverted verb parsed as a modifier of the name
    if head.pos_ == "PROPN" and head.lower_.rstrip(".") not in TITLE_WORDS:  # "Mayor Ana Ruiz": the name without its title
        while a < head.i and (doc[a].lower_.rstrip(".") in TITLE_WORDS or doc[a].dep_ == "det") and doc[a + 1].pos_ == "PROPN":
            a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space or (doc[b - 1].tag_ == "POS" or cue_after_name(doc, b - 1)) and b - 1 != head.i):
        b -= 1
    if a >= b:
        a, b = head.i, head.i + 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


_PHRASE_DROP = {"relcl", "ccomp", "advcl", "parataxis"}


def focus_word(t: Token, head: Token, any_adverb: bool = False) -> bool:
    """A focus word leading a mention ('Even China', 'Both Mr. King and Mr. Schultz'), or with
    ``any_adverb`` any adverb leading a source phrase: PolNeAR's sources leave them out."""
    if t.head.i != head.i:
        return False
    if any_adverb and t.dep_ in ("advmod", "predet", "preconj"):
        return True
    return t.lower_ in FOCUS_WORDS and t.dep_ in ("advmod", "predet", "preconj", "det")


def source_phrase(doc: Doc, head: Token, cue: Token | None = None) -> LocalSpan:
    """The whole source phrase as written: titles, appositions, 'of' and 'for' attachments
    ('A university spokesman, Neil Garrity'; 'Dale Okonkwo, the union's president'), the
    relative clauses that describe the source and do not hold the ``cue`` ('Luis Rubio, who heads
    the centre, said'; 'said Luis Rubio, who heads the centre'), and a coordination of sources
    as a whole ('China and Russia')."""
    if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i < head.i:
        head = head.head
    if head.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN") and head.head.pos_ in ("NOUN", "PROPN") and head.head.i < head.i:
        head = head.head  # 'China and Russia support ...': the coordination as written
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text)
    drop: set[int] = set()
    for t in head.subtree:
        if t.dep_ in _PHRASE_DROP and t is not head:
            # a relative clause describing the source, before or after the cue ('said Luis Rubio,
            # who heads the centre'), never one holding the cue
            describes = (t.dep_ == "relcl" and cue is not None and cue.doc is doc
                         and not any(x.i == cue.i for x in t.subtree))
            if not describes:
                drop |= {x.i for x in t.subtree}
    toks = [t for t in head.subtree if t.i not in drop]
    a, b = contiguous(toks, head)
    # punctuation and a leading focus word ('Even China', 'Both Mr. King and Mr. Schultz') out
    while a < b and (doc[a].is_punct or doc[a].is_space or (a < head.i and focus_word(doc[a], head, any_adverb=True))):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space) and not (
            doc[b - 1].text == ")" and "(" in doc[a : b - 1].text):
        b -= 1
    if a >= b:
        return head.idx, head.idx + len(head.text)
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


_CUE_ADVERBS = {"then", "also", "not", "n't", "never", "later", "previously", "repeatedly", "again", "publicly", "recently", "once", "still"}


def cue_phrase(v: Token, times: bool = True) -> LocalSpan:
    """The verb group of a cue: 'has also said', 'did not immediately respond', 'called for'.
    ``times=False`` leaves out a time after the verb ('said on Monday:' is 'said'), as the
    record shows it; the learned stages were trained on the phrase with it."""
    doc = v.doc
    kids = {c.i: c for c in children(v)}
    a = v.i
    while a - 1 >= sentence(v).start:
        t = doc[a - 1]
        if t.i in kids and (t.dep_ in ("aux", "auxpass", "neg") or (t.dep_ == "advmod" and t.lower_ in _CUE_ADVERBS)):
            a -= 1
        elif t.dep_ == "advmod" and t.head.i == v.i and t.lower_.endswith("ly") and a - 2 >= 0 and doc[a - 2].i in kids and doc[a - 2].dep_ in ("aux", "neg"):
            a -= 1
        else:
            break
    b = v.i + 1
    while b < sentence(v).end and b in kids and (kids[b].dep_ == "prt" or (kids[b].dep_ == "prep" and kids[b].lower_ in ("for", "on", "about", "against")
                                                                    and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in children(v))
                                                                    and (times or not _temporal(kids[b])))):
        b += 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _temporal(prep: Token) -> bool:
    """'on Monday' in 'said on Monday:': a time, not part of the verb ('called for', 'commented on')."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in children(prep))


def subtree_span(tok: Token, exclude: Token | None = None) -> LocalSpan:
    doc = tok.doc
    if exclude is None:
        first, last = subtree_ends(doc)
        a, b = first[tok.i], last[tok.i]
        return doc[a].idx, doc[b].idx + len(doc[b].text)
    excluded = {x.i for x in exclude.subtree}
    toks = [t for t in tok.subtree if t.i not in excluded]
    if not toks:
        return tok.idx, tok.idx + len(tok.text)
    a = min(t.i for t in toks)
    b = max(t.i for t in toks)
    doc = tok.doc
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def is_outlet_text(s: str) -> bool:
    low = re.sub(r"^the\s+", "", s.strip().lower())
    low = low.replace("\u2019", "'")
    if low in OUTLETS:
        return True
    words = low.split()
    return len(words) >= 2 and words[-1] in OUTLET_SUFFIXES and s.strip()[:1].isupper() or (
        len(words) >= 2 and words[-1] in OUTLET_SUFFIXES and s.strip().lower().startswith("the ") and s.strip()[4:5].isupper()
    )


def is_via_source(doc: Doc, subj: Token, ctx_text: str) -> bool:
    """A reporting clause whose subject is an outlet or a document reports another attribution."""
    s, e = mention_span(doc, subj)
    text = ctx_text[s:e]
    return is_outlet_text(text) or (subj.pos_ == "NOUN" and subj.lemma_.lower() in DOCUMENT_NOUNS)


# ---------------------------------------------------------------- content trimming


def trim_region(text: str, s: int, e: int, *, strip_that: bool = True) -> LocalSpan:
    while s < e and text[s] in " \t\n,;:\u2014\u2013":
        s += 1
    if strip_that:
        m = re.match(r"that\b[\s,]*", text[s:e], re.I)
        if m and m.end() < e - s:
            s += m.end()
    while e > s and text[e - 1] in _TRAIL_PUNCT:
        e -= 1
    return s, e


def expand_over_quotes(ctx: ParaCtx, s: int, e: int, cue_pos: int | None = None) -> tuple[int, int, list[QuoteSpan]]:
    """Widen ``s:e`` over every top-level quotation it touches (marks included), until none is
    cut, except the quotation the cue stands in; the quotations inside, in order."""
    if ctx._ordered:
        return _expand_ordered(ctx, s, e, cue_pos)
    inside: list[QuoteSpan] = []
    changed = True
    while changed:
        changed = False
        for q in ctx.top:
            close = q.close_pos + 1 if q.close_pos is not None else q.end
            if cue_pos is not None and q.open_pos < cue_pos < close:
                continue  # the quotation the cue itself stands in (a nested attribution)
            if q.open_pos < e and close > s and q not in inside:
                inside.append(q)
                if q.open_pos < s or close > e:
                    s, e = min(s, q.open_pos), max(e, close)
                    changed = True
    inside.sort(key=lambda q: q.open_pos)
    return s, e, inside


def _expand_ordered(ctx: ParaCtx, s: int, e: int, cue_pos: int | None) -> tuple[int, int, list[QuoteSpan]]:
    """``expand_over_quotes`` over quotations that follow each other: bisect for the ones the
    region touches; widening reaches at most the neighbours of the two ends, so this loops a few times."""
    while True:
        lo, hi = bisect_right(ctx._after_closes, s), bisect_left(ctx._opens, e)
        inside = ctx.top[lo:hi]
        if cue_pos is not None:
            k = bisect_left(ctx._opens, cue_pos) - 1  # the one quotation the cue may stand in
            if lo <= k < hi and _holds_cue(ctx.top[k], cue_pos):
                del inside[k - lo]
        if not inside:
            return s, e, inside
        s2, e2 = min(s, inside[0].open_pos), max(e, _after_close(inside[-1]))
        if (s2, e2) == (s, e):
            return s, e, inside
        s, e = s2, e2


def _after_close(q: QuoteSpan) -> int:
    return q.close_pos + 1 if q.close_pos is not None else q.end


def _holds_cue(q: QuoteSpan, cue_pos: int | None) -> bool:
    return cue_pos is not None and q.open_pos < cue_pos < _after_close(q)


def classify(ctx: ParaCtx, s: int, e: int, cue_pos: int | None = None) -> tuple[str, list[LocalSpan], list[QuoteSpan]]:
    """Kind and content spans of a region: direct if it is exactly one quotation."""
    if s < ctx.dateline_end < e:
        s = ctx.dateline_end  # "WASHINGTON — ..." is the dateline, not what was said
    s, e, inside = expand_over_quotes(ctx, s, e, cue_pos)
    # a participle clause after a comma is the reporter's, not the speaker's: ", arguing that ..."
    t = ctx.participle_after_comma(s + 11, e)
    if t is not None:
        e = t.doc[t.i - 1].idx
    # the complementiser stays in the content ("that the budget ..."), as PolNeAR and PARC annotate it
    s_with_that, _ = trim_region(ctx.text, s, e, strip_that=False)
    s, e = trim_region(ctx.text, s, e)
    if len(inside) == 1:
        q = inside[0]
        close = q.close_pos + 1 if q.close_pos is not None else q.end
        rest = ctx.text[s : q.open_pos] + ctx.text[close:e]
        if not re.search(r"\w", rest):
            return "direct", [(q.start, q.end)], inside
    if inside:
        # keep a closing mark that ends the region inside it
        if e < len(ctx.text) and ctx.text[e : e + 1] in "\"'\u201d\u2019\u00bb" and any(q.close_pos == e for q in inside):
            e += 1
        return "mixed", [(s_with_that, e)], inside
    return "indirect", [(s_with_that, e)], inside


# ---------------------------------------------------------------- passes


def _addressee(v: Token) -> Token | None:
    if v.lemma_.lower() in ADDRESSEE_VERBS:
        for c in children(v):
            if c.dep_ in ("dative", "iobj", "dobj") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not c.is_punct:
                return c
    for c in children(v):
        if c.dep_ in ("prep", "dative") and c.lower_ == "to" and v.lemma_.lower() in ("say", "explain", "write", "announce", "complain", "admit", "confide", "describe", "insist", "report", "state"):
            for cc in children(c):
                if cc.dep_ == "pobj" and cc.pos_ in ("NOUN", "PROPN", "PRON") and not cc.is_punct:
                    return cc
    return None


def _addressee_span(doc: Doc, a: Token) -> LocalSpan:
    toks = [t for t in a.subtree if t.dep_ not in ("relcl",)]
    rel = [t for t in a.subtree if t.dep_ == "relcl"]
    if rel:
        cut = min(t.left_edge.i for t in rel)
        toks = [t for t in toks if t.i < cut]
    a0, b0 = contiguous(toks, a)
    while b0 > a0 and (doc[b0 - 1].is_punct or doc[b0 - 1].is_space):
        b0 -= 1
    if b0 <= a0:  # punctuation only: the head alone, never a reversed span
        a0, b0 = a.i, a.i + 1
    return doc[a0].idx, doc[b0 - 1].idx + len(doc[b0 - 1].text)


def make_candidate(ctx: ParaCtx, v: Token, subj: Token | None, kind: str, content: list[LocalSpan], quotes: list[QuoteSpan], how: How, conf: float) -> Candidate:
    doc = ctx.doc
    if subj is not None and subj.idx < ctx.dateline_end <= v.idx:
        subj = name_in(doc, ctx.dateline_end, v.idx)
    addr = _addressee(v)
    if addr is not None:
        a_span = _addressee_span(doc, addr)
        if any(cs <= a_span[0] < ce for cs, ce in content):
            addr = None
    return Candidate(
        para=ctx.index,
        kind=kind,
        content=content,
        cue=(v.idx, v.idx + len(v.text)),
        cue_token=v,
        speaker=mention_span(doc, subj) if subj is not None else None,
        speaker_token=subj,
        addressee=_addressee_span(doc, addr) if addr is not None else None,
        addressee_token=addr,
        quotes=quotes,
        how=how,
        confidence=conf,
    )


class Intervals:
    """Character intervals [s, e), fixed: whether one holds a point, whether one overlaps a range,
    how many hold a point, each by bisection (not a scan of them all)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # the furthest end so far
        proper = [(s, e) for s, e in spans if s <= e]
        self.proper_starts = [s for s, _ in proper]
        self.proper_ends = sorted(e for _, e in proper)

    def holds(self, x: int) -> bool:
        """``any(s <= x < e for s, e in spans)``"""
        k = bisect_right(self.starts, x)
        return k > 0 and self.reach[k - 1] > x

    def overlaps(self, s: int, e: int) -> bool:
        """``any(s < te and ts < e for ts, te in spans)``"""
        k = bisect_left(self.starts, e)
        return k > 0 and self.reach[k - 1] > s

    def count_holding(self, x: int) -> int:
        """``sum(s <= x < e for s, e in spans)``"""
        return bisect_right(self.proper_starts, x) - bisect_right(self.proper_ends, x)


def _contract_span(doc: Doc, s: int, e: int):
    """The span of the tokens lying wholly inside characters [s, e), or None."""
    if e <= s or not len(doc):
        return None
    n = doc[-1].idx + len(doc[-1].text_with_ws)  # len(doc.text) without rebuilding the text
    return doc.char_span(max(0, s), min(e, n), alignment_mode="contract")


def count_tokens_between(doc: Doc, s: int, e: int) -> int:
    """``len(tokens_between(doc, s, e))``, without building the list."""
    span = _contract_span(doc, s, e)
    return len(span) if span is not None else 0


def tokens_between(doc: Doc, s: int, e: int) -> list[Token]:
    """Tokens lying wholly inside characters [s, e) (a slice of the doc, not a scan of it)."""
    span = _contract_span(doc, s, e)
    return list(span) if span is not None else []


ABBREVIATION = re.compile(
    r"\b(?:Sen|Rep|Gov|Mr|Mrs|Ms|Dr|Lt|Gen|Col|Sgt|Capt|Cmdr|Adm|Maj|Atty|Supt|Det|St|Jr|Sr|Inc|Co|Corp|Ltd|Prof|Rev|"
    r"Sens|Reps|Messrs|Mt|Ft|U\.S|U\.N|U\.K|[A-Z])\.")
_SENTENCE_END = re.compile(r"[.!?](\s|$)")


def sentence_ends(text: str) -> list[re.Match]:
    """The sentence ends in ``text`` ('. ', '? ', ...), not counting abbreviations ('Ms. Moore')."""
    return [m for m in _SENTENCE_END.finditer(text)
            if not (m.group(0)[0] == "." and (a := ABBREVIATION.search(text, max(0, m.start() - 6), m.end())) is not None and a.end() == m.start() + 1)]


def name_in(doc: Doc, s: int, e: int) -> Token | None:
    """The head of the last person (else proper noun) named in [s, e)."""
    best = None
    for ent in entities_within(doc, s, e):
        if ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
            if best is None or ent.label_ == "PERSON" or best.label_ != "PERSON":
                best = ent
    if best is not None:
        return best.root
    props = [t for t in tokens_starting_in(doc, s, e) if t.pos_ == "PROPN"]
    return props[-1] if props else None


def region_head(doc: Doc, s: int, e: int) -> Token | None:
    """The head of the phrase in [s, e): a person named there, else the token governing the rest."""
    persons = [ent for ent in entities_within(doc, s, e) if ent.label_ == "PERSON"]
    if persons:
        return persons[-1].root
    toks = list(tokens_starting_in(doc, s, e))
    roots = [t for t in toks if not (s <= t.head.idx < e) or t.head.i == t.i]
    roots = [t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")] or [t for t in toks if t.pos_ in ("NOUN", "PROPN", "PRON")]
    return roots[0] if roots else None


FRAME_PREPS = ("for", "on", "about", "against", "as")


def frame_of(tok: Token) -> str:
    """How a verb takes its complement: the first of ccomp, xcomp, dobj, prep (for/on/about...)
    among its children, else 'none'. The cue learner and the extractor share this definition."""
    deps = {c.dep_ for c in children(tok) if c.i > tok.i or c.dep_ == "ccomp"}
    for rel in ("ccomp", "xcomp", "dobj"):
        if rel in deps:
            return rel
    if any(c.dep_ == "prep" and c.lower_ in FRAME_PREPS and c.i > tok.i for c in children(tok)):
        return "prep"
    return "none"


_STOP_WORDS = {"after", "before", "while", "when", "although", "though", "but", "whereas",
               "unless", "until", "as", "if", "even", "despite", "amid", "during", "according"}


def extend_right(ctx: ParaCtx, e: int, sent_end: int) -> int:
    """The parser often hangs the end of a content clause on the reporting verb ('ranks A, B,
    and C more favorably'): extend the content to the end of the sentence unless a new clause
    (a subordinate clause, a participle or relative clause after a comma) starts first."""
    doc = ctx.doc
    toks = tokens_between(doc, e, sent_end)
    if not toks:
        return e
    for i, t in enumerate(toks):
        if t.is_punct and t.text in ".!?;:" and i >= len(toks) - 2:
            break
        prev = toks[i - 1] if i else None
        if t.lower_ in _STOP_WORDS and t.dep_ in ("mark", "prep", "cc", "advmod", "advcl"):
            return e
        if t.dep_ in ("advcl", "relcl", "acl") and t.pos_ in ("VERB", "AUX"):
            return e
        if prev is not None and prev.text == "," and (t.tag_ == "VBG" or t.lower_ in ("who", "which", "whose", "where")):
            return e
        if is_cue(t) or ctx.quote_at(t.idx) is not None:
            return e
    last = toks[-1]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return e
    return max(e, toks[-1].idx + len(toks[-1].text)) if last is not None else e



def noun_owner(n: Token, pos: tuple[str, ...] | None = None) -> Token | None:
    """Who a noun cue belongs to: its possessive ('the mayor's claim'; of a part of speech in
    ``pos`` when given), else the object of its 'by' ('a call by the mayor')."""
    owner = next((c for c in children(n) if c.dep_ == "poss" and (pos is None or c.pos_ in pos)), None)
    if owner is None:
        by = next((c for c in children(n) if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in children(by) if c.dep_ == "pobj"), None) if by is not None else None
    return owner
