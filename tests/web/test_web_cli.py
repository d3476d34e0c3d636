"""`quotegraph serve`: the demo in one command, and clear errors for a store it cannot open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_support import ROOT, free_port

QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")


def test_serve_demo_starts_on_loopback_and_stops(tmp_path):
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([QUOTEGRAPH, "serve", "--demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        stats = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert stats is not None, "the demo server did not come up"
        n_inputs = 1 + len([p for p in (ROOT / "tests" / "articles").iterdir() if p.suffix in (".txt", ".html")])
        assert stats["articles"] == n_inputs and stats["quotes"] > 50
        home = httpx.get(f"http://127.0.0.1:{port}/").text
        assert "Jeff Sessions" in home
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    assert not list(tmp_path.glob("quotegraph-demo-*")), "the demo store is removed on exit"


def test_serve_names_a_store_it_cannot_open(tmp_path):
    r = subprocess.run([QUOTEGRAPH, "serve", "--db", str(tmp_path / "none.db")], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and "none.db: no such corpus" in r.stderr and "ingest" in r.stderr
    bad = tmp_path / "bad.db"
    bad.write_text("not a database\n" * 100)
    r = subprocess.run([QUOTEGRAPH, "serve", "--db", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "bad.db: cannot open the corpus" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
