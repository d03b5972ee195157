"""Every page in a real browser renders cleanly (no exception, no JavaScript error, no outside request, its
title, its map drawn) and axe-core (the copy axe-playwright-python bundles) finds nothing serious or critical on
it, the map's frame included; text contrast of captions; sidebar selects that show whole names."""

from __future__ import annotations

import pytest

from .conftest import open_app, screenshot
from .test_browser import PAGE_IDS, exceptions

#: Views beyond each page's default: the national map and the combined workforce view (notices and legends).
EXTRA = {
    "industry-map-us": "state=US&scheme=county&region=18097&industry=31-33",
    "workforce-map-bivariate": "page=workforce-map&state=IN&scheme=in-egr&region=2&indicator=bivariate",
    "junk-link-notices": "state=ZZ&region=nowhere&industry=advanced-manufacturing",
}
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page and in every frame of it (the map's frame is same-origin)."""
    script = axe_script()
    for frame in page.frames:
        try:
            frame.evaluate(script)
        except Exception:  # noqa: BLE001 - a frame that went away while injecting has nothing to check
            continue
    return page.evaluate("""() => axe.run(document, {resultTypes: ['violations'], iframes: true}).then(r =>
        r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))""")


def _check(page, artifacts, name: str) -> None:
    screenshot(page, artifacts, f"axe-{name}")
    found = run_axe(page)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in blocking)
    assert exceptions(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_page_renders_with_no_serious_axe_finding(app_server, page, traffic, artifacts, page_id):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    query = (
        "" if page_id == PAGE_IDS[0] else f"page={page_id}&"
    ) + "state=IN&scheme=in-egr&region=2&industry=advanced-manufacturing"
    with_map = page_id in ("industry-map", "workforce-map")
    frame = open_app(page, f"{app_server}/?{query}", with_map=with_map)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").count() >= 1, "the page has no title"
    if with_map:
        assert frame.locator("path.leaflet-interactive").count() > 0
    _check(page, artifacts, page_id)
    assert errors == [], f"JavaScript errors on {page_id}: {errors}"
    assert traffic.refused == [], f"{page_id} asked for outside resources: {traffic.refused}"


@pytest.mark.parametrize("name", list(EXTRA))
def test_no_serious_axe_finding_on_maps_and_notices(app_server, page, artifacts, name):
    open_app(page, f"{app_server}/?{EXTRA[name]}", with_map=True)
    _check(page, artifacts, name)


def test_captions_meet_aa_contrast(app_server, page):
    """Streamlit draws captions at 60% opacity (about 3.8:1 on white); the app's style sheet draws them at 4.5:1 or
    more. Checked on the rendered colour, opacity included."""
    open_app(page, f"{app_server}/?page=data-and-methods&state=IN")
    ratios = page.evaluate("""() => {
        const rgb = s => s.match(/[\\d.]+/g).map(Number);
        const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                           return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        return [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(e => {
            let opacity = 1;
            for (let n = e; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
            const c = rgb(getComputedStyle(e.querySelector('p') || e).color);
            const alpha = (c.length > 3 ? c[3] : 1) * opacity;
            const shown = c.slice(0, 3).map(x => x * alpha + 255 * (1 - alpha));
            return (1.05) / (lum(shown) + 0.05);
        });
    }""")
    assert ratios and min(ratios) >= 4.5, ratios


def test_sidebar_selects_show_whole_names(app_server, page, artifacts):
    open_app(
        page, f"{app_server}/?page=data-and-methods&state=IN&scheme=in-egr&region=11&industry=advanced-manufacturing"
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    for label, text in (
        ("Industry", "Partnership sector: Advanced Manufacturing"),
        ("Region", "Indiana Economic Growth Region 11"),
        ("Regions", "Indiana economic growth regions"),
    ):
        box = sidebar.get_by_role("combobox", name=label, exact=True)
        assert box.input_value() == text
        width, shown = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width <= shown, f"{label}: {text!r} is cut ({width} px in {shown} px)"
    screenshot(page, artifacts, "sidebar-whole-names")
