"""Seat rules engine, on the committed real data.

Regions used (county FIPS unless noted):
  48427 Starr County, TX          low-skill, low-income, limited English, border county
  18057 Hamilton County, IN       affluent, well-educated suburb of Indianapolis
  18097 Marion County, IN         Indianapolis
  18089 Lake County, IN           limited English above Indiana but under the 2% floor
  12086 Miami-Dade County, FL     high limited-English share
  36005 Bronx County, NY          many households without a vehicle
  36061 New York County, NY       most households without a vehicle
  06037 Los Angeles County, CA    big county, many small hospitality establishments
  48141 El Paso County, TX        most, not all, of its commuting zone
  15005 Kalawao County, HI        no SAIPE or LAUS estimate (poverty, unemployment missing)
  09001 Fairfield County, CT      former county: no workforce row, no commuting zone
  cz 166                          the Marion County, IN commuting zone (Hamilton is in it)
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis import regions, seats, sectors, workforce
from dashboard.analysis.seats import RuleError
from dashboard.data import store

TRIGGERED = ("strongly recommended", "recommended")

#: Numerator and denominator columns of the workforce table, written out here
#: so that state and US values are recomputed independently of the package.
COLUMNS = {
    "below_150pct_poverty_share": (("pov150",), "pov150_universe"),
    "low_skill_share": (("less_than_hs", "hs_only"), "adults_25plus"),
    "no_vehicle_share": (("no_vehicle",), "no_vehicle_universe"),
    "child_poverty_rate": (("child_poverty_count",), "child_poverty_universe"),
    "limited_english_share": (("limited_english",), "limited_english_universe"),
    "disability_share": (("disability",), "disability_universe"),
    "unemployment_rate": (("unemployed",), "labor_force"),
    "poverty_rate": (("poverty_count",), "poverty_universe"),
    "youth_share": (("age17",), "age17_universe"),
}


def county(fips: str) -> regions.Region:
    return regions.resolve_region("county", fips)


def by_id(seat_list: list[dict]) -> dict[str, dict]:
    return {s["id"]: s for s in seat_list}


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def independent_share(rows: pd.DataFrame, indicator: str) -> float:
    """Sum of numerators over sum of denominators, counties missing any column left out."""
    num_cols, den_col = COLUMNS[indicator]
    use = rows.dropna(subset=[*num_cols, den_col])
    num = sum(float(use[c].astype("float64").sum()) for c in num_cols)
    return num / float(use[den_col].astype("float64").sum())


@pytest.fixture(scope="module")
def wf() -> pd.DataFrame:
    return store.load_table("workforce")


@pytest.fixture(scope="module")
def rules():
    return seats.load_rules()


# Evaluated once per module: (scheme, region id, sector or None) -> seats by id.
CASES = [
    ("county", "48427", None),
    ("county", "18057", None),
    ("county", "18057", "construction"),
    ("county", "18097", "healthcare"),
    ("county", "18097", "hospitality-tourism"),
    ("county", "18097", "advanced-manufacturing"),
    ("county", "18089", None),
    ("county", "12086", None),
    ("county", "36005", None),
    ("county", "36061", None),
    ("county", "06037", "hospitality-tourism"),
    ("county", "06037", "construction"),
    ("county", "48141", None),
    ("county", "15005", None),
    ("county", "09001", None),
    ("cz", "166", None),
]


@pytest.fixture(scope="module")
def evaluated() -> dict[tuple, dict[str, dict]]:
    measures_cache: dict[str, pd.DataFrame] = {}
    out = {}
    for scheme, rid, sector in CASES:
        region = regions.resolve_region(scheme, rid)
        row = None
        if sector is not None:
            if rid not in measures_cache:
                measures_cache[rid] = sectors.region_sector_measures(region)
            m = measures_cache[rid]
            row = m[m["group"] == sector].iloc[0]
        out[(scheme, rid, sector)] = by_id(seats.evaluate_seats(region, sector, sector_row=row))
    return out


def level(evaluated, scheme, rid, sector, seat_id) -> str:
    return evaluated[(scheme, rid, sector)][seat_id]["level"]


# ---- the Indiana test: low-skill, low-income adults ---------------------------


def test_starr_county_strongly_needs_human_services_and_literacy(evaluated):
    got = evaluated[("county", "48427", None)]
    assert got["human-services"]["level"] == "strongly recommended"
    assert got["adult-literacy"]["level"] == "strongly recommended"
    # the data behind it: far above both Texas and the nation
    for seat_id in ("human-services", "adult-literacy"):
        s = got[seat_id]
        assert s["value"] > 1.5 * s["state_value"]
        assert s["value"] > 1.5 * s["us_value"]
        assert "Texas" in s["evidence"]


def test_hamilton_county_does_not_need_human_services_or_literacy(evaluated):
    got = evaluated[("county", "18057", None)]
    for seat_id in ("human-services", "adult-literacy"):
        assert got[seat_id]["level"] == "not indicated", got[seat_id]
        assert got[seat_id]["level"] not in TRIGGERED
        assert got[seat_id]["evidence"]
        assert "Indiana" in got[seat_id]["evidence"]


@pytest.mark.parametrize("fips", ["48427", "12086"])
def test_limited_english_triggers_english_language_seat(evaluated, fips):
    s = evaluated[("county", fips, None)]["english-language"]
    assert s["level"] in TRIGGERED
    assert s["value"] >= 0.10


@pytest.mark.parametrize("fips", ["36005", "36061"])
def test_households_without_vehicle_trigger_transportation(evaluated, fips):
    s = evaluated[("county", fips, None)]["transportation-support"]
    assert s["level"] in TRIGGERED
    assert s["value"] > 0.5


def test_few_households_without_vehicle_do_not_trigger_transportation(evaluated):
    s = evaluated[("county", "18057", None)]["transportation-support"]
    assert s["level"] == "not indicated"
    assert s["value"] < s["state_value"] < s["us_value"]


# ---- evidence quotes the workforce measures ---------------------------------

EVIDENCE_CASES = [
    ("county", "48427", "human-services"),
    ("county", "48427", "adult-literacy"),
    ("county", "48427", "english-language"),
    ("county", "18057", "human-services"),
    ("county", "18057", "transportation-support"),
    ("county", "18097", "child-care"),
    ("county", "18097", "job-centers"),
    ("county", "18097", "philanthropy"),
    ("county", "18097", "disability-services"),
    ("county", "18097", "k12-youth"),
    ("county", "36005", "transportation-support"),
    ("county", "12086", "english-language"),
    ("cbsa", "17140", "adult-literacy"),  # Cincinnati, OH-KY-IN: compared with Ohio, where most of it lives
    ("cbsa", "17140", "human-services"),
    ("in-egr", "5", "job-centers"),
]


@pytest.mark.parametrize("scheme,rid,seat_id", EVIDENCE_CASES)
def test_evidence_quotes_region_state_and_us_values(wf, rules, scheme, rid, seat_id):
    region = regions.resolve_region(scheme, rid)
    seat = by_id(seats.evaluate_seats(region))[seat_id]
    indicator = {r.id: r for r in rules}[seat_id].trigger.indicator
    assert seat["indicator"] == indicator

    value = workforce.workforce_values(region.counties)[indicator]
    # with no state chosen, the state holding most of the region's people
    members = wf[wf["fips"].isin(region.counties)]
    principal = members.groupby("state_fips")["population"].sum().idxmax()
    state = independent_share(wf[wf["state_fips"] == principal], indicator)
    us = independent_share(wf[wf["state_fips"] != "72"], indicator)

    for number in (value, state, us):
        assert pct(number) in seat["evidence"], (pct(number), seat["evidence"])
    assert seat["value"] == value
    assert seat["state_value"] == pytest.approx(state, rel=1e-12)
    assert seat["us_value"] == pytest.approx(us, rel=1e-12)
    assert regions.state_names()[principal] in seat["evidence"]


def test_multi_state_region_names_its_comparison_state():
    region = regions.resolve_region("cbsa", "17140")
    seat = by_id(seats.evaluate_seats(region))["adult-literacy"]
    assert "in Ohio (the state chosen; the region also reaches into Indiana and Kentucky)" in seat["evidence"]
    chosen = by_id(seats.evaluate_seats(region, state="21"))["adult-literacy"]
    assert "in Kentucky (the state chosen; the region also reaches into Indiana and Ohio)" in chosen["evidence"]


def test_us_value_leaves_out_puerto_rico(wf):
    # Puerto Rico carries education and unemployment figures, so leaving it out shows
    for indicator in ("low_skill_share", "unemployment_rate"):
        with_pr = independent_share(wf, indicator)
        without = independent_share(wf[wf["state_fips"] != "72"], indicator)
        assert seats.us_values()[indicator] == pytest.approx(without, rel=1e-12)
        assert seats.us_values()[indicator] != pytest.approx(with_pr, rel=1e-6)


def test_neighbouring_regions_evidence_is_the_outside_population_share(wf, evaluated):
    cz = store.load_table("regions").query("scheme == 'cz'")
    zone = cz.loc[cz["fips"] == "18057", "region_id"].iloc[0]
    members = cz.loc[cz["region_id"] == zone, "fips"]
    pop = wf.set_index("fips")["population"].reindex(members).astype("float64")
    share = float(pop.drop("18057").sum() / pop.sum())
    seat = evaluated[("county", "18057", None)]["neighboring-regions"]
    assert seat["value"] == pytest.approx(share, rel=1e-12)
    assert pct(share) in seat["evidence"]


# ---- every rule is exercised -------------------------------------------------


def reachable_levels(rule) -> set[str]:
    """Levels a rule can produce on real data."""
    if rule.core:
        return {"core"}
    levels = {"strongly recommended", "recommended", "not indicated", "not assessed"}
    t = rule.trigger
    if t.indicator == "sector_labor_management" and t.strongly > 1:
        levels.discard("strongly recommended")  # the measure is 0 or 1
    return levels


def test_every_rule_is_exercised(rules, evaluated):
    seen: dict[str, set[str]] = {r.id: set() for r in rules}
    for got in evaluated.values():
        assert set(got) == set(seen)
        for seat_id, s in got.items():
            seen[seat_id].add(s["level"])
    for rule in rules:
        if rule.core:
            # a core seat the sector's jobs can raise (colleges where middle-skill jobs dominate)
            assert "core" in seen[rule.id], rule.id
            assert seen[rule.id] <= {"core", *TRIGGERED} if rule.sector else seen[rule.id] == {"core"}, rule.id
            continue
        assert seen[rule.id] & set(TRIGGERED), f"{rule.id} never triggered: {seen[rule.id]}"
        assert "not indicated" in seen[rule.id], f"{rule.id} never 'not indicated': {seen[rule.id]}"
        missing = reachable_levels(rule) - seen[rule.id]
        assert not missing, f"{rule.id}: no case reaches {missing}"


def test_rule_file_has_the_documented_seats(rules):
    ids = {r.id for r in rules}
    core = {r.id for r in rules if r.core}
    assert core == {
        "employer-champions",
        "suppliers-distributors",
        "convener",
        "workforce-board",
        "economic-development",
        "colleges-training",
    }
    assert {
        "human-services",
        "adult-literacy",
        "transportation-support",
        "child-care",
        "english-language",
        "disability-services",
        "job-centers",
        "philanthropy",
        "organized-labor",
        "trade-association",
        "k12-youth",
        "neighboring-regions",
    } <= ids
    for r in rules:
        assert r.sources and all(r.sources), r.id
        if not r.core:
            assert r.why, r.id


# ---- seats that depend on the sector ------------------------------------------


@pytest.mark.parametrize(
    "fips,sector",
    [
        ("18057", "construction"),
        ("18097", "advanced-manufacturing"),
        ("18097", "healthcare"),
    ],
)
def test_organized_labor_recommended_for_labor_management_sectors(evaluated, fips, sector):
    s = evaluated[("county", fips, sector)]["organized-labor"]
    assert s["level"] in TRIGGERED
    assert " is among" in s["evidence"]
    # construction's apprenticeable occupations (electricians, carpenters, plumbers) raise it further
    assert (s["level"] == "strongly recommended") == (sector == "construction")


def test_organized_labor_not_indicated_for_hospitality(evaluated):
    s = evaluated[("county", "18097", "hospitality-tourism")]["organized-labor"]
    assert s["level"] == "not indicated"
    assert "is not among" in s["evidence"]


def test_organized_labor_follows_the_taxonomy_for_every_sector():
    region = county("18097")
    m = sectors.region_sector_measures(region)
    for sector in sectors.load_taxonomy():
        row = m[m["group"] == sector.id].iloc[0]
        s = by_id(seats.evaluate_seats(region, sector.id, sector_row=row))["organized-labor"]
        if s["decided_by"] == "sector":  # apprenticeable occupations raised it above the tradition's level
            assert s["level"] in TRIGGERED and s["conditions"][0]["value"] >= 0.05, sector.id
        else:
            assert s["level"] == ("recommended" if sector.labor_management else "not indicated"), sector.id


def test_trade_association_where_establishments_are_small(evaluated):
    s = evaluated[("county", "06037", "hospitality-tourism")]["trade-association"]
    assert s["level"] in TRIGGERED
    assert s["value"] < 20
    assert f"{s['value']:.1f}" in s["evidence"]
    assert "Hospitality & Tourism" in s["evidence"] and "Los Angeles County, CA" in s["evidence"]


def test_trade_association_average_is_jobs_per_establishment():
    region = county("06037")
    m = sectors.region_sector_measures(region)
    row = m[m["group"] == "hospitality-tourism"].iloc[0]
    assert row["suppressed_areas"] == 0
    s = by_id(seats.evaluate_seats(region, "hospitality-tourism", sector_row=row))["trade-association"]
    assert s["value"] == pytest.approx(row["emp_low"] / row["estabs"])


def test_trade_association_not_where_establishments_are_large(evaluated):
    s = evaluated[("county", "18097", "advanced-manufacturing")]["trade-association"]
    assert s["level"] == "not indicated"
    assert s["value"] > 50


def test_sector_seats_without_a_sector_are_not_assessed(evaluated):
    for key in [("county", "48427", None), ("county", "18057", None)]:
        for seat_id in ("organized-labor", "trade-association"):
            s = evaluated[key][seat_id]
            assert s["level"] == "not assessed", s
            assert s["level"] != "not indicated"
            assert "sector" in s["reason"]
            assert s["evidence"].startswith("Not assessed")


def test_suppression_range_on_both_sides_of_strongly_is_still_triggered():
    region = county("05001")  # Arkansas County, AR: its business services range spans 10 jobs per establishment
    m = sectors.region_sector_measures(region)
    row = m[m["group"] == "business-financial-services"].iloc[0]
    low, high = row["emp_low"] / row["estabs"], row["emp_high"] / row["estabs"]
    assert low < 10 < high < 20  # the premise: the range straddles 'strongly' only
    s = by_id(seats.evaluate_seats(region, "business-financial-services", sector_row=row))["trade-association"]
    assert s["level"] in TRIGGERED


def test_suppression_range_across_recommended_is_decided_by_the_estimate_and_says_so():
    region = county("18001")  # Adams County, IN: IT employment suppressed
    m = sectors.region_sector_measures(region)
    row = m[m["group"] == "information-technology"].iloc[0]
    assert row["emp_low"] / row["estabs"] < 20 < row["emp_high"] / row["estabs"]
    estimate = row["employment_estimate"] / row["estabs"]
    s = by_id(seats.evaluate_seats(region, "information-technology", sector_row=row))["trade-association"]
    # the trigger: fewer than 20 jobs per establishment recommends the seat, fewer than 10 strongly
    expected = "strongly recommended" if estimate < 10 else "recommended" if estimate <= 20 else "not indicated"
    assert s["level"] == expected
    assert isinstance(s["value"], list) and len(s["value"]) == 2  # the range stays the value shown
    assert "Likely, not certain" in s["evidence"] and f"jobs per establishment {estimate:.1f}" in s["evidence"]


def test_pay_ratio_of_a_suppressed_sector_is_a_range_never_the_disclosed_cells_ratio():
    region = county("18001")  # Adams County, IN: IT employment suppressed
    row = sectors.region_sector_measures(region).set_index("group").loc["information-technology"]
    assert row["suppressed_areas"] > 0
    s = by_id(seats.evaluate_seats(region, "information-technology", sector_row=row.rename(None)))
    conds = [c for seat in s.values() for c in seat["conditions"] if c["indicator"] == "sector_pay_ratio"]
    assert conds
    for c in conds:
        low, high = c["value"]
        assert low == pytest.approx(row["pay_ratio_low"]) and (
            high is None or high == pytest.approx(row["pay_ratio_high"])
        )
        assert isinstance(c["value"], list)  # a range, not the disclosed cells' ratio as a point


# ---- missing data --------------------------------------------------------------


def test_missing_poverty_data_is_not_assessed(evaluated):
    got = evaluated[("county", "15005", None)]
    for seat_id in ("philanthropy", "child-care", "job-centers"):
        s = got[seat_id]
        assert s["level"] == "not assessed", s
        assert s["reason"]
        assert s["value"] is None
        assert s["evidence"].startswith("Not assessed")
    # data that do exist for Kalawao are still assessed
    assert got["disability-services"]["level"] in TRIGGERED


def test_county_without_any_workforce_row_is_not_assessed(evaluated):
    got = evaluated[("county", "09001", None)]
    for s in got.values():
        assert s["level"] in ("core", "not assessed"), s
        if s["level"] == "not assessed":
            assert s["reason"]


def test_missing_comparisons_reason_does_not_blame_the_region(rules):
    rule = {r.id: r for r in rules}["human-services"]
    region = county("48427")
    ctx = seats.SeatContext(
        region=region, values=workforce.workforce_values(region.counties), state={}, us={}, state_name="Texas"
    )
    s = seats.evaluate_seat(rule, ctx)
    assert s["level"] == "not assessed"
    assert "region's counties" not in s["reason"]


# ---- neighbouring regions ------------------------------------------------------


def test_single_county_in_multi_county_commuting_zone_needs_neighbours(evaluated):
    s = evaluated[("county", "18057", None)]["neighboring-regions"]
    assert s["level"] in TRIGGERED
    assert 0 < s["value"] < 1


def test_county_that_is_most_of_its_commuting_zone_is_recommended(evaluated):
    s = evaluated[("county", "48141", None)]["neighboring-regions"]
    assert 0.10 <= s["value"] < 0.33
    assert s["level"] == "recommended"


def test_whole_commuting_zone_does_not_need_neighbours(evaluated):
    s = evaluated[("cz", "166", None)]["neighboring-regions"]
    assert s["level"] == "not indicated"
    assert s["value"] == 0
    assert "0.0%" in s["evidence"]


# ---- thresholds ------------------------------------------------------------------


def test_raising_thresholds_turns_a_seat_off():
    region = county("48427")
    base = by_id(seats.evaluate_seats(region))["human-services"]
    assert base["level"] == "strongly recommended"
    ratio_state = base["value"] / base["state_value"]
    ratio_us = base["value"] / base["us_value"]
    assert ratio_state < ratio_us

    # strongly needs both comparisons: a bar between the two ratios leaves "recommended"
    mid = (ratio_state + ratio_us) / 2
    got = by_id(
        seats.evaluate_seats(region, overrides={"human-services": {"recommended": ratio_state - 0.01, "strongly": mid}})
    )
    assert got["human-services"]["level"] == "recommended"
    assert got["human-services"]["thresholds"]["strongly"] == mid

    off = by_id(
        seats.evaluate_seats(
            region, overrides={"human-services": {"recommended": ratio_us + 0.1, "strongly": ratio_us + 0.5}}
        )
    )
    assert off["human-services"]["level"] == "not indicated"
    # other seats keep their defaults
    assert off["adult-literacy"]["level"] == "strongly recommended"


def test_lowering_an_absolute_threshold_turns_a_seat_off():
    region = county("48141")
    got = by_id(seats.evaluate_seats(region, overrides={"neighboring-regions": {"recommended": 0.5, "strongly": 0.9}}))
    assert got["neighboring-regions"]["level"] == "not indicated"


def test_override_with_strongly_below_recommended_is_rejected(rules):
    with pytest.raises(RuleError, match="adult-literacy"):
        seats.with_thresholds(rules, {"adult-literacy": {"recommended": 1.3, "strongly": 1.1}})
    with pytest.raises(RuleError, match="human-services"):
        seats.evaluate_seats(county("18057"), overrides={"human-services": {"recommended": 2.0, "strongly": 1.5}})


def test_override_for_below_direction_must_be_stricter_downwards(rules):
    with pytest.raises(RuleError, match="trade-association"):
        seats.with_thresholds(rules, {"trade-association": {"recommended": 10, "strongly": 20}})
    ok = seats.with_thresholds(rules, {"trade-association": {"recommended": 30, "strongly": 5}})
    assert {r.id: r for r in ok}["trade-association"].trigger.recommended == 30


def test_overrides_do_not_change_the_loaded_rules(rules):
    seats.with_thresholds(rules, {"human-services": {"recommended": 3.0, "strongly": 4.0}})
    assert {r.id: r for r in seats.load_rules()}["human-services"].trigger.recommended == 1.10


def test_nan_override_is_rejected(rules):
    with pytest.raises(RuleError, match="human-services"):
        seats.with_thresholds(rules, {"human-services": {"recommended": math.nan, "strongly": math.nan}})


def test_floor_verdict_does_not_misstate_the_ratio():
    s = by_id(seats.evaluate_seats(county("18089")))["english-language"]
    assert s["level"] == "not indicated"
    assert s["value"] < 0.02 and s["value"] >= 1.25 * s["state_value"]  # the premise
    assert "under 1.25 times both" not in s["evidence"]


def test_floor_keeps_tiny_shares_from_triggering():
    s = by_id(seats.evaluate_seats(county("18089")))["english-language"]
    assert s["level"] == "not indicated"
    got = by_id(
        seats.evaluate_seats(
            county("18089"),
            rules=seats.parse_rules(
                {
                    "sources": {"indiana": "x"},
                    "seat": [
                        {
                            "id": "english-language",
                            "name": "n",
                            "category": "c",
                            "why": "w",
                            "sources": ["indiana"],
                            "evidence": "{value} {state} {us}",
                            "trigger": {
                                "indicator": "limited_english_share",
                                "direction": "above",
                                "recommended": 1.25,
                                "strongly": 1.75,
                            },
                        }
                    ],
                }
            ),
        )
    )
    assert got["english-language"]["level"] == "recommended"


# ---- the rule file is checked -------------------------------------------------

BASE_RULES = """
[sources]
indiana = "Indiana Sector Partnerships Field Research"
primer = "A Sector Partnership Primer"

[[seat]]
id = "convener"
name = "Convener"
category = "convener"
core = true
evidence = "Every table needs a convener in {region}."
sources = ["primer"]

[[seat]]
id = "probe-seat"
name = "Probe seat"
category = "human services"
evidence = "{value} in {region}, against {state} in {state_name} and {us} nationally."
why = "Because the data say so."
sources = ["indiana"]
[seat.trigger]
indicator = "poverty_rate"
direction = "above"
recommended = 1.10
strongly = 1.30
"""

BAD_RULES = {
    "unknown indicator": ('indicator = "poverty_rate"', 'indicator = "happiness_index"'),
    "median is not a share": ('indicator = "poverty_rate"', 'indicator = "median_household_income"'),
    "negative threshold": ("recommended = 1.10", "recommended = -1.10"),
    "zero threshold": ("strongly = 1.30", "strongly = 0"),
    "string threshold": ("recommended = 1.10", 'recommended = "high"'),
    "boolean threshold": ("strongly = 1.30", "strongly = true"),
    "negative floor": ("strongly = 1.30", "strongly = 1.30\nfloor = -0.1"),
    "strongly below recommended": ("strongly = 1.30", "strongly = 1.05"),
    "ratio below one": ("recommended = 1.10", "recommended = 0.9"),
    "unknown placeholder": ("{value} in {region}", "{value} in {county}"),
    "malformed template": ("{value} in {region}", "{value in {region}"),
    "unknown source": ('sources = ["indiana"]', 'sources = ["indiana", "gossip"]'),
    "missing why": ('why = "Because the data say so."\n', ""),
    "bad direction": ('direction = "above"', 'direction = "sideways"'),
    "core with trigger": ('category = "human services"', 'category = "human services"\ncore = true'),
    "absolute on a share": ('direction = "above"', 'direction = "above"\nabsolute = true'),
}


def write(tmp_path, name: str, text: str):
    path = tmp_path / f"{name.replace(' ', '_')}.toml"
    path.write_text(text)
    return path


def test_base_rule_file_loads(tmp_path):
    loaded = seats.load_rules(write(tmp_path, "base", BASE_RULES))
    assert [r.id for r in loaded] == ["convener", "probe-seat"]
    assert loaded[1].trigger.indicator == "poverty_rate"
    assert loaded[1].sources == ("Indiana Sector Partnerships Field Research",)
    # and it evaluates
    got = by_id(seats.evaluate_seats(county("48427"), rules=loaded))
    assert got["probe-seat"]["level"] == "strongly recommended"


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_file_is_rejected_naming_the_rule(tmp_path, case):
    old, new = BAD_RULES[case]
    assert old in BASE_RULES
    path = write(tmp_path, case, BASE_RULES.replace(old, new, 1))
    with pytest.raises(RuleError) as exc:
        seats.load_rules(path)
    assert "probe-seat" in str(exc.value)


def test_duplicate_id_is_rejected_naming_the_rule(tmp_path):
    dup = (
        BASE_RULES
        + """
[[seat]]
id = "probe-seat"
name = "Probe seat again"
category = "core"
core = true
evidence = "Again."
sources = ["primer"]
"""
    )
    with pytest.raises(RuleError, match="probe-seat"):
        seats.load_rules(write(tmp_path, "dup", dup))


def test_triggered_seat_without_trigger_table_is_rejected(tmp_path):
    text = BASE_RULES.split("[seat.trigger]")[0]
    with pytest.raises(RuleError, match="probe-seat"):
        seats.load_rules(write(tmp_path, "notrigger", text))


def test_invalid_toml_and_empty_file_are_rule_errors(tmp_path):
    with pytest.raises(RuleError):
        seats.load_rules(write(tmp_path, "broken", "[[seat]\nid = "))
    with pytest.raises(RuleError):
        seats.load_rules(write(tmp_path, "empty", "[sources]\n"))


def test_nan_threshold_in_rule_file_is_rejected(tmp_path):
    path = write(tmp_path, "nan", BASE_RULES.replace("recommended = 1.10", "recommended = nan", 1))
    with pytest.raises(RuleError, match="probe-seat"):
        seats.load_rules(path)


# ---- the employer pool ----------------------------------------------------------


def test_small_employer_pool_is_called_too_small_in_the_evidence():
    region = county("18097")  # Marion County, IN: 21 agriculture and food production establishments
    m = sectors.region_sector_measures(region)
    row = m[m["group"] == "agriculture-food-production"].iloc[0]
    estabs = int(row["estabs"])
    assert 0 < estabs < 25
    pool = sectors.employer_pool(estabs)
    assert pool["level"] == "too small"
    s = by_id(seats.evaluate_seats(region, "agriculture-food-production", sector_row=row))["employer-champions"]
    assert s["level"] == "core"
    assert pool["verdict"] in s["evidence"]
    assert f"{estabs:,} establishments" in s["evidence"]
    assert "fewer than the 25" in s["evidence"]


def test_deep_employer_pool_in_the_evidence():
    region = county("18097")
    m = sectors.region_sector_measures(region)
    row = m[m["group"] == "healthcare"].iloc[0]
    s = by_id(seats.evaluate_seats(region, "healthcare", sector_row=row))["employer-champions"]
    assert sectors.employer_pool(int(row["estabs"]))["level"] == "sufficient"
    assert "deep enough pool" in s["evidence"]
    assert "Healthcare" in s["evidence"] and "Marion County, IN" in s["evidence"]


def test_employer_pool_without_a_sector_asks_for_one(evaluated):
    s = evaluated[("county", "48427", None)]["employer-champions"]
    assert "Choose a candidate sector" in s["evidence"]


# ---- every scheme ------------------------------------------------------------------


def sample_regions() -> list[tuple[str, str]]:
    out = [("in-egr", rid) for rid in regions.list_regions("in-egr")["region_id"]]
    for scheme in regions.SCHEMES:
        if scheme == "in-egr":
            continue
        ids = regions.list_regions(scheme)["region_id"].tolist()
        step = max(1, len(ids) // 5)
        out += [(scheme, rid) for rid in ids[::step][:5]]
    # edge cases: no workforce row, Puerto Rico, Virgin Islands, partial data
    out += [("county", "09001"), ("county", "72127"), ("county", "78010"), ("county", "15005"), ("state", "72")]
    return out


@pytest.fixture(scope="module")
def rule_ids(rules):
    return [r.id for r in rules]


@pytest.mark.parametrize("scheme,rid", sample_regions())
def test_every_region_gets_a_complete_seat_list(rule_ids, scheme, rid):
    got = seats.evaluate_seats(regions.resolve_region(scheme, rid))
    assert sorted(s["id"] for s in got) == sorted(rule_ids)
    order = [seats.LEVELS.index(s["level"]) for s in got]
    assert order == sorted(order)
    for s in got:
        assert s["level"] in seats.LEVELS
        assert s["evidence"].strip(), s
        assert s["source"].strip(), s
        assert "{" not in s["evidence"], s["evidence"]
        if s["level"] == "not assessed":
            assert s["reason"], s


@pytest.mark.parametrize("scheme", ["county", "cbsa", "cz", "bea", "in-egr", "state"])
def test_every_scheme_gets_sector_seats(scheme):
    rid = regions.list_regions(scheme)["region_id"].iloc[0]
    got = by_id(seats.evaluate_seats(regions.resolve_region(scheme, rid), "healthcare"))
    assert got["organized-labor"]["level"] == "recommended"
    assert got["trade-association"]["level"] in seats.LEVELS
    assert got["trade-association"]["evidence"]
