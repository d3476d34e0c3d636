"""Find attributions in one parsed paragraph: content, cue, speaker mention, addressee, via.

Three passes over a paragraph, each over the spaCy parse of its normalised view:

1. quote first: every top-level direct quotation looks for its cue in the clause after it
   (``"...," Sessions told the group``) or before it when that ends in ``:`` or ``,``
   (``he continued: "..."``), then for a dash line (``— Commissioner Starks``);
2. verb first: every reporting verb with a subject and a clausal complement gives an indirect or
   mixed quote (``told the prosecutors that it didn't matter``); a reporting verb inside a quote
   gives a nested one;
3. ``according to X``: X is the source of the rest of the sentence, or a ``via`` of an
   attribution already found in the sentence.

All offsets here are local to the paragraph; the pipeline adds the paragraph's offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Token

from .lexicon import ADDRESSEE_VERBS, ANONYMOUS_NOUNS, BROAD_CUES, CUE_VERBS, FRAME_CUES, NOT_CUES, DOCUMENT_NOUNS, OUTLETS, OUTLET_SUFFIXES, TITLE_WORDS, WEAK_CUES
from .quotemarks import QuoteSpan

LocalSpan = tuple[int, int]

XCOMP_CUES = frozenset("promise vow pledge threaten urge ask tell instruct order warn advise claim".split())
_TRAIL_PUNCT = " \t\n,.;:\u2014\u2013-"
_DASHES = "\u2014\u2013\u2015-"
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

    def quote_at(self, i: int) -> Optional[QuoteSpan]:
        """The top-level quotation whose marks enclose character ``i``."""
        for q in self.top:
            close = q.close_pos if q.close_pos is not None else q.end
            if q.open_pos <= i <= close:
                return q
        return None

    def in_quote(self, tok: Token) -> bool:
        return self.quote_at(tok.idx) is not None and self.text[tok.idx] not in "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


@dataclass
class Candidate:
    para: int
    kind: str
    content: list[LocalSpan]
    cue: Optional[LocalSpan]
    cue_token: Optional[Token]
    speaker: Optional[LocalSpan]
    speaker_token: Optional[Token]
    addressee: Optional[LocalSpan] = None
    addressee_token: Optional[Token] = None
    via: list[tuple[LocalSpan, Optional[Token]]] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    confidence: float = 0.5
    how: str = ""
    parent: Optional["Candidate"] = None
    inherit_from: Optional["Candidate"] = None
    speaker_para: Optional[int] = None  # paragraph of the speaker mention when not ``para``
    cue_para: Optional[int] = None  # paragraph of the cue when not ``para``
    pre_spans: list[tuple[int, int]] = field(default_factory=list)  # article offsets: earlier pieces
    extra_spans: list[tuple[int, int]] = field(default_factory=list)  # article offsets: later pieces

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


# ---------------------------------------------------------------- token helpers


def is_cue(tok: Token) -> bool:
    """A reporting verb, finite or with an auxiliary or subject (the tagger often takes 'tweeted'
    for a participle)."""
    if tok.lemma_.lower() not in CUE_VERBS or tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.tag_ != "VBN":
        return True
    return any(c.dep_ in ("aux", "nsubj") for c in tok.children)


def subject_of(v: Token) -> Optional[Token]:
    for c in v.children:
        if c.dep_ in ("nsubj", "csubj"):
            if c.is_punct or c.is_space:
                # a parse that took a dash for the subject: the name just before the verb
                prev = [t for t in v.doc[max(v.sent.start, v.i - 6) : v.i] if t.ent_type_ == "PERSON"]
                return prev[-1] if prev else None
            # "A university spokesman, Neil Garrity, said": the name in apposition
            if c.pos_ == "NOUN":
                for a in c.children:
                    if a.dep_ == "appos" and a.ent_type_ == "PERSON":
                        return a
            return c
    for c in v.children:
        if c.dep_ == "agent":
            for cc in c.children:
                if cc.dep_ == "pobj":
                    return cc
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head)
    if v.tag_ == "VBG" and v.dep_ in ("advcl", "xcomp", "acl", "conj") and v.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head)  # "The mayor criticised the plan, saying ..."
    if v.tag_ == "VBG" and v.dep_ == "pcomp" and v.head.pos_ in ("ADP", "SCONJ") and v.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(v.head.head)  # "Ruiz thanked the crew before telling them, ..."
    if v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX") and v.head.lemma_ not in ("ask", "tell", "urge", "force", "allow"):
        return subject_of(v.head)  # "Smith declined to say whether ..." (the controller speaks)
    for c in v.children:  # "..., said Smith" sometimes parsed with Smith as dobj/attr after the verb
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
    for c in head.children:
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


def mention_span(doc: Doc, head: Token) -> LocalSpan:
    """Character span of the mention headed by ``head``: a named entity when it is one."""
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART") and head.pos_ == "PROPN":
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                s, e = ent.start, ent.end
                # an entity ending in a possessive marker: drop it
                while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct):
                    e -= 1
                if ent.label_ == "PERSON":
                    while s < e - 1 and doc[s].lower_.rstrip(".") in TITLE_WORDS:
                        s += 1
                # "the New York Times": keep the determiner out, titles out
                return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    a, b = contiguous(np_tokens(head), head)
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    if head.pos_ == "PROPN":  # "Mayor Ana Ruiz": the name without its title
        while a < head.i and (doc[a].lower_.rstrip(".") in TITLE_WORDS or doc[a].dep_ == "det") and doc[a + 1].pos_ == "PROPN":
            a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space or doc[b - 1].tag_ == "POS" and b - 1 != head.i):
        b -= 1
    if a >= b:
        a, b = head.i, head.i + 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


_PHRASE_DROP = {"relcl", "ccomp", "advcl", "parataxis"}


def source_phrase(doc: Doc, head: Token) -> LocalSpan:
    """The whole source phrase as written: titles, appositions, 'of' and 'for' attachments
    ('A university spokesman, Neil Garrity'; 'Dale Okonkwo, the union's president')."""
    if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i < head.i:
        head = head.head
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text)
    drop: set[int] = set()
    for t in head.subtree:
        if t.dep_ in _PHRASE_DROP and t is not head:
            drop |= {x.i for x in t.subtree}
    toks = [t for t in head.subtree if t.i not in drop]
    a, b = contiguous(toks, head)
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space) and not (
            doc[b - 1].text == ")" and "(" in doc[a : b - 1].text):
        b -= 1
    if a >= b:
        return head.idx, head.idx + len(head.text)
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


_CUE_ADVERBS = {"then", "also", "not", "n't", "never", "later", "previously", "repeatedly", "again", "publicly", "recently", "once", "still"}


def cue_phrase(v: Token) -> LocalSpan:
    """The verb group of a cue: 'has also said', 'did not immediately respond', 'called for'."""
    doc = v.doc
    kids = {c.i: c for c in v.children}
    a = v.i
    while a - 1 >= v.sent.start:
        t = doc[a - 1]
        if t.i in kids and (t.dep_ in ("aux", "auxpass", "neg") or (t.dep_ == "advmod" and t.lower_ in _CUE_ADVERBS)):
            a -= 1
        elif t.dep_ == "advmod" and t.head.i == v.i and t.lower_.endswith("ly") and a - 2 >= 0 and doc[a - 2].i in kids and doc[a - 2].dep_ in ("aux", "neg"):
            a -= 1
        else:
            break
    b = v.i + 1
    while b < v.sent.end and b in kids and (kids[b].dep_ == "prt" or (kids[b].dep_ == "prep" and kids[b].lower_ in ("for", "on", "about", "against") and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in v.children))):
        b += 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def subtree_span(tok: Token, exclude: Optional[Token] = None) -> LocalSpan:
    toks = [t for t in tok.subtree if exclude is None or t.i not in {x.i for x in exclude.subtree}]
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


def expand_over_quotes(ctx: ParaCtx, s: int, e: int, cue_pos: Optional[int] = None) -> tuple[int, int, list[QuoteSpan]]:
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


def classify(ctx: ParaCtx, s: int, e: int, cue_pos: Optional[int] = None) -> tuple[str, list[LocalSpan], list[QuoteSpan]]:
    """Kind and content spans of a region: direct if it is exactly one quotation."""
    if s < ctx.dateline_end < e:
        s = ctx.dateline_end  # "WASHINGTON — ..." is the dateline, not what was said
    s, e, inside = expand_over_quotes(ctx, s, e, cue_pos)
    # a participle clause after a comma is the reporter's, not the speaker's: ", arguing that ..."
    for t in _tokens_between(ctx.doc, s, e):
        if t.tag_ == "VBG" and t.i > 0 and t.doc[t.i - 1].text == "," and t.idx > s + 10 and ctx.quote_at(t.idx) is None \
                and t.dep_ in ("advcl", "xcomp", "conj", "acl") and (is_cue(t) or t.lemma_.lower() in BROAD_CUES):
            e = t.doc[t.i - 1].idx
            break
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


def _addressee(v: Token) -> Optional[Token]:
    if v.lemma_.lower() in ADDRESSEE_VERBS:
        for c in v.children:
            if c.dep_ in ("dative", "iobj", "dobj") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                return c
    for c in v.children:
        if c.dep_ in ("prep", "dative") and c.lower_ == "to" and v.lemma_.lower() in ("say", "explain", "write", "announce", "complain", "admit", "confide", "describe", "insist", "report", "state"):
            for cc in c.children:
                if cc.dep_ == "pobj" and cc.pos_ in ("NOUN", "PROPN", "PRON"):
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
    return doc[a0].idx, doc[b0 - 1].idx + len(doc[b0 - 1].text)


def _make(ctx: ParaCtx, v: Token, subj: Optional[Token], kind: str, content: list[LocalSpan], quotes: list[QuoteSpan], how: str, conf: float) -> Candidate:
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


def _tokens_between(doc: Doc, s: int, e: int) -> list[Token]:
    """Tokens lying wholly inside characters [s, e) (a slice of the doc, not a scan of it)."""
    if e <= s:
        return []
    if not len(doc):
        return []
    n = doc[-1].idx + len(doc[-1].text_with_ws)  # len(doc.text) without rebuilding the text
    span = doc.char_span(max(0, s), min(e, n), alignment_mode="contract")
    return list(span) if span is not None else []


ABBREVIATION = re.compile(
    r"\b(?:Sen|Rep|Gov|Mr|Mrs|Ms|Dr|Lt|Gen|Col|Sgt|Capt|Cmdr|Adm|Maj|Atty|Supt|Det|St|Jr|Sr|Inc|Co|Corp|Ltd|Prof|Rev|"
    r"Sens|Reps|Messrs|Mt|Ft|U\.S|U\.N|U\.K|[A-Z])\.")
_SENTENCE_END = re.compile(r"[.!?](\s|$)")


def sentence_ends(text: str) -> list[re.Match]:
    """The sentence ends in ``text`` ('. ', '? ', ...), not counting abbreviations ('Ms. Moore')."""
    return [m for m in _SENTENCE_END.finditer(text)
            if not (m.group(0)[0] == "." and (a := ABBREVIATION.search(text, max(0, m.start() - 6), m.end())) is not None and a.end() == m.start() + 1)]


def _trailer_cue(ctx: ParaCtx, q: QuoteSpan, used: set[int]) -> Optional[Token]:
    """A reporting verb in the clause right after a closing mark: '"...," Sessions told ...'."""
    if q.close_pos is None:
        return None
    text = ctx.text
    start = q.close_pos + 1
    nxt = [o for o in ctx.top if o.open_pos > q.close_pos]
    stop = nxt[0].open_pos if nxt else len(text)
    ends = sentence_ends(text[start:stop])
    if ends:  # the clause after the quote ends at a sentence end
        stop = start + ends[0].end()
    # the quotation must be a whole utterance: it ends in punctuation, or a comma follows it
    # ('"... wrongfully" suggests that' and '"..." to drive up prices, she said' are parts of a sentence)
    inner_end = text[q.start : q.end].rstrip()[-1:]
    if inner_end not in ",.!?;:\u2014-\u2026" and not text[start:].lstrip(" ")[:1] in (",", "\u2014", "\u2013", "-", "\n"):
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
    if lead[:1] not in " ,\n" and not lead[:1].isalpha() and lead[:1] not in _DASHES:
        if lead[:1] not in ".!?":
            return None
    if text[q.close_pos - 1 : q.close_pos] in ".!?" or text[q.close_pos - 1 : q.close_pos] in "\"'\u201d\u2019" and text[q.close_pos - 2 : q.close_pos - 1] in ".!?":
        # the quotation ends its sentence; a reporting verb before it in that sentence owns it
        sent = ctx.doc.char_span(q.open_pos, q.open_pos + 1, alignment_mode="expand")
        if sent is not None:
            ss = sent.sent.start_char
            if any(is_cue(t) and subject_of(t) is not None and not ctx.in_quote(t) for t in _tokens_between(ctx.doc, ss, q.open_pos)):
                return None
    if text[q.close_pos - 1 : q.close_pos] in ".!?" and lead[:1] in " \n":
        # "... done." He smiled. -> the quote ended a sentence: a trailer must start with a cue or subject+cue
        window = _tokens_between(ctx.doc, start, stop)
        if not window or not any(is_cue(t) for t in window[:4]):
            return None
    for t in _tokens_between(ctx.doc, start, stop):
        if t.i in used or ctx.in_quote(t):
            continue
        if is_cue(t) and (subject_of(t) is not None or t.lemma_.lower() == "say"):
            return t
    return None


def _leader_cue(ctx: ParaCtx, q: QuoteSpan, used: set[int]) -> Optional[Token]:
    """A reporting verb in a clause ending in ':' or ',' right before the opening mark."""
    text = ctx.text
    before = text[: q.open_pos].rstrip()
    if not before or before[-1] not in ":,":
        return None
    prev = [o for o in ctx.top if (o.close_pos or o.end) < q.open_pos]
    lo = (prev[-1].close_pos + 1) if prev and prev[-1].close_pos is not None else 0
    ends = sentence_ends(text[lo : len(before)])
    if ends:
        lo = lo + ends[-1].end()
    best = None
    for t in _tokens_between(ctx.doc, lo, len(before)):
        if t.i in used or ctx.in_quote(t):
            continue
        if is_cue(t) and subject_of(t) is not None:
            best = t  # the one nearest the quote
    return best


_DASH_LINE = re.compile(r"^\s*[\u2014\u2013\u2015-]{1,2}\s*(.+?)\s*$", re.S)


def quote_first(ctx: ParaCtx, used: set[int]) -> list[Candidate]:
    out: list[Candidate] = []
    for q in ctx.top:
        v = _trailer_cue(ctx, q, used)
        how = "trailer"
        if v is None:
            v = _leader_cue(ctx, q, used)
            how = "leader"
        if v is not None:
            subj = subject_of(v)
            if subj is not None and ctx.in_quote(subj):
                subj = None
            if subj is None and q.close_pos is not None and v.idx > q.close_pos:
                # '"...," county fire Chief Ana Ruiz said' parsed without a subject: the name between
                subj = name_in(ctx.doc, q.close_pos + 1, v.idx)
                if subj is None:
                    after = [t for t in ctx.doc[v.i + 1 : v.i + 6] if t.ent_type_ == "PERSON"]
                    subj = after[0] if after else None
            if subj is None and v.tag_ == "VBG":
                # '"...," Ruiz said, adding later, "..."': the participle shares the earlier cue's subject
                for t in reversed(_tokens_between(ctx.doc, v.sent.start_char, v.idx)):
                    if is_cue(t) and not ctx.in_quote(t) and subject_of(t) is not None and not ctx.in_quote(subject_of(t)):
                        subj = subject_of(t)
                        break
            used.add(v.i)
            kind, content, quotes = "direct", [(q.start, q.end)], [q]
            cand = _make(ctx, v, subj, kind, content, quotes, how, 0.95 if subj is not None else 0.6)
            out.append(cand)
            continue
        # dash attribution on the same line: "..." — Commissioner Geoffrey Starks
        if q.close_pos is not None:
            rest = ctx.text[q.close_pos + 1 :]
            m = _DASH_LINE.match(rest.split("\n")[0]) if rest.strip() else None
            if m:
                cand = dash_candidate(ctx, q, q.close_pos + 1 + m.start(1), q.close_pos + 1 + m.end(1), ctx)
                if cand is not None:
                    out.append(cand)
    return out


def name_in(doc: Doc, s: int, e: int) -> Optional[Token]:
    """The head of the last person (else proper noun) named in [s, e)."""
    best = None
    for ent in doc.ents:
        if ent.start_char >= s and ent.end_char <= e and ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
            if best is None or ent.label_ == "PERSON" or best.label_ != "PERSON":
                best = ent
    if best is not None:
        return best.root
    props = [t for t in doc if s <= t.idx < e and t.pos_ == "PROPN"]
    return props[-1] if props else None


def region_head(doc: Doc, s: int, e: int) -> Optional[Token]:
    """The head of the phrase in [s, e): a person named there, else the token governing the rest."""
    persons = [ent for ent in doc.ents if ent.label_ == "PERSON" and ent.start_char >= s and ent.end_char <= e]
    if persons:
        return persons[-1].root
    toks = [t for t in doc if s <= t.idx < e]
    roots = [t for t in toks if not (s <= t.head.idx < e) or t.head.i == t.i]
    roots = [t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")] or [t for t in toks if t.pos_ in ("NOUN", "PROPN", "PRON")]
    return roots[0] if roots else None


def dash_candidate(ctx: ParaCtx, q: QuoteSpan, s: int, e: int, line_ctx: ParaCtx) -> Optional[Candidate]:
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
        para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=cue, cue_token=None,
        speaker=mention_span(doc, head), speaker_token=head, quotes=[q], how="dash", confidence=0.85,
    )
    if line_ctx is not ctx:
        cand.how = "dash-next"
        cand.speaker_para = line_ctx.index
    return cand


FRAME_PREPS = ("for", "on", "about", "against", "as")


def frame_of(tok: Token) -> str:
    """How a verb takes its complement: the first of ccomp, xcomp, dobj, prep (for/on/about...)
    among its children, else 'none'. The cue learner and the extractor share this definition."""
    deps = {c.dep_ for c in tok.children if c.i > tok.i or c.dep_ == "ccomp"}
    for rel in ("ccomp", "xcomp", "dobj"):
        if rel in deps:
            return rel
    if any(c.dep_ == "prep" and c.lower_ in FRAME_PREPS and c.i > tok.i for c in tok.children):
        return "prep"
    return "none"


def _broad_region(v: Token, rels: tuple[str, ...]) -> Optional[LocalSpan]:
    """Content of a non-speech cue: its object, open complement or prepositional object
    ('cited the report', 'called it a disgrace', 'wants to run', 'called for a ban')."""
    kids = [c for c in v.children if c.dep_ in rels and c.i > v.i]
    if "dobj" in rels and kids:
        # "called it a disgrace", "described it as a mistake"
        kids += [c for c in v.children if (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")) and c.i > v.i and c not in kids]
    kids = [c for c in kids if not (c.dep_ == "prep" and c.lower_ not in ("for", "on", "about", "against", "as"))]
    if kids and all(c.dep_ == "prep" and c.lower_ == "as" for c in kids):
        return None
    # "called for a ban": the preposition belongs to the cue, its object is the content
    kids = [next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), c) if c.dep_ == "prep" and c.lower_ != "as" and c.i == v.i + 1 else c
            for c in kids]
    if not kids:
        return None
    a = min(c.left_edge.i for c in kids)
    b = max(c.right_edge.i for c in kids)
    doc = v.doc
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    return doc[a].idx, doc[b].idx + len(doc[b].text)


_STOP_WORDS = {"after", "before", "while", "when", "although", "though", "but", "whereas",
               "unless", "until", "as", "if", "even", "despite", "amid", "during", "according"}


def extend_right(ctx: ParaCtx, e: int, sent_end: int) -> int:
    """The parser often hangs the end of a content clause on the reporting verb ('ranks A, B,
    and C more favorably'): extend the content to the end of the sentence unless a new clause
    (a subordinate clause, a participle or relative clause after a comma) starts first."""
    doc = ctx.doc
    toks = _tokens_between(doc, e, sent_end)
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


def _that_clause(v: Token) -> Optional[LocalSpan]:
    """'told five of the attorneys that they needed ...' when the parser missed the ccomp:
    a 'that' soon after the verb, before any other verb, opens the content."""
    sent = v.sent
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


def _parenthetical(ctx: ParaCtx, v: Token, subj: Token) -> Optional[list[LocalSpan]]:
    """'Repairs cost $3.8 million, Achterberg said, most of it covered by a grant.': the
    attribution clause set off by commas inside the content; content on both sides."""
    sent = v.sent
    ss, se = source_phrase(ctx.doc, subj)
    a, b = min(ss, v.idx), max(se, v.idx + len(v.text))
    before = ctx.text[sent.start_char : a].rstrip()
    after = ctx.text[b : sent.end_char]
    if not before.endswith(",") or not after.lstrip().startswith(","):
        return None
    if any(c.dep_ in ("ccomp",) and c.i > v.i for c in v.children) and re.match(r"\s*,?\s*that\b", after):
        return None
    left = trim_region(ctx.text, sent.start_char, a, strip_that=False)
    right = trim_region(ctx.text, b, sent.end_char, strip_that=False)
    if len(_tokens_between(ctx.doc, *left)) < 1 or len(_tokens_between(ctx.doc, *right)) < 2:
        return None
    return [left, right]


LIGHT_VERBS = frozenset("be have do make get go take give mean ensure seem appear hope wish feel".split())


def verb_first(ctx: ParaCtx, used: set[int], taken: list[Candidate]) -> list[Candidate]:
    doc = ctx.doc
    out: list[Candidate] = []
    for v in doc:
        if v.i in used:
            continue
        speech = is_cue(v)
        rels = BROAD_CUES.get(v.lemma_.lower()) if v.pos_ == "VERB" else None
        if rels is None and not speech and v.pos_ == "VERB" and v.lemma_.lower() not in NOT_CUES | LIGHT_VERBS \
                and any(c.dep_ == "ccomp" and c.i > v.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) for c in v.children):
            rels = ("ccomp",)  # any verb with a subject and a that-clause reports a statement or a belief
        if rels is None and v.pos_ == "VERB" and not speech:
            frame = frame_of(v)
            if (v.lemma_.lower(), frame) in FRAME_CUES:
                rels = (frame,)
        if not speech and not rels:
            continue
        comps = [c for c in v.children if c.dep_ == "ccomp"]
        if not comps and v.lemma_.lower() in XCOMP_CUES:
            comps = [c for c in v.children if c.dep_ == "xcomp" or (
                c.dep_ == "advcl" and c.i > v.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))]
        if not comps and (speech or rels) and not any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in v.children):
            # "called for a ban", "talked about the economy", "warned against cuts"
            if any(c.dep_ == "prep" and c.lower_ in ("for", "about", "on", "against") and c.i == v.i + 1 for c in v.children):
                rels = tuple(rels or ()) + ("prep",)
        if not speech or (not comps and rels):
            broad = _broad_region(v, rels or ())
            if broad is not None and not comps:
                subj = subject_of(v)
                if subj is None or ctx.in_quote(v):
                    continue
                kind, content, quotes = classify(ctx, broad[0], broad[1], v.idx)
                if len(_tokens_between(doc, content[0][0], content[-1][1])) < 2:
                    continue
                if any(set(map(id, quotes)) & set(map(id, t.quotes)) and t.kind == "direct" for t in taken + out):
                    continue
                used.add(v.i)
                out.append(_make(ctx, v, subj, kind, content, quotes, "verb", 0.6))
                continue
            if not speech and not comps:
                continue
        subj = subject_of(v)
        if subj is None:
            # "It is widely believed that ...", "The mayor is expected to ...": a passive cue with a
            # clause has no source in the text
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
            clause = [c for c in v.children if c.dep_ in ("ccomp", "xcomp") and c.i > v.i]
            if not (passive and clause and (speech or rels)) or ctx.in_quote(v):
                continue
            s0, e0 = subtree_span(max(clause, key=lambda c: len(list(c.subtree))))
            kind, content, quotes = classify(ctx, s0, extend_right(ctx, e0, v.sent.end_char), v.idx)
            if len(_tokens_between(doc, content[0][0], content[-1][1])) < 3:
                continue
            if any(set(map(id, quotes)) & set(map(id, t.quotes)) for t in taken + out):
                continue
            used.add(v.i)
            out.append(_make(ctx, v, None, kind, content, quotes, "passive", 0.4))
            continue
        pieces = _parenthetical(ctx, v, subj)
        if pieces is not None:
            used.add(v.i)
            kind = "indirect"
            qs: list[QuoteSpan] = []
            for a, b in pieces:
                _, _, inside = expand_over_quotes(ctx, a, b)
                qs += inside
            if qs:
                continue  # quotations around it are the quote-first pass's work
            out.append(_make(ctx, v, subj, kind, pieces, [], "parenthetical", 0.75))
            continue
        if comps:
            right = [c for c in comps if c.i > v.i]
            comp = max(right or comps, key=lambda c: len(list(c.subtree)))
            s, e = subtree_span(comp)
            if comp.i < v.i:
                # "CONTENT, the source added.": the content is the sentence up to the comma
                a = min(mention_span(doc, subj)[0], v.idx)
                head_text = ctx.text[v.sent.start_char : a].rstrip()
                if head_text.endswith(",") and e <= a:
                    s, e = v.sent.start_char, len(head_text) + v.sent.start_char
        else:
            region = _that_clause(v)
            if region is None:
                continue
            s, e = region
        if subj.lower_ in ("i", "we", "you") and ctx.in_quote(v):
            continue
        if subj.lower_ in ("it", "this", "that", "which", "what") and v.lemma_.lower() not in ("say", "report", "state", "find", "conclude", "add", "note", "write", "warn"):
            continue
        if s <= v.idx < e:
            continue
        if s > v.idx:
            e = extend_right(ctx, e, v.sent.end_char)
        kind, content, quotes = classify(ctx, s, e, v.idx)
        cs, ce = content[0][0], content[-1][1]
        if ce - cs < 2 or len(_tokens_between(doc, cs, ce)) < 2:
            continue
        if v.lemma_.lower() in WEAK_CUES and comps and not any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children) and v.lemma_.lower() not in ("find", "conclude"):
            continue
        # a quotation already attributed to another cue is not claimed twice, unless this
        # attribution is much larger and reports it (nested)
        if any(set(map(id, quotes)) & set(map(id, t.quotes)) and t.kind == "direct"
               and (content[-1][1] - content[0][0]) < 2 * (t.end - t.start) for t in taken + out):
            continue
        used.add(v.i)
        conf = 0.85 if kind != "indirect" else 0.75
        cand = _make(ctx, v, subj, kind, content, quotes, "verb", conf)
        if ctx.in_quote(v):
            cand.how = "nested"
        out.append(cand)
    return out


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
            if b - a > 0 and len(_tokens_between(doc, a, b)) >= 3:
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
            for t in _tokens_between(doc, outer.start, q.open_pos):
                if t.i not in used and is_cue(t) and subject_of(t) is not None:
                    v = t
        if v is None:
            for t in _tokens_between(doc, q.close_pos + 1, outer.end)[:4]:
                if t.i not in used and is_cue(t) and subject_of(t) is not None:
                    v = t
                    break
        if v is None:
            continue
        used.add(v.i)
        cand = _make(ctx, v, subject_of(v), "direct", [(q.start, q.end)], [q], "nested", 0.8)
        out.append(cand)
    return out


_LABEL = re.compile(r"^\s*[\"\u201c]?\s*((?:[A-Z][A-Za-z.'\u2019-]*\s?){1,4}):\s+(\S.*?)\s*$", re.S)
_NOT_SPEAKER_LABELS = {"update", "note", "editor's note", "photo", "source", "watch", "read more", "related", "video",
                       "correction", "clarification", "disclosure", "q", "a", "warning", "spoiler", "follow", "sign up",
                       "listen", "subscribe", "advertisement", "credit", "caption", "image", "getty images", "file"}


def label_attribution(ctx: ParaCtx) -> Optional[Candidate]:
    """Transcripts and headlines: 'RUIZ: Well, look, ...', 'Ruiz: Bridge Will Reopen in May'."""
    m = _LABEL.match(ctx.text)
    if not m:
        return None
    label = m.group(1).strip()
    if label.lower().rstrip(".") in _NOT_SPEAKER_LABELS or len(label) < 2:
        return None
    content_s, content_e = m.start(2), m.end(2)
    if len(ctx.text[content_s:content_e].split()) < 3:
        return None
    doc = ctx.doc
    ls, le = m.start(1), m.start(1) + len(label)
    toks = _tokens_between(doc, ls, le)
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
                     speaker=(ls, le), speaker_token=head, quotes=quotes, how="label", confidence=0.7)


NOUN_CUES = frozenset("""
claim claims statement assertion allegation allegations argument warning promise pledge comment comments
remark remarks suggestion insistence belief view criticism call demand demands accusation accusations
charge contention prediction vow threat announcement admission denial assurance insinuation
""".split())


def noun_owner(n: Token, pos: Optional[tuple[str, ...]] = None) -> Optional[Token]:
    """Who a noun cue belongs to: its possessive ('the mayor's claim'; of a part of speech in
    ``pos`` when given), else the object of its 'by' ('a call by the mayor')."""
    owner = next((c for c in n.children if c.dep_ == "poss" and (pos is None or c.pos_ in pos)), None)
    if owner is None:
        by = next((c for c in n.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    return owner


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
        comp = next((c for c in n.children if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)), None)
        if comp is not None:
            s0, e0 = subtree_span(comp)
        else:
            prep = next((c for c in n.children if c.dep_ == "prep" and c.lower_ in ("about", "of", "for", "on") and c.i > n.i), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is None:
                continue
            s0, e0 = subtree_span(pobj)
        if any(any(cs <= n.idx < ce for cs, ce in c.content) for c in cands + out):
            continue
        kind, content, quotes = classify(ctx, s0, e0, n.idx)
        if len(_tokens_between(doc, content[0][0], content[-1][1])) < 2:
            continue
        if any(set(map(id, quotes)) & set(map(id, t.quotes)) and t.kind == "direct" for t in cands + out):
            continue
        os_, oe = mention_span(doc, owner)
        if doc[owner.i + 1 : owner.i + 2].text in ("'s", "\u2019s"):
            oe = doc[owner.i + 1].idx + len(doc[owner.i + 1].text)
        used.add(n.i)
        out.append(Candidate(para=ctx.index, kind=kind, content=content, cue=(n.idx, n.idx + len(n.text)), cue_token=None,
                             speaker=(os_, oe), speaker_token=owner, quotes=quotes, how="noun", confidence=0.55))
    return out


def find_in_paragraph(ctx: ParaCtx) -> list[Candidate]:
    used: set[int] = set()
    lab = label_attribution(ctx)
    if lab is not None:
        return [lab]
    direct = quote_first(ctx, used)
    nested = nested_quote_first(ctx, used)
    verbal = verb_first(ctx, used, direct)
    cands = direct + nested + verbal
    cands = collect_vias(ctx, cands)
    leader_vias(ctx, cands)
    # a reporting verb inside another attribution's content, outside quotation marks, is part of it
    cands = [c for c in cands if c.cue_token is None or ctx.in_quote(c.cue_token) or c.how != "verb"
             or not any(o is not c and any(cs <= c.cue[0] < ce for cs, ce in o.content) for o in cands)]
    cands += according_to(ctx, cands)
    cands += noun_cues(ctx, used, cands)
    for c in cands:
        if c.cue is not None and len(c.via) > 1:
            c.via.sort(key=lambda v: abs(v[0][0] - c.cue[0]))
    # nesting: an attribution whose cue stands inside another's quoted content
    for c in cands:
        if c.cue is None or c.cue_token is None or not ctx.in_quote(c.cue_token):
            continue
        outers = [o for o in cands if o is not c and any(cs <= c.cue[0] < ce for cs, ce in o.content)
                  and (o.end - o.start) > (c.end - c.start)]
        if outers:
            c.parent = min(outers, key=lambda o: o.end - o.start)
    cands.sort(key=lambda c: c.start)
    return cands


# Public names of the helpers the other stages use (learned.py, pipeline.py).
make_candidate = _make
tokens_between = _tokens_between
DASH_LINE = _DASH_LINE
