"""How sure the figures are: estimates that add up, ranges against the exact program, verdicts in four words.

Usage (from the repository root, with the project's virtualenv)::

    python bench/certainty_bench.py                   # report to bench/RESULTS-certainty.md
    python bench/certainty_bench.py --out /tmp/c.md --lp-regions 2

What it reports, on the newest loaded year:

1. estimates: a masking experiment (published county cells shaped like the
   suppressed ones are hidden, bounded and estimated again; the median absolute
   error of proportional fitting alone, the method before, against the fit under
   every published figure, the method now); cells with establishments estimated
   at 0 where the published figures allow more; the share of families
   (subsectors in a sector, sectors in the private total, counties in a state or
   metro) whose estimates add up to the parent within rounding;
2. ranges: the closed form the app computes against the exact linear program
   (HiGHS) on Ohio metro areas, a sample of Texas counties and commuting zones
   outside Ohio, Kentucky and Indiana: containment and width ratio;
3. verdicts: the share "not known from public data" per region set, beside the
   share the verdict rule before this change would have called "likely" or
   "undetermined" instead; whether any rural county's top-ranked sector is one
   not known.

This is a benchmark, not a test: it always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard.analysis import bounds, measures, regions, sectors  # noqa: E402
from dashboard.data import cell_bounds, store  # noqa: E402

SEED = 2016


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5-min {five:.2f})"


def masking(rows: pd.DataFrame, metros, share: float = 0.05) -> dict:
    """Hide published 3-digit county cells shaped like the suppressed ones; estimate them both ways."""
    rows = rows.copy()
    priv = rows["own_code"] == 5
    county = rows["area_type"] == "county"
    sup = rows.loc[priv & county & rows["suppressed"] & (rows["naics_level"] == 3), "estabs"].astype(float)
    lo_e, hi_e = sup.quantile(0.1), sup.quantile(0.9)
    pool = rows.index[
        priv & county & ~rows["suppressed"] & (rows["naics_level"] == 3) & rows["estabs"].between(lo_e, hi_e)
    ]
    rng = np.random.default_rng(SEED)
    hidden = rng.choice(pool, size=int(share * len(pool)), replace=False)
    truth = rows.loc[hidden, "emplvl"].astype(float)
    rows.loc[hidden, ["emplvl", "total_wages", "oty_emplvl_chg"]] = pd.NA
    rows.loc[hidden, "suppressed"] = True
    t = time.perf_counter()
    system, cells = cell_bounds.build_system(rows, metros)
    v = cells["emplvl"].astype("float64").to_numpy()
    lo, hi, info = cell_bounds.propagate(system, v, "emplvl")
    size = cell_bounds._typical(cells, cells["emplvl"].astype("float64"), cells["estabs"].astype("float64"))
    start = np.maximum(cells["estabs"].astype("float64").fillna(0).to_numpy(), 0.25) * size.to_numpy()
    old = cell_bounds.allocate(system, v, lo, hi, start, "emplvl", info["active"])
    t_old = time.perf_counter() - t
    t = time.perf_counter()
    has = cells["estabs"].astype("float64").fillna(0).to_numpy() > 0
    new = cell_bounds.fit(system, v, lo, hi, old, np.where(has, 1.0, 0.0), "emplvl", info["active"])
    t_new = time.perf_counter() - t
    # the hidden cells in cell order
    key = pd.MultiIndex.from_arrays([cells["area_fips"], cells["naics"]])
    pos = pd.Series(np.arange(len(cells)), index=key)
    at = pos.reindex(pd.MultiIndex.from_arrays([rows.loc[hidden, "area_fips"], rows.loc[hidden, "naics"]])).to_numpy()
    err_old = np.abs(old[at] - truth.to_numpy())
    err_new = np.abs(new[at] - truth.to_numpy())
    out = {"hidden": len(hidden), "estabs": (lo_e, hi_e), "t_old": t_old, "t_new": t_new}
    out["mae_old"], out["mae_new"] = float(np.median(err_old)), float(np.median(err_new))
    out["rel_old"] = float(np.median(err_old / np.maximum(truth.to_numpy(), 1)))
    out["rel_new"] = float(np.median(err_new / np.maximum(truth.to_numpy(), 1)))
    out["inside"] = float(np.mean((lo[at] <= truth.to_numpy()) & (truth.to_numpy() <= hi[at])))
    hidden_all = np.isnan(v)
    for name, est in (("old", old), ("new", new)):
        x = np.where(hidden_all, est, v)
        s = np.bincount(system.child_fam, x[system.child_cell], len(system.fam_parent))
        gap = np.abs(x[system.fam_parent] - s)
        with_hidden = np.bincount(system.child_fam, hidden_all[system.child_cell], len(system.fam_parent)) > 0
        fams = info["active"] & (with_hidden | hidden_all[system.fam_parent])
        ok = gap <= 0.5 * (system.fam_size + 1) + 1e-6
        out[f"families_{name}"] = int(fams.sum())
        out[f"add_up_{name}"] = float(ok[fams].mean())
        out[f"zero_{name}"] = int((hidden_all & has & (est == 0) & (hi >= 1)).sum())
    return out


def measured_areas(area_region: pd.Series, year: int) -> list[str]:
    """The areas the app sums for a region: a metro whose counties are all in it counts as its own row (so
    the same counties give the same figures however the region was built)."""
    members = pd.DataFrame({"area_fips": area_region.index.to_numpy(), "region_id": 0})
    canonical, _ = measures._canonical(members, measures.cells(year))
    return list(canonical["area_fips"])


def ranges(rows, year: int, n_regions: int) -> list[dict]:
    """Closed form (as the app computes it) against the exact program, per region set."""
    system, cells = cell_bounds.build_system(rows, measures.metro_members())
    groups = sectors.sector_groups()
    rng = np.random.default_rng(SEED)
    sets = {
        "Ohio metro areas": regions.list_regions("cbsa", "39"),
        "Texas counties (sample)": regions.list_regions("county", "48"),
        "commuting zones outside OH/KY/IN (sample)": regions.list_regions("cz"),
    }
    out = []
    for label, table in sets.items():
        ids = list(table["region_id"])
        if label.startswith("commuting"):
            ids = [i for i in ids if not {c[:2] for c in regions.resolve_region("cz", i).counties} & {"39", "21", "18"}]
        scheme = "cbsa" if "metro" in label else ("county" if "Texas" in label else "cz")
        picked = sorted(rng.choice(ids, size=min(n_regions, len(ids)), replace=False))
        n = inside = 0
        worst = 0.0
        closed_w, exact_w, secs = [], [], []
        for rid in picked:
            area_region, _ = measures.qcew_area_region([regions.resolve_region(scheme, rid)], year)
            m = measures.group_measures(area_region, groups, year).set_index("group")
            for g, codes in groups.items():
                r = m.loc[g]
                if r["suppressed_areas"] == 0:
                    continue
                t = time.perf_counter()
                lo, hi = bounds.lp_group_range(system, cells, measured_areas(area_region, year), codes)
                secs.append(time.perf_counter() - t)
                n += 1
                inside += int(r["emp_low"] <= lo + 0.5 and r["emp_high"] >= hi - 0.5)
                worst = max(worst, float(r["emp_low"] - lo), float(hi - r["emp_high"]))
                closed_w.append(float(r["emp_high"] - r["emp_low"]))
                exact_w.append(float(hi - lo))
        out.append(
            {
                "set": label,
                "regions": len(picked),
                "ranges": n,
                "inside": inside,
                "ratio": sum(closed_w) / sum(exact_w) if sum(exact_w) else float("nan"),
                "median_ratio": statistics.median(c / e for c, e in zip(closed_w, exact_w, strict=True) if e > 0)
                if any(e > 0 for e in exact_w)
                else float("nan"),
                "lp_s": statistics.median(secs) if secs else float("nan"),
                "worst": worst,
            }
        )
    return out


def verdict_shares(year: int) -> list[dict]:
    before = sectors.ScoringParams(lq_known_ratio=float("inf"), growth_known_width=float("inf"))
    cz = regions.list_regions("cz")
    sets = {
        "Ohio metro areas": ("cbsa", list(regions.list_regions("cbsa", "39")["region_id"])),
        "Kentucky counties": ("county", list(regions.list_regions("county", "21")["region_id"])),
        "Indiana growth regions": ("in-egr", list(regions.list_regions("in-egr")["region_id"])),
        "every 20th commuting zone": ("cz", list(cz["region_id"])[::20]),
    }
    out = []
    for label, (scheme, ids) in sets.items():
        regs = [regions.resolve_region(scheme, i) for i in ids]
        area_region, _ = measures.qcew_area_region(regs, year)
        m = measures.group_measures(area_region, sectors.sector_groups(), year)
        now = sectors.verdicts(m)["confidence"]
        then = sectors.verdicts(m, before)["confidence"]
        top_unknown = all_unknown = 0
        for _rid, rm in m.groupby("region_id", sort=False):
            ranked = sectors.rank_sectors(rm.reset_index(drop=True))
            known_any = (ranked["confidence"] != sectors.NOT_KNOWN).any()
            top_unknown += int(known_any and ranked.loc[0, "confidence"] == sectors.NOT_KNOWN)
            all_unknown += int(not known_any)
        out.append(
            {
                "set": label,
                "regions": len(regs),
                "verdicts": len(m),
                "before": float((then == sectors.NOT_KNOWN).mean()),
                "before_likely": float((then == "likely").mean()),
                "now": float((now == sectors.NOT_KNOWN).mean()),
                "now_likely": float((now == "likely").mean()),
                "top_unknown": top_unknown,
                "all_unknown": all_unknown,
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-certainty.md"))
    ap.add_argument("--lp-regions", type=int, default=4, help="regions per set checked against the exact program")
    args = ap.parse_args()
    start_load = load()
    year = measures.resolve_year(None)
    ind = store.load_table("industry")
    rows = ind[ind["year"] == year].drop(columns=cell_bounds.CELL_COLUMNS).reset_index(drop=True)
    t0 = time.perf_counter()
    mk = masking(rows, measures.metro_members())
    print(mk, flush=True)
    rg = ranges(ind[ind["year"] == year].reset_index(drop=True), year, args.lp_regions)
    vs = verdict_shares(year)
    total = time.perf_counter() - t0
    end_load = load()

    lines = [
        "# Sector Atlas: how sure the figures are",
        "",
        f"Written by `bench/certainty_bench.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, QCEW {year}. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at start {start_load}, at end {end_load}; {total:.0f} s in all.",
        "",
        "## 1. Estimates",
        "",
        f"Masking experiment: {mk['hidden']:,} published county subsector cells (5% of those with "
        f"{mk['estabs'][0]:.0f}-{mk['estabs'][1]:.0f} establishments, the middle 80% of suppressed subsector "
        "cells) hidden with their wages and change, then bounded and estimated with every other figure of the "
        f"year (seed {SEED}). Their true values lie inside the new ranges: {mk['inside']:.1%}.",
        "",
        "| | before (proportional fitting) | now (fit under every published figure) | target |",
        "|---|---:|---:|---|",
        f"| median absolute error, hidden cells (jobs) | {mk['mae_old']:.0f} | {mk['mae_new']:.0f} | lower |",
        f"| median relative error | {mk['rel_old']:.1%} | {mk['rel_new']:.1%} | |",
        f"| cells with establishments estimated 0 where more is allowed | {mk['zero_old']:,} | {mk['zero_new']:,} | 0 |",
        f"| families with a hidden cell adding up within rounding | {mk['add_up_old']:.1%} of "
        f"{mk['families_old']:,} | {mk['add_up_new']:.1%} of {mk['families_new']:,} | 100% |",
        f"| time (s) | {mk['t_old']:.1f} (ranges and fitting) | {mk['t_new']:.1f} (the fit alone) | |",
        "",
        "Within rounding: a parent within half a job per figure of the sum of its parts (half a job for each part "
        "and for the parent), the convention Data and methods states.",
        "",
        "## 2. Ranges against the exact linear program",
        "",
        "Every suppressed partnership-sector range of the regions drawn (seed fixed), as the app computes it, "
        "against the exact program over every equation among the cells of the region's states and metro areas "
        "(`bounds.lp_group_range`, HiGHS), summing the areas the app sums (a metro area whose counties are all in "
        "the region counts as its published row). Contained: the app's range holds the exact one (within half a job).",
        "",
        "| region set | regions | ranges | contained | largest miss (jobs) | width ratio (total) "
        "| width ratio (median) | LP s (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rg:
        share = r["inside"] / r["ranges"] if r["ranges"] else float("nan")
        lines.append(
            f"| {r['set']} | {r['regions']} | {r['ranges']} | {r['inside']} ({share:.1%}) | {r['worst']:.1f} | "
            f"{r['ratio']:.3f} | "
            f"{r['median_ratio']:.3f} | {r['lp_s']:.2f} |"
        )
    lines += [
        "",
        "## 3. Verdicts",
        "",
        '"Before": the same figures under the verdict rule without a width limit (every open range decided by '
        'the estimate: "likely"; "not known" then only where no figure decides, the old "undetermined"). '
        '"Top not known": regions whose first-ranked sector is not known from public '
        "data although some sector there is known (target 0).",
        "",
        "| region set | regions | verdicts | not known before | not known now | likely before | likely now "
        "| top not known | every sector not known |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for v in vs:
        lines.append(
            f"| {v['set']} | {v['regions']} | {v['verdicts']} | {v['before']:.1%} | {v['now']:.1%} | "
            f"{v['before_likely']:.1%} | {v['now_likely']:.1%} | {v['top_unknown']} | {v['all_unknown']} |"
        )
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
