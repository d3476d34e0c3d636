"""Hostile and careless stores (issue 21, items 7 and 8): a store on a read-only medium, a damaged
store, a SQLite file of another program, a store of an unknown schema version, and CSV cells that
a spreadsheet would run as formulas.  Stores are built from hand-built articles (no model)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_corpus_store import BRACKET, ELLIPSIS, add, delgado, make_article
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus import Corpus, Store, storefile
from quotegraph.corpus.storefile import APPLICATION_ID, DamagedStore, NotAStore, StoreError, UnknownSchema

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://example.invalid/x","click")'


def build(path: Path) -> Path:
    """A closed store of three articles: one quote reported twice, one that is a formula, with an
    outlet that is one too."""
    with Store(path) as s:
        add(s, "a1", delgado(ELLIPSIS), outlet="Riverton Herald", published="2024-03-12")
        add(s, "a2", delgado(BRACKET), outlet="=1+2", published="2024-03-13")
        add(s, "a3", make_article(f"\u201c{FORMULA}\u201d Lee said.", [{"text": FORMULA, "speaker": "Lee", "name": "Bo Lee"}],
                                  people=[{"name": "Bo Lee"}]), outlet="@home", published="2024-03-14")
    assert not Path(str(path) + "-wal").exists()  # closed: checkpointed, as a copy to read-only media would be
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    return build(tmp_path / "store.db")


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def one_error_line(res, name: str) -> str:
    """The run failed with one line on stderr that names the store, and no traceback."""
    assert res.exit_code != 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert name in lines[0] and "Traceback" not in res.output + res.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def overwrite_table(path: Path, table: str, fill: bytes = b"\xa5") -> None:
    """Overwrite the root page of ``table`` (as a bad sector or a stray write would)."""
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(fill * page_size)


# ---------------------------------------------------------------------------- 7(a) read-only media

def _without_dac_override() -> list[str] | None:
    """A command prefix that runs a process as root without the capabilities that let root ignore
    file permissions (so a read-only folder is read-only to it, as a read-only medium is)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_store_in_a_read_only_folder_is_read(tmp_path, db):
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("needs root and setpriv to make a folder read-only to the test")
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(db, ro / "store.db")
    os.chmod(ro / "store.db", 0o444)
    os.chmod(ro, 0o555)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(ro / 'x')!r}, 'w')"], env=env,
                               capture_output=True, text=True)
        if probe.returncode == 0:
            pytest.skip("setpriv could not drop the capability that ignores permissions here")

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([*prefix, sys.executable, "-m", "quotegraph.cli", *args, "--db", str(ro / "store.db")],
                                  env=env, capture_output=True, text=True, timeout=120)

        search = run("search", "rebuild every levee", "--format", "json")
        assert search.returncode == 0, search.stderr
        assert [h["n_occurrences"] for h in json.loads(search.stdout)] == [2]
        export = run("export")
        assert export.returncode == 0, export.stderr
        assert len(export.stdout.splitlines()) == 2
        person = run("person", "Delgado", "--format", "json")
        assert person.returncode == 0 and json.loads(person.stdout)["name"] == "Maria Delgado"
        sources = run("sources", "--format", "json")
        assert sources.returncode == 0 and {r["outlet"] for r in json.loads(sources.stdout)} >= {"Riverton Herald"}
        check = run("check")
        assert check.returncode == 0 and "immutable" in check.stdout, check.stdout + check.stderr
        serve = subprocess.run(
            [*prefix, sys.executable, "-c",
             "import sys; from fastapi.testclient import TestClient; from quotegraph.web import create_app;"
             "c = TestClient(create_app(sys.argv[1])); r = c.get('/api/stats'); print(r.status_code, r.text)",
             str(ro / "store.db")], env=env, capture_output=True, text=True, timeout=120)
        status, body = serve.stdout.strip().split(" ", 1)
        assert status == "200" and json.loads(body)["quotes"] == 2, serve.stderr
        assert sorted(os.listdir(ro)) == ["store.db"]
    finally:
        os.chmod(ro, 0o755)


def test_read_only_open_falls_back_to_immutable(db, monkeypatch):
    """The fallback itself, wherever the tests run: the first read of a ``mode=ro`` connection
    fails as it does when no ``-shm`` can be made; the store is then read immutable."""
    real = storefile._probe
    calls = []

    def probe(con):
        calls.append(con.opened)
        if con.opened == "read-only":
            e = sqlite3.OperationalError("attempt to write a readonly database")
            e.sqlite_errorcode = 1544  # SQLITE_READONLY_DIRECTORY
            raise e
        real(con)

    monkeypatch.setattr(storefile, "_probe", probe)
    with Corpus(db) as c:
        assert c.con.opened.startswith("immutable")
        assert c.stats()["quotes"] == 2
        [hit] = c.search("rebuild every levee")
        assert hit["n_occurrences"] == 2
    assert calls == ["read-only", "immutable (read-only folder or medium)"]
    # a write-ahead log with changes in it would be missed by an immutable read: refused, with the reason
    Path(str(db) + "-wal").write_bytes(b"\x00" * 32)
    with pytest.raises(StoreError, match=r"store\.db-wal holds changes"):
        Corpus(db)


def test_immutable_read_of_a_real_store_matches(db):
    """A store read through the immutable URI answers as through the normal one."""
    ro = storefile._connect_ro(storefile._uri(str(db), immutable="1"), "immutable")
    normal = sqlite3.connect(db)
    sql = "SELECT key, text, n_occurrences FROM quotes ORDER BY key"
    assert ro.execute(sql).fetchall() == normal.execute(sql).fetchall() != []
    ro.close()
    normal.close()


def test_damage_is_not_mistaken_for_a_read_only_medium(db, monkeypatch):
    overwrite_table(db, "meta")
    seen = []
    real = storefile._connect_ro
    monkeypatch.setattr(storefile, "_connect_ro", lambda uri, opened: seen.append(opened) or real(uri, opened))
    with pytest.raises(DamagedStore, match="store.db: the store is damaged"):
        Corpus(db)
    assert seen == ["read-only"]


def test_store_name_with_uri_characters(tmp_path):
    weird = build(tmp_path / "a?b#c%20d.db")
    with Corpus(weird) as c:
        assert c.stats()["articles"] == 3


# ---------------------------------------------------------------------------- 7(b) damaged stores

def test_damaged_store_fails_with_one_line_everywhere(tmp_path, db):
    overwrite_table(db, "occurrences")
    name = str(db)
    out = tmp_path / "out.jsonl"
    res = cli("export", "--db", name, "--out", str(out))
    line = one_error_line(res, name)
    assert "damaged" in line and "malformed" in line
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))  # nothing half-written
    for args in (["search", "levee"], ["person", "Delgado"], ["sources"], ["export", "--format", "csv"]):
        res = cli(*args, "--db", name)
        assert "damaged" in one_error_line(res, name), args
    res = cli("check", "--db", name)
    assert res.exit_code == 1 and "integrity: FAILED" in res.stdout


def test_ingest_into_a_damaged_store_stops_with_one_line(tmp_path, db):
    overwrite_table(db, "articles")
    txt = tmp_path / "a.txt"
    txt.write_text("\u201cWe will rebuild the bridge by spring,\u201d Mayor Ana Ruiz said on Monday.\n")
    res = cli("ingest", str(txt), "--db", str(db), "--jobs", "0", "--quiet")
    line = one_error_line(res, str(db))
    assert "the store is damaged (database disk image is malformed)" in line and "a bug" not in line


def test_export_refuses_damage_it_would_not_read(tmp_path, db):
    """The people's name index is not read by an export, yet the store is damaged: refused."""
    overwrite_table(db, "people_name")
    res = cli("export", "--db", str(db))
    assert "damaged" in one_error_line(res, str(db))
    assert res.stdout == ""


def test_check_reports_a_sound_store(db):
    res = cli("check", "--db", str(db))
    assert res.exit_code == 0, res.output
    assert f"store {db}: quotegraph schema 5 (marker: application_id)" in res.stdout
    assert "integrity: ok" in res.stdout
    assert "3 articles, 2 quotes (3 occurrences, 3 wordings), 2 people, 0 organisations, 0 failures" in res.stdout
    rep = json.loads(cli("check", "--db", str(db), "--format", "json", "--quick").stdout)
    assert rep["status"] == "ok" and rep["counts"]["occurrences"] == 3 and rep["problems"] == []


def test_check_finds_a_search_index_out_of_step(db):
    con = sqlite3.connect(db)
    con.execute("DELETE FROM quote_fts_docsize WHERE id=(SELECT max(id) FROM quote_fts_docsize)")
    con.commit()
    con.close()
    rep = storefile.check(db)
    assert rep["status"] == "damaged"
    assert rep["problems"] == ["the full-text index holds 2 wordings, the store 3"]


def test_file_that_is_no_database(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database, just words\n" * 200)
    before = digest(text)
    for args in (["search", "x"], ["export"], ["check"]):
        line = one_error_line(cli(*args, "--db", str(text)), str(text))
        assert "not a SQLite database" in line, args
    with pytest.raises(DamagedStore):
        Store(text)
    assert digest(text) == before


# ---------------------------------------------------------------------------- 7(c) not a store

def other_programs_db(path: Path, app_id: int = 0) -> Path:
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES('x');"
                      "CREATE TABLE meta(key TEXT, value TEXT);")
    con.execute(f"PRAGMA application_id={app_id}")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("app_id", [0, 0x0F055112])
def test_other_programs_database_is_never_written(tmp_path, app_id):
    other = other_programs_db(tmp_path / "other.db", app_id)
    before = digest(other)
    txt = tmp_path / "a.txt"
    txt.write_text('"We will win," Jo Vex said.\n')
    for args in (["search", "win"], ["export"], ["sources"], ["ingest", str(txt), "--jobs", "0", "--quiet"]):
        line = one_error_line(cli(*args, "--db", str(other)), str(other))
        assert "not a quotegraph store" in line, args
    with pytest.raises(NotAStore):
        Store(other)
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "other.db"]  # no -wal, no -journal
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")] == ["meta", "notes"]
    con.close()
    assert cli("check", "--db", str(other)).exit_code == 2


def test_new_and_empty_files_become_stores(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for path in (empty, tmp_path / "new.db"):
        with Store(path) as s:
            add(s, "a1", delgado(ELLIPSIS))
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        con.close()
        with Corpus(path) as c:
            assert c.stats()["quotes"] == 1
    # an empty database is no store to read
    blank = tmp_path / "blank.db"
    blank.touch()
    with pytest.raises(NotAStore, match="empty database"):
        Corpus(blank)


def test_store_made_before_the_marker_still_opens_and_gets_it(db):
    con = sqlite3.connect(db)
    con.execute("PRAGMA application_id=0")
    con.commit()
    con.close()
    with Corpus(db) as c:
        assert c.stats()["articles"] == 3
    assert storefile.check(db)["marker"].startswith("meta table")
    with Store(db) as s:
        add(s, "a4", delgado(SHORT := "We will not back down, not now and not ever, whatever they say."))
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.close()
    with Corpus(db) as c:
        assert [h["text"] for h in c.search("whatever they say")] == [SHORT]


# ---------------------------------------------------------------------------- 7(d) unknown schema

def test_unknown_schema_version_is_refused_by_readers(db):
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='99' WHERE key='schema'")
    con.commit()
    con.close()
    for args in (["search", "levee"], ["export"], ["person", "Delgado"], ["sources"]):
        line = one_error_line(cli(*args, "--db", str(db)), str(db))
        assert "corpus schema 99; this quotegraph reads schema 5" in line, args
    with pytest.raises(UnknownSchema):
        Store(db)
    res = cli("check", "--db", str(db))
    assert res.exit_code == 2 and "corpus schema 99" in res.stderr


# ---------------------------------------------------------------------------- 8: CSV export

def exported_csv(db: Path, tmp_path: Path, *extra: str) -> tuple[str, list[dict]]:
    out = tmp_path / "q.csv"
    res = cli("export", "--db", str(db), "--format", "csv", "--out", str(out), *extra)
    assert res.exit_code == 0, res.output
    raw = out.read_text(encoding="utf-8")
    return raw, list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))


def test_csv_cells_are_never_formulas(tmp_path, db):
    with Store(db) as s:
        for i, start in enumerate(["+1 for the plan", "-2 votes short", "@everyone listen", "\tindented words"]):
            q = f"{start}, and that is final"
            add(s, f"b{i}", make_article(f"\u201c{q}\u201d Ana Ruiz said.", [{"text": q, "speaker": "Ana Ruiz", "name": "Ana Ruiz"}],
                                         people=[{"name": "Ana Ruiz"}]), outlet=f"{'=+-@'[i]}cmd|' /C calc'!A0")
    raw, rows = exported_csv(db, tmp_path)
    assert raw.startswith("quote_id,quote_key,quote_text,")  # the header as before
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    formula_row = next(r for r in rows if r["quote_text"].startswith("'="))
    assert formula_row["quote_text"] == "'" + FORMULA and formula_row["text"] == "'" + FORMULA
    assert formula_row["outlet"] == "'@home"
    assert {r["outlet"] for r in rows} >= {"'=1+2", "'+cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0", "Riverton Herald"}
    assert any(r["quote_text"] == "'\tindented words, and that is final" for r in rows)
    # numbers stay numbers (not quoted, not prefixed); every text cell is quoted
    body = raw.splitlines()[1]
    assert body.startswith('1,"a1:q1","')
    assert all(r["start"].isdigit() and r["end"].isdigit() for r in rows)


def test_spreadsheet_cell():
    from quotegraph.corpus.exporting import spreadsheet_cell

    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x"):
        assert spreadsheet_cell(text) == "'" + text
    for value in ("plain", " =1", "a=1", "", "'quoted", -3, 2.5, True, None):
        assert spreadsheet_cell(value) == value


def test_json_export_keeps_the_text_and_offsets(tmp_path, db):
    out = tmp_path / "q.jsonl"
    assert cli("export", "--db", str(db), "--out", str(out)).exit_code == 0
    quotes = [json.loads(line) for line in out.read_text().splitlines()]
    [formula] = [q for q in quotes if q["text"] == FORMULA]
    occ = formula["occurrences"][0]
    with Corpus(db) as c:
        art = c.article(occ["article"])
    assert art.text[occ["start"]:occ["end"]] == FORMULA and occ["outlet"] == "@home"


def test_csv_byte_order_mark(tmp_path, db):
    raw, rows = exported_csv(db, tmp_path, "--bom")
    assert raw.startswith("\ufeffquote_id,")
    assert (tmp_path / "q.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    _, plain = exported_csv(db, tmp_path)
    assert rows == plain and len(rows) == 3
    res = cli("export", "--db", str(db), "--bom")
    assert "--bom" in one_error_line(res, "--format csv")


def test_export_to_a_device_is_written_in_place(db):
    """Writing beside the output then renaming must never replace something that is no file."""
    devnull = Path(os.devnull)
    if not devnull.exists() or devnull.is_file():
        pytest.skip("no /dev/null device")
    res = cli("export", "--db", str(db), "--out", os.devnull)
    assert res.exit_code == 0, res.output
    assert devnull.exists() and not devnull.is_file()
