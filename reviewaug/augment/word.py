"""Word-level noise: random swap and random deletion (two of Wei & Zou's EDA ops), protected words kept.

Each op is a plain function holding the logic (:func:`swap_words`, :func:`delete_words`: a whole batch at once,
each row's draws hashed from its own key; :func:`random_swap`, :func:`random_delete`: one text) and a thin frozen
dataclass that calls it with the rows' keys and protected words.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> out = random_swap("the tuner is great", rng, p=0.5, protected=frozenset({"great"}))
    >>> out.endswith("great")
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, count, repeat

import numpy as np

from reviewaug.augment.batch import Batch, PackedKeys, PieceTable, run_batched
from reviewaug.augment.constraints import _PIECES, _read_piece, free_words
from reviewaug.augment.core import _SHAKE, _SHAKE_DIGEST, Row, RowWise, _generator, check_unit, key_uniforms
from reviewaug.augment.polarity import (
    NEUTRAL,
    _classify,
    _tables,
    unchanged_far_from_anchors,
)
from reviewaug.augment.tokens import _WORDS, split_tokens
from reviewaug.features.sentiment import NEGATIONS

__all__ = ["random_swap", "swap_words", "random_delete", "delete_words", "RandomSwap", "RandomDelete"]


def random_swap(
    text: str,
    rng: np.random.Generator,
    *,
    p: float = 0.1,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
    proofs: dict[str, str] | None = None,
) -> str:
    """Swap ``max(1, round(p · n))`` random pairs of free words (n = number of whitespace-separated words).

    One text at a time: :func:`swap_words` on a batch of one, its draws keyed by 16 bytes of ``rng`` (numpy's
    fixed cost per call makes that slow in a loop: give many texts to :func:`swap_words` or
    :class:`RandomSwap` at once). Without
    ``respect_protected`` any two words may trade places (drawn from ``rng``). When the swap provably keeps
    VADER's score, ``proofs`` (a row's :attr:`~reviewaug.augment.core.Row.vader_proofs`) records it for the
    polarity guard.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> sorted(random_swap("a b c", rng, p=1.0, respect_protected=False).split()) == ["a", "b", "c"]
        True
    """
    if p <= 0 or not text:
        return text
    if not respect_protected:
        return _swap_listed(text, rng, p, protected, respect_protected)
    (out,), (proved,) = swap_words([text], [rng.bytes(16)], [protected], p)
    if proofs is not None and proved:
        proofs[out] = text
    return out


# The pieces (text between single spaces) a batched swap moves: one free word that is not a phrase word, bare
# (shape 2) or plain in ASCII punctuation (shape 1; see ``constraints._Word``). Each such piece gets an id (the
# value _SWAP_IDS holds for it, and _SWAP_KEYS plus one; -1: a piece that never moves); the columns of
# _SWAP_COLS (its rows 0-5, each contiguous for the compiled walk) hold, per id, where its word starts and ends
# in the piece, whether it is bare, whether it is plain, and the ids (_LOW_ID) of its lowercase and of its
# ’-normalized lowercase (-1 if none), which protected words are compared with (_ProtectedIds).
_LOW_ID: dict[str, int] = {}
_SWAP_COLS = np.zeros((6, 1024), dtype=np.int64)
_N_SWAP = 0  # ids given


def _ascii_word(piece: str) -> tuple[bool, bool] | None:
    """For a piece of ASCII letters alone (most pieces a table reads for the first time): does it hold a word of
    VADER valence (or "but"), and is it a free word that is no phrase word, as ``constraints._piece_words``
    reads it (the word is its own VADER key and lowercase), in four set lookups; None for any other piece."""
    if not (piece.isascii() and piece.isalpha()):
        return None
    low = piece.lower()
    anchors, mods, phrases = _tables()
    anchor = low in anchors
    return anchor, not (anchor or low in mods or low in phrases or low in NEGATIONS)


def _swap_id(piece: str) -> int:
    global _SWAP_COLS, _N_SWAP
    short = _ascii_word(piece)
    if short is not None:
        if not short[1]:
            return -1
        a, b, low, norm, shape, plain = 0, len(piece), piece.lower(), None, 2, len(piece) > 2
    else:
        info = _PIECES.get(piece)
        if info is None:
            info = _read_piece(piece)
        words, cands, _ = info
        if not (len(words) == 1 and len(cands) == 1 and not cands[0][5] and cands[0][6]):
            return -1
        a, b, _, low, norm, _, shape, plain = cands[0]
    i = _N_SWAP
    if i == _SWAP_COLS.shape[1]:
        _SWAP_COLS = np.concatenate((_SWAP_COLS, np.zeros_like(_SWAP_COLS)), axis=1)
    norm_id = -1 if norm is None else _low_id(norm)
    _SWAP_COLS[:, i] = (a, b, shape == 2, plain, _low_id(low), norm_id)
    _N_SWAP += 1
    return i


def _low_id(word: str) -> int:
    """The id of a lowercase word in :data:`_LOW_ID`, given now if new (and listed in :data:`_LOW_WORDS`)."""
    got = _LOW_ID.get(word)
    if got is None:
        got = _LOW_ID[word] = len(_LOW_WORDS)
        _LOW_WORDS.append(word)
    return got


_LOW_WORDS: list[str] = []  # the words of _LOW_ID in the order of their ids


def _forget_swap_words() -> None:
    global _N_SWAP
    _N_SWAP = 0
    _LOW_ID.clear()
    _LOW_WORDS.clear()


_SWAP_IDS: dict[str, int] = {}  # every piece read -> its id
_SWAP_KEYS = PackedKeys()  # pieces of at most 15 ASCII code points -> id + 1, for the compiled walk


def _clear_swap_table() -> None:
    """Forget every piece read and every id given (as in a fresh process)."""
    _SWAP_IDS.clear()
    _SWAP_KEYS.clear()
    _forget_swap_words()


def _swap_ids(b: Batch, idx: np.ndarray) -> np.ndarray:
    """The ids of the pieces ``idx`` of ``b``, read in Python when new; the packable ones go into _SWAP_KEYS."""
    vals = []
    for piece in b.pieces(idx):
        v = _SWAP_IDS.get(piece)
        if v is None:
            v = _SWAP_IDS[piece] = _swap_id(piece)
        vals.append(v)
    out = np.array(vals, dtype=np.int64)
    _SWAP_KEYS.insert(b.codes, b.p_start, b.p_end, idx, out + 1)
    return out


class _ProtectedIds:
    """A batch's protected words as ids (:data:`_LOW_ID`): ``ptr`` (each row's offset) and ``ids``, -1 for a word
    no piece read so far holds (no piece's word can equal it); :meth:`update` gives such words the ids that
    pieces read since have given them."""

    def __init__(self, protected: Sequence[frozenset[str]]) -> None:
        sizes = np.fromiter(map(len, protected), dtype=np.int64, count=len(protected))
        self.words = list(chain.from_iterable(protected))
        self.ids = np.fromiter(
            map(_LOW_ID.get, self.words, repeat(-1)), dtype=np.int64, count=len(self.words)
        )
        self.ptr = np.concatenate(([0], np.cumsum(sizes)))
        self._waiting: dict[str, list[int]] | None = (
            None  # word without an id -> its places, made on first need
        )

    def update(self, first_new: int) -> None:
        """Give ids to the words that got theirs from id ``first_new`` on."""
        if self._waiting is None:
            self._waiting = {}
            for q in np.flatnonzero(self.ids < 0).tolist():
                self._waiting.setdefault(self.words[q], []).append(q)
        for i, w in enumerate(_LOW_WORDS[first_new:], first_new):
            for q in self._waiting.get(w, ()):
                self.ids[q] = i


def swap_words(
    texts: Sequence[str], keys: Sequence[bytes], protected: Sequence[frozenset[str]], p: float
) -> tuple[list[str], list[bool]]:
    """Word swap on a batch, protected words kept: each text with ``max(1, round(p · n))`` pairs of its free
    words traded (n = its number of words), and for each whether the swap provably keeps VADER's score.

    A word may move when its piece between spaces is that one word, alone or (if plain: ASCII, longer than two
    letters) in ASCII punctuation, not protected, not a word VADER's rules read and not part of one of its
    phrases (``constraints.free_words``). Such a swap keeps VADER's score: both words are neutral, both places
    read them as themselves, no ``!``/``?`` moves and as many words are in capitals; a pair where a short word
    would land inside punctuation is left alone. The row's pieces are drawn from SHAKE-128 of its key
    (:func:`~reviewaug.augment.core.key_uniforms`, 32 bits: up to ``4 · (3·swaps + 6)`` draws), kept when free
    and not drawn before; the first ``2·swaps`` make the pairs (1st with 2nd, 3rd with 4th...). A text with too
    few free words for that swaps among the list of all its free words (drawn from a generator on its key; not
    proved). The draws are walked in compiled code (:mod:`reviewaug.augment.kernels`, numba): each drawn
    piece of at most 15 ASCII code points is found by an exact packed key
    (:class:`~reviewaug.augment.batch.PackedKeys`; Python reads only pieces not seen before, and finds longer
    ones by their string), the words are moved in the code points of the whole batch, decoded once; no text is
    split into words.

    Example:
        >>> out, proved = swap_words(["the red cable and the blue strap"], [b"k"], [frozenset({"red"})], 0.2)
        >>> "red" in out[0].split(), proved
        (True, [True])
    """
    from reviewaug.augment.kernels import UNKNOWN, kept_pieces, swapped_codes

    n_rows = len(texts)
    outs, proved = list(texts), [False] * n_rows
    if n_rows == 0 or p <= 0:
        return outs, proved
    if len(_SWAP_IDS) > 500_000:  # typo'd spellings keep coming: start afresh (between batches only)
        _clear_swap_table()
    b = Batch.of(texts)
    need = np.where(b.n_words >= 2, 2 * np.maximum(1, np.rint(p * b.n_words).astype(np.int64)), 0)
    cap = np.where(need > 0, 4 * (3 * need // 2 + 6), 0)
    u = np.frombuffer(b"".join(map(_SHAKE_DIGEST, map(_SHAKE, keys), (4 * cap).tolist())), dtype="<u4")
    u_off = np.concatenate(([0], np.cumsum(cap)[:-1]))
    sel_ptr = np.concatenate(([0], np.cumsum(need)[:-1]))
    sel = np.empty(int(need.sum()), dtype=np.int64)
    status = np.zeros(n_rows, dtype=np.int64)
    unknown = np.empty(int(cap.sum()), dtype=np.int64)
    known = np.full(len(b.p_start), UNKNOWN, dtype=np.int64)  # each piece's value, once looked up
    todo = np.flatnonzero(need)
    prot = _ProtectedIds(protected)
    while len(todo):
        cols = _SWAP_COLS
        n_unknown = kept_pieces(
            todo, b.codes, b.p_start, b.p_end, b.p_off, b.n_pieces, need, cap, u, u_off,
            _SWAP_KEYS.slots, _SWAP_KEYS.shift, known, cols[4], cols[5], prot.ptr, prot.ids,
            sel, sel_ptr, status, unknown,
        )  # fmt: skip
        if not n_unknown:
            break
        new = np.unique(unknown[:n_unknown])  # pieces new to the table: read in Python, then walk on
        n_low = len(_LOW_ID)
        known[new] = _swap_ids(b, new)
        todo = todo[status[todo] == 2]
        if len(_LOW_ID) != n_low:  # new words: the rows walked again compare them with their protected words
            prot.update(n_low)
    cols = _SWAP_COLS
    out = np.empty(len(b.codes), dtype=np.uint32)  # a swap keeps a row's length
    out_len = np.empty(n_rows, dtype=np.int64)
    total = swapped_codes(
        b.codes, b.p_start, b.c_off, b.lens, need, status, sel, sel_ptr, known,
        cols[0], cols[1], cols[2], cols[3], out, out_len,
    )  # fmt: skip
    changed = np.flatnonzero(out_len >= 0)
    if len(changed):
        new_big = out[:total].tobytes().decode("utf-32-le", "surrogatepass")
        ends = np.cumsum(out_len[changed])
        for r, a, e in zip(changed.tolist(), (ends - out_len[changed]).tolist(), ends.tolist()):
            if new_big[a:e] != outs[r]:
                outs[r] = new_big[a:e]
                proved[r] = True
    for r in np.flatnonzero((status == 1) & (need > 0)).tolist():  # few free words: list them all
        outs[r] = _swap_listed(texts[r], _generator(keys[r] + b"/listed"), p, protected[r], True)
    return outs, proved


def _swap_listed(
    text: str,
    rng: np.random.Generator,
    p: float,
    protected: frozenset[str],
    respect: bool,
) -> str:
    """:func:`random_swap` over the list of all free words (the rule without protection, and the fallback)."""
    pieces, free, n_words, _ = free_words(text, protected, respect)
    if len(free) < 2:
        return text
    n_swaps = max(1, int(round(p * n_words)))
    m = len(free)
    # each swap: two different positions, drawn for all swaps in two calls
    first = rng.integers(m, size=n_swaps)
    second = rng.integers(m - 1, size=n_swaps)
    second += second >= first
    order = list(range(m))
    for a, b in zip(first.tolist(), second.tolist()):
        order[a], order[b] = order[b], order[a]
    moved = sorted((free[k], free[order[k]][1][2]) for k in set(first.tolist()) | set(second.tolist()))
    for (c, (a, b, old, *_)), new in reversed(moved):  # right to left: a piece's earlier offsets still hold
        if new != old:
            pieces[c] = pieces[c][:a] + new + pieces[c][b:]
    return " ".join(pieces)


# piece -> what a batched deletion needs to know of it: 1 = it holds a word with a VADER valence (or "but"),
# 2 = it is one bare free word that is not a phrase word (a word a deletion may take), 4 = that word has a ’,
# 8 = it holds a word, 16 = it is in capitals (``str.isupper``: VADER's test)
def _del_flags(piece: str) -> int:
    short = _ascii_word(piece)
    if short is not None:
        return int(short[0]) | 8 | (16 * piece.isupper()) | (2 * short[1])
    info = _PIECES.get(piece)
    if info is None:
        info = _read_piece(piece)
    words, cands, anchor = info
    flags = int(anchor) | (8 * bool(words)) | (16 * piece.isupper())
    if len(words) == 1 and len(cands) == 1 and not cands[0][5] and cands[0][6] == 2:
        flags |= 2 | (4 * (cands[0][4] is not None))
    return flags


_DEL_TABLE = PieceTable(_del_flags)


def delete_words(
    texts: Sequence[str], keys: Sequence[bytes], protected: Sequence[frozenset[str]], p: float
) -> tuple[list[str], list[bool]]:
    """Word deletion on a batch, protected words and VADER's windows kept: each piece between spaces draws
    once (SHAKE-128 of its row's key, :func:`~reviewaug.augment.core.key_uniforms`), and one that draws below
    ``p`` is deleted when it is a bare free word (not protected, not a word VADER's rules read, not part of one
    of its phrases) with no word of VADER valence (or "but") within three words of it. A text never loses all
    its words (the last deletion drawn stays). A deleted word takes the whitespace before it with it (after
    it, while every word before it goes too). Returns the texts and, for each, whether the deletions provably
    keep VADER's score: they are far from every anchor, and in an ASCII text without tabs or line breaks the
    words are VADER's tokens, so only the capitals flag remains to check. The batch is worked on at once: the
    pieces drawn and their windows are looked up in a :class:`~reviewaug.augment.batch.PieceTable`, the
    windows and edits are numpy arrays, every text is rebuilt in one join.

    Example:
        >>> out, proved = delete_words(["the red cable and the blue strap"], [b"k"], [frozenset({"red"})], 0.5)
        >>> "red" in out[0].split(), len(out[0].split()) < 7
        (True, True)
    """
    n_rows = len(texts)
    outs, proved = list(texts), [False] * n_rows
    if n_rows == 0 or p <= 0:
        return outs, proved
    b = Batch.of(texts)
    u = key_uniforms(
        keys, b.n_pieces, bits=32
    )  # one draw per piece, row after row: the order of the pieces in big
    hit = np.flatnonzero(u < p)
    if not len(hit):
        return outs, proved
    _DEL_TABLE.trim()
    flags = np.full(
        len(b.p_start), -1, dtype=np.int64
    )  # looked up for the pieces drawn and their windows only

    def look(idx: np.ndarray) -> None:
        flags[idx] = _DEL_TABLE.lookup(b, idx)

    look(hit)
    hit = hit[(flags[hit] & 2) != 0]
    # the words of the batch: its non-empty pieces, in order; a hit's window is three words either side
    word_piece = np.flatnonzero(b.p_start != b.p_end)
    word_of = np.cumsum(b.p_start != b.p_end) - 1  # a non-empty piece's index among the words
    words_in = np.bincount(b.piece_row[word_piece], minlength=n_rows)
    w_off = np.concatenate(([0], np.cumsum(words_in)[:-1]))
    w, r = word_of[hit], b.piece_row[hit]
    window = w[:, None] + np.arange(-3, 4)
    inside = (window >= w_off[r][:, None]) & (window < (w_off[r] + words_in[r])[:, None])
    seen = np.zeros(len(word_piece), dtype=bool)
    seen[window[inside]] = True
    seen_piece = word_piece[seen]
    look(seen_piece[flags[seen_piece] < 0])
    near = (flags[word_piece[np.clip(window, 0, len(word_piece) - 1)]] & 1 != 0) & inside
    hit = hit[~near.any(axis=1)]
    rows = b.piece_row[hit]
    gone = np.fromiter(
        map(
            frozenset.__contains__,
            map(protected.__getitem__, rows.tolist()),
            map(str.lower, b.pieces(hit)),
        ),
        dtype=bool,
        count=len(hit),
    )
    for j in np.flatnonzero(flags[hit] & 4).tolist():  # a typographic apostrophe: both spellings
        gone[j] |= b.piece(hit[j]).lower().replace("’", "'") in protected[rows[j]]
    hit, rows = hit[~gone], rows[~gone]
    if not len(hit):
        return outs, proved
    # never every word of a text: where no piece seen in a window keeps a word, count them all; if none is
    # left, the last deletion drawn in the text stays
    deleted = np.zeros(len(b.p_start), dtype=bool)
    deleted[hit] = True
    kept = seen_piece[~deleted[seen_piece]]
    has_word = np.bincount(b.piece_row[kept[flags[kept] & 8 != 0]], minlength=n_rows) > 0
    for t in np.unique(rows[~has_word[rows]]).tolist():
        span = np.arange(b.p_off[t], b.p_off[t] + b.n_pieces[t])
        look(span[flags[span] < 0])
        if not (flags[span[~deleted[span]]] & 8).any():
            last = np.flatnonzero(rows == t)[-1]
            deleted[hit[last]] = False
            hit, rows = np.delete(hit, last), np.delete(rows, last)
    if not len(hit):
        return outs, proved
    # the whitespace before a deleted word goes with it, from the end of the word before; in a run of deleted
    # words that starts the text, the whitespace after it, up to the next word
    w = word_of[hit]
    dropped = np.zeros(len(word_piece) + 1, dtype=np.int64)
    dropped[w + 1] = 1
    dropped = np.cumsum(dropped)  # deleted words before each word index (and at its end)
    leading = dropped[w + 1] - dropped[w_off[rows]] == w - w_off[rows] + 1
    starts = np.where(leading, b.p_start[hit], b.p_end[word_piece[np.maximum(w - 1, 0)]])
    ends = np.where(leading, b.p_start[word_piece[np.minimum(w + 1, len(word_piece) - 1)]], b.p_end[hit])
    changed = np.unique(rows)
    new = b.rebuild(starts, ends, [""] * len(hit), changed)
    # the proof: in an ASCII text without other whitespace the words are VADER's tokens, every deletion is
    # three tokens from any anchor, so only the capitals flag ("some tokens in capitals, not all") is left.
    # It holds when a token seen in a window and kept is not in capitals (so not all are, before or after)
    # and either no deleted word was in capitals or a kept one seen is (so some still are)
    kept = seen_piece[~deleted[seen_piece]]
    upper = flags[kept] & 16 != 0
    lower_kept = np.bincount(b.piece_row[kept[~upper]], minlength=n_rows) > 0
    upper_kept = np.bincount(b.piece_row[kept[upper]], minlength=n_rows) > 0
    lost = np.bincount(rows[flags[hit] & 16 != 0], minlength=n_rows)
    sure = lower_kept & ((lost == 0) | upper_kept) & b.ascii
    sure[b.odd] = False
    n_gone = np.bincount(rows, minlength=n_rows)
    for t in changed[
        ~sure[changed] & b.ascii[changed]
    ].tolist():  # not settled by the windows: count them all
        if t not in b.odd:
            capitals = list(filter(str.isupper, texts[t].split()))
            caps, after = len(capitals), len(capitals) - int(lost[t])
            n, n_after = int(b.n_words[t]), int(b.n_words[t] - n_gone[t])
            # the flag moves: VADER reads it only for words in capitals that it scores or that modify a score
            sure[t] = (0 < caps < n) == (0 < after < n_after) or all(
                _classify(c)[0] == NEUTRAL for c in capitals
            )
    for r, text in zip(changed.tolist(), new):
        outs[r] = text
        proved[r] = bool(sure[r])
    return outs, proved


def random_delete(
    text: str,
    rng: np.random.Generator,
    *,
    p: float = 0.1,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
    near_sentiment: bool = False,
    proofs: dict[str, str] | None = None,
) -> str:
    """Delete each free word with probability ``p``; at least one word always remains.

    With ``respect_protected`` and unless ``near_sentiment``: :func:`delete_words` on a batch of one, its draws
    keyed by 16 bytes of ``rng`` (for many texts, call :func:`delete_words` or :class:`RandomDelete` on all of
    them at once: numpy's fixed cost per call dominates one text) — only a word that is a whole piece between spaces, free (as for
    :func:`random_swap`) and not within three words of a word with a VADER valence (or "but") goes: a
    deletion there shifts the window VADER's rules read around it, so the polarity guard would have to score
    the row with VADER. In sentiment-dense reviews that leaves about a quarter of the words;
    ``near_sentiment=True`` (or no protection) deletes among all free words, drawn from ``rng`` (more variety,
    and the guard scores the rows it cannot prove). The whitespace before a deleted word goes with it (after
    it, for the first word). When the deletions provably keep VADER's score, ``proofs`` (a row's
    :attr:`~reviewaug.augment.core.Row.vader_proofs`) records it.

    Example:
        >>> import numpy as np
        >>> random_delete("keep cable", np.random.default_rng(0), p=1.0, protected=frozenset({"keep"}))
        'keep'
    """
    if p <= 0 or not text:
        return text
    if respect_protected and not near_sentiment:
        (out,), (sure,) = delete_words([text], [rng.bytes(16)], [protected], p)
        if proofs is not None and sure:
            proofs[out] = text
        return out
    pieces, free, n_words, _ = free_words(text, protected, respect_protected)
    if not free:
        return text
    draws = rng.random(len(free)).tolist()
    drop = [free[k] for k, d in enumerate(draws) if d < p]
    if len(drop) >= n_words:  # never delete every word
        del drop[int(rng.integers(len(drop)))]
    if not drop:
        return text
    before = pieces[:]
    out, tokens, removed, rewritten = _drop_words(text, pieces, drop)
    if _WORDS.search(out) is None:  # never delete every word: the last one drawn stays
        if len(drop) == 1:
            return text
        out, tokens, removed, rewritten = _drop_words(text, before[:], drop[:-1])
    if proofs is not None and removed is not None and unchanged_far_from_anchors(tokens, removed, rewritten):
        proofs[out] = text
    return out


def _drop_words(
    text: str, pieces: list[str], drop: list[tuple[int, tuple]]
) -> tuple[str, list[str], list[int] | None, dict[int, str] | None]:
    """``text`` (cut into ``pieces`` at spaces) without the words ``drop`` (``(piece, (start, end, ...))``),
    its whitespace tokens before the edit, and — unless it holds line breaks or tabs — the tokens removed and
    rewritten (for the polarity proof)."""
    if (
        "" not in pieces and text.isprintable()
    ):  # no other whitespace (all of it is non-printable): the tokens
        tokens = pieces[:]
        out, removed, rewritten = _drop_pieces(pieces, drop)
        return out, tokens, removed, rewritten
    tokens = text.split()
    if tokens != pieces:  # line breaks, tabs or runs of spaces
        if list(filter(None, pieces)) != tokens:  # line breaks, tabs (or other whitespace): on the token list
            by_start: dict[int, list[tuple[int, int]]] = {}
            for c, (a, b, *_) in drop:
                by_start.setdefault(c, []).append((a, b))
            starts = list(accumulate(map((1).__add__, map(len, pieces)), initial=0))
            out = _delete_tokens(text, [starts[c] + a for c, spans in by_start.items() for a, _ in spans])
            return out, tokens, None, None  # no proof
        # runs of spaces only: delete on the pieces; the same edit on the tokens (the non-empty pieces) must give
        # the same words, and tells the proof which tokens went
        kept = list(compress(count(), pieces))
        at = dict(zip(kept, count()))
        copy = tokens[:]
        _, removed, rewritten = _drop_pieces(copy, [(at[c], w) for c, w in drop])
        out = _drop_spaced(pieces, drop)
        if copy != out.split():
            return out, tokens, None, None
        return out, tokens, removed, rewritten
    out, removed, rewritten = _drop_pieces(pieces, drop)
    return out, tokens, removed, rewritten


def _drop_pieces(pieces: list[str], drop: list[tuple[int, tuple]]) -> tuple[str, list[int], dict[int, str]]:
    """Delete the words ``drop`` from single-spaced ``pieces`` in place: the joined text, the pieces removed
    and the pieces rewritten (indexes before the edit)."""
    by_piece: dict[int, list[tuple[int, int]]] = {}
    for c, w in drop:
        spans = by_piece.get(c)
        if spans is None:
            by_piece[c] = [(w[0], w[1])]
        else:
            spans.append((w[0], w[1]))
    removed: list[int] = []
    rewritten: dict[int, str] = {}
    for c in sorted(by_piece, reverse=True):  # right to left: gluing to piece c - 1 keeps its offsets
        piece, spans = pieces[c], by_piece[c]
        if len(spans) == 1:  # most pieces lose one word, most of them all of it
            a, b = spans[0]
            piece = "" if a == 0 and b == len(piece) else piece[:a] + piece[b:]
            at_start = a == 0
        else:
            at_start = False
            for a, b in sorted(spans, reverse=True):
                piece = piece[:a] + piece[b:]
                at_start = a == 0
        if not piece:
            del pieces[c]  # the whole piece went, and the space before it (after it, for the first)
            removed.append(c)
        elif at_start and c > 0:
            pieces[c - 1] += piece  # "strings," lost its word: the space before it goes
            del pieces[c]
            removed.append(c)
            rewritten.pop(c, None)
            rewritten[c - 1] = pieces[c - 1]
        else:
            pieces[c] = piece
            rewritten[c] = piece
    return " ".join(pieces), removed, rewritten


def _drop_spaced(pieces: list[str], drop: list[tuple[int, tuple]]) -> str:
    """:func:`_delete_tokens` for a text with runs of spaces but no other whitespace, on its ``pieces``
    (``text.split(" ")``: an empty piece is an extra space) instead of a tokenization of the whole text. A
    deleted word takes the whitespace before it (the run of spaces since the previous word), or the whitespace
    after it when it starts the text; what is left of its piece joins the word before it. Edits ``pieces``."""
    by_piece: dict[int, list[tuple[int, int]]] = {}
    for c, (a, b, *_) in drop:
        by_piece.setdefault(c, []).append((a, b))
    for c in sorted(by_piece, reverse=True):  # right to left: the pieces before c keep their places
        rest, at_start = pieces[c], False
        for a, b in sorted(by_piece[c], reverse=True):
            rest = rest[:a] + rest[b:]
            at_start = a == 0
        if not at_start:  # punctuation before the word stays, and so does the whitespace before the piece
            pieces[c] = rest
            continue
        if c == 0:  # the text starts with the word: no whitespace before it
            if rest:
                pieces[0] = rest
            else:  # the whitespace after it goes
                q = next((k for k in range(1, len(pieces)) if pieces[k]), len(pieces))
                del pieces[:q]
            continue
        prev = c - 1
        while prev >= 0 and not pieces[prev]:
            prev -= 1
        if prev >= 0:  # the spaces between the word before and this one go
            pieces[prev] += rest
            del pieces[prev + 1 : c + 1]
        elif rest:  # only spaces before it: they go, and the rest starts the text
            pieces[c] = rest
            del pieces[:c]
        else:  # only spaces before it and nothing left: one separator stays (the whitespace after the word)
            del pieces[1 : c + 1]
    return " ".join(pieces)


def _delete_tokens(text: str, starts: list[int]) -> str:
    """Delete the words starting at character offsets ``starts``; the whitespace before each deleted word goes
    with it (after it, for the text's first remaining word)."""
    tokens = split_tokens(text)
    at = {o: i for i, o in enumerate(accumulate(map(len, tokens), initial=0))}
    for i in sorted(at[o] for o in starts):
        tokens[i] = ""
        j = i - 1
        while j >= 0 and not tokens[j]:  # the nearest token still there
            j -= 1
        if j >= 0 and tokens[j].isspace():
            tokens[j] = ""
        elif j < 0 and i + 1 < len(tokens) and tokens[i + 1].isspace():
            tokens[i + 1] = ""
    return "".join(tokens)


@dataclass(frozen=True)
class RandomSwap(RowWise):
    """Augmenter: :func:`random_swap` with the row's generator and protected words.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> len(RandomSwap(p=0.2)(["a b c d"], [Row.make("a b c d")]))
        1
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "word_swap"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        """The whole batch through :func:`swap_words` (with protection), each row drawing from its own key."""
        if not self.respect_protected:
            return RowWise.__call__(self, texts, rows)
        return run_batched(self.name, swap_words, texts, rows, self.p)

    def apply(self, text: str, row: Row) -> str:
        """One row without protection (with it, :meth:`__call__` works on the whole batch)."""
        return random_swap(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class RandomDelete(RowWise):
    """Augmenter: :func:`random_delete` with the row's generator and protected words.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> RandomDelete(p=0.0)(["a b"], [Row.make("a b")])
        ['a b']
    """

    p: float = 0.1
    respect_protected: bool = True
    near_sentiment: bool = False
    name: str = "word_delete"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        """The whole batch through :func:`delete_words` (with protection, away from sentiment words), each row
        drawing from its own key; otherwise row by row."""
        if not self.respect_protected or self.near_sentiment:
            return RowWise.__call__(self, texts, rows)
        return run_batched(self.name, delete_words, texts, rows, self.p)

    def apply(self, text: str, row: Row) -> str:
        """One row without protection or with ``near_sentiment`` (else :meth:`__call__` takes the batch)."""
        return random_delete(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            near_sentiment=self.near_sentiment,
            proofs=row.vader_proofs,
        )
