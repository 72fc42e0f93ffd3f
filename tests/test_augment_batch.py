"""The batch layout and piece table under the batched word ops: pieces, lookups and rebuilds agree with plain
string operations on fuzzed text."""

from __future__ import annotations

import numpy as np
import pytest

from reviewaug.augment.batch import Batch, PieceTable

ALPHABET = list("ab cD,.!’'é\t\n  ") + ["\u00a0", "\u3000", "\U0001f600", "\ud800", "x" * 60]


def fuzz_texts(seed: int, n: int = 40) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(ALPHABET, size=int(rng.integers(0, 30)))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_batch_pieces_are_the_split_of_the_joined_texts(seed: int) -> None:
    texts = fuzz_texts(seed)
    b = Batch.of(texts)
    assert b.pieces(np.arange(len(b.p_start))) == " ".join(texts).split(" ")
    assert b.n_pieces.tolist() == [len(t.split(" ")) for t in texts]
    assert b.n_words.tolist() == [len(t.split()) for t in texts]
    assert b.ascii.tolist() == [t.isascii() for t in texts]


@pytest.mark.parametrize("seed", range(5))
def test_piece_table_gives_each_piece_its_own_value_and_makes_it_once(seed: int) -> None:
    made: list[str] = []

    def make(piece: str) -> int:
        made.append(piece)
        return len(piece) * 1000 + sum(map(ord, piece)) % 997

    table = PieceTable(make)
    for k in range(4):  # later batches find the pieces of earlier ones
        b = Batch.of(fuzz_texts(seed * 10 + k % 2))
        idx = np.arange(len(b.p_start))
        got = table.lookup(b, idx).tolist()
        assert got == [len(p) * 1000 + sum(map(ord, p)) % 997 for p in b.pieces(idx)]
    assert len(made) == len(set(made))  # each distinct piece made once
    assert len(table) == len(set(made))


def test_piece_table_checks_the_code_points_of_a_hit() -> None:
    table = PieceTable(len)
    b = Batch.of(["abc abcd"])
    assert table.lookup(b, np.array([0, 1])).tolist() == [3, 4]
    table._codes[table._off[: table._n]] += 1  # every stored piece now differs from its hash's piece
    assert table.lookup(b, np.array([1, 0])).tolist() == [4, 3]  # found by string instead, same values


def test_piece_table_trim_clears_past_its_limit() -> None:
    cleared = []
    table = PieceTable(len, limit=3, on_clear=lambda: cleared.append(1))
    b = Batch.of(["a bb ccc dddd " + "e" * 70])
    assert table.lookup(b, np.arange(5)).tolist() == [1, 2, 3, 4, 70]
    n_clears = len(cleared)
    table.trim()
    assert len(table) == 0 and len(cleared) == n_clears + 1


@pytest.mark.parametrize("seed", range(5))
def test_moved_spans_match_string_surgery(seed: int) -> None:
    rng = np.random.default_rng(seed)
    texts = [
        " ".join(f"w{j}" * int(rng.integers(1, 4)) for j in range(int(rng.integers(2, 9)))) for _ in range(30)
    ]
    b = Batch.of(texts)
    starts, ends, src_s, src_e, want = [], [], [], [], []
    for r, t in enumerate(texts):  # swap two words of each text
        words = t.split(" ")
        i, j = sorted(rng.choice(len(words), size=2, replace=False).tolist())
        off = np.cumsum([0] + [len(w) + 1 for w in words])
        base = int(b.c_off[r])
        a_i, a_j = base + off[i], base + off[j]
        starts += [a_i, a_j]
        ends += [a_i + len(words[i]), a_j + len(words[j])]
        src_s += [a_j, a_i]
        src_e += [a_j + len(words[j]), a_i + len(words[i])]
        words[i], words[j] = words[j], words[i]
        want.append(" ".join(words))
    arr = [np.array(x, dtype=np.int64) for x in (starts, ends, src_s, src_e)]
    assert b.moved(*arr, np.arange(len(texts))) == want


@pytest.mark.parametrize("seed", range(5))
def test_spliced_spans_match_string_surgery(seed: int) -> None:
    rng = np.random.default_rng(seed)
    texts = fuzz_texts(seed)
    b = Batch.of(texts)
    big = b.big
    starts = np.unique(rng.integers(0, max(1, len(big)), size=12))
    starts = starts[np.isin(np.searchsorted(b.c_off, starts, side="right") - 1, np.arange(len(texts)))]
    # spans inside their text, not overlapping
    ends = np.minimum(starts + rng.integers(0, 3, size=len(starts)), np.append(starts[1:], len(big)))
    row_end = (b.c_off + b.lens)[np.searchsorted(b.c_off, starts, side="right") - 1]
    ends = np.minimum(ends, row_end)
    new = ["".join(rng.choice(ALPHABET[:10], size=int(rng.integers(0, 4)))) for _ in starts]
    src = np.frombuffer("".join(new).encode("utf-32-le"), dtype="<u4")
    lens = np.array([len(x) for x in new], dtype=np.int64)
    rows = np.arange(len(texts))
    got = b.spliced(starts, ends, src, np.cumsum(lens) - lens, lens, rows)
    assert got == b.rebuild(starts, ends, new, rows)
