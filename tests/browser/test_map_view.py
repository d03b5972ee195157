"""The map in a real browser: the national map's framing (the lower 48 wide, Alaska, Hawaii and Puerto Rico in
boxes), Alaska's own view, the keyboard route past the map, tooltips inside the frame, and a switch that
recolours the drawn regions in place instead of rebuilding the map."""

from __future__ import annotations

from .conftest import map_frame, open_app, screenshot, sidebar_select, wait_for_app
from .test_browser import EGR_QUERY, exceptions, query_of

US_COUNTIES = "state=US&scheme=county&region=18097&industry=31-33"

#: Screen boxes of the regions (interactive paths) and of the inset frames (dashed, not interactive).
BOXES = """() => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {
        regions: [...document.querySelectorAll('path.leaflet-interactive')].map(box),
        frames: [...document.querySelectorAll('path:not(.leaflet-interactive)[stroke-dasharray]')].map(box),
        width: document.querySelector('.leaflet-container').clientWidth,
    };
}"""


def _inside(box, frame) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return frame[0] <= cx <= frame[2] and frame[1] <= cy <= frame[3]


def _extent(boxes) -> tuple[float, float]:
    """Width and height of the union of boxes."""
    return (max(b[2] for b in boxes) - min(b[0] for b in boxes), max(b[3] for b in boxes) - min(b[1] for b in boxes))


def test_the_national_map_shows_the_lower_48_wide_with_alaska_hawaii_and_puerto_rico(
    app_server, page, traffic, artifacts
):
    frame = open_app(page, f"{app_server}/?{US_COUNTIES}", with_map=True)
    screenshot(page, artifacts, "map-national-framing")
    boxes = frame.evaluate(BOXES)
    assert len(boxes["regions"]) == 3222
    assert len(boxes["frames"]) == 3  # Alaska, Hawaii, Puerto Rico
    lower48 = [b for b in boxes["regions"] if not any(_inside(b, f) for f in boxes["frames"])]
    width, height = _extent(lower48)
    # before: the Aleutians stretched the frame round the globe and the lower 48 were about 130 px wide
    assert width > 0.7 * boxes["width"], (width, boxes["width"])
    insets = sorted(boxes["frames"], key=lambda f: f[0])  # west to east: Alaska, Hawaii, Puerto Rico
    for name, box, least in zip(("Alaska", "Hawaii", "Puerto Rico"), insets, (120, 60, 50)):
        inside = [b for b in boxes["regions"] if _inside(b, box)]
        assert inside, f"no region in the {name} box"
        assert _extent(inside)[0] >= least, f"{name} is {_extent(inside)[0]:.0f} px wide"
        assert box[1] >= min(b[1] for b in lower48) - 1 and box[0] >= -1, f"the {name} box is on the map"
    assert exceptions(page) == []
    assert traffic.refused == []


def test_alaska_alone_is_framed_on_alaska(app_server, page, artifacts):
    frame = open_app(page, f"{app_server}/?state=AK&scheme=county&region=02020&industry=31-33", with_map=True)
    screenshot(page, artifacts, "map-alaska")
    boxes = frame.evaluate(BOXES)
    assert boxes["frames"] == []
    width, _ = _extent(boxes["regions"])
    assert width > 0.6 * boxes["width"], (width, boxes["width"])


def test_keyboard_route_skips_the_polygons(app_server, page, artifacts):
    """The map is one labelled stop (plus its zoom buttons); Tab never lands on a region outline, and the sidebar's
    Region list, the keyboard route to a region, comes before it."""
    frame = open_app(page, f"{app_server}/?state=IN&scheme=county&region=18097&industry=31-33", with_map=True)
    iframe = page.locator("iframe").first
    assert "Region list" in (iframe.get_attribute("title") or "")
    container = frame.locator(".leaflet-container")
    assert container.get_attribute("aria-label") and "Region list" in container.get_attribute("aria-label")
    assert frame.evaluate("() => [...document.querySelectorAll('path')].filter(p => p.tabIndex >= 0).length") == 0
    assert frame.evaluate(
        "() => [...document.querySelectorAll('.leaflet-overlay-pane svg')]"
        ".every(s => s.getAttribute('aria-hidden') === 'true')"
    )
    stops, region_list = [], None
    for i in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
            const e = document.activeElement;
            if (e.tagName !== 'IFRAME') return ['page', e.getAttribute('aria-label') || e.tagName];
            const inner = e.contentDocument && e.contentDocument.activeElement;
            return ['map', inner ? inner.tagName.toLowerCase() : ''];
        }""")
        stops.append(where)
        if where == ["page", "Region"] and region_list is None:
            region_list = i
    assert any(s[0] == "map" for s in stops), "the map is reachable by keyboard"
    first = next(i for i, s in enumerate(stops) if s[0] == "map")
    in_map = stops[first : next(i for i in range(first, len(stops)) if stops[i][0] != "map")]  # one pass over the map
    assert len(in_map) <= 5, in_map  # the map itself, its zoom buttons and its credit: not 92 outlines
    assert not any(tag == "path" for _, tag in in_map)
    assert region_list is not None and region_list < stops.index(in_map[0])


def test_tooltip_stays_inside_the_map_at_its_right_edge(app_server, page, artifacts):
    frame = open_app(page, f"{app_server}/?{EGR_QUERY}", with_map=True)
    # a point of the easternmost region, as far east as it goes (in the frame's coordinates)
    x, y = frame.evaluate("""() => {
        const ps = [...document.querySelectorAll('path.leaflet-interactive')];
        const east = ps.reduce((a, b) => b.getBoundingClientRect().right > a.getBoundingClientRect().right ? b : a);
        const r = east.getBoundingClientRect();
        for (let dy = 0; dy < r.height / 2; dy += 2) {
            for (const y of [r.top + r.height / 2 + dy, r.top + r.height / 2 - dy]) {
                for (let x = r.right - 1; x > r.left; x -= 1) {
                    if (document.elementFromPoint(x, y) === east) return [x - 2, y];
                }
            }
        }
        return [r.left + r.width / 2, r.top + r.height / 2];
    }""")
    origin = page.locator("iframe").first.bounding_box()
    page.mouse.move(origin["x"] + x - 20, origin["y"] + y)
    page.mouse.move(origin["x"] + x, origin["y"] + y)
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible")
    screenshot(page, artifacts, "map-tooltip-right-edge")
    width = frame.evaluate("() => document.querySelector('.leaflet-container').clientWidth")
    rect = tooltip.evaluate("t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; }")
    assert 0 <= rect[0] and rect[1] <= width, (rect, width)


def test_a_switch_recolours_the_drawn_map_in_place(app_server, page, artifacts):
    """Clicking a region or choosing another industry keeps the map frame (no reload of Leaflet or the outlines):
    only the colours, tooltips and the outline of the selected region change."""
    frame = open_app(page, f"{app_server}/?{EGR_QUERY}", with_map=True)
    frame.evaluate("() => { window.__kept = true; }")
    fills = frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Industry", exact=True)
    box.click()
    box.fill("52 Finance and insurance")
    page.get_by_role("option", name="52 Finance and insurance", exact=True).click()
    page.wait_for_url(lambda url: query_of(url).get("industry") == "52", timeout=60_000)
    wait_for_app(page)
    frame, _ = map_frame(page)
    assert frame.evaluate("() => window.__kept === true"), "the map frame was rebuilt"
    assert frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))") != fills
    other = next(
        i
        for i, w in enumerate(
            frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('stroke-width'))")
        )
        if w != "3"
    )
    frame.locator("path.leaflet-interactive").nth(other).dispatch_event("click")
    page.wait_for_url(lambda url: query_of(url).get("region") != "2", timeout=60_000)
    wait_for_app(page)
    frame, _ = map_frame(page)
    assert frame.evaluate("() => window.__kept === true")
    assert frame.locator("path.leaflet-interactive").nth(other).get_attribute("stroke-width") == "3"
    assert sidebar_select(page, "Region") != "Indiana Economic Growth Region 2"
    screenshot(page, artifacts, "map-in-place")
    assert exceptions(page) == []
