"""Find attributions in one parsed paragraph: content, cue, speaker mention, addressee, via.

The finder families run in order over the paragraph's parse (its normalised view):

1. quote first (``quote_finders``): every direct quotation looks for its cue;
2. verb first (``verb_finders``): every reporting verb with a clausal complement gives an
   indirect or mixed quote, and "as X said" asides;
3. vias (``vias``): the sources a reported quote passes through, then ``according to X``;
4. reporting nouns ("his claim that ...").

Then a reporting verb inside another attribution's content is dropped, and an attribution whose cue
stands inside another's quoted content is nested in it.
"""

from __future__ import annotations

import functools
from collections import Counter

from ..attribute.attribution import Candidate, How, Intervals, ParaCtx, via_distance
from ..attribute.vias import according_to, collect_vias, leader_vias
from .quote_finders import label_attribution, nested_quote_first, quote_first
from .verb_finders import as_asides, noun_cues, verb_first


def find_in_paragraph(ctx: ParaCtx) -> list[Candidate]:
    used: set[int] = set()
    lab = label_attribution(ctx)
    if lab is not None:
        return [lab]
    direct = quote_first(ctx, used)
    nested = nested_quote_first(ctx, used)
    verbal = verb_first(ctx, used, direct)
    verbal += as_asides(ctx, used, direct + verbal)
    cands = direct + nested + verbal
    cands = collect_vias(ctx, cands)
    leader_vias(ctx, cands)
    # a reporting verb inside another attribution's content, outside quotation marks, is part of it
    cands = _outside_others(ctx, cands)
    cands += according_to(ctx, cands)
    cands += noun_cues(ctx, used, cands)
    for c in cands:
        if c.cue is not None and len(c.via) > 1:
            c.via.sort(key=functools.partial(via_distance, c.cue[0]))
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


def _outside_others(ctx: ParaCtx, cands: list[Candidate]) -> list[Candidate]:
    """The candidates but the verb ones whose cue (outside quotation marks) stands in another
    candidate's content (counted by bisection: the contents holding the cue, less its own)."""
    contents = Intervals([span for o in cands for span in o.content])
    copies = Counter(map(id, cands))
    keep = []
    for c in cands:
        if c.cue_token is None or ctx.in_quote(c.cue_token) or c.how != How.VERB:
            keep.append(c)
            continue
        assert c.cue is not None  # a verb finder's candidate has its cue
        x = c.cue[0]
        own = copies[id(c)] * sum(cs <= x < ce for cs, ce in c.content)
        if contents.count_holding(x) - own <= 0:
            keep.append(c)
    return keep
