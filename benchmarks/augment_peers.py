"""Peer augmenters (nlpaug, textaugment) set up to run offline, for the augment benchmarks.

Both peers expect nltk data they would download at run time. Here they get the same offline WordNet that
reviewaug uses (``reviewaug.resources.load_wordnet``); nlpaug's synonym augmenter also wants nltk's averaged
perceptron tagger, which is not available offline, so it gets spaCy's ``en_core_web_sm`` Penn tags instead (the
tagger reviewaug uses); textaugment wants nltk's English stop words, so it gets spaCy's list. ``nltk.download``
is replaced by a function that refuses, so nothing touches the network.

Each peer is a callable ``texts -> list[str]``; ``None`` with a reason when the package is missing.

    from benchmarks.augment_peers import peers
    for name, fn in peers(rate=0.1).items(): ...
"""

from __future__ import annotations

import sys
from collections.abc import Callable

PeerFn = Callable[[list[str]], list[str]]


def _offline_nltk() -> None:
    import nltk

    def refuse(*args: object, **kwargs: object) -> bool:
        return False

    nltk.download = refuse


def _spacy_pos_tag(tokens: list[str]) -> list[tuple[str, str]]:
    from spacy.tokens import Doc

    from reviewaug.augment.synonyms import load_tagger

    nlp = load_tagger()
    words = [t for t in tokens if t and not t.isspace()]
    doc = nlp(Doc(nlp.vocab, words=words)) if words else []
    tags = {i: t.tag_ for i, t in enumerate(doc)}
    out, k = [], 0
    for t in tokens:
        if t and not t.isspace():
            out.append((t, tags.get(k, "NN")))
            k += 1
        else:
            out.append((t, ""))
    return out


def nlpaug_peers(rate: float) -> dict[str, PeerFn]:
    """nlpaug's synonym (WordNet), keyboard, word swap and word delete augmenters at word rate ``rate``."""
    import nlpaug.augmenter.char as nac
    import nlpaug.augmenter.word as naw

    from reviewaug.resources import load_wordnet

    _offline_nltk()
    wn_mod = sys.modules["nlpaug.model.word_dict.wordnet"]
    wn_mod.wordnet = load_wordnet()
    wn_mod.WordNet.pos_tag = classmethod(lambda cls, tokens: _spacy_pos_tag(list(tokens)))
    big = 10_000
    syn = naw.SynonymAug(aug_src="wordnet", aug_p=rate, aug_max=big)
    syn_default = naw.SynonymAug(aug_src="wordnet")  # the library's defaults: aug_p=0.3, aug_max=10
    kb = nac.KeyboardAug(aug_char_max=1, aug_char_p=1.0, aug_word_p=rate, aug_word_max=big, min_char=2)
    swap = naw.RandomWordAug(action="swap", aug_p=rate, aug_max=big)
    delete = naw.RandomWordAug(action="delete", aug_p=rate, aug_max=big)

    def run(aug: object) -> PeerFn:
        def fn(texts: list[str]) -> list[str]:
            out = []
            for t in texts:
                r = aug.augment(t) if t.strip() else [t]
                out.append(r[0] if isinstance(r, list) and r else (r or t))
            return out

        return fn

    return {
        "nlpaug.synonym": run(syn),
        "nlpaug.synonym(default)": run(syn_default),
        "nlpaug.keyboard": run(kb),
        "nlpaug.word_swap": run(swap),
        "nlpaug.word_delete": run(delete),
    }


def textaugment_peers(rate: float) -> dict[str, PeerFn]:
    """textaugment's EDA synonym replacement, random swap, random deletion and AEDA, at word rate ``rate``."""
    _offline_nltk()
    import textaugment.eda as te
    from spacy.lang.en.stop_words import STOP_WORDS
    from textaugment import AEDA

    from reviewaug.resources import load_wordnet

    te.wordnet = load_wordnet()
    eda = te.EDA(stop_words=sorted(STOP_WORDS), random_state=0)
    aeda = AEDA(random_state=0)

    def n_of(t: str) -> int:
        return max(1, int(round(rate * len(t.split()))))

    def guard(fn: Callable[[str], str], min_words: int = 2) -> PeerFn:
        return lambda texts: [fn(t) if len(t.split()) >= min_words else t for t in texts]

    return {
        "textaugment.synonym": guard(lambda t: eda.synonym_replacement(t, n=n_of(t))),
        "textaugment.word_swap": guard(lambda t: eda.random_swap(t, n=n_of(t))),
        "textaugment.word_delete": guard(lambda t: eda.random_deletion(t, p=rate)),
        "textaugment.aeda": guard(aeda.punct_insertion, min_words=3),  # crashes below 3 words
    }


def peers(rate: float) -> tuple[dict[str, PeerFn], dict[str, str]]:
    """All peers that can run here, and for the others the reason they cannot."""
    found: dict[str, PeerFn] = {}
    missing: dict[str, str] = {}
    for name, make in (("nlpaug", nlpaug_peers), ("textaugment", textaugment_peers)):
        try:
            found.update(make(rate))
        except Exception as e:  # noqa: BLE001 - a peer that fails to set up is reported, not fatal
            missing[name] = f"{type(e).__name__}: {e}"
    return found, missing


def corpus_with_features():  # noqa: ANN201 - a datasets.Dataset
    """The real corpus with ``polarity``, ``keywords`` and ``sentiment_words``, computed once and kept under the
    reviewaug cache folder (keyed by the corpus file's size and mtime)."""
    import datasets

    from reviewaug.features import add_features
    from reviewaug.io import default_corpus_path, load_reviews
    from reviewaug.resources import cache_dir

    path = default_corpus_path()
    st = path.stat()
    where = cache_dir() / "bench" / f"features-{st.st_size}-{st.st_mtime_ns}"
    if where.exists():
        return datasets.load_from_disk(str(where))
    ds = add_features(load_reviews(str(path)), num_proc=2, progress=False)
    ds.save_to_disk(str(where))
    return ds
