"""Regions: resolving scheme regions and custom county sets, listing, geometry."""

from __future__ import annotations

import pytest
import shapely

from dashboard.analysis import regions
from dashboard.analysis.regions import UnknownRegionError
from dashboard.data import store

EGR2 = ("18039", "18049", "18085", "18099", "18141")


@pytest.fixture(scope="module")
def region_table():
    return store.load_table("regions")


@pytest.fixture(scope="module")
def county_layer():
    return store.load_geometry("counties_state")


def _members(region_table, scheme, region_id):
    t = region_table
    return tuple(sorted(t.loc[(t.scheme == scheme) & (t.region_id == region_id), "fips"]))


# -- resolve_region, one case per scheme ---------------------------------------------------------


def test_resolve_county():
    r = regions.resolve_region("county", "18097")
    assert (r.scheme, r.id, r.counties) == ("county", "18097", ("18097",))
    assert r.name == "Marion County, IN"
    assert r.states == ("18",)


def test_resolve_cbsa_elkhart_goshen():
    r = regions.resolve_region("cbsa", "21140")
    assert r.scheme == "cbsa" and r.id == "21140"
    assert "Elkhart-Goshen" in r.name
    assert r.counties == ("18039",)


def test_resolve_commuting_zone_containing_marion(region_table):
    row = region_table[(region_table.scheme == "cz") & (region_table.fips == "18097")]
    assert len(row) == 1
    cz_id = row.region_id.iloc[0]
    r = regions.resolve_region("cz", cz_id)
    assert "18097" in r.counties
    assert r.counties == _members(region_table, "cz", cz_id)
    # a commuting zone around Indianapolis is several counties
    assert len(r.counties) > 1
    assert r.name == "Marion County, IN area"


def test_resolve_bea_area_containing_marion(region_table):
    bea_id = region_table.loc[(region_table.scheme == "bea") & (region_table.fips == "18097"), "region_id"].iloc[0]
    r = regions.resolve_region("bea", bea_id)
    assert "18097" in r.counties and len(r.counties) > 1
    assert r.counties == _members(region_table, "bea", bea_id)
    assert "Indianapolis" in r.name


def test_resolve_indiana_egr_2():
    r = regions.resolve_region("in-egr", "2")
    assert r.counties == EGR2
    assert r.states == ("18",)


def test_resolve_state_indiana():
    r = regions.resolve_region("state", "18")
    assert len(r.counties) == 92
    assert all(c.startswith("18") for c in r.counties)
    assert r.name == "Indiana"


def test_ids_are_zero_padded():
    assert regions.resolve_region("state", "1").id == "01"
    assert regions.resolve_region("state", 1).id == "01"
    assert regions.resolve_region("state", " 18 ").id == "18"
    al = regions.resolve_region("county", "1001")
    assert al.id == "01001" and al.counties == ("01001",)


@pytest.mark.parametrize(
    "scheme, region_id",
    [
        ("nonsense", "1"),
        ("county", "99999"),
        ("cbsa", "00000"),
        ("in-egr", "12"),
        ("state", "99"),
    ],
)
def test_unknown_scheme_or_id_says_how_to_list(scheme, region_id):
    with pytest.raises(UnknownRegionError) as err:
        regions.resolve_region(scheme, region_id)
    msg = str(err.value)
    assert "python -m dashboard regions --scheme" in msg
    assert "\n" not in msg


def test_unknown_region_error_is_a_value_error():
    with pytest.raises(ValueError):
        regions.resolve_region("in-egr", "0")


# -- custom regions ------------------------------------------------------------------------------


def test_parse_county_list_separators_and_padding():
    assert regions.parse_county_list("18039, 18141") == ["18039", "18141"]
    assert regions.parse_county_list(" 18039;18141\n1001 ") == ["18039", "18141", "01001"]
    # parsing keeps the list as given; the region removes duplicates
    assert regions.parse_county_list("18039,18039") == ["18039", "18039"]


@pytest.mark.parametrize("text", ["18039,abc", "180391", "18-39", "18039,12"])
def test_parse_county_list_rejects_malformed(text):
    with pytest.raises(UnknownRegionError):
        regions.parse_county_list(text)


def test_custom_region_dedupes_and_sorts():
    r = regions.custom_region(["18141", "18039", "18141", "18039"])
    assert r.scheme == regions.CUSTOM
    assert r.counties == ("18039", "18141")
    assert r.id == "18039,18141"
    assert "2 counties" in r.name


def test_custom_region_of_one_county_takes_its_name():
    r = regions.custom_region(["18097"])
    assert r.counties == ("18097",) and r.name == "Marion County, IN"
    assert regions.custom_region(["18039"], name="Elkhart pilot").name == "Elkhart pilot"


def test_custom_region_lists_every_unknown_fips():
    with pytest.raises(UnknownRegionError) as err:
        regions.custom_region(["18039", "99999", "88888"])
    msg = str(err.value)
    assert "99999" in msg and "88888" in msg
    assert "18039" not in msg.split(";")[0]
    assert "python -m dashboard regions --scheme county" in msg


def test_custom_region_empty_list_raises():
    with pytest.raises(UnknownRegionError):
        regions.custom_region([])


# -- listing ---------------------------------------------------------------------------------------


def test_list_regions_in_egr():
    table = regions.list_regions("in-egr")
    assert sorted(table.region_id, key=int) == [str(i) for i in range(1, 12)]
    assert table.counties.sum() == 92
    assert int(table.loc[table.region_id == "2", "counties"].iloc[0]) == 5


def test_list_regions_state_filter_matches_membership(region_table):
    table = regions.list_regions("cbsa", state="18")
    cbsa = region_table[region_table.scheme == "cbsa"]
    expected = set(cbsa.loc[cbsa.fips.str[:2] == "18", "region_id"])
    assert set(table.region_id) == expected
    assert not table.region_id.duplicated().any()
    # a multi-state metro is listed with all its counties, not only the Indiana ones
    chicago = table[table.region_id == "16980"]
    assert len(chicago) == 1
    assert int(chicago.counties.iloc[0]) == len(cbsa[cbsa.region_id == "16980"])
    assert int(chicago.counties.iloc[0]) > (cbsa[(cbsa.region_id == "16980") & (cbsa.fips.str[:2] == "18")].shape[0])
    # the unfiltered list is larger and contains the filtered one
    everything = regions.list_regions("cbsa")
    assert set(table.region_id) < set(everything.region_id)


def test_list_regions_state_filter_for_counties():
    table = regions.list_regions("county", state="18")
    assert len(table) == 92 and (table.counties == 1).all()


def test_list_regions_unknown_scheme():
    with pytest.raises(UnknownRegionError):
        regions.list_regions("zip")


# -- geometry --------------------------------------------------------------------------------------


def _check_polygon(gdf, region_id):
    assert len(gdf) == 1
    assert gdf.region_id.iloc[0] == region_id
    geom = gdf.geometry.iloc[0]
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.is_valid and not geom.is_empty and geom.area > 0
    assert gdf.crs.to_epsg() == 4326
    return geom


def test_scheme_region_geometry_covers_its_counties(county_layer):
    region = regions.resolve_region("in-egr", "2")
    geom = _check_polygon(regions.region_geometry(region), "2")
    parts = county_layer[county_layer.fips.isin(region.counties)]
    assert len(parts) == 5
    union = shapely.union_all(parts.geometry.values)
    # prebuilt dissolve and the counties agree closely (same boundaries, simplified separately)
    assert geom.area == pytest.approx(union.area, rel=0.01)
    for point in parts.geometry.representative_point():
        assert geom.buffer(1e-6).contains(point)
    # a county elsewhere is outside
    marion = county_layer.loc[county_layer.fips == "18097"].geometry.iloc[0]
    assert not geom.contains(marion.representative_point())


def test_custom_region_geometry_is_the_union_of_its_counties(county_layer):
    region = regions.custom_region(["18141", "18039", "18085"])
    geom = _check_polygon(regions.region_geometry(region), "18039,18085,18141")
    parts = county_layer[county_layer.fips.isin(region.counties)]
    assert len(parts) == 3
    union = shapely.union_all(parts.geometry.values)
    assert geom.area == pytest.approx(union.area, rel=1e-9)
    assert geom.area == pytest.approx(float(shapely.area(parts.geometry.values).sum()), rel=1e-6)
    assert geom.symmetric_difference(union).area <= 1e-9 * union.area
    # three adjacent counties dissolve to one polygon
    assert geom.geom_type == "Polygon"


def test_custom_region_geometry_of_separate_counties_is_multipolygon(county_layer):
    region = regions.custom_region(["18097", "18039"])  # Marion and Elkhart do not touch
    geom = _check_polygon(regions.region_geometry(region), "18039,18097")
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    parts = county_layer[county_layer.fips.isin(region.counties)]
    assert geom.area == pytest.approx(float(shapely.area(parts.geometry.values).sum()), rel=1e-9)
