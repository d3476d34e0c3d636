"""Home, the list of stored articles, and an article's page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from ...corpus.filtering import KINDS
from .. import article_view
from ..deps import ListFilter, Pager, page_number, reader, render
from ..state import Reader

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request, r: Reader = Depends(reader)):
    stats = r.corpus.stats()
    recent = r.views.articles(limit=10)["items"]
    people = r.views.people(limit=10)["items"]
    return render(request, "home.html", stats=stats, recent=recent, people=people)


@router.get("/articles", include_in_schema=False)
def article_list(request: Request, page: str | None = None, outlet: str | None = None,
                 r: Reader = Depends(reader)):
    n = page_number(page)
    size = request.app.state.settings.page_size
    res = r.views.articles(limit=size, offset=(n - 1) * size, outlet=outlet or None)
    pager = Pager(n, size, res["total"], n * size < res["total"])
    return render(request, "articles.html", articles=res["items"], pager=pager, outlet=outlet)


# what an article page can hide or show its records by (a record alone answers them: ``QuoteFilter.passes``)
ARTICLE_FILTERS = ("kind", "acts", "min_confidence")


@router.get("/articles/{key}", include_in_schema=False)
def article_page(request: Request, key: str, r: Reader = Depends(reader)):
    meta = r.views.article_meta(key)
    if meta is None:
        raise HTTPException(404, f"no stored article {key!r}")
    try:
        art = r.corpus.article(meta["key"])
    except LookupError:
        raise HTTPException(404, f"the article {key!r} is stored without its text (ingested with store_docs off)") from None
    shown = ListFilter.read(request, only=ARTICLE_FILTERS)
    kept = art if shown.error else article_view.shown_records(art, shown.where)
    view = article_view.build(kept, r.views.article_links(meta["key"]))
    return render(request, "article.html", view=view, meta=meta, shown=shown, error=shown.error, kinds=KINDS,
                  hidden=len(art.quotes) - len(kept.quotes), status_code=400 if shown.error else 200)
