"""Workforce composition of a set of counties, aggregated exactly.

Shares are recomputed from summed counts and summed denominators, never
averaged across counties. Median household income cannot be aggregated: the
region value is the household-weighted mean of county medians, flagged as an
approximation.
"""

from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from dashboard.data import store
from dashboard.data.catalogue import INDICATORS
from dashboard.data.sources import cite


def _sum_by_region(region_of: np.ndarray, complete: np.ndarray, n: int, column: np.ndarray) -> np.ndarray:
    return np.bincount(region_of, weights=column[complete], minlength=n)


@lru_cache(maxsize=1)
def _counts_by_county() -> pd.DataFrame:
    """The workforce table's count columns as float64 (NaN where unreported), indexed by county FIPS."""
    wf = store.load_table("workforce").set_index("fips")
    cols = sorted({c for ind in INDICATORS.values() for c in (*ind.numerator, ind.denominator) if c})
    return wf[cols].astype("float64")


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
    codes, regions = pd.factorize(members["region_id"])
    order = pd.Index(regions, name="region_id")
    counts = _counts_by_county().reindex(members["fips"].to_numpy())
    n = len(order)
    out = {}
    for ind in INDICATORS.values():
        cols = list(ind.numerator) + ([ind.denominator] if ind.denominator else [])
        values = counts[cols].to_numpy()
        complete = ~np.isnan(values).any(axis=1)
        region_of = codes[complete]
        used = np.bincount(region_of, minlength=n)
        total = partial(_sum_by_region, region_of, complete, n)
        reported = used > 0

        num = sum(total(values[:, i]) for i in range(len(ind.numerator)))
        if ind.kind == "count":
            value = np.where(reported, num, np.nan)
        elif ind.kind == "median":
            weights = total(values[:, -1])
            weighted = total(values[:, 0] * values[:, -1])
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.round(np.where(reported & (weights > 0), weighted / weights, np.nan))
        else:
            den = total(values[:, -1])
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(reported & (den > 0), num / den, np.nan)
            out[f"{ind.id}_numerator"] = np.where(reported, num, np.nan)
            out[f"{ind.id}_denominator"] = np.where(reported, den, np.nan)
        out[ind.id] = value
        out[f"{ind.id}_counties"] = used
        out[f"{ind.id}_missing"] = np.bincount(codes, minlength=n) - used
    columns = [
        c
        for ind in INDICATORS.values()
        for c in ([f"{ind.id}_numerator", f"{ind.id}_denominator"] if ind.kind == "share" else [])
        + [ind.id, f"{ind.id}_counties", f"{ind.id}_missing"]
    ]
    return pd.DataFrame(out, index=order)[columns]


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
        out[i] = {
            "id": i,
            "value": value,
            "counties": used,
            "missing": 0 if row is None else int(row[f"{i}_missing"]),
            "approximation": ind.kind == "median" and value is not None and used > 1,
            "source": cite(ind.source),
        }
        if ind.kind == "share" and value is not None:
            out[i].update(numerator=float(row[f"{i}_numerator"]), denominator=float(row[f"{i}_denominator"]))
    return out


def workforce_values(counties) -> dict[str, float | int | None]:
    """Just the values: shares as fractions 0..1, income in dollars, population a count."""
    return {k: v["value"] for k, v in aggregate_workforce(counties).items()}
