"""O*NET database: Job Zones, and Education, Training, and Experience.

Publisher: National Center for O*NET Development for the U.S. Department of
Labor, O*NET database (CC BY 4.0), the files ``Job Zones``, ``Education,
Training, and Experience`` and its ``Categories``, saved as CSV with their
column names verbatim.

Quirks handled:

* O*NET-SOC codes have eight characters (``51-2092.00``); several O*NET codes
  can fall under one SOC code of OEWS and the Employment Projections
  (``51-2090`` holds ``51-2092``): :func:`soc_of` gives the 7-character part
  and the build rolls codes up to the SOC codes the other sources use;
* the Education, Training, and Experience file is long: one row per code,
  scale (RL required education, RW related work experience, PT on-site
  training, OJ on-the-job training, IM instructional program) and category,
  ``Data Value`` the percent of respondents;
* the release (``29.3``) is in the file name (``onet_29.3_...``), as O*NET
  names its releases; the files carry only each record's own update month.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, read_csv_table, to_number
from dashboard.data.ingest.rows import reject_rows

ZONE_COLUMNS = ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"]
ETE_COLUMNS = ["O*NET-SOC Code", "Element ID", "Scale ID", "Category", "Data Value", "Recommend Suppress"]
SCALES = ("RL", "RW", "PT", "OJ", "IM")


def release(path: str | Path) -> str:
    """ "29.3" from a file named ``onet_29.3_...``."""
    m = re.search(r"onet_(\d+\.\d+)_", Path(path).name)
    if not m:
        raise SourceError(path, "the file name does not say the O*NET release (expected onet_NN.N_...)")
    return m.group(1)


def soc_of(onet_codes: pd.Series) -> pd.Series:
    """The SOC code (``51-2092``) of O*NET-SOC codes (``51-2092.00``)."""
    return onet_codes.str[:7]


def _onet_codes(raw: pd.DataFrame, path) -> pd.Series:
    codes = raw["O*NET-SOC Code"].str.strip()
    reject_rows(
        ~codes.str.fullmatch(r"\d{2}-\d{4}\.\d{2}"),
        raw.assign(_v=codes),
        path,
        "{_v!r} is not an O*NET-SOC code (NN-NNNN.NN)",
    )
    return codes


def read_job_zones(path: str | Path) -> pd.DataFrame:
    """One row per O*NET-SOC code: ``onet_code``, ``title``, ``job_zone`` (1-5), ``date``."""
    raw = read_csv_table(path, ZONE_COLUMNS)
    codes = _onet_codes(raw, path)
    zone = to_number(raw["Job Zone"], path, "Job Zone", raw["_line"])
    reject_rows(zone.isna() | ~zone.isin([1, 2, 3, 4, 5]), raw, path, "Job Zone {Job Zone!r} is not 1-5")
    out = pd.DataFrame(
        {
            "onet_code": codes,
            "title": raw["Title"].str.strip(),
            "job_zone": zone.astype("int8"),
            "date": raw["Date"].str.strip(),
        }
    )
    reject_rows(out["onet_code"].duplicated(), raw, path, "O*NET-SOC code {O*NET-SOC Code} appears more than once")
    out.attrs["vintage"] = release(path)
    return out


def read_education_training_experience(path: str | Path) -> pd.DataFrame:
    """Long table: ``onet_code``, ``element``, ``scale`` (RL, RW, PT, OJ, IM), ``category`` (missing for IM),
    ``value`` (percent of respondents in the category; for IM an importance rating), ``suppress``."""
    raw = read_csv_table(path, ETE_COLUMNS)
    codes = _onet_codes(raw, path)
    scale = raw["Scale ID"].str.strip()
    reject_rows(~scale.isin(SCALES), raw, path, f"Scale ID {{Scale ID!r}} is not one of {list(SCALES)}")
    category = to_number(raw["Category"], path, "Category", raw["_line"])
    importance = scale == "IM"  # an importance rating (1-5) of an element, with no category
    reject_rows(
        ~importance & (category.isna() | (category % 1 != 0)), raw, path, "Category {Category!r} is not a whole number"
    )
    value = to_number(raw["Data Value"], path, "Data Value", raw["_line"])
    reject_rows(
        value.isna() | (value < 0) | (value > 100), raw, path, "Data Value {Data Value!r} is not a percent 0-100"
    )
    out = pd.DataFrame(
        {
            "onet_code": codes,
            "element": raw["Element ID"].str.strip(),
            "scale": scale,
            "category": category.astype("Int16"),
            "value": value.astype("float64"),
            "suppress": raw["Recommend Suppress"].str.strip() == "Y",
        }
    )
    reject_rows(
        out.duplicated(["onet_code", "element", "scale", "category"]),
        raw,
        path,
        "{O*NET-SOC Code} {Element ID} {Scale ID} category {Category} appears more than once",
    )
    out.attrs["vintage"] = release(path)
    return out
