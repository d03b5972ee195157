"""Suppression ranges before and after bounding them by every published figure: the targets of issue 12.

Usage (from the repository root, with the project's virtualenv)::

    python bench/bounds_bench.py                      # report to bench/RESULTS-bounds.md
    python bench/bounds_bench.py --out /tmp/bounds.md
    python bench/bounds_bench.py --cz-step 20 --lp-sample 40

"Before" is the measures and classification code of the commit named in
``BASELINE`` (read with ``git show``, run on today's data): a suppressed cell
counted from zero up to all of its county's undisclosed jobs at its NAICS level.
"After" is the working tree: the ranges of ``dashboard/analysis/bounds.py``. Both run in
this process on the same regions. What it reports, side by side:

1. partnership-sector ranges above their published NAICS parent, over all
   regions of every scheme (the parent is the sum of the 2-digit sectors the
   sector's codes sit in, where the region publishes each of them);
2. the share of region x sector verdicts the range leaves open, on Ohio's metro
   areas, Kentucky's counties, Indiana's growth regions and every 20th commuting
   zone; after the change, those are decided by the estimate ("likely") and the
   share left "undetermined" is what no figure decides;
3. the all-US county industry map rerun and a region profile after the first;
4. how close the fast closed-form ranges come to the exact linear program.

This is a benchmark, not a test: it always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dashboard.analysis import bounds, measures, regions, sectors
from dashboard.data import cell_bounds
from dashboard.maps import classes as maps
from dashboard.maps import data as map_data
from dashboard.report import profile

#: The last commit with the simple ranges (zero up to the county's undisclosed jobs).
BASELINE = "06e79befc3b0f27d049c5dc0cd89fadba28f1101"
SCHEMES = ["county", "cbsa", "cz", "bea", "in-egr", "state"]
TARGET_ABOVE = 0
TARGET_OPEN = 0.15
TARGET_MAP_S = 1.0
TARGET_PROFILE_S = 0.5
#: The issue's figures for the four region sets, measured on the bundled 2016 data before the change.
ISSUE_OPEN = {
    "Ohio metro areas": 0.57,
    "Kentucky counties": 0.79,
    "Indiana growth regions": 0.69,
    "every 20th commuting zone": 0.68,
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def baseline_module(path: str, name: str):
    """A module of the dashboard package as it was at ``BASELINE`` (None without git)."""
    try:
        code = subprocess.run(
            ["git", "show", f"{BASELINE}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    spec = importlib.util.spec_from_loader(f"dashboard.{name}", loader=None)
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "dashboard"
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(code, f"{BASELINE[:7]}:{path}", "exec"), mod.__dict__)
    return mod


@contextlib.contextmanager
def using(module):
    """Run the app's code with ``module`` as its measures module (the baseline's, for "before")."""
    users = [m for m in (map_data, profile, sectors) if getattr(m, "measures", None) is measures]
    for m in users:
        m.measures = module
    try:
        yield
    finally:
        for m in users:
            m.measures = measures


# ------------------------------------------------------------------ 1. ranges above their published parent


def parents_of(codes) -> list[str]:
    return sorted({c if len(c) != 3 else bounds.sector_of(c) for c in codes})


def above_parent(old, view_by_scheme) -> dict:
    groups = sectors.sector_groups()
    parent_groups = {f"parent:{g}": parents_of(codes) for g, codes in groups.items()}
    out = {
        "before": 0,
        "after": 0,
        "after_beyond_rounding": 0,
        "pairs": 0,
        "max_before": 0.0,
        "max_after": 0.0,
        "worst_before": None,
        "by_scheme": {},
        "published_sums": 0,
        "published_sums_above": 0,
        "published_excess": 0.0,
    }
    for scheme, view in view_by_scheme.items():
        area_region, _ = measures.qcew_area_region(list(view))
        new = measures.group_measures(area_region, {**groups, **parent_groups}).set_index(["region_id", "group"])
        before = old.group_measures(area_region, groups).set_index(["region_id", "group"]) if old else None
        counts = {"pairs": 0, "before": 0, "after": 0}
        for g, codes in groups.items():
            sub = new.xs(g, level="group")
            par = new.xs(f"parent:{g}", level="group")["employment"].reindex(sub.index)
            # a sector published in full is a sum of published figures, not a range: counted apart
            point = par.notna() & sub["employment"].notna()
            out["published_sums"] += int(point.sum())
            out["published_sums_above"] += int((sub["employment"] > par)[point].sum())
            out["published_excess"] = max(
                out["published_excess"], float((sub["employment"] - par)[point].max()) if point.any() else 0.0
            )
            ok = par.notna() & sub["employment"].isna()
            figures = 1 + sum(len(bounds.children_of(measures.cells().codes).get(p, [])) for p in parents_of(codes))
            excess_after = (sub["emp_high"] - par)[ok]
            counts["pairs"] += int(ok.sum())
            counts["after"] += int((excess_after > 0).sum())
            out["after_beyond_rounding"] += int((excess_after > 0.5 * (figures + 1) * sub["areas"][ok]).sum())
            out["max_after"] = max(out["max_after"], float(excess_after.max()) if ok.any() else 0.0)
            if before is not None:
                b = before.xs(g, level="group")["emp_high"].reindex(sub.index)
                excess_before = (b - par)[ok]
                counts["before"] += int((excess_before > 0).sum())
                if ok.any() and float(excess_before.max()) > out["max_before"]:
                    out["max_before"] = float(excess_before.max())
                    rid = excess_before.idxmax()
                    out["worst_before"] = (
                        scheme,
                        rid,
                        g,
                        float(b[rid]),
                        float(par[rid]),
                        float(sub.loc[rid, "emp_high"]),
                    )
        out["by_scheme"][scheme] = counts
        for k in ("pairs", "before", "after"):
            out[k] += counts[k]
        log(f"  {scheme}: {counts}")
    return out


# ------------------------------------------------------------------ 2. verdicts the range leaves open


def region_sets(cz_step: int) -> dict[str, tuple]:
    ohio = regions.list_regions("cbsa", "39")
    ohio_metros = ohio[ohio["region_name"].str.endswith("Metro Area")]["region_id"]
    cz = regions.list_regions("cz")["region_id"].tolist()[::cz_step]
    return {
        "Ohio metro areas": tuple(regions.resolve_region("cbsa", r) for r in ohio_metros),
        "Kentucky counties": tuple(
            regions.resolve_region("county", r) for r in regions.list_regions("county", "21")["region_id"]
        ),
        "Indiana growth regions": tuple(
            regions.resolve_region("in-egr", r) for r in regions.list_regions("in-egr")["region_id"]
        ),
        f"every {cz_step}th commuting zone": tuple(regions.resolve_region("cz", r) for r in cz),
    }


def verdict_shares(old, old_sectors, sets: dict[str, tuple]) -> list[dict]:
    groups = sectors.sector_groups()
    rows = []
    for name, view in sets.items():
        area_region, _ = measures.qcew_area_region(list(view))
        new = measures.group_measures(area_region, groups)
        v = sectors.verdicts(new)
        n = len(v)
        row = {
            "set": name,
            "regions": len(view),
            "verdicts": n,
            "published": float((v["confidence"] == "published").mean()),
            "determined": float((v["confidence"] == "determined").mean()),
            "likely": float((v["confidence"] == "likely").mean()),
            "undetermined": float((v["confidence"] == "undetermined").mean()),
        }
        row["open_after"] = row["likely"] + row["undetermined"]
        # which axis leaves it open after the change
        lq_open = ~((new["lq_low"] >= 1) | (new["lq_high"] < 1))
        g_open = ~((new["growth_vs_us_low"] >= 0) | (new["growth_vs_us_high"] < 0))
        row["lq_open_after"] = float(lq_open.mean())
        row["growth_open_after"] = float(g_open.mean())
        if old is not None:
            before = old.group_measures(area_region, groups)
            cls = old_sectors.classify(before)
            row["open_before"] = float((cls == "undetermined").mean())
            row["lq_open_before"] = float((~((before["lq_low"] >= 1) | (before["lq_high"] < 1))).mean())
        rows.append(row)
        log(f"  {name}: {row}")
    return rows


# ------------------------------------------------------------------ 3. timings


def map_rerun(maps_module, industry: str, year: int) -> float:
    """One all-US county industry map, as the app builds it: the table, the classes, the tooltips, the fills."""
    start = time.perf_counter()
    view = map_data.view_regions("county", map_data.US)
    table = map_data.industry_table(view, industry, year)
    measure = maps_module.industry_measures(year)["lq"]
    classes = maps_module.classify(table, measure)
    table.apply(lambda r: maps_module.value_text(r, measure), axis=1)
    maps_module.fills(table, classes)
    return time.perf_counter() - start


def timings(old, old_maps, repeats: int) -> dict:
    year = measures.resolve_year(None)
    industries = ["advanced-manufacturing", "healthcare", "31-33", "62", "construction", "336", "52"]
    out = {}
    for label, meas, mp in (("after", measures, maps), ("before", old, old_maps)):
        if meas is None:
            continue
        with using(meas):
            first = map_rerun(mp, industries[0], year)
            same = [map_rerun(mp, industries[0], year) for _ in range(repeats)]
            switch = [map_rerun(mp, ind, year) for ind in industries[1 : 1 + repeats]]
            out[f"map_{label}"] = {
                "first": first,
                "same": statistics.median(same),
                "switch": statistics.median(switch),
                "switch_max": max(switch),
            }
            ids = ["18097", "39049", "21111", "17031", "06037", "48201", "36061"]
            sm = []
            for rid in ids[: 1 + repeats]:
                start = time.perf_counter()
                profile.sector_measures(regions.resolve_region("county", rid), year)
                sm.append(time.perf_counter() - start)
            out[f"sectors_{label}"] = {"first": sm[0], "median": statistics.median(sm[1:]), "max": max(sm[1:])}
            start = time.perf_counter()
            profile.region_profile(regions.resolve_region("county", ids[0]))
            first_profile = time.perf_counter() - start
            after_first = []
            for rid in ids[1 : 1 + repeats]:
                start = time.perf_counter()
                profile.region_profile(regions.resolve_region("county", rid))
                after_first.append(time.perf_counter() - start)
            start = time.perf_counter()
            profile.region_profile(regions.resolve_region("cbsa", "18140"))
            metro = time.perf_counter() - start
            out[f"profile_{label}"] = {
                "first": first_profile,
                "median": statistics.median(after_first),
                "max": max(after_first),
                "metro": metro,
            }
        log(f"  {label}: {out.get(f'map_{label}')} {out.get(f'profile_{label}')}")
    return out


# ------------------------------------------------------------------ 4. closed form against the exact problem


def exact_gap(sample: int) -> dict:
    rows = measures._industry(measures.resolve_year(None)).reset_index(drop=True)
    system, cells = cell_bounds.build_system(rows, measures.metro_members())
    groups = sectors.sector_groups()
    rng = np.random.default_rng(12)
    picks = [("cbsa", "18140")] + [
        ("county", c) for c in rng.choice(regions.list_regions("county", "39")["region_id"], sample, replace=False)
    ]
    widths_closed, widths_lp, same = [], [], 0
    start = time.perf_counter()
    solves = 0
    for scheme, rid in picks:
        region = regions.resolve_region(scheme, rid)
        area_region, _ = measures.qcew_area_region([region])
        m = measures.group_measures(area_region, groups).set_index("group")
        for g, codes in groups.items():
            if m.loc[g, "suppressed_areas"] == 0:
                continue
            lo, hi = bounds.lp_group_range(system, cells, list(area_region.index), codes)
            solves += 2
            closed = float(m.loc[g, "emp_high"] - m.loc[g, "emp_low"])
            widths_closed.append(closed)
            widths_lp.append(hi - lo)
            same += int(closed <= (hi - lo) + 1)
    seconds = time.perf_counter() - start
    wc, wl = np.array(widths_closed), np.array(widths_lp)
    return {
        "regions": len(picks),
        "ranges": len(wc),
        "same": same,
        "median_closed": float(np.median(wc)) if len(wc) else 0,
        "median_lp": float(np.median(wl)) if len(wl) else 0,
        "sum_closed": float(wc.sum()),
        "sum_lp": float(wl.sum()),
        "max_extra": float((wc - wl).max()) if len(wc) else 0,
        "seconds_per_solve": seconds / max(solves, 1),
    }


# ------------------------------------------------------------------ report


def pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(path: Path, res: dict) -> None:
    a = res["above"]
    t = res["timings"]
    g = res["gap"]
    lines = [
        "# Sector Atlas: suppression ranges before and after",
        "",
        f"Written by `bench/bounds_bench.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, QCEW {res['year']}. "
        f'"Before": the measures of commit `{BASELINE[:7]}` (a suppressed cell from zero up to all its county\'s '
        'undisclosed jobs at its level), run on the same data in the same process. "After": the working tree '
        "(`dashboard/analysis/bounds.py`: every published figure at once; an estimate inside the range).",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at start {res['load'][0]:.2f}, at end {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores).",
        "",
        "## 1. Partnership-sector ranges above their published NAICS parent",
        "",
        "Every region of every scheme (county, cbsa, cz, bea, in-egr, state; all US) x every partnership sector whose "
        "parent NAICS sectors the region publishes (the parent: the 2-digit sectors its codes sit in, e.g. 31-33 for "
        "Advanced Manufacturing, 71 + 72 for Hospitality & Tourism).",
        "",
        "| | before | after | target | met? |",
        "|---|---:|---:|---|---|",
        f"| region x sector ranges checked (suppressed cells; the parent published) | {a['pairs']:,} | {a['pairs']:,} | | |",
        f"| upper end above the published parent | {a['before']:,} | {a['after']:,} | {TARGET_ABOVE} | {verdict(a['after'] == TARGET_ABOVE)} |",
        f"| ... by more than the parent's rounding (half a job per published figure in it) | | {a['after_beyond_rounding']:,} | {TARGET_ABOVE} | {verdict(a['after_beyond_rounding'] == TARGET_ABOVE)} |",
        f"| largest excess (jobs) | {a['max_before']:,.0f} | {a['max_after']:,.0f} | | |",
        "",
    ]
    if a["worst_before"]:
        s, rid, grp, b, par, aft = a["worst_before"]
        lines += [
            f"Worst before: {s} {rid}, {grp}: upper end {b:,.0f} against a published parent of {par:,.0f}; after: {aft:,.0f}.",
            "",
        ]
    lines += [
        f"Sectors published in full (no range): {a['published_sums']:,} region x sector sums; "
        f"{a['published_sums_above']} of them exceed their published parent, by at most {a['published_excess']:,.0f} "
        "job(s): the published subsector figures themselves add up to a job more than their published sector "
        "(each is rounded on its own).",
        "",
        "| scheme | ranges | before | after |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {s} | {c['pairs']:,} | {c['before']:,} | {c['after']:,} |" for s, c in a["by_scheme"].items()]
    lines += [
        "",
        "Each published annual average is rounded to a whole job, so a sum of published figures may miss its "
        "published total by up to half a job per figure; the ranges allow for that rounding in every sum, but no "
        "part's range ever reaches above its published parent (a rounded part never exceeds its rounded whole).",
        "",
        "## 2. Verdicts the range leaves open",
        "",
        'Region x partnership-sector verdicts. Before: "undetermined" when the LQ range straddles 1.0 or no growth '
        'figure exists. After: "published" (no cell suppressed), "determined" (every value in both ranges gives '
        'the same class), "likely" (the ranges span a threshold: the labelled estimate decides), "undetermined" '
        '(nothing decides: no figure at all). The issue\'s figures are its own measurement of "before".',
        "",
        "| region set | regions | verdicts | issue: before | before: undetermined | after: range leaves it open | after: undetermined | target (undetermined) | met? | after: published / determined / likely |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in res["verdicts"]:
        issue = ISSUE_OPEN.get(r["set"])
        lines.append(
            f"| {r['set']} | {r['regions']} | {r['verdicts']} | {pct(issue)} | {pct(r.get('open_before'))} | "
            f"{pct(r['open_after'])} | {pct(r['undetermined'])} | < {pct(TARGET_OPEN)} | {verdict(r['undetermined'] < TARGET_OPEN)} | "
            f"{pct(r['published'])} / {pct(r['determined'])} / {pct(r['likely'])} |"
        )
    lines += [
        "",
        "Which axis the range leaves open (share of verdicts): the LQ range straddling 1.0, the growth range straddling "
        "the US growth.",
        "",
        "| region set | LQ open before | LQ open after | growth open after |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r['set']} | {pct(r.get('lq_open_before'))} | {pct(r['lq_open_after'])} | {pct(r['growth_open_after'])} |"
        for r in res["verdicts"]
    ]
    lines += [
        "",
        "## 3. Speed",
        "",
        "All-US county industry map (3,222 counties; LQ): table, classes, tooltips and fills as `dashboard/ui/cached.py` "
        'builds them, without Streamlit\'s cache. "Rerun": the same industry again; "switch": another industry. A '
        "profile: `profile.region_profile` of a county, after a first profile (the year's matrices loaded).",
        "",
        "| measure | before (s) | after (s) | target | met? |",
        "|---|---:|---:|---|---|",
    ]
    mb, ma = t.get("map_before"), t["map_after"]
    pb, pa = t.get("profile_before"), t["profile_after"]
    sb, sa = t.get("sectors_before"), t["sectors_after"]

    def f(d, k):
        return "n/a" if d is None else f"{d[k]:.3f}"

    lines += [
        f"| all-US county map, first (loads the year) | {f(mb, 'first')} | {f(ma, 'first')} | | |",
        f"| all-US county map, rerun (median) | {f(mb, 'same')} | {f(ma, 'same')} | < {TARGET_MAP_S} s | {verdict(ma['same'] < TARGET_MAP_S)} |",
        f"| all-US county map, switching industry (median) | {f(mb, 'switch')} | {f(ma, 'switch')} | < {TARGET_MAP_S} s | {verdict(ma['switch'] < TARGET_MAP_S)} |",
        f"| all-US county map, switching industry (max) | {f(mb, 'switch_max')} | {f(ma, 'switch_max')} | | |",
        f"| first profile | {f(pb, 'first')} | {f(pa, 'first')} | | |",
        f"| profile after the first (median) | {f(pb, 'median')} | {f(pa, 'median')} | < {TARGET_PROFILE_S} s | {verdict(pa['median'] < TARGET_PROFILE_S)} |",
        f"| profile after the first (max) | {f(pb, 'max')} | {f(pa, 'max')} | | |",
        f"| profile of the Columbus metro area | {f(pb, 'metro')} | {f(pa, 'metro')} | | |",
        f"| the profile's industry part: every NAICS sector and partnership sector (median) | {f(sb, 'median')} | {f(sa, 'median')} | | |",
        "",
        "The whole profile also builds the workforce comparison, seats and careers; the industry part is what this "
        'change touches (`profile.sector_measures`). "Before" runs second, so it finds the other parts\' caches warm.',
        "",
        "## 4. The closed form against the exact linear program",
        "",
        f"The ranges above come from precomputed cell ranges and closed forms (no solver at request time). For "
        f"{g['regions']} regions (the Columbus metro area and Ohio counties drawn at random), every suppressed "
        f"partnership-sector range was also solved exactly: min and max of the region's sum over every equation among "
        f"the cells of its state (and its metro areas), each cell within its precomputed range (scipy HiGHS).",
        "",
        "| | value |",
        "|---|---:|",
        f"| ranges compared | {g['ranges']} |",
        f"| closed form as tight as the exact range (within a job) | {g['same']} ({pct(g['same'] / max(g['ranges'], 1))}) |",
        f"| median width: closed form / exact | {g['median_closed']:,.0f} / {g['median_lp']:,.0f} jobs |",
        f"| total width: closed form / exact | {g['sum_closed']:,.0f} / {g['sum_lp']:,.0f} jobs |",
        f"| largest extra width of the closed form | {g['max_extra']:,.0f} jobs |",
        f"| time per exact solve | {g['seconds_per_solve']:.3f} s |",
        "",
    ]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-bounds.md")
    p.add_argument("--cz-step", type=int, default=20)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--lp-sample", type=int, default=12)
    args = p.parse_args(argv)
    load = os.getloadavg()
    old = baseline_module("dashboard/analysis/measures.py", "_measures_before")
    old_sectors = baseline_module("dashboard/analysis/sectors.py", "_sectors_before")
    old_maps = baseline_module("dashboard/maps/classes.py", "_maps_before")
    if old is None:
        log("git or the baseline commit is not available: the report has no 'before' column")
    year = measures.resolve_year(None)
    log("loading the year")
    measures.cells(year)
    log("1. ranges above their published parent")
    views = {s: map_data.view_regions(s, map_data.US) for s in SCHEMES}
    res = {"year": year, "load": load, "above": above_parent(old, views)}
    log("2. verdicts")
    res["verdicts"] = verdict_shares(old, old_sectors, region_sets(args.cz_step))
    log("3. timings")
    res["timings"] = timings(old, old_maps, args.repeats)
    log("4. closed form against the exact problem")
    res["gap"] = exact_gap(args.lp_sample)
    report(args.out, res)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
