"""The augmenter protocol, per-row generators and the combinators.

An augmenter takes a batch of texts and one :class:`Row` per text (its features, its protected words, its
random generator and a list that records what was applied) and returns exactly as many texts.

Every random choice an augmenter makes must come from ``row.rng`` or from bytes hashed from
``row.draw_key()``. Both are derived from ``(seed, review_id, copy_index)`` (:func:`row_key`, :func:`row_rng`), so a
row's output never depends on the batch it sits in or on the number of processes.

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
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    "row_key",
    "key_uniforms",
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


def row_key(seed: int, review_id: str, copy_index: int = 0, *, stream: str = "") -> bytes:
    """The bytes that name one row copy: ``(seed, review_id, copy_index, stream)``, the seed and the copy index
    read modulo 2**64 (seed -1 is seed 2**64 - 1). :func:`row_rng` hashes them into a generator.

    Example:
        >>> row_key(7, "r1", 1) == row_key(7, "r1", 1) != row_key(7, "r1", 2)
        True
    """
    rid = str(review_id).encode("utf-8")
    head = _KEY_HEAD(int(seed) & _MASK64, int(copy_index) & _MASK64, len(rid))  # three little-endian u64
    return head + rid + stream.encode("utf-8") if stream else head + rid


def row_rng(seed: int, review_id: str, copy_index: int = 0, *, stream: str = "") -> np.random.Generator:
    """The random generator of one row copy, derived from ``(seed, review_id, copy_index)``.

    ``stream`` separates independent uses for the same row (for example a model's sampling). The generator is
    numpy's PCG64, its state a BLAKE2b hash of :func:`row_key` (the same on every platform and process).

    Example:
        >>> a = row_rng(7, "r1", 1).integers(1 << 30)
        >>> b = row_rng(7, "r1", 1).integers(1 << 30)
        >>> bool(a == b)
        True
    """
    return _generator(row_key(seed, review_id, copy_index, stream=stream))


def _generator(key: bytes) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(_HashSeed(key)))


_MASK64 = 0xFFFFFFFFFFFFFFFF
_KEY_HEAD = struct.Struct("<QQQ").pack
_SHAKE = hashlib.shake_128
_SHAKE_DIGEST = type(hashlib.shake_128(b"")).digest


def key_uniforms(
    keys: Sequence[bytes], counts: np.ndarray, skip: np.ndarray | None = None, *, bits: int = 53
) -> np.ndarray:
    """Uniform floats in [0, 1) for a batch of rows, ``counts[r]`` of them from ``keys[r]`` (a
    :meth:`Row.draw_key`), row after row: fractions of SHAKE-128's output for the key (``bits`` = 53: eight
    bytes each, the resolution of a float; 32: four bytes, half the hashing, ample for picking among pieces or
    a Bernoulli draw), so row ``r``'s numbers depend on its key alone, never on the batch. ``skip[r]`` numbers
    are passed over first (a second round of draws for a row continues its stream).

    Example:
        >>> u = key_uniforms([b"a", b"b"], np.array([2, 1]))
        >>> u.shape, bool(u[0] == key_uniforms([b"a"], np.array([1]))[0])
        ((3,), True)
    """
    if bits not in (32, 53):
        raise ValueError(f"bits must be 32 or 53, not {bits!r}")
    width = 4 if bits == 32 else 8
    counts = np.asarray(counts, dtype=np.int64)
    if skip is None:
        buf = b"".join(map(_SHAKE_DIGEST, map(_SHAKE, keys), (width * counts).tolist()))
    else:
        ends = (width * (counts + skip)).tolist()
        starts = (width * np.asarray(skip, dtype=np.int64)).tolist()
        whole = map(_SHAKE_DIGEST, map(_SHAKE, keys), ends)
        buf = b"".join(map(bytes.__getitem__, whole, map(slice, starts, ends)))
    if bits == 32:
        return np.frombuffer(buf, dtype="<u4") * (1.0 / (1 << 32))
    return (np.frombuffer(buf, dtype="<u8") >> np.uint64(11)) * (1.0 / (1 << 53))


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


class Row:
    """Everything an augmenter may know about one row.

    Attributes:
        rng: the row's generator; with :meth:`draw_key`, the only source of randomness an augmenter may use.
            A row made from a ``key`` (:meth:`make`, ``augment_dataset``) builds it on first use: the same
            generator as :func:`row_rng`, at no cost for ops that draw from :meth:`draw_key` instead.
        features: the dataset columns of the row (``polarity``, ``keywords``, ``sentiment_words``,
            ``item_id``, ``rating``...), read-only by convention.
        protected: lowercased words that must not be changed (see :mod:`reviewaug.augment.constraints`).
        ops: the record of what was applied to this row, appended to by augmenters.
        original: the text before any augmentation (guards fall back to it).
        vader_proofs: ``{after: before}`` for edits an op proved cannot change VADER's score (it knows which
            words it changed); :class:`~reviewaug.augment.constraints.PolarityKept` skips VADER for a chain of
            such edits. An op without a proof leaves it alone and the guard checks the row itself.
        key: the :func:`row_key` of the row, or None for a row given its generator.

    Example:
        >>> row = Row(key=row_key(0, "r1", 1))
        >>> bool(row.rng.integers(1 << 30) == row_rng(0, "r1", 1).integers(1 << 30))
        True
    """

    __slots__ = ("_rng", "key", "features", "protected", "ops", "original", "vader_proofs", "_draws")

    def __init__(
        self,
        rng: np.random.Generator | None = None,
        features: Mapping[str, Any] | None = None,
        protected: frozenset[str] = frozenset(),
        ops: list[str] | None = None,
        original: str = "",
        vader_proofs: dict[str, str] | None = None,
        *,
        key: bytes | None = None,
    ) -> None:
        if rng is None and key is None:
            raise TypeError("Row needs its generator (rng=) or its key (key=row_key(seed, review_id, copy))")
        self._rng = rng
        self.key = key
        self.features = {} if features is None else features
        self.protected = protected
        self.ops = [] if ops is None else ops
        self.original = original
        self.vader_proofs = {} if vader_proofs is None else vader_proofs
        self._draws = 0

    @property
    def rng(self) -> np.random.Generator:
        if self._rng is None:
            self._rng = _generator(self.key)
        return self._rng

    def draw_key(self) -> bytes:
        """A new key for this row's counter-based draws, different at every call (and from :attr:`rng`'s
        stream): ops that work on the whole batch at once hash it (``hashlib.shake_128``) into as many random
        bytes as they need, so a row's draws depend on its key and on how many keys were drawn before, never
        on the batch. A row given only a generator takes its key from it.

        Example:
            >>> row = Row.make("x", seed=1, review_id="r")
            >>> row.draw_key() != row.draw_key()
            True
        """
        if self.key is None:
            self.key = self.rng.bytes(16)
        self._draws += 1
        return b"".join((self.key, b"/draws/", self._draws.to_bytes(8, "little")))

    def __repr__(self) -> str:
        return (
            f"Row(original={self.original!r}, protected={sorted(self.protected)!r}, ops={self.ops!r}, "
            f"features={dict(self.features)!r})"
        )

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
            key=row_key(seed, review_id, copy_index),
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
