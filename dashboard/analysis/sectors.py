"""Partnership sectors: the curated taxonomy, scoring, classification and scope checks.

Sectors are scored on concentration (LQ), growth against the nation, pay
against the region's average and size, with named, adjustable weights and
thresholds (:class:`ScoringParams`). Classes follow the guidance's contrast of
"existing strength or emerging specialty" with "wishful thinking":

==================  ====================================  ================
class               concentration (LQ)                    growth vs US
==================  ====================================  ================
existing strength   at least ``lq_concentrated``          at least ``growth_margin``
mature              at least ``lq_concentrated``          below
emerging            below                                 at least ``growth_margin``
weak                below                                 below
undetermined        no figure to decide by (no growth figure, or no estimate where the range straddles)
==================  ====================================  ================

Where cells are suppressed, concentration and growth are ranges (see
:mod:`dashboard.analysis.bounds`). A class is *determined* when every value in both
ranges gives the same class; otherwise the labelled estimate inside the ranges
decides and the verdict says *likely*. ``confidence`` says which: ``published``
(nothing suppressed), ``determined``, ``likely`` or ``not known from public data``.

"Likely" needs an informative range: on every axis the range leaves open, the
range must be narrow enough for the estimate to mean something. Where the LQ
range's high end is more than ``lq_known_ratio`` times its low end, or the
growth range is wider than ``growth_known_width`` (in fractions), while that
range straddles its threshold, the published figures allow values on both sides
by a wide margin and the estimate is a guess: the verdict is *not known from
public data*. So is a verdict with no figure to decide by. Such sectors are
ranked in their own group after every sector whose verdict is known, never
first. Scores use the estimate.

The limits are read against the figures themselves: an LQ range whose high end
is four times its low end holds both "half as concentrated as the nation" and
"twice as concentrated" around a threshold of 1; a growth range 50 points wide
holds both a sharp decline and a boom. Both are adjustable like the other
thresholds, and ``bench/certainty_bench.py`` reports the share of verdicts
they leave not known per region set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analysis import formatting, measures
from dashboard.data import naics as naics_vintages
from dashboard.data import paths, store

TAXONOMY_FILE = paths.DATA_DIR / "partnership_sectors.toml"
CLASSES = ("existing strength", "emerging", "mature", "weak", "undetermined")
NOT_KNOWN = "not known from public data"
#: How a class was reached: from published figures, from ranges that allow one class, by the estimate
#: inside an informative range, or not at all (the range is too wide for the estimate to decide).
CONFIDENCES = ("published", "determined", "likely", NOT_KNOWN)
#: One line per word, as the profile and the brief explain it.
CONFIDENCE_MEANING = {
    "published": "every figure behind the verdict is published by BLS; nothing is suppressed.",
    "determined": "some cells are suppressed, but every value the published figures allow gives this class.",
    "likely": "the published figures allow more than one class within a narrow range; the labelled estimate decides.",
    NOT_KNOWN: "the published figures allow values far on both sides of a class boundary; the estimate would be a guess.",
}


@dataclass(frozen=True)
class Sector:
    id: str
    name: str
    naics: tuple[str, ...]
    labor_management: bool
    note: str
    #: The codes of each NAICS vintage where they differ from ``naics`` (the codes of the oldest vintages).
    vintage_codes: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def codes(self, vintage: int) -> tuple[str, ...]:
        """The sector's NAICS codes in ``vintage``."""
        return dict(self.vintage_codes).get(int(vintage), self.naics)

    def every_code(self) -> tuple[str, ...]:
        """The sector's codes in any vintage (for a series spanning revisions, where each year holds its own)."""
        out = list(self.naics)
        for _, codes in self.vintage_codes:
            out += [c for c in codes if c not in out]
        return tuple(out)

    def codes_for_year(self, year: int | None = None) -> tuple[str, ...]:
        """The sector's NAICS codes in the vintage of a loaded year (newest: None)."""
        return self.codes(measures.naics_vintage(year))


@dataclass(frozen=True)
class ScoringParams:
    """Weights (summing to 1) and thresholds for scoring and classifying sectors."""

    weight_concentration: float = 0.40
    weight_growth: float = 0.25
    weight_pay: float = 0.20
    weight_size: float = 0.15
    #: LQ at or above which a sector counts as concentrated in the region.
    lq_concentrated: float = 1.0
    #: Growth minus national growth (fraction) at or above which a sector counts as growing.
    growth_margin: float = 0.0
    #: LQ that earns the full concentration score.
    lq_full_score: float = 2.0
    #: Growth advantage over the nation (fraction) that earns the full growth score; its negative earns zero.
    growth_full_score: float = 0.05
    #: Pay ratios to the regional average earning zero and the full pay score.
    pay_ratio_zero: float = 0.5
    pay_ratio_full: float = 1.5
    #: Share of the region's private jobs that earns the full size score.
    size_full_score: float = 0.10
    #: Employer pool from Sector Strategy Approaches: 25-30 champions at launch, 30-80 members in time.
    champions_min: int = 25
    members_min: int = 30
    #: An LQ range straddling ``lq_concentrated`` is informative only while its high end is at most this many
    #: times its low end; wider, the verdict is not known from public data.
    lq_known_ratio: float = 4.0
    #: A growth range straddling ``growth_margin`` is informative only while at most this wide (fraction).
    growth_known_width: float = 0.5

    def __post_init__(self):
        weights = [self.weight_concentration, self.weight_growth, self.weight_pay, self.weight_size]
        if any(w < 0 for w in weights) or not np.isclose(sum(weights), 1.0):
            raise ValueError(f"scoring weights must be non-negative and sum to 1, got {weights}")
        if self.lq_full_score <= 0 or self.growth_full_score <= 0 or self.size_full_score <= 0:
            raise ValueError("full-score levels must be positive")
        if self.pay_ratio_full <= self.pay_ratio_zero:
            raise ValueError("pay_ratio_full must exceed pay_ratio_zero")

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> tuple[Sector, ...]:
    """Read and check the taxonomy (default: ``partnership_sectors.toml`` of the data folder): unique ids,
    no NAICS code in two sectors. A file that is absent, not TOML or not a valid taxonomy raises a
    :class:`store.DataError` naming the file."""
    path = Path(path) if path is not None else paths.DATA_DIR / TAXONOMY_FILE.name
    raw = store.read_toml(path)
    try:
        return _parse_taxonomy(raw, path)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise store.content_error(path, exc) from exc


def _parse_taxonomy(raw: dict, path: Path) -> tuple[Sector, ...]:
    sectors, seen_ids, seen_codes = [], set(), {}
    beside = path.parent / naics_vintages.FILE_NAME  # a taxonomy's own concordance, else the data folder's
    vintages = naics_vintages.load(beside if beside.exists() else None)
    for i, entry in enumerate(raw.get("sector", []), start=1):
        for key in ("id", "name", "naics"):
            if key not in entry:
                raise ValueError(f"{path.name}: sector #{i} has no {key!r}")
        sid = entry["id"]
        if (
            not isinstance(sid, str)
            or not isinstance(entry["name"], str)
            or not isinstance(entry["naics"], list)
            or not all(isinstance(c, str) for c in entry["naics"])
        ):
            raise ValueError(f"sector #{i}: id and name must be text and naics a list of codes")
        if sid in seen_ids:
            raise ValueError(f"{path.name}: sector id {sid!r} appears twice")
        seen_ids.add(sid)
        for code in entry["naics"]:
            if code in seen_codes:
                raise ValueError(f"{path.name}: NAICS {code} is in both {seen_codes[code]!r} and {sid!r}")
            seen_codes[code] = sid
        sector = Sector(
            sid,
            entry["name"],
            tuple(entry["naics"]),
            bool(entry.get("labor_management", False)),
            entry.get("note", ""),
            _vintage_codes(entry.get("naics_by_vintage", {}), sid, vintages),
        )
        for vintage in vintages.names:  # every code must be a code of each vintage it is used in
            wrong = [c for c in sector.codes(vintage) if not vintages.exists(c, vintage)]
            if wrong:
                raise ValueError(
                    f"{path.name}: sector {sid!r} uses NAICS {', '.join(wrong)}, not a NAICS {vintage} code; "
                    f"list its NAICS {vintage} codes under naics_by_vintage"
                )
        sectors.append(sector)
    if not sectors:
        raise ValueError(f"{path.name}: no sectors defined")
    return tuple(sectors)


def _vintage_codes(table, sid: str, vintages) -> tuple[tuple[int, tuple[str, ...]], ...]:
    if not isinstance(table, dict):
        raise ValueError(f"sector {sid!r}: naics_by_vintage must map a vintage to a list of codes")
    out = []
    for key, codes in table.items():
        if not str(key).isdigit() or int(key) not in vintages.names:
            raise ValueError(f"sector {sid!r}: {key!r} is not a NAICS vintage of {naics_vintages.FILE_NAME}")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ValueError(f"sector {sid!r}: the NAICS {key} codes must be a list of codes")
        out.append((int(key), tuple(codes)))
    return tuple(sorted(out))


def sector_groups(sectors=None, year: int | None = None) -> dict[str, list[str]]:
    """Each sector's NAICS codes in the vintage of ``year`` (a loaded year; newest: None)."""
    vintage = measures.naics_vintage(year)
    return {s.id: list(s.codes(vintage)) for s in (sectors or load_taxonomy())}


def _ramp(x: pd.Series, zero: float, full: float) -> pd.Series:
    return ((x - zero) / (full - zero)).clip(0, 1)


def _first(measures: pd.DataFrame, *cols: str) -> pd.Series:
    """The first of ``cols`` the frame has, each gap filled from the next."""
    out = pd.Series(np.nan, index=measures.index, dtype="float64")
    for c in reversed(cols):
        if c in measures:
            out = measures[c].astype("float64").where(measures[c].notna(), out)
    return out


def score(measures: pd.DataFrame, params: ScoringParams = ScoringParams()) -> pd.Series:
    """Score 0-100 from concentration, growth vs US, pay ratio and size.

    Each term uses the published figure or, where cells are suppressed, the
    labelled estimate inside the range (``*_estimate`` columns); a frame
    without estimates falls back on the low end of the LQ range. A wide range
    lowers the verdict's confidence, not the score. A missing growth or pay
    figure scores zero on that term (it cannot vouch for the sector).
    """
    lq = _first(measures, "lq", "lq_estimate", "lq_low").fillna(0)
    growth = _first(measures, "growth_vs_us_estimate", "growth_vs_us")
    pay = _first(measures, "pay_ratio_estimate", "pay_ratio")
    size = _first(measures, "size_share_estimate", "size_share")
    parts = (
        params.weight_concentration * _ramp(lq, 0, params.lq_full_score)
        + params.weight_growth * _ramp(growth.fillna(-np.inf), -params.growth_full_score, params.growth_full_score)
        + params.weight_pay * _ramp(pay.fillna(-np.inf), params.pay_ratio_zero, params.pay_ratio_full)
        + params.weight_size * _ramp(size.fillna(0), 0, params.size_full_score)
    )
    return (100 * parts).round(1)


def guaranteed_score(measures: pd.DataFrame, params: ScoringParams = ScoringParams()) -> pd.Series:
    """The score every value the published figures allow reaches: each term at the low end of its range."""
    low = pd.DataFrame(index=measures.index)
    low["lq"] = _first(measures, "lq", "lq_low")
    low["growth_vs_us"] = _first(measures, "growth_vs_us_low", "growth_vs_us")
    low["pay_ratio"] = _first(measures, "pay_ratio_low", "pay_ratio")
    private = _first(measures, "private")
    low["size_share"] = (_first(measures, "employment", "emp_low") / private).where(private > 0)
    return score(low, params)


def _class_of(concentrated: pd.Series, growing: pd.Series) -> pd.Series:
    out = pd.Series("undetermined", index=concentrated.index, dtype=object)
    known = concentrated.notna() & growing.notna()
    c, g = concentrated[known].astype(bool), growing[known].astype(bool)
    out[known] = np.select([c & g, c & ~g, ~c & g], ["existing strength", "mature", "emerging"], "weak")
    return out


def verdicts(measures: pd.DataFrame, params: ScoringParams = ScoringParams()) -> pd.DataFrame:
    """Per row: ``class``, ``confidence`` (:data:`CONFIDENCES`) and ``verdict`` ("likely mature" where the estimate decides).

    Determined: the whole LQ range is on one side of ``lq_concentrated`` and the
    whole growth range on one side of ``growth_margin``. Otherwise, where
    estimates are given (``lq_estimate``, ``growth_vs_us_estimate``), they decide.
    """
    lq_low, lq_high = measures["lq_low"].astype("float64"), measures["lq_high"].astype("float64")
    g_point = (
        measures["growth_vs_us"].astype("float64")
        if "growth_vs_us" in measures
        else pd.Series(np.nan, index=measures.index)
    )
    g_low = _first(measures, "growth_vs_us_low", "growth_vs_us")
    g_high = _first(measures, "growth_vs_us_high", "growth_vs_us")
    thr, margin = params.lq_concentrated, params.growth_margin
    conc = pd.Series(pd.NA, index=measures.index, dtype="boolean")
    conc[lq_low >= thr] = True
    conc[lq_high < thr] = False
    grow = pd.Series(pd.NA, index=measures.index, dtype="boolean")
    grow[g_low >= margin] = True
    grow[g_high < margin] = False
    by_range = _class_of(conc, grow)

    lq_est = _first(measures, "lq", "lq_estimate")
    g_est = _first(measures, "growth_vs_us_estimate")
    conc_est = pd.Series(pd.NA, index=measures.index, dtype="boolean").mask(lq_est.notna(), lq_est >= thr)
    conc_est = conc_est.fillna(conc)
    grow_est = pd.Series(pd.NA, index=measures.index, dtype="boolean").mask(g_est.notna(), g_est >= margin)
    grow_est = grow_est.fillna(grow)
    by_estimate = _class_of(conc_est, grow_est)

    determined = by_range != "undetermined"
    published = determined & measures["lq"].notna() & g_point.notna() & (g_low == g_high)
    likely = ~determined & (by_estimate != "undetermined") & ~too_wide(measures, params)
    cls = by_range.where(determined, by_estimate)
    confidence = pd.Series(
        np.select([published, determined, likely], ["published", "determined", "likely"], NOT_KNOWN),
        index=measures.index,
        dtype=object,
    )
    verdict = cls.where(confidence != "likely", "likely " + cls).where(confidence != NOT_KNOWN, NOT_KNOWN)
    return pd.DataFrame({"class": cls, "confidence": confidence, "verdict": verdict}, index=measures.index)


def too_wide(measures: pd.DataFrame, params: ScoringParams = ScoringParams()) -> pd.Series:
    """Per row: True where a range that straddles its class boundary is too wide for the estimate to decide
    (the LQ range beyond ``lq_known_ratio``, the growth range beyond ``growth_known_width``)."""
    lq_low, lq_high = measures["lq_low"].astype("float64"), measures["lq_high"].astype("float64")
    thr, margin = params.lq_concentrated, params.growth_margin
    lq_open = (lq_low < thr) & (lq_high >= thr)
    with np.errstate(divide="ignore", invalid="ignore"):
        # a range from zero spans any ratio (unless no limit is set)
        lq_wide = lq_open & np.isfinite(params.lq_known_ratio) & ~(lq_high <= params.lq_known_ratio * lq_low)
    g_low = _first(measures, "growth_vs_us_low", "growth_vs_us")
    g_high = _first(measures, "growth_vs_us_high", "growth_vs_us")
    g_open = (g_low < margin) & (g_high >= margin)
    g_wide = g_open & ~((g_high - g_low) <= params.growth_known_width)
    return (lq_wide | g_wide).fillna(False).astype(bool)


def classify(measures: pd.DataFrame, params: ScoringParams = ScoringParams()) -> pd.Series:
    """One of :data:`CLASSES` per row: determined by the ranges, else decided by the estimate (see :func:`verdicts`)."""
    return verdicts(measures, params)["class"]


def employer_pool(establishments: int, params: ScoringParams = ScoringParams()) -> dict:
    """Establishments against the 25-30 champions and 30-80 members the guidance asks for."""
    pool = formatting.counted(int(establishments), "establishment")
    if establishments < params.champions_min:
        verdict = (
            f"{pool}: fewer than the {params.champions_min} employer champions a "
            "partnership aims for at launch; it cannot field a partnership on its own (join with a neighbouring region or an adjacent sector)."
        )
        level = "too small"
    elif establishments < params.members_min:
        verdict = (
            f"{pool}: enough for a launch group of champions, but short of the "
            f"{params.members_min}-80 members a mature partnership grows to."
        )
        level = "thin"
    else:
        verdict = (
            f"{pool}: a deep enough pool for {params.champions_min}-30 champions and {params.members_min}-80 members."
        )
        level = "sufficient"
    return {"establishments": int(establishments), "level": level, "verdict": verdict}


def geography_check(scheme: str, counties: int, states: int, population: int | None, whole_state: bool = False) -> dict:
    """Is the region the industry's natural labor-market size? (Sector Strategy Approaches; Primer.)"""
    if scheme == "state" or (whole_state and counties > 1) or (population or 0) > 10_000_000:
        return {
            "level": "too big",
            "verdict": "A whole state (or more) is too big for employers to meet as one table: use labor-market regions such as commuting zones or metro areas.",
        }
    if counties == 1 and (population or 0) < 50_000:
        # a one-county commuting zone is already its labor market: the advice is to join a neighbour, not itself
        wider = (
            "consider joining a neighbouring commuting zone or the metro area it trades with"
            if scheme == "cz"
            else "consider the commuting zone"
        )
        return {
            "level": "too small",
            "verdict": "A single small county is usually too small a labor market: most partnerships span several "
            f"counties; {wider}.",
        }
    return {
        "level": "just right",
        "verdict": "A regional labor market that crosses county lines where needed: the scale the guidance recommends.",
    }


def rank_sectors(measures: pd.DataFrame, params: ScoringParams = ScoringParams(), sectors=None) -> pd.DataFrame:
    """Score, classify and rank the partnership sectors of one region (``measures`` from group_measures)."""
    names = {s.id: s.name for s in (sectors or load_taxonomy())}
    out = measures.copy()
    out["name"] = out["group"].map(names)
    out["score"] = score(out, params)
    out[["class", "confidence", "verdict"]] = verdicts(out, params)
    out["pool"] = out["estabs"].map(lambda n: employer_pool(int(n), params)["level"])
    size = _first(out, "employment", "employment_estimate", "emp_low")
    # sectors not known from public data form their own group, after every sector whose verdict is known,
    # ordered by what the published figures guarantee (the score of every range's low end), not by a guess
    unknown = out["confidence"] == NOT_KNOWN
    key = out["score"].where(~unknown, guaranteed_score(out, params))
    return (
        out.assign(_size=size, _unknown=unknown, _key=key)
        .sort_values(["_unknown", "_key", "_size"], ascending=[True, False, False])
        .drop(columns=["_size", "_unknown", "_key"])
        .reset_index(drop=True)
    )


def region_sector_measures(region, year: int | None = None) -> pd.DataFrame:
    """:func:`measures.group_measures` of every partnership sector for one region in ``year`` (newest: None)."""
    area_region, _ = measures.qcew_area_region([region], year)
    return measures.group_measures(area_region, sector_groups(year=year), year)
