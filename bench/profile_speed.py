"""Time ``region_profile`` over every region of each scheme.

Usage (from the repository root)::

    python bench/profile_speed.py                 # every region of every scheme
    python bench/profile_speed.py --scheme in-egr # one scheme
    python bench/profile_speed.py --limit 50      # the first 50 regions of each scheme

One warm-up profile runs first, so loading and caching the data is not
counted. Prints, per scheme, the number of regions timed and the mean, median
and maximum seconds per profile (and which region was slowest).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.analysis import regions
from dashboard.report.profile import region_profile


def time_scheme(scheme: str, limit: int | None = None) -> dict:
    ids = regions.list_regions(scheme)["region_id"].tolist()
    if limit is not None:
        ids = ids[:limit]
    times, failures = [], []
    for rid in ids:
        region = regions.resolve_region(scheme, rid)
        start = time.perf_counter()
        try:
            region_profile(region)
        except Exception as exc:  # report, keep timing the rest
            failures.append((rid, f"{type(exc).__name__}: {exc}"))
            continue
        times.append((time.perf_counter() - start, rid))
    secs = [t for t, _ in times]
    slowest = max(times) if times else (float("nan"), None)
    return {
        "scheme": scheme,
        "regions": len(ids),
        "timed": len(secs),
        "mean": statistics.fmean(secs) if secs else float("nan"),
        "median": statistics.median(secs) if secs else float("nan"),
        "max": slowest[0],
        "slowest": slowest[1],
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scheme", action="append", choices=regions.SCHEMES, help="scheme(s) to time (default: all)")
    p.add_argument("--limit", type=int, help="time only the first N regions of each scheme")
    args = p.parse_args(argv)

    start = time.perf_counter()
    region_profile(regions.resolve_region("county", "18097"))
    print(f"warm-up (cold load + first profile): {time.perf_counter() - start:.2f} s", flush=True)

    print(f"{'scheme':<8} {'regions':>7} {'mean s':>8} {'median s':>9} {'max s':>7}  slowest", flush=True)
    failed = 0
    for scheme in args.scheme or regions.SCHEMES:
        r = time_scheme(scheme, args.limit)
        print(
            f"{r['scheme']:<8} {r['timed']:>7} {r['mean']:>8.3f} {r['median']:>9.3f} {r['max']:>7.3f}  {r['slowest']}",
            flush=True,
        )
        for rid, msg in r["failures"][:5]:
            print(f"  FAILED {scheme} {rid}: {msg}", flush=True)
        if r["failures"]:
            print(f"  {len(r['failures'])} of {r['regions']} profiles failed", flush=True)
        failed += len(r["failures"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
