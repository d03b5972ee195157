"""Regions: resolve a scheme's region or a custom county set, list regions, geometry.

A region is a named set of county FIPS codes. Schemes come from
``data/regions.parquet``; a custom region is any list of known counties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from dashboard.data import store
from dashboard.data.catalogue import CUSTOM
from dashboard.data.catalogue import SCHEME_IDS as SCHEMES
from dashboard.data.names import clean_name


class UnknownRegionError(ValueError):
    """A scheme, region id or county code that the data do not know."""


@dataclass(frozen=True)
class Region:
    scheme: str
    id: str
    name: str
    counties: tuple[str, ...]

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted({c[:2] for c in self.counties}))


@cache
def _scheme_table(scheme: str) -> pd.DataFrame:
    if scheme not in SCHEMES:
        raise UnknownRegionError(
            f"unknown scheme {scheme!r}; schemes: {', '.join(SCHEMES)} (list ids with: python -m dashboard regions --scheme S)"
        )
    regions = store.load_table("regions")
    return regions[regions["scheme"] == scheme].reset_index(drop=True)


@cache
def _region_index(scheme: str) -> dict[str, Region]:
    table = _scheme_table(scheme)
    # one sort and slices of arrays, not a frame per region: the county scheme has over 3,000 regions
    ordered = table.sort_values(["region_id", "fips"], kind="stable")
    ids, fips = ordered["region_id"].to_numpy(), ordered["fips"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    counties = {ids[a]: tuple(fips[a:b]) for a, b in zip(starts, np.r_[starts[1:], len(ids)])}
    first = table.drop_duplicates("region_id")  # in the table's order, with each region's first name
    return {
        rid: Region(scheme, rid, name, counties[rid]) for rid, name in zip(first["region_id"], first["region_name"])
    }


def list_regions(scheme: str, state: str | None = None) -> pd.DataFrame:
    """Regions of a scheme (``region_id, region_name, counties``), optionally those touching a state (2-digit FIPS)."""
    table = _scheme_table(scheme)
    if state is not None:
        state = str(state).strip().zfill(2)
        if state not in set(table["fips"].str[:2]):
            raise UnknownRegionError(
                f"no counties of state {state!r} in scheme {scheme!r}; states are 2-digit FIPS codes such as 18"
            )
        ids = table.loc[table["fips"].str[:2] == state, "region_id"].unique()
        table = table[table["region_id"].isin(ids)]
    out = table.groupby(["region_id", "region_name"], sort=False).size().rename("counties").reset_index()
    return out


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """State FIPS -> name, for every state in the data (50 states, DC, Puerto Rico), in FIPS order."""
    table = list_regions("state")
    return dict(sorted(zip(table["region_id"], table["region_name"])))


def resolve_region(scheme: str, region_id: str) -> Region:
    index = _region_index(scheme)
    region_id = str(region_id).strip()
    if scheme == "state" and region_id.isdigit():
        region_id = region_id.zfill(2)
    if scheme == "county" and region_id.isdigit():
        region_id = region_id.zfill(5)
    if region_id not in index:
        raise UnknownRegionError(
            f"no region {region_id!r} in scheme {scheme!r}; list valid ids with: python -m dashboard regions --scheme {scheme}"
        )
    return index[region_id]


def parse_county_list(text: str) -> list[str]:
    """``"18039, 18141"`` -> ``["18039", "18141"]``; malformed codes raise.

    A code is 4 or 5 ASCII digits, as share links carry them: other scripts' digits
    (Arabic-Indic, full-width) are refused, never read as the county they resemble.
    """
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    bad = [p for p in parts if not re.fullmatch(r"[0-9]{4,5}", p)]
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise UnknownRegionError(
            f"not county FIPS codes: {', '.join(repr(p if len(p) <= 12 else p[:12] + '...') for p in bad[:5])}{more} (a code is 4 or 5 ASCII digits, 0-9); "
            "list valid ids with: python -m dashboard regions --scheme county"
        )
    return [p.zfill(5) for p in parts]


def custom_region(counties: list[str] | tuple[str, ...], name: str | None = None) -> Region:
    """A region made of the given counties; unknown codes raise.

    Its id is its sorted county list (what a share link carries), so two custom
    regions with the same counties are the same region: :func:`add_custom_regions`
    keeps one. The name is cleaned by :func:`names.clean_name`; without one (or
    when nothing is left of it) the region is named after its county or counties.
    """
    known = _region_index("county")
    codes = sorted(dict.fromkeys(c.zfill(5) for c in counties))
    if not codes:
        raise UnknownRegionError("a custom region needs at least one county")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UnknownRegionError(
            f"unknown county FIPS: {', '.join(unknown[:10])}; list valid ids with: python -m dashboard regions --scheme county"
        )
    name = clean_name(name) if name is not None else ""
    if not name:
        name = known[codes[0]].name if len(codes) == 1 else f"Custom region of {len(codes)} counties"
    return Region(CUSTOM, ",".join(codes), name, tuple(codes))


def add_custom_regions(
    existing: tuple[Region, ...] | list[Region], added: tuple[Region, ...] | list[Region]
) -> tuple[tuple[Region, ...], list[str]]:
    """``existing`` with ``added`` put in, one region per county set and per name, and a note on every change.

    An added region replaces, in place, an existing one with the same counties
    (a new name for it: the region keeps its id, so a view of it stays valid) or
    with the same name (new counties for that name); otherwise it goes at the end.
    """
    regions = list(existing)
    notes: list[str] = []
    for new in added:
        clashes = [i for i, r in enumerate(regions) if r.id == new.id or r.name == new.name]
        for i in clashes:
            old = regions[i]
            if old.id == new.id and old.name != new.name:
                notes.append(f"'{old.name}' has the same counties as '{new.name}', so it is now named '{new.name}'.")
            elif old.id != new.id:
                notes.append(
                    f"'{new.name}' now has the {len(new.counties)} counties just given; "
                    f"it had {len(old.counties)} before."
                )
        if clashes:
            regions[clashes[0]] = new
            regions = [r for i, r in enumerate(regions) if i not in clashes[1:]]
        else:
            regions.append(new)
    return tuple(regions), notes


def covers_whole_state(region: Region) -> bool:
    """True when the region holds every county of some state."""
    counties = _scheme_table("county")["fips"]
    members = set(region.counties)
    return any(set(counties[counties.str[:2] == st]) <= members for st in region.states)


def region_geometry(region: Region):
    """The region's polygon: the prebuilt dissolve for scheme regions, else dissolved (and cached) from counties."""
    if region.scheme in SCHEMES and region.scheme != "county":
        layer = store.load_geometry(f"regions_{region.scheme}")
        return layer[layer["region_id"] == region.id].reset_index(drop=True)
    return _dissolve(region.counties, region.id, region.name)


@lru_cache(maxsize=256)
def _dissolve(counties: tuple[str, ...], region_id: str, name: str):
    import geopandas as gpd
    import shapely

    layer = store.load_geometry("counties_state")
    parts = layer[layer["fips"].isin(counties)]
    geom = shapely.coverage_union_all(parts.geometry.values) if len(parts) else shapely.Polygon()
    return gpd.GeoDataFrame({"region_id": [region_id], "region_name": [name]}, geometry=[geom], crs=4326)
