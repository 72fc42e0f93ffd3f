"""How well does VADER polarity track star ratings on the real corpus? Also: time per review of each feature.

Prints the Spearman correlation of polarity with rating and the ROC AUC of polarity for separating >=4-star from
<=2-star reviews (both computed with scipy / scikit-learn), with a bootstrap 95% CI for the AUC.

    .venv/bin/python benchmarks/features_bench.py [--data PATH] [--num-proc 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="review file (default: the real corpus in ../shared/data)")
    ap.add_argument("--num-proc", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    from reviewaug.features import add_features
    from reviewaug.io import default_corpus_path, load_reviews

    path = args.data or default_corpus_path()
    ds = load_reviews(path)
    t0 = time.perf_counter()
    ds = add_features(ds, num_proc=args.num_proc)
    secs = time.perf_counter() - t0
    pol = np.asarray(ds["polarity"])
    rating = np.asarray(ds["rating"])
    ok = ~np.asarray(ds["text_empty"])
    rho, p = spearmanr(pol[ok], rating[ok])
    mask = ok & ((rating >= 4) | (rating <= 2))
    y = (rating[mask] >= 4).astype(int)
    s = pol[mask]
    auc = roc_auc_score(y, s)
    rng = np.random.default_rng(np.random.SeedSequence([args.seed, 2024]))
    boots = []
    for _ in range(1000):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() != y[idx].max():
            boots.append(roc_auc_score(y[idx], s[idx]))
    lo, hi = np.percentile(boots, [2.5, 97.5])
    kw = ds["keywords"]
    sw = ds["sentiment_words"]
    print(
        f"corpus: {path} ({ds.num_rows:,} reviews, {int((~ok).sum())} empty texts left out of the statistics)"
    )
    print(
        f"features: {secs:.1f} s in all, {1000 * secs / ds.num_rows:.2f} ms per review (num_proc={args.num_proc or 1})"
    )
    print(f"Spearman rho(polarity, rating) = {rho:.3f} (p = {p:.1e}, n = {int(ok.sum()):,})")
    print(
        f"ROC AUC polarity, >=4 stars (n={int(y.sum()):,}) vs <=2 stars (n={int((1 - y).sum()):,}) = {auc:.3f} "
        f"[95% bootstrap CI {lo:.3f}, {hi:.3f}]"
    )
    print(
        f"mean keywords per review = {np.mean([len(k) for k in kw]):.2f}; "
        f"mean sentiment words = {np.mean([len(w) for w in sw]):.2f}; "
        f"reviews with no sentiment word = {np.mean([len(w) == 0 for w in sw]):.1%}"
    )
    print(
        f"share of positive polarity: 5 stars {np.mean(pol[rating == 5] > 0.05):.1%}, "
        f"1 star {np.mean(pol[rating == 1] > 0.05):.1%}"
    )


if __name__ == "__main__":
    main()
