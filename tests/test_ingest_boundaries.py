"""Census cartographic boundary reader, on the committed 2024 1:20m shapefiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.data.ingest.boundaries import read_boundaries
from dashboard.data.ingest.common import SourceError

SHAPES = Path(__file__).parents[1] / "shapefiles"
COUNTIES = SHAPES / "cb_2024_us_county_20m"
STATES = SHAPES / "cb_2024_us_state_20m"
RAW_GEO = Path(__file__).parents[1].parent / "shared/data/raw" / "geo"

CT_PLANNING_REGIONS = {f"091{i}0" for i in range(1, 10)}


@pytest.fixture(scope="module")
def counties():
    return read_boundaries(COUNTIES)


@pytest.fixture(scope="module")
def states():
    return read_boundaries(STATES)


def test_counties_all_present_with_unique_fips(counties):
    assert len(counties) == 3222  # 50 states, DC and Puerto Rico
    assert list(counties.columns) == ["fips", "name", "state_fips", "state_abbr", "geometry"]
    assert counties["fips"].str.fullmatch(r"\d{5}").all()
    assert counties["fips"].is_unique
    assert counties["fips"].is_monotonic_increasing
    assert (counties["fips"].str[:2] == counties["state_fips"]).all()
    assert counties["state_fips"].nunique() == 52


def test_counties_connecticut_planning_regions(counties):
    ct = set(counties.loc[counties["state_fips"] == "09", "fips"])
    assert ct == CT_PLANNING_REGIONS  # the 2022 planning regions, not the 8 old counties
    assert "09001" not in set(counties["fips"])


def test_counties_known_rows(counties):
    marion = counties.loc[counties["fips"] == "18097"].iloc[0]
    assert (marion["name"], marion["state_fips"], marion["state_abbr"]) == ("Marion County", "18", "IN")
    # Marion County lies around Indianapolis (39.77 N, 86.16 W)
    centre = marion.geometry.representative_point()
    assert 39.6 < centre.y < 40.0 and -86.4 < centre.x < -85.9
    assert counties.loc[counties["fips"] == "18039", "name"].iloc[0] == "Elkhart County"


def test_counties_reprojected_to_wgs84(counties):
    assert counties.crs.to_epsg() == 4326  # the files are NAD83 (EPSG:4269)
    assert "North_American_1983" in (COUNTIES / "cb_2024_us_county_20m.prj").read_text()
    minx, miny, maxx, maxy = counties.total_bounds
    assert -180 <= minx and maxx <= 180 and 17 < miny and maxy < 72
    assert counties.geometry.notna().all() and not counties.geometry.is_empty.any()


def test_states(states):
    assert len(states) == 52
    assert states["fips"].is_unique
    assert states["fips"].str.fullmatch(r"\d{2}").all()
    assert {"11", "18", "72"} <= set(states["fips"])
    assert states.crs.to_epsg() == 4326
    indiana = states.loc[states["fips"] == "18"].iloc[0]
    assert (indiana["name"], indiana["state_abbr"]) == ("Indiana", "IN")


def test_shp_path_reads_like_its_folder(states):
    direct = read_boundaries(STATES / "cb_2024_us_state_20m.shp")
    assert direct["fips"].tolist() == states["fips"].tolist()


def test_missing_folder_or_file(tmp_path):
    with pytest.raises(SourceError, match="not found") as err:
        read_boundaries(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(err.value)
    with pytest.raises(SourceError, match="not found"):
        read_boundaries(tmp_path / "nowhere.shp")


def test_folder_without_shp(tmp_path):
    folder = tmp_path / "cb_2024_us_county_20m"
    folder.mkdir()
    shutil.copy(COUNTIES / "cb_2024_us_county_20m.dbf", folder)
    with pytest.raises(SourceError, match=r"no \.shp") as err:
        read_boundaries(folder)
    assert str(folder) in str(err.value)


def test_shapefile_without_prj(tmp_path):
    for part in STATES.iterdir():
        if part.suffix != ".prj":
            shutil.copy(part, tmp_path)
    with pytest.raises(SourceError, match="coordinate reference system"):
        read_boundaries(tmp_path)


def test_junk_shapefile(tmp_path):
    bad = tmp_path / "junk.shp"
    bad.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SourceError, match="unreadable") as err:
        read_boundaries(bad)
    assert str(bad) in str(err.value)


@pytest.mark.skipif(not RAW_GEO.is_dir(), reason="official raw files not available")
def test_committed_copies_match_raw_and_zip_reads():
    for name in ("cb_2024_us_county_20m", "cb_2024_us_state_20m"):
        for part in (SHAPES / name).iterdir():
            assert part.read_bytes() == (RAW_GEO / name / part.name).read_bytes(), part.name
    states_500k = read_boundaries(RAW_GEO / "cb_2024_us_state_500k.zip")
    assert states_500k.crs.to_epsg() == 4326
    assert {"18", "09", "11"} <= set(states_500k["fips"])
