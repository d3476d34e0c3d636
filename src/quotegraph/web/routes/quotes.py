"""A quote's page: every occurrence across outlets, first seen, variants as word differences."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from .. import diff
from ..deps import Pager, page_number, reader, render
from ..state import Reader

router = APIRouter()


@router.get("/quotes/{quote_id}", include_in_schema=False)
def quote_page(request: Request, quote_id: int, page: str | None = None, r: Reader = Depends(reader)):
    if not 0 < quote_id < 2**62:
        raise HTTPException(404, f"no quote {quote_id}")
    try:
        q = r.corpus.quote(quote_id, occurrences=False)
    except LookupError:
        raise HTTPException(404, f"no quote {quote_id}") from None
    n = page_number(page)
    size = 50
    occ = r.views.occurrences(quote_id, limit=size, offset=(n - 1) * size)
    first = r.views.first_occurrence(quote_id)
    base = first["text"] if first else q["text"]
    rows = []
    for o in occ:
        ops = diff.word_diff(base, o["text"])
        is_first = first is not None and (o["article"], o["qid"]) == (first["article"], first["qid"])
        rows.append({"o": o, "diff": diff.render(ops), "changes": diff.summary(ops), "first": is_first,
                     "same": all(op.tag == "equal" for op in ops)})
    pager = Pager(n, size, q["n_occurrences"], n * size < q["n_occurrences"])
    outlets = sorted({o["outlet"] or "(unknown)" for o in occ})
    return render(request, "quote.html", q=q, first=first, rows=rows, pager=pager, outlets=outlets)
