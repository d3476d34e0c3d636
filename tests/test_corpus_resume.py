"""kill -9 in the middle of an ingest, run it again: the store is exactly the uninterrupted one."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import quotegraph
from quotegraph.corpus import ingest, snapshot

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(quotegraph.__file__).resolve().parent.parent


def _synth():
    spec = importlib.util.spec_from_file_location("qg_bench_synth", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


# Interleaved with the invented ones (by file name): a speaker known first by surname alone, then
# named in full (the surname-only person is merged into her), then another bearer of the surname
# named in more articles (the bare surnames move to him): re-linking inside a killed ingest.
RELINKED = {
    "000002_people.txt": '"We will need more ferries before the summer," Abernathy said on Tuesday.\n',
    "000004_people.txt": 'Mr. Abernathy said the ferries were late again. "The timetable is a fiction," Abernathy told reporters.\n',
    "000012_people.txt": 'Wilhelmina Abernathy, the harbour master, spoke first. "The port will reopen in May," Abernathy said.\n',
    "000016_people.txt": '"Nobody reads the timetable any more," Abernathy said on Friday.\n',
    "000019_people.txt": 'Bartholomew Abernathy, the league chairman, said: "The league needs a new stadium by next year."\n',
    "000022_people.txt": 'Bartholomew Abernathy, the league chairman, said: "The stadium will be ready in time for the final."\n',
    "000026_people.txt": 'Bartholomew Abernathy, the league chairman, said: "We will play at home in June, whatever happens."\n',
}
N_ARTICLES = 30 + len(RELINKED)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """30 invented articles (plain text) with many speakers and re-reported quotes, 7 whose people are
    re-linked as the ingest goes, plus a bad file."""
    d = tmp_path_factory.mktemp("articles")
    info = _synth().generate(str(d), 30, fmt="txt", seed=7, speakers=25)
    assert info["quotations"] > 100
    for name, text in RELINKED.items():
        (d / name).write_text(text)
    (d / "zz_empty.txt").write_text("\n")
    return d


def _articles(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> list[int]:
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _ingest_cmd(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "quotegraph.corpus", "ingest", str(corpus), "--db", str(db), "--quiet",
            "--commit-every", "3", *extra]


# The same ingest, slowed down (a pause after each stored article, inside its transaction) through
# the Ingestor's ``after_store`` hook, so that a kill lands in the middle of it.
_SLOW_INGEST = """
import sys, time
from quotegraph.corpus.ingest import Ingestor
corpus, db, jobs = sys.argv[1:4]
Ingestor(db, jobs=int(jobs), commit_every=3, after_store=lambda item: time.sleep(0.05)).run([corpus])
"""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _run_and_kill(corpus: Path, db: Path, at_least: int, jobs: str) -> int:
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_INGEST, str(corpus), str(db), jobs], env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    try:
        while _articles(db) < at_least:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "ingest made no progress"
            workers.update(_children(proc.pid))
            time.sleep(0.02)
        workers.update(_children(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    # the extraction processes die with it
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "extraction processes outlived a killed ingest"
    return _articles(db)


@pytest.mark.parametrize("jobs", ["1", "0"])
def test_kill9_and_resume_gives_the_uninterrupted_store(corpus, tmp_path, jobs):
    fresh = tmp_path / "fresh.db"
    rep = ingest([str(corpus)], str(fresh), jobs=0)
    assert rep.added == N_ARTICLES and rep.failed == 1
    links = snapshot(fresh)["person_links"]
    assert {(l[4], l[6]) for l in links if l[3] == "abernathy" and l[6] != "article"} == {
        ("p:bartholomew abernathy", "store")}  # the early bare surnames were merged, then moved
    db = tmp_path / "killed.db"
    n1 = _run_and_kill(corpus, db, 5, jobs)
    n2 = _run_and_kill(corpus, db, n1 + 6, jobs)
    assert 5 <= n1 < n2 < N_ARTICLES, (n1, n2)
    done = subprocess.run(_ingest_cmd(corpus, db, "--jobs", jobs), env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{N_ARTICLES - n2} articles added" in " ".join(done.stderr.split())
    a, b = snapshot(fresh), snapshot(db)
    for table in a:
        assert a[table] == b[table], table
    con = sqlite3.connect(db)
    try:
        con.execute("INSERT INTO quote_fts(quote_fts) VALUES('integrity-check')")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    # and once more: nothing to add
    again = subprocess.run(_ingest_cmd(corpus, db, "--jobs", jobs), env=_env(), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0 and "0 articles added" in " ".join(again.stderr.split())
    assert snapshot(db) == b
