"""Start ``streamlit run app.py`` on a free local port and stop it again (used by the fixtures and the load bench)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds until /_stcore/health answers "ok"


class ServerError(RuntimeError):
    """The app did not start; the message ends with the tail of its log."""


@dataclass(frozen=True)
class AppServer:
    base_url: str
    pid: int
    log_path: Path

    def rss_kib(self) -> int | None:
        """The server process's resident memory (VmRSS), or None once it has gone."""
        return rss_kib(self.pid)

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server process has used so far, or None once it has gone."""
        return cpu_seconds(self.pid)


def rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cpu_seconds(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        # fields 14 and 15 of /proc/PID/stat (after the parenthesised command name) are utime and stime in ticks
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group (streamlit may start children), then make sure."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:]


@contextlib.contextmanager
def running_app(
    log_path: Path,
    timeout: float = START_TIMEOUT,
    *,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    launcher: str = "dashboard.ui.launch",
) -> Iterator[AppServer]:
    """The app served on ``port`` (a free one by default) of 127.0.0.1 until the block ends, with
    ``extra_args`` after the usual options and ``env`` over the environment; raises ServerError if it does
    not start. ``launcher`` is the module run with ``-m``: the app's own launcher, or ``streamlit`` itself."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        launcher,  # by default streamlit run, with the app's pages from st.navigation from the first run
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra_args,
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    try:
        deadline = time.monotonic() + timeout
        while not healthy(base_url):
            if proc.poll() is not None:
                raise ServerError(
                    f"streamlit exited with status {proc.returncode} before answering; log:\n" + _tail(log_path)
                )
            if time.monotonic() > deadline:
                raise ServerError(
                    f"streamlit did not answer {base_url}/_stcore/health within {timeout:.0f} s; log:\n"
                    + _tail(log_path)
                )
            time.sleep(0.3)
        yield AppServer(base_url, proc.pid, log_path)
    finally:
        stop(proc)
