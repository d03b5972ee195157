"""Load the processed data under ``data/`` (built by ``python -m dashboard build``).

Loaders are cached per process, so every caller (and every app session)
shares one copy of each table.

A data file that is absent raises :class:`DataMissingError`; one that is there
but cannot be used (empty, truncated, not Parquet or JSON, columns missing or
of the wrong kind, no rows) raises :class:`DataFileError`. Both are
:class:`DataError`, and their message names the file and says what to do, in
one line: the app shows it instead of the page, the command line prints it.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.data import paths, table_rules
from dashboard.data.catalogue import GEO_LAYERS

TABLES = {
    "industry": "industry.parquet",
    "national": "national.parquet",
    "cbp": "cbp.parquet",
    "workforce": "workforce.parquet",
    "regions": "regions.parquet",
    "occ_staffing": "occ_staffing.parquet",
    "occ_wages": "occ_wages.parquet",
    "occupations": "occupations.parquet",
}


#: The columns every processed table must have, and their kind (what the code relies on).
COLUMNS = {
    "industry.parquet": {
        "area_fips": "string",
        "area_type": "string",
        "area_title": "string",
        "industry_title": "string",
        "own_code": "number",
        "naics": "string",
        "naics_level": "number",
        "year": "number",
        "suppressed": "bool",
        "estabs": "number",
        "emplvl": "number",
        "total_wages": "number",
        "avg_annual_pay": "number",
        "oty_emplvl_chg": "number",
        "lq_published": "number",
    },
    "national.parquet": {
        "year": "number",
        "own_code": "number",
        "naics": "string",
        "title": "string",
        "naics_level": "number",
        "us_share": "number",
        "us_emplvl": "number",
        "us_oty_growth": "number",
    },
    "cbp.parquet": {
        "fips": "string",
        "area_type": "string",
        "year": "number",
        "naics": "string",
        "naics_level": "number",
        "estab": "number",
        "emp": "number",
        "payann": "number",
        "withheld": "bool",
    },
    "workforce.parquet": {
        "fips": "string",
        "county_name": "string",
        "state_fips": "string",
        "population": "number",
        "adults_25plus": "number",
        "less_than_hs": "number",
        "hs_only": "number",
        "poverty_count": "number",
        "poverty_universe": "number",
        "child_poverty_count": "number",
        "child_poverty_universe": "number",
        "median_household_income": "number",
        "households": "number",
        "pov150": "number",
        "pov150_universe": "number",
        "limited_english": "number",
        "limited_english_universe": "number",
        "no_vehicle": "number",
        "no_vehicle_universe": "number",
        "disability": "number",
        "disability_universe": "number",
        "uninsured": "number",
        "uninsured_universe": "number",
        "no_internet": "number",
        "no_internet_universe": "number",
        "age17": "number",
        "age17_universe": "number",
        "labor_force": "number",
        "unemployed": "number",
        "rucc": "number",
    },
    "regions.parquet": {"scheme": "string", "fips": "string", "region_id": "string", "region_name": "string"},
    "occ_staffing.parquet": {"naics": "string", "occ_code": "string", "tot_emp": "number"},
    "occ_wages.parquet": {
        "area": "string",
        "area_kind": "string",
        "cbsa": "string",
        "area_title": "string",
        "occ_code": "string",
        "a_median": "number",
        "a_median_topcoded": "bool",
    },
    "occupations.parquet": {
        "occ_code": "string",
        "title": "string",
        "education": "string",
        "experience": "string",
        "training": "string",
        "change_pct": "number",
        "openings": "number",
        "job_zone_min": "number",
        "job_zone_max": "number",
    },
}
_GEO_COUNTIES = {"fips": "string", "name": "string", "state_fips": "string", "geometry_wkb": "binary"}
_GEO_REGIONS = {"region_id": "string", "region_name": "string", "state_fips": "string", "geometry_wkb": "binary"}
REBUILD = "Rebuild it with: python -m dashboard build"


class DataError(Exception):
    """A data file the app needs is missing or cannot be used; the message names it and says what to do.

    The message names files relative to the data folder (what a user of the app may see);
    ``folder`` is the data folder, for the command line to add.
    """

    folder: Path | None = None


class DataMissingError(DataError, FileNotFoundError):
    """A processed data file is absent: the build has not been run."""

    path: Path | None = None
    problem = "the file is missing"


class DataFileError(DataError, ValueError):
    """A data file that is there but cannot be used (empty, truncated, wrong format, columns or content)."""

    def __init__(self, path: Path | str, problem: str, remedy: str = REBUILD):
        path = Path(path)
        self.path, self.problem, self.folder = path, problem, _folder(path)
        super().__init__(f"Data file {_rel(path)} cannot be used: {problem}. {remedy}")


def _folder(path: Path) -> Path:
    """The data folder a file is in (its own folder when it is not under the data folder)."""
    return paths.DATA_DIR if Path(path).is_relative_to(paths.DATA_DIR) else Path(path).parent


def _rel(path: Path) -> str:
    """A data file's name as messages give it: relative to the data folder (``geo/regions_cz.parquet``)."""
    try:
        return Path(path).relative_to(paths.DATA_DIR).as_posix()
    except ValueError:
        return Path(path).name


def _path(name: str, data_dir: Path | None = None) -> Path:
    path = (data_dir or paths.DATA_DIR) / name
    if not path.exists():
        exc = DataMissingError(f"Processed data file {_rel(path)} is missing. {REBUILD}")
        exc.path, exc.folder = path, _folder(path)
        raise exc
    return path


def _kind(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):  # a categorical column holds values of its dictionary's kind
        return _kind(t.value_type)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "binary"
    if pa.types.is_null(t):
        return "empty"
    return str(t)


def _columns_of(name: str) -> dict[str, str]:
    """The columns a file must have (none listed: only readable, with rows)."""
    if name.startswith("geo/"):
        return _GEO_COUNTIES if name.startswith("geo/counties_") else _GEO_REGIONS
    return COLUMNS.get(name, {})


def _check_schema(path: Path, schema: pa.Schema, expected: dict[str, str]) -> None:
    have = {n: _kind(t) for n, t in zip(schema.names, schema.types)}
    missing = [c for c in expected if c not in have]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise DataFileError(path, f"columns missing: {', '.join(missing[:5])}{more}")
    wrong = [f"{c} is {have[c]}, not {k}" for c, k in expected.items() if have[c] != k]
    if wrong:
        raise DataFileError(path, f"columns of the wrong kind: {'; '.join(wrong[:3])}")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _read_parquet(name: str, data_dir: Path | None, columns: list[str] | None = None) -> pd.DataFrame:
    """A processed Parquet file, checked: readable, the expected columns of the expected kinds, some rows."""
    path = _path(name, data_dir)
    if path.stat().st_size == 0:
        raise DataFileError(path, "the file is empty (0 bytes)")
    try:
        table = pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DataFileError(path, f"not a readable Parquet file ({_reason(exc)})") from exc
    _check_schema(path, table.schema, _columns_of(name))
    if table.num_rows == 0:
        raise DataFileError(path, "the table has no rows")
    try:
        return table.to_pandas()
    except (pa.ArrowException, ValueError) as exc:
        raise DataFileError(path, f"its values cannot be read ({_reason(exc)})") from exc


@cache
def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One of :data:`TABLES` by key (``"industry"``, ``"workforce"``...)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known: {sorted(TABLES)}")
    table = _read_parquet(TABLES[name], data_dir)
    fault = table_rules.problem(name, table)
    if not fault and name in table_rules.SAME_YEARS:
        other = table_rules.SAME_YEARS[name]
        fault = table_rules.year_mismatch(name, table["year"].unique(), _years_of(other, data_dir))
    if fault:
        raise DataFileError(_path(TABLES[name], data_dir), f"not the figures the build writes ({fault})")
    return table


def _years_of(name: str, data_dir: Path | None):
    """The years table ``name`` holds (its year column only)."""
    path = _path(TABLES[name], data_dir)
    try:
        return pq.read_table(path, columns=["year"]).column("year").to_pandas().unique()
    except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
        raise DataFileError(path, f"not a readable Parquet file ({_reason(exc)})") from exc


@cache
def load_geometry(layer: str, data_dir: Path | None = None):
    """A web geometry layer (WGS 84) as a GeoDataFrame, by name, see :data:`GEO_LAYERS`."""
    # geometry libraries load only when a map or polygon is asked for (the CLI profile needs none)
    import geopandas as gpd
    import shapely

    if layer not in GEO_LAYERS:
        raise KeyError(f"unknown geometry layer {layer!r}; known: {GEO_LAYERS}")
    name = f"geo/{layer}.parquet"
    table = _read_parquet(name, data_dir)
    try:
        geoms = shapely.from_wkb(table.pop("geometry_wkb").to_numpy())
    except (shapely.errors.ShapelyError, TypeError, ValueError) as exc:
        raise DataFileError(_path(name, data_dir), f"its geometries cannot be read ({_reason(exc)})") from exc
    return gpd.GeoDataFrame(table, geometry=geoms, crs=4326)


def manifest(data_dir: Path | None = None) -> dict:
    """``manifest.json``: the files the build wrote, the loaded years and every source's vintage."""
    path = _path("manifest.json", data_dir)
    return _manifest(path, *_signature(path))


@lru_cache(maxsize=8)
def _manifest(path: Path, mtime_ns: int, size: int) -> dict:
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, "not a text file (not UTF-8)") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(raw, dict):
        raise DataFileError(path, "not the layout the build writes (not a JSON object)")
    for key in ("files", "years", "vintages"):
        if not isinstance(raw.get(key), dict):
            raise DataFileError(path, f"not the layout the build writes ({key!r} is missing or not an object)")
    for source, years in raw["years"].items():
        if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            raise DataFileError(
                path, f"not the layout the build writes (the years of {source!r} are not a list of years)"
            )
    for source, vintage in raw["vintages"].items():
        if not isinstance(vintage, (str, int)) or isinstance(vintage, bool):
            raise DataFileError(path, f"not the layout the build writes (the vintage of {source!r} is not text)")
    return raw


def _signature(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def data_files(maps: bool = True) -> list[str]:
    """Every processed file the app reads, relative to the data folder; without the map layers when ``maps``
    is false (the files the command line's profile reads)."""
    tables = ["manifest.json", *TABLES.values()]
    return [*tables, *(f"geo/{layer}.parquet" for layer in GEO_LAYERS)] if maps else tables


def check_data(data_dir: Path | None = None, maps: bool = True) -> tuple:
    """Check every processed file (present, readable, the expected columns, some rows); the map layers only
    when ``maps``.

    Returns the files' signature (each file's name, modification time and
    size): a different signature means the files changed. Raises one
    :class:`DataError` naming every file that cannot be used (the file's own
    error when only one). Cheap when the files have not changed since the last
    check: only their sizes and times are read again.
    """
    folder = data_dir or paths.DATA_DIR
    problems: list[DataError] = []
    signature, read = [], []
    for rules in sorted(Path(folder).glob("*.toml")):
        # the hand-written rule files: an edit is a change of the data too
        read.append((rules.name, *_signature(rules)))
    for name in data_files(maps):
        try:
            if name == "manifest.json":
                manifest(data_dir)
                read.append((name, *_signature(_path(name, data_dir))))
            else:
                signature.append((name, *_signature(_path(name, data_dir))))
        except DataError as exc:
            problems.append(exc)
    try:
        _check_files(folder, tuple(signature))
    except _Problems as exc:
        problems.extend(exc.args[0])
    if len(problems) == 1:
        raise problems[0]
    if problems:
        kind = DataMissingError if all(isinstance(p, DataMissingError) for p in problems) else DataError
        listed = "; ".join(f"{_rel(p.path) if p.path else '?'}: {p.problem}" for p in problems)
        exc = kind(
            f"{len(problems)} processed data files cannot be used ({listed}). "
            "Rebuild them with: python -m dashboard build"
        )
        exc.folder = folder
        raise exc
    return (*read, *signature)


class _Problems(Exception):
    """The files :func:`_check_files` refused (not cached: a failed check runs again next time)."""


@lru_cache(maxsize=8)
def _check_files(folder: Path, signature: tuple) -> None:
    problems = []
    for name, _, size in signature:
        path = folder / name
        try:
            if size == 0:
                raise DataFileError(path, "the file is empty (0 bytes)")
            try:
                meta = pq.read_metadata(path)
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise DataFileError(path, f"not a readable Parquet file ({_reason(exc)})") from exc
            _check_schema(path, meta.schema.to_arrow_schema(), _columns_of(name))
            if meta.num_rows == 0:
                raise DataFileError(path, "the table has no rows")
        except DataFileError as exc:
            problems.append(exc)
    if problems:
        raise _Problems(problems)


def restore_hint(path: Path) -> str:
    """What to do about a damaged rule file (hand-written, shipped in ``data/``, not built)."""
    return f"Restore the {Path(path).name} shipped in the project's data/ folder, or correct it"


def read_toml(path: Path, error: type[DataFileError] = DataFileError) -> dict:
    """A rule file (``seat_rules.toml``...) as a dict; absent, empty, not UTF-8 text or not TOML raises
    :class:`DataMissingError` or ``error`` (a :class:`DataFileError`) naming the file."""
    path = Path(path)
    if not path.is_file():
        exc = DataMissingError(f"Rule file {_rel(path)} is missing. {restore_hint(path)}.")
        exc.path, exc.folder = path, _folder(path)
        raise exc
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(path, "not a text file (not UTF-8)", restore_hint(path)) from exc
    except OSError as exc:
        raise error(path, f"it cannot be read ({exc.strerror or exc})", restore_hint(path)) from exc
    if not text.strip():
        raise error(path, "the file is empty", restore_hint(path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML ({_reason(exc)})", restore_hint(path)) from exc


def content_error(path: Path, exc: BaseException, error: type[DataFileError] = DataFileError) -> DataFileError:
    """``error`` for a rule file whose content a loader refused with ``exc`` (its message, or the key it missed)."""
    path = Path(path)
    if isinstance(exc, KeyError):
        problem = f"an entry has no {exc.args[0]!r}" if exc.args else "an entry lacks a key"
    elif isinstance(exc, (TypeError, AttributeError)):
        problem = "an entry is not laid out as the file's format says (a value of the wrong type)"
    else:
        problem = _reason(exc).removeprefix(f"{path.name}: ")
    return error(path, problem, restore_hint(path))


def data_status(data_dir: Path | None = None) -> pd.DataFrame:
    """Which processed files are present, with their row counts."""
    folder = data_dir or paths.DATA_DIR
    try:
        files = manifest(data_dir)["files"]
    except DataMissingError:
        files = {}
    # the manifest names files relative to the project (data/..., shapefiles/...); the data may live elsewhere
    rows = [
        {
            "file": rel,
            "rows": info.get("rows") if isinstance(info, dict) else None,
            "present": (folder / rel.removeprefix("data/")).exists()
            if rel.startswith("data/")
            else (folder.parent / rel).exists(),
        }
        for rel, info in files.items()
    ]
    return pd.DataFrame(rows, columns=["file", "rows", "present"])
