"""Census County Business Patterns (CBP): establishments, employment, payroll.

Two layouts are read into one table:

* the Census API pull (``geo_id, name, state_fips, county_fips, year,
  naics2017, naics2017_label, estab, emp, payann_thousands, ...``), county or
  state level, several years in one file;
* the official county file ``cbpYYco.txt`` (``fipstate, fipscty, naics, emp_nf,
  emp, qp1_nf, qp1, ap_nf, ap, est, n<5, ...``), where NAICS codes carry
  ``-`` and ``/`` padding (``------`` all sectors, ``31----`` manufacturing,
  ``311///`` a subsector). Its year comes from the file name (``cbp21co``) or
  the ``year`` argument.

Withheld cells are missing, never zero: in the API pull a withheld cell is
published as ``emp = 0`` and ``payann = 0`` with establishments present; in the
official file the flag ``D`` or ``S`` (or an older size-class ``empflag``)
marks it. A row with establishments, zero mid-March employment and a payroll
is not withheld: its establishments had no one on the payroll in the March
pay period but paid wages during the year (2018 onwards every ``emp = 0`` row
is of this kind), so its zero is kept. Payroll is returned in dollars. Only the all-sector total, 2-digit sectors and 3-digit
subsectors are kept, the levels the product compares across areas.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, read_text, to_number

COLUMNS = ["fips", "year", "naics", "naics_level", "estab", "emp", "payann", "withheld"]
API_REQUIRED = ["state_fips", "county_fips", "year", "naics2017", "estab", "emp", "payann_thousands"]
OFFICIAL_REQUIRED = ["fipstate", "fipscty", "naics", "emp", "ap", "est"]
#: Official sector codes spanning several 2-digit prefixes.
SPAN_SECTORS = {"31": "31-33", "44": "44-45", "48": "48-49"}


def read_cbp(path: str | Path, year: int | None = None) -> pd.DataFrame:
    """Read a CBP file in either layout; one row per area x year x NAICS."""
    text = read_text(path)
    header = text[:2000].lower()
    if "naics2017" in header:
        return _api_layout(read_csv_table(path, API_REQUIRED, text=text), path)
    if "fipstate" in header:
        return _official_layout(read_csv_table(path, OFFICIAL_REQUIRED, text=text), path, year)
    raise SourceError(
        path,
        "not a CBP file: expected the API columns (naics2017, ...) or the official county columns (fipstate, fipscty, naics, ...)",
    )


def naics_level(codes: pd.Series) -> pd.Series:
    """0 for the all-industry total, else the number of NAICS digits (sector = 2)."""
    level = codes.str.len().where(~codes.str.contains("-"), 2)
    return level.where(codes != "00", 0).astype("int8")


def _api_layout(raw: pd.DataFrame, path) -> pd.DataFrame:
    lines = raw["_line"]
    county = raw["county_fips"].str.strip()
    state = pad_fips(raw["state_fips"], 2, path, "state_fips", lines)
    is_state = county.eq("")
    county_padded = pad_fips(county.where(~is_state, "0"), 3, path, "county_fips", lines)
    out = pd.DataFrame(
        {
            "fips": state + county_padded.where(~is_state, "000"),
            "year": to_number(raw["year"], path, "year", lines).astype("int16"),
            "naics": raw["naics2017"].str.strip(),
            "estab": to_number(raw["estab"], path, "estab", lines),
            "emp": to_number(raw["emp"], path, "emp", lines),
            "payann": to_number(raw["payann_thousands"], path, "payann_thousands", lines) * 1000,
        }
    )
    out["withheld"] = out["emp"].eq(0) & out["payann"].eq(0) & out["estab"].gt(0)
    return _finish(out, path, lines)


def _official_layout(raw: pd.DataFrame, path, year: int | None) -> pd.DataFrame:
    lines = raw["_line"]
    if year is None:
        m = re.search(r"cbp(\d\d)co", Path(str(path)).name.lower())
        if not m:
            raise SourceError(path, "cannot tell the year: name the file cbpYYco.txt or pass year")
        yy = int(m.group(1))
        year = (1900 if yy >= 86 else 2000) + yy  # county files run from cbp86co to today
    naics = raw["naics"].str.strip()
    code = naics.str.rstrip("-/")
    code = code.where(naics != "------", "00").map(lambda c: SPAN_SECTORS.get(c, c))
    flag = raw["emp_nf"].str.strip().str.upper() if "emp_nf" in raw else pd.Series("", index=raw.index)
    if "empflag" in raw:
        flag = flag.where(raw["empflag"].str.strip() == "", "D")
    out = pd.DataFrame(
        {
            "fips": pad_fips(raw["fipstate"], 2, path, "fipstate", lines)
            + pad_fips(raw["fipscty"], 3, path, "fipscty", lines),
            "year": pd.Series(year, index=raw.index, dtype="int16"),
            "naics": code,
            "estab": to_number(raw["est"], path, "est", lines),
            "emp": to_number(raw["emp"], path, "emp", lines),
            "payann": to_number(raw["ap"], path, "ap", lines) * 1000,
        }
    )
    out["withheld"] = flag.isin(["D", "S"]) | (out["emp"].eq(0) & out["payann"].eq(0) & out["estab"].gt(0))
    return _finish(out, path, lines)


def _finish(out: pd.DataFrame, path, lines: pd.Series) -> pd.DataFrame:
    bad = ~out["naics"].str.fullmatch(r"00|\d{2}|\d{2}-\d{2}|\d{3,6}")
    if bad.any():
        i = bad.idxmax()
        raise SourceError(path, f"NAICS code {out['naics'].loc[i]!r} is not recognised", int(lines.loc[i]))
    out["naics_level"] = naics_level(out["naics"])
    out = out.loc[out["naics_level"] <= 3].copy()
    out.loc[out["withheld"], ["emp", "payann"]] = pd.NA
    out["estab"] = out["estab"].astype("Int32")
    out["emp"] = out["emp"].astype("Int64")
    out["payann"] = out["payann"].astype("Int64")
    dup = out.duplicated(["fips", "year", "naics"])
    if dup.any():
        i = dup.idxmax()
        raise SourceError(
            path, f"area {out['fips'].loc[i]} NAICS {out['naics'].loc[i]} appears twice", int(lines.loc[i])
        )
    return out[COLUMNS].sort_values(["fips", "year", "naics"], kind="stable").reset_index(drop=True)
