"""Who may write: roles live in the registry and are checked on every write, whatever the page showed.

Until sign-in exists, the app's one user on a loopback-only server and the command line act as :data:`LOCAL`,
which may write everything. Anyone else is looked up by e-mail: an admin writes everything and grants roles, an
editor writes the partnerships of its states, a viewer (or someone unknown) writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.data.catalogue import ROLES, USPS
from dashboard.registry.models import User

LOCAL = "local"
#: Set (by ``serve`` for its replicas) when the app is served to others: anonymous users then only read.
SHARED_ENV = "SECTOR_ATLAS_SHARED"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def local_actor(server_address: str | None) -> str | None:
    """:data:`LOCAL` for a server only its own machine can reach (listening on loopback, not a deployment's
    replica); None (read-only) for any server others can reach, until sign-in exists."""
    if os.environ.get(SHARED_ENV) or (server_address or "").strip("[]") not in LOOPBACK:
        return None
    return LOCAL


class WriteRefused(PermissionError):
    """The actor does not hold the role the write needs."""


def user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().casefold())).first()


def may_write(session: Session, actor: str, states: Iterable[str]) -> bool:
    if actor == LOCAL:
        return True
    found = user(session, actor)
    if found is None or found.role not in ROLES:
        return False
    if found.role == "admin":
        return True
    return found.role == "editor" and set(states) <= {s.state for s in found.states}


def require(session: Session, actor: str, states: Iterable[str]) -> None:
    states = sorted(set(states))
    if not may_write(session, actor, states):
        names = ", ".join(next((p for p, f in USPS.items() if f == s), s) for s in states)
        raise WriteRefused(
            f"{actor} may not change the registry's records for {names}: an editor of those states or an admin can"
        )


def is_admin(session: Session, actor: str | None) -> bool:
    """The local user and admins grant roles and restore earlier versions."""
    if actor is None:
        return False
    found = None if actor == LOCAL else user(session, actor)
    return actor == LOCAL or (found is not None and found.role == "admin")


def require_admin(session: Session, actor: str | None, what: str = "grant roles") -> None:
    if not is_admin(session, actor):
        raise WriteRefused(
            f"{actor or 'An anonymous visitor'} may not {what}: only an admin (or the command line on the server) can"
        )
