"""Sign-in through a real OpenID Connect provider, offline: ``oidc-provider-mock`` runs in this process on
localhost, the app is started with an ``[auth]`` section pointing at it, and Chromium signs in and out.

Only the app and the provider are reachable: every other request is refused, and none may come from the
app's own pages (the provider's page asks for a style sheet from a CDN; that one is refused and ignored).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select

from dashboard.data import paths
from dashboard.registry.models import ChangeLog, Partnership

from .conftest import CHROMIUM_ARGS, VIEWPORT, open_app  # noqa: F401 - the browser fixture uses them
from .server import free_port, running_app
from .test_registry_browser import _choose, _click, record_through_the_form

oidc = pytest.importorskip("oidc_provider_mock")

EDITOR = "editor@example.org"  # an editor for Kentucky (granted before the app starts)
VIEWER = "viewer@example.org"  # signed in, no role: reads only
KY_PAGE = "/?page=partnerships&state=KY&scheme=county&region=21025&industry=healthcare"
OH_PAGE = "/?page=partnerships&state=OH&scheme=county&region=39049&industry=healthcare"
NAME = "Breathitt Health Careers Partnership"
#: As the sidebar shows it: user text is inert, a word joiner after the @ keeps it from becoming a mail link.
SIGNED_IN = re.compile(r"Signed in as editor@\u2060?example\.org")


@pytest.fixture(scope="module")
def provider():
    with oidc.run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory):
    """The signed-in app's own registry (SQLite), with the Kentucky editor granted through the command line."""
    db = tmp_path_factory.mktemp("auth-registry") / "registry.db"
    grant = [sys.executable, "-m", "dashboard", "db", "grant", EDITOR, "--role", "editor", "--state", "KY"]
    env = {**os.environ, "SECTOR_ATLAS_DB": str(db)}
    proc = subprocess.run(grant, cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory, artifacts, registry_db):
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
        artifacts / "server-sign-in.log",
        port=port,
        extra_args=("--secrets.files", str(secrets_file)),
        env={"SECTOR_ATLAS_DB": str(registry_db)},
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


def sign_in(page, app, provider: str, who: str) -> None:
    page.goto(app.base_url + "/?page=data-and-methods")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/authorize"))
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile("^" + re.escape(app.base_url)))
    page.get_by_text(re.compile("Signed in as " + re.escape(who).replace("@", "@\u2060?"))).wait_for()


def test_an_editor_records_in_their_state_only_and_a_viewer_reads(browser, signed_app, provider, registry_db):
    """Signed in as the Kentucky editor: a partnership recorded through the form is logged under the account;
    Ohio's partnerships show no form. Signed in as a viewer: Kentucky's show none either."""
    refused: list[tuple[str, str]] = []
    context = _context(browser, [signed_app.base_url, provider], refused)
    try:
        page = context.new_page()
        sign_in(page, signed_app, provider, EDITOR)
        open_app(page, signed_app.base_url + KY_PAGE)
        record_through_the_form(page, NAME, "active")
        engine = create_engine(f"sqlite:///{registry_db}")
        try:
            with engine.connect() as conn:
                names = conn.scalars(select(Partnership.name)).all()
                log = conn.execute(select(ChangeLog.actor, ChangeLog.record_table, ChangeLog.action)).all()
        finally:
            engine.dispose()
        assert names == [NAME]
        # the grant (made from the command line, as "local") is logged too
        assert [tuple(r) for r in log] == [("local", "app_user", "create"), (EDITOR, "partnership", "create")]

        # Ohio: the page says the editor cannot record there, and a partnership sent anyway is refused
        open_app(page, signed_app.base_url + OH_PAGE)
        page.get_by_text("may not record partnerships in Franklin County, OH", exact=False).wait_for()
        page.get_by_label("Name", exact=True).fill("Columbus Health Careers")
        page.get_by_label("Convener", exact=True).fill("a local workforce development board")
        _choose(page, "Kind of convener", "Workforce board")
        _click(page, "Record the partnership", then=page.get_by_text("may not change the registry's records for OH"))
        engine = create_engine(f"sqlite:///{registry_db}")
        try:
            with engine.connect() as conn:
                assert conn.scalars(select(Partnership.name)).all() == [NAME]
        finally:
            engine.dispose()
    finally:
        context.close()

    viewer = _context(browser, [signed_app.base_url, provider], refused)
    try:
        page = viewer.new_page()
        sign_in(page, signed_app, provider, VIEWER)
        open_app(page, signed_app.base_url + KY_PAGE)
        page.get_by_text("you can read the registry", exact=False).first.wait_for()
        assert page.get_by_role("button", name="Record the partnership").count() == 0
    finally:
        viewer.close()
    from_app = [url for url, frame in refused if frame.startswith(signed_app.base_url)]
    assert not from_app, f"the app's pages asked for outside addresses: {from_app}"
