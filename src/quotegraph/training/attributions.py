"""Train the learned stages (``quotegraph.learned.attributions``) on PolNeAR's train split.

1. The pair model. Every (cue word, governed phrase) pair of every paragraph, parsed exactly as
   ``extract`` parses it, is an example: *found* when a gold attribution has the cue word in its
   cue and a content that the phrase covers (each covers at least half of the other), *exact*
   when the phrase is that content as the scorer compares them. Two logistic models learn
   feature weights: one decides whether a cue word is a cue, the other which of its phrases is
   the content.
2. The filter. The whole extractor (rules + pair model) runs on the same articles; each
   attribution it proposes is an example, positive when it covers more than 30% of a gold
   content. To show the filter the pair model's real errors, the articles are split in two and
   each half is extracted with a pair model trained on the other half (cross-fitting).

Logistic regression by the one linear learner (``learned.linear``: AdaGrad SGD with L2, plain
Python, fixed seed): deterministic. The model
file holds weights over lemmas and dependency labels only, no corpus text.

Reproduce with::

    quotegraph train attributions PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ..attribute.records import Prepared
from ..evaluation.metrics import exact_key, length, merge_spans, overlap, spans_of
from ..evaluation.polnear import PolnearArticle
from ..learned import store
from ..learned.attributions import MODEL_FILE, Model, features, pairs, quote_features, save, word
from ..learned.linear import fit_logistic

__all__ = ["MODEL_FILE", "Parsed", "corpus_meta", "filter_examples", "learn", "pair_examples", "pair_model", "parse_articles", "save"]

DETECT_THRESHOLD = 0.15  # pair probability from which a cue word is a cue (chosen on dev)
NO_SOURCE_THRESHOLD = 0.5  # the same for a cue word with no source in the text
LIGHT_THRESHOLD = 0.5  # the same for a light verb ('is', 'made', 'takes')
MIN_CONFIDENCE = 0.35  # filter probability under which an attribution is dropped (chosen on dev)
LEARNING_RATE = 0.02
FOLDS = 2


@dataclass
class Parsed:
    article: PolnearArticle
    prepared: Prepared  # laid out and parsed


def parse_articles(root: str, split: str = "train", *, limit: int | None = None,
                   on_article: Callable[[], None] | None = None, extractor=None,
                   only: Collection[str] | None = None) -> list[Parsed]:
    """The articles of ``split`` (those named in ``only``, when given), laid out and parsed as
    ``extract`` does it."""
    from ..evaluation.polnear import load_split
    from ..pipeline import Extractor
    from ..read.readers import read_string

    if split == "test":
        raise ValueError("the test split is held out: never train on it")
    articles = load_split(root, split, limit=limit)
    if only is not None:
        articles = [a for a in articles if a.name in only]
    ex = extractor or Extractor()
    out: list[Parsed] = []
    for k in range(0, len(articles), 16):
        batch = articles[k : k + 16]
        prepared = [ex.prepare(read_string(a.text, name=a.name, format="text")) for a in batch]
        ex.parse(prepared)
        for art, prep in zip(batch, prepared, strict=False):
            out.append(Parsed(art, prep))
            if on_article is not None:
                on_article()
    return out


def corpus_meta(spec: store.ModelFile, articles: Sequence[PolnearArticle], split: str, limit: int | None,
                *, extra: Sequence[tuple[str, bytes]] = (), data: str | None = None) -> store.Meta:
    """The metadata of a model trained on these PolNeAR articles: the split, how many (or
    ``data``), and a digest of each article's text and annotation file and of the ``extra``
    inputs (name, content) (``store.inputs_digest``)."""
    items: list[tuple[str, bytes]] = list(extra)
    for a in articles:
        items.append((f"{split}/text/{a.name}.txt", a.text.encode("utf-8")))
        if a.ann_path is not None:
            items.append((f"{split}/attributions/{a.ann_path.name}", a.ann_path.read_bytes()))
    return spec.meta(data or f"PolNeAR {split} split, {len(articles)} articles", store.inputs_digest(items), split=split, limit=limit)


def pair_examples(parsed: list[Parsed], *, min_cue: int = 2) -> tuple[list[tuple[int, list[str], int, int]], frozenset[str]]:
    """(article index, features, found, exact) for every pair whose cue lemma heads a gold cue
    ``min_cue`` times or more, and those lemmas."""

    rows: list[tuple[int, str, list[str], int, int]] = []
    cue_heads: Counter[str] = Counter()
    for n, item in enumerate(parsed):
        art, prep = item.article, item.prepared
        gold = [(spans_of(a.cue), merge_spans(spans_of(a.content))) for a in art.attributions if a.cue and a.content]
        for ctx in prep.ctxs:
            if ctx.role == "source":
                continue
            cache: dict = {}
            for p in pairs(ctx):
                cs = ctx.offset + p.cue.idx
                region = (ctx.offset + p.region[0], ctx.offset + p.region[1])
                found = exact = 0
                for cue, content in gold:
                    if not any(s <= cs < e for s, e in cue):
                        continue
                    ov = overlap([region], content)
                    if ov >= 0.5 * (region[1] - region[0]) and ov >= 0.5 * length(content):
                        found = 1
                        exact = int(exact_key(art.text, [region]) == exact_key(art.text, content))
                        break
                rows.append((n, p.cue.lemma_.lower(), features(ctx, p, cache), found, exact))
        for cue, _content in gold:  # the lemma heading each gold cue
            at = next((c for c in prep.ctxs if c.offset <= cue[0][0] < c.offset + len(c.text)), None)
            if at is None:
                continue
            toks = [t for t in at.doc if any(s <= at.offset + t.idx < e for s, e in cue)]
            heads = [t for t in toks if t.head not in toks or t.head.i == t.i]
            if heads:
                cue_heads[heads[0].lemma_.lower()] += 1
    lemmas = frozenset(lem for lem, k in cue_heads.items() if k >= min_cue and word(lem) == lem)
    return [(n, f, y, e) for n, lem, f, y, e in rows if lem in lemmas], lemmas


def pair_model(rows: list[tuple[int, list[str], int, int]], lemmas: frozenset[str]) -> Model:
    X = [r[1] for r in rows]
    return Model(fit_logistic(X, [r[2] for r in rows], lr=LEARNING_RATE), lemmas, DETECT_THRESHOLD, threshold_no_source=NO_SOURCE_THRESHOLD,
                 boundary=fit_logistic(X, [r[3] for r in rows], lr=LEARNING_RATE), threshold_light=LIGHT_THRESHOLD)


def pair_finder(parsed: list[Parsed]) -> Model:
    """The learned pair finder alone (no filter), from the parse and the gold only: what the
    speaker and boundary trainers propose candidates with, as ``extract`` does, without reading
    the attribution model they come before in ``make retrain``."""
    rows, lemmas = pair_examples(parsed)
    return pair_model(rows, lemmas)


def filter_examples(parsed: list[Parsed], model: Model) -> tuple[list[list[str]], list[int]]:
    """Features and labels of every attribution the extractor proposes with ``model``."""
    from ..pipeline import Options, attributions

    options = Options()
    X: list[list[str]] = []
    Y: list[int] = []
    for item in parsed:
        prep = item.prepared
        gold = [merge_spans(spans_of(a.content)) for a in item.article.attributions if a.content]
        ctxs = {c.index: c for c in prep.ctxs}
        found, _people = attributions(prep, options, model)
        for r in found:
            X.append(quote_features(r, ctxs[r.para], prep.layout.text))
            Y.append(int(any(overlap(merge_spans(r.spans), g) > 0.3 * length(g) for g in gold)))
    return X, Y


def learn(root: str, split: str = "train", *, limit: int | None = None,
          on_article: Callable[[], None] | None = None, on_step: Callable[[str], None] | None = None) -> Model:
    step = on_step or (lambda msg: None)
    parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    step("pairs")
    rows, lemmas = pair_examples(parsed)
    FX: list[list[str]] = []
    FY: list[int] = []
    for k in range(FOLDS):
        step(f"filter examples, fold {k + 1}/{FOLDS}")
        other = pair_model([r for r in rows if r[0] % FOLDS != k], lemmas)
        x, y = filter_examples([p for n, p in enumerate(parsed) if n % FOLDS == k], other)
        FX += x
        FY += y
    step("final models")
    model = pair_model(rows, lemmas)
    model.filter = fit_logistic(FX, FY, lr=LEARNING_RATE)
    model.min_confidence = MIN_CONFIDENCE
    model.meta = corpus_meta(store.ATTRIBUTIONS, [p.article for p in parsed], split, limit)
    model.about = (f"learned attribution pairs and filter: logistic weights over lemmas and dependency labels "
                   f"(no text); {split} split, {len(parsed)} articles, {len(rows)} pairs ({sum(r[2] for r in rows)} found), "
                   f"{len(FX)} proposed attributions ({sum(FY)} real)")
    return model

