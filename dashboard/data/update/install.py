"""Install one year of a yearly table beside the years already loaded, atomically.

The new tables and manifest are written to a temporary folder inside the data
folder (same file system), checked, and only then moved over the installed
files with :func:`os.replace`, the manifest last. Until that moment nothing in
the data folder changes; if anything fails before, the temporary folder is
removed and the installed data stay byte for byte as they were.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.data import table_rules
from dashboard.data.build import MANIFEST, sha256, write_manifest, write_parquet
from dashboard.data.update.http import UpdateError


def read_installed(data_dir: Path, name: str) -> pd.DataFrame:
    path = data_dir / f"{name}.parquet"
    if not path.exists():
        raise UpdateError(str(path), "installed table is missing; build the data first: python -m dashboard build")
    return pd.read_parquet(path)


def read_manifest(data_dir: Path) -> dict:
    path = data_dir / MANIFEST
    if not path.exists():
        raise UpdateError(str(path), "manifest is missing; build the data first: python -m dashboard build")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UpdateError(str(path), f"unreadable manifest ({exc})") from None


def replace_year(installed: pd.DataFrame, new: pd.DataFrame, year: int, order: list[str]) -> pd.DataFrame:
    """``installed`` without ``year``, plus ``new`` (that year's rows), in the build's row order.

    Columns and types follow ``installed``; a column the new rows lack is an error, not a blank.
    """
    missing = [c for c in installed.columns if c not in new.columns]
    if missing:
        raise UpdateError("", f"the new {year} rows lack columns {missing}")
    new = new[list(installed.columns)]
    keep = installed[installed["year"] != year]
    if len(keep):
        new = new.astype(keep.dtypes.to_dict())
        out = pd.concat([keep, new], ignore_index=True)
    else:
        out = new.reset_index(drop=True)
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def install(data_dir: Path, tables: dict[str, pd.DataFrame], manifest: dict, source: str, record: dict) -> dict:
    """Write ``tables`` (name -> frame) and the updated manifest, then move them into place.

    ``source`` is the yearly source ("industry" or "cbp") whose years the
    manifest lists; ``record`` (what was fetched, from where, what was noted)
    is kept under ``updates[source][year]``.
    """
    data_dir = Path(data_dir)
    for name, df in tables.items():
        fault = table_rules.problem(name, df)
        if fault:  # the app would refuse the table: keep the installed one
            raise UpdateError(str(data_dir / f"{name}.parquet"), f"the new {name} table is not sound ({fault})")
    try:
        return _install(data_dir, tables, json.loads(json.dumps(manifest)), source, record)
    except OSError as exc:  # a read-only folder, a full disk
        raise UpdateError(str(data_dir), f"cannot write the new tables ({exc.strerror or exc})") from None


def _install(data_dir: Path, tables: dict[str, pd.DataFrame], manifest: dict, source: str, record: dict) -> dict:
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".update-") as tmp:
        tmp = Path(tmp)
        for name, df in tables.items():
            dest = tmp / f"{name}.parquet"
            write_parquet(df, dest)
            manifest.setdefault("files", {})[f"data/{name}.parquet"] = {"sha256": sha256(dest), "rows": len(df)}
            if name == source:
                manifest.setdefault("years", {})[source] = sorted(int(y) for y in df["year"].unique())
        manifest["files"] = dict(sorted(manifest["files"].items()))
        updates = manifest.setdefault("updates", {}).setdefault(source, {})
        updates[str(record["year"])] = record
        manifest["updates"][source] = dict(sorted(updates.items()))
        write_manifest(manifest, tmp)
        for name in tables:
            os.replace(tmp / f"{name}.parquet", data_dir / f"{name}.parquet")
        os.replace(tmp / MANIFEST, data_dir / MANIFEST)
    return manifest
