"""A custom region of every county costs time and memory in proportion to its size, not to its square.

A custom region's id is its county list (19,400 characters for every county). Copied into every row
of per-county tables, it drove one profile to 6.6-7.6 GB and 15-25 s. Here the same request, through
the command line and through the app, stays far below that (bench/custom_region_bench.py measures it
at 100, 1,000 and every county).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.regions import list_regions
from dashboard.data import paths

ALL = sorted(list_regions("county")["region_id"])
#: Well above what the request needs now (about 0.5 GB for the whole command, 0.2 GB of growth in the app)
#: and far below what it took before (7.5 GB and 6 GB).
PROCESS_PEAK_MIB = 1536
APP_GROWTH_MIB = 1024


#: Runs ``python -m dashboard ARGS`` and writes the process's own peak memory to stderr as it exits.
_REPORT_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('peak-kib ' + line.split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "sys.argv = ['dashboard', *sys.argv[1:]]\n"
    "runpy.run_module('dashboard', run_name='__main__')\n"
)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def test_command_line_profile_of_every_county_is_bounded():
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        # the command's own peak (VmHWM, read as it exits): the rusage of a forked child also counts the
        # pytest worker it was forked from, which holds every table earlier tests loaded
        proc = subprocess.run(
            [sys.executable, "-c", _REPORT_PEAK, "profile", "--counties", ",".join(ALL)],
            stdout=out,
            stderr=subprocess.PIPE,
            cwd=paths.ROOT,
        )
        seconds = time.perf_counter() - start
        out.seek(0)
        profile = json.loads(out.read())
    assert proc.returncode == 0, proc.stderr.decode()
    peak_kib = int(proc.stderr.decode().rsplit("peak-kib ", 1)[1].split()[0])
    assert len(profile["region"]["counties"]) == len(ALL)
    assert profile["candidate_sectors"] and profile["seats"]
    assert peak_kib / 1024 < PROCESS_PEAK_MIB, f"peak {peak_kib / 1024:.0f} MiB"
    assert seconds < 60  # about 2 s on two cores; before, 21 s


@pytest.mark.skipif(not os.access("/proc/self/clear_refs", os.W_OK), reason="needs Linux's /proc/self/clear_refs")
@pytest.mark.parametrize("page", ["pages/region_profile.py", "pages/partnership_table.py"])
def test_the_app_opens_a_link_of_every_county_within_bounded_memory(page):
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=300)
    at.run()  # data loaded, as on a running server
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=300)
    at.query_params.update({"state": "US", "scheme": "custom", "counties": ",".join(ALL)})
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on is this request's
    before = _status_kib("VmRSS")
    at.run()
    at.switch_page(page).run()
    growth = (_status_kib("VmHWM") - before) / 1024
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["link_notices"] == []
    assert at.selectbox(key="w_scheme").value == "custom"
    assert growth < APP_GROWTH_MIB, f"grew {growth:.0f} MiB"
