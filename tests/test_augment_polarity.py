"""The polarity guard's shortcut: whenever it skips VADER, VADER would have given the same score, so its
decisions equal those of always scoring."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment.constraints import PolarityKept
from reviewaug.augment.core import Row
from reviewaug.augment.polarity import vader_unchanged
from reviewaug.features import polarity_scores

VOCAB = (
    "the tuner is great good bad not never so this very kind of at least but no without doubt strings cheap "
    "I it was really sound GREAT awful ok !! ? . , love hate works fine tone case strap buzz meh or nor the bomb"
).split()


def test_obvious_cases():
    assert vader_unchanged("a nice tuner", "a nice tunre")
    assert not vader_unchanged("a nice tuner", "a mice tuner")  # "nice" is in VADER's lexicon
    assert not vader_unchanged("a nice tuner", "a nice tuner!")  # emphasis
    assert not vader_unchanged("not a nice tuner", "nto a nice tuner")  # negation
    assert vader_unchanged("a nice tuner", "a nice TUNER")  # no word VADER reads is in capitals
    assert not vader_unchanged("NICE tuner", "NICE TUNER")  # the capitals flag of "NICE" flips
    assert vader_unchanged(
        "this tuner is great", "thsi tuner is great"
    )  # "this" counts only before a VADER word
    assert not vader_unchanged("the tuner, this great thing", "the tuner, thsi great thing")
    assert not vader_unchanged("I never this good guitar", "I never thsi good guitar")
    assert not vader_unchanged(
        "it is no fun or great", "it is no fun ro great"
    )  # "no ... or" negates "great"
    assert not vader_unchanged("a nice tuner", "a nice tuner indeed")  # token windows shift
    assert not vader_unchanged("it was very nice", "it was vrey nice")  # a booster next to a lexicon word
    assert vader_unchanged(
        "very much a tuner for my old guitar, nice", "vrey much a tuner for my old guitar, nice"
    )
    assert vader_unchanged("I bought it for my son and he says nice", "bought it for my son and he says nice")
    assert not vader_unchanged(
        "I am not at all sure it is good", "I am not all sure it is good"
    )  # negation moves in
    # a neutral word deleted inside a lexicon word's window: only neutral words move, so nothing VADER reads does
    assert vader_unchanged(
        "It came today and I bought the nice tuner", "It came today and I bought nice tuner"
    )
    assert not vader_unchanged("it is not the nice tuner", "it is not nice tuner")  # "not" moves closer
    # an edit that reaches the end of the text is one region, far from "nice"
    assert vader_unchanged("a nice tuner for my old vocals", "a nice tuner for my old vocal music")
    assert not vader_unchanged("my old tuner is nice", "my old tuner is nice music")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(VOCAB), min_size=1, max_size=14),
    st.lists(
        st.tuples(st.integers(0, 13), st.sampled_from(VOCAB + ["tunre", "strngs", "xq", "Kind", "of."])),
        max_size=4,
    ),
)
def test_skipping_vader_is_exact(words, edits):
    before = " ".join(words)
    new = list(words)
    for i, w in edits:
        if i < len(new):
            new[i] = w
    after = " ".join(new)
    if vader_unchanged(before, after):
        a, b = polarity_scores([before, after])
        assert a == b, (before, after)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(VOCAB + ["guitar", "my", "son", "for", "old", "I", "USB", "and"]),
        min_size=1,
        max_size=24,
    ),
    st.lists(
        st.tuples(st.sampled_from(["del", "ins", "swap", "rep2"]), st.integers(0, 24), st.integers(0, 23)),
        max_size=4,
    ),
    st.sampled_from(VOCAB + ["guitar", "USB", "I"]),
)
def test_skipping_vader_is_exact_for_swaps_deletions_insertions(words, edits, new_word):
    before = " ".join(words)
    new = list(words)
    for kind, i, j in edits:
        if not new:
            break
        if kind == "ins":  # also at the very end
            new.insert(i % (len(new) + 1), new_word)
            continue
        i, j = i % len(new), j % len(new)
        if kind == "del" and len(new) > 1:
            del new[i]
        elif kind == "rep2":  # one word becomes two, as a multi-word synonym does
            new[i : i + 1] = [new_word, "guitar"]
        elif kind == "swap":
            new[i], new[j] = new[j], new[i]
    after = " ".join(new)
    if vader_unchanged(before, after):
        a, b = polarity_scores([before, after])
        assert a == b, (before, after)


def test_same_decisions_as_polarity_kept():
    before = ["I love this tuner", "a nice strap", "not bad at all", "great case", "fine"]
    after = ["I hate this tuner", "a nice strpa", "not bad at lal", "great cse!", "FINE"]
    rows = [Row.make(b) for b in before]
    assert (
        PolarityKept(0.2)(before, after, rows).tolist()
        == PolarityKept(0.2, skip_unchanged=False)(before, after, rows).tolist()
    )


@pytest.mark.corpus
def test_exact_on_real_reviews_after_noise(corpus_path):
    from reviewaug.augment.noise import char_delete, keyboard_typo, ocr_noise
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(0, 10_000, 25))["text"] if t]
    for op in (keyboard_typo, ocr_noise, char_delete):
        out = [op(t, np.random.default_rng(i), p=0.2) for i, t in enumerate(texts)]
        skip = np.array([vader_unchanged(a, b) for a, b in zip(texts, out)])
        assert skip.mean() > 0.2  # it does skip a real share
        pb, pa = polarity_scores(texts), polarity_scores(out)
        assert np.array_equal(pb[skip], pa[skip])


@pytest.mark.corpus
def test_exact_on_real_reviews_after_word_ops(corpus_path):
    from reviewaug.augment.noise import word_duplicate
    from reviewaug.augment.word import random_delete, random_swap
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(3, 10_000, 25))["text"] if t]
    for op in (random_swap, random_delete, word_duplicate):
        out = [op(t, np.random.default_rng(i), p=0.05) for i, t in enumerate(texts)]
        skip = np.array([vader_unchanged(a, b) for a, b in zip(texts, out)])
        changed = np.array([a != b for a, b in zip(texts, out)])
        assert (skip & changed).sum() > 10  # it does skip some changed rows
        pb, pa = polarity_scores(texts), polarity_scores(out)
        assert np.array_equal(pb[skip], pa[skip])
