"""The brief's figures: a locator map and two charts as static SVG, offline, legible in black and white."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from dashboard.analysis.regions import custom_region, resolve_region
from dashboard.report import brief, brief_figures, matrix
from dashboard.report.profile import region_profile


def _brief(scheme: str, rid: str, state: str) -> str:
    region = resolve_region(scheme, rid)
    return brief.brief_html(region_profile(region, state=state), brief.brief_comparisons(region, state))


def _svgs(html: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


def test_elkhart_brief_holds_a_locator_map_and_the_two_charts():
    html = _brief("county", "18039", "18")
    svgs = _svgs(html)
    # each figure's accessible name is its <title> (text, so a typed region name stays text)
    labels = [s.find("{http://www.w3.org/2000/svg}title").text for s in svgs]
    assert labels[0] == "Locator map: Elkhart County, IN (dark) in Indiana"
    assert any(label.startswith("Candidate sectors of Elkhart County, IN") for label in labels)
    assert any(label.startswith("Careers in Advanced Manufacturing") for label in labels)
    # 92 counties of Indiana drawn around the region; nothing fetched from anywhere
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svgs[0].find(f"{ns}g").findall(f"{ns}path")) == 92
    assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html).split("<footer")[0]
    # greys and black only: it prints the same in black and white
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', "".join(re.findall(r"<svg.*?</svg>", html, re.S))))
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_chart_figures_are_the_profile_s_and_an_outlier_does_not_stretch_the_axis():
    """Harlan County's energy LQ may lie anywhere from 0.72 to 25.72: the axis stops at its cap, the range is
    printed beside the bar."""
    profile = region_profile(resolve_region("county", "21095"), state="21")
    svg = brief_figures.sectors_svg(profile)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "0.72 to 25.72, est. 11.36 not known from public data" in texts
    ticks = [t for t in texts if re.fullmatch(r"[\d.]+", t)]
    assert max(float(t) for t in ticks) == brief_figures.LQ_AXIS_MAX


def test_a_typed_region_name_stays_text_in_the_map():
    region = custom_region(["21095", "21133"], '<script>alert(1)</script> & "Harlan"')
    svg = brief_figures.locator_svg(region)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)  # well-formed


def test_the_zip_of_briefs_holds_the_figures_too():
    data = matrix.briefs_zip("18", "in-egr", "advanced-manufacturing")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        first = zf.read("in-egr-2.html").decode("utf-8")
    assert 'class="locator-map"' in first and "Candidate sectors of Indiana Economic Growth Region 2" in first
