"""Two app servers on one PostgreSQL registry (as replicas share one): a partnership recorded in one is listed by
the other at its next run; a phase changed in the other is what the first shows after a reload; and the first
server killed outright (SIGKILL) loses nothing it had committed. Both servers listen on 127.0.0.1 with no sign-in,
so each edits as its local user (behind nginx the registry needs sign-in: tests/deploy/test_registry_read_only.py).
"""

from __future__ import annotations

import os
import signal
import uuid

import pytest
from registry.conftest import _pg_admin_url
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from dashboard.registry.models import ChangeLog, Partnership

from .conftest import open_app, wait_for_app
from .server import running_app
from .test_browser import exceptions
from .test_registry_browser import NAME, _choose, _click, record_through_the_form
from .test_sign_in import _context

KY = "/?page=partnerships&state=KY&scheme=county&region=21025&industry=healthcare"


@pytest.fixture
def pg_registry():
    """A fresh database in the test PostgreSQL cluster (``SECTOR_ATLAS_TEST_PG``); its URL, dropped after."""
    admin = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    name = f"t_{uuid.uuid4().hex[:16]}"
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.set(database=name)
    yield url.render_as_string(hide_password=False).replace("+psycopg", "")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _stored(url: str):
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            phases = conn.execute(select(Partnership.name, Partnership.phase)).all()
            log = conn.execute(select(ChangeLog.actor, ChangeLog.action).order_by(ChangeLog.id)).all()
        return [tuple(p) for p in phases], [tuple(e) for e in log]
    finally:
        engine.dispose()


def test_two_servers_on_one_postgresql_see_each_other_s_writes(browser, artifacts, pg_registry):
    env = {"SECTOR_ATLAS_DB": pg_registry}
    refused: list[tuple[str, str]] = []
    with running_app(artifacts / "registry-replica-a.log", env=env) as a:
        with running_app(artifacts / "registry-replica-b.log", env=env) as b:
            context = _context(browser, [a.base_url, b.base_url], refused)
            page_a = context.new_page()
            open_app(page_a, a.base_url + KY)
            record_through_the_form(page_a, NAME, "launching")

            # the other server lists it at its next run, and changes its phase
            page_b = context.new_page()
            open_app(page_b, b.base_url + KY)
            listed = page_b.get_by_role("combobox", name="Open a partnership", exact=True).input_value()
            assert listed.startswith(NAME), listed
            # the page's own Open button (each select box's arrow is also named "Open")
            page_b.locator('[data-testid="stButton"]').get_by_role("button", name="Open", exact=True).click()
            page_b.get_by_role("heading", name=NAME).wait_for(timeout=60_000)
            wait_for_app(page_b)
            page_b.get_by_role("tab", name="Edit").click()
            _choose(page_b, "Phase", "active")
            _click(page_b, "Save the changes", then=page_b.get_by_text("Changes saved.", exact=False).first)
            assert exceptions(page_b) == []

            # the first server shows the new phase after a reload
            page_a.reload()
            wait_for_app(page_a)
            shown = page_a.get_by_text("Phase: active", exact=False).count()
            assert shown + page_a.get_by_text("active since", exact=False).count() >= 1

            # killed outright: the committed records stay, and the other server still shows them
            os.kill(a.pid, signal.SIGKILL)
            page_b.reload()
            wait_for_app(page_b)
            assert page_b.get_by_role("heading", name=NAME).count() == 1
            context.close()
    assert refused == []
    assert _stored(pg_registry) == (
        [(NAME, "active")],
        [("local", "create"), ("local", "update")],
    )
