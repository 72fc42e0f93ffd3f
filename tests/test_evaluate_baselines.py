"""The baselines runner end to end on a small synthetic corpus."""

from __future__ import annotations

import json

import numpy as np
from datasets import Dataset

from reviewaug.evaluate.baselines import run_baselines


def synthetic_corpus(n_users: int = 40, per_user: int = 6, n_items: int = 30, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    rows = {k: [] for k in ("review_id", "user_id", "item_id", "rating", "text", "summary", "timestamp")}
    for u in range(n_users):
        for it in rng.choice(n_items, size=per_user, replace=False):
            rating = float(rng.choice([1, 2, 4, 5], p=[0.2, 0.2, 0.3, 0.3]))
            cue = "awful broke" if rating <= 2 else "great love"
            rows["review_id"].append(f"i{it}_u{u}")
            rows["user_id"].append(f"u{u}")
            rows["item_id"].append(f"i{it}")
            rows["rating"].append(rating)
            rows["text"].append(f"item {it} {cue} {rng.integers(1000)}")
            rows["summary"].append("")
            rows["timestamp"].append(int(rng.integers(0, 10_000)))
    return Dataset.from_dict(rows)


def test_run_baselines_writes_report_and_timings(tmp_path):
    out = run_baselines(
        synthetic_corpus(),
        tmp_path,
        models=["pop", "hybrid"],
        seeds=2,
        sizes=[20],
        features=["tfidf"],
        hybrid_encoder="tfidf",
        show_progress=False,
    )
    assert {s["model"] for s in out["rec"]} == {"pop", "hybrid"} and len(out["rec"]) == 4
    timings = json.loads((tmp_path / "timings.json").read_text())
    assert timings["rec:loo:hybrid"] > 0 and "sentiment:total" in timings
    report = (tmp_path / "report.md").read_text()
    assert "Recommender: absolute results" in report and "| loo | hybrid |" in report
    assert (tmp_path / "sentiment_curve_tfidf.png").exists()
