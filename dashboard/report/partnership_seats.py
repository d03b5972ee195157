"""A recorded partnership's seat checklist: the seats its current members fill, and the open seats (the seats
indicated for its region and sector that no member fills); the partnerships recorded for a region, as the
profile and the brief list them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from dashboard.data.catalogue import INDICATED_LEVELS
from dashboard.registry import database, queries, reference

#: What a partnership of another sector than the seats' shows for its open seats.
OTHER_SECTOR = "choose its sector to see them"


def open_seats(seats: list[dict], filled: set[str]) -> list[dict]:
    """The indicated seats (core, strongly recommended, recommended) of ``seats`` that no member fills."""
    return [s for s in seats if s["level"] in INDICATED_LEVELS and s["id"] not in filled]


@dataclass(frozen=True)
class RecordedPartnership:
    """A partnership recorded for a region, as the profile and the brief list it."""

    id: int
    name: str
    sector: str  # the sector's label
    phase: str
    #: The open seats' names ("none" when every indicated seat is filled), or :data:`OTHER_SECTOR`.
    open_seats: str


def recorded_for(session, counties, seats: list[dict], seats_sector: str | None) -> list[RecordedPartnership]:
    """The partnerships recorded for a region (any covering one of its ``counties``); open seats for those of
    ``seats_sector``, the sector ``seats`` were assessed for."""
    found = queries.for_region(session, counties)
    labels = reference.sectors()
    rows = []
    for r in found.itertuples():
        if r.sector == seats_sector:
            gaps = open_seats(seats, queries.member_seats(session, int(r.id)))
            open_text = "; ".join(g["name"] for g in gaps) or "none"
        else:
            open_text = OTHER_SECTOR
        rows.append(RecordedPartnership(int(r.id), r.name, labels.get(r.sector, r.sector), r.phase, open_text))
    return rows


def recorded_in_registry(counties, seats: list[dict], seats_sector: str | None) -> list[RecordedPartnership] | None:
    """:func:`recorded_for` from the app's registry (``SECTOR_ATLAS_DB``), or None when it cannot be read (the
    brief then says nothing of partnerships rather than "none recorded")."""
    try:
        url = database.database_url()
        if url.get_backend_name() == "sqlite" and not Path(url.database).exists():
            return []  # no registry on this machine yet: nothing is recorded (and reading it creates no file)
        with database.session(database.engine()) as s:
            return recorded_for(s, counties, seats, seats_sector)
    except (database.RegistryUnavailable, DBAPIError):
        return None
