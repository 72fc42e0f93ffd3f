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
    "I it was really sound GREAT awful ok !! ? . , love hate works fine tone case strap buzz meh"
).split()


def test_obvious_cases():
    assert vader_unchanged("a nice tuner", "a nice tunre")
    assert not vader_unchanged("a nice tuner", "a mice tuner")  # "nice" is in VADER's lexicon
    assert not vader_unchanged("a nice tuner", "a nice tuner!")  # emphasis
    assert not vader_unchanged("not a nice tuner", "nto a nice tuner")  # negation
    assert not vader_unchanged("a nice tuner", "a nice TUNER")  # capitals change VADER's emphasis rule
    assert not vader_unchanged("a nice tuner", "a nice tuner indeed")  # token windows shift


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
