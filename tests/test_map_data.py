"""Values for every region of a map view, checked against the single-region functions and the raw tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.analysis import measures, regions, sectors, workforce
from dashboard.analysis.workforce import INDICATORS
from dashboard.data import store
from dashboard.maps import data as map_data
from dashboard.report import profile

EGR_IDS = [str(i) for i in range(1, 12)]
#: Counties without a polygon on the 2024 map (data/SOURCES.md, "Known gaps"): Connecticut's
#: former counties and Alaska's former Valdez-Cordova census area.
NO_POLYGON = {"09001", "09003", "09005", "09007", "09009", "09011", "09013", "09015", "02261"}
#: Counties without 2016 QCEW rows (data/SOURCES.md, "Known gaps").
NO_QCEW = {"02063", "02066", "15005", "09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"}
#: The 20 NAICS 2012/2017 sectors.
NAICS_SECTORS = {
    "11",
    "21",
    "22",
    "23",
    "31-33",
    "42",
    "44-45",
    "48-49",
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "61",
    "62",
    "71",
    "72",
    "81",
}
PARTNERSHIP = [s.id for s in sectors.load_taxonomy() if s.naics]


def _same(a, b, rel=1e-9) -> bool:
    """Equal numbers, or both missing (NaN/None)."""
    a_missing = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA
    b_missing = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    if a_missing or b_missing:
        return a_missing and b_missing
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)


def _num(x, digits=None):
    """How the profile rounds a number (None for missing)."""
    if x is None or pd.isna(x):
        return None
    return round(float(x)) if digits is None else round(float(x), digits)


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_industry():
    return store.load_table("industry")


@pytest.fixture(scope="module")
def raw_workforce():
    return store.load_table("workforce")


@pytest.fixture(scope="module")
def us_counties():
    return map_data.view_regions("county", map_data.US)


@pytest.fixture(scope="module")
def us_industry(us_counties):
    return map_data.industry_table(us_counties, "advanced-manufacturing")


@pytest.fixture(scope="module")
def us_workforce(us_counties):
    return map_data.workforce_table(us_counties)


@pytest.fixture(scope="module")
def egr_view():
    return map_data.view_regions("in-egr", "18")


@pytest.fixture(scope="module")
def in_counties():
    return map_data.view_regions("county", "18")


@pytest.fixture(scope="module")
def in_cbsas():
    return map_data.view_regions("cbsa", "18")


@pytest.fixture(scope="module")
def egr_industry(egr_view):
    return {s: map_data.industry_table(egr_view, s) for s in PARTNERSHIP}


@pytest.fixture(scope="module")
def cbsa_industry(in_cbsas):
    return {s: map_data.industry_table(in_cbsas, s) for s in PARTNERSHIP}


@pytest.fixture(scope="module")
def county_industry(in_counties):
    return {
        s: map_data.industry_table(in_counties, s) for s in ("advanced-manufacturing", "healthcare", "construction")
    }


@pytest.fixture(scope="module")
def profiles():
    wanted = {("in-egr", "2"), ("county", "18097"), ("cbsa", "16980"), ("cbsa", "21140")}
    return {rid: profile.region_profile(regions.resolve_region(scheme, rid)).to_json() for scheme, rid in wanted}


# -- industries and states ------------------------------------------------------------------------


def test_industries_partnership_sectors_first_then_naics():
    inds = map_data.industries()
    kinds = [i.kind for i in inds.values()]
    n = kinds.count("partnership")
    assert n == len(PARTNERSHIP) and kinds[:n] == ["partnership"] * n
    for s in sectors.load_taxonomy():
        if s.naics:
            assert inds[s.id].naics == tuple(s.naics) and inds[s.id].label == s.name
    sector_codes = {c for c, i in inds.items() if i.kind == "sector"}
    assert NAICS_SECTORS <= sector_codes
    assert inds["31-33"].naics == ("31-33",)
    assert inds["325"].kind == "subsector" and inds["325"].label.startswith("325 ")
    assert "health" in inds["62"].label.lower()
    # every subsector is a 3-digit code
    assert all(len(c) == 3 and c.isdigit() for c, i in inds.items() if i.kind == "subsector")


def test_states_are_50_states_dc_and_puerto_rico():
    st = map_data.states()
    assert len(st) == 52
    assert st["18"] == "Indiana" and st["17"] == "Illinois" and st["11"] == "District of Columbia"
    assert st["72"] == "Puerto Rico"
    assert "78" not in st and "US" not in st
    assert list(st) == sorted(st)


# -- view_regions ---------------------------------------------------------------------------------


def test_egr_view_partitions_indiana(egr_view):
    assert [r.id for r in egr_view] == EGR_IDS
    counties = [c for r in egr_view for c in r.counties]
    indiana = set(regions.list_regions("county", "18")["region_id"])
    assert len(indiana) == 92
    assert len(counties) == len(set(counties)) == 92 and set(counties) == indiana
    assert set(regions.resolve_region("in-egr", "2").counties) == {"18039", "18049", "18085", "18099", "18141"}


def test_county_views(in_counties, us_counties):
    assert len(in_counties) == 92 and all(r.id.startswith("18") for r in in_counties)
    ids = [r.id for r in us_counties]
    assert ids == list(regions.list_regions("county")["region_id"])
    assert len(ids) == len(set(ids))
    assert all(r.counties == (r.id,) for r in us_counties)


def test_cbsa_view_includes_regions_crossing_the_state_line(in_cbsas):
    by_id = {r.id: r for r in in_cbsas}
    chicago = by_id["16980"]
    assert chicago.states == ("17", "18")
    assert "17031" in chicago.counties and "18089" in chicago.counties  # Cook, IL and Lake, IN
    assert all("18" in r.states for r in in_cbsas)


def test_custom_and_unknown_views():
    r = regions.custom_region(["18039", "18141"])
    assert map_data.view_regions("custom", "18", (r,)) == (r,)
    assert map_data.view_regions("custom", "18") == ()
    with pytest.raises(KeyError):
        map_data.view_regions("zip", "18")


# -- industry table ---------------------------------------------------------------------------------


def test_us_county_view_has_one_row_per_county(us_counties, us_industry, us_workforce):
    ids = list(regions.list_regions("county")["region_id"])
    for table in (us_industry, us_workforce):
        assert list(table["region_id"]) == ids
        assert table["region_id"].is_unique
        assert (table["counties"] == 1).all()


def test_industry_rows_equal_group_measures_for_each_region(egr_view, egr_industry):
    # the same measures computed region by region, straight from measures.group_measures
    chosen = ("advanced-manufacturing", "healthcare", "hospitality-tourism")
    groups = {s: list(map_data.industries()[s].naics) for s in chosen}
    for region in egr_view:
        area_region, _ = measures.qcew_area_region([region])
        single = measures.group_measures(area_region, groups).set_index("group")
        for sector_id in chosen:
            m = single.loc[sector_id]
            row = egr_industry[sector_id].set_index("region_id").loc[region.id]
            for col in measures.MEASURE_COLUMNS:
                if col in ("region_id", "group"):
                    continue
                assert _same(row[col], m[col]), (sector_id, region.id, col, row[col], m[col])


@pytest.mark.parametrize(
    "rid,view_fixture", [("2", "egr_industry"), ("16980", "cbsa_industry"), ("21140", "cbsa_industry")]
)
def test_industry_rows_equal_the_region_profile(rid, view_fixture, profiles, request):
    tables = request.getfixturevalue(view_fixture)
    prof = profiles[rid]
    cands = {c["id"]: c for c in prof["candidate_sectors"]}
    assert set(cands) == set(PARTNERSHIP)
    for sector_id in PARTNERSHIP:
        row = tables[sector_id].set_index("region_id").loc[rid]
        c = cands[sector_id]
        assert row["basis"] == prof["industry_basis"]
        assert _num(row["employment"]) == c["employment"]
        assert _num(row["emp_low"]) == c["employment_low"] and _num(row["emp_high"]) == c["employment_high"]
        assert _num(row["estabs"]) == c["establishments"]
        assert _num(row["lq"], 3) == c["lq"]
        assert _num(row["lq_low"], 3) == c["lq_low"] and _num(row["lq_high"], 3) == c["lq_high"]
        assert _num(row["suppressed_areas"]) == c["suppressed_counties"]
        # pay and the one-year change: the region's published figure only where nothing is suppressed
        published = row["suppressed_areas"] == 0
        assert (_num(row["avg_annual_pay"]) if published else None) == c["avg_annual_pay"]
        assert _num(row["pay_estimate"]) == c["pay_estimate"]
        growth_published = published and row["growth_low"] == row["growth_high"]
        assert (_num(row["growth"], 4) if growth_published else None) == c["growth"]
        assert _num(row["growth_estimate"], 4) == c["growth_estimate"] and _num(row["us_growth"], 4) == c["us_growth"]


def test_marion_county_row_equals_profile_and_raw_cells(county_industry, profiles, raw_industry):
    c = {c["id"]: c for c in profiles["18097"]["candidate_sectors"]}["advanced-manufacturing"]
    row = county_industry["advanced-manufacturing"].set_index("region_id").loc["18097"]
    assert row["region_name"] == "Marion County, IN"
    assert _num(row["employment"]) == c["employment"] and _num(row["lq"], 3) == c["lq"]
    # independent: the published private cells of the partnership sector's NAICS codes, and the LQ definition
    naics = list(map_data.industries()["advanced-manufacturing"].naics)
    cells = raw_industry[
        (raw_industry["area_fips"] == "18097") & (raw_industry["own_code"] == 5) & raw_industry["naics"].isin(naics)
    ]
    assert not cells["suppressed"].any()
    assert row["employment"] == float(cells["emplvl"].sum()) == row["emp_low"] == row["emp_high"]
    assert row["estabs"] == int(cells["estabs"].sum())
    total = raw_industry[
        (raw_industry["area_fips"] == "18097") & (raw_industry["own_code"] == 0) & (raw_industry["naics"] == "10")
    ]["emplvl"].iloc[0]
    nat = store.load_table("national")
    us_share = nat[(nat["own_code"] == 5) & nat["naics"].isin(naics)]["us_share"].sum()
    assert row["lq"] == pytest.approx(float(cells["emplvl"].sum()) / (float(total) * us_share), rel=1e-12)
    assert row["suppressed_areas"] == 0


@pytest.mark.parametrize("code", ["31-33", "62", "325", "23"])
def test_county_lq_matches_bls_published_lq(code, in_counties, raw_industry):
    """Independent oracle: BLS publishes each county's LQ; ours must agree where nothing is suppressed."""
    table = map_data.industry_table(in_counties, code).set_index("region_id")
    pub = raw_industry[
        (raw_industry["own_code"] == 5)
        & (raw_industry["naics"] == code)
        & (raw_industry["area_type"] == "county")
        & raw_industry["area_fips"].str.startswith("18")
    ].set_index("area_fips")
    disclosed = pub[~pub["suppressed"]]
    assert len(disclosed) >= 20
    for fips, cell in disclosed.iterrows():
        row = table.loc[fips]
        assert row["employment"] == float(cell["emplvl"])
        # the US share behind our LQ is recovered from all states' published LQs, so single counties
        # can differ by about a percent (or the rounding of a tiny published LQ)
        assert row["lq"] == pytest.approx(float(cell["lq_published"]), rel=0.015, abs=0.005), fips
    rel = table.loc[disclosed.index, "lq"] / disclosed["lq_published"].astype(float) - 1
    assert rel.abs().median() < 0.002
    # suppressed cells: a range, never a number, never zero
    for fips in pub.index[pub["suppressed"]]:
        row = table.loc[fips]
        assert pd.isna(row["employment"]) and pd.isna(row["lq"]) and row["suppressed_areas"] == 1
        assert row["emp_low"] <= row["emp_high"] and row["lq_low"] <= row["lq_high"]
    # no published row at all: no establishments, a true zero
    for fips in set(table.index) - set(pub.index):
        row = table.loc[fips]
        assert row["estabs"] == 0 and row["employment"] == 0 and row["suppressed_areas"] == 0


@pytest.mark.parametrize("code", ["31-33", "62"])
def test_state_rows_match_bls_published_values(code, raw_industry):
    table = map_data.industry_table(map_data.view_regions("state", map_data.US), code).set_index("region_id")
    assert len(table) == 52
    pub = raw_industry[
        (raw_industry["own_code"] == 5)
        & (raw_industry["naics"] == code)
        & raw_industry["area_fips"].str.endswith("000")
        & ~raw_industry["suppressed"]
    ]
    compared = 0
    for _, cell in pub.iterrows():
        state = cell["area_fips"][:2]
        if state not in table.index:
            continue
        row = table.loc[state]
        assert row["basis"] == "official QCEW row for the whole region"
        assert row["employment"] == float(cell["emplvl"])
        assert row["lq"] == pytest.approx(float(cell["lq_published"]), rel=0.015, abs=0.005), state
        compared += 1
    assert compared >= 45


def test_official_metro_rows_match_bls_published_values(cbsa_industry, raw_industry, in_cbsas):
    table = map_data.industry_table(in_cbsas, "31-33").set_index("region_id")
    official = table[table["basis"].str.startswith("official")]
    assert {"21140", "14020"} <= set(official.index)  # Elkhart-Goshen and Bloomington: delineation unchanged
    pub = raw_industry[(raw_industry["own_code"] == 5) & (raw_industry["naics"] == "31-33")].set_index("area_fips")
    for rid, row in official.iterrows():
        cell = pub.loc[f"C{rid[:4]}"]
        assert not cell["suppressed"]
        assert row["employment"] == float(cell["emplvl"])
        assert row["lq"] == pytest.approx(float(cell["lq_published"]), rel=0.01, abs=0.005)


def test_suppressed_regions_get_ranges_never_zeros(us_industry):
    t = us_industry
    has = t["emp_low"].notna()
    sup = has & (t["suppressed_areas"] > 0)
    assert sup.sum() > 100  # plenty of suppression at county level
    s = t[sup]
    assert s["employment"].isna().all() and s["lq"].isna().all()
    assert (s["emp_low"] <= s["emp_high"]).all() and (s["lq_low"] <= s["lq_high"]).all()
    # a missing employment with a known range always comes from suppression
    missing = t[t["employment"].isna() & has]
    assert (missing["suppressed_areas"] > 0).all()
    exact = t[has & (t["suppressed_areas"] == 0)]
    assert (exact["employment"] == exact["emp_low"]).all() and (exact["emp_low"] == exact["emp_high"]).all()
    assert np.allclose(exact["lq"], exact["lq_low"]) and np.allclose(exact["lq_low"], exact["lq_high"])


def test_multi_county_suppression_counts_the_suppressed_counties(egr_view, egr_industry, raw_industry):
    naics = list(map_data.industries()["advanced-manufacturing"].naics)
    table = egr_industry["advanced-manufacturing"].set_index("region_id")
    cells = raw_industry[(raw_industry["own_code"] == 5) & raw_industry["naics"].isin(naics)]
    suppressed_counties = set(cells.loc[cells["suppressed"], "area_fips"])
    for region in egr_view:
        row = table.loc[region.id]
        # a metro area wholly inside the region counts by its own published row, which may disclose
        # what its counties do not: at most the counties with suppressed cells are suppressed
        at_most = len(set(region.counties) & suppressed_counties)
        assert row["suppressed_areas"] <= at_most and row["areas"] == len(region.counties)
        if row["suppressed_areas"]:
            assert pd.isna(row["employment"]) and row["emp_low"] <= row["employment_estimate"] <= row["emp_high"]
            disclosed = cells[cells["area_fips"].isin(region.counties) & ~cells["suppressed"]]["emplvl"].sum()
            # the published cells, and what the hierarchy adds; a metro's own row may differ from its
            # counties' sum by the rounding of each published figure (half a job each)
            assert row["emp_low"] >= float(disclosed) - 0.5 * (len(region.counties) + 1) * len(naics)
        else:
            assert row["employment"] == row["emp_low"] == row["emp_high"]


def test_regions_without_industry_rows_keep_a_row_with_missing_values(us_industry):
    t = us_industry.set_index("region_id")
    gone = t[t["emp_low"].isna()]
    assert set(gone.index) == NO_QCEW
    assert gone[["employment", "lq", "lq_low", "lq_high", "estabs"]].isna().all().all()
    assert gone["basis"].str.contains("no 2016 QCEW rows").all()


def test_custom_region_without_industry_rows_is_missing_not_zero():
    r = regions.custom_region(["09110", "09120"])  # Connecticut planning regions: no 2016 QCEW rows
    t = map_data.industry_table((r,), "advanced-manufacturing")
    assert len(t) == 1 and t["region_id"].iloc[0] == "09110,09120" and t["counties"].iloc[0] == 2
    assert (
        t[["employment", "emp_low", "emp_high", "estabs", "lq", "lq_low", "lq_high", "suppressed_areas"]]
        .isna()
        .all()
        .all()
    )
    assert "no 2016 QCEW rows" in t["basis"].iloc[0]


def test_empty_custom_view_gives_empty_workforce_table():
    t = map_data.workforce_table(map_data.view_regions("custom", "18"))
    assert len(t) == 0 and "low_skill_share" in t and map_data.NONMETRO in t


def test_empty_custom_view_gives_empty_industry_table():
    t = map_data.industry_table(map_data.view_regions("custom", "18"), "advanced-manufacturing")
    assert len(t) == 0 and {"region_id", "employment", "lq", "lq_low", "lq_high", "basis"} <= set(t.columns)


# -- workforce table --------------------------------------------------------------------------------


def _check_workforce_row(row, counties):
    agg = workforce.aggregate_workforce(counties)
    for key in INDICATORS:
        assert _same(row[key], agg[key]["value"], rel=1e-12), (key, row[key], agg[key]["value"])
        assert row[f"{key}_missing"] == agg[key]["missing"], key


def test_workforce_rows_equal_workforce_values_for_every_egr(egr_view):
    table = map_data.workforce_table(egr_view).set_index("region_id")
    assert list(table.index) == EGR_IDS
    for region in egr_view:
        _check_workforce_row(table.loc[region.id], region.counties)
        assert table.loc[region.id, "counties"] == len(region.counties)


def test_workforce_rows_equal_workforce_values_for_multistate_metros(in_cbsas):
    table = map_data.workforce_table(in_cbsas).set_index("region_id")
    for region in in_cbsas:
        if len(region.states) > 1:
            _check_workforce_row(table.loc[region.id], region.counties)
    assert (
        table.loc["16980", "population"]
        == workforce.workforce_values(regions.resolve_region("cbsa", "16980").counties)["population"]
    )


def test_marion_in_the_us_table_equals_its_own_values(us_workforce, raw_workforce):
    row = us_workforce.set_index("region_id").loc["18097"]
    _check_workforce_row(row, ("18097",))
    raw = raw_workforce.set_index("fips").loc["18097"]
    assert row["population"] == raw["population"]
    assert row["low_skill_share"] == pytest.approx((raw["less_than_hs"] + raw["hs_only"]) / raw["adults_25plus"])
    assert row["median_household_income"] == raw["median_household_income"]  # one county: its own median


def test_counties_without_workforce_rows_are_missing_not_zero(us_workforce):
    t = us_workforce.set_index("region_id")
    for fips in ("09001", "02261"):
        row = t.loc[fips]
        for key in INDICATORS:
            assert pd.isna(row[key]), (fips, key)
        assert pd.isna(row[map_data.NONMETRO])


def test_median_income_is_household_weighted(egr_view, raw_workforce):
    table = map_data.workforce_table(egr_view).set_index("region_id")
    rows = raw_workforce[raw_workforce["fips"].isin(regions.resolve_region("in-egr", "2").counties)]
    w = rows["households"].astype(float)
    expected = round(float((rows["median_household_income"].astype(float) * w).sum() / w.sum()))
    assert table.loc["2", "median_household_income"] == expected


def _nonmetro_by_hand(raw_workforce, counties):
    rows = raw_workforce[raw_workforce["fips"].isin(counties)].dropna(subset=["rucc", "population"])
    pop = rows["population"].astype(float)
    nonmetro = rows["rucc"].astype(int).isin([4, 5, 6, 7, 8, 9])
    return float(pop[nonmetro].sum() / pop.sum()) if pop.sum() > 0 else None


def test_nonmetro_share_from_rucc_codes_4_to_9(egr_view, raw_workforce):
    table = map_data.workforce_table(egr_view).set_index("region_id")
    for region in egr_view:
        assert table.loc[region.id, map_data.NONMETRO] == pytest.approx(
            _nonmetro_by_hand(raw_workforce, region.counties), rel=1e-12
        )
    # Marion County (Indianapolis) is metro (RUCC 1)
    marion = map_data.workforce_table((regions.resolve_region("county", "18097"),)).iloc[0]
    assert marion[map_data.NONMETRO] == 0.0 and marion[f"{map_data.NONMETRO}_missing"] == 0
    values = table[map_data.NONMETRO]
    assert ((values >= 0) & (values <= 1)).all() and values.max() > 0.3


def test_nonmetro_share_by_state(raw_workforce):
    view = map_data.view_regions("state", map_data.US)
    table = map_data.workforce_table(view).set_index("region_id")
    for state in ("18", "17", "30", "11"):
        counties = regions.resolve_region("state", state).counties
        assert table.loc[state, map_data.NONMETRO] == pytest.approx(
            _nonmetro_by_hand(raw_workforce, counties), rel=1e-12
        )
    assert table.loc["11", map_data.NONMETRO] == 0.0  # DC is one metro county


def test_nonmetro_missing_counts_the_counties_left_out():
    view = map_data.view_regions("state", map_data.US)
    row = map_data.workforce_table(view).set_index("region_id").loc["72"]
    assert pd.isna(row[map_data.NONMETRO])
    assert row["counties"] == 78 and row["population_missing"] == 78
    assert row[f"{map_data.NONMETRO}_missing"] == 78


# -- bivariate classes and terciles ------------------------------------------------------------------


def test_bivariate_classes_hand_made():
    ls = pd.Series([0.10, 0.45, 0.90, 0.20, np.nan, 0.50, 0.31], index=list("abcdefg"))
    li = pd.Series([0.05, 0.15, 0.30, 0.99, 0.10, np.nan, 0.21], index=list("abcdefg"))
    out = map_data.bivariate_classes(ls, li, (0.3, 0.6), (0.1, 0.2))
    assert list(out.index) == list("abcdefg")
    assert out["a"] == "a1"  # low skill share low, income share low
    assert out["b"] == "b2"
    assert out["c"] == "c3"
    assert out["d"] == "a3"
    assert out["g"] == "b3"
    assert pd.isna(out["e"]) and pd.isna(out["f"])


def test_national_terciles_recomputed_from_counties(raw_workforce):
    cuts = map_data.national_terciles()
    wf = raw_workforce[raw_workforce["state_fips"] != "72"]
    assert wf["state_fips"].nunique() == 51  # 50 states and DC
    low_skill = ((wf["less_than_hs"] + wf["hs_only"]) / wf["adults_25plus"]).astype(float).dropna()
    low_income = (wf["pov150"] / wf["pov150_universe"]).astype(float).dropna()
    assert cuts["low_skill_share"] == pytest.approx(tuple(low_skill.quantile([1 / 3, 2 / 3])), rel=1e-12)
    assert cuts["below_150pct_poverty_share"] == pytest.approx(tuple(low_income.quantile([1 / 3, 2 / 3])), rel=1e-12)
    assert cuts["low_skill_share"][0] < cuts["low_skill_share"][1]


def test_terciles_split_us_counties_into_thirds(us_workforce):
    cuts = map_data.national_terciles()
    t = us_workforce[~us_workforce["region_id"].str.startswith("72")]
    classes = map_data.bivariate_classes(
        t["low_skill_share"],
        t["below_150pct_poverty_share"],
        cuts["low_skill_share"],
        cuts["below_150pct_poverty_share"],
    ).dropna()
    assert len(classes) > 3000
    for part, letters in ((0, "abc"), (1, "123")):
        shares = classes.str[part].value_counts(normalize=True)
        for x in letters:
            assert shares[x] == pytest.approx(1 / 3, abs=0.01)
    assert set(classes) == {f"{a}{b}" for a in "abc" for b in "123"}


# -- geometry -----------------------------------------------------------------------------------------


def test_egr_geometry_one_polygon_per_region(egr_view):
    geo = map_data.view_geometry("in-egr", "18", egr_view)
    assert sorted(geo["region_id"], key=int) == EGR_IDS
    assert geo.crs.to_epsg() == 4326
    assert geo.geometry.is_valid.all() and (~geo.geometry.is_empty).all()
    # Indiana lies roughly between 84.8 and 88.1 degrees west and 37.8 and 41.8 north
    west, south, east, north = geo.total_bounds
    assert -88.2 < west < -87.9 and -84.9 < east < -84.7 and 37.7 < south < 37.9 and 41.7 < north < 41.8


def test_indiana_county_geometry(in_counties):
    geo = map_data.view_geometry("county", "18", in_counties)
    assert len(geo) == 92 and set(geo["region_id"]) == {r.id for r in in_counties}
    assert geo["region_id"].is_unique


def test_us_county_geometry_covers_every_mapped_county(us_counties):
    geo = map_data.view_geometry("county", map_data.US, us_counties)
    assert geo["region_id"].is_unique
    ids = {r.id for r in us_counties}
    assert set(geo["region_id"]) <= ids
    in_states = {i for i in ids if i[:2] in map_data.states()}
    assert in_states - set(geo["region_id"]) == NO_POLYGON


def test_multistate_metro_geometry_reaches_into_illinois(in_cbsas):
    geo = map_data.view_geometry("cbsa", "18", in_cbsas)
    assert len(geo) == len(in_cbsas) == 40
    chicago = geo[geo["region_id"] == "16980"].geometry.iloc[0]
    assert chicago.bounds[0] < -88.3  # well west of Indiana's western border


def test_custom_geometry_is_the_union_of_its_counties():
    r = regions.custom_region(["18039", "18141"], name="Elkhart and St. Joseph")
    geo = map_data.view_geometry("custom", "18", (r,))
    assert list(geo["region_id"]) == [r.id]
    layer = store.load_geometry("counties_state")
    parts = layer[layer["fips"].isin(["18039", "18141"])].geometry
    assert len(parts) == 2
    assert geo.geometry.iloc[0].area == pytest.approx(sum(p.area for p in parts), rel=1e-6)
    assert shapely.get_num_geometries(geo.geometry.iloc[0]) == 1  # neighbours dissolve into one polygon
    empty = map_data.view_geometry("custom", "18", ())
    assert len(empty) == 0
