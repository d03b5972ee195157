"""Concurrent browser sessions on one app server: each opens a map view, then switches regions and industries.

:func:`run_load` drives ``sessions`` browser contexts (one Streamlit session each) at once from one
headless Chromium with Playwright's async API. Each session opens its own view, then, until its time is
up, alternately clicks another region on the map (as a user selects a region) and picks another industry
in the sidebar, pausing a moment between actions as a person would. Each action is timed from the
click or the choice to the moment the new map has drawn all its regions.

Every action is checked: the URL shows the new region or industry, the redrawn map has as many regions
as when the view opened, after a region click the clicked region is the one outlined, and the page has
no exception block, no JavaScript error and no outside request: every request that does not go to the
app server is refused. Anything else is an error of the run.

The server's memory (VmRSS) is sampled throughout: before the sessions open, at the peak, after the
last action with every session still open, and after all are closed.

Used by ``tests/browser/test_load.py`` (pass/fail) and ``bench/load_bench.py`` (figures).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import math
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.async_api import TimeoutError as PlaywrightTimeout

from dashboard.analysis import measures
from dashboard.data.catalogue import INDUSTRY_KIND_PREFIX
from dashboard.data.cell_bounds import collapse
from dashboard.maps import data as map_data

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    destination,
    leaflet_files,
    outside,
)
from .server import AppServer, cpu_seconds

#: (state, scheme) of the views the sessions open, in turn: a mix of sizes, 11 to 254 regions.
VIEWS = [
    ("IN", "in-egr"),
    ("IN", "county"),
    ("OH", "county"),
    ("US", "state"),
    ("KY", "county"),
    ("CA", "county"),
    ("NY", "cz"),
    ("TX", "county"),
    ("GA", "county"),
    ("PA", "bea"),
]
# Generous: on a small test machine the 20-odd browsers compete with the server for the same cores.
OPEN_TIMEOUT = 300.0  # seconds for a session's first page to show its map
ACTION_TIMEOUT = 180.0  # seconds for a switch to show its new map
CLICK_TIMEOUT = 45.0  # seconds before a region click that changed nothing is made again
THINK = (1.0, 3.0)  # seconds a person pauses between actions (uniform)
POLL = 0.25  # seconds between looks at the page while waiting (each look costs the browser and the driver)
#: Where a session that failed leaves a screenshot of its page.
FAILED_SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "load-failures"


def industry_option(code: str) -> str:
    """The text the sidebar's industry select shows for ``code`` (as in dashboard/ui/sidebar.py)."""
    industry = map_data.industries()[code]
    return INDUSTRY_KIND_PREFIX[industry.kind] + industry.label if industry.kind == "partnership" else industry.label


def view_url(base_url: str, state: str, scheme: str, industry: str) -> str:
    return f"{base_url}/?" + urlencode({"state": state, "scheme": scheme, "industry": industry})


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def chromium_cpu_seconds() -> float:
    """CPU time used so far by every running Chromium process (browser, GPU and renderers) on the machine."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if (proc / "comm").read_text().strip().startswith(("chromium", "chrome")):
                    total += cpu_seconds(int(proc.name)) or 0.0
    return total


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0-100) of a non-empty list: the smallest value with p% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Action:
    session: int
    kind: str  # "open", "region" or "industry"
    seconds: float  # from the click, choice or navigation to the new map drawn


@dataclass
class LoadReport:
    sessions: int
    switch_seconds: float  # how long each session kept switching after its view opened
    actions: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    served: int = 0  # Leaflet's files, asked of the app server
    clicks_repeated: int = 0  # region clicks that changed nothing in CLICK_TIMEOUT and were made again
    blank_maps_reloaded: int = 0  # maps left blank or deaf to clicks (see BlankMap), and the page reloaded
    wall_seconds: float = 0.0
    rss_cold_kib: int | None = None  # server memory before the warm-up
    warm_up_seconds: float = 0.0
    rss_start_kib: int | None = None  # after the warm-up, before the sessions opened
    rss_peak_kib: int | None = None
    server_cpu_seconds: float | None = None  # CPU time the server used from the first session to the last action
    browser_cpu_seconds: float | None = None  # the same for every Chromium process (the load's own cost)
    rss_end_kib: int | None = None  # after the last action, every session still open
    rss_closed_kib: int | None = None  # a few seconds after every session closed

    def times(self, *kinds: str) -> list[float]:
        return [a.seconds for a in self.actions if not kinds or a.kind in kinds]

    def per_session_kib(self) -> float | None:
        """Server memory added per open session: (end - start) / sessions."""
        if self.rss_start_kib is None or self.rss_end_kib is None or not self.sessions:
            return None
        return (self.rss_end_kib - self.rss_start_kib) / self.sessions

    def summary(self) -> dict:
        def stats(values: list[float]) -> dict:
            if not values:
                return {"n": 0}
            return {
                "n": len(values),
                "p50": statistics.median(values),
                "p95": percentile(values, 95),
                "max": max(values),
            }

        return {
            "sessions": self.sessions,
            "switch_seconds": self.switch_seconds,
            "wall_seconds": self.wall_seconds,
            "errors": len(self.errors),
            "clicks_repeated": self.clicks_repeated,
            "blank_maps_reloaded": self.blank_maps_reloaded,
            "server_cpu_seconds": self.server_cpu_seconds,
            "browser_cpu_seconds": self.browser_cpu_seconds,
            "open": stats(self.times("open")),
            "switch": stats(self.times("region", "industry")),
            "region": stats(self.times("region")),
            "industry": stats(self.times("industry")),
            "rss_mib": {
                k: (None if v is None else v / 1024)
                for k, v in (
                    ("cold", self.rss_cold_kib),
                    ("start", self.rss_start_kib),
                    ("peak", self.rss_peak_kib),
                    ("end", self.rss_end_kib),
                    ("closed", self.rss_closed_kib),
                )
            },
            "per_session_mib": None if self.per_session_kib() is None else self.per_session_kib() / 1024,
        }

    def lines(self) -> list[str]:
        """The figures as plain text lines (for the test log)."""
        s = self.summary()

        def fmt(st: dict) -> str:
            return (
                "none"
                if not st["n"]
                else f"n={st['n']}, p50 {st['p50']:.2f} s, p95 {st['p95']:.2f} s, max {st['max']:.2f} s"
            )

        def mib(v: float | None) -> str:
            return "n/a" if v is None else f"{v:.0f} MiB"

        per = s["per_session_mib"]

        def cpu(seconds: float | None) -> str:
            if seconds is None:
                return "n/a"
            return f"{seconds:.0f} s ({seconds / max(self.wall_seconds, 1e-9):.0%} of one core)"

        return [
            (
                f"{self.sessions} concurrent sessions, {self.switch_seconds:.0f} s of switching each, "
                f"{self.wall_seconds:.0f} s in all (after a {self.warm_up_seconds:.0f} s warm-up); errors: {len(self.errors)}; "
                f"region clicks made again: {self.clicks_repeated}; blank maps reloaded: {self.blank_maps_reloaded}"
            ),
            f"open view to rendered map: {fmt(s['open'])}",
            f"switch to rendered map (region clicks and industry choices): {fmt(s['switch'])}",
            f"  region clicks: {fmt(s['region'])}",
            f"  industry choices: {fmt(s['industry'])}",
            "server memory: "
            + ", ".join(f"{k} {mib(v)}" for k, v in s["rss_mib"].items())
            + ("" if per is None else f"; {per:+.1f} MiB per open session"),
            (
                f"CPU over the {self.wall_seconds:.0f} s: server {cpu(self.server_cpu_seconds)}, "
                f"Chromium {cpu(self.browser_cpu_seconds)}"
            ),
            *[f"error: {e}" for e in self.errors[:20]],
        ]


class _Routes:
    """Refuse (as an error of the run) every request that does not go to the app server; count Leaflet's files.

    Only those two kinds of request go through a handler (see conftest.outside): the app's many other requests
    are passed on by Playwright's driver itself, sparing the test process a round trip per request under load.
    """

    def __init__(self, report: LoadReport, base_url: str):
        self.report = report
        self.base_url = base_url

    async def watch(self, context) -> None:
        await context.route(outside(self.base_url), self.refuse)
        await context.route(leaflet_files(self.base_url), self.count_leaflet)

    async def refuse(self, route) -> None:
        url = route.request.url
        if destination(url, self.base_url) == "local":  # never, by the pattern; checked all the same
            await route.continue_()
            return
        self.report.errors.append(f"outside request refused: {url}")
        await route.abort("blockedbyclient")

    async def count_leaflet(self, route) -> None:
        self.report.served += 1
        await route.continue_()


async def _app_idle(page) -> None:
    """The script run has finished and nothing is stale (as conftest.wait_for_app)."""
    await page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
            if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
            if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
            return !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]');
        }""",
        timeout=ACTION_TIMEOUT * 1000,
        polling=250,
    )


async def _app_state(page) -> str:
    """The app's connection and script state as Streamlit marks them (for a message about a stuck session)."""
    with contextlib.suppress(Exception):
        return await page.evaluate("""() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app ? `connection ${app.getAttribute('data-test-connection-state')}, `
                + `script ${app.getAttribute('data-test-script-state')}` : 'no app on the page';
        }""")
    return "state unknown"


class BlankMap(TimeoutError):
    """The map's frame stayed empty with the app idle: Streamlit re-created the map's frame during a rerun and
    the new frame's messages reached the page before the page listened for them ("Received component message
    for unregistered ComponentInstance", the race of Streamlit's issue 2720), so the frame never gets its map,
    or its clicks are lost. Rare, and seen only on a busy machine; a person reloads the page, whose address holds
    the whole view, and so does a session (counted in the report)."""


async def _new_map(page, deadline: float, blank_after: float | None = None):
    """The map frame once it has drawn a new set of regions (none marked as seen); returns (frame, number of paths).

    A new map frame (another view) has new path elements: paths without the mark are the new map. Within a
    view the app restyles the drawn regions in place (dashboard/maps/layer.py): the map's update count
    (``window.sectorAtlas.version``) then differs from the one marked. The count is read twice to be sure
    it has settled.
    """
    last = None
    looked: list = []
    blank_since = None
    while time.perf_counter() < deadline:
        found = None
        looked = []
        for frame in page.frames:
            with contextlib.suppress(Exception):  # frames detach while the app reruns
                counts = await frame.evaluate("""() => {
                    const ps = [...document.querySelectorAll('path.leaflet-interactive')];
                    const version = window.sectorAtlas ? window.sectorAtlas.version : null;
                    const restyled = window.__seenVersion !== undefined && version !== window.__seenVersion;
                    return [ps.length, ps.filter(p => p.__seenByLoadTest).length, restyled, version];
                }""")
                looked.append(counts)
                if counts[0] and (not counts[1] or counts[2]):
                    found = (frame, counts[0])
                    break
        if found and last == found:
            return found
        last = found
        if blank_after is not None:
            blank = not any(c[0] for c in looked) and "script notRunning" in await _app_state(page)
            blank_since = (blank_since or time.perf_counter()) if blank else None
            if blank and time.perf_counter() - blank_since > blank_after:
                raise BlankMap(f"the map stayed blank for {blank_after:.0f} s with the app idle")
        await asyncio.sleep(POLL)
    # what the page showed at the end, for the report: per frame with paths (paths, marked seen, restyled,
    # update count), and the app's own state
    drawn = [c for c in looked if c[0]]
    raise TimeoutError(f"no newly drawn map in time (map frames {drawn}; {await _app_state(page)})")


async def _map_frame(page):
    """The frame that shows the map now (the one a person would click), or None if no frame shows one."""
    for frame in page.frames:
        with contextlib.suppress(Exception):  # frames detach while the app reruns
            if await frame.locator("path.leaflet-interactive").count():
                return frame
    return None


async def _reload(page, report: LoadReport):
    """Reload a page whose map is blank or deaf (BlankMap), as a person would; (frame, regions) drawn again."""
    report.blank_maps_reloaded += 1
    await page.reload(timeout=OPEN_TIMEOUT * 1000)
    return await _new_map(page, time.perf_counter() + OPEN_TIMEOUT)


async def _mark_seen(frame) -> None:
    await frame.evaluate("""() => {
        document.querySelectorAll('path.leaflet-interactive').forEach(p => { p.__seenByLoadTest = true; });
        window.__seenVersion = window.sectorAtlas ? window.sectorAtlas.version : null;
    }""")


async def _outlined(frame) -> list[int]:
    """Indexes of the paths drawn with the selected region's outline (weight 3)."""
    widths = await frame.locator("path.leaflet-interactive").evaluate_all(
        "ps => ps.map(p => p.getAttribute('stroke-width'))"
    )
    return [i for i, w in enumerate(widths) if w == "3"]


async def _problems(page) -> list[str]:
    out = [f"exception shown: {t[:300]}" for t in await page.locator('[data-testid="stException"]').all_inner_texts()]
    if await page.get_by_text("Page not found").count():
        out.append("'Page not found' shown")
    return out


async def _session(
    index: int,
    browser,
    server: AppServer,
    report: LoadReport,
    start_at: float,
    rng: random.Random,
    industries: list[str],
    contexts: list,
    prepare=None,
) -> None:
    state, scheme = VIEWS[index % len(VIEWS)]
    industry = industries[index % len(industries)]
    context = await browser.new_context(viewport=VIEWPORT)
    contexts.append(context)  # closed together once every session is done, so memory is read with all open
    if prepare is not None:  # e.g. a cookie that sends the session to one replica behind a proxy (tests/deploy)
        await prepare(context, index)
    context.set_default_timeout(ACTION_TIMEOUT * 1000)
    await _Routes(report, server.base_url).watch(context)
    page = await context.new_page()
    page.on("pageerror", lambda e: report.errors.append(f"session {index}: JavaScript error: {e}"))
    who = f"session {index} ({state} {scheme})"
    kind = "open"
    try:
        await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
        t0 = time.perf_counter()
        await page.goto(view_url(server.base_url, state, scheme, industry), timeout=OPEN_TIMEOUT * 1000)
        frame, regions = await _new_map(page, t0 + OPEN_TIMEOUT)
        report.actions.append(Action(index, "open", time.perf_counter() - t0))
        await _app_idle(page)
        report.errors.extend(f"{who}, open: {p}" for p in await _problems(page))

        stop_at = time.perf_counter() + report.switch_seconds
        step = 0
        while time.perf_counter() < stop_at:
            await asyncio.sleep(rng.uniform(*THINK))
            await _mark_seen(frame)
            before = query_of(page.url)
            kind = "region" if step % 2 == 0 else "industry"
            step += 1
            if kind == "region":
                paths = frame.locator("path.leaflet-interactive")
                others = [i for i in range(regions) if i not in await _outlined(frame)]
                clicked = rng.choice(others)
                t0 = time.perf_counter()
                await paths.nth(clicked).dispatch_event("click")
                clicks = 1
                while True:
                    try:
                        await page.wait_for_url(
                            lambda u, old=before["region"]: query_of(u).get("region") != old,
                            timeout=CLICK_TIMEOUT * 1000,
                        )
                        break
                    except PlaywrightTimeout:
                        # on a saturated machine a click can land while the map's frame is being replaced and be
                        # dropped; a person clicks again, and so does the session (counted in the report)
                        if time.perf_counter() - t0 > ACTION_TIMEOUT:
                            raise TimeoutError(
                                f"clicked path {clicked} {clicks} times in {ACTION_TIMEOUT:.0f} s, "
                                f"the region stayed {before['region']} ({await _app_state(page)})"
                            ) from None
                        report.clicks_repeated += 1
                        clicks += 1
                        # drawn, but two clicks lost: its frame speaks to no one (BlankMap); or gone blank
                        frame = None if clicks == 3 else await _map_frame(page)
                        if frame is None:
                            frame, _ = await _reload(page, report)
                        await frame.locator("path.leaflet-interactive").nth(clicked).dispatch_event("click")
            else:
                code = rng.choice([c for c in industries if c != before["industry"]])
                box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Industry", exact=True)
                t0 = time.perf_counter()
                await box.click()
                await box.fill(industry_option(code))
                await page.get_by_role("option", name=industry_option(code), exact=True).click()
                await page.wait_for_url(lambda u, c=code: query_of(u).get("industry") == c)
            try:
                frame, n = await _new_map(page, t0 + ACTION_TIMEOUT, blank_after=CLICK_TIMEOUT)
            except BlankMap:
                frame, n = await _reload(page, report)
            report.actions.append(Action(index, kind, time.perf_counter() - t0))
            await _app_idle(page)
            if n != regions:
                report.errors.append(f"{who}, {kind}: the map drew {n} regions, {regions} when the view opened")
            if kind == "region" and await _outlined(frame) != [clicked]:
                report.errors.append(f"{who}, region: clicked path {clicked}, outlined {await _outlined(frame)}")
            report.errors.extend(f"{who}, {kind}: {p}" for p in await _problems(page))
    except Exception as e:  # noqa: BLE001 - any failure of a session is an error of the run, reported with the rest
        report.errors.append(f"{who}, {kind}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        with contextlib.suppress(Exception):  # what the session showed, for whoever reads the report
            FAILED_SHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(FAILED_SHOTS / f"load-session-{index}.png"), full_page=True)
            frames = [f"{f.url[:120]} detached={f.is_detached()}" for f in page.frames]
            report.errors.append(f"{who}: frames then: {frames}")


async def _warm_up(browser, server: AppServer, report: LoadReport, views: list[tuple[str, str]]) -> None:
    """Open each view once, one after another, so the data every session shares is loaded before memory is read."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        await _Routes(report, server.base_url).watch(context)
        page = await context.new_page()
        for state, scheme in views:
            try:
                await page.goto(view_url(server.base_url, state, scheme, "advanced-manufacturing"))
                await _new_map(page, time.perf_counter() + OPEN_TIMEOUT)
                await _app_idle(page)
            except Exception as e:  # noqa: BLE001 - reported with the run's errors
                report.errors.append(
                    f"warm-up {state} {scheme}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                )
    finally:
        await context.close()


async def _sample_memory(server: AppServer, report: LoadReport, done: asyncio.Event) -> None:
    while not done.is_set():
        rss = server.rss_kib()
        if rss is not None:
            report.rss_peak_kib = max(report.rss_peak_kib or 0, rss)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(done.wait(), 0.5)


def distinct_industries() -> list[str]:
    """One industry per set of cells: a partnership sector that is one whole NAICS sector (Construction is NAICS
    23) or a sector with a single subsector (22 and 221) draws the very map of the other, so a switch between
    them rightly redraws nothing; the sessions switch among industries that each draw their own map."""
    every = map_data.industries()
    known = measures.sector_codes()["naics"].tolist()
    chosen: dict[tuple[str, ...], str] = {}
    for code in sorted(every):
        chosen.setdefault(tuple(collapse(every[code].naics, known)), code)
    return sorted(chosen.values())


async def _run(
    server: AppServer, sessions: int, switch_seconds: float, stagger: float, seed: int, prepare=None
) -> LoadReport:
    from playwright.async_api import async_playwright

    report = LoadReport(sessions=sessions, switch_seconds=switch_seconds)
    contexts: list = []
    industries = distinct_industries()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            report.rss_cold_kib = server.rss_kib()
            t0 = time.perf_counter()
            await _warm_up(browser, server, report, sorted({VIEWS[i % len(VIEWS)] for i in range(sessions)}))
            report.warm_up_seconds = time.perf_counter() - t0
            report.rss_start_kib = server.rss_kib()
            done = asyncio.Event()
            sampler = asyncio.create_task(_sample_memory(server, report, done))
            cpu0, browser0 = server.cpu_seconds(), chromium_cpu_seconds()
            t0 = time.perf_counter()
            await asyncio.gather(
                *[
                    _session(
                        i,
                        browser,
                        server,
                        report,
                        t0 + i * stagger,
                        random.Random(seed + i),
                        industries,
                        contexts,
                        prepare,
                    )
                    for i in range(sessions)
                ]
            )
            report.wall_seconds = time.perf_counter() - t0
            report.rss_end_kib = server.rss_kib()
            cpu1 = server.cpu_seconds()
            if cpu0 is not None and cpu1 is not None:
                report.server_cpu_seconds = cpu1 - cpu0
            report.browser_cpu_seconds = chromium_cpu_seconds() - browser0
            done.set()
            await sampler
            for context in contexts:
                with contextlib.suppress(Exception):
                    await context.close()
            await asyncio.sleep(3)  # let the server notice the closed sockets and drop the sessions
            report.rss_closed_kib = server.rss_kib()
        finally:
            await browser.close()
    return report


def run_load(
    server: AppServer, sessions: int, switch_seconds: float, stagger: float = 3.0, seed: int = 2024, prepare=None
) -> LoadReport:
    """Run ``sessions`` concurrent browser sessions against ``server``; see the module docstring.

    ``prepare``, if given, is awaited as ``prepare(context, index)`` with each session's new browser context
    before it opens its page (tests/deploy uses it to send each session to a chosen replica behind nginx).

    The run gets its own thread and event loop: Playwright's sync API (the other browser tests' session
    fixture) keeps an event loop running in the main thread, where ``asyncio.run`` would refuse to start.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="load") as pool:
        return pool.submit(asyncio.run, _run(server, sessions, switch_seconds, stagger, seed, prepare)).result()
