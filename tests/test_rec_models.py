"""Models and the arm evaluation on small synthetic data (checkerboard, text, determinism)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from datasets import Dataset

from reviewaug.rec import evaluate_arm
from reviewaug.rec.metrics import rank_items
from reviewaug.rec.models import ALS, BPR, ItemKNN, Popularity, TextHybrid, make_model


def checkerboard(n_users: int = 24, n_items: int = 16) -> tuple[sp.csr_matrix, np.ndarray]:
    """Users of parity p like every item of parity p; one liked item per user is held out."""
    x = np.zeros((n_users, n_items), dtype=np.float32)
    held = np.empty(n_users, dtype=np.int64)
    for u in range(n_users):
        same = [i for i in range(n_items) if i % 2 == u % 2]
        held[u] = same[(u // 2) % len(same)]
        x[u, same] = 1.0
        x[u, held[u]] = 0.0
    return sp.csr_matrix(x), held


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_als_ranks_each_users_held_out_item_first_on_a_checkerboard(seed):
    x, held = checkerboard()
    model = ALS(factors=2, iterations=20, regularization=0.1, alpha=1.0, seed=seed).fit(x)
    top = rank_items(model.score(np.arange(x.shape[0])), x, k=1)
    assert top[:, 0].tolist() == held.tolist()


def test_itemknn_and_bpr_recover_the_checkerboard_block():
    x, held = checkerboard()
    users = np.arange(x.shape[0])
    for model in (ItemKNN(k=10).fit(x), BPR(factors=8, iterations=200, learning_rate=0.05, seed=0).fit(x)):
        top = rank_items(model.score(users), x, k=1)[:, 0]
        # the top unseen item has the user's parity (BPR may not hit the exact held-out one in every case)
        assert np.mean(top % 2 == users % 2) >= 0.9, type(model).__name__
    top = rank_items(ItemKNN(k=10).fit(x).score(users), x, k=1)[:, 0]
    assert top.tolist() == held.tolist()


def test_factor_models_repeat_exactly_with_the_same_seed():
    x, _ = checkerboard()
    users = np.arange(x.shape[0])
    for cls in (ALS, BPR):
        a = cls(factors=4, iterations=5, seed=7).fit(x).score(users)
        b = cls(factors=4, iterations=5, seed=7).fit(x).score(users)
        c = cls(factors=4, iterations=5, seed=8).fit(x).score(users)
        assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_bpr_refuses_parallel_threads():
    with pytest.raises(ValueError, match="num_threads=1"):
        BPR(num_threads=2).fit(checkerboard()[0])


def test_popularity_counts_training_users():
    x = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1]], dtype=np.float32))
    assert Popularity().fit(x).score(np.array([0, 1])).tolist() == [[1, 3, 1], [1, 3, 1]]
    with pytest.raises(RuntimeError, match="fit"):
        Popularity().score(np.array([0]))


def test_text_hybrid_uses_item_text_for_an_item_without_interactions():
    # user 0 bought two guitar-string items; item 3 has no interactions, only text about strings
    x = sp.csr_matrix(np.array([[1, 1, 0, 0, 0], [0, 0, 1, 0, 1], [0, 0, 1, 0, 1]], dtype=np.float32))
    texts = [
        ["bright nickel guitar strings"],
        ["phosphor bronze guitar strings"],
        ["drum sticks maple"],
        ["coated bronze guitar strings set"],
        ["drum practice pad"],
    ]
    users = np.array([0])
    pure_text = TextHybrid(weight=1.0, encoder="tfidf", factors=2, iterations=3).fit(x, texts)
    assert rank_items(pure_text.score(users), x[users], k=1)[0, 0] == 3
    no_text = TextHybrid(weight=0.0, encoder="tfidf", factors=2, iterations=3).fit(x, texts)
    als = ALS(factors=2, iterations=3).fit(x)
    assert np.allclose(no_text.score(users), als.score(users))
    with pytest.raises(ValueError, match="one text list"):
        TextHybrid(encoder="tfidf").fit(x, texts[:2])


def test_make_model_validates_names_and_params():
    assert make_model("bpr", seed=4).seed == 4
    with pytest.raises(ValueError, match="unknown model"):
        make_model("svd")
    with pytest.raises(TypeError, match="no parameter"):
        make_model("pop", factors=3)


def _reviews(x: np.ndarray, texts: list[str], prefix: str = "") -> Dataset:
    users, items = np.nonzero(x)
    return Dataset.from_dict(
        {
            "user_id": [f"u{u:02d}" for u in users],
            "item_id": [f"i{i:02d}" for i in items],
            "rating": [5.0] * len(users),
            "text": [texts[i] for i in items],
        }
    )


def test_evaluate_arm_on_the_checkerboard_and_pairs_arms():
    x, held = checkerboard()
    texts = [f"{'red' if i % 2 else 'blue'} item number {i}" for i in range(x.shape[1])]
    train = _reviews(x.toarray(), texts)
    test_mat = np.zeros_like(x.toarray())
    test_mat[np.arange(len(held)), held] = 1
    test = _reviews(test_mat, [f"held out text {i}" for i in range(x.shape[1])])
    res = evaluate_arm(
        train,
        test,
        model="als",
        seeds=[0, 1],
        params={"factors": 2, "iterations": 20, "regularization": 0.1, "alpha": 1.0},
    )
    assert res.metrics["ndcg@10"].shape == (2, len(held))
    assert res.mean("hr@10") == 1.0 and res.mean("ndcg@10") == pytest.approx(1.0)
    pop = evaluate_arm(train, test, model="pop", seeds=[0, 1, 2])
    assert pop.metrics["hr@10"].shape == (3, len(held))
    a, b = pop.paired(res, "ndcg@10")
    assert len(a) == len(held) and b.mean() > a.mean()
    # every item has 11 training users: with sparse_max=5 all are warm
    assert res.info["slice_items"] == {"cold": 0, "sparse": 0, "warm": x.shape[1]}
    assert np.isnan(res.per_user("ndcg@10", "sparse")).all()


def test_evaluate_arm_dedupes_extra_texts_against_test_and_ignores_unknown_items():
    x, held = checkerboard(n_users=8, n_items=8)
    texts = [f"item {i} text" for i in range(8)]
    train = _reviews(x.toarray(), texts)
    test_mat = np.zeros_like(x.toarray())
    test_mat[np.arange(len(held)), held] = 1
    test = _reviews(test_mat, [f"the held out review of item {i} is here" for i in range(8)])
    extra = [
        ("i00", "The held-out review of item 0 is here!"),
        ("i01", "fresh synthetic words"),
        ("zz", "unknown item text"),
    ]
    res = evaluate_arm(
        train,
        test,
        model="hybrid",
        extra_texts=extra,
        seeds=[0],
        params={"encoder": "tfidf", "factors": 2, "iterations": 3},
    )
    assert res.info["extra_texts_dropped_dup"] == 1
    assert res.info["extra_texts_unknown_item"] == 1
    assert res.info["extra_texts_used"] == 2
    with pytest.raises(ValueError, match="pair"):
        evaluate_arm(train, test, model="hybrid", extra_texts=[("i00",)], seeds=[0])


def test_evaluate_arm_tunes_on_validation_with_the_given_grid():
    x, held = checkerboard()
    texts = [f"t{i}" for i in range(x.shape[1])]
    xt = x.toarray()
    users = np.arange(len(held))
    val_items = np.array(
        [[i for i in range(x.shape[1]) if i % 2 == u % 2 and xt[u, i] > 0][0] for u in users]
    )
    train_mat = xt.copy()
    train_mat[users, val_items] = 0
    val_mat = np.zeros_like(xt)
    val_mat[users, val_items] = 1
    test_mat = np.zeros_like(xt)
    test_mat[users, held] = 1
    grid = [
        {"factors": 1, "iterations": 1},
        {"factors": 2, "iterations": 20, "regularization": 0.1, "alpha": 1.0},
    ]
    res = evaluate_arm(
        _reviews(train_mat, texts),
        _reviews(test_mat, texts),
        val=_reviews(val_mat, texts),
        model="als",
        seeds=[0],
        grid=grid,
    )
    assert res.params[0]["factors"] == 2
    assert res.mean("hr@10") == 1.0


def test_text_hybrid_reweighting_a_fitted_model_equals_fitting_with_that_weight():
    # evaluate_arm relies on this to tune the blend weight with one fit per seed
    x, _ = checkerboard()
    texts = [[f"{'red' if i % 2 else 'blue'} thing {i}"] for i in range(x.shape[1])]
    users = np.arange(x.shape[0])
    m = TextHybrid(weight=0.0, encoder="tfidf", factors=2, iterations=5, seed=3).fit(x, texts)
    m.weight, m.sparse_weight = 0.6, 0.9
    direct = TextHybrid(weight=0.6, sparse_weight=0.9, encoder="tfidf", factors=2, iterations=5, seed=3).fit(
        x, texts
    )
    assert np.allclose(m.score(users), direct.score(users))


def test_evaluate_arm_takes_only_the_copies_of_an_augment_dataset_output():
    x, held = checkerboard(n_users=8, n_items=8)
    train = _reviews(x.toarray(), [f"item {i} text" for i in range(8)])
    test_mat = np.zeros_like(x.toarray())
    test_mat[np.arange(len(held)), held] = 1
    test = _reviews(test_mat, [f"held out {i}" for i in range(8)])
    aug = Dataset.from_dict(
        {
            "item_id": ["i00", "i00", "i01"],
            "text": ["item 0 text", "item zero words", "item one words"],
            "aug_index": [0, 1, 1],
        }
    )
    res = evaluate_arm(
        train, test, model="hybrid", extra_texts=aug, seeds=[0], params={"encoder": "tfidf", "factors": 2}
    )
    assert res.info["extra_texts_in"] == 2


def test_text_hybrid_sparse_weight_applies_to_items_with_few_interactions_only():
    from reviewaug.rec.models import _zrows

    x, _ = checkerboard()
    xa = x.toarray()
    xa[:, 5] = 0
    xa[1, 5] = 1  # item 5 now has a single training interaction
    x1 = sp.csr_matrix(xa)
    texts = [[f"{'red' if i % 2 else 'blue'} thing {i}"] for i in range(x1.shape[1])]
    users = np.arange(x1.shape[0])
    m = TextHybrid(weight=0.0, sparse_weight=1.0, sparse_max=1, encoder="tfidf", factors=2, iterations=5).fit(
        x1, texts
    )
    s = m.score(users)
    z_als, z_text = _zrows(m._als.score(users)), _zrows(m.text_score(users))
    assert np.allclose(s[:, 5], z_text[:, 5])
    warm = [i for i in range(x1.shape[1]) if i != 5]
    assert np.allclose(s[:, warm], z_als[:, warm])
    with pytest.raises(ValueError, match="sparse_weight"):
        TextHybrid(sparse_weight=1.5, encoder="tfidf").fit(x1, texts)
