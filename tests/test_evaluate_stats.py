"""Paired statistics: bootstrap coverage of a known difference, Holm by hand, Wilcoxon, two-level bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from reviewaug.evaluate.stats import (
    bootstrap_seeds_items,
    classification_metric,
    compare_paired,
    holm,
    paired_bootstrap,
    verdict,
    wilcoxon_p,
)


def test_bootstrap_ci_covers_a_known_difference_at_about_the_nominal_rate():
    true_diff = 0.05
    covered = 0
    trials = 60
    for t in range(trials):
        rng = np.random.default_rng(np.random.SeedSequence([99, t]))
        base = rng.normal(0.3, 0.2, size=300)
        arm = base + true_diff + rng.normal(0, 0.1, size=300)
        r = paired_bootstrap(base, arm, n_boot=500, seed=t)
        covered += r["ci_low"] <= true_diff <= r["ci_high"]
    # nominal 95%: with 60 trials anything below ~85% would be a broken interval
    assert covered / trials >= 0.85


def test_bootstrap_is_seeded_and_reports_relative_change():
    rng = np.random.default_rng(0)
    a = rng.random(100)
    b = a * 1.1
    r1 = paired_bootstrap(a, b, seed=5)
    r2 = paired_bootstrap(a, b, seed=5)
    assert r1 == r2
    assert r1["rel"] == pytest.approx(0.1)
    assert r1["rel_ci_low"] == pytest.approx(0.1) and r1["ci_low"] > 0


def test_bootstrap_ci_straddles_zero_without_an_effect():
    rng = np.random.default_rng(1)
    a = rng.random(400)
    b = a + rng.normal(0, 0.05, 400)
    b -= b.mean() - a.mean()  # exactly zero mean difference
    r = paired_bootstrap(a, b, seed=0)
    assert r["ci_low"] < 0 < r["ci_high"] and r["p_boot"] > 0.5


def test_paired_bootstrap_validates_shapes_and_handles_empty():
    with pytest.raises(ValueError, match="equal length"):
        paired_bootstrap([1.0, 2.0], [1.0])
    assert paired_bootstrap([], [])["n"] == 0


def test_holm_against_hand_computation():
    # sorted p: 0.01 (x4 = 0.04), 0.02 (x3 = 0.06), 0.03 (x2 = 0.06 after monotone max), 0.5 (x1 = 0.5)
    adj = holm([0.03, 0.5, 0.01, 0.02])
    assert adj.tolist() == pytest.approx([0.06, 0.5, 0.04, 0.06])
    assert holm([0.9, 0.8]).tolist() == pytest.approx([1.0, 1.0])
    assert holm([]).tolist() == []


def test_wilcoxon_matches_scipy_and_edge_cases():
    from scipy.stats import wilcoxon

    a = np.array([0.1, 0.4, 0.2, 0.9, 0.5, 0.3, 0.7])
    b = a + np.array([0.05, 0.1, -0.02, 0.2, 0.15, 0.01, 0.3])
    assert wilcoxon_p(a, b) == pytest.approx(wilcoxon(b - a).pvalue)
    assert wilcoxon_p(a, a) == 1.0
    assert np.isnan(wilcoxon_p([], []))


def test_compare_paired_applies_holm_and_words_the_verdict():
    rng = np.random.default_rng(3)
    base = {"gain": rng.random(200), "same": rng.random(200), "loss": rng.random(200)}
    arm = {
        "gain": base["gain"] + 0.1,
        "same": base["same"] + rng.normal(0, 0.01, 200),
        "loss": base["loss"] - 0.1,
    }
    rows = {r["metric"]: r for r in compare_paired(base, arm, seed=0)}
    assert rows["gain"]["verdict"] == "significant gain"
    assert rows["loss"]["verdict"] == "significant loss"
    assert rows["same"]["verdict"] == "no significant difference"
    raw = [rows[m]["p_wilcoxon"] for m in ("gain", "same", "loss")]
    assert [rows[m]["p_holm"] for m in ("gain", "same", "loss")] == pytest.approx(holm(raw).tolist())


def test_verdict_needs_both_ci_and_adjusted_p():
    assert verdict(0.1, 0.01, 0.2, 0.2) == "no significant difference"
    assert verdict(-0.1, -0.2, -0.01, 0.01) == "significant loss"
    assert verdict(float("nan"), 0, 0, 0) == "not measured"


def test_classification_metrics_by_hand():
    y = np.array([1, 1, 1, 0, 0])
    pred = np.array([1, 1, 0, 0, 1])
    w = np.ones((1, 5))
    assert classification_metric("accuracy")(w, y, pred)[0] == pytest.approx(0.6)
    # class 1: tp 2 fp 1 fn 1 -> 2/3 ; class 0: tp 1 fp 1 fn 1 -> 1/2
    assert classification_metric("f1")(w, y, pred)[0] == pytest.approx((2 / 3 + 1 / 2) / 2)
    with pytest.raises(ValueError):
        classification_metric("auc")


def test_two_level_bootstrap_difference_and_seed_variance():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    base = np.stack([np.where(rng.random(300) < 0.7, y, 1 - y) for _ in range(5)])
    arm = np.stack([np.where(rng.random(300) < 0.8, y, 1 - y) for _ in range(5)])
    r = bootstrap_seeds_items(y, base, arm, metric="accuracy", n_boot=400, seed=0)
    assert r["base_mean"] == pytest.approx((base == y).mean())
    assert (
        0.05 < r["diff"] < 0.15 and r["diff_ci_low"] > 0 and r["diff_ci_low"] < r["diff"] < r["diff_ci_high"]
    )
    assert len(r["per_seed_diff"]) == 5
    with pytest.raises(ValueError, match="test examples"):
        bootstrap_seeds_items(y[:10], base)
