"""BEA Economic Areas: county -> economic area crosswalk.

Publisher: U.S. Bureau of Economic Analysis, Economic Areas (2004
definitions, Johnson and Kort, Survey of Current Business, Nov. 2004): 179
areas, each a metro/micro node and the counties that commute or trade with it.
File ``bea_economic_areas_county_crosswalk.csv`` (columns FIPS, County, EA,
EA Name), a CSV copy of BEA's county list.

Quirks handled:

- county names carry a state suffix ("Adams County, ND"; once "Co"), dropped;
- ``11999`` repeats the District of Columbia (11001) in the same area; codes
  ending in 999 are not counties, so those rows are dropped;
- BEA's Virginia combination areas (519xx: an independent city merged with
  its county) are valid codes and kept as they are: they do not join to
  Census counties. This copy has none; it lists the cities separately.
- an area number must always carry the same area name.

Geography is of the 2000s: Connecticut's eight old counties (09001-09015),
retired codes (12025 Dade, 46113 Shannon, 51515 Bedford city, 51560 Clifton
Forge, 51780 South Boston, pre-2008 Alaska areas such as 02201, 02232, 02280,
02261) and no Puerto Rico. Later codes (09110-09190 planning regions, 46102
Oglala Lakota, 02063/02066, 02105, 02195, 02198, 02230, 02275, 02158) are
absent and need a crosswalk to be placed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table
from dashboard.data.ingest.rows import drop_note_rows, finish, id_text, reject_duplicates, reject_rows, require_text

REQUIRED = ["FIPS", "County", "EA", "EA Name"]
OUTPUT = ["fips", "county_name", "ea_id", "ea_name"]


def read_bea_areas(path: str | Path) -> pd.DataFrame:
    """Columns: fips, county_name, ea_id (area number as text), ea_name."""
    raw = drop_note_rows(read_csv_table(path, REQUIRED))
    if raw.empty:
        raise SourceError(path, "no county rows under the header")
    out = pd.DataFrame(
        {
            "fips": pad_fips(raw["FIPS"], 5, path, "FIPS", raw["_line"]),
            "county_name": require_text(raw, "County", path).str.replace(r",\s*[A-Za-z]{2}$", "", regex=True),
            "ea_id": id_text(raw, "EA", path),
            "ea_name": require_text(raw, "EA Name", path),
            "_line": raw["_line"],
        }
    )
    out = out[~out["fips"].str.endswith("999")]
    reject_duplicates(out, "fips", path)
    _reject_renamed_areas(out, path)
    return finish(out, OUTPUT)


def _reject_renamed_areas(out: pd.DataFrame, path: str | Path) -> None:
    # A second name for one area number means rows from two vintages were mixed.
    first_name = out.groupby("ea_id")["ea_name"].transform("first")
    reject_rows(out["ea_name"] != first_name, out, path, "area {ea_id} is named {ea_name!r} here but differently above")
