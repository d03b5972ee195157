"""What the pages show: ranked tables, number formats, comparisons, profile tables and charts."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from dashboard import (
    charts,
    compare,
    formatting,
    map_data,
    maps,
    profile,
    profile_tables,
    regions,
    seats,
    tables,
    workforce,
)
from dashboard.catalogue import COMPARED_WORKFORCE
from dashboard.workforce import INDICATORS

NA = formatting.NA


def _ind(rows):
    """A hand-made industry table (columns of map_data.industry_table that the ranking reads)."""
    cols = ["region_id", "region_name", "lq", "lq_low", "lq_high", "employment", "emp_low", "emp_high", "estabs",
            "avg_annual_pay", "growth", "us_growth", "suppressed_areas", "counties"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols).assign(year=2016)


HAND = _ind([
    # id, name, lq, lo, hi, emp, emp_lo, emp_hi, estabs, pay, growth, us_growth, suppressed, counties
    ("a", "Alpha", 1.50, 1.50, 1.50, 900, 900, 900, 12, 51234.4, 0.031, 0.01, 0, 1),
    ("b", "Bravo", np.nan, 0.80, 1.60, np.nan, 400, 800, 9, 48000.0, -0.02, 0.01, 1, 2),
    ("c", "Charlie", 0.95, 0.95, 0.95, 300, 300, 300, 5, np.nan, np.nan, 0.01, 0, 1),
    ("d", "Delta", np.nan, 1.20, 2.00, np.nan, 700, 1100, 7, 50000.0, 0.0, 0.01, 2, 3),
    ("e", "Echo", np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 1),
    ("f", "Foxtrot", 1.50, 1.50, 1.50, 0, 0, 0, 0, np.nan, np.nan, 0.01, 0, 1),
    ("g", "Golf", np.nan, 0.40, 0.99, np.nan, 100, 250, 3, 40000.0, 0.01, 0.01, 1, 1),
])


@pytest.fixture(scope="module")
def profiles():
    """Profiles of EGR 2 (five counties, most sectors suppressed) and Marion County."""
    return {rid: profile.region_profile(regions.resolve_region(scheme, rid))
            for scheme, rid in (("in-egr", "2"), ("county", "18097"))}


@pytest.fixture(scope="module")
def in_county_table():
    return map_data.industry_table(map_data.view_regions("county", "18"), "advanced-manufacturing")


# -- formatting -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fn,value,text", [
    (formatting.share, 0.394, "39.4%"),
    (formatting.share, 0.0, "0.0%"),
    (formatting.share, 1, "100.0%"),
    (formatting.money, 52345.6, "$52,346"),
    (formatting.money, 0, "$0"),
    (formatting.count, 1234567, "1,234,567"),
    (formatting.count, np.int64(42), "42"),
    (formatting.count, 0, "0"),
    (formatting.ratio, 1.186086, "1.19"),
    (formatting.ratio, 0.5, "0.50"),
    (formatting.change, 0.021, "+2.1%"),
    (formatting.change, -0.0353, "-3.5%"),
    (formatting.change, 0.0, "0.0%"),
    (formatting.change, -0.0004, "0.0%"),  # rounds to zero: no "-0.0%"
    (formatting.change, 0.0004, "0.0%"),
    (formatting.change, -0.0005001, "-0.1%"),
])
def test_format_examples(fn, value, text):
    assert fn(value) == text


@pytest.mark.parametrize("missing", [None, np.nan, float("nan"), pd.NA, pd.NaT, np.float32("nan"), "n/a", "", "abc"])
@pytest.mark.parametrize("kind", list(formatting.FORMATS))
def test_missing_is_na_never_zero(kind, missing):
    assert formatting.FORMATS[kind](missing) == NA


def test_value_or_range():
    assert formatting.value_or_range(1.234, 1.0, 2.0, "ratio") == "1.23"  # the exact value wins
    assert formatting.value_or_range(None, 1.1, 1.42, "ratio") == "1.10 to 1.42"
    assert formatting.value_or_range(np.nan, 1200, 5400, "count") == "1,200 to 5,400"
    assert formatting.value_or_range(np.nan, 0.0, 300.0, "count") == "0 to 300"
    assert formatting.value_or_range(None, 1.1, None, "ratio") == NA
    assert formatting.value_or_range(None, None, None, "money") == NA
    assert formatting.value_or_range(0, None, None, "count") == "0"


# -- lq_filter and ranked_industry ----------------------------------------------------------------------

def test_lq_filter_yes_possibly_no():
    meets = dict(zip(HAND["region_id"], tables.lq_filter(HAND, 1.0)))
    assert meets == {"a": "yes", "b": "possibly", "c": "no", "d": "yes", "e": "no", "f": "yes", "g": "no"}


def test_lq_filter_boundaries():
    t = _ind([("x", "X", np.nan, 1.0, 1.3, np.nan, 1, 2, 1, 1, 0, 0, 1, 1),     # low bound equals the filter
              ("y", "Y", np.nan, 0.7, 1.0, np.nan, 1, 2, 1, 1, 0, 0, 1, 1),     # high bound equals the filter
              ("z", "Z", 1.0, 1.0, 1.0, 5, 5, 5, 1, 1, 0, 0, 0, 1)])            # exact value equals the filter
    assert list(tables.lq_filter(t, 1.0)) == ["yes", "possibly", "yes"]
    assert list(tables.lq_filter(t, 1.0000001)) == ["possibly", "no", "no"]


def test_ranked_industry_orders_by_lq_or_range_low():
    r = tables.ranked_industry(HAND, 0.0)
    # exact LQ, or the low end of the range; ties by name; no data last
    assert list(r["region_id"]) == ["a", "f", "d", "c", "b", "g", "e"]
    assert list(r.columns) == ["region_id", "region", "year", "lq", "lq_range", "employment", "employment_range", "establishments",
                               "avg_annual_pay", "avg_annual_pay_range", "one_year_change", "one_year_change_range",
                               "us_one_year_change", "suppressed_counties", "counties",
                               "meets_lq_filter"] + [f"{c}_{e}" for c in ("lq", "employment", "avg_annual_pay", "one_year_change")
                                                     for e in ("low", "estimate", "high")]
    assert len(r) == len(HAND)  # a zero filter keeps every region


def test_ranked_industry_filter_keeps_possibly_and_marks_it():
    r = tables.ranked_industry(HAND, 1.25).set_index("region_id")
    # a: 1.50 yes, f: 1.50 yes, d: 1.20..2.00 straddles, b: 0.80..1.60 straddles; c, g, e dropped
    assert set(r.index) == {"a", "f", "d", "b"}
    assert r["meets_lq_filter"].to_dict() == {"a": "yes", "f": "yes", "d": "possibly", "b": "possibly"}
    assert list(r.index) == ["a", "f", "d", "b"]


def test_ranked_industry_texts_show_ranges_and_na_never_zero():
    r = tables.ranked_industry(HAND, 0.0).set_index("region_id")
    assert r.loc["b", "lq_range"] == "0.80 to 1.60" and pd.isna(r.loc["b", "lq"])
    assert r.loc["b", "employment_range"] == "400 to 800" and pd.isna(r.loc["b", "employment"])
    assert r.loc["a", "lq_range"] == "" and r.loc["a", "employment_range"] == "" and r.loc["a", "lq"] == 1.5
    # a region without data: ranges say n/a, numbers stay missing (not 0)
    assert r.loc["e", "lq_range"] == NA and r.loc["e", "employment_range"] == NA
    assert r.loc[["e"], ["lq", "employment", "establishments", "avg_annual_pay"]].isna().all().all()
    # a published zero stays a number
    assert r.loc["f", "employment"] == 0 and r.loc["f", "employment_range"] == ""
    assert r.loc["a", "avg_annual_pay"] == 51234.0 and r.loc["a", "one_year_change"] == 0.031


def test_ranked_industry_on_indiana_counties(in_county_table):
    t = in_county_table
    r = tables.ranked_industry(t, 1.25)
    col = "meets_lq_filter"
    # independent membership: exact LQ >= 1.25, else a range whose high end reaches 1.25
    lq, lo, hi = t["lq"], t["lq_low"], t["lq_high"]
    yes = set(t.loc[(lq >= 1.25) | (lq.isna() & (lo >= 1.25)), "region_id"])
    maybe = set(t.loc[lq.isna() & (lo < 1.25) & (hi >= 1.25), "region_id"])
    assert set(r.loc[r[col] == "yes", "region_id"]) == yes
    assert set(r.loc[r[col] == "possibly", "region_id"]) == maybe
    assert len(r) == len(yes) + len(maybe) and maybe
    by_id = t.set_index("region_id")
    # a range ranks by the estimate inside it (a wide range lowers confidence, not rank)
    key = [by_id.loc[i, "lq"] if pd.notna(by_id.loc[i, "lq"]) else by_id.loc[i, "lq_estimate"] for i in r["region_id"]]
    assert key == sorted(key, reverse=True)
    assert (r["lq_low"] <= r["lq_estimate"]).all() and (r["lq_estimate"] <= r["lq_high"]).all()
    assert "18097" not in set(r["region_id"])  # Marion County: exact LQ 1.19, under the filter
    suppressed = r[r["suppressed_counties"] > 0]
    assert suppressed["lq"].isna().all() and (suppressed["lq_range"].str.contains(" to ")).all()


def test_ranked_industry_marion_lq_from_the_table(in_county_table):
    r = tables.ranked_industry(in_county_table, 0.0).set_index("region_id")
    assert r.loc["18097", "lq"] == round(in_county_table.set_index("region_id").loc["18097", "lq"], 3)
    assert r.loc["18097", "region"] == "Marion County, IN"
    assert r.loc["18097", "meets_lq_filter"] == "yes"


# -- ranked_workforce -------------------------------------------------------------------------------------

def test_ranked_workforce_highest_first_missing_last():
    t = pd.DataFrame({"region_id": list("abcd"), "region_name": ["A", "B", "C", "D"],
                      "poverty_rate": [0.10, np.nan, 0.30, 0.10], "poverty_rate_missing": [0, 1, 0, 2],
                      "counties": [1, 1, 1, 3]})
    m = maps.workforce_measures()["poverty_rate"]
    r = tables.ranked_workforce(t, m, "2023")
    assert list(r["region_id"]) == ["c", "a", "d", "b"]
    assert list(r.columns) == ["region_id", "region", "poverty_rate", "vintage", "counties_missing", "counties"]
    assert (r["vintage"] == "2023").all()
    assert list(r["counties_missing"]) == [0, 0, 2, 1]
    assert pd.isna(r["poverty_rate"].iloc[-1])


def test_ranked_workforce_on_indiana_egrs():
    view = map_data.view_regions("in-egr", "18")
    table = map_data.workforce_table(view)
    m = maps.workforce_measures()["low_skill_share"]
    r = tables.ranked_workforce(table, m, "2019-2023")
    expected = sorted(view, key=lambda reg: -workforce.workforce_values(reg.counties)["low_skill_share"])
    assert list(r["region_id"]) == [reg.id for reg in expected]
    assert r["low_skill_share"].is_monotonic_decreasing
    assert (r["counties_missing"] == 0).all()
    nonmetro = tables.ranked_workforce(table, maps.workforce_measures()[map_data.NONMETRO], "2023")
    assert list(nonmetro.columns) == ["region_id", "region", map_data.NONMETRO, "vintage", "counties_missing", "counties"]


# -- compare ---------------------------------------------------------------------------------------------

def test_sectors_side_by_side(profiles):
    egr, marion = profiles["2"], profiles["18097"]
    frame = compare.sectors_side_by_side([egr, marion])
    assert list(frame.columns) == ["sector", egr.region.name, "Marion County, IN"]
    assert list(frame["sector"]) == [c["name"] for c in egr.candidate_sectors]
    for _, row in frame.iterrows():
        for p in (egr, marion):
            c = next(c for c in p.candidate_sectors if c["name"] == row["sector"])
            cell = row[p.region.name]
            assert c["class"] in c["verdict"] and cell.endswith(f"({c['verdict']})")
            if c["lq"] is not None:
                assert cell == f"{c['lq']:.2f} ({c['verdict']})"
            else:
                assert cell == f"{c['lq_low']:.2f} to {c['lq_high']:.2f}, estimate {c['lq_estimate']:.2f} ({c['verdict']})"
    # Marion County advanced manufacturing: exact, its LQ from the map table rounds to the same text
    adv = frame.set_index("sector").loc["Advanced Manufacturing", "Marion County, IN"]
    lq = map_data.industry_table((regions.resolve_region("county", "18097"),), "advanced-manufacturing")["lq"].iloc[0]
    assert adv.startswith(f"{lq:.2f} (")
    # EGR 2 advanced manufacturing is suppressed in some counties: a range
    assert " to " in frame.set_index("sector").loc["Advanced Manufacturing", egr.region.name]


def test_workforce_side_by_side(profiles):
    egr, marion = profiles["2"], profiles["18097"]
    frame = compare.workforce_side_by_side([egr, marion])
    assert list(frame["indicator"]) == [INDICATORS[k].label for k in COMPARED_WORKFORCE]
    values = workforce.workforce_values(regions.resolve_region("county", "18097").counties)
    by_label = frame.set_index("indicator")["Marion County, IN"]
    assert by_label[INDICATORS["low_skill_share"].label] == f"{values['low_skill_share'] * 100:.1f}%"
    assert by_label[INDICATORS["population"].label] == f"{values['population']:,}"
    assert by_label[INDICATORS["median_household_income"].label] == f"${values['median_household_income']:,}"


def test_workforce_side_by_side_missing_is_na(profiles):
    p = dataclasses.replace(profiles["2"], region=regions.Region("custom", "x", "Nowhere", ()),
                            workforce={k: None for k in COMPARED_WORKFORCE})
    frame = compare.workforce_side_by_side([p])
    assert (frame["Nowhere"] == NA).all()


def test_seats_side_by_side(profiles):
    egr, marion = profiles["2"], profiles["18097"]
    frame = compare.seats_side_by_side([egr, marion])
    assert list(frame["seat"]) == [s["name"] for s in egr.seats]
    levels = {s["name"]: s["level"] for s in marion.seats}
    assert list(frame["Marion County, IN"]) == [levels[s] for s in frame["seat"]]
    assert set(frame[egr.region.name]) <= set(seats.LEVELS)


def test_same_names_get_their_ids(profiles):
    def fake(rid):
        return dataclasses.replace(profiles["2"], region=regions.Region("custom", rid, "Twin", ()))
    frame = compare.workforce_side_by_side([fake("1"), fake("2")])
    assert list(frame.columns) == ["indicator", "Twin (1)", "Twin (2)"]
    assert compare.sectors_side_by_side([]).empty


# -- profile tables --------------------------------------------------------------------------------------

def test_candidates_table(profiles):
    egr = profiles["2"]
    t = profile_tables.candidates_table(egr)
    assert list(t["rank"]) == list(range(1, len(egr.candidate_sectors) + 1))
    assert list(t["sector"]) == [c["name"] for c in egr.candidate_sectors]
    for (_, row), c in zip(t.iterrows(), egr.candidate_sectors):
        if c["lq"] is None:
            assert row["lq_range"] == f"{c['lq_low']:.2f} to {c['lq_high']:.2f}" and pd.isna(row["lq"])
            assert row["jobs_range"] == f"{c['employment_low']:,} to {c['employment_high']:,}"
        else:
            assert row["lq_range"] == "" and row["lq"] == c["lq"]
            assert row["jobs_range"] == "" and row["jobs"] == c["employment"]
    assert (t["lq_range"] != "").any() and (t["lq_range"] == "").any()  # EGR 2 has both kinds
    # Marion County advanced manufacturing has no suppressed cell (see test_map_data): an exact LQ
    marion = profile_tables.candidates_table(profiles["18097"]).set_index("sector").loc["Advanced Manufacturing"]
    assert marion["lq_range"] == "" and marion["jobs_range"] == "" and marion["lq"] > 1


def test_profile_workforce_table(profiles):
    egr = profiles["2"]
    region = regions.resolve_region("in-egr", "2")
    state, us = seats.comparison_values(region.states), seats.us_values()
    t = profile_tables.workforce_table(egr, state, us, "Indiana").set_index("id")
    assert list(t.index) == list(COMPARED_WORKFORCE)
    values = workforce.workforce_values(region.counties)
    assert t.loc["low_skill_share", "region"] == round(values["low_skill_share"], 4)
    assert t.loc["low_skill_share", "Indiana"] == state["low_skill_share"]
    assert t.loc["population", "US"] == us["population"]
    assert t.loc["median_household_income", "note"] == "household-weighted mean of county medians (approximation)"
    assert t.loc["low_skill_share", "note"] == ""
    # a single county's median needs no approximation note
    m = profile_tables.workforce_table(profiles["18097"], state, us, "Indiana").set_index("id")
    assert m.loc["median_household_income", "note"] == ""


def test_profile_note_for_missing_counties(profiles):
    p = dataclasses.replace(profiles["2"], workforce={},
                            workforce_notes={"poverty_rate": {"counties_missing": 2, "approximation": False}})
    t = profile_tables.workforce_table(p, {}, {}, "Somewhere").set_index("id")
    assert t.loc["poverty_rate", "note"] == "2 counties without data left out"
    assert t["region"].isna().all()  # missing, never 0


def test_seats_table_sorted_by_level(profiles):
    t = profile_tables.seats_table(profiles["2"])
    order = [seats.LEVELS.index(level) for level in t["level"]]
    assert order == sorted(order)
    assert set(t["id"]) == {r.id for r in seats.load_rules()}


# -- charts ------------------------------------------------------------------------------------------------

def _cand(name, lq, lo, hi, emp, emp_lo, emp_hi, growth, us_growth, cls="emerging", **estimates):
    return {"name": name, "class": cls, "lq": lq, "lq_low": lo, "lq_high": hi, "employment": emp,
            "employment_low": emp_lo, "employment_high": emp_hi, "growth": growth, "us_growth": us_growth, **estimates}


def test_candidate_points_hand_made():
    cands = [
        _cand("Exact", 1.4, 1.4, 1.4, 500, 500, 500, 0.05, 0.02),
        _cand("Range", None, 0.8, 1.9, None, 300, 700, -0.01, 0.02, "undetermined"),
        _cand("No growth", 1.0, 1.0, 1.0, 50, 50, 50, None, 0.02),
        _cand("No LQ", None, None, None, None, None, None, 0.01, 0.02),
    ]
    pts = charts.candidate_points(cands).set_index("sector")
    assert list(pts.index) == ["Exact", "Range"]
    assert pts.loc["Exact", "lq"] == 1.4 and pts.loc["Exact", "lq_high"] == 1.4 and pts.loc["Exact", "jobs"] == 500
    # a range without an estimate: the point at its low end, the bar to its high end
    assert pts.loc["Range", "lq"] == 0.8 and pts.loc["Range", "lq_high"] == 1.9 and pts.loc["Range", "jobs"] == 300
    assert pts.loc["Exact", "growth_vs_us"] == pytest.approx(0.03)
    assert pts.loc["Range", "growth_vs_us"] == pytest.approx(-0.03)
    assert pts.loc["Range", "lq_text"] == "0.80 to 1.90" and pts.loc["Range", "jobs_text"] == "300 to 700"
    assert pts.loc["Exact", "growth_text"] == "+5.0% (US +2.0%)"
    assert charts.candidate_points([]).empty


def test_candidate_points_place_a_suppressed_sector_at_its_estimate(profiles):
    """EGR 2: most sectors suppressed. Each sits at its labelled estimate, its bar spans the range, and its
    tooltip says the range and the estimate; none is left off for want of a published growth figure."""
    cands = profiles["2"].candidate_sectors
    pts = charts.candidate_points(cands).set_index("sector")
    ranged = [c for c in cands if c["lq"] is None and c["lq_estimate"] is not None and c["growth_estimate"] is not None]
    assert ranged
    for c in ranged:
        p = pts.loc[c["name"]]
        assert p["lq"] == c["lq_estimate"] and p["lq_low"] == c["lq_low"] and p["lq_high"] == c["lq_high"]
        assert p["jobs"] == c["employment_estimate"]
        assert p["growth_vs_us"] == pytest.approx((c["growth"] if c["growth"] is not None else c["growth_estimate"])
                                                  - c["us_growth"])
        assert p["lq_text"] == f"{c['lq_low']:.2f} to {c['lq_high']:.2f}, estimate {c['lq_estimate']:.2f}"


def test_sector_bubbles_spec(profiles):
    cands = profiles["2"].candidate_sectors
    chart = charts.sector_bubbles(cands, 2016)
    spec = chart.to_dict()
    json.dumps(spec)  # serialisable, no NaN objects
    data = next(d for d in spec["datasets"].values() if d and "sector" in d[0])
    assert len(data) == len(charts.candidate_points(cands))
    assert {d["sector"] for d in data} == {c["name"] for c in cands
                                           if c["growth"] is not None or c["growth_estimate"] is not None}
    marks = json.dumps(spec["layer"])
    assert all(f'"type": "{m}"' in marks for m in ("rule", "circle", "text"))  # range bars, bubbles, names
    assert charts.sector_bubbles([], 2016).to_dict()["layer"]


def test_workforce_rows_skip_missing_values():
    labels = {"low_skill_share": "Low skill", "poverty_rate": "Poverty"}
    rows = charts.workforce_rows({"low_skill_share": 0.4, "poverty_rate": None}, {"low_skill_share": 0.35},
                                 {"low_skill_share": 0.37, "poverty_rate": 0.12}, labels, "Indiana")
    assert list(zip(rows["indicator"], rows["place"])) == [("Low skill", "Region"), ("Low skill", "Indiana"),
                                                           ("Low skill", "US"), ("Poverty", "US")]
    assert (rows["value"] > 0).all()
    assert charts.workforce_rows({}, {}, {}, labels, "Indiana").empty
    spec = charts.workforce_bars(rows).to_dict()
    assert spec["mark"]["type"] == "bar"
