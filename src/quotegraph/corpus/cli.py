"""Corpus commands: ingest, search, person, sources, export, check (``register(app)`` adds them)."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..models import Acts
from ..read.readers import MAX_BYTES_DEFAULT as MAX_BYTES
from .cli_filters import with_filters
from .filtering import QuoteFilter
from .ingest import EXTRACTOR_SPEC
from .query import MAX_LIMIT, MAX_OFFSET

DB_HELP = "the corpus store (SQLite)"


class SearchFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _err(msg: str, code: int = 2) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {escape(msg)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _open(db: str):
    from .reader import Corpus
    from .storefile import StoreError

    try:
        return Corpus(db)
    except (FileNotFoundError, StoreError) as e:  # StoreError: not a store, damaged, unknown schema
        _err(str(e))
    except Exception as e:  # noqa: BLE001
        _err(f"{db}: cannot open the corpus ({e})")


@contextmanager
def _reading(db: str) -> Iterator:
    """The corpus at ``db`` opened for reading; an error of the store met while reading it (damage
    found by a query) ends the command with one line that names the store."""
    from .storefile import StoreError, explain

    c = _open(db)
    try:
        yield c
    except (sqlite3.DatabaseError, StoreError) as e:
        _err(str(explain(db, e)))
    finally:
        c.close()


def _emit(data, fmt: SearchFormat, table_fn) -> None:
    if fmt is SearchFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt is SearchFormat.jsonl:
        for d in data if isinstance(data, list) else [data]:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        table_fn(Console(), data)


def _short(s: str | None, n: int = 120) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1] + "…"


def _n(n: int, word: str) -> str:
    """``1 quote``, ``2 quotes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _via(v: list) -> str:
    return " ← ".join(x["text"] for x in v) if v else ""


OUTLET_HELP = "the outlet of every input that names none (a JSON Lines field or a sidecar file names its own)"
DATE_HELP = "the date (absolute: 2024-03-14) of every input that gives none (a JSON Lines field or a sidecar file gives its own)"


def ingest_cmd(
    paths: list[str] = typer.Argument(..., help="files, folders, .jsonl(.gz), .warc(.gz); http(s) URLs of pages, RSS/Atom feeds, sitemaps"),
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="extraction processes (0: in this process; default: cores - 1)"),
    commit_every: int = typer.Option(16, "--commit-every", help="articles per transaction"),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="try again the articles that failed before"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="stop at the first input that fails, exit 1 (what is stored is kept)"),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="refuse articles (files, lines, records) larger than this"),
    extractor: str = typer.Option(EXTRACTOR_SPEC, "--extractor", hidden=True),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: processes here (--jobs); dask: a Dask cluster (docs/dask.md)"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="dask: workers of the local cluster (default: cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="dask: address of a running scheduler (tcp://host:8786)"),
    parts: str | None = typer.Option(None, "--parts", help="dask: folder (or URL every worker writes) for the Parquet partitions (default: DB.parts)"),
    outlet: str | None = typer.Option(None, "--outlet", help=OUTLET_HELP),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="feeds and sitemaps: skip the entries dated before DATE (YYYY-MM-DD), unfetched"),
    delay: float = typer.Option(1.0, "--delay", min=0, metavar="SECONDS", help="URLs: wait between two requests to the same host (robots.txt's Crawl-delay may ask more)"),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, metavar="SECONDS", help="URLs: give up a request that does not answer within this"),
    retries: int = typer.Option(2, "--retries", min=0, metavar="N", help="URLs: try again N times after a 429, a 5xx, a timeout or a dropped connection (waiting 1, 2, 4... s)"),
    offline: bool = typer.Option(False, "--offline", help="URLs: fetch nothing; read the pages the store kept when it fetched them"),
) -> None:
    """Add articles to a corpus store: idempotent (keyed by content hash) and resumable."""
    from ..read.fetch import FetchOptions
    from .engine import ingestor
    from .given import option_meta
    from .ingest import ExtractorUnavailable
    from .store import StoreError, StoreFull
    from .storefile import explain

    err = Console(stderr=True)
    if engine is Engine.local and (workers or scheduler or parts):
        _err("--workers, --scheduler and --parts go with --engine dask")
    if workers and scheduler:
        _err("give --workers (a local cluster) or --scheduler (a running one), not both")
    dask_kw = dict(workers=workers, scheduler=scheduler, parts=parts) if engine is Engine.dask else {}
    web = _web_options(since, offline, FetchOptions(delay=delay, timeout=timeout, retries=retries, max_bytes=max_bytes))
    progress, on_progress, total_hint = _ingest_progress(err, quiet)
    try:
        given = option_meta(outlet, date)
    except ValueError as e:
        _err(str(e))
    try:
        ing, _ = ingestor(db, engine.value, jobs=jobs, commit_every=commit_every, retry_failed=retry_failed,
                          extractor=extractor, max_bytes=max_bytes, fail_fast=fail_fast, given=given, web=web,
                          on_fetch=_fetch_progress(progress), **dask_kw)
    except (RuntimeError, OSError) as e:  # Dask missing, no scheduler at that address
        _err(f"--engine {engine.value}: {e}")
    try:
        with progress:
            rep = ing.run(paths, on_progress=on_progress, total_hint=total_hint)
            if not (rep.interrupted or rep.stopped) and progress.tasks[0].total:
                progress.update(progress.task_ids[0], completed=progress.tasks[0].total)
    except ExtractorUnavailable as e:
        _err(f"{e} (the articles stored so far are kept; run the same command again to go on)")
    except (StoreFull, StoreError) as e:  # StoreError: not a store, damaged, unknown schema (names the store)
        _err(str(e))
    except sqlite3.DatabaseError as e:  # damage met while writing: stop, with the store's name
        _err(str(explain(db, e, "write to the store")) + " (the articles committed before are kept)")
    except Exception as e:  # the store cannot be opened or written
        _err(f"{db}: {type(e).__name__}: {_one_line(str(e))}")
    _ingest_summary(err, rep, db)
    if rep.interrupted:
        raise typer.Exit(130)
    if rep.failed and (fail_fast or not (rep.added or rep.skipped)):
        raise typer.Exit(1)  # --fail-fast, or nothing of the input could be read


def _ingest_progress(err: Console, quiet: bool):
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("[bold]{task.description:6}[/bold]"), BarColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[line]}"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=err, disable=quiet, transient=False,
    )
    task = progress.add_task("ingest", total=None, line="0 articles · 0.0/s · 0 failed")

    def total_hint(n: int) -> None:
        progress.update(task, total=max(n, 1))

    def on_progress(rep, pos: int) -> None:
        done = rep.added + rep.skipped
        rate = (rep.added / rep.seconds) if rep.seconds else 0.0
        progress.update(task, completed=pos, line=f"{done} articles · {rate:.1f}/s · {rep.failed} failed")

    return progress, on_progress, total_hint


def _web_options(since: str | None, offline: bool, fetch):
    from ..read.fetch import parse_date
    from .webpages import WebOptions

    when = parse_date(since) if since else None
    if since and when is None:
        _err(f"--since {since}: not a date (YYYY-MM-DD, or an ISO 8601 date and time)")
    return WebOptions(fetch, since=when, offline=offline)


def _fetch_progress(progress):
    """The progress bar's second row, for URLs: pages fetched, unchanged and failed, of those met."""
    task = None

    def on_fetch(st) -> None:
        nonlocal task
        if task is None:
            task = progress.add_task("fetch", total=None, line="")
        progress.update(task, total=max(st.pages, st.listed - st.older, 1), completed=st.pages,
                        line=f"{st.pages} pages · {st.fetched} fetched · {st.unchanged} unchanged · {st.failed} failed")

    return on_fetch


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def _line(err: Console, text: str) -> None:
    """One line on stderr, never wrapped (a failure per line, for grep and for the eye)."""
    err.print(text, highlight=False, markup=False, soft_wrap=True)


def _ingest_summary(err: Console, rep, db: str) -> None:
    t = rep.totals
    state = "interrupted" if rep.interrupted else "stopped at the first failure (--fail-fast)" if rep.stopped else "done"
    err.print(
        f"{state} in {rep.seconds:.1f} s: "
        f"{rep.added} articles added ({rep.rate:.1f}/s), {rep.skipped} already stored, "
        f"{rep.occurrences} quote occurrences ({rep.new_quotes} new quotes), {rep.new_people} new people/organisations, "
        f"{rep.failed} failed" + (f", {rep.skipped_failed} skipped (failed before; --retry-failed)" if rep.skipped_failed else ""),
        highlight=False,
    )
    if getattr(rep, "corrected", 0):
        err.print(f"re-applied {_n(rep.corrected, 'correction')} of the people (quotegraph people) to the new articles",
                  highlight=False)
    if rep.web is not None:
        w = rep.web
        err.print(f"web: {w.pages} pages ({w.listed} listed in feeds and sitemaps): {w.fetched} fetched, "
                  f"{w.unchanged} unchanged (not fetched again), {w.older} older than --since (skipped), {w.failed} failed",
                  highlight=False)
    if t is not None:
        err.print(f"store {db}: {t.articles} articles, {t.quotes} quotes ({t.occurrences} occurrences), "
                  f"{t.people} people, {t.organizations} organisations, {t.failures} failures", highlight=False)
        if t.extra.get("gender_conflicts"):
            err.print(f"  {_n(t.extra['gender_conflicts'], 'person')} whose articles disagree on their gender "
                      "(stored: the majority's; listed by `quotegraph check`)", highlight=False)
    for src, warning in rep.warnings[:20]:
        _line(err, f"  warning: {src}: {_one_line(warning)}")
    if len(rep.warnings) > 20:
        _line(err, f"  … and {len(rep.warnings) - 20} more warnings")
    for src, reason in rep.failures[:20]:
        _line(err, f"  failed: {src}: {_one_line(reason)}")
    if len(rep.failures) > 20:
        _line(err, f"  … and {len(rep.failures) - 20} more (all are in the failures table)")


class HitFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@with_filters()
def search_cmd(
    query: str = typer.Argument("", help='words to find (all of them); "a phrase" in quotation marks'),
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=MAX_LIMIT, metavar="N", help="at most N quotes (1 to 50)"),
    offset: int = typer.Option(0, "--offset", min=0, max=MAX_OFFSET, metavar="N", help="skip the first N quotes (the next page: --offset 20)"),
    fmt: HitFormat = typer.Option(HitFormat.table, "--format", "-f", help="table, json, jsonl (a quote a line) or csv (a report a line, as `export`)"),
    where: QuoteFilter = QuoteFilter(),
) -> None:
    """Full-text search over stored quotes (statements from a source unless --acts all)."""
    with _reading(db) as c:
        try:
            hits = c.search(query, limit=limit, offset=offset, where=where)
        except ValueError as e:
            _err(str(e))
        if fmt is HitFormat.csv:
            from .exporting import write_csv

            write_csv(sys.stdout, c.iter_occurrence_rows(where, quote_ids=[h["id"] for h in hits]))
            return

    def table(con: Console, hits) -> None:
        if not hits:
            con.print("no quotes found" + (f" ({where.describe()})" if where.describe() else ""), highlight=False)
            return
        t = Table(show_lines=True)
        for col in ("speaker", "quote", "article", "reports", "variants"):
            t.add_column(col)
        for h in hits:
            occ = h.get("occurrences", [])
            first = next((o for o in occ if o["first"]), occ[0] if occ else None)
            outlets = sorted({o["outlet"] or "?" for o in occ})
            var = []
            if h["variants"]["speaker"]:
                var.append("speaker: " + ", ".join(sorted({o["speaker"]["name"] or o["speaker"]["text"] or "?" for o in occ})))
            if h["variants"]["words"]:
                var.append("words changed")
            t.add_row(h["speaker"]["name"] or (first and first["speaker"]["text"]) or "?", _short(h["text"], 200),
                      _where(first), f"{h['n_occurrences']}: " + ", ".join(outlets), "; ".join(var))
        con.print(t)
        if len(hits) == limit:
            con.print(f"more: --offset {offset + limit}", highlight=False)

    _emit(hits, SearchFormat(fmt.value), table)


def _where(o: dict | None) -> str:
    """A record's article: its title, outlet and date ("Levee plan · Valley Post · 2024-03-05")."""
    if o is None:
        return ""
    return " · ".join(x for x in (_short(o.get("title"), 80) or "(untitled)", o["outlet"] or "?",
                                  (o["published"] or "undated")[:10]))


@with_filters(default_acts="all", skip=("speaker", "gender"))
def person_cmd(
    name: str = typer.Argument(..., help="full name, alias or surname (or person id)"),
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    limit: int | None = typer.Option(None, "--limit", "-n", min=1, max=MAX_LIMIT, metavar="N", help="only the first N statements, in time order (1 to 50; default: all)"),
    offset: int = typer.Option(0, "--offset", min=0, max=MAX_OFFSET, metavar="N", help="skip the first N statements"),
    fmt: SearchFormat = typer.Option(SearchFormat.table, "--format", "-f"),
    where: QuoteFilter = QuoteFilter(),
) -> None:
    """Everything a person said, in time order, with addressees and sources (every act unless --acts)."""
    from .query import AmbiguousName

    with _reading(db) as c:
        try:
            p = c.person(name, limit=limit, where=where, offset=offset)
        except AmbiguousName as e:
            con = Console(stderr=True)
            con.print(f"{name!r} fits several people; give the full name or the id:", highlight=False)
            for cand in e.candidates:
                roles = ", ".join(sorted({r["role"] for r in cand["roles"]}))
                con.print(f"  {cand['id']}: {cand['name']}" + (f" ({roles})" if roles else "")
                          + f", {cand['quotes']} quotes", highlight=False)
            raise typer.Exit(1) from None
        except LookupError as e:
            _err(str(e).strip("'\""), 1)

    def table(con: Console, p) -> None:
        roles = "; ".join(f"{r['role']} ({(r['date'] or '?')[:10]})" for r in p["roles"])
        con.print(f"[bold]{p['name']}[/bold] ({p['kind']}), {_n(p['quotes'], 'quote')} in {_n(p['articles'], 'article')}", highlight=False)
        if roles:
            con.print(f"roles: {roles}", highlight=False)
        if p["aliases"]:
            con.print("also: " + ", ".join(p["aliases"]), highlight=False)
        if p.get("others"):
            con.print(f"{name!r} also fits: " + "; ".join(
                f"{o['name']} ({_n(o['quotes'], 'quote')}, id {o['id']})" for o in p["others"][:5])
                + (f"; and {len(p['others']) - 5} more" if len(p["others"]) > 5 else ""), highlight=False)
        asked = where.describe("all")
        if asked or offset or limit:
            con.print(f"shown: {len(p['said'])} of {p['shown']}" + (f" ({asked})" if asked else "")
                      + (f" from {offset + 1}" if offset else ""), highlight=False)
        t = Table(show_lines=False)
        for col in ("article", "quote", "to", "via", "kind"):
            t.add_column(col)
        for o in p["said"]:
            t.add_row(_where(o), _short(o["text"], 160), (o["addressee"] or {}).get("text") or "", _via(o["via"]), o["kind"])
        con.print(t)

    _emit(p, fmt, table)

class SourcesFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


class Group(str, Enum):
    gender = "gender"
    type = "type"
    outlet = "outlet"
    month = "month"
    year = "year"


# how a group's None reads in a table
_NO_GROUP = {"gender": "(not a person)", "type": "(none)", "outlet": "(unknown)", "month": "(undated)",
             "year": "(undated)"}


def sources_cmd(
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    by: list[Group] = typer.Option([], "--by", help="count people and quotes per gender, type, outlet, month or year (repeat: --by gender --by month)"),
    outlet: str | None = typer.Option(None, "--outlet", help="with --by: only this outlet (its name or domain)"),
    since: str | None = typer.Option(None, "--since", help="with --by: YYYY-MM-DD"),
    until: str | None = typer.Option(None, "--until", help="with --by: YYYY-MM-DD"),
    acts: Acts = typer.Option(Acts.STATEMENTS, "--acts", help="with --by: statements (from a source) or all records"),
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0.0, max=1.0, metavar="P", help="with --by: only records of confidence P or more"),
    fmt: SourcesFormat = typer.Option(SourcesFormat.table, "--format", "-f"),
) -> None:
    """Per outlet: quotes from named, anonymous and document sources. With --by: people (distinct
    persons quoted) and quotes per gender, source type, outlet, month or year, in any combination."""
    if not by:
        if outlet or since or until or acts is not Acts.STATEMENTS or min_confidence is not None:
            _err("--outlet, --since, --until, --acts and --min-confidence go with --by")
        with _reading(db) as c:
            rows = c.sources()
        _sources_out(rows, fmt, _outlet_table, OUTLET_FIELDS)
        return
    keys = list(dict.fromkeys(g.value for g in by))
    with _reading(db) as c:
        try:
            rows = c.source_groups(keys, outlet=outlet, since=since, until=until, acts=acts.value,
                                   min_confidence=min_confidence)
        except ValueError as e:
            _err(str(e))

    def table(con: Console, rows) -> None:
        if not rows:
            con.print("no quotes found")
            return
        t = Table()
        for k in keys:
            t.add_column(k, no_wrap=k != "outlet", overflow="fold")
        t.add_column("people", justify="right", no_wrap=True)
        t.add_column("quotes", justify="right", no_wrap=True)
        for r in rows:
            t.add_row(*(r[k] or _NO_GROUP[k] for k in keys), str(r["people"]), str(r["quotes"]))
        con.print(t)
        con.print("people: distinct persons quoted" + ("; (not a person): organisations, documents, sources not"
                                                       " linked to a person" if "gender" in keys else ""),
                  style="dim", highlight=False)

    _sources_out(rows, fmt, table, (*keys, "people", "quotes"))


OUTLET_FIELDS = ("outlet", "articles", "quotes", "named", "anonymous", "document", "unknown", "via_document",
                 "direct", "indirect", "mixed", "anonymous_share")


def _sources_out(rows: list[dict], fmt: SourcesFormat, table_fn, fields: tuple[str, ...]) -> None:
    if fmt is SourcesFormat.csv:
        from .exporting import write_csv

        write_csv(sys.stdout, iter(rows), fields)
        return
    _emit(rows, SearchFormat(fmt.value), table_fn)


def _outlet_table(con: Console, rows) -> None:
    t = Table()
    cols = ("outlet", "articles", "quotes", "named", "anonymous", "document", "unknown", "via document", "anonymous %")
    if con.width < 110:  # short headings, explained under the table, so it fits 80 columns
        cols = ("outlet", "arts", "quotes", "named", "anon", "doc", "unk", "via doc", "anon %")
        t.caption = "anon, doc, unk: anonymous, document, unknown; via doc: through a document"
    for col in cols:
        t.add_column(col, justify="left" if col == "outlet" else "right", no_wrap=col != "outlet")
    for r in rows:
        t.add_row(r["outlet"] or "(unknown)", str(r["articles"]), str(r["quotes"]), str(r["named"]),
                  str(r["anonymous"]), str(r["document"]), str(r["unknown"]), str(r["via_document"]),
                  f"{100 * r['anonymous_share']:.1f}")
    con.print(t)


@with_filters(default_acts="all")
def export_cmd(
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f",
                                     help="jsonl: a quote per line, occurrences nested; csv/parquet: a row per occurrence"),
    out: str = typer.Option("-", "--out", "-o", help="output file ('-': standard output)"),
    bom: bool = typer.Option(False, "--bom", help="csv: begin with a byte order mark, so that Excel reads UTF-8"),
    query: str = typer.Option("", "--query", "-q", metavar="WORDS", help="only quotes with these words, as `search` finds them"),
    where: QuoteFilter = QuoteFilter(),
) -> None:
    """Export the corpus's quotes, or those a search finds: the same filters as `search` (every act
    unless --acts). CSV cells that a spreadsheet would take for a formula begin with '."""
    with _reading(db) as c:
        try:
            n = c.export(fmt.value, out, bom=bom, where=where, query=query)
        except (RuntimeError, ValueError) as e:
            _err(str(e))
        except OSError as e:
            _err(f"{out}: {e.strerror or e}")
    if out != "-":
        Console(stderr=True).print(f"wrote {_n(n, 'quote' if fmt is ExportFormat.jsonl else 'row')} to {out}", highlight=False)


def upgrade_cmd(db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP)) -> None:
    """Bring a store of an earlier schema version to this one, in place (one transaction: a store
    interrupted on the way is left as it was; records stored before get the new fields' defaults)."""
    from .store import Store, StoreError
    from .storefile import SCHEMA_VERSION, explain, identify, open_readonly

    try:
        con = open_readonly(db, check=False)
        try:
            version = identify(con, db)
        finally:
            con.close()
        if version is None:
            _err(f"{db}: an empty database, not a quotegraph store (nothing to upgrade)")
        with Store(db):  # the writer brings the schema up to date when it opens the store
            pass
    except (FileNotFoundError, StoreError) as e:
        _err(str(e))
    except sqlite3.DatabaseError as e:
        _err(str(explain(db, e, "upgrade the store")))
    said = "already at" if version == SCHEMA_VERSION else f"upgraded from schema {version} to"
    Console(stderr=True).print(f"store {db}: {said} schema {SCHEMA_VERSION}", highlight=False, markup=False)


def check_cmd(
    db: str = typer.Option("quotegraph.db", "--db", help=DB_HELP),
    quick: bool = typer.Option(False, "--quick", help="SQLite's quick_check: every page, but indexes not matched to their tables"),
    fmt: SearchFormat = typer.Option(SearchFormat.table, "--format", "-f", help="table (lines) or json"),
) -> None:
    """Check a corpus store: SQLite's integrity check, the counts, the schema version.
    Exit 0: sound; 1: damaged; 2: not a store, an unknown schema version, or missing."""
    from .storefile import check

    rep = check(db, quick=quick)
    if rep["status"] == "ok":
        rep["gender_conflicts"] = _gender_conflicts(db)
    if fmt is not SearchFormat.table:
        sys.stdout.write(json.dumps(rep, ensure_ascii=False, indent=2 if fmt is SearchFormat.json else None) + "\n")
    else:
        _check_lines(rep)
    if rep["status"] != "ok":
        raise typer.Exit(1 if rep["status"] == "damaged" else 2)


def _gender_conflicts(db: str) -> list[dict]:
    """People whose articles disagree on their gender (``linking.gender_conflicts``)."""
    from .linking import gender_conflicts

    with _reading(db) as corpus:
        try:
            return gender_conflicts(corpus.con)
        except sqlite3.OperationalError:  # a store written before person_genders: nothing recorded
            return []


def _check_lines(rep: dict) -> None:
    out = Console(highlight=False, soft_wrap=True)
    if rep["schema"] is not None:
        out.print(f"store {escape(rep['store'])}: quotegraph schema {rep['schema']} (marker: {rep['marker']}), "
                  f"opened {rep['opened']}")
    if rep["integrity"] is not None:
        out.print("integrity: " + ("ok" if rep["integrity"] == "ok" else "FAILED"))
    t = rep["counts"]
    if t:
        shown = lambda k: "?" if t.get(k) is None else str(t[k])  # noqa: E731
        out.print(f"{shown('articles')} articles, {shown('quotes')} quotes ({shown('occurrences')} occurrences, "
                  f"{shown('wordings')} wordings), {shown('people')} people, {shown('organizations')} organisations, "
                  f"{shown('failures')} failures")
    for g in rep.get("gender_conflicts") or ():
        out.print(f"gender conflict: {escape(g['name'])} (id {g['id']}): {g['articles_female']} articles say female, "
                  f"{g['articles_male']} male; stored {g['gender']}")
    err = Console(stderr=True)
    for p in rep["problems"]:
        _line(err, f"{rep['status']}: {p}" if not p.startswith(rep["store"]) else f"error: {p}")


def register(app: typer.Typer) -> None:
    """Add the corpus commands to ``app``."""
    app.command("ingest")(ingest_cmd)
    app.command("search")(search_cmd)
    app.command("person")(person_cmd)
    app.command("sources")(sources_cmd)
    app.command("export")(export_cmd)
    app.command("check")(check_cmd)
    app.command("upgrade")(upgrade_cmd)
    from .people_cli import people_app

    app.add_typer(people_app, name="people")
