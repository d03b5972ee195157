"""Shared CSV helpers: line numbers in error messages are the lines a text editor shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.ingest.common import SourceError, find_header_line, read_csv_table, to_number

# Line 1 a title, lines 2-3 one header whose last cell holds a line break, line 6 a
# record whose note spans lines 6-7, line 9 a bad number.
TWO_LINE_HEADER = (
    "County poverty estimates, 2023\n"
    '"FIPS","Area name","Poverty rate\n(percent)","Note"\n'
    '"18001","Adams County",10.1,""\n'
    '"18003","Allen County",12.4,""\n'
    '"18005","Bartholomew County",9.8,"revised\n(see release notes)"\n'
    '"18007","Benton County",11.0,""\n'
    '"18009","Blackford County",n/a*,""\n'
    '"18011","Boone County",4.9,""\n'
)


def test_line_numbers_follow_physical_lines(tmp_path):
    path = tmp_path / "poverty.csv"
    path.write_text(TWO_LINE_HEADER)
    df = read_csv_table(path, ["FIPS", "Area name"])
    assert list(df.columns) == ["FIPS", "Area name", "Poverty rate (percent)", "Note", "_line"]
    assert dict(zip(df["FIPS"], df["_line"])) == {
        "18001": 4,
        "18003": 5,
        "18005": 6,
        "18007": 8,
        "18009": 9,
        "18011": 10,
    }
    with pytest.raises(SourceError) as err:
        to_number(df["Poverty rate (percent)"], path, "Poverty rate (percent)", df["_line"])
    assert err.value.line == 9
    assert f"{path}, line 9" in str(err.value)
    assert "n/a*" in str(err.value)


def test_line_numbers_with_crlf_and_blank_lines(tmp_path):
    path = tmp_path / "crlf.csv"
    text = TWO_LINE_HEADER.replace("\n", "\r\n").replace('"18007"', '\r\n"18007"')
    path.write_bytes(text.encode())
    df = read_csv_table(path, ["FIPS"])
    assert dict(zip(df["FIPS"], df["_line"]))["18007"] == 9  # blank line 8 dropped, numbering kept
    assert dict(zip(df["FIPS"], df["_line"]))["18011"] == 11


def test_single_line_records_keep_simple_numbering(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("note row\nnote row 2\nFIPS,Value\n01001,1\n01003,x\n")
    df = read_csv_table(path, ["FIPS", "Value"])
    assert df["_line"].tolist() == [4, 5]
    with pytest.raises(SourceError) as err:
        to_number(df["Value"], path, "Value", df["_line"])
    assert err.value.line == 5


def test_header_search_counts_only_real_line_breaks(tmp_path):
    # a form feed inside a title is not a line break for a CSV reader
    text = "Title\x0cwith a form feed\nFIPS,Value\n01001,1\n"
    assert find_header_line(text, ["FIPS"], "x.csv") == 1
    path = tmp_path / "ff.csv"
    path.write_text(text)
    df = read_csv_table(path, ["FIPS"])
    assert df["_line"].tolist() == [3]


def test_gzip_and_junk_errors_name_the_file(tmp_path):
    bad_gz = tmp_path / "bad.csv.gz"
    bad_gz.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(200)))
    with pytest.raises(SourceError, match="gzip") as err:
        read_csv_table(bad_gz, ["FIPS"])
    assert str(bad_gz) in str(err.value)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)))
    with pytest.raises(SourceError, match="binary") as err:
        read_csv_table(junk, ["FIPS"])
    assert str(junk) in str(err.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(SourceError, match="not found"):
        read_csv_table(tmp_path / "absent.csv", ["FIPS"])
