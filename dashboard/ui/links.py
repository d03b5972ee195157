"""Share links: the view state <-> URL query parameters, as plain codes only.

``parse_query`` reads untrusted parameters: every value is checked against
the codes the data know (FIPS, scheme ids, NAICS codes, seat and checklist
ids); nothing is evaluated or unpickled. A bad value becomes a notice and
falls back to a sane default, so a broken link still opens a working view.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal

from dashboard.analysis import measures, seats, self_assessment
from dashboard.analysis.regions import (
    UnknownRegionError,
    custom_region,
    list_regions,
    parse_county_list,
    resolve_region,
    state_names,
)
from dashboard.data import saved_regions, store
from dashboard.data.catalogue import CUSTOM, USPS
from dashboard.data.catalogue import SCHEME_IDS as SCHEMES
from dashboard.data.names import clean_name
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data

WORKFORCE_VIEWS = ("bivariate",)
MAX_VALUE = 2000  # characters; any valid value but a county list or a full threshold set fits, junk does not
MAX_COUNTIES = 6 * 3300  # a county list of every US county
MAX_COMPARE = 6
#: Characters of county list above which a saved custom region is named in links by its id alone.
BY_ID_OVER = 1200
MAX_NAME = 80
#: Characters of a number in a link (plain decimal, as :func:`plain_number` writes it): a threshold or the LQ filter.
MAX_NUMBER = 24
#: How notices name parameters whose key is not plain words.
LABELS = {
    "lq_min": "LQ filter",
    "counties": "custom county list",
    "thresholds": "seat thresholds",
    "compare": "comparison list",
    "filled": "filled seats",
    "checked": "self-assessment items",
    "saved": "saved custom regions",
}
#: Plain decimals in ASCII digits: what links carry (no signs, exponents, underscores or other scripts' digits).
PLAIN_DECIMAL = re.compile(r"[0-9]*\.?[0-9]+")

DEFAULTS = {
    "state": "18",
    "scheme": "in-egr",
    "region": "",
    "industry": "advanced-manufacturing",
    "measure": "lq",
    "indicator": "low_skill_share",
    "lq_min": 0.0,
    "compare": (),
    "filled": (),
    "checked": (),
    "thresholds": {},
    "counties": (),
    "name": "",
    "year": None,
    "since": None,
    "partnership": "",
    "saved": (),
}
#: Parameters written to every link, so a link always names its place, industry and data year.
ALWAYS = ("state", "scheme", "region", "industry", "year")


def indicator_ids() -> tuple[str, ...]:
    from dashboard.analysis.workforce import INDICATORS

    return tuple(INDICATORS) + (map_data.NONMETRO,) + WORKFORCE_VIEWS


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value)


def _codes(text: str) -> list[str]:
    return [p for p in re.split(r"[,\s]+", text.strip()) if p]


def _short(text: str, n: int = 40) -> str:
    """A bad value as quoted in a notice: shortened; the page escapes it when shown."""
    return repr(text if len(text) <= n else text[:n] + "...")


def state_code(text: str) -> str | None:
    """A postal code (IN), a FIPS code (18 or 8) or US, in ASCII; None for anything else."""
    if not text.isascii():
        return None  # e.g. "ın" (dotless i), which upper() would turn into "IN"
    text = text.strip().upper()
    if text == map_data.US:
        return map_data.US
    code = USPS.get(text) or (text.zfill(2) if text.isdigit() and len(text) <= 2 else None)
    return code if code in state_names() else None


def link_number(text: str, max_chars: int = MAX_NUMBER) -> float | None:
    """A number as links carry it: a plain ASCII decimal whose link text (:func:`plain_number`) has at most
    ``max_chars`` characters, so that writing it back gives a link that reads the same; else None."""
    if not PLAIN_DECIMAL.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value) or len(plain_number(value)) > max_chars:
        return None
    return value


def parse_thresholds(text: str) -> dict[str, dict[str, float]]:
    """``"literacy.recommended:1.2,transit.floor:0.05"`` -> overrides for :func:`seats.with_thresholds`."""
    out: dict[str, dict[str, float]] = {}
    for part in _codes(text):
        m = re.fullmatch(r"([a-z0-9-]{1,60})\.(recommended|strongly|floor):([^:]*)", part)
        if not m:
            raise ValueError(f"threshold {_short(part)} is not seat.field:number")
        value = link_number(m.group(3))
        if value is None:
            raise ValueError(
                f"threshold {_short(part)} is not a plain decimal number of at most {MAX_NUMBER} characters"
            )
        out.setdefault(m.group(1), {})[m.group(2)] = value
    rules = seats.load_rules()
    seats.with_thresholds(rules, out)  # raises RuleError naming the seat
    _shares_within_one(rules, out)
    return out


def is_share_field(trigger, field: str) -> bool:
    """Whether a trigger's threshold ``field`` is a share itself (a fraction from 0 to 1), not a ratio."""
    return trigger.indicator.endswith("_share") and (field == "floor" or trigger.absolute)


def _shares_within_one(rules, overrides: dict[str, dict[str, float]]) -> None:
    """A threshold that is a share itself (an absolute share's, or a floor under a share) is a fraction:
    5 would be 500%, which no share reaches, so the seat could never be asked for."""
    triggers = {cid: t for r in rules for cid, t in r.conditions()}
    for cid, values in overrides.items():
        trigger = triggers.get(cid)
        if trigger is None:
            continue
        for field, value in values.items():
            if is_share_field(trigger, field) and value > 1:
                raise ValueError(
                    f"threshold {cid}.{field}:{plain_number(value)} is a share of {value:.0%}; "
                    "a share is a fraction from 0 to 1 (0.5 is 50%)"
                )


def value_limit(key: str) -> int:
    """The longest value of a parameter that can be valid: anything longer is refused unread.

    At least the longest value :func:`to_query` can write: every county for a custom
    region, and every overridable threshold of every triggered seat and sector condition at the longest number.
    """
    if key == "counties":
        return max(MAX_COUNTIES, 6 * len(list_regions("county")))
    if key == "thresholds":
        fields = [f"{cid}.{f}:" for cid, _, _ in seats.adjustable_thresholds() for f in seats.OVERRIDABLE]
        return max(MAX_VALUE, sum(len(f) + MAX_NUMBER + 1 for f in fields))
    if key == "filled":
        return max(MAX_VALUE, sum(len(r.id) + 1 for r in seats.load_rules()))
    if key == "checked":
        return max(MAX_VALUE, sum(len(i) + 1 for i in self_assessment.load_assessment().item_ids))
    return MAX_VALUE


def plain_number(value: float) -> str:
    """Shortest exact decimal, never scientific notation (the link reader accepts plain decimals only)."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_thresholds(overrides: dict[str, dict[str, float]]) -> str:
    return ",".join(
        f"{seat}.{field}:{plain_number(value)}"
        for seat, fields in sorted(overrides.items())
        for field, value in sorted(fields.items())
    )


def parse_query(params: Mapping) -> tuple[dict, list[str]]:
    """Validated view state from query parameters, and a notice per value that was refused."""
    raw = {k: _first(v) for k, v in params.items()}
    view = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    notices: list[str] = []

    def refuse(key: str, why: str):
        notices.append(f"The link's {key} {why}; showing the default instead.")

    refused = set()
    for key, value in raw.items():
        if len(value) > value_limit(key):
            refuse(LABELS.get(key, key), f"is {len(value):,} characters long, more than any valid value")
        elif key in DEFAULTS and key != "name" and not value.isascii():
            # links carry plain codes (FIPS, ids, decimals) in ASCII; only a custom region's name is free text
            refuse(
                LABELS.get(key, key), f"{_short(value)} has characters other than ASCII letters, digits and punctuation"
            )
        else:
            continue
        raw[key] = ""
        refused.add(key)
    if raw.get("state"):
        code = state_code(raw["state"])
        if code is None:
            refuse(
                "state",
                f"{_short(raw['state'])} is not a state code (use a postal code such as IN, a FIPS code such as 18, or US)",
            )
        else:
            view["state"] = code
    if raw.get("scheme"):
        if raw["scheme"] in SCHEMES + (CUSTOM,):
            view["scheme"] = raw["scheme"]
        else:
            refuse("scheme", f"{_short(raw['scheme'])} is not one of {', '.join(SCHEMES + (CUSTOM,))}")
    kept = _parse_saved(raw, view, notices)
    if view["scheme"] == CUSTOM and kept and not raw.get("counties"):
        # the link names its custom region by its saved id (the first listed)
        view.update(counties=kept[0].counties, name=kept[0].name, region=kept[0].id)
    elif view["scheme"] == CUSTOM:
        try:
            counties = parse_county_list(raw.get("counties", ""))
            name = clean_name(raw.get("name", "")) or None
            region = custom_region(counties, name)
            view.update(counties=region.counties, name=region.name, region=region.id)
        except UnknownRegionError as exc:
            if "counties" not in refused:  # else the notice is given
                refuse("custom county list", f"could not be used ({exc})")
            view["scheme"] = DEFAULTS["scheme"]
    if "state" not in raw:
        # a link without a state means its region's state, not the default one's first region
        view["state"] = _home_state(view, raw.get("region", "")) or view["state"]
    if view["scheme"] != CUSTOM:
        view["region"] = _valid_region(view, raw.get("region", ""), refuse, notices)
    ind = raw.get("industry")
    if ind:
        if ind in map_data.industries():
            view["industry"] = ind
        else:
            refuse("industry", f"{_short(ind)} is not a partnership sector id or a NAICS sector or subsector code")
    _parse_years(raw, view, refuse)
    if raw.get("measure"):
        if raw["measure"] in maps.INDUSTRY_MEASURE_IDS:
            view["measure"] = raw["measure"]
        else:
            refuse("measure", f"{_short(raw['measure'])} is not one of {', '.join(maps.INDUSTRY_MEASURE_IDS)}")
    if view["measure"] == "change" and view["since"] is None:
        loaded = measures.years()
        notices.append(
            "The link asks for a change between two years, but only one year is loaded; showing the location quotient."
            if len(loaded) < 2
            else f"The link asks for a change up to {view['year']}, but no earlier year is loaded "
            f"(loaded: {', '.join(map(str, loaded))}); showing the location quotient."
        )
        view["measure"] = DEFAULTS["measure"]
    if raw.get("indicator"):
        if raw["indicator"] in indicator_ids():
            view["indicator"] = raw["indicator"]
        else:
            refuse("indicator", f"{_short(raw['indicator'])} is not a workforce indicator")
    if raw.get("lq_min"):
        # any number from 0 to 50 the filter's box takes, however many decimals: its link text fits a value
        value = link_number(raw["lq_min"].strip(), MAX_VALUE)
        if value is not None and value <= 50:
            view["lq_min"] = value
        else:
            refuse("LQ filter", f"{_short(raw['lq_min'])} is not a number between 0 and 50")
    if raw.get("compare") and view["scheme"] == CUSTOM:
        notices.append(
            "A link carries one custom region, so its comparison list was left out; "
            "build the other regions again on the Custom regions page to compare them."
        )
    elif raw.get("compare"):
        ids = list(dict.fromkeys(_codes(raw["compare"])))
        known = set(list_regions(view["scheme"], None)["region_id"])
        good = [i for i in ids if i in known][:MAX_COMPARE]
        if len(good) < len(ids):
            notices.append(
                f"The link's comparison list had {len(ids) - len(good)} unknown or extra region ids; they were left out."
            )
        view["compare"] = tuple(good)
    if raw.get("filled"):
        known = {r.id for r in seats.load_rules()}
        ids = _codes(raw["filled"])
        view["filled"] = tuple(i for i in dict.fromkeys(ids) if i in known)
        if len(view["filled"]) < len(set(ids)):
            notices.append("The link named seats that do not exist; they were left out.")
    if raw.get("checked"):
        known = set(self_assessment.load_assessment().item_ids)
        ids = _codes(raw["checked"])
        view["checked"] = tuple(i for i in dict.fromkeys(ids) if i in known)
        if len(view["checked"]) < len(set(ids)):
            notices.append("The link named self-assessment items that do not exist; they were left out.")
    if raw.get("partnership"):
        # a recorded partnership's id: the Partnerships page says so if the registry does not hold it
        if re.fullmatch(r"[0-9]{1,12}", raw["partnership"].strip()):
            view["partnership"] = str(int(raw["partnership"].strip()))
        else:
            refuse("partnership", f"{_short(raw['partnership'])} is not a partnership number")
    if raw.get("thresholds"):
        try:
            view["thresholds"] = parse_thresholds(raw["thresholds"])
        except store.DataError:
            raise  # a damaged rule file is not the link's fault: the app says so
        except ValueError as exc:
            refuse("seat thresholds", f"could not be used ({exc})")
    return view, notices


def saved_custom_regions(ids) -> list:
    """The custom regions saved under ``ids`` that this server holds and whose counties are known."""
    out = []
    for rid in ids:
        got = saved_regions.load(rid)
        if got is None:
            continue
        try:
            out.append(custom_region(*got))
        except UnknownRegionError:
            continue
    return out


def _parse_saved(raw: dict, view: dict, notices: list[str]) -> list:
    """The link's saved custom regions (``saved=ID,ID``: every custom region of the session that wrote it)."""
    if not raw.get("saved"):
        return []
    ids = list(dict.fromkeys(_codes(raw["saved"])))
    good = [rid for rid in ids if saved_regions.load(rid) is not None]
    regions = saved_custom_regions(good)
    if len(regions) < len(ids):
        notices.append(
            f"The link names {len(ids) - len(regions)} saved custom region(s) this server does not hold; "
            "they were left out (upload them again on the Custom regions page)."
        )
    view["saved"] = tuple(saved_regions.region_id(r.counties, r.name) for r in regions)
    return regions


def _year(text: str) -> int | None:
    """A four-digit year in ASCII digits, else None."""
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def _parse_years(raw: dict, view: dict, refuse) -> None:
    """The data year (newest loaded by default) and the start of a change (the oldest loaded by default)."""
    loaded = measures.years()
    listed = ", ".join(map(str, loaded))
    view["year"] = loaded[-1] if loaded else None
    if raw.get("year"):
        year = _year(raw["year"])
        if year in loaded:
            view["year"] = year
        else:
            refuse("year", f"{_short(raw['year'])} is not a loaded data year ({listed})")
    earlier = [y for y in loaded if view["year"] is not None and y < view["year"]]
    view["since"] = earlier[0] if earlier else None
    if raw.get("since"):
        since = _year(raw["since"])
        if since in earlier:
            view["since"] = since
        else:
            refuse("change start year", f"{_short(raw['since'])} is not a loaded year before {view['year']}")


def _home_state(view: dict, wanted: str) -> str | None:
    """The state holding most of the wanted region's counties (the first such in FIPS order); None if unknown."""
    try:
        counties = view["counties"] if view["scheme"] == CUSTOM else resolve_region(view["scheme"], wanted).counties
    except UnknownRegionError:
        return None
    states = [c[:2] for c in counties]
    return max(sorted(set(states)), key=states.count) if states else None


def state_param(code: str) -> str:
    """How links write a state: its postal code (IN), or US."""
    return next((postal for postal, fips in USPS.items() if fips == code), code)


def _valid_region(view: dict, wanted: str, refuse, notices: list[str]) -> str:
    """The wanted region if the scheme has it in the chosen state (or nation), else the first one."""
    state = view["state"]
    try:
        table = list_regions(view["scheme"], None if state == map_data.US else state)
    except UnknownRegionError:
        notices.append(
            f"The link's scheme {view['scheme']!r} has no regions in the chosen state; showing counties instead."
        )
        view["scheme"] = "county"
        table = list_regions("county", None if state == map_data.US else state)
    ids = list(table["region_id"])
    if wanted and wanted not in ids:
        refuse("region", f"{_short(wanted)} is not a region of this scheme in the chosen state")
    return wanted if wanted in ids else ids[0]


def to_query(view: dict) -> dict[str, str]:
    """Query parameters for a view: the place and industry always, other values when not the default."""
    out = {}
    saved = tuple(view.get("saved", ()))
    by_id = False
    if view.get("scheme") == CUSTOM and view.get("counties"):
        chosen = saved_regions.region_id(view["counties"], view.get("name", ""))
        if chosen in saved:  # the chosen region first: the one the link opens
            saved = (chosen, *(i for i in saved if i != chosen))
            # a long county list goes by its id (links stay short); a short one stays readable in the link,
            # which then opens on any server
            by_id = len(view["counties"]) * 6 > BY_ID_OVER
    for key, default in DEFAULTS.items():
        value = saved if key == "saved" else view.get(key, default)
        if by_id and key in ("counties", "name"):
            continue  # named by its saved id: a short link whatever its size
        if key == "since" and view.get("measure") != "change":
            continue  # the change's start year only matters on the change map
        if key == "compare" and view.get("scheme") == CUSTOM:
            continue  # a link carries one custom region (its counties), not the others of the session
        if value is None or (key not in ALWAYS and value == default):
            continue
        if key == "thresholds":
            text = format_thresholds(value)
        elif isinstance(value, (tuple, list)):
            text = ",".join(value)
        elif isinstance(value, float):
            text = plain_number(value)
        elif key == "state":
            text = state_param(value)
        else:
            text = str(value)
        if key == "region" and view.get("scheme") == CUSTOM:
            continue  # the county list is the custom region's identity
        out[key] = text
    return out
