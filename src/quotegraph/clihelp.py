"""Help screens without Python type tags.

Typer 0.29 prints an option's Python type (``<bool>``, ``<int>``, ``<list[str]>``) beside it and a
required argument as ``{paths}``. ``plain_help(command)`` makes every command of the tree show an
option's metavar (``--model NAME``), its choices (``json|jsonl|table``) or, for a flag, nothing; an
argument shows its metavar (``PATH...``). It relies on Typer's parameter classes, which is why
Typer is pinned exactly in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class _Option(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.metavar is not None:
            return self.metavar or None
        if self.is_flag or self.count:
            return None
        if self.type_descriptor.is_choice:  # "<json|jsonl|table>" -> "json|jsonl|table"
            return (super().display_type_rich(ctx) or "").strip("<>") or None
        return (self.name or "value").upper()


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the name column already shows the metavar

    def _rich_display_name(self) -> str:
        name = self.metavar or (self.name or "arg").upper()
        return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")

    def _usage_display_name(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"


def _help_option_without_type(opt: Any) -> Any:
    if opt is not None and type(opt) is TyperOption:
        opt.__class__ = _Option
    return opt


class _Command(TyperCommand):
    def get_help_option(self, ctx: Any):
        return _help_option_without_type(super().get_help_option(ctx))


class _Group(TyperGroup):
    def get_help_option(self, ctx: Any):
        return _help_option_without_type(super().get_help_option(ctx))


def plain_help(cmd: Any) -> Any:
    """Switch ``cmd`` and every command under it to the help display above; returns ``cmd``."""
    if type(cmd) is TyperGroup:
        cmd.__class__ = _Group
    elif type(cmd) is TyperCommand:
        cmd.__class__ = _Command
    for p in getattr(cmd, "params", []):
        if type(p) is TyperOption:
            p.__class__ = _Option
        elif type(p) is TyperArgument:
            p.__class__ = _Argument
            if p.metavar is None:  # "paths" -> "PATHS...", as click shows arguments
                p.metavar = (p.name or "arg").upper() + ("..." if p.nargs != 1 else "")
    for sub in getattr(cmd, "commands", {}).values():
        plain_help(sub)
    return cmd
