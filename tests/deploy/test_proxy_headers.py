"""Through nginx (deploy/nginx.conf): security headers on every response, a Content Security Policy the app
satisfies while it draws its maps and charts, gzip for static assets, and the route cookie."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .browsing import Watch, in_thread, launch, open_view, violations

QUERY = "state=IN&scheme=in-egr&region=2&industry=advanced-manufacturing"
#: (path, draws a map): the two maps (Leaflet in streamlit-folium's iframe), charts (Altair), tables, forms
VIEWS = [
    ("/", True),
    ("/workforce-map", True),
    ("/region-profile", False),
    ("/compare", False),
    ("/custom-regions", False),
    ("/data-and-methods", False),
]
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
}


def header_problems(url: str, status: int, headers: dict[str, str]) -> list[str]:
    h = {k.lower(): v for k, v in headers.items()}
    problems = [
        f"{status} {url}: {name} is {h.get(name)!r}, not {value!r}"
        for name, value in HEADERS.items()
        if h.get(name) != value
    ]
    csp = h.get("content-security-policy", "")
    for directive in ("default-src 'self'", "frame-ancestors 'self'", "connect-src 'self'", "object-src 'none'"):
        if directive not in csp:
            problems.append(f"{status} {url}: Content-Security-Policy lacks {directive!r}: {csp!r}")
    if "http:" in csp or "https:" in csp or "*" in csp:
        problems.append(f"{status} {url}: Content-Security-Policy allows another origin: {csp!r}")
    # eval only in the map component's own pages (streamlit-folium evals the layers it updates)
    if ("'unsafe-eval'" in csp) != urlsplit(url).path.startswith("/component/"):
        problems.append(f"{status} {url}: 'unsafe-eval' where it should not be, or missing: {csp!r}")
    return problems


def _lower(message) -> dict[str, str]:
    """Header names in lower case; repeated headers (Set-Cookie) one per line."""
    out: dict[str, str] = {}
    for k, v in message.items():
        out[k.lower()] = f"{out[k.lower()]}\n{v}" if k.lower() in out else v
    return out


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, _lower(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, _lower(e.headers), e.read()


def route_cookies(headers: dict[str, str]) -> list[str]:
    """The Set-Cookie lines of nginx's route cookie (Streamlit sets its own XSRF cookie too)."""
    return [c for c in headers.get("set-cookie", "").splitlines() if c.startswith("sector_atlas_route=")]


def too_large(base_url: str) -> tuple[int, dict[str, str]]:
    """Announce a 12 MB upload: nginx refuses it (client_max_body_size) before a byte of it is sent."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("PUT", "/_stcore/upload_file/session/file")
        conn.putheader("Content-Length", str(12_000_000))
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


async def _browse(base_url: str, artifacts) -> dict:
    from playwright.async_api import async_playwright

    watch = Watch(base_url)
    out = {"regions": {}, "violations": []}
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            context = await watch.context(browser, responses=True)
            page = await context.new_page()
            watch.watch_page(page)
            for path, with_map in VIEWS:
                out["regions"][path] = await open_view(page, f"{base_url}{path}?{QUERY}", with_map)
                out["violations"] += await violations(page)
                await page.screenshot(path=str(artifacts / f"proxy{path.replace('/', '-') or '-'}.png"), full_page=True)
            out["headers"] = [(r.url, r.status, await r.all_headers()) for r in watch.responses]
            await context.close()
        finally:
            await browser.close()
    out["watch"] = watch
    return out


def test_every_response_has_the_headers_and_the_app_satisfies_the_csp(deployment, deploy_artifacts):
    seen = in_thread(_browse, deployment.base_url, deploy_artifacts)
    watch = seen["watch"]
    (deploy_artifacts / "proxy-headers.json").write_text(
        json.dumps([{"url": u, "status": s, "headers": h} for u, s, h in seen["headers"]], indent=1)
    )

    assert seen["regions"]["/"] > 0 and seen["regions"]["/workforce-map"] > 0, "the maps drew their regions"
    assert watch.refused == [], f"outside requests: {watch.refused}"
    assert watch.csp == [] and seen["violations"] == [], f"CSP violations: {watch.csp + seen['violations']}"
    assert watch.page_errors == [], f"JavaScript errors: {watch.page_errors}"

    responses = seen["headers"]
    kinds = {u.split("?")[0].rsplit(".", 1)[-1] for u, _, _ in responses}
    assert {"js", "css"} <= kinds, f"scripts and styles came through nginx: {sorted(kinds)}"
    assert any("/component/" in u for u, _, _ in responses), "the map component's iframe came through nginx"
    assert any("/app/static/leaflet/" in u for u, _, _ in responses), "Leaflet came through nginx"
    problems = [p for u, s, h in responses for p in header_problems(u, s, h)]
    assert problems == [], "\n".join(problems[:20])


def test_errors_health_and_assets_have_the_headers_and_assets_are_gzipped(deployment):
    base = deployment.base_url
    status, headers, body = fetch(f"{base}/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")
    problems = header_problems("/_stcore/health", status, headers)
    status, headers, _ = fetch(f"{base}/app/static/no-such-file.js")
    assert status == 404
    problems += header_problems("/app/static/no-such-file.js", status, headers)
    status, headers = too_large(base)  # nginx's own error page
    assert status == 413
    problems += header_problems("an upload over the limit", status, headers)
    status, headers, _ = fetch(f"{base}/app/static/leaflet/../../../../etc/passwd")
    assert status in (400, 404)
    problems += header_problems("path outside static", status, headers)

    # the page's own script bundle: asked for with gzip, it comes compressed (and decompresses to the same)
    _, _, page = fetch(f"{base}/")
    script = re.search(rb'<script[^>]+src="([^"]+\.js)"', page)
    assert script, "the page names its script bundle"
    url = f"{base}/{script.group(1).decode().lstrip('./')}"
    status, headers, zipped = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip", f"{url}: {headers}"
    problems += header_problems(url, status, headers)
    _, _, plain = fetch(url)
    assert gzip.decompress(zipped) == plain and len(zipped) < len(plain) / 2
    status, headers, zipped = fetch(f"{base}/app/static/leaflet/leaflet.js", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert problems == [], "\n".join(problems)


def websocket_handshake(base_url: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    """Open the session websocket as a browser does (the handshake only) and close it."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Protocol": "streamlit",
        "Origin": base_url,
    }
    if cookie:
        headers["Cookie"] = f"sector_atlas_route={cookie}"
    try:
        conn.request("GET", "/_stcore/stream", headers=headers)
        response = conn.getresponse()
        return response.status, _lower_pairs(response.getheaders())
    finally:
        conn.close()


def _lower_pairs(pairs) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in pairs:
        out[k.lower()] = f"{out[k.lower()]}\n{v}" if k.lower() in out else v
    return out


def test_the_route_cookie_names_the_replica_that_accepted_the_websocket(deployment):
    # plain requests are not pinned (every replica serves the same files): no cookie
    status, headers, _ = fetch(f"{deployment.base_url}/_stcore/health")
    assert status == 200 and route_cookies(headers) == []
    # the websocket's handshake pins the browser to the replica holding its session
    status, headers = websocket_handshake(deployment.base_url)
    cookies = route_cookies(headers)
    m = re.match(r"sector_atlas_route=(\d+); Path=/; HttpOnly; SameSite=Lax$", cookies[0] if cookies else "")
    assert status == 101 and len(cookies) == 1 and m and 1 <= int(m.group(1)) <= deployment.replicas, (status, headers)
    assert header_problems("/_stcore/stream", status, headers) == []
    # a browser that has it keeps to that replica, and is not told again
    for n in range(1, deployment.replicas + 1):
        status, headers = websocket_handshake(deployment.base_url, str(n))
        assert status == 101 and route_cookies(headers) == []
    expected = {str(n): f"127.0.0.1:{deployment.replica_port(n)}" for n in range(1, deployment.replicas + 1)}
    for _ in range(50):  # nginx logs a websocket when it closes
        streams = [
            (r["route"], r["upstream"])
            for r in deployment.access_log()
            if r["path"] == "/_stcore/stream" and r["route"] in expected
        ]
        if {route for route, _ in streams} == set(expected):
            break
        time.sleep(0.2)
    assert streams and all(upstream == expected[route] for route, upstream in streams), streams
    # an unknown value is treated as none: the least busy replica, and a cookie naming it
    status, headers = websocket_handshake(deployment.base_url, "junk")
    assert status == 101 and len(route_cookies(headers)) == 1
