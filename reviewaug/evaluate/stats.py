"""Paired statistics for arm-vs-baseline comparisons: bootstrap CIs, Wilcoxon, Holm.

* :func:`paired_bootstrap` — per-user paired bootstrap of the mean difference (and relative change) with a
  percentile 95% CI; the generator is built from an explicit seed.
* :func:`wilcoxon_p` — two-sided Wilcoxon signed-rank test (``scipy.stats.wilcoxon``) on the paired values.
* :func:`holm` — Holm–Bonferroni step-down adjusted p-values (family = the metrics of one arm and slice).
* :func:`compare_paired` — all of the above for several metrics at once, with a plain-words verdict.
* :func:`bootstrap_seeds_items` — two-level bootstrap (seeds and test examples) for classifier metrics.

Example:
    >>> import numpy as np
    >>> a = np.zeros(200); b = np.full(200, 0.1)
    >>> r = paired_bootstrap(a, b, seed=0)
    >>> round(r["diff"], 3), r["ci_low"] > 0
    (0.1, True)
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "bootstrap_seeds_items",
    "classification_metric",
    "compare_paired",
    "holm",
    "paired_bootstrap",
    "verdict",
    "wilcoxon_p",
]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(int(seed)))


def paired_bootstrap(
    base: Sequence[float] | np.ndarray,
    arm: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, float]:
    """Bootstrap over paired units (users) of ``mean(arm) - mean(base)`` and ``mean(arm)/mean(base) - 1``.

    Returns ``n``, ``base_mean``, ``arm_mean``, ``diff``, ``ci_low``, ``ci_high``, ``rel``, ``rel_ci_low``,
    ``rel_ci_high`` and ``p_boot`` (two-sided share of resampled differences on the other side of 0).

    Example:
        >>> r = paired_bootstrap([1.0, 2.0, 3.0], [1.5, 2.5, 3.5], seed=1)
        >>> round(r["diff"], 6), round(r["ci_low"], 6), round(r["ci_high"], 6)
        (0.5, 0.5, 0.5)
    """
    a = np.asarray(base, dtype=np.float64)
    b = np.asarray(arm, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(
            f"paired_bootstrap needs two 1-d arrays of equal length, got {a.shape} and {b.shape}"
        )
    n = len(a)
    nan = float("nan")
    if n == 0:
        return dict(
            n=0,
            base_mean=nan,
            arm_mean=nan,
            diff=nan,
            ci_low=nan,
            ci_high=nan,
            rel=nan,
            rel_ci_low=nan,
            rel_ci_high=nan,
            p_boot=nan,
        )
    rng = _rng(seed)
    sums_a = np.empty(n_boot)
    sums_b = np.empty(n_boot)
    step = max(1, int(2_000_000 // max(n, 1)))
    for lo in range(0, n_boot, step):
        hi = min(n_boot, lo + step)
        idx = rng.integers(0, n, size=(hi - lo, n))
        sums_a[lo:hi] = a[idx].mean(axis=1)
        sums_b[lo:hi] = b[idx].mean(axis=1)
    d = sums_b - sums_a
    q = [100 * alpha / 2, 100 * (1 - alpha / 2)]
    lo_d, hi_d = np.percentile(d, q)
    ma, mb = float(a.mean()), float(b.mean())
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_boot = np.where(sums_a > 0, sums_b / sums_a - 1.0, np.nan)
    rel_ok = rel_boot[np.isfinite(rel_boot)]
    lo_r, hi_r = np.percentile(rel_ok, q) if len(rel_ok) else (nan, nan)
    p = float(min(1.0, 2 * min((d <= 0).mean(), (d >= 0).mean()))) if np.any(d != 0) else 1.0
    return dict(
        n=n,
        base_mean=ma,
        arm_mean=mb,
        diff=mb - ma,
        ci_low=float(lo_d),
        ci_high=float(hi_d),
        rel=(mb / ma - 1.0) if ma > 0 else nan,
        rel_ci_low=float(lo_r),
        rel_ci_high=float(hi_r),
        p_boot=p,
    )


def wilcoxon_p(base: Sequence[float] | np.ndarray, arm: Sequence[float] | np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of the paired differences (zero differences dropped).

    Returns 1.0 when every difference is zero and NaN with no pairs.

    Example:
        >>> wilcoxon_p([0, 0, 0], [0, 0, 0])
        1.0
        >>> wilcoxon_p(list(range(20)), [x + 1 for x in range(20)]) < 0.001
        True
    """
    from scipy.stats import wilcoxon

    d = np.asarray(arm, dtype=np.float64) - np.asarray(base, dtype=np.float64)
    if len(d) == 0:
        return float("nan")
    if not np.any(d != 0):
        return 1.0
    return float(wilcoxon(d, zero_method="wilcox", alternative="two-sided").pvalue)


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaNs are kept and do not count towards the family size).

    Example:
        >>> holm([0.02, 0.01, float("nan")]).tolist()
        [0.02, 0.02, nan]
    """
    p = np.asarray(pvalues, dtype=np.float64)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adj, 1.0)
    return out


def verdict(diff: float, ci_low: float, ci_high: float, p_adj: float, alpha: float = 0.05) -> str:
    """Plain words for one comparison: significant gain / significant loss / no significant difference.

    Significant needs both the CI to exclude 0 and the adjusted p-value to be below ``alpha``.

    Example:
        >>> verdict(0.02, 0.01, 0.03, 0.001)
        'significant gain'
        >>> verdict(0.02, -0.01, 0.05, 0.2)
        'no significant difference'
    """
    if not np.isfinite(diff):
        return "not measured"
    if np.isfinite(p_adj) and p_adj < alpha:
        if ci_low > 0:
            return "significant gain"
        if ci_high < 0:
            return "significant loss"
    return "no significant difference"


def compare_paired(
    base: Mapping[str, np.ndarray],
    arm: Mapping[str, np.ndarray],
    metrics: Sequence[str] | None = None,
    *,
    n_boot: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Compare an arm with the baseline on paired per-unit values for each metric, Holm across metrics.

    ``base[m]`` and ``arm[m]`` are aligned 1-d arrays (NaN pairs are dropped). Each returned row holds the
    :func:`paired_bootstrap` fields plus ``metric``, ``p_wilcoxon``, ``p_holm`` and ``verdict``.

    Example:
        >>> import numpy as np
        >>> rows = compare_paired({"m": np.zeros(50)}, {"m": np.ones(50)})
        >>> rows[0]["verdict"]
        'significant gain'
    """
    metrics = list(metrics or base.keys())
    rows = []
    for m in metrics:
        a = np.asarray(base[m], dtype=np.float64)
        b = np.asarray(arm[m], dtype=np.float64)
        keep = np.isfinite(a) & np.isfinite(b)
        r = paired_bootstrap(a[keep], b[keep], n_boot=n_boot, alpha=alpha, seed=seed)
        r["metric"] = m
        r["p_wilcoxon"] = wilcoxon_p(a[keep], b[keep])
        rows.append(r)
    adj = holm([r["p_wilcoxon"] for r in rows])
    for r, p in zip(rows, adj):
        r["p_holm"] = float(p)
        r["verdict"] = verdict(r["diff"], r["ci_low"], r["ci_high"], r["p_holm"], alpha)
    return rows


def classification_metric(name: str) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """Weighted accuracy or macro-F1 of binary predictions, vectorized over bootstrap weight rows.

    The returned function takes ``weights (B x n)``, ``y (n)`` and ``pred (n)`` and returns ``B`` values.

    Example:
        >>> import numpy as np
        >>> f = classification_metric("accuracy")
        >>> f(np.ones((1, 4)), np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])).tolist()
        [0.75]
    """
    if name == "accuracy":

        def acc(w: np.ndarray, y: np.ndarray, pred: np.ndarray) -> np.ndarray:
            return (w @ (y == pred).astype(float)) / w.sum(axis=1)

        return acc
    if name in ("f1", "macro_f1"):

        def f1(w: np.ndarray, y: np.ndarray, pred: np.ndarray) -> np.ndarray:
            scores = []
            for c in (0, 1):
                tp = w @ ((pred == c) & (y == c)).astype(float)
                fp = w @ ((pred == c) & (y != c)).astype(float)
                fn = w @ ((pred != c) & (y == c)).astype(float)
                denom = 2 * tp + fp + fn
                scores.append(np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0))
            return (scores[0] + scores[1]) / 2

        return f1
    raise ValueError(f"unknown classification metric {name!r}; use 'accuracy' or 'f1'")


def bootstrap_seeds_items(
    y: np.ndarray,
    base_pred: np.ndarray,
    arm_pred: np.ndarray | None = None,
    *,
    metric: str = "accuracy",
    n_boot: int = 1000,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, float]:
    """Two-level bootstrap over training seeds and test examples of a classifier metric (and a paired difference).

    ``base_pred`` / ``arm_pred`` are ``seeds x n_test`` 0/1 predictions on the same test set ``y``. Each
    replicate resamples the seeds and the test examples (the same draws for both arms), so the CI reflects
    both training-sample and test-sample variance. Returns the mean over seeds and its CI for the base (and
    arm), and with ``arm_pred`` the difference ``arm - base`` with CI, ``p_boot`` and per-seed differences.

    Example:
        >>> import numpy as np
        >>> y = np.array([0, 1] * 50)
        >>> r = bootstrap_seeds_items(y, np.zeros((3, 100), int), np.tile(y, (3, 1)), seed=0)
        >>> r["base_mean"], r["arm_mean"], r["diff_ci_low"] > 0
        (0.5, 1.0, True)
    """
    fn = classification_metric(metric)
    y = np.asarray(y)
    base_pred = np.atleast_2d(np.asarray(base_pred))
    s, n = base_pred.shape
    if len(y) != n:
        raise ValueError(f"predictions cover {n} test examples but y has {len(y)}")
    rng = _rng(seed)
    w = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(n_boot)]).astype(float)
    seed_draw = rng.integers(0, s, size=(n_boot, s))
    ones = np.ones((1, n))
    q = [100 * alpha / 2, 100 * (1 - alpha / 2)]

    def per_seed(pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        point = np.array([fn(ones, y, p)[0] for p in pred])
        boot = np.stack([fn(w, y, p) for p in pred], axis=1)  # B x S
        return point, np.take_along_axis(boot, seed_draw, axis=1).mean(axis=1)

    bp, bb = per_seed(base_pred)
    out: dict[str, Any] = {
        "metric": metric,
        "n_test": int(n),
        "n_seeds": int(s),
        "base_mean": float(bp.mean()),
    }
    out["base_ci_low"], out["base_ci_high"] = (float(x) for x in np.percentile(bb, q))
    if arm_pred is not None:
        arm_pred = np.atleast_2d(np.asarray(arm_pred))
        if arm_pred.shape != base_pred.shape:
            raise ValueError(f"arm predictions {arm_pred.shape} do not match base {base_pred.shape}")
        ap, ab = per_seed(arm_pred)
        d = ab - bb
        out["arm_mean"] = float(ap.mean())
        out["arm_ci_low"], out["arm_ci_high"] = (float(x) for x in np.percentile(ab, q))
        out["diff"] = float((ap - bp).mean())
        out["diff_ci_low"], out["diff_ci_high"] = (float(x) for x in np.percentile(d, q))
        out["p_boot"] = float(min(1.0, 2 * min((d <= 0).mean(), (d >= 0).mean()))) if np.any(d != 0) else 1.0
        out["per_seed_diff"] = [float(x) for x in ap - bp]
        out["p_wilcoxon_seeds"] = wilcoxon_p(bp, ap)
    return out
