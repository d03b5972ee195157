"""``sector-atlas serve``: run the app with Streamlit from any folder; optionally several replicas behind nginx.

One replica (the default) is ``streamlit run`` of the app, replacing this process. With ``--replicas N``
this process starts N Streamlit servers on consecutive ports, all with one cookie secret (Streamlit signs
its cookies with it: a browser moved to another replica keeps valid cookies), waits until each answers
``/_stcore/health``, and then watches them: a replica that exits, or stops answering its health check,
is started again. With ``--proxy-port`` it also runs nginx in front of them from ``deploy/nginx.conf``
(sticky sessions, websocket upgrade, security headers, gzip). Ctrl-C or SIGTERM stops them all.

Where the app runs from: in a checkout, ``app.py`` at the repository root (its ``static/`` beside it, as
with ``streamlit run app.py``). An installed package may sit in a read-only folder, and Streamlit serves
the app's static files (Leaflet) only from ``static/`` beside the main script, so an installed app runs from
a per-user run folder (``paths.cache_dir()/app-<id>``): links to the packaged ``app.py``, ``pages/`` and
``.streamlit/`` (whose config Streamlit reads beside the main script), and a real ``static/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.data import paths

#: Seconds a replica may take to answer /_stcore/health after it starts.
START_TIMEOUT = 120.0
#: Seconds between the launcher's health checks of each replica, and how many failures in a row restart it.
CHECK_EVERY = 5.0
CHECK_TIMEOUT = 10.0
FAILURES_BEFORE_RESTART = 6
#: A replica restarted this many times within RESTART_WINDOW seconds is given up on: everything stops.
MAX_RESTARTS = 5
RESTART_WINDOW = 120.0
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


class ServeError(RuntimeError):
    """Something stops the app from being served; the message says what, in one line."""


def _say(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


# --- where the app runs from ----------------------------------------------------------------------------


def run_folder() -> Path:
    """The folder whose ``app.py`` Streamlit runs (see the module docstring)."""
    if not paths.INSTALLED:
        return paths.ROOT
    key = hashlib.sha256(str(paths.ROOT).encode()).hexdigest()[:12]
    try:
        folder = paths.cache_dir() / f"app-{key}"
    except RuntimeError as e:  # no home folder to hold the cache
        raise ServeError(f"no folder for the app's run files ({e}); set SECTOR_ATLAS_CACHE to a writable folder") from e
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("app.py", "pages", ".streamlit"):
            _link(folder / name, paths.ROOT / name)
    except OSError as e:
        raise ServeError(
            f"cannot prepare the app's run folder {folder}: {e.strerror or e} "
            "(set SECTOR_ATLAS_CACHE to a writable folder)"
        ) from e
    return folder


def _link(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to ``target``, replacing an older one atomically (replicas start at once)."""
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.symlink_to(target, target_is_directory=target.is_dir())
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def prepare_static(folder: Path) -> None:
    """Leaflet's files in ``folder/static/`` before the first browser asks (the app checks again as it runs)."""
    from dashboard.ui import static_files

    problem = static_files.install_leaflet(static_files.static_dir(str(folder / "app.py")))
    if problem:
        raise ServeError(problem)


def streamlit_command(folder: Path, port: int, address: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dashboard.ui.launch",  # streamlit run, with the app's pages from st.navigation from the first run
        "run",
        str(folder / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]


def _environment(folder: Path, cookie_secret: str | None) -> dict[str, str]:
    from dashboard.registry.access import SHARED_ENV
    from dashboard.ui.static_files import STATIC_DIR_VARIABLE, static_dir

    env = {**os.environ, "PYTHONUNBUFFERED": "1", STATIC_DIR_VARIABLE: str(static_dir(str(folder / "app.py")))}
    if env.get("SECTOR_ATLAS_DATA"):  # the replicas resolve it as this process did, whatever their folder
        env["SECTOR_ATLAS_DATA"] = str(paths.DATA_DIR)
    if cookie_secret:
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret
        # replicas (behind nginx) serve others: without sign-in the registry stays read-only there
        env[SHARED_ENV] = "1"
    return env


def _check_port(address: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise ServeError(f"port {port} is out of range (1-65535)")
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((address, port))
        except OSError as e:
            raise ServeError(f"cannot listen on {address}:{port}: {e.strerror or e}") from e


def healthy(url: str, timeout: float = CHECK_TIMEOUT) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.read().decode().strip() == "ok"
    except (OSError, ValueError):
        return False


def _url(address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


# --- one replica -------------------------------------------------------------------------------------------


def serve_one(port: int, address: str) -> None:
    """``streamlit run`` of the app in place of this process (it never returns)."""
    _check_port(address, port)
    folder = run_folder()
    prepare_static(folder)
    _say(f"Sector Atlas on {_url(address, port)} (app {folder / 'app.py'}, data {paths.DATA_DIR})")
    cmd = streamlit_command(folder, port, address)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(cmd[0], cmd, _environment(folder, None))


# --- several replicas ------------------------------------------------------------------------------------


@dataclass
class Replica:
    index: int
    port: int
    url: str
    proc: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    restarts: list[float] = field(default_factory=list)


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 15.0) -> None:
    """Stop a child started in its own process group, and the group with it."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=wait)


def render_nginx(template: str, prefix: Path, listen: str, replicas: list[str]) -> str:
    """deploy/nginx.conf with its fields filled in; its header comment says how (comments are kept as they are)."""
    import re

    def fields(line: str, n: int) -> str:
        address = replicas[n - 1]
        return (
            line.replace("{{replica_re}}", re.escape(address))
            .replace("{{replica_n}}", str(n))
            .replace("{{replica}}", address)
        )

    def repeat(line: str, only: list[int] | None = None) -> list[str]:
        numbers = only if only is not None else range(1, len(replicas) + 1)
        return [fields(line, n) for n in numbers]

    out: list[str] = []
    block: list[str] | None = None
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("# {{each replica}}"):
            block = []
            continue
        if stripped == "# {{end}}":
            for n in range(1, len(replicas) + 1):
                for b in block or []:
                    if "{{other}}" in b:
                        out.extend(
                            b.replace("{{other}}", replicas[m - 1]) for m in range(1, len(replicas) + 1) if m != n
                        )
                    else:
                        out.append(fields(b, n))
            block = None
            continue
        if block is not None:
            block.append(line)
        elif stripped.startswith("#"):
            out.append(line)
        elif "{{replica" in line:
            out.extend(repeat(line))
        else:
            out.append(
                line.replace("{{prefix}}", str(prefix))
                .replace("{{listen}}", listen)
                .replace("{{inline_scripts}}", inline_script_hashes())
            )
    return "\n".join(out) + "\n"


def inline_script_hashes() -> str:
    """The CSP sources allowing exactly the inline scripts of Streamlit's page (``'sha256-...'`` each):
    the app keeps working and no other inline script can run."""
    import base64
    import hashlib
    import importlib.util
    import re

    pages = []
    for package, page in (("streamlit", "static/index.html"),):
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            pages.append(Path(spec.origin).parent / page)
    sources = set()
    for page in pages:
        if not page.is_file():
            continue
        for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.read_text(), re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            sources.add(f"'sha256-{digest}'")
    # an empty list would leave "script-src 'self'": still valid, and still no inline script
    return " ".join(sorted(sources))


def nginx_binary() -> str:
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ServeError("nginx is not installed (on Debian: apt-get install nginx); --proxy-port needs it")


class Deployment:
    """N replicas, and nginx in front of them when ``proxy_port`` is given; see the module docstring."""

    def __init__(
        self, replicas: int, port: int, address: str, proxy_port: int | None = None, proxy_dir: Path | None = None
    ):
        if replicas < 1:
            raise ServeError("--replicas must be at least 1")
        self.address = address
        self.replicas = [Replica(i + 1, port + i, _url(address, port + i)) for i in range(replicas)]
        self.proxy_port = proxy_port
        self.proxy_dir = proxy_dir
        self._own_proxy_dir = False
        self.nginx: subprocess.Popen | None = None
        self.stopping = False
        self.cookie_secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        self.folder: Path | None = None

    # starting

    def start(self) -> None:
        for r in self.replicas:
            _check_port(self.address, r.port)
        if self.proxy_port is not None:
            _check_port(self.address, self.proxy_port)
            nginx_binary()
        self.folder = run_folder()
        prepare_static(self.folder)
        _say(f"app {self.folder / 'app.py'}, data {paths.DATA_DIR}; {len(self.replicas)} replicas, one cookie secret")
        for r in self.replicas:
            self._start_replica(r)
        deadline = time.monotonic() + START_TIMEOUT
        for r in self.replicas:
            while not healthy(r.url, timeout=2):
                if self.stopping:
                    return
                if r.proc.poll() is not None:
                    raise ServeError(f"replica {r.index} exited with status {r.proc.returncode} before answering")
                if time.monotonic() > deadline:
                    raise ServeError(
                        f"replica {r.index} did not answer {r.url}/_stcore/health within {START_TIMEOUT:.0f} s"
                    )
                time.sleep(0.3)
            _say(f"replica {r.index} ready on {r.url} (pid {r.proc.pid})")
        if self.proxy_port is not None and not self.stopping:
            self._start_nginx()

    def _start_replica(self, r: Replica) -> None:
        r.proc = subprocess.Popen(
            streamlit_command(self.folder, r.port, self.address),
            stdin=subprocess.DEVNULL,
            env=_environment(self.folder, self.cookie_secret),
            start_new_session=True,
        )
        r.started = time.monotonic()
        r.failures = 0
        _say(f"replica {r.index} starting on {r.url} (pid {r.proc.pid})")

    def _start_nginx(self) -> None:
        if self.proxy_dir is None:
            self.proxy_dir = Path(tempfile.mkdtemp(prefix="sector-atlas-nginx-"))
            self._own_proxy_dir = True
        prefix = self.proxy_dir.resolve()
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        # when started by root nginx's worker runs as nobody: it must reach its temporary folders
        for folder in (prefix, prefix / "tmp"):
            folder.chmod(0o755)
        template = (paths.DEPLOY_DIR / "nginx.conf").read_text()
        listen = f"{'[' + self.address + ']' if ':' in self.address else self.address}:{self.proxy_port}"
        upstreams = [
            f"{'[' + self.address + ']' if ':' in self.address else self.address}:{r.port}" for r in self.replicas
        ]
        conf = prefix / "nginx.conf"
        conf.write_text(render_nginx(template, prefix, listen, upstreams))
        binary = nginx_binary()
        check = subprocess.run(
            [binary, "-t", "-q", "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise ServeError(
                f"nginx refused {conf}: {check.stderr.strip().splitlines()[-1] if check.stderr.strip() else check.returncode}"
            )
        self.nginx = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = _url(self.address, self.proxy_port)
        deadline = time.monotonic() + 30
        while not healthy(url, timeout=2):
            if self.nginx.poll() is not None:
                raise ServeError(f"nginx exited with status {self.nginx.returncode} (config {conf})")
            if time.monotonic() > deadline:
                raise ServeError(f"nginx did not answer {url}/_stcore/health within 30 s (config {conf})")
            time.sleep(0.2)
        _say(f"nginx ready on {url} (pid {self.nginx.pid}, config {conf}, access log {prefix / 'access.log'})")

    # watching

    def watch(self) -> None:
        """Until stopped: restart a replica that exited or failed its health checks; stop all if nginx exits."""
        next_check = time.monotonic() + CHECK_EVERY
        while not self.stopping:
            time.sleep(0.5)
            if self.stopping:
                break
            if self.nginx is not None and self.nginx.poll() is not None:
                raise ServeError(f"nginx exited with status {self.nginx.returncode}")
            now = time.monotonic()
            for r in self.replicas:
                if r.proc.poll() is not None:
                    _say(
                        f"replica {r.index} (pid {r.proc.pid}) exited with status {r.proc.returncode}; starting it again"
                    )
                    self._restart(r)
            if now >= next_check:
                next_check = now + CHECK_EVERY
                for r in self.replicas:
                    if now - r.started < START_TIMEOUT or r.proc.poll() is not None:
                        continue  # still starting, or already seen to
                    if healthy(r.url):
                        r.failures = 0
                        continue
                    r.failures += 1
                    if r.failures >= FAILURES_BEFORE_RESTART:
                        _say(f"replica {r.index} failed {r.failures} health checks in a row; restarting it")
                        _stop(r.proc, signal.SIGKILL)
                        self._restart(r)

    def _restart(self, r: Replica) -> None:
        now = time.monotonic()
        r.restarts = [t for t in r.restarts if now - t < RESTART_WINDOW] + [now]
        if len(r.restarts) > MAX_RESTARTS:
            raise ServeError(
                f"replica {r.index} was restarted {MAX_RESTARTS} times within {RESTART_WINDOW:.0f} s; "
                "giving up (see its log above)"
            )
        self._start_replica(r)

    # stopping

    def stop(self) -> None:
        self.stopping = True
        _stop(self.nginx)
        for r in self.replicas:
            _stop(r.proc)
        if self._own_proxy_dir and self.proxy_dir is not None:
            shutil.rmtree(self.proxy_dir, ignore_errors=True)


def serve(
    replicas: int = 1,
    port: int = 8501,
    address: str = "127.0.0.1",
    proxy_port: int | None = None,
    proxy_dir: Path | None = None,
) -> int:
    """The ``serve`` command: one replica in place of this process, or a watched deployment until stopped."""
    if replicas == 1 and proxy_port is None:
        serve_one(port, address)
        return 0  # not reached: serve_one replaces this process
    deployment = Deployment(replicas, port, address, proxy_port, proxy_dir)

    def _on_signal(signum, frame):
        deployment.stopping = True

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        deployment.start()
        if proxy_port is not None:
            _say(f"Sector Atlas on {_url(address, proxy_port)} ({replicas} replicas behind nginx); Ctrl-C stops it")
        deployment.watch()
        return 0
    finally:
        deployment.stop()
