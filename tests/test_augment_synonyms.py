"""Synonym swap: POS, inflection, case, antonyms, protected words, counts, determinism, fuzzing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewaug.augment.core import Row
from reviewaug.augment.synonyms import (
    SynonymSwap,
    inflect,
    synonym_swap,
    synonyms_for,
    tag_positions,
)
from reviewaug.augment.tokens import is_word, split_tokens

TEXT = "The tuner was purchased quickly and these strings sound brighter than the older ones I bought."


def rows_for(texts, seed=0, protected=None):
    return [
        Row.make(t, seed=seed, review_id=f"r{i}", protected=(protected or {}).get(i, frozenset()))
        for i, t in enumerate(texts)
    ]


def changed_words(a: str, b: str) -> list[tuple[str, str]]:
    """(old span, new span) of each replaced run of words."""
    import difflib

    wa, wb = a.split(), b.split()
    ops = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes()
    return [(" ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for tag, i1, i2, j1, j2 in ops if tag == "replace"]


def test_inflection_kept():
    assert inflect("pick up", "VBD") == "picked up"
    assert inflect("buy", "VBZ") == "buys"
    assert inflect("string", "NNS") == "strings"
    assert inflect("acoustic guitar", "NNS") == "acoustic guitars"
    assert inflect("big", "JJR") == "bigger"
    assert inflect("elder", "JJR") is None  # no invented comparatives


def test_synonyms_exclude_antonyms_sentiment_and_the_word():
    syns = synonyms_for("buy", "v")
    assert "purchase" in syns and "buy" not in syns
    for lemma, pos in [("cheap", "a"), ("good", "a"), ("old", "a"), ("quickly", "r")]:
        from reviewaug.resources import load_wordnet

        wn = load_wordnet()
        ants = {a.name().lower() for s in wn.synsets(lemma, pos) for lm in s.lemmas() for a in lm.antonyms()}
        got = set(synonyms_for(lemma, pos, senses=5, sentiment_safe=False))
        assert not got & ants, (lemma, got & ants)
    from reviewaug.features.sentiment import analyzer

    lex = analyzer().lexicon
    for lemma, pos in [("cheap", "a"), ("sturdy", "a"), ("sound", "n")]:
        assert not [s for s in synonyms_for(lemma, pos, senses=5) if any(w in lex for w in s.split())]


def test_windowed_tags_match_whole_text_tags():
    from reviewaug.augment.synonyms import load_tagger

    text = "I bought these strings because the old ones sounded dull. They play well and stay in tune."
    toks = split_tokens(text)
    positions = [i for i, t in enumerate(toks) if is_word(t)]
    windowed = tag_positions([(toks, positions)])[0]
    offs, o = [], 0
    for t in toks:
        offs.append(o)
        o += len(t)
    full = {t.idx: t.tag_ for t in load_tagger()(text)}
    assert windowed, "nothing tagged"
    for p, tag in windowed.items():
        assert full[offs[p]] == tag


@pytest.mark.parametrize("tagger", ["spacy", "lexicon"])
def test_swaps_keep_case_pos_and_count(tagger):
    aug = SynonymSwap(rate=1.0, max_words=3, tagger=tagger)
    texts = [TEXT] * 6
    rows = [Row.make(TEXT, seed=s, review_id="x") for s in range(6)]
    out = aug(texts, rows)
    assert any(o != TEXT for o in out)
    for o, row in zip(out, rows):
        n = int(row.ops[0].split(":")[1]) if row.ops else 0
        assert n <= 3
        if tagger == "spacy" and o != TEXT:
            assert o.startswith("The ")  # capitalized first word stays capitalized when untouched
        for ow, nw in changed_words(TEXT, o):
            assert nw[:1].isupper() == ow[:1].isupper()


def test_protected_words_never_change():
    prot = frozenset({"tuner", "strings", "brighter", "purchased", "bought"})
    for seed in range(10):
        out = synonym_swap(TEXT, np.random.default_rng(seed), rate=1.0, max_words=20, protected=prot)
        words = [w.lower() for w in split_tokens(out) if is_word(w)]
        for w in prot:
            assert w in words


def test_negations_and_numbers_never_change():
    text = "I would not recommend the 9V adapter; it doesn't fit and never worked."
    for seed in range(8):
        out = synonym_swap(text, np.random.default_rng(seed), rate=1.0, max_words=20)
        for w in ("not", "9V", "doesn't", "never"):
            assert w in out


def test_deterministic_and_batch_independent():
    texts = [TEXT, "Great strap, the leather feels soft and the buckle holds.", "", "ok"]
    a = SynonymSwap(rate=0.5, max_words=4)(texts, rows_for(texts, seed=3))
    b = SynonymSwap(rate=0.5, max_words=4)(texts, rows_for(texts, seed=3))
    assert a == b
    alone = SynonymSwap(rate=0.5, max_words=4)([texts[1]], [Row.make(texts[1], seed=3, review_id="r1")])
    assert alone[0] == a[1]
    assert a[2] == "" and a[3] == "ok"


def test_rate_zero_is_identity():
    assert SynonymSwap(rate=0.0)([TEXT], rows_for([TEXT])) == [TEXT]


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="rate"):
        SynonymSwap(rate=2.0)
    with pytest.raises(ValueError, match="tagger"):
        SynonymSwap(tagger="nltk")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_fuzzed_text_does_not_crash(text):
    out = SynonymSwap(rate=0.5, max_words=3, tagger="lexicon")([text], [Row.make(text, review_id="f")])
    assert isinstance(out[0], str)
    assert len(out) == 1


def test_minilm_ranking_is_deterministic():
    pytest.importorskip("sentence_transformers")
    aug = SynonymSwap(rate=1.0, max_words=2, rank=True, rank_top=4)
    a = aug([TEXT], rows_for([TEXT], seed=1))
    b = aug([TEXT], rows_for([TEXT], seed=1))
    assert a == b and a[0] != TEXT


def test_sentiment_safe_synonyms_hold_no_word_vader_reads():
    from reviewaug.augment.polarity import NEUTRAL, _classify

    # "totally" and "entirely" are VADER boosters: swapping them in would move a nearby word's score
    assert "totally" not in synonyms_for("completely", "r")
    assert "totally" in synonyms_for("completely", "r", sentiment_safe=False)
    for lemma, pos in [("completely", "r"), ("sturdy", "a"), ("sound", "n"), ("buy", "v")]:
        for syn in synonyms_for(lemma, pos, senses=5):
            assert all(_classify(w)[0] == NEUTRAL for w in syn.split()), (lemma, syn)


@pytest.mark.parametrize("tagger", ["spacy", "lexicon"])
def test_the_swap_never_writes_an_inflected_form_vader_reads(tagger):
    """A lemma free of valence may inflect to a word VADER reads ("force" → "forced", "give" → "giving"): with
    ``sentiment_safe`` neither tagger's swap writes one, nor the ranked pick; without it, such forms are offered."""
    from reviewaug.augment.polarity import NEUTRAL, _classify
    from reviewaug.augment.synonyms import _options, _safe_options

    assert "forced" in _options("pushed", "VBD", 1, True) and "forced" not in _safe_options(
        "pushed", "VBD", 1, True
    )
    assert "giving" in _safe_options("yielding", "VBG", 1, False)
    texts = ["The clerk pushed the cart and kept handing out flyers, yielding a small profit."] * 30
    for rank in (False, True) if tagger == "spacy" else (False,):
        aug = SynonymSwap(rate=1.0, max_words=20, tagger=tagger, rank=rank)
        rows = [Row.make(t, seed=s, review_id="r") for s, t in enumerate(texts)]
        out = aug(texts, rows)
        new_words = {w.strip(".,").lower() for o in out for w in o.split()}
        new_words -= {w.strip(".,").lower() for w in texts[0].split()}
        assert new_words  # the swap did write synonyms
        assert all(_classify(w)[0] == NEUTRAL for w in new_words), new_words


def test_multi_word_synonyms_stay_away_from_sentiment_words():
    from reviewaug.augment.synonyms import _fitting

    opts = ("vocal music", "song")
    assert _fitting(opts, lambda: "the tuner is great for", lambda: "and more") == ("song",)
    assert _fitting(opts, lambda: "it came in a box with the", lambda: "and a strap.") == opts
    assert _fitting(opts, lambda: "a", lambda: "is nice") == ("song",)  # within three words after
    assert _fitting(opts, lambda: "a", lambda: "is by far the nice") == opts  # four words away


@pytest.mark.corpus
def test_lexicon_plan_gives_the_general_paths_candidates(corpus_path):
    """The lexicon tagger's plan reads space-separated pieces instead of tokenizing whole texts; it must find
    the same candidate words, in text order, as the general plan for the lexicon tagger."""
    from reviewaug.augment import synonyms as S
    from reviewaug.augment.constraints import protected_words
    from reviewaug.features import add_features
    from reviewaug.io import load_reviews

    ds = add_features(load_reviews(str(corpus_path)).select(range(4000, 4400)), progress=False)
    texts = ds["text"]
    prot = [
        protected_words(t, {"keywords": k, "sentiment_words": s})
        for t, k, s in zip(texts, ds["keywords"], ds["sentiment_words"])
    ]
    for respect, safe in [(True, True), (False, True), (True, False)]:
        found = 0
        for t, p in zip(texts, prot):
            _, cands, k = S._plan_chunks(t, 1.0, 10_000, p, respect, 1, safe)
            toks, order, k2 = S._plan(t, np.random.default_rng(0), 1.0, 10_000, p, respect, 1, safe, True)
            assert [w for _, _, _, w, _ in cands] == [toks[i] for i in sorted(order)]
            assert k == k2
            found += len(cands)
        assert found > 2000  # and there are words to swap


def _lexicon_cases(texts):
    from reviewaug.augment.core import row_key

    keys = [row_key(3, f"r{i}", 1) for i in range(len(texts))]
    prot = [frozenset(t.lower().split()[1:4]) for t in texts]
    return keys, prot


@pytest.mark.corpus
def test_batched_lexicon_swap_is_the_reference_row_by_row(corpus_path):
    """The compiled walk gives every row exactly what the Python reference gives it (words, synonyms, count),
    and proves VADER's score kept only where the reference does, and where VADER agrees."""
    from reviewaug.augment import synonyms as S
    from reviewaug.augment.lexicon_swap import lexicon_swap
    from reviewaug.features.sentiment import polarity_scores
    from reviewaug.io import load_reviews

    texts = load_reviews(str(corpus_path)).select(range(6000, 6600))["text"]
    keys, prot = _lexicon_cases(texts)
    for rate, max_words, respect, safe in [(0.1, 10_000, True, True), (1.0, 10_000, True, True),
                                           (0.3, 3, False, True), (0.2, 8, True, False)]:  # fmt: skip
        outs, counts, proved = lexicon_swap(texts, keys, prot, rate, max_words, respect, 1, safe)
        ref_proved = 0
        for t, key, p, out, n, sure in zip(texts, keys, prot, outs, counts, proved):
            proofs: dict[str, str] = {}
            assert (out, n) == S._lexicon_row(t, key, rate, max_words, p, respect, 1, safe, proofs)
            assert not sure or out in proofs
            ref_proved += bool(n) and out in proofs
        assert sum(n > 0 for n in counts) > 500
        assert sum(proved) > 0.8 * ref_proved  # the compiled proof settles most of the reference's
        sure = [(t, o) for t, o, ok in zip(texts, outs, proved) if ok]
        before = polarity_scores([t for t, _ in sure])
        after = polarity_scores([o for _, o in sure])
        assert np.array_equal(before, after)


def test_batched_lexicon_swap_on_odd_texts():
    """Tabs, runs of spaces, non-ASCII, glued words, names after runs of punctuation (the rows the walk leaves to
    the reference), empty texts: the same as the reference, the same at any batch size."""
    from reviewaug.augment import synonyms as S
    from reviewaug.augment.lexicon_swap import lexicon_swap

    texts = [
        "I purchased it quickly.\tThe tuner  works; Fender amplifier\nbought",
        "The - - - Purchased tuner - - - - Bought quickly",
        "caf\u00e9 tuner purchased quickly, the buyers bought cables",
        '(purchased) "quickly" tuner.Purchased it;bought  ',
        "",
        "   ",
        "to tune the tune; it tunes and we tune. These tunes, those strings",
        "IT WAS PURCHASED QUICKLY BY THE BUYER",
        "It has purchased; it was bought; they purchased; I'd bought",
    ] * 3
    keys, prot = _lexicon_cases(texts)
    whole = lexicon_swap(texts, keys, prot, 1.0, 10_000)
    for t, key, p, out, n in zip(texts, keys, prot, *whole[:2]):
        assert (out, n) == S._lexicon_row(t, key, 1.0, 10_000, p, True, 1, True, {})
    parts = [lexicon_swap(texts[i : i + 4], keys[i : i + 4], prot[i : i + 4], 1.0, 10_000)
             for i in range(0, len(texts), 4)]  # fmt: skip
    assert [x for part in parts for x in part[0]] == whole[0]
    assert [x for part in parts for x in part[2]] == whole[2]
    assert sum(n > 0 for n in whole[1]) >= 15


def test_lexicon_kernel_columns_agree():
    """The compiled walk reads the tables by column numbers of its own: they must be lexicon_swap's."""
    from reviewaug.augment import kernels as K
    from reviewaug.augment import lexicon_swap as L

    for name in dir(L):
        if name[:2] in ("P_", "C_", "S_", "O_") and name[2:].isupper() and isinstance(getattr(L, name), int):
            assert getattr(K, "_" + name) == getattr(L, name), name
    assert (K._VBD, K._VBN) == (L.TAGS.index("VBD"), L.TAGS.index("VBN"))


def test_synonym_table_gives_wordnets_answers(tmp_path, monkeypatch):
    """The per-machine synonym table answers exactly as WordNet does, for lemmas in it and for words it lacks;
    without a table the answers come from WordNet."""
    from reviewaug.augment import synonyms as syn

    wn = syn._wordnet()
    lemmas = {
        pos: sorted(wn.all_lemma_names(pos=pos))[::500] + ["buy", "purchase", "quick"] for pos in "nvar"
    }
    path = syn.build_synonym_table(tmp_path / "table.json", lemmas=lemmas, progress=False)
    monkeypatch.setattr(syn, "synonym_table_path", lambda: path)
    syn._reset_table()
    try:
        table = syn._table()
        assert table is not None and sum(map(len, table.values())) > 50
        for pos, names in lemmas.items():
            for lem in names + ["notaword", "Buy"]:
                assert syn.synonyms_for(lem, pos) == syn._synonyms_from_wordnet(lem, pos, 1, True), (lem, pos)
        assert syn.synonyms_for("buy", "v", senses=2) == syn._synonyms_from_wordnet("buy", "v", 2, True)
        # base forms and inflections from the table equal morphy's and lemminflect's
        morphy = syn._wordnet().morphy
        assert {"bought", "purchases", "quicker"} <= set(table["forms"])
        for form in ["bought", "buying", "purchases", "quicker", "quickest", "notaword"]:
            for pos in "nvar":
                assert syn._lemma(form, pos) == morphy(form, pos), (form, pos)
        assert "buy\tVBD" in table["inflections"]
        for key in list(table["inflections"])[::7]:
            lemma, tag = key.split("\t")
            got = syn.inflect(lemma, tag)
            syn._TABLE_TRIED, saved = True, syn._TABLE  # the same call without the table
            syn._TABLE = None
            syn.inflect.cache_clear()
            assert got == syn.inflect(lemma, tag), key
            syn._TABLE = saved
            syn.inflect.cache_clear()
        # which forms may be swapped: one lookup in the table, the same answer as the lookups it replaces
        forms = ["bought", "buying", "buys", "Buy", "purchases", "purchasing", "quicker", "quickest", "quick"]
        forms += ["notaword", "buyed", "purchaseses", "quickly", "BOUGHT"]
        known = syn._swappable()
        assert known and {"bought", "purchases"} <= set(known)

        def read():
            return [(f, syn._eligible(f, 1, True), syn._lexicon_ready(f, 1, True),
                     syn._lexicon_tag(f.lower(), 1, True)) for f in forms]  # fmt: skip

        fast = read()
        table["swappable"] = None
        syn._lexicon_ready.cache_clear()
        syn._lexicon_tag.cache_clear()
        assert fast == read()
        # a lemma the (partial) table lacks reads as having no synonyms: the table must hold every lemma
        missing = next(x for x in sorted(wn.all_lemma_names(pos="v")) if x not in lemmas["v"] and
                       syn._synonyms_from_wordnet(x, "v", 1, True))  # fmt: skip
        assert syn.synonyms_for(missing, "v") == ()
    finally:
        monkeypatch.undo()
        syn._reset_table()
    assert syn.synonyms_for("buy", "v") == syn._synonyms_from_wordnet("buy", "v", 1, True)


def test_machine_synonym_table_matches_wordnet():
    """Where ``make setup`` built this machine's table, a sample of it equals WordNet's answers."""
    from reviewaug.augment import synonyms as syn

    if not syn.synonym_table_path().exists():
        pytest.skip("no synonym table on this machine (python -m reviewaug.resources builds it)")
    table = syn._table()
    wn = syn._wordnet()
    for pos in "nvar":
        names = sorted(wn.all_lemma_names(pos=pos))[7::400]
        for lem in names:
            got = tuple(table[pos][lem].split("\t")) if lem in table[pos] else ()
            assert got == syn._synonyms_from_wordnet(lem, pos, 1, True), (lem, pos)
    morphy = wn.morphy
    for form, bases in list(table["forms"].items())[::1500]:
        assert bases.split("\t") == [morphy(form, pos) or "" for pos in "nvar"], form
    from lemminflect import getInflection

    for key, form in list(table["inflections"].items())[::4000]:
        lemma, tag = key.split("\t")
        if " " not in lemma and tag in ("NNS", "VBD", "VBG", "VBN", "VBZ"):
            forms = getInflection(lemma, tag=tag)
            assert form == (forms[0] if forms else ""), key


@pytest.mark.corpus
def test_synonym_table_changes_no_output(corpus_path, tmp_path, monkeypatch):
    """The same reviews, seeds and settings give the same output with this machine's table and without any."""
    from reviewaug.augment import synonyms as syn
    from reviewaug.io import load_reviews

    if not syn.synonym_table_path().exists():
        pytest.skip("no synonym table on this machine (python -m reviewaug.resources builds it)")
    texts = load_reviews(str(corpus_path)).select(range(3, 10_000, 40))["text"]
    aug = SynonymSwap(rate=0.2, max_words=8, tagger="lexicon")
    syn._reset_table()
    with_table = aug(texts, rows_for(texts, seed=5))
    assert syn._table() is not None
    monkeypatch.setattr(syn, "synonym_table_path", lambda: tmp_path / "none.json")
    syn._reset_table()
    try:
        assert syn._table() is None
        assert aug(texts, rows_for(texts, seed=5)) == with_table
    finally:
        monkeypatch.undo()
        syn._reset_table()


@pytest.mark.corpus
def test_swappable_forms_answer_as_the_lookups_they_replace(corpus_path, tmp_path, monkeypatch):
    """With this machine's table, whether a word may be swapped (and whether the lexicon tagger can swap it,
    with which tag) is one lookup, morphy is never called, and the answers equal those computed from WordNet without a table,
    for every word of a corpus sample and for forms only morphy's suffix rules or exception lists reach."""
    from reviewaug.augment import synonyms as syn
    from reviewaug.augment.tokens import _WORDS
    from reviewaug.io import load_reviews

    if not syn.synonym_table_path().exists():
        pytest.skip("no synonym table on this machine (python -m reviewaug.resources builds it)")
    texts = load_reviews(str(corpus_path)).select(range(0, 10_000, 25))["text"]
    words = {m.group() for t in texts for m in _WORDS.finditer(t)}
    words |= {"churches", "aardwolves", "abaci", "geese", "runnings", "Bought", "TUNER", "notaword", "tuners"}

    def answers():
        out = {}
        for w in sorted(words):
            ok = syn._eligible(w, 1, True)
            ready = ok and syn._lexicon_ready(w, 1, True)
            readings = syn._context_readings(w, 1, True) if w.islower() else None
            out[w] = (ok, ready, ready and syn._lexicon_tag(w.lower(), 1, True), readings)
        return out

    calls = []
    real = syn._morphy()
    monkeypatch.setattr(syn, "_morphy", lambda: lambda f, p: calls.append(f) or real(f, p))
    syn._reset_table()
    try:
        assert syn._swappable()
        with_table = answers()
        assert calls == []  # neither WordNet nor its morphology was read
        monkeypatch.setattr(syn, "synonym_table_path", lambda: tmp_path / "none.json")
        syn._reset_table()
        assert syn._table() is None
        assert answers() == with_table
        assert calls  # the same answers, from WordNet
        assert sum(bool(ready) for _, ready, _, _ in with_table.values()) > 300
        assert sum(bool(r and any(r)) for *_, r in with_table.values()) > 50  # noun/verb words
    finally:
        monkeypatch.undo()
        syn._reset_table()


def test_a_plural_that_is_a_lemma_of_its_own_is_left_alone_and_never_pluralized_twice():
    """ "years" is the plural of "year" and a WordNet lemma of its own (old age); "colors" also means a flag.
    Which sense a review means is unclear: such a plural is not swapped (it used to become "old ages",
    "colourses"). A comparative that is a lemma ("bigger") is read as the comparative of its base."""
    from reviewaug.augment import synonyms as S

    assert S._base_for_tag("years", "n", "NNS") == "year"
    assert S._base_for_tag("years", "n", "NN") == "years"
    assert S._base_for_tag("bigger", "a", "JJR") == "big"
    for form in ("years", "colors", "cords", "instructions", "strings"):
        assert S._options(form, "NNS", 1, True) == (), form
    assert S._options("knobs", "NNS", 1, True)  # a plain plural still is swapped
    assert set(S._options("bigger", "JJR", 1, True)) <= {inflect(s, "JJR") for s in synonyms_for("big", "a")}
    assert S._options("bigger", "JJR", 1, True)
    assert S._lexicon_tag("years", 1, True) == "NNS" and S._lexicon_tag("bigger", 1, True) == "JJR"
    assert S._lexicon_tag("year", 1, True) == "NN"
    assert S._is_plural("hours") and not S._is_plural("hour")  # a synonym "hours" is not made "hourses"
    assert not S._is_plural("s")  # a synonym of "second" that lemminflect lemmatizes to "": no crash


def test_lexicon_tag_reads_proper_nouns_and_participles_from_context():
    from reviewaug.augment.synonyms import _in_context

    assert _in_context("NN", "Fender", "plugged into my ") is None  # a capital inside a sentence: a name
    assert _in_context("NN", "Fender", "") == "NN"  # the text's first word
    assert _in_context("NN", "Nice", 'Broke in a week. "') == "NN"  # a sentence start, after a quote
    assert _in_context("NN", "Amp", "works.\n") == "NN"
    assert _in_context("VBD", "passed", "six months have ") == "VBN"
    assert _in_context("VBD", "passed", "it was quickly ") == "VBN"  # one word may stand between
    assert _in_context("VBD", "passed", "I've ") == "VBN"
    assert _in_context("VBD", "passed", "the test ") == "VBD"
    assert _in_context(None, "Fender", "") is None


def test_lexicon_tagger_reads_noun_verb_words_from_the_word_before():
    """A word WordNet knows as a noun and a verb only ("tune", "stands") gets a tag only where the word
    before settles it; elsewhere, capitalized, or glued to punctuation it gets none and is not swapped."""
    from reviewaug.augment.synonyms import (
        _context_readings,
        _context_tag,
        _lexicon_tag_at,
        _lexicon_taggable,
        _prev_word,
        _prev_word_at,
    )

    assert _context_readings("tune", 1, True) == ("NN", "VB")
    assert _context_readings("stands", 1, True)[0] == "NNS"
    assert _context_readings("tuner", 1, True) == ("", "")  # one part of speech: the lexicon's own tag
    assert _context_readings("locking", 1, True)[0] == ""  # "the locking pin": no noun reading for -ing

    def tag(word: str, before: str) -> str | None:
        return _context_tag(word, lambda: _prev_word(before), 1, True)

    assert tag("tune", "needed a quick ") is None  # an adjective before: unsettled
    assert tag("tune", "in ") is None
    for before in ("the ", "my ", "a ", "Every "):
        assert tag("tune", before) == "NN", before
    for before in ("easy to ", "you can ", "I'll ", "I don’t "):
        assert tag("tune", before) == "VB", before
    assert tag("tune", "I ") == "VBP" and tag("tune", "they ") == "VBP"
    assert tag("stands", "these ") == "NNS" and tag("stands", "a ") is None  # number agrees, or no tag
    assert tag("tune", "these ") is None  # "these look great": a subject, not a determiner
    assert tag("stands", "it ") == "VBZ"
    assert tag("tune", "the.") is None and tag("tune", "(the ") == "NN" and tag("tune", "the(") is None
    assert tag("Tune", "the ") is None  # capitalized inside a sentence: a name
    toks = ["I", " ", "like", " ", "the", " ", "tune", " ", "the", " ", "Tune"]
    assert _lexicon_taggable(toks, 6, 1, True) and not _lexicon_taggable(toks, 10, 1, True)
    assert not _lexicon_taggable(["a", " ", "quick", " ", "tune"], 4, 1, True)  # nothing settles it
    assert _lexicon_tag_at("tuner", lambda: "the ", 1, True) == "NN"  # the lexicon's own tag first
    assert _lexicon_tag_at("tune", lambda: "to ", 1, True) == "VB"
    # the fast path reads the word before from the pieces between spaces, as the general path from the text
    texts = [
        "the tune",
        "  to\ttune it",
        "a\n\ntune",
        "(the  tune)",
        "x.tune",
        "tune",
        " \n tune",
        "I  \t tune",
    ]
    for text in texts:
        chunks = text.split(" ")
        for c, chunk in enumerate(chunks):
            for a in range(len(chunk) + 1):
                want = _prev_word(" ".join(chunks[:c] + [chunk[:a]]))
                assert _prev_word_at(chunks, c, a) == want, (text, c, a)


@pytest.mark.corpus
def test_lexicon_swap_never_changes_a_capitalized_word_inside_a_sentence(corpus_path):
    """Brand and model names ("my Fender amp") are capitalized inside sentences: the lexicon tagger must leave
    every such word in place, as spaCy's proper-noun tag does (at rate 1.0, protection of keywords off)."""
    import re

    from reviewaug.io import load_reviews

    texts = load_reviews(str(corpus_path)).select(range(300))["text"]
    inside = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b")
    aug = SynonymSwap(rate=1.0, max_words=10_000, tagger="lexicon")
    out = aug(texts, rows_for(texts))
    names = 0
    for before, after in zip(texts, out):
        for name in set(inside.findall(before)):
            names += 1
            assert len(re.findall(rf"\b{name}\b", after)) >= len(re.findall(rf"\b{name}\b", before)), name
    assert names > 100  # the reviews do name products
    assert sum(a != b for a, b in zip(texts, out)) > 200  # and other words were swapped
