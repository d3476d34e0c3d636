"""Page metadata against the hand-checked labels, quotegraph and trafilatura alone side by side.

    .venv/bin/python bench/bench_metadata.py [--gold eval/metadata/gold.json] \
        [--pages ../shared/datasets/webpages ../shared/datasets/article-bodies] [--json OUT] [--errors]

For each field (authors as a list, title, publisher, date, URL, language) the share of pages
exactly right (after quotegraph.evaluation.metadata.normalise_field), on the tuning half, the
reporting half and all pages. quotegraph is scored on what its reading stage gives a page read
from a file (the Article's fields), trafilatura on ``trafilatura.metadata.extract_metadata``.
The pages are not in the project: the command says so and exits 0 when none are found.
--errors prints, for the tuning half only, each wrong field with the label and both answers.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quotegraph.evaluation import metadata as md  # noqa: E402

TARGETS = {"authors": 0.95, "title": 0.97}


def _table(name: str, scores: md.MetadataScores) -> list[str]:
    lines = [f"{name:<12}" + "".join(f"{f:>12}" for f in md.FIELDS)]
    for split in (*md.SPLITS, "all"):
        row = scores.by_split[split]
        n = row["title"].total
        lines.append(f"  {split:<6} n={n:<3}" + "".join(f"{100 * row[f].rate:>11.1f}%" for f in md.FIELDS))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "metadata" / "gold.json")
    ap.add_argument("--pages", type=Path, nargs="+",
                    default=[ROOT.parent / "shared" / "datasets" / "webpages", ROOT.parent / "shared" / "datasets" / "article-bodies",
                             ROOT / ".." / ".." / "shared" / "datasets" / "webpages", ROOT / ".." / ".." / "shared" / "datasets" / "article-bodies"])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--errors", action="store_true", help="list the tuning half's wrong fields")
    args = ap.parse_args(argv)

    gold = md.load_gold(args.gold)
    files = md.page_files(gold, [p for p in args.pages if p.is_dir()])
    if not files:
        print(f"no labelled page found under {', '.join(map(str, args.pages))}: skipped")
        return 0
    gold = {k: v for k, v in gold.items() if k in files}
    results = {}
    answers = {}
    for name, reader in (("quotegraph", md.quotegraph_metadata), ("trafilatura", md.trafilatura_metadata)):
        t = time.process_time()
        answers[name] = md.run(gold, files, reader)
        results[name] = (md.score(gold, answers[name]), time.process_time() - t)
    print(f"{len(gold)} labelled pages ({sum(md.split_of(k) == 'tune' for k in gold)} tuning, "
          f"{sum(md.split_of(k) == 'report' for k in gold)} reporting); exactly right, per field:")
    for name, (scores, secs) in results.items():
        print("\n".join(_table(name, scores)) + f"\n  ({secs:.1f} s CPU)")
    q = results["quotegraph"][0]
    for f, target in TARGETS.items():
        print(f"target {f} >= {100 * target:.0f}%: tune {100 * q.rate('tune', f):.1f}%, report {100 * q.rate('report', f):.1f}%")
    if args.errors:
        for key in sorted(gold):
            if md.split_of(key) != "tune":
                continue
            for f in md.FIELDS:
                got = (answers["quotegraph"].get(key) or {}).get(f)
                if not md.matches(f, got, gold[key]):
                    tr = (answers["trafilatura"].get(key) or {}).get(f)
                    want = gold[key].get(f, "(hashed)")
                    print(f"{key[:24]:<24} {f:<9} gold={want!r} quotegraph={got!r} trafilatura={tr!r}")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": f"{platform.machine()}, {platform.python_version()}",
            "pages": len(gold),
            **{name: {s: {f: {"right": fs.right, "total": fs.total, "wrong": fs.wrong} for f, fs in row.items()}
                      for s, row in scores.by_split.items()} for name, (scores, _) in results.items()},
        }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
