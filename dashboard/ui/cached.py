"""Cached builders shared by every session.

``st.cache_resource`` hands every session the same object (no per-session
copy), so the large tables and map GeoJSON live once per server process.
Callers must treat the results as read-only.

Every builder's cache key is all of its arguments, hashed by Streamlit from
their contents (custom regions included: a region is a frozen dataclass of
plain strings), so two calls share a result only when they ask for the same
thing; no argument is left out of the key and no key is assembled by hand.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.analysis import formatting, sectors
from dashboard.analysis.regions import Region
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data
from dashboard.maps import layer as map_layer
from dashboard.report import profile


# The figures a map page computes show no spinner while they are worked out. Streamlit draws a cache's spinner as
# a transient element beside the page's elements, and on a busy server (the spinner appears after half a second)
# that re-created the map's frame; the new frame's first messages could reach the page before it listened for
# them (the race of Streamlit's issue 2720), leaving the map blank or deaf to clicks until a reload. Measured
# through nginx with the machine's two cores kept busy, 4 sessions x 60 s, twice each: 3 blank maps with the
# spinners, none without. Streamlit's own "running" mark still shows that the page is working.
@st.cache_resource(show_spinner=False, max_entries=256)
def view_regions(scheme: str, state: str, custom: tuple[Region, ...]) -> tuple[Region, ...]:
    return map_data.view_regions(scheme, state, custom)


@st.cache_resource(show_spinner=False, max_entries=256)
def industry_table(
    scheme: str, state: str, custom: tuple[Region, ...], industry: str, year: int, since: int | None = None
) -> pd.DataFrame:
    return map_data.industry_table(view_regions(scheme, state, custom), industry, year, since)


@st.cache_resource(show_spinner=False, max_entries=128)
def workforce_table(scheme: str, state: str, custom: tuple[Region, ...]) -> pd.DataFrame:
    return map_data.workforce_table(view_regions(scheme, state, custom))


@st.cache_resource(show_spinner=False, max_entries=128)
def view_geometry(scheme: str, state: str, custom: tuple[Region, ...]):
    return map_data.view_geometry(scheme, state, view_regions(scheme, state, custom))


@st.cache_resource(show_spinner=False, max_entries=256)
def industry_layers(
    scheme: str, state: str, custom: tuple[Region, ...], industry: str, year: int, since: int | None, measure_id: str
):
    """Shapes, fills, classes and tooltip texts of one industry map."""
    table = industry_table(scheme, state, custom, industry, year, since)
    return _layers(scheme, state, custom, table, maps.industry_measures(year, since)[measure_id])


@st.cache_resource(show_spinner=False, max_entries=128)
def workforce_layers(scheme: str, state: str, custom: tuple[Region, ...], indicator: str):
    """Shapes, fills, classes and tooltip texts of one workforce indicator's map."""
    table = workforce_table(scheme, state, custom)
    return _layers(scheme, state, custom, table, maps.workforce_measures()[indicator])


def _layers(scheme: str, state: str, custom: tuple[Region, ...], table: pd.DataFrame, measure: maps.Measure):
    """(shapes, fills, classes, tooltip texts) of one measure's map of the view."""
    classes = maps.classify(table, measure)
    texts = table.apply(lambda r: maps.value_text(r, measure), axis=1) if len(table) else pd.Series(dtype=str)
    return view_shapes(scheme, state, custom), maps.fills(table, classes), classes, dict(zip(table["region_id"], texts))


@st.cache_resource(show_spinner=False, max_entries=128)
def view_shapes(scheme: str, state: str, custom: tuple[Region, ...]) -> map_layer.Shapes:
    """The view's regions as its map draws them (framed, encoded): the same for every measure of the view."""
    names = {r.id: r.name for r in view_regions(scheme, state, custom)}
    return map_layer.region_shapes(view_geometry(scheme, state, custom), names, national=state == map_data.US)


@st.cache_resource(show_spinner="Building the region profile...", max_entries=512)
def region_profile(region: Region, sector_id: str | None, year: int, overrides: dict) -> dict:
    return profile.region_profile(region, sectors.ScoringParams(), sector_id, overrides or None, year=year)


@st.cache_resource(show_spinner=False, max_entries=64)
def bivariate_layers(scheme: str, state: str, custom: tuple[Region, ...]):
    """Table (with its 3 x 3 class), shapes and tooltip texts of the low-skill x low-income map;
    the tooltip gives both shares."""
    table = workforce_table(scheme, state, custom)
    cuts = map_data.national_terciles()
    table = table.assign(
        bivariate=map_data.bivariate_classes(
            table["low_skill_share"],
            table["below_150pct_poverty_share"],
            cuts["low_skill_share"],
            cuts["below_150pct_poverty_share"],
        )
    )
    texts = {
        rid: f"low-skill {formatting.share(a)}, below 150% of poverty {formatting.share(b)}"
        for rid, a, b in zip(table["region_id"], table["low_skill_share"], table["below_150pct_poverty_share"])
    }
    return table, view_shapes(scheme, state, custom), texts
