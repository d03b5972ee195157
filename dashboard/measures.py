"""Concentration, growth, pay and shift-share for regions, from QCEW, for any loaded year.

Location quotient, on the same base as BLS (private industry jobs against the
area's total covered jobs, all ownerships)::

    LQ = (region industry jobs / region total covered jobs) / US share

where the US share is the year's national base (BLS's US row, or recovered
from the published LQs at build time).

Suppressed cells are never counted as zero nor backed out. A region with
suppressed cells gets a range: ``lq_low`` counts them as zero, ``lq_high``
gives each suppressed county all of its undisclosed jobs at that NAICS level
(county private total minus its disclosed industries at that level). ``lq``
is the point value only when nothing is suppressed.

Every function works on many regions at once: ``area_region`` maps each
QCEW area (county FIPS, or an official metro/state code) to a region id.
Every function takes the data ``year``; ``None`` means the newest loaded.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import store

TOTAL = "10"


class UnknownYearError(KeyError):
    """A year that is not loaded was asked for."""

    def __str__(self) -> str:
        return str(self.args[0])


@lru_cache(maxsize=1)
def years() -> tuple[int, ...]:
    """The QCEW years loaded, oldest first."""
    return tuple(int(y) for y in sorted(store.load_table("industry")["year"].unique()))


def resolve_year(year: int | None) -> int:
    """``year`` checked against the loaded years; ``None`` gives the newest."""
    loaded = years()
    if not loaded:
        raise UnknownYearError("no QCEW year is loaded; add one with: python -m dashboard update")
    if year is None:
        return loaded[-1]
    if year not in loaded:
        raise UnknownYearError(f"QCEW year {year} is not loaded; loaded: {', '.join(map(str, loaded))}")
    return int(year)


@lru_cache(maxsize=8)
def _industry(year: int) -> pd.DataFrame:
    ind = store.load_table("industry")
    ind = ind[ind["year"] == year]
    return ind.set_index("area_fips", drop=False).sort_index()


@lru_cache(maxsize=8)
def _national(year: int) -> pd.DataFrame:
    nat = store.load_table("national")
    return nat[nat["year"] == year].set_index(["own_code", "naics"])


def sector_codes(year: int | None = None) -> pd.DataFrame:
    """Every private NAICS code in the year's national table: ``naics, naics_level``."""
    nat = _national(resolve_year(year)).reset_index()
    return nat.loc[nat["own_code"] == 5, ["naics", "naics_level"]].reset_index(drop=True)


def national_group(codes: list[str], year: int | None = None) -> dict:
    """US share, employment and published one-year growth of a group of private NAICS codes."""
    nat = _national(resolve_year(year)).loc[5]
    missing = [c for c in codes if c not in nat.index]
    if missing:
        raise KeyError(f"NAICS codes not in the national table: {missing}")
    rows = nat.loc[codes]
    emp = rows["us_emplvl"].astype("float64")
    growth = rows["us_oty_growth"].astype("float64")
    emp0 = emp / (1 + growth)
    return {
        "us_share": float(rows["us_share"].sum()),
        "us_employment": int(emp.sum()),
        # a code without a published national change leaves the group's change unknown, not zero
        "us_growth": float((emp.sum() - emp0.sum()) / emp0.sum()) if growth.notna().all() else float("nan"),
    }


def us_total_employment(year: int | None = None) -> int:
    """US total covered employment (all ownerships, all industries) in the year's national base."""
    return int(_national(resolve_year(year)).loc[(0, TOTAL), "us_emplvl"])


@lru_cache(maxsize=8)
def _area_positions(year: int) -> dict[str, tuple[int, int]]:
    """Row range of each area in the (sorted) industry table, for fast slicing."""
    codes = _industry(year)["area_fips"].to_numpy()
    uniq, starts = np.unique(codes, return_index=True)
    ends = np.r_[starts[1:], len(codes)]
    return {a: (int(s), int(e)) for a, s, e in zip(uniq, starts, ends)}


def _rows(areas: pd.Index, year: int) -> pd.DataFrame:
    pos = _area_positions(year)
    spans = [pos[a] for a in areas if a in pos]
    if not spans:
        return _industry(year).iloc[0:0].reset_index(drop=True)
    take = np.concatenate([np.arange(s, e) for s, e in spans])
    return _industry(year).iloc[take].reset_index(drop=True)


def area_base(area_region: pd.Series, rows: pd.DataFrame | None = None, year: int | None = None) -> pd.DataFrame:
    """Per area: total covered jobs, private jobs and wages (the denominators).

    ``rows`` are the areas' industry rows when the caller already has them.
    """
    if rows is None:
        rows = _rows(pd.Index(area_region.index), resolve_year(year))
    tot = rows[(rows["own_code"] == 0) & (rows["naics"] == TOTAL)].set_index("area_fips")
    priv = rows[(rows["own_code"] == 5) & (rows["naics"] == TOTAL)].set_index("area_fips")
    base = pd.DataFrame(index=pd.Index(area_region.index, name="area_fips"))
    base["region_id"] = area_region
    base["total_covered"] = tot["emplvl"].astype("float64")
    base["private"] = priv["emplvl"].astype("float64")
    base["private_wages"] = priv["total_wages"].astype("float64")
    return base


def _undisclosed(rows: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Per area and NAICS level: jobs not shown in any disclosed industry."""
    priv = rows[(rows["own_code"] == 5) & (rows["naics_level"] > 0)]
    shown = priv[~priv["suppressed"]].groupby(["area_fips", "naics_level"])["emplvl"].sum().astype("float64")
    # where the private total itself is hidden, total covered still bounds it
    ceiling = base["private"].fillna(base["total_covered"])
    levels = pd.MultiIndex.from_product([base.index, [2, 3]], names=["area_fips", "naics_level"])
    shown = shown.reindex(levels, fill_value=0.0)
    top = ceiling.reindex(levels.get_level_values(0)).to_numpy()
    return pd.Series(np.clip(top - shown.to_numpy(), 0, None), index=levels, name="undisclosed")


def group_measures(area_region: pd.Series, groups: dict[str, list[str]], year: int | None = None) -> pd.DataFrame:
    """Concentration, size, pay and growth for each region x group of NAICS codes in one year.

    ``groups`` maps a group id to private NAICS codes (sectors or subsectors).
    Returns one row per (region_id, group) with employment bounds, LQ and range,
    establishments, average pay, the one-year growth the files publish
    (``year - 1`` to ``year``), and suppression counts.
    """
    year = resolve_year(year)
    if area_region.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    # the per-area and per-cell tables carry a small integer per region, never its id: a custom
    # region's id is its county list, and a copy of it in every row grows with the square of its size
    codes, ids = pd.factorize(area_region)
    reg = _region_sums(pd.Series(codes, index=area_region.index, name="region_id"), groups, year)
    if len(ids) > 1:  # regions in the order of their ids, as when the ids themselves were grouped
        rank = np.argsort(np.argsort(np.asarray(ids, dtype=object), kind="stable"))
        reg = reg.iloc[np.argsort(rank[reg["region_id"].to_numpy(dtype="int64")], kind="stable")]
    out = _finish(reg.reset_index(drop=True), groups, year)
    out["region_id"] = np.asarray(ids, dtype=object)[out["region_id"].to_numpy(dtype="int64")]
    return out


def _region_sums(area_region: pd.Series, groups: dict[str, list[str]], year: int) -> pd.DataFrame:
    """Summed counts per (region, group), ``area_region`` mapping areas to integer region keys.

    Each area is measured once, then counted in every region that holds it
    (overlapping regions share counties; a region listing an area twice counts it once).
    """
    members = pd.DataFrame({"area_fips": area_region.index.to_numpy(), "region_id": area_region.to_numpy()})
    members = members.drop_duplicates(ignore_index=True)
    areas = pd.Index(pd.unique(members["area_fips"]), name="area_fips")
    rows = _rows(areas, year)
    base = area_base(pd.Series(0, index=areas), rows).drop(columns="region_id")
    undisclosed = _undisclosed(rows, base)
    code_group = pd.DataFrame([(g, c) for g, codes in groups.items() for c in codes], columns=["group", "naics"])
    cells = rows[rows["own_code"] == 5].merge(code_group, on="naics")
    cells["disclosed_emp"] = cells["emplvl"].astype("float64").where(~cells["suppressed"], 0.0)
    cells["wages"] = cells["total_wages"].astype("float64").where(~cells["suppressed"], 0.0)
    has_chg = cells["oty_emplvl_chg"].notna() & ~cells["suppressed"]
    cells["chg"] = cells["oty_emplvl_chg"].where(has_chg, 0.0)
    cells["emp_with_chg"] = cells["disclosed_emp"].where(has_chg, 0.0)

    # extra jobs a suppressed county could hold: its undisclosed jobs, once per level
    sup = cells[cells["suppressed"]].drop_duplicates(["area_fips", "group", "naics_level"])
    sup = sup.join(undisclosed, on=["area_fips", "naics_level"])
    extra = sup.groupby(["area_fips", "group"])["undisclosed"].sum()

    per_area = cells.groupby(["area_fips", "group"]).agg(
        disclosed_emp=("disclosed_emp", "sum"), estabs=("estabs", "sum"), wages=("wages", "sum"),
        chg=("chg", "sum"), emp_with_chg=("emp_with_chg", "sum"), suppressed=("suppressed", "any"),
    )
    full = pd.MultiIndex.from_product([base.index, list(groups)], names=["area_fips", "group"])
    per_area = per_area.reindex(full)
    per_area[["disclosed_emp", "wages", "chg", "emp_with_chg"]] = per_area[["disclosed_emp", "wages", "chg", "emp_with_chg"]].fillna(0.0)
    per_area["estabs"] = per_area["estabs"].fillna(0).astype("int64")
    per_area["suppressed"] = per_area["suppressed"].astype("boolean").fillna(False).astype(bool)
    ceiling = base["private"].fillna(base["total_covered"]).reindex(per_area.index.get_level_values(0)).to_numpy()
    per_area["extra"] = np.minimum(extra.reindex(per_area.index, fill_value=0.0).to_numpy(),
                                   np.clip(ceiling - per_area["disclosed_emp"].to_numpy(), 0, None))
    per_area["no_base"] = base["total_covered"].isna().reindex(per_area.index.get_level_values(0)).to_numpy()
    per_area = per_area.reset_index().merge(members, on="area_fips")

    reg = per_area.groupby(["region_id", "group"]).agg(
        emp_low=("disclosed_emp", "sum"), extra=("extra", "sum"), estabs=("estabs", "sum"), wages=("wages", "sum"),
        chg=("chg", "sum"), emp_with_chg=("emp_with_chg", "sum"),
        suppressed_areas=("suppressed", "sum"), areas=("suppressed", "size"), areas_without_base=("no_base", "sum"),
    )
    # a county whose private total is suppressed counts with its total covered jobs, an upper
    # bound, so the sector's share of private jobs is never overstated; pay uses disclosed totals only
    base["private_bound"] = base["private"].fillna(base["total_covered"])
    base["private_paid"] = base["private"].where(base["private_wages"].notna())
    totals = base.reset_index().merge(members, on="area_fips").groupby("region_id").agg(
        total_covered=("total_covered", "sum"), private=("private_bound", "sum"),
        private_paid=("private_paid", "sum"), private_wages=("private_wages", "sum"))
    return reg.join(totals, on="region_id").reset_index()


def _finish(reg: pd.DataFrame, groups: dict[str, list[str]], year: int) -> pd.DataFrame:
    nat = pd.DataFrame({g: national_group(codes, year) for g, codes in groups.items()}).T
    reg["year"] = year
    reg = reg.join(nat, on="group")
    reg["emp_high"] = reg["emp_low"] + reg["extra"]
    exact = reg["suppressed_areas"] == 0
    reg["employment"] = reg["emp_low"].where(exact)
    denom = reg["total_covered"] * reg["us_share"].astype("float64")
    reg["lq_low"] = reg["emp_low"] / denom
    reg["lq_high"] = reg["emp_high"] / denom
    reg["lq"] = reg["lq_low"].where(exact)
    # pay and growth use the disclosed cells; their basis is reported
    reg["avg_annual_pay"] = (reg["wages"] / reg["emp_low"]).where(reg["emp_low"] > 0)
    region_pay = (reg["private_wages"] / reg["private_paid"]).where(reg["private_paid"] > 0)
    reg["pay_ratio"] = reg["avg_annual_pay"] / region_pay
    emp0 = reg["emp_with_chg"] - reg["chg"]
    reg["growth"] = (reg["chg"] / emp0).where(emp0 > 0)
    reg["growth_coverage"] = (reg["emp_with_chg"] / reg["emp_low"]).where(reg["emp_low"] > 0)
    reg["us_growth"] = reg["us_growth"].astype("float64")
    reg["growth_vs_us"] = reg["growth"] - reg["us_growth"]
    reg["size_share"] = (reg["emp_low"] / reg["private"]).where(reg["private"] > 0)
    reg.loc[reg["total_covered"] <= 0, ["lq_low", "lq_high", "lq"]] = np.nan
    return reg[MEASURE_COLUMNS]


#: Columns of :func:`group_measures`, one row per region and group.
MEASURE_COLUMNS = [
    "region_id", "group", "year", "employment", "emp_low", "emp_high", "estabs", "lq", "lq_low", "lq_high",
    "suppressed_areas", "areas", "areas_without_base", "total_covered", "private", "us_share", "us_employment",
    "avg_annual_pay", "pay_ratio", "chg", "emp_with_chg", "growth", "growth_coverage", "us_growth", "growth_vs_us",
    "size_share",
]


def shift_share(emp_start: float, emp_end: float, us_all_growth: float, us_industry_growth: float) -> dict:
    """Split a region-industry's job change into national growth, industry mix and regional shift.

    The three parts add up to the actual change ``emp_end - emp_start``.
    """
    if emp_start <= 0:
        return {"change": emp_end - emp_start, "national_growth": None, "industry_mix": None, "regional_shift": None}
    local_growth = (emp_end - emp_start) / emp_start
    return {
        "change": emp_end - emp_start,
        "national_growth": emp_start * us_all_growth,
        "industry_mix": emp_start * (us_industry_growth - us_all_growth),
        "regional_shift": emp_start * (local_growth - us_industry_growth),
    }


#: Columns of :func:`change_measures`, one row per region and group.
CHANGE_COLUMNS = [
    "region_id", "group", "start_year", "end_year", "emp_start", "emp_end", "change", "change_low", "change_high",
    "growth", "us_growth", "us_all_growth", "growth_vs_us", "national_growth", "industry_mix", "regional_shift",
]


def change_measures(area_region: pd.Series, groups: dict[str, list[str]], start: int, end: int) -> pd.DataFrame:
    """Employment change of each region x group between two loaded years, against the US, with shift-share.

    The change is a point value only where both years are fully disclosed for
    every area of the region; otherwise ``change_low``/``change_high`` bound it
    and the point figures are missing. Shift-share splits the change into
    national growth (all industries, total covered), industry mix (the group's
    US growth beyond that) and the regional shift (the rest); the three add
    up to the change.
    """
    start, end = resolve_year(start), resolve_year(end)
    if start >= end:
        raise ValueError(f"the start year {start} must come before the end year {end}")
    key = ["region_id", "group"]
    a = group_measures(area_region, groups, start).set_index(key)
    b = group_measures(area_region, groups, end).set_index(key).reindex(a.index)
    exact = (a["employment"].notna() & b["employment"].notna()
             & (a["areas_without_base"] == 0) & (b["areas_without_base"] == 0))
    out = pd.DataFrame(index=a.index)
    out["start_year"], out["end_year"] = start, end
    out["emp_start"] = a["employment"].astype("float64").where(exact)
    out["emp_end"] = b["employment"].astype("float64").where(exact)
    out["change"] = out["emp_end"] - out["emp_start"]
    out["change_low"] = (b["emp_low"] - a["emp_high"]).astype("float64")
    out["change_high"] = (b["emp_high"] - a["emp_low"]).astype("float64")
    out.loc[exact, ["change_low", "change_high"]] = np.c_[out.loc[exact, "change"], out.loc[exact, "change"]]
    out["growth"] = (out["change"] / out["emp_start"]).where(out["emp_start"] > 0)
    us = {g: national_group(codes, end)["us_employment"] / national_group(codes, start)["us_employment"] - 1
          for g, codes in groups.items()}
    out["us_growth"] = out.index.get_level_values("group").map(us).astype("float64")
    out["us_all_growth"] = us_total_employment(end) / us_total_employment(start) - 1
    out["growth_vs_us"] = out["growth"] - out["us_growth"]
    out["national_growth"] = out["emp_start"] * out["us_all_growth"]
    out["industry_mix"] = out["emp_start"] * (out["us_growth"] - out["us_all_growth"])
    out["regional_shift"] = out["change"] - out["national_growth"] - out["industry_mix"]
    return out.reset_index()[CHANGE_COLUMNS]


def _official_code(scheme: str, region_id: str) -> str | None:
    if scheme == "state":
        return f"{region_id}000"
    if scheme == "cbsa":
        return f"C{region_id[:4]}"
    return None


def qcew_area_region(regions: list, year: int | None = None) -> tuple[pd.Series, dict[str, str]]:
    """Map QCEW areas to region ids for :func:`group_measures`.

    Where QCEW publishes the region itself (a state, or a metro/micro area
    whose published total equals the sum of today's member counties, i.e. the
    same delineation), the official row is used; otherwise the counties
    (plus, for a whole state, the jobs BLS could not place in a county).
    Returns the mapping (a categorical Series: area -> region id) and, per region, the basis used.
    """
    year = resolve_year(year)
    ind = _industry(year)
    totals = ind[(ind["own_code"] == 0) & (ind["naics"] == TOTAL)].set_index("area_fips")["emplvl"]
    pairs, basis, keys = [], {}, {}
    for region in regions:
        key = keys.setdefault(region.id, len(keys))
        code = _official_code(region.scheme, region.id)
        counties = [c for c in region.counties if c in totals.index]
        if code is not None and code in totals.index:
            summed = float(totals.reindex(counties).sum())
            if region.scheme == "state" or abs(summed - float(totals[code])) <= 0.002 * float(totals[code]):
                pairs.append((code, key))
                basis[region.id] = "official QCEW row for the whole region"
                continue
        if region.scheme == "state" and f"{region.id}999" in totals.index:
            counties.append(f"{region.id}999")
        pairs.extend((c, key) for c in counties)
        basis[region.id] = (f"sum of {len(counties)} county rows" if counties
                            else f"no {year} QCEW rows for these counties (see data/SOURCES.md, known gaps)")
    if not pairs:
        return pd.Series(dtype=str, name="region_id"), basis
    areas, codes = zip(*pairs)
    # categorical: each region id is held once, however many areas map to it (a custom region's
    # id is its county list: a copy per area would grow with the square of the region's size)
    ids = pd.Categorical.from_codes(codes, categories=pd.Index(list(keys), dtype=object))
    return pd.Series(ids, index=pd.Index(areas, name="area_fips"), name="region_id"), basis


def cbp_change(counties, codes: list[str], start: int, end: int) -> dict | None:
    """Employment change between two CBP years for counties and NAICS codes, with shift-share.

    None when a county has no county-level CBP file bundled or a cell is withheld
    in either year (a partial sum would be a wrong number).
    """
    cbp = store.load_table("cbp")
    county_rows = cbp[cbp["area_type"] == "county"]
    rows = county_rows[county_rows["fips"].isin(list(counties)) & county_rows["year"].isin([start, end])]
    if rows["fips"].nunique() != len(set(counties)):  # the rows are of these counties: all present or not
        return None
    sel = rows[rows["naics"].isin(codes)]
    if sel["withheld"].any():
        return None
    emp = sel.groupby("year")["emp"].sum().reindex([start, end], fill_value=0).astype("float64")
    states = cbp[(cbp["area_type"] == "state") & cbp["year"].isin([start, end])]
    us_ind = states[states["naics"].isin(codes)].groupby("year")["emp"].sum().astype("float64")
    us_all = states[states["naics"] == "00"].groupby("year")["emp"].sum().astype("float64")
    if not {start, end} <= set(us_all.index) or not {start, end} <= set(us_ind.index):
        return None  # no state rows that year: no US growth to compare with
    g_all = us_all[end] / us_all[start] - 1
    g_ind = us_ind[end] / us_ind[start] - 1
    out = shift_share(emp[start], emp[end], g_all, g_ind)
    out.update(start_year=start, end_year=end, employment_start=int(emp[start]), employment_end=int(emp[end]),
               growth=(emp[end] / emp[start] - 1) if emp[start] > 0 else None, us_growth=g_ind)
    return out


#: What County Business Patterns counts, said wherever its figures are shown.
CBP_NOTE = ("Census County Business Patterns: mid-March employment of private employer establishments, "
            "noise-infused; not comparable one for one with QCEW annual averages")


@lru_cache(maxsize=1)
def _cbp_county() -> tuple[pd.DataFrame, dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """County CBP rows, and per year the counties they cover and the NAICS codes they carry."""
    cbp = store.load_table("cbp")
    county = cbp.loc[cbp["area_type"] == "county", ["fips", "year", "naics", "emp", "withheld"]]
    by_year = county.groupby("year")
    covered = {int(y): frozenset(f) for y, f in by_year["fips"].unique().items()}
    codes = {int(y): frozenset(c) for y, c in by_year["naics"].unique().items()}
    return county, covered, codes


def cbp_trend(counties, codes: list[str]) -> pd.DataFrame:
    """Employment per CBP year for counties and NAICS codes: ``year, employment``.

    A year is listed only when every county has a county-level CBP row that
    year and no cell of the codes is withheld (a partial sum would be a wrong
    number); an empty frame means county CBP does not cover the region.
    """
    county, covered, published = _cbp_county()
    wanted = set(counties)
    if not wanted:
        return pd.DataFrame(columns=["year", "employment"])
    sel = county[county["naics"].isin(codes)]
    sel = sel[sel["fips"].isin(list(wanted))]
    out = []
    for year in sorted(covered):
        # a code the year's county files do not carry at all (the 2022 Indiana file has sectors only) is unknown, not zero
        if not wanted <= covered[year] or not set(codes) <= published[year]:
            continue
        cells = sel[sel["year"] == year]
        if cells["withheld"].any():
            continue
        out.append((year, int(cells["emp"].sum())))
    return pd.DataFrame(out, columns=["year", "employment"])


@lru_cache(maxsize=1)
def sector_titles() -> dict[str, str]:
    """NAICS code -> official title (the newest year's title where years differ)."""
    nat = store.load_table("national").sort_values("year")
    return dict(zip(nat["naics"], nat["title"]))
