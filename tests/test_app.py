"""The entrypoint renders, states which data are loaded, and names every source."""

from streamlit.testing.v1 import AppTest

from dashboard import paths, store
from dashboard.sources import SOURCES


def test_app_lists_loaded_data_and_sources():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Sector Atlas"
    loaded, sources = at.dataframe[0].value, at.dataframe[1].value
    assert set(loaded["file"]) == set(store.manifest()["files"])
    assert loaded["present"].all()
    assert list(sources["data"]) == list(SOURCES)
    assert "2016" in set(sources["vintage"])
    assert not at.error and not at.warning
