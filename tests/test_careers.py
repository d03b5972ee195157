"""Careers in a sector: staffing patterns, the region's estimated jobs, entry requirements, local wages,
the ladder. Real figures, checked against independent computations from the official raw files."""

from __future__ import annotations

import csv
import gzip
import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import careers, measures, regions, sectors
from dashboard.data import paths, store

RAW = Path(__file__).parents[1].parent / "shared/data/raw/occupations"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="official raw files not available")
HS_OR_LESS = {"No formal educational credential", "High school diploma or equivalent"}


def read_gz(name: str) -> list[dict]:
    with gzip.open(RAW / name, "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def franklin():
    return regions.resolve_region("county", "39049")  # Franklin County, OH (Columbus)


@pytest.fixture(scope="module")
def columbus():
    return regions.resolve_region("cbsa", "18140")


@pytest.fixture(scope="module")
def harlan():
    return regions.resolve_region("county", "21095")  # Harlan County, KY: rural, outside any metro area


# ---- staffing patterns -------------------------------------------------------------------


def test_registered_nurses_are_30_1_percent_of_hospital_jobs():
    pattern = careers.staffing_pattern(["622"])
    assert pattern.index[0] == "29-1141"
    assert round(100 * pattern["29-1141"], 1) == 30.1
    assert pattern["29-1141"] == pytest.approx(2_020_230 / 6_712_760, rel=1e-12)


@needs_raw
def test_advanced_manufacturing_entry_share_matches_an_independent_computation():
    """Share of Advanced Manufacturing jobs whose typical entry is high school or less, from the raw files."""
    with open(paths.DATA_DIR / "partnership_sectors.toml", "rb") as f:
        codes = next(s["naics"] for s in tomllib.load(f)["sector"] if s["id"] == "advanced-manufacturing")
    industries = {f"{c}000" for c in codes}
    emp: dict[str, float] = {}
    for r in read_gz("oews_m2025_national_industry_by_occupation.csv.gz"):
        if r["NAICS"] in industries and r["O_GROUP"] == "detailed" and r["TOT_EMP"] != "-":
            emp[r["OCC_CODE"]] = emp.get(r["OCC_CODE"], 0.0) + float(r["TOT_EMP"])
    education = {
        r["2024 National Employment Matrix code"]: r["Typical education needed for entry"]
        for r in read_gz("bls_ep_2024-34_table1.2_occupational_projections_and_characteristics.csv.gz")
        if r["Occupation type"] == "Line item"
    }
    known = {occ: e for occ, e in emp.items() if occ in education}
    expected = sum(e for occ, e in known.items() if education[occ] in HS_OR_LESS) / sum(known.values())
    got = careers.national_indicators("advanced-manufacturing")
    assert got.entry_hs_share == pytest.approx(expected, rel=1e-12)
    assert 0.6 < got.entry_hs_share < 0.75  # most of the sector's jobs: assemblers, machine operators, welders
    assert got.mix == "national"


def test_shares_of_entry_rungs_sum_to_one():
    for sector in sectors.load_taxonomy():
        ind = careers.national_indicators(sector.id)
        assert ind.entry_hs_share + ind.middle_skill_share + ind.degree_share == pytest.approx(1.0), sector.id
        assert ind.diploma_share <= ind.entry_hs_share and ind.apprenticeship_share <= ind.apprenticeable_share


def test_sectors_differ_as_their_jobs_do():
    hosp, health = careers.national_indicators("hospitality-tourism"), careers.national_indicators("healthcare")
    construction = careers.national_indicators("construction")
    assert hosp.entry_hs_share > 0.9 and health.entry_hs_share < 0.4
    assert health.middle_skill_share > 0.25 and hosp.middle_skill_share < 0.02
    assert construction.apprenticeship_share > 0.2  # electricians, carpenters, plumbers


# ---- the region's estimate ---------------------------------------------------------------------


def test_region_estimate_is_sector_jobs_times_staffing_shares(columbus):
    c = careers.region_careers(columbus, "construction", state="39")
    row = sectors.region_sector_measures(columbus).set_index("group").loc["construction"]
    assert c.sector_jobs == row["employment"] and c.sector_jobs_basis == "published"
    assert c.indicators.mix == "regional"
    pattern = careers.staffing_pattern(["23"])
    for o in c.top(10):
        assert o.share == pytest.approx(pattern[o.code])
        assert o.jobs == pytest.approx(c.sector_jobs * pattern[o.code])
    assert "Estimate" in c.method and "national share of each occupation" in c.method
    assert sum(o.jobs for o in c.occupations) == pytest.approx(c.sector_jobs * c.released_share)


def test_regional_mix_weights_the_industries_by_the_regions_jobs(franklin):
    c = careers.region_careers(franklin, "healthcare")
    area_region, _ = measures.qcew_area_region([franklin])
    m = measures.group_measures(area_region, {k: [k] for k in ("621", "622", "623")}).set_index("group")
    if m["employment"].isna().any():
        assert c.indicators.mix == "national"
        return
    weights = m["employment"] / m["employment"].sum()
    shares, _ = careers._shares()
    expected = sum(weights[k] * shares.loc[k].fillna(0) for k in weights.index)
    assert c.indicators.mix == "regional" and "own jobs" in c.method
    top = c.occupations[0]
    assert top.share == pytest.approx(expected[top.code])


def test_suppressed_sector_jobs_are_labelled(columbus):
    c = careers.region_careers(columbus, "hospitality-tourism", state="39")
    row = sectors.region_sector_measures(columbus).set_index("group").loc["hospitality-tourism"]
    if pd.isna(row["employment"]):
        assert c.sector_jobs_basis in ("estimate", "range midpoint")
        assert c.sector_jobs_low <= c.sector_jobs <= c.sector_jobs_high
        assert ("midpoint" in c.method) or ("estimate inside" in c.method)


def test_farms_are_outside_the_staffing_patterns(harlan):
    c = careers.region_careers(regions.resolve_region("county", "18097"), "agriculture-food-production")
    assert set(c.not_surveyed) == {"111", "112", "114"}
    assert "does not survey NAICS 111, 112, 114" in c.method
    assert 0 < c.surveyed_share < 1


def test_software_publishing_is_read_from_naics_2022(franklin):
    c = careers.region_careers(franklin, "information-technology")
    assert "NAICS 511 is read from OEWS's NAICS 2022 code 513" in c.method
    assert c.occupations[0].code.startswith("15-")  # software developers and other computer occupations


# ---- entry requirements and wages ---------------------------------------------------------------


def test_occupation_requirements_come_from_the_projections(columbus):
    c = careers.region_careers(columbus, "construction", state="39")
    by_code = {o.code: o for o in c.occupations}
    el = by_code["47-2111"]
    assert (el.education, el.experience, el.training) == ("High school diploma or equivalent", "None", "Apprenticeship")
    assert el.apprenticeship and el.apprenticeable and el.job_zone == "3"
    assert el.openings == pytest.approx(81_000) and el.growth == pytest.approx(0.095)


def test_wages_come_from_the_metro_area_then_the_state_then_the_nation(columbus, harlan):
    table = pd.read_parquet(store._path("occ_wages.parquet")).set_index(["area", "occ_code"])
    c = careers.region_careers(columbus, "healthcare", state="39")
    rn = next(o for o in c.occupations if o.code == "29-1141")
    assert rn.wage_level == "metro" and rn.wage_area == "Columbus, OH metropolitan area"
    assert rn.wage == table.loc[("0018140", "29-1141"), "a_median"] == 83_900
    k = careers.region_careers(harlan, "healthcare")
    assert [a.kind for a in k.wage_areas] == ["state", "national"]  # no metropolitan area
    rn = next(o for o in k.occupations if o.code == "29-1141")
    assert rn.wage_level == "state" and rn.wage_area == "Kentucky" and rn.wage == 81_040
    fallback = [o for o in k.occupations if o.wage_level == "national"]
    assert fallback and all(o.wage_area == "the United States" for o in fallback)
    for o in fallback:
        key = ("2100000", o.code)
        assert key not in table.index or (
            pd.isna(table.loc[key, "a_median"]) and not table.loc[key, "a_median_topcoded"]
        )
        assert o.wage == table.loc[("0000000", o.code), "a_median"] or o.wage_topcoded


def test_ladder_and_entry_jobs_below_the_state_median(harlan):
    c = careers.region_careers(harlan, "hospitality-tourism")
    assert c.state_median_wage == 46_920  # Kentucky, all occupations, May 2025
    assert [r.id for r in c.ladder] == ["entry", "middle", "degree"]
    assert sum(r.share for r in c.ladder) == pytest.approx(1.0)
    entry = [o for o in c.occupations if o.rung == "entry" and o.wage is not None]
    wages = np.array([o.wage for o in entry])
    weights = np.array([o.share for o in entry])
    order = np.argsort(wages, kind="stable")
    cum = np.cumsum(weights[order])
    assert c.ladder[0].median_wage == wages[order][np.searchsorted(cum, cum[-1] / 2)]
    below = c.entry_jobs_below_state_median()
    assert below and all(o.rung == "entry" and o.wage < 46_920 for o in below)
    assert all(o.below_state_median is None for o in c.occupations if o.rung != "entry")
    fast_food = next(o for o in c.occupations if o.code == "35-3023")
    assert fast_food.below_state_median


def test_careers_to_json_is_plain_json(franklin):
    c = careers.region_careers(franklin, "advanced-manufacturing")
    data = json.loads(json.dumps(c.to_json()))
    assert {"sector", "staffing", "ladder", "occupations", "method", "sources"} <= set(data)
    assert data["sources"]["staffing"].startswith("U.S. Bureau of Labor Statistics, Occupational Employment")
    assert data["sources"]["staffing"].endswith("May 2025")
    assert data["sources"]["requirements"].endswith("2024-34")
    assert len(data["occupations"]) == 25


def test_unknown_sector_raises_key_error(franklin):
    with pytest.raises(KeyError, match="nope"):
        careers.region_careers(franklin, "nope")


def test_comparison_state_is_the_chosen_one_when_the_region_lies_in_it():
    cz = regions.resolve_region("cz", "226")  # Cabell County, WV area: Kentucky, Ohio, West Virginia
    assert cz.states == ("21", "39", "54")
    assert careers.comparison_state(cz, "21") == "21"
    assert careers.comparison_state(cz, "18") == careers.principal_state(cz) == "54"
    assert careers.comparison_state(cz, None) == "54"


def test_career_ladder_chart_reads_on_a_projector(columbus):
    from dashboard.report import charts

    c = careers.region_careers(columbus, "healthcare", state="39")
    points = charts.career_points(c, top=15)
    assert len(points) == 15 and points["jobs"].is_monotonic_decreasing  # the top occupations, by share
    assert set(points["rung"]) <= set(charts.RUNG_COLORS) and points["label"].is_unique
    spec = charts.career_ladder(c).to_dict()
    entry, dots = spec["hconcat"]
    assert entry["mark"]["type"] == "text" and entry["encoding"]["text"]["field"] == "education_short"
    layers = dots["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]
    assert marks[0] == "circle" and "rule" in marks  # the points and the state median line
    enc = layers[0]["encoding"]
    assert enc["size"]["field"] == "jobs" and enc["x"]["field"] == "wage" and enc["y"]["field"] == "label"
    assert enc["y"]["axis"]["labelFontSize"] >= 13 and enc["x"]["axis"]["labelFontSize"] >= 13
    # rows grouped by entry education, lowest first: every occupation is labelled on its own row
    order = enc["y"]["sort"]
    ranks = [int(points.set_index("label").loc[label, "order"]) for label in order]
    assert ranks == sorted(ranks) and "Registered Nurses" in order
    assert f"Ohio median wage, all jobs (${c.state_median_wage:,.0f})" in str(spec)
