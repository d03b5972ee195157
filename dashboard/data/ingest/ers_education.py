"""USDA ERS county educational attainment, adults age 25 and older.

Publisher: USDA Economic Research Service, "Educational attainment for adults
age 25 and older for the United States, States, and counties, 1970-2023"
(Education.csv). Only the latest period is read: the Census Bureau's American
Community Survey 5-year estimates for 2019-23.

Quirks handled:

* one title row above the header; an optional UTF-8 byte-order mark;
  thousands separators in the counts ("78,327");
* header names may wrap across lines and their wording changes between
  decades ("Less than a high school diploma, 1970" but "Less than high school
  graduate, 2019-23"), so the four count columns are found by pattern on the
  whitespace-collapsed name and the period suffix;
* FIPS codes are text; the US total (if present) is "00000" and states
  "SS000". This vintage has no US row: it starts at Alabama;
* areas that did not exist in 2019-23 keep their rows with blank cells, which
  stay missing (<NA>): Connecticut's eight old counties (09001-09015, replaced
  by the planning regions 09110-09190) and historic Alaska areas such as
  Valdez-Cordova 02261.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, to_number

PERIOD = r"2019\s*[-\u2013]\s*(?:20)?23"

#: Output name -> pattern for the start of the publisher's column name.
#: Percent columns share the wording, so they are excluded separately.
COUNT_COLUMNS = {
    "less_than_hs": r"less than (?:a )?high school",
    "hs_only": r"high school (?:diploma only|graduate)",
    "some_college": r"some college",
    "bachelors_plus": r"(?:bachelor'?s degree or higher|four years of college or higher)",
}

COLUMNS = ["fips", "area_name", "level", *COUNT_COLUMNS, "adults_25plus"]


def read_education(path: str | Path) -> pd.DataFrame:
    """Counts of adults 25+ by attainment, 2019-23, one row per US/state/county."""
    raw = read_csv_table(path, ["FIPS Code", "Area name"])
    lines = raw["_line"]
    out = pd.DataFrame({"fips": pad_fips(raw["FIPS Code"], 5, path, "FIPS Code", lines)})
    out["area_name"] = raw["Area name"].str.strip()
    out["level"] = out["fips"].map(_level)
    for name, pattern in COUNT_COLUMNS.items():
        column = _period_column(raw.columns, pattern, path)
        out[name] = _count(raw[column], path, column, lines)
    # Any missing part leaves the total unknown rather than understated.
    out["adults_25plus"] = out[list(COUNT_COLUMNS)].sum(axis=1, skipna=False).astype("Int64")
    out = out[COLUMNS]
    first, last = re.search(r"(\d{4})\s*[-\u2013]\s*(\d{2,4})", column).groups()
    out.attrs["vintage"] = f"{first}-{first[: 4 - len(last)]}{last}"
    return out


def _level(fips: str) -> str:
    if fips == "00000":
        return "us"
    return "state" if fips.endswith("000") else "county"


def _period_column(columns, pattern: str, path) -> str:
    wanted = re.compile(rf"^{pattern}.*{PERIOD}\s*$")
    hits = [c for c in columns if wanted.search(_normal(c)) and "percent" not in _normal(c)]
    if len(hits) != 1:
        found = "none" if not hits else hits
        raise SourceError(path, f"expected one 2019-23 count column like {pattern!r}, found {found}")
    return hits[0]


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().lower()


def _count(values: pd.Series, path, column: str, lines: pd.Series) -> pd.Series:
    """Whole-number counts; a fraction means the wrong column was picked up."""
    x = to_number(values, path, column, lines)
    frac = x.notna() & (x % 1 != 0)
    if frac.any():
        idx = frac[frac].index[0]
        raise SourceError(path, f"column {column!r}: {values[idx]!r} is not a whole count", line=int(lines[idx]))
    return x.astype("Int64")
