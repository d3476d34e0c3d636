"""Pipeline options and cross-paragraph rules, on short hand-written texts (exact records)."""

from __future__ import annotations

import pytest

from quotegraph import Extractor, Options
from quotegraph.pipeline.nlp import load_model

PULL_QUOTE = (
    "The council will vote on the sale of the Harbor Street depot next week.\n\n"
    "\u201cWe will not allow this city to be sold off one block at a time.\u201d\n\n"
    "The depot has stood empty since 2019.\n"
)
PULL_CONTENT = "We will not allow this city to be sold off one block at a time."  # 15 words


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def records(nlp, text, **options):
    art = Extractor(Options(**options), nlp=nlp).extract(text)
    return [(q.kind, q.text, list(q.span), q.speaker.text if q.speaker else None, q.cue.text if q.cue else None) for q in art.quotes]


def test_a_long_quotation_with_no_speaker_is_reported_unattributed(nlp):
    start = PULL_QUOTE.index(PULL_CONTENT)
    assert records(nlp, PULL_QUOTE, acts="all") == [("direct", PULL_CONTENT, [start, start + len(PULL_CONTENT)], None, None)]
    assert records(nlp, PULL_QUOTE) == []  # the default output: statements from a source


@pytest.mark.parametrize("min_words,reported", [(0, False), (14, True), (15, True), (16, False)])
def test_min_unattributed_words_is_the_length_from_which_it_is_reported(nlp, min_words, reported):
    got = records(nlp, PULL_QUOTE, min_unattributed_words=min_words, acts="all")
    assert [r[1] for r in got] == ([PULL_CONTENT] if reported else [])


def test_an_unclosed_quotation_does_not_swallow_the_rest_of_its_paragraph(nlp):
    text = (
        "The fan newsletter had billed the match as \u201cthe one that decides everything. "
        "Club secretary Anne Doyle said every ticket had been sold by Thursday.\n\n"
        "Kickoff is at three.\n"
    )
    content = "every ticket had been sold by Thursday"
    s = text.index(content)
    got = records(nlp, text)
    assert ("indirect", content, [s, s + len(content)], "Anne Doyle", "said") in got
    assert all("Club secretary" not in r[1] for r in got)


def test_an_unclosed_quotation_continued_in_the_next_paragraph_is_one_quote(nlp):
    text = (
        "Judge Ruth Anselm spoke for ten minutes.\n\n"
        "\u201cYou were trusted with the money of the parish.\n\n"
        "\u201cYou treated it as your own,\u201d Anselm said.\n"
    )
    art = Extractor(Options(), nlp=nlp).extract(text)
    a = text.index("You were"), text.index(" of the parish.") + len(" of the parish.")
    b = text.index("You treated"), text.index("own,") + len("own,")
    assert [(list(q.span), [list(x) for x in q.spans], q.speaker.name) for q in art.quotes] == [
        ([a[0], b[1]], [list(a), list(b)], "Ruth Anselm")
    ]


class _CrashingParser:
    """A parser with a bug on one input (the real pipeline for the others)."""

    def __init__(self, nlp):
        self.nlp = nlp

    def pipe(self, texts, batch_size=64):
        for t in texts:
            if "BOOM" in t:
                raise RuntimeError("parser crashed")
            yield self.nlp(t)


def test_extract_many_tells_bugs_from_bad_input_and_goes_on(nlp, caplog):
    from quotegraph.errors import InputError

    good = "\u201cWe will win the vote on Tuesday,\u201d Senator Maria Okafor said."
    ex = Extractor(Options(), nlp=_CrashingParser(nlp))
    with caplog.at_level("ERROR", logger="quotegraph.pipeline"):
        out = list(ex.extract_many([good, "BOOM goes the parser.", "   ", good]))
    assert [type(x).__name__ for x in out] == ["Article", "RuntimeError", "InputError", "Article"]
    assert [q.text for q in out[0].quotes] == ["We will win the vote on Tuesday,"] and out[3] == out[0]
    assert isinstance(out[2], InputError) and str(out[2]) == "<string>: empty input"
    bugs = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(bugs) == 1 and "bug" in bugs[0].getMessage() and bugs[0].exc_info[0] is RuntimeError


def test_the_logged_bug_names_the_input_it_happened_on(nlp, caplog):
    good = "\u201cWe will win the vote on Tuesday,\u201d Senator Maria Okafor said."
    ex = Extractor(Options(), nlp=_CrashingParser(nlp))
    with caplog.at_level("ERROR", logger="quotegraph.pipeline"):
        out = list(ex.extract_many([(good, "wire/a.txt"), ("BOOM goes the parser.", "wire/boom.txt")]))
    assert [type(x).__name__ for x in out] == ["Article", "RuntimeError"]
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == ["quotegraph bug while extracting wire/boom.txt"]


def _at(text: str, s: str, after: int = 0) -> list[int]:
    i = text.index(s, after)
    return [i, i + len(s)]


def full(nlp, text):
    art = Extractor(Options(), nlp=nlp).extract(text)
    return [(q.text, list(q.span), list(q.cue.span) if q.cue else None, list(q.speaker.span) if q.speaker else None,
             q.speaker.name if q.speaker else None) for q in art.quotes]


def test_a_colon_line_with_a_reporting_verb_introduces_the_next_paragraph(nlp):
    text = "Mayor Celeste Amundsen said on Monday:\n\n\u201cWe will rebuild the bridge by spring.\u201d\n"
    assert full(nlp, text) == [("We will rebuild the bridge by spring.", _at(text, "We will rebuild the bridge by spring."),
                                _at(text, "said"), _at(text, "Celeste Amundsen"), "Celeste Amundsen")]


def test_a_following_quotation_takes_the_speaker_of_the_last_one_before_it(nlp):
    text = "\u201cWe won the match,\u201d said Ann Lee. \u201cThey lost it,\u201d said Bob Ray. \u201cIt was close all the way.\u201d\n"
    said2, bob = _at(text, "said", text.index("They")), _at(text, "Bob Ray")
    assert full(nlp, text) == [
        ("We won the match,", _at(text, "We won the match,"), _at(text, "said"), _at(text, "Ann Lee"), "Ann Lee"),
        ("They lost it,", _at(text, "They lost it,"), said2, bob, "Bob Ray"),
        ("It was close all the way.", _at(text, "It was close all the way."), said2, bob, "Bob Ray"),
    ]


def test_a_quotation_opening_the_next_paragraph_keeps_the_speaker(nlp):
    text = ("The team won on Sunday.\n\n\u201cWe are ready for the final,\u201d coach Ann Lee said.\n\n"
            "\u201cWe have worked all year for this.\u201d\n")
    said, ann = _at(text, "said"), _at(text, "Ann Lee")
    assert full(nlp, text) == [
        ("We are ready for the final,", _at(text, "We are ready for the final,"), said, ann, "Ann Lee"),
        ("We have worked all year for this.", _at(text, "We have worked all year for this."), said, ann, "Ann Lee"),
    ]
