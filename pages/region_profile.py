"""Region profile: the data package for one region: sectors, workforce, seats, scope, downloads."""

import streamlit as st

from dashboard.analysis import formatting, seats
from dashboard.data import catalogue
from dashboard.data.sources import cite
from dashboard.report import brief, charts, partnership_seats, profile_tables, tables
from dashboard.ui import profile_view, registry_view, render, state
from dashboard.ui.text import md

region, profile = profile_view.current_profile()
if profile is None:
    st.stop()

pop = profile.workforce["population"]
st.title(md(region.name), anchor=False)
st.caption(
    md(
        f"{catalogue.scheme(region.scheme).plural}: {formatting.counted(len(region.counties), 'county', 'counties')}, "
        f"population {formatting.count(pop)} ({cite('population')})"
    )
)

year = profile.year
candidates = profile_tables.candidates_table(profile)
st.header(f"Candidate sectors, {year}", anchor=False)
st.caption(md(f"Industry figures: {profile.ownership}."))
if candidates.empty:
    st.warning(md(f"No {year} industry data for these counties: {profile.industry_basis}."))
else:
    start, end = charts.growth_span(year, profile.growth_span)
    st.altair_chart(charts.sector_bubbles(profile.candidate_sectors, year, profile.growth_span), width="stretch")
    st.caption(
        md(
            f"Growth runs {start}-{end}: "
            + (
                "the longest span of loaded years. "
                if profile.growth_span
                else "the one-year change the files publish (load another year for a longer span). "
            )
            + f"Bubble area = jobs; the top {charts.LABELLED} candidates are named. Where BLS suppressed cells, "
            "the bubble sits at the estimate (labelled as one in the tooltip) and a bar spans the range the "
            "published figures allow (a bar beyond the top of the axis stops there with an arrow). Classes: existing strength (concentrated and growing), "
            "emerging (growing faster than the US), mature (concentrated, not growing), weak."
        )
    )
    st.dataframe(
        tables.for_display(
            candidates.drop(columns="class"),  # the verdict says the class, "likely" where the estimate decides it
            {
                "lq": "ratio",
                "score": "ratio",
                "jobs": "count",
                "establishments": "count",
                "avg_annual_pay": "money",
                "pay_ratio": "ratio",
                "one_year_change": "change",
                "us_one_year_change": "change",
                "change": "change",
                "us_change": "change",
                "change_jobs": "count_change",
                "suppressed_counties": "count",
            },
            ranges={
                "lq": "lq_range",
                "jobs": "jobs_range",
                "avg_annual_pay": "avg_annual_pay_range",
                "pay_ratio": "pay_ratio_range",
                "one_year_change": "one_year_change_range",
                "change": "change_range",
                "change_jobs": "change_jobs_range",
            },
            labels={
                "verdict": "Class",
                "lq": "LQ (or range)",
                "jobs": "Jobs (or range)",
                "avg_annual_pay": "Average pay (or range)",
                "pay_ratio": "Pay against the region's average (or range)",
                "one_year_change": f"Published change {year - 1}-{year} (or range)",
                "us_one_year_change": f"US published change {year - 1}-{year}",
                "change": f"Change {start}-{end} (or range)",
                "us_change": f"US change {start}-{end}",
                "change_jobs": f"Jobs change {start}-{end} (or range)",
                "change_start_year": "Change from",
                "change_note": "Codes the change compares",
            },
        ),
        hide_index=True,
        width="stretch",
    )
    profile_view.certainty_words()
    render.source_note(cite("industry", year), f"industry basis: {profile.industry_basis}")

trend = profile.establishment_trend
trend_rows = charts.trend_rows(trend)
span = charts.trend_span(trend_rows)
with st.expander(
    f"Employment trend from County Business Patterns{', ' + span if span else ''} "
    f"({formatting.counted(len(trend['sectors']), 'sector')})"
):
    if trend_rows.empty:
        st.info(
            "County Business Patterns county files bundled here do not cover every county of this region "
            "(or the cells are withheld), so no trend is shown."
        )
    else:
        st.altair_chart(charts.trend_lines(trend_rows), width="stretch")
        trend_table = trend_rows.pivot(index="sector", columns="year", values="employment").reset_index()
        st.dataframe(
            tables.for_display(trend_table, {y: "count" for y in trend_table.columns if y != "sector"}),
            hide_index=True,
            width="stretch",
        )
        render.csv_download("Trend (CSV)", trend_rows, f"trend_{region.scheme}_{region.id[:40]}.csv", "dl_trend")
        if trend_table.isna().any().any():
            st.caption("n/a: a year whose figure is withheld for a county of the region (never zero).")
    render.source_note(cite("cbp", span) if span else trend["source"], trend["note"])

st.header("Workforce against the state and the US", anchor=False)
comparisons = brief.brief_comparisons(region, profile.comparison_state)
state_values, state_label = comparisons["state"], comparisons["state_label"]
if len(region.states) > 1:
    st.caption(
        md(
            f"The region spans {seats.state_label(region.states)}: it is compared with "
            f"{seats.comparison_name(region, profile.comparison_state)}."
        )
    )
workforce = profile_tables.workforce_table(profile, state_values, seats.us_values(), state_label)
st.altair_chart(charts.workforce_bars(profile_tables.workforce_chart_rows(workforce, state_label)), width="stretch")
st.dataframe(tables.headed(profile_tables.workforce_display(workforce, state_label)), hide_index=True, width="stretch")

careers = profile.careers
st.header(f"Careers in {profile.seats_sector_name or 'the sector'}", anchor=False)
if careers is None:
    st.info(md(profile.careers_note or "No careers figures for this region and sector."))
else:
    ind = careers.indicators
    basis = {
        "published": "published",
        "estimate": "estimated inside the suppression range",
        "range midpoint": "midpoint of the suppression range",
    }.get(careers.sector_jobs_basis, "not known")
    cols = st.columns(4)
    cols[0].metric(
        f"Jobs in the sector, {careers.year}",
        formatting.count(careers.sector_jobs),
        help=md(f"QCEW, private ownership; {basis}"),
    )
    cols[1].metric("Open at high school or less", formatting.share(ind.entry_hs_share))
    cols[2].metric("Postsecondary award or associate's", formatting.share(ind.middle_skill_share))
    cols[3].metric(
        "Apprenticeable occupations",
        formatting.share(ind.apprenticeable_share),
        help=md("Typical training an apprenticeship or over a year of on-the-job training (BLS)"),
    )
    st.caption(md(careers.method))
    st.subheader("The ladder: the sector's jobs by the education they need to enter", anchor=False)
    st.dataframe(profile_tables.ladder_table(profile), hide_index=True, width="stretch")
    st.altair_chart(charts.career_ladder(careers), width="stretch")
    below = careers.entry_jobs_below_state_median()
    if careers.state_median_wage is not None:
        share_below = sum(o.share for o in below) / careers.released_share if careers.released_share else None
        st.markdown(
            md(
                f"Point area = estimated jobs in the region. Dashed line: the median wage for all occupations in "
                f"{careers.state_name}, {formatting.money(careers.state_median_wage)}. {len(below)} entry occupations "
                f"({formatting.share(share_below)} of the sector's jobs) pay less than that"
                + (f", among them {', '.join(o.title for o in below[:4])}." if below else ".")
            )
        )
    st.subheader("Top occupations", anchor=False)
    st.dataframe(profile_tables.careers_display(profile), hide_index=True, width="stretch")
    render.source_note(*dict.fromkeys(careers.sources.values()))

st.header("Seats at the table", anchor=False)
sector_name = profile.seats_sector_name
st.markdown(
    md(
        f"Assessed for {sector_name or 'no sector (no industry data)'}"
        + (
            ""
            if profile_view.seats_sector(state.view())
            else ", the top-ranked sector; choose a partnership sector in the sidebar to change it"
        )
        + "."
    )
)
seat_frame = profile_tables.seats_table(profile)
for level in seats.LEVELS:  # the seats the data trigger first; the core seats' standing text collapsed
    group = seat_frame[seat_frame["level"] == level]
    if group.empty:
        continue
    title = "Core: always at the table" if level == "core" else level.capitalize()
    st.subheader(f"{title} ({len(group)})", anchor=False)
    for _, seat in group.iterrows():
        with st.expander(md(seat["seat"]), expanded=level in ("strongly recommended", "recommended")):
            st.markdown(md(seat["evidence"]))
            st.caption("Source: " + md(seat["source"]))
profile_view.threshold_form("profile_thresholds")

registry_view.recorded_partnerships(region, profile.seats, profile.seats_sector)

st.header("Scope checks", anchor=False)
scope = profile.scope
st.markdown(md(f"Geography: {scope['level']}. {scope['verdict']}"))
for c in profile.candidate_sectors[:5]:
    st.markdown(md(f"{c['name']}: employer pool {c['employer_pool']['level']}. {c['employer_pool']['verdict']}"))

st.header("Downloads", anchor=False)

cols = st.columns(5)
with cols[0]:
    render.csv_download(
        "Candidate sectors (CSV)",
        tables.for_csv(candidates),
        f"sectors_{region.scheme}_{region.id[:40]}_{year}.csv",
        "dl_sectors",
    )
with cols[1]:
    render.csv_download(
        "Workforce (CSV)", workforce.drop(columns=["kind"]), f"workforce_{region.scheme}_{region.id[:40]}.csv", "dl_wf"
    )
with cols[2]:
    render.csv_download("Seats (CSV)", seat_frame, f"seats_{region.scheme}_{region.id[:40]}.csv", "dl_seats")
with cols[3]:
    render.csv_download(
        "Careers (CSV)",
        profile_tables.careers_table(profile),
        f"careers_{region.scheme}_{region.id[:40]}_{profile.seats_sector or 'none'}.csv",
        "dl_careers",
    )
with cols[4]:
    st.download_button(
        "Printable brief (HTML)",
        brief.brief_html(
            profile,
            comparisons,
            partnership_seats.recorded_in_registry(region.counties, profile.seats, profile.seats_sector),
        ),
        file_name=render.safe_file_name(f"brief_{region.scheme}_{region.id[:40]}.html"),
        mime="text/html",
        key="dl_brief",
    )
st.caption("Open the brief in a browser and print it (or save as PDF) for a one-page handout.")
