"""Boundary polygons -> light geometry for web maps.

Counties are simplified as one coverage (shared edges stay shared, so no gaps
or slivers open between neighbours), then snapped to a coordinate grid to cut
the digits sent to the browser. Region polygons are dissolved from the full
county outlines first and simplified afterwards, for the same reason.

Geometry is stored as WKB in plain parquet (not GeoParquet) so the files carry
no library version strings and rebuild byte for byte.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Simplification tolerance and grid, in degrees. National: about 2 km, the
#: detail a whole-country map can show; state views: about 500 m.
DETAIL = {
    "us": {"tolerance": 0.02, "grid": 0.001},
    "state": {"tolerance": 0.004, "grid": 0.0005},
}


def simplify_coverage(geoms: np.ndarray, tolerance: float, grid: float) -> np.ndarray:
    simple = shapely.coverage_simplify(geoms, tolerance)
    snapped = shapely.set_precision(simple, grid)
    return shapely.make_valid(snapped)


def county_layers(counties: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    """County polygons at national and state detail, keyed by FIPS."""
    out = {}
    for detail, p in DETAIL.items():
        geoms = simplify_coverage(counties.geometry.values, p["tolerance"], p["grid"])
        out[f"counties_{detail}"] = to_table(counties[["fips", "name", "state_fips"]], geoms)
    return out


def dissolve_regions(counties: gpd.GeoDataFrame, scheme: pd.DataFrame) -> gpd.GeoDataFrame:
    """Union the county polygons of each region (``scheme``: fips, region_id, region_name)."""
    joined = counties[["fips", "state_fips", "geometry"]].merge(scheme, on="fips", how="inner")
    rows = []
    for region_id, g in joined.groupby("region_id", sort=True):
        rows.append({
            "region_id": region_id,
            "region_name": g["region_name"].iloc[0],
            # a region is shown in every state it touches
            "state_fips": ",".join(sorted(g["state_fips"].unique())),
            "geometry": shapely.coverage_union_all(g.geometry.values),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=counties.crs)


def region_layer(counties: gpd.GeoDataFrame, scheme: pd.DataFrame, detail: str = "state") -> pd.DataFrame:
    regions = dissolve_regions(counties, scheme)
    p = DETAIL[detail]
    geoms = simplify_coverage(regions.geometry.values, p["tolerance"], p["grid"])
    return to_table(regions[["region_id", "region_name", "state_fips"]], geoms)


def to_table(attrs: pd.DataFrame, geoms: np.ndarray) -> pd.DataFrame:
    table = attrs.reset_index(drop=True).copy()
    table["geometry_wkb"] = shapely.to_wkb(geoms, output_dimension=2, byte_order=1)
    return table
