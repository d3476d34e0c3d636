"""People: the list, and a person's page (names, roles, quotes in time order, a chart over time)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from .. import charts
from ..deps import ListFilter, Pager, page_number, person_or_404, reader, render
from ..state import Reader
from . import corrections

router = APIRouter()


@router.get("/people", include_in_schema=False)
def people_list(request: Request, q: str = "", page: str | None = None, r: Reader = Depends(reader)):
    n = page_number(page)
    size = 50
    res = r.views.people(q[:200], limit=size, offset=(n - 1) * size)
    pager = Pager(n, size, res["total"], n * size < res["total"])
    return render(request, "people.html", people=res["items"], pager=pager, q=q)


# what a person's page filters by (the person is the speaker: no speaker or gender filter)
PERSON_FILTERS = ("kind", "acts", "outlet", "since", "until", "type", "min_confidence")


@router.get("/people/{person_id}", include_in_schema=False)
def person_page(request: Request, person_id: int, page: str | None = None, r: Reader = Depends(reader)):
    if not 0 < person_id < 2**62:
        raise HTTPException(404, f"no person with id {person_id}")
    p = person_or_404(r, person_id)
    n = page_number(page)
    size = 50
    shown = ListFilter.read(request, default_acts="all", only=PERSON_FILTERS)
    total = r.views.said_total(person_id, shown.where)
    said = r.views.said(person_id, limit=size, offset=(n - 1) * size, where=shown.where)
    pager = Pager(n, size, total, n * size < total)
    chart = charts.timeline(r.views.timeline(person_id), label=f"quotes of {p['name']}")
    roles: dict[str, list] = {}
    for role in p["roles"]:
        roles.setdefault(role["role"], []).append(role)
    return render(request, "person.html", p=p, said=said, pager=pager, chart=chart, roles=roles, shown=shown,
                  total=total, fields=PERSON_FILTERS, error=shown.error, status_code=400 if shown.error else 200,
                  correcting=corrections.page_context(r, person_id))
