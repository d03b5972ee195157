"""The map as the browser gets it: framing (insets, the antimeridian), the compact encoding, the payload,
the styles sent per run, and names that stay text."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import shapely

from dashboard.analysis import measures, regions
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data
from dashboard.maps import framing
from dashboard.maps import layer as map_layer

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def us_counties():
    view = map_data.view_regions("county", map_data.US)
    return view, map_data.view_geometry("county", map_data.US, view)


@pytest.fixture(scope="module")
def in_counties():
    view = map_data.view_regions("county", "18")
    return view, map_data.view_geometry("county", "18", view)


def _shapes(view, geo, national):
    return map_layer.region_shapes(geo, {r.id: r.name for r in view}, national=national)


def _decode(shapes: map_layer.Shapes) -> list[list[list[np.ndarray]]]:
    data = json.loads(shapes.geometry)
    return [
        [[map_layer.decode_ring(r, data["s"], tuple(data["o"])) for r in poly] for poly in feat] for feat in data["f"]
    ]


def _sent(page: str) -> dict:
    """The styles group's payload as the rendered page hands it to the drawn regions."""
    start = page.index("sectorAtlas.update(") + len("sectorAtlas.update(")
    payload, _ = json.JSONDecoder().raw_decode(page[start:])
    return payload


def _payload_bytes(shapes: map_layer.Shapes, payload: dict) -> int:
    """Bytes of the arguments streamlit-folium hands the browser for this map (as bench/app_bench.py counts)."""
    import streamlit_folium as sf

    m = map_layer.base_map(shapes, maps.LEAFLET_JS, maps.LEAFLET_CSS)
    m.get_root().render()
    m.render()
    args = {
        "script": sf._get_map_string(m),
        "header": sf._get_header(m),
        "html": sf._get_html(m),
        "feature_group": sf._get_feature_group_string(map_layer.styles_group(payload), map=m),
    }
    return len(json.dumps(args).encode())


# -- framing ------------------------------------------------------------------------------------------


def test_the_national_map_opens_on_the_lower_48_and_its_insets(us_counties):
    view, geo = us_counties
    assert geo.total_bounds[0] < -179 and geo.total_bounds[2] > 179  # the Aleutians: a frame round the globe
    framed, frames = framing.frame(geo, national=True)
    west, south, east, north = framing.bounds(framed, frames)
    assert set(frames) == {"Alaska", "Hawaii", "Puerto Rico"}
    assert -126 < west and east < -66 and 18 < south and north < 50  # the lower 48 and the boxes below them
    assert (east - west) < 60
    # every region of Alaska, Hawaii and Puerto Rico lies in its box; nothing else moved
    fips = framed["region_id"].str[:2]
    for code, name in (("02", "Alaska"), ("15", "Hawaii"), ("72", "Puerto Rico")):
        bw, bs, be, bn = frames[name]
        x0, y0, x1, y1 = shapely.total_bounds(framed.geometry[fips == code].values)
        assert bw <= x0 and x1 <= be and bs <= y0 and y1 <= bn, name
        assert x1 - x0 > 0.4 * (be - bw), f"{name} fills its box"
    others = fips.isin(["02", "15", "72"])
    assert shapely.equals(framed.geometry[~others].values, geo.geometry[~others].values).all()


def test_alaska_alone_is_framed_on_alaska():
    view = map_data.view_regions("county", "02")
    geo = map_data.view_geometry("county", "02", view)
    framed, frames = framing.frame(geo, national=False)
    west, south, east, north = framing.bounds(framed, frames)
    assert frames == {}
    assert -190 < west < -180 and -131 < east < -129  # whole across the antimeridian, 60 degrees not 360
    assert 51 < south and north < 72


def test_inset_of():
    assert framing.inset_of(-150.0, 61.0) == "AK" and framing.inset_of(-185.0, 52.0) == "AK"
    assert framing.inset_of(-157.8, 21.3) == "HI"
    assert framing.inset_of(-66.1, 18.4) == "PR"
    assert framing.inset_of(-86.1, 39.8) is None and framing.inset_of(-122.3, 47.6) is None


# -- encoding -----------------------------------------------------------------------------------------


def test_rings_round_trip_within_half_a_step():
    ring = np.array([[-86.1234, 39.7654], [-86.1, 39.7], [-86.1001, 39.70004], [-86.2, 39.8], [-86.1234, 39.7654]])
    flat = map_layer.encode_ring(ring, 0.001, (-87, 39))
    back = map_layer.decode_ring(flat, 0.001, (-87, 39))
    assert len(back) == 4  # the point that rounds onto the one before it is left out
    assert np.abs(back - ring[[0, 1, 3, 4]]).max() <= 0.0005 + 1e-12
    assert flat.dtype.kind == "i"


def test_state_shapes_decode_to_the_regions(in_counties):
    view, geo = in_counties
    shapes = _shapes(view, geo, national=False)
    assert len(shapes.ids) == 92 and shapes.frames == {}
    names = dict(zip(shapes.ids, shapes.names))
    assert names["18097"] == "Marion County, IN"
    for rid, feature, geom in zip(shapes.ids, _decode(shapes), geo.geometry.values):
        polys = [shapely.Polygon(rings[0], rings[1:]) for rings in feature]
        assert shapely.hausdorff_distance(shapely.MultiPolygon(polys), geom) < 0.0002, rid


def test_national_payload_is_under_700_kb(us_counties):
    view, geo = us_counties
    shapes = _shapes(view, geo, national=True)
    assert len(shapes.ids) == 3222
    year = measures.resolve_year(None)
    measure = maps.industry_measures(year)["lq"]
    table = map_data.industry_table(view, "31-33", year)
    texts = dict(zip(table["region_id"], table.apply(lambda r: maps.value_text(r, measure), axis=1)))
    payload = map_layer.style_payload(
        shapes, maps.fills(table, maps.classify(table, measure)), texts, measure.label, "18097"
    )
    assert _payload_bytes(shapes, payload) < 700_000


def test_state_payload_is_under_100_kb(in_counties):
    view, geo = in_counties
    shapes = _shapes(view, geo, national=False)
    payload = map_layer.style_payload(shapes, {}, {}, "LQ", "18097")
    assert _payload_bytes(shapes, payload) < 100_000


# -- styles -------------------------------------------------------------------------------------------


def test_style_payload_dedupes_styles_and_marks_the_selection(in_counties):
    view, geo = in_counties
    shapes = _shapes(view, geo, national=False)
    fills = {rid: ("#e66101", 0.85) if i % 2 else ("#5e3c99", 0.35) for i, rid in enumerate(shapes.ids[:-1])}
    fills[shapes.ids[0]] = {"fillColor": "#123456", "fillOpacity": 0.5, "dashArray": "2 2"}  # path options pass through
    texts = {rid: f"value {i}" for i, rid in enumerate(shapes.ids)}
    payload = map_layer.style_payload(shapes, fills, texts, "LQ", "18097")
    assert len(payload["style"]) == len(payload["texts"]) == 92
    assert len(payload["styles"]) == 4  # the two fills, the dict, and no data for the last region
    assert payload["styles"][payload["style"][-1]]["fillColor"] == maps.NO_DATA
    assert payload["styles"][payload["style"][0]]["dashArray"] == "2 2"
    assert payload["selected"] == shapes.ids.index("18097")
    assert map_layer.style_payload(shapes, fills, texts, "LQ", "nowhere")["selected"] == -1


def test_the_page_colours_each_region_by_its_class_with_its_value_as_tooltip(in_counties):
    """Indiana's counties by advanced manufacturing LQ: every region's fill in the rendered page is its class's
    colour at the opacity of how the class is known, its tooltip the value text, Marion County selected."""
    view, geo = in_counties
    shapes = _shapes(view, geo, national=False)
    year = measures.resolve_year(None)
    measure = maps.industry_measures(year)["lq"]
    table = map_data.industry_table(view, "advanced-manufacturing", year)
    classes = maps.classify(table, measure)
    texts = dict(zip(table["region_id"], table.apply(lambda r: maps.value_text(r, measure), axis=1)))
    m = map_layer.base_map(shapes, maps.LEAFLET_JS, maps.LEAFLET_CSS)
    map_layer.styles_group(
        map_layer.style_payload(shapes, maps.fills(table, classes), texts, measure.label, "18097")
    ).add_to(m)
    sent = _sent(m.get_root().render())
    rows = table.set_index("region_id")
    position = dict(zip(table["region_id"], range(len(table))))
    assert set(shapes.ids) == set(table["region_id"]) and len(shapes.ids) == 92
    for i, rid in enumerate(shapes.ids):
        k = position[rid]
        color, opacity = classes.fill(int(classes.index.iloc[k]), classes.status.iloc[k])
        style = sent["styles"][sent["style"][i]]
        assert (style["fillColor"], style["fillOpacity"]) == (color, opacity), rid
        assert sent["texts"][i] == maps.value_text(rows.loc[rid], measure), rid
    marion = shapes.ids.index("18097")
    assert sent["selected"] == marion and sent["label"] == measure.label
    assert sent["texts"][marion] == maps.value_text(rows.loc["18097"], measure)
    assert set(classes.status) >= {"published"} and len({sent["styles"][j]["fillColor"] for j in sent["style"]}) > 1


# -- text stays text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [XSS, "</script><script>alert(1)</script>", "a & b <!-- c", "{{'x'}}", "line\u2028sep", 'quo"te']
)
def test_js_value_cannot_close_the_script_and_reads_back(text):
    literal = map_layer.js_value([text, {"k": text}])
    assert "<" not in literal and ">" not in literal and "{{" not in literal.replace('{"', "")
    assert json.loads(literal) == [text, {"k": text}]


def test_rendered_map_carries_names_as_text_only():
    region = regions.custom_region(["18039", "18141"], name=XSS)
    geo = map_data.view_geometry("custom", "18", (region,))
    shapes = map_layer.region_shapes(geo, {region.id: region.name}, national=False)
    payload = map_layer.style_payload(shapes, {}, {region.id: "<img src=x onerror=alert(2)>"}, "<b>LQ</b>", region.id)
    m = map_layer.base_map(shapes, maps.LEAFLET_JS, maps.LEAFLET_CSS)
    map_layer.styles_group(payload).add_to(m)
    page = m.get_root().render()
    assert XSS not in page and "<img" not in page and "<b>LQ</b>" not in page
    assert "innerHTML" not in page and "textContent" in page
    names = re.search(r"names = (\[.*?\]), frames", page).group(1)
    assert json.loads(names) == [XSS]


def test_the_map_loads_only_leaflet(in_counties):
    view, geo = in_counties
    m = map_layer.base_map(_shapes(view, geo, national=False), maps.LEAFLET_JS, maps.LEAFLET_CSS)
    assert maps.external_links(m) == [maps.LEAFLET_JS, maps.LEAFLET_CSS]
    page = m.get_root().render()
    fetched = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert sorted(fetched) == sorted([maps.LEAFLET_JS, maps.LEAFLET_CSS])


def test_the_largest_regions_are_named_on_the_map_without_overlaps():
    """Kentucky's commuting zones: up to a dozen short names, each inside its region, none over another."""
    import shapely

    from dashboard.maps import data as map_data

    view = map_data.view_regions("cz", "21")
    geo = map_data.view_geometry("cz", "21", view)
    shapes = map_layer.region_shapes(geo, {r.id: r.name for r in view}, False)
    assert 3 <= len(shapes.labels) <= map_layer.MAX_LABELS
    by_short = {map_layer.short_name(n): i for i, n in enumerate(shapes.names)}
    west, south, east, north = shapes.bounds
    boxes = []
    for text, lon, lat in shapes.labels:
        assert text in by_short and "," not in text
        geom = geo.set_index("region_id").geometry[shapes.ids[by_short[text]]]
        assert geom.buffer(1e-6).contains(shapely.Point(lon, lat))
        boxes.append((lon, lat, text))
    assert map_layer.short_name("Harlan County, KY area") == "Harlan"
    assert map_layer.short_name("Indiana Economic Growth Region 2") == "Region 2"
    # the names reach the page as JSON text and are set with textContent, never as markup
    assert "el.textContent = l[0]" in map_layer.BASE_SCRIPT
