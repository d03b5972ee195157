"""The brief's figures as static SVG: where the region lies, its candidate sectors, careers by entry education.

Drawn here from the shipped data (the county and region boundaries in ``data/geo``) with no script, no
font or image from elsewhere, so a brief opens offline and mails as one file. Greys, outlines and
printed values only: a figure reads the same printed in black and white. Every text from the data (a
custom region's typed name included) is escaped where it enters the markup.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from dashboard.analysis import formatting, regions
from dashboard.data import store

if TYPE_CHECKING:
    from dashboard.analysis.regions import Region
    from dashboard.report.profile import RegionProfile

#: An LQ axis ends here at most; a range running further is drawn to the edge, its figure printed beside it.
LQ_AXIS_MAX = 4.0
SECTORS_SHOWN = 8
CSS = """
.figs { display: flex; gap: 4mm; align-items: flex-start; margin: 2px 0; break-inside: avoid; page-break-inside: avoid }
.figs figure { margin: 0; flex: 1 1 0; min-width: 0 }
.figs figure.locator { flex: 0 0 46mm }
.figs figure.careers { flex: 0 1 140mm }
.figs svg { display: block }
.figs figure.locator svg { width: 100%; height: auto }
.figs figcaption { font-size: 6.5pt; color: #333 }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# ---- the locator map ----------------------------------------------------------------------------------------


def _rings(geom):
    import shapely

    for poly in shapely.get_parts(geom):
        if poly.is_empty:
            continue
        yield poly.exterior.coords
        yield from (r.coords for r in poly.interiors)


def _path(geom, project) -> str:
    parts = []
    for ring in _rings(geom):
        pts = [project(x, y) for x, y in ring]
        if len(pts) > 2:
            parts.append("M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in pts) + "Z")
    return "".join(parts)


def locator_svg(region: Region, width: int = 240, height: int = 180) -> str:
    """The region (dark) among the counties of its state or states (light, white lines), states outlined."""
    import shapely

    counties = store.load_geometry("counties_state")
    around = counties[counties["fips"].str[:2].isin(region.states)]
    target = regions.region_geometry(region)
    if around.empty or target.empty or target.geometry.iloc[0] is None:
        return ""
    shape = target.geometry.iloc[0]
    west, south, east, north = around.total_bounds
    # an equirectangular view squeezed by the cosine of the middle latitude: shapes look right at state scale
    kx = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * kx, north - south
    pad = 4
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    tolerance = max(span_x, span_y) / 600  # below a pixel at this size: a small file

    def project(x, y):
        return off_x + (x - west) * kx * scale, off_y + (north - y) * scale

    county_paths = "".join(
        f'<path d="{_path(shapely.simplify(g, tolerance), project)}"/>' for g in around.geometry.values if g is not None
    )
    states = "".join(
        f'<path d="{_path(shapely.simplify(shapely.coverage_union_all(grp.geometry.values), tolerance), project)}"/>'
        for _, grp in around.groupby(around["fips"].str[:2])
    )
    state_names = regions.state_names()
    where = ", ".join(state_names.get(s, s) for s in region.states)
    label = f"Locator map: {region.name} (dark) in {where}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="locator-map"><title>{_e(label)}</title>'
        f'<g fill="#e6e6e6" stroke="#ffffff" stroke-width="0.6">{county_paths}</g>'
        f'<g fill="none" stroke="#555555" stroke-width="1">{states}</g>'
        f'<path d="{_path(shapely.simplify(shape, tolerance), project)}" fill="#222222" stroke="#000000" '
        'stroke-width="0.8"/></svg>'
    )


# ---- bar charts -------------------------------------------------------------------------------------------


def _bars(rows: list[dict], axis_max: float, width: int, label_width: int, value_width: int, ref: float | None):
    """Horizontal bars: each row {label, value, low, high, text}; a whisker from low to high where given."""
    row_h, top = 13, 4
    height = top + row_h * len(rows) + 14
    plot = width - label_width - value_width

    def x(v):
        return label_width + plot * min(max(v, 0.0), axis_max) / axis_max

    out = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        out.append(
            f'<text x="{label_width - 3}" y="{y + 9}" text-anchor="end">{_e(r["label"])}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{max(x(r["value"]) - label_width, 0.5):.1f}" height="8" '
            'fill="#9a9a9a"/>'
        )
        if r.get("low") is not None and r.get("high") is not None and r["low"] != r["high"]:
            x0, x1 = x(r["low"]), x(r["high"])
            out.append(
                f'<path d="M{x0:.1f},{y + 6}H{x1:.1f}M{x0:.1f},{y + 3}V{y + 9}M{x1:.1f},{y + 3}V{y + 9}" '
                'stroke="#000" stroke-width="1" fill="none"/>'
            )
        out.append(f'<text x="{label_width + plot + 3}" y="{y + 9}">{_e(r["text"])}</text>')
    axis_y = top + row_h * len(rows) + 2
    ticks = [axis_max * k / 4 for k in range(5)]
    out.append(f'<path d="M{label_width},{axis_y}H{label_width + plot}" stroke="#000" stroke-width="0.6"/>')
    for t in ticks:
        out.append(
            f'<text x="{x(t):.1f}" y="{axis_y + 9}" text-anchor="middle" font-size="7">'
            f"{_e(formatting.count(t) if axis_max > 100 else f'{t:g}')}</text>"
        )
    if ref is not None:
        out.append(f'<path d="M{x(ref):.1f},{top}V{axis_y}" stroke="#000" stroke-width="0.8" stroke-dasharray="3 2"/>')
    return height, "".join(out)


CHART_UNITS = 480
#: Printed width of a chart: its 8-unit text prints at about 7 points.
CHART_MM = 135


def _svg(width: int, height: int, label: str, body: str) -> str:
    mm = CHART_MM * width / CHART_UNITS
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'style="width:{mm:.0f}mm;max-width:100%;height:auto" font-family="Arial, sans-serif" font-size="8" '
        f'fill="#111"><title>{_e(label)}</title>{body}</svg>'
    )


def sectors_svg(profile: RegionProfile) -> str:
    """The top candidate sectors' LQ: a bar to the published figure or the estimate, a whisker across the range
    suppression leaves, the US share (1) dashed, each sector's figure and verdict printed beside it."""
    rows = []
    for c in profile.candidate_sectors[:SECTORS_SHOWN]:
        value = c["lq"] if c.get("lq") is not None else c.get("lq_estimate")
        if value is None:
            value = c.get("lq_low")
        if value is None:
            continue
        low, high = (c["lq"], c["lq"]) if c.get("lq") is not None else (c.get("lq_low"), c.get("lq_high"))
        figure = formatting.with_estimate(c.get("lq"), c.get("lq_low"), c.get("lq_high"), c.get("lq_estimate"), "ratio")
        rows.append(
            {
                "label": c["name"] if len(c["name"]) <= 30 else c["name"][:28] + "...",
                "value": float(value),
                "low": low,
                "high": high,
                "text": f"{figure.replace(', estimate ', ', est. ')} {c.get('verdict') or c['class']}",
            }
        )
    if not rows:
        return ""
    top = max(float(r["high"] if r["high"] is not None else r["value"]) for r in rows)
    axis_max = max(1.5, min(LQ_AXIS_MAX, math.ceil(top * 2) / 2))
    height, body = _bars(rows, axis_max, CHART_UNITS, 120, 200, ref=1.0)
    label = f"Candidate sectors of {profile.region.name}: location quotient (1 = the US share)"
    return _svg(CHART_UNITS, height, label, body)


def careers_svg(profile: RegionProfile, rung_labels: dict[str, str]) -> str:
    """The sector's estimated jobs by the education they need to enter, with each rung's median wage."""
    c = profile.careers
    if c is None or not c.ladder:
        return ""
    rows = [
        {
            "label": rung_labels.get(r.id, r.id),
            "value": float(r.jobs or 0),
            "text": f"{formatting.count(r.jobs)} jobs, {formatting.money(r.median_wage)}",
        }
        for r in c.ladder
    ]
    top = max(r["value"] for r in rows) or 1.0
    step = 10 ** math.floor(math.log10(top))
    axis_max = math.ceil(top / step) * step
    height, body = _bars(rows, axis_max, CHART_UNITS, 150, 110, ref=None)
    label = f"Careers in {c.sector_name}: estimated jobs and median wage by entry education"
    return _svg(CHART_UNITS, height, label, body)


def figures_html(profile: RegionProfile) -> str:
    """The brief's first row of figures: the locator map and the candidate sectors' chart."""
    parts = []
    locator = locator_svg(profile.region)
    if locator:
        parts.append(f'<figure class="locator">{locator}<figcaption>Where the region lies</figcaption></figure>')
    chart = sectors_svg(profile)
    if chart:
        parts.append(
            f"<figure>{chart}<figcaption>Candidate sectors: location quotient (bar: published or estimate; "
            "whisker: the range suppression leaves; dashed: the US share)</figcaption></figure>"
        )
    return f'<div class="figs">{"".join(parts)}</div>' if parts else ""


def careers_figure_html(profile: RegionProfile, rung_labels: dict[str, str]) -> str:
    """The careers chart, under the careers table."""
    chart = careers_svg(profile, rung_labels)
    if not chart:
        return ""
    return (
        f'<div class="figs"><figure class="careers">{chart}<figcaption>Careers in '
        f"{_e(profile.careers.sector_name)}: estimated jobs by entry education, with median wages</figcaption>"
        "</figure></div>"
    )
