"""The examples in the docstrings of reviewaug.rec and reviewaug.evaluate run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "reviewaug.rec.interactions",
    "reviewaug.rec.split",
    "reviewaug.rec.metrics",
    "reviewaug.rec.slices",
    "reviewaug.rec.models",
    "reviewaug.rec.evaluate",
    "reviewaug.evaluate.stats",
    "reviewaug.evaluate.dedupe",
    "reviewaug.evaluate.controls",
    "reviewaug.evaluate.sentiment",
    "reviewaug.evaluate.plots",
    "reviewaug.evaluate.report",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
