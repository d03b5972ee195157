"""The registry through the command line: import, export, coverage, grant, the change log."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from dashboard import cli
from dashboard.registry import database
from dashboard.registry.models import ChangeLog, Member, Partnership, User

from .helpers import COUNTY, coverage_cell, import_rows, member, partnership


def _count(engine, model) -> int:
    with database.session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_healthcare_gap_until_an_active_partnership_covers_the_county(registry, tmp_path, capsys):
    cell = coverage_cell(capsys)
    assert (cell["class"], cell["pool"]) == ("existing strength", "sufficient")
    assert cell["status"] == "gap" and cell["phase"] == ""
    dormant = partnership("Breathitt Healthcare Careers Partnership", phase="dormant")
    assert import_rows(tmp_path, [dormant], capsys)[0] == 0
    cell = coverage_cell(capsys)
    assert cell["status"] == "gap" and cell["phase"] == "dormant", "a dormant partnership does not cover the sector"
    # an active one over a custom set of counties that includes this one covers it
    active = partnership(
        "Kentucky River Healthcare Partnership", scheme="custom", region="", counties="21025,21189,21129"
    )
    active["region_name"] = "Kentucky River counties"
    assert import_rows(tmp_path, [active], capsys, "second.csv")[0] == 0
    cell = coverage_cell(capsys)
    assert cell["status"] == "covered" and cell["phase"] == "active"
    assert "Kentucky River Healthcare Partnership" in cell["partnerships"]
    # elsewhere the gap is still there: a county outside the custom region
    assert coverage_cell(capsys, region="21111")["status"] == "gap"


def test_a_partnership_in_a_sector_the_data_do_not_support_is_flagged(registry, tmp_path, capsys):
    weak = coverage_cell(capsys, sector="construction")
    assert weak["class"] == "weak" or weak["pool"] == "too small", "pick a sector the data do not support here"
    assert (
        import_rows(tmp_path, [partnership("Breathitt Construction Partnership", sector="construction")], capsys)[0]
        == 0
    )
    assert coverage_cell(capsys, sector="construction")["status"] == "flagged"


def test_export_then_import_round_trip(registry, tmp_path, capsys, monkeypatch):
    p = partnership(
        "Eastern Kentucky Health Careers Partnership",
        phase_history="exploring 2022-02-01; launching 2023-05-10; active 2024-01-15",
        started_on="2022-02-01",
        website="https://example.org/partnership",
        notes="Meets quarterly",
    )
    rows = [
        p,
        member(p, "a regional hospital system", "employer-champions", "employer", "622", joined_on="2022-02-01"),
        member(p, "a community and technical college", "colleges-training", joined_on="2022-03-01"),
        member(p, '=HYPERLINK("https://example.org","a formula")', "human-services"),
        member(
            p,
            "a home health agency",
            "employer-champions",
            "employer",
            "6216",
            left_on="2024-06-30",
            joined_on="2022-02-01",
        ),
        {
            **{k: p[k] for k in ("partnership", "scheme", "region", "sector")},
            "record": "outcome",
            "period": "2024",
            "metric": "placements",
            "value": "41",
            "note": "the convener's yearly report",
        },
        {
            **{k: p[k] for k in ("partnership", "scheme", "region", "sector")},
            "record": "assessment",
            "assessed_on": "2024-03-01",
            "ticked": "employers-set-agenda,worker-measures",
        },
    ]
    code, out, err = import_rows(tmp_path, rows, capsys)
    assert code == 0, err
    assert "1 partnership, 4 members, 1 outcome, 1 assessment" in out
    assert cli.main(["db", "export", "--out", str(tmp_path / "first.csv")]) == 0
    first = pd.read_csv(tmp_path / "first.csv", dtype=str, keep_default_na=False)
    assert len(first) == 7 and first["organisation"].tolist().count("a regional hospital system") == 1
    # a spreadsheet would run it as a formula: the export neutralises it, the import restores it
    assert '\'=HYPERLINK("https://example.org","a formula")' in first["organisation"].tolist()
    # into a second, empty registry: the same records come back out
    monkeypatch.setenv(database.ENV, str(tmp_path / "second.db"))
    database.engine_for.cache_clear()
    assert cli.main(["db", "import", str(tmp_path / "first.csv")]) == 0
    assert cli.main(["db", "export", "--out", str(tmp_path / "second.csv")]) == 0
    second = pd.read_csv(tmp_path / "second.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(first, second)
    with database.session(database.engine()) as s:
        assert (
            s.scalar(select(func.count()).select_from(Member).where(Member.organisation.startswith("=HYPERLINK"))) == 1
        )
    database.engine_for.cache_clear()


def test_a_file_with_one_bad_row_writes_nothing_and_names_it(registry, tmp_path, capsys):
    p = partnership("Eastern Kentucky Health Careers Partnership")
    rows = [
        p,
        member(p, "a regional hospital system", "employer-champions", "employer", "622"),
        member(p, "a community college", "not-a-seat"),
        member(p, "a nursing home", "employer-champions", "employer", "", joined_on="2024-13-01"),
    ]
    code, _, err = import_rows(tmp_path, rows, capsys)
    assert code == 1
    assert "row 4, column seat: 'not-a-seat' is not one of" in err
    assert "row 5, column naics" in err and "row 5, column joined_on" in err
    assert _count(registry, Partnership) == 0 and _count(registry, Member) == 0 and _count(registry, ChangeLog) == 0


def test_a_duplicate_partnership_is_refused(registry, tmp_path, capsys):
    p = partnership("Eastern Kentucky Health Careers Partnership")
    assert import_rows(tmp_path, [p], capsys)[0] == 0
    again = dict(p, partnership="  eastern kentucky health careers  PARTNERSHIP ")
    code, _, err = import_rows(tmp_path, [again], capsys, "again.csv")
    assert code == 1 and "already recorded for this region and sector" in err
    assert _count(registry, Partnership) == 1


def test_every_imported_record_leaves_one_log_entry(registry, tmp_path, capsys):
    p = partnership("Eastern Kentucky Health Careers Partnership")
    rows = [
        p,
        member(p, "a regional hospital system", "employer-champions", "employer", "622"),
        member(p, "an adult education provider", "adult-literacy"),
    ]
    assert import_rows(tmp_path, rows, capsys)[0] == 0
    with database.session(registry) as s:
        entries = s.scalars(select(ChangeLog).order_by(ChangeLog.id)).all()
        assert [(e.record_table, e.action, e.actor) for e in entries] == [
            ("partnership", "create", "local"),
            ("member", "create", "local"),
            ("member", "create", "local"),
        ]
        assert entries[0].before is None and entries[0].after["counties"] == [COUNTY]
        assert len({(e.record_table, e.record_id) for e in entries}) == 3


def test_grant_roles(registry, capsys):
    assert cli.main(["db", "grant", "Planner@Example.org", "--role", "editor", "--state", "KY"]) == 0
    assert "planner@example.org is an editor for KY" in capsys.readouterr().out
    assert cli.main(["db", "grant", "planner@example.org", "--role", "editor"]) == 2
    assert "an editor needs at least one state" in capsys.readouterr().err
    assert cli.main(["db", "grant", "not-an-address", "--role", "admin"]) == 2
    with database.session(registry) as s:
        (user,) = s.scalars(select(User)).all()
        assert (user.role, [x.state for x in user.states]) == ("editor", ["21"])
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 1


def test_an_unusable_database_is_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(database.ENV, "mysql://somewhere/db")
    database.engine_for.cache_clear()
    assert cli.main(["db", "export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "postgresql://" in err
