"""Web benchmark under hostile posts (issue 21): read latency of the pages and the API while
clients post the key bomb and the HTML sniffer's backtracking input to ``/api/extract``.

    .venv/bin/python bench/bench_web_hostile.py [--requests 40] [--rate-limit 60] [--sniff-repeat 40]
        [--attacker-nice 0] [--control] [--json OUT]

1. Builds or reuses the 2,000-article store of bench/bench_web.py (``--workdir``).
2. Starts ``quotegraph serve`` on 127.0.0.1 (``--rate-limit`` extractions a minute per client,
   as ``serve --rate-limit``; 0: none, the worst case for the server).
3. Idle: ``--requests`` reads of each kind of page, one at a time (bench_web.run).
4. Attacked: the same reads again while two clients (each its own process) post in a loop,
   each as fast as it is answered: the key bomb (a JSON body of 0.95 MB with 80,000 unknown keys) and
   ``"<!-- a -->  " * --sniff-repeat`` as text. Each attacker is bounded by ``--max-posts`` and
   stops when the reads are done.
5. Idle again (the machine may be shared, and its load drift).
6. Prints p50/p95/p99 of the reads, idle, attacked and idle again, the ratio of the p99s, and what the attackers got
   (status codes, posts a second), as Markdown; writes them as JSON.

Traffic goes to 127.0.0.1 only; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_corpus import machine  # noqa: E402
from bench_web import Server, build_store, run  # noqa: E402


def key_bomb(n: int = 80_000) -> bytes:
    """{"text": ..., "0000000": 1, ...}: about 0.95 MB, n keys the model does not know."""
    keys = ",".join(f'"{i:07d}":1' for i in range(n))
    return ('{"text": "A short text.",' + keys + "}").encode()


def attack(url: str, body: bytes, stop, max_posts: int, out, niceness: int = 0) -> None:
    """Posts ``body`` to /api/extract in a loop until ``stop`` is set (at most ``max_posts``
    times), as fast as it is answered (a 429's Retry-After is not waited for: hostile); puts
    the counts of the answers and the seconds on ``out``. Runs in its own process, so that the
    reader's timings do not include waiting for this client's interpreter lock."""
    os.nice(niceness)
    codes: Counter = Counter()
    t0 = time.monotonic()
    with httpx.Client(base_url=url, timeout=120) as c:
        for _ in range(max_posts):
            if stop.is_set():
                break
            try:
                codes[str(c.post("/api/extract", content=body, headers={"content-type": "application/json"}).status_code)] += 1
            except httpx.HTTPError as e:
                codes[type(e).__name__] += 1
    n = sum(codes.values())
    seconds = time.monotonic() - t0
    out.put({"posts": n, "per_second": round(n / max(seconds, 1e-9), 1), "codes": dict(codes), "bytes": len(body)})


def attacked(url: str, n: int, sniff_repeat: int, max_posts: int, niceness: int = 0,
             control: bool = False) -> tuple[dict, dict]:
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    bodies = {"key bomb": key_bomb(),
              "sniffer backtracking": json.dumps({"text": "<!-- a -->  " * sniff_repeat}).encode()}
    if control:  # the same two looping clients, with bodies that cost nothing to refuse
        bodies = {"control 1": b"{}", "control 2": b"{}"}
    outs = {name: ctx.Queue() for name in bodies}
    procs = [ctx.Process(target=attack, args=(url, body, stop, max_posts, outs[name], niceness),
                         daemon=True)
             for name, body in bodies.items()]
    for p in procs:
        p.start()
    time.sleep(3.0)  # both posting before the reads start
    try:
        reads = run(url, n, seed=2)
    finally:
        stop.set()
        posts = {name: q.get(timeout=180) for name, q in outs.items()}
        for p in procs:
            p.join(30)
    return reads, posts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=40, help="reads of each kind of page, per phase")
    ap.add_argument("--rate-limit", type=float, default=60, help="serve --rate-limit (0: none)")
    ap.add_argument("--sniff-repeat", type=int, default=40)
    ap.add_argument("--max-posts", type=int, default=5000, help="bound of each attacker's loop")
    ap.add_argument("--attacker-nice", type=int, default=0,
                    help="niceness of the attackers: on a machine of 2 cores their own CPU (generating 1 MB posts "
                         "as fast as answered) is taken from the server; a remote attacker's would not be")
    ap.add_argument("--control", action="store_true",
                    help="the attackers post {} instead: how much of the slowdown is the request rate on this machine")
    ap.add_argument("--workdir", default="/tmp/qg-web")
    ap.add_argument("--json")
    a = ap.parse_args()
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    db = build_store(work, a.articles, jobs=1)
    load = os.getloadavg()
    with Server(db, args=("--rate-limit", f"{a.rate_limit:g}")) as srv:
        idle = run(srv.url, a.requests, seed=1)
        hostile, posts = attacked(srv.url, a.requests, a.sniff_repeat, a.max_posts, a.attacker_nice, a.control)
        idle_after = run(srv.url, a.requests, seed=3)  # the machine is shared: its load drifts
        rss = srv.rss_mib()
    res = {"machine": machine(), "load_before": load, "load_after": os.getloadavg(), "rate_limit": a.rate_limit,
           "attacker_nice": a.attacker_nice, "control": a.control,
           "idle": idle, "attacked": hostile, "idle_after": idle_after, "attackers": posts,
           "server_rss_mib": round(rss, 1), "command": " ".join(sys.argv)}
    i, h, i2 = idle["all pages"], hostile["all pages"], idle_after["all pages"]
    res["p99_ratio"] = h["p99"] / ((i["p99"] + i2["p99"]) / 2)
    print(f"\nrate limit {a.rate_limit:g}/min per client, attackers at nice {a.attacker_nice}; load average before {load[0]:.2f}, after "
          f"{res['load_after'][0]:.2f}; server RSS {rss:.0f} MiB\n")
    print("| reads | requests | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, r, d in (("idle", idle, i), ("while attacked", hostile, h), ("idle again", idle_after, i2)):
        print(f"| {name} | {d['n']} | {d['p50']:.1f} | {d['p95']:.1f} | {d['p99']:.1f} | {d['max']:.1f} | {r['errors']} |")
    print(f"\np99 attacked / idle (the mean of before and after): {res['p99_ratio']:.2f}\n")
    print("| attacker | body bytes | posts | posts/s | answers |\n|---|---:|---:|---:|---|")
    for name, s in posts.items():
        print(f"| {name} | {s['bytes']:,} | {s['posts']} | {s['per_second']} | "
              f"{', '.join(f'{k}: {v}' for k, v in sorted(s['codes'].items()))} |")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
