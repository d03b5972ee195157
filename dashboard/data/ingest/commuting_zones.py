"""2020 commuting zones: county -> CZ crosswalk.

Publisher: Christopher S. Fowler, "Commuting Zones 2020" (2024), built from
ACS 2016-2020 county-to-county commuting flows; doi 10.17605/OSF.IO/J256U.
File ``cz20_county20.csv``: columns GEOID (county FIPS) and CZ20 (zone number),
3,222 counties in 593 zones; the file carries no zone names.

Quirks handled:

- GEOID is quoted text; copies re-saved by spreadsheets lose the leading zero,
  so it is zero-padded to 5 digits;
- CZ20 is kept as text without decimals ("3", never "3.0");
- Connecticut appears as its nine 2022 planning regions (09110-09190), all in
  one zone; Puerto Rico's 78 municipios are included.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table
from dashboard.data.ingest.rows import drop_note_rows, finish, id_text, reject_duplicates

REQUIRED = ["GEOID", "CZ20"]


def read_commuting_zones(path: str | Path) -> pd.DataFrame:
    """Columns: fips (5-digit text), cz_id (zone number as text)."""
    raw = drop_note_rows(read_csv_table(path, REQUIRED))
    if raw.empty:
        raise SourceError(path, "no county rows under the header")
    out = pd.DataFrame(
        {
            "fips": pad_fips(raw["GEOID"], 5, path, "GEOID", raw["_line"]),
            "cz_id": id_text(raw, "CZ20", path),
            "_line": raw["_line"],
        }
    )
    reject_duplicates(out, "fips", path)
    return finish(out, ["fips", "cz_id"])
