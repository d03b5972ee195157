"""Location quotients, suppression ranges, growth, shift-share, checked by hand against the tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis import business_patterns, measures, regions
from dashboard.data import store

EGR2 = ["18039", "18049", "18085", "18099", "18141"]


@pytest.fixture(scope="module")
def cbp():
    return store.load_table("cbp")


def _one_region(counties, region_id="r"):
    return pd.Series(region_id, index=pd.Index(list(counties), name="area_fips"), name="region_id")


def _measure(counties, codes, group="g"):
    out = measures.group_measures(_one_region(counties), {group: list(codes)})
    assert len(out) == 1
    return out.iloc[0]


def _cell(industry, fips, naics, own=5):
    r = industry[(industry.area_fips == fips) & (industry.naics == naics) & (industry.own_code == own)]
    assert len(r) == 1, (fips, naics, own)
    return r.iloc[0]


def _isnan(x):
    return x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x)


# -- (a) single counties reproduce the published BLS LQ ------------------------------------------


@pytest.mark.parametrize(
    "fips, naics",
    [
        ("18039", "31-33"),  # Elkhart, IN: manufacturing (RVs)
        ("18097", "62"),  # Marion, IN: health care
        ("06037", "51"),  # Los Angeles, CA: information
        ("48201", "21"),  # Harris, TX: mining, oil and gas
        ("17031", "52"),  # Cook, IL: finance and insurance
        ("12086", "72"),  # Miami-Dade, FL: accommodation and food services
        ("53033", "51"),  # King, WA: information
        ("26163", "31-33"),  # Wayne, MI: manufacturing
    ],
)
def test_county_lq_matches_published(industry, fips, naics):
    cell = _cell(industry, fips, naics)
    assert not cell.suppressed and cell.lq_published > 0
    m = _measure([fips], [naics])
    assert m["lq"] == pytest.approx(cell.lq_published, rel=0.01)
    assert m["lq_low"] == m["lq_high"] == m["lq"]
    assert m["suppressed_areas"] == 0
    assert m["employment"] == cell.emplvl
    assert m["estabs"] == cell.estabs


def test_elkhart_manufacturing_lq_is_about_5_7():
    assert _measure(["18039"], ["31-33"])["lq"] == pytest.approx(5.7, abs=0.05)


# -- (b) a hand-built three-county region ---------------------------------------------------------


def test_three_county_region_by_hand(industry, national):
    counties, naics = ["18097", "18039", "18141"], "62"  # Marion, Elkhart, St. Joseph: health care
    cells = [_cell(industry, f, naics) for f in counties]
    assert not any(c.suppressed for c in cells)
    emp = sum(int(c.emplvl) for c in cells)
    wages = sum(int(c.total_wages) for c in cells)
    estabs = sum(int(c.estabs) for c in cells)
    total = sum(int(_cell(industry, f, "10", own=0).emplvl) for f in counties)
    private = sum(int(_cell(industry, f, "10").emplvl) for f in counties)
    private_wages = sum(int(_cell(industry, f, "10").total_wages) for f in counties)
    us_share = float(national.loc[(5, naics), "us_share"])
    lq = (emp / total) / us_share

    m = _measure(counties, [naics])
    assert m["employment"] == emp and m["emp_low"] == emp and m["emp_high"] == emp
    assert m["total_covered"] == total
    assert m["private"] == private
    assert m["estabs"] == estabs
    assert m["lq"] == pytest.approx(lq, rel=1e-12)
    assert m["lq_low"] == pytest.approx(lq, rel=1e-12) and m["lq_high"] == pytest.approx(lq, rel=1e-12)
    assert m["us_share"] == pytest.approx(us_share)
    assert m["avg_annual_pay"] == pytest.approx(wages / emp, rel=1e-12)
    assert m["pay_ratio"] == pytest.approx((wages / emp) / (private_wages / private), rel=1e-12)
    assert m["size_share"] == pytest.approx(emp / private, rel=1e-12)
    # the pooled LQ is not the mean of the county LQs
    mean_lq = sum(c.lq_published for c in cells) / 3
    assert abs(lq - mean_lq) > 0.01


def test_subsector_group_lq_by_hand(industry, national):
    counties, codes = ["18097", "18039", "18141"], ["621", "622", "623"]
    cells = [_cell(industry, f, c) for f in counties for c in codes]
    assert not any(c.suppressed for c in cells)
    emp = sum(int(c.emplvl) for c in cells)
    total = sum(int(_cell(industry, f, "10", own=0).emplvl) for f in counties)
    share = sum(float(national.loc[(5, c), "us_share"]) for c in codes)
    m = _measure(counties, codes)
    assert m["employment"] == emp
    assert m["lq"] == pytest.approx((emp / total) / share, rel=1e-12)


def test_several_regions_at_once_match_one_at_a_time():
    area_region, _ = measures.qcew_area_region(
        [regions.resolve_region("in-egr", "2"), regions.resolve_region("county", "18097")]
    )
    both = measures.group_measures(area_region, {"mfg": ["31-33"], "health": ["62"]}).set_index(["region_id", "group"])
    alone = _measure(EGR2, ["31-33"])
    assert both.loc[("2", "mfg"), "lq_low"] == pytest.approx(alone["lq_low"], rel=1e-12)
    assert both.loc[("18097", "health"), "lq"] == pytest.approx(_measure(["18097"], ["62"])["lq"], rel=1e-12)


def test_overlapping_regions_at_once_match_one_at_a_time():
    # comparing a county with the growth region it belongs to
    area_region, _ = measures.qcew_area_region(
        [regions.resolve_region("county", "18039"), regions.resolve_region("in-egr", "2")]
    )
    both = measures.group_measures(area_region, {"mfg": ["31-33"]}).set_index("region_id")
    assert both.loc["18039", "lq"] == pytest.approx(_measure(["18039"], ["31-33"])["lq"], rel=1e-12)
    assert both.loc["2", "lq_low"] == pytest.approx(_measure(EGR2, ["31-33"])["lq_low"], rel=1e-12)


# -- (c) suppression gives a range ----------------------------------------------------------------


def _hand_range(industry, national, counties, codes):
    """lq_low (suppressed cells as zero), lq_high (suppressed county gets all its undisclosed jobs)."""
    rows = industry[industry.area_fips.isin(counties)]
    priv = rows[rows.own_code == 5]
    total = float(rows[(rows.own_code == 0) & (rows.naics == "10")].emplvl.sum())
    level = priv.loc[priv.naics == codes[0], "naics_level"].iloc[0]
    assert (priv.loc[priv.naics.isin(codes), "naics_level"] == level).all()
    cells = priv[priv.naics.isin(codes)]
    low = float(cells.loc[~cells.suppressed, "emplvl"].sum())
    suppressed = sorted(set(cells.loc[cells.suppressed, "area_fips"]))
    extra = 0.0
    for fips in suppressed:
        county = priv[priv.area_fips == fips]
        private_total = float(county.loc[county.naics == "10", "emplvl"].iloc[0])
        disclosed_at_level = float(county.loc[(county.naics_level == level) & ~county.suppressed, "emplvl"].sum())
        extra += private_total - disclosed_at_level
    share = sum(float(national.loc[(5, c), "us_share"]) for c in codes)
    return low / total / share, (low + extra) / total / share, suppressed, low, low + extra


@pytest.mark.parametrize("codes", [["62"], ["42"], ["621", "622", "623"], ["423", "424", "425"]])
def test_suppressed_counties_give_a_range_inside_the_simple_one(industry, national, codes):
    # the simple rule (suppressed cells as zero; each suppressed county gets all its undisclosed jobs)
    # is a valid outer range; the published hierarchy and geography narrow it, never widen it
    lq_low, lq_high, suppressed, emp_low, emp_high = _hand_range(industry, national, EGR2, codes)
    assert suppressed, "the example needs a suppressed county"
    for fips in suppressed:
        assert not _cell(industry, fips, "10").suppressed
    m = _measure(EGR2, codes)
    assert _isnan(m["lq"]) and _isnan(m["employment"])
    # all of 42's subsectors are 42 itself: a county that publishes 42 is not suppressed for them
    assert 0 < m["suppressed_areas"] <= len(suppressed)
    assert emp_low <= m["emp_low"] <= m["employment_estimate"] <= m["emp_high"] <= emp_high
    assert lq_low - 1e-12 <= m["lq_low"] <= m["lq_estimate"] <= m["lq_high"] <= lq_high + 1e-12
    assert m["emp_high"] - m["emp_low"] < emp_high - emp_low
    assert m["lq_estimate"] == pytest.approx(m["employment_estimate"] / m["total_covered"] / m["us_share"])


def test_suppressed_cell_is_never_zero_for_a_single_county(industry):
    # Fulton County, IN: health care suppressed in 2016
    cell = _cell(industry, "18049", "62")
    assert cell.suppressed and pd.isna(cell.emplvl)
    m = _measure(["18049"], ["62"])
    assert _isnan(m["lq"]) and _isnan(m["employment"])
    assert 0 <= m["lq_low"] <= m["lq_estimate"] <= m["lq_high"] and m["lq_high"] > 0
    # the county's published sectors leave at least this many jobs to health care
    private = int(_cell(industry, "18049", "10").emplvl)
    shown = industry[
        (industry.area_fips == "18049") & (industry.own_code == 5) & (industry.naics_level == 2) & ~industry.suppressed
    ].emplvl.sum()
    hidden = industry[
        (industry.area_fips == "18049") & (industry.own_code == 5) & (industry.naics_level == 2) & industry.suppressed
    ]
    assert m["emp_high"] <= private - shown + (hidden.shape[0] + 21) / 2
    assert m["suppressed_areas"] == 1
    assert m["estabs"] == cell.estabs  # published even when jobs are not


def test_published_figures_are_their_own_estimate():
    m = _measure(["18039"], ["31-33"])
    assert m["employment"] == m["emp_low"] == m["emp_high"] == m["employment_estimate"]
    assert m["lq"] == m["lq_estimate"]


@pytest.mark.parametrize("fips", ["15005", "09110"])
def test_region_without_industry_rows_has_missing_measures_not_an_error(industry, fips):
    # Kalawao, HI has no QCEW county file; Connecticut's planning regions postdate the 2016 data
    assert not (industry.area_fips == fips).any()
    area_region, _ = measures.qcew_area_region([regions.resolve_region("county", fips)])
    out = measures.group_measures(area_region, {"health": ["62"]})
    assert len(out) <= 1
    if len(out):
        assert _isnan(out.iloc[0]["lq"]) and _isnan(out.iloc[0]["employment"])


def test_size_share_with_a_suppressed_private_total_is_not_overstated(industry):
    counties = ["17097", "17111"]  # Lake, IL and McHenry, IL (McHenry's private total is suppressed)
    assert _cell(industry, "17111", "10").suppressed and not _cell(industry, "17111", "31-33").suppressed
    mfg = sum(int(_cell(industry, f, "31-33").emplvl) for f in counties)
    lake_private = int(_cell(industry, "17097", "10").emplvl)
    mchenry = industry[
        (industry.area_fips == "17111") & (industry.own_code == 5) & (industry.naics_level == 2) & ~industry.suppressed
    ]
    # McHenry's private jobs are at least the jobs in its disclosed sectors
    private_at_least = lake_private + int(mchenry.emplvl.sum())
    m = _measure(counties, ["31-33"])
    assert m["emp_low"] == mfg
    share = m["size_share"]
    assert _isnan(share) or share <= mfg / private_at_least + 1e-12, (share, mfg / private_at_least)


# -- (d) shift-share ------------------------------------------------------------------------------


def test_shift_share_textbook_formulas():
    s = measures.shift_share(emp_start=1000, emp_end=1100, us_all_growth=0.02, us_industry_growth=0.05)
    assert s["change"] == pytest.approx(100)
    assert s["national_growth"] == pytest.approx(1000 * 0.02)  # 20
    assert s["industry_mix"] == pytest.approx(1000 * (0.05 - 0.02))  # 30
    assert s["regional_shift"] == pytest.approx(1000 * (0.10 - 0.05))  # 50
    assert s["national_growth"] + s["industry_mix"] + s["regional_shift"] == pytest.approx(100)


@pytest.mark.parametrize(
    "start, end, g_all, g_ind",
    [(500, 430, 0.016, -0.03), (12_345, 12_999, -0.01, 0.04), (80, 80, 0.02, 0.02), (1, 7, 0.0, 0.0)],
)
def test_shift_share_parts_sum_to_change(start, end, g_all, g_ind):
    s = measures.shift_share(start, end, g_all, g_ind)
    assert s["change"] == end - start
    assert s["national_growth"] + s["industry_mix"] + s["regional_shift"] == pytest.approx(end - start, abs=1e-9)
    assert s["regional_shift"] == pytest.approx(start * ((end - start) / start - g_ind))


def test_shift_share_without_a_base_has_no_parts():
    s = measures.shift_share(0, 25, 0.02, 0.03)
    assert s["change"] == 25
    assert s["national_growth"] is None and s["industry_mix"] is None and s["regional_shift"] is None


# -- (e) which QCEW rows stand for a region ---------------------------------------------------------


def test_state_uses_the_official_state_row(industry):
    area_region, basis = measures.qcew_area_region([regions.resolve_region("state", "18")])
    assert list(area_region.index) == ["18000"] and list(area_region) == ["18"]
    assert "official" in basis["18"]
    m = measures.group_measures(area_region, {"mfg": ["31-33"]}).iloc[0]
    state = _cell(industry, "18000", "31-33")
    assert m["employment"] == state.emplvl
    assert m["total_covered"] == _cell(industry, "18000", "10", own=0).emplvl
    assert m["lq"] == pytest.approx(state.lq_published, rel=0.01)


def test_metro_uses_the_official_metro_row(industry):
    area_region, basis = measures.qcew_area_region([regions.resolve_region("cbsa", "21140")])
    assert list(area_region.index) == ["C2114"]
    assert "official" in basis["21140"]


def test_custom_region_uses_county_rows():
    region = regions.custom_region(["18141", "18039"])
    area_region, basis = measures.qcew_area_region([region])
    assert sorted(area_region.index) == ["18039", "18141"]
    assert set(area_region) == {region.id}
    assert basis[region.id] == "sum of 2 county rows"


def test_growth_region_uses_county_rows():
    area_region, _ = measures.qcew_area_region([regions.resolve_region("in-egr", "2")])
    assert sorted(area_region.index) == EGR2


# -- (f) County Business Patterns change --------------------------------------------------------------


def test_cbp_change_maricopa_health_care(cbp):
    c = cbp[(cbp.area_type == "county") & (cbp.fips == "04013") & (cbp.naics == "62")].set_index("year")
    e17, e21 = int(c.loc[2017, "emp"]), int(c.loc[2021, "emp"])
    st = cbp[cbp.area_type == "state"]

    def us(naics, year):
        return float(st.loc[(st.naics == naics) & (st.year == year), "emp"].sum())

    g_all = us("00", 2021) / us("00", 2017) - 1
    g_ind = us("62", 2021) / us("62", 2017) - 1

    out = business_patterns.cbp_change(["04013"], ["62"], 2017, 2021)
    assert out is not None
    assert out["employment_start"] == e17 and out["employment_end"] == e21
    assert out["change"] == e21 - e17
    assert out["growth"] == pytest.approx(e21 / e17 - 1)
    assert out["us_growth"] == pytest.approx(g_ind)
    assert out["national_growth"] == pytest.approx(e17 * g_all)
    assert out["industry_mix"] == pytest.approx(e17 * (g_ind - g_all))
    assert out["national_growth"] + out["industry_mix"] + out["regional_shift"] == pytest.approx(e21 - e17)


def test_cbp_change_none_for_indiana_county():
    assert business_patterns.cbp_change(["18097"], ["62"], 2017, 2021) is None
    # one county without county CBP spoils the region: no partial sums
    assert business_patterns.cbp_change(["04013", "18097"], ["62"], 2017, 2021) is None


def test_cbp_change_none_when_a_year_is_withheld(cbp):
    c = cbp[(cbp.fips == "01037") & (cbp.naics == "62")].set_index("year")
    assert bool(c.loc[2017, "withheld"]) and not bool(c.loc[2018, "withheld"])
    assert business_patterns.cbp_change(["01037"], ["62"], 2017, 2021) is None
    out = business_patterns.cbp_change(["01037"], ["62"], 2018, 2021)
    assert out is not None and out["change"] == int(c.loc[2021, "emp"]) - int(c.loc[2018, "emp"])


# -- (g) growth ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("codes", [["31-33"], ["62"], ["325", "326", "331", "332", "333", "334", "335", "336", "339"]])
def test_region_growth_by_hand(industry, codes):
    cells = industry[industry.area_fips.isin(EGR2) & (industry.own_code == 5) & industry.naics.isin(codes)]
    use = cells[~cells.suppressed & cells.oty_emplvl_chg.notna()]
    chg = float(use.oty_emplvl_chg.sum())
    growth = chg / float((use.emplvl.astype(float) - use.oty_emplvl_chg).sum())
    m = _measure(EGR2, codes)
    assert m["growth"] == pytest.approx(growth, rel=1e-12)
    assert m["chg"] == pytest.approx(chg)
    # growth is not the mean of the county growth rates
    per_county = use.oty_emplvl_chg / (use.emplvl.astype(float) - use.oty_emplvl_chg)
    if len(use) > 1 and per_county.std() > 0.01:
        assert abs(growth - per_county.mean()) > 1e-4


def test_us_growth_of_a_group_by_hand(national):
    codes = ["621", "622", "623"]
    emp = [float(national.loc[(5, c), "us_emplvl"]) for c in codes]
    g = [float(national.loc[(5, c), "us_oty_growth"]) for c in codes]
    start = sum(e / (1 + r) for e, r in zip(emp, g))
    expected = (sum(emp) - start) / start
    got = measures.national_group(codes)
    assert got["us_growth"] == pytest.approx(expected, rel=1e-12)
    assert got["us_share"] == pytest.approx(sum(float(national.loc[(5, c), "us_share"]) for c in codes))
    m = _measure(["18097"], codes)
    assert m["growth_vs_us"] == pytest.approx(m["growth"] - expected)


def test_unknown_naics_code_is_refused():
    with pytest.raises(KeyError):
        measures.national_group(["62", "999999"])
