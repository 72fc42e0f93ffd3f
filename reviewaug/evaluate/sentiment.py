"""The low-data sentiment benchmark (the EDA protocol) with pluggable augmentation.

Protocol:

1. Binary labels from ratings: ``rating >= 4`` -> 1 (positive), ``rating <= 2`` -> 0; 3-star and empty
   reviews are dropped.
2. One fixed test set (``split_seed``): ``test_neg_frac`` of the negatives and, with ``balanced_test``,
   the same number of positives (so accuracy is not dominated by the 95% positive majority; chance = 50%).
   Everything else is the training pool.
3. For each training size (``None`` = the whole pool) and seed, a subsample of the pool, by default with
   equal classes as far as the negatives allow (``train_balance="equal"``: on the Amazon corpus the pool has
   only ~330 negatives, so N=2000 and "all" are imbalanced and use balanced class weights), or in the natural
   ratio (``"natural"``). The same subsample is used by every arm.
4. Each arm adds ``n_copies`` augmented copies per training example via its ``augment_fn``; the no-aug arm
   adds nothing. Classifiers: logistic regression on TF-IDF, and on MiniLM embeddings (cached per text).
   Its inverse regularization ``C`` is 1.0 (the EDA protocol tunes nothing), or with ``tune_c`` chosen per
   cell and seed from a grid by grouped cross-validation on the training set alone (:func:`select_c`): every
   arm gets the same tuning budget, and a copy never validates its own source.
5. Accuracy and macro-F1 with two-level bootstrap CIs (seeds x test examples), and each arm's paired
   difference against no augmentation (Holm across the two metrics).

An ``augment_fn(texts, review_ids, labels, n_copies, seed) -> [(text, label, source), ...]`` only ever sees
the training subsample, never the test set; ``source`` is the position in ``texts`` of the example a copy was
made from (pairs ``(text, label)`` are accepted too, but then ``tune_c`` cannot keep copies with their
source and refuses). :func:`from_augmented` wraps precomputed copies.

Example:
    >>> from reviewaug.evaluate.sentiment import run_sentiment  # doctest: +SKIP
    >>> res = run_sentiment(ds, {"eda": my_fn}, sizes=[50, 500], copies=[4], seeds=range(5))  # doctest: +SKIP
    >>> res.compare()[0]["verdict"]  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewaug.evaluate.stats import bootstrap_seeds_items, holm, verdict
from reviewaug.rec.interactions import column

__all__ = [
    "DEFAULT_C_GRID",
    "AugmentFn",
    "SentimentData",
    "SentimentResult",
    "binary_sentiment",
    "fit_predict",
    "from_augmented",
    "from_augmented_dataset",
    "grouped_folds",
    "holdout",
    "memoized",
    "run_sentiment",
    "select_c",
    "stratified_subsample",
]

AugmentFn = Callable[[list[str], list[str], np.ndarray, int, int], list[tuple[str, int, int]]]
NO_AUG = "no_aug"


@dataclass(frozen=True)
class SentimentData:
    """Texts, 0/1 labels and review ids of the binary task."""

    texts: list[str]
    labels: np.ndarray
    review_ids: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def take(self, idx: Sequence[int] | np.ndarray) -> SentimentData:
        idx = np.asarray(idx, dtype=np.int64)
        return SentimentData(
            [self.texts[i] for i in idx], self.labels[idx], [self.review_ids[i] for i in idx]
        )


def _rng(*words: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(w) & 0xFFFFFFFF for w in words]))


def binary_sentiment(ds: Any, *, pos_min: float = 4.0, neg_max: float = 2.0) -> SentimentData:
    """Rows with ``rating >= pos_min`` (label 1) or ``<= neg_max`` (label 0) and non-empty text.

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"review_id": list("abcd"), "rating": [5.0, 3.0, 1.0, 4.0],
        ...                         "text": ["great", "meh", "broke", ""]})
        >>> d = binary_sentiment(ds)
        >>> d.texts, d.labels.tolist()
        (['great', 'broke'], [1, 0])
    """
    for col in ("review_id", "rating", "text"):
        if col not in ds.column_names:
            raise KeyError(f"binary_sentiment needs a {col!r} column; the dataset has {ds.column_names}")
    texts, labels, ids = [], [], []
    for rid, r, t in zip(column(ds, "review_id"), column(ds, "rating"), column(ds, "text")):
        if not t or not str(t).strip():
            continue
        if r >= pos_min:
            labels.append(1)
        elif r <= neg_max:
            labels.append(0)
        else:
            continue
        texts.append(str(t))
        ids.append(str(rid))
    return SentimentData(texts, np.asarray(labels, dtype=np.int64), ids)


def holdout(
    data: SentimentData, *, test_neg_frac: float = 0.3, balanced_test: bool = True, seed: int = 0
) -> tuple[SentimentData, SentimentData]:
    """Split into ``(pool, test)``: ``test_neg_frac`` of each class, or with ``balanced_test`` that share of
    negatives plus as many positives.

    Example:
        >>> import numpy as np
        >>> d = SentimentData([str(i) for i in range(20)], np.array([0] * 10 + [1] * 10), [str(i) for i in range(20)])
        >>> pool, test = holdout(d, test_neg_frac=0.3)
        >>> len(pool), test.labels.tolist()
        (14, [0, 0, 0, 1, 1, 1])
    """
    rng = _rng(seed, 7)
    neg = np.flatnonzero(data.labels == 0)
    pos = np.flatnonzero(data.labels == 1)
    if len(neg) < 2 or len(pos) < 2:
        raise ValueError(
            f"need at least 2 examples per class, got {len(neg)} negative and {len(pos)} positive"
        )
    n_neg = max(1, round(test_neg_frac * len(neg)))
    n_pos = n_neg if balanced_test else max(1, round(test_neg_frac * len(pos)))
    if n_pos >= len(pos):
        raise ValueError(f"test set wants {n_pos} positives but only {len(pos)} exist")
    test_idx = np.sort(np.concatenate([rng.permutation(neg)[:n_neg], rng.permutation(pos)[:n_pos]]))
    pool_idx = np.setdiff1d(np.arange(len(data)), test_idx)
    test = data.take(test_idx)
    order = np.argsort(test.labels, kind="stable")
    return data.take(pool_idx), test.take(order)


def stratified_subsample(
    labels: np.ndarray,
    size: int | None,
    rng: np.random.Generator,
    *,
    min_per_class: int = 2,
    balance: str = "natural",
) -> np.ndarray:
    """Indices of a subsample of ``size`` (all rows if ``None``).

    ``balance="natural"`` keeps the classes in their pool ratio (at least ``min_per_class`` each);
    ``balance="equal"`` takes ``size // 2`` of the minority class, or all of it when the pool has fewer,
    and fills the rest with the majority class.

    Example:
        >>> import numpy as np
        >>> labels = np.array([0] * 10 + [1] * 90)
        >>> idx = stratified_subsample(labels, 20, np.random.default_rng(0))
        >>> int((idx < 10).sum()), len(idx)
        (2, 20)
        >>> int((stratified_subsample(labels, 30, np.random.default_rng(0), balance="equal") < 10).sum())
        10
    """
    labels = np.asarray(labels)
    if size is None or size >= len(labels):
        return np.arange(len(labels))
    classes = np.unique(labels)
    big = max(classes, key=lambda c: int((labels == c).sum()))  # the majority class takes the remainder
    if balance == "natural":
        want = {c: max(min_per_class, round(size * float((labels == c).mean()))) for c in classes}
    elif balance == "equal":
        want = {c: max(min_per_class, min(size // len(classes), int((labels == c).sum()))) for c in classes}
    else:
        raise ValueError(f"balance must be 'natural' or 'equal', got {balance!r}")
    want[big] = size - sum(v for c, v in want.items() if c != big)
    if want[big] < min_per_class:
        raise ValueError(
            f"subsample of {size} cannot hold {min_per_class} examples of each of {len(classes)} classes"
        )
    out = []
    for c in classes:
        idx = np.flatnonzero(labels == c)
        if want[c] > len(idx):
            raise ValueError(
                f"subsample of {size} needs {want[c]} examples of class {c}, the pool has {len(idx)}"
            )
        out.append(rng.choice(idx, size=want[c], replace=False))
    return np.sort(np.concatenate(out))


def from_augmented(copies: Mapping[str, Sequence[str]]) -> AugmentFn:
    """An ``augment_fn`` that serves precomputed copies: ``copies[review_id]`` (first ``n_copies`` used).

    Copies keep their source's label. Build the mapping from :func:`reviewaug.augment.augment_dataset`
    output, e.g. ``{aug_of: [texts...]}``.

    Example:
        >>> import numpy as np
        >>> fn = from_augmented({"r1": ["x1", "x2", "x3"]})
        >>> fn(["x"], ["r1"], np.array([0]), 2, 0)
        [('x1', 0, 0), ('x2', 0, 0)]
    """

    def augment(
        texts: list[str], ids: list[str], labels: np.ndarray, n_copies: int, seed: int
    ) -> list[tuple[str, int, int]]:
        out = []
        for i, (rid, lab) in enumerate(zip(ids, labels)):
            got = list(copies.get(rid, ()))[:n_copies]
            out.extend((str(t), int(lab), i) for t in got)
        return out

    return augment


def memoized(fn: AugmentFn) -> AugmentFn:
    """``fn`` with its copies kept: a repeated call (same review ids, copy count and seed) is served from memory,
    so several runs of the protocol (other features, other ``C``) train on the very same copies made once.

    Example:
        >>> import numpy as np
        >>> calls = []
        >>> fn = memoized(lambda t, i, y, n, s: calls.append(s) or [(t[0] + "!", int(y[0]), 0)] * n)
        >>> fn(["x"], ["r1"], np.array([1]), 2, 0) == fn(["x"], ["r1"], np.array([1]), 2, 0), calls
        (True, [0])
    """
    seen: dict[tuple[Any, ...], Any] = {}

    def augment(texts: list[str], ids: list[str], labels: np.ndarray, n_copies: int, seed: int) -> Any:
        key = (tuple(ids), int(n_copies), int(seed))
        if key not in seen:
            seen[key] = fn(texts, ids, labels, n_copies, seed)
        return seen[key]

    return augment


def from_augmented_dataset(aug: Any) -> AugmentFn:
    """An ``augment_fn`` serving the copies of an ``augment_dataset`` output (``aug_index >= 1``, by index).

    Example:
        >>> from datasets import Dataset
        >>> import numpy as np
        >>> aug = Dataset.from_dict({"aug_of": ["r", "r", "r"], "aug_index": [0, 2, 1], "text": ["o", "c2", "c1"]})
        >>> from_augmented_dataset(aug)(["o"], ["r"], np.array([1]), 2, 0)
        [('c1', 1, 0), ('c2', 1, 0)]
    """
    for col in ("aug_of", "aug_index", "text"):
        if col not in aug.column_names:
            raise KeyError(
                f"from_augmented_dataset needs an {col!r} column (augment_dataset output); has {aug.column_names}"
            )
    rows = sorted(
        (str(src), int(k), str(t))
        for src, k, t in zip(column(aug, "aug_of"), column(aug, "aug_index"), column(aug, "text"))
        if int(k) >= 1
    )
    copies: dict[str, list[str]] = {}
    for src, _, t in rows:
        copies.setdefault(src, []).append(t)
    return from_augmented(copies)


TFIDF_MAX_FEATURES = 200_000


def _ngram_counts(train_texts: Sequence[str], test_texts: Sequence[str]) -> tuple[Any, Any]:
    """Unigram + bigram counts of the training texts and, over the training vocabulary, of the test texts."""
    from sklearn.feature_extraction.text import CountVectorizer

    cv = CountVectorizer(ngram_range=(1, 2))
    return cv.fit_transform(list(train_texts)), cv.transform(list(test_texts))


def _tfidf_from_counts(ctr: Any, cte: Any, *, max_features: int = TFIDF_MAX_FEATURES) -> tuple[Any, Any]:
    """The TF-IDF a ``TfidfVectorizer`` fitted on ``ctr``'s rows would give, from count rows.

    ``ctr`` may carry columns its rows never use (counts made over a larger set of texts, sliced to a fold): the
    vocabulary is the columns the rows use, cut to the ``max_features`` most frequent with scikit-learn's own
    ordering (:func:`numpy.argsort` of the negated totals over the alphabetical columns), so the vocabulary and
    the entries are the vectorizer's; values can differ in the last bit, as its rows sum their norms in another
    order (a test checks both).
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    cols = np.flatnonzero(np.bincount(ctr.indices, minlength=ctr.shape[1]))
    if len(cols) > max_features:
        totals = np.asarray(ctr[:, cols].sum(axis=0)).ravel()
        cols = np.sort(cols[(-totals).argsort()[:max_features]])
    ctr, cte = ctr[:, cols], cte[:, cols]
    tfidf = TfidfTransformer(sublinear_tf=True).fit(ctr)
    return tfidf.transform(ctr), tfidf.transform(cte)


def _features_tfidf(train_texts: list[str], test_texts: list[str]) -> tuple[Any, Any]:
    return _tfidf_from_counts(*_ngram_counts(train_texts, test_texts))


def _features_minilm(train_texts: list[str], test_texts: list[str]) -> tuple[Any, Any]:
    from reviewaug.evaluate.embed import encode

    return encode(train_texts), encode(test_texts)


FEATURES: dict[str, Callable[[list[str], list[str]], tuple[Any, Any]]] = {
    "tfidf": _features_tfidf,
    "minilm": _features_minilm,
}


@dataclass(frozen=True)
class _CellFeatures:
    """A cell's texts turned into features once, then sliced for every fold and the final fit.

    ``tfidf`` counts n-grams once (the vocabulary and weights are still fitted on each fold's training rows
    alone); ``minilm`` is a fixed encoder, embedded once; any other entry of :data:`FEATURES` is called per split.
    """

    feature: str
    texts: list[str]
    base: Any = None
    test_base: Any = None

    @classmethod
    def of(cls, feature: str, texts: Sequence[str], test_texts: Sequence[str]) -> _CellFeatures:
        if feature not in FEATURES:
            raise ValueError(f"unknown feature {feature!r}; use one of {sorted(FEATURES)}")
        texts, test_texts = list(texts), list(test_texts)
        if feature == "tfidf":
            return cls(feature, texts, *_ngram_counts(texts, test_texts))
        if feature == "minilm":
            return cls(feature, texts, *FEATURES[feature](texts, test_texts))
        return cls(feature, texts, None, test_texts)

    def split(self, tr: np.ndarray, va: np.ndarray) -> tuple[Any, Any]:
        """Features fitted on rows ``tr`` and applied to rows ``va``."""
        if self.base is None:
            return FEATURES[self.feature]([self.texts[i] for i in tr], [self.texts[i] for i in va])
        if self.feature == "tfidf":
            return _tfidf_from_counts(self.base[tr], self.base[va])
        return self.base[tr], self.base[va]

    def full(self) -> tuple[Any, Any]:
        """Features fitted on every row and applied to the test texts."""
        if self.base is None:
            return FEATURES[self.feature](self.texts, self.test_base)
        if self.feature == "tfidf":
            return _tfidf_from_counts(self.base, self.test_base)
        return self.base, self.test_base


def fit_predict(
    feature: str,
    train_texts: list[str],
    train_labels: np.ndarray,
    test_texts: list[str],
    *,
    class_weight: str | None = "balanced",
    C: float = 1.0,
) -> np.ndarray:
    """Fit logistic regression (inverse regularization ``C``) on ``feature`` (``tfidf`` or ``minilm``) and
    predict 0/1 for ``test_texts``.

    Example:
        >>> import numpy as np
        >>> fit_predict("tfidf", ["good", "great", "bad", "awful"], np.array([1, 1, 0, 0]), ["good", "bad"]).tolist()
        [1, 0]
    """
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}; use one of {sorted(FEATURES)}")
    xtr, xte = FEATURES[feature](list(train_texts), list(test_texts))
    return _fit_lr(xtr, np.asarray(train_labels), xte, C=C, class_weight=class_weight)


def _fit_lr(xtr: Any, ytr: np.ndarray, xte: Any, *, C: float, class_weight: str | None) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    clf = LogisticRegression(C=float(C), max_iter=2000, class_weight=class_weight)
    # one thread: on these sizes sklearn's OpenMP loss loops spend more on start-up than they save (3x slower on
    # 2 cores, benchmarks/README.md); the fit does not depend on the thread count
    with threadpool_limits(limits=1):
        clf.fit(xtr, ytr)
    return clf.predict(xte).astype(np.int64)


DEFAULT_C_GRID = (0.01, 0.1, 1.0, 10.0, 100.0)


def grouped_folds(labels: np.ndarray, folds: int, rng: np.random.Generator) -> np.ndarray:
    """A fold number per source example, stratified by label: each class is shuffled and dealt round-robin.

    Example:
        >>> import numpy as np
        >>> f = grouped_folds(np.array([0, 0, 0, 1, 1, 1]), 3, np.random.default_rng(0))
        >>> sorted(f[:3].tolist()), sorted(f[3:].tolist())
        ([0, 1, 2], [0, 1, 2])
    """
    labels = np.asarray(labels)
    out = np.empty(len(labels), dtype=np.int64)
    start = 0
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        out[idx] = (np.arange(len(idx)) + start) % folds
        start += len(idx)  # the next class continues the deal, so fold sizes stay even
    return out


def select_c(
    feature: str,
    texts: Sequence[str],
    labels: np.ndarray,
    sources: np.ndarray,
    n_original: int,
    rng: np.random.Generator,
    *,
    grid: Sequence[float] = DEFAULT_C_GRID,
    folds: int = 3,
    class_weight: str | None = "balanced",
    n_jobs: int = 1,
) -> tuple[float, dict[float, float]]:
    """Choose logistic regression's ``C`` by grouped, stratified cross-validation on a training set alone.

    ``texts[:n_original]`` are the training examples, the rest their copies; ``sources[i]`` is the position
    of row ``i``'s source example (``i`` itself for an example). Folds are dealt over the examples
    (:func:`grouped_folds`), so a copy trains only where its source does, and only examples are validated
    (the test set holds no copies). The score is balanced accuracy pooled over the folds (the test set is
    balanced); ties go to the ``C`` nearest 1.0 on a log scale, so the fit leaves the default only when the
    folds prefer another value. With fewer than 2 examples of a class there is nothing to validate: ``C = 1``.
    A grid of one value fixes ``C`` (nothing is fitted and the scores are empty), so a study can hold ``C`` fixed
    through the same code path.
    ``n_jobs > 1`` runs the folds' fits in that many processes (joblib); the fits are deterministic, so the
    choice is the same. Returns the chosen ``C`` and the score of every grid value.

    Example:
        >>> import numpy as np
        >>> texts = ["good", "great", "fine", "bad", "awful", "poor"]
        >>> c, scores = select_c("tfidf", texts, np.array([1, 1, 1, 0, 0, 0]), np.arange(6), 6,
        ...                      np.random.default_rng(0), grid=(0.1, 1.0, 10.0))
        >>> c in (0.1, 1.0, 10.0) and sorted(scores) == [0.1, 1.0, 10.0]
        True
    """
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}; use one of {sorted(FEATURES)}")
    texts = list(texts)
    if len(texts) != len(labels) or len(texts) != len(sources):
        raise ValueError(f"select_c: {len(texts)} texts, {len(labels)} labels, {len(sources)} sources")
    return _select_c(
        lambda: _CellFeatures.of(feature, texts, []), labels, sources, n_original, rng,
        grid=grid, folds=folds, class_weight=class_weight, n_jobs=n_jobs,
    )  # fmt: skip


def _select_c(
    features: _CellFeatures | Callable[[], _CellFeatures],
    labels: np.ndarray,
    sources: np.ndarray,
    n_original: int,
    rng: np.random.Generator,
    *,
    grid: Sequence[float],
    folds: int,
    class_weight: str | None,
    n_jobs: int = 1,
) -> tuple[float, dict[float, float]]:
    """:func:`select_c` on a cell's features made once (a callable is called only when there is something to
    validate)."""
    from sklearn.metrics import balanced_accuracy_score

    if not grid:
        raise ValueError("select_c needs a non-empty grid of C values")
    if len(grid) == 1:  # nothing to choose
        return float(grid[0]), {}
    labels = np.asarray(labels)
    sources = np.asarray(sources, dtype=np.int64)
    y0 = labels[:n_original]
    k = min(int(folds), int(np.bincount(y0, minlength=2).min()))
    if k < 2:
        return 1.0, {}
    fold_of = grouped_folds(y0, k, rng)[sources]
    is_orig = np.arange(len(labels)) < n_original
    cell = features if isinstance(features, _CellFeatures) else features()
    splits = []
    for f in range(k):
        tr = np.flatnonzero(fold_of != f)
        va = np.flatnonzero((fold_of == f) & is_orig)
        splits.append((tr, va, *cell.split(tr, va)))
    fits = [(j, c) for j in range(k) for c in grid]
    args = [(splits[j][2], labels[splits[j][0]], splits[j][3], c) for j, c in fits]
    if n_jobs > 1:
        from joblib import Parallel, delayed

        out = Parallel(n_jobs=n_jobs)(
            delayed(_fit_lr)(*a[:3], C=a[3], class_weight=class_weight) for a in args
        )
    else:
        out = [_fit_lr(*a[:3], C=a[3], class_weight=class_weight) for a in args]
    pred = {c: np.empty(n_original, dtype=np.int64) for c in grid}
    for (j, c), p in zip(fits, out):
        pred[c][splits[j][1]] = p
    scores = {float(c): float(balanced_accuracy_score(y0, pred[c])) for c in grid}
    best = max(scores.values())
    chosen = min((c for c, v in scores.items() if v == best), key=lambda c: (abs(np.log10(c)), c))
    return chosen, scores


def _sources(extra: Sequence[tuple[Any, ...]], n: int, arm: str, *, need: bool) -> np.ndarray:
    """The source position of each copy an augment_fn returned (``-1`` where it gave pairs and none is needed)."""
    if all(len(e) >= 3 for e in extra):
        src = np.asarray([int(e[2]) for e in extra], dtype=np.int64)
        bad = np.flatnonzero((src < 0) | (src >= n))
        if len(bad):
            raise ValueError(
                f"arm {arm!r}: copy {int(bad[0])} names source {int(src[bad[0]])}, outside the {n} training examples"
            )
        return src
    if need:
        raise ValueError(
            f"arm {arm!r} returns (text, label) pairs; tune_c needs (text, label, source) triples to keep each "
            "copy in its source's fold"
        )
    return np.full(len(extra), -1, dtype=np.int64)


def _size_label(size: int | None) -> str:
    return "all" if size is None else str(int(size))


@dataclass
class SentimentResult:
    """Predictions of every (feature, size, arm, copies) cell on the fixed test set, seeds x test examples."""

    y_test: np.ndarray
    seeds: list[int]
    predictions: dict[tuple[str, str, str, int], np.ndarray]
    train_sizes: dict[str, int]
    info: dict[str, Any] = field(default_factory=dict)

    def cells(self) -> list[tuple[str, str, str, int]]:
        """The (feature, size, arm, copies) keys, sizes in numeric order with ``all`` last."""

        def key(c: tuple[str, str, str, int]) -> tuple[Any, ...]:
            size = float("inf") if c[1] == "all" else float(c[1])
            return (c[0], size, c[2] != NO_AUG, c[2], c[3])

        return sorted(self.predictions, key=key)

    def compare(self, *, n_boot: int = 1000, alpha: float = 0.05, seed: int = 0) -> list[dict[str, Any]]:
        """Each augmented cell against no-aug at the same feature and size, for accuracy and macro-F1.

        Rows hold base/arm means with CIs, the difference with CI, ``p_boot`` (two-level bootstrap),
        ``p_holm`` (Holm over the two metrics), per-seed differences, Wilcoxon over seeds and a verdict.
        """
        rows = []
        for feat, size, arm, k in self.cells():
            if arm == NO_AUG:
                continue
            base = self.predictions.get((feat, size, NO_AUG, 0))
            if base is None:
                continue
            pair = []
            for metric in ("accuracy", "f1"):
                r = bootstrap_seeds_items(
                    self.y_test,
                    base,
                    self.predictions[(feat, size, arm, k)],
                    metric=metric,
                    n_boot=n_boot,
                    alpha=alpha,
                    seed=seed,
                )
                r.update(feature=feat, size=size, arm=arm, copies=k)
                pair.append(r)
            for r, p in zip(pair, holm([r["p_boot"] for r in pair])):
                r["p_holm"] = float(p)
                r["verdict"] = verdict(r["diff"], r["diff_ci_low"], r["diff_ci_high"], r["p_holm"], alpha)
            rows.extend(pair)
        return rows

    def baselines(self, *, n_boot: int = 1000, seed: int = 0) -> list[dict[str, Any]]:
        """Mean and CI of accuracy and macro-F1 for every cell (including no-aug)."""
        rows = []
        for feat, size, arm, k in self.cells():
            for metric in ("accuracy", "f1"):
                r = bootstrap_seeds_items(
                    self.y_test,
                    self.predictions[(feat, size, arm, k)],
                    metric=metric,
                    n_boot=n_boot,
                    seed=seed,
                )
                r.update(feature=feat, size=size, arm=arm, copies=k)
                rows.append(r)
        return rows


def run_sentiment(
    data: Any,
    arms: Mapping[str, AugmentFn] | None = None,
    *,
    sizes: Sequence[int | None] = (50, 200, 500, 2000, None),
    copies: Sequence[int] = (4, 16),
    seeds: Iterable[int] = range(5),
    features: Sequence[str] = ("tfidf", "minilm"),
    test_neg_frac: float = 0.3,
    balanced_test: bool = True,
    split_seed: int = 0,
    max_train_minilm: int | None = None,
    class_weight: str | None = "balanced",
    train_balance: str = "equal",
    tune_c: Sequence[float] | None = None,
    cv_folds: int = 3,
    n_jobs: int = 1,
    show_progress: bool = True,
) -> SentimentResult:
    """Run the protocol; ``data`` is a review dataset or a :class:`SentimentData`.

    ``arms`` maps arm names to augment functions (the no-aug arm is always run). ``max_train_minilm`` skips
    MiniLM cells whose training set (originals + copies) would exceed it — embedding is the slow part;
    skipped cells are listed in ``info["skipped"]``. ``tune_c`` (a grid, e.g. :data:`DEFAULT_C_GRID`) picks
    each cell's ``C`` by :func:`select_c` with ``cv_folds`` folds; the choices and fold scores go to
    ``info["tuning"]``; ``n_jobs`` processes share its fits (the same choices at any count). Without it every
    fit uses ``C = 1``.

    Example:
        >>> from datasets import Dataset  # doctest: +SKIP
        >>> res = run_sentiment(ds, {}, sizes=[50], seeds=[0], features=["tfidf"])  # doctest: +SKIP
    """
    t_start = time.perf_counter()
    sdata = data if isinstance(data, SentimentData) else binary_sentiment(data)
    pool, test = holdout(sdata, test_neg_frac=test_neg_frac, balanced_test=balanced_test, seed=split_seed)
    seeds = [int(s) for s in seeds]
    arms = dict(arms or {})
    if NO_AUG in arms:
        raise ValueError(f"arm name {NO_AUG!r} is reserved for the baseline")
    preds: dict[tuple[str, str, str, int], list[np.ndarray]] = {}
    sizes_actual: dict[str, int] = {}
    train_negs: dict[str, int] = {}
    skipped: list[str] = []
    timing: dict[str, float] = {}
    tuning: dict[str, list[dict[str, Any]]] = {}
    jobs = [(size, seed) for size in sizes for seed in seeds]
    it: Iterable[tuple[int | None, int]] = jobs
    bar = None
    if show_progress:
        from tqdm.auto import tqdm

        it = bar = tqdm(jobs, desc="sentiment (size x seed)")
    for size, seed in it:
        label = _size_label(size)
        idx = stratified_subsample(
            pool.labels, size, _rng(seed, 11, -1 if size is None else size), balance=train_balance
        )
        sub = pool.take(idx)
        sizes_actual[label] = len(sub)
        train_negs[label] = int((sub.labels == 0).sum())
        variants: list[tuple[str, int, list[str], np.ndarray, np.ndarray]] = [
            (NO_AUG, 0, sub.texts, sub.labels, np.arange(len(sub)))
        ]
        for name, fn in arms.items():
            for k in copies:
                if bar is not None:
                    bar.set_postfix_str(f"N={label} augmenting: {name} x{k}")
                t0 = time.perf_counter()
                extra = fn(list(sub.texts), list(sub.review_ids), sub.labels.copy(), int(k), seed)
                timing[f"augment:{name}"] = timing.get(f"augment:{name}", 0.0) + time.perf_counter() - t0
                ex_t = [str(e[0]) for e in extra]
                ex_y = np.asarray([int(e[1]) for e in extra], dtype=np.int64)
                ex_s = _sources(extra, len(sub), name, need=tune_c is not None)
                variants.append(
                    (
                        name,
                        int(k),
                        sub.texts + ex_t,
                        np.concatenate([sub.labels, ex_y]),
                        np.concatenate([np.arange(len(sub)), ex_s]),
                    )
                )
        for feat in features:
            for name, k, texts, labels, sources in variants:
                key = (feat, label, name, k)
                if (
                    bar is not None
                ):  # a cell at N = all with 16 copies takes minutes: say which one is running
                    bar.set_postfix_str(f"N={label} {feat} {name} x{k} ({len(texts):,} texts)")
                if feat == "minilm" and max_train_minilm is not None and len(texts) > max_train_minilm:
                    if key not in skipped:
                        skipped.append(key)
                    continue
                whole_pool = len(idx) == len(pool)
                if name == NO_AUG and whole_pool and preds.get(key) and tune_c is None:
                    preds[key].append(preds[key][0])  # same data, deterministic fit: reuse the first seed's
                    continue
                t0 = time.perf_counter()
                cell = _CellFeatures.of(feat, texts, test.texts)  # counted or embedded once per cell
                timing[f"features:{feat}"] = timing.get(f"features:{feat}", 0.0) + time.perf_counter() - t0
                c = 1.0
                if tune_c is not None:
                    t0 = time.perf_counter()
                    fold_rng = _rng(seed, 13, -1 if size is None else size)  # the same folds for every arm
                    c, scores = _select_c(
                        cell, labels, sources, len(sub), fold_rng,
                        grid=tune_c, folds=cv_folds, class_weight=class_weight, n_jobs=n_jobs,
                    )  # fmt: skip
                    tuning.setdefault("|".join(map(str, key)), []).append(
                        {"seed": seed, "C": c, "cv_balanced_accuracy": scores}
                    )
                    timing[f"tune:{feat}"] = timing.get(f"tune:{feat}", 0.0) + time.perf_counter() - t0
                t0 = time.perf_counter()
                xtr, xte = cell.full()
                p = _fit_lr(xtr, labels, xte, C=c, class_weight=class_weight)
                timing[f"fit:{feat}"] = timing.get(f"fit:{feat}", 0.0) + time.perf_counter() - t0
                preds.setdefault(key, []).append(p)
    stacked = {k: np.stack(v) for k, v in preds.items() if len(v) == len(seeds)}
    info = {
        "n_pool": len(pool),
        "n_test": len(test),
        "test_negatives": int((test.labels == 0).sum()),
        "pool_negative_share": float((pool.labels == 0).mean()),
        "balanced_test": balanced_test,
        "train_balance": train_balance,
        "train_negatives": {k: int(v) for k, v in train_negs.items()},
        "skipped": [list(k) for k in skipped],
        "tuning": {"grid": [float(c) for c in tune_c], "folds": int(cv_folds), "cells": tuning}
        if tune_c is not None
        else None,
        "seconds": {k: round(v, 2) for k, v in timing.items()},
        "total_seconds": round(time.perf_counter() - t_start, 2),
    }
    return SentimentResult(test.labels, seeds, stacked, sizes_actual, info)
