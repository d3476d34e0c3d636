"""Search: full text with the CLI's filters (speaker, outlet, date range, kind, acts, lowest confidence), paginated."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ..deps import Pager, RecordFilter, page_number, reader, render
from ..state import Reader

router = APIRouter()
KINDS = ("direct", "indirect", "mixed")


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str = "", speaker: str = "", outlet: str = "", since: str = "", until: str = "",
                kind: str = "", acts: str = "", min_confidence: str = "", page: str | None = None,
                r: Reader = Depends(reader)):
    n = page_number(page)
    size = request.app.state.settings.page_size
    form = {"q": q[:500], "speaker": speaker[:200], "outlet": outlet[:200], "since": since[:40], "until": until[:40],
            "kind": kind if kind in KINDS else ""}
    shown = RecordFilter.read(acts, min_confidence)
    error = shown.error
    hits: list = []
    asked = any(form.values()) or shown.asked
    if kind and kind not in KINDS:
        error = f"kind must be one of {', '.join(KINDS)}"
    elif asked and error is None:
        try:
            hits = r.corpus.search(form["q"], speaker=form["speaker"] or None, outlet=form["outlet"] or None,
                                   since=form["since"] or None, until=form["until"] or None, kind=form["kind"] or None,
                                   acts=shown.acts, min_confidence=shown.threshold,
                                   limit=size + 1, offset=(n - 1) * size, occurrences=5)
        except ValueError as e:
            error = str(e)
    pager = Pager(n, size, None, len(hits) > size)
    listed = [(h, earliest(h.get("occurrences") or [])) for h in hits[:size]]
    return render(request, "search.html", form={**form, "acts": shown.acts, "min_confidence": shown.min_confidence},
                  hits=listed, pager=pager, error=error, asked=asked, kinds=KINDS)


def earliest(occurrences: list[dict]) -> dict | None:
    """The first report among these: the earliest dated, else the first stored."""
    if not occurrences:
        return None
    return min(occurrences, key=lambda o: (o["published"] is None, o["published"] or "", not o["first"]))
