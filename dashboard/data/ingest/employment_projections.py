"""BLS Employment Projections, Table 1.2: occupational projections and worker characteristics.

Publisher: U.S. Bureau of Labor Statistics, Employment Projections program,
"Table 1.2 Occupational projections, 2024-2034, and worker characteristics,
2024" (the sheet of ``occupation.xlsx``, saved as CSV with its header row
verbatim). Employment and openings are in thousands.

Quirks handled:

* the header names carry the years (``Employment, 2024``, ``Employment
  change, numeric, 2024–34`` with an en dash, ``2024 National Employment
  Matrix code``); they are matched as patterns and the base and projection
  years are read from them (the vintage, "2024-34");
* titles keep BLS's indentation (two spaces per level), stripped here;
* ``—`` (an em dash) is "not available"; summary rows carry it in the
  education, experience and training columns, line items must not;
* the median wage is ``>=$239,200`` where it is at or above the top wage
  OEWS publishes: kept missing with a flag, never as that bound;
* education, experience and training must be one of BLS's categories, so a
  shifted column or a new category stops the build instead of going astray.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, read_csv_table, to_number
from dashboard.data.ingest.rows import reject_rows

EDUCATION = (
    "No formal educational credential",
    "High school diploma or equivalent",
    "Some college, no degree",
    "Postsecondary nondegree award",
    "Associate's degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctoral or professional degree",
)
EXPERIENCE = ("None", "Less than 5 years", "5 years or more")
TRAINING = (
    "None",
    "Short-term on-the-job training",
    "Moderate-term on-the-job training",
    "Long-term on-the-job training",
    "Apprenticeship",
    "Internship/residency",
)
NOT_AVAILABLE = {"—", "–"}
TOPCODE = re.compile(r">=\s*\$?[\d,]+")

#: Output name -> header pattern (``{y}`` a 4-digit year, ``{yy}`` the projection's last two digits).
HEADERS = {
    "title": r"(\d{4}) National Employment Matrix title",
    "soc_code": r"(\d{4}) National Employment Matrix code",
    "occupation_type": r"Occupation type",
    "employment_base": r"Employment, (\d{4})",
    "employment_projected": r"Employment, (\d{4})",
    "change": r"Employment change, numeric, (\d{4})[–-](\d{2})",
    "change_pct": r"Employment change, percent, (\d{4})[–-](\d{2})",
    "self_employed_pct": r"Percent self employed, (\d{4})",
    "openings": r"Occupational openings, (\d{4})[–-](\d{2}) annual average",
    "median_wage": r"Median annual wage, dollars, (\d{4})(\[\d+\])?",
    "education": r"Typical education needed for entry",
    "experience": r"Work experience in a related occupation",
    "training": r"Typical on-the-job training needed to attain competency in the occupation",
}
NUMBERS = ["employment_base", "employment_projected", "change", "change_pct", "self_employed_pct", "openings"]
COLUMNS = [
    "soc_code",
    "title",
    "occupation_type",
    *NUMBERS,
    "median_wage",
    "median_wage_topcoded",
    "education",
    "experience",
    "training",
]


def _columns(columns: list[str], path) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, pattern in HEADERS.items():
        hits = [c for c in columns if re.fullmatch(pattern, c)]
        if name == "employment_base":
            hits = hits[:1]
        elif name == "employment_projected":
            hits = hits[1:2]
        if len(hits) != 1:
            raise SourceError(path, f"expected one column matching {pattern!r}, found {hits or 'none'}")
        found[name] = hits[0]
    return found


def read_ep_occupations(path: str | Path) -> pd.DataFrame:
    """Every occupation of Table 1.2 with its projections and entry characteristics.

    Columns: ``soc_code``, ``title``, ``occupation_type`` (Summary or Line
    item), employment in the base and projected years and the openings (all
    in thousands, as published), ``change``, ``change_pct``,
    ``self_employed_pct``, ``median_wage`` (dollars, missing where top-coded:
    ``median_wage_topcoded``), ``education``, ``experience``, ``training``
    (missing for summary rows). ``attrs``: ``base_year``, ``projection_year``
    and ``vintage`` ("2024-34"), read from the header.
    """
    raw = read_csv_table(path, ["Occupation type", "Typical education needed for entry"])
    names = _columns([c for c in raw.columns if c != "_line"], path)
    base = int(re.fullmatch(HEADERS["employment_base"], names["employment_base"]).group(1))
    proj = int(re.fullmatch(HEADERS["employment_projected"], names["employment_projected"]).group(1))
    span = re.fullmatch(HEADERS["change"], names["change"])
    if int(span.group(1)) != base or int(span.group(2)) != proj % 100 or proj <= base:
        raise SourceError(path, f"the header's years disagree: employment {base} and {proj}, change {span.group(0)!r}")
    lines = raw["_line"]
    out = pd.DataFrame(
        {
            "soc_code": raw[names["soc_code"]].str.strip(),
            "title": raw[names["title"]].str.strip(),
            "occupation_type": raw[names["occupation_type"]].str.strip(),
        }
    )
    reject_rows(
        ~out["soc_code"].str.fullmatch(r"\d{2}-\d{4}"),
        raw.assign(_v=out["soc_code"]),
        path,
        "{_v!r} is not a SOC code (NN-NNNN)",
    )
    reject_rows(
        ~out["occupation_type"].isin(["Summary", "Line item"]),
        raw.assign(_v=out["occupation_type"]),
        path,
        "occupation type {_v!r} is neither 'Summary' nor 'Line item'",
    )
    reject_rows(
        out["soc_code"].duplicated(), raw.assign(_v=out["soc_code"]), path, "SOC code {_v} appears more than once"
    )
    for name in NUMBERS:
        out[name] = to_number(raw[names[name]], path, names[name], lines, extra_missing=NOT_AVAILABLE).astype("float64")
    wage = raw[names["median_wage"]].str.strip()
    top = wage.str.fullmatch(TOPCODE)
    out["median_wage"] = to_number(
        wage.where(~top, "—"), path, names["median_wage"], lines, extra_missing=NOT_AVAILABLE
    )
    out["median_wage_topcoded"] = top.to_numpy()
    item = out["occupation_type"] == "Line item"
    for name, allowed in (("education", EDUCATION), ("experience", EXPERIENCE), ("training", TRAINING)):
        values = raw[names[name]].str.strip()
        bad = item & ~values.isin(allowed)
        reject_rows(bad, raw.assign(_v=values), path, f"{names[name]!r}: {{_v!r}} is not one of BLS's categories")
        bad = ~item & ~values.isin(allowed) & ~values.isin(NOT_AVAILABLE)
        reject_rows(bad, raw.assign(_v=values), path, f"{names[name]!r}: {{_v!r}} is not one of BLS's categories")
        out[name] = values.where(values.isin(allowed))
    missing = item & out[["employment_base", "employment_projected", "openings"]].isna().any(axis=1)
    reject_rows(missing, raw, path, "a line item without employment or openings")
    out = out[COLUMNS].reset_index(drop=True)
    out.attrs.update(base_year=base, projection_year=proj, vintage=f"{base}-{proj % 100:02d}")
    return out
