"""Does a text -> item-factor map help sparse items, and do augmented texts help it? (real corpus)

Arms, each tuned on validation with its default grid (``reviewaug.rec.evaluate.DEFAULT_GRIDS``), refit on
train + validation and scored on test, ``--seeds`` seeds, TF-IDF text profiles:

  (a) als            ALS, no text
  (b) hybrid         TextHybrid (ALS blended with text similarity), no augmentation
  (c) t2f            TextToFactors (ridge map text -> ALS factor, learned on warm items), no augmentation
  (d) t2f+eda        (c) + 2 EDA copies of every training review of a sparse item (1..5 training reviews)
  (e) t2f+random     (c) + as many training reviews of *other* items, attached to the same items (control)
  (f) hybrid+eda     (b) + the texts of (d), for reference
  (c') (d') (e')     as (c) (d) (e) with ``keep_norm=True``: the text's predicted direction at the ALS length

Paired per-user bootstrap CIs and Wilcoxon/Holm come from ``reviewaug.rec.compare_arms``; the table gives, per
arm, NDCG@10 over all test users and over the users whose held-out item is sparse, and the relative gain
against (c), against (b) and against the arm's own no-augmentation arm ((b), (c) or (c')). Also printed: how well the text profile predicts an item's ALS factor (5-fold
R^2 of the ridge map on warm items), the shrink chosen on validation and seconds per arm.

    .venv/bin/python benchmarks/rec_text2factors.py [--seeds 5] [--splits leave_last_out,temporal] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from typing import Any

import numpy as np

SPARSE_MAX = 5


def augmented_pairs(
    train: Any, items: set[str], recipe: str, copies: int, seed: int
) -> list[tuple[str, str]]:
    """``copies`` augmented versions of each training review of ``items`` as (item_id, text), unchanged dropped."""
    from reviewaug.augment import augment_texts
    from reviewaug.features import add_features

    src = train.filter(lambda r: r["item_id"] in items, desc="sparse-item reviews")
    src = add_features(src)
    feats = {c: src[c] for c in ("keywords", "sentiment_words", "polarity")}
    texts = src["text"]
    out = augment_texts(texts, recipe, n=copies, seed=seed, ids=src["review_id"], features=feats)
    return [(item, c) for item, text, cs in zip(src["item_id"], texts, out) for c in cs if c and c != text]


def text_to_factor_r2(train: Any, val: Any, test: Any, seed: int) -> dict[str, float]:
    """5-fold R^2 of the ridge map (RidgeCV's alpha) from TF-IDF profile to ALS factor, warm items of train."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score

    from reviewaug.rec.interactions import build_interactions, make_index
    from reviewaug.rec.models import TextToFactors, item_text_profiles

    uidx = make_index(u for d in (train, val, test) for u in d["user_id"])
    iidx = make_index(i for d in (train, val, test) for i in d["item_id"])
    x = build_interactions(train, user_index=uidx, item_index=iidx).matrix
    texts: list[list[str]] = [[] for _ in iidx]
    for i, t in zip(train["item_id"], train["text"]):
        texts[iidx[i]].append(t)
    prof = item_text_profiles(texts, encoder="tfidf")
    m = TextToFactors(shrink=0.0, encoder="tfidf", sparse_max=SPARSE_MAX, seed=seed).fit(x, prof)
    als_factors = m.item_factors()  # shrink 0: the plain ALS factors; the ridge map is fit all the same
    alpha = m.chosen_alpha
    warm = (np.diff(x.tocsc().indptr) > SPARSE_MAX) & (np.linalg.norm(prof, axis=1) > 0)
    folds = KFold(5, shuffle=True, random_state=seed)
    r2 = cross_val_score(Ridge(alpha=alpha), prof[warm], als_factors[warm], cv=folds).mean()
    # where do sparse items end up? share of all users' top-10 slots they take, per shrink (train fit)
    from reviewaug.rec.metrics import rank_items

    is_sparse = (np.diff(x.tocsc().indptr) >= 1) & (np.diff(x.tocsc().indptr) <= SPARSE_MAX)
    users = np.flatnonzero(np.diff(x.indptr) > 0)
    share = {}
    for shrink in (0.0, 2.0, 10.0, 50.0):
        m.shrink = shrink
        top = rank_items(m.score(users), x[users], k=10)
        share[f"{shrink:g}"] = float(is_sparse[top].mean())
    pred = m.predicted_factors()
    norm_ratio = float(
        np.linalg.norm(pred[is_sparse], axis=1).mean() / np.linalg.norm(als_factors[is_sparse], axis=1).mean()
    )
    return {
        "ridge_alpha": float(alpha),
        "cv_r2": float(r2),
        "warm_items": int(warm.sum()),
        "sparse_share_top10": share,
        "sparse_pred_norm_ratio": norm_ratio,
        "sparse_item_share": float(is_sparse.mean()),
    }


def fmt_rel(row: dict[str, Any] | None) -> str:
    if row is None or not np.isfinite(row["rel"]):
        return "–"
    mark = "**" if row["verdict"].startswith("significant") else ""
    return f"{mark}{row['rel']:+.1%} [{row['rel_ci_low']:+.1%}, {row['rel_ci_high']:+.1%}]{mark}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="review file (default: the real corpus in ../shared/data)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--splits", default="leave_last_out,temporal")
    ap.add_argument("--recipe", default="eda")
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--json", default=None, help="also write all numbers here")
    args = ap.parse_args()

    from reviewaug.evaluate.controls import other_item_texts
    from reviewaug.io import default_corpus_path, load_reviews
    from reviewaug.rec import compare_arms, evaluate_arm, leave_last_out, temporal_split

    t_all = time.perf_counter()
    ds = load_reviews(args.data or default_corpus_path())
    seeds = range(args.seeds)
    dump: dict[str, Any] = {"args": vars(args), "splits": {}}
    for split_name in args.splits.split(","):
        split = leave_last_out(ds) if split_name == "leave_last_out" else temporal_split(ds, 0.1, 0.1)
        train, val, test = split.train, split.val, split.test
        counts = Counter(train["item_id"])
        sparse = {i for i, c in counts.items() if 1 <= c <= SPARSE_MAX}
        t0 = time.perf_counter()
        aug = augmented_pairs(train, sparse, args.recipe, args.copies, seed=0)
        aug_s = time.perf_counter() - t0
        control = other_item_texts([i for i, _ in aug], train["item_id"], train["text"], seed=0)
        r2 = text_to_factor_r2(train, val, test, seed=0)
        print(f"\n## {split_name}\n")
        print(
            f"train {train.num_rows:,} / val {val.num_rows:,} / test {test.num_rows:,} reviews; "
            f"{len(sparse)} sparse items (1..{SPARSE_MAX} training reviews); {len(aug):,} changed "
            f"{args.recipe} copies of their reviews in {aug_s:.1f} s; {len(control):,} control texts"
        )
        print(
            f"text -> ALS factor ridge map on {r2['warm_items']} warm items: alpha {r2['ridge_alpha']:g} "
            f"(RidgeCV), 5-fold R^2 {r2['cv_r2']:.3f}; predicted/ALS factor norm on sparse items "
            f"{r2['sparse_pred_norm_ratio']:.2f}"
        )
        print(
            f"share of top-10 slots (train fit) taken by sparse items ({r2['sparse_item_share']:.0%} of the "
            "catalogue), by shrink: "
            + ", ".join(f"{k}: {v:.1%}" for k, v in r2["sparse_share_top10"].items())
            + "\n",
            flush=True,
        )
        common = dict(val=val, seeds=seeds, sparse_max=SPARSE_MAX)
        text = {"params": {"encoder": "tfidf"}}
        norm = {"params": {"encoder": "tfidf", "keep_norm": True}}
        specs = {
            "(a) als": dict(model="als"),
            "(b) hybrid": dict(model="hybrid", **text),
            "(c) t2f": dict(model="text2factors", **text),
            f"(d) t2f+{args.recipe}": dict(model="text2factors", extra_texts=aug, **text),
            "(e) t2f+random": dict(model="text2factors", extra_texts=control, **text),
            f"(f) hybrid+{args.recipe}": dict(model="hybrid", extra_texts=aug, **text),
            "(c') t2f-norm": dict(model="text2factors", **norm),
            f"(d') t2f-norm+{args.recipe}": dict(model="text2factors", extra_texts=aug, **norm),
            "(e') t2f-norm+random": dict(model="text2factors", extra_texts=control, **norm),
        }
        own = {
            n: ("(c') t2f-norm" if "norm" in n else "(c) t2f" if "t2f" in n else "(b) hybrid") for n in specs
        }
        res = {}
        for name, spec in specs.items():
            res[name] = evaluate_arm(train, test, **common, **spec)
            print(f"  {name}: {res[name].info['seconds']:.1f} s", flush=True)
        metrics = ("ndcg@10",)
        names = list(res)
        vs: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for base in ("(c) t2f", "(b) hybrid", "(c') t2f-norm"):
            rows = compare_arms(res[base], {n: res[n] for n in names if n != base}, metrics=metrics,
                                slices=(None, "sparse"))  # fmt: skip
            vs[base] = {(r["arm"], r["slice"]): r for r in rows}
        print()
        print(
            "| arm | NDCG@10 all | NDCG@10 sparse (users) | vs (c) all | vs (c) sparse | vs (b) all | vs (b) sparse "
            "| vs own no-aug all | vs own no-aug sparse | chosen | s |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        table = []
        for n in names:
            r = res[n]
            n_sparse = int(np.isfinite(r.per_user("ndcg@10", "sparse")).sum())
            chosen = [p.get("shrink", p.get("weight", p.get("factors"))) for p in r.params]
            key = "shrink" if r.model == "text2factors" else ("weight" if r.model == "hybrid" else "factors")
            chosen_s = f"{key} " + "/".join(f"{c:g}" for c in chosen)
            bases = ("(c) t2f", "(b) hybrid", own[n] if own[n] != n and "+" in n else None)
            cells = [fmt_rel(vs[b].get((n, s)) if b else None) for b in bases for s in ("all", "sparse")]
            print(
                f"| {n} | {r.mean('ndcg@10'):.4f} | {r.mean('ndcg@10', 'sparse'):.4f} ({n_sparse}) | "
                + " | ".join(cells)
                + f" | {chosen_s} | {r.info['seconds']:.0f} |"
            )
            table.append({"arm": n, **r.summary()})
        dump["splits"][split_name] = {
            "ridge_map": r2,
            "augmented_texts": len(aug),
            "control_texts": len(control),
            "arms": table,
            "compare": {b: [{**v, "arm": k[0], "slice": k[1]} for k, v in d.items()] for b, d in vs.items()},
        }
    total = time.perf_counter() - t_all
    print(f"\nrelative gain [paired bootstrap 95% CI]; bold: significant (CI excludes 0 and Holm p < 0.05). "
          f"Total {total / 60:.1f} min.")  # fmt: skip
    dump["seconds"] = round(total, 1)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dump, f, indent=1, default=str)


if __name__ == "__main__":
    main()
