"""Load benchmark: concurrent browser sessions on one app server, at several sizes; writes bench/RESULTS-load.md.

Each size starts a fresh server and runs ``tests/browser/load.py``: every session opens a map view, then
alternately clicks another region on the map and picks another industry for ``--seconds``, pausing 1-3 s
between actions. Reported per size: errors, p50/p95 time to a rendered map (opening and switching), the
server's memory before, at the peak, with every session open and after they close, and the CPU time the
server and Chromium used (the sessions' browsers run on the same machine as the server).

Needs what the browser tests need (``bash tests/browser/ci_setup.sh``). Not part of the test pass/fail.

    python bench/load_bench.py                      # 5 and 20 sessions, 60 s of switching each
    python bench/load_bench.py --sessions 1 5 20 30 --seconds 90
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_bench import load_average, log, machine_info, machine_table
from browser.conftest import missing_prerequisites
from browser.load import (
    ACTION_TIMEOUT,
    OPEN_TIMEOUT,
    THINK,
    VIEWS,
    LoadReport,
    run_load,
)
from browser.server import running_app

OUT = HERE / "RESULTS-load.md"


def _mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f}"


def _cpu(seconds: float | None, wall: float) -> str:
    return "n/a" if seconds is None else f"{seconds:.0f} s ({seconds / max(wall, 1e-9):.0%})"


def report(info: dict, runs: list[LoadReport], seconds: float) -> str:
    rows = []
    for r in runs:
        s = r.summary()

        def pct(kind: str, key: str, s=s) -> str:
            return f"{s[kind][key]:.2f}" if s[kind]["n"] else "n/a"

        rows.append(
            f"| {r.sessions} | {len(r.errors)} | {s['open']['n']} | {pct('open', 'p50')} | {pct('open', 'p95')} "
            f"| {s['switch']['n']} | {pct('switch', 'p50')} | {pct('switch', 'p95')} | {pct('switch', 'max')} "
            f"| {_mib(r.rss_cold_kib)} | {_mib(r.rss_start_kib)} | {_mib(r.rss_peak_kib)} | {_mib(r.rss_end_kib)} "
            f"| {_mib(r.rss_closed_kib)} | {'n/a' if r.per_session_kib() is None else f'{r.per_session_kib() / 1024:+.1f}'} "
            f"| {_cpu(r.server_cpu_seconds, r.wall_seconds)} | {_cpu(r.browser_cpu_seconds, r.wall_seconds)} "
            f"| {r.wall_seconds:.0f} |"
        )
    errors = [f"- {r.sessions} sessions: {e}" for r in runs for e in r.errors[:20]]
    views = ", ".join(f"{state} {scheme}" for state, scheme in VIEWS)
    return "\n".join(
        [
            "# Sector Atlas: load benchmark",
            "",
            (
                f"Written by `bench/load_bench.py` on {info['date']}. Target from `DESIGN.md` and issue 6: "
                "at least 20 concurrent sessions with zero errors; cached data shared, never copied per session."
            ),
            "",
            *machine_table({**info, "load_end": load_average()}),
            "## How",
            "",
            (
                "One `streamlit run app.py` per row, fresh. One headless Chromium (Debian's; Leaflet comes from the app's "
                "own server, every request that does not go to it is refused) holds every session, each in its own browser "
                "context, so each is its own Streamlit session. First a warm-up: one context opens each view once, in turn, so the shared data is loaded "
                'before memory is read ("start"). Then the sessions start 3 s apart; each opens a view '
                f"(in turn: {views}), then for {seconds:.0f} s alternately clicks another region on the map and "
                f"picks another of the 124 industries in the sidebar, pausing {THINK[0]:.0f}-{THINK[1]:.0f} s between "
                "actions. An action is timed from the click or choice to the new map having drawn every region; "
                "opening from navigation to the map drawn. Errors: a map not drawn within the time limit "
                f"({OPEN_TIMEOUT:.0f} s to open, {ACTION_TIMEOUT:.0f} s to switch), a map with a different number of regions than when "
                "the view opened, a click that outlines another region than the one clicked, an exception block, "
                '"Page not found", a JavaScript error, or any outside request (one that does not go to the app server).'
            ),
            "",
            "## Results",
            "",
            (
                "Times in seconds (p95: nearest rank); memory: the server's VmRSS in MiB; CPU: seconds used from the "
                "first session to the last action (share of one core)."
            ),
            "",
            (
                "| sessions | errors | opens | open p50 | open p95 | switches | switch p50 | switch p95 | switch max "
                "| RSS cold | RSS start | RSS peak | RSS all open | RSS closed | MiB per session | server CPU | Chromium CPU "
                "| wall (s) |"
            ),
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
            *rows,
            "",
            (
                "Reading it: the sessions' browsers run on the same machine as the server and use most of its cores "
                "(see the two CPU columns). Time to a rendered map under load therefore measures this machine running "
                "the server and every browser at once; each person would normally have their own computer. The "
                "server's own share of a core shows how much room it has left."
            ),
            "",
            *(["## Errors", "", *errors, ""] if errors else []),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--seconds", type=float, default=60.0, help="switching time per session")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    missing = missing_prerequisites()
    if missing:
        log("load_bench needs: " + "; ".join(missing))
        return 2
    info = machine_info()
    runs = []
    for n in args.sessions:
        log(f"[load] {n} sessions, {args.seconds:.0f} s of switching ...")
        with tempfile.NamedTemporaryFile(prefix="load_bench_server_", suffix=".log", delete=False) as f:
            log_path = Path(f.name)
        with running_app(log_path) as server:
            runs.append(run_load(server, n, args.seconds))
        for line in runs[-1].lines():
            log("  " + line)
    args.out.write_text(report(info, runs, args.seconds) + "\n")
    log(f"wrote {args.out}")
    return 0 if all(not r.errors for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
