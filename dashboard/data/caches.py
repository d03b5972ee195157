"""Forget every figure the package has read or worked out, so the next call reads the data folder as it is.

The package keeps what it reads in caches that each offer ``cache_clear``
(``functools`` caches, and the year's cell matrices in :mod:`dashboard.analysis.measures`);
a running app calls :func:`clear` when
the data folder's files change (an update installed a year, a file was
replaced), so it shows the new files without a restart.
"""

from __future__ import annotations

import sys


def clear() -> int:
    """Empty every cache of every loaded ``dashboard`` module; returns how many were emptied."""
    emptied = 0
    for name, module in list(sys.modules.items()):
        if name != "dashboard" and not name.startswith("dashboard."):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
                emptied += 1
    return emptied
