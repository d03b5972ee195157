"""Say which regions of a view have no figure, or no boundary on the map, before anyone reads a grey area as a value.

A region can lack a figure because its counties are not in the source (Puerto Rico in SAIPE, Connecticut's
planning regions in the 2016 QCEW, see data/SOURCES.md "Known gaps"), or lack a polygon because it no longer
exists on the 2024 map (Connecticut's former counties). The notes here are plain text; the page escapes them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

NAMES_SHOWN = 4


def name_list(names: Iterable[str], limit: int = NAMES_SHOWN) -> str:
    """``"A, B and C"``, or the first ``limit`` names and ``"and N more"``."""
    names = list(names)
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "".join(names)


def without_value(table: pd.DataFrame, column: str, low: str | None = None, high: str | None = None) -> pd.Series:
    """Mask of regions with no figure at all: the value is missing and so is any published range for it."""
    missing = table[column].isna()
    if low and high and low in table and high in table:
        missing &= table[low].isna() | table[high].isna()
    return missing


def _regions(n: int) -> str:
    return f"{n} region" if n == 1 else f"{n} regions"


def missing_note(
    table: pd.DataFrame,
    column: str,
    label: str,
    drawn: Iterable[str] | None = None,
    low: str | None = None,
    high: str | None = None,
) -> str | None:
    """A note on the regions of ``table`` with no ``column`` figure and those not drawn on the map; None if none.

    ``drawn`` holds the region ids the map draws (None: do not check). Regions with a suppression range
    (``low``/``high``) have a figure, shown as that range, so they are not counted as missing.
    """
    if table.empty:
        return None
    parts = []
    missing = without_value(table, column, low, high)
    if missing.any():
        names = table.loc[missing, "region_name"]
        scope = "any region shown" if missing.all() else f"{_regions(int(missing.sum()))} of {len(table)}"
        parts.append(
            f"No published figure for {label} in {scope} ({name_list(names)}): "
            "grey on the map and n/a in the table, never zero."
        )
    if drawn is not None:
        drawn = set(drawn)
        off_map = ~table["region_id"].isin(drawn)
        if off_map.any():
            names = table.loc[off_map, "region_name"]
            parts.append(
                f"{_regions(int(off_map.sum()))} ha{'s' if off_map.sum() == 1 else 've'} no boundary on the "
                f"2024 map and appear{'s' if off_map.sum() == 1 else ''} in the table only ({name_list(names)})."
            )
    if not parts:
        return None
    return " ".join(parts) + " Why: Data and methods, known gaps."
