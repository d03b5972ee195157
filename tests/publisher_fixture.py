"""A local stand-in for BLS's (and Census's) download servers, holding real figures.

``write_bls_slices`` lays the bundled 2016 QCEW figures out exactly as BLS's
open-data annual-averages CSV slices (``/cew/data/api/2016/a/industry/CODE.csv``,
38 columns, text fields quoted and numbers bare, ``qtr`` "A"), one file per
NAICS code holding every area and ownership:

* own_code 0 and 5 for every area come from ``data/industry.parquet`` (built
  from BLS's 2016 quarterly by-area files): annual average establishments and
  employment, total annual wages and average annual pay as BLS defines them,
  the employment LQ (the mean of the twelve monthly LQs, written to 0.01 as
  BLS writes it) and the over-the-year employment change (the mean of the
  twelve monthly changes, to a whole job);
* own_code 1, 2 and 3 (federal, state and local government) for Indiana's
  areas come from BLS's untouched 2016 Indiana by-area files
  (``../shared/data/raw/qcew/qcew_2016_q1-q4_by_area_INDIANA_raw.tar.gz``).

Suppressed cells are written as BLS writes them: disclosure "N", zeros, the
establishment count kept. Columns the bundled files cannot fill (taxable
wages, contributions, weekly wage, the LQs of establishments and wages, the
other over-the-year changes) are left empty, never made up.

As BLS's slices do, every slice also holds:

* the US row (area US000), and the US000 area file holds the US rows of every
  code. The bundled files lack BLS's US file, so the US figures are the ones
  the build derives from the published figures: total covered employment is the
  states' sum (as BLS's US row is), private employment by industry the national
  base recovered from the published state LQs, its one-year change from the
  published state changes; establishments are the states' sum; wages the states'
  sum where no state's cell is suppressed, else left empty. A code with no
  national private figure here (92, public administration: government only)
  has no US row, so the US000 file does not list it and the update skips it;
* Indiana's combined statistical area (aggregation level 30-38), its
  micropolitan areas (80-88) and its total-government row (ownership 8), from
  BLS's untouched 2016 Indiana files: rows the update must read past.

``relay_naics`` writes the same figures as a year coded in NAICS 2022
(:data:`NAICS_RELAY`): each retired subsector's cells summed into its 2022
successor (a sum is published only where every part is; an LQ only where the
cell is one code unchanged). Nonstore retailers (454), which NAICS 2022
spread over the store retailers, go wholly into 459 here, so the subsectors
still partition their sector.

``write_real_slices`` serves BLS's real 2020 area slices of five Ohio counties
(``../shared/data/raw/qcew_slices_2020_real/``) at their BLS paths, unchanged.

BLS's title lists (``/cew/doc/titles/area/area_titles.csv`` and
``/cew/doc/titles/industry/industry_titles.csv``) are written with the
titles those same files carry.

``PublisherServer`` serves a folder on 127.0.0.1 at the publisher's URL
paths, and can be told to misbehave for one path (404, a connection dropped
mid-file, a truncated file, a renamed column, a header without rows).
"""

from __future__ import annotations

import csv
import functools
import gzip
import json
import shutil
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data import paths
from dashboard.data.build import industry as build_industry
from dashboard.data.ingest.qcew import read_qcew

YEAR = 2016
#: The year label of the 2016 figures re-laid in NAICS 2022 codes (QCEW codes 2022 on in NAICS 2022).
NAICS_2022_YEAR = 2024
#: NAICS 2012/2017 subsector -> the NAICS 2022 subsector its cells are summed into (see naics_vintages.toml).
NAICS_RELAY = {
    "442": "449",
    "443": "449",
    "446": "456",
    "447": "457",
    "448": "458",
    "451": "459",
    "453": "459",
    "454": "459",
    "452": "455",
    "511": "513",
    "515": "516",
}
#: BLS's industry titles of the NAICS 2022 subsectors the relay introduces.
NAICS_2022_TITLES = {
    "449": "NAICS 449 Furniture, home furnishings, electronics, and appliance retailers",
    "455": "NAICS 455 General merchandise retailers",
    "456": "NAICS 456 Health and personal care retailers",
    "457": "NAICS 457 Gasoline stations and fuel dealers",
    "458": "NAICS 458 Clothing, clothing accessories, shoe, and jewelry retailers",
    "459": "NAICS 459 Sporting goods, hobby, musical instrument, book, and miscellaneous retailers",
    "513": "NAICS 513 Publishing industries",
    "516": "NAICS 516 Broadcasting and content providers",
}
REAL_SLICES = paths.DEFAULT_RAW / "qcew_slices_2020_real"
#: Aggregation levels of Indiana's extra rows: combined statistical area, micropolitan areas, ownership totals.
EXTRA_AGGLVLS = set(range(30, 39)) | set(range(80, 89)) | {96}
INDIANA_RAW = paths.DEFAULT_RAW / "qcew" / "qcew_2016_q1-q4_by_area_INDIANA_raw.tar.gz"
SLICE_COLUMNS = [
    "area_fips",
    "own_code",
    "industry_code",
    "agglvl_code",
    "size_code",
    "year",
    "qtr",
    "disclosure_code",
    "annual_avg_estabs",
    "annual_avg_emplvl",
    "total_annual_wages",
    "taxable_annual_wages",
    "annual_contributions",
    "annual_avg_wkly_wage",
    "avg_annual_pay",
    "lq_disclosure_code",
    "lq_annual_avg_estabs",
    "lq_annual_avg_emplvl",
    "lq_total_annual_wages",
    "lq_taxable_annual_wages",
    "lq_annual_contributions",
    "lq_annual_avg_wkly_wage",
    "lq_avg_annual_pay",
    "oty_disclosure_code",
    "oty_annual_avg_estabs_chg",
    "oty_annual_avg_estabs_pct_chg",
    "oty_annual_avg_emplvl_chg",
    "oty_annual_avg_emplvl_pct_chg",
    "oty_total_annual_wages_chg",
    "oty_total_annual_wages_pct_chg",
    "oty_taxable_annual_wages_chg",
    "oty_taxable_annual_wages_pct_chg",
    "oty_annual_contributions_chg",
    "oty_annual_contributions_pct_chg",
    "oty_annual_avg_wkly_wage_chg",
    "oty_annual_avg_wkly_wage_pct_chg",
    "oty_avg_annual_pay_chg",
    "oty_avg_annual_pay_pct_chg",
]
QUOTED = {
    "area_fips",
    "own_code",
    "industry_code",
    "agglvl_code",
    "size_code",
    "year",
    "qtr",
    "disclosure_code",
    "lq_disclosure_code",
    "oty_disclosure_code",
}
AGGLVL_BASE = {"us": 10, "metro": 40, "state": 50, "county": 70, "unallocated": 70}


def slice_path(year: int, naics: str) -> str:
    return f"/cew/data/api/{year}/a/industry/{naics.replace('-', '_')}.csv"


def area_path(year: int, area: str) -> str:
    return f"/cew/data/api/{year}/a/area/{area}.csv"


@functools.cache
def _indiana_raw_all() -> pd.DataFrame:
    return read_qcew(INDIANA_RAW, agglvls=set(build_industry.AGGLVL_AREA_TYPE) | EXTRA_AGGLVLS)


def indiana_raw(agglvls: set[int]) -> pd.DataFrame:
    """Indiana's raw 2016 rows of those aggregation levels, as annual rows (the archive is read once)."""
    raw = _indiana_raw_all()
    return raw[raw["agglvl_code"].isin(list(agglvls))].reset_index(drop=True)


def fixture_rows(industry: pd.DataFrame) -> pd.DataFrame:
    """The 2016 rows served: the bundled table plus Indiana's government ownerships."""
    rows = industry[industry["year"] == YEAR]
    gov = build_industry.industry_table(indiana_raw(set(build_industry.AGGLVL_AREA_TYPE)))
    gov = gov[gov["own_code"].isin([1, 2, 3])]
    return pd.concat([rows, gov.astype(rows.dtypes.to_dict())], ignore_index=True)


def _half_up(x: pd.Series) -> pd.Series:
    return np.floor(x.astype("float64") + 0.5)


def slice_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Industry-table rows in the annual slice layout (strings, one column per layout field)."""
    n = len(rows)
    sup = rows["suppressed"].to_numpy()
    level_offset = np.where(
        rows["naics_level"] == 0, np.where(rows["own_code"] == 0, 0, 1), np.where(rows["naics_level"] == 2, 4, 5)
    )
    agglvl = rows["area_type"].map(AGGLVL_BASE).to_numpy(dtype="float64", na_value=np.nan) + level_offset
    if "agglvl_code" in rows:  # rows read with their own level (Indiana's extra rows)
        agglvl = np.where(rows["agglvl_code"].notna(), rows["agglvl_code"].astype("float64"), agglvl)
    agglvl = agglvl.astype("int64")

    def num(values: pd.Series, zero_when: np.ndarray) -> np.ndarray:
        text = values.astype("Int64").astype("string").fillna("").to_numpy(dtype=object)
        return np.where(zero_when, "0", text)

    lq = rows["lq_published"].astype("float64")
    lq_hidden = sup | lq.isna().to_numpy()
    chg = rows["oty_emplvl_chg"].astype("float64")
    oty_hidden = sup | chg.isna().to_numpy()
    out = pd.DataFrame({c: np.full(n, "", dtype=object) for c in SLICE_COLUMNS})
    out["area_fips"] = rows["area_fips"].to_numpy()
    out["own_code"] = rows["own_code"].astype(str).to_numpy()
    out["industry_code"] = rows["naics"].to_numpy()
    out["agglvl_code"] = agglvl.astype(str)
    out["size_code"] = "0"
    out["year"] = rows["year"].astype(str).to_numpy()
    out["qtr"] = "A"
    out["disclosure_code"] = np.where(sup, "N", "")
    out["annual_avg_estabs"] = rows["estabs"].astype("Int64").astype("string").fillna("").to_numpy(dtype=object)
    out["annual_avg_emplvl"] = num(rows["emplvl"], sup)
    out["total_annual_wages"] = num(rows["total_wages"], sup)
    out["avg_annual_pay"] = num(rows["avg_annual_pay"], sup)
    out["lq_disclosure_code"] = np.where(lq_hidden, "N", "")
    out["lq_annual_avg_emplvl"] = np.where(lq_hidden, "0", lq.map(lambda v: f"{v:.2f}").to_numpy())
    out["oty_disclosure_code"] = np.where(oty_hidden, "N", "")
    out["oty_annual_avg_emplvl_chg"] = np.where(
        oty_hidden, "0", _half_up(chg).astype("Int64").astype("string").fillna("").to_numpy(dtype=object)
    )
    return out


def write_csv(frame: pd.DataFrame, dest: Path) -> None:
    """Text fields quoted, numbers bare, CRLF line ends: as BLS writes its CSV files."""
    cols = list(frame.columns)
    fields = []
    for c in cols:  # column by column: a row-by-row walk over Arrow-backed strings takes seconds per slice
        values = [str(v) for v in frame[c].to_numpy(dtype=object).tolist()]
        fields.append([f'"{v}"' for v in values] if c in QUOTED or c.endswith("_title") else values)
    lines = [",".join(f'"{c}"' for c in cols), *(",".join(rec) for rec in zip(*fields))]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def us_rows(rows: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """The US000 rows of the year (see the module's note on where each figure comes from)."""
    nat = national[national["year"] == YEAR]
    states = rows[(rows["area_type"] == "state") & ~rows["area_fips"].str[:2].isin(build_industry.NOT_IN_US_TOTAL)]
    by = states.groupby(["own_code", "naics"])
    estabs = by["estabs"].sum()
    wages = by["total_wages"].sum().where(~by["suppressed"].any())
    key = list(zip(nat["own_code"], nat["naics"]))
    emp = nat["us_emplvl"].astype("float64").to_numpy()
    growth = nat["us_oty_growth"].astype("float64").to_numpy()
    out = pd.DataFrame(
        {
            "area_fips": "US000",
            "area_type": "us",
            "area_title": "U.S. TOTAL",
            "industry_title": nat["title"].to_numpy(),
            "own_code": nat["own_code"].astype("int8").to_numpy(),
            "naics": nat["naics"].to_numpy(),
            "naics_level": nat["naics_level"].astype("int8").to_numpy(),
            "year": np.int16(YEAR),
            "suppressed": False,
            "estabs": pd.array([estabs.get(k) for k in key], dtype="Int32"),
            "emplvl": pd.array(emp.round(), dtype="Int64"),
            "total_wages": pd.array([wages.get(k) for k in key], dtype="Int64"),
            "oty_emplvl_chg": np.round(emp - emp / (1 + growth)),
            "lq_published": 1.0,
        }
    )
    titles = dict(zip(rows["naics"], rows["industry_title"]))
    out["industry_title"] = out["naics"].map(titles).fillna(out["industry_title"])
    pay = out["total_wages"].astype("Float64") / out["emplvl"].astype("Float64")
    out["avg_annual_pay"] = pay.round().astype("Int64")
    return out


def indiana_extra_rows(codes: set[str]) -> pd.DataFrame:
    """Indiana's CSA, micropolitan and total-government rows of the served codes, with their own levels."""
    raw = indiana_raw(EXTRA_AGGLVLS)
    raw = raw[raw["industry_code"].isin(codes)]
    code = raw["industry_code"]
    wages = raw["total_wages"].astype("Float64")
    return pd.DataFrame(
        {
            "area_fips": raw["area_fips"],
            "area_type": "extra",
            "area_title": raw["area_title"],
            "industry_title": raw["industry_title"],
            "own_code": raw["own_code"].astype("int8"),
            "naics": code,
            "naics_level": np.where(code == "10", 0, np.where(code.str.len() == 3, 3, 2)).astype("int8"),
            "year": np.int16(YEAR),
            "suppressed": raw["suppressed"].astype(bool),
            "estabs": raw["estabs"].astype("Int32"),
            "emplvl": raw["emplvl"].astype("Int64"),
            "total_wages": raw["total_wages"].astype("Int64"),
            "avg_annual_pay": (wages / raw["emplvl"].astype("Float64").where(raw["emplvl"] > 0))
            .round()
            .astype("Int64"),
            "oty_emplvl_chg": raw["oty_emplvl_chg"].astype("float64"),
            "lq_published": raw["lq_emplvl"].astype("float64"),
            "agglvl_code": raw["agglvl_code"].astype("Int64"),
        }
    ).reset_index(drop=True)


def relay_naics(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows as a year coded in NAICS 2022 (:data:`NAICS_RELAY`), labelled ``year``."""
    rows = rows.assign(naics=rows["naics"].map(NAICS_RELAY).fillna(rows["naics"]), year=np.int16(year))
    # a code that gathers several old ones has a national total of its own: an area's old LQ (against one old
    # code's national share) is not its LQ, so it is left unpublished, as for a summed cell below
    targets = pd.Series(list(NAICS_RELAY.values()))
    gathering = set(targets[targets.duplicated()])
    relabelled = rows["naics"].isin(gathering) & (rows["area_fips"] != "US000")
    rows["lq_published"] = rows["lq_published"].where(~relabelled)
    rows["industry_title"] = rows["naics"].map(NAICS_2022_TITLES).fillna(rows["industry_title"])
    if "agglvl_code" not in rows:
        rows["agglvl_code"] = pd.array([pd.NA] * len(rows), dtype="Int64")
    key = ["area_fips", "own_code", "naics"]
    parts = rows.groupby(key, sort=False, dropna=False)
    n = parts["naics"].transform("size")
    hidden = parts["suppressed"].transform("any")
    merged = rows[n > 1]
    if merged.empty:
        return rows
    g = merged.groupby(key, sort=False)
    first = g.first()
    summed = pd.DataFrame(
        {
            "estabs": g["estabs"].sum().astype("Int32"),
            "emplvl": g["emplvl"].sum(min_count=1).astype("Int64"),
            "total_wages": g["total_wages"].sum(min_count=1).astype("Int64"),
            "oty_emplvl_chg": g["oty_emplvl_chg"].apply(lambda s: s.sum() if s.notna().all() else np.nan),
            "suppressed": g["suppressed"].any(),
        }
    )
    first.update(summed)
    first["suppressed"] = summed["suppressed"]
    first["emplvl"] = summed["emplvl"].where(~summed["suppressed"])
    first["total_wages"] = summed["total_wages"].where(~summed["suppressed"])
    first["oty_emplvl_chg"] = summed["oty_emplvl_chg"].where(~summed["suppressed"])
    # the LQ of a summed cell is not in the files; the US rows' stays 1
    first["lq_published"] = np.where(first.index.get_level_values("area_fips") == "US000", 1.0, np.nan)
    pay = first["total_wages"].astype("Float64") / first["emplvl"].astype("Float64").where(first["emplvl"] > 0)
    first["avg_annual_pay"] = pay.round().astype("Int64")
    out = pd.concat([rows[n == 1], first.reset_index()[rows.columns]], ignore_index=True)
    del hidden
    return out


def write_bls_slices(
    root: Path,
    industry: pd.DataFrame,
    national: pd.DataFrame | None = None,
    year: int = YEAR,
    naics_2022=False,
    metros=True,
) -> dict:
    """Write every slice, the US000 area file and both title lists under ``root``; return what was written.

    ``naics_2022``: the figures re-laid in NAICS 2022 codes (:func:`relay_naics`) as year ``year``.
    ``metros=False``: without the metropolitan and micropolitan rows (as BLS publishes years from 2025).
    """
    if national is None:
        national = pd.read_parquet(paths.ROOT / "data" / "national.parquet")
    rows = fixture_rows(industry)
    rows = pd.concat([us_rows(rows, national), rows], ignore_index=True)
    extra = indiana_extra_rows(set(rows["naics"]))
    both = pd.concat([rows, extra], ignore_index=True)
    if naics_2022:
        both = relay_naics(both, year)
    elif year != YEAR:
        both = both.assign(year=np.int16(year))
    if not metros:
        both = both[both["area_type"] != "metro"]
    return write_year(root, both, year)


def write_year(root: Path, both: pd.DataFrame, year: int, metros=True) -> dict:
    """Write one year's served rows (kept and extra) as slices, the US000 file and the title lists."""
    both = both.assign(year=np.int16(year))
    if not metros:
        both = both[~both["area_type"].isin(["metro"]) & ~both["area_fips"].str.startswith("C")]
    order = {"us": 0, "state": 1, "county": 2, "unallocated": 2, "metro": 3, "extra": 4}
    both = both.assign(_o=both["area_type"].map(order)).sort_values(["_o", "area_fips", "own_code"], kind="stable")
    table = slice_frame(both)
    files = {}
    for naics, part in table.groupby("industry_code", sort=True):
        dest = root / slice_path(year, naics).lstrip("/")
        write_csv(part, dest)
        files[naics] = dest
    write_csv(table[table["area_fips"] == "US000"], root / area_path(year, "US000").lstrip("/"))
    _write_titles(root / "cew/doc/titles/area/area_titles.csv", "area_fips", "area_title", both)
    _write_titles(root / "cew/doc/titles/industry/industry_titles.csv", "industry_code", "industry_title", both)
    kept = both[both["area_type"] != "extra"].drop(columns=["_o", "agglvl_code"], errors="ignore")
    return {
        "files": files,
        "rows": kept.reset_index(drop=True),
        "extra": both[both["area_type"] == "extra"].drop(columns="_o").reset_index(drop=True),
        "both": both.drop(columns="_o"),
        "bytes": sum(p.stat().st_size for p in files.values()),
        "year": year,
    }


def _write_titles(dest: Path, key: str, title: str, rows: pd.DataFrame) -> None:
    """BLS's title list: every code of every year written so far (BLS lists codes of all vintages)."""
    col = "area_fips" if key == "area_fips" else "naics"
    new = pd.DataFrame({key: rows[col], title: rows[title]})
    if dest.exists():
        new = pd.concat([pd.read_csv(dest, dtype=str, keep_default_na=False), new], ignore_index=True)
    new = new.drop_duplicates(key).sort_values(key)
    write_csv(new, dest)


def write_real_slices(root: Path) -> dict[str, Path]:
    """BLS's real 2020 area slices (five Ohio counties), unchanged, at their BLS paths."""
    out = {}
    for src in sorted(REAL_SLICES.glob("2020.a.*.csv.gz")):
        area = src.name.split(".")[2]
        dest = root / area_path(2020, area).lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(gzip.decompress(src.read_bytes()))
        out[area] = dest
    return out


def read_slice(path: Path) -> pd.DataFrame:
    """A served slice, as text, for comparing with what the app shows."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- CBP (Census API)

CBP_VARIABLES = {  # the names and labels of the Census CBP API variables the update asks for
    "NAICS2017": "2017 NAICS code",
    "NAICS2017_LABEL": "Meaning of NAICS code",
    "ESTAB": "Number of establishments",
    "EMP": "Number of employees",
    "PAYANN": "Annual payroll ($1,000)",
    "LFO": "Legal form of organization code",
    "EMPSZES": "Employment size of establishments code",
    "YEAR": "Year",
}


def relay_cbp(rows: pd.DataFrame) -> pd.DataFrame:
    """CBP rows in NAICS 2022 codes (:data:`NAICS_RELAY`): cells of merged codes summed, withheld if any part is."""
    rows = rows.assign(naics=rows["naics"].map(NAICS_RELAY).fillna(rows["naics"]))
    g = rows.groupby(["fips", "area_type", "year", "naics", "naics_level"], sort=False, as_index=False)
    out = g.agg(estab=("estab", "sum"), emp=("emp", "sum"), payann=("payann", "sum"), withheld=("withheld", "any"))
    out.loc[out["withheld"], ["emp", "payann"]] = 0
    return out


def write_cbp_api(root: Path, cbp: pd.DataFrame, year: int, as_year: int | None = None, var="NAICS2017") -> dict:
    """The Census API answers for one year of the bundled CBP rows (JSON arrays of strings), served as
    ``as_year`` (default: the same); ``var="NAICS2022"`` serves them in NAICS 2022 codes (:func:`relay_cbp`).

    A withheld cell is written as the API writes it: employment and payroll 0.
    """
    rows = cbp[cbp["year"] == year]
    if var == "NAICS2022":
        rows = relay_cbp(rows)
    year = as_year or year
    out = {}
    for geo in ("county", "state"):
        part = rows[rows["area_type"] == geo]
        header = [var, "ESTAB", "EMP", "PAYANN", "LFO", "EMPSZES", "state"] + (["county"] if geo == "county" else [])
        body = [header]
        for r in part.itertuples(index=False):
            emp = "0" if r.withheld else str(int(r.emp))
            pay = "0" if r.withheld else str(int(r.payann) // 1000)
            rec = [r.naics, str(int(r.estab)), emp, pay, "001", "001", r.fips[:2]] + (
                [r.fips[2:]] if geo == "county" else []
            )
            body.append(rec)
        dest = root / f"data/{year}/cbp/{geo}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(body, separators=(",", ":")))
        out[geo] = dest
    names = {(var if k == "NAICS2017" else k.replace("NAICS2017", var)): v for k, v in CBP_VARIABLES.items()}
    variables = {"variables": {k: {"label": v.replace("2017", var[5:])} for k, v in names.items()}}
    (root / f"data/{year}/cbp/variables.json").write_text(json.dumps(variables))
    return out


# ---------------------------------------------------------------- the server


class PublisherServer:
    """Serves ``root`` on 127.0.0.1; ``faults[path] = kind`` makes one path misbehave.

    Kinds: "404", "drop" (half the body, then the connection closes), "truncate"
    (a complete answer holding a file cut mid-line), "rename:OLD:NEW" (a header
    column renamed), "header-only" (the header and no rows), "without:AREA"
    (the rows of one area left out).

    ``census_key``: as the Census API does since May 2026, a request under ``/data/``
    without ``key=`` that key is redirected (302) to an HTML page. Every request's
    User-Agent is kept in ``agents``.
    """

    KEY_PAGE = "/data/key_signup.html"

    def __init__(self, root: Path, census_key: str | None = None):
        self.root = Path(root)
        self.census_key = census_key
        self.faults: dict[str, str] = {}
        self.requests: list[str] = []
        self.agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server.requests.append(self.path)
                server.agents.append(self.headers.get("User-Agent", ""))
                parsed = urllib.parse.urlsplit(self.path)
                if parsed.path == server.KEY_PAGE:
                    page = b"<!DOCTYPE html><html><body><h1>Request a Census API key</h1></body></html>"
                    return self._send(200, page, "text/html; charset=utf-8")
                query = urllib.parse.parse_qs(parsed.query)
                if server.census_key and parsed.path.startswith("/data/") and query.get("key") != [server.census_key]:
                    self.send_response(302)
                    self.send_header("Location", server.KEY_PAGE)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                body = server.body_for(parsed.path, urllib.parse.parse_qs(parsed.query))
                fault = server.faults.get(parsed.path, "")
                if body is None or fault == "404":
                    return self._send(404, b"Not Found", "text/plain")
                if fault == "drop":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return None
                if fault == "truncate":
                    cut = body.rfind(b"\n", 0, int(len(body) * 0.6)) + 40
                    body = body[:cut]
                elif fault.startswith("rename:"):
                    _, old, new = fault.split(":")
                    head, _, rest = body.partition(b"\n")
                    body = head.replace(f'"{old}"'.encode(), f'"{new}"'.encode()) + b"\n" + rest
                elif fault == "header-only":
                    body = body.partition(b"\n")[0] + b"\n"
                elif fault.startswith("without:"):
                    area = f'"{fault.split(":")[1]}",'.encode()
                    body = b"".join(ln for ln in body.splitlines(keepends=True) if not ln.startswith(area))
                return self._send(200, body, "application/json" if parsed.path.startswith("/data/") else "text/csv")

            def _send(self, code: int, body: bytes, kind: str):
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def body_for(self, path: str, query: dict) -> bytes | None:
        if path.startswith("/data/") and path.endswith("/cbp"):
            geo = query.get("for", [""])[0].split(":")[0]
            target = self.root / path.lstrip("/") / f"{geo}.json"
            if not target.is_file():
                return None
            return _cbp_answer(target, query)
        target = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _cbp_answer(target: Path, query: dict) -> bytes:
    """The stored answer, narrowed to the NAICS codes asked for (the API's repeated predicate)."""
    rows = json.loads(target.read_text())
    header, data = rows[0], rows[1:]
    var = next((k for k in query if k.startswith("NAICS") and k != "NAICS"), None)
    if var is not None and query[var] != ["*"]:
        wanted = set(query[var])
        data = [r for r in data if r[0] in wanted]
    return json.dumps([header, *data], separators=(",", ":")).encode()


def copy_data(dest: Path) -> Path:
    """A copy of the committed processed data folder."""
    shutil.copytree(paths.ROOT / "data", dest)
    return dest


def linked_data(dest: Path, leave_out: str | None = None) -> Path:
    """A data folder of links to the committed processed files (as SECTOR_ATLAS_DATA may name a copy of
    data/), without the file ``leave_out`` (relative to the folder), which the caller writes itself."""
    real = paths.ROOT / "data"
    for src in real.rglob("*"):
        rel = src.relative_to(real)
        if src.is_file() and rel.as_posix() != leave_out:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).symlink_to(src)
    return dest


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative path -> digest).

    The update's lock file is left out: it holds no figure, and stays (empty) once the first update has run.
    """
    import hashlib

    from dashboard.data.update.lock import LOCK_NAME

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def csv_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- an earlier year, from the published changes


def indiana_previous_year() -> pd.DataFrame:
    """Indiana's 2015 annual figures, recovered exactly from BLS's 2016 Indiana files.

    Each 2016 quarterly row publishes its over-the-year changes (monthly
    employment, establishments, wages), so ``2016 value - change`` is the
    2015 value BLS published beside it. Only cells disclosed in every quarter
    (no ``N``, no placeholder) are kept; LQs and the 2014-15 change are not
    recoverable and stay empty. Returned as industry-table rows for 2015.
    """
    import tarfile

    frames = []
    with tarfile.open(INDIANA_RAW) as tar:
        for m in sorted(tar.getmembers(), key=lambda m: m.name):
            if m.isfile() and m.name.endswith(".csv"):
                frames.append(pd.read_csv(tar.extractfile(m), dtype=str, keep_default_na=False))
    q = pd.concat(frames, ignore_index=True)
    q["agglvl_code"] = q["agglvl_code"].astype(int)
    q = q[q["agglvl_code"].isin(list(build_industry.AGGLVL_AREA_TYPE))]

    def num(c):
        return pd.to_numeric(q[c]).astype("int64")

    q = q.assign(
        known=(q["disclosure_code"] == "") & (q["oty_disclosure_code"] == ""),
        emp=sum(num(f"month{i}_emplvl") - num(f"oty_month{i}_emplvl_chg") for i in (1, 2, 3)),
        estabs=num("qtrly_estabs_count") - num("oty_qtrly_estabs_count_chg"),
        wages=num("total_qtrly_wages") - num("oty_total_qtrly_wages_chg"),
    )
    key = ["area_fips", "own_code", "industry_code", "agglvl_code"]
    g = q.groupby(key, sort=True).agg(
        known=("known", "all"),
        quarters=("qtr", "nunique"),
        emp=("emp", "sum"),
        estabs=("estabs", "sum"),
        wages=("wages", "sum"),
        area_title=("area_title", "first"),
        industry_title=("industry_title", "first"),
    )
    g = g[g["known"] & (g["quarters"] == 4)].reset_index()
    reader_rows = pd.DataFrame(
        {
            "area_fips": g["area_fips"],
            "area_title": g["area_title"],
            "industry_title": g["industry_title"],
            "own_code": g["own_code"].astype("int8"),
            "industry_code": g["industry_code"],
            "agglvl_code": g["agglvl_code"].astype("int16"),
            "year": np.int16(YEAR - 1),
            "suppressed": False,
            "estabs": _half_up(g["estabs"] / 4).astype("Int32"),
            "emplvl": _half_up(g["emp"] / 12).astype("Int64"),
            "total_wages": g["wages"].astype("Int64"),
            "lq_emplvl": np.nan,
            "oty_emplvl_chg": np.nan,
        }
    )
    return build_industry.industry_table(reader_rows)
