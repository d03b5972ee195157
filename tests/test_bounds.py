"""Ranges for suppressed cells from every published figure, and the estimate inside them.

Real figures throughout (the bundled 2016 QCEW data, and the Indiana raw files, which
carry every level, for hiding published cells), plus hand-built tables with known answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import bounds, measures, regions, sectors
from dashboard.data import cell_bounds, paths, store
from dashboard.data.build import industry as build_industry
from dashboard.maps import data as map_data
from dashboard.report import suppression_example

COLUMBUS = "18140"  # Columbus, OH metro area; QCEW row C1814
ADV_MFG = sectors.sector_groups()["advanced-manufacturing"]
HEALTH = sectors.sector_groups()["healthcare"]


def _cell(industry, fips, naics, own=5):
    r = industry[(industry.area_fips == fips) & (industry.naics == naics) & (industry.own_code == own)]
    assert len(r) == 1, (fips, naics)
    return r.iloc[0]


def _allowance(figures: int) -> float:
    """Each published annual average is rounded to a whole job: a sum of ``figures`` published
    figures matches its published total within half a job per figure, plus the total's own half."""
    return 0.5 * (figures + 1)


def _region(region):
    area_region, _ = measures.qcew_area_region([region])
    return measures.group_measures(area_region, sectors.sector_groups()).set_index("group")


# -- the stored cell ranges ---------------------------------------------------------------------------


def test_every_suppressed_cell_has_a_range_and_an_estimate_inside_it(industry):
    priv = industry[industry.own_code == 5]
    sup = priv[priv.suppressed]
    for table in ("emplvl", "wages"):
        lo, hi, est = (sup[f"{table}_{e}"].astype("float64") for e in ("low", "high", "estimate"))
        assert lo.notna().all() and hi.notna().all() and est.notna().all()
        assert (lo >= 0).all() and (lo <= est).all() and (est <= hi).all()
        # a published figure is its own range: nothing stored
        assert priv.loc[~priv.suppressed, f"{table}_low"].isna().all()
    # never a zero standing for a suppressed cell that has establishments: its range reaches above zero
    with_estabs = sup[sup.estabs > 0]
    assert (with_estabs.emplvl_high.astype("float64") > 0).all()
    prior = priv[priv.prior_low.notna()]
    assert len(prior) >= len(sup)
    assert ((prior.prior_low <= prior.prior_estimate) & (prior.prior_estimate <= prior.prior_high)).all()


def test_ranges_are_tighter_than_the_simple_rule(industry):
    # the simple rule: 0 to the county's undisclosed jobs at that level
    priv = industry[(industry.own_code == 5) & (industry.area_type == "county")]
    total = priv[priv.naics == "10"].set_index("area_fips")["emplvl"].astype("float64")
    shown = priv[(priv.naics_level == 3) & ~priv.suppressed].groupby("area_fips")["emplvl"].sum().astype("float64")
    sup = priv[priv.suppressed & (priv.naics_level == 3)]
    simple = (sup.area_fips.map(total) - sup.area_fips.map(shown).fillna(0)).to_numpy()
    width = (sup.emplvl_high - sup.emplvl_low).astype("float64").to_numpy()
    figures = sup.area_fips.map(priv.groupby("area_fips").size()).to_numpy()
    ok = ~np.isnan(simple)
    # never wider, but for the rounding allowance of the county's published figures
    assert (width[ok] <= simple[ok] + _allowance(figures[ok])).all()
    assert np.median(width[ok]) < 0.2 * np.median(simple[ok])


# -- Columbus, OH: ranges within the published parents ---------------------------------------------------


def test_columbus_advanced_manufacturing_within_published_manufacturing(industry):
    m = _region(regions.resolve_region("cbsa", COLUMBUS)).loc["advanced-manufacturing"]
    mfg = int(_cell(industry, "C1814", "31-33").emplvl)
    subs = industry[
        (industry.area_fips == "C1814")
        & (industry.own_code == 5)
        & (industry.naics_level == 3)
        & (industry.naics.str[:2].isin(["31", "32", "33"]))
    ]
    outside = subs[~subs.naics.isin(ADV_MFG)]
    disclosed_outside = int(outside.loc[~outside.suppressed, "emplvl"].sum())
    assert m["emp_high"] <= mfg - disclosed_outside + _allowance(len(subs))
    assert m["emp_high"] < mfg
    # and the figures are gone: 40,870-314,292 jobs, LQ 0.72-5.57
    assert m["emp_high"] - m["emp_low"] < 1_000 and m["lq_high"] < 1.0
    assert m["emp_low"] <= m["employment_estimate"] <= m["emp_high"]


def test_columbus_healthcare_within_published_health_care(industry):
    m = _region(regions.resolve_region("cbsa", COLUMBUS)).loc["healthcare"]
    health = int(_cell(industry, "C1814", "62").emplvl)
    social = _cell(industry, "C1814", "624")
    disclosed_624 = 0 if social.suppressed else int(social.emplvl)
    subs = industry[
        (industry.area_fips == "C1814") & (industry.own_code == 5) & industry.naics.isin(["621", "622", "623", "624"])
    ]
    assert m["emp_high"] <= health - disclosed_624 + _allowance(len(subs))
    assert m["emp_high"] < health  # was 359,748 against the published 132,878


def test_transportation_no_longer_reaches_an_lq_of_ten():
    m = _region(regions.resolve_region("cbsa", COLUMBUS)).loc["transportation-logistics"]
    assert m["lq_high"] < 2  # was 10.84: 5 water-transport establishments holding 273,000 jobs


# -- whole sectors are their published figure ----------------------------------------------------------


@pytest.mark.parametrize(
    "fips, sector, subsectors",
    [
        ("01001", "11", ["111", "112", "113", "114", "115"]),
        ("18007", "23", ["236", "237", "238"]),
    ],
)
def test_all_subsectors_of_a_published_sector_are_that_sector_exactly(industry, fips, sector, subsectors):
    parent = _cell(industry, fips, sector)
    kids = industry[(industry.area_fips == fips) & (industry.own_code == 5) & industry.naics.isin(subsectors)]
    assert not parent.suppressed and kids.suppressed.any()
    area_region, _ = measures.qcew_area_region([regions.resolve_region("county", fips)])
    m = measures.group_measures(area_region, {"whole": subsectors}).iloc[0]
    assert m["employment"] == m["emp_low"] == m["emp_high"] == m["employment_estimate"] == parent.emplvl
    assert m["suppressed_areas"] == 0


def test_taxonomy_sectors_made_of_whole_naics_sectors_are_published_where_the_sector_is(industry):
    # Wholesale Trade is all of 42, Agriculture all of 11: a county publishing 42 gives a point value
    m = _region(regions.resolve_region("county", "18097")).loc["wholesale-trade"]
    assert m["employment"] == _cell(industry, "18097", "42").emplvl


# -- every way of building the same place gives the same interval ---------------------------------------

COLUMNS = ["emp_low", "emp_high", "employment_estimate", "lq_low", "lq_high", "lq_estimate", "employment"]


def _same(a: pd.DataFrame, b: pd.DataFrame):
    pd.testing.assert_frame_equal(
        a[COLUMNS].astype("float64"), b[COLUMNS].astype("float64"), check_exact=False, rtol=1e-12
    )


def test_official_metro_and_a_custom_region_of_its_counties_agree():
    metro = regions.resolve_region("cbsa", COLUMBUS)
    assert measures.qcew_area_region([metro])[0].index.tolist() == ["C1814"]
    custom = regions.custom_region(list(metro.counties))
    assert len(measures.qcew_area_region([custom])[0]) == len(metro.counties)
    _same(_region(metro), _region(custom))


def test_a_one_county_metro_and_its_county_agree():
    _same(_region(regions.resolve_region("cbsa", "21140")), _region(regions.resolve_region("county", "18039")))


def test_the_metro_inside_a_larger_region_counts_as_the_metro():
    # Columbus plus one neighbouring county equals the metro plus that county, however built
    metro = regions.resolve_region("cbsa", COLUMBUS)
    table = store.load_table("regions")
    neighbour = sorted(
        set(table.loc[(table.scheme == "county") & table.fips.str.startswith("39"), "fips"]) - set(metro.counties)
    )[0]
    both = _region(regions.custom_region(list(metro.counties) + [neighbour]))
    alone = _region(metro)
    county = _region(regions.resolve_region("county", neighbour))
    assert (both["emp_high"] <= alone["emp_high"] + county["emp_high"] + 1e-9).all()
    assert (both["emp_low"] >= alone["emp_low"] + county["emp_low"] - 1e-9).all()


# -- the truth is always inside: hide published cells of the Indiana raw files -------------------------------

INDIANA_RAW = paths.DEFAULT_RAW / "qcew" / "qcew_2016_q1-q4_by_area_INDIANA_raw.tar.gz"


@pytest.fixture(scope="module")
def indiana():
    if not INDIANA_RAW.exists():
        pytest.skip("the Indiana raw QCEW files are not present")
    from dashboard.data.ingest.qcew import read_qcew

    raw = read_qcew(INDIANA_RAW, agglvls=set(build_industry.AGGLVL_AREA_TYPE))
    rows = build_industry.industry_table(raw)
    return rows.drop(columns=bounds.CELL_COLUMNS)


def _hide(rows: pd.DataFrame, index) -> pd.DataFrame:
    out = rows.copy()
    out.loc[index, "suppressed"] = True
    out.loc[index, ["emplvl", "total_wages"]] = pd.NA
    out.loc[index, "oty_emplvl_chg"] = np.nan
    return out


def _hidden_sets(rows: pd.DataFrame) -> list[pd.Index]:
    priv = rows[(rows.own_code == 5) & ~rows.suppressed & rows.emplvl.notna()]
    rng = np.random.default_rng(2016)
    county = priv[priv.area_type == "county"]
    sets = [pd.Index(rng.choice(county.index, 400, replace=False))]
    # a whole sector and all its subsectors in a county; the same subsector in every county of the state
    elkhart = priv[(priv.area_fips == "18039") & (priv.naics.str[:2].isin(["31", "32", "33"]))]
    sets.append(elkhart.index)
    sets.append(county[county.naics == "336"].index)
    # a metro's and a state's published cells too
    sets.append(pd.Index(rng.choice(priv[priv.area_type.isin(["state", "metro"])].index, 60, replace=False)))
    return sets


@pytest.mark.parametrize("which", range(4))
def test_cell_ranges_contain_the_hidden_published_figures(indiana, which):
    hidden = _hidden_sets(indiana)[which]
    out = cell_bounds.cell_bounds(_hide(indiana, hidden), measures.metro_members())
    truth = indiana.loc[hidden]
    got = out.loc[hidden]
    for table, col in (("emplvl", "emplvl"), ("wages", "total_wages")):
        t = truth[col].astype("float64")
        lo, hi, est = (got[f"{table}_{e}"].astype("float64") for e in ("low", "high", "estimate"))
        assert ((lo <= t) & (t <= hi)).all(), truth.loc[~((lo <= t) & (t <= hi)), ["area_fips", "naics", col]]
        assert ((lo <= est) & (est <= hi)).all()
    prior = truth.emplvl.astype("float64") - truth.oty_emplvl_chg
    known = prior.notna()
    assert ((got.prior_low[known] <= prior[known] + 1e-6) & (prior[known] <= got.prior_high[known] + 1e-6)).all()


def test_group_ranges_contain_the_hidden_truth_in_every_county(indiana):
    hidden = _hidden_sets(indiana)[0].union(_hidden_sets(indiana)[2])
    masked = _hide(indiana, hidden)
    cells = bounds.year_cells(bounds.add_cell_bounds(masked, measures.metro_members()), measures.metro_members())
    truth = bounds.year_cells(bounds.add_cell_bounds(indiana, measures.metro_members()), measures.metro_members())
    checked = 0
    for codes in [ADV_MFG, HEALTH, ["31-33"], ["336"], ["62"], sectors.sector_groups()["energy-utilities"]]:
        lo, hi, est, _ = bounds.group_range(cells, codes)
        t_lo, t_hi, _, exact = bounds.group_range(truth, codes)
        known = exact & (truth.area_type == "county")  # where the raw files publish every cell of the group
        checked += known.sum()
        t = t_lo[known]
        assert ((lo[known] <= t + 1e-9) & (t <= hi[known] + 1e-9)).all(), codes
        assert ((lo <= est) & (est <= hi)).all()
    assert checked > 100


def test_the_estimate_is_close_where_the_truth_is_known(indiana):
    hidden = _hidden_sets(indiana)[0]
    out = cell_bounds.cell_bounds(_hide(indiana, hidden), measures.metro_members())
    t = indiana.loc[hidden, "emplvl"].astype("float64")
    est = out.loc[hidden, "emplvl_estimate"].astype("float64")
    width = (out.loc[hidden, "emplvl_high"] - out.loc[hidden, "emplvl_low"]).astype("float64")
    # better than the middle of the range, and within a quarter of the truth for most cells
    assert (est - t).abs().median() <= (width / 2).median()
    assert ((est - t).abs() <= 0.25 * t.clip(lower=20)).mean() > 0.6


# -- hand-built tables: three counties, two subsectors, known answers -------------------------------------


def _table(cells: dict[tuple[str, str], float | None], total_covered: dict[str, int], metro: tuple[str, ...] = ()):
    """Industry rows: ``cells[(area, naics)] = jobs`` (None = suppressed); every private total is its
    area's only industry (31-33), counties 90001-90005 in state 90 (row 90000), metro C9000."""
    rows = []
    for (area, naics), v in cells.items():
        kind = "state" if area.endswith("000") else "metro" if area.startswith("C") else "county"
        rows.append(
            dict(
                area_fips=area,
                area_type=kind,
                own_code=5,
                naics=naics,
                naics_level=0 if naics == "10" else 3 if len(naics) == 3 else 2,
                year=2016,
                suppressed=v is None,
                estabs=3,
                emplvl=v,
                total_wages=None if v is None else v * 40_000,
                oty_emplvl_chg=None if v is None else 0.0,
            )
        )
    for area, v in total_covered.items():
        kind = "state" if area.endswith("000") else "metro" if area.startswith("C") else "county"
        rows.append(
            dict(
                area_fips=area,
                area_type=kind,
                own_code=0,
                naics="10",
                naics_level=0,
                year=2016,
                suppressed=False,
                estabs=9,
                emplvl=v,
                total_wages=v * 40_000,
                oty_emplvl_chg=0.0,
            )
        )
    df = pd.DataFrame(rows)
    df["emplvl"] = df["emplvl"].astype("Float64")
    df["total_wages"] = df["total_wages"].astype("Float64")
    df["oty_emplvl_chg"] = df["oty_emplvl_chg"].astype("float64")
    metros = {"C9000": metro} if metro else None
    system, cells_ = cell_bounds.build_system(df, metros)
    return df, system, cells_, metros


#: State: 311 = 100, 312 = 60. County A publishes 311 = 50, 312 = 30; B (sector 50) and C (sector 30)
#: suppress both subsectors. With exact sums: B311 = t, C311 = 50 - t, B312 = 50 - t, C312 = t - 20, t in [20, 50].
BASE = {
    ("90000", "10"): 160,
    ("90000", "31-33"): 160,
    ("90000", "311"): 100,
    ("90000", "312"): 60,
    ("90001", "10"): 80,
    ("90001", "31-33"): 80,
    ("90001", "311"): 50,
    ("90001", "312"): 30,
    ("90003", "10"): 50,
    ("90003", "31-33"): 50,
    ("90003", "311"): None,
    ("90003", "312"): None,
    ("90005", "10"): 30,
    ("90005", "31-33"): 30,
    ("90005", "311"): None,
    ("90005", "312"): None,
}
COVERED = {"90000": 200, "90001": 100, "90003": 60, "90005": 40}


def _ranges(cells, system, unit=0.0):
    lo, hi, _ = cell_bounds.propagate(system, cells["emplvl"].astype("float64").to_numpy(), "emplvl", unit=unit)
    key = list(zip(cells["area_fips"], cells["naics"]))
    return {k: (lo[i], hi[i]) for i, k in enumerate(key)}, lo, hi


def _w(cells, picks):
    key = list(zip(cells["area_fips"], cells["naics"]))
    return np.array([1.0 if k in picks else 0.0 for k in key])


def test_hand_built_ranges_of_single_cells():
    df, system, cells, _ = _table(BASE, COVERED)
    r, lo, hi = _ranges(cells, system)
    assert r[("90003", "311")] == (20, 50)
    assert r[("90005", "311")] == (0, 30)
    assert r[("90003", "312")] == (0, 30)
    assert r[("90005", "312")] == (0, 30)
    # the linear program over all equations gives the same single-cell ranges
    value = cells["emplvl"].astype("float64").to_numpy()
    inf = np.full(len(value), np.inf)
    for cell, expected in [(("90003", "311"), (20, 50)), (("90005", "312"), (0, 30))]:
        got = bounds.lp_range(system, value, np.zeros(len(value)), inf, "emplvl", [_w(cells, {cell})], unit=0.0)[0]
        assert got == pytest.approx(expected)


def test_hand_built_sums_need_the_linear_program():
    df, system, cells, _ = _table(BASE, COVERED)
    _, lo, hi = _ranges(cells, system)
    value = cells["emplvl"].astype("float64").to_numpy()
    cases = [
        ({("90003", "311"), ("90003", "312")}, (50, 50)),  # B's whole sector, published
        ({("90003", "311"), ("90005", "311")}, (50, 50)),  # B and C in 311: the state less A
        ({("90003", "311"), ("90005", "312")}, (20, 80)),  # 2t - 20
        ({("90001", "311"), ("90003", "311")}, (70, 100)),  # A and B in 311: 50 + t
        ({("90005", "311"), ("90003", "312")}, (0, 60)),  # 100 - 2t
    ]
    for picks, expected in cases:
        got = bounds.lp_range(system, value, lo, hi, "emplvl", [_w(cells, picks)], unit=0.0)[0]
        assert got == pytest.approx(expected), picks
    # per-cell ranges alone would allow 20 to 80 for B's sector; the joint problem pins it
    w = _w(cells, {("90003", "311"), ("90003", "312")})
    assert (w * lo).sum() == 20 and (w * hi).sum() == 80


def test_hand_built_group_ranges_use_the_published_parents():
    df, system, cells, metros = _table(BASE, COVERED)
    yc = bounds.year_cells(bounds.add_cell_bounds(df), metros)  # stored ranges carry the rounding allowance
    area = {a: i for i, a in enumerate(yc.areas)}
    lo, hi, est, exact = bounds.group_range(yc, ["311"])
    assert 17 <= lo[area["90003"]] <= 20 and 50 <= hi[area["90003"]] <= 52
    assert lo[area["90003"]] <= est[area["90003"]] <= hi[area["90003"]]
    lo, hi, est, exact = bounds.group_range(yc, ["311", "312"], unit=0.0)
    assert exact[area["90003"]] and lo[area["90003"]] == hi[area["90003"]] == 50


def test_hand_built_zero_establishments_and_a_metro_pin_the_cells():
    # C has no 312 row (no establishment: zero jobs): C311 = 30, so t = 50
    cells_ = {k: v for k, v in BASE.items() if k != ("90005", "312")}
    _, system, cells, _ = _table(cells_, COVERED)
    r, _, _ = _ranges(cells, system)
    assert r[("90005", "311")] == (30, 30) and r[("90003", "311")] == (20, 20) and r[("90003", "312")] == (30, 30)
    # a metro of A and B publishing 311 = 80 gives B311 = 30 (t = 30) and so every cell
    with_metro = dict(BASE) | {
        ("C9000", "10"): 130,
        ("C9000", "31-33"): 130,
        ("C9000", "311"): 80,
        ("C9000", "312"): 50,
    }
    _, system, cells, _ = _table(with_metro, COVERED | {"C9000": 160}, metro=("90001", "90003"))
    assert system.metros_used == ("C9000",)
    r, _, _ = _ranges(cells, system)
    assert r[("90003", "311")] == (30, 30) and r[("90005", "311")] == (20, 20)
    assert r[("90003", "312")] == (20, 20) and r[("90005", "312")] == (10, 10)


def test_hand_built_rounding_allowance_widens_by_half_a_job_per_figure():
    df, system, cells, _ = _table(BASE, COVERED)
    r, _, _ = _ranges(cells, system, unit=None)  # the default: each figure rounded to a whole job
    lo, hi = r[("90003", "311")]
    assert 17 <= lo <= 20 and 50 <= hi <= 52


def test_a_metro_whose_total_shows_another_delineation_adds_no_equation():
    with_metro = dict(BASE) | {
        ("C9000", "10"): 100,
        ("C9000", "31-33"): 100,
        ("C9000", "311"): 60,
        ("C9000", "312"): 40,
    }
    _, system, _, _ = _table(with_metro, COVERED | {"C9000": 120}, metro=("90001", "90003"))  # A + B cover 160, not 120
    assert system.metros_used == ()


# -- the exact problem on real figures --------------------------------------------------------------------


def test_closed_form_contains_the_exact_range_for_indiana_counties(industry):
    rows = industry[industry.year == 2016]
    system, cells = cell_bounds.build_system(rows, measures.metro_members())
    for fips in ["18049", "18099", "18141"]:
        m = measures.group_measures(
            measures.qcew_area_region([regions.resolve_region("county", fips)])[0], {"adv": ADV_MFG}
        ).iloc[0]
        lo, hi = bounds.lp_group_range(system, cells, [fips], ADV_MFG)
        assert m["emp_low"] - 1e-6 <= lo + 1 and hi <= m["emp_high"] + 1e-6 + 1
        # the closed form is close to the exact range
        assert (m["emp_high"] - m["emp_low"]) - (hi - lo) <= 0.1 * (m["emp_high"] - m["emp_low"]) + 25


# -- the worked example on the Data and methods page ------------------------------------------------------


def test_worked_example_is_computed_from_the_data(industry):
    ex = suppression_example.suppression_example()
    assert ex["region"] == "Columbus, OH Metro Area" and ex["year"] == 2016
    assert ex["sector_total"] == int(_cell(industry, "C1814", "31-33").emplvl)
    assert ex["low"] <= ex["estimate"] <= ex["high"] <= ex["sector_total"]
    assert ex["simple_high"] > 5 * ex["high"]
    assert ex["suppressed"] and all(code in ADV_MFG for code in ex["suppressed"])
    # the figures for the simple rule, and the page's words carry the computed figures
    assert (ex["simple_low"], ex["simple_high"]) == (40_870, 314_292)
    text = " ".join(suppression_example.suppression_example_text(ex))
    for figure in (ex["sector_total"], ex["low"], ex["high"], ex["estimate"], ex["simple_high"]):
        assert f"{figure:,}" in text
    assert "estimate" in text and "settled by the published figures" in text


def test_change_ranges_contain_the_published_change(industry):
    # last year's jobs and the change are bounded too: a published change lies in its area's group range
    c = measures.cells(2016)
    lo, hi, est, exact = bounds.group_range(c, ADV_MFG, "change")
    plo, phi, pest, _ = bounds.group_range(c, ADV_MFG, "prior")
    assert (lo <= est).all() and (est <= hi).all() and (plo <= phi).all()
    i = c.areas.get_loc("18039")
    chg = industry[
        (industry.area_fips == "18039") & (industry.own_code == 5) & industry.naics.isin(ADV_MFG)
    ].oty_emplvl_chg
    if exact[i]:
        assert lo[i] == pytest.approx(chg.sum(), abs=0.01)


# -- map views stay fast ------------------------------------------------------------------------------------


def test_map_table_reuses_the_years_matrices():
    view = map_data.view_regions("county", "18")
    a = map_data.industry_table(view, "advanced-manufacturing")
    b = map_data.industry_table(view, "advanced-manufacturing")
    pd.testing.assert_frame_equal(a, b)
    assert measures.cells(2016) is measures.cells(2016)


# -- what the screens, CSVs, tooltips and the brief show ----------------------------------------------------


def test_ranked_table_carries_low_estimate_high_and_the_screen_shows_the_estimate():
    from dashboard.report import tables

    table = map_data.industry_table(map_data.view_regions("county", "18"), "advanced-manufacturing")
    ranked = tables.ranked_industry(table)
    sup = ranked[ranked["suppressed_counties"] > 0]
    pub = ranked[ranked["suppressed_counties"] == 0]
    assert len(sup) and len(pub)
    assert (sup["lq_low"] <= sup["lq_estimate"]).all() and (sup["lq_estimate"] <= sup["lq_high"]).all()
    assert sup["lq"].isna().all()  # the estimate is never the published column
    assert (pub["lq_low"] == pub["lq"]).all() and (pub["employment_estimate"] == pub["employment"]).all()
    shown = tables.for_display(
        ranked, {"lq": "ratio", "employment": "count"}, ranges={"lq": "lq_range", "employment": "employment_range"}
    )
    assert not any(
        c.endswith(("_low", "_estimate", "_high")) for c in shown.columns if c.startswith(("lq", "employment"))
    )
    row = ranked.index.get_loc(sup.index[0])
    text = shown.iloc[row]
    lq_col = next(c for c in shown.columns if str(c).lower().startswith("lq"))
    assert text[lq_col].startswith(sup["lq_range"].iloc[0]) and ", estimate " in text[lq_col]


def test_profile_rows_carry_the_estimates_and_the_verdict():
    from dashboard.report import brief, profile_tables

    p = profiles_egr2()
    for c in p.candidate_sectors:
        assert c["confidence"] in sectors.CONFIDENCES
        assert (
            c["verdict"] == sectors.NOT_KNOWN
            if c["confidence"] == sectors.NOT_KNOWN
            else c["verdict"].endswith(c["class"])
        )
        if c["employment"] is None and c["employment_low"] is not None:
            assert c["employment_low"] <= c["employment_estimate"] <= c["employment_high"]
            assert brief.employment_text(c).endswith(f", est. {c['employment_estimate']:,}")
        elif c["employment"] is not None:
            assert c["employment_estimate"] == c["employment"]
    t = profile_tables.candidates_table(p)
    for col in ("lq", "jobs", "avg_annual_pay", "one_year_change"):
        assert {f"{col}_low", f"{col}_estimate", f"{col}_high"} <= set(t.columns)
    ok = t["jobs_low"].notna()
    assert (t.loc[ok, "jobs_low"] <= t.loc[ok, "jobs_estimate"]).all()
    assert (t.loc[ok, "jobs_estimate"] <= t.loc[ok, "jobs_high"]).all()


_EGR2 = {}


def profiles_egr2():
    from dashboard.report import profile

    if "p" not in _EGR2:
        _EGR2["p"] = profile.region_profile(regions.resolve_region("in-egr", "2"))
    return _EGR2["p"]
