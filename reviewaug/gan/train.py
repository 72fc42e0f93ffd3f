"""Training: MLE pre-training, discriminator pre-training and the SeqGAN adversarial phase, with resume.

Run layout (``out`` folder)::

    tokenizer/         PreTrainedTokenizerFast (also copied into each generator folder)
    mle_generator/     generator after MLE pre-training (save_pretrained, safetensors)
    generator/         final generator (after the adversarial phase)
    discriminator/     final discriminator
    ckpt.pt            atomic checkpoint: models, optimizers, RNG states, data order, logs
    log.jsonl          every logged step (rewritten from the checkpointed state, so no duplicates on resume)
    curves.png         training curves (MLE loss, d_loss, g_loss, mean reward)
    summary.json       config, split, timings per phase

Example:
    >>> recs = [{"text": f"good strings number {i}", "rating": 5.0, "timestamp": i} for i in range(40)]
    >>> train(recs, "/tmp/gan_doctest", preset("tiny", mle_steps=2, d_pre_steps=1, adv_steps=1))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .model import GanConfig, build_discriminator, build_generator, preset
from .tokenizer import encode_example

__all__ = [
    "Example",
    "as_records",
    "temporal_split",
    "pick_keywords",
    "encode_corpus",
    "Trainer",
    "train",
]

PHASES = ("mle", "dpre", "adv", "done")
_WORD = re.compile(r"[a-z][a-z']{3,}")
_STOP = frozenset(
    "this that with have they them their there than then these those what when which while would could should "
    "about after again also been before being both does doing during each from further here into just more most "
    "other over same some such only very will your yours were where because really well much many like even "
    "ever still make made want one two get got use used using it's i've don't didn't".split()
)


@dataclass(frozen=True)
class Example:
    """One encoded training sequence (``ids`` = prompt + text + EOS; the first ``prompt_len`` are control)."""

    ids: list[int]
    prompt_len: int
    rating: float


def as_records(data: Any) -> list[dict[str, Any]]:
    """Rows of a ``datasets.Dataset`` (from ``reviewaug.io.load_reviews``) or an iterable of dicts as dicts.

    Required: ``text`` and ``rating``; optional: ``timestamp``, ``item_id``, ``keywords``, ``review_id``.

    Example:
        >>> as_records([{"text": "ok", "rating": 4}])[0]["rating"]
        4.0
    """
    rows = data.to_list() if hasattr(data, "to_list") else list(data)
    out = []
    for i, r in enumerate(rows):
        if "text" not in r or "rating" not in r:
            raise ValueError(
                f"row {i} lacks 'text' or 'rating' (has {sorted(r)}); load data with load_reviews"
            )
        d = dict(r)
        d["rating"] = float(r["rating"])
        d["text"] = r["text"] or ""
        out.append(d)
    return out


def temporal_split(
    records: Sequence[Mapping[str, Any]], frac_test: float = 0.1
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Train / held-out split by time: the latest ``frac_test`` of reviews (by ``timestamp``) are held out.

    All reviews sharing the cut timestamp go to the held-out side, so no day is split.

    Example:
        >>> tr, te = temporal_split([{"timestamp": t} for t in range(10)], 0.2)
        >>> [r["timestamp"] for r in te]
        [8, 9]
    """
    if not 0 < frac_test < 1:
        raise ValueError(f"frac_test must lie in (0, 1), got {frac_test}")
    if not records:
        return [], []
    ts = np.asarray([int(r.get("timestamp", i)) for i, r in enumerate(records)])
    cut = np.sort(ts)[int(np.floor(len(ts) * (1 - frac_test)))]
    train = [r for r, t in zip(records, ts) if t < cut]
    test = [r for r, t in zip(records, ts) if t >= cut]
    return train, test


def pick_keywords(
    text: str, rng: np.random.Generator, k: int, given: Sequence[str] | None = None
) -> list[str]:
    """Up to ``k`` keywords for a training prompt: from ``given`` (e.g. the YAKE ``keywords`` column) when
    present, else content words of the text; order kept as in the text.

    Example:
        >>> pick_keywords("the strap broke after a week", np.random.default_rng(0), 2)
        ['broke', 'week']
    """
    if given:
        pool = [w for w in dict.fromkeys(given) if w]
    else:
        pool = [w for w in dict.fromkeys(_WORD.findall(text.lower())) if w not in _STOP]
    if not pool or k <= 0:
        return []
    idx = sorted(rng.choice(len(pool), size=min(k, len(pool)), replace=False).tolist())
    return [pool[i] for i in idx]


def encode_corpus(
    records: Sequence[Mapping[str, Any]], tok: Any, cfg: GanConfig, seed: int, *, keywords: bool = True
) -> list[Example]:
    """Encode non-empty reviews; a ``cfg.keyword_prob`` share get a keyword prefix (chosen with ``seed``).

    Example:
        >>> from reviewaug.gan.tokenizer import train_tokenizer
        >>> tok = train_tokenizer(["good strings"] * 5, vocab_size=280)
        >>> len(encode_corpus([{"text": "good strings", "rating": 5}], tok, preset("tiny"), 0))
        1
    """
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 1234]))
    out = []
    for r in records:
        text = (r.get("text") or "").strip()
        if not text:
            continue
        kws: list[str] = []
        if keywords and rng.random() < cfg.keyword_prob:
            kws = pick_keywords(text, rng, int(rng.integers(1, cfg.max_keywords + 1)), r.get("keywords"))
        ids, plen = encode_example(
            tok, text, r["rating"], kws, cfg.max_text_tokens, max_prompt=cfg.n_positions - cfg.max_text_tokens
        )
        out.append(Example(ids, plen, float(r["rating"])))
    return out


def _atomic_write_bytes(path: Path, write: Any) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Trainer:
    """Holds the models, optimizers, generators and progress of one run; :meth:`run` trains to the end.

    Example:
        >>> # see train(); Trainer is the resumable state behind it
    """

    def __init__(self, cfg: GanConfig, tok: Any, train_ex: list[Example], out: Path, seed: int) -> None:
        import torch

        self.cfg, self.tok, self.data, self.out, self.seed = cfg, tok, train_ex, out, int(seed)
        v, pad, eos = len(tok), tok.pad_token_id, tok.eos_token_id
        self.pad, self.eos = pad, eos
        self.g = build_generator(cfg, v, pad, eos, seed)
        self.g_roll = build_generator(cfg, v, pad, eos, seed)
        self.g_roll.load_state_dict(self.g.state_dict())
        self.d = build_discriminator(cfg, v, pad, eos, seed)
        self.opt_g = torch.optim.AdamW(
            self.g.parameters(), lr=cfg.mle_lr, weight_decay=0.01, betas=(0.9, 0.98)
        )
        self.opt_d = torch.optim.AdamW(self.d.parameters(), lr=cfg.d_lr, weight_decay=0.01, betas=(0.9, 0.98))
        self.gen = torch.Generator().manual_seed(self.seed)
        self.np_rng = np.random.default_rng(np.random.SeedSequence([self.seed, 99]))
        self.phase, self.step = "mle", 0
        self.perm: np.ndarray = np.zeros(0, dtype=np.int64)
        self.perm_pos = 0
        self.logs: list[dict[str, Any]] = []
        self.seconds: dict[str, float] = {p: 0.0 for p in PHASES[:3]}

    # ---- checkpointing -------------------------------------------------------------------------------
    @property
    def ckpt_path(self) -> Path:
        return self.out / "ckpt.pt"

    def state_dict(self) -> dict[str, Any]:
        return {
            "cfg": self.cfg.to_dict(),
            "seed": self.seed,
            "g": self.g.state_dict(),
            "g_roll": self.g_roll.state_dict(),
            "d": self.d.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "gen": self.gen.get_state(),
            "np_rng": self.np_rng.bit_generator.state,
            "phase": self.phase,
            "step": self.step,
            "perm": self.perm,
            "perm_pos": self.perm_pos,
            "logs": self.logs,
            "seconds": self.seconds,
        }

    def load_state_dict(self, s: Mapping[str, Any]) -> None:
        self.g.load_state_dict(s["g"])
        self.g_roll.load_state_dict(s["g_roll"])
        self.d.load_state_dict(s["d"])
        self.opt_g.load_state_dict(s["opt_g"])
        self.opt_d.load_state_dict(s["opt_d"])
        self.gen.set_state(s["gen"])
        self.np_rng.bit_generator.state = s["np_rng"]
        self.phase, self.step = s["phase"], int(s["step"])
        self.perm, self.perm_pos = np.asarray(s["perm"], dtype=np.int64), int(s["perm_pos"])
        self.logs = list(s["logs"])
        self.seconds = dict(s["seconds"])

    def save_checkpoint(self) -> None:
        """Write ``ckpt.pt`` atomically (temp file, fsync, rename) plus the log it contains."""
        import torch

        _atomic_write_bytes(self.ckpt_path, lambda f: torch.save(self.state_dict(), f))
        self.write_log()

    def write_log(self) -> None:
        text = "".join(json.dumps(r) + "\n" for r in self.logs)
        _atomic_write_bytes(self.out / "log.jsonl", lambda f: f.write(text.encode()))

    def try_resume(self) -> bool:
        import torch

        if not self.ckpt_path.exists():
            return False
        s = torch.load(self.ckpt_path, map_location="cpu", weights_only=False)
        if s["cfg"] != self.cfg.to_dict() or int(s["seed"]) != self.seed:
            raise ValueError(
                f"{self.ckpt_path} was written with another config or seed; resume with the same --preset/--seed "
                "or use a fresh --out"
            )
        self.load_state_dict(s)
        return True

    # ---- batches ---------------------------------------------------------------------------------------
    def _batch(self, n: int) -> list[Example]:
        idx = []
        while len(idx) < n:
            if self.perm_pos >= len(self.perm):
                self.perm = self.np_rng.permutation(len(self.data))
                self.perm_pos = 0
            take = min(n - len(idx), len(self.perm) - self.perm_pos)
            idx.extend(self.perm[self.perm_pos : self.perm_pos + take].tolist())
            self.perm_pos += take
        return [self.data[i] for i in idx]

    def _mle_loss(self, batch: Sequence[Example]) -> Any:
        from .sample import right_pack

        ids, mask = right_pack([e.ids for e in batch], self.pad)
        labels = ids.clone()
        labels[mask == 0] = -100
        for i, e in enumerate(batch):
            labels[i, : e.prompt_len] = -100
        return self.g(input_ids=ids, attention_mask=mask, labels=labels).loss

    def _fake(self, batch: Sequence[Example], model: Any = None) -> list[list[int]]:
        from .sample import sample_ids

        model = model or self.g
        prompts = [e.ids[: e.prompt_len] for e in batch]
        model.eval()
        gens = sample_ids(
            model,
            prompts,
            max_new=self.cfg.max_text_tokens,
            eos_id=self.eos,
            pad_id=self.pad,
            gen=self.gen,
            keep_eos=True,
        )
        return [p + g for p, g in zip(prompts, gens)]

    def d_step(self) -> float:
        import torch

        from .sample import right_pack

        real = self._batch(self.cfg.batch_size // 2)
        fake = self._fake(real)
        seqs = [e.ids for e in real] + fake
        ids, mask = right_pack(seqs, self.pad)
        y = torch.cat([torch.ones(len(real)), torch.zeros(len(fake))])
        self.d.train()
        logit = self.d(input_ids=ids, attention_mask=mask).logits[:, 0]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y)
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.d.parameters(), 1.0)
        self.opt_d.step()
        acc = float(((logit > 0).float() == y).float().mean())
        self._last_d_acc = acc
        return float(loss.detach())

    def mle_step(self, lr: float) -> float:
        import torch

        for group in self.opt_g.param_groups:
            group["lr"] = lr
        self.g.train()
        loss = self._mle_loss(self._batch(self.cfg.batch_size))
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.g.parameters(), 1.0)
        self.opt_g.step()
        return float(loss.detach())

    def adv_step(self) -> dict[str, float]:
        """One SeqGAN generator step: sample, reward by rollouts, policy gradient with a baseline."""
        import torch

        from .sample import right_pack, rollout_rewards

        cfg = self.cfg
        batch = self._batch(cfg.adv_batch)
        prompts = [e.ids[: e.prompt_len] for e in batch]
        fulls = self._fake(batch)
        gens = [f[len(p) :] for f, p in zip(fulls, prompts)]
        keep = [i for i, g in enumerate(gens) if g]
        prompts, gens = [prompts[i] for i in keep], [gens[i] for i in keep]
        self.g_roll.eval()
        self.d.eval()
        rewards = rollout_rewards(
            self.g_roll,
            self.d,
            prompts,
            gens,
            n_rollouts=cfg.rollouts,
            stride=cfg.rollout_stride,
            max_new=cfg.max_text_tokens,
            eos_id=self.eos,
            pad_id=self.pad,
            gen=self.gen,
        )
        tmax = max(len(g) for g in gens)
        r = torch.zeros(len(gens), tmax)
        present = torch.zeros(len(gens), tmax)
        for i, rw in enumerate(rewards):
            r[i, : len(rw)] = torch.as_tensor(rw)
            present[i, : len(rw)] = 1
        # baseline: the batch mean reward at each position (rows that reached it)
        base = (r * present).sum(0) / present.sum(0).clamp(min=1)
        adv = (r - base) * present
        seqs = [p + g for p, g in zip(prompts, gens)]
        ids, mask = right_pack(seqs, self.pad)
        self.g.train()
        for group in self.opt_g.param_groups:
            group["lr"] = cfg.adv_lr
        logp = torch.log_softmax(self.g(input_ids=ids, attention_mask=mask).logits[:, :-1].float(), -1)
        tok_logp = logp.gather(2, ids[:, 1:, None]).squeeze(2)
        sel = torch.zeros_like(tok_logp)
        a_full = torch.zeros_like(tok_logp)
        for i, (p, g) in enumerate(zip(prompts, gens)):
            sel[i, len(p) - 1 : len(p) - 1 + len(g)] = 1
            a_full[i, len(p) - 1 : len(p) - 1 + len(g)] = adv[i, : len(g)]
        g_loss = -(tok_logp * a_full * sel).sum() / sel.sum()
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        torch.nn.utils.clip_grad_norm_(self.g.parameters(), 1.0)
        self.opt_g.step()
        with torch.no_grad():
            u = cfg.rollout_update
            for pr, pg in zip(self.g_roll.parameters(), self.g.parameters()):
                pr.mul_(u).add_(pg, alpha=1 - u)
        mean_r = float((r * present).sum() / present.sum())
        return {
            "g_loss": float(g_loss.detach()),
            "reward": mean_r,
            "final_reward": float(np.mean([x[-1] for x in rewards])),
        }

    # ---- schedule ----------------------------------------------------------------------------------------
    def _lr(self, step: int) -> float:
        cfg = self.cfg
        warm = max(1, min(100, cfg.mle_steps // 10))
        if step < warm:
            return cfg.mle_lr * (step + 1) / warm
        frac = (step - warm) / max(1, cfg.mle_steps - warm)
        return cfg.mle_lr * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(1.0, frac))))

    def _log(self, rec: dict[str, Any], progress: Any) -> None:
        rec = {"phase": self.phase, "step": self.step, **{k: round(float(v), 5) for k, v in rec.items()}}
        self.logs.append(rec)
        if progress is not None:
            progress.set_postfix({k: v for k, v in rec.items() if k not in ("phase", "step")})

    def _maybe_ckpt(self) -> None:
        if self.cfg.ckpt_every and self.step % self.cfg.ckpt_every == 0:
            self.save_checkpoint()

    def run(self, progress: bool = True) -> None:
        """Train through all phases from wherever the state stands."""
        from tqdm.auto import tqdm

        cfg = self.cfg
        totals = {"mle": cfg.mle_steps, "dpre": cfg.d_pre_steps, "adv": cfg.adv_steps}
        while self.phase != "done":
            phase = self.phase
            total = totals[phase]
            bar = tqdm(total=total, initial=self.step, desc=f"gan {phase}", disable=not progress, leave=False)
            while self.step < total:
                t0 = time.perf_counter()
                if phase == "mle":
                    loss = self.mle_step(self._lr(self.step))
                    rec = {"mle_loss": loss}
                elif phase == "dpre":
                    rec = {"d_loss": self.d_step(), "d_acc": self._last_d_acc}
                else:
                    rec = self.adv_step()
                    if cfg.tf_every and (self.step + 1) % cfg.tf_every == 0:
                        rec["tf_loss"] = self.mle_step(cfg.adv_lr)
                    if cfg.d_every and (self.step + 1) % cfg.d_every == 0:
                        for _ in range(cfg.d_steps):
                            rec["d_loss"] = self.d_step()
                        rec["d_acc"] = self._last_d_acc
                self.step += 1
                self.seconds[phase] += time.perf_counter() - t0
                if self.step % cfg.log_every == 0 or self.step == total or phase == "adv":
                    self._log(rec, bar)
                bar.update(1)
                self._maybe_ckpt()
            bar.close()
            if phase == "mle":
                self._export(self.g, self.out / "mle_generator")
            # next phase
            self.phase = PHASES[PHASES.index(phase) + 1]
            self.step = 0
            if phase == "mle":
                self.g_roll.load_state_dict(self.g.state_dict())
            self.save_checkpoint()
        self._export(self.g, self.out / "generator")
        self.d.save_pretrained(str(self.out / "discriminator"))
        self.write_log()
        plot_curves(self.logs, self.out / "curves.png")

    def _export(self, model: Any, path: Path) -> None:
        model.save_pretrained(str(path), safe_serialization=True)
        self.tok.save_pretrained(str(path))


def plot_curves(logs: Sequence[Mapping[str, Any]], path: Path) -> None:
    """PNG of MLE loss, d_loss, g_loss and mean reward against step (one panel each).

    Example:
        >>> plot_curves([{"phase": "mle", "step": 1, "mle_loss": 3.0}], Path("/tmp/c.png"))  # doctest: +SKIP
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("mle", "mle_loss"),
        ("dpre", "d_loss"),
        ("adv", "d_loss"),
        ("adv", "g_loss"),
        ("adv", "reward"),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 3.2))
    for ax, (phase, key) in zip(axes, panels):
        pts = [(r["step"], r[key]) for r in logs if r.get("phase") == phase and key in r]
        if pts:
            xs, ys = zip(*pts)
            ax.plot(xs, ys, lw=1)
        ax.set_title(f"{phase}: {key}")
        ax.set_xlabel("step")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def train(
    data: Any,
    out: str | os.PathLike[str],
    cfg: GanConfig | str = "default",
    *,
    seed: int = 0,
    resume: bool = False,
    frac_test: float = 0.1,
    progress: bool = True,
    threads: int | None = 1,
) -> Path:
    """Train the tokenizer, the generator and the discriminator on the reviews before the temporal cut.

    ``data`` is a ``datasets.Dataset`` from ``load_reviews`` or dicts with ``text``, ``rating``, ``timestamp``.
    Returns ``out``; ``out/generator`` loads with ``AutoModelForCausalLM.from_pretrained``.

    Example:
        >>> train(load_reviews(default_corpus_path()), "runs/quick", "quick")  # doctest: +SKIP
    """
    import torch

    from .tokenizer import load_tokenizer, train_tokenizer

    if threads:
        torch.set_num_threads(threads)
    cfg = preset(cfg) if isinstance(cfg, str) else cfg
    out_p = Path(out)
    out_p.mkdir(parents=True, exist_ok=True)
    if (out_p / "ckpt.pt").exists() and not resume:
        raise FileExistsError(
            f"{out_p} already holds a run (ckpt.pt); pass resume=True (--resume) or a fresh --out"
        )
    records = as_records(data)
    train_recs, test_recs = temporal_split(records, frac_test)
    if not train_recs:
        raise ValueError("no training reviews before the temporal cut; the corpus is too small")
    tok_dir = out_p / "tokenizer"
    if resume and (tok_dir / "tokenizer.json").exists():
        tok = load_tokenizer(str(tok_dir))
    else:
        tok = train_tokenizer((r["text"] for r in train_recs), vocab_size=cfg.vocab_size)
        tok.model_max_length = cfg.n_positions  # so truncation=True in other tools respects the context
        tok.save_pretrained(str(tok_dir))
    examples = encode_corpus(train_recs, tok, cfg, seed)
    trainer = Trainer(cfg, tok, examples, out_p, seed)
    resumed = trainer.try_resume() if resume else False
    summary = {
        "config": cfg.to_dict(),
        "seed": seed,
        "n_train": len(train_recs),
        "n_heldout": len(test_recs),
        "cut_timestamp": int(min(int(r.get("timestamp", 0)) for r in test_recs)) if test_recs else None,
        "vocab": len(tok),
        "resumed": resumed,
    }
    trainer.run(progress=progress)
    summary["seconds"] = trainer.seconds
    summary["seconds_total"] = sum(trainer.seconds.values())
    (out_p / "summary.json").write_text(json.dumps(summary, indent=2))
    return out_p
