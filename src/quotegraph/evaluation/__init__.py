"""Evaluation of quote extraction against annotated corpora (PolNeAR, brat standoff)."""

from quotegraph.evaluation.metrics import GoldItem, PredItem, Score, score_document

__all__ = ["GoldItem", "PredItem", "Score", "score_document"]
