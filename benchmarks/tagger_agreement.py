"""How well the synonym swap's lexicon tagger agrees with spaCy, on the words it tags, in real reviews.

``SynonymSwap(tagger="lexicon")`` tags a word from WordNet alone (only words WordNet knows under one part of
speech), refined by the text before it (a capitalized word inside a sentence is a proper noun; a past form after
"has"/"was" a participle), and words WordNet knows as a noun and a verb only where the word before settles which
(after a determiner a noun; after "to" or a modal a verb; after a subject pronoun a present-tense verb). ``tagger="spacy"`` runs ``en_core_web_sm`` on a window around the word. For every
candidate word of the first ``--reviews`` reviews (all candidates, as at rate 1.0, protection off) this prints:
how many the lexicon tags, how often its Penn tag and — what the swap uses — its list of replacement options
equal spaCy's, the most common disagreements, and (``--sample N``) a uniform sample of disagreements as
``review_id, token index, lexicon tag, spaCy tag`` for a person to judge which reading is right
(``--show`` prints each with its context, read from the corpus; the review text is never written to a file).
``--plain`` leaves out the context rules, ``--no-word-before`` only the noun/verb words, to compare.

    .venv/bin/python benchmarks/tagger_agreement.py --reviews 1500 --sample 60 --show
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data",
        default=os.environ.get(
            "REVIEWAUG_DATA",
            str(Path(__file__).resolve().parents[2] / "shared/data/amazon-musical-instruments-5core.json.gz"),
        ),
    )
    ap.add_argument("--reviews", type=int, default=1500, help="the first N reviews of the corpus")
    ap.add_argument("--plain", action="store_true", help="the lexicon tag without the context rules")
    ap.add_argument(
        "--no-word-before",
        action="store_true",
        help="leave out the noun/verb words whose tag the word before gives (the tagger before 2026-12-02)",
    )
    ap.add_argument("--sample", type=int, default=0, help="print a uniform sample of N disagreements")
    ap.add_argument(
        "--word-before-only",
        action="store_true",
        help="with --sample: only disagreements on words tagged by the word before them",
    )
    ap.add_argument("--show", action="store_true", help="with --sample: print each one's context")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import numpy as np

    from reviewaug.augment import synonyms as S
    from reviewaug.io import load_reviews

    ds = load_reviews(args.data).select(range(args.reviews))

    def lexicon(toks: list[str], p: int) -> str | None:
        tag = S._lexicon_tag(toks[p].lower(), 1, True)
        if args.plain or (tag is None and args.no_word_before):
            return tag
        return S._lexicon_tag_at(toks[p], lambda: "".join(toks[:p]), 1, True)

    def by_word_before(toks: list[str], p: int) -> bool:
        return S._lexicon_tag(toks[p].lower(), 1, True) is None

    requests, ids = [], []
    for i, (rid, text) in enumerate(zip(ds["review_id"], ds["text"])):
        toks, order, _ = S._plan(text, np.random.default_rng(i), 1.0, 10**6, frozenset(), True, 1, True)
        requests.append((toks, [p for p in sorted(order) if lexicon(toks, p)], order))
        ids.append(rid)
    spacy_tags = S.tag_positions([(toks, tagged) for toks, tagged, _ in requests])
    spacy_all = S.tag_positions([(toks, order) for toks, _, order in requests])

    n = same_tag = same_opts = lex_swappable = 0
    wb = wb_same_tag = wb_same_opts = 0  # the words tagged by the word before them
    spacy_swappable = sum(
        1 for (toks, _, order), tags in zip(requests, spacy_all) for p in order if S._options(toks[p], tags.get(p), 1, True)
    )  # fmt: skip
    kinds: collections.Counter = collections.Counter()
    disagree = []
    for rid, (toks, tagged, _), tags in zip(ids, requests, spacy_tags):
        for p in tagged:
            st = tags.get(p)
            if not st:  # spaCy split the word differently
                continue
            lt = lexicon(toks, p)
            n += 1
            same_tag += st == lt
            lo, so = S._options(toks[p], lt, 1, True), S._options(toks[p], st, 1, True)
            lex_swappable += bool(lo)
            same_opts += lo == so
            if by_word_before(toks, p):
                wb += 1
                wb_same_tag += st == lt
                wb_same_opts += lo == so
            if lo != so:
                kinds[(lt, st)] += 1
                if not args.word_before_only or by_word_before(toks, p):
                    disagree.append((rid, p, lt, st, toks, lo, so))
    print(
        f"{args.reviews} reviews, lexicon tagger {'without' if args.plain else 'with'} context rules: "
        f"{n:,} words tagged ({lex_swappable:,} with options; spaCy's tags give options to {spacy_swappable:,} "
        f"candidate words, so the lexicon reaches {lex_swappable / max(spacy_swappable, 1):.0%} of them)"
    )
    print(f"Penn tag equal to spaCy's: {same_tag / n:.1%}; replacement options equal: {same_opts / n:.1%}")
    if wb:
        print(
            f"of them tagged by the word before (noun/verb words): {wb:,}; Penn tag equal to spaCy's "
            f"{wb_same_tag / wb:.1%}, replacement options equal {wb_same_opts / wb:.1%}"
        )
    print("most common disagreements (lexicon tag, spaCy tag): count")
    for (lt, st), c in kinds.most_common(12):
        print(f"  {lt or '-'} / {st}: {c}")
    if args.sample:
        from reviewaug.augment.core import stable_hash

        # the N with the smallest hash of (seed, review, token): uniform, and a disagreement keeps its place in
        # the sample when code changes add or remove others
        pick = sorted(disagree, key=lambda d: stable_hash(f"{args.seed}:{d[0]}:{d[1]}"))[: args.sample]
        print(
            f"\nuniform sample of {len(pick)} of {len(disagree)} disagreements (review_id, token, lexicon, spaCy):"
        )
        for k, (rid, p, lt, st, toks, lo, so) in enumerate(pick):
            line = f"{k:3d} {rid} {p} {lt} {st}"
            if args.show:
                ctx = "".join(toks[max(0, p - 8) : p]) + "[" + toks[p] + "]" + "".join(toks[p + 1 : p + 8])
                line += f"  {ctx!r}  lexicon {lo[:2]} spaCy {so[:2]}"
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
