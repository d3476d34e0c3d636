"""Where a reported content begins and ends: a learned choice among candidate token edges.

The finders (``attribution``, ``learned``) give each indirect or mixed attribution a content
region from the parse (the complement clause of the cue, the sentence up to ``, she said``,
...). Annotators place the edges by rules the parse only hints at: the complementiser ``that``
and the words before a partial quotation belong to the content, the cue's own trailing clause
and the next sentence do not, a coordinated ``and that ...`` goes on with the report. This
stage looks again at each such attribution: every token edge in a window around its region
(clause edges from the parse, the complementiser, sentence ends, quotation-mark edges, the
edge of the cue's clause, coordinations, a leading adverbial, the cue's object before an
infinitive: 'urged lawmakers to wait') is a candidate start or end, described by features over
dependency labels, coarse tags, closed-class words (spaCy's stop list), the words between the
edge and the cue, the dependency path from the cue, and distances. Two conditional logistic
models (one for starts, one for ends) rank them; a third scores whole spans over the pairs of
the best starts and ends (is it one constituent, does it hold a finite verb, a coordination,
the cue, how many sentences does it cross) on top of the two, and the best pair is kept.
Nominal contents ('the results') are refined as their own kind, so the models learn how far to
trust the finder's edges of an object. Direct quotations (the content is exactly one
quotation's text) keep their end.

The model file holds feature weights only (no corpus text); it is learned by
``quotegraph train boundaries`` (:mod:`quotegraph.training.boundaries`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, IS_STOP, LENGTH, LOWER, ORTH, POS, TAG
from spacy.tokens import Token

from ..attribute.attribution import Candidate, How, ParaCtx, cue_phrase, expand_over_quotes, is_cue, source_phrase
from ..attribute.parse_tables import subtree_extents
from ..learned import store
from ..learned.linear import score  # a candidate's log-odds against the others of its attribution, up to a constant
from ..models import Kind

MODEL_FILE = store.BOUNDARIES.packaged

#: kinds of finder whose content region the stage may move ('inherit', 'colon', 'dash', ...
#: carry a quotation or a region the finder made from layout, not from a cue's clause)
REFINED_HOW = frozenset({How.VERB, How.LEARNED, How.PARENTHETICAL, How.ACCORDING, How.NOUN, How.ASIDE, How.PASSIVE, How.NESTED, How.NONE})
DIRECT_HOW = frozenset({How.LEADER, How.VERB, How.LEARNED})
TOP_K = 6  # starts and ends the pair model looks at
WINDOW = 30  # candidate edges up to this many tokens either side of the finder's edge
CLAUSE_DEPS = ("ccomp", "xcomp", "advcl", "conj", "relcl", "ROOT", "parataxis", "acl", "pcomp", "csubj")
_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
_PUNCT = " \t\n,.;:!?\u2014\u2013-" + _MARKS


@dataclass
class BoundaryModel:
    start: dict[str, float]
    end: dict[str, float]
    about: str = ""
    pair: dict[str, float] = field(default_factory=dict)  # corrections over whole spans (empty: none)
    meta: store.Meta | None = None  # what the file says about itself (``learned.store``); a trainer sets it

    def to_json(self) -> dict:
        return {"about": self.about, "start": self.start, "end": self.end, "pair": self.pair}

    @classmethod
    def from_json(cls, d: dict, meta: store.Meta | None = None) -> BoundaryModel:
        return cls(dict(d["start"]), dict(d["end"]), d.get("about", ""), dict(d.get("pair", {})), meta)


def save(model: BoundaryModel, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata as sorted, compact JSON, gzipped reproducibly."""
    return store.save_json(model.meta, model.to_json(), path)


load = store.json_loader(store.BOUNDARIES, BoundaryModel.from_json)  # load(path=None): read once per process


# ---------------------------------------------------------------------- candidates


@dataclass
class Setting:
    """What the candidate edges of one attribution are judged against."""

    ctx: ParaCtx
    cand: Candidate
    start_tok: int  # first token of the finder's content
    end_tok: int  # last token of the finder's content
    after_cue: bool  # the content follows the cue
    banned: frozenset[int]  # tokens of the cue phrase and the source phrase
    comp: Token | None  # the cue's complement clause, if the parse has one
    kind: str
    arr: Arrays  # the paragraph's parse as plain lists (the features read them)
    fixed_end: bool = False  # a direct quotation: only its start may move

    @property
    def sent_starts(self) -> tuple[int, ...]:
        """The first token of each sentence of the paragraph."""
        return self.arr.sents


@dataclass
class Arrays:
    """What the span features read of each token, as plain lists (a spaCy token made for every
    look-up costs more than the rest of the stage)."""

    head: list[int]
    dep: list[str]
    left: list[int]
    right: list[int]
    punct: list[bool]
    w: list[str]  # a closed-class word as itself, a punctuation mark as itself or Q/P, else the coarse tag
    fin: list[int]  # prefix counts of finite verbs
    marks: list[int]  # prefix counts of quotation marks
    comp: list[bool]  # a complementiser ('that', 'whether', 'if' as mark)
    cc: list[bool]  # a coordinating conjunction not inside a conjunct's own coordination
    w2: list[str]  # ``w``, with a verb's fine tag (a participle after a comma is a cue's trailing clause)
    space: list[bool]
    clause: list[bool]  # the head of a clause: a verb with a clause's label (``CLAUSE_DEPS``)
    idx: list[int]  # first character of each token
    ends: list[int]  # ... and the one after its last
    edge: list[bool]  # may be a content's edge: no space, no punctuation but quotation marks
    verb: list[bool]
    sents: tuple[int, ...]  # first token of each sentence
    text: list[str] = field(default_factory=list)
    sent0: frozenset[int] = frozenset()
    cues: dict[int, bool] = field(default_factory=dict)

    def cue(self, doc, i: int) -> bool:
        """``is_cue`` of token ``i`` (asked once)."""
        got = self.cues.get(i)
        if got is None:
            got = self.cues[i] = is_cue(doc[i])
        return got

    @classmethod
    def of(cls, doc) -> Arrays:
        """The lists of ``doc`` (made once for each parse the stage looks at)."""
        got = _ARRAYS.get(id(doc))
        if got is not None and got[0] is doc:
            return got[1]
        if len(_ARRAYS) > 256:
            _ARRAYS.clear()
        arr = cls.make(doc)
        _ARRAYS[id(doc)] = (doc, arr)
        return arr

    @classmethod
    def make(cls, doc) -> Arrays:
        cols = doc.to_array([HEAD, IDX, LENGTH, IS_SPACE, IS_PUNCT, IS_STOP, POS, TAG, DEP, LOWER, ORTH]).tolist()
        strings = doc.vocab.strings
        head = [x + (r if r < 2**63 else r - 2**64) for x, (r, *_) in enumerate(cols)]  # HEAD is an offset
        _, left, right = subtree_extents(head)  # each subtree's first and last token
        dep, pos, tag, text, lower, w, w2 = [], [], [], [], [], [], []
        fin, marks = [0], [0]
        idx, ends, space, punct = [], [], [], []
        for _, i0, ln, sp, pu, stop, po, tg, dp, lw, orth in cols:
            d, p, t, x, l = strings[dp], strings[po], strings[tg], strings[orth], strings[lw]
            dep.append(d)
            pos.append(p)
            tag.append(t)
            text.append(x)
            lower.append(l)
            idx.append(i0)
            ends.append(i0 + ln)
            space.append(bool(sp))
            punct.append(bool(pu))
            if pu:
                wd = x if x in ",.;:!?()-\u2014\u2013" else ("Q" if x in _MARKS else "P")
            else:
                wd = l if stop else p
            w.append(wd)
            w2.append(t if p in ("VERB", "AUX") and not stop else wd)
            fin.append(fin[-1] + (t in _FINITE))
            marks.append(marks[-1] + (x in _MARKS))
        verb = [p in ("VERB", "AUX") for p in pos]
        sents = tuple(sent.start for sent in doc.sents)
        return cls(head, dep, left, right, punct, w, fin, marks,
                   [d == "mark" and l in ("that", "whether", "if") for d, l in zip(dep, lower, strict=False)],
                   [d == "cc" and dep[h] != "conj" for d, h in zip(dep, head, strict=False)], w2, space,
                   [d in CLAUSE_DEPS and v for d, v in zip(dep, verb, strict=False)],
                   idx, ends, [not sp and not (pu and x not in _MARKS) for sp, pu, x in zip(space, punct, text, strict=False)],
                   verb, sents, text, frozenset(sents))


_ARRAYS: dict[int, tuple[object, Arrays]] = {}  # id(doc) -> (doc, its lists)


def refinable(c: Candidate) -> bool:
    """Whether the stage looks at ``c``: an indirect or mixed content from a cue's clause, or a
    direct quotation whose cue comes before it in its sentence (the words between may open a
    partial quotation: 'said the plan was "a disaster"'), whose start alone may move."""
    if c.cue_token is None or c.pre_spans or c.extra_spans or c.cue_para not in (None, c.para) or not c.content:
        return False
    if c.kind == Kind.DIRECT:
        v = c.cue_token
        return (c.how in DIRECT_HOW and len(c.content) == 1 and v.idx < c.content[0][0] and c.speaker_token is not None
                and c.speaker_token.doc is v.doc and v.sent.end_char > c.content[0][0])
    # a nominal content ('the results', 'condition of anonymity') is refined too, as its own
    # kind ('n' in the features: ``nominal``), so the model learns how far to trust its edges
    return c.kind in (Kind.INDIRECT, Kind.MIXED) and c.how in REFINED_HOW and c.inherit_from is None


def nominal(c: Candidate) -> bool:
    """An indirect content without a verb: an object ('the results'), not a clause."""
    A = Arrays.of(c.cue_word.doc)
    return c.kind == Kind.INDIRECT and not any(A.verb[x] for x in _toks(A, c.content[0][0], c.content[-1][1]))


def _tok_at(ctx: ParaCtx, char: int, *, end: bool = False) -> int | None:
    """The first token starting at or after ``char`` (``end``: the last ending at or before it),
    neither a space nor a punctuation mark other than a quotation mark."""
    A = Arrays.of(ctx.doc)
    k = bisect_left(A.idx, char)
    if end:
        return next((x for x in range(k - 1, -1, -1) if A.ends[x] <= char and A.edge[x]), None)
    return next((x for x in range(k, len(A.idx)) if A.edge[x]), None)


def _toks(A: Arrays, a: int, b: int) -> range:
    """The tokens starting in characters [a, b)."""
    return range(bisect_left(A.idx, a), bisect_left(A.idx, b))


def _object_first(ctx: ParaCtx, c: Candidate, s_tok: int) -> bool:
    """An infinitive content right after the cue's object ('urged Republicans to join'): the
    object may start the content."""
    t = ctx.doc[s_tok]
    return t.tag_ == "TO" and c.addressee is not None and not ctx.text[c.addressee[1] : t.idx].strip()


def setting(ctx: ParaCtx, c: Candidate) -> Setting | None:
    v = c.cue_token
    if v is None or v.doc is not ctx.doc:
        return None
    s_tok = _tok_at(ctx, c.content[0][0])
    e_tok = _tok_at(ctx, c.content[-1][1], end=True)
    if s_tok is None or e_tok is None or e_tok < s_tok:
        return None
    banned: set[int] = set()
    doc = ctx.doc
    a, b = cue_phrase(v)
    if c.speaker_token is not None and c.speaker_token.doc is doc:
        sa, sb = source_phrase(doc, c.speaker_token, v)
        a, b = min(a, sa), max(b, sb)
    A = Arrays.of(doc)
    banned.update(_toks(A, a, b))
    if c.addressee is not None and not _object_first(ctx, c, s_tok):
        # the addressee has its own field, never the content's words
        banned.update(_toks(A, c.addressee[0], c.addressee[1]))
    inside = c.content[0][0] <= v.idx < c.content[-1][1]
    if inside:
        banned = set()  # a nested report or a content built around its cue: edges free
    comp = next((k for k in v.children if k.dep_ in ("ccomp", "xcomp") and k.i > v.i), None)
    kind = "nominal" if c.kind == Kind.INDIRECT and nominal(c) else c.kind
    return Setting(ctx, c, s_tok, e_tok, v.i < s_tok, frozenset(banned), comp, kind, A, fixed_end=c.kind == Kind.DIRECT)


def _inner_start(ctx: ParaCtx, idx: int, text: str) -> bool:
    """A word (at ``idx``) inside a quotation that is not its first: no content starts there."""
    q = ctx.quote_at(idx)
    return q is not None and text not in _MARKS and idx > q.start and ctx.text[q.start : idx].strip(_PUNCT) != ""


def _inner_end(ctx: ParaCtx, idx: int, text: str) -> bool:
    """A word (at ``idx``) inside a quotation that is not its last: no content ends there."""
    q = ctx.quote_at(idx)
    return q is not None and text not in _MARKS and ctx.text[idx + len(text) : q.end].strip(_PUNCT) != ""


def start_candidates(st: Setting) -> list[int]:
    doc = st.ctx.doc
    lo_sent = doc[st.start_tok].sent.start
    lo = max(lo_sent, st.start_tok - WINDOW)
    if st.after_cue and st.banned:
        lo = max(lo, max((i for i in st.banned if i < st.start_tok), default=lo - 1) + 1)
    if st.fixed_end:
        lo = max(lo, st.cand.cue_word.i + 1)
    p = doc[st.start_tok - 1] if st.start_tok > 0 else None
    if st.after_cue and p is not None and p.pos_ == "ADP" and p.dep_ != "mark":
        lo = st.start_tok  # the preposition before an object content goes with the cue ('called for a ban')
    if st.after_cue and st.kind == "nominal":
        lo = st.start_tok  # an object after its cue may lose words before it, never take in more
    hi = min(st.end_tok, st.start_tok + WINDOW)
    A = st.arr
    for i in range(st.start_tok - 1, lo - 1, -1):  # an earlier start never takes in another report's cue
        if i in st.banned or A.cue(doc, i):
            lo = i + 1
            break
    return _positions(st, lo, hi, _inner_start, st.start_tok)


def _adjunct(t: Token) -> bool:
    """A time or manner adjunct: an adverb, a bare time phrase, a preposition of a date or time,
    'at length'."""
    if t.dep_ in ("advmod", "npadvmod"):
        return True
    obj = next((k for k in t.children if k.dep_ == "pobj"), None) if t.dep_ == "prep" else None
    return obj is not None and (obj.ent_type_ in ("DATE", "TIME") or (t.lower_ == "at" and obj.lower_ == "length"))


def _trailing_participle(doc, j: int) -> bool:
    """A comma at ``j`` opening a participle clause with no subject of its own that runs to the
    end of its sentence (', speaking after a brief recess', ', citing the figures')."""
    if doc[j].text != "," or j + 1 >= len(doc):
        return False
    p = doc[j + 1]
    return (p.tag_ == "VBG" and p.dep_ in ("advcl", "xcomp", "conj") and not any(k.dep_ in ("nsubj", "nsubjpass") for k in p.children)
            and p.right_edge.i + 2 >= p.sent.end)


def _sentence_end_from(sent_starts, i: int, default: int) -> int:
    """The last token of the first sentence that ends at or after token ``i`` (``sent_starts``:
    each sentence's first token, in order, the first 0), else ``default`` (the doc's last token)."""
    k = bisect_left(sent_starts, i + 1, 1)
    return sent_starts[k] - 1 if k < len(sent_starts) else default
def end_candidates(st: Setting) -> list[int]:
    if st.fixed_end:
        return [st.end_tok]
    doc = st.ctx.doc
    hi_sent = _sentence_end_from(st.sent_starts, st.end_tok, len(doc) - 1)
    nxt = _sentence_end_from(st.sent_starts, hi_sent + 1, len(doc) - 1)  # the next sentence may go on the report
    hi = min(nxt, st.end_tok + WINDOW)
    if not st.after_cue and st.banned:
        hi = min(hi, min((i for i in st.banned if i > st.end_tok), default=hi + 1) - 1)
    lo = max(st.start_tok, st.end_tok - WINDOW)
    A = st.arr
    for j in range(st.end_tok + 1, hi + 1):  # nor a later end
        if j in st.banned or A.cue(doc, j):
            hi = j - 1
            break
        if st.after_cue and st.kind == "nominal" and A.head[j] == st.cand.cue_word.i and _adjunct(doc[j]):
            hi = j - 1  # 'explained those choices at length on Monday': the cue's adjunct, not the object's
            break
        if st.after_cue and A.text[j] == "," and _trailing_participle(doc, j):
            hi = j - 1  # ', speaking after a recess': what the source did, not what it said
            break
    return _positions(st, lo, hi, _inner_end, st.end_tok)


def _positions(st: Setting, lo: int, hi: int, inner, keep: int) -> list[int]:
    """The token positions in [lo, hi] an edge may take: no banned token, space, punctuation or
    quotation mark, none inside a quotation (``inner``); the finder's own edge ``keep`` always."""
    A = st.arr
    text, idx, space, punct, banned, ctx = A.text, A.idx, A.space, A.punct, st.banned, st.ctx
    out = [i for i in range(lo, hi + 1)
           if not (i in banned or space[i] or punct[i] or text[i] in _MARKS)
           and not (i != keep and inner(ctx, idx[i], text[i]))]
    if keep not in out:
        out.append(keep)
    return sorted(out)


# ---------------------------------------------------------------------- features


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21)) -> str:
    sign = "-" if n < 0 else "+"
    m = abs(n)
    for e in edges:
        if m <= e:
            return f"{sign}{e}"
    return f"{sign}>"


def _up(A: Arrays, i: int, n: int) -> list[int]:
    """Token ``i`` and at most ``n`` of its ancestors, nearest first."""
    out = [i]
    while len(out) <= n and A.head[out[-1]] != out[-1]:
        out.append(A.head[out[-1]])
    return out


def _clause_left(A: Arrays, i: int) -> str:
    """The clause (of a verb) whose first token is ``i``, if any: its dependency label."""
    for a in _up(A, i, 4):
        if A.left[a] == i and A.clause[a]:
            return A.dep[a]
    return "-"


def _clause_right(A: Arrays, j: int) -> str:
    """The clause (of a verb) whose last token is ``j`` (or a punctuation mark after it)."""
    for a in _up(A, j, 6):
        r = A.right[a]
        if (r == j or (r == j + 1 and A.punct[r])) and A.clause[a]:
            return A.dep[a]
    return "-"


def _path(st: Setting, t: int, v: Token) -> str:
    """The dependency path from the cue ``v`` to ``t``: the labels up from ``t`` to their lowest
    common ancestor, then those up from ``v`` (at most four steps each)."""
    A = st.arr
    head, dep = A.head, A.dep
    chain = [v.i]
    while len(chain) < 5 and head[chain[-1]] != chain[-1]:
        chain.append(head[chain[-1]])
    dist = {x: n for n, x in enumerate(chain)}
    up: list[str] = []
    a = t
    while a not in dist:
        if len(up) >= 4 or head[a] == a:
            return "far"
        up.append(dep[a])
        a = head[a]
    return "^".join(up) + "|" + "^".join(dep[x] for x in chain[: dist[a]])


def _gap(doc, lo: int, hi: int) -> list[str]:
    """The closed-class words (and verbs' tags) of tokens ``lo``..``hi - 1``: what lies between a
    candidate edge and the cue or source phrase, or after an end up to its sentence's end."""
    if hi <= lo:
        return ["0"]
    A = Arrays.of(doc)
    w2, space = A.w2, A.space
    words = {w2[x] for x in range(lo, hi) if not space[x]}
    return [_bucket(hi - lo)[1:]] + sorted(words)


def start_features(st: Setting, i: int) -> list[str]:
    doc = st.ctx.doc
    A = st.arr
    W, dep, head = A.w, A.dep, A.head
    v = st.cand.cue_token
    k = st.kind[0] + ("A" if st.after_cue else "B")
    d = _bucket(i - st.start_tok)
    h = st.cand.how
    w, pw = W[i], (W[i - 1] if i > 0 else "^")
    cl = _clause_left(A, i)
    f = [
        "bias", "k=" + k, "d=" + d, "kd=" + k + d, "rule=" + str(i == st.start_tok) + k,
        "w=" + w, "dep=" + dep[i], "pw=" + pw, "pw_w=" + pw + "|" + w, "ppw=" + (W[i - 2] if i > 1 else "^") + "|" + pw,
        "dep_hd=" + dep[i] + "|" + dep[head[i]], "sent0=" + str(i in A.sent0), "cl=" + cl,
        "cl_k=" + cl + k, "pdep=" + (dep[i - 1] if i > 0 else "^"),
        "hd=" + h + d, "dw=" + d + "|" + w, "pwk=" + pw + k, "wk=" + w + k,
    ]
    if v is not None and v.doc is doc:
        f.append("dv=" + _bucket(i - v.i))
        f.append("hv=" + str(head[i] == v.i) + "|" + dep[i])
        f.append("pv=" + str(i > 0 and i - 1 == v.i))
        path = _path(st, i, v)
        f += ["path=" + path, "path_k=" + path + k]
        if st.after_cue:  # the words between the cue (or source) and the start
            lo = max((x for x in st.banned if x < i), default=v.i) + 1
            f += ["gap=" + g for g in _gap(doc, lo, i)]
    if st.comp is not None:
        left, right = A.left[st.comp.i], A.right[st.comp.i]
        f.append("comp_edge=" + str(left == i))
        f.append("in_comp=" + str(left <= i <= right))
    if st.cand.addressee is not None and st.cand.addressee[0] == A.idx[i]:
        f.append("addressee")
    q = st.ctx.quote_at(A.idx[i])
    f.append("q=" + ("open" if A.text[i] in _MARKS else ("in" if q is not None else "out")))
    if i > 0 and st.ctx.quote_at(A.idx[i - 1]) is not None and A.text[i - 1] not in _MARKS:
        f.append("prev_in_quote")
    return f


def end_features(st: Setting, j: int) -> list[str]:
    doc = st.ctx.doc
    A = st.arr
    W, dep, head, punct = A.w, A.dep, A.head, A.punct
    size = len(head)
    has_n, has_nn = j + 1 < size, j + 2 < size
    v = st.cand.cue_token
    k = st.kind[0] + ("A" if st.after_cue else "B")
    d = _bucket(j - st.end_tok)
    h = st.cand.how
    w, nw = W[j], (W[j + 1] if has_n else "$")
    cr = _clause_right(A, j)
    crossed = bisect_right(st.sent_starts, j) - bisect_right(st.sent_starts, st.start_tok)
    sent0 = A.sent0
    f = [
        "bias", "k=" + k, "d=" + d, "kd=" + k + d, "rule=" + str(j == st.end_tok) + k,
        "w=" + w, "dep=" + dep[j], "nw=" + nw, "w_nw=" + w + "|" + nw, "nnw=" + nw + "|" + (W[j + 2] if has_nn else "$"),
        "dep_hd=" + dep[j] + "|" + dep[head[j]], "cr=" + cr, "cr_k=" + cr + k,
        "ndep=" + (dep[j + 1] if has_n else "$"), "sents=" + str(min(crossed, 2)) + k,
        "sent_last=" + str(not has_n or (j + 1) in sent0 or (punct[j + 1] and (not has_nn or (j + 2) in sent0))),
        "hd=" + h + d, "dw=" + d + "|" + w, "nwk=" + nw + k, "wk=" + w + k,
    ]
    if has_n:
        f.append("ncue=" + str(A.cue(doc, j + 1) or (has_nn and punct[j + 1] and A.cue(doc, j + 2))))
        f.append("nhv=" + str(v is not None and head[j + 1] == v.i and v.doc is doc) + "|" + dep[j + 1])
    if v is not None and v.doc is doc:
        f.append("dv=" + _bucket(j - v.i))
        f.append("hv=" + str(head[j] == v.i) + "|" + dep[j])
        path = _path(st, j, v)
        f += ["path=" + path, "path_k=" + path + k]
        if not st.after_cue:  # the words between the end and the cue (or source)
            hi = min((x for x in st.banned if x > j), default=v.i)
            f += ["gap=" + g for g in _gap(doc, j + 1, hi)]
        else:  # the rest of the sentence after the end
            sent_end = next((b for b in st.sent_starts if b > j), size)
            f += ["rest=" + g for g in _gap(doc, j + 1, sent_end)]
    if st.comp is not None:
        left, right = A.left[st.comp.i], A.right[st.comp.i]
        f.append("comp_redge=" + str(right == j or (right == j + 1 and punct[j + 1])))
        f.append("in_comp=" + str(left <= j <= right))
    q = st.ctx.quote_at(A.idx[j])
    f.append("q=" + ("close" if A.text[j] in _MARKS else ("in" if q is not None else "out")))
    return f


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def pair_features(st: Setting, i: int, j: int) -> list[str]:
    """What the span from token ``i`` to token ``j`` looks like as a whole: whether the parse
    makes it one constituent (and which), whether it holds a finite verb, a coordination, a
    second complementiser, the cue, unbalanced quotation marks, how many sentences it spans,
    its length, and its first word against the word after it."""
    A = st.arr
    head, dep = A.head, A.dep
    n = len(head)
    k = st.kind[0] + ("A" if st.after_cue else "B")
    v = st.cand.cue_token
    roots: list[int] = []
    sub = "-"
    coord = False
    left, right, cc = A.left, A.right, A.cc
    for x in range(i, j + 1):
        h = head[x]
        inside = i <= h <= j
        if not inside:  # (the sentence's root heads itself: a span holding it counts no root for it)
            roots.append(x)
        if sub == "-" and left[x] == i:
            r = right[x]
            if r == j or (r == j + 1 and A.punct[r]):
                sub = dep[x]
        if cc[x] and inside:
            coord = True
    fin = A.fin[j + 1] - A.fin[i] > 0
    marks = A.marks[j + 1] - A.marks[i]
    crossed = bisect_right(st.sent_starts, j) - bisect_right(st.sent_starts, i)
    if len(roots) == 1:
        r0 = roots[0]
        root = dep[r0] + "|" + ("cue" if v is not None and head[r0] == v.i else "x")
    else:
        root = _bucket(len(roots), (1, 2, 3, 5))
    first, after = A.w[i], (A.w[j + 1] if j + 1 < n else "$")
    that2 = True in A.comp[i + 1 : j + 1]
    rule = str(i == st.start_tok)[0] + str(j == st.end_tok)[0]
    f = [
        "rule=" + rule + k, "len=" + _bucket(j - i + 1) + k, "sents=" + str(min(crossed, 2)) + k,
        "fin=" + str(fin) + k, "root=" + root + k, "sub=" + sub + k, "sub_fin=" + sub + str(fin),
        "fa=" + first + "|" + after, "fak=" + first + "|" + after + k, "that2=" + str(that2) + "|" + str(coord),
        "marks=" + str(min(marks, 3) % 2) + str(min(marks, 3)), "rule_root=" + rule + "|" + root,
    ]
    if v is not None and v.doc is st.ctx.doc:
        f.append("cue_in=" + str(i <= v.i <= j) + k)
    if st.comp is not None:
        c = st.comp
        f.append("comp=" + str(c.left_edge.i == i) + str(c.right_edge.i in (j, j + 1)) + k)
    return f


# ---------------------------------------------------------------------- choice


def _char_start(ctx: ParaCtx, i: int) -> int:
    return ctx.doc[i].idx


def _char_end(ctx: ParaCtx, j: int) -> int:
    t = ctx.doc[j]
    e = t.idx + len(t.text)
    # a closing quotation mark right after the last word goes with it
    if t.text not in _MARKS and e < len(ctx.text) and ctx.text[e] in _MARKS and any(q.close_pos == e for q in ctx.top):
        e += 1
    return e


def ranked(st: Setting, model: BoundaryModel) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """The candidate starts and ends with their scores, best first (ties: the finder's edge, then
    the earlier start and the later end)."""
    ss = [(score(model.start, start_features(st, i)), i) for i in start_candidates(st)]
    se = [(score(model.end, end_features(st, j)), j) for j in end_candidates(st)]
    ss.sort(key=lambda x: (-x[0], x[1] != st.start_tok, x[1]))
    se.sort(key=lambda x: (-x[0], x[1] != st.end_tok, -x[1]))
    return ss, se


def pairs(st: Setting, ss: list[tuple[float, int]], se: list[tuple[float, int]], k: int = TOP_K) -> list[tuple[float, int, int]]:
    """The pairs of the ``k`` best starts and ends (a start never after the end), in order."""
    return [(a + b, i, j) for a, i in ss[:k] for b, j in se[:k] if i <= j]


def choose(st: Setting, model: BoundaryModel) -> tuple[int, int]:
    """The start and end token the model picks: the best start and the best end, or, with a pair
    model, the best scoring pair among the top starts and ends."""
    ss, se = ranked(st, model)
    if not model.pair:
        return ss[0][1], se[0][1]
    best = None
    for base, i, j in pairs(st, ss, se):
        key = (base + score(model.pair, pair_features(st, i, j)), i == st.start_tok and j == st.end_tok, -i, j)
        if best is None or key > best[0]:
            best = (key, i, j)
    if best is None:
        return ss[0][1], se[0][1]
    return best[1], best[2]


def refine(ctx: ParaCtx, c: Candidate, model: BoundaryModel) -> bool:
    """Move ``c``'s content edges to the best scoring candidates; ``True`` if they moved."""
    st = setting(ctx, c)
    if st is None:
        return False
    bs, be = choose(st, model)
    if bs == st.start_tok and be == st.end_tok:
        return False
    s = _char_start(ctx, bs) if bs != st.start_tok else c.content[0][0]
    e = _char_end(ctx, be) if be != st.end_tok else c.content[-1][1]
    pieces = list(c.content)
    if len(pieces) == 1:
        if e <= s:
            return False
        pieces = [(s, e)]
    else:
        first, last = pieces[0], pieces[-1]
        if s >= first[1] or e <= last[0]:
            return False
        pieces[0] = (s, first[1])
        pieces[-1] = (last[0], e)
    # the content may not cut a quotation in two: take in any it overlaps
    a, b, inside = expand_over_quotes(ctx, pieces[0][0], pieces[-1][1], c.cue_token.idx if c.cue_token is not None else None)
    if len(pieces) == 1:
        pieces = [(a, b)]
    else:
        pieces[0] = (a, pieces[0][1])
        pieces[-1] = (pieces[-1][0], b)
    outside = "".join(ctx.text[max(a, 0) : b] for a, b in _outside(pieces, inside))
    if inside and not re.search(r"\w", outside):
        return False  # only quotation marks added to a quotation: it stays as it was
    c.content = pieces
    c.quotes = inside
    c.kind = "mixed" if inside else "indirect"
    return True


def _outside(pieces: list[tuple[int, int]], quotes) -> list[tuple[int, int]]:
    """The parts of ``pieces`` outside every quotation (marks included in the quotation)."""
    out = []
    for a, b in pieces:
        cur = a
        for q in sorted(quotes, key=lambda q: q.open_pos):
            close = q.close_pos + 1 if q.close_pos is not None else q.end
            if close <= cur or q.open_pos >= b:
                continue
            out.append((cur, max(cur, q.open_pos)))
            cur = max(cur, close)
        out.append((cur, b))
    return [(x, y) for x, y in out if y > x]


def refine_all(ctxs: list[ParaCtx], cands: list[Candidate], model: BoundaryModel) -> None:
    """The boundary stage: refine every refinable candidate in place."""
    by = {c.index: c for c in ctxs}
    for c in cands:
        if refinable(c) and c.para in by:
            refine(by[c.para], c, model)
