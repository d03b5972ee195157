"""Start ``python -m dashboard serve --replicas N --proxy-port P`` (the README's deployment command), and stop it.

The launcher's log says when each replica and nginx are ready, and each replica's process id (again after a
restart); :class:`Deployment` reads them from there. Its ``rss_kib`` and ``cpu_seconds`` add up the replicas,
so tests/browser/load.py can drive it as it drives one server.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from browser.server import ServerError, cpu_seconds, healthy, rss_kib, stop

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 240  # seconds for every replica and nginx to be ready (the replicas start at once on 2 cores)
READY = re.compile(r"^serve: replica (\d+) (?:starting|ready) on (\S+) \(pid (\d+)\)", re.MULTILINE)
NGINX = re.compile(r"^serve: nginx ready on (\S+) \(pid (\d+)", re.MULTILINE)


def free_ports(n: int) -> int:
    """The first of ``n`` consecutive free ports of 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + n > 65000:
            continue
        ok = True
        for port in range(first, first + n):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return first
    raise ServerError(f"no {n} consecutive free ports")


@dataclass
class Deployment:
    base_url: str  # nginx
    pid: int  # the launcher
    log_path: Path
    proxy_dir: Path
    replicas: int
    first_port: int

    def replica_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.first_port + n - 1}"

    def replica_port(self, n: int) -> int:
        return self.first_port + n - 1

    def replica_pid(self, n: int) -> int | None:
        """Replica ``n``'s current process id (the launcher logs a new one when it restarts it)."""
        pids = [
            int(m.group(3)) for m in READY.finditer(self.log_path.read_text(errors="replace")) if int(m.group(1)) == n
        ]
        return pids[-1] if pids else None

    def pids(self) -> list[int]:
        return [p for p in (self.replica_pid(n) for n in range(1, self.replicas + 1)) if p]

    def rss_kib(self) -> int | None:
        values = [rss_kib(p) for p in self.pids()]
        return sum(v for v in values if v is not None) if any(v is not None for v in values) else None

    def cpu_seconds(self) -> float | None:
        values = [cpu_seconds(p) for p in self.pids()]
        return sum(v for v in values if v is not None) if any(v is not None for v in values) else None

    def kill(self, n: int) -> int:
        """SIGKILL replica ``n`` (its process group): as a crash, no clean shutdown. Returns the pid killed."""
        pid = self.replica_pid(n)
        os.killpg(pid, signal.SIGKILL)
        return pid

    def access_log(self) -> list[dict[str, str]]:
        """nginx's access log (format ``sector_atlas`` of deploy/nginx.conf), one dict per request."""
        path = self.proxy_dir / "access.log"
        rows = []
        for line in path.read_text(errors="replace").splitlines():
            m = re.match(
                r'^(\S+) \[([^\]]+)\] "(\S+) (\S+)[^"]*" (\d+) (\d+) upstream=(.*?) route=(\S*) set=(\S*) rt=(\S+)$',
                line,
            )
            if m:
                rows.append(
                    dict(
                        zip(
                            ("addr", "time", "method", "path", "status", "bytes", "upstream", "route", "set", "rt"),
                            m.groups(),
                        )
                    )
                )
        return rows

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


@contextlib.contextmanager
def running_deployment(
    log_path: Path,
    proxy_dir: Path,
    replicas: int = 3,
    command: list[str] | None = None,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
) -> Iterator[Deployment]:
    """``serve --replicas N --proxy-port P`` until the block ends (``command``: the launcher, default this Python's
    ``-m dashboard``); raises ServerError if it is not ready in time."""
    first = free_ports(replicas)
    proxy_port = free_ports(1)
    while first <= proxy_port < first + replicas:
        proxy_port = free_ports(1)
    proxy_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        *(command or [sys.executable, "-m", "dashboard"]),
        "serve",
        "--replicas",
        str(replicas),
        "--port",
        str(first),
        "--proxy-port",
        str(proxy_port),
        "--proxy-dir",
        str(proxy_dir),
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**(env or os.environ), "PYTHONUNBUFFERED": "1"},
        )
    deployment = Deployment(f"http://127.0.0.1:{proxy_port}", proc.pid, log_path, proxy_dir, replicas, first)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not (NGINX.search(log_path.read_text(errors="replace")) and healthy(deployment.base_url)):
            if proc.poll() is not None:
                raise ServerError(
                    f"serve exited with status {proc.returncode} before nginx was ready; log:\n" + deployment.log_tail()
                )
            if time.monotonic() > deadline:
                raise ServerError(f"serve was not ready within {START_TIMEOUT} s; log:\n" + deployment.log_tail())
            time.sleep(0.3)
        yield deployment
    finally:
        # SIGTERM to the launcher alone: it stops nginx and the replicas itself
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                stop(proc)
        # and whatever it left behind (each child has its own process group)
        text = log_path.read_text(errors="replace")
        for pid in {int(m.group(3)) for m in READY.finditer(text)} | {int(m.group(2)) for m in NGINX.finditer(text)}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
