"""Sector Atlas: the entrypoint. Navigation, the shared sidebar and the link state live here; pages are in pages/.

Every page is served at the app's root address, named by the link's ``page`` parameter
(``/?page=region-profile&state=IN...``; none for the industry map): the chosen page is made
the default page of this run's navigation. A page reached by its own path (the navigation
menu, a page link, an old link) becomes the session's page and the run starts again at the
root address. Streamlit shows a "Page not found" notice when a page's own path is the first
address opened on a freshly started server; the root address never does.
"""

import streamlit as st

from dashboard.analysis import seats, sectors, self_assessment
from dashboard.data import store
from dashboard.ui import freshness, identity, sidebar, state, static_files, style, workspaces_view
from dashboard.ui.text import md

st.set_page_config(page_title="Sector Atlas", layout="wide")
static_files.serve_leaflet(__file__)

#: Page id (its ``page`` parameter and URL path) -> (script, title); the first is the default page.
PAGES = {
    "industry-map": ("pages/industry_map.py", "Industry map"),
    "workforce-map": ("pages/workforce_map.py", "Workforce map"),
    "region-profile": ("pages/region_profile.py", "Region profile"),
    "compare": ("pages/compare_regions.py", "Compare regions"),
    "partnership-table": ("pages/partnership_table.py", "Partnership table"),
    "seat-matrix": ("pages/seat_matrix.py", "Seat matrix"),
    "partnerships": ("pages/partnerships.py", "Partnerships"),
    "coverage": ("pages/coverage.py", "Coverage"),
    "custom-regions": ("pages/custom_regions.py", "Custom regions"),
    "data-and-methods": ("pages/data_and_methods.py", "Data and methods"),
}
DEFAULT_PAGE = next(iter(PAGES))

workspaces_view.open_from_link()  # a link naming a saved workspace becomes its view's own link
wanted = state.page_id(tuple(PAGES), DEFAULT_PAGE)
pages = {
    pid: st.Page(script, title=title, url_path=pid, default=pid == wanted) for pid, (script, title) in PAGES.items()
}
page = st.navigation(list(pages.values()))
shown = next(pid for pid, p in pages.items() if p is page)
if shown != wanted:
    # reached by its own path: show it at the root address, as the default page of the next run
    state.set_page(shown)
    st.rerun()
style.apply()


def check_data() -> None:
    """Every data file, checked before any page reads one (cheap once read): a damaged file stops here;
    files that changed since the figures were read (an update installed) are read again."""
    if freshness.reload_if_changed(store.check_data()):
        st.toast("The data files were updated: the figures shown are now the new files'.")
    sectors.load_taxonomy()
    seats.load_rules()
    self_assessment.load_assessment()


try:
    # a cold page (figures not yet cached, a busy machine) says what it is loading instead of staying blank
    with st.spinner(f"Loading the {page.title.lower()}...", show_time=True):
        check_data()
        state.init()
        sidebar.render()
        identity.render_sign_in()
        for notice in st.session_state.get(state.NOTICES, []):
            st.warning(md(notice))
        page.run()
    sidebar.render_share_link(DEFAULT_PAGE, page.url_path)
    workspaces_view.render(DEFAULT_PAGE, page.url_path)
except store.DataError as exc:
    # a missing or damaged data file: one message naming it, on every page, instead of the page
    st.error(md(str(exc)))


@st.fragment(run_every=86400)
def _redraw_after_reconnecting() -> None:
    """Draws nothing. When Streamlit's browser side reconnects, it reruns the script only if the page has a
    timed fragment (or a run was under way). With this one, a browser whose server went away (a replica
    behind nginx that died, see deploy/) is drawn again at once, from the view in its address, by the
    server it reconnected to; without it, the old page stays until the next click, and the new server,
    opening the session from the address, would not take that click as a change."""


_redraw_after_reconnecting()
