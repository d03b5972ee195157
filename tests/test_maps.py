"""Choropleth classes, fills and tooltip texts (the map that draws them: tests/test_map_layer.py)."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest

from dashboard import formatting, map_data, maps
from dashboard.workforce import INDICATORS

LQ = maps.industry_measures(2016)["lq"]
EMP = maps.industry_measures(2016)["employment"]


def _table(lq=(), lo=None, hi=None, ids=None):
    n = len(lq)
    return pd.DataFrame({
        "region_id": ids or [f"r{i}" for i in range(n)],
        "region_name": [f"Region {i}" for i in range(n)],
        "lq": list(lq),
        "lq_low": list(lo) if lo is not None else list(lq),
        "lq_high": list(hi) if hi is not None else list(lq),
    })


# -- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def in_counties():
    return map_data.view_regions("county", "18")


@pytest.fixture(scope="module")
def in_table(in_counties):
    return map_data.industry_table(in_counties, "advanced-manufacturing")


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

def test_lq_uses_fixed_bins():
    t = _table([0.3, 0.5, 0.51, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 40.0])
    c = maps.classify(t, LQ)
    # upper bounds are inclusive: 0.5 is "up to 0.50"
    assert list(c.index) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert (c.status == "published").all()
    assert c.labels == ("up to 0.50", "0.50 to 0.80", "0.80 to 1.25", "1.25 to 2.00", "above 2.00")
    assert c.colors == tuple(maps.DIVERGING5)
    assert c.legend() == list(zip(maps.DIVERGING5, c.labels))


def test_lq_bins_do_not_depend_on_the_view():
    a = maps.classify(_table([0.1, 0.2, 0.3]), LQ)
    b = maps.classify(_table([5.0, 6.0, 7.0]), LQ)
    assert a.labels == b.labels
    assert list(a.index) == [0, 0, 0] and list(b.index) == [4, 4, 4]


def test_suppressed_range_within_one_class_takes_that_class():
    t = _table([np.nan], [0.9], [1.1])
    c = maps.classify(t, LQ)
    assert c.index.iloc[0] == 2
    assert c.status.iloc[0] == "determined"
    # determined, likely and published regions are drawn distinctly
    assert c.fill(2, "determined") == (maps.DIVERGING5[2], maps.OPACITY["determined"])
    assert c.fill(2, "published")[1] > c.fill(2, "determined")[1] > c.fill(2, "likely")[1]
    legend = [label for _, label in c.legend()]
    assert maps.STATUS_LEGEND["determined"] in legend and maps.STATUS_LEGEND["likely"] not in legend


def test_range_spanning_classes_takes_the_estimates_class_as_likely():
    t = _table([1.0, np.nan, np.nan], [1.0, 0.6, 0.0], [1.0, 1.5, 9.0]).assign(lq_estimate=[1.0, 0.7, 2.5])
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, 1, 4]
    assert list(c.status) == ["published", "likely", "likely"]
    fill, opacity = maps.fills(t, c)["r2"]
    assert fill == maps.DIVERGING5[4] and opacity == maps.OPACITY["likely"]
    assert maps.fills(t, c)["r0"] == (maps.DIVERGING5[2], maps.OPACITY["published"])
    labels = [label for _, label in c.legend()]
    assert maps.STATUS_LEGEND["likely"] in labels and maps.STATUS_LEGEND["published"] in labels


def test_suppressed_range_spanning_classes_takes_the_lower_bound_class():
    t = _table([1.0, np.nan, np.nan], [1.0, 0.6, 0.0], [1.0, 1.5, 9.0])
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, 1, 0]
    assert list(c.status) == ["published", "at least", "at least"]
    fill, opacity = maps.fills(t, c)["r1"]
    assert fill == maps.DIVERGING5[1] and opacity < 0.85  # drawn lighter
    legend = {label: color for color, label in c.legend()}
    assert any("at least" in label for label in legend)


def test_missing_values_have_no_class_and_a_no_data_entry():
    t = _table([1.0, np.nan, np.nan], [1.0, np.nan, 0.5], [1.0, np.nan, np.nan])
    c = maps.classify(t, LQ)
    assert list(c.index) == [2, -1, -1]
    assert list(c.status) == ["published", "none", "none"]
    assert c.legend()[-1] == (maps.NO_DATA, "no data")
    assert maps.fills(t, c)["r1"] == (maps.NO_DATA, 0.85)
    # without missing values there is no "no data" entry
    assert all(label != "no data" for _, label in maps.classify(_table([1.0]), LQ).legend())


def test_all_missing_view():
    t = _table([np.nan, np.nan], [np.nan, np.nan], [np.nan, np.nan])
    for measure in (LQ, EMP, maps.industry_measures(2016)["growth"]):
        tt = t.assign(employment=np.nan, emp_low=np.nan, emp_high=np.nan, growth=np.nan)
        c = maps.classify(tt, measure)
        assert (c.index == -1).all()
        assert (maps.NO_DATA, "no data") in c.legend()


def test_quintiles_for_unbinned_measures_match_mapclassify():
    values = np.array([3.0, 10, 25, 40, 41, 55, 70, 120, 900, 5000])
    t = pd.DataFrame({"region_id": list("abcdefghij"), "employment": values, "emp_low": values, "emp_high": values})
    c = maps.classify(t, EMP)
    # independent oracle: mapclassify's own assignment, two of ten values in each quintile
    oracle = mapclassify.Quantiles(values, k=5)
    assert list(c.index) == list(oracle.yb)
    assert c.index.value_counts().tolist() == [2] * 5
    assert c.colors == tuple(maps.SEQUENTIAL[5])
    # counts are whole numbers: a class runs from one above the previous (floored) break to its own
    b = [int(x) for x in np.floor(oracle.bins)]
    assert c.labels == (f"up to {b[0]}", f"{b[0] + 1} to {b[1]}", f"{b[1] + 1} to {b[2]}", f"{b[2] + 1} to {b[3]}",
                        f"{formatting.count(b[3] + 1)} to {formatting.count(b[4])}")
    assert b[4] == 5000
    for value, cls in zip(values, c.index):  # each label tells the truth about the values in its class
        low, high = (0 if cls == 0 else b[cls - 1] + 1), b[cls]
        assert low <= value <= high


def test_whole_number_breaks_never_repeat_a_label():
    """Delaware's three counties: 1, 0 and 2 fishing establishments; breaks at 0.67 and 1.33 read "1 to 1" before."""
    t = pd.DataFrame({"region_id": ["10001", "10003", "10005"], "estabs": [1.0, 0.0, 2.0]})
    c = maps.classify(t, maps.industry_measures(2016)["estabs"])
    assert c.labels == ("0", "1", "2")
    assert list(c.index) == [1, 0, 2]
    t = pd.DataFrame({"region_id": list("abcdef"), "estabs": [6.0, 12, 10, 57, 11, 9]})
    c = maps.classify(t, maps.industry_measures(2016)["estabs"])
    assert len(set(c.labels)) == len(c.labels)
    assert all(" to " not in label or label.split(" to ")[0] != label.split(" to ")[1] for label in c.labels)


def test_fractional_counts_keep_their_breaks():
    """Measures of kind "count" that are not whole numbers keep mapclassify's breaks as they are."""
    values = np.array([0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
    t = pd.DataFrame({"region_id": list("abcdef"), "employment": values, "emp_low": values, "emp_high": values})
    c = maps.classify(t, EMP)
    assert list(c.index) == list(mapclassify.Quantiles(values, k=5).yb)


def test_quintiles_on_real_data_split_the_view(in_counties):
    t = map_data.industry_table(in_counties, "62")  # health care: disclosed in nearly every county
    exact = t["employment"].notna()
    assert exact.sum() >= 40
    c = maps.classify(t[exact], EMP)
    counts = c.index.value_counts()
    assert len(counts) == 5 and counts.max() - counts.min() <= 2


def test_few_distinct_values():
    one = pd.DataFrame({"region_id": ["a", "b"], "employment": [5.0, 5.0], "emp_low": [5.0, 5.0], "emp_high": [5.0, 5.0]})
    c = maps.classify(one, EMP)
    assert list(c.index) == [0, 0] and len(c.colors) == 1 and c.labels == ("up to 5",)
    two = pd.DataFrame({"region_id": list("abcd"), "employment": [1.0, 2.0, 1.0, 2.0],
                        "emp_low": [1.0, 2.0, 1.0, 2.0], "emp_high": [1.0, 2.0, 1.0, 2.0]})
    c = maps.classify(two, EMP)
    assert list(c.index) == [0, 1, 0, 1] and len(c.colors) == 2


def test_suppressed_employment_range_in_quintiles():
    exact = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    emp = exact + [np.nan, np.nan]
    lo = exact + [61.0, 11.0]
    hi = exact + [62.0, 95.0]
    ids = [f"e{int(v)}" for v in exact] + ["narrow", "wide"]
    t = pd.DataFrame({"region_id": ids, "employment": emp, "emp_low": lo, "emp_high": hi})
    c = maps.classify(t, EMP)
    idx = dict(zip(ids, c.index))
    status = dict(zip(ids, c.status))
    assert idx["narrow"] == idx["e70"] != idx["e50"] and status["narrow"] == "determined"  # 61..62 sits in one class
    assert idx["wide"] == idx["e10"] == 0 and status["wide"] == "at least"  # 11..95 spans classes: the lower bound's class
    assert all(status[i] == "published" for i in ids[:10])
    assert len(set(c.index)) == 5


def test_growth_bins_diverge_around_zero():
    g = maps.industry_measures(2016)["growth"]
    t = pd.DataFrame({"region_id": list("abcde"), "growth": [-0.2, -0.03, 0.0, 0.03, 0.2]})
    c = maps.classify(t, g)
    assert list(c.index) == [0, 1, 2, 3, 4]
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

def test_value_text_exact_and_ranges():
    row = pd.Series({"lq": 1.23456, "lq_low": 1.23456, "lq_high": 1.23456, "suppressed_areas": 0, "areas": 3})
    assert maps.value_text(row, LQ) == "1.23"
    row = pd.Series({"lq": np.nan, "lq_low": 1.1, "lq_high": 1.42, "suppressed_areas": 1, "areas": 1})
    assert maps.value_text(row, LQ) == "1.10 to 1.42 (suppressed)"
    row = pd.Series({"employment": np.nan, "emp_low": 1200.0, "emp_high": 5400.0, "suppressed_areas": 3, "areas": 5})
    assert maps.value_text(row, EMP) == "1,200 to 5,400 (3 of 5 counties suppressed)"
    row["employment_estimate"] = 2345.0
    assert maps.value_text(row, EMP) == "1,200 to 5,400, estimate 2,345 (3 of 5 counties suppressed)"
    # pay of the disclosed cells alone is not the region's pay: range and estimate instead
    pay = maps.industry_measures(2016)["avg_annual_pay"]
    row = pd.Series({"avg_annual_pay": 51000.0, "pay_low": 48000.0, "pay_high": 56000.0, "pay_estimate": 52500.0,
                     "suppressed_areas": 1, "areas": 1})
    assert maps.value_text(row, pay) == "$48,000 to $56,000, estimate $52,500 (suppressed)"
    row = pd.Series({"avg_annual_pay": np.nan, "pay_low": 48000.0, "pay_high": np.inf, "pay_estimate": 52500.0,
                     "suppressed_areas": 1, "areas": 1})
    assert maps.value_text(row, pay) == "at least $48,000, estimate $52,500 (suppressed)"


def test_value_text_missing_is_na_never_zero():
    row = pd.Series({"lq": np.nan, "lq_low": np.nan, "lq_high": np.nan, "suppressed_areas": np.nan, "areas": np.nan})
    assert maps.value_text(row, LQ) == "n/a"
    row = pd.Series({"estabs": None, "suppressed_areas": 2, "areas": 4})
    assert maps.value_text(row, maps.industry_measures(2016)["estabs"]) == "n/a"  # no range, no suppression note
    row = pd.Series({"employment": 0.0, "emp_low": 0.0, "emp_high": 0.0, "suppressed_areas": 0, "areas": 1})
    assert maps.value_text(row, EMP) == "0"  # a published zero stays a zero


def test_value_text_on_real_rows(in_table):
    t = in_table.set_index("region_id")
    assert maps.value_text(t.loc["18097"], LQ) == formatting.ratio(t.loc["18097", "lq"])
    sup = t[t["suppressed_areas"] > 0].iloc[0]
    text = maps.value_text(sup, LQ)
    assert text == (f"{formatting.ratio(sup['lq_low'])} to {formatting.ratio(sup['lq_high'])}, "
                    f"estimate {formatting.ratio(sup['lq_estimate'])} (suppressed)")
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
    t = pd.DataFrame({"region_id": ["a", "b", "c", "d"]})
    classes = pd.Series(["a1", "c3", None, np.nan])
    fills = maps.bivariate_fills(t, classes)
    assert fills["a"] == (maps.BIVARIATE["a1"], 0.85)
    assert fills["b"] == (maps.BIVARIATE["c3"], 0.85)
    assert fills["c"] == (maps.NO_DATA, 0.85) and fills["d"] == (maps.NO_DATA, 0.85)
    assert len(set(maps.BIVARIATE.values())) == 9


def test_bivariate_fills_for_indiana_counties(in_counties):
    table = map_data.workforce_table(in_counties)
    cuts = map_data.national_terciles()
    classes = map_data.bivariate_classes(table["low_skill_share"], table["below_150pct_poverty_share"],
                                         cuts["low_skill_share"], cuts["below_150pct_poverty_share"])
    fills = maps.bivariate_fills(table, classes)
    assert len(fills) == 92
    assert all(color in maps.BIVARIATE.values() for color, _ in fills.values())  # every county has both shares
