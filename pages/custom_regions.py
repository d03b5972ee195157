"""Custom regions: pick counties, or upload a CSV of county FIPS and region names."""

import pandas as pd
import streamlit as st

from dashboard import exports, map_data, uploads
from dashboard.regions import CUSTOM, UnknownRegionError, custom_region, list_regions
from dashboard.ui import state
from dashboard.ui.text import md

view = state.view()
st.title("Custom regions")
st.markdown(md("Build regions the bundled schemes do not have, such as local workforce development areas. "
               "They last for this browser session; the share link carries the selected custom region's counties."))


def use(regions, selected_id):
    existing = [r for r in state.custom_regions() if r.name not in {n.name for n in regions}]
    state.set_custom_regions(tuple(existing + list(regions)))
    state.set_later(scheme=CUSTOM, region=selected_id)


st.header("Pick counties", anchor=False)
counties = list_regions("county", None if view["state"] == map_data.US else view["state"])
names = dict(zip(counties["region_id"], counties["region_name"]))
with st.form("pick_counties"):
    picked = st.multiselect("Counties", options=list(names), format_func=names.get,
                            help="Choose the state in the sidebar to list its counties.")
    name = st.text_input("Region name", max_chars=uploads.MAX_NAME, placeholder="e.g. North Central workforce area")
    if st.form_submit_button("Use these counties"):
        if not picked:
            st.error("Pick at least one county.")
        else:
            try:
                region = custom_region(picked, " ".join(name.split()) or None)
            except UnknownRegionError as exc:
                st.error(md(str(exc)))
            else:
                use([region], region.id)

st.header("Upload a CSV", anchor=False)
st.markdown(md("One row per county: a column of 5-digit county FIPS codes (fips, county_fips or geoid) and a column "
               "of region names (region, region_name, name or area). UTF-8 or Excel CSV, at most "
               f"{uploads.MAX_UPLOAD_BYTES // (1024 * 1024)} MB and {uploads.MAX_REGIONS} regions."))
upload = st.file_uploader("Region file", type=["csv", "txt"], key="region_upload")
if upload is not None and st.session_state.get("region_upload_done") != upload.file_id:
    try:
        regions = uploads.parse_region_csv(upload.getvalue(), upload.name)
    except uploads.UploadError as exc:
        st.error("  \n".join(md(line) for line in str(exc).splitlines()))
        if exc.rows:
            st.dataframe(pd.DataFrame(exc.rows, columns=["line", "problem"]), hide_index=True, width="stretch")
    else:
        st.session_state["region_upload_done"] = upload.file_id
        use(regions, regions[0].id)

st.header("Your custom regions", anchor=False)
custom = state.custom_regions()
if not custom:
    st.info("None yet.")
else:
    st.dataframe(pd.DataFrame({"region": [r.name for r in custom], "counties": [len(r.counties) for r in custom],
                               "states": [", ".join(r.states) for r in custom]}), hide_index=True, width="stretch")
    st.download_button("Download as CSV", exports.to_csv_bytes(pd.DataFrame(uploads.regions_to_csv_rows(custom))),
                       file_name="custom_regions.csv", mime="text/csv", key="dl_custom")
    if st.button("Clear custom regions"):
        state.set_custom_regions(())
        st.session_state.pop("region_upload_done", None)
        state.set_later(scheme="county", region="")
