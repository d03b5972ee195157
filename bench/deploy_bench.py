"""Deployment benchmark: the wheel installed fresh, and replicas behind nginx with one killed mid-run;
writes bench/RESULTS-deploy.md.

Runs what tests/deploy runs, with the figures kept:

* the wheel: built from this tree, installed into a fresh venv outside the checkout, the command line run
  and ``sector-atlas serve`` started from another folder, a map drawn (tests/deploy/test_wheel.py);
* ``python -m dashboard serve --replicas N --proxy-port P``: the browser load test through nginx, its
  sessions on every replica but the last, while six more sessions open views spread by nginx; the last
  replica is killed mid-run (tests/deploy/failover.py, tests/deploy/test_replicas.py).

Needs what the deployment tests need (``bash tests/browser/ci_setup.sh``: chromium and nginx). Not part of
the test pass/fail.

    python bench/deploy_bench.py                         # 3 replicas, 6 load sessions, 60 s of switching
    python bench/deploy_bench.py --replicas 3 --sessions 10 --seconds 90 --no-wheel
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_bench import load_average, log, machine_info, machine_table
from browser.conftest import missing_prerequisites
from deploy.conftest import nginx_missing
from deploy.deployment import running_deployment
from deploy.failover import (
    ACTION_TIMEOUT,
    RECONNECT_TIMEOUT,
    WATCHED_VIEWS,
    run_failover,
)

OUT = HERE / "RESULTS-deploy.md"
ARTIFACTS = ROOT / "test-artifacts" / "deploy"


def _wheel() -> dict | None:
    """Run tests/deploy/test_wheel.py and read the figures it leaves in test-artifacts/deploy/wheel.json."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/deploy/test_wheel.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    log(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:])
    path = ARTIFACTS / "wheel.json"
    if done.returncode != 0 or not path.is_file():
        return {"failed": done.stdout[-2000:]}
    return {**json.loads(path.read_text()), "result": done.stdout.strip().splitlines()[-1]}


def _fmt(v, unit="s") -> str:
    return "n/a" if v is None else f"{v:.1f} {unit}".strip()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--sessions", type=int, default=6, help="load test sessions (on every replica but the last)")
    p.add_argument("--seconds", type=float, default=60, help="how long each load session keeps switching")
    p.add_argument("--no-wheel", action="store_true", help="skip the wheel install")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args()
    missing = missing_prerequisites() + nginx_missing()
    if missing:
        print("needs: " + "; ".join(missing), file=sys.stderr)
        return 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    wheel = None if args.no_wheel else _wheel()

    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="deploy-bench-") as tmp:
        with running_deployment(Path(tmp) / "serve.log", Path(tmp) / "nginx", replicas=args.replicas) as deployment:
            started = time.time() - t0
            log(f"{args.replicas} replicas and nginx ready in {started:.0f} s")
            report = run_failover(
                deployment, args.sessions, args.seconds, ARTIFACTS, kill_after=max(30.0, 3.0 * args.sessions + 20.0)
            )
    (ARTIFACTS / "failover-bench.json").write_text(json.dumps(report.as_dict(), indent=1, default=str))

    victims = report.on_victim()
    others = [w for w in report.watched if w.replica != report.victim]
    errors = report.load_errors + report.errors + report.refused + [e for w in report.watched for e in w.errors]
    lines = [
        "# Sector Atlas: deployment benchmark",
        "",
        f"Written by `bench/deploy_bench.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "What `tests/deploy/` runs, with its figures: the wheel installed fresh and run from another folder; "
        "replicas behind nginx under the browser load test, one of them killed mid-run.",
        "",
        *machine_table({**info, "load_end": load_average()}),
    ]
    if wheel is not None:
        lines += [
            "## Wheel",
            "",
            "Built from this tree (`pip wheel --no-deps`), installed with its dependencies into a fresh venv "
            "outside the checkout (`python -m venv`, `pip install sector_atlas-*.whl`), then run from an empty "
            "home folder: `sector-atlas profile --scheme county --region 18097` and `python -m dashboard profile ...`, "
            "and `sector-atlas serve`, whose industry map of Indiana's 92 counties Chromium draws.",
            "",
            "| step | seconds |",
            "|---|---:|",
            *[
                f"| {k.replace('_seconds', '').replace('_', ' ')} | {v:.1f} |"
                for k, v in wheel.items()
                if k.endswith("_seconds")
            ],
            "",
            f"Result: {wheel.get('result') or 'FAILED'}",
            "",
        ]
    load = report.load
    lines += [
        "## Replicas behind nginx, one killed mid-run",
        "",
        f"`python -m dashboard serve --replicas {report.replicas} --port P --proxy-port Q` (ready in {started:.0f} s): "
        f"{report.replicas} Streamlit replicas sharing one cookie secret, nginx in front from `deploy/nginx.conf`. "
        f"Each replica first opens the watched views once (warm caches). Then the browser load test "
        f"(`tests/browser/load.py`) runs through nginx: {report.load_sessions} sessions pinned by their route cookie "
        f"to replicas {', '.join(report.load_by_replica)} ({', '.join(f'{v} on {k}' for k, v in report.load_by_replica.items())}), "
        f"each opening a map and switching regions and industries for {report.load_seconds:.0f} s. Meanwhile "
        f"{len(WATCHED_VIEWS)} watched sessions open without a cookie (nginx sends each to the replica with the fewest "
        f"connections) on the industry map, the workforce map and the region profile, each with a region, an "
        f"industry and a year. {report.load_wall_seconds and report.killed_at_load_second and f'{report.killed_at_load_second:.0f}'} s "
        f"into the load, replica {report.victim} is killed (SIGKILL). A watched session on it must reconnect and show "
        f"the same view (address, title, sidebar choices, regions drawn) within {RECONNECT_TIMEOUT:.0f} s, then take "
        f"another industry on its new replica (page, region and year kept) within {ACTION_TIMEOUT:.0f} s more; the "
        f"other sessions must not notice.",
        "",
        "| | |",
        "|---|---|",
        f"| load sessions | {report.load_sessions}, errors: {len(report.load_errors)} |",
        f"| load: opens / switches | {load['open']['n']} / {load['switch']['n']} |",
        f"| load: switch to rendered map p50 / p95 | {_fmt(load['switch'].get('p50'))} / {_fmt(load['switch'].get('p95'))} |",
        f"| watched sessions per replica (before the kill) | "
        f"{', '.join(f'replica {n}: {sum(1 for w in report.watched if w.replica == n)}' for n in range(1, report.replicas + 1))} |",
        f"| killed | replica {report.victim}, {_fmt(report.killed_at_load_second)} into a {_fmt(report.load_wall_seconds)} load run |",
        f"| killed replica answering again (restarted by the launcher) | {_fmt(report.restart_seconds)} after the kill |",
        f"| errors (all sessions, outside requests included) | {len(errors)} |",
        "",
        "Sessions on the killed replica (seconds after the kill):",
        "",
        "| session | page | reconnected | same view shown | another industry served | now on replica |",
        "|---:|---|---:|---:|---:|---:|",
        *[
            f"| {w.index} | {w.page_name} | {_fmt(w.reconnect_seconds, '')} | {_fmt(w.restored_seconds, '')} | "
            f"{_fmt(w.action_seconds, '')} | {w.replica_after} |"
            for w in victims
        ],
        "",
        "Sessions on the other replicas: "
        + ", ".join(
            f"{w.index} ({w.page_name}, replica {w.replica}): {'lost its connection' if w.disconnected else 'kept its connection'}, "
            f"another industry served {_fmt(w.action_seconds)} after the kill"
            for w in others
        )
        + ".",
        "",
        *([f"Errors: {e}" for e in errors[:20]] or ["No errors."]),
        "",
    ]
    args.out.write_text("\n".join(lines))
    log(f"wrote {args.out}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
