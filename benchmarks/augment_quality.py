"""Quality of every recipe on real reviews, next to nlpaug's and textaugment's synonym augmenters.

One augmented copy per review (seed 0) for ``--rows`` consecutive reviews of the real corpus (consecutive rows
share items, which the retrieval rewrite needs; the corpus is ordered by item). Columns:

* ``changed``: share of rows whose text changed;
* ``flip``: polarity flip rate — VADER compound changed sign beyond ±0.05 (both sides non-neutral);
* ``sent. word lost``: share of rows that lost one of their VADER sentiment words (the nlpaug failure mode);
* ``kw survival``: share of (row, YAKE keyword) pairs whose words still appear, in order, after augmentation;
* ``MiniLM sim``: mean cosine of all-MiniLM-L6-v2 embeddings, source vs copy, over the first ``--sim-rows`` rows;
* ``distinct-1/2``: distinct word uni/bigrams over all copies (the sources' own values are printed too);
* ``edit rate``: mean share of word tokens changed (1 − 2·LCS over the two word sequences, rapidfuzz's Indel distance;
  difflib's ratio before 2026-12-02 15:20 UTC, equal on 95–100% of copies).

Goals (issue 3): sentiment-safe recipes flip polarity on <= 1% of rows; keywords survive in >= 99%.

    .venv/bin/python benchmarks/augment_quality.py                      # 1,000 reviews (~10-20 min on 2 cores)
    .venv/bin/python benchmarks/augment_quality.py --rows 300 --sim-rows 100 --recipes typos synonyms-safe

``--score FILE...`` instead scores files written by ``reviewaug augment`` on the whole corpus (every copy against
its source review, found by ``aug_of``; no MiniLM similarity):

    reviewaug augment ../shared/data/amazon-musical-instruments-5core.json.gz out-typos.jsonl.gz --recipe typos
    .venv/bin/python benchmarks/augment_quality.py --score out-typos.jsonl.gz
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RECIPES = ["eda", "aeda", "typos", "synonyms-safe", "synonyms-fast", "rewrite", "mixed", "word-noise"]
SAFE = ["aeda", "typos", "synonyms-safe", "synonyms-fast", "rewrite", "mixed", "word-noise"]
PEERS = ["nlpaug.synonym(default)", "nlpaug.synonym", "textaugment.synonym", "nlpaug.keyboard"]


def lost_sentiment_word(sentiment_words: list[list[str]], after: list[str]) -> float:
    from reviewaug.features import sentiment_words as find

    lost = 0
    for sw, a in zip(sentiment_words, after):
        words = set(find(a))
        lost += any(w not in words for w in sw or ())
    return lost / len(after) if after else 0.0


def score_files(paths: list[str]) -> None:
    """Quality of ``reviewaug augment`` outputs: each copy (``aug_index`` > 0) against its source review."""
    import gzip

    from benchmarks.augment_peers import corpus_with_features
    from reviewaug.augment.quality import quality_row

    full = corpus_with_features()
    by_id = {rid: i for i, rid in enumerate(full["review_id"])}
    texts, kws, sws = full["text"], full["keywords"], full["sentiment_words"]
    print(
        "| file | copies | changed | flip | sent. word lost | kw survival | distinct-1 | distinct-2 | edit rate |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in paths:
        before, after, kw, sw = [], [], [], []
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                row = json.loads(line)
                if not row.get("aug_index"):
                    continue  # an original row
                src = by_id.get(row.get("aug_of"))
                if src is None:
                    raise SystemExit(
                        f"{path}:{line_no}: aug_of {row.get('aug_of')!r} is not a review of the corpus"
                    )
                before.append(texts[src] or "")
                after.append(row.get("text") or "")
                kw.append(kws[src])
                sw.append(sws[src])
        r = quality_row(before, after, kw, similarity=False)
        print(
            f"| {Path(path).name} | {len(after):,} | {r['changed']:.3f} | {r['flip_rate']:.2%} "
            f"| {lost_sentiment_word(sw, after):.3f} | {r['keyword_survival']:.2%} | {r['distinct_1']:.3f} "
            f"| {r['distinct_2']:.3f} | {r['edit_rate']:.3f} |",
            flush=True,
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--start", type=int, default=2000, help="first corpus row (default 2000)")
    ap.add_argument("--sim-rows", type=int, default=150)
    ap.add_argument("--recipes", nargs="+", default=RECIPES)
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--json", default="")
    ap.add_argument(
        "--score", nargs="+", default=[], metavar="FILE", help="score `reviewaug augment` outputs"
    )
    args = ap.parse_args()
    if args.score:
        score_files(args.score)
        return 0

    import datasets
    import numpy as np

    from benchmarks.augment_peers import corpus_with_features
    from reviewaug.augment import augment_dataset
    from reviewaug.augment.quality import distinct_n, quality_row
    from reviewaug.augment.similarity import cosine_similarities

    datasets.disable_progress_bars()
    print(
        f"# augment quality — {time.strftime('%Y-%m-%d %H:%M')} — {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    full = corpus_with_features()
    ds = full.select(range(args.start, min(full.num_rows, args.start + args.rows)))
    src = ds["text"]
    kws = ds["keywords"]
    sw = ds["sentiment_words"]
    print(
        f"{ds.num_rows:,} reviews (rows {args.start}..{args.start + ds.num_rows - 1}), {len(set(ds['item_id']))} items; "
        f"sources: distinct-1 {distinct_n(src, 1):.3f}, distinct-2 {distinct_n(src, 2):.3f}"
    )

    outputs: dict[str, tuple[list[str], float]] = {}
    for name in args.recipes:
        t = time.perf_counter()
        out = augment_dataset(ds, name, n=1, keep_original=False, seed=0, progress=False)
        outputs[name] = (out["text"], time.perf_counter() - t)
        print(f"  {name:<26} {outputs[name][1]:7.1f}s", flush=True)
    if not args.skip_peers:
        from benchmarks.augment_peers import peers

        found, missing = peers(0.1)
        for name in PEERS:
            if name in found:
                t = time.perf_counter()
                res = found[name](list(src))
                outputs[name] = (res, time.perf_counter() - t)
                print(f"  {name:<26} {outputs[name][1]:7.1f}s", flush=True)
        for name, why in missing.items():
            print(f"peer {name} cannot run offline: {why}")

    results = {}
    k = min(args.sim_rows, ds.num_rows)
    for name, (out, secs) in outputs.items():
        row = quality_row(src, out, kws, similarity=False)
        row["sentiment_word_lost"] = lost_sentiment_word(sw, out)
        row["similarity"] = float(np.mean(cosine_similarities(src[:k], out[:k], batch_size=32)))
        row["seconds"] = secs
        results[name] = row
        print(f"  scored {name}", flush=True)

    print(f"\n## {ds.num_rows:,} real reviews, one copy each (MiniLM similarity over the first {k})")
    print(
        "| method | changed | flip | sent. word lost | kw survival | MiniLM sim | distinct-1 | distinct-2 | edit rate | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name} | {r['changed']:.3f} | {r['flip_rate']:.3%} | {r['sentiment_word_lost']:.3f} "
            f"| {r['keyword_survival']:.2%} | {r['similarity']:.3f} | {r['distinct_1']:.3f} | {r['distinct_2']:.3f} "
            f"| {r['edit_rate']:.3f} | {r['seconds']:.1f} |"
        )
    print("\ngoals (sentiment-safe recipes): flip <= 1%, keyword survival >= 99%")
    for name in [n for n in SAFE if n in results]:
        r = results[name]
        ok = r["flip_rate"] <= 0.01 and r["keyword_survival"] >= 0.99
        print(
            f"  {name:<14} flip {r['flip_rate']:.2%}  keywords {r['keyword_survival']:.2%}  -> {'met' if ok else 'NOT met'}"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"rows": ds.num_rows, "start": args.start, "results": results}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
