"""Properties of the augmenter core: exact counts, seed determinism at any batch size or process count,
protected words, p=0 identity, fuzzed input, guards falling back."""

from __future__ import annotations

import datasets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment import (
    EditRate,
    Guarded,
    Identity,
    OneOf,
    PolarityKept,
    RandomDelete,
    RandomSwap,
    Row,
    Sequential,
    Sometimes,
    augment_dataset,
    augment_texts,
    load_recipe,
    protected_words,
    row_rng,
)
from reviewaug.augment.tokens import is_word, split_tokens

FUZZ = [
    None,
    "",
    "   ",
    "\n\t",
    "👍👍 great 🎸 strings 🤘",
    "zero\u200bwidth\u200djoiner text here",
    "مرحبا this is RTL \u202e mixed \u202c text",
    "<b>bold</b> &amp; <a href='x'>link</a> not bad",
    "a",
    "!!!",
    "x " * 5000,
]

words = st.lists(
    st.sampled_from("the a tuner strap great bad not 2 cheap works fine loud cable very but barely".split()),
    max_size=30,
)
texts = words.map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=12), st.integers(0, 3), st.booleans())
def test_counts_exact(batch, n, keep):
    ds = datasets.Dataset.from_dict({"review_id": [f"r{i}" for i in range(len(batch))], "text": batch})
    out = augment_dataset(ds, RandomSwap(p=0.3), n=n, keep_original=keep, seed=1, progress=False)
    assert out.num_rows == len(batch) * (n + keep)
    assert out["aug_of"] == [f"r{i}" for i in range(len(batch)) for _ in range(n + keep)]
    assert len(set(out["review_id"])) == out.num_rows


@settings(max_examples=25, deadline=None)
@given(texts, st.integers(0, 2**31 - 1))
def test_protected_words_survive(text, seed):
    feats = {"keywords": ["tuner"], "sentiment_words": ["great", "bad"]}
    prot = protected_words(text, feats)
    row = Row.make(text, seed=seed, review_id="x", features=feats, protected=prot)
    out = Sequential([RandomSwap(p=0.5), RandomDelete(p=0.5)])([text], [row])[0]

    def count(s, w):
        return sum(1 for t in split_tokens(s) if is_word(t) and t.lower() == w)

    for w in ("tuner", "great", "bad", "not", "2", "very", "but", "barely"):
        assert count(out, w) == count(text, w)
    assert sorted(out.split()) == sorted(out.split())  # no crash, a string


@settings(max_examples=25, deadline=None)
@given(texts)
def test_p_zero_is_identity(text):
    aug = Sequential([Sometimes(RandomSwap(p=0.5), p=0.0), RandomDelete(p=0.0), RandomSwap(p=0.0)])
    row = Row.make(text)
    assert aug([text], [row]) == [text]
    assert row.ops == []


def test_row_rng_is_a_function_of_seed_id_copy():
    a = row_rng(3, "r1", 1).random(4)
    assert np.array_equal(a, row_rng(3, "r1", 1).random(4))
    assert not np.array_equal(a, row_rng(3, "r1", 2).random(4))
    assert not np.array_equal(a, row_rng(4, "r1", 1).random(4))
    assert not np.array_equal(a, row_rng(3, "r2", 1).random(4))


def _corpus_like(n: int = 60):
    rng = np.random.default_rng(0)
    vocab = "the tuner strap is great but cable was bad not 3 cheap works fine loud and it my guitar".split()
    return datasets.Dataset.from_dict(
        {
            "review_id": [f"r{i}" for i in range(n)],
            "text": [" ".join(rng.choice(vocab, size=int(rng.integers(3, 25)))) for _ in range(n)],
        }
    )


@pytest.mark.parametrize("recipe", ["word-noise"])
def test_same_seed_same_output_any_batch_size_and_procs(recipe):
    ds = _corpus_like()
    ref = augment_dataset(ds, recipe, n=2, seed=5, batch_size=1000, progress=False)
    for bs in (1, 7):
        other = augment_dataset(ds, recipe, n=2, seed=5, batch_size=bs, progress=False)
        assert other["text"] == ref["text"] and other["aug_ops"] == ref["aug_ops"]
    par = augment_dataset(ds, recipe, n=2, seed=5, batch_size=7, num_proc=2, progress=False)
    assert par["text"] == ref["text"] and par["aug_ops"] == ref["aug_ops"]
    diff = augment_dataset(ds, recipe, n=2, seed=6, progress=False)
    assert diff["text"] != ref["text"]


def test_fuzzed_texts_never_crash():
    ds = datasets.Dataset.from_dict({"review_id": [f"f{i}" for i in range(len(FUZZ))], "text": FUZZ})
    aug = Sequential([RandomSwap(p=0.5), RandomDelete(p=0.5), OneOf([Identity(), RandomSwap(p=1.0)])])
    for target in (aug, "word-noise"):
        out = augment_dataset(ds, target, n=2, seed=0, progress=False)
        assert out.num_rows == 3 * len(FUZZ)
        assert out["text"][0] is None and out["text"][1] is None  # None stays None, never dropped
        assert all(t is None or isinstance(t, str) for t in out["text"])


def test_guard_falls_back_and_records():
    class Negate:
        def __call__(self, texts, rows):
            for r in rows:
                r.ops.append("negate")
            return [t.replace("love", "hate") for t in texts]

    text = "I love this tuner"
    row = Row.make(text)
    out = Guarded(Negate(), checks=(PolarityKept(tolerance=0.3),))([text], [row])
    assert out == [text]
    assert row.ops == ["fallback:polarity"]
    row2 = Row.make("a b c d")
    out2 = Guarded(RandomDelete(p=1.0, respect_protected=False), checks=(EditRate(max_rate=0.2),))(
        ["a b c d"], [row2]
    )
    assert out2 == ["a b c d"] and row2.ops == ["fallback:edit_rate"]


def test_one_of_weights_and_sometimes_rates():
    rows = [Row.make("a b c d e f", review_id=str(i)) for i in range(400)]
    Sometimes(RandomSwap(p=0.5), p=0.25)(["a b c d e f"] * 400, rows)
    frac = sum(1 for r in rows if r.ops) / 400
    assert 0.15 < frac < 0.35
    rows = [Row.make("x", review_id=str(i)) for i in range(300)]

    class Tag:
        def __init__(self, t):
            self.t = t

        def __call__(self, texts, rs):
            for r in rs:
                r.ops.append(self.t)
            return list(texts)

    OneOf([Tag("a"), Tag("b")], weights=[0.9, 0.1])(["x"] * 300, rows)
    share_a = sum(r.ops == ["a"] for r in rows) / 300
    assert 0.8 < share_a < 0.97
    with pytest.raises(ValueError):
        OneOf([Tag("a")], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        Sometimes(Identity(), p=1.5)


def test_streaming_and_dict(synth_ds):
    it = augment_dataset(synth_ds.to_iterable_dataset(), "word-noise", n=2, seed=3)
    rows = list(it)
    assert len(rows) == synth_ds.num_rows * 3
    eager = augment_dataset(synth_ds, "word-noise", n=2, seed=3, progress=False)
    assert [r["text"] for r in rows] == eager["text"]
    dd = augment_dataset(
        datasets.DatasetDict({"a": synth_ds, "b": synth_ds}), "word-noise", n=1, progress=False
    )
    assert dd["a"].num_rows == dd["b"].num_rows == 2 * synth_ds.num_rows


def test_columns_kept_and_added(synth_ds):
    out = augment_dataset(synth_ds, "word-noise", n=1, seed=0, progress=False)
    assert out.column_names == synth_ds.column_names + ["aug_of", "aug_index", "aug_ops"]
    assert out["aug_index"][:2] == [0, 1]
    assert out["item_id"][1] == synth_ds["item_id"][0]
    with pytest.raises(ValueError, match="augmented already"):
        augment_dataset(out, "word-noise", progress=False)
    with pytest.raises(KeyError, match="columns found"):
        augment_dataset(synth_ds.rename_column("text", "body"), "word-noise", progress=False)


def test_augment_texts_api():
    out = augment_texts(["the strap is great and the cable is fine"], load_recipe("word-noise"), n=3, seed=1)
    assert len(out) == 1 and len(out[0]) == 3
    assert all("great" in t for t in out[0])


def test_recipe_errors(tmp_path):
    with pytest.raises(KeyError, match="unknown recipe"):
        load_recipe("no-such-recipe")
    p = tmp_path / "bad.toml"
    p.write_text('name = "bad"\nsummary = "x"\n[augmenter]\ntype = "warp_drive"\n')
    with pytest.raises(ValueError, match="unknown op 'warp_drive'"):
        load_recipe(p)


def test_num_proc_2_uses_two_workers_after_a_one_process_run(tmp_path):
    # datasets reuses the shard count of an earlier cache file with the same fingerprint; a num_proc=1 run
    # must not make a later num_proc=2 run fall back to one shard (found in benchmarks/augment_speed.py)
    _corpus_like(40).save_to_disk(str(tmp_path / "ds"))
    ds = datasets.load_from_disk(str(tmp_path / "ds"))
    one = augment_dataset(ds, "word-noise", n=1, seed=3, num_proc=1, progress=False)
    two = augment_dataset(ds, "word-noise", n=1, seed=3, num_proc=2, progress=False)
    assert two["text"] == one["text"]
    shards = sorted(p.name for p in (tmp_path / "ds").glob("cache-*_of_00002.arrow"))
    assert len(shards) == 2, sorted(p.name for p in (tmp_path / "ds").iterdir())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["Tuner", "tuner", "don’t", "don't", "3rd", "not", " ", ", ", "great", "x-ray", "’"]),
             max_size=20),
    st.sets(st.sampled_from(["tuner", "don't", "great", "x-ray"])),
)  # fmt: skip
def test_protected_mask_flags_agree_with_is_protected(parts, prot):
    from reviewaug.augment.constraints import editable_words, is_protected, protected_mask
    from reviewaug.augment.tokens import is_word

    text = "".join(parts)
    prot = frozenset(prot)
    tokens, flags = protected_mask(text, prot)
    assert "".join(tokens) == text
    assert flags == [0 if not is_word(t) else 2 if is_protected(t, prot) else 1 for t in tokens]
    assert list(editable_words(text, prot)) == [i for i, f in enumerate(flags) if f == 1]
    tokens[0:0] = ["mutated"]  # the cached result hands out copies
    assert protected_mask(text, prot)[0] == tokens[1:]


def test_random_delete_leaves_no_leading_space():
    from reviewaug.augment.word import random_delete

    for seed in range(40):
        out = random_delete("alpha beta gamma delta", np.random.default_rng(seed), p=0.7)
        assert out == out.strip() and "  " not in out and out


def _token_delete(text: str, rng: np.random.Generator, p: float) -> str:
    """The token-list deletion word ops used before they read space-separated pieces: the space (or line
    break) before a deleted word goes with it; for the first word, the space after it."""
    tokens = split_tokens(text)
    free = [i for i, t in enumerate(tokens) if is_word(t)]
    if not free:
        return text
    drop = {i for i, d in zip(free, rng.random(len(free)).tolist()) if d < p}
    if len(drop) >= len(free):
        drop.discard(free[int(rng.integers(len(free)))])
    for i in sorted(drop):
        tokens[i] = ""
        j = i - 1
        while j >= 0 and not tokens[j]:
            j -= 1
        if j >= 0 and tokens[j].isspace():
            tokens[j] = ""
        elif j < 0 and i + 1 < len(tokens) and tokens[i + 1].isspace():
            tokens[i + 1] = ""
    return "".join(tokens)


def _token_swap(text: str, rng: np.random.Generator, p: float) -> str:
    tokens = split_tokens(text)
    free = [i for i, t in enumerate(tokens) if is_word(t)]
    if len(free) < 2:
        return text
    n = max(1, int(round(p * len(free))))
    first = rng.integers(len(free), size=n)
    second = rng.integers(len(free) - 1, size=n)
    second += second >= first
    for a, b in zip(first.tolist(), second.tolist()):
        tokens[free[a]], tokens[free[b]] = tokens[free[b]], tokens[free[a]]
    return "".join(tokens)


pieces = st.lists(
    st.sampled_from(
        ["tuner", "strap,", "(cable)", "works.\nThe", "", "very-good", "don't", "!", "x", "\n\nok"]
    ),
    min_size=1,
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(pieces, st.integers(0, 10_000), st.sampled_from([0.2, 0.5, 0.9]))
def test_word_ops_on_pieces_match_the_token_list_rules(text, seed, p):
    """Without protection every word is free, so the piece-based ops make the same draws as a plain token-list
    implementation and must give the same text: same words moved, same spacing after a deletion."""
    from reviewaug.augment.word import random_delete, random_swap

    got = random_delete(text, np.random.default_rng(seed), p=p, respect_protected=False)
    assert got == _token_delete(text, np.random.default_rng(seed), p)
    got = random_swap(text, np.random.default_rng(seed), p=p, respect_protected=False)
    assert got == _token_swap(text, np.random.default_rng(seed), p)


def test_word_ops_leave_the_words_vader_reads_alone():
    from reviewaug.augment.polarity import NEUTRAL, _classify
    from reviewaug.augment.word import random_delete, random_swap

    text = "so this tuner is good and the cable was fine but the case and strap came with a bag"
    read = [w for w in text.split() if _classify(w)[0] != NEUTRAL]
    for seed in range(40):
        out = random_swap(text, np.random.default_rng(seed), p=0.3)
        assert [w for w in out.split() if _classify(w)[0] != NEUTRAL] == read
        out = random_delete(text, np.random.default_rng(seed), p=0.5)
        assert [w for w in out.split() if _classify(w)[0] != NEUTRAL] == read
        # nothing within three words of "good", "fine" or "but" is deleted
        assert "tuner is good and the cable was fine but the case" in out


def test_random_delete_near_sentiment_option():
    from reviewaug.augment.word import RandomDelete, random_delete

    text = "the tuner is good and the cable was fine"
    near = {random_delete(text, np.random.default_rng(s), p=0.5, near_sentiment=True) for s in range(40)}
    far = {random_delete(text, np.random.default_rng(s), p=0.5) for s in range(40)}
    assert far == {text}  # every free word is within three words of "good" or "fine"
    assert len(near) > 5 and all("good" in t and "fine" in t for t in near)
    aug = RandomDelete(p=0.5, near_sentiment=True)
    outs = [aug([text], [Row.make(text, seed=s, review_id="r")])[0] for s in range(10)]
    assert any(o != text for o in outs)


class _TwoWays:
    """Appends " A" or " B" to each text, drawn from the row's generator: half the second copies repeat the
    first unless drawn again."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, texts, rows):
        self.calls.append(len(texts))
        return [t + (" A" if row.rng.random() < 0.5 else " B") for t, row in zip(texts, rows)]


def _repeats(copies: list[list[str]]) -> int:
    return sum(len(c) - len(set(c)) for c in copies)


def test_a_copy_repeating_an_earlier_one_is_drawn_again():
    texts = [f"review {i} is fine" for i in range(300)]
    plain = augment_texts(texts, _TwoWays(), n=2, seed=3, retries=0)
    again = augment_texts(texts, _TwoWays(), n=2, seed=3, retries=6)
    assert _repeats(plain) > 100  # about half the rows
    assert _repeats(again) <= 10  # 1 in 128 rows on average
    assert [c[0] for c in again] == [c[0] for c in plain]  # first copies are never redrawn
    assert again == augment_texts(texts, _TwoWays(), n=2, seed=3, retries=6)  # deterministic
    ds = datasets.Dataset.from_dict({"review_id": [f"r{i}" for i in range(300)], "text": texts})
    one = augment_dataset(ds, _TwoWays(), n=3, seed=3, progress=False, batch_size=1000)
    small = augment_dataset(ds, _TwoWays(), n=3, seed=3, progress=False, batch_size=7)
    assert one["text"] == small["text"] and one.num_rows == 1200  # any batch size, rows exact


def test_copies_left_as_their_source_are_not_drawn_again():
    aug = _TwoWays()
    out = augment_texts(["x"] * 5, Sometimes(aug, p=0.0), n=3, seed=0, retries=4)
    assert out == [["x"] * 3] * 5 and aug.calls == []
    always = augment_texts(["same"] * 4, Sequential([]), n=3, retries=4)  # every copy its source
    assert always == [["same"] * 3] * 4


def test_a_repeat_the_augmenter_cannot_avoid_stays():
    class Upper:
        def __call__(self, texts, rows):
            return [t.upper() for t in texts]

    out = augment_texts(["quiet tuner"], Upper(), n=3, retries=2)
    assert out == [["QUIET TUNER"] * 3]
    with pytest.raises(ValueError, match="retries"):
        augment_texts(["x"], Upper(), retries=-1)


def test_a_hyphenated_word_holding_a_protected_word_is_kept():
    """The ops edit "worry-free" as one word; the sentiment feature reads "free" in it, so it is protected whole."""
    from reviewaug.augment.noise import CharNoise, KeyboardTypo

    text = "the strap is worry-free and the case holds the tuner in place all day long"
    assert "worry-free" in protected_words(text, {"sentiment_words": ["free"]})
    feats = {"sentiment_words": [["free"]] * 40, "keywords": [[]] * 40}
    texts = [text] * 40
    for aug in (
        KeyboardTypo(p=1.0),
        CharNoise(keyboard=0.5, delete=0.5),
        RandomDelete(p=0.9),
        RandomSwap(p=0.5),
    ):
        out = augment_texts(texts, aug, n=1, features=feats, ids=[f"r{i}" for i in range(40)])
        assert sum(c[0] != text for c in out) > 20, aug  # the ops did work
        assert all(c[0].split().index("worry-free") == 3 for c in out if aug.name != "word_delete"), aug
        assert all("worry-free" in c[0].split() for c in out), aug
