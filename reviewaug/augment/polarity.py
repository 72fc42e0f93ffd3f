"""Skip VADER where an edit provably cannot change VADER's compound score (used by ``PolarityKept``).

VADER (``vaderSentiment``) splits a text on whitespace and scores it from lexicon, booster, negation and idiom
look-ups over those tokens, plus the count of ``!`` and ``?`` and which tokens are in capitals. An edit that keeps
the number of whitespace tokens and the ``!``/``?`` counts, and only replaces tokens that — before and after — are
in none of those lists, not in capitals and plain ASCII, leaves every look-up and therefore the compound score
exactly as it was. Typos and synonym swaps of protected-word-free positions are almost always such edits, so
:class:`~reviewaug.augment.constraints.PolarityKept` runs VADER only for the other rows, with the same
decisions at a fraction of the cost.

Example:
    >>> vader_unchanged("The tuner is great.", "The tunre is great.")
    True
    >>> vader_unchanged("The tuner is great.", "The tuner is grate.")
    False
"""

from __future__ import annotations

import string

__all__ = ["vader_unchanged"]

_TABLES: tuple[frozenset[str], dict[str, tuple[str, ...]]] | None = None


def _tables() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """(tokens VADER always looks up, {token: phrases that make it matter}).

    Always: lexicon, boosters, negations, "but", "no", "or", "nor", "least", "this", "so" and one-word special
    cases. Only in context: the words of multi-word idioms and boosters ("kind" of "kind of"), "doubt" of
    "without doubt", "at" and "very" of "at least"/"very least" — they matter only when the phrase is in the
    text.
    """
    global _TABLES
    if _TABLES is None:
        import vaderSentiment.vaderSentiment as v

        from reviewaug.features.sentiment import analyzer

        # "this" and "so" always: vaderSentiment 3.3.2's "never so/this" rule also fires without "never"
        # (operator precedence in _negation_check)
        always: set[str] = set(analyzer().lexicon) | {w.lower() for w in v.NEGATE}
        always |= {"but", "no", "least", "this", "so", "or", "nor"}
        context: dict[str, set[str]] = {}
        for table in (v.BOOSTER_DICT, v.SPECIAL_CASES, v.SENTIMENT_LADEN_IDIOMS):
            for key in table:
                parts = key.lower().split()
                if len(parts) == 1:
                    always.add(parts[0])
                else:
                    for w in parts:
                        context.setdefault(w, set()).add(key.lower())
        context.setdefault("doubt", set()).add("without")
        context.setdefault("at", set()).add("least")
        context.setdefault("very", set()).add("least")
        context.setdefault("kind", set()).add("kind of")
        context.setdefault("of", set()).add("kind of")
        _TABLES = (
            frozenset(always),
            {w: tuple(sorted(ps)) for w, ps in context.items() if w not in always},
        )
    return _TABLES


def _vader_token(token: str) -> str:
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def _irrelevant(token: str, always: frozenset[str], context: dict[str, tuple[str, ...]], text: str) -> bool:
    if not token.isascii() or token.isupper():
        return False
    low = token.lower()
    v = _vader_token(token).lower()
    if low in always or v in always or "n't" in low:
        return False
    for w in {low, v}:
        if w in context and any(p in text for p in context[w]):
            return False
    return True


def vader_unchanged(before: str, after: str) -> bool:
    """True when VADER's compound score of ``after`` is certainly the one of ``before`` (see the module doc);
    False means "not known", not "changed".

    Example:
        >>> vader_unchanged("not bad", "not bad at all")
        False
    """
    if before == after:
        return True
    if before.count("!") != after.count("!") or before.count("?") != after.count("?"):
        return False
    wb, wa = before.split(), after.split()
    if len(wb) != len(wa):
        return False
    always, context = _tables()
    text = f"{before.lower()} \n {after.lower()}"
    for x, y in zip(wb, wa):
        if x != y and not (_irrelevant(x, always, context, text) and _irrelevant(y, always, context, text)):
            return False
    return True
