"""Learn the cue lexicon from an annotated corpus (PolNeAR's train split).

For every lemma that heads a gold cue, count how often it is a cue and how often it occurs at
all, and which dependency links the cue to its content. The result is a small table of lemmas and
counts (no corpus text), shipped as ``quotegraph/data/cues.json`` and read by ``lexicon.py``.

Reproduce with::

    quotegraph train cues PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..attribute.attribution import frame_of
from ..learned import store
from .attributions import corpus_meta

DATA_FILE = store.CUES.packaged


def _head_of(tokens):
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:  # spaCy makes a new Token per access: compare indices
            return t
    return tokens[0]


def learn(root: str, split: str = "train", *, min_gold: int = 3, on_article: Callable[[], None] | None = None) -> dict[str, Any]:
    """The table: ``about``, ``split``, ``articles``, ``cues`` ({'say/VERB': {gold, total, deps,
    frames}}), and ``meta`` (a ``store.Meta``, written as the file's metadata)."""
    from ..evaluation.polnear import load_split
    from ..pipeline.nlp import load_model

    if split == "test":
        raise ValueError("the test split is held out: never train on it")
    articles = load_split(root, split)
    nlp = load_model()
    gold: Counter[str] = Counter()
    total: Counter[str] = Counter()
    deps: dict[str, Counter[str]] = defaultdict(Counter)
    frame_total: dict[str, Counter[str]] = defaultdict(Counter)
    frame_gold: dict[str, Counter[str]] = defaultdict(Counter)
    texts = [a.text for a in articles]
    for art, doc in zip(articles, nlp.pipe(texts, batch_size=8), strict=False):
        for t in doc:
            if t.pos_ in ("VERB", "NOUN"):
                total[f"{t.lemma_.lower()}/{t.pos_}"] += 1
            if t.pos_ == "VERB":
                frame_total[t.lemma_.lower()][frame_of(t)] += 1
        for att in art.attributions:
            cue_spans = [tuple(x) for x in att.cue]
            if not cue_spans:
                continue
            toks = [t for t in doc if any(s <= t.idx < e for s, e in cue_spans)]
            if not toks:
                continue
            if any(t.lower_ == "according" for t in toks):
                continue
            head = _head_of(toks)
            if head.pos_ not in ("VERB", "NOUN"):
                continue
            key = f"{head.lemma_.lower()}/{head.pos_}"
            gold[key] += 1
            if head.pos_ == "VERB":
                frame_gold[head.lemma_.lower()][frame_of(head)] += 1
            content = [tuple(x) for x in att.content]
            ctoks = [t for t in doc if any(s <= t.idx < e for s, e in content)]
            if ctoks:
                ch = _head_of(ctoks)
                rel = ch.dep_ if ch.head.i == head.i else ("head" if head.head.i == ch.i or head in ch.subtree else "other")
                deps[key][rel] += 1
        if on_article is not None:
            on_article()
    table = {}
    for key, n in gold.most_common():
        if n < min_gold:
            continue
        row = {"gold": n, "total": total[key], "deps": dict(deps[key].most_common(6))}
        lemma, _, pos = key.partition("/")
        if pos == "VERB":
            row["frames"] = {f: [frame_gold[lemma][f], frame_total[lemma][f]] for f in frame_total[lemma]}
        table[key] = row
    return {"about": "cue lemmas learned from an annotated corpus: counts only, no text", "split": split,
            "articles": len(articles), "cues": table, "meta": corpus_meta(store.CUES, articles, split, None)}


def save(table: dict[str, Any], path: Path = DATA_FILE) -> Path:
    """Write the table indented (one count a line: a retrain changes only the lines that moved),
    with its metadata first."""
    payload = {k: v for k, v in table.items() if k != "meta"}
    return store.save_json(table["meta"], payload, path, indent=1)
