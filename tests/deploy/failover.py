"""Replicas behind nginx under load, and one of them killed mid-run (used by test_replicas.py and bench/deploy_bench.py).

The run, against a deployment of N replicas (deployment.py):

1. Warm-up: each replica but the last opens each view once, side by side (its caches filled, its pages
   known, so that a session moved there by the kill finds its figures), through nginx with a
   route cookie naming it.
2. The load test (tests/browser/load.py) starts through nginx, its sessions pinned by their route cookie to
   every replica but the last (the one to be killed): they open maps and switch regions and industries.
3. Meanwhile the "watched" sessions open, without a cookie: nginx spreads them (fewest connections first,
   so most land on the last replica, the one the load left alone). Each opens a view (a map page or the
   region profile, a region, an industry, a year) and records it: address, title, sidebar choices, regions
   drawn.
4. Mid-run the last replica is killed (SIGKILL: a crash, no goodbye).
5. Every watched session whose replica died must reconnect to another replica and show the same view
   (the same address, title, sidebar choices, regions drawn) within RECONNECT_TIMEOUT seconds, and then
   serve a change on its new replica: another industry chosen in the sidebar, the page, region and year
   kept, within ACTION_TIMEOUT. The watched sessions on other replicas must never lose their connection
   and serve the same change. The load sessions must finish with no error.
6. The launcher starts the killed replica again; it answers its health check.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs, urlsplit

from browser.load import ACTION_TIMEOUT, OPEN_TIMEOUT, industry_option, run_load
from browser.load import _mark_seen as load_mark_seen
from browser.server import healthy

from .browsing import ROUTE_COOKIE, Watch, _app_idle, _new_map, in_thread, launch, sidebar_value

RECONNECT_TIMEOUT = 60.0  # seconds from the kill to a session on the dead replica showing its view again
RESTART_TIMEOUT = 180.0  # seconds for the launcher to have the killed replica answering again
#: (page link text in the sidebar, or None for the industry map, state, scheme, region, industry)
WATCHED_VIEWS = [
    (None, "IN", "in-egr", "2", "advanced-manufacturing"),
    ("Region profile", "IN", "in-egr", "4", "healthcare"),
    ("Workforce map", "OH", "county", "39049", "construction"),
    (None, "KY", "county", "21111", "information-technology"),
    ("Region profile", "IN", "county", "18097", "transportation-logistics"),
    ("Workforce map", "IN", "in-egr", "7", "advanced-manufacturing"),
]
WITH_MAP = {None: True, "Workforce map": True, "Region profile": False}
#: Records every change of the app's connection state (Streamlit marks it on its root element), with the time.
CONNECTION_WATCH = """(() => {
    window.__connection = [];
    let last = null;
    const look = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        const state = app && app.getAttribute('data-test-connection-state');
        if (state && state !== last) { last = state; window.__connection.push([Date.now() / 1000, state]); }
    };
    new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
                                                  attributeFilter: ['data-test-connection-state']});
})();"""


@dataclass
class Watched:
    index: int
    page_name: str
    replica: int | None = None  # the replica its route cookie named before the kill
    replica_after: int | None = None
    view: dict = field(default_factory=dict)  # url, title, region, industry, year, regions
    view_after: dict = field(default_factory=dict)
    reconnect_seconds: float | None = None  # kill -> connected again (sessions on the killed replica)
    restored_seconds: float | None = None  # kill -> the same view shown, checked
    action_seconds: float | None = None  # kill -> another industry served on the new replica
    disconnected: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class FailoverReport:
    replicas: int
    victim: int
    load_sessions: int
    load_seconds: float
    load: dict = field(default_factory=dict)  # LoadReport.summary()
    load_errors: list[str] = field(default_factory=list)
    load_by_replica: dict = field(default_factory=dict)
    watched: list[Watched] = field(default_factory=list)
    warm_up_seconds: float | None = None
    killed_at_load_second: float | None = None
    load_wall_seconds: float | None = None
    restart_seconds: float | None = None
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_victim(self) -> list[Watched]:
        return [w for w in self.watched if w.replica == self.victim]

    def as_dict(self) -> dict:
        return asdict(self)


def _query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


async def _view(page, with_map: bool) -> dict:
    """What the session shows: address, title, sidebar choices, and the regions its map drew."""
    view = {
        "url": page.url,
        "title": (await page.locator("h1").first.inner_text()).strip(),
        "region": await sidebar_value(page, "Region"),
        "industry": await sidebar_value(page, "Industry"),
        "year": await sidebar_value(page, "Industry data year"),
    }
    if with_map:
        _, view["regions"] = await _new_map(page, time.perf_counter() + OPEN_TIMEOUT)
    return view


async def _mark_seen(page) -> None:
    """Mark the drawing of every frame as seen (as the load test does), so that _new_map waits for a new one."""
    for frame in page.frames:
        with contextlib.suppress(Exception):
            await load_mark_seen(frame)


async def _drawn(page) -> int:
    """The number of regions the page's map shows (0: none drawn)."""
    counts = [0]
    for frame in page.frames:
        with contextlib.suppress(Exception):
            counts.append(await frame.locator("path.leaflet-interactive").count())
    return max(counts)


async def _route(context) -> int | None:
    for c in await context.cookies():
        if c["name"] == ROUTE_COOKIE and c["value"].isdigit():
            return int(c["value"])
    return None


async def _open(page, base_url: str, view: tuple) -> None:
    link, state, scheme, region, industry = view
    await page.goto(
        f"{base_url}/?state={state}&scheme={scheme}&region={region}&industry={industry}", timeout=OPEN_TIMEOUT * 1000
    )
    await _app_idle(page)
    if link:
        await page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True).click()
        await page.wait_for_function(
            "t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() !== t)",
            arg="Industry map",
            timeout=OPEN_TIMEOUT * 1000,
            polling=250,
        )
        await _app_idle(page)


async def _problems(page) -> list[str]:
    out = [f"exception shown: {t[:200]}" for t in await page.locator('[data-testid="stException"]').all_inner_texts()]
    if await page.get_by_text("Page not found").count():
        out.append("'Page not found' shown")
    return out


async def _choose_industry(page, code: str) -> None:
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Industry", exact=True)
    await box.click()
    await box.fill(industry_option(code))
    await page.get_by_role("option", name=industry_option(code), exact=True).click()
    await page.wait_for_url(lambda u: _query(u).get("industry") == code, timeout=ACTION_TIMEOUT * 1000)


async def _warm_up(browser, watch: Watch, base_url: str, replicas: list[int]) -> None:
    """Each of ``replicas`` opens each watched view once (pinned by the route cookie), the replicas side by side:
    a session moved there by the kill finds the view's figures worked out."""

    async def one(n: int) -> None:
        context = await watch.context(browser, route=str(n))
        try:
            page = await context.new_page()
            for view in WATCHED_VIEWS:
                await _open(page, base_url, view)
                await _view(page, WITH_MAP[view[0]])
        finally:
            await context.close()

    await asyncio.gather(*(one(n) for n in replicas))


async def _watched_session(
    w: Watched,
    browser,
    watch: Watch,
    base_url: str,
    ready: asyncio.Event,
    killed: asyncio.Event,
    kill_time: list[float],
    opened: list,
    contexts: dict,
) -> None:
    view = WATCHED_VIEWS[w.index % len(WATCHED_VIEWS)]
    with_map = WITH_MAP[view[0]]
    context = await watch.context(browser)
    contexts[w.index] = context
    await context.add_init_script(CONNECTION_WATCH)
    page = await context.new_page()
    watch.watch_page(page, f"watched {w.index}: ")
    try:
        await _open(page, base_url, view)
        w.view = await _view(page, with_map)
        w.replica = await _route(context)
        w.errors += await _problems(page)
    except Exception as e:  # noqa: BLE001 - reported with the run's errors
        w.errors.append(f"open: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    opened.append(w.index)
    if len(opened) == len(WATCHED_VIEWS):
        ready.set()
    await killed.wait()
    t_kill = kill_time[0]
    try:
        deadline = t_kill + RECONNECT_TIMEOUT
        # connected again: the app's own record of its connection states, after the kill
        while True:
            states = await page.evaluate("() => window.__connection")
            after = [(t, s) for t, s in states if t >= t_kill - 0.5]
            w.disconnected = any(s != "CONNECTED" for _, s in after)
            back = [t for t, s in after if s == "CONNECTED" and any(s2 != "CONNECTED" for t2, s2 in after if t2 <= t)]
            if w.replica != _victim_of(kill_time):
                break
            if back:
                w.reconnect_seconds = back[0] - t_kill
                break
            if time.time() > deadline:
                raise TimeoutError(f"not connected again within {RECONNECT_TIMEOUT:.0f} s (states {states})")
            await asyncio.sleep(0.2)
        await _app_idle(page)
        w.view_after = await _view(page, with_map)
        if w.replica == _victim_of(kill_time):
            w.restored_seconds = time.time() - t_kill
        if w.view_after != w.view:
            w.errors.append(f"after the kill the view differs: {w.view_after} instead of {w.view}")
        # a change, served by the replica the session is on now
        await _mark_seen(page)
        before = _query(page.url)
        code = "hospitality-tourism" if before.get("industry") != "hospitality-tourism" else "construction"
        await _choose_industry(page, code)
        if view[0] is None:  # the industry map draws the industry chosen; the workforce map stays as it is
            await _new_map(page, time.perf_counter() + ACTION_TIMEOUT)
        await _app_idle(page)
        if with_map:
            drawn = await _drawn(page)
            if drawn != w.view["regions"]:
                w.errors.append(f"choosing {code}: the map shows {drawn} regions, {w.view['regions']} before")
        w.action_seconds = time.time() - t_kill
        changed = _query(page.url)
        kept = {k: v for k, v in before.items() if k != "industry"}
        if {k: changed.get(k) for k in kept} != kept or urlsplit(page.url).path != urlsplit(w.view["url"]).path:
            w.errors.append(f"choosing {code} changed more than the industry: {page.url} after {w.view['url']}")
        title = (await page.locator("h1").first.inner_text()).strip()
        if title != w.view["title"]:
            w.errors.append(f"choosing {code} changed the title: {title!r}, was {w.view['title']!r}")
        if code not in await sidebar_value(page, "Industry") and industry_option(code) != await sidebar_value(
            page, "Industry"
        ):
            w.errors.append(f"the sidebar does not show {code}")
        w.replica_after = await _route(context)
        w.errors += await _problems(page)
        states = await page.evaluate("() => window.__connection")
        w.disconnected = any(s != "CONNECTED" for t, s in states if t >= t_kill - 0.5)
    except Exception as e:  # noqa: BLE001
        w.errors.append(f"after the kill: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    finally:
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(_shots[0] / f"failover-watched-{w.index}.png"), full_page=True)
        await context.close()


_shots: list = [None]


async def _restarted(url: str, since: float) -> float | None:
    """Seconds from the kill until the launcher has the replica answering its health check again."""
    await asyncio.sleep(1.0)  # the dead replica's port refuses at once; its successor takes a few seconds
    while time.time() - since < RESTART_TIMEOUT:
        if await asyncio.to_thread(healthy, url):
            return time.time() - since
        await asyncio.sleep(0.5)
    return None


def _victim_of(kill_time: list[float]) -> int:
    return int(kill_time[1])


async def _watched_run(deployment, report: FailoverReport, load_started: float, kill_after: float) -> None:
    from playwright.async_api import async_playwright

    watch = Watch(deployment.base_url)
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            ready, killed = asyncio.Event(), asyncio.Event()
            kill_time: list[float] = []
            opened: list[int] = []
            contexts: dict = {}
            report.watched = [Watched(i, WATCHED_VIEWS[i][0] or "Industry map") for i in range(len(WATCHED_VIEWS))]
            tasks = [
                asyncio.create_task(
                    _watched_session(w, browser, watch, deployment.base_url, ready, killed, kill_time, opened, contexts)
                )
                for w in report.watched
            ]
            await ready.wait()
            # mid-run: once the watched sessions show their views and the load has been going for a while
            await asyncio.sleep(max(0.0, load_started + kill_after - time.time()))
            for w in report.watched:  # the replica each is on when the kill comes
                w.replica = await _route(contexts[w.index])
            kill_time[:] = [time.time(), report.victim]
            deployment.kill(report.victim)
            report.killed_at_load_second = kill_time[0] - load_started
            killed.set()
            restarted = asyncio.create_task(_restarted(deployment.replica_url(report.victim), kill_time[0]))
            await asyncio.gather(*tasks)
            report.restart_seconds = await restarted
        finally:
            await browser.close()
    report.refused += watch.refused
    report.errors += [f"JavaScript error: {e}" for e in watch.page_errors]


def run_failover(
    deployment, load_sessions: int, load_seconds: float, artifacts, kill_after: float = 45.0
) -> FailoverReport:
    """The run described in the module docstring; returns its figures (the test decides what passes)."""
    from playwright.async_api import async_playwright

    _shots[0] = artifacts
    victim = deployment.replicas
    report = FailoverReport(deployment.replicas, victim, load_sessions, load_seconds)

    # the replicas that stay up; the one to be killed warms up as the watched sessions open on it
    survivors = [n for n in range(1, deployment.replicas + 1) if n != victim]

    async def warm():
        watch = Watch(deployment.base_url)
        async with async_playwright() as pw:
            browser = await launch(pw)
            try:
                await _warm_up(browser, watch, deployment.base_url, survivors)
            finally:
                await browser.close()
        return watch

    started = time.time()
    warmed = in_thread(warm)
    report.warm_up_seconds = time.time() - started
    report.refused += warmed.refused

    pinned = {i: survivors[i % len(survivors)] for i in range(load_sessions)}
    report.load_by_replica = {str(n): sum(1 for r in pinned.values() if r == n) for n in survivors}

    async def pin(context, index):
        await context.add_cookies([{"name": ROUTE_COOKIE, "value": str(pinned[index]), "url": deployment.base_url}])

    import concurrent.futures

    load_started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-run") as pool:
        load = pool.submit(run_load, deployment, load_sessions, load_seconds, 3.0, 2024, pin)
        in_thread(_watched_run, deployment, report, load_started, kill_after)
        load_report = load.result()
    report.load_wall_seconds = time.time() - load_started
    report.load = load_report.summary()
    report.load_errors = list(load_report.errors)

    if report.restart_seconds is None:
        report.errors.append(f"replica {victim} did not answer again within {RESTART_TIMEOUT:.0f} s of the kill")
    return report
