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

from dashboard.data.ingest.common import SourceError, pad_fips
from dashboard.data.ingest.rows import drop_note_rows, finish, map_labels, reject_duplicates, require_text

REQUIRED = [
    "CBSA Code",
    "CSA Code",
    "CBSA Title",
    "Metropolitan/Micropolitan Statistical Area",
    "CSA Title",
    "County/County Equivalent",
    "State Name",
    "FIPS State Code",
    "FIPS County Code",
    "Central/Outlying County",
]
AREA_TYPES = {"Metropolitan Statistical Area": "metro", "Micropolitan Statistical Area": "micro"}
COUNTY_ROLES = {"Central": "central", "Outlying": "outlying"}
OUTPUT = [
    "fips",
    "cbsa_code",
    "cbsa_title",
    "metro_micro",
    "csa_code",
    "csa_title",
    "central_outlying",
    "county_name",
    "state_name",
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
