"""Reading the registry: the list with its filters, one partnership whole, a state's partnerships for coverage."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dashboard.registry.models import Member, Outcome, Partnership, PartnershipCounty

LIST_COLUMNS = [
    "id", "name", "scheme", "region_id", "region_name", "sector", "phase", "phase_since", "convener", "members",
    "version",
]  # fmt: skip


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Partnership)) or 0


def list_partnerships(
    session: Session,
    state: str | None = None,
    scheme: str | None = None,
    region_id: str | None = None,
    sector: str | None = None,
    phase: str | None = None,
) -> pd.DataFrame:
    """Partnerships matching every filter given (a state: any of its counties), with their current member count."""
    members = (
        select(Member.partnership_id, func.count().label("n"))
        .where(Member.left_on.is_(None))
        .group_by(Member.partnership_id)
        .subquery()
    )
    query = select(
        Partnership.id,
        Partnership.name,
        Partnership.scheme,
        Partnership.region_id,
        Partnership.region_name,
        Partnership.sector,
        Partnership.phase,
        Partnership.phase_history,
        Partnership.convener,
        func.coalesce(members.c.n, 0),
        Partnership.version,
    ).outerjoin(members, members.c.partnership_id == Partnership.id)
    if state:
        query = query.where(
            Partnership.id.in_(select(PartnershipCounty.partnership_id).where(PartnershipCounty.state == state))
        )
    if scheme:
        query = query.where(Partnership.scheme == scheme)
    if region_id:
        query = query.where(Partnership.region_id == region_id)
    if sector:
        query = query.where(Partnership.sector == sector)
    if phase:
        query = query.where(Partnership.phase == phase)
    rows = session.execute(query.order_by(Partnership.name, Partnership.id)).all()
    out = pd.DataFrame(rows, columns=LIST_COLUMNS)
    out["phase_since"] = out["phase_since"].map(lambda h: h[-1]["on"] if h else "")
    return out


def partnership(session: Session, partnership_id: int) -> Partnership | None:
    """One partnership with its counties, members, assessments and outcomes loaded."""
    return session.scalars(
        select(Partnership)
        .where(Partnership.id == int(partnership_id))
        .options(
            selectinload(Partnership.counties),
            selectinload(Partnership.members),
            selectinload(Partnership.assessments),
            selectinload(Partnership.outcomes),
        )
    ).first()


def in_counties(session: Session, counties) -> pd.DataFrame:
    """Every partnership touching any of ``counties``, one row per (partnership, county it covers):
    ``id, name, sector, phase, fips``. Counties of the same partnership outside ``counties`` are included, so a
    caller can tell a partnership covering a whole region from one overlapping it."""
    counties = sorted(set(counties))
    if not counties:
        return pd.DataFrame(columns=["id", "name", "sector", "phase", "fips"])
    states = sorted({c[:2] for c in counties})
    touching = (
        select(PartnershipCounty.partnership_id)
        .where(PartnershipCounty.state.in_(states), PartnershipCounty.fips.in_(counties))
        .distinct()
        .subquery()
    )
    query = (
        select(Partnership.id, Partnership.name, Partnership.sector, Partnership.phase, PartnershipCounty.fips)
        .join(PartnershipCounty, PartnershipCounty.partnership_id == Partnership.id)
        .where(Partnership.id.in_(select(touching.c.partnership_id)))
    )
    return pd.DataFrame(session.execute(query).all(), columns=["id", "name", "sector", "phase", "fips"])


def member_seats(session: Session, partnership_id: int) -> set[str]:
    """The seats a partnership's current members fill (those who have not left)."""
    return set(
        session.scalars(
            select(Member.seat).where(Member.partnership_id == int(partnership_id), Member.left_on.is_(None))
        )
    )


def for_region(session: Session, counties) -> pd.DataFrame:
    """The partnerships recorded for a region: any that covers one of its counties, with their sectors and phases."""
    found = in_counties(session, counties)
    return found.drop_duplicates("id").drop(columns="fips").reset_index(drop=True)


def state_outcomes(session: Session, state: str) -> pd.DataFrame:
    """Every outcome of the partnerships touching ``state``: partnership_id, partnership, period, year, metric, value."""
    touching = select(PartnershipCounty.partnership_id).where(PartnershipCounty.state == state).distinct()
    query = (
        select(Outcome.partnership_id, Partnership.name, Outcome.period, Outcome.year, Outcome.metric, Outcome.value)
        .join(Partnership, Partnership.id == Outcome.partnership_id)
        .where(Outcome.partnership_id.in_(touching))
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["partnership_id", "partnership", "period", "year", "metric", "value"]
    )
