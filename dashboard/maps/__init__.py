"""The choropleth maps: classes and legends, the per-region figures a map shows, the drawn layer, its framing
and the coverage note under it.

Imports ``dashboard.data`` and ``dashboard.analysis``.
"""
