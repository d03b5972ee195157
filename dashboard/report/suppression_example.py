"""The worked example of the Data and methods page: how the published figures bound one suppressed sector.

A metro area whose manufacturing sector is published while some of its subsectors are not, measured by the
same code as every page (:mod:`dashboard.analysis.measures`).
"""

from __future__ import annotations

from dashboard.analysis import bounds, measures, regions, sectors

#: The worked example on the Data and methods page: a metro area whose manufacturing sector is published
#: while some of its subsectors are not.
EXAMPLE = {"scheme": "cbsa", "region": "18140", "sector": "advanced-manufacturing", "parent": "31-33"}


def suppression_example(year: int | None = None) -> dict | None:
    """The figures of the worked example (Columbus, OH: Advanced Manufacturing): the published sector,
    the subsectors disclosed and suppressed, the simple range (suppressed cells from zero to all the
    area's undisclosed jobs) and the range and estimate the published figures allow. None when the
    year's data lack the example."""
    year = measures.resolve_year(year)
    try:
        region = regions.resolve_region(EXAMPLE["scheme"], EXAMPLE["region"])
    except regions.UnknownRegionError:
        return None
    area_region, _ = measures.qcew_area_region([region], year)
    if len(area_region) != 1:
        return None
    area = str(area_region.index[0])
    codes = sectors.sector_groups()[EXAMPLE["sector"]]
    rows = measures.industry_rows(year)
    rows = rows[(rows["area_fips"] == area) & (rows["own_code"] == 5)]
    by_code = rows.set_index("naics")
    parent = EXAMPLE["parent"]
    if parent not in by_code.index or bool(by_code.loc[parent, "suppressed"]):
        return None
    subs = rows[rows["naics"].map(bounds.sector_of) == parent]
    shown = subs[~subs["suppressed"]]
    hidden = subs[subs["suppressed"]]
    inside = shown[shown["naics"].isin(codes)]
    level3 = rows[(rows["naics_level"] == 3) & ~rows["suppressed"]]["emplvl"].sum()
    private = float(by_code.loc[bounds.TOTAL, "emplvl"])
    m = measures.group_measures(area_region, {EXAMPLE["sector"]: codes}, year).iloc[0]
    simple_low = float(inside["emplvl"].sum())
    simple_high = simple_low + (private - float(level3)) * (hidden["naics"].isin(codes).any())
    denom = float(m["total_covered"]) * float(m["us_share"])
    return {
        "year": year,
        "region": region.name,
        "area": area,
        "sector": EXAMPLE["sector"],
        "parent": parent,
        "sector_total": int(by_code.loc[parent, "emplvl"]),
        "private_total": int(private),
        "disclosed_inside": int(simple_low),
        "disclosed_outside": int(shown.loc[~shown["naics"].isin(codes), "emplvl"].sum()),
        "suppressed": sorted(hidden.loc[hidden["naics"].isin(codes), "naics"]),
        "suppressed_inside": {
            c: (int(lo), int(hi))
            for c, lo, hi in zip(hidden["naics"], hidden["emplvl_low"], hidden["emplvl_high"])
            if c in codes
        },
        "suppressed_outside": {
            c: (int(lo), int(hi))
            for c, lo, hi in zip(hidden["naics"], hidden["emplvl_low"], hidden["emplvl_high"])
            if c not in codes
        },
        "subsectors": len(subs),
        "published_subsectors": len(shown),
        "titles": {c: measures.sector_titles().get(c, c) for c in hidden["naics"]},
        "simple_low": int(simple_low),
        "simple_high": int(simple_high),
        "simple_lq_low": simple_low / denom,
        "simple_lq_high": simple_high / denom,
        "low": int(m["emp_low"]),
        "high": int(m["emp_high"]),
        "estimate": int(round(m["employment_estimate"])),
        "lq_low": float(m["lq_low"]),
        "lq_high": float(m["lq_high"]),
        "lq_estimate": float(m["lq_estimate"]),
    }


def suppression_example_text(ex: dict) -> list[str]:
    """The worked example in plain words, one paragraph per item (figures from :func:`suppression_example`)."""

    def n(x) -> str:
        return f"{x:,}"

    def names(codes) -> str:
        items = [f"{ex['titles'].get(c, c).lower()} ({c})" for c in codes]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    inside = list(ex["suppressed_inside"])
    outside = list(ex["suppressed_outside"])
    ranges = "; ".join(
        f"{ex['titles'].get(c, c).lower()} holds {n(lo)} to {n(hi)} jobs"
        for c, (lo, hi) in ex["suppressed_inside"].items()
    )
    left = ex["sector_total"] - ex["disclosed_inside"] - ex["disclosed_outside"]
    withheld = ex["subsectors"] - ex["published_subsectors"]
    decided = ex["lq_high"] < 1 or ex["lq_low"] >= 1
    withheld_text = f"{withheld} are withheld: {names(inside)}, part of Advanced Manufacturing" + (
        f", and {names(outside)}, which are not." if outside else "."
    )
    return [
        f"{ex['region']}, Advanced Manufacturing, {ex['year']}. BLS publishes the metro area's manufacturing sector "
        f"(NAICS {ex['parent']}): {n(ex['sector_total'])} jobs. {ex['published_subsectors']} of its {ex['subsectors']} "
        f"subsectors are published: {n(ex['disclosed_inside'])} jobs in Advanced Manufacturing's subsectors and "
        f"{n(ex['disclosed_outside'])} in the others. {withheld_text}",
        f"Counting each withheld figure from zero up to every job the area did not place in a published subsector "
        f"gives {n(ex['simple_low'])} to {n(ex['simple_high'])} jobs (LQ {ex['simple_lq_low']:.2f} to "
        f"{ex['simple_lq_high']:.2f}): more than {ex['simple_high'] // ex['sector_total']} times the published "
        f"manufacturing total.",
        f"The published sector leaves {n(left)} jobs for its {withheld} withheld subsectors together, and the other "
        f"published figures (the metro's counties, Ohio's rows, each area's private total) narrow each of them: "
        f"{ranges}. Advanced Manufacturing is therefore {n(ex['low'])} to {n(ex['high'])} jobs, LQ "
        f"{ex['lq_low']:.2f} to {ex['lq_high']:.2f}; the estimate is {n(ex['estimate'])} jobs (LQ "
        f"{ex['lq_estimate']:.2f})."
        + (
            f" Every value in that range is {'below' if ex['lq_high'] < 1 else 'at or above'} the US share (LQ 1.00), "
            "so whether the sector is concentrated is settled by the published figures, not by the estimate."
            if decided
            else ' The range spans the US share (LQ 1.00), so the estimate decides, and says "likely".'
        ),
    ]
