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


# ------------------------------------------------------------------ label and header lines


def test_header_lines_are_no_cues_and_do_not_swallow_the_story(ex):
    t = ("Headline: Council approves harbour plan\nDate: March 3, 2024\nByline: Jane Doe\n"
         "The council approved the plan on Monday. \u201cThis is a good day,\u201d said Mayor Ann Cole. "
         "Cole said the work would start in May.\n")
    art = ex.extract(t)
    assert sorted((q.text, q.speaker.name) for q in art.quotes) == [
        ("This is a good day,", "Ann Cole"), ("the work would start in May", "Ann Cole")]


def test_header_paragraphs_are_no_cues(ex):
    t = ("Title: Harbour plan passes\n\nAuthor: Jane Doe\n\nPublished: 2024-03-03\n\n"
         "The council approved the plan on Monday, Mayor Ann Cole said.\n")
    assert [(q.text, q.speaker.name) for q in ex.extract(t).quotes] == [("The council approved the plan on Monday", "Ann Cole")]


INTERVIEW = ("Ann Cole has led the city since 2019. We asked her about the harbour.\n\n"
             "Q: Why the harbour?\n\n"
             "A: Because the harbour is the city's front door and it has been neglected for years.\n\n"
             "Q: What comes next?\n\n"
             "A: We will fix the piers first and then the market hall.\n")


def test_the_heads_of_an_interviews_turns_are_no_speakers(ex):
    art = ex.extract(INTERVIEW)
    assert [q.speaker.text for q in art.quotes if q.speaker is not None and q.speaker.text in ("Q", "A")] == []
    assert [q.cue.text for q in art.quotes if q.cue is not None and q.cue.text == ":"] == []


def test_answers_under_bare_heads_are_the_interviewee_the_introduction_names(ex):
    art = ex.extract(INTERVIEW)
    answers = [(q.text, q.speaker.name, q.kind, q.cue) for q in art.quotes if q.text.startswith(("Because", "We will"))]
    assert answers == [
        ("Because the harbour is the city's front door and it has been neglected for years", "Ann Cole", "direct", None),
        ("We will fix the piers first and then the market hall", "Ann Cole", "direct", None)]
    for q in art.quotes:
        assert art.text[q.speaker.span[0]:q.speaker.span[1]] == q.speaker.text


def test_bare_heads_after_an_introduction_naming_two_people_have_no_speaker(ex):
    t = ("Ann Cole and Tom Reyes run the harbour board.\n\n"
         "Q: Why the harbour?\n\n"
         "A: Because the harbour is the city's front door and it has been neglected for years.\n")
    assert [q for q in ex.extract(t).quotes if q.text.startswith("Because")] == []


# ------------------------------------------------------------------ type, role, organisation


def source(art, text: str) -> tuple:
    s = only(art, text).speaker
    return s.type, s.role, s.organization


def test_a_named_person_has_the_role_of_the_apposition_and_keeps_it_through_a_pronoun(ex):
    t = ("Maria Okafor, the city treasurer, said the budget was balanced. "
         "\u201cWe have no deficit,\u201d she said.\n")
    art = ex.extract(t)
    assert source(art, "budget was balanced") == ("named_person", "city treasurer", None)
    assert source(art, "no deficit") == ("named_person", "city treasurer", None)


def test_a_title_before_the_name_is_the_role_and_no_organisation(ex):
    art = ex.extract("\u201cThis is a good day for the harbour,\u201d said Mayor Ann Cole.\n")
    assert source(art, "good day") == ("named_person", "Mayor", None)


def test_a_named_persons_organisation_comes_from_the_apposition(ex):
    art = ex.extract("Tom Reyes, a spokesman for Exxon Mobil, said the plant was safe.\n")
    assert source(art, "plant was safe") == ("named_person", "spokesman for Exxon Mobil", "Exxon Mobil")


def test_an_unnamed_spokesperson_is_sourced_to_the_organisation_before_the_noun(ex):
    art = ex.extract("An Exxon spokesperson said the company would appeal the ruling.\n")
    assert source(art, "appeal the ruling") == ("unnamed_person", "spokesperson", "Exxon")


def test_an_unnamed_spokeswoman_is_sourced_to_the_organisation_she_speaks_for(ex):
    art = ex.extract("A spokeswoman for the agency said the road would reopen on Friday.\n")
    assert source(art, "road would reopen") == ("unnamed_person", "spokeswoman", "agency")


def test_residents_and_other_plurals_are_unnamed_groups(ex):
    art = ex.extract("Residents said the water had been brown for weeks. "
                     "Democrats said the bill would fail in the senate.\n")
    assert source(art, "water had been brown")[0] == "unnamed_group"
    assert source(art, "bill would fail")[0] == "unnamed_group"


def test_a_report_is_a_document_and_its_author_the_organisation(ex):
    art = ex.extract("The report says the bridge is unsafe. According to a report by the Office of the "
                     "City Auditor, the city overspent by $4 million.\n")
    assert source(art, "bridge is unsafe") == ("document", None, None)
    assert source(art, "overspent") == ("document", None, "Office of the City Auditor")


def test_an_organisation_by_name_and_by_a_word_for_the_one_named_before(ex):
    art = ex.extract("The Justice Department opened an inquiry in May.\n\n"
                     "The department said the inquiry was over.\n")
    s = only(art, "inquiry was over").speaker
    assert (s.type, s.name) == ("named_organization", "Justice Department")


# ------------------------------------------------------------------ anonymous sources


def test_a_source_kept_anonymous_by_a_relative_clause_is_anonymous(ex):
    t = ("Two teachers, who asked not to be named because they were not authorized to speak, "
         "said the school would close.\n")
    s = only(ex.extract(t), "school would close").speaker
    assert (s.type, s.kind) == ("anonymous", "anonymous")


def test_familiar_with_and_condition_of_anonymity_make_a_source_anonymous(ex):
    art = ex.extract("A person familiar with the talks said a deal was close. "
                     "Officials speaking on condition of anonymity said the plan had been shelved. "
                     "A diplomat said on condition of anonymity that the envoy would resign.\n")
    assert source(art, "deal was close")[0] == "anonymous"
    assert source(art, "plan had been shelved")[0] == "anonymous"
    assert source(art, "envoy would resign")[0] == "anonymous"


def test_an_unnamed_official_without_an_anonymity_cue_is_an_unnamed_person(ex):
    art = ex.extract("A senior official said the talks would resume next week.\n")
    assert source(art, "talks would resume")[0] == "unnamed_person"


def test_anonymity_words_inside_the_content_do_not_make_the_source_anonymous(ex):
    art = ex.extract("Mayor Ann Cole said that officials familiar with the plan had leaked it.\n")
    assert source(art, "leaked it")[0] == "named_person"


# ------------------------------------------------------------------ documents as sources


def test_a_document_reporting_a_belief_or_a_finding_is_the_source_of_the_whole_clause(ex):
    art = ex.extract("The filing says the company knew about the defect. "
                     "A poll released Tuesday found that most voters support the levy.\n")
    assert source(art, "company knew about the defect")[0] == "document"
    assert only(art, "company knew about the defect").speaker.text == "The filing"
    assert only(art, "voters support the levy").speaker.text == "A poll"
