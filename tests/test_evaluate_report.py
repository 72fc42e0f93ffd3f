"""Report writing, plots and the recommender arm comparison."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reviewaug.evaluate.report import goal_checks, write_report
from reviewaug.rec.evaluate import ArmResult, compare_arms


def _arm(values: np.ndarray, sparse: np.ndarray, name: str = "als") -> ArmResult:
    users = np.asarray([f"u{i}" for i in range(values.shape[1])], dtype=object)
    metrics = {m: values for m in ("ndcg@10", "recall@10", "recall@20", "hr@10")}
    slices = {
        "cold": {m: np.full_like(values, np.nan) for m in metrics},
        "sparse": {m: np.where(sparse, values, np.nan) for m in metrics},
        "warm": {m: np.where(~sparse, values, np.nan) for m in metrics},
    }
    return ArmResult(name, [0, 1], users, metrics, slices, [0.5, 0.5], [{}, {}], {"seconds": 1.0})


def test_compare_arms_pairs_users_per_slice_and_words_verdicts():
    rng = np.random.default_rng(0)
    base = rng.random((2, 300))
    sparse = np.broadcast_to(np.arange(300) < 150, (2, 300))
    gain = base + np.where(sparse, 0.2, 0.0)  # better on sparse users only
    rows = compare_arms(_arm(base, sparse), {"text": _arm(gain, sparse)}, n_boot=300)
    by = {(r["slice"], r["metric"]): r for r in rows}
    assert (
        by[("sparse", "ndcg@10")]["verdict"] == "significant gain" and by[("sparse", "ndcg@10")]["n"] == 150
    )
    assert by[("warm", "ndcg@10")]["verdict"] == "no significant difference"
    assert by[("cold", "ndcg@10")]["n"] == 0 and by[("cold", "ndcg@10")]["verdict"] == "not measured"
    assert (
        by[("all", "ndcg@10")]["arm"] == "text"
        and by[("all", "ndcg@10")]["arm_mean"] > by[("all", "ndcg@10")]["base_mean"]
    )
    other = _arm(base, sparse)
    other.user_ids = other.user_ids[::-1].copy()
    with pytest.raises(ValueError, match="different users"):
        compare_arms(_arm(base, sparse), {"x": other})


def test_goal_checks_state_misses_and_hits():
    sent = [
        {
            "metric": "accuracy",
            "size": "500",
            "feature": "tfidf",
            "arm": "eda",
            "copies": 4,
            "diff": 0.05,
            "diff_ci_low": -0.01,
            "diff_ci_high": 0.1,
        },
        {
            "metric": "accuracy",
            "size": "50",
            "feature": "tfidf",
            "arm": "eda",
            "copies": 4,
            "diff": 0.05,
            "diff_ci_low": 0.01,
            "diff_ci_high": 0.1,
        },
    ]
    rec = [
        {
            "metric": "ndcg@10",
            "slice": "sparse",
            "arm": "gen",
            "model": "hybrid",
            "rel": 0.08,
            "ci_low": 0.001,
            "rel_ci_low": 0.01,
            "rel_ci_high": 0.15,
        }
    ]
    goals = goal_checks(rec, sent)
    assert [g["met"] for g in goals] == [False, True]  # N=50 is not a goal row; CI below 0 misses


def test_write_report_writes_markdown_json_and_plots(tmp_path):
    rng = np.random.default_rng(1)
    base = rng.random((2, 120))
    sparse = np.broadcast_to(np.arange(120) < 60, (2, 120))
    b, a = _arm(base, sparse, "hybrid"), _arm(base * 0.8, sparse, "hybrid")
    rows = [dict(r, split="loo") for r in compare_arms(b, {"random_control": a}, n_boot=200)]
    summaries = [
        dict(b.summary(), split="loo", arm="no_aug"),
        dict(a.summary(), split="loo", arm="random_control"),
    ]
    sent_rows = [
        {
            "feature": "tfidf",
            "size": s,
            "arm": "eda",
            "copies": 4,
            "metric": m,
            "base_mean": 0.7,
            "arm_mean": 0.72,
            "diff": 0.02,
            "diff_ci_low": -0.01,
            "diff_ci_high": 0.05,
            "p_holm": 0.3,
            "verdict": "no significant difference",
        }
        for s in ("50", "500")
        for m in ("accuracy", "f1")
    ]
    sent_base = [
        {
            "feature": "tfidf",
            "size": s,
            "arm": "no_aug",
            "copies": 0,
            "metric": m,
            "n_seeds": 5,
            "base_mean": 0.7,
            "base_ci_low": 0.65,
            "base_ci_high": 0.75,
        }
        for s in ("50", "500")
        for m in ("accuracy", "f1")
    ]
    paths = write_report(
        tmp_path,
        rec_summaries=summaries,
        rec_rows=rows,
        sent_baselines=sent_base,
        sent_rows=sent_rows,
        meta={"seeds": 2},
    )
    text = (tmp_path / "report.md").read_text()
    assert "significant loss" in text  # the 0.8x arm is reported as a loss, not hidden
    assert "| no |" in text  # the sentiment goal at N=500 is not met and says so
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["recommender"]["comparisons"][0]["arm"] == "random_control"
    assert data["goals"] and data["meta"]["seeds"] == 2
    for name in ("rec_gain_loo_hybrid.png", "sentiment_gain_tfidf.png", "sentiment_curve_tfidf.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and name in paths


def test_report_says_why_no_goal_is_checked(tmp_path):
    # a comparison away from the goal cells (N = all) is not "no comparison": the report names the goal cells
    row = {
        "feature": "minilm",
        "size": "all",
        "arm": "typos",
        "copies": 16,
        "metric": "accuracy",
        "diff": -0.01,
        "diff_ci_low": -0.03,
        "diff_ci_high": 0.01,
        "p_holm": 0.5,
        "verdict": "no significant difference",
        "base_mean": 0.78,
        "arm_mean": 0.77,
    }
    write_report(tmp_path / "a", sent_rows=[row])
    text = (tmp_path / "a" / "report.md").read_text()
    assert "no goal is checked here" in text and "no comparison" not in text
    write_report(tmp_path / "b")
    assert "no comparison against no augmentation" in (tmp_path / "b" / "report.md").read_text()


def test_report_lists_the_chosen_c_only_when_the_run_tuned_it(tmp_path):
    tuning = {
        "grid": [0.1, 1.0, 10.0],
        "folds": 3,
        "cells": {
            "tfidf|500|no_aug|0": [
                {"seed": 0, "C": 10.0, "cv_balanced_accuracy": {0.1: 0.7, 1.0: 0.8, 10.0: 0.85}}
            ],
            "tfidf|500|eda|16": [
                {"seed": 0, "C": 0.1, "cv_balanced_accuracy": {0.1: 0.9, 1.0: 0.8, 10.0: 0.8}}
            ],
        },
    }
    write_report(tmp_path / "t", meta={"sentiment_info": {"tuning": tuning}})
    text = (tmp_path / "t" / "report.md").read_text()
    assert "the classifier's C, chosen per cell" in text
    assert (
        "| tfidf | 500 | no_aug | 0 | 10 | 85.0% |" in text
        and "| tfidf | 500 | eda | 16 | 0.1 | 90.0% |" in text
    )
    write_report(tmp_path / "u", meta={"sentiment_info": {"tuning": None}})
    assert "chosen per cell" not in (tmp_path / "u" / "report.md").read_text()
