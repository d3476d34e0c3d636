"""The one schema: used by the library, the CLI, the store, the API and the evaluation.

Every span is ``[start, end)`` in Python code points into ``Article.text``; for every
span-carrying object ``article.text[start:end] == obj.text`` holds.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]

ParagraphRole = Literal["title", "subtitle", "highlight", "body", "caption", "source", "byline"]
QuoteKind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "outlet", "document", "anonymous", "unknown"]


class Kind(StrEnum):
    """A quote's kind in the code (``QuoteKind`` is the same set in the schema)."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"
SourceKind = SpeakerKind

Act = Literal["statement", "belief", "intention", "knowledge"]
"""What the source did: communicated (``statement``: said, told, wrote, announced, according to, a
document states), believed (``belief``: thinks, fears), meant (``intention``: wants, plans, hopes) or
knew or perceived (``knowledge``: knows, found, saw).  The default output holds statements only;
``acts="all"`` gives PARC's full set (PolNeAR counts all four)."""


class Acts(StrEnum):
    """Which records an output keeps (``Options.acts``, ``--acts``): ``statements`` (the default:
    asserted statements from a source) or ``all`` (PARC's full set)."""

    STATEMENTS = "statements"
    ALL = "all"


def is_reported_statement(act: str, factuality: str, has_source: bool) -> bool:
    """What ``Acts.STATEMENTS`` shows, the one meaning everywhere (extraction's ``decide.acts``, the
    store's queries, the API and the web app): a statement, asserted (not "did not say" nor "would
    say"), from a source named in the text."""
    return act == "statement" and factuality == "asserted" and has_source


Factuality = Literal["asserted", "negated", "hypothetical"]
"""Whether the report says the act happened (``asserted``), that it did not ("did not say"), or that it
might ("would say", "if asked, she could argue")."""
SourceType = Literal["named_person", "named_organization", "document", "anonymous", "unnamed_person", "unnamed_group"]
"""The source as a reporter means it: a person or organisation by name, a document (report, poll,
filing, statement), an anonymous source ("a person familiar with the talks"), or a person or group the
article describes but does not name ("a teacher", "residents")."""


class Gender(StrEnum):
    """A person's gender as the article tells it (``Entity.gender``, the store's ``people.gender``)."""

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


GenderEvidence = Literal["pronoun", "honorific", "name", "none"]
"""What an entity's gender rests on: pronouns the article uses for the person (``pronoun``), a
gendered honorific or noun ("Ms.", "Mr.", "the congresswoman": ``honorific``), the given name's
usual gender where it is unambiguous (``name``), or nothing (``none``: gender ``unknown``)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Paragraph(_Model):
    span: Span
    role: ParagraphRole = "body"
    duplicate_of: int | None = Field(
        default=None, description="index of the first paragraph this one repeats (exactly or nearly)"
    )


class Mention(_Model):
    text: str
    span: Span


class Cue(Mention):
    phrase: Mention | None = Field(
        default=None, description="the whole verb group as written: auxiliaries, negation, particles (\"has called for\", \"did not say\")"
    )


class Speaker(Mention):
    phrase: Mention | None = Field(
        default=None, description="the whole source phrase as written, with titles and appositions (\"Rod J Rosenstein, then the deputy attorney general\")"
    )
    name: str | None = Field(default=None, description="who the mention refers to (canonical name)")
    entity: str | None = Field(default=None, description="id of the entity in Article.entities")
    kind: SpeakerKind = "unknown"
    type: SourceType | None = Field(default=None, description="the source as a reporter means it (named person, anonymous ...)")
    role: str | None = Field(default=None, description="a person's title or role as the article gives it (\"the city treasurer\")")
    organization: str | None = Field(default=None, description="the organisation a person speaks for (\"an Exxon spokesperson\": Exxon)")


class Addressee(Mention):
    entity: str | None = None


class Via(Mention):
    kind: SourceKind = "unknown"


class Quote(_Model):
    id: str
    kind: QuoteKind
    text: str
    span: Span
    spans: list[Span]
    cue: Cue | None = None
    speaker: Speaker | None = None
    addressee: Addressee | None = None
    via: list[Via] = Field(default_factory=list, description="sources the attribution is reported through, innermost first")
    nested_in: str | None = Field(default=None, description="id of the quote this one is reported inside")
    also_at: list[Span] = Field(default_factory=list, description="other places reporting the same attribution")
    act: Act = Field(default="statement", description="what the source did: statement, belief, intention, knowledge")
    factuality: Factuality = Field(default="asserted", description="asserted, negated (\"did not say\") or hypothetical (\"would say\")")
    confidence: float = 0.5


class Entity(_Model):
    id: str
    name: str
    kind: SpeakerKind = "person"
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)
    gender: Gender = Field(default=Gender.UNKNOWN, description="a person's gender as the article tells it; unknown for all but persons")
    gender_evidence: GenderEvidence = Field(default="none", description="what the gender rests on: pronoun, honorific, name or none")


class Article(_Model):
    id: str
    path: str | None = None
    text: str
    title: str | None = None
    publisher: str | None = None
    authors: list[str] = Field(default_factory=list)
    date: str | None = None
    url: str | None = None
    language: str | None = None  # the page's language ("en", "pt-BR"): as it declares it, else read from its text; HTML only
    format: Literal["text", "html"] = "text"
    paragraphs: list[Paragraph] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)

    def quote(self, quote_id: str) -> Quote:
        for q in self.quotes:
            if q.id == quote_id:
                return q
        raise KeyError(quote_id)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)


def iter_spans(article: Article):
    """Yield ``(label, text, span)`` for every span-carrying field of an article (for checks)."""
    for q in article.quotes:
        yield f"{q.id}.text", q.text, q.span
        for s in q.spans:
            yield f"{q.id}.spans", None, s
        for s in q.also_at:
            yield f"{q.id}.also_at", None, s
        for label, m in (("cue", q.cue), ("speaker", q.speaker), ("addressee", q.addressee)):
            if m is not None:
                yield f"{q.id}.{label}", m.text, m.span
                phrase = getattr(m, "phrase", None)
                if phrase is not None:
                    yield f"{q.id}.{label}.phrase", phrase.text, phrase.span
        for v in q.via:
            yield f"{q.id}.via", v.text, v.span
    for p in article.paragraphs:
        yield "paragraph", None, p.span
    for e in article.entities:
        for s in e.mentions:
            yield f"{e.id}.mention", None, s
