"""Quality measures of augmented text against its source: polarity flips, keyword survival, MiniLM similarity,
distinct-n and edit rate — the columns of ``benchmarks/augment_quality.py``.

Example:
    >>> keyword_survival([["great product"]], ["Great product.Works well"], ["great.  product! works well"])
    1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reviewaug.augment.constraints import edit_rate, polarity_flipped
from reviewaug.augment.tokens import is_word, split_tokens

__all__ = ["keyword_survival", "distinct_n", "flip_rate", "mean_edit_rate", "quality_row"]


def _words(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in split_tokens(text or "") if is_word(t)]


def _contains(hay: list[str], needle: list[str]) -> bool:
    if not needle:
        return True
    n = len(needle)
    first = needle[0]
    return any(hay[i] == first and hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def keyword_survival(keywords: Sequence[Sequence[str]], before: Sequence[str], after: Sequence[str]) -> float:
    """Share of (row, keyword) pairs present in the source whose words still appear, in order and adjacent, in
    the augmented text (case and punctuation ignored: YAKE keywords of "great product.Works" keep the dot).

    Example:
        >>> keyword_survival([["strap"]], ["nice strap"], ["nice strpa"])
        0.0
    """
    kept = total = 0
    for kws, b, a in zip(keywords, before, after):
        wb, wa = _words(b), _words(a)
        for kw in kws or ():
            k = _words(kw)
            if not k or not _contains(wb, k):
                continue
            total += 1
            kept += _contains(wa, k)
    return kept / total if total else 1.0


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Distinct-n (Li et al. 2016): distinct word n-grams / all word n-grams over ``texts``.

    Example:
        >>> distinct_n(["a b a b"], 1), distinct_n(["a b a b"], 2)
        (0.5, 0.6666666666666666)
    """
    seen: set[tuple[str, ...]] = set()
    total = 0
    for t in texts:
        w = _words(t)
        grams = [tuple(w[i : i + n]) for i in range(len(w) - n + 1)]
        total += len(grams)
        seen.update(grams)
    return len(seen) / total if total else 0.0


def flip_rate(
    before_polarity: Sequence[float], after_polarity: Sequence[float], margin: float = 0.05
) -> float:
    """Share of rows whose VADER compound changed sign beyond ``margin``.

    Example:
        >>> flip_rate([0.5, 0.5], [-0.5, 0.4])
        0.5
    """
    b, a = np.asarray(before_polarity, dtype=float), np.asarray(after_polarity, dtype=float)
    return float(polarity_flipped(b, a, margin).mean()) if len(b) else 0.0


def mean_edit_rate(before: Sequence[str], after: Sequence[str]) -> float:
    """Mean word edit rate (:func:`~reviewaug.augment.constraints.edit_rate`) over rows.

    Example:
        >>> mean_edit_rate(["a b c d"], ["a x c d"])
        0.25
    """
    rates = [edit_rate(b, a) if b != a else 0.0 for b, a in zip(before, after)]
    return float(np.mean(rates)) if rates else 0.0


def quality_row(
    before: Sequence[str],
    after: Sequence[str],
    keywords: Sequence[Sequence[str]],
    *,
    similarity: bool = True,
    margin: float = 0.05,
) -> dict[str, float]:
    """All quality measures for one augmenter's output.

    Example:
        >>> quality_row(["good strap"], ["good strap"], [["strap"]], similarity=False)["changed"]
        0.0
    """
    from reviewaug.features import polarity_scores

    pb, pa = polarity_scores(before), polarity_scores(after)
    row = {
        "changed": float(np.mean([b != a for b, a in zip(before, after)])) if before else 0.0,
        "flip_rate": flip_rate(pb, pa, margin),
        "keyword_survival": keyword_survival(keywords, before, after),
        "distinct_1": distinct_n(after, 1),
        "distinct_2": distinct_n(after, 2),
        "edit_rate": mean_edit_rate(before, after),
    }
    if similarity:
        from reviewaug.augment.similarity import cosine_similarities

        row["similarity"] = float(np.mean(cosine_similarities(before, after))) if before else 1.0
    return row
