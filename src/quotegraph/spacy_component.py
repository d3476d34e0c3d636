"""A spaCy pipeline component: ``nlp.add_pipe("quotegraph")`` puts the records on ``doc._.quotes``.

Registered through spaCy's ``spacy_factories`` entry point, so no import is needed. It reuses the
parse already on the doc (it must come after the parser and the entity recogniser) and runs the
same stages as ``quotegraph.extract`` on it.
"""


from spacy.language import Language
from spacy.tokens import Doc


def _ensure_extensions() -> None:
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=None)
    if not Doc.has_extension("quotegraph"):
        Doc.set_extension("quotegraph", default=None)


class QuotegraphComponent:
    def __init__(self, nlp: Language, name: str, min_unattributed_words: int):
        from .pipeline import Options

        self.name = name
        self.options = Options(min_unattributed_words=min_unattributed_words)
        _ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from .attribution import ParaCtx
        from .layout import layout_plain_text
        from .normalize import TextView
        from .pipeline import _Prepared, finish_prepared
        from .quotemarks import find_quotes
        from .readers import Source

        if not doc.has_annotation("DEP"):
            raise ValueError("the quotegraph component needs a dependency parse: add it after 'parser'")
        text = doc.text
        if not text.strip():
            doc._.quotes, doc._.quotegraph = [], None
            return doc
        layout = layout_plain_text(text)
        prepared = _Prepared(source=Source(name="<doc>", content=text, format="text"), layout=layout, view=TextView.of(text))
        raw = [find_quotes(text[p.start : p.end]) for p in layout.paragraphs]
        for i, para in enumerate(layout.paragraphs):
            span = doc.char_span(para.start, para.end, alignment_mode="expand")
            if span is None:
                continue
            sub = span.as_doc()
            quotes = [q for q in raw[i] if q.close_pos is not None]
            prepared.ctxs.append(ParaCtx(index=i, offset=span.start_char, text=text[span.start_char : span.end_char],
                                         role=para.role, doc=sub, quotes=quotes if span.start_char == para.start else []))
        article = finish_prepared(prepared, None, self.options)
        doc._.quotegraph = article
        doc._.quotes = article.quotes
        return doc


@Language.factory("quotegraph", default_config={"min_unattributed_words": 8})
def make_quotegraph(nlp: Language, name: str, min_unattributed_words: int) -> QuotegraphComponent:
    return QuotegraphComponent(nlp, name, min_unattributed_words)
