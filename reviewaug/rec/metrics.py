"""Full-ranking top-k metrics per user: NDCG@k, Recall@k, HR@k, and catalogue coverage.

Every item of the catalogue is ranked (no sampled negatives); the items a user already has in training are
removed before ranking. Ties are broken by the lower item index, so rankings are deterministic.

Definitions (binary relevance, ``R`` = the user's held-out items, ``hits@k`` = ``|top_k ∩ R|``):

* ``ndcg@k = sum_{r <= k, item_r in R} 1/log2(r+1) / sum_{r <= min(k, |R|)} 1/log2(r+1)``
* ``recall@k = hits@k / |R|``
* ``hr@k = 1 if hits@k > 0 else 0``

Example:
    >>> import numpy as np
    >>> top = rank_items(np.array([[0.1, 0.9, 0.5]]), None, k=2)
    >>> top.tolist()
    [[1, 2]]
    >>> m = ranking_metrics(top, [{2}], ks=(2,))
    >>> round(float(m["ndcg@2"][0]), 4), float(m["hr@2"][0])
    (0.6309, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["DEFAULT_METRICS", "coverage", "rank_items", "ranking_metrics"]

DEFAULT_METRICS: tuple[str, ...] = ("ndcg@10", "recall@10", "recall@20", "hr@10")


def rank_items(scores: np.ndarray, exclude: sp.spmatrix | None, k: int, *, chunk: int = 2048) -> np.ndarray:
    """The ``k`` best item indices per row of ``scores`` (users x items), skipping ``exclude``'s non-zeros.

    Positions left when a user has fewer than ``k`` rankable items (or the catalogue is smaller than ``k``)
    hold ``-1``.

    Example:
        >>> import numpy as np, scipy.sparse as sp
        >>> rank_items(np.array([[3.0, 2.0, 1.0]]), sp.csr_matrix([[1, 0, 0]]), k=2).tolist()
        [[1, 2]]
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError(f"scores must be users x items, got shape {scores.shape}")
    n_users, n_items = scores.shape
    if exclude is not None and exclude.shape != scores.shape:
        raise ValueError(f"exclude has shape {exclude.shape} but scores have {scores.shape}")
    k = int(k)
    out = np.full((n_users, k), -1, dtype=np.int64)
    ex = sp.csr_matrix(exclude) if exclude is not None else None
    for lo in range(0, n_users, chunk):
        block = scores[lo : lo + chunk].copy()
        block[np.isnan(block)] = -np.inf
        if ex is not None:
            sub = ex[lo : lo + chunk].tocoo()
            block[sub.row, sub.col] = -np.inf
        order = np.argsort(-block, axis=1, kind="stable")[:, :k]
        dead = np.take_along_axis(block, order, axis=1) == -np.inf
        order[dead] = -1
        out[lo : lo + chunk, : order.shape[1]] = order
    return out


def _truth_sets(truth: Sequence[Iterable[int]] | sp.spmatrix) -> list[set[int]]:
    if sp.issparse(truth):
        t = sp.csr_matrix(truth)
        return [set(t.indices[t.indptr[u] : t.indptr[u + 1]].tolist()) for u in range(t.shape[0])]
    return [set(int(i) for i in s) for s in truth]


def ranking_metrics(
    topk: np.ndarray, truth: Sequence[Iterable[int]] | sp.spmatrix, ks: Sequence[int] = (10, 20)
) -> dict[str, np.ndarray]:
    """Per-user ``ndcg@k``, ``recall@k`` and ``hr@k`` for each ``k`` in ``ks``.

    ``topk`` is users x K from :func:`rank_items` (K >= max(ks)); ``truth`` holds each user's held-out item
    indices (a list of sets or a users x items sparse matrix). Users with no held-out item get NaN.

    Example:
        >>> import numpy as np
        >>> m = ranking_metrics(np.array([[4, 7, 1]]), [{7, 9}], ks=(3,))
        >>> round(float(m["recall@3"][0]), 2), round(float(m["ndcg@3"][0]), 4)
        (0.5, 0.3869)
    """
    topk = np.asarray(topk)
    sets = _truth_sets(truth)
    if len(sets) != topk.shape[0]:
        raise ValueError(f"topk has {topk.shape[0]} users but truth has {len(sets)}")
    kmax = max(ks)
    if topk.shape[1] < kmax:
        raise ValueError(f"topk has {topk.shape[1]} columns; metrics at k={kmax} need at least that many")
    disc = 1.0 / np.log2(np.arange(2, kmax + 2))
    hits = np.zeros((len(sets), kmax), dtype=bool)
    n_rel = np.zeros(len(sets))
    for u, s in enumerate(sets):
        n_rel[u] = len(s)
        if s:
            hits[u] = [int(i) in s for i in topk[u, :kmax]]
    out: dict[str, np.ndarray] = {}
    valid = n_rel > 0
    cum_idcg = np.cumsum(disc)
    for k in ks:
        h = hits[:, :k]
        n_hits = h.sum(axis=1)
        dcg = (h * disc[:k]).sum(axis=1)
        idcg = np.where(valid, cum_idcg[np.clip(np.minimum(n_rel, k).astype(int) - 1, 0, None)], 1.0)
        out[f"ndcg@{k}"] = np.where(valid, dcg / idcg, np.nan)
        out[f"recall@{k}"] = np.where(valid, n_hits / np.maximum(n_rel, 1), np.nan)
        out[f"hr@{k}"] = np.where(valid, (n_hits > 0).astype(float), np.nan)
    return out


def coverage(topk: np.ndarray, n_items: int, k: int | None = None) -> float:
    """Share of the catalogue that appears in at least one user's top-``k`` list.

    Example:
        >>> import numpy as np
        >>> coverage(np.array([[0, 1], [1, 2]]), n_items=4)
        0.75
    """
    top = np.asarray(topk)
    if k is not None:
        top = top[:, :k]
    items = np.unique(top[top >= 0])
    return float(len(items)) / float(n_items) if n_items else 0.0
