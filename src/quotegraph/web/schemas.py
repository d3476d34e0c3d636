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
from typing import Generic, Literal, Optional, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models import QuoteKind, Span, SpeakerKind

T = TypeVar("T")


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Page(_M, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    total: Optional[int] = Field(default=None, description="all matching records (null when not counted, as in search)")
    next_offset: Optional[int] = Field(default=None, description="offset of the next page, null on the last")


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(pattern=r"\S", description="the article: plain text or HTML (not blank)")
    format: Optional[Literal["text", "html"]] = Field(default=None, description="null: detected")


class BodyInvalid(RequestValidationError):
    """A request body that is not what its model says; ``total`` errors, of which the first few
    are listed (the 422 lists at most 20: ``limits.capped_errors``)."""

    def __init__(self, errors: list, total: Optional[int] = None):
        super().__init__(errors)
        self.total = len(errors) if total is None else total


_WS = re.compile(r"[ \t\n\r]*")
_scan_value = json.scanner.make_scanner(json.JSONDecoder())


def _json_invalid(pos: int, why: str) -> BodyInvalid:
    return BodyInvalid([{"type": "json_invalid", "loc": ("body", pos), "msg": f"JSON decode error: {why}"}])


def _members(s: str, keep: int) -> tuple[dict, list[str]]:
    """The known members of the JSON object ``s`` and its unknown keys, read one member at a
    time, each string by the C scanner: ``json.loads`` would hold the interpreter lock (and so
    stall the event loop, thread or not) for the whole body, 0.2 s for 80,000 keys. Reading stops
    at the ``keep``-th unknown key, or at one whose value is an array or object."""
    fields: dict = {}
    unknown: list[str] = []
    i = _WS.match(s, 0).end()
    if s[i:i + 1] != "{":
        raise BodyInvalid([{"type": "model_type", "loc": ("body",), "msg": "Input should be a JSON object"}])
    i = _WS.match(s, i + 1).end()
    if s[i:i + 1] == "}":
        return fields, unknown
    while True:
        if s[i:i + 1] != '"':
            raise _json_invalid(i, "expecting a property name in double quotes")
        key, i = json.decoder.scanstring(s, i + 1)
        i = _WS.match(s, i).end()
        if s[i:i + 1] != ":":
            raise _json_invalid(i, "expecting ':'")
        i = _WS.match(s, i + 1).end()
        if key in ExtractRequest.model_fields:
            if s[i:i + 1] == '"':
                fields[key], i = json.decoder.scanstring(s, i + 1)
            elif s.startswith("null", i):
                fields[key], i = None, i + 4
            else:
                raise BodyInvalid([{"type": "string_type", "loc": ("body", key), "msg": "Input should be a valid string"}])
        else:
            unknown.append(key)
            if len(unknown) >= keep or s[i:i + 1] in ("[", "{"):
                return fields, unknown
            _, i = _scan_value(s, i)
        i = _WS.match(s, i).end()
        if s[i:i + 1] == ",":
            i = _WS.match(s, i + 1).end()
        elif s[i:i + 1] == "}":
            break
        else:
            raise _json_invalid(i, "expecting ',' or '}'")
    i = _WS.match(s, i + 1).end()
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
    given_id: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    crawled: Optional[str] = None
    title: Optional[str] = None
    format: Optional[str] = None
    n_quotes: int = 0


class OccSpeaker(_M):
    text: Optional[str] = None
    name: Optional[str] = None
    kind: Optional[SpeakerKind] = None
    person: Optional[int] = Field(default=None, description="person id: /api/people/{id}")


class OccAddressee(_M):
    text: Optional[str] = None
    person: Optional[int] = None


class ViaSource(_M):
    text: str
    kind: SpeakerKind = "unknown"


class Occurrence(_M):
    article: str = Field(description="the article's key")
    source: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    qid: str = Field(description="the quote's id within the article")
    kind: Optional[QuoteKind] = None
    text: str
    span: Span
    speaker: OccSpeaker
    addressee: Optional[OccAddressee] = None
    cue: Optional[str] = None
    via: list[ViaSource] = Field(default_factory=list)
    source_class: Optional[str] = None
    first: bool = False
    speaker_variant: bool = False
    word_variant: bool = False
    containment: Optional[float] = None
    confidence: Optional[float] = None
    quote: Optional[int] = Field(default=None, description="the corpus quote id: /api/quotes/{id}")
    n_occurrences: Optional[int] = None


class QuoteSpeaker(_M):
    name: Optional[str] = None
    person: Optional[int] = None


class Variants(_M):
    speaker: int = Field(description="occurrences attributing it to another speaker")
    words: int = Field(description="occurrences with changed words")


class QuoteRecord(_M):
    id: int
    key: str
    text: str = Field(description="as first reported")
    kind: Optional[QuoteKind] = None
    speaker: QuoteSpeaker
    first_published: Optional[str] = None
    last_published: Optional[str] = None
    n_occurrences: int
    variants: Variants
    score: Optional[float] = None
    occurrences: list[Occurrence] = Field(default_factory=list, description="the first ones; all: /api/quotes/{id}/occurrences")


class PersonSummary(_M):
    id: int
    name: str
    kind: str
    local_to_article: Optional[str] = Field(default=None, description="known only by a bare name in this article")
    quotes: int
    articles: int


class Role(_M):
    role: str
    date: Optional[str] = None
    outlet: Optional[str] = None
    article: Optional[str] = None


class Person(PersonSummary):
    key: str
    aliases: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class SourceRow(_M):
    outlet: Optional[str] = None
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


class Stats(_M):
    articles: int
    quotes: int
    occurrences: int
    people: int
    organizations: int
    failures: int


class Problem(_M):
    detail: str
