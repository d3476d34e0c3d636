"""The pipeline: read → parse → find → attribute → people → decide → serialise.

``Extractor`` (``extractor.py``) holds the options (``options.py``) and the spaCy pipeline (loaded
once per process); the order of the stages is written once, in ``stages.py``. Each stage is a
small function over one document model (``attribute.records.Prepared``) whose offsets point
into the article text.
"""

from ..attribute.records import Prepared, Resolved
from .extractor import Extractor, extract
from .options import Options
from .stages import attributions, find_candidates, finish

__all__ = ["Extractor", "Options", "Prepared", "Resolved", "attributions", "extract", "find_candidates", "finish"]
