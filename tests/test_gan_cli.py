"""`reviewaug gan train | sample | eval` on a synthetic corpus file, including resume after kill -9."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from reviewaug.gan.cli import main  # noqa: E402

POS = ["great", "excellent", "perfect", "awesome", "wonderful"]
NEG = ["terrible", "awful", "horrible", "useless", "broken"]
THINGS = ["strings", "strap", "tuner", "cable", "pedal", "capo"]


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic reviews in the Amazon 2014 JSON-lines layout (gzipped), read through load_reviews."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "synthetic.json.gz"
    with gzip.open(path, "wt") as f:
        for i in range(240):
            rating = 5.0 if i % 2 == 0 else 1.0
            w = POS if rating == 5 else NEG
            text = f"this {THINGS[rng.integers(6)]} is {w[rng.integers(5)]} and {w[rng.integers(5)]} ."
            rec = {
                "reviewerID": f"U{i % 31}",
                "asin": f"B{i % 17:04d}",
                "overall": rating,
                "reviewText": text,
                "summary": "s",
                "unixReviewTime": 1_300_000_000 + 86400 * i,
            }
            f.write(json.dumps(rec) + "\n")
    return path


def _cmd(data: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "reviewaug.gan.cli", "train", "--data", str(data), "--out", str(out)] + [
        "--preset",
        "tiny",
        "--no-progress",
        *extra,
    ]


def _weights(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(folder / "model.safetensors"))


@pytest.fixture(scope="module")
def full_run(data_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "full"
    assert (
        main(["train", "--data", str(data_file), "--out", str(out), "--preset", "tiny", "--no-progress"]) == 0
    )
    return out


def test_resume_after_kill_9_gives_the_same_model_as_an_uninterrupted_run(
    data_file: Path, full_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(_cmd(data_file, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not (out / "ckpt.pt").exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "generator").exists()  # it really died before finishing
    # a second start without --resume refuses to overwrite
    assert (
        main(["train", "--data", str(data_file), "--out", str(out), "--preset", "tiny", "--no-progress"]) == 2
    )
    res = subprocess.run(
        _cmd(data_file, out, "--resume"), env=env, capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert json.loads((out / "summary.json").read_text())["resumed"] is True
    a, b = _weights(full_run / "generator"), _weights(out / "generator")
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k
    assert torch.equal(
        _weights(full_run / "mle_generator")["transformer.wte.weight"],
        _weights(out / "mle_generator")["transformer.wte.weight"],
    )
    steps = [(r["phase"], r["step"]) for r in map(json.loads, (out / "log.jsonl").read_text().splitlines())]
    assert len(steps) == len(set(steps))  # no step logged twice after the resume
    assert steps == [
        (r["phase"], r["step"]) for r in map(json.loads, (full_run / "log.jsonl").read_text().splitlines())
    ]


def test_sample_prints_one_line_per_request(full_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "sample",
            "--out",
            str(full_run),
            "--rating",
            "1",
            "5",
            "-n",
            "2",
            "--keywords",
            "strap",
            "--seed",
            "1",
        ]
    )
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [ln[:3] for ln in lines] == ["[1]", "[1]", "[5]", "[5]"]


def test_sample_without_a_model_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "--out", str(tmp_path / "nothing")]) == 2
    assert "gan train" in capsys.readouterr().err


def test_eval_writes_metrics_frontier_and_samples(data_file: Path, full_run: Path, tmp_path: Path) -> None:
    ev = tmp_path / "eval"
    argv = [
        "eval",
        "--data",
        str(data_file),
        "--out",
        str(full_run),
        "--preset",
        "tiny",
        "--eval-dir",
        str(ev),
    ]
    argv += [
        "--n-samples",
        "24",
        "--n-refs",
        "24",
        "--temperatures",
        "0.8",
        "1.5",
        "--seeds",
        "0",
        "1",
        "--no-progress",
    ]
    assert main(argv) == 0
    rows = json.loads((ev / "metrics.json").read_text())
    assert len(rows) == 2 * 2 * 2
    assert {r["model"] for r in rows} == {"mle", "gan"}
    for r in rows:
        assert 0 <= r["bleu4"] <= 1 and 0 <= r["self_bleu4"] <= 1 and r["fed"] >= 0 and r["nll"] > 0
    by_t = {
        t: np.mean([r["self_bleu4"] for r in rows if r["temperature"] == t and r["model"] == "mle"])
        for t in (0.8, 1.5)
    }
    assert by_t[1.5] < by_t[0.8]  # hotter sampling is more diverse
    md = (ev / "metrics.md").read_text()
    assert "**Verdict:**" in md and "| mle | 0.8 |" in md
    assert (ev / "frontier.png").stat().st_size > 1000
    assert "### requested rating 5" in (ev / "samples.md").read_text()
