"""Choropleth classes, fills and tooltip texts (the map that draws them: tests/test_map_layer.py)."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import formatting
from dashboard.analysis.regions import resolve_region
from dashboard.analysis.workforce import INDICATORS
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data

LQ = maps.industry_measures(2016)["lq"]
EMP = maps.industry_measures(2016)["employment"]


ADV = "advanced-manufacturing"
LQ_CUTS = [0.5, 0.8, 1.25, 2.0]


def _pick(table, ids):
    """The rows of ``ids`` from a real view's table, in that order."""
    return table.set_index("region_id").loc[list(ids)].reset_index()


def _county_rows(pairs):
    """One real row per (county FIPS, industry), each from that county's own industry table."""
    return pd.concat(
        [map_data.industry_table((resolve_region("county", fips),), industry) for fips, industry in pairs],
        ignore_index=True,
    )


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def us_adv():
    """Advanced manufacturing in every US county, 2016."""
    return map_data.industry_table(map_data.view_regions("county", map_data.US), ADV, 2016)


@pytest.fixture(scope="module")
def in_counties():
    return map_data.view_regions("county", "18")


@pytest.fixture(scope="module")
def in_table(in_counties):
    return map_data.industry_table(in_counties, ADV)


# -- measures ---------------------------------------------------------------------------------------


def test_industry_measures_name_columns_of_the_industry_table(in_table):
    assert list(maps.industry_measures(2016)) == ["lq", "employment", "estabs", "avg_annual_pay", "growth"]
    for m in maps.industry_measures(2016).values():
        assert m.column in in_table
        for col in (m.low, m.high):
            assert col is None or col in in_table
        assert m.kind in formatting.FORMATS
    assert LQ.bins == (0.5, 0.8, 1.25, 2.0)
    assert (LQ.low, LQ.high) == ("lq_low", "lq_high") and (EMP.low, EMP.high) == ("emp_low", "emp_high")


def test_workforce_measures():
    wm = maps.workforce_measures()
    assert set(wm) == set(INDICATORS) | {map_data.NONMETRO}
    assert wm["median_household_income"].kind == "money"
    assert wm["population"].kind == "count"
    assert wm["low_skill_share"].kind == "share" and wm[map_data.NONMETRO].kind == "share"
    assert all(m.bins is None and m.low is None for m in wm.values())  # quintiles, no suppression ranges
    assert all(m.column == key for key, m in wm.items())


# -- classify ---------------------------------------------------------------------------------------


def test_lq_uses_fixed_bins(us_adv):
    # advanced manufacturing 2016, published LQs on either side of each fixed break (no county sits exactly
    # on one; the growth test below has real values exactly on its breaks)
    ids = [
        "48205",  # Hartley County, TX: 0.00
        "12031",  # Duval County, FL: 0.48, the highest LQ up to 0.50
        "48141",  # El Paso County, TX: 0.53, the lowest above 0.50
        "17031",  # Cook County, IL: 0.79, the highest up to 0.80
        "01073",  # Jefferson County, AL: 0.84, the lowest above 0.80
        "48439",  # Tarrant County, TX: 1.246, the highest up to 1.25
        "48485",  # Wichita County, TX: 1.257, the lowest above 1.25
        "26163",  # Wayne County, MI: 1.96, the highest up to 2.00
        "17111",  # McHenry County, IL: 2.02, the lowest above 2.00
        "18039",
    ]  # Elkhart County, IN: 7.12, the highest in the US
    t = _pick(us_adv, ids)
    assert (t["suppressed_areas"] == 0).all() and t["lq"].is_monotonic_increasing
    published = us_adv[us_adv["lq"].notna() & (us_adv["suppressed_areas"] == 0)]
    for cut, below, above in zip(LQ_CUTS, ids[1::2], ids[2::2]):
        lq = t.set_index("region_id")["lq"]
        assert lq[below] == published.loc[published["lq"] <= cut, "lq"].max()
        assert lq[above] == published.loc[published["lq"] > cut, "lq"].min()
    c = maps.classify(t, LQ)
    assert list(c.index) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert (c.status == "published").all()
    assert c.labels == ("up to 0.50", "0.50 to 0.80", "0.80 to 1.25", "1.25 to 2.00", "above 2.00")
    assert c.colors == tuple(maps.DIVERGING5)
    assert c.legend() == [(maps.on_white(x, 0.85), label) for x, label in zip(maps.DIVERGING5, c.labels)]


def test_lq_bins_do_not_depend_on_the_view(us_adv):
    low = _pick(us_adv, ["48205", "12031"])  # Hartley County, TX 0.00; Duval County, FL 0.48
    high = _pick(us_adv, ["17111", "18039"])  # McHenry County, IL 2.02; Elkhart County, IN 7.12
    a, b = maps.classify(low, LQ), maps.classify(high, LQ)
    assert a.labels == b.labels
    assert list(a.index) == [0, 0] and list(b.index) == [4, 4]


def test_suppressed_range_within_one_class_takes_that_class(us_adv):
    t = _pick(us_adv, ["01003"])  # Baldwin County, AL: suppressed, LQ 0.512 to 0.517, inside "0.50 to 0.80"
    assert pd.isna(t["lq"].iloc[0]) and 0.5 < t["lq_low"].iloc[0] < t["lq_high"].iloc[0] <= 0.8
    c = maps.classify(t, LQ)
    assert c.index.iloc[0] == 1
    assert c.status.iloc[0] == "determined"
    # determined, likely and published regions are drawn distinctly
    assert c.fill(1, "determined") == (maps.DIVERGING5[1], maps.OPACITY["determined"])
    assert c.fill(1, "published")[1] > c.fill(1, "determined")[1] > c.fill(1, "likely")[1]
    legend = [label for _, label in c.legend()]
    assert maps.STATUS_LEGEND["determined"] in legend and maps.STATUS_LEGEND["likely"] not in legend


# Jefferson County, AL: published 0.84; Clarke County, AL: suppressed, 0.11 to 1.39, estimate 0.70;
# Barbour County, AL: suppressed, 0.00 to 4.36, estimate 2.81 (advanced manufacturing 2016)
SPANNING = ["01073", "01025", "01005"]


def test_range_spanning_classes_takes_the_estimates_class_as_likely(us_adv):
    t = _pick(us_adv, SPANNING)
    est = t["lq_estimate"].to_numpy()
    # independent: the fixed break each range's ends and estimate fall under
    assert list(np.searchsorted(LQ_CUTS, t["lq_low"], side="left")) == [2, 0, 0]
    assert list(np.searchsorted(LQ_CUTS, t["lq_high"], side="left")) == [2, 3, 4]
    assert list(np.searchsorted(LQ_CUTS, est, side="left")) == [2, 1, 4]
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, 1, 4]
    assert list(c.status) == ["published", "likely", "likely"]
    fill, opacity = maps.fills(t, c)["01005"]
    assert fill == maps.DIVERGING5[4] and opacity == maps.OPACITY["likely"]
    assert maps.fills(t, c)["01073"] == (maps.DIVERGING5[2], maps.OPACITY["published"])
    labels = [label for _, label in c.legend()]
    assert maps.STATUS_LEGEND["likely"] in labels and maps.STATUS_LEGEND["published"] in labels


def test_suppressed_range_spanning_classes_takes_the_lower_bound_class(us_adv):
    # the same real rows without their estimate column: a range spanning classes takes its low end's class
    # (Blount County, AL: 0.64 to 2.61; Barbour County, AL: 0.00 to 4.36)
    t = _pick(us_adv, ["01073", "01009", "01005"]).drop(columns="lq_estimate")
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, 1, 0]
    assert list(c.status) == ["published", "at least", "at least"]
    fill, opacity = maps.fills(t, c)["01009"]
    assert fill == maps.DIVERGING5[1] and opacity < 0.85  # drawn lighter
    legend = {label: color for color, label in c.legend()}
    assert any("at least" in label for label in legend)


def test_missing_values_have_no_class_and_a_no_data_entry(us_adv):
    # Chugach and Copper River Census Areas, AK (created 2019): no 2016 industry rows at all
    t = _pick(us_adv, ["01073", "02063", "02066"])
    assert t.loc[1:, ["lq", "lq_low", "lq_high"]].isna().all().all()
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, -1, -1]
    assert list(c.status) == ["published", "none", "none"]
    assert c.legend()[-1] == (maps.on_white(maps.NO_DATA, 0.85), "no data")
    assert maps.fills(t, c)["02063"] == (maps.NO_DATA, 0.85)
    # without missing values there is no "no data" entry
    assert all(label != "no data" for _, label in maps.classify(_pick(us_adv, ["01073"]), LQ).legend())


def test_all_missing_view():
    # Connecticut's nine planning regions (drawn on the 2024 map) have no 2016 industry rows
    view = tuple(r for r in map_data.view_regions("county", "09") if r.id.startswith("091"))
    assert len(view) == 9
    t = map_data.industry_table(view, ADV, 2016)
    for measure in (LQ, EMP, maps.industry_measures(2016)["growth"]):
        assert t[[measure.column, measure.low, measure.high]].isna().all().all()
        c = maps.classify(t, measure)
        assert (c.index == -1).all()
        assert (maps.on_white(maps.NO_DATA, 0.85), "no data") in c.legend()


def test_quintiles_for_unbinned_measures_match_mapclassify():
    # New Hampshire's ten counties, health care (NAICS 62) 2016: all published, ten distinct counts
    t = map_data.industry_table(map_data.view_regions("county", "33"), "62", 2016)
    assert len(t) == 10 and (t["suppressed_areas"] == 0).all()
    values = t["employment"].to_numpy()
    assert len(set(values)) == 10
    c = maps.classify(t, EMP)
    # independent oracle: mapclassify's own assignment, two of ten values in each quintile
    oracle = mapclassify.Quantiles(values, k=5)
    assert list(c.index) == list(oracle.yb)
    assert c.index.value_counts().tolist() == [2] * 5
    assert c.colors == tuple(maps.SEQUENTIAL[5])
    # counts are whole numbers: a class runs from one above the previous (floored) break to its own
    b = [int(x) for x in np.floor(oracle.bins)]
    f = formatting.count
    assert c.labels == (
        f"up to {f(b[0])}",
        f"{f(b[0] + 1)} to {f(b[1])}",
        f"{f(b[1] + 1)} to {f(b[2])}",
        f"{f(b[2] + 1)} to {f(b[3])}",
        f"{f(b[3] + 1)} to {f(b[4])}",
    )
    assert b[4] == 28845  # Hillsborough County, NH, the most
    for value, cls in zip(values, c.index):  # each label tells the truth about the values in its class
        low, high = (0 if cls == 0 else b[cls - 1] + 1), b[cls]
        assert low <= value <= high


@pytest.mark.filterwarnings("ignore:Not enough unique values:UserWarning")
def test_whole_number_breaks_never_repeat_a_label(us_adv):
    """Delaware's three counties: 1, 0 and 2 fishing establishments; breaks at 0.67 and 1.33 read "1 to 1" before."""
    t = pd.DataFrame({"region_id": ["10001", "10003", "10005"], "estabs": [1.0, 0.0, 2.0]})
    c = maps.classify(t, maps.industry_measures(2016)["estabs"])
    assert c.labels == ("0", "1", "2")
    assert list(c.index) == [1, 0, 2]
    # every state's counties, advanced manufacturing establishments 2016
    estabs = maps.industry_measures(2016)["estabs"]
    floored = 0
    for state, t in us_adv.groupby(us_adv["region_id"].str[:2]):
        known = t["estabs"].dropna().to_numpy()
        if len(np.unique(known)) < 2:
            continue
        raw = mapclassify.Quantiles(known, k=min(5, len(np.unique(known)))).bins
        floored += len(np.unique(np.floor(raw))) < len(raw)  # breaks that would have read "n to n"
        c = maps.classify(t, estabs)
        assert len(set(c.labels)) == len(c.labels), (state, c.labels)
        assert all(" to " not in label or label.split(" to ")[0] != label.split(" to ")[1] for label in c.labels)
    assert floored > 0


def test_fractional_counts_keep_their_breaks(us_adv):
    """Measures of kind "count" that are not whole numbers keep mapclassify's breaks as they are."""
    # the high ends of suppressed advanced manufacturing ranges carry the half-job rounding allowance:
    # Bibb County, AL 77.5; Blount 1,198.5; Cherokee 977.5; Chilton 1,501.5; Clay 514.5; Coffee 1,641.5
    t = _pick(us_adv, ["01007", "01009", "01019", "01021", "01027", "01031"])
    t["employment_estimate"] = t["emp_high"]  # a view of the high ends
    values = t["employment_estimate"].to_numpy()
    assert t["employment"].isna().all() and (np.mod(values, 1) == 0.5).all()
    c = maps.classify(t, EMP)
    oracle = mapclassify.Quantiles(values, k=5)
    assert list(c.index) == list(oracle.yb)
    assert any(x != np.floor(x) for x in oracle.bins[:-1])


def test_quintiles_on_real_data_split_the_view(in_counties):
    t = map_data.industry_table(in_counties, "62")  # health care: disclosed in nearly every county
    exact = t["employment"].notna()
    assert exact.sum() >= 40
    c = maps.classify(t[exact], EMP)
    counts = c.index.value_counts()
    assert len(counts) == 5 and counts.max() - counts.min() <= 2


def test_few_distinct_values():
    # Delaware's three counties, oil and gas extraction (NAICS 211) 2016: a published 0 in each
    one = map_data.industry_table(map_data.view_regions("county", "10"), "211", 2016)
    assert len(one) == 3 and list(one["employment"]) == [0.0, 0.0, 0.0]
    c = maps.classify(one, EMP)
    assert list(c.index) == [0, 0, 0] and len(c.colors) == 1 and c.labels == ("0",)
    # Iowa's 99 counties, unclassified establishments (NAICS 99): 0 in 98, 3 in one
    two = map_data.industry_table(map_data.view_regions("county", "19"), "99", 2016)
    assert sorted(set(two["employment"])) == [0.0, 3.0] and (two["suppressed_areas"] == 0).all()
    c = maps.classify(two, EMP)
    assert list(c.index) == [int(v == 3.0) for v in two["employment"]] and len(c.colors) == 2
    assert c.labels == ("0", "1 to 3")


def test_suppressed_employment_range_in_quintiles(in_table):
    # Indiana counties, advanced manufacturing 2016: published counts and suppressed ranges together
    t = in_table
    c = maps.classify(t, EMP)
    published = t["employment"].notna() & (t["suppressed_areas"] == 0)
    assert (c.status[published] == "published").all()
    # independent oracle: mapclassify's quintiles of the figures (the estimate where cells are suppressed),
    # floored as counts are whole numbers
    values = t["employment"].where(published).fillna(t["employment_estimate"])
    bins = np.unique(np.floor(mapclassify.Quantiles(values.to_numpy(), k=5).bins))
    assert len(bins) == 5

    def cls(x):
        return np.minimum(np.searchsorted(bins, x, side="left"), 4)

    assert list(c.index[published]) == list(cls(t.loc[published, "employment"]))
    ranged = ~published
    lo, hi, est = (
        cls(t.loc[ranged, "emp_low"]),
        cls(t.loc[ranged, "emp_high"]),
        cls(t.loc[ranged, "employment_estimate"]),
    )
    assert list(c.status[ranged]) == list(np.where(lo == hi, "determined", "likely"))
    assert list(c.index[ranged]) == list(np.where(lo == hi, lo, est))
    by_id = dict(zip(t["region_id"], zip(c.index, c.status)))
    assert by_id["18019"] == (4, "determined")  # Clark County, IN: 5,210 to 5,701, inside the top class
    assert by_id["18025"] == (0, "likely")  # Crawford County, IN: 0 to 776, estimate 290
    # without estimates a range spanning classes takes its low end's class
    bare = maps.classify(t.drop(columns="employment_estimate"), EMP)
    crawford = int(np.flatnonzero(t["region_id"] == "18025")[0])
    assert (bare.index.iloc[crawford], bare.status.iloc[crawford]) == (0, "at least")
    assert len(set(c.index)) == 5


def test_growth_bins_diverge_around_zero():
    g = maps.industry_measures(2016)["growth"]
    # published one-year changes exactly on the breaks, 2016: Beauregard Parish, LA, agriculture (NAICS 11) -5%;
    # Ramsey County, MN, paper (322) -1%; West Baton Rouge Parish, LA, food & beverage manufacturing 0%;
    # Polk County, IA, furniture (337) +1%; Uintah County, UT, agriculture (11) +5%
    t = _county_rows(
        [("22011", "11"), ("27123", "322"), ("22121", "food-beverage-manufacturing"), ("19153", "337"), ("49047", "11")]
    )
    assert list(t["growth"]) == [-0.05, -0.01, 0.0, 0.01, 0.05]
    assert (t["suppressed_areas"] == 0).all() and (t["growth_low"] == t["growth_high"]).all()
    c = maps.classify(t, g)
    assert list(c.status) == ["published"] * 5
    # upper bounds are inclusive: -5.0% is "up to -5.0%", +1.0% is in "-1.0% to +1.0%"
    assert list(c.index) == [0, 1, 2, 2, 3]
    assert c.labels == ("up to -5.0%", "-5.0% to -1.0%", "-1.0% to +1.0%", "+1.0% to +5.0%", "above +5.0%")


def test_classify_real_indiana_lq(in_table):
    c = maps.classify(in_table, LQ)
    exact = in_table["lq"].notna()
    # exact values: the class is the first fixed bin whose upper bound reaches the value
    expected = np.searchsorted([0.5, 0.8, 1.25, 2.0], in_table.loc[exact, "lq"], side="left")
    assert list(c.index[exact]) == list(expected)
    assert (c.status[exact] == "published").all()
    ranged = ~exact & in_table["lq_low"].notna()
    assert ranged.sum() > 0
    cut = [0.5, 0.8, 1.25, 2.0]
    lo_class = np.searchsorted(cut, in_table.loc[ranged, "lq_low"], side="left")
    hi_class = np.searchsorted(cut, in_table.loc[ranged, "lq_high"], side="left")
    est_class = np.searchsorted(cut, in_table.loc[ranged, "lq_estimate"], side="left")
    # a range inside one class is that class (determined); one spanning classes takes the estimate's (likely)
    assert list(c.index[ranged]) == list(np.where(lo_class == hi_class, lo_class, est_class))
    assert list(c.status[ranged]) == list(np.where(lo_class == hi_class, "determined", "likely"))
    assert (c.index >= 0).all()  # every Indiana county has 2016 data


# -- value_text -------------------------------------------------------------------------------------


def test_value_text_exact_and_ranges(us_adv):
    t = us_adv.set_index("region_id")
    assert maps.value_text(t.loc["01073"], LQ) == "0.84"  # Jefferson County, AL: published LQ 0.8393
    # Baldwin County, AL: suppressed, LQ 0.5118 to 0.5171, estimate 0.5138
    assert maps.value_text(t.loc["01003"], LQ) == "0.51 to 0.52, estimate 0.51 (suppressed)"
    assert maps.value_text(t.loc["01003"].drop("lq_estimate"), LQ) == "0.51 to 0.52 (suppressed)"
    # Indiana Economic Growth Region 2: 3 of its 5 counties suppressed, 79,604 to 82,237.5 jobs, estimate 81,118
    egr = map_data.industry_table((resolve_region("in-egr", "2"),), ADV, 2016).iloc[0]
    assert (egr["emp_low"], egr["emp_high"], egr["employment_estimate"]) == (79604.0, 82237.5, 81118.0)
    assert maps.value_text(egr.drop("employment_estimate"), EMP) == "79,604 to 82,238 (3 of 5 counties suppressed)"
    assert maps.value_text(egr, EMP) == "79,604 to 82,238, estimate 81,118 (3 of 5 counties suppressed)"
    # pay of the disclosed cells alone is not the region's pay: range and estimate instead
    pay = maps.industry_measures(2016)["avg_annual_pay"]
    # Autauga County, AL: disclosed cells pay $45,412; the county's pay $20,893 to $138,783, estimate $52,776
    assert t.loc["01001", "avg_annual_pay"] == pytest.approx(45412.26, abs=0.01)
    assert maps.value_text(t.loc["01001"], pay) == "$20,893 to $138,783, estimate $52,776 (suppressed)"
    # Burke County, GA: no disclosed pay, at least $3,707, estimate $42,755
    assert np.isposinf(t.loc["13033", "pay_high"])
    assert maps.value_text(t.loc["13033"], pay) == "at least $3,707, estimate $42,755 (suppressed)"


def test_value_text_missing_is_na_never_zero(us_adv):
    t = us_adv.set_index("region_id")
    # Chugach Census Area, AK: no 2016 rows
    assert maps.value_text(t.loc["02063"], LQ) == "n/a"
    assert maps.value_text(t.loc["02063"], maps.industry_measures(2016)["estabs"]) == "n/a"
    # Choctaw County, AL: a published 0 jobs in advanced manufacturing stays a zero
    assert (t.loc["01023", "employment"], t.loc["01023", "suppressed_areas"]) == (0.0, 0.0)
    assert maps.value_text(t.loc["01023"], EMP) == "0"


def test_value_text_on_real_rows(in_table):
    t = in_table.set_index("region_id")
    assert maps.value_text(t.loc["18097"], LQ) == formatting.ratio(t.loc["18097", "lq"])
    sup = t[t["suppressed_areas"] > 0].iloc[0]
    text = maps.value_text(sup, LQ)
    assert text == (
        f"{formatting.ratio(sup['lq_low'])} to {formatting.ratio(sup['lq_high'])}, "
        f"estimate {formatting.ratio(sup['lq_estimate'])} (suppressed)"
    )
    growth = maps.industry_measures(2016)["growth"]
    assert maps.value_text(t.loc["18097"], growth) == formatting.change(t.loc["18097", "growth"])


# -- fills -------------------------------------------------------------------------------------------


def test_fills_follow_classes(in_table):
    classes = maps.classify(in_table, LQ)
    fill_of = maps.fills(in_table, classes)
    assert set(fill_of) == set(in_table["region_id"])
    marion_class = int(classes.index[in_table["region_id"] == "18097"].iloc[0])
    assert fill_of["18097"] == (maps.DIVERGING5[marion_class], 0.85)


# -- bivariate fills ----------------------------------------------------------------------------------


def test_bivariate_fills():
    # Bartholomew County, IN (a1) and Adams County, IN (c3); Adjuntas and Aguada, PR: no poverty figures, no class
    view = tuple(resolve_region("county", f) for f in ("18005", "18001", "72001", "72003"))
    table = map_data.workforce_table(view)
    cuts = map_data.national_terciles()
    classes = map_data.bivariate_classes(
        table["low_skill_share"],
        table["below_150pct_poverty_share"],
        cuts["low_skill_share"],
        cuts["below_150pct_poverty_share"],
    )
    assert list(classes.iloc[:2]) == ["a1", "c3"] and classes.iloc[2:].isna().all()
    fills = maps.bivariate_fills(table, classes)
    assert fills["18005"] == (maps.BIVARIATE["a1"], 0.85)
    assert fills["18001"] == (maps.BIVARIATE["c3"], 0.85)
    assert fills["72001"] == (maps.NO_DATA, 0.85) and fills["72003"] == (maps.NO_DATA, 0.85)
    assert len(set(maps.BIVARIATE.values())) == 9


def test_bivariate_fills_for_indiana_counties(in_counties):
    table = map_data.workforce_table(in_counties)
    cuts = map_data.national_terciles()
    classes = map_data.bivariate_classes(
        table["low_skill_share"],
        table["below_150pct_poverty_share"],
        cuts["low_skill_share"],
        cuts["below_150pct_poverty_share"],
    )
    fills = maps.bivariate_fills(table, classes)
    assert len(fills) == 92
    assert all(color in maps.BIVARIATE.values() for color, _ in fills.values())  # every county has both shares


def test_legend_swatches_match_the_fills_and_tell_palest_from_no_data():
    """Kentucky's counties, health care LQ: every swatch is a fill the map shows (its colour at its opacity on
    the white ground); the palest swatch is a faded class colour, far from the neutral "no data" grey."""
    from dashboard.maps import data as map_data

    table = map_data.industry_table(map_data.view_regions("county", "21"), "healthcare", None)
    measure = maps.industry_measures(int(table["year"].iloc[0]))["lq"]
    c = maps.classify(table, measure)
    legend = dict((label, color) for color, label in c.legend())
    swatches = [legend[label] for label in c.labels]
    assert swatches == [maps.on_white(x, maps.OPACITY["published"]) for x in c.colors]
    published = {maps.on_white(x, o) for x, o in maps.fills(table, c).values() if o == maps.OPACITY["published"]}
    assert published <= set(swatches) | {maps.on_white(maps.NO_DATA, 0.85)}
    palest = next(color for label, color in legend.items() if label.startswith("palest"))
    none = maps.on_white(maps.NO_DATA, 0.85)
    rgb = [[int(x[i : i + 2], 16) for i in (1, 3, 5)] for x in (palest, none)]
    assert sum(abs(a - b) for a, b in zip(*rgb)) > 60  # RGB 214 vs 217 could not be told apart
    assert len(set(rgb[0])) > 1  # a tint, not grey
