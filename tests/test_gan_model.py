"""Tiny end-to-end generator: save/load round trips, KV cache equivalence, overfitting, conditioning, augmenters.

One tiny model is trained once per module on a synthetic corpus (no real reviews) with the ``tiny`` preset.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from reviewaug.augment.core import Row  # noqa: E402
from reviewaug.gan import GanSynthesize, LmInfill, generate, load_generator, preset, synthesize, train  # noqa: E402
from reviewaug.gan.evaluate import heldout_nll  # noqa: E402
from reviewaug.gan.model import build_generator  # noqa: E402
from reviewaug.gan.sample import rollout_rewards, sample_ids  # noqa: E402
from reviewaug.gan.tokenizer import RATING_TOKENS, encode_prompt  # noqa: E402

POS = ["great", "excellent", "perfect", "awesome", "wonderful"]
NEG = ["terrible", "awful", "horrible", "useless", "broken"]
THINGS = ["strings", "strap", "tuner", "cable", "pedal", "capo"]
TEMPLATE = re.compile(r"^this (\w+) is (\w+) and (\w+) \.$")


def synthetic_reviews(n: int = 240, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        rating = 5.0 if i % 2 == 0 else 1.0
        w = POS if rating == 5 else NEG
        text = f"this {THINGS[rng.integers(6)]} is {w[rng.integers(5)]} and {w[rng.integers(5)]} ."
        out.append({"text": text, "rating": rating, "timestamp": 1000 + i, "item_id": f"i{i % 7}"})
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gan") / "tiny"
    train(synthetic_reviews(), out, preset("tiny"), seed=0, progress=False)
    return out


def test_run_writes_loadable_generator_tokenizer_curves_and_log(run: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerFast

    gen_dir = run / "generator"
    assert (gen_dir / "model.safetensors").exists()
    model = AutoModelForCausalLM.from_pretrained(str(gen_dir))
    tok = AutoTokenizer.from_pretrained(str(gen_dir))
    assert isinstance(tok, PreTrainedTokenizerFast)
    for t in RATING_TOKENS:
        assert len(tok.encode(t, add_special_tokens=False)) == 1
    assert (run / "curves.png").stat().st_size > 1000
    logs = (run / "log.jsonl").read_text().splitlines()
    assert (
        any('"d_loss"' in x for x in logs)
        and any('"reward"' in x for x in logs)
        and any('"g_loss"' in x for x in logs)
    )
    # the reloaded model computes the same logits as a fresh load through our own helper
    m2, _ = load_generator(gen_dir)
    ids = torch.as_tensor([encode_prompt(tok, 5, ["strap"])])
    with torch.no_grad():
        assert torch.equal(model(ids).logits, m2(ids).logits)


def test_save_load_round_trip_preserves_weights(tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    g = build_generator(preset("tiny"), 300, 0, 1, seed=5)
    g.save_pretrained(str(tmp_path))
    g2 = AutoModelForCausalLM.from_pretrained(str(tmp_path))
    for (n1, p1), (_, p2) in zip(g.state_dict().items(), g2.state_dict().items()):
        assert torch.equal(p1, p2), n1
    # seeded init is deterministic, and another seed gives other weights
    g3 = build_generator(preset("tiny"), 300, 0, 1, seed=5)
    g4 = build_generator(preset("tiny"), 300, 0, 1, seed=6)
    w = "transformer.h.0.attn.c_attn.weight"
    assert torch.equal(g.state_dict()[w], g3.state_dict()[w])
    assert not torch.equal(g.state_dict()[w], g4.state_dict()[w])


def test_tiny_model_overfits_tiny_corpus(run: Path) -> None:
    model, tok = load_generator(run / "generator")
    texts = generate(model, tok, [(5.0, ())] * 40 + [(1.0, ())] * 40, temperature=0.7, seed=0)
    matches = [TEMPLATE.match(t) for t in texts]
    assert sum(m is not None for m in matches) >= 70, texts[:10]
    # NLL of the training texts is far below a uniform guess over the vocabulary
    nll = heldout_nll(model, tok, synthetic_reviews(60, seed=1))
    assert nll < 0.25 * np.log(len(tok)), nll


def test_requested_rating_shifts_generated_polarity(run: Path) -> None:
    from reviewaug.features import polarity_scores

    model, tok = load_generator(run / "generator")
    pos = generate(model, tok, [(5.0, ())] * 40, temperature=1.0, seed=3)
    neg = generate(model, tok, [(1.0, ())] * 40, temperature=1.0, seed=3)
    assert polarity_scores(pos).mean() - polarity_scores(neg).mean() > 0.8


def test_keyword_prompt_steers_the_text(run: Path) -> None:
    model, tok = load_generator(run / "generator")
    texts = generate(model, tok, [(5.0, ["capo"])] * 30, temperature=0.8, seed=0)
    assert sum("capo" in t for t in texts) >= 20, texts[:5]


def test_sampling_is_seeded_and_cache_rollouts_equal_recomputed_ones(run: Path) -> None:
    from transformers import AutoModelForSequenceClassification

    model, tok = load_generator(run / "generator")
    disc = AutoModelForSequenceClassification.from_pretrained(str(run / "discriminator")).eval()
    prompts = [encode_prompt(tok, r, ()) for r in (5, 1, 5, 1)]
    kw = dict(max_new=20, eos_id=tok.eos_token_id, pad_id=tok.pad_token_id)
    a = sample_ids(model, prompts, gen=torch.Generator().manual_seed(1), keep_eos=True, **kw)
    b = sample_ids(model, prompts, gen=torch.Generator().manual_seed(1), keep_eos=True, **kw)
    c = sample_ids(model, prompts, gen=torch.Generator().manual_seed(2), keep_eos=True, **kw)
    assert a == b and a != c
    r_cache = rollout_rewards(
        model, disc, prompts, a, n_rollouts=3, stride=2, gen=torch.Generator().manual_seed(0), **kw
    )
    r_full = rollout_rewards(
        model,
        disc,
        prompts,
        a,
        n_rollouts=3,
        stride=2,
        gen=torch.Generator().manual_seed(0),
        use_cache=False,
        **kw,
    )
    assert [len(r) for r in r_cache] == [len(x) for x in a]
    np.testing.assert_allclose(np.concatenate(r_cache), np.concatenate(r_full), atol=1e-5)
    assert all(0.0 <= v <= 1.0 for r in r_cache for v in r)


def test_gan_synthesize_is_per_row_deterministic_and_records_provenance(run: Path) -> None:
    aug = GanSynthesize(model=str(run / "generator"), temperature=0.8)

    def rows(ids: list[str]) -> list[Row]:
        feats = {"a": {"rating": 5.0, "keywords": ["capo"]}, "b": {"rating": 1.0}, "c": {"rating": 1.0}}
        return [Row.make("old", seed=3, review_id=i, features=feats[i]) for i in ids]

    rs = rows(["a", "b", "c"])
    out = aug(["old"] * 3, rs)
    alone = aug(["old"], rows(["b"]))
    assert out[1] == alone[0]  # a row's text does not depend on its batch
    assert len(out) == 3 and all(t and t != "old" for t in out)
    assert rs[0].ops == ["gan_synth(t=0.8,kw=capo)"]
    ds = synthesize(str(run / "generator"), ["i1", "i2"], [5.0, 1.0], [["strap"], []], seed=4)
    assert ds.column_names[:4] == ["review_id", "item_id", "rating", "text"]
    assert ds["synthetic"] == [True, True] and ds["item_id"] == ["i1", "i2"]
    assert (
        synthesize(str(run / "generator"), ["i1", "i2"], [5.0, 1.0], [["strap"], []], seed=4)["text"]
        == ds["text"]
    )


def test_lm_infill_rewrites_a_span_and_keeps_protected_words(run: Path) -> None:
    aug = LmInfill(model=str(run / "generator"), span_frac=0.3, candidates=3)
    texts = ["this strap is great and perfect .", "this cable is awful and broken ."] * 4
    rows = [
        Row.make(
            t,
            seed=0,
            review_id=f"r{i}",
            features={"rating": 5.0 if i % 2 == 0 else 1.0},
            protected={"strap", "cable"},
        )
        for i, t in enumerate(texts)
    ]
    out = aug(texts, rows)
    changed = [i for i, (a, b) in enumerate(zip(texts, out)) if a != b]
    assert changed, out
    for i in changed:
        assert rows[i].ops and rows[i].ops[0].startswith("lm_infill")
    for t_in, t_out in zip(texts, out):
        for w in ("strap", "cable"):
            assert (w in t_in) == (w in t_out.split())
    with pytest.raises(ValueError, match="span_frac"):
        LmInfill(model="x", span_frac=0)


def test_long_keyword_columns_never_exceed_the_context():
    """YAKE keyword phrases from add_features must not push a training sequence past n_positions."""
    from reviewaug.gan.model import preset
    from reviewaug.gan.tokenizer import train_tokenizer
    from reviewaug.gan.train import encode_corpus

    cfg = preset("tiny")
    texts = ["the strap is long and the tone is warm " * 6] * 20
    tok = train_tokenizer(texts, vocab_size=300)
    kws = [f"strap tone warm long phrase {i}" for i in range(8)]
    recs = [{"text": t, "rating": 5.0, "keywords": kws} for t in texts]
    cfg = type(cfg).from_dict({**cfg.to_dict(), "keyword_prob": 1.0})
    ex = encode_corpus(recs, tok, cfg, seed=0)
    assert ex and max(len(e.ids) for e in ex) <= cfg.n_positions
