"""Noise injection: character typos, word duplication and synonym insertion, and AEDA punctuation.

Character ops pick each eligible word with probability ``p`` and change one character of it: a QWERTY neighbour
(:func:`keyboard_typo`), an OCR confusion (:func:`ocr_noise`), a swap of two adjacent letters
(:func:`char_swap`), an inserted or deleted letter (:func:`char_insert`, :func:`char_delete`) or its casing
(:func:`case_noise`). Word ops duplicate words (:func:`word_duplicate`) or insert a WordNet synonym of a random
word at a random place (:func:`synonym_insert`, EDA's random insertion); random swap and deletion live in
:mod:`reviewaug.augment.word`. :func:`aeda` inserts punctuation marks between words (Karimi et al., "AEDA: An
Easier Data Augmentation Technique for Text Classification", Findings of EMNLP 2021).

Protected words (keywords, sentiment words, negations, numbers, sentiment modifiers such as "very" and "but")
are left alone, and a character edit neither touches nor writes a word that VADER's rules read in the text
(its lexicon, "but", boosters, idiom words: "god" -> "good", "bit" -> "but"), unless ``respect_protected`` is
False. Each op is a plain function plus a thin frozen dataclass that calls it; the character ops'
dataclasses give the whole batch to :func:`noise_words` (each row's draws hashed from its own key), the others
feed the function the row's generator.

Example:
    >>> import numpy as np
    >>> keyboard_typo("great tuner", np.random.default_rng(0), p=1.0, protected=frozenset({"great"}))[:6]
    'great '
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress
from typing import Any, NamedTuple

import numpy as np

from reviewaug.augment.batch import Batch, PackedKeys, run_batched, span_hashes
from reviewaug.augment.constraints import _PIECES, _memo_lookup, _piece_words, _read_piece, is_protected
from reviewaug.augment.core import Row, RowWise, check_unit, key_uniforms
from reviewaug.augment.polarity import (
    NEUTRAL,
    _classify,
    _partners,
    _phrase_near,
    _tables,
    phrase_possible,
    unchanged_by_insertions,
    unchanged_in_place,
)
from reviewaug.augment.tokens import _WORDS, is_word, split_tokens

__all__ = [
    "QWERTY_NEIGHBOURS",
    "OCR_CONFUSIONS",
    "keyboard_typo",
    "noise_words",
    "ocr_noise",
    "char_swap",
    "char_insert",
    "char_delete",
    "case_noise",
    "char_noise",
    "word_duplicate",
    "synonym_insert",
    "aeda",
    "KeyboardTypo",
    "OcrNoise",
    "CharSwap",
    "CharInsert",
    "CharDelete",
    "CaseNoise",
    "CharNoise",
    "WordDuplicate",
    "SynonymInsert",
    "Aeda",
]


def _qwerty() -> dict[str, str]:
    rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
    out: dict[str, str] = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = []
            for rr, cc in ((r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)):
                if 0 <= rr < len(rows) and 0 <= cc < len(rows[rr]):
                    near.append(rows[rr][cc])
            out[ch] = "".join(n for n in near if n.isalpha()) if ch.isalpha() else "".join(near)
    return out


QWERTY_NEIGHBOURS: dict[str, str] = _qwerty()
"""Letter → the letters next to it on a QWERTY keyboard (staggered rows)."""

# OCR look-alikes, both ways where it makes sense
OCR_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "o": ("0",),
    "0": ("o",),
    "l": ("1", "I"),
    "i": ("1", "l"),
    "1": ("l",),
    "e": ("c",),
    "c": ("e",),
    "m": ("rn",),
    "rn": ("m",),
    "d": ("cl",),
    "cl": ("d",),
    "w": ("vv",),
    "s": ("5",),
    "b": ("6", "h"),
    "g": ("9", "q"),
    "q": ("g",),
    "z": ("2",),
    "a": ("o",),
    "u": ("v",),
    "v": ("u",),
    "n": ("h",),
    "h": ("n",),
    "t": ("f",),
    "f": ("t",),
}
_OCR_KEYS_2 = tuple(k for k in OCR_CONFUSIONS if len(k) == 2)
_LETTERS_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


_Edit = Callable[[str, float, float], str]  # a word and two uniform draws in [0, 1) -> the word edited


def _edit_words(
    text: str,
    rng: np.random.Generator,
    p: float,
    fn: _Edit,
    protected: frozenset[str],
    respect: bool,
    min_len: int = 2,
    proofs: dict[str, str] | None = None,
) -> str:
    """Apply ``fn`` to each eligible word with probability ``p`` (see :func:`_noise_pass`)."""
    if p <= 0 or not text:
        return text
    return _noise_pass(text, rng, (p,), ((fn, min_len),), protected, respect, proofs)


def _noise_pass(
    text: str,
    rng: np.random.Generator,
    cum: Sequence[float],
    kinds: Sequence[tuple[_Edit, int]],
    protected: frozenset[str],
    respect: bool,
    proofs: dict[str, str] | None = None,
) -> str:
    """One pass of word edits on one text: with protection, :func:`noise_words` on a batch of one (its draws
    keyed by 16 bytes of ``rng``; for many texts give them all to :func:`noise_words` or an augmenter class:
    numpy's fixed cost per call dominates one text); without, each space-separated chunk draws from ``rng`` and
    every word of at least its kind's minimum length in a drawn chunk is edited (two more draws per word)."""
    if respect:
        (out,), (sure,) = noise_words([text], [rng.bytes(16)], [protected], cum, kinds)
        if proofs is not None and sure:
            proofs[out] = text
        return out
    chunks = text.split(" ")  # " ".join(chunks) == text
    draws = rng.random(len(chunks))
    hits = np.flatnonzero(draws < cum[-1])
    if not len(hits):
        return text
    picks = np.searchsorted(cum, draws[hits], side="right").tolist() if len(cum) > 1 else [0] * len(hits)
    for c, kind in zip(hits.tolist(), picks):
        edit, min_len = kinds[kind]
        chunk = chunks[c]
        toks = [chunk] if chunk.isalpha() else split_tokens(chunk)  # a plain word needs no regex
        done = False
        for i, tok in enumerate(toks):
            if len(tok) < min_len or not (tok[0].isalnum() or tok[0] == "_"):  # words start with \w
                continue
            u, v = rng.random(2).tolist()
            toks[i] = edit(tok, u, v)
            done = True
        if done:
            chunks[c] = "".join(toks)
    return " ".join(chunks)


def _editable_words(
    words: Sequence[tuple], neutral: Callable[[str], bool], protected: frozenset[str], min_len: int
) -> list[tuple[int, tuple]]:
    """The words of a chunk the noise pass may edit, with their places in ``words`` (the chunk's neutral words,
    negations left out, as the piece memo lists them: ``constraints._Word``: start, end, word, lowercase...):
    those of at least ``min_len`` characters that are not
    :func:`~reviewaug.augment.constraints.is_protected` and for which ``neutral`` (no VADER rule reads the word
    where the chunk stands: :func:`~reviewaug.augment.polarity.neutral_at`) holds; it is asked only about a
    phrase word.

    Example:
        >>> from reviewaug.augment.constraints import _piece_words
        >>> text = ["the", "cable,", "so", "great"]
        >>> [w[2] for _, w in _editable_words(_piece_words("cable,")[1], lambda t: neutral_at(text, 1, t), frozenset(), 2)]
        ['cable']
    """
    out = []
    for q, w in enumerate(words):
        if len(w[2]) < min_len or w[3] in protected or (w[4] is not None and w[4] in protected):
            continue
        if w[5] and not neutral(w[2]):
            continue
        out.append((q, w))
    return out


def _noise_keeps_vader(before: list[str], after: list[str], changed: list[int], respect: bool) -> bool:
    """:func:`~reviewaug.augment.polarity.unchanged_in_place` for one :func:`_noise_pass` (the same answer),
    without reading again what the pass read. With protection, the edited word of a chunk that is one word of
    letters before and after was found neutral in the text before (:func:`~reviewaug.augment.polarity.neutral_at`:
    the check's old side), and such a chunk holds no ``!``/``?`` and stays one token: only the new word is read
    (its class, and its phrases in the text after every edit). The other chunks go through the general check,
    which also settles a change in the count of words in capitals."""
    if not respect:
        return unchanged_in_place(before, after, changed)
    phrases = _tables()[2]
    caps = 0
    other = []
    for c in changed:
        a, b = before[c], after[c]
        if not (a.isalpha() and b.isalpha()):
            other.append(c)
            continue
        if a == b:
            continue
        caps += a.isupper() - b.isupper()
        cls, key = _classify(b)
        if cls != NEUTRAL:
            return False
        ph = phrases.get(key)
        if ph and _phrase_near(after, c, key, ph):
            return False
    return (not other and caps == 0) or unchanged_in_place(before, after, other, caps=caps)


def _letter_positions(word: str) -> list[int]:
    return [i for i, c in enumerate(word) if c.isalpha()]


_TYPO_KEYS = frozenset(k for k in QWERTY_NEIGHBOURS if k.isalpha()) | frozenset(_LETTERS_UPPER)


def _typo(word: str, u: float, v: float) -> str:
    got = _typo_at(word, u, v)
    return word if got is None else word[: got[0]] + got[1] + word[got[0] + 1 :]


def _typo_at(word: str, u_pos: float, u_key: float) -> tuple[int, str] | None:
    """Where :func:`_typo` puts a QWERTY neighbour in ``word`` and which, from two uniform draws (None: no letter
    has neighbours)."""
    if word.isascii() and word.isalpha():  # every letter is a key (_TYPO_KEYS: the ASCII letters)
        i = int(u_pos * len(word))
    else:
        pos = [i for i, c in enumerate(word) if c in _TYPO_KEYS]
        if not pos:
            return None
        i = pos[int(u_pos * len(pos))]
    near = QWERTY_NEIGHBOURS[word[i].lower()]
    ch = near[int(u_key * len(near))]
    return i, (ch.upper() if word[i].isupper() else ch)


_QWERTY_TABLE: tuple[np.ndarray, np.ndarray] | None = None


def _qwerty_table() -> tuple[np.ndarray, np.ndarray]:
    """QWERTY_NEIGHBOURS of the 26 lowercase letters as code points (padded) and their counts."""
    global _QWERTY_TABLE
    if _QWERTY_TABLE is None:
        letters = [chr(c) for c in range(97, 123)]
        near = np.zeros((26, max(len(QWERTY_NEIGHBOURS[x]) for x in letters)), dtype=np.uint32)
        for i, x in enumerate(letters):
            near[i, : len(QWERTY_NEIGHBOURS[x])] = [ord(c) for c in QWERTY_NEIGHBOURS[x]]
        _QWERTY_TABLE = near, np.array([len(QWERTY_NEIGHBOURS[x]) for x in letters], dtype=np.int64)
    return _QWERTY_TABLE


# edits noise_words makes in compiled code on chunks that are one ASCII word of letters (the result is letters
# too), by their number in kernels.edit_word (kernels.EDIT_TYPO, EDIT_SWAP, EDIT_DELETE, EDIT_INSERT); filled
# below the edits
_COMPILED_EDITS: dict[Callable[..., str], int] = {}
_RULE_HASHES: np.ndarray | None = None


def _rule_hashes() -> np.ndarray:
    """Sorted hashes (:func:`~reviewaug.augment.batch.span_hashes`) of every word of ASCII letters a VADER rule
    may read (its lexicon, "but", modifiers, phrase words)."""
    global _RULE_HASHES
    if _RULE_HASHES is None:
        anchors, mods, phrases = _tables()
        words = sorted(w for w in (anchors | mods | set(phrases)) if w.isascii() and w.isalpha())
        codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype="<u4")
        lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        _RULE_HASHES = np.sort(span_hashes(codes, lens))
    return _RULE_HASHES


def _packed_letters(word: str) -> int:
    """A word of 2-12 lowercase ASCII letters as ``kernels._token_bits`` packs it: 5 bits a letter."""
    key = 0
    for ch in word:
        key = (key << 5) | (ord(ch) - 96)
    return key


class _Pieces:
    """The pieces a noise pass has drawn, each read once per process into a row of ``cols``
    (``kernels.N_CANDS``...: its number of words a pass may edit, and when it is one ASCII word of letters that a
    pass may edit, alone or plain in ASCII punctuation, the word's shape, start, length and the bits of the partner
    words of its phrases) and its lowercase word (for the protected words); found again by
    :class:`~reviewaug.augment.batch.PackedKeys` (pieces of at most 15 ASCII code points) or by their string."""

    def __init__(self) -> None:
        partners = sorted(frozenset().union(*(_partners(ph, k) for k, ph in _tables()[2].items())))
        if not all(w.isascii() and w.isalpha() and w.islower() and 2 <= len(w) <= 12 for w in partners):
            raise RuntimeError(f"VADER's phrase partners are not all words of 2-12 letters: {partners}")
        packed = sorted((_packed_letters(w), w) for w in partners)
        self.pkeys = np.array([k for k, _ in packed], dtype=np.uint64)  # sorted; bit i for pkeys[i]
        self.bit = {w: 1 << i for i, (_, w) in enumerate(packed)}
        self.forget()

    def forget(self) -> None:
        """Start afresh: no piece read."""
        self.ids: dict[str, int] = {}
        self.keys = PackedKeys()
        self.cols = np.zeros((1024, 5), dtype=np.int64)
        self.lows: list[str] = []
        self._new: list[tuple[int, ...]] = []

    def _read(self, piece: str) -> int:
        info = _PIECES.get(piece)
        cands = (info if info is not None else _read_piece(piece))[1]
        w = cands[0] if len(cands) == 1 else None
        if w is not None and w[6] and w[2].isascii() and w[2].isalpha():
            mask = 0
            if w[5]:
                for p in _partners(_tables()[2][w[3]], w[3]):
                    mask |= self.bit[p]
            self._new.append((1, w[6], w[0], len(w[2]), mask))
            self.lows.append(w[3])
        else:
            self._new.append((len(cands), 0, 0, 0, 0))
            self.lows.append("")
        return len(self.lows) - 1

    def lookup(self, b: Batch, hit: np.ndarray) -> np.ndarray:
        """The rows of the pieces ``hit`` of ``b`` (new ones read and stored)."""
        if len(self.ids) > 500_000:  # typo'd spellings keep coming: start afresh (between batches only)
            self.forget()
        starts, ends = b.p_start[hit], b.p_end[hit]
        ids, unknown = self.keys.values(b.codes, starts, ends)
        if len(unknown):
            got = self.ids
            vals = []
            for piece in b.pieces(hit[unknown]):
                v = got.get(piece)
                if v is None:
                    v = got[piece] = self._read(piece)
                vals.append(v)
            ids[unknown] = vals
            if self._new:
                n0 = len(self.lows) - len(self._new)
                if len(self.lows) > len(self.cols):
                    grown = np.zeros((2 * len(self.lows), 5), dtype=np.int64)
                    grown[:n0] = self.cols[:n0]
                    self.cols = grown
                self.cols[n0 : len(self.lows)] = self._new
                self._new = []
            self.keys.insert(b.codes, starts, ends, unknown, ids[unknown])
        return ids


_TABLE: list[_Pieces] = []  # the process's table, made on first use


def _pieces_table() -> _Pieces:
    if not _TABLE:
        _TABLE.append(_Pieces())
    return _TABLE[0]


class _Edits(NamedTuple):
    settled: np.ndarray  # hits settled here: a protected or short word, an edit that changed nothing, or an
    # edit made (the ones below)
    hits: np.ndarray  # the hits edited, in order
    starts: np.ndarray  # where each edited word starts and ends in the batch's code points
    ends: np.ndarray
    codes: np.ndarray  # the new words, end to end
    lens: np.ndarray


def _compiled_edits(b: Batch, hit: np.ndarray, row: np.ndarray, kind: np.ndarray, ids: np.ndarray, tab: _Pieces,
                    protected: Sequence[frozenset[str]], kinds: Sequence[tuple[_Edit, int]], firsts: np.ndarray,
                    uv: np.ndarray) -> _Edits:  # fmt: skip
    """noise_words' short path in compiled code (``kernels.noise_edits``) for the hits whose chunk is one ASCII
    word of letters (alone or plain in ASCII punctuation) and whose edit has a compiled form
    (:data:`_COMPILED_EDITS`): the same rules and draws. A phrase word with a partner word of its phrases among
    the tokens of its window (``polarity._phrase_near``'s), and an edit the short path would not prove (a new
    word a VADER rule may read, found by hash; capitals changed; a word in punctuation cut to two letters) are
    left to the general loop: that is rare."""
    none = np.empty(0, dtype=np.int64)
    empty = _Edits(none, none, none, none, np.empty(0, dtype=np.uint32), none)
    code_of = np.array([_COMPILED_EDITS.get(edit, -1) for edit, _ in kinds], dtype=np.int64)
    if (code_of < 0).all():
        return empty
    from reviewaug.augment import kernels as K

    cols = tab.cols
    code = code_of[kind]
    cand = np.flatnonzero((code >= 0) & (cols[ids, K.N_SHAPE] > 0))
    if not len(cand):
        return empty
    c_ids = ids[cand]
    skip = cols[c_ids, K.N_LEN] < np.array([m for _, m in kinds], dtype=np.int64)[kind[cand]]
    skip |= np.fromiter(
        map(frozenset.__contains__, map(protected.__getitem__, row[cand].tolist()), map(tab.lows.__getitem__, c_ids.tolist())),
        dtype=bool,
        count=len(cand),
    )  # fmt: skip
    settled = np.zeros(len(hit), dtype=bool)
    settled[cand[skip]] = True
    go = cand[~skip]
    out = np.empty(int(cols[ids[go], K.N_LEN].sum()) + len(go), dtype=np.uint32)
    e_hit, e_start, e_end, e_len = (np.empty(len(go), dtype=np.int64) for _ in range(4))
    near, count = _qwerty_table()
    ne = K.noise_edits(
        b.codes, b.p_start, b.p_end, b.p_off, b.n_pieces, hit, row, firsts, code, go, ids, cols, uv, tab.pkeys,
        near, count, _rule_hashes(), out, e_hit, e_start, e_end, e_len, settled,
    )  # fmt: skip
    e_len = e_len[:ne]
    return _Edits(
        np.flatnonzero(settled), e_hit[:ne], e_start[:ne], e_end[:ne], out[: int(e_len.sum())], e_len
    )


def noise_words(
    texts: Sequence[str],
    keys: Sequence[bytes],
    protected: Sequence[frozenset[str]],
    cum: Sequence[float],
    kinds: Sequence[tuple[_Edit, int]],
) -> tuple[list[str], list[bool]]:
    """One pass of word edits on a batch, protected words and VADER's words kept: each space-separated chunk
    draws once from SHAKE-128 of its row's key (:func:`~reviewaug.augment.core.key_uniforms`), and a chunk
    whose draw falls in ``[cum[j-1], cum[j])`` gets edit kind ``j`` (``kinds[j]``: an edit and its minimum word
    length) on each of its eligible words, two more draws per word of the chunk further along the row's stream.
    Returns the texts and, for each, whether the edits provably keep VADER's score
    (:func:`~reviewaug.augment.polarity.unchanged_in_place`'s rule).

    Eligible: a word of at least the kind's length that is not protected
    (:func:`~reviewaug.augment.constraints.is_protected`) and that no VADER rule reads here (its lexicon,
    modifiers, "but", a phrase word next to its phrase), in a chunk none of whose tokens VADER reads
    ("didn't.The" stays whole); an edit that would write such a word ("bit" -> "but", "god" -> "good") is
    dropped, so noise neither touches nor injects sentiment.

    A chunk that is one ASCII word (alone, or plain in ASCII punctuation: its token reads as the word) takes a
    short path: the edit is kept when the new word is one no rule reads (a phrase word's window is read only when
    the text holds a partner word of its phrases), and that proves it unless the capitals or the token's reading
    change. Where the word is of ASCII letters and its edit has a compiled form (typo, letter swap, drop and
    insertion: :data:`_COMPILED_EDITS`), the short path runs in compiled code for all such chunks of the batch at
    once (:func:`_compiled_edits`: the same draws, the same words, the same proofs; a new word that a rule may
    read, found by a hash, and a phrase word in a text holding a partner of its phrases go back to the loop).
    Other chunks go through the general reading of the whole text. Only the drawn chunks are read, each distinct
    one once per process (:class:`_Pieces`); the batch is cut and rebuilt at once
    (:class:`~reviewaug.augment.batch.Batch`).

    Example:
        >>> out, proved = noise_words(["the cable hums"], [b"k"], [frozenset({"cable"})], [1.0], [(_typo, 2)])
        >>> out[0].split()[1], proved
        ('cable', [True])
    """
    n_rows = len(texts)
    outs, proved = list(texts), [False] * n_rows
    if n_rows == 0 or cum[-1] <= 0:
        return outs, proved
    b = Batch.of(texts)
    u = key_uniforms(keys, b.n_pieces, bits=32)  # one draw per chunk, row after row
    hit = np.flatnonzero(u < cum[-1])
    if not len(hit):
        return outs, proved
    kind_arr = (
        np.searchsorted(np.asarray(cum), u[hit], side="right") if len(cum) > 1 else np.zeros(len(hit), int)
    )
    kind = kind_arr.tolist()
    tab = _pieces_table()
    ids = tab.lookup(b, hit)
    n_cands = tab.cols[ids, 0]  # kernels.N_CANDS
    row = b.piece_row[hit]
    n_draws = np.bincount(row, weights=2 * n_cands, minlength=n_rows).astype(np.int64)
    drawn = np.flatnonzero(n_draws)
    uv_arr = key_uniforms([keys[r] for r in drawn.tolist()], n_draws[drawn], skip=b.n_pieces[drawn], bits=32)
    uv = uv_arr.tolist()
    firsts = np.cumsum(2 * n_cands) - 2 * n_cands  # each hit's first draw in uv
    before: dict[int, list[str]] = {}  # a row's chunks, split only for the general reading

    def chunks_of(r: int) -> list[str]:
        got = before.get(r)
        if got is None:
            got = before[r] = texts[r].split(" ")
        return got

    anchors, mods, phrases = _tables()
    lows: dict[int, tuple[str, dict[str, bool]]] = {}

    def neutral_here(r: int, c: int, token: str) -> bool:  # neutral_at chunk c of text r, read lazily
        cls, key = _classify(token)
        if cls != NEUTRAL:
            return False
        ph = phrases.get(key)
        if not ph:
            return True
        low = lows.get(r)
        if low is None:
            low = lows[r] = (texts[r].lower(), {})
        return not (phrase_possible(low[0], key, low[1]) and _phrase_near(chunks_of(r), c, key, ph))

    fast = _compiled_edits(b, hit, row, kind_arr.astype(np.int64), ids, tab, protected, kinds, firsts, uv_arr)
    spans: list[tuple[int, str]] = []  # (chunk in the batch, its new text), in order
    edited: dict[int, list[tuple[int, str]]] = {}  # row -> its chunks edited (index, new text)
    general: set[int] = set()  # rows whose proof needs the general check
    loop = n_cands > 0
    loop[fast.settled] = False
    todo = np.flatnonzero(loop)
    hits, rows, cs = hit[todo].tolist(), row[todo].tolist(), (hit - b.p_off[row])[todo].tolist()
    chunks = b.pieces(hit[todo])
    infos = _memo_lookup(_PIECES, chunks, _piece_words)
    for j, h, r, c, first, chunk, info in zip(
        todo.tolist(), hits, rows, cs, firsts[todo].tolist(), chunks, infos
    ):
        k = kind[j]
        m = len(info[1])
        prot = protected[r]
        edit, min_len = kinds[k]
        cands = info[1]
        w = cands[0]
        if m == 1 and w[6] and w[2].isascii() and w[2].isalpha():  # the short path
            if len(w[2]) < min_len or w[3] in prot or (w[5] and not neutral_here(r, c, w[2])):
                continue
            new = edit(w[2], uv[first], uv[first + 1])
            if new == w[2]:
                continue
            low = new.lower()
            sure = True
            if low != w[3]:  # it must write a word no rule reads here
                if new.isascii() and new.isalpha():  # _classify's key and class, without its memo
                    if low in anchors or low in mods:
                        continue
                    if low in phrases:
                        if not neutral_here(r, c, new):
                            continue
                        sure = False  # proved on the whole text, where it landed
                elif not neutral_here(r, c, new):
                    continue
                else:
                    sure = False
            if w[2].isupper() != new.isupper() or (
                w[6] == 1 and not (len(new) > 2 and new.isascii() and "_" not in new)
            ):
                sure = False  # the capitals count moved, or the token may not read as the word
            new_chunk = new if w[6] == 2 else chunk[: w[0]] + new + chunk[w[1] :]
            spans.append((h, new_chunk))
            edited.setdefault(r, []).append((c, new_chunk))
            if not sure:
                general.add(r)
            continue
        if len(info[0]) > 1 and not all(_classify(t)[0] == NEUTRAL for t in chunk.split()):
            continue  # several words in a token VADER reads ("didn't.The": its "n't")
        edits = []  # the general reading: the rules word by word
        for q, w in _editable_words(cands, partial(neutral_here, r, c), prot, min_len):
            new = edit(w[2], uv[first + 2 * q], uv[first + 2 * q + 1])
            if new.lower() != w[3] and not neutral_here(r, c, new):
                continue
            edits.append((w[0], w[1], new))
        if edits:
            new_chunk = chunk
            for a, e, new in reversed(edits):  # right to left: the earlier offsets still hold
                new_chunk = new_chunk[:a] + new + new_chunk[e:]
            if new_chunk != chunk:
                spans.append((h, new_chunk))
                edited.setdefault(r, []).append((c, new_chunk))
                general.add(r)
    if not spans and not len(fast.hits):
        return outs, proved
    at_chunk = np.array([h for h, _ in spans], dtype=np.int64)
    if len(fast.hits):  # the compiled edits' words and the others' chunks, spliced into the batch at once (a
        # join of strings is faster when every new chunk is a string: ops without compiled forms, 1.1x measured)
        strs = [t for _, t in spans]
        lens = np.concatenate((np.fromiter(map(len, strs), dtype=np.int64, count=len(strs)), fast.lens))
        src = np.concatenate(
            (np.frombuffer("".join(strs).encode("utf-32-le", "surrogatepass"), dtype="<u4"), fast.codes)
        )
        starts = np.concatenate((b.p_start[at_chunk], fast.starts))
        order = np.argsort(starts, kind="stable")
        ends = np.concatenate((b.p_end[at_chunk], fast.ends))[order]
        changed = np.unique(np.concatenate((b.piece_row[at_chunk], row[fast.hits])))
        new_texts = b.spliced(starts[order], ends, src, (np.cumsum(lens) - lens)[order], lens[order], changed)
    else:
        changed = np.unique(b.piece_row[at_chunk])
        new_texts = b.rebuild(b.p_start[at_chunk], b.p_end[at_chunk], [t for _, t in spans], changed)
    for r, text in zip(changed.tolist(), new_texts):
        outs[r] = text
        if r in general:
            # the text after every edit (no edit writes a space); the compiled edits prove themselves (their words
            # are neither read by a rule before nor after, their capitals kept), the others are checked
            after = text.split(" ")
            ok = len(after) == len(chunks_of(r))
            proved[r] = ok and _noise_keeps_vader(chunks_of(r), after, [c for c, _ in edited[r]], True)
        else:
            proved[r] = True
    return outs, proved


def _ocr(word: str, u: float, v: float) -> str:
    spots: list[tuple[int, str]] = []
    low = word.lower()
    for i, c in enumerate(low):
        if c in OCR_CONFUSIONS:
            spots.append((i, c))
        if low[i : i + 2] in _OCR_KEYS_2:
            spots.append((i, low[i : i + 2]))
    if not spots:
        return word
    i, key = spots[int(u * len(spots))]
    subs = OCR_CONFUSIONS[key]
    sub = subs[int(v * len(subs))]
    if word[i].isupper():
        sub = sub.upper()
    return word[:i] + sub + word[i + len(key) :]


def _swap(word: str, u: float, v: float) -> str:
    pairs = [
        i
        for i in range(len(word) - 1)
        if word[i].isalpha() and word[i + 1].isalpha() and word[i] != word[i + 1]
    ]
    if not pairs:
        return word
    i = pairs[int(u * len(pairs))]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _insert(word: str, u: float, v: float) -> str:
    i = int(u * (len(word) + 1))
    near = QWERTY_NEIGHBOURS.get(word[min(i, len(word) - 1)].lower(), "") or _LETTERS
    return word[:i] + near[int(v * len(near))] + word[i:]


def _delete(word: str, u: float, v: float) -> str:
    pos = _letter_positions(word)
    if len(pos) < 2:
        return word
    i = pos[int(u * len(pos))]
    return word[:i] + word[i + 1 :]


def _case(word: str, u: float, v: float) -> str:
    kind = int(u * 4)
    if kind == 0:
        return word.upper()
    if kind == 1:
        return word.lower()
    if kind == 2:
        return word[:1].upper() + word[1:].lower()
    pos = _letter_positions(word)
    i = pos[int(v * len(pos))] if pos else 0
    return word[:i] + word[i : i + 1].swapcase() + word[i + 1 :]


_COMPILED_EDITS.update({_typo: 0, _swap: 1, _delete: 2, _insert: 3})  # kernels.EDIT_TYPO ... EDIT_INSERT


def keyboard_typo(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                  respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, gets one letter replaced by a QWERTY neighbour.

    Example:
        >>> import numpy as np
        >>> keyboard_typo("abc", np.random.default_rng(0), p=0.0)
        'abc'
    """
    return _edit_words(text, rng, p, _typo, protected, respect_protected, proofs=proofs)


def ocr_noise(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
              respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, gets one OCR confusion (o→0, rn→m, l→1...).

    Example:
        >>> import numpy as np
        >>> ocr_noise("modern", np.random.default_rng(0), p=1.0) != "modern"
        True
    """
    return _edit_words(text, rng, p, _ocr, protected, respect_protected, proofs=proofs)


def char_swap(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
              respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, gets two adjacent different letters swapped.

    Example:
        >>> import numpy as np
        >>> sorted(char_swap("ab", np.random.default_rng(0), p=1.0))
        ['a', 'b']
    """
    return _edit_words(text, rng, p, _swap, protected, respect_protected, proofs=proofs)


def char_insert(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, gets one extra letter (a neighbour of the key next to it).

    Example:
        >>> import numpy as np
        >>> len(char_insert("word", np.random.default_rng(0), p=1.0))
        5
    """
    return _edit_words(text, rng, p, _insert, protected, respect_protected, proofs=proofs)


def char_delete(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word of three letters or more, with probability ``p``, loses one letter.

    Example:
        >>> import numpy as np
        >>> len(char_delete("word", np.random.default_rng(0), p=1.0))
        3
    """
    return _edit_words(text, rng, p, _delete, protected, respect_protected, min_len=3, proofs=proofs)


def case_noise(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
               respect_protected: bool = True, proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, is upper-cased, lower-cased, capitalized or has one letter's
    case flipped. Sentiment words are protected by default, so VADER's capitals emphasis does not move.

    Example:
        >>> import numpy as np
        >>> case_noise("tuner", np.random.default_rng(0), p=1.0).lower()
        'tuner'
    """
    return _edit_words(text, rng, p, _case, protected, respect_protected, proofs=proofs)


_CHAR_KINDS: tuple[tuple[str, _Edit, int], ...] = (
    ("keyboard", _typo, 2),
    ("swap", _swap, 2),
    ("delete", _delete, 3),
    ("insert", _insert, 2),
    ("ocr", _ocr, 2),
    ("case", _case, 2),
)


def char_noise(text: str, rng: np.random.Generator, *, keyboard: float = 0.0, swap: float = 0.0,
               delete: float = 0.0, insert: float = 0.0, ocr: float = 0.0, case: float = 0.0,
               protected: frozenset[str] = frozenset(), respect_protected: bool = True,
               proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """All character edits in one pass: each eligible word gets a QWERTY typo with probability ``keyboard``,
    a letter swap with probability ``swap``, and so on — at most one edit per word (the rates must sum to at
    most 1). One tokenization and one draw per word, however many kinds are on, so it is several times faster
    than chaining :func:`keyboard_typo`, :func:`char_swap`... (which may also edit a word twice).

    Example:
        >>> import numpy as np
        >>> out = char_noise("the tuner holds tune", np.random.default_rng(0), keyboard=0.5, swap=0.5)
        >>> len(out.split())
        4
    """
    cum, kinds = _char_pass(keyboard, swap, delete, insert, ocr, case)
    if cum[-1] <= 0 or not text:
        return text
    return _noise_pass(text, rng, cum, kinds, protected, respect_protected, proofs)


def _char_pass(*rates: float) -> tuple[np.ndarray, tuple[tuple[_Edit, int], ...]]:
    """The cumulative rates and the (edit, minimum length) kinds of :func:`char_noise`'s pass."""
    return np.cumsum(rates), tuple((fn, max(2, min_len)) for _, fn, min_len in _CHAR_KINDS)


def word_duplicate(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                   respect_protected: bool = True) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, is written twice ("the the").

    Example:
        >>> import numpy as np
        >>> word_duplicate("not bad", np.random.default_rng(0), p=1.0, protected=frozenset({"bad"}))
        'not bad'
    """
    return _edit_words(text, rng, p, lambda w, _u, _v: f"{w} {w}", protected, respect_protected, min_len=1)


def synonym_insert(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                   respect_protected: bool = True, senses: int = 1) -> str:  # fmt: skip
    """EDA's random insertion: ``max(1, round(p · n_words))`` times, insert a synonym of a random eligible word
    at a random word boundary (never between two protected words, which may form one keyword). Synonyms come from :func:`~reviewaug.augment.synonyms.synonyms_for` (no antonyms,
    no VADER-valenced words), uninflected.

    Example:
        >>> import numpy as np
        >>> synonym_insert("ok", np.random.default_rng(0), p=0.5)
        'ok'
    """
    if p <= 0 or not text:
        return text
    from reviewaug.augment.synonyms import STOP_WORDS, _lemma, synonyms_for, wordnet_pos_of

    tokens = split_tokens(text)
    words = [i for i, t in enumerate(tokens) if is_word(t)]
    cands = []
    for i in words:
        t = tokens[i]
        low = t.lower()
        if (
            len(t) < 3
            or not t.isalpha()
            or low in STOP_WORDS
            or (respect_protected and is_protected(t, protected))
        ):
            continue
        if wordnet_pos_of(low, senses):
            cands.append(i)
    if not cands:
        return text
    n = max(1, int(round(p * len(words))))
    # no insertion between two protected words: they may be one keyword ("acoustic guitar") or a negation and
    # the word it negates
    slots = [
        w
        for k, w in enumerate(words)
        if not (
            respect_protected
            and k > 0
            and is_protected(tokens[words[k - 1]], protected)
            and is_protected(tokens[w], protected)
        )
    ] or words
    inserts: list[tuple[int, str]] = []
    for _ in range(n):
        src = tokens[cands[int(rng.integers(len(cands)))]].lower()
        poses = wordnet_pos_of(src, senses)
        pos = poses[int(rng.integers(len(poses)))]
        lem = _lemma(src, pos)
        syns = synonyms_for(lem, pos, senses) if lem else ()
        if not syns:
            continue
        at = slots[int(rng.integers(len(slots)))]
        inserts.append((at, syns[int(rng.integers(len(syns)))]))
    for at, syn in sorted(inserts, key=lambda x: -x[0]):
        tokens.insert(at, syn + " ")
    return "".join(tokens)


def _is_negation(token: str) -> bool:
    from reviewaug.features.sentiment import NEGATIONS

    low = token.lower().replace("’", "'")
    return low in NEGATIONS or low.endswith("n't")


AEDA_MARKS = (".", ";", "?", ":", "!", ",")


def aeda(text: str, rng: np.random.Generator, *, ratio: float = 0.3, marks: tuple[str, ...] = AEDA_MARKS,
         protected: frozenset[str] = frozenset(), respect_protected: bool = True,
         proofs: dict[str, str] | None = None) -> str:  # fmt: skip
    """AEDA: insert between 1 and ``ratio · n_words`` punctuation marks, each as a word of its own before a random
    word (as the paper's code does on the space-separated words).

    With ``respect_protected`` no mark goes within three words after a negation: ``not ; good`` reads as two
    thoughts, and VADER, which looks three tokens back for a negation, would lose it. When the marks provably
    keep VADER's score (no ``!`` or ``?``, none next to a sentiment word), ``proofs`` records it.

    Example:
        >>> import numpy as np
        >>> out = aeda("the tuner holds pitch", np.random.default_rng(0))
        >>> [w for w in out.split() if w.isalpha()]
        ['the', 'tuner', 'holds', 'pitch']
    """
    if not text or ratio <= 0 or not marks:
        return text
    pieces = text.split(" ")
    kinds = _memo_lookup(_AEDA_KIND, pieces, _aeda_kind)  # 0 no word, 1 a word, 2 a negation
    words = list(compress(range(len(pieces)), kinds))
    if not words:
        return text
    slots = words
    if respect_protected and 2 in kinds:
        # VADER looks three tokens back for a negation and counts a lone mark as a token: keep that window clear
        blocked: set[int] = set()
        for j, c in enumerate(words):
            if kinds[c] == 2:
                blocked.update(range(j + 1, j + 4))
        slots = [c for j, c in enumerate(words) if j not in blocked]
        if not slots:
            return text
    hi = max(1, int(ratio * len(words)))
    m = len(slots)
    u = rng.random(m + 1 + hi)  # how many, where, which marks: one call
    n = min(m, 1 + int(u[m] * hi))
    where = np.argpartition(u[:m], n - 1)[:n] if n < m else range(m)
    new = {slots[int(k)]: marks[int(x * len(marks))] for k, x in zip(where, u[m + 1 : m + 1 + n].tolist())}
    out = " ".join(chain.from_iterable((new[c], p) if c in new else (p,) for c, p in enumerate(pieces)))
    if proofs is not None and unchanged_by_insertions(pieces, new):
        proofs[out] = text
    return out


_AEDA_KIND: dict[str, int] = {}


def _aeda_kind(piece: str) -> int:
    found = _WORDS.findall(piece)
    return (2 if any(map(_is_negation, found)) else 1) if found else 0


def _noise_call(self: Any, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """``__call__`` of the character ops: with protection, the whole batch through :func:`noise_words` (each
    row drawing from its own key; the op's rates and edits from ``_pass()``); without, row by row."""
    if not self.respect_protected:
        return RowWise.__call__(self, texts, rows)
    cum, kinds = self._pass()
    return run_batched(self.name, partial(_noise_op, cum=cum, kinds=kinds), texts, rows, float(cum[-1]))


def _noise_op(
    texts: Sequence[str],
    keys: Sequence[bytes],
    protected: Sequence[frozenset[str]],
    _p: float,
    *,
    cum: Sequence[float],
    kinds: Sequence[tuple[_Edit, int]],
) -> tuple[list[str], list[bool]]:
    return noise_words(texts, keys, protected, cum, kinds)


@dataclass(frozen=True)
class KeyboardTypo(RowWise):
    """Augmenter: :func:`keyboard_typo`'s rules, the batch through :func:`noise_words` with each row's key
    (row by row, from its generator, with ``respect_protected=False``).

    Example:
        >>> from reviewaug.augment.core import Row
        >>> KeyboardTypo(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "keyboard"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_typo, 2),)

    def apply(self, text: str, row: Row) -> str:
        return keyboard_typo(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class OcrNoise(RowWise):
    """Augmenter: :func:`ocr_noise`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> OcrNoise(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "ocr"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_ocr, 2),)

    def apply(self, text: str, row: Row) -> str:
        return ocr_noise(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class CharSwap(RowWise):
    """Augmenter: :func:`char_swap`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> CharSwap(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "char_swap"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_swap, 2),)

    def apply(self, text: str, row: Row) -> str:
        return char_swap(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class CharInsert(RowWise):
    """Augmenter: :func:`char_insert`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> CharInsert(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "char_insert"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_insert, 2),)

    def apply(self, text: str, row: Row) -> str:
        return char_insert(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class CharDelete(RowWise):
    """Augmenter: :func:`char_delete`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> CharDelete(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "char_delete"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_delete, 3),)

    def apply(self, text: str, row: Row) -> str:
        return char_delete(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class CaseNoise(RowWise):
    """Augmenter: :func:`case_noise`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> CaseNoise(p=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "case"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return (self.p,), ((_case, 2),)

    def apply(self, text: str, row: Row) -> str:
        return case_noise(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )


@dataclass(frozen=True)
class WordDuplicate(RowWise):
    """Augmenter: :func:`word_duplicate`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> WordDuplicate(p=0.0)(["a b"], [Row.make("a b")])
        ['a b']
    """

    p: float = 0.1
    respect_protected: bool = True
    name: str = "word_duplicate"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    def apply(self, text: str, row: Row) -> str:
        return word_duplicate(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
        )


@dataclass(frozen=True)
class SynonymInsert(RowWise):
    """Augmenter: :func:`synonym_insert` (EDA's random insertion).

    Example:
        >>> from reviewaug.augment.core import Row
        >>> SynonymInsert(p=0.0)(["a b"], [Row.make("a b")])
        ['a b']
    """

    p: float = 0.1
    respect_protected: bool = True
    senses: int = 1
    name: str = "synonym_insert"

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    def apply(self, text: str, row: Row) -> str:
        return synonym_insert(text, row.rng, p=self.p, protected=row.protected,
                              respect_protected=self.respect_protected, senses=self.senses)  # fmt: skip


@dataclass(frozen=True)
class Aeda(RowWise):
    """Augmenter: :func:`aeda` punctuation insertion.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> Aeda(ratio=0.0)(["a b"], [Row.make("a b")])
        ['a b']
    """

    ratio: float = 0.3
    marks: tuple[str, ...] = AEDA_MARKS
    respect_protected: bool = True
    name: str = "aeda"

    def __post_init__(self) -> None:
        if not 0.0 <= self.ratio <= 1.0:
            raise ValueError(f"Aeda(ratio=...) must lie in [0, 1], got {self.ratio}")
        object.__setattr__(self, "marks", tuple(self.marks))  # TOML gives lists

    def apply(self, text: str, row: Row) -> str:
        return aeda(text, row.rng, ratio=self.ratio, marks=self.marks, protected=row.protected,
                    respect_protected=self.respect_protected, proofs=row.vader_proofs)  # fmt: skip


@dataclass(frozen=True)
class CharNoise(RowWise):
    """Augmenter: :func:`char_noise`, every character edit kind at its own rate in one pass.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> CharNoise(keyboard=0.0)(["abc"], [Row.make("abc")])
        ['abc']
    """

    keyboard: float = 0.0
    swap: float = 0.0
    delete: float = 0.0
    insert: float = 0.0
    ocr: float = 0.0
    case: float = 0.0
    respect_protected: bool = True
    name: str = "char_noise"

    def __post_init__(self) -> None:
        rates = (self.keyboard, self.swap, self.delete, self.insert, self.ocr, self.case)
        if any(not 0.0 <= r <= 1.0 for r in rates) or sum(rates) > 1.0:
            raise ValueError(f"CharNoise rates must lie in [0, 1] and sum to at most 1, got {rates}")

    __call__ = _noise_call

    def _pass(self) -> tuple[Sequence[float], Sequence[tuple[_Edit, int]]]:
        return _char_pass(self.keyboard, self.swap, self.delete, self.insert, self.ocr, self.case)

    def apply(self, text: str, row: Row) -> str:
        return char_noise(
            text,
            row.rng,
            keyboard=self.keyboard,
            swap=self.swap,
            delete=self.delete,
            insert=self.insert,
            ocr=self.ocr,
            case=self.case,
            protected=row.protected,
            respect_protected=self.respect_protected,
            proofs=row.vader_proofs,
        )
