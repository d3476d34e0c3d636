"""Throughput of `extract` against the spaCy pipeline it rests on, on the same texts, in one run.

    .venv/bin/python bench/bench_extract.py [--polnear DIR] [--repeat 3] [--json OUT]

Texts: the example article and tests/articles, or PolNeAR's dev articles when --polnear is given
(each timed pass goes over them --passes times, a call each: the extractor shares the parse of
paragraphs repeated within a call, which must not count identical copies) (nothing of them is stored: they are written to a temporary folder for the
command-line runs and deleted).  Reported, each the median of --repeat runs, the three sides
alternated in this one process (one core):

- `extract` (quotegraph.Extractor.extract_many: read, layout, parse, attribution, learned
  stages, people, dedup, serialise), articles/s and words/s (words: whitespace-separated);
- spaCy's full default pipeline alone (`spacy.load(model)`, every enabled component);
- spaCy's parse + NER alone (tok2vec, parser, ner);
- the ratios extract / full pipeline and extract / parse + NER (the issue's goal: >= 1.3 against
  the full pipeline);
- peak RSS of `quotegraph extract` over all the texts (a separate process, --format jsonl);
- time to first result: wall time of `quotegraph extract examples/seed-article.txt` (median of 3).

--levers also times `extract` with each of the parse stand-ins of quotegraph.pipeline.nlp off (the spaCy
components as they are, the cached lemmatizer alone, the cached attribute ruler alone), in the
same alternation: what each one buys.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "seed-article.txt"


def texts_from(polnear: str | None) -> tuple[str, list[str]]:
    if polnear:
        from quotegraph.evaluation.polnear import load_split

        texts = [a.text for a in load_split(polnear, "dev")]
        return f"PolNeAR dev ({len(texts)} articles)", texts
    out = [EXAMPLE.read_text(encoding="utf-8")]
    out += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "articles").glob("*.txt"))]
    return f"the example article and tests/articles ({len(out)} articles)", out


def n_words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def cli_run(args: list[str]) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in bytes, CPU seconds) of one `quotegraph` command in a fresh process."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
            "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(time.perf_counter() - t, r.ru_maxrss, r.ru_utime + r.ru_stime)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "quotegraph.cli", *args],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) * 1024, float(out[2])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", help="PolNeAR checkout: benchmark on its dev texts")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--passes", type=int, help="calls over the texts per timed run (default: 1 for PolNeAR, else 5)")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--cpu", action="store_true", help="time by this process's CPU time, not the wall clock (a shared, loaded machine)")
    ap.add_argument("--levers", action="store_true", help="also time extract with each parse stand-in off")
    args = ap.parse_args()

    import spacy

    from quotegraph import Extractor
    from quotegraph.pipeline.nlp import available_model

    what, texts = texts_from(args.polnear)
    passes = args.passes or (1 if args.polnear else 5)
    n_art, words = passes * len(texts), passes * n_words(texts)
    model = available_model()
    full = spacy.load(model)  # the full default pipeline: every enabled component
    keep = {"tok2vec", "parser", "ner"}
    parse_ner = spacy.load(model, exclude=[p for p in full.component_names if p not in keep])
    ex = Extractor()
    ex.nlp  # noqa: B018 - load before timing
    for nlp in (full, parse_ner):
        list(nlp.pipe(texts[:2]))
    list(ex.extract_many(texts[:2]))

    import functools

    import quotegraph.pipeline.extractor as qp
    from quotegraph.pipeline import nlp as qnlp

    variants = {"extract": qnlp.STAND_INS}
    if args.levers:
        variants.update({"extract_no_stand_ins": frozenset(), "extract_lemmatizer_only": frozenset({"lemmatizer"}),
                         "extract_ruler_only": frozenset({"attribute_ruler"})})
    times: dict[str, list[float]] = {k: [] for k in variants} | {"spacy_full": [], "spacy_parse_ner": []}
    clock = time.process_time if args.cpu else time.perf_counter
    for _ in range(args.repeat):
        for name, nlp in (("spacy_full", full), ("spacy_parse_ner", parse_ner)):
            t0 = clock()
            for _ in range(passes):
                for _doc in nlp.pipe(texts, batch_size=32):
                    pass
            times[name].append(clock() - t0)
        for name, kinds in variants.items():
            qp.pipe = functools.partial(qnlp.pipe, steps=qnlp.stand_ins(ex.nlp, kinds))
            t0 = clock()
            n = sum(1 for _ in range(passes) for _ in ex.extract_many(texts))
            times[name].append(clock() - t0)
            assert n == n_art
    qp.pipe = qnlp.pipe
    med = {k: statistics.median(v) for k, v in times.items()}

    with tempfile.TemporaryDirectory(prefix="qg-bench-") as tmp:
        files = []
        for i, t in enumerate(texts):
            f = Path(tmp) / f"{i:04d}.txt"
            f.write_text(t, encoding="utf-8")
            files.append(str(f))
        _, rss, _ = cli_run(["extract", *files, "--format", "jsonl"])
    firsts = [cli_run(["extract", str(EXAMPLE)]) for _ in range(3)]
    first, first_cpu = statistics.median(f[0] for f in firsts), statistics.median(f[2] for f in firsts)

    load = os.getloadavg()[0]
    res = {
        "texts": what, "passes": passes, "articles": n_art, "words": words, "repeat": args.repeat, "load_1min": round(load, 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, spaCy {spacy.__version__}",
        "pipeline_full": full.pipe_names, "pipeline_parse_ner": parse_ner.pipe_names,
        **{f"{k}_articles_s": round(n_art / v, 2) for k, v in med.items()},
        **{f"{k}_words_s": round(words / v) for k, v in med.items()},
        "ratio_extract_full": round(med["spacy_full"] / med["extract"], 3),
        "ratio_extract_parse_ner": round(med["spacy_parse_ner"] / med["extract"], 3),
        "peak_rss_mb": round(rss / 2**20), "first_result_s": round(first, 2), "first_result_cpu_s": round(first_cpu, 2),
        "clock": "process CPU time" if args.cpu else "wall",
    }
    print(f"{what} x {passes} passes, {words:,} words; median of {args.repeat} alternated runs ({res['clock']}); load {load:.2f}; {res['machine']}")
    for k, label in (("extract", "quotegraph extract"), ("spacy_full", f"spaCy full ({', '.join(full.pipe_names)})"),
                     ("spacy_parse_ner", f"spaCy parse+NER ({', '.join(parse_ner.pipe_names)})")):
        print(f"  {label}: {res[k + '_articles_s']:.1f} articles/s, {res[k + '_words_s']:,} words/s")
    for k in variants:
        if k != "extract":
            print(f"  {k.replace('_', ' ')}: {res[k + '_articles_s']:.1f} articles/s; the stand-ins' gain over it: "
                  f"{med[k] / med['extract']:.3f}x")
    print(f"  ratio extract / spaCy full: {res['ratio_extract_full']:.2f}; extract / parse+NER: {res['ratio_extract_parse_ner']:.2f}")
    print(f"  peak RSS of `quotegraph extract` over these texts: {res['peak_rss_mb']} MB")
    print(f"  time to first result (`quotegraph extract {EXAMPLE.relative_to(ROOT)}`): {res['first_result_s']:.2f} s wall, "
          f"{res['first_result_cpu_s']:.2f} s CPU")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
