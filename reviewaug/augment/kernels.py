"""Compiled loops (numba) for the batched word ops: the per-draw and per-piece work that numpy could only do in
many passes.

:func:`~reviewaug.augment.word.swap_words` walks each row's stream of draws, looks each drawn piece up by an exact
packed key (:class:`~reviewaug.augment.batch.PackedKeys`), keeps the free unprotected pieces it has not kept
before, and writes the rows with their pairs of words traded; the lexicon synonym swap
(:mod:`reviewaug.augment.lexicon_swap`) plans, walks and proves its rows; the noise pass
(:func:`~reviewaug.augment.noise.noise_words`) edits its one-word pieces. Those loops are here, compiled on
first use (numba; the machine code cached on disk beside this file, in ``NUMBA_CACHE_DIR`` or in numba's user
cache, or kept in memory where none can be written: :func:`_compiled`); Python keeps what needs Python objects
(reading a new piece, the protected-word sets, decoding the texts). This module imports numba: import it where
an op runs, not at package import.

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

__all__ = ["UNKNOWN", "edit_word", "kept_pieces", "noise_edits", "swapped_codes"]

# A piece the compiled lookup cannot settle: Python reads it (new, longer than 48, or a hash clash).
UNKNOWN = -2
_BASE = np.uint64(0x9E3779B97F4A7C15)  # batch._BASE: span_hashes' base
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
    slots: np.ndarray,
    shift: np.uint64,
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
    ``slots``: a :class:`~reviewaug.augment.batch.PackedKeys` holding each id + 1) is an id ≥ 0 whose lowercase id (or ’-normalized one) is not among the row's protected ids
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
            v = _known(g, codes, p_start, p_end, slots, shift, known)
            if v == UNKNOWN:
                status[r] = 2
                stop = min(cap[r], j + 24)
                while j < stop:
                    g = np.int64(np.float64(u[u_off[r] + j]) * inv * np.float64(n_pieces[r])) + p_off[r]
                    if _known(g, codes, p_start, p_end, slots, shift, known) == UNKNOWN:
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


# The lexicon tagger's synonym swap (reviewaug.augment.lexicon_swap): its column numbers, repeated here so the
# compiled code reads them as constants (a test checks they agree).
(
    _P_NWORDS,
    _P_BLANK,
    _P_PREV,
    _P_ENDC,
    _P_NTOK,
    _P_AUX,
    _P_ANCF,
    _P_ANCL,
    _P_UPPER,
    _P_CPTR,
    _P_CN,
    _P_PLAIN,
) = range(12)
_P_PARTNER = 12
_C_A, _C_B, _C_LOW, _C_ALWAYS, _C_READ, _C_OWN, _C_CAP, _C_HKIND, _C_HPREV, _C_HEADC, _C_HNTOK = range(11)
_C_HAUX, _C_HANC, _C_TNTOK, _C_TANC, _C_SIMPLE, _C_BARE, _C_TOKN, _C_WUP, _C_NEWOK, _C_PNSOK, _C_CTX = range(
    11, 22
)
_C_OPT = _C_CTX + 7
_S_PTR, _S_N, _S_PHRASE, _S_SINGLE = range(4)
_O_CPTR, _O_LEN, _O_UP, _O_P1, _O_PN, _O_NPARTS, _O_P1B, _O_PNS, _O_PW, _O_PSELF = range(10)
_VBD, _VBN = 3, 5


@_compiled
def lexicon_candidates(  # noqa: PLR0913
    p_off, n_pieces, known, pc, cc, prot_ptr, prot_ids, respect, cand_g, cand_e, cand_tag, c_ptr, n_words
):  # noqa: ANN001, ANN201
    """Each row's candidate words in text order (piece ``cand_g``, word row ``cand_e``, the tag the word before
    gives a noun/verb word in ``cand_tag``, else -1), from ``c_ptr[r]`` to ``c_ptr[r + 1]``, and its number of
    words: ``synonyms._plan_chunks``."""
    m = 0
    for r in range(len(n_pieces)):
        c_ptr[r] = m
        first = p_off[r]
        nw = 0
        for g in range(first, first + n_pieces[r]):
            v = known[g]
            nw += pc[v, _P_NWORDS]
            for e in range(pc[v, _P_CPTR], pc[v, _P_CPTR] + pc[v, _P_CN]):
                if respect:
                    if cc[e, _C_ALWAYS]:
                        continue
                    low = cc[e, _C_LOW]
                    hit = False
                    for q in range(prot_ptr[r], prot_ptr[r + 1]):
                        if prot_ids[q] == low:
                            hit = True
                            break
                    if hit:
                        continue
                tag = -1
                if cc[e, _C_READ]:
                    kind = cc[e, _C_HKIND]
                    if kind == 0:
                        continue
                    cls = cc[e, _C_HPREV] if kind == 1 else -1
                    if kind == 2:
                        q = g - 1
                        while q >= first:
                            if pc[known[q], _P_BLANK] == 0:
                                cls = pc[known[q], _P_PREV]
                                break
                            q -= 1
                    if cls < 0:
                        continue
                    tag = cc[e, _C_CTX + cls]
                    if tag < 0:
                        continue
                cand_g[m] = g
                cand_e[m] = e
                cand_tag[m] = tag
                m += 1
        n_words[r] = nw
    c_ptr[len(n_pieces)] = m


@_compiled
def _near_anchor(e, g, first, last, known, pc, cc):  # noqa: ANN001, ANN202
    """Is one of the three whitespace tokens before word ``e`` (in piece ``g``) or the three after it a word VADER
    reads (``synonyms._fitting``, on the text as it came)?"""
    need = 3
    h = min(cc[e, _C_HNTOK], need)
    for i in range(h):
        if (cc[e, _C_HANC] >> i) & 1:
            return True
    need -= h
    q = g - 1
    while need > 0 and q >= first:
        w = known[q]
        t = min(pc[w, _P_NTOK], need)
        for i in range(t):
            if (pc[w, _P_ANCL] >> i) & 1:
                return True
        need -= t
        q -= 1
    need = 3
    h = min(cc[e, _C_TNTOK], need)
    for i in range(h):
        if (cc[e, _C_TANC] >> i) & 1:
            return True
    need -= h
    q = g + 1
    while need > 0 and q < last:
        w = known[q]
        t = min(pc[w, _P_NTOK], need)
        for i in range(t):
            if (pc[w, _P_ANCF] >> i) & 1:
                return True
        need -= t
        q += 1
    return False


@_compiled
def _partner_near(q, w, pw, base, nd, pc, oc, sw_g, sw_o):  # noqa: ANN001, ANN202
    """Does piece ``q`` (row ``w`` of ``pc``) hold one of the partner words ``pw``: as it came, or as a swap left
    it (the partner words of the option written there)?"""
    for i in range(nd):
        if sw_g[base + i] == q:
            return (oc[sw_o[base + i], _O_PSELF] & pw) != 0
    return (pc[w, _P_PARTNER] & pw) != 0


@_compiled
def _proof(base, nd, first, last, known, pc, cc, oc, sw_g, sw_e, sw_o):  # noqa: ANN001, ANN202
    """1 when the row's swaps certainly keep VADER's score, by the rules of ``polarity.unchanged_in_place``
    (every swap one word for one) or ``unchanged_by_expansion``, for the edits whose tokens the tables settle
    (a changed piece one token, one swap in it, its old and new tokens read by no VADER rule: see the flags of
    ``lexicon_swap``); else 2 (the proof is left to Python)."""
    grew = False
    delta = 0  # tokens in capitals gained
    for i in range(nd):
        g, e, o = sw_g[base + i], sw_e[base + i], sw_o[base + i]
        for q in range(i):
            if sw_g[base + q] == g:  # two swaps in one piece
                return 2
        if not cc[e, _C_TOKN]:
            return 2
        if oc[o, _O_NPARTS] == 1:
            if (cc[e, _C_SIMPLE] and oc[o, _O_P1]) or (cc[e, _C_BARE] and oc[o, _O_P1B]):
                delta += oc[o, _O_UP] - cc[e, _C_WUP]
            elif not cc[e, _C_NEWOK]:  # its new token keeps the old one's capitals
                return 2
        else:
            grew = True
            if not (
                (cc[e, _C_BARE] and oc[o, _O_PN])
                or (cc[e, _C_SIMPLE] and oc[o, _O_PNS])
                or (cc[e, _C_SIMPLE] and oc[o, _O_PN] and cc[e, _C_PNSOK])
            ):
                return 2
            delta += oc[o, _O_UP] - cc[e, _C_WUP]
    if not grew:
        return 1 if delta == 0 else 2
    caps = 0
    toks = 0
    for q in range(first, last):
        w = known[q]
        if not pc[w, _P_PLAIN]:
            return 2
        caps += pc[w, _P_UPPER]
        toks += 1 - pc[w, _P_BLANK]
    toks_new = toks
    for i in range(nd):
        g, o = sw_g[base + i], sw_o[base + i]
        if oc[o, _O_NPARTS] == 1:
            continue
        toks_new += oc[o, _O_NPARTS] - 1
        pw = oc[o, _O_PW]  # partners of its phrase words: none, and no other swap, two tokens around it
        seen = 0  # two tokens before, three after: no anchor (each piece here is one token or none)
        q = g - 1
        while seen < 2 and q >= first:
            w = known[q]
            if not pc[w, _P_BLANK]:
                if pc[w, _P_ANCF] & 1 or (pw and _partner_near(q, w, pw, base, nd, pc, oc, sw_g, sw_o)):
                    return 2
                seen += 1
            q -= 1
        seen = 0
        q = g + 1
        while seen < 3 and q < last:
            w = known[q]
            if not pc[w, _P_BLANK]:
                if pc[w, _P_ANCF] & 1 or (
                    pw and seen < 2 and _partner_near(q, w, pw, base, nd, pc, oc, sw_g, sw_o)
                ):
                    return 2
                seen += 1
            q += 1
    if (0 < caps < toks) != (0 < caps + delta < toks_new):
        return 2
    return 1


@_compiled
def lexicon_walk(  # noqa: PLR0913, PLR0912, PLR0915
    codes,
    p_start,
    p_off,
    n_pieces,
    c_off,
    lens,
    known,
    pc,
    cc,
    sc,
    oc,
    ocodes,
    cand_g,
    cand_e,
    cand_tag,
    c_ptr,
    k,
    u,
    u_off,
    safe,
    sw_g,
    sw_e,
    sw_o,
    done,
    state,
    out,
    out_len,
):  # noqa: ANN001, ANN201
    """Walk each row with ``k[r]`` > 0 as ``synonyms._apply_chunks`` does (the candidates in an order drawn from
    ``u`` by a Fisher-Yates shuffle, each tried word's tag refined by the text before it, its options, the
    multi-word ones dropped near a word VADER reads, one drawn), list its swaps (``sw_*`` from ``c_ptr[r]``,
    ``done[r]`` of them) and write the row with them into ``out`` (``out_len[r]``; -1 for a row left as it
    was). ``state[r]``: 1 when proved to keep VADER's score (:func:`_proof`), 2 when that is left to Python, 3
    for a row the walk cannot settle (a capitalized word after more than two pieces of openers), left to the
    Python reference. Returns the code points written."""
    pos = 0
    order = np.empty(64, np.int64)
    d_s = np.empty(64, np.int64)
    d_e = np.empty(64, np.int64)
    d_o = np.empty(64, np.int64)
    for r in range(len(k)):
        if k[r] == 0:
            continue
        base = c_ptr[r]
        n = c_ptr[r + 1] - base
        if n > len(order):
            order = np.empty(2 * n, np.int64)
            d_s = np.empty(2 * n, np.int64)
            d_e = np.empty(2 * n, np.int64)
            d_o = np.empty(2 * n, np.int64)
        for t in range(n):
            order[t] = t
        first = p_off[r]
        last = first + n_pieces[r]
        nd = 0
        bail = False
        ub = u_off[r]
        for t in range(n):
            if nd >= k[r]:
                break
            j = t + np.int64((np.uint64(u[ub + t]) * np.uint64(n - t)) >> np.uint64(32))
            x = order[t]
            order[t] = order[j]
            order[j] = x
            ci = base + order[t]
            g, e, tag = cand_g[ci], cand_e[ci], cand_tag[ci]
            if tag < 0:
                tag = cc[e, _C_OWN]
            if tag < 0:
                continue
            if cc[e, _C_CAP]:  # a capitalized word inside a sentence is a name
                hc = cc[e, _C_HEADC]
                if hc == 0:
                    q = g - 1
                    passed = 0
                    while q >= first and pc[known[q], _P_ENDC] == 0:
                        passed += 1
                        q -= 1
                        if passed > 2:
                            break
                    if passed > 2:
                        bail = True
                        break
                    hc = pc[known[q], _P_ENDC] if q >= first else 0
                if hc == 2:
                    continue
            if tag == _VBD:  # a past form after a form of "have"/"be" (one word between at most)
                need = 2
                aux = False
                h = min(cc[e, _C_HNTOK], need)
                for i in range(h):
                    if (cc[e, _C_HAUX] >> i) & 1:
                        aux = True
                need -= h
                q = g - 1
                while need > 0 and q >= first:
                    w = known[q]
                    tk = min(pc[w, _P_NTOK], need)
                    for i in range(tk):
                        if (pc[w, _P_AUX] >> i) & 1:
                            aux = True
                    need -= tk
                    q -= 1
                if aux:
                    tag = _VBN
            s = cc[e, _C_OPT + tag]
            if s == -2:  # options never read for this tag (cannot happen: every tag the walk asks is read)
                bail = True
                break
            if s < 0:
                continue
            if safe and sc[s, _S_PHRASE] and _near_anchor(e, g, first, last, known, pc, cc):
                s = sc[s, _S_SINGLE]
                if s < 0:
                    continue
            m = sc[s, _S_N]
            pick = np.int64((np.uint64(u[ub + n + t]) * np.uint64(m)) >> np.uint64(32))
            sw_g[base + nd] = g
            sw_e[base + nd] = e
            sw_o[base + nd] = sc[s, _S_PTR] + pick
            nd += 1
        if bail:
            state[r] = 3
            continue
        done[r] = nd
        if nd == 0:
            continue
        state[r] = _proof(base, nd, first, last, known, pc, cc, oc, sw_g, sw_e, sw_o)
        for i in range(nd):  # by place in the text (insertion sort: a few spans)
            d_s[i] = p_start[sw_g[base + i]] + cc[sw_e[base + i], _C_A]
            d_e[i] = p_start[sw_g[base + i]] + cc[sw_e[base + i], _C_B]
            d_o[i] = sw_o[base + i]
        for i in range(1, nd):
            a0, a1, a2 = d_s[i], d_e[i], d_o[i]
            q = i - 1
            while q >= 0 and d_s[q] > a0:
                d_s[q + 1], d_e[q + 1], d_o[q + 1] = d_s[q], d_e[q], d_o[q]
                q -= 1
            d_s[q + 1], d_e[q + 1], d_o[q + 1] = a0, a1, a2
        start, cur = pos, c_off[r]
        for i in range(nd):
            for q in range(cur, d_s[i]):
                out[pos] = codes[q]
                pos += 1
            o = d_o[i]
            for q in range(oc[o, _O_CPTR], oc[o, _O_CPTR] + oc[o, _O_LEN]):
                out[pos] = ocodes[q]
                pos += 1
            cur = d_e[i]
        for q in range(cur, c_off[r] + lens[r]):
            out[pos] = codes[q]
            pos += 1
        out_len[r] = pos - start
    return pos


_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)


@_compiled
def _packed_key(codes, s, n):  # noqa: ANN001, ANN202
    """A piece of at most 15 ASCII code points as two 64-bit words (its bytes, its length in the top byte):
    an exact key, so a lookup needs no check of the piece. ``ok`` False for any other piece."""
    k1 = np.uint64(0)
    k2 = np.uint64(n) << np.uint64(56)
    if n > 15:
        return False, k1, k2
    for q in range(n):
        c = np.uint64(codes[s + q])
        if c >= 128:
            return False, k1, k2
        if q < 8:
            k1 |= c << np.uint64(8 * q)
        else:
            k2 |= c << np.uint64(8 * (q - 8))
    return True, k1, k2


@_compiled
def _packed_get(codes, s, n, slots, shift):  # noqa: ANN001, ANN202
    """The value of the piece ``codes[s : s + n]`` in ``slots`` (open addressing: rows of key word 1, key word
    2, value; value ``_EMPTY`` for a free slot), or -1 when it is not there or not packable."""
    ok, k1, k2 = _packed_key(codes, s, n)
    if not ok:
        return np.int64(-1)
    mask = np.uint64(len(slots) - 1)
    h = (k1 * _M1 + k2 * _M2) >> shift
    while True:
        v = slots[h, 2]
        if v == _EMPTY:
            return np.int64(-1)
        if slots[h, 0] == k1 and slots[h, 1] == k2:
            return np.int64(v)
        h = (h + np.uint64(1)) & mask


@_compiled
def _known(g, codes, p_start, p_end, slots, shift, known):  # noqa: ANN001, ANN202
    """Piece ``g``'s value: ``known[g]``, else its value in ``slots`` less one (memoized in ``known``), else
    UNKNOWN."""
    v = known[g]
    if v == UNKNOWN:
        x = _packed_get(codes, p_start[g], p_end[g] - p_start[g], slots, shift)
        if x >= 0:
            v = x - 1
            known[g] = v
    return v


@_compiled
def packed_values(codes, p_start, p_end, slots, shift, known, unknown):  # noqa: ANN001, ANN201
    """The value of every piece from ``slots`` (:func:`_packed_get`) into ``known``; the pieces not there (or
    not packable) into ``unknown`` (returns how many)."""
    n_unknown = 0
    for g in range(len(p_start)):
        v = _packed_get(codes, p_start[g], p_end[g] - p_start[g], slots, shift)
        if v < 0:
            unknown[n_unknown] = g
            n_unknown += 1
        else:
            known[g] = v
    return n_unknown


@_compiled
def packed_insert(codes, p_start, p_end, pieces, vals, slots, shift):  # noqa: ANN001, ANN201
    """Put the packable ``pieces`` (indices into the batch) with their ``vals`` into ``slots`` (each not there
    yet, or there with the same value); returns how many went in."""
    mask = np.uint64(len(slots) - 1)
    n_in = 0
    for i in range(len(pieces)):
        g = pieces[i]
        ok, k1, k2 = _packed_key(codes, p_start[g], p_end[g] - p_start[g])
        if not ok:
            continue
        h = (k1 * _M1 + k2 * _M2) >> shift
        while True:
            if slots[h, 2] == _EMPTY:
                slots[h, 0], slots[h, 1], slots[h, 2] = k1, k2, np.uint64(vals[i])
                n_in += 1
                break
            if slots[h, 0] == k1 and slots[h, 1] == k2:
                break
            h = (h + np.uint64(1)) & mask
    return n_in


@_compiled
def packed_rehash(old, slots, shift):  # noqa: ANN001, ANN201
    """Every entry of ``old`` into the larger ``slots``."""
    mask = np.uint64(len(slots) - 1)
    for i in range(len(old)):
        if old[i, 2] == _EMPTY:
            continue
        k1, k2 = old[i, 0], old[i, 1]
        h = (k1 * _M1 + k2 * _M2) >> shift
        while slots[h, 2] != _EMPTY:
            h = (h + np.uint64(1)) & mask
        slots[h, 0], slots[h, 1], slots[h, 2] = k1, k2, old[i, 2]


# The noise pass's compiled edits (noise._COMPILED_EDITS: typo, letter swap, drop, insertion) and the columns of
# its piece table (noise._Pieces.cols): candidate words, shape, where the word starts, its length, the bits of
# the partner words of its phrases (0: not a phrase word)
EDIT_TYPO, EDIT_SWAP, EDIT_DELETE, EDIT_INSERT = range(4)
N_CANDS, N_SHAPE, N_A, N_LEN, N_PMASK = range(5)


@_compiled
def edit_word(code, w, a, n, u, v, near, count, out, o):  # noqa: ANN001, ANN201
    """Write into ``out[o:]`` what edit ``code`` gives the word of ``n`` ASCII letters ``w[a : a + n]`` with the
    draws ``u``, ``v`` (``noise._typo``, ``_swap``, ``_delete``, ``_insert``: the same position and letter for the
    same draws); ``near``/``count``: each lowercase letter's QWERTY neighbours. Returns the new length and
    whether the word changed."""
    if code == EDIT_DELETE:
        if n < 2:
            out[o] = w[a]
            return n, False
        i = int(u * n)
        m = 0
        for q in range(n):
            if q != i:
                out[o + m] = w[a + q]
                m += 1
        return n - 1, True
    if code == EDIT_INSERT:
        i = int(u * (n + 1))
        row = (w[a + min(i, n - 1)] | 32) - 97
        for q in range(i):
            out[o + q] = w[a + q]
        out[o + i] = near[row, int(v * count[row])]
        for q in range(i, n):
            out[o + q + 1] = w[a + q]
        return n + 1, True
    for q in range(n):
        out[o + q] = w[a + q]
    if code == EDIT_TYPO:
        i = int(u * n)
        old = w[a + i]
        row = (old | 32) - 97
        new = near[row, int(v * count[row])]
        out[o + i] = new - 32 if old < 97 else new
        return n, True
    pairs = 0  # EDIT_SWAP: two adjacent different letters traded
    for q in range(n - 1):
        if w[a + q] != w[a + q + 1]:
            pairs += 1
    if pairs == 0:
        return n, False
    rank = int(u * pairs)
    for q in range(n - 1):
        if w[a + q] != w[a + q + 1]:
            if rank == 0:
                out[o + q], out[o + q + 1] = w[a + q + 1], w[a + q]
                break
            rank -= 1
    return n, True


@_compiled
def _blank(codes, s, e):  # noqa: ANN001, ANN202
    """Is ``codes[s:e]`` empty or ASCII whitespace only (a piece that holds no token)?"""
    for q in range(s, e):
        c = codes[q]
        if not (9 <= c <= 13 or 28 <= c <= 32):
            return False
    return True


@_compiled
def _token_bits(codes, s, e, pkeys):  # noqa: ANN001, ANN202
    """The bit of the partner word (``pkeys``: sorted, each word of 2-12 letters packed 5 bits a letter; bit i
    for ``pkeys[i]``) that the ASCII token ``codes[s:e]`` is read as by VADER (``polarity._classify``'s key: the
    token without the ASCII punctuation around it when more than two characters are left, lowercased); 0 if
    none."""
    a, b = s, e
    while a < b and _is_punct(codes[a]):
        a += 1
    while b > a and _is_punct(codes[b - 1]):
        b -= 1
    if b - a <= 2:
        a, b = s, e
    if not 2 <= b - a <= 12:
        return np.int64(0)
    key = np.uint64(0)
    for q in range(a, b):
        c = codes[q] | 32
        if not 97 <= c <= 122:
            return np.int64(0)
        key = (key << np.uint64(5)) | np.uint64(c - 96)
    at = np.searchsorted(pkeys, key)
    if at < len(pkeys) and pkeys[at] == key:
        return np.int64(1) << np.int64(at)
    return np.int64(0)


@_compiled
def _is_punct(c):  # noqa: ANN001, ANN202
    """Is ``c`` ASCII punctuation (``string.punctuation``)?"""
    return 33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126


@_compiled
def _window_partners(codes, p_start, p_end, g, first, last, pkeys):  # noqa: ANN001, ANN202
    """The bits of the partner words among the tokens of the pieces around piece ``g`` of a text whose pieces
    are ``first..last``: two pieces on either side, or, where a piece there holds no token, two pieces holding
    one (``polarity._phrase_near``'s window); -1 when a piece there is not ASCII (Python reads it)."""
    lo, hi = max(first, g - 2), min(last, g + 2)
    plain = True
    for q in range(lo, hi + 1):
        if _blank(codes, p_start[q], p_end[q]):
            plain = False
    if not plain:
        lo, hi = g, g
        for _ in range(2):
            lo -= 1
            while lo > first and _blank(codes, p_start[lo], p_end[lo]):
                lo -= 1
            hi += 1
            while hi < last and _blank(codes, p_start[hi], p_end[hi]):
                hi += 1
        lo, hi = max(first, lo), min(last, hi)
    bits = np.int64(0)
    for q in range(lo, hi + 1):
        t = p_start[q]
        e = p_end[q]
        for x in range(t, e):
            if codes[x] >= 128:
                return np.int64(-1)
        while t < e:
            while t < e and (9 <= codes[t] <= 13 or 28 <= codes[t] <= 31):
                t += 1
            u = t
            while u < e and not (9 <= codes[u] <= 13 or 28 <= codes[u] <= 31):
                u += 1
            if u > t:
                bits |= _token_bits(codes, t, u, pkeys)
            t = u
    return bits


@_compiled
def noise_edits(  # noqa: PLR0913
    codes, p_start, p_end, p_off, n_pieces, hit, h_row, h_first, h_code, go, ids, cols, uv, pkeys, near, count,
    rules, out, e_hit, e_start, e_end, e_len, settled,
):  # noqa: ANN001, ANN201  # fmt: skip
    """The noise pass's short path for the drawn pieces ``go`` (indices of the hits ``hit``, ascending) that are
    one word of ASCII letters, unprotected and long enough: a phrase word with a partner word of its phrases
    within its window is left to Python (it reads the window for the phrases); the others get their edit
    (``h_code``, draws ``uv[h_first]`` and the next), kept and proved when the new word is one no VADER rule
    reads (its lowercase's hash not among the sorted ``rules``), its capitals flag the same, and a word in
    punctuation still longer than two letters.
    Writes each kept edit (hit, span in ``codes``, new length; its letters end to end in ``out``), marks the
    hits settled here (an edit kept or one that changed nothing) and returns the number of edits."""
    ne = 0
    o = 0
    for k in range(len(go)):
        j = go[k]
        p = ids[j]
        pm = np.int64(cols[p, N_PMASK])
        if pm != 0:  # a phrase word: a partner of its phrases near it, and Python reads the window
            r = h_row[j]
            g = hit[j]
            if _window_partners(codes, p_start, p_end, g, p_off[r], p_off[r] + n_pieces[r] - 1, pkeys) & pm:
                continue
        a = p_start[hit[j]] + cols[p, N_A]
        n = np.int64(cols[p, N_LEN])
        f = h_first[j]
        m, changed = edit_word(h_code[j], codes, a, n, uv[f], uv[f + 1], near, count, out, o)
        if not changed:
            settled[j] = True
            continue
        h = np.uint64(0)
        pw = np.uint64(1)
        lower_new = False
        for q in range(m):
            c = out[o + q]
            lower_new |= c >= 97
            h += np.uint64(c | 32) * pw
            pw *= _BASE
        h ^= np.uint64(m) << np.uint64(58)
        at = np.searchsorted(rules, h)
        if at < len(rules) and rules[at] == h:
            continue  # a word a rule may read: the loop decides
        lower_old = False
        for q in range(n):
            lower_old |= codes[a + q] >= 97
        if lower_old != lower_new or (cols[p, N_SHAPE] != 2 and m <= 2):
            continue  # the capitals flag moved, or the token may not read as the word: the loop proves it
        settled[j] = True
        e_hit[ne], e_start[ne], e_end[ne], e_len[ne] = j, a, a + n, m
        ne += 1
        o += m
    return ne
