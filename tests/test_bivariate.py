"""The combined low-skill x low-income view: readable class names, and plainly how its classes differ from the
human-services and adult-education seats (which the table sets beside each class)."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from dashboard.analysis import seats
from dashboard.data import paths
from dashboard.maps import data as map_data


def classed(scheme: str, state: str):
    view = map_data.view_regions(scheme, state)
    table = map_data.workforce_table(view)
    cuts = map_data.national_terciles()
    table = table.assign(
        bivariate=map_data.bivariate_classes(
            table["low_skill_share"],
            table["below_150pct_poverty_share"],
            cuts["low_skill_share"],
            cuts["below_150pct_poverty_share"],
        )
    )
    return view, table


def test_class_names_read_as_words():
    assert map_data.bivariate_name("c3") == "higher low-skill, higher low-income"
    assert map_data.bivariate_name("a2") == "lower low-skill, middle low-income"
    assert map_data.bivariate_name(None) is None


def test_table_sets_the_seats_own_triggers_beside_the_classes():
    view, table = classed("county", "21")
    ranked = map_data.bivariate_ranked(view, table, "21")
    assert {"class", "bivariate", "adult-literacy seat", "human-services seat"} <= set(ranked.columns)
    assert len(ranked) == 120
    for fips in ("21095", "21111", "21067"):  # Harlan, Jefferson, Fayette
        row = ranked.set_index("region_id").loc[fips]
        got = {
            s["id"]: s
            for s in seats.evaluate_seats(
                map_data.view_regions("county", "21")[[r.id for r in view].index(fips)], state="21"
            )
        }
        assert row["adult-literacy seat"] == got["adult-literacy"]["level"]
        assert row["human-services seat"] == got["human-services"]["level"]
        assert row["class"] == map_data.bivariate_name(row["bivariate"])
    # the classes and the seats are different cuts: some region shows it
    high = ranked[ranked["bivariate"] == "c3"]
    assert len(high) and (high["human-services seat"] == "strongly recommended").mean() > 0.5


def test_thresholds_change_the_seat_columns_not_the_classes():
    view, table = classed("in-egr", "18")
    base = map_data.bivariate_ranked(view, table, "18")
    strict = map_data.bivariate_ranked(view, table, "18", {"adult-literacy": {"recommended": 3.0, "strongly": 4.0}})
    assert list(base["class"]) == list(strict["class"])
    assert set(strict["adult-literacy seat"]) == {"not indicated"} != set(base["adult-literacy seat"])


def test_note_says_how_the_classes_differ_from_the_seats():
    note = map_data.bivariate_note(
        map_data.national_terciles(), {"human-services": {"recommended": 1.2, "strongly": 1.4}}
    )
    assert "national county terciles" in note and "the same cut points in every state" in note
    assert "at least 1.05 times the state's or the nation's (strongly: 1.15 times both)" in note
    assert "at least 1.2 times (strongly: 1.4 times both)" in note


def test_whole_us_view_is_quick():
    view, table = classed("county", "US")
    start = time.perf_counter()
    ranked = map_data.bivariate_ranked(view, table, "US")
    assert time.perf_counter() - start < 10
    assert len(ranked) == len(view)


def test_workforce_map_table_shows_class_names():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
    for k, v in {
        "page": "workforce-map",
        "state": "IN",
        "scheme": "in-egr",
        "region": "2",
        "industry": "advanced-manufacturing",
        "indicator": "bivariate",
    }.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == 11
    headed = {c.lower(): c for c in table.columns}  # the page heads its columns for people ("Class")
    assert set(table[headed["class"]]) <= {map_data.bivariate_name(f"{a}{b}") for a in "abc" for b in "123"}
    assert "human-services seat" in headed and "adult-literacy seat" in headed
    assert any("national county terciles" in m.value for m in at.markdown)
