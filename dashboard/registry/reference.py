"""What a record may name: the catalogues of :mod:`dashboard.data` (sectors, seats, checklist items, metrics,
regions), read here so the registry can check every value it stores without importing the analysis."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard.data import paths, store
from dashboard.data.catalogue import CUSTOM, SCHEME_IDS


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    category: str
    unit: str
    source: str


@cache
def sectors() -> dict[str, str]:
    """Partnership sector id -> name (data/partnership_sectors.toml)."""
    raw = store.read_toml(paths.DATA_DIR / "partnership_sectors.toml")
    return {s["id"]: s["name"] for s in raw.get("sector", [])}


@cache
def seats() -> dict[str, str]:
    """Seat id -> name (data/seat_rules.toml), the ids the seats engine uses."""
    raw = store.read_toml(paths.DATA_DIR / "seat_rules.toml")
    return {s["id"]: s["name"] for s in raw.get("seat", [])}


@cache
def checklist_items() -> tuple[str, ...]:
    """The self-assessment's item ids (data/self_assessment.toml), in order."""
    raw = store.read_toml(paths.DATA_DIR / "self_assessment.toml")
    return tuple(i["id"] for c in raw.get("characteristic", []) for i in c.get("items", []))


@cache
def metrics() -> dict[str, Metric]:
    """Outcome metric id -> :class:`Metric` (data/outcome_metrics.toml)."""
    path = paths.DATA_DIR / "outcome_metrics.toml"
    raw = store.read_toml(path)
    try:
        cited = raw["sources"]
        return {
            m["id"]: Metric(m["id"], m["name"], m["category"], m["unit"], "; ".join(cited[k] for k in m["sources"]))
            for m in raw["metric"]
        }
    except (KeyError, TypeError) as exc:
        raise store.content_error(path, exc) from None


@cache
def _regions() -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    table = store.load_table("regions")
    return {
        (scheme, rid): (g["region_name"].iloc[0], tuple(sorted(g["fips"])))
        for (scheme, rid), g in table.groupby(["scheme", "region_id"], sort=False)
    }


def region(scheme: str, region_id: str) -> tuple[str, tuple[str, ...]] | None:
    """(name, counties) of a scheme's region, or None when the data do not know it."""
    if scheme not in SCHEME_IDS:
        return None
    return _regions().get((scheme, region_id))


@cache
def county_names() -> dict[str, str]:
    return {rid: name for (scheme, rid), (name, _) in _regions().items() if scheme == "county"}


def is_scheme(scheme: str) -> bool:
    return scheme in SCHEME_IDS or scheme == CUSTOM


def clear() -> None:
    """Forget the catalogues read (after the data files changed)."""
    for f in (sectors, seats, checklist_items, metrics, _regions, county_names):
        f.cache_clear()
