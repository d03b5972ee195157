"""Side-by-side tables for two to six regions, from their profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analysis import formatting
from dashboard.analysis.workforce import INDICATORS
from dashboard.data.catalogue import COMPARED_WORKFORCE

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
    return f"{text} ({c.get('verdict') or c['class']})"


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
