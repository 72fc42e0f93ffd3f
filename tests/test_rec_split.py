"""Splits: no test interaction or text in training, temporal order respected."""

from __future__ import annotations

import numpy as np
import pytest
from datasets import Dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewaug.rec.split import leave_last_out, temporal_split


def synthetic(n_users: int = 12, per_user: int = 6, n_items: int = 15, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    rows = {k: [] for k in ("review_id", "user_id", "item_id", "rating", "text", "timestamp")}
    for u in range(n_users):
        items = rng.choice(n_items, size=per_user, replace=False)
        times = rng.integers(0, 40, size=per_user)
        for it, t in zip(items, times):
            rows["review_id"].append(f"i{it}_u{u}")
            rows["user_id"].append(f"u{u}")
            rows["item_id"].append(f"i{it}")
            rows["rating"].append(float(rng.integers(1, 6)))
            rows["text"].append(f"review by u{u} of item i{it} token{rng.integers(1_000_000)}")
            rows["timestamp"].append(int(t))
    return Dataset.from_dict(rows)


def _pairs(ds):
    return set(zip(ds["user_id"], ds["item_id"]))


def assert_no_leak(split, full):
    train, val, test = split
    ids = [set(x["review_id"]) for x in split]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert ids[0] | ids[1] | ids[2] <= set(full["review_id"])
    assert not (_pairs(train) & _pairs(test)) and not (_pairs(train) & _pairs(val))
    assert not (set(train["text"]) & set(test["text"]))
    assert not (set(val["text"]) & set(test["text"]))


def test_temporal_split_orders_time_and_keeps_ties_together():
    ds = synthetic()
    split = temporal_split(ds, val_frac=0.15, test_frac=0.2)
    train, val, test = split
    assert max(train["timestamp"]) < min(val["timestamp"])
    assert max(val["timestamp"]) < min(test["timestamp"])
    assert len(train) + len(val) + len(test) == len(ds)  # no repeated pairs in this data
    assert 0.1 < len(test) / len(ds) < 0.35
    assert_no_leak(split, ds)


def test_temporal_split_drops_repeat_pairs_from_test():
    ds = Dataset.from_dict(
        {
            "review_id": ["a", "b", "c", "d"],
            "user_id": ["u", "u", "v", "u"],
            "item_id": ["x", "y", "x", "x"],
            "rating": [5.0] * 4,
            "text": ["t1", "t2", "t3", "t4"],
            "timestamp": [1, 2, 3, 4],
        }
    )
    train, val, test = temporal_split(ds, val_frac=0.25, test_frac=0.25)
    assert "d" not in test["review_id"]  # (u, x) was already in training


def test_temporal_split_errors_when_cut_falls_inside_one_timestamp():
    ds = Dataset.from_dict(
        {
            "review_id": list("abcd"),
            "user_id": list("uuuu"),
            "item_id": list("wxyz"),
            "timestamp": [1, 1, 1, 1],
        }
    )
    with pytest.raises(ValueError, match="share the cut"):
        temporal_split(ds)


def test_leave_last_out_holds_out_each_users_latest_review():
    ds = synthetic(seed=3)
    split = leave_last_out(ds)
    train, val, test = split
    assert len(test) == len(set(ds["user_id"])) and len(val) == len(test)
    latest = {}
    for r in ds:
        key = (r["timestamp"], r["review_id"])
        if r["user_id"] not in latest or key > latest[r["user_id"]][0]:
            latest[r["user_id"]] = (key, r["review_id"])
    assert set(test["review_id"]) == {v[1] for v in latest.values()}
    # every user's training reviews are no later than their validation review, which precedes the test one
    tr_max = {}
    for u, t, rid in zip(train["user_id"], train["timestamp"], train["review_id"]):
        tr_max[u] = max(tr_max.get(u, (-1, "")), (t, rid))
    for u, t, rid in zip(val["user_id"], val["timestamp"], val["review_id"]):
        assert tr_max[u] < (t, rid)
    assert_no_leak(split, ds)


def test_leave_last_out_small_users():
    ds = Dataset.from_dict(
        {
            "review_id": ["a", "b", "c"],
            "user_id": ["solo", "duo", "duo"],
            "item_id": ["x", "x", "y"],
            "timestamp": [1, 1, 2],
        }
    )
    train, val, test = leave_last_out(ds)
    assert sorted(train["review_id"]) == ["a", "b"] and test["review_id"] == ["c"] and len(val) == 0


def test_split_rejects_duplicate_review_ids():
    ds = Dataset.from_dict(
        {"review_id": ["a", "a"], "user_id": ["u", "v"], "item_id": ["x", "y"], "timestamp": [1, 2]}
    )
    with pytest.raises(ValueError, match="row 1"):
        leave_last_out(ds)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 8))
def test_leave_last_out_never_leaks(seed, per_user):
    ds = synthetic(n_users=6, per_user=per_user, n_items=10, seed=seed)
    split = leave_last_out(ds)
    assert_no_leak(split, ds)
    assert len(split.train) + len(split.val) + len(split.test) == len(ds)
