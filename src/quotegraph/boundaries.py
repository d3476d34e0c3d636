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

import gzip
import re
from bisect import bisect_right
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from spacy.tokens import Token

from .attribution import Candidate, ParaCtx, cue_phrase, expand_over_quotes, is_cue, source_phrase

MODEL_FILE = Path(__file__).resolve().parent / "data" / "boundary_model.json.gz"

#: kinds of finder whose content region the stage may move ('inherit', 'colon', 'dash', ...
#: carry a quotation or a region the finder made from layout, not from a cue's clause)
REFINED_HOW = frozenset({"verb", "learned", "parenthetical", "according", "noun", "aside", "passive", "nested", ""})
DIRECT_HOW = frozenset({"leader", "verb", "learned"})
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

    def to_json(self) -> dict:
        return {"about": self.about, "start": self.start, "end": self.end, "pair": self.pair}

    @classmethod
    def from_json(cls, d: dict) -> "BoundaryModel":
        return cls(dict(d["start"]), dict(d["end"]), d.get("about", ""), dict(d.get("pair", {})))


def save(model: BoundaryModel, path: Path = MODEL_FILE) -> Path:
    """Write the model as sorted, compact JSON, gzipped reproducibly (no time stamp)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(model.to_json(), separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)
    return path


@lru_cache(maxsize=None)
def load(path: Optional[str] = None) -> Optional[BoundaryModel]:
    p = Path(path) if path else MODEL_FILE
    if not p.exists():
        return None
    with gzip.open(p, "rt", encoding="utf-8") as f:
        return BoundaryModel.from_json(json.load(f))


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
    comp: Optional[Token]  # the cue's complement clause, if the parse has one
    kind: str
    fixed_end: bool = False  # a direct quotation: only its start may move
    sent_starts: tuple[int, ...] = ()  # first token of each sentence of the paragraph


def refinable(c: Candidate) -> bool:
    """Whether the stage looks at ``c``: an indirect or mixed content from a cue's clause, or a
    direct quotation whose cue comes before it in its sentence (the words between may open a
    partial quotation: 'said the plan was "a disaster"'), whose start alone may move."""
    if c.cue_token is None or c.pre_spans or c.extra_spans or c.cue_para not in (None, c.para) or not c.content:
        return False
    if c.kind == "direct":
        v = c.cue_token
        return (c.how in DIRECT_HOW and len(c.content) == 1 and v.idx < c.content[0][0] and c.speaker_token is not None
                and c.speaker_token.doc is v.doc and v.sent.end_char > c.content[0][0])
    # a nominal content ('the results', 'condition of anonymity') is refined too, as its own
    # kind ('n' in the features: ``nominal``), so the model learns how far to trust its edges
    return c.kind in ("indirect", "mixed") and c.how in REFINED_HOW and c.inherit_from is None


def nominal(c: Candidate) -> bool:
    """An indirect content without a verb: an object ('the results'), not a clause."""
    doc = c.cue_token.doc
    s, e = c.content[0][0], c.content[-1][1]
    return c.kind == "indirect" and not any(s <= t.idx < e and t.pos_ in ("VERB", "AUX") for t in doc)


def _tok_at(ctx: ParaCtx, char: int, *, end: bool = False) -> Optional[int]:
    """The first token starting at or after ``char`` (``end``: the last ending at or before it)."""
    doc = ctx.doc
    if end:
        best = None
        for t in doc:
            if t.idx + len(t.text) <= char and not t.is_space:
                if t.is_punct and t.text not in _MARKS:
                    continue
                best = t.i
            elif t.idx >= char:
                break
        return best
    for t in doc:
        if t.idx >= char and not t.is_space and not (t.is_punct and t.text not in _MARKS):
            return t.i
    return None


def _object_first(ctx: ParaCtx, c: Candidate, s_tok: int) -> bool:
    """An infinitive content right after the cue's object ('urged Republicans to join'): the
    object may start the content."""
    t = ctx.doc[s_tok]
    return t.tag_ == "TO" and c.addressee is not None and not ctx.text[c.addressee[1] : t.idx].strip()


def setting(ctx: ParaCtx, c: Candidate) -> Optional[Setting]:
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
    for t in doc:
        if a <= t.idx < b:
            banned.add(t.i)
    if c.addressee is not None and not _object_first(ctx, c, s_tok):
        # the addressee has its own field, never the content's words
        banned |= {t.i for t in doc if c.addressee[0] <= t.idx < c.addressee[1]}
    inside = c.content[0][0] <= v.idx < c.content[-1][1]
    if inside:
        banned = set()  # a nested report or a content built around its cue: edges free
    comp = next((k for k in v.children if k.dep_ in ("ccomp", "xcomp") and k.i > v.i), None)
    kind = "nominal" if c.kind == "indirect" and nominal(c) else c.kind
    return Setting(ctx, c, s_tok, e_tok, v.i < s_tok, frozenset(banned), comp, kind, c.kind == "direct",
                   tuple(sent.start for sent in doc.sents))


def _inner_start(ctx: ParaCtx, t: Token) -> bool:
    """A word inside a quotation that is not its first: no content starts there."""
    q = ctx.quote_at(t.idx)
    return q is not None and t.text not in _MARKS and t.idx > q.start and ctx.text[q.start : t.idx].strip(_PUNCT) != ""


def _inner_end(ctx: ParaCtx, t: Token) -> bool:
    """A word inside a quotation that is not its last: no content ends there."""
    q = ctx.quote_at(t.idx)
    return q is not None and t.text not in _MARKS and ctx.text[t.idx + len(t.text) : q.end].strip(_PUNCT) != ""


def start_candidates(st: Setting) -> list[int]:
    doc = st.ctx.doc
    lo_sent = doc[st.start_tok].sent.start
    lo = max(lo_sent, st.start_tok - WINDOW)
    if st.after_cue and st.banned:
        lo = max(lo, max((i for i in st.banned if i < st.start_tok), default=lo - 1) + 1)
    if st.fixed_end:
        lo = max(lo, st.cand.cue_token.i + 1)
    p = doc[st.start_tok - 1] if st.start_tok > 0 else None
    if st.after_cue and p is not None and p.pos_ == "ADP" and p.dep_ != "mark":
        lo = st.start_tok  # the preposition before an object content goes with the cue ('called for a ban')
    if st.after_cue and st.kind == "nominal":
        lo = st.start_tok  # an object after its cue may lose words before it, never take in more
    hi = min(st.end_tok, st.start_tok + WINDOW)
    for i in range(st.start_tok - 1, lo - 1, -1):  # an earlier start never takes in another report's cue
        if i in st.banned or (is_cue(doc[i]) and doc[i] is not st.cand.cue_token):
            lo = i + 1
            break
    return _positions(st, lo, hi, _inner_start, st.start_tok)


def _trailing_participle(doc, j: int) -> bool:
    """A comma at ``j`` opening a participle clause with no subject of its own that runs to the
    end of its sentence (', speaking after a brief recess', ', citing the figures')."""
    if doc[j].text != "," or j + 1 >= len(doc):
        return False
    p = doc[j + 1]
    return (p.tag_ == "VBG" and p.dep_ in ("advcl", "xcomp", "conj") and not any(k.dep_ in ("nsubj", "nsubjpass") for k in p.children)
            and p.right_edge.i + 2 >= p.sent.end)


def end_candidates(st: Setting) -> list[int]:
    if st.fixed_end:
        return [st.end_tok]
    doc = st.ctx.doc
    sent_ends = [b - 1 for b in st.sent_starts[1:]] + [len(doc) - 1]
    hi_sent = next((e for e in sent_ends if e >= st.end_tok), len(doc) - 1)
    nxt = next((e for e in sent_ends if e > hi_sent), hi_sent)  # the next sentence may go on the report
    hi = min(nxt, st.end_tok + WINDOW)
    if not st.after_cue and st.banned:
        hi = min(hi, min((i for i in st.banned if i > st.end_tok), default=hi + 1) - 1)
    lo = max(st.start_tok, st.end_tok - WINDOW)
    for j in range(st.end_tok + 1, hi + 1):  # nor a later end
        if j in st.banned or (is_cue(doc[j]) and doc[j] is not st.cand.cue_token):
            hi = j - 1
            break
        if st.after_cue and _trailing_participle(doc, j):
            hi = j - 1  # ', speaking after a recess': what the source did, not what it said
            break
    return _positions(st, lo, hi, _inner_end, st.end_tok)


def _positions(st: Setting, lo: int, hi: int, inner, keep: int) -> list[int]:
    """The token positions in [lo, hi] an edge may take: no banned token, space, punctuation or
    quotation mark, none inside a quotation (``inner``); the finder's own edge ``keep`` always."""
    doc = st.ctx.doc
    out = [i for i in range(lo, hi + 1)
           if not (i in st.banned or doc[i].is_space or doc[i].is_punct or doc[i].text in _MARKS)
           and not (inner(st.ctx, doc[i]) and i != keep)]
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


def _w(t: Token) -> str:
    """A closed-class word as itself, anything else as its coarse tag."""
    if t.is_punct:
        return t.text if t.text in ",.;:!?()-\u2014\u2013" else ("Q" if t.text in _MARKS else "P")
    return t.lower_ if t.is_stop else t.pos_


def _clause_left(t: Token) -> str:
    for a in [t] + list(t.ancestors)[:4]:
        if a.left_edge.i == t.i and a.dep_ in CLAUSE_DEPS and a.pos_ in ("VERB", "AUX"):
            return a.dep_
    return "-"


def _clause_right(t: Token) -> str:
    for a in [t] + list(t.ancestors)[:6]:
        if a.right_edge.i == t.i or (a.right_edge.i == t.i + 1 and a.right_edge.is_punct):
            if a.dep_ in CLAUSE_DEPS and a.pos_ in ("VERB", "AUX"):
                return a.dep_
    return "-"


def _w2(t: Token) -> str:
    """``_w``, with a verb's fine tag (a participle after a comma is a cue's trailing clause)."""
    return t.tag_ if t.pos_ in ("VERB", "AUX") and not t.is_stop else _w(t)


def _path(t: Token, v: Token) -> str:
    """The dependency path from the cue ``v`` to ``t``: the labels up from ``t`` to their lowest
    common ancestor, then those up from ``v`` (at most four steps each)."""
    chain = [v] + list(v.ancestors)[:4]
    dist = {x.i: n for n, x in enumerate(chain)}
    up: list[str] = []
    a = t
    while a.i not in dist:
        if len(up) >= 4 or a.head is a:
            return "far"
        up.append(a.dep_)
        a = a.head
    return "^".join(up) + "|" + "^".join(x.dep_ for x in chain[: dist[a.i]])


def _gap(doc, lo: int, hi: int) -> list[str]:
    """The closed-class words (and verbs' tags) of tokens ``lo``..``hi - 1``: what lies between a
    candidate edge and the cue or source phrase, or after an end up to its sentence's end."""
    if hi <= lo:
        return ["0"]
    words = {_w2(doc[x]) for x in range(lo, hi) if not doc[x].is_space}
    return [_bucket(hi - lo)[1:]] + sorted(words)


def start_features(st: Setting, i: int) -> list[str]:
    doc = st.ctx.doc
    t = doc[i]
    p = doc[i - 1] if i > 0 else None
    pp = doc[i - 2] if i > 1 else None
    v = st.cand.cue_token
    side = "A" if st.after_cue else "B"
    k = st.kind[0] + side
    d = _bucket(i - st.start_tok)
    h = st.cand.how
    w, pw = _w(t), (_w(p) if p is not None else "^")
    f = [
        "bias", "k=" + k, "d=" + d, "kd=" + k + d, "rule=" + str(i == st.start_tok) + k,
        "w=" + w, "dep=" + t.dep_, "pw=" + pw, "pw_w=" + pw + "|" + w, "ppw=" + (_w(pp) if pp is not None else "^") + "|" + pw,
        "dep_hd=" + t.dep_ + "|" + t.head.dep_, "sent0=" + str(t.is_sent_start), "cl=" + _clause_left(t),
        "cl_k=" + _clause_left(t) + k, "pdep=" + (p.dep_ if p is not None else "^"),
        "hd=" + h + d, "dw=" + d + "|" + w, "pwk=" + pw + k, "wk=" + w + k,
    ]
    if v is not None and v.doc is doc:
        f.append("dv=" + _bucket(i - v.i))
        f.append("hv=" + str(t.head.i == v.i) + "|" + t.dep_)
        f.append("pv=" + str(p is not None and p.i == v.i))
        path = _path(t, v)
        f += ["path=" + path, "path_k=" + path + k]
        if st.after_cue:  # the words between the cue (or source) and the start
            lo = max((x for x in st.banned if x < i), default=v.i) + 1
            f += ["gap=" + g for g in _gap(doc, lo, i)]
    if st.comp is not None:
        f.append("comp_edge=" + str(st.comp.left_edge.i == i))
        f.append("in_comp=" + str(st.comp.left_edge.i <= i <= st.comp.right_edge.i))
    if st.cand.addressee is not None and st.cand.addressee[0] == t.idx:
        f.append("addressee")
    q = st.ctx.quote_at(t.idx)
    f.append("q=" + ("open" if t.text in _MARKS else ("in" if q is not None else "out")))
    if p is not None and st.ctx.quote_at(p.idx) is not None and p.text not in _MARKS:
        f.append("prev_in_quote")
    return f


def end_features(st: Setting, j: int) -> list[str]:
    doc = st.ctx.doc
    t = doc[j]
    n = doc[j + 1] if j + 1 < len(doc) else None
    nn = doc[j + 2] if j + 2 < len(doc) else None
    v = st.cand.cue_token
    side = "A" if st.after_cue else "B"
    k = st.kind[0] + side
    d = _bucket(j - st.end_tok)
    h = st.cand.how
    w, nw = _w(t), (_w(n) if n is not None else "$")
    crossed = bisect_right(st.sent_starts, j) - bisect_right(st.sent_starts, st.start_tok)
    f = [
        "bias", "k=" + k, "d=" + d, "kd=" + k + d, "rule=" + str(j == st.end_tok) + k,
        "w=" + w, "dep=" + t.dep_, "nw=" + nw, "w_nw=" + w + "|" + nw, "nnw=" + nw + "|" + (_w(nn) if nn is not None else "$"),
        "dep_hd=" + t.dep_ + "|" + t.head.dep_, "cr=" + _clause_right(t), "cr_k=" + _clause_right(t) + k,
        "ndep=" + (n.dep_ if n is not None else "$"), "sents=" + str(min(crossed, 2)) + k,
        "sent_last=" + str(n is None or n.is_sent_start or (n.is_punct and (nn is None or nn.is_sent_start))),
        "hd=" + h + d, "dw=" + d + "|" + w, "nwk=" + nw + k, "wk=" + w + k,
    ]
    if n is not None:
        f.append("ncue=" + str(is_cue(n) or (nn is not None and n.is_punct and is_cue(nn))))
        f.append("nhv=" + str(v is not None and n.head.i == v.i and n.doc is doc) + "|" + n.dep_)
    if v is not None and v.doc is doc:
        f.append("dv=" + _bucket(j - v.i))
        f.append("hv=" + str(t.head.i == v.i) + "|" + t.dep_)
        path = _path(t, v)
        f += ["path=" + path, "path_k=" + path + k]
        if not st.after_cue:  # the words between the end and the cue (or source)
            hi = min((x for x in st.banned if x > j), default=v.i)
            f += ["gap=" + g for g in _gap(doc, j + 1, hi)]
        else:  # the rest of the sentence after the end
            f += ["rest=" + g for g in _gap(doc, j + 1, t.sent.end)]
    if st.comp is not None:
        f.append("comp_redge=" + str(st.comp.right_edge.i == j or (st.comp.right_edge.i == j + 1 and doc[j + 1].is_punct)))
        f.append("in_comp=" + str(st.comp.left_edge.i <= j <= st.comp.right_edge.i))
    q = st.ctx.quote_at(t.idx)
    f.append("q=" + ("close" if t.text in _MARKS else ("in" if q is not None else "out")))
    return f


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def pair_features(st: Setting, i: int, j: int) -> list[str]:
    """What the span from token ``i`` to token ``j`` looks like as a whole: whether the parse
    makes it one constituent (and which), whether it holds a finite verb, a coordination, a
    second complementiser, the cue, unbalanced quotation marks, how many sentences it spans,
    its length, and its first word against the word after it."""
    doc = st.ctx.doc
    k = st.kind[0] + ("A" if st.after_cue else "B")
    v = st.cand.cue_token
    roots = [t for t in doc[i : j + 1] if not (i <= t.head.i <= j) or t.head is t]
    fin = any(t.tag_ in _FINITE for t in doc[i : j + 1])
    marks = sum(1 for t in doc[i : j + 1] if t.text in _MARKS)
    crossed = bisect_right(st.sent_starts, j) - bisect_right(st.sent_starts, i)
    n = doc[j + 1] if j + 1 < len(doc) else None
    sub = "-"
    for t in doc[i : j + 1]:
        r = t.right_edge.i
        if t.left_edge.i == i and (r == j or (r == j + 1 and doc[r].is_punct)):
            sub = t.dep_
            break
    if len(roots) == 1:
        r0 = roots[0]
        root = r0.dep_ + "|" + ("cue" if v is not None and r0.head.i == v.i else "x")
    else:
        root = _bucket(len(roots), (1, 2, 3, 5))
    first, after = _w(doc[i]), (_w(n) if n is not None else "$")
    that2 = any(t.dep_ == "mark" and t.lower_ in ("that", "whether", "if") for t in doc[i + 1 : j + 1])
    coord = any(t.dep_ == "cc" and t.head.dep_ not in ("conj",) and i <= t.head.i <= j for t in doc[i : j + 1])
    rule = str(i == st.start_tok)[0] + str(j == st.end_tok)[0]
    f = [
        "rule=" + rule + k, "len=" + _bucket(j - i + 1) + k, "sents=" + str(min(crossed, 2)) + k,
        "fin=" + str(fin) + k, "root=" + root + k, "sub=" + sub + k, "sub_fin=" + sub + str(fin),
        "fa=" + first + "|" + after, "fak=" + first + "|" + after + k, "that2=" + str(that2) + "|" + str(coord),
        "marks=" + str(min(marks, 3) % 2) + str(min(marks, 3)), "rule_root=" + rule + "|" + root,
    ]
    if v is not None and v.doc is doc:
        f.append("cue_in=" + str(i <= v.i <= j) + k)
    if st.comp is not None:
        c = st.comp
        f.append("comp=" + str(c.left_edge.i == i) + str(c.right_edge.i in (j, j + 1)) + k)
    return f


# ---------------------------------------------------------------------- choice


def score(w: dict[str, float], feats: list[str]) -> float:
    """The candidate's score (its log-odds against the others of its attribution, up to a constant)."""
    return sum(w.get(x, 0.0) for x in feats)


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


def refine_all(ctxs: list[ParaCtx], cands: list[Candidate], model: Optional[BoundaryModel]) -> None:
    """The boundary stage: refine every refinable candidate in place."""
    if model is None:
        return
    by = {c.index: c for c in ctxs}
    for c in cands:
        if refinable(c) and c.para in by:
            refine(by[c.para], c, model)
