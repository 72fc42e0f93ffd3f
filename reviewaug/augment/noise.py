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
False. Each op is a plain function plus a thin frozen dataclass that feeds it the row's
generator.

Example:
    >>> import numpy as np
    >>> keyboard_typo("great tuner", np.random.default_rng(0), p=1.0, protected=frozenset({"great"}))[:6]
    'great '
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count
from operator import itemgetter

import numpy as np

from reviewaug.augment.batch import Batch, run_batched
from reviewaug.augment.constraints import _PIECES, _memo_lookup, _piece_words, _read_piece, is_protected
from reviewaug.augment.core import Row, RowWise, check_unit, key_uniforms
from reviewaug.augment.polarity import (
    NEUTRAL,
    _classify,
    _phrase_near,
    _tables,
    neutral_at,
    phrase_possible,
    unchanged_by_insertions,
    unchanged_in_place,
)
from reviewaug.augment.tokens import _WORDS, is_word, split_tokens

__all__ = [
    "QWERTY_NEIGHBOURS",
    "OCR_CONFUSIONS",
    "keyboard_typo",
    "typo_words",
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


_Edit = Callable[[str, np.random.Generator], str]


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
    """One pass of word edits: each eligible word gets edit kind ``j`` with probability ``cum[j] - cum[j-1]``.

    The draw is made per space-separated chunk of the text, before any tokenizing: only the chunks that drew an
    edit (about ``cum[-1]`` of them) are cut into tokens and checked, so the cost follows the edits, not the
    length of the review. Every eligible word of a drawn chunk gets the chunk's edit; almost every chunk holds
    one word, and each eligible word is edited with probability ``cum[-1]`` whatever its chunk holds.

    Eligible: a word of at least ``min_len`` characters that is not protected
    (:func:`~reviewaug.augment.constraints.is_protected`). With protection on, a word that VADER's rules read in
    this text ("so", "this" before a sentiment word, "the" of "the bomb") is left alone too, and an edit that
    would write such a word or a lexicon word ("bit" -> "but", "god" -> "good") is dropped: noise must neither
    inject sentiment nor move VADER's modifiers, so the polarity guard proves the edit harmless without VADER.
    """
    chunks = text.split(" ")  # " ".join(chunks) == text
    draws = rng.random(len(chunks))
    if len(cum) == 1:  # one kind: the chunks that drew below its rate, found in C without numpy's overhead
        hit = list(compress(count(), map(float(cum[0]).__gt__, draws.tolist())))
        picks = [0] * len(hit)
    else:  # the draw that picked the chunk also picks the kind: kind j when it falls in [cum[j-1], cum[j])
        hits = np.flatnonzero(draws < cum[-1])
        picks = np.searchsorted(cum, draws[hits], side="right").tolist()
        hit = hits.tolist()
    if not hit:
        return text
    before = chunks[:]  # the phrase checks read the text before any edit, with or without a proof
    changed = []
    for c, kind in zip(hit, picks):
        edit, min_len = kinds[kind]
        chunk = chunks[c]
        if respect:  # the piece's words, class and kind are memoized (constraints._piece_words)
            edits = []
            for w in _editable_words(before, c, protected, min_len):
                new = edit(w[2], rng)
                if new.lower() != w[3] and not neutral_at(before, c, new):
                    continue
                edits.append((w[0], w[1], new))
            if edits:
                for a, b, new in reversed(edits):  # right to left: the earlier offsets still hold
                    chunk = new if a == 0 and b == len(chunk) else chunk[:a] + new + chunk[b:]
                chunks[c] = chunk
                changed.append(c)
            continue
        # protection off: every word of at least min_len characters
        toks = [chunk] if chunk.isalpha() else split_tokens(chunk)  # a plain word needs no regex
        done = False
        for i, tok in enumerate(toks):
            if len(tok) < min_len or not (tok[0].isalnum() or tok[0] == "_"):  # words start with \w
                continue
            toks[i] = edit(tok, rng)
            done = True
        if done:
            chunks[c] = "".join(toks)
            changed.append(c)
    out = " ".join(chunks)
    if proofs is not None and changed and _noise_keeps_vader(before, chunks, changed, respect):
        proofs[out] = text
    return out


def _editable_words(pieces: list[str], c: int, protected: frozenset[str], min_len: int) -> list[tuple]:
    """The words of piece ``c`` of ``pieces`` (``text.split(" ")``) the noise pass may edit, as piece-memo
    entries (``constraints._Word``: start, end, word, lowercase...): the word tokens of ``split_tokens(piece)``
    of at least ``min_len`` characters that are not :func:`~reviewaug.augment.constraints.is_protected` and are
    :func:`~reviewaug.augment.polarity.neutral_at` piece ``c``. Read from the memo (each word's class and
    whether it is always protected) with set lookups, and a phrase window only for a phrase word.

    Example:
        >>> [w[2] for w in _editable_words(["the", "cable,", "so", "great"], 1, frozenset(), 2)]
        ['cable']
        >>> _editable_words(["the", "cable", "is", "great"], 3, frozenset(), 2)
        []
    """
    piece = pieces[c]
    out = []
    for w in (_PIECES.get(piece) or _read_piece(piece))[1]:  # the neutral words, negations left out
        if len(w[2]) < min_len or w[3] in protected or (w[4] is not None and w[4] in protected):
            continue
        if w[5] and not neutral_at(pieces, c, w[2]):
            continue
        out.append(w)
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


def _typo(word: str, rng: np.random.Generator) -> str:
    got = _typo_at(word, *rng.random(2).tolist())  # one call for both draws
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


def typo_words(
    texts: Sequence[str], keys: Sequence[bytes], protected: Sequence[frozenset[str]], p: float
) -> tuple[list[str], list[bool]]:
    """:func:`keyboard_typo` on a batch (protection on): each space-separated chunk draws once from SHAKE-128
    of its row's key (:func:`~reviewaug.augment.core.key_uniforms`), and each eligible word of a chunk that drew
    below ``p`` gets a QWERTY neighbour for one letter (two more draws per word of the chunk, further along the
    row's stream). Returns the texts and, for each, whether the typos provably keep VADER's score.

    The rules are :func:`keyboard_typo`'s. A chunk that is one ASCII word (alone, or plain in ASCII punctuation:
    its token reads as the word) takes a short path: its typo is kept when the new word is one no VADER rule
    reads here, and that also proves it (the token's class, key and capitals are the word's; a phrase word's
    window is read only when the text holds a partner word of its phrases). Other chunks, and a new word that is
    a phrase word, go through the general reading of the text. A typo swaps one
    character for one, so every text is rebuilt from the batch's code points in one decode.

    Example:
        >>> out, proved = typo_words(["the cable hums"], [b"k"], [frozenset({"cable"})], 1.0)
        >>> out[0].split()[1], proved
        ('cable', [True])
    """
    n_rows = len(texts)
    outs, proved = list(texts), [False] * n_rows
    if n_rows == 0 or p <= 0:
        return outs, proved
    b = Batch.of(texts)
    u = key_uniforms(keys, b.n_pieces, bits=32)  # one draw per chunk, row after row
    hit = np.flatnonzero(u < p)
    if not len(hit):
        return outs, proved
    chunks = b.pieces(hit)
    infos = _memo_lookup(_PIECES, chunks, _piece_words)
    n_cands = np.fromiter(map(len, map(itemgetter(1), infos)), dtype=np.int64, count=len(hit))
    row = b.piece_row[hit]
    n_draws = np.bincount(row, weights=2 * n_cands, minlength=n_rows).astype(np.int64)
    drawn = np.flatnonzero(n_draws)
    uv = key_uniforms(
        [keys[r] for r in drawn.tolist()], n_draws[drawn], skip=b.n_pieces[drawn], bits=32
    ).tolist()
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

    at_pos: list[int] = []  # where each typo goes in the joined batch, and its character
    new_chars: list[str] = []
    edited: dict[int, list[int]] = {}  # row -> its chunks edited
    general: set[int] = set()  # rows whose proof needs the general check
    at = 0
    starts = b.p_start[hit].tolist()
    firsts = b.p_off[row].tolist()
    for j, (h, r, info, m) in enumerate(zip(hit.tolist(), row.tolist(), infos, n_cands.tolist())):
        first, at = at, at + 2 * m
        if not m:
            continue
        c = h - firsts[j]
        prot = protected[r]
        cands = info[1]
        w = cands[0]
        if m == 1 and w[6] and w[2].isascii() and w[2].isalpha():  # the short path
            if len(w[2]) < 2 or w[3] in prot or (w[5] and not neutral_here(r, c, w[2])):
                continue
            i, ch = _typo_at(w[2], uv[first], uv[first + 1]) or (0, w[2][0])  # an ASCII word always has one
            new = w[2][:i] + ch + w[2][i + 1 :]
            key = new.lower()  # _classify's key and class for a word of ASCII letters, without its memo
            if key in anchors or key in mods:
                continue
            if key in phrases:  # a phrase word written: read where it lands, and prove it on the whole text
                if not neutral_here(r, c, new):
                    continue
                general.add(r)
            at_pos.append(starts[j] + w[0] + i)
            new_chars.append(ch)
            edited.setdefault(r, []).append(c)
            continue
        done = False  # the general reading: keyboard_typo's rules word by word
        for q, w in enumerate(cands):
            if len(w[2]) < 2 or w[3] in prot or (w[4] is not None and w[4] in prot):
                continue
            if w[5] and not neutral_here(r, c, w[2]):
                continue
            got = _typo_at(w[2], uv[first + 2 * q], uv[first + 2 * q + 1])
            if got is None:
                continue
            i, ch = got
            new = w[2][:i] + ch + w[2][i + 1 :]
            if new.lower() != w[3] and not neutral_here(r, c, new):
                continue
            at_pos.append(starts[j] + w[0] + i)
            new_chars.append(ch)
            done = True
        if done:
            edited.setdefault(r, []).append(c)
            general.add(r)
    if not at_pos:
        return outs, proved
    codes = b.codes.copy()
    codes[np.array(at_pos, dtype=np.int64)] = np.fromiter(
        map(ord, new_chars), dtype=np.uint32, count=len(new_chars)
    )
    new_big = codes.tobytes().decode("utf-32-le", "surrogatepass")
    for r, cs in edited.items():  # a typo keeps every length: each text stays where it was
        a = int(b.c_off[r])
        outs[r] = new_big[a : a + int(b.lens[r])]
        proved[r] = r not in general or _noise_keeps_vader(chunks_of(r), outs[r].split(" "), cs, True)
    return outs, proved


def _ocr(word: str, rng: np.random.Generator) -> str:
    spots: list[tuple[int, str]] = []
    low = word.lower()
    for i, c in enumerate(low):
        if c in OCR_CONFUSIONS:
            spots.append((i, c))
        if low[i : i + 2] in _OCR_KEYS_2:
            spots.append((i, low[i : i + 2]))
    if not spots:
        return word
    i, key = spots[int(rng.integers(len(spots)))]
    subs = OCR_CONFUSIONS[key]
    sub = subs[int(rng.integers(len(subs)))]
    if word[i].isupper():
        sub = sub.upper()
    return word[:i] + sub + word[i + len(key) :]


def _swap(word: str, rng: np.random.Generator) -> str:
    pairs = [
        i
        for i in range(len(word) - 1)
        if word[i].isalpha() and word[i + 1].isalpha() and word[i] != word[i + 1]
    ]
    if not pairs:
        return word
    i = pairs[int(rng.integers(len(pairs)))]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _insert(word: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(len(word) + 1))
    near = QWERTY_NEIGHBOURS.get(word[min(i, len(word) - 1)].lower(), "") or _LETTERS
    return word[:i] + near[int(rng.integers(len(near)))] + word[i:]


def _delete(word: str, rng: np.random.Generator) -> str:
    pos = _letter_positions(word)
    if len(pos) < 2:
        return word
    i = pos[int(rng.integers(len(pos)))]
    return word[:i] + word[i + 1 :]


def _case(word: str, rng: np.random.Generator) -> str:
    kind = int(rng.integers(4))
    if kind == 0:
        return word.upper()
    if kind == 1:
        return word.lower()
    if kind == 2:
        return word[:1].upper() + word[1:].lower()
    pos = _letter_positions(word)
    i = pos[int(rng.integers(len(pos)))] if pos else 0
    return word[:i] + word[i : i + 1].swapcase() + word[i + 1 :]


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


_CHAR_KINDS: tuple[tuple[str, Callable[[str, np.random.Generator], str], int], ...] = (
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
    cum = np.cumsum((keyboard, swap, delete, insert, ocr, case))
    if cum[-1] <= 0 or not text:
        return text
    kinds = tuple((fn, max(2, min_len)) for _, fn, min_len in _CHAR_KINDS)
    return _noise_pass(text, rng, cum, kinds, protected, respect_protected, proofs)


def word_duplicate(text: str, rng: np.random.Generator, *, p: float = 0.1, protected: frozenset[str] = frozenset(),
                   respect_protected: bool = True) -> str:  # fmt: skip
    """Each eligible word, with probability ``p``, is written twice ("the the").

    Example:
        >>> import numpy as np
        >>> word_duplicate("not bad", np.random.default_rng(0), p=1.0, protected=frozenset({"bad"}))
        'not bad'
    """
    return _edit_words(text, rng, p, lambda w, _rng: f"{w} {w}", protected, respect_protected, min_len=1)


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


@dataclass(frozen=True)
class KeyboardTypo(RowWise):
    """Augmenter: :func:`keyboard_typo`'s rules, the batch through :func:`typo_words` with each row's key
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

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        """The whole batch through :func:`typo_words` (with protection), each row drawing from its own key;
        otherwise row by row."""
        if not self.respect_protected:
            return RowWise.__call__(self, texts, rows)
        return run_batched(self.name, typo_words, texts, rows, self.p)

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
