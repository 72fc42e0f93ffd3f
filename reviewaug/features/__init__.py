"""Feature columns: ``polarity`` (VADER compound), ``keywords`` (YAKE) and ``sentiment_words``.

Example:
    >>> import datasets
    >>> ds = datasets.Dataset.from_dict({"text": ["Great tuner, works well.", ""]})
    >>> out = add_features(ds, progress=False)
    >>> out.column_names
    ['text', 'polarity', 'keywords', 'sentiment_words']
    >>> out[1]["keywords"]
    []
"""

from __future__ import annotations

from typing import Any

from reviewaug.features.keywords import extract_keywords
from reviewaug.features.sentiment import NEGATIONS, analyzer, polarity_scores, sentiment_words

__all__ = [
    "add_features",
    "features_for_texts",
    "polarity_scores",
    "sentiment_words",
    "extract_keywords",
    "analyzer",
    "NEGATIONS",
    "FEATURE_COLUMNS",
]

FEATURE_COLUMNS = ("polarity", "keywords", "sentiment_words")


def features_for_texts(texts: list[str | None], *, top_k: int = 5) -> dict[str, list[Any]]:
    """The three feature columns for a list of texts.

    Example:
        >>> features_for_texts(["Awful pick."])["sentiment_words"]
        [['awful']]
    """
    return {
        "polarity": polarity_scores(texts).tolist(),
        "keywords": [extract_keywords(t, top_k=top_k) for t in texts],
        "sentiment_words": [sentiment_words(t) for t in texts],
    }


def add_features(
    ds: Any,
    *,
    text_column: str = "text",
    top_k: int = 5,
    batch_size: int = 256,
    num_proc: int | None = None,
    progress: bool = True,
) -> Any:
    """Add ``polarity``, ``keywords`` and ``sentiment_words`` to a Dataset, DatasetDict or IterableDataset.

    Existing feature columns are recomputed. ``num_proc`` splits the work over processes.

    Example:
        >>> import datasets
        >>> add_features(datasets.Dataset.from_dict({"text": ["ok"]}), progress=False).num_rows
        1
    """
    import datasets

    if isinstance(ds, datasets.DatasetDict | datasets.IterableDatasetDict):
        return type(ds)(
            {
                k: add_features(
                    v,
                    text_column=text_column,
                    top_k=top_k,
                    batch_size=batch_size,
                    num_proc=num_proc,
                    progress=progress,
                )
                for k, v in ds.items()
            }
        )
    cols = ds.column_names
    if cols is not None and text_column not in cols:
        raise KeyError(f"no text column {text_column!r}; columns found: {', '.join(cols)}")
    drop = [c for c in FEATURE_COLUMNS if cols and c in cols]
    if drop:
        ds = ds.remove_columns(drop)

    def fn(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        return features_for_texts(batch[text_column], top_k=top_k)

    kwargs: dict[str, Any] = {"batched": True, "batch_size": batch_size}
    if isinstance(ds, datasets.Dataset):
        kwargs["features"] = ds.features.copy()
        kwargs["features"].update(
            {
                "polarity": datasets.Value("float64"),
                "keywords": datasets.Sequence(datasets.Value("string")),
                "sentiment_words": datasets.Sequence(datasets.Value("string")),
            }
        )
        kwargs.update(num_proc=num_proc, desc="features" if progress else None)
        if not progress:
            datasets.disable_progress_bars()
            try:
                return ds.map(fn, **kwargs)
            finally:
                datasets.enable_progress_bars()
    return ds.map(fn, **kwargs)
