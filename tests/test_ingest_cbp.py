"""County Business Patterns parser, on real slices of the Census files.

How each fixture was made, and which cells of ``cbp21co.txt`` are filler, is in
tests/fixtures/cbp/README.md. Expected values are the published figures.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest
from source_checks import assert_names

from dashboard.data.ingest.cbp import COLUMNS, naics_level, read_cbp
from dashboard.data.ingest.common import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "cbp"
RAW = Path(__file__).parents[1].parent / "shared/data/raw" / "cbp"

API_COUNTY = FIXTURES / "cbp_api_county_2017-2021_38states_naics2-3.csv"
API_STATE = FIXTURES / "cbp_api_state_2017-2021_naics2-3.csv.gz"
OFFICIAL = FIXTURES / "cbp21co.txt"

needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="official raw files not available")


def row(df: pd.DataFrame, fips: str, year: int, naics: str) -> pd.Series:
    hits = df.loc[(df["fips"] == fips) & (df["year"] == year) & (df["naics"] == naics)]
    assert len(hits) == 1, f"{fips} {year} {naics}: {len(hits)} rows"
    return hits.iloc[0]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), start=1) if needle in ln)


def edit_line(src: Path, dst: Path, old: str, new: str) -> int:
    """Copy ``src`` with the first line containing ``old`` changed; returns that line's number."""
    text = src.read_bytes().decode()
    assert old in text
    dst.write_bytes(text.replace(old, new, 1).encode())
    return line_of(dst, new)


@pytest.fixture(scope="module")
def county() -> pd.DataFrame:
    return read_cbp(API_COUNTY)


@pytest.fixture(scope="module")
def state() -> pd.DataFrame:
    return read_cbp(API_STATE)


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    return read_cbp(OFFICIAL)


# --- Census API layout ------------------------------------------------------------------------


def test_api_county_columns_types_and_padding(county):
    assert list(county.columns) == COLUMNS
    assert len(county) == 66
    assert set(county["fips"]) == {"01001", "01099", "22105"}  # leading zeros kept
    assert set(county["year"]) == {2017, 2021}
    assert (str(county["estab"].dtype), str(county["emp"].dtype), str(county["payann"].dtype)) == (
        "Int32",
        "Int64",
        "Int64",
    )
    assert not county.duplicated(["fips", "year", "naics"]).any()


def test_api_county_published_values(county):
    a = row(county, "01001", 2021, "00")
    assert (a.estab, a.emp, a.payann) == (924, 11216, 424_826_000)  # payroll: $1,000s -> dollars
    assert a.naics_level == 0
    m = row(county, "22105", 2021, "31-33")
    assert (m.estab, m.emp, m.payann, m.naics_level) == (80, 2535, 124_547_000, 2)
    f = row(county, "22105", 2021, "311")
    assert (f.estab, f.emp, f.payann, f.naics_level) == (10, 1640, 62_627_000, 3)
    assert row(county, "01099", 2017, "00").emp == 5409


def test_api_withheld_cells_are_missing_not_zero(county):
    for fips, naics in (("01099", "61"), ("01099", "611"), ("22105", "336")):
        w = row(county, fips, 2017, naics)
        assert w.withheld
        assert pd.isna(w.emp) and pd.isna(w.payann)
        assert w.estab == 3
    assert county["withheld"].sum() == 3


def test_api_zero_employment_with_payroll_is_a_real_zero(county):
    # 3 establishments, nobody on the March payroll, $66k paid during 2021: published, not withheld
    z = row(county, "22105", 2021, "336")
    assert not z.withheld
    assert (z.estab, z.emp, z.payann) == (3, 0, 66_000)


def test_api_state_rows_get_ss000(state):
    assert set(state["fips"]) == {"01000", "18000", "54000"}
    i = row(state, "18000", 2021, "00")
    assert (i.estab, i.emp, i.payann) == (150_912, 2_754_576, 145_139_717_000)
    assert row(state, "18000", 2017, "31-33").emp == 512_254
    assert row(state, "18000", 2021, "336").emp == 148_547
    for fips, year, naics in (("18000", 2017, "483"), ("01000", 2017, "525")):
        w = row(state, fips, year, naics)
        assert w.withheld and pd.isna(w.emp) and pd.isna(w.payann) and w.estab > 0
    assert row(state, "18000", 2021, "483").emp == 1415
    wv = row(state, "54000", 2020, "525")
    assert (wv.emp, wv.payann, wv.withheld) == (0, 117_000, False)


def test_api_four_digit_codes_are_dropped(tmp_path, county):
    src = API_COUNTY.read_bytes().decode()
    extra = '0500000US22105,"Tangipahoa Parish, Louisiana",22,105,2021,3361,Motor vehicle manufacturing,1,5,100,louisiana\r\n'
    path = tmp_path / "with4.csv"
    path.write_bytes((src + extra).encode())
    df = read_cbp(path)
    assert "3361" not in set(df["naics"])
    pd.testing.assert_frame_equal(df, county)


def test_naics_level():
    codes = pd.Series(["00", "11", "31-33", "44-45", "311", "3361"])
    assert naics_level(codes).tolist() == [0, 2, 2, 2, 3, 4]


# --- official county file layout (cbp21co.txt) ------------------------------------------------


def test_official_naics_normalised_and_detail_dropped(official):
    assert list(official.columns) == COLUMNS
    assert (official["year"] == 2021).all()  # from the file name
    assert set(official.loc[official["fips"] == "01001", "naics"]) == {"00", "11", "113"}  # 1133//, 11331/ dropped
    assert set(official.loc[official["fips"] == "22105", "naics"]) == {
        "00",
        "31-33",
        "311",
        "336",
        "44-45",
        "55",
        "551",
    }
    assert "5511" not in set(official["naics"])
    assert official["naics_level"].max() == 3


def test_official_values_equal_the_api_pull(official, county):
    """The official file and the API pull publish the same figures for the same cells."""
    key = ["fips", "year", "naics"]
    both = official.merge(county, on=key, suffixes=("_o", "_a"))
    assert len(both) == len(official) == 10
    for col in ("estab", "emp", "payann", "withheld", "naics_level"):
        assert both[f"{col}_o"].equals(both[f"{col}_a"]), col
    t = row(official, "01001", 2021, "00")
    assert (t.estab, t.emp, t.payann) == (924, 11216, 424_826_000)


def test_official_zero_employment_with_payroll_kept(official):
    z = row(official, "22105", 2021, "336")
    assert (z.emp, z.payann, z.withheld) == (0, 66_000, False)


def test_official_d_flag_is_withheld(tmp_path):
    path = tmp_path / "cbp21co.txt"
    line = edit_line(
        OFFICIAL, path, '"22","105","311///","G",1640,"G",0,"G",62627,10,', '"22","105","311///","D",0,"D",0,"D",0,10,'
    )
    assert line == 9
    w = row(read_cbp(path), "22105", 2021, "311")
    assert w.withheld and pd.isna(w.emp) and pd.isna(w.payann) and w.estab == 10


def test_official_s_flag_is_withheld(tmp_path):
    path = tmp_path / "cbp21co.txt"
    edit_line(
        OFFICIAL, path, '"22","105","311///","G",1640,"G",0,"G",62627,10,', '"22","105","311///","S",0,"S",0,"S",0,10,'
    )
    assert row(read_cbp(path), "22105", 2021, "311").withheld


def test_official_year_from_name_or_argument(tmp_path, official):
    anon = tmp_path / "county_file.txt"
    shutil.copy(OFFICIAL, anon)
    with pytest.raises(SourceError, match="year") as err:
        read_cbp(anon)
    assert_names(err, anon)
    pd.testing.assert_frame_equal(read_cbp(anon, year=2021), official)
    old = tmp_path / "cbp98co.txt"
    shutil.copy(OFFICIAL, old)
    assert set(read_cbp(old)["year"]) == {1998}


# --- bad input --------------------------------------------------------------------------------


def test_unknown_layout(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("GEOID,NAME,EMP\n01001,Autauga,11216\n")
    with pytest.raises(SourceError, match="not a CBP file") as err:
        read_cbp(path)
    assert_names(err, path)


def test_bad_naics_names_line(tmp_path):
    path = tmp_path / "cbp21co.txt"
    line = edit_line(OFFICIAL, path, '"22","105","44----"', '"22","105","4X----"')
    with pytest.raises(SourceError, match="NAICS") as err:
        read_cbp(path)
    assert_names(err, path, line)
    api = tmp_path / "api.csv"
    line = edit_line(API_COUNTY, api, ",2021,323,", ",2021,32A,")
    with pytest.raises(SourceError, match="32A") as err:
        read_cbp(api)
    assert_names(err, api, line)


def test_non_numeric_employment_and_bad_fips_name_line(tmp_path):
    path = tmp_path / "api.csv"
    line = edit_line(API_COUNTY, path, "Food manufacturing,10,1640,", "Food manufacturing,10,1.6k,")
    with pytest.raises(SourceError, match="'emp'") as err:
        read_cbp(path)
    assert_names(err, path, line)
    path2 = tmp_path / "cbp21co.txt"
    line = edit_line(OFFICIAL, path2, '"22","105","55----"', '"22","1O5","55----"')
    with pytest.raises(SourceError, match="fipscty") as err:
        read_cbp(path2)
    assert_names(err, path2, line)


def test_duplicate_row_names_line(tmp_path):
    text = OFFICIAL.read_text()
    dup = text.splitlines()[6]  # Tangipahoa all sectors
    path = tmp_path / "cbp21co.txt"
    path.write_text(text + dup + "\n")
    with pytest.raises(SourceError, match="twice") as err:
        read_cbp(path)
    assert_names(err, path, len(text.splitlines()) + 1)


def test_truncated_gzip_and_junk(tmp_path):
    data = API_STATE.read_bytes()
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="gzip") as err:
        read_cbp(cut)
    assert_names(err, cut)
    junk = tmp_path / "cbp21co.txt"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(SourceError) as err:
        read_cbp(junk)
    assert_names(err, junk)
    with pytest.raises(SourceError, match="not found"):
        read_cbp(tmp_path / "absent.csv")


# --- against the raw files --------------------------------------------------------------------


@needs_raw
def test_fixtures_are_unchanged_lines_of_the_raw_files():
    for fixture, raw in (
        (API_COUNTY.read_bytes(), RAW / "cbp_api_county_2017-2021_38states_naics2-3.csv.gz"),
        (gzip.decompress(API_STATE.read_bytes()), RAW / "cbp_api_state_2017-2021_naics2-3.csv.gz"),
    ):
        official = gzip.decompress(raw.read_bytes()).splitlines(keepends=True)
        kept = fixture.splitlines(keepends=True)
        assert kept[0] == official[0]
        index = {ln: i for i, ln in enumerate(official)}
        positions = [index[ln] for ln in kept[1:]]
        assert positions == sorted(positions)


@needs_raw
def test_raw_state_file_withheld_only_where_payroll_is_zero_too():
    df = read_cbp(RAW / "cbp_api_state_2017-2021_naics2-3.csv.gz")
    assert len(df) > 20_000
    assert df["fips"].str.fullmatch(r"\d{2}000").all()
    assert set(df.loc[df["withheld"], "year"]) == {2017}
    assert row(df, "18000", 2021, "00").emp == 2_754_576
