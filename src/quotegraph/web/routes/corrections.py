"""Corrections of the people (issue 25): the person page's forms and the JSON API's
``POST /api/people/{id}/merge|split|rename|gender`` and ``GET /api/corrections``.

Writes, so: POST only; behind the server's API token when it has one (``limits.Guard``, which a
server listening beyond loopback must); and a form posted from another site is refused (its
``Origin`` or ``Sec-Fetch-Site`` says so), as is an API call whose body is not JSON. Each
correction is one transaction of the store's writer (``corpus.people_edit``), logged, and
re-applied by every later ingest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from ...corpus.corrections import CorrectionError, NotFound, entries
from ..deps import NoStore, reader
from ..state import Reader

router = APIRouter()
api_router = APIRouter(tags=["api"])

PersonId = Path(..., ge=1, lt=2**62, description="the person's id")
Name = Field(min_length=1, max_length=200, pattern=r"\S", description="a full name, alias, key (p:...) or person id")
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "the correction cannot be made (the message says why)"},
    401: {"description": "the server's API token is missing"},
    403: {"description": "posted from another site"},
    404: {"description": "no such person or article"},
    503: {"description": "no store"},
}


def same_site(request: Request) -> None:
    """Refuse a write a page of another site made the browser send (CSRF): its ``Origin`` is
    not this server, or the browser says it is cross-site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise HTTPException(403, "a correction must be posted from this site's own pages")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, f"a correction must be posted from this site's own pages, not from {origin}")
    if origin == "null":
        raise HTTPException(403, "a correction must be posted from this site's own pages")


async def correct(request: Request, fn: Callable) -> dict:
    """``fn(editor)`` on the store's writer, in a worker thread; a correction that cannot be made
    is a 400 (404: no such person or article) with its one-line message."""
    path = request.app.state.settings.store_path
    if path is None or request.app.state.pool is None:
        raise NoStore()

    def work() -> dict:
        from ...corpus.people_edit import PeopleEditor
        from ...corpus.store import Store

        with Store(path) as store:
            return fn(PeopleEditor(store))

    try:
        return await anyio.to_thread.run_sync(work)
    except NotFound as e:
        raise HTTPException(404, str(e)) from None
    except CorrectionError as e:
        raise HTTPException(400, str(e)) from None
    except sqlite3.OperationalError as e:  # the store is locked by a long ingest, read-only, ...
        raise HTTPException(503, f"the store cannot be written now ({e}); nothing was changed") from None


# ------------------------------------------------------------------ the person page's forms


def _back(result: dict, fallback: int) -> RedirectResponse:
    return RedirectResponse(f"/people/{result['id'] or fallback}", status_code=303)


@router.post("/people/{person_id}/merge", include_in_schema=False, dependencies=[Depends(same_site)])
async def merge_form(request: Request, person_id: int = PersonId, other: str = Form("", max_length=200),
                     direction: Literal["in", "into"] = Form("in")):
    if direction == "in":  # the other person is merged into this one
        res = await correct(request, lambda ed: ed.merge(str(person_id), [other]))
    else:
        res = await correct(request, lambda ed: ed.merge(other, [str(person_id)]))
    return _back(res, person_id)


@router.post("/people/{person_id}/split", include_in_schema=False, dependencies=[Depends(same_site)])
async def split_form(request: Request, person_id: int = PersonId, into: str = Form("", max_length=200),
                     articles: str = Form("", max_length=4000), alias: str = Form("", max_length=200)):
    keys = articles.replace(",", " ").split()
    res = await correct(request, lambda ed: ed.split(str(person_id), into or None, keys, [alias] if alias.strip() else []))
    return _back(res, person_id)


@router.post("/people/{person_id}/rename", include_in_schema=False, dependencies=[Depends(same_site)])
async def rename_form(request: Request, person_id: int = PersonId, name: str = Form("", max_length=200)):
    return _back(await correct(request, lambda ed: ed.rename(str(person_id), name)), person_id)


@router.post("/people/{person_id}/gender", include_in_schema=False, dependencies=[Depends(same_site)])
async def gender_form(request: Request, person_id: int = PersonId, gender: str = Form("", max_length=20)):
    return _back(await correct(request, lambda ed: ed.set_gender(str(person_id), gender)), person_id)


def page_context(r: Reader, person_id: int) -> dict:
    """What the person page's correction forms show: the gender and its evidence."""
    row = r.corpus.con.execute("SELECT gender, gender_evidence FROM people WHERE id=?", (person_id,)).fetchone()
    return {"gender": row[0] if row else "unknown", "evidence": row[1] if row else None}


# ------------------------------------------------------------------ the JSON API


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MergeRequest(_Body):
    others: list[str] = Field(min_length=1, max_length=50, description="the people merged into this one (names or ids)")


class SplitRequest(_Body):
    into: str | None = Field(default=None, max_length=200, description="another person, or a new one of this name")
    articles: list[str] = Field(default_factory=list, max_length=200, description="articles (content keys or ids)")
    aliases: list[str] = Field(default_factory=list, max_length=50, description="names as written")


class RenameRequest(_Body):
    name: str = Name


class GenderRequest(_Body):
    gender: Literal["female", "male", "unknown"]


class Correction(BaseModel):
    op: str
    args: dict[str, Any]
    id: int | None = Field(description="the person the correction leaves (null: none)")
    key: str
    name: str | None = None


class LoggedCorrection(BaseModel):
    id: int
    at: str
    op: str
    args: dict[str, Any]


def _json_only(request: Request) -> None:
    """A JSON body only (a form another site's page posts is never one): with ``same_site``."""
    same_site(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise HTTPException(415, "send the correction as JSON (Content-Type: application/json)")


def _post(path: str, summary: str) -> Callable:
    """A correction of the JSON API: POST, JSON only, answered with the ``Correction`` made."""
    return api_router.post(path, summary=summary, response_model=Correction, dependencies=[Depends(_json_only)],
                           responses={**ERRORS, 415: {"description": "the body is not JSON"}})


@_post("/people/{person_id}/merge", "Merge other people into this person")
async def api_merge(request: Request, body: MergeRequest, person_id: int = PersonId):
    return await correct(request, lambda ed: ed.merge(str(person_id), body.others))


@_post("/people/{person_id}/split", "Move some of a person's mentions to another person")
async def api_split(request: Request, body: SplitRequest, person_id: int = PersonId):
    return await correct(request, lambda ed: ed.split(str(person_id), body.into, body.articles, body.aliases))


@_post("/people/{person_id}/rename", "Rename a person")
async def api_rename(request: Request, body: RenameRequest, person_id: int = PersonId):
    return await correct(request, lambda ed: ed.rename(str(person_id), body.name))


@_post("/people/{person_id}/gender", "Set a person's gender (evidence: correction)")
async def api_gender(request: Request, body: GenderRequest, person_id: int = PersonId):
    return await correct(request, lambda ed: ed.set_gender(str(person_id), body.gender))


@api_router.get("/corrections", response_model=list[LoggedCorrection], summary="The log of corrections, oldest first",
                responses={503: {"description": "no store"}})
def api_corrections(r: Reader = Depends(reader)):
    return entries(r.corpus.con)
