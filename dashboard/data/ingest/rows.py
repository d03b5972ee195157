"""Row checks shared by the crosswalk parsers (CBSA, commuting zones, BEA, RUCC, Indiana EGR).

Each check raises :class:`SourceError` naming the file and the line of the
first offending row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError


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
    return {
        (False, False): "absent",
        (True, False): "historic_counties",
        (False, True): "planning_regions",
        (True, True): "mixed",
    }[(bool(old), bool(new))]


def finish(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame[columns].reset_index(drop=True)
    out.attrs["connecticut"] = connecticut_geography(out["fips"])
    return out
