"""Every field a user gives the registry, checked, with one clear message per problem.

Each checker takes raw values (form fields, CSV cells: text, dates, numbers or blanks) and returns clean values, or
raises :class:`InvalidRecord` listing every problem as (field, message). Values are stored as given once checked:
names keep their characters; the pages render them as inert text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dashboard.data.catalogue import CONVENER_KINDS, CUSTOM, MEMBER_KINDS, PHASES
from dashboard.registry import reference
from dashboard.registry.models import NAME_MAX, NOTE_MAX, URL_MAX

#: Earliest date a record may carry (sector partnerships predate none of the sources by much more).
EARLIEST = dt.date(1950, 1, 1)
#: The NAICS sectors (2-digit), for an employer's code.
NAICS_SECTORS = {
    "11", "21", "22", "23", "31", "32", "33", "42", "44", "45", "48", "49", "51", "52", "53", "54", "55", "56", "61",
    "62", "71", "72", "81", "92",
}  # fmt: skip
MAX_CUSTOM_COUNTIES = 400
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class InvalidRecord(ValueError):
    """A record that cannot be stored: every problem, as (field, message)."""

    problems: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{f}: {m}" for f, m in self.problems)


class _Checker:
    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def fail(self, name: str, message: str) -> None:
        self.problems.append((name, message))

    def text(self, name: str, value, limit: int, required: bool = False, lines: bool = False) -> str:
        text = "" if _blank(value) else str(value).strip()
        if required and not text:
            self.fail(name, "is required")
        elif len(text) > limit:
            self.fail(name, f"is {len(text):,} characters long; at most {limit:,}")
        elif CONTROL.search(text) or (not lines and ("\n" in text or "\r" in text)):
            self.fail(name, "holds control characters or line breaks")
        return text

    def choice(self, name: str, value, options, required: bool = True) -> str:
        text = "" if _blank(value) else str(value).strip()
        if not text and not required:
            return ""
        if text not in options:
            shown = ", ".join(list(options)[:12]) + (", ..." if len(options) > 12 else "")
            self.fail(name, f"{_quote(text)} is not one of {shown}" if text else f"is required (one of {shown})")
        return text

    def date(self, name: str, value, required: bool = False) -> dt.date | None:
        if _blank(value):
            if required:
                self.fail(name, "is required (a date such as 2024-03-01)")
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(name, f"{_quote(value)} is not a date written YYYY-MM-DD")
                return None
        if not EARLIEST <= value <= dt.date.today():
            self.fail(name, f"{value.isoformat()} is not between {EARLIEST.isoformat()} and today")
            return None
        return value

    def done(self) -> None:
        if self.problems:
            raise InvalidRecord(self.problems)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _quote(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "...")


def name_key(name: str) -> str:
    """A name as duplicates are compared: spacing and case folded."""
    return " ".join(name.split()).casefold()


def region_key(scheme: str, region_id: str) -> str:
    if scheme == CUSTOM:
        return "custom:" + hashlib.sha256(region_id.encode()).hexdigest()[:32]
    return f"{scheme}:{region_id}"


@dataclass(frozen=True)
class Place:
    scheme: str
    region_id: str
    region_name: str
    counties: tuple[str, ...]


def place(c: _Checker, scheme, region, counties, region_name) -> Place | None:
    """A scheme's region (by id), or a custom set of counties (``scheme`` custom, ``counties`` FIPS codes)."""
    scheme = "" if _blank(scheme) else str(scheme).strip()
    if not reference.is_scheme(scheme):
        c.fail("scheme", f"{_quote(scheme)} is not a region scheme (county, cbsa, cz, bea, in-egr, state or custom)")
        return None
    if scheme == CUSTOM:
        codes = [p for p in re.split(r"[,;\s]+", "" if _blank(counties) else str(counties)) if p]
        names = reference.county_names()
        unknown = [p for p in codes if p not in names]
        if not codes:
            c.fail("counties", "a custom region needs its county FIPS codes (five digits each, e.g. 21111, 21029)")
        elif unknown:
            c.fail(
                "counties",
                f"{', '.join(map(_quote, unknown[:5]))} {'is not a' if len(unknown) == 1 else 'are not'} county FIPS code{'s' if len(unknown) > 1 else ''}",
            )
        elif len(set(codes)) > MAX_CUSTOM_COUNTIES:
            c.fail("counties", f"{len(set(codes))} counties; a custom region holds at most {MAX_CUSTOM_COUNTIES}")
        else:
            chosen = tuple(sorted(set(codes)))
            label = c.text("region_name", region_name, NAME_MAX) or f"Custom region of {len(chosen)} counties"
            return Place(CUSTOM, ",".join(chosen), label, chosen)
        return None
    rid = "" if _blank(region) else str(region).strip()
    found = reference.region(scheme, rid)
    if found is None:
        c.fail("region", f"{_quote(rid)} is not a region id of the {scheme} scheme" if rid else "is required")
        return None
    return Place(scheme, rid, found[0], found[1])


def phase_history(c: _Checker, history: list[dict], phase: str, since: dt.date | None) -> list[dict]:
    """The phase history with ``phase`` since ``since`` appended when it differs from the last one."""
    out = [dict(h) for h in history]
    if out and out[-1]["phase"] == phase:
        return out
    when = since or dt.date.today()
    if out and when.isoformat() < out[-1]["on"]:
        c.fail("phase_since", f"{when.isoformat()} is before the last phase change ({out[-1]['on']})")
    out.append({"phase": phase, "on": when.isoformat()})
    return out


def parse_history(c: _Checker, text) -> list[dict]:
    """``"exploring 2023-01-10; active 2024-03-01"`` (as exports write it) -> a phase history, dates in order."""
    out: list[dict] = []
    for part in [] if _blank(text) else [p for p in str(text).split(";") if p.strip()]:
        bits = part.split()
        if len(bits) != 2 or bits[0] not in PHASES:
            c.fail("phase_history", f"{_quote(part.strip())} is not a phase and a date (e.g. active 2024-03-01)")
            return []
        when = c.date("phase_history", bits[1])
        if when is None:
            return []
        if out and when.isoformat() < out[-1]["on"]:
            c.fail("phase_history", "its dates are not in order")
            return []
        out.append({"phase": bits[0], "on": when.isoformat()})
    return out


def format_history(history: list[dict]) -> str:
    return "; ".join(f"{h['phase']} {h['on']}" for h in history)


def website(c: _Checker, value) -> str:
    text = c.text("website", value, URL_MAX)
    if text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
            c.fail("website", f"{_quote(text)} is not a web address starting with https:// or http://")
    return text


def partnership(values: dict, history: list[dict] | None = None) -> dict:
    """Clean partnership fields from ``values`` (name, scheme, region, counties, region_name, sector, phase,
    phase_since or phase_history, convener, convener_kind, started_on, website, notes)."""
    c = _Checker()
    name = c.text("name", values.get("name"), NAME_MAX, required=True)
    where = place(c, values.get("scheme"), values.get("region"), values.get("counties"), values.get("region_name"))
    sector = c.choice("sector", values.get("sector"), reference.sectors())
    phase = c.choice("phase", values.get("phase"), PHASES)
    started = c.date("started_on", values.get("started_on"))
    since = c.date("phase_since", values.get("phase_since"))
    if history is None and not _blank(values.get("phase_history")):
        history = parse_history(c, values.get("phase_history"))
        if history and phase and history[-1]["phase"] != phase:
            c.fail("phase_history", f"ends with {history[-1]['phase']}, not the phase given ({phase})")
    history = phase_history(c, history or [], phase, since or started) if phase in PHASES else []
    out = {
        "name": name,
        "sector": sector,
        "phase": phase,
        "phase_history": history,
        "convener": c.text("convener", values.get("convener"), NAME_MAX),
        "convener_kind": c.choice("convener_kind", values.get("convener_kind"), CONVENER_KINDS, required=False),
        "started_on": started,
        "website": website(c, values.get("website")),
        "notes": c.text("notes", values.get("notes"), NOTE_MAX, lines=True),
    }
    if out["convener"] and not out["convener_kind"]:
        c.fail("convener_kind", "is required when a convener is named")
    c.done()
    out.update(
        scheme=where.scheme,
        region_id=where.region_id,
        region_name=where.region_name,
        counties=where.counties,
        name_key=name_key(name),
        region_key=region_key(where.scheme, where.region_id),
    )
    return out


def member(values: dict) -> dict:
    """Clean member fields (organisation, seat, kind, naics, joined_on, left_on)."""
    c = _Checker()
    out = {
        "organisation": c.text("organisation", values.get("organisation"), NAME_MAX, required=True),
        "seat": c.choice("seat", values.get("seat"), reference.seats()),
        "kind": c.choice("kind", values.get("kind"), MEMBER_KINDS),
        "naics": "" if _blank(values.get("naics")) else str(values.get("naics")).strip().removesuffix(".0"),
        "joined_on": c.date("joined_on", values.get("joined_on")),
        "left_on": c.date("left_on", values.get("left_on")),
    }
    if out["kind"] == "employer":
        if not re.fullmatch(r"[0-9]{2,6}", out["naics"]) or out["naics"][:2] not in NAICS_SECTORS:
            c.fail(
                "naics",
                f"an employer needs its NAICS code (2 to 6 digits of a NAICS sector), not {_quote(out['naics'])}"
                if out["naics"]
                else "an employer needs its NAICS code (2 to 6 digits, e.g. 622)",
            )
    elif out["kind"] == "champion" and out["naics"]:
        c.fail("naics", "only an employer has a NAICS code; leave it blank for a champion")
    if out["joined_on"] and out["left_on"] and out["left_on"] < out["joined_on"]:
        c.fail("left_on", f"{out['left_on'].isoformat()} is before the date it joined ({out['joined_on'].isoformat()})")
    c.done()
    return out


PERIOD = re.compile(r"([0-9]{4})(?:-Q([1-4]))?")


def outcome(values: dict) -> dict:
    """Clean outcome fields (period "2024" or "2024-Q2", metric, value, note)."""
    c = _Checker()
    period = "" if _blank(values.get("period")) else str(values.get("period")).strip().upper().removesuffix(".0")
    m = PERIOD.fullmatch(period)
    year = int(m.group(1)) if m else None
    if not m or not EARLIEST.year <= year <= dt.date.today().year:
        c.fail(
            "period",
            f"{_quote(period)} is not a year (2024) or a quarter (2024-Q2) up to this year"
            if period
            else "is required (a year such as 2024, or a quarter such as 2024-Q2)",
        )
    metric = c.choice("metric", values.get("metric"), reference.metrics())
    raw = values.get("value")
    value = None
    try:
        value = float(str(raw).strip().replace(",", "")) if not _blank(raw) else None
    except ValueError:
        pass
    if value is None or not math.isfinite(value):
        c.fail("value", f"{_quote(raw)} is not a number" if not _blank(raw) else "is required (a number)")
    elif metric in reference.metrics():
        unit = reference.metrics()[metric].unit
        if unit in ("count", "days", "dollars") and value < 0 and metric != "wage-gain":
            c.fail("value", f"a {unit} cannot be negative")
        if unit == "count" and value != int(value):
            c.fail("value", "a count is a whole number")
        if unit == "percent" and not 0 <= value <= 100:
            c.fail("value", "a percentage is between 0 and 100")
    out = {"period": period, "year": year, "metric": metric, "value": value}
    out["note"] = c.text("note", values.get("note"), NOTE_MAX, lines=True)
    c.done()
    return out


def assessment(values: dict) -> dict:
    """Clean self-assessment fields (assessed_on, ticked: item ids, note)."""
    c = _Checker()
    when = c.date("assessed_on", values.get("assessed_on"), required=True)
    raw = values.get("ticked") or ()
    items = [p for p in re.split(r"[,;\s]+", raw) if p] if isinstance(raw, str) else list(raw)
    known = reference.checklist_items()
    unknown = [i for i in items if i not in known]
    if unknown:
        c.fail("ticked", f"{', '.join(map(_quote, unknown[:5]))} not checklist items")
    out = {
        "assessed_on": when,
        "ticked": [i for i in known if i in set(items)],
        "note": c.text("note", values.get("note"), NOTE_MAX, lines=True),
    }
    c.done()
    return out


EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}")
