"""Sector Atlas: the entrypoint. Navigation, the shared sidebar and the link state live here; pages are in pages/."""

import streamlit as st

from dashboard import seats, sectors, self_assessment, store
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


def check_data() -> None:
    """Every data file, checked before any page reads one (cheap once read): a damaged file stops here."""
    store.check_data()
    sectors.load_taxonomy()
    seats.load_rules()
    self_assessment.load_assessment()


try:
    check_data()
    state.init()
    sidebar.render()
    for notice in st.session_state.get(state.NOTICES, []):
        st.warning(md(notice))
    page.run()
    sidebar.render_share_link()
except store.DataError as exc:
    # a missing or damaged data file: one message naming it, on every page, instead of the page
    st.error(md(str(exc)))
