"""What the pages show: ranked tables, number formats, comparisons, profile tables and charts."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import formatting, regions, seats, sectors, workforce
from dashboard.analysis.workforce import INDICATORS
from dashboard.data.catalogue import COMPARED_WORKFORCE
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data
from dashboard.report import charts, compare, profile, profile_tables, tables

NA = formatting.NA


IND_COLS = [
    "region_id",
    "region_name",
    "lq",
    "lq_low",
    "lq_high",
    "employment",
    "emp_low",
    "emp_high",
    "estabs",
    "avg_annual_pay",
    "growth",
    "us_growth",
    "suppressed_areas",
    "counties",
    "year",
]


def _ind(table, ids):
    """Real rows of an industry table re-laid to the columns the ranking reads without estimates
    (a range then ranks by its low end)."""
    return table.set_index("region_id").loc[list(ids)].reset_index()[IND_COLS]


#: Advanced manufacturing 2016, US counties:
HAND_IDS = [
    "17111",  # McHenry County, IL: published LQ 2.02, 11,059 jobs, pay $61,746, change -3.3%
    "01025",  # Clarke County, AL: suppressed, LQ 0.11 to 1.39 (straddles 1.00 and 1.25), 52 to 640 jobs
    "01073",  # Jefferson County, AL: published LQ 0.84
    "01001",  # Autauga County, AL: suppressed, LQ 1.12 to 2.44 (above 1.00, straddles 1.25)
    "02063",  # Chugach Census Area, AK: no 2016 rows at all
    "01119",  # Sumter County, AL: a published 0 jobs, 0 establishments, LQ 0.00, no pay, no change
    "01023",  # Choctaw County, AL: the same published zeros (a tie with Sumter)
    "01007",  # Bibb County, AL: suppressed, LQ 0.13 to 0.33 (wholly below 1.00)
]


@pytest.fixture(scope="module")
def us_adv():
    return map_data.industry_table(map_data.view_regions("county", map_data.US), "advanced-manufacturing", 2016)


@pytest.fixture(scope="module")
def hand(us_adv):
    return _ind(us_adv, HAND_IDS)


@pytest.fixture(scope="module")
def profiles():
    """Profiles of EGR 2 (five counties, most sectors suppressed) and Marion County."""
    return {
        rid: profile.region_profile(regions.resolve_region(scheme, rid))
        for scheme, rid in (("in-egr", "2"), ("county", "18097"))
    }


@pytest.fixture(scope="module")
def in_county_table():
    return map_data.industry_table(map_data.view_regions("county", "18"), "advanced-manufacturing")


# -- formatting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn,value,text",
    [
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
    ],
)
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


def test_lq_filter_yes_possibly_no(hand):
    meets = dict(zip(hand["region_id"], tables.lq_filter(hand, 1.0)))
    assert meets == {
        "17111": "yes",
        "01025": "possibly",
        "01073": "no",
        "01001": "yes",
        "02063": "no",
        "01119": "no",
        "01023": "no",
        "01007": "no",
    }


def test_lq_filter_boundaries(us_adv):
    # the filter set exactly at a real bound: Autauga County, AL's range low end (1.1220), Bibb County, AL's
    # range high end (0.3314) and Jefferson County, AL's published LQ (0.8393)
    t = _ind(us_adv, ["01001", "01007", "01073"])
    low, high, exact = t["lq_low"].iloc[0], t["lq_high"].iloc[1], t["lq"].iloc[2]
    assert pd.isna(t["lq"].iloc[0]) and pd.isna(t["lq"].iloc[1]) and 0 < t["lq_low"].iloc[1] < high < exact < low
    assert tables.lq_filter(t, low).iloc[0] == "yes"  # low bound equals the filter
    assert tables.lq_filter(t, high).iloc[1] == "possibly"  # high bound equals the filter
    assert tables.lq_filter(t, exact).iloc[2] == "yes"  # exact value equals the filter
    assert tables.lq_filter(t, np.nextafter(low, 9)).iloc[0] == "possibly"
    assert tables.lq_filter(t, np.nextafter(high, 9)).iloc[1] == "no"
    assert tables.lq_filter(t, np.nextafter(exact, 9)).iloc[2] == "no"


def test_ranked_industry_orders_by_lq_or_range_low(hand):
    r = tables.ranked_industry(hand, 0.0)
    # independent order: exact LQ, or the low end of the range; ties by name; no data last
    key = hand["lq"].fillna(hand["lq_low"])
    expected = sorted(
        hand.index, key=lambda i: (pd.isna(key[i]), -key[i] if pd.notna(key[i]) else 0, hand.loc[i, "region_name"])
    )
    assert list(r["region_id"]) == list(hand.loc[expected, "region_id"])
    # McHenry 2.02, Autauga from 1.12, Jefferson 0.84, Bibb from 0.13, Clarke from 0.11, Choctaw and Sumter at 0.00
    # (by name), Chugach without data
    assert list(r["region_id"]) == ["17111", "01001", "01073", "01007", "01025", "01023", "01119", "02063"]
    assert list(r.columns) == [
        "region_id",
        "region",
        "year",
        "lq",
        "lq_range",
        "employment",
        "employment_range",
        "establishments",
        "verdict",
        "avg_annual_pay",
        "avg_annual_pay_range",
        "one_year_change",
        "one_year_change_range",
        "us_one_year_change",
        "suppressed_counties",
        "counties",
        "meets_lq_filter",
    ] + [
        f"{c}_{e}"
        for c in ("lq", "employment", "avg_annual_pay", "one_year_change")
        for e in ("low", "estimate", "high")
    ]
    assert len(r) == len(hand)  # a zero filter keeps every region


def test_ranked_industry_filter_keeps_possibly_and_marks_it(hand):
    r = tables.ranked_industry(hand, 1.25).set_index("region_id")
    # McHenry 2.02 yes; Autauga 1.12..2.44 and Clarke 0.11..1.39 straddle 1.25; the rest dropped
    assert set(r.index) == {"17111", "01001", "01025"}
    assert r["meets_lq_filter"].to_dict() == {"17111": "yes", "01001": "possibly", "01025": "possibly"}
    assert list(r.index) == ["17111", "01001", "01025"]


def test_ranked_industry_texts_show_ranges_and_na_never_zero(hand):
    r = tables.ranked_industry(hand, 0.0).set_index("region_id")
    assert r.loc["01025", "lq_range"] == "0.11 to 1.39" and pd.isna(r.loc["01025", "lq"])
    assert r.loc["01025", "employment_range"] == "52 to 640" and pd.isna(r.loc["01025", "employment"])
    assert r.loc["17111", "lq_range"] == "" and r.loc["17111", "employment_range"] == ""
    assert r.loc["17111", "lq"] == 2.021
    # a region without data: ranges say n/a, numbers stay missing (not 0)
    assert r.loc["02063", "lq_range"] == NA and r.loc["02063", "employment_range"] == NA
    assert r.loc[["02063"], ["lq", "employment", "establishments", "avg_annual_pay"]].isna().all().all()
    # a published zero stays a number
    assert r.loc["01119", "employment"] == 0 and r.loc["01119", "employment_range"] == ""
    assert r.loc["01119", "establishments"] == 0 and r.loc["01119", "lq"] == 0
    assert r.loc["17111", "avg_annual_pay"] == 61746.0 and r.loc["17111", "one_year_change"] == -0.0334


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
    """Hawaii's counties by poverty rate: Kalawao County (no SAIPE estimate) last, never 0; Kauai and Maui
    (both 9.4%) in name order."""
    t = map_data.workforce_table(map_data.view_regions("county", "15"))
    m = maps.workforce_measures()["poverty_rate"]
    r = tables.ranked_workforce(t, m, "2023")
    known = t[t["poverty_rate"].notna()].sort_values(["poverty_rate", "region_name"], ascending=[False, True])
    assert list(r["region_id"]) == [*known["region_id"], "15005"]
    assert list(r.columns) == ["region_id", "region", "poverty_rate", "vintage", "counties_missing", "counties"]
    assert (r["vintage"] == "2023").all()
    assert list(r["counties_missing"]) == [0, 0, 0, 0, 1]
    assert pd.isna(r["poverty_rate"].iloc[-1]) and r["region"].iloc[-1] == "Kalawao County, HI"


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
    assert list(nonmetro.columns) == [
        "region_id",
        "region",
        map_data.NONMETRO,
        "vintage",
        "counties_missing",
        "counties",
    ]


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
            assert c["class"] in c["verdict"] or c["verdict"] == sectors.NOT_KNOWN
            assert cell.endswith(f"({c['verdict']})")
            if c["lq"] is not None:
                assert cell == f"{formatting.ratio(c['lq'])} ({c['verdict']})"
            else:
                low, high, est = (formatting.ratio(c[k]) for k in ("lq_low", "lq_high", "lq_estimate"))
                # a range whose ends read the same is that one number
                assert cell == (
                    f"{low} ({c['verdict']})" if low == high else f"{low} to {high}, estimate {est} ({c['verdict']})"
                )
    # Marion County advanced manufacturing: exact, its LQ from the map table rounds to the same text
    adv = frame.set_index("sector").loc["Advanced Manufacturing", "Marion County, IN"]
    lq = map_data.industry_table((regions.resolve_region("county", "18097"),), "advanced-manufacturing")["lq"].iloc[0]
    assert adv.startswith(f"{formatting.ratio(lq)} (")
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


def test_workforce_side_by_side_missing_is_na():
    """Kalawao County, HI: no poverty, unemployment or income estimates are published; those read n/a, never 0,
    beside the figures that are."""
    p = profile.region_profile(regions.resolve_region("county", "15005"))
    frame = compare.workforce_side_by_side([p]).set_index("indicator")["Kalawao County, HI"]
    for key in COMPARED_WORKFORCE:
        assert (frame[INDICATORS[key].label] == NA) == (p.workforce.get(key) is None), key
    assert (frame == NA).any() and (frame != NA).any()


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
            assert row[
                "lq_range"
            ] == f"{formatting.ratio(c['lq_low'])} to {formatting.ratio(c['lq_high'])}" and pd.isna(row["lq"])
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


def test_profile_note_for_missing_counties():
    """Hawaii: Kalawao County has no poverty estimate, so the state's rate is of its other four counties, and
    says so."""
    p = profile.region_profile(regions.resolve_region("state", "15"))
    t = profile_tables.workforce_table(p, {}, {}, "Hawaii").set_index("id")
    assert t.loc["poverty_rate", "note"] == "1 county without data left out"
    assert t.loc["low_skill_share", "note"] == ""
    assert t.loc["poverty_rate", "region"] == p.workforce["poverty_rate"] > 0


def test_seats_table_sorted_by_level(profiles):
    t = profile_tables.seats_table(profiles["2"])
    order = [seats.LEVELS.index(level) for level in t["level"]]
    assert order == sorted(order)
    assert set(t["id"]) == {r.id for r in seats.load_rules()}


# -- charts ------------------------------------------------------------------------------------------------

ESTIMATES = ("lq_estimate", "employment_estimate", "pay_estimate", "pay_ratio_estimate", "growth_estimate")


def _cand(profile_, name, without_estimates=False):
    """A real candidate sector of a profile; optionally re-laid without its labelled estimates."""
    c = next(c for c in profile_.candidate_sectors if c["name"] == name)
    return {**c, **dict.fromkeys(ESTIMATES)} if without_estimates else dict(c)


def test_candidate_points_real_candidates(profiles):
    egr = profiles["2"]
    # EGR 2, 2016: Construction published (LQ 0.671, 9,920 jobs, +5.28% against the US +4.02%); Food & Beverage
    # Manufacturing suppressed (LQ 0.871 to 1.408, 3,452 to 5,580 jobs), here without its estimates
    exact = _cand(egr, "Construction")
    ranged = _cand(egr, "Food & Beverage Manufacturing", without_estimates=True)
    assert (exact["lq"], exact["employment"], exact["growth"], exact["us_growth"]) == (0.671, 9920, 0.0528, 0.0402)
    assert ranged["lq"] is None and (ranged["lq_low"], ranged["lq_high"]) == (0.871, 1.408)
    assert (ranged["employment_low"], ranged["employment_high"]) == (3452, 5580) and ranged["growth"] is None
    # Aleutians East Borough, AK: advanced manufacturing a published 0 in both years, so no change figure
    no_growth = _cand(profile.region_profile(regions.resolve_region("county", "02013")), "Advanced Manufacturing")
    assert no_growth["lq"] == 0 and no_growth["growth"] is None and no_growth["growth_estimate"] is None
    assert no_growth["growth_low"] is None
    # Chugach Census Area, AK: no 2016 rows, so no LQ either (no region in the data has a change without an LQ)
    row = map_data.industry_table((regions.resolve_region("county", "02063"),), "advanced-manufacturing", 2016).iloc[0]
    keys = (
        "lq",
        "lq_low",
        "lq_high",
        "lq_estimate",
        "employment",
        "employment_low",
        "employment_high",
        "employment_estimate",
        "growth",
        "growth_low",
        "growth_high",
        "growth_estimate",
        "us_growth",
    )
    cols = dict(
        zip(
            keys,
            (
                "lq",
                "lq_low",
                "lq_high",
                "lq_estimate",
                "employment",
                "emp_low",
                "emp_high",
                "employment_estimate",
                "growth",
                "growth_low",
                "growth_high",
                "growth_estimate",
                "us_growth",
            ),
        )
    )
    no_lq = {
        "name": "Advanced Manufacturing in Chugach",
        "class": "undetermined",
        **{k: None if pd.isna(row[cols[k]]) else row[cols[k]] for k in keys},
    }
    assert all(no_lq[k] is None for k in keys)
    cands = [exact, ranged, no_growth, no_lq]
    pts = charts.candidate_points(cands).set_index("sector")
    assert list(pts.index) == ["Construction", "Food & Beverage Manufacturing"]
    assert pts.loc["Construction", "lq"] == 0.671 and pts.loc["Construction", "lq_high"] == 0.671
    assert pts.loc["Construction", "jobs"] == 9920
    # a range without an estimate: the point at its low end, the bar to its high end
    rng = pts.loc["Food & Beverage Manufacturing"]
    assert rng["lq"] == 0.871 and rng["lq_high"] == 1.408 and rng["jobs"] == 3452
    assert pts.loc["Construction", "growth_vs_us"] == pytest.approx(0.0528 - 0.0402)
    assert rng["growth_vs_us"] == pytest.approx(ranged["growth_low"] - ranged["us_growth"])
    assert rng["lq_text"] == "0.87 to 1.41" and rng["jobs_text"] == "3,452 to 5,580"
    assert pts.loc["Construction", "growth_text"] == "+5.3% (US +4.0%)"
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
        assert p["growth_vs_us"] == pytest.approx(
            (c["growth"] if c["growth"] is not None else c["growth_estimate"]) - c["us_growth"]
        )
        assert (
            p["lq_text"]
            == f"{formatting.ratio(c['lq_low'])} to {formatting.ratio(c['lq_high'])}, estimate {formatting.ratio(c['lq_estimate'])}"
        )


def test_sector_bubbles_spec(profiles):
    cands = profiles["2"].candidate_sectors
    chart = charts.sector_bubbles(cands, 2016)
    spec = chart.to_dict()
    json.dumps(spec)  # serialisable, no NaN objects
    data = next(d for d in spec["datasets"].values() if d and "sector" in d[0])
    assert len(data) == len(charts.candidate_points(cands))
    assert {d["sector"] for d in data} == {
        c["name"] for c in cands if c["growth"] is not None or c["growth_estimate"] is not None
    }
    marks = json.dumps(spec["layer"])
    assert all(f'"type": "{m}"' in marks for m in ("rule", "circle", "text"))  # range bars, bubbles, names
    assert charts.sector_bubbles([], 2016).to_dict()["layer"]


def test_workforce_rows_skip_missing_values():
    """Kalawao County, HI against Hawaii and the US: its poverty rate is not published, so that bar is left out
    (never drawn at 0) while the state's and the nation's stay."""
    labels = {"low_skill_share": "Low skill", "poverty_rate": "Poverty"}
    region = workforce.workforce_values(["15005"])
    state = seats.comparison_values(("15",))
    us = seats.us_values()
    assert region["poverty_rate"] is None and region["low_skill_share"] is not None
    rows = charts.workforce_rows(region, state, us, labels, "Hawaii")
    assert list(zip(rows["indicator"], rows["place"])) == [
        ("Low skill", "Region"),
        ("Low skill", "Hawaii"),
        ("Low skill", "US"),
        ("Poverty", "Hawaii"),
        ("Poverty", "US"),
    ]
    assert list(rows["value"]) == [
        region["low_skill_share"],
        state["low_skill_share"],
        us["low_skill_share"],
        state["poverty_rate"],
        us["poverty_rate"],
    ]
    assert charts.workforce_rows({}, {}, {}, labels, "Hawaii").empty
    spec = charts.workforce_bars(rows).to_dict()
    assert spec["mark"]["type"] == "bar"


def test_ranked_industry_carries_each_region_s_verdict():
    """Kentucky's counties for health care: the ranked table's verdict is the one the region's profile gives."""
    from dashboard.analysis.regions import resolve_region
    from dashboard.maps import data as map_data
    from dashboard.report.profile import region_profile

    t = map_data.industry_table(map_data.view_regions("county", "21"), "healthcare", None)
    r = tables.ranked_industry(t).set_index("region_id")
    for fips in ("21095", "21111"):  # Harlan (suppressed cells), Jefferson
        c = region_profile(resolve_region("county", fips), sector_id="healthcare").candidate("healthcare")
        assert r.loc[fips, "verdict"] == c["verdict"]
    shown = tables.for_display(r.reset_index(), {"lq": "ratio"}, ranges={"lq": "lq_range"})
    assert "Verdict" in shown.columns
