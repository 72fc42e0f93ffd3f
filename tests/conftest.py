"""Shared fixtures: the real corpus (skipped when absent) and small synthetic review sets written here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# synthetic reviews written for the tests (not from any corpus)
SYNTH_TEXTS = [
    "The tuner is great and cheap, I love how fast it locks onto the low E string.",
    "Terrible cable. It crackles after two weeks and the jack is loose. Do not buy.",
    "Solid stand, holds my bass without wobbling. Not fancy but it works.",
    "",
    "The strap feels nice, though the 3 leather ends started to crack. Still happy overall!",
    "Picks are too thin for me; they bend and the grip wears off quickly.",
    "Best capo I have owned: no buzz, quick to move, and it never slips.",
    "Meh. The pedal is okay but the noise floor is high with my amp.",
]


def corpus() -> Path | None:
    try:
        from reviewaug.io import default_corpus_path

        return default_corpus_path()
    except FileNotFoundError:
        return None


@pytest.fixture(scope="session")
def corpus_path() -> Path:
    p = corpus()
    if p is None:
        pytest.skip("real corpus ../shared/data/amazon-musical-instruments-5core.json.gz not present")
    return p


@pytest.fixture
def synth_ds():
    import datasets

    n = len(SYNTH_TEXTS)
    return datasets.Dataset.from_dict(
        {
            "review_id": [f"r{i}" for i in range(n)],
            "user_id": [f"u{i % 3}" for i in range(n)],
            "item_id": [f"i{i % 4}" for i in range(n)],
            "rating": [float(1 + i % 5) for i in range(n)],
            "text": SYNTH_TEXTS,
            "summary": [f"summary {i}" for i in range(n)],
            "timestamp": [1_400_000_000 + 86400 * i for i in range(n)],
            "text_empty": [not t.strip() for t in SYNTH_TEXTS],
        }
    )
