"""Configuration, presets, the GPT-2 generator and the Transformer discriminator.

The generator is a plain ``GPT2LMHeadModel`` (so ``AutoModelForCausalLM.from_pretrained`` loads it); the
discriminator is a ``GPT2ForSequenceClassification`` with one logit (real vs generated) that reads the same
control prefix. Dropout is 0 everywhere: dropout would draw from torch's global generator, and every random
choice here must come from an explicit one. Weights are initialised from an explicit ``torch.Generator``.

Example:
    >>> cfg = preset("tiny")
    >>> g = build_generator(cfg, vocab_size=300, pad_id=0, eos_id=1, seed=0)
    >>> g.config.n_layer == cfg.n_layer
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = ["GanConfig", "PRESETS", "preset", "build_generator", "build_discriminator", "reinit_"]


@dataclass(frozen=True)
class GanConfig:
    """Everything that defines a training run (model sizes and schedule).

    Attributes (schedule):
        mle_steps: teacher-forcing steps of generator pre-training.
        d_pre_steps: discriminator pre-training steps (real vs sampled).
        adv_steps: adversarial (policy-gradient) generator steps.
        rollouts: Monte-Carlo rollouts per prefix; ``rollout_stride``: a rollout starts every this many tokens
            (tokens in between share the reward of the next rollout start; the last token gets D directly).
        rollout_update: the delayed rollout copy moves ``theta_r <- u*theta_r + (1-u)*theta`` (SeqGAN's 0.8).
        tf_every: one interleaved teacher-forcing step every this many adversarial steps.
        d_every / d_steps: refresh D with ``d_steps`` steps on fresh negatives every ``d_every`` adversarial steps.
        ckpt_every: atomic checkpoint every this many steps (all phases).
    """

    vocab_size: int = 3000
    n_layer: int = 3
    n_embd: int = 160
    n_head: int = 4
    max_text_tokens: int = 64
    n_positions: int = 96
    d_layer: int = 2
    d_embd: int = 128
    d_head: int = 4
    batch_size: int = 48
    mle_steps: int = 2500
    mle_lr: float = 2e-3
    d_pre_steps: int = 200
    d_lr: float = 3e-4
    adv_steps: int = 300
    adv_batch: int = 16
    adv_lr: float = 5e-5
    rollouts: int = 4
    rollout_stride: int = 8
    rollout_update: float = 0.8
    tf_every: int = 1
    d_every: int = 5
    d_steps: int = 3
    keyword_prob: float = 0.5
    max_keywords: int = 3
    ckpt_every: int = 200
    log_every: int = 20

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for JSON).

        Example:
            >>> GanConfig().to_dict()["n_layer"]
            3
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GanConfig:
        """Inverse of :meth:`to_dict`, ignoring unknown keys.

        Example:
            >>> GanConfig.from_dict({"n_layer": 2}).n_layer
            2
        """
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


PRESETS: dict[str, GanConfig] = {
    # whole pipeline in seconds on a toy corpus (tests)
    "tiny": GanConfig(
        vocab_size=400,
        n_layer=2,
        n_embd=64,
        n_head=2,
        max_text_tokens=24,
        n_positions=40,
        d_layer=1,
        d_embd=64,
        d_head=2,
        batch_size=16,
        mle_steps=400,
        mle_lr=3e-3,
        d_pre_steps=20,
        adv_steps=6,
        adv_batch=8,
        adv_lr=1e-4,
        rollouts=2,
        rollout_stride=4,
        d_every=3,
        d_steps=1,
        ckpt_every=50,
        log_every=10,
    ),
    # a few minutes on the real corpus, 2 CPU cores (end-to-end demo)
    "quick": GanConfig(
        vocab_size=2000,
        n_layer=2,
        n_embd=128,
        n_head=4,
        max_text_tokens=48,
        n_positions=72,
        d_layer=1,
        d_embd=96,
        d_head=4,
        batch_size=48,
        mle_steps=300,
        mle_lr=3e-3,
        d_pre_steps=40,
        adv_steps=20,
        adv_batch=16,
        adv_lr=5e-5,
        rollouts=3,
        rollout_stride=6,
        d_every=5,
        d_steps=2,
        ckpt_every=100,
        log_every=20,
    ),
    # the full schedule (see benchmarks/gan.md for its measured per-step cost)
    "default": GanConfig(),
}


def preset(name: str, **overrides: Any) -> GanConfig:
    """A named preset, optionally with some fields replaced.

    Example:
        >>> preset("tiny", adv_steps=0).adv_steps
        0
    """
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
    return replace(PRESETS[name], **overrides) if overrides else PRESETS[name]


def reinit_(model: torch.nn.Module, gen: torch.Generator, std: float = 0.02) -> None:
    """Re-initialise all weights GPT-2 style from the explicit generator ``gen`` (in place).

    Example:
        >>> import torch
        >>> m = torch.nn.Linear(2, 2)
        >>> reinit_(m, torch.Generator().manual_seed(0))
    """
    import torch

    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif p.dim() >= 2:
                torch.nn.init.normal_(p, 0.0, std, generator=gen)
            else:
                p.fill_(1.0)


def _gpt2_config(cfg: GanConfig, vocab_size: int, pad_id: int, eos_id: int, *, disc: bool) -> Any:
    from transformers import GPT2Config

    return GPT2Config(
        vocab_size=vocab_size,
        n_positions=cfg.n_positions,
        n_embd=cfg.d_embd if disc else cfg.n_embd,
        n_layer=cfg.d_layer if disc else cfg.n_layer,
        n_head=cfg.d_head if disc else cfg.n_head,
        activation_function="gelu",  # exact GELU, one fused op (GPT-2's tanh "gelu_new" is several)
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        summary_first_dropout=0.0,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        bos_token_id=eos_id,
        num_labels=1,
        tie_word_embeddings=True,
    )


def build_generator(cfg: GanConfig, vocab_size: int, pad_id: int, eos_id: int, seed: int) -> Any:
    """A freshly initialised ``GPT2LMHeadModel`` (weights drawn from ``torch.Generator().manual_seed(seed)``).

    Example:
        >>> g = build_generator(preset("tiny"), 300, 0, 1, seed=3)
        >>> g.config.resid_pdrop
        0.0
    """
    import torch
    from transformers import GPT2LMHeadModel

    model = GPT2LMHeadModel(_gpt2_config(cfg, vocab_size, pad_id, eos_id, disc=False))
    reinit_(model, torch.Generator().manual_seed(int(seed)))
    return model


def build_discriminator(cfg: GanConfig, vocab_size: int, pad_id: int, eos_id: int, seed: int) -> Any:
    """A ``GPT2ForSequenceClassification`` with one logit: > 0 means "real".

    It pools the last non-pad token, so it sees the control prefix and the whole text.

    Example:
        >>> d = build_discriminator(preset("tiny"), 300, 0, 1, seed=3)
        >>> d.config.num_labels
        1
    """
    import torch
    from transformers import GPT2ForSequenceClassification

    model = GPT2ForSequenceClassification(_gpt2_config(cfg, vocab_size, pad_id, eos_id, disc=True))
    reinit_(model, torch.Generator().manual_seed(int(seed) + 7919))
    return model
