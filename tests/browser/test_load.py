"""Many people on one server at once: concurrent browser sessions switch regions and industries (see load.py).

``LOAD_SESSIONS`` (default 20, or 4 under CI) and ``LOAD_SECONDS`` (default 30, or 10 under CI: how long each
session keeps switching once its map has opened; three or four switches each) size the run. CI's run is small
because another test worker shares its two cores, and it checks behaviour (no error, every session served),
not speed. The figures are written to ``test-artifacts/browser/load.json`` and printed at the end of the test
session; ``bench/load_bench.py`` runs larger loads for the benchmark.
"""

from __future__ import annotations

import json
import os
from collections import Counter

from .conftest import LOAD_LINES, in_ci
from .load import run_load
from .server import running_app

SESSIONS = int(os.environ.get("LOAD_SESSIONS") or (4 if in_ci() else 20))
SWITCH_SECONDS = float(os.environ.get("LOAD_SECONDS") or (10 if in_ci() else 30))
#: Server memory an extra open session may add. The shared caches hold every county's data (hundreds of MiB),
#: so a session that copied them would add far more; a session's own state is a few MiB at most.
MAX_MIB_PER_SESSION = 20


def test_concurrent_sessions_switching_regions_and_industries(prerequisites, artifacts, request):
    with running_app(artifacts / "streamlit-load.log") as server:
        report = run_load(server, SESSIONS, SWITCH_SECONDS)
    summary = report.summary()
    (artifacts / "load.json").write_text(
        json.dumps({**summary, "errors": report.errors, "actions": [a.__dict__ for a in report.actions]}, indent=1)
    )
    request.config.stash[LOAD_LINES] = report.lines()

    assert report.errors == [], "\n".join(report.errors)
    opened = [a.session for a in report.actions if a.kind == "open"]
    assert sorted(opened) == list(range(SESSIONS)), "every session opened its map"
    switches = Counter(a.session for a in report.actions if a.kind != "open")
    assert set(switches) == set(range(SESSIONS)), (
        f"sessions that never switched: {set(range(SESSIONS)) - set(switches)}"
    )
    assert summary["region"]["n"] > 0 and summary["industry"]["n"] > 0
    assert report.served > 0, "the maps asked the app server for Leaflet"
    per_session = report.per_session_kib()
    assert per_session is not None, "the server's memory could not be read"
    assert per_session / 1024 < MAX_MIB_PER_SESSION, (
        f"each open session added {per_session / 1024:.1f} MiB to the server: is cached data copied per session?"
    )
