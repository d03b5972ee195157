"""Uploaded custom regions: validate a CSV of county FIPS codes and region names.

Users define their own regions (another state's local workforce areas, say)
by uploading one row per county: a FIPS code and the name of the region the
county belongs to. Every problem is reported at once, with the line it is on,
so a user can fix the whole file in one pass.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from dashboard.analysis.regions import Region, _region_index, custom_region
from dashboard.data.names import clean_name

# The largest upload: 10 MB of 1,000,000 bytes, as the browser counts Streamlit's
# maxUploadSize = 10 (.streamlit/config.toml) on Linux and macOS, so the browser,
# this check and the page's text give one limit; checked here too so the core
# function is safe whoever calls it
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
MAX_REGIONS = 300
# The most county rows (a county counted once for each region that lists it) one upload, and a
# session's custom regions together, may hold: every US county once (3,234) with room for overlapping
# regions. A map of custom regions draws each region's counties: the largest set allowed (300 regions
# of counties far apart) sends the browser 693 KB, under the 700 KB of the map of every US county, and
# each page stays under a second and a half (bench/custom_region_bench.py --upload-only,
# bench/RESULTS-custom-region.md)
MAX_COUNTY_ROWS = 5_000
MAX_LISTED_ROWS = 20

# aliases are compared after lowercasing and removing spaces and underscores;
# the earliest alias wins when a file has several matching columns
FIPS_COLUMNS = ("fips", "county_fips", "countyfips", "geoid", "county_geoid", "fips_code")
NAME_COLUMNS = ("region", "region_name", "name", "area", "area_name", "workforce_area", "lwda")

SAVE_AS_CSV = 'In Excel use File > Save As and choose "CSV UTF-8 (Comma delimited) (*.csv)".'

# file signatures of formats users pick by mistake instead of CSV
SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or ZIP archive"),
    (b"PK\x05\x06", "an Excel workbook (.xlsx) or ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\x1f\x8b", "a gzip archive"),
)

# bytes below 0x20 other than tab, LF and CR (and DEL): never in a text CSV
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIPS = re.compile(r"[0-9]{4,5}")


class UploadError(ValueError):
    """An upload that cannot be used, with the rows at fault as ``(line, problem)``."""

    def __init__(self, message: str, rows: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.rows = list(rows or [])

    def __str__(self) -> str:
        lines = [self.message]
        lines += [f"line {line}: {problem}" for line, problem in self.rows[:MAX_LISTED_ROWS]]
        if len(self.rows) > MAX_LISTED_ROWS:
            lines.append(f"... and {len(self.rows) - MAX_LISTED_ROWS} more rows")
        return "\n".join(lines)


def _check_bytes(data: bytes, filename: str) -> None:
    """Reject empty, oversized and binary files before any decoding."""
    if not data.strip():
        raise UploadError(f"{filename} is empty. Upload a CSV with a header row (fips,region) and one row per county.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"{filename} is {len(data) / 1_000_000:.2f} MB ({len(data):,} bytes); the limit is "
            f"{MAX_UPLOAD_MB} MB ({MAX_UPLOAD_BYTES:,} bytes). Keep only the fips and region columns, or split the file."
        )
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise UploadError(f"{filename} is {kind}, not a CSV file. {SAVE_AS_CSV}")
    # UTF-16 text is full of NUL bytes, so it is recognised by its BOM first
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UploadError(f"{filename} is a binary file, not CSV text. {SAVE_AS_CSV}")


def _unrecognised(filename: str) -> UploadError:
    return UploadError(f"The text encoding of {filename} is not recognised. {SAVE_AS_CSV}")


def _decode(data: bytes, filename: str) -> str:
    """The file's text: UTF-8 (BOM optional), UTF-16 with a BOM, else Windows-1252 if it looks like text."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # the UTF-32 LE BOM begins with the UTF-16 LE one: refuse it rather than misread it
        raise _unrecognised(filename)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, filename)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" is Windows-1252; control bytes mean some other encoding, or not text at all
        if data.startswith(codecs.BOM_UTF8) or _CONTROL_BYTES.search(data):
            raise _unrecognised(filename) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _unrecognised(filename) from None


def _decode_utf16(data: bytes, filename: str) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise _unrecognised(filename) from None
    if "\x00" in text:
        raise UploadError(f"{filename} is a binary file, not CSV text. {SAVE_AS_CSV}")
    return text


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\ufeff]+", "", name).lower()


def _find_column(header: list[str], aliases: tuple[str, ...]) -> int | None:
    keys = [_header_key(h) for h in header]
    for alias in aliases:
        if _header_key(alias) in keys:
            return keys.index(_header_key(alias))
    return None


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that some Excel locales write instead, judged on the first line."""
    first = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    for candidate in (",", ";", "\t"):
        if candidate in first:
            return candidate
    return ","


def _is_blank(row: list[str]) -> bool:
    # Excel writes empty rows below the data as lone delimiters
    return all(not cell.strip() for cell in row)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first} to {last}"


def _swallows_rows(row: list[str], delimiter: str) -> bool:
    """True when a field runs over line breaks into lines that hold the delimiter: rows read into one field."""
    return any(delimiter in part for cell in row for part in _LINE_BREAK.split(cell)[1:])


def _read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The header, the non-blank data rows (each with the physical line it starts on) and the rows that lost their quotes.

    A quote that is never closed raises, naming the line of the row it opens in;
    a quote closed lines later (so that whole rows were read into one field) is a
    fault of that row. A field that spans lines without swallowing rows (a name
    typed over two lines in one spreadsheet cell) is read as one name.
    """
    delimiter = _delimiter(text)
    # strict: text after a closing quote, or a quote left open at the end, is an error, never silently fixed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    faults: list[tuple[int, str]] = []
    line = 1
    try:
        for row in reader:
            if _swallows_rows(row, delimiter):
                if header is None:
                    raise UploadError(
                        f"Line {line} cannot be read as CSV: a double quote opened on it closes only "
                        f"on line {reader.line_num}. Close the quote on line {line}, or remove it."
                    )
                faults.append(
                    (
                        line,
                        f"a double quote opened on this line closes only on line {reader.line_num}, so "
                        f"{_lines(line + 1, reader.line_num)} went into one field; close the quote on "
                        f"line {line}, or remove it",
                    )
                )
            elif not _is_blank(row):
                if header is None:
                    header = [cell.strip() for cell in row]
                else:
                    rows.append((line, row))
            # a quoted field may span lines, so the next row starts after what the reader consumed
            line = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            problem = (
                f"a double quote opened on this line is never closed, so the rest of the file "
                f"({_lines(line, reader.line_num)}) would be read as one field; close the quote, or remove it"
            )
            raise UploadError(
                f"Line {line} cannot be read as CSV. Fix it, then upload the file again.", [(line, problem)]
            ) from None
        if "expected after" in str(exc):
            problem = (
                'text follows a closing double quote; write a double quote inside a quoted name twice (""), '
                "or put the whole name in quotes"
            )
        else:
            problem = str(exc)
        raise UploadError(
            f"Line {reader.line_num} cannot be read as CSV. Fix it, then upload the file again.",
            [(reader.line_num, problem)],
        ) from None
    if header is None:
        raise UploadError(
            "The file holds no rows. Upload a CSV with a header row (fips,region) and one row per county."
        )
    return header, rows, faults


def _columns(header: list[str]) -> tuple[int, int]:
    """Positions of the FIPS and region-name columns; a missing one raises, naming what was found."""
    fips_col, name_col = _find_column(header, FIPS_COLUMNS), _find_column(header, NAME_COLUMNS)
    missing = []
    if fips_col is None:
        missing.append(f"a county FIPS column ({', '.join(FIPS_COLUMNS)})")
    if name_col is None:
        missing.append(f"a region name column ({', '.join(NAME_COLUMNS)})")
    if missing:
        found = ", ".join(repr(h) for h in header)
        raise UploadError(
            f"The file needs {' and '.join(missing)}. Columns found: {found}. "
            "Rename the header cells, for example to fips,region."
        )
    return fips_col, name_col


#: The upload option that lets regions share counties, and the hint a refused shared county adds to the error.
SHARED_OPTION = "Regions may share counties"
SHARED_HINT = f'A county listed for two regions is refused unless "{SHARED_OPTION}" is ticked.'


def _county_problem(
    raw: str, name: str, seen: dict[str, tuple[int, str]], pairs: dict[tuple[str, str], int], shared: bool
) -> str | None:
    """Why a FIPS cell cannot be used, or None.

    ``seen`` maps each code already read to its first line and region name,
    ``pairs`` each (code, region name) to its first line.
    """
    if not _FIPS.fullmatch(raw):
        return f"county FIPS {raw!r} is not a 4- or 5-digit code"
    code = raw.zfill(5)
    if code not in _region_index("county"):
        return f"unknown county FIPS {code}"
    if (code, name) in pairs:
        return f"county {code} is already listed on line {pairs[code, name]}"
    if code in seen and not shared:
        return f"county {code} is already listed on line {seen[code][0]}"
    return None


def _group_rows(
    rows: list[tuple[int, list[str]]], width: int, fips_col: int, name_col: int, shared: bool
) -> tuple[dict[str, list[str]], list[tuple[int, str]], bool]:
    """Counties by region name in first-appearance order, every faulty row as ``(line, problem)``, and
    whether a county was refused for being listed under two region names."""
    members: dict[str, list[str]] = {}
    seen: dict[str, tuple[int, str]] = {}
    pairs: dict[tuple[str, str], int] = {}
    faults: list[tuple[int, str]] = []
    refused_shared = False
    for line, row in rows:
        if len(row) != width:
            problem = (
                f"{len(row)} fields where the header has {width} (put a name containing the delimiter in double quotes)"
            )
            faults.append((line, problem))
            continue
        raw_fips, name = row[fips_col].strip(), clean_name(row[name_col])
        problems = [
            p
            for p in (_county_problem(raw_fips, name, seen, pairs, shared), None if name else "empty region name")
            if p
        ]
        if _FIPS.fullmatch(raw_fips):
            # remember the first line of each code, so a later repeat can point back to it
            code = raw_fips.zfill(5)
            refused_shared |= not shared and code in seen and seen[code][1] != name
            seen.setdefault(code, (line, name))
            pairs.setdefault((code, name), line)
        if name:
            # faulty rows still count towards the region limit
            members.setdefault(name, [])
        if problems:
            faults.append((line, "; ".join(problems)))
        else:
            members[name].append(raw_fips.zfill(5))
    return members, faults, refused_shared


def parse_region_csv(data: bytes, filename: str = "upload.csv", *, shared: bool = False) -> tuple[Region, ...]:
    """One custom Region per distinct region name, in the order names first appear; any problem raises UploadError.

    Names are cleaned by :func:`names.clean_name`. A county may be listed once;
    with ``shared`` it may be listed for several regions (once for each).
    """
    _check_bytes(data, filename)
    header, rows, faults = _read_rows(_decode(data, filename))
    fips_col, name_col = _columns(header)
    if not rows and not faults:
        raise UploadError(
            "The file has a header but no data rows. Add one row per county: its FIPS code and region name."
        )
    if len(rows) + len(faults) > MAX_COUNTY_ROWS:
        raise UploadError(
            f"The file has {len(rows) + len(faults):,} county rows; the limit is {MAX_COUNTY_ROWS:,} "
            f"(a county counts once for each region that lists it). {_FEWER}"
        )
    members, row_faults, refused_shared = _group_rows(rows, len(header), fips_col, name_col, shared)
    faults = sorted(faults + row_faults)
    if len(members) > MAX_REGIONS:
        raise UploadError(f"The file defines {len(members)} regions; the limit is {MAX_REGIONS}. {_FEWER}")
    if faults:
        noun = "row has a problem" if len(faults) == 1 else "rows have problems"
        hint = f" {SHARED_HINT}" if refused_shared else ""
        raise UploadError(f"{len(faults)} {noun}; fix the lines listed and upload the file again.{hint}", faults)
    return tuple(custom_region(counties, name) for name, counties in members.items())


_FEWER = "Keep only the regions you need, with fewer overlapping ones, and upload the file again."


def check_total(regions: tuple[Region, ...] | list[Region]) -> None:
    """Raise UploadError when a session's custom regions together exceed :data:`MAX_REGIONS` or
    :data:`MAX_COUNTY_ROWS` (what one upload may hold, so that several uploads cannot add up to more)."""
    rows = sum(len(r.counties) for r in regions)
    if len(regions) > MAX_REGIONS or rows > MAX_COUNTY_ROWS:
        raise UploadError(
            f"With these, your custom regions would be {len(regions)} regions of {rows:,} county rows in all; the "
            f"limit is {MAX_REGIONS} regions and {MAX_COUNTY_ROWS:,} county rows (a county counts once for each region "
            "that lists it). Clear your custom regions first, or add fewer."
        )


def regions_to_csv_rows(regions: tuple[Region, ...] | list[Region]) -> list[dict]:
    """``{"fips", "region"}`` rows, one per county and region, that parse_region_csv reads back into the same regions.

    Written with :func:`exports.to_csv_bytes` (as the page's download is), the
    file uploads again to the same regions and names; regions that share
    counties need the upload's ``shared`` option.
    """
    return [{"fips": fips, "region": region.name} for region in regions for fips in region.counties]
