"""The shared sidebar: state or whole US, region scheme, region, industry; sources; share link."""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from dashboard.analysis import measures, places
from dashboard.analysis.regions import UnknownRegionError, list_regions, resolve_region, state_names
from dashboard.data import catalogue
from dashboard.data.catalogue import CUSTOM, INDUSTRY_KIND_PREFIX
from dashboard.data.sources import cite
from dashboard.maps import data as map_data
from dashboard.ui import state
from dashboard.ui.text import md


def schemes_for(state_code: str, has_custom: bool) -> list[str]:
    """Schemes with regions in the chosen state (the Indiana scheme only where it applies)."""
    out = ["county", "cbsa", "cz", "bea", "state"]
    if state_code in (map_data.US, "18"):
        out.insert(4, "in-egr")
    if has_custom:
        out.append(CUSTOM)
    return out


def region_options(scheme: str, state_code: str) -> dict[str, str]:
    """Region id -> name for the selector, sorted by name ("Region 2" before "Region 10")."""
    if scheme == CUSTOM:
        return {r.id: r.name for r in sorted(state.custom_regions(), key=lambda r: places.natural_key(r.name))}
    return dict(_sorted_regions(scheme, state_code))


@lru_cache(maxsize=64)
def _sorted_regions(scheme: str, state_code: str) -> tuple[tuple[str, str], ...]:
    table = list_regions(scheme, None if state_code == map_data.US else state_code)
    pairs = zip(table["region_id"], table["region_name"])
    return tuple(sorted(pairs, key=lambda p: (places.natural_key(p[1]), p[0])))


#: The (scheme, region id) the sidebar last showed, so a change of scheme or state can keep the place.
PLACE = "sidebar_place"


def _previous_region():
    """The region the sidebar showed last run (None on a session's first run or when it is gone)."""
    shown = st.session_state.get(PLACE)
    if shown is None:
        return None
    scheme, region_id = shown
    try:
        if scheme == CUSTOM:
            return next((r for r in state.custom_regions() if r.id == region_id), None)
        return resolve_region(scheme, region_id)
    except UnknownRegionError:
        return None


def loaded_years() -> tuple[int, ...]:
    return measures.years()


def _repair_years(view: dict) -> None:
    """The change's start year stays before the data year; without one, no change map."""
    earlier = [y for y in loaded_years() if y < view["year"]]
    if view["since"] not in earlier:
        view["since"] = earlier[0] if earlier else None
    if view["since"] is None and view["measure"] == "change":
        view["measure"] = "lq"


def _repair(view: dict) -> dict[str, str]:
    """Keep the view consistent after a change of state or scheme: a valid scheme and region."""
    if view["scheme"] not in schemes_for(view["state"], bool(state.custom_regions())):
        view["scheme"] = "county"
    options = region_options(view["scheme"], view["state"])
    previous = _previous_region()
    moved = previous is not None and previous.scheme != view["scheme"]
    if moved or view["region"] not in options:
        # the new scheme's region holding the last region's largest county; else the first by name
        kept = places.same_place(previous, view["scheme"], options) if view["scheme"] != CUSTOM else None
        if kept is not None or view["region"] not in options:
            view["region"] = kept or next(iter(options))
    if view["scheme"] == CUSTOM:
        chosen = next(r for r in state.custom_regions() if r.id == view["region"])
        view["counties"], view["name"] = chosen.counties, chosen.name
    return options


#: Characters a sidebar select shows whole (the sidebar is widened in style.py); a longer choice is repeated
#: in full under it, since a select's box cannot wrap.
SELECT_CHARS = 42


def _full_name(text: str) -> None:
    if len(text) > SELECT_CHARS:
        st.caption(md(text))


def render() -> None:
    """Draw the sidebar; widgets write straight into the session's view."""
    view = state.view()
    names = state_names()
    industries = map_data.industries()
    with st.sidebar:
        st.markdown("### Sector Atlas")
        state.bound(
            st.selectbox,
            "state",
            "State",
            options=[map_data.US, *names],
            format_func=lambda c: "Whole US" if c == map_data.US else names[c],
        )
        _repair(view)
        state.bound(
            st.selectbox,
            "scheme",
            "Regions",
            options=schemes_for(view["state"], bool(state.custom_regions())),
            format_func=lambda s: catalogue.scheme(s).plural,
        )
        options = _repair(view)
        state.bound(st.selectbox, "region", "Region", options=list(options), format_func=lambda r: options.get(r, r))
        _repair(view)
        _full_name(options.get(view["region"], ""))
        state.bound(
            st.selectbox,
            "industry",
            "Industry",
            options=list(industries),
            format_func=lambda c: (
                INDUSTRY_KIND_PREFIX[industries[c].kind] + industries[c].label
                if industries[c].kind == "partnership"
                else industries[c].label
            ),
            help="A partnership sector groups the NAICS subsectors its employers share; "
            "NAICS sectors (2-digit) and subsectors (3-digit) are also listed.",
        )
        chosen = industries[view["industry"]]
        _full_name(INDUSTRY_KIND_PREFIX[chosen.kind] + chosen.label if chosen.kind == "partnership" else chosen.label)
        years = sorted(loaded_years(), reverse=True)
        state.bound(
            st.selectbox,
            "year",
            "Industry data year",
            options=years,
            help="The newest loaded year is the default; see Data and methods for how to add a newer one.",
        )
        _repair_years(view)
        state.keep_ticks_per_place(view)
        st.session_state[PLACE] = (view["scheme"], view["region"])
        st.caption(
            "Industry: "
            + md(cite("industry", view["year"]))
            + "  \nWorkforce: "
            + md(cite("education"))
            + "; "
            + md(cite("poverty"))
            + "; "
            + md(cite("svi"))
            + "; "
            + md(cite("laus"))
        )


def render_share_link(default_page: str, page_path: str) -> None:
    """The copyable link to this exact view (the page is in its query), at the foot of the sidebar."""
    query = state.sync_query(default_page)
    with st.sidebar:
        st.markdown("**Share this view**")
        st.code(state.share_url(query, page_path), language=None, wrap_lines=True)
        st.caption("Copy the link (icon at the right of the box) or the browser's address: both reopen this view.")
