"""Quotations with no cue of their own (linking.md's rules) on short hand-written texts: the
sentence before names the speaker, a colon line, an interrupted quotation, and where no
speaker may be carried over. Exact records; offsets found in the fixture text."""

from __future__ import annotations

import pytest

from quotegraph import Extractor, Options
from quotegraph.pipeline.nlp import load_model


@pytest.fixture  # per test, so that mutmut credits each test with Extractor.__init__
def ex():
    """PARC's full set (``acts="all"``): quotations with no speaker and beliefs are kept, as these tests expect."""
    return Extractor(Options(acts="all"), nlp=load_model())


def at(text: str, s: str, after: str = "") -> list[int]:
    i = text.index(s, text.index(after) if after else 0)
    return [i, i + len(s)]


def recs(ex, text):
    art = ex.extract(text)
    return [(q.kind, q.text, [list(s) for s in q.spans], list(q.cue.span) if q.cue else None,
             (q.speaker.text, list(q.speaker.span), q.speaker.name, q.speaker.kind,
              q.speaker.phrase.text if q.speaker.phrase else None) if q.speaker else None) for q in art.quotes]


def test_a_quotation_after_a_sentence_about_a_named_person_is_theirs(ex):
    t = ('The mayor visited the flooded district on Friday. Mayor Helen Vasquez walked along the river bank. '
         '"We will rebuild every house that the water took from these families."\n')
    c = "We will rebuild every house that the water took from these families."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None,
                            ("Helen Vasquez", at(t, "Helen Vasquez"), "Helen Vasquez", "person", "Mayor Helen Vasquez"))]


def test_a_quotation_opening_the_paragraph_after_one_about_a_person_is_theirs(ex):
    t = ('Coach Ann Lee stood on the touchline all afternoon.\n\n'
         '"We have worked all year for this final and nobody here is tired."\n\nThe final is on Sunday.\n')
    c = "We have worked all year for this final and nobody here is tired."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None, ("Ann Lee", at(t, "Ann Lee"), "Ann Lee", "person", "Coach Ann Lee"))]


def test_a_quotation_after_a_sentence_about_no_person_has_no_speaker(ex):
    t = 'The council met on Monday. "There is no money left in the road fund for this year or the next."\n\nMarta Ruiz chaired the meeting.\n'
    c = "There is no money left in the road fund for this year or the next."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None, None)]  # 15 words: reported, unattributed


def test_a_name_ending_in_a_colon_introduces_the_next_paragraph(ex):
    t = 'Harbour master Jamie Ross:\n\n"The cranes are old and the port needs new ones before the winter."\n'
    c = "The cranes are old and the port needs new ones before the winter."
    assert recs(ex, t) == [("direct", c, [at(t, c)], at(t, ":"),
                            ("Jamie Ross", at(t, "Jamie Ross"), "Jamie Ross", "person", "Harbour master Jamie Ross"))]


def test_a_quotation_interrupted_by_its_attribution_is_one_record_in_two_pieces(ex):
    t = '"We won the match," said Ann Lee, "and we deserved it."\n'
    assert recs(ex, t) == [("direct", t[1:-2], [at(t, "We won the match,"), at(t, "and we deserved it.")], at(t, "said"),
                            ("Ann Lee", at(t, "Ann Lee"), "Ann Lee", "person", None))]


def test_no_speaker_is_carried_over_another_sentence(ex):
    t = ('The depot is empty. "It has been empty for years," said Ann Lee. '
         'The council met on Monday and voted to sell it. "It is a shame."\n')
    # the second quotation follows a sentence about the council, not Ann Lee; 4 words: not reported
    assert recs(ex, t) == [("direct", "It has been empty for years,", [at(t, "It has been empty for years,")], at(t, "said"),
                            ("Ann Lee", at(t, "Ann Lee"), "Ann Lee", "person", None))]


REPEATED = ('Harbour Board Sells Depot\n\n"We will not let the depot rot," said board chair Nora Quist.\n\n'
            'The board voted on Monday to sell the Harbour Street depot to a housing trust.\n\n'
            '"We will not let the depot rot," said board chair Nora Quist.\n\nThe sale closes in May.\n')

CAPTIONED = ('<html><head><title>Depot sold</title></head><body><article><h1>Depot sold</h1>'
             '<p>The board voted on Monday to sell the Harbour Street depot to a housing trust for two million.</p>'
             '<p>\u201cWe will not let the depot rot while families wait for homes,\u201d said board chair Nora Quist on Monday.</p>'
             '<figure><img src="a.jpg"><figcaption>\u201cWe will not let the depot rot while families wait for homes,\u201d '
             'said Nora Quist.</figcaption></figure><p>The sale closes in May after a public hearing.</p></article></body></html>')


def test_a_repeated_paragraph_is_reported_once_with_also_at(ex):
    art = ex.extract(REPEATED)
    t = REPEATED
    c = "We will not let the depot rot,"
    assert [(p.role, p.duplicate_of) for p in art.paragraphs] == [
        ("title", None), ("caption", None), ("body", None), ("caption", 1), ("body", None)]
    assert [(q.id, q.text, list(q.span), q.speaker.name, [list(a) for a in q.also_at]) for q in art.quotes] == [
        ("q1", c, at(t, c), "Nora Quist", [at(t, c, "voted")])]


def test_a_caption_repeating_a_body_quote_goes_to_also_at(ex):
    art = ex.extract(CAPTIONED)
    c = "We will not let the depot rot while families wait for homes,"
    first = art.text.index(c)
    again = art.text.index(c, first + 1)
    assert art.title == "Depot sold" and art.format == "html"
    assert art.paragraphs[-1].role == "caption" and art.paragraphs[-1].span[0] < again
    assert [(q.text, list(q.span), q.speaker.name, [list(a) for a in q.also_at]) for q in art.quotes] == [
        (c, [first, first + len(c)], "Nora Quist", [[again, again + len(c)]])]


def test_the_same_words_from_two_speakers_are_two_records(ex):
    t = ('"We will not let the depot rot," said Nora Quist on Monday.\n\nThe board then voted.\n\n'
         '"We will not let the depot rot," said Tom Alder on Tuesday.\n')
    art = ex.extract(t)
    c = "We will not let the depot rot,"
    assert [(q.text, list(q.span), q.speaker.name, q.also_at) for q in art.quotes] == [
        (c, at(t, c), "Nora Quist", []), (c, at(t, c, "voted"), "Tom Alder", [])]


def test_she_as_the_subject_of_the_sentence_before_is_the_speaker(ex):
    t = ('Flood Visit\n\nMayor Helen Vasquez visited the flooded district on Friday. She walked along the river bank. '
         '"We will rebuild every house that the water took from these families."\n')
    c = "We will rebuild every house that the water took from these families."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None, ("She", at(t, "She"), "Helen Vasquez", "person", None))]


def test_the_governor_as_the_subject_of_the_sentence_before_is_the_speaker(ex):
    t = 'The council met on Monday. The governor walked out early. "There is no money left in the road fund this year or the next."\n'
    c = "There is no money left in the road fund this year or the next."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None, ("The governor", at(t, "The governor"), "The governor", "person", None))]


def _speaker_cue(ex, t):
    return [(q.kind, q.text, q.speaker.name if q.speaker else None, list(q.cue.span) if q.cue else None) for q in ex.extract(t).quotes]


def test_a_quotation_after_a_paragraph_saying_something_goes_on_with_its_cue(ex):
    t = 'Depot Sale\n\nMayor Helen Vasquez said the depot would be sold by May.\n\n"We have waited long enough."\n'
    assert _speaker_cue(ex, t) == [("indirect", "the depot would be sold by May", "Helen Vasquez", at(t, "said")),
                                   ("direct", "We have waited long enough.", "Helen Vasquez", at(t, "said"))]


def test_a_belief_is_no_cue_to_carry_over(ex):
    t = 'Depot Sale\n\nMayor Helen Vasquez believes the depot will be sold by May.\n\n"We have waited long enough."\n'
    # hers still (the sentence before is about her), but 'believes' does not introduce the words
    assert _speaker_cue(ex, t) == [("indirect", "the depot will be sold by May", "Helen Vasquez", at(t, "believes")),
                                   ("direct", "We have waited long enough.", "Helen Vasquez", None)]


def test_a_long_tail_after_the_attribution_stops_the_cue_carrying_over(ex):
    t = ('Depot Sale\n\n"The depot is a ruin," Mayor Helen Vasquez said on Friday, standing outside the gates with a group '
         'of neighbours who have campaigned for years.\n\n"We have waited long enough."\n')
    assert _speaker_cue(ex, t) == [("direct", "The depot is a ruin,", "Helen Vasquez", at(t, "said")),
                                   ("direct", "We have waited long enough.", "Helen Vasquez", None)]


def test_a_quotation_after_a_mixed_one_takes_its_speaker_and_cue(ex):
    t = 'Depot Sale\n\nShe called it "a ruin that shames us," Mayor Helen Vasquez said. "We have waited long enough."\n'
    assert _speaker_cue(ex, t) == [("mixed", 'She called it "a ruin that shames us,"', "Helen Vasquez", at(t, "said")),
                                   ("direct", "We have waited long enough.", "Helen Vasquez", at(t, "said"))]


def test_a_sentence_ending_in_an_exclamation_mark_before_a_quotation_names_its_speaker(ex):
    t = 'Mayor Helen Vasquez waved to the crowd! "We will rebuild every house that the water took from these families."\n'
    c = "We will rebuild every house that the water took from these families."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None,
                            ("Helen Vasquez", at(t, "Helen Vasquez"), "Helen Vasquez", "person", "Mayor Helen Vasquez"))]


def test_a_quotation_after_a_sentence_with_no_subject_has_no_speaker(ex):
    t = 'What a week for the council. "There is no money left in the road fund for this year or the next."\n'
    c = "There is no money left in the road fund for this year or the next."
    assert recs(ex, t) == [("direct", c, [at(t, c)], None, None)]  # 15 words: reported, unattributed


RULE_KINDS = ("Mayor Celeste Amundsen said on Monday:\n\n\u201cWe will rebuild the bridge by spring.\u201d\n\n"
              "Harbour master Jamie Ross:\n\n\u201cThe cranes are old and the port needs new ones before the winter.\u201d\n\n"
              "\u201cWe won the match,\u201d said Ann Lee. \u201cIt was close all the way.\u201d\n\n"
              "Mayor Helen Vasquez walked along the river bank. "
              "\u201cWe will rebuild every house that the water took from these families.\u201d\n\n"
              "The council met on Monday. \u201cThere is no money left in the road fund for this year or the next.\u201d\n")


def test_without_the_learned_stages_each_rule_gives_its_own_confidence():
    # rules only: the confidence is the rule's own, from a cue in the sentence (surest) down to a
    # quotation no speaker was found for; all within (0, 1]
    art = Extractor(Options(learned=False, acts="all"), nlp=load_model()).extract(RULE_KINDS)
    got = {q.text: (q.speaker.name if q.speaker else None, q.confidence) for q in art.quotes}
    verb, colon_verb, name_colon, inherited, adjacent, none = (
        got["We won the match,"], got["We will rebuild the bridge by spring."],
        got["The cranes are old and the port needs new ones before the winter."], got["It was close all the way."],
        got["We will rebuild every house that the water took from these families."],
        got["There is no money left in the road fund for this year or the next."])
    assert [s for s, _ in (verb, colon_verb, name_colon, inherited, adjacent, none)] == [
        "Ann Lee", "Celeste Amundsen", "Jamie Ross", "Ann Lee", "Helen Vasquez", None]
    assert len(art.quotes) == 6
    assert 0 < none[1] <= 0.3 < adjacent[1] < inherited[1] < colon_verb[1] < verb[1] <= 1
    assert adjacent[1] < name_colon[1] < colon_verb[1]


def test_a_quoted_title_after_an_attributed_quotation_is_not_a_quotation(ex):
    t = "\u201cWe won the match,\u201d said Ann Lee. Her new book is called \u201cThe Quiet Harbour Years.\u201d\n"
    assert [(q.text, q.speaker.name) for q in ex.extract(t).quotes] == [("We won the match,", "Ann Lee")]


def test_a_quotation_opening_a_paragraph_takes_no_speaker_from_a_sentence_after_it(ex):
    t = "The final was on Sunday.\n\n\u201cIt was close all the way.\u201d Later, coach Bob Ray said the team was tired.\n"
    assert [(q.kind, q.text, q.speaker.name) for q in ex.extract(t).quotes] == [("indirect", "the team was tired", "Bob Ray")]


def test_a_quoted_title_standing_alone_is_not_an_unattributed_quotation(ex):
    t = "The council met on Monday.\n\n\u201cThe Long And Winding Road To The Harbour Of Quiet Dreams\u201d\n\nThe book came out in May.\n"
    assert ex.extract(t).quotes == []


NAMED_LATER = ("Depot Sold\n\nThe board voted on Monday to sell the Harbour Street depot to a housing trust for two million.\n\n"
               "\u201cWe will not let the depot rot while families wait for homes and the city does nothing.\u201d\n\n"
               "The sale closes in May after a public hearing.\n\n"
               "\u201cWe will not let the depot rot while families wait for homes and the city does nothing,\u201d said Nora Quist.\n")


def test_the_same_words_reported_again_with_a_speaker_give_the_first_report_its_speaker(ex):
    t = NAMED_LATER
    c = "We will not let the depot rot while families wait for homes and the city does nothing"
    art = ex.extract(t)
    assert [(q.text, list(q.span), q.cue, (q.speaker.text, list(q.speaker.span), q.speaker.name), [list(a) for a in q.also_at])
            for q in art.quotes] == [
        (c + ".", at(t, c + "."), None, ("Nora Quist", at(t, "Nora Quist"), "Nora Quist"), [at(t, c + ",")])]


def _filler(n: int) -> str:
    """n characters of one sentence with no name, quotation or full stop in it."""
    words = "while the fans in the north stand sang and clapped and the band played on the wet grass below them".split()
    s, i = "", 0
    while len(s) < n:
        s += ("" if not s else " ") + words[i % len(words)]
        i += 1
    return s[:n]


@pytest.mark.parametrize("gap,carried", [(119, True), (120, False)])
def test_a_speaker_is_carried_to_a_quotation_less_than_120_characters_on(ex, gap, carried):
    # 'match.' ends the first content; from there to the next opening mark: gap characters
    t = "Ann Lee said: \u201cWe won the match.\u201d " + _filler(gap - 3) + " \u201cIt was close all the way.\u201d\n"
    assert len(t[t.index("match.") + 6 : t.index("\u201cIt")]) == gap
    got = [(q.text, q.speaker.name, list(q.cue.span)) for q in ex.extract(t).quotes]
    first = ("We won the match.", "Ann Lee", at(t, "said"))
    assert got == ([first, ("It was close all the way.", "Ann Lee", at(t, "said"))] if carried else [first])


@pytest.mark.parametrize("gap,carried", [(399, True), (400, False)])
def test_after_its_own_attribution_clause_the_cue_carries_less_than_400_characters_on(ex, gap, carried):
    t = "\u201cWe won the match,\u201d said Ann Lee, " + _filler(gap - len("\u201d said Ann Lee, ") - 2) + ". \u201cIt was close all the way.\u201d\n"
    assert len(t[t.index("match,") + 6 : t.index("\u201cIt")]) == gap
    got = [(q.text, q.speaker.name, list(q.cue.span) if q.cue else None) for q in ex.extract(t).quotes]
    # beyond it the speaker is still hers (the sentence before is about her), but not the cue
    assert got == [("We won the match,", "Ann Lee", at(t, "said")), ("It was close all the way.", "Ann Lee", at(t, "said") if carried else None)]


@pytest.mark.parametrize("tail,carried", [(99, True), (100, False)])
def test_the_cue_goes_on_into_the_next_paragraph_after_a_tail_of_less_than_100_characters(ex, tail, carried):
    p = "\u201cWe won the match,\u201d Ann Lee said " + _filler(tail - len("\u201d Ann Lee said ") - 1) + "."
    assert len(p[p.index("match,") + 6 :]) == tail
    t = "The final was on Sunday.\n\n" + p + "\n\n\u201cIt was close all the way.\u201d\n"
    got = [(q.text, q.speaker.name, list(q.cue.span) if q.cue else None) for q in ex.extract(t).quotes]
    assert got == [("We won the match,", "Ann Lee", at(t, "said")), ("It was close all the way.", "Ann Lee", at(t, "said") if carried else None)]


def test_no_speaker_is_carried_over_a_paragraph_about_something_else(ex):
    t = "\u201cWe won the match,\u201d said Ann Lee.\n\nThe final was on Sunday.\n\n\u201cIt was close all the way.\u201d\n"
    # the last paragraph follows one with no speaker in it; 6 words: not reported unattributed
    assert [(q.text, q.speaker.name) for q in ex.extract(t).quotes] == [("We won the match,", "Ann Lee")]


def test_a_colon_line_gives_the_cue_phrase_and_the_speaker_phrase_of_its_sentence(ex):
    t = "Mayor Celeste Amundsen later said:\n\n\u201cWe will rebuild the bridge by spring.\u201d\n"
    q = ex.extract(t).quotes[0]
    assert (q.text, list(q.cue.span), q.cue.phrase.text, list(q.cue.phrase.span)) == (
        "We will rebuild the bridge by spring.", at(t, "said"), "later said", at(t, "later said"))
    assert (list(q.speaker.span), q.speaker.phrase.text, list(q.speaker.phrase.span)) == (
        at(t, "Celeste Amundsen"), "Mayor Celeste Amundsen", at(t, "Mayor Celeste Amundsen"))


def test_a_name_opening_the_text_with_a_colon_introduces_the_next_paragraph(ex):
    t = 'Jamie Ross:\n\n"The cranes are old and the port needs new ones before the winter."\n'
    c = "The cranes are old and the port needs new ones before the winter."
    assert recs(ex, t) == [("direct", c, [at(t, c)], at(t, ":"), ("Jamie Ross", at(t, "Jamie Ross"), "Jamie Ross", "person", None))]


def test_a_repeated_paragraph_of_a_speaker_with_no_entity_is_reported_once(ex):
    t = REPEATED.replace("board chair Nora Quist", "the mayor")
    c = "We will not let the depot rot,"
    assert [(q.text, list(q.span), q.speaker.name, q.speaker.entity, [list(a) for a in q.also_at]) for q in ex.extract(t).quotes] == [
        (c, at(t, c), "the mayor", None, [at(t, c, "voted")])]
