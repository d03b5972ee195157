"""Chromium for the deployment tests, with Playwright's async API in a thread of its own.

The browser tests' session fixture keeps Playwright's sync API (and its event loop) running in the main
thread, so these tests run their browser in another thread, as tests/browser/load.py does. Every request
that does not go to the server under test is refused and recorded; Content Security Policy violations are
recorded from every frame (the map is in a component iframe), as are console errors and page errors.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from dataclasses import dataclass, field

from browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, destination, outside
from browser.load import ACTION_TIMEOUT, OPEN_TIMEOUT, _app_idle, _new_map

#: Runs in every frame before its scripts: each CSP violation is kept and logged to the console.
CSP_LISTENER = """(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', e => {
        const text = `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${location.href}`;
        window.__cspViolations.push(text);
        console.error('CSP violation: ' + text);
    });
})();"""
ROUTE_COOKIE = "sector_atlas_route"


def in_thread(fn, *args):
    """Run ``asyncio.run(fn(*args))`` in a thread of its own and return its result."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="deploy-browser") as pool:
        return pool.submit(asyncio.run, fn(*args)).result()


async def launch(pw):
    return await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Watch:
    """What the contexts of one run saw besides the pages themselves."""

    base_url: str
    refused: list[str] = field(default_factory=list)  # requests not to base_url: refused
    csp: list[str] = field(default_factory=list)  # console lines about the Content Security Policy
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)  # every Playwright Response, for its headers

    async def refuse(self, route) -> None:
        url = route.request.url
        if destination(url, self.base_url) == "local":
            await route.continue_()
            return
        self.refused.append(url)
        await route.abort("blockedbyclient")

    async def context(self, browser, route: str | None = None, responses: bool = False):
        """A fresh context (a fresh Streamlit session), watched; ``route`` presets the replica cookie."""
        context = await browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(ACTION_TIMEOUT * 1000)
        await context.route(outside(self.base_url), self.refuse)
        await context.add_init_script(CSP_LISTENER)
        if route is not None:
            await context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": self.base_url}])
        if responses:
            context.on("response", lambda r: self.responses.append(r))
        return context

    def watch_page(self, page, who: str = "") -> None:
        def on_console(message):
            text = f"{who}{message.type}: {message.text}"
            if "Content Security Policy" in message.text or "CSP violation" in message.text:
                self.csp.append(text)
            elif message.type == "error":
                self.console_errors.append(text)

        page.on("console", on_console)
        page.on("pageerror", lambda e: self.page_errors.append(f"{who}{e}"))


async def violations(page) -> list[str]:
    """CSP violations the listener kept, in every frame of ``page``."""
    found = []
    for frame in page.frames:
        try:
            found += await frame.evaluate("() => window.__cspViolations || []")
        except Exception:  # noqa: BLE001, S110 - a frame may detach meanwhile
            pass
    return found


async def open_view(page, url: str, with_map: bool) -> int:
    """Go to ``url`` and wait for the run to finish (and the map to draw); returns the number of regions drawn."""
    t0 = time.perf_counter()
    await page.goto(url, timeout=OPEN_TIMEOUT * 1000)
    n = 0
    if with_map:
        _, n = await _new_map(page, t0 + OPEN_TIMEOUT)
    await _app_idle(page)
    return n


async def sidebar_value(page, label: str) -> str:
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True)
    return await box.input_value()
