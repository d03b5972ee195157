"""Altair charts for the region profile and comparisons (specs only; the page displays them)."""

from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd

from dashboard.analysis import formatting

#: Class colours from the Okabe-Ito palette, distinct for colour-blind readers.
CLASS_COLORS = {
    "existing strength": "#0072B2",
    "emerging": "#009E73",
    "mature": "#E69F00",
    "weak": "#999999",
    "undetermined": "#CC79A7",
}


def growth_span(year: int, span: dict | None) -> tuple[int, int]:
    """The years the bubble chart's growth runs over: the longest loaded span, else the published one-year change."""
    return (span["start_year"], span["end_year"]) if span else (year - 1, year)


#: How many of the top-ranked candidate sectors carry their name on the bubble chart.
LABELLED = 5
#: Type sizes that read on a projector.
AXIS = {"labelFontSize": 13, "titleFontSize": 14}
LEGEND = {"labelFontSize": 13, "titleFontSize": 14, "orient": "bottom", "labelLimit": 0}


def _point(c: dict, value: str, estimate: str, low: str):
    """A figure as a chart places it: published, else the labelled estimate, else the range's low end."""
    for key in (value, estimate, low):
        if c.get(key) is not None:
            return c[key]
    return None


def _with_estimate(c: dict, value: str, kind: str) -> str:
    """A profile figure (``value``, with its ``_low``, ``_high`` and ``_estimate`` keys) as text."""
    return formatting.with_estimate(
        c.get(value), c.get(f"{value}_low"), c.get(f"{value}_high"), c.get(f"{value}_estimate"), kind
    )


def candidate_points(candidates: list[dict], span: dict | None = None) -> pd.DataFrame:
    """One row per candidate sector: LQ against growth relative to the US, over ``span`` (the profile's
    ``growth_span``) when two years are loaded, else the published one-year change. Where cells are
    suppressed, a point sits at the labelled estimate (the range's low end without one) and ``lq_low`` to
    ``lq_high`` is the range. ``rank`` is the sector's place among the candidates (1 = top-ranked);
    ``label`` its name for the top :data:`LABELLED`, else empty."""
    rows = []
    for rank, c in enumerate(candidates, start=1):
        lq = _point(c, "lq", "lq_estimate", "lq_low")
        g = c.get("span") if span else c
        growth = None if g is None else _point(g, "growth", "growth_estimate", "growth_low")
        if lq is None or growth is None or g.get("us_growth") is None:
            continue
        growth_text = _with_estimate(g, "growth", "change")
        rows.append(
            {
                "sector": c["name"],
                "class": c["class"],
                "rank": rank,
                "label": c["name"] if rank <= LABELLED else "",
                "lq": lq,
                "lq_low": c["lq_low"] if c["lq"] is None and c["lq_low"] is not None else lq,
                "lq_high": c["lq_high"] if c["lq"] is None and c["lq_high"] is not None else lq,
                "growth_vs_us": growth - g["us_growth"],
                "jobs": _point(c, "employment", "employment_estimate", "employment_low"),
                "lq_text": _with_estimate(c, "lq", "ratio"),
                "jobs_text": _with_estimate(c, "employment", "count"),
                "growth_text": f"{growth_text} (US {formatting.change(g['us_growth'])})",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "sector",
            "class",
            "rank",
            "label",
            "lq",
            "lq_low",
            "lq_high",
            "growth_vs_us",
            "jobs",
            "lq_text",
            "jobs_text",
            "growth_text",
        ],
    )


def legend_jobs(jobs: pd.Series) -> list[float]:
    """Three round job counts for the size legend (a quarter, a half and all of the largest), none of them 0."""
    top = float(jobs.max()) if len(jobs) and pd.notna(jobs.max()) and jobs.max() > 0 else 0.0
    if not top:
        return [1.0]
    out = []
    for share in (0.25, 0.5, 1.0):
        value = top * share
        digits = max(0, int(math.floor(math.log10(value))) - 1)
        rounded = round(value / 10**digits) * 10**digits
        if rounded > 0 and rounded not in out:
            out.append(float(rounded))
    return out


def lq_axis_top(points: pd.DataFrame) -> float:
    """Top of the LQ axis: room for every bubble (at its LQ or its estimate) and the US line at 1,
    not for the longest range bar, which would squash the bubbles at the bottom (a range can reach 35)."""
    top = max(float(points["lq"].max()) * 1.2 if len(points) else 0.0, 2.0)
    return math.ceil(top * 2) / 2


#: The growth axis spans at most this far either side of the US (a share of jobs): a sector further out sits
#: at the edge, its figure in the tooltip, so one outlier does not squeeze the rest into a corner.
GROWTH_AXIS_MAX = 0.25
#: What label placement assumes of the chart at 1280 x 720 (plot pixels) and of its bold 13 px type.
PLOT_PX = (560, 420)
CHAR_PX, LINE_PX = 7.8, 16


def growth_domain(growth: pd.Series) -> tuple[float, float]:
    """The growth axis: the points' span with a margin, 0 included, at most :data:`GROWTH_AXIS_MAX` either side."""
    values = growth.dropna().astype("float64")
    lo = min(float(values.min()) if len(values) else -0.05, 0.0)
    hi = max(float(values.max()) if len(values) else 0.05, 0.0)
    pad = max((hi - lo) * 0.08, 0.01)
    return max(lo - pad, -GROWTH_AXIS_MAX), min(hi + pad, GROWTH_AXIS_MAX)


def place_labels(data: pd.DataFrame, x_domain: tuple[float, float], y_domain: tuple[float, float]) -> pd.DataFrame:
    """Where each named bubble's label goes: right of it, left, above or below, the first place inside the plot
    that no earlier (higher-ranked) label or bubble takes; a label with no such place is dropped (the tooltip
    still names the sector). Adds ``label_x``, ``label_y`` (the label's top-left corner, data units) and
    ``leader_x``, ``leader_y`` (where a leader from the bubble meets the label)."""
    width, height = PLOT_PX
    (x0, x1), (y0, y1) = x_domain, y_domain

    def px(x, y):
        return (x - x0) / (x1 - x0) * width, (y1 - min(y, y1)) / (y1 - y0) * height

    def data_of(px_x, px_y):
        return x0 + px_x / width * (x1 - x0), y1 - px_y / height * (y1 - y0)

    jobs = data["jobs"].astype("float64").fillna(0)
    biggest = float(jobs.max()) if len(jobs) and jobs.max() > 0 else 1.0
    centres = [px(gx, lq) for gx, lq in zip(data["growth_shown"], data["lq"])]
    radii = [math.sqrt((60 + 1540 * j / biggest) / math.pi) for j in jobs]
    taken = [(cx - r, cy - r, cx + r, cy + r) for (cx, cy), r in zip(centres, radii)]
    out = {k: [None] * len(data) for k in ("label", "label_x", "label_y", "leader_x", "leader_y")}

    def free(box, own):
        return (
            box[0] >= 0
            and box[2] <= width
            and box[1] >= 0
            and box[3] <= height
            and not any(
                i != own and box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for i, b in enumerate(taken)
            )
        )

    for i in data.sort_values("rank").index.tolist():
        pos = data.index.get_loc(i)
        name = data.at[i, "label"]
        if not name:
            out["label"][pos] = ""
            continue
        (cx, cy), r = centres[pos], radii[pos]
        w, h = CHAR_PX * len(name), LINE_PX
        for left, top_px in (
            (cx + r + 4, cy - h / 2),
            (cx - r - 4 - w, cy - h / 2),
            (cx - w / 2, cy - r - 3 - h),
            (cx - w / 2, cy + r + 3),
            (cx + r + 4, cy - r - h),
            (cx - r - 4 - w, cy - r - h),
            (cx + r + 4, cy + r),
            (cx - r - 4 - w, cy + r),
        ):
            box = (left, top_px, left + w, top_px + h)
            if free(box, pos):
                taken.append(box)
                out["label"][pos] = name
                out["label_x"][pos], out["label_y"][pos] = data_of(left, top_px)
                near_x = min(max(cx, left), left + w)
                near_y = min(max(cy, top_px), top_px + h)
                out["leader_x"][pos], out["leader_y"][pos] = data_of(near_x, near_y)
                break
        else:
            out["label"][pos] = ""
    return data.assign(**{k: pd.Series(v, index=data.index, dtype=object) for k, v in out.items()})


def sector_bubbles(candidates: list[dict], year: int, span: dict | None = None) -> alt.LayerChart:
    """LQ in ``year`` against employment growth relative to the US (over :func:`growth_span`);
    bubble area = jobs; colour = class; the top-ranked sectors named.

    Where suppression leaves a range, the bubble sits at the labelled estimate and a vertical bar spans
    the range; a bar above the axis (:func:`lq_axis_top`) stops there with an arrow head.
    """
    data = candidate_points(candidates, span)
    start, end = growth_span(year, span)
    top = lq_axis_top(data)
    west, east = growth_domain(data["growth_vs_us"])
    data = data.assign(
        lq_shown=data["lq_high"].clip(upper=top),
        cut=data["lq_high"] > top,
        growth_shown=data["growth_vs_us"].clip(west, east),
    )
    data = place_labels(data, (west, east), (0.0, top))
    base = alt.Chart(data)
    color = alt.Color(
        "class:N",
        scale=alt.Scale(domain=list(CLASS_COLORS), range=list(CLASS_COLORS.values())),
        title="Class",
        legend=alt.Legend(**LEGEND, columns=5),
    )
    tooltip = [
        alt.Tooltip("sector:N", title="Sector"),
        alt.Tooltip("class:N", title="Class"),
        alt.Tooltip("lq_text:N", title=f"LQ {year}"),
        alt.Tooltip("growth_text:N", title=f"Change {start}-{end}"),
        alt.Tooltip("jobs_text:N", title=f"Jobs {year}"),
    ]
    # whole percentage points at least, so no two ticks read the same ("-2% -2% -1%")
    x = alt.X(
        "growth_shown:Q",
        title=f"Employment change {start}-{end} minus US change",
        scale=alt.Scale(domain=[west, east], nice=False),
        axis=alt.Axis(format="+.0%", tickMinStep=0.01, **AXIS),
    )
    y = alt.Y(
        "lq:Q",
        title=f"Location quotient, {year} (1 = US share)",
        scale=alt.Scale(domain=[0, top], clamp=True),
        axis=alt.Axis(**AXIS),
    )
    size = alt.Size(
        "jobs:Q",
        title="Jobs",
        scale=alt.Scale(range=[60, 1600]),
        legend=alt.Legend(
            **LEGEND,
            format=",.0f",
            values=legend_jobs(data["jobs"]),
            symbolFillColor="#8c8c8c",
            symbolStrokeColor="#333",
        ),
    )
    points = base.mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(
        x=x, y=y, size=size, color=color, tooltip=tooltip
    )
    ranges = (
        base.transform_filter("datum.lq_high > datum.lq_low")
        .mark_rule(strokeWidth=2)
        .encode(x=x, y="lq_low:Q", y2="lq_shown:Q", color=color)
    )
    cut = (
        base.transform_filter("datum.cut")
        .mark_point(shape="triangle-up", filled=True, size=90, aria=False)
        .encode(x=x, y=alt.Y("lq_shown:Q"), color=color)
    )
    # names where :func:`place_labels` found room for them (no two overlap), a thin leader to their bubble
    named = base.transform_filter("datum.label != ''")
    label_x = alt.X("label_x:Q", scale=alt.Scale(domain=[west, east], nice=False))
    label_y = alt.Y("label_y:Q", scale=alt.Scale(domain=[0, top], clamp=True))
    labels = named.mark_text(
        align="left", baseline="top", fontSize=13, fontWeight="bold", color="#1a1a1a", aria=False
    ).encode(x=label_x, y=label_y, text="label:N") + named.mark_rule(color="#555", strokeWidth=0.7, aria=False).encode(
        x=x, y=y, x2="leader_x:Q", y2="leader_y:Q"
    )
    rule_lq = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4], color="#666").encode(y="y:Q")
    rule_g = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4], color="#666").encode(x="x:Q")
    return (ranges + cut + points + labels + rule_lq + rule_g).properties(
        height=420,
        description=f"Candidate sectors: location quotient {year} against employment change "
        f"{start}-{end} relative to the US; bubble area is jobs; the top {LABELLED} are named.",
    )


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
    return (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            # whole labels: "Households without a vehicle", not "Households with..."
            y=alt.Y("indicator:N", title=None, sort=None, axis=alt.Axis(labelLimit=0, labelFontSize=13)),
            yOffset=alt.YOffset("place:N", sort=places),
            x=alt.X("value:Q", title="Share", axis=alt.Axis(format=".0%", tickMinStep=0.01, **AXIS)),
            color=alt.Color(
                "place:N",
                sort=places,
                scale=alt.Scale(range=["#0072B2", "#E69F00", "#999999"]),
                title=None,
                legend=alt.Legend(orient="top", labelFontSize=13, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("value:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=alt.Step(10), description="Workforce shares of the region against its state and the US.")
    )


def trend_rows(trend: dict) -> pd.DataFrame:
    """The profile's ``establishment_trend`` as a long table: sector, year, employment."""
    rows = [
        {"sector": s["name"], "year": y["year"], "employment": y["employment"]}
        for s in trend.get("sectors", [])
        for y in s["years"]
    ]
    return pd.DataFrame(rows, columns=["sector", "year", "employment"])


def trend_span(rows: pd.DataFrame) -> str:
    """The years a trend table covers ("2017-2021"): the region's own, not every year the source publishes
    (Kentucky's county files stop a year before others)."""
    years = sorted(set(rows["year"].astype(int)))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def trend_lines(rows: pd.DataFrame) -> alt.Chart:
    """Employment per year, one line per sector (County Business Patterns), each named at its end; names whose
    lines end close together are spread apart so no two overlap (the lines name themselves: no legend)."""
    base = alt.Chart(rows).encode(
        x=alt.X("year:O", title="Year (mid-March)"),
        y=alt.Y("employment:Q", title="Jobs (County Business Patterns)", axis=alt.Axis(format=",d")),
        color=alt.Color("sector:N", title="Sector", legend=None),
        tooltip=[alt.Tooltip("sector:N"), alt.Tooltip("year:O"), alt.Tooltip("employment:Q", format=",d")],
    )
    ends = trend_label_rows(rows)
    names = (
        alt.Chart(ends)
        .mark_text(align="left", dx=8, baseline="middle", fontSize=12)
        .encode(
            x="year:O",
            y=alt.Y("label_y:Q"),
            text="sector:N",
            color=alt.Color("sector:N", legend=None),
        )
    )
    return (base.mark_line(point=True) + names).properties(height=TREND_PX)


#: The trend chart's plot height, and the room one name takes in it (pixels).
TREND_PX, TREND_LINE_PX = 320, 16


def trend_label_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Each sector's last point with ``label_y``: its value, moved up just enough to clear the name below it."""
    if rows.empty:
        return rows.assign(label_y=pd.Series(dtype="float64"))
    last = rows[rows["year"] == rows["year"].max()].sort_values("employment").copy()
    low = float(min(rows["employment"].min(), 0))
    top = float(rows["employment"].max())
    values = last["employment"].astype("float64").tolist()
    # the names widen the axis they sit on, which shrinks a job's height: settle the spacing on the widened axis
    # (with room for the axis's rounding to a nice number)
    for _ in range(6):
        gap = max(top - low, 1.0) * 2.0 * TREND_LINE_PX / TREND_PX
        placed, y = [], None
        for value in values:
            y = value if y is None else max(value, y + gap)
            placed.append(y)
        top = max(top, placed[-1])
    last["label_y"] = placed
    return last


#: BLS's entry-education categories as the careers chart writes them (short enough for a projector's column).
EDUCATION_SHORT = {
    "No formal educational credential": "No formal credential",
    "High school diploma or equivalent": "High school diploma",
    "Some college, no degree": "Some college",
    "Postsecondary nondegree award": "Postsecondary award",
    "Associate's degree": "Associate's degree",
    "Bachelor's degree": "Bachelor's degree",
    "Master's degree": "Master's degree",
    "Doctoral or professional degree": "Doctoral/professional",
}
#: Entry-education rungs of the careers ladder, lowest first, with a colour each (Okabe-Ito).
RUNG_COLORS = {
    "No credential or high school diploma": "#D55E00",
    "Postsecondary award, some college or associate's degree": "#0072B2",
    "Bachelor's degree or more": "#009E73",
}


def career_points(careers, top: int = 20) -> pd.DataFrame:
    """The top occupations of a :class:`careers.Careers` by share, one row each, ready for :func:`career_ladder`:
    entry education (in BLS's order), median wage (top-coded wages at the top bound, marked), estimated jobs."""
    from dashboard.analysis.careers import EDUCATION_ORDER, RUNG_LABEL, top_coded_wage

    bound = top_coded_wage()
    rows = []
    for o in careers.occupations[:top]:
        wage = o.wage if o.wage is not None else bound if o.wage_topcoded else None
        if o.education is None or wage is None:
            continue
        title = o.title if len(o.title) <= 34 else o.title[:32].rstrip() + "..."
        if any(r["label"] == title for r in rows):
            title = f"{title} ({o.code})"
        rows.append(
            {
                "occupation": o.title,
                "label": title,
                "education": o.education,
                "education_short": EDUCATION_SHORT.get(o.education, o.education),
                "order": EDUCATION_ORDER.index(o.education),
                "rung": RUNG_LABEL[o.rung],
                "wage": wage,
                "wage_text": ("at least " if o.wage_topcoded else "") + formatting.money(wage),
                "jobs": o.jobs if o.jobs is not None else o.share,
                "jobs_text": formatting.count(o.jobs),
                "share_text": formatting.share(o.share),
                "wage_area": o.wage_area,
                "training": o.training or formatting.NA,
                "openings_text": formatting.count(o.openings),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "occupation",
            "label",
            "education",
            "education_short",
            "order",
            "rung",
            "wage",
            "wage_text",
            "jobs",
            "jobs_text",
            "share_text",
            "wage_area",
            "training",
            "openings_text",
        ],
    )


def career_ladder(careers, top: int = 15) -> alt.HConcatChart:
    """The sector's top occupations, one row each, grouped by the education they need to enter (lowest first)
    and by wage within it: the entry education written at the left, the occupation's median wage as a point
    whose area is its estimated jobs in the region, and a dashed line at the state's median wage for all
    occupations. Every row is labelled and the type is large, for a projector."""
    from dashboard.analysis.careers import projection_span

    data = career_points(careers, top)
    data = data.sort_values(["order", "wage"], ascending=[True, False], kind="stable")
    rows = list(data["label"])
    y = alt.Y("label:N", sort=rows, title=None)
    rung_scale = alt.Scale(domain=list(RUNG_COLORS), range=list(RUNG_COLORS.values()))
    color = alt.Color("rung:N", title="Education to enter", scale=rung_scale, legend=None)
    tooltip = [
        alt.Tooltip("occupation:N", title="Occupation"),
        alt.Tooltip("education:N", title="Entry education"),
        alt.Tooltip("training:N", title="On-the-job training"),
        alt.Tooltip("wage_text:N", title="Median wage"),
        alt.Tooltip("wage_area:N", title="Wage from"),
        alt.Tooltip("jobs_text:N", title="Estimated jobs"),
        alt.Tooltip("share_text:N", title="Share of the sector's jobs"),
        alt.Tooltip("openings_text:N", title=f"US openings a year, {projection_span()}"),
    ]
    height = alt.Step(34)
    entry = (
        alt.Chart(data)
        .mark_text(align="left", fontSize=13)
        .encode(
            y=y.axis(None),
            text="education_short:N",
            color=alt.Color("rung:N", scale=rung_scale, legend=None),
        )
        .properties(width=120, height=height, title=alt.TitleParams("Education to enter", fontSize=13, anchor="start"))
    )
    x = alt.X(
        "wage:Q",
        title="Median annual wage",
        # the end labels sit inside the plot, so "$200,000" is never cut at the column's edge
        axis=alt.Axis(format="$,.0f", labelFontSize=13, titleFontSize=13, tickCount=5, labelFlush=True),
    )
    jobs = data["jobs"] if "jobs" in data else pd.Series(dtype="float64")
    sizes = legend_jobs(jobs) if len(jobs) and float(jobs.max()) >= 4 else None
    points = (
        alt.Chart(data)
        .mark_circle(opacity=0.85, stroke="#222", strokeWidth=0.6)
        .encode(
            x=x,
            y=y.axis(alt.Axis(labelFontSize=13, labelLimit=210)),
            size=alt.Size(
                "jobs:Q",
                title="Estimated jobs",
                scale=alt.Scale(range=[80, 1200]),
                # round counts, or no size legend where jobs are too few to round ("0 0 0 1 1 1 1")
                legend=alt.Legend(orient="bottom", labelFontSize=13, titleFontSize=13, format=",.0f", values=sizes)
                if sizes
                else None,
            ),
            color=color,
            tooltip=tooltip,
        )
    )
    layers = [points]
    title = None
    if careers.state_median_wage is not None:
        line = pd.DataFrame({"wage": [careers.state_median_wage]})
        layers.append(alt.Chart(line).mark_rule(strokeDash=[6, 4], color="#444", strokeWidth=1.5).encode(x="wage:Q"))
        # said in the title, not beside the line, where it ran past the chart's edge
        title = alt.TitleParams(
            f"Dashed line: {careers.state_name} median wage, all jobs ({formatting.money(careers.state_median_wage)})",
            fontSize=13,
            fontWeight="normal",
            anchor="start",
        )
    chart = alt.layer(*layers).properties(width=300, height=height)
    if title is not None:
        chart = chart.properties(title=title)
    return alt.hconcat(entry, chart, spacing=6).resolve_scale(y="shared", color="shared")


#: Seat levels' colours in the matrix grid, most needed darkest.
LEVEL_COLORS = {
    "strongly recommended": "#B2182B",
    "recommended": "#EF8A62",
    "core": "#D1E5F0",
    "not indicated": "#F7F7F7",
    "not assessed": "#BDBDBD",
}


def seat_label(name: str) -> str:
    """A seat's name short enough to head a grid column: its first clause where that says enough ("Community and
    technical colleges"), else the whole name ("K-12, career and technical education and youth programs")."""
    first = re.split(r"[,:]", name, maxsplit=1)[0].strip()
    return first if len(first) >= 12 else name


def seat_grid(cells: pd.DataFrame, regions_order: list[str], seats: list[tuple[str, str]]) -> alt.Chart:
    """The seat matrix as a grid: a row per region (in ``regions_order``), a column per seat; colour = level,
    the figure that decided it on hover."""
    short = {sid: seat_label(name) for sid, name in seats}
    data = cells.assign(seat_label=cells["seat_id"].map(short))
    return (
        alt.Chart(data)
        .mark_rect(stroke="#fff", strokeWidth=1)
        .encode(
            x=alt.X(
                "seat_label:N",
                sort=[short[s] for s, _ in seats],
                title=None,
                axis=alt.Axis(orient="top", labelAngle=-55, labelFontSize=13, labelLimit=220, labelOverlap=False),
            ),
            y=alt.Y("region_name:N", sort=regions_order, title=None, axis=alt.Axis(labelFontSize=13, labelLimit=300)),
            color=alt.Color(
                "level:N",
                title="Level",
                scale=alt.Scale(domain=list(LEVEL_COLORS), range=list(LEVEL_COLORS.values())),
                # whole labels ("not indicated", "not assessed"), several columns so they fit the grid's width
                legend=alt.Legend(orient="bottom", labelFontSize=13, titleFontSize=14, labelLimit=0, columns=3),
            ),
            tooltip=[
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("seat:N", title="Seat"),
                alt.Tooltip("level:N", title="Level"),
                alt.Tooltip("figure:N", title="Figure"),
            ],
        )
        .properties(height=alt.Step(22), width=alt.Step(34))
    )


#: Colours of up to six compared regions (Okabe-Ito), distinct in colour and, printed grey, in shape order.
REGION_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
#: An LQ axis ends here at most: a region whose range runs further is drawn to the edge (its tooltip has it),
#: so one outlier does not squeeze every other sector against zero.
LQ_AXIS_MAX = 4.0


def compare_lq(rows: pd.DataFrame) -> alt.Chart:
    """Compare: the LQ of each candidate sector in each region, a dot at the published figure or the estimate
    and a bar across the range suppression leaves; one row per sector, a colour and shape per region."""
    regions = list(dict.fromkeys(rows["region"]))
    top = float(rows["lq_high"].max()) if rows["lq_high"].notna().any() else 1.0
    axis_max = max(1.5, min(LQ_AXIS_MAX, math.ceil(top * 2) / 2))
    base = alt.Chart(rows).encode(
        y=alt.Y("sector:N", title=None, sort=None, axis=alt.Axis(labelLimit=0, labelFontSize=13)),
        yOffset=alt.YOffset("region:N", sort=regions),
        color=alt.Color(
            "region:N",
            sort=regions,
            scale=alt.Scale(range=REGION_COLORS[: len(regions)]),
            title=None,
            legend=alt.Legend(orient="top", labelFontSize=13, labelLimit=0, columns=2),
        ),
        tooltip=[
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("sector:N", title="Sector"),
            alt.Tooltip("lq_estimate:Q", title="LQ (published or estimate)", format=".2f"),
            alt.Tooltip("lq_low:Q", title="Low", format=".2f"),
            alt.Tooltip("lq_high:Q", title="High", format=".2f"),
            alt.Tooltip("verdict:N", title="Verdict"),
        ],
    )
    scale = alt.Scale(domain=[0, axis_max], clamp=True, nice=False)
    ranges = base.mark_rule(strokeWidth=3, opacity=0.45).encode(
        x=alt.X("lq_low:Q", title="Location quotient (1 = the US share)", scale=scale, axis=alt.Axis(**AXIS)),
        x2="lq_high:Q",
    )
    dots = base.mark_point(filled=True, size=70).encode(
        x=alt.X("lq_estimate:Q", scale=scale),
        shape=alt.Shape("region:N", sort=regions, legend=None),
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#333", strokeDash=[4, 3]).encode(x="x:Q")
    return (ranges + dots + one).properties(
        height=alt.Step(9),
        description="Location quotient of each candidate sector in each compared region, with suppression ranges.",
    )


def compare_workforce(rows: pd.DataFrame) -> alt.Chart:
    """Compare: each workforce share, one bar per region, indicators as rows."""
    regions = list(dict.fromkeys(rows["region"]))
    shares = rows[rows["format"] == "share"]
    return (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            y=alt.Y("indicator:N", title=None, sort=None, axis=alt.Axis(labelLimit=0, labelFontSize=13)),
            yOffset=alt.YOffset("region:N", sort=regions),
            x=alt.X("value:Q", title="Share", axis=alt.Axis(format=".0%", tickMinStep=0.01, **AXIS)),
            color=alt.Color(
                "region:N",
                sort=regions,
                scale=alt.Scale(range=REGION_COLORS[: len(regions)]),
                title=None,
                legend=alt.Legend(orient="top", labelFontSize=13, labelLimit=0, columns=2),
            ),
            tooltip=[
                alt.Tooltip("region:N", title="Region"),
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("value:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=alt.Step(8), description="Workforce shares of the compared regions.")
    )
