"""The ``quotegraph`` command line."""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import json
import sys
from enum import Enum

import typer

from .models import Acts

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


ACTS_HELP = ("statements (default): what a source communicated, asserted, with its source; "
             "all: PARC's full set (beliefs, intentions, knowledge, negated and hypothetical reports), as PolNeAR counts them.")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    """``1 quote``, ``2 quotes``."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _version_callback(value: bool) -> None:
    if value:
        from . import __version__
        from .pipeline.nlp import available_model

        try:
            model = available_model()
        except Exception as e:  # noqa: BLE001 - the version is printed all the same
            model = f"none ({e})"
        typer.echo(f"quotegraph {__version__}; spaCy pipeline: {model}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Print the version of quotegraph and of the spaCy pipeline it uses, and exit."),
) -> None:
    """Who said what, to whom, and according to whom: attributed quotes from news articles."""


def _err(msg: str) -> None:
    sys.stderr.write(f"quotegraph: {msg}\n")
    sys.stderr.flush()


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Article files (plain text or HTML), - for standard input, or http(s) URLs of pages, RSS/Atom feeds and sitemaps."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (one object, or a list for several), jsonl, or table."),
    model: str | None = typer.Option(None, "--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm if installed, else the pinned re-upload)."),
    max_bytes: int = typer.Option(20 * 1024 * 1024, "--max-bytes", metavar="N", help="Refuse inputs larger than N bytes."),
    min_unattributed_words: int = typer.Option(8, "--min-unattributed-words", metavar="N", help="Report quotations with no speaker found from this many words (0: never)."),
    indent: int | None = typer.Option(2, "--indent", metavar="N", help="JSON indentation (json format)."),
    learned: bool = typer.Option(True, "--learned/--rules-only", help="Add the learned pair finder and filter to the rules (default), or use the rules alone."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0.0, max=1.0, metavar="P", help="Drop records whose confidence (the calibrated probability that the record is right, speaker included) is below P (default: keep all; with --rules-only the rules' own, uncalibrated scores)."),
    filter_threshold: float | None = typer.Option(None, "--filter-threshold", min=0.0, max=1.0, metavar="P", help="Drop attributions the learned filter scores below this (default: the model's own, 0.35; 0: keep all)."),
    acts: Acts = typer.Option(Acts.STATEMENTS, "--acts", help=ACTS_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Extraction processes (each loads the model once); the output is the same, in the order given."),
    outlet: str | None = typer.Option(None, "--outlet", metavar="NAME", help="The publisher of every article that names none in its sidecar file (article.meta.json or article.json next to it) or its page."),
    date: str | None = typer.Option(None, "--date", metavar="DATE", help="The date (absolute: 2024-03-14) of every article whose sidecar file gives none."),
    delay: float = typer.Option(1.0, "--delay", min=0, metavar="SECONDS", help="URLs: wait between two requests to the same host."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, metavar="SECONDS", help="URLs: give up a request that does not answer within this."),
) -> None:
    """Extract attributed quotes, one article per file or page, in the order given (a feed's or sitemap's pages in its order)."""
    from .corpus.given import option_meta, read_sidecar
    from .errors import QuotegraphError
    from .pipeline import Extractor, Options
    from .read.fetch import FetchOptions
    from .read.inputs import Inputs
    from .read.readers import is_url

    try:
        given = option_meta(outlet, date)
    except ValueError as e:
        _err(str(e))
        raise typer.Exit(2) from None

    ex = Extractor(Options(model=model, max_bytes=max_bytes, min_unattributed_words=min_unattributed_words,
                           learned=learned, min_confidence=min_confidence, filter_threshold=filter_threshold,
                           acts=acts.value), n_process=jobs)
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
            ex.load()  # once, before the first file, so a missing model is one clear error
        except QuotegraphError as e:
            _err(str(e))
            raise typer.Exit(2) from None
    first = True
    stream = format == Format.jsonl
    inputs = Inputs(paths, max_bytes, FetchOptions(delay=delay, timeout=timeout, max_bytes=max_bytes))
    try:
        for path, art, error in _extracted(ex, inputs, jobs):
            if error is not None:
                failures += 1
                _err(error)
            if progress is not None:
                progress.advance(task)
            if art is None:
                continue
            art.path = path
            meta = (read_sidecar(path) if path != "-" and not is_url(path) else given).over(given)
            for warning in meta.warnings:
                _err(f"warning: {path}: {warning}")
            meta.apply(art)
            if stream:
                _write_json(art, None)
                sys.stdout.write("\n")
                sys.stdout.flush()
            elif format == Format.table:
                _print_table(art.article() if hasattr(art, "article") else art, first)
                first = False
            else:
                results.append(art)
    except QuotegraphError as e:  # the model cannot be loaded in the extraction processes
        _err(str(e))
        raise typer.Exit(2) from None
    finally:
        ex.close()
    if progress is not None:
        progress.stop()
    if format == Format.json:
        if len(paths) == 1 and not inputs.listed:  # a feed or sitemap gives a list, however long
            if results:
                _write_json(results[0], indent)
                sys.stdout.write("\n")
        else:
            data = [json.loads((a.article() if hasattr(a, "article") else a).model_dump_json()) for a in results]
            sys.stdout.write(json.dumps(data, indent=indent, ensure_ascii=False) + "\n")
    if failures:
        raise typer.Exit(1)


def _write_json(art, indent: int | None) -> None:
    """An article's JSON on stdout; a huge text's (segments.LongArticle) piece by piece."""
    if hasattr(art, "write_json"):
        art.write_json(sys.stdout, indent=indent)
    else:
        sys.stdout.write(art.model_dump_json(indent=indent))


def _read(inputs):
    """(name, Source or QuotegraphError) of each input (``read.inputs``), its reading warnings said on stderr."""
    for path, src in inputs.read():
        for warning in getattr(src, "warnings", ()):
            _err(f"{path}: warning: {warning}")
        yield path, src


def _extracted(ex, inputs, jobs: int):
    """(path, Article or None, error message or None) for each input, in the order given."""
    from .errors import QuotegraphError
    from .read.segments import SEGMENT_CHARS, extract_long_compact

    if jobs == 1:
        for path, src in _read(inputs):
            try:
                if isinstance(src, Exception):
                    raise src
                if src.format == "text" and len(src.content) > SEGMENT_CHARS:
                    # a huge plain text: in segments, kept compact (memory bounded)
                    yield path, extract_long_compact(ex.extract_source, src), None
                else:
                    yield path, ex.extract_source(src), None
                del src
            except QuotegraphError as e:
                yield path, None, str(e)
            except Exception as e:  # noqa: BLE001 - one bad input never stops the others
                yield path, None, f"{path}: extraction failed ({type(e).__name__}: {e})"
        return
    window = 16 * jobs  # inputs read ahead (and in flight) at a time
    sources = _read(inputs)
    while True:
        pairs = list(itertools.islice(sources, window))
        if not pairs:
            return
        group = [p for p, _ in pairs]
        read = [r for _, r in pairs]
        results = ex.extract_many([r for r in read if not isinstance(r, Exception)])
        for path, r in zip(group, read, strict=False):
            r = r if isinstance(r, Exception) else next(results)
            if isinstance(r, Exception):
                msg = str(r) if isinstance(r, QuotegraphError) else f"{path}: extraction failed ({r})"
                yield path, None, msg
            else:
                yield path, r, None


def _print_table(art, first: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from .read.normalize import normalize_string

    console = Console()
    wide = console.width >= 120  # narrower: cue, addressee and sources go under the speaker
    t = Table(title=f"{art.path or art.id}: {_plural(len(art.quotes), 'attribution')}", show_lines=True,
              title_justify="left", expand=True)
    t.add_column("id", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("quote", ratio=5)
    t.add_column("speaker", ratio=2 if wide else 3)
    if wide:
        t.add_column("cue", ratio=1)
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
        kind = q.kind + ("\n" + "\n".join(extra) if extra else "")
        to, via = q.addressee.text if q.addressee else "", " ← ".join(v.text for v in q.via)
        if wide:
            t.add_row(q.id, kind, text, who, q.cue.text if q.cue else "", to, via)
        else:
            cue = q.cue.text if q.cue else ""
            who += (f"\ncue: {cue}" if cue else "") + (f"\nto: {to}" if to else "") + (f"\nvia: {via}" if via else "")
            t.add_row(q.id, kind, text, who)
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
    from .pipeline.nlp import available_model

    try:
        model = available_model()
    except Exception as e:  # noqa: BLE001
        model = f"none ({e})"
    typer.echo(f"quotegraph {__version__}; spaCy pipeline: {model}")


@app.command()
def serve(
    db: str = typer.Option("quotegraph.db", "--db", help="The corpus store (read-only; an ingest may write to it meanwhile)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless told otherwise)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    demo: bool = typer.Option(False, "--demo", help="Serve a demo store built from the example and hand-written articles."),
    token: str | None = typer.Option(None, "--token", envvar="QUOTEGRAPH_API_TOKEN", show_default=False,
                                        help="API token that POST /api/extract, /paste and every write require "
                                             "(Authorization: Bearer TOKEN); needed to listen beyond loopback. "
                                             "The environment variable keeps it out of the process list."),
    extract_timeout: float = typer.Option(60.0, "--extract-timeout", min=0.1, envvar="QUOTEGRAPH_EXTRACT_TIMEOUT",
                                          metavar="SECONDS", help="Time limit of one extraction (then 503)."),
    rate_limit: float = typer.Option(60.0, "--rate-limit", min=0, envvar="QUOTEGRAPH_RATE_LIMIT", metavar="N",
                                     help="Extractions a minute per client (then 429); 0: no limit."),
    fetch_urls: str | None = typer.Option(None, "--fetch-urls", metavar="off|public|all",
                                          help="Whether the paste page fetches a URL it is given: off, public (public addresses only), "
                                               "all. Default: all on loopback, off beyond it (docs/fetching.md: SSRF)."),
) -> None:
    """The web app and JSON API (/api/) over a corpus store."""
    import sqlite3

    from .web.fetching import FETCH_MODES
    from .web.server import is_loopback
    from .web.server import serve as run
    from .web.state import Settings

    if fetch_urls is not None and fetch_urls not in FETCH_MODES:
        _err(f"--fetch-urls {fetch_urls}: choose one of {', '.join(FETCH_MODES)}")
        raise typer.Exit(2)
    fetch = fetch_urls or ("all" if is_loopback(host) else "off")
    settings = Settings(api_token=token or None, extract_timeout=extract_timeout, rate_limit=rate_limit, fetch_urls=fetch)
    try:
        run(None if demo else db, host, port, demo=demo, settings=settings)
    except sqlite3.DatabaseError as e:
        _err(f"{db}: cannot open the corpus ({e})")
        raise typer.Exit(2) from None
    except (OSError, RuntimeError) as e:
        _err(str(e))
        raise typer.Exit(2) from None


train_app = typer.Typer(help="Learn the shipped data files from an annotated corpus.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("cues")
def train_cues(
    directory: str = typer.Argument(..., metavar="DIR", help="PolNeAR checkout (the directory holding data/)."),
    split: str = typer.Option("train", "--split", metavar="NAME", help="Split to learn from (never test)."),
    out: str = typer.Option("cues.json", "--out", metavar="FILE", help="Where to write the table (default: cues.json here; the packaged one is never overwritten unless named)."),
) -> None:
    """Learn the cue lexicon (lemmas and counts, no text) from PolNeAR's train split."""
    from pathlib import Path

    from rich.progress import Progress

    from .training.cues import DATA_FILE, learn, save

    with Progress(transient=True) as progress:
        task = progress.add_task("learning cues", total=None)
        table = learn(directory, split, on_article=lambda: progress.advance(task))
    path = save(table, Path(out))
    typer.echo(f"{_plural(len(table['cues']), 'cue lemma')} from {_plural(table['articles'], 'article')} written to {path}")
    if Path(path).resolve() != DATA_FILE.resolve():
        typer.echo(f"to ship it, copy it over the packaged table: cp {path} {DATA_FILE}")


# the models learned from PolNeAR: command -> (what it learns, default file name, the module with
# ``learn``, the module with ``save`` and ``MODEL_FILE``)
_MODEL_TRAINERS = {
    "attributions": ("Learn the attribution pair model and the filter (weights over lemmas and dependency labels, no text).",
                     "attribution_model.tsv", ".training.attributions", ".training.attributions"),
    "speakers": ("Learn the speaker model: which mention is an attribution's source (weights over dependency labels and tags, no text).",
                 "speaker_model.json.gz", ".training.speakers", ".attribute.speakers"),
    "referents": ("Learn the referent model: which person a pronoun or a role refers to (weights over distance, agreement and discourse features, no text).",
                  "referent_model.json.gz", ".training.referents", ".attribute.referents"),
    "boundaries": ("Learn the boundary model: where each content starts and ends (weights over dependency labels, tags and stop words, no text).",
                   "boundary_model.json.gz", ".training.boundaries", ".training.boundaries"),
    "confidence": ("Learn the confidence model: a calibrated probability that a record is right, speaker included (weights over record features and an isotonic map, no text; needs pip install 'quotegraph[train]').",
                   "confidence_model.json", ".training.confidence", ".training.confidence"),
    "acts": ("Learn the act model: whether a cue reports a statement, a belief, an intention or knowledge (weights over lemmas, verb classes and grammar, no text), from the hand-labelled train cues (eval/acts/).",
             "act_model.json", ".training.acts", ".learned.acts"),
}


def _model_command(name: str, doc: str, default_out: str, learn_module: str, save_module: str) -> None:
    """Register ``quotegraph train NAME``: learn one model from PolNeAR with a progress bar."""

    def command(
        directory: str = typer.Argument(..., metavar="DIR", help="PolNeAR checkout (the directory holding data/)."),
        split: str = typer.Option("train", "--split", metavar="NAME", help="Split to learn from (never test)."),
        out: str = typer.Option(default_out, "--out", metavar="FILE", help=f"Where to write the model (default: {default_out} here; the packaged one is never overwritten unless named)."),
        limit: int | None = typer.Option(None, "--limit", min=1, metavar="N", help="Only the first N articles (for a quick try)."),
    ) -> None:
        learn = importlib.import_module(learn_module, __package__).learn
        saving = importlib.import_module(save_module, __package__)
        _train(learn, saving.save, saving.MODEL_FILE, directory, split, limit, out)

    command.__doc__ = doc
    command.__name__ = f"train_{name}"
    train_app.command(name)(command)


for _name, _spec in _MODEL_TRAINERS.items():
    _model_command(_name, *_spec)


def _train(learn, save, model_file, directory: str, split: str, limit: int | None, out: str) -> None:
    """Learn a model with a progress bar, write it to ``out`` and say how to ship it."""
    from pathlib import Path

    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("parsing articles", total=None)
        model = learn(directory, split, limit=limit, on_article=lambda: progress.advance(task),
                      on_step=lambda msg: progress.update(task, description=msg))
    path = save(model, Path(out))
    typer.echo(f"{model.about}; written to {path}")
    if Path(path).resolve() != Path(model_file).resolve():
        typer.echo(f"to ship it, copy it over the packaged model: cp {path} {model_file}")


@train_app.command("names")
def train_names(
    out: str = typer.Option("given_names.tsv.gz", "--out", metavar="FILE", help="Where to write the table (default: given_names.tsv.gz here; the packaged one is never overwritten unless named)."),
) -> None:
    """Build the given-name gender table from the nomquamgender package's data (pip install 'quotegraph[train]')."""
    from pathlib import Path

    from .people.names import GIVEN_NAMES_FILE
    from .training.names import build

    try:
        path, n = build(Path(out))
    except FileNotFoundError as e:
        raise typer.BadParameter(str(e)) from None
    typer.echo(f"{n} given names written to {path}")
    if Path(path).resolve() != GIVEN_NAMES_FILE.resolve():
        typer.echo(f"to ship it, copy it over the packaged table: cp {path} {GIVEN_NAMES_FILE}")


# Commands of the other parts of the product register themselves here.
for _mod in ("quotegraph.evaluation.cli", "quotegraph.corpus.cli"):
    if importlib.util.find_spec(_mod.rsplit(".", 1)[0]) is not None and importlib.util.find_spec(_mod) is not None:
        importlib.import_module(_mod).register(app)


def main() -> None:
    import typer.main

    from .clihelp import plain_help

    plain_help(typer.main.get_command(app))(prog_name="quotegraph")


if __name__ == "__main__":
    main()
