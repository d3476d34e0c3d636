"""Sources: per outlet, the share of named, anonymous, document and second-hand sources; who gets
quoted (gender per outlet and over time, source types, the most quoted people)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from .. import charts, diversity
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
    outlets = [row["outlet"] for row in part]
    c = r.corpus
    who = {"gender": diversity.gender_per_outlet(c, outlets), "time": diversity.gender_over_time(c),
           "types": diversity.types_per_outlet(c, outlets), "people": diversity.most_quoted(c)}
    return render(request, "sources.html", rows=part, chart=charts.source_shares(part), pager=pager, who=who)
