"""The Partnerships and Coverage pages through AppTest: recording through the forms, a share link reopening a
partnership, two sessions saving the same partnership, a read-only server, an unusable database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard.analysis.regions import resolve_region
from dashboard.data import paths
from dashboard.registry import database
from dashboard.registry.models import ChangeLog, Member, Partnership
from dashboard.report import profile
from dashboard.ui.text import md

from .helpers import COUNTY, csv_text, import_rows, member, partnership

APP = str(paths.ROOT / "app.py")
KY_COUNTY = {"page": "partnerships", "state": "KY", "scheme": "county", "region": COUNTY, "industry": "healthcare"}


@pytest.fixture
def on_loopback():
    """The app as `sector-atlas serve` runs it on a laptop: listening on 127.0.0.1 only."""
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


def open_app(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def clean(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def record_partnership(at: AppTest, name: str, phase: str = "active") -> AppTest:
    at.text_input(key="reg_add_name").input(name)
    at.selectbox(key="reg_add_phase").select(phase)
    at.text_input(key="reg_add_convener").input("a local workforce development board")
    at.selectbox(key="reg_add_kind").select("workforce-board")
    return at.button(key="FormSubmitter:reg_add-Record the partnership").click().run()


def add_member(at: AppTest, pid: int, organisation: str, seat: str, kind: str, naics: str = "") -> AppTest:
    at.text_input(key="reg_member_org").input(organisation)
    at.selectbox(key="reg_member_seat").select(seat)
    at.radio(key="reg_member_kind").set_value(kind)
    at.text_input(key="reg_member_naics").input(naics)
    return at.button(key=f"FormSubmitter:reg_member_add_{pid}-Add the member").click().run()


def _one(engine, model):
    with database.session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_empty_registry_says_how_to_begin(registry, on_loopback):
    at = clean(open_app(KY_COUNTY))
    assert any("No partnership is recorded yet" in i.value for i in at.info)
    assert at.button(key="FormSubmitter:reg_add-Record the partnership")


def test_record_with_members_then_reopen_by_link(registry, on_loopback):
    at = clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    assert at.session_state["view"]["partnership"] == "1"  # the share link now names it
    assert any("Recorded Breathitt Health Careers Partnership" in s.value for s in at.success)
    at = clean(add_member(at, 1, "a regional hospital system", "employer-champions", "employer", "622"))
    at = clean(add_member(at, 1, "a community and technical college", "colleges-training", "champion"))
    at = clean(add_member(at, 1, "a human services agency", "human-services", "champion"))
    # a bad member: an employer without its NAICS code is refused, nothing written
    at = add_member(at, 1, "a nursing home", "employer-champions", "employer", "")
    assert any("NAICS code" in e.value for e in at.error)
    assert _one(registry, Member) == 3
    # a fresh session opened from the share link shows the same partnership and its members
    fresh = clean(open_app({"page": "partnerships", "partnership": "1"}))
    assert fresh.header[0].value == "Breathitt Health Careers Partnership"
    text = " ".join(m.value for m in fresh.markdown) + " ".join(c.value for c in fresh.caption)
    assert "Breathitt County, KY" in text and "3 current members" in text
    assert _one(registry, ChangeLog) == 4


def test_duplicate_is_refused_with_a_message(registry, on_loopback):
    at = clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    at = record_partnership(open_app(KY_COUNTY), "breathitt health careers partnership")
    assert any("already recorded for this region and sector" in e.value for e in at.error)
    assert _one(registry, Partnership) == 1


def _edit(at: AppTest, notes: str) -> AppTest:
    (area,) = [t for t in at.text_area if t.key.startswith("reg_edit_1_") and t.key.endswith("_notes")]
    area.input(notes)
    return at.button(key="FormSubmitter:reg_edit_1-Save the changes").click().run()


def test_two_sessions_save_the_same_partnership(registry, on_loopback):
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    first = clean(open_app({"page": "partnerships", "partnership": "1"}))
    second = clean(open_app({"page": "partnerships", "partnership": "1"}))
    first = clean(_edit(first, "Meets monthly at the hospital"))
    assert any("Changes saved" in s.value for s in first.success)
    second = _edit(second, "Meets quarterly at the college")
    refused = [e.value for e in second.error]
    assert refused and "changed by local at" in refused[0] and "nothing was saved" in refused[0]
    beside = next(d.value for d in second.dataframe if "Saved by them" in d.value.columns)
    assert beside.values.tolist() == [["Notes", "Meets quarterly at the college", "Meets monthly at the hospital"]]
    with database.session(registry) as s:
        assert s.get(Partnership, 1).notes == "Meets monthly at the hospital"
        updates = s.scalars(select(ChangeLog).where(ChangeLog.action == "update")).all()
        assert len(updates) == 1 and updates[0].after["notes"] == "Meets monthly at the hospital"


def test_a_server_others_can_reach_is_read_only(registry, on_loopback, monkeypatch):
    monkeypatch.setenv("SECTOR_ATLAS_SHARED", "1")
    at = clean(open_app(KY_COUNTY))
    assert any("read-only" in i.value for i in at.info)
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:reg_add")]


def test_coverage_page_shows_the_gap_then_the_partnership(registry, on_loopback):
    view = {"page": "coverage", "state": "KY", "scheme": "county", "region": COUNTY, "industry": "healthcare"}
    at = clean(open_app(view))
    gaps = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    assert ((gaps["Region"] == "Breathitt County, KY") & (gaps["Sector"] == "Healthcare")).any()
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    at = clean(open_app(view))
    gaps = [d.value for d in at.dataframe if "Verdict" in d.value.columns]
    assert not any(((g["Region"] == "Breathitt County, KY") & (g["Sector"] == "Healthcare")).any() for g in gaps)


def test_an_unusable_database_stops_only_the_registry_pages(monkeypatch, on_loopback):
    monkeypatch.setenv(database.ENV, "mysql://elsewhere/registry")
    at = open_app(KY_COUNTY)
    assert not at.exception
    assert len(at.error) == 1 and "must be a SQLite file path" in at.error[0].value
    at = open_app({"state": "KY", "scheme": "county", "region": COUNTY})
    assert not at.exception and not at.error


def test_partnership_table_takes_its_checklist_from_the_members(registry, on_loopback, tmp_path, capsys):
    p = partnership("Breathitt Health Careers Partnership")
    rows = [
        p,
        member(p, "a regional hospital system", "employer-champions", "employer", "622"),
        member(p, "a community and technical college", "colleges-training"),
        member(p, "a human services agency", "human-services", left_on="2024-06-30", joined_on="2022-01-10"),
    ]
    assert import_rows(tmp_path, rows, capsys)[0] == 0
    view = {"page": "partnership-table", "state": "KY", "scheme": "county", "region": COUNTY, "industry": "healthcare"}
    at = clean(open_app(view))
    at.selectbox(key="w_table_partnership").select("1").run()
    clean(at)
    expected = profile.region_profile(resolve_region("county", COUNTY), sector_id="healthcare", state="21").seats
    indicated = [s for s in expected if s["level"] in ("core", "strongly recommended", "recommended")]
    open_names = [s["name"] for s in indicated if s["id"] not in {"employer-champions", "colleges-training"}]
    gaps = next(d.value for d in at.dataframe if "Seat" in d.value.columns or "seat" in d.value.columns)
    column = "Seat" if "Seat" in gaps.columns else "seat"
    assert gaps[column].tolist() == open_names
    assert any(h.value.startswith(f"Gaps ({len(open_names)} of {len(indicated)}") for h in at.header)


def test_region_profile_lists_the_recorded_partnership_with_its_open_seats(registry, tmp_path, capsys, downloads):
    p = partnership("Breathitt Health Careers Partnership", phase="launching")
    assert (
        import_rows(
            tmp_path, [p, member(p, "a regional hospital system", "employer-champions", "employer", "622")], capsys
        )[0]
        == 0
    )
    view = {"page": "region-profile", "state": "KY", "scheme": "county", "region": COUNTY, "industry": "healthcare"}
    at = clean(open_app(view))
    table = next(d.value for d in at.dataframe if "Open seats" in d.value.columns)
    assert table[["Partnership", "Sector", "Phase"]].values.tolist() == [
        ["Breathitt Health Careers Partnership", "Healthcare", "launching"]
    ]
    expected = profile.region_profile(resolve_region("county", COUNTY), sector_id="healthcare", state="21").seats
    open_names = [
        s["name"]
        for s in expected
        if s["level"] in ("core", "strongly recommended", "recommended") and s["id"] != "employer-champions"
    ]
    assert table["Open seats"].iloc[0] == "; ".join(open_names)
    # the printable brief lists it too
    import html
    import re

    brief = html.unescape(downloads[f"brief_county_{COUNTY}.html"].decode())
    section = brief.split("<h2>Partnerships recorded here</h2>")[1].split("</table>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", section)
    assert cells == ["Breathitt Health Careers Partnership", "Healthcare", "launching", "; ".join(open_names)]


def test_import_on_the_page_all_or_nothing(registry, on_loopback):
    p = partnership("Breathitt Health Careers Partnership")
    bad = csv_text([p, member(p, "a regional hospital system", "employer-champions", "employer", "62X")])
    at = clean(open_app(KY_COUNTY))
    at.get("file_uploader")[0].set_value(("partnerships.csv", bad.encode(), "text/csv"))
    at.run()
    at.button(key="reg_import").click().run()
    assert any("Nothing was imported" in e.value for e in at.error)
    assert any("row 3, column naics" in m.value for m in at.markdown)
    assert _one(registry, Partnership) == 0 and _one(registry, ChangeLog) == 0
    good = csv_text([p, member(p, "a regional hospital system", "employer-champions", "employer", "622")])
    at.get("file_uploader")[0].set_value(("partnerships.csv", good.encode(), "text/csv"))
    at.run()
    clean(at.button(key="reg_import").click().run())
    assert _one(registry, Partnership) == 1 and _one(registry, Member) == 1 and _one(registry, ChangeLog) == 2


def test_outcomes_form_and_chart(registry, on_loopback):
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    at = clean(open_app({"page": "partnerships", "partnership": "1"}))
    for period, value in (("2023", "18"), ("2024", "41")):
        at.text_input(key="reg_outcome_period").input(period)
        at.selectbox(key="reg_outcome_metric").select("placements")
        at.text_input(key="reg_outcome_value").input(value)
        at.text_input(key="reg_outcome_note").input("the convener's yearly report")
        at = clean(at.button(key="FormSubmitter:reg_outcome_add_1-Record the outcome").click().run())
    at.text_input(key="reg_outcome_period").input("2024-Q5")
    at.text_input(key="reg_outcome_value").input("many")
    at = at.button(key="FormSubmitter:reg_outcome_add_1-Record the outcome").click().run()
    assert any("Period" in e.value and "Value" in e.value for e in at.error)
    fresh = clean(open_app({"page": "partnerships", "partnership": "1"}))
    table = next(d.value for d in fresh.dataframe if "Where the figure came from" in d.value.columns)
    assert table[["Period", "Value"]].values.tolist() == [["2023", 18.0], ["2024", 41.0]]
    # the state's roll-up on the Coverage page adds the counts by year
    cov = clean(open_app({"page": "coverage", "state": "KY", "scheme": "county", "region": COUNTY}))
    roll = next(d.value for d in cov.dataframe if "Partnerships reporting" in d.value.columns)
    assert roll[["Year", "Total"]].values.tolist() == [[2023, 18.0], [2024, 41.0]]


def test_user_text_renders_inert(registry, on_loopback):
    name = "**Bold** <script>alert(1)</script> [link](https://example.org)"
    clean(record_partnership(open_app(KY_COUNTY), name))
    at = clean(open_app({"page": "partnerships", "partnership": "1"}))
    # shown exactly as typed: every markdown and HTML character escaped, as the app's own text helper does
    assert at.header[0].value == md(name)
    assert at.header[0].value.startswith("\\*\\*Bold\\*\\* \\<script\\>")


def test_a_phase_change_is_dated_and_logged(registry, on_loopback):
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership", phase="exploring"))
    at = clean(open_app({"page": "partnerships", "partnership": "1"}))
    (phase,) = [s for s in at.selectbox if s.key and s.key.startswith("reg_edit_1_") and s.key.endswith("_phase")]
    phase.select("active")
    at = clean(at.button(key="FormSubmitter:reg_edit_1-Save the changes").click().run())
    with database.session(registry) as s:
        record = s.get(Partnership, 1)
        assert [h["phase"] for h in record.phase_history] == ["exploring", "active"]
        assert record.version == 2
        (update,) = s.scalars(select(ChangeLog).where(ChangeLog.action == "update")).all()
        assert (update.before["phase"], update.after["phase"]) == ("exploring", "active")


def test_a_database_lost_while_running_is_one_message(registry, db_url, on_loopback):
    if not db_url.startswith("postgresql"):
        pytest.skip("a SQLite file stays open while the app runs; a server going away is PostgreSQL's case")
    at = clean(open_app(KY_COUNTY))
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    admin = create_engine(url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
    admin.dispose()
    at = open_app(KY_COUNTY)
    assert not at.exception
    assert len(at.error) == 1 and "stopped answering" in at.error[0].value
