"""The low-data sentiment protocol on a small synthetic corpus."""

from __future__ import annotations

import numpy as np
import pytest
from datasets import Dataset

import reviewaug.evaluate.sentiment as sent_mod
from reviewaug.evaluate.controls import random_words_fn
from reviewaug.evaluate.sentiment import (
    SentimentData,
    binary_sentiment,
    fit_predict,
    from_augmented,
    grouped_folds,
    holdout,
    run_sentiment,
    select_c,
    stratified_subsample,
)

POS = ["great", "love", "excellent", "solid", "perfect", "happy"]
NEG = ["broke", "awful", "returned", "cheap", "useless", "noisy"]
NEUTRAL = ["strings", "tuner", "cable", "pedal", "guitar", "the", "a", "it", "this", "with", "for", "my"]


def synthetic_reviews(n: int = 600, neg_share: float = 0.25, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    rows = {"review_id": [], "rating": [], "text": []}
    for k in range(n):
        r = rng.random()
        rating = 1.0 if r < neg_share / 2 else 2.0 if r < neg_share else 3.0 if r < neg_share + 0.05 else 5.0
        cue = NEG if rating <= 2 else POS
        words = list(rng.choice(NEUTRAL, size=6)) + list(rng.choice(cue, size=1))
        rng.shuffle(words)
        rows["review_id"].append(f"r{k}")
        rows["rating"].append(rating)
        rows["text"].append(" ".join(words) if k % 97 else "")
    return Dataset.from_dict(rows)


def test_binary_sentiment_drops_three_stars_and_empty_texts():
    ds = synthetic_reviews()
    d = binary_sentiment(ds)
    ratings = dict(zip(ds["review_id"], ds["rating"]))
    assert all(ratings[r] != 3.0 for r in d.review_ids)
    assert all(t for t in d.texts)
    assert set(d.labels.tolist()) == {0, 1}
    assert all((ratings[r] >= 4) == bool(y) for r, y in zip(d.review_ids, d.labels))


def test_holdout_is_balanced_disjoint_and_fixed_by_seed():
    d = binary_sentiment(synthetic_reviews())
    pool, test = holdout(d, test_neg_frac=0.3, seed=0)
    assert (test.labels == 0).sum() == (test.labels == 1).sum()
    assert not set(pool.review_ids) & set(test.review_ids)
    assert len(pool) + len(test) == len(d)
    assert holdout(d, seed=0)[1].review_ids == test.review_ids
    assert holdout(d, seed=1)[1].review_ids != test.review_ids


def test_stratified_subsample_keeps_ratio_and_minimum():
    labels = np.array([0] * 30 + [1] * 270)
    idx = stratified_subsample(labels, 100, np.random.default_rng(0))
    assert len(idx) == 100 and len(set(idx.tolist())) == 100 and (labels[idx] == 0).sum() == 10
    tiny = stratified_subsample(labels, 10, np.random.default_rng(0), min_per_class=2)
    assert (labels[tiny] == 0).sum() == 2
    assert len(stratified_subsample(labels, None, np.random.default_rng(0))) == 300
    with pytest.raises(ValueError, match="subsample of 3"):
        stratified_subsample(np.array([0, 1, 1, 1]), 3, np.random.default_rng(0), min_per_class=2)


def test_fit_predict_learns_cue_words():
    d = binary_sentiment(synthetic_reviews())
    pred = fit_predict("tfidf", d.texts[:300], d.labels[:300], d.texts[300:])
    assert (pred == d.labels[300:]).mean() > 0.9


def test_run_sentiment_never_shows_test_text_to_augmenters_and_pairs_arms():
    ds = synthetic_reviews()
    seen: list[str] = []

    def spy(texts, ids, labels, n_copies, seed):
        seen.extend(ids)
        return [(t, int(y)) for t, y in zip(texts, labels) for _ in range(n_copies)]

    # a harmful arm: copies with flipped labels must lose accuracy
    def flip(texts, ids, labels, n_copies, seed):
        return [(t, 1 - int(y)) for t, y in zip(texts, labels) for _ in range(n_copies)]

    arms = {"dup": spy, "flip": flip, "random": random_words_fn()}
    res = run_sentiment(
        ds, arms, sizes=[40, None], copies=[1, 3], seeds=[0, 1, 2], features=["tfidf"], show_progress=False
    )
    test_ids = set(holdout(binary_sentiment(ds))[1].review_ids)
    assert seen and not (set(seen) & test_ids)
    assert res.train_sizes["40"] == 40 and res.train_sizes["all"] == res.info["n_pool"]
    cell = res.predictions[("tfidf", "all", "no_aug", 0)]
    assert cell.shape == (3, len(res.y_test))
    assert ("tfidf", "40", "flip", 3) in res.predictions
    rows = res.compare(n_boot=200)
    assert {r["metric"] for r in rows} == {"accuracy", "f1"}
    assert len(rows) == 2 * 2 * 3 * 2  # sizes x copies x arms x metrics
    flip_all = [
        r
        for r in rows
        if r["arm"] == "flip" and r["size"] == "all" and r["copies"] == 3 and r["metric"] == "accuracy"
    ][0]
    assert flip_all["diff"] < 0 and flip_all["verdict"] == "significant loss"
    assert flip_all["arm"] == "flip" and flip_all["diff"] == pytest.approx(
        flip_all["arm_mean"] - flip_all["base_mean"]
    )
    base = [
        r
        for r in res.baselines(n_boot=200)
        if r["arm"] == "no_aug" and r["size"] == "all" and r["metric"] == "accuracy"
    ][0]
    assert base["base_mean"] > 0.9 and base["base_ci_low"] <= base["base_mean"] <= base["base_ci_high"]
    # the same seeds give the same subsamples, so no-aug predictions repeat
    again = run_sentiment(ds, {}, sizes=[40], seeds=[0, 1, 2], features=["tfidf"], show_progress=False)
    assert np.array_equal(
        again.predictions[("tfidf", "40", "no_aug", 0)], res.predictions[("tfidf", "40", "no_aug", 0)]
    )


def test_from_augmented_serves_precomputed_copies():
    fn = from_augmented({"a": ["a1", "a2", "a3"], "b": ["b1"]})
    assert fn(["x", "y"], ["a", "b"], np.array([1, 0]), 2, 0) == [("a1", 1, 0), ("a2", 1, 0), ("b1", 0, 1)]


def test_minilm_cells_can_be_capped_and_reserved_arm_name_rejected():
    d = binary_sentiment(synthetic_reviews(n=200))
    with pytest.raises(ValueError, match="reserved"):
        run_sentiment(
            d, {"no_aug": lambda *a: []}, sizes=[20], seeds=[0], features=["tfidf"], show_progress=False
        )
    res = run_sentiment(
        d,
        {"dup": lambda t, i, y, k, s: [(x, int(lab)) for x, lab in zip(t, y) for _ in range(k)]},
        sizes=[20],
        copies=[4],
        seeds=[0],
        features=["minilm"],
        max_train_minilm=50,
        show_progress=False,
    )
    assert ["minilm", "20", "dup", 4] in res.info["skipped"]
    assert ("minilm", "20", "no_aug", 0) in res.predictions
    assert isinstance(d, SentimentData)


def test_stratified_subsample_reports_a_too_small_pool():
    with pytest.raises(ValueError, match="pool has 1"):
        stratified_subsample(np.array([0] + [1] * 50), 20, np.random.default_rng(0), min_per_class=2)


def test_equal_balance_takes_half_minority_or_all_of_it():
    labels = np.array([0] * 30 + [1] * 270)
    rng = np.random.default_rng(0)
    assert (labels[stratified_subsample(labels, 40, rng, balance="equal")] == 0).sum() == 20
    idx = stratified_subsample(labels, 100, rng, balance="equal")
    assert len(idx) == 100 and (labels[idx] == 0).sum() == 30  # the pool has only 30 negatives
    with pytest.raises(ValueError, match="balance"):
        stratified_subsample(labels, 10, rng, balance="odd")


def test_run_sentiment_records_training_balance():
    res = run_sentiment(
        synthetic_reviews(), {}, sizes=[40], seeds=[0], features=["tfidf"], show_progress=False
    )
    assert res.info["train_balance"] == "equal" and res.info["train_negatives"]["40"] == 20


def test_from_augmented_dataset_plugs_augment_dataset_output_in():
    from reviewaug.augment.core import Identity
    from reviewaug.augment.dataset import augment_dataset
    from reviewaug.evaluate.sentiment import from_augmented_dataset

    d = binary_sentiment(synthetic_reviews(n=120))
    src = Dataset.from_dict({"review_id": d.review_ids, "text": d.texts})
    aug = augment_dataset(src, Identity(), n=3, seed=0, progress=False)
    fn = from_augmented_dataset(aug)
    out = fn(d.texts[:2], d.review_ids[:2], d.labels[:2], 2, 0)
    assert out == [(d.texts[0], int(d.labels[0]), 0)] * 2 + [(d.texts[1], int(d.labels[1]), 1)] * 2


def _fake_model(monkeypatch, tmp_cache=None):
    """A stand-in MiniLM: each text's vector is its length and first character code; records its calls."""
    from reviewaug.evaluate import embed

    calls: list[list[str]] = []

    class Fake:
        max_seq_length = 0

        def encode(self, texts, **_):
            calls.append(list(texts))
            v = np.zeros((len(texts), embed.EMBED_DIM), dtype=np.float32)
            v[:, 0] = [len(t) for t in texts]
            v[:, 1] = [ord(t[0]) if t else 0 for t in texts]
            return v

    monkeypatch.setitem(embed._MODEL, "m", Fake())
    monkeypatch.setattr(embed, "_CACHE", {})
    monkeypatch.setattr(embed, "_DISK", {"dir": None, "set": False, "loaded": set()})
    monkeypatch.delenv(embed.ENV_VAR, raising=False)
    if tmp_cache is not None:
        embed.set_cache_dir(tmp_cache)
    return embed, calls


def test_encode_shows_progress_only_for_long_work_and_caches(monkeypatch):
    # the bar's default follows the count of new texts; texts seen before are not encoded again
    embed, calls = _fake_model(monkeypatch)
    bars: list[tuple[int, bool]] = []
    real_bar = embed._bar
    monkeypatch.setattr(
        embed, "_bar", lambda total, show: (bars.append((total, show)), real_bar(total, False))[1]
    )
    monkeypatch.setattr(embed, "PROGRESS_FROM", 3)
    embed.encode(["a", "b"])
    embed.encode(["a", "b", "c", "d", "e"])  # three new texts: the bar shows
    embed.encode(["f", "g", "h"], show_progress=False)
    assert bars == [(2, False), (3, True), (3, False)]
    assert [len(c) for c in calls] == [2, 3, 3]
    assert embed.encode(["e", "a"]).shape == (2, embed.EMBED_DIM) and len(calls) == 3  # cached: no call


def test_encode_chunks_longest_first_and_keeps_row_order(monkeypatch):
    embed, calls = _fake_model(monkeypatch)
    monkeypatch.setattr(embed, "CHUNK", 2)
    texts = ["bb", "a", "dddd", "ccc", "a", "eeeee"]
    out = embed.encode(texts)
    assert calls == [["eeeee", "dddd"], ["ccc", "bb"], ["a"]]  # each distinct text once, longest first
    assert out[:, 0].tolist() == [len(t) for t in texts]  # rows in the caller's order, repeats included


def test_encode_disk_cache_is_reused_by_a_later_run(monkeypatch, tmp_path):
    # a "run" encodes and writes its chunks; after the memory is cleared (a new process), the disk answers
    embed, calls = _fake_model(monkeypatch, tmp_path / "emb")
    monkeypatch.setattr(embed, "CHUNK", 2)
    first = embed.encode(["one", "two", "three"])
    parts = sorted((tmp_path / "emb").glob("*/part-*.npz"))
    assert len(parts) == 2 and len(calls) == 2  # one part per chunk, no temporary files left
    assert not list((tmp_path / "emb").glob("*/.*"))
    embed.clear_cache()
    again = embed.encode(["three", "one", "four"])  # only "four" is new
    assert calls[2:] == [["four"]]
    np.testing.assert_array_equal(again[:2], first[[2, 0]])
    # another sequence length is another cache: encoded afresh
    embed.encode(["one"], max_seq_length=64)
    assert calls[3:] == [["one"]] and len(list((tmp_path / "emb").glob("*-len64/part-*.npz"))) == 1


def test_encode_disk_cache_from_the_environment(monkeypatch, tmp_path):
    embed, calls = _fake_model(monkeypatch)
    monkeypatch.setenv(embed.ENV_VAR, str(tmp_path))
    embed.encode(["x"])
    assert embed.cache_dir() == tmp_path and len(list(tmp_path.glob("*/part-*.npz"))) == 1


def test_encode_disk_cache_names_a_damaged_part(monkeypatch, tmp_path):
    embed, _ = _fake_model(monkeypatch, tmp_path)
    embed.encode(["x"])
    (part,) = tmp_path.glob("*/part-*.npz")
    part.write_bytes(b"not an npz file")
    embed.clear_cache()
    with pytest.raises(ValueError, match=part.name):
        embed.encode(["x"])


def test_grouped_folds_deal_each_class_evenly():
    labels = np.array([0] * 7 + [1] * 11)
    f = grouped_folds(labels, 3, np.random.default_rng(4))
    for c in (0, 1):
        counts = np.bincount(f[labels == c], minlength=3)
        assert counts.max() - counts.min() <= 1
    assert np.bincount(f, minlength=3).max() - np.bincount(f, minlength=3).min() <= 1
    assert np.array_equal(f, grouped_folds(labels, 3, np.random.default_rng(4)))


def test_select_c_keeps_copies_with_their_source_and_validates_examples_only(monkeypatch):
    import re

    import reviewaug.evaluate.sentiment as sent

    d = binary_sentiment(synthetic_reviews(n=120))
    texts = [f"{t} src{i}" for i, t in enumerate(d.texts[:60])]
    labels = d.labels[:60]
    copies = [f"{t} copy" for t in texts for _ in range(2)]  # two copies per example
    all_y = np.concatenate([labels, np.repeat(labels, 2)])
    sources = np.concatenate([np.arange(60), np.repeat(np.arange(60), 2)])
    calls = []
    real = sent._features_tfidf

    def spy(train, test):  # a feature fitted per split goes through FEATURES once per fold
        calls.append((list(train), list(test)))
        return real(train, test)

    def src(t):
        return int(re.search(r"src(\d+)", t).group(1))

    monkeypatch.setitem(sent.FEATURES, "spy", spy)
    grid = (0.1, 1.0, 10.0)
    c, scores = select_c("spy", texts + copies, all_y, sources, 60, np.random.default_rng(0), grid=grid)
    assert c in scores and set(scores) == set(grid) and all(0 <= v <= 1 for v in scores.values())
    assert len(calls) == 3  # one feature fit per fold, shared by the grid
    validated = []
    for train, test in calls:
        assert not any(t.endswith("copy") for t in test)  # only examples are validated
        held = {src(t) for t in test}
        validated.extend(src(t) for t in test)
        trained = [src(t) for t in train if t.endswith("copy")]
        assert not held & set(trained)  # no copy of a held-out example trains
        assert len(trained) == 2 * (60 - len(held))  # every other example's copies do
    assert sorted(validated) == list(range(60))  # each example validated exactly once


def test_select_c_prefers_the_default_on_ties_and_skips_tiny_classes():
    texts = ["good"] * 6 + ["bad"] * 6  # every C separates these: all tie
    y = np.array([1] * 6 + [0] * 6)
    c, scores = select_c(
        "tfidf", texts, y, np.arange(12), 12, np.random.default_rng(0), grid=(0.01, 100.0, 1.0)
    )
    assert c == 1.0 and set(scores.values()) == {1.0}
    c, scores = select_c("tfidf", ["good", "bad", "fine"], np.array([1, 0, 1]), np.arange(3), 3,
                         np.random.default_rng(0))  # fmt: skip
    assert c == 1.0 and scores == {}


def test_a_one_value_grid_fixes_c_without_fitting(monkeypatch):
    ds = synthetic_reviews()
    fitted = []
    real_fit = sent_mod._fit_lr

    def counting_fit(*a, **kw):
        fitted.append(kw["C"])
        return real_fit(*a, **kw)

    monkeypatch.setattr(sent_mod, "_fit_lr", counting_fit)
    texts = ["good"] * 6 + ["bad"] * 6
    y = np.array([1] * 6 + [0] * 6)
    assert select_c("tfidf", texts, y, np.arange(12), 12, np.random.default_rng(0), grid=(0.01,)) == (
        0.01,
        {},
    )
    assert fitted == []  # no cross-validation fits
    fixed = run_sentiment(
        ds, {}, sizes=[40], seeds=[0, 1], features=["tfidf"], tune_c=[0.001], show_progress=False
    )
    assert fitted == [0.001, 0.001]  # one final fit per seed, at the fixed C
    assert [r["C"] for r in fixed.info["tuning"]["cells"]["tfidf|40|no_aug|0"]] == [0.001, 0.001]
    default = run_sentiment(ds, {}, sizes=[40], seeds=[0, 1], features=["tfidf"], show_progress=False)
    assert fitted[2:] == [1.0, 1.0]
    # a strong enough penalty changes the fit: at C = 0.001 the classes are no longer separated as at C = 1
    assert not np.array_equal(fixed.predictions[("tfidf", "40", "no_aug", 0)],
                              default.predictions[("tfidf", "40", "no_aug", 0)])  # fmt: skip


def test_run_sentiment_tunes_c_per_cell_and_refuses_pairs_it_cannot_group():
    ds = synthetic_reviews()

    def dup(texts, ids, labels, n_copies, seed):
        return [(t, int(y), i) for i, (t, y) in enumerate(zip(texts, labels)) for _ in range(n_copies)]

    grid = (0.1, 1.0, 10.0)
    res = run_sentiment(
        ds, {"dup": dup}, sizes=[40], copies=[2], seeds=[0, 1], features=["tfidf"], tune_c=grid,
        show_progress=False,
    )  # fmt: skip
    tuning = res.info["tuning"]
    assert tuning["grid"] == list(grid) and tuning["folds"] == 3
    assert set(tuning["cells"]) == {"tfidf|40|no_aug|0", "tfidf|40|dup|2"}
    for runs in tuning["cells"].values():
        assert [r["seed"] for r in runs] == [0, 1] and all(r["C"] in grid for r in runs)
    again = run_sentiment(
        ds, {"dup": dup}, sizes=[40], copies=[2], seeds=[0, 1], features=["tfidf"], tune_c=grid,
        show_progress=False,
    )  # fmt: skip
    assert again.info["tuning"] == tuning
    assert (
        run_sentiment(ds, {}, sizes=[40], seeds=[0], features=["tfidf"], show_progress=False).info["tuning"]
        is None
    )

    def pairs(texts, ids, labels, n_copies, seed):
        return [(t, int(y)) for t, y in zip(texts, labels)]

    with pytest.raises(ValueError, match="'pairs'.*triples"):
        run_sentiment(ds, {"pairs": pairs}, sizes=[40], copies=[1], seeds=[0], features=["tfidf"],
                      tune_c=grid, show_progress=False)  # fmt: skip

    def stray(texts, ids, labels, n_copies, seed):
        return [(texts[0], int(labels[0]), len(texts))]

    with pytest.raises(ValueError, match="outside the 40 training examples"):
        run_sentiment(ds, {"stray": stray}, sizes=[40], copies=[1], seeds=[0], features=["tfidf"],
                      show_progress=False)  # fmt: skip


def test_select_c_embeds_a_fixed_encoders_texts_once(monkeypatch):
    import reviewaug.evaluate.sentiment as sent

    calls = []

    def fake_minilm(train, test):  # a fixed encoder: the word's class shows in the first coordinate
        calls.append((len(train), len(test)))

        def vec(t):
            return [1.0 if "good" in t else -1.0, float(len(t) % 3)]

        return np.array([vec(t) for t in train]), np.array([vec(t) for t in test]).reshape(len(test), 2)

    monkeypatch.setitem(sent.FEATURES, "minilm", fake_minilm)
    texts = [f"good {i}" for i in range(9)] + [f"bad {i}" for i in range(9)]
    y = np.array([1] * 9 + [0] * 9)
    c, scores = select_c("minilm", texts, y, np.arange(18), 18, np.random.default_rng(1), grid=(0.1, 1.0))
    assert calls == [(18, 0)]  # embedded once, sliced per fold
    assert scores == {0.1: 1.0, 1.0: 1.0} and c == 1.0


def _vectorizer_tfidf(train, test, max_features=sent_mod.TFIDF_MAX_FEATURES):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, max_features=max_features)
    return vec.fit_transform(train), vec.transform(test)


def _same(a, b):
    """Same shape, vocabulary and entries; values may differ in the last bit (the vectorizer's rows are not sorted
    by column, so its L2 norms sum in another order)."""
    a, b = a.tocsr().sorted_indices(), b.tocsr().sorted_indices()
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.allclose(a.data, b.data, rtol=1e-12, atol=0)
    )


@pytest.mark.parametrize("max_features", [sent_mod.TFIDF_MAX_FEATURES, 40])
def test_tfidf_from_counts_equals_the_vectorizer_fitted_on_each_fold(max_features):
    d = binary_sentiment(synthetic_reviews(n=200))
    texts = d.texts[:150]
    counts, _ = sent_mod._ngram_counts(texts, [])  # one vocabulary for all rows, then fold slices
    rng = np.random.default_rng(3)
    for _ in range(3):
        tr = np.sort(rng.choice(150, 100, replace=False))
        va = np.setdiff1d(np.arange(150), tr)
        got = sent_mod._tfidf_from_counts(counts[tr], counts[va], max_features=max_features)
        want = _vectorizer_tfidf([texts[i] for i in tr], [texts[i] for i in va], max_features)
        assert _same(got[0], want[0]) and _same(got[1], want[1])  # same vocabulary, ties cut alike
    assert _same(
        sent_mod._features_tfidf(texts, d.texts[150:])[1], _vectorizer_tfidf(texts, d.texts[150:])[1]
    )


def test_select_c_on_shared_counts_scores_exactly_as_per_fold_vectorizers(monkeypatch):
    d = binary_sentiment(synthetic_reviews(n=160))
    texts = d.texts[:60] + [t + " indeed" for t in d.texts[:60]]
    y = np.concatenate([d.labels[:60], d.labels[:60]])
    src = np.concatenate([np.arange(60), np.arange(60)])
    monkeypatch.setitem(sent_mod.FEATURES, "plain", _vectorizer_tfidf)
    fast = select_c("tfidf", texts, y, src, 60, np.random.default_rng(5))
    slow = select_c("plain", texts, y, src, 60, np.random.default_rng(5))
    assert fast == slow
    assert (
        select_c("tfidf", texts, y, src, 60, np.random.default_rng(5), n_jobs=2) == fast
    )  # any process count


def test_verbatim_copies_at_c_over_k_plus_1_fit_as_the_baseline(monkeypatch):
    """The null of ``benchmarks/sentiment_fixed_c.py --penalty per-example``: with features that do not depend on
    the training set, k verbatim copies per example at C/(k+1) are the baseline at C (the loss sums over rows and
    balanced class weights keep their ratio); at the same C they are a (k+1) times weaker penalty."""

    def hashed(train, test):  # a fixed encoder: word counts hashed into 8 dimensions, plus noise per text
        def vec(t):
            v = np.zeros(8)
            for w in t.split():
                v[sum(map(ord, w)) % 8] += 1.0
            v[0] += (sum(map(ord, t)) % 7) / 7.0
            return v

        return np.array([vec(t) for t in train]).reshape(-1, 8), np.array([vec(t) for t in test]).reshape(
            -1, 8
        )

    monkeypatch.setitem(sent_mod.FEATURES, "hashed", hashed)
    ds = synthetic_reviews(n=400, neg_share=0.3)

    def dup(texts, ids, labels, n_copies, seed):
        return [(t, int(y), i) for i, (t, y) in enumerate(zip(texts, labels)) for _ in range(n_copies)]

    def run(c):
        return run_sentiment(ds, {"dup": dup}, sizes=[60], copies=[3], seeds=[0, 1], features=["hashed"],
                             tune_c=[c], show_progress=False).predictions  # fmt: skip

    base = run(0.02)[("hashed", "60", "no_aug", 0)]
    matched = run(0.02 / 4)[("hashed", "60", "dup", 3)]
    assert np.array_equal(base, matched)
    same = run(0.02)[("hashed", "60", "dup", 3)]  # 4 times the rows at the same C: a weaker penalty
    assert not np.array_equal(base, same)
