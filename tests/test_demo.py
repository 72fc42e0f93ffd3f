"""The end-to-end demo on a slice of the real corpus: every stage runs and the report covers every arm."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace

import pytest

from reviewaug.demo import DemoConfig, build_parser, run_demo


def _user_slice(corpus_path, tmp_path, n_users: int = 220):
    recs = [json.loads(line) for line in gzip.open(corpus_path, "rt")]
    users = sorted({r["reviewerID"] for r in recs})[:: max(1, 1429 // n_users)]
    keep = set(users)
    p = tmp_path / "slice.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs if r["reviewerID"] in keep))
    return p


def test_quick_config_meets_the_protocol_minimums():
    q, f = DemoConfig.quick(), DemoConfig.full()
    assert q.rec_seeds >= 5 and q.sent_seeds >= 5 and 500 in q.sent_sizes
    assert set(f.sent_sizes) == {50, 200, 500, 2000, None} and set(f.sent_copies) == {4, 16}
    assert set(f.splits) == set(q.splits) == {"leave_last_out", "temporal"}
    assert build_parser().parse_args(["--full"]).full


@pytest.mark.corpus
@pytest.mark.slow
def test_demo_end_to_end_on_a_slice(corpus_path, tmp_path):
    data = _user_slice(corpus_path, tmp_path)
    cfg = replace(
        DemoConfig.quick(),
        recipes=("word-noise", "typos", "no-such-recipe"),
        sent_recipes=("word-noise",),
        gan_preset=None,
        rec_seeds=2,
        sent_seeds=2,
        sent_sizes=(50,),
        text_encoder="tfidf",
        num_proc=1,
        ref_models=("pop",),
        text_models=("hybrid", "text2factors"),
    )
    paths = run_demo(data, tmp_path / "out", cfg)
    report = paths["report"].read_text()
    res = json.loads(paths["json"].read_text())
    arms = {r["arm"] for r in res["recommender"]["comparisons"]}
    assert arms == {"word-noise", "typos", "random-control"}  # the missing recipe is left out, said so
    assert {r["slice"] for r in res["recommender"]["comparisons"]} >= {"all", "sparse"}
    assert {r["arm"] for r in res["sentiment"]["comparisons"]} == {"word-noise", "random-control"}
    for r in res["recommender"]["comparisons"]:
        assert r["verdict"] in ("significant gain", "significant loss", "no significant difference")
    assert "no_aug" in {s["arm"] for s in res["recommender"]["summaries"]}
    assert {r["model"] for r in res["recommender"]["comparisons"]} == {"hybrid", "text2factors"}
    assert "Goals" in report
    assert any(p.endswith(".png") for p in res["plots"])
    assert res["meta"]["augmentation"]["leave_last_out:word-noise"]["texts_used"] > 0


def test_command_line_parts_override_the_config():
    from reviewaug.demo import overrides

    o = overrides(
        build_parser().parse_args(["--splits", "none", "--sent-sizes", "500,all", "--sent-copies", "4,16"])
    )
    assert o["splits"] == () and o["sent_sizes"] == (500, None) and o["sent_copies"] == (4, 16)
    assert overrides(build_parser().parse_args(["--sent-sizes", "none"]))["sent_sizes"] == ()
    assert overrides(build_parser().parse_args(["--text-models", "hybrid,text2factors"]))["text_models"] == (
        "hybrid",
        "text2factors",
    )
    with pytest.raises(SystemExit, match="unknown split"):
        overrides(build_parser().parse_args(["--splits", "random"]))
    with pytest.raises(SystemExit, match="sent-sizes"):
        overrides(build_parser().parse_args(["--sent-sizes", "lots"]))
    o = overrides(build_parser().parse_args(["--temporal-test", "0.2", "--temporal-val", "0.05"]))
    assert (o["temporal_test"], o["temporal_val"]) == (0.2, 0.05)
    assert overrides(build_parser().parse_args(["--no-sent-control"]))["sent_control"] is False
    assert "sent_control" not in overrides(build_parser().parse_args([]))
    assert overrides(build_parser().parse_args(["--embed-cache", "emb"]))["embed_cache"] == "emb"
    assert "embed_cache" not in overrides(build_parser().parse_args([]))
    assert DemoConfig().sent_tune_c == DemoConfig.full().sent_tune_c == (0.01, 0.1, 1.0, 10.0, 100.0)
    assert overrides(build_parser().parse_args(["--sent-tune-c", "none"]))["sent_tune_c"] == ()
    assert overrides(build_parser().parse_args(["--sent-tune-c"]))["sent_tune_c"] == DemoConfig().sent_tune_c
    assert overrides(build_parser().parse_args(["--sent-tune-c", "0.5,2"]))["sent_tune_c"] == (0.5, 2.0)
    assert "sent_tune_c" not in overrides(build_parser().parse_args([]))
    for bad in ("x", "0,1"):
        with pytest.raises(SystemExit, match="--sent-tune-c"):
            overrides(build_parser().parse_args(["--sent-tune-c", bad]))
    with pytest.raises(SystemExit, match="temporal-test"):
        overrides(build_parser().parse_args(["--temporal-test", "0.7"]))
    assert overrides(build_parser().parse_args(["--num-proc", "1"]))["num_proc"] == 1
    assert "num_proc" not in overrides(build_parser().parse_args([]))
    with pytest.raises(SystemExit, match="--num-proc"):
        overrides(build_parser().parse_args(["--num-proc", "0"]))


@pytest.mark.corpus
@pytest.mark.slow
def test_demo_sentiment_part_alone(corpus_path, tmp_path):
    data = _user_slice(corpus_path, tmp_path)
    cfg = replace(
        DemoConfig.quick(),
        splits=(),
        sent_recipes=("word-noise",),
        sent_seeds=2,
        sent_sizes=(50,),
        sent_control=False,
        num_proc=1,
        argv=("--splits", "none", "--no-sent-control"),
    )
    paths = run_demo(data, tmp_path / "out", cfg)
    res = json.loads(paths["json"].read_text())
    assert res["recommender"]["comparisons"] == [] and res["sentiment"]["comparisons"]
    assert {r["arm"] for r in res["sentiment"]["comparisons"]} == {"word-noise"}  # no control arm
    assert res["meta"]["command"] == "reviewaug demo --splits none --no-sent-control"
    report = paths["report"].read_text()
    assert "not run in this invocation" in report and "--no-sent-control" in report


def test_full_run_keeps_embeddings_beside_the_report(monkeypatch, tmp_path):
    # --full (hours of MiniLM encoding) resumes from OUT/embed-cache unless told otherwise; the quick demo does not
    from reviewaug import demo

    seen = []
    monkeypatch.setattr(demo, "run_demo", lambda data, out, cfg: seen.append(cfg))
    monkeypatch.delenv("REVIEWAUG_EMBED_CACHE", raising=False)
    out = str(tmp_path / "o")
    demo.main(["--data", "x.json", "--out", out, "--full"])
    demo.main(["--data", "x.json", "--out", out, "--full", "--embed-cache", "elsewhere"])
    demo.main(["--data", "x.json", "--out", out])
    monkeypatch.setenv("REVIEWAUG_EMBED_CACHE", str(tmp_path / "env"))
    demo.main(["--data", "x.json", "--out", out, "--full"])
    assert [c.embed_cache for c in seen] == [str(tmp_path / "o" / "embed-cache"), "elsewhere", None, None]
    assert seen[0].sent_features == ("tfidf", "minilm")  # still the whole protocol
