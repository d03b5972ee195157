"""What the figures mean: regions, measures and their ranges (bounds), candidate sectors, workforce
composition, careers, the seats a table needs, uploads of custom regions, and how numbers are written.

Imports only ``dashboard.data``.
"""
