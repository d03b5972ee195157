"""Replicas behind nginx: the browser load test through nginx, and one replica killed mid-run (see failover.py).

``DEPLOY_LOAD_SESSIONS`` (default 6, or 2 under CI) and ``DEPLOY_LOAD_SECONDS`` (default 60, or 30 under
CI: how long each load session keeps switching) size the run; CI's is smaller because another test worker
shares its two cores. Its figures go to test-artifacts/deploy/failover.json;
``bench/deploy_bench.py`` runs the same and writes bench/RESULTS-deploy.md.
"""

from __future__ import annotations

import json
import os
from collections import Counter

from browser.conftest import in_ci

from .failover import ACTION_TIMEOUT, RECONNECT_TIMEOUT, run_failover

LOAD_SESSIONS = int(os.environ.get("DEPLOY_LOAD_SESSIONS") or (2 if in_ci() else 6))
LOAD_SECONDS = float(os.environ.get("DEPLOY_LOAD_SECONDS") or (30 if in_ci() else 60))


def test_load_through_nginx_and_a_replica_killed_mid_run(deployment, deploy_artifacts):
    report = run_failover(
        deployment, LOAD_SESSIONS, LOAD_SECONDS, deploy_artifacts, kill_after=max(30.0, 3.0 * LOAD_SESSIONS + 20.0)
    )
    (deploy_artifacts / "failover.json").write_text(json.dumps(report.as_dict(), indent=1, default=str))
    problems = [
        f"watched {w.index} ({w.page_name}, replica {w.replica}): {e}" for w in report.watched for e in w.errors
    ]

    # the load through nginx, on the replicas that stayed up: no error, every session opened and switched
    assert report.load_errors == [], "\n".join(report.load_errors[:20])
    assert report.load["open"]["n"] == LOAD_SESSIONS and report.load["switch"]["n"] >= LOAD_SESSIONS
    assert report.killed_at_load_second < report.load_wall_seconds - 10, "the kill came while the load ran"
    assert report.refused == [] and report.errors == [], report.refused + report.errors

    # nginx spread the watched sessions (they came without a cookie) and some were on the replica killed
    spread = Counter(w.replica for w in report.watched)
    assert len(spread) >= 2 and report.on_victim(), f"watched sessions per replica: {dict(spread)}"
    assert problems == [], "\n".join(problems)
    for w in report.watched:
        if w.replica == report.victim:
            assert w.disconnected and w.reconnect_seconds is not None and w.reconnect_seconds < RECONNECT_TIMEOUT
            assert w.restored_seconds < RECONNECT_TIMEOUT, (
                f"watched {w.index}: view back after {w.restored_seconds:.1f} s"
            )
            assert w.replica_after not in (None, report.victim), "the route cookie now names the replica that took over"
        else:
            assert not w.disconnected and w.replica_after == w.replica, f"watched {w.index} kept its replica"
        assert w.action_seconds < RECONNECT_TIMEOUT + ACTION_TIMEOUT
    assert report.restart_seconds is not None, "the launcher started the killed replica again"
