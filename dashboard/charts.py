"""Altair charts for the region profile and comparisons (specs only; the page displays them)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import formatting

#: Class colours from the Okabe-Ito palette, distinct for colour-blind readers.
CLASS_COLORS = {
    "existing strength": "#0072B2", "emerging": "#009E73", "mature": "#E69F00",
    "weak": "#999999", "undetermined": "#CC79A7",
}


def growth_span(year: int, span: dict | None) -> tuple[int, int]:
    """The years the bubble chart's growth runs over: the longest loaded span, else the published one-year change."""
    return (span["start_year"], span["end_year"]) if span else (year - 1, year)


def candidate_points(candidates: list[dict], span: dict | None = None) -> pd.DataFrame:
    """One row per candidate sector: LQ (or the lower end of its range) against growth relative to the US,
    over ``span`` (the profile's ``growth_span``) when two years are loaded, else the published one-year change."""
    rows = []
    for c in candidates:
        lq = c["lq"] if c["lq"] is not None else c["lq_low"]
        g = c.get("span") if span else c
        if lq is None or g is None or g["growth"] is None or g["us_growth"] is None:
            continue
        rows.append({
            "sector": c["name"], "class": c["class"], "lq": lq, "lq_high": c["lq_high"] if c["lq"] is None else lq,
            "growth_vs_us": g["growth"] - g["us_growth"], "jobs": c["employment"] if c["employment"] is not None else c["employment_low"],
            "lq_text": formatting.value_or_range(c["lq"], c["lq_low"], c["lq_high"], "ratio"),
            "jobs_text": formatting.value_or_range(c["employment"], c["employment_low"], c["employment_high"], "count"),
            "growth_text": f"{formatting.change(g['growth'])} (US {formatting.change(g['us_growth'])})",
        })
    return pd.DataFrame(rows, columns=["sector", "class", "lq", "lq_high", "growth_vs_us", "jobs", "lq_text", "jobs_text", "growth_text"])


def sector_bubbles(candidates: list[dict], year: int, span: dict | None = None) -> alt.Chart:
    """LQ in ``year`` against employment growth relative to the US (over :func:`growth_span`);
    bubble area = jobs; colour = class.

    Where suppression leaves a range, the bubble sits at the range's lower end
    and a vertical bar reaches its upper end.
    """
    data = candidate_points(candidates, span)
    start, end = growth_span(year, span)
    base = alt.Chart(data)
    color = alt.Color("class:N", scale=alt.Scale(domain=list(CLASS_COLORS), range=list(CLASS_COLORS.values())), title="Class")
    tooltip = [alt.Tooltip("sector:N", title="Sector"), alt.Tooltip("class:N", title="Class"),
               alt.Tooltip("lq_text:N", title=f"LQ {year}"), alt.Tooltip("growth_text:N", title=f"Change {start}-{end}"),
               alt.Tooltip("jobs_text:N", title=f"Jobs {year}")]
    x = alt.X("growth_vs_us:Q", title=f"Employment change {start}-{end} minus US change", axis=alt.Axis(format="+.0%"))
    points = base.mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(
        x=x, y=alt.Y("lq:Q", title=f"Location quotient, {year} (1 = US share)"),
        size=alt.Size("jobs:Q", title="Jobs", scale=alt.Scale(range=[40, 1600])), color=color, tooltip=tooltip)
    ranges = base.transform_filter("datum.lq_high > datum.lq").mark_rule(strokeWidth=2).encode(
        x=x, y="lq:Q", y2="lq_high:Q", color=color)
    rule_lq = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4], color="#666").encode(y="y:Q")
    rule_g = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4], color="#666").encode(x="x:Q")
    return (ranges + points + rule_lq + rule_g).properties(height=380)


def workforce_rows(region: dict, state: dict, us: dict, labels: dict[str, str], state_label: str) -> pd.DataFrame:
    """Long table of share indicators: indicator, place, value (fraction), for the grouped bar chart."""
    rows = []
    for key, label in labels.items():
        for place, values in (("Region", region), (state_label, state), ("US", us)):
            value = values.get(key)
            if value is not None:
                rows.append({"indicator": label, "place": place, "value": value})
    return pd.DataFrame(rows, columns=["indicator", "place", "value"])


def workforce_bars(rows: pd.DataFrame) -> alt.Chart:
    """Region against state and US, one group of bars per indicator."""
    places = list(dict.fromkeys(rows["place"]))
    return alt.Chart(rows).mark_bar().encode(
        y=alt.Y("indicator:N", title=None, sort=None),
        yOffset=alt.YOffset("place:N", sort=places),
        x=alt.X("value:Q", title="Share", axis=alt.Axis(format="%")),
        color=alt.Color("place:N", sort=places, scale=alt.Scale(range=["#0072B2", "#E69F00", "#999999"]), title=None),
        tooltip=[alt.Tooltip("indicator:N"), alt.Tooltip("place:N"), alt.Tooltip("value:Q", format=".1%")],
    ).properties(height=alt.Step(9))


def trend_rows(trend: dict) -> pd.DataFrame:
    """The profile's ``establishment_trend`` as a long table: sector, year, employment."""
    rows = [{"sector": s["name"], "year": y["year"], "employment": y["employment"]}
            for s in trend.get("sectors", []) for y in s["years"]]
    return pd.DataFrame(rows, columns=["sector", "year", "employment"])


def trend_lines(rows: pd.DataFrame) -> alt.Chart:
    """Employment per year, one labelled line per sector (County Business Patterns)."""
    base = alt.Chart(rows).encode(
        x=alt.X("year:O", title="Year (mid-March)"),
        y=alt.Y("employment:Q", title="Jobs (County Business Patterns)", axis=alt.Axis(format=",d")),
        color=alt.Color("sector:N", title="Sector"),
        tooltip=[alt.Tooltip("sector:N"), alt.Tooltip("year:O"), alt.Tooltip("employment:Q", format=",d")],
    )
    return (base.mark_line(point=True) + base.mark_text(align="left", dx=6).encode(text="sector:N").transform_filter(
        alt.datum.year == int(rows["year"].max()) if len(rows) else alt.datum.year == 0)).properties(height=320)
