"""Reversible tokenization for word-level edits.

``split_tokens`` cuts a text into words, punctuation and whitespace so that ``"".join(tokens) == text``;
word-level ops edit the word tokens and join the list back.

Example:
    >>> toks = split_tokens("Don't buy it, really!")
    >>> "".join(toks) == "Don't buy it, really!"
    True
    >>> [t for t in toks if is_word(t)]
    ["Don't", 'buy', 'it', 'really']
"""

from __future__ import annotations

import re

__all__ = ["split_tokens", "word_tokens", "is_word", "word_indices", "join_words", "match_case"]

# a word: letters/digits with inner apostrophes or hyphens; anything else non-space is punctuation. Combining
# marks (decomposed accents: "nai\u0308ve"), zero-width (non-)joiners and spaces, the word joiner and the soft
# hyphen after a letter belong to its word, so no op ever splits a word there
_IN_WORD = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200b-\u200d\u2060\u00ad"
_W = rf"\w[\w{_IN_WORD}]*"
_TOKEN = re.compile(rf"{_W}(?:['’\-]{_W})*|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)
_WORDS = re.compile(rf"{_W}(?:['’\-]{_W})*", re.UNICODE)  # the word alternative of _TOKEN


def split_tokens(text: str) -> list[str]:
    """Split ``text`` into word, whitespace and punctuation tokens; joining them gives ``text`` back.

    Example:
        >>> split_tokens("a  b.")
        ['a', '  ', 'b', '.']
    """
    return _TOKEN.findall(text)


def word_tokens(text: str) -> list[str]:
    """The word tokens of ``text``, as ``[t for t in split_tokens(text) if is_word(t)]`` gives them, in one pass.

    Example:
        >>> word_tokens("Don't buy it, really!")
        ["Don't", 'buy', 'it', 'really']
    """
    return _WORDS.findall(text)


def is_word(token: str) -> bool:
    """True when ``token`` is a word (has a letter or digit).

    Example:
        >>> is_word("ok"), is_word(", ")
        (True, False)
    """
    return bool(_WORD.search(token)) and not token.isspace()


def word_indices(tokens: list[str]) -> list[int]:
    """Positions of the word tokens in ``tokens``.

    Example:
        >>> word_indices(["a", " ", "b"])
        [0, 2]
    """
    return [i for i, t in enumerate(tokens) if is_word(t)]


def join_words(words: list[str]) -> str:
    """Join words with single spaces, attaching punctuation to the word before it.

    Example:
        >>> join_words(["good", ",", "cheap", "."])
        'good, cheap.'
    """
    out: list[str] = []
    for w in words:
        if out and (is_word(w) or w in "([{\"'") and out[-1] not in "([{":
            out.append(" ")
        elif out and not is_word(w) and w in "([{":
            out.append(" ")
        out.append(w)
    return "".join(out)


def match_case(template: str, word: str) -> str:
    """Give ``word`` the capitalization pattern of ``template``.

    Example:
        >>> match_case("Great", "fine"), match_case("LOUD", "noisy"), match_case("ok", "Fine")
        ('Fine', 'NOISY', 'fine')
    """
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower() if template.islower() else word
