"""Batched sampling with a KV cache, and SeqGAN Monte-Carlo rollouts that reuse the prefix's cache.

Every draw is an inverse-CDF lookup of a uniform from an explicit ``torch.Generator`` (or a row's own numpy
generator); HF ``generate()`` is not used (it draws from the global generator).

Prompts of different lengths are left-padded, with explicit ``position_ids`` and an attention mask, so one
forward call per step serves the whole batch.

Example:
    >>> import torch
    >>> from reviewaug.gan.model import build_generator, preset
    >>> g = build_generator(preset("tiny"), 300, 0, 1, seed=0).eval()
    >>> out = sample_ids(g, [[5, 9], [6]], max_new=4, eos_id=1, pad_id=0, gen=torch.Generator().manual_seed(0))
    >>> len(out)
    2
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

__all__ = [
    "left_pad",
    "right_pack",
    "sample_ids",
    "rollout_rewards",
    "disc_prob_real",
    "copy_cache",
]


@lru_cache(maxsize=8)
def _cache_kw(cls: type) -> str:
    """transformers >= 5 calls the KV cache ``cache``; older versions ``past_key_values``."""
    return "cache" if "cache" in inspect.signature(cls.forward).parameters else "past_key_values"


def _forward(model: Any, ids: Any, mask: Any, pos: Any, cache: Any = None, keep: int = 1) -> tuple[Any, Any]:
    kw = {_cache_kw(type(model)): cache}
    out = model(
        input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=True, logits_to_keep=keep, **kw
    )
    new_cache = out["cache"] if "cache" in out else out["past_key_values"]
    return out.logits, new_cache


def left_pad(seqs: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any, Any]:
    """``(ids, mask, position_ids)`` of left-padded sequences.

    Example:
        >>> ids, mask, pos = left_pad([[5, 6], [7]], pad_id=0)
        >>> ids.tolist(), pos.tolist()
        ([[5, 6], [0, 7]], [[0, 1], [0, 0]])
    """
    import torch

    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        if s:
            ids[i, n - len(s) :] = torch.as_tensor(list(s), dtype=torch.long)
            mask[i, n - len(s) :] = 1
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    return ids, mask, pos


def right_pack(seqs: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any]:
    """``(ids, mask)`` of right-padded sequences.

    Example:
        >>> ids, mask = right_pack([[5, 6], [7]], pad_id=0)
        >>> ids.tolist(), mask.tolist()
        ([[5, 6], [7, 0]], [[1, 1], [1, 0]])
    """
    import torch

    n = max(max(len(s) for s in seqs), 1)
    ids = torch.full((len(seqs), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        if s:
            ids[i, : len(s)] = torch.as_tensor(list(s), dtype=torch.long)
            mask[i, : len(s)] = 1
    return ids, mask


def copy_cache(cache: Any, length: int, repeat: int = 1) -> Any:
    """A new ``DynamicCache`` holding the first ``length`` positions of ``cache``, each row repeated.

    Example:
        >>> import torch
        >>> from transformers.cache_utils import DynamicCache
        >>> c = DynamicCache(ddp_cache_data=[(torch.zeros(2, 1, 5, 4), torch.zeros(2, 1, 5, 4))])
        >>> copy_cache(c, 3, repeat=2).get_seq_length()
        3
    """
    from transformers.cache_utils import DynamicCache

    data = []
    for layer in cache.layers:
        k, v = layer.keys[:, :, :length], layer.values[:, :, :length]
        if repeat > 1:
            k, v = k.repeat_interleave(repeat, 0), v.repeat_interleave(repeat, 0)
        data.append((k.contiguous(), v.contiguous()))
    return DynamicCache(ddp_cache_data=data)


def _draw(logits: Any, temperature: float, gen: Any, u: Any = None, ban: int | None = None) -> Any:
    """Draw one token per row by inverse CDF, from ``u`` (one uniform per row) or else uniforms from ``gen``."""
    import torch

    if ban is not None:
        logits = logits.clone()
        logits[:, ban] = float("-inf")
    if temperature <= 0:
        return logits.argmax(-1)
    probs = torch.softmax(logits.double() / temperature, dim=-1)
    if u is None:
        # inverse-CDF draw: several times faster than torch.multinomial on CPU, same distribution
        u = torch.rand(probs.shape[0], generator=gen, dtype=torch.float64)
    cdf = probs.cumsum(-1)
    idx = torch.searchsorted(cdf, (u.double() * cdf[:, -1])[:, None]).squeeze(1)
    return idx.clamp(max=probs.shape[1] - 1)


def _continue(
    model: Any,
    last_logits: Any,
    cache: Any,
    mask: Any,
    next_pos: Any,
    steps: int,
    *,
    temperature: float,
    gen: Any,
    eos_id: int,
    pad_id: int,
    done: Any = None,
    prefix_ids: Any = None,
    use_cache: bool = True,
    uniforms: Any = None,
    ban: int | None = None,
) -> Any:
    """Sample ``steps`` tokens after a prefix; returns a (rows, steps) tensor, ``pad_id`` after EOS.

    With ``use_cache=False`` each step re-runs the model over the whole prefix ``prefix_ids`` (the baseline the
    KV-cache benchmark compares against). ``uniforms`` (rows, steps) replaces ``gen`` so that each row's
    draws come from its own generator; ``ban`` is a token id never drawn.
    """
    import torch

    rows = last_logits.shape[0]
    out = torch.full((rows, steps), pad_id, dtype=torch.long)
    done = torch.zeros(rows, dtype=torch.bool) if done is None else done.clone()
    logits = last_logits
    ids_all = prefix_ids
    for t in range(steps):
        tok = _draw(logits, temperature, gen, None if uniforms is None else uniforms[:, t], ban)
        tok = torch.where(done, torch.full_like(tok, pad_id), tok)
        out[:, t] = tok
        done = done | (tok == eos_id)
        if bool(done.all()) or t == steps - 1:
            break
        mask = torch.cat([mask, torch.ones((rows, 1), dtype=mask.dtype)], dim=1)
        if use_cache:
            logits, cache = _forward(model, tok[:, None], mask, next_pos[:, None], cache)
            logits = logits[:, -1]
        else:
            ids_all = torch.cat([ids_all, tok[:, None]], dim=1)
            pos = (mask.cumsum(1) - 1).clamp(min=0)
            o = model(
                input_ids=ids_all, attention_mask=mask, position_ids=pos, use_cache=False, logits_to_keep=1
            )
            logits = o.logits[:, -1]
        next_pos = next_pos + 1
    return out


def _strip(row: Sequence[int], eos_id: int, pad_id: int, keep_eos: bool) -> list[int]:
    res = []
    for t in row:
        t = int(t)
        if t == pad_id:
            break
        if t == eos_id:
            if keep_eos:
                res.append(t)
            break
        res.append(t)
    return res


def sample_ids(
    model: Any,
    prompts: Sequence[Sequence[int]],
    *,
    max_new: int,
    eos_id: int,
    pad_id: int,
    gen: Any,
    temperature: float = 1.0,
    batch_size: int = 256,
    keep_eos: bool = False,
    uniforms: Any = None,
    ban: int | None = None,
) -> list[list[int]]:
    """Sample a continuation of each prompt (ids after the prompt, without EOS unless ``keep_eos``).

    Draws come from ``gen``, or, when ``uniforms`` (a (len(prompts), max_new) tensor of U(0,1), e.g. from each
    row's own generator) is given, by inverse CDF, so a row's text does not depend on its batch. ``ban``: a
    token id that is never drawn.

    Example:
        >>> import torch
        >>> from reviewaug.gan.model import build_generator, preset
        >>> g = build_generator(preset("tiny"), 300, 0, 1, seed=0).eval()
        >>> a = sample_ids(g, [[5]], max_new=3, eos_id=1, pad_id=0, gen=torch.Generator().manual_seed(1))
        >>> b = sample_ids(g, [[5]], max_new=3, eos_id=1, pad_id=0, gen=torch.Generator().manual_seed(1))
        >>> a == b
        True
    """
    import torch

    res: list[list[int]] = []
    with torch.no_grad():
        for lo in range(0, len(prompts), batch_size):
            chunk = prompts[lo : lo + batch_size]
            ids, mask, pos = left_pad(chunk, pad_id)
            logits, cache = _forward(model, ids, mask, pos)
            toks = _continue(
                model,
                logits[:, -1],
                cache,
                mask,
                pos[:, -1] + 1,
                max_new,
                temperature=temperature,
                gen=gen,
                eos_id=eos_id,
                pad_id=pad_id,
                uniforms=None if uniforms is None else uniforms[lo : lo + batch_size],
                ban=ban,
            )
            res.extend(_strip(r, eos_id, pad_id, keep_eos) for r in toks.tolist())
    return res


def disc_prob_real(disc: Any, seqs: Sequence[Sequence[int]], pad_id: int, batch_size: int = 512) -> Any:
    """D's probability that each full sequence (prompt + text + EOS) is real, as a float tensor.

    Example:
        >>> from reviewaug.gan.model import build_discriminator, preset
        >>> d = build_discriminator(preset("tiny"), 300, 0, 1, seed=0).eval()
        >>> disc_prob_real(d, [[5, 6, 1], [7, 1]], pad_id=0).shape
        torch.Size([2])
    """
    import torch

    outs = []
    with torch.no_grad():
        for lo in range(0, len(seqs), batch_size):
            ids, mask = right_pack(seqs[lo : lo + batch_size], pad_id)
            outs.append(torch.sigmoid(disc(input_ids=ids, attention_mask=mask).logits[:, 0].float()))
    return torch.cat(outs) if outs else torch.zeros(0)


def rollout_rewards(
    rollout_model: Any,
    disc: Any,
    prompts: Sequence[Sequence[int]],
    gens: Sequence[Sequence[int]],
    *,
    n_rollouts: int,
    stride: int,
    max_new: int,
    eos_id: int,
    pad_id: int,
    gen: Any,
    temperature: float = 1.0,
    use_cache: bool = True,
) -> list[list[float]]:
    """Per-token SeqGAN rewards of generated sequences ``gens`` (each ends with EOS if it stopped).

    The prefix ``prompt + gen[:s]`` is completed ``n_rollouts`` times by ``rollout_model`` for
    ``s = stride, 2*stride, ...``; its reward is D's mean probability of "real" over the completions. Token ``t``
    gets the reward of the first rollout start ``s >= t``; tokens after the last start get D of the whole sequence.
    The rollout model runs once over the full sequences; every rollout copies the first ``P + s`` positions of
    that KV cache instead of recomputing the prefix (``use_cache=False`` recomputes, for the benchmark).

    Example:
        >>> import torch
        >>> from reviewaug.gan.model import build_discriminator, build_generator, preset
        >>> g = build_generator(preset("tiny"), 300, 0, 1, seed=0).eval()
        >>> d = build_discriminator(preset("tiny"), 300, 0, 1, seed=0).eval()
        >>> r = rollout_rewards(g, d, [[5]], [[7, 8, 9, 1]], n_rollouts=2, stride=2, max_new=6,
        ...                     eos_id=1, pad_id=0, gen=torch.Generator().manual_seed(0))
        >>> len(r[0])
        4
    """
    import torch

    b = len(prompts)
    lens = [len(g) for g in gens]
    tmax = max(lens)
    final = disc_prob_real(disc, [list(p) + list(g) for p, g in zip(prompts, gens)], pad_id)
    rewards = [[float(final[i])] * lens[i] for i in range(b)]
    starts = list(range(stride, tmax, stride))
    if not starts:
        return rewards
    p_ids, p_mask, _ = left_pad(prompts, pad_id)
    plen = p_ids.shape[1]
    g_ids, g_mask = right_pack(gens, pad_id)
    ids = torch.cat([p_ids, g_ids], 1)
    # generated positions after a row's end are padding; give them mask 1 so positions stay contiguous
    # (they are never inside a prefix that is rolled out for that row)
    mask = torch.cat([p_mask, torch.ones_like(g_ids)], 1)
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    with torch.no_grad():
        if use_cache:
            logits, cache = _forward(rollout_model, ids, mask, pos, keep=0)
        q: dict[tuple[int, int], float] = {}
        for s in starts:
            live = [i for i in range(b) if lens[i] > s]
            if not live:
                continue
            li = torch.as_tensor(live)
            n = len(live) * n_rollouts
            cut = plen + s
            m = mask[li, :cut].repeat_interleave(n_rollouts, 0)
            nxt = pos[li, cut - 1].repeat_interleave(n_rollouts, 0) + 1
            if use_cache:
                c = _select_cache(cache, li, cut, n_rollouts)
                last = logits[li, cut - 1].repeat_interleave(n_rollouts, 0)
                prefix = None
            else:
                prefix = ids[li, :cut].repeat_interleave(n_rollouts, 0)
                o = rollout_model(
                    input_ids=prefix,
                    attention_mask=m,
                    position_ids=(m.cumsum(1) - 1).clamp(min=0),
                    use_cache=False,
                    logits_to_keep=1,
                )
                last, c = o.logits[:, -1], None
            cont = _continue(
                rollout_model,
                last,
                c,
                m,
                nxt,
                max_new - s,
                temperature=temperature,
                gen=gen,
                eos_id=eos_id,
                pad_id=pad_id,
                prefix_ids=prefix,
                use_cache=use_cache,
            ).tolist()
            full = []
            for j in range(n):
                i = live[j // n_rollouts]
                full.append(list(prompts[i]) + list(gens[i][:s]) + _strip(cont[j], eos_id, pad_id, True))
            pr = disc_prob_real(disc, full, pad_id).view(len(live), n_rollouts).mean(1)
            for k, i in enumerate(live):
                q[i, s] = float(pr[k])
        for i in range(b):
            for t in range(1, lens[i] + 1):
                s = ((t + stride - 1) // stride) * stride
                if s < lens[i] and (i, s) in q:
                    rewards[i][t - 1] = q[i, s]
    return rewards


def _select_cache(cache: Any, rows: Any, length: int, repeat: int) -> Any:
    from transformers.cache_utils import DynamicCache

    data = []
    for layer in cache.layers:
        k = layer.keys[rows, :, :length].repeat_interleave(repeat, 0)
        v = layer.values[rows, :, :length].repeat_interleave(repeat, 0)
        data.append((k, v))
    return DynamicCache(ddp_cache_data=data)
