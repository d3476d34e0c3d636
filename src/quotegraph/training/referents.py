"""Train the referent ranker (``quotegraph.attribute.referents``) on PolNeAR's train split.

PolNeAR marks each attribution's source mention but not what a pronoun refers to. The labels come
from the mentions that do say who they are: a gold source written as a name ('Okafor said') of a
person the article named before. Such a mention is taken as an anaphor of that person's gender,
its name hidden (no feature reads a name or a word), and the ranker learns which of the people
mentioned before it is meant, from distance, agreement, the syntactic role of their last mention
and who spoke last. The rule it replaces (the nearest person of the same gender) is scored on the
same examples.

Reproduce with::

    quotegraph train referents PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..attribute.referents import Anaphor, Discourse, Ranker, ReferentModel
from ..evaluation.metrics import merge_spans, spans_of
from ..learned import store
from ..learned.linear import Group, fit_choice
from .attributions import Parsed, corpus_meta, parse_articles

EPOCHS = 8
FOLDS = 5
#: feature groups left out. By 5-fold cross-validation by article on PolNeAR train
#: (``cross_validate``; 3,954 named mentions; top-1 accuracy): all features 71.1, without the
#: interactions dep|sd and agr|rank 71.3, without the syntactic role 70.9, without the counts
#: 70.4, without the discourse features (last speaker, quotation's speaker, first person) 63.3,
#: without the last speaker alone 63.1; the rule (the nearest person of the mention's gender)
#: 49.9. The distance features (rank, sentences, paragraphs) and 'first person' are left out
#: too (69.1): on these examples they learn that the nearest person is *not* meant, which is
#: why the writer named someone instead of writing a pronoun; on a real pronoun that inverts
#: the nearest-first order the ranker falls back on among equals ('She said' after a sentence
#: about one woman went to the woman named before her).
DROPPED: tuple[str, ...] = ("rank=", "sd=", "pd=", "dep|sd", "agr|rank", "first=", "prev|sd")


def _kept(feats: list[str], dropped: Sequence[str]) -> list[str]:
    return [f for f in feats if not any(f.startswith(d) for d in dropped)]


def article_examples(item: Parsed, dropped: Sequence[str] = ()) -> tuple[list[Group], list[int]]:
    """The groups of one article (a named source mention of a person named before, its
    candidates labelled) and, for each, whether the rule (the nearest person of the mention's
    gender) finds the right one."""
    from ..people.registry import People

    ctxs = [c for c in item.prepared.ctxs]
    people = People(ctxs)
    ranker = Ranker(people, Discourse(ctxs), ReferentModel({}))
    attrs = sorted((a for a in item.article.attributions if a.source),
                   key=lambda a: merge_spans(spans_of(a.source))[0])
    groups: list[Group] = []
    rule: list[int] = []
    previous: str | None = None
    for a in attrs:
        source = merge_spans(spans_of(a.source))
        ent = next((e for e in map(people.at, source) if e is not None and e.kind == "person"), None)
        text = item.article.text[source[0][0] : source[0][1]].strip().lower()
        if ent is None:
            if text not in ("he", "she"):
                previous = None
            continue
        pos = min(s for s, e in ent.mentions if any(s < b and a0 < e for a0, b in source))
        gender = people.gender_of(ent)
        if gender is not None:
            anaphor = Anaphor(pos, gender, skip=tuple(merge_spans(spans_of(a.content))), previous=previous)
            cands = ranker.candidates(anaphor)
            labels = [int(e.id == ent.id) for e, _, _ in cands]
            if len(cands) >= 2 and any(labels):
                feats = [_kept(ranker.features(anaphor, e, last, n, k), dropped) for k, (e, last, n) in enumerate(cands)]
                groups.append((feats, labels))
                nearest = next((e for e, _, _ in cands if ranker.agreement(anaphor, e) != "no"), None)
                rule.append(int(nearest is not None and nearest.id == ent.id))
        previous = ent.id
    return groups, rule


def examples(parsed: list[Parsed], dropped: Sequence[str] = ()) -> list[tuple[list[Group], list[int]]]:
    return [article_examples(p, dropped) for p in parsed]


def fit(groups: Sequence[Group]) -> dict[str, float]:
    return fit_choice(groups, epochs=EPOCHS)


def accuracy(weights: dict[str, float], groups: Sequence[Group]) -> int:
    """How many groups the weights rank a right candidate first in (the nearer first among equals)."""
    from ..learned.linear import score

    right = 0
    for X, Y in groups:
        zs = [score(weights, fs) for fs in X]
        best = max(range(len(zs)), key=lambda k: (zs[k], -k))
        right += Y[best]
    return right


def cross_validate(per_article: list[tuple[list[Group], list[int]]], folds: int = FOLDS) -> dict[str, float]:
    """Accuracy of the ranker (trained on the other folds) and of the rule, over folds by article."""
    n = right = rule = 0
    for k in range(folds):
        train = [g for i, (gs, _) in enumerate(per_article) if i % folds != k for g in gs]
        test = [g for i, (gs, _) in enumerate(per_article) if i % folds == k for g in gs]
        w = fit(train)
        right += accuracy(w, test)
        rule += sum(r for i, (_, rs) in enumerate(per_article) if i % folds == k for r in rs)
        n += len(test)
    return {"groups": n, "ranker": right / max(n, 1), "rule": rule / max(n, 1)}


def learn(root: str, split: str = "train", *, limit: int | None = None, parsed: list[Parsed] | None = None,
          on_article: Callable[[], None] | None = None, on_step: Callable[[str], None] | None = None) -> ReferentModel:
    step = on_step or (lambda msg: None)
    if parsed is None:
        parsed = parse_articles(root, split, limit=limit, on_article=on_article)
    step("referent examples")
    groups = [g for gs, _ in examples(parsed, DROPPED) for g in gs]
    step("referent model")
    w = fit(groups)
    about = (f"referents of pronouns and roles: conditional logit over agreement, syntactic role, salience and "
             f"discourse features (no text); {split} split, {len(parsed)} articles, {len(groups)} named mentions "
             f"of a person named before")
    return ReferentModel(w, about, corpus_meta(store.REFERENTS, [p.article for p in parsed], split, limit))
