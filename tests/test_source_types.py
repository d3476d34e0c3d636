"""Sources as a reporter means them (issue #23, point 2), on short hand-written texts: the
source's type (named person or organisation, document, anonymous, unnamed person or group),
its role and organisation; a surname used alone is the person named in full before it."""

from __future__ import annotations


def only(art, text: str):
    """The one record whose content holds ``text``."""
    hits = [q for q in art.quotes if text in q.text]
    assert len(hits) == 1, [q.text for q in art.quotes]
    return hits[0]


# ------------------------------------------------------------------ a surname alone is the person


def test_a_surname_the_tagger_took_for_a_noun_is_the_person_named_before(ex):
    t = ("The mayor praised the plan.\n\n"
         "Her deputy, Tom Reyes, said the numbers were checked twice. \u201cIt is solid,\u201d Reyes said.\n")
    art = ex.extract(t)
    q = only(art, "It is solid")
    assert (q.speaker.text, q.speaker.kind, q.speaker.name) == ("Reyes", "person", "Tom Reyes")
    assert q.speaker.entity == only(art, "numbers were checked").speaker.entity
    assert [e.kind for e in art.entities if e.name == "Reyes"] == []


def test_an_unfamiliar_full_name_is_a_person_whatever_the_recogniser_calls_it(ex):
    q = ex.extract("\u201cWe are ready,\u201d Bo Lind said.\n").quotes[0]
    assert (q.speaker.name, q.speaker.kind) == ("Bo Lind", "person")
