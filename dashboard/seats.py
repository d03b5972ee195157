"""Stakeholder seats: which seats a region's partnership table needs, with the evidence.

Rules live in ``data/seat_rules.toml`` (read it for the format). For a region
and a candidate sector, :func:`evaluate_seats` returns every seat with a level
from :data:`LEVELS`, the numbers that decided it (region, state and US
values), a one-sentence evidence line and the citation. Missing data give
"not assessed" with the reason, never a silent "not indicated".
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths, sectors, store, workforce
from .catalogue import SEAT_LEVELS
from .regions import Region, state_names

RULES_FILE = paths.DATA_DIR / "seat_rules.toml"
LEVELS = SEAT_LEVELS
#: Measures of the region or sector (not workforce indicators) a trigger may use.
REGION_MEASURES = {
    "sector_labor_management": "the sector has a labor-management tradition (1 yes, 0 no)",
    "sector_avg_establishment_size": "average jobs per establishment in the sector and region",
    "cz_outside_share": "share of the population of the region's commuting zones living outside the region",
}
NO_INDUSTRY_DATA = "no industry data for the region's counties in the chosen year"
PLACEHOLDERS = {"region", "value", "state", "us", "state_name", "sector", "establishments", "pool"}


@dataclass(frozen=True)
class Trigger:
    indicator: str
    direction: str
    recommended: float
    strongly: float
    floor: float | None = None
    absolute: bool = False


@dataclass(frozen=True)
class SeatRule:
    id: str
    name: str
    category: str
    evidence: str
    sources: tuple[str, ...]
    why: str = ""
    core: bool = False
    trigger: Trigger | None = None


class RuleError(ValueError):
    """A seat rule file that cannot be used; the message names the rule."""


def _check_trigger(rule_id: str, raw: dict) -> Trigger:
    indicator = raw.get("indicator")
    shares = {k for k, v in workforce.INDICATORS.items() if v.kind == "share"}
    if indicator not in shares and indicator not in REGION_MEASURES:
        raise RuleError(f"seat {rule_id!r}: unknown indicator {indicator!r}")
    direction = raw.get("direction", "above")
    if direction not in ("above", "below"):
        raise RuleError(f"seat {rule_id!r}: direction must be 'above' or 'below', not {direction!r}")
    absolute = raw.get("absolute", False)
    if not isinstance(absolute, bool):
        raise RuleError(f"seat {rule_id!r}: 'absolute' must be true or false, got {absolute!r}")
    if absolute != (indicator in REGION_MEASURES):
        raise RuleError(f"seat {rule_id!r}: 'absolute' must be true exactly for region measures ({indicator!r})")
    values = {}
    for key in ("recommended", "strongly"):
        v = raw.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise RuleError(f"seat {rule_id!r}: threshold {key!r} must be a positive number, got {v!r}")
        values[key] = float(v)
    rec, strong = values["recommended"], values["strongly"]
    if (direction == "above" and strong < rec) or (direction == "below" and strong > rec):
        raise RuleError(f"seat {rule_id!r}: 'strongly' ({strong}) must be stricter than 'recommended' ({rec})")
    if not absolute and direction == "above" and rec < 1:
        raise RuleError(f"seat {rule_id!r}: a ratio threshold above the comparison must be at least 1, got {rec}")
    floor = raw.get("floor")
    if floor is not None and (isinstance(floor, bool) or not isinstance(floor, (int, float))
                              or not math.isfinite(floor) or floor < 0):
        raise RuleError(f"seat {rule_id!r}: floor must be a non-negative number, got {floor!r}")
    return Trigger(indicator, direction, rec, strong, None if floor is None else float(floor), absolute)


def _check_evidence(rule_id: str, template: str) -> str:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise RuleError(f"seat {rule_id!r}: malformed evidence template ({exc})") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise RuleError(f"seat {rule_id!r}: unknown placeholders {sorted(unknown)} in evidence")
    return template


def parse_rules(raw: dict, name: str = "seat rules") -> tuple[SeatRule, ...]:
    titles = raw.get("sources", {})
    rules, seen = [], set()
    for i, entry in enumerate(raw.get("seat", []), start=1):
        rule_id = entry.get("id") or f"#{i}"
        for key in ("id", "name", "category", "evidence", "sources"):
            if key not in entry:
                raise RuleError(f"seat {rule_id!r} in {name}: missing {key!r}")
        if rule_id in seen:
            raise RuleError(f"seat {rule_id!r} in {name}: id appears twice")
        seen.add(rule_id)
        missing = [s for s in entry["sources"] if s not in titles]
        if missing:
            raise RuleError(f"seat {rule_id!r}: unknown sources {missing}")
        core = bool(entry.get("core", False))
        if core == ("trigger" in entry):
            raise RuleError(f"seat {rule_id!r}: a seat is either core or has a trigger")
        if not core and not entry.get("why"):
            raise RuleError(f"seat {rule_id!r}: a triggered seat needs a 'why'")
        rules.append(SeatRule(
            id=rule_id, name=entry["name"], category=entry["category"],
            evidence=_check_evidence(rule_id, entry["evidence"]),
            sources=tuple(titles[s] for s in entry["sources"]), core=core, why=entry.get("why", ""),
            trigger=None if core else _check_trigger(rule_id, entry["trigger"]),
        ))
    if not rules:
        raise RuleError(f"{name}: no seats defined")
    return tuple(rules)


class RuleFileError(store.DataFileError, RuleError):
    """A seat rule file that cannot be used: a damaged data file (shown as such) naming the file and the rule."""


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> tuple[SeatRule, ...]:
    """The seat rules of ``path`` (default: ``seat_rules.toml`` of the data folder), checked.

    A file that is absent, not TOML or not a valid rule set raises a
    :class:`store.DataError` naming the file (and the rule at fault).
    """
    path = Path(path) if path is not None else paths.DATA_DIR / RULES_FILE.name
    raw = store.read_toml(path, RuleFileError)
    try:
        return parse_rules(raw, path.name)
    except (RuleError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise store.content_error(path, exc, RuleFileError) from exc


OVERRIDABLE = ("recommended", "strongly", "floor")


def with_thresholds(rules, overrides: dict[str, dict[str, float]] | None):
    """Rules with some thresholds replaced (``{seat_id: {"recommended": x, "strongly": y}}``), re-checked.

    Only thresholds of triggered seats can change; anything else is rejected.
    """
    if not overrides:
        return rules
    triggered = {r.id for r in rules if r.trigger is not None}
    for seat_id, values in overrides.items():
        if seat_id not in triggered:
            raise RuleError(f"seat {seat_id!r}: no triggered seat by that id has thresholds to override")
        bad = set(values) - set(OVERRIDABLE)
        if bad:
            raise RuleError(f"seat {seat_id!r}: only {', '.join(OVERRIDABLE)} can be overridden, not {sorted(bad)}")
    out = []
    for rule in rules:
        if rule.id in overrides and rule.trigger is not None:
            raw = {**rule.trigger.__dict__, **overrides[rule.id]}
            rule = replace(rule, trigger=_check_trigger(rule.id, raw))
        out.append(rule)
    return tuple(out)


# ---- comparison values -------------------------------------------------------

@lru_cache(maxsize=64)
def comparison_values(states: tuple[str, ...]) -> dict[str, float | None]:
    """Workforce values of the given states combined, aggregated from their counties."""
    wf = store.load_table("workforce")
    return workforce.workforce_values(tuple(wf.loc[wf["state_fips"].isin(states), "fips"]))


@lru_cache(maxsize=1)
def us_values() -> dict[str, float | None]:
    """The 50 states and DC (the publishers' national figures leave out Puerto Rico)."""
    wf = store.load_table("workforce")
    return workforce.workforce_values(tuple(wf.loc[wf["state_fips"] != "72", "fips"]))


def state_label(states: tuple[str, ...]) -> str:
    names = [state_names().get(s, s) for s in states]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def cz_outside_share(region: Region) -> float | None:
    """Share of the population of the region's commuting zones that lives outside the region."""
    regions = store.load_table("regions")
    cz = regions[regions["scheme"] == "cz"]
    ids = cz.loc[cz["fips"].isin(region.counties), "region_id"].unique()
    if len(ids) == 0:
        return None
    members = cz.loc[cz["region_id"].isin(ids), "fips"]
    pop = store.load_table("workforce").set_index("fips")["population"].reindex(members).astype("float64")
    total = pop.sum()
    if total <= 0:
        return None
    return float(pop[~pop.index.isin(region.counties)].sum() / total)


# ---- evaluation --------------------------------------------------------------

@dataclass
class SeatContext:
    """Everything the rules read for one region and sector."""

    region: Region
    values: dict
    state: dict
    us: dict
    state_name: str
    sector: sectors.Sector | None = None
    establishments: int | None = None
    employment_low: float | None = None
    employment_high: float | None = None
    cz_outside: float | None = None
    extra: dict = field(default_factory=dict)


def _level(trigger: Trigger, value: float, state: float | None, us: float | None) -> str:
    above = trigger.direction == "above"

    def passes(threshold: float, ref: float | None) -> bool | None:
        if ref is None:
            return None
        bar = threshold * ref if not trigger.absolute else threshold
        return value >= bar if above else value <= bar

    if trigger.floor is not None and value < trigger.floor:
        return "not indicated"
    if trigger.absolute:
        if passes(trigger.strongly, 1.0):
            return "strongly recommended"
        return "recommended" if passes(trigger.recommended, 1.0) else "not indicated"
    strong = [p for p in (passes(trigger.strongly, state), passes(trigger.strongly, us)) if p is not None]
    rec = [p for p in (passes(trigger.recommended, state), passes(trigger.recommended, us)) if p is not None]
    if strong and all(strong):
        return "strongly recommended"
    return "recommended" if any(rec) else "not indicated"


def _fmt_share(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _measure_value(ctx: SeatContext, indicator: str):
    """(value, reason-if-missing) for region and sector measures; a tuple value is a suppression range."""
    if indicator == "cz_outside_share":
        return ctx.cz_outside, "no commuting-zone assignment for the region's counties"
    if ctx.sector is None:
        return None, "choose a candidate sector to assess this seat"
    if indicator == "sector_labor_management":
        return (1.0 if ctx.sector.labor_management else 0.0), ""
    if indicator == "sector_avg_establishment_size":
        if ctx.establishments is None:
            return None, NO_INDUSTRY_DATA
        if not ctx.establishments:
            return None, f"no {ctx.sector.name} establishments in the region"
        if ctx.employment_low is None:
            return None, "no employment figure for the sector"
        low = ctx.employment_low / ctx.establishments
        high = (ctx.employment_high if ctx.employment_high is not None else ctx.employment_low) / ctx.establishments
        return (low if low == high else (low, high)), ""
    raise KeyError(indicator)


def _format_value(indicator: str, value) -> str:
    if isinstance(value, tuple):
        return f"{_format_value(indicator, value[0])} to {_format_value(indicator, value[1])}"
    if indicator == "sector_avg_establishment_size":
        return f"{value:.1f}"
    if indicator == "sector_labor_management":
        return "is" if value else "is not"
    return _fmt_share(value)


def _range_level(levels: set[str]) -> str:
    """One level for a suppression range: certain only if every value in it triggers (the weaker level) or none does."""
    if len(levels) == 1:
        return levels.pop()
    if levels <= {"recommended", "strongly recommended"}:
        return "recommended"
    return "not assessed"


def _below_floor(t: Trigger, value) -> bool:
    return t.floor is not None and not isinstance(value, tuple) and value < t.floor


def _verdict(level: str, t: Trigger, why: str, reason: str, value=None) -> str:
    if level == "not assessed":
        return f"Not assessed: {reason}."
    if level == "not indicated":
        if _below_floor(t, value):
            return f"Not indicated: under the {_format_value(t.indicator, t.floor)} level this seat needs."
        if t.absolute:
            return "Not indicated by these figures."
        side = "under" if t.direction == "above" else "over"
        return f"Not indicated: {side} {t.recommended:g} times both the state and the national value."
    return f"{level.capitalize()}. {why}"


def evaluate_seat(rule: SeatRule, ctx: SeatContext) -> dict:
    sector_name = ctx.sector.name if ctx.sector else "target-sector"
    pool = sectors.employer_pool(ctx.establishments)["verdict"] if ctx.establishments is not None else ""
    if not pool:
        pool = "Choose a candidate sector to see the employer pool." if ctx.sector is None else f"{NO_INDUSTRY_DATA.capitalize()}."
    fields = {"region": ctx.region.name, "state_name": ctx.state_name, "sector": sector_name,
              "establishments": "unknown" if ctx.establishments is None else f"{ctx.establishments:,}", "pool": pool,
              "value": "", "state": "", "us": ""}
    out = {"id": rule.id, "name": rule.name, "category": rule.category, "source": "; ".join(rule.sources),
           "sources": list(rule.sources), "indicator": None, "value": None, "state_value": None, "us_value": None,
           "thresholds": None, "reason": ""}
    if rule.core:
        out.update(level="core", evidence=rule.evidence.format(**fields).strip())
        return out
    t = rule.trigger
    out.update(indicator=t.indicator, thresholds={"recommended": t.recommended, "strongly": t.strongly, "floor": t.floor,
                                                  "direction": t.direction, "relative": not t.absolute})
    if t.absolute:
        value, reason = _measure_value(ctx, t.indicator)
        state = us = None
    else:
        value, state, us = ctx.values.get(t.indicator), ctx.state.get(t.indicator), ctx.us.get(t.indicator)
        reason = ("no data for this indicator in the region's counties" if value is None
                  else "no state or national value to compare with")
    if value is None or (not t.absolute and state is None and us is None):
        out.update(level="not assessed", reason=reason, evidence=f"Not assessed: {reason}.")
        return out
    if isinstance(value, tuple):
        level = _range_level({_level(t, v, state, us) for v in value})
        if level == "not assessed":
            out["reason"] = "suppressed employment leaves the value on both sides of the trigger"
    else:
        level = _level(t, value, state, us)
    fields.update(value=_format_value(t.indicator, value), state=_fmt_share(state), us=_fmt_share(us))
    evidence = f"{rule.evidence.format(**fields)} {_verdict(level, t, rule.why, out['reason'], value)}"
    out.update(level=level, evidence=evidence, value=list(value) if isinstance(value, tuple) else value,
               state_value=state, us_value=us)
    return out


def seat_context(region: Region, sector_id: str | None = None, sector_row: pd.Series | None = None,
                 year: int | None = None) -> SeatContext:
    """Gather the region's values, its states' and the nation's, and the sector's figures."""
    ctx = SeatContext(
        region=region, values=workforce.workforce_values(region.counties),
        state=comparison_values(region.states), us=us_values(), state_name=state_label(region.states),
        cz_outside=cz_outside_share(region),
    )
    if sector_id is None:
        return ctx
    by_id = {s.id: s for s in sectors.load_taxonomy()}
    if sector_id not in by_id:
        raise KeyError(f"unknown partnership sector {sector_id!r}; known: {sorted(by_id)}")
    ctx.sector = by_id[sector_id]
    if sector_row is None:
        m = sectors.region_sector_measures(region, year)
        match = m[m["group"] == sector_id]
        sector_row = match.iloc[0] if len(match) else None
    if sector_row is not None:
        ctx.establishments = int(sector_row["estabs"])
        ctx.employment_low = float(sector_row["emp_low"])
        ctx.employment_high = float(sector_row["emp_high"])
    return ctx


def evaluate_seats(region: Region, sector_id: str | None = None, overrides: dict | None = None,
                   rules=None, sector_row: pd.Series | None = None, year: int | None = None) -> list[dict]:
    """Every seat for the region and sector (its figures from ``year``, newest: None), most needed first."""
    rules = with_thresholds(rules or load_rules(), overrides)
    ctx = seat_context(region, sector_id, sector_row, year)
    seats = [evaluate_seat(rule, ctx) for rule in rules]
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(seats, key=lambda s: order[s["level"]])
