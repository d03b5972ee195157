"""BLS Local Area Unemployment Statistics, county annual averages, 2024.

Publisher: U.S. Bureau of Labor Statistics, Local Area Unemployment Statistics
(LAUS), "Labor Force Data by County, 2024 Annual Averages" (laucnty24.xlsx).

Quirks handled:

* an Excel workbook: a title row, the header on row 2, then data, then
  footer rows (a blank row, "SOURCE: BLS, LAUS" and a release date) that are
  not data and are dropped;
* header names are matched with whitespace collapsed, since BLS has wrapped
  them across lines in some years;
* FIPS codes arrive as text ("01", "001") or, if the sheet was re-saved, as
  numbers; state and county parts are zero-padded and joined;
* counties only (no state or US rows); Connecticut appears as its planning
  regions 09110-09190; Puerto Rico municipios (72xxx) are included.

Errors name the file and the worksheet row (as Excel numbers it).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from dashboard.data.ingest.common import SourceError, pad_fips, to_number

#: Output name -> publisher's header text (compared case-blind, whitespace collapsed).
HEADERS = {
    "state_fips": "State FIPS Code",
    "county_fips": "County FIPS Code",
    "area_name": "County Name/State Abbreviation",
    "year": "Year",
    "labor_force": "Labor Force",
    "employed": "Employed",
    "unemployed": "Unemployed",
    "unemployment_rate": "Unemployment Rate (%)",
}

COUNTS = ["labor_force", "employed", "unemployed"]
COLUMNS = ["fips", "area_name", "year", *COUNTS, "unemployment_rate"]


def read_laus(path: str | Path) -> pd.DataFrame:
    """Labor force, employment, unemployment and its rate, one row per county."""
    raw = _data_rows(_read_sheet(path), path)
    lines = raw["_line"]
    state = pad_fips(raw["state_fips"], 2, path, HEADERS["state_fips"], lines)
    county = pad_fips(raw["county_fips"], 3, path, HEADERS["county_fips"], lines)
    out = pd.DataFrame({"fips": state + county})
    out["area_name"] = raw["area_name"].fillna("").astype(str).str.strip()
    out["year"] = _whole(raw, "year", path)
    if out["year"].isna().any():
        idx = out["year"].isna().idxmax()
        raise SourceError(path, f"column {HEADERS['year']!r} is blank", line=int(lines[idx]))
    out["year"] = out["year"].astype("int64")
    for name in COUNTS:
        out[name] = _whole(raw, name, path)
    out["unemployment_rate"] = to_number(raw["unemployment_rate"], path, HEADERS["unemployment_rate"], lines)
    return out[COLUMNS].reset_index(drop=True)


def _read_sheet(path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "file not found")
    try:
        return pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, InvalidFileException, ParseError) as exc:
        raise SourceError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc


def _data_rows(sheet: pd.DataFrame, path) -> pd.DataFrame:
    """The rows between the header and the footer, renamed, with sheet row numbers."""
    header = _header_row(sheet, path)
    names = [_normal(v) for v in sheet.iloc[header]]
    positions = {}
    for key, text in HEADERS.items():
        if _normal(text) not in names:
            raise SourceError(path, f"missing column {text!r} in the header", line=header + 1)
        positions[key] = names.index(_normal(text))
    body = sheet.iloc[header + 1 :, list(positions.values())]
    body.columns = list(positions)
    body = body.assign(_line=body.index + 1)
    # Footer notes sit in the first column only; the last row with a state
    # code ends the data, so a blank code mid-table is still an error.
    has_code = body["state_fips"].notna()
    if not has_code.any():
        raise SourceError(path, "no data rows below the header", line=header + 1)
    body = body.loc[: has_code[has_code].index[-1]]
    return body.loc[~body.drop(columns="_line").isna().all(axis=1)]


def _header_row(sheet: pd.DataFrame, path, max_rows: int = 10) -> int:
    for i in range(min(max_rows, len(sheet))):
        names = {_normal(v) for v in sheet.iloc[i]}
        if {_normal(HEADERS["state_fips"]), _normal(HEADERS["county_fips"])} <= names:
            return i
    raise SourceError(path, f"no header row with 'State FIPS Code' and 'County FIPS Code' in the first {max_rows} rows")


def _normal(value) -> str:
    return "" if pd.isna(value) else re.sub(r"\s+", " ", str(value)).strip().lower()


def _whole(raw: pd.DataFrame, name: str, path) -> pd.Series:
    """Whole-number values; a fraction means the wrong column was picked up."""
    x = to_number(raw[name], path, HEADERS[name], raw["_line"])
    frac = x.notna() & (x % 1 != 0)
    if frac.any():
        idx = frac[frac].index[0]
        raise SourceError(
            path, f"column {HEADERS[name]!r}: {raw[name][idx]!r} is not a whole number", line=int(raw["_line"][idx])
        )
    return x.astype("Int64")
