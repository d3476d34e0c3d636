"""``quotegraph people``: corrections of the people in a store (merge, split, rename, set-gender)
and their log (export, import). Each command is one transaction: a bad call changes nothing."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console

from .cli import DB_HELP, _err, _n

people_app = typer.Typer(help="Correct the people of a corpus store: merge, split, rename, set-gender "
                              "(kept as a log that every later ingest applies again).", no_args_is_help=True)
log_app = typer.Typer(help="The log of corrections: export it, import one (JSON Lines).", no_args_is_help=True)
people_app.add_typer(log_app, name="corrections")

DB = typer.Option("quotegraph.db", "--db", help=DB_HELP)
NAME = typer.Argument(..., help="full name, alias, a surname only one person has, key (p:...) or person id")
NAME_HELP = "full name, alias, a surname only one person has, key (p:...) or person id"
T = TypeVar("T")


class Gender(str, Enum):
    female = "female"
    male = "male"
    unknown = "unknown"


@contextmanager
def _writing(db: str) -> Iterator:
    """The store at ``db`` opened for writing (it must exist); a correction that cannot be made, or
    an error of the store, ends the command with one line."""
    from .corrections import CorrectionError
    from .store import Store, StoreError
    from .storefile import explain

    if not Path(db).is_file():
        _err(f"{db}: no such corpus store")
    try:
        store = Store(db)
    except StoreError as e:
        _err(str(e))
    except sqlite3.Error as e:
        _err(str(explain(db, e, "open the store")))
    try:
        yield store
    except CorrectionError as e:
        _err(str(e), 1)
    except StoreError as e:
        _err(str(e))
    except sqlite3.Error as e:
        _err(str(explain(db, e, "write to the store")) + " (nothing was changed)")
    finally:
        store.close()


def _edit(db: str, fn: Callable[..., T]) -> T:
    from .people_edit import PeopleEditor

    with _writing(db) as store:
        return fn(PeopleEditor(store))
    raise AssertionError("unreachable")  # _writing ends the command on an error


def _said(text: str) -> None:
    Console(stderr=True).print(text, highlight=False, markup=False, soft_wrap=True)


@people_app.command("merge")
def merge_cmd(
    name: str = typer.Argument(..., help="the person the others are merged into: " + NAME_HELP),
    others: list[str] = typer.Argument(..., help="the people merged into the first (they are gone after)"),
    db: str = DB,
) -> None:
    """Merge OTHERS into NAME: their articles, quotes, aliases and roles become NAME's."""
    res = _edit(db, lambda ed: ed.merge(name, others))
    _said(f"merged {_n(len(res['args']['others']), 'person')} into {res['name']} (id {res['id']}, {res['key']})")


@people_app.command("split")
def split_cmd(
    name: str = typer.Argument(..., help="the person split: " + NAME_HELP),
    into: str | None = typer.Option(None, "--into", help="who the moved mentions are: another person, or a new one of this name"),
    article: list[str] = typer.Option([], "--article", "-a", help="an article (content key or given id) whose mentions of NAME move (repeatable)"),
    alias: list[str] = typer.Option([], "--alias", help="a name as written ('President Clinton'): the mentions written so move, and the alias leaves NAME (repeatable)"),
    db: str = DB,
) -> None:
    """Move what NAME is in some articles, or wherever written as an alias, to another person."""
    res = _edit(db, lambda ed: ed.split(name, into, article, alias))
    a = res["args"]
    what = ", ".join([_n(len(a["articles"]), "article")] * bool(a["articles"]) + [f"alias {x!r}" for x in a["aliases"]])
    _said(f"split {what} off {a['from']}" + (f" to {res['name']} (id {res['id']}, {res['key']})" if a["into"] else ""))


@people_app.command("rename")
def rename_cmd(
    name: str = NAME,
    new: str = typer.Argument(..., help="the name to show"),
    db: str = DB,
) -> None:
    """Show NAME as NEW (the articles' own name stays an alias, so new articles still land here)."""
    res = _edit(db, lambda ed: ed.rename(name, new))
    _said(f"renamed {res['key']} (id {res['id']}) to {res['name']}")


@people_app.command("set-gender")
def set_gender_cmd(
    name: str = NAME,
    gender: Gender = typer.Argument(..., help="female, male or unknown"),
    db: str = DB,
) -> None:
    """Set a person's gender (evidence: 'correction'; an ingest does not change it)."""
    res = _edit(db, lambda ed: ed.set_gender(name, gender.value))
    _said(f"{res['name']} (id {res['id']}): gender {gender.value}")


@log_app.command("export")
def export_cmd(
    file: str = typer.Argument(..., help="the JSON Lines file to write ('-': standard output)"),
    db: str = DB,
) -> None:
    """Write the log of corrections, oldest first, one JSON object a line."""
    from .corrections import export_log

    with _writing(db) as store:
        try:
            n = export_log(store.con, "/dev/stdout" if file == "-" else file)
        except OSError as e:
            _err(f"{file}: {e.strerror or e}")
    if file != "-":
        _said(f"wrote {_n(n, 'correction')} to {file}")
    sys.stdout.flush()


@log_app.command("import")
def import_cmd(
    file: str = typer.Argument(..., help="a JSON Lines file of corrections (as `export` writes)"),
    db: str = DB,
) -> None:
    """Add the corrections of FILE to the store's log (those it has already are left out) and
    apply the whole log; a bad line changes nothing."""
    from .corrections import import_log

    with _writing(db) as store:
        try:
            res = import_log(store, file)
        except OSError as e:
            _err(f"{file}: {e.strerror or e}")
    _said(f"imported {_n(res.added, 'correction')} ({res.already} already in the log); "
          f"{res.changed} changed the store when applied")
