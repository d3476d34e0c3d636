"""quotegraph: who said what, to whom, and according to whom — attributed quotes from news articles.

The extractor (and spaCy behind it) is imported on first use, so `quotegraph --help`, the schema
and spaCy's loading of the `quotegraph` component factory stay cheap.
"""

from typing import TYPE_CHECKING, Any

from .errors import InputError, ModelError, QuotegraphError
from .models import Article, Entity, Quote

__version__ = "0.1.0"

__all__ = ["Article", "Entity", "Extractor", "InputError", "ModelError", "Options", "Quote", "QuotegraphError", "extract", "__version__"]

if TYPE_CHECKING:
    from .pipeline import Extractor, Options, extract


def __getattr__(name: str) -> Any:
    if name in ("Extractor", "Options", "extract"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'quotegraph' has no attribute {name!r}")
