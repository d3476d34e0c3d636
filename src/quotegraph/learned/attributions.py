"""The learned stages: a pair finder that adds what the rules miss, and a filter over everything.

The rules (``finders.py`` and its finder modules) find quotations and reporting verbs with clausal complements.
News also attributes with objects and prepositional phrases ("called for a ban", "his disdain
for the nominee", "went on to discuss the polls"), over hundreds of verbs and nouns, each rare.

* :func:`learned_candidates` enumerates, in the parse of a paragraph, every pair of a possible
  cue word and a phrase it governs (:func:`pairs`: its object, clause, prepositional object...
  up to three links down, or all its right dependents), describes each pair with ~30 symbolic
  features (:func:`features`: lemma, dependency path, subject kind...) and scores it with two
  logistic models: is the word a cue (``Model.prob``), and which of its phrases is exactly the
  content (``Model.exactness``). Pairs above the threshold the rules did not find become
  indirect (or mixed) attributions.
* :func:`quote_features` describes each proposed attribution (rules' or pairs') for a third
  model, the filter (``Model.keep_prob``), whose probability becomes the record's confidence.

All three are trained on PolNeAR's train split by ``quotegraph train attributions``
(``training/attributions.py``). The model file holds weights keyed by dependency labels and
dictionary words only: no corpus text.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from spacy.tokens import Token

from ..attribute.attribution import (
    Candidate,
    How,
    Intervals,
    ParaCtx,
    asked_of,
    classify,
    count_tokens_between,
    make_candidate,
    noun_owner,
    subject_of,
)
from ..lexicon import FORECAST_VERBS, LIGHT_VERBS, NOT_CUES
from . import store
from .linear import score, sigmoid

# One line per feature (its weights in the pair finder, the boundary model and the filter), sorted:
# a retrain changes only the lines whose weights moved, so the repository keeps small deltas.
MODEL_FILE = store.ATTRIBUTIONS.packaged
_TABLES = ("weights", "boundary", "filter")

CUE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "pobj", "pcomp", "nsubjpass", "acl", "advcl", "attr", "oprd", "relcl"})
# links a path may pass through on its way from the cue to the content head
THROUGH_DEPS = frozenset({"prep", "dobj", "xcomp", "acomp", "attr", "prt", "advcl", "acl", "ccomp", "pcomp", "agent"})
MAX_DEPTH = 3
# what a cue word governs that is no statement: 'did not respond to a request for comment'
# (used with .match, where the look-behind always holds: with the possessive runs it keeps a search linear too)
NOT_CONTENT = re.compile(r"(?<![\s\w])(?:an?|the|our|my|his|her|their|its|repeated|several|multiple|emailed|written)?"
                         r"\s*+(?:\w++\s++)?(?:requests?|calls?|messages?|e-?mails?|inquiry|inquiries|questions?)"
                         r"\s++(?:for|seeking|about)\s++(?:a\s++)?comments?\b", re.I)
RIGHT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "dative", "prep", "oprd", "attr", "advcl", "acomp", "npadvmod"})


@dataclass
class Pair:
    cue: Token
    head: Token
    path: tuple[Token, ...]  # tokens from the cue's child down to the content head
    region: tuple[int, int]  # local character span of the content phrase
    span_of: str = ""  # set for a pair whose phrase is all the cue's right dependents
    first: int = -1  # index of the phrase's first token
    last: int = -1  # index of its last token

    @property
    def path_label(self) -> str:
        if self.span_of:
            return "RIGHT:" + self.span_of
        return ">".join(t.dep_ + (":" + word(t.lower_) if t.dep_ in ("prep", "agent", "prt") else "") for t in self.path)


def _edges(h: Token) -> tuple[int, int] | None:
    """First and last token of the phrase ``h`` heads, without punctuation at either end."""
    doc = h.doc
    a, b = h.left_edge.i, h.right_edge.i
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    if b - a < 1 and not doc[a].is_alpha:
        return None
    return a, b


def pairs(ctx: ParaCtx, lemmas: frozenset[str] | None = None, skip: Callable[[Token], bool] | None = None) -> Iterator[Pair]:
    """Every (cue word, governed phrase) pair of the paragraph; only cue words whose lemma is in
    ``lemmas`` when given (the model knows nothing of the others) and for which ``skip`` is false."""
    doc = ctx.doc
    for c in doc:
        if c.pos_ not in CUE_POS or c.is_punct:
            continue
        if lemmas is not None and c.lemma_.lower() not in lemmas:
            continue
        if skip is not None and skip(c):
            continue
        stack: list[tuple[Token, tuple[Token, ...]]] = [(k, (k,)) for k in c.children]
        while stack:
            t, path = stack.pop()
            if t.dep_ in CONTENT_DEPS and (t.i > c.i or t.dep_ in ("ccomp", "nsubjpass")):
                e = _edges(t)
                if e is not None and not (e[0] <= c.i <= e[1]):
                    yield Pair(c, t, path, (doc[e[0]].idx, doc[e[1]].idx + len(doc[e[1]].text)), first=e[0], last=e[1])
            if len(path) < MAX_DEPTH and t.dep_ in THROUGH_DEPS:
                stack.extend((k, path + (k,)) for k in t.children)
        # all the cue's right dependents together ('urged voters to turn out', 'hit Trump for ...')
        right = [k for k in c.children if k.i > c.i and k.dep_ in RIGHT_DEPS]
        if len(right) >= 2:
            a = _edges(right[0])
            b = _edges(right[-1])
            if a is not None and b is not None:
                yield Pair(c, right[0], (right[0],), (doc[a[0]].idx, doc[b[1]].idx + len(doc[b[1]].text)),
                           "+".join(k.dep_ + (":" + word(k.lower_) if k.dep_ == "prep" else "") for k in right), first=a[0], last=b[1])


_WORD = re.compile(r"[a-z][a-z'\-]{0,24}")


def word(tok_or_text: Token | str) -> str:
    """A word as a feature: the lower-cased lemma when it is a plain word, else its kind ('<num>',
    '<other>'), so the model holds dictionary words only (no numbers, handles or URLs)."""
    s = tok_or_text if isinstance(tok_or_text, str) else tok_or_text.lemma_.lower()
    if _WORD.fullmatch(s):
        return s
    return "<num>" if any(ch.isdigit() for ch in s) else "<other>"


def _subject_class(s: Token | None) -> str:
    if s is None:
        return "none"
    if s.ent_type_:
        return "ent:" + s.ent_type_
    low = s.lower_
    if low in ("he", "she", "they", "i", "we", "you", "who"):
        return "pron:person"
    if low in ("it", "this", "that", "which", "what"):
        return "pron:thing"
    return s.pos_.lower() + (":" + word(s) if s.pos_ == "NOUN" else "")


def speaker_of(c: Token) -> Token | None:
    """The source of a cue word: a verb's subject; a noun's owner ('her criticism of') or agent
    ('a call by the mayor'); else the subject of the verb that governs it ('raised questions
    about'; 'issued a paper welcoming the plan': who issued it)."""
    if c.pos_ in ("VERB", "AUX"):
        s = subject_of(c)
        if s is not None:
            return s
    else:
        s = noun_owner(c)
        if s is not None:
            return s
        if c.dep_ in ("nsubj", "nsubjpass"):
            return None
    t = c
    for _ in range(3):
        if t.head.i == t.i or t.dep_ in ("ccomp", "parataxis", "relcl"):
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return subject_of(t)
    return None


def _cue_features(ctx: ParaCtx, c: Token) -> tuple[str, str, list[str]]:
    """What a cue word's pairs share: its lemma, its subject's kind, and their features."""
    lem = word(c)
    sc = _subject_class(speaker_of(c))
    f = [
        "bias",
        "L=" + lem,
        "pos=" + c.pos_,
        "tag=" + c.tag_,
        "Lpos=" + lem + "|" + c.pos_,
        "cdep=" + c.dep_,
        "Lcdep=" + lem + "|" + c.dep_,
        "subj=" + sc.split(":")[0],
        "subjfull=" + sc,
        "Lsubj=" + lem + "|" + sc.split(":")[0],
        "neg=" + str(any(k.dep_ == "neg" for k in c.children)),
        "inq=" + str(ctx.in_quote(c)),
        "role=" + ctx.role,
        "Lsubjfull=" + lem + "|" + sc,
    ]
    if c.dep_ in ("xcomp", "advcl", "conj", "pcomp") and c.head.pos_ in ("VERB", "AUX"):
        f.append("gov=" + word(c.head))
        f.append("govL=" + word(c.head) + "|" + lem)
    if c.pos_ == "NOUN":
        f.append("Nhead=" + word(c.head) + "|" + c.dep_)
    return lem, sc, f


def features(ctx: ParaCtx, p: Pair, cache: dict[int, tuple[str, str, list[str]]] | None = None) -> list[str]:
    """The features of one pair; ``cache`` (one dict per paragraph) keeps the cue word's part."""
    c, h = p.cue, p.head
    if cache is None:
        cache = {}
    if c.i not in cache:
        cache[c.i] = _cue_features(ctx, c)
    lem, sc, shared = cache[c.i]
    path = p.path_label
    first = p.path[0]
    ntok = p.last - p.first + 1
    nb = "1" if ntok <= 1 else "2-3" if ntok <= 3 else "4-8" if ntok <= 8 else "9-20" if ntok <= 20 else "21+"
    clause = str(any(k.dep_ in ("nsubj", "nsubjpass") for k in h.children))
    mark = next((k.lower_ for k in h.children if k.dep_ == "mark"), "")
    hw = word(h)
    return shared + [
        "P=" + path,
        "LP=" + lem + "|" + path,
        "L1=" + lem + "|" + first.dep_ + ":" + (word(first.lower_) if first.dep_ in ("prep", "prt", "agent") else ""),
        "hdep=" + h.dep_,
        "htag=" + h.tag_,
        "Phtag=" + path + "|" + h.tag_,
        "hent=" + (h.ent_type_ or "-"),
        "Psubj=" + path + "|" + sc.split(":")[0],
        "len=" + nb,
        "Plen=" + path + "|" + nb,
        "clause=" + clause,
        "Lclause=" + lem + "|" + clause,
        "mark=" + mark,
        "Lmark=" + lem + "|" + mark,
        "depth=" + str(len(p.path)),
        "hL=" + hw,
        "LhL=" + lem + "|" + hw,
        "hfirst=" + word(ctx.doc[p.first].lower_),
    ]


def _logistic(w: dict[str, float], feats: list[str]) -> float:
    return sigmoid(score(w, feats))


class Model:
    """Weights of a logistic model over :func:`features`; ``lemmas`` are the cue words it knows."""

    def __init__(self, weights: dict[str, float], lemmas: frozenset[str], threshold: float, about: str = "",
                 threshold_no_source: float = 0.8, boundary: dict[str, float] | None = None,
                 filter: dict[str, float] | None = None, min_confidence: float = 0.0, threshold_light: float = 0.5,
                 meta: store.Meta | None = None):
        self.weights = weights
        self.meta = meta  # what the file says about itself (``learned.store``); a trainer sets it
        self.boundary = boundary or {}
        self.filter = filter or {}
        self.min_confidence = min_confidence
        self.lemmas = lemmas
        self.threshold = threshold
        self.threshold_no_source = max(threshold, threshold_no_source)
        self.threshold_light = max(threshold, threshold_light)
        self.about = about

    def prob(self, feats: list[str]) -> float:
        """Probability that the pair is an attribution (its cue word and about its phrase)."""
        return _logistic(self.weights, feats)

    def with_threshold(self, threshold: float) -> Model:
        return Model(self.weights, self.lemmas, threshold, self.about, self.threshold_no_source, self.boundary,
                     self.filter, self.min_confidence, self.threshold_light, self.meta)

    def keep_prob(self, feats: list[str]) -> float:
        """Probability that a proposed attribution (rules' or learned) is a real one."""
        return round(_logistic(self.filter, feats), 3)

    def exactness(self, feats: list[str]) -> float:
        """Score of the phrase being exactly the content (to choose among one cue word's phrases)."""
        return score(self.boundary or self.weights, feats)

    def to_json(self) -> dict[str, Any]:
        return {"about": self.about, "threshold": self.threshold, "threshold_no_source": self.threshold_no_source,
                "threshold_light": self.threshold_light, "lemmas": sorted(self.lemmas),
                "min_confidence": self.min_confidence,
                "weights": _rounded(self.weights), "boundary": _rounded(self.boundary), "filter": _rounded(self.filter)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Model:
        return cls(dict(d["weights"]), frozenset(d["lemmas"]), float(d["threshold"]), d.get("about", ""),
                   float(d.get("threshold_no_source", 0.8)), d.get("boundary"), d.get("filter"),
                   float(d.get("min_confidence", 0.0)), float(d.get("threshold_light", 0.5)))


    def to_text(self) -> str:
        """The stored form: a ``#`` line with the settings as JSON, then ``feature<TAB>weight<TAB>
        boundary<TAB>filter`` per feature (an empty column: no weight), sorted by feature."""
        d = self.to_json()
        tables = [d.pop(t) or {} for t in _TABLES]
        lines = ["# " + json.dumps(d, sort_keys=True, ensure_ascii=False)]
        for k in sorted(set().union(*tables)):
            if "\t" in k or "\n" in k:
                raise ValueError(f"feature name {k!r} cannot be stored (tab or newline)")
            lines.append("\t".join([k, *("" if k not in t else repr(t[k]) for t in tables)]))
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str, meta: store.Meta | None = None) -> Model:
        head, _, body = text.partition("\n")
        if not head.startswith("# "):
            raise ValueError("not a quotegraph attribution model (no '# {settings}' first line)")
        d = json.loads(head[2:])
        tables: list[dict[str, float]] = [{} for _ in _TABLES]
        for line in body.splitlines():
            k, *vals = line.split("\t")
            for t, v in zip(tables, vals, strict=False):
                if v:
                    t[k] = float(v)
        for name, t in zip(_TABLES, tables, strict=False):
            d[name] = t or None
        d["weights"] = d["weights"] or {}
        model = cls.from_json(d)
        model.meta = meta
        return model


def _rounded(w: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in sorted(w.items()) if abs(v) >= 1e-3}


def save(model: Model, path: Path = MODEL_FILE) -> Path:
    """Write the model with its metadata (``learned.store``): the ``# meta`` line, then the table."""
    return store.save_text(model.meta, model.to_text(), path)


load = store.text_loader(store.ATTRIBUTIONS, Model.from_text)  # load(path=None): read once per process


def cue_span(p: Pair) -> tuple[int, int]:
    """The cue word, with the prepositions and particles on the way to the content when they
    follow it directly ('called for', 'went on to discuss')."""
    doc = p.cue.doc
    a = b = p.cue.i
    inside = {t.i for t in p.head.subtree}
    for t in p.path[:-1]:
        if t.i == b + 1 and t.i not in inside:
            b = t.i
        else:
            break
    while b + 1 < len(doc) and doc[b + 1].i not in inside and doc[b + 1].dep_ in ("prt", "prep") and doc[b + 1].head.i in range(a, b + 1) and doc[b + 1].i < p.head.left_edge.i:
        b += 1
    return doc[a].idx, doc[b].idx + len(doc[b].text)



def _forecast(c: Token) -> bool:
    """'Tickets are expected to go on sale': a passive forecast with no source is the writer's."""
    return c.lemma_.lower() in FORECAST_VERBS and any(k.dep_ in ("nsubjpass", "auxpass") for k in c.children)


def learned_candidates(ctx: ParaCtx, cands: list[Candidate], model: Model) -> list[Candidate]:
    """Pairs the model scores above its threshold, where the rules found nothing: one per cue word
    (its best phrase), none inside another attribution's content or over its quotations."""
    used_cues = {c.cue_token.i for c in cands if c.cue_token is not None}
    taken = [(s, e) for c in cands for s, e in c.content]
    # another attribution's cue or via ('Notes added that he continued: "..."') is neither a cue
    # word here nor inside a content found here
    others = [c.cue for c in cands if c.cue is not None] + [v for c in cands for v, _ in c.via]
    blocked = Intervals(taken + others)

    def skip(c: Token) -> bool:
        return (c.i in used_cues or c.lemma_.lower() in NOT_CUES or ctx.in_quote(c) or asked_of(c)
                or blocked.holds(c.idx))

    by_cue: dict[int, list[tuple[float, float, Pair]]] = {}
    cache: dict[int, tuple[str, str, list[str]]] = {}
    for p in pairs(ctx, model.lemmas, skip):
        f = features(ctx, p, cache)
        by_cue.setdefault(p.cue.i, []).append((model.prob(f), model.exactness(f), p))
    best: list[tuple[float, Pair]] = []
    for options in by_cue.values():
        pr = max(o[0] for o in options)
        light = options[0][2].cue.lemma_.lower() in LIGHT_VERBS  # 'takes effect', 'is a', 'made a'
        if pr >= (model.threshold_light if light else model.threshold):
            # the cue word is a cue: its phrase is the one most likely to be exactly the content
            best.append((pr, max(options, key=lambda o: o[1])[2]))
    out: list[Candidate] = []
    contents = Intervals(taken)  # the contents found before
    added: list[tuple[int, int]] = []  # ... and here
    other_starts = sorted(os_ for os_, _ in others)
    held = {id(q) for t in cands for q in t.quotes}  # the quotations the attributions so far hold
    for pr, p in sorted(best, key=lambda x: -x[0]):
        s, e = p.region
        k = bisect_left(other_starts, s)
        if contents.overlaps(s, e) or any(s < te and ts < e for ts, te in added) or (k < len(other_starts) and other_starts[k] < e) or NOT_CONTENT.match(ctx.text[s:e]):
            continue
        if count_tokens_between(ctx.doc, s, e) < 2:
            continue  # 'defended himself'
        kind, content, quotes = classify(ctx, s, e, p.cue.idx)
        if not held.isdisjoint(map(id, quotes)):
            continue
        c = p.cue
        subj = speaker_of(c)
        if subj is None and (pr < model.threshold_no_source or _forecast(c)):
            continue  # no source in the text: only the most certain, and no forecast
        cand = make_candidate(ctx, c, subj, kind, content, quotes, How.LEARNED, round(0.3 + 0.5 * pr, 3))
        cand.cue = cue_span(p)
        out.append(cand)
        taken.append((s, e))
        added.append((s, e))
        held.update(map(id, quotes))
    return out


class Proposed(Protocol):
    """What the filter reads of an attribution the extractor proposes (``attribute.records.Resolved``)."""

    cand: Candidate
    kind: str
    spans: list[tuple[int, int]]
    speaker: tuple[int, int] | None
    speaker_kind: str
    addressee: tuple[int, int] | None
    via: list[tuple[tuple[int, int], str]]
    role: str
    duplicate_para: bool
    also_at: list[tuple[int, int]]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def quote_features(r: Proposed, ctx: ParaCtx, text: str) -> list[str]:
    """Features of one resolved attribution (``attribute.records.Resolved``) for the learned filter."""
    c = r.cand
    how, kind = c.how or "-", r.kind
    lem = word(c.cue_token) if c.cue_token is not None else "-"
    nchar = sum(e - s for s, e in r.spans)
    first = text[r.spans[0][0] : r.spans[0][0] + 5].split(" ")[0].lower()
    spk = r.speaker_kind if r.speaker is not None else "none"
    spk_tok = c.speaker_token.lower_ if c.speaker_token is not None and c.speaker_token.pos_ == "PRON" else ""
    nested = c.cue_token is not None and ctx.in_quote(c.cue_token)
    conf = f"{round(c.confidence, 1):.1f}"
    return [
        "bias",
        "how=" + how,
        "kind=" + kind,
        "hk=" + how + "|" + kind,
        "L=" + lem,
        "hL=" + how + "|" + lem,
        "kL=" + kind + "|" + lem,
        "spk=" + spk,
        "hspk=" + how + "|" + spk,
        "Lspk=" + lem + "|" + spk,
        "pron=" + spk_tok,
        "role=" + r.role,
        "len=" + _bucket(nchar, (15, 30, 60, 120, 250, 500)),
        "hlen=" + how + "|" + _bucket(nchar, (15, 30, 60, 120, 250, 500)),
        "first=" + (first if first in ("that", "to", "the", "a", "an", "what", "how", "whether", "if", "he", "she", "it", "i", "we", "they") else "-"),
        "nested=" + str(nested),
        "hnested=" + how + "|" + str(nested),
        "via=" + str(bool(r.via)),
        "dup=" + str(r.duplicate_para),
        "conf=" + conf,
        "hconf=" + how + "|" + conf,
        "addr=" + str(r.addressee is not None),
        "pieces=" + str(min(len(r.spans), 3)),
        "also=" + str(bool(r.also_at)),
    ]
