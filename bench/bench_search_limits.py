"""The most a search may cost against a typical one, on a store (default: build one from
bench/synth.py articles): the longest query allowed (12 distinct terms, common words), a
10,000-word query of one repeated word, wildcard-looking filters, against a typical one (two words, or none, with the default 20 hits: the slower of the two).

    python bench/bench_search_limits.py --db corpus.db
"""

from __future__ import annotations

import argparse
import time

from quotegraph.corpus import Corpus
from quotegraph.corpus.query import MAX_QUERY_TERMS


def timed(c: Corpus, reps: int = 30, **kw) -> float:
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        try:
            c.search(**kw)
        except ValueError:
            pass
        ts.append(time.perf_counter() - t)
    return min(ts)  # the least disturbed run (the machine is shared)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    a = ap.parse_args()
    common = "we will not the council government plan people city support protect fund review".split()
    cases = {
        "typical: 'protect market' (-n 20)": {"query": "protect market"},
        "typical, no query (-n 20)": {"query": ""},
        f"{MAX_QUERY_TERMS} distinct common words": {"query": " ".join(common[:MAX_QUERY_TERMS])},
        "one word x 150 (900 chars)": {"query": "council " * 112},
        "10,000 chars (refused)": {"query": "council " * 1250},
        "--speaker %": {"query": "", "speaker": "%"},
        "--outlet _ with a word": {"query": "council", "outlet": "_"},
        "-n 50 (the most), no query": {"query": "", "limit": 50},
        "-n 50, 'council'": {"query": "council", "limit": 50},
    }
    with Corpus(a.db) as c:
        print(f"store: {c.stats()}")
        base = max(timed(c, **cases["typical: 'protect market' (-n 20)"]), timed(c, **cases["typical, no query (-n 20)"]))
        for name, kw in cases.items():
            t = timed(c, **kw)
            n = len(c.search(**kw)) if not kw.get("query", "").startswith("council " * 1000) else 0
            print(f"{name:<36} {1000 * t:8.2f} ms  {t / base:6.1f}x typical  ({n} hits)")


if __name__ == "__main__":
    main()
