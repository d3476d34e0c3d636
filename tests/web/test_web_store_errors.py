"""A damaged store, or a file that is no store, behind the web app (issue 21, item 7): every page
and API call says what is wrong with the store, in a complete response (no bare 500, no reset)."""

from __future__ import annotations

import http.client
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_support import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_store_hostile import build, other_programs_db, overwrite_table  # noqa: E402

from quotegraph.corpus.storefile import NotAStore  # noqa: E402
from quotegraph.web import create_app  # noqa: E402

MESSAGE = "The corpus store store.db is damaged (database disk image is malformed); run `quotegraph check --db store.db` on the server."


@pytest.fixture
def damaged(tmp_path) -> Path:
    db = build(tmp_path / "store.db")
    for table in ("articles", "quotes", "occurrences", "people"):
        overwrite_table(db, table)
    return db


def test_damaged_store_pages_and_api_say_so(damaged):
    with TestClient(create_app(damaged), raise_server_exceptions=False) as c:
        for path in ("/", "/search?q=levee", "/people", "/sources"):
            r = c.get(path)
            assert r.status_code == 503 and "text/html" in r.headers["content-type"], path
            assert MESSAGE in r.text, path
            assert str(damaged.parent) not in r.text  # the server's folders are not shown
        for path in ("/api/stats", "/api/search?q=levee", "/api/people"):
            r = c.get(path)
            assert r.status_code == 503 and r.json() == {"detail": MESSAGE}, path


def test_damaged_store_over_http_keeps_the_connection(damaged):
    """Over a real socket: a whole 503 answer, and the same connection serves the next request."""
    with LiveServer(create_app(damaged)) as srv:
        con = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        for path in ("/", "/api/stats", "/api/stats"):
            con.request("GET", path)
            resp = con.getresponse()
            body = resp.read()
            assert resp.status == 503 and len(body) == int(resp.headers["content-length"]), path
        assert json.loads(body) == {"detail": MESSAGE}
        con.close()


def test_serving_a_file_that_is_no_store(tmp_path):
    other = other_programs_db(tmp_path / "other.db")
    with pytest.raises(NotAStore, match="other.db: not a quotegraph store"):
        create_app(other)
    from quotegraph.cli import app

    res = CliRunner().invoke(app, ["serve", "--db", str(other)])
    assert res.exit_code == 2
    assert [ln for ln in res.stderr.splitlines() if ln.strip()] == [
        f"quotegraph: {other}: not a quotegraph store (a SQLite database with the tables meta, notes); refusing to read or write it"]
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
