"""The partnership registry in a real browser: record a partnership and three members through the forms, reload,
and open the partnership's share link in a fresh browser context (a new session): everything is there.

The app server of the browser tests listens on 127.0.0.1, so its one user edits as "local"; its registry is the
test run's own empty SQLite file (tests/conftest.py).
"""

from __future__ import annotations

from .conftest import open_app, screenshot, share_link, wait_for_app
from .test_browser import exceptions, query_of

NAME = "Breathitt Health Careers Partnership"
MEMBERS = [
    ("a regional hospital system", "622"),
    ("a nursing and residential care provider", "623"),
    ("a community health clinic", "621"),
]


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` of the select box labelled ``label`` (type to filter, then Enter)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    assert box.input_value() == option


def _click(page, name: str, then) -> None:
    """Click a form's button and wait until ``then`` (what the run it starts shows) is there."""
    page.get_by_role("button", name=name, exact=True).click()
    then.wait_for(timeout=60_000)
    wait_for_app(page)


def record_through_the_form(page, name: str, phase: str) -> None:
    """Record a partnership of the sidebar's region through the Partnerships page's form; wait for its page."""
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Convener", exact=True).fill("a local workforce development board")
    _choose(page, "Kind of convener", "Workforce board")
    _choose(page, "Phase", phase)
    _click(page, "Record the partnership", then=page.get_by_role("heading", name=name))


def test_record_partnership_with_three_members_then_reopen_by_link(app_server, page, new_context, artifacts):
    open_app(page, f"{app_server}/?page=partnerships&state=KY&scheme=county&region=21025&industry=healthcare")
    record_through_the_form(page, NAME, "active")
    assert exceptions(page) == []
    for organisation, naics in MEMBERS:
        page.get_by_label("Organisation", exact=True).fill(organisation)
        page.get_by_label("NAICS code (employers)", exact=True).fill(naics)
        _click(page, "Add the member", then=page.get_by_text(f"Added {organisation}."))
        assert exceptions(page) == []
    page.reload()
    wait_for_app(page)
    screenshot(page, artifacts, "registry-recorded")
    assert page.get_by_text("3 current members filling 1 seats", exact=False).count() == 1
    link = share_link(page)
    assert query_of(link)["page"] == "partnerships" and query_of(link)["partnership"].isdigit()

    again = new_context().new_page()  # a fresh session with nothing but the link
    open_app(again, link)
    screenshot(again, artifacts, "registry-share-link")
    assert exceptions(again) == []
    assert again.get_by_role("heading", name=NAME).count() == 1
    assert again.get_by_text("Breathitt County, KY", exact=False).count() >= 1
    assert again.get_by_text("3 current members", exact=False).count() == 1
    assert (
        again.get_by_text("Phase: active", exact=False).count() + again.get_by_text("active since", exact=False).count()
        >= 1
    )


def test_coverage_map_draws_every_county(app_server, page, artifacts):
    frame = open_app(
        page, f"{app_server}/?page=coverage&state=KY&scheme=county&region=21025&industry=healthcare", with_map=True
    )
    screenshot(page, artifacts, "registry-coverage")
    assert exceptions(page) == []
    assert frame.locator("path.leaflet-interactive").count() == 120  # Kentucky's counties
    assert page.get_by_text("Healthcare: coverage", exact=True).count() == 1
