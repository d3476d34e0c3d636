"""Plain text: a first line that is a headline becomes the title, also without a blank line under it.
Invented text."""

from __future__ import annotations

from quotegraph.read.layout import layout_plain_text

STORY = ("The town council voted on Tuesday to dredge the old harbour, ending a dispute that has lasted four years.\n"
         "\"We finally have a plan,\" said Mayor Ana Ruiz after the vote.\n")


def test_a_headline_line_over_the_story_is_the_title():
    text = "Council approves harbour dredging plan\n" + STORY
    layout = layout_plain_text(text)
    assert layout.title == "Council approves harbour dredging plan"
    title, body = layout.paragraphs[0], layout.paragraphs[1]
    assert (title.role, text[title.start:title.end]) == ("title", "Council approves harbour dredging plan")
    assert text[body.start:body.end] == STORY.strip()  # offsets index the unchanged text


def test_a_first_line_that_is_a_sentence_or_a_byline_is_no_title():
    assert layout_plain_text(STORY + "\nThe work begins in spring.\n").title is None
    layout = layout_plain_text("By Jane Porter\n" + STORY)
    assert layout.title is None
    assert "Jane Porter" not in (layout.title or "")


def test_a_blank_line_under_the_headline_still_works():
    layout = layout_plain_text("Council approves harbour dredging plan\n\n" + STORY)
    assert layout.title == "Council approves harbour dredging plan"
