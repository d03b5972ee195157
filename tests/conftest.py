"""Fixtures shared across test modules: the committed processed tables, the app's downloads."""

import os

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from dashboard.data import store


@pytest.fixture(autouse=True, scope="session")
def _registry_in_a_temporary_folder(tmp_path_factory):
    """Pages that read the partnership registry use an empty one of the run's own, never the user's."""
    if not os.environ.get("SECTOR_ATLAS_DB"):
        os.environ["SECTOR_ATLAS_DB"] = str(tmp_path_factory.mktemp("registry") / "registry.db")
    yield


@pytest.fixture(scope="session", autouse=True)
def saved_regions_folder(tmp_path_factory):
    """Custom regions the app keeps on the server go to a folder of this test run (not the user's cache)."""
    os.environ["SECTOR_ATLAS_SAVED"] = str(tmp_path_factory.mktemp("saved-regions"))
    yield


@pytest.fixture(scope="session")
def industry():
    return store.load_table("industry")


@pytest.fixture(scope="session")
def national():
    return store.load_table("national").set_index(["own_code", "naics"])


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes of every download button the app draws, by file name."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


#: Test files whose module-scoped fixtures cost much: installing whole years through ``update`` (a minute or
#: two each), serving a year's files, running four profiles side by side, reading Indiana's raw archive, solving
#: the ranges of a second year (test_years: about 25 s, once per process). All of
#: a file's tests run on one worker, so each fixture is built once rather than once per worker.
ONE_WORKER_FILES = (
    "test_update.py",
    "test_update_naics.py",
    "test_update_hardening.py",
    "test_cli.py",
    "test_bounds.py",
    "test_years.py",
)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups (it is registered later, so runs first)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``-n 2 --dist loadgroup``), the browser tests share one app server and the
    deployment tests one nginx with its replicas: each group runs on one worker, so each server starts
    once; the files that install years keep to one worker each; the other tests are spread over the workers."""
    for item in items:
        parts = item.path.parts
        if "tests" in parts:
            folder = parts[parts.index("tests") + 1] if len(parts) > parts.index("tests") + 1 else ""
            if folder in ("browser", "deploy"):
                item.add_marker(pytest.mark.xdist_group(folder))
            elif item.path.name in ONE_WORKER_FILES:
                item.add_marker(pytest.mark.xdist_group(item.path.stem))
