"""Word swap on a whole batch: batch-size invariance, what moves and what stays, proofs, odd input."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment.core import Row, row_key
from reviewaug.augment.tokens import _WORDS
from reviewaug.augment.word import RandomSwap, random_swap, swap_words
from reviewaug.features import polarity_scores

TEXTS = [
    "The tuner is not bad but the modern strings broke after 2 weeks and I would buy another brand.",
    "Cheap cable, solid plug (metal) and a long cord; the jack fits my amp.",
    "",
    "ok",
    "two words",
    "Line one of the review\nline two\tafter a tab  and   runs of spaces ",
    "Great   pedal!!  Works with my Fender amp, my Boss tuner and the old Yamaha keyboard.",
]


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _rows(texts: list[str], seed: int = 0) -> list[Row]:
    return [
        Row(key=row_key(seed, f"r{i}", 1), protected=frozenset({"tuner", "cable"})) for i in range(len(texts))
    ]


def test_same_output_at_any_batch_size():
    """A row's draws come from its own key: one batch, batches of 2 or rows one by one give the same texts."""
    texts = TEXTS * 6
    aug = RandomSwap(p=0.3)
    whole = aug(texts, _rows(texts))
    for size in (1, 2, 5):
        rows = _rows(texts)
        parts = [aug(texts[b : b + size], rows[b : b + size]) for b in range(0, len(texts), size)]
        assert [t for part in parts for t in part] == whole
    assert aug(texts, _rows(texts, seed=1)) != whole  # and the seed matters


def test_words_move_whitespace_and_protected_words_stay():
    texts = TEXTS * 6
    rows = _rows(texts)
    out = RandomSwap(p=0.3)(texts, rows)
    assert len(out) == len(texts)
    changed = 0
    for before, after, row in zip(texts, out, rows):
        assert re.split(r"\S+", before) == re.split(r"\S+", after)  # the same whitespace, in the same places
        assert Counter(_words(before)) == Counter(_words(after))  # the same words
        wb, wa = _words(before), _words(after)
        for i, w in enumerate(wb):
            if w.lower() in row.protected or w.lower() in {"not", "bad", "great", "2"}:
                assert wa[i] == w  # protected, sentiment and negation words and numbers keep their place
        changed += before != after
        assert (before != after) == (row.ops == ["word_swap"])
    assert changed >= 20


def test_a_protected_word_new_to_the_process_stays_while_its_pieces_are_read():
    """The swap table starts empty and reads the batch's pieces as they are drawn; a row's protected words that
    no earlier batch held must already count as protected in the first round of draws."""
    from reviewaug.augment import word

    word._clear_swap_table()  # as in a fresh process: no piece seen, no word id given
    novel = ["zqxvelt", "brombly", "quandrix"]
    texts = [f"the {w} sat on a low shelf near my old amp and a red case by the door" for w in novel] * 20
    keys = [Row(key=row_key(0, f"r{i}", 1)).draw_key() for i in range(len(texts))]
    protected = [frozenset({w}) for w in novel] * 20
    out, _ = swap_words(texts, keys, protected, 0.3)  # 0.3: drawn pieces, not the few-free-words list
    assert sum(a != b for a, b in zip(out, texts)) == len(texts)  # every row swapped
    for after, w in zip(out, novel * 20):
        assert after.split()[1] == w  # the protected word kept its place
    word._clear_swap_table()
    out_free, _ = swap_words(texts, keys, [frozenset()] * len(texts), 0.3)
    # unprotected, the same words do move from there (else the check above would be vacuous)
    assert any(after.split()[1] != before.split()[1] for before, after in zip(texts, out_free))


def test_recorded_proofs_hold_and_the_swap_draws_from_the_row_key():
    texts = TEXTS * 6
    rows = _rows(texts)
    out = RandomSwap(p=0.3)(texts, rows)
    proved = [i for i, (r, o) in enumerate(zip(rows, out)) if r.vader_proofs.get(o) == texts[i]]
    assert len(proved) >= 15  # rows with too few free words for p = 0.3 go through the list (no proof)
    before = polarity_scores([texts[i] for i in proved])
    after = polarity_scores([out[i] for i in proved])
    assert np.array_equal(before, after)
    # the row's generator is left alone (the next op draws as it would have)
    row = _rows(texts[:1])[0]
    RandomSwap(p=0.3)(texts[:1], [row])
    assert row.rng.integers(1 << 30) == _rows(texts[:1])[0].rng.integers(1 << 30)


def test_function_and_batch_agree_on_the_rules():
    """``random_swap`` runs the batch code on one text: same words, same whitespace, protected words kept."""
    for seed in range(20):
        text = TEXTS[0]
        out = random_swap(text, np.random.default_rng(seed), p=0.3, protected=frozenset({"tuner"}))
        assert Counter(_words(out)) == Counter(_words(text))
        assert _words(out)[1] == "tuner"
        assert random_swap(text, np.random.default_rng(seed), p=0.3) == random_swap(
            text, np.random.default_rng(seed), p=0.3
        )


_PARTS = ["cable", "Strings", "great", "not", "the", "bomb", "kind", "of", "ok", "IT", "café", "don’t", "x",
          ",", ".", "!", "(", ")", "\n", "\t", "😊", "\ud800", "\u00a0", "\u2028", "  ", "10mm", "guitar’s"]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=3).map("".join), max_size=12).map(
            " ".join
        ),
        min_size=1,
        max_size=6,
    ),
    st.floats(0.01, 1.0),
    st.integers(0, 2**32),
)
def test_fuzzed_batches_keep_counts_words_and_whitespace(texts, p, seed):
    keys = [row_key(seed, str(i), 1) for i in range(len(texts))]
    prot = [frozenset({"cable"})] * len(texts)
    out, proved = swap_words(texts, keys, prot, p)
    assert len(out) == len(proved) == len(texts)
    for i, (before, after) in enumerate(zip(texts, out)):
        assert re.split(r"\S+", before) == re.split(r"\S+", after)
        assert Counter(_words(before)) == Counter(_words(after))
        assert [w for w in _words(before) if w == "cable"] == [w for w in _words(after) if w == "cable"]
        assert swap_words([before], [keys[i]], [prot[i]], p)[0] == [after]  # alone as in the batch
        if proved[i]:
            assert after != before
            assert np.array_equal(polarity_scores([before]), polarity_scores([after]))


def _swap_by_the_rule(text: str, key: bytes, protected: frozenset[str], p: float) -> tuple[str, bool]:
    """``swap_words``'s documented rule read row by row in plain Python (the reference the compiled walk is
    checked against): split at single spaces, draw pieces from the row's SHAKE-128 stream (32 bits each), keep
    free unprotected pieces not kept before, pair them, trade the words of the pairs that fit."""
    import hashlib

    from reviewaug.augment.constraints import _read_piece
    from reviewaug.augment.core import _generator
    from reviewaug.augment.word import _swap_listed

    pieces = text.split(" ")
    n_words = len(text.split())
    if n_words < 2:
        return text, False
    need = 2 * max(1, round(p * n_words))
    cap = 4 * (3 * need // 2 + 6)
    stream = np.frombuffer(hashlib.shake_128(key).digest(4 * cap), dtype="<u4") * (1.0 / (1 << 32))
    kept: list[tuple[int, tuple]] = []
    for u in stream.tolist():
        c = int(u * len(pieces))
        words, free, _ = _read_piece(pieces[c])
        if not (len(words) == 1 and len(free) == 1 and not free[0][5] and free[0][6]):
            continue  # one free word that is not a phrase word, bare or plain in ASCII punctuation
        a, b, word, low, norm, _, shape, plain = free[0]
        if low in protected or norm in protected or c in dict(kept):
            continue
        kept.append((c, (a, b, word, shape == 2, plain)))
        if len(kept) == need:
            break
    if len(kept) < need:
        return _swap_listed(text, _generator(key + b"/listed"), p, protected, True), False
    new = list(pieces)
    for (cx, x), (cy, y) in zip(kept[0::2], kept[1::2]):
        if (x[3] or y[4]) and (y[3] or x[4]):  # a bare place takes any word, punctuation a plain one
            new[cx] = pieces[cx][: x[0]] + y[2] + pieces[cx][x[1] :]
            new[cy] = pieces[cy][: y[0]] + x[2] + pieces[cy][y[1] :]
    out = " ".join(new)
    return out, out != text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=3).map("".join), max_size=16).map(
            " ".join
        ),
        min_size=1,
        max_size=8,
    ),
    st.floats(0.01, 1.0),
    st.integers(0, 2**32),
    st.sampled_from([frozenset(), frozenset({"cable"}), frozenset({"strings", "don't", "ok"})]),
)
def test_the_compiled_walk_is_the_rule_read_row_by_row(texts, p, seed, prot):
    keys = [row_key(seed, str(i), 1) for i in range(len(texts))]
    out, proved = swap_words(texts, keys, [prot] * len(texts), p)
    assert list(zip(out, proved)) == [_swap_by_the_rule(t, k, prot, p) for t, k in zip(texts, keys)]


@pytest.mark.corpus
def test_real_reviews_swap_as_the_rule_says(corpus_path):
    """300 real reviews with their own protected words, at two rates: the batch op gives what the rule gives."""
    from reviewaug.augment.constraints import protected_words
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(3, 9_000, 30))["text"] if t]
    prot = [protected_words(t, {"keywords": []}) for t in texts]
    keys = [row_key(4, str(i), 1) for i in range(len(texts))]
    for p in (0.05, 0.4):
        out, proved = swap_words(texts, keys, prot, p)
        assert list(zip(out, proved)) == [_swap_by_the_rule(t, k, q, p) for t, k, q in zip(texts, keys, prot)]


@pytest.mark.corpus
def test_real_reviews_swap_at_the_rate_and_prove_nearly_all(corpus_path):
    from reviewaug.augment.constraints import edit_rate, protected_words
    from reviewaug.io import load_reviews

    texts = [t for t in load_reviews(str(corpus_path)).select(range(7, 10_000, 20))["text"] if t]
    rows = [
        Row(key=row_key(0, str(i), 1), protected=frozenset(protected_words(t, {"keywords": []})))
        for i, t in enumerate(texts)
    ]
    out = RandomSwap(p=0.05)(texts, rows)
    changed = [i for i, (a, b) in enumerate(zip(texts, out)) if a != b]
    assert len(changed) >= 0.9 * len(texts)
    proved = [i for i in changed if rows[i].vader_proofs.get(out[i]) == texts[i]]
    assert len(proved) >= 0.95 * len(changed)
    assert np.array_equal(
        polarity_scores([texts[i] for i in proved]), polarity_scores([out[i] for i in proved])
    )
    rate = np.mean([edit_rate(texts[i], out[i]) for i in changed])
    assert 0.04 < rate < 0.2  # 0.05 swaps per word, each moving two words: about 0.09


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(w in it for w in small)


def test_delete_same_output_at_any_batch_size_and_keeps_protected_words():
    from reviewaug.augment.word import RandomDelete

    texts = TEXTS * 6
    aug = RandomDelete(p=0.4)
    rows = _rows(texts)
    whole = aug(texts, rows)
    for size in (1, 3):
        again = _rows(texts)
        parts = [aug(texts[b : b + size], again[b : b + size]) for b in range(0, len(texts), size)]
        assert [t for part in parts for t in part] == whole
    changed = 0
    for before, after, row in zip(texts, whole, rows):
        wb, wa = _words(before), _words(after)
        assert _is_subsequence(wa, wb)  # words only go, in order
        assert [w for w in wb if w.lower() in row.protected] == [w for w in wa if w.lower() in row.protected]
        assert not before or wa  # never every word
        assert after == before or not after.startswith(" ") or before.startswith(" ")  # no new leading space
        assert "  " not in after or "  " in before  # no new run of spaces
        changed += after != before
    assert changed >= 10


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=3).map("".join), max_size=12).map(
            " ".join
        ),
        min_size=1,
        max_size=6,
    ),
    st.floats(0.01, 1.0),
    st.integers(0, 2**32),
)
def test_fuzzed_deletions_keep_order_counts_and_proofs(texts, p, seed):
    from reviewaug.augment.word import delete_words

    keys = [row_key(seed, str(i), 1) for i in range(len(texts))]
    prot = [frozenset({"cable"})] * len(texts)
    out, proved = delete_words(texts, keys, prot, p)
    assert len(out) == len(proved) == len(texts)
    assert delete_words(["strap !", "x 😊"], keys[:1] * 2, prot[:1] * 2, 1.0)[0] == ["strap !", "x 😊"]
    for i, (before, after) in enumerate(zip(texts, out)):
        wb, wa = _words(before), _words(after)
        assert _is_subsequence(wa, wb)
        assert wb.count("cable") == wa.count("cable")
        assert bool(wa) == bool(wb)
        assert delete_words([before], [keys[i]], [prot[i]], p)[0] == [after]  # alone as in the batch
        if proved[i]:
            assert after != before
            assert np.array_equal(polarity_scores([before]), polarity_scores([after]))


def test_the_tables_short_read_of_ascii_words_agrees_with_the_general_reading():
    """_swap_id and _del_flags read a piece of ASCII letters in a few set lookups (_ascii_word), not through
    constraints._piece_words; for VADER's lexicon words, its modifiers, phrase words, negations, capitals and
    plain words they must decide as the general reading does, and record the same word."""
    from reviewaug.augment import word
    from reviewaug.augment.constraints import _piece_words
    from reviewaug.augment.polarity import _tables
    from reviewaug.features.sentiment import NEGATIONS

    anchors, mods, phrases = _tables()
    words = sorted(
        w for w in set(anchors) | set(mods) | set(phrases) | set(NEGATIONS) if w.isascii() and w.isalpha()
    )
    words += ["cable", "Strap", "AMP", "it", "a", "the", "The", "NOT", "Good", "kind", "Of", "tuner"]
    inv = {}
    for w in words + [w.upper() for w in words[:300]]:
        got = word._swap_id(w)
        pw, cands, _ = _piece_words(w)
        free = len(pw) == 1 and len(cands) == 1 and not cands[0][5] and cands[0][6]
        assert (got >= 0) == bool(free), w
        if got >= 0:
            inv = {v: k for k, v in word._LOW_ID.items()} if len(inv) != len(word._LOW_ID) else inv
            a, b, bare, plain, low_id, norm_id = word._SWAP_COLS[:, got].tolist()
            assert (a, b, bare, plain, norm_id) == (0, len(w), 1, int(len(w) > 2), -1), w
            assert inv[low_id] == cands[0][3] == w.lower()
        # and the deletion's flags: anchor 1, deletable bare word 2, ’ 4, a word 8, capitals 16
        _, _, anchor = _piece_words(w)
        deletable = free and cands[0][6] == 2
        assert word._del_flags(w) == int(anchor) | (2 * deletable) | 8 | (16 * w.isupper()), w
