"""The spaCy pipeline component gives exactly the library's records (one code path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph import Extractor
from quotegraph.pipeline.nlp import available_model, load_model

ROOT = Path(__file__).parent.parent
ARTICLES = sorted(p for p in (ROOT / "tests" / "articles").iterdir() if p.suffix in {".txt", ".html"})
EXAMPLE = ROOT / "examples" / "seed-article.txt"

TEXT = (
    "Senator Maria Okafor said on Tuesday that the bill would pass.\n\n"
    "\u201cWe have the votes,\u201d she told reporters. \u201cThe rest is theatre.\u201d\n"
)


@pytest.fixture(scope="module")
def nlp():
    """A full host pipeline, loaded by spaCy itself, with the component added by name."""
    import spacy

    host = spacy.load(available_model().replace("-", "_"))
    host.add_pipe("quotegraph", last=True)
    return host


@pytest.fixture(scope="module")
def library():
    return Extractor(nlp=load_model())


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def test_add_pipe_by_name_puts_quotes_on_doc(nlp):
    doc = nlp(TEXT)
    got = [(q.kind, q.text, q.span, q.speaker.name if q.speaker else None, q.addressee.text if q.addressee else None)
           for q in doc._.quotes]
    said = TEXT.index("that the bill would pass")
    votes = TEXT.index("We have the votes,")
    theatre = TEXT.index("The rest is theatre.")
    assert got == [
        ("indirect", "that the bill would pass", (said, said + len("that the bill would pass")), "Maria Okafor", None),
        ("direct", "We have the votes,", (votes, votes + len("We have the votes,")), "Maria Okafor", "reporters"),
        ("direct", "The rest is theatre.", (theatre, theatre + len("The rest is theatre.")), "Maria Okafor", None),
    ]
    assert doc._.quotegraph.quotes == doc._.quotes


@pytest.mark.parametrize("path", [*ARTICLES, EXAMPLE], ids=lambda p: p.stem)
def test_component_records_are_the_library_records(nlp, library, path):
    text = _read(path)
    if path.suffix == ".html":  # the component reads plain text: give both the article's text
        text = library.extract(text, path=str(path)).text
    want = library.extract(text, format="text")
    got = nlp(text)._.quotegraph
    assert want.quotes, f"{path.name}: no quotes at all: nothing compared"
    assert got.model_dump() == want.model_dump()


def test_empty_doc_has_no_quotes(nlp):
    doc = nlp("   \n")
    assert doc._.quotes == [] and doc._.quotegraph is None


def test_component_needs_a_parser():
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("quotegraph")
    with pytest.raises(ValueError, match="needs a dependency parse"):
        blank("\u201cWe have the votes,\u201d she said.")
