"""The CLI: info on the real corpus, byte-identical augment output across runs and --num-proc, clear errors."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from reviewaug.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewaug.cli", *args], capture_output=True, text=True)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("info", "features", "augment", "recipes", "demo", "gan"):
        assert cmd in r.stdout


def test_recipes_lists_word_noise(capsys):
    assert main(["recipes"]) == 0
    assert "word-noise" in capsys.readouterr().out


@pytest.mark.corpus
def test_info_real_corpus(corpus_path, capsys):
    assert main(["info", str(corpus_path)]) == 0
    out = capsys.readouterr().out
    assert "rows:    10,261" in out and "users:   1,429" in out and "items:   900" in out


def _subset(corpus_path, tmp_path, n=150):
    lines = []
    with gzip.open(corpus_path, "rt") as f:
        for i, line in enumerate(f):
            if i % 40 == 0:
                lines.append(line)
            if len(lines) == n:
                break
    p = tmp_path / "sub.jsonl"
    p.write_text("".join(lines))
    return p


@pytest.mark.corpus
def test_augment_byte_identical(corpus_path, tmp_path):
    src = _subset(corpus_path, tmp_path)
    a, b, c = (tmp_path / f"{x}.jsonl" for x in "abc")
    assert main(["augment", str(src), str(a), "--recipe", "word-noise", "--n", "2", "--seed", "7"]) == 0
    assert (
        main(
            [
                "augment",
                str(src),
                str(b),
                "--recipe",
                "word-noise",
                "--n",
                "2",
                "--seed",
                "7",
                "--batch-size",
                "16",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "augment",
                str(src),
                str(c),
                "--recipe",
                "word-noise",
                "--n",
                "2",
                "--seed",
                "7",
                "--num-proc",
                "2",
            ]
        )
        == 0
    )
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    rows = [json.loads(x) for x in a.read_text().splitlines()]
    assert len(rows) == 150 * 3
    assert sum(r["text"] != rows[i - r["aug_index"]]["text"] for i, r in enumerate(rows)) > 100


def test_bad_input_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reviewText": "x", "asin": "i", "reviewerID": "u"}\nnot json\n')
    r = run("info", str(bad))
    assert r.returncode == 1
    assert r.stderr.startswith("reviewaug: error: ") and "line 2" in r.stderr
    assert "Traceback" not in r.stderr
    r = run("augment", str(bad), str(tmp_path / "o.jsonl"), "--recipe", "nope")
    assert r.returncode == 1 and "unknown recipe" in r.stderr


def test_import_is_light():
    code = (
        "import sys, socket\n"
        "def no(*a, **k): raise AssertionError('socket opened')\n"
        "socket.socket.connect = no\n"
        "import reviewaug, reviewaug.io, reviewaug.features, reviewaug.augment, reviewaug.cli\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_columns_go_before_or_after_the_input(tmp_path, capsys):
    src = tmp_path / "r.csv"
    src.write_text("body,stars,uid,iid\nfine strings,4,u1,i1\nbad strap,1,u2,i1\n")
    for args in (
        ["info", "--columns", "text=body,rating=stars", "--columns", "user_id=uid,item_id=iid", str(src)],
        ["info", str(src), "--columns", "text=body,rating=stars,user_id=uid,item_id=iid"],
    ):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "rows:    2" in out and "users:   2" in out and "items:   1" in out
