"""Who may change the registry once sign-in is configured, through the pages (AppTest with a signed-in user):
a viewer reads without edit controls; an editor of Kentucky edits Kentucky and only reads Ohio; a form
submitted after its editor lost the role is refused on the server and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.data import paths
from dashboard.registry import database
from dashboard.registry.models import ChangeLog, Partnership
from dashboard.ui.text import md

from .helpers import import_rows, partnership
from .test_registry_pages import KY_COUNTY, clean, record_partnership

APP = str(paths.ROOT / "app.py")
#: Franklin County, Ohio: a partnership outside the Kentucky editor's state.
OHIO = "39049"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-secret-only",
    "client_id": "sector-atlas",
    "client_secret": "unused",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in(params: dict, email: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "name": email}
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _count(engine, model) -> int:
    with database.session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def _grant(email: str, role: str, state: str | None = None) -> None:
    assert cli.main(["db", "grant", email, "--role", role, *(["--state", state] if state else [])]) == 0


def _add_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.startswith("FormSubmitter:reg_add")]


def test_signed_out_visitors_read_and_see_a_sign_in_button(registry):
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    for key, value in KY_COUNTY.items():
        at.query_params[key] = value
    at = clean(at.run())
    assert [b for b in at.button if b.key == "sign-in"]
    assert any("Sign in to change the registry" in i.value for i in at.info)
    assert not _add_buttons(at)


def test_a_viewer_reads_without_edit_controls(registry):
    at = clean(signed_in(KY_COUNTY, "viewer@example.org"))
    assert any(f"Signed in as {md('viewer@example.org')}" in c.value for c in at.caption)
    assert any("you can read the registry" in i.value for i in at.info)
    assert not _add_buttons(at)


def test_an_editor_of_kentucky_edits_kentucky_and_reads_ohio(registry, tmp_path, capsys):
    code, _, err = import_rows(tmp_path, [partnership("Columbus Health Careers", region=OHIO)], capsys)
    assert code == 0, err
    _grant("editor@example.org", "editor", "KY")
    clean(record_partnership(signed_in(KY_COUNTY, "editor@example.org"), "Breathitt Health Careers"))
    with database.session(registry) as s:
        made = s.scalars(select(Partnership).where(Partnership.name == "Breathitt Health Careers")).one()
        entry = s.scalars(
            select(ChangeLog).where(
                ChangeLog.action == "create", ChangeLog.record_id == made.id, ChangeLog.record_table == "partnership"
            )
        ).all()
        assert [e.actor for e in entry] == ["editor@example.org"]
    ohio = clean(signed_in({"page": "partnerships", "partnership": "1"}, "editor@example.org"))
    assert ohio.header[0].value == "Columbus Health Careers"
    assert not [b for b in ohio.button if b.key and b.key.startswith("FormSubmitter:reg_edit_1")]


def test_a_form_sent_after_the_role_was_withdrawn_is_refused(registry):
    _grant("editor@example.org", "editor", "KY")
    at = clean(signed_in(KY_COUNTY, "editor@example.org"))
    assert _add_buttons(at)
    _grant("editor@example.org", "viewer")  # withdrawn while the form is open (the grant is logged too)
    before = _count(registry, ChangeLog)
    at = record_partnership(at, "Breathitt Health Careers")
    # the server decides again on the submitting run: no form to take it, and the role no longer allows it
    assert not any("Recorded" in s.value for s in at.success)
    assert any("you can read the registry" in i.value for i in at.info)
    assert _count(registry, Partnership) == 0
    assert _count(registry, ChangeLog) == before
