"""What users record: partnerships, their members, self-assessments and outcomes, in a real database.

Beside :mod:`dashboard.analysis` (neither imports the other): it reads the catalogues of :mod:`dashboard.data`
(sectors, seats, metrics, regions) to check what it stores. :mod:`.database` opens the database (SQLite by default,
PostgreSQL by URL), :mod:`.migrate` keeps its schema current, :mod:`.write` is the one way to change it (every
write names its actor, is checked, versioned and logged), :mod:`.queries` reads it, :mod:`.csvio` imports and
exports the one CSV template.
"""
