"""The JSON API under ``/api/``: extract, articles, quotes, people, search, sources.

Responses are validated against their models (``schemas.py``; articles are the library's
``Article``); every list is a ``Page`` with ``limit``/``offset``/``next_offset``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response

from ...corpus.filtering import ACT_NAMES, ACTS_PATTERN, GENDERS, KINDS, SOURCE_TYPES, FilterError, QuoteFilter, list_pattern
from ...errors import QuotegraphError
from ...models import Article
from .. import schemas as s
from ..deps import MAX_LIMIT, MAX_OFFSET, ClientGone, extract_service, person_or_404, reader, render, unless_disconnected
from ..state import Busy, ExtractService, Reader, TooLarge

router = APIRouter(tags=["api"])

Limit = Query(20, ge=1, le=100, description="records per page")
# what a search hit costs: the store's own bound (corpus.query.MAX_LIMIT), as the CLI's -n
SearchLimit = Query(20, ge=1, le=MAX_LIMIT, description="hits per page")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="records to skip")
Acts = Literal["statements", "all"]
ACTS_ALL = "statements: what a source communicated; all: beliefs, intentions, knowledge and records with no source too"
ACTS_HELP = f"{ACTS_ALL}; or act names: {', '.join(ACT_NAMES)}"
ActsQuery = Query("statements", description=ACTS_ALL)
MinConfidence = Query(None, ge=0.0, le=1.0, allow_inf_nan=False, description="only records of this confidence or more")
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": s.Problem, "description": "not found"}, 503: {"model": s.Problem, "description": "no store"}}


def _page(items: list, limit: int, offset: int, total: int | None = None, more: bool | None = None) -> dict:
    if more is None:
        more = total is not None and offset + len(items) < total
    return {"items": items, "limit": limit, "offset": offset, "total": total,
            "next_offset": offset + limit if more else None}


def filter_query(default_acts: str = "statements") -> Callable[..., QuoteFilter]:
    """A dependency: the query parameters of the shared filter (``corpus.filtering.QuoteFilter``,
    the CLI's and the pages' own); a value it cannot read is a 422 whose one line says what is allowed."""

    def read(kind: str | None = Query(None, max_length=100, json_schema_extra={"pattern": list_pattern(KINDS)},
                                      description=f"{', '.join(KINDS)} (several: comma-separated)"),
             acts: str | None = Query(None, max_length=100, json_schema_extra={"pattern": ACTS_PATTERN},
                                      description=f"{ACTS_HELP} (default: {default_acts})"),
             speaker: str | None = Query(None, max_length=200, description="full name, alias or surname"),
             outlet: str | None = Query(None, max_length=200, description="part of the outlet's name"),
             since: date | None = Query(None, description="first day (YYYY-MM-DD)"),
             until: date | None = Query(None, description="last day (YYYY-MM-DD)"),
             gender: str | None = Query(None, max_length=100, json_schema_extra={"pattern": list_pattern(GENDERS)},
                                        description=f"the speaker's gender: {', '.join(GENDERS)}"),
             type: str | None = Query(None, max_length=200, json_schema_extra={"pattern": list_pattern(SOURCE_TYPES)},
                                      description=f"the source's type: {', '.join(SOURCE_TYPES)}"),
             min_confidence: float | None = MinConfidence) -> QuoteFilter:
        try:
            return QuoteFilter.parse(kind=kind, acts=acts, speaker=speaker, outlet=outlet,
                                     since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                                     gender=gender, type=type, min_confidence=min_confidence, default_acts=default_acts,
                                     empty_range=True)
        except FilterError as e:
            raise HTTPException(422, str(e)) from None

    return read


@router.get("", include_in_schema=False)
def api_index(request: Request):
    schema = request.app.openapi()
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [p["name"] for p in op.get("parameters", [])]
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params})
    return render(request, "api.html", ops=ops)


EXTRACT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": s.ExtractRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@router.post("/extract", response_model=Article, summary="Extract attributions from one article",
             openapi_extra=EXTRACT_BODY,
             responses={401: {"model": s.Problem, "description": "the server's API token is missing"},
                        413: {"model": s.Problem, "description": "too large"}, 422: {"description": "unreadable input"},
                        429: {"model": s.Problem, "description": "too many extractions from this client"},
                        503: {"model": s.Problem, "description": "busy, or past the time limit"}})
async def extract(request: Request, ex: ExtractService = Depends(extract_service)):
    """The article object of the contract (``quotegraph extract --format json``) for plain text
    or HTML; nothing is stored. Body: ``{"text": ..., "format": null | "text" | "html",
    "acts": "statements" | "all", "min_confidence": null | 0..1}``: statements from a source
    unless ``acts`` is ``all``; records below ``min_confidence`` dropped."""
    raw = await request.body()  # at most Settings.max_request_bytes (BodyLimit)
    body = await anyio.to_thread.run_sync(s.parse_extract_request, raw)  # JSON and validation: off the event loop
    overrides: dict[str, Any] = {"acts": body.acts}
    if body.min_confidence is not None:
        overrides["min_confidence"] = body.min_confidence
    try:
        # the worker's extractor keeps the acts and confidences asked for (``overrides``)
        return await unless_disconnected(request, lambda: ex.extract(body.text, "<request>", body.format, overrides))
    except ClientGone:
        return Response(status_code=499)
    except TooLarge as e:
        raise HTTPException(413, str(e)) from None
    except Busy as e:
        raise HTTPException(503, str(e), headers={"Retry-After": "2"}) from None
    except QuotegraphError as e:
        raise HTTPException(422, str(e)) from None


@router.get("/stats", response_model=s.Stats, summary="Counts of the store", responses=ERRORS)
def stats(r: Reader = Depends(reader)):
    return r.corpus.stats()


@router.get("/articles", response_model=s.Page[s.ArticleSummary], summary="Stored articles, newest first",
            responses=ERRORS)
def articles(outlet: str | None = Query(None, max_length=500), limit: int = Limit, offset: int = Offset,
             r: Reader = Depends(reader)):
    res = r.views.articles(limit=limit, offset=offset, outlet=outlet)
    return _page(res["items"], limit, offset, res["total"])


@router.get("/articles/{key}", response_model=Article, summary="A stored article with its attributions",
            responses=ERRORS)
def article(key: str, r: Reader = Depends(reader)) -> Article:
    meta = r.views.article_meta(key)
    if meta is None:
        raise HTTPException(404, f"no stored article {key!r}")
    try:
        return r.corpus.article(meta["key"])
    except LookupError as e:
        raise HTTPException(404, str(e)) from None


@router.get("/quotes", response_model=s.Page[s.QuoteRecord], summary="Quotes, most recently reported first",
            responses=ERRORS)
def quotes(acts: Acts = ActsQuery, min_confidence: float | None = MinConfidence, limit: int = SearchLimit,
           offset: int = Offset, r: Reader = Depends(reader)):
    """Statements from a source unless ``acts=all``; ``min_confidence``: only records of that
    confidence or more."""
    hits = r.corpus.search("", limit=limit, offset=offset, occurrences=5, acts=acts, min_confidence=min_confidence)
    return _page(hits, limit, offset, r.views.quotes_total(acts, min_confidence))


def _id():
    return Path(ge=1, le=2**62, description="record id")


def _quote(r: Reader, quote_id: int, occurrences: int | bool) -> dict:
    try:
        return r.corpus.quote(quote_id, occurrences=occurrences)
    except LookupError as e:
        raise HTTPException(404, str(e)) from None


@router.get("/quotes/{quote_id}", response_model=s.QuoteRecord, summary="A quote with its first occurrences",
            responses=ERRORS)
def quote(quote_id: int = _id(), r: Reader = Depends(reader)):
    q = _quote(r, quote_id, False)
    q["occurrences"] = r.views.occurrences(quote_id, limit=20)
    return q


@router.get("/quotes/{quote_id}/occurrences", response_model=s.Page[s.Occurrence],
            summary="Every report of a quote, first reported first", responses=ERRORS)
def quote_occurrences(quote_id: int = _id(), limit: int = Limit, offset: int = Offset, r: Reader = Depends(reader)):
    q = _quote(r, quote_id, False)
    return _page(r.views.occurrences(quote_id, limit=limit, offset=offset), limit, offset, q["n_occurrences"])


@router.get("/people", response_model=s.Page[s.PersonSummary], summary="People and organisations, most quoted first",
            responses=ERRORS)
def people(q: str = Query("", max_length=200, description="part of a name or alias"), limit: int = Limit,
           offset: int = Offset, r: Reader = Depends(reader)):
    res = r.views.people(q, limit=limit, offset=offset)
    return _page(res["items"], limit, offset, res["total"])


_person = person_or_404


@router.get("/people/{person_id}", response_model=s.Person, summary="A person: names, roles over time, counts",
            responses=ERRORS)
def person(person_id: int = _id(), r: Reader = Depends(reader)):
    return _person(r, person_id)


@router.get("/people/{person_id}/quotes", response_model=s.Page[s.Occurrence],
            summary="What a person said, in time order", responses=ERRORS)
def person_quotes(person_id: int = _id(), where: QuoteFilter = Depends(filter_query("all")), limit: int = Limit,
                  offset: int = Offset, r: Reader = Depends(reader)):
    """Every act unless ``acts`` says otherwise; the other filters as the search's."""
    _person(r, person_id)
    said = r.views.said(person_id, limit=limit, offset=offset, where=where)
    return _page(said, limit, offset, r.views.said_total(person_id, where))


@router.get("/search", response_model=s.Page[s.QuoteRecord], summary="Full-text search over quotes",
            responses={**ERRORS, 422: {"description": "a filter that cannot be read"}})
def search(q: str = Query("", max_length=500, description='words (all of them); "a phrase" in quotation marks'),
           where: QuoteFilter = Depends(filter_query()),
           limit: int = SearchLimit, offset: int = Offset, r: Reader = Depends(reader)):
    """The CLI's ``quotegraph search`` with its filters (kind, acts, speaker, outlet, since, until,
    gender, type, min_confidence); best match first (newest first without words). Statements from
    a source unless ``acts`` says otherwise. ``total`` is not counted; ``next_offset`` says
    whether there is more."""
    try:
        hits = r.corpus.search(q, limit=limit, offset=offset, occurrences=5, where=where)
        more = len(hits) == limit and offset + limit <= MAX_OFFSET and bool(
            r.corpus.search(q, limit=1, offset=offset + limit, occurrences=0, where=where))
    except ValueError as e:
        raise HTTPException(422, str(e)) from None
    return _page(hits, limit, offset, more=more)


Group = Literal["gender", "type", "outlet", "month", "year"]


@router.get("/sources", response_model=s.Page[s.SourceRow] | s.Page[s.SourceGroup], response_model_exclude_unset=True,
            summary="Per outlet: how its quotes are sourced; with by: people and quotes per group",
            responses={**ERRORS, 422: {"description": "a filter that cannot be read"}})
def sources(by: list[Group] = Query([], description="group by these, in this order (repeat: by=gender&by=month)"),
            outlet: str | None = Query(None, max_length=200, description="with by: only this outlet"),
            since: date | None = Query(None, description="with by: first day (YYYY-MM-DD)"),
            until: date | None = Query(None, description="with by: last day (YYYY-MM-DD)"),
            acts: Acts = ActsQuery, min_confidence: float | None = MinConfidence,
            limit: int = Limit, offset: int = Offset, r: Reader = Depends(reader)):
    """Without ``by``: per outlet, its articles and quotes by how they are sourced (named,
    anonymous, document, unknown, second-hand). With ``by`` (``gender``, ``type``, ``outlet``,
    ``month``, ``year``, in any combination): ``quotegraph sources --by``'s rows, each with the keys
    it is grouped by, ``people`` (distinct persons quoted) and ``quotes``, over the records a search
    shows (statements from a source unless ``acts=all``)."""
    if not by:
        rows = source_rows(r)
    else:
        try:
            rows = r.corpus.source_groups(by, outlet=outlet or None, since=since.isoformat() if since else None,
                                          until=until.isoformat() if until else None, acts=acts,
                                          min_confidence=min_confidence)
        except ValueError as e:
            raise HTTPException(422, str(e)) from None
    return _page(rows[offset : offset + limit], limit, offset, len(rows))


def source_rows(r: Reader) -> list[dict]:
    """``Corpus.sources()`` with each outlet's second-hand count (reported via another source)."""
    rows = r.corpus.sources()
    sh = r.views.second_hand()
    for row in rows:
        row["second_hand"] = sh.get(row["outlet"], 0)
    return rows
