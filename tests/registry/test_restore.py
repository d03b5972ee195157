"""Restoring an earlier version of a partnership from its History tab (AppTest): the local user (an admin's
rights) restores; the restore is a logged write; an editor sees no restore control and a forced restore is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard import cli
from dashboard.registry import database, write
from dashboard.registry.access import WriteRefused
from dashboard.registry.models import ChangeLog, Partnership

from .test_registry_pages import KY_COUNTY, _edit, clean, on_loopback, open_app, record_partnership  # noqa: F401
from .test_sign_in_roles import signed_in


def _log(engine) -> list[ChangeLog]:
    with database.session(engine) as s:
        return list(s.scalars(select(ChangeLog).order_by(ChangeLog.id)))


@pytest.mark.usefixtures("on_loopback")
def test_the_local_user_restores_the_first_version(registry):
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    at = clean(open_app({"page": "partnerships", "partnership": "1"}))
    at = clean(_edit(at, "Meets monthly at the hospital"))
    at = clean(_edit(at, "Meets quarterly at the college"))
    created = _log(registry)[0]
    assert created.action == "create"
    at.selectbox(key="reg_restore_pick_1").set_value(created.id)
    at = clean(at.run())
    shown = next(d.value for d in at.dataframe if "That version" in d.value.columns)
    assert shown.values.tolist() == [["Notes", "Meets quarterly at the college", ""]]
    at = clean(at.button(key="reg_restore_1").click().run())
    assert any("earlier version is restored" in s.value for s in at.success)
    with database.session(registry) as s:
        assert s.get(Partnership, 1).notes == ""
    log = _log(registry)
    assert [e.action for e in log] == ["create", "update", "update", "restore"]
    assert log[-1].before["notes"] == "Meets quarterly at the college" and log[-1].after["notes"] == ""
    assert log[-1].actor == "local"


@pytest.mark.usefixtures("on_loopback")
def test_a_restore_after_someone_elses_save_is_refused(registry):
    clean(record_partnership(open_app(KY_COUNTY), "Breathitt Health Careers Partnership"))
    at = clean(_edit(clean(open_app({"page": "partnerships", "partnership": "1"})), "Meets monthly"))
    other = clean(_edit(clean(open_app({"page": "partnerships", "partnership": "1"})), "Meets weekly"))
    assert any("Changes saved" in s.value for s in other.success)
    at = at.button(key="reg_restore_1").click().run()
    assert any("changed by local at" in e.value and "nothing was saved" in e.value for e in at.error)
    with database.session(registry) as s:
        assert s.get(Partnership, 1).notes == "Meets weekly"
    assert [e.action for e in _log(registry)] == ["create", "update", "update"]


def test_an_editor_sees_no_restore_control_and_a_forced_restore_is_refused(registry):
    with database.session(registry) as s:
        made = write.create_partnership(
            s,
            "local",
            {
                "name": "Breathitt Health Careers Partnership",
                "scheme": "county",
                "region": KY_COUNTY["region"],
                "sector": "healthcare",
                "phase": "active",
            },
        )
        pid = made.id
    with database.session(registry) as s:
        write.update_partnership(s, "local", pid, 1, {**_values(s, pid), "notes": "Meets monthly at the hospital"})
    assert cli.main(["db", "grant", "editor@example.org", "--role", "editor", "--state", "KY"]) == 0
    at = clean(signed_in({"page": "partnerships", "partnership": str(pid)}, "editor@example.org"))
    assert at.button(key=f"FormSubmitter:reg_edit_{pid}-Save the changes")  # an editor: the edit form is there
    assert not [b for b in at.button if b.key == f"reg_restore_{pid}"]
    assert not [s for s in at.selectbox if s.key == f"reg_restore_pick_{pid}"]
    first = _log(registry)[0].id
    with pytest.raises(WriteRefused, match="may not restore earlier versions"):
        with database.session(registry) as s:
            write.restore_partnership(s, "editor@example.org", pid, 2, first)
    with database.session(registry) as s:
        assert s.get(Partnership, pid).notes == "Meets monthly at the hospital"
    assert [e.action for e in _log(registry) if e.record_table == "partnership"] == ["create", "update"]


def _values(session, pid: int) -> dict:
    p = session.get(Partnership, pid)
    return {
        "name": p.name,
        "scheme": p.scheme,
        "region": p.region_id,
        "counties": ",".join(c.fips for c in p.counties),
        "region_name": p.region_name,
        "sector": p.sector,
        "phase": p.phase,
        "convener": p.convener,
        "convener_kind": p.convener_kind,
        "notes": p.notes,
    }
