"""The examples in the docstrings of the core modules run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "reviewaug",
    "reviewaug.io",
    "reviewaug.io.readers",
    "reviewaug.io.writers",
    "reviewaug.features",
    "reviewaug.features.sentiment",
    "reviewaug.features.keywords",
    "reviewaug.augment",
    "reviewaug.augment.core",
    "reviewaug.augment.tokens",
    "reviewaug.augment.constraints",
    "reviewaug.augment.word",
    "reviewaug.augment.dataset",
    "reviewaug.augment.recipes",
    "reviewaug.augment.registry",
    "reviewaug.resources",
    "reviewaug.cli",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0
