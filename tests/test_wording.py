"""The wording and export fixes of the screens, each on the real region where it was seen."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import formatting, seats
from dashboard.analysis.regions import resolve_region
from dashboard.data import paths
from dashboard.maps import classes as map_classes
from dashboard.maps import data as map_data
from dashboard.report import charts, profile_tables, tables
from dashboard.report.profile import region_profile
from dashboard.ui import links

APP = str(paths.ROOT / "app.py")
HARLAN = {"page": "region-profile", "state": "KY", "scheme": "county", "region": "21095"}


@pytest.fixture(scope="module")
def harlan():
    return region_profile(resolve_region("county", "21095"), state="21")


@pytest.fixture(scope="module")
def harlan_page(downloads_module):
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in HARLAN.items():
        at.query_params[k] = v
    at = at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at, dict(downloads_module)


@pytest.fixture(scope="module")
def downloads_module():
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    MemoryMediaFileStorage.load_and_get_id = record
    yield files
    MemoryMediaFileStorage.load_and_get_id = original


def test_one_establishment_is_singular(harlan):
    food = harlan.candidate("food-beverage-manufacturing")
    assert food["establishments"] == 1
    assert food["employer_pool"]["verdict"].startswith("1 establishment: ")
    assert not re.search(r"\b1 establishments", str(harlan.to_json()))


def test_a_range_whose_ends_read_the_same_is_one_number(harlan):
    """Harlan County's transportation and logistics LQ lies in 0.275 to 0.283: it reads "0.28", not
    "0.28 to 0.28, estimate 0.28", on screen, in the brief and in the map's tooltip."""
    tdl = harlan.candidate("transportation-logistics")
    assert tdl["lq"] is None and formatting.ratio(tdl["lq_low"]) == formatting.ratio(tdl["lq_high"]) == "0.28"
    assert formatting.with_estimate(None, tdl["lq_low"], tdl["lq_high"], tdl["lq_estimate"], "ratio") == "0.28"
    shown = tables.for_display(
        profile_tables.candidates_table(harlan), {"lq": "ratio"}, ranges={"lq": "lq_range"}
    ).set_index("Sector")
    assert shown.loc[tdl["name"], "LQ"] == "0.28"
    from dashboard.report import brief

    assert brief.lq_text(tdl) == "0.28"
    # a real range keeps its estimate
    energy = harlan.candidate("energy-utilities")
    assert ", estimate " in formatting.with_estimate(
        None, energy["lq_low"], energy["lq_high"], energy["lq_estimate"], "ratio"
    )


def test_tooltip_table_and_csv_round_alike():
    """Jessamine County, KY, advanced manufacturing: an estimated LQ of 1.72489 is 1.725 in the CSV; the map's
    tooltip and the table could read "1.72" and "1.73" from it; one rule (the CSV's three places, then half up)
    gives "1.73" in both."""
    view = map_data.view_regions("county", "21")
    table = map_data.industry_table(view, "advanced-manufacturing", None)
    row = table.set_index("region_id").loc["21113"]
    assert round(row["lq_estimate"], 3) == 1.725
    measure = map_classes.industry_measures(int(row["year"]))["lq"]
    tooltip = map_classes.value_text(row, measure)
    ranked = tables.ranked_industry(table)
    shown = tables.for_display(ranked, {"lq": "ratio"}, ranges={"lq": "lq_range"}).set_index("Region")
    cell = shown.loc[row["region_name"], "LQ"]
    assert "estimate 1.73" in tooltip and cell.endswith("estimate 1.73"), (tooltip, cell)
    assert ranked.set_index("region_id").loc["21113", "lq_estimate"] == 1.725


def test_csv_figures_are_numbers_and_no_cell_starts_with_an_apostrophe():
    """Kentucky's counties for health care: the CSV keeps numeric low, estimate and high where cells are
    suppressed (Harlan County) and no range text a spreadsheet would show with its leading mark."""
    from dashboard.report import exports

    table = map_data.industry_table(map_data.view_regions("county", "21"), "healthcare", None)
    data = exports.to_csv_bytes(tables.for_csv(tables.ranked_industry(table)))
    frame = pd.read_csv(io.BytesIO(data), dtype={"region_id": str})
    assert not [c for c in frame.columns if c.endswith("_range")]
    text = data.decode("utf-8-sig")
    assert ",'" not in text and "\n'" not in text
    harlan = frame.set_index("region_id").loc["21095"]
    assert pd.isna(harlan["lq"])  # not published: never a made-up figure
    assert harlan["lq_low"] <= harlan["lq_estimate"] <= harlan["lq_high"]
    for col in ("lq_low", "lq_estimate", "lq_high", "employment_low", "employment_high"):
        assert pd.api.types.is_numeric_dtype(frame[col]), col


def test_scope_advice_never_points_a_commuting_zone_to_itself():
    cz = region_profile(resolve_region("cz", "237"), state="21")
    assert cz.region.name == "Harlan County, KY area" and cz.scope["level"] == "too small"
    assert "consider the commuting zone" not in cz.scope["verdict"]
    county = region_profile(resolve_region("county", "21095"), state="21")
    assert "consider the commuting zone" in county.scope["verdict"]


def test_a_refused_year_names_one_fallback():
    _, notices = links.parse_query({"year": "1999"})
    (notice,) = notices
    assert "showing the default instead" in notice and "newest is shown" not in notice


def test_one_seat_appears_once(harlan):
    names = [s["name"].lower() for s in harlan.seats]
    assert len(names) == len(set(names))
    assert sum("job center" in n for n in names) == 1
    rules = seats.load_rules()
    assert sum("job center" in r.name.lower() for r in rules) == 1


def test_seat_grid_heads_columns_with_names_not_ids():
    rules = seats.load_rules()
    labels = [charts.seat_label(r.name) for r in rules]
    assert "k12 youth" not in labels and "K-12, career and technical education and youth programs" in labels
    assert len(set(labels)) == len(labels)


def test_profile_page_trend_span_and_threshold_form(harlan_page, harlan):
    at, files = harlan_page
    # the CBP trend: Kentucky's county series stop at 2021, and a withheld year is explained, not "full coverage"
    (trend,) = [e for e in at.expander if e.label.startswith("Employment trend from County Business Patterns")]
    assert "2017-2021" in trend.label and "full county coverage" not in trend.label
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any("County Business Patterns, 2017-2021" in c for c in captions)
    assert any(c.startswith("n/a: a year whose figure is withheld") for c in captions)
    # the threshold form: one folded group per seat the data can trigger
    groups = [e for e in at.expander if len(e.number_input)]
    triggered = [r.name for r in seats.load_rules() if r.conditions()]
    assert [e.label.replace("\\", "") for e in groups] == triggered
    assert sum(len(e.number_input) for e in groups) == 3 * len(seats.adjustable_thresholds())
    assert not any(e.proto.expanded for e in groups)
    assert len(at.number_input) == 3 * len(seats.adjustable_thresholds())
    # the candidate sectors CSV: numbers, no range text
    (name,) = [n for n in files if n.startswith("sectors_county_21095_")]
    text = files[name].decode("utf-8-sig")
    assert "_range" not in text.splitlines()[0] and ",'" not in text
    assert charts.trend_span(charts.trend_rows(harlan.establishment_trend)) == "2017-2021"


def test_the_rounding_rule_takes_any_float():
    assert formatting.ratio(4.585) == formatting.ratio(4.5851) == "4.59"
    assert formatting.change(float("inf")) == "+inf%" and formatting.ratio(1e30).startswith("1000000")
    assert formatting.change(-0.00004) == "0.0%"  # a change that rounds to zero has no sign


def test_changing_the_scheme_keeps_the_place_and_lists_are_sorted():
    """Harlan County, KY's profile switched to commuting zones lands on Harlan County's zone (not the first
    zone of the state); back to counties, on Harlan County; the zone list is sorted by name."""
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in HARLAN.items():
        at.query_params[k] = v
    at = at.run()
    at.selectbox(key="w_scheme").select("cz").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["scheme"] == "cz" and at.query_params["region"] == "237"
    assert "21095" in resolve_region("cz", at.query_params["region"]).counties
    names = [at.selectbox(key="w_region").format_func(o) for o in at.selectbox(key="w_region").options]
    from dashboard.analysis.places import natural_key

    assert names == sorted(names, key=natural_key) and len(names) > 10
    at.selectbox(key="w_scheme").select("county").run()
    assert at.query_params["region"] == "21095"
    # a metro area of many counties stands for its most populous: Louisville's metro -> Jefferson County
    at.selectbox(key="w_scheme").select("cbsa").run()
    at.selectbox(key="w_region").select("31140").run()
    at.selectbox(key="w_scheme").select("county").run()
    assert at.query_params["region"] == "21111"


def test_a_published_zero_reads_as_no_jobs_not_undetermined():
    """Carlisle County, KY has no advanced manufacturing jobs (published 0): not "0.00 (undetermined)"."""
    from dashboard.report import compare, matrix

    profile = region_profile(resolve_region("county", "21039"), state="21")
    c = profile.candidate("advanced-manufacturing")
    assert c["employment"] == 0 and c["lq"] == 0
    cell = compare.sectors_side_by_side([profile]).set_index("sector").loc[c["name"]].iloc[0]
    assert cell == f"0.00 ({tables.NO_JOBS})" and "undetermined" not in cell
    m = matrix.seat_matrix("21", "county", "advanced-manufacturing")
    assert m.wide().set_index("region_id").loc["21039", "verdict"] == tables.NO_JOBS
    table = map_data.industry_table(map_data.view_regions("county", "21"), "advanced-manufacturing", None)
    assert tables.ranked_industry(table).set_index("region_id").loc["21039", "verdict"] == tables.NO_JOBS
