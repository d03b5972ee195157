"""Outcomes as partnerships report them: one partnership's metrics over time, and a state's yearly roll-up by
metric (what a state board prints as its yearly report on its partnerships, as Pennsylvania's does).

Counts and dollars add up across partnerships; rates (percent) and durations (days) do not, so the roll-up gives
their lowest and highest instead of a total.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.registry import reference

ADDITIVE = ("count", "dollars")
ROLL_UP_COLUMNS = ["metric", "unit", "year", "partnerships", "total", "lowest", "highest", "source"]


def outcomes_frame(outcomes) -> pd.DataFrame:
    """Outcome records -> period, year, metric, name, unit, value, note (sorted by metric and period)."""
    metrics = reference.metrics()
    rows = [
        {
            "period": o.period,
            "year": o.year,
            "metric": o.metric,
            "name": metrics[o.metric].name if o.metric in metrics else o.metric,
            "unit": metrics[o.metric].unit if o.metric in metrics else "",
            "value": o.value,
            "note": o.note,
        }
        for o in outcomes
    ]
    frame = pd.DataFrame(rows, columns=["period", "year", "metric", "name", "unit", "value", "note"])
    return frame.sort_values(["metric", "period"]).reset_index(drop=True)


def outcomes_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Period": frame["period"],
            "Metric": frame["name"],
            "Value": frame["value"],
            "Unit": frame["unit"],
            "Where the figure came from": frame["note"],
        }
    )


def outcomes_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """One small chart per metric (each on its own scale: the units differ), the value by period."""
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period"),
            y=alt.Y("value:Q", title=None),
            tooltip=[
                alt.Tooltip("name:N", title="Metric"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="Value", format=",.4~f"),
                alt.Tooltip("unit:N", title="Unit"),
                alt.Tooltip("note:N", title="Source"),
            ],
        )
        .properties(height=140, width=260)
        .facet(facet=alt.Facet("name:N", title=None), columns=3)
        .resolve_scale(y="independent")
    )


def roll_up(outcomes: pd.DataFrame) -> pd.DataFrame:
    """A state's outcomes (:func:`dashboard.registry.queries.state_outcomes`) by metric and year."""
    if outcomes.empty:
        return pd.DataFrame(columns=ROLL_UP_COLUMNS)
    metrics = reference.metrics()
    g = outcomes.groupby(["metric", "year"], as_index=False).agg(
        partnerships=("partnership_id", "nunique"),
        total=("value", "sum"),
        lowest=("value", "min"),
        highest=("value", "max"),
    )
    g["unit"] = g["metric"].map(lambda m: metrics[m].unit if m in metrics else "")
    g.loc[~g["unit"].isin(ADDITIVE), "total"] = float("nan")
    g["source"] = "reported by the partnerships; metric: " + g["metric"].map(
        lambda m: metrics[m].source if m in metrics else ""
    )
    g["metric"] = g["metric"].map(lambda m: metrics[m].name if m in metrics else m)
    return g[ROLL_UP_COLUMNS].sort_values(["metric", "year"]).reset_index(drop=True)


def roll_up_chart(table: pd.DataFrame) -> alt.FacetChart:
    """The additive metrics' statewide totals by year."""
    data = table[table["unit"].isin(ADDITIVE)]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("total:Q", title=None),
            tooltip=[
                alt.Tooltip("metric:N", title="Metric"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("total:Q", title="Total", format=",.4~f"),
                alt.Tooltip("partnerships:Q", title="Partnerships reporting"),
            ],
        )
        .properties(height=140, width=260)
        .facet(facet=alt.Facet("metric:N", title=None), columns=3)
        .resolve_scale(y="independent")
    )
