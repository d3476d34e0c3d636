"""The server reads the store while a writer adds articles to it: every request succeeds, each
page is consistent, and what was committed shows up."""

from __future__ import annotations

import shutil
import threading

import httpx
from web_support import LiveServer

from quotegraph.corpus import Store
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Paragraph, Quote, Speaker

N_WRITES = 120


def small_article(i: int) -> Article:
    quote = f"We will open the new library in district {i} before the winter"
    text = f"Library plan {i}\n\n\u201c{quote},\u201d Mayor Rosa Quinn said on Monday.\n"
    q0 = text.index(quote)
    s0 = text.index("Rosa Quinn")
    return Article(id=f"lib{i}", text=text, paragraphs=[Paragraph(span=(0, text.index("\n")), role="title"),
                                                         Paragraph(span=(q0 - 1, len(text) - 1))],
                   quotes=[Quote(id="q1", kind="direct", text=quote, span=(q0, q0 + len(quote)),
                                 spans=[(q0, q0 + len(quote))],
                                 speaker=Speaker(text="Rosa Quinn", span=(s0, s0 + 10), name="Rosa Quinn",
                                                 kind="person"))])


def test_pages_answer_while_an_ingest_writes(store, tmp_path):
    from quotegraph.web import create_app

    db = tmp_path / "live.db"
    shutil.copy(store, db)
    for suffix in ("-wal", "-shm"):
        if store.with_name(store.name + suffix).exists():
            shutil.copy(store.with_name(store.name + suffix), db.with_name(db.name + suffix))
    app = create_app(db)
    errors: list[str] = []
    done = threading.Event()
    before = None

    def write() -> None:
        try:
            with Store(db) as st:
                for i in range(N_WRITES):
                    with st.transaction():
                        st.add_article(ItemMeta(key=f"lib{i:04d}", source=f"lib{i}.txt", outlet="Library Gazette",
                                                published=f"2020-{1 + i % 12:02d}-01"), small_article(i))
        except Exception as e:  # noqa: BLE001
            errors.append(f"writer: {e!r}")
        finally:
            done.set()

    def read(base: str, k: int) -> None:
        urls = ["/", "/articles", "/search?q=library", "/api/search?q=library+district", "/api/articles?limit=5",
                "/sources", "/api/people?q=Quinn", "/people", "/api/quotes"]
        with httpx.Client(base_url=base, timeout=30) as c:
            n = 0
            while not done.is_set() or n < len(urls):
                r = c.get(urls[(n + k) % len(urls)])
                if r.status_code != 200:
                    errors.append(f"{r.request.url}: {r.status_code} {r.text[:200]}")
                if r.request.url.path == "/api/articles":
                    page = r.json()
                    if page["items"] and page["total"] < len(page["items"]):
                        errors.append("inconsistent page")
                n += 1

    with LiveServer(app) as srv:
        with httpx.Client(base_url=srv.url) as c:
            before = c.get("/api/articles").json()["total"]
        threads = [threading.Thread(target=read, args=(srv.url, k)) for k in range(4)]
        w = threading.Thread(target=write)
        for t in threads:
            t.start()
        w.start()
        w.join(120)
        for t in threads:
            t.join(120)
        with httpx.Client(base_url=srv.url) as c:
            after = c.get("/api/articles").json()["total"]
            hits = c.get("/api/search", params={"q": "library district", "limit": 50}).json()["items"]  # the most a search page holds
            person = c.get("/api/people", params={"q": "Rosa Quinn"}).json()["items"]
    assert not errors, errors[:5]
    assert after == before + N_WRITES
    assert len(hits) >= 1 and person and person[0]["quotes"] == N_WRITES


def test_more_requests_than_worker_threads_never_starve_the_pool(store):
    """Requests waiting for a store connection must not hold the worker threads the requests that
    have one need to finish (80 at once, 2 connections, 40 threads)."""
    from concurrent.futures import ThreadPoolExecutor

    from quotegraph.web import Settings, create_app

    app = create_app(store, settings=Settings(pool_size=2))
    with LiveServer(app) as srv:
        def get(i: int) -> int:
            with httpx.Client(base_url=srv.url, timeout=60) as c:
                return c.get(["/articles", "/api/people", "/search?q=children"][i % 3]).status_code

        with ThreadPoolExecutor(80) as pool:
            codes = list(pool.map(get, range(160)))
    assert codes == [200] * 160
