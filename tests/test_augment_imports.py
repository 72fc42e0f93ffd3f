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


def test_word_swap_runs_where_numba_cannot_cache_and_says_how_to():
    """A read-only install without a home folder leaves numba no place to cache compiled code: the swap still
    runs (compiled in memory) with the same output, and one warning names NUMBA_CACHE_DIR. numba's own
    locator override stands in for the read-only folders (its IPython locator finds nothing outside IPython)."""
    import os
    import subprocess
    import sys

    code = (
        "import warnings; warnings.simplefilter('default'); "
        "from reviewaug.augment.word import swap_words; "
        "print(swap_words(['the red cable and the blue strap by the amp'] * 3, [b'a', b'b', b'c'], "
        "[frozenset({'red'})] * 3, 0.3))"
    )
    runs = {}
    for name, extra in (
        ("cached", {}),
        ("uncached", {"NUMBA_CACHE_LOCATOR_CLASSES": "numba.core.caching.IPythonCacheLocator"}),
    ):
        env = {**os.environ, **extra}
        runs[name] = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
    assert runs["uncached"].stdout == runs["cached"].stdout
    assert "red" in runs["cached"].stdout
    assert runs["uncached"].stderr.count("NUMBA_CACHE_DIR") == 1  # one warning, not one per compiled function
    assert "NUMBA_CACHE_DIR" not in runs["cached"].stderr
