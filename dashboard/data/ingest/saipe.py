"""Census SAIPE poverty and median household income, 2023, as tabulated by USDA ERS.

Publisher: U.S. Census Bureau, Small Area Income and Poverty Estimates
(SAIPE) program, 2023 estimates, in USDA Economic Research Service's county
poverty table (Poverty2023.csv): persons in poverty (all ages, ages 0-17),
their rates, and median household income.

Quirks handled:

* four note rows above the header; an optional UTF-8 byte-order mark;
  thousands separators in counts and dollars;
* column names carry the year (``POVALL_2023``), matched as ``POVALL_<year>``
  so another vintage of the same table reads too;
* SAIPE publishes no denominators. The universe (persons for whom poverty
  status is determined) is implied from the published count and rate:
  ``round(count * 100 / rate)``; missing when the rate is missing or zero.
  Rates are published to one decimal, so the implied universe is only as
  precise as that rounding allows (about +/-0.05 / rate, relative);
* blank cells stay missing (Kalawao County, HI 15005 has no estimates);
* US row "00000", states "SS000"; Connecticut appears as its nine planning
  regions (09110-09190) only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, to_number

ID_COLUMNS = ["FIPS_Code", "Stabr", "Area_Name"]

#: Output name -> publisher's column stem (the year follows an underscore).
STEMS = {
    "poverty_count": "POVALL",
    "poverty_rate": "PCTPOVALL",
    "child_poverty_count": "POV017",
    "child_poverty_rate": "PCTPOV017",
    "median_household_income": "MEDHHINC",
}

COLUMNS = [
    "fips",
    "area_name",
    "state_abbr",
    "level",
    "poverty_count",
    "poverty_rate",
    "poverty_universe",
    "child_poverty_count",
    "child_poverty_rate",
    "child_poverty_universe",
    "median_household_income",
]


def read_saipe(path: str | Path) -> pd.DataFrame:
    """Poverty counts, rates, implied universes and median household income."""
    raw = read_csv_table(path, ID_COLUMNS)
    lines = raw["_line"]
    out = pd.DataFrame({"fips": pad_fips(raw["FIPS_Code"], 5, path, "FIPS_Code", lines)})
    out["area_name"] = raw["Area_Name"].str.strip()
    out["state_abbr"] = raw["Stabr"].str.strip()
    out["level"] = out["fips"].map(_level)
    for name, stem in STEMS.items():
        column = _year_column(raw.columns, stem, path)
        number = to_number(raw[column], path, column, lines)
        out[name] = number if name.endswith("_rate") else _whole(number, raw[column], path, column, lines)
    out["poverty_universe"] = implied_universe(out["poverty_count"], out["poverty_rate"])
    out["child_poverty_universe"] = implied_universe(out["child_poverty_count"], out["child_poverty_rate"])
    out = out[COLUMNS]
    out.attrs["vintage"] = int(_year_column(raw.columns, STEMS["poverty_count"], path)[-4:])
    return out


def implied_universe(count: pd.Series, rate: pd.Series) -> pd.Series:
    """``count * 100 / rate`` rounded; missing where the rate cannot divide."""
    rate = rate.astype("float64").where(rate > 0)
    return np.round(count.astype("float64") * 100 / rate).astype("Int64")


def _level(fips: str) -> str:
    if fips == "00000":
        return "us"
    return "state" if fips.endswith("000") else "county"


def _year_column(columns, stem: str, path) -> str:
    hits = [c for c in columns if re.fullmatch(rf"{stem}_\d{{4}}", c)]
    if len(hits) != 1:
        raise SourceError(path, f"expected one column {stem}_<year>, found {hits or 'none'}")
    return hits[0]


def _whole(x: pd.Series, values: pd.Series, path, column: str, lines: pd.Series) -> pd.Series:
    """Whole-number counts; a fraction means the wrong column was picked up."""
    frac = x.notna() & (x % 1 != 0)
    if frac.any():
        idx = frac[frac].index[0]
        raise SourceError(path, f"column {column!r}: {values[idx]!r} is not a whole number", line=int(lines[idx]))
    return x.astype("Int64")
