"""What a room sees on a projector, at 1280 x 720: the legend on the first screen, charts whose labels never
overlap, the scheme switch keeping the place, and a brief with a map that prints on at most two pages."""

from __future__ import annotations

import re

import pytest

from dashboard.analysis.regions import resolve_region
from dashboard.report import brief
from dashboard.report.profile import region_profile

from .conftest import open_app, screenshot, sidebar_select, wait_for_app

PROJECTOR = {"width": 1280, "height": 720}
HARLAN = "state=KY&scheme=county&region=21095&industry=healthcare"
COLUMBUS = "state=OH&scheme=cbsa&region=18140&industry=healthcare"


@pytest.fixture
def projector(page):
    page.set_viewport_size(PROJECTOR)
    return page


def test_the_legend_is_on_the_first_screen(projector, app_server, artifacts):
    open_app(projector, f"{app_server}/?{HARLAN}", with_map=True)
    screenshot(projector, artifacts, "projector-industry-map")
    legend = projector.locator(".atlas-legend").first.bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= PROJECTOR["height"], legend
    how = projector.get_by_text("How to read this:").first.bounding_box()
    assert how is not None and how["y"] < PROJECTOR["height"], how
    frame = projector.locator("iframe").first.bounding_box()  # the map starts on the first screen too
    assert frame is not None and frame["y"] < PROJECTOR["height"] / 3, frame


def _label_boxes(page) -> list[list[dict]]:
    """Per chart on the page: the boxes of its text labels (Vega draws them as SVG text)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')).map(svg =>
            Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim() &&
                getComputedStyle(t).opacity !== '0').map(t => {
                const b = t.getBoundingClientRect();
                return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
            }).filter(b => b.w > 0 && b.h > 0))"""
    )


def _overlaps(boxes: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] + a["w"] - slack > b["x"]
                and b["x"] + b["w"] - slack > a["x"]
                and a["y"] + a["h"] - slack > b["y"]
                and b["y"] + b["h"] - slack > a["y"]
            ):
                out.append((a["text"], b["text"]))
    return out


@pytest.mark.parametrize("query", [HARLAN, COLUMBUS], ids=["harlan", "columbus"])
def test_no_two_chart_labels_overlap_on_a_profile(projector, app_server, artifacts, query):
    open_app(projector, f"{app_server}/?page=region-profile&{query}")
    # every folded section open, so the charts in them are drawn and measured too: clicked in one go in the
    # page (Playwright's own click scrolls to each of the 30-odd sections and waits for it to settle: 30 s)
    sections = projector.locator('[data-testid="stMain"] [data-testid="stExpander"]')
    opened = sections.locator("summary").evaluate_all("summaries => summaries.map(s => s.click()).length")
    assert opened == sections.locator("details[open]").count() == sections.count() > 0
    projector.wait_for_timeout(2000)  # charts finish drawing after the run
    screenshot(projector, artifacts, f"projector-profile-{query.split('region=')[1].split('&')[0]}")
    charts = _label_boxes(projector)
    assert len(charts) >= 2, "the profile draws its charts as SVG"
    for boxes in charts:
        overlapping = _overlaps(boxes)
        assert overlapping == [], (overlapping, [b for b in boxes if any(b["text"] in o for o in overlapping)])
    # no chart runs past its column
    width = projector.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().right")
    for boxes in charts:
        assert all(b["x"] + b["w"] <= width + 1 for b in boxes), [b["text"] for b in boxes if b["x"] + b["w"] > width]


def test_the_scheme_switch_lands_on_harlan_county_s_commuting_zone(projector, app_server):
    open_app(projector, f"{app_server}/?page=region-profile&{HARLAN}")
    sidebar = projector.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Regions", exact=True).click()
    projector.get_by_role("option", name="Commuting zones").click()
    wait_for_app(projector)
    assert sidebar_select(projector, "Region") == "Harlan County, KY area"
    assert "21095" in resolve_region("cz", re.search(r"region=(\w+)", projector.url).group(1)).counties


def test_elkhart_brief_has_a_map_and_prints_on_at_most_two_pages(browser, tmp_path, artifacts):
    region = resolve_region("county", "18039")
    path = tmp_path / "brief.html"
    path.write_text(brief.brief_html(region_profile(region, state="18"), brief.brief_comparisons(region, "18")))
    context = browser.new_context(viewport=PROJECTOR)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        assert page.locator("svg.locator-map path").count() > 90
        page.emulate_media(media="print")
        page.screenshot(path=str(artifacts / "projector-brief.png"))
        for paper in ("Letter", "A4"):
            pdf = page.pdf(format=paper)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            assert 1 <= pages <= 2, (paper, pages)
    finally:
        context.close()
