"""A recorded partnership's seat checklist: the seats its current members fill, and the open seats (the seats
indicated for its region and sector that no member fills)."""

from __future__ import annotations

from dashboard.data.catalogue import INDICATED_LEVELS


def open_seats(seats: list[dict], filled: set[str]) -> list[dict]:
    """The indicated seats (core, strongly recommended, recommended) of ``seats`` that no member fills."""
    return [s for s in seats if s["level"] in INDICATED_LEVELS and s["id"] not in filled]
