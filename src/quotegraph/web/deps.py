"""Dependencies of the routes: the read-only store, the extractor, templates, paging."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import anyio
from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from ..corpus.filtering import FILTER_PARAMS, FilterError, QuoteFilter
from ..corpus.query import ACTS, MAX_LIMIT, MAX_OFFSET  # the store's own bounds, as the CLI has them
from .state import ExtractService, Reader

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

__all__ = ["MAX_LIMIT", "MAX_OFFSET"]


class NoStore(Exception):
    """The app was started without a corpus store."""


log = logging.getLogger("quotegraph.web")


def store_error_message(store_path: str | None, exc: Exception) -> tuple[int, str]:
    """The status and the one-line message of a page or API call that met an error of the store:
    503 for a damaged store (or one replaced by something that is no store), 500 otherwise.  The
    message names the store by its file name (the server's folders are not shown; the log has
    the path)."""
    from ..corpus.storefile import DamagedStore, NotAStore, UnknownSchema, explain

    err = explain(store_path or "the store", exc)
    log.error("%s", err)
    name = Path(store_path).name if store_path else "the store"
    if isinstance(err, DamagedStore):
        return 503, f"The corpus store {name} is damaged ({err.detail}); run `quotegraph check --db {name}` on the server."
    if isinstance(err, (NotAStore, UnknownSchema)):
        return 503, f"The corpus store {name} cannot be read: {err.reason}."
    return 500, f"The corpus store {name} could not be read ({err.detail})."


def install_store_errors(app, wants_json) -> None:
    """Answer an error of the store met by a page or an API call (a malformed database, a file
    that is no store) with a page or JSON that says so, instead of a bare 500."""
    import sqlite3

    from fastapi.responses import JSONResponse

    from ..corpus.storefile import StoreError

    async def store_error(request: Request, exc: Exception):
        status, msg = store_error_message(request.app.state.settings.store_path, exc)
        if wants_json(request):
            return JSONResponse({"detail": msg}, status_code=status)
        return render(request, "error.html", status_code=status, status=status, message=msg)

    app.add_exception_handler(sqlite3.DatabaseError, store_error)
    app.add_exception_handler(StoreError, store_error)


async def reader(request: Request) -> AsyncIterator[Reader]:
    """A read-only store connection inside one read transaction, for the request's lifetime."""
    pool = request.app.state.pool
    if pool is None:
        raise NoStore()
    async with pool.reading() as r:
        yield r


def extract_service(request: Request) -> ExtractService:
    return request.app.state.extract


class ClientGone(Exception):
    """The client closed its connection while its request was being worked on."""


T = TypeVar("T")


async def unless_disconnected(request: Request, work: Callable[[], Awaitable[T]]) -> T:
    """``await work()``, cancelled when the client goes away meanwhile (then ``ClientGone``): a
    waiting extraction leaves the queue, a running one stops. Call it once the body is read."""
    result: list = []
    async with anyio.create_task_group() as tg:
        async def watch() -> None:
            while (await request.receive())["type"] != "http.disconnect":
                pass
            tg.cancel_scope.cancel()

        tg.start_soon(watch)
        try:  # the work's own error is raised as it is, not in a task group's exception group
            result.append((True, await work()))
        except Exception as e:  # noqa: BLE001
            result.append((False, e))
        tg.cancel_scope.cancel()
    if not result:
        raise ClientGone()
    ok, value = result[0]
    if not ok:
        raise value
    return value


def safe_url(url: str | None) -> str | None:
    """An outside link only when it is http(s): never ``javascript:``, ``data:`` and the like."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def qs(request: Request, **changes) -> str:
    """The current query string with some parameters changed (None: removed)."""
    params = {k: v for k, v in request.query_params.items()}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return "?" + urlencode(params) if params else "?"


@dataclass
class Pager:
    page: int
    size: int
    total: int | None
    has_next: bool

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.size))


def page_number(raw: str | None) -> int:
    try:
        n = int(raw or 1)
    except ValueError:
        raise HTTPException(400, f"page must be a whole number, not {raw!r}") from None
    if n < 1 or (n - 1) * 100 > MAX_OFFSET:
        raise HTTPException(400, f"page must be between 1 and {MAX_OFFSET // 100}")
    return n


@dataclass
class RecordFilter:
    """What a page shows of the records (``?acts=`` and ``?min_confidence=``, as the API's)."""

    acts: str = "statements"
    min_confidence: str = ""  # as typed, for the form
    threshold: float | None = None  # the lowest confidence shown (None: any)
    error: str | None = None

    @classmethod
    def read(cls, acts: str = "", min_confidence: str = "") -> RecordFilter:
        typed = min_confidence.strip()[:20]
        f = cls(acts if acts in ACTS else "statements", typed)
        if acts and acts not in ACTS:
            f.error = "show must be statements or all"
        if typed:
            try:
                value = float(typed)
            except ValueError:
                value = float("nan")
            if 0.0 <= value <= 1.0:
                f.threshold = value
            else:
                f.error = f"the lowest confidence must be a number from 0 to 1, not {typed!r}"
        return f

    @property
    def asked(self) -> bool:
        return self.acts != "statements" or bool(self.min_confidence)


@dataclass
class ListFilter:
    """A list page's filter: the query parameters ``kind, acts, speaker, outlet, since, until,
    gender, type, min_confidence`` as typed (``form``, for the form and the links) and the
    ``QuoteFilter`` read from them (the CLI's and the API's own); ``error``: the one line that
    says why a value cannot be read (then ``where`` asks nothing)."""

    form: dict[str, str]
    where: QuoteFilter
    error: str | None = None
    default_acts: str = "statements"

    @classmethod
    def read(cls, request: Request, default_acts: str = "statements",
             only: tuple[str, ...] = FILTER_PARAMS) -> ListFilter:
        """The filter of a request's query string (a parameter given twice, as checkboxes send
        it, counts as a comma-separated list); only the parameters ``only``."""
        form = {k: ",".join(v.strip() for v in request.query_params.getlist(k) if v.strip())[:200] for k in only}
        try:
            asked: dict[str, Any] = {k: v or None for k, v in form.items()}
            where = QuoteFilter.parse(**asked, default_acts=default_acts)
            return cls(form, where, None, default_acts)
        except FilterError as e:
            return cls(form, QuoteFilter(acts=default_acts), str(e), default_acts)

    @property
    def asked(self) -> bool:
        return any(self.form.values())

    def chosen(self, name: str, value: str) -> bool:
        """Whether ``value`` is among those asked for ``name`` (a checkbox or an option of the form)."""
        return value in self.form.get(name, "").split(",")

    def link(self, path: str, **more: str) -> str:
        """``path`` with this filter's query parameters and ``more`` (for "export these results")."""
        params = {**{k: v for k, v in more.items() if v}, **self.where.params()}
        return path + ("?" + urlencode(params) if params else "")


def render(request: Request, name: str, status_code: int = 200, **ctx):
    ctx.setdefault("settings", request.app.state.settings)
    ctx.setdefault("has_store", request.app.state.pool is not None)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def _short(s: str | None, n: int = 160) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _date(s: str | None) -> str:
    return (s or "")[:10]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


templates.env.filters["short"] = _short
templates.env.filters["date"] = _date
templates.env.filters["pct"] = _pct
templates.env.filters["safe_url"] = safe_url
templates.env.globals["qs"] = qs


def person_or_404(r: Reader, person_id: int) -> dict:
    """The corpus's person with this id, else a 404."""
    try:
        found = r.corpus.people(str(person_id), limit=1)
    except LookupError:
        found = []
    if not found:
        raise HTTPException(404, f"no person with id {person_id}")
    return found[0]
