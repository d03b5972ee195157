"""Side-by-side tables for two to six regions, from their profiles."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analysis import formatting
from dashboard.analysis.workforce import INDICATORS
from dashboard.data.catalogue import COMPARED_WORKFORCE
from dashboard.report import tables

if TYPE_CHECKING:
    from dashboard.report.profile import RegionProfile


def _label(profile: RegionProfile, names: list[str]) -> str:
    """Column label: the region name, with its id when two regions share a name."""
    name = profile.region.name
    return f"{name} ({profile.region.id})" if names.count(name) > 1 else name


def sectors_side_by_side(profiles: list[RegionProfile]) -> pd.DataFrame:
    """Partnership sectors x regions: LQ (or its range with the labelled estimate inside it) and the class
    verdict ("likely ..." where the estimate, not the published figures, decides it)."""
    names = [p.region.name for p in profiles]
    order = [c["name"] for c in profiles[0].candidate_sectors] if profiles else []
    frame = pd.DataFrame({"sector": order})
    for p in profiles:
        by_name = {c["name"]: c for c in p.candidate_sectors}
        frame[_label(p, names)] = [_lq_cell(c) if c else formatting.NA for c in (by_name.get(s) for s in order)]
    return frame


def _lq_cell(c: dict) -> str:
    text = formatting.with_estimate(c["lq"], c["lq_low"], c["lq_high"], c.get("lq_estimate"), "ratio")
    return f"{text} ({tables.shown_verdict(c.get('verdict') or c['class'], c.get('employment'))})"


def workforce_side_by_side(profiles: list[RegionProfile]) -> pd.DataFrame:
    """Workforce indicators x regions, formatted."""
    names = [p.region.name for p in profiles]
    frame = pd.DataFrame({"indicator": [INDICATORS[k].label for k in COMPARED_WORKFORCE]})
    for p in profiles:
        frame[_label(p, names)] = [
            formatting.FORMATS[INDICATORS[k].format](p.workforce.get(k)) for k in COMPARED_WORKFORCE
        ]
    return frame


def seats_side_by_side(profiles: list[RegionProfile]) -> pd.DataFrame:
    """Seats x regions: the level each region's data give."""
    names = [p.region.name for p in profiles]
    order = [s["name"] for s in profiles[0].seats] if profiles else []
    frame = pd.DataFrame({"seat": order})
    for p in profiles:
        levels = {s["name"]: s["level"] for s in p.seats}
        frame[_label(p, names)] = [levels.get(s, formatting.NA) for s in order]
    return frame


#: Numeric columns of :func:`sectors_long` (a published figure is its own low, estimate and high).
SECTOR_FIGURES = (("lq", "lq", 3), ("jobs", "employment", 0))


def sectors_long(profiles: list[RegionProfile]) -> pd.DataFrame:
    """One row per region and candidate sector: numeric LQ and jobs (low, estimate, high; the published figure
    where nothing is suppressed), the verdict, class and how sure it is. What the Compare CSV and chart hold."""
    rows = []
    for p in profiles:
        for c in p.candidate_sectors:
            row = {"region_id": p.region.id, "region": p.region.name, "sector_id": c["id"], "sector": c["name"]}
            for col, key, digits in SECTOR_FIGURES:
                point = c.get(key)
                low, est, high = (c.get(f"{key}_{end}") for end in ("low", "estimate", "high"))
                row[f"{col}_published"] = point is not None
                for end, value in (("low", low), ("estimate", est), ("high", high)):
                    value = point if point is not None else value
                    row[f"{col}_{end}"] = None if value is None else round(float(value), digits)
            row.update(
                verdict=tables.shown_verdict(c.get("verdict") or c["class"], c.get("employment")),
                **{"class": c["class"]},
                confidence=c.get("confidence"),
            )
            row["year"] = p.year
            rows.append(row)
    return pd.DataFrame(rows)


def workforce_long(profiles: list[RegionProfile]) -> pd.DataFrame:
    """One row per region and compared workforce indicator: the numeric value (a share is a fraction)."""
    rows = [
        {
            "region_id": p.region.id,
            "region": p.region.name,
            "indicator_id": k,
            "indicator": INDICATORS[k].label,
            "value": p.workforce.get(k),
            "format": INDICATORS[k].format,
        }
        for p in profiles
        for k in COMPARED_WORKFORCE
    ]
    return pd.DataFrame(rows)


def similar_peers(region_id: str, population: pd.Series, n: int = 2) -> list[str]:
    """The ``n`` regions whose population is nearest ``region_id``'s (by ratio, so a county of 30,000 is
    compared with counties of 20,000-45,000, not with the next name in the list); ``population`` is indexed by
    region id. Regions without a population come last; ties by id."""
    if region_id not in population.index:
        return []
    own = float(population.get(region_id) or 0)
    others = population.drop(region_id).astype("float64")
    if own <= 0:
        return sorted(others.index)[:n]
    distance = (others.clip(lower=1) / own).map(lambda r: abs(math.log(r))).fillna(float("inf"))
    return sorted(distance.index, key=lambda i: (distance[i], i))[:n]


def search(table: pd.DataFrame, text: str, limit: int = 25) -> pd.DataFrame:
    """Regions (``region_id``, ``region_name``) whose name holds every word of ``text`` (case ignored), names
    starting with the first word first; at most ``limit``."""
    words = [w for w in str(text).lower().split() if w]
    if not words:
        return table.iloc[0:0]
    names = table["region_name"].str.lower()
    hit = pd.Series(True, index=table.index)
    for w in words:
        hit &= names.str.contains(w, regex=False)
    found = table[hit].assign(_first=~names[hit].str.startswith(words[0]))
    return found.sort_values(["_first", "region_name"]).drop(columns="_first").head(limit)
