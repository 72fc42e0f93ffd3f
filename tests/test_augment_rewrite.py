"""Rewrites: rules keep words and polarity; model rewrite is per-row deterministic; retrieval keeps the item and
polarity; the similarity guard falls back to the source."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment import rewrite as rw
from reviewaug.augment.core import Row
from reviewaug.augment.tokens import is_word, split_tokens
from reviewaug.features import polarity_scores

TEXT = (
    "I bought this for my son. It works great. The strings are cheap and sturdy. "
    "Because it is light, I take it everywhere. But the case isn't great."
)


def bag(text):
    return Counter(t.lower() for t in split_tokens(text) if is_word(t))


def test_split_sentences():
    assert rw.split_sentences("Works. It is loud!  Buy it?") == ["Works.", "It is loud!", "Buy it?"]
    assert rw.split_sentences("") == []


def test_sentence_reorder_keeps_sentences_and_glues_dependents():
    text = TEXT + " Shipping was quick. My teacher liked the sound."
    outs = {rw.sentence_reorder(text, np.random.default_rng(s)) for s in range(12)}
    assert len(outs) > 2 and text not in outs
    for out in outs:
        assert sorted(rw.split_sentences(out)) == sorted(rw.split_sentences(text))
        assert "I bought this for my son. It works great." in out  # "It ..." stays after its sentence
        assert "I take it everywhere. But the case" in out
    assert rw.sentence_reorder("Only one sentence.", np.random.default_rng(0)) == "Only one sentence."


def test_contractions_both_ways():
    g = np.random.default_rng(0)
    assert rw.contractions("I can't say it's bad.", g, mode="expand") == "I cannot say it is bad."
    assert rw.contractions("It's been fine.", g, mode="expand") == "It has been fine."
    assert rw.contractions("I am sure it is not bad.", g, mode="contract") == "I'm sure it's not bad."
    assert rw.contractions("DON'T", g, mode="expand") == "DO NOT"
    for s in range(6):
        out = rw.contractions(TEXT, np.random.default_rng(s))
        assert out != TEXT
        assert np.sign(polarity_scores([out])[0]) == np.sign(polarity_scores([TEXT])[0])
    with pytest.raises(ValueError):
        rw.contractions("x", g, mode="sideways")


def test_clause_reorder():
    g = np.random.default_rng(0)
    assert rw.clause_reorder("Because it is light, I take it everywhere.", g) == (
        "I take it everywhere because it is light."
    )
    assert rw.clause_reorder("I take it everywhere because it is light.", g) == (
        "Because it is light, I take it everywhere."
    )
    assert rw.clause_reorder("The strings are cheap and sturdy.", g) == "The strings are sturdy and cheap."
    # verbs are not coordinated adjectives: order of events must not change
    assert rw.clause_reorder("I tuned and played.", g) == "I tuned and played."
    for s in range(5):
        out = rw.clause_reorder(TEXT, np.random.default_rng(s))
        assert bag(out) == bag(TEXT)


def test_summary_recombine():
    outs = {rw.summary_recombine("Holds tune.", "Solid tuner", np.random.default_rng(s)) for s in range(8)}
    assert outs == {"Solid tuner. Holds tune.", "Holds tune. Solid tuner."}
    assert rw.summary_recombine("Solid tuner, holds tune.", "solid tuner", np.random.default_rng(0)) == (
        "Solid tuner, holds tune."
    )
    aug = rw.SummaryRecombine()
    row = Row.make("Fine.", features={"summary": "Good"}, review_id="a")
    assert aug(["Fine."], [row])[0] in ("Good. Fine.", "Fine. Good.") and row.ops == ["summary_mix"]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=150), st.integers(0, 2**32 - 1))
def test_rules_fuzzed_keep_words(text, seed):
    for fn in (rw.sentence_reorder, rw.clause_reorder):
        out = fn(text, np.random.default_rng(seed))
        assert isinstance(out, str)
        assert bag(out) == bag(text) or not text.strip()
    assert isinstance(rw.contractions(text, np.random.default_rng(seed)), str)


# ------------------------------------------------------------------------------------------ tiny models

SYNTH = [
    "the strap is strong and the buckle holds well .",
    "these strings sound bright and stay in tune .",
    "the tuner is fast and easy to read on stage .",
    "the cable is quiet and the jack fits snug .",
    "my capo does not buzz and moves quickly .",
] * 20


def _tokenizer(path):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.train_from_iterator(
        SYNTH, trainers.WordLevelTrainer(special_tokens=["<pad>", "<unk>", "<eos>", "<bos>"])
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>", eos_token="<eos>", bos_token="<bos>"
    )
    fast.save_pretrained(path)
    return fast


@pytest.fixture(scope="module")
def tiny_causal(tmp_path_factory):
    pytest.importorskip("transformers")
    from transformers import GPT2Config, GPT2LMHeadModel

    path = tmp_path_factory.mktemp("tiny-gpt2")
    tok = _tokenizer(path)
    cfg = GPT2Config(vocab_size=len(tok), n_positions=64, n_embd=32, n_layer=1, n_head=2,
                     bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)  # fmt: skip
    GPT2LMHeadModel(cfg).save_pretrained(path)
    return str(path)


@pytest.fixture(scope="module")
def tiny_seq2seq(tmp_path_factory):
    pytest.importorskip("transformers")
    from transformers import T5Config, T5ForConditionalGeneration

    path = tmp_path_factory.mktemp("tiny-t5")
    tok = _tokenizer(path)
    cfg = T5Config(vocab_size=len(tok), d_model=32, d_kv=8, d_ff=64, num_layers=1, num_heads=2,
                   pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                   decoder_start_token_id=tok.pad_token_id)  # fmt: skip
    T5ForConditionalGeneration(cfg).save_pretrained(path)
    return str(path)


def _rows(texts, seed=0):
    return [Row.make(t, seed=seed, review_id=f"r{i}") for i, t in enumerate(texts)]


def test_rewrite_needs_a_model_path():
    with pytest.raises(ValueError, match="model=PATH"):
        rw.Rewrite()
    from reviewaug.resources import ResourceMissing

    with pytest.raises(ResourceMissing, match="does not exist"):
        rw.Rewrite(model="/nonexistent/model")(["x"], _rows(["x"]))


def test_causal_rewrite_deterministic_per_row(tiny_causal):
    texts = [SYNTH[0], SYNTH[1], "", SYNTH[2]]
    aug = rw.Rewrite(model=tiny_causal, keep=0.5, max_new_tokens=8, batch_size=4)
    a = aug(texts, _rows(texts, seed=1))
    b = aug(texts, _rows(texts, seed=1))
    assert a == b
    assert a[2] == ""
    for src, out in zip(texts, a):
        if src:
            kept = " ".join(src.split()[: max(1, int(len(src.split()) * 0.5))])
            assert out.startswith(kept)
    # the same row alone, in a batch of one, gives the same text
    alone = rw.Rewrite(model=tiny_causal, keep=0.5, max_new_tokens=8, batch_size=1)(
        [texts[1]], [_rows(texts, 1)[1]]
    )
    assert alone[0] == a[1]
    c = aug(texts, _rows(texts, seed=2))
    assert c != a  # a different seed samples differently


def test_prompt_fields_feed_the_model_not_the_output(tiny_causal):
    text = SYNTH[4]
    row = Row.make(text, seed=0, review_id="p", features={"rating": 4.4, "keywords": ["capo", "buzz"]})
    aug = rw.Rewrite(model=tiny_causal, prompt="<bos> {stars} {keywords} {text}", keep=0.5, max_new_tokens=5)
    prompts, kept = aug._prompts([text], [row], False, "continue")
    assert prompts == ["<bos> 4 capo, buzz my capo does not"] and kept == ["my capo does not"]
    out = aug([text], [row])[0]
    assert out.startswith("my capo does not") and "<bos>" not in out


def test_seq2seq_rewrite_runs(tiny_seq2seq):
    texts = [SYNTH[0], SYNTH[3]]
    aug = rw.Rewrite(model=tiny_seq2seq, max_new_tokens=6)
    a = aug(texts, _rows(texts))
    assert a == aug(texts, _rows(texts))
    assert len(a) == 2 and all(isinstance(x, str) for x in a)
    with pytest.raises(ValueError, match="causal"):
        rw.Rewrite(model=tiny_seq2seq, mode="continue")(texts, _rows(texts))


# ------------------------------------------------------------------------------------- retrieval + guard


@pytest.fixture
def synth_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWAUG_CACHE", str(tmp_path / "cache"))
    rows = [
        ("a1", "i1", "The strap is comfortable on long gigs. The buckle is strong and holds firmly."),
        ("a2", "i1", "The buckle holds firmly and feels strong. I wear it for hours."),
        ("a3", "i1", "The buckle broke on day two and it is awful. Shipping was quick."),
        ("b1", "i2", "These strings sound warm and bright. They stay in tune for weeks."),
    ]
    path = tmp_path / "corpus.jsonl"
    with path.open("w") as f:
        for rid, item, text in rows:
            f.write(json.dumps({"review_id": rid, "user_id": "u", "item_id": item, "rating": 4.0, "text": text,
                                "summary": "", "timestamp": 1}) + "\n")  # fmt: skip
    return path


def test_retrieval_rewrite_same_item_same_polarity(synth_corpus):
    pytest.importorskip("sentence_transformers")
    text = "The strap is comfortable on long gigs. The buckle is strong and holds firmly."
    aug = rw.RetrievalRewrite(corpus=str(synth_corpus), min_similarity=0.3)
    feats = {"item_id": "i1", "review_id": "a1"}
    outs = []
    for seed in range(6):
        row = Row(rng=np.random.default_rng(seed), features=feats, original=text)
        out = aug([text], [row])[0]
        outs.append(out)
        if out != text:
            assert row.ops == ["retrieval"]
            new = [s for s in rw.split_sentences(out) if s not in rw.split_sentences(text)]
            assert new and all("broke" not in s and "strings" not in s for s in new)  # same item, same sign
    assert any(o != text for o in outs)
    # the embeddings were written to the cache and are read back
    cached = list((synth_corpus.parent / "cache" / "retrieval").rglob("*.npz"))
    assert cached
    # a row of an item the corpus lacks is left alone
    row = Row(rng=np.random.default_rng(0), features={"item_id": "zzz"}, original=text)
    assert aug([text], [row]) == [text] and row.ops == []


def test_similarity_guard_falls_back():
    pytest.importorskip("sentence_transformers")
    from reviewaug.augment.constraints import Guarded
    from reviewaug.augment.core import RowWise
    from reviewaug.augment.similarity import SimilarityKept, cosine_similarities

    class Replace(RowWise):
        name = "replace"

        def apply(self, text, row):
            return "Completely unrelated words about cooking pasta." if "tuner" in text else text + "!"

    texts = ["The tuner locks fast.", "Strings sound bright."]
    rows = _rows(texts)
    out = Guarded(Replace(), checks=(SimilarityKept(0.8),))(texts, rows)
    assert out == ["The tuner locks fast.", "Strings sound bright.!"]
    assert rows[0].ops == ["fallback:similarity"] and rows[1].ops == ["replace"]
    sims = cosine_similarities(["a b", "good strings"], ["a b", "good strings!"])
    assert sims[0] == 1.0 and 0.8 < sims[1] <= 1.0 + 1e-6


def test_a_retrieval_cache_that_cannot_be_written_warns_once_and_the_rewrite_goes_on(tmp_path, monkeypatch):
    """Embeddings that cannot be kept on disk (read-only cache, no home folder) stay in the process: one warning
    names REVIEWAUG_CACHE, nothing raises; a writable folder gets one file per item."""
    import warnings

    monkeypatch.setattr(rw, "_SAVE_WARNED", False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = {"i1": ([("r1", "It works.")], np.ones((1, 4), dtype=np.float32), np.zeros(1))}
    with pytest.warns(RuntimeWarning, match="REVIEWAUG_CACHE"):
        rw._save_items(blocker / "retrieval", ["i1"], cache)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second failure is silent
        rw._save_items(blocker / "retrieval", ["i1"], cache)
    rw._save_items(tmp_path / "ok", ["i1"], cache)
    assert len(list((tmp_path / "ok").glob("*.npz"))) == 1
