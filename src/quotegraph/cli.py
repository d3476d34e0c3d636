"""The ``quotegraph`` command line."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from enum import Enum
from typing import Optional

import typer

app = typer.Typer(
    name="quotegraph",
    help="Who said what, to whom, and according to whom: attributed quotes from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _err(msg: str) -> None:
    sys.stderr.write(f"quotegraph: {msg}\n")
    sys.stderr.flush()


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Article files (plain text or HTML), or - for standard input."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (one object, or a list for several), jsonl, or table."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to use (default: en_core_web_sm if installed, else the pinned re-upload)."),
    max_bytes: int = typer.Option(20 * 1024 * 1024, "--max-bytes", help="Refuse inputs larger than this."),
    min_unattributed_words: int = typer.Option(8, "--min-unattributed-words", help="Report quotations with no speaker found from this many words (0: never)."),
    indent: Optional[int] = typer.Option(2, "--indent", help="JSON indentation (json format)."),
    learned: bool = typer.Option(True, "--learned/--rules-only", help="Add the learned pair finder and filter to the rules (default), or use the rules alone."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0, help="Drop attributions the learned filter scores below this (default: the model's own, 0.35; 0: keep all)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extraction processes (each loads the model once); the output is the same, in the order given."),
) -> None:
    """Extract attributed quotes, one article per file, in the order given."""
    from .errors import QuotegraphError
    from .pipeline import Extractor, Options

    ex = Extractor(Options(model=model, max_bytes=max_bytes, min_unattributed_words=min_unattributed_words,
                           learned=learned, min_confidence=min_confidence), n_process=jobs)
    failures = 0
    results = []
    progress = None
    if len(paths) > 3 and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
        progress.start()
        task = progress.add_task("extract", total=len(paths))
    if jobs == 1:
        try:
            ex.nlp  # load once, before the first file, so a missing model is one clear error
        except QuotegraphError as e:
            _err(str(e))
            raise typer.Exit(2)
    first = True
    stream = format == Format.jsonl
    try:
        for path, art, error in _extracted(ex, paths, max_bytes, jobs):
            if error is not None:
                failures += 1
                _err(error)
            if progress is not None:
                progress.advance(task)
            if art is None:
                continue
            art.path = path
            if stream:
                sys.stdout.write(art.model_dump_json() + "\n")
                sys.stdout.flush()
            elif format == Format.table:
                _print_table(art, first)
                first = False
            else:
                results.append(art)
    except QuotegraphError as e:  # the model cannot be loaded in the extraction processes
        _err(str(e))
        raise typer.Exit(2)
    finally:
        ex.close()
    if progress is not None:
        progress.stop()
    if format == Format.json:
        if len(paths) == 1:
            if results:
                sys.stdout.write(results[0].model_dump_json(indent=indent) + "\n")
        else:
            data = [json.loads(a.model_dump_json()) for a in results]
            sys.stdout.write(json.dumps(data, indent=indent, ensure_ascii=False) + "\n")
    if failures:
        raise typer.Exit(1)


def _extracted(ex, paths: list[str], max_bytes: int, jobs: int):
    """(path, Article or None, error message or None) for each path, in the order given."""
    from .errors import QuotegraphError
    from .readers import read_path

    if jobs == 1:
        for path in paths:
            try:
                yield path, ex.extract_source(read_path(path, max_bytes=max_bytes)), None
            except QuotegraphError as e:
                yield path, None, str(e)
            except Exception as e:  # noqa: BLE001 - one bad input never stops the others
                yield path, None, f"{path}: extraction failed ({type(e).__name__}: {e})"
        return
    window = 16 * jobs  # paths read ahead (and in flight) at a time
    for i in range(0, len(paths), window):
        group = paths[i : i + window]
        read: list = []
        for path in group:
            try:
                read.append(read_path(path, max_bytes=max_bytes))
            except QuotegraphError as e:
                read.append(e)
        results = ex.extract_many([r for r in read if not isinstance(r, Exception)])
        for path, r in zip(group, read):
            r = r if isinstance(r, Exception) else next(results)
            if isinstance(r, Exception):
                msg = str(r) if isinstance(r, QuotegraphError) else f"{path}: extraction failed ({r})"
                yield path, None, msg
            else:
                yield path, r, None


def _print_table(art, first: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from .normalize import normalize_string

    console = Console(width=max(140, Console().width))
    t = Table(title=f"{art.path or art.id}: {len(art.quotes)} attributions", show_lines=True, title_justify="left", expand=True)
    t.add_column("id", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("quote", ratio=5)
    t.add_column("speaker", ratio=2)
    t.add_column("cue", no_wrap=True)
    t.add_column("to", ratio=1)
    t.add_column("via", ratio=2)
    for q in art.quotes:
        sp = q.speaker
        who = "—"
        if sp is not None:
            same = not sp.name or normalize_string(sp.name) == normalize_string(sp.text)
            who = sp.text if same else f"{sp.text} → {sp.name}"
            who += f" ({sp.kind})"
        text = q.text if len(q.text) <= 240 else q.text[:237] + "…"
        extra = []
        if q.nested_in:
            extra.append(f"in {q.nested_in}")
        if q.also_at:
            extra.append(f"+{len(q.also_at)} repeat{'s' if len(q.also_at) > 1 else ''}")
        t.add_row(q.id, q.kind + ("\n" + ", ".join(extra) if extra else ""), text, who, q.cue.text if q.cue else "",
                  q.addressee.text if q.addressee else "", " ← ".join(v.text for v in q.via))
    if not first:
        console.print()
    console.print(t)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the article object."""
    from .models import Article

    sys.stdout.write(json.dumps(Article.model_json_schema(), indent=2) + "\n")


@app.command()
def version() -> None:
    """Print the version of quotegraph and of the pipeline it uses."""
    from . import __version__
    from .nlp import available_model

    try:
        model = available_model()
    except Exception as e:  # noqa: BLE001
        model = f"none ({e})"
    typer.echo(f"quotegraph {__version__}; spaCy pipeline: {model}")


train_app = typer.Typer(help="Learn the shipped data files from an annotated corpus.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("cues")
def train_cues(
    directory: str = typer.Argument(..., help="PolNeAR checkout (the directory holding data/)."),
    split: str = typer.Option("train", "--split", help="Split to learn from (never test)."),
    out: Optional[str] = typer.Option(None, "--out", help="Where to write the table (default: the packaged data/cues.json)."),
) -> None:
    """Learn the cue lexicon (lemmas and counts, no text) from PolNeAR's train split."""
    from pathlib import Path

    from rich.progress import Progress

    from .training.cues import DATA_FILE, learn, save

    with Progress(transient=True) as progress:
        task = progress.add_task("learning cues", total=None)
        table = learn(directory, split, on_article=lambda: progress.advance(task))
    path = save(table, Path(out) if out else DATA_FILE)
    typer.echo(f"{len(table['cues'])} cue lemmas from {table['articles']} articles written to {path}")


@train_app.command("attributions")
def train_attributions(
    directory: str = typer.Argument(..., help="PolNeAR checkout (the directory holding data/)."),
    split: str = typer.Option("train", "--split", help="Split to learn from (never test)."),
    out: Optional[str] = typer.Option(None, "--out", help="Where to write the model (default: the packaged data/attribution_model.json)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Only the first N articles (for a quick try)."),
) -> None:
    """Learn the attribution pair model and the filter (weights over lemmas and dependency labels, no text)."""
    from pathlib import Path

    from rich.progress import Progress

    from .training.attributions import MODEL_FILE, learn, save

    with Progress(transient=True) as progress:
        task = progress.add_task("parsing articles", total=None)
        model = learn(directory, split, limit=limit, on_article=lambda: progress.advance(task),
                      on_step=lambda msg: progress.update(task, description=msg))
    path = save(model, Path(out) if out else MODEL_FILE)
    typer.echo(f"{model.about}; written to {path}")


# Commands of the other parts of the product register themselves here.
for _mod in ("quotegraph.evaluation.cli", "quotegraph.corpus.cli"):
    if importlib.util.find_spec(_mod.rsplit(".", 1)[0]) is not None and importlib.util.find_spec(_mod) is not None:
        importlib.import_module(_mod).register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
