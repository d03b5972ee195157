"""BLS Quarterly Census of Employment and Wages (QCEW) by-area CSV files.

Two official layouts are read into one annual table:

* the quarterly "YYYY.q1-q4.by_area" files (one row per area, ownership,
  industry and quarter, three monthly employment levels each), given as a
  single CSV, a ``.gz`` of one, or a ``.tar.gz`` of the per-area files;
* the annual-averages files ("YYYY.annual.by_area" or the annual singlefile:
  ``annual_avg_emplvl``, ``lq_annual_avg_emplvl``,
  ``oty_annual_avg_emplvl_chg``...), so a newer year downloaded from BLS loads
  the same way.

Quirks handled: disclosure code ``N`` (suppressed: employment and wages are
published as 0 but are unknown, so they become missing); disclosure ``-``
(a placeholder row with no establishments that quarter: a true zero);
establishment counts are published even where employment is suppressed;
area codes keep leading zeros; metro areas use ``C`` codes. QCEW marks what
it does not publish with disclosure codes, never with a number, so every
number is read as itself: an over-the-year change of -999 or -888 jobs is a
real change (only an empty cell is missing).

Annual figures from quarterly rows follow the BLS definitions: annual average
employment is the mean of the twelve monthly levels, annual wages the sum of
the four quarters, annual average establishments the mean of the four
quarterly counts. A quarter without a row had no establishments (zero). A
cell suppressed in any quarter is suppressed for the year.
"""

from __future__ import annotations

import re
import tarfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.ingest.common import SourceError, decode_bytes, read_csv_table, read_text, to_number

KEY = ["area_fips", "own_code", "industry_code", "agglvl_code"]
QUARTERLY_REQUIRED = KEY + [
    "year",
    "qtr",
    "disclosure_code",
    "qtrly_estabs_count",
    "month1_emplvl",
    "month2_emplvl",
    "month3_emplvl",
    "total_qtrly_wages",
]
ANNUAL_REQUIRED = KEY + ["year", "disclosure_code", "annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages"]
MONTHS = ["month1", "month2", "month3"]
#: Establishment-count columns under the name other vintages of the files use:
#: the 2016 by-area files say ``qtrly_estabs_count`` (and older annual files
#: ``annual_avg_estabs_count``); the current layouts say ``qtrly_estabs`` and
#: ``annual_avg_estabs``. Either is read as the name on the left.
ALIASES = {"qtrly_estabs_count": "qtrly_estabs", "annual_avg_estabs": "annual_avg_estabs_count"}

#: The columns every QCEW reader returns, one row per area x ownership x industry x year.
#: QCEW's only "no value" in a numeric cell: an empty one (disclosure codes say the rest).
QCEW_MISSING = frozenset({""})

ANNUAL_COLUMNS = [
    "area_fips",
    "area_title",
    "industry_title",
    "own_code",
    "industry_code",
    "agglvl_code",
    "year",
    "suppressed",
    "estabs",
    "emplvl",
    "total_wages",
    "lq_emplvl",
    "oty_emplvl_chg",
]


def read_qcew(path: str | Path, agglvls: set[int] | None = None) -> pd.DataFrame:
    """Read any QCEW by-area file (quarterly or annual layout) as annual rows.

    ``agglvls`` keeps only those aggregation levels (e.g. ``{70, 71, 74, 75}``).
    """
    path = Path(path)
    if path.name.endswith((".tar.gz", ".tgz", ".tar")):
        frames = [_read_text_table(text, f"{path} [{name}]", agglvls) for name, text in _tar_members(path)]
        if not frames:
            raise SourceError(path, "archive holds no CSV files")
        return pd.concat(frames, ignore_index=True)
    return _read_text_table(read_text(path), path, agglvls)


def _tar_members(path: Path):
    try:
        with tarfile.open(path) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                if member.isfile() and member.name.lower().endswith(".csv"):
                    yield member.name, decode_bytes(tar.extractfile(member).read())
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise SourceError(path, f"unreadable archive ({exc})") from exc


def _read_text_table(text: str, path, agglvls: set[int] | None) -> pd.DataFrame:
    head = text[:4000]
    if "annual_avg_emplvl" in head:
        raw = _read_table(text, path, ANNUAL_REQUIRED, head)
        raw = _keep_levels(raw, agglvls, path)
        return _annual_layout(raw, path)
    raw = _read_table(text, path, QUARTERLY_REQUIRED, head)
    raw = _keep_levels(raw, agglvls, path)
    return _quarterly_to_annual(raw, path)


def _read_table(text: str, path, required: list[str], head: str) -> pd.DataFrame:
    def named(column: str) -> str:
        alias = ALIASES.get(column)
        if alias and not re.search(rf"\b{column}\b", head) and re.search(rf"\b{alias}\b", head):
            return alias
        return column

    raw = read_csv_table(path, [named(c) for c in required], text=text)
    return raw.rename(columns={a: c for c, a in ALIASES.items() if a in raw and c not in raw})


def _round_half_up(values: pd.Series) -> pd.Series:
    """Round to whole numbers the way published averages are (0.5 goes up), not to even."""
    return np.floor(values + 0.5)


def _keep_levels(raw: pd.DataFrame, agglvls, path) -> pd.DataFrame:
    if raw.empty:
        raise SourceError(path, "no data rows")
    raw["agglvl_code"] = to_number(raw["agglvl_code"], path, "agglvl_code", raw["_line"]).astype("int16")
    if agglvls is not None:
        raw = raw.loc[raw["agglvl_code"].isin(agglvls)].reset_index(drop=True)
    return raw


def _common_columns(raw: pd.DataFrame, path) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "area_fips": raw["area_fips"].str.strip().str.upper(),
            "own_code": to_number(raw["own_code"], path, "own_code", raw["_line"]).astype("int8"),
            "industry_code": raw["industry_code"].str.strip(),
            "agglvl_code": raw["agglvl_code"],
            "year": to_number(raw["year"], path, "year", raw["_line"]).astype("int16"),
            # the annual singlefile has no titles
            "area_title": raw["area_title"].str.strip() if "area_title" in raw else "",
            "industry_title": raw["industry_title"].str.strip() if "industry_title" in raw else "",
        }
    )
    bad = ~out["area_fips"].str.fullmatch(r"(\d{5}|C\d{4}|CS\d{3}|US000)")
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(
            path, f"area_fips {raw['area_fips'].iloc[i]!r} is not a QCEW area code", int(raw["_line"].iloc[i])
        )
    return out


def _flag(raw: pd.DataFrame, column: str) -> pd.Series:
    if column not in raw:
        return pd.Series(False, index=raw.index)
    return raw[column].str.strip().str.upper().eq("N")


def _annual_layout(raw: pd.DataFrame, path) -> pd.DataFrame:
    out = _common_columns(raw, path)
    num = lambda c: to_number(raw[c], path, c, raw["_line"], missing_codes=QCEW_MISSING)  # noqa: E731
    suppressed = _flag(raw, "disclosure_code")
    out["suppressed"] = suppressed
    out["estabs"] = num("annual_avg_estabs").round().astype("Int32")
    out["emplvl"] = num("annual_avg_emplvl").mask(suppressed).round().astype("Int64")
    out["total_wages"] = num("total_annual_wages").mask(suppressed).astype("Int64")
    lq = num("lq_annual_avg_emplvl") if "lq_annual_avg_emplvl" in raw else pd.Series(np.nan, index=raw.index)
    out["lq_emplvl"] = lq.mask(suppressed | _flag(raw, "lq_disclosure_code")).astype("float64")
    chg = num("oty_annual_avg_emplvl_chg") if "oty_annual_avg_emplvl_chg" in raw else pd.Series(np.nan, index=raw.index)
    out["oty_emplvl_chg"] = chg.mask(suppressed | _flag(raw, "oty_disclosure_code")).astype("float64")
    return _checked(out[ANNUAL_COLUMNS], path)


def _quarterly_to_annual(raw: pd.DataFrame, path) -> pd.DataFrame:
    base = _common_columns(raw, path)
    num = lambda c: to_number(raw[c], path, c, raw["_line"], missing_codes=QCEW_MISSING).fillna(0)  # noqa: E731
    base["qtr"] = raw["qtr"].str.strip()
    if not base["qtr"].isin(["1", "2", "3", "4"]).all():
        i = (~base["qtr"].isin(["1", "2", "3", "4"])).idxmax()
        raise SourceError(path, f"qtr {raw['qtr'].iloc[i]!r} is not 1-4", int(raw["_line"].iloc[i]))
    base["suppressed"] = _flag(raw, "disclosure_code")
    base["lq_hidden"] = base["suppressed"] | _flag(raw, "lq_disclosure_code")
    base["oty_hidden"] = base["suppressed"] | _flag(raw, "oty_disclosure_code")
    base["estabs"] = num("qtrly_estabs_count")
    base["emp_sum"] = sum(num(f"{m}_emplvl") for m in MONTHS)
    base["total_wages"] = num("total_qtrly_wages")
    has_lq = all(f"lq_{m}_emplvl" in raw for m in MONTHS)
    base["lq_sum"] = sum(num(f"lq_{m}_emplvl") for m in MONTHS) if has_lq else np.nan
    has_oty = all(f"oty_{m}_emplvl_chg" in raw for m in MONTHS)
    base["chg_sum"] = sum(num(f"oty_{m}_emplvl_chg") for m in MONTHS) if has_oty else np.nan

    dup = base.duplicated(KEY + ["year", "qtr"])
    if dup.any():
        i = dup.idxmax()
        raise SourceError(
            path, "the same area, ownership, industry and quarter appear twice", int(raw["_line"].iloc[i])
        )

    g = base.groupby(KEY + ["year"], sort=True, observed=True)
    agg = g.agg(
        suppressed=("suppressed", "any"),
        lq_hidden=("lq_hidden", "any"),
        oty_hidden=("oty_hidden", "any"),
        estabs=("estabs", "sum"),
        emp_sum=("emp_sum", "sum"),
        total_wages=("total_wages", "sum"),
        lq_sum=("lq_sum", "sum"),
        chg_sum=("chg_sum", "sum"),
        area_title=("area_title", "first"),
        industry_title=("industry_title", "first"),
    ).reset_index()
    out = agg[KEY + ["year", "area_title", "industry_title", "suppressed"]].copy()
    out["estabs"] = _round_half_up(agg["estabs"] / 4).astype("Int32")
    # BLS publishes annual average employment as a whole number
    out["emplvl"] = _round_half_up(agg["emp_sum"] / 12).astype("Int64").mask(agg["suppressed"])
    out["total_wages"] = agg["total_wages"].astype("Int64").mask(agg["suppressed"])
    out["lq_emplvl"] = (agg["lq_sum"] / 12).where(~agg["lq_hidden"] if has_lq else False)
    out["oty_emplvl_chg"] = (agg["chg_sum"] / 12).where(~agg["oty_hidden"] if has_oty else False)
    return _checked(out[ANNUAL_COLUMNS].astype({"lq_emplvl": "float64", "oty_emplvl_chg": "float64"}), path)


def _checked(out: pd.DataFrame, path) -> pd.DataFrame:
    if (out["emplvl"].dropna() < 0).any() or (out["estabs"].dropna() < 0).any():
        raise SourceError(path, "negative employment or establishment count")
    return out.reset_index(drop=True)


def read_qcew_text(text: str, name: str = "<text>") -> pd.DataFrame:
    """Parse QCEW CSV content already in memory (an upload, a download)."""
    return _read_text_table(text, name, None)


__all__ = ["read_qcew", "read_qcew_text", "ANNUAL_COLUMNS"]
