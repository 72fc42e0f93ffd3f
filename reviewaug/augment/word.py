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
from itertools import accumulate

import numpy as np

from reviewaug.augment.constraints import free_words
from reviewaug.augment.core import Row, RowWise
from reviewaug.augment.tokens import split_tokens

__all__ = ["random_swap", "random_delete", "RandomSwap", "RandomDelete"]


def random_swap(
    text: str,
    rng: np.random.Generator,
    *,
    p: float = 0.1,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
) -> str:
    """Swap ``max(1, round(p · n))`` random pairs of free words (n = number of words).

    Free: not protected, and not a word VADER's rules read (:func:`~reviewaug.augment.constraints.free_words`),
    unless ``respect_protected`` is False. Whitespace and punctuation stay in place; only words move.

    Example:
        >>> import numpy as np
        >>> sorted(random_swap("a b c", np.random.default_rng(1), p=1.0).split()) == ["a", "b", "c"]
        True
    """
    if p <= 0 or not text:
        return text
    pieces, free, n_words, _ = free_words(text, protected, respect_protected)
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
) -> str:
    """Delete each free word with probability ``p``; at least one word always remains.

    Free: as for :func:`random_swap`, and — with ``respect_protected`` and unless ``near_sentiment`` — not within
    three words of a word with a VADER valence (or "but"): a deletion there shifts the window VADER's rules read
    around it, so the polarity guard would have to score the row with VADER. In sentiment-dense reviews that
    leaves about a quarter of the words; ``near_sentiment=True`` deletes among all free words (more variety, and
    the guard scores the rows it cannot prove). The whitespace before a deleted word goes with it (after it, for
    the first word).

    Example:
        >>> import numpy as np
        >>> random_delete("keep cable", np.random.default_rng(0), p=1.0, protected=frozenset({"keep"}))
        'keep'
    """
    if p <= 0 or not text:
        return text
    pieces, free, n_words, anchors = free_words(text, protected, respect_protected)
    if respect_protected and anchors and not near_sentiment:
        free = [f for f in free if not _near(anchors, f[0])]
    if not free:
        return text
    draws = rng.random(len(free)).tolist()
    drop = [k for k, d in enumerate(draws) if d < p]
    if len(drop) >= n_words:  # never delete every word
        drop.remove(int(rng.integers(len(free))))
    if not drop:
        return text
    by_piece: dict[int, list[tuple[int, int]]] = {}
    for k in drop:
        c, (a, b, *_) = free[k]
        by_piece.setdefault(c, []).append((a, b))
    if text.split() != pieces:  # line breaks, tabs or runs of spaces: delete on the token list
        starts = list(accumulate(map((1).__add__, map(len, pieces)), initial=0))
        return _delete_tokens(text, [starts[c] + a for c, spans in by_piece.items() for a, _ in spans])
    for c in sorted(by_piece, reverse=True):  # right to left: gluing to piece c - 1 keeps its offsets
        piece, at_start = pieces[c], False
        for a, b in sorted(by_piece[c], reverse=True):
            piece = piece[:a] + piece[b:]
            at_start = a == 0
        if not piece:
            del pieces[c]  # the whole piece went, and the space before it (after it, for the first)
        elif at_start and c > 0:
            pieces[c - 1] += piece  # "strings," lost its word: the space before it goes
            del pieces[c]
        else:
            pieces[c] = piece
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


def _near(anchors: list[int], c: int) -> bool:
    """Is one of the (sorted) ``anchors`` pieces within three pieces of piece ``c``?"""
    i = bisect_left(anchors, c - 3)
    return i < len(anchors) and anchors[i] <= c + 3


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

    def apply(self, text: str, row: Row) -> str:
        return random_swap(
            text, row.rng, p=self.p, protected=row.protected, respect_protected=self.respect_protected
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

    def apply(self, text: str, row: Row) -> str:
        return random_delete(
            text,
            row.rng,
            p=self.p,
            protected=row.protected,
            respect_protected=self.respect_protected,
            near_sentiment=self.near_sentiment,
        )
