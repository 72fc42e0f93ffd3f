"""Read review corpora into one schema.

Columns: ``review_id`` (str, unique), ``user_id``, ``item_id`` (str), ``rating`` (float), ``text``, ``summary``
(str, "" when missing), ``timestamp`` (int seconds) and ``text_empty`` (bool: the source text was null or blank —
such rows are kept and marked, never dropped).

Dialects are recognised from the fields of the first record:

* Amazon 2014/2018: ``reviewerID, asin, overall, reviewText, summary, unixReviewTime``
* Amazon 2023: ``user_id, parent_asin, rating, text, title, timestamp`` (milliseconds)
* Yelp: ``review_id, user_id, business_id, stars, text, date``
* reviewaug's own schema, or any table with a ``columns=`` mapping (schema name → source column).

Example:
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
    >>> _ = p.write_text(json.dumps({"reviewerID": "u1", "asin": "i1", "overall": 5.0,
    ...     "reviewText": "Nice.", "summary": "ok", "unixReviewTime": 1}) + "\\n")
    >>> load_reviews(p)[0]["review_id"]
    'i1_u1'
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA",
    "DIALECTS",
    "load_reviews",
    "default_corpus_path",
    "ReviewFormatError",
    "detect_dialect",
]

SCHEMA = ("review_id", "user_id", "item_id", "rating", "text", "summary", "timestamp", "text_empty")
LIST_COLUMNS = ("keywords", "sentiment_words", "aug_ops")

CORPUS_NAME = "amazon-musical-instruments-5core.json.gz"
CORPUS_HELP = (
    f"The real corpus {CORPUS_NAME} was not found. Put it at ../shared/data/{CORPUS_NAME} (beside the repository), "
    "set REVIEWAUG_DATA to its path, or pass --data PATH. It is the 5-core 'Musical Instruments' subset of the "
    "2014 Amazon review data of J. McAuley's group (UCSD), gzipped JSON lines."
)


class ReviewFormatError(ValueError):
    """A review file or table cannot be read; the message names the file and line or row."""


def default_corpus_path() -> Path:
    """The real corpus: ``$REVIEWAUG_DATA``, else ``../shared/data/<name>`` from the working folder or the repo.

    Raises ``FileNotFoundError`` with instructions when it is nowhere.

    Example:
        >>> default_corpus_path().name  # doctest: +SKIP
        'amazon-musical-instruments-5core.json.gz'
    """
    import os

    candidates = []
    if os.environ.get("REVIEWAUG_DATA"):
        candidates.append(Path(os.environ["REVIEWAUG_DATA"]))
    repo = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), repo):
        candidates.append(base.parent / "shared" / "data" / CORPUS_NAME)
        candidates.append(base / "shared" / "data" / CORPUS_NAME)
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(CORPUS_HELP)


# --- dialects: schema column -> (source field, converter) -----------------------------------------------------


def _to_float(v: Any) -> float:
    if v is None or v == "":
        return math.nan
    return float(v)


def _to_int(v: Any) -> int:
    if v is None or v == "":
        return 0
    return int(float(v))


def _ms_to_s(v: Any) -> int:
    return _to_int(v) // 1000 if v not in (None, "") else 0


def _date_to_s(v: Any) -> int:
    if v in (None, ""):
        return 0
    if isinstance(v, int | float):
        return int(v)
    s = str(v).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return int(datetime.strptime(s, fmt).replace(tzinfo=timezone.utc).timestamp())
        except ValueError:
            continue
    raise ValueError(f"unreadable date {s!r}")


def _str(v: Any) -> str:
    return "" if v is None else str(v)


Conv = Callable[[Any], Any]

DIALECTS: dict[str, dict[str, tuple[str, Conv]]] = {
    "amazon2014": {
        "user_id": ("reviewerID", _str),
        "item_id": ("asin", _str),
        "rating": ("overall", _to_float),
        "text": ("reviewText", _str),
        "summary": ("summary", _str),
        "timestamp": ("unixReviewTime", _to_int),
    },
    "amazon2023": {
        "user_id": ("user_id", _str),
        "item_id": ("parent_asin", _str),
        "rating": ("rating", _to_float),
        "text": ("text", _str),
        "summary": ("title", _str),
        "timestamp": ("timestamp", _ms_to_s),
    },
    "yelp": {
        "review_id": ("review_id", _str),
        "user_id": ("user_id", _str),
        "item_id": ("business_id", _str),
        "rating": ("stars", _to_float),
        "text": ("text", _str),
        "summary": ("summary", _str),
        "timestamp": ("date", _date_to_s),
    },
    "reviewaug": {
        "review_id": ("review_id", _str),
        "user_id": ("user_id", _str),
        "item_id": ("item_id", _str),
        "rating": ("rating", _to_float),
        "text": ("text", _str),
        "summary": ("summary", _str),
        "timestamp": ("timestamp", _to_int),
    },
}

_SIGNATURES = [
    ("amazon2014", {"reviewerID", "asin"}),
    ("amazon2023", {"parent_asin"}),
    ("yelp", {"business_id"}),
    ("reviewaug", {"item_id", "text"}),
]


def detect_dialect(fields: set[str] | list[str], columns: Mapping[str, str] | None = None) -> str:
    """Which dialect a record's fields belong to (``generic`` when a ``columns`` mapping is given).

    Example:
        >>> detect_dialect({"reviewerID", "asin", "reviewText"})
        'amazon2014'
    """
    if columns:
        return "generic"
    fields = set(fields)
    for name, sig in _SIGNATURES:
        if sig <= fields:
            return name
    return "reviewaug"


def _mapping(dialect: str, columns: Mapping[str, str] | None) -> dict[str, tuple[str, Conv]]:
    base = dict(DIALECTS["reviewaug" if dialect == "generic" else dialect])
    for target, source in (columns or {}).items():
        if target not in SCHEMA:
            raise ValueError(
                f"columns= maps unknown schema column {target!r}; schema: {', '.join(SCHEMA[:-1])}"
            )
        base[target] = (source, base.get(target, (source, _str))[1])
    return base


class _Converter:
    """Turns source records into schema rows, deriving unique review ids and marking empty texts."""

    def __init__(self, mapping: dict[str, tuple[str, Conv]], keep_extra: bool, where: str) -> None:
        self.mapping = mapping
        self.keep_extra = keep_extra
        self.where = where
        self.seen: dict[str, int] = {}
        self.used = {src for src, _ in mapping.values()}

    def check_fields(self, fields: list[str]) -> None:
        text_src = self.mapping["text"][0]
        if text_src not in fields:
            raise ReviewFormatError(
                f"{self.where}: no text column {text_src!r}; columns found: {', '.join(map(str, fields))}. "
                "Pass columns={'text': '<your column>', ...} (CLI: --columns text=<col>)."
            )

    def row(self, rec: Mapping[str, Any], pos: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for target, (src, conv) in self.mapping.items():
            try:
                out[target] = conv(rec.get(src))
            except (TypeError, ValueError) as e:
                raise ReviewFormatError(
                    f"{self.where}, {pos}: bad {src!r} value {rec.get(src)!r}: {e}"
                ) from None
        raw_text = rec.get(self.mapping["text"][0])
        out["text_empty"] = not (isinstance(raw_text, str) and raw_text.strip())
        rid = out.get("review_id") or ""
        if not rid:
            rid = (
                f"{out['item_id']}_{out['user_id']}"
                if out["item_id"] or out["user_id"]
                else pos.replace(" ", "")
            )
        n = self.seen.get(rid, 0) + 1
        self.seen[rid] = n
        out["review_id"] = rid if n == 1 else f"{rid}_{n}"
        if self.keep_extra:
            for k, v in rec.items():
                if k not in self.used and k not in out:
                    out[k] = v
        return out


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="strict")
    return open(path, encoding="utf-8", errors="strict")  # noqa: SIM115


def _iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as f:
        try:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ReviewFormatError(
                        f"{path}, line {lineno}: malformed JSON: {e.msg} (column {e.colno})"
                    ) from None
                if not isinstance(rec, dict):
                    raise ReviewFormatError(
                        f"{path}, line {lineno}: expected a JSON object, got {type(rec).__name__}"
                    )
                yield lineno, rec
        except UnicodeDecodeError as e:
            raise ReviewFormatError(f"{path}: not UTF-8 text ({e})") from None
        except (EOFError, gzip.BadGzipFile, OSError) as e:
            raise ReviewFormatError(f"{path}: cannot read ({e})") from None


def _iter_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as f:
        reader = csv.DictReader(f)
        try:
            for rec in reader:
                if None in rec:
                    raise ReviewFormatError(
                        f"{path}, line {reader.line_num}: more fields than the header has"
                    )
                for c in LIST_COLUMNS:
                    v = rec.get(c)
                    if isinstance(v, str) and v.startswith("["):
                        try:
                            rec[c] = json.loads(v)
                        except json.JSONDecodeError:
                            pass
                yield reader.line_num, rec
        except csv.Error as e:
            raise ReviewFormatError(f"{path}, line {reader.line_num}: {e}") from None


def _iter_parquet(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source: Any = path
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    if gzipped:  # Parquet needs random access: a gzipped file is decompressed into memory first
        import gzip
        import zlib

        try:
            with gzip.open(path, "rb") as f:
                source = pa.BufferReader(f.read())
        except (OSError, EOFError, zlib.error) as e:
            raise ReviewFormatError(f"{path}: not a readable gzip file ({e})") from None
    try:
        pf = pq.ParquetFile(source)
    except Exception as e:  # pyarrow raises several types
        raise ReviewFormatError(f"{path}: not a readable Parquet file ({e})") from None
    i = 0
    for batch in pf.iter_batches(batch_size=10_000):
        for rec in batch.to_pylist():
            i += 1
            yield i, rec


def _kind(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for ext, kind in (
        (".jsonl", "json"),
        (".json", "json"),
        (".ndjson", "json"),
        (".csv", "csv"),
        (".parquet", "parquet"),
    ):
        if name.endswith(ext):
            return kind
    raise ReviewFormatError(
        f"{path}: unknown file type; use .jsonl/.json/.csv/.parquet (each optionally .gz) or format="
    )


def _features() -> dict[str, Any]:
    import datasets

    return {
        "review_id": datasets.Value("string"),
        "user_id": datasets.Value("string"),
        "item_id": datasets.Value("string"),
        "rating": datasets.Value("float64"),
        "text": datasets.Value("string"),
        "summary": datasets.Value("string"),
        "timestamp": datasets.Value("int64"),
        "text_empty": datasets.Value("bool"),
    }


def _read_file(
    path: Path, fmt: str | None, columns: Mapping[str, str] | None, keep_extra: bool | None
) -> Any:
    import datasets
    import pyarrow as pa

    kind = _kind(path, fmt)
    it = {"json": _iter_jsonl, "csv": _iter_csv, "parquet": _iter_parquet}[kind](path)
    unit = "row" if kind == "parquet" else "line"
    first = next(it, None)
    if first is None:
        raise ReviewFormatError(f"{path}: no reviews in the file")
    dialect = detect_dialect(list(first[1].keys()), columns)
    keep = keep_extra if keep_extra is not None else dialect in ("reviewaug", "generic")
    conv = _Converter(_mapping(dialect, columns), keep, str(path))
    conv.check_fields(list(first[1].keys()))
    rows = [conv.row(first[1], f"{unit} {first[0]}")]
    for pos, rec in it:
        if conv.mapping["text"][0] not in rec and kind == "json":
            raise ReviewFormatError(
                f"{path}, line {pos}: no {conv.mapping['text'][0]!r} field; fields found: {', '.join(rec)}"
            )
        rows.append(conv.row(rec, f"{unit} {pos}"))
    cols = list(SCHEMA) + [k for k in rows[0] if k not in SCHEMA]
    for r in rows:  # extra fields that appear later
        for k in r:
            if k not in cols:
                cols.append(k)
    data = {c: [r.get(c) for r in rows] for c in cols}
    schema_f = _features()
    table = pa.table(
        {c: pa.array(data[c], type=schema_f[c].pa_type if c in schema_f else None) for c in cols}
    )
    return datasets.Dataset(table)


def _convert_dataset(ds: Any, columns: Mapping[str, str] | None, keep_extra: bool | None, where: str) -> Any:
    import datasets

    fields = list(ds.column_names or [])
    dialect = detect_dialect(fields, columns)
    if dialect == "reviewaug" and set(SCHEMA) <= set(fields) and not columns:
        return ds
    keep = keep_extra if keep_extra is not None else dialect in ("reviewaug", "generic")
    mapping = _mapping(dialect, columns)
    conv = _Converter(mapping, keep, where)
    if fields:
        conv.check_fields(fields)

    def fn(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        keys = list(batch)
        rows = [conv.row({k: batch[k][j] for k in keys}, f"row {i}") for j, i in enumerate(indices)]
        cols = list(SCHEMA) + [k for k in (rows[0] if rows else {}) if k not in SCHEMA]
        return {c: [r.get(c) for r in rows] for c in cols}

    kwargs: dict[str, Any] = {"batched": True, "with_indices": True, "remove_columns": fields or None}
    if isinstance(ds, datasets.Dataset):
        if not keep:
            feats = _features()
            kwargs["features"] = datasets.Features(feats)
        kwargs["desc"] = "to review schema"
        # ids must be unique across the whole table: run in one process, in order
        return ds.map(fn, **kwargs)
    return ds.map(fn, **kwargs)


def load_reviews(
    source: Any,
    *,
    format: str | None = None,  # noqa: A002 - mirrors datasets' naming
    columns: Mapping[str, str] | None = None,
    keep_extra: bool | None = None,
    split: str | None = None,
    streaming: bool = False,
) -> Any:
    """Load reviews from a file, a folder, a ``datasets`` object or a hub name into the review schema.

    ``source``: a ``.jsonl``/``.json``/``.csv``/``.parquet`` file (optionally ``.gz``), a folder written by
    ``save_to_disk``, a ``Dataset``/``DatasetDict``/``IterableDataset``, or a Hugging Face hub name (needs a
    network; offline it fails with a clear message). ``columns`` maps schema names to source columns.
    ``keep_extra`` keeps source fields outside the schema (default: kept when ``columns`` is given or the data
    matches no known dialect (already in this schema, say); dropped for Amazon and Yelp files).

    Example:
        >>> import datasets
        >>> ds = datasets.Dataset.from_dict({"body": ["fine"], "stars": [4], "uid": ["u"], "iid": ["i"]})
        >>> load_reviews(ds, columns={"text": "body", "rating": "stars", "user_id": "uid", "item_id": "iid"})[0]["rating"]
        4.0
    """
    import datasets

    if isinstance(source, datasets.DatasetDict | datasets.IterableDatasetDict):
        return type(source)(
            {k: _convert_dataset(v, columns, keep_extra, f"split {k!r}") for k, v in source.items()}
        )
    if isinstance(source, datasets.Dataset | datasets.IterableDataset):
        return _convert_dataset(source, columns, keep_extra, "dataset")
    path = Path(source)
    if path.is_dir():
        try:
            ds = datasets.load_from_disk(str(path))
        except FileNotFoundError as e:
            raise ReviewFormatError(f"{path}: not a folder written by save_to_disk ({e})") from None
        if split is not None and isinstance(ds, datasets.DatasetDict):
            ds = ds[split]
        return load_reviews(ds, columns=columns, keep_extra=keep_extra)
    if path.exists():
        return _read_file(path, format, columns, keep_extra)
    if isinstance(source, str) and "/" in source and not source.startswith((".", "/")) and path.suffix == "":
        return _load_hub(source, split=split, streaming=streaming, columns=columns, keep_extra=keep_extra)
    raise FileNotFoundError(f"{source}: no such file or folder")


def _load_hub(name: str, *, split: str | None, streaming: bool, columns: Any, keep_extra: Any) -> Any:
    """A dataset from the Hugging Face hub (only where a network exists)."""
    import os

    import datasets

    if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("HF_DATASETS_OFFLINE") == "1":
        raise ConnectionError(
            f"{name}: the hub is switched off (HF_HUB_OFFLINE=1); download the data elsewhere"
        )
    try:
        ds = datasets.load_dataset(name, split=split, streaming=streaming)
    except Exception as e:  # network errors come in many types
        raise ConnectionError(
            f"{name}: could not load from the Hugging Face hub ({type(e).__name__}: {e}). Without a network, "
            "download the data on another machine and pass a local file or a save_to_disk folder."
        ) from e
    return load_reviews(ds, columns=columns, keep_extra=keep_extra)
