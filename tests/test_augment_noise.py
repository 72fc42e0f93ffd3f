"""Noise ops: what each one changes, protected words, counts, determinism, fuzzing."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment import noise
from reviewaug.augment.batch import Batch
from reviewaug.augment.core import Row
from reviewaug.augment.tokens import is_word, split_tokens

TEXT = "The tuner is not bad but the modern strings broke after 2 weeks and I would buy another brand."
PROT = frozenset({"tuner", "bad", "strings"})


def char_noise_mix(text, rng, p=0.1, protected=frozenset(), respect_protected=True):
    """char_noise with ``p`` split over its one-character kinds, so it fits the CHAR_OPS tests."""
    q = p / 5
    return noise.char_noise(
        text, rng, keyboard=q, swap=q, delete=q, insert=q, ocr=q, protected=protected,
        respect_protected=respect_protected,
    )  # fmt: skip


CHAR_OPS = [
    noise.keyboard_typo,
    noise.ocr_noise,
    noise.char_swap,
    noise.char_insert,
    noise.char_delete,
    char_noise_mix,
]
ALL_CLASSES = [
    noise.KeyboardTypo,
    noise.OcrNoise,
    noise.CharSwap,
    noise.CharInsert,
    noise.CharDelete,
    noise.CaseNoise,
    noise.WordDuplicate,
    noise.SynonymInsert,
]


def words(text):
    return [t for t in split_tokens(text) if is_word(t)]


def test_qwerty_neighbours_are_adjacent_letters():
    assert set(noise.QWERTY_NEIGHBOURS["s"]) == set("adwezx")
    assert set(noise.QWERTY_NEIGHBOURS["q"]) == set("wa")
    for k, v in noise.QWERTY_NEIGHBOURS.items():
        if k.isalpha():
            assert v and k not in v and all(c.isalpha() for c in v)


@pytest.mark.parametrize("op", CHAR_OPS)
def test_char_ops_change_one_char_per_edited_word(op):
    rng = np.random.default_rng(0)
    out = op(TEXT, rng, p=1.0, protected=PROT)
    assert out != TEXT
    before, after = words(TEXT), words(out)
    assert len(before) == len(after)
    for a, b in zip(before, after):
        if a.lower() in PROT or a in ("not", "2"):
            assert a == b
        else:  # at most one substitution/insertion/deletion/transposition (OCR: up to 2 chars)
            assert abs(len(a) - len(b)) <= 1
            diff = sum(x != y for x, y in zip(a, b))
            assert diff <= 2 or len(a) != len(b)


def test_keyboard_typo_uses_a_neighbour():
    out = noise.keyboard_typo("aaaa", np.random.default_rng(1), p=1.0)
    new = [c for c in out if c != "a"]
    assert len(new) == 1 and new[0] in noise.QWERTY_NEIGHBOURS["a"]


def test_case_noise_only_changes_case():
    out = noise.case_noise(TEXT, np.random.default_rng(2), p=1.0, protected=PROT)
    assert out.lower() == TEXT.lower() and out != TEXT
    assert "tuner" in out and "bad" in out


def test_word_duplicate_and_counts():
    out = noise.word_duplicate("a b c d", np.random.default_rng(0), p=1.0)
    assert out == "a a b b c c d d"
    out = noise.word_duplicate(TEXT, np.random.default_rng(0), p=0.3, protected=PROT)
    assert words(out).count("bad") == 1 and words(out).count("not") == 1


def test_synonym_insert_adds_words_and_keeps_order():
    out = noise.synonym_insert(TEXT, np.random.default_rng(4), p=0.2, protected=PROT)
    before, after = words(TEXT), words(out)
    assert len(after) > len(before)
    it = iter(after)
    assert all(w in it for w in before)  # original words are a subsequence


def test_aeda_inserts_marks_only():
    for seed in range(10):
        out = noise.aeda(TEXT, np.random.default_rng(seed), ratio=0.3)
        assert words(out) == words(TEXT)
        n_new = sum(out.count(m) for m in noise.AEDA_MARKS) - sum(TEXT.count(m) for m in noise.AEDA_MARKS)
        assert 1 <= n_new <= int(0.3 * len(words(TEXT)))
        assert not any(
            out.split()[i] == "not" and out.split()[i + 1] in noise.AEDA_MARKS
            for i in range(len(out.split()) - 1)
        )


def test_respect_protected_off_touches_protected_words():
    outs = [noise.case_noise("bad bad bad", np.random.default_rng(s), p=1.0, protected=frozenset({"bad"}),
                             respect_protected=False) for s in range(5)]  # fmt: skip
    assert any(o != "bad bad bad" for o in outs)


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_augmenters_deterministic_and_record_ops(cls):
    texts = [TEXT, "", "Works fine."]
    make = lambda: [Row.make(t, seed=5, review_id=f"r{i}", protected=PROT) for i, t in enumerate(texts)]  # noqa: E731
    r1, r2 = make(), make()
    a, b = cls(p=0.5)(texts, r1), cls(p=0.5)(texts, r2)
    assert a == b and a[1] == ""
    assert [r.ops for r in r1] == [r.ops for r in r2]
    if a[0] != TEXT:
        assert r1[0].ops == [cls(p=0.5).name]
    with pytest.raises(ValueError):
        cls(p=1.5)


def test_aeda_class_accepts_list_marks():
    aug = noise.Aeda(ratio=0.5, marks=["!"])
    out = aug([TEXT], [Row.make(TEXT, review_id="x")])
    assert "!" in out[0] and aug.marks == ("!",)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80), st.integers(0, 2**32 - 1))
def test_fuzzed_input_does_not_crash(text, seed):
    for op in [*CHAR_OPS, noise.case_noise, noise.word_duplicate, noise.synonym_insert]:
        assert isinstance(op(text, np.random.default_rng(seed), p=0.5), str)
    assert isinstance(noise.aeda(text, np.random.default_rng(seed)), str)


def test_synonym_insert_never_splits_protected_pairs():
    text = "I bought this acoustic guitar for my daughter and she plays it daily"
    prot = frozenset({"acoustic", "guitar"})
    for seed in range(30):
        assert "acoustic guitar" in noise.synonym_insert(
            text, np.random.default_rng(seed), p=0.5, protected=prot
        )


@pytest.mark.parametrize("op", CHAR_OPS)
def test_char_noise_never_writes_a_sentiment_word(op):
    from reviewaug.features.sentiment import analyzer

    lex = analyzer().lexicon
    text = "it cod bud lave hat dad it cod bud lave hat dad it it"  # one typo away from "jt", "god", "bad", "love"
    assert not [w for w in text.split() if w in lex]
    for seed in range(30):
        out = op(text, np.random.default_rng(seed), p=1.0)
        assert not [w for w in words(out) if w.lower() in lex and w.lower() not in text.split()]
    # with protection off the same noise may land on one
    hits = sum(
        any(
            w.lower() in lex
            for w in words(op(text, np.random.default_rng(s), p=1.0, respect_protected=False))
        )
        for s in range(30)
    )
    assert hits > 0 or op is not noise.keyboard_typo


def test_char_noise_class_deterministic_records_and_validates():
    texts = [TEXT, "", "Works fine."]
    make = lambda: [Row.make(t, seed=5, review_id=f"r{i}", protected=PROT) for i, t in enumerate(texts)]  # noqa: E731
    aug = noise.CharNoise(keyboard=0.3, swap=0.2, case=0.1)
    r1, r2 = make(), make()
    a, b = aug(texts, r1), aug(texts, r2)
    assert a == b and a[1] == "" and a[0] != TEXT
    assert r1[0].ops == ["char_noise"]
    with pytest.raises(ValueError):
        noise.CharNoise(keyboard=0.7, swap=0.5)  # rates sum past 1
    with pytest.raises(ValueError):
        noise.CharNoise(ocr=-0.1)
    assert noise.CharNoise()(texts, make()) == texts  # all rates 0: identity


def test_char_noise_edits_about_the_requested_share_of_words():
    text = " ".join(["tuner strap cable pedal amp"] * 20)  # 100 eligible words
    changed = []
    for seed in range(20):
        out = noise.char_noise(text, np.random.default_rng(seed), keyboard=0.15, delete=0.15)
        changed.append(sum(a != b for a, b in zip(text.split(), out.split())) / 100)
    assert 0.22 < float(np.mean(changed)) < 0.38  # 0.30 asked (a typo can rarely give the same word back)


def test_char_noise_leaves_the_words_vader_reads_alone():
    from reviewaug.augment.polarity import NEUTRAL, _classify

    # "so" and "this" are read by VADER next to "good"; "bit" is one typo from "but", "nit" from "not"
    text = "so this good bit nit tuner and so this great bit strap"
    for seed in range(40):
        out = noise.char_noise(text, np.random.default_rng(seed), keyboard=0.5, delete=0.2, swap=0.3)
        assert [w for w in out.split() if _classify(w)[0] != NEUTRAL] == [
            w for w in text.split() if _classify(w)[0] != NEUTRAL
        ], out


@pytest.mark.corpus
def test_typos_on_real_reviews_never_need_vader(corpus_path):
    """Typos touch no word VADER reads and write none, so the polarity guard proves every edited row without
    running VADER (the reason the guarded typos are fast)."""
    from reviewaug.augment.polarity import vader_unchanged
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(7, 10_000, 20))["text"] if t]
    for seed in range(2):
        out = [noise.keyboard_typo(t, np.random.default_rng([seed, i]), p=0.2) for i, t in enumerate(texts)]
        assert sum(a != b for a, b in zip(texts, out)) > 0.9 * len(texts)
        assert all(vader_unchanged(a, b) for a, b in zip(texts, out))


def test_recording_a_proof_never_changes_the_output():
    """The ops decide on the text before any edit, so passing a ``proofs`` dict (as the augmenter classes do)
    gives the same text as the plain function."""
    from reviewaug.augment.word import random_delete, random_swap

    text = "in the case the bomb of a tuner is kind of the best, cut the mustard and sort of fine"
    # a typo that writes a phrase ("sorr" -> "sort" before "of") must not change what the next word may do
    sorr = " ".join(["sorr of"] * 12)
    for seed in range(30):
        plain = noise.keyboard_typo(sorr, np.random.default_rng(seed), p=0.9)
        assert noise.keyboard_typo(sorr, np.random.default_rng(seed), p=0.9, proofs={}) == plain
        for op, kw in (
            (noise.char_noise, {"keyboard": 0.4, "swap": 0.3}),
            (noise.aeda, {"ratio": 0.5}),
            (random_swap, {"p": 0.3}),
            (random_delete, {"p": 0.4}),
        ):
            plain = op(text, np.random.default_rng(seed), **kw)
            assert op(text, np.random.default_rng(seed), proofs={}, **kw) == plain


def test_typo_keys_are_the_ascii_letters():
    """``_typo`` skips its scan for a word of ASCII letters: that holds only while every ASCII letter, and
    nothing else, has QWERTY neighbours."""
    import string

    from reviewaug.augment.noise import _TYPO_KEYS

    assert _TYPO_KEYS == frozenset(string.ascii_letters)


_PIECE_PARTS = ["the", "The", "bomb", "kind", "of", "cable", "Strings", "great", "not", "never", "very", "so",
                "but", "café", "NICE", "tuner", "cut", "mustard", "x", "ok", "don't", "don’t", "no", "or", "just",
                "enough", "10mm", "_the", "it", "a", ",", ".", "!", "(", ")", "-", "'", "…", "\n", "😊"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_PIECE_PARTS), min_size=1, max_size=4).map("".join), min_size=1, max_size=8
    ),
    st.sets(st.sampled_from(["cable", "strings", "tuner", "the", "don't"])),
    st.integers(1, 3),
)
def test_editable_words_is_the_general_check(pieces, protected, min_len):
    """The noise pass's memoized reading of a piece gives the words the general check allows: word tokens of
    at least ``min_len`` characters, not protected and neutral where they stand (phrases read in place)."""
    from reviewaug.augment.constraints import _piece_words, is_protected
    from reviewaug.augment.noise import _editable_words
    from reviewaug.augment.polarity import neutral_at

    protected = frozenset(protected)
    for c, piece in enumerate(pieces):
        want = [
            t
            for t in split_tokens(piece)
            if len(t) >= min_len
            and (t[0].isalnum() or t[0] == "_")
            and not is_protected(t, protected)
            and neutral_at(pieces, c, t)
        ]
        neutral = partial(neutral_at, pieces, c)
        got = [w[2] for _, w in _editable_words(_piece_words(piece)[1], neutral, protected, min_len)]
        assert got == want, (pieces, c)


@pytest.mark.corpus
@pytest.mark.parametrize("kind", ["keyboard", "char_noise"])
def test_batched_noise_keeps_the_rules_and_proves_its_rows(corpus_path, kind):
    """The character ops work on the whole batch (``noise_words``): protected words survive, the same row gives
    the same copy in any batch, a row it proves has VADER's score unchanged, and typos (which touch no word VADER
    reads and write none) prove nearly every edited row."""
    from reviewaug.augment.constraints import protected_words
    from reviewaug.augment.core import Row, row_key
    from reviewaug.augment.polarity import vader_unchanged
    from reviewaug.features import features_for_texts, polarity_scores
    from reviewaug.io import load_reviews

    cum, kinds = (
        ([0.3], [(noise._typo, 2)])
        if kind == "keyboard"
        else noise._char_pass(0.1, 0.06, 0.06, 0.04, 0.02, 0.04)
    )
    texts = [t for t in load_reviews(str(corpus_path)).select(range(11, 10_000, 25))["text"] if t]
    feats = features_for_texts(texts)
    prot = [
        protected_words(t, {"keywords": k, "sentiment_words": s})
        for t, k, s in zip(texts, feats["keywords"], feats["sentiment_words"])
    ]
    keys = [Row(key=row_key(0, str(i), 1)).draw_key() for i in range(len(texts))]
    out, proved = noise.noise_words(texts, keys, prot, cum, kinds)
    for bs in (1, 37):
        parts = [
            noise.noise_words(texts[i : i + bs], keys[i : i + bs], prot[i : i + bs], cum, kinds)
            for i in range(0, len(texts), bs)
        ]
        assert [t for o, _ in parts for t in o] == out
        assert [q for _, q in parts for q in q] == proved
    changed = [i for i, (a, b) in enumerate(zip(texts, out)) if a != b]
    assert len(changed) > 0.8 * len(texts)
    for i in changed:
        if kind == "keyboard":
            assert len(out[i]) == len(texts[i]) and len(out[i].split(" ")) == len(texts[i].split(" "))
        words_before = {w.lower() for w in split_tokens(texts[i]) if is_word(w)}
        words_after = {w.lower() for w in split_tokens(out[i]) if is_word(w)}
        assert prot[i] & words_before <= words_after  # every protected word still there
    sure = [i for i in changed if proved[i]]
    assert len(sure) > (0.9 if kind == "keyboard" else 0.5) * len(changed)
    before = polarity_scores([texts[i] for i in sure])
    after = polarity_scores([out[i] for i in sure])
    assert np.array_equal(before, after)
    if kind == "keyboard":
        assert all(vader_unchanged(texts[i], out[i]) for i in changed)


@pytest.mark.parametrize("edit", ["_typo", "_swap", "_delete", "_insert"])
@given(
    words=st.lists(st.text(alphabet="abczqAZQmM", min_size=1, max_size=9), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_compiled_forms_of_the_edits_give_what_the_edits_give(edit, words, seed):
    """Each edit's compiled form (``kernels.edit_word`` with its number in ``noise._COMPILED_EDITS``) gives every
    word what the edit gives it with the same draws, and says whether it changed."""
    from reviewaug.augment import kernels

    fn = getattr(noise, edit)
    rng = np.random.default_rng(seed)
    u, v = rng.random(len(words)), rng.random(len(words))
    w = np.frombuffer("".join(words).encode("utf-32-le"), dtype="<u4")
    near, count = noise._qwerty_table()
    out = np.empty(20, dtype=np.uint32)
    a = 0
    for x, uu, vv in zip(words, u.tolist(), v.tolist()):
        m, changed = kernels.edit_word(noise._COMPILED_EDITS[fn], w, a, len(x), uu, vv, near, count, out, 3)
        want = fn(x, uu, vv)
        assert out[3 : 3 + m].tobytes().decode("utf-32-le") == want
        assert changed == (want != x)
        a += len(x)


def test_noise_kernel_constants_agree():
    """The edit numbers and piece columns noise.py writes are the ones kernels.py reads."""
    from reviewaug.augment import kernels

    assert noise._COMPILED_EDITS == {
        noise._typo: kernels.EDIT_TYPO,
        noise._swap: kernels.EDIT_SWAP,
        noise._delete: kernels.EDIT_DELETE,
        noise._insert: kernels.EDIT_INSERT,
    }
    assert kernels.N_CANDS == 0  # noise_words reads the column by its number
    tab = noise._Pieces()
    b = Batch.of(["(cable) of the, xyz,a"])
    ids = tab.lookup(b, np.arange(4))
    rows = tab.cols[ids]
    assert rows[:, kernels.N_CANDS].tolist() == [1, 1, 1, 2]
    assert rows[0, [kernels.N_SHAPE, kernels.N_A, kernels.N_LEN, kernels.N_PMASK]].tolist() == [1, 1, 5, 0]
    assert rows[2, kernels.N_SHAPE] == 1 and rows[2, kernels.N_PMASK] != 0  # "the," is a phrase word
    assert rows[3, kernels.N_SHAPE] == 0


@pytest.mark.parametrize("seed", range(4))
def test_noise_words_in_numpy_changes_nothing(monkeypatch, seed):
    """The edits noise_words makes in compiled code (chunks that are one word of letters) give the same texts and the
    same proofs as its word-by-word loop alone, on fuzzed texts full of phrase words, capitals, punctuation and
    words VADER reads."""
    rng = np.random.default_rng(seed)
    vocab = (
        "the a of at kind least so but no very Great GOOD ok OK Ok aa zzz AAb it. is, bit god naïve don't "
    )
    vocab += (
        "(cable) cable, Cable! UPPER MiXeD ab ba abc. ABC, form from fro lvoe love hate fine 5 10x e-mail"
    )
    vocab = vocab.split() + ["of\tthe", "kind\nof", "\t", "bomb", "sort", "(the", "mustard.", "cut"]
    texts = [
        " ".join(rng.choice(vocab, size=int(rng.integers(0, 25))).tolist()).replace(
            "a ", "a  ", int(rng.integers(2))
        )
        for _ in range(300)
    ]
    keys = [bytes([seed, i % 256, i // 256]) for i in range(len(texts))]
    prot = [
        frozenset(rng.choice(["the", "cable", "ok", "fine"], size=int(rng.integers(3))).tolist())
        for _ in texts
    ]
    passes = [((0.6,), ((noise._typo, 2),)), noise._char_pass(0.15, 0.15, 0.15, 0.15, 0.1, 0.1)]
    got = [noise.noise_words(texts, keys, prot, cum, kinds) for cum, kinds in passes]
    monkeypatch.setattr(noise, "_COMPILED_EDITS", {})
    want = [noise.noise_words(texts, keys, prot, cum, kinds) for cum, kinds in passes]
    assert got == want
    assert sum(a != b for a, b in zip(texts, got[0][0])) > 200


@pytest.mark.corpus
def test_compiled_noise_edits_change_nothing_on_the_corpus(corpus_path, monkeypatch):
    """On 800 real reviews the compiled short path gives the texts and proofs of the word-by-word loop alone, at
    any batch size, and settles most of the edits itself."""
    from reviewaug.augment import kernels
    from reviewaug.io import load_reviews

    texts = load_reviews(str(corpus_path)).select(range(7000, 7800))["text"]
    rng = np.random.default_rng(3)
    prot = [frozenset(w.lower() for w in t.split() if rng.random() < 0.2) for t in texts]
    keys = [bytes([i % 256, i // 256, 9]) for i in range(len(texts))]
    passes = [((0.1,), ((noise._typo, 2),)), noise._char_pass(0.05, 0.05, 0.05, 0.05, 0.05, 0.05)]
    made = []
    edits = kernels.noise_edits

    def counted(*args):
        made.append(edits(*args))
        return made[-1]

    monkeypatch.setattr(kernels, "noise_edits", counted)
    got = [noise.noise_words(texts, keys, prot, cum, kinds) for cum, kinds in passes]
    small = [
        [
            noise.noise_words(texts[i : i + 37], keys[i : i + 37], prot[i : i + 37], cum, kinds)
            for i in range(0, 800, 37)
        ]
        for cum, kinds in passes
    ]
    monkeypatch.setattr(noise, "_COMPILED_EDITS", {})
    want = [noise.noise_words(texts, keys, prot, cum, kinds) for cum, kinds in passes]
    assert got == want
    for parts, (outs, proved) in zip(small, want):
        assert sum((p[0] for p in parts), []) == outs and sum((p[1] for p in parts), []) == proved
    changed = sum(a != b for a, b in zip(texts, got[0][0]))
    assert changed > 600 and made[0] > changed  # the first pass: most rows' edits made in compiled code
