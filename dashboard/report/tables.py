"""Display tables: what the pages show and the CSVs hold, built from the measures.

Exact figures stay numbers (so tables sort); where suppression leaves only a
range, the number is missing and a text column gives the range. Numeric
``*_low``, ``*_estimate`` and ``*_high`` columns (for the CSVs) carry the range
and the labelled estimate inside it; a published figure is its own low,
estimate and high. On screen, :func:`for_display` shows the range with its
estimate and leaves those columns out.
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis import formatting, sectors
from dashboard.maps.classes import Measure

#: The verdict shown where the published figure is no jobs at all: a class needs a growth figure, which a sector
#: without jobs cannot have, and "0.00 (undetermined)" reads as if the data were missing.
NO_JOBS = "no jobs here (published)"


def shown_verdict(verdict, employment) -> str:
    """The verdict as tables show it: :data:`NO_JOBS` where the published jobs are 0, else the verdict."""
    if not formatting.missing(employment) and float(employment) == 0:
        return NO_JOBS
    return verdict


def lq_filter(table: pd.DataFrame, lq_min: float) -> pd.Series:
    """Flag "yes" where the LQ is at least ``lq_min`` (or its whole range is), "possibly" where the range straddles it, else "no"."""
    lq, lo, hi = (table[c].astype("float64") for c in ("lq", "lq_low", "lq_high"))
    certain = (lq >= lq_min) | (lq.isna() & (lo >= lq_min))
    possible = lq.isna() & (lo < lq_min) & (hi >= lq_min)
    return pd.Series("no", index=table.index).mask(possible, "possibly").mask(certain, "yes")


def _col(t: pd.DataFrame, name: str) -> pd.Series:
    return t[name].astype("float64") if name in t else pd.Series(float("nan"), index=t.index)


def ranked_industry(table: pd.DataFrame, lq_min: float = 0.0) -> pd.DataFrame:
    """Regions ranked by LQ (a range ranks by its estimate, or its lower bound without one), with the filter applied."""
    t = table.copy()
    t["meets"] = lq_filter(t, lq_min)
    t = t[t["meets"] != "no"] if lq_min > 0 else t
    rank = t["lq"].astype("float64").fillna(_col(t, "lq_estimate")).fillna(t["lq_low"].astype("float64"))
    t = t.assign(_rank=rank).sort_values(["_rank", "region_name"], ascending=[False, True])
    # pay and growth of the disclosed cells are not the region's figures where cells are suppressed:
    # a point is shown only where nothing is, else the range with its estimate
    point_pay = _col(t, "avg_annual_pay").where(_col(t, "suppressed_areas").fillna(0) == 0)
    point_growth = (
        _col(t, "growth").where(_col(t, "growth_low") == _col(t, "growth_high"))
        if "growth_low" in t
        else _col(t, "growth")
    )
    out = pd.DataFrame(
        {
            "region_id": t["region_id"],
            "region": t["region_name"],
            "year": t["year"],
            "lq": t["lq"].round(3),
            "lq_range": [
                formatting.value_or_range(None, lo, hi, "ratio") if pd.isna(v) else ""
                for v, lo, hi in zip(t["lq"], t["lq_low"], t["lq_high"])
            ],
            "employment": t["employment"],
            "employment_range": [
                formatting.value_or_range(None, lo, hi, "count") if pd.isna(v) else ""
                for v, lo, hi in zip(t["employment"], t["emp_low"], t["emp_high"])
            ],
            "establishments": t["estabs"],
            # the class the industry takes here (concentration and growth against the nation), and how sure
            "verdict": [shown_verdict(v, e) for v, e in zip(sectors.verdicts(t)["verdict"], t["employment"])]
            if len(t)
            else pd.Series(dtype=object),
            "avg_annual_pay": point_pay.round(0),
            "avg_annual_pay_range": _ranges(point_pay, _col(t, "pay_low"), _col(t, "pay_high"), "money"),
            "one_year_change": point_growth.round(4),
            "one_year_change_range": _ranges(point_growth, _col(t, "growth_low"), _col(t, "growth_high"), "change"),
            "us_one_year_change": t["us_growth"].round(4),
            "suppressed_counties": t["suppressed_areas"],
            "counties": t["counties"],
            "meets_lq_filter": t["meets"],
        }
    )
    for col, point, low, est, high, digits in (
        ("lq", t["lq"], "lq_low", "lq_estimate", "lq_high", 3),
        ("employment", t["employment"], "emp_low", "employment_estimate", "emp_high", 0),
        ("avg_annual_pay", point_pay, "pay_low", "pay_estimate", "pay_high", 0),
        ("one_year_change", point_growth, "growth_low", "growth_estimate", "growth_high", 4),
    ):
        point = point.astype("float64")
        for suffix, source in (("low", low), ("estimate", est), ("high", high)):
            out[f"{col}_{suffix}"] = point.fillna(_col(t, source)).round(digits).to_numpy()
    if "span_start_year" in t:
        out = out.assign(
            change_start_year=t["span_start_year"],
            change_jobs=t["span_change"],
            change_jobs_range=_ranges(
                _col(t, "span_change"), _col(t, "span_change_low"), _col(t, "span_change_high"), "count"
            ),
            change_jobs_low=_col(t, "span_change").fillna(_col(t, "span_change_low")).round(0).to_numpy(),
            change_jobs_estimate=_col(t, "span_change").fillna(_col(t, "span_change_estimate")).round(0).to_numpy(),
            change_jobs_high=_col(t, "span_change").fillna(_col(t, "span_change_high")).round(0).to_numpy(),
            change=t["span_growth"].round(4),
            change_range=_ranges(
                _col(t, "span_growth"), _col(t, "span_growth_low"), _col(t, "span_growth_high"), "change"
            ),
            change_low=_col(t, "span_growth").fillna(_col(t, "span_growth_low")).round(4).to_numpy(),
            change_estimate=_col(t, "span_growth").fillna(_col(t, "span_growth_estimate")).round(4).to_numpy(),
            change_high=_col(t, "span_growth").fillna(_col(t, "span_growth_high")).round(4).to_numpy(),
            us_change=t["span_us_growth"].round(4),
            national_growth=t["span_national_growth"].round(0),
            industry_mix=t["span_industry_mix"].round(0),
            regional_shift=t["span_regional_shift"].round(0),
        )
    return out.reset_index(drop=True)


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV carries it: numbers only for the figures. The text of a range ("-1.2% to 3.4%") goes
    where numeric ``*_low``, ``*_estimate`` and ``*_high`` columns say the same, so no figure is a text cell (a
    spreadsheet would show the mark that keeps such a cell from running as a formula); the published figure's own
    column stays empty where cells are suppressed, never zero."""
    drop = [c for c in frame.columns if str(c).endswith("_range") and f"{str(c)[: -len('_range')]}_low" in frame]
    return frame.drop(columns=drop)


def _ranges(point: pd.Series, low: pd.Series, high: pd.Series, kind: str) -> list[str]:
    """Per row: empty where the figure is published, else the range suppression leaves."""
    return ["" if not pd.isna(v) else formatting.range_text(lo, hi, kind) for v, lo, hi in zip(point, low, high)]


def ranked_workforce(table: pd.DataFrame, measure: Measure, vintage: str) -> pd.DataFrame:
    """Regions ranked by one workforce indicator, highest first; missing values last; ``vintage`` is its source's."""
    col = measure.column
    t = table.sort_values([col, "region_name"], ascending=[False, True], na_position="last")
    out = pd.DataFrame({"region_id": t["region_id"], "region": t["region_name"], col: t[col], "vintage": vintage})
    missing = f"{col}_missing"
    if missing in t:
        out["counties_missing"] = t[missing]
    out["counties"] = t["counties"]
    return out.reset_index(drop=True)


#: How the screen heads a column, by its name in the data (CSV downloads keep the names in the data).
HEADINGS = {
    "region": "Region",
    "year": "Year",
    "counties": "Counties",
    "establishments": "Establishments",
    "vintage": "Vintage",
    "counties_missing": "Counties without data",
    "suppressed_counties": "Counties with suppressed cells",
    "pay_ratio": "Pay against the region's average pay",
    "avg_annual_pay": "Average pay",
    "score": "Score",
    "rank": "Rank",
    "sector": "Sector",
    "class": "Class",
    "verdict": "Verdict",
    "employer_pool": "Employer pool",
    "indicator": "Indicator",
    "source": "Source",
    "note": "Note",
    "level": "Level",
    "seat": "Seat",
    "why": "Why",
    "change_start_year": "Change from",
    "lq": "LQ",
    "employment": "Jobs",
    "jobs": "Jobs",
    "one_year_change": "One-year change",
    "us_one_year_change": "US one-year change",
    "meets_lq_filter": "Meets the LQ filter",
    "low_skill_share": "Adults 25+ with high school or less",
    "below_150pct_poverty_share": "People below 150% of poverty",
    "bivariate": "Class code",
    "adult-literacy seat": "Adult-literacy seat",
    "human-services seat": "Human-services seat",
    "states": "States",
    "characteristic": "Characteristic",
    "done": "Done",
    "of": "Of",
}


def heading(column) -> str:
    """A column's heading on screen: :data:`HEADINGS`, else a lower-case name in sentence case without
    underscores (``low_skill_share`` -> "Low skill share"); other names (a region's, "US") as they are."""
    text = str(column)
    if text in HEADINGS:
        return HEADINGS[text]
    if text == text.lower() and text[:1].isalpha():
        text = text.replace("_", " ")
        return text[:1].upper() + text[1:]
    return text


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every column headed for the screen (:func:`heading`)."""
    return frame.rename(columns=heading)


def for_display(
    frame: pd.DataFrame,
    formats: dict[str, str],
    ranges: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Text version of a table for the screen: numbers formatted (``formatting``'s one rule per kind: shares
    and changes in percent to one decimal, ratios to two decimals, money and counts whole), missing shown as
    "n/a" (never blank or 0), a suppressed value replaced by its range column (``ranges`` maps value column ->
    range column), and columns headed by ``labels`` or else :func:`heading`."""
    out = frame.copy()
    for col, kind in formats.items():
        if col not in out:
            continue
        fmt = formatting.FORMATS[kind]
        text = [fmt(v) for v in out[col]]
        rng = (ranges or {}).get(col)
        if rng in out:
            est = out[f"{col}_estimate"] if f"{col}_estimate" in out else [None] * len(out)
            lo, hi = (out[f"{col}_{e}"] if f"{col}_{e}" in out else [None] * len(out) for e in ("low", "high"))
            text = [
                (r + _estimate_text(e, a, b, fmt) if r != formatting.NA else r) if t == formatting.NA and r else t
                for t, r, e, a, b in zip(text, out[rng], est, lo, hi)
            ]
        out[col] = text
    # the CSV's numeric low, estimate and high: on screen the range text and its estimate say it
    helpers = [f"{c}_{e}" for c in formats for e in ("low", "estimate", "high")]
    out = out.drop(columns=[r for r in (ranges or {}).values() if r in out] + [h for h in helpers if h in out])
    return headed(out.rename(columns=labels or {}))


def _estimate_text(estimate, low, high, fmt) -> str:
    """ ", estimate X" after a range, where there is an estimate and the range is not a single value."""
    if formatting.missing(estimate) or (not formatting.missing(low) and fmt(low) == fmt(high)):
        return ""
    return f", estimate {fmt(estimate)}"
