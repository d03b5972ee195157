"""Stakeholder seats: which seats a region's partnership table needs, with the evidence.

Rules live in ``data/seat_rules.toml`` (read it for the format). For a region
and a candidate sector, :func:`evaluate_seats` returns every seat with a level
from :data:`LEVELS`, the numbers that decided it (region, state and US
values), a one-sentence evidence line and the citation. Missing data give
"not assessed" with the reason, never a silent "not indicated".

A seat can also follow the chosen sector's own jobs (``[seat.sector]`` in the
rule file): conditions on the sector's careers figures (:mod:`careers`) and
on the region's workforce that must all hold; when they do, they raise the
seat's level (a core seat becomes a data-triggered one), and the evidence
quotes the sector's figure beside the workforce figure. Workforce figures are
compared with one state: the one the user chose, where the region lies in it,
else the state holding most of the region's population.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.analysis import sectors, workforce
from dashboard.analysis.regions import Region, state_names
from dashboard.data import paths, store
from dashboard.data.catalogue import SEAT_LEVELS

RULES_FILE = paths.DATA_DIR / "seat_rules.toml"
#: Seat levels in the order seats are listed: the seats the data trigger first, then the core, then the rest.
LEVELS = ("strongly recommended", "recommended", "core", "not indicated", "not assessed")
assert set(LEVELS) == set(SEAT_LEVELS)
#: The sector's careers figures (:class:`careers.Indicators`) a rule may read, by measure name.
CAREER_MEASURES = {
    "sector_entry_hs_share": "entry_hs_share",
    "sector_diploma_share": "diploma_share",
    "sector_middle_skill_share": "middle_skill_share",
    "sector_apprenticeable_share": "apprenticeable_share",
}
#: Measures of the region or sector (not workforce indicators) a trigger may use.
REGION_MEASURES = {
    "sector_labor_management": "the sector has a labor-management tradition (1 yes, 0 no)",
    "sector_avg_establishment_size": "average jobs per establishment in the sector and region",
    "cz_outside_share": "share of the population of the region's commuting zones living outside the region",
    "sector_pay_ratio": "the sector's average annual pay over the region's average for all private jobs (QCEW)",
    "sector_entry_hs_share": "share of the sector's jobs whose typical entry education is no credential or a high "
    "school diploma (BLS Employment Projections, OEWS staffing, estimated for the region)",
    "sector_diploma_share": "share of the sector's jobs whose typical entry education is a high school diploma",
    "sector_middle_skill_share": "share of the sector's jobs whose typical entry education is a postsecondary award, "
    "some college or an associate's degree",
    "sector_apprenticeable_share": "share of the sector's jobs in occupations typically learned through an "
    "apprenticeship or long-term (over a year of) on-the-job training",
}
NO_INDUSTRY_DATA = "no industry data for the region's counties in the chosen year"
PLACEHOLDERS = {"region", "value", "state", "us", "state_name", "sector", "establishments", "pool"}


def _shares() -> set[str]:
    return {k for k, v in workforce.INDICATORS.items() if v.kind == "share"}


def placeholders() -> set[str]:
    """Every name an evidence template may use: the fixed ones, each measure, and each workforce share
    with its ``_state`` and ``_us`` comparison (``{low_skill_share}``, ``{low_skill_share_state}``)."""
    shares = _shares()
    return PLACEHOLDERS | set(REGION_MEASURES) | shares | {f"{k}_{p}" for k in shares for p in ("state", "us")}


@dataclass(frozen=True)
class Trigger:
    indicator: str
    direction: str
    recommended: float
    strongly: float
    floor: float | None = None
    absolute: bool = False
    #: A condition's own id (its thresholds' name in overrides and links); empty for a seat's main trigger.
    id: str = ""


@dataclass(frozen=True)
class SectorTrigger:
    """Conditions on the chosen sector's jobs and the region's workforce that must all hold."""

    when: tuple[Trigger, ...]
    evidence: str
    why: str
    sources: tuple[str, ...]
    #: The workforce figure beside the sector's, left out where the seat's own sentence already quotes it.
    workforce: str = ""


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
    sector: SectorTrigger | None = None

    def conditions(self) -> tuple[tuple[str, Trigger], ...]:
        """Every adjustable trigger of the seat: (its id in overrides, the trigger)."""
        main = ((self.id, self.trigger),) if self.trigger is not None else ()
        return main + (tuple((t.id, t) for t in self.sector.when) if self.sector else ())


class RuleError(ValueError):
    """A seat rule file that cannot be used; the message names the rule."""


def _check_trigger(rule_id: str, raw: dict, condition: bool = False) -> Trigger:
    """A checked trigger; a sector ``condition`` may compare with a ratio under one ("at least 0.9 times")
    and, when it omits ``absolute``, is absolute exactly for region and sector measures."""
    if not isinstance(raw, dict):
        raise RuleError(f"seat {rule_id!r}: a trigger must be a table of indicator, direction and thresholds")
    indicator = raw.get("indicator")
    if indicator not in _shares() and indicator not in REGION_MEASURES:
        raise RuleError(f"seat {rule_id!r}: unknown indicator {indicator!r}")
    direction = raw.get("direction", "above")
    if direction not in ("above", "below"):
        raise RuleError(f"seat {rule_id!r}: direction must be 'above' or 'below', not {direction!r}")
    absolute = raw.get("absolute", indicator in REGION_MEASURES if condition else False)
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
    if not absolute and direction == "above" and rec < (0.5 if condition else 1):
        raise RuleError(
            f"seat {rule_id!r}: a ratio threshold above the comparison must be at least "
            f"{0.5 if condition else 1:g}, got {rec}"
        )
    floor = raw.get("floor")
    if floor is not None and (
        isinstance(floor, bool) or not isinstance(floor, (int, float)) or not math.isfinite(floor) or floor < 0
    ):
        raise RuleError(f"seat {rule_id!r}: floor must be a non-negative number, got {floor!r}")
    return Trigger(
        indicator, direction, rec, strong, None if floor is None else float(floor), absolute, str(raw.get("id", ""))
    )


def _check_evidence(rule_id: str, template: str) -> str:
    if not isinstance(template, str):
        raise RuleError(f"seat {rule_id!r}: evidence must be text")
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise RuleError(f"seat {rule_id!r}: malformed evidence template ({exc})") from exc
    unknown = names - placeholders()
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
        sector = _check_sector(rule_id, entry["sector"], titles, seen) if "sector" in entry else None
        rules.append(
            SeatRule(
                id=rule_id,
                name=entry["name"],
                category=entry["category"],
                evidence=_check_evidence(rule_id, entry["evidence"]),
                sources=tuple(titles[s] for s in entry["sources"]),
                core=core,
                why=entry.get("why", ""),
                trigger=None if core else _check_trigger(rule_id, entry["trigger"]),
                sector=sector,
            )
        )
    if not rules:
        raise RuleError(f"{name}: no seats defined")
    return tuple(rules)


def _check_sector(rule_id: str, raw: dict, titles: dict, seen: set[str]) -> SectorTrigger:
    """``[seat.sector]``: evidence, why, sources and ``[[seat.sector.when]]`` conditions (each with an id)."""
    if not isinstance(raw, dict):
        raise RuleError(f"seat {rule_id!r}: 'sector' must be a table")
    for key in ("evidence", "why", "sources", "when"):
        if not raw.get(key):
            raise RuleError(f"seat {rule_id!r}: the sector trigger needs {key!r}")
    missing = [s for s in raw["sources"] if s not in titles]
    if missing:
        raise RuleError(f"seat {rule_id!r}: unknown sources {missing} in the sector trigger")
    when = []
    for cond in raw["when"]:
        cid = cond.get("id") if isinstance(cond, dict) else None
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9-]{1,60}", cid):
            raise RuleError(
                f"seat {rule_id!r}: every sector condition needs an id of lower-case letters, digits "
                f"and hyphens, got {cid!r}"
            )
        if cid in seen:
            raise RuleError(f"seat {rule_id!r}: condition id {cid!r} appears twice")
        seen.add(cid)
        when.append(_check_trigger(rule_id, cond, condition=True))
    workforce_text = _check_evidence(rule_id, raw["workforce"]) if "workforce" in raw else ""
    return SectorTrigger(
        tuple(when),
        _check_evidence(rule_id, raw["evidence"]),
        str(raw["why"]),
        tuple(titles[s] for s in raw["sources"]),
        workforce_text,
    )


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
    """Rules with some thresholds replaced, re-checked: ``{id: {"recommended": x, "strongly": y}}`` where the
    id is a triggered seat's (its main trigger) or a sector condition's.

    Only thresholds of triggers can change; anything else is rejected.
    """
    if not overrides:
        return rules
    adjustable = {cid for r in rules for cid, _ in r.conditions()}
    for seat_id, values in overrides.items():
        if seat_id not in adjustable:
            raise RuleError(
                f"seat {seat_id!r}: no triggered seat or sector condition by that id has thresholds to override"
            )
        bad = set(values) - set(OVERRIDABLE)
        if bad:
            raise RuleError(f"seat {seat_id!r}: only {', '.join(OVERRIDABLE)} can be overridden, not {sorted(bad)}")
    out = []
    for rule in rules:
        if rule.id in overrides and rule.trigger is not None:
            raw = {**rule.trigger.__dict__, **overrides[rule.id]}
            rule = replace(rule, trigger=_check_trigger(rule.id, raw))
        if rule.sector is not None and any(t.id in overrides for t in rule.sector.when):
            when = tuple(
                _check_trigger(rule.id, {**t.__dict__, **overrides[t.id]}, condition=True) if t.id in overrides else t
                for t in rule.sector.when
            )
            rule = replace(rule, sector=replace(rule.sector, when=when))
        out.append(rule)
    return tuple(out)


def adjustable_thresholds(rules=None) -> list[tuple[str, str, Trigger]]:
    """(override id, label, trigger) of every threshold a user may adjust, in rule order."""
    out = []
    for rule in rules or load_rules():
        for cid, t in rule.conditions():
            label = (
                rule.name
                if cid == rule.id
                else (
                    f"{rule.name}, with the sector: {_indicator_name(t.indicator)} "
                    f"({'at least' if t.direction == 'above' else 'at most'}"
                    f"{'' if t.absolute else ', times the state or US value'})"
                )
            )
            out.append((cid, label, t))
    return out


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


@lru_cache(maxsize=1)
def _commuting_zones() -> tuple[pd.Series, pd.Series]:
    """(county -> commuting zone, commuting zone -> its counties' populations as a Series by county)."""
    regions = store.load_table("regions")
    cz = regions[regions["scheme"] == "cz"].set_index("fips")["region_id"]
    pop = store.load_table("workforce").set_index("fips")["population"].astype("float64")
    return cz, pop.reindex(cz.index)


def cz_outside_share(region: Region) -> float | None:
    """Share of the population of the region's commuting zones that lives outside the region."""
    cz, pop = _commuting_zones()
    ids = set(cz.reindex(list(region.counties)).dropna())
    if not ids:
        return None
    members = cz.index[cz.isin(ids)]
    pop = pop.reindex(members)
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
    #: The sector's average pay over the region's (QCEW): published, else the range suppression leaves
    #: (low, high) with its labelled estimate; and its careers figures (:class:`careers.Indicators`).
    pay_ratio: float | tuple[float, float] | None = None
    pay_ratio_estimate: float | None = None
    employment_estimate: float | None = None
    careers: object | None = None
    careers_reason: str = ""
    #: The state the workforce figures are compared with (2-digit FIPS).
    state_fips: str = ""


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
    if indicator == "sector_pay_ratio":
        if ctx.establishments is None:
            return None, NO_INDUSTRY_DATA
        return ctx.pay_ratio, f"no published {ctx.sector.name} pay figure in the region"
    if indicator in CAREER_MEASURES:
        if ctx.careers is None:
            return None, ctx.careers_reason or f"no staffing figures for {ctx.sector.name}"
        value = getattr(ctx.careers, CAREER_MEASURES[indicator])
        return (
            None if value is None or math.isnan(value) else float(value)
        ), "no entry requirements for its occupations"
    raise KeyError(indicator)


def _measure_estimate(ctx: SeatContext, indicator: str) -> float | None:
    """The labelled estimate inside a measure's suppression range, where there is one."""
    if indicator == "sector_pay_ratio":
        return ctx.pay_ratio_estimate
    if indicator == "sector_avg_establishment_size" and ctx.establishments and ctx.employment_estimate is not None:
        return ctx.employment_estimate / ctx.establishments
    return None


def _format_value(indicator: str, value) -> str:
    if isinstance(value, tuple):
        if value[1] is None or math.isinf(value[1]):
            return f"at least {_format_value(indicator, value[0])}"
        return f"{_format_value(indicator, value[0])} to {_format_value(indicator, value[1])}"
    if value is None:
        return "n/a"
    if indicator == "sector_avg_establishment_size":
        return f"{value:.1f}"
    if indicator == "sector_labor_management":
        return "is" if value else "is not"
    if indicator == "sector_pay_ratio":
        return f"{value:.2f} times"
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


def _fields(ctx: SeatContext) -> dict:
    """Every placeholder's text for one context (computed once per context)."""
    if "fields" in ctx.extra:
        return ctx.extra["fields"]
    pool = sectors.employer_pool(ctx.establishments)["verdict"] if ctx.establishments is not None else ""
    if not pool:
        pool = (
            "Choose a candidate sector to see the employer pool."
            if ctx.sector is None
            else f"{NO_INDUSTRY_DATA.capitalize()}."
        )
    fields = {
        "region": ctx.region.name,
        "state_name": ctx.state_name,
        "sector": ctx.sector.name if ctx.sector else "target-sector",
        "establishments": "unknown" if ctx.establishments is None else f"{ctx.establishments:,}",
        "pool": pool,
        "value": "",
        "state": "",
        "us": "",
    }
    for key in _shares():
        fields[key] = _fmt_share(ctx.values.get(key))
        fields[f"{key}_state"] = _fmt_share(ctx.state.get(key))
        fields[f"{key}_us"] = _fmt_share(ctx.us.get(key))
    for key in REGION_MEASURES:
        value = _measure_value(ctx, key)[0]
        fields[key] = _format_value(key, value)
        estimate = _measure_estimate(ctx, key) if isinstance(value, tuple) else None
        if estimate is not None:
            fields[key] += f" (estimate {_format_value(key, estimate)})"
    ctx.extra["fields"] = fields
    return fields


def _condition(t: Trigger, ctx: SeatContext) -> dict:
    """One trigger's level on the context's figures, with its value, comparisons and the reason if not assessed."""
    out = {
        "id": t.id,
        "indicator": t.indicator,
        "value": None,
        "state_value": None,
        "us_value": None,
        "reason": "",
        "thresholds": {
            "recommended": t.recommended,
            "strongly": t.strongly,
            "floor": t.floor,
            "direction": t.direction,
            "relative": not t.absolute,
        },
    }
    if t.absolute:
        value, reason = _measure_value(ctx, t.indicator)
        state = us = None
    else:
        value, state, us = ctx.values.get(t.indicator), ctx.state.get(t.indicator), ctx.us.get(t.indicator)
        reason = (
            "no data for this indicator in the region's counties"
            if value is None
            else "no state or national value to compare with"
        )
    if value is None or (not t.absolute and state is None and us is None):
        out.update(level="not assessed", reason=reason)
        return out
    if isinstance(value, tuple):
        level = _range_level({_level(t, v, state, us) for v in value})
        estimate = _measure_estimate(ctx, t.indicator)
        if level == "not assessed" and estimate is not None:
            # the range spans the trigger: the labelled estimate inside it decides, and says so
            level = _level(t, estimate, state, us)
            out.update(estimate=estimate, likely=True)
        elif level == "not assessed":
            out["reason"] = "suppressed employment leaves the value on both sides of the trigger"
    else:
        level = _level(t, value, state, us)
    # a range without an upper end (pay where the jobs may be zero) has None there: JSON has no infinity
    shown = [None if math.isinf(v) else v for v in value] if isinstance(value, tuple) else value
    out.update(level=level, value=shown, state_value=state, us_value=us)
    return out


def _figure(cond: dict) -> str:
    """A condition's figures in a few words, for hover text: "17.2% (Ohio 14.1%, US 12.9%)"."""
    value = tuple(cond["value"]) if isinstance(cond["value"], list) else cond["value"]
    text = f"{_indicator_name(cond['indicator'])} {_format_value(cond['indicator'], value)}"
    if cond.get("likely"):
        text += f", estimate {_format_value(cond['indicator'], cond['estimate'])}"
    if cond["state_value"] is not None or cond["us_value"] is not None:
        text += f" (state {_fmt_share(cond['state_value'])}, US {_fmt_share(cond['us_value'])})"
    return text


def _indicator_name(indicator: str) -> str:
    short = {
        "sector_entry_hs_share": "jobs open at high school or less",
        "sector_pay_ratio": "pay vs region",
        "sector_diploma_share": "jobs needing a diploma",
        "sector_middle_skill_share": "middle-skill jobs",
        "sector_apprenticeable_share": "apprenticeable jobs",
        "sector_avg_establishment_size": "jobs per establishment",
        "sector_labor_management": "labor-management tradition",
        "cz_outside_share": "commuting zone outside",
    }
    if indicator in short:
        return short[indicator]
    ind = workforce.INDICATORS.get(indicator)
    return ind.short_label or ind.label if ind else indicator


_RANK = {"strongly recommended": 2, "recommended": 1}


def region_level(rule: SeatRule, value: float | None, state: float | None, us: float | None) -> str:
    """The level a seat's own trigger gives a workforce value against the state and US values (no sector,
    no other context): what the workforce map sets beside its classes."""
    if rule.trigger is None:
        return "core"
    if value is None or (not rule.trigger.absolute and state is None and us is None):
        return "not assessed"
    return _level(rule.trigger, value, state, us)


def _likely(conds: list[dict]) -> str:
    """What the verdict adds where an estimate inside a suppression range decided a condition."""
    likely = [c for c in conds if c.get("likely")]
    if not likely:
        return ""
    figures = "; ".join(
        f"{_indicator_name(c['indicator'])} {_format_value(c['indicator'], c['estimate'])}" for c in likely
    )
    return (
        " Likely, not certain: suppressed cells leave a range across the threshold, and the estimate inside "
        f"it decides ({figures})."
    )


def _all_of(conds: list[dict]) -> str:
    """The level of conditions that must all hold: the weakest; not indicated if any fails, else not
    assessed if any could not be assessed."""
    levels = [c["level"] for c in conds]
    if "not indicated" in levels:
        return "not indicated"
    if "not assessed" in levels:
        return "not assessed"
    return "strongly recommended" if all(lv == "strongly recommended" for lv in levels) else "recommended"


def evaluate_seat(rule: SeatRule, ctx: SeatContext) -> dict:
    fields = dict(_fields(ctx))
    out = {
        "id": rule.id,
        "name": rule.name,
        "category": rule.category,
        "source": "; ".join(rule.sources),
        "sources": list(rule.sources),
        "indicator": None,
        "value": None,
        "state_value": None,
        "us_value": None,
        "thresholds": None,
        "reason": "",
        "conditions": [],
        "decided_by": "",
        "figure": "",
    }
    text, verdict = "", ""
    if rule.core:
        level = "core"
        text = rule.evidence.format(**fields).strip()
        out["decided_by"] = "core"
    else:
        t = rule.trigger
        main = _condition(t, ctx)
        level, out["reason"] = main["level"], main["reason"]
        out.update(
            indicator=t.indicator,
            thresholds=main["thresholds"],
            value=main["value"],
            state_value=main["state_value"],
            us_value=main["us_value"],
        )
        if main["value"] is None:
            verdict = f"Not assessed: {main['reason']}."
        else:
            value = tuple(main["value"]) if isinstance(main["value"], list) else main["value"]
            fields.update(
                value=_format_value(t.indicator, value),
                state=_fmt_share(main["state_value"]),
                us=_fmt_share(main["us_value"]),
            )
            text = rule.evidence.format(**fields)
            verdict = _verdict(level, t, rule.why, out["reason"], value)
            verdict += _likely([main])
        out["decided_by"] = "region"
        out["figure"] = _figure(main) if main["value"] is not None else ""
    if rule.sector is not None and ctx.sector is not None:
        conds = [_condition(t, ctx) for t in rule.sector.when]
        out["conditions"] = conds
        sector_level = _all_of(conds)
        if sector_level in _RANK:  # the sector's figures and the workforce figure beside them, where they count
            quoted = (
                rule.trigger is not None
                and out["value"] is not None
                and rule.trigger.indicator in {t.indicator for t in rule.sector.when}
            )
            workforce_text = "" if quoted else rule.sector.workforce.format(**fields)
            text = " ".join(p for p in (text, rule.sector.evidence.format(**fields), workforce_text) if p)
        if _RANK.get(sector_level, 0) > _RANK.get(level, 0):
            level, out["reason"] = sector_level, ""
            verdict = f"{level.capitalize()}. {rule.sector.why}{_likely(conds)}"
            out["decided_by"] = "sector"
            out["figure"] = "; ".join(_figure(c) for c in conds)
            out["source"] = "; ".join(dict.fromkeys([*rule.sector.sources, *rule.sources]))
            out["sources"] = list(dict.fromkeys([*rule.sector.sources, *rule.sources]))
    out.update(level=level, evidence=" ".join(p for p in (text, verdict) if p).strip())
    return out


def comparison_name(region: Region, state: str) -> str:
    """The comparison state as evidence names it; for a region spanning states, which one and why."""
    name = state_names().get(state, state)
    if len(region.states) == 1:
        return name
    others = state_label(tuple(s for s in region.states if s != state))
    return f"{name} (the state chosen; the region also reaches into {others})"


def seat_context(
    region: Region,
    sector_id: str | None = None,
    sector_row: pd.Series | None = None,
    year: int | None = None,
    state: str | None = None,
    careers_figures=None,
    values: dict | None = None,
) -> SeatContext:
    """Gather the region's values, the comparison state's and the nation's, and the sector's figures.

    ``state`` is the state the user chose (2-digit FIPS): a region that spans several states is compared
    with it (with the state holding most of its population when it is not one of them).
    ``careers_figures`` are the sector's :class:`careers.Indicators` and ``values`` the region's
    :func:`workforce.workforce_values`, when already computed (many regions at once).
    """
    from dashboard.analysis import careers

    comp = careers.comparison_state(region, state)
    ctx = SeatContext(
        region=region,
        values=workforce.workforce_values(region.counties) if values is None else values,
        state=comparison_values((comp,)),
        us=us_values(),
        state_name=comparison_name(region, comp),
        cz_outside=cz_outside_share(region),
        state_fips=comp,
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
    if sector_row is None:
        ctx.careers_reason = NO_INDUSTRY_DATA
        return ctx
    ctx.establishments = int(sector_row["estabs"])
    ctx.employment_low = float(sector_row["emp_low"])
    ctx.employment_high = float(sector_row["emp_high"])
    ctx.pay_ratio, ctx.pay_ratio_estimate = _pay_ratio(sector_row)
    estimate = sector_row.get("employment_estimate")
    ctx.employment_estimate = None if estimate is None or pd.isna(estimate) else float(estimate)
    if careers_figures is None:
        try:
            careers_figures = careers.sector_indicators([region], sector_id, year).get(region.id)
        except careers.CareersUnavailable as exc:
            ctx.careers_reason = str(exc)
    ctx.careers = careers_figures
    if careers_figures is None and not ctx.careers_reason:
        ctx.careers_reason = f"OEWS publishes no staffing pattern for {ctx.sector.name}"
    return ctx


def _pay_ratio(row) -> tuple[float | tuple[float, float] | None, float | None]:
    """The sector's pay over the region's: the published ratio where no cell is suppressed (the disclosed
    cells' pay is not the sector's where some are), else its range and estimate."""

    def num(key):
        x = row.get(key)
        return None if x is None or pd.isna(x) else float(x)

    if row.get("suppressed_areas") == 0:
        return num("pay_ratio"), None
    low, high, estimate = num("pay_ratio_low"), num("pay_ratio_high"), num("pay_ratio_estimate")
    if low is None:
        return None, None
    return (low if high == low else (low, math.inf if high is None else high)), estimate


def evaluate_seats(
    region: Region,
    sector_id: str | None = None,
    overrides: dict | None = None,
    rules=None,
    sector_row: pd.Series | None = None,
    year: int | None = None,
    state: str | None = None,
    careers_figures=None,
    values: dict | None = None,
) -> list[dict]:
    """Every seat for the region and sector (its figures from ``year``, newest: None), data-triggered seats
    first, then the core, then the rest; workforce figures compared with ``state`` (see :func:`seat_context`)."""
    rules = with_thresholds(rules or load_rules(), overrides)
    ctx = seat_context(region, sector_id, sector_row, year, state, careers_figures, values)
    seats = [evaluate_seat(rule, ctx) for rule in rules]
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(seats, key=lambda s: order[s["level"]])
