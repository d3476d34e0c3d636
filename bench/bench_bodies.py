"""quotegraph's article body against trafilatura alone, on hand-checked article bodies.

    .venv/bin/python bench/bench_bodies.py [DIR] [--json OUT] [--pages N]

DIR (default ../shared/datasets/article-bodies) holds ``ground-truth.json`` and ``html/*.html.gz``
(scrapinghub's article-extraction-benchmark); absent, the benchmark says so and exits 0. Scored
with the benchmark's own measure (quotegraph.evaluation.bodies: 4-gram shingles, precision and
recall per page averaged over pages), for all pages and for the two fixed halves by key (tuning:
keys 0-7, held-out: 8-f):

- quotegraph: the text of the body paragraphs (role "body", repeats included) of the layout
  ``read.html.html_to_layout`` gives the page, one per line; a page it refuses scores 0;
- the same without the paragraphs marked ``duplicate_of`` an earlier one (a repeat, or a paragraph
  contained in another);
- trafilatura alone: ``trafilatura.extract`` of the page's bytes with the options of quotegraph's
  first pass (no comments or images), without quotegraph's pruning;
- trafilatura alone with its default options (as the benchmark's published figure).

Then every page where quotegraph's F1 is below trafilatura's (first pass options), worst first.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from quotegraph.errors import InputError
from quotegraph.evaluation.bodies import Page, PageScore, load_pages, score_page, totals
from quotegraph.read.html import html_to_layout
from quotegraph.read.readers import read_bytes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "datasets" / "article-bodies"


def quotegraph_body(page: Page, repeats: bool = True) -> str:
    src = read_bytes(page.html, page.key, format="html")
    layout = html_to_layout(src.content, page.key)
    return "\n".join(layout.text[p.start : p.end] for p in layout.paragraphs if p.role == "body" and (repeats or p.duplicate_of is None))


def trafilatura_body(page: Page, first_pass: bool) -> str:
    import trafilatura

    opts = dict(include_comments=False, include_images=False) if first_pass else {}
    return trafilatura.extract(page.html, **opts) or ""  # type: ignore[arg-type]


SYSTEMS = {
    "quotegraph": quotegraph_body,
    "quotegraph (repeats left out)": lambda p: quotegraph_body(p, repeats=False),
    "trafilatura (first-pass options)": lambda p: trafilatura_body(p, True),
    "trafilatura (defaults)": lambda p: trafilatura_body(p, False),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--json", help="write every page's scores here (outside the repository)")
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    if not (folder / "ground-truth.json").is_file():
        print(f"skipped: no article-bodies data set at {folder} (ground-truth.json missing)")
        return 0
    pages = list(load_pages(folder))
    if args.pages:
        pages = pages[: args.pages]
    scores: dict[str, dict[str, PageScore]] = {name: {} for name in SYSTEMS}
    refused: list[str] = []
    seconds = dict.fromkeys(SYSTEMS, 0.0)
    for page in pages:
        for name, body in SYSTEMS.items():
            t0 = time.process_time()
            try:
                text = body(page)
            except InputError as e:
                refused.append(f"{page.key[:12]} {name}: {e}")
                text = ""
            seconds[name] += time.process_time() - t0
            scores[name][page.key] = score_page(page.body, text)
    import trafilatura

    print(f"{len(pages)} pages from {folder}; trafilatura {trafilatura.__version__}; "
          f"Python {platform.python_version()} on {platform.machine()}")
    halves = {"all": pages, "tuning (keys 0-7)": [p for p in pages if p.half == "tuning"],
              "held-out (keys 8-f)": [p for p in pages if p.half == "held-out"]}
    print(f"{'system':<34} {'subset':<20} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for name in SYSTEMS:
        for label, subset in halves.items():
            t = totals([scores[name][p.key] for p in subset])
            print(f"{name:<34} {label:<20} {t.pages:>5} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")
        print(f"{'':<34} CPU {seconds[name]:.1f} s")
    for line in refused:
        print(f"refused: {line}")
    qg, tr = scores["quotegraph"], scores["trafilatura (first-pass options)"]
    losses = sorted((qg[p.key].f1 - tr[p.key].f1, p) for p in pages if qg[p.key].f1 < tr[p.key].f1 - 1e-9)
    print(f"\n{len(losses)} pages where quotegraph's F1 is below trafilatura's (first-pass options):")
    for diff, p in losses:
        q, t = qg[p.key], tr[p.key]
        print(f"  {p.key[:12]} {p.half:<8} F1 {q.f1:.3f} vs {t.f1:.3f} ({diff:+.3f})  "
              f"R {q.recall or 0:.3f} vs {t.recall or 0:.3f}  P {q.precision or 0:.3f} vs {t.precision or 0:.3f}  {p.url}")
    if args.json:
        Path(args.json).write_text(json.dumps({name: {k: [s.tp, s.fp, s.fn] for k, s in by.items()}
                                               for name, by in scores.items()}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
