"""The pages and the API through the ASGI app (no browser): what they show, escaping, limits."""

from __future__ import annotations

import json
import re

from markupsafe import escape
from web_support import EVIL, HOSTILE_KEY

from quotegraph.models import Article

PAGES = ["/", "/articles", "/people", "/search", "/search?q=children", "/sources", "/paste", "/api"]


def test_every_page_answers_with_a_csp(client, seed_key):
    for url in PAGES + [f"/articles/{seed_key}", "/people/1", "/quotes/1", "/static/style.css", "/static/app.js",
                        "/api/openapi.json", "/api/articles", "/articles/nope", "/api/articles/nope", "/no/such/page"]:
        r = client.get(url)
        assert r.status_code in (200, 404), (url, r.status_code)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
        assert r.headers["x-content-type-options"] == "nosniff"


def test_article_page_shows_every_attribution(client, seed_key):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    html = client.get(f"/articles/{seed_key}").text
    assert len(art.quotes) >= 13
    for q in art.quotes:
        assert f'id="d-{q.id}"' in html  # a details card
        assert f'href="#d-{q.id}"' in html  # reachable from the text
    for m in re.finditer(r'data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]*)<', html):
        s, e = int(m[1]), int(m[2])
        import html as h

        assert art.text[s:e] == h.unescape(m[3])
    q4 = next(q for q in art.quotes if q.via)
    chain = " ← ".join(v.text for v in q4.via)
    card = html[html.index(f'id="d-{q4.id}"'):]
    card = card[: card.index("</section>")]
    text_only = re.sub(r"<[^>]+>", "", card)
    for v in q4.via:
        assert v.text in text_only
    assert " ← " in text_only and chain.split(" ← ")[0] in text_only
    assert "Jeff Sessions" in html and "/people/" in html


def test_hostile_content_is_escaped_everywhere(client):
    urls = [f"/articles/{HOSTILE_KEY}", "/articles", "/", "/people", "/sources", "/search?q=win",
            "/search?q=" + EVIL, "/people?q=<script>"]
    pid = client.get("/api/people", params={"q": "Vex"}).json()["items"][0]["id"]
    urls += [f"/people/{pid}"]
    qid = client.get("/api/search", params={"q": "win here"}).json()["items"][0]["id"]
    urls += [f"/quotes/{qid}"]
    for url in urls:
        html = client.get(url).text
        # our own markup only: one script element (ours, external), no handler attributes, no javascript: links
        assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/app.js" defer>'], url
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", html, re.I), url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), url
        assert not re.search(r"<(img|iframe|b)\b", html), url
        assert all(t.startswith('<svg class="chart ') for t in re.findall(r"<svg\b[^>]*>", html)), url


def test_search_input_never_breaks_the_query(client):
    for q in ['"', '"unclosed', "a OR b", "NEAR(x y)", "x*", "-x", "col:text", "'; DROP TABLE quotes; --", "(", ")",
              "^", "\\", "%", "_", "ü", "🙂", "AND", "NOT children"]:
        for url in ("/search", "/api/search"):
            r = client.get(url, params={"q": q, "speaker": q, "outlet": q})
            assert r.status_code == 200, (url, q, r.text[:300])
    assert client.get("/api/search", params={"since": "yesterday"}).status_code == 422
    assert "cannot read the date" in client.get("/search", params={"since": "yesterday"}).text


def test_search_filters_and_pages(client):
    r = client.get("/api/search", params={"q": "children", "speaker": "Sessions", "limit": 1}).json()
    assert r["items"] and r["items"][0]["speaker"]["name"] == "Jeff Sessions"
    assert r["next_offset"] == 1
    r2 = client.get("/api/search", params={"q": "children", "speaker": "Sessions", "limit": 1, "offset": 1}).json()
    assert r2["items"][0]["id"] != r["items"][0]["id"]
    html = client.get("/search", params={"q": "children", "kind": "direct"}).text
    assert "take away children" in html.lower()
    none = client.get("/search", params={"q": "children", "outlet": "no such outlet"}).text
    assert "No quotes found" in none


def test_api_pages_everywhere(client):
    for url in ("/api/articles", "/api/quotes", "/api/people", "/api/sources", "/api/search"):
        first = client.get(url, params={"limit": 2}).json()
        assert set(first) >= {"items", "limit", "offset", "next_offset"}
        assert len(first["items"]) <= 2
        if first["next_offset"] is not None:
            nxt = client.get(url, params={"limit": 2, "offset": first["next_offset"]}).json()
            assert nxt["items"] and nxt["items"] != first["items"]
        assert client.get(url, params={"limit": 0}).status_code == 422
        assert client.get(url, params={"limit": 101}).status_code == 422
        assert client.get(url, params={"offset": -1}).status_code == 422
    total = client.get("/api/articles").json()["total"]
    seen = []
    off = 0
    while off is not None:
        page = client.get("/api/articles", params={"limit": 7, "offset": off}).json()
        seen += [a["key"] for a in page["items"]]
        off = page["next_offset"]
    assert len(seen) == len(set(seen)) == total


def test_person_and_quote_pages(client):
    sessions = client.get("/api/people", params={"q": "Sessions"}).json()["items"][0]
    html = client.get(f"/people/{sessions['id']}").text
    assert "Jeff Sessions" in html and "<svg" in html and "Former Attorney General" in html
    said = client.get(f"/api/people/{sessions['id']}/quotes").json()
    assert said["total"] == sessions["quotes"] and said["items"]
    dates = [o["published"] for o in said["items"] if o["published"]]
    assert dates == sorted(dates)
    qid = said["items"][0]["quote"]
    qhtml = client.get(f"/quotes/{qid}").text
    assert "Every report" in qhtml and said["items"][0]["text"][:20] in qhtml
    assert client.get("/people/999999").status_code == 404
    assert client.get("/quotes/999999").status_code == 404
    assert client.get("/api/quotes/999999").json()["detail"]


def test_sources_page_charts_every_outlet(client):
    rows = client.get("/api/sources", params={"limit": 100}).json()["items"]
    html = client.get("/sources").text
    assert "<svg" in html
    for r in rows:
        if r["quotes"] and r["outlet"]:
            assert str(escape(r["outlet"][:25])) in html
        assert r["named"] + r["anonymous"] + r["document"] + r["unknown"] == r["quotes"]
        assert 0 <= r["second_hand"] <= r["quotes"]
    assert any(r["second_hand"] for r in rows)  # the example article reports attributions via the Times


def test_extract_api_returns_the_article_object(client):
    text = "\u201cWe will rebuild the bridge,\u201d Mayor Ana Ruiz said on Monday.\n"
    r = client.post("/api/extract", json={"text": text})
    assert r.status_code == 200
    art = Article.model_validate(r.json())
    assert art.text == text
    q = art.quotes[0]
    assert text[q.span[0]:q.span[1]] == q.text == "We will rebuild the bridge,"
    assert q.speaker.name.endswith("Ana Ruiz")
    assert client.post("/api/extract", json={"text": "   "}).status_code == 422
    assert client.post("/api/extract", json={}).status_code == 422


def test_paste_page_extracts_and_downloads(client):
    text = "\u201cThe levee will hold,\u201d engineer Tom Brandt told reporters.\n"
    html = client.post("/paste", data={"text": text, "format": "auto", "action": "show"}).text
    assert 'id="d-q1"' in html and "Tom Brandt" in html and "The levee will hold," in html
    r = client.post("/paste", data={"text": text, "action": "json"})
    assert r.headers["content-disposition"].startswith("attachment")
    assert Article.model_validate(r.json()).quotes[0].speaker.name == "Tom Brandt"
    up = client.post("/paste", data={"action": "show"},
                     files={"file": ("story.html", b"<html><body><p>" + text.encode() + b"</p></body></html>", "text/html")})
    assert up.status_code == 200 and "Tom Brandt" in up.text
    empty = client.post("/paste", data={"text": "  "})
    assert empty.status_code == 400 and "Nothing to extract" in empty.text


def test_paste_size_limit(store):
    from fastapi.testclient import TestClient

    from quotegraph.web import Settings, create_app

    app = create_app(store, settings=Settings(max_paste_bytes=2000))
    with TestClient(app) as c:
        big = "word " * 600  # 3,000 bytes: over the limit, under the request cap
        r = c.post("/paste", data={"text": big})
        assert r.status_code == 413 and "the limit is 2 kB" in r.text
        r = c.post("/api/extract", json={"text": big})
        assert r.status_code == 413 and "limit" in r.json()["detail"]
        huge = "word " * 20000  # past the request cap: refused before it is read
        r = c.post("/paste", data={"text": huge})
        assert r.status_code == 413 and "the limit is" in r.text
        r = c.post("/paste", files={"file": ("big.txt", big.encode(), "text/plain")})
        assert r.status_code == 413


def test_without_a_store_only_paste_works():
    from fastapi.testclient import TestClient

    from quotegraph.web import create_app

    with TestClient(create_app(None)) as c:
        assert c.get("/paste").status_code == 200
        r = c.get("/articles")
        assert r.status_code == 503 and "--db" in r.text
        assert c.get("/api/articles").status_code == 503


def test_openapi_uses_the_library_article_model(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/extract", "/api/articles", "/api/quotes", "/api/people", "/api/search", "/api/sources"} <= set(schema["paths"])
    art = schema["components"]["schemas"]["Article"]
    assert set(Article.model_json_schema()["properties"]) == set(art["properties"])
    json.dumps(schema)


def test_paste_names_an_upload_that_is_not_text(client):
    r = client.post("/paste", data={"action": "show"}, files={"file": ("photo.jpg", bytes(range(256)) * 8, "image/jpeg")})
    assert r.status_code == 422
    assert "photo.jpg:" in r.text and ("binary" in r.text or "does not look like text" in r.text)
    r = client.post("/api/extract", json={"text": "abc\x00def"})
    assert r.status_code == 422 and "binary" in r.json()["detail"]
