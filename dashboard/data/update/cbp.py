"""One year of Census County Business Patterns from the Census Data API.

Files fetched (``BASE`` is https://api.census.gov unless overridden):

* ``BASE/data/YEAR/cbp/variables.json``: whether the year is published, and
  which NAICS vintage it is coded in (``NAICS2017``, ``NAICS2022``...);
* ``BASE/data/YEAR/cbp?get=NAICSxxxx,ESTAB,EMP,PAYANN&for=county:*&LFO=001&EMPSZES=001&NAICSxxxx=00&NAICSxxxx=11...``
  and the same ``for=state:*``: every county and state, all legal forms and
  establishment sizes, for the all-sector total and every 2- and 3-digit code
  installed (CBP's own and QCEW's), one predicate per code.

Every request carries the user's Census API key (``CENSUS_API_KEY`` or
``--census-key``; the API refuses requests without one since May 2026 and
redirects them to a web page); without a key the update stops before any
request. A web page where data were expected (a redirect, an HTML answer) is
reported as such, never as a layout problem, and never counts as a year.

The answers (JSON arrays of strings) are checked (the columns asked for, one
value per column, whole numbers) and read by the same CBP parser as the
build (withheld cells, published as zero employment and payroll, become
missing). Then the year as a whole: state and county rows present; a state's
establishments at least its counties' sum and not far above it (statewide
establishments have no county); sectors never more establishments than the
all-sector total.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import urllib.parse
from pathlib import Path

import pandas as pd

from dashboard.data import naics as concordance
from dashboard.data import store
from dashboard.data.ingest.cbp import read_cbp
from dashboard.data.ingest.common import SourceError
from dashboard.data.update.http import Downloader, NotPublished, Progress, UpdateError, redirected
from dashboard.data.update.install import install, read_installed, read_manifest, replace_year

DEFAULT_BASE = "https://api.census.gov"
KEY_ENV = "CENSUS_API_KEY"
KEY_SIGNUP = "https://api.census.gov/data/key_signup.html"
#: A Census API key: 40 hexadecimal characters (letters and digits are accepted, nothing else).
KEY_SHAPE = re.compile(r"^[A-Za-z0-9]{20,64}$")
VARIABLES = "{base}/data/{year}/cbp/variables.json"
DATASET = "{base}/data/{year}/cbp"
MEASURES = ["ESTAB", "EMP", "PAYANN"]
ORDER = ["area_type", "fips", "year", "naics"]
PROBE_YEARS = 6
#: Share of a state's establishments its counties may hold: statewide establishments
#: (no county) make the state larger, by about 0.3-1.5% in 2017-2021.
COUNTY_SHARE = (0.9, 1.0)


def census_key(given: str | None = None) -> str:
    """The Census API key (``given``, else ``CENSUS_API_KEY``); none or a malformed one stops the update."""
    key = (given or os.environ.get(KEY_ENV, "")).strip()
    if not key:
        raise UpdateError(
            "",
            f"a Census API key is required for County Business Patterns (the Census API refuses requests "
            f"without one): get one free at {KEY_SIGNUP}, then set {KEY_ENV} or pass --census-key",
        )
    if not KEY_SHAPE.match(key):
        raise UpdateError("", f"the Census API key is not one (letters and digits, as {KEY_SIGNUP} issues them)")
    return key


def web_page(dl: Downloader, url: str, body: bytes | None) -> bool:
    """Whether the answer to ``url`` is a web page (a redirect or HTML) rather than the API's JSON."""
    if body is None:
        return False
    return redirected(dl, url) or "html" in dl.content_type.lower() or body.lstrip()[:1] == b"<"


def page_error(dl: Downloader, url: str) -> UpdateError:
    where = f" (redirected to {dl.final_url})" if redirected(dl, url) else ""
    return UpdateError(
        url,
        f"the Census API answered with a web page{where}, not data: the key was refused or the service is "
        f"down; check the key ({KEY_SIGNUP}) and try again",
    )


def get_json(dl: Downloader, url: str, missing_ok: bool = False) -> bytes | None:
    """The API's answer to ``url``; a web page in its place raises :func:`page_error`."""
    body = dl.get(url, missing_ok=missing_ok)
    if web_page(dl, url, body):
        raise page_error(dl, url)
    return body


def naics_variable(body: bytes, url: str) -> str:
    """The dataset's NAICS variable (the newest vintage listed), after checking the measures exist."""
    try:
        variables = json.loads(body)["variables"]
    except (ValueError, KeyError, TypeError):
        raise UpdateError(url, "not the Census API variables list (JSON with a 'variables' object)") from None
    missing = [v for v in MEASURES if v not in variables]
    if missing:
        raise UpdateError(url, f"the CBP dataset lacks the variable {missing[0]!r} (layout changed?)")
    naics = sorted(v for v in variables if v.startswith("NAICS") and v[5:].isdigit())
    if not naics:
        raise UpdateError(url, "the CBP dataset has no NAICS code variable")
    return naics[-1]


def query_url(base: str, year: int, geo: str, var: str, codes: list[str], predicates: dict[str, str]) -> str:
    params = [("get", ",".join([var, *MEASURES])), ("for", f"{geo}:*"), *predicates.items()]
    params += [(var, c) for c in codes]
    return DATASET.format(base=base, year=year) + "?" + urllib.parse.urlencode(params, safe=":*,")


def parse_answer(body: bytes, url: str, var: str, geo: str, year: int, tmp: Path) -> pd.DataFrame:
    """One API answer as the CBP reader's rows (fips, year, naics, estab, emp, payann, withheld)."""
    try:
        rows = json.loads(body)
    except ValueError as exc:
        raise UpdateError(url, f"truncated or malformed JSON ({exc.args[0] if exc.args else exc})") from None
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        raise UpdateError(url, "not a Census API answer (a JSON array of rows)")
    header = rows[0]
    need = [var, *MEASURES, "state"] + (["county"] if geo == "county" else [])
    missing = [c for c in need if c not in header]
    if missing:
        raise UpdateError(url, f"column {missing[0]!r} is missing from the answer")
    bad = next((i for i, r in enumerate(rows[1:], start=2) if not isinstance(r, list) or len(r) != len(header)), None)
    if bad is not None:
        raise UpdateError(url, f"row {bad} does not have the {len(header)} values of the header")
    if len(rows) < 2:
        raise NotPublished(url, "the answer holds no rows")
    at = {c: header.index(c) for c in need}
    frame = pd.DataFrame(
        {
            "state_fips": [r[at["state"]] for r in rows[1:]],
            "county_fips": [r[at["county"]] for r in rows[1:]] if geo == "county" else "",
            "year": str(year),
            # the parser reads the API pull's column names; the codes are whatever vintage ``var`` is
            "naics2017": [r[at[var]] for r in rows[1:]],
            "estab": [r[at["ESTAB"]] for r in rows[1:]],
            "emp": [r[at["EMP"]] for r in rows[1:]],
            "payann_thousands": [r[at["PAYANN"]] for r in rows[1:]],
        }
    )
    path = tmp / f"cbp_{geo}.csv"
    frame.to_csv(path, index=False)
    try:
        out = read_cbp(path)
    except SourceError as exc:
        where = f"row {exc.line}: " if exc.line is not None else ""
        raise UpdateError(url, where + exc.problem) from None
    finally:
        path.unlink(missing_ok=True)
    return out


def check(cbp: pd.DataFrame, urls: dict[str, str], notes: list[str]) -> dict:
    """The year as a whole; raises :class:`UpdateError` naming the answer at fault."""
    total = cbp[cbp["naics"] == "00"]
    states = total[total["area_type"] == "state"].set_index(total.loc[total["area_type"] == "state", "fips"].str[:2])[
        "estab"
    ]
    counties = total[total["area_type"] == "county"]
    for kind, rows in (("state", states), ("county", counties)):
        if rows.empty:
            raise UpdateError(urls[kind], f"no {kind} rows for the all-sector total (NAICS 00)")
    summed = counties.groupby(counties["fips"].str[:2])["estab"].sum()
    both = pd.DataFrame({"state": states, "counties": summed}).dropna()
    share = both["counties"].astype("float64") / both["state"].astype("float64")
    off = (share < COUNTY_SHARE[0]) | (share > COUNTY_SHARE[1])
    if off.any():
        st = share[off].index[0]
        raise UpdateError(
            urls["county"],
            f"totals do not reconcile: state {st} has {int(both.loc[st, 'state']):,} "
            f"establishments, its counties {int(both.loc[st, 'counties']):,}",
        )
    sectors = cbp[cbp["naics_level"] == 2].groupby("fips")["estab"].sum()
    over = sectors[sectors > total.set_index("fips")["estab"].reindex(sectors.index)]
    if len(over):
        fips = over.index[0]
        raise UpdateError(
            urls["state" if fips.endswith("000") else "county"],
            f"totals do not reconcile: the sectors of {fips} hold more establishments than its total",
        )
    no_counties = sorted(set(states.index) - set(summed.index))
    if no_counties:
        notes.append(f"no county rows for state FIPS {', '.join(no_counties)}")
    return {"states": len(states), "counties": int(counties["fips"].nunique()), "states_reconciled": len(both)}


def check_cbp(data_dir: Path, year: int | None, base: str = DEFAULT_BASE, stream=None, key: str | None = None) -> dict:
    """What :func:`update_cbp` would fetch (the year, its NAICS variable, files, estimated bytes), writing nothing.

    The bytes are estimated from the answers of the newest CBP year installed by an earlier update, else unknown.
    """
    key = census_key(key)
    base = base.rstrip("/")
    dl = Downloader(Progress(f"CBP {year or ''} (check)".strip(), 1, stream=stream), params={"key": key})
    try:
        years = (
            [year] if year is not None else list(range(dt.date.today().year, dt.date.today().year - PROBE_YEARS, -1))
        )
        for y in years:
            body = get_json(dl, VARIABLES.format(base=base, year=y), missing_ok=True)
            if body is not None:
                year = y
                break
        else:
            raise NotPublished(
                VARIABLES.format(base=base, year=years[0] if len(years) == 1 else "YEAR"),
                "Census has not published that CBP year"
                if len(years) == 1
                else f"Census publishes no CBP for {years[-1]}-{years[0]}",
            )
    finally:
        dl.progress.close()
    var = naics_variable(body, VARIABLES.format(base=base, year=year))
    earlier = read_manifest(Path(data_dir)).get("updates", {}).get("cbp", {})
    sizes = [r.get("bytes") for _, r in sorted(earlier.items()) if r.get("bytes")]
    return {
        "year": int(year),
        "source": DATASET.format(base=base, year=year),
        "naics_vintage": var,
        "files": 3,
        "estimated_bytes": int(sizes[-1]) if sizes else None,
        "estimate_basis": "the last CBP update's size" if sizes else "",
        "downloaded_for_the_check": dl.bytes,
        "written": False,
        "notes": [] if sizes else ["no earlier CBP update to estimate the size from (about 10-20 MB)"],
    }


def update_cbp(
    data_dir: Path, year: int | None, base: str = DEFAULT_BASE, log=print, stream=None, key: str | None = None
) -> dict:
    """Fetch, check and install one year of County Business Patterns; return what was done."""
    key = census_key(key)
    data_dir = Path(data_dir)
    base = base.rstrip("/")
    manifest = read_manifest(data_dir)
    installed = read_installed(data_dir, "cbp")
    national = read_installed(data_dir, "national")
    codes = sorted(
        set(installed.loc[installed["naics_level"].between(2, 3), "naics"])
        | set(national.loc[national["naics_level"].between(2, 3), "naics"])
    )
    notes: list[str] = []
    progress = Progress(f"CBP {year or ''}".strip(), 3, stream=stream)
    dl = Downloader(progress, params={"key": key})
    started = dt.datetime.now()
    try:
        if year is None:
            start = dt.date.today().year
            for y in range(start, start - PROBE_YEARS, -1):
                body = get_json(dl, VARIABLES.format(base=base, year=y), missing_ok=True)
                if body is not None:
                    year = y
                    break
            else:
                raise NotPublished(
                    VARIABLES.format(base=base, year="YEAR"),
                    f"Census publishes no CBP for {start - PROBE_YEARS + 1}-{start}",
                )
            progress.label = f"CBP {year}"
        else:
            url = VARIABLES.format(base=base, year=year)
            body = get_json(dl, url, missing_ok=True)
            if body is None:
                raise NotPublished(url, f"Census has not published CBP {year} (HTTP 404)")
        var = naics_variable(body, VARIABLES.format(base=base, year=year))
        # the codes of the vintage the year uses (NAICS 2022 renamed retail and information subsectors)
        try:
            vintages = concordance.load(data_dir / concordance.FILE_NAME)
        except store.DataError as exc:
            raise UpdateError(str(data_dir / concordance.FILE_NAME), str(exc)) from None
        if int(var[5:]) in vintages.names:
            codes = concordance.in_vintage(codes, int(var[5:]), vintages)
        predicates = {"LFO": "001", "EMPSZES": "001"}
        frames, urls = [], {}
        with tempfile.TemporaryDirectory(prefix="sector-atlas-update-") as tmp:
            for geo in ("county", "state"):
                urls[geo] = query_url(base, year, geo, var, ["00", *codes], predicates)
                body = get_json(dl, urls[geo])
                frames.append(parse_answer(body, urls[geo], var, geo, year, Path(tmp)))
    finally:
        progress.close()
    rows = pd.concat(frames, ignore_index=True)
    rows.insert(1, "area_type", rows["fips"].str.endswith("000").map({True: "state", False: "county"}))
    rows = rows.sort_values(ORDER, kind="stable").reset_index(drop=True)
    facts = check(rows, urls, notes)
    absent = sorted(set(codes) - set(rows["naics"]))
    if absent:
        notes.append(f"no {year} rows for NAICS {', '.join(absent)} ({var} codes)")
    record = {
        "year": int(year),
        "source": DATASET.format(base=base, year=year),
        "naics_vintage": var,
        "files": dl.files,
        "bytes": dl.bytes,
        "rows": len(rows),
        **facts,
        "notes": notes,
    }
    install(data_dir, {"cbp": replace_year(installed, rows, year, ORDER)}, manifest, "cbp", record)
    record["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
    return record
