"""USDA ERS Rural-Urban Continuum Codes, 2023.

Publisher: U.S. Department of Agriculture, Economic Research Service. RUCC
2023 classify counties 1-3 (metro, by metro population) and 4-9 (nonmetro,
by urban population and adjacency to a metro area), using the 2023 OMB
delineation and Census 2020 population. File
``ers_Ruralurbancontinuumcodes2023.csv``: 3,235 rows, every county plus
Puerto Rico and the island areas (AS, GU, MP, VI).

Quirks handled:

- described as Windows-1252, but the accented names are Mac Roman bytes
  (0x96 for "ñ" in "Doña Ana County", 0x97 "ó", 0x92 "í", 0x87 "á", 0x9F
  "ü" in Puerto Rico's municipios): detected and decoded as Mac Roman;
- CRLF line ends, no final newline;
- thousands separators in Population_2020 ("58,805");
- two American Samoa islands have no code (blank RUCC, description
  "Not Applicable"): code and description are missing there.

Connecticut appears as its nine 2022 planning regions (09110-09190).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, read_text, to_number
from dashboard.data.ingest.rows import drop_note_rows, finish, id_text, reject_duplicates, reject_rows, require_text

REQUIRED = ["FIPS", "State", "County_Name", "Population_2020", "RUCC_2023", "Description"]
OUTPUT = ["fips", "state_abbr", "county_name", "census_population", "rucc", "rucc_description"]


def read_rucc(path: str | Path) -> pd.DataFrame:
    """Columns: fips, state_abbr, county_name, census_population (Int64), rucc (Int8), rucc_description.

    The codes' year (from the ``RUCC_<year>`` column) is ``frame.attrs["vintage"]``.
    """
    text = undo_mac_roman_misread(read_text(path))
    raw = drop_note_rows(read_csv_table(path, REQUIRED, text=text))
    if raw.empty:
        raise SourceError(path, "no county rows under the header")
    code = _rucc_code(raw, path)
    out = pd.DataFrame(
        {
            "fips": pad_fips(raw["FIPS"], 5, path, "FIPS", raw["_line"]),
            "state_abbr": _state_abbr(raw, path),
            "county_name": require_text(raw, "County_Name", path),
            "census_population": _population(raw, path),
            "rucc": code,
            "rucc_description": raw["Description"].str.strip().where(code.notna()),
            "_line": raw["_line"],
        }
    )
    reject_duplicates(out, "fips", path)
    out = finish(out, OUTPUT)
    out.attrs["vintage"] = int(REQUIRED[4][-4:])
    return out


def _state_abbr(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    values = raw["State"].str.strip().str.upper()
    reject_rows(~values.str.fullmatch(r"[A-Z]{2}"), raw, path, "State {State!r} is not a two-letter abbreviation")
    return values


def _population(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    counts = to_number(raw["Population_2020"], path, "Population_2020", raw["_line"])
    bad = counts.notna() & ((counts < 0) | (counts % 1 != 0))
    reject_rows(bad, raw, path, "Population_2020 {Population_2020!r} is not a head count")
    return counts.astype("Int64")


def _rucc_code(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    present = raw["RUCC_2023"].str.strip() != ""
    codes = id_text(raw.loc[present], "RUCC_2023", path, low=1, high=9)
    return codes.astype(int).reindex(raw.index).astype("Int8")


# Mac Roman letters (ñ ó á ü, and C1 bytes such as ç è ê) read as cp1252 or
# latin-1 become dashes, daggers or control characters inside a word; genuine
# cp1252 names never look like that.
_MAC_ROMAN_TELL = re.compile(r"[A-Za-z][\u2013\u2014\u2021\u0178\x80-\x9f][a-z]")


def undo_mac_roman_misread(text: str) -> str:
    """Re-decode as Mac Roman a text wrongly read as cp1252/latin-1."""
    if not _MAC_ROMAN_TELL.search(text):
        return text
    for wrong in ("cp1252", "latin-1"):
        try:
            raw = text.encode(wrong)
        except UnicodeEncodeError:
            continue
        # Mac Roman accented letters sit in 0x80-0x9F; bytes above mean real cp1252 letters.
        if max(raw) < 0xA0:
            return raw.decode("mac_roman")
    return text
