"""Train the speaker model (``quotegraph.attribute.speakers``) on PolNeAR's train split.

The extractor runs on every article as ``extract`` does, up to the speaker choice: each
attribution it proposes with a cue word, whose content covers a gold attribution's (30% of the
shorter), and whose gold source lies in the same paragraph, is one example set. Its candidates
(``speakers.candidates``) are labelled positive when they lie inside the gold source span. A
logistic model over ``speakers.features`` learns which candidate is the source. Deterministic (fixed seed, sorted features), plain Python.

Reproduce with::

    quotegraph train speakers PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections.abc import Callable

from ..attribute.speakers import SpeakerModel, candidates, features
from ..evaluation.metrics import length, merge_spans, overlap, spans_of
from ..learned import store
from ..learned.linear import fit_logistic
from .attributions import Parsed, corpus_meta, pair_finder, parse_articles

THRESHOLD_ADD = 0.5


def _heads_in(ctx, span: tuple[int, int], toks) -> set[int]:
    """The candidates inside the gold source span."""
    s, e = span
    return {t.i for t in toks if s <= ctx.offset + t.idx < e}


def examples(parsed: list[Parsed]) -> tuple[list[list[str]], list[int]]:
    from ..pipeline import Options, find_candidates

    # the rules' candidates and the learned pair finder's, from a pair model trained here from the
    # parse and the gold (``attributions.pair_finder``): this model is trained before the
    # attribution model, which learns from what it does (one pass of `make retrain`: no cycle)
    options = Options()
    pairs = pair_finder(parsed)
    X: list[list[str]] = []
    Y: list[int] = []
    for item in parsed:
        prep, art = item.prepared, item.article
        ctxs = {c.index: c for c in prep.ctxs}
        gold = [(merge_spans(spans_of(a.content)), merge_spans(spans_of(a.source)))
                for a in art.attributions if a.content and a.source]
        for c in find_candidates(prep, options, pairs):
            if c.cue_token is None or c.inherit_from is not None or (c.cue_para not in (None, c.para)):
                continue
            ctx = ctxs[c.para]
            spans = [(ctx.offset + s, ctx.offset + e) for s, e in c.content]
            best = None
            for content, source in gold:
                ov = overlap(spans, content)
                if ov > 0.3 * min(length(spans), length(content)) and (best is None or ov > best[0]):
                    best = (ov, source)
            if best is None:
                continue
            source = best[1]
            if not all(ctx.offset <= s and e <= ctx.offset + len(ctx.text) for s, e in source):
                continue
            rule = c.speaker_token if c.speaker_token is not None and c.speaker_token.doc is ctx.doc else None
            opts = candidates(ctx, c.cue_token, c.content, rule)
            pos: set[int] = set()
            for sp in source:
                pos |= _heads_in(ctx, sp, opts)
            labels = [int(t.i in pos) for t in opts]
            if not any(labels):
                continue
            for t, y in zip(opts, labels, strict=False):
                X.append(features(ctx, c, t, rule))
                Y.append(y)
    return X, Y


def learn(root: str, split: str = "train", *, limit: int | None = None, parsed: list[Parsed] | None = None,
          on_article: Callable[[], None] | None = None, on_step: Callable[[str], None] | None = None) -> SpeakerModel:
    step = on_step or (lambda msg: None)
    if parsed is None:
        parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    step("speaker examples")
    X, Y = examples(parsed)
    step("speaker model")
    w = fit_logistic(X, Y, epochs=8)
    about = (f"speaker choice: logistic weights over dependency labels, tags and dictionary words (no text); "
             f"{split} split, {len(parsed)} articles, {len(X)} candidates ({sum(Y)} sources)")
    return SpeakerModel(w, THRESHOLD_ADD, about, corpus_meta(store.SPEAKERS, [p.article for p in parsed], split, limit))
