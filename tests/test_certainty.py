"""How sure the figures are, on the bundled 2016 figures: estimates that add up, ranges that agree, verdicts in four words."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import formatting, measures, regions, sectors
from dashboard.data import store
from dashboard.report import brief, profile, profile_tables


@pytest.fixture(scope="module")
def private():
    ind = store.load_table("industry")
    return ind[(ind.own_code == 5) & (ind.year == 2016)].set_index(["area_fips", "naics"])


def _jobs(private, fips, naics):
    r = private.loc[(fips, naics)]
    return float(r["emplvl"]) if pd.notna(r["emplvl"]) else float(r["emplvl_estimate"])


def test_niagara_professional_services_estimate_is_above_zero_and_within_its_sector(private):
    # Niagara County, NY: NAICS 541 suppressed with 327 establishments (range 0-4,018); sector 54 holds the same jobs
    cell = private.loc[("36063", "541")]
    assert cell["suppressed"] and cell["estabs"] == 327
    assert 0 < cell["emplvl_estimate"] <= _jobs(private, "36063", "54")
    assert cell["emplvl_low"] <= cell["emplvl_estimate"] <= cell["emplvl_high"]


def test_no_cell_with_establishments_is_estimated_at_zero_where_more_is_allowed(private):
    zero = (private["emplvl_estimate"] == 0) & (private["estabs"] > 0) & (private["emplvl_high"] > 0)
    assert int(zero.sum()) == 0


def test_linn_county_manufacturing_subsectors_add_up_to_the_published_sector(private):
    # Linn County, IA: manufacturing (31-33) published at 18,002 jobs; its subsectors, some suppressed, add up
    linn = private.loc["19113"]
    assert linn.loc["31-33", "emplvl"] == 18002
    subs = [c for c in linn.index if len(c) == 3 and c[:2] in {"31", "32", "33"}]
    assert linn.loc[subs, "suppressed"].any()
    total = sum(_jobs(private, "19113", c) for c in subs)
    assert abs(total - 18002) <= (len(subs) + 1) / 2  # half a job per published figure


def test_new_york_publishing_change_reads_minus_888_as_a_real_value(private):
    # a monthly over-the-year change of exactly -888 jobs in the BLS file is a real change
    assert private.loc[("36000", "511"), "oty_emplvl_chg"] == pytest.approx(-1106.67)


def test_indiana_growth_region_11_logistics_range_lies_inside_its_parent_sector():
    region = regions.resolve_region("in-egr", "11")
    area_region, _ = measures.qcew_area_region([region])
    groups = {"tl": sectors.sector_groups()["transportation-logistics"], "48-49": ["48-49"]}
    assert all(c[:2] in {"48", "49"} for c in groups["tl"])
    m = measures.group_measures(area_region, groups).set_index("group")
    assert m.loc["tl", "emp_high"] <= m.loc["48-49", "emp_high"]
    assert m.loc["tl", "emp_low"] <= m.loc["tl", "employment_estimate"] <= m.loc["tl", "emp_high"]


def test_harlan_energy_is_not_known_and_not_first_while_healthcare_ranks_above_it():
    region = regions.resolve_region("county", "21095")  # Harlan County, KY
    ranked = sectors.rank_sectors(sectors.region_sector_measures(region))
    eu = ranked.index[ranked["group"] == "energy-utilities"][0]
    hc = ranked.index[ranked["group"] == "healthcare"][0]
    row = ranked.loc[eu]
    assert (row["emp_low"], row["emp_high"]) == (40, 1433)
    assert row["lq_low"] == pytest.approx(0.72, abs=0.005) and row["lq_high"] == pytest.approx(25.7, abs=0.05)
    assert row["verdict"] == "not known from public data" and row["confidence"] == sectors.NOT_KNOWN
    assert eu != 0 and ranked.loc[0, "confidence"] != sectors.NOT_KNOWN
    assert ranked.loc[hc, "lq_low"] >= 1.04 - 0.005
    assert hc < eu


def test_houston_profile_sums_its_counties_and_says_so():
    # the official 2016 Houston metro row lacks San Jacinto County, so it is not the region's row
    p = profile.region_profile(regions.resolve_region("cbsa", "26420"))
    assert p.industry_basis.startswith(f"sum of {len(p.region.counties)} county rows")
    assert "different set of counties" in p.industry_basis
    columbus = profile.region_profile(regions.resolve_region("cbsa", "18140"))
    assert columbus.industry_basis == "official QCEW row for the whole region"


def test_harlan_brief_and_csv_show_absurd_pay_and_growth_as_not_known():
    p = profile.region_profile(regions.resolve_region("county", "21095"))
    eu = next(c for c in p.candidate_sectors if c["id"] == "energy-utilities")
    assert eu["pay_high"] > 10 * eu["pay_low"]  # $1,471 to $1,456,656: the figures allow almost anything
    assert brief.pay_text(eu) == formatting.NOT_KNOWN
    assert brief.growth_text(eu) == formatting.NOT_KNOWN
    html = brief.brief_html(p)
    assert "1,456,656" not in html
    row = profile_tables.candidates_table(p).set_index("sector").loc[eu["name"]]
    assert row["avg_annual_pay_range"] == row["one_year_change_range"] == formatting.NOT_KNOWN
    assert row["pay_ratio_range"] == formatting.NOT_KNOWN
    # analysts keep the numbers
    assert row["avg_annual_pay_high"] == pytest.approx(eu["pay_high"])
    assert row["avg_annual_pay_low"] == pytest.approx(eu["pay_low"])


def test_harlan_profile_page_lists_unknown_sectors_last_and_explains_the_words():
    from test_app_pages import assert_clean, open_app

    at = open_app({"state": "KY", "scheme": "county", "region": "21095"}, "pages/region_profile.py")
    assert_clean(at)
    classes = list(at.dataframe[0].value["Class"])
    unknown = [c == sectors.NOT_KNOWN for c in classes]
    assert not unknown[0] and unknown == sorted(unknown)
    text = " ".join(m.value for m in at.markdown)
    assert "/data-and-methods#how-sure" in text
    for word in sectors.CONFIDENCES:
        assert word in text


@pytest.mark.parametrize(
    "cbsa, feasible",
    [("30620", 1243), ("31900", 1961)],  # Lima and Mansfield, OH: energy and utilities, values the figures allow
)
def test_energy_range_holds_every_value_the_published_figures_allow(cbsa, feasible):
    area_region, basis = measures.qcew_area_region([regions.resolve_region("cbsa", cbsa)])
    m = measures.group_measures(area_region, {"eu": sectors.sector_groups()["energy-utilities"]}).iloc[0]
    assert m["emp_low"] <= feasible <= m["emp_high"]
