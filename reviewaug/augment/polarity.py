"""Skip VADER where an edit provably cannot change VADER's compound score (used by ``PolarityKept``).

How VADER (``vaderSentiment`` 3.3) scores a text, as far as this proof needs it: it splits the text on
whitespace (emojis first become words), gives every *lexicon* token a valence, adjusts that valence from the
tokens in a window of three before and two after it (boosters, negations, "never so", "least", "kind of",
idioms), re-weights around the first "but", adds emphasis from the number of ``!`` and ``?``, and uses one
text-wide flag: are some, but not all, tokens in capitals (read only for lexicon words and boosters that are
themselves in capitals). Every other token scores 0 and is looked at only
from inside a lexicon token's window. The compound score is the normalized sum.

So tokens fall in three classes: *anchors* (lexicon words, "but", anything non-ASCII), *modifiers* (words a
window rule reads: boosters, negations, idiom words, "this", "so", "at", "of", …) and *neutral* tokens. An edit
keeps the score exactly when the ``!``/``?`` counts and the capitals flag stay the same and either

* the token count is the same and every changed position holds, before and after, neutral tokens or modifiers
  that no rule reads there: no anchor within three tokens ("this" and "or" are read only right before an
  anchor, "or" only with "no" two tokens back) (typos, synonym swaps, word swaps), or
* the token counts differ, and in an alignment of the two texts every region that deletes, inserts or
  replaces a different number of tokens holds no anchor, and every anchor whose window (three tokens before
  it, two after it) reaches into the region sees the same non-neutral tokens at the same offsets
  before and after the edit — neutral tokens only fill places (word deletion, insertion, multi-word synonyms);
  same-size regions follow the rule above.

:class:`~reviewaug.augment.constraints.PolarityKept` runs VADER only on the other rows: same decisions, a fraction
of the cost. The property tests check skipped rows against VADER itself.

Example:
    >>> vader_unchanged("The tuner is great.", "The tunre is great.")
    True
    >>> vader_unchanged("The tuner is great.", "The tuner is grate.")
    False
    >>> vader_unchanged("It came with a bag and the strap is great.", "It came with bag and the strap is great.")
    True
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, chain, compress, count, islice
from operator import ne

__all__ = [
    "vader_unchanged",
    "unchanged_in_place",
    "unchanged_by_expansion",
    "unchanged_far_from_anchors",
    "unchanged_by_insertions",
    "neutral_at",
    "phrase_possible",
    "proved_unchanged",
    "phrase_text",
]

NEUTRAL, MODIFIER, ANCHOR = 0, 1, 2
_WINDOW = 3  # a modifier is read from a lexicon token at most 3 positions away
# A lexicon word at position a reads the tokens a-3 .. a+2; a region [lo, hi) that grows or shrinks changes
# that window unless a < lo - 2 or a > hi + 2 (for an insertion point, lo == hi).
_BEFORE, _AFTER = 2, 3

_TABLES: tuple[frozenset[str], frozenset[str], dict[str, tuple[str, ...]]] | None = None
_CLASS: dict[str, tuple[int, str]] = {}


def _tables() -> tuple[frozenset[str], frozenset[str], dict[str, tuple[str, ...]]]:
    """(anchor words, modifier words, {phrase word: its phrases}), lowercased, from VADER's own tables.

    A phrase word ("the" of "the bomb", "of" of "kind of", "at" of "at least") is a modifier only where one of
    its phrases (three tokens at most) occurs within three tokens of it: VADER reads phrases only as contiguous
    tokens.
    """
    global _TABLES
    if _TABLES is None:
        import vaderSentiment.vaderSentiment as v

        from reviewaug.features.sentiment import analyzer

        anchors = set(analyzer().lexicon) | {"but"}
        mods = {w.lower() for w in v.NEGATE} | {"no", "least", "this", "so", "never", "without", "kind"}
        phrases: dict[str, set[str]] = {}
        for table in (v.BOOSTER_DICT, v.SPECIAL_CASES, v.SENTIMENT_LADEN_IDIOMS):
            for key in table:
                parts = key.lower().split()
                if len(parts) == 1:
                    mods.add(parts[0])
                for w in parts if len(parts) > 1 else ():
                    phrases.setdefault(w, set()).add(key.lower())
        # the rules' own pairs: "at/very least", "without doubt", "kind of", "no ... or/nor"
        for w, ph in (("at", "at least"), ("very", "very least"), ("doubt", "without"), ("of", "kind of")):
            phrases.setdefault(w, set()).add(ph)
        for w in ("or", "nor"):
            phrases.setdefault(w, set()).add("no")
        mods -= anchors
        _TABLES = (
            frozenset(anchors),
            frozenset(mods),
            {w: tuple(sorted(p)) for w, p in phrases.items() if w not in anchors and w not in mods},
        )
    return _TABLES


def _classify(token: str) -> tuple[int, str]:
    """(class, VADER's lowercased token) of one whitespace token, memoized per process; phrase words come out
    as NEUTRAL with their key, see :func:`_token_class`."""
    got = _CLASS.get(token)
    if got is None:
        anchors, mods, _ = _tables()
        stripped = token.strip(string.punctuation)
        key = (token if len(stripped) <= 2 else stripped).lower()  # the token VADER looks up
        if not token.isascii() or key in anchors:
            got = (ANCHOR, key)
        elif key in mods or "n't" in key:
            got = (MODIFIER, key)
        else:
            got = (NEUTRAL, key)
        if len(_CLASS) < 500_000:
            _CLASS[token] = got
    return got


def _token_class(words: Sequence[str], k: int) -> int:
    """NEUTRAL, MODIFIER or ANCHOR of the whitespace token ``words[k]``; a phrase word next to one of its
    phrases (within three tokens, see :func:`_phrase_near`) is a MODIFIER."""
    c, key = _classify(words[k])
    if c == NEUTRAL:
        ph = _tables()[2].get(key)
        if ph and _phrase_near(words, k, key, ph):
            return MODIFIER
    return c


_PHRASES: tuple[tuple[str, ...], dict[str, tuple[str, ...]]] | None = None


@lru_cache(maxsize=4096)
def read_phrase_words(low_text: str) -> frozenset[str]:
    """The phrase words ("the" of "the bomb", "of" of "kind of") that VADER may read in ``low_text`` (a text
    read by :func:`phrase_text`): those one of whose phrases occurs in it. One substring test
    per phrase (23), cached per text.

    Example:
        >>> sorted(read_phrase_words(phrase_text("It is the bomb."))), sorted(read_phrase_words("a fine tuner"))
        (['the'], [])
    """
    global _PHRASES
    if _PHRASES is None:
        table = _tables()[2]
        _PHRASES = (tuple(sorted({p for ps in table.values() for p in ps})), table)
    phrases, table = _PHRASES
    found = {p for p in phrases if p in low_text}
    if not found:
        return frozenset()
    return frozenset(w for w, ps in table.items() if found.intersection(ps))


def _caps_flag_same(wb: list[str], wa: list[str], ascii_both: bool) -> bool:
    """VADER's capitals flag (some, not all, tokens in capitals) is read only for lexicon words and boosters in
    capitals: if neither text has an anchor or modifier in capitals, the flag cannot matter.
    ``ascii_both``: neither text has a non-ASCII character (emojis would add tokens VADER counts)."""
    # str methods through map run the per-token loops in C; the cheap count tests settle most edits
    ub = sum(map(str.isupper, wb))
    ua = sum(map(str.isupper, wa))
    if (len(wb), ub) == (len(wa), ua):
        return True  # same counts: VADER's flag is the same whatever emojis add
    if ascii_both and (0 < ub < len(wb)) == (0 < ua < len(wa)):
        return True  # the flag itself is the same
    return not any(_classify(t)[0] != NEUTRAL for t in filter(str.isupper, chain(wb, wa)))


def _anchor_in(words: list[str], lo: int, hi: int) -> bool:
    """Is any of ``words[lo:hi]`` an anchor?"""
    return any(_classify(t)[0] == ANCHOR for t in words[max(0, lo) : hi])


def _read(words: list[str], k: int, cls: int) -> bool:
    """Might a rule of some lexicon word read ``words[k]``? Modifiers are read from within three tokens of a
    lexicon word; "this" only right before one (or two before, after "never"), "or" only right before one with
    "no" two tokens back."""
    if cls == NEUTRAL:
        return False
    if cls == ANCHOR:
        return True
    key = _classify(words[k])[1]
    if key == "this":
        after_never = k >= 1 and _classify(words[k - 1])[1] == "never"
        return _anchor_in(words, k + 1, k + 2) or (after_never and _anchor_in(words, k + 2, k + 3))
    if key == "or":
        return k >= 2 and _classify(words[k - 2])[1] == "no" and _anchor_in(words, k + 1, k + 2)
    return _anchor_in(words, k - _WINDOW, k + _WINDOW + 1)


def _pair_ok(wb: list[str], i: int, wa: list[str], j: int) -> bool:
    """Token ``wb[i]`` became ``wa[j]`` in place (the tokens around are the same or also checked)."""
    return not (_read(wb, i, _token_class(wb, i)) or _read(wa, j, _token_class(wa, j)))


def _same_length_ok(wb: list[str], wa: list[str]) -> bool:
    changed = compress(range(len(wb)), map(ne, wb, wa))  # positions that differ, found in C
    return all(_pair_ok(wb, k, wa, k) for k in changed)


def _regions(wb: list[str], wa: list[str], reach: int = 8) -> list[tuple[int, int, int, int]] | None:
    """Changed regions ``(i1, i2, j1, j2)`` of one alignment of two token lists: walk both, and at a mismatch
    skip the fewest tokens (at most ``reach`` in all) that bring the two back onto an equal token. Any valid
    alignment will do for the proof; None when none is found within reach."""
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    nb, na = len(wb), len(wa)
    while i < nb and j < na:
        # jump over the run of equal tokens (compared in C)
        k = next(compress(count(), map(ne, islice(wb, i, None), islice(wa, j, None))), None)
        if k is None:
            step_eq = min(nb - i, na - j)
            i, j = i + step_eq, j + step_eq
            break
        i, j = i + k, j + k
        step = None
        for total in range(1, reach + 1):
            for di in range(total + 1):
                ii, jj = i + di, j + total - di
                if ii < nb and jj < na and wb[ii] == wa[jj]:
                    step = (ii, jj)
                    break
            if step:
                break
        if step is None:
            if (nb - i) + (na - j) <= reach:  # the edit reaches the end of the text: the rest is one region
                out.append((i, nb, j, na))
                return out
            return None
        out.append((i, step[0], j, step[1]))
        i, j = step
    if i < nb or j < na:
        out.append((i, nb, j, na))
    return out


def _aligned_ok(wb: list[str], wa: list[str]) -> bool:
    """Token counts differ: align the two texts and check each changed region."""
    regions = _regions(wb, wa)
    if regions is None:
        return False
    for i1, i2, j1, j2 in regions:
        if i2 - i1 == j2 - j1:  # in place: the same-length rule, position by position
            if not all(_pair_ok(wb, i, wa, j) for i, j in zip(range(i1, i2), range(j1, j2))):
                return False
        elif _anchor_in(wb, i1, i2) or _anchor_in(wa, j1, j2):
            return False  # a lexicon word (or "but") itself is deleted or inserted
        elif not _windows_kept(wb, wa, i1, i2, j1, j2):
            return False
    return True


def _signature(words: list[str], a: int) -> tuple:
    """What VADER's rules can read around the anchor ``words[a]``: for each position from three before to two
    after it, nothing (outside the text), "a neutral token", or the token's class, key and capitals."""
    out = []
    for k in range(a - 3, a + 3):
        if k < 0 or k >= len(words):
            out.append(None)
            continue
        t = words[k]
        cls = _token_class(words, k)
        out.append((cls, _classify(t)[1], t.isupper()) if cls != NEUTRAL else NEUTRAL)
    return tuple(out)


def _windows_kept(wb: list[str], wa: list[str], i1: int, i2: int, j1: int, j2: int) -> bool:
    """A region that deletes or inserts tokens shifts the windows of the anchors next to it (up to two before
    it, three after it): each of those anchors, matched across the texts, must see the same non-neutral tokens
    at the same offsets (neutral tokens only fill places; no rule reads them)."""
    pairs = [(i1 - d, j1 - d) for d in range(1, _BEFORE + 1)] + [(i2 + d, j2 + d) for d in range(_AFTER)]
    for a, b in pairs:
        in_b, in_a = 0 <= a < len(wb), 0 <= b < len(wa)
        anchor_b = in_b and _classify(wb[a])[0] == ANCHOR
        anchor_a = in_a and _classify(wa[b])[0] == ANCHOR
        if not (anchor_b or anchor_a):
            continue
        if not (in_b and in_a and wb[a] == wa[b]):
            return False
        if _signature(wb, a) != _signature(wa, b):
            return False
    return True


def vader_unchanged(before: str, after: str) -> bool:
    """True when VADER's compound score of ``after`` is certainly the one of ``before`` (see the module doc);
    False means "not known", not "changed".

    Example:
        >>> vader_unchanged("not bad", "not bad at all")
        False
        >>> vader_unchanged("I think the case fits", "the case I think fits")
        True
    """
    if before == after:
        return True
    if before.count("!") != after.count("!") or before.count("?") != after.count("?"):
        return False
    wb, wa = before.split(), after.split()
    if not _caps_flag_same(wb, wa, before.isascii() and after.isascii()):
        return False
    if len(wb) == len(wa):
        return _same_length_ok(wb, wa)
    return _aligned_ok(wb, wa)


def unchanged_in_place(
    old: Sequence[str],
    new: Sequence[str],
    changed: Iterable[int],
    lows: tuple[str, str] | None = None,
    caps: int = 0,
) -> bool:
    """An op made ``new`` from ``old`` (both ``text.split(" ")``, the same length) by rewriting the pieces at
    ``changed`` only: True when that certainly keeps VADER's score. Each changed whitespace token must be
    neutral before and after (no rule reads it; a phrase word must not be part of one of its phrases within
    two tokens), VADER's capitals flag (the number of tokens in capitals, or else the flag itself, see
    :func:`_caps_flag_same`) and the ``!``/``?`` counts must hold: the first rule of the
    module doc, checked only where the op knows it edited, so it costs a few dictionary lookups instead of a
    pass over both texts. ``lows``: both texts lowercased, to rule phrases out per text first (:func:`phrase_possible`). ``caps``:
    tokens in capitals lost (or, negative, gained) in pieces the caller checked itself.

    Example:
        >>> unchanged_in_place("the cable, it works".split(" "), "the strap, it works".split(" "), [1])
        True
        >>> unchanged_in_place("the cable works".split(" "), "the great works".split(" "), [1])
        False
    """
    phrases = _tables()[2]
    # tokens in capitals lost minus gained: the same count keeps VADER's capitals flag
    memos: tuple[dict[str, bool], dict[str, bool]] = ({}, {})
    for c in changed:
        o, n = old[c], new[c]
        if o.count("!") != n.count("!") or o.count("?") != n.count("?"):
            return False
        to, tn = o.split(), n.split()
        if len(to) != len(tn):
            return False
        for a, b in zip(to, tn):
            if a == b:
                continue
            caps += a.isupper() - b.isupper()
            for side, (t, pieces) in enumerate(((a, old), (b, new))):
                cls, key = _classify(t)
                if cls != NEUTRAL:
                    return False
                ph = phrases.get(key)
                if not ph or (lows is not None and not phrase_possible(lows[side], key, memos[side])):
                    continue
                if _phrase_near(pieces, c, key, ph):
                    return False
    if caps == 0:
        return True
    # a word in capitals moved into or out of a piece with other letters: the count of tokens in capitals
    # changed, VADER's flag (some, not all, in capitals) may not have; a pass over both texts settles it
    a, b = " ".join(old), " ".join(new)
    return _caps_flag_same(a.split(), b.split(), a.isascii() and b.isascii())


def neutral_at(
    pieces: Sequence[str], c: int, token: str, low: str | None = None, memo: dict[str, bool] | None = None
) -> bool:
    """Is ``token``, in piece ``c`` of ``pieces`` (``text.split(" ")``), one that no VADER rule reads: not a
    lexicon word or modifier, and not a phrase word next to one of its phrases? ``low``: the whole text
    lowercased, with a ``memo`` per text (see :func:`phrase_possible`): most texts hold no partner of the
    phrase word at all, which one substring test per partner settles before any window is read.

    Example:
        >>> neutral_at(["it", "is", "the", "bomb"], 2, "the"), neutral_at(["the", "case"], 0, "the")
        (False, True)
    """
    cls, key = _classify(token)
    if cls != NEUTRAL:
        return False
    ph = _tables()[2].get(key)
    if not ph or (low is not None and not phrase_possible(low, key, memo if memo is not None else {})):
        return True
    return not _phrase_near(pieces, c, key, ph)


def phrase_possible(low: str, key: str, memo: dict[str, bool]) -> bool:
    """Can a phrase of the phrase word ``key`` occur anywhere in the text whose lowercase is ``low``? False
    when no partner word of its phrases (:func:`_partners`) occurs in ``low`` as a word (:func:`_has_key`): a
    token's VADER key is the token without the ASCII punctuation around it, so then no window holds the
    partner. Memoized in ``memo`` (one dict per text).

    Example:
        >>> phrase_possible("it is the bomb", "the", {}), phrase_possible("the case fits", "the", {})
        (True, False)
    """
    got = memo.get(key)
    if got is None:
        ph = _tables()[2].get(key)
        got = memo[key] = bool(ph) and any(p in low and _has_key(low, p) for p in _partners(ph, key))
    return got


def _phrase_near(pieces: Sequence[str], c: int, key: str, phrases: tuple[str, ...]) -> bool:
    """Does one of ``phrases`` (three words at most) occur within two tokens of piece ``c`` of ``pieces``
    (``text.split(" ")`` or whitespace tokens), read as VADER reads tokens (:func:`_classify`'s key)? Pieces
    that hold no token (runs of spaces) do not count towards the two. ``key``: the phrase word itself. Most
    windows hold no other word of the phrases; memoized set lookups settle those before any substring test."""
    lo, hi = max(0, c - 2), c + 3
    win = pieces[lo:hi]
    if not all(win) or any(map(str.isspace, win)):  # a run of spaces: widen until two tokens each side
        lo, hi, last = c, c, len(pieces) - 1
        for _ in range(2):
            lo -= 1
            while lo > 0 and (not pieces[lo] or pieces[lo].isspace()):
                lo -= 1
            hi += 1
            while hi < last and (not pieces[hi] or pieces[hi].isspace()):
                hi += 1
        win = pieces[max(0, lo) : hi + 1]
    keys = list(chain.from_iterable(_memo_keys(win)))
    if _partners(phrases, key).isdisjoint(keys):
        return False
    low = " ".join(keys)
    return any(p in low for p in phrases)


_KEYS: dict[str, tuple[str, ...]] = {}


def _memo_keys(pieces: Sequence[str]) -> list[tuple[str, ...]]:
    """VADER's keys (:func:`_classify`) of the whitespace tokens of each piece, memoized per piece."""
    got = list(map(_KEYS.get, pieces))
    if None in got:
        if len(_KEYS) > 500_000:
            _KEYS.clear()
        for i, (piece, keys) in enumerate(zip(pieces, got)):
            if keys is None:
                keys = got[i] = _KEYS[piece] = tuple(_classify(t)[1] for t in piece.split())
    return got


@lru_cache(maxsize=256)
def _partners(phrases: tuple[str, ...], key: str) -> frozenset[str]:
    """One word per phrase of ``phrases`` (each holds ``key``) that a window must hold for the phrase to occur
    there: its longest word other than ``key`` and not a common function word (long words are rare, so most
    windows hold none; of two as long, the later), or ``key`` for a phrase of ``key`` alone."""
    out = set()
    for p in phrases:
        others = [w for w in p.split() if w != key] or [key]
        out.add(max(reversed(others), key=lambda w: (w not in _COMMON, len(w))))
    return frozenset(out)


_COMMON = frozenset({"a", "at", "for", "in", "no", "of", "on", "or", "the", "to", "with"})


def _has_key(low: str, word: str) -> bool:
    """Does ``word`` (letters) occur in the lowercased text ``low`` with no letter or digit right before or after
    it, as it does wherever a whitespace token's VADER key (:func:`_classify`) is ``word``?"""
    i = low.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not low[i - 1].isalnum()) and (j == len(low) or not low[j].isalnum()):
            return True
        i = low.find(word, i + 1)
    return False


def phrase_text(text: str) -> str:
    """``text`` lowercased with the punctuation around each whitespace token stripped: where VADER's
    multi-word rules ("kind of", "the bomb") can match, a phrase occurs in it as a substring (VADER strips
    punctuation only from longer tokens, so this finds a superset of its matches).

    Example:
        >>> phrase_text("Kind, of great!")
        'kind of great'
    """
    return " ".join(t.strip(_PUNCT) for t in text.lower().split())


_PUNCT = string.punctuation


def unchanged_far_from_anchors(
    old: Sequence[str], removed: Iterable[int], rewritten: Mapping[int, str], *, windows_checked: bool = False
) -> bool:
    """An op removed the tokens at ``removed`` from ``old`` (a text's whitespace tokens, ``text.split()``) and
    rewrote those at ``rewritten`` (index -> new token): True when that certainly keeps VADER's score. Every
    edited token must be neutral before and after and lie where no lexicon word's window reads it or is
    shifted by it (no anchor from two tokens before it to three after it), the text must be ASCII (emojis add
    tokens), and the capitals flag must come out the same. The second rule of the module doc, checked only
    where the op knows it edited, without aligning the texts. ``windows_checked``: the op itself made sure that
    no anchor lies within three tokens of any edit, so the windows are not scanned again.

    Example:
        >>> old = "it came with a cable and a strap and it is great".split()
        >>> unchanged_far_from_anchors(old, [2], {}), unchanged_far_from_anchors(old, [9], {})
        (True, False)
    """
    removed = list(removed)
    if not (removed or rewritten) or not all(map(str.isascii, old)):
        return False
    n = len(old)
    # a rewrite that leaves VADER's token as it was ("this" -> "this." when a deletion glued the full stop to it)
    # is no edit for VADER's rules; its "!"/"?" and capitals still count below
    real = {i: new for i, new in rewritten.items() if _vader_token(new) != _vader_token(old[i])}
    for i in chain(removed, real):
        if _classify(old[i])[0] != NEUTRAL or (not windows_checked and _anchor_in(old, i - 2, i + 4)):
            return False
    for i, new in rewritten.items():
        if not new.isascii() or len(new.split()) != 1 or (i in real and _classify(new)[0] != NEUTRAL):
            return False
    # VADER counts "!" and "?" over the whole text: the totals must hold (nothing to count when the removed
    # tokens hold neither and nothing was rewritten, the common case)
    if rewritten or any("!" in old[i] or "?" in old[i] for i in removed):
        for mark in "!?":
            lost = sum(old[i].count(mark) for i in removed)
            if lost != sum(new.count(mark) - old[i].count(mark) for i, new in rewritten.items()):
                return False
    caps = sum(map(str.isupper, old))
    after = caps - sum(old[i].isupper() for i in chain(removed, rewritten))
    after += sum(map(str.isupper, rewritten.values()))
    if (0 < caps < n) == (0 < after < n - len(removed)):
        return True
    # the capitals flag changes; VADER reads it only for lexicon words and modifiers in capitals (``isupper``, the
    # only case test in vaderSentiment); the edited tokens are neutral, the others the same in both texts
    return not any(_classify(t)[0] != NEUTRAL for t in filter(str.isupper, old))


def _vader_token(token: str) -> str:
    """The token VADER reads for a whitespace token: punctuation stripped unless that leaves two characters
    or fewer (``SentiText._strip_punc_if_word``)."""
    stripped = token.strip(_PUNCT)
    return token if len(stripped) <= 2 else stripped


def unchanged_by_insertions(old: Sequence[str], new: Mapping[int, str]) -> bool:
    """An op inserted the tokens ``new`` (position -> token, each before the token at that position) into
    ``old`` (a single-spaced ASCII text cut at spaces): True when that certainly keeps VADER's score. Each new
    token must be neutral, without ``!`` or ``?`` and not in capitals, no lexicon word may lie within two tokens
    of an insertion point (its window would shift), and the capitals flag must come out the same.

    Example:
        >>> old = "it came with a cable and it is great".split()
        >>> unchanged_by_insertions(old, {3: ";"}), unchanged_by_insertions(old, {7: ";"})
        (True, False)
    """
    if not new or "" in old or not all(map(str.isascii, old)) or not all(map(str.isprintable, old)):
        return False
    n = len(old)
    for c, t in new.items():
        if not (t.isascii() and t.isprintable()) or " " in t or "!" in t or "?" in t or t.isupper():
            return False
        if _classify(t)[0] != NEUTRAL or _anchor_in(old, c - 2, c + 3):
            return False
    caps = sum(map(str.isupper, old))
    return (0 < caps < n) == (0 < caps < n + len(new))


def unchanged_by_expansion(old: Sequence[str], new: Sequence[str], changed: Iterable[int]) -> bool:
    """An op made ``new`` from ``old`` (both ``text.split(" ")``, the same length) by rewriting the pieces at
    ``changed`` only, where a rewritten piece may hold more whitespace tokens than before (a multi-word synonym
    for one word): True when that certainly keeps VADER's score. Every changed token must be neutral before and
    after (a phrase word not next to one of its phrases), a piece that grew must lie where no lexicon word
    reads or is shifted by it (no anchor from two tokens before it to three after it), every piece a single
    token before the edit, the changed tokens ASCII, the ``!``/``?`` counts and the capitals flag the same.

    Example:
        >>> old = "it came with a cable and a strap and it is great".split(" ")
        >>> new = old[:4] + ["guitar cable"] + old[5:]
        >>> unchanged_by_expansion(old, new, [4]), unchanged_by_expansion(old[:9] + ["fine"] + old[10:],
        ...     old[:9] + ["very fine"] + old[10:], [9])
        (True, False)
    """
    changed = sorted(changed)
    text = " ".join(old)
    spaced = "" in old  # runs of spaces: tokens are the pieces that are not empty
    toks = [p for p in old if p] if spaced else old
    # printable ASCII has no whitespace but " ": then every piece is one token or none, without a split
    if not changed or not text.isascii() or (not text.isprintable() and text.split() != toks):
        return False
    phrases = _tables()[2]
    at = list(accumulate(map(bool, old), initial=0)) if spaced else range(len(old))  # piece -> its token
    out: list[list[str]] = []  # the edited text's tokens, split only if a phrase word must be read there

    def out_toks() -> list[str]:
        if not out:
            out.append(" ".join(new).split())
        return out[0]

    extra = 0
    for c in changed:
        o, n = old[c], new[c]
        if not o or not n or not n.isascii():
            return False
        if o.count("!") != n.count("!") or o.count("?") != n.count("?"):
            return False
        parts = n.split()
        i = at[c]
        cls, key = _classify(o)
        ph = phrases.get(key)
        if cls != NEUTRAL or (ph and _phrase_near(toks, i, key, ph)):
            return False
        if len(parts) != 1 and _anchor_in(toks, i - 2, i + 4):
            return False
        for q, t in enumerate(parts, start=i + extra):
            cls, key = _classify(t)
            ph = phrases.get(key)
            if cls != NEUTRAL or (ph and _phrase_near(out_toks(), q, key, ph)):
                return False
        extra += len(parts) - 1
    n_old = len(toks)
    n_new = n_old + extra  # every changed piece was one token
    caps_old = sum(map(str.isupper, toks))
    caps_new = (
        caps_old
        + sum(t.isupper() for c in changed for t in new[c].split())
        - sum(old[c].isupper() for c in changed)
    )
    return (0 < caps_old < n_old) == (0 < caps_new < n_new)


def proved_unchanged(proofs: Mapping[str, str], before: str, after: str) -> bool:
    """Do the ops' proofs (``{after: before}``, see :attr:`reviewaug.augment.core.Row.vader_proofs`) lead from
    ``after`` back to ``before``? Then every edit on the way kept VADER's score.

    Example:
        >>> proved_unchanged({"b": "a", "c": "b"}, "a", "c"), proved_unchanged({"c": "b"}, "a", "c")
        (True, False)
    """
    text: str | None = after
    for _ in range(64):
        if text is None:
            return False
        if text == before:
            return True
        text = proofs.get(text)
    return False
