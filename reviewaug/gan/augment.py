"""The trained generator as augmenters: :class:`GanSynthesize` (new reviews from rating + keywords) and
:class:`LmInfill` (rewrite a span of a review with the language model), plus :func:`synthesize` for whole new
synthetic rows with provenance columns.

Randomness: every draw of row ``i`` is a uniform from ``rows[i].rng`` turned into a token by inverse CDF, so a
row's text does not depend on which batch it sits in.

Example:
    >>> from reviewaug.augment import Row
    >>> aug = GanSynthesize(model="runs/quick/generator", temperature=0.8)  # doctest: +SKIP
    >>> aug(["old text"], [Row.make("old text", features={"rating": 5, "keywords": ["strap"]})])  # doctest: +SKIP
    ['the strap is great ...']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from reviewaug.augment.core import Row, row_rng

__all__ = ["GanSynthesize", "LmInfill", "synthesize", "synthesize_texts", "infill_texts"]


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Any, Any]:
    """Model and tokenizer of a generator folder, once per process."""
    import torch

    from .evaluate import load_generator

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    return load_generator(path)


def _uniforms(rngs: Sequence[np.random.Generator], steps: int) -> Any:
    import torch

    return torch.as_tensor(np.stack([r.random(steps) for r in rngs]))


def synthesize_texts(
    model_path: str,
    ratings: Sequence[float],
    keywords: Sequence[Sequence[str]],
    rngs: Sequence[np.random.Generator],
    *,
    temperature: float = 0.8,
    max_keywords: int = 3,
) -> list[str]:
    """One new review per (rating, keywords), each drawn with its own generator.

    Example:
        >>> synthesize_texts("runs/quick/generator", [5], [["strap"]], [np.random.default_rng(0)])  # doctest: +SKIP
    """
    from .sample import sample_ids
    from .tokenizer import decode_text, encode_prompt

    model, tok = _load(str(model_path))
    budget = model.config.n_positions // 3  # room left for the text
    prompts = [
        encode_prompt(tok, r, list(kw)[:max_keywords], max_len=budget) for r, kw in zip(ratings, keywords)
    ]
    max_new = max(1, model.config.n_positions - max(len(p) for p in prompts))
    ids = sample_ids(
        model,
        prompts,
        max_new=max_new,
        eos_id=tok.eos_token_id,
        pad_id=tok.pad_token_id,
        gen=None,
        temperature=temperature,
        uniforms=_uniforms(rngs, max_new),
    )
    return [decode_text(tok, x) for x in ids]


def _row_keywords(row: Row, max_keywords: int) -> list[str]:
    kws = list(row.features.get("keywords") or [])
    if not kws and row.protected:
        kws = sorted(row.protected)
    return [str(k) for k in kws[:max_keywords]]


def _row_rating(row: Row) -> float:
    if "rating" not in row.features:
        raise KeyError("GanSynthesize needs a 'rating' feature on each row (the dataset's rating column)")
    return float(row.features["rating"])


@dataclass(frozen=True)
class GanSynthesize:
    """Replaces each text by a new review generated for the row's rating and (up to ``max_keywords``) keywords
    (the ``keywords`` feature, else the row's protected words). Records ``gan_synth`` in ``row.ops``.

    Example:
        >>> GanSynthesize(model="runs/quick/generator").temperature
        0.8
    """

    model: str
    temperature: float = 0.8
    max_keywords: int = 3

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        if len(texts) != len(rows):
            raise ValueError(f"augmenter got {len(texts)} texts but {len(rows)} rows; they must match")
        if not rows:
            return []
        kws = [_row_keywords(r, self.max_keywords) for r in rows]
        out = synthesize_texts(
            self.model,
            [_row_rating(r) for r in rows],
            kws,
            [r.rng for r in rows],
            temperature=self.temperature,
            max_keywords=self.max_keywords,
        )
        for r, k in zip(rows, kws):
            r.ops.append(f"gan_synth(t={self.temperature},kw={'|'.join(k)})")
        return out


def synthesize(
    model_path: str,
    item_ids: Sequence[str],
    ratings: Sequence[float],
    keywords: Sequence[Sequence[str]] | None = None,
    *,
    seed: int = 0,
    temperature: float = 0.8,
    max_keywords: int = 3,
) -> Any:
    """New synthetic reviews as a ``datasets.Dataset`` with provenance columns.

    Columns: ``review_id`` (``gan:<seed>:<i>:<item>``), ``item_id``, ``rating``, ``text``, ``keywords``,
    ``synthetic`` (True), ``generator`` (the model folder), ``temperature``, ``seed``.

    Example:
        >>> ds = synthesize("runs/quick/generator", ["B0001"], [5.0], [["strap"]])  # doctest: +SKIP
        >>> ds[0]["synthetic"]  # doctest: +SKIP
        True
    """
    from datasets import Dataset

    if len(item_ids) != len(ratings):
        raise ValueError(f"synthesize got {len(item_ids)} items but {len(ratings)} ratings")
    kws = [list(k)[:max_keywords] for k in (keywords or [[] for _ in item_ids])]
    if len(kws) != len(item_ids):
        raise ValueError(f"synthesize got {len(item_ids)} items but {len(kws)} keyword lists")
    ids = [f"gan:{seed}:{i}:{it}" for i, it in enumerate(item_ids)]
    rngs = [row_rng(seed, rid, 0, stream="gan_synth") for rid in ids]
    texts = synthesize_texts(
        model_path, ratings, kws, rngs, temperature=temperature, max_keywords=max_keywords
    )
    n = len(ids)
    return Dataset.from_dict(
        {
            "review_id": ids,
            "item_id": [str(x) for x in item_ids],
            "rating": [float(r) for r in ratings],
            "text": texts,
            "keywords": kws,
            "synthetic": [True] * n,
            "generator": [str(Path(model_path))] * n,
            "temperature": [float(temperature)] * n,
            "seed": [int(seed)] * n,
        }
    )


_WS = re.compile(r"\S+")


def infill_texts(
    model_path: str,
    texts: Sequence[str],
    ratings: Sequence[float],
    protected: Sequence[frozenset[str]],
    rngs: Sequence[np.random.Generator],
    *,
    span_frac: float = 0.3,
    max_words: int = 12,
    candidates: int = 4,
    temperature: float = 0.9,
) -> list[tuple[str, str | None]]:
    """Rewrite one word span per text with the LM; returns ``(new_text, record)`` (record None if unchanged).

    A span of about ``span_frac`` of the words (at most ``max_words``) that holds no protected word is cut out; ``candidates``
    continuations of the prefix (rating prompt + words before the span) are sampled with the span's BPE length,
    and the one under which the model finds the kept suffix most likely is used — a causal LM cannot see the
    suffix while sampling, so it is used to rescore. Reviews longer than the model's context keep only the words
    just before the span in the prompt and the start of the suffix for rescoring; the text itself is kept whole.

    Example:
        >>> infill_texts("runs/quick/generator", ["the strap is good"], [5.0], [frozenset()],
        ...              [np.random.default_rng(0)])  # doctest: +SKIP
    """
    import torch

    from .sample import right_pack, sample_ids
    from .tokenizer import encode_prompt

    model, tok = _load(str(model_path))
    out: list[tuple[str, str | None]] = []
    for text, rating, prot, rng in zip(texts, ratings, protected, rngs):
        spans = [(m.start(), m.end(), m.group()) for m in _WS.finditer(text)]
        n = len(spans)
        width = max(1, min(max_words, int(round(span_frac * n))))
        free = [
            i
            for i in range(0, n - width + 1)
            if not any(re.sub(r"\W+", "", spans[j][2].lower()) in prot for j in range(i, i + width))
        ]
        if n < 2 or not free:
            rng.random()  # keep the number of draws independent of the branch taken for the next op
            out.append((text, None))
            continue
        i = free[int(rng.integers(len(free)))]
        head = text[: spans[i][0]].rstrip()
        tail = text[spans[i + width - 1][1] :]
        ctrl = encode_prompt(tok, rating)
        span_len = len(
            tok.encode(" " + text[spans[i][0] : spans[i + width - 1][1]], add_special_tokens=False)
        )
        n_pos = model.config.n_positions
        room = n_pos - len(ctrl) - span_len - min(16, n_pos // 4)  # keep some of the tail to rescore with
        if room <= 0:
            out.append((text, None))
            continue
        # long reviews: the model sees the rating and the words just before the span (left-truncated)
        head_ids = tok.encode(" " + head, add_special_tokens=False)[-room:] if head else []
        prompt = ctrl + head_ids
        budget = n_pos - len(prompt)
        u = torch.as_tensor(rng.random((candidates, span_len)))
        cands = sample_ids(
            model,
            [prompt] * candidates,
            max_new=span_len,
            eos_id=tok.eos_token_id,
            pad_id=tok.pad_token_id,
            gen=None,
            temperature=temperature,
            uniforms=u,
            ban=tok.eos_token_id,
        )
        tail_ids = tok.encode(tail, add_special_tokens=False)[: max(0, budget - span_len - 1)]
        seqs = [prompt + c + tail_ids for c in cands]
        with torch.no_grad():
            ids, mask = right_pack(seqs, tok.pad_token_id)
            logp = torch.log_softmax(model(input_ids=ids, attention_mask=mask).logits[:, :-1].float(), -1)
            tl = logp.gather(2, ids[:, 1:, None]).squeeze(2)
        scores = []
        for k, c in enumerate(cands):
            start = len(prompt) + len(c) - 1
            scores.append(float(tl[k, start : start + len(tail_ids)].sum()) if tail_ids else 0.0)
        best = int(np.argmax(scores))
        new_span = tok.decode(cands[best], skip_special_tokens=True).strip()
        new = (head + " " if head else "") + new_span + tail
        out.append((new, f"lm_infill(words={i}:{i + width})") if new != text else (text, None))
    return out


@dataclass(frozen=True)
class LmInfill:
    """Rewrites one span (``span_frac`` of the words, at most ``max_words``, no protected word inside) with the LM,
    picking among ``candidates`` the span that makes the rest of the review most likely.

    Example:
        >>> LmInfill(model="runs/quick/generator").candidates
        4
    """

    model: str
    span_frac: float = 0.3
    max_words: int = 12
    candidates: int = 4
    temperature: float = 0.9

    def __post_init__(self) -> None:
        if not 0 < self.span_frac <= 1:
            raise ValueError(f"LmInfill(span_frac=...) must lie in (0, 1], got {self.span_frac}")
        if self.candidates < 1:
            raise ValueError(f"LmInfill(candidates=...) must be >= 1, got {self.candidates}")

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        if len(texts) != len(rows):
            raise ValueError(f"augmenter got {len(texts)} texts but {len(rows)} rows; they must match")
        res = infill_texts(
            self.model,
            texts,
            [float(r.features.get("rating", 3.0)) for r in rows],
            [r.protected for r in rows],
            [r.rng for r in rows],
            span_frac=self.span_frac,
            max_words=self.max_words,
            candidates=self.candidates,
            temperature=self.temperature,
        )
        out = []
        for (new, rec), row in zip(res, rows):
            if rec:
                row.ops.append(rec)
            out.append(new)
        return out
