"""What a user reads or downloads: the region profile, its tables and charts, the brief, the seat matrix,
comparisons, CSV exports and the Data and methods text.

Imports ``dashboard.data``, ``dashboard.analysis`` and ``dashboard.maps.classes``.
"""
