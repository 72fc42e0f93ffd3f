"""The examples in the docstrings of the augmenter-family modules run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "reviewaug.augment.synonyms",
    "reviewaug.augment.noise",
    "reviewaug.augment.rewrite",
    "reviewaug.augment.similarity",
    "reviewaug.augment.polarity",
    "reviewaug.augment.quality",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0


def test_light_imports():
    """Importing the families pulls in no torch, spaCy or transformers (they load on first use)."""
    import subprocess
    import sys

    code = (
        "import sys, reviewaug.augment.synonyms, reviewaug.augment.noise, reviewaug.augment.rewrite, "
        "reviewaug.augment.similarity, reviewaug.augment.polarity, reviewaug.augment.quality; "
        "print(sorted(m for m in ('torch', 'spacy', 'transformers', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
