"""Ranges for suppressed QCEW cells from every published figure, and an estimate inside them.

A QCEW cell (an area's jobs in one industry) is suppressed where publishing it
would disclose an employer. It is never counted as zero and never backed out:
every figure BLS does publish constrains it, all at once:

* the NAICS hierarchy: an area's 3-digit subsectors add up to their 2-digit
  sector, its sectors to its private total; the private total is at most the
  area's total covered jobs (all ownerships);
* the geography: a state's row is its counties plus its unallocated (xx999)
  row; an official metro row is its member counties, where the metro's
  published total shows the same delineation as today's member list;
* an industry without a row in an area had no establishment there that year:
  zero jobs; nothing is negative.

Published annual averages are rounded to whole jobs, so a sum of ``k`` published
figures matches its published total within ``(k + 1) / 2`` jobs: every
equation holds within that much. Wages are sums of whole dollars and add up
exactly (checked on the bundled year: every fully published sector, state and
metro reconciles to the dollar); they get the same allowance, which costs
nothing.

Cell ranges are found by interval propagation over these equations (the
"shuttle" algorithm of Buzzigoli and Giusti for bounds on the cells of a table
with published margins): each equation narrows each of its cells to what the
others leave room for, repeated until nothing moves. Every step keeps the true
value inside, so the final range contains it. The ranges are integer (a hidden
annual average is a whole job), which makes the iteration finite.

The estimate is proportional allocation within the published parent: each
suppressed cell starts at its establishment count times the industry's typical
jobs per establishment (published county cells of the same industry, nationally),
then the part of every published total that its published cells leave is shared
among its suppressed cells in proportion to those starting values, clamped to the
cells' ranges, alternating over the hierarchy and the geography until it settles
(iterative proportional fitting). Proportional fitting alone can leave a cell
at zero (once scaled to zero it never grows again) and stop before every
family adds up, so the jobs table is then fitted once more, all equations at
once, in the spirit of Eckert, Fort, Schott and Yang (NBER working paper 26632,
2020), who fill County Business Patterns' suppressed cells with the table
closest to an initial guess that satisfies every published margin: :func:`fit`
finds the whole-job table, inside every cell's range, whose families
(subsectors in their sector, sectors in the private total, counties in their
state and metro) add up to their parents within rounding, that moves least from
the proportional estimate (the sum of relative moves), and that keeps every
cell with establishments at one job or more unless the published figures leave
no room (a linear program with whole numbers, HiGHS). Wages and last year's
jobs follow the fitted jobs by proportional fitting. It is an estimate, always
labelled so; it never replaces a published figure.

Four tables are bounded this way: jobs (``emplvl``), wages (``total_wages``),
last year's jobs (``prior``: this year's jobs minus the published one-year
change, where both are published) and the change itself. Last year an industry
may have had jobs in an area that has no row this year, so a prior-year total
is at least, not exactly, the sum of its present parts (and its change at most
theirs) unless every part has a row. The published changes add up across the
hierarchy and the geography except in a handful of cells (about 30 equations of
the bundled year); equations whose published figures contradict each other are
set aside rather than trusted.

The build stores each cell's range and estimate with the industry table. Two
layers of :mod:`dashboard.analysis.bounds` use them: ``group_range`` gives a group of NAICS
codes in every area at once (the closed form of the hierarchy: a group is at
most its published sector less the least its other subsectors can hold, and so
on up to the private total), and :mod:`dashboard.analysis.measures` sums areas into
regions and narrows them by the states' and metros' published rows.
:func:`lp_range` (and ``bounds.lp_group_range``) solve the exact linear program
(scipy's HiGHS): the reference the closed forms are checked against.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

TOTAL = "10"
#: Families of equations: 3-digit -> 2-digit, 2-digit -> private total, counties -> state, counties -> metro.
SUBSECTOR, SECTOR, STATE, METRO = 0, 1, 2, 3
KINDS = (SUBSECTOR, SECTOR, STATE, METRO)
#: Rounding allowance per published figure in an equation, per table.
UNIT = {"emplvl": 0.5, "wages": 0.5, "prior": 0.51, "change": 0.01}


def rounding_units(change: np.ndarray) -> dict[str, float]:
    """The rounding allowance per published figure of each table for one year, from its published changes.

    The annual files publish the one-year change in whole jobs (half a job either way); a change worked out
    from the quarterly files carries cents. Last year's jobs (this year's less the change) carry both
    roundings. Too small an allowance would let rounded figures contradict each other or cut a range short.
    """
    published = change[~np.isnan(change)]
    whole = bool(published.size) and bool(np.all(published == np.round(published)))
    unit = UNIT["emplvl"] if whole else UNIT["change"]
    return {**UNIT, "prior": UNIT["emplvl"] + unit, "change": unit}


#: Lattice of each table's values: whole jobs, whole dollars, prior jobs to the cent of a job.
STEP = {"emplvl": 1.0, "wages": 1.0, "prior": 0.01, "change": 0.01}
#: How far a part may exceed its parent (a part's jobs never exceed its sector's; a published figure is a
#: rounded average and rounding keeps the order, but last year's jobs carry this year's rounding too).
ABOVE_PARENT = {"emplvl": 0.0, "wages": 0.0, "prior": 1.0}
#: Columns the build adds to the industry table (private rows; missing where the figure is published).
CELL_COLUMNS = [
    "emplvl_low",
    "emplvl_high",
    "emplvl_estimate",
    "wages_low",
    "wages_high",
    "wages_estimate",
    "prior_low",
    "prior_high",
    "prior_estimate",
    "change_low",
    "change_high",
]
MAX_ROUNDS = 200


class CellFault(ValueError):
    """Rows whose ranges cannot be solved; ``naics`` is the industry at fault (its file is to blame)."""

    def __init__(self, naics: str, problem: str):
        self.naics = str(naics)
        super().__init__(problem)


def sector_of(code: str) -> str | None:
    """The NAICS parent as QCEW spells it: 3-digit -> 2-digit sector ("336" -> "31-33"),
    2-digit -> the private total "10", the total -> None."""
    if code == TOTAL:
        return None
    if len(code) == 3 and code.isdigit():
        two = int(code[:2])
        for lo, hi, name in ((31, 33, "31-33"), (44, 45, "44-45"), (48, 49, "48-49")):
            if lo <= two <= hi:
                return name
        return code[:2]
    return TOTAL


def children_of(codes) -> dict[str, list[str]]:
    """Parent code -> its child codes among ``codes`` (sorted)."""
    return {k: list(v) for k, v in _children(tuple(sorted(set(codes)))).items()}


@lru_cache(maxsize=64)
def _children(codes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for c in codes:
        p = sector_of(c)
        if p is not None:
            out.setdefault(p, []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def collapse(codes, known_codes) -> list[str]:
    """``codes`` with every complete set of siblings replaced by their parent, repeatedly.

    ``known_codes`` are every code of the year; a parent stands for its children
    only when all of them are in ``codes`` (111-115 -> 11), so a group that is a
    whole published sector is measured by that sector's own published figure.
    """
    return list(_collapse(tuple(sorted(set(codes))), tuple(sorted(set(known_codes)))))


@lru_cache(maxsize=2048)
def _collapse(codes: tuple[str, ...], known_codes: tuple[str, ...]) -> tuple[str, ...]:
    kids = _children(known_codes)
    out = set(codes)
    changed = True
    while changed:
        changed = False
        for parent, ch in kids.items():
            if parent not in out and ch and set(ch) <= out:
                out -= set(ch)
                out.add(parent)
                changed = True
    return tuple(sorted(out))


# ------------------------------------------------------------------ the equations of one year


@dataclass(frozen=True)
class System:
    """The cells of one year (private rows) and the equations among them.

    Family ``f`` says ``cell[fam_parent[f]] = sum of its children + slack``;
    children are listed per kind as pairs (``child_fam``, ``child_cell``).
    ``fam_complete`` is False where a part may lack a row this year but have
    had jobs last year (it matters to the prior-year table only).
    """

    area: np.ndarray
    code: np.ndarray
    fam_parent: np.ndarray
    fam_kind: np.ndarray
    fam_size: np.ndarray
    fam_complete: np.ndarray
    child_fam: np.ndarray
    child_cell: np.ndarray
    #: per cell: the area's total covered figures where the cell is the private total, else NaN
    cap_emplvl: np.ndarray
    cap_wages: np.ndarray
    cap_prior: np.ndarray
    metros_used: tuple[str, ...]

    def kind(self, k: int, active: np.ndarray | None = None):
        """(family ids, child families, child cells) of one kind (of the ``active`` families)."""
        on = self.fam_kind == k
        if active is not None:
            on &= active
        fams = np.flatnonzero(on)
        sel = np.isin(self.child_fam, fams) if len(fams) else np.zeros(len(self.child_fam), bool)
        return fams, self.child_fam[sel], self.child_cell[sel]


def matched_metros(rows: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None) -> dict[str, tuple[str, ...]]:
    """The metros whose published total covered jobs equal their member counties' within rounding:
    the same delineation, so the metro row is the sum of those counties."""
    if not metros:
        return {}
    tot = rows[(rows["own_code"] == 0) & (rows["naics"] == TOTAL)].set_index("area_fips")["emplvl"]
    out = {}
    for code, counties in sorted(metros.items()):
        if code not in tot.index or pd.isna(tot[code]) or not counties:
            continue
        parts = tot.reindex(list(counties))
        if parts.isna().any():
            continue
        if abs(float(parts.sum()) - float(tot[code])) <= (len(parts) + 1) / 2:
            out[code] = tuple(sorted(counties))
    return out


def build_system(rows: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None = None) -> tuple[System, pd.DataFrame]:
    """The equations among one year's private cells.

    ``rows`` are one year's industry rows (any ownerships; private ones are the
    cells, total covered ones give the caps); ``metros`` maps QCEW metro codes
    (``C1814``) to member county FIPS. Returns the system and the private rows
    in cell order.
    """
    cells = rows[rows["own_code"] == 5].reset_index(drop=True)
    area = cells["area_fips"].to_numpy(dtype=object)
    code = cells["naics"].to_numpy(dtype=object)
    key = pd.MultiIndex.from_arrays([cells["area_fips"], cells["naics"]])
    if key.has_duplicates:
        twice = cells[key.duplicated()].iloc[0]
        raise CellFault(
            twice["naics"], f"area {twice['area_fips']}, NAICS {twice['naics']} is listed twice in one year"
        )
    pos = pd.Series(np.arange(len(cells)), index=key)

    fam_parent, fam_kind, fam_complete, child_fam, child_cell = [], [], [], [], []

    def add(kind: int, parent_ids: np.ndarray, child_groups: np.ndarray, child_ids: np.ndarray, complete: np.ndarray):
        # parent_ids[g], complete[g] per group g; child_groups[j] the group of child j
        base = sum(len(p) for p in fam_parent)
        fam_parent.append(parent_ids.astype(np.int64))
        fam_kind.append(np.full(len(parent_ids), kind, np.int8))
        fam_complete.append(complete.astype(bool))
        child_fam.append((child_groups + base).astype(np.int64))
        child_cell.append(child_ids.astype(np.int64))

    # NAICS hierarchy, within each area
    parent_code = pd.Series(code).map({c: sector_of(c) for c in set(code)})
    expected = {p: len(ch) for p, ch in children_of(code).items()}
    for kind, level in ((SUBSECTOR, 3), (SECTOR, 2)):
        is_child = (cells["naics_level"] == level).to_numpy()
        ids = np.flatnonzero(is_child)
        pkey = pd.MultiIndex.from_arrays([cells["area_fips"].to_numpy()[ids], parent_code.to_numpy()[ids]])
        ppos = pos.reindex(pkey).to_numpy()
        ok = ~pd.isna(ppos)
        ids, ppos = ids[ok], ppos[ok].astype(np.int64)
        groups, parent_ids = pd.factorize(ppos, sort=True)
        n = np.bincount(groups, minlength=len(parent_ids))
        want = np.array([expected.get(code[p], 0) for p in parent_ids])
        add(kind, np.asarray(parent_ids), groups, ids, n >= want)

    # geography: state = its counties + its unallocated row; metro = its member counties
    atype = cells["area_type"].to_numpy(dtype=object)
    st2 = cells["area_fips"].str[:2].to_numpy(dtype=object)
    sub = np.isin(atype, ["county", "unallocated"])
    areas_per_state = pd.Series(area[sub]).groupby(st2[sub]).nunique()
    ids = np.flatnonzero(sub)
    pkey = pd.MultiIndex.from_arrays([st2[ids] + "000", code[ids]])
    ppos = pos.reindex(pkey).to_numpy()
    ok = ~pd.isna(ppos)
    ids, ppos = ids[ok], ppos[ok].astype(np.int64)
    keep = atype[ppos] == "state"
    ids, ppos = ids[keep], ppos[keep]
    groups, parent_ids = pd.factorize(ppos, sort=True)
    n = np.bincount(groups, minlength=len(parent_ids))
    want = np.array([areas_per_state.get(area[p][:2], 0) for p in parent_ids])
    add(STATE, np.asarray(parent_ids), groups, ids, n >= want)

    used = matched_metros(rows, metros)
    if used:
        member = pd.Series({c: m for m, cs in used.items() for c in cs})
        county_ids = np.flatnonzero(atype == "county")
        m_of = member.reindex(area[county_ids]).to_numpy(dtype=object)
        has = ~pd.isna(m_of)
        ids = county_ids[has]
        pkey = pd.MultiIndex.from_arrays([m_of[has].astype(str), code[ids]])
        ppos = pos.reindex(pkey).to_numpy()
        ok = ~pd.isna(ppos)
        ids, ppos = ids[ok], ppos[ok].astype(np.int64)
        groups, parent_ids = pd.factorize(ppos, sort=True)
        n = np.bincount(groups, minlength=len(parent_ids))
        want = np.array([len(used[area[p]]) for p in parent_ids])
        add(METRO, np.asarray(parent_ids), groups, ids, n >= want)

    def cat(xs, dt):
        return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)

    fp = cat(fam_parent, np.int64)
    cf = cat(child_fam, np.int64)
    size = np.bincount(cf, minlength=len(fp))

    # the private total is at most the area's total covered jobs (and wages)
    tot = rows[(rows["own_code"] == 0) & (rows["naics"] == TOTAL)].set_index("area_fips")
    is_root = code == TOTAL
    cap = {}
    for name, col in (("emplvl", "emplvl"), ("wages", "total_wages")):
        v = tot[col].astype("float64").reindex(area).to_numpy()
        cap[name] = np.where(is_root, v, np.nan)
    prior_tot = (tot["emplvl"].astype("float64") - tot["oty_emplvl_chg"].astype("float64")).reindex(area).to_numpy()
    cap["prior"] = np.where(is_root, prior_tot + 0.5, np.nan)
    system = System(
        area,
        code,
        fp,
        cat(fam_kind, np.int8),
        size,
        cat(fam_complete, bool),
        cf,
        cat(child_cell, np.int64),
        cap["emplvl"],
        cap["wages"],
        cap["prior"],
        tuple(sorted(used)),
    )
    return system, cells


# ------------------------------------------------------------------ ranges


def _slack(system: System, table: str, unit: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per family: how far the parent may sit above (``hi``) or below (``-lo``) the sum of its present parts
    (``unit``: the rounding allowance per figure, :data:`UNIT` unless given; 0 for exact sums)."""
    tol = (UNIT[table] if unit is None else unit) * (system.fam_size + 1)
    lo, hi = -tol, tol.copy()
    if table == "prior":
        # a part without a row this year may have had jobs last year: the parent may exceed its present parts
        hi = np.where(system.fam_complete, tol, np.inf)
    elif table == "change":
        # ... and lost them all this year: the parent's change may fall short of its present parts' changes
        lo = np.where(system.fam_complete, -tol, -np.inf)
    return lo, hi


def _snap(lo: np.ndarray, hi: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Round inward to the lattice of the values (sound: the truth lies on it)."""
    eps = 1e-6
    lo = np.ceil(lo / step - eps) * step
    hi = np.floor(hi / step + eps) * step
    return lo, hi


def propagate(
    system: System,
    value: np.ndarray,
    table: str,
    max_rounds: int = MAX_ROUNDS,
    unit: float | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """The range of every cell allowed by all equations at once (``value``: published figure or NaN).

    Where published figures contradict each other beyond rounding (last year's
    jobs rest on the published one-year changes, which in a handful of cells do
    not add up), the equations involved are set aside and the propagation starts
    again: a range is never built on a contradiction. ``start`` gives the
    suppressed cells' ranges to begin from (default: from zero to the caps;
    the change has no floor but this year's and last year's ranges). Returns
    low, high and what was done (rounds run, equations set aside).
    """
    known = ~np.isnan(value)
    nan = np.full(len(value), np.nan)
    cap = {"emplvl": system.cap_emplvl, "wages": system.cap_wages, "prior": system.cap_prior, "change": nan}[table]
    above = ABOVE_PARENT.get(table)
    glo, ghi = _slack(system, table, unit)
    active = np.ones(len(system.fam_parent), bool)
    # equations among published figures only that fail outright
    s = np.bincount(system.child_fam, np.nan_to_num(value[system.child_cell]), len(active))
    all_known = np.bincount(system.child_fam, ~known[system.child_cell], len(active)) == 0
    gap = value[system.fam_parent] - s
    active &= ~(all_known & known[system.fam_parent] & ((gap < glo - 1e-6) | (gap > ghi + 1e-6)))
    step = STEP[table]
    total_rounds = 0
    for _ in range(20):
        lo, hi = _start(value, known, cap, start)
        kinds = [system.kind(k, active) for k in KINDS]
        bad = np.zeros(len(value), bool)
        for _round in range(max_rounds):
            total_rounds += 1
            before_lo, before_hi = lo.copy(), hi.copy()
            for fams, cf, cc in kinds:
                if len(fams):
                    _narrow(system, fams, cf, cc, lo, hi, glo, ghi, above)
            lo, hi = _snap(lo, hi, step)
            lo[known], hi[known] = value[known], value[known]
            bad = lo > hi + 1e-9
            if bad.any():
                break
            # every round keeps the truth inside, so stopping early is safe: stop once no end moves by half a job
            if max(_moved(lo, before_lo), _moved(hi, before_hi)) < 0.5:
                break
        if not bad.any():
            break
        hit = bad[system.fam_parent].copy()
        hit[np.unique(system.child_fam[bad[system.child_cell]])] = True
        active &= ~hit
    else:  # still contradictory: fall back to what nothing contradicts
        lo, hi = _start(value, known, cap, start)
    return lo, hi, {"rounds": total_rounds, "set_aside": int((~active).sum()), "active": active}


def _start(value, known, cap, start):
    if start is not None:
        lo, hi = start
        return np.where(known, value, lo), np.where(known, value, hi)
    return np.where(known, value, 0.0), np.where(known, value, np.where(np.isnan(cap), np.inf, cap))


def _moved(a: np.ndarray, b: np.ndarray) -> float:
    finite = np.isfinite(a) & np.isfinite(b)
    changed = (a != b) & ~finite
    if changed.any():
        return np.inf
    return float(np.abs(a[finite] - b[finite]).max()) if finite.any() else 0.0


def _narrow(system, fams, cf, cc, lo, hi, glo, ghi, above: float | None = None) -> None:
    """One pass over the families of one kind (in place): parents from parts, parts from parents
    (and, for tables of counts, no part above its parent by more than ``above``)."""
    nf = len(system.fam_parent)
    clo, chi = lo[cc], hi[cc]
    inf_hi = np.isinf(chi)
    s_lo = np.bincount(cf, clo, nf)
    s_hi = np.bincount(cf, np.where(inf_hi, 0.0, chi), nf)
    n_inf = np.bincount(cf, inf_hi, nf)
    p = system.fam_parent[fams]
    # the parent lies within the sum of its parts, give or take the slack
    with np.errstate(invalid="ignore"):
        p_lo = s_lo[fams] + glo[fams]
        p_hi = np.where(n_inf[fams] > 0, np.inf, s_hi[fams] + ghi[fams])
        lo[p] = np.fmax(lo[p], p_lo)
        hi[p] = np.fmin(hi[p], p_hi)
        # each part lies within what the parent leaves after the others
        plo, phi = lo[system.fam_parent[cf]], hi[system.fam_parent[cf]]
        others_hi = s_hi[cf] - np.where(inf_hi, 0.0, chi)
        others_inf = n_inf[cf] - inf_hi
        c_lo = np.where(others_inf > 0, -np.inf, plo - ghi[cf] - others_hi)
        c_hi = phi - glo[cf] - (s_lo[cf] - clo)
        if above is not None:
            c_hi = np.fmin(c_hi, phi + above)
        lo[cc] = np.fmax(lo[cc], c_lo)
        hi[cc] = np.fmin(hi[cc], c_hi)


# ------------------------------------------------------------------ the exact problem


def lp_range(
    system: System,
    value: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    table: str,
    objectives: list[np.ndarray],
    cells: np.ndarray | None = None,
    unit: float | None = None,
    extra_le=None,
) -> list[tuple[float, float]]:
    """Minimum and maximum of each objective (a weight per cell) over every table the equations allow.

    ``extra_le`` (a sparse matrix, a column per cell) adds conditions ``row . x <= 0``, such as "a
    group of subsectors holds no more jobs than the sector they belong to".

    ``lo``/``hi`` are the cells' ranges (from :func:`propagate`, or 0 and the caps);
    ``cells`` restricts the problem to the equations whose cells all lie in it
    (fewer equations: the result can only be wider, never exclude the truth).
    A linear program per objective and direction (scipy's HiGHS).
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n = len(value)
    inside = np.ones(n, bool) if cells is None else np.isin(np.arange(n), cells)
    unknown = np.isnan(value) & inside & (hi > lo)
    col = np.full(n, -1, np.int64)
    col[unknown] = np.arange(unknown.sum())
    fixed = np.where(unknown, 0.0, np.where(np.isnan(value), lo, value))
    glo, ghi = _slack(system, table, unit)
    # a family enters when all its cells are inside
    fam_in = inside[system.fam_parent].copy()
    bad = ~inside[system.child_cell]
    fam_in[np.unique(system.child_fam[bad])] = False
    fams = np.flatnonzero(fam_in)
    row_of = np.full(len(system.fam_parent), -1, np.int64)
    row_of[fams] = np.arange(len(fams))
    # parent - sum(children) in [glo, ghi]
    r_p, c_p = row_of[fams], col[system.fam_parent[fams]]
    sel = np.isin(system.child_fam, fams)
    cf, cc = system.child_fam[sel], system.child_cell[sel]
    r_c, c_c = row_of[cf], col[cc]
    rows = np.r_[r_p[c_p >= 0], r_c[c_c >= 0]]
    cols = np.r_[c_p[c_p >= 0], c_c[c_c >= 0]]
    vals = np.r_[np.ones((c_p >= 0).sum()), -np.ones((c_c >= 0).sum())]
    const = fixed[system.fam_parent[fams]] - np.bincount(row_of[cf], fixed[cc], len(fams))
    a = coo_matrix((vals, (rows, cols)), shape=(len(fams), int(unknown.sum()))).tocsr()
    upper, lower = ghi[fams] - const, glo[fams] - const
    a_ub, b_ub = [a], [upper]
    finite = np.isfinite(lower)
    a_ub.append(-a[finite])
    b_ub.append(-lower[finite])
    from scipy.sparse import vstack

    if extra_le is not None and extra_le.shape[0]:
        extra_le = extra_le.tocsc()
        a_ub.append(extra_le[:, np.flatnonzero(unknown)])
        b_ub.append(-(extra_le @ fixed))
    a_ub = vstack(a_ub).tocsr()
    b_ub = np.concatenate(b_ub)
    keep = np.isfinite(b_ub)
    a_ub, b_ub = a_ub[keep], b_ub[keep]
    box = list(zip(lo[unknown], np.where(np.isinf(hi[unknown]), None, hi[unknown])))
    out = []
    for w in objectives:
        base = float(np.dot(w, fixed))
        c = w[unknown]
        ends = []
        for sign in (1.0, -1.0):
            if not c.any():
                ends.append(base)
                continue
            res = linprog(sign * c, A_ub=a_ub, b_ub=b_ub, bounds=box, method="highs")
            if res.status == 3:
                ends.append(sign * np.inf)
            elif res.status != 0:
                raise RuntimeError(f"the bounds problem has no solution ({res.message})")
            else:
                ends.append(base + sign * res.fun)
        out.append((ends[0], ends[1]))
    return out


# ------------------------------------------------------------------ the estimate


def allocate(
    system: System,
    value: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    start: np.ndarray,
    table: str,
    active: np.ndarray | None = None,
    rounds: int = 20,
) -> np.ndarray:
    """Proportional allocation within the published parents (iterative proportional fitting).

    Every suppressed cell starts at ``start`` (clamped to its range); then, family
    by family, what the parent leaves after its published parts is shared among
    its suppressed parts in proportion to their current values, each clamped to
    its range. Kinds are visited in turn (subsectors, sectors, states, metros)
    until the values settle. Published cells keep their figures.
    """
    known = ~np.isnan(value)
    est = np.where(known, value, np.clip(start, lo, np.where(np.isinf(hi), np.nan, hi)))
    est = np.where(np.isnan(est), np.where(known, value, np.maximum(start, lo)), est)
    nf = len(system.fam_parent)
    kinds = [system.kind(k, active) for k in KINDS]
    for _ in range(rounds):
        before = est.copy()
        for fams, cf, cc in kinds:
            if not len(fams):
                continue
            free = ~known[cc]
            fixed_sum = np.bincount(cf, np.where(free, 0.0, est[cc]), nf)
            free_sum = np.bincount(cf, np.where(free, est[cc], 0.0), nf)
            target = est[system.fam_parent] - fixed_sum
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(free_sum > 0, np.maximum(target, 0.0) / free_sum, 1.0)
            if table == "prior":
                # a part without a row may hold the rest of last year's total: scale down only
                factor = np.where(system.fam_complete, factor, np.minimum(factor, 1.0))
            new = est[cc] * factor[cf]
            est[cc] = np.where(free, np.clip(new, lo[cc], hi[cc]), est[cc])
            # a suppressed parent follows its parts
            p = system.fam_parent[fams]
            free_p = ~known[p]
            s = fixed_sum[fams] + np.bincount(cf, np.where(free, est[cc], 0.0), nf)[fams]
            est[p] = np.where(free_p, np.clip(0.5 * (est[p] + s), lo[p], hi[p]), est[p])
        # settled: no cell moves by more than a thousandth of itself (or a tenth of a unit)
        if (np.abs(est - before) <= np.maximum(1e-3 * np.abs(before), 0.1)).all():
            break
    step = STEP[table]
    est = np.clip(np.round(est / step) * step, lo, hi)
    return est


#: Cost per job of taking an estimate below its floor (a cell with establishments held above zero): far above
#: any relative move, so the floor gives way only where the published figures leave no room for it.
FLOOR_PENALTY = 1000.0


def fit(
    system: System,
    value: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    guess: np.ndarray,
    floor: np.ndarray,
    table: str,
    active: np.ndarray | None = None,
    integral: bool = True,
) -> np.ndarray:
    """The table closest to ``guess`` that every published equation allows at once (a linear program).

    Among all values of the suppressed cells that lie in their ranges and make
    every active family add up to its parent within rounding (the same
    equations as :func:`lp_range`, across the hierarchy and the geography at
    once), it picks the one with the least total relative move from ``guess``:
    sum of ``|x - guess| / max(guess, 1)``. A cell is kept at or above ``floor``
    (a job for a cell with establishments) unless the published figures leave no
    room, which costs :data:`FLOOR_PENALTY` per job. Solved by HiGHS (scipy's
    ``milp`` without integer variables); the result is rounded to the table's
    lattice. Falls back to ``guess`` clamped to the ranges if the solver fails.
    """
    from scipy.optimize import Bounds, LinearConstraint
    from scipy.sparse import coo_matrix, hstack

    n = len(value)
    known = ~np.isnan(value)
    step = STEP[table]
    hi_f = np.where(np.isinf(hi), np.nan, hi)
    f = np.fmax(lo, np.fmin(hi_f, floor))
    f = np.where(np.isnan(f), lo, f)
    s = np.clip(np.fmax(guess, f), lo, np.where(np.isnan(hi_f), np.inf, hi_f))
    free = ~known & (hi > lo)
    x0 = np.where(known, value, np.where(free, s, lo))
    fams = np.arange(len(system.fam_parent)) if active is None else np.flatnonzero(active)
    glo, ghi = _slack(system, table)
    sel = np.isin(system.child_fam, fams)
    row_of = np.full(len(system.fam_parent), -1, np.int64)
    row_of[fams] = np.arange(len(fams))
    rows = np.r_[row_of[fams], row_of[system.child_fam[sel]]]
    cols = np.r_[system.fam_parent[fams], system.child_cell[sel]]
    vals = np.r_[np.ones(len(fams)), -np.ones(int(sel.sum()))]
    a_all = coo_matrix((vals, (rows, cols)), shape=(len(fams), n)).tocsc()
    const = a_all @ x0
    idx = np.flatnonzero(free)
    if not len(idx):
        return np.clip(np.round(x0 / step) * step, lo, hi)
    a = a_all[:, idx].tocsr()
    touched = np.diff(a.indptr) > 0
    a = a[touched]
    lb, ub = (glo[fams] - const)[touched], (ghi[fams] - const)[touched]
    si, fi, li, hii = s[idx], f[idx], lo[idx], hi[idx]
    w = 1.0 / np.maximum(np.abs(si), 1.0)
    # x = s + up - down - below, down to the floor at the relative cost, below it at the floor's price
    cost = np.r_[w, w, w + FLOOR_PENALTY]
    upper = np.r_[np.where(np.isinf(hii), np.inf, hii - si), si - fi, fi - li]
    matrix = hstack([a, -a, -a]).tocsr()
    try:
        res = _milp(
            cost,
            constraints=LinearConstraint(matrix, lb, ub),
            bounds=Bounds(np.zeros(len(cost)), np.maximum(upper, 0.0)),
            integrality=np.ones(len(cost)) if integral else None,
        )
    except ValueError:
        res = None
    if res is None or res.x is None:
        return np.clip(np.round(x0 / step) * step, lo, hi)
    k = len(idx)
    x = x0.copy()
    x[idx] = si + res.x[:k] - res.x[k : 2 * k] - res.x[2 * k :]
    return np.clip(np.round(x / step) * step, lo, hi)


#: HiGHS's option for its Feasibility Jump heuristic, tried before the root LP. On a year's jobs table it ran
#: about 5 s of the solve's 11 and found nothing: the root LP's solution is whole and within the gap, so the
#: estimates are the same without it (checked on every year the build and the tests install).
FEASIBILITY_JUMP = "mip_heuristic_run_feasibility_jump"


def _milp(cost: np.ndarray, **problem):
    """scipy's ``milp`` with HiGHS's Feasibility Jump off where this HiGHS has it (scipy passes the option to
    HiGHS as given, with a warning that it is not one of its own; an older HiGHS has no such heuristic)."""
    from scipy.optimize import milp

    # no time limit: the same rows must give the same estimates on any machine
    options = {"presolve": True, "mip_rel_gap": 0.01}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unrecognized options detected", category=RuntimeWarning)
        try:
            return milp(cost, options={**options, FEASIBILITY_JUMP: False}, **problem)
        except AttributeError:  # this HiGHS does not know the option
            return milp(cost, options=options, **problem)


def _typical(cells: pd.DataFrame, num: pd.Series, den: pd.Series) -> pd.Series:
    """Per NAICS code: sum(num) / sum(den) over published county cells (a national typical ratio)."""
    ok = (cells["area_type"] == "county") & num.notna() & den.notna() & (den > 0)
    g = pd.DataFrame({"naics": cells.loc[ok, "naics"], "n": num[ok], "d": den[ok]}).groupby("naics")[["n", "d"]].sum()
    ratio = g["n"] / g["d"]
    overall = g["n"].sum() / g["d"].sum() if len(g) and g["d"].sum() > 0 else 1.0
    return cells["naics"].map(ratio).fillna(overall).astype("float64")


#: Stored precision (outward for ranges): jobs and last year's jobs to the job, wages to $1,000.
STORED_STEP = {"emplvl": 1.0, "wages": 1000.0, "prior": 1.0, "change": 1.0}


def _stored(lo: np.ndarray, hi: np.ndarray, est: np.ndarray, hidden: np.ndarray, table: str):
    """Ranges rounded outward and the estimate to the nearest step, missing where the figure is published."""
    step = STORED_STEP[table]
    with np.errstate(invalid="ignore"):
        lo_s = np.floor(lo / step + 1e-9) * step
        hi_s = np.ceil(hi / step - 1e-9) * step
        est_s = np.clip(np.round(est / step) * step, lo_s, hi_s)
    return [np.where(hidden, x, np.nan) for x in (lo_s, hi_s, est_s)]


def _area_cap(system: System, hi: np.ndarray) -> np.ndarray:
    """Every industry's figure is at most its area's private total: cap each cell by its area's total's high end."""
    root = pd.Series(hi[system.code == TOTAL], index=system.area[system.code == TOTAL])
    cap = root.reindex(system.area).to_numpy(dtype="float64")
    return np.fmin(hi, cap)


def cell_bounds(rows: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Range and estimate of every private cell of one year's rows, per table (:data:`CELL_COLUMNS`).

    Indexed like the private rows of ``rows``; a cell whose figure is published
    has missing values (its range is its figure). Deterministic: the same rows
    give the same numbers.
    """
    system, cells = build_system(rows, metros)
    emp = cells["emplvl"].astype("float64")
    wages = cells["total_wages"].astype("float64")
    chg = cells["oty_emplvl_chg"].astype("float64")
    prior = emp - chg
    out = pd.DataFrame(index=rows.index[rows["own_code"] == 5])

    v = emp.to_numpy()
    lo, hi, info = propagate(system, v, "emplvl")
    size = _typical(cells, emp, cells["estabs"].astype("float64"))
    start = np.maximum(cells["estabs"].astype("float64").fillna(0).to_numpy(), 0.25) * size.to_numpy()
    guess = allocate(system, v, lo, hi, start, "emplvl", info["active"])
    has_estabs = cells["estabs"].astype("float64").fillna(0).to_numpy() > 0
    est = fit(system, v, lo, hi, guess, np.where(has_estabs, 1.0, 0.0), "emplvl", info["active"])
    w = wages.to_numpy()
    wlo, whi, winfo = propagate(system, w, "wages")
    pay = _typical(cells, wages, emp)
    west = allocate(system, w, wlo, whi, est * pay.to_numpy(), "wages", winfo["active"])
    p = prior.to_numpy()
    units = rounding_units(chg.to_numpy())
    plo, phi, pinfo = propagate(system, p, "prior", unit=units["prior"])
    phi = _area_cap(system, phi)
    # the change: published where both years are, else within this year's range less last year's, and
    # within what the published changes of the parents leave; it narrows last year's range in turn
    y = np.where(np.isnan(p), np.nan, chg.to_numpy())
    ylo, yhi, _ = propagate(system, y, "change", unit=units["change"], start=(lo - phi, hi - plo))
    with np.errstate(invalid="ignore"):
        plo, phi = np.fmax(plo, lo - yhi), np.fmin(phi, hi - ylo)
    ratio = _typical(cells, prior, emp)
    pest = allocate(system, p, plo, phi, est * ratio.to_numpy(), "prior", pinfo["active"])
    for table, value, ends in (
        ("emplvl", v, (lo, hi, est)),
        ("wages", w, (wlo, whi, west)),
        ("prior", p, (plo, phi, pest)),
    ):
        for suffix, arr in zip(("low", "high", "estimate"), _stored(*ends, np.isnan(value), table)):
            out[f"{table}_{suffix}"] = arr
    c_lo, c_hi, _ = _stored(ylo, yhi, np.clip(est - pest, ylo, yhi), np.isnan(y), "change")
    out["change_low"], out["change_high"] = c_lo, c_hi
    return out


def add_cell_bounds(table: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """``table`` (industry rows of any years) with :data:`CELL_COLUMNS`, each year bounded on its own."""
    table = table.drop(columns=[c for c in CELL_COLUMNS if c in table], errors="ignore")
    parts = [cell_bounds(rows, metros) for _, rows in table.groupby("year", sort=True)]
    cols = pd.concat(parts) if parts else pd.DataFrame(columns=CELL_COLUMNS)
    out = table.join(cols.reindex(table.index))
    caps = _nation_caps(out)
    for c in CELL_COLUMNS:
        # last year's jobs and the change may have no end (infinite), so they stay floating point
        if c.startswith(("prior", "change")):
            out[c] = out[c].astype("float64")
            continue
        values = out[c].to_numpy(dtype="float64")
        # no private cell exceeds the nation's total covered figure of its year: a range whose high end
        # nothing published bounds (its area's total hidden) ends there
        cap = out["year"].map(caps["emplvl" if c.startswith("emplvl") else "total_wages"]).to_numpy(dtype="float64")
        values = np.where(np.isinf(values) & (values > 0) & ~np.isnan(cap), cap, values)
        if c.startswith("wages"):
            # a year whose states publish no wages: nothing bounds a hidden cell's wages, none is given
            values = np.where(np.isinf(values) & np.isnan(cap), np.nan, values)
        bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_STORED)
        if bad.any():  # casting would wrap (an infinite end becomes -2**63): refuse instead
            r = out.iloc[int(bad.argmax())]
            raise CellFault(
                r["naics"],
                f"year {r['year']}, area {r['area_fips']}, NAICS {r['naics']}: the {c.replace('_', ' ')} is "
                f"{values[bad][0]:,.0f}, which no count can be",
            )
        out[c] = pd.array(values, dtype="Float64").astype("Int64")
    return out


#: The largest whole number a stored range may hold (sums of such figures cannot wrap in 64 bits).
MAX_STORED = 2.0**53


def _nation_caps(table: pd.DataFrame) -> pd.DataFrame:
    """Per year, the states' total covered jobs and wages summed (missing when a state's is hidden)."""
    states = table[(table["area_type"] == "state") & (table["own_code"] == 0) & (table["naics"] == TOTAL)]
    cols = ["emplvl", "total_wages"]
    return states.groupby("year")[cols].agg(
        lambda s: s.astype("float64").sum(min_count=1) if s.notna().all() else np.nan
    )


# ------------------------------------------------------------------ every area of a year, as matrices
