"""The app in a real browser: the maps draw every region, links reopen the view, a click on the map selects a
region, downloads arrive, and a junk link is refused harmlessly (that every page renders: test_accessibility.py).

Fixtures and helpers are in conftest.py (server, chromium, request routing, waiting for a run).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.analysis.regions import list_regions
from dashboard.maps.classes import NO_DATA
from dashboard.ui.static_files import package_dir

from .conftest import (
    LEAFLET_PATH,
    map_frame,
    open_app,
    screenshot,
    share_link,
    sidebar_select,
    wait_for_app,
)

EGR_QUERY = "state=IN&scheme=in-egr&region=2&industry=advanced-manufacturing"
EGR2 = "Indiana Economic Growth Region 2"

#: Every page of the app (app.py's PAGES); the industry map is the default and needs no page parameter.
PAGE_IDS = [
    "industry-map",
    "workforce-map",
    "region-profile",
    "compare",
    "partnership-table",
    "seat-matrix",
    "custom-regions",
    "data-and-methods",
]


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def test_toolbar_has_no_deploy_button_or_developer_options(app_server, page):
    """.streamlit/config.toml: client.toolbarMode = "viewer", even on localhost, where "auto" would show them."""
    open_app(page, app_server + "/")
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count():
        menu.locator("button").first.click()
        labels = page.locator('[data-testid="stMainMenuItemLabel"]').all_inner_texts()
        page.keyboard.press("Escape")
        assert not {"Rerun", "Clear cache", "Deploy"} & {t.strip() for t in labels}, labels


@pytest.mark.parametrize(
    "query,expected",
    [
        (EGR_QUERY, 11),  # Indiana's 11 economic growth regions
        ("state=IN&scheme=county&region=18097&industry=31-33", 92),  # Indiana's 92 counties
    ],
    ids=["in-egr", "county"],
)
def test_map_draws_one_path_per_region(app_server, page, traffic, artifacts, query, expected):
    page.goto(f"{app_server}/?{query}")
    wait_for_app(page)
    _frame, n = map_frame(page)
    screenshot(page, artifacts, f"map-{query_of('?' + query)['scheme']}")
    assert n == expected
    assert exceptions(page) == []
    # with every outside request refused, the map drew: Leaflet came from the app server, nothing from outside
    assert traffic.refused == [], f"outside requests: {traffic.refused}"
    assert {urlsplit(u).path for u in traffic.leaflet} == {LEAFLET_PATH + "leaflet.js", LEAFLET_PATH + "leaflet.css"}


def test_map_draws_with_every_outside_request_refused(app_server, page, traffic, artifacts):
    """Leaflet reaches the browser from the app server (the installed XStatic-Leaflet package's files), and the
    map makes no outside request at all; a request to another host, or to another local port, is refused (here
    by the shared profile's proxy; test_share_link_reopens_the_view checks a fresh context's routes)."""
    answers = []
    page.on("response", lambda r: answers.append(r) if LEAFLET_PATH in r.url else None)
    frame = open_app(page, f"{app_server}/?{EGR_QUERY}", with_map=True)
    screenshot(page, artifacts, "map-no-outside-requests")
    assert frame.locator("path.leaflet-interactive").count() == 11
    assert frame.evaluate("() => window.L && L.version") == "1.9.3"
    # everything the map's frame loads, scripts and styles, is on the app server
    sources = frame.evaluate(
        "() => [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)"
    )
    assert any(s.endswith(LEAFLET_PATH + "leaflet.js") for s in sources), sources
    assert [s for s in sources if not s.startswith(app_server + "/")] == []
    assert traffic.refused == [], f"outside requests: {traffic.refused}"

    # Leaflet's files as served: the installed package's bytes, with types a browser will run and apply
    served = {urlsplit(r.url).path.rsplit("/", 1)[1]: r for r in answers}
    assert set(served) == {"leaflet.js", "leaflet.css"}, [r.url for r in answers]
    for name, kind in (("leaflet.js", "javascript"), ("leaflet.css", "text/css")):
        assert served[name].status == 200
        assert kind in served[name].headers["content-type"]
        assert served[name].body() == (package_dir() / name).read_bytes()

    # the refusal is real: outside requests fail in the page and are recorded
    assert_outside_refused(page, app_server, traffic)


def assert_outside_refused(page, app_server: str, traffic) -> None:
    """A request to another host, and one to another port of this host, fail in ``page`` and are recorded."""
    other_port = urlsplit(app_server)._replace(netloc=f"127.0.0.1:{urlsplit(app_server).port + 1}").geturl()
    urls = ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", other_port + "/leaflet.js"]
    for url in urls:
        outcome = page.evaluate("u => fetch(u).then(() => 'fetched', () => 'refused')", url)
        assert outcome == "refused", url
    assert traffic.refused == urls


def test_share_link_reopens_the_view(app_server, page, new_context, traffic, artifacts):
    open_app(page, f"{app_server}/?page=region-profile&{EGR_QUERY}")
    screenshot(page, artifacts, "share-link-opened")
    assert exceptions(page) == []
    assert page.locator("h1").first.inner_text().strip() == EGR2
    assert sidebar_select(page, "Region") == EGR2
    assert "Advanced Manufacturing" in sidebar_select(page, "Industry")

    link = share_link(page)
    assert "region=2" in link
    assert urlsplit(link).path in ("", "/") and query_of(link)["page"] == "region-profile"
    assert query_of(link)["state"] == "IN"
    assert query_of(link)["region"] == "2" and query_of(link)["industry"] == "advanced-manufacturing"

    again = new_context().new_page()  # a fresh context: a new Streamlit session with nothing but the link
    open_app(again, link)
    screenshot(again, artifacts, "share-link-reopened")
    assert exceptions(again) == []
    assert again.locator("h1").first.inner_text().strip() == EGR2
    assert sidebar_select(again, "Region") == EGR2
    assert "Advanced Manufacturing" in sidebar_select(again, "Industry")
    # a fresh context refuses outside requests with Playwright's routes (see conftest.Traffic.watch)
    assert_outside_refused(again, app_server, traffic)


def test_click_on_the_map_selects_the_region(app_server, page, artifacts):
    frame = open_app(page, f"{app_server}/?{EGR_QUERY}", with_map=True)
    paths = frame.locator("path.leaflet-interactive")
    assert sidebar_select(page, "Region") == EGR2
    names = dict(zip(*[list_regions("in-egr", "18")[c] for c in ("region_name", "region_id")]))

    # hover paths in order until one is another region than the selected one; its tooltip names it
    for index in range(paths.count()):
        paths.nth(index).dispatch_event("mouseover")
        tooltip = frame.locator(".leaflet-tooltip").last
        tooltip.wait_for(state="visible")
        found = re.search(r"Region\s+(.+)", tooltip.inner_text())
        assert found, f"tooltip without a region name: {tooltip.inner_text()!r}"
        name = found.group(1).strip()
        paths.nth(index).dispatch_event("mouseout")
        if name != EGR2:
            break
    else:
        pytest.fail("every path on the map is the selected region")
    assert name in names, f"tooltip name {name!r} is not an Indiana economic growth region"

    paths.nth(index).dispatch_event("click")
    page.wait_for_url(lambda url: query_of(url).get("region") not in (None, "2"), timeout=30_000)
    wait_for_app(page)
    frame, _ = map_frame(page)
    screenshot(page, artifacts, "map-after-click")

    assert query_of(page.url)["region"] == names[name]
    assert sidebar_select(page, "Region") == name
    assert query_of(share_link(page))["region"] == names[name]
    # the redrawn map outlines the clicked region (weight 3, drawn on top of its neighbours) and no longer the old one
    outlined = frame.locator('path.leaflet-interactive[stroke-width="3"]')
    assert outlined.count() == 1
    outlined.dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible")
    assert re.search(r"Region\s+(.+)", tooltip.inner_text()).group(1).strip() == name
    assert exceptions(page) == []


def test_downloads_produce_files(app_server, page, artifacts, tmp_path):
    open_app(page, f"{app_server}/?page=region-profile&{EGR_QUERY}")

    def download(label: str):
        button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label).locator("button")
        button.scroll_into_view_if_needed()
        with page.expect_download() as info:
            button.click()
        dl = info.value
        assert dl.failure() is None, dl.failure()
        target = tmp_path / dl.suggested_filename
        dl.save_as(target)
        wait_for_app(page)  # a download button reruns the app
        return dl.suggested_filename, target.read_bytes()

    name, body = download("Printable brief (HTML)")
    (artifacts / name).write_bytes(body)
    text = body.decode("utf-8")
    assert name.endswith(".html")
    assert re.match(r"\s*(<!doctype html|<html)", text, re.IGNORECASE), text[:200]
    assert EGR2 in text

    name, body = download("Candidate sectors (CSV)")
    (artifacts / name).write_bytes(body)
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows, "the CSV has no rows"
    assert "sector" in rows[0], f"no sector column: {list(rows[0])}"
    assert all(r["sector"] for r in rows)
    assert exceptions(page) == []


def test_junk_link_shows_notices_and_runs_nothing(app_server, page, traffic, artifacts):
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    frame = open_app(
        page, f"{app_server}/?state=%3Cscript%3Ealert(1)%3C/script%3E&region=../../etc/passwd", with_map=True
    )
    page.wait_for_timeout(500)  # give a would-be script a moment to run
    screenshot(page, artifacts, "junk-link")

    alerts = page.locator('[data-testid="stAlert"]')
    texts = alerts.all_inner_texts()
    assert alerts.count() >= 2, texts
    assert page.locator('[data-testid="stAlertContainer"]').count() >= 2
    assert any("state" in t and "<script>alert(1)</script>" in t for t in texts), texts  # shown as text, not markup
    assert any("region" in t and "../../etc/passwd" in t for t in texts), texts
    assert exceptions(page) == []
    assert page.locator('[data-testid="stMain"] script, [data-testid="stSidebar"] script').count() == 0
    assert frame.locator("path.leaflet-interactive").count() > 0, "the fallback view draws its map"
    # the link is rewritten to the valid defaults
    assert query_of(page.url)["state"] == "IN" and query_of(page.url)["region"] != "../../etc/passwd"
    assert dialogs == [], f"the link opened JavaScript dialogs: {dialogs}"
    assert traffic.refused == []


def gap_notes(page) -> list[str]:
    """The notes on regions without figures: one folded line over the map, opened to read the whole note."""
    notes = page.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(
        has=page.locator('[data-testid="stExpanderIcon"], [data-testid="stIconMaterial"]')
    )
    out = []
    for i in range(notes.count()):
        note = notes.nth(i)
        note.locator("summary").click()
        out.append(note.inner_text())
    return out


def test_missing_figures_are_named_grey_and_na(app_server, page, traffic, artifacts):
    """Regions without a figure: a note names them, the map draws them grey, the tooltip says n/a (never 0)."""
    frame = open_app(
        page, f"{app_server}/?page=workforce-map&state=CT&scheme=county&region=09110&industry=healthcare", with_map=True
    )
    screenshot(page, artifacts, "missing-connecticut")
    notes = gap_notes(page)
    assert any("8 regions of 17" in t and "Fairfield County, CT" in t and "no boundary" in t for t in notes), notes
    assert frame.locator("path.leaflet-interactive").count() == 9, "Connecticut's nine planning regions are drawn"
    assert exceptions(page) == []

    frame = open_app(
        page,
        f"{app_server}/?page=workforce-map&state=PR&scheme=county&region=72001&industry=healthcare"
        "&indicator=poverty_rate",
        with_map=True,
    )
    screenshot(page, artifacts, "missing-puerto-rico-poverty")
    notes = gap_notes(page)
    assert any("poverty" in t.lower() and "any region shown" in t for t in notes), notes
    paths = frame.locator("path.leaflet-interactive")
    fills = set(paths.evaluate_all("ps => ps.map(p => p.getAttribute('fill'))"))
    assert {f.lower() for f in fills} == {NO_DATA}, fills
    paths.first.dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible")
    assert re.search(r"People in poverty.*\bn/a\b", tooltip.inner_text(), re.IGNORECASE | re.DOTALL), (
        tooltip.inner_text()
    )
    assert exceptions(page) == []
    assert traffic.refused == []


def test_clicking_a_region_again_after_choosing_another_in_the_sidebar(app_server, page, artifacts):
    """Click region X, pick the first region back in the sidebar, click X again: X is selected again."""
    frame = open_app(page, f"{app_server}/?{EGR_QUERY}", with_map=True)
    widths = frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('stroke-width'))")
    index = next(i for i, w in enumerate(widths) if w != "3")

    def click(i: int) -> None:
        frame, _ = map_frame(page)
        old = query_of(page.url)["region"]
        frame.locator("path.leaflet-interactive").nth(i).dispatch_event("click")
        page.wait_for_url(lambda url: query_of(url).get("region") != old, timeout=30_000)
        wait_for_app(page)

    click(index)
    clicked = query_of(page.url)["region"]
    assert clicked != "2"

    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Region", exact=True)
    box.click()
    box.fill(EGR2)
    page.get_by_role("option", name=EGR2, exact=True).click()
    page.wait_for_url(lambda url: query_of(url).get("region") == "2", timeout=30_000)
    wait_for_app(page)

    click(index)
    screenshot(page, artifacts, "map-click-again")
    assert query_of(page.url)["region"] == clicked
    assert exceptions(page) == []


def test_upload_limit_is_the_validators(app_server, page, artifacts):
    """The browser refuses a file one byte over the limit itself; a file of exactly the limit reaches the validator,
    which judges its content, not its size (tests/test_upload_limit.py: the same limit in the config and the text)."""
    from dashboard.analysis.uploads import MAX_UPLOAD_BYTES

    open_app(page, f"{app_server}/?page=custom-regions&{EGR_QUERY}")
    uploader = page.locator('[data-testid="stFileUploader"]')
    uploader.locator('input[type="file"]').set_input_files(
        {"name": "over.csv", "mimeType": "text/csv", "buffer": b"x" * (MAX_UPLOAD_BYTES + 1)}
    )
    uploader.get_by_text(re.compile(r"must be 10(\.0)?\s?MB or smaller", re.IGNORECASE)).wait_for()
    screenshot(page, artifacts, "upload-over-the-limit")
    assert page.locator('[data-testid="stAlert"]').filter(has_text="over.csv").count() == 0, "it never reached the app"

    uploader.locator('input[type="file"]').set_input_files(
        {"name": "at-limit.csv", "mimeType": "text/csv", "buffer": b"x" * MAX_UPLOAD_BYTES}
    )
    wait_for_app(page)
    error = page.locator('[data-testid="stAlert"]').filter(has_text="cannot be read as CSV")
    error.wait_for()
    screenshot(page, artifacts, "upload-at-the-limit")
    assert "MB" not in error.inner_text()
    assert exceptions(page) == []


def test_the_navigation_menu_keeps_every_page_at_the_root_address(app_server, page, artifacts):
    """A page chosen in the navigation menu (or reached by its own path) is shown at the root address with its
    page parameter, so the address bar and the share link both reopen it, on a fresh server too."""
    open_app(page, f"{app_server}/?{EGR_QUERY}")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Region profile").click()
    page.wait_for_url(
        lambda url: query_of(url).get("page") == "region-profile" and urlsplit(url).path in ("", "/"), timeout=60_000
    )
    wait_for_app(page)
    screenshot(page, artifacts, "navigation-menu")
    assert page.locator("h1").first.inner_text().strip() == EGR2
    assert query_of(share_link(page))["page"] == "region-profile"
    assert exceptions(page) == []

    # an old link to a page's own path: the same page, moved to the root address
    open_app(page, f"{app_server}/compare?{EGR_QUERY}")
    page.wait_for_url(
        lambda url: query_of(url).get("page") == "compare" and urlsplit(url).path in ("", "/"), timeout=60_000
    )
    assert page.locator("h1").first.inner_text().strip() == "Compare regions"
