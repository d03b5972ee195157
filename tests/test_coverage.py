"""Notes on regions without a figure or without a boundary (dashboard.coverage), on made-up tables and on real views."""

import pandas as pd
import pytest

from dashboard import coverage, map_data, maps


def frame(values, low=None, high=None):
    t = pd.DataFrame({"region_id": [f"r{i}" for i in range(len(values))],
                      "region_name": [f"Region {i}" for i in range(len(values))], "v": values})
    if low is not None:
        t["lo"], t["hi"] = low, high
    return t


@pytest.mark.parametrize("names,expected", [
    ([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C"),
    (["A", "B", "C", "D", "E", "F"], "A, B, C, D and 2 more"),
])
def test_name_list(names, expected):
    assert coverage.name_list(names) == expected


def test_no_note_when_every_region_has_a_figure_and_a_boundary():
    assert coverage.missing_note(frame([0.0, 1.5]), "v", "X", drawn=["r0", "r1"]) is None


def test_zero_is_a_figure_and_missing_is_counted():
    note = coverage.missing_note(frame([0.0, None, 2.0]), "v", "the share", drawn=["r0", "r1", "r2"])
    assert note.startswith("No published figure for the share in 1 region of 3 (Region 1)")
    assert "never zero" in note and "Region 0" not in note


def test_a_suppression_range_is_a_figure():
    t = frame([None, None], low=[0.5, None], high=[2.0, None])
    note = coverage.missing_note(t, "v", "LQ", low="lo", high="hi")
    assert "1 region of 2 (Region 1)" in note


def test_all_missing_and_off_the_map():
    note = coverage.missing_note(frame([None, None, None]), "v", "LQ", drawn=["r0"])
    assert "in any region shown (Region 0, Region 1 and Region 2)" in note
    assert "2 regions have no boundary on the 2024 map and appear in the table only (Region 1 and Region 2)" in note
    one = coverage.missing_note(frame([1.0, 1.0]), "v", "LQ", drawn=["r0"])
    assert one.startswith("1 region has no boundary on the 2024 map and appears in the table only (Region 1).")


def test_empty_table_has_no_note():
    assert coverage.missing_note(frame([]), "v", "LQ", drawn=[]) is None


def test_connecticut_counties_real_data():
    """Connecticut: 8 former counties with 2016 industry rows but no polygon; 9 planning regions drawn, without 2016 rows."""
    view = map_data.view_regions("county", "09", ())
    geo = map_data.view_geometry("county", "09", view)
    drawn = list(geo["region_id"])
    assert len(view) == 17 and len(drawn) == 9
    workforce = map_data.workforce_table(view)
    note = coverage.missing_note(workforce, "low_skill_share", "the low-skill share", drawn)
    assert "in 8 regions of 17 (Fairfield County, CT, Hartford County, CT" in note
    assert "8 regions have no boundary on the 2024 map" in note
    lq = maps.industry_measures(2016)["lq"]
    industry = map_data.industry_table(view, "healthcare")
    note = coverage.missing_note(industry, lq.column, lq.label, drawn, lq.low, lq.high)
    assert "in 9 regions of 17 (Capitol Planning Region, CT" in note


def test_puerto_rico_has_no_poverty_figures_real_data():
    view = map_data.view_regions("county", "72", ())
    geo = map_data.view_geometry("county", "72", view)
    table = map_data.workforce_table(view)
    assert coverage.missing_note(table, "low_skill_share", "the low-skill share", geo["region_id"]) is None
    note = coverage.missing_note(table, "poverty_rate", "the poverty rate", geo["region_id"])
    assert note.startswith(f"No published figure for the poverty rate in any region shown ({view[0].name}")
    assert f"and {len(view) - 4} more" in note
