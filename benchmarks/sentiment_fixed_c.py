"""Does an augmentation arm's gain depend on the classifier's C? The sentiment benchmark at fixed C values.

The demo's sentiment benchmark lets every arm choose logistic regression's ``C`` by cross-validation on its own
training set. At N = all (9,202 examples, 327 negatives) that choice is noisy and stops at the grid's lowest value,
so an arm's gain follows where each search happens to stop (``benchmarks/evidence_full.md``). This script removes
the search: the same protocol (subsamples, copies, test set and statistics as ``reviewaug demo``) is fitted at each
of several fixed values of ``C`` — the same ``C`` for the baseline and every arm — and the gain of each arm is
reported per ``C``. An arm that helps at every fixed ``C`` helps; one that helps at some and hurts at others is
tuning noise.

The copies are made once per arm, size and seed and served to every ``C``. Besides the per-cell Holm correction
(over accuracy and macro-F1, as in the demo's report) the table marks the accuracy differences that survive Holm's
correction over the whole table (every arm x copies x C), since the sweep makes many comparisons.

    .venv/bin/python benchmarks/sentiment_fixed_c.py --size all --copies 4 \\
        --recipes word-noise,eda,typos,synonyms-safe --c 0.0001 0.001 0.01 0.1 1 --out runs/fixed-c
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np


def _duplicates(
    texts: list[str], ids: list[str], labels: np.ndarray, n: int, seed: int
) -> list[tuple[str, int, int]]:
    """Verbatim copies: every example ``n`` more times, with its label and source."""
    return [(t, int(y), j) for j, (t, y) in enumerate(zip(texts, labels)) for _ in range(n)]


def _cell(r: dict[str, Any]) -> str:
    star = ""
    if r["verdict"].startswith("significant"):
        star = " **" if r["p_holm_table"] < 0.05 else " *"
    return f"{100 * r['diff']:+.1f} [{100 * r['diff_ci_low']:+.1f}, {100 * r['diff_ci_high']:+.1f}]{star}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="review file (default: the real corpus in ../shared/data)")
    ap.add_argument("--size", default="all", help="training size: a number or 'all' (default all)")
    ap.add_argument("--copies", type=int, nargs="+", default=[4], help="augmented copies per example")
    ap.add_argument("--recipes", default="word-noise,eda,typos,synonyms-safe", help="comma-separated recipes")
    ap.add_argument("--no-control", action="store_true", help="skip the random-word control")
    ap.add_argument(
        "--duplicates",
        action="store_true",
        help="add an arm of verbatim copies (each example repeated k times): what copies do by their count "
        "alone; with --penalty per-example it should match the baseline up to TF-IDF's weights",
    )
    ap.add_argument("--c", type=float, nargs="+", default=[0.0001, 0.001, 0.01, 0.1, 1.0], help="C values")
    ap.add_argument(
        "--penalty",
        choices=["same", "per-example"],
        default="same",
        help="same: the baseline and every arm at the same C. per-example: an arm with k copies at C/(k+1), so "
        "the penalty weighs against each original example's k+1 rows as against the baseline's one row "
        "(logistic regression's loss sums over rows: k identical copies would act as a (k+1) times larger C)",
    )
    ap.add_argument("--feature", default="tfidf", choices=["tfidf", "minilm"])
    ap.add_argument(
        "--embed-cache",
        metavar="DIR",
        default=None,
        help="MiniLM embeddings on disk, as `reviewaug demo --embed-cache` (default: $REVIEWAUG_EMBED_CACHE if set)",
    )
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--num-proc", type=int, default=2, help="processes for feature extraction")
    ap.add_argument("--out", default=None, help="folder for fixed_c.json and fixed_c.md")
    args = ap.parse_args()
    if min(args.c) <= 0:
        raise SystemExit(f"--c: C values must be positive, got {args.c}")
    size = None if args.size == "all" else int(args.size)

    from reviewaug.demo import sentiment_arms
    from reviewaug.evaluate.sentiment import memoized, run_sentiment
    from reviewaug.evaluate.stats import holm
    from reviewaug.features import add_features
    from reviewaug.io import default_corpus_path, load_reviews

    if args.embed_cache:
        from reviewaug.evaluate.embed import set_cache_dir

        set_cache_dir(args.embed_cache)
    t0 = time.perf_counter()
    ds = add_features(load_reviews(args.data or default_corpus_path()), num_proc=args.num_proc)
    recipes = [r.strip() for r in args.recipes.split(",") if r.strip()]
    arms = {k: memoized(v) for k, v in sentiment_arms(ds, recipes, control=not args.no_control).items()}
    if args.duplicates:
        arms["duplicate"] = _duplicates
    if not arms:
        raise SystemExit("no arms: name --recipes, or drop --no-control, or add --duplicates")
    print(f"features: {time.perf_counter() - t0:.0f} s; arms: {', '.join(arms)}", flush=True)

    rows: list[dict[str, Any]] = []
    base: dict[float, dict[str, Any]] = {}
    seconds: dict[str, float] = {}
    for c in args.c:
        t0 = time.perf_counter()
        run = dict(sizes=[size], seeds=range(args.seeds), features=[args.feature], show_progress=True)
        if args.penalty == "same":
            res = run_sentiment(ds, arms, copies=args.copies, tune_c=[c], **run)
        else:  # the baseline at C, each copy count's arms at C/(k+1), compared on the same test set
            res = run_sentiment(ds, {}, tune_c=[c], **run)
            for k in args.copies:
                res_k = run_sentiment(ds, arms, copies=[k], tune_c=[c / (k + 1)], **run)
                res.predictions.update({key: p for key, p in res_k.predictions.items() if key[2] != "no_aug"})
        seconds[f"C={c:g}"] = round(time.perf_counter() - t0, 1)
        base[c] = next(r for r in res.baselines() if r["arm"] == "no_aug" and r["metric"] == "accuracy")
        rows += [{**r, "C": c} for r in res.compare() if r["metric"] == "accuracy"]
        first = " (with making the copies)" if c == args.c[0] else ""
        print(f"C = {c:g}: {seconds[f'C={c:g}']:.0f} s{first}", flush=True)
    for r, p in zip(rows, holm([r["p_boot"] for r in rows])):
        r["p_holm_table"] = float(p)

    label = "all" if size is None else str(size)
    lines = [
        f"Accuracy change against no augmentation at fixed C, points [95% CI]; {args.feature}, N = {label} "
        + f"({res.train_sizes[label]:,} examples), {args.seeds} seeds"
        + ("" if args.penalty == "same" else "; the baseline at C, an arm with k copies at C/(k+1)")
        + ". * significant within its cell (CI excludes 0, Holm over accuracy and macro-F1 < 0.05); ** also after "
        f"Holm over all {len(rows)} accuracy comparisons of the table.",
        "",
        "| arm | copies | " + " | ".join(f"C = {c:g}" for c in args.c) + " |",
        "|---|---:|" + "---|" * len(args.c),
        "| no augmentation (accuracy) | 0 | "
        + " | ".join(f"{100 * base[c]['base_mean']:.1f}%" for c in args.c)
        + " |",
    ]
    for arm in arms:
        for k in args.copies:
            cells = {r["C"]: r for r in rows if r["arm"] == arm and r["copies"] == k}
            lines.append(f"| {arm} | {k} | " + " | ".join(_cell(cells[c]) for c in args.c) + " |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "fixed_c.md").write_text(table + "\n", encoding="utf-8")
        (out / "fixed_c.json").write_text(
            json.dumps(
                {
                    "args": vars(args),
                    "baseline": {str(c): b for c, b in base.items()},
                    "rows": rows,
                    "seconds": seconds,
                },
                indent=1,
                default=float,
            ),  # fmt: skip
            encoding="utf-8",
        )
        print(f"wrote {out / 'fixed_c.md'} and {out / 'fixed_c.json'}")


if __name__ == "__main__":
    main()
