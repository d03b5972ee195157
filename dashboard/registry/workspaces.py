"""Saved workspaces: who may save (anyone the app lets write: a signed-in account or the local user), the name's
rules, and reading one back by its share token. The view itself is checked again when it is opened (as any link)."""

from __future__ import annotations

import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.registry.models import WORKSPACE_NAME_MAX, Workspace
from dashboard.registry.validate import InvalidRecord

#: The most workspaces one person keeps (each is a few kilobytes).
MAX_PER_OWNER = 200
#: A share token as :func:`save` makes it: URL-safe characters only.
TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def clean_name(name: str) -> str:
    """The name as saved (spaces trimmed), or InvalidRecord saying why it cannot be."""
    text = " ".join(str(name or "").split())
    if not text:
        raise InvalidRecord([("name", "give the workspace a name")])
    if len(text) > WORKSPACE_NAME_MAX:
        raise InvalidRecord([("name", f"a workspace's name has at most {WORKSPACE_NAME_MAX} characters")])
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise InvalidRecord([("name", "a workspace's name cannot hold control characters")])
    return text


def save(session: Session, owner: str | None, name: str, query: dict[str, str], regions: list[dict]) -> Workspace:
    if not owner:
        raise PermissionError("Sign in to save a workspace: a workspace belongs to the account that saved it")
    clean = clean_name(name)
    if len(mine(session, owner)) >= MAX_PER_OWNER:
        raise InvalidRecord([("name", f"you keep {MAX_PER_OWNER} workspaces already; that is the most")])
    record = Workspace(
        id=secrets.token_urlsafe(12),
        owner=owner,
        name=clean,
        query={str(k): str(v) for k, v in query.items()},
        regions=[{"name": str(r["name"]), "counties": [str(c) for c in r["counties"]]} for r in regions],
    )
    session.add(record)
    session.flush()
    return record


def mine(session: Session, owner: str) -> list[Workspace]:
    return list(session.scalars(select(Workspace).where(Workspace.owner == owner).order_by(Workspace.saved_at.desc())))


def shared(session: Session, token: str) -> Workspace | None:
    """The workspace a share link names; None for a token no workspace has (or one that is not a token at all)."""
    token = str(token or "")
    if not 1 <= len(token) <= 32 or not set(token) <= TOKEN_CHARS:
        return None
    return session.get(Workspace, token)
