"""The statewide seat matrix: every region of a state against every seat, the page by link, the brief zip."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import regions, seats
from dashboard.analysis.regions import resolve_region
from dashboard.data import paths
from dashboard.report import exports, matrix

APP = str(paths.ROOT / "app.py")


@pytest.fixture(scope="module")
def indiana():
    return matrix.seat_matrix("18", "in-egr", "hospitality-tourism")


@pytest.fixture(scope="module")
def kentucky():
    return matrix.seat_matrix("21", "county", "healthcare")


def test_every_region_of_the_state_in_rows_every_seat_in_columns(kentucky):
    counties = regions.list_regions("county", "21")
    wide = kentucky.wide()
    assert len(wide) == len(counties) == 120
    assert set(wide["region_id"]) == set(counties["region_id"])
    rules = seats.load_rules()
    columns = [c for c in wide.columns if c in {r.id for r in rules}]
    assert sorted(columns) == sorted(r.id for r in rules)
    fixed = [r.id for r in rules if r.trigger is None and r.sector is None]  # the core the data never change
    assert columns[-len(fixed) :] == fixed and columns[0] == "colleges-training"  # seats the data can trigger first
    assert set(kentucky.cells["level"]) <= set(seats.LEVELS)


def test_cells_equal_the_seats_of_each_region_compared_with_the_state(kentucky):
    for fips in ("21095", "21111"):  # Harlan; Jefferson (Louisville, whose metro crosses into Indiana)
        region = resolve_region("county", fips)
        expected = {s["id"]: s for s in seats.evaluate_seats(region, "healthcare", state="21")}
        cells = kentucky.cells[kentucky.cells["region_id"] == fips].set_index("seat_id")
        for seat_id, s in expected.items():
            assert cells.loc[seat_id, "level"] == s["level"], seat_id
            assert cells.loc[seat_id, "evidence"] == s["evidence"], seat_id


def test_multi_state_regions_in_the_matrix_are_compared_with_the_chosen_state():
    m = matrix.seat_matrix("21", "cz", "healthcare")
    cz = m.cells[(m.cells["region_id"] == "226") & (m.cells["seat_id"] == "human-services")].iloc[0]
    assert "in Kentucky (the state chosen; the region also reaches into Ohio and West Virginia)" in cz["evidence"]


def test_hover_figure_is_the_triggering_number(indiana):
    cells = indiana.cells.set_index(["region_id", "seat_id"])
    for (rid, seat_id), cell in cells.iterrows():
        if cell["level"] in ("strongly recommended", "recommended"):
            assert cell["figure"], (rid, seat_id)
            assert "%" in cell["figure"] or "times" in cell["figure"] or "is" in cell["figure"]


def test_sorting(indiana):
    by_name = indiana.wide("region")["region"].tolist()
    assert by_name[:3] == [
        "Indiana Economic Growth Region 1",
        "Indiana Economic Growth Region 2",
        "Indiana Economic Growth Region 3",
    ]
    most = indiana.wide("indicated")
    assert list(most["indicated"]) == sorted(most["indicated"], reverse=True)
    with pytest.raises(ValueError):
        indiana.wide("shoe size")


def test_csv_carries_sector_state_and_year(indiana):
    frame = indiana.csv_frame()
    assert {"sector", "compared_with", "industry_year"} <= set(frame.columns)
    assert set(frame["sector"]) == {"Hospitality & Tourism"} and set(frame["compared_with"]) == {"Indiana"}
    assert "Human-services organizations" in frame.columns
    text = exports.to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("region_id,region,sector")
    assert len(text.splitlines()) == 12  # a header and 11 regions
    long = indiana.cells_frame()
    assert len(long) == 11 * len(seats.load_rules()) and {"figure", "evidence", "source"} <= set(long.columns)


def test_brief_zip_holds_one_brief_per_region():
    calls = []
    data = matrix.briefs_zip("18", "in-egr", "hospitality-tourism", progress=lambda *a: calls.append(a))
    assert [c[:2] for c in calls] == [(i, 11) for i in range(1, 12)]
    assert calls[0][2] == "Indiana Economic Growth Region 1"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert "index.html" in names
        briefs = [n for n in names if n != "index.html"]
        assert len(briefs) == len(regions.list_regions("in-egr", "18")) == 11
        assert len(set(briefs)) == 11
        first = zf.read("in-egr-1.html").decode("utf-8")
        assert "Indiana Economic Growth Region 1" in first and "Hospitality &amp; Tourism" in first
        index = zf.read("index.html").decode("utf-8")
        assert all(f'href="{n}"' in index for n in briefs)
        # the index summarises the chosen sector in each region, not each region's top sector
        assert "Top sector" not in index
        assert index.count("<td>Hospitality &amp; Tourism: ") == 11


def test_sector_jobs_lq_and_verdict_of_each_region_are_its_profile_figures(kentucky):
    """Harlan County (suppressed cells: a range with its estimate) and Jefferson County, KY, for health care: the
    matrix's sector figures are those of the region's profile; a published figure is its own low and high."""
    from dashboard.report.profile import region_profile

    wide = kentucky.wide().set_index("region_id")
    for fips in ("21095", "21111"):
        c = region_profile(resolve_region("county", fips), sector_id="healthcare", state="21").candidate("healthcare")
        row = wide.loc[fips]
        assert row["verdict"] == c["verdict"] and row["class"] == c["class"]
        if c["lq"] is None:
            assert not row["lq_published"]
            assert (row["lq_low"], row["lq"], row["lq_high"]) == (c["lq_low"], c["lq_estimate"], c["lq_high"])
            assert row["lq_low"] <= row["lq"] <= row["lq_high"]
        else:
            assert row["lq_published"] and row["lq_low"] == row["lq"] == row["lq_high"] == c["lq"]
        jobs = c["employment"] if c["employment"] is not None else c["employment_estimate"]
        assert row["jobs"] == jobs and row["jobs_low"] <= row["jobs"] <= row["jobs_high"]


def test_sorting_by_lq_and_filtering_by_class(kentucky):
    by_lq = kentucky.wide("lq")
    assert list(by_lq["lq"].dropna()) == sorted(by_lq["lq"].dropna(), reverse=True)
    assert kentucky.classes() and set(kentucky.classes()) <= set(kentucky.sector["class"])
    strong = kentucky.wide(classes=["existing strength"])
    assert 0 < len(strong) < 120 and set(strong["class"]) == {"existing strength"}
    assert (
        kentucky.region_ids("lq", ["existing strength"])
        == kentucky.wide("lq", classes=["existing strength"])["region_id"].tolist()
    )


def test_unknown_sector_is_refused():
    with pytest.raises(KeyError, match="nope"):
        matrix.seat_matrix("18", "in-egr", "nope")


# ---- the page, opened by a link --------------------------------------------------------------------


def open_link(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_matrix_page_by_link_reproduces_the_view():
    at = open_link(
        {
            "page": "seat-matrix",
            "state": "IN",
            "scheme": "in-egr",
            "industry": "hospitality-tourism",
            "thresholds": "human-services-entry.recommended:0.5",
        }
    )
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Seat matrix"
    grid = next(d.value for d in at.dataframe if "Human-services organizations" in d.value.columns)
    expected = matrix.seat_matrix(
        "18", "in-egr", "hospitality-tourism", overrides={"human-services-entry": {"recommended": 0.5}}
    ).wide("region", "cell")
    assert list(grid["Region"]) == list(expected["region"])
    assert list(grid["Human-services organizations"]) == list(expected["human-services"])
    assert at.selectbox(key="w_matrix_sector").value == "hospitality-tourism"
    assert at.query_params["page"] == "seat-matrix" and at.query_params["industry"] == "hospitality-tourism"
    assert "human-services-entry.recommended:0.5" in at.query_params["thresholds"]
    assert "page=seat-matrix" in at.code[-1].value  # the share link names the page


def test_every_column_on_screen_has_a_human_heading_and_the_csv_keeps_its_names(downloads):
    """Kentucky's counties for health care: the grid is headed Region, the two counts and each seat's name, in the
    order of the seats; the CSV download keeps its machine column names."""
    at = open_link({"page": "seat-matrix", "state": "KY", "scheme": "county", "industry": "healthcare"})
    assert not at.exception, [e.message for e in at.exception]
    grid = next(d.value for d in at.dataframe if "Region" in d.value.columns)
    m = matrix.seat_matrix("21", "county", "healthcare")
    assert list(grid.columns) == [
        "Region",
        "Sector jobs",
        "Sector LQ",
        "Verdict",
        "Seats indicated",
        "Seats strongly recommended",
        *(n for _, n in m.seats),
    ]
    ids = {sid for sid, _ in m.seats} | {"region_id", "region", "indicated", "strongly"}
    assert not [c for c in grid.columns if c in ids or "_" in c or c[:1].islower()]
    wide = m.wide("region", "cell")
    assert len(grid) == 120 and list(grid["Region"]) == list(wide["region"])
    assert list(grid["Seats indicated"]) == list(wide["indicated"])
    assert list(grid["Child-care providers and brokers"]) == list(wide["child-care"])
    (name,) = [
        n for n in downloads if n.startswith("seat_matrix_county_21_healthcare_") and not n.endswith("_evidence.csv")
    ]
    header = downloads[name].decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:5] == ["region_id", "region", "sector", "compared_with", "industry_year"]
    assert header[5:16] == [
        "jobs_low",
        "jobs_estimate",
        "jobs_high",
        "jobs_published",
        "lq_low",
        "lq_estimate",
        "lq_high",
        "lq_published",
        "class",
        "confidence",
        "verdict",
    ]
    assert header[16:18] == ["indicated", "strongly"]
    evidence = pd.read_csv(io.BytesIO(downloads[name.replace(".csv", "_evidence.csv")]), nrows=1)
    assert list(evidence.columns[:4]) == ["region_id", "region_name", "sector", "seat_id"]


def test_matrix_page_filters_by_verdict_opens_a_profile_and_builds_the_zip_with_progress(downloads):
    at = open_link({"page": "seat-matrix", "state": "IN", "scheme": "in-egr", "industry": "healthcare"})
    assert not at.exception, [e.message for e in at.exception]
    m = matrix.seat_matrix("18", "in-egr", "healthcare")
    chosen = m.classes()[0]
    at.multiselect(key="w_matrix_classes_healthcare").set_value([chosen]).run()
    grid = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    assert len(grid) == len(m.wide(classes=[chosen])) and all(v.endswith(chosen) for v in grid["Verdict"])
    # choosing a row makes it the view's region and offers its profile
    first = m.region_ids(classes=[chosen])[0]
    at.session_state["pending_view"] = {"region": first}
    at.run()
    assert at.query_params["region"] == first
    assert any(m.wide().set_index("region_id").loc[first, "region"] in p.label for p in at.get("page_link"))
    # the zip is built under a progress bar, then offered for download
    (build,) = [b for b in at.button if b.key == "dl_matrix_briefs_build"]
    build.click().run()
    assert not at.exception, [e.message for e in at.exception]
    (name,) = [n for n in downloads if n.startswith("briefs_in-egr_18_healthcare_")]
    with zipfile.ZipFile(io.BytesIO(downloads[name])) as zf:
        assert len(zf.namelist()) == 12


def test_matrix_page_asks_for_a_partnership_sector_and_a_state():
    at = open_link({"page": "seat-matrix", "state": "IN", "scheme": "in-egr", "industry": "62"})
    assert not at.exception
    assert at.selectbox(key="w_matrix_pick").value is None
    assert not [d for d in at.dataframe if "Human-services organizations" in d.value.columns]
    at = open_link({"page": "seat-matrix", "state": "US", "scheme": "bea", "industry": "healthcare"})
    assert not at.exception
    assert any("Choose a state" in i.value for i in at.info)


def test_seat_grid_chart_shows_the_figure_on_hover(indiana):
    from dashboard.report import charts

    spec = charts.seat_grid(indiana.cells, indiana.wide()["region"].tolist(), list(indiana.seats)).to_dict()
    tips = [t["field"] for t in spec["encoding"]["tooltip"]]
    assert tips == ["region_name", "seat", "level", "figure"]
    assert spec["encoding"]["y"]["sort"][0] == "Indiana Economic Growth Region 1"
