"""Cached builders shared by every session.

``st.cache_resource`` hands every session the same object (no per-session
copy), so the large tables and map GeoJSON live once per server process.
Callers must treat the results as read-only. Caches are keyed by plain codes
(scheme, state, industry, and for custom regions their ids); the region
tuples themselves are passed unhashed.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from .. import map_data, maps, profile, sectors
from ..regions import Region


def custom_key(custom: tuple[Region, ...]) -> str:
    """A short key naming a set of custom regions by their names and counties."""
    text = "|".join(f"{r.name}={r.id}" for r in custom)
    return hashlib.sha256(text.encode()).hexdigest()[:16] if custom else ""


@st.cache_resource(show_spinner=False, max_entries=256)
def view_regions(scheme: str, state: str, key: str, _custom: tuple[Region, ...]) -> tuple[Region, ...]:
    return map_data.view_regions(scheme, state, _custom)


@st.cache_resource(show_spinner="Measuring the industry in every region...", max_entries=256)
def industry_table(scheme: str, state: str, key: str, industry: str, _view: tuple[Region, ...]) -> pd.DataFrame:
    return map_data.industry_table(_view, industry)


@st.cache_resource(show_spinner="Aggregating workforce indicators...", max_entries=128)
def workforce_table(scheme: str, state: str, key: str, _view: tuple[Region, ...]) -> pd.DataFrame:
    return map_data.workforce_table(_view)


@st.cache_resource(show_spinner=False, max_entries=128)
def view_geometry(scheme: str, state: str, key: str, _view: tuple[Region, ...]):
    return map_data.view_geometry(scheme, state, _view)


@st.cache_resource(show_spinner="Drawing the map...", max_entries=256)
def map_layers(scheme: str, state: str, key: str, what: str, _view: tuple[Region, ...], _table: pd.DataFrame,
               _measure: maps.Measure):
    """Feature collection, fills, classes and bounds of one map (``what`` names the table and measure)."""
    classes = maps.classify(_table, _measure)
    texts = _table.apply(lambda r: maps.value_text(r, _measure), axis=1) if len(_table) else pd.Series(dtype=str)
    collection, bounds = _collection(scheme, state, key, _view, _table, texts)
    return collection, maps.fills(_table, classes), classes, bounds


def _collection(scheme: str, state: str, key: str, view: tuple[Region, ...], table: pd.DataFrame, texts: pd.Series):
    """GeoJSON of the view with one tooltip text per region, and the view's bounds."""
    geo = view_geometry(scheme, state, key, view)
    collection = maps.feature_collection(geo, table, texts, digits=3 if state == map_data.US else 4)
    bounds = tuple(float(x) for x in geo.total_bounds) if len(geo) else (-125.0, 24.0, -66.0, 50.0)
    return collection, bounds


@st.cache_resource(show_spinner="Building the region profile...", max_entries=512)
def region_profile(scheme: str, region_id: str, name: str, sector_id: str | None, thresholds: str,
                   _region: Region, _overrides: dict) -> dict:
    return profile.region_profile(_region, sectors.ScoringParams(), sector_id, _overrides or None)


@st.cache_resource(show_spinner="Drawing the map...", max_entries=64)
def bivariate_layers(scheme: str, state: str, key: str, _view: tuple[Region, ...], _table: pd.DataFrame):
    """Feature collection and bounds of the low-skill x low-income map; the tooltip gives both shares."""
    from .. import formatting

    texts = pd.Series([f"low-skill {formatting.share(a)}, below 150% of poverty {formatting.share(b)}"
                       for a, b in zip(_table["low_skill_share"], _table["below_150pct_poverty_share"])], index=_table.index)
    return _collection(scheme, state, key, _view, _table, texts)
