"""Evaluation of generators: held-out NLL, BLEU / self-BLEU, distinct-n, Fréchet embedding distance,
rating–polarity agreement; a temperature sweep over models and seeds and the quality–diversity frontier.

BLEU follows the text-GAN convention (Texygen; Caccia et al. 2020): each generated review is scored by
sentence-level BLEU-n (uniform weights) against *all* held-out reviews as references, averaged over the samples;
self-BLEU scores each sample against all other samples. Smoothing: NLTK ``SmoothingFunction().method1``
(epsilon 0.1 added to zero n-gram matches). Because NLTK's ``sentence_bleu`` re-counts every reference for every
hypothesis (hours for a sweep), the clipped counts come from a table of each n-gram's maximum count over the
references, computed once; precision, brevity penalty and smoothing are NLTK's, and the test suite checks the
scores equal ``nltk.translate.bleu_score.sentence_bleu`` exactly.

Example:
    >>> bleu_against(["the strap is good"], ["the strap is good", "bad"], orders=(2,))[2]
    1.0
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "words",
    "bleu_against",
    "self_bleu",
    "distinct_n",
    "frechet_distance",
    "embed",
    "load_generator",
    "generate",
    "heldout_nll",
    "rating_agreement",
    "evaluate_samples",
    "sweep",
    "plot_frontier",
    "frontier_verdict",
    "frontier_points",
    "summarize",
]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")
ORDERS = (2, 3, 4, 5)


def words(text: str) -> list[str]:
    """Lowercased word/punctuation tokens used by all n-gram metrics.

    Example:
        >>> words("Great strap, didn't slip!")
        ['great', 'strap', ',', "didn't", 'slip', '!']
    """
    return _TOKEN.findall(text.lower())


def _ngrams(toks: Sequence[str], n: int) -> Counter:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _sentence_bleu(
    hyp: Sequence[str], clip: Mapping[int, Mapping[tuple, int]], ref_len: int, order: int
) -> float:
    """NLTK's sentence BLEU given the per-n-gram clipping counts and the closest reference length."""
    from nltk.translate.bleu_score import SmoothingFunction, brevity_penalty

    p_n = []
    for n in range(1, order + 1):
        counts = _ngrams(hyp, n)
        num = sum(min(c, clip[n].get(g, 0)) for g, c in counts.items())
        p_n.append(Fraction(num, max(1, sum(counts.values())), _normalize=False))
    if p_n[0].numerator == 0:
        return 0.0
    p_n = SmoothingFunction().method1(p_n)
    bp = brevity_penalty(ref_len, len(hyp))
    w = 1.0 / order
    return bp * math.exp(math.fsum(w * math.log(p) for p in p_n if p > 0))


def _closest(lengths: np.ndarray, h: int) -> int:
    # NLTK: min(ref_lens, key=lambda r: (abs(r - h), r))
    d = np.abs(lengths - h)
    cands = lengths[d == d.min()]
    return int(cands.min())


def bleu_against(
    hyps: Sequence[str], refs: Sequence[str], orders: Sequence[int] = ORDERS
) -> dict[int, float]:
    """Mean sentence BLEU-n of each hypothesis against all ``refs`` (NLTK method1 smoothing).

    Example:
        >>> round(bleu_against(["a b c d"], ["a b c d e"], orders=(2,))[2], 3)
        0.779
    """
    ref_toks = [words(r) for r in refs]
    top = max(orders)
    clip: dict[int, dict[tuple, int]] = {n: {} for n in range(1, top + 1)}
    for toks in ref_toks:
        for n in range(1, top + 1):
            table = clip[n]
            for g, c in _ngrams(toks, n).items():
                if c > table.get(g, 0):
                    table[g] = c
    lengths = np.unique([len(t) for t in ref_toks])
    res = {}
    hyp_toks = [words(h) for h in hyps]
    for order in orders:
        scores = [_sentence_bleu(h, clip, _closest(lengths, len(h)), order) for h in hyp_toks]
        res[order] = float(np.mean(scores)) if scores else float("nan")
    return res


def self_bleu(hyps: Sequence[str], orders: Sequence[int] = ORDERS) -> dict[int, float]:
    """Mean sentence BLEU-n of each sample against all *other* samples (leave-one-out, exact).

    Example:
        >>> self_bleu(["a b c", "a b c"], orders=(2,))[2]
        1.0
    """
    toks = [words(h) for h in hyps]
    top = max(orders)
    per_hyp = [{n: _ngrams(t, n) for n in range(1, top + 1)} for t in toks]
    # for each n-gram: (best count, how many samples reach it, second best count)
    stats: dict[int, dict[tuple, list[int]]] = {n: {} for n in range(1, top + 1)}
    for grams in per_hyp:
        for n, cnt in grams.items():
            table = stats[n]
            for g, c in cnt.items():
                s = table.get(g)
                if s is None:
                    table[g] = [c, 1, 0]
                elif c > s[0]:
                    table[g] = [c, 1, s[0]]
                elif c == s[0]:
                    s[1] += 1
                elif c > s[2]:
                    s[2] = c
    len_counts = Counter(len(t) for t in toks)
    res = {}
    for order in orders:
        scores = []
        for i, t in enumerate(toks):
            clip = {}
            for n in range(1, order + 1):
                own = per_hyp[i][n]
                clip[n] = {}
                for g, c in own.items():
                    best, k, second = stats[n][g]
                    clip[n][g] = best if (c < best or k > 1) else second
            others = [n_ for n_, c in len_counts.items() if n_ != len(t) or c > 1]
            if not others:
                continue
            scores.append(_sentence_bleu(t, clip, _closest(np.asarray(others), len(t)), order))
        res[order] = float(np.mean(scores)) if scores else float("nan")
    return res


def distinct_n(hyps: Sequence[str], n: int) -> float:
    """Distinct n-grams over all n-grams of the samples.

    Example:
        >>> distinct_n(["a b", "a b"], 1)
        0.5
    """
    grams: Counter = Counter()
    for h in hyps:
        grams.update(_ngrams(words(h), n))
    total = sum(grams.values())
    return len(grams) / total if total else 0.0


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two embedding sets (rows are samples).

    Example:
        >>> x = np.random.default_rng(0).normal(size=(200, 3))
        >>> frechet_distance(x, x) < 1e-6
        True
    """
    from scipy import linalg

    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(s1 @ s2)
    covmean = np.real(covmean)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def embed(texts: Sequence[str], batch_size: int = 128) -> np.ndarray:
    """MiniLM (all-MiniLM-L6-v2, offline) sentence embeddings.

    Example:
        >>> embed(["good strap"]).shape  # doctest: +SKIP
        (1, 384)
    """
    from reviewaug.resources import load_minilm

    return np.asarray(load_minilm().encode(list(texts), batch_size=batch_size, show_progress_bar=False))


def load_generator(path: str | Path) -> tuple[Any, Any]:
    """``(model, tokenizer)`` of a saved generator folder, via the transformers Auto classes.

    Example:
        >>> model, tok = load_generator("runs/quick/generator")  # doctest: +SKIP
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    p = Path(path)
    if not (p / "config.json").exists():
        raise FileNotFoundError(
            f"no generator in {p} (config.json missing); train one with `reviewaug gan train`"
        )
    model = AutoModelForCausalLM.from_pretrained(str(p)).eval()
    return model, AutoTokenizer.from_pretrained(str(p))


def generate(
    model: Any,
    tok: Any,
    conditions: Sequence[tuple[float, Sequence[str]]],
    *,
    temperature: float = 1.0,
    seed: int = 0,
    max_new: int | None = None,
    batch_size: int = 256,
) -> list[str]:
    """One review per ``(rating, keywords)`` condition, sampled with ``torch.Generator().manual_seed(seed)``.

    Example:
        >>> generate(model, tok, [(5, ["strap"]), (1, [])], temperature=0.8)  # doctest: +SKIP
        ['the strap ...', '...']
    """
    import torch

    from .sample import sample_ids
    from .tokenizer import decode_text, encode_prompt

    prompts = [encode_prompt(tok, r, kw, max_len=model.config.n_positions // 3) for r, kw in conditions]
    max_new = max_new or max(1, model.config.n_positions - max(len(p) for p in prompts))
    ids = sample_ids(
        model,
        prompts,
        max_new=max_new,
        eos_id=tok.eos_token_id,
        pad_id=tok.pad_token_id,
        gen=torch.Generator().manual_seed(int(seed)),
        temperature=temperature,
        batch_size=batch_size,
    )
    return [decode_text(tok, x) for x in ids]


def heldout_nll(
    model: Any, tok: Any, records: Sequence[Mapping[str, Any]], max_text_tokens: int = 64
) -> float:
    """Mean negative log-likelihood (nats per BPE token, EOS included) of held-out texts given their rating.

    Example:
        >>> heldout_nll(model, tok, [{"text": "good", "rating": 5}])  # doctest: +SKIP
    """
    import torch

    from .sample import right_pack
    from .tokenizer import encode_example

    enc = [encode_example(tok, r["text"], r["rating"], (), max_text_tokens) for r in records if r.get("text")]
    total, count = 0.0, 0
    with torch.no_grad():
        for lo in range(0, len(enc), 128):
            chunk = enc[lo : lo + 128]
            ids, mask = right_pack([e[0] for e in chunk], tok.pad_token_id)
            logp = torch.log_softmax(model(input_ids=ids, attention_mask=mask).logits[:, :-1].float(), -1)
            tl = logp.gather(2, ids[:, 1:, None]).squeeze(2)
            sel = mask[:, 1:].clone().float()
            for i, (_, plen) in enumerate(chunk):
                sel[i, : plen - 1] = 0
            total += float(-(tl * sel).sum())
            count += int(sel.sum())
    return total / max(1, count)


def rating_agreement(ratings: Sequence[float], texts: Sequence[str]) -> dict[str, Any]:
    """How well VADER polarity of generated texts follows the requested rating.

    Returns Spearman rho (rating vs polarity), mean polarity per requested star rating, and the share of
    (rating >= 4, rating <= 2) pairs whose polarities are ordered the right way (a concordance; 0.5 = chance).

    Example:
        >>> rating_agreement([5, 1], ["great, love it", "awful, broke"])["concordance"]
        1.0
    """
    from scipy.stats import spearmanr

    from reviewaug.features import polarity_scores

    pol = np.asarray(polarity_scores(list(texts)), dtype=float)
    r = np.asarray(ratings, dtype=float)
    rho = float(spearmanr(r, pol).statistic) if len(set(r.tolist())) > 1 and np.ptp(pol) > 0 else float("nan")
    per = {str(int(k)): float(pol[r == k].mean()) for k in sorted(set(r.tolist()))}
    hi, lo = pol[r >= 4], pol[r <= 2]
    if len(hi) and len(lo):
        diff = hi[:, None] - lo[None, :]
        conc = float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)
    else:
        conc = float("nan")
    return {"spearman": rho, "polarity_by_rating": per, "concordance": conc}


def evaluate_samples(
    texts: Sequence[str],
    ratings: Sequence[float],
    refs: Sequence[str],
    ref_emb: np.ndarray | None = None,
) -> dict[str, Any]:
    """All sample-level metrics of one cell (BLEU, self-BLEU, distinct-n, FED, rating agreement).

    Example:
        >>> m = evaluate_samples(["good strap"] * 3, [5, 5, 1], ["good strap"], ref_emb=None)  # doctest: +SKIP
    """
    m: dict[str, Any] = {}
    for n, v in bleu_against(texts, refs).items():
        m[f"bleu{n}"] = v
    for n, v in self_bleu(texts).items():
        m[f"self_bleu{n}"] = v
    for n in (1, 2, 3):
        m[f"distinct{n}"] = distinct_n(texts, n)
    m["mean_words"] = float(np.mean([len(words(t)) for t in texts]))
    if ref_emb is not None:
        m["fed"] = frechet_distance(embed(texts), ref_emb)
    agree = rating_agreement(ratings, texts)
    m["rating_spearman"] = agree["spearman"]
    m["rating_concordance"] = agree["concordance"]
    m["polarity_by_rating"] = agree["polarity_by_rating"]
    return m


def sweep(
    models: Mapping[str, str | Path],
    heldout: Sequence[Mapping[str, Any]],
    out: str | Path,
    *,
    temperatures: Sequence[float] = (0.6, 0.8, 1.0, 1.2, 1.5),
    seeds: Sequence[int] = (0, 1, 2),
    n_samples: int = 300,
    n_refs: int = 1000,
    samples_per_bucket: int = 3,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """Evaluate each model at each temperature and seed; write ``metrics.json``, ``metrics.md``,
    ``frontier.png`` and ``samples.md`` into ``out``. Returns one row per (model, temperature, seed).

    Conditions are the ratings of ``n_samples`` held-out reviews (no keywords), the same for every cell; the
    references are (up to) ``n_refs`` held-out reviews.

    Example:
        >>> sweep({"mle": "runs/q/mle_generator", "gan": "runs/q/generator"}, heldout, "runs/q/eval")  # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    out_p = Path(out)
    out_p.mkdir(parents=True, exist_ok=True)
    held = [r for r in heldout if r.get("text")]
    if not held:
        raise ValueError("no held-out reviews with text to evaluate against")
    pick = np.random.default_rng(np.random.SeedSequence([2024, len(held)]))
    cond_idx = pick.choice(len(held), size=min(n_samples, len(held)), replace=False)
    ref_idx = pick.choice(len(held), size=min(n_refs, len(held)), replace=False)
    ratings = [float(held[i]["rating"]) for i in cond_idx]
    refs = [held[i]["text"] for i in ref_idx]
    ref_emb = embed(refs)
    rows: list[dict[str, Any]] = []
    samples: dict[str, dict[int, list[str]]] = {}
    cells = [(name, t, s) for name in models for t in temperatures for s in seeds]
    bar = tqdm(total=len(cells), desc="gan eval", disable=not progress)
    for name, path in models.items():
        model, tok = load_generator(path)
        max_text = max(1, model.config.n_positions - 16)
        nll = heldout_nll(model, tok, [held[i] for i in ref_idx], max_text)
        for t in temperatures:
            for s in seeds:
                texts = generate(model, tok, [(r, ()) for r in ratings], temperature=t, seed=s)
                m = evaluate_samples(texts, ratings, refs, ref_emb)
                rows.append({"model": name, "temperature": t, "seed": s, "nll": nll, **m})
                bar.update(1)
        bucket_conds = [(float(r), ()) for r in range(1, 6) for _ in range(samples_per_bucket)]
        bt = generate(model, tok, bucket_conds, temperature=0.8, seed=12345)
        samples[name] = {r: bt[(r - 1) * samples_per_bucket : r * samples_per_bucket] for r in range(1, 6)}
    bar.close()
    (out_p / "metrics.json").write_text(json.dumps(rows, indent=1))
    summary = summarize(rows)
    verdict = frontier_verdict(summary)
    pts = frontier_points(summary)
    table = "\n| gan τ | BLEU-4 | self-BLEU-4 | mle frontier BLEU-4 there | margin | 2 SD | status |\n|---|---|---|---|---|---|---|\n"
    for p in pts:
        table += (
            f"| {p['temperature']} | {p['bleu4']:.4f} | {p['self_bleu4']:.4f} | {p.get('frontier_bleu4', float('nan')):.4f} "
            f"| {p['margin']:+.4f} | {p.get('noise', float('nan')):.4f} | {p['status']} |\n"
        )
    (out_p / "metrics.md").write_text(_markdown(summary, verdict, len(ratings), len(refs)) + table)
    (out_p / "frontier.json").write_text(json.dumps({"verdict": verdict, "points": pts}, indent=1))
    plot_frontier(summary, out_p / "frontier.png")
    lines = ["# Generated samples (temperature 0.8, seed 12345, no keywords)\n"]
    for name, per in samples.items():
        lines.append(f"\n## {name}\n")
        for r, ts in per.items():
            lines.append(f"\n### requested rating {r}\n")
            lines.extend(f"- {t}\n" for t in ts)
    (out_p / "samples.md").write_text("".join(lines))
    return rows


_KEYS = ("nll", "bleu2", "bleu3", "bleu4", "bleu5", "self_bleu2", "self_bleu3", "self_bleu4", "self_bleu5",
         "distinct1", "distinct2", "distinct3", "fed", "rating_spearman", "rating_concordance", "mean_words")  # fmt: skip


def summarize(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Mean and standard deviation over seeds per (model, temperature).

    Example:
        >>> summarize([{"model": "m", "temperature": 1.0, "seed": 0, "bleu4": 0.2}])[0]["bleu4"]
        0.2
    """
    groups: dict[tuple[str, float], list[Mapping[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["model"], r["temperature"]), []).append(r)
    out = []
    for (name, t), rs in groups.items():
        row: dict[str, Any] = {"model": name, "temperature": t, "n_seeds": len(rs)}
        for k in _KEYS:
            vals = [float(r[k]) for r in rs if k in r]
            if vals:
                row[k] = float(np.mean(vals))
                row[k + "_sd"] = float(np.std(vals))
        out.append(row)
    return out


def frontier_points(
    summary: Sequence[Mapping[str, Any]], a: str = "gan", b: str = "mle", z: float = 2.0
) -> list[dict[str, Any]]:
    """Place each temperature point of model ``a`` against the frontier of model ``b``.

    ``b``'s frontier is its BLEU-4 as a piecewise-linear function of self-BLEU-4 over its temperatures. For each
    point of ``a`` inside ``b``'s self-BLEU-4 range, ``margin`` = its BLEU-4 minus the frontier's BLEU-4 at the same
    self-BLEU-4; it is ``beyond`` if the margin exceeds ``z`` times the combined seed standard deviation, ``behind``
    if it is below minus that, else ``on`` (not distinguishable). Points outside the range are ``outside``.

    Example:
        >>> mle = [{"model": "mle", "temperature": t, "bleu4": q, "self_bleu4": d} for t, q, d in [(1, .1, .1), (2, .3, .5)]]
        >>> frontier_points(mle + [{"model": "gan", "temperature": 1, "bleu4": .4, "self_bleu4": .3}])[0]["status"]
        'beyond'
    """
    pb = sorted((r["self_bleu4"], r["bleu4"], r.get("bleu4_sd", 0.0)) for r in summary if r["model"] == b)
    out = []
    if len(pb) < 2:
        return out
    xs = np.array([p[0] for p in pb])
    ys = np.array([p[1] for p in pb])
    sds = np.array([p[2] for p in pb])
    for r in summary:
        if r["model"] != a:
            continue
        x, y = r["self_bleu4"], r["bleu4"]
        row = {"temperature": r.get("temperature"), "bleu4": y, "self_bleu4": x}
        if x < xs.min() or x > xs.max():
            row.update(status="outside", margin=float("nan"))
        else:
            fy = float(np.interp(x, xs, ys))
            noise = z * math.hypot(r.get("bleu4_sd", 0.0), float(np.interp(x, xs, sds)))
            margin = y - fy
            status = "beyond" if margin > noise else "behind" if margin < -noise else "on"
            row.update(status=status, margin=margin, noise=noise, frontier_bleu4=fy)
        out.append(row)
    return out


def frontier_verdict(summary: Sequence[Mapping[str, Any]], a: str = "gan", b: str = "mle") -> str:
    """A plain sentence: does model ``a`` lie beyond the quality–diversity frontier of model ``b``?

    Uses :func:`frontier_points` (BLEU-4 up is better, self-BLEU-4 down is more diverse; differences within two
    seed standard deviations count as "on" the frontier).

    Example:
        >>> mle = [{"model": "mle", "temperature": t, "bleu4": q, "self_bleu4": d} for t, q, d in [(1, .1, .1), (2, .3, .5)]]
        >>> frontier_verdict(mle + [{"model": "gan", "temperature": 1, "bleu4": .1, "self_bleu4": .3}])[:40]
        'NO: the gan generator does not lie beyon'
    """
    pts = frontier_points(summary, a, b)
    if not pts:
        return f"Cannot compare: need {a!r} and at least two temperatures of {b!r} in the sweep."
    by = {
        s: [p["temperature"] for p in pts if p["status"] == s] for s in ("beyond", "on", "behind", "outside")
    }
    detail = "; ".join(f"{s} at τ={ts}" for s, ts in by.items() if ts)
    if by["beyond"] and not by["behind"]:
        head = f"YES: the {a} generator lies beyond the {b} frontier at some temperatures"
    elif by["beyond"]:
        head = f"MIXED: the {a} generator is beyond the {b} frontier at some temperatures and behind it at others"
    else:
        head = f"NO: the {a} generator does not lie beyond the {b} frontier"
    return (
        f"{head} ({detail}; 'on' = within 2 seed SDs of the {b} curve interpolated at the same self-BLEU-4, "
        f"'outside' = beyond the self-BLEU-4 range the {b} sweep covers)."
    )


def _markdown(summary: Sequence[Mapping[str, Any]], verdict: str, n_samples: int, n_refs: int) -> str:
    cols = ["nll", "bleu2", "bleu3", "bleu4", "bleu5", "self_bleu2", "self_bleu3", "self_bleu4", "self_bleu5",
            "distinct1", "distinct2", "distinct3", "fed", "rating_spearman", "rating_concordance", "mean_words"]  # fmt: skip
    head = "| model | τ | " + " | ".join(cols) + " |\n" + "|---" * (len(cols) + 2) + "|\n"
    body = ""
    for r in summary:
        cells = []
        for c in cols:
            v = r.get(c, float("nan"))
            sd = r.get(c + "_sd")
            cells.append(f"{v:.3f}" + (f"±{sd:.3f}" if sd and c in ("bleu4", "self_bleu4", "fed") else ""))
        body += f"| {r['model']} | {r['temperature']} | " + " | ".join(cells) + " |\n"
    note = (
        f"\n{n_samples} samples per cell (ratings of held-out reviews, no keywords), means ± sd over seeds "
        f"{summary[0].get('n_seeds', '?')}; BLEU against {n_refs} held-out reviews, NLTK method1 smoothing; "
        "NLL in nats per BPE token on the same held-out reviews; FED = Fréchet distance in all-MiniLM-L6-v2 space.\n"
    )
    return "# GAN vs MLE: temperature sweep\n\n" + head + body + note + "\n**Verdict:** " + verdict + "\n"


def plot_frontier(summary: Sequence[Mapping[str, Any]], path: str | Path) -> None:
    """BLEU-4 (quality, up is better) against self-BLEU-4 (lower is more diverse), one curve per model.

    Example:
        >>> plot_frontier(summarize(rows), "frontier.png")  # doctest: +SKIP
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for name in dict.fromkeys(r["model"] for r in summary):
        pts = sorted((r["temperature"], r["self_bleu4"], r["bleu4"]) for r in summary if r["model"] == name)
        xs, ys = [p[1] for p in pts], [p[2] for p in pts]
        ax.plot(xs, ys, marker="o", label=name)
        for t, x, y in pts:
            ax.annotate(f"τ={t}", (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("self-BLEU-4 (lower = more diverse)")
    ax.set_ylabel("BLEU-4 vs held-out (higher = better)")
    ax.set_title("quality–diversity frontier")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
