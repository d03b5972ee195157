"""Where the registry lives and how to open it.

``SECTOR_ATLAS_DB`` is a SQLite file path or a ``postgresql://`` URL (psycopg 3). Without it, the registry is
``registry.db`` in the per-user data folder (``$XDG_DATA_HOME/sector-atlas``, else ``~/.local/share/sector-atlas``),
never inside the package: an installed wheel's folder may be read-only and is replaced on upgrade.

SQLite is opened in WAL mode (readers never wait for the writer), with foreign keys enforced and a busy timeout so
two processes writing at once wait for each other instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

ENV = "SECTOR_ATLAS_DB"
#: Milliseconds a SQLite connection waits for another writer before giving up.
BUSY_TIMEOUT_MS = 10_000


class RegistryUnavailable(Exception):
    """The registry cannot be used: its database cannot be reached, or its schema is newer than this app's."""


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).resolve() / "sector-atlas" / "registry.db"


def database_url(value: str | None = None) -> URL:
    """The database named by ``value`` (default: ``SECTOR_ATLAS_DB``, else the per-user SQLite file)."""
    value = (value if value is not None else os.environ.get(ENV, "")).strip()
    if not value:
        return URL.create("sqlite+pysqlite", database=str(default_path()))
    if value.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        try:
            url = make_url(value.replace("postgres://", "postgresql://", 1))
        except ArgumentError as exc:
            raise RegistryUnavailable(f"{ENV} is not a valid PostgreSQL URL ({exc})") from None
        return url.set(drivername="postgresql+psycopg")
    if "://" in value:
        raise RegistryUnavailable(
            f"{ENV} must be a SQLite file path or a postgresql:// URL, not {value.split('://')[0]}://."
        )
    return URL.create("sqlite+pysqlite", database=str(Path(value).expanduser().resolve()))


def describe(url: URL) -> str:
    """The database for messages: the SQLite path, or the PostgreSQL host and name without the password."""
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}"
    return f"the PostgreSQL database {url.database or ''} on {url.host or 'the local socket'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5})


@lru_cache(maxsize=8)
def engine_for(value: str) -> Engine:
    """One engine (and connection pool) per database in a process."""
    return make_engine(database_url(value))


def engine() -> Engine:
    """The engine of the database ``SECTOR_ATLAS_DB`` names."""
    return engine_for(os.environ.get(ENV, ""))


@contextmanager
def session(bind: Engine | None = None) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back (nothing written) if it raises."""
    maker = sessionmaker(bind or engine(), expire_on_commit=False)
    with maker() as s, s.begin():
        yield s
