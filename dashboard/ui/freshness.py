"""A running app shows the data folder as it is now: when its files change (``python -m dashboard update``
installed a year, a file was rebuilt), every cached figure is dropped and read again."""

from __future__ import annotations

import streamlit as st

from dashboard.data import caches, paths

#: The data folder's file signature the cached figures were read from, per folder (one server process).
_READ_FROM: dict[str, tuple] = {}


def reload_if_changed(signature: tuple) -> bool:
    """Drop every cached figure (the package's and Streamlit's) when ``signature`` (:func:`store.check_data`)
    differs from the one the caches were filled from; True when it did."""
    folder = str(paths.DATA_DIR)
    before = _READ_FROM.get(folder)
    _READ_FROM[folder] = signature
    if before is None or before == signature:
        return False
    caches.clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    return True
