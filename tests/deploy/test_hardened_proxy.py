"""Through nginx (deploy/nginx.conf), what a replica would tell anyone stays behind it: no metrics, no host
settings of its own, no static file readable by any origin, no inline script but the pages' own; and the
longest link the app writes is accepted. Each check is made beside the replica's own answer, which shows
what nginx holds back."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from dashboard.analysis.regions import CUSTOM, list_regions
from dashboard.ui import links

from .test_proxy_headers import fetch

STATIC = "/app/static/leaflet/leaflet.js"


def test_metrics_are_not_passed_on(deployment):
    status, _, _ = fetch(deployment.replica_url(1) + "/_stcore/metrics")
    assert status == 200  # what a replica tells whoever asks it
    status, _, body = fetch(deployment.base_url + "/_stcore/metrics")
    assert status == 404
    assert b"session" not in body


def test_host_config_is_nginx_s_own_answer(deployment):
    status, headers, body = fetch(deployment.base_url + "/_stcore/host-config")
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    settings = json.loads(body)
    assert settings["allowedOrigins"] == []
    assert settings["metricsUrl"] == ""
    replica = json.loads(fetch(deployment.replica_url(1) + "/_stcore/host-config")[2])
    assert set(settings) == set(replica)  # the frontend finds every setting it reads


def test_static_files_are_not_open_to_every_origin(deployment):
    _, direct, _ = fetch(deployment.replica_url(1) + STATIC)
    assert direct.get("access-control-allow-origin") == "*"  # Streamlit's own header
    status, headers, _ = fetch(deployment.base_url + STATIC)
    assert status == 200
    assert "access-control-allow-origin" not in headers


def _script_src(url: str) -> str:
    _, headers, _ = fetch(url)
    return next(d for d in headers["content-security-policy"].split(";") if "script-src" in d)


def test_the_app_s_pages_allow_no_inline_script_but_their_own(deployment):
    """The app's pages: only Streamlit's own inline script, by hash (test_proxy_headers draws both maps in
    Chromium under this policy with no violation). The map component's iframe writes each map's code
    inline, so its pages alone keep 'unsafe-inline'."""
    for path in ("/", "/region-profile", "/app/static/leaflet/leaflet.js"):
        script_src = _script_src(deployment.base_url + path)
        assert "'unsafe-inline'" not in script_src, script_src
        assert "'sha256-" in script_src, script_src
    component = _script_src(deployment.base_url + "/component/streamlit_folium.st_folium/index.html")
    assert "'unsafe-inline'" in component and "'sha256-" not in component


def test_the_longest_link_the_app_writes_is_accepted(deployment):
    """A custom region of every US county: the link the Custom regions page writes for it."""
    counties = tuple(sorted(list_regions("county")["region_id"]))
    view = {**links.parse_query({})[0], "scheme": CUSTOM, "counties": counties, "name": "Every county"}
    query = urlencode(links.to_query(view), safe=",")
    assert len(query) > 18_000
    status, _, _ = fetch(f"{deployment.base_url}/?{query}")
    assert status == 200
