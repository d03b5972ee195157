"""Properties of share links over generated parameters (hypothesis).

- ``links.parse_query`` never raises, whatever the parameters;
- for any view it returns, the link ``to_query`` writes reads back as the same view with no notice,
  and every written value is within the reader's limits;
- through the app (AppTest): a generated link opens without an exception, and the link the app then
  writes opens the same view in a new session.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.analysis import seats, self_assessment
from dashboard.analysis.regions import list_regions
from dashboard.data import paths
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data
from dashboard.ui import links

APP = str(paths.ROOT / "app.py")
COUNTIES = sorted(list_regions("county")["region_id"])
INDIANA = [c for c in COUNTIES if c.startswith("18")]
TRIGGERED = [r for r in seats.load_rules() if r.trigger is not None]
SEAT_IDS = [r.id for r in seats.load_rules()]
ITEM_IDS = self_assessment.load_assessment().item_ids
REGION_IDS = {s: sorted(list_regions(s)["region_id"])[:40] for s in ("cbsa", "cz", "bea", "in-egr", "state")}

junk = (
    st.text(max_size=30)
    | st.text(alphabet=string.printable, max_size=30)
    | st.sampled_from(
        ["", " ", "ın", "１８", "1_0", "١", "nan", "inf", "-1", "1e5", "<b>x</b>", '=HYPERLINK("x")', "\x00", "%00"]
    )
)
numbers = st.one_of(
    st.floats(min_value=0, max_value=1e30, allow_nan=False).map(links.plain_number),
    st.floats(min_value=0, max_value=100, allow_nan=False).map(repr),
    st.decimals(min_value=0, max_value=100, places=8).map(str),
    st.sampled_from(["1", "1.1", ".5", "0", "50", "50.0001", "1_0", "١", "1e3", "2.", "+1", "0." + "0" * 40 + "1"]),
)


@st.composite
def county_lists(draw):
    chosen = draw(
        st.one_of(
            st.lists(st.sampled_from(COUNTIES), min_size=1, max_size=40),
            st.just(INDIANA),
            st.lists(st.sampled_from(COUNTIES + ["99999", "1803x", "18"]), max_size=5),
        )
    )
    sep = draw(st.sampled_from([",", ", ", " ", ";", ",,"]))
    return sep.join(chosen)


@st.composite
def threshold_texts(draw):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        seat = draw(st.sampled_from([r.id for r in TRIGGERED] + ["no-such-seat"]))
        field = draw(st.sampled_from(seats.OVERRIDABLE + ("weight",)))
        parts.append(f"{seat}.{field}:{draw(numbers)}")
    return draw(st.sampled_from([",", " "])).join(parts)


def _ids(pool):
    return st.lists(st.sampled_from(pool), max_size=8).map(",".join)


VALUES = {
    "state": st.sampled_from(["IN", "in", "18", "US", "06", "8", "IL", "17", "72", "ZZ", "99"]) | junk,
    "scheme": st.sampled_from(["county", "cbsa", "cz", "bea", "in-egr", "state", "custom", "zip"]) | junk,
    "region": st.sampled_from(["1", "2", "11", "18039", "18", "16980", "21140", "01001"] + REGION_IDS["cz"][:5]) | junk,
    "industry": st.sampled_from(list(map_data.industries())) | junk,
    "measure": st.sampled_from(list(maps.INDUSTRY_MEASURE_IDS) + ["change"]) | junk,
    "indicator": st.sampled_from(list(links.indicator_ids())) | junk,
    "lq_min": numbers | junk,
    "compare": _ids(REGION_IDS["in-egr"] + REGION_IDS["cbsa"][:10] + ["99"]) | junk,
    "filled": _ids(SEAT_IDS + ["nobody"]) | junk,
    "checked": _ids(ITEM_IDS + ["nothing"]) | junk,
    "thresholds": threshold_texts() | junk,
    "counties": county_lists() | junk,
    "name": st.text(max_size=120),
    "year": st.sampled_from(["2016", "2015", "1999", "２０１６", "16"]) | junk,
    "since": st.sampled_from(["2015", "2016"]) | junk,
    "utm_source": junk,
}


@st.composite
def link_params(draw):
    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), unique=True, max_size=len(VALUES)))
    params = {k: draw(VALUES[k]) for k in keys}
    if draw(st.booleans()) and "counties" in params:
        params["scheme"] = "custom"
    for k in draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)) if keys else []:
        params[k] = [params[k], draw(VALUES[k])]  # repeated parameters arrive as lists
    return params


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(link_params())
def test_any_link_parses_and_its_view_round_trips(params):
    view, _ = links.parse_query(params)
    query = links.to_query(view)
    assert all(isinstance(v, str) for v in query.values())
    for key, value in query.items():
        assert len(value) <= links.value_limit(key), key
        assert key == "name" or value.isascii(), (key, value)
    again, notices = links.parse_query(query)
    assert notices == []
    assert again == view
    assert links.to_query(again) == query


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(junk, junk | st.lists(junk, max_size=3), max_size=6))
def test_parse_query_never_raises_on_arbitrary_parameters(params):
    view, notices = links.parse_query(params)
    assert set(view) == set(links.DEFAULTS)
    assert all(isinstance(n, str) for n in notices)


@settings(max_examples=200, deadline=None)
@given(
    lq_min=st.floats(min_value=0, max_value=50),
    value=st.floats(min_value=0, max_value=1e12),
    floor=st.floats(min_value=0, max_value=1),
)
def test_every_value_the_widgets_can_hold_round_trips(lq_min, value, floor):
    """The LQ filter's box takes any number from 0 to 50; the threshold form writes numbers rounded to six
    decimals up to 1e12 (profile_view.MAX_THRESHOLD), and a share (the floor under a workforce share) up
    to 1: each is written as a link reads back."""
    from dashboard.ui.profile_view import DECIMALS, MAX_THRESHOLD

    assert value <= MAX_THRESHOLD
    rule = next(r for r in TRIGGERED if not r.trigger.absolute and r.trigger.direction == "above")
    rec = max(round(value, DECIMALS), 1.0)
    thresholds = {rule.id: {"recommended": rec, "strongly": rec, "floor": round(floor, DECIMALS)}}
    view = {**links.parse_query({})[0], "lq_min": lq_min, "thresholds": thresholds}
    again, notices = links.parse_query(links.to_query(view))
    assert notices == []
    assert again == view


# --- through the app ---------------------------------------------------------------------------------

PAGES = [
    "pages/industry_map.py",
    "pages/region_profile.py",
    "pages/compare_regions.py",
    "pages/partnership_table.py",
    "pages/workforce_map.py",
]


def _open(params: dict, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/industry_map.py":
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
@settings(
    max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(params=link_params())
@example(params={"state": "US", "scheme": "custom", "counties": ",".join(INDIANA), "name": "Indiana <b>all</b>"})
@example(
    params={
        "state": "IN",
        "scheme": "in-egr",
        "region": "2",
        "compare": "2,5,11",
        "filled": SEAT_IDS[0],
        "thresholds": f"{TRIGGERED[0].id}.floor:0.05,{TRIGGERED[1].id}.recommended:1.5",
    }
)
def test_a_generated_link_opens_and_the_written_link_reopens_the_same_view(page, params):
    at = _open({k: (v[-1] if isinstance(v, list) else v) for k, v in params.items()}, page)
    assert not at.exception, [e.message for e in at.exception]
    written = {k: at.query_params[k] for k in at.query_params}
    assert links.parse_query(written)[1] == []  # the app writes only what it reads without a notice
    again = _open(written, page)
    assert not again.exception
    assert again.session_state["link_notices"] == []
    assert again.session_state["view"] == at.session_state["view"]
    assert {k: again.query_params[k] for k in again.query_params} == written


# --- the threshold form keeps what the link set ---------------------------------------------------------

EGR2 = {"state": "IN", "scheme": "in-egr", "region": "2", "industry": "advanced-manufacturing"}


def _apply(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Apply thresholds").click().run()


@pytest.mark.parametrize(
    "page,key", [("pages/region_profile.py", "profile_thresholds"), ("pages/partnership_table.py", "table_thresholds")]
)
def test_apply_thresholds_keeps_floors_from_the_link(page, key):
    """Before, the form had no floor field and "Apply thresholds" dropped every floor the link set."""
    unfloored = next(r for r in TRIGGERED if r.trigger.floor is None)
    floored = next(r for r in TRIGGERED if r.trigger.floor is not None)
    thresholds = links.format_thresholds(
        {unfloored.id: {"floor": 0.05, "recommended": 1.2}, floored.id: {"floor": floored.trigger.floor * 2}}
    )
    at = _open({**EGR2, "thresholds": thresholds}, page)
    assert at.session_state["link_notices"] == []
    assert at.number_input(key=f"{key}_{unfloored.id}_flo").value == 0.05
    at = _apply(at)
    assert not at.exception and not at.error
    assert at.query_params["thresholds"] == thresholds
    # a floor typed in the form goes into the link too
    at.number_input(key=f"{key}_{unfloored.id}_flo").set_value(0.125)
    at = _apply(at)
    assert links.parse_query({"thresholds": at.query_params["thresholds"]})[0]["thresholds"][unfloored.id] == {
        "floor": 0.125,
        "recommended": 1.2,
    }


def test_a_typed_threshold_is_written_as_a_link_can_carry_it():
    rule = next(r for r in TRIGGERED if r.trigger.floor is None)
    at = _open(EGR2, "pages/region_profile.py")
    at.number_input(key=f"profile_thresholds_{rule.id}_flo").set_value(1.234567891234e-9)
    at.number_input(key=f"profile_thresholds_{rule.id}_rec").set_value(12345.123456789)
    at.number_input(key=f"profile_thresholds_{rule.id}_str").set_value(23456.987654321)
    at = _apply(at)
    assert not at.error, [e.value for e in at.error]
    written = {k: at.query_params[k] for k in at.query_params}
    view, notices = links.parse_query(written)
    assert notices == []
    # rounded as typed to six decimals; the tiny floor rounds to 0, no floor
    assert view["thresholds"][rule.id] == {"recommended": 12345.123457, "strongly": 23456.987654}
