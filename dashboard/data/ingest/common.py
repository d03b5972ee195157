"""Shared helpers for the official-file parsers.

Every parser raises :class:`SourceError` for a malformed file, naming the
file, the line (1-based, as a text editor counts them) and the problem, so a
build can stop with a message a person can act on.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Codes publishers use in numeric cells for "no value". They become missing
#: (NaN / <NA>), never zero.
MISSING_CODES = frozenset(
    {"", "-999", "-999.0", "-888", "-666666666", "(D)", "(NA)", "(X)", "N/A", "NA", "n/a", "-", "--", "."}
)


class SourceError(ValueError):
    """A source file that cannot be read as the layout it claims to be."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


def decode_bytes(raw: bytes) -> str:
    """Decode publisher text: UTF-8 (with or without BOM), else Windows-1252.

    cp1252 is a superset of latin-1 for printable characters, so it reads the
    Census latin-1 files too.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else raw.decode("latin-1")


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_text(path: str | Path) -> str:
    """Read a text file whatever its encoding or compression (``.gz``, or a ``.zip`` holding one CSV/TXT)."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "file not found")
    raw = path.read_bytes()
    if path.suffix == ".zip":
        raw = _unzip_single(path)
    if path.suffix == ".gz":
        import gzip
        import zlib

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(path, f"not a complete gzip file ({exc})") from exc
    if b"\x00" in raw[:4096]:
        raise SourceError(path, "binary content where a text (CSV) file was expected")
    return decode_bytes(raw)


def _unzip_single(path: Path) -> bytes:
    """The one data file inside a publisher's zip (BLS and Census ship annual files zipped)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith((".csv", ".txt"))]
            if len(names) != 1:
                raise SourceError(path, f"expected one CSV or TXT file in the zip, found {len(names)}")
            return zf.read(names[0])
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(path, f"unreadable zip file ({exc})") from exc


def find_header_line(text: str, required: list[str], path: str | Path, max_lines: int = 30) -> int:
    """Index (0-based) of the first line holding every ``required`` column name.

    Publishers put title and note rows above the header; this skips them.
    """
    lines = _physical_lines(text, max_lines)
    for i, line in enumerate(lines):
        cells = [c.strip().strip('"').strip() for c in next(_csv_rows(line))] if line else []
        if all(name in cells for name in required):
            return i
    raise SourceError(path, f"no header row with columns {required} in the first {max_lines} lines")


def _csv_rows(line: str):
    return csv.reader([line])


#: Line ends as a text editor (and the CSV readers) count them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _physical_lines(text: str, limit: int) -> list[str]:
    r"""The first ``limit`` lines of ``text``, split at ``\\r\\n``, ``\\r`` or ``\\n`` only."""
    out: list[str] = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        out.append(text[start : m.start()])
        start = m.end()
        if len(out) >= limit:
            return out
    if start < len(text):
        out.append(text[start:])
    return out


def _count_lines(text: str) -> int:
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (1 if text and text[-1] not in "\r\n" else 0)


def _record_lines(text: str, header: int, n_records: int) -> np.ndarray:
    """1-based line on which each of the ``n_records`` data records after the header starts.

    ``header`` is the 0-based line where the header record starts. When every
    record is one line this is arithmetic; when a quoted cell holds a line
    break (a header split over two lines, a note with a newline) the records
    are walked with :mod:`csv`, which counts the lines each one spans.
    """
    if _count_lines(text) - header == n_records + 1:
        return np.arange(n_records) + header + 2
    pos = 0
    for _ in range(header):
        pos = _LINE_BREAK.search(text, pos).end()
    reader = csv.reader(io.StringIO(text[pos:], newline=""))
    starts = []
    consumed = 0
    for _row in reader:
        starts.append(header + consumed + 1)
        consumed = reader.line_num
    if len(starts) != n_records + 1:  # the two readers disagree: keep the simple count
        return np.arange(n_records) + header + 2
    return np.asarray(starts[1:], dtype=np.int64)


def read_csv_table(path: str | Path, required: list[str], text: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings, skipping title rows, with columns checked.

    Returns a frame of ``str`` columns (no type guessing: FIPS keep their
    leading zeros) plus a ``_line`` column giving each row's line number in
    the file, for error messages.
    """
    text = read_text(path) if text is None else text
    header = find_header_line(text, required, path)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            skiprows=header,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        line = _parser_error_line(str(exc))
        raise SourceError(path, f"malformed CSV ({exc})", line=None if line is None else line + header) from exc
    df.columns = [re.sub(r"\s+", " ", str(c)).strip() for c in df.columns]
    df["_line"] = _record_lines(text, header, len(df))
    # drop wholly blank rows (footers are handled by each parser)
    data_cols = [c for c in df.columns if c != "_line"]
    # only a row whose first cell is empty can be blank: the other cells are looked at for those rows alone
    # (checking every cell of a national file took half its reading time)
    first_empty = df[data_cols[0]].str.strip() == ""
    blank = pd.Series(False, index=df.index)
    if first_empty.any():
        maybe = df.loc[first_empty, data_cols]
        blank.loc[maybe.index] = maybe.apply(lambda s: s.str.strip() == "").all(axis=1)
    return df.loc[~blank].reset_index(drop=True)


def _parser_error_line(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def to_number(
    values: pd.Series,
    path: str | Path,
    column: str,
    lines: pd.Series | None = None,
    extra_missing: set[str] | frozenset[str] = frozenset(),
    missing_codes: frozenset[str] = MISSING_CODES,
) -> pd.Series:
    """Parse publisher numbers: thousands separators, missing codes -> NaN.

    ``missing_codes`` replaces the shared set for a publisher whose files mark
    missing values another way (QCEW flags them with disclosure codes, so its
    -999 and -888 are real numbers).

    Any other non-numeric text raises :class:`SourceError` naming the first
    offending line, rather than silently becoming missing.
    """
    s = values.astype(str).str.strip().str.replace(",", "", regex=False).str.replace("$", "", regex=False)
    missing = s.isin(missing_codes | set(extra_missing)) | values.isna()
    present = s.where(~missing)
    out = _plain_numbers(present)
    if out is None:
        out = pd.to_numeric(present, errors="coerce")
    bad = out.isna() & ~missing
    if bad.any():
        idx = bad[bad].index[0]
        line = int(lines.loc[idx]) if lines is not None else None
        raise SourceError(path, f"column {column!r}: {values.loc[idx]!r} is not a number", line=line)
    return out


#: Beyond this a float64 no longer holds every whole number: such text is left to pandas, which keeps it exact.
_EXACT_INTEGER = 2.0**53


def _plain_numbers(text: pd.Series) -> pd.Series | None:
    """``text`` (stripped, missing as NA) as numbers by Arrow's parser, which reads a national file's columns many
    times faster than :func:`pandas.to_numeric`, with the same result: int64 when every value is written as a
    whole number, else float64. None when any value is not a plain finite number below 2**53 (text Arrow does
    not read, inf, nan, a huge count), so that the caller's pandas path decides and names it."""
    try:
        parsed = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    values = parsed.to_numpy(zero_copy_only=False)
    present = ~parsed.is_null().to_numpy(zero_copy_only=False)
    if not (np.abs(values[present]) < _EXACT_INTEGER).all():  # also false for inf and nan
        return None
    if present.all() and not text.str.contains(r"[.eE]", regex=True).any():
        return pd.Series(values.astype(np.int64), index=text.index)
    return pd.Series(np.where(present, values, np.nan), index=text.index)


def pad_fips(values: pd.Series, width: int, path: str | Path, column: str, lines: pd.Series | None = None) -> pd.Series:
    """Zero-pad FIPS codes that spreadsheets stored as numbers (``1001`` -> ``01001``)."""
    s = values.astype(str).str.strip()
    s = s.str.replace(r"\.0$", "", regex=True)
    ok = s.str.fullmatch(rf"\d{{1,{width}}}")
    if not ok.all():
        idx = ok[~ok].index[0]
        line = int(lines.loc[idx]) if lines is not None else None
        raise SourceError(path, f"column {column!r}: {values.loc[idx]!r} is not a FIPS code", line=line)
    return s.str.zfill(width)


def require_columns(df: pd.DataFrame, required: list[str], path: str | Path) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SourceError(path, f"missing columns {missing}")
