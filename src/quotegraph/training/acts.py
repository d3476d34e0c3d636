"""Train the act model (``quotegraph.learned.acts``) on the hand-labelled PolNeAR train cues.

The labels (``eval/acts/polnear-train.jsonl``: article, cue offsets, act, factuality; no text)
were made by reading each cue in its article. Every labelled article is laid out and parsed as
``extract`` does it; the cue's head token gives the features. Which feature groups the model uses
is chosen by forward selection on 5-fold cross-validation (folds by article): starting from the
bias alone, the group that raises the mean cross-validated accuracy most is added while one does.
One logistic model per act (one against the rest) by ``learned.linear.fit_logistic``:
deterministic (fixed seed, sorted features).

Reproduce with::

    quotegraph train acts PATH/TO/PolNeAR --split train
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from ..decide.acts import factuality
from ..learned import store
from ..learned.acts import ACTS, GROUPS, MODEL_FILE, ActModel, features, head_of, save
from ..learned.linear import fit_logistic
from .attributions import Parsed, corpus_meta, parse_articles

__all__ = ["LABELS_FILE", "MODEL_FILE", "Example", "cross_validate", "fit", "learn", "read_labels", "save", "select_groups"]

#: the hand labels, in the source tree (not in the installed package)
LABELS_FILE = Path(__file__).resolve().parents[3] / "eval" / "acts" / "polnear-train.jsonl"
FOLDS = 5
EPOCHS = 20
LEARNING_RATE = 0.1


@dataclass(frozen=True)
class Label:
    doc: str
    cue: tuple[tuple[int, int], ...]
    act: str
    factuality: str


@dataclass
class Example:
    doc: str
    cue: Token
    act: str
    factuality: str


def read_labels(path: Path = LABELS_FILE) -> list[Label]:
    """The labelled cues; a missing or malformed file is a ValueError naming it."""
    if not path.is_file():
        raise ValueError(f"{path}: the act labels are missing (they live in the source tree: eval/acts/)")
    out: list[Label] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            label = Label(str(d["doc"]), tuple((int(s), int(e)) for s, e in d["cue"]), str(d["act"]), str(d["factuality"]))
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}:{n}: not a label ({e})") from None
        if label.act not in ACTS or label.factuality not in ("asserted", "negated", "hypothetical"):
            raise ValueError(f"{path}:{n}: unknown act or factuality ({label.act}, {label.factuality})")
        out.append(label)
    return out


def examples(parsed: Sequence[Parsed], labels: Sequence[Label]) -> list[Example]:
    """Each label's cue head token in the parse (a label whose cue no token covers is skipped)."""
    by_doc: dict[str, list[Label]] = {}
    for lab in labels:
        by_doc.setdefault(lab.doc, []).append(lab)
    out: list[Example] = []
    for item in parsed:
        for lab in by_doc.get(item.article.name, []):
            toks = [t for ctx in item.prepared.ctxs for t in ctx.doc
                    if any(s <= ctx.offset + t.idx < e for s, e in lab.cue) and not t.is_space]
            words = [t for t in toks if not t.is_punct] or toks
            if words:
                out.append(Example(lab.doc, head_of(words), lab.act, lab.factuality))
    return out


def fit(rows: Sequence[tuple[list[str], str]]) -> dict[str, dict[str, float]]:
    """One logistic weight table per act (that act against the rest)."""
    X = [f for f, _ in rows]
    return {act: fit_logistic(X, [int(a == act) for _, a in rows], epochs=EPOCHS, lr=LEARNING_RATE) for act in ACTS}


def _fold(docs: Sequence[str]) -> dict[str, int]:
    return {d: i % FOLDS for i, d in enumerate(sorted(set(docs)))}


def cross_validate(exs: Sequence[Example], groups: Sequence[str]) -> dict[str, Any]:
    """Accuracy over ``FOLDS`` folds by article, overall and per gold act (recall), and the
    confusion counts (gold -> predicted)."""
    fold = _fold([e.doc for e in exs])
    feats = [features(e.cue, groups) for e in exs]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    for k in range(FOLDS):
        train = [(f, e.act) for f, e in zip(feats, exs, strict=True) if fold[e.doc] != k]
        model = ActModel(fit(train), tuple(groups))
        for f, e in zip(feats, exs, strict=True):
            if fold[e.doc] != k:
                continue
            got = model.act_of_features(f)
            total[e.act] += 1
            right[e.act] += got == e.act
            confusion[f"{e.act}->{got}"] += 1
    n = sum(total.values())
    return {"accuracy": round(sum(right.values()) / n, 4) if n else 0.0,
            "per_act": {a: round(right[a] / total[a], 4) for a in ACTS if total[a]},
            "support": {a: total[a] for a in ACTS if total[a]},
            "confusion": dict(sorted(confusion.items()))}


def select_groups(exs: Sequence[Example], on_step: Callable[[str], None] | None = None) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Forward selection of feature groups by cross-validated accuracy; the groups and the trail
    (each step's group and accuracy)."""
    chosen: list[str] = []
    best = cross_validate(exs, chosen)["accuracy"]
    trail: list[dict[str, Any]] = [{"groups": [], "accuracy": best}]
    while True:
        tried = {g: cross_validate(exs, [*chosen, g])["accuracy"] for g in GROUPS if g not in chosen}
        if not tried:
            break
        g, acc = max(tried.items(), key=lambda kv: (kv[1], -GROUPS.index(kv[0])))
        if acc <= best:
            break
        chosen.append(g)
        best = acc
        trail.append({"groups": list(chosen), "accuracy": acc})
        if on_step is not None:
            on_step(f"chose {g}: CV accuracy {acc:.3f}")
    return tuple(g for g in GROUPS if g in chosen), trail


def factuality_agreement(exs: Sequence[Example]) -> dict[str, Any]:
    """How often the grammar (``decide.acts.factuality``) gives the hand label, per label."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for e in exs:
        total[e.factuality] += 1
        right[e.factuality] += factuality(e.cue) == e.factuality
    n = sum(total.values())
    return {"accuracy": round(sum(right.values()) / n, 4) if n else 0.0,
            "per_label": {k: round(right[k] / total[k], 4) for k in sorted(total)}}


def learn(root: str, split: str = "train", *, limit: int | None = None, labels: Path = LABELS_FILE,
          on_article: Callable[[], None] | None = None, on_step: Callable[[str], None] | None = None) -> ActModel:
    """The act model from the labelled cues of ``split`` (train only: the labels are of train)."""
    if split != "train":
        raise ValueError(f"the act labels are of the train split, not {split!r}")
    labs = read_labels(labels)
    parsed = parse_articles(root, split, limit=limit, on_article=on_article, only={lab.doc for lab in labs})
    exs = examples(parsed, labs)
    if not exs:
        raise ValueError(f"no labelled cue of {labels} was found in {root}")
    if on_step is not None:
        on_step(f"choosing features on {len(exs)} cues")
    groups, trail = select_groups(exs, on_step)
    cv = cross_validate(exs, groups)
    cv["selection"] = trail
    cv["factuality_rules"] = factuality_agreement(exs)
    weights = fit([(features(e.cue, groups), e.act) for e in exs])
    per_act = ", ".join(f"{a} {v:.2f}" for a, v in cv["per_act"].items())
    about = (f"act model: {len(exs)} hand-labelled cues, features {'+'.join(groups)}; "
             f"{FOLDS}-fold CV accuracy {cv['accuracy']:.3f} ({per_act})")
    data = f"PolNeAR {split} split: {len(exs)} cues labelled by hand (eval/acts/{labels.name}) in {len(parsed)} articles"
    meta = corpus_meta(store.ACTS, [p.article for p in parsed], split, limit,
                       extra=[(f"eval/acts/{labels.name}", labels.read_bytes())], data=data)
    return ActModel(weights, groups, about, meta, cv)
