"""Saved workspaces in the sidebar: the view (page, region, industry, year, seat ticks, thresholds) and the
session's custom regions saved under a name in the registry, reopened or shared by a link
(``/?workspace=TOKEN``). Opening one needs no sign-in (anyone who can read the app may read a workspace whose
link they were given); saving needs someone the edits could be recorded under: a signed-in account, or the
local user of a laptop's own server."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from sqlalchemy.exc import DBAPIError

from dashboard.data import saved_regions
from dashboard.registry import database, workspaces
from dashboard.registry.models import WORKSPACE_NAME_MAX
from dashboard.registry.validate import InvalidRecord
from dashboard.ui import identity, links, registry_view, state
from dashboard.ui.text import md

#: The link parameter naming a saved workspace by its share token.
PARAM = "workspace"
#: Session keys: the first run's link was looked at; the name of the workspace it opened.
LOOKED = "workspace_link_read"
OPENED = "workspace_opened"
#: How many of one's own workspaces the sidebar lists (newest first).
LISTED = 15


def open_from_link() -> None:
    """On a session's first run, a link naming a workspace becomes that workspace's own link: its page, its view
    and its custom regions (kept on this server again, so any replica opens them). Called before the page and
    the view are read from the link."""
    if LOOKED in st.session_state:
        return
    st.session_state[LOOKED] = True
    token = st.query_params.get(PARAM)
    if token is None:
        return
    others = {k: v for k, v in st.query_params.to_dict().items() if k != PARAM}
    found, why = None, "no saved workspace has that link (it may be mistyped, or from another server)"
    try:
        engine = registry_view.opened_engine()
        with database.session(engine) as s:
            record = workspaces.shared(s, token)
            if record is not None:
                found = (record.name, dict(record.query), list(record.regions))
    except (database.RegistryUnavailable, DBAPIError) as exc:
        why = f"the registry cannot be read here ({str(exc).splitlines()[0] if str(exc) else 'no reason given'})"
    if found is None:
        st.query_params.from_dict(others)
        state.add_first_notice(f"The link names a saved workspace that cannot be opened: {why}. Showing the rest.")
        return
    name, query, regions = found
    for region in regions:
        saved_regions.save(tuple(region["counties"]), region["name"])
    st.query_params.from_dict(query)
    st.session_state[OPENED] = name


def owner() -> str | None:
    """Whom a saved workspace belongs to here, or None when nobody can be named (a shared server without
    sign-in, or a visitor who has not signed in)."""
    return identity.current().email


def render(default_page: str, page_path: str) -> None:
    """The sidebar's "Saved workspaces" section, below the share link."""
    with st.sidebar.expander("Saved workspaces", expanded=OPENED in st.session_state):
        if OPENED in st.session_state:
            st.caption(f"Opened from the saved workspace {md(st.session_state[OPENED])}.")
        who = owner()
        if who is None:
            st.caption(
                "Sign in to save this view under a name (the share link above keeps it too, without a name)."
                if identity.sign_in_configured()
                else "Saving workspaces needs sign-in on a server others can reach; the share link above keeps "
                "this view."
            )
            return
        try:
            engine = registry_view.opened_engine()
            with database.session(engine) as s:
                mine = [(w.id, w.name, w.saved_at) for w in workspaces.mine(s, who)[:LISTED]]
        except (database.RegistryUnavailable, DBAPIError) as exc:
            # the page says so once when it needs the registry; here a quiet line is enough
            st.caption(
                md(f"Workspaces are kept in the registry, which cannot be used here: {registry_view.reason(exc)}")
            )
            return
        with st.form("ws_save", clear_on_submit=True, border=False):
            name = st.text_input("Workspace name", max_chars=WORKSPACE_NAME_MAX, key="ws_name")
            submitted = st.form_submit_button("Save this view")
        if submitted and _save(engine, who, name, default_page, page_path) is not None:
            with database.session(engine) as s:
                mine = [(w.id, w.name, w.saved_at) for w in workspaces.mine(s, who)[:LISTED]]
        if mine:
            st.markdown("**Yours** (each opens in a new tab)")
            for token, ws_name, saved_at in mine:
                link = state.share_url(urlencode({PARAM: token}), page_path)
                st.markdown(f"[{md(ws_name)}]({link})  \n{saved_at:%Y-%m-%d %H:%M} UTC")


def _save(engine, who: str, name: str, default_page: str, page_path: str) -> str | None:
    """Save the view under ``name``; its share token, or None after saying why nothing was saved."""
    page = st.session_state.get(state.PAGE, default_page)
    query = {"page": page, **links.to_query(state.view())}
    regions = [{"name": r.name, "counties": list(r.counties)} for r in state.custom_regions()]
    try:
        with database.session(engine) as s:
            token = workspaces.save(s, who, name, query, regions).id
    except InvalidRecord as exc:
        st.error(md("Not saved: " + "; ".join(message for _, message in exc.problems) + "."))
        return None
    except PermissionError as exc:
        st.error(md(str(exc)))
        return None
    except DBAPIError as exc:
        st.error(md(f"Not saved: the registry's database stopped answering ({registry_view.reason(exc)})."))
        return None
    st.success(
        md(f"Saved as {workspaces.clean_name(name)!r}. Its link opens this view for anyone who can read the app:")
    )
    st.code(state.share_url(urlencode({PARAM: token}), page_path), language=None, wrap_lines=True)
    return token
