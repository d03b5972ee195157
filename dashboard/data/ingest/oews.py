"""BLS Occupational Employment and Wage Statistics (OEWS), May estimates.

Publisher: U.S. Bureau of Labor Statistics, OEWS. The files are the BLS
time-series flat files (``oe.data.0.Current`` with ``oe.area``,
``oe.industry``, ``oe.occupation``) laid out with the column names of the
OEWS download files (``TOT_EMP``, ``A_MEDIAN``...); see
``../shared/data/raw/occupations/PROVENANCE.md``. Five layouts, one reader each:

* national industry-by-occupation estimates (``NAICS, OCC_CODE, O_GROUP,
  TOT_EMP, ... A_MEDIAN, ... FOOTNOTES``): the staffing pattern of every
  industry;
* state, metropolitan and nonmetropolitan cross-industry estimates
  (``AREA, AREA_TYPE, PRIM_STATE_FIPS, OCC_CODE, ...``): local wages;
* the area, industry and occupation lists (codes, titles, levels).

Quirks handled:

* ``-`` is "not published"; the reason is in ``FOOTNOTES`` as
  ``COLUMN:code`` pairs: 4 = the occupation is paid hourly only or annually
  only, 5 = the wage is at or above $115.00 an hour / $239,200 a year (shown
  as ``-``), 8 = the estimate is not released. A ``-`` without a footnote on
  its column is an error, so nothing goes missing silently;
* codes keep their leading zeros (``0018140`` is the Columbus, OH metro area:
  ``00`` + its CBSA code); sector codes are written ``31--34``;
* the estimate month and year come from the file name (``oews_m2025_...``,
  the name BLS gives its May files), checked for that pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, read_csv_table, to_number
from dashboard.data.ingest.rows import reject_rows

O_GROUPS = ("total", "major", "minor", "broad", "detailed")
FOOTNOTE_CODES = {"4": "hourly or annual only", "5": "at or above the top wage BLS publishes", "8": "not released"}
NATIONAL_COLUMNS = [
    "NAICS",
    "OCC_CODE",
    "O_GROUP",
    "TOT_EMP",
    "EMP_PRSE",
    "H_MEDIAN",
    "A_MEAN",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "A_PCT75",
    "A_PCT90",
    "FOOTNOTES",
]
AREA_COLUMNS = [
    "AREA",
    "AREA_TYPE",
    "PRIM_STATE_FIPS",
    "OCC_CODE",
    "O_GROUP",
    "TOT_EMP",
    "EMP_PRSE",
    "JOBS_1000",
    "LOC_QUOTIENT",
    "H_MEDIAN",
    "A_MEAN",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "FOOTNOTES",
]
#: Numeric columns kept from either layout, with the type they are stored as.
NUMBERS = {
    "TOT_EMP": "Int64",
    "EMP_PRSE": "float32",
    "H_MEDIAN": "float32",
    "A_MEAN": "float64",
    "A_PCT10": "float64",
    "A_PCT25": "float64",
    "A_MEDIAN": "float64",
    "A_PCT75": "float64",
    "A_PCT90": "float64",
    "JOBS_1000": "float32",
    "LOC_QUOTIENT": "float32",
}


def estimate_vintage(path: str | Path) -> str:
    """ "May 2025" from an OEWS file named ``oews_m2025_...`` (BLS's own naming of its May files)."""
    m = re.search(r"oews_m(\d{4})_", Path(path).name)
    if not m:
        raise SourceError(path, "the file name does not say the OEWS estimate year (expected oews_mYYYY_...)")
    return f"May {m.group(1)}"


def _footnotes(raw: pd.DataFrame, path) -> pd.DataFrame:
    """One boolean column per (column, code) footnote actually used, e.g. ``A_MEDIAN:5``."""
    notes = raw["FOOTNOTES"].str.strip()
    ok = notes.str.fullmatch(r"(?:[A-Z0-9_]+:[0-9]+)(?:;[A-Z0-9_]+:[0-9]+)*") | (notes == "")
    reject_rows(~ok, raw.assign(_v=notes), path, "FOOTNOTES {_v!r} is not COLUMN:code pairs separated by ';'")
    pairs = notes.str.split(";").explode()
    pairs = pairs[pairs.notna() & (pairs != "")]
    if pairs.empty:
        return pd.DataFrame(index=raw.index)
    codes = pairs.str.split(":").str[1]
    bad = ~codes.isin(list(FOOTNOTE_CODES))
    if bad.any():
        idx = bad[bad].index[0]
        raise SourceError(path, f"unknown footnote code {pairs[idx]!r}", line=int(raw.loc[idx, "_line"]))
    return pd.crosstab(pairs.index, pairs).reindex(raw.index, fill_value=0).astype(bool)


def _numbers(raw: pd.DataFrame, columns: list[str], path) -> pd.DataFrame:
    """The numeric columns, ``-`` missing only where a footnote on that column says why."""
    notes = _footnotes(raw, path)
    out = {}
    for col in columns:
        if col not in NUMBERS:
            continue
        values = raw[col].str.strip()
        dash = values == "-"
        explained = pd.Series(False, index=raw.index)
        for code in FOOTNOTE_CODES:
            if f"{col}:{code}" in notes:
                explained |= notes[f"{col}:{code}"]
        reject_rows(dash & ~explained, raw, path, f"{col} is '-' without a footnote saying why")
        number = to_number(values, path, col, raw["_line"])
        out[col] = number.round().astype("Int64") if NUMBERS[col] == "Int64" else number.astype(NUMBERS[col])
        if f"{col}:5" in notes:
            out[f"{col}_topcoded"] = notes[f"{col}:5"].to_numpy()
    frame = pd.DataFrame(out, index=raw.index)
    for col in ("A_MEDIAN", "H_MEDIAN"):
        if col in frame and f"{col}_topcoded" not in frame:
            frame[f"{col}_topcoded"] = False
    return frame


def _codes(raw: pd.DataFrame, path) -> None:
    occ = raw["OCC_CODE"].str.strip()
    reject_rows(~occ.str.fullmatch(r"\d{2}-\d{4}"), raw, path, "OCC_CODE {OCC_CODE!r} is not a SOC code (NN-NNNN)")
    group = raw["O_GROUP"].str.strip()
    reject_rows(~group.isin(O_GROUPS), raw, path, f"O_GROUP {{O_GROUP!r}} is not one of {list(O_GROUPS)}")


def read_oews_national(path: str | Path) -> pd.DataFrame:
    """National industry-by-occupation estimates: employment and wage percentiles.

    Columns: ``naics`` (OEWS industry code), ``occ_code``, ``o_group``,
    ``tot_emp`` (Int64, missing where not released), ``emp_prse``,
    ``h_median``, ``a_mean``, ``a_pct10`` ... ``a_pct90``, ``a_median_topcoded``,
    ``h_median_topcoded``. ``attrs["vintage"]`` is the estimate month ("May 2025").
    """
    raw = read_csv_table(path, NATIONAL_COLUMNS)
    naics = raw["NAICS"].str.strip()
    reject_rows(
        ~naics.str.fullmatch(r"[0-9A-Z]{2}[0-9A-Z-]{4}"), raw, path, "NAICS {NAICS!r} is not an OEWS industry code"
    )
    _codes(raw, path)
    return _estimates(
        raw,
        {"naics": naics},
        NATIONAL_COLUMNS,
        path,
        "industry {NAICS} and occupation {OCC_CODE} appear more than once",
    )


def read_oews_areas_wages(path: str | Path) -> pd.DataFrame:
    """Cross-industry estimates for states (``S``), metropolitan and nonmetropolitan areas (``M``).

    Columns: ``area`` (7 digits: state FIPS + ``00000``, ``00`` + CBSA code, or
    state FIPS + ``000nn`` for a nonmetropolitan area), ``area_type``,
    ``prim_state_fips``, ``occ_code``, ``o_group``, ``tot_emp``, ``h_median``,
    ``a_mean``, ``a_pct10``, ``a_pct25``, ``a_median`` and the top-coding flags.
    """
    raw = read_csv_table(path, AREA_COLUMNS)
    area = raw["AREA"].str.strip()
    reject_rows(~area.str.fullmatch(r"\d{7}"), raw, path, "AREA {AREA!r} is not a 7-digit OEWS area code")
    kind = raw["AREA_TYPE"].str.strip()
    reject_rows(
        ~kind.isin(["S", "M"]), raw, path, "AREA_TYPE {AREA_TYPE!r} is not S (state) or M (metro or nonmetro area)"
    )
    state = raw["PRIM_STATE_FIPS"].str.strip()
    reject_rows(
        ~state.str.fullmatch(r"\d{2}"), raw, path, "PRIM_STATE_FIPS {PRIM_STATE_FIPS!r} is not a 2-digit FIPS code"
    )
    _codes(raw, path)
    return _estimates(
        raw,
        {"area": area, "area_type": kind, "prim_state_fips": state},
        AREA_COLUMNS,
        path,
        "area {AREA} and occupation {OCC_CODE} appear more than once",
    )


def _estimates(raw: pd.DataFrame, where: dict[str, pd.Series], columns, path, clash: str) -> pd.DataFrame:
    """An estimates file's rows: ``where`` (the industry or area, its first column the key with the occupation),
    the occupation and its group, the numbers lower-cased, each key once, with the file's vintage."""
    nums = _numbers(raw, columns, path)
    out = pd.DataFrame({**where, "occ_code": raw["OCC_CODE"].str.strip(), "o_group": raw["O_GROUP"].str.strip()})
    out = pd.concat([out, nums], axis=1)
    out.columns = [c.lower() for c in out.columns]
    reject_rows(out.duplicated([next(iter(where)), "occ_code"]), raw, path, clash)
    out.attrs["vintage"] = estimate_vintage(path)
    return out.reset_index(drop=True)


def read_oews_areas(path: str | Path) -> pd.DataFrame:
    """The OEWS area list: ``area``, ``area_type`` (N, S, M), ``prim_state_fips``, ``area_title``."""
    raw = read_csv_table(path, ["AREA", "AREA_TYPE", "PRIM_STATE_FIPS", "AREA_TITLE"])
    reject_rows(~raw["AREA"].str.fullmatch(r"\d{7}"), raw, path, "AREA {AREA!r} is not a 7-digit OEWS area code")
    reject_rows(~raw["AREA_TYPE"].isin(["N", "S", "M"]), raw, path, "AREA_TYPE {AREA_TYPE!r} is not N, S or M")
    out = pd.DataFrame(
        {
            "area": raw["AREA"],
            "area_type": raw["AREA_TYPE"],
            "prim_state_fips": raw["PRIM_STATE_FIPS"],
            "area_title": raw["AREA_TITLE"].str.strip(),
        }
    )
    reject_rows(out["area"].duplicated(), raw, path, "AREA {AREA} appears more than once")
    out.attrs["vintage"] = estimate_vintage(path)
    return out


def read_oews_industries(path: str | Path) -> pd.DataFrame:
    """The OEWS industry list: ``naics``, ``naics_title``, ``level`` (0 total ... 5 five/six-digit)."""
    raw = read_csv_table(path, ["NAICS", "NAICS_TITLE", "IND_DISPLAY_LEVEL"])
    level = to_number(raw["IND_DISPLAY_LEVEL"], path, "IND_DISPLAY_LEVEL", raw["_line"])
    reject_rows(level.isna() | ~level.isin(range(6)), raw, path, "IND_DISPLAY_LEVEL {IND_DISPLAY_LEVEL!r} is not 0-5")
    out = pd.DataFrame(
        {
            "naics": raw["NAICS"].str.strip(),
            "naics_title": raw["NAICS_TITLE"].str.strip(),
            "level": level.astype("int8"),
        }
    )
    reject_rows(out["naics"].duplicated(), raw, path, "NAICS {NAICS} appears more than once")
    return out


def read_oews_occupations(path: str | Path) -> pd.DataFrame:
    """The OEWS occupation list (SOC 2018): ``occ_code``, ``occ_title``, ``o_group``, ``level`` (0 major ... 3 detailed)."""
    raw = read_csv_table(path, ["OCC_CODE", "OCC_TITLE", "O_GROUP", "OCC_DISPLAY_LEVEL"])
    _codes(raw, path)
    level = to_number(raw["OCC_DISPLAY_LEVEL"], path, "OCC_DISPLAY_LEVEL", raw["_line"])
    reject_rows(level.isna() | ~level.isin(range(4)), raw, path, "OCC_DISPLAY_LEVEL {OCC_DISPLAY_LEVEL!r} is not 0-3")
    out = pd.DataFrame(
        {
            "occ_code": raw["OCC_CODE"].str.strip(),
            "occ_title": raw["OCC_TITLE"].str.strip(),
            "o_group": raw["O_GROUP"].str.strip(),
            "level": level.astype("int8"),
        }
    )
    reject_rows(out["occ_code"].duplicated(), raw, path, "OCC_CODE {OCC_CODE} appears more than once")
    return out
