"""Browser tests: the real app (``streamlit run app.py``) driven by Playwright in Debian's chromium.

Prerequisites (``bash tests/browser/ci_setup.sh`` installs chromium):

* the ``playwright`` Python package (only its driver is used: no Playwright browser download);
* ``/usr/bin/chromium``.

Without them the browser tests are skipped, unless the environment variable ``CI``
is set: then every browser test fails with the list of what is missing.

Only the app's own server is reached: every other request (another host, another
port) is refused and recorded (see :class:`Traffic`). The map's Leaflet comes from
the app server, which serves the files of the installed XStatic-Leaflet package.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .server import AppServer, ServerError, running_app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
#: Where the app server serves Leaflet's files (static/leaflet/, see dashboard/ui/static_files.py).
LEAFLET_PATH = "/app/static/leaflet/"
RUN_TIMEOUT_MS = 60_000  # a script run (first runs fill the caches: county maps take a few seconds)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1400, "height": 1000}
#: Where test_load.py leaves its figures for the end-of-run summary.
LOAD_LINES = pytest.StashKey[list]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_prerequisites() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install playwright; no browser download is needed)")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    return missing


def _in_this_package(item: pytest.Item) -> bool:
    try:
        return Path(item.path).resolve().is_relative_to(HERE)
    except (AttributeError, OSError):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests when their prerequisites are missing, except in CI (see ``prerequisites``)."""
    missing = missing_prerequisites()
    if not missing or in_ci():
        return
    skip = pytest.mark.skip(reason="browser tests need: " + "; ".join(missing) + " (CI is not set, so skipped)")
    for item in items:
        if _in_this_package(item):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def prerequisites() -> None:
    """In CI a missing prerequisite fails every browser test instead of skipping it."""
    missing = missing_prerequisites()
    if missing:
        if in_ci():
            pytest.fail(
                "CI is set but the browser tests' prerequisites are missing: "
                + "; ".join(missing)
                + ". Run tests/browser/ci_setup.sh first.",
                pytrace=False,
            )
        pytest.skip("browser tests need: " + "; ".join(missing))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/browser/: screenshots, downloads and the server's log."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- the app server -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_process(prerequisites, artifacts) -> Iterator[AppServer]:
    """``streamlit run app.py`` on a free port for the whole test session (see server.py)."""
    try:
        with running_app(artifacts / "streamlit.log") as server:
            yield server
    except ServerError as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(scope="session")
def app_server(app_process) -> str:
    """The base URL of the app."""
    return app_process.base_url


# --- the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright(prerequisites):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright):
    """Chromium for tests that make their own contexts (each one fresh: nothing cached, no cookie, no storage)."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def nowhere() -> Iterator[int]:
    """A local port bound but never listening: a connection to it is refused at once, and no server started
    later can take it. The shared profile's proxy (see ``profile``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture(scope="session")
def profile(playwright, app_server, nowhere, tmp_path_factory):
    """One browser profile on disk for the ordinary pages of the session (the ``page`` fixture).

    Its disk cache keeps the app's scripts and V8's compiled code from one page to the next: a page load costs
    about a third less CPU than in a fresh context, where Streamlit's scripts are compiled anew every time.
    Outside requests are refused by Chromium's own proxy setting, not by Playwright's routes (which turn the
    browser's cache off): every request but those to the app server goes to a proxy at ``nowhere``, which
    refuses the connection. Loopback is proxied too (``<-loopback>``), so another local port is refused as well.
    Each test's page is new (a new Streamlit session); cookies and storage are cleared after each test.
    """
    app = urlsplit(app_server)
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")),
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            f"--proxy-server=http://127.0.0.1:{nowhere}",
            # in this order: Chromium reads the rules in turn, and "<-loopback>" after the app's rule undoes it
            f"--proxy-bypass-list=<-loopback>;{app.hostname}:{app.port}",
        ],
        viewport=VIEWPORT,
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


def destination(url: str, base_url: str) -> str:
    """Where a request goes: "local" (the app server at ``base_url``, or not a web request) or "outside"
    (anything else, localhost on another port included: refused)."""
    parts, app = urlsplit(url), urlsplit(base_url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return "local"
    return "local" if (parts.hostname, parts.port) == (app.hostname, app.port) else "outside"


def outside(base_url: str) -> re.Pattern:
    """A URL pattern (for Playwright's ``route``) of every web request that does not go to ``base_url``.

    Only these go through a handler: the app's own many requests are passed on by Playwright's driver
    itself, sparing the test process a round trip per request. Equivalent to :func:`destination`.
    """
    return re.compile(rf"^(?!{re.escape(base_url)}(?:[/?#]|$))(?:https?|wss?)://")


def leaflet_files(base_url: str) -> re.Pattern:
    """A URL pattern of Leaflet's files on the app server."""
    return re.compile(rf"^{re.escape(base_url + LEAFLET_PATH)}")


@dataclass
class Traffic:
    """Requests of the contexts of one test: every outside one is refused and recorded."""

    base_url: str
    refused: list[str] = field(default_factory=list)  # not to the app server: refused
    leaflet: list[str] = field(default_factory=list)  # Leaflet's files, asked of the app server

    def refuse(self, route) -> None:
        url = route.request.url
        if destination(url, self.base_url) == "local":  # never, by the pattern; checked all the same
            route.continue_()
            return
        self.refused.append(url)
        route.abort("blockedbyclient")

    def count_leaflet(self, route) -> None:
        self.leaflet.append(route.request.url)
        route.continue_()

    def watch(self, context) -> None:
        """Route the context's requests: outside ones refused, Leaflet's recorded, the rest untouched."""
        context.route(outside(self.base_url), self.refuse)
        context.route(leaflet_files(self.base_url), self.count_leaflet)

    def record(self, request) -> None:
        """Record a request of the shared profile, whose proxy refuses the outside ones (see ``profile``)."""
        if destination(request.url, self.base_url) == "outside":
            self.refused.append(request.url)
        elif leaflet_files(self.base_url).match(request.url):
            self.leaflet.append(request.url)


@pytest.fixture
def traffic(app_server) -> Traffic:
    return Traffic(app_server)


@pytest.fixture
def new_context(browser, traffic, request, artifacts):
    """Factory of fresh browser contexts (a fresh context = a fresh Streamlit session), all watched by ``traffic``.

    When the test fails, a screenshot of each open page is saved as ``FAILED-<test>-fresh-<n>.png``.
    """
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.set_default_timeout(30_000)
        traffic.watch(context)
        contexts.append(context)
        return context

    yield make
    save_failure_screenshots(request, artifacts, [page for context in contexts for page in context.pages], "fresh")
    for context in contexts:
        context.close()


def save_failure_screenshots(request, artifacts: Path, pages: list, kind: str) -> None:
    """When the test failed, a screenshot of each of ``pages`` as ``FAILED-<test>-<kind>-<n>.png``."""
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    for n, page in enumerate(pages, 1):
        try:
            page.screenshot(path=str(artifacts / f"FAILED-{_safe(request.node.name)}-{kind}-{n}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - a failure screenshot is a courtesy
            pass


@pytest.fixture
def page(profile, traffic, request, artifacts):
    """A new page of the shared profile (a new Streamlit session), its requests recorded by the test's
    ``traffic``; a screenshot is saved when the test fails, and the profile's cookies and storage are cleared."""
    profile.on("request", traffic.record)
    page = profile.new_page()
    try:
        yield page
    finally:
        profile.remove_listener("request", traffic.record)
        save_failure_screenshots(request, artifacts, profile.pages, "profile")
        for open_page in profile.pages:
            open_page.close()
        forget(profile, traffic.base_url)


def forget(profile, base_url: str) -> None:
    """Clear what one test's session left in the profile (cookies, local and session storage, and the like),
    keeping the browser's cache of the app's files."""
    profile.clear_cookies()
    blank = profile.new_page()  # a persistent context has no Browser object to speak to: a page's session
    cdp = profile.new_cdp_session(blank)
    cdp.send(
        "Storage.clearDataForOrigin",
        {"origin": base_url, "storageTypes": "local_storage,session_storage,indexeddb,service_workers,cache_storage"},
    )
    cdp.detach()
    blank.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the load test's figures (errors, time to rendered map, server memory) in the test log."""
    lines = config.stash.get(LOAD_LINES, None)
    if lines:
        terminalreporter.section("load test")
        for line in lines:
            terminalreporter.write_line(line)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]


# --- helpers for the tests ------------------------------------------------------------------------


def wait_for_app(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script run has finished and every element has rendered.

    Streamlit marks the root: ``data-test-script-state`` goes initial -> running -> notRunning on every run;
    while a run is under way the status widget ("Running..."/"Stop") shows and elements not yet redrawn
    are skeletons or marked stale.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
            if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
            if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return false;
            return !document.querySelector('[data-stale="true"]');
        }""",
        timeout=timeout_ms,
        polling=100,
    )


def map_frame(page, timeout_ms: int = RUN_TIMEOUT_MS):
    """The frame (streamlit-folium's iframe) that holds the drawn regions, once their number has settled.

    Returns ``(frame, number of path.leaflet-interactive)``.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    last = None
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                n = frame.locator("path.leaflet-interactive").count()
            except Exception:  # noqa: BLE001 - the frame may be detached while the app reruns
                continue
            if n:
                if last == (frame, n):
                    return frame, n
                last = (frame, n)
                break
        else:
            last = None
        page.wait_for_timeout(250)
    raise AssertionError(
        f"no frame with path.leaflet-interactive within {timeout_ms / 1000:.0f} s: the map was not drawn"
    )


def open_app(page, url: str, with_map: bool = False):
    """Go to ``url``, wait for the run to finish (and for the map to be drawn); returns the map frame or None."""
    page.goto(url)
    wait_for_app(page)
    return map_frame(page)[0] if with_map else None


def screenshot(page, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{_safe(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sidebar_select(page, label: str) -> str:
    """The text shown in the sidebar select labelled ``label``."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    return sidebar.get_by_role("combobox", name=label, exact=True).input_value()


def share_link(page) -> str:
    """The text of the share-link box at the foot of the sidebar."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').last.inner_text().strip()
