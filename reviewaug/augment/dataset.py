"""Apply an augmenter to datasets: ``augment_dataset`` for Hugging Face datasets, ``augment_texts`` for lists.

Every copy ``k`` (1..n) of a row gets its own generator from ``(seed, review_id, k)``; the output is the same at
any batch size and process count. Rows are never dropped: the output has exactly
``rows × (n + keep_original)`` rows, each source followed by its copies.

Added columns: ``aug_of`` (source review_id), ``aug_index`` (0 = the original, 1..n = copies) and ``aug_ops``
(what was applied, with ``fallback:<check>`` where a guard restored the source text). Copies get the review_id
``<source>~aug<k>`` and a recomputed ``polarity`` when the dataset has that column.

Example:
    >>> import datasets
    >>> from reviewaug.augment.word import RandomSwap
    >>> ds = datasets.Dataset.from_dict({"review_id": ["a"], "text": ["one two three four"]})
    >>> out = augment_dataset(ds, RandomSwap(p=0.5), n=2, seed=0, progress=False)
    >>> out.num_rows, list(out["aug_index"])
    (3, [0, 1, 2])
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reviewaug.augment.constraints import check_protect, protected_words
from reviewaug.augment.core import Augmenter, Row, apply_to, row_key
from reviewaug.features import features_for_texts, polarity_scores

__all__ = ["augment_dataset", "augment_texts", "augment_batch", "AUG_COLUMNS"]

AUG_COLUMNS = ("aug_of", "aug_index", "aug_ops")


def _resolve(augmenter: Any) -> tuple[Augmenter, dict[str, bool]]:
    """An augmenter, a Recipe or a recipe name → (augmenter, protection settings)."""
    if isinstance(augmenter, str):
        from reviewaug.augment.recipes import load_recipe

        augmenter = load_recipe(augmenter)
    protect = dict(getattr(augmenter, "protect", None) or {})
    aug = getattr(augmenter, "augmenter", None) if hasattr(augmenter, "protect") else None
    return (aug if aug is not None else augmenter), protect


def augment_batch(
    texts: Sequence[str | None],
    ids: Sequence[str],
    augmenter: Any,
    *,
    n: int = 1,
    seed: int = 0,
    features: Mapping[str, Sequence[Any]] | None = None,
    protect: Mapping[str, bool] | None = None,
    stream: str = "",
    retries: int = 2,
) -> list[tuple[list[str | None], list[list[str]]]]:
    """Augment one batch: for each text, ``n`` copies and their ops records.

    ``features`` holds per-row columns (``keywords``, ``sentiment_words``...); missing keyword or sentiment
    columns are computed here so that protection always works. ``stream`` goes into every row's key
    (:func:`~reviewaug.augment.core.row_key`): rows that share ids in different data (positions in two splits)
    then draw differently. ``retries``: how many times a copy that the augmenter changed into the very text of
    an earlier copy of its row is drawn again, with a key of its own (``row_key(..., stream=stream +
    "\\x1fretry<r>")``); the first draw that gives a new changed text is kept, else the repeat stays. Copies
    left as their source are never redrawn (``Sometimes`` means them).

    Example:
        >>> from reviewaug.augment.core import Identity
        >>> augment_batch(["x"], ["r1"], Identity(), n=2)
        [(['x', 'x'], [[], []])]
    """
    return _augment_rows(
        texts,
        ids,
        augmenter,
        n=n,
        seed=seed,
        features=features,
        protect=protect,
        stream=stream,
        retries=_check_retries(retries),
    )[0]


def _check_retries(retries: Any) -> int:
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ValueError(f"retries must be a whole number >= 0, got {retries!r}")
    return retries


def _augment_rows(
    texts: Sequence[str | None],
    ids: Sequence[str],
    augmenter: Any,
    *,
    n: int,
    seed: int,
    features: Mapping[str, Sequence[Any]] | None,
    protect: Mapping[str, bool] | None,
    stream: str,
    retries: int = 0,
) -> tuple[list[tuple[list[str | None], list[list[str]]]], list[list[bool]]]:
    """:func:`augment_batch`, and for each copy whether the ops' proofs lead from the source to it (its VADER
    score is then the source's)."""
    from reviewaug.augment.polarity import proved_unchanged

    aug, recipe_protect = _resolve(augmenter)
    prot = {**recipe_protect, **(protect or {})}
    feats: dict[str, Sequence[Any]] = dict(features or {})
    needed = [c for c in ("keywords", "sentiment_words") if c not in feats]
    if needed and (prot.get("keywords", True) or prot.get("sentiment", True)):
        computed = features_for_texts(list(texts))
        for c in needed:
            feats[c] = computed[c]
    _fill_null_features(texts, feats, prot)
    if "polarity" in feats:
        _check_polarity(texts, ids, feats["polarity"])
    m = len(texts)
    row_feats = [{k: v[i] for k, v in feats.items()} for i in range(m)]
    clean = [t if isinstance(t, str) else "" for t in texts]
    protected = [protected_words(t, f, **prot) for t, f in zip(clean, row_feats)]
    results: list[tuple[list[str | None], list[list[str]]]] = [([], []) for _ in range(m)]
    proved: list[list[bool]] = [[] for _ in range(m)]
    for k in range(1, n + 1):
        rows = [
            Row(
                key=row_key(seed, ids[i], k, stream=stream),
                features=row_feats[i],
                protected=protected[i],
                original=clean[i],
            )
            for i in range(m)
        ]
        out = aug(clean, rows)
        if len(out) != m:
            raise RuntimeError(f"augmenter {aug!r} returned {len(out)} texts for a batch of {m}")
        for r in range(1, retries + 1):  # a changed copy that repeats an earlier one: drawn again
            redo = [i for i in range(m) if out[i] != clean[i] and out[i] in results[i][0]]
            if not redo:
                break
            again = [
                Row(
                    key=row_key(seed, ids[i], k, stream=f"{stream}\x1fretry{r}"),
                    features=row_feats[i],
                    protected=protected[i],
                    original=clean[i],
                )
                for i in redo
            ]
            got = apply_to(aug, [clean[i] for i in redo], again)
            for i, new, row in zip(redo, got, again):
                if new != clean[i] and new not in results[i][0]:
                    out[i], rows[i] = new, row
        for i in range(m):
            results[i][0].append(out[i] if isinstance(texts[i], str) else texts[i])
            results[i][1].append(list(rows[i].ops))
            proved[i].append(proved_unchanged(rows[i].vader_proofs, clean[i], out[i]))
    return results, proved


def _fill_null_features(
    texts: Sequence[str | None], feats: dict[str, Sequence[Any]], prot: Mapping[str, bool]
) -> None:
    """Compute ``keywords``/``sentiment_words`` for the rows where the column holds null (protection needs them)."""
    cols = [c for c in ("keywords", "sentiment_words") if c in feats]
    holes = [i for i in range(len(texts)) if any(feats[c][i] is None for c in cols)]
    if not holes or not (prot.get("keywords", True) or prot.get("sentiment", True)):
        return
    computed = features_for_texts([texts[i] for i in holes])
    for c in cols:
        col = list(feats[c])
        for j, i in enumerate(holes):
            if col[i] is None:
                col[i] = computed[c][j]
        feats[c] = col


_SPOT_CHECKS = 2  # rows of each batch whose stored polarity is compared with VADER's score of the text


def _check_polarity(texts: Sequence[str | None], ids: Sequence[str], values: Sequence[Any]) -> None:
    """Refuse a ``polarity`` column that does not hold VADER's compound score of each row's text: the guard
    reads it as the source's score and copies are rescored into it, so labels or another model's scores there
    would make copies fail the guard and mix two scales in one column. A finite value must lie in [-1, 1]
    (VADER's range), and the first two rows of the batch that hold one are scored again (two VADER calls a
    batch) and must agree to 1e-4. Null and NaN mean "not scored yet" and pass.

    Example:
        >>> _check_polarity(["I love it"], ["r1"], [0.6369])
        >>> _check_polarity(["I love it"], ["r1"], [1.0])
        Traceback (most recent call last):
        ...
        ValueError: column 'polarity' of row 'r1' holds 1.0, but VADER's compound score of its text is 0.6369: ...
    """
    hint = (
        "reviewaug reads 'polarity' as VADER's compound score of the text (`reviewaug features` and "
        "features.add_features write it), to guard the copies and to rescore them. Rename a column that holds "
        "labels or another model's scores; if the texts changed since the scores were computed, drop the column "
        "and run `reviewaug features` again"
    )
    checked = 0
    for text, rid, v in zip(texts, ids, values):
        if not (isinstance(v, float) and math.isfinite(v)):
            continue
        if abs(v) > 1:
            raise ValueError(
                f"column 'polarity' of row {rid!r} holds {v!r}, outside VADER's compound range [-1, 1]: {hint}"
            )
        if checked < _SPOT_CHECKS:
            checked += 1
            got = float(polarity_scores([text if isinstance(text, str) else None])[0])
            if abs(got - v) > 1e-4:
                raise ValueError(
                    f"column 'polarity' of row {rid!r} holds {v!r}, but VADER's compound score of its text is "
                    f"{got:.4f}: {hint}"
                )


def augment_texts(
    texts: Sequence[str],
    augmenter: Any,
    *,
    n: int = 1,
    seed: int = 0,
    ids: Sequence[str] | None = None,
    features: Mapping[str, Sequence[Any]] | None = None,
    retries: int = 2,
) -> list[list[str]]:
    """``n`` augmented copies of each text (ids default to the position); a copy repeating an earlier one is
    drawn again up to ``retries`` times (see :func:`augment_batch`).

    Example:
        >>> from reviewaug.augment.word import RandomDelete
        >>> augment_texts(["a b c"], RandomDelete(p=0.0), n=2)
        [['a b c', 'a b c']]
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not one string (wrap it: [text])")
    ids = [str(i) for i in range(len(texts))] if ids is None else [str(i) for i in ids]
    if len(ids) != len(texts):
        raise ValueError(f"augment_texts got {len(ids)} ids for {len(texts)} texts")
    if len(set(ids)) != len(ids):
        raise ValueError("augment_texts: ids must be unique (each seeds its text's copies)")
    res = augment_batch(texts, ids, augmenter, n=n, seed=seed, features=features, retries=retries)
    return [[t or "" for t in copies] for copies, _ in res]


def _expand_fn(
    augmenter: Any,
    *,
    n: int,
    keep_original: bool,
    seed: int,
    text_column: str,
    id_column: str | None,
    protect: Mapping[str, bool] | None,
    stream: str = "",
    retries: int = 2,
) -> Callable[..., dict[str, list[Any]]]:
    def fn(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        clash = [c for c in AUG_COLUMNS if c in batch]  # a stream whose columns were unknown up front
        if clash:
            raise ValueError(f"dataset already has {', '.join(clash)}: it looks augmented already")
        texts = batch[text_column]
        ids = [str(x) for x in batch[id_column]] if id_column else [str(i) for i in indices]
        feats = {c: batch[c] for c in ("keywords", "sentiment_words", "polarity") if c in batch}
        for c in batch:
            if c not in feats and c not in (text_column,):
                feats[c] = batch[c]
        res, proved = _augment_rows(
            texts,
            ids,
            augmenter,
            n=n,
            seed=seed,
            features=feats,
            protect=protect,
            stream=stream,
            retries=retries,
        )
        cols = list(batch.keys())
        out: dict[str, list[Any]] = {c: [] for c in cols}
        out.update({"aug_of": [], "aug_index": [], "aug_ops": []})
        new_texts_pos: list[int] = []
        src_of: list[int] = []  # source row of each copy in new_texts_pos
        sure: list[bool] = []  # its ops proved VADER's score unchanged
        for i, (copies, ops) in enumerate(res):
            versions = ([(batch[text_column][i], [], 0)] if keep_original else []) + [
                (t, o, k + 1) for k, (t, o) in enumerate(zip(copies, ops))
            ]
            for text, o, k in versions:
                for c in cols:
                    out[c].append(batch[c][i])
                out[text_column][-1] = text
                if id_column and k > 0:
                    out[id_column][-1] = f"{ids[i]}~aug{k}"
                if k > 0:
                    new_texts_pos.append(len(out["aug_of"]))
                    src_of.append(i)
                    sure.append(proved[i][k - 1])
                out["aug_of"].append(ids[i])
                out["aug_index"].append(k)
                out["aug_ops"].append(o)
        if "polarity" in out and new_texts_pos:
            from reviewaug.augment.polarity import vader_unchanged

            # a copy whose edits cannot move VADER's score (unchanged, or only VADER-neutral tokens replaced)
            # keeps its source's score; VADER runs on the others
            todo = []
            for j, i, proof in zip(new_texts_pos, src_of, sure):
                src, pol_src = batch[text_column][i], batch["polarity"][i]
                if not (isinstance(pol_src, float) and math.isfinite(pol_src) and isinstance(src, str)
                        and isinstance(out[text_column][j], str)
                        and (proof or vader_unchanged(src, out[text_column][j]))):  # fmt: skip
                    todo.append(j)
            pol = polarity_scores([out[text_column][j] for j in todo]) if todo else []
            for j, v in zip(todo, pol):
                out["polarity"][j] = float(v)
        return out

    return fn


def _checked_ids(ds: Any, id_column: str) -> Any:
    """``ds`` with its ids as strings; a null, duplicate or copy-like id (``<id>~aug<k>`` of another row) is a
    ``ValueError`` naming the rows, since copies are named and seeded by their source's id."""
    import datasets

    if ds.features[id_column] != datasets.Value("string"):
        ds = ds.cast_column(id_column, datasets.Value("string"))  # 12 -> "12": copies are named "12~aug1"
    seen: dict[str, int] = {}
    for i, rid in enumerate(ds[id_column]):
        if rid is None:
            raise ValueError(
                f"{id_column!r} is null in row {i}: every row needs an id (or pass id_column=None)"
            )
        if rid in seen:
            raise ValueError(
                f"{id_column!r} {rid!r} appears in rows {seen[rid]} and {i}: copies are named and seeded by the id, "
                "so ids must be unique (load_reviews renames duplicates; or pass id_column=None)"
            )
        seen[rid] = i
    for rid, i in seen.items():
        base, sep, k = rid.rpartition("~aug")
        if sep and k.isdigit() and base in seen:
            raise ValueError(
                f"{id_column!r} {rid!r} (row {i}) is the name a copy of row {seen[base]} would get: "
                "is the dataset augmented already?"
            )
    return ds


def _fingerprint(*parts: Any) -> str:
    """A datasets fingerprint for one ``augment_dataset`` call (its inputs and process count)."""
    key = "\x1f".join(repr(p) for p in parts)
    return "reviewaug-" + hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=16).hexdigest()


def augment_dataset(
    ds: Any,
    augmenter: Any,
    n: int = 1,
    keep_original: bool = True,
    seed: int = 0,
    num_proc: int | None = None,
    *,
    batch_size: int = 256,
    text_column: str = "text",
    id_column: str | None = "review_id",
    protect: Mapping[str, bool] | None = None,
    progress: bool = True,
    stream: str = "",
    retries: int = 2,
) -> Any:
    """Augment a ``Dataset``, ``DatasetDict`` or ``IterableDataset`` (streaming) with ``n`` copies per row.

    ``augmenter`` is an augmenter, a :class:`~reviewaug.augment.recipes.Recipe` or a recipe name.
    ``protect`` overrides which words are kept (``keywords``, ``sentiment``, ``negations``, ``numbers``,
    ``modifiers``; see :func:`~reviewaug.augment.constraints.protected_words`).
    When ``id_column`` is absent from the data, row positions serve as ids; in a ``DatasetDict`` the split's name
    then goes into the rows' keys as ``stream`` (row 0 of "train" and of "test" draw differently). ``stream``
    does that for data you augment apart. A copy the augmenter changed into the text of an earlier copy of its
    row is drawn again, up to ``retries`` times (see :func:`augment_batch`): n copies are then n different
    texts wherever the augmenter can make them.

    Example:
        >>> import datasets
        >>> ds = datasets.Dataset.from_dict({"review_id": ["a", "b"], "text": ["good one", "bad one"]})
        >>> augment_dataset(ds, "word-noise", n=1, keep_original=False, progress=False).num_rows
        2
    """
    import datasets

    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {seed!r}")
    if not isinstance(keep_original, bool):
        raise TypeError(f"keep_original must be True or False, got {keep_original!r}")
    if not isinstance(stream, str):
        raise TypeError(f"stream must be a string, got {stream!r}")
    _check_retries(retries)
    if protect:
        try:
            check_protect(protect)
        except ValueError as e:
            raise ValueError(f"protect {e}") from None
    if isinstance(ds, datasets.DatasetDict | datasets.IterableDatasetDict):
        return type(ds)(
            {
                k: augment_dataset(
                    v,
                    augmenter,
                    n=n,
                    keep_original=keep_original,
                    seed=seed,
                    num_proc=num_proc,
                    batch_size=batch_size,
                    text_column=text_column,
                    id_column=id_column,
                    protect=protect,
                    progress=progress,
                    retries=retries,
                    stream=stream
                    or (
                        k if id_column is None or (v.column_names and id_column not in v.column_names) else ""
                    ),
                )
                for k, v in ds.items()
            }
        )
    if isinstance(augmenter, str):
        from reviewaug.augment.recipes import load_recipe

        augmenter = load_recipe(augmenter)
    cols = ds.column_names
    if cols is not None:
        if text_column not in cols:
            raise KeyError(f"no text column {text_column!r}; columns found: {', '.join(cols)}")
        clash = [c for c in AUG_COLUMNS if c in cols]
        if clash:
            raise ValueError(f"dataset already has {', '.join(clash)}: it looks augmented already")
        if id_column and id_column not in cols:
            id_column = None
    if isinstance(ds, datasets.Dataset) and id_column:
        ds = _checked_ids(ds, id_column)
    if isinstance(ds, datasets.Dataset) and "polarity" in ds.column_names:
        kind = getattr(ds.features["polarity"], "dtype", None)
        if kind == "null":  # no scores yet: the copies get theirs
            ds = ds.cast_column("polarity", datasets.Value("float64"))
        elif kind not in ("float32", "float64"):
            raise ValueError(
                f"column 'polarity' holds {kind or ds.features['polarity']}: reviewaug reserves it for VADER's "
                "compound score (features.add_features writes it) and rescores the copies; rename your column"
            )
    fn = _expand_fn(
        augmenter,
        n=n,
        keep_original=keep_original,
        seed=seed,
        text_column=text_column,
        id_column=id_column,
        protect=protect,
        stream=stream,
        retries=retries,
    )
    kwargs: dict[str, Any] = {"batched": True, "batch_size": batch_size, "with_indices": True}
    if isinstance(ds, datasets.Dataset):
        features = ds.features.copy()
        features["aug_of"] = datasets.Value("string")
        features["aug_index"] = datasets.Value("int32")
        features["aug_ops"] = datasets.Sequence(datasets.Value("string"))
        procs = num_proc if num_proc and num_proc > 1 else None
        kwargs.update(
            features=features,
            remove_columns=ds.column_names,
            num_proc=procs,
            desc=f"augment x{n}",
            load_from_cache_file=False,
            # datasets picks the shard count of any cache file left by an earlier call with the same
            # fingerprint, whatever num_proc says, so a num_proc=1 run would make every later num_proc=2 run use
            # one worker: the process count is part of the fingerprint
            new_fingerprint=_fingerprint(
                getattr(ds, "_fingerprint", ""),
                augmenter,
                n,
                keep_original,
                seed,
                text_column,
                id_column,
                sorted((protect or {}).items()),
                batch_size,
                procs or 1,
                stream,
                retries,
            ),
        )
        if ds.num_rows == 0:  # datasets' map would drop the columns of an empty table
            return datasets.Dataset.from_dict({c: [] for c in features}, features=features)
        bars = datasets.is_progress_bar_enabled()
        if not progress:
            datasets.disable_progress_bars()
        try:
            return ds.map(fn, **kwargs)
        finally:
            if bars and not progress:  # put the user's setting back, whatever it was
                datasets.enable_progress_bars()
    if cols is not None:
        kwargs["remove_columns"] = cols
    return ds.map(fn, **kwargs)
