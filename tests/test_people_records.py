"""Entities and speakers of hand-written articles: names, roles, aliases, mentions, headline
names, resolution by role and by pronoun, organisations; exact values written by hand."""

from __future__ import annotations

import pytest

from quotegraph import Extractor, Options
from quotegraph.pipeline.nlp import load_model

CITY = (
    "Ortiz Returns to City Hall\n\n"
    "By Sarah Kline\n\n"
    "Mayor David Ortiz returned to work on Monday after three weeks away.\n\n"
    "\"I am glad to be back,\" Ortiz said. His deputy, Ana Gomez, said the city had run smoothly.\n\n"
    "Laura Chen, the deputy attorney general, said the review was over. The deputy attorney general said it found no fraud.\n\n"
    "Former Governor Thomas Reed spoke next. Mr. Reed said the vote would be close. \"It will not,\" the mayor said.\n"
)

COUNCIL = (
    "Councillor Tom Alder met the harbour board at the depot on Monday.\n\n"
    "He said the council had not agreed.\n\n"
    "Tom Alder's office later said the meeting had been useful.\n"
)


def at(text: str, s: str, after: str = "") -> list[int]:
    i = text.index(s, text.index(after) if after else 0)
    return [i, i + len(s)]


# Function-scoped on purpose (load_model is cached): mutmut credits a test with the functions its
# own setup and call ran, so a shared extraction would be credited to the first test only.
@pytest.fixture
def ex():
    return Extractor(Options(), nlp=load_model())


@pytest.fixture
def city(ex):
    return ex.extract(CITY)


def test_entities_have_their_names_roles_aliases_and_mentions(city):
    t = CITY
    got = [(e.name, e.kind, e.aliases, e.roles, [list(m) for m in e.mentions]) for e in city.entities]
    assert got == [
        ("David Ortiz", "person", ["Mayor David Ortiz", "Ortiz"], ["Mayor"],
         [at(t, "Ortiz"), at(t, "David Ortiz"), at(t, "Ortiz", "back,")]),  # the headline name is his too
        ("Ana Gomez", "person", [], ["His deputy"], [at(t, "Ana Gomez")]),  # 'His deputy, Ana Gomez'
        ("Laura Chen", "person", [], ["the deputy attorney general"], [at(t, "Laura Chen")]),
        ("Thomas Reed", "person", ["Former Governor Thomas Reed", "Reed"], ["Former Governor"],  # 'Mr.' is no role
         [at(t, "Thomas Reed"), at(t, "Reed", "Mr.")]),
    ]
    assert [e.id for e in city.entities] == ["e1", "e2", "e3", "e4"]


def test_a_byline_name_is_no_entity_of_its_own(city):
    assert all("Kline" not in e.name and "Kline" not in " ".join(e.aliases) for e in city.entities)
    assert all(q.speaker is None or "Kline" not in q.speaker.text for q in city.quotes)


def test_speakers_resolve_by_surname_role_and_title(city):
    t = CITY
    got = [(q.kind, q.text, q.speaker.text, list(q.speaker.span), q.speaker.name, q.speaker.entity, q.speaker.kind)
           for q in city.quotes]
    assert got == [
        ("direct", "I am glad to be back,", "Ortiz", at(t, "Ortiz", "back,"), "David Ortiz", "e1", "person"),
        ("indirect", "the city had run smoothly", "Ana Gomez", at(t, "Ana Gomez"), "Ana Gomez", "e2", "person"),
        ("indirect", "the review was over", "Laura Chen", at(t, "Laura Chen"), "Laura Chen", "e3", "person"),
        ("indirect", "it found no fraud", "The deputy attorney general", at(t, "The deputy attorney general"),
         "Laura Chen", "e3", "person"),  # by her role, given in the apposition before
        ("indirect", "the vote would be close", "Reed", at(t, "Reed", "Mr."), "Thomas Reed", "e4", "person"),
        ("direct", "It will not,", "the mayor", at(t, "the mayor"), "David Ortiz", "e1", "person"),  # 'Mayor David Ortiz'
    ]


def test_speaker_phrases_cover_the_whole_source_phrase(city):
    t = CITY
    phrases = [(q.speaker.phrase.text, list(q.speaker.phrase.span)) if q.speaker.phrase else None for q in city.quotes]
    assert phrases == [
        None,  # the phrase is the mention itself
        ("His deputy, Ana Gomez", at(t, "His deputy, Ana Gomez")),
        ("Laura Chen, the deputy attorney general", at(t, "Laura Chen, the deputy attorney general")),
        None,
        ("Mr. Reed", at(t, "Mr. Reed")),
        None,
    ]


def test_a_pronoun_takes_the_person_named_before_and_an_office_is_an_organisation(ex):
    art = ex.extract(COUNCIL)
    t = COUNCIL
    got = [(q.text, q.speaker.text, q.speaker.name, q.speaker.entity, q.speaker.kind) for q in art.quotes]
    assert got == [
        ("the council had not agreed", "He", "Tom Alder", "e1", "person"),
        ("the meeting had been useful", "Tom Alder's office", "Tom Alder's office", "e2", "organization"),
    ]
    assert [(e.id, e.name, e.kind, e.aliases, e.roles, [list(m) for m in e.mentions]) for e in art.entities] == [
        ("e1", "Tom Alder", "person", ["Councillor Tom Alder"], ["Councillor"], [at(t, "Tom Alder"), at(t, "Tom Alder", "agreed")]),
        ("e2", "Tom Alder's office", "organization", [], [], [at(t, "Tom Alder's office")]),
    ]
    office = art.quotes[1]
    assert list(office.cue.span) == at(t, "said", "office") and office.cue.phrase.text == "later said"


TALKS = (
    "Budget Talks Go On\n\n"
    "Mayor David Ortiz met Laura Chen, the deputy attorney general, on Monday.\n\n"
    "Ortiz told Chen that the bill would pass. Chen had earlier told Ortiz in a letter that she would sign it.\n\n"
    "According to a memo seen by the Riverton Herald, the mayor's staff said the budget was short.\n"
)


def test_an_addressee_named_in_the_article_is_its_entity(ex):
    art = ex.extract(TALKS)
    t = TALKS
    got = [(q.text, q.speaker.text, q.speaker.name, q.speaker.entity, q.addressee.text, list(q.addressee.span), q.addressee.entity)
           for q in art.quotes[:2]]
    assert got == [
        ("that the bill would pass", "Ortiz", "David Ortiz", "e1", "Chen", at(t, "Chen", "told"), "e2"),
        ("that she would sign it", "Chen", "Laura Chen", "e2", "Ortiz", at(t, "Ortiz", "earlier"), "e1"),
    ]
    assert [(e.id, e.name, e.aliases, e.roles, [list(m) for m in e.mentions]) for e in art.entities] == [
        ("e1", "David Ortiz", ["Mayor David Ortiz", "Ortiz"], ["Mayor"],
         [at(t, "David Ortiz"), at(t, "Ortiz", "Monday"), at(t, "Ortiz", "earlier")]),
        ("e2", "Laura Chen", ["Chen"], ["the deputy attorney general"],
         [at(t, "Laura Chen"), at(t, "Chen", "told"), at(t, "Chen", "pass.")]),
    ]


def test_a_quotation_reported_through_a_document_lists_it_as_via(ex):
    art = ex.extract(TALKS)
    q = art.quotes[-1]
    assert (q.text, q.speaker.text, q.cue.text) == ("the budget was short", "the mayor's staff", "said")
    assert (q.via[0].text, list(q.via[0].span), q.via[0].kind) == ("a memo", at(TALKS, "a memo"), "document")
    assert q.addressee is None and q.nested_in is None


def test_an_initial_is_the_same_person_and_another_first_name_is_not(ex):
    t = ("Depot Sale\n\nFormer Governor Thomas Reed and Councillor Tom Alder spoke on Monday. Tim Alder, his brother, did not.\n\n"
         "T. Reed said the sale was wise. Tim Alder said it was not.\n")
    art = ex.extract(t)
    assert [(q.text, q.speaker.text, q.speaker.name, q.speaker.entity) for q in art.quotes] == [
        ("the sale was wise", "T. Reed", "Thomas Reed", "e1"),  # 'T.' is Thomas
        ("it was not", "Tim Alder", "Tim Alder", "e3"),  # not Tom Alder
    ]
    assert [(e.id, e.name, e.roles, [list(m) for m in e.mentions]) for e in art.entities] == [
        ("e1", "Thomas Reed", ["Former Governor"], [at(t, "Thomas Reed"), at(t, "T. Reed")]),  # the speaker is a mention
        ("e2", "Tom Alder", ["Councillor"], [at(t, "Tom Alder")]),
        ("e3", "Tim Alder", ["his brother"], [at(t, "Tim Alder"), at(t, "Tim Alder", "wise")]),
    ]
