"""quotegraph: who said what, to whom, and according to whom — attributed quotes from news articles."""

from .errors import InputError, ModelError, QuotegraphError
from .models import Article, Entity, Quote
from .pipeline import Extractor, Options, extract

__version__ = "0.1.0"

__all__ = ["Article", "Entity", "Extractor", "InputError", "ModelError", "Options", "Quote", "QuotegraphError", "extract", "__version__"]
