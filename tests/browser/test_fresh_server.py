"""Share links opened as the very first request to a freshly started server, on every page.

Streamlit shows a "Page not found" notice over the right page when the first address a
fresh server sees is a page's own path (``/region-profile``): its first run treats the
``pages/`` folder as an old-style page list. The app serves every page at the root address
and names it in the query (``/?page=region-profile&state=IN...``), and its share links say
so; each test here starts its own server so that the link is the first thing it serves
(on four kinds of page: :data:`FIRST_PAGES`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import VIEWPORT, Traffic, open_app, screenshot, share_link, sidebar_select
from .server import ServerError, running_app
from .test_browser import EGR2, EGR_QUERY, PAGE_IDS, exceptions, query_of

#: The pages a share link opens first here: the default page (no page parameter), a page named in the query,
#: the page that opens the partnership registry, and a page of text. Which page is named does not change how
#: Streamlit treats the first request (the launcher decides that before the server starts); every page's own
#: first run is covered on the shared server (test_accessibility.py), and a fresh server costs a cold start.
FIRST_PAGES = ["industry-map", "region-profile", "partnership-table", "data-and-methods"]


def not_found_notices(page) -> list[str]:
    """Texts of Streamlit's "Page not found" dialog, if it shows."""
    page.wait_for_timeout(1000)  # the notice comes with the run's first messages; give it time to draw
    return [t for t in page.get_by_role("dialog").all_inner_texts() if "not found" in t.lower()] + page.get_by_text(
        "Page not found"
    ).all_inner_texts()


@pytest.fixture
def fresh(browser, artifacts, request):
    """Start a fresh server; returns (base URL, page in a new context whose outside requests are refused, traffic)."""
    opened = []

    def start(name: str, launcher: str = "dashboard.ui.launch"):
        cm = running_app(artifacts / f"fresh-{name}.log", launcher=launcher)
        try:
            server = cm.__enter__()
        except ServerError as e:
            pytest.fail(str(e), pytrace=False)
        traffic = Traffic(server.base_url)
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(60_000)
        traffic.watch(context)
        opened.append((cm, context))
        return server.base_url, context.new_page(), traffic

    yield start
    for cm, context in opened:
        context.close()
        cm.__exit__(None, None, None)


@pytest.mark.parametrize("page_id", FIRST_PAGES)
def test_a_share_link_is_the_first_request_to_a_fresh_server(fresh, artifacts, page_id):
    base, page, traffic = fresh(page_id)
    query = ("" if page_id == PAGE_IDS[0] else f"page={page_id}&") + EGR_QUERY
    open_app(page, f"{base}/?{query}", with_map=page_id in ("industry-map", "workforce-map"))
    screenshot(page, artifacts, f"fresh-{page_id}")
    assert not_found_notices(page) == []
    assert exceptions(page) == []
    assert page.locator("h1").count() >= 1
    if page_id == "region-profile":
        assert page.locator("h1").first.inner_text().strip() == EGR2
    assert sidebar_select(page, "Region") == EGR2
    # the address stays the root address naming the page, and the share link is the same form
    assert urlsplit(page.url).path in ("", "/")
    link = share_link(page)
    assert urlsplit(link).path in ("", "/")
    assert query_of(link).get("page") == (None if page_id == PAGE_IDS[0] else page_id)
    assert query_of(link)["state"] == "IN" and query_of(page.url)["state"] == "IN"
    assert traffic.refused == []


def test_control_plain_streamlit_run_shows_the_notice_for_a_page_path(fresh, artifacts):
    """The harness does see the notice: started with plain ``streamlit run`` (not the app's launcher), a page's own
    path opened first on a fresh server still shows it (Streamlit's behaviour, which the launcher and the links
    avoid). If Streamlit stops showing it, this control fails: the tests here would then pass whatever the launcher
    and the links do, and both are no longer needed."""
    base, page, _ = fresh("control", launcher="streamlit")
    open_app(page, f"{base}/region-profile?{EGR_QUERY}")
    screenshot(page, artifacts, "fresh-control-page-path")
    assert not_found_notices(page), "no 'Page not found' notice for a page path opened first on a fresh server"
    # the app still shows the page, and moves it to the root address for the next link
    assert page.locator("h1").first.inner_text().strip() == EGR2
    assert query_of(share_link(page))["page"] == "region-profile"


def test_an_older_link_to_a_page_path_opens_cleanly_on_a_fresh_server(fresh, artifacts):
    """Links shared before pages moved into the query name the page in the path
    (``/region-profile?state=IN&scheme=in-egr&region=2``): as the first request to a fresh server the page
    opens with no "Page not found" notice."""
    base, page, traffic = fresh("older-link")
    open_app(page, f"{base}/region-profile?state=IN&scheme=in-egr&region=2")
    page.wait_for_timeout(3000)
    screenshot(page, artifacts, "fresh-older-link")
    assert not_found_notices(page) == []
    assert exceptions(page) == []
    assert page.locator("h1").first.inner_text().strip() == EGR2
    assert sidebar_select(page, "Region") == EGR2
