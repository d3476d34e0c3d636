"""Issue 25, filters everywhere, in the web app: the search page, the JSON API's search, a
person's page and API, and the article page filter by the same parameters (kind, acts, speaker,
outlet, since, until, gender, type, min_confidence) as the CLI; results show each record's
article title, outlet and date; a search is exported (CSV, JSON lines); lists are paged.
The corpus is invented (filter_corpus.py), so every answer is known exactly."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from filter_corpus import ALL, RECORDS, build, tag_of

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from quotegraph.web import Settings, create_app

    db = build(tmp_path_factory.mktemp("webfilters") / "c.db")
    with TestClient(create_app(db, settings=Settings(rate_limit=0, page_size=3))) as c:
        yield c


def page_tags(html: str) -> set[str]:
    """The records a search page lists (by their quote links)."""
    return {tag_of(unescape(t)) for t in re.findall(r'class="quote-link" href="/quotes/\d+">([^<]*)</a>', html)}


def search_all_pages(client, params: dict) -> set[str]:
    tags: set[str] = set()
    for n in range(1, 5):
        r = client.get("/search", params={**params, "page": n})
        assert r.status_code == 200, r.text
        tags |= page_tags(r.text)
        if 'rel="next"' not in r.text:
            return tags
    raise AssertionError("more pages than records")


FILTERS = [
    ({"kind": "direct"}, {"dredge", "tariffs", "ferries", "rust", "ledger"}),
    ({"kind": "mixed"}, {"shortfall"}),
    ({"acts": "all"}, ALL),
    ({"acts": "belief"}, {"flood"}),
    ({"speaker": "Tom Berg"}, {"costly"}),
    ({"speaker": "Ruiz", "acts": "all"}, {"dredge", "ferries", "flood"}),
    ({"outlet": "Hill Gazette"}, {"shortfall", "tariffs", "ferries"}),
    ({"since": "2025-01-01"}, {"cracks", "rust", "ledger"}),
    ({"until": "2024-03-05"}, {"dredge", "costly"}),
    ({"gender": "female"}, {"dredge", "ferries", "cracks"}),
    ({"gender": "male"}, {"costly"}),
    ({"gender": "unknown"}, {"ledger"}),
    ({"type": "document"}, {"rust"}),
    ({"type": "anonymous"}, {"shortfall"}),
    ({"min_confidence": "0.8"}, {"dredge", "tariffs", "cracks"}),
    ({"q": "ferries", "gender": "female"}, {"ferries"}),
    ({"gender": "female", "outlet": "Valley Post", "since": "2025-01-01"}, {"cracks"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_search_page_filters(client, params, expected):
    assert search_all_pages(client, params) == expected


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_api_search_filters(client, params, expected):
    r = client.get("/api/search", params={**params, "limit": 50})
    assert r.status_code == 200, r.text
    assert {tag_of(o["text"]) for h in r.json()["items"] for o in h["occurrences"]} == expected


@pytest.mark.parametrize(("params", "message"), [
    ({"kind": "quoted"}, "kind must be one of direct, indirect, mixed"),
    ({"gender": "woman"}, "gender must be one of female, male, unknown"),
    ({"type": "person"}, "type must be one of named_person, named_organization"),
    ({"acts": "beliefs"}, "acts must be one of statements, all, statement, belief"),
])
def test_a_filter_that_cannot_be_read_says_what_is_allowed(client, params, message):
    page = client.get("/search", params=params)
    assert message in unescape(page.text) and "No quotes found" not in page.text
    api = client.get("/api/search", params=params)
    assert api.status_code == 422 and message in api.json()["detail"]
    assert client.get("/search/export", params=params).status_code == 400


def test_search_form_keeps_what_was_asked(client):
    html = client.get("/search", params={"gender": "female", "type": "anonymous", "kind": "mixed"}).text
    for name, value in (("gender", "female"), ("type", "anonymous"), ("kind", "mixed")):
        assert re.search(rf'<select name="{name}">.*?<option value="{value}" selected>', html, re.S), name


def test_search_results_show_article_title_outlet_and_date(client):
    html = client.get("/search", params={"q": "cables"}).text
    reported = re.search(r'<span class="reported">(.*?)</span></span>', html, re.S)
    assert reported is not None
    text = re.sub(r"<[^>]+>", "", reported.group(1))
    assert text == "Bridge repairs delayed · Valley Post · 2025-01-20"


def test_search_pages_every_result_once(client):
    seen = []
    for n in (1, 2, 3):
        seen.append(page_tags(client.get("/search", params={"acts": "all", "page": n}).text))
    assert [len(p) for p in seen] == [3, 3, 3]  # nine records, three a page
    assert set().union(*seen) == ALL
    last = client.get("/search", params={"acts": "all", "page": 3}).text
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert "acts=all" in re.search(r'rel="prev" href="([^"]+)"', last).group(1)  # the pager keeps the filter


def test_search_is_exported_with_its_filter(client):
    html = client.get("/search", params={"gender": "female", "q": "ferries"}).text
    links = dict(re.findall(r'<a class="export" href="([^"]+)" download>([^<]+)</a>', html))
    assert set(links.values()) == {"CSV", "JSON lines"}
    csv_link = unescape(next(k for k, v in links.items() if v == "CSV"))
    r = client.get(csv_link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [tag_of(row["text"]) for row in rows] == ["ferries"]
    r = client.get("/search/export", params={"format": "jsonl", "type": "named_person", "acts": "all"})
    quotes = [json.loads(line) for line in r.text.splitlines()]
    assert {tag_of(o["text"]) for q in quotes for o in q["occurrences"]} == {
        t for t, rec in RECORDS.items() if rec[5] == "named_person"}
    assert client.get("/search/export", params={"format": "xml"}).status_code == 400


def person_id(client, name: str) -> int:
    return next(p["id"] for p in client.get("/api/people", params={"q": name}).json()["items"] if p["name"] == name)


def said_tags(html: str) -> list[str]:
    return [tag_of(unescape(t)) for t in re.findall(r'<blockquote><a href="/quotes/\d+">([^<]*)</a>', html)]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["dredge", "flood", "ferries"]),
    ({"kind": "direct"}, ["dredge", "ferries"]),
    ({"acts": "statements"}, ["dredge", "ferries"]),
    ({"acts": "belief"}, ["flood"]),
    ({"outlet": "Hill"}, ["ferries"]),
    ({"since": "2024-06-01"}, ["ferries"]),
    ({"until": "2024-03-31"}, ["dredge", "flood"]),
    ({"type": "anonymous"}, []),
    ({"min_confidence": "0.5"}, ["dredge", "flood"]),
])
def test_person_page_and_api_filter(client, params, expected):
    pid = person_id(client, "Ana Ruiz")
    page = client.get(f"/people/{pid}", params=params)
    assert page.status_code == 200
    assert said_tags(page.text) == expected
    api = client.get(f"/api/people/{pid}/quotes", params=params).json()
    assert [tag_of(o["text"]) for o in api["items"]] == expected and api["total"] == len(expected)


def test_person_page_shows_title_outlet_date_and_pages_with_its_filter(client):
    pid = person_id(client, "Ana Ruiz")
    html = client.get(f"/people/{pid}", params={"kind": "direct"}).text
    assert "Budget gap at the port</a> · <span class=\"outlet\">Hill Gazette</span> · <span class=\"date\">2024-06-10" in html
    assert "2 of 3 records shown" in html
    bad = client.get(f"/people/{pid}", params={"since": "tomorrow"})
    assert bad.status_code == 400 and "since: cannot read the date" in bad.text
    api = client.get(f"/api/people/{pid}/quotes", params={"limit": 1, "offset": 1}).json()
    assert [tag_of(o["text"]) for o in api["items"]] == ["flood"] and api["next_offset"] == 2


def article_records(html: str) -> set[str]:
    ids = re.findall(r'<section class="card [^"]*" id="d-(q\d+)"', html)
    texts = re.findall(r'<blockquote class="content">([^<]*)</blockquote>', html)
    assert len(ids) == len(texts)
    return {tag_of(unescape(t)) for t in texts}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"dredge", "costly"}),  # statements from a source
    ({"acts": "all"}, {"dredge", "costly", "flood"}),
    ({"kind": "direct"}, {"dredge"}),
    ({"kind": ["indirect", "mixed"], "acts": "all"}, {"costly", "flood"}),  # checkboxes: the parameter twice
    ({"min_confidence": "0.7"}, {"dredge"}),
    ({"min_confidence": "0.7", "acts": "all"}, {"dredge", "flood"}),
])
def test_article_page_hides_and_shows_records_by_kind_and_confidence(client, params, expected):
    page = client.get("/articles/harbour", params=params)
    assert page.status_code == 200
    assert article_records(page.text) == expected
    hidden = 3 - len(expected)
    assert (f"{hidden} more with other" in page.text) == bool(hidden)


def test_article_page_control_works_without_javascript(client):
    html = client.get("/articles/harbour", params={"kind": "direct", "min_confidence": "0.5"}).text
    form = re.search(r'<form class="filters records-shown" method="get".*?</form>', html, re.S).group(0)
    assert '<input type="checkbox" name="kind" value="direct" checked>' in form
    assert '<input type="checkbox" name="kind" value="indirect">' in form
    assert 'name="min_confidence" value="0.5"' in form and '<button type="submit">' in form
    assert client.get("/articles/harbour", params={"kind": "said"}).status_code == 400
