"""Run one experimental arm of the recommender benchmark: tune on validation, test, per-user metrics.

An *arm* is a training split plus, optionally, extra review texts (augmented or synthesized) attached to
items. Extra texts only reach models that read text (:class:`~reviewaug.rec.models.TextHybrid`,
:class:`~reviewaug.rec.models.TextToFactors`); the
interaction matrix is always built from the original training reviews, so every arm of one split is scored
on exactly the same users and the same slices, and arms can be compared user by user.

Protocol per seed: for each parameter set of ``grid`` (the same budget for every arm), fit on train and
score NDCG@10 on validation; refit the best one on train + validation (``refit_on_val``) and rank the whole
catalogue for each test user, removing the items the user already has.

Example:
    >>> from reviewaug.rec import leave_last_out, evaluate_arm  # doctest: +SKIP
    >>> s = leave_last_out(ds)  # doctest: +SKIP
    >>> res = evaluate_arm(s.train, s.test, val=s.val, model="als", seeds=range(5))  # doctest: +SKIP
    >>> res.mean("ndcg@10", slice="sparse")  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from reviewaug.rec.interactions import build_interactions, column, make_index
from reviewaug.rec.metrics import coverage, rank_items, ranking_metrics
from reviewaug.rec.models import item_text_profiles, make_model
from reviewaug.rec.slices import SLICES, slice_of_items, truth_in_slice

__all__ = ["ArmResult", "DEFAULT_GRIDS", "SCORE_ONLY_PARAMS", "TEXT_MODELS", "compare_arms", "evaluate_arm"]

#: Validation grids used when ``grid`` is not given: a small fixed budget per model, equal for every arm.
DEFAULT_GRIDS: dict[str, list[dict[str, Any]]] = {
    "pop": [{}],
    "itemknn": [{"k": 20}, {"k": 100}],
    "als": [{"factors": 32, "regularization": 0.05}, {"factors": 64, "regularization": 0.5}],
    "bpr": [{"factors": 32, "learning_rate": 0.05}, {"factors": 64, "learning_rate": 0.01}],
    # a per-slice weight ({"sparse_weight": 0.8}) was tried on the Amazon corpus: it lost on LOO overall
    # (paired NDCG@10 0.0537 -> 0.0516) without helping the sparse slice, so the default tunes one weight
    "hybrid": [{"weight": w} for w in (0.0, 0.2, 0.4, 0.6)],
    # shrink 0 is plain ALS; one ALS fit per seed serves all four points (see SCORE_ONLY_PARAMS)
    "text2factors": [{"shrink": s} for s in (0.0, 2.0, 10.0, 50.0)],
}

#: Models that read item texts (training reviews plus ``extra_texts``).
TEXT_MODELS: frozenset[str] = frozenset({"hybrid", "text2factors"})

#: Parameters that change only how a fitted model scores: grid points differing only in these share one fit.
SCORE_ONLY_PARAMS: dict[str, tuple[str, ...]] = {
    "hybrid": ("weight", "sparse_weight"),
    "text2factors": ("shrink", "ridge_alpha", "sparse_max", "keep_norm"),
}


@dataclass
class ArmResult:
    """Per-user test metrics of one arm, seeds x users, overall and per item slice.

    Attributes:
        user_ids: the evaluated users (same order in every arm of a split).
        metrics: ``name -> (n_seeds, n_users)`` over all held-out items.
        slice_metrics: ``slice -> name -> (n_seeds, n_users)``; NaN where a user has no held-out item there.
        coverage: item coverage of the top-10 lists, one per seed.
        params: the parameters chosen on validation, one dict per seed.
        info: counts and timings (skipped users, extra texts kept/dropped, seconds).
    """

    model: str
    seeds: list[int]
    user_ids: np.ndarray
    metrics: dict[str, np.ndarray]
    slice_metrics: dict[str, dict[str, np.ndarray]]
    coverage: list[float]
    params: list[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)

    def per_user(self, metric: str, slice: str | None = None) -> np.ndarray:
        """Seed-averaged value per user (NaN for users outside ``slice``)."""
        arr = self.metrics[metric] if slice is None else self.slice_metrics[slice][metric]
        finite = np.isfinite(arr)
        n = finite.sum(axis=0)
        total = np.where(finite, arr, 0.0).sum(axis=0)
        return np.divide(total, n, out=np.full(arr.shape[1], np.nan), where=n > 0)

    def mean(self, metric: str, slice: str | None = None) -> float:
        """Mean over users of the seed-averaged metric."""
        v = self.per_user(metric, slice)
        v = v[np.isfinite(v)]
        return float(v.mean()) if len(v) else float("nan")

    def paired(
        self, other: ArmResult, metric: str, slice: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(self, other)`` per-user values on the users both arms evaluated (for paired statistics)."""
        if not np.array_equal(self.user_ids, other.user_ids):
            raise ValueError("arms were evaluated on different users; use the same split for both")
        a, b = self.per_user(metric, slice), other.per_user(metric, slice)
        keep = np.isfinite(a) & np.isfinite(b)
        return a[keep], b[keep]

    def summary(self) -> dict[str, Any]:
        """JSON-ready means per metric and slice, coverage, chosen params and info."""
        out: dict[str, Any] = {"model": self.model, "seeds": self.seeds, "n_users": int(len(self.user_ids))}
        out["overall"] = {m: self.mean(m) for m in self.metrics}
        out["slices"] = {
            s: {
                "n_users": int(np.isfinite(self.per_user(next(iter(ms)), s)).sum()),
                **{m: self.mean(m, s) for m in ms},
            }
            for s, ms in self.slice_metrics.items()
        }
        out["coverage@10"] = float(np.mean(self.coverage)) if self.coverage else float("nan")
        out["params"] = self.params
        out["info"] = self.info
        return out


def _extra_pairs(extra: Any) -> list[tuple[str, str]]:
    if extra is None:
        return []
    if hasattr(extra, "column_names"):
        if "item_id" not in extra.column_names or "text" not in extra.column_names:
            raise KeyError(f"extra_texts dataset needs item_id and text columns; has {extra.column_names}")
        pairs = zip(column(extra, "item_id"), column(extra, "text"))
        if "aug_index" in extra.column_names:  # augment_dataset output: keep the copies, not the originals
            return [(str(i), str(t)) for (i, t), k in zip(pairs, column(extra, "aug_index")) if int(k) >= 1]
        return [(str(i), str(t)) for i, t in pairs]
    out = []
    for k, pair in enumerate(extra):
        if len(pair) != 2:
            raise ValueError(f"extra_texts[{k}] must be an (item_id, text) pair, got {pair!r}")
        out.append((str(pair[0]), str(pair[1])))
    return out


def _truth(ds: Any, uidx: Mapping[str, int], iidx: Mapping[str, int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for u, i in zip(column(ds, "user_id"), column(ds, "item_id")):
        out.setdefault(uidx[str(u)], set()).add(iidx[str(i)])
    return out


def _item_texts(
    datasets: Iterable[Any], extra: list[tuple[str, str]], iidx: Mapping[str, int]
) -> list[list[str]]:
    texts: list[list[str]] = [[] for _ in range(len(iidx))]
    for ds in datasets:
        for i, t in zip(column(ds, "item_id"), column(ds, "text")):
            if t:
                texts[iidx[str(i)]].append(str(t))
    for i, t in extra:
        if t and i in iidx:
            texts[iidx[i]].append(t)
    return texts


def _score_users(
    model: Any, fit_mat: sp.csr_matrix, truth: dict[int, set[int]], ks: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, list[set[int]]]:
    has_hist = np.diff(fit_mat.indptr) > 0
    users = np.asarray(sorted(u for u in truth if has_hist[u]), dtype=np.int64)
    scores = model.score(users)
    top = rank_items(scores, fit_mat[users], k=max(ks))
    return users, top, [truth[int(u)] for u in users]


def evaluate_arm(
    train: Any,
    test: Any,
    *,
    val: Any | None = None,
    extra_texts: Any | None = None,
    model: str = "als",
    seeds: Iterable[int] = range(5),
    params: Mapping[str, Any] | None = None,
    grid: Sequence[Mapping[str, Any]] | None = None,
    ks: Sequence[int] = (10, 20),
    sparse_max: int = 5,
    refit_on_val: bool = True,
    dedupe: bool = True,
    rating_weight: float = 1.0,
    polarity_weight: float = 0.0,
    show_progress: bool = False,
) -> ArmResult:
    """Tune on ``val`` (if given) over ``grid``, then score every test user; returns per-user metrics.

    Args:
        train, val, test: review datasets (``user_id``, ``item_id``, ``rating``, ``text``) from a split.
        extra_texts: augmented/synthesized texts as ``(item_id, text)`` pairs or a dataset with ``item_id``
            and ``text`` columns (an ``augment_dataset`` output contributes only its copies,
            ``aug_index >= 1``); used only by the text models (``hybrid``, ``text2factors``). Items outside the catalogue are ignored.
            With ``dedupe`` texts duplicating a validation or test text are dropped first.
        model: ``pop``, ``itemknn``, ``als``, ``bpr``, ``hybrid`` or ``text2factors``.
        params: fixed parameters for every grid point; ``grid``: the validation budget (default
            :data:`DEFAULT_GRIDS`); with no ``val`` the first grid point is used.
        sparse_max: items with 1..sparse_max training reviews form the sparse slice, 0 the cold slice.

    Example:
        >>> from datasets import Dataset
        >>> tr = Dataset.from_dict({"user_id": ["u", "v"], "item_id": ["a", "b"], "rating": [5.0, 5.0], "text": ["", ""]})
        >>> te = Dataset.from_dict({"user_id": ["u"], "item_id": ["b"], "rating": [5.0], "text": [""]})
        >>> res = evaluate_arm(tr, te, model="pop", seeds=[0])
        >>> float(res.metrics["hr@10"][0, 0])
        1.0
    """
    t0 = time.perf_counter()
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("evaluate_arm needs at least one seed")
    parts = [train, test] + ([val] if val is not None else [])
    uidx = make_index(u for ds in parts for u in column(ds, "user_id"))
    iidx = make_index(i for ds in parts for i in column(ds, "item_id"))
    weights = {"rating_weight": rating_weight, "polarity_weight": polarity_weight}
    x_train = build_interactions(train, user_index=uidx, item_index=iidx, **weights).matrix
    x_val = (
        build_interactions(val, user_index=uidx, item_index=iidx, **weights).matrix
        if val is not None
        else None
    )
    x_final = x_train + x_val if (refit_on_val and x_val is not None) else x_train
    x_final = sp.csr_matrix(x_final)
    x_final.sort_indices()

    info: dict[str, Any] = {"n_items": len(iidx), "n_users_total": len(uidx)}
    extra = _extra_pairs(extra_texts)
    needs_text = model in TEXT_MODELS
    if extra:
        info["extra_texts_in"] = len(extra)
        info["extra_texts_unknown_item"] = sum(1 for i, _ in extra if i not in iidx)
        if dedupe:
            held = [
                str(t)
                for ds in ([test] + ([val] if val is not None else []))
                for t in column(ds, "text")
                if t
            ]
            from reviewaug.evaluate.dedupe import duplicate_mask

            dup = duplicate_mask([t for _, t in extra], held)
            info["extra_texts_dropped_dup"] = int(dup.sum())
            extra = [p for p, d in zip(extra, dup) if not d]
        info["extra_texts_used"] = len(extra) if needs_text else 0
    texts_train = _item_texts([train], extra, iidx) if needs_text else None
    texts_final = (
        _item_texts([train, val] if (refit_on_val and val is not None) else [train], extra, iidx)
        if needs_text
        else None
    )

    grid = list(grid) if grid is not None else DEFAULT_GRIDS.get(model, [{}])
    fixed = dict(params or {})
    if needs_text:  # text profiles do not depend on the seed or the blend weight: compute them once
        t_text = time.perf_counter()
        enc = {"encoder": fixed.get("encoder", "minilm"), "max_seq_length": fixed.get("max_seq_length", 128)}
        if any(k in p for p in grid for k in enc):
            raise ValueError(
                "the text encoder is fixed per arm: pass encoder/max_seq_length in params, not in grid"
            )
        texts_train = item_text_profiles(texts_train, **enc)
        texts_final = texts_train if texts_final is None else item_text_profiles(texts_final, **enc)
        info["text_seconds"] = round(time.perf_counter() - t_text, 2)
    truth_test = _truth(test, uidx, iidx)
    truth_val = _truth(val, uidx, iidx) if val is not None else {}
    labels = slice_of_items(x_final, sparse_max)

    per_seed: list[dict[str, np.ndarray]] = []
    per_seed_slices: list[dict[str, dict[str, np.ndarray]]] = []
    covs: list[float] = []
    chosen: list[dict[str, Any]] = []
    users_ref: np.ndarray | None = None
    seed_iter: Iterable[int] = seeds
    if show_progress:
        from tqdm.auto import tqdm

        seed_iter = tqdm(seeds, desc=f"rec {model}", leave=False)
    cached: tuple[Any, ...] | None = None
    for seed in seed_iter:
        if cached is not None:  # deterministic model: the same result for every seed
            per_seed.append(cached[0])
            per_seed_slices.append(cached[1])
            covs.append(cached[2])
            chosen.append(cached[3])
            continue
        best = dict(grid[0])
        if val is not None and len(grid) > 1 and truth_val:
            best_score = -np.inf
            fitted: dict[str, Any] = {}
            for point in grid:
                full = {**fixed, **point}
                # blend weights only change scoring: fit once per other-parameter set, then re-weight
                blend = SCORE_ONLY_PARAMS.get(model)
                reuse_key = (
                    repr(sorted((k, v) for k, v in full.items() if k not in blend))
                    if blend is not None
                    else None
                )
                if reuse_key is not None and reuse_key in fitted:
                    m = fitted[reuse_key]
                    defaults = type(m).__dataclass_fields__
                    for k in blend:
                        setattr(m, k, full.get(k, defaults[k].default))
                else:
                    m = make_model(model, seed=seed, **full).fit(x_train, texts_train)
                    if reuse_key is not None:
                        fitted[reuse_key] = m
                _, top, tr = _score_users(m, x_train, truth_val, ks)
                score = float(np.nanmean(ranking_metrics(top, tr, ks=(10,))["ndcg@10"]))
                if score > best_score:
                    best, best_score = dict(point), score
        m = make_model(model, seed=seed, **{**fixed, **best}).fit(x_final, texts_final)
        users, top, tr = _score_users(m, x_final, truth_test, ks)
        if users_ref is None:
            users_ref = users
        per_seed.append(ranking_metrics(top, tr, ks=ks))
        per_seed_slices.append(
            {s: ranking_metrics(top, truth_in_slice(tr, labels, s), ks=ks) for s in SLICES}
        )
        covs.append(coverage(top, len(iidx), k=10))
        chosen.append({**fixed, **best})
        if not getattr(m, "stochastic", True):
            cached = (per_seed[-1], per_seed_slices[-1], covs[-1], chosen[-1])

    assert users_ref is not None
    names = list(per_seed[0])
    metrics = {n: np.stack([d[n] for d in per_seed]) for n in names}
    slice_metrics = {s: {n: np.stack([d[s][n] for d in per_seed_slices]) for n in names} for s in SLICES}
    user_names = np.asarray(sorted(uidx, key=uidx.__getitem__), dtype=object)
    info["n_test_users"] = len(truth_test)
    info["n_eval_users"] = int(len(users_ref))
    info["n_skipped_cold_users"] = int(len(truth_test) - len(users_ref))
    info["slice_items"] = {s: int((labels == s).sum()) for s in SLICES}
    info["seconds"] = round(time.perf_counter() - t0, 2)
    return ArmResult(model, seeds, user_names[users_ref], metrics, slice_metrics, covs, chosen, info)


def compare_arms(
    baseline: ArmResult,
    arms: Mapping[str, ArmResult],
    *,
    metrics: Sequence[str] = ("ndcg@10", "recall@10", "recall@20", "hr@10"),
    slices: Sequence[str | None] = (None, *SLICES),
    n_boot: int = 2000,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Each arm against the no-augmentation baseline, per slice: paired per-user bootstrap CI, Wilcoxon,
    Holm across ``metrics`` (per arm and slice) and a verdict. Slice ``None`` is reported as ``"all"``.

    Example:
        >>> rows = compare_arms(base_result, {"eda": eda_result})  # doctest: +SKIP
        >>> rows[0]["verdict"]  # doctest: +SKIP
        'no significant difference'
    """
    from reviewaug.evaluate.stats import compare_paired

    rows: list[dict[str, Any]] = []
    for name, res in arms.items():
        for sl in slices:
            base_v, arm_v = {}, {}
            for m in metrics:
                a, b = baseline.per_user(m, sl), res.per_user(m, sl)
                if not np.array_equal(baseline.user_ids, res.user_ids):
                    raise ValueError(f"arm {name!r} was evaluated on different users than the baseline")
                base_v[m], arm_v[m] = a, b
            for r in compare_paired(base_v, arm_v, metrics, n_boot=n_boot, seed=seed):
                r.update(arm=name, slice=sl or "all", model=res.model)
                rows.append(r)
    return rows
