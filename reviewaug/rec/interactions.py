"""Implicit-feedback interactions from the review schema: a user x item CSR matrix with id maps.

Every review is one interaction. Its confidence comes from the rating (and optionally the text polarity):

    confidence = 1 + rating_weight * (rating - 1) / 4 + polarity_weight * polarity      (clipped at >= 0.05)

so with the defaults a 1-star review has confidence 1 and a 5-star review 2. Set ``rating_weight=0`` for plain
binary feedback. ``polarity`` is the VADER compound score in [-1, 1] (column ``polarity`` from
:func:`reviewaug.features.add_features`).

Example:
    >>> from datasets import Dataset
    >>> ds = Dataset.from_dict({"user_id": ["u1", "u2"], "item_id": ["a", "b"], "rating": [5.0, 1.0]})
    >>> inter = build_interactions(ds)
    >>> inter.matrix.toarray().tolist()
    [[2.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["Interactions", "build_interactions", "column", "confidence_weights", "make_index"]


@dataclass(frozen=True)
class Interactions:
    """A user x item CSR matrix (float32) and the id maps of its rows and columns.

    Attributes:
        matrix: ``users x items`` confidences; a repeated (user, item) pair sums its confidences.
        user_ids: row ``u`` is user ``user_ids[u]``.
        item_ids: column ``i`` is item ``item_ids[i]``.
        user_index: ``user_id -> row``.
        item_index: ``item_id -> column``.
    """

    matrix: sp.csr_matrix
    user_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    user_index: Mapping[str, int]
    item_index: Mapping[str, int]

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def binary(self) -> sp.csr_matrix:
        """The 0/1 matrix of which (user, item) pairs occur.

        Example:
            >>> from datasets import Dataset
            >>> build_interactions(Dataset.from_dict({"user_id": ["u"], "item_id": ["i"], "rating": [3.0]})).binary().toarray()
            array([[1.]], dtype=float32)
        """
        m = self.matrix.copy()
        m.data = np.ones_like(m.data)
        return m


def column(ds: Any, name: str) -> list[Any]:
    """Column ``name`` of a dataset (or dict of lists) as a Python list, read in one go.

    ``datasets`` >= 3 returns lazy ``Column`` objects whose per-element access reads Arrow each time; this
    reads the whole column once (respecting any ``select`` indices).

    Example:
        >>> from datasets import Dataset
        >>> column(Dataset.from_dict({"a": [1, 2, 3]}).select([2, 0]), "a")
        [3, 1]
    """
    if hasattr(ds, "select_columns"):
        if name not in ds.column_names:
            raise KeyError(f"no column {name!r}; the dataset has {ds.column_names}")
        return ds.select_columns([name]).to_dict()[name]
    return list(ds[name])


def make_index(ids: Iterable[str]) -> dict[str, int]:
    """A deterministic ``id -> position`` map over the sorted distinct ids.

    Example:
        >>> make_index(["b", "a", "b"])
        {'a': 0, 'b': 1}
    """
    return {v: i for i, v in enumerate(sorted(set(map(str, ids))))}


def confidence_weights(
    ratings: Sequence[float] | np.ndarray,
    polarity: Sequence[float] | np.ndarray | None = None,
    *,
    rating_weight: float = 1.0,
    polarity_weight: float = 0.0,
) -> np.ndarray:
    """Confidence of each interaction from its rating in [1, 5] and optional polarity in [-1, 1].

    Example:
        >>> confidence_weights([1.0, 5.0]).tolist()
        [1.0, 2.0]
        >>> confidence_weights([5.0], [-1.0], polarity_weight=0.5).tolist()
        [1.5]
    """
    r = np.asarray(ratings, dtype=np.float64)
    if r.size and (np.nanmin(r) < 1 or np.nanmax(r) > 5):
        raise ValueError(f"ratings must lie in [1, 5], got range [{np.nanmin(r)}, {np.nanmax(r)}]")
    r = np.nan_to_num(r, nan=3.0)
    c = 1.0 + rating_weight * (r - 1.0) / 4.0
    if polarity_weight:
        if polarity is None:
            raise ValueError(
                "polarity_weight is set but no polarity was given (run reviewaug.features.add_features)"
            )
        c = c + polarity_weight * np.nan_to_num(np.asarray(polarity, dtype=np.float64))
    return np.clip(c, 0.05, None)


def build_interactions(
    ds: Any,
    *,
    user_index: Mapping[str, int] | None = None,
    item_index: Mapping[str, int] | None = None,
    rating_weight: float = 1.0,
    polarity_weight: float = 0.0,
) -> Interactions:
    """Build the user x item confidence matrix of a review dataset (``user_id``, ``item_id``, ``rating``).

    Pass ``user_index``/``item_index`` (e.g. built over all splits) so that train and test matrices share
    rows and columns; rows whose user or item is not in a given index raise ``KeyError`` naming the row.

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"user_id": ["u1", "u1"], "item_id": ["a", "b"], "rating": [3.0, 3.0]})
        >>> build_interactions(ds, item_index={"a": 0, "b": 1, "c": 2}).shape
        (1, 3)
    """
    cols = ds.column_names if hasattr(ds, "column_names") else list(ds.keys())
    for name in ("user_id", "item_id", "rating"):
        if name not in cols:
            raise KeyError(f"build_interactions needs a {name!r} column; the dataset has {cols}")
    users = [str(u) for u in column(ds, "user_id")]
    items = [str(i) for i in column(ds, "item_id")]
    uidx = dict(user_index) if user_index is not None else make_index(users)
    iidx = dict(item_index) if item_index is not None else make_index(items)
    rows = np.empty(len(users), dtype=np.int64)
    cols_ = np.empty(len(items), dtype=np.int64)
    for k, (u, i) in enumerate(zip(users, items)):
        try:
            rows[k] = uidx[u]
            cols_[k] = iidx[i]
        except KeyError as e:
            raise KeyError(f"row {k}: id {e.args[0]!r} is not in the given user/item index") from None
    polarity = column(ds, "polarity") if (polarity_weight and "polarity" in cols) else None
    data = confidence_weights(
        column(ds, "rating"), polarity, rating_weight=rating_weight, polarity_weight=polarity_weight
    ).astype(np.float32)
    mat = sp.csr_matrix((data, (rows, cols_)), shape=(len(uidx), len(iidx)), dtype=np.float32)
    mat.sum_duplicates()
    mat.sort_indices()
    user_ids = tuple(sorted(uidx, key=uidx.__getitem__))
    item_ids = tuple(sorted(iidx, key=iidx.__getitem__))
    return Interactions(mat, user_ids, item_ids, uidx, iidx)
