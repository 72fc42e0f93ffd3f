"""Augmenters: the protocol, combinators, constraints, ops, recipes and dataset application.

Example:
    >>> from reviewaug.augment import augment_texts, load_recipe
    >>> out = augment_texts(["The strap is great and cheap."], load_recipe("word-noise"), n=2, seed=7)
    >>> len(out[0])
    2
"""

from reviewaug.augment.constraints import EditRate, Guarded, PolarityKept, is_protected, protected_words
from reviewaug.augment.core import (
    Augmenter,
    Identity,
    OneOf,
    Row,
    RowWise,
    Sequential,
    Sometimes,
    row_key,
    row_rng,
)
from reviewaug.augment.dataset import augment_batch, augment_dataset, augment_texts
from reviewaug.augment.recipes import Recipe, list_recipes, load_recipe
from reviewaug.augment.word import RandomDelete, RandomSwap

__all__ = [
    "Augmenter",
    "Row",
    "RowWise",
    "Identity",
    "Sequential",
    "OneOf",
    "Sometimes",
    "row_key",
    "row_rng",
    "Guarded",
    "PolarityKept",
    "EditRate",
    "protected_words",
    "is_protected",
    "augment_dataset",
    "augment_texts",
    "augment_batch",
    "Recipe",
    "load_recipe",
    "list_recipes",
    "RandomSwap",
    "RandomDelete",
]
