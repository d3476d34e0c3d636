"""Sources: per outlet, the share of named, anonymous, document and second-hand sources."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from .. import charts
from ..deps import Pager, page_number, reader, render
from ..state import Reader
from .api import source_rows

router = APIRouter()


@router.get("/sources", include_in_schema=False)
def sources_page(request: Request, page: str | None = None, r: Reader = Depends(reader)):
    rows = source_rows(r)
    n = page_number(page)
    size = 25
    part = rows[(n - 1) * size : n * size]
    pager = Pager(n, size, len(rows), n * size < len(rows))
    return render(request, "sources.html", rows=part, chart=charts.source_shares(part), pager=pager)
