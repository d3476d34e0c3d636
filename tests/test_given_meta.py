"""Metadata given with an input: JSON Lines fields, sidecar files, ``--outlet`` and ``--date``
(corpus/given.py). Invented articles."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from quotegraph.corpus import ingest
from quotegraph.corpus.cli import register
from quotegraph.corpus.given import GivenMeta, option_meta, sidecar_path
from quotegraph.corpus.sources import iter_items

STORY = ("The town council voted on Tuesday to dredge the old harbour, ending a dispute that has lasted four years.\n"
         "\"We finally have a plan,\" said Mayor Ana Ruiz after the vote.\n")
HEADLINE = "Council approves harbour dredging plan"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def folder(tmp_path: Path) -> Path:
    d = tmp_path / "news"
    d.mkdir()
    write(d / "a.txt", HEADLINE + "\n" + STORY)
    write(d / "a.json", json.dumps({"url": "https://harbour.example/a", "site_name": "Harbour Herald",
                                    "datePublished": "2024-03-14T09:30:00Z", "author": "Jane Porter; Tom Okafor"}))
    write(d / "b.txt", "Second harbour story\n" + STORY.replace("Tuesday", "Monday"))
    write(d / "b.meta.json", json.dumps({"headline": "Dredging: the vote", "published_at": "14 March 2024"}))
    write(d / "c.txt", "Third harbour story\n" + STORY.replace("Tuesday", "Friday"))
    return d


def test_a_sidecar_gives_the_fields_and_the_options_fill_the_rest(tmp_path):
    d = folder(tmp_path)
    items = {Path(it.source).name: it for it in iter_items([d], given=option_meta("Folder Post", "2024-01-02"))}
    assert sorted(items) == ["a.txt", "b.txt", "c.txt"]  # the sidecars are no articles
    a, b, c = items["a.txt"], items["b.txt"], items["c.txt"]
    assert (a.url, a.outlet, a.published, a.authors) == (
        "https://harbour.example/a", "Harbour Herald", "2024-03-14T09:30:00", ["Jane Porter", "Tom Okafor"])
    assert (b.title, b.outlet, b.published) == ("Dredging: the vote", "Folder Post", "2024-03-14")
    assert (c.title, c.outlet, c.published, c.url) == (None, "Folder Post", "2024-01-02", None)
    assert not (a.warnings or b.warnings or c.warnings)


def test_meta_json_is_read_before_json(tmp_path):
    art = write(tmp_path / "x.html", "<p>text</p>")
    write(tmp_path / "x.json", "{}")
    assert sidecar_path(str(art)) == str(tmp_path / "x.json")
    write(tmp_path / "x.meta.json", "{}")
    assert sidecar_path(str(art)) == str(tmp_path / "x.meta.json")


@pytest.mark.parametrize("side, warning", [
    ('{"date": "yesterday"}', 'sidecar a.json: "date" \'yesterday\''),
    ('{"outlet": {"name": "X"}}', 'sidecar a.json: "outlet" is a JSON object, not a text'),
    ('{"authors": [1, 2]}', 'sidecar a.json: "authors" is a JSON array, not a name or a list of names'),
    ("{not json", "sidecar a.json: invalid JSON"),
    ('["a list"]', "sidecar a.json: a JSON array, not a JSON object"),
])
def test_a_bad_sidecar_is_a_warning_naming_it_and_the_article_is_kept(tmp_path, side, warning):
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "a.json", side)
    [item] = iter_items([tmp_path])
    assert item.error is None and item.text == STORY
    assert len(item.warnings) == 1 and item.warnings[0].startswith(warning), item.warnings
    assert "\n" not in item.warnings[0]


def test_json_lines_read_the_common_field_names(tmp_path):
    lines = [
        {"text": STORY, "link": "https://a.example/1", "source": "Wire One", "published_at": "2024-05-01",
         "headline": "Given headline", "authors": ["Ana Ruiz"]},
        {"text": STORY + "More.", "url": "https://a.example/2", "publisher": "Wire Two", "datePublished": "2024-05-02T10:00:00"},
        {"text": STORY + "Even more.", "outlet": "Wire Three", "date": "last week"},
    ]
    path = write(tmp_path / "in.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    one, two, three = iter_items([path], given=option_meta("Option Outlet", "2020-02-02"))
    assert (one.url, one.outlet, one.published, one.title, one.authors) == (
        "https://a.example/1", "Wire One", "2024-05-01", "Given headline", ["Ana Ruiz"])
    assert (two.url, two.outlet, two.published, two.title) == ("https://a.example/2", "Wire Two", "2024-05-02T10:00:00", None)
    # a bad date in the record is a warning; the option's date stands in
    assert (three.outlet, three.published) == ("Wire Three", "2020-02-02")
    assert three.warnings and three.warnings[0].startswith('"date" \'last week\'')


@pytest.mark.parametrize("bad", ["yesterday", "March 2024", "2024-13-45", "Tuesday"])
def test_the_date_option_takes_absolute_dates_only(bad):
    with pytest.raises(ValueError) as e:
        option_meta(None, bad)
    assert str(e.value).startswith(f"--date {bad!r}:") and "\n" not in str(e.value)
    assert option_meta(None, "14 March 2024").published == "2024-03-14"


def test_given_fields_are_set_on_an_article():
    from quotegraph.models import Article

    art = Article(id="x", text="t", title="Own title", publisher="Own", date="2020-01-01")
    GivenMeta(outlet="Given").over(GivenMeta(outlet="Option", published="2021-01-01")).apply(art)
    assert (art.title, art.publisher, art.date) == ("Own title", "Given", "2021-01-01")


def rows(db: Path) -> dict[str, tuple]:
    """The stored articles' (title, outlet, published, url) by their source's file name (and line)."""
    con = sqlite3.connect(db)
    try:
        got = con.execute("SELECT source, title, outlet, published, url FROM articles").fetchall()
    finally:
        con.close()
    return {Path(source).name: tuple(rest) for source, *rest in got}


def test_ingest_stores_the_given_metadata_and_plain_headlines(tmp_path):
    d = folder(tmp_path)
    write(d / "feed.jsonl", json.dumps({"text": "Harbour plan wins support\n" + STORY.replace("Tuesday", "Sunday"),
                                        "site_name": "Line Post"}) + "\n")
    db = tmp_path / "c.db"
    rep = ingest([str(d)], str(db), jobs=0, given=option_meta("Folder Post", "2024-01-02"))
    assert (rep.added, rep.failed) == (4, 0)
    got = rows(db)
    assert got["a.txt"] == (HEADLINE, "Harbour Herald", "2024-03-14T09:30:00", "https://harbour.example/a")
    assert got["b.txt"] == ("Dredging: the vote", "Folder Post", "2024-03-14", None)
    assert got["c.txt"] == ("Third harbour story", "Folder Post", "2024-01-02", None)  # the first line, a headline
    assert got["feed.jsonl:1"] == ("Harbour plan wins support", "Line Post", "2024-01-02", None)


def test_the_cli_options_and_a_bad_date(tmp_path):
    d = folder(tmp_path)
    app = typer.Typer()
    register(app)
    r = CliRunner()
    db = str(tmp_path / "c.db")
    res = r.invoke(app, ["ingest", str(d / "c.txt"), "--db", db, "--jobs", "0", "-q", "--date", "yesterday"])
    assert res.exit_code == 2 and "--date 'yesterday'" in res.output
    assert not Path(db).exists()  # nothing was read
    res = r.invoke(app, ["ingest", str(d), "--db", db, "--jobs", "0", "-q", "--outlet", "Folder Post", "--date", "2024-01-02"])
    assert res.exit_code == 0, res.output
    assert rows(Path(db))["c.txt"][1:3] == ("Folder Post", "2024-01-02")


def test_extract_reads_the_sidecar_and_the_options(tmp_path):
    from quotegraph.cli import app

    d = folder(tmp_path)
    res = CliRunner().invoke(app, ["extract", str(d / "a.txt"), str(d / "c.txt"), "--rules-only",
                                   "--outlet", "Folder Post", "--date", "2024-01-02"])
    assert res.exit_code == 0, res.output
    a, c = json.loads(res.stdout)
    assert (a["publisher"], a["date"], a["authors"], a["title"]) == (
        "Harbour Herald", "2024-03-14T09:30:00", ["Jane Porter", "Tom Okafor"], HEADLINE)
    assert (c["publisher"], c["date"], c["title"]) == ("Folder Post", "2024-01-02", "Third harbour story")
