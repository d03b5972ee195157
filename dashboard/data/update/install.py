"""Install one year of a yearly table beside the years already loaded, atomically, one update at a time.

Under the data folder's update lock (:mod:`dashboard.data.update.lock`), the
year's rows are put beside the tables and manifest *as installed now* (not as
they were when the download began, so two updates never lose each other's
year), checked as a whole (:mod:`dashboard.data.validate`), written to a
temporary folder inside the data folder (same file system), and only then
moved over the installed files with :func:`os.replace`, the manifest last,
with SIGTERM and SIGINT held back until the last move. Until that moment
nothing in the data folder changes; if anything fails before, the temporary
folder is removed and the installed data stay byte for byte as they were.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.data import table_rules, validate
from dashboard.data.build import MANIFEST, sha256, write_manifest, write_parquet
from dashboard.data.update.http import UpdateError
from dashboard.data.update.lock import clean_leftovers, update_lock

#: Row order of each yearly table, as the build writes it (the update's ``ORDER`` of each source).
ROW_ORDER = {
    "industry": ["year", "area_type", "area_fips", "own_code", "naics"],
    "national": ["year"],
    "cbp": ["area_type", "fips", "year", "naics"],
}
#: Signals held back while the files are moved into place, so a stop never leaves half an install.
HELD_SIGNALS = {signal.SIGTERM, signal.SIGINT}


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
    """Put the year of ``record`` from ``tables`` (name -> frame) beside the installed years, and move
    the tables and the updated manifest into place.

    ``source`` is the yearly source ("industry" or "cbp") whose years the
    manifest lists; ``record`` (what was fetched, from where, what was noted)
    is kept under ``updates[source][year]``. ``manifest`` is the one read when
    the update began; the one on disk when the lock is taken is the one updated.
    """
    data_dir = Path(data_dir)
    year = int(record["year"])
    try:
        with update_lock(data_dir):
            clean_leftovers(data_dir)
            current = {name: _with_year(data_dir, name, df, year) for name, df in tables.items()}
            for name, df in current.items():
                fault = table_rules.problem(name, df)
                if fault:  # the app would refuse the table: keep the installed one
                    raise UpdateError(str(data_dir / f"{name}.parquet"), f"the new {name} table is not sound ({fault})")
            check_year(data_dir, current, year, record)
            on_disk = read_manifest(data_dir) if (data_dir / MANIFEST).exists() else manifest
            return _install(data_dir, current, json.loads(json.dumps(on_disk)), source, record)
    except OSError as exc:  # a read-only folder, a full disk
        raise UpdateError(str(data_dir), f"cannot write the new tables ({exc.strerror or exc})") from None


def _with_year(data_dir: Path, name: str, table: pd.DataFrame, year: int) -> pd.DataFrame:
    """``table``'s rows of ``year`` beside the other years as installed now (another update may have
    installed a year since ``table`` was read)."""
    path = data_dir / f"{name}.parquet"
    if name not in ROW_ORDER or not path.exists():
        return table
    return replace_year(pd.read_parquet(path), table[table["year"] == year], year, ROW_ORDER[name])


def check_year(data_dir: Path, tables: dict[str, pd.DataFrame], year: int, record: dict) -> None:
    """The year's rows against :mod:`dashboard.data.validate`; a fault names the file it came from."""
    context = {}
    for name in ("industry", "national"):
        if name not in tables and (data_dir / f"{name}.parquet").exists():
            context[name] = pd.read_parquet(data_dir / f"{name}.parquet")
    try:
        validate.check(tables, years=[year], context=context)
    except validate.DataFault as exc:
        raise UpdateError(source_file(record, exc.table, exc.row), f"{exc}; nothing was installed") from None


def source_file(record: dict, table: str, row: dict) -> str:
    """The publisher's file a faulty row came from (its address), as near as the record tells."""
    source = str(record.get("source") or f"the new {table} rows")
    naics = row.get("naics")
    if "CODE" in source and naics:
        return source.replace("CODE", str(naics).replace("-", "_"))
    return source


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
        held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
        try:
            for name in tables:
                os.replace(tmp / f"{name}.parquet", data_dir / f"{name}.parquet")
            os.replace(tmp / MANIFEST, data_dir / MANIFEST)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return manifest
