"""Constraints in TextAttack's spirit: which words may change before an edit, is the result faithful after it.

*Before*: :func:`protected_words` lists the words of a row that ops must leave alone (its keywords, its
sentiment words, negations, numbers and sentiment modifiers); :func:`is_protected` tells whether a token is one of them.

*After*: a :class:`Check` compares texts before and after an edit, vectorized over the batch.
:class:`Guarded` wraps an augmenter; each row that fails a check falls back to its text before the edit and
records ``fallback:<check>`` in its ops — it is never dropped.

Example:
    >>> from reviewaug.augment.core import Row
    >>> sorted(protected_words("I don't like 2 strings", {"keywords": ["strings"], "sentiment_words": ["like"]}))
    ['2', "don't", 'like', 'strings']
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, count, repeat
from operator import itemgetter, not_
from typing import Any, Protocol

import numpy as np

from reviewaug.augment.core import Augmenter, Row, _check_lengths, apply_to
from reviewaug.augment.polarity import ANCHOR, NEUTRAL, _classify, _tables
from reviewaug.augment.tokens import _WORDS, split_tokens, word_tokens
from reviewaug.features.sentiment import NEGATIONS, polarity_scores

_DIGIT = re.compile(r"\d")

__all__ = [
    "protected_words",
    "is_protected",
    "protected_mask",
    "editable_words",
    "free_words",
    "clear_text_caches",
    "Check",
    "PolarityKept",
    "EditRate",
    "Guarded",
    "edit_rate",
    "polarity_flipped",
]


def protected_words(
    text: str | None,
    features: Mapping[str, Any],
    *,
    keywords: bool = True,
    sentiment: bool = True,
    negations: bool = True,
    numbers: bool = True,
    modifiers: bool = True,
    extra: Sequence[str] = (),
) -> frozenset[str]:
    """The lowercased words of a row that edits must not change.

    Keywords (multi-word ones protect each of their words), sentiment words, negations, numbers and sentiment
    modifiers (intensifiers such as "very" and "barely", and "but":
    :func:`~reviewaug.features.sentiment.sentiment_modifiers`). ``extra`` adds words (for example product names).
    A hyphenated word of the text that holds one of them ("worry-free": the sentiment word "free") is protected
    whole, since the ops edit it as one word.

    Example:
        >>> sorted(protected_words("Not bad at all", {}, negations=True))
        ['not']
    """
    out: set[str] = {w.lower() for w in extra}
    if keywords:
        for kw in _words_feature(features, "keywords"):  # "strap.works" protects both words
            out.update(_keyword_words(kw))
    if sentiment:
        out.update(map(str.lower, _words_feature(features, "sentiment_words")))
    tokens = (
        word_tokens(text)
        if text and (negations or numbers or modifiers or "-" in text or "_" in text)
        else ()
    )
    if negations or numbers or modifiers:
        kinds = _memo_lookup(_WORD_KIND, tokens, _word_kind)  # ordinary words are memoized as ()
        for low, neg, num, mod in filter(None, kinds):
            if (negations and neg) or (numbers and num) or (modifiers and mod):
                out.add(low)
    if out and text and ("-" in text or "_" in text):  # "worry-free" holds the sentiment word "free"
        for tok in tokens:
            if "-" in tok or "_" in tok:
                low = tok.lower()
                if not out.isdisjoint(_PARTS.split(low.replace("’", "'"))):
                    out.add(low)
    return frozenset(out)


_PARTS = re.compile(r"[-_]")  # a word token's parts, as the keyword and sentiment features read words


# the switches of protected_words that a recipe's [protect] table or augment_dataset(protect=...) may set
PROTECT_KEYS = ("keywords", "sentiment", "negations", "numbers", "modifiers")


def check_protect(protect: Mapping[str, Any]) -> None:
    """Raise a ``ValueError`` unless ``protect`` maps some of :data:`PROTECT_KEYS` to True/False.

    Example:
        >>> check_protect({"keywords": False})
    """
    bad = {k: v for k, v in protect.items() if k not in PROTECT_KEYS or not isinstance(v, bool)}
    if bad:
        got = ", ".join(f"{k}={v!r}" for k, v in bad.items())
        raise ValueError(f"takes True/False for {', '.join(PROTECT_KEYS)}; got {got}")


def _words_feature(features: Mapping[str, Any], name: str) -> Sequence[str]:
    """A list-of-words feature: a lone string is one entry (not its letters); anything else but strings is an
    error naming the feature."""
    got = features.get(name) or ()
    if isinstance(got, str):
        return (got,)
    if not all(isinstance(w, str) for w in got):
        raise ValueError(f"feature {name!r} must be a list of strings, got {got!r}")
    return got


def _memo_lookup(memo: dict[str, Any], keys: list[str], make: Callable[[str], Any]) -> list[Any]:
    """``memo[k]`` for every key, looked up in C; missing ones are made and stored. The memo is cleared when it
    passes 500,000 entries (typo'd spellings keep coming)."""
    if len(memo) > 500_000:
        memo.clear()
    out = list(map(memo.get, keys))
    if None in out:
        for i, v in enumerate(out):
            if v is None:
                out[i] = memo[keys[i]] = make(keys[i])
    return out


@lru_cache(maxsize=65536)
def _keyword_words(keyword: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in word_tokens(keyword))


# word token -> (lowercased with ’ read as ', is a negation, holds a digit, is a sentiment modifier), or ()
# for a word that is none of those; memoized for protected_words
_WORD_KIND: dict[str, tuple] = {}


def _word_kind(tok: str) -> tuple:
    from reviewaug.features.sentiment import sentiment_modifiers

    low = tok.lower().replace("’", "'")
    neg = low in NEGATIONS or low.endswith("n't")
    num = any(c.isdigit() for c in tok)
    mod = low in sentiment_modifiers()
    return (low, neg, num, mod) if (neg or num or mod) else ()


def is_protected(token: str, protected: frozenset[str]) -> bool:
    """True when ``token`` must not be edited: it is listed, a negation, or holds a digit.

    Example:
        >>> is_protected("Strings", frozenset({"strings"})), is_protected("10mm", frozenset())
        (True, True)
    """
    low = token.lower()
    if low in protected or low in NEGATIONS:
        return True
    if "’" in low:  # typographic apostrophe: don’t == don't
        low = low.replace("’", "'")
        if low in protected or low in NEGATIONS:
            return True
    return low.endswith("n't") or _DIGIT.search(token) is not None


# token -> 0 not a word | 1 a word | 2 a word protected whatever the row (negation, n't, digit)
_TOKEN_KIND: dict[str, int] = {}


def _token_kind(token: str) -> int:
    # a word token starts with a word character (tokens._TOKEN); whitespace and punctuation never do
    if not (token[0].isalnum() or token[0] == "_"):
        return 0
    low = token.lower()
    norm = low.replace("’", "'")
    always = low in NEGATIONS or norm in NEGATIONS or norm.endswith("n't") or _DIGIT.search(token) is not None
    return 2 if always else 1


def protected_mask(text: str, protected: frozenset[str]) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` (:func:`~reviewaug.augment.tokens.split_tokens`) and a flag per token: 0 for
    whitespace and punctuation, 1 for a word that may change, 2 for a protected word (as :func:`is_protected`
    decides).

    What does not depend on the row (negations, digits) is memoized per token, the row's protected words are
    found by one set intersection, and the result is cached for the last few thousand ``(text, protected)``
    pairs: the ops of a recipe that left a text unchanged hand the next op the same text.

    Example:
        >>> protected_mask("not bad, 10mm", frozenset())
        (['not', ' ', 'bad', ',', ' ', '10mm'], [2, 0, 1, 0, 0, 2])
    """
    tokens, flags = _mask(text, _frozen(protected))
    return list(tokens), list(flags)


def editable_words(
    text: str, protected: frozenset[str], respect: bool = True, min_len: int = 1
) -> tuple[int, ...]:
    """Positions, in ``protected_mask(text, protected)[0]``, of the words an op may edit: unprotected words
    (every word when ``respect`` is False) of at least ``min_len`` characters. Cached like :func:`protected_mask`.

    Example:
        >>> editable_words("not bad, 10mm", frozenset())
        (2,)
    """
    return _editable(text, _frozen(protected), respect, min_len)


def clear_text_caches() -> None:
    """Forget the per-text caches (:func:`protected_mask`, :func:`editable_words`, the polarity guard's phrase
    checks, the synonym swap's spaCy tags). Benchmarks call it before each timed run, so a method is not timed
    on texts an earlier run cached.

    Example:
        >>> clear_text_caches()
    """
    import sys

    from reviewaug.augment.polarity import read_phrase_words

    read_phrase_words.cache_clear()
    _mask.cache_clear()
    _editable.cache_clear()
    synonyms = sys.modules.get("reviewaug.augment.synonyms")
    if synonyms is not None:
        synonyms._SPAN_TAGS.clear()


def _frozen(protected: frozenset[str] | set[str] | Sequence[str]) -> frozenset[str]:
    return protected if isinstance(protected, frozenset) else frozenset(protected)


@lru_cache(maxsize=4096)
def _mask(text: str, protected: frozenset[str]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    tokens = split_tokens(text)
    # the per-token work runs in C (map, set intersection) rather than in a Python loop
    flags = _memo_lookup(_TOKEN_KIND, tokens, _token_kind)
    if protected:
        lows = list(map(str.lower, tokens))
        hit = protected.intersection(lows)
        if "’" in text:  # typographic apostrophe: don’t == don't
            norms = [w.replace("’", "'") for w in lows]
            hit_norm = protected.intersection(norms)
            if hit_norm:
                hit = hit | {w for w, n in zip(lows, norms) if n in hit_norm}
        for i in compress(range(len(lows)), map(hit.__contains__, lows)) if hit else ():
            if flags[i] == 1:
                flags[i] = 2
    return tuple(tokens), tuple(flags)


@lru_cache(maxsize=4096)
def _editable(text: str, protected: frozenset[str], respect: bool, min_len: int) -> tuple[int, ...]:
    tokens, flags = _mask(text, protected)
    # flags: 0 not a word, 1 free word, 2 protected word; the flag scan runs in C, the length test only on words
    idx = compress(range(len(flags)), map((1).__eq__, flags) if respect else flags)
    if min_len > 1:
        return tuple([i for i in idx if len(tokens[i]) >= min_len])
    return tuple(idx)


# a piece of text between spaces -> (its words, the words that may be free, does it hold a VADER anchor), where
# a word is (start, end, word, lowercased, ’-normalized lowercase or None, is a phrase word such as the "the" of
# "the bomb", shape, plain); words protected in every row (negations, digits) and words VADER's rules read are
# never free. Plain: ASCII, longer than two characters, no "_" (VADER strips punctuation around such a word).
# Shape 2: the word is the whole piece (its whitespace token is the word, as is any word put in its place);
# 1: the piece's only word, plain, with nothing but ASCII punctuation around it (the token reads as the word:
# the same key, class and capitals, and so does any plain word put in its place); 0: anything else.
_Word = tuple[int, int, str, str, "str | None", bool, int, bool]
_PIECES: dict[str, tuple[tuple[_Word, ...], tuple[_Word, ...], bool]] = {}


def _read_piece(piece: str) -> tuple[tuple[_Word, ...], tuple[_Word, ...], bool]:
    """:func:`_piece_words` of a piece missing from the memo ``_PIECES``, stored there (the memo is cleared when
    it passes 500,000 entries: typo'd spellings keep coming). Callers look the memo up first, in line."""
    if len(_PIECES) > 500_000:
        _PIECES.clear()
    got = _PIECES[piece] = _piece_words(piece)
    return got


_TRAILING = frozenset(string.punctuation) - {"_"}  # ASCII punctuation that is never part of a word


def _piece_words(piece: str) -> tuple[tuple[_Word, ...], tuple[_Word, ...], bool]:
    if not piece:
        return (), (), False
    if piece.isascii():  # most pieces: one plain word, alone or with a mark after it ("cable,"): no regex
        word = (
            piece
            if piece.isalpha()
            else piece[:-1]
            if piece[-1:] in _TRAILING and piece[:-1].isalpha()
            else ""
        )
        if word:
            cls, key = _classify(word)
            n = len(word)
            shape = 2 if n == len(piece) else int(n > 2)
            entry = (0, n, word, word.lower(), None, key in _tables()[2], shape, n > 2)
            open_ = (entry,) if cls == NEUTRAL and _token_kind(word) != 2 else ()
            return (entry,), open_, (cls if n == len(piece) else _classify(piece)[0]) == ANCHOR
    words, open_ = [], []
    matches = list(_WORDS.finditer(piece))
    for m in matches:
        w = m.group()
        low = w.lower()
        norm = low.replace("’", "'")
        cls, key = _classify(w)
        plain = len(w) > 2 and w.isascii() and "_" not in w
        shape = 0
        if len(matches) == 1:
            affixes = piece[: m.start()] + piece[m.end() :]
            shape = 2 if not affixes else int(plain and not affixes.strip(string.punctuation))
        entry = (m.start(), m.end(), w, low, norm if norm != low else None, key in _tables()[2], shape, plain)
        words.append(entry)
        if _token_kind(w) != 2 and cls == NEUTRAL:
            open_.append(entry)
    anchor = any(_classify(t)[0] == ANCHOR for t in piece.split())
    return tuple(words), tuple(open_), anchor


def free_words(
    text: str, protected: frozenset[str], respect: bool = True
) -> tuple[list[str], list[tuple[int, _Word]], int, list[int]]:
    """The pieces of ``text`` between single spaces (``" ".join(pieces) == text``), a ``(piece, (start, end,
    word, ...))`` for each word an op may move or drop, the number of words, and the pieces that hold a word
    with a VADER valence (or "but").

    With ``respect`` a word is free when it is not protected (:func:`is_protected`) and VADER's rules do not
    read it in this text (a booster, "so", "this", the "the" of "the bomb"...): moving or dropping those would
    change the score the polarity guard must keep. Each distinct piece is read once per process (memoized) and
    the per-word work runs in C, so no whole text is tokenized.

    Example:
        >>> [(c, w[2]) for c, w in free_words("not so bad, cheap strap", frozenset({"bad"}))[1]]
        [(3, 'cheap'), (4, 'strap')]
    """
    pieces = text.split(" ")
    infos = _memo_lookup(_PIECES, pieces, _piece_words)
    per_piece = list(map(itemgetter(1 if respect else 0), infos))
    where = list(chain.from_iterable(map(repeat, range(len(pieces)), map(len, per_piece))))
    entries = list(chain.from_iterable(per_piece))
    n_words = sum(map(len, map(itemgetter(0), infos))) if respect else len(entries)
    anchors = list(compress(range(len(pieces)), map(itemgetter(2), infos)))
    if respect and entries:
        lows = list(map(itemgetter(3), entries))
        hit = protected.intersection(lows)
        if any(map(itemgetter(4), entries)):  # typographic apostrophes: don’t == don't
            hit |= {e[3] for e in entries if e[4] in protected}
        if any(map(itemgetter(5), entries)):  # a phrase word is read where its phrase occurs
            from reviewaug.augment.polarity import phrase_text, read_phrase_words

            hit |= read_phrase_words(phrase_text(text))
        if hit:
            keep = list(map(not_, map(hit.__contains__, lows)))
            where = list(compress(where, keep))
            entries = list(compress(entries, keep))
    return pieces, list(zip(where, entries)), n_words, anchors


class Check(Protocol):
    """A post-edit check: ``check(before, after, rows)`` gives a bool per row (True = keep the edit)."""

    name: str

    def __call__(self, before: Sequence[str], after: Sequence[str], rows: Sequence[Row]) -> np.ndarray: ...


def polarity_flipped(before: np.ndarray, after: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """True where the VADER compound changed sign beyond ``margin`` (|score| ≤ margin counts as neutral).

    Example:
        >>> polarity_flipped(np.array([0.6, 0.6, 0.0]), np.array([-0.3, 0.02, 0.9])).tolist()
        [True, False, False]
    """
    sb = np.where(before > margin, 1, np.where(before < -margin, -1, 0))
    sa = np.where(after > margin, 1, np.where(after < -margin, -1, 0))
    return (sb != 0) & (sa != 0) & (sb != sa)


@dataclass(frozen=True)
class PolarityKept:
    """Keep an edit when VADER polarity moved by at most ``tolerance`` and did not flip sign beyond ``margin``.

    With ``skip_unchanged`` VADER runs only on edits that could change its score: not on a row whose ops proved
    their edits keep it (:attr:`~reviewaug.augment.core.Row.vader_proofs`), nor where
    :func:`reviewaug.augment.polarity.vader_unchanged` proves it, and the source's score is read from the row's
    ``polarity`` feature when the text before the edit is the source; the decisions are the same.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> PolarityKept(0.3)(["I love it", "a nice tuner"], ["I hate it", "a nice tunre"],
        ...                   [Row.make("x"), Row.make("y")]).tolist()
        [False, True]
    """

    tolerance: float = 0.3
    margin: float = 0.05
    skip_unchanged: bool = True
    name: str = "polarity"

    def __post_init__(self) -> None:
        if not (self.tolerance >= 0 and self.margin >= 0):  # also False for NaN
            raise ValueError(
                f"PolarityKept needs tolerance >= 0 and margin >= 0, got {self.tolerance}, {self.margin}"
            )

    def __call__(self, before: Sequence[str], after: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        from reviewaug.augment.polarity import proved_unchanged, vader_unchanged

        ok = np.ones(len(before), dtype=bool)
        if self.skip_unchanged:  # a proof of one step (the common case) is read without a call
            todo = [
                i
                for i, b, a, r in zip(count(), before, after, rows)
                if not (
                    r.vader_proofs.get(a) == b
                    or proved_unchanged(r.vader_proofs, b, a)
                    or vader_unchanged(b, a)
                )
            ]
        else:
            todo = list(range(len(before)))
        if not todo:
            return ok
        known = {
            i: float(rows[i].features["polarity"])
            for i in todo
            if self.skip_unchanged
            and before[i] == rows[i].original
            and isinstance(rows[i].features.get("polarity"), float)
            and math.isfinite(rows[i].features["polarity"])  # a NaN score (missing) is computed here
        }
        rest = [i for i in todo if i not in known]
        scored = dict(zip(rest, polarity_scores([before[i] for i in rest]).tolist()))
        pb = np.array([known[i] if i in known else scored[i] for i in todo])
        pa = polarity_scores([after[i] for i in todo])
        ok[todo] = (np.abs(pa - pb) <= self.tolerance) & ~polarity_flipped(pb, pa, self.margin)
        return ok


def edit_rate(before: str, after: str) -> float:
    """Share of word tokens changed: 1 − 2·LCS / (words before + words after), the LCS the longest common
    subsequence of the two word sequences (0 = same words), as rapidfuzz's normalized Indel distance computes it
    in C++. Until 2026-12-02 this was difflib's ratio, whose greedy matching can miss the longest common
    subsequence: on 3,000 real copies per recipe the two agree on 95–100% of copies and their means within 0.001
    (difflib took 130–210 µs a pair, this 27–42 µs with the tokenizing).

    Example:
        >>> edit_rate("a b c d", "a b c d"), edit_rate("a b c d", "a x c d")
        (0.0, 0.25)
    """
    from rapidfuzz.distance import Indel

    wb = word_tokens(before)
    wa = word_tokens(after)
    if not wb and not wa:
        return 0.0
    return float(Indel.normalized_distance(wb, wa))


@dataclass(frozen=True)
class EditRate:
    """Keep an edit whose word edit rate lies in ``[min_rate, max_rate]``.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> EditRate(max_rate=0.3)(["a b c d"], ["x y c d"], [Row.make("a b c d")]).tolist()
        [False]
    """

    min_rate: float = 0.0
    max_rate: float = 0.5
    name: str = "edit_rate"

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_rate <= self.max_rate:
            raise ValueError(
                f"EditRate needs 0 <= min_rate <= max_rate, got {self.min_rate}, {self.max_rate}"
            )

    def __call__(self, before: Sequence[str], after: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        rates = np.array([edit_rate(b, a) if b != a else 0.0 for b, a in zip(before, after)])
        return (rates >= self.min_rate) & (rates <= self.max_rate)


@dataclass(frozen=True)
class Guarded:
    """Run ``augmenter``, then ``checks``; a row failing any check gets its text before the edit back.

    The row's ops record ``fallback:<check name>`` (and its ops from the failed edit are removed).
    Unchanged rows are not checked.

    Example:
        >>> from reviewaug.augment.core import Identity, Row
        >>> Guarded(Identity(), checks=(PolarityKept(),))(["fine"], [Row.make("fine")])
        ['fine']
    """

    augmenter: Augmenter
    checks: Sequence[Check] = field(default_factory=lambda: (PolarityKept(), EditRate()))

    def __post_init__(self) -> None:
        for check in self.checks:
            if isinstance(check, type) or not callable(check) or not hasattr(check, "name"):
                raise TypeError(
                    f"Guarded(checks=...) takes check instances such as PolarityKept(), got {check!r}"
                )

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        marks = [len(r.ops) for r in rows]
        out = apply_to(self.augmenter, texts, rows)
        changed = [i for i, (a, b) in enumerate(zip(texts, out)) if a != b]
        if not changed:
            return out
        ok = np.ones(len(changed), dtype=bool)
        failed_by = [""] * len(changed)
        for check in self.checks:
            todo = [k for k in range(len(changed)) if ok[k]]
            if not todo:
                break
            idx = [changed[k] for k in todo]
            res = np.asarray(
                check([texts[i] for i in idx], [out[i] for i in idx], [rows[i] for i in idx]), dtype=bool
            )
            for j in np.flatnonzero(~res).tolist():
                ok[todo[j]] = False
                failed_by[todo[j]] = check.name
        for k, i in enumerate(changed):
            if not ok[k]:
                out[i] = texts[i]
                del rows[i].ops[marks[i] :]
                rows[i].ops.append(f"fallback:{failed_by[k]}")
        return out
