"""``python -m dashboard update``: bring a newer official year into the installed data.

``update --source qcew [--year Y]`` fetches BLS's QCEW annual averages (the
newest year BLS publishes, or ``Y``), ``update --source cbp [--year Y]``
Census County Business Patterns. What arrives is checked as a whole before
anything is written; the year's rows then replace any earlier copy of that
year, every other year is kept, and the tables and manifest are moved into
place at once. Any failure leaves the installed data byte for byte as they
were and ends with one line naming the file and the problem.

Publisher addresses can be pointed elsewhere (a mirror, a test server) with
``SECTOR_ATLAS_BLS_URL`` and ``SECTOR_ATLAS_CENSUS_URL``; the data folder is
``SECTOR_ATLAS_DATA`` (default: the project's ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.data.update.http import NotPublished, OfflineError, UpdateError

SOURCES = ("qcew", "cbp")
ENV_BASE = {"qcew": "SECTOR_ATLAS_BLS_URL", "cbp": "SECTOR_ATLAS_CENSUS_URL"}


def default_base(source: str) -> str:
    if source == "qcew":
        from dashboard.data.update.qcew import DEFAULT_BASE
    else:
        from dashboard.data.update.cbp import DEFAULT_BASE
    return os.environ.get(ENV_BASE[source]) or DEFAULT_BASE


def run_update(source: str, year: int | None, data_dir: Path, base: str | None = None, log=print, stream=None) -> dict:
    """Update ``source`` in ``data_dir``; returns a record of what was fetched and installed."""
    if source not in SOURCES:
        raise UpdateError("", f"unknown source {source!r}; choose from {', '.join(SOURCES)}")
    base = base or default_base(source)
    if source == "qcew":
        from dashboard.data.update.qcew import update_qcew

        return update_qcew(Path(data_dir), year, base, log=log, stream=stream)
    from dashboard.data.update.cbp import update_cbp

    return update_cbp(Path(data_dir), year, base, log=log, stream=stream)


__all__ = ["SOURCES", "NotPublished", "OfflineError", "UpdateError", "run_update"]
