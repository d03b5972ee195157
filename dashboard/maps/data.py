"""Values for every region of a view (a state or the nation), ready to map and rank.

One row per region. Industry measures come from :func:`measures.group_measures`
(suppressed cells give ranges, never zeros); workforce shares are recomputed
from summed counts per region, exactly as :mod:`workforce` does for one region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.analysis import measures, sectors
from dashboard.analysis.regions import Region, list_regions, resolve_region, state_names
from dashboard.analysis.workforce import aggregate_regions
from dashboard.data import store
from dashboard.data.catalogue import CUSTOM
from dashboard.data.catalogue import SCHEME_IDS as SCHEMES

US = "US"


@dataclass(frozen=True)
class Industry:
    """A mappable industry: a partnership sector (group of NAICS codes) or one NAICS code."""

    code: str
    label: str
    naics: tuple[str, ...]
    kind: str  # partnership | sector | subsector


@lru_cache(maxsize=1)
def industries() -> dict[str, Industry]:
    """Every industry a user can pick, partnership sectors first, by code."""
    out = {s.id: Industry(s.id, s.name, tuple(s.naics), "partnership") for s in sectors.load_taxonomy() if s.naics}
    titles = measures.sector_titles()
    codes = measures.sector_codes()
    for level, kind in ((2, "sector"), (3, "subsector")):
        for code in codes.loc[codes["naics_level"] == level, "naics"]:
            out[code] = Industry(code, f"{code} {titles.get(code, code)}", (code,), kind)
    return out


states = state_names


def place_name(state: str) -> str:
    """What a view covers, in words: a state's name or "the whole US"."""
    return "the whole US" if state == US else state_names()[state]


def view_regions(scheme: str, state: str, custom: tuple[Region, ...] = ()) -> tuple[Region, ...]:
    """The regions a map of ``scheme`` shows for ``state`` (a 2-digit FIPS or ``US``).

    A region that crosses a state line is shown whole when any of its counties
    is in the state.
    """
    if scheme == CUSTOM:
        return tuple(custom)
    return _scheme_regions(scheme, state)


@lru_cache(maxsize=128)
def _scheme_regions(scheme: str, state: str) -> tuple[Region, ...]:
    if scheme not in SCHEMES:
        raise KeyError(f"unknown scheme {scheme!r}")
    table = list_regions(scheme, None if state == US else state)
    return tuple(resolve_region(scheme, rid) for rid in table["region_id"])


#: Columns :func:`industry_table` adds for a change between two years (prefixed ``span_``).
SPAN_COLUMNS = [f"span_{c}" for c in measures.CHANGE_COLUMNS[2:]]


def industry_table(
    view: tuple[Region, ...], industry: str, year: int | None = None, since: int | None = None
) -> pd.DataFrame:
    """Measures of one industry in ``year`` for each region of a view, one row per region.

    Columns: region_id, region_name, counties, year, employment (None where
    suppression leaves a range), emp_low, emp_high, estabs, lq, lq_low,
    lq_high, suppressed_areas, areas, avg_annual_pay, pay_ratio, growth (the
    published one-year change), us_growth, growth_vs_us, size_share, basis;
    with ``since`` (an earlier loaded year) also the change from ``since`` to
    ``year`` in the ``span_`` columns. Regions without industry rows that year
    keep their row with missing values.
    """
    year = measures.resolve_year(year)
    ind = industries()[industry]
    span = [] if since is None else SPAN_COLUMNS
    if not view:
        return pd.DataFrame(
            columns=["region_id", "region_name", "counties", *measures.MEASURE_COLUMNS[2:], *span, "basis"]
        )
    area_region, basis = measures.qcew_area_region(list(view), year)
    groups = {ind.code: list(ind.naics)}
    m = measures.group_measures(area_region, groups, year)
    frame = _frame(view).merge(m.drop(columns="group"), on="region_id", how="left")
    frame["year"] = year
    if since is not None:
        change = measures.change_measures(area_region, groups, since, year).drop(columns="group")
        frame = frame.merge(
            change.add_prefix("span_").rename(columns={"span_region_id": "region_id"}), on="region_id", how="left"
        )
    frame["basis"] = frame["region_id"].map(basis)
    return frame


def _frame(view: tuple[Region, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_id": [r.id for r in view],
            "region_name": [r.name for r in view],
            "counties": [len(r.counties) for r in view],
        }
    )


def _members(view: tuple[Region, ...]) -> pd.DataFrame:
    """A row per region and county; ``region_id`` is the region's position in the view, a small key
    (a custom region's id is its county list: a copy in every row would grow with the square of its size)."""
    return pd.DataFrame([(i, c) for i, r in enumerate(view) for c in r.counties], columns=["region_id", "fips"])


#: Derived indicator: share of people living in nonmetro counties (USDA RUCC codes 4-9).
NONMETRO = "nonmetro_share"


def workforce_table(view: tuple[Region, ...]) -> pd.DataFrame:
    """Every workforce indicator for each region of a view, one row per region
    (:func:`workforce.aggregate_regions`), plus the nonmetro share."""
    members = _members(view)
    out = _frame(view)  # indexed by position in the view, as the members are
    agg = aggregate_regions(members)
    out = out.join(agg.drop(columns=[c for c in agg if c.endswith(("_counties", "_numerator", "_denominator"))]))
    wf = store.load_table("workforce")
    rows = members.merge(wf[["fips", "rucc", "population"]], on="fips", how="left")
    rural = rows.dropna(subset=["rucc", "population"])
    pop = rural.groupby("region_id")["population"].sum().astype("float64")
    nonmetro = rural[rural["rucc"] >= 4].groupby("region_id")["population"].sum().astype("float64")
    out[NONMETRO] = (nonmetro.reindex(pop.index, fill_value=0.0) / pop).where(pop > 0).reindex(out.index)
    incomplete = rows["rucc"].isna() | rows["population"].isna()
    out[f"{NONMETRO}_missing"] = incomplete.groupby(rows["region_id"]).sum().reindex(out.index).fillna(0).astype(int)
    return out


def bivariate_classes(
    low_skill: pd.Series,
    low_income: pd.Series,
    low_skill_cuts: tuple[float, float],
    low_income_cuts: tuple[float, float],
) -> pd.Series:
    """3 x 3 classes "a1".."c3": letter = low-skill tercile, digit = low-income tercile.

    Cut points are given (usually the national county terciles) so a class
    means the same thing in every state. Missing inputs give a missing class.
    """
    a = np.digitize(low_skill.to_numpy(dtype="float64"), low_skill_cuts)
    b = np.digitize(low_income.to_numpy(dtype="float64"), low_income_cuts)
    labels = pd.Series([f"{'abc'[i]}{j + 1}" for i, j in zip(a, b)], index=low_skill.index, dtype="object")
    return labels.where(low_skill.notna() & low_income.notna())


#: Words of each tercile in a class's readable name ("c3": "higher low-skill, higher low-income").
TERCILE_WORDS = {"a": "lower", "b": "middle", "c": "higher", "1": "lower", "2": "middle", "3": "higher"}
#: The seats whose own triggers read the two shares the combined view maps.
BIVARIATE_SEATS = {"low_skill_share": "adult-literacy", "below_150pct_poverty_share": "human-services"}


def bivariate_name(code) -> str | None:
    """A class code in words: ``"c3"`` -> ``"higher low-skill, higher low-income"`` (None for no class)."""
    if not isinstance(code, str) or len(code) != 2:
        return None
    return f"{TERCILE_WORDS[code[0]]} low-skill, {TERCILE_WORDS[code[1]]} low-income"


def bivariate_ranked(
    view: tuple[Region, ...], table: pd.DataFrame, state: str, overrides: dict | None = None
) -> pd.DataFrame:
    """The combined view's table: regions by class (highest on both first), the class in words beside its
    code, and what the adult-literacy and human-services seats' own triggers say for each region on the
    same two shares (against the chosen ``state``, or the region's main state, and the nation; with
    ``overrides`` of their thresholds), since the classes are national terciles and the seats are not."""
    from dashboard.analysis import careers, seats

    rules = {r.id: r for r in seats.with_thresholds(seats.load_rules(), overrides)}
    us = seats.us_values()
    by_id = {r.id: r for r in view}
    out = table[["region_id", "region_name", "low_skill_share", "below_150pct_poverty_share", "bivariate", "counties"]]
    out = out.assign(**{"class": out["bivariate"].map(bivariate_name)})
    comps = [
        (r.states[0] if len(r.states) == 1 else careers.comparison_state(r, state)) if r is not None else state
        for r in (by_id.get(rid) for rid in out["region_id"])
    ]
    compared = _state_values(tuple(sorted({c for c in comps if c in state_names()})))
    for indicator, seat_id in BIVARIATE_SEATS.items():
        out[f"{seat_id} seat"] = [
            seats.region_level(
                rules[seat_id],
                None if pd.isna(value) else float(value),
                compared.get(comp, {}).get(indicator),
                us.get(indicator),
            )
            for comp, value in zip(comps, out[indicator])
        ]
    out = out.sort_values(["bivariate", "low_skill_share"], ascending=[False, False], na_position="last")
    return out.rename(columns={"region_name": "region"}).reset_index(drop=True)


def _state_values(states: tuple[str, ...]) -> dict[str, dict]:
    """Workforce values of each state, from its counties, all states in one pass (as
    :func:`seats.comparison_values` gives them one state at a time)."""
    wf = store.load_table("workforce")
    members = wf.loc[wf["state_fips"].isin(states), ["state_fips", "fips"]].rename(columns={"state_fips": "region_id"})
    if members.empty:
        return {}
    agg = aggregate_regions(members)
    return {
        st: {k: (None if pd.isna(agg.at[st, k]) else float(agg.at[st, k])) for k in BIVARIATE_SEATS} for st in agg.index
    }


def bivariate_note(cuts: dict[str, tuple[float, float]], overrides: dict | None = None) -> str:
    """How the combined view's classes are cut, and plainly how they differ from the seats' triggers."""
    from dashboard.analysis import seats

    rules = {r.id: r.trigger for r in seats.with_thresholds(seats.load_rules(), overrides) if r.trigger is not None}
    lit, hs = rules[BIVARIATE_SEATS["low_skill_share"]], rules[BIVARIATE_SEATS["below_150pct_poverty_share"]]
    ls, li = cuts["low_skill_share"], cuts["below_150pct_poverty_share"]
    return (
        f"Colour combines two shares, each split at the national county terciles, the same cut points in every "
        f"state: low-skill (adults 25+ with high school or less: {ls[0]:.1%} and {ls[1]:.1%}) and low-income "
        f"(people below 150% of poverty: {li[0]:.1%} and {li[1]:.1%}). The seats are not cut this way: they "
        f"compare a region with its state and the nation. Adult basic education is recommended where the "
        f"low-skill share is at least {lit.recommended:g} times the state's or the nation's (strongly: "
        f"{lit.strongly:g} times both); human services where the below-150% share is at least "
        f"{hs.recommended:g} times (strongly: {hs.strongly:g} times both); the sector's jobs can add either seat. "
        "So a dark region in a state where such shares are common may not trigger them, and a lighter one may: "
        "the table gives each region's class and what those two seats' own triggers say."
    )


@lru_cache(maxsize=1)
def national_terciles() -> dict[str, tuple[float, float]]:
    """County terciles of low-skill share and of the below-150%-of-poverty share across the 50 states and DC."""
    counties = tuple(r for r in _scheme_regions("county", US) if not r.id.startswith("72"))
    table = workforce_table(counties)
    return {
        k: tuple(float(x) for x in table[k].dropna().quantile([1 / 3, 2 / 3]))
        for k in ("low_skill_share", "below_150pct_poverty_share")
    }


def view_geometry(scheme: str, state: str, view: tuple[Region, ...]):
    """Polygons of the view's regions (GeoDataFrame: region_id, geometry).

    Counties use the national simplification for the all-US map and the finer
    state one otherwise; scheme regions use their prebuilt dissolves; custom
    regions are dissolved from counties (cached).
    """
    import geopandas as gpd

    from dashboard.analysis.regions import region_geometry

    ids = [r.id for r in view]
    if scheme == "county":
        layer = store.load_geometry("counties_us" if state == US else "counties_state")
        geo = layer[layer["fips"].isin(ids)].rename(columns={"fips": "region_id"})
    elif scheme == CUSTOM:
        parts = [region_geometry(r) for r in view]
        geo = (
            pd.concat(parts, ignore_index=True) if parts else gpd.GeoDataFrame({"region_id": []}, geometry=[], crs=4326)
        )
    else:
        layer = store.load_geometry(f"regions_{scheme}")
        geo = layer[layer["region_id"].isin(ids)]
    return gpd.GeoDataFrame(geo[["region_id", "geometry"]].reset_index(drop=True), geometry="geometry", crs=4326)
