"""The careers tables as first-class data: checked at start-up like every table, cited from the one catalogue
of sources, the OEWS top-code read from the official files, and described on the Data and methods page.

Real figures throughout: the committed data, the official raw files beside the project, and the app
through Streamlit's AppTest.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import streamlit as st
from publisher_fixture import linked_data
from streamlit.testing.v1 import AppTest

from dashboard.analysis import careers, formatting, regions
from dashboard.data import paths, sources, store
from dashboard.data.build import occupations as build_occupations
from dashboard.data.ingest.common import SourceError
from dashboard.report import methods, profile
from dashboard.ui.text import md

REAL = paths.DATA_DIR
APP = str(paths.ROOT / "app.py")
RAW = Path(__file__).parents[1].parent / "shared/data/raw/occupations"
EP = "bls_ep_2024-34_table1.2_occupational_projections_and_characteristics.csv.gz"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="official raw files not available")
OCCUPATION_FILES = ["occ_staffing.parquet", "occ_wages.parquet", "occupations.parquet"]


def clear_caches() -> None:
    for module in [m for k, m in list(sys.modules.items()) if k == "dashboard" or k.startswith("dashboard.")]:
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A data folder of links to the real files (as SECTOR_ATLAS_DATA=copy of data/), put in place; the test
    replaces the file it damages."""
    folder = linked_data(tmp_path / "data")
    monkeypatch.setattr(paths, "DATA_DIR", folder)
    clear_caches()
    yield folder
    monkeypatch.undo()
    clear_caches()


def _without_column(folder: Path, name: str, column: str) -> None:
    table = pq.read_table(REAL / name)
    (folder / name).unlink()
    pq.write_table(table.drop_columns([column]), folder / name)


# --- the start-up check -------------------------------------------------------------------------------


def test_the_occupation_tables_are_processed_tables():
    assert set(OCCUPATION_FILES) <= set(store.TABLES.values())
    assert set(OCCUPATION_FILES) <= set(store.data_files())
    assert all(store.COLUMNS[name] for name in OCCUPATION_FILES)
    for name in OCCUPATION_FILES:  # the committed files have every column the check asks for
        have = set(pq.read_schema(REAL / name).names)
        assert set(store.COLUMNS[name]) <= have, name
    # the committed manifest lists them, and the careers read them through the data layer
    assert {f"data/{n}" for n in OCCUPATION_FILES} <= set(store.manifest()["files"])
    assert careers._table("occ_wages") is store.load_table("occ_wages")


@pytest.mark.parametrize("name", OCCUPATION_FILES)
def test_a_missing_occupation_table_stops_the_start_up_check_in_one_line(data_folder, name):
    (data_folder / name).unlink()
    with pytest.raises(store.DataMissingError) as exc:
        store.check_data()
    text = str(exc.value)
    assert text == f"Processed data file {name} is missing. Rebuild it with: python -m dashboard build"
    assert exc.value.folder == data_folder


@pytest.mark.parametrize(
    "name,column",
    [
        ("occ_staffing.parquet", "tot_emp"),
        ("occ_wages.parquet", "a_median_topcoded"),
        ("occupations.parquet", "education"),
    ],
)
def test_an_occupation_table_without_a_column_stops_the_start_up_check_in_one_line(data_folder, name, column):
    _without_column(data_folder, name, column)
    with pytest.raises(store.DataFileError) as exc:
        store.check_data()
    assert str(exc.value) == (
        f"Data file {name} cannot be used: columns missing: {column}. Rebuild it with: python -m dashboard build"
    )
    with pytest.raises(store.DataFileError, match=column):  # and where the careers read it
        careers._table(name.removesuffix(".parquet"))


def test_the_app_shows_the_missing_column_instead_of_a_page(data_folder):
    _without_column(data_folder, "occ_wages.parquet", "a_median")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"state": "IN", "scheme": "in-egr", "region": "2"})
    at.run()
    at.switch_page("pages/region_profile.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1
    shown = at.error[0].value
    assert md("occ_wages.parquet") in shown and md("columns missing: a_median") in shown and "\n" not in shown
    assert str(data_folder) not in shown
    assert not at.dataframe


# --- one catalogue of sources -------------------------------------------------------------------------------


def test_careers_sources_are_in_the_one_catalogue_and_cited_from_it():
    vintages = store.manifest()["vintages"]
    for key in careers.SOURCES:
        s = sources.SOURCES[key]
        assert careers.cite(key) == sources.cite(key)
        assert careers.cite(key).startswith(f"{s.publisher}, {s.product}, ")
        assert str(vintages[key]) in careers.cite(key)
    # the strings the app shows, with the vintages the build read from the files
    assert (
        careers.cite("oews") == "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics, May 2025"
    )
    assert careers.cite("projections") == "U.S. Bureau of Labor Statistics, Employment Projections, 2024-34"
    assert careers.cite("onet") == (
        "National Center for O*NET Development (U.S. Department of Labor), O*NET database, release 29.3"
    )
    with pytest.raises(KeyError):
        careers.cite("industry")


def test_a_profiles_careers_cite_the_catalogue():
    p = profile.region_profile(regions.resolve_region("county", "39049"), sector_id="healthcare")
    assert p.careers is not None
    got = p.careers.sources
    assert got["staffing"] == got["wages"] == sources.cite("oews")
    assert got["requirements"] == sources.cite("projections")
    assert got["job_zones"] == sources.cite("onet")


def test_a_source_without_a_recorded_vintage_says_so(data_folder):
    manifest = json.loads((REAL / "manifest.json").read_text())
    del manifest["vintages"]["onet"]
    (data_folder / "manifest.json").unlink()
    (data_folder / "manifest.json").write_text(json.dumps(manifest))
    assert careers.cite("onet").endswith("O*NET database, vintage not recorded")


# --- the top-coded wage -----------------------------------------------------------------------------------


@needs_raw
def test_the_top_coded_wage_is_the_bound_the_official_files_print():
    with gzip.open(RAW / EP, "rt", encoding="utf-8") as f:
        printed = {r["Median annual wage, dollars, 2024[1]"] for r in csv.DictReader(f)}
    bounds = {int(re.sub(r"\D", "", w)) for w in printed if w.startswith(">=")}
    assert bounds == {239_200}
    assert careers.top_coded_wage() == 239_200.0
    assert store.manifest()["top_codes"] == {"oews_annual_wage": 239_200}


@needs_raw
def test_the_top_coded_rows_are_the_ones_oews_footnotes():
    """Every median OEWS marks with footnote 5 (at or above the top wage) is flagged in the wages table."""
    with gzip.open(RAW / "oews_m2025_state_metro_nonmetro_cross_industry.csv.gz", "rt", encoding="utf-8") as f:
        areas = {
            (r["AREA"], r["OCC_CODE"])
            for r in csv.DictReader(f)
            if "A_MEDIAN:5" in r["FOOTNOTES"].split(";") and r["O_GROUP"] in ("total", "detailed")
        }
    with gzip.open(RAW / "oews_m2025_national_industry_by_occupation.csv.gz", "rt", encoding="utf-8") as f:
        nation = {
            ("0000000", r["OCC_CODE"])
            for r in csv.DictReader(f)
            if r["NAICS"] == "000000"
            and "A_MEDIAN:5" in r["FOOTNOTES"].split(";")
            and r["O_GROUP"] in ("total", "detailed")
        }
    wages = store.load_table("occ_wages")
    flagged = wages[wages["a_median_topcoded"]]
    assert set(zip(flagged["area"], flagged["occ_code"])) == areas | nation
    assert len(areas) > 300 and flagged["a_median"].isna().all()


def test_the_top_coded_wage_is_none_when_the_manifest_does_not_record_it(data_folder):
    manifest = json.loads((REAL / "manifest.json").read_text())
    del manifest["top_codes"]
    (data_folder / "manifest.json").unlink()
    (data_folder / "manifest.json").write_text(json.dumps(manifest))
    assert careers.top_coded_wage() is None
    store.check_data()  # an older manifest is still a sound one


def test_top_coded_wages_that_disagree_stop_the_build(tmp_path):
    header = (
        "2024 National Employment Matrix title,2024 National Employment Matrix code,Occupation type,"
        '"Median annual wage, dollars, 2024[1]",Typical education needed for entry\n'
    )
    rows = (
        'Orthodontists,29-1023,Line item,">=$239,200",Doctoral or professional degree\n'
        'Anesthesiologists,29-1211,Line item,">=$208,000",Doctoral or professional degree\n'
    )
    path = tmp_path / "ep.csv"
    path.write_text(header + rows)
    with pytest.raises(SourceError, match="different bounds"):
        build_occupations.wage_topcode(path)
    path.write_text(header + rows.splitlines(keepends=True)[0])
    assert build_occupations.wage_topcode(path) == 239_200
    path.write_text(header + 'Cashiers,41-2011,Line item,"31,560",No formal educational credential\n')
    assert build_occupations.wage_topcode(path) is None


# --- the Data and methods page ---------------------------------------------------------------------------------


def test_data_and_methods_page_describes_the_careers_and_the_seat_matrix():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/data_and_methods.py").run()
    assert not at.exception and not at.error
    headers = [h.value for h in at.header]
    assert "Careers in a sector" in headers and "Seat matrix" in headers
    text = "\n".join(m.value for m in at.markdown)
    for paragraph in methods.careers_paragraphs() + methods.seat_matrix_paragraphs():
        assert md(paragraph) in text
    # the vintages and the top-code on the page are the data's
    vintages = store.manifest()["vintages"]
    for shown in (
        vintages["oews"],
        vintages["projections"],
        f"release {vintages['onet']}",
        formatting.money(careers.top_coded_wage()),
    ):
        assert md(shown) in text, shown
    for needle in (
        "estimate",
        "staffing patterns",
        "apprenticeable",
        "job zones",
        "openings",
        "metropolitan area",
        "state's median wage",
        "zip",
        "CSV",
    ):
        assert md(needle) in text, needle
    captions = "\n".join(c.value for c in at.caption)
    assert all(md(c) in captions for c in methods.careers_sources())
    # the sources table lists the careers sources with the vintages read from the manifest
    table = next(d.value for d in at.dataframe if "Publisher" in d.value.columns).set_index("Data")
    assert table.loc["oews", "Vintage"] == "May 2025"
    assert table.loc["projections", "Vintage"] == "2024-34"
    assert table.loc["onet", "Vintage"] == "release 29.3"
    assert table.loc["onet", "Product"] == sources.SOURCES["onet"].product
