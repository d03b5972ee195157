"""Partnership table: the seat checklist for a region and sector, gaps, a roster template, the self-assessment."""

import pandas as pd
import streamlit as st

from dashboard.analysis import self_assessment
from dashboard.maps import data as map_data
from dashboard.report import exports, partnership_seats, tables
from dashboard.ui import profile_view, registry_view, render, state
from dashboard.ui.text import md

FILLABLE = ("core", "strongly recommended", "recommended")
view = state.view()
st.title("Partnership table")
partnership = {c: i.label for c, i in map_data.industries().items() if i.kind == "partnership"}
if view["industry"] in partnership:
    state.bound(
        st.selectbox,
        "industry",
        "Sector of the partnership",
        options=list(partnership),
        format_func=partnership.get,
        key="w_table_sector",
    )
region, profile = profile_view.current_profile()
if profile is None:
    st.stop()
if view["industry"] not in partnership:
    st.caption(
        md(
            "The industry chosen in the sidebar is not a partnership sector, so the table is set for the "
            "region's top-ranked sector. Choose a partnership sector in the sidebar to change it."
        )
    )
sector_name = profile.seats_sector_name or "no sector"
st.markdown(md(f"{region.name}, {sector_name}"))

st.header("Seat checklist", anchor=False)
members = registry_view.recorded_checklist(region, profile.seats_sector)
seats = [s for s in profile.seats if s["level"] in FILLABLE]
if members is None:
    st.caption("Tick the seats your table already fills. Ticks are kept in the share link.")
else:
    st.caption("Ticked: the seats the partnership's current members fill (edit its members on the Partnerships page).")
for level in FILLABLE:
    group = [s for s in seats if s["level"] == level]
    if group:
        st.subheader(level.capitalize(), anchor=False)
    for seat in group:
        if members is None:
            state.member_checkbox("filled", seat["id"], md(seat["name"]), "w_filled", help=md(seat["evidence"]))
        else:
            st.checkbox(md(seat["name"]), value=seat["id"] in members, disabled=True)
filled = set(view["filled"]) if members is None else members
gaps = partnership_seats.open_seats(seats, filled)
st.header(f"Gaps ({len(gaps)} of {len(seats)} seats open)", anchor=False)
if gaps:
    st.dataframe(
        tables.headed(pd.DataFrame([{"level": s["level"], "seat": s["name"], "why": s["evidence"]} for s in gaps])),
        hide_index=True,
        width="stretch",
    )
else:
    st.success("Every indicated seat is filled.")
roster = exports.roster_template(profile.seats, filled)
render.csv_download("Roster template (CSV)", roster, f"roster_{region.scheme}_{region.id[:40]}.csv", "dl_roster")
profile_view.threshold_form("table_thresholds")

st.header("Self-assessment: the seven characteristics", anchor=False)
assessment = self_assessment.load_assessment()
st.caption(md(f"Source: {assessment.source}"))
for characteristic in assessment.characteristics:
    with st.expander(md(characteristic.name)):
        for item in characteristic.items:
            state.member_checkbox("checked", item.id, md(item.text), "w_check")
score = self_assessment.score_assessment(view["checked"], assessment)
st.metric("Self-assessment score", f"{score['done']} of {score['total']} ({score['score']:.0%})")
st.dataframe(
    tables.headed(
        pd.DataFrame(
            [
                {"characteristic": c["name"], "done": c["done"], "of": c["total"], "score": 100 * c["score"]}
                for c in score["characteristics"]
            ]
        )
    ),
    hide_index=True,
    width="stretch",
    column_config={"Score": st.column_config.ProgressColumn(min_value=0.0, max_value=100.0, format="%.0f%%")},
)
if score["done"]:
    st.markdown(md(f"Strongest: {score['strongest']}. Weakest: {score['weakest']}."))
with st.expander("What works well and what works less well"):
    st.caption(md(f"Source: {assessment.pairs_source}"))
    st.dataframe(
        pd.DataFrame(assessment.pairs, columns=["Works well", "Works less well"]), hide_index=True, width="stretch"
    )
