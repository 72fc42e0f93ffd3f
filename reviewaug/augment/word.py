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

from dataclasses import dataclass

import numpy as np

from reviewaug.augment.constraints import editable_words, protected_mask
from reviewaug.augment.core import Row, RowWise

__all__ = ["random_swap", "random_delete", "RandomSwap", "RandomDelete"]


def _tokens_free(text: str, protected: frozenset[str], respect: bool) -> tuple[list[str], list[int], int]:
    """Tokens, the positions of the words that may move, and the number of words."""
    tokens, flags = protected_mask(text, protected)  # flags: 0 not a word, 1 free word, 2 protected word
    return tokens, list(editable_words(text, protected, respect)), len(flags) - flags.count(0)


def random_swap(
    text: str,
    rng: np.random.Generator,
    *,
    p: float = 0.1,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
) -> str:
    """Swap ``max(1, round(p · n))`` random pairs of unprotected words (n = number of words).

    Whitespace and punctuation stay in place; only words move.

    Example:
        >>> import numpy as np
        >>> sorted(random_swap("a b c", np.random.default_rng(1), p=1.0).split()) == ["a", "b", "c"]
        True
    """
    if p <= 0 or not text:
        return text
    tokens, free, n_words = _tokens_free(text, protected, respect_protected)
    if len(free) < 2:
        return text
    n_swaps = max(1, int(round(p * n_words)))
    m = len(free)
    # each swap: two different positions, drawn for all swaps in two calls
    first = rng.integers(m, size=n_swaps)
    second = rng.integers(m - 1, size=n_swaps)
    second += second >= first
    for a, b in zip(first.tolist(), second.tolist()):
        i, j = free[a], free[b]
        tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


def random_delete(
    text: str,
    rng: np.random.Generator,
    *,
    p: float = 0.1,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
) -> str:
    """Delete each unprotected word with probability ``p``; at least one word always remains.

    The space before a deleted word goes with it.

    Example:
        >>> import numpy as np
        >>> random_delete("keep this", np.random.default_rng(0), p=1.0, protected=frozenset({"keep"}))
        'keep'
    """
    if p <= 0 or not text:
        return text
    tokens, free, n_words = _tokens_free(text, protected, respect_protected)
    if not free:
        return text
    draws = rng.random(len(free))
    drop = {i for i, d in zip(free, draws.tolist()) if d < p}
    if len(drop) >= n_words:  # never delete every word
        drop.discard(free[int(rng.integers(len(free)))])
    if not drop:
        return text
    for i in sorted(drop):
        tokens[i] = ""
        j = i - 1
        while j >= 0 and not tokens[j]:  # the nearest token still there
            j -= 1
        if j >= 0 and tokens[j].isspace():
            tokens[j] = ""  # the space before the word goes with it
        elif j < 0 and i + 1 < len(tokens) and tokens[i + 1].isspace():
            tokens[i + 1] = ""  # the text's first word: the space after it goes
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
    name: str = "word_delete"

    def apply(self, text: str, row: Row) -> str:
        return random_delete(
            text, row.rng, p=self.p, protected=row.protected, respect_protected=self.respect_protected
        )
