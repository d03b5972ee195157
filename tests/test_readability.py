"""Readable on a projector: named bubbles and a sane LQ axis, ticks that never repeat, whole legends and labels,
human column headings and one precision rule, counts with the right noun, and the combined view's 3 x 3 legend."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, formatting, paths, tables

APP = str(paths.ROOT / "app.py")


def _candidate(name, lq, growth, jobs, lq_low=None, lq_high=None, cls="emerging"):
    return {"name": name, "class": cls, "lq": lq, "lq_low": lq_low, "lq_high": lq_high, "growth": growth,
            "us_growth": 0.01, "employment": jobs, "employment_low": None, "employment_high": None}


CANDIDATES = [_candidate(f"Sector {i}", 0.5 + i / 10, 0.01 + i / 200, 1000 * (i + 1)) for i in range(8)] + [
    _candidate("Suppressed", None, 0.02, 500, lq_low=0.4, lq_high=35.0)]


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def test_bubbles_name_the_top_five_and_stop_the_lq_axis_before_a_long_range():
    spec = charts.sector_bubbles(CANDIDATES, 2016).to_dict()
    points = charts.candidate_points(CANDIDATES)
    assert list(points.loc[points["label"] != "", "sector"]) == [f"Sector {i}" for i in range(charts.LABELLED)]
    layers = _layers(spec)
    texts = [la for la in layers if la["mark"]["type"] == "text" if isinstance(la["mark"], dict)]
    assert texts and all(t["encoding"]["text"]["field"] == "label" for t in texts)
    circle = next(la for la in layers if isinstance(la["mark"], dict) and la["mark"]["type"] == "circle")
    domain = circle["encoding"]["y"]["scale"]["domain"]
    assert domain[0] == 0 and 2 <= domain[1] < 3  # bubbles up to 1.2: the axis is not stretched to 35
    assert charts.lq_axis_top(points) == domain[1]
    # the cut range bar ends at the axis top with an arrow head
    assert any(isinstance(la["mark"], dict) and la["mark"].get("shape") == "triangle-up" for la in layers)


def test_bubble_axes_never_repeat_a_tick_and_legends_are_whole():
    spec = charts.sector_bubbles(CANDIDATES, 2016).to_dict()
    circle = next(la for la in _layers(spec) if isinstance(la["mark"], dict) and la["mark"]["type"] == "circle")
    x_axis = circle["encoding"]["x"]["axis"]
    assert x_axis["format"] == "+.0%" and x_axis["tickMinStep"] == 0.01  # whole points only: no "-2% -2% -1%"
    for channel in ("color", "size"):
        legend = circle["encoding"][channel]["legend"]
        assert legend["orient"] == "bottom" and legend["labelLimit"] == 0
    assert 0 not in circle["encoding"]["size"]["legend"]["values"]


@pytest.mark.parametrize("jobs,expected", [([120, 80_000, 3_000], [20_000.0, 40_000.0, 80_000.0]), ([7], [2.0, 4.0, 7.0])])
def test_legend_jobs_are_round_and_never_zero(jobs, expected):
    assert charts.legend_jobs(pd.Series(jobs)) == expected


def test_workforce_bars_keep_whole_labels():
    rows = charts.workforce_rows({"no_vehicle_share": 0.1}, {"no_vehicle_share": 0.1}, {"no_vehicle_share": 0.1},
                                 {"no_vehicle_share": "Households without a vehicle, a long label that must not be cut"},
                                 "Indiana")
    spec = charts.workforce_bars(rows).to_dict()
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 0


@pytest.mark.parametrize("column,heading", [
    ("low_skill_share", "Adults 25+ with high school or less"), ("suppressed_counties", "Counties with suppressed cells"),
    ("pay_ratio", "Pay against the region's average pay"), ("bivariate", "Class code"), ("some_new_column", "Some new column"),
    ("works well", "Works well"), ("Marion County, IN", "Marion County, IN"), ("US", "US"), (2016, "2016")])
def test_headings_are_for_people(column, heading):
    assert tables.heading(column) == heading


def test_for_display_heads_every_column_and_keeps_one_precision():
    frame = pd.DataFrame({"region": ["A"], "low_skill_share": [0.60513], "lq": [1.23456], "avg_annual_pay": [45123.4],
                          "one_year_change": [-0.0249]})
    shown = tables.for_display(frame, {"low_skill_share": "share", "lq": "ratio", "avg_annual_pay": "money",
                                       "one_year_change": "change"})
    assert not any("_" in c for c in shown.columns)
    assert shown.iloc[0].tolist() == ["A", "60.5%", "1.23", "$45,123", "-2.5%"]


@pytest.mark.parametrize("n,text", [(1, "1 county"), (2, "2 counties"), (1204, "1,204 counties")])
def test_counted(n, text):
    assert formatting.counted(n, "county", "counties") == text


def test_one_county_region_says_county_and_compare_names_the_sector():
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in {"state": "IN", "scheme": "county", "region": "18097", "industry": "healthcare", "page": "region-profile"}.items():
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
    for k, v in {"state": "IN", "scheme": "in-egr", "region": "2", "indicator": "bivariate", "page": "workforce-map"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    grid = next(m.value for m in at.markdown if "<table" in m.value)
    assert grid.count("<tr>") == 4 and grid.count("background:") == 9 + 1  # nine classes and "no data"
    assert "Low-skill share" in grid and "Low-income share" in grid
    table = at.dataframe[0].value
    assert not any("_" in c for c in table.columns), list(table.columns)
    json.dumps(list(table.columns))
