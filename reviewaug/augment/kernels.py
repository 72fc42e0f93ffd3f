"""Compiled loops (numba) for the batched word swap: the per-draw work that numpy could only do in many passes.

:func:`~reviewaug.augment.word.swap_words` walks each row's stream of draws, looks each drawn piece up in the
swap table (a :class:`~reviewaug.augment.batch.PieceTable`: the same 64-bit hash, the same sorted hashes, the
same check of every code point), keeps the free unprotected pieces it has not kept before, and writes the rows
with their pairs of words traded. Those loops are here, compiled on first use (numba; the machine code cached on
disk beside this file, in ``NUMBA_CACHE_DIR`` or in numba's user cache, or kept in memory where none can be
written: :func:`_compiled`); Python keeps what needs Python objects (reading a new piece, the protected-word
sets, decoding the texts). This module imports numba: import it where a swap runs, not at package import.

Example:
    >>> import numpy as np
    >>> from reviewaug.augment.batch import Batch
    >>> b = Batch.of(["ab cd"])
    >>> known = np.array([0, 1])  # both pieces known: ids 0 and 1
    >>> cols = np.array([[0, 2, 1, 0], [0, 2, 1, 0]])  # start, end, bare, plain of each id
    >>> out, out_len = np.empty(5, dtype=np.uint32), np.empty(1, dtype=np.int64)
    >>> n = swapped_codes(b.codes, b.p_start, b.c_off, b.lens, np.array([2]), np.array([0]), np.array([0, 1]),
    ...                   np.array([0]), known, cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3], out, out_len)
    >>> out[:n].tobytes().decode("utf-32-le")
    'cd ab'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

from reviewaug.augment.batch import PieceTable

__all__ = ["UNKNOWN", "kept_pieces", "swapped_codes", "table_arrays"]

# A piece the compiled lookup cannot settle: Python reads it (new, longer than 48, or a hash clash).
UNKNOWN = -2
_BASE = np.uint64(0x9E3779B97F4A7C15)  # batch._BASE: the hash PieceTable keeps
_MAX_HASHED = 48  # batch._MAX_HASHED
_MIX = np.uint64(0x9E3779B97F4A7C15)  # batch._MIX
_NO_CACHE = (
    "reviewaug: numba finds no writable folder for word swap's compiled code (this package's folder and numba's "
    "user cache are read-only, or there is no home folder), so each process compiles it again (about 6 s). "
    "Set NUMBA_CACHE_DIR to a writable folder to compile it once."
)
_warned = False


def _compiled(fn: Callable[..., Any]) -> Any:
    """``njit(cache=True)(fn)``: compiled on first use, the machine code cached beside this file, in
    ``NUMBA_CACHE_DIR`` or in numba's user cache; where none of them can be written (a read-only install
    without a home folder), compiled in memory in every process, with one warning that says how to cache."""
    global _warned
    try:
        return njit(cache=True)(fn)
    except RuntimeError as err:
        if "no locator available" not in str(err):
            raise
        if not _warned:
            warnings.warn(_NO_CACHE, RuntimeWarning, stacklevel=2)
            _warned = True
        return njit(fn)


@_compiled
def _value(g, codes, p_start, p_end, table, known):  # noqa: ANN001, ANN202
    """The table's value of piece ``g`` (memoized in ``known``), or UNKNOWN. ``table``: a PieceTable's slot
    index (``slot_key``, ``slot_entry``, ``slot_shift``), its sorted hashes and entries, and per entry its value,
    where its code points start and how many (:func:`table_arrays`)."""
    s_key, s_entry, shift, t_keys, t_entry, t_val, t_off, t_len, t_codes = table
    v = known[g]
    if v != UNKNOWN:
        return v
    s = p_start[g]
    n = p_end[g] - s
    if n > _MAX_HASHED or len(t_keys) == 0:
        return UNKNOWN
    h = np.uint64(0)
    pw = np.uint64(1)
    for q in range(n):
        h += np.uint64(codes[s + q]) * pw
        pw *= _BASE
    h ^= np.uint64(n) << np.uint64(58)
    slot = (h * _MIX) >> shift
    if s_key[slot] == h and s_entry[slot] >= 0:
        e = s_entry[slot]
    else:  # not in its slot: the sorted hashes
        at = np.searchsorted(t_keys, h)
        if at >= len(t_keys) or t_keys[at] != h:
            return UNKNOWN
        e = t_entry[at]
    if t_len[e] != n:
        return UNKNOWN
    o = t_off[e]
    for q in range(n):
        if t_codes[o + q] != codes[s + q]:
            return UNKNOWN
    v = t_val[e]
    known[g] = v
    return v


def table_arrays(table: PieceTable) -> tuple:
    """The arrays of ``table`` that :func:`kept_pieces` reads, as one tuple."""
    return (
        table.slot_key, table.slot_entry, table.slot_shift,
        table._keys, table._entry, table._val, table._off, table._len, table._codes,
    )  # fmt: skip


@_compiled
def kept_pieces(  # noqa: PLR0913
    rows: np.ndarray,
    codes: np.ndarray,
    p_start: np.ndarray,
    p_end: np.ndarray,
    p_off: np.ndarray,
    n_pieces: np.ndarray,
    need: np.ndarray,
    cap: np.ndarray,
    u: np.ndarray,
    u_off: np.ndarray,
    table: tuple,
    known: np.ndarray,
    low_id: np.ndarray,
    norm_id: np.ndarray,
    prot_ptr: np.ndarray,
    prot_ids: np.ndarray,
    sel: np.ndarray,
    sel_ptr: np.ndarray,
    status: np.ndarray,
    unknown: np.ndarray,
) -> int:
    """For each row of ``rows``: walk its draws (``cap[r]`` uint32 numbers of ``u`` from ``u_off[r]``; draw j
    names piece ``int(u / 2**32 · n_pieces[r])`` of the row), keep a piece whose value (``known``, else
    ``table``: :func:`table_arrays`) is an id ≥ 0 whose lowercase id (or ’-normalized one) is not among the row's protected ids
    (``prot_ids[prot_ptr[r]:prot_ptr[r + 1]]``) and that was not kept before, into ``sel`` from ``sel_ptr[r]``,
    until ``need[r]`` are kept (``status`` 0) or the draws run out (1). A draw the table cannot settle stops
    the row (2) and puts the unknown pieces among its next 24 draws into ``unknown``; returns how many."""
    n_unknown = 0
    inv = 1.0 / 4294967296.0
    for r in rows:
        kept = 0
        status[r] = 1
        base = sel_ptr[r]
        j = 0
        while j < cap[r]:
            g = np.int64(np.float64(u[u_off[r] + j]) * inv * np.float64(n_pieces[r])) + p_off[r]
            v = _value(g, codes, p_start, p_end, table, known)
            if v == UNKNOWN:
                status[r] = 2
                stop = min(cap[r], j + 24)
                while j < stop:
                    g = np.int64(np.float64(u[u_off[r] + j]) * inv * np.float64(n_pieces[r])) + p_off[r]
                    if _value(g, codes, p_start, p_end, table, known) == UNKNOWN:
                        unknown[n_unknown] = g
                        n_unknown += 1
                    j += 1
                break
            j += 1
            if v < 0:
                continue
            low, norm = low_id[v], norm_id[v]
            skip = False
            for q in range(prot_ptr[r], prot_ptr[r + 1]):
                if prot_ids[q] == low or (norm >= 0 and prot_ids[q] == norm):
                    skip = True
                    break
            if not skip:
                for q in range(kept):
                    if sel[base + q] == g:
                        skip = True
                        break
            if skip:
                continue
            sel[base + kept] = g
            kept += 1
            if kept == need[r]:
                status[r] = 0
                break
    return n_unknown


@_compiled
def swapped_codes(
    codes: np.ndarray,
    p_start: np.ndarray,
    c_off: np.ndarray,
    lens: np.ndarray,
    need: np.ndarray,
    status: np.ndarray,
    sel: np.ndarray,
    sel_ptr: np.ndarray,
    known: np.ndarray,
    w_start: np.ndarray,
    w_end: np.ndarray,
    bare: np.ndarray,
    plain: np.ndarray,
    out: np.ndarray,
    out_len: np.ndarray,
) -> int:
    """Write into ``out``, row after row, each row with ``status`` 0 and a pair that fits (1st kept piece with
    2nd, 3rd with 4th...; a bare place takes any word, one in punctuation a plain word; each id's word lies at
    ``[w_start, w_end)`` of its piece) with the words of its fitting pairs traded; ``out_len[r]``: its length in
    ``out``, or -1 for a row left as it was. Returns the code points written."""
    pos = 0
    cap = 64
    dst_s = np.empty(cap, np.int64)
    dst_e = np.empty(cap, np.int64)
    src_s = np.empty(cap, np.int64)
    src_e = np.empty(cap, np.int64)
    for r in range(len(lens)):
        out_len[r] = -1
        if status[r] != 0 or need[r] == 0:
            continue
        if need[r] > cap:
            cap = 2 * need[r]
            dst_s = np.empty(cap, np.int64)
            dst_e = np.empty(cap, np.int64)
            src_s = np.empty(cap, np.int64)
            src_e = np.empty(cap, np.int64)
        m = 0
        base = sel_ptr[r]
        for i in range(0, need[r], 2):
            x, y = sel[base + i], sel[base + i + 1]
            vx, vy = known[x], known[y]
            if not ((bare[vx] == 1 or plain[vy] == 1) and (bare[vy] == 1 or plain[vx] == 1)):
                continue
            xs, xe = p_start[x] + w_start[vx], p_start[x] + w_end[vx]
            ys, ye = p_start[y] + w_start[vy], p_start[y] + w_end[vy]
            dst_s[m], dst_e[m], src_s[m], src_e[m] = xs, xe, ys, ye
            dst_s[m + 1], dst_e[m + 1], src_s[m + 1], src_e[m + 1] = ys, ye, xs, xe
            m += 2
        if m == 0:
            continue
        for i in range(1, m):  # by place in the text (insertion sort: a few spans)
            a0, a1, a2, a3 = dst_s[i], dst_e[i], src_s[i], src_e[i]
            k = i - 1
            while k >= 0 and dst_s[k] > a0:
                dst_s[k + 1], dst_e[k + 1], src_s[k + 1], src_e[k + 1] = (
                    dst_s[k],
                    dst_e[k],
                    src_s[k],
                    src_e[k],
                )
                k -= 1
            dst_s[k + 1], dst_e[k + 1], src_s[k + 1], src_e[k + 1] = a0, a1, a2, a3
        start, cur = pos, c_off[r]
        for i in range(m):
            for q in range(cur, dst_s[i]):
                out[pos] = codes[q]
                pos += 1
            for q in range(src_s[i], src_e[i]):
                out[pos] = codes[q]
                pos += 1
            cur = dst_e[i]
        for q in range(cur, c_off[r] + lens[r]):
            out[pos] = codes[q]
            pos += 1
        out_len[r] = pos - start
    return pos
