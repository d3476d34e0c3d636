"""``Options``: everything that changes what ``extract`` does, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Acts
from ..read.readers import MAX_BYTES_DEFAULT


@dataclass
class Options:
    """Everything that changes what ``extract`` does, in one place."""

    model: str | None = None  # spaCy pipeline name; default: en_core_web_sm, else the pinned re-upload
    max_bytes: int = MAX_BYTES_DEFAULT
    min_unattributed_words: int = 8  # report quotations with no speaker found from this length (0: never)
    dedup_threshold: float = 0.8  # token F1 at or above which two attributions of one speaker are the same
    batch_size: int = 64  # paragraphs per spaCy batch
    learned: bool = True  # add the learned attribution finder's pairs to the rules' (quotegraph.learned.attributions)
    learned_threshold: float | None = None  # its probability threshold (default: the model's own)
    filter_threshold: float | None = None  # drop attributions the learned filter scores below this (None: the model's own; 0: keep all)
    min_confidence: float | None = None  # drop records whose calibrated confidence (learned.confidence) is below this (None: keep all; rules alone: their own uncalibrated scores)
    boundaries: bool = True  # with ``learned``: the boundary model moves content edges (quotegraph.find.boundaries)
    acts: str = Acts.STATEMENTS  # "statements": asserted statements from a source (decide.acts, decide.filters.STATEMENT_RULES); "all": PARC's full set
