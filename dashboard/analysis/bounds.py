"""Ranges of groups of NAICS codes over every area at once, from the cells' stored ranges.

Each suppressed cell's range and estimate are computed by the build (:mod:`dashboard.data.cell_bounds`, which
explains the equations). Here one year's cells become area x industry matrices, and a group of codes gets the
closed form of the hierarchy: at most its published sector less the least its other subsectors can hold, and
so on up to the private total. :func:`lp_group_range` solves the exact linear program (scipy's HiGHS): the
reference the closed form is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.data.cell_bounds import (
    ABOVE_PARENT,
    CELL_COLUMNS,
    TOTAL,
    System,
    add_cell_bounds,
    children_of,
    collapse,
    lp_range,
    matched_metros,
    rounding_units,
    sector_of,
)

__all__ = [
    "CELL_COLUMNS",
    "TOTAL",
    "YearCells",
    "add_cell_bounds",
    "children_of",
    "collapse",
    "group_range",
    "lp_group_range",
    "lp_range",
    "matched_metros",
    "ratio_range",
    "sector_of",
    "year_cells",
]

#: The tables a year's matrices hold: jobs, wages, last year's jobs; the change is jobs minus last year's.
TABLES = ("emplvl", "wages", "prior")


@dataclass
class YearCells:
    """One year's private cells as area x industry matrices, for fast group ranges over every area.

    ``lo``/``hi``/``est`` hold each table's range and estimate (a published
    figure is its own range and estimate; an industry without a row is zero).
    """

    year: int
    areas: pd.Index
    area_type: np.ndarray
    codes: pd.Index
    present: np.ndarray
    published: np.ndarray
    prior_known: np.ndarray
    estabs: np.ndarray
    chg: np.ndarray
    lo: dict
    hi: dict
    est: dict
    total_covered: np.ndarray
    metros: dict
    units: dict  # rounding allowance per figure and table, in sums of groups (group_units)

    @property
    def kids(self) -> dict[str, list[str]]:
        return children_of(self.codes)

    def col(self, code: str) -> int:
        return int(self.codes.get_loc(code))

    def cols(self, codes) -> np.ndarray:
        return np.array([self.codes.get_loc(c) for c in codes], dtype=np.int64)


def year_cells(rows: pd.DataFrame, metros: dict[str, tuple[str, ...]] | None = None) -> YearCells:
    """The matrices of one year's industry rows (with :data:`CELL_COLUMNS`, computed here when absent)."""
    year = int(rows["year"].iloc[0]) if len(rows) else 0
    priv = rows[rows["own_code"] == 5]
    if not set(CELL_COLUMNS) <= set(rows.columns) or _stale(priv):
        # ranges not stored with these rows (or stored for other figures): work them out now
        rows = add_cell_bounds(rows, metros)
        priv = rows[rows["own_code"] == 5]
    areas = pd.Index(sorted(rows["area_fips"].unique()), name="area_fips")
    codes = pd.Index(sorted(priv["naics"].unique()), name="naics")
    a = areas.get_indexer(priv["area_fips"])
    c = codes.get_indexer(priv["naics"])
    shape = (len(areas), len(codes))

    def mat(values, fill=0.0, dtype="float64"):
        m = np.full(shape, fill, dtype=dtype)
        m[a, c] = values
        return m

    present = mat(True, False, bool)
    emp = priv["emplvl"].astype("float64").to_numpy()
    published = mat(~np.isnan(emp), False, bool)
    chg = priv["oty_emplvl_chg"].astype("float64").to_numpy()
    prior = emp - chg
    lo, hi, est = {}, {}, {}
    for table, value, prefix in (
        ("emplvl", emp, "emplvl"),
        ("wages", priv["total_wages"].astype("float64").to_numpy(), "wages"),
        ("prior", prior, "prior"),
    ):
        known = ~np.isnan(value)
        for store_, suffix in ((lo, "low"), (hi, "high"), (est, "estimate")):
            cell = priv[f"{prefix}_{suffix}"].astype("float64").to_numpy()
            store_[table] = mat(np.where(known, value, cell))
    known_chg = ~np.isnan(prior)
    for suffix, store_, fallback in (("low", lo, lo["emplvl"] - hi["prior"]), ("high", hi, hi["emplvl"] - lo["prior"])):
        cell = (
            priv[f"change_{suffix}"].astype("float64").to_numpy()
            if f"change_{suffix}" in priv
            else np.full(len(priv), np.nan)
        )
        m = mat(np.where(known_chg, chg, cell), np.nan)
        m = np.where(np.isnan(m), fallback, m)
        store_["change"] = np.fmax(m, fallback) if suffix == "low" else np.fmin(m, fallback)
    est["change"] = np.clip(est["emplvl"] - est["prior"], lo["change"], hi["change"])
    tot = rows[(rows["own_code"] == 0) & (rows["naics"] == TOTAL)].set_index("area_fips")["emplvl"]
    area_type = (
        rows.drop_duplicates("area_fips").set_index("area_fips")["area_type"].reindex(areas).to_numpy(dtype=object)
    )
    return YearCells(
        year=year,
        areas=areas,
        area_type=area_type,
        codes=codes,
        present=present,
        published=published,
        prior_known=mat(~np.isnan(prior), False, bool),
        estabs=mat(priv["estabs"].astype("float64").fillna(0).to_numpy()),
        chg=mat(chg, np.nan),
        lo=lo,
        hi=hi,
        est=est,
        total_covered=tot.astype("float64").reindex(areas).to_numpy(),
        metros=matched_metros(rows, metros),
        units=group_units(rounding_units(chg)),
    )


def _stale(priv: pd.DataFrame) -> bool:
    """Stored ranges that do not match the rows: a suppressed cell without one, or a published cell with one."""
    has = priv["emplvl_low"].notna()
    hidden = priv["emplvl"].isna()
    return bool((hidden & ~has).any() or (~hidden & has).any())


def _ghosts(table: str, complete: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slack (parent minus its present parts) of a table: rounding, and for last year's jobs or the
    change, the parts without a row this year (jobs last year: the prior total may exceed, the change
    fall short of, the sum of the present parts)."""
    glo, ghi = -tol, tol.copy()
    if table == "prior":
        ghi = np.where(complete, tol, np.inf)
    elif table == "change":
        glo = np.where(complete, -tol, -np.inf)
    return glo, ghi


def _matrices(cells: YearCells, table: str):
    return cells.lo[table], cells.hi[table], cells.est[table]


def group_units(units: dict[str, float]) -> dict[str, float]:
    """Rounding allowance per figure in a sum of a group, per table: the cells' own (rounding_units), and for
    the change, a job's and last year's rounding (the group's change is its jobs less its last year's)."""
    return {**units, "change": units["emplvl"] + units["prior"]}


def group_range(
    cells: YearCells, codes, table: str = "emplvl", unit: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Range and estimate of a group of NAICS codes in every area of the year, from the cell ranges
    and the area's published parents (the closed form of the hierarchy).

    A group within one sector is at most the sector less the least its other
    subsectors can hold, and at least the sector less the most they can hold;
    the same again at the private total for the group's sectors. Returns low,
    high, estimate and whether every cell of the (collapsed) group is published.
    """
    group = collapse([c for c in codes if c in cells.codes], cells.codes)
    lo, hi, est = _matrices(cells, table)
    unit = cells.units[table] if unit is None else unit
    above = ABOVE_PARENT.get(table)
    n = len(cells.areas)
    if not group:
        z = np.zeros(n)
        return z, z.copy(), z.copy(), np.ones(n, bool)
    exact = cells.published[:, cells.cols(group)].all(axis=1) | ~cells.present[:, cells.cols(group)].any(axis=1)
    if table in ("prior", "change"):
        exact &= (cells.prior_known[:, cells.cols(group)] | ~cells.present[:, cells.cols(group)]).all(axis=1)
    g_est = est[:, cells.cols(group)].sum(axis=1)
    if TOTAL in group:
        r = cells.col(TOTAL)
        return lo[:, r].copy(), hi[:, r].copy(), est[:, r].copy(), exact
    kids = cells.kids
    top = [c for c in group if len(c) != 3]
    partial = sorted({sector_of(c) for c in group if len(c) == 3})
    sum_lo = lo[:, cells.cols(top)].sum(axis=1) if top else np.zeros(n)
    sum_hi = hi[:, cells.cols(top)].sum(axis=1) if top else np.zeros(n)
    min_out_total, max_out_total = np.zeros(n), np.zeros(n)
    with np.errstate(invalid="ignore"):
        for s in partial:
            inside = cells.cols([c for c in kids[s] if c in group])
            outside = cells.cols([c for c in kids[s] if c not in group])
            in_lo, in_hi = lo[:, inside].sum(axis=1), hi[:, inside].sum(axis=1)
            out_lo = lo[:, outside].sum(axis=1) if len(outside) else np.zeros(n)
            out_hi = hi[:, outside].sum(axis=1) if len(outside) else np.zeros(n)
            k = cells.present[:, cells.cols(kids[s])].sum(axis=1)
            glo, ghi = _ghosts(table, k >= len(kids[s]), unit * (k + 1))
            if s in cells.codes:
                s_lo, s_hi = lo[:, cells.col(s)], hi[:, cells.col(s)]
                has = cells.present[:, cells.col(s)]
            else:
                s_lo, s_hi, has = np.full(n, -np.inf), np.full(n, np.inf), np.zeros(n, bool)
            s_lo, s_hi = np.where(has, s_lo, -np.inf), np.where(has, s_hi, np.inf)
            part_lo = np.fmax(in_lo, s_lo - ghi - out_hi)
            part_hi = np.fmin(in_hi, s_hi - glo - out_lo)
            if above is not None:  # never more jobs than the sector they belong to
                part_hi = np.fmin(part_hi, s_hi + above)
            sum_lo += part_lo
            sum_hi += part_hi
            # what the sector holds beyond the group's part (the private total counts the sector's own figure,
            # which may differ from the sum of its parts by its rounding allowance)
            min_out_total += np.fmax(out_lo + glo, s_lo - part_hi)
            max_out_total += np.fmin(out_hi + ghi, s_hi - part_lo)
        sectors_all = kids.get(TOTAL, [])
        others = cells.cols([c for c in sectors_all if c not in top and c not in partial])
        k = cells.present[:, cells.cols(sectors_all)].sum(axis=1) if sectors_all else np.zeros(n)
        glo, ghi = _ghosts(table, k >= len(sectors_all), unit * (k + 1))
        if TOTAL in cells.codes:
            r = cells.col(TOTAL)
            has = cells.present[:, r]
            r_lo, r_hi = np.where(has, lo[:, r], -np.inf), np.where(has, hi[:, r], np.inf)
        else:
            r_lo, r_hi = np.full(n, -np.inf), np.full(n, np.inf)
        o_lo = lo[:, others].sum(axis=1) if len(others) else np.zeros(n)
        o_hi = hi[:, others].sum(axis=1) if len(others) else np.zeros(n)
        g_lo = np.fmax(sum_lo, r_lo - ghi - o_hi - max_out_total)
        g_hi = np.fmin(sum_hi, r_hi - glo - o_lo - min_out_total)
        if above is not None:
            g_hi = np.fmin(g_hi, r_hi + above)
    g_lo = np.where(exact, g_est, g_lo)
    g_hi = np.where(exact, g_est, g_hi)
    g_hi = np.maximum(g_hi, g_lo)
    return g_lo, g_hi, np.clip(g_est, g_lo, g_hi), exact


def ratio_range(e_lo, e_hi, y_lo, y_hi, p_lo, p_hi) -> tuple[np.ndarray, np.ndarray]:
    """Range of the growth ``y / p`` where this year's jobs ``e``, the change ``y`` and last year's
    jobs ``p = e - y`` each lie in their range (arrays, one region per entry).

    The growth is a ratio of linear functions, so its extremes over the polygon
    the three ranges cut out lie at the polygon's corners; those are checked.
    """
    big = 1e13
    a, b = np.asarray(e_lo, float), np.minimum(np.asarray(e_hi, float), big)
    c, d = np.maximum(np.asarray(y_lo, float), -big), np.minimum(np.asarray(y_hi, float), big)
    e, f = np.maximum(np.asarray(p_lo, float), 0.0), np.minimum(np.asarray(p_hi, float), big)
    cand = [
        (a, c),
        (a, d),
        (b, c),
        (b, d),
        (a, a - e),
        (a, a - f),
        (b, b - e),
        (b, b - f),
        (c + e, c),
        (c + f, c),
        (d + e, d),
        (d + f, d),
    ]
    lo = np.full(a.shape, np.inf)
    hi = np.full(a.shape, -np.inf)
    tol = 1e-6
    for x, y in cand:
        p = x - y
        ok = (
            (x >= a - tol)
            & (x <= b + tol)
            & (y >= c - tol)
            & (y <= d + tol)
            & (p >= e - tol)
            & (p <= f + tol)
            & ~np.isnan(x)
            & ~np.isnan(y)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(p > tol, y / np.where(p > tol, p, 1.0), np.where(y > tol, np.inf, np.nan))
        ok &= ~np.isnan(g)
        lo = np.where(ok, np.minimum(lo, g), lo)
        hi = np.where(ok, np.maximum(hi, g), hi)
    none = np.isinf(lo) & (lo > 0)
    return np.where(none, np.nan, lo), np.where(none, np.nan, hi)


def _within_sector_rows(system: System, group: set[str], cells: np.ndarray):
    """Sparse rows ``sum(group's subsectors of sector s in area a) - s in a <= 0``, one per area and sector
    among ``cells``."""
    from scipy.sparse import coo_matrix

    code = pd.Series(system.code[cells])
    area = pd.Series(system.area[cells])
    rows, cols, vals = [], [], []
    n_rows = 0
    for sector in sorted({sector_of(c) for c in group if len(c) == 3}):
        parts = [c for c in group if len(c) == 3 and sector_of(c) == sector]
        parent = pd.Series(cells[(code == sector).to_numpy()], index=area[(code == sector).to_numpy()].to_numpy())
        part = code.isin(parts).to_numpy()
        part_cells, part_area = cells[part], area[part].to_numpy()
        row_of = pd.Series(np.arange(len(parent)) + n_rows, index=parent.index)
        r = row_of.reindex(part_area).to_numpy()
        ok = ~np.isnan(r)
        rows += [row_of.to_numpy(), r[ok].astype(np.int64)]
        cols += [parent.to_numpy(), part_cells[ok]]
        vals += [-np.ones(len(parent)), np.ones(int(ok.sum()))]
        n_rows += len(parent)
    if not n_rows:
        return None
    return coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, len(system.area))
    )


def lp_group_range(system: System, cells: pd.DataFrame, areas, codes, unit: float | None = None) -> tuple[float, float]:
    """The exact range of a group of NAICS codes summed over ``areas``: the linear program over every
    equation among the cells of the areas' states and metro areas (:func:`lp_range`).

    ``cells`` are the private rows in the system's order, with their stored ranges
    (:data:`CELL_COLUMNS`) or none (then 0 and the caps). The reference the closed
    forms of :func:`group_range` and the measures are checked against. Under the stated rounding
    convention every equation holds within half a job per figure, and a group of subsectors holds no
    more jobs than the sector they belong to (in each area).
    """
    value = cells["emplvl"].astype("float64").to_numpy()
    if "emplvl_low" in cells:
        lo = np.where(np.isnan(value), cells["emplvl_low"].astype("float64").fillna(0).to_numpy(), value)
        hi = np.where(np.isnan(value), cells["emplvl_high"].astype("float64").fillna(np.inf).to_numpy(), value)
    else:
        lo = np.where(np.isnan(value), 0.0, value)
        hi = np.where(np.isnan(value), np.where(np.isnan(system.cap_emplvl), np.inf, system.cap_emplvl), value)
    areas = set(areas)
    group = set(collapse([c for c in codes if c in set(system.code)], system.code))
    states = {a[:2] for a in areas if a[:1].isdigit()}
    metros = {a for a in areas if a.startswith("C")}
    area_s = pd.Series(system.area)
    # every metro row: its equation enters where all its counties are in the areas' states
    near = (
        area_s.str[:2].isin(states).to_numpy() | area_s.str.startswith("C").to_numpy() | area_s.isin(metros).to_numpy()
    )
    w = (area_s.isin(areas).to_numpy() & pd.Series(system.code).isin(group).to_numpy()).astype(float)
    # the stated convention: in every area, a group of subsectors never holds more jobs than their sector
    extra = _within_sector_rows(system, group, np.flatnonzero(near))
    return lp_range(system, value, lo, hi, "emplvl", [w], np.flatnonzero(near | (w > 0)), unit, extra)[0]
