"""Hostile servers and damaged updates: nothing a server sends corrupts figures, exhausts the host or loses work.

The downloads are tested against a small hostile server on 127.0.0.1 (endless
bodies, one byte every half second, redirects to another host, escape
sequences in the reason phrase); whole updates run through the command line
against the test publisher (``publisher_fixture.py``) serving BLS's layout with
real 2016 figures, one file damaged at a time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from publisher_fixture import YEAR, PublisherServer, copy_data, slice_path, tree_digest, write_bls_slices

from dashboard.data import paths
from dashboard.data.build import write_parquet
from dashboard.data.update import http as update_http
from dashboard.data.update import install as update_install
from dashboard.data.update import lock as update_lock

ESC = "\x1b"


# ---------------------------------------------------------------- a hostile server


class Hostile:
    """Serves ``/ok`` (a small body), ``/endless``, ``/drip`` (a byte every 0.5 s), ``/drip-headers``,
    ``/big`` (a Content-Length of 10 GB), ``/same`` (redirects to /ok), ``/same-missing`` (redirects to a
    404), ``/away`` (redirects to another host), ``/evil`` (HTTP 500 with escape sequences in the reason)."""

    def __init__(self):
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                hostile.paths.append(path)
                try:
                    hostile.answer(self, path)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass

        self.paths: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, h: BaseHTTPRequestHandler, path: str) -> None:
        if path == "/ok" or path.endswith("/ok"):
            body = b"area_fips,own_code\n"
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        elif path == "/endless":
            h.send_response(200)
            h.send_header("Connection", "close")
            h.end_headers()
            chunk = b"x" * 65536
            while True:
                h.wfile.write(chunk)
        elif path == "/drip":
            h.send_response(200)
            h.send_header("Content-Length", "100000")
            h.end_headers()
            while True:
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.5)
        elif path == "/drip-headers":
            h.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while True:
                h.wfile.write(b"X")
                h.wfile.flush()
                time.sleep(0.5)
        elif path == "/big":
            h.send_response(200)
            h.send_header("Content-Length", str(10 * 1024**3))
            h.end_headers()
            h.wfile.write(b"x" * 1000)
        elif path == "/same":
            self._redirect(h, "/ok")
        elif path == "/same-missing":
            self._redirect(h, "/gone")
        elif path == "/away":
            self._redirect(h, f"http://localhost:{self.port}/ok")
        elif path.startswith("/evil") or path.startswith("/cew/"):
            h.send_response(500, f"Oops{ESC}[2K\r{ESC}[32minstalled QCEW 2016: all good{ESC}[0m")
            h.send_header("Content-Length", "0")
            h.end_headers()
        else:
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()

    @staticmethod
    def _redirect(h, location: str) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()


@pytest.fixture(scope="module")
def hostile():
    server = Hostile()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def refused(dl: update_http.Downloader, url: str) -> str:
    with pytest.raises(update_http.UpdateError) as caught:
        dl.get(url)
    return str(caught.value)


def test_an_endless_body_stops_at_the_file_cap(hostile):
    started = time.monotonic()
    message = refused(update_http.Downloader(max_file_bytes=2_000_000), hostile.url + "/endless")
    assert "exceeds the 2,000,000 bytes allowed" in message
    assert time.monotonic() - started < 20


def test_a_declared_size_above_the_cap_is_refused_before_reading(hostile):
    message = refused(update_http.Downloader(), hostile.url + "/big")
    assert f"more than the {update_http.MAX_FILE_BYTES:,} allowed" in message


def test_the_run_cap_counts_every_file(hostile):
    dl = update_http.Downloader(max_run_bytes=30)
    assert dl.get(hostile.url + "/ok")
    assert "allowed for a run" in refused(dl, hostile.url + "/ok")


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_server_sending_a_byte_at_a_time_cannot_keep_the_update_alive(hostile, path):
    """The timeout per read never fires on a byte every 0.5 s; the deadline per file does."""
    started = time.monotonic()
    message = refused(update_http.Downloader(file_deadline=2), hostile.url + path)
    assert "did not arrive within the 2 s allowed for one file" in message
    assert time.monotonic() - started < 8


def test_the_run_deadline_bounds_every_file_together(hostile):
    dl = update_http.Downloader(file_deadline=60, run_deadline=2)
    assert "allowed for a run" in refused(dl, hostile.url + "/drip")


def test_a_redirect_within_the_host_is_followed(hostile):
    assert update_http.Downloader().get(hostile.url + "/same") == b"area_fips,own_code\n"


def test_a_redirect_to_another_host_is_refused_naming_both(hostile):
    message = refused(update_http.Downloader(), hostile.url + "/away")
    assert message.startswith(hostile.url + "/away: redirected to another host (localhost:")
    assert f"only 127.0.0.1:{hostile.port} is trusted" in message


def test_a_failed_redirect_blames_the_address_that_failed(hostile):
    with pytest.raises(update_http.NotPublished) as caught:
        update_http.Downloader().get(hostile.url + "/same-missing")
    assert caught.value.url == hostile.url + "/gone"


def test_the_reason_phrase_reaches_the_terminal_inert(hostile, tmp_path):
    data = copy_data(tmp_path / "data")
    before = data_digest(data)
    proc = run_cli("update", "--year", str(YEAR), data=data, base=hostile.url)
    assert proc.returncode == 1, proc.stderr
    assert ESC not in proc.stderr and "\r" not in proc.stderr
    line = one_error_line(proc)
    assert "HTTP 500 Oops\\x1b[2K\\r\\x1b[32minstalled" in line
    assert data_digest(data) == before


# ---------------------------------------------------------------- whole updates against the test publisher


def data_digest(folder: Path) -> dict[str, str]:
    """Every data file's digest; the update lock (an empty file, see dashboard/data/update/lock.py) aside."""
    return {k: v for k, v in tree_digest(folder).items() if k != update_lock.LOCK_NAME}


def run_cli(*args, data: Path, base: str, env_extra: dict | None = None, timeout: float = 600):
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(data), "SECTOR_ATLAS_BLS_URL": base, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        check=False,
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_error_line(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def strip_year(data: Path, year: int) -> None:
    for name in ("industry", "national"):
        table = pd.read_parquet(data / f"{name}.parquet")
        write_parquet(table[table["year"] != year], data / f"{name}.parquet")
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["years"]["industry"] = [y for y in manifest["years"]["industry"] if y != year]
    (data / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    root = tmp_path_factory.mktemp("bls")
    write_bls_slices(root, pd.read_parquet(paths.ROOT / "data" / "industry.parquet"))
    with PublisherServer(root) as server:
        server.root_dir = root
        yield server


@pytest.fixture
def installed(tmp_path):
    data = copy_data(tmp_path / "data")
    strip_year(data, YEAR)
    return data


class damaged:
    """One served file changed for the length of a test (``edit`` maps the file's rows to new rows)."""

    def __init__(self, server, path: str, edit):
        self.file = server.root_dir / path.lstrip("/")
        self.edit = edit

    def __enter__(self):
        self.original = self.file.read_bytes() if self.file.exists() else None
        frame = pd.read_csv(self.file, dtype=str, keep_default_na=False) if self.original else None
        changed = self.edit(frame)
        self.file.parent.mkdir(parents=True, exist_ok=True)
        # BLS quotes the text fields; the reader accepts either, so plain CSV is enough here
        changed.to_csv(self.file, index=False)
        return self

    def __exit__(self, *exc):
        if self.original is None:
            self.file.unlink()
        else:
            self.file.write_bytes(self.original)


def _set(frame, where: dict, **values):
    mask = pd.Series(True, index=frame.index)
    for k, v in where.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, where
    for k, v in values.items():
        frame.loc[mask, k] = v
    return frame


def _few_codes(_):
    """A US000 file listing only NAICS 10 and 11 (BLS's US rows, agglvl 10 and 14)."""
    ten = pd.read_csv(Path(PUBLISHER_ROOT[0]) / slice_path(YEAR, "10").lstrip("/"), dtype=str, keep_default_na=False)
    eleven = pd.read_csv(Path(PUBLISHER_ROOT[0]) / slice_path(YEAR, "11").lstrip("/"), dtype=str, keep_default_na=False)
    rows = pd.concat([ten[ten["area_fips"] == "18000"].head(1), eleven[eleven["area_fips"] == "18000"].head(1)])
    return rows.assign(area_fips="US000", agglvl_code=["10", "14"])


PUBLISHER_ROOT: list[str] = []

DAMAGES = [
    # the example: Elkhart's 336 above its own 31-33, its LQ hidden
    (
        "336",
        lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, annual_avg_emplvl="70000", lq_disclosure_code="N"),
        "row year 2016, area 18039, private, NAICS 336: emplvl 70,000 is above its parent NAICS 31-33's 62,740",
    ),
    (
        "23",
        lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, total_annual_wages="-5000000"),
        "area 18039, private, NAICS 23: total_wages is -5,000,000, below zero",
    ),
    (
        "23",
        lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, lq_annual_avg_emplvl="-0.5"),
        "location quotient -0.5 is below zero",
    ),
    (
        "23",
        lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, oty_annual_avg_emplvl_chg="1e300"),
        "larger than the nation's employment",
    ),
    (
        "23",
        lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, annual_avg_estabs="5000000000"),
        "23.csv: damaged data (TypeError: cannot safely cast",
    ),
    ("US000", _few_codes, "the year's code list lacks NAICS 21, 22, 23, 31-33, 42 and 13 more sectors"),
    # a row listed twice, and a count of inf: named by the file, not "unexpected ... (a bug)"
    ("23", lambda f: pd.concat([f, f[f["area_fips"] == "18039"]]), "23.csv"),
    ("23", lambda f: _set(f, {"area_fips": "18039", "own_code": "5"}, annual_avg_emplvl="inf"), "23.csv"),
]


@pytest.mark.parametrize(
    "code, edit, problem",
    DAMAGES,
    ids=["336>31-33", "wages<0", "lq<0", "chg=1e300", "estabs=5e9", "few-codes", "duplicate", "inf"],
)
def test_a_damaged_update_is_refused_naming_file_row_and_rule(publisher, installed, code, edit, problem):
    PUBLISHER_ROOT[:] = [str(publisher.root_dir)]
    before = data_digest(installed)
    path = f"/cew/data/api/{YEAR}/a/area/US000.csv" if code == "US000" else slice_path(YEAR, code)
    with damaged(publisher, path, edit):
        proc = run_cli("update", "--year", str(YEAR), data=installed, base=publisher.url)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc)
    assert problem in line
    assert "(a bug" not in line
    if code != "US000":
        assert f"{publisher.url}{slice_path(YEAR, code)}" in line or publisher.url in line
    assert data_digest(installed) == before


def test_sigterm_prints_one_line_and_leaves_nothing_behind(hostile, installed, tmp_path):
    """An update stuck on a slow server, stopped by SIGTERM: one line, no temporary folder, data untouched."""
    before = data_digest(installed)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    hostile.paths.clear()  # what earlier tests asked for: the wait below is for this run's request
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(installed), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "update", "--year", str(YEAR), "--base-url", hostile.url + "/drip?"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while "/drip" not in hostile.paths and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == ["error: update stopped (SIGTERM); the installed data were not changed"]
    assert list(tmp.iterdir()) == []
    assert data_digest(installed) == before


# ---------------------------------------------------------------- one update at a time


def _year_rows(data: Path, year: int) -> dict[str, pd.DataFrame]:
    """The installed tables with their 2016 rows copied as ``year`` (a stand-in second year for the lock's
    bookkeeping only: these tests read the years and the manifest, never the figures)."""
    out = {}
    for name in ("industry", "national"):
        table = pd.read_parquet(data / f"{name}.parquet")
        out[name] = pd.concat([table, table[table["year"] == YEAR].assign(year=year)], ignore_index=True)
        out[name]["year"] = out[name]["year"].astype("int16")
    return out


def test_two_updates_at_once_keep_both_years(tmp_path):
    """Both read the installed data before either installs; the second must not drop the first's year."""
    data = copy_data(tmp_path / "data")
    stale = json.loads((data / "manifest.json").read_text())
    first, second = _year_rows(data, 2017), _year_rows(data, 2018)
    update_install.install(data, first, stale, "industry", {"year": 2017})
    update_install.install(data, second, stale, "industry", {"year": 2018})
    years = sorted(int(y) for y in pd.read_parquet(data / "industry.parquet")["year"].unique())
    assert years == [YEAR, 2017, 2018]
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["years"]["industry"] == [YEAR, 2017, 2018]
    assert set(manifest["updates"]["industry"]) == {"2017", "2018"}
    assert sorted(pd.read_parquet(data / "national.parquet")["year"].unique()) == [YEAR, 2017, 2018]


def test_a_second_run_waits_for_the_lock_and_says_who_holds_it(tmp_path, monkeypatch):
    data = copy_data(tmp_path / "data")
    with update_lock.update_lock(data):
        holder = (data / update_lock.LOCK_NAME).read_text()
        assert f"process {os.getpid()}" in holder
        with pytest.raises(update_http.UpdateError) as caught, update_lock.update_lock(data, wait=0.5):
            pass
        assert f"update by process {os.getpid()}" in str(caught.value)
        assert "try again when it ends" in str(caught.value)
    # released: the install goes through, and waits while another holds the lock
    holder_ready = threading.Event()

    def hold():
        with update_lock.update_lock(data):
            holder_ready.set()
            time.sleep(1.0)

    t = threading.Thread(target=hold)
    t.start()
    holder_ready.wait(5)
    started = time.monotonic()
    update_install.install(data, _year_rows(data, 2017), {}, "industry", {"year": 2017})
    t.join()
    assert time.monotonic() - started >= 0.5
    assert 2017 in set(pd.read_parquet(data / "industry.parquet")["year"])


def test_leftovers_of_an_interrupted_run_are_cleaned_by_the_next(tmp_path, monkeypatch):
    data = copy_data(tmp_path / "data")
    (data / ".update-abc123").mkdir()
    (data / ".update-abc123" / "industry.parquet").write_bytes(b"half")
    system_tmp = tmp_path / "tmp"
    (system_tmp / "sector-atlas-update-old").mkdir(parents=True)
    old = time.time() - update_http.RUN_DEADLINE_S - 60
    os.utime(system_tmp / "sector-atlas-update-old", (old, old))
    (system_tmp / "sector-atlas-update-live").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(system_tmp))
    update_install.install(data, _year_rows(data, 2017), {}, "industry", {"year": 2017})
    assert not list(data.glob(".update-*"))
    assert sorted(p.name for p in system_tmp.iterdir()) == ["sector-atlas-update-live"]


# ---------------------------------------------------------------- CBP, damaged


CBP_YEAR = 2021
#: Johnson County, Kansas (20091) and its construction row in the served county answer.
JOHNSON = ("20", "091")


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    from publisher_fixture import write_cbp_api

    root = tmp_path_factory.mktemp("census")
    write_cbp_api(root, pd.read_parquet(paths.ROOT / "data" / "cbp.parquet"), CBP_YEAR)
    with PublisherServer(root) as server:
        server.root_dir = root
        yield server


def _county_row(rows: list, naics: str) -> list:
    header = rows[0]
    at = {c: header.index(c) for c in ("NAICS2017", "state", "county")}
    return next(r for r in rows[1:] if (r[at["state"]], r[at["county"]], r[at["NAICS2017"]]) == (*JOHNSON, naics))


def _emp(value: str):
    def edit(rows):
        _county_row(rows, "23")[rows[0].index("EMP")] = value
        return rows

    return edit


CBP_DAMAGES = [
    ("county", _emp("-5000"), "area 20091, NAICS 23: emp is -5,000, below zero"),
    ("county", _emp("900000"), "area 20091, NAICS 23: emp 900,000 is above its parent NAICS 00's"),
    ("county", _emp("9000000000000000000"), "too large to be a count"),
    ("county", _emp("2.5"), "damaged data"),
    ("variables", None, "variables.json: damaged data (RecursionError"),
]


@pytest.mark.parametrize(
    "answer, edit, problem", CBP_DAMAGES, ids=["emp<0", "emp>county", "emp=9e18", "emp=2.5", "nested-json"]
)
def test_a_damaged_cbp_answer_is_refused_naming_the_answer(census, tmp_path, answer, edit, problem):
    data = copy_data(tmp_path / "data")
    cbp = pd.read_parquet(data / "cbp.parquet")
    write_parquet(cbp[cbp["year"] != CBP_YEAR], data / "cbp.parquet")
    before = data_digest(data)
    path = census.root_dir / f"data/{CBP_YEAR}/cbp/{answer}.json"
    original = path.read_bytes()
    try:
        if edit is None:  # nested a million deep: the JSON parser's recursion gives out
            path.write_bytes(b"[" * 1_000_000 + b"]" * 1_000_000)
        else:
            path.write_text(json.dumps(edit(json.loads(original)), separators=(",", ":")))
        env = {
            **os.environ,
            "SECTOR_ATLAS_DATA": str(data),
            "SECTOR_ATLAS_CENSUS_URL": census.url,
            "CENSUS_API_KEY": "0123456789abcdef0123456789abcdef01234567",
        }
        proc = subprocess.run(
            [sys.executable, "-m", "dashboard", "update", "--source", "cbp", "--year", str(CBP_YEAR)],
            check=False,
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        path.write_bytes(original)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc)
    assert problem in line, line
    assert "(a bug" not in line
    assert census.url in line
    assert data_digest(data) == before


def test_qcew_and_cbp_at_once_keep_both_years_in_the_manifest(tmp_path):
    """Both read the manifest before either installs; the CBP year must not drop out of it (nor the QCEW one)."""
    data = copy_data(tmp_path / "data")
    stale = json.loads((data / "manifest.json").read_text())
    cbp = pd.read_parquet(data / "cbp.parquet")
    newest = int(cbp["year"].max())
    write_parquet(cbp[cbp["year"] != newest], data / "cbp.parquet")
    stale["years"]["cbp"] = [y for y in stale["years"]["cbp"] if y != newest]
    (data / "manifest.json").write_text(json.dumps(stale, indent=1, sort_keys=True) + "\n")
    update_install.install(data, _year_rows(data, 2017), stale, "industry", {"year": 2017})
    update_install.install(data, {"cbp": cbp}, stale, "cbp", {"year": newest})
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["years"]["industry"] == [YEAR, 2017]
    assert newest in manifest["years"]["cbp"]
    assert set(manifest["updates"]) == {"industry", "cbp"}
