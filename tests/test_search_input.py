"""Search input from a hostile user: nothing reaches SQL, FTS or LIKE unescaped; limits checked;
long or repetitive queries refused with a clear message; ligatures and full-width letters found."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import quotegraph
from quotegraph.corpus import Corpus, ingest
from quotegraph.corpus.query import MAX_LIMIT, MAX_QUERY_TERMS, fts_query, search_key

FIX = Path(__file__).parent / "fixtures" / "corpus"
SRC = Path(quotegraph.__file__).resolve().parent.parent

PAYLOADS = [
    "%", "_", "%%", "\\", "\\%", "'", "''", '"', '""', "' OR '1'='1", "'; DROP TABLE quotes; --", "\" OR 1=1 --",
    "NEAR(a b)", "a OR b", "a AND NOT b", "*", "levee*", "^levee", "text:levee", "{text}: levee", "col:* levee",
    "(", ")", "((((levee", "-levee", "+levee", "a'b\"c", "\x00", "\u202e", "\ufeff", "\ud83d", "levee\x00 --",
    "SELECT * FROM people", "1; PRAGMA writable_schema=1", "%' --", "_%_", "[", "]", "levee'", "«levee»",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("search") / "c.db"
    ingest([str(FIX)], str(p), jobs=0)
    return p


def test_injection_payloads_as_queries_and_filters(db):
    with Corpus(db) as c:
        all_quotes = len(c.search("", limit=MAX_LIMIT))
        assert all_quotes > 3
        for p in PAYLOADS:
            for kw in ({"query": p}, {"speaker": p}, {"outlet": p}):
                try:
                    hits = c.search(**kw)
                except ValueError as e:  # a clear refusal (a date, a limit): never an sqlite3 error
                    assert str(e)
                    continue
                if ("speaker" in kw or "outlet" in kw) and search_key(p):  # (nothing left of it: no filter)
                    # a wildcard or quote mark is a character to find, not "anything"
                    assert len(hits) < all_quotes, kw
            for kw in ({"since": p}, {"until": p}):
                with pytest.raises(ValueError):
                    c.search(**kw)
        assert c.stats()["quotes"] > 0  # nothing was dropped
        assert c.search("", speaker="%") == [] and c.search("", speaker="_") == []
        assert c.search("", outlet="%") == [] and c.search("", outlet="_") == []
        assert c.search("", outlet="Valley")  # an ordinary filter still matches


def test_limits_are_checked(db):
    with Corpus(db) as c:
        for bad in (0, -1, MAX_LIMIT + 1, 10**20, True, "5"):
            with pytest.raises(ValueError, match="limit must be"):
                c.search("levee", limit=bad)
        with pytest.raises(ValueError, match="offset"):
            c.search("levee", offset=-1)
        assert len(c.search("", limit=1)) == 1


def test_cli_limits_one_clear_line(db):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for n in ("100000000000000000000", "-1", "0"):
        p = subprocess.run([sys.executable, "-m", "quotegraph.corpus", "search", "levee", "--db", str(db), "-n", n],
                           capture_output=True, text=True, timeout=120, env=env)
        assert p.returncode == 2 and "Traceback" not in p.stderr and "OverflowError" not in p.stderr
        flat = " ".join(p.stderr.replace("\u2502", " ").split())
        assert "Invalid value for '--limit'" in flat and ("50" if int(n) > 50 else "1") in flat, flat


def test_long_and_repetitive_queries():
    assert fts_query("levee " * 150) == '"levee"'  # repeated terms count once
    with pytest.raises(ValueError, match="too long"):
        fts_query("x" * 5000)
    many = " ".join(f"word{i}" for i in range(MAX_QUERY_TERMS + 1))
    with pytest.raises(ValueError, match="at most"):
        fts_query(many)
    assert fts_query(" ".join(f"word{i}" for i in range(MAX_QUERY_TERMS)))


def test_ligatures_and_full_width_letters_are_found(db):
    with Corpus(db) as c:
        plain = c.search("rebuild every levee")
        assert plain
        assert c.search("rebuild every \uff4c\uff45\uff56\uff45\uff45") == plain  # full-width
        assert fts_query("\ufb01nance") == fts_query("finance") == '"finance"'  # the U+FB01 ligature
