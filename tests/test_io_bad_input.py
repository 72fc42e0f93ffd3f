"""Bad input: every malformed file is an error naming the file and the line (or row); no row is silently
dropped, merged or duplicated. The cases come from probing the loader with hand-made files."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import datasets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewaug.cli import main
from reviewaug.io import ReviewFormatError, load_reviews

HEAD = "review_id,user_id,item_id,rating,text\n"


def _jsonl(path: Path, recs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    return path


def _rec(i: int, **kw) -> dict:
    return {"review_id": f"r{i}", "user_id": f"u{i}", "item_id": "i", "rating": 4, "text": f"text {i}", **kw}


def test_unclosed_quote_is_an_error_at_the_line_it_opens(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text(HEAD + 'r1,u,i,4,"broken text\nr2,u,i,5,fine\nr3,u,i,3,fine\n')
    with pytest.raises(ReviewFormatError, match=r"q\.csv, line 2: .*quoted field"):
        load_reviews(p)
    p.write_text(
        HEAD + 'r1,u,i,4,"broken\nr2,u,i,5,fine\nr3,u,i,"3,fine\nr4,u,i,3,ok\n'
    )  # a second stray quote
    with pytest.raises(ReviewFormatError, match=r"q\.csv, line"):
        load_reviews(p)


def test_csv_row_with_fewer_or_more_fields_names_its_line(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(HEAD + "r1,u,i,4,fine\nr2\nr3,u,i,3,ok\n")
    with pytest.raises(
        ReviewFormatError, match=r"f\.csv, line 3: fewer fields \(1\) than the header has \(5\)"
    ):
        load_reviews(p)
    p.write_text(HEAD + "r1,u,i,4,fine\nr2,u,i,4,ok,extra\n")
    with pytest.raises(ReviewFormatError, match=r"f\.csv, line 3: more fields"):
        load_reviews(p)


def test_csv_header_with_bom_or_a_repeated_name(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"\xef\xbb\xbf" + (HEAD + "r1,u,i,4,fine\n").encode())
    ds = load_reviews(p)
    assert ds["review_id"] == ["r1"] and "\ufeffreview_id" not in ds.column_names
    p.write_text("review_id,text,user_id,item_id,text\nr1,a,u,i,b\n")
    with pytest.raises(ReviewFormatError, match=r"b\.csv, line 1: the header names 'text' more than once"):
        load_reviews(p)


def test_jsonl_with_a_bom_loads(tmp_path):
    p = tmp_path / "b.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + (json.dumps(_rec(1)) + "\n").encode())
    assert load_reviews(p)["review_id"] == ["r1"]


def test_renamed_duplicate_ids_never_repeat_an_id(tmp_path):
    recs = [_rec(1, review_id="a"), _rec(2, review_id="a"), _rec(3, review_id="a_2"), _rec(4, review_id="a")]
    ds = load_reviews(_jsonl(tmp_path / "d.jsonl", recs))
    assert ds["text"] == ["text 1", "text 2", "text 3", "text 4"]  # every row, in order
    assert ds["review_id"] == ["a", "a_2", "a_2_2", "a_3"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "a_2", "a_3", "b", "a_2_2", ""]), min_size=1, max_size=12))
def test_ids_come_out_unique_and_rows_kept(ids):
    rows = [_rec(k, review_id=rid) for k, rid in enumerate(ids)]
    ds = load_reviews(datasets.Dataset.from_list(rows), columns={"review_id": "review_id"})
    assert ds.num_rows == len(ids)
    assert len(set(ds["review_id"])) == len(ids)
    assert ds["text"] == [r["text"] for r in rows]


def test_folder_in_the_schema_with_duplicate_ids_is_fixed_and_errors_name_the_folder(tmp_path):
    base = load_reviews(_jsonl(tmp_path / "r.jsonl", [_rec(1), _rec(2), _rec(3)]))
    dup = base.map(lambda r: {"review_id": "r1"})
    dup.save_to_disk(str(tmp_path / "dup"))
    before = sorted(q.name for q in (tmp_path / "dup").iterdir())
    ds = load_reviews(tmp_path / "dup")
    assert ds["review_id"] == ["r1", "r1_2", "r1_3"]
    assert sorted(q.name for q in (tmp_path / "dup").iterdir()) == before  # reading wrote nothing there
    bad = datasets.Dataset.from_list([_rec(1, rating="4"), _rec(2, rating="bad")])
    bad.save_to_disk(str(tmp_path / "bad"))
    with pytest.raises(ReviewFormatError, match=r"bad, row 2: bad 'rating' value"):
        load_reviews(tmp_path / "bad", columns={"text": "text"})


def test_non_utf8_names_the_line(tmp_path):
    p = tmp_path / "l1.csv"
    p.write_bytes((HEAD + "r1,u,i,4,fine\n").encode() + b"r2,u,i,4,caf\xe9\n")
    with pytest.raises(ReviewFormatError, match=r"l1\.csv, line 3: not UTF-8 text \(byte 0xe9"):
        load_reviews(p)
    lines = [json.dumps(_rec(k)).encode() for k in range(1, 400)] + [b'{"review_id": "x", "text": "caf\xe9"}']
    j = tmp_path / "j.jsonl"
    j.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(ReviewFormatError, match=r"j\.jsonl, line 400: not UTF-8"):
        load_reviews(j)


def test_damaged_gzip_is_a_clear_error(tmp_path):
    data = gzip.compress((HEAD + "".join(f"r{k},u,i,4,text number {k}\n" for k in range(500))).encode())
    cut = tmp_path / "t.csv.gz"
    cut.write_bytes(data[:200])
    with pytest.raises(ReviewFormatError, match=r"t\.csv\.gz.*cannot read"):
        load_reviews(cut)
    flipped = bytearray(gzip.compress("".join(json.dumps(_rec(k)) + "\n" for k in range(200)).encode()))
    flipped[30] ^= 0xFF
    flipped[31] ^= 0xFF
    bad = tmp_path / "c.jsonl.gz"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(ReviewFormatError, match=r"c\.jsonl\.gz"):
        load_reviews(bad)


@pytest.mark.parametrize(
    "field,raw",
    [
        ("timestamp", "1e400"),
        ("timestamp", "1" + "0" * 400),
        ("timestamp", "100000000000000000000"),
        ("timestamp", "1000000000000000"),  # year 31 million: milliseconds (or worse) given as seconds
        ("rating", "1" + "0" * 400),
        ("rating", "Infinity"),
        ("rating", "true"),
    ],
)
def test_impossible_numbers_name_the_line(tmp_path, field, raw):
    p = tmp_path / "n.jsonl"
    good = json.dumps(_rec(1))
    bad = json.dumps(_rec(2, **{field: 0}))[:-1].replace(f'"{field}": 0', f'"{field}": {raw}') + "}"
    p.write_text(good + "\n" + bad + "\n")
    with pytest.raises(ReviewFormatError, match=rf"n\.jsonl, line 2: bad '{field}' value"):
        load_reviews(p)


def test_exact_timestamps_and_missing_ratings(tmp_path):
    recs = [
        _rec(1, timestamp=253_402_300_799),
        _rec(2, rating=None, timestamp="1400000001"),
        _rec(3, rating=""),
    ]
    ds = load_reviews(_jsonl(tmp_path / "e.jsonl", recs))
    assert ds["timestamp"] == [253_402_300_799, 1_400_000_001, 0]  # the last second of year 9999 kept exact
    assert all(r != r for r in ds["rating"][1:])  # missing ratings are NaN, not errors


def test_extra_field_changing_type_names_field_and_lines(tmp_path):
    p = _jsonl(tmp_path / "x.jsonl", [_rec(1, helpful=3), _rec(2, helpful=4), _rec(3, helpful="yes")])
    with pytest.raises(
        ReviewFormatError, match=r"x\.jsonl: field 'helpful': .*int first at line 1, str first at line 3"
    ):
        load_reviews(p)


def test_columns_naming_absent_sources_is_an_error(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("body,stars,uid,iid\nfine,4,u,i\n")
    with pytest.raises(
        ReviewFormatError, match=r"g\.csv: columns= names source columns that are not there \(rating=star\)"
    ):
        load_reviews(p, columns={"text": "body", "rating": "star", "user_id": "uid", "item_id": "iid"})


def test_json_array_file_loads_with_item_positions(tmp_path):
    p = tmp_path / "a.json"
    p.write_text(json.dumps([_rec(1), _rec(2)], indent=2))
    assert load_reviews(p)["review_id"] == ["r1", "r2"]
    p.write_text(json.dumps([_rec(1), 5]))
    with pytest.raises(ReviewFormatError, match=r"a\.json, item 2 of the array: expected a JSON object"):
        load_reviews(p)


def test_text_must_be_text(tmp_path):
    ds = load_reviews(_jsonl(tmp_path / "n.jsonl", [_rec(1, text=12345), _rec(2, text=None)]))
    assert ds["text"] == ["12345", ""] and ds["text_empty"] == [False, True]
    with pytest.raises(ReviewFormatError, match=r"line 1: bad 'text' value \['a'\]: expected text, got list"):
        load_reviews(_jsonl(tmp_path / "l.jsonl", [_rec(1, text=["a"])]))


alphabet = st.sampled_from(list("ab \",\n\r\t;'é") + ["\r\n", "😀"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(alphabet, max_size=12).map("".join), min_size=1, max_size=8))
def test_csv_written_by_the_csv_module_reads_back_row_for_row(tmp_path_factory, texts):
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["review_id", "user_id", "item_id", "rating", "text"])
    for k, t in enumerate(texts):
        w.writerow([f"r{k}", "u", "i", "4", t])
    p = tmp_path_factory.mktemp("csv") / "w.csv"
    p.write_bytes(buf.getvalue().encode())
    ds = load_reviews(p)
    assert ds["text"] == texts  # line breaks inside quotes kept as written, nothing merged or dropped
    assert ds["review_id"] == [f"r{k}" for k in range(len(texts))]


def test_missing_relative_path_is_not_a_hub_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with pytest.raises(FileNotFoundError, match="data/reviews: no such file or folder"):
        load_reviews("data/reviews")


def test_cli_asks_for_a_split_of_a_folder_with_several(tmp_path, capsys):
    one = datasets.Dataset.from_list([_rec(1), _rec(2)])
    datasets.DatasetDict({"train": one, "test": one.select([0])}).save_to_disk(str(tmp_path / "dd"))
    capsys.readouterr()
    assert main(["info", str(tmp_path / "dd")]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if "examples/s" not in line and line.strip()]
    assert err == [
        f"reviewaug: error: {tmp_path / 'dd'} holds the splits train, test: pick one with --split NAME"
    ]
    assert main(["info", str(tmp_path / "dd"), "--split", "test"]) == 0
    assert "rows:    1" in capsys.readouterr().out
    assert main(["info", str(tmp_path / "dd"), "--split", "dev"]) == 1
    assert "no split 'dev'; splits: train, test" in capsys.readouterr().err


def test_a_key_twice_in_one_object_is_an_error_naming_line_and_key(tmp_path):
    """json keeps the last of two equal keys: the first rating would vanish without a word."""
    p = tmp_path / "k.jsonl"
    line = json.dumps(_rec(2))[:-1] + ', "rating": 1.0}'
    p.write_text(json.dumps(_rec(1)) + "\n" + line + "\n")
    with pytest.raises(ReviewFormatError, match=r"k\.jsonl, line 2: key 'rating' appears twice"):
        load_reviews(p)
    a = tmp_path / "k.json"
    a.write_text("[" + json.dumps(_rec(1)) + ", " + line + "]")
    with pytest.raises(ReviewFormatError, match=r"k\.json: key 'rating' appears twice"):
        load_reviews(a)
    p.write_text(json.dumps(_rec(1)) + "\n" + json.dumps(_rec(2)) + "\n")  # distinct keys load as before
    assert load_reviews(p).num_rows == 2
