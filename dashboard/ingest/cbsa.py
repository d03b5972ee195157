"""OMB Core Based Statistical Area (CBSA) delineation, July 2023 ("List 1").

Publisher: U.S. Census Bureau, Population Division, for OMB Bulletin 23-01
(July 2023 delineations under the 2020 standards). File ``list1_2023.xlsx``:
one row per county in a metropolitan or micropolitan area, 1,915 counties in
935 CBSAs (393 metro, 542 micro), including Puerto Rico.

Quirks handled:

- two title rows above the header: the header is found by its column names;
- note/source rows (text in column A only) and blank rows under the table are
  skipped;
- codes are text in the official file, but copies re-saved by spreadsheet
  programs hold them as numbers, so state (2), county (3), CBSA (5) and CSA (3)
  codes are zero-padded;
- Connecticut appears as its nine 2022 planning regions (09110-09190), not the
  eight historic counties; ``frame.attrs["connecticut"]`` records which.

Counties outside every CBSA are simply absent from the file.

The row checks at the bottom of this module are shared by the other region
parsers (commuting zones, BEA areas, RUCC, Indiana EGRs).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pandas as pd

from dashboard.ingest.common import SourceError, pad_fips

REQUIRED = [
    "CBSA Code", "CSA Code", "CBSA Title", "Metropolitan/Micropolitan Statistical Area", "CSA Title",
    "County/County Equivalent", "State Name", "FIPS State Code", "FIPS County Code", "Central/Outlying County",
]
AREA_TYPES = {"Metropolitan Statistical Area": "metro", "Micropolitan Statistical Area": "micro"}
COUNTY_ROLES = {"Central": "central", "Outlying": "outlying"}
OUTPUT = [
    "fips", "cbsa_code", "cbsa_title", "metro_micro", "csa_code", "csa_title",
    "central_outlying", "county_name", "state_name",
]


def read_cbsa(path: str | Path) -> pd.DataFrame:
    """County -> CBSA (and CSA) table from the Census ``list1`` workbook."""
    raw = drop_note_rows(_sheet_table(path, REQUIRED))
    if raw.empty:
        raise SourceError(path, "no county rows under the header")
    lines = raw["_line"]
    out = pd.DataFrame(
        {
            "fips": _county_fips(raw, path),
            "cbsa_code": pad_fips(raw["CBSA Code"], 5, path, "CBSA Code", lines),
            "cbsa_title": require_text(raw, "CBSA Title", path),
            "metro_micro": map_labels(raw, "Metropolitan/Micropolitan Statistical Area", AREA_TYPES, path),
            "csa_code": _optional_code(raw, "CSA Code", 3, path),
            "csa_title": raw["CSA Title"].where(raw["CSA Title"] != ""),
            "central_outlying": map_labels(raw, "Central/Outlying County", COUNTY_ROLES, path),
            "county_name": require_text(raw, "County/County Equivalent", path),
            "state_name": require_text(raw, "State Name", path),
            "_line": lines,
        }
    )
    reject_duplicates(out, "fips", path)
    return finish(out, OUTPUT)


def _county_fips(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    state = pad_fips(raw["FIPS State Code"], 2, path, "FIPS State Code", raw["_line"])
    county = pad_fips(raw["FIPS County Code"], 3, path, "FIPS County Code", raw["_line"])
    return state + county


def _optional_code(raw: pd.DataFrame, column: str, width: int, path: str | Path) -> pd.Series:
    """CSA code: blank for CBSAs outside any CSA, else zero-padded."""
    present = raw[column] != ""
    padded = pad_fips(raw.loc[present, column], width, path, column, raw.loc[present, "_line"])
    return padded.reindex(raw.index)


# --- reading the workbook -------------------------------------------------

# What openpyxl raises for a file that is not a complete .xlsx: a zip that
# does not open or is cut short, damaged compressed parts, missing parts,
# malformed XML.
_BROKEN_WORKBOOK = (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError, ParseError, ValueError, TypeError)


def _sheet_table(path: str | Path, required: list[str], max_title_rows: int = 30) -> pd.DataFrame:
    """First worksheet as text cells under the row holding ``required``, plus ``_line`` (row number)."""
    rows = _sheet_rows(path)
    header = next(
        (i for i, row in enumerate(rows[:max_title_rows]) if set(required) <= set(row)),
        None,
    )
    if header is None:
        raise SourceError(path, f"no header row with columns {required} in the first {max_title_rows} rows")
    names = [name or f"_blank{i}" for i, name in enumerate(rows[header])]
    body = [row + ("",) * (len(names) - len(row)) for row in rows[header + 1 :]]
    frame = pd.DataFrame([row[: len(names)] for row in body], columns=names, dtype=str)
    frame["_line"] = range(header + 2, header + 2 + len(frame))
    return frame


def _sheet_rows(path: str | Path) -> list[tuple[str, ...]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.exists():
        raise SourceError(path, "file not found")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [tuple(_cell_text(v) for v in row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except (InvalidFileException, IndexError, *_BROKEN_WORKBOOK) as exc:
        raise SourceError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc


def _cell_text(value: object) -> str:
    # Whole numbers stored as floats (46.0) must read as "46" so padding works.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- row checks shared by the region parsers -------------------------------


def drop_note_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop blank rows and title/footer notes: text in the first column only.

    A first cell that looks like a code (digits) is kept, so a data row with
    its other cells missing still fails validation instead of vanishing.
    """
    cells = frame.drop(columns="_line").fillna("").apply(lambda s: s.astype(str).str.strip())
    first, rest = cells.iloc[:, 0], cells.iloc[:, 1:]
    rest_blank = (rest == "").all(axis=1)
    note = rest_blank & ~first.str.fullmatch(r"[\d.]+")
    keep = ~(note | (rest_blank & (first == "")))
    return cells.loc[keep].assign(_line=frame.loc[keep, "_line"]).reset_index(drop=True)


def reject_rows(bad: pd.Series, frame: pd.DataFrame, path: str | Path, problem: str) -> None:
    """Raise for the first row flagged ``bad``; ``problem`` may hold ``{column}`` fields filled from that row."""
    if bad.any():
        idx = bad.idxmax()
        row = frame.loc[idx]
        raise SourceError(path, problem.format(**row.to_dict()), line=int(row["_line"]))


def reject_duplicates(frame: pd.DataFrame, column: str, path: str | Path) -> None:
    # A county listed twice would be double counted by every regional total.
    dup = frame[column].duplicated()
    reject_rows(dup, frame, path, f"{column} {{{column}}} appears more than once")


def require_text(frame: pd.DataFrame, column: str, path: str | Path) -> pd.Series:
    values = frame[column].fillna("").astype(str).str.strip()
    reject_rows(values == "", frame, path, f"{column!r} is empty")
    return values


def map_labels(frame: pd.DataFrame, column: str, labels: dict[str, str], path: str | Path) -> pd.Series:
    values = frame[column].fillna("").astype(str).str.strip()
    unknown = ~values.isin(list(labels))
    reject_rows(unknown, frame.assign(_v=values), path, f"{column!r}: {{_v!r}} is not one of {list(labels)}")
    return values.map(labels)


def id_text(frame: pd.DataFrame, column: str, path: str | Path, low: int = 1, high: int | None = None) -> pd.Series:
    """Whole-number ids as text without leading zeros or decimals ("3.0" -> "3"), range-checked."""
    values = frame[column].fillna("").astype(str).str.strip()
    shape_ok = values.str.fullmatch(r"\d+(\.0*)?")
    reject_rows(~shape_ok, frame.assign(_v=values), path, f"{column!r}: {{_v!r}} is not a whole-number id")
    numbers = values.str.replace(r"\.0*$", "", regex=True).astype(int)
    out_of_range = numbers < low
    if high is not None:
        out_of_range |= numbers > high
    limits = f"{low}..{high}" if high is not None else f">= {low}"
    reject_rows(out_of_range, frame.assign(_v=values), path, f"{column!r}: {{_v}} is outside {limits}")
    return numbers.astype(str)


def connecticut_geography(fips: pd.Series) -> str:
    """Which Connecticut units a county table uses: they changed in 2022.

    Census replaced the eight counties (09001-09015) with nine planning
    regions (09110-09190); tables of different vintages join only via a
    town-level crosswalk.
    """
    ct = fips[fips.str.startswith("09")]
    old = ct.str.fullmatch(r"090(0|1)\d").any()
    new = ct.str.fullmatch(r"091\d0").any()
    return {(False, False): "absent", (True, False): "counties_pre2022",
            (False, True): "planning_regions_2022", (True, True): "mixed"}[(bool(old), bool(new))]


def finish(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame[columns].reset_index(drop=True)
    out.attrs["connecticut"] = connecticut_geography(out["fips"])
    return out
