"""The current region's profile, shared by the profile and partnership-table pages."""

from __future__ import annotations

import streamlit as st

from .. import map_data, seats
from . import cached, state
from .text import md


def seats_sector(view: dict) -> str | None:
    """The partnership sector the seats are assessed for: the chosen industry if it is one, else the top-ranked."""
    industry = map_data.industries().get(view["industry"])
    return industry.code if industry is not None and industry.kind == "partnership" else None


def current_profile():
    """(region, profile) for the view, or (None, None) with a message when the region is gone."""
    region = state.current_region()
    if region is None:
        st.info("Choose a region in the sidebar. (Custom regions last for the browser session: rebuild them on the Custom regions page.)")
        return None, None
    return region, profile_of(region)


def profile_of(region) -> dict:
    """The cached profile of ``region`` under the view's seat sector and thresholds."""
    view = state.view()
    return cached.region_profile(region, seats_sector(view), view["year"], view["thresholds"])


def threshold_form(key: str) -> None:
    """Adjustable thresholds of the triggered seats; submitted values go into the view (and the link)."""
    view = state.view()
    rules = [r for r in seats.load_rules() if r.trigger is not None]
    with st.expander("Adjust seat thresholds"):
        st.caption(md("Relative thresholds are ratios to the state and US values (1.10 = 10% above); "
                      "absolute ones are the measure's own units. Defaults come from data/seat_rules.toml."))
        with st.form(key):
            chosen: dict[str, dict[str, float]] = {}
            for rule in rules:
                t = rule.trigger
                current = view["thresholds"].get(rule.id, {})
                cols = st.columns([3, 1, 1])
                cols[0].markdown(md(rule.name))
                rec = cols[1].number_input("recommended", min_value=0.0, value=float(current.get("recommended", t.recommended)),
                                           step=0.05, key=f"{key}_{rule.id}_rec", format="%.3f")
                strong = cols[2].number_input("strongly", min_value=0.0, value=float(current.get("strongly", t.strongly)),
                                              step=0.05, key=f"{key}_{rule.id}_str", format="%.3f")
                changed = {k: v for k, v, d in (("recommended", rec, t.recommended), ("strongly", strong, t.strongly)) if abs(v - d) > 1e-9}
                if changed:
                    chosen[rule.id] = changed
            apply, reset = st.columns(2)
            if apply.form_submit_button("Apply thresholds"):
                try:
                    seats.with_thresholds(seats.load_rules(), chosen)
                except seats.RuleError as exc:
                    st.error(md(str(exc)))
                else:
                    state.set_later(thresholds=chosen)
            if reset.form_submit_button("Back to defaults"):
                for k in [k for k in st.session_state if str(k).startswith(f"{key}_")]:
                    del st.session_state[k]
                state.set_later(thresholds={})
