"""The region profile: everything the product says about one region in one data year.

``region_profile`` returns a :class:`RegionProfile`; its ``to_json()`` is the
document ``python -m dashboard profile`` prints (keys as in DESIGN.md
"Command line"). Shares are fractions in 0..1; missing figures are None,
never zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

from dashboard.analysis import business_patterns, careers, measures, seats, sectors, workforce
from dashboard.analysis.regions import Region, covers_whole_state, state_names
from dashboard.data.catalogue import PROFILE_SOURCES, PROFILE_WORKFORCE
from dashboard.data.sources import cite


def _num(x, digits: int | None = None):
    """JSON-safe number: NaN/NA -> None, numpy -> Python."""
    if x is None or x is pd.NA:
        return None
    try:
        if isinstance(x, float) and math.isnan(x):
            return None
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    x = float(x)
    if digits is None:
        return int(round(x))
    return round(x, digits)


#: What the industry figures count: QCEW private ownership, against total covered jobs for the LQ.
OWNERSHIP_NOTE = (
    "private ownership only (QCEW ownership code 5); location quotients divide by the region's total "
    "covered jobs, all ownerships, as BLS does"
)


def sector_measures(region: Region, year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Measures of every NAICS sector and every partnership sector in ``year``, from one pass over the region's rows."""
    codes = measures.sector_codes(year)
    naics_groups = {c: [c] for c in codes.loc[codes["naics_level"] == 2, "naics"]}
    partnership_groups = sectors.sector_groups(year=year)
    area_region, basis = measures.qcew_area_region([region], year)
    both = measures.group_measures(area_region, {**naics_groups, **partnership_groups}, year)
    naics = both[both["group"].isin(list(naics_groups))].reset_index(drop=True)
    partnership = both[both["group"].isin(list(partnership_groups))].reset_index(drop=True)
    return naics, partnership, basis.get(region.id, "")


def sector_trend(region: Region, year: int) -> tuple[dict[str, dict], dict | None]:
    """Change of every partnership sector over the longest span of loaded years ending in ``year``.

    Returns per sector id the span's change and shift-share, and the span
    itself (None when ``year`` is the oldest year loaded: then only the
    one-year change the files publish is known).
    """
    earlier = [y for y in measures.years() if y < year]
    if not earlier:
        return {}, None
    start = earlier[0]
    area_region, _ = measures.qcew_area_region([region], year)
    groups = sectors.sector_groups(year=year)
    change = measures.change_measures(area_region, groups, start, year)
    # a sector whose codes changed between the two years' NAICS vintages is compared as its 2-digit sectors
    _, codes_notes = measures.comparable_groups(groups, start, year)
    out = {}
    for _, r in change.iterrows():
        out[r["group"]] = {
            **({"codes_note": codes_notes[r["group"]]} if r["group"] in codes_notes else {}),
            "change": _num(r["change"]),
            "change_low": _num(r["change_low"]),
            "change_high": _num(r["change_high"]),
            "growth": _num(r["growth"], 4),
            "us_growth": _num(r["us_growth"], 4),
            "national_growth": _num(r["national_growth"]),
            "industry_mix": _num(r["industry_mix"]),
            "regional_shift": _num(r["regional_shift"]),
            # labelled estimates inside the ranges where cells are suppressed in either year
            "change_estimate": _num(r["change_estimate"]),
            "growth_low": _num(r["growth_low"], 4),
            "growth_high": _num(_finite(r["growth_high"]), 4),
            "growth_estimate": _num(r["growth_estimate"], 4),
        }
    return out, {"start_year": start, "end_year": year}


def _sector_row(r: pd.Series, name: str) -> dict:
    # pay and the one-year change are the region's published figures only where no cell is suppressed
    # (the disclosed cells' figures are not the region's); elsewhere their range and estimate say it
    published = r["suppressed_areas"] == 0
    growth_published = published and r.get("growth_low") == r.get("growth_high")
    return {
        "code": r["group"],
        "name": name,
        "employment": _num(r["employment"]),
        "employment_low": _num(r["emp_low"]),
        "employment_high": _num(r["emp_high"]),
        "establishments": _num(r["estabs"]),
        "lq": _num(r["lq"], 3),
        "lq_low": _num(r["lq_low"], 3),
        "lq_high": _num(r["lq_high"], 3),
        "suppressed_counties": _num(r["suppressed_areas"]),
        "avg_annual_pay": _num(r["avg_annual_pay"]) if published else None,
        "pay_ratio": _num(r["pay_ratio"], 3) if published else None,
        "growth": _num(r["growth"], 4) if growth_published else None,
        "us_growth": _num(r["us_growth"], 4),
        "year": int(r["year"]),
        # labelled estimates inside the ranges where cells are suppressed (the published figure where none is)
        "employment_estimate": _num(r.get("employment_estimate")),
        "lq_estimate": _num(r.get("lq_estimate"), 3),
        "pay_low": _num(_finite(r.get("pay_low"))),
        "pay_high": _num(_finite(r.get("pay_high"))),
        "pay_estimate": _num(r.get("pay_estimate")),
        "pay_ratio_low": _num(_finite(r.get("pay_ratio_low")), 3),
        "pay_ratio_high": _num(_finite(r.get("pay_ratio_high")), 3),
        "pay_ratio_estimate": _num(r.get("pay_ratio_estimate"), 3),
        "growth_low": _num(_finite(r.get("growth_low")), 4),
        "growth_high": _num(_finite(r.get("growth_high")), 4),
        "growth_estimate": _num(r.get("growth_estimate"), 4),
    }


def _finite(x):
    """An unbounded end (no upper limit on pay where the jobs may be zero) is missing in JSON, never infinity."""
    try:
        return None if x is None or math.isinf(float(x)) else x
    except (TypeError, ValueError):
        return x


def _seat_json(seat: dict) -> dict:
    out = {k: seat[k] for k in ("id", "name", "category", "level", "evidence", "source")}
    out.update(
        {k: seat[k] for k in ("indicator", "value", "state_value", "us_value", "thresholds") if seat[k] is not None}
    )
    for k in ("value", "state_value", "us_value"):
        if isinstance(out.get(k), float):
            out[k] = round(out[k], 4)
    if seat["reason"]:
        out["reason"] = seat["reason"]
    if seat.get("decided_by"):
        out["decided_by"] = seat["decided_by"]
    if seat.get("conditions"):
        out["conditions"] = [
            {
                **c,
                **{
                    k: round(c[k], 4)
                    for k in ("value", "state_value", "us_value", "estimate")
                    if isinstance(c.get(k), float)
                },
            }
            for c in seat["conditions"]
        ]
    return out


@dataclass(frozen=True)
class RegionProfile:
    """Everything the product says about one region in one data year.

    Sector rows, candidate sectors, seats and the trend are JSON-ready
    dictionaries (keys as in DESIGN.md "Command line"); :meth:`to_json` gives
    the document ``python -m dashboard profile`` prints. Shares are fractions
    in 0..1; a missing figure is None, never zero.
    """

    year: int
    years_loaded: tuple[int, ...]
    ownership: str
    growth_span: dict | None
    region: Region
    workforce: dict[str, float | int | None]
    workforce_notes: dict[str, dict]
    sectors: list[dict]
    candidate_sectors: list[dict]
    seats_sector: str | None
    seats: list[dict]
    establishment_trend: dict
    scope: dict
    industry_basis: str
    scoring: dict
    vintages: dict[str, str]
    #: The state the workforce figures are compared with (2-digit FIPS): the chosen one where the region
    #: lies in it, else the state holding most of its people.
    comparison_state: str = ""
    #: Careers in the seats' sector (:class:`careers.Careers`); None without a sector or staffing figures.
    careers: careers.Careers | None = None
    #: Why there is no careers section, when there is none.
    careers_note: str = ""

    @property
    def seats_sector_name(self) -> str | None:
        """The name of the partnership sector the seats were assessed for (None when none was)."""
        if self.seats_sector is None:
            return None
        names = {s["id"]: s["name"] for s in self.candidate_sectors}
        return names.get(self.seats_sector) or self.seats_sector

    def candidate(self, sector_id: str) -> dict | None:
        """One candidate sector's figures by id, None when it is not ranked."""
        return next((c for c in self.candidate_sectors if c["id"] == sector_id), None)

    def to_json(self) -> dict:
        """The profile as plain JSON types, in the documented key order."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        r = self.region
        out["region"] = {"scheme": r.scheme, "id": r.id, "name": r.name, "counties": list(r.counties)}
        out["years_loaded"] = list(self.years_loaded)
        out["comparison_state"] = {
            "fips": self.comparison_state,
            "name": state_names().get(self.comparison_state, self.comparison_state),
        }
        out["careers"] = self.careers.to_json() if self.careers is not None else None
        if self.careers is None:
            out["careers_note"] = self.careers_note
        else:
            del out["careers_note"]
        return out


def establishment_trend(region: Region, candidates: pd.DataFrame) -> dict:
    """County Business Patterns employment per year for each partnership sector, where county CBP covers
    every county of the region, with the change and shift-share between the first and last such years."""
    by_id = {s.id: s for s in sectors.load_taxonomy()}
    out = []
    for sector_id in candidates["group"]:
        codes = list(by_id[sector_id].every_code())  # each CBP year holds its own vintage's codes
        trend = business_patterns.cbp_trend(region.counties, codes)
        if trend.empty:
            continue
        entry = {
            "id": sector_id,
            "name": by_id[sector_id].name,
            "years": [{"year": int(y), "employment": int(e)} for y, e in zip(trend["year"], trend["employment"])],
        }
        if len(trend) > 1:
            change = business_patterns.cbp_change(
                region.counties, codes, int(trend["year"].iloc[0]), int(trend["year"].iloc[-1])
            )
            if change is not None:
                entry["change"] = {k: _num(v, 4 if k in ("growth", "us_growth") else None) for k, v in change.items()}
        out.append(entry)
    return {"source": cite("cbp"), "note": business_patterns.CBP_NOTE, "sectors": out}


def region_profile(
    region: Region,
    params: sectors.ScoringParams = sectors.ScoringParams(),
    sector_id: str | None = None,
    seat_overrides: dict | None = None,
    year: int | None = None,
    state: str | None = None,
) -> RegionProfile:
    """The profile of one region in ``year`` (newest loaded: None); seats and careers are for
    ``sector_id`` (default: the top-ranked sector); workforce figures are compared with ``state``
    (2-digit FIPS, the one the user chose) where the region lies in it, else with its main state."""
    year = measures.resolve_year(year)
    wf = workforce.aggregate_workforce(region.counties)
    naics, partnership, basis = sector_measures(region, year)
    trend, span = sector_trend(region, year)
    partnership_codes = sectors.sector_groups(year=year)
    titles = measures.sector_titles()
    ranked = sectors.rank_sectors(partnership, params)
    pop = wf["population"]["value"]
    known = [s.id for s in sectors.load_taxonomy()]
    if sector_id is not None and sector_id not in known:
        raise KeyError(f"unknown partnership sector {sector_id!r}; known: {', '.join(known)}")
    if ranked.empty:
        # no industry rows for these counties that year: seats needing sector figures are not assessed
        sector_row = None
    else:
        sector_id = sector_id or ranked["group"].iloc[0]
        sector_row = ranked[ranked["group"] == sector_id].iloc[0]
    comparison = careers.comparison_state(region, state)
    sector_careers, careers_note = None, ""
    if sector_row is None:
        careers_note = f"No {year} industry figures for these counties, so no careers section."
    else:
        try:
            sector_careers = careers.region_careers(region, sector_id, year, comparison, sector_row)
        except careers.CareersUnavailable as exc:
            careers_note = f"{exc}."
    return RegionProfile(
        year=year,
        years_loaded=tuple(measures.years()),
        ownership=OWNERSHIP_NOTE,
        growth_span=span,
        region=region,
        workforce={
            k: _num(wf[k]["value"], None if k in ("population", "median_household_income") else 4)
            for k in PROFILE_WORKFORCE
        },
        workforce_notes={
            k: {"counties_missing": v["missing"], "approximation": v["approximation"], "source": v["source"]}
            for k, v in wf.items()
            if v["missing"] or v["approximation"]
        },
        sectors=[_sector_row(r, titles.get(r["group"], r["group"])) for _, r in naics.sort_values("group").iterrows()],
        candidate_sectors=[
            {
                **{k: v for k, v in _sector_row(r, r["name"]).items() if k != "code"},
                "id": r["group"],
                "naics": list(partnership_codes[r["group"]]),
                "score": _num(r["score"], 1),
                "class": r["class"],
                "confidence": r.get("confidence"),
                "verdict": r.get("verdict"),
                "employer_pool": sectors.employer_pool(int(r["estabs"]), params),
                **({"span": trend[r["group"]]} if r["group"] in trend else {}),
            }
            for _, r in ranked.iterrows()
        ],
        seats_sector=sector_id,
        seats=[
            _seat_json(s)
            for s in seats.evaluate_seats(
                region,
                sector_id,
                seat_overrides,
                sector_row=sector_row,
                year=year,
                state=comparison,
                careers_figures=sector_careers.indicators if sector_careers is not None else None,
            )
        ],
        establishment_trend=establishment_trend(region, ranked)
        if not ranked.empty
        else {"source": cite("cbp"), "note": business_patterns.CBP_NOTE, "sectors": []},
        scope=sectors.geography_check(
            region.scheme, len(region.counties), len(region.states), pop, whole_state=covers_whole_state(region)
        ),
        industry_basis=basis,
        scoring=params.as_dict(),
        vintages={k: cite(k, year if k == "industry" else None) for k in PROFILE_SOURCES},
        comparison_state=comparison,
        careers=sector_careers,
        careers_note=careers_note,
    )
