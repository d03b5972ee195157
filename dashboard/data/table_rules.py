"""What a processed table's figures must satisfy beyond its columns: the facts the code relies on.

A table that has the right columns can still be damaged (a row dropped, a row
listed twice). :func:`problem` finds the first such fault, so loading the
table stops with one message naming it instead of a wrong figure later.
"""

from __future__ import annotations

import pandas as pd

#: Columns that name one row of each table: a row listed twice would be counted twice.
KEYS = {
    "industry": ["year", "area_fips", "own_code", "naics"],
    "national": ["year", "own_code", "naics"],
    "cbp": ["year", "area_type", "fips", "naics"],
    "workforce": ["fips"],
    "regions": ["scheme", "region_id", "fips"],
    "occ_staffing": ["naics", "occ_code"],
    "occ_wages": ["area", "occ_code"],
    "occupations": ["occ_code"],
}
#: Total covered employment, all industries: the base every location quotient divides by.
TOTAL_OWNERSHIP, TOTAL_CODE = 0, "10"


def problem(name: str, table: pd.DataFrame) -> str | None:
    """The first fault in table ``name`` (a key of :data:`KEYS`), in words; None when there is none.

    Examples
    --------
    >>> problem("workforce", pd.DataFrame({"fips": ["18097", "18097"]}))
    'a row is listed twice (fips 18097)'
    """
    key = KEYS.get(name)
    if key:
        missing = table[key].isna().any(axis=1)
        if missing.any():
            return f"a row has no {', '.join(c for c in key if pd.isna(table.loc[missing, c]).any())}"
        twice = table.duplicated(key, keep=False)
        if twice.any():
            row = table.loc[twice, key].iloc[0]
            return "a row is listed twice (" + ", ".join(f"{c} {row[c]}" for c in key) + ")"
    if name == "national":
        return _national_totals(table)
    return None


def _national_totals(table: pd.DataFrame) -> str | None:
    total = table[(table["own_code"] == TOTAL_OWNERSHIP) & (table["naics"] == TOTAL_CODE)]
    for year in sorted(table["year"].unique()):
        emp = total.loc[total["year"] == year, "us_emplvl"]
        if emp.empty or not (emp.astype("float64") > 0).all():
            return f"no US total covered employment (all ownerships, NAICS {TOTAL_CODE}) for {int(year)}"
    return None


#: Tables that must hold the same years: a year in one and not the other has no national base (or no areas).
SAME_YEARS = {"industry": "national", "national": "industry"}


def year_mismatch(name: str, years, other_years) -> str | None:
    """The first year ``name`` holds that its companion table (:data:`SAME_YEARS`) lacks, in words."""
    extra = sorted(set(int(y) for y in years) - set(int(y) for y in other_years))
    if extra:
        return f"it holds {extra[0]}, a year {SAME_YEARS[name]}.parquet lacks (an install was interrupted or mixed)"
    return None
