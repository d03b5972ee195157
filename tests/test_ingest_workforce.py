"""Workforce-composition parsers, checked against real slices of the official files.

Fixtures in tests/fixtures/workforce/ are unmodified rows (title, note, header
and footer rows included) cut from the files described in
shared/data/raw/SOURCES.md. Expected values are the publishers' own.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.data.ingest.common import SourceError
from dashboard.data.ingest.ers_education import read_education
from dashboard.data.ingest.laus import read_laus
from dashboard.data.ingest.popest import read_popest
from dashboard.data.ingest.saipe import implied_universe, read_saipe
from dashboard.data.ingest.svi import read_svi

FIXTURES = Path(__file__).parent / "fixtures" / "workforce"
RAW = Path(__file__).parents[1].parent / "shared/data/raw"
RAW_WORKFORCE = RAW / "workforce"

EDUCATION = FIXTURES / "ers_Education_2019-23.csv"
SAIPE = FIXTURES / "ers_Poverty2023_SAIPE.csv"
SVI = FIXTURES / "cdc_svi_2022_us_county.csv"
LAUS = FIXTURES / "bls_laucnty24.xlsx"
POPEST = FIXTURES / "census_co-est2024-alldata.csv"

needs_raw = pytest.mark.skipif(not RAW_WORKFORCE.is_dir(), reason="official raw files not available")


def row(df: pd.DataFrame, fips: str) -> pd.Series:
    hits = df.loc[df["fips"] == fips]
    assert len(hits) == 1, f"{fips}: {len(hits)} rows"
    return hits.iloc[0]


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    text = path.read_bytes().decode("latin-1")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def edit_cell(src: Path, dst: Path, needle: str, column: str, value: str) -> int:
    """Copy a CSV, setting ``column`` on the line containing ``needle``; returns that line."""
    lines = src.read_bytes().decode("latin-1").splitlines(keepends=True)
    header_at = next(i for i, ln in enumerate(lines) if column in _cells(ln))
    target = line_of(src, needle) - 1
    cells = _cells(lines[target])
    cells[_cells(lines[header_at]).index(column)] = value
    lines[target] = _join(cells, lines[target])
    dst.write_bytes("".join(lines).encode("latin-1"))
    return target + 1


def rename_column(src: Path, dst: Path, column: str, new: str) -> None:
    lines = src.read_bytes().decode("latin-1").splitlines(keepends=True)
    header_at = next(i for i, ln in enumerate(lines) if column in _cells(ln))
    cells = [new if c == column else c for c in _cells(lines[header_at])]
    lines[header_at] = _join(cells, lines[header_at])
    dst.write_bytes("".join(lines).encode("latin-1"))


def _cells(line: str) -> list[str]:
    return [c.lstrip("\ufeff\xef\xbb\xbf") for c in next(csv.reader([line.rstrip("\r\n")]))]


def _join(cells: list[str], original: str) -> str:
    out = io.StringIO()
    ending = original[len(original.rstrip("\r\n")) :]
    csv.writer(out, lineterminator=ending).writerow(cells)
    return out.getvalue()


# --- ERS educational attainment ---------------------------------------------------------------


def test_education_marion_published_counts():
    df = read_education(EDUCATION)
    m = row(df, "18097")
    assert (m.less_than_hs, m.hs_only, m.some_college, m.bachelors_plus) == (78327, 172358, 169140, 216864)
    assert m.adults_25plus == 78327 + 172358 + 169140 + 216864
    assert round(100 * (m.less_than_hs + m.hs_only) / m.adults_25plus, 1) == 39.4
    assert (m.area_name, m.level) == ("Marion County", "county")


def test_education_hamilton_and_types():
    df = read_education(EDUCATION)
    h = row(df, "18057")
    assert (h.less_than_hs, h.hs_only, h.some_college, h.bachelors_plus) == (6411, 33607, 50302, 146333)
    assert list(df.columns) == [
        "fips",
        "area_name",
        "level",
        "less_than_hs",
        "hs_only",
        "some_college",
        "bachelors_plus",
        "adults_25plus",
    ]
    assert all(str(df[c].dtype) == "Int64" for c in df.columns[3:])


def test_education_fips_padding_and_levels():
    df = read_education(EDUCATION)
    assert df["fips"].str.fullmatch(r"\d{5}").all()
    assert row(df, "01000").level == "state"
    assert row(df, "01001").level == "county"
    assert row(df, "01001").adults_25plus == 40767


def test_education_keeps_old_and_new_connecticut_and_blank_stays_missing():
    df = read_education(EDUCATION)
    old = row(df, "09001")  # Fairfield County: no 2019-23 estimate
    assert old[["less_than_hs", "hs_only", "some_college", "bachelors_plus", "adults_25plus"]].isna().all()
    assert row(df, "09110").adults_25plus == 675851  # Capitol Planning Region
    assert row(df, "09190").bachelors_plus == 238638
    assert row(df, "02261")[["less_than_hs", "adults_25plus"]].isna().all()  # Valdez-Cordova, split in 2019
    assert row(df, "02063").hs_only == 1244  # Chugach, its successor


def test_education_wrapped_header_and_bom(tmp_path):
    # Some ERS releases wrap the long header names over two lines.
    text = EDUCATION.read_text(encoding="utf-8")
    text = text.replace('"Less than high school graduate, 2019-23"', '"Less than high school graduate,\n 2019-23"')
    text = text.replace('"Bachelor\'s degree or higher, 2019-23"', '"Bachelor\'s degree or higher,\r\n2019-23"')
    assert "graduate,\n 2019-23" in text
    path = tmp_path / "wrapped.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    m = row(read_education(path), "18097")
    assert (m.less_than_hs, m.bachelors_plus) == (78327, 216864)


def test_education_non_numeric_count_names_file_and_line(tmp_path):
    bad = tmp_path / "edu.csv"
    line = edit_cell(
        EDUCATION, bad, "18097,IN,Marion County", "High school graduate (or equivalency), 2019-23", "17x,358"
    )
    with pytest.raises(SourceError) as err:
        read_education(bad)
    assert err.value.line == line
    assert str(bad) in str(err.value) and f"line {line}" in str(err.value)


def test_education_missing_period_column(tmp_path):
    bad = tmp_path / "edu.csv"
    rename_column(EDUCATION, bad, "Some college or associate degree, 2019-23", "Some college, 2018-22")
    with pytest.raises(SourceError, match="2019-23 count column"):
        read_education(bad)


# --- SAIPE poverty ---------------------------------------------------------------------------


def test_saipe_marion_published_values():
    m = row(read_saipe(SAIPE), "18097")
    assert (m.poverty_count, m.poverty_rate, m.median_household_income) == (148329, 15.6, 66653)
    assert (m.child_poverty_count, m.child_poverty_rate) == (48927, 20.7)
    assert m.poverty_universe == round(148329 * 100 / 15.6) == 950827
    assert m.child_poverty_universe == round(48927 * 100 / 20.7)
    assert (m.state_abbr, m.level) == ("IN", "county")


def test_saipe_hamilton_us_and_states():
    df = read_saipe(SAIPE)
    h = row(df, "18057")
    assert (h.poverty_count, h.poverty_rate, h.median_household_income) == (17814, 4.8, 121231)
    us = row(df, "00000")
    assert (us.level, us.poverty_count, us.median_household_income) == ("us", 40763043, 77719)
    assert row(df, "18000").level == "state"
    assert df["fips"].str.fullmatch(r"\d{5}").all()
    assert str(df["poverty_count"].dtype) == "Int64" and str(df["poverty_rate"].dtype) == "float64"


def test_saipe_blank_cells_are_missing_not_zero():
    k = row(read_saipe(SAIPE), "15005")  # Kalawao County, HI: not estimated
    assert k[["poverty_count", "poverty_rate", "poverty_universe", "median_household_income"]].isna().all()


def test_saipe_connecticut_planning_regions():
    df = read_saipe(SAIPE)
    assert row(df, "09110").poverty_count == 92788
    assert not df["fips"].str.match(r"090(0[1-9]|1[0-5])$").any()


def test_implied_universe_undefined_rate():
    count = pd.Series([50, 7, None, 10], dtype="Int64")
    rate = pd.Series([12.5, 0.0, 5.0, None])
    got = implied_universe(count, rate)
    assert got.iloc[0] == 400 and got.iloc[1:].isna().all()


def test_saipe_non_numeric_rate_names_line(tmp_path):
    bad = tmp_path / "saipe.csv"
    line = edit_cell(SAIPE, bad, "18097,IN,Marion County", "PCTPOVALL_2023", "15..6")
    with pytest.raises(SourceError) as err:
        read_saipe(bad)
    assert err.value.line == line and "PCTPOVALL_2023" in str(err.value)


def test_saipe_truncated_file(tmp_path):
    raw = SAIPE.read_bytes()
    cut = raw.index(b'Marion County,1,1,1,1,"148,3') + 26
    bad = tmp_path / "saipe.csv"
    bad.write_bytes(raw[:cut])
    with pytest.raises(SourceError, match=str(bad)):
        read_saipe(bad)


# --- CDC/ATSDR SVI ---------------------------------------------------------------------------


def test_svi_marion_counts_and_universes():
    m = row(read_svi(SVI), "18097")
    assert (m.population, m.households) == (971737, 392837)
    assert (m.pov150, m.pov150_pct_published, m.pov150_universe) == (246495, 25.9, round(246495 * 100 / 25.9))
    assert (m.no_hs_diploma, m.no_hs_diploma_universe) == (80876, round(80876 * 100 / 12.7))
    assert (m.no_vehicle, m.no_vehicle_universe, m.no_vehicle_pct_published) == (32286, 392837, 8.2)
    assert (m.no_internet, m.no_internet_universe, m.no_internet_pct_published) == (50112, 392837, 12.8)
    assert (m.uninsured, m.disability, m.limited_english) == (91479, 130202, 28988)
    assert m.area_name == "Marion County, Indiana"


def test_svi_hamilton_and_padding():
    df = read_svi(SVI)
    h = row(df, "18057")
    assert (h.population, h.no_hs_diploma, h.no_hs_diploma_pct_published) == (349527, 6542, 2.8)
    assert h.limited_english_universe == round(4315 * 100 / 1.3)  # EP 1.3 >= 1.0: implied
    assert {"01001", "02013", "02063", "09110", "09190"} <= set(df["fips"])  # stored as 1001, 9110...
    assert df["fips"].str.fullmatch(r"\d{5}").all()
    assert row(df, "35013").area_name == "Doña Ana County, New Mexico"


@pytest.mark.parametrize(
    "fips, indicator, count, pct",
    [
        ("01001", "limited_english", 203, 0.4),  # EP below 1: too imprecise to divide by
        ("01027", "limited_english", 6, 0.0),  # count but EP rounds to zero
        ("01035", "limited_english", 0, 0.0),  # zero count: undefined
        ("48301", "uninsured", 0, 0.0),  # Loving County, TX
        ("30069", "no_hs_diploma", 1, 0.3),  # Petroleum County, MT
    ],
)
def test_svi_person_universe_falls_back_to_population(fips, indicator, count, pct):
    r = row(read_svi(SVI), fips)
    assert (r[indicator], r[f"{indicator}_pct_published"]) == (count, pct)
    assert r[f"{indicator}_universe"] == r.population


def test_svi_minus_999_is_missing_never_zero(tmp_path):
    step = tmp_path / "step.csv"
    bad = tmp_path / "svi.csv"
    edit_cell(SVI, step, "Marion County, Indiana", "E_NOINT", "-999")
    edit_cell(step, step, "Marion County, Indiana", "EP_LIMENG", "-999.0")
    edit_cell(step, bad, "Marion County, Indiana", "E_HH", "-999")
    m = row(read_svi(bad), "18097")
    assert pd.isna(m.no_internet) and pd.isna(m.no_internet_universe)
    assert m.no_internet_pct_published == 12.8
    assert pd.isna(m.limited_english_pct_published)
    assert m.limited_english == 28988 and m.limited_english_universe == 971737  # no EP: population stands in
    assert pd.isna(m.households) and pd.isna(m.no_vehicle_universe)


def test_svi_missing_internet_column(tmp_path):
    bad = tmp_path / "svi.csv"
    rename_column(SVI, bad, "E_NOINT", "E_SOMETHING")
    with pytest.raises(SourceError, match="E_NOINT"):
        read_svi(bad)


def test_svi_garbled_count_names_line(tmp_path):
    bad = tmp_path / "svi.csv"
    line = edit_cell(SVI, bad, "Hamilton County, Indiana", "E_NOVEH", "2,8#6")
    with pytest.raises(SourceError) as err:
        read_svi(bad)
    assert err.value.line == line and "E_NOVEH" in str(err.value)


# --- BLS LAUS --------------------------------------------------------------------------------


def test_laus_marion_and_hamilton():
    df = read_laus(LAUS)
    m = row(df, "18097")
    assert (m.year, m.labor_force, m.employed, m.unemployed, m.unemployment_rate) == (2024, 512930, 491338, 21592, 4.2)
    assert m.area_name == "Marion County, IN"
    h = row(df, "18057")
    assert (h.labor_force, h.unemployment_rate) == (207699, 3.3)


def test_laus_footer_skipped_and_types():
    df = read_laus(LAUS)
    assert len(df) == 11
    assert not df["area_name"].str.contains("SOURCE|2026").any()
    assert df["fips"].str.fullmatch(r"\d{5}").all()
    assert {"01001", "02063", "09110", "11001", "72153"} <= set(df["fips"])
    assert str(df["year"].dtype) == "int64" and str(df["labor_force"].dtype) == "Int64"
    assert df.index.tolist() == list(range(11))


def _laus_copy(tmp_path: Path, edit) -> Path:
    wb = openpyxl.load_workbook(LAUS)
    edit(wb.active)
    out = tmp_path / "laus.xlsx"
    wb.save(out)
    return out


def test_laus_non_numeric_cell_names_sheet_row(tmp_path):
    def garble(ws):
        marion = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "CN1809700000000")
        ws.cell(marion, 6).value = "512,93O"
        garble.row = marion

    bad = _laus_copy(tmp_path, garble)
    with pytest.raises(SourceError) as err:
        read_laus(bad)
    assert err.value.line == garble.row and "'Labor Force'" in str(err.value)


def test_laus_missing_column(tmp_path):
    bad = _laus_copy(tmp_path, lambda ws: setattr(ws.cell(2, 9), "value", None))
    with pytest.raises(SourceError, match=r"Unemployment Rate \(%\)"):
        read_laus(bad)


def test_laus_blank_code_mid_table_is_an_error(tmp_path):
    bad = _laus_copy(tmp_path, lambda ws: setattr(ws.cell(5, 2), "value", None))
    with pytest.raises(SourceError) as err:
        read_laus(bad)
    assert err.value.line == 5 and "State FIPS Code" in str(err.value)


def _truncated_sheet_xml(path: Path) -> None:
    with zipfile.ZipFile(LAUS) as src, zipfile.ZipFile(path, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage" * 50, b"LAUS Code,State FIPS Code\n", "half", "xml"])
def test_laus_not_a_workbook(tmp_path, content):
    bad = tmp_path / "laucnty24.xlsx"
    if content == "half":
        bad.write_bytes(LAUS.read_bytes()[: LAUS.stat().st_size // 2])
    elif content == "xml":
        _truncated_sheet_xml(bad)
    else:
        bad.write_bytes(content)
    with pytest.raises(SourceError, match="laucnty24.xlsx"):
        read_laus(bad)


# --- Census population estimates --------------------------------------------------------------


def test_popest_marion_hamilton_and_states():
    df = read_popest(POPEST)
    m = row(df, "18097")
    assert (m.population, m.level, m.state_name, m.area_name) == (981628, "county", "Indiana", "Marion County")
    assert row(df, "18057").population == 379704
    indiana = row(df, "18000")
    assert (indiana.level, indiana.population) == ("state", 6924275)
    assert df["fips"].str.fullmatch(r"\d{5}").all()
    assert str(df["population"].dtype) == "Int64"


def test_popest_latin1_name_decoded():
    assert b"Do\xf1a Ana County" in POPEST.read_bytes()  # the fixture really is latin-1
    assert row(read_popest(POPEST), "35013").area_name == "Doña Ana County"


def test_popest_connecticut_and_alaska():
    df = read_popest(POPEST)
    assert row(df, "09110").population == 991508
    assert df.attrs["vintage"] == 2024  # the newest POPESTIMATE<year> column is the one read
    assert row(df, "15005").population == 81


def test_popest_non_numeric_names_line(tmp_path):
    bad = tmp_path / "popest.csv"
    line = edit_cell(POPEST, bad, "Hamilton County", "POPESTIMATE2024", "379 704")
    with pytest.raises(SourceError) as err:
        read_popest(bad)
    assert err.value.line == line and "POPESTIMATE2024" in str(err.value)


# --- bad input common to the CSV parsers --------------------------------------------------------

CSV_PARSERS = [
    (read_education, EDUCATION, "Area name"),
    (read_saipe, SAIPE, "Area_Name"),
    (read_svi, SVI, "E_HH"),
    (read_popest, POPEST, "CTYNAME"),
]


@pytest.mark.parametrize("reader, fixture, column", CSV_PARSERS)
def test_missing_required_column(tmp_path, reader, fixture, column):
    bad = tmp_path / fixture.name
    rename_column(fixture, bad, column, "renamed")
    with pytest.raises(SourceError, match=column.replace("(", r"\(")) as err:
        reader(bad)
    assert str(bad) in str(err.value)


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01\x02\x03binary" * 100, b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 4]
)
@pytest.mark.parametrize("reader, fixture, column", CSV_PARSERS)
def test_empty_or_binary_file(tmp_path, reader, fixture, column, content):
    bad = tmp_path / fixture.name
    bad.write_bytes(content)
    with pytest.raises(SourceError) as err:
        reader(bad)
    assert str(bad) in str(err.value)


@pytest.mark.parametrize("reader", [read_education, read_saipe, read_svi, read_popest, read_laus])
def test_missing_file(tmp_path, reader):
    with pytest.raises(SourceError, match="file not found"):
        reader(tmp_path / "absent.csv")


# --- the full official files ----------------------------------------------------------------


@needs_raw
def test_full_education():
    df = read_education(RAW_WORKFORCE / "ers_Education_2019-23.csv")
    assert (df["level"] == "county").sum() > 3000 and (df["level"] == "state").sum() >= 51
    assert not df["fips"].duplicated().any()
    m = row(df, "18097")
    assert round(100 * (m.less_than_hs + m.hs_only) / m.adults_25plus, 1) == 39.4
    assert {f"091{i}0" for i in range(1, 10)} <= set(df["fips"])


@needs_raw
def test_full_saipe():
    df = read_saipe(RAW_WORKFORCE / "ers_Poverty2023_SAIPE.csv")
    assert (df["level"] == "county").sum() > 3000 and (df["level"] == "us").sum() == 1
    m = row(df, "18097")
    assert (m.poverty_rate, m.poverty_count, m.median_household_income) == (15.6, 148329, 66653)


@needs_raw
def test_full_svi():
    df = read_svi(RAW_WORKFORCE / "cdc_svi_2022_us_county.csv")
    assert len(df) > 3000 and not df["fips"].duplicated().any()
    assert row(df, "18097").no_internet == 50112
    universes = df.filter(like="_universe")
    assert (universes.dropna() > 0).all().all()


@needs_raw
def test_full_laus():
    df = read_laus(RAW_WORKFORCE / "bls_laucnty24.xlsx")
    assert len(df) > 3000 and not df["fips"].duplicated().any()
    assert (df["year"] == 2024).all()
    assert row(df, "18097").unemployment_rate == 4.2


@needs_raw
def test_full_popest():
    df = read_popest(RAW_WORKFORCE / "census_co-est2024-alldata.csv")
    assert (df["level"] == "county").sum() > 3000 and (df["level"] == "state").sum() == 51
    assert row(df, "18097").population == 981628
    assert row(df, "35013").area_name == "Doña Ana County"
