"""Property tests: over arbitrary text, extraction never raises and every span gives back its text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph import Extractor
from quotegraph.errors import InputError
from quotegraph.find.quotemarks import find_quotes
from quotegraph.models import iter_spans

EX = Extractor()

# Text built from news-like pieces: words, names, reporting verbs, every quote style, odd spaces.
PIECES = st.sampled_from([
    "said", "told", "according to", "reported", "added", "he", "she", "Smith", "Jane Doe", "the report",
    "officials", "that", "the", "We", "will", "not", "Department’s", "don’t", "participants’", "it's",
    "\u201c", "\u201d", "\u2018", "\u2019", "\"", "'", "\u00ab", "\u00bb", "\u00a0", "\u2014", "-", ",", ".", ":",
    "\n", "\n\n", "  ", "•", "source: example.com", "\u200b", "\t", "A.G.’s", "...", "?", "!",
])
NEWSY = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=8)), min_size=1, max_size=80).map(" ".join)


def _check(article) -> None:
    text = article.text
    for label, expected, (s, e) in iter_spans(article):
        assert 0 <= s <= e <= len(text), (label, s, e, len(text))
        if expected is not None:
            assert text[s:e] == expected, (label, expected, text[s:e])
    for q in article.quotes:
        for s, e in q.spans:
            assert q.span[0] <= s <= e <= q.span[1]
    ids = {q.id for q in article.quotes}
    for q in article.quotes:
        assert q.nested_in is None or q.nested_in in ids


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY)
def test_newsy_text_never_raises_and_spans_hold(text):
    try:
        article = EX.extract(text)
    except InputError as e:
        # only empty or control-character input may be refused
        assert not text.strip() or "control" in str(e) or "binary" in str(e), str(e)
        return
    assert article.text == text
    _check(article)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_never_raises(text):
    try:
        article = EX.extract(text, format="text")
    except InputError as e:
        # only empty, NUL-carrying or control-character input may be refused, with a named one-line error
        msg = str(e)
        assert msg.startswith("<string>: ") and "\n" not in msg, msg
        odd = any(not c.isprintable() and c not in "\n\r\t" for c in text)
        assert (not text.strip() and "empty" in msg) or ("\x00" in text and "binary" in msg) or (odd and "control" in msg), msg
        return
    assert article.text == text
    _check(article)


@settings(max_examples=300, deadline=None)
@given(NEWSY)
def test_quote_spans_exclude_their_marks(text):
    for q in find_quotes(text):
        assert 0 <= q.open_pos < q.start <= q.end <= len(text)
        if q.close_pos is not None:
            assert q.end <= q.close_pos


@pytest.mark.parametrize("html,text,quotes", [
    ("<html><body><p>\u201cWe will win,\u201d Smith said.</p>" + "<div>" * 500 + "</div>" * 500 + "</body></html>",
     "\u201cWe will win,\u201d Smith said.", ["We will win,"]),
    ("<html><script>alert(1)</script><p>The council met on Monday.</p></html>", "The council met on Monday.", []),
    ("<p>The river ran past an unclosed <b>bold <i>italic \u201cgate.</p>", "The river ran past an unclosed bold italic \u201cgate.", []),
])
def test_hostile_html_gives_an_article(html, text, quotes):
    """Scripts dropped, unclosed tags and marks survived, the text kept. (A page whose only text
    is one word is no article: html.has_article_text, tested in test_html.py.)"""
    article = EX.extract(html, path="hostile.html")
    assert article.text == text and [q.text for q in article.quotes] == quotes
    _check(article)
