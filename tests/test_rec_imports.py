"""Import hygiene of the measurement packages: light imports, no augmenters, no global randomness."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [ROOT / "reviewaug" / "rec", ROOT / "reviewaug" / "evaluate"]


def test_importing_rec_and_evaluate_loads_no_heavy_library():
    code = (
        "import sys, reviewaug.rec, reviewaug.evaluate\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers', 'implicit', 'spacy', 'sklearn', 'matplotlib')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_measurement_code_never_imports_augmenters_or_global_random():
    for pkg in PACKAGES:
        for path in pkg.glob("*.py"):
            src = path.read_text()
            assert not re.search(r"^\s*(from|import)\s+reviewaug\.augment", src, re.M), path
            assert not re.search(
                r"^\s*import random\b|\brandom\.(random|choice|shuffle|seed)\(", src, re.M
            ), path
            assert not re.search(
                r"np\.random\.(seed|rand|randn|randint|choice|shuffle|permutation)\(", src
            ), path
            assert "torch.manual_seed" not in src, path
