"""Share links: untrusted query parameters -> a valid view (with notices), and back to a link."""

from __future__ import annotations

import math

import pytest

from dashboard.analysis import seats, self_assessment
from dashboard.analysis.regions import custom_region, list_regions
from dashboard.maps import data as map_data
from dashboard.ui import links

EGR_IDS = [str(i) for i in range(1, 12)]

#: A few USPS code -> state FIPS pairs, from the Census Bureau's published state FIPS list.
KNOWN_FIPS = {
    "IN": "18",
    "IL": "17",
    "CA": "06",
    "TX": "48",
    "NY": "36",
    "AK": "02",
    "WY": "56",
    "DC": "11",
    "PR": "72",
    "CO": "08",
    "OH": "39",
    "MI": "26",
    "KY": "21",
}

JUNK = [
    "../../etc/passwd",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "x" * 5000,
    "NULL",
    "'; DROP TABLE regions; --",
    "\x00",
    "%00",
]


def _triggered():
    return [r for r in seats.load_rules() if r.trigger is not None]


def _relative_above():
    return [r for r in _triggered() if not r.trigger.absolute and r.trigger.direction == "above"]


def _notices_about(notices, word):
    return [n for n in notices if word in n]


# -- defaults -----------------------------------------------------------------------------------


def test_empty_params_give_the_defaults_and_no_notice():
    view, notices = links.parse_query({})
    assert notices == []
    expected = dict(links.DEFAULTS)
    # the region is the first region of the default scheme (Indiana EGRs) in the default state
    expected["region"] = "1"
    expected["year"] = 2016  # the newest loaded year
    assert view == expected
    assert view["state"] == "18" and view["scheme"] == "in-egr"
    assert view["industry"] in map_data.industries()


def test_empty_values_are_treated_as_absent():
    params = {
        k: ""
        for k in (
            "state",
            "scheme",
            "region",
            "industry",
            "measure",
            "indicator",
            "lq_min",
            "compare",
            "filled",
            "checked",
            "thresholds",
            "counties",
            "name",
        )
    }
    view, notices = links.parse_query(params)
    assert notices == []
    assert view == links.parse_query({})[0]


def test_parsed_view_does_not_share_mutable_defaults():
    view, _ = links.parse_query({})
    view["thresholds"]["adult-literacy"] = {"recommended": 2.0}
    assert links.DEFAULTS["thresholds"] == {}
    assert links.parse_query({})[0]["thresholds"] == {}


# -- round trips --------------------------------------------------------------------------------


def _full_params():
    rules = _relative_above()
    a, b = rules[0], rules[1]
    thresholds = (
        f"{a.id}.recommended:{a.trigger.recommended + 0.1:.2f},{a.id}.strongly:{a.trigger.strongly + 0.2:.2f},"
        f"{b.id}.floor:0.05"
    )
    filled = [r.id for r in seats.load_rules()][:3]
    checked = self_assessment.load_assessment().item_ids[::4]
    return {
        "state": "IN",
        "scheme": "cbsa",
        "region": "21140",
        "industry": "healthcare",
        "measure": "employment",
        "indicator": map_data.NONMETRO,
        "lq_min": "1.25",
        "compare": "26900,16980,21140",
        "filled": ",".join(filled),
        "checked": ",".join(checked),
        "thresholds": thresholds,
    }, (a, b, filled, checked)


def test_full_link_is_read_exactly():
    params, (a, b, filled, checked) = _full_params()
    view, notices = links.parse_query(params)
    assert notices == []
    assert view["state"] == "18"
    assert (view["scheme"], view["region"]) == ("cbsa", "21140")
    assert view["industry"] == "healthcare" and view["measure"] == "employment"
    assert view["indicator"] == map_data.NONMETRO
    assert view["lq_min"] == 1.25
    assert view["compare"] == ("26900", "16980", "21140")
    assert view["filled"] == tuple(filled)
    assert view["checked"] == tuple(checked)
    assert view["thresholds"] == {
        a.id: {"recommended": round(a.trigger.recommended + 0.1, 2), "strongly": round(a.trigger.strongly + 0.2, 2)},
        b.id: {"floor": 0.05},
    }


def test_full_link_round_trips():
    params, _ = _full_params()
    view, _ = links.parse_query(params)
    query = links.to_query(view)
    assert all(isinstance(v, str) for v in query.values())
    again, notices = links.parse_query(query)
    assert notices == []
    assert again == view
    # and the written link is stable
    assert links.to_query(again) == query


def test_link_of_default_view_names_place_and_industry_only():
    view, _ = links.parse_query({})
    assert links.to_query(view) == {
        "state": "IN",
        "scheme": "in-egr",
        "region": "1",
        "industry": "advanced-manufacturing",
        "year": "2016",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"state": "US", "scheme": "county", "region": "18097"},
        {"state": "18", "scheme": "county", "region": "18039", "industry": "31-33", "measure": "growth"},
        {"state": "17", "scheme": "cbsa", "region": "16980", "industry": "325", "measure": "avg_annual_pay"},
        {"state": "18", "scheme": "state", "region": "18", "indicator": "bivariate"},
        {"state": "US", "scheme": "in-egr", "region": "11", "compare": "1,2,3,4,5,6"},
        {"state": "06", "scheme": "cz", "indicator": "median_household_income", "lq_min": "0.5"},
    ],
)
def test_other_links_round_trip(params):
    view, notices = links.parse_query(params)
    assert notices == []
    for key, value in params.items():
        if key in ("state", "scheme", "region", "industry", "measure", "indicator"):
            assert view[key] == value
    again, notices = links.parse_query(links.to_query(view))
    assert notices == [] and again == view


def test_custom_region_link_round_trips_with_counties_and_name():
    params = {"state": "18", "scheme": "custom", "counties": "18141, 18039", "name": "  Michiana \t core  "}
    view, notices = links.parse_query(params)
    assert notices == []
    assert view["scheme"] == "custom"
    assert view["counties"] == ("18039", "18141")  # sorted, as a custom region holds them
    assert view["name"] == "Michiana core"  # whitespace collapsed
    assert view["region"] == "18039,18141"
    query = links.to_query(view)
    assert "region" not in query  # the county list is the identity
    assert query["counties"] == "18039,18141" and query["name"] == "Michiana core"
    again, notices = links.parse_query(query)
    assert notices == [] and again == view


def test_custom_region_without_name_round_trips():
    view, notices = links.parse_query({"scheme": "custom", "counties": "18039 18141 18039"})
    assert notices == []
    assert view["counties"] == ("18039", "18141")
    assert view["name"] == "Custom region of 2 counties"
    assert links.parse_query(links.to_query(view))[0] == view


def test_large_custom_region_link_round_trips():
    counties = list(list_regions("county", "48")["region_id"]) + list(list_regions("county", "13")["region_id"])
    assert len(counties) == 413
    region = custom_region(counties, "Texas and Georgia")  # what the Custom regions page builds
    view = {
        **links.parse_query({})[0],
        "state": "US",
        "scheme": "custom",
        "region": region.id,
        "counties": region.counties,
        "name": region.name,
    }
    again, notices = links.parse_query(links.to_query(view))
    assert notices == []
    assert again == view


def test_custom_name_is_kept_as_text_and_capped():
    markup = "<script>alert(1)</script>"
    view, notices = links.parse_query({"scheme": "custom", "counties": "18097", "name": markup})
    assert notices == [] and view["name"] == markup  # kept as typed; escaped where it is shown
    long_name = "N" * 500
    view, _ = links.parse_query({"scheme": "custom", "counties": "18097", "name": long_name})
    assert view["name"] == "N" * links.MAX_NAME


def test_thresholds_text_round_trips():
    rules = _relative_above()
    # raise both thresholds by 0.5, so "strongly" stays stricter than "recommended"
    text = " ".join(
        f"{r.id}.recommended:{r.trigger.recommended + 0.5:g},{r.id}.strongly:{r.trigger.strongly + 0.5:g}"
        for r in rules[:4]
    )
    parsed = links.parse_thresholds(text)
    assert set(parsed) == {r.id for r in rules[:4]}
    for r in rules[:4]:
        assert parsed[r.id] == {
            "recommended": pytest.approx(r.trigger.recommended + 0.5),
            "strongly": pytest.approx(r.trigger.strongly + 0.5),
        }
    assert links.parse_thresholds(links.format_thresholds(parsed)) == parsed


@pytest.mark.parametrize(
    "params",
    [
        {"thresholds": "neighboring-regions.floor:0.00001"},  # written back as 1e-05, then refused
        {"thresholds": "trade-association.recommended:1234567"},  # written back as 1.23457e+06, then refused
        {"thresholds": "adult-literacy.recommended:1.1234567"},  # written back as 1.12346
        {"lq_min": "0.1234567"},  # written back as 0.123457
    ],
    ids=["tiny-floor", "large-threshold", "seven-digits", "lq-min-seven-digits"],
)
def test_accepted_numbers_survive_a_round_trip(params):
    view, notices = links.parse_query(params)
    assert notices == []  # the link itself is valid
    again, notices = links.parse_query(links.to_query(view))
    assert notices == []
    assert again == view


# -- states -------------------------------------------------------------------------------------


@pytest.mark.parametrize("usps,fips", sorted(KNOWN_FIPS.items()))
def test_usps_codes_map_to_state_fips(usps, fips):
    assert links.state_code(usps) == fips
    assert links.state_code(usps.lower()) == fips
    assert links.state_code(f" {usps} ") == fips
    assert links.parse_query({"state": usps})[0]["state"] == fips


def test_every_usps_code_is_a_state_of_the_data():
    assert set(links.USPS.values()) == set(map_data.states())
    assert len(links.USPS) == 52
    assert map_data.states()[links.USPS["IN"]] == "Indiana"


def test_fips_and_us_codes():
    assert links.state_code("18") == "18"
    assert links.state_code("8") == "08"  # Colorado, zero-padded
    assert links.state_code("US") == "US" and links.state_code("us") == "US"
    view, notices = links.parse_query({"state": "US", "scheme": "county"})
    assert notices == [] and view["state"] == "US"
    assert view["region"] == "01001"  # Autauga County, AL: the lowest county FIPS


@pytest.mark.parametrize("text", ["XX", "99", "00", "78", "018", "18.0", "Indiana", "", "-1", "１８"])
def test_unknown_state_codes(text):
    assert links.state_code(text) is None


# -- junk ---------------------------------------------------------------------------------------

SCALAR_KEYS = ["state", "scheme", "region", "industry", "measure", "indicator", "lq_min", "thresholds"]


@pytest.mark.parametrize("key", SCALAR_KEYS)
@pytest.mark.parametrize("junk", JUNK, ids=lambda j: repr(j[:20]))
def test_junk_values_fall_back_with_a_notice(key, junk):
    default_view, _ = links.parse_query({})
    view, notices = links.parse_query({key: junk})
    assert view == default_view
    assert len(notices) >= 1
    assert all("default" in n for n in notices)


@pytest.mark.parametrize("key", ["compare", "filled", "checked"])
@pytest.mark.parametrize("junk", JUNK, ids=lambda j: repr(j[:20]))
def test_junk_lists_are_dropped_with_a_notice(key, junk):
    view, notices = links.parse_query({key: junk})
    assert view[key] == ()
    assert len(notices) == 1


@pytest.mark.parametrize("junk", JUNK + ["99999", "18", "18039,abc"], ids=lambda j: repr(j[:20]))
def test_junk_custom_county_list_falls_back_with_a_notice(junk):
    view, notices = links.parse_query({"scheme": "custom", "counties": junk, "name": "x"})
    assert view["scheme"] == links.DEFAULTS["scheme"]
    assert view["region"] in EGR_IDS
    assert view["counties"] == () and view["name"] == ""
    assert _notices_about(notices, "custom county list") or _notices_about(notices, "characters long")


def test_overlong_name_gives_a_notice_and_the_default_name():
    view, notices = links.parse_query({"scheme": "custom", "counties": "18039,18141", "name": "y" * 5000})
    assert view["name"] == "Custom region of 2 counties"
    assert _notices_about(notices, "5,000 characters")


def test_long_valid_county_list_is_accepted():
    # a large custom region still fits in a link: every Indiana county
    counties = list(list_regions("county", "18")["region_id"])
    view, notices = links.parse_query({"scheme": "custom", "counties": ",".join(counties)})
    assert notices == [] and len(view["counties"]) == 92


@pytest.mark.parametrize(
    "value",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "-0.5",
        "-1",
        "50.01",
        "1e400",
        "abc",
        "1,5",
        "0x10",
        float("nan"),
        float("inf"),
        -3,
    ],
)
def test_bad_lq_min_falls_back_with_a_notice(value):
    view, notices = links.parse_query({"lq_min": value})
    assert view["lq_min"] == 0.0
    assert _notices_about(notices, "LQ filter")


@pytest.mark.parametrize("value,expected", [("0", 0.0), ("1.25", 1.25), ("50", 50.0), (" 2 ", 2.0), (3, 3.0)])
def test_good_lq_min(value, expected):
    view, notices = links.parse_query({"lq_min": value})
    assert notices == [] and view["lq_min"] == expected and math.isfinite(view["lq_min"])


@pytest.mark.parametrize(
    "params",
    [
        {"state": ["IN", "<script>alert(1)</script>"]},
        {"state": ["../../etc/passwd", "XX"]},
        {"lq_min": ["1", "nan"]},
        {"region": ["2", "../../etc/passwd"]},
        {"scheme": [["nested"], "x"]},
        {"industry": ("advanced-manufacturing", '=HYPERLINK("x")')},
    ],
)
def test_list_valued_junk_falls_back_with_a_notice(params):
    view, notices = links.parse_query(params)
    assert view == links.parse_query({})[0]
    assert len(notices) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"state": None},
        {"scheme": 3.5},
        {"region": object()},
        {"measure": {"a": 1}},
        {"compare": ["1,2", None]},
        {"thresholds": 7},
        {"checked": b"bytes"},
        {"state": []},
    ],
)
def test_odd_types_never_raise(params):
    view, notices = links.parse_query(params)
    assert view == links.parse_query({})[0]
    assert len(notices) == (0 if params == {"state": []} else 1)


def test_valid_values_alongside_junk_are_kept():
    view, notices = links.parse_query(
        {
            "state": "IN",
            "scheme": "in-egr",
            "region": "2",
            "industry": "<b>",
            "measure": "../../etc/passwd",
            "lq_min": "nan",
        }
    )
    assert (view["state"], view["scheme"], view["region"]) == ("18", "in-egr", "2")
    assert view["industry"] == links.DEFAULTS["industry"] and view["measure"] == "lq" and view["lq_min"] == 0.0
    assert len(notices) == 3


def test_notices_quote_a_shortened_value():
    _, notices = links.parse_query({"industry": "z" * 1500})
    assert len(notices) == 1
    assert "z" * 41 not in notices[0] and "..." in notices[0]


# -- scheme and region against the state ----------------------------------------------------------


def test_scheme_absent_from_the_state_falls_back_with_a_notice():
    view, notices = links.parse_query({"state": "06", "scheme": "in-egr", "region": "2"})
    assert view["state"] == "06"
    assert view["scheme"] == "county"
    # the first county of California, Alameda (06001)
    assert view["region"] == "06001"
    assert _notices_about(notices, "scheme")
    assert _notices_about(notices, "region")


def test_region_not_in_the_state_falls_back_to_the_first_region():
    view, notices = links.parse_query({"state": "18", "scheme": "county", "region": "17031"})  # Cook County, IL
    assert view["region"] == "18001"  # Adams County, IN: the lowest Indiana county FIPS
    assert len(notices) == 1 and "region" in notices[0]
    view, notices = links.parse_query({"state": "IN", "scheme": "in-egr", "region": "12"})
    assert view["region"] == "1" and len(notices) == 1


def test_region_crossing_the_state_line_is_valid_in_each_state():
    for state in ("IN", "IL"):
        view, notices = links.parse_query({"state": state, "scheme": "cbsa", "region": "16980"})
        assert notices == [] and view["region"] == "16980"
    view, notices = links.parse_query({"state": "OH", "scheme": "cbsa", "region": "16980"})
    assert view["region"] != "16980" and notices


def test_unknown_scheme_falls_back_to_the_default():
    view, notices = links.parse_query({"scheme": "zip", "region": "3"})
    assert view["scheme"] == "in-egr" and view["region"] == "3"
    assert len(notices) == 1 and "scheme" in notices[0]


# -- compare, seats, checklist, thresholds ----------------------------------------------------------


def test_compare_keeps_known_ids_drops_unknown_with_a_notice():
    view, notices = links.parse_query({"compare": "2, 5,99,2,<b>,11"})
    assert view["compare"] == ("2", "5", "11")
    assert len(notices) == 1 and "2 unknown" in notices[0]


def test_compare_is_capped():
    view, notices = links.parse_query({"compare": ",".join(EGR_IDS)})
    assert view["compare"] == tuple(EGR_IDS[: links.MAX_COMPARE])
    assert len(notices) == 1


def test_unknown_seats_are_dropped_with_a_notice():
    ids = [r.id for r in seats.load_rules()]
    view, notices = links.parse_query({"filled": f"{ids[0]},no-such-seat,{ids[-1]},{ids[0]}"})
    assert view["filled"] == (ids[0], ids[-1])
    assert len(notices) == 1 and "seats" in notices[0]
    view, notices = links.parse_query({"filled": ",".join(ids)})
    assert notices == [] and view["filled"] == tuple(ids)


def test_unknown_checklist_items_are_dropped_with_a_notice():
    items = self_assessment.load_assessment().item_ids
    view, notices = links.parse_query({"checked": f"{items[1]} ghost-item {items[0]}"})
    assert view["checked"] == (items[1], items[0])
    assert len(notices) == 1 and "self-assessment" in notices[0]
    view, notices = links.parse_query({"checked": ",".join(items)})
    assert notices == [] and view["checked"] == tuple(items)


def test_thresholds_of_every_triggered_seat_are_accepted():
    overrides = {}
    for r in _triggered():
        t = r.trigger
        # moving both thresholds by the same factor keeps them in order for either direction
        overrides[r.id] = {"recommended": round(t.recommended * 1.5, 3), "strongly": round(t.strongly * 1.5, 3)}
    text = links.format_thresholds(overrides)
    view, notices = links.parse_query({"thresholds": text})
    assert notices == []
    assert view["thresholds"] == overrides
    assert links.parse_query(links.to_query(view))[0]["thresholds"] == overrides


@pytest.mark.parametrize(
    "text",
    [
        "convener.recommended:1.2",  # a core seat has no thresholds
        "no-such-seat.recommended:1.2",
        "adult-literacy.weight:1.2",  # not an overridable field
        "adult-literacy.recommended:0.5",  # a ratio above the comparison must be at least 1
        "adult-literacy.strongly:1.0",  # strongly must stay stricter than recommended (1.05)
        "adult-literacy.recommended:-1.2",
        "adult-literacy.recommended:nan",
        "adult-literacy.recommended:inf",
        "adult-literacy.recommended:" + "9" * 400,  # parses to infinity
        "adult-literacy.recommended",
        "Adult-Literacy.recommended:1.2",
    ],
)
def test_bad_thresholds_are_refused(text):
    with pytest.raises(ValueError):
        links.parse_thresholds(text)
    view, notices = links.parse_query({"thresholds": text})
    assert view["thresholds"] == {}
    assert len(notices) == 1 and "seat thresholds" in notices[0]


def test_bad_thresholds_in_a_list_refuse_the_whole_setting():
    view, notices = links.parse_query({"thresholds": "adult-literacy.recommended:1.2,convener.floor:0.1"})
    assert view["thresholds"] == {} and len(notices) == 1


# -- only what the documentation says: ASCII codes and plain decimals ---------------------------------


@pytest.mark.parametrize("text", ["ın", "İN", "ｉｎ", "\u3000IN", "I\u200bN", "١٨", "1\u0668"])
def test_state_codes_are_ascii_only(text):
    assert links.state_code(text) is None
    view, notices = links.parse_query({"state": text})
    assert view["state"] == links.DEFAULTS["state"] and len(notices) == 1


@pytest.mark.parametrize("value", ["1_0", "1_000", "١", "٢.٥", "１", "1e-5", "1E1", "+1", ".", "1.", "0x1"])
def test_lq_min_is_a_plain_ascii_decimal(value):
    view, notices = links.parse_query({"lq_min": value})
    assert view["lq_min"] == 0.0 and len(notices) == 1


@pytest.mark.parametrize("number", ["1_5", "١.٥", "1e1", "+2", "0." + "0" * 30 + "1"])
def test_threshold_numbers_are_plain_ascii_decimals_a_link_can_carry(number):
    rule = _relative_above()[0]
    view, notices = links.parse_query({"thresholds": f"{rule.id}.recommended:{number}"})
    assert view["thresholds"] == {} and _notices_about(notices, "seat thresholds")


@pytest.mark.parametrize(
    "key,value",
    [
        ("region", "２"),
        ("industry", "advanced-manufacturing\u200b"),
        ("counties", "１８０３９"),
        ("compare", "1,２"),
        ("filled", "convener\u00a0"),
    ],
)
def test_codes_with_other_characters_than_ascii_are_refused(key, value):
    params = {"scheme": "custom"} if key == "counties" else {}
    view, notices = links.parse_query({**params, key: value})
    assert len(notices) == 1 and "ASCII" in notices[0]


def test_a_custom_name_may_be_any_text():
    view, notices = links.parse_query({"scheme": "custom", "counties": "18039", "name": "Région ıngé 北"})
    assert notices == [] and view["name"] == "Région ıngé 北"


# -- every link the app writes reopens the same view --------------------------------------------------


def test_the_longest_threshold_set_a_link_can_carry_reopens():
    """Every field of every triggered seat, each number as long as a link carries (MAX_NUMBER characters)."""
    floor = float("0." + "0" * 6 + "1234567890123456")  # 24 characters, written back the same
    assert len(links.plain_number(floor)) == links.MAX_NUMBER
    overrides = {}
    for rule in _triggered():
        t = rule.trigger
        if t.direction == "below":
            rec, strong = 0.234567890123456, 0.134567890123456
        elif t.absolute and t.indicator.endswith("_share"):  # a share: a fraction up to 1
            rec, strong = 0.234567890123456, 0.334567890123456
        else:  # a ratio to the comparison
            rec, strong = 1.234567890123456, 2.234567890123456
        overrides[rule.id] = {"recommended": rec, "strongly": strong, "floor": floor}
    seats.with_thresholds(seats.load_rules(), overrides)
    view = {**links.parse_query({})[0], "thresholds": overrides}
    query = links.to_query(view)
    assert len(query["thresholds"]) <= links.value_limit("thresholds")
    again, notices = links.parse_query(query)
    assert notices == []
    assert again == view


def test_a_threshold_the_old_reader_took_but_wrote_back_too_long_is_refused():
    """A floor of 1e-300 was read, then written back as 302 characters per field: past the link limit."""
    rule = _relative_above()[0]
    _, notices = links.parse_query({"thresholds": f"{rule.id}.floor:0.{'0' * 299}1"})
    assert _notices_about(notices, "seat thresholds")


def test_numbers_that_would_be_written_longer_than_a_link_carries_are_refused_on_reading():
    # 22 nines read as 1e22, which is written back with 23 digits: fine; 24 nines would be written with 25
    ok, notices = links.parse_query({"thresholds": "trade-association.recommended:" + "9" * 22})
    assert notices == [] and links.parse_query(links.to_query(ok))[0] == ok
    _, notices = links.parse_query({"thresholds": "trade-association.recommended:" + "9" * 24})
    assert _notices_about(notices, "seat thresholds")


def test_a_link_of_every_county_is_within_the_limits():
    counties = list(list_regions("county")["region_id"])
    region = custom_region(counties)
    view = {
        **links.parse_query({})[0],
        "state": "US",
        "scheme": "custom",
        "region": region.id,
        "counties": region.counties,
        "name": region.name,
    }
    query = links.to_query(view)
    assert len(query["counties"]) <= links.value_limit("counties")
    again, notices = links.parse_query(query)
    assert notices == [] and again == view


def test_a_compare_list_of_custom_regions_is_not_written_and_a_written_one_is_left_out_with_a_notice():
    region = custom_region(list(list_regions("county", "18")["region_id"]), "Indiana")
    other = custom_region(["18039", "18141"], "Michiana")
    view = {
        **links.parse_query({})[0],
        "scheme": "custom",
        "region": region.id,
        "counties": region.counties,
        "name": region.name,
        "compare": (region.id, other.id),
    }
    query = links.to_query(view)
    assert "compare" not in query  # a link carries one custom region; the others live in the session
    again, notices = links.parse_query(query)
    assert notices == [] and again == {**view, "compare": ()}
    # a link written before, carrying the county lists, opens the region with a notice about the list
    old = {**query, "compare": ",".join(view["compare"])}
    again, notices = links.parse_query(old)
    assert again["region"] == region.id and again["compare"] == ()
    assert len(notices) == 1 and "comparison list" in notices[0]


# --- one spelling of the state, and a link without one -------------------------------------------------


@pytest.mark.parametrize(
    "given,written", [("18", "IN"), ("IN", "IN"), ("in", "IN"), ("6", "CA"), ("72", "PR"), ("US", "US")]
)
def test_links_write_a_state_as_its_postal_code(given, written):
    view, notices = links.parse_query({"state": given, "scheme": "county"})
    assert notices == []
    assert links.to_query(view)["state"] == written
    assert links.parse_query(links.to_query(view))[0] == view


@pytest.mark.parametrize(
    "params,state,region",
    [
        ({"scheme": "county", "region": "06037"}, "06", "06037"),  # Los Angeles County: California
        ({"scheme": "cbsa", "region": "16980"}, "17", "16980"),  # Chicago metro: most of its counties are in Illinois
        ({"scheme": "state", "region": "02"}, "02", "02"),
        ({"scheme": "custom", "counties": "39001,39003,18001"}, "39", None),  # two of three counties in Ohio
        ({}, "18", "1"),  # nothing named: the default view
    ],
)
def test_a_link_without_a_state_opens_its_regions_state(params, state, region):
    view, notices = links.parse_query(params)
    assert notices == []
    assert view["state"] == state
    if region is not None:
        assert view["region"] == region


def test_a_link_without_a_state_and_an_unknown_region_opens_the_default_with_a_notice():
    view, notices = links.parse_query({"scheme": "county", "region": "99999"})
    assert view["state"] == "18" and view["region"] == "18001"
    assert any("region" in n for n in notices)
