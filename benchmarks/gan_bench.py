"""Speed of the GAN pipeline on the real corpus: KV-cached vs recomputed rollouts, sampling rate, and the
per-step cost of each training phase, from which the time of a whole preset schedule is estimated.

Every ratio is against a baseline measured in the same run. Each timing is reported twice: wall-clock seconds and
CPU seconds of this process (``time.process_time``); with one torch thread the CPU seconds are what the wall clock
would show on an otherwise idle core, which matters on a shared machine (the load average is printed). Untrained (freshly initialised) models never emit
EOS, so samples and rollouts run to the full length: the worst case for both arms.

    .venv/bin/python benchmarks/gan_bench.py --preset default --threads 1
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="default")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=None)
    ap.add_argument("--steps", type=int, default=3, help="timed steps per phase")
    ap.add_argument("--n-sample", type=int, default=512)
    ap.add_argument(
        "--rollout-seqs", type=int, default=4, help="sequences in the cached-vs-recomputed comparison"
    )
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from reviewaug.gan.model import preset
    from reviewaug.gan.sample import rollout_rewards, sample_ids
    from reviewaug.gan.tokenizer import encode_prompt, train_tokenizer
    from reviewaug.gan.train import Trainer, as_records, encode_corpus, temporal_split
    from reviewaug.io import default_corpus_path, load_reviews

    cfg = preset(args.preset)
    recs = as_records(load_reviews(args.data or default_corpus_path()))
    train_recs, _ = temporal_split(recs, 0.1)
    t0 = time.perf_counter()
    tok = train_tokenizer((r["text"] for r in train_recs), vocab_size=cfg.vocab_size)
    t_tok = time.perf_counter() - t0
    examples = encode_corpus(train_recs, tok, cfg, 0)
    tr = Trainer(cfg, tok, examples, Path("/nonexistent"), 0)
    res: dict = {
        "preset": args.preset,
        "threads": args.threads,
        "n_train": len(examples),
        "tokenizer_s": t_tok,
    }

    # --- rollouts: KV cache vs recompute, same prompts, same sampled sequences, same generator seed
    g, d = tr.g.eval(), tr.d.eval()
    batch = examples[: args.rollout_seqs]
    prompts = [e.ids[: e.prompt_len] for e in batch]
    kw = dict(max_new=cfg.max_text_tokens, eos_id=tok.eos_token_id, pad_id=tok.pad_token_id)
    gens = sample_ids(g, prompts, gen=torch.Generator().manual_seed(0), keep_eos=True, **kw)
    times = {}
    cpu = {}
    out = {}
    for use_cache in (True, False):
        t0, c0 = time.perf_counter(), time.process_time()
        out[use_cache] = rollout_rewards(
            g, d, prompts, gens, n_rollouts=cfg.rollouts, stride=cfg.rollout_stride,
            gen=torch.Generator().manual_seed(1), use_cache=use_cache, **kw,
        )  # fmt: skip
        times[use_cache] = time.perf_counter() - t0
        cpu[use_cache] = time.process_time() - c0
    diff = float(np.max(np.abs(np.concatenate(out[True]) - np.concatenate(out[False]))))
    res["rollout_cached_s"] = times[True]
    res["rollout_recompute_s"] = times[False]
    res["rollout_speedup"] = times[False] / times[True]
    res["rollout_cached_cpu_s"] = cpu[True]
    res["rollout_recompute_cpu_s"] = cpu[False]
    res["rollout_speedup_cpu"] = cpu[False] / cpu[True]
    res["rollout_max_reward_diff"] = diff
    res["rollout_gen_len"] = float(np.mean([len(x) for x in gens]))
    print(
        f"preset {args.preset}, {args.threads} thread(s), {len(examples)} training reviews, tokenizer {t_tok:.1f}s\n"
        f"rollouts ({len(batch)} seqs x {cfg.rollouts} rollouts, stride {cfg.rollout_stride}, "
        f"{res['rollout_gen_len']:.0f} tokens): cached {times[True]:.2f}s, recompute {times[False]:.2f}s "
        f"-> KV cache {res['rollout_speedup']:.1f}x faster (CPU time: {cpu[True]:.2f}s vs {cpu[False]:.2f}s, "
        f"{res['rollout_speedup_cpu']:.1f}x; max reward diff {diff:.1e}); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    # --- sampling rate (one batch of n prompts, full length)
    conds = [encode_prompt(tok, 1 + i % 5) for i in range(args.n_sample)]
    t0, c0 = time.perf_counter(), time.process_time()
    s = sample_ids(g, conds, gen=torch.Generator().manual_seed(2), batch_size=256, **kw)
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    res["samples_per_s"] = args.n_sample / dt
    res["samples_per_cpu_s"] = args.n_sample / dc
    res["sample_mean_tokens"] = float(np.mean([len(x) for x in s]))
    print(
        f"sampling: {res['samples_per_s']:.0f} reviews/s wall, {res['samples_per_cpu_s']:.0f} per CPU second "
        f"({res['sample_mean_tokens']:.0f} tokens each)",
        flush=True,
    )

    # --- per-step cost of each phase
    def timed(fn, n: int) -> tuple[float, float]:
        fn()  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t0) / n, (time.process_time() - c0) / n

    res["mle_step_s"], res["mle_step_cpu_s"] = timed(lambda: tr.mle_step(cfg.mle_lr), args.steps)
    res["d_step_s"], res["d_step_cpu_s"] = timed(tr.d_step, args.steps)
    res["adv_step_s"], res["adv_step_cpu_s"] = timed(tr.adv_step, max(1, args.steps // 2))
    for kind in ("", "_cpu"):
        per_adv = res[f"adv_step{kind}_s"]
        if cfg.tf_every:
            per_adv += res[f"mle_step{kind}_s"] / cfg.tf_every
        if cfg.d_every:
            per_adv += cfg.d_steps * res[f"d_step{kind}_s"] / cfg.d_every
        est = {
            "mle": cfg.mle_steps * res[f"mle_step{kind}_s"],
            "dpre": cfg.d_pre_steps * res[f"d_step{kind}_s"],
            "adv": cfg.adv_steps * per_adv,
        }
        res[f"estimated_phase{kind}_s"] = est
        res[f"estimated_total{kind}_min"] = (sum(est.values()) + t_tok) / 60

    for kind, label in (("", "wall"), ("_cpu", "CPU")):
        print(
            f"step cost ({label}): MLE {res[f'mle_step{kind}_s']:.3f}s, D {res[f'd_step{kind}_s']:.3f}s, "
            f"adversarial {res[f'adv_step{kind}_s']:.2f}s; schedule estimate: "
            + ", ".join(f"{k} {v / 60:.1f} min" for k, v in res[f"estimated_phase{kind}_s"].items())
            + f" -> total {res[f'estimated_total{kind}_min']:.1f} min (target 90)"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
