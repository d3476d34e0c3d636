"""Errors with messages a person can act on."""

from __future__ import annotations


class QuotegraphError(Exception):
    """Base class of the errors quotegraph raises on purpose."""


class InputError(QuotegraphError):
    """An input that cannot be read or parsed; the message names it."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class ModelError(QuotegraphError):
    """The spaCy pipeline or a shipped model file cannot be loaded; the message names it and
    says how to get it back."""
