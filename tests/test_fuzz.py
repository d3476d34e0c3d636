"""Fuzzing the extractor (hypothesis): random unicode with lone surrogates, quotation marks of
every script mixed and unbalanced, control characters, huge paragraphs, and mutated real pages
(../shared/datasets/webpages, read at test time; skipped when absent).

Whatever the input: no exception but a clear ``InputError``, every span inside the text with
start <= end, and every span's text given back by the article text.

CI runs a short budget; ``make fuzz`` runs the long one (QUOTEGRAPH_FUZZ_EXAMPLES, 100,000 in all).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotegraph
from quotegraph.errors import InputError
from quotegraph.models import iter_spans

TOTAL = int(os.environ.get("QUOTEGRAPH_FUZZ_EXAMPLES", "300"))
N_TESTS = 5
PER_TEST = max(10, TOTAL // N_TESTS)
FUZZ = settings(max_examples=PER_TEST, deadline=None, derandomize=TOTAL <= 1000, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])

WEBPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "webpages"

# quotation marks of many scripts: ASCII, English, German, French/Russian, Polish, CJK, fullwidth,
# dingbats, and primes/apostrophes that look like them
MARKS = ("\"'\u00ab\u00bb\u2039\u203a\u201e\u201c\u201d\u201a\u2018\u2019\u201b\u201f\u300c\u300d\u300e\u300f"
         "\u301d\u301e\u301f\uff02\uff07\u275b\u275c\u275d\u275e\u276e\u276f\u2e42\u2032\u2033`\u00b4\u3008\u3009\u300a\u300b")
CONTROLS = "".join(chr(c) for c in list(range(0, 32)) + [0x7f] + list(range(0x80, 0xa0))) + "\u200b\u200e\u200f\u202a\u202e\u2028\u2029\ufeff"
WORDS = ("said told the minister Smith Ana Ruiz reporters \u2014 , . : ; according to officials she he they "
         "added warned Mr. Dr. on Monday that we will never agree plan spokesman for a statement").split()

_ex = None


def extractor() -> quotegraph.Extractor:
    global _ex
    if _ex is None:
        _ex = quotegraph.Extractor()
    return _ex


def check(text: str, **kw) -> None:
    try:
        art = extractor().extract(text, **kw)
    except InputError:
        return  # refused with a clear reason (empty, binary, control characters): fine
    n = len(art.text)
    for label, t, (s, e) in iter_spans(art):
        assert 0 <= s <= e <= n, (label, s, e, n)
        if t is not None:
            assert art.text[s:e] == t, label
    art.model_dump_json()  # it can be serialised (no lone surrogate left)


any_char = st.characters(blacklist_categories=())  # every code point, lone surrogates too
news_piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MARKS)), st.sampled_from(list(CONTROLS)),
                       st.text(any_char, max_size=4), st.just("\n\n"), st.just("\n"), st.just(" "))


@FUZZ
@given(st.text(any_char, max_size=400))
def test_random_unicode(text):
    check(text)


@FUZZ
@given(st.lists(news_piece, max_size=120).map(" ".join))
def test_news_words_with_marks_of_every_script_and_controls(text):
    check(text)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(list(MARKS) + [""])), min_size=1, max_size=60),
       st.integers(1, 40))
def test_unbalanced_marks_in_paragraphs(pairs, para_len):
    words = [w + m for w, m in pairs]
    paras = [" ".join(words[i : i + para_len]) for i in range(0, len(words), para_len)]
    check("\n\n".join(paras))


@settings(FUZZ, max_examples=max(3, PER_TEST // 20))
@given(st.integers(2_000, 60_000), st.randoms(use_true_random=False))
def test_huge_paragraph(size, rnd):
    out, n = [], 0
    while n < size:
        w = rnd.choice(WORDS) + (rnd.choice(MARKS) if rnd.random() < 0.08 else "")
        out.append(w)
        n += len(w) + 1
    check(" ".join(out))  # one paragraph, no blank line


def _pages() -> list[bytes]:
    if not WEBPAGES.is_dir():
        return []
    return [p.read_bytes() for p in sorted(WEBPAGES.glob("*.htm*"))]


PAGES = _pages()


@pytest.mark.skipif(not PAGES, reason="../shared/datasets/webpages is not here")
@FUZZ
@given(st.integers(0, 10**9), st.lists(st.tuples(st.sampled_from(["cut", "dup", "insert", "flip", "marks"]),
                                                 st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=6))
def test_mutated_real_pages(which, edits):
    data = bytearray(PAGES[which % len(PAGES)])
    rnd = random.Random(which)
    for op, a, b in edits:
        i = int(a * len(data))
        j = min(len(data), i + int(b * 2000))
        if op == "cut":
            del data[i:j]
        elif op == "dup":
            data[i:i] = data[i:j]
        elif op == "insert":
            data[i:i] = bytes(rnd.randrange(256) for _ in range(j - i if j > i else 1))
        elif op == "flip" and data:
            data[min(i, len(data) - 1)] ^= 1 << rnd.randrange(8)
        elif op == "marks":
            data[i:i] = rnd.choice(MARKS).encode("utf-8") * (1 + int(b * 5))
    text = bytes(data).decode("utf-8", "surrogateescape")  # stray bytes become lone surrogates
    check(text, path="page.html")
