"""How long does the sentiment benchmark's C search take, with n-grams counted once per cell vs. per fold?

``run_sentiment(..., tune_c=grid)`` fits TF-IDF on each cross-validation fold's training rows. Since 2026-12-02
it counts a cell's n-grams once and derives each fold's TF-IDF from the count rows (``_CellFeatures``); before, a
``TfidfVectorizer`` tokenized every fold again. This script runs the same protocol both ways in one process — the
old way as a feature registered under another name, which ``run_sentiment`` calls per fold — and prints the
seconds of each stage, the ratio, and whether the chosen C values and the test predictions agree. Augmentation is not timed: the first
run (the new way) makes the copies, the second reuses them.

Arms: the random-word control and the ``typos`` recipe (without the reviews' keyword features, so no feature
extraction is needed); their copies are made once and served to both runs.

    .venv/bin/python benchmarks/sentiment_tuning_speed.py [--sizes 50 200 500] [--copies 4] [--seeds 5]
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


def _memo(fn: Any) -> Any:
    """Serve each (texts, copies, seed) call's copies from memory after the first, so both runs see the same."""
    seen: dict[tuple[Any, ...], Any] = {}

    def wrapped(texts: list[str], ids: list[str], labels: np.ndarray, n: int, seed: int) -> Any:
        key = (tuple(ids), n, seed)
        if key not in seen:
            seen[key] = fn(texts, ids, labels, n, seed)
        return seen[key]

    return wrapped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="review file (default: the real corpus in ../shared/data)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    ap.add_argument("--copies", type=int, nargs="+", default=[4])
    ap.add_argument("--seeds", type=int, default=5)
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

    arms = {"random_words": _memo(random_words_fn()), "typos": _memo(typos_fn)}
    sent.FEATURES["tfidf_per_fold"] = _vectorizer_per_fold
    kw = dict(
        sizes=args.sizes, copies=args.copies, seeds=range(args.seeds), tune_c=sent.DEFAULT_C_GRID,
        show_progress=False,
    )  # fmt: skip
    for feat in ("tfidf", "tfidf_per_fold"):  # warm-up: imports and first calls, untimed
        sent.run_sentiment(ds, {}, features=[feat], **{**kw, "sizes": [50], "seeds": [0]})
    runs = {feat: sent.run_sentiment(ds, arms, features=[feat], **kw) for feat in ("tfidf", "tfidf_per_fold")}

    old, new = runs["tfidf_per_fold"], runs["tfidf"]  # the new way ran first
    print(f"sizes {args.sizes}, copies {args.copies}, {args.seeds} seeds, grid {list(sent.DEFAULT_C_GRID)}")
    print("| stage | per-fold vectorizer (s) | counted once (s) | speed-up |")
    print("|---|---:|---:|---:|")
    totals = [0.0, 0.0]
    for st in ("features", "tune", "fit"):  # augmentation is left out: the copies were made by the first run
        a, b = (sum(v for k, v in r.info["seconds"].items() if k.startswith(st + ":")) for r in (old, new))
        totals = [totals[0] + a, totals[1] + b]
        ratio = f"{a / b:.2f}x" if a and b else "(the old way vectorizes inside tune and fit)"
        print(f"| {st} | {a:.1f} | {b:.1f} | {ratio} |")
    print(f"| all three | {totals[0]:.1f} | {totals[1]:.1f} | {totals[0] / totals[1]:.2f}x |")

    def strip(key: str) -> str:
        return key.split("|", 1)[1]

    c_old = {strip(k): [r["C"] for r in v] for k, v in old.info["tuning"]["cells"].items()}
    c_new = {strip(k): [r["C"] for r in v] for k, v in new.info["tuning"]["cells"].items()}
    same_c = sum(c_old[k] == c_new.get(k) for k in c_old)
    p_old = {k[1:]: v for k, v in old.predictions.items()}
    p_new = {k[1:]: v for k, v in new.predictions.items()}
    differ = sum(int((p_old[k] != p_new[k]).sum()) for k in p_old)
    total = sum(v.size for v in p_old.values())
    print(f"\ncells with the same chosen C in every seed: {same_c} of {len(c_old)}")
    print(f"test predictions that differ: {differ} of {total}")


if __name__ == "__main__":
    main()
