"""Feature columns: polarity range and direction, keywords lowercased, sentiment words from the lexicon,
the same result with num_proc=2."""

from __future__ import annotations

import datasets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.features import add_features, analyzer, extract_keywords, polarity_scores, sentiment_words


def test_polarity_direction_and_range():
    s = polarity_scores(["I love it, excellent strings.", "Awful. It broke, terrible.", "", None])
    assert s[0] > 0.5 and s[1] < -0.5 and s[2] == 0 and s[3] == 0
    assert np.all(np.abs(s) <= 1)


def test_sentiment_words_come_from_lexicon():
    ws = sentiment_words("Great tone, but the case is ugly and it's not great. LOVE it")
    assert ws == ["great", "ugly", "love"]
    lex = analyzer().lexicon
    assert all(w in lex for w in ws)


def test_keywords_lowercase_and_bounded():
    kws = extract_keywords("The Fender Strap is long. The FENDER strap fits my Gibson guitar well.", top_k=3)
    assert 0 < len(kws) <= 3
    assert all(k == k.lower() for k in kws)
    assert extract_keywords("   ") == [] and extract_keywords(None) == []


def test_add_features_columns_and_num_proc(synth_ds):
    one = add_features(synth_ds, progress=False, batch_size=3)
    two = add_features(synth_ds, progress=False, num_proc=2, batch_size=3)
    assert one.column_names == synth_ds.column_names + ["polarity", "keywords", "sentiment_words"]
    for c in ("polarity", "keywords", "sentiment_words"):
        assert one[c] == two[c]
    assert one[3]["keywords"] == [] and one[3]["polarity"] == 0.0  # the empty review
    again = add_features(one, progress=False)  # recomputes, no duplicate columns
    assert again.column_names == one.column_names


def test_add_features_streaming(synth_ds):
    it = add_features(synth_ds.to_iterable_dataset())
    assert [r["polarity"] for r in it] == add_features(synth_ds, progress=False)["polarity"]
    assert isinstance(
        add_features(datasets.DatasetDict({"x": synth_ds}), progress=False), datasets.DatasetDict
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            "the tuner is great GREAT good bad not never so this very kind of at least but no without doubt "
            "hardly don't isn't or nor it was really sound awful ok !! ? . , :) love hate the bomb sort "
            "yeah right cut the mustard fine".split()
        ),
        max_size=40,
    )
)
def test_windowed_vader_scores_exactly_like_vader(words):
    # reviewaug's analyzer hands two of VADER's rules a window of the review instead of the whole review

    text = " ".join(words)
    assert analyzer().polarity_scores(text) == _stock().polarity_scores(text)


@pytest.mark.corpus
def test_windowed_vader_scores_real_reviews_exactly_like_vader(corpus_path):
    from reviewaug.io import load_reviews

    texts = load_reviews(str(corpus_path)).select(range(0, 10_000, 20))["text"]
    stock = _stock()
    assert [analyzer().polarity_scores(t) for t in texts] == [stock.polarity_scores(t) for t in texts]


def _stock():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
