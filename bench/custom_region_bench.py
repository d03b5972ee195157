"""Time and peak memory of one request for a custom region of 100, 1,000 and every US county.

Usage (from the repository root, with the project's virtualenv)::

    python bench/custom_region_bench.py                       # report to bench/RESULTS-custom-region.md
    python bench/custom_region_bench.py --sizes 100,1000      # fewer sizes
    python bench/custom_region_bench.py --before /old/checkout  # the same requests on another checkout too

DESIGN.md asks that any one request, a custom region of every county included,
take time and memory linear in its input, under 3 s and 1 GB. A custom region's
id is its county list, so a region of every county is a 19,400-character link.

Each request runs in a fresh process, after the process has loaded the data
and drawn a default view (a running server's state), so the figures are the
request's own:

- ``cli profile``: ``python -m dashboard profile --counties ...`` as a user runs it
  (the whole process: start, data load and profile; peak RSS of the process);
- ``profile page``, ``industry map``, ``workforce map``, ``partnership table``: the app through
  Streamlit's AppTest, opened with the share link
  ``?state=US&scheme=custom&counties=...`` on that page (the link opens on the
  industry map; the other pages are then switched to, as a user does).

Time is wall-clock; memory is the process's peak resident set during the
request (VmHWM from /proc, reset after the warm-up through /proc/self/clear_refs)
and its growth over the warm process before the request. Counties are
spread over the whole country (every k-th county in FIPS order). This is a
benchmark, not a test: it reports met / missed and exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
TARGET_MIB = 1024.0
PAGES = {"profile page": "pages/region_profile.py", "industry map": "pages/industry_map.py",
         "workforce map": "pages/workforce_map.py", "partnership table": "pages/partnership_table.py"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def all_counties(root: Path) -> list[str]:
    import pandas as pd

    regions = pd.read_parquet(root / "data" / "regions.parquet")
    return sorted(regions.loc[regions["scheme"] == "county", "fips"].astype(str))


def pick(counties: list[str], n: int) -> list[str]:
    """``n`` counties spread over the country (every k-th in FIPS order); all of them when n covers them."""
    if n >= len(counties):
        return counties
    step = len(counties) / n
    return [counties[int(i * step)] for i in range(n)]


# ---------------------------------------------------------------- one request, in a child process

def child(root: Path, kind: str, counties: list[str]) -> dict:
    """Warm the process up (data loaded, a default view drawn), then make the request once."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from streamlit.testing.v1 import AppTest

    app = str(root / "app.py")
    page = PAGES[kind]
    warm = AppTest.from_file(app, default_timeout=600)
    warm.run()
    warm.switch_page(page).run()
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on is the request's
    base_rss, base_hwm = status_kib("VmRSS"), status_kib("VmHWM")

    at = AppTest.from_file(app, default_timeout=600)
    for key, value in {"state": "US", "scheme": "custom", "counties": ",".join(counties)}.items():
        at.query_params[key] = value
    start = time.perf_counter()
    at.run()  # the link opens on the industry map
    if page != "pages/industry_map.py":
        at.switch_page(page).run()
    seconds = time.perf_counter() - start
    problems = [e.message for e in at.exception] + [e.value for e in at.error]
    if not problems and at.selectbox(key="w_scheme").value != "custom":
        problems.append("the link did not open the custom region")
    return {"seconds": seconds, "peak_kib": status_kib("VmHWM"), "base_kib": base_rss, "base_peak_kib": base_hwm,
            "problems": problems}


def run_child(root: Path, kind: str, counties: list[str]) -> dict:
    spec = json.dumps({"root": str(root), "kind": kind, "counties": counties})
    proc = subprocess.run([sys.executable, __file__, "--child"], input=spec, capture_output=True, text=True,
                          cwd=root, timeout=1800, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_cli(root: Path, counties: list[str]) -> dict:
    """``python -m dashboard profile --counties ...``: wall time and the process's peak RSS."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "profile", "--counties", ",".join(counties)],
                                cwd=root, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, so the kernel's figures are this process's
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    problems = [] if proc.returncode == 0 else [stderr.decode(errors="replace").strip()[-300:]]
    if not problems and len(json.loads(stdout)["region"]["counties"]) != len(counties):
        problems.append("the profile has other counties")
    return {"seconds": seconds, "peak_kib": usage.ru_maxrss, "base_kib": None, "base_peak_kib": None,
            "problems": problems}


# ---------------------------------------------------------------- report

def mib(kib) -> str:
    return "" if kib is None else f"{kib / 1024:,.0f}"


def report(rows: list[dict], sizes: list[int], roots: dict[str, Path]) -> str:
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    checkouts = "; ".join(f"{label}: `{root}`" for label, root in roots.items())
    lines = [
        "# Sector Atlas: cost of one custom-region request",
        "",
        (f"Written by `bench/custom_region_bench.py` on {time.strftime('%Y-%m-%d %H:%M %Z')} ({checkouts}). "
         f"Target (DESIGN.md, \"Performance targets\"): time and memory linear in the input, "
         f"under {TARGET_S:g} s and {TARGET_MIB / 1024:g} GB for a custom region of every county. "
         f"{os.cpu_count()} cores; load average at the end {load}."),
        "",
        ("Each row is one request in a fresh, warmed-up process (see the script's docstring). "
         "\"peak\" is the process's peak resident memory during the request (the CLI row: the whole process); "
         "\"growth\" is that peak over the warm process's memory before the request."),
        "",
        "| checkout | request | counties | link chars | time (s) | peak (MiB) | growth (MiB) | met? | problems |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['checkout']} | {r['kind']} | {r['n']:,} | {r['chars']:,} | | | | **failed** | "
                         f"{r['error'][:120]} |")
            continue
        growth = None if r["base_kib"] is None else r["peak_kib"] - r["base_kib"]
        ok = r["seconds"] < TARGET_S and r["peak_kib"] / 1024 < TARGET_MIB and not r["problems"]
        lines.append(f"| {r['checkout']} | {r['kind']} | {r['n']:,} | {r['chars']:,} | {r['seconds']:.2f} | "
                     f"{mib(r['peak_kib'])} | {mib(growth)} | {'met' if ok else '**missed**'} | "
                     f"{'; '.join(r['problems'])[:120]} |")
    lines += ["", "## Side by side", "",
              ("Time and (for the app) memory growth of each request at each size. Linear cost: from "
               f"{sizes[1] if len(sizes) > 1 else sizes[0]:,} to {sizes[-1]:,} counties, "
               f"{sizes[-1] / (sizes[1] if len(sizes) > 1 else sizes[0]):.1f} times the input, growth stays within "
               "about that factor (time also carries a fixed part: the page itself)."), "",
              "| checkout | request | " + " | ".join(f"{n:,} counties" for n in sizes) + " |",
              "|---|---|" + "---:|" * len(sizes)]
    for checkout, kind in dict.fromkeys((r["checkout"], r["kind"]) for r in rows):
        cells = []
        for n in sizes:
            r = next((x for x in rows if (x["checkout"], x["kind"], x["n"]) == (checkout, kind, n) and "error" not in x),
                     None)
            if r is None:
                cells.append("failed")
                continue
            growth = f", peak {mib(r['peak_kib'])} MiB" if r["base_kib"] is None else \
                f", +{mib(r['peak_kib'] - r['base_kib'])} MiB"
            cells.append(f"{r['seconds']:.2f} s{growth}")
        lines.append(f"| {checkout} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100,1000,all", help="county counts, 'all' for every county (default: %(default)s)")
    p.add_argument("--root", type=Path, default=ROOT, help="checkout to measure (default: this one)")
    p.add_argument("--before", type=Path, help="another checkout (e.g. an older commit) to measure the same way")
    p.add_argument("--label", default="this", help="name of --root in the report (e.g. a commit)")
    p.add_argument("--before-label", default="before", help="name of --before in the report")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-custom-region.md")
    p.add_argument("--requests", default="cli,profile page,industry map,workforce map,partnership table",
                   help="comma-separated requests (default: %(default)s)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(child(Path(spec["root"]), spec["kind"], spec["counties"])))
        return 0
    roots = {args.label: args.root.resolve()}
    if args.before:
        roots[args.before_label] = args.before.resolve()
    counties = all_counties(args.root.resolve())
    sizes = [len(counties) if s.strip() == "all" else int(s) for s in args.sizes.split(",")]
    rows = []
    for label, root in roots.items():
        for kind in [k.strip() for k in args.requests.split(",")]:
            for n in sizes:
                chosen = pick(counties, n)
                log(f"[{label}: {kind}] {len(chosen):,} counties ...")
                r = run_cli(root, chosen) if kind == "cli" else run_child(root, kind, chosen)
                r.update(checkout=label, kind=kind, n=len(chosen), chars=len(",".join(chosen)))
                log("  " + (r["error"] if "error" in r else f"{r['seconds']:.2f} s, peak {mib(r['peak_kib'])} MiB"
                            + (f", {r['problems']}" if r["problems"] else "")))
                rows.append(r)
    text = report(rows, [len(pick(counties, n)) for n in sizes], roots)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
