"""Offline resources: a cache folder that cannot be written is named, with the way out."""

from __future__ import annotations

import pytest

from reviewaug import resources
from reviewaug.resources import ResourceMissing


def test_a_wordnet_copy_that_cannot_be_written_names_the_folder_and_reviewaug_cache(tmp_path, monkeypatch):
    """Building the nltk-style WordNet copy in a cache folder this user cannot create stops with
    ResourceMissing (the CLI prints it as one error), not an OSError traceback."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("REVIEWAUG_CACHE", str(blocker))
    src = tmp_path / "wordnet-src"
    src.mkdir()
    for name in resources.WORDNET_FILES:  # only their presence is checked before the copy starts
        (src / name).write_text("", encoding="utf-8")
    target = resources.wordnet_dir() / "corpora" / "wordnet"
    with pytest.raises(ResourceMissing, match="set REVIEWAUG_CACHE") as err:
        resources._build_wordnet(src, target)
    assert str(blocker) in str(err.value)
    assert not target.exists()
