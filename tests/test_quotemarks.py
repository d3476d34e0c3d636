"""Pairing quotation marks in one paragraph: exact contents, on hand-written sentences."""

from __future__ import annotations

import pytest

from quotegraph.find.quotemarks import find_quotes


def spans(text: str) -> list[tuple[str, bool, int]]:
    """(content, closed?, depth) of every quotation found, in order of the opening marks."""
    return [(text[q.start:q.end], q.close_pos is not None, q.depth) for q in find_quotes(text)]


def marks(text: str) -> list[tuple[int, int | None, str, int | None]]:
    """(open_pos, close_pos, family, parent) of every quotation found."""
    return [(q.open_pos, q.close_pos, q.family, q.parent) for q in find_quotes(text)]


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


@pytest.mark.parametrize("text,expected", [
    # doubled marks `` '' (one double quotation mark written with two characters)
    ("``We are ready,'' he said.", [("We are ready,", True, 0)]),
    ("He said ``we are ready''", [("we are ready", True, 0)]),
    ("''Yes,'' she said.", [("Yes,", True, 0)]),
    ("The ''quote'' word.", [("quote", True, 0)]),
    ("He wrote: ''We won.''", [("We won.", True, 0)]),
    ("''Go,'' he said, ''now.''", [("Go,", True, 0), ("now.", True, 0)]),
    ("``Nested 'inner' text,'' he said.", [("Nested 'inner' text,", True, 0), ("inner", True, 1)]),
    ("don''t stop", []),
    # marks at the very start and end of the text
    ("\u201cYes\u201d", [("Yes", True, 0)]),
    ("'Yes'", [("Yes", True, 0)]),
    ('"Yes"', [("Yes", True, 0)]),
    ('"no"', [("no", True, 0)]),
    ('She said "yes."', [("yes.", True, 0)]),
    ('Her "no" was firm.', [("no", True, 0)]),
    # what may stand before an opener and after a closer
    ("\u201c'Really?' he asked,\u201d she said.", [("'Really?' he asked,", True, 0), ("Really?", True, 1)]),
    ("(\u201cWe will,\u201d she said.)", [("We will,", True, 0)]),
    ("She said: \u201cWe will.\u201d", [("We will.", True, 0)]),
    ("\u201cWe will\u201d, she said.", [("We will", True, 0)]),
    ("\u201cWe will\u201d\u2014she said.", [("We will", True, 0)]),
    ("He said \u201cwe will\u201d\u2026", [("we will", True, 0)]),
    ("\u201cStop!\u201d \u201cGo!\u201d", [("Stop!", True, 0), ("Go!", True, 0)]),
    ("\u201ca\u201d \u201cb\u201d", [("a", True, 0), ("b", True, 0)]),
    ("A \u201cquote\u201d and \u2018another\u2019 one.", [("quote", True, 0), ("another", True, 0)]),
    ("\u2018Single \u201cdouble\u201d single\u2019", [("Single \u201cdouble\u201d single", True, 0), ("double", True, 1)]),
    ("\u201dReversed\u201c", []),
    # guillemets, French and German style, double and single
    ("\u00ab Oui \u00bb, dit-il.", [("Oui", True, 0)]),
    ("\u2039Yes\u203a, he said.", [("Yes", True, 0)]),
    ("He said \u2039yes\u203a.", [("yes", True, 0)]),
    ("\u00bbWir schaffen das\u00ab, sagte sie.", [("Wir schaffen das", True, 0)]),
    ("He said, \u00bbJa\u00ab and \u00bbNein\u00ab.", [("Ja", True, 0), ("Nein", True, 0)]),
    # possessives after a plural s, and elisions with a curly apostrophe
    ("The Jones\u2019 house was empty.", []),
    ("\u2018The Jones\u2019 house is empty,\u2019 she said.", [("The Jones\u2019 house is empty,", True, 0)]),
    ("\u2018It was the Joneses\u2019,\u2019 she said.", [("It was the Joneses", True, 0)]),
    ("The boss\u2019 \u2018plan\u2019 failed.", [("plan", True, 0)]),
    ("Chris\u2019 car and \u2018Yes\u2019 said.", [("Yes", True, 0)]),
    ("\u2018Yes,\u2019 he said. \u2019Twas the night.", [("Yes,", True, 0)]),
    ("The \u201980s \u2018boom\u2019 ended.", [("boom", True, 0)]),
    ("He \u2019Said\u2019 so.", [("Said", True, 0)]),
    # elisions with a straight apostrophe, each word of the list
    ("'Tis the season, 'twas the night, 'cause we 'til.", []),
    ("Say 'cause, the players' coach said.", []),
    ("Wait 'til dawn, the players' coach said.", []),
    ("'Twas brillig, the players' coach said.", []),
    ("They said 'causeway' twice.", [("causeway", True, 0)]),
    ("It's 5' tall and 'big'.", [("big", True, 0)]),
    # unclosed inner quotations
    ("\u201cUnclosed \u2018inner", [("Unclosed \u2018inner", False, 0), ("inner", False, 1)]),
    ("\u201cOuter \u201cinner\u201d end\u201d", [("inner", True, 0)]),
])
def test_more_pairings(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("``a'' b", [(0, 4, "double", None)]),  # a doubled closer's close_pos is its second character
    ("x \u201ca \u2018b\u2019 c\u201d", [(2, 10, "double", None), (5, 7, "single", 0)]),
    ("(\u201cWe\u201d)", [(1, 4, "double", None)]),
    ("\u201cOpen", [(0, None, "double", None)]),
    ("\u201cOuter \u2018inner\u201d text", [(0, 13, "double", None)]),  # closed by an outer closer
])
def test_mark_positions_families_and_parents(text, expected):
    assert marks(text) == expected


@pytest.mark.parametrize("text,expected", [
    # each case pins one rule at its edge (found by mutation testing: docs/mutation.md)
    ('Sizes: XXL and XS.', []),
    ('\u2018All the VIPS\u2019 cars left,\u2019 he said.', [('All the VIPS\u2019 cars left,', True, 0)]),
    ('\u2018It was his\u2019, she said, \u2018not hers.\u2019', [('It was his', True, 0), ('not hers.', True, 0)]),
    ('Give \u2019em hell,\u2019 he said.', []),
    ('Tell \u2019em \u201cno,\u201d she said.', [('no,', True, 0)]),
    ('The students\u2019 notes and the teachers\u2019 memos differ.', []),
    ('\u201cWe will \u201d she said.', [('We will', True, 0)]),
    ('\u201cYes\u201dshe said.', [('Yes', True, 0)]),
    ('\u201cOpen \u201dquote', [('Open \u201dquote', False, 0)]),
    ('Il parle de l\u2019\xabEurope\xbb sans cesse.', [('Europe', True, 0)]),
    ('Das ist es\xab, sagte sie.', []),
    ('o\u2018clock sharp', []),
    ('Grade: \u201cA', [('A', False, 0)]),
    ("Grade: ''A", [('A', False, 0)]),
    ("He said``we won'' loudly.", [('we won', True, 0)]),
    ("(''Yes,'' she said.)", [('Yes,', True, 0)]),
    ('word"quoted" here', []),
    ('A "quoted"word and more', [('quoted"word and more', False, 0)]),
    ("The ``best'' plan, he said, was ``no plan.''", [('best', True, 0), ('no plan.', True, 0)]),
    ("He said: ``I'm done.''", [("I'm done.", True, 0)]),
    ("``Yes,'' ``no,'' ``maybe.''", [('Yes,', True, 0), ('no,', True, 0), ('maybe.', True, 0)]),
    ("It was ``good'', he said.", [('good', True, 0)]),
    ("a '' b", []),
    ('\u201c\u201d he said, \u201cyes.\u201d', [('yes.', True, 0)]),
    ('He said\u2003"yes" loudly.', [('yes', True, 0)]),
    ('He said "yes"\u2003twice.', [('yes', True, 0)]),
    ('a"b \u201cyes.\u201d', [('yes.', True, 0)]),
    ("The A.G.'s office said \u201cno.\u201d", [('no.', True, 0)]),
    ('He said "5 days" twice.', [('5 days', True, 0)]),
    ("From '98 until the players' strike, nothing.", []),
    ('\u2018Ask the Joneses\u2019 he said, \u201cnow.\u201d', [('Ask the Joneses', True, 0), ('now.', True, 0)]),
    ('\u2018Outer \u201cinner\u2019 text', [('Outer \u201cinner\u2019 text', False, 0), ('inner\u2019 text', False, 1)]),
    ('x\u201d and \u201cyes.\u201d', [('yes.', True, 0)]),
    ('\u201ca \u2018b\u2019 and \u2018c\u2019 d,\u201d he said.', [('a \u2018b\u2019 and \u2018c\u2019 d,', True, 0), ('b', True, 1), ('c', True, 1)]),
    ('\u2018Ask the Joneses\u2019\u2014they know,\u2019 she said.', [('Ask the Joneses', True, 0)]),
    ('He said "yes "', [('yes', True, 0)]),
])
def test_rules_at_their_edges(text, expected):
    assert spans(text) == expected
