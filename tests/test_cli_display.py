"""What the command line shows a person: --version, help screens, the table at 80 columns,
plurals, where `train` writes, and the outlet a closing source line gives."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quotegraph import cli
from quotegraph.read.layout import layout_plain_text

COMMANDS = [[], ["extract"], ["schema"], ["ingest"], ["search"], ["person"], ["sources"], ["export"], ["train"],
            ["train", "cues"], ["train", "attributions"], ["eval"], ["eval", "polnear"]]
TYPE_TAG = re.compile(r"<(?:bool|int|float|str|list\[[^\]]*\]|path|text)>|\{[a-z_.]+\}", re.I)


def run_main(monkeypatch, capsys, *args: str, columns: int = 80) -> tuple[int, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(sys, "argv", ["quotegraph", *args])
    with pytest.raises(SystemExit) as e:
        cli.main()
    out = capsys.readouterr()
    return e.value.code or 0, out.out + out.err


def test_version_option(monkeypatch, capsys):
    from quotegraph import __version__

    code, out = run_main(monkeypatch, capsys, "--version")
    assert code == 0
    assert out.startswith(f"quotegraph {__version__}; spaCy pipeline: ")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "quotegraph")
def test_help_has_no_type_tags_and_fits_80_columns(monkeypatch, capsys, command):
    code, out = run_main(monkeypatch, capsys, *command, "--help")
    assert code == 0 and "Usage: quotegraph" in out
    assert not TYPE_TAG.search(out), TYPE_TAG.search(out).group(0)
    assert max(len(line) for line in out.splitlines()) <= 80


def _option_help(out: str, option: str) -> str:
    line = next(ln for ln in out.splitlines() if option in ln)
    return line.split(option, 1)[1]


def test_outlet_and_person_limit_have_help(monkeypatch, capsys):
    _, out = run_main(monkeypatch, capsys, "search", "--help", columns=200)
    assert "outlet" in _option_help(out, "--outlet").lower().replace("--outlet", "")
    _, out = run_main(monkeypatch, capsys, "person", "--help", columns=200)
    assert "statements" in _option_help(out, "--limit")


ONE_QUOTE = "Harbour vote\n\n\u201cWe finally have a plan,\u201d said Mayor Ana Ruiz after the council vote on Tuesday.\n"


def test_table_fits_80_columns_and_says_one_attribution(tmp_path):
    art = tmp_path / "one.txt"
    art.write_text(ONE_QUOTE, encoding="utf-8")
    seed = Path(__file__).resolve().parents[1] / "examples" / "seed-article.txt"
    proc = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", art.name, str(seed), "--format", "table"],
                          capture_output=True, text=True, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"}, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    assert re.search(r"^one\.txt: 1 attribution *$", proc.stdout, re.M) and "1 attributions" not in proc.stdout
    assert "Ana Ruiz" in proc.stdout and "cue: said" in proc.stdout
    assert re.search(r"\d+ attributions", proc.stdout)


def test_person_view_says_1_quote_in_1_article_and_sources_fits_80_columns(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from quotegraph.corpus import ingest
    from quotegraph.corpus.cli import register

    art = tmp_path / "one.txt"
    art.write_text(ONE_QUOTE, encoding="utf-8")
    rep = ingest([str(art)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 1
    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["person", "Ana Ruiz", "--db", str(tmp_path / "c.db")])
    assert res.exit_code == 0, res.output
    assert "1 quote in 1 article" in res.stdout and "1 quotes" not in res.stdout and "1 articles" not in res.stdout
    monkeypatch.setenv("COLUMNS", "80")
    res = CliRunner().invoke(app, ["sources", "--db", str(tmp_path / "c.db")])
    assert res.exit_code == 0, res.output
    assert max(len(ln) for ln in res.stdout.splitlines()) <= 80 and "…" not in res.stdout


FIXTURE = Path(__file__).parent / "fixtures" / "brat" / "polnear"


def test_train_cues_writes_here_and_never_over_the_packaged_table(tmp_path, monkeypatch, capsys):
    from quotegraph.training.cues import DATA_FILE

    before = hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    code, out = run_main(monkeypatch, capsys, "train", "cues", str(FIXTURE))
    assert code == 0
    assert (tmp_path / "cues.json").is_file()
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() == before
    assert "written to cues.json" in out and str(DATA_FILE) in out  # how to ship it


def test_train_attributions_writes_here_and_never_over_the_packaged_model(tmp_path, monkeypatch, capsys):
    from quotegraph.learned.attributions import MODEL_FILE

    before = hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    code, out = run_main(monkeypatch, capsys, "train", "attributions", str(FIXTURE))
    assert code == 0, out
    assert (tmp_path / "attribution_model.tsv").is_file()
    assert hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest() == before
    assert "written to attribution_model.tsv" in out and f"cp attribution_model.tsv {MODEL_FILE}" in out


@pytest.mark.parametrize("line,outlet", [
    ("source: dailymail.co.uk", "dailymail.co.uk"),
    ("Source: https://www.nytimes.com/2020/01/05/us/politics/x.html", "nytimes.com"),
    ("Source: NATO.", None),
    ("Source: Reuters/Ipsos poll of 1,000 adults", None),
    ("Originally published by: The Valley Post", "The Valley Post"),
])
def test_a_closing_source_line_gives_an_outlet_only_when_it_names_one(line, outlet):
    lay = layout_plain_text("Defence spending rises\n\n\u201cWe will spend more,\u201d the minister said.\n\n" + line)
    assert lay.publisher == outlet
    assert lay.paragraphs[-1].role == "source"
