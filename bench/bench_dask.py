"""Ingest throughput: one process (the local engine, --jobs 0) against Dask (--engine dask --workers N).

    .venv/bin/python bench/bench_dask.py [--polnear DIR] [--articles 240] [--workers 2] [--repeat 3]

Corpus: with --polnear, the first N texts of PolNeAR's dev then train splits (written to a JSON
Lines file under --workdir, which is deleted afterwards: nothing of them is kept); else N synthetic
articles from bench/synth.py.  Each run is a whole `quotegraph ingest` command into a fresh store
(start-up, model loads, reading, extraction, Parquet, merge and commits all included), the two
engines alternated; the figure is the ratio of the median wall times.  The stores are then
compared through `quotegraph export` (JSON Lines): they must be identical.
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


def ingest(corpus: Path, db: Path, args: list[str]) -> tuple[float, float]:
    """(wall seconds of the whole command, seconds of the run itself as the command reports them:
    for Dask, without starting the cluster and loading the models)."""
    for p in db.parent.glob(db.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    t0 = time.perf_counter()
    r = subprocess.run(QG + ["ingest", str(corpus), "--db", str(db), "-q", *args], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"done in ([0-9.]+) s", r.stderr)
    return wall, float(m.group(1)) if m else wall


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
        engines = {"local": ["--jobs", "0"], "dask": ["--engine", "dask", "--workers", str(args.workers)]}
        loads = [os.getloadavg()[0]]
        for _ in range(args.repeat):
            for name, extra in engines.items():
                wall, own = ingest(corpus, work / f"{name}.db", extra)
                runs[name].append(wall)
                inrun[name].append(own)
                loads.append(os.getloadavg()[0])
        exports = {}
        for name in engines:
            out = work / f"{name}.jsonl"
            subprocess.run(QG + ["export", "--db", str(work / f"{name}.db"), "--out", str(out)], check=True, capture_output=True)
            exports[name] = out.read_bytes()
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"{what}: {chars:,} characters; median of {args.repeat} alternated runs; "
              f"load average (1 min) {min(loads):.2f}-{max(loads):.2f}")
        print(f"local engine, one process (--jobs 0): {med['local']:.1f} s, {n / med['local']:.1f} articles/s  "
              f"(runs: {', '.join(f'{t:.1f}' for t in runs['local'])})")
        print(f"dask engine, {args.workers} workers:        {med['dask']:.1f} s, {n / med['dask']:.1f} articles/s  "
              f"(runs: {', '.join(f'{t:.1f}' for t in runs['dask'])})")
        print(f"speed-up dask / one process: {med['local'] / med['dask']:.2f}x")
        own = {k: statistics.median(v) for k, v in inrun.items()}
        print(f"the runs as the commands report them (Dask: cluster start and model loads excluded): "
              f"{n / own['local']:.1f} and {n / own['dask']:.1f} articles/s, {own['local'] / own['dask']:.2f}x")
        same = exports["local"] == exports["dask"]
        nq = exports["local"].count(b"\n")
        print(f"stores identical (export compared, {nq} quotes): {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
