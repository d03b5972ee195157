"""The change log: one append-only row per changed record per write (who, when, which record, before, after)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.registry.models import Assessment, ChangeLog, Member, Outcome, Partnership, User

TABLES = {Partnership: "partnership", Member: "member", Outcome: "outcome", Assessment: "assessment", User: "app_user"}
#: Columns that are bookkeeping, not what a user changed.
_SKIP = {"version", "updated_at", "name_key", "region_key"}


def _plain(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def snapshot(record) -> dict:
    """A record's values as JSON: its columns (dates as ISO text), a partnership's counties, a user's states."""
    out = {c.key: _plain(getattr(record, c.key)) for c in record.__table__.columns if c.key not in _SKIP}
    if isinstance(record, Partnership):
        out["counties"] = [c.fips for c in record.counties]
    if isinstance(record, User):
        out["states"] = [s.state for s in record.states]
    return out


def log(session: Session, actor: str, record, action: str, before: dict | None, after: dict | None) -> None:
    partnership_id = record.id if isinstance(record, Partnership) else getattr(record, "partnership_id", None)
    session.add(
        ChangeLog(
            actor=actor,
            record_table=TABLES[type(record)],
            record_id=record.id,
            action=action,
            before=before,
            after=after,
            partnership_id=partnership_id,
        )
    )


def last_change(session: Session, record) -> ChangeLog | None:
    return session.scalars(
        select(ChangeLog)
        .where(ChangeLog.record_table == TABLES[type(record)], ChangeLog.record_id == record.id)
        .order_by(ChangeLog.id.desc())
        .limit(1)
    ).first()


def partnership_history(session: Session, partnership_id: int) -> list[ChangeLog]:
    """Every change to a partnership and its members, outcomes and assessments, newest first."""
    return list(
        session.scalars(
            select(ChangeLog).where(ChangeLog.partnership_id == partnership_id).order_by(ChangeLog.id.desc())
        )
    )
