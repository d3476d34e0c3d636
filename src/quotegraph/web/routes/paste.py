"""Paste: text or HTML (typed, pasted or uploaded) extracted on the spot, shown with the same
highlighting as a stored article, and downloadable as JSON. Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ...errors import QuotegraphError
from ...read.readers import decode
from .. import article_view
from ..deps import extract_service, render
from ..state import Busy, ExtractService, TooLarge

router = APIRouter()
FORMATS = ("auto", "text", "html")


@router.get("/paste", include_in_schema=False)
def paste_form(request: Request):
    return render(request, "paste.html", text="", fmt="auto", view=None, error=None)


@router.post("/paste", include_in_schema=False)
async def paste_submit(request: Request, ex: ExtractService = Depends(extract_service)):
    limit = request.app.state.settings.max_paste_bytes
    text, fmt, action, error, status = "", "auto", "show", None, 200
    name = "pasted text"
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=request.app.state.settings.max_request_bytes)
    except Exception as e:  # noqa: BLE001 - a malformed or oversized form: say so on the page
        form = None
        error, status = f"cannot read the form ({e})", 400
    if form is not None:
        # a form sends a textarea's line breaks as CRLF (HTML's form encoding); the text is what the box showed
        text = str(form.get("text") or "").replace("\r\n", "\n")
        fmt = str(form.get("format") or "auto")
        fmt = fmt if fmt in FORMATS else "auto"
        action = "json" if form.get("action") == "json" else "show"
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(limit + 1)
            await upload.close()
            name = upload.filename[:200]
            try:
                ex.check_size(len(data))
                text = decode(data, name) if data else ""
            except TooLarge as e:
                error, status = f"Too large: {e}.", 413
            except QuotegraphError as e:
                error, status = str(e), 422
        if error is None and not text.strip():
            error, status = "Nothing to extract: paste an article or choose a file.", 400
    view = None
    article = None
    if error is None:
        try:
            article = await ex.extract(text, name, None if fmt == "auto" else fmt)
        except TooLarge as e:
            error, status = f"Too large: {e}.", 413
        except Busy as e:
            error, status = f"The server is busy ({e}).", 503
        except QuotegraphError as e:
            error, status = str(e), 422
    if article is not None:
        if action == "json":
            return Response(article.model_dump_json(indent=2), media_type="application/json",
                            headers={"Content-Disposition": 'attachment; filename="quotegraph-article.json"'})
        view = article_view.build(article)
    if len(text.encode("utf-8", "surrogatepass")) > limit:
        text = ""
    return render(request, "paste.html", status_code=status, text=text, fmt=fmt, view=view, error=error,
                  filename=None if name == "pasted text" else name)
