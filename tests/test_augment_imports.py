"""Importing the augmenter families stays light."""

from __future__ import annotations


def test_light_imports():
    """Importing the families pulls in no torch, spaCy, transformers or numba (they load on first use)."""
    import subprocess
    import sys

    code = (
        "import sys, reviewaug.augment.synonyms, reviewaug.augment.noise, reviewaug.augment.rewrite, "
        "reviewaug.augment.similarity, reviewaug.augment.polarity, reviewaug.augment.quality, reviewaug.augment.word; "
        "print(sorted(m for m in ('torch', 'spacy', 'transformers', 'sentence_transformers', 'numba') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
