"""Every page through Streamlit's AppTest: default view, a shared link, a junk link, bad uploads.

Displayed figures are checked against the package's own functions for the
same region (profile, workforce aggregation, measures), not against copies.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import formatting, regions, seats, self_assessment, workforce
from dashboard.analysis.regions import resolve_region
from dashboard.data import paths
from dashboard.maps import data as map_data
from dashboard.report import profile
from dashboard.ui.text import md

APP = str(paths.ROOT / "app.py")
PAGES = [
    "pages/industry_map.py",
    "pages/workforce_map.py",
    "pages/region_profile.py",
    "pages/compare_regions.py",
    "pages/partnership_table.py",
    "pages/custom_regions.py",
    "pages/data_and_methods.py",
]
EGR2 = {"state": "IN", "scheme": "in-egr", "region": "2", "industry": "advanced-manufacturing"}


def _frame_with(at, column: str):
    """The first table on the page that has ``column`` (tables are found by content, not position)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def open_app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0]:  # the first page is the default, served at the root address
        at.switch_page(page).run()
    return at


def sidebar_values(at: AppTest) -> dict:
    return {k: at.selectbox(key=f"w_{k}").value for k in ("state", "scheme", "region", "industry")}


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def egr2_profile():
    return profile.region_profile(resolve_region("in-egr", "2"), sector_id="advanced-manufacturing")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_default_view(page):
    at = open_app(page=page)
    assert_clean(at)
    assert not at.warning
    assert sidebar_values(at) == {
        "state": "18",
        "scheme": "in-egr",
        "region": "1",
        "industry": "advanced-manufacturing",
    }
    assert {k: at.query_params[k] for k in ("state", "scheme", "region", "industry")} == {
        "state": "IN",
        "scheme": "in-egr",
        "region": "1",
        "industry": "advanced-manufacturing",
    }  # links spell states IN


@pytest.mark.parametrize("page", PAGES)
def test_a_shared_link_reopens_the_same_view_on_every_page(page):
    at = open_app(EGR2, page)
    assert_clean(at)
    assert sidebar_values(at) == {
        "state": "18",
        "scheme": "in-egr",
        "region": "2",
        "industry": "advanced-manufacturing",
    }
    assert at.query_params["region"] == "2"
    code = at.code[-1].value  # the share link box
    assert "region=2" in code and "scheme=in-egr" in code and "industry=advanced-manufacturing" in code


@pytest.mark.parametrize("page", PAGES)
def test_a_junk_link_gives_notices_and_defaults(page):
    junk = {
        "state": "<script>alert(1)</script>",
        "scheme": "../../etc/passwd",
        "region": "x" * 5000,
        "industry": '=HYPERLINK("http://evil","x")',
        "measure": "drop table",
        "indicator": "$(rm -rf)",
        "lq_min": "nan",
        "thresholds": "human-services.recommended:-1",
        "filled": "nobody",
        "checked": "nothing",
    }
    at = open_app(junk, page)
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert len(notices) >= 8
    text = "\n".join(notices)
    assert "<script>" not in text and "\\<script\\>" in text  # shown as text, not markup
    assert sidebar_values(at)["state"] == "18" and sidebar_values(at)["scheme"] == "in-egr"
    assert at.query_params["region"] == "1"


def test_changing_the_sidebar_updates_the_link_and_clears_notices():
    at = open_app({"state": "ZZ"})
    assert at.warning
    at.selectbox(key="w_region").select("3").run()
    assert_clean(at)
    assert at.query_params["region"] == "3"
    assert not at.warning
    at.selectbox(key="w_state").select("17").run()  # Illinois has no Indiana growth regions
    assert sidebar_values(at)["scheme"] == "county"
    assert at.query_params["state"] == "IL" and at.query_params["region"].startswith("17")


def test_industry_map_table_shows_the_package_figures(egr2_profile):
    at = open_app(EGR2, "pages/industry_map.py")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("Region")  # columns headed for people, CSVs keep the data's names
    assert len(table) == 11
    amfg = next(c for c in egr2_profile.candidate_sectors if c["id"] == "advanced-manufacturing")
    row = table.loc[egr2_profile.region.name]
    # suppressed cells: the range, and the labelled estimate inside it
    assert row["LQ (or range)"] == (
        formatting.value_or_range(amfg["lq"], amfg["lq_low"], amfg["lq_high"], "ratio")
        + f", estimate {formatting.ratio(amfg['lq_estimate'])}"
    )
    assert row["Jobs (or range)"] == (
        formatting.value_or_range(amfg["employment"], amfg["employment_low"], amfg["employment_high"], "count")
        + f", estimate {formatting.count(amfg['employment_estimate'])}"
    )
    assert row["Establishments"] == formatting.count(amfg["establishments"])
    assert row["Verdict"] == amfg["verdict"]  # the industry's class here, as the profile gives it
    # pay: the disclosed cells' average is not the region's; the range and its estimate are shown
    assert amfg["avg_annual_pay"] is None
    pay = (
        formatting.value_or_range(None, amfg["pay_low"], amfg["pay_high"], "money")
        if amfg["pay_high"] is not None
        else f"at least {formatting.money(amfg['pay_low'])}"
    )
    assert row["Average pay (or range)"] == f"{pay}, estimate {formatting.money(amfg['pay_estimate'])}"
    assert not any("_" in c for c in table.columns), list(table.columns)
    assert "None" not in table.to_string()


def test_choosing_a_row_of_the_ranked_table_selects_its_region():
    """Indiana counties, manufacturing: choosing the top-ranked row (not the selected Elkhart County) makes that
    county the view's region, in the sidebar, the link and the profile link, as a click on the map does."""
    at = open_app({"state": "IN", "scheme": "county", "region": "18039", "industry": "31-33"})
    assert_clean(at)
    table = next(d for d in at.dataframe if "Region" in d.value.columns)
    first = table.value["Region"].iloc[0]
    assert first != "Elkhart County, IN"
    expected = next(
        fips
        for fips, name in regions.list_regions("county", "18")[["region_id", "region_name"]].itertuples(index=False)
        if name == first
    )
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    assert at.query_params["region"] == expected and sidebar_values(at)["region"] == expected
    assert any(e.proto.label == f"Open the profile of {first}" for e in at.get("page_link"))


def test_choosing_a_row_of_the_workforce_ranking_selects_its_region():
    """Indiana's growth regions by low-skill share: choosing the top row selects that region."""
    at = open_app(
        {"state": "IN", "scheme": "in-egr", "region": "2", "measure": "low_skill_share"}, "pages/workforce_map.py"
    )
    assert_clean(at)
    table = next(d for d in at.dataframe if "Region" in d.value.columns)
    first = table.value["Region"].iloc[0]
    expected = next(r.id for r in map_data.view_regions("in-egr", "18") if r.name == first)
    assert expected != "2"
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    assert at.query_params["region"] == expected and sidebar_values(at)["region"] == expected


def test_industry_map_lq_filter_from_a_link_keeps_only_qualifying_regions():
    at = open_app({**EGR2, "industry": "31-33", "lq_min": "2"}, "pages/industry_map.py")
    assert_clean(at)
    assert at.number_input(key="w_lq_min").value == 2.0
    table = at.dataframe[0].value
    assert len(table) < 11
    meets = table["LQ at least 2"]
    assert set(meets) <= {"yes", "possibly"}
    exact = pd.to_numeric(table.loc[meets == "yes", "LQ (or range)"], errors="coerce").dropna()
    assert (exact >= 2).all()


def test_workforce_map_shows_exact_regional_shares():
    at = open_app({**EGR2, "indicator": "poverty_rate"}, "pages/workforce_map.py")
    assert_clean(at)
    assert at.selectbox(key="w_indicator").value == "poverty_rate"
    table = at.dataframe[0].value.set_index("Region")
    region = resolve_region("in-egr", "2")
    expected = workforce.workforce_values(region.counties)["poverty_rate"]
    label = workforce.INDICATORS["poverty_rate"].label
    assert table.loc[region.name, label] == formatting.share(expected)  # one decimal, as everywhere
    shown = [float(v.rstrip("%")) for v in table[label]]
    assert shown == sorted(shown, reverse=True)


def test_workforce_map_bivariate_view_classes_every_region():
    at = open_app({**EGR2, "indicator": "bivariate"}, "pages/workforce_map.py")
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 11
    names = {map_data.bivariate_name(f"{a}{b}") for a in "abc" for b in "123"}
    assert set(table["Class"]) <= names and "bivariate" not in table and "Class code" not in table


def test_region_profile_shows_the_regions_profile(egr2_profile):
    at = open_app(EGR2, "pages/region_profile.py")
    assert_clean(at)
    assert at.title[0].value == "Indiana Economic Growth Region 2"
    candidates = at.dataframe[0].value
    assert list(candidates["Sector"]) == [c["name"] for c in egr2_profile.candidate_sectors]
    # the class as its verdict: "likely ..." where the estimate inside a suppression range decides it
    assert list(candidates["Class"]) == [c["verdict"] for c in egr2_profile.candidate_sectors]
    assert any(v.startswith("likely ") for v in candidates["Class"])
    wf = _frame_with(at, "Indicator").set_index("Indicator")
    low_skill = workforce.INDICATORS["low_skill_share"].label
    assert wf.loc[low_skill, "Region"] == formatting.share(egr2_profile.workforce["low_skill_share"])
    state_low = seats.comparison_values(("18",))["low_skill_share"]
    assert wf.loc[low_skill, "Indiana"] == formatting.share(state_low)
    labels = {e.label for e in at.expander}
    for seat in egr2_profile.seats:
        if seat["level"] == "core":
            assert md(seat["name"]) in labels  # labels are Markdown, escaped


def test_region_profile_thresholds_from_a_link_change_the_seats():
    rule = next(r for r in seats.load_rules() if r.trigger is not None and r.id == "job-centers")
    strict = {**EGR2, "thresholds": f"{rule.id}.recommended:9,{rule.id}.strongly:10"}
    at = open_app(strict, "pages/region_profile.py")
    assert_clean(at)
    expected = profile.region_profile(
        resolve_region("in-egr", "2"),
        sector_id="advanced-manufacturing",
        seat_overrides={rule.id: {"recommended": 9.0, "strongly": 10.0}},
    )
    level = next(s["level"] for s in expected.seats if s["id"] == rule.id)
    assert level == "not indicated"
    headers = [s.value for s in at.subheader]
    not_indicated = next(h for h in headers if h.startswith("Not indicated"))
    count = sum(1 for s in expected.seats if s["level"] == "not indicated")
    assert not_indicated == f"Not indicated ({count})"
    assert at.query_params["thresholds"] == f"{rule.id}.recommended:9,{rule.id}.strongly:10"


def test_compare_page_puts_linked_regions_side_by_side():
    at = open_app({**EGR2, "compare": "2,5,11"}, "pages/compare_regions.py")
    assert_clean(at)
    assert at.multiselect(key="w_compare").value == ["2", "5", "11"]
    wf = _frame_with(at, "Indicator").set_index("Indicator")
    for rid in ("2", "5", "11"):
        region = resolve_region("in-egr", rid)
        value = workforce.workforce_values(region.counties)["unemployment_rate"]
        assert wf.loc[workforce.INDICATORS["unemployment_rate"].label, region.name] == formatting.share(value)


def test_partnership_table_keeps_filled_seats_and_checklist_in_the_link(egr2_profile):
    assessment = self_assessment.load_assessment()
    ticked = assessment.item_ids[:3]
    at = open_app({**EGR2, "filled": "employer-champions", "checked": ",".join(ticked)}, "pages/partnership_table.py")
    assert_clean(at)
    assert at.checkbox(key="w_filled_employer-champions").value is True
    open_seats = [s for s in egr2_profile.seats if s["level"] in ("core", "strongly recommended", "recommended")]
    assert any(h.value == f"Gaps ({len(open_seats) - 1} of {len(open_seats)} seats open)" for h in at.header)
    score = self_assessment.score_assessment(ticked)
    assert at.metric[0].value == f"{score['done']} of {score['total']} ({score['score']:.0%})"
    # ticking another seat goes into the link
    other = next(s["id"] for s in open_seats if s["id"] != "employer-champions")
    at.checkbox(key=f"w_filled_{other}").check().run()
    assert set(at.query_params["filled"].split(",")) == {"employer-champions", other}


def test_seat_ticks_stay_with_their_region_and_sector():
    """Ticks for growth region 2's advanced manufacturing are not carried to region 5, nor to another sector;
    coming back to region 2 shows them again."""
    at = open_app({**EGR2, "filled": "employer-champions"}, "pages/partnership_table.py")
    assert_clean(at)
    at.selectbox(key="w_region").select("5").run()
    assert_clean(at)
    assert at.checkbox(key="w_filled_employer-champions").value is False
    assert "filled" not in at.query_params
    at.checkbox(key="w_filled_employer-champions").check().run()  # region 5's own tick
    at.selectbox(key="w_industry").select("healthcare").run()
    assert at.checkbox(key="w_filled_employer-champions").value is False
    at.selectbox(key="w_industry").select("advanced-manufacturing").run()
    at.selectbox(key="w_region").select("2").run()
    assert at.checkbox(key="w_filled_employer-champions").value is True
    assert at.query_params["filled"] == "employer-champions"
    at.selectbox(key="w_region").select("5").run()
    assert at.query_params["filled"] == "employer-champions"  # region 5's, ticked above


def test_custom_region_from_a_link_is_profiled():
    at = open_app({"scheme": "custom", "counties": "18039,18141", "name": "Michiana"}, "pages/region_profile.py")
    assert_clean(at)
    assert at.title[0].value == "Michiana"
    expected = profile.region_profile(
        resolve_region("county", "18039").__class__("custom", "18039,18141", "Michiana", ("18039", "18141"))
    )
    wf = _frame_with(at, "Indicator").set_index("Indicator")
    label = workforce.INDICATORS["poverty_rate"].label
    assert wf.loc[label, "Region"] == formatting.share(expected.workforce["poverty_rate"])


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="region_upload").set_value((name, data, "text/csv"))
    return at.run()


def test_uploading_regions_makes_them_the_view():
    at = open_app(page="pages/custom_regions.py")
    csv = 'fips,region\n18097,Central <b>Indy</b>\n18057,Central <b>Indy</b>\n18039,"=HYPERLINK(""http://x"",""y"")"\n'
    upload(at, "areas.csv", csv.encode())
    assert_clean(at)
    assert sidebar_values(at)["scheme"] == "custom"
    assert at.query_params["counties"] == "18057,18097"
    assert at.query_params["name"] == "Central <b>Indy</b>"
    shown = at.dataframe[0].value
    assert list(shown["Region"]) == ["Central <b>Indy</b>", '=HYPERLINK("http://x","y")']
    assert list(shown["States"]) == ["Indiana", "Indiana"]  # state names, not FIPS codes
    # the page's markdown never carries the raw tag
    assert all("<b>" not in m.value for m in at.markdown if "Indy" in m.value)


@pytest.mark.parametrize(
    "data, expect",
    [
        (b"fips,region\n99999,Nowhere\n18097,Indy\n", "line 2"),
        (b"county,area\n", "columns"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "CSV"),
        (b"fips,region\n18097,A\n18097,B\n", "line 3"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_not_a_traceback(data, expect):
    at = open_app(page="pages/custom_regions.py")
    upload(at, "bad.csv", data)
    assert not at.exception
    assert at.error, "expected an error message"
    assert expect.lower() in at.error[0].value.lower()
    assert sidebar_values(at)["scheme"] == "in-egr"  # the view is unchanged


def test_missing_processed_data_is_a_message(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "dashboard build" in at.error[0].value


# --- regions without figures or boundaries: a note, grey areas, n/a -- never a zero ---------------------------

CT = {"state": "CT", "scheme": "county", "region": "09110", "industry": "healthcare"}


def gap_notes(at: AppTest) -> list[str]:
    """The notes on regions without figures: one line over the map, the whole note folded under it."""
    return [m.value.replace("\\", "") for e in at.expander for m in e.markdown if e.proto.icon == ":material/info:"]


def test_workforce_map_names_regions_without_figures_and_boundaries():
    """Connecticut: 8 former counties have no workforce figures and no 2024 boundary."""
    at = open_app(CT, page="pages/workforce_map.py")
    assert_clean(at)
    notes = gap_notes(at)
    assert any("8 regions of 17" in n and "Fairfield County, CT" in n and "no boundary" in n for n in notes), notes
    shown = at.dataframe[0].value
    fairfield = shown[shown["Region"] == "Fairfield County, CT"].iloc[0]
    label = workforce.INDICATORS["low_skill_share"].label
    assert fairfield[label] == formatting.NA and fairfield["Counties without data"] == 1


def test_industry_map_names_regions_without_figures():
    """Connecticut's planning regions have no 2016 industry rows: n/a in the table, named in the note."""
    at = open_app(CT, page="pages/industry_map.py")
    assert_clean(at)
    notes = gap_notes(at)
    assert any("9 regions of 17" in n and "Capitol Planning Region, CT" in n for n in notes), notes
    shown = at.dataframe[0].value
    assert (shown.loc[shown["Region"] == "Capitol Planning Region, CT", "LQ (or range)"] == "n/a").all()


def test_an_indicator_missing_for_a_whole_state_is_a_note():
    """Puerto Rico has no SAIPE poverty figures: every region is named as without one; none reads as 0."""
    at = open_app(
        {"state": "PR", "scheme": "county", "region": "72001", "industry": "healthcare", "indicator": "poverty_rate"},
        page="pages/workforce_map.py",
    )
    assert_clean(at)
    assert any("poverty" in n.lower() and "any region shown" in n for n in gap_notes(at)), gap_notes(at)
    assert (at.dataframe[0].value[workforce.INDICATORS["poverty_rate"].label] == formatting.NA).all()  # never 0


def test_no_note_where_every_region_has_figures():
    at = open_app(
        {"state": "IN", "scheme": "in-egr", "region": "2", "industry": "advanced-manufacturing"},
        page="pages/workforce_map.py",
    )
    assert_clean(at)
    assert not [n for n in gap_notes(at) if "No published figure" in n or "no boundary" in n]
    assert not [e for e in at.expander if e.proto.icon == ":material/info:"]
