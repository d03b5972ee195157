"""Choropleth classes: measures, class breaks, colour-blind-safe palettes, fills and tooltip texts.

The map itself (Leaflet only, names and values set as text) is drawn by
:mod:`dashboard.maps.layer`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis import formatting

#: Leaflet is the only library a choropleth with tooltips needs; folium's
#: default list also pulls jQuery, Bootstrap, Font Awesome and marker plugins.
#: The app's own server serves it, from the installed XStatic-Leaflet package
#: (dashboard/ui/static_files.py copies its files to static/leaflet/, served at
#: app/static/leaflet/): the map fetches nothing from any other host. The URLs are
#: relative to streamlit-folium's frame, <server>/component/<component>/index.html,
#: so they hold under a server.baseUrlPath too.
LEAFLET_FOLDER = "leaflet"
LEAFLET_JS = f"../../app/static/{LEAFLET_FOLDER}/leaflet.js"
LEAFLET_CSS = f"../../app/static/{LEAFLET_FOLDER}/leaflet.css"

#: A neutral grey darker than any class fill at its palest, so "no data" is never read as a faded class.
NO_DATA = "#b3b3b3"
#: Fill opacity by how a region's class is known: a published figure, a range inside one class
#: (determined), or a range spanning classes classed by its labelled estimate (likely).
OPACITY = {"published": 0.85, "determined": 0.55, "likely": 0.25, "at least": 0.25}
#: Legend swatch of each kind of fill (a neutral grey at that opacity) and what it says.
STATUS_LEGEND = {
    "published": "full colour: published figure",
    "determined": "paler: cells suppressed, but every value the published figures allow is in this class",
    "likely": "palest: cells suppressed and the range spans classes; coloured by the estimate's class (likely)",
    "at least": "palest: cells suppressed and the range spans classes; coloured by its low end (at least)",
}
#: ColorBrewer palettes that stay distinct for the common colour-vision deficiencies.
SEQUENTIAL = {
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
DIVERGING5 = ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"]
#: Bivariate 3 x 3 (low-skill a..c by low-income 1..3), after J. Stevens' teal-pink scheme.
BIVARIATE = {
    "a1": "#e8e8e8",
    "a2": "#e4acac",
    "a3": "#c85a5a",
    "b1": "#b0d5df",
    "b2": "#ad9ea5",
    "b3": "#985356",
    "c1": "#64acbe",
    "c2": "#627f8c",
    "c3": "#574249",
}


@dataclass(frozen=True)
class Measure:
    """How one column is mapped: label, unit, number format and class rule."""

    id: str
    label: str
    column: str
    kind: str  # a formatting kind: share, money, count, ratio, change
    low: str | None = None
    high: str | None = None
    bins: tuple[float, ...] | None = None  # fixed upper bounds; None = quintiles of the view
    note: str = ""
    estimate: str | None = None  # the labelled estimate inside the range, where cells are suppressed


#: Industry measures a map offers; "change" (between two loaded years) only when two years are loaded.
INDUSTRY_MEASURE_IDS = ("lq", "employment", "estabs", "avg_annual_pay", "growth", "change")


def industry_measures(year: int, since: int | None = None) -> dict[str, Measure]:
    """The industry measures of a map of ``year``, labelled with their years; with ``since``
    (an earlier loaded year) also the change from ``since`` to ``year``."""
    out = [
        Measure(
            "lq",
            f"Location quotient, {year} (1.00 = US share)",
            "lq",
            "ratio",
            "lq_low",
            "lq_high",
            bins=(0.5, 0.8, 1.25, 2.0),
            note="above 1.25 = concentrated, below 0.8 = under-represented",
            estimate="lq_estimate",
        ),
        Measure(
            "employment",
            f"Private employment, {year} (jobs)",
            "employment",
            "count",
            "emp_low",
            "emp_high",
            estimate="employment_estimate",
        ),
        Measure("estabs", f"Private establishments, {year}", "estabs", "count"),
        Measure(
            "avg_annual_pay",
            f"Average annual pay, {year}",
            "avg_annual_pay",
            "money",
            "pay_low",
            "pay_high",
            estimate="pay_estimate",
        ),
        Measure(
            "growth",
            f"Employment change {year - 1}-{year} (as published)",
            "growth",
            "change",
            "growth_low",
            "growth_high",
            bins=(-0.05, -0.01, 0.01, 0.05),
            estimate="growth_estimate",
        ),
    ]
    if since is not None:
        out.append(
            Measure(
                "change",
                f"Employment change {since}-{year}",
                "span_growth",
                "change",
                "span_growth_low",
                "span_growth_high",
                bins=(-0.1, -0.02, 0.02, 0.1),
                note="where cells are suppressed in either year: the range both years' figures allow",
                estimate="span_growth_estimate",
            )
        )
    return {m.id: m for m in out}


@dataclass(frozen=True)
class Classes:
    """Class per region (-1 = no data), how each class is known, and the legend.

    ``status`` per region: ``published`` (a published figure), ``determined``
    (cells suppressed, but the whole range lies in one class), ``likely`` (the
    range spans classes: the class of the labelled estimate inside it), ``at
    least`` (spans classes and no estimate: the class of its low end), or
    ``none`` (no data). Each is drawn distinctly (:data:`OPACITY`).
    """

    index: pd.Series
    status: pd.Series
    colors: tuple[str, ...]
    labels: tuple[str, ...]

    def fill(self, i: int, status: str = "published") -> tuple[str, float]:
        if i < 0:
            return NO_DATA, 0.85
        return self.colors[i], OPACITY.get(status, 0.85)

    def legend(self) -> list[tuple[str, str]]:
        """(swatch colour, label): each class, how faded fills read, "no data". Each swatch is the colour the map
        shows (the fill at its opacity over the map's white ground); the faded ones in the strongest class's
        colour, as the map fades class colours, never grey."""
        out = [(on_white(c, OPACITY["published"]), label) for c, label in zip(self.colors, self.labels)]
        shown = set(self.status)
        if shown & {"determined", "likely", "at least"}:
            for status in ("published", "determined", "likely", "at least"):
                if status in shown:
                    out.append((on_white(self.colors[-1], OPACITY[status]), STATUS_LEGEND[status]))
        if (self.index == -1).any():
            out.append((on_white(NO_DATA, OPACITY["published"]), "no data"))
        return out


def on_white(color: str, opacity: float) -> str:
    """``color`` (#rrggbb) at ``opacity`` over white, as one opaque #rrggbb: what a swatch must show to match."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - v) * opacity):02x}" for v in rgb)


def _bins(values: pd.Series, measure: Measure) -> np.ndarray:
    known = values.dropna().to_numpy(dtype="float64")
    if measure.bins is not None:
        # fixed breaks and a top above every value: what mapclassify.UserDefined returns, without importing
        # mapclassify (and scipy, a second of a cold start) for the default map
        top = max(float(known.max()) if known.size else 0.0, measure.bins[-1]) + 1.0
        return np.array(list(measure.bins) + [top], dtype="float64")
    import mapclassify

    k = min(5, len(np.unique(known)))
    if k < 2:
        return np.array([known.max()]) if known.size else np.array([0.0])
    bins = mapclassify.Quantiles(known, k=k).bins
    if _whole_numbers(known, measure):
        # counts are whole numbers: a break at 1.4 splits them where 1 does, and labels it "1" (so "1 to 1")
        bins = np.unique(np.floor(bins))
    return bins


def _whole_numbers(values: np.ndarray, measure: Measure) -> bool:
    return measure.kind == "count" and bool(np.all(np.mod(values, 1) == 0))


def _column(table: pd.DataFrame, name: str | None) -> pd.Series:
    if name and name in table:
        return table[name].astype("float64")
    return pd.Series(np.nan, index=table.index, dtype="float64")


def published_values(table: pd.DataFrame, measure: Measure) -> pd.Series:
    """The measure's published figure per region: missing where cells are suppressed.

    For measures with an estimate, a figure counts as published only where
    nothing is suppressed and its range is a single value (pay and one-year
    growth are also given for the disclosed cells alone; those are not the
    region's figure).
    """
    values = _column(table, measure.column)
    if measure.estimate:
        if "suppressed_areas" in table:
            values = values.where(table["suppressed_areas"].fillna(0) == 0)
        lo, hi = _column(table, measure.low), _column(table, measure.high)
        values = values.where(lo.isna() | hi.isna() | (lo == hi))
    return values


def classify(table: pd.DataFrame, measure: Measure) -> Classes:
    """Class breaks (mapclassify) over the view. A region with suppressed cells takes the class its
    whole range lies in (determined), else its estimate's class (likely), never a guessed figure
    presented as published."""
    values = published_values(table, measure)
    lo, hi, est = _column(table, measure.low), _column(table, measure.high), _column(table, measure.estimate)
    bins = _bins(values.fillna(est).fillna(lo), measure)
    k = len(bins)
    palette = DIVERGING5 if measure.bins is not None and k == 5 else SEQUENTIAL.get(k, SEQUENTIAL[5][:k])

    def bin_of(x):
        return np.minimum(np.searchsorted(bins, x, side="left"), k - 1)

    index = pd.Series(-1, index=table.index, dtype="int64")
    status = pd.Series("none", index=table.index, dtype=object)
    exact = values.notna()
    index[exact] = bin_of(values[exact].to_numpy())
    status[exact] = "published"
    has_range = ~exact & lo.notna() & hi.notna()
    a, b = bin_of(lo[has_range].to_numpy()), bin_of(hi[has_range].to_numpy())
    e = est[has_range].to_numpy()
    with_est = ~np.isnan(e)
    index[has_range] = np.where(a == b, a, np.where(with_est, bin_of(np.nan_to_num(e)), a))
    status[has_range] = np.where(a == b, "determined", np.where(with_est, "likely", "at least"))
    fmt = formatting.FORMATS[measure.kind]
    # whole-number breaks: a class holds the counts from one above the previous break up to its own
    whole = measure.bins is None and _whole_numbers(np.asarray(bins), measure)
    labels, lower = [], None
    for i, upper in enumerate(bins):
        if i == 0:
            labels.append(fmt(upper) if whole and upper == 0 else f"up to {fmt(upper)}")
        elif i == k - 1 and measure.bins is not None:
            labels.append(f"above {fmt(lower)}")
        elif whole:
            labels.append(fmt(upper) if lower + 1 == upper else f"{fmt(lower + 1)} to {fmt(upper)}")
        else:
            labels.append(f"{fmt(lower)} to {fmt(upper)}")
        lower = upper
    return Classes(index, status, tuple(palette[:k]), tuple(labels))


def _published_value(row: pd.Series, measure: Measure):
    """:func:`published_values` for one row."""
    value = row.get(measure.column)
    if not measure.estimate or formatting.missing(value):
        return value
    suppressed = row.get("suppressed_areas")
    if not formatting.missing(suppressed) and suppressed > 0:
        return None
    low = row.get(measure.low) if measure.low else None
    high = row.get(measure.high) if measure.high else None
    if not formatting.missing(low) and not formatting.missing(high) and low != high:
        return None
    return value


def value_text(row: pd.Series, measure: Measure) -> str:
    """A region's value as the tooltip shows it: the published figure, or the range with the labelled
    estimate and how many counties are suppressed."""
    low = row.get(measure.low) if measure.low else None
    high = row.get(measure.high) if measure.high else None
    value = _published_value(row, measure)
    fmt = formatting.FORMATS[measure.kind]
    if formatting.missing(value) and not formatting.missing(low) and high is not None and np.isposinf(float(high)):
        text = f"at least {fmt(low)}"
    else:
        text = formatting.value_or_range(value, low, high, measure.kind)
    estimate = row.get(measure.estimate) if measure.estimate else None
    ranged = formatting.missing(value) and not formatting.missing(low)
    if ranged and not formatting.missing(estimate) and formatting.is_range(text):
        text += f", estimate {fmt(estimate)}"
    suppressed = row.get("suppressed_areas")
    if measure.low and suppressed is not None and not pd.isna(suppressed) and suppressed > 0:
        areas = int(row["areas"])
        text += " (suppressed)" if areas == 1 else f" ({int(suppressed)} of {areas} counties suppressed)"
    return text


def fills(table: pd.DataFrame, classes: Classes) -> dict[str, tuple[str, float]]:
    """Region id -> (fill colour, opacity)."""
    return {rid: classes.fill(int(i), st) for rid, i, st in zip(table["region_id"], classes.index, classes.status)}


def external_links(m) -> list[str]:
    """Every script and stylesheet a folium map asks the browser to fetch, as streamlit-folium collects them."""
    links = []

    def walk(el):
        links.extend(src for _, src in getattr(el, "default_js", []))
        links.extend(href for _, href in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(links))


def workforce_measures() -> dict[str, Measure]:
    """A map measure per workforce indicator, plus the nonmetro (rural) population share."""
    from dashboard.analysis.workforce import INDICATORS
    from dashboard.maps.data import NONMETRO

    out = {i.id: Measure(i.id, i.label, i.id, i.format) for i in INDICATORS.values()}
    out[NONMETRO] = Measure(NONMETRO, "People living in nonmetro counties (USDA RUCC 4-9)", NONMETRO, "share")
    return out


def bivariate_fills(table: pd.DataFrame, classes: pd.Series) -> dict[str, tuple[str, float]]:
    """Region id -> fill for the low-skill x low-income classes ("a1".."c3", missing = no data)."""
    return {
        rid: (BIVARIATE.get(c, NO_DATA) if isinstance(c, str) else NO_DATA, 0.85)
        for rid, c in zip(table["region_id"], classes)
    }
