"""The augmenter protocol, per-row generators and the combinators.

An augmenter takes a batch of texts and one :class:`Row` per text (its features, its protected words, its
random generator and a list that records what was applied) and returns exactly as many texts.

Every random choice an augmenter makes must come from ``row.rng``. That generator is derived from
``(seed, review_id, copy_index)`` by :func:`row_rng`, so a row's output never depends on the batch it sits in or
on the number of processes.

Example:
    >>> from reviewaug.augment import Row, Sometimes, Sequential, row_rng
    >>> from reviewaug.augment.word import RandomSwap
    >>> aug = Sequential([Sometimes(RandomSwap(p=0.3), p=1.0)])
    >>> rows = [Row.make("a b c d", seed=0, review_id="r1")]
    >>> out = aug(["a b c d"], rows)
    >>> len(out)
    1
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.random.bit_generator import ISeedSequence

__all__ = [
    "Augmenter",
    "Row",
    "RowWise",
    "Sequential",
    "OneOf",
    "Sometimes",
    "Identity",
    "row_rng",
    "stable_hash",
    "apply_to",
    "check_unit",
]


def stable_hash(value: str) -> int:
    """A 64-bit hash of ``value`` that is the same in every process (unlike ``hash``).

    Example:
        >>> stable_hash("abc") == stable_hash("abc")
        True
    """
    return int.from_bytes(hashlib.blake2b(str(value).encode("utf-8"), digest_size=8).digest(), "little")


def row_rng(seed: int, review_id: str, copy_index: int = 0, *, stream: str = "") -> np.random.Generator:
    """The random generator of one row copy, derived from ``(seed, review_id, copy_index)``.

    ``stream`` separates independent uses for the same row (for example a model's sampling). The generator is
    numpy's PCG64, its state a BLAKE2b hash of the four values (the same on every platform and process). The
    seed and the copy index are read modulo 2**64 (seed -1 is seed 2**64 - 1).

    Example:
        >>> a = row_rng(7, "r1", 1).integers(1 << 30)
        >>> b = row_rng(7, "r1", 1).integers(1 << 30)
        >>> bool(a == b)
        True
    """
    rid = str(review_id).encode("utf-8")
    key = b"".join(
        (
            (int(seed) & _MASK64).to_bytes(8, "little"),
            (int(copy_index) & _MASK64).to_bytes(8, "little"),
            len(rid).to_bytes(8, "little"),
            rid,
            stream.encode("utf-8"),
        )
    )
    return np.random.Generator(np.random.PCG64(_HashSeed(key)))


_MASK64 = 0xFFFFFFFFFFFFFFFF


class _HashSeed(ISeedSequence):
    """Seeds a bit generator from a BLAKE2b hash of ``key``: a row's generator is made once per row and per
    batch, and numpy's ``SeedSequence`` (about 6 µs) cost more than the edits of a short review. BLAKE2b mixes
    every bit of the key into every word of the state as well."""

    __slots__ = ("key",)

    def __init__(self, key: bytes) -> None:
        self.key = key

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        dt = np.dtype(dtype)
        digest = hashlib.blake2b(self.key, digest_size=n_words * dt.itemsize).digest()
        return np.frombuffer(digest, dtype=dt.newbyteorder("<")).astype(dt)


@dataclass
class Row:
    """Everything an augmenter may know about one row.

    Attributes:
        rng: the row's generator; the only source of randomness an augmenter may use.
        features: the dataset columns of the row (``polarity``, ``keywords``, ``sentiment_words``,
            ``item_id``, ``rating``...), read-only by convention.
        protected: lowercased words that must not be changed (see :mod:`reviewaug.augment.constraints`).
        ops: the record of what was applied to this row, appended to by augmenters.
        original: the text before any augmentation (guards fall back to it).
        vader_proofs: ``{after: before}`` for edits an op proved cannot change VADER's score (it knows which
            words it changed); :class:`~reviewaug.augment.constraints.PolarityKept` skips VADER for a chain of
            such edits. An op without a proof leaves it alone and the guard checks the row itself.
    """

    rng: np.random.Generator
    features: Mapping[str, Any] = field(default_factory=dict)
    protected: frozenset[str] = frozenset()
    ops: list[str] = field(default_factory=list)
    original: str = ""
    vader_proofs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(
        cls,
        text: str,
        *,
        seed: int = 0,
        review_id: str = "",
        copy_index: int = 1,
        features: Mapping[str, Any] | None = None,
        protected: frozenset[str] | set[str] | None = None,
    ) -> Row:
        """Build a row with its generator derived from ``(seed, review_id, copy_index)``.

        Example:
            >>> Row.make("fine strings", seed=1, review_id="x").original
            'fine strings'
        """
        return cls(
            rng=row_rng(seed, review_id, copy_index),
            features=dict(features or {}),
            protected=frozenset(protected or ()),
            original=text,
        )


@runtime_checkable
class Augmenter(Protocol):
    """A batch of texts and their rows in, the same number of texts out.

    Implementations append a short record of what they applied to ``row.ops``.
    """

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]: ...


def _check_lengths(texts: Sequence[str], rows: Sequence[Row]) -> None:
    if len(texts) != len(rows):
        raise ValueError(f"augmenter got {len(texts)} texts but {len(rows)} rows; they must match")


class RowWise:
    """Mixin for augmenters that work one row at a time: implement ``apply(text, row) -> str``.

    ``name`` is what is recorded in ``row.ops`` when the text changed.
    """

    name: str = "op"

    def apply(self, text: str, row: Row) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        out = []
        for text, row in zip(texts, rows):
            new = self.apply(text, row) if text else text
            if new != text:
                row.ops.append(self.name)
            out.append(new)
        return out


def _as_augmenter(obj: Any) -> Augmenter:
    if not callable(obj) or isinstance(obj, type):
        raise TypeError(
            f"{obj!r} is not an augmenter (it must be callable as aug(texts, rows); a class needs ())"
        )
    return obj


def check_unit(op: object, name: str, value: Any) -> None:
    """Raise a clear ``ValueError`` unless ``value`` (parameter ``name`` of ``op``) is a number in [0, 1].

    Example:
        >>> check_unit(Identity(), "p", 0.5)
    """
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0.0 <= value <= 1.0  # NaN fails
    if not ok:
        raise ValueError(f"{type(op).__name__}({name}=...) must be a number in [0, 1], got {value!r}")


def apply_to(aug: Any, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """``aug(texts, rows)``, checked to return exactly one text per row (combinators call their children so).

    Example:
        >>> apply_to(Identity(), ["x"], [Row.make("x")])
        ['x']
    """
    out = list(_as_augmenter(aug)(texts, rows))
    if len(out) != len(rows):
        raise RuntimeError(f"{aug!r} returned {len(out)} texts for {len(rows)} rows")
    return out


@dataclass(frozen=True)
class Identity:
    """Returns the texts unchanged.

    Example:
        >>> Identity()(["x"], [Row.make("x")])
        ['x']
    """

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        return list(texts)


@dataclass(frozen=True)
class Sequential:
    """Applies augmenters one after another.

    Example:
        >>> Sequential([Identity(), Identity()])(["x"], [Row.make("x")])
        ['x']
    """

    steps: Sequence[Augmenter]

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        out = list(texts)
        for step in self.steps:
            out = apply_to(step, out, rows)
        return out


@dataclass(frozen=True)
class OneOf:
    """Applies one augmenter per row, chosen with ``weights`` (uniform by default) from the row's generator.

    Rows that chose the same augmenter are sent to it as one batch.

    Example:
        >>> OneOf([Identity(), Identity()], weights=[0.9, 0.1])(["x"], [Row.make("x")])
        ['x']
    """

    choices: Sequence[Augmenter]
    weights: Sequence[float] | None = None

    def __post_init__(self) -> None:
        if not self.choices:
            raise ValueError("OneOf needs at least one augmenter")
        if self.weights is not None:
            if len(self.weights) != len(self.choices):
                raise ValueError(f"OneOf got {len(self.weights)} weights for {len(self.choices)} augmenters")
            w = np.asarray(self.weights, dtype=float)
            if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
                raise ValueError(
                    f"OneOf weights must be non-negative with a positive sum, got {self.weights}"
                )

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        k = len(self.choices)
        if self.weights is None:
            p = np.full(k, 1.0 / k)
        else:
            w = np.asarray(self.weights, dtype=float)
            p = w / w.sum()
        picks = [int(row.rng.choice(k, p=p)) for row in rows]
        out = list(texts)
        for j, aug in enumerate(self.choices):
            idx = [i for i, c in enumerate(picks) if c == j]
            if not idx:
                continue
            res = apply_to(aug, [texts[i] for i in idx], [rows[i] for i in idx])
            for i, t in zip(idx, res):
                out[i] = t
        return out


@dataclass(frozen=True)
class Sometimes:
    """Applies ``augmenter`` to each row with probability ``p`` (drawn from the row's generator).

    ``p=0`` is the identity; ``p=1`` always applies.

    Example:
        >>> Sometimes(Identity(), p=0.0)(["x"], [Row.make("x")])
        ['x']
    """

    augmenter: Augmenter
    p: float = 0.5

    def __post_init__(self) -> None:
        check_unit(self, "p", self.p)

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        # always draw, so a row's later draws do not depend on p being 0 or 1
        take = [bool(row.rng.random() < self.p) for row in rows]
        idx = [i for i, t in enumerate(take) if t]
        out = list(texts)
        if idx:
            res = apply_to(self.augmenter, [texts[i] for i in idx], [rows[i] for i in idx])
            for i, t in zip(idx, res):
                out[i] = t
        return out
