"""The region profile: everything the product says about one region, as plain data.

``region_profile`` returns the dictionary printed by
``python -m dashboard profile`` (keys as in DESIGN.md "Command line").
Shares are fractions in 0..1; missing figures are None, never zero.
"""

from __future__ import annotations

import math

import pandas as pd

from . import measures, seats, sectors, workforce
from .regions import Region, covers_whole_state
from .sources import SOURCES

WORKFORCE_KEYS = [
    "low_skill_share", "poverty_rate", "below_150pct_poverty_share", "median_household_income", "unemployment_rate",
    "limited_english_share", "no_vehicle_share", "disability_share", "population",
    "no_diploma_share", "child_poverty_rate", "uninsured_share", "no_internet_share", "youth_share",
]


def _num(x, digits: int | None = None):
    """JSON-safe number: NaN/NA -> None, numpy -> Python."""
    if x is None or x is pd.NA:
        return None
    try:
        if isinstance(x, float) and math.isnan(x):
            return None
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    x = float(x)
    if digits is None:
        return int(round(x))
    return round(x, digits)


def sector_measures(region: Region) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Measures of every NAICS sector and every partnership sector, from one pass over the region's rows."""
    codes = measures.sector_codes()
    naics_groups = {c: [c] for c in codes.loc[codes["naics_level"] == 2, "naics"]}
    partnership_groups = sectors.sector_groups()
    area_region, basis = measures.qcew_area_region([region])
    both = measures.group_measures(area_region, {**naics_groups, **partnership_groups})
    naics = both[both["group"].isin(list(naics_groups))].reset_index(drop=True)
    partnership = both[both["group"].isin(list(partnership_groups))].reset_index(drop=True)
    return naics, partnership, basis.get(region.id, "")


def _sector_row(r: pd.Series, name: str) -> dict:
    return {
        "code": r["group"], "name": name,
        "employment": _num(r["employment"]), "employment_low": _num(r["emp_low"]), "employment_high": _num(r["emp_high"]),
        "establishments": _num(r["estabs"]),
        "lq": _num(r["lq"], 3), "lq_low": _num(r["lq_low"], 3), "lq_high": _num(r["lq_high"], 3),
        "suppressed_counties": _num(r["suppressed_areas"]),
        "avg_annual_pay": _num(r["avg_annual_pay"]), "pay_ratio": _num(r["pay_ratio"], 3),
        "growth": _num(r["growth"], 4), "us_growth": _num(r["us_growth"], 4),
    }


def _seat_json(seat: dict) -> dict:
    out = {k: seat[k] for k in ("id", "name", "category", "level", "evidence", "source")}
    out.update({k: seat[k] for k in ("indicator", "value", "state_value", "us_value", "thresholds") if seat[k] is not None})
    for k in ("value", "state_value", "us_value"):
        if isinstance(out.get(k), float):
            out[k] = round(out[k], 4)
    if seat["reason"]:
        out["reason"] = seat["reason"]
    return out


def seats_sector_name(profile: dict) -> str | None:
    """The name of the partnership sector a profile's seats were assessed for (None when none was)."""
    sector_id = profile.get("seats_sector")
    if sector_id is None:
        return None
    names = {s.get("id"): s.get("name") for s in profile.get("candidate_sectors") or []}
    return names.get(sector_id) or sector_id


def region_profile(region: Region, params: sectors.ScoringParams = sectors.ScoringParams(),
                   sector_id: str | None = None, seat_overrides: dict | None = None) -> dict:
    """The profile of one region; seats are assessed for ``sector_id`` (default: the top-ranked sector)."""
    wf = workforce.aggregate_workforce(region.counties)
    naics, partnership, basis = sector_measures(region)
    titles = measures.sector_titles()
    ranked = sectors.rank_sectors(partnership, params)
    pop = wf["population"]["value"]
    known = [s.id for s in sectors.load_taxonomy()]
    if sector_id is not None and sector_id not in known:
        raise KeyError(f"unknown partnership sector {sector_id!r}; known: {', '.join(known)}")
    if ranked.empty:
        # no 2016 industry rows for these counties: seats needing sector figures are not assessed
        sector_row = None
    else:
        sector_id = sector_id or ranked["group"].iloc[0]
        sector_row = ranked[ranked["group"] == sector_id].iloc[0]
    profile = {
        "region": {"scheme": region.scheme, "id": region.id, "name": region.name, "counties": list(region.counties)},
        "workforce": {k: _num(wf[k]["value"], None if k in ("population", "median_household_income") else 4) for k in WORKFORCE_KEYS},
        "workforce_notes": {
            k: {"counties_missing": v["missing"], "approximation": v["approximation"], "source": v["source"]}
            for k, v in wf.items() if v["missing"] or v["approximation"]
        },
        "sectors": [_sector_row(r, titles.get(r["group"], r["group"])) for _, r in naics.sort_values("group").iterrows()],
        "candidate_sectors": [
            {**{k: v for k, v in _sector_row(r, r["name"]).items() if k != "code"},
             "id": r["group"], "score": _num(r["score"], 1), "class": r["class"],
             "employer_pool": sectors.employer_pool(int(r["estabs"]), params)}
            for _, r in ranked.iterrows()
        ],
        "seats_sector": sector_id,
        "seats": [_seat_json(s) for s in seats.evaluate_seats(region, sector_id, seat_overrides, sector_row=sector_row)],
        "scope": sectors.geography_check(region.scheme, len(region.counties), len(region.states), pop,
                                         whole_state=covers_whole_state(region)),
        "industry_basis": basis,
        "scoring": params.as_dict(),
        "vintages": {k: SOURCES[k].cite() for k in ("industry", "education", "poverty", "svi", "laus", "population")},
    }
    return profile
