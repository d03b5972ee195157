"""Streamlit helpers shared by the pages: view state, sidebar, cached builders, rendering.

The only part of the package that imports Streamlit; pages import from here
and from the core, the core never imports this.
"""
