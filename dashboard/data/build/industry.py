"""QCEW rows -> the industry table and the national base, per year.

Where a year's rows include the US (area US000, as BLS's open-data slices
do), the national base is that published row. Where they do not (the bundled
2016 by-area files lack US000), the national figures are recovered from the
published location quotients. BLS computes a private industry's LQ against the
area's *total covered* employment (all ownerships):

    LQ = (area private industry jobs / area total covered jobs)
         / (US private industry jobs / US total covered jobs)

so each disclosed state gives an estimate of the national share
``(area jobs / area total covered) / LQ``. The private-total row (NAICS 10)
proves the base: its recovered share is the US private share of all covered
jobs (about 0.85), not 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.data import cell_bounds as bounds

#: QCEW aggregation levels kept: total covered, private total, sector, subsector.
AGGLVL_AREA_TYPE = {
    10: "us", 11: "us", 14: "us", 15: "us",
    40: "metro", 41: "metro", 44: "metro", 45: "metro",
    50: "state", 51: "state", 54: "state", 55: "state",
    70: "county", 71: "county", 74: "county", 75: "county",
}
#: Outlying areas are not part of the US total BLS uses as the LQ base.
NOT_IN_US_TOTAL = {"72", "78"}
TOTAL_CODE = "10"


#: Ownerships kept: total covered (all ownerships), federal, state and local government, private.
OWNERSHIPS = {0: "all ownerships", 1: "federal government", 2: "state government", 3: "local government", 5: "private"}


def industry_table(qcew: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Rows for the US, states, metro areas and counties, every year and ownership given.

    The bundled files hold total covered and private rows; a year installed by
    ``python -m dashboard update`` also holds the government ownerships.
    Every suppressed private cell gets its range and estimate (jobs, wages and
    last year's jobs; :data:`dashboard.analysis.bounds.CELL_COLUMNS`) from every published
    figure of its year; ``metros`` (QCEW metro code -> member counties, see
    :func:`metro_members`) adds the metro rows' equations where the delineation matches.
    """
    return bounds.add_cell_bounds(published_rows(qcew), metros)


def published_rows(qcew: pd.DataFrame) -> pd.DataFrame:
    """The kept rows (areas and ownerships) with BLS's published figures only, before any range is solved:
    what :mod:`dashboard.data.validate` checks first, so a damaged file stops an update in seconds."""
    keep = qcew["agglvl_code"].isin(list(AGGLVL_AREA_TYPE)) & qcew["own_code"].isin(list(OWNERSHIPS))
    df = qcew.loc[keep].copy()
    df["area_type"] = df["agglvl_code"].map(AGGLVL_AREA_TYPE)
    # "xx999" holds jobs BLS could not place in a county of the state
    df.loc[df["area_fips"].str.endswith("999"), "area_type"] = "unallocated"
    code = df["industry_code"]
    df["naics_level"] = np.where(code == TOTAL_CODE, 0, np.where(code.str.len() == 3, 3, 2)).astype("int8")
    wages = df["total_wages"].astype("Float64")
    df["avg_annual_pay"] = (wages / df["emplvl"].astype("Float64").where(df["emplvl"] > 0)).round().astype("Int64")
    out = df.rename(columns={"industry_code": "naics", "lq_emplvl": "lq_published"})[
        ["area_fips", "area_type", "area_title", "industry_title", "own_code", "naics", "naics_level", "year", "suppressed",
         "estabs", "emplvl", "total_wages", "avg_annual_pay", "oty_emplvl_chg", "lq_published"]
    ]
    out["lq_published"] = out["lq_published"].round(4)
    out["oty_emplvl_chg"] = out["oty_emplvl_chg"].round(2)
    out["year"] = out["year"].astype("int16")
    return out.sort_values(["year", "area_type", "area_fips", "own_code", "naics"], kind="stable").reset_index(drop=True)


def metro_members(cbsa_scheme: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """QCEW metro code (``C`` and the CBSA's first four digits) -> its member counties, from the
    ``cbsa`` region scheme (``region_id``, ``fips``)."""
    return {f"C{rid[:4]}": tuple(sorted(g["fips"])) for rid, g in cbsa_scheme.groupby("region_id", sort=True)}


def _total_covered(industry: pd.DataFrame) -> pd.Series:
    rows = industry[(industry["own_code"] == 0) & (industry["naics"] == TOTAL_CODE)]
    return rows.set_index("area_fips")["emplvl"]


def us_total_covered(industry: pd.DataFrame) -> tuple[int, list[str]]:
    """US total covered employment: the states' totals, a state whose statewide
    file is absent counted as the sum of its county and unallocated rows.

    Returns the total and the states summed from their counties.
    """
    totals = industry[(industry["own_code"] == 0) & (industry["naics"] == TOTAL_CODE)]
    totals = totals[~totals["area_fips"].str[:2].isin(NOT_IN_US_TOTAL)]
    states = totals[totals["area_type"] == "state"]
    have = set(states["area_fips"].str[:2])
    sub = totals[totals["area_type"].isin(["county", "unallocated"]) & ~totals["area_fips"].str[:2].isin(have)]
    if sub["emplvl"].isna().any():
        raise ValueError("a county total covered figure is suppressed; the US total cannot be formed")
    return int(states["emplvl"].sum() + sub["emplvl"].sum()), sorted(set(sub["area_fips"].str[:2]))


NATIONAL_COLUMNS = ["year", "own_code", "naics", "title", "naics_level", "us_share", "us_emplvl", "share_spread",
                    "states_used", "us_oty_growth", "growth_coverage", "basis"]


def national_table(industry: pd.DataFrame) -> pd.DataFrame:
    """The national base of every year in ``industry``, one row per year x ownership x NAICS code."""
    parts = []
    for year, rows in industry.groupby("year", sort=True):
        us = rows[rows["area_type"] == "us"]
        part = published_national(us) if len(us) else national_shares(rows[rows["area_type"] != "us"])
        parts.append(part.assign(year=int(year)))
    if not parts:
        return pd.DataFrame(columns=NATIONAL_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[NATIONAL_COLUMNS]
    out["year"] = out["year"].astype("int16")
    return out.reset_index(drop=True)


def published_national(us: pd.DataFrame) -> pd.DataFrame:
    """The national base from BLS's own US rows (area US000) of one year."""
    total = us[(us["own_code"] == 0) & (us["naics"] == TOTAL_CODE)]
    if len(total) != 1 or pd.isna(total["emplvl"].iloc[0]):
        raise ValueError("the US total covered row (own_code 0, NAICS 10) is missing")
    us_total = float(total["emplvl"].iloc[0])
    priv = us[(us["own_code"] == 5) & us["emplvl"].notna()].copy()
    out = pd.concat([total, priv], ignore_index=True)
    emp = out["emplvl"].astype("float64")
    chg = out["oty_emplvl_chg"].astype("float64")
    titles = naics_titles(us)
    out = out.assign(
        us_share=(emp / us_total).round(8),
        us_emplvl=out["emplvl"].astype("Int64"),
        share_spread=0.0,
        states_used=np.int16(0),
        us_oty_growth=(chg / (emp - chg)).where((emp - chg) > 0).round(6),
        growth_coverage=np.where(chg.notna(), 1.0, np.nan),
        basis="published US row",
    ).drop(columns=["industry_title"]).merge(titles, on="naics", how="left")
    out["naics_level"] = out["naics_level"].astype("int8")
    return out[[c for c in NATIONAL_COLUMNS if c != "year"]]


def national_shares(industry: pd.DataFrame) -> pd.DataFrame:
    """Per private NAICS code, the US share of total covered jobs recovered from
    every disclosed state's published LQ (one year's rows).

    Estimates are combined with weights LQ^2: the LQ is published to two
    decimals, so its relative rounding error shrinks as the LQ grows.
    """
    total = _total_covered(industry)
    st = industry[(industry["area_type"] == "state") & (industry["own_code"] == 5)
                  & ~industry["area_fips"].str[:2].isin(NOT_IN_US_TOTAL)].copy()
    st = st[~st["suppressed"] & (st["lq_published"] > 0) & st["emplvl"].notna()]
    st["base"] = st["area_fips"].map(total).astype("float64")
    st["share"] = st["emplvl"].astype("float64") / st["base"] / st["lq_published"]
    st["w"] = st["lq_published"] ** 2
    us_total, _ = us_total_covered(industry)
    titles = naics_titles(industry)

    def combine(g: pd.DataFrame) -> pd.Series:
        share = float(np.average(g["share"], weights=g["w"]))
        return pd.Series({
            "us_share": share,
            "share_spread": float(g["share"].std(ddof=0) / share) if len(g) > 1 else np.nan,
            "states_used": len(g),
        })

    nat = st.groupby(["naics", "naics_level"], sort=True).apply(combine, include_groups=False).reset_index()
    nat["us_emplvl"] = (nat["us_share"] * us_total).round().astype("Int64")
    nat = pd.concat(
        [pd.DataFrame({"naics": [TOTAL_CODE], "naics_level": [0], "us_share": [1.0], "share_spread": [0.0],
                       "states_used": [0], "us_emplvl": pd.array([us_total], dtype="Int64")}).assign(own_code=0),
         nat.assign(own_code=5)],
        ignore_index=True,
    )
    nat = nat.merge(national_growth(industry), on=["own_code", "naics"], how="left")
    nat = nat.merge(titles, on="naics", how="left")
    nat["naics_level"] = nat["naics_level"].astype("int8")
    nat["states_used"] = nat["states_used"].astype("int16")
    nat["us_share"] = nat["us_share"].round(8)
    nat["share_spread"] = nat["share_spread"].round(6)
    nat["basis"] = "recovered from published state location quotients"
    return nat[[c for c in NATIONAL_COLUMNS if c != "year"]]


def naics_titles(industry: pd.DataFrame) -> pd.DataFrame:
    """NAICS code -> title, from the QCEW industry titles ("31-33 Manufacturing")."""
    t = industry[["naics", "industry_title"]].drop_duplicates("naics").copy()
    t["title"] = t["industry_title"].str.replace(r"^NAICS\s*", "", regex=True).str.replace(r"^[\d-]+\s+", "", regex=True)
    t.loc[t["naics"] == TOTAL_CODE, "title"] = "Total, all industries"
    return t[["naics", "title"]]


def national_growth(industry: pd.DataFrame) -> pd.DataFrame:
    """Over-the-year employment growth rate per industry, from the states that
    disclose the change (their share of the industry's jobs in ``growth_coverage``)."""
    st = industry[(industry["area_type"] == "state") & ~industry["area_fips"].str[:2].isin(NOT_IN_US_TOTAL)]
    ok = st[st["oty_emplvl_chg"].notna() & st["emplvl"].notna()].copy()
    ok["emp"] = ok["emplvl"].astype("float64")
    g_ok = ok.groupby(["own_code", "naics"]).agg(chg=("oty_emplvl_chg", "sum"), emp=("emp", "sum"))
    g_all = st.assign(emp=st["emplvl"].astype("float64")).groupby(["own_code", "naics"])["emp"].sum()
    out = pd.DataFrame({
        "us_oty_growth": (g_ok["chg"] / (g_ok["emp"] - g_ok["chg"])).round(6),
        "growth_coverage": (g_ok["emp"] / g_all.reindex(g_ok.index)).round(4),
    }).reset_index()
    return out
