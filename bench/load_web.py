"""Load test: 100 concurrent clients for 60 s against ``quotegraph serve`` on 127.0.0.1, while a
``quotegraph ingest`` writes new articles into the same store.

    make load        # = .venv/bin/python bench/load_web.py (after pip install -e '.[load]')
    .venv/bin/python bench/load_web.py [--users 100] [--seconds 60] [--max-requests 100000] [--workdir /tmp/qg-web]

1. Copies the 2,000-article store of bench/bench_web.py (building it first if needed) so the
   ingest below leaves the benchmark's store alone.
2. Starts the server (its own process, 127.0.0.1 only) and picks URLs from the store: articles,
   searches with and without filters, people, quotes, API calls.
3. Starts ``quotegraph ingest`` of fresh synthetic articles into the same store (one extraction
   process, a commit per article) and, with it writing, runs locust headless: ``--users`` clients (spawned at 50/s),
   mixed article, search, person, quote, sources and API requests, each client waiting 0.2-1 s
   between requests, and one client posting extractions throughout (POST /paste, /api/extract,
   about one a second, under the default rate limit), bounded by ``--seconds`` and
   ``--max-requests``. The ingest is stopped (Ctrl-C: it keeps what it stored) when locust ends.
4. Samples the server's resident memory every second; prints failures, p50/p99 latency per kind
   and overall, requests/s, memory at start, peak and end, and the articles the ingest added
   meanwhile, as Markdown; writes them as JSON (``--json``).

Traffic goes to 127.0.0.1 only, and every loop here is bounded in time and count.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from bench_corpus import machine, pct  # noqa: E402
from bench_web import QUOTEGRAPH, ROOT, WORDS, Server, build_store  # noqa: E402

LOCUST = str(Path(sys.executable).parent / "locust")


def pick_targets(url: str, n: int = 300, seed: int = 3) -> dict[str, list[str]]:
    rnd = random.Random(seed)
    with httpx.Client(base_url=url, timeout=30) as c:
        arts = []
        for off in range(0, 1000, 100):
            arts += [a["key"] for a in c.get("/api/articles", params={"limit": 100, "offset": off}).json()["items"]]
        people = [p["id"] for p in c.get("/api/people", params={"limit": 100}).json()["items"]]
        quotes = []
        for off in range(0, 300, 50):  # 50: the most a quotes page holds (corpus.query.MAX_LIMIT)
            quotes += [q["id"] for q in c.get("/api/quotes", params={"limit": 50, "offset": off}).json()["items"]]
        names = [c.get(f"/api/people/{p}").json()["name"].split()[-1] for p in people[:15]]
        outlets = [r["outlet"] for r in c.get("/api/sources", params={"limit": 100}).json()["items"] if r["outlet"]]

    def search(prefix: str = "/search") -> str:
        u = f"{prefix}?q={rnd.choice(WORDS)}"
        r = rnd.random()
        if r < 0.25:
            u += f"&speaker={rnd.choice(names)}"
        elif r < 0.45:
            u += f"&outlet={rnd.choice(outlets)}"
        elif r < 0.6:
            u += "&since=2023-06-01&until=2024-03-31"
        return u

    api = ([f"/api/articles/{rnd.choice(arts)}" for _ in range(n // 3)] +
           [search("/api/search") for _ in range(n // 3)] +
           [f"/api/people?offset={rnd.randint(0, 300)}" for _ in range(n // 3)])
    return {"articles": [f"/articles/{rnd.choice(arts)}" for _ in range(n)],
            "searches": [search() for _ in range(n)],
            "people": [f"/people/{rnd.choice(people)}" for _ in range(n)],
            "quotes": [f"/quotes/{rnd.choice(quotes)}" for _ in range(n)],
            "api": api}


class MemorySampler(threading.Thread):
    def __init__(self, server: Server, every: float = 1.0, limit_s: float = 3600):
        super().__init__(daemon=True)
        self.server, self.every, self.limit_s = server, every, limit_s
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.stop.is_set() and time.monotonic() - t0 < self.limit_s:
            try:
                self.samples.append((time.monotonic() - t0, self.server.rss_mib()))
            except OSError:
                return
            self.stop.wait(self.every)


def read_stats(prefix: Path) -> dict:
    out = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["Name"]
            out[name] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                         "p50": float(row["50%"] or 0), "p99": float(row["99%"] or 0),
                         "max": float(row["Max Response Time"] or 0), "rps": float(row["Requests/s"] or 0)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--max-requests", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=2000, help="size of the store read from")
    ap.add_argument("--ingest-articles", type=int, default=2000, help="fresh articles the concurrent ingest may add")
    ap.add_argument("--no-ingest", action="store_true", help="no concurrent ingest (the store stays as it is)")
    ap.add_argument("--workdir", default="/tmp/qg-web")
    ap.add_argument("--json")
    a = ap.parse_args()
    if not Path(LOCUST).exists():
        sys.exit("locust is not installed: pip install -e '.[load]' (make load does it)")
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    base = build_store(work, a.articles, jobs=1)
    db = work / "load.db"
    for p in work.glob("load.db*"):
        p.unlink()
    shutil.copy(base, db)
    fresh = work / f"fresh-{a.ingest_articles}"
    if not fresh.exists():
        synth.generate(str(fresh), a.ingest_articles, fmt="jsonl", seed=99)
    load_before = os.getloadavg()
    with Server(db) as srv:
        targets = work / "load-targets.json"
        targets.write_text(json.dumps(pick_targets(srv.url)))
        before = httpx.get(srv.url + "/api/stats", timeout=60).json()
        mem = MemorySampler(srv)
        mem.start()
        ingest = None
        if not a.no_ingest:
            ingest = subprocess.Popen([QUOTEGRAPH, "ingest", str(fresh), "--db", str(db), "--jobs", "1",
                                       "--commit-every", "1", "--quiet"],
                                      cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(5)  # the ingest's model is loaded and it is writing before the clients start
        prefix = work / "locust"
        reads_file = work / "locust-reads.json"
        env = dict(os.environ, QG_LOAD_TARGETS=str(targets), QG_LOAD_MAX_REQUESTS=str(a.max_requests),
                   QG_LOAD_READS=str(reads_file))
        t0 = time.monotonic()
        lr = subprocess.run([LOCUST, "-f", str(HERE / "locustfile_web.py"), "--headless", "-u", str(a.users),
                             "-r", "50", "-t", f"{a.seconds}s", "--host", srv.url, "--csv", str(prefix),
                             "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=a.seconds + 120)
        wall = time.monotonic() - t0
        ingest_running = ingest is not None and ingest.poll() is None
        if ingest is not None:
            if ingest_running:
                ingest.send_signal(signal.SIGINT)
            try:
                ingest.wait(60)
            except subprocess.TimeoutExpired:
                ingest.kill()
                ingest.wait()
        mem.stop.set()
        mem.join(5)
        after = httpx.get(srv.url + "/api/stats", timeout=120).json()
    stats = read_stats(prefix)
    agg = stats.get("Aggregated", {})
    reads = json.loads(reads_file.read_text()) if reads_file.exists() else []
    if reads:
        stats["reads (every GET)"] = {"requests": len(reads), "failures": sum(d["failures"] for n, d in stats.items()
                                                                           if n != "Aggregated" and "POST" not in n),
                                      "p50": pct(reads, 50), "p99": pct(reads, 99), "max": max(reads),
                                      "rps": len(reads) / max(wall, 1e-9)}
    rss = [m for _, m in mem.samples]
    half = len(rss) // 2
    res = {
        "machine": machine(), "load_before": load_before, "users": a.users, "seconds": a.seconds,
        "wall_seconds": round(wall, 1), "max_requests": a.max_requests, "locust_exit": lr.returncode,
        "stats": stats, "store_before": before, "store_after": after,
        "ingest_added": after["articles"] - before["articles"], "ingest_still_running_at_end": ingest_running,
        "rss_mib": {"start": rss[0] if rss else None, "peak": max(rss) if rss else None, "end": rss[-1] if rss else None,
                    "first_half_mean": sum(rss[:half]) / max(half, 1), "second_half_mean": sum(rss[half:]) / max(len(rss) - half, 1),
                    "samples": len(rss),
                    "every_10s": [round(m) for _, m in mem.samples[::10]]},
        "command": " ".join(sys.argv),
    }
    print(f"\n{a.users} clients, {a.seconds} s ({wall:.0f} s wall), load average before {load_before[0]:.2f}; "
          f"locust exit {lr.returncode}; the ingest added {res['ingest_added']} articles meanwhile "
          f"({before['articles']} → {after['articles']})\n")
    print("| requests | count | failures | p50 ms | p99 ms | max ms | req/s |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, d in sorted(stats.items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        print(f"| {name} | {d['requests']} | {d['failures']} | {d['p50']:.0f} | {d['p99']:.0f} | {d['max']:.0f} | {d['rps']:.1f} |")
    r = res["rss_mib"]
    if rss:
        print(f"\nserver memory (RSS, MiB): start {r['start']:.0f}, peak {r['peak']:.0f}, end {r['end']:.0f}; "
              f"mean of the first half {r['first_half_mean']:.0f}, of the second half {r['second_half_mean']:.0f}; "
              f"every 10 s: {', '.join(str(x) for x in r['every_10s'])}")
    if lr.returncode != 0 or agg.get("failures"):
        print("\nlocust output:\n" + (lr.stdout + lr.stderr)[-3000:])
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
