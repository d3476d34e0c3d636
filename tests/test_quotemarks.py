"""Pairing quotation marks in one paragraph: exact contents, on hand-written sentences."""

from __future__ import annotations

import pytest

from quotegraph.quotemarks import find_quotes


def spans(text: str) -> list[tuple[str, bool, int]]:
    """(content, closed?, depth) of every quotation found, in order of the opening marks."""
    return [(text[q.start:q.end], q.close_pos is not None, q.depth) for q in find_quotes(text)]


@pytest.mark.parametrize("text,expected", [
    # elisions written with a straight apostrophe at the start of a word are not openers, even when a
    # later apostrophe (a plural possessive) could close them
    ("They play rock 'n' roll all night.", []),
    ("Give 'em hell, the fans' chant went.", []),
    ("He told the crowd 'tis the season and the players' families cheered.", []),
    ("Stay 'til the end, the coaches' plan said.", []),
    ("Prices rose in '98 and the 'recovery' stalled.", [("recovery", True, 0)]),
    # a real straight-single quotation still pairs
    ("She said 'we will win' and left.", [("we will win", True, 0)]),
])
def test_straight_single_quotes_and_elisions(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("\u201cWe don\u2019t take this step lightly, but the members\u2019 patience has run out,\u201d said Dale.",
     [("We don\u2019t take this step lightly, but the members\u2019 patience has run out,", True, 0)]),
    ("\u2018It\u2019s the officers\u2019 choice, and we respect it,\u2019 Teague said.",
     [("It\u2019s the officers\u2019 choice, and we respect it,", True, 0)]),
    ("The participants\u2019 notes say \u2018no\u2019.", [("no", True, 0)]),
    ("The A.G.\u2019s office said \u2018no comment\u2019.", [("no comment", True, 0)]),
    ("It was the \u201990s and rock\u2018n\u2019roll ruled.", []),
])
def test_curly_apostrophes_are_not_quotation_marks(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("\u201cHe said, \u2018Go home,\u2019 and left,\u201d she testified.",
     [("He said, \u2018Go home,\u2019 and left,", True, 0), ("Go home,", True, 1)]),
    ("\u00abNight trains are climate policy\u00bb, said Anouk.", [("Night trains are climate policy", True, 0)]),
    ("\u00ab The operator has committed \u00bb, Perrenoud said.", [("The operator has committed", True, 0)]),
    ('"I don\'t think so," he said.', [("I don't think so,", True, 0)]),
    ("He said ``we are ready'' and left.", [("we are ready", True, 0)]),
])
def test_pairs_and_nesting(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text,expected", [
    # an unclosed quotation runs to the end of its paragraph (trailing space trimmed)
    ("\u201cAn opening mark that is never closed. And more text.  ",
     [("An opening mark that is never closed. And more text.", False, 0)]),
    # a second opener of the same family while one is open: the first was never closed
    ("\u201cone \u201ctwo\u201d three", [("two", True, 0)]),
    # a double closer ends the double quote; the single opener inside it was never closed
    ("\u201cOuter \u2018inner\u201d text", [("Outer \u2018inner", True, 0)]),
    # an unclosed straight single quote is an apostrophe, not a quotation
    ("The players' families cheered.", []),
])
def test_unclosed_marks(text, expected):
    assert spans(text) == expected


def test_offsets_point_at_the_marks():
    text = "Mayor Lee said \u201cwe are ready\u201d on Monday."
    (q,) = find_quotes(text)
    assert (q.open_pos, q.start, q.end, q.close_pos) == (15, 16, 28, 28)
    assert text[q.open_pos] == "\u201c" and text[q.close_pos] == "\u201d"
