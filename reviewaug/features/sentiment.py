"""Sentiment features from VADER (Hutto & Gilbert, ICWSM 2014), whose lexicon ships inside ``vaderSentiment``.

Example:
    >>> polarity_scores(["Great strings, love them.", "Broke in a week. Awful."]).round(2).tolist()
    [0.85, -0.7]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["analyzer", "polarity_scores", "sentiment_modifiers", "sentiment_words", "NEGATIONS"]

_ANALYZER = None
_MODIFIERS: frozenset[str] | None = None
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")

# negation cues; VADER's own list (vaderSentiment.NEGATE) plus the common apostrophe-free spellings
NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor nowhere without hardly barely scarcely cannot cant
    dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt havent hasnt hadnt aint
    don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't
    ain't can't n't""".split()
)


def analyzer():  # noqa: ANN201 - vaderSentiment's SentimentIntensityAnalyzer
    """VADER's analyzer, loaded once per process.

    Example:
        >>> analyzer().lexicon["great"]
        3.1
    """
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = _windowed_analyzer_class()()
    return _ANALYZER


def _windowed_analyzer_class() -> type:
    """VADER's analyzer with two of its rules handed only the words they read.

    vaderSentiment's ``_negation_check`` and ``_special_idioms_check`` lowercase the whole review each time they
    are called — up to four times per lexicon word — which makes a review's score quadratic in its length (tens
    of milliseconds for a long review). They only read the three words before and the two after the lexicon
    word, so this subclass passes them that window; every score stays exactly VADER's
    (``tests/test_core_features.py`` compares the two on real and generated reviews).
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as Base

    class WindowedAnalyzer(Base):
        def _negation_check(self, valence, words_and_emoticons, start_i, i):  # noqa: ANN001, ANN202
            lo = max(0, i - 3)  # reads words[i-3 .. i-1]; VADER calls it with i > start_i
            return Base._negation_check(valence, words_and_emoticons[lo : i + 1], start_i, i - lo)

        def _special_idioms_check(self, valence, words_and_emoticons, i):  # noqa: ANN001, ANN202
            lo = max(0, i - 3)  # reads words[i-3 .. i+2]; VADER calls it with i >= 3
            return Base._special_idioms_check(valence, words_and_emoticons[lo : i + 3], i - lo)

    return WindowedAnalyzer


def polarity_scores(texts: Sequence[str | None]) -> np.ndarray:
    """VADER compound polarity (−1..1) of each text; ``None`` and empty texts score 0.

    Example:
        >>> polarity_scores(["", None]).tolist()
        [0.0, 0.0]
    """
    a = analyzer()
    return np.array(
        [a.polarity_scores(t)["compound"] if t and t.strip() else 0.0 for t in texts], dtype=float
    )


def sentiment_words(text: str | None) -> list[str]:
    """The lowercased words of ``text`` that VADER's lexicon gives a valence, in order, without repeats.

    Example:
        >>> sentiment_words("Good tone but the case is ugly and weak. Good price!")
        ['good', 'ugly', 'weak']
    """
    if not text:
        return []
    lex = analyzer().lexicon
    seen: dict[str, None] = {}
    for w in _WORD.findall(text):
        lw = w.lower().replace("’", "'")
        if lw in lex and lw not in seen:
            seen[lw] = None
    return list(seen)


def sentiment_modifiers() -> frozenset[str]:
    """Words that scale or re-weight the sentiment around them: VADER's one-word boosters and dampeners
    ("very", "extremely", "barely", "slightly", …) and the contrast word "but" (VADER weights the part after it
    1.5× and the part before 0.5×). Editing them changes how strongly a review says what it says.

    Example:
        >>> {"very", "but", "slightly"} <= sentiment_modifiers(), "guitar" in sentiment_modifiers()
        (True, False)
    """
    global _MODIFIERS
    if _MODIFIERS is None:
        import vaderSentiment.vaderSentiment as v

        words = {k.lower() for k in v.BOOSTER_DICT if " " not in k}
        _MODIFIERS = frozenset(words | {"but"})
    return _MODIFIERS
