"""Census cartographic boundary shapefiles (``cb_YYYY_us_county_20m`` and friends).

Read through pyogrio. The files are NAD83 (EPSG:4269); they are returned in
WGS 84 (EPSG:4326), the datum web maps expect. Keys are the official GEOIDs:
5-digit county FIPS (Connecticut as its 2022 planning regions 09110-09190)
or 2-digit state FIPS.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from dashboard.data.ingest.common import SourceError


def read_boundaries(path: str | Path) -> gpd.GeoDataFrame:
    """Read a county or state boundary shapefile: ``fips, name, state_fips, geometry``.

    ``path`` is the ``.shp`` file, its folder, or a ``.zip`` of it.
    """
    path = Path(path)
    if path.is_dir():
        shp = sorted(path.glob("*.shp"))
        if not shp:
            raise SourceError(path, "no .shp file in this folder")
        path = shp[0]
    if not path.exists():
        raise SourceError(path, "file not found")
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several GDAL error types
        raise SourceError(path, f"unreadable boundary file ({exc})") from exc
    missing = {"GEOID", "NAME", "STATEFP"} - set(gdf.columns)
    if missing:
        raise SourceError(path, f"missing attribute columns {sorted(missing)}")
    if gdf.crs is None:
        raise SourceError(path, "no coordinate reference system (.prj missing)")
    out = gpd.GeoDataFrame(
        {
            "fips": gdf["GEOID"].astype(str),
            "name": gdf["NAMELSAD"] if "NAMELSAD" in gdf else gdf["NAME"],
            "state_fips": gdf["STATEFP"].astype(str),
            "state_abbr": gdf["STUSPS"] if "STUSPS" in gdf else gdf.get("STUSPS", None),
        },
        geometry=gdf.geometry.to_crs(4326),
        crs=4326,
    )
    if out["fips"].duplicated().any():
        raise SourceError(path, f"GEOID {out['fips'][out['fips'].duplicated()].iloc[0]} appears twice")
    return out.sort_values("fips").reset_index(drop=True)
