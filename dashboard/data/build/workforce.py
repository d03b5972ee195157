"""County workforce composition: one row per county, counts with denominators.

Every indicator is kept as a count and its universe so that any set of
counties aggregates exactly (sum both, then divide). Published percentages
ride along for checking. Median household income cannot be summed; households
are kept as its weight for a labelled approximation.
"""

from __future__ import annotations

import pandas as pd

#: SVI indicators kept: count column and its universe column.
SVI_INDICATORS = ["pov150", "limited_english", "no_vehicle", "disability", "uninsured", "no_internet", "age17"]


def workforce_table(
    counties: pd.DataFrame,
    popest: pd.DataFrame,
    education: pd.DataFrame,
    saipe: pd.DataFrame,
    svi: pd.DataFrame,
    laus: pd.DataFrame,
    rucc: pd.DataFrame,
) -> pd.DataFrame:
    """Join the sources onto the county list (``counties``: fips, name, state_fips, state_abbr)."""
    out = counties[["fips", "name", "state_fips", "state_abbr"]].rename(columns={"name": "county_name"}).copy()

    def add(frame: pd.DataFrame, columns: dict[str, str]) -> None:
        nonlocal out
        part = frame.loc[_county_rows(frame), ["fips", *columns]].rename(columns=columns)
        out = out.merge(part, on="fips", how="left", validate="one_to_one")

    add(popest, {"population": "population"})
    add(education, {c: c for c in ["adults_25plus", "less_than_hs", "hs_only", "some_college", "bachelors_plus"]})
    add(saipe, {
        "poverty_count": "poverty_count", "poverty_universe": "poverty_universe", "poverty_rate": "poverty_rate_published",
        "child_poverty_count": "child_poverty_count", "child_poverty_universe": "child_poverty_universe",
        "child_poverty_rate": "child_poverty_rate_published", "median_household_income": "median_household_income",
    })
    svi_cols = {"households": "households"}
    for name in SVI_INDICATORS:
        svi_cols.update({name: name, f"{name}_universe": f"{name}_universe", f"{name}_pct_published": f"{name}_pct_published"})
    add(svi, svi_cols)
    add(laus, {"labor_force": "labor_force", "employed": "employed", "unemployed": "unemployed",
               "unemployment_rate": "unemployment_rate_published"})
    add(rucc, {"rucc": "rucc"})
    return _tight(out).sort_values("fips").reset_index(drop=True)


def _county_rows(frame: pd.DataFrame) -> pd.Series:
    if "level" in frame:
        return frame["level"].eq("county")
    return ~frame["fips"].str.endswith("000")


def _tight(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if col.endswith(("_published",)):
            df[col] = df[col].astype("float32")
        elif col == "rucc":
            df[col] = df[col].astype("Int8")
        elif pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].round().astype("Int64")
    return df
