"""A small style sheet for the whole app: legible on a projector, WCAG 2.1 AA contrast, no cut labels."""

from __future__ import annotations

import streamlit as st

#: Text at least 4.5:1 on white (#4a4a4a: 8.9:1); Streamlit draws captions at 60% opacity (about 3.8:1).
CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { opacity: 1 !important; color: #4a4a4a; }
/* a wider sidebar, so its selects show whole names ("Partnership sector: Advanced Manufacturing") */
section[data-testid="stSidebar"][data-collapsed="false"] { width: 24rem !important; min-width: 24rem !important; }
/* a projector's first screen (1280 x 720): less room above the title and a smaller title, so the map, its
   legend and the line on how to read it fit */
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.9rem !important; padding-top: 0.25rem !important; padding-bottom: 0.25rem !important; }
/* button labels wrap instead of ending in "..." ("Printable brief (HTML)" in a narrow column) */
[data-testid="stDownloadButton"] button, [data-testid="stButton"] button { height: auto; }
[data-testid="stDownloadButton"] button p, [data-testid="stButton"] button p { white-space: normal !important; text-overflow: clip !important; overflow: visible !important; }
</style>
"""


def apply() -> None:
    """Add the style sheet to the page (a style-only st.html takes no room on the page)."""
    st.html(CSS)
