"""Metrics of reviewaug.gan.evaluate against their reference implementations (no model training here)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

from reviewaug.gan.evaluate import (
    bleu_against,
    distinct_n,
    frechet_distance,
    frontier_verdict,
    rating_agreement,
    self_bleu,
    words,
)
from reviewaug.gan.train import pick_keywords, temporal_split

VOCAB = ["the", "strap", "tone", "good", "bad", ",", "."]
sentence = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=9).map(" ".join)


def _nltk(hyp: str, refs: list[str], n: int) -> float:
    return sentence_bleu(
        [words(r) for r in refs],
        words(hyp),
        weights=tuple([1.0 / n] * n),
        smoothing_function=SmoothingFunction().method1,
    )


@settings(max_examples=25, deadline=None)
@given(hyps=st.lists(sentence, min_size=1, max_size=6), refs=st.lists(sentence, min_size=1, max_size=8))
def test_bleu_equals_nltk_sentence_bleu_averaged(hyps: list[str], refs: list[str]) -> None:
    ours = bleu_against(hyps, refs)
    for n in (2, 3, 4, 5):
        expected = float(np.mean([_nltk(h, refs, n) for h in hyps]))
        assert ours[n] == pytest.approx(expected, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(hyps=st.lists(sentence, min_size=2, max_size=7))
def test_self_bleu_equals_nltk_leave_one_out(hyps: list[str]) -> None:
    ours = self_bleu(hyps)
    for n in (2, 4):
        expected = float(np.mean([_nltk(h, hyps[:i] + hyps[i + 1 :], n) for i, h in enumerate(hyps)]))
        assert ours[n] == pytest.approx(expected, abs=1e-12)


def test_self_bleu_separates_repetitive_from_diverse_samples() -> None:
    same = ["the strap is good and the tone is good ."] * 5
    varied = ["the strap broke", "tone is warm and clear", "cheap cable , works", "love this pedal", "meh"]
    assert self_bleu(same)[4] == pytest.approx(1.0)
    assert self_bleu(varied)[4] < 0.2


def test_distinct_n_counts_unique_ngrams() -> None:
    assert distinct_n(["a b a b"], 1) == pytest.approx(2 / 4)
    assert distinct_n(["a b a b"], 2) == pytest.approx(2 / 3)
    assert distinct_n([""], 2) == 0.0


def test_frechet_distance_is_zero_for_same_set_and_grows_with_mean_shift() -> None:
    x = np.random.default_rng(0).normal(size=(500, 4))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-6)
    shift = np.array([3.0, 0, 0, 0])
    # same covariance, shifted mean: distance is the squared shift
    assert frechet_distance(x, x + shift) == pytest.approx(9.0, rel=1e-6)


def test_rating_agreement_orders_positive_over_negative() -> None:
    res = rating_agreement(
        [5, 5, 1, 1], ["great, I love it", "excellent strap", "awful, it broke", "terrible"]
    )
    assert res["concordance"] == 1.0
    assert res["spearman"] > 0.8
    assert res["polarity_by_rating"]["5"] > 0 > res["polarity_by_rating"]["1"]


def test_temporal_split_holds_out_the_latest_and_never_splits_a_timestamp() -> None:
    recs = [{"timestamp": t, "i": i} for i, t in enumerate([5, 1, 3, 3, 9, 9, 9, 2, 7, 8])]
    train, test = temporal_split(recs, 0.3)
    assert len(train) + len(test) == len(recs)
    assert max(r["timestamp"] for r in train) < min(r["timestamp"] for r in test)
    assert {r["timestamp"] for r in test} == {9}
    with pytest.raises(ValueError, match="frac_test"):
        temporal_split(recs, 1.5)


def test_pick_keywords_takes_content_words_deterministically() -> None:
    text = "The strap broke after a week but the tuner holds pitch"
    a = pick_keywords(text, np.random.default_rng(1), 3)
    b = pick_keywords(text, np.random.default_rng(1), 3)
    assert a == b and len(a) == 3
    assert all(w in text.lower() and w not in {"the", "after", "but"} for w in a)
    assert pick_keywords(text, np.random.default_rng(0), 2, given=["tone"]) == ["tone"]


def test_frontier_verdict_interpolates_the_mle_curve_and_respects_seed_noise() -> None:
    mle = [
        {"model": "mle", "temperature": t, "bleu4": q, "self_bleu4": d, "bleu4_sd": 0.01}
        for t, q, d in [(0.6, 0.4, 0.6), (1.0, 0.2, 0.2)]
    ]

    def gan(q: float, d: float, sd: float = 0.01) -> list[dict]:
        return [{"model": "gan", "temperature": 1.0, "bleu4": q, "self_bleu4": d, "bleu4_sd": sd}]

    # the MLE curve passes through (0.4 self-BLEU, 0.3 BLEU)
    assert frontier_verdict(mle + gan(0.36, 0.4)).startswith("YES")
    assert frontier_verdict(mle + gan(0.24, 0.4)).startswith("NO") and "behind" in frontier_verdict(
        mle + gan(0.24, 0.4)
    )
    on = frontier_verdict(mle + gan(0.31, 0.4))  # within 2 combined SDs
    assert on.startswith("NO") and "on at" in on
    assert "outside" in frontier_verdict(mle + gan(0.5, 0.7))
    assert frontier_verdict(gan(0.3, 0.3)).startswith("Cannot compare")
