"""Read review corpora into one schema.

Columns: ``review_id`` (str, unique), ``user_id``, ``item_id`` (str), ``rating`` (float), ``text``, ``summary``
(str, "" when missing), ``timestamp`` (int seconds) and ``text_empty`` (bool: the source text was null or blank —
such rows are kept and marked, never dropped).

Dialects are recognised from the fields of the first record:

* Amazon 2014/2018: ``reviewerID, asin, overall, reviewText, summary, unixReviewTime``
* Amazon 2023: ``user_id, parent_asin, rating, text, title, timestamp`` (milliseconds)
* Yelp: ``review_id, user_id, business_id, stars, text, date``
* reviewaug's own schema, or any table with a ``columns=`` mapping (schema name → source column).

Nothing is dropped or merged silently: a malformed record stops the load with the file and line (or row) named,
duplicate ids are renamed (``a``, ``a_2``, ...; a renamed id never repeats another), and a ``save_to_disk`` folder
already in the schema is returned as it is only when its ids are unique.

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
    """A rating: missing (None, "", a NaN as pandas writes it) is NaN; booleans and infinities are errors."""
    if v is None or v == "":
        return math.nan
    if isinstance(v, bool):
        raise ValueError("a boolean is not a rating")
    out = float(v)
    if math.isinf(out):
        raise ValueError("not a finite number")
    return out


# datetime's range (years 1-9999): a timestamp outside it is not seconds (milliseconds read as seconds, say)
_TS_MIN, _TS_MAX = -62_135_596_800, 253_402_300_799


def _to_int(v: Any) -> int:
    """Seconds since 1970: integers kept exact, numeric strings and floats truncated; 0 when missing."""
    if v is None or v == "":
        return 0
    if isinstance(v, bool):
        raise ValueError("a boolean is not a timestamp")
    v = _number(v)
    out = v if isinstance(v, int) else int(v)  # int(inf) raises OverflowError, int(nan) ValueError
    if not _TS_MIN <= out <= _TS_MAX:
        raise ValueError("timestamp outside years 1-9999 (milliseconds given as seconds?)")
    return out


def _ms_to_s(v: Any) -> int:
    if v in (None, ""):
        return 0
    return _to_int(int(_number(v)) // 1000)


def _number(v: Any) -> Any:
    """A numeric string read as an int when it is one (exact), else as a float; other values as they are."""
    if not isinstance(v, str):
        return v
    try:
        return int(v)
    except ValueError:
        return float(v)


def _date_to_s(v: Any) -> int:
    if v in (None, ""):
        return 0
    if isinstance(v, int | float):
        return _to_int(v)
    s = str(v).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return int(datetime.strptime(s, fmt).replace(tzinfo=timezone.utc).timestamp())
        except ValueError:
            continue
    raise ValueError(f"unreadable date {s!r}")


def _str(v: Any) -> str:
    return "" if v is None else str(v)


def _text(v: Any) -> str:
    """A text field: a string, a number written out, or "" when missing; a list or an object is an error."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    raise ValueError(f"expected text, got {type(v).__name__}")


Conv = Callable[[Any], Any]

DIALECTS: dict[str, dict[str, tuple[str, Conv]]] = {
    "amazon2014": {
        "user_id": ("reviewerID", _str),
        "item_id": ("asin", _str),
        "rating": ("overall", _to_float),
        "text": ("reviewText", _text),
        "summary": ("summary", _str),
        "timestamp": ("unixReviewTime", _to_int),
    },
    "amazon2023": {
        "user_id": ("user_id", _str),
        "item_id": ("parent_asin", _str),
        "rating": ("rating", _to_float),
        "text": ("text", _text),
        "summary": ("title", _str),
        "timestamp": ("timestamp", _ms_to_s),
    },
    "yelp": {
        "review_id": ("review_id", _str),
        "user_id": ("user_id", _str),
        "item_id": ("business_id", _str),
        "rating": ("stars", _to_float),
        "text": ("text", _text),
        "summary": ("summary", _str),
        "timestamp": ("date", _date_to_s),
    },
    "reviewaug": {
        "review_id": ("review_id", _str),
        "user_id": ("user_id", _str),
        "item_id": ("item_id", _str),
        "rating": ("rating", _to_float),
        "text": ("text", _text),
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

    def __init__(
        self,
        mapping: dict[str, tuple[str, Conv]],
        keep_extra: bool,
        where: str,
        columns: Mapping[str, str] | None = None,
    ) -> None:
        self.mapping = mapping
        self.keep_extra = keep_extra
        self.where = where
        self.columns = dict(columns or {})
        self.seen: dict[str, int] = {}  # every id given so far -> the last suffix tried for it
        self.used = {src for src, _ in mapping.values()}

    def check_fields(self, fields: list[str]) -> None:
        text_src = self.mapping["text"][0]
        found = ", ".join(map(repr, fields))
        if text_src not in fields:
            raise ReviewFormatError(
                f"{self.where}: no text column {text_src!r}; columns found: {found}. "
                "Pass columns={'text': '<your column>', ...} (CLI: --columns text=<col>)."
            )
        missing = [f"{t}={s}" for t, s in self.columns.items() if s not in fields]
        if missing:
            raise ReviewFormatError(
                f"{self.where}: columns= names source columns that are not there ({', '.join(missing)}); "
                f"columns found: {found}"
            )

    def unique_id(self, rid: str) -> str:
        """``rid``, or ``rid_<n>`` with the smallest n (from 2) that no earlier row holds: duplicates are
        renamed, never dropped, and a renamed id never repeats one given before ("a", "a", "a_2" -> "a",
        "a_2", "a_2_2")."""
        if rid in self.seen:
            n = self.seen[rid] + 1
            while f"{rid}_{n}" in self.seen:
                n += 1
            self.seen[rid] = n
            rid = f"{rid}_{n}"
        self.seen[rid] = 1
        return rid

    def row(self, rec: Mapping[str, Any], pos: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for target, (src, conv) in self.mapping.items():
            try:
                out[target] = conv(rec.get(src))
            except (TypeError, ValueError, OverflowError) as e:
                value = repr(rec.get(src))
                value = value if len(value) <= 60 else value[:57] + "..."
                raise ReviewFormatError(f"{self.where}, {pos}: bad {src!r} value {value}: {e}") from None
        out["text_empty"] = not out["text"].strip()
        rid = out.get("review_id") or ""
        if not rid:
            rid = (
                f"{out['item_id']}_{out['user_id']}"
                if out["item_id"] or out["user_id"]
                else pos.replace(" ", "")
            )
        out["review_id"] = self.unique_id(rid)
        if self.keep_extra:
            for k, v in rec.items():
                if k not in self.used and k not in out:
                    out[k] = v
        return out


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a UTF-8 text file, gzipped or not, each line decoded on its own so an error
    names its line; a byte-order mark at the start is dropped; line endings are kept (the csv module reads
    "\\r\\n" inside quoted text as written)."""
    import zlib

    opener = gzip.open if path.suffix == ".gz" else open
    lineno = 0
    try:
        with opener(path, "rb") as f:
            for lineno, raw in enumerate(f, 1):  # noqa: B007 - lineno names the line an error hits
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield lineno, raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise ReviewFormatError(
                        f"{path}, line {lineno}: not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
                    ) from None
    except (EOFError, OSError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
        where = f", after line {lineno}" if lineno else ""
        raise ReviewFormatError(f"{path}{where}: cannot read ({type(e).__name__}: {e})") from None


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for the JSON readers: json keeps the last of two equal keys in one object, which
    would drop a value without a word; here that is an error naming the key (costs nothing measurable)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return obj


_JSON = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _iter_jsonl(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("line N", record)`` of a JSON-lines file; a file whose first non-blank line opens a JSON array (one
    array of objects, as ``.json`` files often hold) gives ``("item N", record)``."""
    lines = _lines(path)
    first = True
    for lineno, line in lines:
        if not line.strip():
            continue
        if first and line.lstrip().startswith("["):
            yield from _iter_json_array(path, line + "".join(rest for _, rest in lines))
            return
        first = False
        try:
            rec = _JSON.decode(line)
        except json.JSONDecodeError as e:
            raise ReviewFormatError(
                f"{path}, line {lineno}: malformed JSON: {e.msg} (column {e.colno})"
            ) from None
        except _DuplicateKey as e:
            raise ReviewFormatError(
                f"{path}, line {lineno}: key {e.args[0]!r} appears twice in one object"
            ) from None
        if not isinstance(rec, dict):
            raise ReviewFormatError(
                f"{path}, line {lineno}: expected a JSON object, got {type(rec).__name__}"
            )
        yield f"line {lineno}", rec


def _iter_json_array(path: Path, text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        items = _JSON.decode(text)
    except json.JSONDecodeError as e:
        raise ReviewFormatError(
            f"{path}, line {e.lineno}: malformed JSON: {e.msg} (column {e.colno}; the file opens a JSON array)"
        ) from None
    except _DuplicateKey as e:
        raise ReviewFormatError(
            f"{path}: key {e.args[0]!r} appears twice in one object of the array"
        ) from None
    if not isinstance(items, list):  # "[1] [2]" and the like
        raise ReviewFormatError(f"{path}: expected one JSON array of objects or JSON lines")
    for i, rec in enumerate(items, 1):
        if not isinstance(rec, dict):
            raise ReviewFormatError(
                f"{path}, item {i} of the array: expected a JSON object, got {type(rec).__name__}"
            )
        yield f"item {i}", rec


def _iter_csv(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("line N", record)`` of a CSV file (N: the line the record starts on). Strict: a quote that never
    closes, a row with more or fewer fields than the header, or a header naming a column twice is an error."""
    lines = (line for _, line in _lines(path))
    reader = csv.reader(lines, strict=True)
    end = 0  # the line the previous record ended on
    try:
        header = next(reader, None)
        if header is None:
            return
        dup = sorted({h for h in header if header.count(h) > 1})
        if dup:
            raise ReviewFormatError(
                f"{path}, line 1: the header names {', '.join(map(repr, dup))} more than once"
            )
        end = reader.line_num
        for fields in reader:
            start, end = end + 1, reader.line_num
            if not fields:  # a blank line
                continue
            if len(fields) != len(header):
                more = "more" if len(fields) > len(header) else "fewer"
                raise ReviewFormatError(
                    f"{path}, line {start}: {more} fields ({len(fields)}) than the header has ({len(header)})"
                )
            rec: dict[str, Any] = dict(zip(header, fields))
            for c in LIST_COLUMNS:
                v = rec.get(c)
                if isinstance(v, str) and v.startswith("["):
                    try:
                        rec[c] = json.loads(v)
                    except json.JSONDecodeError:
                        pass
            yield f"line {start}", rec
    except csv.Error as e:
        raise ReviewFormatError(
            f"{path}, line {end + 1}: {e} (a quoted field that opens there and does not close?)"
            if "end of data" in str(e)
            else f"{path}, line {reader.line_num}: {e}"
        ) from None


def _iter_parquet(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
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
            yield f"row {i}", rec


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
    first = next(it, None)
    if first is None:
        raise ReviewFormatError(f"{path}: no reviews in the file")
    dialect = detect_dialect(list(first[1].keys()), columns)
    keep = keep_extra if keep_extra is not None else dialect in ("reviewaug", "generic")
    conv = _Converter(_mapping(dialect, columns), keep, str(path), columns)
    conv.check_fields(list(first[1].keys()))
    rows = [conv.row(first[1], first[0])]
    where = [first[0]]
    for pos, rec in it:
        if conv.mapping["text"][0] not in rec and kind == "json":
            raise ReviewFormatError(
                f"{path}, {pos}: no {conv.mapping['text'][0]!r} field; fields found: {', '.join(rec)}"
            )
        rows.append(conv.row(rec, pos))
        where.append(pos)
    cols = list(SCHEMA) + [k for k in rows[0] if k not in SCHEMA]
    for r in rows:  # extra fields that appear later
        for k in r:
            if k not in cols:
                cols.append(k)
    schema_f = _features()
    arrays = {}
    for c in cols:
        values = [r.get(c) for r in rows]
        try:
            arrays[c] = pa.array(values, type=schema_f[c].pa_type if c in schema_f else None)
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as e:
            raise ReviewFormatError(f"{path}: field {c!r}: {_mixed_types(values, where)} ({e})") from None
    return datasets.Dataset(pa.table(arrays))


def _mixed_types(values: list[Any], where: list[str]) -> str:
    """Where a column's values change type (the first value of each type), for an error message."""
    first: dict[str, str] = {}
    for v, pos in zip(values, where):
        if v is not None:
            first.setdefault(type(v).__name__, pos)
    if len(first) < 2:
        return "values Arrow cannot store"
    return "values of different types: " + ", ".join(f"{t} first at {pos}" for t, pos in first.items())


def _convert_dataset(
    ds: Any, columns: Mapping[str, str] | None, keep_extra: bool | None, where: str, in_memory: bool = False
) -> Any:
    import datasets

    fields = list(ds.column_names or [])
    dialect = detect_dialect(fields, columns)
    if dialect == "reviewaug" and set(SCHEMA) <= set(fields) and not columns:
        if not isinstance(ds, datasets.Dataset):
            return ds  # streaming: ids are checked as rows come
        ids = ds["review_id"]
        if len(set(ids)) == len(ids):
            return ds  # already in the schema, ids unique: as it is
    keep = keep_extra if keep_extra is not None else dialect in ("reviewaug", "generic")
    mapping = _mapping(dialect, columns)
    conv = _Converter(mapping, keep, where, columns)
    if fields:
        conv.check_fields(fields)

    def fn(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        keys = list(batch)
        rows = [conv.row({k: batch[k][j] for k in keys}, f"row {i + 1}") for j, i in enumerate(indices)]
        cols = list(SCHEMA) + [k for k in (rows[0] if rows else {}) if k not in SCHEMA]
        return {c: [r.get(c) for r in rows] for c in cols}

    kwargs: dict[str, Any] = {"batched": True, "with_indices": True, "remove_columns": fields or None}
    if isinstance(ds, datasets.Dataset):
        if not keep:
            feats = _features()
            kwargs["features"] = datasets.Features(feats)
        kwargs["desc"] = "to review schema"
        kwargs["keep_in_memory"] = in_memory  # a folder read is not written to (no cache files beside it)
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
            if split not in ds:
                raise ReviewFormatError(f"{path}: no split {split!r}; splits: {', '.join(ds)}")
            ds = ds[split]
        if isinstance(ds, datasets.DatasetDict):
            return type(ds)(
                {
                    k: _convert_dataset(v, columns, keep_extra, f"{path}, split {k!r}", True)
                    for k, v in ds.items()
                }
            )
        return _convert_dataset(ds, columns, keep_extra, str(path), True)
    if path.exists():
        return _read_file(path, format, columns, keep_extra)
    hub_like = isinstance(source, str) and source.count("/") == 1 and not source.startswith((".", "/"))
    if hub_like and path.suffix == "" and not path.parent.is_dir():  # "owner/name", not a missing local path
        return _load_hub(source, split=split, streaming=streaming, columns=columns, keep_extra=keep_extra)
    raise FileNotFoundError(f"{source}: no such file or folder")


def _load_hub(name: str, *, split: str | None, streaming: bool, columns: Any, keep_extra: Any) -> Any:
    """A dataset from the Hugging Face hub (only where a network exists)."""
    import os

    import datasets

    if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("HF_DATASETS_OFFLINE") == "1":
        raise ConnectionError(
            f"{name}: no such local file or folder, and the Hugging Face hub is switched off (HF_HUB_OFFLINE=1); "
            "download the data elsewhere"
        )
    try:
        ds = datasets.load_dataset(name, split=split, streaming=streaming)
    except Exception as e:  # network errors come in many types
        raise ConnectionError(
            f"{name}: could not load from the Hugging Face hub ({type(e).__name__}: {e}). Without a network, "
            "download the data on another machine and pass a local file or a save_to_disk folder."
        ) from e
    return load_reviews(ds, columns=columns, keep_extra=keep_extra)
