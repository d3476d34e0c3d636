"""Paste: text or HTML (typed, pasted or uploaded, or a page's URL fetched when the server allows
it: web/fetching.py) extracted on the spot, shown with the same highlighting as a stored article,
and downloadable as JSON. Nothing is stored."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ...errors import QuotegraphError
from ...read.readers import decode
from .. import article_view
from ..deps import ClientGone, RecordFilter, extract_service, render, unless_disconnected
from ..fetching import FetchRefused, fetch_page
from ..state import Busy, ExtractService, TimedOut, TooLarge

router = APIRouter()
FORMATS = ("auto", "text", "html")


def read_form(body: bytes, headers: list, max_part_size: int, max_file_bytes: int) -> dict:
    """The paste form's fields (``text``, ``format``, ``action``; ``file``: its name and first
    ``max_file_bytes``) from a request body already read. In a worker thread: Starlette's parser
    takes 0.2 s for a megabyte of %-escapes, which on the event loop would stall every request."""

    async def parse() -> dict:
        sent = False

        async def receive() -> dict:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        req = Request({"type": "http", "method": "POST", "headers": headers, "path": "/paste", "query_string": b""},
                      receive)
        async with req.form(max_files=1, max_fields=8, max_part_size=max_part_size) as form:
            out: dict[str, Any] = {k: form.get(k) for k in ("text", "url", "format", "action", "acts", "min_confidence")}
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                out["file"] = (upload.filename[:200], await upload.read(max_file_bytes))
        return out

    return anyio.run(parse)


@router.get("/paste", include_in_schema=False)
def paste_form(request: Request):
    return render(request, "paste.html", text="", url="", fmt="auto", view=None, error=None, shown=RecordFilter())


@router.post("/paste", include_in_schema=False)
async def paste_submit(request: Request, ex: ExtractService = Depends(extract_service)):
    limit = request.app.state.settings.max_paste_bytes
    text, fmt, action, error, status = "", "auto", "show", None, 200
    name, url, limit_used = "pasted text", "", None
    shown = RecordFilter()
    try:
        body = await request.body()  # at most Settings.max_request_bytes (BodyLimit)
        form = await anyio.to_thread.run_sync(read_form, body, request.scope["headers"],
                                              request.app.state.settings.max_request_bytes, limit + 1)
    except Exception as e:  # noqa: BLE001 - a malformed or oversized form: say so on the page
        form = None
        error, status = f"cannot read the form ({e})", 400
    if form is not None:
        # a form sends a textarea's line breaks as CRLF (HTML's form encoding); the text is what the box showed
        text = str(form.get("text") or "").replace("\r\n", "\n")
        fmt = str(form.get("format") or "auto")
        fmt = fmt if fmt in FORMATS else "auto"
        action = "json" if form.get("action") == "json" else "show"
        shown = RecordFilter.read(str(form.get("acts") or ""), str(form.get("min_confidence") or ""))
        if shown.error:
            error, status = shown.error, 400
        if form.get("file"):
            name, data = form["file"]
            try:
                ex.check_size(len(data), exact=len(data) <= limit)  # only limit + 1 bytes were read
                text = await anyio.to_thread.run_sync(decode, data, name) if data else ""  # off the event loop
            except TooLarge as e:
                error, status = f"Too large: {e}.", 413
            except QuotegraphError as e:
                error, status = str(e), 422
        url = str(form.get("url") or "").strip()[:2000]
        if error is None and url and not text.strip() and not form.get("file"):
            text, name, fmt, limit_used, error, status = await _fetched(request, url)
        if error is None and not text.strip():
            what = "paste an article, give its URL or choose a file" if request.app.state.settings.fetch_urls != "off" else "paste an article or choose a file"
            error, status = f"Nothing to extract: {what}.", 400
    view = None
    article = None
    if error is None:
        try:
            overrides = {"acts": shown.acts, **({"min_confidence": shown.threshold} if shown.min_confidence else {})}
            article = await unless_disconnected(
                request, lambda: ex.extract(text, name, None if fmt == "auto" else fmt, overrides, limit_used))
        except ClientGone:
            return Response(status_code=499)
        except TooLarge as e:
            error, status = f"Too large: {e}.", 413
        except TimedOut as e:
            error, status = f"Stopped: {e}.", 503
        except Busy as e:
            error, status = f"The server is busy ({e}).", 503
        except QuotegraphError as e:
            error, status = str(e), 422
    if article is not None:  # the worker's extractor kept the acts and confidences asked for (``overrides``)
        if action == "json":
            return Response(article.model_dump_json(indent=2), media_type="application/json",
                            headers={"Content-Disposition": 'attachment; filename="quotegraph-article.json"'})
        view = article_view.build(article)
    if limit_used is not None or len(text.encode("utf-8", "surrogatepass")) > limit:
        text = ""  # a fetched page's HTML is not put back in the box: its URL is
    return render(request, "paste.html", status_code=status, text=text, url=url, fmt=fmt, view=view, error=error,
                  filename=None if name == "pasted text" or limit_used is not None else name, shown=shown)


async def _fetched(request: Request, url: str) -> tuple[str, str, str, int | None, str | None, int]:
    """(text, name, format, size limit, error, status) of the page at ``url``, fetched off the event loop."""
    settings = request.app.state.settings
    try:
        src = await anyio.to_thread.run_sync(fetch_page, url, settings.fetch_urls, settings.max_fetch_bytes)
    except FetchRefused as e:
        return "", url, "auto", None, str(e), 403
    except QuotegraphError as e:
        return "", url, "auto", None, str(e), 422
    return src.content, src.name, src.format, settings.max_fetch_bytes, None, 200
