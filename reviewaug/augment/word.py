"""Word-level noise: random swap and random deletion (two of Wei & Zou's EDA ops), protected words kept.

Each op is a plain function holding the logic and a thin frozen dataclass that calls it with the row's
generator and protected words.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> out = random_swap("the tuner is great", rng, p=0.5, protected=frozenset({"great"}))
    >>> out.endswith("great")
    True
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, compress, count

import numpy as np

from reviewaug.augment.constraints import _PIECES, _read_piece, free_words
from reviewaug.augment.core import Row, RowWise, check_unit
from reviewaug.augment.polarity import (
    neutral_at,
    unchanged_far_from_anchors,
    unchanged_in_place,
)
from reviewaug.augment.tokens import _WORDS, split_tokens

__all__ = ["random_swap", "random_delete", "RandomSwap", "RandomDelete"]


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

    Free: not protected, and not a word VADER's rules read (:func:`~reviewaug.augment.constraints.free_words`),
    unless ``respect_protected`` is False. Whitespace and punctuation stay in place; only words move. With
    protection, the words are drawn by rejection (a random piece between spaces, kept when it holds a free
    word), so only the drawn pieces are read; a text with few free words falls back to listing them all. When
    the swap provably keeps VADER's score, ``proofs`` (a row's
    :attr:`~reviewaug.augment.core.Row.vader_proofs`) records it for the polarity guard.

    Example:
        >>> import numpy as np
        >>> sorted(random_swap("a b c", np.random.default_rng(1), p=1.0).split()) == ["a", "b", "c"]
        True
    """
    if p <= 0 or not text:
        return text
    if not respect_protected:
        return _swap_listed(text, rng, p, protected, respect_protected)
    pieces = text.split(" ")
    n_swaps = max(1, int(round(p * _n_words(text, pieces))))
    memo: dict[str, bool] = {}  # phrase_possible per phrase word, shared by the draw and the proof
    slots, low = _draw_free(text, pieces, protected, rng, 2 * n_swaps, memo)
    if slots is None:  # few free words: list them all
        return _swap_listed(text, rng, p, protected, respect_protected)
    words = dict(zip(slots, slots))
    it = iter(slots)
    for a, b in zip(it, it):
        words[a], words[b] = words[b], words[a]
    moved = sorted((s, w) for s, w in words.items() if w[2] != s[2])
    if not moved:
        return text
    for s, w in reversed(moved):  # right to left: a piece's earlier offsets still hold
        c = s[0]
        pieces[c] = w[2] if s[4] == 2 else pieces[c][: s[1]] + w[2] + pieces[c][s[3] :]
    out = " ".join(pieces)
    if proofs is not None and _swap_keeps_vader(text, out, pieces, moved, low, memo):
        proofs[out] = text
    return out


def _swap_keeps_vader(
    text: str,
    out: str,
    pieces: list[str],
    moved: list[tuple[tuple, tuple]],
    low: str | None,
    memo: dict[str, bool],
) -> bool:
    """Does the swap ``moved`` (``(slot, word put there)``, both :func:`_draw_free` slots) keep VADER's score?
    A piece that is its word, or a plain word in ASCII punctuation that gets a plain word (shapes, see
    ``constraints._Word``), reads as the word before and after: both neutral (drawn free), no ``!``/``?``
    moved, only the capitals to count; a phrase word was drawn away from its phrases, so only one in its new
    place needs reading. The other edited pieces go through the general check
    (:func:`~reviewaug.augment.polarity.unchanged_in_place`), which also settles the capitals.

    ``low`` (``text`` lowercased, or None) and ``memo``: the draw's
    :func:`~reviewaug.augment.polarity.phrase_possible` answers, which hold for ``out`` too: a swap moves whole
    words between places whose neighbours are not letters or digits, so the runs of letters and digits a
    partner test reads are the same in both texts, only in another order."""
    other = set()  # a piece of several words may be edited more than once: checked once
    for s, w in moved:
        if s[4] == 2 or (s[4] and w[6]):
            # a phrase word's key is its lowercase (memo keys are plain words): False there = no phrase possible
            if w[5] and memo.get(w[3]) is not False:
                low = text.lower() if low is None else low
                if not neutral_at(pieces, s[0], w[2].lower(), low, memo):
                    return False
        else:
            other.add(s[0])
    if not other:  # the moved words trade places among themselves: as many in capitals as before
        return True
    caps = sum(s[2].isupper() - w[2].isupper() for s, w in moved if s[4] == 2 or (s[4] and w[6]))
    return unchanged_in_place(text.split(" "), pieces, other, lows=(text.lower(), out.lower()), caps=caps)


def _draw_free(
    text: str,
    pieces: list[str],
    protected: frozenset[str],
    rng: np.random.Generator,
    need: int,
    memo: dict[str, bool],
) -> tuple[list[tuple[int, int, str, int, int, bool, bool]] | None, str | None]:
    """``need`` free words ``(piece, start, word, end, shape, phrase word, plain)`` drawn uniformly by piece
    (then by word within it), no two in a row the same, or None when the draws run out (the text has few free
    words); and ``text`` lowercased if a phrase word was read (else None). Shape and plain: see
    ``constraints._Word``. One uniform per draw: its integer part picks the piece, its fraction the word.
    ``memo``: :func:`~reviewaug.augment.polarity.phrase_possible`'s answers for this text, filled here."""
    n = len(pieces)
    got: list[tuple[int, int, str, int, int, bool, bool]] = []
    low = None  # for phrase words: most texts hold none of their phrases' other words
    get = _PIECES.get
    for _ in range(4):  # at most 4 rounds of 2·need + 8 draws
        us = (rng.random(2 * need + 8) * n).tolist()
        for u, c, info in zip(us, map(int, us), map(get, map(pieces.__getitem__, map(int, us)))):
            if info is None:
                info = _read_piece(pieces[c])
            cands = info[1]
            if not cands:
                continue
            w = cands[int((u - c) * len(cands))] if len(cands) > 1 else cands[0]
            if w[3] in protected or (w[4] is not None and w[4] in protected):
                continue
            if w[5] and memo.get(w[3]) is not False:  # a phrase word next to one of its phrases is read
                low = text.lower() if low is None else low
                if not neutral_at(pieces, c, w[2], low, memo):
                    continue
            slot = (c, w[0], w[2], w[1], w[6], w[5], w[7])
            if len(got) % 2 and got[-1] == slot:
                continue
            got.append(slot)
            if len(got) == need:
                return got, low
    return None, low


def _n_words(text: str, pieces: list[str]) -> int:
    """``len(text.split())`` for ``pieces = text.split(" ")``: without tabs, line breaks or other separators
    (all non-printable) the words are the non-empty pieces, counted without a second split."""
    return len(pieces) - pieces.count("") if text.isprintable() else len(text.split())


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

    Free: as for :func:`random_swap`, and — with ``respect_protected`` and unless ``near_sentiment`` — not within
    three words of a word with a VADER valence (or "but"): a deletion there shifts the window VADER's rules read
    around it, so the polarity guard would have to score the row with VADER. In sentiment-dense reviews that
    leaves about a quarter of the words; ``near_sentiment=True`` deletes among all free words (more variety, and
    the guard scores the rows it cannot prove). The whitespace before a deleted word goes with it (after it, for
    the first word). With protection, one draw per piece between spaces decides: a piece that draws below ``p``
    loses one of its free words (most pieces hold one word). When the deletions provably keep
    VADER's score, ``proofs`` (a row's :attr:`~reviewaug.augment.core.Row.vader_proofs`) records it.

    Example:
        >>> import numpy as np
        >>> random_delete("keep cable", np.random.default_rng(0), p=1.0, protected=frozenset({"keep"}))
        'keep'
    """
    if p <= 0 or not text:
        return text
    quiet = False  # every deletion drawn at least three tokens from an anchor
    if respect_protected and not near_sentiment:
        pieces = text.split(" ")
        drop = _draw_deletions(pieces, protected, rng, p)
        if not drop:
            return text
        quiet = True
    else:
        pieces, free, n_words, anchors = free_words(text, protected, respect_protected)
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
    if (
        proofs is not None
        and removed is not None
        and unchanged_far_from_anchors(tokens, removed, rewritten, windows_checked=quiet)
    ):
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


def _draw_deletions(
    pieces: list[str], protected: frozenset[str], rng: np.random.Generator, p: float
) -> list[tuple[int, tuple]]:
    """The words :func:`random_delete` drops with protection on, as ``(piece, word)``: one draw per piece
    between spaces; a piece that drew below ``p`` loses one of its free words (the draw's fraction picks it)
    unless a word within three of it (counting words, not extra spaces) has a VADER valence."""
    draws = rng.random(len(pieces)).tolist()
    hit = list(compress(count(), map(float(p).__gt__, draws)))  # the pieces that drew below p, in C
    if not hit:
        return []
    # every piece's words and anchor flag from the piece memo, looked up in C; a piece seen for the first time
    # is read only when a drawn piece or a window needs it
    infos = list(map(_PIECES.get, pieces))
    # runs of spaces: the window counts words, not pieces (an empty piece is an extra space)
    words_at = list(compress(count(), pieces)) if "" in pieces else None  # the non-empty pieces
    n = len(pieces)
    out = []
    low, memo = None, {}  # for phrase words: most texts hold none of their phrases' other words
    for c in hit:
        info = infos[c]
        if info is None:
            info = infos[c] = _read_piece(pieces[c])
        cands = info[1]
        if not cands:
            continue
        if words_at is None:
            window = range(max(0, c - 3), min(n, c + 4))
        else:
            t = bisect_left(words_at, c)  # c holds a word: it is one of them
            window = words_at[max(0, t - 3) : t + 4]
        for k in window:  # an anchor within three words: no deletion here
            info = infos[k]
            if info is None:
                info = infos[k] = _read_piece(pieces[k])
            if info[2]:
                break
        else:
            free = []
            for w in cands:
                if w[3] in protected or (w[4] is not None and w[4] in protected):
                    continue
                if w[5]:
                    low = " ".join(pieces).lower() if low is None else low
                    if not neutral_at(pieces, c, w[2], low, memo):
                        continue
                free.append(w)
            if free:
                out.append((c, free[int(draws[c] / p * len(free))]))
    return out


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

    def apply(self, text: str, row: Row) -> str:
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

    def apply(self, text: str, row: Row) -> str:
        return random_delete(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            near_sentiment=self.near_sentiment,
            proofs=row.vader_proofs,
        )
