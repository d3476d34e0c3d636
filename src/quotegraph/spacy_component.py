"""A spaCy pipeline component: ``nlp.add_pipe("quotegraph")`` puts the records on ``doc._.quotes``.

Registered through spaCy's ``spacy_factories`` entry point, so no import is needed. It runs the
library's own code path (``Extractor.extract_source``) on the doc's text, so its records are exactly
those of ``quotegraph.extract``: the layout, the quote-mark pairing and its unclosed-quote rule, and
the paragraph-by-paragraph parse of the normalised view. That parse is made with this pipeline's
own components (this one switched off), so the pipeline must have a parser; the parse already on
the doc (of the whole, unnormalised text) is not reused, since it would give different records.
"""

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc


def _ensure_extensions() -> None:
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=None)
    if not Doc.has_extension("quotegraph"):
        Doc.set_extension("quotegraph", default=None)


class _PipelineWithout:
    """The host pipeline as the ``nlp`` of an ``Extractor``, with one component switched off."""

    def __init__(self, nlp: Language, name: str):
        self.nlp, self.name = nlp, name

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        return self.nlp.pipe(texts, batch_size=batch_size, disable=[self.name])


class QuotegraphComponent:
    def __init__(self, nlp: Language, name: str, min_unattributed_words: int):
        from .pipeline import Extractor, Options

        self.name = name
        self.extractor = Extractor(Options(min_unattributed_words=min_unattributed_words), nlp=_PipelineWithout(nlp, name))
        _ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from .read.readers import read_string

        if not doc.has_annotation("DEP"):
            raise ValueError("the quotegraph component needs a dependency parse: add it after 'parser'")
        if not doc.text.strip():
            doc._.quotes, doc._.quotegraph = [], None
            return doc
        article = self.extractor.extract_source(read_string(doc.text, format="text"))
        doc._.quotegraph = article
        doc._.quotes = article.quotes
        return doc


@Language.factory("quotegraph", default_config={"min_unattributed_words": 8})
def make_quotegraph(nlp: Language, name: str, min_unattributed_words: int) -> QuotegraphComponent:
    return QuotegraphComponent(nlp, name, min_unattributed_words)
