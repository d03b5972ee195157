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
other over-the-year changes) are left empty, never made up. There is no
US000 row: the bundled by-area files do not include the US file.

BLS's title lists (``/cew/doc/titles/area/area_titles.csv`` and
``/cew/doc/titles/industry/industry_titles.csv``) are written with the
titles those same files carry.

``PublisherServer`` serves a folder on 127.0.0.1 at the publisher's URL
paths, and can be told to misbehave for one path (404, a connection dropped
mid-file, a truncated file, a renamed column, a header without rows).
"""

from __future__ import annotations

import csv
import io
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


def fixture_rows(industry: pd.DataFrame) -> pd.DataFrame:
    """The 2016 rows served: the bundled table plus Indiana's government ownerships."""
    rows = industry[industry["year"] == YEAR]
    gov = build_industry.industry_table(read_qcew(INDIANA_RAW, agglvls=set(build_industry.AGGLVL_AREA_TYPE)))
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
    agglvl = rows["area_type"].map(AGGLVL_BASE).to_numpy() + level_offset

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
    buf = io.StringIO()
    cols = list(frame.columns)
    buf.write(",".join(f'"{c}"' for c in cols) + "\r\n")
    quoted = [c in QUOTED or c.endswith("_title") for c in cols]
    for rec in frame.itertuples(index=False, name=None):
        buf.write(",".join(f'"{v}"' if q else str(v) for v, q in zip(rec, quoted)) + "\r\n")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(buf.getvalue().encode("utf-8"))


def write_bls_slices(root: Path, industry: pd.DataFrame) -> dict:
    """Write every slice and both title lists under ``root``; return what was written."""
    rows = fixture_rows(industry)
    order = {"us": 0, "state": 1, "county": 2, "unallocated": 2, "metro": 3}
    rows = rows.assign(_o=rows["area_type"].map(order)).sort_values(["_o", "area_fips", "own_code"], kind="stable")
    table = slice_frame(rows)
    files = {}
    for naics, part in table.groupby("industry_code", sort=True):
        dest = root / slice_path(YEAR, naics).lstrip("/")
        write_csv(part, dest)
        files[naics] = dest
    titles = rows.drop_duplicates("area_fips").sort_values("area_fips")
    write_csv(
        pd.DataFrame({"area_fips": titles["area_fips"], "area_title": titles["area_title"]}),
        root / "cew/doc/titles/area/area_titles.csv",
    )
    inds = rows.drop_duplicates("naics").sort_values("naics")
    write_csv(
        pd.DataFrame({"industry_code": inds["naics"], "industry_title": inds["industry_title"]}),
        root / "cew/doc/titles/industry/industry_titles.csv",
    )
    return {"files": files, "rows": rows.drop(columns="_o"), "bytes": sum(p.stat().st_size for p in files.values())}


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


def write_cbp_api(root: Path, cbp: pd.DataFrame, year: int) -> dict:
    """The Census API answers for one year of the bundled CBP rows (JSON arrays of strings).

    A withheld cell is written as the API writes it: employment and payroll 0.
    """
    rows = cbp[cbp["year"] == year]
    out = {}
    for geo in ("county", "state"):
        part = rows[rows["area_type"] == geo]
        header = ["NAICS2017", "ESTAB", "EMP", "PAYANN", "LFO", "EMPSZES", "state"] + (
            ["county"] if geo == "county" else []
        )
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
    variables = {"variables": {k: {"label": v} for k, v in CBP_VARIABLES.items()}}
    (root / f"data/{year}/cbp/variables.json").write_text(json.dumps(variables))
    return out


# ---------------------------------------------------------------- the server


class PublisherServer:
    """Serves ``root`` on 127.0.0.1; ``faults[path] = kind`` makes one path misbehave.

    Kinds: "404", "drop" (half the body, then the connection closes), "truncate"
    (a complete answer holding a file cut mid-line), "rename:OLD:NEW" (a header
    column renamed), "header-only" (the header and no rows), "without:AREA"
    (the rows of one area left out).
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.faults: dict[str, str] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server.requests.append(self.path)
                parsed = urllib.parse.urlsplit(self.path)
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
    var = next((k for k in query if k.startswith("NAICS")), None)
    if var is not None and query[var] != ["*"]:
        wanted = set(query[var])
        data = [r for r in data if r[header.index("NAICS2017")] in wanted]
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
    """sha256 of every file under ``folder`` (relative path -> digest)."""
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
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
