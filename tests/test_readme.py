"""The README's example output is what `make run` prints.

`make run` is `quotegraph extract examples/seed-article.txt --format table`; the README shows its
output on a terminal 80 columns wide, in the fenced block after the ``make-run-output`` marker.
Trailing spaces (rich pads the title line to the width) are not compared.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- make-run-output:"


def readme_block(text: str) -> list[str]:
    """The lines of the fenced block that follows the marker."""
    after = text[text.index(MARKER):].split("\n")
    opening = next(i for i, line in enumerate(after) if line.startswith("```"))
    closing = next(i for i in range(opening + 1, len(after)) if after[i].startswith("```"))
    return after[opening + 1 : closing]


def test_readme_block_is_found_whole() -> None:
    doc = f"intro\n{MARKER} x -->\n```text\nfirst\n  second  \n```\nafter\n"
    assert readme_block(doc) == ["first", "  second  "]


def test_readme_example_output_is_what_make_run_prints() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env.update(COLUMNS="80", LINES="50", PYTHONIOENCODING="utf-8", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "quotegraph.cli", "extract", "examples/seed-article.txt", "--format", "table"],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    printed = [line.rstrip() for line in proc.stdout.rstrip("\n").split("\n")]
    shown = [line.rstrip() for line in readme_block((ROOT / "README.md").read_text(encoding="utf-8"))]
    assert printed[0].startswith("examples/seed-article.txt: ") and len(printed) > 20
    assert shown == printed, "README.md's example output differs from `make run`'s; paste the new output into it"
