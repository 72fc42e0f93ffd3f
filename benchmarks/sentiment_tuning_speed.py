"""How long does the sentiment benchmark's C search take, with n-grams counted once per cell vs. per fold?

``run_sentiment(..., tune_c=grid)`` fits TF-IDF on each cross-validation fold's training rows. Since 2026-12-02
it counts a cell's n-grams once and derives each fold's TF-IDF from the count rows (``_CellFeatures``); before, a
``TfidfVectorizer`` tokenized every fold again. This script runs the same protocol both ways in one process — the
old way as a feature registered under another name, which ``run_sentiment`` calls per fold — and prints the
seconds of each stage, the ratio, and whether the chosen C values and the test predictions agree; then the new
way again with the C search's fits spread over ``--n-jobs`` processes. Augmentation is not timed: the first
run (the new way) makes the copies, the others reuse them.

Arms: the random-word control and the ``typos`` recipe (without the reviews' keyword features, so no feature
extraction is needed); their copies are made once and served to every run.

    .venv/bin/python benchmarks/sentiment_tuning_speed.py [--sizes 50 200 500] [--copies 4] [--seeds 5] [--n-jobs 2]
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np


def _vectorizer_per_fold(train: list[str], test: list[str]) -> tuple[Any, Any]:
    """The pre-2026-12-02 TF-IDF: one ``TfidfVectorizer`` fitted per call (per fold and per final fit)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reviewaug.evaluate.sentiment import TFIDF_MAX_FEATURES

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, max_features=TFIDF_MAX_FEATURES)
    return vec.fit_transform(train), vec.transform(test)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="review file (default: the real corpus in ../shared/data)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    ap.add_argument("--copies", type=int, nargs="+", default=[4])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument(
        "--n-jobs", type=int, default=2, help="also time the C search in this many processes (1: skip)"
    )
    args = ap.parse_args()

    from reviewaug.augment import augment_texts, load_recipe
    from reviewaug.evaluate import sentiment as sent
    from reviewaug.evaluate.controls import random_words_fn
    from reviewaug.io import default_corpus_path, load_reviews

    ds = load_reviews(args.data or default_corpus_path())
    typos = load_recipe("typos")

    def typos_fn(texts: list[str], ids: list[str], labels: np.ndarray, n: int, seed: int) -> Any:
        copies = augment_texts(texts, typos, n=n, seed=seed, ids=ids)
        return [(c, int(y), j) for j, (cs, y) in enumerate(zip(copies, labels)) for c in cs]

    arms = {"random_words": sent.memoized(random_words_fn()), "typos": sent.memoized(typos_fn)}
    sent.FEATURES["tfidf_per_fold"] = _vectorizer_per_fold
    kw = dict(
        sizes=args.sizes, copies=args.copies, seeds=range(args.seeds), tune_c=sent.DEFAULT_C_GRID,
        show_progress=False,
    )  # fmt: skip
    variants = {  # label: (feature, n_jobs); the first makes the copies, the others reuse them
        "counted once": ("tfidf", 1),
        "per-fold vectorizer": ("tfidf_per_fold", 1),
    }
    if args.n_jobs > 1:
        variants[f"counted once, {args.n_jobs} processes"] = ("tfidf", args.n_jobs)
    for feat, jobs in variants.values():  # warm-up: imports, first calls, worker start-up; untimed
        sent.run_sentiment(ds, {}, features=[feat], n_jobs=jobs, **{**kw, "sizes": [50], "seeds": [0]})
    runs = {
        label: sent.run_sentiment(ds, arms, features=[feat], n_jobs=jobs, **kw)
        for label, (feat, jobs) in variants.items()
    }
    base = runs["per-fold vectorizer"]
    labels = ["per-fold vectorizer"] + [v for v in runs if v != "per-fold vectorizer"]
    print(f"sizes {args.sizes}, copies {args.copies}, {args.seeds} seeds, grid {list(sent.DEFAULT_C_GRID)}")
    print(
        "seconds per stage (augmentation is not timed: the first run made the copies; the per-fold vectorizer"
    )
    print("tokenizes inside tune and fit, so its features stage is empty)\n")
    print("| stage | " + " | ".join(labels) + " |")
    print("|---|" + "---:|" * len(labels))

    def secs(res: Any, stage: str) -> float:
        return sum(v for k, v in res.info["seconds"].items() if k.startswith(stage + ":"))

    for st in ("features", "tune", "fit"):
        print(f"| {st} | " + " | ".join(f"{secs(runs[v], st):.1f}" for v in labels) + " |")
    total = {v: sum(secs(runs[v], st) for st in ("features", "tune", "fit")) for v in labels}
    print("| all three | " + " | ".join(f"{total[v]:.1f}" for v in labels) + " |")
    print("| speed-up | " + " | ".join(f"{total[labels[0]] / total[v]:.2f}x" for v in labels) + " |")

    def strip(key: str) -> str:
        return key.split("|", 1)[1]

    def chosen(res: Any) -> dict[str, list[float]]:
        return {strip(k): [r["C"] for r in v] for k, v in res.info["tuning"]["cells"].items()}

    def preds(res: Any) -> dict[tuple[Any, ...], np.ndarray]:
        return {k[1:]: v for k, v in res.predictions.items()}

    c0, p0 = chosen(base), preds(base)
    n_pred = sum(v.size for v in p0.values())
    print()
    for v in labels[1:]:
        cv, pv = chosen(runs[v]), preds(runs[v])
        same_c = sum(c0[k] == cv.get(k) for k in c0)
        differ = sum(int((p0[k] != pv[k]).sum()) for k in p0)
        print(
            f"{v}: the same C in every seed in {same_c} of {len(c0)} cells; {differ} of {n_pred} test predictions "
            "differ from the per-fold vectorizer's"
        )


if __name__ == "__main__":
    main()
