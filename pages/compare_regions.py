"""Compare regions: two to six regions of the chosen scheme side by side, from any state."""

import streamlit as st

from dashboard.analysis.regions import CUSTOM, UnknownRegionError, list_regions, resolve_region
from dashboard.data.sources import cite
from dashboard.maps import data as map_data
from dashboard.report import charts, compare, tables
from dashboard.ui import cached, links, profile_view, render, sidebar, state
from dashboard.ui.text import md

view = state.view()
st.title("Compare regions")
custom = view["scheme"] == CUSTOM
options = sidebar.region_options(view["scheme"], view["state"])
if not view["compare"]:
    # start from the sidebar's region and the state's regions nearest it in population (not the next name)
    table = cached.workforce_table(view["scheme"], view["state"], state.custom_regions())
    population = table.set_index("region_id")["population"]
    peers = compare.similar_peers(view["region"], population) if view["region"] in options else []
    view["compare"] = tuple(([view["region"]] if view["region"] in options else list(options)[:1]) + peers)


def region_of(region_id: str):
    """A compared region, of this state or another (ids of the scheme are valid everywhere)."""
    if custom:
        return next((r for r in state.custom_regions() if r.id == region_id), None)
    try:
        return resolve_region(view["scheme"], region_id)
    except UnknownRegionError:
        return None


known = {r: region_of(r) for r in view["compare"]}
view["compare"] = tuple(r for r, region in known.items() if region is not None)
# the state's regions, and any chosen from other states
labels = {**options, **{r: known[r].name for r in view["compare"] if r not in options}}
chosen = state.bound(
    st.multiselect,
    "compare",
    "Regions (two to six)",
    options=list(labels),
    format_func=lambda r: labels.get(r, r),
    max_selections=links.MAX_COMPARE,
    convert=tuple,
    to_widget=list,
)
if not custom:
    with st.expander("Add a region from any state (search by name)"):
        text = st.text_input("Name holds", key="w_compare_search", placeholder="e.g. Columbus, or Harlan County")
        found = compare.search(list_regions(view["scheme"], None), text) if text else None
        if found is not None and found.empty:
            st.caption(md(f"No {view['scheme']} region's name holds {text!r}."))
        elif found is not None:
            names = dict(zip(found["region_id"], found["region_name"]))
            pick = st.selectbox("Region", options=list(names), format_func=names.get, key="w_compare_pick")
            full = len(chosen) >= links.MAX_COMPARE
            if st.button("Add to the comparison", key="w_compare_add", disabled=full or pick in chosen):
                state.set_later(compare=tuple(chosen) + (pick,))
            if full:
                st.caption("Six regions at most: remove one to add another.")
if len(chosen) < 2:
    st.info("Choose at least two regions to compare.")
    st.stop()

profiles = [profile_view.profile_of(known.get(r) or region_of(r)) for r in chosen]
sector = profile_view.seats_sector(view)

st.header("Candidate sectors: location quotient and class", anchor=False)
st.caption(
    "A dot is the published LQ, or the estimate where BLS suppressed cells, with a bar across the range the "
    'published figures allow; the dashed line is the US share (1). A class is "likely" where the estimate, '
    "not the range, decides it. Ranges past the axis's end run to its edge: hover for the figures."
)
sectors_long = compare.sectors_long(profiles)
st.altair_chart(charts.compare_lq(sectors_long), width="stretch")
sectors = compare.sectors_side_by_side(profiles)
with st.expander("The table"):
    st.dataframe(tables.headed(sectors), hide_index=True, width="stretch")
render.source_note(cite("industry", view["year"]))
st.header("Workforce", anchor=False)
workforce_long = compare.workforce_long(profiles)
st.altair_chart(charts.compare_workforce(workforce_long), width="stretch")
workforce = compare.workforce_side_by_side(profiles)
with st.expander("The table"):
    st.dataframe(tables.headed(workforce), hide_index=True, width="stretch")
render.source_note(*(cite(k) for k in ("education", "poverty", "svi", "laus", "population")))
st.header("Seats", anchor=False)
seat_levels = compare.seats_side_by_side(profiles)
sector_name = map_data.industries()[sector].label if sector in map_data.industries() else None
st.caption(md("Seat levels for " + (sector_name or "each region's top-ranked sector") + "."))
st.dataframe(tables.headed(seat_levels), hide_index=True, width="stretch")
cols = st.columns(3)
with cols[0]:
    render.csv_download("Sectors (CSV)", sectors_long, "compare_sectors.csv", "dl_cmp_sectors")
with cols[1]:
    render.csv_download("Workforce (CSV)", workforce_long.drop(columns="format"), "compare_workforce.csv", "dl_cmp_wf")
with cols[2]:
    render.csv_download("Seats (CSV)", seat_levels, "compare_seats.csv", "dl_cmp_seats")
