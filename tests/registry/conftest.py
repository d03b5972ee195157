"""The registry's tests run on both engines: SQLite (a file per test) and PostgreSQL (a database per test in the
cluster ``SECTOR_ATLAS_TEST_PG`` names; .ci/run starts one). Without that URL the PostgreSQL cases are skipped on a
laptop, and fail under CI (``CI`` set), so CI can never pass without testing PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.registry import database, migrate

PG_ENV = "SECTOR_ATLAS_TEST_PG"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the registry tests on PostgreSQL (see .ci/run)")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (a postgresql:// URL of a throwaway cluster)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database's SECTOR_ATLAS_DB value on each engine."""
    if request.param == "sqlite":
        yield str(tmp_path / "registry.db")
        return
    admin = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    name = f"t_{uuid.uuid4().hex[:16]}"
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")
    yield url
    database.engine_for.cache_clear()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def registry(db_url, monkeypatch):
    """The app's registry pointed at a fresh database (SECTOR_ATLAS_DB), migrated; yields its engine."""
    monkeypatch.setenv(database.ENV, db_url)
    engine = database.engine()
    migrate.ensure_current(engine)
    yield engine
    engine.dispose()
    database.engine_for.cache_clear()
