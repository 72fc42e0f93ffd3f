"""Save review datasets by extension, atomically.

``.jsonl`` / ``.jsonl.gz`` (one JSON object per line, UTF-8, gzip without timestamp so equal data gives equal
bytes), ``.parquet``, ``.csv`` (list columns as JSON) or a folder (``save_to_disk``; any path without one of those
extensions). Every write goes to a temporary name beside the target and is renamed into place, so an interrupted
run never leaves a half file under the final name.

Example:
    >>> import datasets, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> save_reviews(datasets.Dataset.from_dict({"text": ["a"]}), p, progress=False).read_text()
    '{"text": "a"}\\n'
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["save_reviews", "output_kind"]


def output_kind(path: str | Path) -> str:
    """``jsonl``, ``jsonl.gz``, ``parquet``, ``csv`` or ``dir`` from a path's extension.

    Example:
        >>> output_kind("x.jsonl.gz"), output_kind("out_folder")
        ('jsonl.gz', 'dir')
    """
    name = str(path).lower()
    for ext in ("jsonl.gz", "json.gz", "jsonl", "json", "parquet", "csv.gz", "csv"):
        if name.endswith("." + ext):
            return {"json.gz": "jsonl.gz", "json": "jsonl"}.get(ext, ext)
    return "dir"


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _rows(ds: Any, progress: bool, desc: str) -> Iterator[dict[str, Any]]:
    from tqdm.auto import tqdm

    n = getattr(ds, "num_rows", None)
    bar = tqdm(total=n, desc=desc, unit="rows", disable=not progress or n is None or n < 5000)
    with bar:
        if hasattr(ds, "iter") and n is not None:
            for batch in ds.iter(batch_size=1000):
                keys = list(batch)
                m = len(batch[keys[0]]) if keys else 0
                for i in range(m):
                    yield {k: batch[k][i] for k in keys}
                bar.update(m)
        else:
            yield from ds


def _write_jsonl(ds: Any, f: Any, progress: bool) -> None:
    for row in _rows(ds, progress, "write jsonl"):
        f.write(json.dumps({k: _clean(v) for k, v in row.items()}, ensure_ascii=False).encode("utf-8"))
        f.write(b"\n")


def save_reviews(ds: Any, path: str | Path, *, progress: bool = True) -> Path:
    """Write ``ds`` (a Dataset; an IterableDataset for the line formats) to ``path``; returns the path.

    Example:
        >>> output_kind("reviews.parquet")
        'parquet'
    """
    path = Path(path)
    kind = output_kind(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "dir":
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
        try:
            ds.save_to_disk(str(tmp))
            if path.exists():
                old = path.with_name(f".{path.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                os.replace(path, old)
                os.replace(tmp, path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path
    fd, tmpname = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmpname)
    try:
        with os.fdopen(fd, "wb") as raw:
            if kind == "jsonl":
                _write_jsonl(ds, raw, progress)
            elif kind == "jsonl.gz":
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    _write_jsonl(ds, gz, progress)
            elif kind == "parquet":
                raw.close()
                ds.to_parquet(str(tmp))
            elif kind in ("csv", "csv.gz"):
                sink = (
                    gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if kind == "csv.gz" else raw
                )
                import io

                text = io.TextIOWrapper(sink, encoding="utf-8", newline="")
                writer = None
                for row in _rows(ds, progress, "write csv"):
                    if writer is None:
                        writer = csv.DictWriter(text, fieldnames=list(row))
                        writer.writeheader()
                    writer.writerow(
                        {
                            k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else _clean(v)
                            for k, v in row.items()
                        }
                    )
                text.flush()
                text.detach()
                if sink is not raw:
                    sink.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
