"""Fuzzing the extractor (hypothesis): random unicode with lone surrogates, quotation marks of
every script mixed and unbalanced, control characters, huge paragraphs, and mutated real pages
(../shared/datasets/webpages, read at test time; skipped when absent).

Whatever the input: no exception but a clear ``InputError``, every span inside the text with
start <= end, and every span's text given back by the article text.

Issue 21's kinds are drawn too: runs that trip backtracking regexes (repeated comments, tags and
quotation marks), deep nesting (JSON Lines records, JSON-LD, HTML), long single paragraphs full of
quotes, and odd dates (in JSON Lines "published" fields and in a page's meta tags).

CI runs a short budget; ``make fuzz`` runs the long one (QUOTEGRAPH_FUZZ_EXAMPLES, 100,000 in all:
a hundredth for each of the heavy kinds (huge paragraphs, deep nesting, paragraphs of many quotes),
the rest shared by the other tests).  With QUOTEGRAPH_FUZZ_LOG
set to a file, every 500th input tried per test appends a line there (for runs longer than a sitting),
and so do the first failing inputs of each test, whole, as JSON (replay them with ``check``).
"""

from __future__ import annotations

import html
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotegraph
from quotegraph.errors import InputError
from quotegraph.models import iter_spans

TOTAL = int(os.environ.get("QUOTEGRAPH_FUZZ_EXAMPLES", "300"))
HUGE = max(3, TOTAL // 100)
N_HEAVY = 3  # huge paragraphs, deep nesting, many quotes in one paragraph: HUGE examples each
N_TESTS = 8  # the others
PER_TEST = max(10, (TOTAL - N_HEAVY * HUGE) // N_TESTS)
LOG = os.environ.get("QUOTEGRAPH_FUZZ_LOG")
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


_tried: Counter = Counter()


def _count(kind: str) -> None:
    _tried[kind] += 1
    if LOG and _tried[kind] % 500 == 0:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%H:%M:%S')} {os.getpid()} {kind} {_tried[kind]}\n")


def check(text: str, kind: str, **kw) -> None:
    _count(kind)
    try:
        _check(text, **kw)
    except Exception as exc:
        _log_failure(kind, text, kw, exc)
        raise


def _check(text: str, **kw) -> None:
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


_failures: Counter = Counter()


def _log_failure(kind: str, text: str, kw: dict, exc: Exception) -> None:
    """With QUOTEGRAPH_FUZZ_LOG set, the first failing inputs of each test are written there at
    once, whole (JSON, surrogates escaped), so a long run that cannot finish still shows them."""
    _failures[kind] += 1
    if LOG and _failures[kind] <= 3:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": kind, "error": f"{type(exc).__name__}: {exc}"[:500], "kw": kw, "text": text}) + "\n")


any_char = st.characters(blacklist_categories=())  # every code point, lone surrogates too
news_piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MARKS)), st.sampled_from(list(CONTROLS)),
                       st.text(any_char, max_size=4), st.just("\n\n"), st.just("\n"), st.just(" "))


@FUZZ
@given(st.text(any_char, max_size=400))
def test_random_unicode(text):
    check(text, "unicode")


@FUZZ
@given(st.lists(news_piece, max_size=120).map(" ".join))
def test_news_words_with_marks_of_every_script_and_controls(text):
    check(text, "news_words")


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(list(MARKS) + [""])), min_size=1, max_size=60),
       st.integers(1, 40))
def test_unbalanced_marks_in_paragraphs(pairs, para_len):
    words = [w + m for w, m in pairs]
    paras = [" ".join(words[i : i + para_len]) for i in range(0, len(words), para_len)]
    check("\n\n".join(paras), "unbalanced")


@settings(FUZZ, max_examples=HUGE)
@given(st.integers(2_000, 60_000), st.randoms(use_true_random=False))
def test_huge_paragraph(size, rnd):
    out, n = [], 0
    while n < size:
        w = rnd.choice(WORDS) + (rnd.choice(MARKS) if rnd.random() < 0.08 else "")
        out.append(w)
        n += len(w) + 1
    check(" ".join(out), "huge")  # one paragraph, no blank line


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
    check(text, "pages", path="page.html")


_texts: list[str] = []


def _article_texts() -> list[str]:
    """The article text quotegraph reads out of each real page (computed once, at test time)."""
    if not _texts:
        for page in PAGES:
            try:
                _texts.append(extractor().extract(page.decode("utf-8", "replace"), path="page.html").text)
            except InputError:
                pass
    return _texts


@pytest.mark.skipif(not PAGES, reason="../shared/datasets/webpages is not here")
@FUZZ
@given(st.integers(0, 10**9), st.lists(st.tuples(st.sampled_from(["cut", "dup", "insert", "marks", "newlines"]),
                                                 st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=8))
def test_mutated_real_articles(which, edits):
    texts = _article_texts()
    if not texts:
        return
    text = texts[which % len(texts)]
    rnd = random.Random(which)
    for op, a, b in edits:
        i = int(a * len(text))
        j = min(len(text), i + int(b * 400))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "dup":
            text = text[:i] + text[i:j] + text[i:]
        elif op == "insert":  # any code point: controls, lone surrogates, marks of every script
            text = text[:i] + "".join(chr(rnd.choice([rnd.randrange(0x110000), ord(rnd.choice(MARKS)),
                                                      ord(rnd.choice(CONTROLS)), rnd.randrange(0xD800, 0xE000)]))
                                      for _ in range(1 + int(b * 8))) + text[i:]
        elif op == "marks":  # a quotation mark of another script put in place of one character
            text = text[:i] + rnd.choice(MARKS) + text[i + 1 :]
        elif op == "newlines":
            text = text[:i] + rnd.choice(["\n", "\n\n", "\r\n", "\u2029"]) + text[i:]
    check(text, "articles")


# ---------------------------------------------------------------- issue 21's kinds

# runs that made the old HTML sniffer (and other patterns with adjacent unbounded quantifiers) backtrack
RUN_UNITS = ("<!-- a -->  ", "<!---->", "<!--", "-->", "<p ", "<p", "<div>", "<!doctype", " ", "\t", "\n", "\n\n",
             "a.", "Mr. ", "--", "\u2014 ", "A: ", "A.", "a ", "1", "@", "a@", "(", "[", "|", " - ") + tuple(MARKS)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(RUN_UNITS), st.integers(1, 400)), min_size=1, max_size=6),
       st.sampled_from(["", "\u201cWe will,\u201d she said.", "<p>\u201cWe will,\u201d she said.</p>"]))
def test_regex_adversarial_runs(runs, tail):
    from quotegraph.read.readers import looks_like_html

    text = "".join(u * n for u, n in runs) + tail
    t = time.perf_counter()
    looks_like_html(text.encode("utf-8", "surrogatepass"))
    assert time.perf_counter() - t < 1.0  # linear: microseconds for these sizes
    check(text, "regex_runs")


def _nested(kind: str, depth: int) -> str:
    opens, closes = {"list": ("[", "]"), "object": ('{"a": ', "}"), "mixed": ('[{"name": ', "}]")}[kind]
    return opens * depth + "1" + closes * depth


@settings(FUZZ, max_examples=HUGE)
@given(st.sampled_from(["list", "object", "mixed"]), st.integers(1, 200_000), st.booleans())
def test_deep_nesting(kind, depth, broken):
    from quotegraph.corpus.sources import _jsonl_item

    deep = _nested(kind, depth)
    line = ('{"text": "\u201cWe will,\u201d she said.", "outlet": ' + deep + "}") if depth % 2 else deep
    if broken:
        line = line[: len(line) // 2]
    item = _jsonl_item(line.encode(), "f.jsonl:1", 0, 10**6)  # an item (or its error), never an exception
    assert item.error is not None or item.text
    assert item.outlet is None or isinstance(item.outlet, str) and "{" not in item.outlet
    html_depth = min(depth, 5_000)
    page = ('<html><head><script type="application/ld+json">' + deep + "</script></head><body>" + "<div>" * html_depth
            + "<p>\u201cWe will rebuild,\u201d said Ana Ruiz.</p>" + "</div>" * html_depth + "</body></html>")
    check(page, "deep", format="html")


@settings(FUZZ, max_examples=HUGE)
@given(st.integers(10, 120), st.randoms(use_true_random=False))
def test_long_paragraph_of_many_quotes(n, rnd):
    pieces = []
    for _ in range(n):
        open_, close = rnd.choice([("\u201c", "\u201d"), ('"', '"'), ("\u00ab", "\u00bb"), ("\u2018", "\u2019")])
        pieces.append(f"{open_}{rnd.choice(WORDS)}{close} {rnd.choice(['said', 'told reporters', 'added', ','])}")
    check(" ".join(pieces), "many_quotes")  # one paragraph


odd_date = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "Tuesday", "1" * 5000, "11111111",
                     "yesterday", "March 2024", "2024-02-30", "2024-13-01", "12:30", "0000-00-00", "-1", "1e400"]),
    st.datetimes().map(lambda d: d.isoformat()),
    st.tuples(st.datetimes(), st.integers(-14 * 60, 14 * 60)).map(
        lambda dz: dz[0].isoformat() + f"{'+' if dz[1] >= 0 else '-'}{abs(dz[1]) // 60:02d}:{abs(dz[1]) % 60:02d}"),
    st.text(st.sampled_from("0123456789-:T+Z ./"), max_size=40),
    st.text(max_size=30),
    st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@FUZZ
@given(odd_date)
def test_odd_dates(value):
    import datetime as dt

    from quotegraph.corpus.sources import _jsonl_item
    from quotegraph.read.htmlmeta import date_range

    first, last = date_range()

    def in_range(iso) -> bool:
        return iso is None or first <= dt.date.fromisoformat(iso[:10]) <= last

    line = json.dumps({"text": "\u201cWe will,\u201d she said.", "published": value}, allow_nan=True)
    item = _jsonl_item(line.encode(), "f.jsonl:1", 0, 10**6)
    assert item.error is None and in_range(item.published)
    assert (item.published is None) == any('"published"' in w for w in item.warnings) or value in ("", None)
    if isinstance(value, str):
        page = (f'<html><head><meta property="article:published_time" content="{html.escape(value[:200])}"></head>'
                "<body><p>\u201cWe will rebuild,\u201d said Ana Ruiz.</p></body></html>")
        check(page, "dates", format="html")
        try:
            assert in_range(extractor().extract(page, format="html").date)
        except InputError:
            pass  # a control character in the value: the page is refused, by name
