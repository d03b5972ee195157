"""Workforce composition of a set of counties, aggregated exactly.

Shares are recomputed from summed counts and summed denominators, never
averaged across counties. Median household income cannot be aggregated: the
region value is the household-weighted mean of county medians, flagged as an
approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import store
from .sources import cite


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    numerator: tuple[str, ...]
    denominator: str
    source: str
    kind: str = "share"  # share | median | count | code

    @property
    def format(self) -> str:
        """The :mod:`formatting` kind its values are shown with."""
        return {"share": "share", "median": "money", "count": "count"}[self.kind]


INDICATORS: dict[str, Indicator] = {i.id: i for i in [
    Indicator("low_skill_share", "Adults 25+ with high school or less", ("less_than_hs", "hs_only"), "adults_25plus", "education"),
    Indicator("no_diploma_share", "Adults 25+ without a high school diploma", ("less_than_hs",), "adults_25plus", "education"),
    Indicator("poverty_rate", "People in poverty", ("poverty_count",), "poverty_universe", "poverty"),
    Indicator("child_poverty_rate", "Children (0-17) in poverty", ("child_poverty_count",), "child_poverty_universe", "poverty"),
    Indicator("below_150pct_poverty_share", "People below 150% of poverty", ("pov150",), "pov150_universe", "svi"),
    Indicator("unemployment_rate", "Unemployment rate", ("unemployed",), "labor_force", "laus"),
    Indicator("limited_english_share", "People who speak English less than well", ("limited_english",), "limited_english_universe", "svi"),
    Indicator("no_vehicle_share", "Households without a vehicle", ("no_vehicle",), "no_vehicle_universe", "svi"),
    Indicator("disability_share", "People with a disability", ("disability",), "disability_universe", "svi"),
    Indicator("uninsured_share", "People without health insurance", ("uninsured",), "uninsured_universe", "svi"),
    Indicator("no_internet_share", "Households without broadband internet", ("no_internet",), "no_internet_universe", "svi"),
    Indicator("youth_share", "People aged 17 or younger", ("age17",), "age17_universe", "svi"),
    Indicator("median_household_income", "Median household income (household-weighted approximation for regions)",
              ("median_household_income",), "households", "poverty", kind="median"),
    Indicator("population", "Population", ("population",), "", "population", kind="count"),
]}


def county_rows(counties) -> pd.DataFrame:
    wf = store.load_table("workforce")
    return wf[wf["fips"].isin(list(counties))]


def aggregate_indicator(rows: pd.DataFrame, ind: Indicator) -> dict:
    """One indicator over ``rows`` (workforce county rows).

    Counties missing the indicator are left out and counted in ``missing``;
    a region with none left gets ``value`` None.
    """
    cols = list(ind.numerator) + ([ind.denominator] if ind.denominator else [])
    complete = rows[cols].notna().all(axis=1)
    use = rows[complete]
    out = {"id": ind.id, "value": None, "counties": int(complete.sum()), "missing": int((~complete).sum()),
           "approximation": False, "source": cite(ind.source)}
    if use.empty:
        return out
    num = sum(float(use[c].sum()) for c in ind.numerator)
    if ind.kind == "count":
        out["value"] = int(num)
    elif ind.kind == "median":
        weights = use[ind.denominator].astype("float64")
        if weights.sum() > 0:
            out["value"] = round(float((use[ind.numerator[0]].astype("float64") * weights).sum() / weights.sum()))
            out["approximation"] = len(use) > 1
    else:
        den = float(use[ind.denominator].sum())
        if den > 0:
            out.update(value=num / den, numerator=num, denominator=den)
    return out


def aggregate_workforce(counties) -> dict[str, dict]:
    """Every indicator for a set of counties, keyed by indicator id."""
    rows = county_rows(counties)
    return {i: aggregate_indicator(rows, ind) for i, ind in INDICATORS.items()}


def workforce_values(counties) -> dict[str, float | int | None]:
    """Just the values: shares as fractions 0..1, income in dollars, population a count."""
    return {k: v["value"] for k, v in aggregate_workforce(counties).items()}
