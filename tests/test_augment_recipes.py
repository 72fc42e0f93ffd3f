"""The recipes of the augmenter families: documented, runnable, deterministic, protective; on the real corpus
the sentiment-safe ones keep polarity and keywords."""

from __future__ import annotations

import numpy as np
import pytest

from reviewaug.augment import augment_dataset, load_recipe
from reviewaug.augment.constraints import polarity_flipped
from reviewaug.augment.quality import keyword_survival

RECIPES = ["eda", "aeda", "typos", "synonyms-safe", "synonyms-fast", "rewrite", "mixed"]
GUARDED = ["typos", "synonyms-safe", "synonyms-fast", "rewrite", "mixed"]


def _has_corpus() -> bool:
    try:
        from reviewaug.io import default_corpus_path

        default_corpus_path()
        return True
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("name", [*RECIPES, "rewrite-lm"])
def test_recipe_documented(name):
    r = load_recipe(name)
    assert r.name == name
    assert len(r.summary) > 20 and len(r.description) > 100
    assert f"--recipe {name}" in r.description  # shows how to run it


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_runs_on_synthetic_data(name, synth_ds):
    if name == "rewrite" and not _has_corpus():
        pytest.skip("the rewrite recipe retrieves sentences from the real corpus")
    out = augment_dataset(synth_ds, name, n=2, seed=3, progress=False)
    assert out.num_rows == synth_ds.num_rows * 3
    again = augment_dataset(synth_ds, name, n=2, seed=3, progress=False)
    assert out["text"] == again["text"] and out["aug_ops"] == again["aug_ops"]
    copies = [t for t, k in zip(out["text"], out["aug_index"]) if k > 0]
    sources = [t for t, k in zip(out["text"], out["aug_index"]) if k == 0 for _ in range(2)]
    assert any(c != s for c, s in zip(copies, sources)), f"{name} changed nothing"
    assert all(c == "" for c, s in zip(copies, sources) if s == "")


def test_rewrite_lm_recipe(synth_ds):
    from pathlib import Path

    from reviewaug.resources import ResourceMissing

    model = Path(__file__).resolve().parent.parent / "runs" / "gan-quick" / "generator"
    if not (model / "config.json").exists():
        with pytest.raises(ResourceMissing, match="gan train"):
            augment_dataset(synth_ds, "rewrite-lm", n=1, seed=0, progress=False)
        return
    cwd = Path.cwd()
    try:
        import os

        os.chdir(model.parents[2])  # the recipe's model path is relative to the repository root
        out = augment_dataset(synth_ds, "rewrite-lm", n=1, keep_original=False, seed=0, progress=False)
        again = augment_dataset(synth_ds, "rewrite-lm", n=1, keep_original=False, seed=0, progress=False)
    finally:
        os.chdir(cwd)
    assert out["text"] == again["text"]
    ops = [o for row in out["aug_ops"] for o in row]
    assert any(o == "rewrite" or o.startswith("fallback:") for o in ops)


def test_synonyms_fast_is_synonyms_safe_with_the_lexicon_tagger(synth_ds, monkeypatch):
    """The fast recipe differs from synonyms-safe in the tagger only, and never loads spaCy."""
    import dataclasses

    import reviewaug.augment.synonyms as syn

    safe, fast = load_recipe("synonyms-safe"), load_recipe("synonyms-fast")
    assert fast.protect == safe.protect
    assert fast.augmenter.checks == safe.augmenter.checks
    assert fast.augmenter.augmenter.tagger == "lexicon"
    assert dataclasses.replace(safe.augmenter.augmenter, tagger="lexicon") == fast.augmenter.augmenter

    def no_spacy():
        raise AssertionError("synonyms-fast loaded spaCy")

    monkeypatch.setattr(syn, "load_tagger", no_spacy)
    out = augment_dataset(synth_ds, "synonyms-fast", n=2, seed=1, progress=False)
    assert out.num_rows == 3 * synth_ds.num_rows
    assert any(o.startswith("synonym:") for ops in out["aug_ops"] for o in ops)


def test_mixed_recipe_same_with_two_processes(synth_ds):
    one = augment_dataset(synth_ds, "mixed", n=2, seed=9, progress=False, batch_size=3)
    two = augment_dataset(synth_ds, "mixed", n=2, seed=9, progress=False, batch_size=2, num_proc=2)
    assert one["text"] == two["text"]


def test_cli_runs_a_recipe(tmp_path, synth_ds):
    from reviewaug.cli import main
    from reviewaug.io import load_reviews, save_reviews

    src = tmp_path / "in.jsonl"
    save_reviews(synth_ds, str(src))
    assert main(["augment", str(src), str(tmp_path / "out.jsonl"), "--recipe", "typos", "--n", "2"]) == 0
    out = load_reviews(str(tmp_path / "out.jsonl"))
    assert out.num_rows == synth_ds.num_rows * 3


@pytest.mark.corpus
@pytest.mark.parametrize("name", GUARDED + ["aeda"])
def test_real_corpus_polarity_and_keywords(name, corpus_path):
    from reviewaug.features import add_features
    from reviewaug.io import load_reviews

    # 200 consecutive reviews (about a dozen items: the retrieval rewrite embeds each item's sentences once)
    ds = load_reviews(str(corpus_path)).select(range(2000, 2200))
    ds = add_features(ds, progress=False)
    out = augment_dataset(ds, name, n=1, keep_original=False, seed=0, progress=False)
    from reviewaug.features import polarity_scores

    flips = polarity_flipped(np.asarray(ds["polarity"]), polarity_scores(out["text"]))
    assert flips.mean() <= 0.01
    assert keyword_survival(ds["keywords"], ds["text"], out["text"]) >= 0.99
    assert sum(1 for a, b in zip(ds["text"], out["text"]) if a != b) > 0.3 * ds.num_rows
