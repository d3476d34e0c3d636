"""The spaCy pipeline component gives the same records as the library."""

from __future__ import annotations

from quotegraph import extract
from quotegraph.nlp import load_model

TEXT = (
    "Senator Maria Okafor said on Tuesday that the bill would pass.\n\n"
    "\u201cWe have the votes,\u201d she told reporters. \u201cThe rest is theatre.\u201d\n"
)


def test_add_pipe_by_name_puts_quotes_on_doc():
    import spacy

    nlp = spacy.load(load_model().path) if getattr(load_model(), "path", None) else load_model()
    if "quotegraph" not in nlp.pipe_names:
        nlp.add_pipe("quotegraph", last=True)
    doc = nlp(TEXT)
    quotes = doc._.quotes
    lib = extract(TEXT).quotes
    assert [(q.kind, q.span, q.speaker.name if q.speaker else None) for q in quotes] == [
        (q.kind, q.span, q.speaker.name if q.speaker else None) for q in lib
    ]
    assert any(q.speaker and q.speaker.name == "Maria Okafor" and q.addressee and q.addressee.text == "reporters" for q in quotes)
    for q in quotes:
        assert doc.text[q.span[0]:q.span[1]] == q.text
