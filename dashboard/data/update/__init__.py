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
``SECTOR_ATLAS_DATA`` (default: the project's ``data/``). ``SECTOR_ATLAS_CONTACT``
(an email address) goes into the User-Agent of every request; the Census API
needs a key (``CENSUS_API_KEY`` or ``key``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.data.update.http import NotPublished, OfflineError, UpdateError, contact

SOURCES = ("qcew", "cbp")
ENV_BASE = {"qcew": "SECTOR_ATLAS_BLS_URL", "cbp": "SECTOR_ATLAS_CENSUS_URL"}


def default_base(source: str) -> str:
    if source == "qcew":
        from dashboard.data.update.qcew import DEFAULT_BASE
    else:
        from dashboard.data.update.cbp import DEFAULT_BASE
    return os.environ.get(ENV_BASE[source]) or DEFAULT_BASE


def run_update(
    source: str,
    year: int | None,
    data_dir: Path,
    base: str | None = None,
    log=print,
    stream=None,
    key: str | None = None,
) -> dict:
    """Update ``source`` in ``data_dir``; returns a record of what was fetched and installed.

    ``key``: the Census API key for ``cbp`` (default: ``CENSUS_API_KEY``).
    """
    if source not in SOURCES:
        raise UpdateError("", f"unknown source {source!r}; choose from {', '.join(SOURCES)}")
    base = base or default_base(source)
    contact()  # a malformed contact stops the update before any request
    if source == "qcew":
        from dashboard.data.update.qcew import update_qcew

        return update_qcew(Path(data_dir), year, base, log=log, stream=stream)
    from dashboard.data.update.cbp import update_cbp

    return update_cbp(Path(data_dir), year, base, log=log, stream=stream, key=key)


def check_update(
    source: str, year: int | None, data_dir: Path, base: str | None = None, stream=None, key: str | None = None
) -> dict:
    """What ``run_update`` would fetch (year, files, estimated bytes), without writing anything."""
    if source not in SOURCES:
        raise UpdateError("", f"unknown source {source!r}; choose from {', '.join(SOURCES)}")
    base = base or default_base(source)
    contact()
    if source == "qcew":
        from dashboard.data.update.qcew import check_qcew

        return check_qcew(Path(data_dir), year, base, stream=stream)
    from dashboard.data.update.cbp import check_cbp

    return check_cbp(Path(data_dir), year, base, stream=stream, key=key)


__all__ = ["SOURCES", "check_update", "NotPublished", "OfflineError", "UpdateError", "run_update"]
