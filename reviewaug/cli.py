"""The ``reviewaug`` command line.

Example:
    >>> main(["recipes"])  # doctest: +SKIP
    word-noise  Random word swap and deletion ...
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from typing import Any

__all__ = ["main", "build_parser"]

EPILOG = """examples:
  reviewaug info ../shared/data/amazon-musical-instruments-5core.json.gz
  reviewaug features reviews.jsonl.gz with_features.parquet
  reviewaug augment reviews.jsonl.gz out.jsonl --recipe word-noise --n 2 --seed 7
  reviewaug recipes
  reviewaug demo --out demo-out
  reviewaug gan train --preset quick        # writes runs/gan-quick (the rewrite-lm recipe's model)

environment:
  REVIEWAUG_CACHE   built resources (WordNet copy, synonym table); default ~/.cache/reviewaug
  NUMBA_CACHE_DIR   where word swap's compiled code is kept, if the package folder is read-only
  REVIEWAUG_DATA    the demo corpus (see `reviewaug demo --help`)
"""


def _columns_arg(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for v in (pair for value in values for pair in value.split(",") if pair.strip()):
        if "=" not in v:
            raise ValueError(f"--columns takes SCHEMA=SOURCE pairs, got {v!r}")
        k, _, src = v.partition("=")
        out[k.strip()] = src.strip()
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands info, features, augment, recipes, demo, gan).

    Example:
        >>> build_parser().prog
        'reviewaug'
    """
    p = argparse.ArgumentParser(
        prog="reviewaug",
        description="Augment product-review text without losing its sentiment or keywords, "
        "and measure whether it helps.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add_input(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "input", metavar="IN", help="reviews: .jsonl/.json/.csv/.parquet (optionally .gz) or a folder"
        )
        sp.add_argument(
            "--columns",
            action="append",
            metavar="SCHEMA=SOURCE[,...]",
            help="map schema columns to source columns: --columns text=body,rating=stars "
            "(or the option once per pair)",
        )
        sp.add_argument("--split", default=None, help="the split to read from a folder that holds several")

    sp = sub.add_parser("info", help="rows, users, items, rating histogram, empty texts")
    add_input(sp)

    sp = sub.add_parser("features", help="add polarity, keywords and sentiment_words columns")
    add_input(sp)
    sp.add_argument("output", metavar="OUT", help="output: .jsonl, .jsonl.gz, .parquet, .csv or a folder")
    sp.add_argument("--top-k", type=int, default=5, help="keywords per review (default 5)")
    sp.add_argument("--num-proc", type=int, default=None, help="worker processes (default 1)")

    sp = sub.add_parser(
        "augment",
        help="write augmented copies of every review",
        description="Write N augmented copies of every review (plus the original unless --no-original). "
        "Output rows = input rows x (N + 1), or x N with --no-original. The same --seed gives the same bytes "
        "at any --num-proc.",
    )
    add_input(sp)
    sp.add_argument("output", metavar="OUT", help="output: .jsonl, .jsonl.gz, .parquet, .csv or a folder")
    sp.add_argument(
        "--recipe", required=True, help="recipe name (see `reviewaug recipes`) or a recipe .toml file"
    )
    sp.add_argument("--n", type=int, default=1, help="augmented copies per review (default 1)")
    sp.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sp.add_argument("--num-proc", type=int, default=None, help="worker processes (default 1)")
    sp.add_argument(
        "--batch-size", type=int, default=256, help="rows per batch (default 256; output is the same)"
    )
    sp.add_argument(
        "--retries",
        type=int,
        default=2,
        help="draw a copy again (up to this many times) when it repeats an earlier copy of its review "
        "(default 2; 0 keeps repeats)",
    )
    sp.add_argument("--no-original", action="store_true", help="leave the original reviews out of the output")
    sp.add_argument("--features", action="store_true", help="also add the feature columns before augmenting")

    sub.add_parser("recipes", help="list the named recipes")

    sp = sub.add_parser(
        "demo", help="the end-to-end demo on the real corpus (see `reviewaug demo --help`)", add_help=False
    )
    sp.add_argument("args", nargs=argparse.REMAINDER)
    sp = sub.add_parser(
        "gan", help="train, sample and evaluate the review generator (`reviewaug gan --help`)", add_help=False
    )
    sp.add_argument("args", nargs=argparse.REMAINDER)
    return p


def _version() -> str:
    from reviewaug import __version__

    return f"reviewaug {__version__}"


def _load(args: argparse.Namespace) -> Any:
    import datasets

    from reviewaug.io import load_reviews

    ds = load_reviews(args.input, columns=_columns_arg(args.columns), split=args.split)
    if isinstance(ds, datasets.DatasetDict):
        raise ValueError(f"{args.input} holds the splits {', '.join(ds)}: pick one with --split NAME")
    return ds


def cmd_info(args: argparse.Namespace) -> int:
    ds = _load(args)
    ratings = Counter(r if r == r else math.nan for r in ds["rating"])  # one NaN key for every missing one
    empty = sum(ds["text_empty"]) if "text_empty" in ds.column_names else None
    print(f"file:    {args.input}")
    print(f"rows:    {ds.num_rows:,}")
    print(f"users:   {len(set(ds['user_id'])):,}")
    print(f"items:   {len(set(ds['item_id'])):,}")
    print("ratings:")
    total = max(ds.num_rows, 1)
    for r in sorted(ratings, key=lambda x: (x != x, x)):
        n = ratings[r]
        print(f"  {r:>4}  {n:>8,}  {'#' * max(1, round(40 * n / total))}")
    if empty is not None:
        print(f"empty texts: {empty:,}")
    ts = [t for t in ds["timestamp"] if t]
    if ts:
        from datetime import datetime, timezone

        lo, hi = (datetime.fromtimestamp(x, tz=timezone.utc).date() for x in (min(ts), max(ts)))
        print(f"dates:   {lo} .. {hi}")
    return 0


def cmd_features(args: argparse.Namespace) -> int:
    from reviewaug.features import add_features
    from reviewaug.io import save_reviews

    ds = add_features(_load(args), top_k=args.top_k, num_proc=args.num_proc)
    save_reviews(ds, args.output)
    print(f"wrote {ds.num_rows:,} rows with polarity, keywords, sentiment_words to {args.output}")
    return 0


def cmd_augment(args: argparse.Namespace) -> int:
    from reviewaug.augment import augment_dataset, load_recipe
    from reviewaug.features import add_features
    from reviewaug.io import save_reviews

    recipe = load_recipe(args.recipe)
    ds = _load(args)
    if args.features:
        ds = add_features(ds, num_proc=args.num_proc)
    out = augment_dataset(
        ds,
        recipe,
        n=args.n,
        keep_original=not args.no_original,
        seed=args.seed,
        num_proc=args.num_proc,
        batch_size=args.batch_size,
        retries=args.retries,
    )
    save_reviews(out, args.output)
    ops = Counter(op for row in out["aug_ops"] for op in row)
    changed = sum(
        1 for i, k in zip(out["aug_ops"], out["aug_index"]) if k > 0 and i and not i[0].startswith("fallback")
    )
    copies = sum(1 for k in out["aug_index"] if k > 0)
    print(
        f"wrote {out.num_rows:,} rows ({ds.num_rows:,} reviews x {args.n} copies"
        f"{'' if args.no_original else ' + originals'}) to {args.output}"
    )
    print(
        f"recipe {recipe.name}: {changed:,}/{copies:,} copies changed; ops: "
        + ", ".join(f"{k} {v:,}" for k, v in ops.most_common())
    )
    return 0


def cmd_recipes(args: argparse.Namespace) -> int:
    from reviewaug.augment.recipes import list_recipes

    recipes = list_recipes()
    width = max((len(r.name) for r in recipes), default=0)
    for r in recipes:
        print(f"{r.name:<{width}}  {r.summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (non-zero with a one-line reason on bad input).

    Example:
        >>> main(["--version"])  # doctest: +SKIP
        reviewaug 0.1.0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in ("demo", "gan"):
        rest = argv[1:]
        try:
            if argv[0] == "demo":
                from reviewaug.demo import main as sub_main
            else:
                from reviewaug.gan.cli import main as sub_main
        except ImportError as e:
            print(
                f"reviewaug: error: {argv[0]} needs extra packages ({e}); pip install 'reviewaug[all]'",
                file=sys.stderr,
            )
            return 2
        return _guard(lambda: sub_main(rest))
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    handler = {"info": cmd_info, "features": cmd_features, "augment": cmd_augment, "recipes": cmd_recipes}[
        args.command
    ]
    return _guard(lambda: handler(args))


def _guard(fn: Any) -> int:
    from reviewaug.io import ReviewFormatError
    from reviewaug.resources import ResourceMissing

    try:
        return int(fn() or 0)
    except (ReviewFormatError, FileNotFoundError, ResourceMissing, ConnectionError) as e:
        msg = str(e).strip().splitlines()
        print(f"reviewaug: error: {msg[0] if msg else type(e).__name__}", file=sys.stderr)
        for line in msg[1:]:
            print(f"  {line}", file=sys.stderr)
        return 1
    except (KeyError, ValueError) as e:
        print(f"reviewaug: error: {e.args[0] if e.args else e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reviewaug: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
