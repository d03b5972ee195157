"""The view state of a session: read once from the link, kept in session state, written back to the URL.

Widgets are bound to the view with :func:`bound`: the view is the source of
truth, so a page's widgets get their values back after visiting another page
(Streamlit forgets the state of widgets that were not drawn).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from .. import links
from ..regions import CUSTOM, Region, UnknownRegionError, custom_region, resolve_region

VIEW = "view"
NOTICES = "link_notices"
CUSTOM_REGIONS = "custom_regions"
PENDING = "pending_view"


def init() -> dict:
    """The session's view, parsed from the link on the session's first run."""
    if VIEW not in st.session_state:
        view, notices = links.parse_query(st.query_params.to_dict())
        st.session_state[VIEW] = view
        st.session_state[NOTICES] = notices
        if view["scheme"] == CUSTOM:
            st.session_state[CUSTOM_REGIONS] = (custom_region(view["counties"], view["name"]),)
    pending = st.session_state.pop(PENDING, None)
    if pending:
        # set by a click on the map or a button in the last run, before any widget is drawn
        st.session_state[VIEW].update(pending)
    return st.session_state[VIEW]


def view() -> dict:
    return st.session_state[VIEW]


def set_later(**changes) -> None:
    """Change the view from inside a run (after the sidebar is drawn) and rerun."""
    st.session_state[PENDING] = {**st.session_state.get(PENDING, {}), **changes}
    st.rerun()


def _copy(name: str, convert, key: str) -> None:
    st.session_state[VIEW][name] = convert(st.session_state[key])
    st.session_state[NOTICES] = []  # the user has moved on from the link they opened


def bound(widget, name: str, *args, convert=lambda v: v, to_widget=lambda v: v, key: str | None = None, **kwargs):
    """Draw ``widget`` holding ``view[name]``; a user change updates the view before the next run."""
    key = key or f"w_{name}"
    st.session_state[key] = to_widget(view()[name])
    return widget(*args, key=key, on_change=_copy, args=(name, convert, key), **kwargs)


def _toggle(name: str, item: str, key: str) -> None:
    members = [i for i in st.session_state[VIEW][name] if i != item]
    st.session_state[VIEW][name] = tuple(members + [item]) if st.session_state[key] else tuple(members)
    st.session_state[NOTICES] = []


def member_checkbox(name: str, item: str, label: str, key_prefix: str, **kwargs) -> bool:
    """A checkbox for whether ``item`` is in the view's list ``name`` (filled seats, ticked checklist items)."""
    key = f"{key_prefix}_{item}"
    st.session_state[key] = item in view()[name]
    return st.checkbox(label, key=key, on_change=_toggle, args=(name, item, key), **kwargs)


def custom_regions() -> tuple[Region, ...]:
    return st.session_state.get(CUSTOM_REGIONS, ())


def set_custom_regions(regions: tuple[Region, ...]) -> None:
    st.session_state[CUSTOM_REGIONS] = tuple(regions)


def current_region() -> Region | None:
    """The region the view names, or None when it no longer exists (e.g. custom regions cleared)."""
    v = view()
    try:
        if v["scheme"] == CUSTOM:
            found = [r for r in custom_regions() if r.id == v["region"]]
            return found[0] if found else None
        return resolve_region(v["scheme"], v["region"])
    except UnknownRegionError:
        return None


def sync_query() -> str:
    """Write the view to the URL; returns the query string for the share link."""
    query = links.to_query(view())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    return urlencode(query)


def share_url(query: str) -> str:
    """The page's address with the view's query, for copying; relative when the address is unknown."""
    base = ""
    try:
        base = (st.context.url or "").split("?", 1)[0]
    except Exception:  # noqa: BLE001 - st.context has no URL outside a browser session (tests, scripts)
        base = ""
    return f"{base}?{query}"
