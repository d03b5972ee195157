"""Seat matrix (state staff): for one partnership sector and scheme, every region of the state against every seat."""

import streamlit as st

from dashboard.analysis.careers import cite as cite_careers
from dashboard.data import catalogue
from dashboard.data.sources import cite
from dashboard.maps import data as map_data
from dashboard.report import charts, matrix
from dashboard.ui import profile_view, render, state
from dashboard.ui.text import md

SORT_LABELS = {
    "region": "Region name",
    "lq": "Highest sector LQ",
    "jobs": "Most sector jobs",
    "indicated": "Most seats indicated",
    "strongly": "Most seats strongly recommended",
}


@st.cache_resource(show_spinner="Assessing the seats of every region of the state...", max_entries=32)
def seat_matrix(state_fips: str, scheme: str, sector_id: str, year: int, thresholds: dict) -> matrix.SeatMatrix:
    return matrix.seat_matrix(state_fips, scheme, sector_id, year, thresholds or None)


view = state.view()
st.title("Seat matrix")
partnership = {c: i.label for c, i in map_data.industries().items() if i.kind == "partnership"}
if view["state"] == map_data.US or view["scheme"] == catalogue.CUSTOM:
    st.info("Choose a state and one of its region schemes in the sidebar: the matrix lists every region of one state.")
    st.stop()
if view["industry"] in partnership:
    state.bound(
        st.selectbox,
        "industry",
        "Partnership sector",
        options=list(partnership),
        format_func=partnership.get,
        key="w_matrix_sector",
    )
else:
    picked = st.selectbox(
        "Partnership sector",
        options=list(partnership),
        format_func=partnership.get,
        index=None,
        placeholder="Choose a partnership sector",
        key="w_matrix_pick",
    )
    st.caption(md("The seats follow a partnership sector's jobs; the industry chosen in the sidebar is not one."))
    if picked is None:
        st.stop()
    state.set_later(industry=picked)

m = seat_matrix(view["state"], view["scheme"], view["industry"], view["year"], view["thresholds"])
place = map_data.place_name(view["state"])
st.markdown(
    md(
        f"{catalogue.scheme(view['scheme']).plural} of {place}: the seats a {m.sector_name} partnership needs "
        f"in each, industry data {m.year}. Workforce figures are compared with {m.state_name} (for regions that "
        "cross the state line too) and the nation."
    )
)
left, right = st.columns([3, 2])
sort = left.radio(
    "Sort regions by", options=list(SORT_LABELS), format_func=SORT_LABELS.get, horizontal=True, key="w_matrix_sort"
)
shown_classes = right.multiselect(
    f"Show regions where {m.sector_name} is",
    options=m.classes(),
    default=m.classes(),
    key=f"w_matrix_classes_{view['industry']}",
    help="The sector's class in each region; 'likely' verdicts (decided by the estimate) count with their class.",
)
grid = m.screen_frame(sort, shown_classes)
headings = m.headings()
st.caption(
    md(
        f"{len(grid)} of {len(m.sector)} regions. Choose a row to open that region's profile. Sector jobs and LQ are "
        "the published figures, or the estimate inside the range where cells are suppressed (the CSV has the range)."
    )
)
render.region_table(
    grid,
    m.region_ids(sort, shown_classes),
    key="matrix_regions",
    column_config={name: st.column_config.TextColumn(help=md(name)) for _, name in m.seats}
    | {
        headings["jobs"]: st.column_config.NumberColumn(
            help="Published jobs, or the estimate where suppressed", format="localized"
        ),
        headings["lq"]: st.column_config.NumberColumn(
            help="Location quotient: published, or the estimate where suppressed", format="%.2f"
        ),
        headings["verdict"]: st.column_config.TextColumn(help="The sector's class here and how sure it is"),
        headings["indicated"]: st.column_config.NumberColumn(help="Seats strongly recommended or recommended"),
        headings["strongly"]: st.column_config.NumberColumn(help="Seats strongly recommended"),
    },
)
region = state.current_region()
if region is not None and region.id in set(m.sector.index):
    st.page_link(
        "pages/region_profile.py", label=f"Open the profile of {md(region.name)}", icon=":material/arrow_forward:"
    )
st.caption(
    md(
        "Click a column heading to sort by it. Cells: strongly (recommended), recommended, core, - (not "
        "indicated), n/a (not assessed). Hover a cell of the grid below for the figure that decided it."
    )
)
shown_cells = m.cells[m.cells["region_id"].isin(m.region_ids(sort, shown_classes))]
st.altair_chart(charts.seat_grid(shown_cells, grid[headings["region"]].tolist(), list(m.seats)), width="stretch")
render.source_note(
    cite("industry", m.year),
    cite("education"),
    cite("svi"),
    cite("poverty"),
    cite("laus"),
    cite_careers("oews"),
    cite_careers("projections"),
)

st.header("Downloads", anchor=False)
cols = st.columns(3)
stem = f"seat_matrix_{view['scheme']}_{view['state']}_{view['industry']}_{m.year}"
with cols[0]:
    render.csv_download("Seat matrix (CSV)", m.csv_frame(), f"{stem}.csv", "dl_matrix")
with cols[1]:
    render.csv_download(
        "Every seat with its figure and evidence (CSV)", m.cells_frame(), f"{stem}_evidence.csv", "dl_matrix_cells"
    )
with cols[2]:
    render.built_download(
        f"Build every region's brief ({len(m.sector)} regions, zip)",
        lambda progress: matrix.briefs_zip(
            view["state"], view["scheme"], view["industry"], m.year, view["thresholds"] or None, progress=progress
        ),
        f"briefs_{view['scheme']}_{view['state']}_{view['industry']}_{m.year}.zip",
        key="dl_matrix_briefs",
        inputs=view["thresholds"],
    )
st.caption("The zip is built when you click (about a second per region): one printable brief per region and an index.")
profile_view.threshold_form("matrix_thresholds")
