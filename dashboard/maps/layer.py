"""The choropleth as the browser gets it: the view's regions drawn once, their colours and tooltips updated in place.

A map has two parts (see :func:`base_map` and :func:`styles_group`):

* the **base map**: Leaflet, the view's frame, and every region's outline, name and id in a
  compact encoding (coordinates quantised to a grid step, each ring as whole-number steps
  from the point before). It depends only on the view (state, scheme, custom regions), so
  streamlit-folium keeps the same map frame while the user clicks regions, changes the
  industry, the measure or the year: nothing is rebuilt in the browser.
* the **styles group** (streamlit-folium's ``feature_group_to_add``): each region's fill and
  tooltip text, and which region is selected. It is small, and it restyles the drawn
  regions in place.

Names and values reach the page as JSON strings and are set as text (``textContent``),
never parsed as HTML: a region name from an upload cannot become markup. The JSON is
also written so that it cannot close the script it sits in.

Keyboard and screen readers: the map frame is one stop in the tab order (Leaflet's
arrow-key panning and +/- zoom), with an accessible name; the region outlines are kept
out of the tab order and out of the accessibility tree. The keyboard route to a region
is the Region list in the sidebar; the ranked table under the map gives every region's figure.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from dashboard.maps import framing

#: Grid step of the quantised coordinates, in degrees: the national map is drawn from the national
#: simplification of the boundaries (about 1 km), a state map from the finer one.
STEP_NATIONAL = 0.001
STEP_STATE = 0.0001
OUTLINE = "#5a5a5a"
SELECTED = "#000000"
NO_DATA = "#b3b3b3"  # classes.NO_DATA
#: Leaflet path options of a region (before its fill), of the selected region and of the hovered one.
BASE_STYLE = {"color": OUTLINE, "weight": 0.5, "fillColor": NO_DATA, "fillOpacity": 0.85}
SELECTED_STYLE = {"color": SELECTED, "weight": 3}
HOVER_STYLE = {"color": SELECTED, "weight": 2}
FRAME_STYLE = {"color": "#8c8c8c", "weight": 1, "fill": False, "interactive": False, "dashArray": "4 3"}
#: What the map frame is called for screen readers, and where keyboard users choose a region.
MAP_NAME = (
    "Map of the regions of this view, coloured by the measure in the legend below. To choose a region "
    "with the keyboard, use the Region list in the sidebar; the table under the map gives every region's figure."
)


def js_value(value) -> str:
    """``value`` (str, number, bool, None, list, tuple, dict) as a JavaScript literal that is safe inside a
    ``<script>`` element and inside the templates streamlit-folium rewrites: in strings, ``<``, ``>``, ``&``,
    braces and the Unicode line separators are escaped (JSON escapes, so the value reads back unchanged)."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escaped in (
            ("<", "\\u003c"),
            (">", "\\u003e"),
            ("&", "\\u0026"),
            ("{", "\\u007b"),
            ("}", "\\u007d"),
            ("\u2028", "\\u2028"),
            ("\u2029", "\\u2029"),
        ):
            text = text.replace(char, escaped)
        return text
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return json.dumps(float(value)) if math.isfinite(value) else "null"
    if isinstance(value, dict):
        return "{" + ",".join(f"{js_value(str(k))}:{js_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_value(v) for v in value) + "]"
    raise TypeError(f"no JavaScript literal for {type(value).__name__}")


def _ints(values: np.ndarray) -> str:
    return "[" + ",".join(map(str, values.tolist())) + "]"


def encode_ring(coords: np.ndarray, step: float, origin: tuple[float, float]) -> np.ndarray:
    """A ring as whole grid steps: the first point from ``origin``, every other from the point before it
    (repeated points left out, so shared borders stay shared). Flat ``[x0, y0, dx1, dy1, ...]``."""
    q = np.round((np.asarray(coords, dtype="float64")[:, :2] - origin) / step).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    q = q[keep]
    return np.vstack([q[:1], np.diff(q, axis=0)]).ravel()


def decode_ring(flat, step: float, origin: tuple[float, float]) -> np.ndarray:
    """The inverse of :func:`encode_ring` (what the browser does): ``(n, 2)`` longitude, latitude."""
    q = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0)
    return q * step + np.asarray(origin)


@dataclass(frozen=True)
class Shapes:
    """The regions of a view as the base map draws them (built once per view and cached)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    geometry: str  # JavaScript literal: {"s": step, "o": [lon, lat], "f": [[polygon [ring [ints]]]]}
    bounds: tuple[float, float, float, float]  # what the map opens on (west, south, east, north)
    frames: dict = field(default_factory=dict)  # inset name -> box, outlined on the national map
    national: bool = False
    #: Names written on the map: (short name, lon, lat) of the largest regions that have room (:func:`place_labels`).
    labels: tuple[tuple[str, float, float], ...] = ()

    @property
    def size(self) -> int:
        """Characters of the encoded geometry."""
        return len(self.geometry)


def region_shapes(geo, names: dict[str, str], national: bool) -> Shapes:
    """Encode the view's regions (``geo``: region_id, geometry in degrees) with their names, framed by
    :func:`dashboard.maps.framing.frame` (insets on the national map)."""
    import shapely

    framed, frames = framing.frame(geo, national)
    step = STEP_NATIONAL if national else STEP_STATE
    bounds = framing.bounds(framed, frames)
    origin = (math.floor(bounds[0]), math.floor(bounds[1]))
    features = []
    for geom in framed.geometry.values:
        polygons = shapely.get_parts(geom) if geom is not None else []
        rings = []
        for poly in polygons:
            parts = [poly.exterior, *poly.interiors]
            rings.append("[" + ",".join(_ints(encode_ring(np.asarray(r.coords), step, origin)) for r in parts) + "]")
        features.append("[" + ",".join(rings) + "]")
    geometry = f'{{"s":{step!r},"o":[{origin[0]},{origin[1]}],"f":[{",".join(features)}]}}'
    ids = tuple(str(i) for i in framed["region_id"])
    full = tuple(str(names.get(i, i)) for i in ids)
    labels = place_labels(framed.geometry.values, full, bounds)
    return Shapes(ids, full, geometry, bounds, frames, national, labels)


#: Place names on a map: at most this many, in type of this size (pixels), for a map about this big (pixels).
MAX_LABELS = 12
LABEL_PX = (7.0, 16)
MAP_PX = (640, 470)


def short_name(name: str) -> str:
    """A region's name as the map writes it: "Harlan County, KY area" -> "Harlan"; "Indiana Economic Growth
    Region 2" -> "Region 2"."""
    text = name.split(",")[0].strip()
    for prefix in ("Indiana Economic Growth ",):
        text = text.removeprefix(prefix)
    for suffix in (" County", " Parish", " Borough", " Census Area", " Planning Region", " Municipio"):
        text = text.removesuffix(suffix)
    return text


def place_labels(geoms, names: tuple[str, ...], bounds) -> tuple[tuple[str, float, float], ...]:
    """The largest regions' short names at a point inside each, where the name fits inside its region and no
    two names overlap on a map of :data:`MAP_PX` fitted to ``bounds``; at most :data:`MAX_LABELS`."""
    import shapely

    west, south, east, north = bounds
    kx = math.cos(math.radians((south + north) / 2))
    scale = min(MAP_PX[0] / max((east - west) * kx, 1e-9), MAP_PX[1] / max(north - south, 1e-9))
    char_w, line_h = LABEL_PX
    order = sorted(range(len(names)), key=lambda i: -(geoms[i].area if geoms[i] is not None else 0.0))
    placed, boxes = [], []
    for i in order:
        geom = geoms[i]
        if geom is None or geom.is_empty or len(placed) >= MAX_LABELS:
            continue
        text = short_name(names[i])
        point = shapely.point_on_surface(geom)
        x, y = (point.x - west) * kx * scale, (north - point.y) * scale
        w, h = char_w * len(text) + 6, line_h
        gx0, gy0, gx1, gy1 = geom.bounds
        if w > (gx1 - gx0) * kx * scale * 1.3 or h > (gy1 - gy0) * scale * 1.3:
            continue  # the name would hide its neighbours: the tooltip names a small region
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        placed.append((text, round(point.x, 4), round(point.y, 4)))
    return tuple(placed)


def path_style(fill) -> dict:
    """Leaflet path options of a region from its fill: ``(colour, opacity)`` or a dict of path options."""
    if isinstance(fill, dict):
        return {**BASE_STYLE, **fill}
    color, opacity = fill
    return {**BASE_STYLE, "fillColor": color, "fillOpacity": opacity}


def style_payload(shapes: Shapes, fill_of: dict, texts: dict[str, str], value_label: str, selected: str | None) -> dict:
    """What the styles group sends: the distinct styles, each region's style (by position in ``shapes.ids``),
    its tooltip text, the value's label and the selected region's position (-1: none)."""
    styles: dict[str, int] = {}
    table = []
    index = []
    for rid in shapes.ids:
        style = path_style(fill_of.get(rid, (NO_DATA, 0.85)))
        key = json.dumps(style, sort_keys=True)
        if key not in styles:
            styles[key] = len(table)
            table.append(style)
        index.append(styles[key])
    position = shapes.ids.index(selected) if selected in shapes.ids else -1
    return {
        "styles": table,
        "style": index,
        "texts": [str(texts.get(rid, "n/a")) for rid in shapes.ids],
        "label": str(value_label),
        "selected": position,
    }


# --- folium elements ---------------------------------------------------------------------------------

#: Decoding, drawing and restyling, run once per map frame. ``window.sectorAtlas.update`` restyles in place.
BASE_SCRIPT = """
(function () {
  var map = %(map)s;
  var geo = %(geometry)s, ids = %(ids)s, names = %(names)s, frames = %(frames)s, labels = %(labels)s;
  var base = %(base)s, hover = %(hover)s, chosenStyle = %(selected_style)s;
  var group = L.featureGroup();
  var layers = [], outline = null, clicks = 0;
  var state = {styles: [base], style: [], texts: [], label: "", selected: -1};
  function ring(r) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < r.length; i += 2) {
      x += r[i]; y += r[i + 1];
      out.push([geo.o[1] + y * geo.s, geo.o[0] + x * geo.s]);
    }
    return out;
  }
  function styleOf(i) {
    var s = state.styles[state.style[i]] || base;
    return i === state.selected ? Object.assign({}, s, chosenStyle) : s;
  }
  function row(table, head, text) {
    var tr = document.createElement("tr"), th = document.createElement("th"), td = document.createElement("td");
    th.textContent = head; td.textContent = text;
    tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
  }
  function tooltip(layer) {
    var table = document.createElement("table");
    row(table, "Region", names[layer._atlasIndex]);
    row(table, state.label, state.texts[layer._atlasIndex] || "n/a");
    return table;
  }
  geo.f.forEach(function (polygons, i) {
    var layer = L.polygon(polygons.map(function (rings) { return rings.map(ring); }), base);
    layer._atlasIndex = i;
    layer.feature = {type: "Feature", properties: {region_id: ids[i], name: names[i]}};
    layer.bindTooltip(tooltip, {sticky: true, direction: "auto", className: "atlas-tooltip"});
    layer.on("mouseover", function () { layer.setStyle(Object.assign({}, styleOf(i), i === state.selected ? {} : hover)); });
    layer.on("mouseout", function () { layer.setStyle(styleOf(i)); });
    // a click goes to the app at once (streamlit-folium's own report waits a quarter second)
    layer.on("click", function () {
      clicks += 1;
      if (window.Streamlit) { window.Streamlit.setComponentValue({region_id: ids[i], clicks: clicks}); }
    });
    layer.addTo(group);
    layers.push(layer);
  });
  group.addTo(map);
  // the largest regions' names, as text (never markup), under the pointer's events
  labels.forEach(function (l) {
    var marker = L.marker([l[2], l[1]], {
      icon: L.divIcon({className: "atlas-place", html: "", iconSize: null}), interactive: false, keyboard: false
    }).addTo(map);
    var el = marker.getElement();
    if (el) { el.textContent = l[0]; el.setAttribute("aria-hidden", "true"); }
  });
  Object.keys(frames).forEach(function (name) {
    var b = frames[name];
    L.rectangle([[b[1], b[0]], [b[3], b[2]]], %(frame_style)s).addTo(map);
  });
  function keyboardAndNames() {
    var label = %(map_name)s;
    var box = map.getContainer();
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", label);
    box.setAttribute("aria-roledescription", "map");
    document.title = label;
    try {
      if (window.frameElement) { window.frameElement.setAttribute("title", label); }
    } catch (e) { /* another origin: the frame keeps its own title */ }
    // the outlines are not controls: out of the tab order and the accessibility tree
    box.querySelectorAll(".leaflet-overlay-pane svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    });
    layers.forEach(function (layer) {
      var el = layer.getElement();
      if (el) { el.setAttribute("tabindex", "-1"); el.removeAttribute("aria-describedby"); }
    });
  }
  keyboardAndNames();
  map.on("tooltipopen", function () {
    layers.forEach(function (layer) { var el = layer.getElement(); if (el) { el.removeAttribute("aria-describedby"); } });
  });
  window.sectorAtlas = {
    map: map, layers: layers, ids: ids, version: 0,
    update: function (next) {
      state = next;
      window.sectorAtlas.version += 1;
      // restyle only the regions whose style changed (a click changes two: the old and the new selection)
      var keys = state.styles.map(function (s) { return JSON.stringify(s); });
      layers.forEach(function (layer, i) {
        var key = keys[state.style[i]] + (i === state.selected ? "*" : "");
        if (layer._atlasKey !== key) { layer._atlasKey = key; layer.setStyle(styleOf(i)); }
      });
      // the selected region's outline again on top of its neighbours (drawn after them), not clickable;
      // the regions themselves keep their order
      if (outline) { map.removeLayer(outline); outline = null; }
      if (state.selected >= 0 && layers[state.selected]) {
        outline = L.polygon(layers[state.selected].getLatLngs(),
                            Object.assign({}, chosenStyle, {fill: false, interactive: false})).addTo(map);
      }
      keyboardAndNames();
    }
  };
})();
"""


def _base_element(shapes: Shapes):
    from branca.element import MacroElement
    from jinja2 import Template

    class RegionShapes(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}")

        def __init__(self):
            super().__init__()
            self._name = "RegionShapes"
            self.script = ""

        def render(self, **kwargs):
            self.script = BASE_SCRIPT % {
                "map": self._parent.get_name(),
                "geometry": shapes.geometry,
                "ids": js_value(shapes.ids),
                "names": js_value(shapes.names),
                "frames": js_value(shapes.frames),
                "labels": js_value([list(label) for label in shapes.labels]),
                "base": js_value(BASE_STYLE),
                "hover": js_value(HOVER_STYLE),
                "selected_style": js_value(SELECTED_STYLE),
                "frame_style": js_value(FRAME_STYLE),
                "map_name": js_value(MAP_NAME),
            }
            super().render(**kwargs)

    return RegionShapes()


#: Tooltips wrap instead of running off the frame; text at full contrast.
TOOLTIP_CSS = """<style>
.atlas-tooltip { white-space: normal; width: max-content; max-width: 24rem; color: #1a1a1a; font-size: 13px; }
.atlas-tooltip table { border-collapse: collapse; }
.atlas-tooltip th { text-align: left; font-weight: 600; padding: 1px 8px 1px 0; vertical-align: top; max-width: 11rem; }
.atlas-tooltip td { padding: 1px 0; }
.leaflet-container { background: #ffffff; }
.atlas-place { font: 600 12px/16px system-ui, Arial, sans-serif; color: #1a1a1a; white-space: nowrap;
  transform: translate(-50%, -50%); pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.leaflet-container a { color: #0a58a8; }
</style>"""


def base_map(shapes: Shapes, leaflet_js: str, leaflet_css: str):
    """The view's map frame: Leaflet only (from the app's own server), fitted to the view, every region drawn
    in a neutral grey until :func:`styles_group` colours it."""
    import folium
    from branca.element import Element

    m = folium.Map(tiles=None, control_scale=not shapes.national, zoom_snap=0.25, min_zoom=2)
    m.default_js = [("leaflet", leaflet_js)]
    m.default_css = [("leaflet_css", leaflet_css)]
    m.get_root().header.add_child(Element(TOOLTIP_CSS), name="atlas_css")
    _base_element(shapes).add_to(m)
    west, south, east, north = shapes.bounds
    m.fit_bounds([[south, west], [north, east]])
    return m


def styles_group(payload: dict):
    """The styles group for streamlit-folium's ``feature_group_to_add``: restyles the drawn regions in place."""
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    class RegionStyles(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "if (window.sectorAtlas) { window.sectorAtlas.update({{ this.payload }}); }"
            "{% endmacro %}"
        )

        def __init__(self):
            super().__init__()
            self._name = "RegionStyles"
            self.payload = js_value(payload)

    group = folium.FeatureGroup(name="styles", control=False)
    RegionStyles().add_to(group)
    return group
