"""Extract time and peak memory against article size: is the cost linear in the length?

One long article per size, built from invented paragraphs (bench/synth.py: many speakers, quotes,
re-reports), plain or with unbalanced quotation marks (a stray opening mark every few paragraphs,
of several scripts), written to a file first; each size then runs in its own process the way
`quotegraph extract FILE` does (read, extract, JSON written; past 2,000,000 characters in segments
kept compact), so the peak RSS is that of the run. Time is the process's CPU
time (user + system): on a shared machine wall time mostly measures the neighbours.

    python bench/bench_scaling.py                       # 0.1, 0.5, 1, 2, 5, 20 MB, both kinds
    python bench/bench_scaling.py --sizes 0.1 1 --kinds plain
    python bench/bench_scaling.py --sizes 100 --kinds plain   # the 100 MB run (size limit raised)
    python bench/bench_scaling.py --profile 1           # cProfile of a 1 MB extract (top 25)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STRAY = ["\u201c", "\u00ab", "\u201e", "\u2039", "\"", "\u300c"]


def _synth():
    spec = importlib.util.spec_from_file_location("qg_bench_synth", HERE / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_text(size: int, kind: str, seed: int = 1) -> str:
    """About ``size`` characters of distinct news paragraphs (no two alike: no parse is shared);
    ``paragraph``: the same sentences as one single paragraph."""
    if kind == "paragraph":
        return make_text(size, "plain", seed).replace("\n\n", " ")
    synth = _synth()
    rnd = random.Random(seed)
    people = synth.make_people(rnd, 400)
    said: list = []
    out: list[str] = []
    n = 0
    from datetime import date

    while n < size:
        text, _ = synth.article(rnd, people, said, date(2024, 1, 1))
        for para in text.split("\n\n"):
            para = para.strip()
            if not para:
                continue
            if kind == "unbalanced" and rnd.random() < 0.25:
                words = para.split(" ")
                words.insert(rnd.randrange(len(words)), rnd.choice(STRAY))
                para = " ".join(words)
            out.append(para)
            n += len(para) + 2
    return "\n\n".join(out)[:size].rsplit(" ", 1)[0] + ".\n"


def run_one(path: str, kind: str) -> dict:
    """Extract the text in ``path`` as ``quotegraph extract PATH`` does, its JSON written to
    /dev/null: past SEGMENT_CHARS a plain text goes in segments, kept compact (segments.py)."""
    import quotegraph
    from quotegraph.read.readers import read_path
    from quotegraph.read.segments import SEGMENT_CHARS, extract_long_compact

    size = os.path.getsize(path)
    ex = quotegraph.Extractor(quotegraph.Options(max_bytes=size + 1))
    ex.nlp  # load the model before timing  # noqa: B018 - the property loads the model
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, c = time.perf_counter(), time.process_time()
    src = read_path(path, max_bytes=size + 1)
    bad = 0
    with open(os.devnull, "w", encoding="utf-8") as out:
        if len(src.content) > SEGMENT_CHARS:
            long = extract_long_compact(ex.extract_source, src, on_segment=lambda k, n: print(
                f"  segment {k}/{n} done, {time.process_time() - c:.0f} CPU s", file=sys.stderr, flush=True))
            long.write_json(out, indent=2)
            text, n_quotes = long.text, long.counts["quotes"]
            quotes = long.records("quotes")
        else:
            art = ex.extract_source(src)
            out.write(art.model_dump_json(indent=2))
            text, n_quotes, quotes = art.text, len(art.quotes), iter(art.quotes)
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    bad = sum(1 for q in quotes if text[q.span[0]:q.span[1]] != q.text)  # after timing
    mb = size / 1e6
    return {"kind": kind, "bytes": size, "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
            "s_per_mb": round(secs / mb, 2), "cpu_s_per_mb": round(cpu / mb, 2), "peak_rss_mb": round(rss),
            "rss_model_loaded_mb": round(rss0), "quotes": n_quotes, "bad_spans": bad}


def profile(size: int) -> None:
    import cProfile
    import pstats

    import quotegraph

    text = make_text(size, "plain")
    ex = quotegraph.Extractor(quotegraph.Options(max_bytes=10 * len(text) + 1))
    ex.nlp  # noqa: B018 - the property loads the model
    pr = cProfile.Profile()
    pr.enable()
    ex.extract(text)
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1, 2, 5, 20], help="MB")
    ap.add_argument("--kinds", nargs="+", default=["plain", "unbalanced"], choices=["plain", "unbalanced", "paragraph"])
    ap.add_argument("--one", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help="keep the generated texts here (default: a temporary folder, emptied)")
    ap.add_argument("--profile", type=float, metavar="MB")
    ap.add_argument("--json", help="write the rows here")
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_one(a.one[0], a.one[1])))
        return
    if a.profile:
        profile(int(a.profile * 1e6))
        return
    rows = []
    work = Path(a.workdir or tempfile.mkdtemp(prefix="qg-bench-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load: {os.getloadavg()[0]:.1f} (1 min), cores: {os.cpu_count()}", flush=True)
    print(f"{'kind':<11} {'MB':>7} {'wall s':>8} {'CPU s':>8} {'CPU s/MB':>9} {'peak RSS MB':>12} {'quotes':>7}", flush=True)
    for kind in a.kinds:
        for mb in a.sizes:
            path = work / f"{kind}-{mb}MB.txt"  # written here, so the run's peak RSS is the extraction's
            if not path.exists():
                path.write_text(make_text(int(mb * 1e6), kind), encoding="utf-8")
            p = subprocess.run([sys.executable, __file__, "--one", str(path), kind], stdout=subprocess.PIPE, text=True)
            if not a.workdir:
                path.unlink()
            if p.returncode != 0:
                print(f"{kind:<11} {mb:>7} failed (exit {p.returncode})", flush=True)
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            rows.append(r)
            print(f"{kind:<11} {r['bytes'] / 1e6:>7.2f} {r['seconds']:>8.1f} {r['cpu_seconds']:>8.1f} {r['cpu_s_per_mb']:>9.2f} "
                  f"{r['peak_rss_mb']:>12} {r['quotes']:>7}  load {os.getloadavg()[0]:.1f}"
                  + (f"  {r['bad_spans']} BAD SPANS" if r["bad_spans"] else ""), flush=True)
        ks = [r for r in rows if r["kind"] == kind]
        if len(ks) >= 2:
            print(f"{kind}: CPU time per MB, largest / smallest = {ks[-1]['cpu_s_per_mb'] / ks[0]['cpu_s_per_mb']:.2f}",
                  flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
