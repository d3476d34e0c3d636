"""The fields of a record that a reader sees, on short hand-written texts: the speaker phrase
(without a dateline), the cue and its phrase ('according to'), an inherited speaker's mention,
phrase and cue, and an addressee who is no entity. Offsets found in the fixture text."""

from __future__ import annotations

import pytest

from quotegraph import Extractor, Options
from quotegraph.nlp import load_model


@pytest.fixture  # per test: mutmut credits a test with the functions its own setup and call ran
def ex():
    return Extractor(Options(), nlp=load_model())


def at(text: str, s: str, after: str = "") -> list[int]:
    i = text.index(s, text.index(after) if after else 0)
    return [i, i + len(s)]


def span(m):
    return list(m.span) if m is not None else None


def test_the_speaker_phrase_stops_at_the_dateline(ex):
    t = "RIVERTON, Ohio \u2014 Mayor Helen Vasquez said on Monday that the bridge would open in May.\n"
    q = ex.extract(t).quotes[0]
    assert (q.text, span(q.speaker), span(q.speaker.phrase), span(q.cue)) == (
        "that the bridge would open in May", at(t, "Helen Vasquez"), at(t, "Mayor Helen Vasquez"), at(t, "said"))


def test_according_to_is_the_cue_and_has_no_wider_phrase(ex):
    t = "According to Mayor Helen Vasquez, the bridge will open in May.\n"
    q = ex.extract(t).quotes[0]
    assert (q.kind, q.text, q.cue.text, span(q.cue), q.cue.phrase) == (
        "indirect", "the bridge will open in May", "According to", at(t, "According to"), None)
    assert (q.speaker.name, span(q.speaker), span(q.speaker.phrase)) == ("Helen Vasquez", at(t, "Helen Vasquez"), at(t, "Mayor Helen Vasquez"))


def test_a_quotation_going_on_after_its_speaker_shares_the_mention_phrase_and_cue(ex):
    t = "\u201cWe will not let the depot rot,\u201d said board chair Nora Quist. \u201cWe will sell it to a trust.\u201d\n"
    art = ex.extract(t)
    assert [(q.id, q.text, span(q.cue), span(q.speaker), span(q.speaker.phrase), q.speaker.name, q.speaker.entity)
            for q in art.quotes] == [
        ("q1", "We will not let the depot rot,", at(t, "said"), at(t, "Nora Quist"), at(t, "board chair Nora Quist"), "Nora Quist", "e1"),
        ("q2", "We will sell it to a trust.", at(t, "said"), at(t, "Nora Quist"), at(t, "board chair Nora Quist"), "Nora Quist", "e1"),
    ]


def test_an_addressee_that_is_an_outlet_has_no_entity(ex):
    t = "Nora Quist told the Riverton Herald that the depot would be sold.\n"
    q = ex.extract(t).quotes[0]
    assert (q.text, q.speaker.name, q.addressee.text, span(q.addressee), q.addressee.entity) == (
        "that the depot would be sold", "Nora Quist", "the Riverton Herald", at(t, "the Riverton Herald"), None)
    assert [e.name for e in ex.extract(t).entities] == ["Nora Quist"]
