"""A year coded in NAICS 2022, and a year without metro detail, installed by ``update`` from a stand-in for BLS.

The test publisher serves the bundled 2016 figures re-laid in NAICS 2022 codes
as 2024 (``publisher_fixture.relay_naics``), and the same again as 2025 without
metropolitan rows (BLS publishes no metro industry detail from 2025), each
with its US000 file, US rows in every slice and Indiana's CSA, micropolitan and
total-government rows. Both years install through the command line into a
copy of the data holding 2016; then the app runs on them. BLS's real 2020
area slices are served too: every row parses.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from publisher_fixture import (
    NAICS_2022_YEAR,
    REAL_SLICES,
    YEAR,
    PublisherServer,
    area_path,
    copy_data,
    read_slice,
    slice_path,
    write_bls_slices,
    write_real_slices,
    write_year,
)

from dashboard.data import paths
from dashboard.data.ingest.qcew import read_qcew_text
from dashboard.data.update import http as update_http
from dashboard.data.update import qcew as update_qcew

ELKHART = "18039"
ELKHART_GOSHEN = "21140"  # the CBSA of Elkhart County
NO_METRO_YEAR = 2025
IT_2022 = ["513", "517", "518", "519"]


def run_cli(*args: str, data: Path, base: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(data)}
    if base:
        env["SECTOR_ATLAS_BLS_URL"] = base
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        check=False,
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    root = tmp_path_factory.mktemp("bls-naics")
    industry = pd.read_parquet(paths.ROOT / "data" / "industry.parquet")
    relaid = write_bls_slices(root, industry, year=NAICS_2022_YEAR, naics_2022=True)
    write_year(root, relaid["both"], NO_METRO_YEAR, metros=False)
    real = write_real_slices(root)
    with PublisherServer(root) as server:
        yield {"root": root, "server": server, "real": real, "relaid": relaid}


@pytest.fixture(scope="module")
def installed(publisher, tmp_path_factory):
    """A copy of the committed data (2016) with the NAICS 2022 year and the year without metro rows installed."""
    data = copy_data(tmp_path_factory.mktemp("naics") / "data")
    records = {}
    for year in (NAICS_2022_YEAR, NO_METRO_YEAR):
        proc = run_cli("update", "--year", str(year), data=data, base=publisher["server"].url)
        assert proc.returncode == 0, proc.stderr
        records[year] = json.loads(proc.stdout)
    return {"data": data, "records": records}


def profile_of(data: Path, *args: str) -> dict:
    proc = run_cli("profile", *args, data=data)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def served(root: Path, year: int, code: str) -> pd.DataFrame:
    return read_slice(root / slice_path(year, code).lstrip("/"))


# ---------------------------------------------------------------- the years arrive


def test_the_naics_2022_year_installs_with_its_vintage(installed):
    record = installed["records"][NAICS_2022_YEAR]
    assert record["naics_vintage"] == 2022
    assert record["national_base"] == "published US row (US000)"
    assert record["ownerships"] == [0, 1, 2, 3, 5]  # ownership 8 and the CSA and micropolitan rows are read past
    assert any("511" in n and "NAICS revision" in n for n in record["notes"])
    manifest = json.loads((installed["data"] / "manifest.json").read_text())
    assert manifest["years"]["industry"] == [YEAR, NAICS_2022_YEAR, NO_METRO_YEAR]
    assert manifest["updates"]["industry"][str(NAICS_2022_YEAR)]["naics_vintage"] == 2022
    national = pd.read_parquet(installed["data"] / "national.parquet")
    codes = set(national.loc[national["year"] == NAICS_2022_YEAR, "naics"])
    assert {"513", "516", "449", "459"} <= codes and not {"511", "515", "454"} & codes


def test_profile_shows_information_technology_from_its_naics_2022_codes(installed, publisher):
    profile = profile_of(
        installed["data"],
        "--scheme",
        "county",
        "--region",
        ELKHART,
        "--year",
        str(NAICS_2022_YEAR),
        "--sector",
        "information-technology",
    )
    assert profile["year"] == NAICS_2022_YEAR
    it = next(c for c in profile["candidate_sectors"] if c["id"] == "information-technology")
    assert it["naics"] == IT_2022
    estabs = 0
    for code in IT_2022:
        rows = served(publisher["root"], NAICS_2022_YEAR, code)
        estabs += int(rows.loc[(rows["area_fips"] == ELKHART) & (rows["own_code"] == "5"), "annual_avg_estabs"].iloc[0])
    assert it["establishments"] == estabs
    # careers map the year's codes to OEWS's (NAICS 2022): occupations are listed
    assert profile["careers"] is not None and len(profile["careers"]["occupations"]) >= 10


def test_the_change_across_the_naics_break_compares_like_with_like(installed):
    """The 2024 figures are 2016's re-laid, so a like-with-like change between the two is zero for every
    sector; Information Technology, whose codes changed, says what it compares."""
    profile = profile_of(installed["data"], "--scheme", "county", "--region", ELKHART, "--year", str(NAICS_2022_YEAR))
    assert profile["growth_span"] == {"start_year": YEAR, "end_year": NAICS_2022_YEAR}
    spans = {c["id"]: c["span"] for c in profile["candidate_sectors"]}
    it = spans["information-technology"]
    assert "NAICS 2022" in it["codes_note"] and "NAICS 51 in both years" in it["codes_note"]
    assert [k for k, v in spans.items() if "codes_note" in v] == ["information-technology"]
    for sector, span in spans.items():
        assert span["change_low"] <= 0 <= span["change_high"], sector
        if span["change"] is not None:
            assert span["change"] == 0, sector


def test_information_technology_counts_its_naics_2022_codes_in_profile_and_brief(installed, publisher, tmp_path):
    """Indiana growth region 2 (Elkhart and four neighbours): Information Technology's establishments in 2024 are
    the sum of the served NAICS 2022 codes (513, 517, 518, 519); the brief of the year builds on the same figures."""
    import html

    profile = profile_of(installed["data"], "--scheme", "in-egr", "--region", "2", "--year", str(NAICS_2022_YEAR))
    it = next(c for c in profile["candidate_sectors"] if c["id"] == "information-technology")
    assert it["naics"] == IT_2022
    regions = pd.read_parquet(installed["data"] / "regions.parquet")
    counties = set(regions.loc[(regions["scheme"] == "in-egr") & (regions["region_id"] == "2"), "fips"])
    estabs = 0
    for code in IT_2022:
        rows = served(publisher["root"], NAICS_2022_YEAR, code)
        mine = rows["area_fips"].isin(counties) & (rows["own_code"] == "5")
        estabs += rows.loc[mine, "annual_avg_estabs"].astype(int).sum()
    assert estabs > 0 and it["establishments"] == estabs

    proc = run_cli(
        "brief",
        "--scheme",
        "in-egr",
        "--state",
        "IN",
        "--out",
        str(tmp_path),
        "--year",
        str(NAICS_2022_YEAR),
        data=installed["data"],
    )
    assert proc.returncode == 0, proc.stderr
    text = html.unescape((tmp_path / "in-egr-2.html").read_text())
    assert f"Candidate sectors, {NAICS_2022_YEAR}" in text
    # the brief's table lists the top candidates with the profile's establishment counts
    top = profile["candidate_sectors"][0]
    assert f"<td>{top['name']}</td>" in text and f"{top['establishments']:,}" in text


def test_a_year_without_metro_detail_works_from_counties(installed):
    profile = profile_of(
        installed["data"], "--scheme", "cbsa", "--region", ELKHART_GOSHEN, "--year", str(NO_METRO_YEAR)
    )
    assert profile["year"] == NO_METRO_YEAR
    assert profile["industry_basis"].startswith("sum of 1 county rows")
    assert f"does not publish the official metro area row for {NO_METRO_YEAR}" in profile["industry_basis"]
    earlier = profile_of(installed["data"], "--scheme", "cbsa", "--region", ELKHART_GOSHEN, "--year", str(YEAR))
    assert earlier["industry_basis"] == "official QCEW row for the whole region"
    # same figures as the official row where the metro is one county
    mfg = {p["year"]: next(s for s in p["sectors"] if s["code"] == "31-33") for p in (profile, earlier)}
    assert mfg[NO_METRO_YEAR]["employment"] == mfg[YEAR]["employment"] == 62_740


def app_page_ids() -> list[str]:
    """The page ids app.py's PAGES names (read from its source: running app.py needs a Streamlit session)."""
    import ast

    tree = ast.parse((paths.ROOT / "app.py").read_text())
    pages = next(n.value for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES")
    return [ast.literal_eval(k) for k in pages.keys]


def test_every_page_runs_on_the_new_years(installed, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.data import caches

    def clear():
        caches.clear()
        st.cache_resource.clear()
        st.cache_data.clear()

    monkeypatch.setattr(paths, "DATA_DIR", installed["data"])
    clear()
    try:
        for year in (NAICS_2022_YEAR, NO_METRO_YEAR):
            for page_id in app_page_ids():
                # opened as a share link names it (AppTest's switch_page skips app.py's sidebar on some pages)
                at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=180)
                at.query_params.update(
                    {
                        "page": page_id,
                        "state": "IN",
                        "scheme": "county",
                        "region": ELKHART,
                        "industry": "information-technology",
                        "year": str(year),
                    }
                )
                at.run()
                assert not at.exception, (page_id, year, [e.message for e in at.exception])
                assert not at.error, (page_id, year, [e.value for e in at.error])
                assert at.selectbox(key="w_year").value == year, page_id
    finally:
        monkeypatch.undo()
        clear()


# ---------------------------------------------------------------- BLS's real files


@pytest.mark.parametrize("area", sorted(p.name.split(".")[2] for p in REAL_SLICES.glob("2020.a.*.csv.gz")))
def test_real_2020_area_slices_parse_in_full(publisher, area, tmp_path):
    """Every row of a real BLS slice is read, and the figures the app keeps are the file's own."""
    url = publisher["server"].url + area_path(2020, area)
    body = update_http.Downloader().get(url)
    assert body == gzip.decompress((REAL_SLICES / f"2020.a.{area}.csv.gz").read_bytes())
    text = body.decode()
    every = read_qcew_text(text, area)
    lines = [ln for ln in text.splitlines()[1:] if ln.strip()]
    assert len(every) == len(lines) > 100
    kept = update_qcew.parse_slice(body, url, 2020, tmp_path)
    assert kept is not None and set(kept["own_code"]) == {0, 1, 2, 3, 5}
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raw = raw[raw["agglvl_code"].astype(int).isin(kept["agglvl_code"].unique())]
    assert len(kept) == len(raw)
    both = kept.assign(own_code=kept["own_code"].astype(str)).merge(
        raw, on=["area_fips", "own_code", "industry_code"], validate="one_to_one"
    )
    shown = both[both["disclosure_code"] != "N"]
    assert (shown["emplvl"].astype("int64") == shown["annual_avg_emplvl"].astype("int64")).all()
    assert (shown["estabs"].astype("int64") == shown["annual_avg_estabs"].astype("int64")).all()
    assert (shown["total_wages"].astype("int64") == shown["total_annual_wages"].astype("int64")).all()
