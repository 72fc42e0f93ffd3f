"""The examples in the docstrings of every reviewaug module run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import reviewaug

MODULES = sorted(
    ["reviewaug"] + [m.name for m in pkgutil.walk_packages(reviewaug.__path__, prefix="reviewaug.")]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0, f"{res.failed} docstring example(s) failed in {name}"
