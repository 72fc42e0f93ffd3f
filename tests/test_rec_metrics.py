"""Ranking metrics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewaug.rec.metrics import coverage, rank_items, ranking_metrics


def test_rank_items_filters_training_items_and_breaks_ties_by_index():
    scores = np.array([[0.5, 0.9, 0.5, 0.1, 0.5]])
    exclude = sp.csr_matrix(np.array([[0, 1, 0, 0, 0]]))
    top = rank_items(scores, exclude, k=4)
    # item 1 is a training item; the three 0.5 ties come in index order
    assert top.tolist() == [[0, 2, 4, 3]]


def test_rank_items_pads_with_minus_one_when_catalogue_is_small():
    top = rank_items(np.array([[1.0, 2.0]]), sp.csr_matrix(np.array([[1, 0]])), k=4)
    assert top.tolist() == [[1, -1, -1, -1]]


def test_ndcg_recall_hr_hand_computed():
    # user 0: relevant {3, 8}; ranks 2 and 5 in the list -> DCG = 1/log2(3) + 1/log2(6)
    # user 1: relevant {9}; not in top 5 -> all zero
    # user 2: relevant {1}; rank 1 -> 1
    top = np.array([[0, 3, 4, 5, 8, 9], [0, 1, 2, 3, 4, 5], [1, 0, 2, 3, 4, 5]])
    truth = [{3, 8}, {9}, {1}]
    m = ranking_metrics(top, truth, ks=(5, 1))
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    idcg = 1 + 1 / math.log2(3)
    assert m["ndcg@5"][0] == pytest.approx(dcg / idcg)
    assert m["recall@5"][0] == pytest.approx(1.0)
    assert m["hr@5"].tolist() == [1.0, 0.0, 1.0]
    assert m["ndcg@5"][1] == 0.0 and m["ndcg@5"][2] == pytest.approx(1.0)
    # at k=1: user 0's first item (0) is not relevant
    assert m["hr@1"].tolist() == [0.0, 0.0, 1.0]
    assert m["recall@1"][0] == 0.0
    # ideal DCG at k=1 is capped at one relevant item
    assert m["ndcg@1"][2] == pytest.approx(1.0)


def test_recall_divides_by_number_of_relevant_items():
    m = ranking_metrics(np.array([[1, 2, 3]]), [{1, 7, 8, 9}], ks=(3,))
    assert m["recall@3"][0] == pytest.approx(0.25)
    assert m["ndcg@3"][0] == pytest.approx(1.0 / (1 + 1 / math.log2(3) + 0.5))


def test_users_without_held_out_items_are_nan_and_sparse_truth_works():
    truth = sp.csr_matrix(np.array([[0, 1, 0], [0, 0, 0]]))
    m = ranking_metrics(np.array([[1, 0, 2], [0, 1, 2]]), truth, ks=(2,))
    assert m["hr@2"][0] == 1.0 and np.isnan(m["hr@2"][1])


def test_ranking_metrics_rejects_short_lists():
    with pytest.raises(ValueError, match="k=10"):
        ranking_metrics(np.zeros((1, 5), int), [{1}], ks=(10,))


def test_coverage_counts_distinct_items():
    assert coverage(np.array([[0, 1], [1, -1]]), n_items=10) == pytest.approx(0.2)
    assert coverage(np.array([[0, 1, 2], [3, 4, 5]]), n_items=6, k=1) == pytest.approx(2 / 6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_metrics_are_bounded_and_a_perfect_ranking_scores_one(seed, n_rel):
    rng = np.random.default_rng(seed)
    n_items = 30
    scores = rng.random((4, n_items))
    truth = [set(rng.choice(n_items, size=n_rel, replace=False).tolist()) for _ in range(4)]
    m = ranking_metrics(rank_items(scores, None, k=20), truth, ks=(10, 20))
    for v in m.values():
        assert np.all((v >= 0) & (v <= 1))
    assert np.all(m["recall@20"] >= m["recall@10"])
    perfect = scores.copy()
    for u, s in enumerate(truth):
        perfect[u, list(s)] += 10
    p = ranking_metrics(rank_items(perfect, None, k=20), truth, ks=(10,))
    assert np.allclose(p["ndcg@10"], 1.0) and np.allclose(p["recall@10"], 1.0)
