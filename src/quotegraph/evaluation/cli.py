"""``quotegraph eval ...``: evaluation commands (registered onto the main Typer app)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console, JustifyMethod
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from quotegraph.evaluation.metrics import TYPES
from quotegraph.models import Acts

console = Console(stderr=True)
out = Console()


def _inside_git_tree(path: Path) -> Path | None:
    """The working tree containing ``path`` (or its would-be parent), if any."""
    p = path.expanduser().resolve()
    for d in [p, *p.parents]:
        if (d / ".git").exists():
            return d
    return None


def _project_root() -> Path | None:
    here = Path(__file__).resolve()
    for d in here.parents:
        if (d / "pyproject.toml").exists():
            return d
    return None


def check_report_path(path: Path) -> None:
    """Refuse to write corpus text into a repository (the report quotes unlicensed articles)."""
    resolved = path.expanduser().resolve()
    root = _project_root()
    tree = _inside_git_tree(resolved)
    if tree is not None or (root is not None and (resolved == root or root in resolved.parents)):
        raise typer.BadParameter(
            f"{path} is inside a repository ({tree or root}); the error report quotes corpus text,"
            " write it outside any repository (e.g. /tmp/polnear-errors.md)",
            param_hint="--errors",
        )


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def results_tables(evaluation) -> list[Table]:
    from quotegraph.evaluation.polnear import METRIC_LABELS, PEERS, TARGETS

    s = evaluation.totals.scores
    main = Table(title=f"PolNeAR {evaluation.split}: {len(evaluation.runs)} articles, {s['content_exact'].gold['all']} gold attributions, {s['content_exact'].pred['all']} predicted quotes")
    columns: tuple[tuple[str, JustifyMethod], ...] = (("metric", "left"), ("P", "right"), ("R", "right"), ("F1", "right"),
                                                     ("target", "right"), ("GGT", "right"), ("human", "right"))
    for col, just in columns:
        main.add_column(col, justify=just)
    for m, label in METRIC_LABELS.items():
        if m == "speaker_accuracy":
            v = 100 * evaluation.totals.speaker.value
            sp = evaluation.totals.speaker
            row_vals = ["", "", f"{v:.1f}"]
            label = f"{label} ({sp.correct}/{sp.total})"
        else:
            sc = s[m]
            v = 100 * sc.f1()
            row_vals = [_pct(sc.precision()), _pct(sc.recall()), f"{v:.1f}"]
        target = TARGETS.get(m)
        tstr = "" if target is None else (f"[green]≥{target:g}[/]" if v >= target else f"[red]≥{target:g}[/]")
        main.add_row(label, *row_vals, tstr, f"{PEERS['GGT'].get(m, '')}", f"{PEERS['human'].get(m, '')}")
    ind = 100 * s["content_lenient30"].recall("indirect")
    t = TARGETS["indirect_lenient30_recall"]
    main.add_row("indirect lenient 30% recall", "", f"{ind:.1f}", "", f"[green]≥{t:g}[/]" if ind >= t else f"[red]≥{t:g}[/]", "", "")

    by = Table(title="By quote type: P by predicted kind, R by gold type")
    by.add_column("metric")
    by.add_column("type")
    for col in ("gold", "pred", "P", "R", "F1"):
        by.add_column(col, justify="right")
    for m, label in METRIC_LABELS.items():
        if m == "speaker_accuracy":
            continue
        sc = s[m]
        for i, ty in enumerate(TYPES):
            by.add_row(
                label if i == 0 else "",
                ty,
                str(sc.gold[ty]),
                str(sc.pred[ty]),
                _pct(sc.precision(ty)),
                _pct(sc.recall(ty)),
                _pct(sc.f1(ty)),
                end_section=i == len(TYPES) - 1,
            )
    from quotegraph.evaluation.metrics import BOUNDARY_ERRORS

    bt = evaluation.totals.boundary_table()
    bounds = Table(title="Boundary errors: contents matched at 30% but not exactly, by gold type")
    bounds.add_column("kind")
    for col in TYPES + ("all",):
        bounds.add_column(col, justify="right")
    for k in ("any",) + BOUNDARY_ERRORS:
        bounds.add_row("not exact" if k == "any" else k.replace("_", " "), *(str(bt[k][t]) for t in TYPES + ("all",)))
    return [main, by, bounds]


class _Bar:
    """A progress bar over the articles or pages of one evaluation: ``on_start(n)``, ``on_done(name)``."""

    def __init__(self, width: int, remaining: bool = True):
        cols = [SpinnerColumn(), TextColumn("[bold]extracting[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        if remaining:
            cols.append(TimeRemainingColumn())
        cols.append(TextColumn("{task.fields[current]}", style="dim"))
        self.progress = Progress(*cols, console=console, transient=False)
        self.width = width
        self.task: TaskID | None = None

    def on_start(self, n: int) -> None:
        self.task = self.progress.add_task("extract", total=n, current="")

    def on_done(self, name: str) -> None:
        assert self.task is not None  # the evaluation calls on_start before any on_done
        self.progress.update(self.task, advance=1, current=name[: self.width])


def polnear_cmd(
    directory: Path = typer.Argument(..., help="PolNeAR checkout (the directory holding data/) or its data/ directory.", exists=True, file_okay=False),
    split: str = typer.Option("dev", "--split", help="Split to evaluate: dev or train (test is held out)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write all figures as JSON to this file."),
    errors: Path | None = typer.Option(None, "--errors", help="Write a markdown error report (quotes corpus text: keep it outside the repository)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N articles (by name)."),
    acts: Acts = typer.Option(Acts.ALL, "--acts", help="The records scored: all (default: PARC's full set, as PolNeAR's annotators mark them) or statements (the default output)."),
) -> None:
    """Score the extractor against PolNeAR attributions (content, cue, source, end to end)."""
    from quotegraph.evaluation import polnear

    if split in polnear.HELD_OUT_SPLITS:
        raise typer.BadParameter(f"the {split!r} split is held out", param_hint="--split")
    if errors is not None:
        check_report_path(errors)
    with console.status("loading the extractor…"):
        from quotegraph import Extractor, Options

        extractor = Extractor(Options(acts=acts.value))
    bar = _Bar(40)
    try:
        with bar.progress:
            evaluation = polnear.evaluate(directory, split, limit=limit, extractor=extractor, on_start=bar.on_start,
                                          on_done=lambda article: bar.on_done(article.name))
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    _print_polnear(evaluation)
    if json_out is not None:
        polnear.write_json(evaluation, json_out)
        console.print(f"figures written to {json_out}")
    if errors is not None:
        polnear.write_error_report(evaluation, errors)
        console.print(f"error report written to {errors}")


def _print_polnear(evaluation) -> None:
    if evaluation.warnings:
        console.print(f"[yellow]{len(evaluation.warnings)} annotation warning(s)[/], e.g.:")
        for w in evaluation.warnings[:5]:
            console.print(f"  [yellow]•[/] {w}")
    if evaluation.failed:
        console.print(f"[red]the extractor raised on {len(evaluation.failed)} article(s)[/] (scored as empty):")
        for r in evaluation.failed[:10]:
            console.print(f"  [red]•[/] {r.article.name}: {r.error}")
    for table in results_tables(evaluation):
        out.print(table)
    out.print(
        f"{len(evaluation.runs)} articles in {evaluation.seconds:.1f} s"
        f" ({evaluation.seconds / max(1, len(evaluation.runs)):.2f} s/article);"
        f" extractor errors: {len(evaluation.failed)}"
    )


ACT_SETS: tuple[str, ...] = tuple(Acts)


def web_cmd(
    pages_dirs: list[Path] = typer.Argument(..., help="Folder(s) of the pages the gold was made on: ../shared/datasets/webpages and ../shared/datasets/article-bodies/html; a gold page in none of them is skipped."),
    gold: Path = typer.Option(Path("eval/webgold"), "--gold", help="Folder of webgold files (offsets + hashes)."),
    half: str = typer.Option("all", "--half", help="Pages scored: tuning, reporting (never tune on it) or all (eval/webgold-split.json)."),
    acts: str = typer.Option("statements", "--acts", help="statements: the default output against the gold's sourced statements; all: the full PARC set, the PARC-style figures."),
    split_file: Path = typer.Option(Path("eval/webgold-split.json"), "--split", help="The tuning/reporting split of the gold pages."),
    json_out: Path | None = typer.Option(None, "--json", help="Write all figures (counts only) as JSON to this file."),
    show_errors: bool = typer.Option(False, "--show-errors", help="Print per-record errors to the terminal (quotes page text; never saved)."),
) -> None:
    """Score the extractor on the real-web gold: sourced statements, sources, speakers (or, with --acts all, PARC-style records)."""
    import json

    from quotegraph.evaluation import webgold, webgold_sourced

    root = _project_root()
    if not gold.is_dir() and gold == Path("eval/webgold") and root is not None:
        gold = root / "eval" / "webgold"  # the checkout's own gold, from any directory
    if not split_file.is_file() and split_file == Path("eval/webgold-split.json") and root is not None:
        split_file = root / "eval" / "webgold-split.json"
    if acts not in ACT_SETS:
        console.print(f"[red]error:[/] --acts {acts!r}: not one of {', '.join(ACT_SETS)}")
        raise typer.Exit(2)
    extractor = _web_extractor(acts)
    bar = _Bar(30, remaining=False)
    try:
        split = webgold_sourced.load_split(split_file)
        only = webgold_sourced.pages_of(split, half)
        with bar.progress:
            ev = webgold.evaluate(pages_dirs, gold, extractor=extractor, on_start=bar.on_start, on_done=bar.on_done, only=only)
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    columns = {half: webgold_sourced.figures(ev.pages)}
    if half == "all":  # one run gives both halves' figures too
        for h in webgold_sourced.HALVES:
            columns[h] = webgold_sourced.figures(p for p in ev.pages if p.page in set(split[h]))
    figs = columns[half]
    tables = web_tables(ev) if acts == "all" else [sourced_table(columns), web_tables(ev)[-1]]
    for table in tables:
        out.print(table)
    d = ev.to_dict()
    d.update(half=half, acts=acts, sourced_statements=figs.to_dict(), sourced_statements_by_half={h: f.to_dict() for h, f in columns.items()})
    why = ", ".join(f"{k} {v}" for k, v in d["speaker_errors"].items()) or "none"
    out.print(f"speaker errors: {why}")
    out.print(f"not-quotes predicted as quotes: {d['not_quote_false_positives']}; {len(ev.pages)} pages in {ev.seconds:.1f} s")
    if ev.skipped:
        console.print(f"[yellow]{len(ev.skipped)} gold page(s) skipped: not in {', '.join(map(str, pages_dirs))} "
                      "(the article-bodies pages are in ../shared/datasets/article-bodies/html)[/]")
    for p in ev.pages:
        if p.error:
            console.print(f"[red]error:[/] {p.page}: {p.error}")
        elif p.lost:
            console.print(f"[yellow]{p.page}: {len(p.lost)} gold attribution(s) not re-found in the changed text[/]")
    if show_errors:
        _print_web_errors(ev, extractor, pages_dirs)
    if json_out is not None:
        json_out.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
        console.print(f"figures written to {json_out}")


def _web_extractor(acts: str):
    """The extractor as the product runs it, with ``acts``: its default output ("statements") or
    the full PARC set ("all")."""
    from quotegraph import Extractor
    from quotegraph.pipeline.options import Options

    return Extractor(Options(acts=acts))


def sourced_table(columns: dict) -> Table:
    """The issue-#23 figures, one column per half (``SourcedFigures`` by half name): precision and
    recall on sourced statements, source type and name, direct speakers, confidence."""
    t = Table(title="Real-web gold, sourced statements (default output)")
    t.add_column("figure", justify="left")
    for h, f in columns.items():
        t.add_column(f"{h} ({f.pages} pages)", justify="right")
    rows = (
        ("precision (records that are sourced statements)", "precision"),
        ("recall (sourced statements found)", "recall"),
        ("source type right (matched)", "source_type"),
        ("source name right (matched)", "source_name"),
        ("speaker of direct quotes right", "direct_speaker"),
        ("records at confidence >= 0.9", "confident_share"),
        ("  of them right, speaker included", "confident_right"),
    )
    for name, attr in rows:
        cells = [getattr(f, attr) for f in columns.values()]
        t.add_row(name, *(f"{_pct(c.value)} ({c.hit}/{c.n})" for c in cells))
    return t


def _print_web_errors(ev, extractor, pages_dirs: list[Path]) -> None:
    """Per-record errors on the terminal (they quote page text: never written to a file)."""
    from quotegraph.evaluation import webgold
    from quotegraph.evaluation.webgold_convert import read_page

    texts: dict[str, str] = {}

    def text_of(page: str) -> str:
        if page not in texts:
            path = webgold.find_page(page, pages_dirs)
            texts[page] = extractor.prepare(read_page(path)).layout.text if path else ""
        return texts[page]

    for line in webgold.error_lines(ev, text_of):
        out.print(line, markup=False, highlight=False, soft_wrap=True)


def confidence_cmd(
    directory: Path = typer.Argument(..., help="PolNeAR checkout (the directory holding data/) or its data/ directory.", exists=True, file_okay=False),
    split: str = typer.Option("dev", "--split", help="Split to evaluate: dev or train (test is held out)."),
    svg: Path | None = typer.Option(None, "--svg", help="Write the reliability diagram (SVG, no corpus text) to this file."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N articles (by name)."),
) -> None:
    """The reliability of Quote.confidence on PolNeAR: predicted against observed in 10 bins, ECE,
    and the records at 0.9 or above (a record is right when its content and speaker match a gold
    attribution, as in the end-to-end score)."""
    from quotegraph import Extractor
    from quotegraph.evaluation import polnear, reliability

    if split in polnear.HELD_OUT_SPLITS:
        raise typer.BadParameter(f"the {split!r} split is held out", param_hint="--split")
    extractor = Extractor()
    bar = _Bar(0, remaining=True)
    try:
        with bar.progress:
            bar.on_start(len(polnear.load_split(directory, split, limit=limit)))
            records = reliability.polnear_records(directory, split, extractor, limit=limit, on_done=lambda: bar.on_done(""))
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    title = f"PolNeAR {split}"
    out.print(reliability.markdown(records, title), markup=False, highlight=False, soft_wrap=True)
    if svg is not None:
        svg.parent.mkdir(parents=True, exist_ok=True)
        svg.write_text(reliability.svg([(title, records)], f"Reliability of Quote.confidence, {title}"), encoding="utf-8")
        console.print(f"diagram written to {svg}")


def gender_cmd(
    paths: list[Path] = typer.Argument(..., metavar="PATHS", help="Folders holding the gold's articles: the real-web pages "
                                       "(a folder of pages, or one with an html/ folder) and the PolNeAR checkout."),
    half: str = typer.Option("all", "--half", metavar="HALF", help="tuning, reporting or all."),
    gold: Path = typer.Option(Path("eval/gender/gold.json"), "--gold", metavar="FILE", help="The hand-checked people."),
    sweep: bool = typer.Option(False, "--sweep", help="Also score the name thresholds 0.1, 0.05, 0.02, 0.01 and 0 (choose on --half tuning only)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """People's gender against the hand-checked people of eval/gender: accuracy on the people the
    tool labels, coverage, and women's share by the tool against by hand."""
    import json

    from quotegraph.evaluation import gender

    try:
        gold_people = gender.load_gold(gold, half)
        bar = _Bar(0)
        with bar.progress:
            bar.on_start(len(gold_people))
            arts, absent = gender.extract_all(gold_people, paths, on_done=bar.on_done)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if absent:
        console.print(f"{len(absent)} gold articles not found under the given folders (skipped)")
    results = {"default": gender.score(arts, gold_people).to_json()}
    if sweep:
        for t in (0.1, 0.05, 0.02, 0.01, 0.0):
            results[f"name_threshold={t}"] = gender.score(arts, gold_people, t).to_json()
    if as_json:
        out.print_json(json.dumps({"half": half, "articles": len(arts), **results}))
        return
    table = Table(title=f"gender, {half} half, {len(arts)} articles",
                  caption="told: people the gold can tell; labelled: of them, those the tool labels; "
                          "acc: right of labelled; cover: labelled of told; women %: of people by hand "
                          "/ by tool; non-pers: non-persons the tool labels")
    for col in ("run", "told", "labelled", "acc %", "cover %", "women % hand", "women % tool", "non-pers"):
        table.add_column(col, justify="left" if col == "run" else "right", overflow="fold")
    for run, r in results.items():
        table.add_row(run, str(r["people_told"]), str(r["labelled"]), _pct(r["accuracy"]), _pct(r["coverage"]),
                      _pct(r["women_share_by_hand"]), _pct(r["women_share_by_tool"]), str(r["labelled_not_person"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command group to ``app``."""
    eval_app = typer.Typer(help="Measure extraction accuracy on annotated corpora.", no_args_is_help=True)
    eval_app.command("polnear")(polnear_cmd)
    eval_app.command("web")(web_cmd)
    eval_app.command("confidence")(confidence_cmd)
    eval_app.command("gender")(gender_cmd)
    app.add_typer(eval_app, name="eval")


def web_tables(ev) -> list[Table]:
    """The ``eval web`` tables: records by kind, speakers, then one row per page."""
    from quotegraph.evaluation.webgold import KINDS

    main = Table(title=f"Real-web dev gold: {len(ev.pages)} pages")
    for col in ("records", "kind", "P", "R", "P exact", "R exact", "pred", "gold"):
        main.add_column(col, justify="left" if col in ("records", "kind") else "right")
    for k in (None, *KINDS):
        P, R, Pe, Re = ev.precision(k), ev.recall(k), ev.precision(k, True), ev.recall(k, True)
        main.add_row("lenient 30%" if k is None else "", k or "all", _pct(P.value), _pct(R.value), _pct(Pe.value), _pct(Re.value), str(P.n), str(R.n))
    sd, sa = ev.speaker("direct"), ev.speaker()
    spk = Table(title="Speaker accuracy over matched records")
    for col in ("gold kind", "correct", "scored", "%"):
        spk.add_column(col, justify="left" if col == "gold kind" else "right")
    spk.add_row("direct", str(sd.hit), str(sd.n), _pct(sd.value))
    spk.add_row("all", str(sa.hit), str(sa.n), _pct(sa.value))
    pages = Table(title="Per page")
    for col in ("page", "gold", "pred", "P ok", "R ok", "spk", "NQ"):
        pages.add_column(col, justify="left" if col == "page" else "right")
    from quotegraph.evaluation.webgold import page_row

    for p in ev.pages:
        r = page_row(p)
        pages.add_row(p.page[:28], str(r["gold"]), str(r["predicted"]), str(r["records_matched"]), str(r["gold_found"]), f"{r['speaker_ok']}/{r['speaker_scored']}", str(r["not_quote_fp"]))
    return [main, spk, pages]
