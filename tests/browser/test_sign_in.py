"""Sign-in through a real OpenID Connect provider, offline: ``oidc-provider-mock`` runs in this process on
localhost, the app is started with an ``[auth]`` section pointing at it, and Chromium signs in and out.

Only the app and the provider are reachable: every other request is refused, and none may come from the
app's own pages (the provider's page asks for a style sheet from a CDN; that one is refused and ignored).
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import pytest

from .conftest import CHROMIUM_ARGS, VIEWPORT  # noqa: F401 - the browser fixture uses them
from .server import free_port, running_app

oidc = pytest.importorskip("oidc_provider_mock")

EDITOR = "editor@example.org"
#: As the sidebar shows it: user text is inert, a word joiner after the @ keeps it from becoming a mail link.
SIGNED_IN = re.compile(r"Signed in as editor@\u2060?example\.org")


@pytest.fixture(scope="module")
def provider():
    with oidc.run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory, artifacts):
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "sector-atlas"\n'
        'client_secret = "sector-atlas-test"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with running_app(
        artifacts / "server-sign-in.log", port=port, extra_args=("--secrets.files", str(secrets_file))
    ) as server:
        yield server


def _context(browser, allowed: list[str], refused: list[tuple[str, str]]):
    hosts = {(urlsplit(u).hostname, urlsplit(u).port) for u in allowed}
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme not in ("http", "https", "ws", "wss") or (parts.hostname, parts.port) in hosts:
            r.continue_()
            return
        refused.append((r.request.url, r.request.frame.url if r.request.frame else ""))
        r.abort("blockedbyclient")

    context.route(re.compile(r"^(?:https?|wss?)://"), route)
    return context


def test_sign_in_and_out_through_the_provider(browser, signed_app, provider):
    refused: list[tuple[str, str]] = []
    context = _context(browser, [signed_app.base_url, provider], refused)
    try:
        page = context.new_page()
        page.goto(signed_app.base_url + "/?page=data-and-methods")
        sign_in = page.get_by_role("button", name="Sign in")
        sign_in.wait_for()
        sign_in.click()
        page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/authorize"))
        page.fill("input[name=sub]", EDITOR)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile("^" + re.escape(signed_app.base_url)))
        page.get_by_text(SIGNED_IN).wait_for()

        cookies = {c["name"]: c for c in context.cookies(signed_app.base_url)}
        identity = [c for name, c in cookies.items() if name.startswith("_streamlit_user")]
        assert identity, f"no identity cookie among {sorted(cookies)}"
        assert all(c["httpOnly"] for c in identity)
        # signed: a cookie with its value altered is not accepted as anyone
        forged = [{**c, "value": c["value"][:-4] + "AAAA"} for c in identity]
        other = _context(browser, [signed_app.base_url, provider], refused)
        try:
            other.add_cookies(forged)
            page_b = other.new_page()
            page_b.goto(signed_app.base_url + "/?page=data-and-methods")
            page_b.get_by_role("button", name="Sign in").wait_for()
            assert page_b.get_by_text(SIGNED_IN).count() == 0
        finally:
            other.close()

        page.get_by_role("button", name="Sign out").click()
        # the provider ends its own session too (RP-initiated logout), then sends the browser back to the app
        page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/end_session"))
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(re.compile("^" + re.escape(signed_app.base_url)))
        page.goto(signed_app.base_url + "/?page=data-and-methods")
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.get_by_text(SIGNED_IN).count() == 0
    finally:
        context.close()
    from_app = [url for url, frame in refused if frame.startswith(signed_app.base_url)]
    assert not from_app, f"the app's pages asked for outside addresses: {from_app}"
