"""Readable on a projector: named bubbles and a sane LQ axis, ticks that never repeat, whole legends and labels,
human column headings and one precision rule, counts with the right noun, and the combined view's 3 x 3 legend."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import formatting, regions, seats, workforce
from dashboard.analysis.workforce import INDICATORS
from dashboard.data import paths
from dashboard.maps import data as map_data
from dashboard.report import charts, profile, tables

APP = str(paths.ROOT / "app.py")


@pytest.fixture(scope="module")
def martin():
    """Martin County, IN, 2016: twelve candidate sectors, bubbles up to an LQ of 1.52 (Wood, Paper, Printing & Other
    Manufacturing), and Energy & Utilities suppressed with an LQ range reaching 14.90."""
    return profile.region_profile(regions.resolve_region("county", "18101")).candidate_sectors


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def test_bubbles_name_the_top_five_and_stop_the_lq_axis_before_a_long_range(martin):
    spec = charts.sector_bubbles(martin, 2016).to_dict()
    points = charts.candidate_points(martin)
    assert len(points) == len(martin) == 12
    assert list(points.loc[points["label"] != "", "sector"]) == [c["name"] for c in martin[: charts.LABELLED]]
    assert points["lq"].max() < 1.6 and points["lq_high"].max() > 14
    layers = _layers(spec)
    texts = [la for la in layers if la["mark"]["type"] == "text" if isinstance(la["mark"], dict)]
    assert texts and all(t["encoding"]["text"]["field"] == "label" for t in texts)
    circle = next(la for la in layers if isinstance(la["mark"], dict) and la["mark"]["type"] == "circle")
    domain = circle["encoding"]["y"]["scale"]["domain"]
    assert domain[0] == 0 and 2 <= domain[1] < 3  # bubbles up to 1.52: the axis is not stretched to 14.9
    assert charts.lq_axis_top(points) == domain[1]
    # the cut range bar ends at the axis top with an arrow head
    assert any(isinstance(la["mark"], dict) and la["mark"].get("shape") == "triangle-up" for la in layers)


def test_bubble_axes_never_repeat_a_tick_and_legends_are_whole(martin):
    spec = charts.sector_bubbles(martin, 2016).to_dict()
    circle = next(la for la in _layers(spec) if isinstance(la["mark"], dict) and la["mark"]["type"] == "circle")
    x_axis = circle["encoding"]["x"]["axis"]
    assert x_axis["format"] == "+.0%" and x_axis["tickMinStep"] == 0.01  # whole points only: no "-2% -2% -1%"
    for channel in ("color", "size"):
        legend = circle["encoding"][channel]["legend"]
        assert legend["orient"] == "bottom" and legend["labelLimit"] == 0
    assert 0 not in circle["encoding"]["size"]["legend"]["values"]


@pytest.mark.parametrize(
    "fips,largest,expected",
    [
        ("18101", 924, [230.0, 460.0, 920.0]),  # Martin County, IN: Hospitality & Tourism est. 924 jobs; 231, 462, 924
        ("30069", 7, [2.0, 4.0, 7.0]),  # Petroleum County, MT: at most 7 jobs; 1.75, 3.5, 7
    ],
)
def test_legend_jobs_are_round_and_never_zero(fips, largest, expected):
    jobs = charts.candidate_points(profile.region_profile(regions.resolve_region("county", fips)).candidate_sectors)[
        "jobs"
    ]
    assert jobs.max() == largest
    assert charts.legend_jobs(jobs) == expected


def test_workforce_bars_keep_whole_labels():
    # households without a vehicle: Marion County, IN 8.2%, Indiana 6.2%, the US 8.3%
    key = "no_vehicle_share"
    rows = charts.workforce_rows(
        {key: workforce.workforce_values(("18097",))[key]},
        {key: seats.comparison_values(("18",))[key]},
        {key: seats.us_values()[key]},
        {key: INDICATORS[key].label},
        "Indiana",
    )
    assert len(rows) == 3 and rows["value"].between(0.06, 0.09).all()
    spec = charts.workforce_bars(rows).to_dict()
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 0


@pytest.mark.parametrize(
    "column,heading",
    [
        ("low_skill_share", "Adults 25+ with high school or less"),
        ("suppressed_counties", "Counties with suppressed cells"),
        ("pay_ratio", "Pay against the region's average pay"),
        ("bivariate", "Class code"),
        ("some_new_column", "Some new column"),
        ("works well", "Works well"),
        ("Marion County, IN", "Marion County, IN"),
        ("US", "US"),
        (2016, "2016"),
    ],
)
def test_headings_are_for_people(column, heading):
    assert tables.heading(column) == heading


def test_for_display_heads_every_column_and_keeps_one_precision():
    # Marion County, IN: adults 25+ with high school or less 39.37%; advanced manufacturing 2016, all published:
    # LQ 1.186, average pay $100,967.54, one-year change -3.52%
    marion = regions.resolve_region("county", "18097")
    adv = map_data.industry_table((marion,), "advanced-manufacturing", 2016).iloc[0]
    assert adv["suppressed_areas"] == 0
    frame = pd.DataFrame(
        {
            "region": [marion.name],
            "low_skill_share": [workforce.workforce_values(marion.counties)["low_skill_share"]],
            "lq": [adv["lq"]],
            "avg_annual_pay": [adv["avg_annual_pay"]],
            "one_year_change": [adv["growth"]],
        }
    )
    shown = tables.for_display(
        frame, {"low_skill_share": "share", "lq": "ratio", "avg_annual_pay": "money", "one_year_change": "change"}
    )
    assert not any("_" in c for c in shown.columns)
    assert shown.iloc[0].tolist() == ["Marion County, IN", "39.4%", "1.19", "$100,968", "-3.5%"]


@pytest.mark.parametrize("n,text", [(1, "1 county"), (2, "2 counties"), (1204, "1,204 counties")])
def test_counted(n, text):
    assert formatting.counted(n, "county", "counties") == text


def test_one_county_region_says_county_and_compare_names_the_sector():
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in {
        "state": "IN",
        "scheme": "county",
        "region": "18097",
        "industry": "healthcare",
        "page": "region-profile",
    }.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert any("1 county," in c.value for c in at.caption), [c.value for c in at.caption][:3]
    at.switch_page("pages/compare_regions.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Seat levels for Healthcare") for c in captions), captions
    assert not any("for healthcare" in c for c in captions)


def test_the_combined_view_has_a_three_by_three_legend():
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in {
        "state": "IN",
        "scheme": "in-egr",
        "region": "2",
        "indicator": "bivariate",
        "page": "workforce-map",
    }.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    grid = next(m.value for m in at.markdown if "<table" in m.value)
    assert grid.count("<tr>") == 4 and grid.count("background:") == 9 + 1  # nine classes and "no data"
    assert "Low-skill share" in grid and "Low-income share" in grid
    table = at.dataframe[0].value
    assert not any("_" in c for c in table.columns), list(table.columns)
    json.dumps(list(table.columns))
