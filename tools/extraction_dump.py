"""The byte-identical check: extraction JSON of a tree against the same of another commit.

    python tools/extraction_dump.py dump OUTDIR [--polnear DIR]
    python tools/extraction_dump.py check [--base REV] [--polnear DIR]

``dump`` extracts the example article, every article of ``tests/articles`` and, when a PolNeAR
checkout is given, the texts of its dev split, and writes one JSON file per text (the
``extract --format json`` serialisation) into OUTDIR. ``check`` dumps the working tree and the
commit ``--base`` (default ``HEAD``, checked out in a temporary git worktree and run with the same
interpreter), compares the two file by file and exits 1 on the first difference it lists. The
base's dump is cached under ``$TMPDIR/quotegraph-dumps/<commit>``: rebuilding it is the slow part.

Refactors promise "behaviour unchanged"; this is how that promise is kept (``make check-identical``).
PolNeAR is third-party: the dumps stay in the temporary directory, never in the project.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def inputs(root: Path, polnear: str | None) -> list[tuple[str, Path]]:
    """``(name, path)`` of every text the check covers, in a fixed order."""
    items = [("example", root / "examples" / "seed-article.txt")]
    arts = root / "tests" / "articles"
    items += [(f"articles-{p.name}", p) for p in sorted(arts.iterdir()) if p.suffix in (".txt", ".html")]
    if polnear:
        dev = Path(polnear) / "data" / "dev" / "text"
        if not dev.is_dir():
            sys.exit(f"{dev}: not found (is {polnear} a PolNeAR checkout?)")
        items += [(f"polnear-{p.name}", p) for p in sorted(dev.glob("*.txt"))]
    return items


def dump(out: Path, polnear: str | None) -> int:
    """Extract every input with the ``quotegraph`` on ``sys.path`` into ``out``; the count."""
    from quotegraph import Extractor

    out.mkdir(parents=True, exist_ok=True)
    ex = Extractor()
    items = inputs(ROOT, polnear)
    for i, (name, path) in enumerate(items, 1):
        # the same ``path`` whichever tree or checkout runs it: the name relative to the project,
        # or polnear/NAME (its extension still picks the reader)
        stable = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else f"polnear/{path.name}"
        art = ex.extract(path.read_text(encoding="utf-8"), path=stable)
        (out / f"{name}.json").write_text(art.model_dump_json(indent=1), encoding="utf-8")
        if sys.stderr.isatty():
            print(f"\r{i}/{len(items)} {name[:60]:60}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return len(items)


def _rev(rev: str) -> str:
    return subprocess.run(["git", "rev-parse", rev], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def _dump_tree(src_root: Path, out: Path, polnear: str | None) -> None:
    """Run ``dump`` in a child whose ``quotegraph`` is ``src_root/src`` (inputs always come from this tree)."""
    env = {**os.environ, "PYTHONPATH": str(src_root / "src")}
    cmd = [sys.executable, str(Path(__file__).resolve()), "dump", str(out)] + (["--polnear", polnear] if polnear else [])
    subprocess.run(cmd, env=env, check=True)


def check(base: str, polnear: str | None) -> int:
    sha = _rev(base)
    cache = Path(tempfile.gettempdir()) / "quotegraph-dumps" / (sha + ("-polnear" if polnear else ""))
    if not (cache / "DONE").exists():
        shutil.rmtree(cache, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix="qg-base-") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), sha], cwd=ROOT, check=True)
            try:
                print(f"dumping the base {sha[:10]}", file=sys.stderr)
                _dump_tree(tree, cache, polnear)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        (cache / "DONE").write_text(sha)
    with tempfile.TemporaryDirectory(prefix="qg-now-") as tmp:
        now = Path(tmp)
        print("dumping the working tree", file=sys.stderr)
        _dump_tree(ROOT, now, polnear)
        names = sorted(p.name for p in now.glob("*.json"))
        base_names = sorted(p.name for p in cache.glob("*.json"))
        differ = [n for n in names if n not in base_names or not filecmp.cmp(now / n, cache / n, shallow=False)]
        missing = [n for n in base_names if n not in names]
    for n in differ + missing:
        print(f"differs: {n}")
    print(f"{len(names)} texts; {len(differ) + len(missing)} differ from {base} ({sha[:10]})")
    return 1 if differ or missing else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="extract every input into OUTDIR")
    d.add_argument("out", type=Path)
    d.add_argument("--polnear", help="a PolNeAR checkout: add its dev texts")
    c = sub.add_parser("check", help="compare the working tree's dump with the base commit's")
    c.add_argument("--base", default="HEAD", help="the commit to compare with (default HEAD)")
    c.add_argument("--polnear", help="a PolNeAR checkout: add its dev texts")
    a = ap.parse_args(argv)
    if a.cmd == "dump":
        dump(a.out, a.polnear)
        return 0
    return check(a.base, a.polnear)


if __name__ == "__main__":
    sys.exit(main())
