"""Census Bureau county population estimates, Vintage 2024.

Publisher: U.S. Census Bureau, Population Estimates Program, "Annual
Resident Population Estimates ... for Counties: April 1, 2020 to July 1,
2024" (co-est2024-alldata.csv). Only the newest July 1 estimate
(``POPESTIMATE<year>`` with the highest year) is read; its year is the
vintage, in ``frame.attrs["vintage"]``.

Quirks handled:

* the file is latin-1, not UTF-8 ("Doña Ana County", NM 35013), decoded by
  :func:`read_text`;
* one file holds two summary levels: SUMLEV 040 (states, COUNTY "000") and
  050 (counties); any other level (a national row in some vintages) is
  dropped so totals are never double counted;
* STATE and COUNTY are separate, zero-padded columns joined into the 5-digit
  FIPS (states "SS000"); padding is reapplied in case a spreadsheet stripped it;
* Connecticut appears as its planning regions 09110-09190; Puerto Rico is not
  in this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, to_number

LEVELS = {"040": "state", "050": "county"}
REQUIRED = ["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME"]
COLUMNS = ["fips", "level", "state_name", "area_name", "population"]


def read_popest(path: str | Path) -> pd.DataFrame:
    """Newest July 1 resident population, one row per state and county."""
    raw = read_csv_table(path, REQUIRED)
    estimates = sorted(c for c in raw.columns if re.fullmatch(r"POPESTIMATE\d{4}", c))
    if not estimates:
        raise SourceError(path, "no POPESTIMATE<year> column")
    newest = estimates[-1]
    sumlev = pad_fips(raw["SUMLEV"], 3, path, "SUMLEV", raw["_line"])
    raw = raw.loc[sumlev.isin(LEVELS)].assign(SUMLEV=sumlev).reset_index(drop=True)
    if raw.empty:
        raise SourceError(path, "no state (SUMLEV 040) or county (050) rows")
    lines = raw["_line"]
    state = pad_fips(raw["STATE"], 2, path, "STATE", lines)
    county = pad_fips(raw["COUNTY"], 3, path, "COUNTY", lines)
    out = pd.DataFrame({"fips": state + county})
    out["level"] = raw["SUMLEV"].map(LEVELS)
    out["state_name"] = raw["STNAME"].str.strip()
    out["area_name"] = raw["CTYNAME"].str.strip()
    out["population"] = _whole(raw, newest, path)
    out = out[COLUMNS]
    out.attrs["vintage"] = int(newest[-4:])
    return out


def _whole(raw: pd.DataFrame, column: str, path) -> pd.Series:
    """Whole-number estimates; a fraction means the wrong column was picked up."""
    x = to_number(raw[column], path, column, raw["_line"])
    frac = x.notna() & (x % 1 != 0)
    if frac.any():
        idx = frac[frac].index[0]
        raise SourceError(
            path, f"column {column!r}: {raw[column][idx]!r} is not a whole number", line=int(raw["_line"][idx])
        )
    return x.astype("Int64")
