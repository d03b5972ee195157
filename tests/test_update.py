"""``python -m dashboard update``, end to end and offline, against a local stand-in for BLS.

The server on 127.0.0.1 serves BLS's open-data annual-averages slices at BLS's
URL paths, holding real figures: the bundled 2016 QCEW data re-laid in that
layout (see ``publisher_fixture.py``). The update runs as a subprocess with
``SECTOR_ATLAS_DATA`` (a copy of ``data/``) and ``SECTOR_ATLAS_BLS_URL``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from publisher_fixture import (
    YEAR,
    PublisherServer,
    copy_data,
    indiana_previous_year,
    read_slice,
    slice_path,
    tree_digest,
    write_bls_slices,
)

from dashboard.data import paths
from dashboard.data.build import write_parquet
from dashboard.data.update import http as update_http
from dashboard.data.update import install as update_install
from dashboard.data.update import qcew as update_qcew

ELKHART = "18039"


def run_cli(*args: str, data: Path, base: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
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
        timeout=timeout,
    )


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="session")
def bls(tmp_path_factory):
    """The served files (written once per session) and their server."""
    root = tmp_path_factory.mktemp("bls")
    started = time.perf_counter()
    written = write_bls_slices(root, pd.read_parquet(paths.ROOT / "data" / "industry.parquet"))
    written["seconds"] = time.perf_counter() - started
    with PublisherServer(root) as server:
        written["server"] = server
        written["root"] = root
        yield written


@pytest.fixture
def server(bls):
    bls["server"].faults.clear()
    bls["server"].requests.clear()
    yield bls["server"]
    bls["server"].faults.clear()


def strip_year(data: Path, year: int) -> None:
    """Remove ``year`` from the copy's industry and national tables (and its manifest's years)."""
    for name in ("industry", "national"):
        table = pd.read_parquet(data / f"{name}.parquet")
        write_parquet(table[table["year"] != year], data / f"{name}.parquet")
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["years"]["industry"] = [y for y in manifest["years"]["industry"] if y != year]
    (data / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def update_copy(bls, data: Path) -> dict:
    """Run the update of 2016 into ``data`` against the server; what it printed and fetched."""
    bls["server"].faults.clear()
    bls["server"].requests.clear()
    started = time.perf_counter()
    proc = run_cli("update", "--year", str(YEAR), data=data, base=bls["server"].url)
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    print(
        f"\noffline QCEW update: {seconds:.1f} s, {record['files']} files, {record['bytes']:,} bytes "
        f"(fixture written in {bls['seconds']:.1f} s)",
        file=sys.__stderr__,
    )
    return {"data": data, "proc": proc, "record": record, "requests": list(bls["server"].requests)}


@pytest.fixture(scope="module")
def updated(bls, tmp_path_factory):
    """A copy of the committed data without 2016, updated to 2016 from the server."""
    data = copy_data(tmp_path_factory.mktemp("installed") / "data")
    strip_year(data, YEAR)
    return update_copy(bls, data)


# ---------------------------------------------------------------- the year arrives


def test_update_reports_what_it_fetched(updated, bls):
    record = updated["record"]
    assert record["year"] == YEAR
    slices = [r for r in updated["requests"] if "/a/industry/" in r]
    assert record["files"] == len(slices) + 3  # the US000 area file and the two title lists
    assert record["bytes"] >= sum(p.stat().st_size for p in bls["files"].values() if p.name != "92.csv") * 0.9
    # the served ownership 8 rows and the CSA and micropolitan rows are read past
    assert set(bls["extra"]["own_code"]) & {8} and set(bls["extra"]["area_fips"].str[:2]) >= {"CS", "C2"}
    assert record["ownerships"] == [0, 1, 2, 3, 5]
    assert record["national_base"] == "published US row (US000)"
    assert record["naics_vintage"] == 2012
    assert record["county_lqs_reproduced"] >= 0.95
    assert "installed QCEW 2016" in updated["proc"].stderr


def test_installed_rows_are_the_served_figures(updated, bls):
    """Every served row arrives, with the figures the files publish (own 0/5 for all areas, 1-3 for Indiana)."""
    got = pd.read_parquet(updated["data"] / "industry.parquet")
    got = got[got["year"] == YEAR]
    served = bls["rows"]
    # the codes BLS lists in its US000 file are the codes fetched (government-only 92 has no US private row here)
    listed = set(served.loc[served["area_fips"] == "US000", "naics"])
    served = served[served["naics"].isin(listed)]
    assert len(got) == len(served)
    assert (got["area_fips"] == "US000").sum() == (served["area_fips"] == "US000").sum() > 100
    key = ["area_fips", "own_code", "naics"]
    both = served.merge(got, on=key, suffixes=("_served", ""), validate="one_to_one")
    assert len(both) == len(served)
    for col in ("estabs", "emplvl", "total_wages", "avg_annual_pay"):
        assert both[col].astype("Float64").equals(both[f"{col}_served"].astype("Float64")), col
    assert (both["suppressed"] == both["suppressed_served"]).all()
    lq = both["lq_published"].astype("float64")
    assert (lq.isna() == both["lq_published_served"].isna()).all()
    written = both["lq_published_served"].map(lambda v: float(f"{v:.2f}"), na_action="ignore")  # as the files write it
    assert ((lq - written).abs().fillna(0) < 1e-9).all()
    chg = both["oty_emplvl_chg"].astype("float64")
    assert (chg.dropna() == chg.dropna().round()).all()
    assert ((chg - both["oty_emplvl_chg_served"]).abs().fillna(0) <= 0.5).all()
    gov = got[got["own_code"].isin([1, 2, 3])]
    assert len(gov) == (served["own_code"].isin([1, 2, 3])).sum() > 1500
    assert set(gov.loc[gov["area_fips"] == ELKHART, "own_code"]) == {1, 2, 3}
    assert (got["area_title"] != "").all() and (got["industry_title"] != "").all()


def test_installed_ranges_are_those_the_build_gives(updated):
    """A suppressed cell installed by an update gets the range the build gives it, metro rows' equations included
    (e.g. a county cell narrowed by its published metro area)."""
    key = ["area_fips", "own_code", "naics"]
    got = pd.read_parquet(updated["data"] / "industry.parquet")
    built = pd.read_parquet(paths.ROOT / "data" / "industry.parquet")
    got, built = (t[(t["year"] == YEAR) & t["emplvl_low"].notna()] for t in (got, built))
    both = built.merge(got, on=key, suffixes=("_built", ""), validate="one_to_one")
    assert len(both) == len(built) == len(got) > 10_000
    for col in ("emplvl_low", "emplvl_high", "emplvl_estimate", "wages_low", "wages_high"):
        assert (both[col].astype("float64") - both[f"{col}_built"].astype("float64")).abs().max() < 1e-6, col


def test_installed_change_ranges_allow_the_whole_job_rounding_of_the_annual_files(updated):
    """The served files publish the one-year change in whole jobs, as BLS's annual files do (the bundled data
    carries the quarterly files' cents): each installed range of last year's jobs and of the change still meets
    the build's (both hold the truth), and is no narrower than the coarser figures allow."""
    key = ["area_fips", "own_code", "naics"]
    got = pd.read_parquet(updated["data"] / "industry.parquet")
    built = pd.read_parquet(paths.ROOT / "data" / "industry.parquet")
    got, built = (t[(t["year"] == YEAR) & t["change_low"].notna()] for t in (got, built))
    both = built.merge(got, on=key, suffixes=("_built", ""), validate="one_to_one")
    assert len(both) > 100_000
    for table in ("prior", "change"):
        lo, hi, lo_b, hi_b = (
            both[f"{table}_{s}"].astype("float64") for s in ("low", "high", "low_built", "high_built")
        )
        assert ((lo <= hi_b + 1e-9) & (lo_b <= hi + 1e-9)).all(), table
        assert (hi - lo).median() >= (hi_b - lo_b).median(), table


def test_earlier_year_is_kept(bls, tmp_path):
    """A copy holding Indiana's 2015 figures (recovered exactly from the published 2016 changes) keeps them."""
    data = copy_data(tmp_path / "data")
    strip_year(data, YEAR)
    industry = pd.read_parquet(data / "industry.parquet")
    earlier = indiana_previous_year().astype(industry.dtypes.to_dict())
    write_parquet(pd.concat([industry, earlier], ignore_index=True), data / "industry.parquet")
    before = pd.read_parquet(data / "industry.parquet")
    result = update_copy(bls, data)
    after = pd.read_parquet(data / "industry.parquet")
    pd.testing.assert_frame_equal(
        after[after["year"] == YEAR - 1].reset_index(drop=True),
        before[before["year"] == YEAR - 1].reset_index(drop=True),
    )
    listed = set(bls["rows"].loc[bls["rows"]["area_fips"] == "US000", "naics"])
    assert (after["year"] == YEAR).sum() == bls["rows"]["naics"].isin(listed).sum() == result["record"]["rows"]
    elkhart = after[(after["area_fips"] == ELKHART) & (after["own_code"] == 5) & (after["naics"] == "31-33")]
    assert dict(zip(elkhart["year"], elkhart["emplvl"])) == {YEAR - 1: 60_478, YEAR: 62_740}  # 62,740 - 2,262
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["years"]["industry"] == [YEAR - 1, YEAR]


def test_manifest_matches_the_installed_files(updated):
    data = updated["data"]
    manifest = json.loads((data / "manifest.json").read_text())
    digests = tree_digest(data)
    for name in ("industry", "national"):
        entry = manifest["files"][f"data/{name}.parquet"]
        assert entry["sha256"] == digests[f"{name}.parquet"]
        assert entry["rows"] == len(pd.read_parquet(data / f"{name}.parquet"))
    record = manifest["updates"]["industry"][str(YEAR)]
    assert record["national_base"] == updated["record"]["national_base"]
    assert not any("US000" in n for n in record["notes"])
    national = pd.read_parquet(data / "national.parquet")
    assert set(national.loc[national["year"] == YEAR, "basis"]) == {"published US row"}
    assert not [p for p in data.iterdir() if p.name.startswith(".update-")]


def test_cli_profile_shows_the_year_and_the_served_figures(updated, bls):
    proc = run_cli("profile", "--scheme", "county", "--region", ELKHART, "--year", str(YEAR), data=updated["data"])
    assert proc.returncode == 0, proc.stderr
    profile = json.loads(proc.stdout)
    assert profile["year"] == YEAR
    served = read_slice(bls["root"] / slice_path(YEAR, "31-33").lstrip("/"))
    row = served[(served["area_fips"] == ELKHART) & (served["own_code"] == "5")].iloc[0]
    mfg = next(s for s in profile["sectors"] if s["code"] == "31-33")
    assert mfg["employment"] == int(row["annual_avg_emplvl"]) == 62_740
    assert mfg["establishments"] == int(row["annual_avg_estabs"])
    assert mfg["avg_annual_pay"] == int(row["avg_annual_pay"])
    assert mfg["lq"] == pytest.approx(float(row["lq_annual_avg_emplvl"]), abs=0.02)


def test_brief_shows_the_year_and_the_served_figures(updated, bls, tmp_path):
    """Indiana growth region 2 (Elkhart and four neighbours): establishments of Advanced Manufacturing."""
    from dashboard.analysis.sectors import load_taxonomy

    proc = run_cli(
        "brief",
        "--scheme",
        "in-egr",
        "--state",
        "IN",
        "--out",
        str(tmp_path),
        "--year",
        str(YEAR),
        data=updated["data"],
    )
    assert proc.returncode == 0, proc.stderr
    text = html.unescape((tmp_path / "in-egr-2.html").read_text())
    assert f"industry data {YEAR}" in text and f"Candidate sectors, {YEAR}" in text
    regions = pd.read_parquet(updated["data"] / "regions.parquet")
    counties = set(regions.loc[(regions["scheme"] == "in-egr") & (regions["region_id"] == "2"), "fips"])
    codes = next(
        s for s in load_taxonomy(updated["data"] / "partnership_sectors.toml") if s.id == "advanced-manufacturing"
    ).naics
    estabs = 0
    for code in codes:
        served = read_slice(bls["root"] / slice_path(YEAR, code).lstrip("/"))
        estabs += (
            served.loc[served["area_fips"].isin(counties) & (served["own_code"] == "5"), "annual_avg_estabs"]
            .astype(int)
            .sum()
        )
    row = re.search(r"<td>Advanced Manufacturing</td>(.*?)</tr>", text).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert f"{estabs:,}" in cells


def test_profile_of_a_year_not_loaded_is_one_line(updated):
    proc = run_cli("profile", "--scheme", "county", "--region", ELKHART, "--year", "2017", data=updated["data"])
    assert proc.returncode == 2
    assert "2017" in one_error_line(proc)
    proc = run_cli("profile", "--scheme", "county", "--region", ELKHART, "--year", "20x6", data=updated["data"])
    assert proc.returncode == 2
    assert "four-digit year" in one_error_line(proc)


# ---------------------------------------------------------------- failures change nothing


@pytest.fixture
def installed(tmp_path):
    data = copy_data(tmp_path / "data")
    strip_year(data, YEAR)
    return data


FAULTS = [
    ("11", "404", "not found (HTTP 404)"),
    ("111", "drop", "connection dropped after"),
    ("112", "truncate", "truncated"),
    ("113", "rename:annual_avg_emplvl:annual_avg_employment", "column 'annual_avg_emplvl' is missing"),
    ("10", "header-only", "BLS has not published 2016 annual averages"),
    ("10", "without:18039", "totals do not reconcile: 18000"),
]


@pytest.mark.parametrize("code, fault, problem", FAULTS, ids=[f[1].split(":")[0] for f in FAULTS])
def test_a_fault_leaves_the_data_byte_identical(installed, server, code, fault, problem):
    before = tree_digest(installed)
    path = slice_path(YEAR, code)
    server.faults[path] = fault
    proc = run_cli("update", "--year", str(YEAR), data=installed, base=server.url)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert server.url + path in line and problem in line, line
    assert tree_digest(installed) == before


def test_check_says_what_would_be_fetched_and_writes_nothing(installed, server, bls):
    before = tree_digest(installed)
    proc = run_cli("update", "--check", "--year", str(YEAR), data=installed, base=server.url)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    listed = set(bls["rows"].loc[bls["rows"]["area_fips"] == "US000", "naics"]) - {"10"}
    assert record["year"] == YEAR and record["naics_vintage"] == 2012 and record["written"] is False
    assert record["files"] == len(listed) + 1
    assert record["estimated_bytes"] >= sum(p.stat().st_size for c, p in bls["files"].items() if c in listed)
    assert f"would fetch QCEW {YEAR} (NAICS 2012): {record['files']} files, about" in proc.stderr
    assert sorted(server.requests) == sorted([slice_path(YEAR, "10"), f"/cew/data/api/{YEAR}/a/area/US000.csv"])
    assert tree_digest(installed) == before


def test_a_year_bls_has_not_published(installed, server):
    before = tree_digest(installed)
    proc = run_cli("update", "--year", "2017", data=installed, base=server.url)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "/cew/data/api/2017/a/industry/10.csv" in line and "not published 2017" in line
    assert tree_digest(installed) == before


def test_offline_says_so_at_once(installed, free_port):
    before = tree_digest(installed)
    started = time.perf_counter()
    proc = run_cli("update", data=installed, base=f"http://127.0.0.1:{free_port}")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "no network?" in line and f"127.0.0.1:{free_port}" in line
    assert time.perf_counter() - started < 30
    assert tree_digest(installed) == before


@pytest.fixture
def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("value", ["1800", "3000"])
def test_out_of_range_year_is_one_line(installed, value):
    proc = run_cli("update", "--year", value, data=installed, base="http://127.0.0.1:9")
    assert proc.returncode == 2
    assert "out of range" in one_error_line(proc)


# ---------------------------------------------------------------- the parts, in process


def test_newest_year_probes_down_until_bls_answers(server, tmp_path):
    dl = update_http.Downloader()
    year, rows = update_qcew.newest_year(dl, server.url, tmp_path, today=dt.date(YEAR + 2, 3, 1))
    assert year == YEAR and len(rows) > 3000
    asked = [r for r in server.requests if r.endswith("/10.csv")]
    assert asked == [slice_path(y, "10") for y in (YEAR + 2, YEAR + 1, YEAR)]


def test_a_slice_of_another_year_or_period_is_refused(bls, tmp_path):
    body = (bls["root"] / slice_path(YEAR, "23").lstrip("/")).read_bytes()
    url = "http://example/23.csv"
    with pytest.raises(update_http.UpdateError, match="not the 2017 asked for"):
        update_qcew.parse_slice(body, url, YEAR + 1, tmp_path, "23")
    quarterly = body.replace(b'"2016","A"', b'"2016","4"', 1)
    with pytest.raises(update_http.UpdateError, match="qtr is '4', not 'A'"):
        update_qcew.parse_slice(quarterly, url, YEAR, tmp_path, "23")
    with pytest.raises(update_http.UpdateError, match="industry '23', not 22"):
        update_qcew.parse_slice(body, url, YEAR, tmp_path, "22")
    assert update_qcew.parse_slice(body.split(b"\r\n")[0] + b"\r\n", url, YEAR, tmp_path, "23") is None


def test_a_web_page_in_place_of_a_slice_is_said_so(tmp_path):
    page = b"<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body>blocked</body></html>\n"
    with pytest.raises(
        update_http.UpdateError, match="a web page where a CSV file was expected .*SECTOR_ATLAS_CONTACT"
    ):
        update_qcew.parse_slice(page, "http://bls/10.csv", YEAR, tmp_path, "10")


def test_the_user_agent_carries_the_contact(monkeypatch):
    monkeypatch.delenv("SECTOR_ATLAS_CONTACT", raising=False)
    assert "contact" not in update_http.Downloader().user_agent
    monkeypatch.setenv("SECTOR_ATLAS_CONTACT", "analyst@workforce.example.org")
    assert update_http.Downloader().user_agent.endswith("(python urllib; contact analyst@workforce.example.org)")


def test_county_lqs_that_do_not_reproduce_are_refused(updated):
    """A file whose employment column holds another measure (here: establishments) fails the LQ check."""
    ind = pd.read_parquet(updated["data"] / "industry.parquet")
    ind = ind[ind["year"] == YEAR]
    nat = pd.read_parquet(updated["data"] / "national.parquet")
    nat = nat[nat["year"] == YEAR]
    facts = update_qcew.check_county_lqs(ind, nat, "http://bls", YEAR)
    assert facts["county_lqs_reproduced"] >= 0.95
    swapped = ind.copy()
    mfg = swapped["naics"] == "336"
    swapped.loc[mfg, "emplvl"] = swapped.loc[mfg, "estabs"].astype("Int64")
    with pytest.raises(
        update_http.UpdateError, match=r"/2016/a/industry/336.csv: county location quotients do not reproduce"
    ):
        update_qcew.check_county_lqs(swapped, nat, "http://bls", YEAR)


def test_replace_year_keeps_other_years_and_one_copy_of_the_year(updated):
    ind = pd.read_parquet(updated["data"] / "industry.parquet")
    ind = update_install.replace_year(ind, indiana_previous_year(), YEAR - 1, update_qcew.ORDER)
    assert list(pd.unique(ind["year"])) == [YEAR - 1, YEAR]
    again = ind[ind["year"] == YEAR]
    out = update_install.replace_year(ind, again, YEAR, update_qcew.ORDER)
    pd.testing.assert_frame_equal(out, ind)
    only_earlier = update_install.replace_year(ind, again.iloc[0:0], YEAR, update_qcew.ORDER)
    assert set(only_earlier["year"]) == {YEAR - 1}


def test_progress_bar_draws_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet, tty = io.StringIO(), Tty()
    for stream in (quiet, tty):
        bar = update_http.Progress("QCEW 2016", 4, stream=stream)
        for _ in range(4):
            bar.add_bytes(1_000_000)
            bar.file_done()
        bar.close()
    assert quiet.getvalue() == ""
    assert tty.getvalue().rstrip().endswith("QCEW 2016 [############################] 4/4 files, 4.0 MB\x1b[K")


# ---------------------------------------------------------------- County Business Patterns


CBP_YEAR = 2021
CBP_NAICS_2022_YEAR = 2023  # the 2021 figures served in NAICS 2022 codes, as CBP codes 2023
CENSUS_KEY = "0123456789abcdef0123456789abcdef01234567"  # the shape of a Census key; the stand-in accepts only it
CONTACT = "analyst@workforce.example.org"


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    """The Census API's CBP answers for the bundled 2021 rows, served locally; keyless requests are redirected
    to an HTML page, as the Census API does."""
    from publisher_fixture import write_cbp_api

    root = tmp_path_factory.mktemp("census")
    cbp = pd.read_parquet(paths.ROOT / "data" / "cbp.parquet")
    write_cbp_api(root, cbp, CBP_YEAR)
    write_cbp_api(root, cbp, CBP_YEAR, as_year=CBP_NAICS_2022_YEAR, var="NAICS2022")
    with PublisherServer(root, census_key=CENSUS_KEY) as server:
        yield server


def strip_cbp_year(data: Path, year: int) -> None:
    cbp = pd.read_parquet(data / "cbp.parquet")
    write_parquet(cbp[cbp["year"] != year], data / "cbp.parquet")


def run_cbp(data: Path, census, *extra: str, key: str | None = CENSUS_KEY, contact: str | None = CONTACT):
    env = {k: v for k, v in os.environ.items() if k not in ("CENSUS_API_KEY", "SECTOR_ATLAS_CONTACT")}
    env.update({"SECTOR_ATLAS_DATA": str(data), "SECTOR_ATLAS_CENSUS_URL": census.url})
    if key is not None:
        env["CENSUS_API_KEY"] = key
    if contact is not None:
        env["SECTOR_ATLAS_CONTACT"] = contact
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "update", "--source", "cbp", *extra],
        check=False,
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cbp_update_installs_the_served_year_and_keeps_the_others(census, tmp_path):
    data = copy_data(tmp_path / "data")
    committed = pd.read_parquet(data / "cbp.parquet")
    strip_cbp_year(data, CBP_YEAR)
    census.faults.clear()
    census.agents.clear()
    started = time.perf_counter()
    proc = run_cbp(data, census, "--year", str(CBP_YEAR))
    assert proc.returncode == 0, proc.stderr
    # the contact rides in every request's User-Agent; the key reaches neither the output nor the manifest
    assert census.agents and all(CONTACT in a for a in census.agents)
    assert CENSUS_KEY not in proc.stdout + proc.stderr + (data / "manifest.json").read_text()
    record = json.loads(proc.stdout)
    print(
        f"\noffline CBP update: {time.perf_counter() - started:.1f} s, {record['files']} files, "
        f"{record['bytes']:,} bytes",
        file=sys.__stderr__,
    )
    after = pd.read_parquet(data / "cbp.parquet")
    pd.testing.assert_frame_equal(after, committed)  # 2021 back as served, every other year as it was
    assert record["naics_vintage"] == "NAICS2017" and record["files"] == 3
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["years"]["cbp"] == sorted(int(y) for y in committed["year"].unique())
    assert manifest["files"]["data/cbp.parquet"]["sha256"] == tree_digest(data)["cbp.parquet"]


@pytest.mark.parametrize("fault, problem", [("truncate", "truncated or malformed JSON"), ("404", "HTTP 404")])
def test_cbp_fault_leaves_the_data_byte_identical(census, tmp_path, fault, problem):
    data = copy_data(tmp_path / "data")
    strip_cbp_year(data, CBP_YEAR)
    before = tree_digest(data)
    census.faults[f"/data/{CBP_YEAR}/cbp"] = fault
    try:
        proc = run_cbp(data, census, "--year", str(CBP_YEAR))
    finally:
        census.faults.clear()
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert f"{census.url}/data/{CBP_YEAR}/cbp?get=" in line and problem in line, line
    assert tree_digest(data) == before


def test_a_cbp_year_in_naics_2022_is_asked_for_its_own_codes(census, tmp_path):
    data = copy_data(tmp_path / "data")
    census.requests.clear()
    proc = run_cbp(data, census, "--year", str(CBP_NAICS_2022_YEAR))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["naics_vintage"] == "NAICS2022"
    asked = [r for r in census.requests if r.startswith(f"/data/{CBP_NAICS_2022_YEAR}/cbp?")]
    assert len(asked) == 2 and all("NAICS2022=513" in r and "NAICS2022=449" in r for r in asked)
    assert not any("NAICS2022=511" in r or "NAICS2022=442" in r for r in asked)
    cbp = pd.read_parquet(data / "cbp.parquet")
    new, old = (cbp[cbp["year"] == y].set_index(["fips", "naics"]) for y in (CBP_NAICS_2022_YEAR, CBP_YEAR))
    assert "513" in set(new.index.get_level_values("naics")) and "511" not in set(new.index.get_level_values("naics"))
    published = old.loc[(slice(None), "511"), :]
    published = published[~published["withheld"]].droplevel("naics")
    relaid = new.xs("513", level="naics").reindex(published.index)
    assert len(published) > 100 and (relaid["emp"].to_numpy() == published["emp"].to_numpy()).all()


def test_cbp_without_a_key_stops_at_once_with_where_to_get_one(census, tmp_path):
    data = copy_data(tmp_path / "data")
    strip_cbp_year(data, CBP_YEAR)
    before = tree_digest(data)
    census.requests.clear()
    proc = run_cbp(data, census, "--year", str(CBP_YEAR), key=None)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "Census API key is required" in line and "https://api.census.gov/data/key_signup.html" in line
    assert "CENSUS_API_KEY" in line and "--census-key" in line
    assert census.requests == []  # nothing was asked of the server
    assert tree_digest(data) == before


@pytest.mark.parametrize("year", [str(CBP_YEAR), None], ids=["named-year", "probing"])
def test_cbp_with_a_refused_key_reports_the_web_page(census, tmp_path, year):
    """The stand-in redirects a request with a wrong key to an HTML page: said so, never a layout problem,
    and probing for the newest year never takes the page for a year."""
    data = copy_data(tmp_path / "data")
    strip_cbp_year(data, CBP_YEAR)
    before = tree_digest(data)
    proc = run_cbp(data, census, *(["--year", year] if year else []), key="f" * 40)
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "answered with a web page (redirected to" in line and "key_signup.html" in line, line
    assert "variables list" not in line and "layout" not in line and "f" * 40 not in line
    assert tree_digest(data) == before


def test_the_key_comes_from_the_command_line_too(census, tmp_path):
    data = copy_data(tmp_path / "data")
    strip_cbp_year(data, CBP_YEAR)
    proc = run_cbp(data, census, "--year", str(CBP_YEAR), "--census-key", CENSUS_KEY, key=None)
    assert proc.returncode == 0, proc.stderr


def test_a_contact_that_is_not_an_email_is_one_line(census, tmp_path):
    data = copy_data(tmp_path / "data")
    before = tree_digest(data)
    census.requests.clear()
    proc = run_cbp(data, census, "--year", str(CBP_YEAR), contact="me\r\nX-Injected: 1")
    assert proc.returncode == 1
    assert "SECTOR_ATLAS_CONTACT must be one email address" in one_error_line(proc)
    assert census.requests == [] and tree_digest(data) == before


def test_cbp_year_not_published(census, tmp_path):
    data = copy_data(tmp_path / "data")
    before = tree_digest(data)
    proc = run_cbp(data, census, "--year", "2024")
    assert proc.returncode == 1
    assert "Census has not published CBP 2024" in one_error_line(proc)
    assert tree_digest(data) == before


# ---------------------------------------------------------------- the app on the updated folder


def test_the_app_shows_the_installed_year_and_the_served_figures(updated, bls, monkeypatch):
    """The app, pointed at the updated folder (as SECTOR_ATLAS_DATA does), opens on the installed year
    and shows the served employment in the industry map's ranked table."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.data import caches, paths

    def clear():
        caches.clear()
        st.cache_resource.clear()
        st.cache_data.clear()

    monkeypatch.setattr(paths, "DATA_DIR", updated["data"])
    clear()
    try:
        at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
        at.query_params.update({"state": "IN", "scheme": "county", "region": ELKHART, "industry": "31-33"})
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert at.selectbox(key="w_year").value == YEAR and at.query_params["year"] == str(YEAR)
        served = read_slice(bls["root"] / slice_path(YEAR, "31-33").lstrip("/"))
        emp = int(served[(served["area_fips"] == ELKHART) & (served["own_code"] == "5")].iloc[0]["annual_avg_emplvl"])
        table = ranked_table(at)
        jobs = "jobs (or range)"
        assert table.loc["Elkhart County, IN", jobs] == f"{emp:,}"
        assert any(str(YEAR) in c.value for c in at.caption)
    finally:
        monkeypatch.undo()
        clear()


def ranked_table(at):
    """The page's ranked table, indexed by region, with its column names lower-cased (labels are for people)."""
    frame = next(d.value for d in at.dataframe if any(c.lower() == "region" for c in d.value.columns))
    frame = frame.rename(columns=str.lower)
    return frame.set_index("region")
