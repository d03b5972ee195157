"""Careers inside a partnership sector, for one region: who the sector employs, what each job needs
to enter, what it pays locally, and how many openings are projected.

Sources (built into ``data/`` by ``python -m dashboard build``):

* BLS OEWS national industry-by-occupation estimates (``occ_staffing``): the
  staffing pattern of each NAICS sector and subsector;
* BLS OEWS cross-industry estimates for the nation, states, metropolitan and
  nonmetropolitan areas (``occ_wages``): local median wages;
* BLS Employment Projections (``occupations``): typical entry education,
  related work experience, on-the-job training, the projected change and
  annual openings (national), and the O*NET job zone.

Method: the region's jobs in each occupation are an **estimate**: the
region's jobs in the sector (published, or an estimate inside the range
suppression leaves) times the national staffing shares of the sector's
industries, weighted by the region's own jobs in each industry (the
national mix where the region's are unknown). The sector figures the seat
rules read (:class:`Indicators`) come from the same computation.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.analysis import measures, sectors
from dashboard.analysis.regions import Region, state_names
from dashboard.data import naics, sources, store

#: The careers sources (their publisher and product are in :data:`sources.SOURCES`, their vintages in the manifest).
SOURCES = ("oews", "projections", "onet")
#: Entry-education rungs of the ladder: id, label, the BLS categories it holds (lowest first).
RUNGS = (
    (
        "entry",
        "No credential or high school diploma",
        ("No formal educational credential", "High school diploma or equivalent"),
    ),
    (
        "middle",
        "Postsecondary award, some college or associate's degree",
        ("Some college, no degree", "Postsecondary nondegree award", "Associate's degree"),
    ),
    (
        "degree",
        "Bachelor's degree or more",
        ("Bachelor's degree", "Master's degree", "Doctoral or professional degree"),
    ),
)
EDUCATION_ORDER = tuple(e for _, _, cats in RUNGS for e in cats)
RUNG_OF = {e: rung for rung, _, cats in RUNGS for e in cats}
RUNG_LABEL = {rung: label for rung, label, _ in RUNGS}
#: Typical on-the-job training that counts as apprenticeable: BLS's apprenticeship category, and long-term
#: (more than 12 months of) on-the-job training, the occupations registered apprenticeships are built around.
APPRENTICESHIP = "Apprenticeship"
APPRENTICEABLE = (APPRENTICESHIP, "Long-term on-the-job training")
#: The NAICS vintage of OEWS May 2025's staffing patterns; each year's QCEW codes are read in it.
OEWS_VINTAGE = 2022
TOTAL = "00-0000"
TABLES = ("occ_staffing", "occ_wages", "occupations")
ESTIMATE_NOTE = (
    "Estimate: the region's jobs in the sector times the national share of each occupation in the "
    "sector's industries (BLS OEWS staffing patterns), {mix}. Not a count of local jobs."
)
MIX_NOTES = {
    "regional": "weighted by the region's own jobs in each of those industries",
    "national": "weighted by the industries' national jobs (the region's own mix is not known)",
}


class CareersUnavailable(ValueError):
    """No careers figures for a region and sector; the message says why."""


def _table(name: str) -> pd.DataFrame:
    """One of the careers tables, through the data layer (checked and cached like every processed table)."""
    if name not in TABLES:
        raise KeyError(f"unknown careers table {name!r}")
    return store.load_table(name)


def cite(source: str) -> str:
    """ "Publisher, product, vintage" of a careers source, as :func:`sources.cite` gives every source."""
    if source not in SOURCES:
        raise KeyError(f"unknown careers source {source!r}; known: {', '.join(SOURCES)}")
    return sources.cite(source)


def top_coded_wage() -> float | None:
    """The bound BLS gives for a top-coded annual wage: a median flagged ``a_median_topcoded`` is at least this
    much. The build reads it from the source files into the manifest; None when the manifest does not record it."""
    codes = store.manifest().get("top_codes")
    value = codes.get("oews_annual_wage") if isinstance(codes, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


# ---- the national staffing patterns -----------------------------------------------


@lru_cache(maxsize=1)
def _shares() -> tuple[pd.DataFrame, pd.Series]:
    """(industry x occupation share of the industry's published total jobs, the total per industry)."""
    st = _table("occ_staffing")
    totals = st[st["occ_code"] == TOTAL].set_index("naics")["tot_emp"].astype("float64")
    detail = st[(st["occ_code"] != TOTAL) & st["tot_emp"].notna()]
    emp = detail.pivot_table(index="naics", columns="occ_code", values="tot_emp", aggfunc="sum", fill_value=0)
    shares = emp.astype("float64").div(totals.reindex(emp.index), axis=0)
    return shares, totals


def oews_code(code: str) -> str:
    """The OEWS industry code of a QCEW NAICS code of any vintage (its NAICS 2022 successor where the code
    was retired and went wholly into one; itself otherwise)."""
    successors = naics.in_vintage([code], OEWS_VINTAGE)
    return successors[0] if len(successors) == 1 else code


def covered(codes) -> tuple[list[str], list[str]]:
    """The codes with an OEWS staffing pattern, and those without (OEWS does not survey farms, 111 and 112)."""
    shares, _ = _shares()
    have = [c for c in codes if oews_code(c) in shares.index]
    return have, [c for c in codes if oews_code(c) not in shares.index]


def staffing_pattern(codes, weights: dict[str, float] | None = None) -> pd.Series:
    """Share of the jobs of the given industries in each occupation (national OEWS), largest first.

    ``weights`` (per code) mix the industries; by default their national OEWS
    jobs, which gives the industries' combined national pattern. Shares are of
    all the industries' jobs, so they sum to a little under 1 where BLS did not
    release some occupations' employment.
    """
    shares, totals = _shares()
    have, _ = covered(codes)
    if not have:
        raise CareersUnavailable(f"OEWS publishes no staffing pattern for NAICS {', '.join(codes)}")
    w = pd.Series(
        {c: (weights or {}).get(c, np.nan) if weights is not None else totals[oews_code(c)] for c in have},
        dtype="float64",
    ).fillna(0.0)
    if w.sum() <= 0:
        raise CareersUnavailable("no jobs in the sector's industries to weight the staffing patterns")
    w = w / w.sum()
    matrix = shares.loc[[oews_code(c) for c in have]].to_numpy()
    mixed = pd.Series(w.to_numpy() @ matrix, index=shares.columns)
    return mixed[mixed > 0].sort_values(ascending=False, kind="stable")


# ---- the figures the seats read -------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    """The sector's jobs by what they need to enter (shares of the jobs in occupations BLS published)."""

    entry_hs_share: float  # typical entry: no formal credential or a high school diploma
    diploma_share: float  # typical entry: a high school diploma (closed to adults without one)
    middle_skill_share: float  # a postsecondary award, some college or an associate's degree
    degree_share: float  # a bachelor's degree or more
    apprenticeable_share: float  # typical training: an apprenticeship or long-term on-the-job training
    apprenticeship_share: float  # typical training: an apprenticeship
    mix: str  # regional | national: how the industries' patterns were weighted

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def _masks() -> dict[str, np.ndarray]:
    """Per occupation of the staffing matrix: 1.0 where it has the attribute an indicator counts."""
    shares, _ = _shares()
    occ = _table("occupations").set_index("occ_code").reindex(shares.columns)
    rung = occ["education"].map(RUNG_OF)
    masks = {
        "known": occ["education"].notna(),
        "entry_hs_share": rung == "entry",
        "diploma_share": occ["education"] == "High school diploma or equivalent",
        "middle_skill_share": rung == "middle",
        "degree_share": rung == "degree",
        "apprenticeable_share": occ["training"].isin(APPRENTICEABLE),
        "apprenticeship_share": occ["training"] == APPRENTICESHIP,
    }
    return {k: v.to_numpy(dtype="float64") for k, v in masks.items()}


def _indicator_rows(patterns: np.ndarray, mixes: list[str]) -> list[Indicators]:
    """Indicators of many staffing patterns at once (rows of ``patterns``, aligned to the staffing matrix)."""
    masks = _masks()
    known = patterns @ masks["known"]
    with np.errstate(invalid="ignore", divide="ignore"):
        values = {k: np.where(known > 0, (patterns @ m) / known, np.nan) for k, m in masks.items() if k != "known"}
    return [Indicators(**{k: float(v[i]) for k, v in values.items()}, mix=mixes[i]) for i in range(len(mixes))]


def indicators(pattern: pd.Series, mix: str) -> Indicators:
    """The :class:`Indicators` of one staffing pattern (a share per occupation)."""
    shares, _ = _shares()
    return _indicator_rows(pattern.reindex(shares.columns, fill_value=0.0).to_numpy(dtype="float64")[None, :], [mix])[0]


def _code_jobs(m: pd.DataFrame) -> pd.Series:
    """Jobs per (region, code) for weighting: published, else the best estimate inside the range where one is
    given; missing otherwise (a range alone does not say how the sector's jobs split between its industries)."""
    jobs = m["employment"].astype("float64")
    if "employment_estimate" in m:
        jobs = jobs.fillna(m["employment_estimate"].astype("float64"))
    return jobs


def region_weights(regions: list[Region], sector_id: str, year: int | None = None) -> dict[str, dict[str, float]]:
    """Per region id: the region's jobs in each of the sector's industries (published, or estimated where suppressed)."""
    sector = _sector(sector_id)
    area_region, _ = measures.qcew_area_region(list(regions), year)
    if area_region.empty:
        return {}
    m = measures.group_measures(area_region, {c: [c] for c in sector.codes_for_year(year)}, year)
    m = m.assign(jobs=_code_jobs(m))
    return {rid: dict(zip(g["group"], g["jobs"])) for rid, g in m.groupby("region_id", sort=False, observed=True)}


def _mix(weights: dict[str, float] | None, codes) -> tuple[dict[str, float] | None, str]:
    """The region's own weights when every surveyed industry of the sector has a figure, else the national mix."""
    have, _ = covered(codes)
    known = weights is not None and all(_float(weights.get(c)) is not None for c in have)
    if not known or not any(weights[c] > 0 for c in have):
        return None, "national"
    return weights, "regional"


def surveyed_share(weights: dict[str, float] | None, codes, year: int | None = None) -> float:
    """Share of the sector's jobs in industries OEWS surveys: the region's own where every industry's jobs
    are known, else the national share (QCEW)."""
    have, missing = covered(codes)
    if not missing:
        return 1.0
    if weights is not None and all(_float(weights.get(c)) is not None for c in codes):
        total = sum(weights[c] for c in codes)
        if total > 0:
            return sum(weights[c] for c in have) / total
    nat = store.load_table("national")
    nat = nat[(nat["year"] == measures.resolve_year(year)) & (nat["own_code"] == 5)].set_index("naics")["us_emplvl"]
    nat = nat.reindex(list(codes)).astype("float64").fillna(0.0)
    return float(nat[have].sum() / nat.sum()) if nat.sum() > 0 else math.nan


def sector_indicators(
    regions: list[Region], sector_id: str, year: int | None = None, weights: dict[str, dict[str, float]] | None = None
) -> dict[str, Indicators]:
    """:class:`Indicators` of one sector for many regions at once (one pass over the industry data;
    ``weights`` as :func:`region_weights` gives them, when already computed)."""
    sector = _sector(sector_id)
    codes = sector.codes_for_year(year)
    have, _ = covered(codes)
    if not have:
        return {}
    weights = region_weights(regions, sector_id, year) if weights is None else weights
    shares, totals = _shares()
    matrix = shares.loc[[oews_code(c) for c in have]].fillna(0.0).to_numpy()
    national = np.array([totals[oews_code(c)] for c in have], dtype="float64")
    rows, mixes = [], []
    for region in regions:
        w, mix = _mix(weights.get(region.id), codes)
        row = national if w is None else np.array([max(w[c], 0.0) for c in have], dtype="float64")
        rows.append(row / row.sum())
        mixes.append(mix)
    if not rows:
        return {}
    figures = _indicator_rows(np.vstack(rows) @ matrix, mixes)
    return {region.id: f for region, f in zip(regions, figures)}


def national_indicators(sector_id: str) -> Indicators:
    sector = _sector(sector_id)
    return indicators(staffing_pattern(sector.codes_for_year()), "national")


def _sector(sector_id: str) -> sectors.Sector:
    by_id = {s.id: s for s in sectors.load_taxonomy()}
    if sector_id not in by_id:
        raise KeyError(f"unknown partnership sector {sector_id!r}; known: {', '.join(by_id)}")
    return by_id[sector_id]


# ---- local wages ------------------------------------------------------------------------


@dataclass(frozen=True)
class WageArea:
    area: str  # OEWS area code
    kind: str  # metro | state | national
    name: str  # "Columbus, OH metropolitan area", "Ohio", "the United States"


def principal_state(region: Region) -> str:
    """The state holding most of the region's population (its first state when none is known)."""
    wf = store.load_table("workforce").set_index("fips")
    pop = wf["population"].reindex(list(region.counties)).astype("float64")
    by_state = pop.groupby(pop.index.str[:2]).sum()
    if by_state.empty or not (by_state > 0).any():
        return region.states[0]
    return str(by_state.idxmax())


def comparison_state(region: Region, state: str | None = None) -> str:
    """The state a region is compared with: the chosen one when the region lies in it, else its principal state."""
    return state if state in region.states else principal_state(region)


@lru_cache(maxsize=4096)
def _metro_of(counties: tuple[str, ...]) -> str | None:
    """The OEWS metropolitan area (its CBSA code) holding at least half of the counties' population, if any."""
    regions = store.load_table("regions")
    cbsa = regions[(regions["scheme"] == "cbsa") & regions["fips"].isin(counties)].set_index("fips")["region_id"]
    pop = store.load_table("workforce").set_index("fips")["population"].reindex(list(counties)).astype("float64")
    total = float(pop.sum())
    if not len(cbsa) or total <= 0:
        return None
    by_cbsa = pop.reindex(cbsa.index).groupby(cbsa).sum()
    best = str(by_cbsa.idxmax())
    metros = set(_table("occ_wages").query("area_kind == 'metro'")["cbsa"].dropna())
    return best if best in metros and float(by_cbsa[best]) >= 0.5 * total else None


@lru_cache(maxsize=1)
def _area_titles() -> pd.Series:
    return _table("occ_wages").drop_duplicates("area").set_index("area")["area_title"]


def wage_areas(region: Region, state: str) -> list[WageArea]:
    """Where the region's wages are read, nearest first: its metropolitan area, its state, the nation."""
    titles = _area_titles()
    out = []
    metro = region.id if region.scheme == "cbsa" else _metro_of(tuple(region.counties))
    if metro is not None and f"00{metro}" in titles.index:
        out.append(WageArea(f"00{metro}", "metro", f"{titles[f'00{metro}']} metropolitan area"))
    if f"{state}00000" in titles.index:
        out.append(WageArea(f"{state}00000", "state", state_names().get(state, titles[f"{state}00000"])))
    out.append(WageArea("0000000", "national", "the United States"))
    return out


@lru_cache(maxsize=1)
def _wage_rows() -> dict[str, np.ndarray]:
    """Each OEWS area's row positions in the wages table."""
    return _table("occ_wages").groupby("area").indices


@lru_cache(maxsize=512)
def _area_wages(area: str) -> pd.DataFrame:
    """One OEWS area's median annual wage per occupation (``a_median``, ``a_median_topcoded``); empty if none."""
    wages = _table("occ_wages")
    rows = wages.iloc[_wage_rows().get(area, np.zeros(0, np.int64))]
    return rows.set_index("occ_code")[["a_median", "a_median_topcoded"]]


@lru_cache(maxsize=1)
def _occupation_info() -> pd.DataFrame:
    return _table("occupations").set_index("occ_code")


# ---- the careers of one region and sector --------------------------------------------------


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    share: float  # of the sector's jobs (in the industries OEWS surveys)
    jobs: float | None  # estimated jobs in the region
    education: str | None  # typical entry education (BLS)
    rung: str | None  # entry | middle | degree
    experience: str | None  # work experience in a related occupation
    training: str | None  # typical on-the-job training
    apprenticeship: bool  # typical training is an apprenticeship
    apprenticeable: bool  # an apprenticeship or long-term on-the-job training
    job_zone: str | None  # O*NET job zone ("2", or "2-3" where O*NET codes differ)
    growth: float | None  # projected change (fraction), national
    openings: float | None  # projected annual openings, national
    wage: float | None  # median annual wage where it is published nearest the region
    wage_topcoded: bool  # at or above the top wage BLS publishes (the wage is that bound)
    wage_area: str  # which area the wage is from
    wage_level: str  # metro | state | national | none
    below_state_median: bool | None  # an entry job paying less than the state's median wage for all occupations


@dataclass(frozen=True)
class Rung:
    id: str
    label: str
    share: float
    jobs: float | None
    median_wage: float | None  # job-weighted median of the rung's occupations' median wages
    occupations: int


@dataclass(frozen=True)
class Careers:
    """Careers in one sector for one region (see the module docstring for the method)."""

    sector_id: str
    sector_name: str
    region_name: str
    year: int
    sector_jobs: float | None
    sector_jobs_basis: str  # published | estimate | range midpoint | none
    sector_jobs_low: float | None
    sector_jobs_high: float | None
    surveyed_share: float  # share of the sector's jobs in industries OEWS surveys
    not_surveyed: tuple[str, ...]  # NAICS codes OEWS does not survey
    released_share: float  # share of the sector's jobs in occupations whose employment BLS released
    indicators: Indicators
    occupations: tuple[Occupation, ...]
    ladder: tuple[Rung, ...]
    state: str
    state_name: str
    state_median_wage: float | None
    wage_areas: tuple[WageArea, ...]
    method: str
    sources: dict = field(default_factory=dict)

    def top(self, n: int = 15) -> tuple[Occupation, ...]:
        return self.occupations[:n]

    def entry_jobs_below_state_median(self) -> tuple[Occupation, ...]:
        return tuple(o for o in self.occupations if o.below_state_median)

    def to_json(self, top: int = 25) -> dict:
        """Plain JSON types: the sector, the staffing pattern, the ladder and the top occupations."""

        def num(x, digits=None):
            if x is None or (isinstance(x, float) and math.isnan(x)):
                return None
            return round(float(x), digits) if digits is not None else int(round(float(x)))

        return {
            "sector": {
                "id": self.sector_id,
                "name": self.sector_name,
                "year": self.year,
                "jobs": num(self.sector_jobs),
                "jobs_basis": self.sector_jobs_basis,
                "jobs_low": num(self.sector_jobs_low),
                "jobs_high": num(self.sector_jobs_high),
            },
            "staffing": {
                "mix": self.indicators.mix,
                "surveyed_share": num(self.surveyed_share, 4),
                "not_surveyed_naics": list(self.not_surveyed),
                "released_share": num(self.released_share, 4),
                **{k: num(v, 4) for k, v in self.indicators.as_dict().items() if k != "mix"},
            },
            "ladder": [
                {
                    "id": r.id,
                    "label": r.label,
                    "share": num(r.share, 4),
                    "jobs": num(r.jobs),
                    "median_wage": num(r.median_wage),
                    "occupations": r.occupations,
                }
                for r in self.ladder
            ],
            "state": {
                "fips": self.state,
                "name": self.state_name,
                "median_wage_all_occupations": num(self.state_median_wage),
            },
            "entry_jobs_below_state_median": [o.code for o in self.entry_jobs_below_state_median()],
            "occupations": [
                {
                    "code": o.code,
                    "title": o.title,
                    "share": num(o.share, 4),
                    "jobs_estimate": num(o.jobs),
                    "education": o.education,
                    "rung": o.rung,
                    "experience": o.experience,
                    "training": o.training,
                    "apprenticeship": o.apprenticeship,
                    "apprenticeable": o.apprenticeable,
                    "job_zone": o.job_zone,
                    "projected_growth": num(o.growth, 4),
                    "annual_openings_us": num(o.openings),
                    "median_wage": num(o.wage),
                    "median_wage_topcoded": o.wage_topcoded,
                    "wage_area": o.wage_area,
                    "wage_level": o.wage_level,
                    "below_state_median": o.below_state_median,
                }
                for o in self.occupations[:top]
            ],
            "projection_span": projection_span(),
            "method": self.method,
            "sources": dict(self.sources),
        }


def _occupations(
    pattern: pd.Series, areas: list[WageArea], jobs_surveyed: float | None, state_median: float | None
) -> list[Occupation]:
    """The staffing pattern's occupations with their requirements, outlook and the wage published nearest
    the region (the first of ``areas`` that publishes it, or its top-code)."""
    codes = pattern.index
    info = _occupation_info().reindex(codes)
    n = len(codes)
    wage = np.full(n, np.nan)
    top = np.zeros(n, bool)
    level = np.full(n, -1)
    for i, area in enumerate(areas):
        w = _area_wages(area.area).reindex(codes)
        median = w["a_median"].to_numpy(dtype="float64", na_value=np.nan)
        capped = w["a_median_topcoded"].fillna(False).to_numpy(dtype=bool)
        take = (level < 0) & (~np.isnan(median) | capped)
        wage[take], top[take], level[take] = median[take], capped[take], i

    def text(col: str) -> list[str | None]:
        return [None if pd.isna(v) else str(v) for v in info[col]]

    def number(col: str) -> list[float | None]:
        return [None if pd.isna(v) else float(v) for v in info[col]]

    titles, education, training, experience = text("title"), text("education"), text("training"), text("experience")
    zmin, zmax, change, openings = (
        number("job_zone_min"),
        number("job_zone_max"),
        number("change_pct"),
        number("openings"),
    )
    out = []
    for k, (code, share) in enumerate(pattern.items()):
        rung = RUNG_OF.get(education[k])
        w = None if np.isnan(wage[k]) else float(wage[k])
        area = areas[level[k]] if level[k] >= 0 else None
        below = None
        if rung == "entry" and state_median is not None and (w is not None or top[k]):
            below = (not top[k]) and w < state_median
        out.append(
            Occupation(
                code=code,
                title=titles[k] or code,
                share=float(share),
                jobs=None if jobs_surveyed is None else jobs_surveyed * float(share),
                education=education[k],
                rung=rung,
                experience=experience[k],
                training=training[k],
                apprenticeship=training[k] == APPRENTICESHIP,
                apprenticeable=training[k] in APPRENTICEABLE,
                job_zone=None
                if zmin[k] is None
                else (str(int(zmin[k])) if zmax[k] in (None, zmin[k]) else f"{int(zmin[k])}-{int(zmax[k])}"),
                growth=None if change[k] is None else change[k] / 100,
                openings=None if openings[k] is None else openings[k] * 1000,
                wage=w,
                wage_topcoded=bool(top[k]),
                wage_area=area.name if area else "not published",
                wage_level=area.kind if area else "none",
                below_state_median=below,
            )
        )
    return out


def _sector_jobs(row) -> tuple[float | None, str, float | None, float | None]:
    if row is None:
        return None, "none", None, None
    low, high = _float(row.get("emp_low")), _float(row.get("emp_high"))
    if _float(row.get("employment")) is not None:
        return _float(row["employment"]), "published", low, high
    if _float(row.get("employment_estimate")) is not None:
        return _float(row["employment_estimate"]), "estimate", low, high
    if low is not None and high is not None:
        return (low + high) / 2, "range midpoint", low, high
    return None, "none", low, high


def _float(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float | None:
    keep = ~np.isnan(values) & (weights > 0)
    if not keep.any():
        return None
    v, w = values[keep], weights[keep]
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, cum[-1] / 2)])


def region_careers(
    region: Region,
    sector_id: str,
    year: int | None = None,
    state: str | None = None,
    sector_row=None,
    weights: dict[str, float] | None = None,
) -> Careers:
    """Careers in ``sector_id`` for ``region`` in QCEW ``year`` (newest: None); wages fall back from the
    region's metropolitan area to ``state`` (default: the region's principal state) to the nation."""
    year = measures.resolve_year(year)
    sector = _sector(sector_id)
    state = comparison_state(region, state)
    if sector_row is None:
        m = sectors.region_sector_measures(region, year)
        match = m[m["group"] == sector_id]
        sector_row = match.iloc[0] if len(match) else None
    jobs, basis, low, high = _sector_jobs(sector_row)
    if weights is None:
        weights = region_weights([region], sector_id, year).get(region.id)
    codes = sector.codes_for_year(year)
    _, missing = covered(codes)
    w, mix = _mix(weights, codes)
    pattern = staffing_pattern(codes, w)
    surveyed = surveyed_share(weights, codes, year)
    ind = sector_indicators([region], sector_id, year, weights={region.id: weights} if weights else {})[region.id]
    areas = wage_areas(region, state)
    state_median = _float(_area_wages(f"{state}00000")["a_median"].get(TOTAL))
    jobs_surveyed = None if jobs is None or math.isnan(surveyed) else jobs * surveyed
    rows = _occupations(pattern, areas, jobs_surveyed, state_median)
    released = float(pattern.sum())
    ladder = []
    for rung_id, label, _ in RUNGS:
        members = [o for o in rows if o.rung == rung_id]
        share = getattr(
            ind, {"entry": "entry_hs_share", "middle": "middle_skill_share", "degree": "degree_share"}[rung_id]
        )
        wages_arr = np.array(
            [o.wage if o.wage is not None else (np.inf if o.wage_topcoded else np.nan) for o in members],
            dtype="float64",
        )
        median = _weighted_median(wages_arr, np.array([o.share for o in members], dtype="float64"))
        ladder.append(
            Rung(
                rung_id,
                label,
                share,
                None if jobs_surveyed is None else jobs_surveyed * share * released,
                None if median is None or math.isinf(median) else median,
                len(members),
            )
        )
    sources = {
        "staffing": cite("oews"),
        "wages": cite("oews"),
        "requirements": cite("projections"),
        "job_zones": cite("onet"),
        "sector_jobs": f"{measures_source()}, {year}",
    }
    return Careers(
        sector_id=sector.id,
        sector_name=sector.name,
        region_name=region.name,
        year=year,
        sector_jobs=jobs,
        sector_jobs_basis=basis,
        sector_jobs_low=low,
        sector_jobs_high=high,
        surveyed_share=surveyed,
        not_surveyed=tuple(missing),
        released_share=released,
        indicators=ind,
        occupations=tuple(rows),
        ladder=tuple(ladder),
        state=state,
        state_name=state_names().get(state, state),
        state_median_wage=state_median,
        wage_areas=tuple(areas),
        method=method_note(mix, basis, missing, codes),
        sources=sources,
    )


def projection_span() -> str:
    """The span of the projections the growth and openings are from ("2024-34"), as the manifest records it."""
    return str(store.manifest().get("vintages", {}).get("projections", "span not recorded"))


def measures_source() -> str:
    from dashboard.data.sources import SOURCES as QCEW

    s = QCEW["industry"]
    return f"{s.publisher}, {s.product}"


def method_note(mix: str, basis: str, not_surveyed=(), codes=()) -> str:
    """The estimate's label: how the region's jobs by occupation were estimated."""
    text = ESTIMATE_NOTE.format(mix=MIX_NOTES[mix])
    if basis == "estimate":
        text += " The sector's jobs are an estimate inside the range suppression leaves."
    elif basis == "range midpoint":
        text += " The sector's jobs are the midpoint of the range suppression leaves."
    if not_surveyed:
        text += (
            f" OEWS does not survey NAICS {', '.join(not_surveyed)} (farms and fishing), so those jobs are "
            "left out of the occupations."
        )
    moved = [c for c in codes if oews_code(c) != c]
    if moved:
        text += " " + " ".join(
            f"NAICS {c} is read from OEWS's NAICS {OEWS_VINTAGE} code {oews_code(c)}." for c in moved
        )
    return text
