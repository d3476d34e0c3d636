"""Ingest end to end with the real extractor, on hand-written articles (tests/fixtures/corpus)."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from quotegraph.corpus import Corpus, ingest, snapshot
from quotegraph.corpus.cli import register

FIX = Path(__file__).parent / "fixtures" / "corpus"


def run(paths, db, **kw):
    kw.setdefault("jobs", 0)
    return ingest([str(p) for p in paths], str(db), **kw)


def test_three_reports_of_one_statement_are_one_quote(tmp_path):
    rep = run([FIX / "echo"], tmp_path / "c.db")
    assert (rep.added, rep.failed) == (3, 0)
    with Corpus(tmp_path / "c.db") as c:
        [hit] = c.search("rebuild every levee")
        assert hit["n_occurrences"] == 3
        occ = hit["occurrences"]
        texts = [o["text"] for o in occ]
        assert any("..." in t for t in texts) and any("[The state]" in t for t in texts)
        assert any(t.startswith("WE WILL NOT BACK DOWN") for t in texts)
        assert {o["outlet"] for o in occ} == {None, "Valley Post", "Capital Wire"}
        assert {o["speaker"]["name"] for o in occ} == {"Maria Delgado"}
        assert [o["first"] for o in occ] == [True, False, False]
        assert hit["text"] == texts[0]  # the first occurrence (in ingest order) is kept
        assert hit["variants"] == {"speaker": 0, "words": 0}
        cw = next(o for o in occ if o["outlet"] == "Capital Wire")
        assert cw["published"] == "2024-03-14T09:30:00" and cw["url"].startswith("https://capitalwire.example/")
        delgado = c.person("Delgado")
        assert delgado["name"] == "Maria Delgado" and len(delgado["said"]) >= 3


def test_two_smiths_stay_apart(tmp_path):
    run([FIX / "smiths", FIX / "echo"], tmp_path / "c.db")
    with Corpus(tmp_path / "c.db") as c:
        anna, robert = c.person("Anna Smith"), c.person("Robert Smith")
        assert anna["id"] != robert["id"]
        assert any("public transport" in o["text"] for o in anna["said"])
        assert not any("club" in o["text"] for o in anna["said"])
        assert [o["text"] for o in robert["said"]] == [
            "I gave this club everything I had and I am proud of these players,"]
        assert {r["role"] for r in anna["roles"]} >= {"Senator"} and {r["role"] for r in robert["roles"]} == {"Coach"}
        assert robert["said"][0]["addressee"]["text"] == "the club's supporters"
        smith = c.person("Smith")  # fits both: the one with most quotes answers, the other is listed
        assert smith["id"] == max((anna, robert), key=lambda p: p["quotes"])["id"]
        assert [o["id"] for o in smith["others"]] == [min((anna, robert), key=lambda p: p["quotes"])["id"]]
        assert {p["name"] for p in c.people("Smith")} == {"Anna Smith", "Robert Smith"}


def test_reingest_adds_nothing(tmp_path):
    db = tmp_path / "c.db"
    first = run([FIX], db)
    snap = snapshot(db)
    again = run([FIX], db)
    assert first.added == 5 and again.added == 0 and again.skipped == 5
    assert snapshot(db) == snap


def test_bad_inputs_are_recorded_and_do_not_stop_the_run(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(FIX / "smiths" / "01_senate.txt", d / "a.txt")
    (d / "empty.txt").write_text("  \n")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    good = json.loads((FIX / "echo" / "03_capital_wire.jsonl").read_text())
    lines = [json.dumps(good), "{not json", json.dumps({"id": "x", "title": "no text"}), json.dumps([1, 2]),
             json.dumps({**good, "id": "same-text-again"})]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n")
    db = tmp_path / "c.db"
    rep = run([d, tmp_path / "missing.txt"], db)
    assert rep.added == 2 and rep.skipped == 1  # the repeated text is one article
    reasons = dict(rep.failures)
    assert set(reasons) == {str(tmp_path / "missing.txt"), str(d / "binary.txt"), str(d / "empty.txt"),
                            f"{d / 'feed.jsonl'}:2", f"{d / 'feed.jsonl'}:3", f"{d / 'feed.jsonl'}:4"}
    assert "no such file" in reasons[str(tmp_path / "missing.txt")]
    assert "empty" in reasons[str(d / "empty.txt")]
    assert "invalid JSON" in reasons[f"{d / 'feed.jsonl'}:2"]
    assert '"text"' in reasons[f"{d / 'feed.jsonl'}:3"]
    with Corpus(db) as c:
        assert c.stats()["failures"] == 6
        assert len(c.failures()) == 6
    snap = snapshot(db)
    rep2 = run([d, tmp_path / "missing.txt"], db)
    assert rep2.added == 0 and rep2.failed == 0 and snapshot(db) == snap


def _warc(path: Path) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (FIX / "echo" / "02_valley_post.html").read_bytes()
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warc_record("https://valleypost.example/flood", "request",
                                            payload=io.BytesIO(b"GET /flood HTTP/1.1\r\n\r\n")))
        for url, status, ctype, body in (
            ("https://valleypost.example/flood", "200 OK", "text/html; charset=utf-8", html),
            ("https://valleypost.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://valleypost.example/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
        ):
            hdrs = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=hdrs)
            w.write_record(rec)
            rec.raw_stream.close()  # warcio buffers the record in a temporary file it leaves open
    assert warcio


def test_warc_html_responses(tmp_path):
    _warc(tmp_path / "crawl.warc.gz")
    rep = run([tmp_path / "crawl.warc.gz", FIX / "echo"], tmp_path / "c.db")
    assert rep.failed == 0 and rep.added == 3 and rep.skipped == 1  # the WARC page is the .html fixture
    with Corpus(tmp_path / "c.db") as c:
        [hit] = c.search("rebuild every levee")
        first = hit["occurrences"][0]
        assert first["url"] == "https://valleypost.example/flood" and first["source"].startswith(str(tmp_path / "crawl.warc.gz@"))
        assert first["outlet"] == "Valley Post"


def test_not_a_warc_is_a_failure(tmp_path):
    pytest.importorskip("warcio")
    (tmp_path / "bad.warc.gz").write_bytes(gzip.compress(b"this is not a warc file\n" * 10))
    rep = run([tmp_path / "bad.warc.gz"], tmp_path / "c.db")
    assert rep.failed == 1 and "WARC" in rep.failures[0][1]


def test_worker_processes_give_the_same_store(tmp_path):
    run([FIX], tmp_path / "inline.db", jobs=0)
    rep = run([FIX], tmp_path / "pool.db", jobs=1, chunk=2)
    assert rep.added == 5
    assert snapshot(tmp_path / "inline.db") == snapshot(tmp_path / "pool.db")


def test_cli_commands(tmp_path, monkeypatch):
    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def noop() -> None:  # a second command, so Typer keeps the command names
        pass

    r = CliRunner()
    db = str(tmp_path / "c.db")
    res = r.invoke(app, ["ingest", str(FIX), "--db", db, "--jobs", "0", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "5 articles added" in res.output and "0 failed" in res.output
    res = r.invoke(app, ["ingest", str(FIX), "--db", db, "--jobs", "0", "--quiet"])
    assert res.exit_code == 0 and "0 articles added" in res.output and "5 already stored" in res.output

    res = r.invoke(app, ["search", "levee", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    hits = json.loads(res.stdout)
    assert hits[0]["n_occurrences"] == 3
    res = r.invoke(app, ["search", "levee", "--db", db, "--format", "jsonl", "--speaker", "Anna Smith"])
    assert res.exit_code == 0 and res.stdout == ""
    res = r.invoke(app, ["search", "levee", "--db", db, "--outlet", "Valley Post", "--since", "2024-03-01"])
    assert res.exit_code == 0 and "Maria Delgado" in res.stdout
    res = r.invoke(app, ["search", "levee", "--db", db, "--since", "soon"])
    assert res.exit_code != 0

    res = r.invoke(app, ["person", "Robert Smith", "--db", db])
    assert res.exit_code == 0 and res.stdout.startswith("Robert Smith") and "Coach" in res.stdout
    res = r.invoke(app, ["person", "Robert Smith", "--db", db, "--format", "json"])
    assert "proud of these players" in json.loads(res.stdout)["said"][0]["text"]
    res = r.invoke(app, ["person", "Smith", "--db", db])
    assert res.exit_code == 0 and "Anna Smith" in res.output and "Robert Smith" in res.output
    assert "'Smith' also fits: " in " ".join(res.output.split())
    res = r.invoke(app, ["person", "Nobody", "--db", db])
    assert res.exit_code == 1

    res = r.invoke(app, ["sources", "--db", db, "--format", "json"])
    rows = {row["outlet"]: row for row in json.loads(res.stdout)}
    assert rows["Capital Wire"]["named"] >= 1 and rows["Valley Post"]["articles"] == 1

    res = r.invoke(app, ["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "q.csv")])
    assert res.exit_code == 0 and (tmp_path / "q.csv").read_text().startswith("quote_id,")
    res = r.invoke(app, ["export", "--db", db])
    assert res.exit_code == 0 and all(json.loads(line)["occurrences"] for line in res.stdout.splitlines())
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        res = r.invoke(app, ["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "q.parquet")])
        assert res.exit_code != 0 and "pip install pyarrow" in res.output

    res = r.invoke(app, ["search", "x", "--db", str(tmp_path / "nope.db")])
    assert res.exit_code == 2 and "no such corpus" in res.output


def test_an_extractor_that_cannot_load_stops_the_run_without_failing_articles(tmp_path):
    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def noop() -> None:
        pass

    db = tmp_path / "c.db"
    for jobs in ("0", "1"):
        res = CliRunner().invoke(app, ["ingest", str(FIX), "--db", str(db), "--jobs", jobs, "--quiet",
                                       "--extractor", "quotegraph.no_such_module:Extractor"])
        assert res.exit_code == 2 and "cannot load the extractor" in res.output, res.output
    with Corpus(db) as c:
        assert c.stats()["failures"] == 0 and c.stats()["articles"] == 0
