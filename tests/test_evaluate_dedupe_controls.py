"""Dedupe of generated text against held-out text, and the count-matched random controls."""

from __future__ import annotations

import numpy as np
import pytest

from reviewaug.evaluate.controls import other_item_texts, random_word_texts, random_words_fn
from reviewaug.evaluate.dedupe import dedupe_against, duplicate_mask, normalize_text


def test_exact_match_after_normalization_is_dropped():
    held = ["These strings sound GREAT, and stay in tune."]
    texts = ["these strings sound great and stay in tune", "these strings sound dull"]
    assert dedupe_against(texts, held) == ["these strings sound dull"]


def test_high_ngram_overlap_with_one_held_out_text_is_dropped_but_generic_phrases_are_not():
    held = ["i bought this tuner for my bass and it clips on the headstock easily", "works great"]
    near_copy = "honestly i bought this tuner for my bass and it clips on the headstock"
    generic = "works great for the price and i bought it on sale"
    mask = duplicate_mask([near_copy, generic], held)
    assert mask.tolist() == [True, False]


def test_overlap_threshold_is_configurable_and_validated():
    held = ["one two three four five six seven eight"]
    half = "one two three four five nine ten eleven twelve"  # 2 of its 6 four-grams shared
    assert not duplicate_mask([half], held, max_overlap=0.6)[0]
    assert duplicate_mask([half], held, max_overlap=0.3)[0]
    with pytest.raises(ValueError):
        duplicate_mask([half], held, max_overlap=0)


def test_normalize_text():
    assert normalize_text("A  b,C!") == "a bc"


def test_random_word_texts_match_lengths_and_repeat_by_seed():
    vocab = ["alpha beta gamma delta", "epsilon zeta"]
    a = random_word_texts(["one two three", "x"], ["r1", "r2"], 3, seed=1, vocab_texts=vocab)
    b = random_word_texts(["one two three", "x"], ["r1", "r2"], 3, seed=1, vocab_texts=vocab)
    c = random_word_texts(["one two three", "x"], ["r1", "r2"], 3, seed=2, vocab_texts=vocab)
    assert a == b and a != c
    assert [[len(t.split()) for t in cs] for cs in a] == [[3, 3, 3], [1, 1, 1]]
    words = set(" ".join(vocab).split())
    assert all(set(t.split()) <= words for cs in a for t in cs)


def test_random_words_fn_keeps_labels_and_counts():
    fn = random_words_fn(["a b c"])
    out = fn(["x y", "z"], ["r1", "r2"], np.array([0, 1]), 4, 0)
    assert [lab for _, lab, _ in out] == [0] * 4 + [1] * 4
    assert [src for _, _, src in out] == [0] * 4 + [1] * 4  # each copy names its source's position
    assert all(set(t.split()) <= {"a", "b", "c"} for t, _, _ in out)
    # by default the words come from the training texts it is given
    own = random_words_fn()(["x y", "z"], ["r1", "r2"], np.array([0, 1]), 3, 0)
    assert all(set(t.split()) <= {"x", "y", "z"} for t, _, _ in own)


def test_other_item_texts_never_uses_the_same_item():
    items = ["a", "b", "c", "a", "b"]
    texts = ["about a 1", "about b", "about c", "about a 2", ""]
    out = other_item_texts(["a"] * 20 + ["b"] * 20, items, texts, seed=3)
    assert len(out) == 40
    assert all(not t.startswith(f"about {i}") and t for i, t in out)
    with pytest.raises(ValueError, match="other than"):
        other_item_texts(["a"], ["a"], ["only a"], seed=0)
