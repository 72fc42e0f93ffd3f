"""Word and character noise ops at an earlier commit against the working tree: one process, rounds interleaved.

`augment_speed.py` compares reviewaug with its peers; on a shared VM its absolute times drift by 10-20% from
run to run, as much as a change to one op may move them. This script measures such a change on its own: it
loads ``reviewaug/augment/word.py``, ``noise.py`` and ``batch.py`` as they were at ``--rev`` (``git show``; the rest of the
package comes from the working tree) next to today's, runs each op's augmenter (``KeyboardTypo(p=0.1)``,
``RandomSwap(p=0.05)``, ``RandomDelete(p=0.1)``) on the same real reviews in batches of 256 with the same rows
(keys from ``row_key(0, review_id, 1)``) and protected words, in alternating rounds (best of ``--rounds``; every
call starts with the text caches cleared and a garbage collection), and prints time per review, time against the
floor (``str.split`` + dict lookup + join, as in ``augment_speed.py``), the ratio now / then, and whether both
give the same outputs and the same VADER proofs (not expected across a change of draws: word swap and deletion
since 37e5ea5, the character ops since 11f7f05 draw from per-row keys over whole batches).

    .venv/bin/python benchmarks/ops_ab.py --rev 931a9b5
    taskset -c 0 .venv/bin/python benchmarks/ops_ab.py --rev 5e1bb59 --reviews 1000 --rounds 15
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def module_at(rev: str, path: str, name: str, where: Path, renames: dict[str, str] | None = None):  # noqa: ANN201
    """The module at ``path`` as committed at ``rev``, imported under ``name``; ``renames`` maps module names in
    its imports to the names of modules loaded this way (its ``batch`` module as it was, say)."""
    try:
        src = subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"cannot read {path} at {rev!r}: {e.stderr.strip()}") from e
    for old, new in (renames or {}).items():
        src = src.replace(f"from {old} import", f"from {new} import")
    file = where / f"{name}.py"
    file.write_text(src)
    spec = importlib.util.spec_from_file_location(name, file)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def ops(word, noise) -> dict:
    """The ops' augmenters at the rates ``augment_speed.py`` gives them (``--rate 0.1``; a swap moves two
    words)."""
    return {
        "keyboard": noise.KeyboardTypo(p=0.1),
        "word_swap": word.RandomSwap(p=0.05),
        "word_delete": word.RandomDelete(p=0.1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", required=True, help="the commit to compare with (anything git show accepts)")
    ap.add_argument("--reviews", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()

    from benchmarks.augment_peers import corpus_with_features
    from benchmarks.augment_speed import floor_fn
    from reviewaug.augment import noise, word
    from reviewaug.augment.constraints import clear_text_caches, protected_words
    from reviewaug.augment.core import Row, row_key

    feats = corpus_with_features()
    n = args.reviews
    texts, ids = feats["text"][:n], feats["review_id"][:n]
    protected = [
        protected_words(t, {"keywords": k, "sentiment_words": s})
        for t, k, s in zip(texts, feats["keywords"][:n], feats["sentiment_words"][:n])
    ]
    table = {w: w.upper() for t in feats["text"][:2000] for w in t.split()[:5]}
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        batch_ok = subprocess.run(
            ["git", "cat-file", "-e", f"{args.rev}:reviewaug/augment/batch.py"], cwd=ROOT
        )
        renames = {}
        if batch_ok.returncode == 0:  # the batch layout too (it came with 5e1bb59)
            module_at(args.rev, "reviewaug/augment/batch.py", "batch_then", where)
            renames["reviewaug.augment.batch"] = "batch_then"
        then = ops(
            module_at(args.rev, "reviewaug/augment/word.py", "word_then", where, renames),
            module_at(args.rev, "reviewaug/augment/noise.py", "noise_then", where, renames),
        )
    now = ops(word, noise)

    def runner(aug):
        def run():
            clear_text_caches()
            proofs: list[dict] = []
            out = []
            for b in range(0, n, 256):  # the batches augment_dataset gives an augmenter
                rows = [
                    Row(key=row_key(0, i, 1), protected=pr, original=t)
                    for t, i, pr in zip(texts[b : b + 256], ids[b : b + 256], protected[b : b + 256])
                ]
                out.extend(aug(texts[b : b + 256], rows))
                proofs.extend(r.vader_proofs for r in rows)
            return out, proofs

        return run

    fns = {"floor": lambda: (floor_fn(texts, table), None)}
    for name in now:
        fns[f"{name} then"] = runner(then[name])
        fns[f"{name} now"] = runner(now[name])
    results = {name: fn() for name, fn in fns.items()}  # warm-up: models and lexicons loaded
    best: dict[str, float] = {}
    names = list(fns)
    for r in range(args.rounds):
        # every other round in reverse order: what runs first in a round (or after which) does not favour a side
        for name in names if r % 2 == 0 else names[::-1]:
            fn = fns[name]
            gc.collect()
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            best[name] = min(dt, best.get(name, dt))
    us = 1e6 / n
    floor = best["floor"]
    print(f"# ops at {args.rev} against the working tree — {time.strftime('%Y-%m-%d %H:%M')}, {n:,} reviews")
    print(
        f"best of {args.rounds} interleaved rounds (every other one in reverse order); floor {floor * us:.1f} us per review\n"
    )
    print(
        "| op | then (us/review) | now (us/review) | now / then | then x floor | now x floor | same outputs and proofs |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for name in now:
        a, b = best[f"{name} then"], best[f"{name} now"]
        same = results[f"{name} then"] == results[f"{name} now"]
        print(
            f"| {name} | {a * us:.1f} | {b * us:.1f} | {b / a:.2f} | {a / floor:.2f} | {b / floor:.2f} "
            f"| {'yes' if same else 'NO'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
