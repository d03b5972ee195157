"""Workforce composition of regions: shares from summed counts, never averaged percentages."""

from __future__ import annotations

import pytest

from dashboard.analysis import workforce
from dashboard.data import store

#: indicator id -> (numerator columns, denominator column), from data/SOURCES.md
SHARES = {
    "low_skill_share": (("less_than_hs", "hs_only"), "adults_25plus"),
    "no_diploma_share": (("less_than_hs",), "adults_25plus"),
    "poverty_rate": (("poverty_count",), "poverty_universe"),
    "child_poverty_rate": (("child_poverty_count",), "child_poverty_universe"),
    "below_150pct_poverty_share": (("pov150",), "pov150_universe"),
    "unemployment_rate": (("unemployed",), "labor_force"),
    "limited_english_share": (("limited_english",), "limited_english_universe"),
    "no_vehicle_share": (("no_vehicle",), "no_vehicle_universe"),
    "disability_share": (("disability",), "disability_universe"),
    "uninsured_share": (("uninsured",), "uninsured_universe"),
    "no_internet_share": (("no_internet",), "no_internet_universe"),
}
#: Marion County, IN (Indianapolis, ~982,000 people) and Ohio County, IN (~6,000 people, rural)
BIG, SMALL = "18097", "18115"


@pytest.fixture(scope="module")
def wf():
    return store.load_table("workforce").set_index("fips")


def test_marion_reproduces_published_values():
    agg = workforce.aggregate_workforce(["18097"])
    assert round(100 * agg["low_skill_share"]["value"], 1) == 39.4
    assert round(100 * agg["poverty_rate"]["value"], 1) == 15.6
    assert round(100 * agg["unemployment_rate"]["value"], 1) == 4.2
    assert agg["median_household_income"]["value"] == 66_653
    assert agg["median_household_income"]["approximation"] is False
    assert agg["population"]["value"] == 981_628
    for ind in agg.values():
        assert ind["missing"] == 0 and ind["counties"] == 1
        assert ind["source"]


def test_shares_are_fractions_with_their_counts(wf):
    agg = workforce.aggregate_workforce([BIG, SMALL])
    for ind_id in SHARES:
        v = agg[ind_id]
        assert 0 < v["value"] < 1, ind_id
        assert v["value"] == pytest.approx(v["numerator"] / v["denominator"], rel=1e-12)


@pytest.mark.parametrize("ind_id", sorted(SHARES))
def test_region_share_is_ratio_of_sums_not_mean_of_rates(wf, ind_id):
    nums, den = SHARES[ind_id]
    rows = wf.loc[[BIG, SMALL]]
    num_sum = sum(float(rows[c].sum()) for c in nums)
    den_sum = float(rows[den].sum())
    expected = num_sum / den_sum
    got = workforce.aggregate_workforce([BIG, SMALL])[ind_id]
    assert got["value"] == pytest.approx(expected, rel=1e-12)
    assert got["numerator"] == pytest.approx(num_sum) and got["denominator"] == pytest.approx(den_sum)
    assert got["counties"] == 2 and got["missing"] == 0
    # the naive average of the two county rates is a different (wrong) number
    rates = [sum(float(rows.loc[f, c]) for c in nums) / float(rows.loc[f, den]) for f in (BIG, SMALL)]
    naive = sum(rates) / 2
    if abs(rates[0] - rates[1]) > 0.005:
        assert abs(got["value"] - naive) > 0.001, (ind_id, got["value"], naive)
        # the big county dominates the pooled figure
        assert abs(got["value"] - rates[0]) < abs(got["value"] - rates[1])


def test_poverty_of_a_big_and_small_county_differs_from_the_mean_of_rates(wf):
    rows = wf.loc[[BIG, SMALL]]
    big = rows.loc[BIG, "poverty_count"] / rows.loc[BIG, "poverty_universe"]
    small = rows.loc[SMALL, "poverty_count"] / rows.loc[SMALL, "poverty_universe"]
    assert big - small > 0.05  # Marion ~15.6%, Ohio County ~9%
    value = workforce.aggregate_workforce([BIG, SMALL])["poverty_rate"]["value"]
    assert abs(value - (big + small) / 2) > 0.02
    assert small < value < big


def test_population_is_summed(wf):
    counties = ["18039", "18049", "18085", "18099", "18141"]
    got = workforce.aggregate_workforce(counties)["population"]
    assert got["value"] == int(wf.loc[counties, "population"].sum())
    assert isinstance(got["value"], int)


def test_region_median_income_is_household_weighted_and_flagged(wf):
    rows = wf.loc[[BIG, SMALL]]
    h = rows["households"].astype(float)
    m = rows["median_household_income"].astype(float)
    expected = (m * h).sum() / h.sum()
    got = workforce.aggregate_workforce([BIG, SMALL])["median_household_income"]
    assert got["value"] == pytest.approx(expected, abs=0.5)
    assert got["approximation"] is True
    # not the unweighted mean of the two medians
    assert abs(got["value"] - m.mean()) > 1000


def test_missing_indicator_is_excluded_and_counted(wf):
    # Kalawao County, HI (15005) has no SAIPE poverty or LAUS estimate; Maui (15009) has both
    assert wf.loc["15005", ["poverty_count", "poverty_universe", "unemployed"]].isna().all()
    agg = workforce.aggregate_workforce(["15005", "15009"])
    pov = agg["poverty_rate"]
    assert pov["missing"] == 1 and pov["counties"] == 1
    maui = wf.loc["15009"]
    assert pov["value"] == pytest.approx(maui.poverty_count / maui.poverty_universe, rel=1e-12)
    assert pov["denominator"] == pytest.approx(float(maui.poverty_universe))
    ur = agg["unemployment_rate"]
    assert ur["missing"] == 1 and ur["value"] == pytest.approx(maui.unemployed / maui.labor_force, rel=1e-12)
    # population is known for both and is summed
    assert agg["population"]["missing"] == 0
    assert agg["population"]["value"] == int(wf.loc["15005", "population"] + maui.population)


def test_county_with_indicator_missing_alone_is_none_not_zero():
    agg = workforce.aggregate_workforce(["15005"])
    assert agg["poverty_rate"]["value"] is None
    assert agg["poverty_rate"]["missing"] == 1 and agg["poverty_rate"]["counties"] == 0
    assert agg["unemployment_rate"]["value"] is None
    assert agg["median_household_income"]["value"] is None
    assert agg["population"]["value"] > 0
    values = workforce.workforce_values(["15005"])
    assert values["poverty_rate"] is None and values["unemployment_rate"] is None


def test_workforce_values_match_aggregate():
    agg = workforce.aggregate_workforce(["18039", "18141"])
    values = workforce.workforce_values(["18039", "18141"])
    assert set(values) == set(agg)
    assert all(values[k] == agg[k]["value"] for k in agg)
