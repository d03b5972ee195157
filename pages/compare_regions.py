"""Compare regions: two to six regions of the chosen scheme side by side."""

import streamlit as st

from dashboard.data.sources import cite
from dashboard.maps import data as map_data
from dashboard.report import compare, tables
from dashboard.ui import cached, links, profile_view, render, sidebar, state
from dashboard.ui.text import md

view = state.view()
st.title("Compare regions")
options = sidebar.region_options(view["scheme"], view["state"])
if not view["compare"]:
    # start from the sidebar's region and its neighbour in the list
    ids = list(options)
    start = ids.index(view["region"]) if view["region"] in ids else 0
    view["compare"] = tuple(ids[start : start + 2])
view["compare"] = tuple(r for r in view["compare"] if r in options)
chosen = state.bound(
    st.multiselect,
    "compare",
    "Regions (two to six)",
    options=list(options),
    format_func=lambda r: options.get(r, r),
    max_selections=links.MAX_COMPARE,
    convert=tuple,
    to_widget=list,
)
if len(chosen) < 2:
    st.info("Choose at least two regions to compare.")
    st.stop()

regions = [r for r in cached.view_regions(view["scheme"], view["state"], state.custom_regions()) if r.id in chosen]
sector = profile_view.seats_sector(view)
profiles = [profile_view.profile_of(r) for r in sorted(regions, key=lambda r: chosen.index(r.id))]

st.header("Candidate sectors: location quotient and class", anchor=False)
st.caption(
    "Where BLS suppressed cells: the range the published figures allow, with a labelled estimate inside it; "
    'a class is "likely" where the estimate, not the range, decides it.'
)
sectors = compare.sectors_side_by_side(profiles)
st.dataframe(tables.headed(sectors), hide_index=True, width="stretch")
render.source_note(cite("industry", view["year"]))
st.header("Workforce", anchor=False)
workforce = compare.workforce_side_by_side(profiles)
st.dataframe(tables.headed(workforce), hide_index=True, width="stretch")
render.source_note(*(cite(k) for k in ("education", "poverty", "svi", "laus", "population")))
st.header("Seats", anchor=False)
seat_levels = compare.seats_side_by_side(profiles)
sector_name = map_data.industries()[sector].label if sector in map_data.industries() else None
st.caption(md("Seat levels for " + (sector_name or "each region's top-ranked sector") + "."))
st.dataframe(tables.headed(seat_levels), hide_index=True, width="stretch")
cols = st.columns(3)
with cols[0]:
    render.csv_download("Sectors (CSV)", sectors, "compare_sectors.csv", "dl_cmp_sectors")
with cols[1]:
    render.csv_download("Workforce (CSV)", workforce, "compare_workforce.csv", "dl_cmp_wf")
with cols[2]:
    render.csv_download("Seats (CSV)", seat_levels, "compare_seats.csv", "dl_cmp_seats")
