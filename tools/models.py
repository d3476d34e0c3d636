"""Rebuild the shipped model files, or check that they are what the trainers give.

    python tools/models.py check   [--polnear DIR] [--only KIND ...]   # make check-models
    python tools/models.py retrain [--polnear DIR] [--only KIND ...]   # make retrain
    ... check --keep DIR: keep the trained files in DIR, to see how one differs

Every file of ``quotegraph.learned.store.MODELS`` is trained (``quotegraph train KIND``, from
PolNeAR's train split where it takes a corpus) into a temporary directory. ``check`` compares each
byte for byte with the shipped file and exits 1 when one differs; ``retrain`` copies them over the
shipped files once all are trained. They are trained in the order of ``MODELS``, and each trainer
runs the extractor with the models trained before it in this run (``$QUOTEGRAPH_MODEL_DIR``: the
attribution filter learns from what the new speaker and boundary models do; those two learn from
the rules' candidates only), so there is no cycle: one retrain gives files that ``check`` then
reproduces.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quotegraph.learned import store  # noqa: E402 - the tree's own package, after the path


def train_all(out: Path, polnear: str, kinds: list[str]) -> list[Path]:
    """Train each model of ``kinds`` into ``out``; the files written."""
    models = out / "models"  # what the next trainer reads: the shipped files, replaced as they are trained
    models.mkdir()
    for spec in store.MODELS:
        shutil.copyfile(spec.packaged, models / spec.name)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **{store.MODEL_DIR_ENV: str(models)})
    written = []
    for spec in store.MODELS:
        if spec.kind not in kinds:
            continue
        args = spec.train.split()[1:]  # 'train KIND [PATH/TO/PolNeAR]'
        args = [polnear if a == "PATH/TO/PolNeAR" else a for a in args]
        path = out / spec.name
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "quotegraph.cli", *args, "--out", str(path)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"trained {spec.kind} in {time.monotonic() - t0:.0f} s", file=sys.stderr)
        shutil.copyfile(path, models / spec.name)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("check", "retrain"))
    ap.add_argument("--polnear", default=str(ROOT.parent / "shared" / "datasets" / "polnear"), help="a PolNeAR checkout")
    kinds = [s.kind for s in store.MODELS]
    ap.add_argument("--only", nargs="+", choices=kinds, default=kinds, metavar="KIND", help=f"some of {', '.join(kinds)}")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="keep the trained files in DIR")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qg-models-") as tmp:
        written = train_all(Path(tmp), a.polnear, a.only)
        differ = 0
        for path in written:
            shipped = store.DATA_DIR / path.name
            if a.command == "retrain":
                shutil.copyfile(path, shipped)
                print(f"wrote {shipped}")
            elif filecmp.cmp(path, shipped, shallow=False):
                print(f"reproduced: {path.name}")
            else:
                differ += 1
                print(f"differs: {path.name} ({path.stat().st_size} bytes trained, {shipped.stat().st_size} shipped)")
            if a.keep is not None:
                a.keep.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, a.keep / path.name)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
