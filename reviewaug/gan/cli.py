"""``reviewaug gan train | sample | eval``.

Examples::

    reviewaug gan train --preset quick --out runs/gan-quick            # real corpus by default
    reviewaug gan train --preset quick --out runs/gan-quick --resume   # continue after an interruption
    reviewaug gan sample --out runs/gan-quick --rating 1 5 --keywords strap,tone -n 3
    reviewaug gan eval --out runs/gan-quick                            # metrics.md, frontier.png, samples.md

Example:
    >>> main(["train", "--help"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .model import PRESETS

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``reviewaug gan``.

    Example:
        >>> build_parser().parse_args(["train", "--preset", "tiny"]).preset
        'tiny'
    """
    p = argparse.ArgumentParser(prog="reviewaug gan", description="SeqGAN-style review generator")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--data", default=None, help="reviews file (default: the real corpus, default_corpus_path())"
        )
        sp.add_argument("--out", default=None, help="run folder (default: runs/gan-<preset>)")
        sp.add_argument("--preset", default="quick", choices=sorted(PRESETS))
        sp.add_argument("--seed", type=int, default=0)
        sp.add_argument(
            "--threads", type=int, default=1, help="torch threads (1 is fastest on a busy 2-core box)"
        )
        sp.add_argument("--frac-test", type=float, default=0.1, help="latest share of reviews held out")
        sp.add_argument("--no-progress", action="store_true")

    tr = sub.add_parser("train", help="train tokenizer, generator (MLE then adversarial) and discriminator")
    common(tr)
    tr.add_argument("--resume", action="store_true", help="continue from out/ckpt.pt")
    tr.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a preset field, e.g. --set adv_steps=100 (repeat; pass the same ones with --resume)",
    )

    sa = sub.add_parser("sample", help="generate reviews for ratings and keywords")
    common(sa)
    sa.add_argument("--model", default=None, help="generator folder (default: <out>/generator)")
    sa.add_argument("--rating", type=float, nargs="+", default=[1, 2, 3, 4, 5])
    sa.add_argument("--keywords", default="", help="comma-separated keywords for the prompt")
    sa.add_argument("-n", type=int, default=3, help="samples per rating")
    sa.add_argument("--temperature", type=float, default=0.8)
    sa.add_argument("--jsonl", default=None, help="write samples here instead of printing")

    ev = sub.add_parser("eval", help="temperature sweep of the MLE-only and the adversarial generator")
    common(ev)
    ev.add_argument("--temperatures", type=float, nargs="+", default=[0.6, 0.8, 1.0, 1.2, 1.5])
    ev.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ev.add_argument("--n-samples", type=int, default=300)
    ev.add_argument("--n-refs", type=int, default=1000)
    ev.add_argument("--eval-dir", default=None, help="default: <out>/eval")
    return p


def _load_data(path: str | None) -> Any:
    from reviewaug.io import default_corpus_path, load_reviews

    return load_reviews(path if path else default_corpus_path())


def _out(args: argparse.Namespace) -> Path:
    return Path(args.out) if args.out else Path("runs") / f"gan-{args.preset}"


def _overrides(items: list[str]) -> dict[str, Any]:
    from dataclasses import fields

    from .model import GanConfig

    types = {f.name: f.type for f in fields(GanConfig)}
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key not in types:
            raise ValueError(f"--set {item!r}: expected KEY=VALUE with KEY one of {sorted(types)}")
        out[key] = float(value) if types[key] in ("float", float) else int(value)
    return out


def _train(args: argparse.Namespace) -> int:
    from .model import preset
    from .train import train

    out = train(
        _load_data(args.data),
        _out(args),
        preset(args.preset, **_overrides(args.set)),
        seed=args.seed,
        resume=args.resume,
        frac_test=args.frac_test,
        progress=not args.no_progress,
        threads=args.threads,
    )
    summary = json.loads((out / "summary.json").read_text())
    print(f"trained {args.preset} in {summary['seconds_total']:.1f}s of compute -> {out / 'generator'}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    import torch

    from .evaluate import generate, load_generator

    torch.set_num_threads(args.threads)
    path = Path(args.model) if args.model else _out(args) / "generator"
    model, tok = load_generator(path)
    kws = [k.strip() for k in args.keywords.split(",") if k.strip()]
    conds = [(r, kws) for r in args.rating for _ in range(args.n)]
    texts = generate(model, tok, conds, temperature=args.temperature, seed=args.seed)
    recs = [{"rating": r, "keywords": k, "text": t} for (r, k), t in zip(conds, texts)]
    if args.jsonl:
        Path(args.jsonl).write_text("".join(json.dumps(r) + "\n" for r in recs))
        print(f"wrote {len(recs)} samples to {args.jsonl}")
    else:
        for r in recs:
            print(f"[{r['rating']:g}] {r['text']}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    import torch

    from .evaluate import sweep
    from .train import as_records, temporal_split

    torch.set_num_threads(args.threads)
    out = _out(args)
    models = {"mle": out / "mle_generator", "gan": out / "generator"}
    for name, p in models.items():
        if not (p / "config.json").exists():
            raise FileNotFoundError(
                f"{p} has no generator ({name}); run `reviewaug gan train --out {out}` first"
            )
    _, held = temporal_split(as_records(_load_data(args.data)), args.frac_test)
    eval_dir = Path(args.eval_dir) if args.eval_dir else out / "eval"
    sweep(
        models,
        held,
        eval_dir,
        temperatures=args.temperatures,
        seeds=args.seeds,
        n_samples=args.n_samples,
        n_refs=args.n_refs,
        progress=not args.no_progress,
    )
    print((eval_dir / "metrics.md").read_text())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``reviewaug gan ...``; returns the exit status.

    Example:
        >>> main(["sample", "--out", "runs/gan-quick", "--rating", "5", "-n", "1"])  # doctest: +SKIP
        0
    """
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return {"train": _train, "sample": _sample, "eval": _eval}[args.cmd](args)
    except (FileNotFoundError, FileExistsError, ValueError) as e:
        print(f"reviewaug gan {args.cmd}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
