"""Coverage-guided fuzzing of the extractor with atheris (libFuzzer): ``make fuzz-atheris``.

Not a pytest file (its name does not start with ``test_``). quotegraph's own code is instrumented,
so libFuzzer keeps the inputs that reach new branches of it. The first byte of an input picks
how the rest is read: as plain text or as an HTML page; the bytes are decoded with
``surrogateescape``, so stray bytes become lone surrogates, as in ``tests/test_fuzz.py``.
The checks are that file's: no exception but a clear ``InputError``, every span inside the
text with start <= end and giving back its text, and the record serialisable.

The seeds are written to a scratch corpus directory at run time: the hand-written test articles
(``tests/articles``) and, when present, the real pages of ``../shared/datasets/webpages``
(their first ``--seed-bytes``; never stored in the project). Arguments after ``--`` go to
libFuzzer (``-runs=N``, ``-max_total_time=S``, ``-max_len=B``); a failing input is written by
libFuzzer as ``crash-<sha1>`` in the working directory, and replayed by passing its path.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
WEBPAGES = HERE.parent.parent / "shared" / "datasets" / "webpages"

with atheris.instrument_imports(include=["quotegraph"]):
    import quotegraph

    for _m in pkgutil.iter_modules(quotegraph.__path__):  # the stages are imported lazily: all of them now
        if not _m.ispkg and _m.name not in ("cli", "clihelp"):
            importlib.import_module(f"quotegraph.{_m.name}")

sys.path.insert(0, str(HERE))
from test_fuzz import _check, extractor  # noqa: E402

TEXT, HTML = 0, 1


def one_input(data: bytes) -> None:
    if not data:
        return
    text = data[1:].decode("utf-8", "surrogateescape")
    if data[0] % 2 == HTML:
        _check(text, path="page.html")
    else:
        _check(text)


def write_seeds(where: Path, seed_bytes: int) -> int:
    n = 0
    for p in sorted((HERE / "articles").glob("*.txt")):
        (where / f"article-{p.stem}").write_bytes(bytes([TEXT]) + p.read_bytes()[:seed_bytes])
        n += 1
    if WEBPAGES.is_dir():
        for p in sorted(WEBPAGES.glob("*.htm*")):
            (where / f"page-{n}").write_bytes(bytes([HTML]) + p.read_bytes()[:seed_bytes])
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-bytes", type=int, default=8192, help="bytes of each seed file to start from (default 8192)")
    ap.add_argument("inputs", nargs="*", help="crash files to replay instead of fuzzing")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args, libfuzzer = ap.parse_args(argv[:cut]), argv[cut + 1:]
    extractor()  # load the model before the clock starts
    if args.inputs:
        for f in args.inputs:
            one_input(Path(f).read_bytes())
            print(f"{f}: no failure")
        return
    with tempfile.TemporaryDirectory(prefix="quotegraph-atheris-") as corpus:
        n = write_seeds(Path(corpus), args.seed_bytes)
        print(f"{n} seeds in {corpus}", file=sys.stderr)
        atheris.Setup([sys.argv[0], f"-max_len={args.seed_bytes + 1}", *libfuzzer, corpus], one_input)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
