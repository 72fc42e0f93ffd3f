"""Recommender evaluation: interactions, splits, models, metrics and slices.

This package never imports augmenters. Augmented or synthesized review texts enter only through the
``extra_texts`` argument of :func:`reviewaug.rec.evaluate.evaluate_arm` (used by the text models,
:class:`~reviewaug.rec.models.TextHybrid` and :class:`~reviewaug.rec.models.TextToFactors`).

Example:
    >>> from reviewaug.rec import build_interactions, leave_last_out, evaluate_arm  # doctest: +SKIP
    >>> split = leave_last_out(ds)  # doctest: +SKIP
    >>> res = evaluate_arm(split.train, split.test, val=split.val, model="als", seeds=range(5))  # doctest: +SKIP
"""

from __future__ import annotations

from reviewaug.rec.evaluate import ArmResult, compare_arms, evaluate_arm
from reviewaug.rec.interactions import Interactions, build_interactions, confidence_weights
from reviewaug.rec.metrics import coverage, rank_items, ranking_metrics
from reviewaug.rec.slices import SLICES, item_slices, slice_of_items
from reviewaug.rec.split import Split, leave_last_out, temporal_split

__all__ = [
    "ArmResult",
    "Interactions",
    "SLICES",
    "Split",
    "build_interactions",
    "compare_arms",
    "confidence_weights",
    "coverage",
    "evaluate_arm",
    "item_slices",
    "leave_last_out",
    "rank_items",
    "ranking_metrics",
    "slice_of_items",
    "temporal_split",
]
