"""Names that recipe files use for ops, combinators and checks, mapped to ``module:Class`` (imported lazily).

Add an op here to make it usable from a recipe. Example:
    >>> resolve("op", "word_swap").__name__
    'RandomSwap'
"""

from __future__ import annotations

import importlib

__all__ = ["OPS", "CHECKS", "COMBINATORS", "resolve"]

COMBINATORS = {
    "sequential": "reviewaug.augment.core:Sequential",
    "one_of": "reviewaug.augment.core:OneOf",
    "sometimes": "reviewaug.augment.core:Sometimes",
    "guarded": "reviewaug.augment.constraints:Guarded",
    "identity": "reviewaug.augment.core:Identity",
}

OPS = {
    "word_swap": "reviewaug.augment.word:RandomSwap",
    "word_delete": "reviewaug.augment.word:RandomDelete",
    # synonyms
    "synonym": "reviewaug.augment.synonyms:SynonymSwap",
    # noise
    "keyboard": "reviewaug.augment.noise:KeyboardTypo",
    "ocr": "reviewaug.augment.noise:OcrNoise",
    "char_swap": "reviewaug.augment.noise:CharSwap",
    "char_insert": "reviewaug.augment.noise:CharInsert",
    "char_delete": "reviewaug.augment.noise:CharDelete",
    "case": "reviewaug.augment.noise:CaseNoise",
    "char_noise": "reviewaug.augment.noise:CharNoise",
    "word_duplicate": "reviewaug.augment.noise:WordDuplicate",
    "synonym_insert": "reviewaug.augment.noise:SynonymInsert",
    "aeda": "reviewaug.augment.noise:Aeda",
    # rewriting
    "sentence_reorder": "reviewaug.augment.rewrite:SentenceReorder",
    "contractions": "reviewaug.augment.rewrite:Contractions",
    "clause_reorder": "reviewaug.augment.rewrite:ClauseReorder",
    "summary_mix": "reviewaug.augment.rewrite:SummaryRecombine",
    "rewrite": "reviewaug.augment.rewrite:Rewrite",
    "retrieval": "reviewaug.augment.rewrite:RetrievalRewrite",
    # the in-house review language model (reviewaug.gan)
    "gan_synth": "reviewaug.gan.augment:GanSynthesize",
    "lm_infill": "reviewaug.gan.augment:LmInfill",
}

CHECKS = {
    "polarity": "reviewaug.augment.constraints:PolarityKept",
    "edit_rate": "reviewaug.augment.constraints:EditRate",
    "similarity": "reviewaug.augment.similarity:SimilarityKept",
}


def resolve(kind: str, name: str) -> type:
    """The class registered as ``name`` among ``kind`` ("op", "check" or "combinator").

    Example:
        >>> resolve("check", "polarity").__name__
        'PolarityKept'
    """
    table = {"op": {**OPS, **COMBINATORS}, "check": CHECKS, "combinator": COMBINATORS}[kind]
    if name not in table:
        raise KeyError(f"unknown {kind} {name!r}; known: {', '.join(sorted(table))}")
    mod, _, attr = table[name].partition(":")
    return getattr(importlib.import_module(mod), attr)
