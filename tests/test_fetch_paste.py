"""The paste page given a URL: fetched only when the server's setting allows it (SSRF), with the
command line's limits, against the news site on loopback (tests/local_site.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from quotegraph.models import Article
from quotegraph.web import Settings, create_app


def client(fetch_urls: str) -> TestClient:
    return TestClient(create_app(None, settings=Settings(rate_limit=0, fetch_urls=fetch_urls)))


def test_the_paste_page_extracts_the_page_at_a_url(site):
    with client("all") as c:
        assert 'id="paste-url"' in c.get("/paste").text
        r = c.post("/paste", data={"url": site.url("/news/ferry.html"), "action": "show"})
        assert r.status_code == 200, r.text
        assert "Tomas Lindqvist" in r.text and "Ferry service to resume after storm repairs" in r.text
        assert f'value="{site.url("/news/ferry.html")}"' in r.text  # the URL stays in its field
        r = c.post("/paste", data={"url": site.url("/news/ferry.html"), "action": "json"})
        art = Article.model_validate(r.json())
        assert (art.url, art.publisher, art.authors) == (site.url("/news/ferry.html"), "The Harbour Gazette", ["Nadia Okafor"])
        assert any(q.speaker and q.speaker.name == "Amira Haddad" for q in art.quotes)
        r = c.post("/paste", data={"url": site.url("/missing.html")})
        assert r.status_code == 422 and f"{site.url('/missing.html')}: HTTP 404 Not Found" in r.text
        r = c.post("/paste", data={"url": site.url("/feed.xml")})  # a page only: no feed is walked for a paste
        assert r.status_code == 422 and "not an HTML page (Content-Type application/rss+xml)" in r.text
        r = c.post("/paste", data={"url": site.url("/private/memo.html")})
        assert r.status_code == 422 and "robots.txt" in r.text


def test_the_server_fetches_nothing_unless_its_setting_allows_it(site):
    with client("off") as c:
        assert 'id="paste-url"' not in c.get("/paste").text
        r = c.post("/paste", data={"url": site.url("/news/ferry.html")})
        assert r.status_code == 403 and "does not fetch URLs" in r.text
    with client("public") as c:  # a server open to others: no loopback, private or link-local address
        r = c.post("/paste", data={"url": site.url("/news/ferry.html")})
        assert r.status_code == 422 and "is a local or private address (127.0.0.1)" in r.text
        r = c.post("/paste", data={"url": "file:///etc/passwd"})
        assert r.status_code == 403 and "not an http(s) URL" in r.text
    assert not site.requests("/news/ferry.html") and not site.requests("/robots.txt")
