"""County Business Patterns employment for a region's counties: the trend per year and the change
between two years with shift-share.

A year counts only when every county of the region has a county-level CBP row
that year, the year's county files carry every code asked for, and no cell is
withheld: a partial sum would be a wrong number. The county rows are indexed
by county once, so a region reads only its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.analysis.measures import shift_share
from dashboard.data import store

#: What County Business Patterns counts, said wherever its figures are shown.
CBP_NOTE = (
    "Census County Business Patterns: mid-March employment of private employer establishments, "
    "noise-infused; not comparable one for one with QCEW annual averages"
)


@dataclass(frozen=True)
class _CountyRows:
    """County CBP rows as arrays, each county's row positions, and per year the counties covered and the
    codes carried."""

    fips: np.ndarray
    year: np.ndarray
    naics: np.ndarray
    emp: np.ndarray
    withheld: np.ndarray
    positions: dict[str, np.ndarray]
    covered: dict[int, frozenset[str]]
    codes: dict[int, frozenset[str]]


@lru_cache(maxsize=1)
def _county_rows() -> _CountyRows:
    cbp = store.load_table("cbp")
    county = cbp.loc[cbp["area_type"] == "county", ["fips", "year", "naics", "emp", "withheld"]].reset_index(drop=True)
    by_year = county.groupby("year")
    return _CountyRows(
        fips=county["fips"].to_numpy(dtype=object),
        year=county["year"].to_numpy(dtype=np.int64),
        naics=county["naics"].to_numpy(dtype=object),
        emp=county["emp"].to_numpy(dtype="float64"),
        withheld=county["withheld"].to_numpy(dtype=bool),
        positions=county.groupby("fips").indices,
        covered={int(y): frozenset(f) for y, f in by_year["fips"].unique().items()},
        codes={int(y): frozenset(c) for y, c in by_year["naics"].unique().items()},
    )


@lru_cache(maxsize=1)
def _us_employment() -> pd.DataFrame:
    """The sum of the state rows per NAICS code (rows) and year (columns); NaN where no state row exists."""
    cbp = store.load_table("cbp")
    states = cbp[cbp["area_type"] == "state"].astype({"naics": object})
    return states.pivot_table(index="naics", columns="year", values="emp", aggfunc="sum").astype("float64")


def _region_rows(counties, codes: list[str]) -> np.ndarray:
    """Positions of the counties' rows of the codes."""
    rows = _county_rows()
    found = [rows.positions[c] for c in set(counties) if c in rows.positions]
    pos = np.concatenate(found) if found else np.zeros(0, np.int64)
    return pos[np.isin(rows.naics[pos], list(codes))]


def _year_totals(counties, codes: list[str]) -> dict[int, int]:
    """Employment per year that counts (see the module)."""
    rows = _county_rows()
    pos = _region_rows(counties, codes)
    wanted, wanted_codes = set(counties), set(codes)
    withheld = set(rows.year[pos[rows.withheld[pos]]].tolist())
    counted = [
        y
        for y in sorted(rows.covered)
        if wanted <= rows.covered[y] and wanted_codes <= rows.codes[y] and y not in withheld
    ]
    years = rows.year[pos]
    return {y: int(rows.emp[pos[years == y]].sum()) for y in counted}


def cbp_trend(counties, codes: list[str]) -> pd.DataFrame:
    """Employment per CBP year for counties and NAICS codes: ``year, employment``; an empty frame
    means county CBP does not cover the region (or withholds a cell every year)."""
    if not set(counties):
        return pd.DataFrame(columns=["year", "employment"])
    return pd.DataFrame(list(_year_totals(counties, codes).items()), columns=["year", "employment"])


def cbp_change(counties, codes: list[str], start: int, end: int) -> dict | None:
    """Employment change between two CBP years for counties and NAICS codes, with shift-share.

    None when either year does not count (see the module) or has no state rows
    to give the US growth.

    Examples
    --------
    >>> out = cbp_change(["04013"], ["62"], 2017, 2021)  # Maricopa County, AZ: health care
    >>> out["change"] == out["employment_end"] - out["employment_start"]
    True
    """
    totals = _year_totals(counties, codes) if set(counties) else {}
    if start not in totals or end not in totals:
        return None
    us = _us_employment()
    if "00" not in us.index or not {start, end} <= set(us.columns):
        return None
    us_all = us.loc["00", [start, end]]
    us_ind = us.reindex([c for c in codes if c in us.index])[[start, end]].sum(min_count=1)
    if us_all.isna().any() or us_ind.isna().any():
        return None  # no state rows that year: no US growth to compare with
    emp_start, emp_end = float(totals[start]), float(totals[end])
    g_all = us_all[end] / us_all[start] - 1
    g_ind = us_ind[end] / us_ind[start] - 1
    out = shift_share(emp_start, emp_end, g_all, g_ind)
    out.update(
        start_year=start,
        end_year=end,
        employment_start=int(emp_start),
        employment_end=int(emp_end),
        growth=(emp_end / emp_start - 1) if emp_start > 0 else None,
        us_growth=g_ind,
    )
    return out
