"""Region crosswalk parsers, on real slices of the official files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from source_checks import assert_names

from dashboard.data.ingest.bea_areas import read_bea_areas
from dashboard.data.ingest.cbsa import read_cbsa
from dashboard.data.ingest.common import SourceError
from dashboard.data.ingest.commuting_zones import read_commuting_zones
from dashboard.data.ingest.indiana_egr import read_indiana_egr
from dashboard.data.ingest.rucc import read_rucc

FIXTURES = Path(__file__).parent / "fixtures" / "regions"
RAW = Path(__file__).parents[1].parent / "shared/data/raw" / "regions"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="raw official files not present")

CBSA = FIXTURES / "list1_2023.xlsx"
CZ = FIXTURES / "cz20_county20.csv"
BEA = FIXTURES / "bea_economic_areas_county_crosswalk.csv"
RUCC = FIXTURES / "ers_Ruralurbancontinuumcodes2023.csv"
EGR = FIXTURES / "indiana_egr_counties_compiled.csv"

CT_PLANNING_REGIONS = {f"091{i}0" for i in range(1, 10)}


def row(frame: pd.DataFrame, fips: str) -> pd.Series:
    match = frame[frame["fips"] == fips]
    assert len(match) == 1, fips
    return match.iloc[0]


def edit_csv(src: Path, dst: Path, old: str, new: str, encoding: str = "utf-8") -> Path:
    text = src.read_bytes().decode(encoding)
    assert old in text
    dst.write_bytes(text.replace(old, new, 1).encode(encoding))
    return dst


def line_of(path: Path, needle: str, encoding: str = "utf-8") -> int:
    lines = path.read_bytes().decode(encoding).splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture
def junk(tmp_path: Path) -> Path:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 8)
    return path


# --- CBSA (OMB / Census list 1, July 2023) -----------------------------------


@pytest.fixture(scope="module")
def cbsa() -> pd.DataFrame:
    return read_cbsa(CBSA)


def test_cbsa_columns_and_types(cbsa):
    assert list(cbsa.columns) == [
        "fips",
        "cbsa_code",
        "cbsa_title",
        "metro_micro",
        "csa_code",
        "csa_title",
        "central_outlying",
        "county_name",
        "state_name",
    ]
    assert cbsa["fips"].str.fullmatch(r"\d{5}").all()
    assert cbsa["cbsa_code"].str.fullmatch(r"\d{5}").all()
    assert set(cbsa["metro_micro"]) == {"metro", "micro"}
    assert set(cbsa["central_outlying"]) == {"central", "outlying"}


def test_cbsa_indiana_values(cbsa):
    elkhart = row(cbsa, "18039")
    assert (elkhart.cbsa_code, elkhart.cbsa_title, elkhart.metro_micro) == ("21140", "Elkhart-Goshen, IN", "metro")
    assert (elkhart.csa_code, elkhart.csa_title) == ("515", "South Bend-Elkhart-Mishawaka, IN-MI")
    marion = row(cbsa, "18097")
    assert (marion.cbsa_code, marion.cbsa_title) == ("26900", "Indianapolis-Carmel-Greenwood, IN")
    assert (marion.county_name, marion.state_name, marion.central_outlying) == ("Marion County", "Indiana", "central")
    assert row(cbsa, "18057").cbsa_code == "26900"
    assert row(cbsa, "18013").central_outlying == "outlying"  # Brown County
    assert (cbsa["cbsa_code"] == "26900").sum() == 11


def test_cbsa_connecticut_planning_regions_and_virginia_city(cbsa):
    ct = cbsa[cbsa["fips"].str.startswith("09")]
    assert set(ct["fips"]) == CT_PLANNING_REGIONS
    assert row(cbsa, "09110").county_name == "Capitol Planning Region"
    assert row(cbsa, "09110").cbsa_code == "25540"
    assert cbsa.attrs["connecticut"] == "planning_regions"
    city = row(cbsa, "51540")
    assert (city.county_name, city.cbsa_code) == ("Charlottesville city", "16820")
    assert pd.isna(city.csa_code) and pd.isna(city.csa_title)


def test_cbsa_titles_and_footers_skipped(cbsa):
    # 37 sheet rows: 2 titles, header, 31 counties, blank row, Note, Source.
    assert len(cbsa) == 31
    assert not cbsa["county_name"].str.contains("Note|Source|Table").any()
    assert cbsa.iloc[-1]["county_name"] == "Zapata County"
    assert row(cbsa, "46013").metro_micro == "micro"


def _rewrite_sheet(src: Path, dst: Path, edits: dict[tuple[int, int], object]) -> Path:
    book = openpyxl.load_workbook(src)
    sheet = book.worksheets[0]
    for (r, c), value in edits.items():
        sheet.cell(r, c).value = value  # cell(r, c, None) would leave the old value
    book.save(dst)
    return dst


def _sheet_row_of(fips: str) -> int:
    sheet = openpyxl.load_workbook(CBSA).worksheets[0]
    return next(r for r in range(1, sheet.max_row + 1) if f"{sheet.cell(r, 10).value}{sheet.cell(r, 11).value}" == fips)


def test_cbsa_numeric_codes_are_zero_padded(tmp_path):
    aberdeen, elkhart = _sheet_row_of("46013"), _sheet_row_of("18039")
    path = _rewrite_sheet(
        CBSA,
        tmp_path / "numeric.xlsx",
        {
            (aberdeen, 10): 46,
            (aberdeen, 11): 13,
            (elkhart, 10): 18.0,
            (elkhart, 11): 39.0,
            (elkhart, 1): 21140,
            (elkhart, 3): 515,
        },
    )
    out = read_cbsa(path)
    assert {"46013", "18039"} <= set(out["fips"])
    assert (row(out, "18039").cbsa_code, row(out, "18039").csa_code) == ("21140", "515")


def test_cbsa_bad_code_names_the_row(tmp_path):
    r = _sheet_row_of("18097")
    path = _rewrite_sheet(CBSA, tmp_path / "bad.xlsx", {(r, 1): "2690O"})
    with pytest.raises(SourceError, match="CBSA Code") as err:
        read_cbsa(path)
    assert_names(err, path, r)


def test_cbsa_bad_area_type_names_the_row(tmp_path):
    r = _sheet_row_of("18039")
    path = _rewrite_sheet(CBSA, tmp_path / "bad.xlsx", {(r, 5): "Metro"})
    with pytest.raises(SourceError, match="Metropolitan/Micropolitan") as err:
        read_cbsa(path)
    assert_names(err, path, r)


def test_cbsa_duplicate_county_names_the_row(tmp_path):
    r = _sheet_row_of("18039")
    path = _rewrite_sheet(CBSA, tmp_path / "dup.xlsx", {(r, 11): "097"})
    with pytest.raises(SourceError, match="more than once") as err:
        read_cbsa(path)
    assert_names(err, path, _sheet_row_of("18097"))


def test_cbsa_missing_column(tmp_path):
    path = _rewrite_sheet(CBSA, tmp_path / "nocol.xlsx", {(3, 12): None})
    with pytest.raises(SourceError, match="Central/Outlying County") as err:
        read_cbsa(path)
    assert_names(err, path)


def test_cbsa_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(SourceError, match="no header row") as err:
        read_cbsa(path)
    assert_names(err, path)


def test_cbsa_header_without_rows(tmp_path):
    book = openpyxl.load_workbook(CBSA)
    sheet = book.worksheets[0]
    sheet.delete_rows(4, sheet.max_row)
    path = tmp_path / "headeronly.xlsx"
    book.save(path)
    with pytest.raises(SourceError, match="no county rows") as err:
        read_cbsa(path)
    assert_names(err, path)


def _damaged_sheet_data(data: bytes) -> bytes:
    """Zero part of the compressed worksheet, leaving the zip directory intact."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 100
    return data[:start] + bytes(300) + data[start + 300 :]


@pytest.mark.parametrize("damage", ["truncated", "damaged_sheet", "not_a_workbook", "junk", "empty", "missing"])
def test_cbsa_unreadable_workbook(tmp_path, damage):
    path = tmp_path / "broken.xlsx"
    data = CBSA.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "damaged_sheet":
        path.write_bytes(_damaged_sheet_data(data))
    elif damage == "not_a_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "not a spreadsheet")
    elif damage == "junk":
        path.write_bytes(bytes(range(256)) * 16)
    elif damage == "empty":
        path.write_bytes(b"")
    with pytest.raises(SourceError) as err:
        read_cbsa(path)
    assert_names(err, path)


# --- Commuting zones (Fowler 2024, CZ20) ------------------------------------


@pytest.fixture(scope="module")
def cz() -> pd.DataFrame:
    return read_commuting_zones(CZ)


def test_cz_values(cz):
    assert list(cz.columns) == ["fips", "cz_id"]
    assert len(cz) == 36
    assert row(cz, "18039").cz_id == "171"  # Elkhart, with St. Joseph (South Bend)
    assert row(cz, "18141").cz_id == "171"
    assert row(cz, "18097").cz_id == "166"  # Marion, with Hamilton and the Indianapolis ring
    assert row(cz, "18057").cz_id == "166"
    assert row(cz, "51540").cz_id == "542"
    assert row(cz, "01069").cz_id == "3"


def test_cz_connecticut_is_one_zone_of_planning_regions(cz):
    ct = cz[cz["fips"].str.startswith("09")]
    assert set(ct["fips"]) == CT_PLANNING_REGIONS
    assert set(ct["cz_id"]) == {"88"}
    assert cz.attrs["connecticut"] == "planning_regions"


def test_cz_respaved_numbers_and_notes(tmp_path):
    path = tmp_path / "cz.csv"
    path.write_text('Commuting zones 2020\n"GEOID","CZ20"\n1069,3.0\n"18039",171\n\nSource: Fowler 2024\n')
    out = read_commuting_zones(path)
    assert out.to_dict("list") == {"fips": ["01069", "18039"], "cz_id": ["3", "171"]}


def test_cz_non_numeric_fips_names_the_line(tmp_path):
    path = edit_csv(CZ, tmp_path / "cz.csv", '"18039"', '"18O39"')
    with pytest.raises(SourceError, match="GEOID") as err:
        read_commuting_zones(path)
    assert_names(err, path, line_of(path, "18O39"))


def test_cz_missing_zone_names_the_line(tmp_path):
    path = edit_csv(CZ, tmp_path / "cz.csv", '"18097",166', '"18097",')
    with pytest.raises(SourceError, match="CZ20") as err:
        read_commuting_zones(path)
    assert_names(err, path, line_of(path, '"18097"'))


def test_cz_missing_column(tmp_path):
    path = edit_csv(CZ, tmp_path / "cz.csv", '"CZ20"', '"CZ"')
    with pytest.raises(SourceError, match="CZ20") as err:
        read_commuting_zones(path)
    assert_names(err, path)


def test_cz_empty_and_junk(tmp_path, junk):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for path in (empty, junk):
        with pytest.raises(SourceError) as err:
            read_commuting_zones(path)
        assert_names(err, path)


# --- BEA Economic Areas (2004) ----------------------------------------------


@pytest.fixture(scope="module")
def bea() -> pd.DataFrame:
    return read_bea_areas(BEA)


def test_bea_values(bea):
    assert list(bea.columns) == ["fips", "county_name", "ea_id", "ea_name"]
    elkhart = row(bea, "18039")
    assert (elkhart.county_name, elkhart.ea_id, elkhart.ea_name) == (
        "Elkhart County",
        "156",
        "South Bend-Mishawaka, IN-MI",
    )
    marion = row(bea, "18097")
    assert (marion.ea_id, marion.ea_name) == ("78", "Indianapolis-Anderson-Columbus, IN")
    assert row(bea, "08014").county_name == "Broomfield County"  # suffix spelled ", Co"
    assert row(bea, "51540").ea_name == "Richmond, VA"


def test_bea_old_geography_kept_and_placeholder_dropped(bea):
    ct = bea[bea["fips"].str.startswith("09")]
    assert set(ct["fips"]) == {f"090{c:02d}" for c in range(1, 16, 2)}
    assert bea.attrs["connecticut"] == "historic_counties"
    assert "11999" not in set(bea["fips"])
    assert row(bea, "11001").county_name == "District of Columbia"
    assert {"12025", "12086", "51515", "51560", "51780", "46113"} <= set(bea["fips"])
    assert len(bea) == 40


def test_bea_non_numeric_area_names_the_line(tmp_path):
    path = edit_csv(BEA, tmp_path / "bea.csv", '"Elkhart County, IN",156', '"Elkhart County, IN",EA156')
    with pytest.raises(SourceError, match="EA") as err:
        read_bea_areas(path)
    assert_names(err, path, line_of(path, "Elkhart"))


def test_bea_non_numeric_fips_names_the_line(tmp_path):
    path = edit_csv(BEA, tmp_path / "bea.csv", "18097,", "18-97,")
    with pytest.raises(SourceError, match="FIPS") as err:
        read_bea_areas(path)
    assert_names(err, path, line_of(path, "18-97"))


def test_bea_area_with_two_names_names_the_line(tmp_path):
    old = '78,"Indianapolis-Anderson-Columbus, IN"\n18097'
    path = edit_csv(BEA, tmp_path / "bea.csv", old, '78,"Indianapolis, IN"\n18097')
    with pytest.raises(SourceError, match="area 78") as err:
        read_bea_areas(path)
    assert_names(err, path, line_of(path, "Indianapolis, IN"))


def test_bea_missing_column_and_empty(tmp_path, junk):
    path = edit_csv(BEA, tmp_path / "bea.csv", "EA Name", "Area")
    empty = tmp_path / "empty.csv"
    empty.write_text("FIPS,County,EA,EA Name\n")
    for bad in (path, empty, junk):
        with pytest.raises(SourceError) as err:
            read_bea_areas(bad)
        assert_names(err, bad)


# --- RUCC 2023 (USDA ERS) ----------------------------------------------------


@pytest.fixture(scope="module")
def rucc() -> pd.DataFrame:
    return read_rucc(RUCC)


def test_rucc_values_and_types(rucc):
    assert list(rucc.columns) == ["fips", "state_abbr", "county_name", "census_population", "rucc", "rucc_description"]
    assert str(rucc["census_population"].dtype) == "Int64"
    assert str(rucc["rucc"].dtype) == "Int8"
    marion = row(rucc, "18097")
    assert (marion.state_abbr, marion.county_name) == ("IN", "Marion County")
    assert (marion.census_population, marion.rucc) == (977203, 1)
    assert marion.rucc_description == "Metro - Counties in metro areas of 1 million population or more"
    assert row(rucc, "18039").rucc == 3
    assert row(rucc, "18057").rucc == 1
    assert row(rucc, "51540").county_name == "Charlottesville city"
    assert len(rucc) == 36


def test_rucc_mac_roman_names(rucc):
    assert row(rucc, "35013").county_name == "Doña Ana County"
    assert row(rucc, "72011").county_name == "Añasco Municipio"
    assert row(rucc, "72097").county_name == "Mayagüez Municipio"


def test_rucc_genuine_cp1252_is_left_alone(tmp_path):
    path = tmp_path / "rucc.csv"
    path.write_bytes(
        b"FIPS,State,County_Name,Population_2020,RUCC_2023,Description\r\n"
        b'35013,NM,Do\xf1a Ana County,"219,561",3,Metro \x96 small\r\n'
    )
    out = read_rucc(path)
    assert out.loc[0, "county_name"] == "Doña Ana County"
    assert out.loc[0, "rucc_description"] == "Metro – small"


def test_rucc_missing_code_and_connecticut(rucc):
    rose = row(rucc, "60030")
    assert pd.isna(rose.rucc) and pd.isna(rose.rucc_description)
    assert rose.census_population == 0
    ct = rucc[rucc["state_abbr"] == "CT"]
    assert set(ct["fips"]) == CT_PLANNING_REGIONS
    assert rucc.attrs["connecticut"] == "planning_regions"


def test_rucc_code_out_of_range_names_the_line(tmp_path):
    path = edit_csv(RUCC, tmp_path / "rucc.csv", 'Marion County,"977,203",1,', 'Marion County,"977,203",10,', "cp1252")
    with pytest.raises(SourceError, match="RUCC_2023") as err:
        read_rucc(path)
    assert_names(err, path, line_of(path, "Marion County", "cp1252"))


def test_rucc_bad_population_names_the_line(tmp_path):
    path = edit_csv(RUCC, tmp_path / "rucc.csv", '"207,047"', '"207.047 people"', "cp1252")
    with pytest.raises(SourceError, match="Population_2020") as err:
        read_rucc(path)
    assert_names(err, path, line_of(path, "Elkhart", "cp1252"))


def test_rucc_non_numeric_fips_names_the_line(tmp_path):
    path = edit_csv(RUCC, tmp_path / "rucc.csv", "18057,IN", "IN057,IN", "cp1252")
    with pytest.raises(SourceError, match="FIPS") as err:
        read_rucc(path)
    assert_names(err, path, line_of(path, "IN057", "cp1252"))


def test_rucc_missing_column_and_junk(tmp_path, junk):
    path = edit_csv(RUCC, tmp_path / "rucc.csv", "RUCC_2023", "RUCC_2013", "cp1252")
    for bad in (path, junk):
        with pytest.raises(SourceError) as err:
            read_rucc(bad)
        assert_names(err, bad)


# --- Indiana Economic Growth Regions ----------------------------------------


@pytest.fixture(scope="module")
def egr() -> pd.DataFrame:
    return read_indiana_egr(EGR)


def test_egr_values(egr):
    assert list(egr.columns) == ["fips", "county_name", "egr_id", "workforce_area", "confirmation", "source"]
    assert len(egr) == 92 and egr["fips"].str.fullmatch(r"18\d{3}").all()
    assert sorted(egr["egr_id"].unique(), key=int) == [str(i) for i in range(1, 12)]
    elkhart = row(egr, "18039")
    assert (elkhart.county_name, elkhart.egr_id, elkhart.workforce_area) == ("Elkhart County", "2", "2")
    assert elkhart.confirmation == "partial"
    marion = row(egr, "18097")
    assert (marion.egr_id, marion.workforce_area) == ("5", "12")
    assert row(egr, "18057").egr_id == "5"
    assert (egr["egr_id"] == "5").sum() == 9
    assert egr.attrs["connecticut"] == "absent"


def test_egr_non_indiana_county_names_the_line(tmp_path):
    path = edit_csv(EGR, tmp_path / "egr.csv", "18039,Elkhart", "17031,Elkhart")
    with pytest.raises(SourceError, match="Indiana") as err:
        read_indiana_egr(path)
    assert_names(err, path, line_of(path, "Elkhart County"))


def test_egr_region_out_of_range_names_the_line(tmp_path):
    path = edit_csv(EGR, tmp_path / "egr.csv", "18039,Elkhart County,2,", "18039,Elkhart County,12,")
    with pytest.raises(SourceError, match="egr") as err:
        read_indiana_egr(path)
    assert_names(err, path, line_of(path, "Elkhart County"))


def test_egr_non_numeric_fips_names_the_line(tmp_path):
    path = edit_csv(EGR, tmp_path / "egr.csv", "18097,Marion", "18O97,Marion")
    with pytest.raises(SourceError, match="fips") as err:
        read_indiana_egr(path)
    assert_names(err, path, line_of(path, "Marion County"))


def test_egr_duplicate_and_incomplete(tmp_path):
    dup = edit_csv(EGR, tmp_path / "dup.csv", "18039,Elkhart", "18097,Elkhart")
    with pytest.raises(SourceError, match="more than once") as err:
        read_indiana_egr(dup)
    assert_names(err, dup, line_of(dup, "Marion County"))

    short = tmp_path / "short.csv"
    short.write_bytes(b"".join(EGR.read_bytes().splitlines(keepends=True)[:50]))
    with pytest.raises(SourceError, match="49 counties") as err:
        read_indiana_egr(short)
    assert_names(err, short)


def test_egr_missing_column_and_empty(tmp_path, junk):
    nocol = edit_csv(EGR, tmp_path / "egr.csv", "fips,county,egr,", "fips,county,region,")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for bad in (nocol, empty, junk):
        with pytest.raises(SourceError) as err:
            read_indiana_egr(bad)
        assert_names(err, bad)


def test_egr_fixture_is_the_published_file():
    if RAW.is_dir():
        assert EGR.read_bytes() == (RAW / EGR.name).read_bytes()


# --- full official files ------------------------------------------------------


@needs_raw
def test_full_cbsa():
    out = read_cbsa(RAW / "list1_2023.xlsx")
    assert len(out) == 1915 and out["fips"].is_unique
    areas = out.drop_duplicates("cbsa_code")
    assert areas["metro_micro"].value_counts().to_dict() == {"metro": 393, "micro": 542}
    assert out["csa_code"].nunique() == 184
    assert out.attrs["connecticut"] == "planning_regions"
    assert row(out, "18039").cbsa_code == "21140"
    assert out.iloc[-1]["county_name"] == "Zapata County"


@needs_raw
def test_full_commuting_zones():
    out = read_commuting_zones(RAW / "cz20_county20.csv")
    assert len(out) == 3222 and out["fips"].is_unique
    assert out["cz_id"].nunique() == 593
    assert set(out["cz_id"].astype(int)) == set(range(1, 594))
    assert out.attrs["connecticut"] == "planning_regions"


@needs_raw
def test_full_bea_areas():
    out = read_bea_areas(RAW / "bea_economic_areas_county_crosswalk.csv")
    assert len(out) == 3146 and out["fips"].is_unique
    assert out["ea_id"].nunique() == 179 and out["ea_name"].nunique() == 179
    assert out.attrs["connecticut"] == "historic_counties"
    assert (out["fips"].str[:2] == "18").sum() == 92


@needs_raw
def test_full_rucc():
    out = read_rucc(RAW / "ers_Ruralurbancontinuumcodes2023.csv")
    assert len(out) == 3235 and out["fips"].is_unique
    assert out["rucc"].isna().sum() == 2
    assert out["rucc"].value_counts().sort_index().index.tolist() == list(range(1, 10))
    assert not out["county_name"].str.contains("[\u2013\u2014\u2021]").any()
    assert 331_000_000 < out.loc[out["fips"].str[:2] <= "56", "census_population"].sum() < 332_000_000


@needs_raw
def test_full_indiana_egr():
    out = read_indiana_egr(RAW / "indiana_egr_counties_compiled.csv")
    assert len(out) == 92 and out["egr_id"].nunique() == 11
    assert out["workforce_area"].nunique() == 12
