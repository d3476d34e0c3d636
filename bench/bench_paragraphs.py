"""Extract time and peak memory against paragraph length and against article size (issue 21).

Two series, each size in its own process the way `quotegraph extract FILE` runs it (bench_scaling.py's
``--one``: read, extract, JSON written; peak RSS of that process, CPU time user + system):

* one paragraph of ordinary sentences (bench/synth.py's invented news, without a blank line), as a
  plain text (``paragraph``: the layout cuts it into blocks of 20,000 characters) and as the one
  ``<p>`` of a web page (``html-paragraph``: parsed in pieces, one paragraph in the output),
  16 kB .. 1 MB;
* an article of many ordinary paragraphs (``plain``), 0.25 .. 4 MB.

Acceptance (issue 21): CPU time per MB at 4 MB within 1.3x of 0.25 MB; peak RSS under 1 GB for a
1 MB single paragraph. Also: the many-quotes paragraph of the issue (``"word" said`` x n) at
n = 500 .. 4000.

    python bench/bench_paragraphs.py                    # everything (about 6 CPU minutes)
    python bench/bench_paragraphs.py --series paragraph --sizes 0.016 0.064
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARAGRAPH_MB = [0.016, 0.064, 0.256, 1.0]
ARTICLE_MB = [0.25, 0.5, 1.0, 2.0, 4.0]
QUOTES_N = [500, 1000, 2000, 4000]


def _scaling():
    """bench_scaling.py beside this file (its texts and its one-size run)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import bench_scaling

    return bench_scaling


def write_input(work: Path, kind: str, mb: float) -> Path:
    """The text of one size and kind, written once (the child process reads it as extract does)."""
    scaling = _scaling()
    if kind == "html-paragraph":
        path = work / f"{kind}-{mb}MB.html"
        if not path.exists():
            body = scaling.make_text(int(mb * 1e6), "paragraph").strip()
            path.write_text(f"<html><head><title>One paragraph</title></head><body><article><p>{body}</p>"
                            "</article></body></html>\n", encoding="utf-8")
        return path
    path = work / f"{kind}-{mb}MB.txt"
    if not path.exists():
        path.write_text(scaling.make_text(int(mb * 1e6), kind), encoding="utf-8")
    return path


def run_size(path: Path, kind: str) -> dict:
    p = subprocess.run([sys.executable, str(HERE / "bench_scaling.py"), "--one", str(path), kind],
                       stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        return {"kind": kind, "bytes": path.stat().st_size, "failed": p.returncode}
    return json.loads(p.stdout.strip().splitlines()[-1])


def many_quotes(n: int) -> dict:
    """The issue's paragraph, ``"word" said`` x n, in this process (after a warm-up)."""
    import quotegraph

    ex = quotegraph.Extractor()
    ex.extract(" ".join(["\u201cword\u201d said"] * 20))
    t = time.process_time()
    art = ex.extract(" ".join(["\u201cword\u201d said"] * n))
    return {"n": n, "cpu_seconds": round(time.process_time() - t, 2), "quotes": len(art.quotes)}


def series(name: str, kinds: list[str], sizes: list[float], work: Path, keep: bool) -> list[dict]:
    rows = []
    print(f"\n{name}: load {os.getloadavg()[0]:.1f} (1 min), cores {os.cpu_count()}", flush=True)
    print(f"{'kind':<15} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'CPU s/MB':>9} {'peak RSS MB':>12} {'quotes':>7}", flush=True)
    for kind in kinds:
        for mb in sizes:
            path = write_input(work, kind, mb)
            r = run_size(path, kind)
            if not keep:
                path.unlink()
            rows.append(r)
            if "failed" in r:
                print(f"{kind:<15} {mb:>6} failed (exit {r['failed']})", flush=True)
                continue
            print(f"{kind:<15} {r['bytes'] / 1e6:>6.3f} {r['seconds']:>7.1f} {r['cpu_seconds']:>7.1f} {r['cpu_s_per_mb']:>9.2f} "
                  f"{r['peak_rss_mb']:>12} {r['quotes']:>7}  load {os.getloadavg()[0]:.1f}"
                  + (f"  {r['bad_spans']} BAD SPANS" if r["bad_spans"] else ""), flush=True)
        done = [r for r in rows if r["kind"] == kind and "failed" not in r]
        if len(done) >= 2:
            print(f"{kind}: CPU s/MB largest / smallest = {done[-1]['cpu_s_per_mb'] / done[0]['cpu_s_per_mb']:.2f}; "
                  f"peak RSS at the largest {done[-1]['peak_rss_mb']} MB", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", nargs="+", default=["paragraph", "article", "quotes"], choices=["paragraph", "article", "quotes"])
    ap.add_argument("--sizes", type=float, nargs="+", help="MB (default: 0.016 .. 1 for paragraphs, 0.25 .. 4 for articles)")
    ap.add_argument("--quotes", type=int, nargs="+", default=QUOTES_N, help="n of the many-quotes paragraph")
    ap.add_argument("--workdir", help="keep the generated texts here (default: a temporary folder, emptied)")
    ap.add_argument("--json", help="write the rows here")
    ap.add_argument("--quotes-one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.quotes_one:
        print(json.dumps(many_quotes(a.quotes_one)))
        return
    work = Path(a.workdir or tempfile.mkdtemp(prefix="qg-bench-paragraphs-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    if "paragraph" in a.series:
        out["paragraph"] = series("one paragraph", ["paragraph", "html-paragraph"], a.sizes or PARAGRAPH_MB, work, bool(a.workdir))
    if "article" in a.series:
        out["article"] = series("many paragraphs", ["plain"], a.sizes or ARTICLE_MB, work, bool(a.workdir))
    if "quotes" in a.series:
        print(f"\nmany quotes in one paragraph: load {os.getloadavg()[0]:.1f}", flush=True)
        out["quotes"] = []
        for n in a.quotes:  # each in its own process, as the sizes above
            p = subprocess.run([sys.executable, __file__, "--quotes-one", str(n)], stdout=subprocess.PIPE, text=True)
            r = json.loads(p.stdout.strip().splitlines()[-1])
            out["quotes"].append(r)
            print(f"n={n:<6} CPU s {r['cpu_seconds']:>6.2f}  quotes {r['quotes']}  load {os.getloadavg()[0]:.1f}", flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
