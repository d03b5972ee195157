"""Occupations: staffing patterns, local wages and entry requirements, as compact tables.

* ``occ_staffing``: national employment of every detailed occupation (and the
  all-occupations total) in each NAICS sector and 3-digit subsector, the
  levels the partnership taxonomy uses (OEWS industry display levels 2 and 3).
* ``occ_wages``: cross-industry median wages (and employment) of every
  detailed occupation (and the total) in the nation, each state, each
  metropolitan area and each nonmetropolitan area.
* ``occupations``: one row per occupation of the Employment Projections
  matrix (its line items: every detailed OEWS occupation and two more), with
  its projections, typical entry education, related work experience and
  on-the-job training, and its O*NET job zone and required-education survey:
  those of its own O*NET record (``29-1141.00``) where it has one, else the
  range (job zone) or mean (survey) of the O*NET-SOC codes rolled up into it.

Nothing is imputed: a figure BLS did not release stays missing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.data.ingest.common import SourceError, read_csv_table
from dashboard.data.ingest.employment_projections import HEADERS, TOPCODE

#: OEWS codes of multi-sector NAICS groups -> the code QCEW uses for them.
SECTOR_CODES = {"31--34": "31-33", "44--46": "44-45", "48--50": "48-49"}
#: O*NET required-education (RL) categories grouped as the careers ladder groups entry education.
RL_GROUPS = {"onet_rl_hs_or_less": (1, 2), "onet_rl_postsecondary": (3, 4, 5), "onet_rl_bachelors_plus": tuple(range(6, 13))}


def short_naics(code: str, level: int) -> str | None:
    """The NAICS code as QCEW writes it: ``622000`` -> ``622``, ``23--24`` -> ``23``, ``31--34`` -> ``31-33``."""
    if level == 3 and code.endswith("000") and code[:3].isdigit():
        return code[:3]
    if level == 2 and code[:2].isdigit() and code[2:4] == "--":
        return SECTOR_CODES.get(code, code[:2])
    return None


def staffing_table(national: pd.DataFrame, industries: pd.DataFrame) -> pd.DataFrame:
    """National staffing of NAICS sectors and subsectors: ``naics`` (QCEW-style), ``oews_naics``, ``occ_code``,
    ``tot_emp`` (missing where BLS did not release it), ``a_median`` (the industry's own national median wage)."""
    levels = industries.set_index("naics")["level"]
    codes = {c: short_naics(c, int(levels[c])) for c in levels.index if levels[c] in (2, 3)}
    codes = {c: s for c, s in codes.items() if s is not None and not s.startswith("99")}  # not government
    rows = national[national["naics"].isin(list(codes)) & national["o_group"].isin(["detailed", "total"])]
    out = pd.DataFrame({
        "naics": rows["naics"].map(codes), "oews_naics": rows["naics"], "occ_code": rows["occ_code"],
        "tot_emp": rows["tot_emp"].astype("Int32"), "a_median": rows["a_median"].astype("float32"),
    })
    return out.sort_values(["naics", "occ_code"], kind="stable").reset_index(drop=True)


def wages_table(national: pd.DataFrame, areas_wages: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Cross-industry wages by area: ``area``, ``area_kind`` (national, state, metro, nonmetro), ``state_fips``,
    ``cbsa`` (metros), ``area_title``, ``occ_code``, ``tot_emp``, ``a_median``, ``h_median``, ``a_median_topcoded``."""
    nat = national[(national["naics"] == "000000") & national["o_group"].isin(["detailed", "total"])]
    nat = nat.assign(area="0000000", area_type="N", prim_state_fips="00")
    loc = areas_wages[areas_wages["o_group"].isin(["detailed", "total"])]
    cols = ["area", "area_type", "prim_state_fips", "occ_code", "tot_emp", "a_median", "h_median", "a_median_topcoded"]
    rows = pd.concat([nat[cols], loc[cols]], ignore_index=True)
    nonmetro = rows["area"].str[:2].ne("00") & rows["area"].str[2:].ne("00000")
    kind = np.select([rows["area_type"] == "N", rows["area_type"] == "S", nonmetro], ["national", "state", "nonmetro"], "metro")
    titles = areas.set_index("area")["area_title"]
    out = pd.DataFrame({
        "area": rows["area"], "area_kind": pd.Categorical(kind, ["national", "state", "metro", "nonmetro"]),
        "state_fips": rows["prim_state_fips"], "cbsa": rows["area"].str[2:].where(kind == "metro"),
        "area_title": rows["area"].map(titles), "occ_code": rows["occ_code"],
        "tot_emp": rows["tot_emp"].astype("Int32"), "a_median": rows["a_median"].astype("float32"),
        "h_median": rows["h_median"].astype("float32"), "a_median_topcoded": rows["a_median_topcoded"].astype(bool),
    })
    missing = out["area_title"].isna()
    if missing.any():
        raise ValueError(f"OEWS areas without a title in the area list: {sorted(out.loc[missing, 'area'].unique())[:5]}")
    return out.sort_values(["area", "occ_code"], kind="stable").reset_index(drop=True)


def _onet_for(soc: pd.Series, onet_codes: pd.Series) -> pd.DataFrame:
    """Which O*NET-SOC codes each SOC code takes: its own (``51-2011`` -> ``51-2011.xx``), else, for a
    broad code ending in 0, every detailed O*NET code under it (``51-2090`` -> ``51-209x.xx``)."""
    by7 = pd.DataFrame({"onet_code": onet_codes, "key": onet_codes.str[:7]})
    exact = pd.DataFrame({"soc_code": soc, "key": soc}).merge(by7, on="key")
    left = soc[~soc.isin(exact["soc_code"]) & soc.str.endswith("0")]
    by6 = pd.DataFrame({"onet_code": onet_codes, "key": onet_codes.str[:6]})
    broad = pd.DataFrame({"soc_code": left, "key": left.str[:6]}).merge(by6, on="key")
    return pd.concat([exact, broad], ignore_index=True)[["soc_code", "onet_code"]]


def occupations_table(ep: pd.DataFrame, oews_occupations: pd.DataFrame, zones: pd.DataFrame,
                      ete: pd.DataFrame) -> pd.DataFrame:
    """One row per Employment Projections line item, with its O*NET job zone and required-education survey."""
    items = ep[ep["occupation_type"] == "Line item"].copy()
    titles = oews_occupations.set_index("occ_code")["occ_title"]
    out = pd.DataFrame({
        "occ_code": items["soc_code"], "title": items["soc_code"].map(titles).fillna(items["title"]),
        "education": items["education"], "experience": items["experience"], "training": items["training"],
        "employment_base": items["employment_base"], "employment_projected": items["employment_projected"],
        "change_pct": items["change_pct"], "openings": items["openings"],
        "ep_median_wage": items["median_wage"],
    }).reset_index(drop=True)
    match = _onet_for(out["occ_code"], zones["onet_code"])
    out["onet_codes"] = out["occ_code"].map(match.groupby("soc_code")["onet_code"].agg(lambda s: ",".join(sorted(s)))).fillna("")
    # an occupation's own O*NET record (51-2011.00) where it has one, else every O*NET code rolled into it
    own = match["onet_code"] == match["soc_code"] + ".00"
    has_own = match.loc[own, "soc_code"]
    match = match[own | ~match["soc_code"].isin(has_own)]
    zoned = match.merge(zones[["onet_code", "job_zone"]], on="onet_code")
    agg = zoned.groupby("soc_code")["job_zone"].agg(["min", "max"])
    out["job_zone_min"] = out["occ_code"].map(agg["min"]).astype("Int8")
    out["job_zone_max"] = out["occ_code"].map(agg["max"]).astype("Int8")
    rl = ete[(ete["scale"] == "RL")]
    rl = rl.assign(group=rl["category"].astype("int64").map({c: g for g, cats in RL_GROUPS.items() for c in cats}))
    per_code = rl.pivot_table(index="onet_code", columns="group", values="value", aggfunc="sum")
    # the survey of an occupation: its own record's, else the mean over the rolled-up codes that were surveyed
    survey = match.merge(per_code, left_on="onet_code", right_index=True).groupby("soc_code")[list(RL_GROUPS)].mean()
    for col in RL_GROUPS:
        out[col] = out["occ_code"].map(survey[col]).astype("float32")
    return out.sort_values("occ_code").reset_index(drop=True)


def wage_topcode(path) -> int | None:
    """The annual wage BLS top-codes OEWS wages at, as Employment Projections Table 1.2 prints its top-coded
    median wages (``>=$239,200``); None when the table has no top-coded wage.

    The OEWS files mark a top-coded wage only with footnote 5 and no figure, so the bound is read from the one
    raw file that prints it. Top-coded wages that disagree on the bound stop the build.
    """
    raw = read_csv_table(path, ["Occupation type", "Typical education needed for entry"])
    hits = [c for c in raw.columns if re.fullmatch(HEADERS["median_wage"], c)]
    if len(hits) != 1:
        raise SourceError(path, f"expected one column matching {HEADERS['median_wage']!r}, found {hits or 'none'}")
    wages = raw[hits[0]].str.strip()
    bounds = {int(re.sub(r"\D", "", w)) for w in wages[wages.str.fullmatch(TOPCODE)]}
    if len(bounds) > 1:
        raise SourceError(path, f"top-coded wages give different bounds: {sorted(bounds)}")
    return bounds.pop() if bounds else None
