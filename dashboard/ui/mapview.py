"""Draw a choropleth with streamlit-folium and turn a click into a region selection.

The map frame (Leaflet and every region's outline, :func:`dashboard.maps.layer.base_map`) depends on
the view only, so streamlit-folium keeps it while the user clicks regions or changes the industry,
the measure or the year; each run sends the small styles group (``feature_group_to_add``) that
recolours the drawn regions and outlines the selected one in place.

A click reports ``{"region_id": ..., "clicks": n}`` itself, at once (see map_layer.BASE_SCRIPT);
streamlit-folium reports nothing else (``returned_objects=[]``), so moving or zooming the map
reruns nothing. The click is applied to the view in the widget's callback, before the run, so
one run draws the new selection.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard.maps import classes as maps
from dashboard.maps import layer as map_layer
from dashboard.ui import state


def _handled(key: str) -> str:
    return f"{key}_handled_click"


def _click(value: dict | None, key: str, frame: int, ids: tuple[str, ...]) -> tuple[str, int] | None:
    """The map's last click (its value ``value``) as (region id, click number) if it is new, and marks it
    handled; else None.

    The click number goes up with each click in a map frame (and starts again in a new one), so the
    same region clicked again after choosing another elsewhere counts as a new click.
    """
    value = value if isinstance(value, dict) else {}
    region, clicks = value.get("region_id"), value.get("clicks")
    if not region or not clicks:
        st.session_state.pop(_handled(key), None)  # a map frame not clicked yet: forget the last click
        return None
    if st.session_state.get(_handled(key)) == (frame, clicks) or region not in ids:
        return None
    st.session_state[_handled(key)] = (frame, clicks)
    return region, clicks


def _on_click(key: str, frame: int, ids: tuple[str, ...]) -> None:
    clicked = _click(st.session_state.get(key), key, frame, ids)  # streamlit-folium puts the value there
    if clicked:
        state.set_now(region=clicked[0])


def draw(
    shapes: map_layer.Shapes, fill_of: dict, texts: dict[str, str], value_label: str, key: str, height: int = 540
) -> None:
    """Show the map; clicking a region makes it the view's region."""
    selected = state.view()["region"]
    m = map_layer.base_map(shapes, maps.LEAFLET_JS, maps.LEAFLET_CSS)
    styles = map_layer.styles_group(map_layer.style_payload(shapes, fill_of, texts, value_label, selected))
    frame = hash((shapes.ids, shapes.national))
    value = st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        feature_group_to_add=styles,
        returned_objects=[],
        on_change=lambda: _on_click(key, frame, shapes.ids),
    )
    clicked = _click(value, key, frame, shapes.ids)  # a click the callback did not see
    if clicked and clicked[0] != selected:
        state.set_later(region=clicked[0])
