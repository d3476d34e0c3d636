"""Web benchmark: how fast the pages and the API of a 2,000-article store answer.

    .venv/bin/python bench/bench_web.py [--articles 2000] [--requests 150] [--workdir /tmp/qg-web] [--json OUT]

1. Builds (or reuses, in ``--workdir``) a store of ``--articles`` synthetic articles
   (``bench/synth.py``: invented articles from templates, many speakers and outlets, a fifth of the
   quotes re-reported with edits) with ``quotegraph ingest`` (``--jobs`` extraction processes).
2. Starts ``quotegraph serve --db STORE`` on 127.0.0.1 (a free port) in its own process.
3. Requests, one at a time over HTTP, ``--requests`` of each kind of page: an article, a search
   (with and without filters), a person, a quote, the people list, sources, the start page, and the
   API's article, search and people; picks are random (seeded) across the store.
4. Prints the latency percentiles per kind and overall, as Markdown, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import synth  # noqa: E402
from bench_corpus import machine, pct  # noqa: E402

QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")
WORDS = ["levee", "budget", "hospital", "bridge", "school", "protect", "rebuild", "whatever it costs", "tax",
         "\"every family\"", "railway", "promise", "winter", "harbour", "court", "election", "inquiry", "airport"]


def build_store(workdir: Path, articles: int, jobs: int) -> Path:
    """The store of ``articles`` synthetic articles in ``workdir`` (built once, then reused)."""
    db = workdir / f"web-{articles}.db"
    if db.exists():
        return db
    src = workdir / f"synth-{articles}"
    if not src.exists():
        synth.generate(str(src), articles, fmt="jsonl", seed=7)
    t = time.perf_counter()
    tmp = db.with_suffix(".partial.db")
    subprocess.run([QUOTEGRAPH, "ingest", str(src), "--db", str(tmp), "--jobs", str(jobs),
                    "--quiet"], check=True, cwd=ROOT)
    os.replace(tmp, db)
    for suffix in ("-wal", "-shm"):
        p = Path(str(tmp) + suffix)
        if p.exists():
            p.unlink()
    print(f"built {db} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``quotegraph serve`` in its own process on 127.0.0.1."""

    def __init__(self, db: Path, port: int | None = None, args: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = db
        self.args = args  # more options of `quotegraph serve`
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen([QUOTEGRAPH, "serve", "--db", str(self.db), "--host",
                                      "127.0.0.1", "--port", str(self.port), *self.args], cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited: " + self.proc.stderr.read().decode(errors="replace"))
            try:
                if httpx.get(self.url + "/api/stats", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start within 60 s")

    def rss_mib(self) -> float:
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def targets(c: httpx.Client, rnd: random.Random, n: int) -> dict[str, list[str]]:
    """Random URLs of each kind, from what the store holds."""
    total = c.get("/api/articles", params={"limit": 1}).json()["total"]
    keys = []
    for _ in range(n):
        off = rnd.randrange(total)
        keys.append(c.get("/api/articles", params={"limit": 1, "offset": off}).json()["items"][0]["key"])
    people = [p["id"] for p in c.get("/api/people", params={"limit": 100}).json()["items"]]
    quotes = [q["id"] for q in c.get("/api/quotes", params={"limit": 50, "offset": rnd.randrange(200)}).json()["items"]]  # 50: MAX_LIMIT
    outlets = [r["outlet"] for r in c.get("/api/sources", params={"limit": 100}).json()["items"] if r["outlet"]]
    speakers = [c.get(f"/api/people/{p}").json()["name"].split()[-1] for p in people[:20]]

    def search() -> str:
        q = rnd.choice(WORDS)
        extra = rnd.random()
        url = f"/search?q={q}"
        if extra < 0.25:
            url += f"&speaker={rnd.choice(speakers)}"
        elif extra < 0.45:
            url += f"&outlet={rnd.choice(outlets)}"
        elif extra < 0.6:
            url += "&since=2023-06-01&until=2024-03-31"
        if rnd.random() < 0.2:
            url += "&page=2"
        return url

    return {
        "article page": [f"/articles/{k}" for k in keys],
        "search page": [search() for _ in range(n)],
        "person page": [f"/people/{rnd.choice(people)}" for _ in range(n)],
        "quote page": [f"/quotes/{rnd.choice(quotes)}" for _ in range(n)],
        "people list": [f"/people?page={rnd.randint(1, 5)}" for _ in range(n)],
        "sources page": ["/sources"] * n,
        "start page": ["/"] * n,
        "API article": [f"/api/articles/{k}" for k in keys],
        "API search": ["/api" + search().replace("&page=2", "&offset=20") for _ in range(n)],
        "API people": [f"/api/people?offset={rnd.randint(0, 200)}" for _ in range(n)],
    }


def run(url: str, n: int, seed: int = 1) -> dict:
    rnd = random.Random(seed)
    out: dict = {}
    with httpx.Client(base_url=url, timeout=30) as c:
        urls = targets(c, rnd, n)
        for u in urls["start page"][:5]:  # warm up: templates compiled, connections opened
            c.get(u)
        order = [(kind, u) for kind, us in urls.items() for u in us]
        rnd.shuffle(order)
        times: dict[str, list[float]] = {k: [] for k in urls}
        errors = 0
        for kind, u in order:
            t = time.perf_counter()
            r = c.get(u)
            times[kind].append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors += 1
                print(f"{u}: {r.status_code}", file=sys.stderr)
    every = [x for xs in times.values() for x in xs]
    for kind, xs in times.items():
        out[kind] = {"n": len(xs), "p50": pct(xs, 50), "p95": pct(xs, 95), "p99": pct(xs, 99), "max": max(xs)}
    out["all pages"] = {"n": len(every), "p50": pct(every, 50), "p95": pct(every, 95), "p99": pct(every, 99),
                        "max": max(every)}
    out["errors"] = errors
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=150, help="requests of each kind")
    ap.add_argument("--jobs", type=int, default=1, help="extraction processes while building the store")
    ap.add_argument("--workdir", default="/tmp/qg-web")
    ap.add_argument("--json")
    a = ap.parse_args()
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    db = build_store(work, a.articles, a.jobs)
    load = os.getloadavg()
    with Server(db) as srv:
        stats = httpx.get(srv.url + "/api/stats").json()
        res = run(srv.url, a.requests)
        rss = srv.rss_mib()
    res.update({"machine": machine(), "load_before": load, "store": stats, "server_rss_mib": round(rss, 1),
                "command": " ".join(sys.argv)})
    print(f"\n{stats['articles']} articles, {stats['quotes']} quotes ({stats['occurrences']} reports), "
          f"{stats['people']} people; load average before {load[0]:.2f}; server RSS after {rss:.0f} MiB\n")
    print("| page | requests | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|")
    for kind, d in res.items():
        if isinstance(d, dict) and "p95" in d:
            print(f"| {kind} | {d['n']} | {d['p50']:.1f} | {d['p95']:.1f} | {d['p99']:.1f} | {d['max']:.1f} |")
    print(f"\nerrors: {res['errors']}")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
