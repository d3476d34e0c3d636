"""Ingest throughput: one process (the local engine, --jobs 0) against Dask (--engine dask --workers N).

    .venv/bin/python bench/bench_dask.py [--polnear DIR] [--articles 240] [--workers 2] [--repeat 3]

Corpus: with --polnear, the first N texts of PolNeAR's dev then train splits (written to a JSON
Lines file under --workdir, which is deleted afterwards: nothing of them is kept); else N synthetic
articles from bench/synth.py.  Each run is a whole `quotegraph ingest` command into a fresh store
(start-up, model loads, reading, extraction, Parquet, merge and commits all included), the two
engines alternated; the figure is the ratio of the median wall times.  The stores are then
compared through `quotegraph export` (JSON Lines): they must be identical.

Wall time on a shared machine measures the neighbours too, so each run also reports its CPU time
(user + system): of the ingest process itself (for Dask: the client, the scheduler and the
nannies, which a LocalCluster runs there) and of its worker processes, per article; and the
load average before and after.  On a quiet machine the speed-up approaches what the CPU time
allows: with W workers on W free cores, at most W x (CPU of one process) / (CPU of the Dask run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QG = [sys.executable, "-m", "quotegraph.cli"]
# the same command, reporting at exit the CPU time of its own process and of its children (the
# worker processes, reaped before it exits)
QG_TIMED = [sys.executable, "-c", "import atexit, os, sys\n"
            "atexit.register(lambda: sys.stderr.write('QG-CPU %r\\n' % (tuple(os.times())[:4],)))\n"
            "from quotegraph.cli import main\nsys.argv[0] = 'quotegraph'\nmain()\n"]


def polnear_corpus(root: str, n: int, out: Path) -> int:
    from quotegraph.evaluation.polnear import load_split

    arts = load_split(root, "dev") + load_split(root, "train", limit=max(0, n - 84))
    with out.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(arts[:n]):
            fh.write(json.dumps({"id": f"p{i}", "text": a.text}) + "\n")
    return min(n, len(arts))


def synth_corpus(n: int, out_dir: Path) -> int:
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(out_dir), "--articles", str(n)], check=True,
                   capture_output=True)
    return n


def ingest(corpus: Path, db: Path, args: list[str]) -> dict:
    """One whole command: ``wall`` seconds; ``own``: the run itself as the command reports it
    (for Dask, without starting the cluster and loading the models); CPU seconds of the command's
    own process (``cpu_main``) and of its worker processes (``cpu_workers``); load before/after."""
    for p in db.parent.glob(db.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    r = subprocess.run(QG_TIMED + ["ingest", str(corpus), "--db", str(db), "-q", *args], check=True, capture_output=True,
                       text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"done in ([0-9.]+) s", r.stderr)
    c = re.search(r"QG-CPU \(([^)]*)\)", r.stderr)
    u, s_, cu, cs = (float(x) for x in c.group(1).split(",")) if c else (float("nan"),) * 4
    return {"wall": wall, "own": float(m.group(1)) if m else wall, "cpu_main": u + s_, "cpu_workers": cu + cs,
            "load": (load0, os.getloadavg()[0])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", help="PolNeAR checkout: its dev then train texts")
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", help="default: a temporary folder (deleted)")
    args = ap.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="qg-bench-dask-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.polnear:
            corpus = work / "polnear.jsonl"
            n = polnear_corpus(args.polnear, args.articles, corpus)
            what = f"PolNeAR dev+train, first {n} texts"
        else:
            corpus = work / "synth"
            n = synth_corpus(args.articles, corpus)
            what = f"{n} synthetic articles (bench/synth.py)"
        chars = sum(len(json.loads(x)["text"]) for f in ([corpus] if corpus.is_file() else sorted(corpus.glob("*.jsonl")))
                    for x in f.read_text(encoding="utf-8").splitlines())
        runs: dict[str, list[float]] = {"local": [], "dask": []}
        inrun: dict[str, list[float]] = {"local": [], "dask": []}
        cpu: dict[str, list[tuple[float, float]]] = {"local": [], "dask": []}
        engines = {"local": ["--jobs", "0"], "dask": ["--engine", "dask", "--workers", str(args.workers)]}
        loads = [os.getloadavg()[0]]
        print(f"{what}, {n} articles; load average (1 min) {loads[0]:.2f}; {os.cpu_count()} cores", flush=True)
        for k in range(args.repeat):
            for name, extra in engines.items():
                r = ingest(corpus, work / f"{name}.db", extra)
                runs[name].append(r["wall"])
                inrun[name].append(r["own"])
                cpu[name].append((r["cpu_main"], r["cpu_workers"]))
                loads.append(os.getloadavg()[0])
                print(f"  run {k + 1} {name:<5}: wall {r['wall']:6.1f} s; CPU {r['cpu_main'] + r['cpu_workers']:6.1f} s "
                      f"(main process {r['cpu_main']:.1f}, workers {r['cpu_workers']:.1f}) = "
                      f"{1000 * (r['cpu_main'] + r['cpu_workers']) / n:.0f} ms/article; "
                      f"load {r['load'][0]:.1f} -> {r['load'][1]:.1f}", flush=True)
        exports = {}
        for name in engines:
            out = work / f"{name}.jsonl"
            subprocess.run(QG + ["export", "--db", str(work / f"{name}.db"), "--out", str(out)], check=True, capture_output=True)
            exports[name] = out.read_bytes()
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"{what}: {chars:,} characters; median of {args.repeat} alternated runs; "
              f"load average (1 min) {min(loads):.2f}-{max(loads):.2f}; {time.strftime('%Y-%m-%d %H:%M')}")
        print(f"local engine, one process (--jobs 0): {med['local']:.1f} s, {n / med['local']:.1f} articles/s  "
              f"(runs: {', '.join(f'{t:.1f}' for t in runs['local'])})")
        print(f"dask engine, {args.workers} workers:        {med['dask']:.1f} s, {n / med['dask']:.1f} articles/s  "
              f"(runs: {', '.join(f'{t:.1f}' for t in runs['dask'])})")
        print(f"speed-up dask / one process: {med['local'] / med['dask']:.2f}x")
        own = {k: statistics.median(v) for k, v in inrun.items()}
        print(f"the runs as the commands report them (Dask: cluster start and model loads excluded): "
              f"{n / own['local']:.1f} and {n / own['dask']:.1f} articles/s, {own['local'] / own['dask']:.2f}x")
        mc = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in cpu.items()}
        for name in engines:
            a, b = mc[name]
            print(f"CPU per article, {name}: {1000 * (a + b) / n:.1f} ms (main process {1000 * a / n:.1f}, "
                  f"worker processes {1000 * b / n:.1f}); median of {args.repeat}")
        bound = args.workers * sum(mc["local"]) / sum(mc["dask"])
        print(f"speed-up the CPU time allows on {args.workers} free cores: {args.workers} x {sum(mc['local']):.1f} / "
              f"{sum(mc['dask']):.1f} = {bound:.2f}x (the wall ratio above equals it only on a quiet machine)")
        same = exports["local"] == exports["dask"]
        nq = exports["local"].count(b"\n")
        print(f"stores identical (export compared, {nq} quotes): {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
