"""Train / validation / test splits of a review dataset that never leak test data into training.

* :func:`temporal_split` — one global cut by time: every training review is strictly older than every
  validation review, which is strictly older than every test review (ties on a timestamp stay together).
* :func:`leave_last_out` — per user: the latest review is the test interaction, the one before it the
  validation interaction, the rest are training (order by ``timestamp`` then ``review_id``).

Both partition the rows (each ``review_id`` lands in exactly one split), so a test review's text is only in
the test split, and both drop from validation/test any (user, item) pair that also occurs in training.

Example:
    >>> from datasets import Dataset
    >>> ds = Dataset.from_dict({"review_id": list("abcd"), "user_id": ["u"] * 4, "item_id": list("wxyz"),
    ...                         "rating": [5.0] * 4, "timestamp": [1, 2, 3, 4]})
    >>> s = leave_last_out(ds)
    >>> list(s.train["item_id"]), list(s.val["item_id"]), list(s.test["item_id"])
    (['w', 'x'], ['y'], ['z'])
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from reviewaug.rec.interactions import column

__all__ = ["Split", "temporal_split", "leave_last_out"]

_NEEDED = ("review_id", "user_id", "item_id", "timestamp")


class Split(NamedTuple):
    """Three disjoint datasets; unpack as ``train, val, test = split``."""

    train: Any
    val: Any
    test: Any


def _check(ds: Any) -> None:
    missing = [c for c in _NEEDED if c not in ds.column_names]
    if missing:
        raise KeyError(f"split needs columns {list(_NEEDED)}; missing {missing} (have {ds.column_names})")
    ids = column(ds, "review_id")
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for k, r in enumerate(ids):
            if r in seen:
                raise ValueError(f"review_id {r!r} at row {k} is duplicated; splits need unique review ids")
            seen.add(r)


def _drop_repeats(
    users: list[Any], items: list[Any], train_idx: np.ndarray, other_idx: np.ndarray
) -> np.ndarray:
    seen = {(users[k], items[k]) for k in train_idx}
    return np.asarray([k for k in other_idx if (users[k], items[k]) not in seen], dtype=np.int64)


def _finish(
    ds: Any, train_idx: np.ndarray, val_idx: np.ndarray, test_idx: np.ndarray, drop_repeats: bool
) -> Split:
    if drop_repeats:
        users, items = column(ds, "user_id"), column(ds, "item_id")
        val_idx = _drop_repeats(users, items, train_idx, val_idx)
        test_idx = _drop_repeats(users, items, train_idx, test_idx)
    return Split(*(ds.select(np.sort(ix).tolist()) for ix in (train_idx, val_idx, test_idx)))


def temporal_split(
    ds: Any, val_frac: float = 0.1, test_frac: float = 0.1, *, drop_repeats: bool = True
) -> Split:
    """Cut ``ds`` globally by timestamp into train / validation / test (about ``1-v-t``, ``v``, ``t`` of rows).

    The cuts fall on timestamps: all rows sharing a timestamp go to the same split, so
    ``max(train.timestamp) < min(val.timestamp) <= max(val.timestamp) < min(test.timestamp)``.
    Validation and test rows may belong to users or items absent from training (cold users are skipped at
    evaluation; cold items are what the cold slice measures).

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"review_id": list("abcdefghij"), "user_id": ["u"] * 10,
        ...                         "item_id": list("abcdefghij"), "timestamp": list(range(10))})
        >>> [len(x) for x in temporal_split(ds, 0.2, 0.2)]
        [6, 2, 2]
    """
    if not (0 <= val_frac < 1 and 0 < test_frac < 1 and val_frac + test_frac < 1):
        raise ValueError(
            f"need 0 <= val_frac, 0 < test_frac and val_frac + test_frac < 1; got {val_frac}, {test_frac}"
        )
    _check(ds)
    n = len(ds)
    ts = np.asarray(column(ds, "timestamp"), dtype=np.int64)
    order = np.sort(ts)
    val_start = order[min(n - 1, math.ceil(round(n * (1 - val_frac - test_frac), 9)))]
    test_start = order[min(n - 1, math.ceil(round(n * (1 - test_frac), 9)))]
    train_idx = np.flatnonzero(ts < val_start)
    val_idx = np.flatnonzero((ts >= val_start) & (ts < test_start))
    test_idx = np.flatnonzero(ts >= test_start)
    if len(train_idx) == 0 or len(test_idx) == 0 or (val_frac > 0 and len(val_idx) == 0):
        raise ValueError(
            f"temporal_split({val_frac}, {test_frac}) gives sizes {len(train_idx)}/{len(val_idx)}/{len(test_idx)}: "
            "too many rows share the cut timestamps"
        )
    return _finish(ds, train_idx, val_idx, test_idx, drop_repeats)


def leave_last_out(ds: Any, *, with_val: bool = True, drop_repeats: bool = True) -> Split:
    """Per user: latest review -> test, the one before -> validation (if ``with_val``), the rest -> train.

    Users with a single review stay in training only; with two reviews (or ``with_val=False``) no
    validation row is taken. Ties on ``timestamp`` are broken by ``review_id``.

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"review_id": ["a", "b"], "user_id": ["u", "u"], "item_id": ["x", "y"],
        ...                         "timestamp": [5, 1]})
        >>> s = leave_last_out(ds)
        >>> list(s.train["item_id"]), len(s.val), list(s.test["item_id"])
        (['y'], 0, ['x'])
    """
    _check(ds)
    ts = np.asarray(column(ds, "timestamp"), dtype=np.int64)
    rid = np.asarray(column(ds, "review_id"), dtype=object)
    users = np.asarray(column(ds, "user_id"), dtype=object)
    order = np.lexsort((rid, ts, users))  # by user, then time, then review id
    train, val, test = [], [], []
    start = 0
    n = len(order)
    while start < n:
        end = start
        while end < n and users[order[end]] == users[order[start]]:
            end += 1
        block = order[start:end]
        m = len(block)
        if m == 1:
            train.extend(block)
        elif m == 2 or not with_val:
            train.extend(block[:-1])
            test.append(block[-1])
        else:
            train.extend(block[:-2])
            val.append(block[-2])
            test.append(block[-1])
        start = end
    as_arr = (np.asarray(x, dtype=np.int64) for x in (train, val, test))
    return _finish(ds, *as_arr, drop_repeats)
