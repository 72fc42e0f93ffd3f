"""TextToFactors (text -> ALS item factors for sparse items) on small synthetic data written here."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from datasets import Dataset

from reviewaug.rec import evaluate_arm
from reviewaug.rec.evaluate import DEFAULT_GRIDS
from reviewaug.rec.models import ALS, TextToFactors, item_text_profiles, make_model

ALS_PARAMS = {"factors": 4, "iterations": 20, "regularization": 0.1, "alpha": 1.0}

# synthetic item texts: two families (strings / drums), each warm item with its own words
WARM_TEXTS = [
    "steel guitar strings bright nickel wound",
    "maple drum sticks heavy tip",
    "bronze acoustic strings warm coated",
    "snare drum head coated batter",
    "nylon classical strings soft tension",
    "practice pad rubber drum quiet",
    "electric bass strings roundwound long scale",
    "cymbal felt washers drum kit",
]
N_WARM = len(WARM_TEXTS)
SPARSE = N_WARM  # the sparse item's column


def strings_and_drums(n_users: int = 24) -> tuple[sp.csr_matrix, list[list[str]]]:
    """Users of parity p own every warm item of parity p (even = strings, odd = drums).

    The sparse item (last column) was bought once, by a drum user, but its text is the text of warm item 0
    (strings): its text says "strings", its one interaction says "drums".
    """
    x = np.zeros((n_users, N_WARM + 1), dtype=np.float32)
    for u in range(n_users):
        x[u, [i for i in range(N_WARM) if i % 2 == u % 2]] = 1.0
    x[1, SPARSE] = 1.0
    texts = [[t] for t in WARM_TEXTS] + [[WARM_TEXTS[0]]]
    return sp.csr_matrix(x), texts


def rank_of(scores: np.ndarray, item: int) -> int:
    """0-based rank of ``item`` in a score row (higher score first)."""
    return int((scores > scores[item]).sum())


def test_a_sparse_item_with_a_warm_items_text_gets_that_items_factor_and_rank():
    x, texts = strings_and_drums()
    model = TextToFactors(shrink=5.0, ridge_alpha=1e-4, sparse_max=1, encoder="tfidf", **ALS_PARAMS)
    model.fit(x, texts)
    als_items = ALS(**ALS_PARAMS).fit(x)._item
    pred = model.predicted_factors()
    # the map is trained on warm items: identical text, (nearly) identical factor to warm item 0
    assert np.linalg.norm(pred[SPARSE] - als_items[0]) < 0.05 * np.linalg.norm(als_items[0])
    # ...and far from the factor ALS gave it from its one drum buyer
    assert np.linalg.norm(als_items[SPARSE] - als_items[0]) > 0.5 * np.linalg.norm(als_items[0])
    # a strings user (user 0 owns item 0) ranks the sparse item higher than plain ALS does
    user = np.array([0])
    with_text = model.score(user)[0]
    plain = ALS(**ALS_PARAMS).fit(x).score(user)[0]
    assert with_text[SPARSE] > plain[SPARSE]
    assert rank_of(with_text, SPARSE) < rank_of(plain, SPARSE)
    # among the items user 0 has not got, the sparse item now comes first
    unseen = np.flatnonzero(x[0].toarray()[0] == 0)
    assert unseen[np.argmax(with_text[unseen])] == SPARSE
    # warm items keep their ALS factors
    assert np.array_equal(model.item_factors()[:N_WARM], als_items[:N_WARM])


def test_shrink_zero_is_plain_als_and_large_shrink_is_the_text_prediction():
    x, texts = strings_and_drums()
    users = np.arange(x.shape[0])
    model = TextToFactors(shrink=0.0, sparse_max=1, encoder="tfidf", **ALS_PARAMS).fit(x, texts)
    assert np.array_equal(model.score(users), ALS(**ALS_PARAMS).fit(x).score(users))
    model.shrink = 1e9  # n_i = 1: weight 1e9 / (1 + 1e9) on the prediction
    assert np.allclose(model.item_factors()[SPARSE], model.predicted_factors()[SPARSE], atol=1e-8)
    model.shrink = 1.0  # n_i = 1: an even blend
    als_items = ALS(**ALS_PARAMS).fit(x)._item
    half = 0.5 * (als_items[SPARSE] + model.predicted_factors()[SPARSE])
    assert np.allclose(model.item_factors()[SPARSE], half)
    assert model.chosen_alpha is not None and model.chosen_alpha > 0  # RidgeCV picked one


def test_items_without_text_keep_their_als_factor():
    x, texts = strings_and_drums()
    texts[SPARSE] = []
    model = TextToFactors(shrink=1e6, sparse_max=1, encoder="tfidf", **ALS_PARAMS).fit(x, texts)
    assert np.array_equal(model.item_factors(), ALS(**ALS_PARAMS).fit(x)._item)


def test_precomputed_profiles_give_the_same_scores_as_texts():
    x, texts = strings_and_drums()
    users = np.arange(x.shape[0])
    a = TextToFactors(sparse_max=1, encoder="tfidf", **ALS_PARAMS).fit(x, texts).score(users)
    prof = item_text_profiles(texts, encoder="tfidf")
    b = TextToFactors(sparse_max=1, encoder="tfidf", **ALS_PARAMS).fit(x, prof).score(users)
    assert np.array_equal(a, b)


def test_same_seed_same_scores_and_another_seed_differs():
    x, texts = strings_and_drums()
    users = np.arange(x.shape[0])

    def run(seed: int) -> np.ndarray:
        m = make_model("text2factors", seed=seed, sparse_max=1, encoder="tfidf", **ALS_PARAMS)
        return m.fit(x, texts).score(users)

    assert np.array_equal(run(3), run(3))
    assert not np.array_equal(run(3), run(4))


def test_bad_input_gives_clear_errors():
    x, texts = strings_and_drums()
    with pytest.raises(ValueError, match=r"TextToFactors.fit needs one text list .* \(9 items\), got 3"):
        TextToFactors(encoder="tfidf").fit(x, texts[:3])
    with pytest.raises(ValueError, match="got none"):
        TextToFactors(encoder="tfidf").fit(x)
    with pytest.raises(RuntimeError, match="fit"):
        TextToFactors().score(np.array([0]))
    m = TextToFactors(sparse_max=1, encoder="tfidf", **ALS_PARAMS).fit(x, texts)
    m.shrink = -1.0
    with pytest.raises(ValueError, match="shrink must be >= 0"):
        m.score(np.array([0]))
    # no warm item to learn the map from: a clear error unless shrink is 0 (plain ALS)
    m = TextToFactors(sparse_max=100, encoder="tfidf", **ALS_PARAMS).fit(x, texts)
    with pytest.raises(ValueError, match="at least 2 items"):
        m.score(np.array([0]))
    m.shrink = 0.0
    assert m.score(np.array([0])).shape == (1, x.shape[1])


def _reviews(pairs: list[tuple[int, int]], texts: list[str]) -> Dataset:
    return Dataset.from_dict(
        {
            "user_id": [f"u{u:02d}" for u, _ in pairs],
            "item_id": [f"i{i:02d}" for _, i in pairs],
            "rating": [5.0] * len(pairs),
            "text": [texts[i] for _, i in pairs],
        }
    )


def test_evaluate_arm_passes_item_texts_and_extra_texts_change_the_result():
    x, texts = strings_and_drums()
    x = x.tolil()
    # three drum users also bought strings item 2: the strings item drum users like best
    x[[3, 5, 7], 2] = 1.0
    flat = [t[0] for t in texts]
    train = _reviews([(int(u), int(i)) for u, i in zip(*x.nonzero())], flat)
    # other drum users hold out the sparse item, whose only text says "strings"; they have not got the strings
    # items and the sparse item, and item 2 comes first for them unless the sparse item looks like drums
    test = _reviews([(u, SPARSE) for u in range(9, x.shape[0], 2)], ["a new review"] * (N_WARM + 1))
    fixed = {"sparse_max": 1, "encoder": "tfidf", "ridge_alpha": 1e-4, **ALS_PARAMS}
    run = dict(model="text2factors", seeds=[0], params=fixed, grid=[{"shrink": 1e6}], sparse_max=1, ks=(1,))
    base = evaluate_arm(train, test, **run)
    # five drum texts for the sparse item pull its text profile, and so its factor, towards drums
    drums = [(f"i{SPARSE:02d}", f"{WARM_TEXTS[1]} {w}") for w in ("new", "fresh", "hard", "light", "long")]
    more = evaluate_arm(train, test, extra_texts=drums, **run)
    assert more.info["extra_texts_used"] == 5
    assert more.mean("hr@1") == 1.0
    assert base.mean("hr@1") == 0.0
    # the hybrid-style text pipeline is what reaches the model: ALS alone ignores the extra texts
    als = [evaluate_arm(train, test, extra_texts=e, model="als", seeds=[0], params=ALS_PARAMS, ks=(1,))
           for e in (None, drums)]  # fmt: skip
    assert np.array_equal(als[0].metrics["hr@1"], als[1].metrics["hr@1"])


def test_evaluate_arm_tunes_the_default_grid_with_one_fit_per_seed():
    x, texts = strings_and_drums()
    flat = [t[0] for t in texts]
    train = _reviews([(int(u), int(i)) for u, i in zip(*x.nonzero())], flat)
    val = _reviews([(u, SPARSE) for u in range(0, x.shape[0], 4)], ["validation words"] * (N_WARM + 1))
    test = _reviews([(u, SPARSE) for u in range(2, x.shape[0], 4)], ["a new review"] * (N_WARM + 1))
    fixed = {"sparse_max": 1, "encoder": "tfidf", "ridge_alpha": 1e-4, **ALS_PARAMS}
    res = evaluate_arm(train, test, val=val, model="text2factors", seeds=[0, 1], params=fixed, sparse_max=1)
    grid_shrinks = {p["shrink"] for p in DEFAULT_GRIDS["text2factors"]}
    assert all(p["shrink"] in grid_shrinks for p in res.params)
    # validation users want the sparse item, which only its text can place: the chosen shrink is not 0
    assert all(p["shrink"] > 0 for p in res.params)
    assert res.metrics["ndcg@10"].shape == (2, len(range(2, x.shape[0], 4)))


def test_keep_norm_blends_the_predicted_direction_at_the_als_length():
    x, texts = strings_and_drums()
    x = x.tolil()
    x[:, SPARSE] = 0.0  # the sparse item becomes cold
    x = x.tocsr()
    model = TextToFactors(shrink=1e9, sparse_max=1, keep_norm=True, encoder="tfidf", **ALS_PARAMS)
    model.fit(x, texts)
    pred = model.predicted_factors()[SPARSE]
    got = model.item_factors()[SPARSE]
    # same direction as the prediction
    assert np.dot(got, pred) / (np.linalg.norm(got) * np.linalg.norm(pred)) > 1 - 1e-9
    # a cold item has no ALS length and no other item has 1..sparse_max interactions: mean warm length
    warm_len = np.linalg.norm(ALS(**ALS_PARAMS).fit(x)._item[:N_WARM], axis=1).mean()
    assert np.linalg.norm(got) == pytest.approx(warm_len)
    x2, texts2 = strings_and_drums()  # bought once: the blend keeps the item's own ALS length
    m2 = TextToFactors(shrink=1e9, sparse_max=1, keep_norm=True, encoder="tfidf", **ALS_PARAMS).fit(
        x2, texts2
    )
    own = np.linalg.norm(ALS(**ALS_PARAMS).fit(x2)._item[SPARSE])
    assert np.linalg.norm(m2.item_factors()[SPARSE]) == pytest.approx(own, rel=1e-6)
    m2.keep_norm = False
    assert np.linalg.norm(m2.item_factors()[SPARSE]) != pytest.approx(own, rel=1e-3)
