"""Reading every dialect and format into the schema, writing by extension, clear errors, atomic writes."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import datasets
import pytest

from reviewaug.io import SCHEMA, ReviewFormatError, load_reviews, save_reviews
from reviewaug.io import writers as writers_mod


def _write_jsonl(path: Path, recs: list[dict], gz: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in recs).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_amazon2014_gz(tmp_path):
    recs = [
        {
            "reviewerID": "u1",
            "asin": "i1",
            "overall": 5.0,
            "reviewText": "Great.",
            "summary": "s",
            "unixReviewTime": 10,
        },
        {
            "reviewerID": "u2",
            "asin": "i1",
            "overall": 2.0,
            "reviewText": None,
            "summary": "t",
            "unixReviewTime": 11,
        },
        {
            "reviewerID": "u2",
            "asin": "i1",
            "overall": 3.0,
            "reviewText": "  ",
            "summary": "t",
            "unixReviewTime": 12,
        },
    ]
    ds = load_reviews(_write_jsonl(tmp_path / "a.json.gz", recs, gz=True))
    assert ds.column_names == list(SCHEMA)
    assert ds.num_rows == 3  # null and blank texts are kept
    assert ds["text_empty"] == [False, True, True]
    assert ds["text"][1] == ""
    assert ds["review_id"] == ["i1_u1", "i1_u2", "i1_u2_2"]  # derived, unique
    assert ds["rating"] == [5.0, 2.0, 3.0] and ds["timestamp"] == [10, 11, 12]


def test_amazon2023_ms_timestamps(tmp_path):
    rec = {
        "user_id": "U",
        "parent_asin": "P",
        "rating": 4,
        "text": "ok",
        "title": "T",
        "timestamp": 1_600_000_000_123,
    }
    ds = load_reviews(_write_jsonl(tmp_path / "b.jsonl", [rec]))
    row = ds[0]
    assert (row["item_id"], row["summary"], row["timestamp"], row["rating"]) == ("P", "T", 1_600_000_000, 4.0)


def test_yelp_dates(tmp_path):
    rec = {
        "review_id": "y1",
        "user_id": "U",
        "business_id": "B",
        "stars": 3,
        "text": "fine",
        "date": "2020-01-02 03:04:05",
    }
    row = load_reviews(_write_jsonl(tmp_path / "y.json", [rec]))[0]
    assert (row["review_id"], row["item_id"], row["timestamp"]) == ("y1", "B", 1577934245)


def test_generic_csv_with_mapping(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text('body,stars,who,what\n"good, really",5,a,x\nbad,1,b,y\n')
    ds = load_reviews(p, columns={"text": "body", "rating": "stars", "user_id": "who", "item_id": "what"})
    assert ds["text"] == ["good, really", "bad"] and ds["rating"] == [5.0, 1.0]
    assert ds["review_id"] == ["x_a", "y_b"]


def test_malformed_json_names_file_and_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"reviewerID": "u", "asin": "i", "reviewText": "x"}\n{"reviewerID": oops}\n')
    with pytest.raises(ReviewFormatError, match=r"bad\.jsonl, line 2: malformed JSON"):
        load_reviews(p)


def test_no_text_column_lists_columns(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("body,stars\nx,1\n")
    with pytest.raises(ReviewFormatError, match=r"no text column 'text'; columns found: 'body', 'stars'"):
        load_reviews(p)


def test_bad_rating_names_line(tmp_path):
    p = _write_jsonl(
        tmp_path / "r.jsonl", [{"reviewerID": "u", "asin": "i", "overall": "five", "reviewText": "x"}]
    )
    with pytest.raises(ReviewFormatError, match=r"line 1: bad 'overall'"):
        load_reviews(p)


@pytest.mark.parametrize("name", ["o.jsonl", "o.jsonl.gz", "o.parquet", "o.csv", "o_dir"])
def test_round_trip_every_format(tmp_path, synth_ds, name):
    ds = synth_ds.add_column("keywords", [["a", "b"]] * synth_ds.num_rows)
    out = save_reviews(ds, tmp_path / name, progress=False)
    back = load_reviews(out)
    assert back.num_rows == ds.num_rows
    for col in ds.column_names:
        assert back[col] == ds[col], col


def test_jsonl_gz_is_byte_stable(tmp_path, synth_ds):
    a = save_reviews(synth_ds, tmp_path / "a.jsonl.gz", progress=False).read_bytes()
    b = save_reviews(synth_ds, tmp_path / "b.jsonl.gz", progress=False).read_bytes()
    assert a == b


def test_interrupted_write_leaves_no_file(tmp_path, synth_ds, monkeypatch):
    target = tmp_path / "x.jsonl"

    def boom(ds, f, progress):
        f.write(b'{"half": ')
        raise KeyboardInterrupt

    monkeypatch.setattr(writers_mod, "_write_jsonl", boom)
    with pytest.raises(KeyboardInterrupt):
        save_reviews(synth_ds, target, progress=False)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_dataset_objects(synth_ds):
    raw = datasets.Dataset.from_dict(
        {"reviewerID": ["u"], "asin": ["i"], "overall": [4.0], "reviewText": ["x"]}
    )
    assert load_reviews(raw)[0]["review_id"] == "i_u"
    dd = load_reviews(datasets.DatasetDict({"train": raw, "test": raw}))
    assert set(dd) == {"train", "test"}
    it = load_reviews(raw.to_iterable_dataset())
    assert next(iter(it))["item_id"] == "i"
    assert load_reviews(synth_ds) is synth_ds  # already in the schema


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_reviews(tmp_path / "nope.jsonl")


def test_nan_rating_written_as_null(tmp_path):
    ds = datasets.Dataset.from_dict({"rating": [math.nan], "text": ["x"]})
    assert json.loads(save_reviews(ds, tmp_path / "n.jsonl", progress=False).read_text())["rating"] is None


@pytest.mark.corpus
def test_real_corpus_counts(corpus_path):
    ds = load_reviews(corpus_path)
    assert ds.num_rows == 10_261
    assert len(set(ds["user_id"])) == 1_429
    assert len(set(ds["item_id"])) == 900
    assert len(set(ds["review_id"])) == ds.num_rows
    assert sum(ds["text_empty"]) == sum(1 for t in ds["text"] if not t.strip())


def test_gzipped_parquet_reads_like_parquet(tmp_path, synth_ds):
    plain = tmp_path / "r.parquet"
    save_reviews(synth_ds, plain)
    packed = tmp_path / "r.parquet.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert load_reviews(packed).to_list() == load_reviews(plain).to_list()
    broken = tmp_path / "b.parquet.gz"
    broken.write_bytes(gzip.compress(plain.read_bytes())[:40])
    with pytest.raises(ReviewFormatError, match="b.parquet.gz"):
        load_reviews(broken)
