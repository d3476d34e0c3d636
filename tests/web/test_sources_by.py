"""``quotegraph sources --by``: people and quotes per gender, source type, outlet, month and year,
on an invented corpus whose counts are known by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_support import LiveServer, build_diversity_store, quiet_app

from quotegraph.cli import app
from quotegraph.corpus import Corpus

runner = CliRunner()

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return build_diversity_store(tmp_path_factory.mktemp("by") / "c.db")


def _json(db: Path, *args: str) -> list[dict]:
    res = runner.invoke(app, ["sources", "--db", str(db), *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_by_gender_json(corpus):
    assert _json(corpus, "--by", "gender") == [
        {"gender": "female", "people": 2, "quotes": 5},
        {"gender": "male", "people": 1, "quotes": 2},
        {"gender": "unknown", "people": 1, "quotes": 1},
        {"gender": None, "people": 0, "quotes": 2},  # a senior official, Exxon: not a person
    ]


def test_by_gender_and_month(corpus):
    assert _json(corpus, "--by", "gender", "--by", "month") == [
        {"gender": "female", "month": "2024-03", "people": 1, "quotes": 2},
        {"gender": "female", "month": "2024-04", "people": 2, "quotes": 2},
        {"gender": "female", "month": None, "people": 1, "quotes": 1},
        {"gender": "male", "month": "2024-03", "people": 1, "quotes": 2},
        {"gender": "unknown", "month": "2024-03", "people": 1, "quotes": 1},
        {"gender": None, "month": "2024-03", "people": 0, "quotes": 1},
        {"gender": None, "month": "2024-04", "people": 0, "quotes": 1},
    ]


def test_the_order_of_by_is_the_order_of_keys(corpus):
    rows = _json(corpus, "--by", "outlet", "--by", "gender", "--by", "outlet")
    assert [list(r) for r in rows] == [["outlet", "gender", "people", "quotes"]] * len(rows)
    assert rows[:2] == [{"outlet": "Harbor Times", "gender": "female", "people": 1, "quotes": 1},
                        {"outlet": "Harbor Times", "gender": "male", "people": 1, "quotes": 1}]


def test_by_type_outlet_and_year(corpus):
    assert _json(corpus, "--by", "type", "--by", "outlet") == [
        {"type": "anonymous", "outlet": "Valley Post", "people": 0, "quotes": 1},
        {"type": "named_organization", "outlet": "Valley Post", "people": 0, "quotes": 1},
        {"type": "named_person", "outlet": "Harbor Times", "people": 3, "quotes": 3},
        {"type": "named_person", "outlet": "Valley Post", "people": 3, "quotes": 5},
    ]
    assert _json(corpus, "--by", "year") == [{"year": "2024", "people": 4, "quotes": 9},
                                             {"year": None, "people": 1, "quotes": 1}]


def test_filters_as_search_has_them(corpus):
    # --acts all adds Tom Reyes's belief
    assert _json(corpus, "--by", "gender", "--acts", "all")[1] == {"gender": "male", "people": 1, "quotes": 3}
    assert _json(corpus, "--by", "gender", "--outlet", "Harbor") == [
        {"gender": "female", "people": 1, "quotes": 1}, {"gender": "male", "people": 1, "quotes": 1},
        {"gender": "unknown", "people": 1, "quotes": 1}]
    assert _json(corpus, "--by", "month", "--since", "2024-04-01", "--until", "2024-04-30") == [
        {"month": "2024-04", "people": 2, "quotes": 3}]
    with Corpus(corpus) as c:  # the web app and the API ask the same query
        assert c.source_groups(["gender"], outlet="Harbor") == _json(corpus, "--by", "gender", "--outlet", "Harbor")
        assert c.most_quoted("female") == [{"id": c.most_quoted("female")[0]["id"], "name": "Maria Delgado", "quotes": 3},
                                           {"id": c.most_quoted("female")[1]["id"], "name": "Ana Cruz", "quotes": 2}]
        assert [p["name"] for p in c.most_quoted("male", acts="all")] == ["Tom Reyes"]
        assert c.most_quoted("male", acts="all")[0]["quotes"] == 3


def test_csv_header_and_rows(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "gender", "--by", "month", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["gender", "month", "people", "quotes"]
    assert rows[1] == ["female", "2024-03", "1", "2"]
    assert rows[-1] == ["", "2024-04", "0", "1"]
    assert len(rows) == 8
    plain = list(csv.reader(io.StringIO(runner.invoke(app, ["sources", "--db", str(corpus), "--format", "csv"]).stdout)))
    assert plain[0][:3] == ["outlet", "articles", "quotes"] and len(plain) == 3


def test_table_fits_80_columns(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "outlet", "--by", "gender", "--by", "month"],
                        env={"COLUMNS": "80"}, terminal_width=80)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if "Valley Post" in line and "2024-04" in line and "female" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["Valley Post", "female", "2024-04", "2", "2"]
    assert any("(not a person)" in line for line in lines)
    assert any("(undated)" in line for line in lines)


def test_without_by_the_outlet_table_stays(corpus):
    rows = _json(corpus)
    assert [(r["outlet"], r["articles"], r["quotes"]) for r in rows] == [("Valley Post", 2, 7), ("Harbor Times", 2, 4)]


def test_bad_input_is_one_line(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "colour"])
    assert res.exit_code == 2 and "colour" in res.output
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "month", "--since", "last week"])
    assert res.exit_code == 2 and "cannot read the date 'last week'" in res.output
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--since", "2024-01-01"])
    assert res.exit_code == 2 and "go with --by" in res.output


# ---------------------------------------------------------------------- the API and the web page

@pytest.fixture(scope="module")
def div_app(corpus):
    return quiet_app(corpus)


@pytest.fixture(scope="module")
def div_client(div_app):
    from fastapi.testclient import TestClient

    with TestClient(div_app) as c:
        yield c


def test_api_gives_the_cli_rows(div_client, corpus):
    r = div_client.get("/api/sources", params=[("by", "gender"), ("by", "month"), ("limit", "100")])
    assert r.status_code == 200, r.text
    assert r.json()["items"] == _json(corpus, "--by", "gender", "--by", "month")
    assert r.json()["total"] == 7
    r = div_client.get("/api/sources", params={"by": "gender", "outlet": "Harbor", "since": "2024-03-01"})
    assert r.json()["items"] == [{"gender": "male", "people": 1, "quotes": 1}, {"gender": "unknown", "people": 1, "quotes": 1}]
    assert div_client.get("/api/sources", params={"by": "colour"}).status_code == 422
    plain = div_client.get("/api/sources").json()["items"]  # without by: per outlet, as before
    assert [(p["outlet"], p["quotes"], p["named"]) for p in plain] == [("Valley Post", 7, 6), ("Harbor Times", 4, 4)]


def test_sources_page_charts_link_to_the_quotes(div_client):
    html = div_client.get("/sources").text
    # women's share per outlet: Valley Post quotes Maria Delgado, Ana Cruz (women) and Tom Reyes (a man)
    assert '67% women' in html
    assert 'href="/search?gender=female&amp;outlet=Valley+Post"' in html
    assert 'href="/search?outlet=Valley+Post&amp;type=anonymous"' in html
    # over time: March 2024 links to its days
    assert 'href="/search?gender=male&amp;since=2024-03-01&amp;until=2024-03-31"' in html
    # the most quoted people, each linked to their quotes
    assert re.search(r'href="/search\?speaker=\d+"><title>Maria Delgado: 3 quotes</title><rect class="seg-female"', html)
    assert html.count("<figure") == 6
    # each segment's title says what it counts
    assert "<title>Valley Post: 2 women of 3 people</title>" in html
    assert "<title>Harbor Times: 1 gender unknown of 3 people</title>" in html
    assert "<title>2024-04: 2 women of 2 people</title>" in html
    assert "<title>Valley Post: 1 anonymous of 7 quotes</title>" in html


# ---------------------------------------------------------------------- in Chromium

@pytest.fixture(scope="module")
def div_live(div_app):
    with LiveServer(div_app) as srv:
        yield srv


def _page(browser, base_url: str, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=base_url)
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    return ctx, pg


@pytest.mark.parametrize("width", [1280, 375])
def test_charts_render_and_fit(browser, div_live, artifacts, width):
    ctx, pg = _page(browser, div_live.url, width)
    try:
        pg.goto("/sources")
        figures = pg.locator("figure.hbars")
        assert figures.count() == 6
        for i in range(figures.count()):
            assert figures.nth(i).is_visible()
        segs = pg.locator("figure.hbars svg.stack rect")
        assert segs.count() >= 12
        boxes = [segs.nth(i).bounding_box() for i in range(segs.count())]
        assert all(b and b["width"] > 0 and b["height"] > 0 for b in boxes)
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5 for b in boxes)
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= width
        assert pg.evaluate("() => document.body.scrollWidth") <= width
        pg.screenshot(path=str(artifacts / f"sources-{width}.png"), full_page=True)
        pg.emulate_media(media="print")
        assert pg.locator("header.top nav").is_hidden()
        assert figures.first.is_visible()
        assert not pg.errors, pg.errors
    finally:
        ctx.close()


def test_chart_links_open_searches_that_list_quotes(browser, div_live):
    ctx, pg = _page(browser, div_live.url, 375)
    try:
        pg.goto("/sources")
        hrefs = pg.eval_on_selector_all("figure.hbars svg.stack a", "els => els.map(e => e.getAttribute('href'))")
        assert len(hrefs) >= 12 and all(h.startswith("/search?") for h in hrefs)
        # a segment clicked: the search lists the quotes behind it
        pg.locator('figure.hbars svg.stack a[href="/search?gender=female&outlet=Valley+Post"]').first.click()
        pg.wait_for_url(re.compile(r"/search\?gender=female&outlet=Valley\+Post$"))
        assert pg.locator(".hits li, .hit").count() >= 1
        assert "Valley Post" in pg.locator("main").inner_text()
        for href in sorted(set(hrefs)):
            resp = pg.goto(href)
            assert resp.status == 200, href
            assert pg.locator(".hit").count() >= 1, href
        # a most-quoted bar: the search lists exactly that person's quotes
        pg.goto("/sources")
        bar = pg.locator("figure.hbars.people svg.stack a").first
        href = bar.get_attribute("href")
        assert re.fullmatch(r"/search\?speaker=\d+", href)
        bar.click()
        pg.wait_for_url("**" + href)
        assert pg.locator(".hit").count() == 3  # Maria Delgado's three statements
        assert "Maria Delgado" in pg.locator(".hit").first.inner_text()
        assert not pg.errors, pg.errors
    finally:
        ctx.close()



def test_the_demo_store_sources_page_fits_a_phone(browser, live, artifacts):
    """The shared demo store: many outlets, long and hostile names, every person of unknown gender."""
    ctx, pg = _page(browser, live.url, 375)
    try:
        pg.goto("/sources")
        assert pg.locator("figure.hbars").count() == 6
        assert pg.locator("figure.hbars.gender svg.stack rect.seg-unknown").count() >= 3
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 375
        pg.screenshot(path=str(artifacts / "sources-demo-375.png"), full_page=True)
        assert not pg.errors, pg.errors
    finally:
        ctx.close()
