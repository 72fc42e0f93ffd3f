"""Count-matched random controls: text that adds volume but no information about the source review.

* :func:`random_word_texts` / :func:`random_words_fn` — for the sentiment benchmark: each copy is as many
  words as its source, drawn from the training pool's word distribution; the copy keeps the source label.
* :func:`other_item_texts` — for the recommender: each extra (item, text) pair is replaced by a training
  review of a *different* item, so the count per item matches the real arm but the content is unrelated.

All draws come from generators seeded by ``(seed, id)``; nothing here imports :mod:`reviewaug.augment`.

Example:
    >>> out = random_word_texts(["good strings here"], ["r1"], 2, seed=0, vocab_texts=["a b c d e f"])
    >>> len(out), [len(t.split()) for t in out[0]]
    (1, [3, 3])
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["other_item_texts", "random_word_texts", "random_words_fn"]


def _rng(seed: int, key: str) -> np.random.Generator:
    h = int.from_bytes(hashlib.blake2b(str(key).encode("utf-8"), digest_size=8).digest(), "little")
    return np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFFFFFFFFFF, h]))


def random_word_texts(
    texts: Sequence[str], ids: Sequence[str], n_copies: int, *, seed: int, vocab_texts: Sequence[str]
) -> list[list[str]]:
    """``n_copies`` random-word texts per source text, each as long as its source (at least one word).

    Words are drawn independently from the unigram distribution of ``vocab_texts``.

    Example:
        >>> random_word_texts(["x y"], ["r"], 1, seed=1, vocab_texts=["q"])
        [['q q']]
    """
    counts = Counter(w for t in vocab_texts for w in str(t).split())
    if not counts:
        raise ValueError("random_word_texts needs non-empty vocab_texts to draw words from")
    words = np.asarray(sorted(counts))
    p = np.asarray([counts[w] for w in words], dtype=np.float64)
    p /= p.sum()
    out = []
    for t, rid in zip(texts, ids):
        rng = _rng(seed, f"random-words:{rid}")
        n = max(1, len(str(t).split()))
        out.append([" ".join(rng.choice(words, size=n, p=p)) for _ in range(n_copies)])
    return out


def random_words_fn(
    vocab_texts: Sequence[str] | None = None,
) -> Callable[[list[str], list[str], np.ndarray, int, int], list[tuple[str, int, int]]]:
    """An ``augment_fn`` for :func:`reviewaug.evaluate.sentiment.run_sentiment` that adds random-word copies.

    Words come from ``vocab_texts``, or by default from the training texts the function is given (so the
    control never sees test text).

    Example:
        >>> import numpy as np
        >>> fn = random_words_fn()
        >>> [(lab, src) for _, lab, src in fn(["x y"], ["r"], np.array([1]), 2, 0)]
        [(1, 0), (1, 0)]
    """

    def augment(
        texts: list[str], ids: list[str], labels: np.ndarray, n_copies: int, seed: int
    ) -> list[tuple[str, int, int]]:
        vocab = texts if vocab_texts is None else vocab_texts
        copies = random_word_texts(texts, ids, n_copies, seed=seed, vocab_texts=vocab)
        return [(c, int(lab), i) for i, (cs, lab) in enumerate(zip(copies, labels)) for c in cs]

    return augment


def other_item_texts(
    extra_item_ids: Sequence[str],
    train_item_ids: Sequence[str],
    train_texts: Sequence[str],
    *,
    seed: int,
) -> list[tuple[str, str]]:
    """For each extra text's item, a training review text of a different item (count-matched control).

    Example:
        >>> other_item_texts(["a", "a"], ["a", "b"], ["about a", "about b"], seed=0)
        [('a', 'about b'), ('a', 'about b')]
    """
    pool_items = np.asarray([str(i) for i in train_item_ids], dtype=object)
    pool_texts = [str(t) for t in train_texts]
    usable = np.flatnonzero(np.asarray([bool(t.strip()) for t in pool_texts]))
    if len(usable) == 0:
        raise ValueError("other_item_texts needs at least one non-empty training text")
    out = []
    for k, item in enumerate(extra_item_ids):
        rng = _rng(seed, f"other-item:{item}:{k}")
        for _ in range(100):
            j = int(usable[rng.integers(len(usable))])
            if pool_items[j] != str(item):
                break
        else:
            raise ValueError(f"no training text of an item other than {item!r} to draw from")
        out.append((str(item), pool_texts[j]))
    return out
