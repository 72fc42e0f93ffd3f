"""Drop generated texts that copy a held-out (validation/test) text.

A generated text is a duplicate of a held-out text when, after normalization (lowercase, punctuation
removed, whitespace collapsed), it is identical to one, or when at least ``max_overlap`` of its word
``n``-grams occur in one single held-out text (texts shorter than ``n`` words only match exactly).

Example:
    >>> dedupe_against(["Great strings!!", "a new text"], ["great   strings"])
    ['a new text']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

__all__ = ["dedupe_against", "duplicate_mask", "normalize_text"]

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Lowercase, drop punctuation, collapse whitespace.

    Example:
        >>> normalize_text("  It's GREAT,  really! ")
        'its great really'
    """
    return _SPACE.sub(" ", _PUNCT.sub("", str(text).lower())).strip()


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def duplicate_mask(
    texts: Sequence[str], held_out: Sequence[str], *, n: int = 4, max_overlap: float = 0.6
) -> np.ndarray:
    """``True`` for each text that duplicates (exactly or by ``n``-gram overlap) some held-out text.

    Example:
        >>> duplicate_mask(["the tuner works well on my bass", "nothing alike here at all"],
        ...                ["honestly the tuner works well on my bass guitar"]).tolist()
        [True, False]
    """
    if not 0 < max_overlap <= 1:
        raise ValueError(f"max_overlap must lie in (0, 1], got {max_overlap}")
    exact = {normalize_text(t) for t in held_out}
    exact.discard("")
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, t in enumerate(held_out):
        for g in _ngrams(normalize_text(t).split(), n):
            index[g].append(j)
    out = np.zeros(len(texts), dtype=bool)
    for k, t in enumerate(texts):
        norm = normalize_text(t)
        if norm in exact:
            out[k] = True
            continue
        grams = _ngrams(norm.split(), n)
        if not grams:
            continue
        shared: Counter[int] = Counter()
        for g in grams:
            shared.update(index.get(g, ()))
        if shared and shared.most_common(1)[0][1] >= max_overlap * len(grams):
            out[k] = True
    return out


def dedupe_against(
    texts: Sequence[str], held_out: Sequence[str], *, n: int = 4, max_overlap: float = 0.6
) -> list[str]:
    """The texts that do not duplicate any held-out text, in their original order.

    Example:
        >>> dedupe_against(["same", "other"], ["SAME."])
        ['other']
    """
    mask = duplicate_mask(texts, held_out, n=n, max_overlap=max_overlap)
    return [t for t, d in zip(texts, mask) if not d]
