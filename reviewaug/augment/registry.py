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
}

CHECKS = {
    "polarity": "reviewaug.augment.constraints:PolarityKept",
    "edit_rate": "reviewaug.augment.constraints:EditRate",
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
