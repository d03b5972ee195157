"""Industry map: one industry's concentration (or size, pay, growth) across every region of the view."""

import streamlit as st

from dashboard import coverage, map_data, maps, tables
from dashboard.sources import SOURCES
from dashboard.ui import cached, mapview, render, sidebar, state
from dashboard.ui.text import md

view = state.view()
industry = map_data.industries()[view["industry"]]
place = map_data.place_name(view["state"])
st.title("Industry map")
st.markdown(f"**{md(industry.label)}** by {md(sidebar.SCHEME_LABELS[view['scheme']])}, {md(place)}")

left, right = st.columns([2, 1])
measure_id = state.bound(left.selectbox, "measure", "Map", options=list(maps.INDUSTRY_MEASURES),
                         format_func=lambda m: maps.INDUSTRY_MEASURES[m].label)
lq_min = state.bound(right.number_input, "lq_min", "Table: LQ at least", min_value=0.0, max_value=50.0, step=0.1,
                     convert=float, help="Regions whose suppressed cells leave a range that straddles the value are kept and marked 'possibly'.")
measure = maps.INDUSTRY_MEASURES[measure_id]

key = cached.custom_key(state.custom_regions())
regions = cached.view_regions(view["scheme"], view["state"], key, state.custom_regions())
table = cached.industry_table(view["scheme"], view["state"], key, view["industry"], regions)
collection, fills, classes, bounds = cached.map_layers(view["scheme"], view["state"], key, f"industry:{view['industry']}:{measure_id}",
                                                       regions, table, measure)
render.gap_note(coverage.missing_note(table, measure.column, measure.label, coverage.drawn_ids(collection), measure.low, measure.high))
mapview.draw(collection, fills, bounds, measure.label, key="industry_map")
render.legend(classes.legend(), measure.label + (f" ({measure.note})" if measure.note else ""))
render.source_note(SOURCES["industry"].cite(), "LQ against the US private-industry share of total covered employment")

ranked = tables.ranked_industry(table, lq_min)
st.subheader(f"Regions ranked by location quotient ({len(ranked)} shown)")
st.dataframe(
    tables.for_display(
        ranked.drop(columns=["region_id"]),
        {"lq": "ratio", "employment": "count", "establishments": "count", "avg_annual_pay": "money",
         "growth_2015_16": "change", "us_growth_2015_16": "change", "suppressed_counties": "count"},
        ranges={"lq": "lq_range", "employment": "employment_range"},
        labels={"lq": "LQ (or range)", "employment": "jobs (or range)", "avg_annual_pay": "average pay",
                "growth_2015_16": "change 2015-16", "us_growth_2015_16": "US change"},
    ),
    hide_index=True, width="stretch",
)
render.csv_download("Download the table (CSV)", ranked, f"industry_{view['industry']}_{view['scheme']}_{view['state']}.csv", "dl_industry")
region = state.current_region()
if region is not None:
    st.page_link("pages/region_profile.py", label=f"Open the profile of {md(region.name)}", icon=":material/arrow_forward:")
