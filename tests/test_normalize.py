"""The normalised view keeps offsets; token F1 is the one used by dedup and the tests."""

from __future__ import annotations

from collections import Counter

import pytest

from quotegraph.read.normalize import TextView, bag_f1, normalize_string, token_f1, words


def test_view_straightens_marks_and_spaces_one_for_one():
    original = "\u201cWe\u2019re\u00a0ready,\u201d\u2009she said\u200b.\r\n"
    view = TextView.of(original)
    assert view.text == "\"We're ready,\" she said .\n\n"
    assert len(view.text) == len(original) and view.original == original
    assert [view.to_original(i) for i in (0, 5, len(original))] == [0, 5, len(original)]


def test_normalize_string_collapses_spaces():
    assert normalize_string("  \u2018Not\u00a0\u00a0now,\u2019\n she said ") == "'Not now,' she said"


def test_words_ignore_quotes_and_punctuation():
    assert words("\u201cThe U.S. office\u201d \u2014 didn\u2019t say!") == ["the", "u.s", "office", "didn't", "say"]


@pytest.mark.parametrize("a,b,f1", [
    ("the bill would pass", "the bill would pass", 1.0),
    ("the bill would pass", "the bill will pass", 0.75),
    ("a b c", "a b c d e f", 2 * 3 / 9),
    ("the the cat", "the cat cat", 2 * 2 / 6),
    ("", "anything", 0.0),
    ("no overlap", "at all", 0.0),
])
def test_token_f1(a, b, f1):
    assert token_f1(a, b) == pytest.approx(f1)
    assert bag_f1(Counter(words(a)), Counter(words(b))) == token_f1(a, b)
