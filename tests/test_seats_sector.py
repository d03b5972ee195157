"""Seats that follow the sector's jobs (``[seat.sector]`` rules), and multi-state regions compared with
the chosen state. Real figures throughout.

Regions:
  39049 Franklin County, OH  (Columbus) near the Ohio and US low-income and no-diploma shares
  cbsa 18140                 Columbus, OH metro area
  21095 Harlan County, KY    rural Appalachian county: low-skill, low-income
  48427 Starr County, TX     low-skill, low-income border county
  18057 Hamilton County, IN  affluent suburb
  cz 226                     Cabell County, WV area: Kentucky, Ohio and West Virginia
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import careers, regions, seats, sectors, workforce
from dashboard.analysis.seats import RuleError
from dashboard.data import store
from dashboard.ui import links

TRIGGERED = ("strongly recommended", "recommended")
SECTOR_SEATS = (
    "human-services",
    "adult-literacy",
    "transportation-support",
    "child-care",
    "colleges-training",
    "organized-labor",
)


def by_id(got: list[dict]) -> dict[str, dict]:
    return {s["id"]: s for s in got}


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# Evaluated once: (scheme, region, sector) -> seats by id.
CASES = [
    ("county", "39049", "hospitality-tourism"),
    ("county", "39049", "healthcare"),
    ("county", "39049", "advanced-manufacturing"),
    ("county", "39049", "information-technology"),
    ("county", "39049", "construction"),
    ("county", "39049", "transportation-logistics"),
    ("cbsa", "18140", "hospitality-tourism"),
    ("cbsa", "18140", "healthcare"),
    ("county", "21095", "hospitality-tourism"),
    ("county", "21095", "healthcare"),
    ("county", "21199", "hospitality-tourism"),
    ("county", "21199", "advanced-manufacturing"),
    ("county", "48427", "hospitality-tourism"),
    ("county", "48427", "healthcare"),
    ("county", "18057", "hospitality-tourism"),
    ("county", "18057", "construction"),
    ("county", "36005", "hospitality-tourism"),
    ("county", "06037", "hospitality-tourism"),
    ("county", "12086", "food-beverage-manufacturing"),
    ("county", "09001", "hospitality-tourism"),
]


@pytest.fixture(scope="module")
def evaluated() -> dict[tuple, dict[str, dict]]:
    out = {}
    for scheme, rid, sector in CASES:
        out[(scheme, rid, sector)] = by_id(seats.evaluate_seats(regions.resolve_region(scheme, rid), sector))
    return out


@pytest.fixture(scope="module")
def rules():
    return seats.load_rules()


def test_seats_change_between_a_low_entry_low_pay_sector_and_a_high_entry_high_pay_one(evaluated):
    """Franklin County, OH: Hospitality & Tourism (nearly all jobs open at high school or less, pay well under the
    region's average) against Healthcare (most jobs need a postsecondary credential, pay above the average)."""
    hosp, health = evaluated[("county", "39049", "hospitality-tourism")], evaluated[("county", "39049", "healthcare")]
    assert hosp["human-services"]["level"] in TRIGGERED and health["human-services"]["level"] == "not indicated"
    assert hosp["adult-literacy"]["level"] == "not indicated" and health["adult-literacy"]["level"] in TRIGGERED
    assert (
        hosp["colleges-training"]["level"] == "core" and health["colleges-training"]["level"] == "strongly recommended"
    )
    assert hosp["organized-labor"]["level"] == "not indicated" and health["organized-labor"]["level"] in TRIGGERED
    # the region alone triggers none of the first three: the sector decides
    for seat_id in ("human-services", "adult-literacy", "colleges-training"):
        decided = hosp[seat_id] if hosp[seat_id]["level"] in TRIGGERED else health[seat_id]
        assert decided["decided_by"] == "sector", seat_id


def test_columbus_hospitality_gets_human_services(evaluated):
    s = evaluated[("cbsa", "18140", "hospitality-tourism")]["human-services"]
    assert s["level"] in TRIGGERED and s["decided_by"] == "sector"
    pay = next(c for c in s["conditions"] if c["indicator"] == "sector_pay_ratio")["value"]
    assert pay < 0.5  # the sector pays well under half the region's average


def test_every_sector_condition_is_exercised(evaluated, rules):
    seen: dict[str, set[str]] = {t.id: set() for r in rules if r.sector for t in r.sector.when}
    raised: dict[str, set[str]] = {r.id: set() for r in rules if r.sector}
    for got in evaluated.values():
        for seat_id, s in got.items():
            for c in s["conditions"]:
                seen[c["id"]].add(c["level"])
            if seat_id in raised:
                raised[seat_id].add("sector" if s["decided_by"] == "sector" else "other")
    for cid, levels in seen.items():
        assert levels & set(TRIGGERED), f"{cid} never met: {levels}"
        assert "not indicated" in levels, f"{cid} never failed: {levels}"
    for seat_id, how in raised.items():
        assert how == {"sector", "other"}, f"{seat_id}: {how}"
    # a sector chosen where there are no industry figures: the sector conditions are not assessed
    gone = evaluated[("county", "09001", "hospitality-tourism")]["human-services"]
    assert {c["level"] for c in gone["conditions"]} >= {"not assessed"}


def test_sector_evidence_quotes_the_careers_figures_and_the_workforce_figure(evaluated):
    """Evidence numbers equal the careers section's figures for the same region and sector."""
    checked = 0
    for (scheme, rid, sector), got in evaluated.items():
        region = regions.resolve_region(scheme, rid)
        figures = None
        for seat_id in SECTOR_SEATS:
            s = got[seat_id]
            if s["decided_by"] != "sector":
                continue
            if figures is None:
                c = careers.region_careers(region, sector)
                figures = {
                    "sector_entry_hs_share": c.indicators.entry_hs_share,
                    "sector_diploma_share": c.indicators.diploma_share,
                    "sector_middle_skill_share": c.indicators.middle_skill_share,
                    "sector_apprenticeable_share": c.indicators.apprenticeable_share,
                }
                row = sectors.region_sector_measures(region).set_index("group").loc[sector]
                figures["sector_pay_ratio"] = row["pay_ratio"]
                wf = workforce.workforce_values(region.counties)
                state = seats.comparison_values((careers.comparison_state(region),))
            for cond in s["conditions"]:
                ind = cond["indicator"]
                if ind in figures:
                    assert cond["value"] == pytest.approx(figures[ind], rel=1e-12)
                    text = f"{figures[ind]:.2f} times" if ind == "sector_pay_ratio" else pct(figures[ind])
                    assert text in s["evidence"], (ind, text, s["evidence"])
                else:
                    assert cond["value"] == wf[ind]
                    assert pct(wf[ind]) in s["evidence"] and pct(state[ind]) in s["evidence"]
            assert s["sources"] and "(" in s["evidence"]  # the why cites the guidance by title
            checked += 1
    assert checked >= 8


def test_sector_seats_without_a_sector_follow_the_region_alone():
    got = by_id(seats.evaluate_seats(regions.resolve_region("county", "39049")))
    for seat_id in SECTOR_SEATS:
        assert got[seat_id]["conditions"] == [] and got[seat_id]["decided_by"] != "sector"
    assert got["colleges-training"]["level"] == "core"


def test_data_triggered_seats_come_before_the_core():
    assert seats.LEVELS[:3] == ("strongly recommended", "recommended", "core")
    listed = seats.evaluate_seats(regions.resolve_region("county", "21095"), "healthcare")
    kinds = [s["level"] for s in listed]
    assert [seats.LEVELS.index(k) for k in kinds] == sorted(seats.LEVELS.index(k) for k in kinds)
    assert kinds.index("core") > max(i for i, k in enumerate(kinds) if k in TRIGGERED)


# ---- thresholds -------------------------------------------------------------------------------------


def test_condition_thresholds_can_be_adjusted():
    region = regions.resolve_region("county", "39049")
    base = by_id(seats.evaluate_seats(region, "hospitality-tourism"))["human-services"]
    assert base["decided_by"] == "sector"
    entry = next(c for c in base["conditions"] if c["id"] == "human-services-entry")["value"]
    off = by_id(
        seats.evaluate_seats(
            region,
            "hospitality-tourism",
            overrides={"human-services-entry": {"recommended": min(entry + 0.01, 0.99), "strongly": 0.995}},
        )
    )["human-services"]
    assert off["level"] == "not indicated"
    assert next(c for c in off["conditions"] if c["id"] == "human-services-entry")["thresholds"]["recommended"] > entry
    # and a link carries the condition's thresholds
    parsed = links.parse_thresholds("human-services-entry.recommended:0.5,colleges-middle-skill.strongly:0.4")
    assert parsed == {"human-services-entry": {"recommended": 0.5}, "colleges-middle-skill": {"strongly": 0.4}}
    assert links.parse_thresholds(links.format_thresholds(parsed)) == parsed


def test_every_adjustable_threshold_is_listed(rules):
    listed = seats.adjustable_thresholds(rules)
    ids = [cid for cid, _, _ in listed]
    assert len(ids) == len(set(ids))
    assert {"human-services-pay", "adult-literacy-no-diploma", "colleges-middle-skill", "apprenticeable-jobs"} <= set(
        ids
    )
    labels = {cid: label for cid, label, _ in listed}
    assert labels["human-services-pay"] == "Human-services organizations, with the sector: pay vs region (at most)"


@pytest.mark.parametrize(
    "bad,match",
    [
        ({"recommended": 0.9, "strongly": 0.95}, "stricter"),  # a 'below' condition must be stricter downwards
        ({"recommended": float("nan"), "strongly": 0.5}, "positive number"),
    ],
)
def test_bad_condition_override_is_refused(bad, match):
    with pytest.raises(RuleError, match="human-services"):
        seats.with_thresholds(seats.load_rules(), {"human-services-pay": bad})


SECTOR_RULES = """
[sources]
indiana = "Indiana Sector Partnerships Field Research"

[[seat]]
id = "probe"
name = "Probe"
category = "human services"
evidence = "{value} in {region}."
why = "Because."
sources = ["indiana"]
[seat.trigger]
indicator = "poverty_rate"
direction = "above"
recommended = 1.10
strongly = 1.30
[seat.sector]
evidence = "{sector_entry_hs_share} open; {poverty_rate} poor against {poverty_rate_state}."
why = "Because the sector."
sources = ["indiana"]
[[seat.sector.when]]
id = "probe-entry"
indicator = "sector_entry_hs_share"
direction = "above"
recommended = 0.5
strongly = 0.7
"""


def test_sector_rule_file_loads_and_evaluates(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(SECTOR_RULES)
    loaded = seats.load_rules(path)
    assert loaded[0].sector.when[0].id == "probe-entry" and loaded[0].sector.when[0].absolute
    got = by_id(seats.evaluate_seats(regions.resolve_region("county", "39049"), "hospitality-tourism", rules=loaded))
    assert got["probe"]["level"] == "strongly recommended" and got["probe"]["decided_by"] == "sector"


@pytest.mark.parametrize(
    "old,new",
    [
        ('id = "probe-entry"\n', ""),  # no id
        ('id = "probe-entry"', 'id = "probe"'),  # the seat's own id
        ('indicator = "sector_entry_hs_share"', 'indicator = "sector_happiness"'),  # unknown measure
        ("{sector_entry_hs_share} open", "{sector_mood} open"),  # unknown placeholder
        ('why = "Because the sector."\n', ""),  # no why
        ('why = "Because the sector."', 'why = "Because the sector."\nworkforce = "{poverty_mood}"'),  # bad placeholder
        ("recommended = 0.5", "recommended = 0.8"),  # strongly below recommended
    ],
)
def test_bad_sector_rule_is_refused_naming_the_seat(tmp_path, old, new):
    assert old in SECTOR_RULES
    path = tmp_path / "rules.toml"
    path.write_text(SECTOR_RULES.replace(old, new, 1))
    with pytest.raises(RuleError, match="probe"):
        seats.load_rules(path)


# ---- multi-state regions --------------------------------------------------------------------------


def independent_share(wf: pd.DataFrame, num: tuple[str, ...], den: str) -> float:
    use = wf.dropna(subset=[*num, den])
    return sum(float(use[c].sum()) for c in num) / float(use[den].sum())


@pytest.mark.parametrize(
    "state,name,others",
    [
        ("21", "Kentucky", "Ohio and West Virginia"),
        ("39", "Ohio", "Kentucky and West Virginia"),
        ("54", "West Virginia", "Kentucky and Ohio"),
    ],
)
def test_three_state_commuting_zone_is_compared_with_the_chosen_state(state, name, others):
    cz = regions.resolve_region("cz", "226")  # Cabell County, WV area
    assert cz.states == ("21", "39", "54")
    wf = store.load_table("workforce")
    got = by_id(seats.evaluate_seats(cz, "healthcare", state=state))
    s = got["human-services"]
    expected = independent_share(wf[wf["state_fips"] == state], ("pov150",), "pov150_universe")
    combined = independent_share(wf[wf["state_fips"].isin(cz.states)], ("pov150",), "pov150_universe")
    assert s["state_value"] == pytest.approx(expected, rel=1e-12)
    assert s["state_value"] != pytest.approx(combined, rel=1e-6)
    assert f"{pct(expected)} in {name} (the state chosen; the region also reaches into {others})" in s["evidence"]


def test_single_state_region_names_just_its_state():
    s = by_id(seats.evaluate_seats(regions.resolve_region("county", "39049"), state="39"))["human-services"]
    assert "in Ohio and" in s["evidence"] and "state chosen" not in s["evidence"]
