"""Recipes: named, documented compositions of augmenters, written as TOML files in ``recipes/``.

A recipe file holds ``name``, ``summary`` (one line), ``description``, optional ``[protect]`` settings and an
``[augmenter]`` table: ``type`` names an op, a combinator or ``guarded`` (see :mod:`reviewaug.augment.registry`);
the other keys are its parameters; nested augmenters are tables, ``checks`` is a list of tables.

Example:
    >>> r = load_recipe("word-noise")
    >>> r.name, len(r.summary) > 0
    ('word-noise', True)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewaug.augment.constraints import check_protect
from reviewaug.augment.core import Augmenter
from reviewaug.augment.registry import COMBINATORS, resolve

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Recipe", "recipe_dirs", "list_recipes", "load_recipe", "build_augmenter"]


@dataclass(frozen=True)
class Recipe:
    """A named augmenter with its documentation and protection settings.

    Example:
        >>> from reviewaug.augment.core import Identity
        >>> Recipe("id", "does nothing", Identity()).protect
        {}
    """

    name: str
    summary: str
    augmenter: Augmenter
    description: str = ""
    protect: dict[str, bool] = field(default_factory=dict)
    path: Path | None = None

    def __call__(self, texts: Any, rows: Any) -> list[str]:
        return self.augmenter(texts, rows)


def recipe_dirs() -> list[Path]:
    """Where recipes are looked up: the repository's ``recipes/``, then the copy inside an installed wheel.

    Example:
        >>> any(d.name in ("recipes", "_recipes") for d in recipe_dirs())
        True
    """
    here = Path(__file__).resolve().parent.parent
    return [d for d in (here.parent / "recipes", here / "_recipes") if d.is_dir()]


def _recipe_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in recipe_dirs():
        for p in sorted(d.glob("*.toml")):
            found.setdefault(p.stem, p)
    return found


def build_augmenter(spec: dict[str, Any], where: str = "recipe") -> Augmenter:
    """Build an augmenter from a recipe's ``[augmenter]`` table.

    Example:
        >>> build_augmenter({"type": "sometimes", "p": 0.5, "augmenter": {"type": "word_swap", "p": 0.1}})
        Sometimes(augmenter=RandomSwap(p=0.1, respect_protected=True, name='word_swap'), p=0.5)
    """
    if not isinstance(spec, dict) or "type" not in spec:
        raise ValueError(f"{where}: an augmenter must be a table with a 'type', got {spec!r}")
    params = {k: v for k, v in spec.items() if k != "type"}
    kind = spec["type"]
    try:
        cls = resolve("op", kind)
    except KeyError as e:
        raise ValueError(f"{where}: {e.args[0]}") from None
    if kind in COMBINATORS:
        for key in ("augmenter",):
            if key in params:
                params[key] = build_augmenter(params[key], f"{where}.{kind}")
        for key in ("steps", "choices"):
            if key in params:
                params[key] = [build_augmenter(s, f"{where}.{kind}[{i}]") for i, s in enumerate(params[key])]
        if "checks" in params:
            if not isinstance(params["checks"], list):
                raise ValueError(f"{where}: checks must be a list of tables, got {params['checks']!r}")
            checks = []
            for c in params["checks"]:
                if not isinstance(c, dict):
                    raise ValueError(f"{where}: a check must be a table with a 'type', got {c!r}")
                cp = {k: v for k, v in c.items() if k != "type"}
                try:
                    checks.append(resolve("check", c.get("type", "?"))(**cp))
                except KeyError as e:
                    raise ValueError(f"{where}: {e.args[0]}") from None
                except (TypeError, ValueError) as e:
                    raise ValueError(f"{where}: bad parameters for check {c.get('type')!r}: {e}") from None
            params["checks"] = tuple(checks)
    try:
        return cls(**params)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: bad parameters for {kind!r}: {e}") from None


def load_recipe(name_or_path: str | Path) -> Recipe:
    """Load a recipe by name (``word-noise``) or from a TOML file path.

    Example:
        >>> load_recipe("word-noise").protect["keywords"]
        True
    """
    p = Path(name_or_path)
    if p.suffix != ".toml" or not p.exists():
        files = _recipe_files()
        if str(name_or_path) not in files:
            raise KeyError(
                f"unknown recipe {str(name_or_path)!r}; known: {', '.join(sorted(files)) or 'none'}"
            )
        p = files[str(name_or_path)]
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{p}: not valid TOML: {e}") from None
    for key in ("name", "summary", "augmenter"):
        if key not in data:
            raise ValueError(f"{p}: missing '{key}'")
    protect = data.get("protect", {})
    try:
        check_protect(protect)
    except ValueError as e:
        raise ValueError(f"{p}: [protect] {e}") from None
    return Recipe(
        name=data["name"],
        summary=data["summary"],
        augmenter=build_augmenter(data["augmenter"], str(p)),
        description=data.get("description", "").strip(),
        protect=dict(protect),
        path=p,
    )


def list_recipes() -> list[Recipe]:
    """All recipes found, sorted by name.

    Example:
        >>> "word-noise" in [r.name for r in list_recipes()]
        True
    """
    return [load_recipe(p) for _, p in sorted(_recipe_files().items())]
