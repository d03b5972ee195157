"""The registry's schema: Alembic migrations shipped in the package, applied under a lock.

No ``alembic.ini``: :func:`config` builds Alembic's configuration in code, pointing at ``migrations/`` beside this
file, so an installed wheel migrates its database too. :func:`ensure_current` is what the app and the command line
call before they touch the registry: a new or older database is upgraded (one process at a time: a PostgreSQL
advisory lock, or a lock file beside a SQLite database, so replicas starting together never race); a database at a
revision this app does not know (written by a newer version) is refused with one message.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from dashboard.registry.database import RegistryUnavailable, describe

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The advisory lock's key on PostgreSQL (any fixed number; this one spells "sector").
PG_LOCK_KEY = 0x736563746F72


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    heads = ScriptDirectory.from_config(config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the registry's migrations have {len(heads)} heads; they must form one line")
    return heads[0]


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(config()).get_revision(revision) is not None
    except CommandError:
        return False


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the migration lock until it commits."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
            yield conn
        return
    lock_path = Path(engine.url.database + ".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _unavailable(engine: Engine, exc: BaseException) -> RegistryUnavailable:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return RegistryUnavailable(f"The registry's database cannot be used: {describe(engine.url)} ({reason}).")


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply the migrations up to ``revision`` under the lock; returns the revision before."""
    try:
        with _locked(engine) as conn:
            before = current(conn)
            if before is not None and not _known(before):
                raise _newer(engine, before)
            command.upgrade(config(conn), revision)
            return before
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise _unavailable(engine, exc) from None


def downgrade(engine: Engine, revision: str) -> None:
    with _locked(engine) as conn:
        command.downgrade(config(conn), revision)


def _newer(engine: Engine, revision: str) -> RegistryUnavailable:
    return RegistryUnavailable(
        f"The registry's database ({describe(engine.url)}) is at schema revision {revision}, which this version "
        "of Sector Atlas does not know: it was written by a newer version. Upgrade Sector Atlas to use it."
    )


def ensure_current(engine: Engine) -> None:
    """Upgrade a new or older database; refuse one at a newer schema. Cheap when already current."""
    try:
        with engine.connect() as conn:
            now = current(conn)
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise _unavailable(engine, exc) from None
    if now == head():
        return
    if now is not None and not _known(now):
        raise _newer(engine, now)
    upgrade(engine)
