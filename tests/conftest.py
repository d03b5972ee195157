"""Fixtures shared across test modules: the committed processed tables, the app's downloads."""

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from dashboard.data import store


@pytest.fixture(scope="session", autouse=True)
def saved_regions_folder(tmp_path_factory):
    """Custom regions the app keeps on the server go to a folder of this test run (not the user's cache)."""
    import os

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
