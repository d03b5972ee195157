"""The one list of everything the product names: region schemes, state codes, workforce
indicators and the orders they are shown in, seat levels, source labels and industry kinds.

Modules read these lists from here and never keep their own copies, so adding a
scheme or an indicator is one edit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    """A way of grouping counties into regions."""

    id: str
    plural: str  # how a list of them is labelled ("Commuting zones (2020 delineation)")
    singular: str  # how one of them is named in a sentence ("commuting zone")


#: Region schemes, in the order the sidebar offers them. Their regions come from data/regions.parquet.
SCHEMES: dict[str, Scheme] = {
    s.id: s
    for s in [
        Scheme("county", "Counties", "county"),
        Scheme("cbsa", "Metro and micro areas (CBSA, OMB delineation of July 2023)", "metro or micro area (CBSA)"),
        Scheme("cz", "Commuting zones (2020 delineation)", "commuting zone"),
        Scheme("bea", "BEA economic areas", "BEA economic area"),
        Scheme("in-egr", "Indiana economic growth regions", "Indiana economic growth region"),
        Scheme("state", "States", "state"),
    ]
}
SCHEME_IDS = tuple(SCHEMES)
#: Regions a user builds from counties (picked or uploaded); their id is their county list.
CUSTOM = "custom"
CUSTOM_SCHEME = Scheme(CUSTOM, "Custom regions", "custom region")


def scheme(scheme_id: str) -> Scheme:
    """The scheme of an id, custom regions included."""
    return CUSTOM_SCHEME if scheme_id == CUSTOM else SCHEMES[scheme_id]


#: Map layers built from the county boundaries: counties at two simplifications, and each scheme's dissolve.
GEO_LAYERS = ("counties_us", "counties_state", *(f"regions_{s}" for s in SCHEME_IDS if s != "county"))

#: USPS code -> state FIPS, so links can say ``state=IN`` as well as ``state=18``.
USPS = {
    "AL": "01",
    "AK": "02",
    "AZ": "04",
    "AR": "05",
    "CA": "06",
    "CO": "08",
    "CT": "09",
    "DE": "10",
    "DC": "11",
    "FL": "12",
    "GA": "13",
    "HI": "15",
    "ID": "16",
    "IL": "17",
    "IN": "18",
    "IA": "19",
    "KS": "20",
    "KY": "21",
    "LA": "22",
    "ME": "23",
    "MD": "24",
    "MA": "25",
    "MI": "26",
    "MN": "27",
    "MS": "28",
    "MO": "29",
    "MT": "30",
    "NE": "31",
    "NV": "32",
    "NH": "33",
    "NJ": "34",
    "NM": "35",
    "NY": "36",
    "NC": "37",
    "ND": "38",
    "OH": "39",
    "OK": "40",
    "OR": "41",
    "PA": "42",
    "RI": "44",
    "SC": "45",
    "SD": "46",
    "TN": "47",
    "TX": "48",
    "UT": "49",
    "VT": "50",
    "VA": "51",
    "WA": "53",
    "WV": "54",
    "WI": "55",
    "WY": "56",
    "PR": "72",
}


@dataclass(frozen=True)
class Indicator:
    """A workforce indicator: summed ``numerator`` counts over the summed ``denominator`` of a region's counties."""

    id: str
    label: str
    numerator: tuple[str, ...]
    denominator: str
    source: str
    kind: str = "share"  # share | median | count
    short_label: str = ""  # the brief's shorter row label; the label when empty

    @property
    def format(self) -> str:
        """The :mod:`formatting` kind its values are shown with."""
        return {"share": "share", "median": "money", "count": "count"}[self.kind]


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator(
            "low_skill_share",
            "Adults 25+ with high school or less",
            ("less_than_hs", "hs_only"),
            "adults_25plus",
            "education",
            short_label="Low skill: adults 25+ with high school or less",
        ),
        Indicator(
            "no_diploma_share",
            "Adults 25+ without a high school diploma",
            ("less_than_hs",),
            "adults_25plus",
            "education",
        ),
        Indicator("poverty_rate", "People in poverty", ("poverty_count",), "poverty_universe", "poverty"),
        Indicator(
            "child_poverty_rate",
            "Children (0-17) in poverty",
            ("child_poverty_count",),
            "child_poverty_universe",
            "poverty",
        ),
        Indicator("below_150pct_poverty_share", "People below 150% of poverty", ("pov150",), "pov150_universe", "svi"),
        Indicator("unemployment_rate", "Unemployment rate", ("unemployed",), "labor_force", "laus"),
        Indicator(
            "limited_english_share",
            "People who speak English less than well",
            ("limited_english",),
            "limited_english_universe",
            "svi",
            short_label="Speak English less than well",
        ),
        Indicator("no_vehicle_share", "Households without a vehicle", ("no_vehicle",), "no_vehicle_universe", "svi"),
        Indicator("disability_share", "People with a disability", ("disability",), "disability_universe", "svi"),
        Indicator("uninsured_share", "People without health insurance", ("uninsured",), "uninsured_universe", "svi"),
        Indicator(
            "no_internet_share",
            "Households without broadband internet",
            ("no_internet",),
            "no_internet_universe",
            "svi",
        ),
        Indicator("youth_share", "People aged 17 or younger", ("age17",), "age17_universe", "svi"),
        Indicator(
            "median_household_income",
            "Median household income (household-weighted approximation for regions)",
            ("median_household_income",),
            "households",
            "poverty",
            kind="median",
            short_label="Median household income",
        ),
        Indicator("population", "Population", ("population",), "", "population", kind="count"),
    ]
}

#: The workforce keys of a profile (and the CLI JSON), in their documented order.
PROFILE_WORKFORCE = (
    "low_skill_share",
    "poverty_rate",
    "below_150pct_poverty_share",
    "median_household_income",
    "unemployment_rate",
    "limited_english_share",
    "no_vehicle_share",
    "disability_share",
    "population",
    "no_diploma_share",
    "child_poverty_rate",
    "uninsured_share",
    "no_internet_share",
    "youth_share",
)
#: Indicators set against the state and the nation on the profile and compare pages, in reading order.
COMPARED_WORKFORCE = (
    "low_skill_share",
    "no_diploma_share",
    "poverty_rate",
    "child_poverty_rate",
    "below_150pct_poverty_share",
    "unemployment_rate",
    "limited_english_share",
    "no_vehicle_share",
    "disability_share",
    "uninsured_share",
    "no_internet_share",
    "youth_share",
    "median_household_income",
    "population",
)
#: The rows of the printed brief's workforce table, in order.
BRIEF_WORKFORCE = (
    "low_skill_share",
    "poverty_rate",
    "below_150pct_poverty_share",
    "unemployment_rate",
    "limited_english_share",
    "no_vehicle_share",
    "disability_share",
    "median_household_income",
    "population",
)

#: Seat levels, most needed first; the first three are the seats a table should fill.
SEAT_LEVELS = ("core", "strongly recommended", "recommended", "not indicated", "not assessed")
INDICATED_LEVELS = SEAT_LEVELS[:3]
NOT_INDICATED_LEVELS = frozenset(SEAT_LEVELS[3:])

#: What each source of a profile's ``vintages`` covers, in words a reader of the brief knows.
SOURCE_LABELS = {
    "industry": "Industry",
    "education": "Education",
    "poverty": "Poverty, income",
    "svi": "150% of poverty, English, vehicles, disability",
    "laus": "Unemployment",
    "population": "Population",
}
#: Sources a profile cites, keyed as in :data:`SOURCE_LABELS`.
PROFILE_SOURCES = tuple(SOURCE_LABELS)

#: How an industry of each kind is introduced in a picker.
INDUSTRY_KIND_PREFIX = {"partnership": "Partnership sector: ", "sector": "NAICS ", "subsector": "NAICS "}


# ---- the partnership registry ---------------------------------------------------------------------------------
#: A partnership's phases, in the order a partnership moves through them (the primer's launch and sustain stages).
PHASES = ("exploring", "launching", "active", "dormant", "ended")
#: Only an active partnership covers its region's sector (the primer's yardstick: an *active* partnership for each
#: industry critical to the region).
COVERING_PHASES = ("active",)
#: The kinds of organisation that convene a partnership (the intermediaries the guidance names).
CONVENER_KINDS = {
    "workforce-board": "Workforce board",
    "economic-development": "Economic development organisation",
    "college": "Community or technical college",
    "industry-association": "Industry association or chamber",
    "employer": "Employer",
    "labor": "Labor organisation",
    "community": "Community-based organisation",
    "state-agency": "State agency",
    "other": "Other intermediary",
}
#: A member is an employer of the sector (with its NAICS code) or a champion from the public and community side.
MEMBER_KINDS = {"employer": "Employer", "champion": "Champion (public or community partner)"}
#: Registry roles: a viewer reads, an editor writes the partnerships of its states, an admin writes all and grants.
ROLES = ("viewer", "editor", "admin")
