"""The committed processed data: known published values, joins, suppression, reconciliation."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from dashboard.data import paths, store

#: Counties on the 2024 map without 2016 industry rows, and why.
INDUSTRY_EXCEPTIONS = {
    "02063": "Chugach Census Area, created 2019; its 2016 jobs are in Valdez-Cordova (02261)",
    "02066": "Copper River Census Area, created 2019; its 2016 jobs are in Valdez-Cordova (02261)",
    **{f"091{i}0": "Connecticut planning region; 2016 data use the former counties 09001-09015" for i in range(1, 10)},
    "15005": "Kalawao County, HI: no QCEW county file",
}
#: Map counties whose workforce rows lack some sources.
WORKFORCE_EXCEPTIONS = {"15005": "Kalawao County, HI: no SAIPE or LAUS estimate"}


@pytest.fixture(scope="module")
def workforce():
    return store.load_table("workforce").set_index("fips")


@pytest.fixture(scope="module")
def counties():
    return store.load_geometry("counties_us")


def test_marion_county_published_workforce_values(workforce):
    m = workforce.loc["18097"]
    assert round(100 * (m.less_than_hs + m.hs_only) / m.adults_25plus, 1) == 39.4
    assert round(100 * m.poverty_count / m.poverty_universe, 1) == 15.6
    assert m.median_household_income == 66_653
    assert round(100 * m.unemployed / m.labor_force, 1) == 4.2
    assert m.population == 981_628


def _row(industry, fips, naics, own=5):
    r = industry[(industry.area_fips == fips) & (industry.naics == naics) & (industry.own_code == own)]
    assert len(r) == 1
    return r.iloc[0]


def test_elkhart_manufacturing_jobs_and_lq(industry, national):
    mfg = _row(industry, "18039", "31-33")
    total = _row(industry, "18039", "10", own=0)
    assert not mfg.suppressed
    assert mfg.emplvl == pytest.approx(62_700, rel=0.01)
    assert mfg.lq_published == pytest.approx(5.7, abs=0.05)
    share = national.loc[(5, "31-33"), "us_share"]
    assert (mfg.emplvl / total.emplvl) / share == pytest.approx(5.7, abs=0.05)


def test_marion_total_covered_employment(industry):
    assert _row(industry, "18097", "10", own=0).emplvl == pytest.approx(591_000, rel=0.005)


def test_every_county_polygon_joins_to_workforce(counties, workforce):
    assert len(counties) == 3222
    assert set(counties.fips) == set(workforce.index)
    core = ["population", "adults_25plus", "poverty_count", "poverty_universe", "labor_force", "households"]
    states = workforce[workforce.state_fips != "72"]
    gaps = set(states.index[states[core].isna().any(axis=1)])
    assert gaps == set(WORKFORCE_EXCEPTIONS)
    # Puerto Rico: ERS education and LAUS cover it, SAIPE, SVI and population estimates do not
    pr = workforce[workforce.state_fips == "72"]
    assert len(pr) == 78 and pr.adults_25plus.notna().all() and pr.labor_force.notna().all()


def test_every_county_polygon_joins_to_industry(counties, industry):
    with_rows = set(industry.loc[industry.area_type == "county", "area_fips"])
    assert set(counties.fips) - with_rows == set(INDUSTRY_EXCEPTIONS)


def test_suppressed_cells_are_never_zero(industry):
    sup = industry[industry.suppressed]
    assert len(sup) > 10_000
    assert sup.emplvl.isna().all() and sup.total_wages.isna().all() and sup.lq_published.isna().all()
    # establishment counts are published even where jobs are not
    assert (sup.estabs > 0).mean() > 0.9
    cbp = store.load_table("cbp")
    assert cbp.withheld.sum() > 1000
    assert cbp.loc[cbp.withheld, "emp"].isna().all()
    # employment 0 with payroll is a real published zero (seasonal establishments); with no payroll it is withheld
    assert not ((cbp.emp == 0) & (cbp.payann == 0) & (cbp.estab > 0)).any()


def test_state_private_totals_reconcile_with_counties(industry):
    priv = industry[(industry.own_code == 5) & (industry.naics == "10")]
    states = priv[priv.area_type == "state"].set_index("area_fips").emplvl
    parts = priv[priv.area_type.isin(["county", "unallocated"])].assign(st=lambda d: d.area_fips.str[:2] + "000")
    checked = 0
    for st, g in parts.groupby("st"):
        if st not in states.index or g.emplvl.isna().any():
            continue
        # each county's annual average is rounded to a whole job
        assert abs(g.emplvl.sum() - states[st]) <= len(g) / 2 + 1, st
        checked += 1
    assert checked >= 30


def test_lq_base_is_total_covered_employment(national):
    # the private total's recovered share is the US private share of ALL covered jobs
    assert national.loc[(5, "10"), "us_share"] == pytest.approx(0.85, abs=0.01)
    assert national.loc[(0, "10"), "us_emplvl"] == national["us_emplvl"].max()


def test_national_shares_agree_across_states(industry, national):
    total = industry[(industry.own_code == 0) & (industry.naics == "10")].set_index("area_fips").emplvl
    st = industry[
        (industry.area_type == "state")
        & (industry.own_code == 5)
        & ~industry.suppressed
        & (industry.lq_published > 0.5)
        & ~industry.area_fips.isin(["72000", "78000"])
    ]
    for naics in ["62", "44-45", "23", "72", "52"]:
        rows = st[st.naics == naics]
        est = rows.emplvl / rows.area_fips.map(total) / rows.lq_published
        assert len(est) >= 40
        assert (est / national.loc[(5, naics), "us_share"]).between(0.98, 1.02).all(), naics


def test_computed_lq_matches_published_for_counties(industry, national):
    total = industry[(industry.own_code == 0) & (industry.naics == "10")].set_index("area_fips").emplvl
    rows = industry[
        (industry.area_type == "county")
        & (industry.own_code == 5)
        & (industry.naics_level == 2)
        & ~industry.suppressed
        & (industry.emplvl > 1000)
    ]
    share = rows.naics.map(national.loc[5, "us_share"])
    lq = rows.emplvl / rows.area_fips.map(total) / share
    err = (lq / rows.lq_published - 1).abs()
    assert err.median() < 0.002
    assert (err < 0.02).mean() > 0.99


def test_region_schemes(industry):
    regions = store.load_table("regions")
    counts = regions.groupby("scheme").region_id.nunique()
    assert counts["in-egr"] == 11 and counts["bea"] == 179 and counts["cz"] == 593 and counts["state"] == 52
    assert not regions.duplicated(["scheme", "fips"]).any()
    elkhart = regions[regions.fips == "18039"].set_index("scheme")
    assert elkhart.loc["cbsa", "region_id"] == "21140"
    assert elkhart.loc["in-egr", "region_id"] == "2"
    # commuting zones are named after their most populous county
    marion_cz = regions[(regions.scheme == "cz") & (regions.fips == "18097")].iloc[0]
    assert marion_cz.region_name == "Marion County, IN area"


def test_region_geometry_layers_cover_their_schemes():
    regions = store.load_table("regions")
    for scheme in ["cbsa", "cz", "bea", "in-egr", "state"]:
        layer = store.load_geometry(f"regions_{scheme}")
        assert layer.geometry.is_valid.all() and not layer.geometry.is_empty.any()
        ids = set(regions.loc[regions.scheme == scheme, "region_id"])
        assert set(layer.region_id) <= ids
        # only regions made wholly of counties absent from the 2024 map may lack a polygon
        assert len(ids - set(layer.region_id)) <= 3, scheme


def test_data_stays_within_budget():
    size = sum(f.stat().st_size for d in (paths.DATA_DIR, paths.SHAPE_DIR) for f in d.rglob("*") if f.is_file())
    assert size < 40 * 1024 * 1024


def test_manifest_matches_committed_files():
    manifest = store.manifest()
    for rel, info in manifest["files"].items():
        data = (paths.ROOT / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], rel


@pytest.mark.skipif(not paths.DEFAULT_RAW.is_dir(), reason="raw official files not present")
def test_rebuild_reproduces_committed_data(tmp_path):
    from dashboard.data.build import run_build

    manifest = run_build(paths.DEFAULT_RAW, tmp_path / "data", tmp_path / "shapefiles", log=lambda m: None)
    committed = store.manifest()
    assert set(manifest["files"]) == set(committed["files"])
    same_versions = manifest["versions"] == committed["versions"]
    for rel, info in committed["files"].items():
        if same_versions or not rel.endswith(".parquet"):
            assert manifest["files"][rel]["sha256"] == info["sha256"], rel
        else:
            # another pandas/pyarrow writes other metadata bytes: the content must still be identical
            pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / rel), pd.read_parquet(paths.ROOT / rel))
    assert json.loads((tmp_path / "data" / "manifest.json").read_text())["files"] == manifest["files"]


@pytest.mark.skipif(not paths.DEFAULT_RAW.is_dir(), reason="raw official files not present")
def test_bad_source_file_stops_build_and_keeps_previous_data(tmp_path):
    from dashboard.data.build import QCEW_YEARS, RAW, run_build
    from dashboard.data.ingest.common import SourceError

    raw = tmp_path / "raw"
    qcew_files = [p.relative_to(paths.DEFAULT_RAW) for p in paths.DEFAULT_RAW.glob(QCEW_YEARS)]
    for rel in [*RAW.values(), *qcew_files]:
        src = paths.DEFAULT_RAW / rel
        dest = raw / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(src, target_is_directory=src.is_dir())
    # a download cut off half-way
    qcew = raw / qcew_files[0]
    qcew.unlink()
    qcew.write_bytes((paths.DEFAULT_RAW / qcew_files[0]).read_bytes()[:50_000])
    data = tmp_path / "data"
    data.mkdir()
    (data / "industry_qcew_2016.parquet").write_bytes(b"previous build")
    with pytest.raises(SourceError) as err:
        run_build(raw, data, tmp_path / "shapefiles", log=lambda m: None)
    assert "qcew_2016_q1-q4_by_area_subset.csv.gz" in str(err.value)
    assert (data / "industry_qcew_2016.parquet").read_bytes() == b"previous build"
    assert sorted(p.name for p in data.iterdir()) == ["industry_qcew_2016.parquet"]
    assert not list(tmp_path.glob(".build-*"))


def test_build_command_reports_missing_raw_folder(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "build",
            "--raw",
            str(tmp_path / "nowhere"),
            "--data",
            str(tmp_path / "data"),
            "--shapefiles",
            str(tmp_path / "shp"),
        ],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert proc.returncode == 1
    assert "raw data folder not found" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()
