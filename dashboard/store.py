"""Load the processed data under ``data/`` (built by ``python -m dashboard build``).

Loaders are cached per process, so every caller (and every app session)
shares one copy of each table.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .catalogue import GEO_LAYERS

TABLES = {
    "industry": "industry.parquet",
    "national": "national.parquet",
    "cbp": "cbp.parquet",
    "workforce": "workforce.parquet",
    "regions": "regions.parquet",
}


class DataMissingError(FileNotFoundError):
    """A processed data file is absent: the build has not been run."""


def _path(name: str, data_dir: Path | None = None) -> Path:
    path = (data_dir or paths.DATA_DIR) / name
    if not path.exists():
        raise DataMissingError(
            f"Processed data file {path.name} is missing from {path.parent}. "
            "Rebuild it with: python -m dashboard build"
        )
    return path


@lru_cache(maxsize=None)
def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One of :data:`TABLES` by key (``"industry"``, ``"workforce"``...)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known: {sorted(TABLES)}")
    return pd.read_parquet(_path(TABLES[name], data_dir))


@lru_cache(maxsize=None)
def load_geometry(layer: str, data_dir: Path | None = None):
    """A web geometry layer (WGS 84) as a GeoDataFrame, by name, see :data:`GEO_LAYERS`."""
    # geometry libraries load only when a map or polygon is asked for (the CLI profile needs none)
    import geopandas as gpd
    import shapely

    if layer not in GEO_LAYERS:
        raise KeyError(f"unknown geometry layer {layer!r}; known: {GEO_LAYERS}")
    table = pd.read_parquet(_path(f"geo/{layer}.parquet", data_dir))
    geoms = shapely.from_wkb(table.pop("geometry_wkb").to_numpy())
    return gpd.GeoDataFrame(table, geometry=geoms, crs=4326)


def manifest(data_dir: Path | None = None) -> dict:
    return json.loads(_path("manifest.json", data_dir).read_text())


def data_status(data_dir: Path | None = None) -> pd.DataFrame:
    """Which processed files are present, with their row counts."""
    root = (data_dir or paths.DATA_DIR).parent
    try:
        files = manifest(data_dir)["files"]
    except DataMissingError:
        files = {}
    rows = [{"file": rel, "rows": info.get("rows"), "present": (root / rel).exists()} for rel, info in files.items()]
    return pd.DataFrame(rows, columns=["file", "rows", "present"])
