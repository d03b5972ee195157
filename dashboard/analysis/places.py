"""Keeping the place when the view changes: the region of another scheme that holds a region's main county.

A user looking at Harlan County, KY who switches to commuting zones expects Harlan County's zone, not the
first zone of the list; the region "holding the place" is the one containing the previous region's most
populous county (a region of many counties has no one county, so its largest stands for it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from dashboard.analysis import regions
from dashboard.data import store


@lru_cache(maxsize=1)
def _population() -> dict[str, float]:
    wf = store.load_table("workforce")
    return dict(zip(wf["fips"], wf["population"].astype("float64").fillna(0)))


def largest_county(counties) -> str | None:
    """The most populous of ``counties`` (FIPS; ties and counties without a figure by FIPS order)."""
    counties = sorted(counties)
    if not counties:
        return None
    pop = _population()
    return max(counties, key=lambda c: (pop.get(c, 0.0), -counties.index(c)))


def region_holding(scheme: str, county: str, among=None) -> str | None:
    """The id of ``scheme``'s region containing ``county`` (only regions in ``among``, if given), else None."""
    table = regions._scheme_table(scheme)
    ids = table.loc[table["fips"] == county, "region_id"]
    for rid in ids:
        if among is None or rid in among:
            return rid
    return None


def same_place(previous: regions.Region | None, scheme: str, among=None) -> str | None:
    """The region of ``scheme`` holding ``previous``'s most populous county, or None (no previous region, or the
    county is in no region of ``among``)."""
    if previous is None:
        return None
    county = largest_county(previous.counties)
    return None if county is None else region_holding(scheme, county, among)


def natural_key(text: str) -> tuple:
    """Sort key for names: "Region 2" before "Region 10", case ignored."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", str(text)) if p)
