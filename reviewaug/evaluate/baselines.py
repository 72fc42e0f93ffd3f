"""Measure the no-augmentation baselines of both benchmarks on a corpus, with timings, and write a report.

Run: ``python -m reviewaug.evaluate.baselines --out runs/baselines`` (add ``--help`` for the knobs). The
output folder gets ``report.md``, ``results.json`` and plots via :func:`reviewaug.evaluate.report.write_report`,
plus ``timings.json`` (seconds per recommender arm and per sentiment feature), which is what the demo budget
is planned from.

Example:
    >>> from reviewaug.evaluate.baselines import main  # doctest: +SKIP
    >>> main(["--out", "/tmp/b", "--models", "pop,als", "--seeds", "2", "--sizes", "50,500"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "run_baselines"]


def _sizes(text: str) -> list[int | None]:
    return [None if s.strip() == "all" else int(s) for s in text.split(",") if s.strip()]


def run_baselines(
    ds: Any,
    out: Path,
    *,
    splits: Sequence[str] = ("loo", "temporal"),
    models: Sequence[str] = ("pop", "itemknn", "als", "bpr", "hybrid"),
    seeds: int = 5,
    sizes: Sequence[int | None] = (50, 200, 500, 2000, None),
    features: Sequence[str] = ("tfidf", "minilm"),
    hybrid_encoder: str = "minilm",
    max_train_minilm: int | None = None,
    show_progress: bool = True,
) -> dict[str, Any]:
    """Evaluate every model on every split and the sentiment no-aug arm; write the report into ``out``.

    Example:
        >>> run_baselines(ds, Path("/tmp/b"), models=["pop"], seeds=1, sizes=[50], features=["tfidf"])  # doctest: +SKIP
    """
    from reviewaug.evaluate.report import write_report
    from reviewaug.evaluate.sentiment import run_sentiment
    from reviewaug.rec import evaluate_arm, leave_last_out, temporal_split

    timings: dict[str, float] = {}
    summaries = []
    split_fns = {"loo": leave_last_out, "temporal": temporal_split}
    for name in splits:
        t0 = time.perf_counter()
        split = split_fns[name](ds)
        timings[f"split:{name}"] = round(time.perf_counter() - t0, 2)
        for model in models:
            params = {"encoder": hybrid_encoder} if model == "hybrid" else None
            t0 = time.perf_counter()
            res = evaluate_arm(
                split.train,
                split.test,
                val=split.val,
                model=model,
                params=params,
                seeds=range(seeds),
                show_progress=show_progress,
            )
            timings[f"rec:{name}:{model}"] = round(time.perf_counter() - t0, 2)
            summaries.append(dict(res.summary(), split=name, arm="no_aug"))
            print(
                f"[rec] {name:9s} {model:8s} ndcg@10={res.mean('ndcg@10'):.4f} sparse={res.mean('ndcg@10', 'sparse'):.4f} "
                f"warm={res.mean('ndcg@10', 'warm'):.4f} ({timings[f'rec:{name}:{model}']:.1f}s)",
                flush=True,
            )
    sent_rows = []
    if sizes and features:
        t0 = time.perf_counter()
        sres = run_sentiment(
            ds,
            {},
            sizes=sizes,
            seeds=range(seeds),
            features=features,
            max_train_minilm=max_train_minilm,
            show_progress=show_progress,
        )
        timings["sentiment:total"] = round(time.perf_counter() - t0, 2)
        timings.update({f"sentiment:{k}": v for k, v in sres.info["seconds"].items()})
        sent_rows = sres.baselines()
        for r in sent_rows:
            print(
                f"[sentiment] {r['feature']:6s} N={r['size']:>5s} {r['metric']:8s} {r['base_mean']:.4f} "
                f"[{r['base_ci_low']:.4f}, {r['base_ci_high']:.4f}]",
                flush=True,
            )
    meta = {
        "what": "no-augmentation baselines",
        "splits": list(splits),
        "models": list(models),
        "seeds": seeds,
        "sizes": ["all" if s is None else s for s in sizes],
        "features": list(features),
        "hybrid_encoder": hybrid_encoder,
    }
    out.mkdir(parents=True, exist_ok=True)
    write_report(
        out,
        rec_summaries=summaries,
        sent_baselines=sent_rows,
        meta=meta,
        title="reviewaug no-augmentation baselines",
    )
    (out / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    return {"timings": timings, "rec": summaries, "sentiment": sent_rows}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    p = argparse.ArgumentParser(
        prog="python -m reviewaug.evaluate.baselines", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--data", default=None, help="review corpus (default: the real corpus from reviewaug.io)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--splits", default="loo,temporal")
    p.add_argument("--models", default="pop,itemknn,als,bpr,hybrid")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument(
        "--sizes", default="50,200,500,2000,all", help="comma list; 'all' = whole pool; empty skips"
    )
    p.add_argument(
        "--features", default="tfidf,minilm", help="comma list; empty skips the sentiment benchmark"
    )
    p.add_argument("--hybrid-encoder", default="minilm", choices=["minilm", "tfidf"])
    p.add_argument("--max-train-minilm", type=int, default=None)
    args = p.parse_args(argv)
    from reviewaug.io import default_corpus_path, load_reviews

    ds = load_reviews(args.data or default_corpus_path())
    run_baselines(
        ds,
        args.out,
        splits=[s for s in args.splits.split(",") if s],
        models=[m for m in args.models.split(",") if m],
        seeds=args.seeds,
        sizes=_sizes(args.sizes),
        features=[f for f in args.features.split(",") if f],
        hybrid_encoder=args.hybrid_encoder,
        max_train_minilm=args.max_train_minilm,
    )
    print(f"wrote {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
