"""Response models of the JSON API.

Articles are the library's own ``quotegraph.models.Article`` (the contract's object, as
``extract`` returns it). The corpus records (quotes with their occurrences across articles,
people, outlets) are the dicts ``quotegraph.corpus.Corpus`` returns; they are described here so
the OpenAPI schema documents them and every response is validated against them.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models import Act, Factuality, Gender, QuoteKind, SourceType, Span, SpeakerKind

T = TypeVar("T")


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Page(_M, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    total: int | None = Field(default=None, description="all matching records (null when not counted, as in search)")
    next_offset: int | None = Field(default=None, description="offset of the next page, null on the last")


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(pattern=r"\S", description="the article: plain text or HTML (not blank)")
    format: Literal["text", "html"] | None = Field(default=None, description="null: detected")
    acts: Literal["statements", "all"] = Field(
        default="statements", description="statements: what a source communicated; all: beliefs, intentions and "
                                          "knowledge too (PARC's full set)")
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False,
                                         description="drop records of a lower confidence (null: the model's own floor)")


class BodyInvalid(RequestValidationError):
    """A request body that is not what its model says; ``total`` errors, of which the first few
    are listed (the 422 lists at most 20: ``limits.capped_errors``)."""

    def __init__(self, errors: list, total: int | None = None):
        super().__init__(errors)
        self.total = len(errors) if total is None else total


_WS = re.compile(r"[ \t\n\r]*")
# the C scanners of the json module: a value, and a string after its opening quote
_scan_value: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # typeshed types its argument as the scanner class; it takes the decoder
_scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009 - not in typeshed


def _skip_ws(s: str, i: int) -> int:
    """The first position at or after ``i`` that is not JSON white space."""
    m = _WS.match(s, i)
    return i if m is None else m.end()


def _json_invalid(pos: int, why: str) -> BodyInvalid:
    return BodyInvalid([{"type": "json_invalid", "loc": ("body", pos), "msg": f"JSON decode error: {why}"}])


def _members(s: str, keep: int) -> tuple[dict, list[str]]:
    """The known members of the JSON object ``s`` and its unknown keys, read one member at a
    time, each string by the C scanner: ``json.loads`` would hold the interpreter lock (and so
    stall the event loop, thread or not) for the whole body, 0.2 s for 80,000 keys. Reading stops
    at the ``keep``-th unknown key, or at one whose value is an array or object."""
    fields: dict = {}
    unknown: list[str] = []
    i = _skip_ws(s, 0)
    if s[i:i + 1] != "{":
        raise BodyInvalid([{"type": "model_type", "loc": ("body",), "msg": "Input should be a JSON object"}])
    i = _skip_ws(s, i + 1)
    if s[i:i + 1] == "}":
        return fields, unknown
    while True:
        if s[i:i + 1] != '"':
            raise _json_invalid(i, "expecting a property name in double quotes")
        key, i = _scanstring(s, i + 1)
        i = _skip_ws(s, i)
        if s[i:i + 1] != ":":
            raise _json_invalid(i, "expecting ':'")
        i = _skip_ws(s, i + 1)
        if key in ExtractRequest.model_fields:
            if s[i:i + 1] == '"':
                fields[key], i = _scanstring(s, i + 1)
            elif s[i:i + 1] in ("[", "{"):  # no field takes an array or an object
                raise BodyInvalid([{"type": "scalar_type", "loc": ("body", key), "msg": "Input should be a string, "
                                    "a number or null"}])
            else:  # null, a number, true or false: the model says which it takes
                fields[key], i = _scan_value(s, i)
        else:
            unknown.append(key)
            if len(unknown) >= keep or s[i:i + 1] in ("[", "{"):
                return fields, unknown
            _, i = _scan_value(s, i)
        i = _skip_ws(s, i)
        if s[i:i + 1] == ",":
            i = _skip_ws(s, i + 1)
        elif s[i:i + 1] == "}":
            break
        else:
            raise _json_invalid(i, "expecting ',' or '}'")
    i = _skip_ws(s, i + 1)
    if i != len(s):
        raise _json_invalid(i, "extra data after the object")
    return fields, unknown


def parse_extract_request(raw: bytes, keep: int = 20) -> ExtractRequest:
    """The body of ``POST /api/extract``: a JSON object, then the model; ``BodyInvalid`` (a 422)
    else, listing at most ``keep`` errors. The server runs it in a worker thread."""
    if not raw.strip():
        raise BodyInvalid([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
    try:
        fields, unknown = _members(raw.decode(json.detect_encoding(raw)), keep)
    except UnicodeDecodeError as e:
        raise _json_invalid(e.start, "not UTF-8") from None
    except ValueError as e:  # json.JSONDecodeError of a string or a number
        raise _json_invalid(getattr(e, "pos", 0), getattr(e, "msg", None) or str(e)) from None
    except StopIteration as e:  # no JSON value where one belongs
        raise _json_invalid(e.value if isinstance(e.value, int) else 0, "expecting a value") from None
    if unknown:
        raise BodyInvalid([{"type": "extra_forbidden", "loc": ("body", k), "msg": "Extra inputs are not permitted"}
                           for k in unknown])
    try:
        return ExtractRequest.model_validate(fields)
    except ValidationError as e:
        errors = e.errors(include_url=False, include_input=False, include_context=False)
        raise BodyInvalid([{**x, "loc": ("body", *x["loc"])} for x in errors[:keep]], total=len(errors)) from None


class ArticleSummary(_M):
    key: str = Field(description="content hash: /api/articles/{key}")
    given_id: str | None = None
    source: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    crawled: str | None = None
    title: str | None = None
    format: str | None = None
    n_quotes: int = 0


class OccSpeaker(_M):
    text: str | None = None
    name: str | None = None
    kind: SpeakerKind | None = None
    person: int | None = Field(default=None, description="person id: /api/people/{id}")
    type: SourceType | None = Field(default=None, description="the source as a reporter means it (named person, anonymous ...)")
    role: str | None = Field(default=None, description="a person's title or role as the article gives it")
    organization: str | None = Field(default=None, description="the organisation a person speaks for")
    gender: Gender | None = Field(default=None, description="the speaker's gender across the store (female, male, unknown)")


class OccAddressee(_M):
    text: str | None = None
    person: int | None = None


class ViaSource(_M):
    text: str
    kind: SpeakerKind = "unknown"


class Occurrence(_M):
    article: str = Field(description="the article's key")
    source: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    qid: str = Field(description="the quote's id within the article")
    kind: QuoteKind | None = None
    text: str
    span: Span
    speaker: OccSpeaker
    act: Act = Field(default="statement", description="statement, belief, intention or knowledge")
    factuality: Factuality = Field(default="asserted", description="asserted, negated or hypothetical")
    addressee: OccAddressee | None = None
    cue: str | None = None
    via: list[ViaSource] = Field(default_factory=list)
    source_class: str | None = None
    first: bool = False
    speaker_variant: bool = False
    word_variant: bool = False
    containment: float | None = None
    confidence: float | None = None
    quote: int | None = Field(default=None, description="the corpus quote id: /api/quotes/{id}")
    n_occurrences: int | None = None


class QuoteSpeaker(_M):
    name: str | None = None
    person: int | None = None


class Variants(_M):
    speaker: int = Field(description="occurrences attributing it to another speaker")
    words: int = Field(description="occurrences with changed words")


class QuoteRecord(_M):
    id: int
    key: str
    text: str = Field(description="as first reported")
    kind: QuoteKind | None = None
    speaker: QuoteSpeaker
    first_published: str | None = None
    last_published: str | None = None
    n_occurrences: int
    variants: Variants
    score: float | None = None
    occurrences: list[Occurrence] = Field(default_factory=list, description="the first ones; all: /api/quotes/{id}/occurrences")


class PersonSummary(_M):
    id: int
    name: str
    kind: str
    local_to_article: str | None = Field(default=None, description="known only by a bare name in this article")
    quotes: int
    articles: int
    gender: Gender = Field(default=Gender.UNKNOWN, description="the person's gender as the articles tell it (unknown for organisations)")
    gender_evidence: str | None = Field(default=None, description="pronoun, honorific, name, or correction (a user's)")


class Role(_M):
    role: str
    date: str | None = None
    outlet: str | None = None
    article: str | None = None


class Person(PersonSummary):
    key: str
    aliases: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class SourceRow(_M):
    outlet: str | None = None
    articles: int
    quotes: int
    named: int
    anonymous: int
    document: int
    unknown: int
    via_document: int
    second_hand: int = Field(default=0, description="occurrences reported through another source (a via chain)")
    direct: int
    indirect: int
    mixed: int
    anonymous_share: float


class SourceGroup(_M):
    """People and quotes of one group of ``/api/sources?by=...``: a row carries exactly the keys
    it is grouped by (null: not a person, no source type, no outlet, undated)."""

    gender: Literal["female", "male", "unknown"] | None = Field(default=None, description="the speaker's gender; null: not a person")
    type: str | None = Field(default=None, description="the source's type (named_person, anonymous, ...)")
    outlet: str | None = None
    month: str | None = Field(default=None, description="YYYY-MM of publication")
    year: str | None = Field(default=None, description="YYYY of publication")
    people: int = Field(description="distinct persons quoted")
    quotes: int = Field(description="quote occurrences (reports)")


class Stats(_M):
    articles: int
    quotes: int
    occurrences: int
    people: int
    organizations: int
    failures: int


class Problem(_M):
    detail: str
