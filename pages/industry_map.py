"""Industry map: one industry's concentration (or size, pay, growth) across every region of the view."""

import streamlit as st

from dashboard.data import catalogue
from dashboard.data.sources import cite
from dashboard.maps import classes as maps
from dashboard.maps import coverage
from dashboard.maps import data as map_data
from dashboard.report import tables
from dashboard.ui import cached, mapview, render, sidebar, state
from dashboard.ui.text import md

#: Pixels: the map, title and controls fit a 1280 x 720 projector's first screen.
MAP_HEIGHT = 470
view = state.view()
industry = map_data.industries()[view["industry"]]
place = map_data.place_name(view["state"])
st.title("Industry map")
st.markdown(f"**{md(industry.label)}** by {md(catalogue.scheme(view['scheme']).plural)}, {md(place)}")

year = view["year"]
measures = maps.industry_measures(year, view["since"])
# a projector's first screen: the map with its legend and how to read it beside it, the table below
map_column, side = st.columns([5, 2], gap="small")
with side:
    measure_id = state.bound(
        st.selectbox, "measure", "Map", options=list(measures), format_func=lambda m: measures[m].label
    )
    if measure_id == "change":
        earlier = [y for y in sidebar.loaded_years() if y < year]
        state.bound(st.selectbox, "since", "Change since", options=earlier)
measure = measures[measure_id]
since = view["since"] if measure_id == "change" else None

where = (view["scheme"], view["state"], state.custom_regions())
table = cached.industry_table(*where, view["industry"], year, since)
shapes, fills, classes, texts = cached.industry_layers(*where, view["industry"], year, since, measure_id)
with map_column:
    render.gap_note(coverage.missing_note(table, measure.column, measure.label, shapes.ids, measure.low, measure.high))
    mapview.draw(shapes, fills, texts, measure.label, key="industry_map", height=MAP_HEIGHT)
with side:
    render.legend(classes.legend(), measure.label + (f" ({measure.note})" if measure.note else ""))
    render.how_to_read(
        "a region's colour is its class in the legend; faded: cells suppressed, the class from the range or its "
        "estimate. Click a region, or a row of the table, to choose it."
    )
render.source_note(
    cite("industry", year), "private ownership; LQ against the US private-industry share of total covered employment"
)
lq_min = state.bound(
    st.number_input,
    "lq_min",
    "Table: LQ at least",
    min_value=0.0,
    max_value=50.0,
    step=0.1,
    convert=float,
    help="Regions whose suppressed cells leave a range that straddles the value are kept and marked 'possibly'.",
)

ranked = tables.ranked_industry(table, lq_min)
st.header(f"Regions ranked by location quotient, {year} ({len(ranked)} shown)", anchor=False)
st.caption("Choose a row to select its region (as a click on the map does).")
render.region_table(
    tables.for_display(
        # every row meets a filter of 0: its column would say "yes" throughout
        ranked.drop(columns=["region_id"] + (["meets_lq_filter"] if lq_min == 0 else [])),
        {
            "lq": "ratio",
            "employment": "count",
            "establishments": "count",
            "avg_annual_pay": "money",
            "one_year_change": "change",
            "us_one_year_change": "change",
            "suppressed_counties": "count",
            "change_jobs": "count_change",
            "change": "change",
            "us_change": "change",
            "national_growth": "count_change",
            "industry_mix": "count_change",
            "regional_shift": "count_change",
        },
        ranges={
            "lq": "lq_range",
            "employment": "employment_range",
            "avg_annual_pay": "avg_annual_pay_range",
            "one_year_change": "one_year_change_range",
            "change_jobs": "change_jobs_range",
            "change": "change_range",
        },
        labels={
            "lq": "LQ (or range)",
            "employment": "Jobs (or range)",
            "avg_annual_pay": "Average pay (or range)",
            "one_year_change": f"Published change {year - 1}-{year} (or range)",
            "us_one_year_change": f"US published change {year - 1}-{year}",
            "change_jobs": f"Jobs change {since}-{year} (or range)",
            "change": f"Change {since}-{year} (or range)",
            "us_change": f"US change {since}-{year}",
            "national_growth": "Shift-share: national growth",
            "industry_mix": "Shift-share: industry mix",
            "regional_shift": "Shift-share: regional shift",
            "meets_lq_filter": f"LQ at least {lq_min:g}",
            "suppressed_counties": "Areas with suppressed cells",
            "change_start_year": "Change from",
        },
    ),
    list(ranked["region_id"]),
    key="ranked_regions",
)
render.csv_download(
    "Download the table (CSV)",
    tables.for_csv(ranked),
    f"industry_{view['industry']}_{view['scheme']}_{view['state']}_{year}.csv",
    "dl_industry",
)
region = state.current_region()
if region is not None:
    st.page_link(
        "pages/region_profile.py", label=f"Open the profile of {md(region.name)}", icon=":material/arrow_forward:"
    )
