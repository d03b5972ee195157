"""Fixtures shared across test modules: the committed processed tables."""

import pytest

from dashboard import store


@pytest.fixture(scope="session")
def industry():
    return store.load_table("industry")


@pytest.fixture(scope="session")
def national():
    return store.load_table("national").set_index(["own_code", "naics"])
