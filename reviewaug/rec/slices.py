"""Item slices by how many training reviews an item has: cold (0), sparse (1..sparse_max), warm (more).

A user's slice metric is computed on the held-out items of that slice only (with leave-last-out that is
simply the slice of the user's one held-out item); ranking is still over the whole catalogue.

Example:
    >>> import numpy as np
    >>> item_slices(np.array([0, 1, 5, 6]), sparse_max=5).tolist()
    ['cold', 'sparse', 'sparse', 'warm']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["SLICES", "item_slices", "item_train_counts", "slice_of_items", "truth_in_slice"]

SLICES: tuple[str, ...] = ("cold", "sparse", "warm")


def item_train_counts(train_matrix: sp.spmatrix) -> np.ndarray:
    """Number of training users (reviews) per item column.

    Example:
        >>> import scipy.sparse as sp
        >>> item_train_counts(sp.csr_matrix([[2.0, 0.0], [1.0, 0.0]])).tolist()
        [2, 0]
    """
    m = sp.csc_matrix(train_matrix)
    return np.diff(m.indptr).astype(np.int64)


def item_slices(counts: Sequence[int] | np.ndarray, sparse_max: int = 5) -> np.ndarray:
    """Label each item ``cold`` (0 training reviews), ``sparse`` (1..sparse_max) or ``warm``.

    Example:
        >>> item_slices([0, 3, 9], sparse_max=3).tolist()
        ['cold', 'sparse', 'warm']
    """
    if sparse_max < 1:
        raise ValueError(f"sparse_max must be >= 1, got {sparse_max}")
    c = np.asarray(counts)
    out = np.full(c.shape, "warm", dtype=object)
    out[c <= sparse_max] = "sparse"
    out[c == 0] = "cold"
    return out


def slice_of_items(train_matrix: sp.spmatrix, sparse_max: int = 5) -> np.ndarray:
    """:func:`item_slices` of the columns of a user x item training matrix.

    Example:
        >>> import scipy.sparse as sp
        >>> slice_of_items(sp.csr_matrix([[1.0, 0.0]]), sparse_max=1).tolist()
        ['sparse', 'cold']
    """
    return item_slices(item_train_counts(train_matrix), sparse_max)


def truth_in_slice(truth: Sequence[Iterable[int]], labels: np.ndarray, name: str) -> list[set[int]]:
    """Each user's held-out items restricted to slice ``name``.

    Example:
        >>> import numpy as np
        >>> truth_in_slice([{0, 1}, {1}], np.array(["cold", "warm"]), "cold")
        [{0}, set()]
    """
    return [{i for i in s if labels[i] == name} for s in truth]
