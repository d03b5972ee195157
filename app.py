"""Sector Atlas entrypoint: states which official data are loaded.

The maps and profiles arrive as pages; until then this page proves the data
layer works on a fresh clone.
"""

import streamlit as st

from dashboard.sources import SOURCES
from dashboard.store import DataMissingError, data_status

st.set_page_config(page_title="Sector Atlas", layout="wide")
st.title("Sector Atlas")
st.write("Industry concentration and workforce composition for US regions, from official data.")

status = data_status()
if status.empty:
    st.error(str(DataMissingError("The processed data (data/manifest.json) are missing. Rebuild them with: python -m dashboard build")))
else:
    missing = status[~status["present"]]
    if not missing.empty:
        st.warning(f"{len(missing)} processed files are missing: {', '.join(missing['file'])}. Rebuild with: python -m dashboard build")
    st.subheader("Data loaded")
    st.dataframe(status, hide_index=True)

st.subheader("Sources and vintages")
st.dataframe(
    [{"data": key, "publisher": s.publisher, "product": s.product, "vintage": s.vintage} for key, s in SOURCES.items()],
    hide_index=True,
)
