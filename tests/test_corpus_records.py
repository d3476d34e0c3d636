"""Issue 23 in the store: every occurrence keeps its act, factuality, source type, role and
organisation; searches show statements from a source unless asked for all acts, and filter by
confidence; the exports carry the fields; a version 3 store is upgraded in place, safely.
Stores are built from hand-built articles (no model)."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus import Corpus, Store
from quotegraph.corpus.store import ItemMeta
from quotegraph.corpus.storefile import UnknownSchema
from quotegraph.models import Article, Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]

TEXT = ('"The reservoir will be full by June," said Maria Okafor, the city treasurer. '
        "Residents believe the dam is unsafe. "
        '"Nobody will be left without water this summer, whatever the weather brings," a banner read. '
        "An Exxon spokesperson did not say whether the pipeline would reopen. "
        "The auditor's report found that the pumps had failed twice.")


def span(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


def record(qid: str, content: str, speaker: str | None, *, act="statement", factuality="asserted", kind="direct",
           confidence=0.9, **source) -> Quote:
    sp = None
    if speaker is not None:
        sp = Speaker(text=speaker, span=span(TEXT, speaker), name=source.pop("name", None),
                     kind=source.pop("speaker_kind", "person"), **source)
    return Quote(id=qid, kind=kind, text=content, span=span(TEXT, content), spans=[span(TEXT, content)], speaker=sp,
                 act=act, factuality=factuality, confidence=confidence)


def article() -> Article:
    quotes = [
        record("q1", "The reservoir will be full by June", "Maria Okafor", name="Maria Okafor", type="named_person",
               role="the city treasurer", confidence=0.95),
        record("q2", "the dam is unsafe", "Residents", act="belief", kind="indirect", speaker_kind="unknown",
               type="unnamed_group", confidence=0.8),
        record("q3", "Nobody will be left without water this summer, whatever the weather brings", None,
               confidence=0.4),
        record("q4", "whether the pipeline would reopen", "An Exxon spokesperson", factuality="negated",
               kind="indirect", speaker_kind="organization", type="named_organization", organization="Exxon",
               confidence=0.3),
        record("q5", "the pumps had failed twice", "The auditor's report", act="knowledge", kind="indirect",
               speaker_kind="document", type="document", confidence=0.7),
    ]
    return Article(id="x", text=TEXT, quotes=quotes)


def build(path: Path) -> Path:
    with Store(path) as s:
        s.add_article(ItemMeta(key="a1", source="a1.txt", outlet="Riverton Herald", published="2024-05-02"), article())
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    return build(tmp_path / "records.db")


def shown(hits: list[dict]) -> dict[str, dict]:
    return {o["qid"]: o for h in hits for o in h["occurrences"]}


def test_search_shows_statements_from_a_source_unless_asked_for_all(db):
    with Corpus(db) as c:
        default = shown(c.search(""))
        everything = shown(c.search("", acts="all"))
        worded = shown(c.search("dam unsafe"))
        worded_all = shown(c.search("dam unsafe", acts="all"))
    # q2 is a belief, q5 knowledge, q3 has no source, q4 a negated statement ("declined to say
    # whether ..."): the default holds the one asserted statement of a source, as extraction keeps it
    assert set(default) == {"q1"}
    assert set(everything) == {"q1", "q2", "q3", "q4", "q5"}
    assert worded == {} and set(worded_all) == {"q2"}


def test_each_occurrence_carries_its_act_and_source(db):
    with Corpus(db) as c:
        occ = shown(c.search("", acts="all"))
    q1, q2, q4, q5 = occ["q1"], occ["q2"], occ["q4"], occ["q5"]
    assert (q1["act"], q1["factuality"]) == ("statement", "asserted")
    assert q1["speaker"]["type"] == "named_person" and q1["speaker"]["role"] == "the city treasurer"
    assert (q2["act"], q2["speaker"]["type"]) == ("belief", "unnamed_group")
    assert q4["factuality"] == "negated" and q4["speaker"]["organization"] == "Exxon"
    assert (q5["act"], q5["speaker"]["type"]) == ("knowledge", "document")
    assert occ["q3"]["speaker"]["type"] is None


def test_min_confidence_filters_occurrences(db):
    with Corpus(db) as c:
        assert set(shown(c.search("", min_confidence=0.5))) == {"q1"}
        assert set(shown(c.search("", acts="all", min_confidence=0.75))) == {"q1", "q2"}
        assert set(shown(c.search("", acts="all", min_confidence=0.0))) == {"q1", "q2", "q3", "q4", "q5"}
        for bad in (1.5, -0.1, float("nan")):
            with pytest.raises(ValueError, match="min_confidence must be a number from 0 to 1"):
                c.search("", min_confidence=bad)
        with pytest.raises(ValueError, match="acts must be one of statements, all"):
            c.search("", acts="beliefs")


def test_cli_search_acts_and_min_confidence(db):
    def qids(*args: str) -> set[str]:
        res = CliRunner().invoke(app, ["search", "--db", str(db), "--format", "json", *args])
        assert res.exit_code == 0, res.output
        return set(shown(json.loads(res.stdout)))

    assert qids() == {"q1"}
    assert qids("--acts", "all") == {"q1", "q2", "q3", "q4", "q5"}
    assert qids("--acts", "all", "--min-confidence", "0.75") == {"q1", "q2"}
    res = CliRunner().invoke(app, ["search", "--db", str(db), "--min-confidence", "2"])
    assert res.exit_code == 2 and "--min-confidence" in res.stderr


def test_exports_carry_the_new_fields(db, tmp_path):
    with Corpus(db) as c:
        c.export("csv", tmp_path / "o.csv")
        c.export("jsonl", tmp_path / "o.jsonl")
    with open(tmp_path / "o.csv", newline="", encoding="utf-8") as fh:
        rows = {r["qid"]: r for r in csv.DictReader(fh)}
    assert (rows["q2"]["act"], rows["q4"]["factuality"], rows["q4"]["speaker_organization"]) == ("belief", "negated", "Exxon")
    assert (rows["q1"]["source_type"], rows["q1"]["speaker_role"]) == ("named_person", "the city treasurer")
    occ = {o["qid"]: o for line in (tmp_path / "o.jsonl").read_text().splitlines() for o in json.loads(line)["occurrences"]}
    assert len(occ) == 5 and occ["q5"]["act"] == "knowledge" and occ["q5"]["source_type"] == "document"
    pq = pytest.importorskip("pyarrow.parquet")
    with Corpus(db) as c:
        c.export("parquet", tmp_path / "o.parquet")
        c.export("parquet", tmp_path / "parts")
    flat = {r["qid"]: r for r in pq.read_table(tmp_path / "o.parquet").to_pylist()}
    assert flat["q2"]["act"] == "belief" and flat["q1"]["speaker_role"] == "the city treasurer"
    parts = {r["qid"]: r for r in pq.read_table(tmp_path / "parts" / "occurrences").to_pylist()}
    assert parts["q4"]["factuality"] == "negated" and parts["q4"]["source_type"] == "named_organization"


def test_a_dask_partition_carries_the_new_fields():
    from quotegraph.corpus.parquet import extraction_rows

    rows = extraction_rows([{"key": "a1", "source": "a1.txt"}], [article()])["occurrences"]
    by = {r["qid"]: r for r in rows}
    assert by["q2"]["act"] == "belief" and by["q4"]["speaker_organization"] == "Exxon"


# ---------------------------------------------------------------- version 3 stores

NEW_COLUMNS = ("act", "factuality", "source_type", "speaker_role", "speaker_organization")


def as_version_3(path: Path) -> Path:
    """What version 3 wrote: occurrences without the new columns, ``meta`` schema 3."""
    con = sqlite3.connect(path)
    for col in NEW_COLUMNS:
        con.execute(f"ALTER TABLE occurrences DROP COLUMN {col}")
    for col in ("gender", "gender_evidence"):  # and without version 5's
        con.execute(f"ALTER TABLE people DROP COLUMN {col}")
    con.execute("DROP TABLE corrections")
    con.execute("UPDATE meta SET value='3' WHERE key='schema'")
    con.commit()
    con.close()
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, and the schema version (read with plain SQLite)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                            "'quote_fts_%' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables if t != "quote_fts"}
    finally:
        con.close()


def columns(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[1] for r in con.execute("PRAGMA table_info(occurrences)")}
    finally:
        con.close()


def test_a_version_3_store_is_refused_by_readers_with_the_way_to_upgrade(db):
    as_version_3(db)
    with pytest.raises(UnknownSchema, match=r"corpus schema 3; this quotegraph reads schema 5 \(run `quotegraph upgrade"):
        Corpus(db)


def test_a_version_3_store_is_upgraded_in_place_and_keeps_everything(db):
    as_version_3(db)
    before = dump(db)
    res = CliRunner().invoke(app, ["upgrade", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "upgraded from schema 3 to schema 5" in res.stderr
    after = dump(db)
    assert after["meta"] == [("schema", "5")]
    # every row is kept; the occurrences gain the new columns with the schema's defaults
    for table in before:
        if table not in ("meta", "occurrences", "people"):
            assert after[table] == before[table], table
    assert [row[: len(before["occurrences"][0])] for row in after["occurrences"]] == before["occurrences"]
    # version 5: people gain their gender (unknown until an ingest tells it), and an empty corrections log
    assert [row[: len(before["people"][0])] for row in after["people"]] == before["people"]
    assert {row[len(before["people"][0]):] for row in after["people"]} == {("unknown", None)}
    assert after["corrections"] == []
    with Corpus(db) as c:
        occ = shown(c.search("", acts="all"))
    assert {o["act"] for o in occ.values()} == {"statement"} and {o["factuality"] for o in occ.values()} == {"asserted"}
    assert {o["speaker"]["type"] for o in occ.values()} == {None}
    # the default shows every stored statement with a source: q3 (no source) alone is left out
    with Corpus(db) as c:
        assert set(shown(c.search(""))) == {"q1", "q2", "q4", "q5"}
    res = CliRunner().invoke(app, ["upgrade", "--db", str(db)])
    assert res.exit_code == 0 and "already at schema 5" in res.stderr


def test_an_upgrade_killed_before_it_commits_leaves_the_version_3_store_as_it_was(db):
    as_version_3(db)
    before = dump(db)
    # the process dies (no exception, no clean-up) once the columns are added, before the commit
    script = ("import os, sys\n"
              "from quotegraph.corpus import store\n"
              "added = store.migrate_3_4\n"
              "def die(con):\n"
              "    added(con)\n"
              "    os._exit(9)\n"
              "store.migrate_3_4 = die\n"
              "store.Store(sys.argv[1])\n")
    proc = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 9, proc.stderr
    assert dump(db) == before and not set(NEW_COLUMNS) & columns(db)
    with Store(db) as s:  # the next writer upgrades it
        s.add_article(ItemMeta(key="a2", source="a2.txt"), article())
    assert set(NEW_COLUMNS) <= columns(db)
    with Corpus(db) as c:
        all_occ = [o for h in c.search("", acts="all") for o in h["occurrences"]]
    assert {o["act"] for o in all_occ if o["article"] == "a1"} == {"statement"}
    assert {o["act"] for o in all_occ if o["article"] == "a2"} == {"statement", "belief", "knowledge"}
