"""The lexicon tagger's synonym swap on whole batches: pieces read once per process, the rows walked in compiled code.

:func:`lexicon_swap` gives what :func:`reviewaug.augment.synonyms._lexicon_row` gives each row (the reference:
the same candidates, the same draws, the same synonyms), for a batch at once. A batch is joined and cut at its
spaces (:class:`~reviewaug.augment.batch.Batch`); each distinct piece is read once per process, in Python, into
a row of numbers (``_Tables.read_piece``: its word count, what it tells the words after it, and for each word the
lexicon tagger may swap, its tags and option lists); the rows are then planned, walked and written in compiled
code (:mod:`reviewaug.augment.kernels`, numba), and the proof that VADER's score holds is given there for the
common edits. A row the compiled walk cannot settle exactly (a capitalized word after a run of pieces of
punctuation) and a proof it cannot give are left to the Python reference, so every row comes out as the
reference has it.

Example:
    >>> out, counts, proved = lexicon_swap(["The tuner was purchased quickly."], [b"k"], [frozenset()], 1.0, 3)
    >>> counts[0] > 0 and out[0] != "The tuner was purchased quickly."
    True
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np

from reviewaug.augment.batch import Batch, PackedKeys
from reviewaug.augment.core import _SHAKE, _SHAKE_DIGEST
from reviewaug.augment.polarity import ANCHOR, NEUTRAL, _classify, _partners, _tables
from reviewaug.augment.synonyms import (
    _AUX_BEFORE_PARTICIPLE,
    _AUX_STRIP,
    _DETERMINERS,
    _DETERMINERS_1,
    _DETERMINERS_2,
    _OPENERS,
    _SENTENCE_END,
    _SUBJECTS,
    _SUBJECTS_3,
    _TO_MODALS,
    _chunk_info,
    _lexicon_row,
    _lexicon_tag,
    _safe_options,
    _tag_after_word,
)

__all__ = ["lexicon_swap", "TAGS"]

# Penn tags as the compiled walk numbers them
TAGS = ("NN", "NNS", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "JJ", "JJR", "JJS", "RB", "RBR", "RBS")
_TAG = {t: i for i, t in enumerate(TAGS)}
# the word before a noun/verb word, by the class that settles its reading (synonyms._tag_after): one
# representative of each class
_PREV_CLASSES = ("the", "a", "these", "to", "i", "he", "x")
_PUNCT = frozenset(string.punctuation)
_LIMIT = 500_000  # pieces kept per process

# piece columns
(
    P_NWORDS,
    P_BLANK,
    P_PREV,
    P_ENDC,
    P_NTOK,
    P_AUX,
    P_ANCF,
    P_ANCL,
    P_UPPER,
    P_CPTR,
    P_CN,
    P_PLAIN,
    P_PARTNER,
) = range(13)
N_P = 13
# candidate columns: offsets in the piece, protection, tags, what the text before/after it in the piece holds,
# option sets by tag, proof flags
C_A, C_B, C_LOW, C_ALWAYS, C_READ, C_OWN, C_CAP, C_HKIND, C_HPREV, C_HEADC = range(10)
C_HNTOK, C_HAUX, C_HANC, C_TNTOK, C_TANC, C_SIMPLE, C_BARE, C_TOKN, C_WUP, C_NEWOK, C_PNSOK = range(10, 21)
C_CTX = 21  # 7 columns: the tag the word before gives, by its class
C_OPT = C_CTX + len(_PREV_CLASSES)  # 14 columns: the option set for each tag (-1: none, -2: not read)
N_C = C_OPT + len(TAGS)
# option set columns; option columns
S_PTR, S_N, S_PHRASE, S_SINGLE = range(4)
O_CPTR, O_LEN, O_UP, O_P1, O_PN, O_NPARTS, O_P1B, O_PNS, O_PW, O_PSELF = range(10)


def _end_class(s: str) -> int:
    """0: nothing but openers; 1: its last other character ends a sentence; 2: another character
    (``synonyms._in_context``'s reading of the text before a capitalized word)."""
    s = s.rstrip(_OPENERS)
    return 0 if not s else 1 if s[-1] in _SENTENCE_END else 2


def _prev_class(token: str) -> int:
    """The class of ``token`` as the word before a noun/verb word (an index of :data:`_PREV_CLASSES`)."""
    p = token.lstrip(_OPENERS).lower().replace("’", "'")
    for i, group in enumerate((_DETERMINERS, _DETERMINERS_1, _DETERMINERS_2)):
        if p in group:
            return i
    if p in _TO_MODALS or p.endswith("'ll"):
        return 3
    if p in _SUBJECTS:
        return 4
    if p in _SUBJECTS_3:
        return 5
    return 6


def _is_aux(token: str) -> bool:
    w = token.strip(_AUX_STRIP).lower().replace("’", "'")
    return w in _AUX_BEFORE_PARTICIPLE or w.endswith(("'ve", "'s", "'re", "'d"))


def _bits(flags: Sequence[bool]) -> int:
    return sum(1 << i for i, f in enumerate(flags) if f)


def _keeps_key(word: str) -> bool:
    """Is ``word`` (no whitespace) VADER's key of itself with any ASCII punctuation around it: at least three
    characters, no punctuation at either end (VADER strips it from both ends unless two or fewer are left)?"""
    return len(word) >= 3 and word[0] not in _PUNCT and word[-1] not in _PUNCT


def _new_token_ok(head: str, option: str, tail: str, old: str) -> bool:
    """For a one-word option put between ``head`` and ``tail`` of the token ``old``: a token no VADER rule reads,
    as many ``!`` and ``?`` and in capitals as ``old`` is (what the in-place proof asks of a changed token)."""
    if " " in option:
        return True  # a multi-word option: the expansion proof asks its own
    new = head + option + tail
    return (
        _proofable(new)
        and new.isupper() == old.isupper()
        and new.count("!") == old.count("!")
        and new.count("?") == old.count("?")
    )


_PARTNER_BITS: dict[str, int] | None = None


def _partner_bits() -> dict[str, int]:
    """A bit for every word whose presence near a phrase word makes ``polarity._phrase_near`` look for that
    word's phrases (VADER's tables give 32), on 31 bits: the piece table holds 32-bit numbers."""
    global _PARTNER_BITS
    if _PARTNER_BITS is None:
        phrases = _tables()[2]
        words = sorted(frozenset().union(*(_partners(ph, k) for k, ph in phrases.items())))
        _PARTNER_BITS = {
            w: 1 << (i % 31) for i, w in enumerate(words)
        }  # two words on one bit: a stricter proof
    return _PARTNER_BITS


def _partner_mask(keys: Sequence[str]) -> int:
    """The bits of the partner words of the phrases of the phrase words among ``keys``."""
    bits, phrases = _partner_bits(), _tables()[2]
    out = 0
    for k in keys:
        if k in phrases:
            for w in _partners(phrases[k], k):
                out |= bits[w]
    return out


def _partner_of(keys: set[str]) -> int:
    """The bits of the partner words among ``keys``."""
    bits = _partner_bits()
    out = 0
    for k in keys:
        out |= bits.get(k, 0)
    return out


def _anchor(token: str) -> bool:
    return _classify(token)[0] == ANCHOR


def _proofable(token: str) -> bool:
    """A token no VADER rule reads, and no phrase word (whose phrases the proof would have to look for)."""
    cls, key = _classify(token)
    return cls == NEUTRAL and key not in _tables()[2]


class _Tables:
    """What the walk reads, for one setting of (senses, sentiment_safe): the pieces seen (``ids``: each one's row
    of ``pc``), their candidate words (``cc``), option sets (``sc``), options (``oc``, with their code
    points in ``codes``) and the ids of lowercase words (compared with the rows' protected words)."""

    def __init__(self, senses: int, safe: bool) -> None:
        self.senses, self.safe = senses, safe
        self.forget()

    def forget(self) -> None:
        """Start afresh: no piece, word or option read."""
        self.ids: dict[str, int] = {}  # piece -> its row of pc
        self.keys = PackedKeys()  # the pieces of at most 15 ASCII code points, found again in compiled code
        self.pc = np.zeros((1024, N_P), dtype=np.int32)
        self.cc = np.zeros((1024, N_C), dtype=np.int32)
        self.sc = np.zeros((256, 4), dtype=np.int32)
        self.oc = np.zeros((1024, 10), dtype=np.int64)
        self.codes = np.zeros(8192, dtype=np.uint32)
        self.n_p = self.n_c = self.n_s = self.n_o = self.n_codes = 0
        self.low_id: dict[str, int] = {}
        self.sets: dict[tuple[str, ...], int] = {}
        self.opt_str: list[str] = []  # each option (a row of oc) as a string
        self.c_ab: list[tuple[int, int]] = []  # each candidate's (start, end) in its piece
        self._p_new: list[tuple[int, ...]] = []  # rows read, not yet in pc / cc (:meth:`flush`)
        self._c_new: list[tuple[int, ...]] = []
        self._s_new: list[tuple[int, ...]] = []
        self._o_new: list[tuple[int, ...]] = []

    @staticmethod
    def _grown(a: np.ndarray, n: int) -> np.ndarray:
        if n <= len(a):
            return a
        out = np.zeros((max(n, 2 * len(a)), *a.shape[1:]), dtype=a.dtype)
        out[: len(a)] = a
        return out

    def _set(self, opts: tuple[str, ...]) -> int:
        """The id of the option set ``opts`` (-1 when empty), its rows kept aside until :meth:`flush`."""
        if not opts:
            return -1
        got = self.sets.get(opts)
        if got is not None:
            return got
        single = tuple(o for o in opts if " " not in o)
        s_single = self._set(single) if single != opts else -2  # -2: itself
        phrases = _tables()[2]
        for o in opts:
            parts = o.split()
            plain = o.isascii() and "!" not in o and "?" not in o and all(map(_proofable, parts))
            # the expansion proof reads phrase words in the option where no partner of their phrases is near:
            # none among its own words (and, the walk checks, none in the two tokens on either side)
            keys = {_classify(p)[1] for p in parts}
            phrase_words = [k for k in keys if k in phrases]
            spread = (
                o.isascii()
                and "!" not in o
                and "?" not in o
                and all(_classify(p)[0] == NEUTRAL for p in parts)
                and not any(_partners(phrases[k], k) & keys for k in phrase_words)
            )
            self._o_new.append(
                (
                    self.n_codes,
                    len(o),
                    sum(map(str.isupper, parts)),
                    plain and len(parts) == 1 and _keeps_key(o),  # one word, its own key in any punctuation
                    spread,  # the words as they are: their own keys (a bare word's place)
                    len(parts),
                    plain and len(parts) == 1,  # one word, its own key where nothing is around it
                    spread and _keeps_key(parts[0]) and _keeps_key(parts[-1]),  # words in any punctuation
                    _partner_mask(list(keys)),
                    _partner_of(keys),  # the partner words it holds (for a phrase word next to it)
                )
            )
            self.n_codes += len(o)
        i = self.n_s
        self._s_new.append((self.n_o, len(opts), " " in "".join(opts), i if s_single == -2 else s_single))
        self.n_o += len(opts)
        self.opt_str.extend(opts)
        self.n_s += 1
        self.sets[opts] = i
        return i

    def read_piece(self, piece: str) -> int:
        """A new piece as a row of ``pc`` (and its candidate words as rows of ``cc``), kept aside until
        :meth:`flush`; returns its row."""
        senses, safe = self.senses, self.safe
        n_words, cands = _chunk_info(piece, senses, safe)
        toks = piece.split()
        if len(toks) == 1:  # most pieces: one token (the piece itself, or in other whitespace)
            tok = toks[0]
            anchor = _anchor(tok)
            row = (
                n_words,
                0,
                _prev_class(tok),
                _end_class(piece),
                1,
                _is_aux(tok),
                anchor,
                anchor,
                tok.isupper(),
            )
        else:
            rev = toks[::-1]
            row = (
                n_words,
                not toks,
                _prev_class(rev[0]) if toks else -1,
                _end_class(piece),
                len(toks),
                _bits([_is_aux(t) for t in rev[:2]]),
                _bits([_anchor(t) for t in toks[:3]]),
                _bits([_anchor(t) for t in rev[:3]]),
                sum(map(str.isupper, toks)),
            )
        plain = piece.isascii() and piece.isprintable()
        partner = _partner_bits().get(_classify(toks[0])[1], 0) if len(toks) == 1 else 0
        self._p_new.append((*row, self.n_c, len(cands), plain, partner))
        for a, b, word, low, always, readings in cands:
            self._c_new.append(self._candidate(piece, toks, a, b, word, low, always, readings))
            self.c_ab.append((a, b))
        self.n_c += len(cands)
        self.n_p += 1
        return self.n_p - 1

    def _candidate(self, piece: str, toks: list[str], a: int, b: int, word: str, low: str, always: bool,
                   readings: tuple[str, str] | None) -> tuple[int, ...]:  # fmt: skip
        """The ``cc`` row of a candidate word at ``[a, b)`` of ``piece`` (see ``synonyms._chunk_info``)."""
        senses, safe = self.senses, self.safe
        head, tail = piece[:a], piece[b:]
        h_toks, t_toks = head.split(), tail.split()
        own = _lexicon_tag(low, senses, safe) if readings is None else None
        ctx = [-1] * len(_PREV_CLASSES)
        if readings is not None:
            ctx = [_TAG.get(_tag_after_word(readings, p) or "", -1) for p in _PREV_CLASSES]
        opt = [-2] * len(TAGS)
        needed = {t for t in ctx if t >= 0}
        if own is not None:
            needed.add(_TAG[own])
            if own == "VBD":
                needed.add(_TAG["VBN"])
        options = {t: _safe_options(word, TAGS[t], senses, safe) for t in needed}
        for t, opts in options.items():
            opt[t] = self._set(opts)
        if head and not head[-1].isspace():
            h_kind, h_prev = 0, -1  # glued to what precedes it: no word before it
        elif head.strip():
            h_kind, h_prev = 1, _prev_class(h_toks[-1])
        else:
            h_kind, h_prev = 2, -1  # the word before is in an earlier piece
        simple = word.isascii() and all(ch in _PUNCT for ch in head + tail)
        one = len(toks) == 1
        return (
            a,
            b,
            self.low_id.setdefault(low, len(self.low_id)),
            always,
            readings is not None,
            -1 if own is None else _TAG[own],
            word[0].isupper(),
            h_kind,
            h_prev,
            _end_class(head),
            len(h_toks),
            _bits([_is_aux(t) for t in h_toks[::-1][:2]]),
            _bits([_anchor(t) for t in h_toks[::-1][:3]]),
            len(t_toks),
            _bits([_anchor(t) for t in t_toks[:3]]),
            simple,
            simple and not head and not tail,
            one and _proofable(toks[0]),
            one and toks[0].isupper(),
            # a word alone in punctuation has its options' own flags (oc); another, one for all its options
            one
            and not simple
            and all(_new_token_ok(head, o, tail, toks[0]) for opts in options.values() for o in opts),
            # a word in punctuation: its multi-word options' first and last words, glued to it, read by no rule
            one
            and simple
            and bool(head or tail)
            and all(
                _proofable(head + o.split()[0]) and _proofable(o.split()[-1] + tail)
                for opts in options.values()
                for o in opts
                if " " in o
            ),
            *ctx,
            *opt,
        )

    def flush(self) -> None:
        """Write the rows of the pieces read since the last flush into ``pc`` and ``cc``."""
        if self._p_new:
            n0 = self.n_p - len(self._p_new)
            self.pc = self._grown(self.pc, self.n_p)
            self.pc[n0 : self.n_p] = self._p_new
            self._p_new = []
        if self._c_new:
            n0 = self.n_c - len(self._c_new)
            self.cc = self._grown(self.cc, self.n_c)
            self.cc[n0 : self.n_c] = self._c_new
            self._c_new = []
        if self._s_new:
            n0 = self.n_s - len(self._s_new)
            self.sc = self._grown(self.sc, self.n_s)
            self.sc[n0 : self.n_s] = self._s_new
            self._s_new = []
        if self._o_new:
            n0 = self.n_o - len(self._o_new)
            self.oc = self._grown(self.oc, self.n_o)
            self.oc[n0 : self.n_o] = self._o_new
            self._o_new = []
            c0 = self.n_codes - sum(o[1] for o in self.oc[n0 : self.n_o].tolist())
            new = "".join(self.opt_str[n0 : self.n_o])
            self.codes = self._grown(self.codes, self.n_codes)
            self.codes[c0 : self.n_codes] = np.frombuffer(
                new.encode("utf-32-le", "surrogatepass"), dtype="<u4"
            )


_TABLES: dict[tuple[int, bool], _Tables] = {}


def _tables_for(senses: int, safe: bool) -> _Tables:
    got = _TABLES.get((senses, safe))
    if got is None:
        got = _TABLES[(senses, safe)] = _Tables(senses, safe)
    return got


def lexicon_swap(
    texts: Sequence[str],
    keys: Sequence[bytes],
    protected: Sequence[frozenset[str]],
    rate: float,
    max_words: int,
    respect: bool = True,
    senses: int = 1,
    safe: bool = True,
) -> tuple[list[str], list[int], list[bool]]:
    """The lexicon tagger's synonym swap on a batch: each text with up to ``min(max_words, max(1, round(rate ·
    n_words)))`` words swapped, drawn from its key (:func:`~reviewaug.augment.synonyms.lexicon_draws`);
    returns the texts, how many words each had swapped and whether the swap provably keeps VADER's score.
    Each row comes out as :func:`~reviewaug.augment.synonyms._lexicon_row` gives it.

    Example:
        >>> out, counts, proved = lexicon_swap(["Great price", ""], [b"a", b"b"], [frozenset({"price"}), frozenset()], 0.5, 2)
        >>> out, counts
        (['Great price', ''], [0, 0])
    """
    from reviewaug.augment import kernels as K

    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must lie in [0, 1], got {rate}")
    n_rows = len(texts)
    outs, counts, proved = list(texts), [0] * n_rows, [False] * n_rows
    if n_rows == 0 or rate <= 0 or max_words <= 0:
        return outs, counts, proved
    tab = _tables_for(senses, safe)
    if len(tab.ids) > _LIMIT:  # typo'd spellings keep coming: start afresh (between batches only)
        tab.forget()
    b = Batch.of(texts)
    known, todo = tab.keys.values(b.codes, b.p_start, b.p_end)
    if len(todo):  # pieces not packed or new to this process: by their string (new ones read once)
        ids = tab.ids
        vals = []
        for piece in b.pieces(todo):
            v = ids.get(piece)
            if v is None:
                v = ids[piece] = tab.read_piece(piece)
            vals.append(v)
        known[todo] = vals
        tab.flush()
        tab.keys.insert(b.codes, b.p_start, b.p_end, todo, known[todo])
    # each row's protected words as ids of the lowercase words candidates have (-1: no candidate's)
    sizes = np.fromiter(map(len, protected), dtype=np.int64, count=n_rows)
    flat = list(chain.from_iterable(protected))
    prot_ids = np.fromiter(map(tab.low_id.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    prot_ptr = np.concatenate(([0], np.cumsum(sizes)))
    pc, cc = tab.pc, tab.cc
    n_cand_max = int(pc[known, P_CN].sum())
    cand_g = np.empty(n_cand_max, dtype=np.int64)
    cand_e = np.empty(n_cand_max, dtype=np.int64)
    cand_tag = np.empty(n_cand_max, dtype=np.int64)
    c_ptr = np.zeros(n_rows + 1, dtype=np.int64)
    n_words = np.zeros(n_rows, dtype=np.int64)
    K.lexicon_candidates(
        b.p_off, b.n_pieces, known, pc, cc, prot_ptr, prot_ids, respect, cand_g, cand_e, cand_tag, c_ptr, n_words
    )  # fmt: skip
    n_cand = np.diff(c_ptr)
    k = np.where(n_cand > 0, np.minimum(max_words, np.maximum(1, np.rint(rate * n_words))), 0).astype(
        np.int64
    )
    n_draw = np.where(k > 0, 2 * n_cand, 0)
    u = np.frombuffer(b"".join(map(_SHAKE_DIGEST, map(_SHAKE, keys), (4 * n_draw).tolist())), dtype="<u4")
    u_off = np.concatenate(([0], np.cumsum(n_draw)[:-1]))
    sw_g = np.empty(max(1, int(n_cand.sum())), dtype=np.int64)  # per row: the swapped pieces, words, options
    sw_e = np.empty_like(sw_g)
    sw_o = np.empty_like(sw_g)
    done = np.zeros(n_rows, dtype=np.int64)
    state = np.zeros(n_rows, dtype=np.int64)  # 1: proved; 2: a proof for Python; 3: a row for the reference
    longest = int(tab.oc[: tab.n_o, O_LEN].max()) if tab.n_o else 0
    out = np.empty(len(b.codes) + longest * int(k.sum()), dtype=np.uint32)  # a swap adds at most that
    out_len = np.full(n_rows, -1, dtype=np.int64)
    total = K.lexicon_walk(
        b.codes, b.p_start, b.p_off, b.n_pieces, b.c_off, b.lens, known, pc, cc, tab.sc, tab.oc, tab.codes,
        cand_g, cand_e, cand_tag, c_ptr, k, u, u_off, safe, sw_g, sw_e, sw_o, done, state, out, out_len,
    )  # fmt: skip
    changed = np.flatnonzero(out_len >= 0)
    if len(changed):
        new_big = out[:total].tobytes().decode("utf-32-le", "surrogatepass")
        ends = np.cumsum(out_len[changed])
        for r, a, e in zip(changed.tolist(), (ends - out_len[changed]).tolist(), ends.tolist()):
            outs[r] = new_big[a:e]
    for r in np.flatnonzero(done).tolist():
        counts[r] = int(done[r])
    for r in np.flatnonzero(state == 1).tolist():
        proved[r] = True
    for r in np.flatnonzero(state == 2).tolist():  # the reference's proof, on the pieces the walk changed
        proved[r] = _python_proof(
            texts[r], int(b.p_off[r]), int(c_ptr[r]), sw_g, sw_e, sw_o, int(done[r]), tab
        )
    for r in np.flatnonzero(state == 3).tolist():  # the walk could not settle the row: the reference
        proofs: dict[str, str] = {}
        outs[r], counts[r] = _lexicon_row(texts[r], keys[r], rate, max_words, protected[r], respect, senses, safe,
                                          proofs)  # fmt: skip
        proved[r] = bool(counts[r]) and outs[r] in proofs
    return outs, counts, proved


def _python_proof(
    text: str,
    first: int,
    base: int,
    sw_g: np.ndarray,
    sw_e: np.ndarray,
    sw_o: np.ndarray,
    n: int,
    tab: _Tables,
) -> bool:
    """The reference's proof (``polarity.unchanged_in_place`` / ``unchanged_by_expansion``) for a row whose
    pieces start at ``first`` in its batch and whose ``n`` swaps the walk listed from ``base`` (pieces ``sw_g``,
    candidate rows ``sw_e``, options ``sw_o``): for the edits the compiled proof does not settle."""
    from reviewaug.augment.polarity import unchanged_by_expansion, unchanged_in_place

    before = text.split(" ")
    chunks = before[:]
    spans: dict[int, list[tuple[int, int, str]]] = {}
    c_ab, opt_str = tab.c_ab, tab.opt_str
    for g, e, o in zip(*(a[base : base + n].tolist() for a in (sw_g, sw_e, sw_o))):
        spans.setdefault(g - first, []).append((*c_ab[e], opt_str[o]))
    for c, lst in spans.items():
        piece = before[c]
        for a, end, new in sorted(lst, reverse=True):
            piece = piece[:a] + new + piece[end:]
        chunks[c] = piece
    grew = any(" " in chunks[c] for c in spans)
    return bool((unchanged_by_expansion if grew else unchanged_in_place)(before, chunks, spans))
