"""Speed of the GAN pipeline on the real corpus: KV-cached vs recomputed rollouts, sampling rate, and the
per-step cost of each training phase, from which the time of a whole preset schedule is estimated.

Every ratio is against a baseline measured in the same run. Untrained (freshly initialised) models never emit
EOS, so samples and rollouts run to the full length: the worst case for both arms.

    .venv/bin/python benchmarks/gan_bench.py --preset default --threads 1
"""

from __future__ import annotations

import argparse
import json
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
    out = {}
    for use_cache in (True, False):
        t0 = time.perf_counter()
        out[use_cache] = rollout_rewards(
            g, d, prompts, gens, n_rollouts=cfg.rollouts, stride=cfg.rollout_stride,
            gen=torch.Generator().manual_seed(1), use_cache=use_cache, **kw,
        )  # fmt: skip
        times[use_cache] = time.perf_counter() - t0
    diff = float(np.max(np.abs(np.concatenate(out[True]) - np.concatenate(out[False]))))
    res["rollout_cached_s"] = times[True]
    res["rollout_recompute_s"] = times[False]
    res["rollout_speedup"] = times[False] / times[True]
    res["rollout_max_reward_diff"] = diff
    res["rollout_gen_len"] = float(np.mean([len(x) for x in gens]))
    print(
        f"preset {args.preset}, {args.threads} thread(s), {len(examples)} training reviews, tokenizer {t_tok:.1f}s\n"
        f"rollouts ({len(batch)} seqs x {cfg.rollouts} rollouts, stride {cfg.rollout_stride}, "
        f"{res['rollout_gen_len']:.0f} tokens): cached {times[True]:.2f}s, recompute {times[False]:.2f}s "
        f"-> KV cache {res['rollout_speedup']:.1f}x faster (max reward diff {diff:.1e})",
        flush=True,
    )

    # --- sampling rate (one batch of n prompts, full length)
    conds = [encode_prompt(tok, 1 + i % 5) for i in range(args.n_sample)]
    t0 = time.perf_counter()
    s = sample_ids(g, conds, gen=torch.Generator().manual_seed(2), batch_size=256, **kw)
    dt = time.perf_counter() - t0
    res["samples_per_s"] = args.n_sample / dt
    res["sample_mean_tokens"] = float(np.mean([len(x) for x in s]))
    print(
        f"sampling: {res['samples_per_s']:.0f} reviews/s ({res['sample_mean_tokens']:.0f} tokens each)",
        flush=True,
    )

    # --- per-step cost of each phase
    def timed(fn, n: int) -> float:
        fn()  # warm-up
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t0) / n

    res["mle_step_s"] = timed(lambda: tr.mle_step(cfg.mle_lr), args.steps)
    res["d_step_s"] = timed(tr.d_step, args.steps)
    res["adv_step_s"] = timed(tr.adv_step, max(1, args.steps // 2))
    per_adv = res["adv_step_s"]
    if cfg.tf_every:
        per_adv += res["mle_step_s"] / cfg.tf_every
    if cfg.d_every:
        per_adv += cfg.d_steps * res["d_step_s"] / cfg.d_every
    est = {
        "mle": cfg.mle_steps * res["mle_step_s"],
        "dpre": cfg.d_pre_steps * res["d_step_s"],
        "adv": cfg.adv_steps * per_adv,
    }
    res["estimated_phase_s"] = est
    res["estimated_total_min"] = (sum(est.values()) + t_tok) / 60

    print(
        f"step cost: MLE {res['mle_step_s']:.3f}s, D {res['d_step_s']:.3f}s, adversarial {res['adv_step_s']:.2f}s"
    )
    print(
        "estimated schedule: "
        + ", ".join(f"{k} {v / 60:.1f} min" for k, v in est.items())
        + f" -> total {res['estimated_total_min']:.1f} min (target 90)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
