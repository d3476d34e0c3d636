"""The filter options of the CLI's ``search``, ``person`` and ``export`` (``--kind --acts --speaker
--outlet --since --until --gender --type --min-confidence``), defined once: ``with_filters`` adds
them to a command and hands it the ``filtering.QuoteFilter`` they make (a value it cannot read ends
the command with one line that says what is allowed)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import typer

from .filtering import ACT_NAMES, GENDERS, KINDS, SOURCE_TYPES, FilterError, QuoteFilter

OPTIONS: dict[str, tuple[Any, Any]] = {  # parameter: (type, typer option)
    "speaker": (str | None, typer.Option(None, "--speaker", metavar="NAME", help="full name, alias or surname")),
    "outlet": (str | None, typer.Option(None, "--outlet", metavar="NAME", help="only quotes reported by this outlet (its name or domain, as `sources` lists it)")),
    "since": (str | None, typer.Option(None, "--since", metavar="DATE", help="YYYY-MM-DD: reported on that day or later")),
    "until": (str | None, typer.Option(None, "--until", metavar="DATE", help="YYYY-MM-DD: reported on that day or earlier")),
    "kind": (str | None, typer.Option(None, "--kind", metavar="KIND", help=f"{', '.join(KINDS)} (several: comma-separated)")),
    "acts": (str | None, typer.Option(None, "--acts", metavar="ACTS", help="statements: what a source communicated, asserted, with its source; all: beliefs, intentions, knowledge, negated and hypothetical reports and quotes with no source too; or act names: " + ", ".join(ACT_NAMES))),
    "gender": (str | None, typer.Option(None, "--gender", metavar="G", help=f"the speaker's gender: {', '.join(GENDERS)} (a person the store holds; several: comma-separated)")),
    "type": (str | None, typer.Option(None, "--type", metavar="TYPE", help="the source's type: " + ", ".join(SOURCE_TYPES))),
    "min_confidence": (float | None, typer.Option(None, "--min-confidence", min=0.0, max=1.0, metavar="P", help="only records of confidence P or more (0 to 1)")),
}


def as_option(message: str) -> str:
    """A filter's message with the value named as the CLI's option ("kind must ..." → "--kind must ...")."""
    first, _, rest = message.partition(" ")
    name = first.rstrip(":")
    return f"--{name.replace('_', '-')}{first[len(name):]} {rest}" if name in OPTIONS else message


def with_filters(default_acts: str = "statements", skip: tuple[str, ...] = ()) -> Callable:
    """A decorator: the command gets the filter options (but ``skip``) and is called with
    ``where=`` the ``QuoteFilter`` they make (``--acts`` defaults to ``default_acts``)."""

    def decorate(command: Callable) -> Callable:
        sig = inspect.signature(command)
        names = [n for n in OPTIONS if n not in skip]
        added = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=OPTIONS[n][1], annotation=OPTIONS[n][0])
                 for n in names]

        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            raw = {n: kwargs.pop(n, None) for n in names}
            try:
                where = QuoteFilter.parse(**raw, default_acts=default_acts)
            except FilterError as e:
                from .cli import _err

                _err(as_option(str(e)))
            return command(*args, where=where, **kwargs)

        kept = [p for p in sig.parameters.values() if p.name != "where"]
        run.__signature__ = sig.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
        hints = {k: v for k, v in inspect.get_annotations(command, eval_str=True).items() if k != "where"}
        run.__annotations__ = {**hints, **{n: OPTIONS[n][0] for n in names}}
        del run.__wrapped__  # typer reads the signature above, not the command's own
        return run

    return decorate
