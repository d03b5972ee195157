"""The current region's profile, shared by the profile and partnership-table pages."""

from __future__ import annotations

import itertools

import streamlit as st

from dashboard.analysis import seats, sectors
from dashboard.maps import data as map_data
from dashboard.report import profile
from dashboard.report.profile import RegionProfile
from dashboard.ui import links, state
from dashboard.ui.text import md


def seats_sector(view: dict) -> str | None:
    """The partnership sector the seats are assessed for: the chosen industry if it is one, else the top-ranked."""
    industry = map_data.industries().get(view["industry"])
    return industry.code if industry is not None and industry.kind == "partnership" else None


def current_profile():
    """(region, profile) for the view, or (None, None) with a message when the region is gone."""
    region = state.current_region()
    if region is None:
        st.info(
            "Choose a region in the sidebar. (Custom regions last for the browser session: rebuild them on the Custom regions page.)"
        )
        return None, None
    return region, profile_of(region)


def profile_of(region) -> RegionProfile:
    """The cached profile of ``region`` under the view's seat sector, thresholds and state (the one a region
    spanning several states is compared with)."""
    view = state.view()
    return _profile(region, seats_sector(view), view["year"], view["thresholds"], view["state"])


@st.cache_resource(show_spinner="Building the region profile...", max_entries=512)
def _profile(region, sector_id: str | None, year: int, overrides: dict, chosen_state: str) -> RegionProfile:
    return profile.region_profile(
        region,
        sectors.ScoringParams(),
        sector_id,
        overrides or None,
        year=year,
        state=chosen_state if chosen_state != map_data.US else None,
    )


#: Thresholds the form writes: rounded, and short enough for a link to carry (:data:`links.MAX_NUMBER`).
MAX_THRESHOLD = 1e12
DECIMALS = 6


def threshold_form(key: str) -> None:
    """Adjustable thresholds of the triggered seats; submitted values go into the view (and the link).

    Every overridable field is in the form, the floor included, so applying it keeps
    whatever the view (or the link it came from) set: nothing is dropped.
    """
    view = state.view()
    adjustable = seats.adjustable_thresholds()  # each seat's own trigger and its sector conditions
    seat_of = {cid: rule.name for rule in seats.load_rules() for cid, _ in rule.conditions()}
    st.subheader("Seat thresholds", anchor=False)
    st.caption(
        md(
            "Open a seat to change when it is indicated. Relative thresholds are ratios to the state and US "
            "values (1.10 = 10% above); absolute ones are the measure's own units. The floor is the value below "
            "which the seat is not indicated (0: none). Defaults come from data/seat_rules.toml."
        )
    )
    with st.form(key):
        chosen: dict[str, dict[str, float]] = {}
        # one folded group per seat: its own trigger, then the conditions on the sector's jobs
        for seat_name, group in itertools.groupby(adjustable, key=lambda a: seat_of.get(a[0], a[1])):
            group = list(group)
            adjusted = any(rule_id in view["thresholds"] for rule_id, _, _ in group)
            with st.expander(md(seat_name) + (" (adjusted)" if adjusted else "")):
                for rule_id, label, t in group:
                    chosen.update(_threshold_row(key, rule_id, label, seat_name, t, view["thresholds"]))
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


def _threshold_row(key: str, rule_id: str, label: str, seat_name: str, t, thresholds: dict) -> dict:
    """One threshold's three inputs; {rule_id: the values that differ from the defaults or come from the view}."""
    current = thresholds.get(rule_id, {})
    defaults = {"recommended": t.recommended, "strongly": t.strongly, "floor": t.floor or 0.0}
    cols = st.columns([3, 1, 1, 1])
    own = label == seat_name
    cols[0].markdown(md("The seat's own trigger" if own else label.removeprefix(seat_name + ", ").capitalize()))
    values = {}
    for col, field in zip(cols[1:], seats.OVERRIDABLE):
        shown = min(float(current.get(field, defaults[field])), MAX_THRESHOLD)
        typed = col.number_input(
            field,
            min_value=0.0,
            max_value=1.0 if links.is_share_field(t, field) else MAX_THRESHOLD,
            value=min(shown, 1.0) if links.is_share_field(t, field) else shown,
            step=0.05,
            key=f"{key}_{rule_id}_{field[:3]}",
            format="%.3f",
        )
        # a value from the view stays exactly as it is; a typed one is rounded
        values[field] = current[field] if field in current and typed == shown else round(typed, DECIMALS)
    # an override the user set back to the default goes; one from the view stays
    kept = {f: v for f, v in values.items() if abs(v - defaults[f]) > 1e-9 or (f in current and v == current[f])}
    return {rule_id: kept} if kept else {}


def certainty_words() -> None:
    """One line per word of a verdict's certainty, linked to where Data and methods explains them."""
    lines = [f"**{md(word)}**: {md(meaning)}" for word, meaning in sectors.CONFIDENCE_MEANING.items()]
    st.markdown(
        "How sure each class is ([how these are defined](/data-and-methods#how-sure)):\n\n"
        + "\n".join(f"- {line}" for line in lines)
    )
