"""``reviewaug demo``: the end-to-end job on the real corpus — does augmentation help?

Stages: load → features → split → augment the training reviews with each recipe → train the review generator
(MLE, then SeqGAN) on the training reviews only and synthesize reviews for sparse items → recommender benchmark
(text hybrid with and without the extra texts, popularity/ALS for reference) → low-data sentiment benchmark
(logistic regression whose C every arm, the baseline included, chooses by the same cross-validated search on its
own training set) → ``report.md``, ``results.json`` and PNG plots in the output folder.

Only training reviews are augmented; the generator never sees validation or test reviews; generated and
augmented texts that duplicate a validation or test text are dropped (``reviewaug.rec.evaluate_arm``).

The default run (both splits, six augmenter families, the quick generator, TF-IDF features, N = 50/200/500)
takes 7 to 11 minutes on an idle 2-core machine (runs of 2026-12-01/02: benchmarks/evidence.md); ``--full`` runs the whole protocol (all models, the rewrite family,
all training sizes, MiniLM features, 4 and 16 copies, the default generator schedule) and takes hours.

Example:
    >>> cfg = DemoConfig.quick()
    >>> cfg.rec_seeds >= 5 and cfg.sent_seeds >= 5
    True
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from reviewaug.evaluate.sentiment import DEFAULT_C_GRID

__all__ = ["DemoConfig", "run_demo", "main"]


@dataclass(frozen=True)
class DemoConfig:
    """What the demo runs. ``quick()`` takes 7-11 minutes on 2 cores (budget: 15); ``full()`` is the whole protocol."""

    recipes: tuple[str, ...] = ("word-noise", "eda", "aeda", "typos", "synonyms-safe", "mixed")
    aug_copies: int = 2
    aug_scope: str = "sparse"  # which training reviews feed the recommender arms: "sparse" items or "all"
    sparse_max: int = 5
    splits: tuple[str, ...] = ("leave_last_out", "temporal")
    temporal_val: float = (
        0.1  # the temporal split's validation and test shares, by time (latest reviews last)
    )
    temporal_test: float = 0.1
    ref_models: tuple[str, ...] = ("pop", "als")
    rec_seeds: int = 5
    gan_preset: str | None = "quick"
    gan_per_item: int = 3
    sent_sizes: tuple[int | None, ...] = (50, 200, 500)
    sent_copies: tuple[int, ...] = (4,)
    sent_seeds: int = 5
    sent_features: tuple[str, ...] = ("tfidf",)
    sent_recipes: tuple[str, ...] = ("word-noise", "eda", "typos", "synonyms-safe")
    sent_control: bool = True  # the sentiment benchmark's random-word control arm
    max_train_minilm: int | None = 12_000
    # C grid of the sentiment classifier, chosen per cell by grouped CV on the training set; () keeps C = 1 (the
    # EDA protocol, which gives the augmented arms, with 5-17x the rows, a weaker penalty than the baseline)
    sent_tune_c: tuple[float, ...] = DEFAULT_C_GRID
    text_encoder: str = "tfidf"  # item text profiles of the hybrid: "tfidf" (fast) or "minilm" (--full)
    # text-aware recommenders the arms feed: "hybrid" (ALS + text similarity) and/or "text2factors" (text mapped to
    # ALS item factors for sparse items; measured no better, benchmarks/rec_text2factors.md)
    text_models: tuple[str, ...] = ("hybrid",)
    num_proc: int = 2
    # folder for MiniLM embeddings on disk (None: $REVIEWAUG_EMBED_CACHE if set, else memory only)
    embed_cache: str | None = None
    seed: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    argv: tuple[str, ...] = ()  # the command-line arguments this run came from (for the report)

    @classmethod
    def quick(cls) -> DemoConfig:
        """The default demo (7-11 minutes on 2 cores, within a 15-minute budget)."""
        return cls()

    @classmethod
    def full(cls) -> DemoConfig:
        """The whole protocol of the evidence issue (hours on 2 cores)."""
        return cls(
            recipes=("word-noise", "eda", "aeda", "typos", "synonyms-safe", "rewrite", "mixed"),
            aug_scope="all",
            splits=("leave_last_out", "temporal"),
            ref_models=("pop", "itemknn", "als", "bpr"),
            gan_preset="default",
            gan_per_item=5,
            sent_sizes=(50, 200, 500, 2000, None),
            sent_copies=(4, 16),
            sent_features=("tfidf", "minilm"),
            sent_recipes=("word-noise", "eda", "aeda", "typos", "synonyms-safe", "mixed"),
            max_train_minilm=10_000,
            text_encoder="minilm",
            text_models=("hybrid", "text2factors"),
        )


_TEXT_MODEL_LABELS = {"hybrid": "text hybrid", "text2factors": "text-to-factors model"}
# keep_norm: the variant that lost least on both splits (benchmarks/rec_text2factors.md)
_TEXT_MODEL_PARAMS: dict[str, dict[str, Any]] = {"text2factors": {"keep_norm": True}}


class _Log:
    """Stage headers with elapsed time, to stderr (progress bars go there too)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.times: dict[str, float] = {}
        self._stage: tuple[str, float] | None = None

    def stage(self, name: str) -> None:
        self.end()
        print(f"[{time.perf_counter() - self.t0:7.1f}s] {name}", file=sys.stderr, flush=True)
        self._stage = (name, time.perf_counter())

    def end(self) -> None:
        if self._stage:
            name, t = self._stage
            self.times[name] = round(time.perf_counter() - t, 1)
            self._stage = None

    def note(self, msg: str) -> None:
        print(f"           {msg}", file=sys.stderr, flush=True)


def _available_recipes(names: Sequence[str], log: _Log) -> list[str]:
    from reviewaug.augment.recipes import _recipe_files

    files = _recipe_files()
    have = [n for n in names if n in files]
    for n in names:
        if n not in files:
            log.note(f"recipe {n!r} is not available here; its arm is left out")
    return have


def _augment_pairs(train: Any, recipe: str, cfg: DemoConfig, scope_items: set[str] | None) -> dict[str, Any]:
    """Augmented copies of the training reviews (of ``scope_items`` when given) as (item_id, text) pairs."""
    from reviewaug.augment import augment_dataset

    src = train if scope_items is None else train.filter(lambda r: r["item_id"] in scope_items, desc="scope")
    t0 = time.perf_counter()
    out = augment_dataset(
        src,
        recipe,
        n=cfg.aug_copies,
        keep_original=False,
        seed=cfg.seed,
        num_proc=cfg.num_proc,
        progress=True,
    )
    secs = time.perf_counter() - t0
    pairs, fallbacks, unchanged = [], 0, 0
    originals = dict(zip(src["review_id"], src["text"]))
    for item, text, src_id, ops in zip(out["item_id"], out["text"], out["aug_of"], out["aug_ops"]):
        if any(o.startswith("fallback") for o in ops):
            fallbacks += 1
        if not text or text == originals.get(src_id):
            unchanged += 1
            continue
        pairs.append((item, text))
    return {
        "pairs": pairs,
        "rows": out.num_rows,
        "sources": src.num_rows,
        "fallbacks": fallbacks,
        "unchanged": unchanged,
        "seconds": round(secs, 1),
    }


def _sparse_items(train: Any, sparse_max: int) -> set[str]:
    counts = Counter(train["item_id"])
    return {i for i, c in counts.items() if 1 <= c <= sparse_max}


def _train_generator(train: Any, out: Path, cfg: DemoConfig, log: _Log) -> Path | None:
    from reviewaug.gan.train import train as gan_train

    run_dir = out / f"gan-{cfg.gan_preset}"
    if (run_dir / "generator" / "config.json").exists() and (run_dir / "summary.json").exists():
        log.note(f"reusing the generator in {run_dir}")
        return run_dir
    gan_train(train, run_dir, cfg.gan_preset, seed=cfg.seed, resume=(run_dir / "ckpt.pt").exists(), threads=2)
    return run_dir


def _synth_pairs(train: Any, model_dir: Path, items: set[str], cfg: DemoConfig) -> list[tuple[str, str]]:
    """``gan_per_item`` generated reviews per sparse item, conditioned on the item's ratings and keywords."""
    from reviewaug.augment.core import row_rng
    from reviewaug.gan.augment import synthesize

    by_item_r: dict[str, list[float]] = defaultdict(list)
    by_item_k: dict[str, Counter] = defaultdict(Counter)
    has_kw = "keywords" in train.column_names
    for i, r, kws in zip(
        train["item_id"], train["rating"], train["keywords"] if has_kw else [[]] * train.num_rows
    ):
        if i in items:
            by_item_r[i].append(float(r))
            by_item_k[i].update(kws or [])
    item_ids, ratings, keywords = [], [], []
    for it in sorted(by_item_r):
        for k in range(cfg.gan_per_item):
            rng = row_rng(cfg.seed, it, k, stream="demo-synth")
            item_ids.append(it)
            ratings.append(by_item_r[it][int(rng.integers(len(by_item_r[it])))])
            top = [w for w, _ in by_item_k[it].most_common(6)]
            pick = sorted(rng.choice(len(top), size=min(2, len(top)), replace=False).tolist()) if top else []
            keywords.append([top[j] for j in pick])
    ds = synthesize(str(model_dir), item_ids, ratings, keywords, seed=cfg.seed)
    return [(i, t) for i, t in zip(ds["item_id"], ds["text"]) if t and t.strip()]


def sentiment_arms(ds: Any, recipes: Sequence[str], *, control: bool = True) -> dict[str, Any]:
    """The demo's sentiment arms: an ``augment_fn`` per recipe, applied with each review's own keywords and
    sentiment words (``ds`` has been through :func:`reviewaug.features.add_features`), and with ``control``
    the count-matched random-word control.

    Example:
        >>> arms = sentiment_arms(add_features(load_reviews(path)), ["typos"])  # doctest: +SKIP
        >>> sorted(arms)  # doctest: +SKIP
        ['random-control', 'typos']
    """
    from reviewaug.evaluate.controls import random_words_fn

    feats_by_id = {
        rid: {"keywords": k, "sentiment_words": s}
        for rid, k, s in zip(ds["review_id"], ds["keywords"], ds["sentiment_words"])
    }
    arms = {r: _sent_arm(r, feats_by_id) for r in recipes}
    if control:  # its vocabulary comes from the training subsample it is given
        arms["random-control"] = random_words_fn()
    return arms


def _sent_arm(recipe: str, feats_by_id: dict[str, dict[str, Any]]) -> Any:
    """An augment_fn for the sentiment protocol that applies ``recipe`` with the reviews' own features."""
    from reviewaug.augment import augment_texts, load_recipe

    rec = load_recipe(recipe)

    def fn(
        texts: list[str], ids: list[str], labels: np.ndarray, n_copies: int, seed: int
    ) -> list[tuple[str, int, int]]:
        feats = {
            c: [feats_by_id.get(i, {}).get(c) or [] for i in ids] for c in ("keywords", "sentiment_words")
        }
        copies = augment_texts(texts, rec, n=n_copies, seed=seed, ids=ids, features=feats)
        return [(c, int(lab), j) for j, (cs, lab) in enumerate(zip(copies, labels)) for c in cs]

    return fn


def run_demo(data: str | Path, out: str | Path, cfg: DemoConfig | None = None) -> dict[str, Path]:
    """Run every stage and write the report; returns the written paths.

    Example:
        >>> run_demo("../shared/data/amazon-musical-instruments-5core.json.gz", "demo-out")  # doctest: +SKIP
    """
    from reviewaug.evaluate.controls import other_item_texts
    from reviewaug.evaluate.report import write_report
    from reviewaug.evaluate.sentiment import run_sentiment
    from reviewaug.features import add_features
    from reviewaug.io import load_reviews
    from reviewaug.rec import compare_arms, evaluate_arm, leave_last_out, temporal_split

    cfg = cfg or DemoConfig.quick()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    log = _Log()
    notes: list[str] = list(cfg.notes)
    if cfg.embed_cache:
        from reviewaug.evaluate.embed import set_cache_dir

        set_cache_dir(cfg.embed_cache)

    log.stage(f"load {data}")
    ds = load_reviews(data)
    log.note(f"{ds.num_rows:,} reviews, {len(set(ds['user_id'])):,} users, {len(set(ds['item_id'])):,} items")

    log.stage("features: polarity (VADER), keywords (YAKE), sentiment words")
    ds = add_features(ds, num_proc=cfg.num_proc)
    pol = np.asarray(ds["polarity"])
    rating = np.asarray(ds["rating"])
    corr = float(np.corrcoef(pol, rating)[0, 1])

    recipes = _available_recipes(cfg.recipes, log)
    sent_recipes = _available_recipes(cfg.sent_recipes, log)

    rec_summaries: list[dict[str, Any]] = []
    rec_rows: list[dict[str, Any]] = []
    aug_stats: dict[str, Any] = {}
    samples: dict[str, list[str]] = {}
    for split_name in cfg.splits:
        log.stage(f"split: {split_name}")
        split = (
            leave_last_out(ds)
            if split_name == "leave_last_out"
            else temporal_split(ds, cfg.temporal_val, cfg.temporal_test)
        )
        train, val, test = split.train, split.val, split.test
        log.note(f"train {train.num_rows:,} / validation {val.num_rows:,} / test {test.num_rows:,}")
        sparse = _sparse_items(train, cfg.sparse_max)
        scope = sparse if cfg.aug_scope == "sparse" else None
        log.note(f"{len(sparse)} sparse items (1..{cfg.sparse_max} training reviews)")

        extra: dict[str, list[tuple[str, str]]] = {}
        for recipe in recipes:
            log.stage(f"[{split_name}] augment training reviews with {recipe} (x{cfg.aug_copies})")
            res = _augment_pairs(train, recipe, cfg, scope)
            extra[recipe] = res.pop("pairs")
            aug_stats[f"{split_name}:{recipe}"] = {**res, "texts_used": len(extra[recipe])}
            log.note(
                f"{len(extra[recipe]):,} changed copies in {res['seconds']} s ({res['fallbacks']} guard fallbacks)"
            )

        if cfg.gan_preset:
            log.stage(
                f"[{split_name}] train the review generator (preset {cfg.gan_preset}) on training reviews only"
            )
            run_dir = _train_generator(train, out / split_name, cfg, log)
            for name, folder in (("gan-synth", "generator"), ("mle-synth", "mle_generator")):
                if (run_dir / folder / "config.json").exists():
                    log.stage(
                        f"[{split_name}] synthesize {cfg.gan_per_item} reviews per sparse item with {name}"
                    )
                    extra[name] = _synth_pairs(train, run_dir / folder, sparse, cfg)
                    samples[f"{split_name}:{name}"] = [t for _, t in extra[name][:5]]
                    log.note(f"{len(extra[name]):,} synthetic reviews")

        if extra:
            biggest = max(len(v) for v in extra.values())
            ref = max(extra, key=lambda k: len(extra[k]))
            log.stage(f"[{split_name}] random control: {biggest:,} other-item texts (count of {ref})")
            extra["random-control"] = other_item_texts(
                [i for i, _ in extra[ref]], train["item_id"], train["text"], seed=cfg.seed
            )

        seeds = range(cfg.seed, cfg.seed + cfg.rec_seeds)
        for model in cfg.ref_models:
            log.stage(f"[{split_name}] recommender reference: {model} ({cfg.rec_seeds} seeds)")
            res = evaluate_arm(train, test, val=val, model=model, seeds=seeds, sparse_max=cfg.sparse_max)
            rec_summaries.append({**res.summary(), "split": split_name, "arm": f"{model} (no text)"})
        for text_model in cfg.text_models:
            label = _TEXT_MODEL_LABELS.get(text_model, text_model)
            log.stage(f"[{split_name}] {label} without augmentation")
            spec = {
                "model": text_model,
                "seeds": seeds,
                "sparse_max": cfg.sparse_max,
                "params": {"encoder": cfg.text_encoder, **_TEXT_MODEL_PARAMS.get(text_model, {})},
            }
            base = evaluate_arm(train, test, val=val, **spec)
            rec_summaries.append({**base.summary(), "split": split_name, "arm": "no_aug"})
            arms = {}
            for name, pairs in extra.items():
                log.stage(f"[{split_name}] {label} + {name} ({len(pairs):,} extra texts)")
                arms[name] = evaluate_arm(train, test, val=val, extra_texts=pairs, **spec)
                rec_summaries.append({**arms[name].summary(), "split": split_name, "arm": name})
            for r in compare_arms(base, arms, seed=cfg.seed):
                rec_rows.append({**r, "split": split_name})

    sres = None
    if cfg.sent_sizes:
        log.stage("low-data sentiment benchmark (rating >= 4 vs <= 2)")
        sres = run_sentiment(
            ds,
            sentiment_arms(ds, sent_recipes, control=cfg.sent_control),
            sizes=cfg.sent_sizes,
            copies=cfg.sent_copies,
            seeds=range(cfg.seed, cfg.seed + cfg.sent_seeds),
            features=cfg.sent_features,
            max_train_minilm=cfg.max_train_minilm,
            tune_c=cfg.sent_tune_c or None,
            n_jobs=cfg.num_proc,
        )
    log.stage("report")
    log.end()
    if cfg.gan_preset is None and cfg.splits:
        notes.append("The generator arms were skipped (--no-gan).")
    if not cfg.splits:
        notes.append("The recommender benchmark was not run in this invocation (--splits none).")
    if sres is None:
        notes.append("The low-data sentiment benchmark was not run in this invocation (--sent-sizes none).")
    if sres is not None and not cfg.sent_control:
        notes.append(
            "The sentiment benchmark's random-word control was skipped (--no-sent-control); a run with the same "
            "sizes, copies, features and seeds measures it."
        )
    if sres is not None and not cfg.sent_tune_c:
        notes.append(
            "The sentiment classifier used C = 1 in every cell (--sent-tune-c none, the EDA protocol): an arm with "
            "n copies trains on (n + 1) times the rows under the same penalty, so its result mixes augmentation "
            "with weaker regularization."
        )
    notes.append(
        "The random-word control of the sentiment benchmark draws words from the unigram distribution of the "
        "training subsample it is given (never test text); like every arm it only adds copies of training examples."
    )
    meta = {
        "command": " ".join(["reviewaug", "demo", *cfg.argv]) if cfg.argv else "reviewaug demo",
        "data": str(data),
        "reviews": ds.num_rows,
        "pearson(polarity, rating)": round(corr, 3),
        "config": asdict(cfg),
        "augmentation": aug_stats,
        "generator_samples": samples,
        "stage_seconds": log.times,
        "total_seconds": round(time.perf_counter() - log.t0, 1),
        "sentiment_info": sres.info if sres else {},
        "notes": notes,
    }
    paths = write_report(
        out,
        rec_summaries=rec_summaries,
        rec_rows=rec_rows,
        sent_baselines=sres.baselines(seed=cfg.seed) if sres else [],
        sent_rows=sres.compare(seed=cfg.seed) if sres else [],
        meta=meta,
        title="reviewaug demo: does augmentation help?",
    )
    print(f"report: {paths['report']}  ({meta['total_seconds']:.0f} s in all)")
    return paths


def build_parser() -> argparse.ArgumentParser:
    """Arguments of ``reviewaug demo``.

    Example:
        >>> build_parser().parse_args([]).out
        'demo-out'
    """
    p = argparse.ArgumentParser(
        prog="reviewaug demo",
        description=__doc__.split("Example:")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--data",
        default=None,
        help="review file (default: $REVIEWAUG_DATA, else ../shared/data/amazon-musical-instruments-5core.json.gz)",
    )
    p.add_argument(
        "--out",
        default="demo-out",
        help="output folder for report.md, results.json, plots (default demo-out)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="run the whole protocol (hours on 2 cores; embeddings are kept in OUT/embed-cache, so the same "
        "command run again after a stop resumes from them)",
    )
    p.add_argument("--recipes", default=None, help="comma-separated recipes for the recommender arms")
    p.add_argument("--rec-seeds", type=int, default=None, help="seeds per recommender arm (default 5)")
    p.add_argument("--sent-seeds", type=int, default=None, help="seeds per sentiment cell (default 5)")
    p.add_argument("--no-gan", action="store_true", help="skip the generator arms")
    p.add_argument(
        "--gan-preset", default=None, choices=["tiny", "quick", "default"], help="generator preset"
    )
    part = p.add_argument_group(
        "parts of the protocol",
        "Run a slice of the protocol (for example the sentiment benchmark alone at N = 2000); every value "
        "overrides the one --full or the default run would use.",
    )
    part.add_argument(
        "--splits",
        default=None,
        help="recommender splits: leave_last_out,temporal, or 'none' to skip the recommender",
    )
    part.add_argument(
        "--temporal-test",
        type=float,
        default=None,
        help="share of the latest reviews the temporal split holds out as test (default 0.1)",
    )
    part.add_argument(
        "--temporal-val",
        type=float,
        default=None,
        help="share of reviews just before the test ones kept for validation (default 0.1)",
    )
    part.add_argument("--models", default=None, help="reference models, from pop,itemknn,als,bpr")
    part.add_argument(
        "--encoder", default=None, choices=["tfidf", "minilm"], help="text profiles of the hybrid"
    )
    part.add_argument(
        "--text-models",
        default=None,
        help="text-aware recommenders the arms feed: hybrid and/or text2factors",
    )
    part.add_argument(
        "--aug-scope", default=None, choices=["sparse", "all"], help="which training reviews to augment"
    )
    part.add_argument(
        "--aug-copies", type=int, default=None, help="augmented copies per training review (default 2)"
    )
    part.add_argument(
        "--sent-sizes",
        default=None,
        help="sentiment training sizes, e.g. 50,500,2000,all; 'none' skips the benchmark",
    )
    part.add_argument("--sent-copies", default=None, help="augmented copies per sentiment example, e.g. 4,16")
    part.add_argument("--sent-features", default=None, help="tfidf and/or minilm, e.g. tfidf,minilm")
    part.add_argument("--sent-recipes", default=None, help="recipes of the sentiment arms, comma-separated")
    part.add_argument(
        "--no-sent-control",
        action="store_true",
        help="skip the sentiment benchmark's random-word control (it repeats what a run with the same sizes, "
        "copies, features and seeds measured; it costs as much as one more recipe)",
    )
    part.add_argument(
        "--sent-tune-c",
        nargs="?",
        const=",".join(f"{c:g}" for c in DEFAULT_C_GRID),
        default=None,
        metavar="GRID",
        help="the sentiment classifier's C is chosen per cell (size, seed, arm) from GRID by 3-fold cross-validation "
        "on the training set, each copy in its source's fold, so every arm gets the same search (default grid "
        f"{','.join(f'{c:g}' for c in DEFAULT_C_GRID)}); one value fixes C in every cell without a search; 'none' fits "
        "C = 1 everywhere, as the EDA protocol does",
    )
    part.add_argument(
        "--max-train-minilm",
        type=int,
        default=None,
        help="skip MiniLM sentiment cells whose training set (with copies) is larger (embedding is the slow part)",
    )
    p.add_argument(
        "--embed-cache",
        default=None,
        metavar="DIR",
        help="keep MiniLM embeddings in DIR as they are computed, so a rerun or a run stopped midway reuses them "
        "(default: $REVIEWAUG_EMBED_CACHE if set; else OUT/embed-cache with --full, memory only without)",
    )
    p.add_argument(
        "--num-proc",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for feature extraction, the recommender's augmentation and the sentiment C search "
        "(default 2; the same results at any N)",
    )
    p.add_argument("--seed", type=int, default=0)
    return p


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip() and v.strip().lower() != "none")


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The DemoConfig fields the command-line options set.

    Example:
        >>> overrides(build_parser().parse_args(["--sent-sizes", "500,all", "--splits", "none"]))["sent_sizes"]
        (500, None)
    """
    out: dict[str, Any] = {}
    if args.recipes:
        out["recipes"] = _csv(args.recipes)
    if args.rec_seeds:
        out["rec_seeds"] = args.rec_seeds
    if args.sent_seeds:
        out["sent_seeds"] = args.sent_seeds
    if args.gan_preset:
        out["gan_preset"] = args.gan_preset
    if args.no_gan:
        out["gan_preset"] = None
    if args.no_sent_control:
        out["sent_control"] = False
    if args.splits is not None:
        bad = [s for s in _csv(args.splits) if s not in ("leave_last_out", "temporal")]
        if bad:
            raise SystemExit(f"--splits: unknown split(s) {bad}; use leave_last_out, temporal or none")
        out["splits"] = _csv(args.splits)
    for name in ("temporal_val", "temporal_test"):
        value = getattr(args, name)
        if value is not None:
            if not 0.0 < value < 0.5:
                flag = "--" + name.replace("_", "-")
                raise SystemExit(f"{flag}: expected a share between 0 and 0.5, got {value}")
            out[name] = value
    if args.models is not None:
        bad = [m for m in _csv(args.models) if m not in ("pop", "itemknn", "als", "bpr")]
        if bad:
            raise SystemExit(f"--models: unknown model(s) {bad}; use pop, itemknn, als, bpr")
        out["ref_models"] = _csv(args.models)
    if args.encoder:
        out["text_encoder"] = args.encoder
    if args.text_models:
        bad = [m for m in _csv(args.text_models) if m not in _TEXT_MODEL_LABELS]
        if bad:
            raise SystemExit(f"--text-models: unknown model(s) {bad}; use hybrid, text2factors")
        out["text_models"] = _csv(args.text_models)
    if args.aug_scope:
        out["aug_scope"] = args.aug_scope
    if args.aug_copies:
        out["aug_copies"] = args.aug_copies
    if args.sent_sizes is not None:
        try:
            out["sent_sizes"] = tuple(None if v == "all" else int(v) for v in _csv(args.sent_sizes))
        except ValueError:
            raise SystemExit(f"--sent-sizes: expected numbers or 'all', got {args.sent_sizes!r}") from None
    if args.sent_copies:
        out["sent_copies"] = tuple(int(v) for v in _csv(args.sent_copies))
    if args.sent_features:
        bad = [f for f in _csv(args.sent_features) if f not in ("tfidf", "minilm")]
        if bad:
            raise SystemExit(f"--sent-features: unknown feature(s) {bad}; use tfidf, minilm")
        out["sent_features"] = _csv(args.sent_features)
    if args.sent_recipes:
        out["sent_recipes"] = _csv(args.sent_recipes)
    if args.max_train_minilm:
        out["max_train_minilm"] = args.max_train_minilm
    if args.sent_tune_c and args.sent_tune_c.strip().lower() == "none":
        out["sent_tune_c"] = ()
    elif args.sent_tune_c:
        try:
            grid = tuple(float(v) for v in _csv(args.sent_tune_c))
        except ValueError:
            raise SystemExit(
                f"--sent-tune-c: expected numbers, e.g. 0.1,1,10; got {args.sent_tune_c!r}"
            ) from None
        if not grid or min(grid) <= 0:
            raise SystemExit(f"--sent-tune-c: C values must be positive, got {args.sent_tune_c!r}")
        out["sent_tune_c"] = grid
    if args.embed_cache:
        out["embed_cache"] = args.embed_cache
    if args.num_proc is not None:
        if args.num_proc < 1:
            raise SystemExit(f"--num-proc: expected a positive number of processes, got {args.num_proc}")
        out["num_proc"] = args.num_proc
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``reviewaug demo``.

    Example:
        >>> main(["--help"])  # doctest: +SKIP
    """
    args = build_parser().parse_args(argv)
    from reviewaug.io import default_corpus_path

    data = args.data or default_corpus_path()
    cfg = DemoConfig.full() if args.full else DemoConfig.quick()
    changes: dict[str, Any] = {
        "seed": args.seed,
        **overrides(args),
        "argv": tuple(sys.argv[1:] if argv is None else argv),
    }
    if args.full and "embed_cache" not in changes and not os.environ.get("REVIEWAUG_EMBED_CACHE", "").strip():
        # hours of MiniLM encoding: kept beside the report, so running the same command again resumes
        changes["embed_cache"] = str(Path(args.out) / "embed-cache")
    cfg = replace(cfg, **changes)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    run_demo(data, args.out, cfg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
