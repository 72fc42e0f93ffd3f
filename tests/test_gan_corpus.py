"""GAN data preparation on the real corpus: temporal split and tokenizer (skipped when the corpus is absent)."""

from __future__ import annotations

import pytest

pytest.importorskip("transformers")

from reviewaug.gan.model import preset  # noqa: E402
from reviewaug.gan.tokenizer import RATING_TOKENS, decode_text, train_tokenizer  # noqa: E402
from reviewaug.gan.train import as_records, encode_corpus, temporal_split  # noqa: E402

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def records() -> list[dict]:
    from reviewaug.io import default_corpus_path, load_reviews

    try:
        path = default_corpus_path()
    except FileNotFoundError:
        pytest.skip("real corpus not present")
    return as_records(load_reviews(path))


def test_temporal_split_of_the_real_corpus(records: list[dict]) -> None:
    train, test = temporal_split(records, 0.1)
    assert len(train) + len(test) == len(records) == 10261
    assert 0.09 <= len(test) / len(records) <= 0.12
    assert max(r["timestamp"] for r in train) < min(r["timestamp"] for r in test)
    assert not {r["review_id"] for r in train} & {r["review_id"] for r in test}


def test_tokenizer_and_encoding_on_real_reviews(records: list[dict]) -> None:
    train, _ = temporal_split(records, 0.1)
    texts = [r["text"] for r in train[:2000]]
    tok = train_tokenizer(texts, vocab_size=1000)
    assert len(tok) == 1000
    cfg = preset("quick")
    ex = encode_corpus(train[:500], tok, cfg, seed=0)
    assert len(ex) == sum(1 for r in train[:500] if r["text"].strip())
    assert all(len(e.ids) - e.prompt_len <= cfg.max_text_tokens for e in ex)
    assert all(tok.convert_ids_to_tokens(e.ids[0]) in RATING_TOKENS for e in ex)
    with_kw = sum(e.prompt_len > 2 for e in ex) / len(ex)
    assert 0.35 < with_kw < 0.65  # keyword_prob = 0.5
    # byte-level BPE round-trips review text exactly when it is not cut
    from reviewaug.gan.tokenizer import encode_example

    shorts = [r["text"].strip() for r in train[:400] if r["text"].strip() and len(r["text"]) < 150][:50]
    assert len(shorts) >= 10
    for t in shorts:
        ids, plen = encode_example(tok, t, 5, (), max_text_tokens=200)
        assert decode_text(tok, ids[plen:]) == t
