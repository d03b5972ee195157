"""The view state of a session: read once from the link, kept in session state, written back to the URL.

Widgets are bound to the view with :func:`bound`: the view is the source of
truth, so a page's widgets get their values back after visiting another page
(Streamlit forgets the state of widgets that were not drawn).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.analysis import measures
from dashboard.analysis.regions import CUSTOM, Region, UnknownRegionError, custom_region, resolve_region
from dashboard.data import saved_regions
from dashboard.ui import links

VIEW = "view"
NOTICES = "link_notices"
CUSTOM_REGIONS = "custom_regions"
PENDING = "pending_view"
#: The page the session shows, and a notice about the link's page parameter (see :func:`page_id`).
PAGE = "page"
PAGE_NOTICE = "page_notice"
#: Ticks (filled seats, self-assessment items) belong to one region and sector: the session keeps each place's
#: own (see :func:`keep_ticks_per_place`).
TICK_KEYS = ("filled", "checked")
TICKS_BY_PLACE = "ticks_by_place"
TICKS_PLACE = "ticks_place"
#: Notices about the link found before its view is read (a saved workspace that cannot be opened).
FIRST_NOTICES = "first_link_notices"


def page_id(ids: tuple[str, ...], default: str) -> str:
    """The page the session shows: on its first run, the link's ``page`` parameter (``default`` without one).

    Every page is served at the app's root address and named in the query (``?page=region-profile``):
    a link to a page's own path (``/region-profile``) opened first on a freshly started server shows
    Streamlit's "Page not found" notice, because Streamlit first treats the ``pages/`` folder as an
    old-style page list; the root address never does.
    """
    if PAGE not in st.session_state:
        wanted = st.query_params.get("page", "")
        st.session_state[PAGE] = wanted if wanted in ids else default
        if wanted and wanted not in ids:
            shown = wanted if len(wanted) <= 40 else wanted[:40] + "..."
            st.session_state[PAGE_NOTICE] = (
                f"The link's page {shown!r} is not one of {', '.join(ids)}; showing the default instead."
            )
    return st.session_state[PAGE]


def add_first_notice(text: str) -> None:
    """A notice about the link, shown with the link's own notices on the session's first page."""
    st.session_state[FIRST_NOTICES] = [*st.session_state.get(FIRST_NOTICES, []), text]


def set_page(page: str) -> None:
    st.session_state[PAGE] = page


def init() -> dict:
    """The session's view, parsed from the link on the session's first run."""
    if VIEW not in st.session_state:
        view, notices = links.parse_query(st.query_params.to_dict())
        st.session_state[VIEW] = view
        first = st.session_state.pop(FIRST_NOTICES, [])
        page_notice = st.session_state.pop(PAGE_NOTICE, None)
        st.session_state[NOTICES] = first + ([page_notice] if page_notice else []) + notices
        regions = links.saved_custom_regions(view["saved"])
        if view["scheme"] == CUSTOM and not any(r.counties == tuple(view["counties"]) for r in regions):
            regions.insert(0, custom_region(view["counties"], view["name"]))
        if regions:
            st.session_state[CUSTOM_REGIONS] = tuple(regions)
    pending = st.session_state.pop(PENDING, None)
    if pending:
        # set by a click on the map or a button in the last run, before any widget is drawn
        st.session_state[VIEW].update(pending)
    _keep_a_loaded_year(st.session_state[VIEW])
    return st.session_state[VIEW]


def _keep_a_loaded_year(view: dict) -> None:
    """A session whose year left the data (the files changed under it) moves to the newest year, and says so."""
    loaded = measures.years()
    if loaded and view.get("year") not in loaded:
        gone = view.get("year")
        view["year"] = loaded[-1]
        st.session_state[NOTICES] = [
            *st.session_state.get(NOTICES, []),
            f"The data year {gone} is no longer loaded (the data files changed): showing {loaded[-1]}, "
            "the newest loaded year.",
        ]


def view() -> dict:
    return st.session_state[VIEW]


def set_later(**changes) -> None:
    """Change the view from inside a run (after the sidebar is drawn) and rerun."""
    st.session_state[PENDING] = {**st.session_state.get(PENDING, {}), **changes}
    st.rerun()


def set_now(**changes) -> None:
    """Change the view from a widget's callback (before the run draws anything)."""
    st.session_state[VIEW].update(changes)
    st.session_state[NOTICES] = []  # the user has moved on from the link they opened


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
    """The session's custom regions, kept on the server too (:mod:`dashboard.data.saved_regions`) so the
    link names them all by id and another replica reopens them after a failover."""
    st.session_state[CUSTOM_REGIONS] = tuple(regions)
    ids = (saved_regions.save(r.counties, r.name) for r in regions)
    st.session_state[VIEW]["saved"] = tuple(i for i in ids if i)


def keep_ticks_per_place(v: dict) -> None:
    """Ticks made for one region and sector stay with it: moving to another region or sector shows that place's
    own ticks (none at first, never the last region's), and coming back shows these again."""
    place = (v["scheme"], v["region"], v["industry"])
    last = st.session_state.get(TICKS_PLACE)
    if last is not None and last != place:
        book = st.session_state.setdefault(TICKS_BY_PLACE, {})
        book[last] = {k: tuple(v[k]) for k in TICK_KEYS}
        kept = book.get(place, {})
        for k in TICK_KEYS:
            v[k] = kept.get(k, ())
    st.session_state[TICKS_PLACE] = place


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


def sync_query(default_page: str) -> str:
    """Write the page and the view to the URL; returns the query string for the share link."""
    page = st.session_state.get(PAGE, default_page)
    query = {**({"page": page} if page != default_page else {}), **links.to_query(view())}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    return urlencode(query)


def share_url(query: str, page_path: str = "") -> str:
    """The app's root address with the query (which names the page), for copying; relative when the address is
    unknown. ``page_path`` is the URL path Streamlit shows the current page at, cut off the address if there."""
    base = ""
    try:
        base = (st.context.url or "").split("?", 1)[0]
    except Exception:  # noqa: BLE001 - st.context has no URL outside a browser session (tests, scripts)
        base = ""
    base = base.rstrip("/")
    if page_path and base.endswith("/" + page_path):
        base = base[: -len(page_path) - 1]
    return f"{base}/?{query}" if base else f"?{query}"
