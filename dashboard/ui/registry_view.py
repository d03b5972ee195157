"""The registry as pages use it: the database opened and migrated once per process, who may write, one clear
message when the database cannot be used (the pages that need it stop there; the rest of the app is unaffected)."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from dashboard.registry import access, database, migrate, queries
from dashboard.report import partnership_seats
from dashboard.ui import identity
from dashboard.ui.text import md


@st.cache_resource(show_spinner="Opening the partnership registry...")
def _opened(url_value: str) -> Engine:
    """The engine, after bringing the schema up to date (under the migration lock); cached per database."""
    engine = database.engine_for(url_value)
    migrate.ensure_current(engine)
    return engine


def opened_engine() -> Engine:
    """The registry's engine, migrated; raises :class:`database.RegistryUnavailable` when it cannot be used."""
    return _opened(os.environ.get(database.ENV, ""))


def registry() -> Engine | None:
    """The registry's engine, or None after showing why it cannot be used."""
    try:
        return opened_engine()
    except database.RegistryUnavailable as exc:
        st.error(
            md(
                f"{exc} The rest of the app works without it; the registry's pages need it (see the README: choosing the database)."
            )
        )
        return None


def reason(exc: Exception) -> str:
    """The first line of why the registry failed (the driver's own message for a database error)."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no reason given"])[0]


def run_page(body) -> None:
    """Run a registry page's body; a database lost while the app runs (a server gone, a file removed) stops the
    page with one message instead of a traceback."""
    try:
        body()
    except DBAPIError as exc:
        st.error(
            md(
                "The registry's database stopped answering: "
                + reason(exc)
                + ". Reload the page to try again; the rest of the app works without it."
            )
        )


def actor(engine: Engine, states: set[str] | None = None) -> str | None:
    """Who writes from this session, or None: nobody may write here (see :mod:`dashboard.ui.identity`), or the
    signed-in account holds no editor role (for ``states``, when given). Every write checks the role again on
    the server (:mod:`dashboard.registry.access`): hiding the controls is a courtesy, not the guard."""
    who = identity.current().actor
    if who is None or who == access.LOCAL:
        return who
    with database.session(engine) as s:
        if states is not None:
            return who if access.may_write(s, who, states) else None
        found = access.user(s, who)
        return who if found is not None and found.role in ("editor", "admin") else None


def read_only_note() -> None:
    who = identity.current()
    if who.read_only:
        st.info(who.read_only)  # the app's own words
    else:
        st.info(
            f"Signed in as {md(who.email or '')}: you can read the registry. An admin can make you an editor of "
            "your state's partnerships (`sector-atlas db grant EMAIL --role editor --state ST`)."
        )


def recorded_checklist(region, sector_id: str | None) -> set[str] | None:
    """On the Partnership table page: a choice of the partnerships recorded for the region and sector; the seats
    the chosen one's current members fill (None: no partnership chosen, the ticks of the link are used)."""
    if sector_id is None:
        return None
    try:
        engine = _opened(os.environ.get(database.ENV, ""))
    except database.RegistryUnavailable:
        return None  # the Partnerships page says why; the checklist works from ticks
    with database.session(engine) as s:
        found = queries.for_region(s, region.counties)
        found = found[found["sector"] == sector_id]
        if found.empty:
            return None
        labels = {"": "None: tick the seats below"} | {str(r.id): f"{r.name} ({r.phase})" for r in found.itertuples()}
        chosen = st.selectbox(
            "Seat checklist of a recorded partnership",
            list(labels),
            format_func=lambda k: md(labels[k]),
            help="The seats its members fill (recorded on the Partnerships page) tick the checklist",
            key="w_table_partnership",
        )
        return queries.member_seats(s, int(chosen)) if chosen else None


def recorded_partnerships(region, seats: list[dict], seats_sector: str | None) -> None:
    """On the region profile: the partnerships recorded for the region (any covering one of its counties), each
    with its phase and, for the profile's seat sector, its open seats."""
    st.header("Partnerships recorded here", anchor=False)
    try:
        engine = _opened(os.environ.get(database.ENV, ""))
    except database.RegistryUnavailable as exc:
        st.caption(md(str(exc)))
        return
    with database.session(engine) as s:
        found = partnership_seats.recorded_for(s, region.counties, seats, seats_sector)
    if not found:
        st.caption("No partnership is recorded for this region yet: record one on the Partnerships page.")
        return
    rows = [
        {
            "Partnership": p.name,
            "Sector": p.sector,
            "Phase": p.phase,
            "Open seats": "choose its sector in the sidebar to see them"
            if p.open_seats == partnership_seats.OTHER_SECTOR
            else p.open_seats,
        }
        for p in found
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption("Recorded in this app's partnership registry; open seats: the indicated seats no current member fills.")
