"""Workforce composition of a set of counties, aggregated exactly.

Shares are recomputed from summed counts and summed denominators, never
averaged across counties. Median household income cannot be aggregated: the
region value is the household-weighted mean of county medians, flagged as an
approximation.
"""

from __future__ import annotations

import pandas as pd

from . import store
from .catalogue import INDICATORS, Indicator  # noqa: F401 - the indicators' public home is the catalogue
from .sources import cite


def aggregate_regions(members: pd.DataFrame) -> pd.DataFrame:
    """Every indicator for many regions at once: the one workforce aggregation.

    ``members`` has a row per region and county (``region_id``, ``fips``).
    Returns one row per region (indexed by ``region_id``, in first-seen
    order) with, per indicator, ``<id>`` (the value: summed numerators over
    summed denominators of the counties reporting both; the household-weighted
    mean of county medians; or a summed count), ``<id>_counties`` (counties
    used) and ``<id>_missing`` (counties left out); shares also give their
    summed ``<id>_numerator`` and ``<id>_denominator``. A region with no county
    left gets a missing value, never zero.
    """
    wf = store.load_table("workforce")
    rows = members[["region_id", "fips"]].merge(wf, on="fips", how="left")
    order = pd.Index(pd.unique(members["region_id"]), name="region_id")
    out = pd.DataFrame(index=order)
    for ind in INDICATORS.values():
        cols = list(ind.numerator) + ([ind.denominator] if ind.denominator else [])
        complete = rows[cols].notna().all(axis=1)
        use = rows[complete]
        g = use.groupby("region_id", sort=False)
        num = sum(g[c].sum().astype("float64") for c in ind.numerator)
        if ind.kind == "count":
            value = num
        elif ind.kind == "median":
            weights = g[ind.denominator].sum().astype("float64")
            weighted = (use[ind.numerator[0]].astype("float64") * use[ind.denominator].astype("float64")).groupby(use["region_id"]).sum()
            value = (weighted / weights).where(weights > 0).round()
        else:
            den = g[ind.denominator].sum().astype("float64")
            value = (num / den).where(den > 0)
            out[f"{ind.id}_numerator"] = num.reindex(order) if len(use) else float("nan")
            out[f"{ind.id}_denominator"] = den.reindex(order) if len(use) else float("nan")
        out[ind.id] = value.reindex(order) if len(use) else pd.Series(float("nan"), index=order)
        out[f"{ind.id}_counties"] = complete.groupby(rows["region_id"]).sum().reindex(order).fillna(0).astype(int)
        out[f"{ind.id}_missing"] = (~complete).groupby(rows["region_id"]).sum().reindex(order).fillna(0).astype(int)
    return out


def aggregate_workforce(counties) -> dict[str, dict]:
    """Every indicator for one set of counties, keyed by indicator id (see :func:`aggregate_regions`)."""
    members = pd.DataFrame({"region_id": "region", "fips": list(dict.fromkeys(counties))})
    row = aggregate_regions(members).iloc[0] if len(members) else None
    out = {}
    for i, ind in INDICATORS.items():
        value = None if row is None or pd.isna(row[i]) else row[i]
        if value is not None:
            value = int(value) if ind.kind in ("count", "median") else float(value)
        used = 0 if row is None else int(row[f"{i}_counties"])
        out[i] = {"id": i, "value": value, "counties": used, "missing": 0 if row is None else int(row[f"{i}_missing"]),
                  "approximation": ind.kind == "median" and value is not None and used > 1, "source": cite(ind.source)}
        if ind.kind == "share" and value is not None:
            out[i].update(numerator=float(row[f"{i}_numerator"]), denominator=float(row[f"{i}_denominator"]))
    return out


def workforce_values(counties) -> dict[str, float | int | None]:
    """Just the values: shares as fractions 0..1, income in dollars, population a count."""
    return {k: v["value"] for k, v in aggregate_workforce(counties).items()}
