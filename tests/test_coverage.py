"""Notes on regions without a figure or without a boundary (dashboard.maps.coverage), on real views."""

import pytest

from dashboard.maps import classes as maps
from dashboard.maps import coverage
from dashboard.maps import data as map_data


@pytest.fixture(scope="module")
def alaska():
    """Alaska's boroughs and census areas, advanced manufacturing 2016, and the ids the 2024 map draws."""
    view = map_data.view_regions("county", "02", ())
    table = map_data.industry_table(view, "advanced-manufacturing", 2016)
    return table, list(map_data.view_geometry("county", "02", view)["region_id"])


def _pick(table, ids):
    return table.set_index("region_id").loc[list(ids)].reset_index()


@pytest.mark.parametrize(
    "names,expected",
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D", "E", "F"], "A, B, C, D and 2 more"),
    ],
)
def test_name_list(names, expected):
    assert coverage.name_list(names) == expected


def test_no_note_when_every_region_has_a_figure_and_a_boundary():
    # Delaware's three counties, oil and gas extraction 2016: a published 0 jobs in each, all drawn
    view = map_data.view_regions("county", "10", ())
    table = map_data.industry_table(view, "211", 2016)
    assert list(table["employment"]) == [0.0, 0.0, 0.0]
    drawn = map_data.view_geometry("county", "10", view)["region_id"]
    assert coverage.missing_note(table, "employment", "jobs", drawn=drawn) is None


def test_zero_is_a_figure_and_missing_is_counted(alaska):
    table, _ = alaska
    # Aleutians East Borough and Denali Borough: a published 0 jobs; Chugach Census Area (created 2019): no 2016 rows
    t = _pick(table, ["02013", "02063", "02068"])
    assert list(t["employment"].fillna(-1)) == [0.0, -1, 0.0]
    note = coverage.missing_note(t, "employment", "the jobs", drawn=t["region_id"])
    assert note.startswith("No published figure for the jobs in 1 region of 3 (Chugach Census Area, AK)")
    assert "never zero" in note and "Aleutians East" not in note and "Denali" not in note


def test_a_suppression_range_is_a_figure(alaska):
    table, _ = alaska
    t = _pick(table, ["02016", "02063"])  # Aleutians West Census Area: suppressed, LQ 0.00 to 1.61; Chugach: nothing
    assert t["lq"].isna().all() and t["lq_low"].notna().tolist() == [True, False]
    note = coverage.missing_note(t, "lq", "LQ", low="lq_low", high="lq_high")
    assert "1 region of 2 (Chugach Census Area, AK)" in note


def test_all_missing_and_off_the_map(alaska):
    # Connecticut's eight former counties: no 2019-2023 workforce figures and no polygon on the 2024 map
    view = tuple(r for r in map_data.view_regions("county", "09", ()) if not r.id.startswith("091"))
    drawn = map_data.view_geometry("county", "09", map_data.view_regions("county", "09", ()))["region_id"]
    table = map_data.workforce_table(view)
    assert len(view) == 8 and table["low_skill_share"].isna().all()
    note = coverage.missing_note(table, "low_skill_share", "the low-skill share", drawn=drawn)
    assert (
        "in any region shown (Fairfield County, CT, Hartford County, CT, Litchfield County, CT, "
        "Middlesex County, CT and 4 more)"
    ) in note
    assert "8 regions have no boundary on the 2024 map and appear in the table only (Fairfield County, CT" in note
    # Alaska with a figure everywhere (the two census areas created in 2019 left out): Valdez-Cordova Census Area,
    # split in 2019, has 2016 figures but no 2024 polygon
    table, drawn = alaska
    with_figures = table[~table["region_id"].isin(["02063", "02066"])]
    one = coverage.missing_note(with_figures, "lq", "LQ", drawn, "lq_low", "lq_high")
    assert one.startswith(
        "1 region has no boundary on the 2024 map and appears in the table only (Valdez-Cordova Census Area, AK)."
    )


def test_empty_table_has_no_note():
    table = map_data.industry_table((), "advanced-manufacturing", 2016)
    assert table.empty and coverage.missing_note(table, "lq", "LQ", drawn=[]) is None


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
