"""``python -m quotegraph.corpus ingest|search|person|sources|export ...`` (the same commands as
``quotegraph ...``, without the rest of the CLI)."""

from __future__ import annotations

import typer

from .cli import register

app = typer.Typer(add_completion=False, no_args_is_help=True, help="quotegraph corpus commands")
register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
