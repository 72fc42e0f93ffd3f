"""Write ``report.md``, ``results.json`` and PNG plots from benchmark result rows.

The inputs are plain dicts (JSON-ready), as produced by:

* ``rec_summaries`` — :meth:`reviewaug.rec.ArmResult.summary` plus ``split`` and ``arm`` keys;
* ``rec_rows`` — :func:`reviewaug.rec.compare_arms` rows plus a ``split`` key;
* ``sent_baselines`` / ``sent_rows`` — :meth:`SentimentResult.baselines` / :meth:`SentimentResult.compare`.

The report states every comparison plainly — "significant gain", "significant loss" or "no significant
difference" — and checks the issue's goals (sentiment: >= +3 accuracy points at N = 500 with CI above 0;
recommender: sparse-item NDCG@10 >= +5% relative with CI above 0) without hiding misses.

Example:
    >>> import tempfile
    >>> paths = write_report(tempfile.mkdtemp(), meta={"command": "reviewaug demo"})
    >>> sorted(paths)
    ['json', 'report']
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SENT_GOAL_POINTS", "REC_GOAL_REL", "goal_checks", "write_report"]

SENT_GOAL_POINTS = 0.03
SENT_GOAL_SIZE = "500"
REC_GOAL_REL = 0.05


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, (set, tuple)):
        return list(o)
    raise TypeError(f"cannot write {type(o).__name__} to JSON")


def _clean(o: Any) -> Any:
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, Mapping):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def _f(x: Any, nd: int = 4) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    return f"{v:.{nd}f}" if math.isfinite(v) else "–"


def _pct(x: Any, nd: int = 1, sign: bool = True) -> str:
    try:
        v = 100 * float(x)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    return f"{v:+.{nd}f}%" if sign else f"{v:.{nd}f}%"


def _pts(x: Any) -> str:
    try:
        v = 100 * float(x)
    except (TypeError, ValueError):
        return "–"
    return f"{v:+.1f}" if math.isfinite(v) else "–"


def _p(x: Any) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    return "<0.001" if v < 0.001 else f"{v:.3f}"


def goal_checks(
    rec_rows: Sequence[Mapping[str, Any]], sent_rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One row per arm for each of the issue's two numeric goals, with ``met`` True/False.

    Example:
        >>> goal_checks([], [{"metric": "accuracy", "size": "500", "feature": "tfidf", "arm": "eda", "copies": 4,
        ...                   "diff": 0.04, "diff_ci_low": 0.01, "diff_ci_high": 0.07}])[0]["met"]
        True
    """
    out = []
    for r in sent_rows:
        if r.get("metric") == "accuracy" and str(r.get("size")) == SENT_GOAL_SIZE:
            met = bool(r["diff"] >= SENT_GOAL_POINTS and r["diff_ci_low"] > 0)
            out.append(
                {
                    "goal": f"sentiment accuracy at N={SENT_GOAL_SIZE} >= +{SENT_GOAL_POINTS * 100:.0f} points, CI > 0",
                    "where": f"{r['feature']} · {r['arm']} ×{r['copies']}",
                    "value": f"{_pts(r['diff'])} pts [{_pts(r['diff_ci_low'])}, {_pts(r['diff_ci_high'])}]",
                    "met": met,
                }
            )
    for r in rec_rows:
        if r.get("metric") == "ndcg@10" and r.get("slice") == "sparse":
            rel, lo = r.get("rel", float("nan")), r.get("ci_low", float("nan"))
            met = bool(math.isfinite(rel) and rel >= REC_GOAL_REL and lo > 0)
            out.append(
                {
                    "goal": f"sparse-item NDCG@10 >= +{REC_GOAL_REL * 100:.0f}% relative, paired CI > 0",
                    "where": f"{r.get('split', '')} · {r.get('model', '')} · {r['arm']}",
                    "value": f"{_pct(rel)} [{_pct(r.get('rel_ci_low'))}, {_pct(r.get('rel_ci_high'))}]",
                    "met": met,
                }
            )
    return out


def _tally(rows: Sequence[Mapping[str, Any]]) -> str:
    counts = {"significant gain": 0, "significant loss": 0, "no significant difference": 0}
    for r in rows:
        counts[r.get("verdict", "no significant difference")] = counts.get(r.get("verdict", ""), 0) + 1
    return ", ".join(f"{v} × {k}" for k, v in counts.items())


def _rec_sections(
    summaries: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]], out: Path
) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    plots: list[str] = []
    if summaries:
        lines += ["## Recommender: absolute results", ""]
        lines += [
            "| split | model | arm | users | NDCG@10 | Recall@10 | Recall@20 | HR@10 | sparse NDCG@10 (users) | cold NDCG@10 (users) | warm NDCG@10 (users) | coverage@10 | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in summaries:
            o, sl = s["overall"], s["slices"]
            cells = [
                f"{_f(sl[k]['ndcg@10'])} ({sl[k]['n_users']})" if k in sl else "–"
                for k in ("sparse", "cold", "warm")
            ]
            lines.append(
                f"| {s.get('split', '')} | {s['model']} | {s.get('arm', '')} | {s['n_users']} | {_f(o.get('ndcg@10'))} | "
                f"{_f(o.get('recall@10'))} | {_f(o.get('recall@20'))} | {_f(o.get('hr@10'))} | {' | '.join(cells)} | "
                f"{_f(s.get('coverage@10'), 3)} | {_f(s.get('info', {}).get('seconds'), 1)} |"
            )
        lines.append("")
    if rows:
        lines += [
            "## Recommender: each arm against no augmentation (paired per-user bootstrap, Wilcoxon, Holm)",
            "",
        ]
        lines += [f"Tally: {_tally(rows)}.", ""]
        lines += [
            "| split | model | arm | slice | metric | users | base | arm | change (rel.) [95% CI] | abs. diff [95% CI] | p (Holm) | verdict |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            lines.append(
                f"| {r.get('split', '')} | {r.get('model', '')} | {r['arm']} | {r['slice']} | {r['metric']} | {r['n']} | "
                f"{_f(r['base_mean'])} | {_f(r['arm_mean'])} | "
                f"{_pct(r.get('rel'))} [{_pct(r.get('rel_ci_low'))}, {_pct(r.get('rel_ci_high'))}] | "
                f"{_f(r['diff'])} [{_f(r['ci_low'])}, {_f(r['ci_high'])}] | {_p(r.get('p_holm'))} | {r['verdict']} |"
            )
        lines.append("")
        from reviewaug.evaluate.plots import plot_gains

        for key in dict.fromkeys((r.get("split", ""), r.get("model", "")) for r in rows):
            sel = [
                r
                for r in rows
                if (r.get("split", ""), r.get("model", "")) == key and r["metric"] == "ndcg@10"
            ]
            name = f"rec_gain_{key[0]}_{key[1]}.png".replace("/", "_")
            plot_gains(
                sel,
                out / name,
                est="rel",
                lo="rel_ci_low",
                hi="rel_ci_high",
                percent=True,
                title=f"NDCG@10 change vs no augmentation — {key[0]} split, {key[1]}",
                xlabel="relative NDCG@10 change (95% CI)",
            )
            plots.append(name)
            lines.append(f"![{name}]({name})")
        lines.append("")
    return lines, plots


def _brief(key: str, value: Any) -> Any:
    """A meta value as the settings table shows it: the per-cell C search has its own section (all in JSON)."""
    if key == "sentiment_info" and isinstance(value, Mapping) and value.get("tuning"):
        t = value["tuning"]
        return {**value, "tuning": {"grid": t["grid"], "folds": t["folds"], "cells": "see below"}}
    return value


def _tuning_lines(info: Mapping[str, Any]) -> list[str]:
    """The sentiment classifier's ``C`` per cell, when the run chose it by cross-validation (``tune_c``)."""
    tuning = info.get("tuning")
    if not tuning:
        return []
    grid = ", ".join(f"{c:g}" for c in tuning["grid"])
    lines = [
        "## Low-data sentiment: the classifier's C, chosen per cell",
        "",
        f"Each fit's C came from {{{grid}}} by {tuning['folds']}-fold cross-validation on its own training set "
        "(balanced accuracy on the examples; each copy in its source's fold; ties to the C nearest 1). "
        "Every arm got the same search.",
        "",
        "| feature | size | arm | copies | C per seed | CV balanced accuracy of the chosen C |",
        "|---|---|---|---|---|---|",
    ]
    for cell, runs in tuning["cells"].items():
        feat, size, arm, k = cell.split("|")
        cs = ", ".join(f"{r['C']:g}" for r in runs)
        accs = [
            r["cv_balanced_accuracy"].get(r["C"], r["cv_balanced_accuracy"].get(str(r["C"]))) for r in runs
        ]
        acc = ", ".join("–" if a is None else f"{a * 100:.1f}%" for a in accs)
        lines.append(f"| {feat} | {size} | {arm} | {k} | {cs} | {acc} |")
    return lines + [""]


def _sent_sections(
    baselines: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]], out: Path
) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    plots: list[str] = []
    from reviewaug.evaluate.plots import plot_curves, plot_gains

    if baselines:
        lines += [
            "## Low-data sentiment: absolute results (mean over seeds, 95% CI over seeds × test examples)",
            "",
        ]
        lines += [
            "| feature | size | arm | copies | seeds | accuracy [95% CI] | macro-F1 [95% CI] |",
            "|---|---|---|---|---|---|---|",
        ]
        by = {}
        for r in baselines:
            by.setdefault((r["feature"], r["size"], r["arm"], r["copies"]), {})[r["metric"]] = r
        for (feat, size, arm, k), m in by.items():
            a, f = m.get("accuracy", {}), m.get("f1", {})
            lines.append(
                f"| {feat} | {size} | {arm} | {k} | {a.get('n_seeds', '–')} | {_pct(a.get('base_mean'), sign=False)} "
                f"[{_pct(a.get('base_ci_low'), sign=False)}, {_pct(a.get('base_ci_high'), sign=False)}] | "
                f"{_f(f.get('base_mean'), 3)} [{_f(f.get('base_ci_low'), 3)}, {_f(f.get('base_ci_high'), 3)}] |"
            )
        lines.append("")
        for feat in dict.fromkeys(r["feature"] for r in baselines):
            sel = [
                dict(r, arm=f"{r['arm']}×{r['copies']}" if r["copies"] else r["arm"])
                for r in baselines
                if r["feature"] == feat and r["metric"] == "accuracy"
            ]
            name = f"sentiment_curve_{feat}.png"
            plot_curves(sel, out / name, title=f"accuracy vs training size — {feat} + logistic regression")
            plots.append(name)
            lines.append(f"![{name}]({name})")
        lines.append("")
    if rows:
        lines += [
            "## Low-data sentiment: each arm against no augmentation (paired two-level bootstrap, Holm over acc/F1)",
            "",
        ]
        lines += [f"Tally: {_tally(rows)}.", ""]
        lines += [
            "| feature | size | arm | copies | metric | no aug | arm | diff [95% CI] | p (Holm) | verdict |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            unit = (lambda v: _pts(v) + " pts") if r["metric"] == "accuracy" else (lambda v: _f(v, 3))
            lines.append(
                f"| {r['feature']} | {r['size']} | {r['arm']} | {r['copies']} | {r['metric']} | {_f(r['base_mean'], 3)} | {_f(r['arm_mean'], 3)} | "
                f"{unit(r['diff'])} [{unit(r['diff_ci_low'])}, {unit(r['diff_ci_high'])}] | {_p(r.get('p_holm'))} | {r['verdict']} |"
            )
        lines.append("")
        for feat in dict.fromkeys(r["feature"] for r in rows):
            sel = [
                dict(r, label=f"{r['arm']}×{r['copies']}")
                for r in rows
                if r["feature"] == feat and r["metric"] == "accuracy"
            ]
            name = f"sentiment_gain_{feat}.png"
            plot_gains(
                sel,
                out / name,
                label_key="label",
                group_key="size",
                est="diff",
                lo="diff_ci_low",
                hi="diff_ci_high",
                percent=True,
                title=f"accuracy gain vs no augmentation — {feat}",
                xlabel="accuracy difference in points (95% CI)",
            )
            plots.append(name)
            lines.append(f"![{name}]({name})")
        lines.append("")
    return lines, plots


def write_report(
    out_dir: str | Path,
    *,
    rec_summaries: Sequence[Mapping[str, Any]] = (),
    rec_rows: Sequence[Mapping[str, Any]] = (),
    sent_baselines: Sequence[Mapping[str, Any]] = (),
    sent_rows: Sequence[Mapping[str, Any]] = (),
    meta: Mapping[str, Any] | None = None,
    title: str = "reviewaug benchmark report",
) -> dict[str, Path]:
    """Write ``report.md``, ``results.json`` and the plots into ``out_dir``; returns their paths.

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_report(d, meta={"seeds": 5})
        >>> "no comparison" in (d / "report.md").read_text()
        True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(meta or {})
    goals = goal_checks(rec_rows, sent_rows)
    lines = [f"# {title}", ""]
    if meta:
        lines += ["| setting | value |", "|---|---|"]
        lines += [
            f"| {k} | {json.dumps(_clean(_brief(k, v)), default=_json_default) if not isinstance(v, str) else v} |"
            for k, v in meta.items()
        ]
        lines.append("")
    lines += ["## Goals (targets, not promises)", ""]
    if goals:
        lines += ["| goal | where | measured | met? |", "|---|---|---|---|"]
        lines += [
            f"| {g['goal']} | {g['where']} | {g['value']} | {'yes' if g['met'] else 'no'} |" for g in goals
        ]
        n_met = sum(g["met"] for g in goals)
        lines += ["", f"{n_met} of {len(goals)} goal checks met; the others are reported as measured."]
    elif rec_rows or sent_rows:
        lines.append(
            f"The goals concern sentiment accuracy at N = {SENT_GOAL_SIZE} and NDCG@10 on the sparse-item slice; "
            "these results measure neither, so no goal is checked here."
        )
    else:
        lines.append(
            "There is no comparison against no augmentation in these results, so no goal could be checked."
        )
    lines.append("")
    plots: list[str] = []
    rl, rp = _rec_sections(rec_summaries, rec_rows, out)
    sl, spl = _sent_sections(sent_baselines, sent_rows, out)
    sl += _tuning_lines((meta or {}).get("sentiment_info") or {})
    lines += rl + sl
    plots += rp + spl
    lines += [
        "## How to read this",
        "",
        "- A *significant gain* needs both the 95% bootstrap CI of the difference above 0 and the Holm-adjusted p-value "
        "below 0.05; a *significant loss* the mirror image; everything else is *no significant difference*.",
        "- Recommender comparisons pair users (same split, same users, per-user metrics averaged over seeds); sentiment "
        "comparisons pair seeds and test examples (same training subsample per seed for every arm).",
        "",
    ]
    report = out / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    payload = {
        "meta": meta,
        "goals": goals,
        "recommender": {"summaries": list(rec_summaries), "comparisons": list(rec_rows)},
        "sentiment": {"baselines": list(sent_baselines), "comparisons": list(sent_rows)},
        "plots": plots,
    }
    js = out / "results.json"
    js.write_text(json.dumps(_clean(payload), indent=1, default=_json_default), encoding="utf-8")
    paths = {"report": report, "json": js}
    paths.update({p: out / p for p in plots})
    return paths
