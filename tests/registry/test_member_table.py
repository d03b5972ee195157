"""The members table as the page's editor saves it: whole, each changed row logged once, stale rows refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.registry import database, write
from dashboard.registry.models import ChangeLog, Member
from dashboard.registry.validate import InvalidRecord

from .helpers import import_rows, member, partnership


@pytest.fixture
def three_members(registry, tmp_path, capsys):
    p = partnership("Breathitt Health Careers Partnership")
    rows = [
        p,
        member(p, "a regional hospital system", "employer-champions", "employer", "622"),
        member(p, "a community and technical college", "colleges-training"),
        member(p, "a human services agency", "human-services"),
    ]
    assert import_rows(tmp_path, rows, capsys)[0] == 0
    with database.session(registry) as s:
        return [
            {
                c: getattr(m, c)
                for c in ("id", "version", "organisation", "seat", "kind", "naics", "joined_on", "left_on")
            }
            for m in s.scalars(select(Member).order_by(Member.id))
        ]


def _log(engine, table="member"):
    with database.session(engine) as s:
        return s.scalars(select(ChangeLog).where(ChangeLog.record_table == table).order_by(ChangeLog.id)).all()


def test_one_entry_per_changed_row(registry, three_members):
    loaded = {r["id"]: r["version"] for r in three_members}
    hospital, college, _agency = three_members
    edited = [dict(hospital), dict(college, organisation="a community college district", naics="")]
    before = len(_log(registry))
    with database.session(registry) as s:
        assert write.save_members(s, "local", 1, edited, loaded) == 2  # one changed, one removed, one unchanged
    entries = _log(registry)[before:]
    assert sorted((e.action, e.record_id) for e in entries) == [("delete", 3), ("update", 2)]
    with database.session(registry) as s:
        assert [m.organisation for m in s.scalars(select(Member).order_by(Member.id))] == [
            "a regional hospital system",
            "a community college district",
        ]


def test_a_stale_row_is_refused_and_nothing_written(registry, three_members):
    loaded = {r["id"]: r["version"] for r in three_members}
    first = [dict(r) for r in three_members]
    first[0]["organisation"] = "a regional health system"
    with database.session(registry) as s:
        write.save_members(s, "local", 1, first, loaded)
    second = [dict(r) for r in three_members]  # opened before the first save
    second[0]["organisation"] = "a hospital"
    second[1]["organisation"] = "a college"
    entries = len(_log(registry))
    with pytest.raises(write.Conflict, match="changed by local at"), database.session(registry) as s:
        write.save_members(s, "local", 1, second, loaded)
    with database.session(registry) as s:
        names = [m.organisation for m in s.scalars(select(Member).order_by(Member.id))]
    assert names[:2] == ["a regional health system", "a community and technical college"]
    assert len(_log(registry)) == entries


def test_a_bad_row_refuses_the_table_naming_it(registry, three_members):
    loaded = {r["id"]: r["version"] for r in three_members}
    rows = [dict(r) for r in three_members] + [{"organisation": "", "seat": "convener", "kind": "champion"}]
    with pytest.raises(InvalidRecord) as exc, database.session(registry) as s:
        write.save_members(s, "local", 1, rows, loaded)
    assert exc.value.problems == [("row 4, organisation", "is required")]


def test_someone_without_a_role_cannot_write(registry, three_members):
    with pytest.raises(PermissionError, match="may not change"), database.session(registry) as s:
        write.save_members(
            s, "visitor@example.org", 1, [{"organisation": "x", "seat": "convener", "kind": "champion"}], {}
        )


def test_an_editor_writes_only_the_states_granted(registry, three_members, tmp_path, capsys):
    from dashboard import cli

    assert cli.main(["db", "grant", "planner@example.org", "--role", "editor", "--state", "KY"]) == 0
    ohio = partnership("Columbus Healthcare Partnership", region="39049")
    assert import_rows(tmp_path, [ohio], capsys, "ohio.csv")[0] == 0
    row = {"organisation": "an adult education provider", "seat": "adult-literacy", "kind": "champion"}
    with database.session(registry) as s:
        assert write.save_members(s, "planner@example.org", 1, [row], {}) == 1
    with pytest.raises(PermissionError, match="for OH"), database.session(registry) as s:
        write.save_members(s, "planner@example.org", 2, [row], {})
