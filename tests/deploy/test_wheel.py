"""The wheel, as a new user installs it: built from this tree, installed (not editable) into a fresh venv
outside the checkout, then run from another folder: the command line (``sector-atlas`` and
``python -m dashboard``) and the app (``sector-atlas serve``), whose map a browser draws.

The fresh venv has no access to the checkout or to the test venv's packages: pip installs the wheel's
dependencies as it would for anyone (from the package index, or its cache). Its figures (seconds per
step) go to test-artifacts/deploy/wheel.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from browser.server import ServerError, free_port, healthy, stop

from .browsing import Watch, in_thread, launch, open_view, violations
from .conftest import require

ROOT = Path(__file__).resolve().parents[2]
#: What `pip install .` builds from: the package, the app, its config, the committed data, the deployment files.
SOURCES = ["pyproject.toml", "README.md", "app.py", "pages", "dashboard", ".streamlit", "data", "shapefiles", "deploy"]
INSTALL_TIMEOUT = 900  # seconds for pip to install the wheel and its dependencies (downloads when not cached)
START_TIMEOUT = 120


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def _clean_env(home: Path) -> dict[str, str]:
    """This machine's environment less anything that would lead Python to the checkout or the test venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "SECTOR_ATLAS", "STREAMLIT", "PYTEST"))
    }
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PYTHONNOUSERSITE="1")
    if "PIP_CACHE_DIR" not in os.environ:  # keep pip's own cache: the dependencies are the same for every run
        env["PIP_CACHE_DIR"] = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, home, figures): the wheel installed into a fresh venv, and an empty home folder to run it from."""
    require("browser")
    base = tmp_path_factory.mktemp("wheel")
    figures: dict[str, float] = {}
    src, dist, venv, home = base / "src", base / "dist", base / "venv", base / "home"
    home.mkdir()
    env = _clean_env(home)

    t0 = time.perf_counter()
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static"))
        else:
            shutil.copy2(path, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], base, env)
    wheels = list(dist.glob("sector_atlas-*.whl"))
    assert len(wheels) == 1, wheels
    figures["build_seconds"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _run([sys.executable, "-m", "venv", str(venv)], base, env)
    # --no-compile: what is under test is the wheel's content, not pip byte-compiling every dependency ahead of
    # time (Python compiles what the app imports as it imports it)
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile", str(wheels[0])],
        base,
        env,
        timeout=INSTALL_TIMEOUT,
    )
    figures["install_seconds"] = time.perf_counter() - t0
    return venv, home, env, wheels[0], figures


def test_the_wheel_holds_the_app_its_config_and_the_committed_data(installed):
    _, _, _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "dashboard/_root/app.py",
        "dashboard/_root/.streamlit/config.toml",
        "dashboard/_root/deploy/nginx.conf",
        "dashboard/_root/data/manifest.json",
        "dashboard/_root/data/seat_rules.toml",
    }
    expected |= {
        f"dashboard/_root/{p.relative_to(ROOT).as_posix()}"
        for pattern in ("pages/*.py", "data/*.parquet", "data/geo/*.parquet", "data/*.toml", "shapefiles/*/*")
        for p in ROOT.glob(pattern)
    }
    assert expected - names == set()
    manifest = json.loads((ROOT / "data" / "manifest.json").read_text())
    assert {f"dashboard/_root/{rel}" for rel in manifest["files"]} <= names, "every file the manifest lists"


def test_the_command_line_works_from_any_folder(installed):
    venv, home, env, _, figures = installed
    site = next((venv / "lib").glob("python3*/site-packages"))
    t0 = time.perf_counter()
    for cmd in ([str(venv / "bin" / "sector-atlas")], [str(venv / "bin" / "python"), "-m", "dashboard"]):
        done = _run([*cmd, "profile", "--scheme", "county", "--region", "18097"], home, env)
        profile = json.loads(done.stdout)
        assert "Marion" in json.dumps(profile)[:2000], "the profile of Marion County, Indiana"
        assert done.stderr.strip() == ""
    figures["cli_seconds"] = (time.perf_counter() - t0) / 2
    # the code ran from the fresh venv, not from the checkout
    code = (
        "import dashboard, dashboard.data.paths as p; print(dashboard.__file__); print(p.INSTALLED); print(p.DATA_DIR)"
    )
    done = _run([str(venv / "bin" / "python"), "-c", code], home, env)
    file, is_installed, data = done.stdout.split("\n")[:3]
    assert Path(file).is_relative_to(site) and is_installed == "True" and Path(data).is_relative_to(site)
    # a wrong region is one line and exit 2, as in the checkout
    bad = subprocess.run(
        [str(venv / "bin" / "sector-atlas"), "profile", "--scheme", "county", "--region", "99999"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


async def _map(base_url: str, artifacts: Path) -> dict:
    from playwright.async_api import async_playwright

    watch = Watch(base_url)
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            context = await watch.context(browser)
            page = await context.new_page()
            watch.watch_page(page)
            regions = await open_view(page, f"{base_url}/?state=IN&scheme=county&industry=advanced-manufacturing", True)
            await page.screenshot(path=str(artifacts / "wheel-industry-map.png"), full_page=True)
            problems = [
                t
                for t in await page.locator('[data-testid="stException"], [data-testid="stAlert"]').all_inner_texts()
                if "Page not found" not in t
            ]
            found = await violations(page)
            await context.close()
        finally:
            await browser.close()
    return {
        "regions": regions,
        "problems": problems,
        "refused": watch.refused,
        "errors": watch.page_errors,
        "violations": found,
    }


def test_serve_runs_the_packaged_app_from_any_folder(installed, deploy_artifacts):
    venv, home, env, _, figures = installed
    site = next((venv / "lib").glob("python3*/site-packages"))
    before = sorted(p.relative_to(site) for p in (site / "dashboard").rglob("*") if "__pycache__" not in p.parts)
    port = free_port()
    log_path = deploy_artifacts / "wheel-serve.log"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(venv / "bin" / "sector-atlas"), "serve", "--port", str(port)],
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        while not healthy(url):
            if proc.poll() is not None or time.perf_counter() - t0 > START_TIMEOUT:
                raise ServerError(
                    f"sector-atlas serve did not answer; log:\n{log_path.read_text(errors='replace')[-4000:]}"
                )
            time.sleep(0.3)
        figures["serve_start_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        seen = in_thread(_map, url, deploy_artifacts)
        figures["map_seconds"] = time.perf_counter() - t0
    finally:
        stop(proc)
    (deploy_artifacts / "wheel.json").write_text(json.dumps(figures, indent=1))

    assert seen["regions"] == 92, "every Indiana county drawn"
    assert seen["problems"] == [] and seen["errors"] == [] and seen["refused"] == [] and seen["violations"] == []
    # Leaflet was copied to the per-user run folder, nothing was written into the installed package
    runs = list((home / ".cache" / "sector-atlas").glob("app-*"))
    assert len(runs) == 1 and (runs[0] / "static" / "leaflet" / "leaflet.js").is_file()
    assert (runs[0] / "app.py").resolve() == site / "dashboard" / "_root" / "app.py"
    after = sorted(p.relative_to(site) for p in (site / "dashboard").rglob("*") if "__pycache__" not in p.parts)
    assert after == before
