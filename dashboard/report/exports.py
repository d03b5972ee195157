"""CSV downloads that are safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` is run as a formula by
Excel, LibreOffice and Google Sheets. Region names come from user uploads, so
every text cell is neutralised before it leaves the app (OWASP "CSV
Injection" guidance: prefix such cells with a single quote).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.data.catalogue import NOT_INDICATED_LEVELS

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
# seats the figures do not call for are left off the roster
ROSTER_COLUMNS = [
    "seat",
    "category",
    "level",
    "filled",
    "organisation",
    "contact name",
    "email",
    "notes",
    "why",
    "source",
]


def neutralise(value):
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula; anything else unchanged."""
    if not isinstance(value, str):
        # numbers (negative ones included) are data, not formulas, and must stay numeric
        return value
    # spreadsheets skip leading spaces before reading a formula, and tab/CR are triggers themselves
    if value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return (
        pd.api.types.is_object_dtype(column)
        or pd.api.types.is_string_dtype(column)
        or isinstance(column.dtype, pd.CategoricalDtype)
    )


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name neutralised."""
    out = df.rename(columns=neutralise)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if _is_text(column):
            # categories could collide once quoted, so categoricals become plain objects
            values = column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
            out.isetitem(i, values.map(neutralise))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV for download: neutralised, no index, empty cells for missing values, UTF-8 with a BOM.

    The BOM is what makes Excel read the file as UTF-8 rather than the
    local code page, so accented names survive.
    """
    return safe_frame(df).to_csv(index=False, na_rep="").encode("utf-8-sig")


def roster_template(seats: list[dict], filled: Iterable[str] = frozenset()) -> pd.DataFrame:
    """A roster to fill in: one row per seat the region calls for, ``filled`` (seat ids) marked "yes"."""
    filled = set(filled)
    rows = [
        {
            "seat": s["name"],
            "category": s["category"],
            "level": s["level"],
            "filled": "yes" if s["id"] in filled else "no",
            "organisation": "",
            "contact name": "",
            "email": "",
            "notes": "",
            "why": s.get("evidence", ""),
            "source": s["source"],
        }
        for s in seats
        if s["level"] not in NOT_INDICATED_LEVELS
    ]
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)
