"""Sector Atlas: the entrypoint. Navigation, the shared sidebar and the link state live here; pages are in pages/."""

import streamlit as st

from dashboard.store import DataMissingError, data_status
from dashboard.ui import sidebar, state, static_files
from dashboard.ui.text import md

st.set_page_config(page_title="Sector Atlas", layout="wide")
static_files.serve_leaflet(__file__)

PAGES = [
    st.Page("pages/industry_map.py", title="Industry map", url_path="industry-map", default=True),
    st.Page("pages/workforce_map.py", title="Workforce map", url_path="workforce-map"),
    st.Page("pages/region_profile.py", title="Region profile", url_path="region-profile"),
    st.Page("pages/compare_regions.py", title="Compare regions", url_path="compare"),
    st.Page("pages/partnership_table.py", title="Partnership table", url_path="partnership-table"),
    st.Page("pages/custom_regions.py", title="Custom regions", url_path="custom-regions"),
    st.Page("pages/data_and_methods.py", title="Data and methods", url_path="data-and-methods"),
]
page = st.navigation(PAGES)

status = data_status()
if status.empty or not status["present"].all():
    missing = ", ".join(status.loc[~status["present"], "file"]) if not status.empty else "data/manifest.json"
    st.error(md(str(DataMissingError(f"Processed data files are missing ({missing}). Rebuild them with: python -m dashboard build"))))
    st.stop()

state.init()
sidebar.render()
for notice in st.session_state.get(state.NOTICES, []):
    st.warning(md(notice))
page.run()
sidebar.render_share_link()
