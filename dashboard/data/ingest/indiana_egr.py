"""Indiana Economic Growth Regions (EGRs): county -> region 1-11.

Publisher: Indiana Department of Workforce Development groups the state's 92
counties into 11 Economic Growth Regions; the workforce system uses the same
areas except that Marion County (Indianapolis, in EGR 5) is its own local
workforce area 12. No single official table exists, so
``indiana_egr_counties_compiled.csv`` was compiled from public state and
WorkOne pages; each row names its source and how it was confirmed (direct,
partial, inferred).

Checks: exactly the 92 Indiana counties (FIPS 18xxx), each once; EGR in 1-11,
all 11 used; workforce area in 1-12. Anything else is an error naming the line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table
from dashboard.data.ingest.rows import drop_note_rows, finish, id_text, reject_duplicates, reject_rows, require_text

REQUIRED = ["fips", "county", "egr", "workforce_area", "confirmation", "source"]
OUTPUT = ["fips", "county_name", "egr_id", "workforce_area", "confirmation", "source"]
INDIANA_COUNTIES = 92
REGIONS = 11


def read_indiana_egr(path: str | Path) -> pd.DataFrame:
    """Columns: fips, county_name, egr_id ("1".."11"), workforce_area ("1".."12"), confirmation, source."""
    raw = drop_note_rows(read_csv_table(path, REQUIRED))
    out = pd.DataFrame(
        {
            "fips": _indiana_fips(raw, path),
            "county_name": require_text(raw, "county", path),
            "egr_id": id_text(raw, "egr", path, low=1, high=REGIONS),
            "workforce_area": id_text(raw, "workforce_area", path, low=1, high=REGIONS + 1),
            "confirmation": require_text(raw, "confirmation", path).str.lower(),
            "source": require_text(raw, "source", path),
            "_line": raw["_line"],
        }
    )
    reject_duplicates(out, "fips", path)
    _require_complete(out, path)
    return finish(out, OUTPUT)


def _indiana_fips(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    fips = pad_fips(raw["fips"], 5, path, "fips", raw["_line"])
    reject_rows(~fips.str.startswith("18"), raw.assign(_f=fips), path, "fips {_f} is not an Indiana county (18xxx)")
    return fips


def _require_complete(out: pd.DataFrame, path: str | Path) -> None:
    # A short list would silently leave counties without a region on the map.
    if len(out) != INDIANA_COUNTIES:
        raise SourceError(path, f"{len(out)} counties listed; Indiana has {INDIANA_COUNTIES}")
    unused = sorted(set(map(str, range(1, REGIONS + 1))) - set(out["egr_id"]), key=int)
    if unused:
        raise SourceError(path, f"no county assigned to EGR {', '.join(unused)}")
