"""Measurement: paired statistics, the low-data sentiment benchmark, controls, dedupe, plots and reports.

Nothing here imports :mod:`reviewaug.augment`; augmented data comes in through callables or precomputed
texts, so any recipe (or a generator) can be plugged in by the caller. Heavy libraries (torch,
sentence-transformers, sklearn, matplotlib) load only inside the functions that need them.

Example — sentiment arms against no augmentation, then a report::

    from reviewaug.evaluate import run_sentiment, random_words_fn, write_report
    res = run_sentiment(ds, {"eda": eda_fn, "random": random_words_fn()},
                        sizes=[50, 200, 500], copies=[4], seeds=range(5), features=["tfidf"])
    write_report("out", sent_baselines=res.baselines(), sent_rows=res.compare())

where ``eda_fn(texts, review_ids, labels, n_copies, seed) -> [(text, label), ...]``.
"""

from __future__ import annotations

from reviewaug.evaluate.controls import other_item_texts, random_word_texts, random_words_fn
from reviewaug.evaluate.dedupe import dedupe_against, duplicate_mask, normalize_text
from reviewaug.evaluate.report import goal_checks, write_report
from reviewaug.evaluate.sentiment import (
    SentimentData,
    SentimentResult,
    binary_sentiment,
    from_augmented,
    from_augmented_dataset,
    holdout,
    run_sentiment,
    stratified_subsample,
)
from reviewaug.evaluate.stats import (
    bootstrap_seeds_items,
    compare_paired,
    holm,
    paired_bootstrap,
    verdict,
    wilcoxon_p,
)

__all__ = [
    "SentimentData",
    "SentimentResult",
    "binary_sentiment",
    "bootstrap_seeds_items",
    "compare_paired",
    "dedupe_against",
    "duplicate_mask",
    "from_augmented",
    "from_augmented_dataset",
    "goal_checks",
    "holdout",
    "holm",
    "normalize_text",
    "other_item_texts",
    "paired_bootstrap",
    "random_word_texts",
    "random_words_fn",
    "run_sentiment",
    "stratified_subsample",
    "verdict",
    "wilcoxon_p",
    "write_report",
]
