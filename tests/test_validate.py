"""The whole-table rules every build and update passes before anything is installed (dashboard/data/validate.py).

Each damage is one real figure of the committed 2016 data changed the way a
hostile or broken server would change it; the rule that refuses it names the
row. The property test changes random cells of Indiana's rows, solves the
ranges again as the update does, and checks that whatever the rules let
through has no range with its low end above its high end, no negative figure
and no part above its whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import cell_bounds, paths, validate

ELKHART = "18039"


@pytest.fixture(scope="module")
def committed():
    return {n: pd.read_parquet(paths.ROOT / "data" / f"{n}.parquet") for n in ("industry", "national", "cbp")}


@pytest.fixture(scope="module")
def indiana(committed):
    ind = committed["industry"]
    return ind[ind["area_fips"].str.startswith("18")].reset_index(drop=True)


def refused(tables: dict, context: dict | None = None) -> str:
    with pytest.raises(validate.DataFault) as caught:
        validate.check(tables, context=context)
    return str(caught.value)


def at(df: pd.DataFrame, **where) -> int:
    mask = np.ones(len(df), bool)
    for k, v in where.items():
        mask &= (df[k] == v).to_numpy()
    assert mask.sum() == 1, where
    return int(np.flatnonzero(mask)[0])


def test_the_committed_data_pass(committed):
    validate.check(committed)


def test_a_subsector_above_its_sector_is_refused_before_ranges_are_solved(indiana, committed):
    """Elkhart's transportation equipment (336) at 70,000 jobs against manufacturing's 62,740, LQ hidden."""
    rows = indiana.copy()
    i = at(rows, area_fips=ELKHART, own_code=5, naics="336")
    rows.loc[i, "emplvl"] = 70_000
    rows.loc[i, "lq_published"] = np.nan
    message = refused({"industry": cell_bounds.add_cell_bounds(rows)}, {"national": committed["national"]})
    assert "area 18039, private, NAICS 336" in message
    assert "above its parent NAICS 31-33's 62,740" in message


@pytest.mark.parametrize(
    "column, value, rule",
    [
        ("total_wages", -5_000_000, "below zero"),
        ("lq_published", -1.2, "location quotient -1.2 is below zero"),
        ("oty_emplvl_chg", 1e300, "larger than the nation's employment"),
        ("estabs", 2_000_000_000, "above the nation's total"),
        ("emplvl", 10**17, "too large to be a count"),
        ("lq_published", float("inf"), "not a finite number"),
        ("lq_published", 40.0, "does not agree with"),
    ],
)
def test_impossible_figures_are_refused(indiana, committed, column, value, rule):
    rows = indiana.copy()
    i = at(rows, area_fips="18003", own_code=5, naics="23")
    rows[column] = rows[column].astype("float64") if isinstance(value, float) else rows[column]
    rows.loc[i, column] = value
    message = refused({"industry": rows}, {"national": committed["national"]})
    assert rule in message
    assert "area 18003" in message


def test_a_county_above_its_state_is_refused(indiana):
    rows = indiana.copy()
    i = at(rows, area_fips="18097", own_code=5, naics="62")
    state = rows.loc[at(rows, area_fips="18000", own_code=5, naics="62"), "emplvl"]
    rows.loc[i, "emplvl"] = state + 10
    # its sector total and the county total rise with it, so only the geography is broken
    for code in ("10",):
        rows.loc[at(rows, area_fips="18097", own_code=5, naics=code), "emplvl"] = 10**6
        rows.loc[at(rows, area_fips="18097", own_code=0, naics=code), "emplvl"] = 10**6
    message = refused({"industry": rows})
    assert "area 18097" in message and "its state's" in message


def test_a_range_with_low_above_high_is_refused(indiana):
    rows = cell_bounds.add_cell_bounds(indiana)
    i = int(np.flatnonzero(rows["emplvl_low"].notna().to_numpy())[0])
    rows.loc[i, "emplvl_low"] = rows.loc[i, "emplvl_high"] + 5
    assert "low above high" in refused({"industry": rows})


def test_a_year_listing_few_codes_is_refused(committed):
    """A national file listing a handful of codes would install a year no profile can show."""
    nat = committed["national"]
    few = nat[nat["naics"].isin(["10", "11", "21", "311"])].assign(year=2017)
    message = refused({"national": pd.concat([nat, few], ignore_index=True)})
    assert "year 2017" in message and "code list lacks NAICS" in message


def test_a_year_missing_most_subsectors_is_refused(committed):
    nat = committed["national"]
    thin = nat[nat["naics_level"] < 3].assign(year=2017)
    thin = pd.concat([thin, nat[nat["naics"].isin(["311", "336"])].assign(year=2017)])
    message = refused({"national": pd.concat([nat, thin], ignore_index=True)})
    assert "2 subsectors where another year holds 92" in message


@pytest.mark.parametrize(
    "fips, naics, column, value, rule",
    [
        ("18039", "23", "emp", -5_000, "emp is -5,000, below zero"),
        ("18039", "23", "emp", 900_000, "is above its parent NAICS 00's"),
        ("18039", "23", "payann", 9 * 10**18, "too large to be a count"),
        ("18039", "23", "payann", 9 * 10**15, "above the nation's total"),
        ("18039", "23", "emp", 2.5, "not a whole number"),
        ("18039", "00", "estab", 5_000_000_000, "above the nation's total"),
    ],
)
def test_impossible_cbp_figures_are_refused(committed, fips, naics, column, value, rule):
    cbp = committed["cbp"]
    rows = cbp[cbp["fips"].str.startswith("18")].reset_index(drop=True)
    if isinstance(value, float) or abs(value) > 2**31:
        rows[column] = rows[column].astype("float64")
    rows.loc[at(rows, fips=fips, naics=naics, year=2022), column] = value
    message = refused({"cbp": rows}, {"industry": committed["industry"]})
    assert rule in message
    assert f"area {fips}" in message and "year 2022" in message


def test_a_cbp_county_above_its_state_is_refused(committed):
    """Kansas's Johnson County (20091) given more establishments than Kansas, its total and sectors with it."""
    cbp = committed["cbp"]
    rows = cbp[cbp["fips"].str.startswith("20") & (cbp["year"] == 2021)].reset_index(drop=True)
    state = rows.loc[at(rows, fips="20000", naics="00", year=2021), "estab"]
    rows.loc[at(rows, fips="20091", naics="00", year=2021), "estab"] = state + 100
    message = refused({"cbp": rows})
    assert "area 20091" in message and "its state's" in message


# ---------------------------------------------------------------- the property


def _independent_faults(rows: pd.DataFrame) -> list[str]:
    """What no installed table may hold, checked without the module under test."""
    faults = []
    for t in ("emplvl", "wages", "prior"):
        lo, hi = rows[f"{t}_low"].astype("float64"), rows[f"{t}_high"].astype("float64")
        if (lo > hi).any():
            faults.append(f"{t} low above high")
        if (lo < 0).any():
            faults.append(f"{t} range below zero")
    for c in ("estabs", "emplvl", "total_wages"):
        if (rows[c].astype("float64") < 0).any():
            faults.append(f"negative {c}")
    parent = rows["naics"].map(cell_bounds.sector_of)
    whole = rows.set_index(["area_fips", "own_code", "naics"])["emplvl"].astype("float64")
    keyed = pd.MultiIndex.from_arrays([rows["area_fips"], rows["own_code"], parent])
    pv = whole.reindex(keyed).to_numpy()
    low = np.where(rows["emplvl"].isna(), rows["emplvl_low"].astype("float64"), rows["emplvl"].astype("float64"))
    if np.nanmax(np.where(np.isnan(pv), -np.inf, low - pv)) > 1:
        faults.append("a part above its whole")
    return faults


DAMAGE = st.tuples(
    st.sampled_from(["emplvl", "estabs", "total_wages", "lq_published", "oty_emplvl_chg"]),
    st.one_of(
        st.integers(min_value=-(10**7), max_value=10**7),
        st.sampled_from([0, 1, 2**62, -(2**62), 10**15]),
        st.floats(allow_nan=False),
    ),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.integers(min_value=0, max_value=10**9), damages=st.lists(DAMAGE, min_size=1, max_size=3))
def test_no_accepted_update_holds_an_impossible_figure(indiana, committed, cell, damages):
    rows = indiana.copy()
    for column in ("emplvl", "estabs", "total_wages"):
        rows[column] = rows[column].astype("float64")
    for k, (column, value, hide_lq) in enumerate(damages):
        i = (cell * (k + 7)) % len(rows)
        if column in ("emplvl", "estabs", "total_wages") and isinstance(value, float) and not np.isfinite(value):
            value = 1e300
        rows.loc[i, column] = value
        if hide_lq:
            rows.loc[i, "lq_published"] = np.nan
    try:
        solved = cell_bounds.add_cell_bounds(rows)
    except (ValueError, OverflowError, FloatingPointError):
        return  # the solver refuses: nothing is installed either
    try:
        validate.check({"industry": solved}, context={"national": committed["national"]})
    except validate.DataFault:
        return
    assert _independent_faults(solved) == []


def test_the_build_refuses_the_same_figures_naming_the_raw_file(indiana, committed, tmp_path):
    """``build`` applies the rules too: Elkhart's 336 above its sector stops it before a file is written."""
    from dashboard.data.build import VINTAGES, write_outputs
    from dashboard.data.ingest.common import SourceError

    rows = indiana.copy()
    rows.loc[at(rows, area_fips=ELKHART, own_code=5, naics="336"), "emplvl"] = 70_000
    vintages = pd.DataFrame({"source": ["industry"], "year": [2016], "vintage": ["2016"]}).astype({"year": "Int16"})
    tables = {"industry": rows, "national": committed["national"], VINTAGES: vintages}
    raw = tmp_path / "raw"
    (raw / "qcew").mkdir(parents=True)
    (raw / "qcew" / "qcew_2016_q1-q4_by_area_subset.csv.gz").write_bytes(b"")
    out = tmp_path / "data"
    with pytest.raises(SourceError) as caught:
        write_outputs(tables, raw, out, tmp_path / "shapefiles")
    message = str(caught.value)
    assert "qcew_2016_q1-q4_by_area_subset.csv.gz" in message
    assert "area 18039, private, NAICS 336: emplvl 70,000 is above its parent NAICS 31-33's 62,740" in message
    assert not out.exists() or not any(out.iterdir())
