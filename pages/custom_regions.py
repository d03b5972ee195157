"""Custom regions: pick counties, or upload a CSV of county FIPS and region names."""

import pandas as pd
import streamlit as st

from dashboard.analysis import uploads
from dashboard.analysis.regions import (
    CUSTOM,
    UnknownRegionError,
    add_custom_regions,
    custom_region,
    list_regions,
    state_names,
)
from dashboard.data.names import MAX_NAME, clean_name
from dashboard.maps import data as map_data
from dashboard.report import exports
from dashboard.ui import state
from dashboard.ui.text import md

view = state.view()
st.title("Custom regions")
st.markdown(
    md(
        "Build regions the bundled schemes do not have, such as local workforce development areas. "
        "They last for this browser session; the share link carries the selected custom region's counties."
    )
)


NOTES = "custom_region_notes"


def use(regions, selected_id, upload_id=None):
    """Add the regions (one per county set and per name: a repeat replaces, with a note) and select one; if
    that would take the session's custom regions over the upload limits, say so and add nothing."""
    merged, notes = add_custom_regions(state.custom_regions(), regions)
    try:
        uploads.check_total(merged)
    except uploads.UploadError as exc:
        st.error(md(exc.message))
        return
    state.set_custom_regions(merged)
    st.session_state[NOTES] = notes  # shown after the rerun below
    if upload_id is not None:
        st.session_state["region_upload_done"] = upload_id  # used: not added again on the next run
    state.set_later(scheme=CUSTOM, region=selected_id)


st.header("Pick counties", anchor=False)
counties = list_regions("county", None if view["state"] == map_data.US else view["state"])
names = dict(zip(counties["region_id"], counties["region_name"]))
with st.form("pick_counties"):
    picked = st.multiselect(
        "Counties",
        options=list(names),
        format_func=names.get,
        help="Choose the state in the sidebar to list its counties.",
    )
    name = st.text_input("Region name", max_chars=MAX_NAME, placeholder="e.g. North Central workforce area")
    if st.form_submit_button("Use these counties"):
        if not picked:
            st.error("Pick at least one county.")
        else:
            try:
                region = custom_region(picked, clean_name(name) or None)
            except UnknownRegionError as exc:
                st.error(md(str(exc)))
            else:
                use([region], region.id)

st.header("Upload a CSV", anchor=False)
st.markdown(
    md(
        "One row per county: a column of 5-digit county FIPS codes (fips, county_fips or geoid) and a column "
        "of region names (region, region_name, name or area). UTF-8 or Excel CSV, at most "
        f"{uploads.MAX_UPLOAD_MB} MB, {uploads.MAX_REGIONS} regions and {uploads.MAX_COUNTY_ROWS:,} county rows "
        "(your custom regions together too)."
    )
)
upload = st.file_uploader("Region file", type=["csv", "txt"], key="region_upload")
shared = st.checkbox(
    uploads.SHARED_OPTION,
    key="region_upload_shared",
    help=md(
        "Off, a county listed for two regions is an error (usually a typing mistake in a file that "
        "splits a state into areas). On, a county may belong to several regions."
    ),
)
if upload is not None and st.session_state.get("region_upload_done") != upload.file_id:
    try:
        regions = uploads.parse_region_csv(upload.getvalue(), upload.name, shared=shared)
    except uploads.UploadError as exc:
        st.error("  \n".join(md(line) for line in str(exc).splitlines()))
        if exc.rows:
            st.dataframe(pd.DataFrame(exc.rows, columns=["line", "problem"]), hide_index=True, width="stretch")
    else:
        use(regions, regions[0].id, upload.file_id)

st.header("Your custom regions", anchor=False)
for note in st.session_state.pop(NOTES, []):
    st.info(md(note))
custom = state.custom_regions()
if not custom:
    st.info("None yet.")
else:
    names = state_names()
    st.dataframe(
        pd.DataFrame(
            {
                "Region": [r.name for r in custom],
                "Counties": [len(r.counties) for r in custom],
                "States": [", ".join(names.get(s, s) for s in r.states) for r in custom],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        "Download as CSV",
        exports.to_csv_bytes(pd.DataFrame(uploads.regions_to_csv_rows(custom))),
        file_name="custom_regions.csv",
        mime="text/csv",
        key="dl_custom",
    )
    if st.button("Clear custom regions"):
        state.set_custom_regions(())  # the file still in the uploader stays marked as used: it does not come back
        state.set_later(scheme="county", region="")
