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

With ``--upload-only``, it measures instead the largest upload the Custom regions
page allows (dashboard/analysis/uploads.py: ``MAX_REGIONS`` regions holding ``MAX_COUNTY_ROWS``
county rows in all, each region's counties spread over the country, so that they
dissolve into nothing and the map draws every one): the upload itself, then each
page that draws or measures the whole view of custom regions, and the map's
payload (what streamlit-folium hands the browser, counted as
bench/app_bench.py counts it). Its section of the report replaces the one
already in ``--out``, the rest of the file is kept.

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
PAGES = {
    "profile page": "pages/region_profile.py",
    "industry map": "pages/industry_map.py",
    "workforce map": "pages/workforce_map.py",
    "partnership table": "pages/partnership_table.py",
}


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
    return {
        "seconds": seconds,
        "peak_kib": status_kib("VmHWM"),
        "base_kib": base_rss,
        "base_peak_kib": base_hwm,
        "problems": problems,
    }


def worst_upload_rows(counties: list[str], regions: int, rows: int) -> list[tuple[str, str]]:
    """``rows`` (county, region name) pairs in ``regions`` regions: row ``m`` is county ``m`` (cycling through
    all of them) in region ``m mod regions``, so each region's counties lie far apart (every ``regions``-th
    county in FIPS order) and no pair repeats while ``rows`` is below both counts' least common multiple."""
    return [(counties[m % len(counties)], f"Upload region {m % regions + 1:03d}") for m in range(rows)]


def map_payload_bytes(custom: tuple, state: str) -> int:
    """Bytes of the arguments streamlit-folium hands the browser for the industry map of the custom view
    (the base map with every region's outline, and the styles group), as bench/app_bench.py counts them."""
    import streamlit_folium as sf

    from dashboard.analysis import measures
    from dashboard.maps import classes as maps
    from dashboard.maps import data as map_data
    from dashboard.maps import layer as map_layer

    year = measures.resolve_year(None)
    measure = maps.industry_measures(year)["lq"]
    view = map_data.view_regions("custom", state, custom)
    table = map_data.industry_table(view, "advanced-manufacturing", year)
    shapes = map_layer.region_shapes(
        map_data.view_geometry("custom", state, view), {r.id: r.name for r in view}, national=state == map_data.US
    )
    texts = dict(zip(table["region_id"], table.apply(lambda r: maps.value_text(r, measure), axis=1)))
    payload = map_layer.style_payload(
        shapes, maps.fills(table, maps.classify(table, measure)), texts, measure.label, view[0].id
    )
    m = map_layer.base_map(shapes, maps.LEAFLET_JS, maps.LEAFLET_CSS)
    m.get_root().render()
    m.render()
    args = {
        "script": sf._get_map_string(m),
        "header": sf._get_header(m),
        "html": sf._get_html(m),
        "feature_group": sf._get_feature_group_string(map_layer.styles_group(payload), map=m),
    }
    return len(json.dumps(args).encode())


UPLOAD_PAGES = {
    "industry map": "pages/industry_map.py",
    "workforce map": "pages/workforce_map.py",
    "profile page": "pages/region_profile.py",
    "compare regions": "pages/compare_regions.py",
}


def upload_child(root: Path, rows: list[tuple[str, str]]) -> dict:
    """The whole US in view, the upload on the Custom regions page, then each page of :data:`UPLOAD_PAGES`
    in turn (each step's time and peak memory over the warm process), and the map's payload."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from streamlit.testing.v1 import AppTest

    data = ("fips,region\n" + "".join(f"{fips},{name}\n" for fips, name in rows)).encode()
    at = AppTest.from_file(str(root / "app.py"), default_timeout=600)
    at.query_params["state"] = "US"
    at.run()
    at.switch_page("pages/custom_regions.py").run()
    at.checkbox(key="region_upload_shared").check().run()
    steps = {}

    def step(label, action):
        Path("/proc/self/clear_refs").write_text("5")
        base = status_kib("VmRSS")
        start = time.perf_counter()
        action()
        seconds = time.perf_counter() - start
        problems = [e.message for e in at.exception] + [e.value for e in at.error]
        steps[label] = {"seconds": seconds, "peak_kib": status_kib("VmHWM"), "base_kib": base, "problems": problems}

    step("upload", lambda: at.file_uploader(key="region_upload").set_value(("regions.csv", data, "text/csv")).run())
    custom = at.session_state["custom_regions"]
    if len(custom) != len({name for _, name in rows}):
        steps["upload"]["problems"].append(f"{len(custom)} regions added")
    for label, page in UPLOAD_PAGES.items():
        step(label, lambda page=page: at.switch_page(page).run())
    return {
        "steps": steps,
        "payload_bytes": map_payload_bytes(custom, "US"),
        "file_bytes": len(data),
        "regions": len(custom),
        "rows": sum(len(r.counties) for r in custom),
    }


def run_child(root: Path, kind: str, counties: list[str]) -> dict:
    spec = json.dumps({"root": str(root), "kind": kind, "counties": counties})
    proc = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=spec,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=1800,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_upload(root: Path, rows: list[tuple[str, str]]) -> dict:
    spec = json.dumps({"root": str(root), "kind": "upload", "rows": rows})
    proc = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=spec,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=1800,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_cli(root: Path, counties: list[str]) -> dict:
    """``python -m dashboard profile --counties ...``: wall time and the process's peak RSS."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "profile", "--counties", ",".join(counties)],
            cwd=root,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, so the kernel's figures are this process's
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    problems = [] if proc.returncode == 0 else [stderr.decode(errors="replace").strip()[-300:]]
    if not problems and len(json.loads(stdout)["region"]["counties"]) != len(counties):
        problems.append("the profile has other counties")
    return {
        "seconds": seconds,
        "peak_kib": usage.ru_maxrss,
        "base_kib": None,
        "base_peak_kib": None,
        "problems": problems,
    }


# ---------------------------------------------------------------- report


def mib(kib) -> str:
    return "" if kib is None else f"{kib / 1024:,.0f}"


def report(rows: list[dict], sizes: list[int], roots: dict[str, Path]) -> str:
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    checkouts = "; ".join(f"{label}: `{root}`" for label, root in roots.items())
    lines = [
        "# Sector Atlas: cost of one custom-region request",
        "",
        (
            f"Written by `bench/custom_region_bench.py` on {time.strftime('%Y-%m-%d %H:%M %Z')} ({checkouts}). "
            f'Target (DESIGN.md, "Performance targets"): time and memory linear in the input, '
            f"under {TARGET_S:g} s and {TARGET_MIB / 1024:g} GB for a custom region of every county. "
            f"{os.cpu_count()} cores; load average at the end {load}."
        ),
        "",
        (
            "Each row is one request in a fresh, warmed-up process (see the script's docstring). "
            '"peak" is the process\'s peak resident memory during the request (the CLI row: the whole process); '
            '"growth" is that peak over the warm process\'s memory before the request.'
        ),
        "",
        "| checkout | request | counties | link chars | time (s) | peak (MiB) | growth (MiB) | met? | problems |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(
                f"| {r['checkout']} | {r['kind']} | {r['n']:,} | {r['chars']:,} | | | | **failed** | "
                f"{r['error'][:120]} |"
            )
            continue
        growth = None if r["base_kib"] is None else r["peak_kib"] - r["base_kib"]
        ok = r["seconds"] < TARGET_S and r["peak_kib"] / 1024 < TARGET_MIB and not r["problems"]
        lines.append(
            f"| {r['checkout']} | {r['kind']} | {r['n']:,} | {r['chars']:,} | {r['seconds']:.2f} | "
            f"{mib(r['peak_kib'])} | {mib(growth)} | {'met' if ok else '**missed**'} | "
            f"{'; '.join(r['problems'])[:120]} |"
        )
    lines += [
        "",
        "## Side by side",
        "",
        (
            "Time and (for the app) memory growth of each request at each size. Linear cost: from "
            f"{sizes[1] if len(sizes) > 1 else sizes[0]:,} to {sizes[-1]:,} counties, "
            f"{sizes[-1] / (sizes[1] if len(sizes) > 1 else sizes[0]):.1f} times the input, growth stays within "
            "about that factor (time also carries a fixed part: the page itself)."
        ),
        "",
        "| checkout | request | " + " | ".join(f"{n:,} counties" for n in sizes) + " |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    for checkout, kind in dict.fromkeys((r["checkout"], r["kind"]) for r in rows):
        cells = []
        for n in sizes:
            r = next(
                (x for x in rows if (x["checkout"], x["kind"], x["n"]) == (checkout, kind, n) and "error" not in x),
                None,
            )
            if r is None:
                cells.append("failed")
                continue
            growth = (
                f", peak {mib(r['peak_kib'])} MiB"
                if r["base_kib"] is None
                else f", +{mib(r['peak_kib'] - r['base_kib'])} MiB"
            )
            cells.append(f"{r['seconds']:.2f} s{growth}")
        lines.append(f"| {checkout} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


UPLOAD_HEADING = "## The largest upload allowed"
#: DESIGN.md's map payload target for every US county, the most a map of custom regions should send.
PAYLOAD_TARGET = 700_000


def upload_report(result: dict, label: str) -> str:
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    lines = [UPLOAD_HEADING, ""]
    if "error" in result:
        return "\n".join(lines + [f"**failed**: {result['error'][:300]}", ""])
    ok_payload = result["payload_bytes"] < PAYLOAD_TARGET
    lines += [
        (
            f"Written by `bench/custom_region_bench.py --upload-only` on {time.strftime('%Y-%m-%d %H:%M %Z')} "
            f"({label}); {os.cpu_count()} cores, load average at the end {load}. The upload: {result['regions']} regions "
            f"of {result['rows']:,} county rows in all ({result['file_bytes']:,} bytes), the limits of "
            "dashboard/analysis/uploads.py, each region's counties spread over the country; the whole US in view. Each step "
            f"in the same warm process, in this order; target {TARGET_S:g} s and {TARGET_MIB / 1024:g} GB per request."
        ),
        "",
        "| step | time (s) | peak (MiB) | growth (MiB) | met? | problems |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, r in result["steps"].items():
        ok = r["seconds"] < TARGET_S and r["peak_kib"] / 1024 < TARGET_MIB and not r["problems"]
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {mib(r['peak_kib'])} | {mib(max(0, r['peak_kib'] - r['base_kib']))} | "
            f"{'met' if ok else '**missed**'} | {'; '.join(r['problems'])[:120]} |"
        )
    lines += [
        "",
        (
            f"Map payload of the custom view (industry map): {result['payload_bytes']:,} bytes; the target for "
            f"every US county is under {PAYLOAD_TARGET:,} bytes: {'met' if ok_payload else '**missed**'}."
        ),
        "",
    ]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    """``text`` with its :data:`UPLOAD_HEADING` section (to the next ``## `` heading or the end) replaced by
    ``section``, or with ``section`` appended."""
    start = text.find(UPLOAD_HEADING)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + len(UPLOAD_HEADING))
    return text[:start] + section + (text[end + 1 :] if end >= 0 else "")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes", default="100,1000,all", help="county counts, 'all' for every county (default: %(default)s)"
    )
    p.add_argument("--root", type=Path, default=ROOT, help="checkout to measure (default: this one)")
    p.add_argument("--before", type=Path, help="another checkout (e.g. an older commit) to measure the same way")
    p.add_argument("--label", default="this", help="name of --root in the report (e.g. a commit)")
    p.add_argument("--before-label", default="before", help="name of --before in the report")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-custom-region.md")
    p.add_argument(
        "--requests",
        default="cli,profile page,industry map,workforce map,partnership table",
        help="comma-separated requests (default: %(default)s)",
    )
    p.add_argument(
        "--upload-only",
        action="store_true",
        help="measure the largest upload allowed instead, and replace its section of --out",
    )
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        spec = json.loads(sys.stdin.read())
        if spec["kind"] == "upload":
            print(json.dumps(upload_child(Path(spec["root"]), [tuple(r) for r in spec["rows"]])))
        else:
            print(json.dumps(child(Path(spec["root"]), spec["kind"], spec["counties"])))
        return 0
    if args.upload_only:
        root = args.root.resolve()
        sys.path.insert(0, str(root))
        from dashboard.analysis import uploads

        rows = worst_upload_rows(all_counties(root), uploads.MAX_REGIONS, uploads.MAX_COUNTY_ROWS)
        log(f"[{args.label}: largest upload] {uploads.MAX_REGIONS} regions, {len(rows):,} county rows ...")
        section = upload_report(run_upload(root, rows), f"{args.label}: `{root}`")
        old = args.out.read_text() if args.out.exists() else ""
        args.out.write_text(replace_section(old, section))
        print(section)
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
                log(
                    "  "
                    + (
                        r["error"]
                        if "error" in r
                        else f"{r['seconds']:.2f} s, peak {mib(r['peak_kib'])} MiB"
                        + (f", {r['problems']}" if r["problems"] else "")
                    )
                )
                rows.append(r)
    text = report(rows, [len(pick(counties, n)) for n in sizes], roots)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
