"""Draw a choropleth with streamlit-folium and turn a click into a region selection."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from .. import maps
from . import state


def draw(collection: dict, fill_of: dict, bounds: tuple, value_label: str, key: str, height: int = 540) -> None:
    """Show the map; clicking a region makes it the view's region (and reruns)."""
    selected = state.view()["region"]
    m = maps.choropleth(collection, fill_of, bounds, value_label, selected=selected)
    # only the clicked feature comes back: bounds, zoom and hover changes would rerun the app for nothing
    out = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=["last_active_drawing"])
    clicked = ((out or {}).get("last_active_drawing") or {}).get("properties", {}).get("region_id")
    handled = f"{key}_handled_click"
    if not clicked:
        # A redrawn map is a new component that has not been clicked yet: forget the last click, so that
        # clicking the same region again later (after choosing another one elsewhere) selects it again.
        st.session_state.pop(handled, None)
    elif clicked != st.session_state.get(handled):
        st.session_state[handled] = clicked
        if clicked != selected and any(f["properties"]["region_id"] == clicked for f in collection["features"]):
            state.set_later(region=clicked)
