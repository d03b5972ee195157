"""The region profile as tables: candidate sectors, workforce against state and US, seats (for pages and CSVs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analysis import formatting, seats
from dashboard.analysis.careers import projection_span, top_coded_wage
from dashboard.data.catalogue import COMPARED_WORKFORCE, INDICATORS
from dashboard.data.sources import vintage
from dashboard.report import charts

if TYPE_CHECKING:
    from dashboard.report.profile import RegionProfile


def candidates_table(profile: RegionProfile) -> pd.DataFrame:
    """The ranked candidate sectors of a profile; the change over the longest loaded span when there is one."""
    rows = []
    span = profile.growth_span
    for rank, c in enumerate(profile.candidate_sectors, start=1):
        trend = c.get("span") or {}
        rows.append(
            {
                "rank": rank,
                "year": profile.year,
                "sector": c["name"],
                "class": c["class"],
                "verdict": c.get("verdict") or c["class"],
                "score": c["score"],
                "lq": c["lq"],
                "lq_range": ""
                if c["lq"] is not None
                else formatting.value_or_range(None, c["lq_low"], c["lq_high"], "ratio"),
                "jobs": c["employment"],
                "jobs_range": ""
                if c["employment"] is not None
                else formatting.value_or_range(None, c["employment_low"], c["employment_high"], "count"),
                "establishments": c["establishments"],
                "avg_annual_pay": c["avg_annual_pay"],
                "avg_annual_pay_range": _range_text(c, "avg_annual_pay", "pay", "money"),
                "pay_ratio": c["pay_ratio"],
                # pay against the region's is as unknowable as the pay itself
                "pay_ratio_range": formatting.NOT_KNOWN
                if c["pay_ratio"] is None and formatting.unknowable(c.get("pay_low"), c.get("pay_high"), "money")
                else _range_text(c, "pay_ratio", "pay_ratio", "ratio"),
                "one_year_change": c["growth"],
                "one_year_change_range": _range_text(c, "growth", "growth", "change"),
                "us_one_year_change": c["us_growth"],
                **(_span_columns(trend, span) if span else {}),
                "suppressed_counties": c["suppressed_counties"],
                "employer_pool": c["employer_pool"]["verdict"],
                "confidence": c.get("confidence"),
                **_bounds(c),
            }
        )
    return pd.DataFrame(rows)


def _range_text(c: dict, value: str, prefix: str, kind: str) -> str:
    """The range suppression leaves a candidate's figure, empty where the figure is published."""
    return (
        "" if c.get(value) is not None else formatting.range_text(c.get(f"{prefix}_low"), c.get(f"{prefix}_high"), kind)
    )


def _span_columns(trend: dict, span: dict) -> dict:
    """The change over the longest loaded span: published, else its range, with numeric low, estimate, high."""
    out = {
        "change_start_year": span["start_year"],
        "change": trend.get("growth"),
        "change_range": _range_text(trend, "growth", "growth", "change"),
        "us_change": trend.get("us_growth"),
        "change_jobs": trend.get("change"),
        "change_jobs_range": _range_text(trend, "change", "change", "count_change"),
        # across a NAICS revision: which codes the change compares, beside the figure
        "change_note": trend.get("codes_note", ""),
    }
    for col, value, prefix in (("change", "growth", "growth"), ("change_jobs", "change", "change")):
        point = trend.get(value)
        for end in ("low", "estimate", "high"):
            out[f"{col}_{end}"] = point if point is not None else trend.get(f"{prefix}_{end}")
    return out


def _bounds(c: dict) -> dict:
    """Numeric low, estimate and high of a candidate's LQ, jobs, pay and one-year change (the CSV's columns; a
    published figure is its own low, estimate and high; an estimate is never a published figure)."""
    out = {}
    for col, value, low, est, high in (
        ("lq", "lq", "lq_low", "lq_estimate", "lq_high"),
        ("jobs", "employment", "employment_low", "employment_estimate", "employment_high"),
        ("avg_annual_pay", "avg_annual_pay", "pay_low", "pay_estimate", "pay_high"),
        ("pay_ratio", "pay_ratio", "pay_ratio_low", "pay_ratio_estimate", "pay_ratio_high"),
        ("one_year_change", "growth", "growth_low", "growth_estimate", "growth_high"),
    ):
        point = c.get(value) if value else None
        out[f"{col}_low"] = point if point is not None else c.get(low)
        out[f"{col}_estimate"] = point if point is not None else c.get(est)
        out[f"{col}_high"] = point if point is not None else c.get(high)
    return out


def workforce_table(profile: RegionProfile, state_values: dict, us_values: dict, state_label: str) -> pd.DataFrame:
    """Region, state and US value of each indicator (fractions for shares)."""
    region = profile.workforce
    rows = []
    for key in COMPARED_WORKFORCE:
        ind = INDICATORS[key]
        rows.append(
            {
                "indicator": ind.label,
                "id": key,
                "region": region.get(key),
                state_label: state_values.get(key),
                "US": us_values.get(key),
                "kind": ind.kind,
                "source": ind.source,
                "vintage": vintage(ind.source),
                "note": _note(profile, key),
            }
        )
    return pd.DataFrame(rows)


def workforce_display(table: pd.DataFrame, state_label: str) -> pd.DataFrame:
    """The workforce table as shown: each value formatted by its indicator's kind, missing as n/a."""
    shown = table.copy()
    for col in ("region", state_label, "US"):
        shown[col] = [formatting.FORMATS[INDICATORS[i].format](v) for i, v in zip(table["id"], table[col])]
    return shown.drop(columns=["id", "kind"])


def workforce_chart_rows(table: pd.DataFrame, state_label: str) -> pd.DataFrame:
    """The share indicators of the workforce table in the long form the comparison chart takes."""
    shares = table[table["kind"] == "share"]

    def by_id(col):
        return dict(zip(shares["id"], shares[col]))

    return charts.workforce_rows(by_id("region"), by_id(state_label), by_id("US"), by_id("indicator"), state_label)


def _note(profile: RegionProfile, key: str) -> str:
    note = profile.workforce_notes.get(key)
    if not note:
        return ""
    parts = []
    if note["counties_missing"]:
        parts.append(f"{formatting.counted(note['counties_missing'], 'county', 'counties')} without data left out")
    if note["approximation"]:
        parts.append("household-weighted mean of county medians (approximation)")
    return "; ".join(parts)


def seats_table(profile: RegionProfile) -> pd.DataFrame:
    order = {level: i for i, level in enumerate(seats.LEVELS)}
    rows = [
        {
            "level": s["level"],
            "seat": s["name"],
            "category": s["category"],
            "evidence": s["evidence"],
            "value": s.get("value"),
            "state_value": s.get("state_value"),
            "us_value": s.get("us_value"),
            "source": s["source"],
            "id": s["id"],
            "industry_year": profile.year,
        }
        for s in profile.seats
    ]
    frame = pd.DataFrame(rows)
    return frame.sort_values("level", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def careers_table(profile: RegionProfile) -> pd.DataFrame:
    """Every occupation of the careers section, one row each (the CSV), with the sector, the data years and
    the estimate's method on every row; empty when the profile has no careers section."""
    c = profile.careers
    columns = [
        "rank",
        "occupation_code",
        "occupation",
        "share_of_sector_jobs",
        "estimated_jobs",
        "entry_education",
        "entry_rung",
        "work_experience",
        "on_the_job_training",
        "apprenticeship",
        "apprenticeable",
        "job_zone",
        "projected_growth_us",
        "annual_openings_us",
        "projection_span",
        "median_wage",
        "median_wage_topcoded",
        "wage_area",
        "below_state_median",
        "sector",
        "industry_year",
        "estimate_method",
        "sources",
    ]
    if c is None:
        return pd.DataFrame(columns=columns)
    sources = "; ".join(dict.fromkeys(c.sources.values()))
    span = projection_span()
    rows = [
        {
            "rank": i,
            "occupation_code": o.code,
            "occupation": o.title,
            "share_of_sector_jobs": o.share,
            "estimated_jobs": o.jobs,
            "entry_education": o.education,
            "entry_rung": o.rung,
            "work_experience": o.experience,
            "on_the_job_training": o.training,
            "apprenticeship": o.apprenticeship,
            "apprenticeable": o.apprenticeable,
            "job_zone": o.job_zone,
            "projected_growth_us": o.growth,
            "annual_openings_us": o.openings,
            "projection_span": span,
            "median_wage": o.wage,
            "median_wage_topcoded": o.wage_topcoded,
            "wage_area": o.wage_area,
            "below_state_median": o.below_state_median,
            "sector": c.sector_name,
            "industry_year": c.year,
            "estimate_method": c.method,
            "sources": sources,
        }
        for i, o in enumerate(c.occupations, start=1)
    ]
    return pd.DataFrame(rows, columns=columns)


def careers_display(profile: RegionProfile, top: int = 15) -> pd.DataFrame:
    """The top occupations as the page shows them: figures formatted, missing as n/a, the wage's area named."""
    frame = careers_table(profile).head(top)
    return pd.DataFrame(
        {
            "occupation": frame["occupation"],
            "share of jobs": [formatting.share(x) for x in frame["share_of_sector_jobs"]],
            "estimated jobs": [formatting.count(x) for x in frame["estimated_jobs"]],
            "entry education": frame["entry_education"].fillna(formatting.NA),
            "experience": frame["work_experience"].fillna(formatting.NA),
            "on-the-job training": [
                f"{t} (apprenticeship)" if a else (t or formatting.NA)
                for t, a in zip(frame["on_the_job_training"], frame["apprenticeship"])
            ],
            "job zone": frame["job_zone"].fillna(formatting.NA),
            f"US growth {projection_span()}": [formatting.change(x) for x in frame["projected_growth_us"]],
            "US openings a year": [formatting.count(x) for x in frame["annual_openings_us"]],
            "median wage": [
                _wage_text(w, top_) for w, top_ in zip(frame["median_wage"], frame["median_wage_topcoded"])
            ],
            "wage from": frame["wage_area"],
            "below state median": [{True: "yes", False: "no"}.get(b, "") for b in frame["below_state_median"]],
        }
    )


def _wage_text(wage, topcoded: bool) -> str:
    """A median wage; a top-coded one as "at least" the top wage BLS publishes (from the data's manifest)."""
    if not topcoded:
        return formatting.money(wage)
    bound = wage if not formatting.missing(wage) else top_coded_wage()
    return f"at least {formatting.money(bound)}" if bound is not None else "above the top wage BLS publishes"


def ladder_table(profile: RegionProfile) -> pd.DataFrame:
    """The careers ladder: each rung's share of the sector's jobs, estimated jobs and median wage, as shown."""
    c = profile.careers
    if c is None:
        return pd.DataFrame(
            columns=["entry education", "share of jobs", "estimated jobs", "median wage", "occupations"]
        )
    return pd.DataFrame(
        {
            "entry education": [r.label for r in c.ladder],
            "share of jobs": [formatting.share(r.share) for r in c.ladder],
            "estimated jobs": [formatting.count(r.jobs) for r in c.ladder],
            "median wage": [formatting.money(r.median_wage) for r in c.ladder],
            "occupations": [r.occupations for r in c.ladder],
        }
    )
