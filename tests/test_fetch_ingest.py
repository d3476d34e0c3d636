"""URLs, feeds and sitemaps through ``quotegraph ingest`` and ``quotegraph extract`` end to end,
with the real extractor, against the news site on loopback (tests/local_site.py)."""

from __future__ import annotations

import json
import sqlite3
import zlib

import pytest
import typer
from local_site import FERRY
from typer.testing import CliRunner

from quotegraph.cli import app as main_app
from quotegraph.corpus import snapshot
from quotegraph.corpus.cli import register

FAST = ["--delay", "0", "--retries", "0", "--timeout", "1", "--jobs", "0", "--quiet"]


@pytest.fixture
def ingest_app():
    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def noop() -> None:  # a second command, so Typer keeps the command names
        pass

    return app


def ingest(app, *args: str):
    return CliRunner().invoke(app, ["ingest", *args, *FAST])


def rows(db, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def failure_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("failed: ")]


def test_a_feed_is_ingested_with_the_pages_metadata_and_each_failure_named(site, ingest_app, tmp_path):
    db = str(tmp_path / "news.db")
    res = ingest(ingest_app, site.url("/feed.xml"), site.url("/missing.html"), site.url("/report.pdf"),
                 site.url("/loop-a"), site.url("/private/memo.html"), site.url("/slow.html"), "--db", db)
    assert res.exit_code == 0, res.output
    assert "3 articles added" in res.output and "5 failed" in res.output
    assert "web: 8 pages (3 listed in feeds and sitemaps): 4 fetched" in " ".join(res.output.split())
    u = site.url
    assert failure_lines(res.output) == [
        f"failed: {u('/missing.html')}: HTTP 404 Not Found",
        f"failed: {u('/report.pdf')}: not an HTML page, feed or sitemap (Content-Type application/pdf)",
        f"failed: {u('/loop-a')}: redirect loop ({u('/loop-a')} → {u('/loop-b')} → {u('/loop-a')})",
        f"failed: {u('/private/memo.html')}: not fetched: robots.txt of {site.base[7:]} disallows /private/memo.html",
        f"failed: {u('/slow.html')}: timed out (no answer within 1 s: ReadTimeout)",
    ]
    assert rows(db, "SELECT url, outlet, title, published FROM articles ORDER BY id") == [
        (u("/news/ferry.html"), "The Harbour Gazette", "Ferry service to resume after storm repairs", "2026-03-05"),
        (u("/news/library.html"), "The Harbour Gazette", "Town library to open on Sundays", "2026-03-02"),
        (u("/news/market.html"), "The Harbour Gazette", "Farmers market moves to the old railway yard", "2026-01-20"),
    ]
    assert sorted(s for (s,) in rows(db, "SELECT source FROM failures")) == sorted(
        u(p) for p in ("/missing.html", "/report.pdf", "/loop-a", "/private/memo.html", "/slow.html"))
    speakers = {n for (n,) in rows(db, "SELECT speaker_name FROM occurrences")}
    assert {"Tomas Lindqvist", "Amira Haddad", "Grace Mbeki", "Rosa Castillo"} <= speakers
    # the fetched page is kept compressed, byte for byte: re-extraction needs no refetch
    [(body, etag)] = rows(db, f"SELECT body, etag FROM fetched WHERE url='{u('/news/ferry.html')}'")
    assert zlib.decompress(body) == FERRY.encode("utf-8") and etag == '"ferry-v1"'


def test_a_rerun_downloads_nothing_unchanged_and_stores_nothing_new(site, ingest_app, tmp_path):
    db = str(tmp_path / "news.db")
    assert ingest(ingest_app, site.url("/feed.xml"), "--db", db).exit_code == 0
    snap = snapshot(db)
    site.log.clear()
    res = ingest(ingest_app, site.url("/feed.xml"), "--db", db)
    assert res.exit_code == 0, res.output
    assert "0 articles added" in res.output and "3 already stored" in res.output
    assert "0 fetched, 4 unchanged" in " ".join(res.output.split())
    statuses = {(path, status) for path, status, _ in site.log if path != "/robots.txt"}
    assert statuses == {("/feed.xml", 304), ("/news/ferry.html", 304), ("/news/library.html", 304), ("/news/market.html", 304)}
    assert snapshot(db) == snap
    # a page that changed is fetched again and stored as a new article; the others still answer 304
    site.add("/news/library.html", FERRY.replace("on Monday", "on Tuesday"), etag='"library-v2"')
    res = ingest(ingest_app, site.url("/feed.xml"), "--db", db)
    assert "1 articles added" in res.output and "1 fetched, 3 unchanged" in " ".join(res.output.split())


def test_offline_reads_the_kept_pages_when_the_site_is_gone(site, ingest_app, tmp_path):
    db = str(tmp_path / "news.db")
    assert ingest(ingest_app, site.url("/feed.xml"), "--db", db).exit_code == 0
    feed = site.url("/feed.xml")
    site.close()
    res = ingest(ingest_app, feed, "--db", db, "--offline")
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "3 already stored" in out and "0 failed" in out and "0 fetched, 4 unchanged" in out


def test_since_skips_older_feed_items_unfetched(site, ingest_app, tmp_path):
    db = str(tmp_path / "news.db")
    res = ingest(ingest_app, site.url("/feed.xml"), "--db", db, "--since", "2026-03-01")
    assert res.exit_code == 0, res.output
    assert "2 articles added" in res.output and "1 older than --since (skipped)" in " ".join(res.output.split())
    assert not site.requests("/news/market.html")
    assert [t for (t,) in rows(db, "SELECT title FROM articles ORDER BY id")] == [
        "Ferry service to resume after storm repairs", "Town library to open on Sundays"]
    res = ingest(ingest_app, site.url("/feed.xml"), "--db", db, "--since", "next week")
    assert res.exit_code == 2 and "--since next week: not a date" in res.output


def test_a_sitemap_index_and_a_news_sitemap(site, ingest_app, tmp_path):
    db = str(tmp_path / "news.db")
    res = ingest(ingest_app, site.url("/sitemap_index.xml"), "--db", db)
    assert res.exit_code == 0, res.output
    assert "3 articles added" in res.output
    assert [u for (u,) in rows(db, "SELECT url FROM articles ORDER BY id")] == [
        site.url("/news/ferry.html"), site.url("/news/library.html"), site.url("/news/school.html")]


def test_a_huge_page_is_cut_off_and_reported(site, ingest_app, tmp_path):
    res = ingest(ingest_app, site.url("/huge.html"), site.url("/news/school.html"), "--db", str(tmp_path / "n.db"),
                 "--max-bytes", "1000000")
    assert res.exit_code == 0 and "1 articles added" in res.output
    assert failure_lines(res.output) == [f"failed: {site.url('/huge.html')}: too large (cut off after 1,000,000 bytes, the limit)"]


def test_extract_a_page_a_feed_and_a_failure(site):
    r = CliRunner()
    res = r.invoke(main_app, ["extract", site.url("/moved.html"), "--delay", "0"])
    assert res.exit_code == 0, res.output
    art = json.loads(res.stdout)
    assert art["url"] == art["path"] == site.url("/news/library.html")  # after the redirect
    assert (art["publisher"], art["title"], art["authors"], art["date"]) == (
        "The Harbour Gazette", "Town library to open on Sundays", ["Liam Brennan"], "2026-03-02")
    assert any(q["speaker"] and q["speaker"]["name"] == "Grace Mbeki" for q in art["quotes"])

    res = r.invoke(main_app, ["extract", site.url("/feed.xml"), "--delay", "0"])
    assert res.exit_code == 0
    arts = json.loads(res.stdout)  # a feed gives a list
    assert [a["url"] for a in arts] == [site.url(f"/news/{n}.html") for n in ("ferry", "library", "market")]

    res = r.invoke(main_app, ["extract", site.url("/missing.html"), site.url("/news/school.html"), "--delay", "0",
                              "--format", "jsonl"])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"quotegraph: {site.url('/missing.html')}: HTTP 404 Not Found"
    assert [json.loads(line)["title"] for line in res.stdout.splitlines()] == ["New school bus route for the hill villages"]


def test_a_canonical_link_on_the_same_site_is_the_articles_url(site):
    site.add("/news/ferry-print.html", FERRY.replace("</head>", f'<link rel="canonical" href="{site.base}/news/ferry.html"></head>'))
    site.add("/elsewhere.html", FERRY.replace("</head>", '<link rel="canonical" href="https://gazette.example/ferry"></head>'))
    r = CliRunner()
    res = r.invoke(main_app, ["extract", site.url("/news/ferry-print.html?utm_source=feed"), site.url("/elsewhere.html"),
                              "--delay", "0", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["url"] for line in res.stdout.splitlines()] == [
        site.url("/news/ferry.html"),  # the site's own name for the page, without the tracking parameter
        site.url("/elsewhere.html"),  # a canonical link to another host is not trusted: the URL read
    ]
