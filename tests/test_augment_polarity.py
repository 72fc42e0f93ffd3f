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


PHRASE_VOCAB = (
    VOCAB
    + (
        "cut mustard in black red sort bomb. the, Kind, of, at least, yeah right hand upper just enough USB I "
        "guitar A+ no, or, WOW"
    ).split()
    + ["", "a\nb", "fine\n"]
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PHRASE_VOCAB), min_size=1, max_size=16),
    st.lists(
        st.tuples(st.integers(0, 15), st.sampled_from(PHRASE_VOCAB + ["tunre", "The", "OF"])), max_size=5
    ),
)
def test_in_place_proof_is_exact(words, edits):
    """An op's own proof (pieces rewritten in place, checked only where it edited) never claims an edit that
    changes VADER's score — phrases next to the edit, capitals, emphasis and runs of spaces included."""
    from reviewaug.augment.polarity import unchanged_in_place

    new = list(words)
    for i, w in edits:
        if i < len(new):
            new[i] = w
    changed = [i for i, (a, b) in enumerate(zip(words, new)) if a != b]
    if unchanged_in_place(words, new, changed):
        a, b = polarity_scores([" ".join(words), " ".join(new)])
        assert a == b, (words, new)


def test_in_place_proof_cases():
    from reviewaug.augment.polarity import unchanged_in_place

    def ok(before: str, after: str) -> bool:
        old, new = before.split(" "), after.split(" ")
        return unchanged_in_place(old, new, [i for i, (a, b) in enumerate(zip(old, new)) if a != b])

    assert ok("the cable is great", "the strap is great")
    assert not ok("the cable is great", "the cable is grate")  # a lexicon word changed
    assert not ok("it is the cable", "it is the bomb")  # "bomb" next to "the": a phrase VADER reads
    assert not ok("it is the, cable", "it is the, bomb")  # VADER strips the comma from "the,"
    assert ok("the bomb arrived and the cable works", "the bomb arrived and the strap works")
    # "I" in capitals is lost: the count changes, VADER's flag (some, not all, in capitals) does not matter here,
    # as no lexicon word is in capitals; with "LIKE" in capitals it decides LIKE's emphasis
    assert ok("I like it", "cable like it")
    assert not ok("I LIKE", "cable LIKE")  # all in capitals before (no flag), some after: LIKE is stressed
    assert ok("I LIKE it", "cable LIKE it")  # the flag holds (some, not all, in capitals before and after)
    assert ok("I like the USB cable", "USB like the I cable")  # capitals swapped, count kept
    assert not ok("a cable works", "a cable! works")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(PHRASE_VOCAB[:-3] + ["guitar", "my", "for", "CABLE", "Strap!", "NOT", "this", "DI"]),
        min_size=1,
        max_size=18,
    ),
    st.lists(st.integers(0, 17), max_size=4),
    st.lists(
        st.tuples(st.integers(0, 17), st.sampled_from(["tunre", ",", "cable,", "GREAT", "nice", "?"])),
        max_size=3,
    ),
    st.lists(st.tuples(st.integers(0, 17), st.sampled_from([".", ",", "!", "?", ")"])), max_size=3),
)
def test_far_deletion_proof_is_exact(words, removed, rewrites, glued):
    """The deletion proof (tokens removed or rewritten away from every lexicon word) never claims an edit that
    changes VADER's score. ``glued``: a mark appended to a token, as when a deletion glues a full stop to the
    word before it (VADER strips it from a word of three letters or more, not from "no")."""
    from reviewaug.augment.polarity import unchanged_far_from_anchors

    words = [w for w in words if w]
    removed = sorted({i for i in removed if i < len(words)})
    rewritten = {i: t for i, t in rewrites if i < len(words) and i not in removed}
    rewritten.update({i: words[i] + m for i, m in glued if i < len(words) and i not in removed})
    if not words or len(removed) == len(words):
        return
    new = [rewritten.get(i, w) for i, w in enumerate(words) if i not in removed]
    if unchanged_far_from_anchors(words, removed, rewritten):
        a, b = polarity_scores([" ".join(words), " ".join(new)])
        assert a == b, (words, new)


def test_deletion_proof_reads_the_capitals_flag_as_vader_does():
    """VADER reads its capitals flag only for words in capitals (``isupper``) that carry a valence: losing the
    only token in capitals is harmless when no such word exists ("Great" is not in capitals), not when the
    deletion leaves every token in capitals and "GREAT" loses its stress."""
    from reviewaug.augment.polarity import unchanged_far_from_anchors

    for text, proved in (
        ("DI box came with a cable and it is great", True),
        ("DI box came with a cable and it is Great", True),
        ("the DI BOX CAME WITH A CABLE AND IT IS GREAT", False),
    ):
        old = text.split()
        assert unchanged_far_from_anchors(old, [0], {}) is proved, text
        before, after = polarity_scores([text, " ".join(old[1:])])
        assert bool(before == after) is proved, text


@pytest.mark.corpus
def test_ops_proofs_hold_on_real_reviews(corpus_path):
    """The ops that prove their own edits (word swap, the character noise ops) cover nearly every changed row,
    and VADER gives exactly the same score wherever they claim it."""
    from reviewaug.augment.core import Row
    from reviewaug.augment.noise import Aeda, CharNoise, KeyboardTypo
    from reviewaug.augment.polarity import proved_unchanged
    from reviewaug.augment.synonyms import SynonymSwap
    from reviewaug.augment.word import RandomDelete, RandomSwap
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(5, 10_000, 25))["text"] if t]
    augs = {  # the least share of changed rows each op proves itself
        RandomSwap(p=0.1): 0.9,
        KeyboardTypo(p=0.2): 0.9,
        # case noise changes capitals: those rows are the guard's
        CharNoise(keyboard=0.1, swap=0.1, delete=0.1, insert=0.1, ocr=0.1, case=0.1): 0.0,
        RandomDelete(p=0.2): 0.4,  # texts with line breaks or runs of spaces: the guard's
        RandomDelete(p=0.2, near_sentiment=True): 0.0,
        SynonymSwap(rate=0.1, tagger="lexicon"): 0.5,  # nothing protected: sentiment words swap (guard)
        Aeda(ratio=0.3): 0.0,  # "!" and "?" change VADER's emphasis: the guard's
        Aeda(ratio=0.3, marks=(".", ";", ",")): 0.03,  # most reviews get a mark next to a sentiment word
    }
    for aug, least in augs.items():
        rows = [Row.make(t, seed=3, review_id=str(i)) for i, t in enumerate(texts)]
        out = aug(texts, rows)
        proved = np.array([proved_unchanged(r.vader_proofs, t, o) for r, t, o in zip(rows, texts, out)])
        changed = np.array([a != b for a, b in zip(texts, out)])
        assert proved[changed].mean() >= least, (aug, proved[changed].mean())
        pb, pa = polarity_scores(texts), polarity_scores(out)
        assert np.array_equal(pb[proved], pa[proved]), aug


# pieces of every shape the swap's proof tells apart (a bare word, a plain word in ASCII punctuation, short
# words whose punctuation VADER keeps, "_", non-ASCII marks, emoticons) and phrase partners inside other words
SHAPE_VOCAB = (
    "(cable) a, it. _tuner_ “strap” ordered red, the. :( x( D : IT, kind-of cables; (a) bomb!".split()
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PHRASE_VOCAB + SHAPE_VOCAB), min_size=1, max_size=16), st.integers(0, 15))
def test_phrase_prefilter_never_hides_a_phrase(words, c):
    """Where a phrase of a phrase word occurs within reach of it, the per-text prefilter says one can."""
    from reviewaug.augment.polarity import _classify, _phrase_near, _tables, phrase_possible

    pieces = " ".join(words).split(" ")
    c = min(c, len(pieces) - 1)
    low = " ".join(pieces).lower()
    for t in pieces[c].split():
        key = _classify(t)[1]
        ph = _tables()[2].get(key)
        if ph and _phrase_near(pieces, c, key, ph):
            assert phrase_possible(low, key, {}), (pieces, c, key)


def test_phrase_prefilter_cases():
    from reviewaug.augment.polarity import phrase_possible

    assert not phrase_possible("the strings are ordered and tired", "the", {})  # "red" only inside words
    assert phrase_possible("the red one", "in", {})
    assert phrase_possible("in the (red)", "the", {})
    assert phrase_possible("no strap or case", "or", {})
    assert not phrase_possible("a case or a strap", "or", {})


def test_piece_shapes():
    """A piece's word reads as the piece for VADER exactly when its shape says so."""
    from reviewaug.augment.constraints import _piece_words

    def shape(piece: str) -> tuple[int, bool]:
        (w,) = _piece_words(piece)[0]
        return w[6], w[7]

    assert shape("cable") == (2, True)
    assert shape("it") == (2, False)  # the whole piece: the token is the word, however short
    assert shape("(cable),") == (1, True)
    assert shape("it.") == (0, False)  # VADER keeps the full stop of a two-letter word
    assert shape("“cable”") == (0, True)  # non-ASCII marks are not stripped
    assert shape("_tuner_") == (2, False)
    assert shape("x_y.") == (0, False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(PHRASE_VOCAB + ["😀", "Ok!!", "so-so", "tuner.", "(strap)"] + SHAPE_VOCAB),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 10_000),
)
def test_ops_proofs_are_exact_on_fuzzed_texts(words, seed):
    """Whatever the text (phrases, emojis, capitals, runs of spaces, line breaks), a proof an op records holds
    under VADER itself."""
    from reviewaug.augment.core import Row
    from reviewaug.augment.noise import CharNoise
    from reviewaug.augment.polarity import proved_unchanged
    from reviewaug.augment.word import RandomDelete, RandomSwap

    text = " ".join(words)
    for aug in (
        RandomSwap(p=0.3),
        RandomDelete(p=0.4),
        CharNoise(keyboard=0.3, swap=0.2, delete=0.2, case=0.1),
    ):
        row = Row.make(text, seed=seed, review_id="r")
        out = aug([text], [row])[0]
        if out != text and proved_unchanged(row.vader_proofs, text, out):
            a, b = polarity_scores([text, out])
            assert a == b, (aug, text, out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(PHRASE_VOCAB[:-3] + ["guitar", "my", "for", "CABLE", "Strap!", "NOT", "this", "DI"]),
        min_size=1,
        max_size=16,
    ),
    st.dictionaries(
        st.integers(0, 15), st.sampled_from([".", ";", ",", ":", "!", "?", "A", "good", "--"]), max_size=4
    ),
)
def test_insertion_proof_is_exact(words, inserts):
    """The insertion proof (AEDA's marks) never claims an edit that changes VADER's score."""
    from reviewaug.augment.polarity import unchanged_by_insertions

    words = [w for w in words if w]
    inserts = {c: t for c, t in inserts.items() if c < len(words)}
    if not words:
        return
    new = [x for c, w in enumerate(words) for x in ([inserts[c], w] if c in inserts else [w])]
    if unchanged_by_insertions(words, inserts):
        a, b = polarity_scores([" ".join(words), " ".join(new)])
        assert a == b, (words, new)


EXPANSIONS = [
    "guitar cable", "the bomb", "kind of", "sort of fine", "very good", "pick up", "in the red", "GREAT deal",
    "cut the mustard", "a", "tunre", "OF", "yeah right", "set up", "look for", "the", "not bad", "USB cable",
    "A B", "good", "but then", "break a leg", "so so", "at", "least",
]  # fmt: skip


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PHRASE_VOCAB), min_size=1, max_size=16),
    st.dictionaries(st.integers(0, 15), st.sampled_from(EXPANSIONS), max_size=4),
)
def test_expansion_proof_is_exact(words, edits):
    """The multi-word synonym proof (a piece rewritten into one or more tokens) never claims an edit that changes
    VADER's score: phrases formed across the new words, anchors shifted, capitals, runs of spaces."""
    from reviewaug.augment.polarity import unchanged_by_expansion

    new = list(words)
    for i, w in edits.items():
        if i < len(new) and new[i]:
            new[i] = w
    changed = [i for i, (a, b) in enumerate(zip(words, new)) if a != b]
    if unchanged_by_expansion(words, new, changed):
        a, b = polarity_scores([" ".join(words), " ".join(new)])
        assert a == b, (words, new)


def test_expansion_proof_cases():
    from reviewaug.augment.polarity import unchanged_by_expansion

    old = "it came with a cable and a strap and the sound is great".split(" ")
    grown = old[:4] + ["guitar cable"] + old[5:]
    assert unchanged_by_expansion(old, grown, [4])
    assert not unchanged_by_expansion(old, old[:10] + ["sound very"] + old[11:], [10])  # next to "great"
    assert not unchanged_by_expansion(old, old[:4] + ["the bomb"] + old[5:], [4])  # a phrase VADER reads
    assert not unchanged_by_expansion(old, old[:4] + ["good cable"] + old[5:], [4])  # a lexicon word
    spaced = "it came with a  cable".split(" ")  # runs of spaces: tokens counted without the empty pieces
    assert unchanged_by_expansion(spaced, spaced[:5] + ["guitar cable"], [5])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            PHRASE_VOCAB + ["😀", "Ok!!", "so-so", "tuner.", "(strap)", "\n", "GREAT", "Cable"] + SHAPE_VOCAB
        ),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 10_000),
    st.sampled_from(["keyboard", "ocr", "case", "mixed"]),
)
def test_noise_proof_is_the_general_check(words, seed, kind):
    """The character-noise pass proves an edit exactly when the general in-place check
    (``unchanged_in_place`` over the pieces it changed) does: its shortcut for one-word chunks reads less,
    never differently."""
    from reviewaug.augment import noise
    from reviewaug.augment.core import row_rng
    from reviewaug.augment.polarity import unchanged_in_place

    text = " ".join(words)
    rng = row_rng(seed, "r")
    proofs: dict[str, str] = {}
    if kind == "mixed":
        out = noise.char_noise(text, rng, keyboard=0.3, swap=0.2, ocr=0.2, case=0.2, proofs=proofs)
    else:
        out = {"keyboard": noise.keyboard_typo, "ocr": noise.ocr_noise, "case": noise.case_noise}[kind](
            text, rng, p=0.6, proofs=proofs
        )
    if out == text:
        return
    before, after = text.split(" "), out.split(" ")
    assert len(before) == len(after)  # character edits never add or remove a space
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert (out in proofs) == unchanged_in_place(before, after, changed), (text, out)
