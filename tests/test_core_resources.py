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


def test_where_the_cache_cannot_be_written_wordnet_is_copied_for_this_process_with_one_warning(
    tmp_path, monkeypatch
):
    """ensure_wordnet falls back to a temporary copy (removed at exit) so the synonym recipes still run, and
    says once how to keep it."""
    import nltk

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("REVIEWAUG_CACHE", str(blocker))
    src = tmp_path / "wordnet-src"
    src.mkdir()
    for name in resources.WORDNET_FILES:
        (src / name).write_text("", encoding="utf-8")
    (src / "data.noun").write_text("  1 a stand-in\n", encoding="utf-8")
    monkeypatch.setenv("REVIEWAUG_WORDNET_SRC", str(src))
    monkeypatch.setattr(nltk.data, "path", [])  # no WordNet among nltk's own data folders
    monkeypatch.setattr(resources, "_TEMP_WORDNET", None)
    with pytest.warns(RuntimeWarning, match="for this process only; set REVIEWAUG_CACHE"):
        base = resources.ensure_wordnet()
    copy = base / "corpora" / "wordnet"
    assert (copy / "data.noun").read_text(encoding="utf-8") == "  1 a stand-in\n"
    assert len((copy / "lexnames").read_text(encoding="ascii").splitlines()) == 45
    assert not str(base).startswith(str(blocker))
    assert resources.ensure_wordnet() == base  # built once per process
