"""PNG plots of benchmark results (matplotlib, Agg backend; imported lazily).

* :func:`plot_gains` — one horizontal bar with its 95% CI per (group, arm): the gain of each arm over no
  augmentation, coloured by verdict (gain / loss / no significant difference).
* :func:`plot_curves` — a metric against training size, one line with a CI band per arm.

Example:
    >>> rows = [{"arm": "eda", "slice": "sparse", "rel": 0.04, "rel_ci_low": -0.01, "rel_ci_high": 0.09,
    ...          "verdict": "no significant difference"}]
    >>> import tempfile, pathlib
    >>> p = plot_gains(rows, pathlib.Path(tempfile.mkdtemp()) / "g.png", est="rel", lo="rel_ci_low", hi="rel_ci_high")
    >>> p.exists()
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_curves", "plot_gains"]

_COLORS = {"significant gain": "#2a9d4b", "significant loss": "#c0392b"}
_NEUTRAL = "#7f8c8d"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_gains(
    rows: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    label_key: str = "arm",
    group_key: str = "slice",
    est: str = "diff",
    lo: str = "ci_low",
    hi: str = "ci_high",
    title: str = "",
    xlabel: str = "gain over no augmentation (95% CI)",
    percent: bool = False,
) -> Path:
    """Write a forest plot of ``rows`` (one per group x arm) to ``path``; returns the path.

    Example:
        >>> import tempfile, pathlib
        >>> plot_gains([{"arm": "a", "slice": "all", "diff": 0.1, "ci_low": 0.0, "ci_high": 0.2}],
        ...            pathlib.Path(tempfile.mkdtemp()) / "x.png").suffix
        '.png'
    """
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = list(dict.fromkeys(str(r.get(group_key, "")) for r in rows))
    ordered = [r for g in groups for r in rows if str(r.get(group_key, "")) == g]
    n = max(1, len(ordered))
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.32 * n))
    scale = 100.0 if percent else 1.0
    ys = np.arange(n)[::-1]
    labels = []
    for y, r in zip(ys, ordered):
        e, a, b = (float(r.get(k, np.nan)) * scale for k in (est, lo, hi))
        color = _COLORS.get(str(r.get("verdict", "")), _NEUTRAL)
        if np.isfinite(e):
            err = [
                [max(0.0, e - a)] if np.isfinite(a) else [0.0],
                [max(0.0, b - e)] if np.isfinite(b) else [0.0],
            ]
            ax.errorbar([e], [y], xerr=err, fmt="o", color=color, capsize=3)
        labels.append(f"{r.get(group_key, '')} · {r.get(label_key, '')}")
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels if ordered else ["(no rows)"], fontsize=8)
    ax.set_xlabel(xlabel + (" [%]" if percent else ""))
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_curves(
    rows: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    x_key: str = "size",
    line_key: str = "arm",
    est: str = "base_mean",
    lo: str = "base_ci_low",
    hi: str = "base_ci_high",
    title: str = "",
    ylabel: str = "accuracy",
) -> Path:
    """Write a metric-vs-size plot (one line + CI band per ``line_key``) to ``path``; ``all`` sorts last.

    Example:
        >>> import tempfile, pathlib
        >>> rows = [{"size": s, "arm": "no_aug", "base_mean": v, "base_ci_low": v - .1, "base_ci_high": v + .1}
        ...         for s, v in [("50", .6), ("all", .9)]]
        >>> plot_curves(rows, pathlib.Path(tempfile.mkdtemp()) / "c.png").exists()
        True
    """
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def order(v: Any) -> float:
        return float("inf") if str(v) == "all" else float(v)

    xs_all = sorted({str(r[x_key]) for r in rows}, key=order)
    pos = {x: k for k, x in enumerate(xs_all)}
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for name in dict.fromkeys(str(r[line_key]) for r in rows):
        sel = sorted((r for r in rows if str(r[line_key]) == name), key=lambda r: order(r[x_key]))
        x = [pos[str(r[x_key])] for r in sel]
        ax.plot(x, [r[est] for r in sel], marker="o", label=name)
        ax.fill_between(x, [r[lo] for r in sel], [r[hi] for r in sel], alpha=0.15)
    ax.set_xticks(range(len(xs_all)))
    ax.set_xticklabels(xs_all)
    ax.set_xlabel("training examples")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
