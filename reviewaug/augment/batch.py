"""A batch of texts worked on as one array of code points: its pieces between spaces, their lookup, the rebuild.

The batched word ops (:mod:`reviewaug.augment.word`, the noise pass, the lexicon synonym swap) join a batch with
single spaces, cut it at its spaces in numpy (:class:`Batch`) and look up only the pieces they need: word
deletion in a :class:`PieceTable` (a value made once per distinct piece by a Python function, found again by a
hash of the piece's code points computed for all drawn pieces at once and checked code point by code point, so
no string is built for a piece seen before), the others by an exact packed key in compiled code
(:class:`PackedKeys`).

Example:
    >>> b = Batch.of(["the red cable", "ok"])
    >>> b.n_pieces.tolist(), b.piece(2)
    ([3, 1], 'cable')
    >>> table = PieceTable(len)
    >>> table.lookup(b, np.array([0, 2, 3])).tolist()
    [3, 5, 2]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reviewaug.augment.core import Row, _check_lengths

__all__ = ["Batch", "PackedKeys", "PieceTable", "run_batched", "span_hashes"]

# whitespace other than " " (str.split splits on it): a text holding any counts its words with split()
_OTHER_SPACE = np.zeros(0x3001, dtype=bool)
_OTHER_SPACE[[c for c in range(0x3001) if chr(c).isspace() and c != 32]] = True


@dataclass
class Batch:
    """A batch of texts joined by single spaces into ``big``, cut at its spaces into pieces (the pieces of each
    text, in order; ``" ".join(texts).split(" ")`` without building them): where each piece starts and ends in
    ``big``, its row, each text's offset, length, piece count, first piece and number of words (its non-empty
    pieces, or ``len(text.split())`` for a text holding other whitespace, listed in ``odd``), and which rows
    are pure ASCII.

    Example:
        >>> b = Batch.of(["a  b", "c\\td"])
        >>> b.n_pieces.tolist(), b.n_words.tolist(), b.odd.tolist()
        ([3, 1], [2, 2], [1])
    """

    big: str
    codes: np.ndarray
    p_start: np.ndarray
    p_end: np.ndarray
    lens: np.ndarray
    c_off: np.ndarray
    n_pieces: np.ndarray
    p_off: np.ndarray
    piece_row: np.ndarray
    n_words: np.ndarray
    odd: np.ndarray
    ascii: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> Batch:
        """Cut ``texts`` (a non-empty batch) into pieces."""
        n_rows = len(texts)
        big = " ".join(texts)
        codes = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        spaces = np.flatnonzero(codes == 32)
        p_start = np.concatenate(([0], spaces + 1))
        p_end = np.concatenate((spaces, [len(big)]))
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=n_rows)
        c_off = np.concatenate(([0], np.cumsum(lens + 1)[:-1]))  # where each text starts in big
        n_pieces = np.searchsorted(spaces, c_off + lens) - np.searchsorted(spaces, c_off) + 1
        p_off = np.concatenate(([0], np.cumsum(n_pieces)[:-1]))
        piece_row = np.repeat(np.arange(n_rows), n_pieces)
        n_words = n_pieces - np.bincount(piece_row[p_start == p_end], minlength=n_rows)
        wide = np.flatnonzero((codes < 32) | (codes >= 0x80))
        row_of = np.searchsorted(c_off, wide, side="right") - 1
        ascii = np.ones(n_rows, dtype=bool)
        wide_codes = codes[wide]
        ascii[row_of[wide_codes >= 0x80]] = False
        odd = np.unique(row_of[_OTHER_SPACE[np.minimum(wide_codes, 0x3000)]])
        for r in odd.tolist():
            n_words[r] = len(texts[r].split())
        return cls(big, codes, p_start, p_end, lens, c_off, n_pieces, p_off, piece_row, n_words, odd, ascii)

    def piece(self, i: int) -> str:
        """Piece ``i`` as a string."""
        return self.big[int(self.p_start[i]) : int(self.p_end[i])]

    def pieces(self, idx: np.ndarray) -> list[str]:
        """The pieces ``idx`` as strings."""
        return list(
            map(self.big.__getitem__, map(slice, self.p_start[idx].tolist(), self.p_end[idx].tolist()))
        )

    def rebuild(self, starts: np.ndarray, ends: np.ndarray, new: list[str], rows: np.ndarray) -> list[str]:
        """The texts of ``rows`` (sorted, distinct) after the spans ``[starts, ends)`` of ``big`` (sorted, not
        overlapping, each inside the text of its row) are replaced by ``new``: one join for the whole batch."""
        gaps = map(
            self.big.__getitem__,
            map(
                slice,
                np.concatenate(([0], ends)).tolist(),
                np.concatenate((starts, [len(self.big)])).tolist(),
            ),
        )
        parts: list[str] = [""] * (2 * len(new) + 1)
        parts[0::2] = gaps
        parts[1::2] = new
        new_big = "".join(parts)
        delta = np.fromiter(map(len, new), dtype=np.int64, count=len(new)) - (ends - starts)
        return self._rows_of(new_big, starts, delta, rows)

    def moved(
        self,
        starts: np.ndarray,
        ends: np.ndarray,
        src_starts: np.ndarray,
        src_ends: np.ndarray,
        rows: np.ndarray,
    ) -> list[str]:
        """:meth:`rebuild` where each span ``[starts, ends)`` is replaced by the span ``[src_starts, src_ends)`` of
        ``big`` (a word moved from elsewhere in its text): the new code points gathered in numpy, decoded once."""
        return self._gathered(self.codes, starts, ends, src_starts, src_ends - src_starts, rows)

    def spliced(
        self,
        starts: np.ndarray,
        ends: np.ndarray,
        src: np.ndarray,
        src_starts: np.ndarray,
        src_lens: np.ndarray,
        rows: np.ndarray,
    ) -> list[str]:
        """:meth:`rebuild` where each span ``[starts, ends)`` is replaced by ``src_lens`` code points of ``src``
        from ``src_starts`` (new words as code points): gathered in numpy, decoded once.

        Example:
            >>> b = Batch.of(["the red cable"])
            >>> new = np.frombuffer("blue".encode("utf-32-le"), dtype="<u4")
            >>> b.spliced(np.array([4]), np.array([7]), new, np.array([0]), np.array([4]), np.array([0]))
            ['the blue cable']
        """
        codes = np.concatenate((self.codes, src))
        return self._gathered(codes, starts, ends, src_starts + len(self.codes), src_lens, rows)

    def _gathered(
        self,
        codes: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        src_starts: np.ndarray,
        src_lens: np.ndarray,
        rows: np.ndarray,
    ) -> list[str]:
        n = len(starts)
        seg_src = np.empty(2 * n + 1, dtype=np.int64)
        seg_len = np.empty(2 * n + 1, dtype=np.int64)
        seg_src[0::2] = np.concatenate(([0], ends))
        seg_len[0::2] = np.concatenate((starts, [len(self.big)])) - seg_src[0::2]
        seg_src[1::2] = src_starts
        seg_len[1::2] = src_lens
        out_start = np.cumsum(seg_len) - seg_len
        total = int(seg_len.sum())
        idx = np.repeat(seg_src - out_start, seg_len) + np.arange(total)
        new_big = codes[idx].tobytes().decode("utf-32-le", "surrogatepass")
        return self._rows_of(new_big, starts, src_lens - (ends - starts), rows)

    def _rows_of(self, new_big: str, starts: np.ndarray, delta: np.ndarray, rows: np.ndarray) -> list[str]:
        span_row = np.searchsorted(self.c_off, starts, side="right") - 1
        shift = np.bincount(span_row, weights=delta, minlength=len(self.lens)).astype(np.int64)
        new_off = self.c_off + np.concatenate(([0], np.cumsum(shift)[:-1]))
        a, b = new_off[rows], new_off[rows] + self.lens[rows] + shift[rows]
        return list(map(new_big.__getitem__, map(slice, a.tolist(), b.tolist())))


_MAX_HASHED = 48  # longer pieces (rare: links, runs of punctuation) are looked up by their string
_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_POW = np.ones(1, dtype=np.uint64)  # _BASE**i and _BASE**-i modulo 2**64, grown on demand
_INV = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``_BASE**i`` and ``_BASE**-i`` modulo 2**64 for i < n at least (numpy's uint64 arithmetic wraps)."""
    global _POW, _INV
    if len(_POW) < n:
        size = max(n, 2 * len(_POW), 1 << 16)
        for name, base in (("_POW", _BASE), ("_INV", pow(_BASE, -1, 1 << 64))):
            a = np.full(size, base, dtype=np.uint64)
            a[0] = 1
            globals()[name] = np.cumprod(a, dtype=np.uint64)
    return _POW, _INV


def span_hashes(c: np.ndarray, lens: np.ndarray, ends: np.ndarray | None = None) -> np.ndarray:
    """The 64-bit hashes :class:`PieceTable` gives the spans of code points laid end to end in ``c``,
    ``lens[i]`` of them each (``ends``: their cumulative sum, when known): the sum of ``c[k] · B**k`` over a
    span's code points (B odd, arithmetic modulo 2**64), from one running sum over ``c``, with the length in
    the top bits.

    Example:
        >>> c = np.frombuffer("abab".encode("utf-32-le"), dtype="<u4")
        >>> h = span_hashes(c, np.array([2, 2]))
        >>> bool(h[0] == h[1])
        True
    """
    if ends is None:
        ends = np.cumsum(lens)
    seg = ends - lens
    total = int(ends[-1]) if len(ends) else 0
    pw, inv = _powers(total + 1)
    acc = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(c * pw[:total], dtype=np.uint64)))
    return ((acc[ends] - acc[seg]) * inv[seg]) ^ (lens.astype(np.uint64) << np.uint64(58))


class PieceTable:
    """``make(piece)`` (an int) for pieces of a :class:`Batch`, each made once per process and found again in
    numpy: a 64-bit polynomial hash of the piece's code points (wrapping arithmetic; pieces up to 48 code
    points) is searched among the sorted hashes of the pieces seen, and a hit is checked code point by code
    point against the piece stored, so a value is never that of another piece. A piece that is longer, or
    whose hash another piece holds, is looked up by its string in a dict. :meth:`trim` clears it past
    ``limit`` pieces (typo'd spellings keep coming); ``on_clear`` runs then (the values may index tables kept
    beside it).

    Example:
        >>> t = PieceTable(len)
        >>> b = Batch.of(["ab c", "c"])
        >>> t.lookup(b, np.array([0, 1, 2])).tolist(), len(t)
        ([2, 1, 1], 2)
    """

    def __init__(
        self, make: Callable[[str], int], *, limit: int = 500_000, on_clear: Callable[[], None] | None = None
    ) -> None:
        self.make = make
        self.limit = limit
        self.on_clear = on_clear
        self.clear()

    def clear(self) -> None:
        """Forget every piece (and run ``on_clear``)."""
        self._keys = np.empty(0, dtype=np.uint64)  # sorted hashes
        self._entry = np.empty(0, dtype=np.int64)  # the entry of each sorted hash
        self._val = np.empty(0, dtype=np.int64)  # per entry: its value, where its code points start, how many
        self._off = np.empty(0, dtype=np.int64)
        self._len = np.empty(0, dtype=np.int64)
        self._codes = np.empty(0, dtype=np.uint32)
        self._n = 0  # entries
        self._n_codes = 0
        self._exact: dict[str, int] = {}
        if self.on_clear is not None:
            self.on_clear()

    def __len__(self) -> int:
        return self._n + len(self._exact)

    def trim(self) -> None:
        """Clear the table if it holds more than ``limit`` pieces (call it where no value is in use)."""
        if len(self) > self.limit:
            self.clear()

    def lookup(self, batch: Batch, idx: np.ndarray) -> np.ndarray:
        """The values of the pieces ``idx`` of ``batch`` (an int64 array), made for pieces not seen before."""
        idx = np.asarray(idx, dtype=np.int64)
        s = batch.p_start[idx]
        n_len = batch.p_end[idx] - s
        hashable = n_len <= _MAX_HASHED
        n_h = np.where(hashable, n_len, 0)
        ends = np.cumsum(n_h)
        seg = ends - n_h  # where each piece's code points start in c
        total = int(ends[-1]) if len(ends) else 0
        ar = np.arange(total)
        c = batch.codes[np.repeat(s - seg, n_h) + ar]
        key = span_hashes(c, n_h, ends)
        out = np.empty(len(idx), dtype=np.int64)
        done = np.zeros(len(idx), dtype=bool)
        if self._n:
            order = np.argsort(key)  # sorted needles: numpy's binary search starts from the last one found
            at = np.empty(len(key), dtype=np.int64)
            at[order] = np.minimum(np.searchsorted(self._keys, key[order]), self._n - 1)
            ent = self._entry[at]
            same = self._keys[at] == key
            cand = hashable & same & (self._len[ent] == n_h)
            # the same code points as the piece stored? (other pieces read the table's first ones, unused)
            theirs = self._codes[np.repeat(np.where(cand, self._off[ent], 0) - seg, n_h) + ar]
            differ = np.concatenate(([0], np.cumsum(theirs != c)))
            good = np.flatnonzero(cand & (differ[ends] == differ[seg]))
            out[good] = self._val[ent[good]]
            done[good] = True
            hashable &= ~same  # its hash is another piece's: looked up by its string
        todo = np.flatnonzero(~done)
        if not len(todo):
            return out
        exact, make = self._exact, self.make
        strs = batch.pieces(idx[todo])
        vals = list(map(exact.get, strs))
        for j, v in enumerate(vals):
            if v is None:  # made once, though drawn twice here
                v = exact.get(strs[j])
                vals[j] = exact[strs[j]] = make(strs[j]) if v is None else v
        out[todo] = vals
        into = np.flatnonzero(hashable[todo])  # new hashes: into the table (one piece per hash)
        if len(into):
            keys, first = np.unique(key[todo[into]], return_index=True)
            into = into[first]
            for j in into.tolist():
                exact.pop(strs[j], None)
            new = todo[into]
            self._insert(keys, out[new], c, seg[new], n_h[new])
        return out

    def _insert(
        self, keys: np.ndarray, vals: np.ndarray, c: np.ndarray, starts: np.ndarray, lens: np.ndarray
    ) -> None:
        n_new, n_codes = len(keys), int(lens.sum())
        if self._n + n_new > len(self._val):
            cap = max(1024, 2 * (self._n + n_new))
            for name in ("_val", "_off", "_len"):
                grown = np.empty(cap, dtype=np.int64)
                grown[: self._n] = getattr(self, name)[: self._n]
                setattr(self, name, grown)
        if self._n_codes + n_codes > len(self._codes):
            grown = np.empty(max(8192, 2 * (self._n_codes + n_codes)), dtype=np.uint32)
            grown[: self._n_codes] = self._codes[: self._n_codes]
            self._codes = grown
        ids = np.arange(self._n, self._n + n_new)
        self._val[ids] = vals
        self._len[ids] = lens
        self._off[ids] = self._n_codes + np.cumsum(lens) - lens
        pos = np.arange(n_codes) - np.repeat(np.cumsum(lens) - lens, lens)
        self._codes[self._n_codes : self._n_codes + n_codes] = c[np.repeat(starts, lens) + pos]
        at = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, at, keys)
        self._entry = np.insert(self._entry, at, ids)
        self._n += n_new
        self._n_codes += n_codes


class PackedKeys:
    """Ints for pieces of at most 15 ASCII code points, found again in compiled code by an exact key: the piece's
    bytes and length packed into two 64-bit words, in an open-addressing table kept at most half full
    (``kernels.packed_values``), so a hit needs no check of the piece's code points. Other pieces (longer, not
    ASCII) are the caller's to find by their string.

    Example:
        >>> b = Batch.of(["ab cd", "ab"])
        >>> keys = PackedKeys()
        >>> keys.values(b.codes, b.p_start, b.p_end)[1].tolist()  # none known yet
        [0, 1, 2]
        >>> keys.insert(b.codes, b.p_start, b.p_end, np.array([0, 1]), np.array([7, 8]))
        >>> keys.values(b.codes, b.p_start, b.p_end)[0].tolist()
        [7, 8, 7]
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every key."""
        self.slots = np.full((1 << 12, 3), np.iinfo(np.uint64).max, dtype=np.uint64)
        self.shift = np.uint64(64 - 12)
        self.n = 0

    def values(
        self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The value of each span ``[starts[i], ends[i])`` of ``codes`` (-1 where not known) and the indices of
        the spans not known."""
        from reviewaug.augment import kernels as K

        known = np.full(len(starts), -1, dtype=np.int64)
        unknown = np.empty(len(starts), dtype=np.int64)
        n = K.packed_values(codes, starts, ends, self.slots, self.shift, known, unknown)
        return known, unknown[:n]

    def insert(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, idx: np.ndarray,
               vals: np.ndarray) -> None:  # fmt: skip
        """Give the packable spans ``idx`` the values ``vals`` (each not there yet, or there with that value)."""
        from reviewaug.augment import kernels as K

        need = self.n + len(idx)
        if 2 * need > len(self.slots):
            bits = max(12, int(4 * need).bit_length())
            grown = np.full((1 << bits, 3), np.iinfo(np.uint64).max, dtype=np.uint64)
            self.shift = np.uint64(64 - bits)
            K.packed_rehash(self.slots, grown, self.shift)
            self.slots = grown
        self.n += K.packed_insert(codes, starts, ends, idx, vals, self.slots, self.shift)


def run_batched(
    name: str,
    op: Callable[..., tuple[list[str], list[bool]]],
    texts: Sequence[str],
    rows: Sequence[Row],
    p: float,
) -> list[str]:
    """Run a batch op (``op(texts, keys, protected, p) -> (texts, proved)``: ``word.swap_words``,
    ``word.delete_words``, ``noise.noise_words``) on the non-empty texts with each row's next draw key
    (:meth:`~reviewaug.augment.core.Row.draw_key`) and protected words; record ``name`` in the rows it changed
    and the proofs it gives: the ``__call__`` of those ops' augmenters, with protection on.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> rows = [Row.make("a b")]
        >>> run_batched("up", lambda t, k, pr, p: ([x.upper() for x in t], [False] * len(t)), ["a b"], rows, 1.0)
        ['A B']
        >>> rows[0].ops
        ['up']
    """
    _check_lengths(texts, rows)
    out = list(texts)
    todo = [i for i, t in enumerate(texts) if t] if p > 0 else []
    if not todo:
        return out
    got, proved = op(
        [texts[i] for i in todo], [rows[i].draw_key() for i in todo], [rows[i].protected for i in todo], p
    )
    for i, new, sure in zip(todo, got, proved):
        if new != texts[i]:
            out[i] = new
            row = rows[i]
            row.ops.append(name)
            if sure:
                row.vader_proofs[new] = texts[i]
    return out
