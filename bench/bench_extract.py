"""Throughput of `extract` against spaCy's full small pipeline alone, on the same texts.

    .venv/bin/python bench/bench_extract.py [--polnear DIR] [--repeat 3]

Texts: the PolNeAR dev articles when --polnear is given (nothing of them is stored), else the
project's own example and test articles. Both sides run in this one process, alternately, and
the figure that matters is the ratio (extract articles/s ÷ spaCy articles/s); the issue's goal
is ≥ 1.2.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts_from(polnear: str | None) -> list[str]:
    if polnear:
        from quotegraph.evaluation.polnear import load_split

        return [a.text for a in load_split(polnear, "dev")]
    out = [(ROOT / "examples" / "seed-article.txt").read_text(encoding="utf-8")]
    out += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "articles").glob("*.txt"))]
    return out * 5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", help="PolNeAR checkout: benchmark on its dev texts")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import spacy

    from quotegraph import Extractor
    from quotegraph.nlp import available_model

    texts = texts_from(args.polnear)
    chars = sum(len(t) for t in texts)
    full = spacy.load(available_model())  # the full small pipeline, every component
    ex = Extractor()
    ex.nlp  # load before timing
    list(full.pipe(texts[:2]))
    list(ex.extract_many(texts[:2]))

    t_spacy, t_extract = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for _doc in full.pipe(texts, batch_size=32):
            pass
        t_spacy.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        n = sum(1 for _ in ex.extract_many(texts))
        t_extract.append(time.perf_counter() - t0)
        assert n == len(texts)
    s, e = statistics.median(t_spacy), statistics.median(t_extract)
    print(f"{len(texts)} articles, {chars:,} characters, median of {args.repeat} runs")
    print(f"spaCy full pipeline ({full.meta.get('name')}, {', '.join(full.pipe_names)}): {len(texts) / s:.1f} articles/s")
    print(f"quotegraph extract:  {len(texts) / e:.1f} articles/s")
    print(f"ratio extract / spaCy: {s / e:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
