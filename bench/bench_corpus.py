"""Corpus benchmark: ingest throughput against extraction alone, and search latency.

    .venv/bin/python bench/bench_corpus.py --quotes 100000 [--jobs 1] [--workdir /tmp/qg-bench]

1. Generates a synthetic corpus (bench/synth.py: invented articles from templates, many speakers
   and outlets, a fifth of the quotes re-reported with edits) as JSON Lines, sized to give about
   ``--quotes`` extracted quotes.
2. *extract alone*: this process extracts every article (the same ``extract_chunk`` the ingest
   uses, chunks of 16), timing from before the model loads to the last article.
3. *ingest*: ``quotegraph ingest`` on the same files into a fresh store (``--jobs`` extraction
   processes, the writer in this one), timed end to end (start-up and model load included).
4. *search*: a mix of queries (words, phrases, with and without speaker/outlet/date filters,
   speaker-only listings) through ``Corpus.search``; latency percentiles.

Prints a Markdown summary and writes the figures as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import synth  # noqa: E402

from quotegraph.corpus import Corpus  # noqa: E402
from quotegraph.corpus.ingest import EXTRACTOR_SPEC, Ingestor, extract_chunk, get_extractor  # noqa: E402
from quotegraph.corpus.query import STOPWORDS  # noqa: E402
from quotegraph.corpus.sources import iter_items  # noqa: E402

QUOTES_PER_ARTICLE = 6.0  # what the extractor finds in a synthetic article, on average


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def bench_extract(corpus: Path, chunk: int = 16) -> dict:
    t0 = time.perf_counter()
    ex = get_extractor(EXTRACTOR_SPEC)
    ex.nlp  # noqa: B018 - the model load is part of the time, as it is for the ingest
    t_model = time.perf_counter() - t0
    n = quotes = failed = 0
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal quotes, failed, n
        for r in extract_chunk(batch, EXTRACTOR_SPEC):
            n += 1
            if isinstance(r, str):
                failed += 1
            else:
                quotes += len(r.quotes)
        batch.clear()

    for it in iter_items([str(corpus)]):
        if it.text is None:
            continue
        batch.append((it.text, it.source))
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    secs = time.perf_counter() - t0
    return {"articles": n, "quotes": quotes, "failed": failed, "seconds": secs, "model_seconds": t_model,
            "articles_per_s": n / secs}


def bench_ingest(corpus: Path, db: Path, jobs: int) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    rep = Ingestor(str(db), jobs=jobs).run([str(corpus)])
    secs = time.perf_counter() - t0
    t = rep.totals
    return {"articles": rep.added, "occurrences": rep.occurrences, "quotes": t.quotes, "people": t.people,
            "organizations": t.organizations, "failed": rep.failed, "seconds": secs,
            "store_seconds": rep.store_seconds, "wait_seconds": rep.wait_seconds,
            "articles_per_s": rep.added / secs, "db_bytes": db.stat().st_size, "jobs": jobs}


def make_queries(c: Corpus, n: int, rnd: random.Random) -> list[tuple[str, dict]]:
    con = c.con
    texts = [r[0] for r in con.execute("SELECT text FROM occurrences ORDER BY random() LIMIT ?", (n * 2,))]
    names = [r[0] for r in con.execute(
        "SELECT p.name FROM people p WHERE p.kind='person' AND p.scope IS NULL ORDER BY random() LIMIT 200")]
    surnames = [nm.split()[-1] for nm in names]
    outlets = [r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    dates = [r[0] for r in con.execute("SELECT published FROM articles WHERE published IS NOT NULL ORDER BY random() LIMIT 200")]
    out: list[tuple[str, dict]] = []
    for i in range(n):
        words = [w.strip(".,!?\"'").lower() for w in rnd.choice(texts).split()]
        content = [w for w in words if w and w not in STOPWORDS and w.isalpha()] or ["river"]
        kind = i % 10
        if kind < 3:
            q = " ".join(rnd.sample(content, min(len(content), rnd.choice((1, 2, 3)))))
            out.append(("words", {"query": q}))
        elif kind == 3:
            j = rnd.randrange(max(1, len(words) - 3))
            out.append(("phrase", {"query": '"' + " ".join(words[j : j + 3]) + '"'}))
        elif kind == 4:
            out.append(("common word", {"query": rnd.choice(["people", "plan", "will", "every", "audit", "warnings"])}))
        elif kind == 5 and names:
            out.append(("words+speaker", {"query": rnd.choice(content), "speaker": rnd.choice(names)}))
        elif kind == 6 and outlets:
            out.append(("words+outlet+dates", {"query": rnd.choice(content), "outlet": rnd.choice(outlets),
                                               "since": min(dates[:2]) if dates else None}))
        elif kind == 7 and names:
            out.append(("speaker only", {"speaker": rnd.choice(names)}))
        elif kind == 8 and surnames:
            out.append(("surname only", {"speaker": rnd.choice(surnames)}))
        else:
            out.append(("words+kind", {"query": rnd.choice(content), "kind": "direct"}))
    return out


def bench_search(db: Path, n: int, seed: int = 5) -> dict:
    rnd = random.Random(seed)
    with Corpus(db) as c:
        queries = make_queries(c, n, rnd)
        for _, kw in queries[:20]:  # warm the page cache
            c.search(limit=20, **kw)
        lat: dict[str, list[float]] = {}
        hits = 0
        for label, kw in queries:
            t = time.perf_counter()
            res = c.search(limit=20, **kw)
            lat.setdefault(label, []).append((time.perf_counter() - t) * 1000)
            hits += bool(res)
        names = [r[0] for r in c.con.execute(
            "SELECT p.name FROM people p WHERE p.kind='person' AND p.scope IS NULL ORDER BY random() LIMIT 50")]
        plat = []
        for nm in names:
            t = time.perf_counter()
            try:
                c.person(nm)
            except LookupError:
                pass
            plat.append((time.perf_counter() - t) * 1000)
    every = [x for v in lat.values() for x in v]
    return {
        "queries": len(every), "with_hits": hits,
        "p50_ms": pct(every, 50), "p95_ms": pct(every, 95), "p99_ms": pct(every, 99), "max_ms": max(every),
        "by_kind": {k: {"n": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95), "max_ms": max(v)} for k, v in lat.items()},
        "person_p95_ms": pct(plat, 95), "person_mean_ms": statistics.mean(plat) if plat else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotes", type=int, default=100_000, help="about this many extracted quotes")
    ap.add_argument("--articles", type=int, default=None, help="instead of --quotes")
    ap.add_argument("--jobs", type=int, default=None, help="ingest extraction processes (default: cores - 1)")
    ap.add_argument("--workdir", default="/tmp/qg-bench")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--skip-extract", action="store_true", help="only ingest and search")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and store")
    ap.add_argument("--search-only", action="store_true", help="only the search part, on the store a --keep run left")
    ap.add_argument("--json", default=None, help="write the figures here")
    a = ap.parse_args()

    from quotegraph.corpus.ingest import default_jobs

    jobs = default_jobs() if a.jobs is None else a.jobs
    work = Path(a.workdir)
    corpus = work / "corpus"
    n_articles = a.articles or int(a.quotes / QUOTES_PER_ARTICLE * 1.05) + 1
    if a.search_only:
        s = bench_search(work / "bench.db", a.queries)
        print(json.dumps(s, indent=2))
        return
    if corpus.exists():
        shutil.rmtree(corpus)
    gen = synth.generate(str(corpus), n_articles, fmt="jsonl", seed=1)
    print(f"corpus: {gen['articles']} articles, {gen['chars'] / 1e6:.1f} M characters, {gen['speakers']} speakers",
          flush=True)
    res = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv]), "corpus": gen}
    if not a.skip_extract:
        res["extract"] = ex = bench_extract(corpus)
        print(f"extract alone: {ex['articles']} articles, {ex['quotes']} quotes in {ex['seconds']:.1f} s "
              f"= {ex['articles_per_s']:.1f} articles/s", flush=True)
    db = work / "bench.db"
    res["ingest"] = ing = bench_ingest(corpus, db, jobs)
    print(f"ingest (--jobs {jobs}): {ing['articles']} articles, {ing['occurrences']} quote occurrences "
          f"({ing['quotes']} distinct quotes), {ing['people']} people in {ing['seconds']:.1f} s "
          f"= {ing['articles_per_s']:.1f} articles/s; writer busy {ing['store_seconds']:.1f} s", flush=True)
    if "extract" in res:
        res["ratio"] = ing["articles_per_s"] / res["extract"]["articles_per_s"]
        print(f"ingest / extract throughput: {res['ratio']:.3f}", flush=True)
    res["search"] = s = bench_search(db, a.queries)
    print(f"search: {s['queries']} queries, p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, "
          f"p99 {s['p99_ms']:.1f} ms, max {s['max_ms']:.1f} ms; person() p95 {s['person_p95_ms']:.1f} ms")
    for k, v in sorted(s["by_kind"].items()):
        print(f"  {k:20s} n={v['n']:4d} p50 {v['p50_ms']:6.1f} ms  p95 {v['p95_ms']:6.1f} ms  max {v['max_ms']:6.1f} ms")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))
    if not a.keep:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
