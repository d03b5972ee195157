"""The registry's tables, as SQLAlchemy 2 ORM classes.

Every editable record carries ``version``: SQLAlchemy increments it on each update and adds ``WHERE version = old``
to the UPDATE, so a save based on an older version changes nothing (see :mod:`.write`). ``change_log`` is
append-only: each write adds one row per changed record (who, when, which record, the values before and after).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Longest organisation, partnership and region names; longest note.
NAME_MAX = 200
NOTE_MAX = 4000
URL_MAX = 300
#: Longest name of a saved workspace (it is listed in a narrow sidebar).
WORKSPACE_NAME_MAX = 80


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Versioned:
    """An editable record: its version guards against overwriting someone else's save."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_now)


class Partnership(Versioned, Base):
    __tablename__ = "partnership"
    __table_args__ = (UniqueConstraint("region_key", "sector", "name_key", name="uq_partnership_region_sector_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False)
    #: The name as duplicates are compared: case and spacing folded.
    name_key: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False)
    #: A scheme id (county, cbsa, cz, bea, in-egr, state) or "custom" for a county set.
    scheme: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The scheme's region id; for a custom county set, the sorted county codes joined by commas.
    region_id: Mapped[str] = mapped_column(Text, nullable=False)
    region_name: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False)
    #: Scheme and region in one short key (a custom set by a digest of its counties), for the duplicate rule.
    region_key: Mapped[str] = mapped_column(String(80), nullable=False)
    sector: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    phase: Mapped[str] = mapped_column(String(16), nullable=False)
    #: Every phase with the date it began, oldest first: [{"phase": "exploring", "on": "2024-01-15"}, ...].
    phase_history: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    convener: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False, default="")
    convener_kind: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    website: Mapped[str] = mapped_column(String(URL_MAX), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    counties: Mapped[list[PartnershipCounty]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan", order_by="PartnershipCounty.fips"
    )
    members: Mapped[list[Member]] = relationship(back_populates="partnership", order_by="Member.id")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="partnership", order_by="Assessment.assessed_on"
    )
    outcomes: Mapped[list[Outcome]] = relationship(back_populates="partnership", order_by="Outcome.period")

    __mapper_args__ = {"version_id_col": Versioned.version}


class PartnershipCounty(Base):
    """The counties a partnership covers (part of the partnership record: its log entries list them)."""

    __tablename__ = "partnership_county"
    __table_args__ = (Index("ix_partnership_county_fips", "fips"),)

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True)
    fips: Mapped[str] = mapped_column(String(5), primary_key=True)
    #: The county's state, so a state's partnerships are found without reading county codes apart.
    state: Mapped[str] = mapped_column(String(2), nullable=False, index=True)

    partnership: Mapped[Partnership] = relationship(back_populates="counties")


class Member(Versioned, Base):
    __tablename__ = "member"
    # counting each partnership's current members reads this index alone (the list page)
    __table_args__ = (Index("ix_member_partnership_left", "partnership_id", "left_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), nullable=False)
    organisation: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False)
    seat: Mapped[str] = mapped_column(String(64), nullable=False)
    #: "employer" (with its NAICS code) or "champion".
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    naics: Mapped[str] = mapped_column(String(6), nullable=False, default="")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)

    partnership: Mapped[Partnership] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": Versioned.version}


class Assessment(Versioned, Base):
    """A dated snapshot of the seven-characteristics checklist."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), nullable=False, index=True
    )
    assessed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    #: The checklist items ticked (ids of data/self_assessment.toml).
    ticked: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    partnership: Mapped[Partnership] = relationship(back_populates="assessments")

    __mapper_args__ = {"version_id_col": Versioned.version}


class Outcome(Versioned, Base):
    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("partnership_id", "period", "metric", name="uq_outcome_period_metric"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: "2024" for a year, "2024-Q2" for a quarter.
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    metric: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    #: Where the figure came from.
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    partnership: Mapped[Partnership] = relationship(back_populates="outcomes")

    __mapper_args__ = {"version_id_col": Versioned.version}


class User(Versioned, Base):
    """Someone the registry knows by e-mail, with a role (viewer, editor, admin)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="viewer")

    states: Mapped[list[UserState]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserState.state"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}


class UserState(Base):
    """A state an editor may change (2-digit FIPS)."""

    __tablename__ = "app_user_state"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(2), primary_key=True)

    user: Mapped[User] = relationship(back_populates="states")


class ChangeLog(Base):
    """One row per changed record per write; never updated or deleted."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_now)
    actor: Mapped[str] = mapped_column(String(320), nullable=False)
    record_table: Mapped[str] = mapped_column(String(32), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    #: "create", "update", "delete" or "restore" (an earlier version given back; see write.restore_partnership).
    action: Mapped[str] = mapped_column(String(8), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    #: The partnership the record belongs to (itself for a partnership), for a partnership's history.
    partnership_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Workspace(Base):
    """A saved view under a name: the link's query parameters and the session's custom regions. Its id is a
    random token, so a share link names one workspace and cannot be guessed from another."""

    __tablename__ = "workspace"
    __table_args__ = (Index("ix_workspace_owner", "owner"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: Who saved it (an e-mail, or "local").
    owner: Mapped[str] = mapped_column(String(320), nullable=False)
    name: Mapped[str] = mapped_column(String(WORKSPACE_NAME_MAX), nullable=False)
    #: The view's query parameters (page included), as the share link carries them.
    query: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: The session's custom regions: [{"name": ..., "counties": [...]}, ...].
    regions: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_now)
