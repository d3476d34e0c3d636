"""Tables of a parse: the answers spaCy gives by a walk at each call, made once per parse.

``Token.sent`` scans the sentence for its ends, ``Token.subtree`` walks it (finding each token's
children between its edges), and ``Doc.ents`` builds every entity span. Asked once per verb or
mention of a paragraph of thousands of tokens, that is quadratic. These tables, made on first use
and kept in the parse's ``user_data``, give the same answers by lookup and bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

_TABLES = "quotegraph.tables"


def _tables(doc: Doc) -> dict:
    got = doc.user_data.get(_TABLES)
    if got is None or got["n"] != len(doc):
        got = doc.user_data[_TABLES] = {"n": len(doc)}
    return got


def sentence(tok: Token) -> Span:
    """``tok.sent``."""
    doc = tok.doc
    if doc.user_token_hooks or doc.user_span_hooks or doc.user_hooks:
        return tok.sent
    tables = _tables(doc)
    if "sents" not in tables:
        sents = list(doc.sents)
        of = [0] * len(doc)
        for k, sent in enumerate(sents):
            of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        tables["sents"] = (of, sents)
    of, sents = tables["sents"]
    return sents[of[tok.i]]


def subtree_extents(heads: list[int], is_child: Callable[[int, int], bool] | None = None) -> tuple[list[int], list[int], list[int]]:
    """For a tree given by each node's head (a root is its own head): each node's subtree size,
    first and last node, in one pass from the leaves up (``is_child(h, i)``: whether ``i``
    counts as a child of its head ``h``; all do unless told)."""
    kids: list[list[int]] = [[] for _ in heads]
    order = []
    for i, h in enumerate(heads):
        if h == i:
            order.append(i)
        else:
            kids[h].append(i)
    k = 0
    while k < len(order):  # top down; reversed, every child comes before its head
        order.extend(kids[order[k]])
        k += 1
    size, first, last = [1] * len(heads), list(range(len(heads))), list(range(len(heads)))
    for i in reversed(order):
        h = heads[i]
        if h != i and (is_child is None or is_child(h, i)):
            size[h] += size[i]
            first[h], last[h] = min(first[h], first[i]), max(last[h], last[i])
    return size, first, last


def _edges(doc: Doc) -> list[tuple[int, int]]:
    """Each token's left and right edge (the bounds spaCy scans for its children)."""
    tables = _tables(doc)
    if "edges" not in tables:
        tables["edges"] = [(t.left_edge.i, t.right_edge.i) for t in doc]
    return tables["edges"]


def _subtrees(doc: Doc) -> tuple[list[int], list[int], list[int]]:
    """Each token's ``subtree`` as spaCy gives it (a token's children are the tokens between its
    left and right edges that have it as head): its size, its first and last token index."""
    tables = _tables(doc)
    if "subtrees" not in tables:
        edges = _edges(doc)
        tables["subtrees"] = subtree_extents([t.head.i for t in doc], lambda h, i: edges[h][0] <= i <= edges[h][1])
    return tables["subtrees"]


def subtree_size(tok: Token) -> int:
    """``len(list(tok.subtree))``."""
    return _subtrees(tok.doc)[0][tok.i]


def subtree_ends(doc: Doc) -> tuple[list[int], list[int]]:
    """Each token's ``min(t.i for t in tok.subtree)`` and ``max(...)``."""
    _, first, last = _subtrees(doc)
    return first, last


def _ents(doc: Doc) -> tuple[tuple[Span, ...], list[int], list[int], list[int]]:
    tables = _tables(doc)
    if "ents" not in tables:
        ents = doc.ents  # in order, none overlapping
        tables["ents"] = (ents, [e.start for e in ents], [e.start_char for e in ents], [e.end_char for e in ents])
    return tables["ents"]


def entity_at(doc: Doc, i: int) -> Span | None:
    """The entity of ``doc.ents`` that holds token ``i``, if any."""
    ents, starts, _, _ = _ents(doc)
    k = bisect_right(starts, i) - 1
    return ents[k] if k >= 0 and i < ents[k].end else None


def entities_within(doc: Doc, s: int, e: int) -> tuple[Span, ...]:
    """The entities of ``doc.ents`` lying within characters [s, e), in order."""
    ents, _, start_chars, end_chars = _ents(doc)
    return ents[bisect_left(start_chars, s) : bisect_right(end_chars, e)]


def tokens_starting_in(doc: Doc, s: int, e: int) -> Span:
    """The tokens that start within characters [s, e): ``[t for t in doc if s <= t.idx < e]``."""
    tables = _tables(doc)
    if "idx" not in tables:
        tables["idx"] = [t.idx for t in doc]
    idx = tables["idx"]
    return doc[bisect_left(idx, s) : bisect_left(idx, e)]


def children(tok: Token) -> list[Token]:
    """``list(tok.children)`` (spaCy finds them by scanning between the token's edges, at each call)."""
    doc = tok.doc
    tables = _tables(doc)
    if "kids" not in tables:
        kids: list[list[int]] = [[] for _ in range(len(doc))]
        for t in doc:
            h = t.head.i
            if h != t.i:
                kids[h].append(t.i)
        edges = _edges(doc)
        tables["kids"] = [[i for i in ks if edges[h][0] <= i <= edges[h][1]] for h, ks in enumerate(kids)]
    return [doc[i] for i in tables["kids"][tok.i]]
