"""Odd datasets and parameters: clear errors naming the problem, no duplicate ids, protection never lost.
The cases come from probing augment_dataset, the recipes and the ops with hand-made data."""

from __future__ import annotations

import math
import unicodedata

import datasets
import pytest

from reviewaug.augment import OneOf, Sometimes, augment_dataset, load_recipe
from reviewaug.augment.constraints import EditRate, Guarded, PolarityKept, protected_words
from reviewaug.augment.core import Identity, Row
from reviewaug.augment.noise import KeyboardTypo
from reviewaug.augment.rewrite import Contractions
from reviewaug.augment.tokens import word_tokens
from reviewaug.augment.word import RandomDelete, RandomSwap

T = "strap cable tuner pedal amp string pick capo stand bag case knob"


def _ds(**cols) -> datasets.Dataset:
    return datasets.Dataset.from_dict(cols)


def test_numeric_ids_become_strings():
    out = augment_dataset(_ds(review_id=[1, 2], text=[T, T]), RandomSwap(p=0.3), n=2, progress=False)
    assert out["review_id"] == ["1", "1~aug1", "1~aug2", "2", "2~aug1", "2~aug2"]
    assert out.features["review_id"] == datasets.Value("string")


@pytest.mark.parametrize(
    "ids,match",
    [
        (["a", "a"], r"'a' appears in rows 0 and 1"),
        (["a", None], r"null in row 1"),
        (["a", "a~aug1"], r"'a~aug1' \(row 1\) is the name a copy of row 0 would get"),
    ],
)
def test_ids_that_would_repeat_are_errors(ids, match):
    with pytest.raises(ValueError, match=match):
        augment_dataset(_ds(review_id=ids, text=[T, T]), RandomSwap(p=0.3), n=1, progress=False)


def test_keywords_as_a_lone_string_protect_the_word():
    ds = _ds(review_id=["r"], text=[T], keywords=["strap"], sentiment_words=[[]])
    out = augment_dataset(ds, RandomDelete(p=0.5), n=20, seed=0, keep_original=False, progress=False)
    assert all("strap" in t.split() for t in out["text"])
    with pytest.raises(ValueError, match="feature 'keywords' must be a list of strings"):
        protected_words(T, {"keywords": [5]})


def test_null_keywords_are_computed_not_ignored():
    ds = _ds(review_id=["r"], text=["the strap broke but the tuner is great"], keywords=[None])
    out = augment_dataset(ds, RandomDelete(p=0.9), n=10, seed=1, keep_original=False, progress=False)
    assert all("great" in t.split() for t in out["text"])  # a sentiment word, found for the null row


def test_nan_polarity_is_rescored_and_int_polarity_refused():
    text = ["I love this strap, it works well and the cable is fine"] * 6
    ds = _ds(review_id=[f"r{i}" for i in range(6)], text=text, polarity=[math.nan] * 6)
    out = augment_dataset(ds, RandomSwap(p=0.3), n=1, keep_original=False, progress=False)
    assert all(math.isfinite(v) for v in out["polarity"])
    with pytest.raises(ValueError, match="column 'polarity' holds int64"):
        augment_dataset(_ds(review_id=["a"], text=[T], polarity=[1]), RandomSwap(), n=1, progress=False)


def test_polarity_that_is_not_vader_score_is_refused_naming_the_row():
    """A float 'polarity' column holding labels or stale scores is read as VADER's score by the guard and mixed
    with rescored copies: refused, naming the row, whether out of range or disagreeing with VADER."""
    from reviewaug.augment import augment_texts
    from reviewaug.features import add_features

    texts = ["I love this strap, it works well", "the cable broke, terrible and useless", T]
    scored = add_features(_ds(review_id=["a", "b", "c"], text=texts), progress=False)
    out = augment_dataset(scored, RandomSwap(p=0.3), n=1, keep_original=False, progress=False)
    assert out.num_rows == 3  # its own scores pass (float64, and cast to float32)
    as32 = scored.cast_column("polarity", datasets.Value("float32"))
    assert augment_dataset(as32, RandomSwap(p=0.3), n=1, progress=False).num_rows == 6
    labels = scored.remove_columns("polarity").add_column("polarity", [1.0, -1.0, 0.0])
    with pytest.raises(
        ValueError, match=r"row 'a' holds 1\.0, but VADER's compound score of its text is 0\.\d{4}"
    ):
        augment_dataset(labels, RandomSwap(p=0.3), n=1, progress=False)
    stars = scored.remove_columns("polarity").add_column("polarity", [math.nan, 5.0, 1.0])
    with pytest.raises(ValueError, match=r"row 'b' holds 5\.0, outside VADER's compound range"):
        augment_dataset(stars, RandomSwap(p=0.3), n=1, progress=False)
    swapped = list(reversed(scored["polarity"]))  # in range, the wrong rows' scores
    with pytest.raises(ValueError, match="row .0..*Rename a column that holds labels"):
        augment_texts(texts, RandomSwap(p=0.3), features={"polarity": swapped})


def test_parameters_are_checked_before_any_work():
    ds = _ds(review_id=["a"], text=[T])
    for kw, match in (
        ({"n": 1.5}, "n must be a whole number"),
        ({"n": -1}, "n must be a whole number"),
        ({"seed": None}, "seed must be an int"),
        ({"seed": 1.7}, "seed must be an int"),
        ({"keep_original": "no"}, "keep_original must be True or False"),
        ({"protect": {"keyword": False}}, r"protect takes True/False for keywords"),
    ):
        with pytest.raises((ValueError, TypeError), match=match):
            augment_dataset(ds, RandomSwap(), progress=False, **kw)
    for bad in (-0.5, 1.5, math.nan, "0.2", None, True):
        for op in (RandomSwap, RandomDelete, KeyboardTypo):
            with pytest.raises(ValueError, match=r"\(p=\.\.\.\) must be a number in \[0, 1\]"):
                op(p=bad)
    with pytest.raises(ValueError, match="OneOf weights"):
        OneOf([Identity(), Identity()], weights=[math.nan, 1.0])
    with pytest.raises(ValueError, match="min_rate <= max_rate"):
        EditRate(min_rate=0.9, max_rate=0.1)
    with pytest.raises(ValueError, match="tolerance >= 0"):
        PolarityKept(tolerance=-1)
    with pytest.raises(TypeError, match="check instances"):
        Guarded(Identity(), checks=(PolarityKept,))


def test_combinators_check_their_children_counts():
    rows = [Row.make(T, review_id=str(i)) for i in range(3)]

    def short(texts, rows):
        return [t.upper() for t in texts][:-1]

    for aug in (OneOf([short]), Sometimes(short, p=1.0), Guarded(short, checks=(EditRate(),))):
        with pytest.raises(RuntimeError, match="returned 2 texts for 3 rows"):
            aug([T] * 3, rows)


def test_empty_dataset_keeps_its_columns():
    out = augment_dataset(_ds(review_id=[], text=[]), RandomSwap(), n=2, progress=False)
    assert out.num_rows == 0
    assert out.column_names == ["review_id", "text", "aug_of", "aug_index", "aug_ops"]


def test_progress_false_leaves_the_users_setting():
    datasets.disable_progress_bars()
    try:
        augment_dataset(_ds(review_id=["a"], text=[T]), RandomSwap(), progress=False)
        assert not datasets.is_progress_bar_enabled()
    finally:
        datasets.enable_progress_bars()


def test_contractions_leave_protected_negations():
    t = "I don't like it and it is not cheap, but it's fine"
    prot = protected_words(t, {})
    (out,) = Contractions(mode="expand")([t], [Row.make(t, protected=prot)])
    assert "don't" in out and "it is fine" in out
    (out,) = Contractions(mode="contract")([t], [Row.make(t, protected=prot)])
    assert "it's not cheap" in out and "isn't" not in out  # "it is" contracts, "is not" holds a negation
    (out,) = Contractions(mode="expand", respect_protected=False)([t], [Row.make(t, protected=prot)])
    assert "do not like" in out


def test_decomposed_accents_and_zero_width_characters_stay_inside_their_words():
    t = unicodedata.normalize("NFD", "the naïve café owner sold me a décor piece and a résumé folder today")
    assert word_tokens(t) == t.split()
    words = set(t.split())
    for seed in range(10):
        (out,) = RandomSwap(p=0.3)([t], [Row.make(t, seed=seed, review_id="x")])
        assert set(out.split()) == words  # whole words moved, none cut
    z = "a stra\u200bp and ze\u200dro wi\u00adre"
    assert word_tokens(z) == z.split()


@pytest.mark.parametrize(
    "body,match",
    [
        (
            'checks = [{type = "polarity", tolerence = 0.3}]',
            r"bad parameters for check 'polarity'.*tolerence",
        ),
        ('checks = ["polarity"]', r"a check must be a table with a 'type'"),
        ('checks = {type = "polarity"}', r"checks must be a list of tables"),
        ("[protect]\nkeyword = true", r"\[protect\] takes True/False for keywords.*keyword=True"),
        ('[protect]\nkeywords = "false"', r"keywords='false'"),
    ],
)
def test_recipe_mistakes_name_the_file(tmp_path, body, match):
    head = 'name = "x"\nsummary = "x"\n'
    if body.startswith("[protect]"):
        text = head + body + '\n\n[augmenter]\ntype = "word_swap"\n'
    else:
        text = (
            head
            + '\n[augmenter]\ntype = "guarded"\n'
            + body
            + '\n\n[augmenter.augmenter]\ntype = "word_swap"\n'
        )
    p = tmp_path / "r.toml"
    p.write_text(text)
    with pytest.raises(ValueError, match=match) as e:
        load_recipe(p)
    assert "r.toml" in str(e.value)


def test_augment_texts_checks_its_arguments():
    from reviewaug.augment import augment_texts

    with pytest.raises(TypeError, match="not one string"):
        augment_texts(T, RandomSwap())
    with pytest.raises(ValueError, match="got 1 ids for 2 texts"):
        augment_texts([T, T], RandomSwap(), ids=["a"])
    with pytest.raises(ValueError, match="ids must be unique"):
        augment_texts([T, T], RandomSwap(), ids=["a", "a"])


def test_an_augmented_stream_is_refused():
    rows = [{"review_id": "a", "text": T}]
    once = augment_dataset(datasets.Dataset.from_list(rows), RandomSwap(), n=1, progress=False)
    stream = datasets.IterableDataset.from_generator(lambda: iter(once.to_list()))
    with pytest.raises(ValueError, match="looks augmented already"):
        list(augment_dataset(stream, RandomSwap(), n=1))


def test_splits_without_ids_draw_apart_and_with_ids_as_before():
    """Positions are the ids of a split without an id column: row 0 of "train" and row 0 of "test" used to
    share a generator (the same copy of the same text); the split's name now goes into their keys."""
    text = "the tuner cable strap case pedal knob plug cord jack box lid hinge latch rail clip"
    splits = {k: datasets.Dataset.from_dict({"text": [text] * 4}) for k in ("train", "test")}
    out = augment_dataset(
        datasets.DatasetDict(splits), RandomSwap(p=0.3), n=1, keep_original=False, progress=False
    )
    assert out["train"]["text"] != out["test"]["text"]
    assert out["train"]["aug_of"] == out["test"]["aug_of"] == ["0", "1", "2", "3"]
    alone = augment_dataset(
        splits["test"], RandomSwap(p=0.3), n=1, keep_original=False, progress=False, stream="test"
    )
    assert alone["text"] == out["test"]["text"]
    with_ids = {k: v.add_column("review_id", ["a", "b", "c", "d"]) for k, v in splits.items()}
    out = augment_dataset(datasets.DatasetDict(with_ids), RandomSwap(p=0.3), n=1, progress=False)
    assert out["train"]["text"] == out["test"]["text"]  # ids name the rows: the same rows, the same copies
    with pytest.raises(TypeError, match="stream"):
        augment_dataset(splits["test"], RandomSwap(), progress=False, stream=1)
