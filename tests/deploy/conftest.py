"""Deployment tests: the wheel installed in a fresh venv, and replicas behind nginx, driven by Chromium.

Prerequisites beyond pip's: Debian's ``chromium`` and ``nginx`` (tests/browser/ci_setup.sh installs
both). Without them these tests are skipped, except under CI (``CI`` set), where they fail, as the browser
tests do (tests/browser/conftest.py). Every request a browser makes that does not go to the server under
test is refused and reported, as in the browser tests.
"""

from __future__ import annotations

import shutil

import pytest
from browser.conftest import ARTIFACTS, in_ci, missing_prerequisites

NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


def nginx_missing() -> list[str]:
    return [] if any(shutil.which(n) for n in NGINX_CANDIDATES) else ["nginx (apt-get install nginx)"]


def require(*what: str) -> None:
    """Skip (or under CI fail) unless ``what`` ("browser", "nginx") is there."""
    missing = []
    if "browser" in what:
        missing += missing_prerequisites()
    if "nginx" in what:
        missing += nginx_missing()
    if not missing:
        return
    if in_ci():
        pytest.fail(
            "CI is set but the deployment tests' prerequisites are missing: "
            + "; ".join(missing)
            + ". Run tests/browser/ci_setup.sh first.",
            pytrace=False,
        )
    pytest.skip("deployment tests need: " + "; ".join(missing))


@pytest.fixture(scope="session")
def deploy_artifacts():
    """test-artifacts/deploy/: logs, the nginx folders and the figures of the runs."""
    path = ARTIFACTS.parent / "deploy"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    """Three replicas behind nginx, started as the README says (``python -m dashboard serve ...``), for the session.

    Its log and nginx's folder (config, access log) are in pytest's temporary folder of this run
    (``serve.log``, ``nginx/``), never shared with another run of the tests.
    """
    require("browser", "nginx")
    from browser.server import ServerError

    from .deployment import running_deployment

    folder = tmp_path_factory.mktemp("deployment")
    try:
        with running_deployment(folder / "serve.log", folder / "nginx", replicas=3) as d:
            yield d
    except ServerError as e:
        pytest.fail(str(e), pytrace=False)
