"""Recommenders scored over the full catalogue: popularity, ItemKNN, ALS, BPR and a text-aware hybrid.

Each model has ``fit(train, item_texts=None)`` (``train`` a user x item CSR confidence matrix; ``item_texts``
one list of review texts per item column) and ``score(users) -> users x items`` array. Constructors only store
parameters. ALS and BPR come from ``implicit`` with ``random_state`` and ``num_threads`` pinned and BLAS
limited to one thread, so a run repeats exactly.

:class:`TextHybrid` is where review text (and augmented or synthesized text) enters: an item's text profile is
the mean embedding of its review texts, a user's profile the mean of the profiles of the items they have,
and ``score = (1 - w) * z(ALS) + w * z(cos(user, item))`` with per-user z-scores over the catalogue.
:class:`TextToFactors` uses text differently: a ridge map from an item's text profile to its ALS factor,
learned on warm items, supplies the factors of sparse and cold items (shrunk towards ALS by interactions).

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]], dtype=np.float32))
    >>> Popularity().fit(X).score(np.array([0])).tolist()
    [[1.0, 2.0, 1.0]]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

__all__ = [
    "ALS",
    "BPR",
    "ItemKNN",
    "MODELS",
    "RIDGE_ALPHAS",
    "Popularity",
    "Recommender",
    "TextHybrid",
    "TextToFactors",
    "item_text_profiles",
    "make_model",
]


class Recommender(Protocol):
    """What :func:`reviewaug.rec.evaluate.evaluate_arm` needs from a model."""

    stochastic: bool

    def fit(self, train: sp.csr_matrix, item_texts: Sequence[Sequence[str]] | None = None) -> Recommender: ...

    def score(self, users: np.ndarray) -> np.ndarray: ...


def _csr(train: Any) -> sp.csr_matrix:
    m = sp.csr_matrix(train, dtype=np.float32)
    m.sort_indices()
    return m


def _fitted(obj: Any, attr: str) -> Any:
    val = getattr(obj, attr, None)
    if val is None:
        raise RuntimeError(f"{type(obj).__name__} must be fit() before score()")
    return val


@dataclass
class Popularity:
    """Scores every item by its number of training users (the same list for everyone).

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> Popularity().fit(sp.csr_matrix([[1.0, 0.0]])).score(np.array([0])).tolist()
        [[1.0, 0.0]]
    """

    stochastic: bool = field(default=False, init=False, repr=False)
    _pop: np.ndarray | None = field(default=None, init=False, repr=False)

    def fit(self, train: Any, item_texts: Sequence[Sequence[str]] | None = None) -> Popularity:
        m = _csr(train)
        self._pop = np.diff(sp.csc_matrix(m).indptr).astype(np.float64)
        return self

    def score(self, users: np.ndarray) -> np.ndarray:
        pop = _fitted(self, "_pop")
        return np.broadcast_to(pop, (len(users), len(pop))).copy()


@dataclass
class ItemKNN:
    """Item-item cosine neighbours (``implicit.nearest_neighbours.CosineRecommender``), ``k`` per item.

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=np.float32))
        >>> s = ItemKNN(k=2).fit(X).score(np.array([2]))
        >>> s.shape
        (1, 3)
    """

    k: int = 50
    stochastic: bool = field(default=False, init=False, repr=False)
    _train: sp.csr_matrix | None = field(default=None, init=False, repr=False)
    _sim: sp.csr_matrix | None = field(default=None, init=False, repr=False)

    def fit(self, train: Any, item_texts: Sequence[Sequence[str]] | None = None) -> ItemKNN:
        from implicit.nearest_neighbours import CosineRecommender
        from threadpoolctl import threadpool_limits

        m = _csr(train)
        with threadpool_limits(1, "blas"), warnings.catch_warnings():
            # implicit converts its own normalized copy to COO internally and warns about it
            warnings.filterwarnings("ignore", message="Method expects CSR input")
            model = CosineRecommender(K=int(self.k), num_threads=1)
            model.fit(m, show_progress=False)
        self._train = m
        self._sim = sp.csr_matrix(model.similarity)
        return self

    def score(self, users: np.ndarray) -> np.ndarray:
        sim = _fitted(self, "_sim")
        return np.asarray((self._train[np.asarray(users)] @ sim).todense(), dtype=np.float64)


@dataclass
class _Factors:
    seed: int = 0
    num_threads: int = 1
    stochastic: bool = field(default=True, init=False, repr=False)
    _user: np.ndarray | None = field(default=None, init=False, repr=False)
    _item: np.ndarray | None = field(default=None, init=False, repr=False)

    def _build(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def fit(self, train: Any, item_texts: Sequence[Sequence[str]] | None = None) -> _Factors:
        import implicit.als
        import implicit.bpr  # noqa: F401  (load implicit's BLAS before limiting its threads)
        from threadpoolctl import threadpool_limits

        m = _csr(train)
        with threadpool_limits(1, "blas"):
            model = self._build()  # implicit checks the BLAS thread count when the model is built
            model.fit(m, show_progress=False)
        self._user = np.asarray(model.user_factors, dtype=np.float64)
        self._item = np.asarray(model.item_factors, dtype=np.float64)
        return self

    def score(self, users: np.ndarray) -> np.ndarray:
        uf = _fitted(self, "_user")
        return uf[np.asarray(users)] @ self._item.T


@dataclass
class ALS(_Factors):
    """``implicit`` alternating least squares on the confidence matrix (times ``alpha``).

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> ALS(factors=2, iterations=2).fit(sp.csr_matrix(np.eye(3, dtype=np.float32))).score(np.array([0])).shape
        (1, 3)
    """

    factors: int = 64
    regularization: float = 0.05
    alpha: float = 10.0
    iterations: int = 15

    def _build(self) -> Any:
        from implicit.als import AlternatingLeastSquares

        return AlternatingLeastSquares(
            factors=int(self.factors),
            regularization=float(self.regularization),
            alpha=float(self.alpha),
            iterations=int(self.iterations),
            random_state=int(self.seed),
            num_threads=int(self.num_threads),
            use_gpu=False,
        )


@dataclass
class BPR(_Factors):
    """``implicit`` Bayesian personalized ranking (single-threaded: its multi-threaded SGD does not repeat).

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> BPR(factors=2, iterations=2).fit(sp.csr_matrix(np.eye(3, dtype=np.float32))).score(np.array([0])).shape
        (1, 3)
    """

    factors: int = 64
    learning_rate: float = 0.05
    regularization: float = 0.01
    iterations: int = 100

    def _build(self) -> Any:
        from implicit.bpr import BayesianPersonalizedRanking

        if self.num_threads != 1:
            raise ValueError("BPR must run with num_threads=1: implicit's parallel SGD is not repeatable")
        return BayesianPersonalizedRanking(
            factors=int(self.factors),
            learning_rate=float(self.learning_rate),
            regularization=float(self.regularization),
            iterations=int(self.iterations),
            random_state=int(self.seed),
            num_threads=1,
            use_gpu=False,
        )


def item_text_profiles(
    item_texts: Sequence[Sequence[str]], *, encoder: str = "minilm", max_seq_length: int = 128
) -> np.ndarray:
    """One L2-normalized text profile per item: the mean embedding of its non-empty texts (zeros if none).

    ``encoder`` is ``"minilm"`` (sentence embeddings, cached per process) or ``"tfidf"`` (sklearn TF-IDF
    fit on these texts, reduced to 256 dimensions with truncated SVD; fast, no torch).

    Example:
        >>> item_text_profiles([["great tone", "warm tone"], []], encoder="tfidf").shape[0]
        2
    """
    flat: list[str] = []
    owner: list[int] = []
    for i, texts in enumerate(item_texts):
        for t in texts:
            if t and str(t).strip():
                flat.append(str(t))
                owner.append(i)
    n_items = len(item_texts)
    if encoder == "minilm":
        from reviewaug.evaluate.embed import EMBED_DIM, encode

        vecs = encode(flat, max_seq_length=max_seq_length) if flat else np.zeros((0, EMBED_DIM), np.float32)
    elif encoder == "tfidf":
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not flat:
            return np.zeros((n_items, 1))
        tf = TfidfVectorizer(min_df=1, sublinear_tf=True, stop_words="english").fit_transform(flat)
        dim = int(min(256, tf.shape[1] - 1, tf.shape[0] - 1))
        vecs = TruncatedSVD(dim, random_state=0).fit_transform(tf) if dim >= 2 else tf.toarray()
    else:
        raise ValueError(f"unknown text encoder {encoder!r}; use 'minilm' or 'tfidf'")
    prof = np.zeros((n_items, vecs.shape[1]), dtype=np.float64)
    if flat:
        np.add.at(prof, np.asarray(owner), np.asarray(vecs, dtype=np.float64))
    norms = np.linalg.norm(prof, axis=1, keepdims=True)
    return np.divide(prof, norms, out=np.zeros_like(prof), where=norms > 0)


def _item_profiles(model: Any, m: sp.csr_matrix, item_texts: Any) -> np.ndarray:
    """``item_texts`` checked against the columns of ``m`` and turned into ``items x dim`` text profiles.

    ``item_texts`` is one list of texts per item column, or an already computed :func:`item_text_profiles`
    array; ``model.encoder`` and ``model.max_seq_length`` choose the encoder.
    """
    name = type(model).__name__
    if item_texts is None or len(item_texts) != m.shape[1]:
        got = "none" if item_texts is None else len(item_texts)
        raise ValueError(
            f"{name}.fit needs one text list (or profile row) per item ({m.shape[1]} items), got {got}"
        )
    if isinstance(item_texts, np.ndarray) and item_texts.ndim == 2:
        return np.asarray(item_texts, dtype=np.float64)  # precomputed item_text_profiles
    return item_text_profiles(item_texts, encoder=model.encoder, max_seq_length=model.max_seq_length)


def _fit_als(model: Any, m: sp.csr_matrix) -> ALS:
    """:class:`ALS` with ``model``'s factor parameters, seed and threads, fit on ``m``."""
    return ALS(
        seed=model.seed,
        num_threads=model.num_threads,
        factors=model.factors,
        regularization=model.regularization,
        alpha=model.alpha,
        iterations=model.iterations,
    ).fit(m)


def _zrows(x: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=1, keepdims=True)
    sd = x.std(axis=1, keepdims=True)
    return np.divide(x - mu, sd, out=np.zeros_like(x), where=sd > 0)


@dataclass
class TextHybrid:
    """ALS blended with review-text similarity: ``(1 - weight) * z(ALS) + weight * z(text)``.

    ``fit`` needs ``item_texts`` (one list of texts per item column: the item's training reviews plus any
    augmented or synthesized texts), or the ``items x dim`` array :func:`item_text_profiles` makes of them.
    ``weight=0`` is plain ALS; ``weight=1`` is pure text content. With ``sparse_weight`` set, items with at most
    ``sparse_max`` training interactions (whose ALS factors are weakest) use that weight instead, so their
    text (and any text added for them) counts more.

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> X = sp.csr_matrix(np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32))
        >>> texts = [["bright steel strings"], ["soft nylon strings"], ["bright steel strings set"]]
        >>> m = TextHybrid(weight=1.0, encoder="tfidf", factors=2, iterations=2).fit(X, texts)
        >>> int(m.score(np.array([0]))[0, 1:].argmax()) + 1
        2
    """

    weight: float = 0.3
    sparse_weight: float | None = None
    sparse_max: int = 5
    encoder: str = "minilm"
    max_seq_length: int = 128
    factors: int = 32  # the ALS grid's choice on both splits of the Amazon corpus
    regularization: float = 0.05
    alpha: float = 10.0
    iterations: int = 15
    seed: int = 0
    num_threads: int = 1
    stochastic: bool = field(default=True, init=False, repr=False)
    _als: ALS | None = field(default=None, init=False, repr=False)
    _user_prof: np.ndarray | None = field(default=None, init=False, repr=False)
    _item_prof: np.ndarray | None = field(default=None, init=False, repr=False)
    _sparse: np.ndarray | None = field(default=None, init=False, repr=False)

    def fit(self, train: Any, item_texts: Sequence[Sequence[str]] | None = None) -> TextHybrid:
        for name in ("weight", "sparse_weight"):
            w = getattr(self, name)
            if w is not None and not 0.0 <= w <= 1.0:
                raise ValueError(f"TextHybrid {name} must lie in [0, 1], got {w}")
        m = _csr(train)
        items = _item_profiles(self, m, item_texts)
        self._als = _fit_als(self, m)
        binary = m.copy()
        binary.data = np.ones_like(binary.data)
        users = np.asarray(binary @ items)
        norms = np.linalg.norm(users, axis=1, keepdims=True)
        self._user_prof = np.divide(users, norms, out=np.zeros_like(users), where=norms > 0)
        self._item_prof = items
        self._sparse = np.diff(sp.csc_matrix(m).indptr) <= int(self.sparse_max)
        return self

    def text_score(self, users: np.ndarray) -> np.ndarray:
        """Cosine between each user's profile and every item's profile (0 where an item has no text)."""
        up = _fitted(self, "_user_prof")
        return up[np.asarray(users)] @ self._item_prof.T

    def score(self, users: np.ndarray) -> np.ndarray:
        als = _fitted(self, "_als")
        base = als.score(users)
        if self.weight == 0 and not self.sparse_weight:
            return base
        w = np.full(base.shape[1], float(self.weight))
        if self.sparse_weight is not None:
            w[self._sparse] = float(self.sparse_weight)
        text = self.text_score(users)
        return (1.0 - w) * _zrows(base) + w * _zrows(text)


def _rescaled(pred: np.ndarray, item: np.ndarray, counts: np.ndarray, sparse_max: int) -> np.ndarray:
    """``pred``'s rows at the length of ``item``'s rows; where an item's row is 0, the mean length of the
    rows of items with 1..``sparse_max`` counts (of all items with counts if there are none)."""
    length = np.linalg.norm(item, axis=1)
    pool = length[(counts >= 1) & (counts <= sparse_max)]
    pool = pool if len(pool) else length[counts >= 1]
    fill = float(pool.mean()) if len(pool) else 0.0
    target = np.where(length > 0, length, fill)
    p_len = np.linalg.norm(pred, axis=1)
    scale = np.divide(target, p_len, out=np.ones_like(p_len), where=p_len > 0)
    return pred * scale[:, None]


#: Ridge penalties :class:`TextToFactors` chooses from (leave-one-out on warm items) when ``ridge_alpha=None``.
RIDGE_ALPHAS: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)


@dataclass
class TextToFactors:
    """ALS whose factors for sparse items are pulled towards factors predicted from their review text.

    A ridge regression learns to map an item's text profile (:func:`item_text_profiles`) to its ALS item
    factor, on the *warm* items only (more than ``sparse_max`` training interactions, non-empty text). Its
    penalty is ``ridge_alpha``, or with ``ridge_alpha=None`` (the default) the one of :data:`RIDGE_ALPHAS`
    with the best leave-one-out error on those warm items (``sklearn.linear_model.RidgeCV``), so the map is
    tuned for predicting factors and the validation grid only needs ``shrink``. Each item with ``n_i <= sparse_max`` training
    interactions and some text then gets the shrinkage blend

        ``(n_i / (n_i + shrink)) * als_factor + (shrink / (n_i + shrink)) * predicted_factor``,

    so the fewer interactions, the more its text decides (a cold item, ``n_i = 0``, takes the predicted
    factor). Warm items and items without text keep their ALS factor; ``shrink=0`` is plain ALS exactly.
    With ``keep_norm`` the blend uses the prediction's *direction* at the length of the item's own ALS factor
    (for a cold item, the mean length over items with 1..``sparse_max`` interactions): the ridge map, trained
    on noisy targets, predicts short factors, which would otherwise just push sparse items down every list.
    Scores are ALS user factors times these item factors. ``fit`` takes ``item_texts`` as
    :class:`TextHybrid` does (one text list per item column, or a precomputed ``items x dim`` profile array).

    ``shrink``, ``ridge_alpha``, ``sparse_max`` and ``keep_norm`` act only when scoring (the ALS fit and the text profiles
    do not depend on them), so changing them after ``fit`` re-blends without refitting.

    Example:
        >>> import scipy.sparse as sp, numpy as np
        >>> X = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]], np.float32))
        >>> texts = [["steel strings"], ["nylon strings"], ["drum sticks"], ["drum sticks"]]
        >>> m = TextToFactors(shrink=5.0, sparse_max=1, encoder="tfidf", factors=2, iterations=3).fit(X, texts)
        >>> s = m.score(np.array([2]))[0]  # item 3 has no interactions, but the text of item 2
        >>> bool(s[3] > max(s[0], s[1]))
        True
        >>> m.shrink = 0.0  # re-blends without refitting: plain ALS, which cannot score item 3
        >>> float(m.score(np.array([2]))[0, 3])
        0.0
    """

    shrink: float = 5.0
    ridge_alpha: float | None = None
    sparse_max: int = 5
    keep_norm: bool = False
    encoder: str = "minilm"
    max_seq_length: int = 128
    factors: int = 32
    regularization: float = 0.05
    alpha: float = 10.0
    iterations: int = 15
    seed: int = 0
    num_threads: int = 1
    stochastic: bool = field(default=True, init=False, repr=False)
    _als: ALS | None = field(default=None, init=False, repr=False)
    _item_prof: np.ndarray | None = field(default=None, init=False, repr=False)
    _counts: np.ndarray | None = field(default=None, init=False, repr=False)
    _pred_cache: tuple[Any, ...] | None = field(default=None, init=False, repr=False)

    def fit(self, train: Any, item_texts: Sequence[Sequence[str]] | None = None) -> TextToFactors:
        m = _csr(train)
        self._item_prof = _item_profiles(self, m, item_texts)
        self._als = _fit_als(self, m)
        self._counts = np.diff(sp.csc_matrix(m).indptr).astype(np.int64)
        self._pred_cache = None
        return self

    def _key(self) -> tuple[float, float | None, int]:
        if not self.shrink >= 0:
            raise ValueError(f"TextToFactors shrink must be >= 0, got {self.shrink}")
        if self.ridge_alpha is not None and not self.ridge_alpha > 0:
            raise ValueError(f"TextToFactors ridge_alpha must be > 0 or None, got {self.ridge_alpha}")
        alpha = None if self.ridge_alpha is None else float(self.ridge_alpha)
        return float(self.shrink), alpha, int(self.sparse_max)

    def _predict(self, ridge_alpha: float | None, sparse_max: int) -> tuple[np.ndarray, float | None]:
        """The ridge map's factor for every item with text (its ALS factor otherwise) and the penalty used."""
        key = (ridge_alpha, sparse_max)
        if self._pred_cache is not None and self._pred_cache[0] == key:
            return self._pred_cache[1], self._pred_cache[2]
        item, prof, counts = _fitted(self, "_als")._item, self._item_prof, self._counts
        has_text = np.linalg.norm(prof, axis=1) > 0
        warm = (counts > sparse_max) & has_text
        pred, used = item.copy(), None
        if warm.sum() >= 2:
            from sklearn.linear_model import Ridge, RidgeCV

            reg = Ridge(alpha=ridge_alpha) if ridge_alpha is not None else RidgeCV(alphas=RIDGE_ALPHAS)
            pred[has_text] = reg.fit(prof[warm], item[warm]).predict(prof[has_text])
            used = float(ridge_alpha if ridge_alpha is not None else reg.alpha_)
        self._pred_cache = (key, pred, used)
        return pred, used

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        als = _fitted(self, "_als")
        shrink, ridge_alpha, sparse_max = self._key()
        pred, used = self._predict(ridge_alpha, sparse_max)
        if shrink == 0:
            return pred, als._item
        if used is None:
            raise ValueError(
                f"TextToFactors needs at least 2 items with text and more than sparse_max={sparse_max} "
                "training interactions to learn the text-to-factor map"
            )
        item, counts = als._item, self._counts
        mask = (counts <= sparse_max) & (np.linalg.norm(self._item_prof, axis=1) > 0)
        if self.keep_norm:
            pred = _rescaled(pred, item, counts, sparse_max)
        w = shrink / (counts[mask] + shrink)
        blended = item.copy()
        blended[mask] = (1.0 - w)[:, None] * item[mask] + w[:, None] * pred[mask]
        return pred, blended

    @property
    def chosen_alpha(self) -> float | None:
        """The ridge penalty of the last text-to-factor map (``ridge_alpha`` or RidgeCV's pick); None before."""
        return None if self._pred_cache is None else self._pred_cache[2]

    def predicted_factors(self) -> np.ndarray:
        """``items x factors``: the ridge map applied to every item's text profile (ALS factor if no text)."""
        return self._compute()[0]

    def item_factors(self) -> np.ndarray:
        """``items x factors`` used for scoring: ALS factors, blended with the prediction for sparse items."""
        return self._compute()[1]

    def score(self, users: np.ndarray) -> np.ndarray:
        als = _fitted(self, "_als")
        return _fitted(als, "_user")[np.asarray(users)] @ self.item_factors().T


MODELS: dict[str, type] = {
    "pop": Popularity,
    "itemknn": ItemKNN,
    "als": ALS,
    "bpr": BPR,
    "hybrid": TextHybrid,
    "text2factors": TextToFactors,
}


def make_model(name: str, seed: int = 0, **params: Any) -> Recommender:
    """Build a model by name (``pop``, ``itemknn``, ``als``, ``bpr``, ``hybrid``, ``text2factors``) with ``seed`` and params.

    Example:
        >>> make_model("als", seed=3, factors=8).factors
        8
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {sorted(MODELS)}")
    cls = MODELS[name]
    if "seed" in cls.__dataclass_fields__ and cls.__dataclass_fields__["seed"].init:
        params = {"seed": seed, **params}
    bad = [k for k in params if k not in cls.__dataclass_fields__ or not cls.__dataclass_fields__[k].init]
    if bad:
        raise TypeError(f"model {name!r} has no parameter(s) {bad}")
    return cls(**params)
