"""Search: full text with the CLI's filters (kind, acts, speaker, outlet, date range, gender, source
type, lowest confidence: ``corpus.filtering.QuoteFilter``), paginated, and its export."""

from __future__ import annotations

import io
import json

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from ...corpus.exporting import write_csv
from ...corpus.filtering import ACT_NAMES, GENDERS, KINDS, SOURCE_TYPES
from ..deps import ListFilter, Pager, page_number, reader, render
from ..state import Reader

router = APIRouter()

# An export of a search from the web holds at most this many reports (the CLI's `export` has no bound).
MAX_EXPORT_ROWS = 5000


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str = "", page: str | None = None, r: Reader = Depends(reader)):
    n = page_number(page)
    size = request.app.state.settings.page_size
    shown = ListFilter.read(request)
    q = q[:500]
    error = shown.error
    hits: list = []
    asked = bool(q) or shown.asked
    if asked and error is None:
        try:
            hits = r.corpus.search(q, where=shown.where, limit=size + 1, offset=(n - 1) * size, occurrences=5)
        except ValueError as e:
            error = str(e)
    pager = Pager(n, size, None, len(hits) > size)
    listed = [(h, earliest(h.get("occurrences") or [])) for h in hits[:size]]
    exports = {fmt: shown.link("/search/export", q=q, format=fmt) for fmt in ("csv", "jsonl")}
    return render(request, "search.html", q=q, form=shown.form, shown=shown, hits=listed, pager=pager, error=error,
                  asked=asked, kinds=KINDS, genders=GENDERS, types=SOURCE_TYPES, acts=ACT_NAMES, exports=exports,
                  max_export=MAX_EXPORT_ROWS)


@router.get("/search/export", include_in_schema=False)
def search_export(request: Request, q: str = "", format: str = "csv", r: Reader = Depends(reader)):
    """The search's reports (every occurrence that passes the filter, of every quote that matches
    the words), as CSV (a report a row, as `quotegraph export --format csv`) or JSON lines (a
    quote a line); at most ``MAX_EXPORT_ROWS`` reports."""
    shown = ListFilter.read(request)
    if shown.error:
        raise HTTPException(400, shown.error)
    if format not in ("csv", "jsonl"):
        raise HTTPException(400, f"format must be csv or jsonl, not {format[:20]!r}")
    out = io.StringIO()
    try:
        if format == "csv":
            write_csv(out, r.corpus.iter_occurrence_rows(shown.where, q[:500], limit=MAX_EXPORT_ROWS))
        else:
            for quote in r.corpus.iter_quotes(shown.where, q[:500], limit=MAX_EXPORT_ROWS):
                out.write(json.dumps(quote, ensure_ascii=False) + "\n")
    except ValueError as e:  # the words cannot be read (too long, too many)
        raise HTTPException(400, str(e)) from None
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    return Response(out.getvalue(), media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="quotegraph-search.{format}"'})


def earliest(occurrences: list[dict]) -> dict | None:
    """The first report among these: the earliest dated, else the first stored."""
    if not occurrences:
        return None
    return min(occurrences, key=lambda o: (o["published"] is None, o["published"] or "", not o["first"]))
