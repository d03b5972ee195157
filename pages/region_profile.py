"""Region profile: the data package for one region: sectors, workforce, seats, scope, downloads."""

import streamlit as st

from dashboard import (
    brief,
    catalogue,
    charts,
    formatting,
    profile_tables,
    seats,
    tables,
)
from dashboard.sources import cite
from dashboard.ui import profile_view, render, state
from dashboard.ui.text import md

region, profile = profile_view.current_profile()
if profile is None:
    st.stop()

pop = profile.workforce["population"]
st.title(md(region.name), anchor=False)
st.caption(md(f"{catalogue.scheme(region.scheme).plural}: {len(region.counties)} counties, "
              f"population {formatting.count(pop)} ({cite('population')})"))

year = profile.year
candidates = profile_tables.candidates_table(profile)
st.header(f"Candidate sectors, {year}", anchor=False)
st.caption(md(f"Industry figures: {profile.ownership}."))
if candidates.empty:
    st.warning(md(f"No {year} industry data for these counties: {profile.industry_basis}."))
else:
    start, end = charts.growth_span(year, profile.growth_span)
    st.altair_chart(charts.sector_bubbles(profile.candidate_sectors, year, profile.growth_span), width="stretch")
    st.caption(md(f"Growth runs {start}-{end}: "
                  + ("the longest span of loaded years. " if profile.growth_span
                     else "the one-year change the files publish (load another year for a longer span). ")
                  + "Bubble area = jobs. Where BLS suppressed cells, the bubble sits at the lowest LQ the published "
                  "figures allow and a bar reaches the highest. Classes: existing strength (concentrated and growing), "
                  "emerging (growing faster than the US), mature (concentrated, not growing), weak."))
    st.dataframe(tables.for_display(
        candidates,
        {"lq": "ratio", "jobs": "count", "establishments": "count", "avg_annual_pay": "money", "pay_ratio": "ratio",
         "one_year_change": "change", "us_one_year_change": "change", "change": "change", "us_change": "change",
         "change_jobs": "count_change", "suppressed_counties": "count"},
        ranges={"lq": "lq_range", "jobs": "jobs_range"},
        labels={"lq": "LQ (or range)", "jobs": "jobs (or range)", "avg_annual_pay": "average pay",
                "one_year_change": f"published change {year - 1}-{year}", "us_one_year_change": f"US published change {year - 1}-{year}",
                "change": f"change {start}-{end}", "us_change": f"US change {start}-{end}",
                "change_jobs": f"jobs change {start}-{end}", "change_start_year": "change from"},
    ), hide_index=True, width="stretch")
    render.source_note(cite("industry", year), f"industry basis: {profile.industry_basis}")

trend = profile.establishment_trend
trend_rows = charts.trend_rows(trend)
with st.expander(f"Employment trend from County Business Patterns ({len(trend['sectors'])} sectors with full county coverage)"):
    if trend_rows.empty:
        st.info("County Business Patterns county files bundled here do not cover every county of this region "
                "(or the cells are withheld), so no trend is shown.")
    else:
        st.altair_chart(charts.trend_lines(trend_rows), width="stretch")
        st.dataframe(trend_rows.pivot(index="sector", columns="year", values="employment").reset_index(),
                     hide_index=True, width="stretch")
        render.csv_download("Trend (CSV)", trend_rows, f"trend_{region.scheme}_{region.id[:40]}.csv", "dl_trend")
    render.source_note(trend["source"], trend["note"])

st.header("Workforce against the state and the US", anchor=False)
state_values = seats.comparison_values(region.states)
state_label = seats.state_label(region.states)
workforce = profile_tables.workforce_table(profile, state_values, seats.us_values(), state_label)
st.altair_chart(charts.workforce_bars(profile_tables.workforce_chart_rows(workforce, state_label)), width="stretch")
st.dataframe(profile_tables.workforce_display(workforce, state_label), hide_index=True, width="stretch")

st.header("Seats at the table", anchor=False)
sector_name = profile.seats_sector_name
st.markdown(md(f"Assessed for {sector_name or 'no sector (no industry data)'}"
               + ("" if profile_view.seats_sector(state.view()) else ", the top-ranked sector; choose a partnership sector in the sidebar to change it") + "."))
seat_frame = profile_tables.seats_table(profile)
for level in seats.LEVELS:
    group = seat_frame[seat_frame["level"] == level]
    if group.empty:
        continue
    st.subheader(f"{level.capitalize()} ({len(group)})", anchor=False)
    for _, seat in group.iterrows():
        with st.expander(md(seat["seat"]), expanded=level in ("core", "strongly recommended")):
            st.markdown(md(seat["evidence"]))
            st.caption("Source: " + md(seat["source"]))
profile_view.threshold_form("profile_thresholds")

st.header("Scope checks", anchor=False)
scope = profile.scope
st.markdown(md(f"Geography: {scope['level']}. {scope['verdict']}"))
for c in profile.candidate_sectors[:5]:
    st.markdown(md(f"{c['name']}: employer pool {c['employer_pool']['level']}. {c['employer_pool']['verdict']}"))

st.header("Downloads", anchor=False)

cols = st.columns(4)
with cols[0]:
    render.csv_download("Candidate sectors (CSV)", candidates, f"sectors_{region.scheme}_{region.id[:40]}_{year}.csv", "dl_sectors")
with cols[1]:
    render.csv_download("Workforce (CSV)", workforce.drop(columns=["kind"]), f"workforce_{region.scheme}_{region.id[:40]}.csv", "dl_wf")
with cols[2]:
    render.csv_download("Seats (CSV)", seat_frame, f"seats_{region.scheme}_{region.id[:40]}.csv", "dl_seats")
with cols[3]:
    st.download_button("Printable brief (HTML)", brief.brief_html(profile, brief.brief_comparisons(region)),
                       file_name=render.safe_file_name(f"brief_{region.scheme}_{region.id[:40]}.html"), mime="text/html", key="dl_brief")
st.caption("Open the brief in a browser and print it (or save as PDF) for a one-page handout.")
