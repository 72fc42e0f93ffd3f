"""Keywords with YAKE (Campos et al., Information Sciences 2020): unsupervised, per document, offline.

Example:
    >>> extract_keywords("The capo holds the strings firmly. This capo fits my acoustic guitar.", top_k=2)
    ['strings firmly', 'capo holds']
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["extract_keywords"]


@lru_cache(maxsize=8)
def _extractor(top_k: int, max_ngram: int):  # noqa: ANN202 - yake.KeywordExtractor
    import yake

    return yake.KeywordExtractor(lan="en", n=max_ngram, top=top_k, dedupLim=0.9)


def extract_keywords(text: str | None, *, top_k: int = 5, max_ngram: int = 2) -> list[str]:
    """The ``top_k`` YAKE keywords of ``text``, lowercased, best first; ``[]`` for empty text.

    Example:
        >>> extract_keywords("")
        []
    """
    if not text or not text.strip():
        return []
    try:
        pairs = _extractor(top_k, max_ngram).extract_keywords(text)
    except (ValueError, ZeroDivisionError, IndexError):  # degenerate texts (only punctuation, one char...)
        return []
    out: list[str] = []
    for kw, _score in pairs:
        k = kw.lower().strip()
        if k and k not in out:
            out.append(k)
    return out
