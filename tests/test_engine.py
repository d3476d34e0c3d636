"""The Dask engine: the same store as the local ingest, Parquet partitions, the export layout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

from quotegraph.corpus import Corpus, snapshot  # noqa: E402
from quotegraph.corpus.cli import register  # noqa: E402
from quotegraph.corpus.engine import ingestor  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "corpus"
LINES = [
    {"id": "n1", "outlet": "Harbour Times", "published": "2026-03-02",
     "text": "\u201cWe will rebuild the bridge by spring,\u201d Mayor Ana Ruiz told reporters on Monday.\n\n"
             "Ruiz said the council had found the money.\n"},
    {"id": "n2", "outlet": "Coast Daily", "published": "2026-03-03",
     "text": "The mayor repeated her promise. \u201cWe will rebuild the bridge by spring,\u201d said Ana Ruiz.\n"},
    {"id": "n3", "text": ""},  # fails: empty
    {"id": "n4", "outlet": "Coast Daily", "published": "2026-03-04",
     "text": "Nurses will strike on Friday, their union announced.\n\n"
             "\u201cThe wards are short of staff every single night,\u201d said Maria Chen, a union official.\n"},
]


def corpus(tmp_path: Path) -> list[str]:
    f = tmp_path / "news.jsonl"
    f.write_text("".join(json.dumps(x) + "\n" for x in LINES), encoding="utf-8")
    d = tmp_path / "files"
    shutil.copytree(FIX / "echo", d)
    return [str(f), str(d)]


def run(db: Path, paths: list[str], engine: str, **kw):
    if engine == "dask":
        kw.update(workers=2, processes=False)  # a small in-process LocalCluster
    else:
        kw.update(jobs=0)
    ing, _ = ingestor(str(db), engine, chunk=2, **kw)
    return ing.run(paths)


def test_dask_ingest_gives_the_local_store_and_its_partitions(tmp_path):
    paths = corpus(tmp_path)
    local = run(tmp_path / "local.db", paths, "local")
    dask = run(tmp_path / "dask.db", paths, "dask")
    assert (dask.added, dask.failed) == (local.added, local.failed) == (6, 1)
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "local.db")
    for name in ("local", "dask"):
        with Corpus(tmp_path / f"{name}.db") as c:
            c.export("jsonl", tmp_path / f"{name}.jsonl")
    assert (tmp_path / "dask.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()
    [hit] = [json.loads(x) for x in (tmp_path / "dask.jsonl").read_text().splitlines() if "rebuild the bridge" in x]
    assert hit["n_occurrences"] == 2

    parts = tmp_path / "dask.db.parts"
    arts = pq.read_table(parts / "articles").to_pylist()
    assert len(list((parts / "articles").glob("*.parquet"))) == 3  # 6 readable articles in partitions of 2
    ids = [a["given_id"] for a in arts]
    assert len(ids) == 6 and {"n1", "n2", "n4"} <= set(ids) and "n3" not in ids  # n3 failed on reading
    assert not any(a["error"] for a in arts)
    occ = pq.read_table(parts / "occurrences").to_pylist()
    assert len(occ) == dask.occurrences
    good = {a["article"]: a for a in arts if not a["error"]}
    for o in occ:  # offsets give back the text
        assert good[o["article"]]["text"][o["start"]: o["end"]] == o["text"]
    people = {p["person"] for p in pq.read_table(parts / "people").to_pylist()}
    assert {o["speaker_person"] for o in occ if o["speaker_person"]} <= people

    again = run(tmp_path / "dask.db", paths, "dask")  # idempotent: nothing new, nothing extracted
    assert (again.added, again.skipped) == (0, 6)
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "local.db")
    assert not list((parts / "articles").glob("*.parquet"))  # an earlier run's partitions are cleared


def test_export_parquet_folder_layout(tmp_path):
    paths = corpus(tmp_path)
    run(tmp_path / "c.db", paths, "local")
    with Corpus(tmp_path / "c.db") as c:
        n = c.export("parquet", tmp_path / "out")
        assert c.export("parquet", tmp_path / "one.parquet") == n  # the single table stays
    t = {name: pq.read_table(tmp_path / "out" / name).to_pylist() for name in ("articles", "quotes", "occurrences", "people")}
    assert len(t["articles"]) == 6 and len(t["occurrences"]) == n
    quotes = {q["quote"]: q for q in t["quotes"]}
    assert {o["quote"] for o in t["occurrences"]} == set(quotes)
    assert sum(q["n_occurrences"] for q in quotes.values()) == n
    delgado = [p for p in t["people"] if p["name"] == "Maria Delgado"]
    assert len(delgado) == 1 and delgado[0]["kind"] == "person"  # one person across the articles


def test_cli_engine_options(tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    r = CliRunner()
    db = str(tmp_path / "c.db")
    res = r.invoke(app, ["ingest", str(FIX / "smiths"), "--db", db, "--workers", "2"])
    assert res.exit_code == 2 and "--engine dask" in res.output
    res = r.invoke(app, ["ingest", str(FIX / "smiths"), "--db", db, "--engine", "dask", "--workers", "1", "-q"])
    assert res.exit_code == 0, res.output
    assert "2 articles added" in res.output
    res = r.invoke(app, ["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "pq")])
    assert res.exit_code == 0 and (tmp_path / "pq" / "people" / "part-000000.parquet").exists()


def test_dask_extractor_that_cannot_load_stops_the_run(tmp_path):
    from quotegraph.corpus.ingest import ExtractorUnavailable

    paths = corpus(tmp_path)
    with pytest.raises(ExtractorUnavailable, match="no_such_module_qg"):
        run(tmp_path / "c.db", paths, "dask", extractor="no_such_module_qg:Extractor")
    with Corpus(tmp_path / "c.db") as c:  # nothing was recorded as a failed article
        assert c.con.execute("SELECT count(*) FROM failures WHERE stage='extract'").fetchone()[0] == 0
