"""Concentration, growth, pay and shift-share for regions, from QCEW, for any loaded year.

Location quotient, on the same base as BLS (private industry jobs against the
area's total covered jobs, all ownerships)::

    LQ = (region industry jobs / region total covered jobs) / US share

where the US share is the year's national base (BLS's US row, or recovered
from the published LQs at build time).

Suppressed cells are never counted as zero nor backed out. A region with
suppressed cells gets the range every published figure allows (``emp_low`` to
``emp_high``, ``lq_low`` to ``lq_high``; :mod:`dashboard.analysis.bounds`): each cell's
precomputed range, narrowed per area by the area's published sector and private
total, and per region by its states' and metro areas' published rows. A metro
area wholly inside a region counts by its own published row, so the same
counties give the same figures however the region was built. ``employment``
and ``lq`` are published figures only (present when nothing is suppressed);
``employment_estimate`` and ``lq_estimate`` are labelled estimates inside the
range, as are the pay and growth estimates and ranges.

Every function works on many regions at once: ``area_region`` maps each
QCEW area (county FIPS, or an official metro/state code) to a region id.
Every function takes the data ``year``; ``None`` means the newest loaded.
"""

from __future__ import annotations

import weakref
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.analysis import bounds
from dashboard.data import naics, store

TOTAL = "10"


class UnknownYearError(KeyError):
    """A year that is not loaded was asked for."""

    def __str__(self) -> str:
        return str(self.args[0])


@lru_cache(maxsize=1)
def years() -> tuple[int, ...]:
    """The QCEW years loaded, oldest first."""
    return tuple(int(y) for y in sorted(store.load_table("industry")["year"].unique()))


def resolve_year(year: int | None) -> int:
    """``year`` checked against the loaded years; ``None`` gives the newest."""
    loaded = years()
    if not loaded:
        raise UnknownYearError("no QCEW year is loaded; add one with: python -m dashboard update")
    if year is None:
        return loaded[-1]
    if year not in loaded:
        raise UnknownYearError(f"QCEW year {year} is not loaded; loaded: {', '.join(map(str, loaded))}")
    return int(year)


@lru_cache(maxsize=8)
def industry_rows(year: int) -> pd.DataFrame:
    ind = store.load_table("industry")
    ind = ind[ind["year"] == year]
    return ind.set_index("area_fips", drop=False).sort_index()


@lru_cache(maxsize=8)
def _national(year: int) -> pd.DataFrame:
    nat = store.load_table("national")
    return nat[nat["year"] == year].set_index(["own_code", "naics"])


def sector_codes(year: int | None = None) -> pd.DataFrame:
    """Every private NAICS code in the year's national table: ``naics, naics_level``."""
    nat = _national(resolve_year(year)).reset_index()
    return nat.loc[nat["own_code"] == 5, ["naics", "naics_level"]].reset_index(drop=True)


@lru_cache(maxsize=16)
def naics_vintage(year: int | None = None) -> int:
    """The NAICS vintage a loaded year is coded in: from the year's own code list, else BLS's rule."""
    year = resolve_year(year)
    return naics.vintage_of(year, _national(year).index.get_level_values("naics"))


@lru_cache(maxsize=1024)
def _in_vintage(codes: tuple[str, ...], vintage: int) -> tuple[str, ...]:
    return tuple(naics.in_vintage(codes, vintage))


def year_codes(codes, year: int | None = None) -> list[str]:
    """``codes`` as the codes of ``year``'s NAICS vintage (a retired code becomes its successors)."""
    return list(_in_vintage(tuple(codes), naics_vintage(year)))


def national_group(codes: list[str], year: int | None = None) -> dict:
    """US share, employment and published one-year growth of a group of private NAICS codes."""
    year = resolve_year(year)
    return dict(_national_group(tuple(year_codes(codes, year)), year, id(_national(year))))


@lru_cache(maxsize=512)
def _national_group(codes: tuple[str, ...], year: int, _table: int) -> tuple:
    nat = _national(year).loc[5]
    missing = [c for c in codes if c not in nat.index]
    if missing:
        raise KeyError(f"NAICS codes not in the national table: {missing}")
    rows = nat.loc[list(codes)]
    emp = rows["us_emplvl"].astype("float64")
    growth = rows["us_oty_growth"].astype("float64")
    emp0 = emp / (1 + growth)
    return (
        ("us_share", float(rows["us_share"].sum())),
        ("us_employment", int(emp.sum())),
        # a code without a published national change leaves the group's change unknown, not zero
        ("us_growth", float((emp.sum() - emp0.sum()) / emp0.sum()) if growth.notna().all() else float("nan")),
    )


def us_total_employment(year: int | None = None) -> int:
    """US total covered employment (all ownerships, all industries) in the year's national base."""
    return int(_national(resolve_year(year)).loc[(0, TOTAL), "us_emplvl"])


@lru_cache(maxsize=1)
def metro_members() -> dict[str, tuple[str, ...]]:
    """QCEW metro code (``C1814``) -> today's member counties (OMB 2023 delineation).

    :func:`bounds.matched_metros` keeps, per year, only the metros whose
    published total shows the same delineation.
    """
    reg = store.load_table("regions")
    cbsa = reg[reg["scheme"] == "cbsa"]
    return {f"C{rid[:4]}": tuple(sorted(g["fips"])) for rid, g in cbsa.groupby("region_id", sort=True)}


_CELLS: dict[int, tuple] = {}
_GROUPS: dict[tuple, tuple] = {}
#: Group ranges kept per (year, codes), least recently used evicted: each holds a few arrays over every
#: area of the year (about half a megabyte); enough for a profile's NAICS sectors, partnership sectors
#: and the industries of each partnership sector (its careers weights), and a few map industries.
GROUP_CACHE = 160


def cells(year: int | None = None) -> bounds.YearCells:
    """The year's cells as area x industry matrices with their ranges and estimates (built once per loaded table)."""
    year = resolve_year(year)
    ind = industry_rows(year)
    hit = _CELLS.get(year)
    if hit is None or hit[0]() is not ind:
        _CELLS[year] = (weakref.ref(ind), bounds.year_cells(ind.reset_index(drop=True), metro_members()))
    return _CELLS[year][1]


def _forget_cells() -> None:
    """Drop every year's matrices and group ranges (they are rebuilt from the tables when next asked for)."""
    _CELLS.clear()
    _GROUPS.clear()


cells.cache_clear = _forget_cells  # emptied with the package's other caches (:func:`dashboard.data.caches.clear`)


def _group_areas(year: int, codes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per area of the year: a group's ranges and estimates (jobs, wages, last year's jobs, the change),
    and its published figures (establishments, jobs, wages and change of the disclosed cells)."""
    c = cells(year)
    key = (year, codes)
    hit = _GROUPS.pop(key, None)
    if hit is not None and hit[0]() is c:
        _GROUPS[key] = hit  # most recently used last: eviction takes the least recently used
        return hit[1]
    out: dict[str, np.ndarray] = {}
    for table, tag in (("emplvl", "e"), ("wages", "w"), ("prior", "p"), ("change", "y")):
        lo, hi, est, exact = bounds.group_range(c, codes, table)
        out[f"{tag}_lo"], out[f"{tag}_hi"], out[f"{tag}_est"], out[f"{tag}_exact"] = lo, hi, est, exact
    group = bounds.collapse([x for x in codes if x in c.codes], c.codes)
    cols = c.cols(group) if group else np.zeros(0, np.int64)
    pub = c.published[:, cols]
    present = c.present[:, cols]
    emp = np.where(pub, c.lo["emplvl"][:, cols], 0.0)
    chg = c.chg[:, cols]
    has_chg = pub & ~np.isnan(chg)
    out["estabs"] = c.estabs[:, cols].sum(axis=1)
    out["disclosed_emp"] = emp.sum(axis=1)
    out["disclosed_wages"] = np.where(pub, c.lo["wages"][:, cols], 0.0).sum(axis=1)
    out["chg"] = np.where(has_chg, chg, 0.0).sum(axis=1)
    out["emp_with_chg"] = np.where(has_chg, emp, 0.0).sum(axis=1)
    out["suppressed"] = (present & ~pub).any(axis=1)
    while _GROUPS and len(_GROUPS) >= GROUP_CACHE:
        _GROUPS.pop(next(iter(_GROUPS)))
    if GROUP_CACHE > 0:
        _GROUPS[key] = (weakref.ref(c), out)
    return out


def _canonical(members: pd.DataFrame, c: bounds.YearCells) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members with every complete set of a metro's counties replaced by the metro's own row.

    The same counties then give the same figures however the region was built
    (the official metro, a custom region, another scheme's region of those counties).
    ``counties`` says how many areas each member stands for. Also returns the
    counties so replaced (``region_id``, ``metro``, ``area_fips``).
    """
    members = members.assign(counties=1, block=False)
    none = pd.DataFrame(
        {"region_id": pd.Series(dtype="int64"), "metro": pd.Series(dtype=object), "area_fips": pd.Series(dtype=object)}
    )
    if not c.metros or members.empty:
        return members, none
    member_of = pd.Series({county: m for m, counties in c.metros.items() for county in counties}, dtype=object)
    size = pd.Series({m: len(counties) for m, counties in c.metros.items()})
    m = members.assign(metro=members["area_fips"].map(member_of))
    inside = m[m["metro"].notna()]
    if inside.empty:
        return members, none
    counts = inside.groupby(["region_id", "metro"]).size()
    whole = counts[counts.to_numpy() == size.reindex(counts.index.get_level_values(1)).to_numpy()]
    if whole.empty:
        return members, none
    whole_keys = pd.MultiIndex.from_tuples(whole.index)
    drop = pd.MultiIndex.from_arrays([m["region_id"], m["metro"].fillna("")]).isin(whole_keys)
    added = pd.DataFrame(
        {
            "area_fips": whole_keys.get_level_values(1),
            "region_id": whole_keys.get_level_values(0),
            "counties": size.reindex(whole_keys.get_level_values(1)).to_numpy(),
            "block": True,
        }
    )
    out = pd.concat([members[~drop], added], ignore_index=True)
    return out.drop_duplicates(["area_fips", "region_id"], ignore_index=True), m.loc[
        drop, ["region_id", "metro", "area_fips"]
    ]


def group_measures(area_region: pd.Series, groups: dict[str, list[str]], year: int | None = None) -> pd.DataFrame:
    """Concentration, size, pay and growth for each region x group of NAICS codes in one year.

    ``groups`` maps a group id to private NAICS codes (sectors or subsectors).
    Returns one row per (region_id, group) with the employment range and
    estimate, LQ range and estimate, establishments, pay and growth (ranges
    and estimates; the disclosed cells' pay and one-year growth as the files
    publish them), and suppression counts. Point values (``employment``,
    ``lq``) are published figures only: present when nothing is suppressed.
    """
    year = resolve_year(year)
    if area_region.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    # each year is measured with its own NAICS vintage's codes
    groups = {g: year_codes(c, year) for g, c in groups.items()}
    # the per-area tables carry a small integer per region, never its id: a custom region's
    # id is its county list, and a copy of it in every row grows with the square of its size
    codes, ids = pd.factorize(area_region)
    area_ids = pd.Series(codes, index=area_region.index, name="region_id")
    reg = _within_parents(_region_sums(area_ids, groups, year), area_ids, groups, year)
    if len(ids) > 1:  # regions in the order of their ids, as when the ids themselves were grouped
        rank = np.argsort(np.argsort(np.asarray(ids, dtype=object), kind="stable"))
        reg = reg.iloc[np.argsort(rank[reg["region_id"].to_numpy(dtype="int64")], kind="stable")]
    out = _finish(reg.reset_index(drop=True), groups, year)
    out["region_id"] = np.asarray(ids, dtype=object)[out["region_id"].to_numpy(dtype="int64")]
    return out


def _parent_sectors(groups: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Group id -> the NAICS sectors its codes sit in, for groups narrower than those sectors."""
    out = {}
    for g, codes in groups.items():
        parents = tuple(sorted({c if len(c) != 3 else bounds.sector_of(c) for c in codes}))
        if set(parents) != set(codes):
            out[g] = parents
    return out


def _within_parents(reg: pd.DataFrame, area_ids: pd.Series, groups: dict[str, list[str]], year: int) -> pd.DataFrame:
    """A group's jobs never exceed its parent sectors' jobs in the same region: its high end is cut to theirs
    (the closed forms of the two are computed apart and can disagree by what neither sees)."""
    parents = _parent_sectors(groups)
    if reg.empty or not parents:
        return reg
    wanted = {"|".join(p): list(p) for p in set(parents.values())}
    top = _region_sums(area_ids, wanted, year).set_index(["region_id", "group"])["emp_high"]
    key = pd.MultiIndex.from_arrays([reg["region_id"], reg["group"].map(lambda g: "|".join(parents.get(g, ())))])
    cap = top.reindex(key).to_numpy(dtype="float64")
    reg = reg.copy()
    reg["emp_high"] = np.fmin(reg["emp_high"].to_numpy(dtype="float64"), cap)
    reg["emp_low"] = np.fmin(reg["emp_low"].to_numpy(dtype="float64"), reg["emp_high"].to_numpy())
    return reg


def _residual(
    key: np.ndarray,
    parent: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    nkeys: int,
    p_lo: np.ndarray,
    p_hi: np.ndarray,
    all_lo: np.ndarray,
    all_hi: np.ndarray,
    tol: np.ndarray,
):
    """Per region: the parts of a region inside published parents (states, metros), narrowed by each parent's
    range less what its other parts can hold. Returns the change to the region's low and high ends."""
    if not len(key):
        return np.zeros(nkeys), np.zeros(nkeys)
    pair, first = np.unique(np.c_[key, parent], axis=0, return_inverse=True)
    first = first.ravel()
    k_lo = np.bincount(first, lo, len(pair))
    k_hi = np.bincount(first, hi, len(pair))
    par = pair[:, 1]
    with np.errstate(invalid="ignore"):
        new_lo = np.fmax(k_lo, p_lo[par] - tol[par] - (all_hi[par] - k_hi))
        new_hi = np.fmin(k_hi, p_hi[par] + tol[par] - (all_lo[par] - k_lo))
    new_hi = np.maximum(new_hi, new_lo)
    return (np.bincount(pair[:, 0], new_lo - k_lo, nkeys), np.bincount(pair[:, 0], new_hi - k_hi, nkeys))


def _region_sums(area_region: pd.Series, groups: dict[str, list[str]], year: int) -> pd.DataFrame:
    """Summed ranges, estimates and counts per (region, group), ``area_region`` mapping areas to integer keys.

    Each area is measured once, then counted in every region that holds it
    (overlapping regions share counties; a region listing an area twice counts it once).
    """
    c = cells(year)
    members = pd.DataFrame({"area_fips": area_region.index.to_numpy(), "region_id": area_region.to_numpy()})
    members, replaced = _canonical(members.drop_duplicates(ignore_index=True), c)
    pos = c.areas.get_indexer(members["area_fips"])
    nkeys = int(area_region.max()) + 1 if len(area_region) else 0
    found = pos >= 0
    key, a = members["region_id"].to_numpy(dtype=np.int64)[found], pos[found]
    weight = members["counties"].to_numpy(dtype=np.int64)
    n_areas = np.bincount(members["region_id"].to_numpy(dtype=np.int64), weight, nkeys).astype(np.int64)
    # areas without industry rows this year: counted, measured as missing (never zero)
    without = np.bincount(members["region_id"].to_numpy(dtype=np.int64)[~found], minlength=nkeys)
    weight = weight[found]
    block = members["block"].to_numpy(dtype=bool)[found]
    without = without + np.bincount(key, np.isnan(c.total_covered[a]), nkeys).astype(np.int64)
    atype = c.area_type[a]
    state_of, metro_of = _parents(c)
    in_state = np.isin(atype, ["county", "unallocated"]) & (state_of[a] >= 0)
    in_metro = (atype == "county") & (metro_of[a] >= 0)
    n_state, n_metro = (
        np.bincount(state_of[state_of >= 0], minlength=len(c.areas)),
        np.bincount(metro_of[metro_of >= 0], minlength=len(c.areas)),
    )

    def total(x: np.ndarray) -> np.ndarray:
        return np.bincount(key, x[a], nkeys)

    # a metro row standing for its counties: where it is suppressed, its counties with suppressed cells count
    r_key = replaced["region_id"].to_numpy(dtype=np.int64)
    r_metro = c.areas.get_indexer(replaced["metro"])
    r_pos = c.areas.get_indexer(replaced["area_fips"])
    r_ok = r_pos >= 0

    def suppressed_counties(flag: np.ndarray) -> np.ndarray:
        plain = np.bincount(key[~block], flag[a[~block]], nkeys)
        inner = np.bincount(r_key[r_ok], flag[r_pos[r_ok]] & flag[r_metro[r_ok]], nkeys)
        blocks = np.bincount(key[block], flag[a[block]], nkeys)  # at least one per suppressed metro row
        return (plain + np.maximum(inner, blocks)).astype(np.int64)

    def narrowed(lo: np.ndarray, hi: np.ndarray, width: int, unit: float):
        lo_sum, hi_sum = total(lo), total(hi)
        ends = []
        for inside, parent, n in ((in_state, state_of, n_state), (in_metro, metro_of, n_metro)):
            par_all = parent >= 0
            all_lo = np.bincount(parent[par_all], lo[par_all], len(c.areas))
            all_hi = np.bincount(parent[par_all], hi[par_all], len(c.areas))
            tol = unit * width * (n + 1)
            d_lo, d_hi = _residual(
                key[inside], parent[a[inside]], lo[a[inside]], hi[a[inside]], nkeys, lo, hi, all_lo, all_hi, tol
            )
            ends.append((lo_sum + d_lo, hi_sum + d_hi))
        return np.maximum(ends[0][0], ends[1][0]), np.minimum(ends[0][1], ends[1][1])

    root = _group_areas(year, (TOTAL,))
    frames = []
    for group, group_codes in groups.items():
        codes = tuple(sorted(set(group_codes)))
        g = _group_areas(year, codes)
        width = max(1, len(bounds.collapse([x for x in codes if x in c.codes], c.codes)))
        e_lo, e_hi = narrowed(g["e_lo"], g["e_hi"], width, 0.5)
        w_lo, w_hi = narrowed(g["w_lo"], g["w_hi"], width, 0.5)
        frame = {
            "region_id": np.arange(nkeys),
            "group": group,
            "emp_low": e_lo,
            "emp_high": e_hi,
            "emp_est": total(g["e_est"]),
            "wages_low": w_lo,
            "wages_high": w_hi,
            "wages_est": total(g["w_est"]),
            "prior_low": total(g["p_lo"]),
            "prior_high": total(g["p_hi"]),
            "prior_est": total(g["p_est"]),
            "change_low": total(g["y_lo"]),
            "change_high": total(g["y_hi"]),
            "change_est": total(g["y_est"]),
            "change_exact": np.bincount(key, ~g["y_exact"][a], nkeys) == 0,
            "disclosed_emp": total(g["disclosed_emp"]),
            "estabs": total(g["estabs"]).round().astype(np.int64),
            "wages": total(g["disclosed_wages"]),
            "chg": total(g["chg"]),
            "emp_with_chg": total(g["emp_with_chg"]),
            "suppressed_areas": suppressed_counties(g["suppressed"]),
            "areas": n_areas,
            "areas_without_base": without,
            "total_covered": total(np.nan_to_num(c.total_covered)),
        }
        frames.append(frame)
    # one frame from every group's columns (a frame per group costs more than the arithmetic)
    reg = (
        pd.DataFrame(
            {
                k: (
                    np.repeat(np.array(list(groups), dtype=object), nkeys)
                    if k == "group"
                    else np.concatenate([f[k] for f in frames])
                )
                for k in frames[0]
            }
        )
        if frames
        else pd.DataFrame()
    )
    # the private total: published, else bounded (at most the area's total covered jobs, as before)
    priv_pub = np.where(root["e_exact"], root["e_est"], np.nan)
    private_bound = np.where(np.isnan(priv_pub), c.total_covered, priv_pub)
    wages_pub = np.where(root["w_exact"], root["w_est"], np.nan)
    totals = pd.DataFrame(
        {
            "region_id": np.arange(nkeys),
            "private": total(np.nan_to_num(private_bound)),
            "private_paid": total(np.nan_to_num(np.where(np.isnan(wages_pub), np.nan, priv_pub))),
            "private_wages": total(np.nan_to_num(wages_pub)),
            "private_est": total(root["e_est"]),
            "private_wages_est": total(root["w_est"]),
            "has_rows": np.bincount(key, minlength=nkeys) > 0,
        }
    )
    reg = reg.merge(totals, on="region_id")
    reg = reg[reg["has_rows"]].drop(columns="has_rows")
    return reg.sort_values(["region_id"], kind="stable").reset_index(drop=True)


def _parents(c: bounds.YearCells) -> tuple[np.ndarray, np.ndarray]:
    """Per area: the position of its state's row (counties, unallocated) and of its matched metro's row (counties); -1 if none."""
    cached = getattr(c, "_parents", None)
    if cached is not None:
        return cached
    areas = pd.Series(c.areas)
    state_pos = c.areas.get_indexer(areas.str[:2] + "000")
    sub = np.isin(c.area_type, ["county", "unallocated"])
    state_of = np.where(sub & (state_pos >= 0), state_pos, -1)
    state_of = np.where((state_of >= 0) & (c.area_type[np.maximum(state_of, 0)] == "state"), state_of, -1)
    member = {county: m for m, counties in c.metros.items() for county in counties}
    metro_pos = c.areas.get_indexer(areas.map(member).fillna(""))
    metro_of = np.where((c.area_type == "county") & (metro_pos >= 0), metro_pos, -1)
    c._parents = (state_of, metro_of)
    return c._parents


def _finish(reg: pd.DataFrame, groups: dict[str, list[str]], year: int) -> pd.DataFrame:
    if reg.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    nat = pd.DataFrame({g: national_group(codes, year) for g, codes in groups.items()}).T
    reg["year"] = year
    reg = reg.join(nat, on="group")
    exact = reg["suppressed_areas"] == 0
    reg["employment"] = reg["disclosed_emp"].where(exact)
    reg["employment_estimate"] = reg["emp_est"].clip(reg["emp_low"], reg["emp_high"]).where(~exact, reg["employment"])
    denom = reg["total_covered"] * reg["us_share"].astype("float64")
    reg["lq_low"] = reg["emp_low"] / denom
    reg["lq_high"] = reg["emp_high"] / denom
    reg["lq"] = reg["lq_low"].where(exact)
    reg["lq_estimate"] = reg["employment_estimate"] / denom
    # the disclosed cells' pay and growth, as the files publish them (their basis is reported)
    reg["avg_annual_pay"] = (reg["wages"] / reg["disclosed_emp"]).where(reg["disclosed_emp"] > 0)
    region_pay = (reg["private_wages"] / reg["private_paid"]).where(reg["private_paid"] > 0)
    reg["pay_ratio"] = reg["avg_annual_pay"] / region_pay
    emp0 = reg["emp_with_chg"] - reg["chg"]
    reg["growth"] = (reg["chg"] / emp0).where(emp0 > 0)
    reg["growth_coverage"] = (reg["emp_with_chg"] / reg["disclosed_emp"]).where(reg["disclosed_emp"] > 0)
    reg["us_growth"] = reg["us_growth"].astype("float64")
    reg["growth_vs_us"] = reg["growth"] - reg["us_growth"]
    reg["size_share"] = (reg["disclosed_emp"] / reg["private"]).where(reg["private"] > 0)
    # ranges and estimates of pay and growth where cells are suppressed
    wages_est = reg["wages_est"].clip(reg["wages_low"], reg["wages_high"])
    emp_est = reg["employment_estimate"]
    with np.errstate(divide="ignore", invalid="ignore"):
        reg["pay_low"] = (reg["wages_low"] / reg["emp_high"]).where(reg["emp_high"] > 0)
        reg["pay_high"] = (
            (reg["wages_high"] / reg["emp_low"]).where(reg["emp_low"] > 0, np.inf).where(reg["emp_high"] > 0)
        )
    reg["pay_estimate"] = (wages_est / emp_est).where(emp_est > 0).clip(reg["pay_low"], reg["pay_high"])
    reg.loc[exact, "pay_estimate"] = reg.loc[exact, "avg_annual_pay"]
    # against the region's published pay for all private jobs, estimated only where that is not published
    region_pay_est = region_pay.fillna((reg["private_wages_est"] / reg["private_est"]).where(reg["private_est"] > 0))
    reg["pay_ratio_estimate"] = reg["pay_estimate"] / region_pay_est
    reg.loc[exact, "pay_ratio_estimate"] = reg.loc[exact, "pay_ratio"]
    reg["pay_ratio_low"] = reg["pay_low"] / region_pay
    reg["pay_ratio_high"] = reg["pay_high"] / region_pay
    reg.loc[exact, ["pay_ratio_low", "pay_ratio_high"]] = reg.loc[exact, ["pay_ratio", "pay_ratio"]].to_numpy()
    g_lo, g_hi = bounds.ratio_range(
        reg["emp_low"].to_numpy(),
        reg["emp_high"].to_numpy(),
        reg["change_low"].to_numpy(),
        reg["change_high"].to_numpy(),
        reg["prior_low"].to_numpy(),
        reg["prior_high"].to_numpy(),
    )
    prior_est = reg["prior_est"].clip(reg["prior_low"], reg["prior_high"])
    g_est = (reg["change_est"] / prior_est).where(prior_est > 0)
    exact_growth = reg["change_exact"] & exact
    reg["growth_low"] = pd.Series(g_lo, index=reg.index).where(~exact_growth, reg["growth"])
    reg["growth_high"] = pd.Series(g_hi, index=reg.index).where(~exact_growth, reg["growth"])
    reg["growth_estimate"] = g_est.clip(reg["growth_low"], reg["growth_high"]).where(~exact_growth, reg["growth"])
    for end in ("low", "high", "estimate"):
        reg[f"growth_vs_us_{end}"] = reg[f"growth_{end}"] - reg["us_growth"]
    reg["size_share_estimate"] = (emp_est / reg["private_est"]).where(reg["private_est"] > 0)
    reg.loc[exact, "size_share_estimate"] = reg.loc[exact, "employment"] / reg.loc[exact, "private_est"]
    reg.loc[reg["total_covered"] <= 0, ["lq_low", "lq_high", "lq", "lq_estimate"]] = np.nan
    return reg[MEASURE_COLUMNS]


#: Columns of :func:`group_measures`, one row per region and group. ``employment`` and ``lq`` are
#: published figures (present only when nothing is suppressed); ``*_estimate`` columns are estimates
#: (proportional allocation within the published parents, see :mod:`dashboard.analysis.bounds`), always
#: inside their ``*_low``/``*_high`` range.
MEASURE_COLUMNS = [
    "region_id",
    "group",
    "year",
    "employment",
    "emp_low",
    "emp_high",
    "employment_estimate",
    "estabs",
    "lq",
    "lq_low",
    "lq_high",
    "lq_estimate",
    "suppressed_areas",
    "areas",
    "areas_without_base",
    "total_covered",
    "private",
    "us_share",
    "us_employment",
    "avg_annual_pay",
    "pay_ratio",
    "pay_low",
    "pay_high",
    "pay_estimate",
    "pay_ratio_low",
    "pay_ratio_high",
    "pay_ratio_estimate",
    "chg",
    "emp_with_chg",
    "growth",
    "growth_coverage",
    "us_growth",
    "growth_vs_us",
    "growth_low",
    "growth_high",
    "growth_estimate",
    "growth_vs_us_low",
    "growth_vs_us_high",
    "growth_vs_us_estimate",
    "size_share",
    "size_share_estimate",
]


def shift_share(emp_start: float, emp_end: float, us_all_growth: float, us_industry_growth: float) -> dict:
    """Split a region-industry's job change into national growth, industry mix and regional shift.

    The three parts add up to the actual change ``emp_end - emp_start``.
    """
    if emp_start <= 0:
        return {"change": emp_end - emp_start, "national_growth": None, "industry_mix": None, "regional_shift": None}
    local_growth = (emp_end - emp_start) / emp_start
    return {
        "change": emp_end - emp_start,
        "national_growth": emp_start * us_all_growth,
        "industry_mix": emp_start * (us_industry_growth - us_all_growth),
        "regional_shift": emp_start * (local_growth - us_industry_growth),
    }


#: Columns of :func:`change_measures`, one row per region and group.
CHANGE_COLUMNS = [
    "region_id",
    "group",
    "start_year",
    "end_year",
    "emp_start",
    "emp_end",
    "change",
    "change_low",
    "change_high",
    "growth",
    "us_growth",
    "us_all_growth",
    "growth_vs_us",
    "national_growth",
    "industry_mix",
    "regional_shift",
    "change_estimate",
    "growth_low",
    "growth_high",
    "growth_estimate",
    "growth_vs_us_estimate",
]


def change_measures(area_region: pd.Series, groups: dict[str, list[str]], start: int, end: int) -> pd.DataFrame:
    """Employment change of each region x group between two loaded years, against the US, with shift-share.

    The change is a point value only where both years are fully disclosed for
    every area of the region; otherwise ``change_low``/``change_high`` and
    ``growth_low``/``growth_high`` bound it, the point figures are missing and
    ``change_estimate``/``growth_estimate`` are the labelled estimates (each
    year's estimate inside its range). Shift-share splits the change into
    national growth (all industries, total covered), industry mix (the group's
    US growth beyond that) and the regional shift (the rest); the three add
    up to the change.
    """
    start, end = resolve_year(start), resolve_year(end)
    if start >= end:
        raise ValueError(f"the start year {start} must come before the end year {end}")
    # across a NAICS revision a group whose codes changed is compared as its 2-digit sectors
    groups = comparable_groups(groups, start, end)[0]
    key = ["region_id", "group"]
    a = group_measures(area_region, groups, start).set_index(key)
    b = group_measures(area_region, groups, end).set_index(key).reindex(a.index)
    exact = (
        a["employment"].notna()
        & b["employment"].notna()
        & (a["areas_without_base"] == 0)
        & (b["areas_without_base"] == 0)
    )
    out = pd.DataFrame(index=a.index)
    out["start_year"], out["end_year"] = start, end
    out["emp_start"] = a["employment"].astype("float64").where(exact)
    out["emp_end"] = b["employment"].astype("float64").where(exact)
    out["change"] = out["emp_end"] - out["emp_start"]
    out["change_low"] = (b["emp_low"] - a["emp_high"]).astype("float64")
    out["change_high"] = (b["emp_high"] - a["emp_low"]).astype("float64")
    out.loc[exact, ["change_low", "change_high"]] = np.c_[out.loc[exact, "change"], out.loc[exact, "change"]]
    out["growth"] = (out["change"] / out["emp_start"]).where(out["emp_start"] > 0)
    us = {
        g: national_group(codes, end)["us_employment"] / national_group(codes, start)["us_employment"] - 1
        for g, codes in groups.items()
    }
    out["us_growth"] = out.index.get_level_values("group").map(us).astype("float64")
    out["us_all_growth"] = us_total_employment(end) / us_total_employment(start) - 1
    out["growth_vs_us"] = out["growth"] - out["us_growth"]
    out["national_growth"] = out["emp_start"] * out["us_all_growth"]
    out["industry_mix"] = out["emp_start"] * (out["us_growth"] - out["us_all_growth"])
    out["regional_shift"] = out["change"] - out["national_growth"] - out["industry_mix"]
    # where cells are suppressed: the growth range (each year bounded on its own) and labelled estimates
    a_lo, a_hi = a["emp_low"].astype("float64"), a["emp_high"].astype("float64")
    b_lo, b_hi = b["emp_low"].astype("float64"), b["emp_high"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_low"] = (b_lo / a_hi - 1).where(a_hi > 0)
        out["growth_high"] = (b_hi / a_lo - 1).where(a_lo > 0, np.inf).where(a_hi > 0)
    a_est = a["employment_estimate"].astype("float64")
    b_est = b["employment_estimate"].astype("float64")
    out["change_estimate"] = (b_est - a_est).clip(out["change_low"], out["change_high"])
    out["growth_estimate"] = (b_est / a_est - 1).where(a_est > 0).clip(out["growth_low"], out["growth_high"])
    out.loc[exact, ["growth_low", "growth_high", "growth_estimate"]] = np.c_[(out.loc[exact, "growth"],) * 3]
    out.loc[exact, "change_estimate"] = out.loc[exact, "change"]
    out["growth_vs_us_estimate"] = out["growth_estimate"] - out["us_growth"]
    return out.reset_index()[CHANGE_COLUMNS]


def comparable_groups(
    groups: dict[str, list[str]], start: int, end: int
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Groups as compared between two loaded years (like with like across a NAICS revision), and a
    note for each group whose codes changed between the two years' vintages."""
    a, b = naics_vintage(start), naics_vintage(end)
    out, notes = {}, {}
    for g, codes in groups.items():
        then, _, note = naics.comparable(codes, a, b)
        out[g] = then
        if note:
            notes[g] = note
    return out, notes


def _official_code(scheme: str, region_id: str) -> str | None:
    if scheme == "state":
        return f"{region_id}000"
    if scheme == "cbsa":
        return f"C{region_id[:4]}"
    return None


def qcew_area_region(regions: list, year: int | None = None) -> tuple[pd.Series, dict[str, str]]:
    """Map QCEW areas to region ids for :func:`group_measures`.

    Where QCEW publishes the region itself (a state, or a metro/micro area
    whose published total equals the sum of today's member counties, i.e. the
    same delineation), the official row is used; otherwise the counties
    (plus, for a whole state, the jobs BLS could not place in a county).
    Returns the mapping (a categorical Series: area -> region id) and, per region, the basis used.
    """
    year = resolve_year(year)
    ind = industry_rows(year)
    totals = ind[(ind["own_code"] == 0) & (ind["naics"] == TOTAL)].set_index("area_fips")["emplvl"]
    pairs, basis, keys = [], {}, {}
    for region in regions:
        key = keys.setdefault(region.id, len(keys))
        code = _official_code(region.scheme, region.id)
        counties = [c for c in region.counties if c in totals.index]
        if code is not None and code in totals.index:
            summed = float(totals.reindex(counties).sum())
            # the official row stands for the region only when its counties are the region's: their published
            # totals add up to it within rounding (half a job per figure)
            if region.scheme == "state" or abs(summed - float(totals[code])) <= (len(counties) + 1) / 2:
                pairs.append((code, key))
                basis[region.id] = "official QCEW row for the whole region"
                continue
            other_set = True
        else:
            other_set = False
        if region.scheme == "state" and f"{region.id}999" in totals.index:
            counties.append(f"{region.id}999")
        pairs.extend((c, key) for c in counties)
        basis[region.id] = (
            f"sum of {len(counties)} county rows"
            + (f" (the official {year} QCEW metro row covers a different set of counties)" if other_set else "")
            if counties
            else f"no {year} QCEW rows for these counties (see data/SOURCES.md, known gaps)"
        )
        if counties and region.scheme == "cbsa" and code not in totals.index and not _has_metros(year):
            basis[region.id] += f" (BLS does not publish the official metro area row for {year})"
    if not pairs:
        return pd.Series(dtype=str, name="region_id"), basis
    areas, codes = zip(*pairs)
    # categorical: each region id is held once, however many areas map to it (a custom region's
    # id is its county list: a copy per area would grow with the square of the region's size)
    ids = pd.Categorical.from_codes(codes, categories=pd.Index(list(keys), dtype=object))
    return pd.Series(ids, index=pd.Index(areas, name="area_fips"), name="region_id"), basis


@lru_cache(maxsize=8)
def _has_metros(year: int) -> bool:
    """Whether BLS published metropolitan and micropolitan rows for ``year`` (none from 2025)."""
    return bool((industry_rows(year)["area_type"] == "metro").any())


@lru_cache(maxsize=1)
def sector_titles() -> dict[str, str]:
    """NAICS code -> official title (the newest year's title where years differ)."""
    nat = store.load_table("national").sort_values("year")
    return dict(zip(nat["naics"], nat["title"]))
