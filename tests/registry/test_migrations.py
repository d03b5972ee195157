"""The registry's schema on SQLite and PostgreSQL: migrations from empty, down again, one head, models = migrations,
a newer schema refused with one message."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from dashboard.registry import database, migrate
from dashboard.registry.models import Base

TABLES = {
    "partnership",
    "partnership_county",
    "member",
    "assessment",
    "outcome",
    "app_user",
    "app_user_state",
    "change_log",
    "workspace",
}


def test_one_head_and_a_line_of_revisions():
    script = ScriptDirectory.from_config(migrate.config())
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()] == ["0002", "0001"]


def test_upgrade_from_empty_then_downgrade(db_url):
    engine = database.make_engine(database.database_url(db_url))
    assert migrate.upgrade(engine) is None
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
    migrate.downgrade(engine, "0001")
    assert "workspace" not in inspect(engine).get_table_names()
    assert "partnership" in inspect(engine).get_table_names()
    migrate.downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_match_migrations(registry):
    with registry.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = database.make_engine(database.database_url(str(tmp_path / "r.db")))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == database.BUSY_TIMEOUT_MS
    engine.dispose()


def test_a_newer_schema_is_refused_with_one_message(registry):
    with registry.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        migrate.ensure_current(registry)
    except database.RegistryUnavailable as exc:
        assert "newer version" in str(exc) and "9999" in str(exc)
    else:
        raise AssertionError("a database at an unknown revision was used")


def test_an_unreachable_database_is_one_message(monkeypatch):
    url = database.database_url("postgresql://nobody@/nowhere?host=/nonexistent-socket-folder")
    engine = database.make_engine(url)
    try:
        migrate.ensure_current(engine)
    except database.RegistryUnavailable as exc:
        assert "cannot be used" in str(exc) and "PostgreSQL" in str(exc)
    else:
        raise AssertionError("an unreachable database was reported as usable")


def test_default_database_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(database.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = database.database_url()
    assert url.database == str(tmp_path / "sector-atlas" / "registry.db")
    assert database.database_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
