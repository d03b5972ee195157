"""One year of BLS QCEW annual averages from BLS's open-data CSV slices.

Files fetched (``BASE`` is https://data.bls.gov unless overridden):

* ``BASE/cew/data/api/YEAR/a/area/US000.csv``: the US rows of the year, read
  only for the list of NAICS sectors and subsectors BLS publishes that year
  (a NAICS revision renames codes, so the year's own list is used). When it
  is absent, the installed codes and every sector and subsector in BLS's
  industry title list are asked for, and the summary says so.
* ``BASE/cew/data/api/YEAR/a/industry/CODE.csv`` for NAICS 10 (all
  industries) and every 2- and 3-digit code: every area (US000, states,
  metro areas, counties, the "xx999" unallocated rows) and every ownership
  BLS publishes. Hyphens in codes are written as underscores (``31_33``).
* Only when an area or industry is not in the installed tables (or for the
  code list above), BLS's title lists
  ``BASE/cew/doc/titles/area/area_titles.csv`` and
  ``BASE/cew/doc/titles/industry/industry_titles.csv`` (the slices carry
  codes, not titles). A code missing from both keeps an empty title and is
  listed in the summary, never given a made-up one.

Each file is checked as it arrives: the documented columns, ``qtr`` "A", the
asked year, the asked industry, a complete last line. Then the year as a
whole: state and county rows present; statewide totals equal their counties
plus the unallocated row within rounding; the US row (when published) equals
the states; county location quotients reproduce from the counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.data import naics as concordance
from dashboard.data import store, validate
from dashboard.data.build import industry as build_industry
from dashboard.data.cell_bounds import add_cell_bounds
from dashboard.data.ingest.common import SourceError, decode_bytes
from dashboard.data.ingest.qcew import read_qcew
from dashboard.data.update.http import Downloader, NotPublished, Progress, UpdateError
from dashboard.data.update.install import install, read_installed, read_manifest, replace_year, source_file

DEFAULT_BASE = "https://data.bls.gov"
INDUSTRY_SLICE = "{base}/cew/data/api/{year}/a/industry/{code}.csv"
AREA_SLICE = "{base}/cew/data/api/{year}/a/area/{area}.csv"
AREA_TITLES = "{base}/cew/doc/titles/area/area_titles.csv"
INDUSTRY_TITLES = "{base}/cew/doc/titles/industry/industry_titles.csv"

#: Columns of the annual-averages slice layout the update reads (the layout has 38;
#: the others are allowed to change without harm).
REQUIRED = [
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
    "lq_disclosure_code",
    "lq_annual_avg_emplvl",
    "oty_disclosure_code",
    "oty_annual_avg_emplvl_chg",
]
TOTAL = build_industry.TOTAL_CODE
#: How far back the newest published year is looked for.
PROBE_YEARS = 12
#: Share of checked county LQs that must reproduce from the counts.
LQ_MIN_SHARE = 0.95
#: ... and of each industry's (with at least LQ_MIN_ROWS of them). BLS's annual LQs reproduce
#: almost all; a file whose columns changed meaning reproduces almost none.
LQ_MIN_SHARE_CODE = 0.2
LQ_MIN_ROWS = 50
ORDER = ["year", "area_type", "area_fips", "own_code", "naics"]


def slice_code(naics: str) -> str:
    return naics.replace("-", "_")


def industry_url(base: str, year: int, naics: str) -> str:
    return INDUSTRY_SLICE.format(base=base, year=year, code=slice_code(naics))


# ---------------------------------------------------------------- one file


def parse_slice(body: bytes, url: str, year: int, tmp: Path, naics: str | None = None) -> pd.DataFrame | None:
    """One annual-averages slice as the QCEW reader's annual rows (levels the app keeps).

    ``None`` when the file holds the header and no data rows (how BLS answers
    for a year or code it has not published).
    """
    try:
        text = decode_bytes(body)
    except UnicodeDecodeError:
        raise UpdateError(url, "not a text (CSV) file") from None
    if "\x00" in text[:4096]:
        raise UpdateError(url, "binary content where a CSV file was expected")
    if text.lstrip()[:1] == "<":  # BLS answers blocked clients with an HTML page, not a changed layout
        raise UpdateError(
            url,
            "a web page where a CSV file was expected (BLS blocks clients that give no contact: "
            "set SECTOR_ATLAS_CONTACT to your email address)",
        )
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UpdateError(url, "empty file (no header line)")
    header = [c.strip() for c in next(csv.reader([lines[0]]))]
    missing = [
        c
        for c in REQUIRED
        if c not in header and not (c == "annual_avg_estabs" and "annual_avg_estabs_count" in header)
    ]
    if missing:
        raise UpdateError(
            url,
            f"not the QCEW annual-averages layout: column {missing[0]!r} is missing"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
        )
    data = [ln for ln in lines[1:] if ln.strip()]
    if not data:
        return None
    last = next(csv.reader([data[-1]]))
    if len(last) != len(header):
        raise UpdateError(url, f"truncated: the last line has {len(last)} of {len(header)} fields")
    quick = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, usecols=["year", "qtr", "industry_code"])
    bad_qtr = quick["qtr"].str.strip().str.upper() != "A"
    if bad_qtr.any():
        raise UpdateError(
            url,
            f"line {int(bad_qtr.to_numpy().argmax()) + 2}: qtr is {quick['qtr'][bad_qtr].iloc[0]!r}, not 'A' (annual averages)",
        )
    bad_year = quick["year"].str.strip() != str(year)
    if bad_year.any():
        raise UpdateError(
            url,
            f"line {int(bad_year.to_numpy().argmax()) + 2}: year {quick['year'][bad_year].iloc[0]!r}, not the {year} asked for",
        )
    if naics is not None:
        bad_code = quick["industry_code"].str.strip() != naics
        if bad_code.any():
            raise UpdateError(
                url,
                f"line {int(bad_code.to_numpy().argmax()) + 2}: industry {quick['industry_code'][bad_code].iloc[0]!r}, not {naics}",
            )
    path = tmp / "slice.csv"
    path.write_text(text)
    try:
        return read_qcew(path, agglvls=set(build_industry.AGGLVL_AREA_TYPE))
    except SourceError as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise UpdateError(url, where + exc.problem) from None
    finally:
        path.unlink(missing_ok=True)


def parse_titles(body: bytes, url: str, key: str, title: str) -> dict[str, str]:
    """A BLS title list (``"area_fips","area_title"`` or ``"industry_code","industry_title"``)."""
    text = decode_bytes(body)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UpdateError(url, "empty file")
    header = [c.strip() for c in rows[0]]
    if key not in header or title not in header:
        raise UpdateError(url, f"not a BLS title list: expected columns {key!r} and {title!r}")
    k, t = header.index(key), header.index(title)
    return {r[k].strip(): r[t].strip() for r in rows[1:] if len(r) > max(k, t) and r[k].strip()}


# ---------------------------------------------------------------- the year


def newest_year(dl: Downloader, base: str, tmp: Path, today: dt.date | None = None) -> tuple[int, pd.DataFrame]:
    """The newest year whose NAICS 10 slice BLS publishes, and that slice's rows."""
    start = (today or dt.date.today()).year
    for year in range(start, start - PROBE_YEARS, -1):
        try:
            return year, fetch_total(dl, base, year, tmp)
        except NotPublished:
            continue
    raise NotPublished(
        INDUSTRY_SLICE.format(base=base, year="YEAR", code="10"),
        f"BLS publishes no annual averages for {start - PROBE_YEARS + 1}-{start}",
    )


#: The two-digit NAICS sectors as QCEW codes them (manufacturing, trade and transportation span prefixes).
SECTOR_PREFIXES = {
    "11",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "42",
    "44",
    "45",
    "48",
    "49",
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "61",
    "62",
    "71",
    "72",
    "81",
    "92",
    "99",
}


def naics_2_3(codes) -> set[str]:
    """The NAICS sectors and subsectors among QCEW industry codes (not 10, supersectors or domains)."""
    out = set()
    for c in codes:
        if c in ("31-33", "44-45", "48-49") or (
            len(c) in (2, 3)
            and c.isdigit()
            and c[:2] in SECTOR_PREFIXES
            and c not in ("31", "32", "33", "44", "45", "48", "49")
        ):
            out.add(c)
    return out


def year_codes(
    dl: Downloader, base: str, year: int, tmp: Path, installed: list[str], titles: dict, notes: list[str]
) -> list[str]:
    """The 2- and 3-digit NAICS codes to fetch.

    BLS's US rows of the year list exactly the codes it publishes that year. Without them, the
    installed codes and every sector and subsector in BLS's industry title list are asked for;
    a code BLS has no rows for that year then comes back empty and is listed in the summary.
    """
    url = AREA_SLICE.format(base=base, year=year, area="US000")
    body = dl.get(url, missing_ok=True)
    rows = parse_slice(body, url, year, tmp) if body is not None else None
    if rows is not None:
        published = naics_2_3(rows.loc[rows["agglvl_code"].isin([14, 15]), "industry_code"])
        lacking = [c for c in validate.SECTORS if c not in published]
        if lacking:
            # BLS publishes every sector for the nation each year: a list without some is a damaged file
            raise UpdateError(
                url,
                f"the year's code list lacks NAICS {', '.join(lacking[:5])}"
                + (f" and {len(lacking) - 5} more sectors" if len(lacking) > 5 else "")
                + "; nothing was installed",
            )
        retired = sorted(set(installed) - published)
        if retired:
            notes.append(
                f"BLS publishes no {year} rows for NAICS {', '.join(retired)} (a NAICS revision renames codes)"
            )
        return sorted(published)
    listed = naics_2_3(industry_titles(dl, base, titles))
    notes.append(
        f"no US000 area file for {year}: asked for the installed NAICS codes and every sector and "
        f"subsector in BLS's industry title list ({len(set(installed) | listed)} codes)"
    )
    return sorted(set(installed) | listed)


def industry_titles(dl: Downloader, base: str, cache: dict) -> dict[str, str]:
    """BLS's industry title list, fetched once."""
    if "industry" not in cache:
        url = INDUSTRY_TITLES.format(base=base)
        _grow(dl)
        cache["industry"] = parse_titles(dl.get(url), url, "industry_code", "industry_title")
    return cache["industry"]


def fetch_total(dl: Downloader, base: str, year: int, tmp: Path) -> pd.DataFrame:
    """The NAICS 10 slice (all industries) of ``year``: the first file asked for, so an unpublished year stops at once."""
    url = industry_url(base, year, TOTAL)
    body = dl.get(url, missing_ok=True)
    rows = None if body is None else parse_slice(body, url, year, tmp, TOTAL)
    if rows is None:
        why = "HTTP 404" if body is None else "the file holds no rows"
        raise NotPublished(url, f"BLS has not published {year} annual averages ({why})")
    return rows


def fetch_year(
    dl: Downloader, base: str, year: int, codes: list[str], tmp: Path, first: pd.DataFrame, notes: list[str]
) -> pd.DataFrame:
    """Every other slice of the year, with the NAICS 10 rows ``first``, as one frame of reader rows."""
    frames = [first]
    empty = []
    for naics in codes:
        if naics == TOTAL:
            continue
        url = industry_url(base, year, naics)
        rows = parse_slice(dl.get(url), url, year, tmp, naics)
        if rows is None:
            empty.append(naics)
            continue
        frames.append(rows)
    if empty:
        notes.append(f"BLS's {year} files for NAICS {', '.join(empty)} hold no rows (codes not in use that year)")
    return pd.concat(frames, ignore_index=True)


def add_titles(
    rows: pd.DataFrame, installed: pd.DataFrame, dl: Downloader, base: str, titles: dict, notes: list[str]
) -> pd.DataFrame:
    """Area and industry titles: the installed ones where known, else BLS's title lists."""
    newest = installed.sort_values("year", kind="stable")
    areas = dict(zip(newest["area_fips"], newest["area_title"]))
    inds = dict(zip(newest["naics"], newest["industry_title"]))
    need_a = sorted(set(rows["area_fips"]) - {k for k, v in areas.items() if v})
    need_i = sorted(set(rows["industry_code"]) - {k for k, v in inds.items() if v})
    if need_a:
        url = AREA_TITLES.format(base=base)
        _grow(dl)
        areas.update(
            {k: v for k, v in parse_titles(dl.get(url), url, "area_fips", "area_title").items() if k in need_a}
        )
    if need_i:
        inds.update({k: v for k, v in industry_titles(dl, base, titles).items() if k in need_i})
    rows = rows.assign(
        area_title=rows["area_fips"].map(areas).fillna(""), industry_title=rows["industry_code"].map(inds).fillna("")
    )
    for kind, col in (("areas", "area_fips"), ("industries", "industry_code")):
        untitled = sorted(set(rows.loc[rows["area_title" if kind == "areas" else "industry_title"] == "", col]))
        if untitled:
            notes.append(
                f"no BLS title for {len(untitled)} {kind} ({', '.join(untitled[:10])}{', ...' if len(untitled) > 10 else ''}): left blank"
            )
    return rows


def _grow(dl: Downloader) -> None:
    if dl.progress:
        dl.progress.grow(1)


# ---------------------------------------------------------------- checks


def check_totals(raw10: pd.DataFrame, url10: str, year: int, notes: list[str]) -> dict:
    """The NAICS 10 file on its own: state and county rows present, and their totals reconcile.

    A statewide total covered equals its counties plus its unallocated row
    (each published rounded to a whole job, so within n/2 + 1); the US row,
    when published, equals the 50 states and DC.
    """
    ind = build_industry.industry_table(raw10)
    total = ind[(ind["own_code"] == 0) & (ind["naics"] == TOTAL)]
    for kind in ("state", "county"):
        if not (total["area_type"] == kind).any():
            raise UpdateError(url10, f"no {kind} rows (total covered, all industries)")
    facts = {
        "states": int((total["area_type"] == "state").sum()),
        "counties": int((total["area_type"] == "county").sum()),
    }

    is_state = total["area_type"] == "state"
    states = total[is_state].set_index(total.loc[is_state, "area_fips"].str[:2])
    sub = total[total["area_type"].isin(["county", "unallocated"])]
    parts = sub.groupby(sub["area_fips"].str[:2]).agg(
        emp=("emplvl", "sum"), hidden=("emplvl", lambda s: int(s.isna().sum())), n=("emplvl", "size")
    )
    both = states[["area_fips", "emplvl"]].join(parts, how="inner")
    both = both[both["emplvl"].notna() & (both["hidden"] == 0)]
    off = (both["emplvl"].astype("float64") - both["emp"].astype("float64")).abs() > both["n"] / 2 + 1
    if off.any():
        r = both[off].iloc[0]
        raise UpdateError(
            url10,
            f"totals do not reconcile: {r['area_fips']} total covered {int(r['emplvl']):,} "
            f"but its counties and unallocated row sum to {int(r['emp']):,}",
        )
    facts["states_reconciled"] = len(both)
    without = sorted(set(states.index) - set(parts.index))
    if without:
        notes.append(f"BLS's {year} files hold no county rows for state FIPS {', '.join(without)}")
    missing_states = sorted(set(parts.index) - set(states.index) - build_industry.NOT_IN_US_TOTAL)
    if missing_states:
        notes.append(
            f"no statewide row for state FIPS {', '.join(missing_states)}: their totals are their counties' sums"
        )

    us = total[total["area_type"] == "us"]
    if len(us):
        in_us = states[~states.index.isin(build_industry.NOT_IN_US_TOTAL)]
        if not missing_states and in_us["emplvl"].notna().all():
            us_emp, st_emp = float(us["emplvl"].iloc[0]), float(in_us["emplvl"].sum())
            if abs(us_emp - st_emp) > max(len(in_us), 0.001 * us_emp):
                raise UpdateError(
                    url10,
                    f"totals do not reconcile: US000 total covered {us_emp:,.0f} but the states sum to {st_emp:,.0f}",
                )
        facts["national_base"] = "published US row (US000)"
    else:
        facts["national_base"] = "recovered from published state location quotients (no US000 rows)"
        notes.append(
            f"no US000 rows in the {year} files: the national base is recovered from published state location quotients"
        )
    return facts


def check_county_lqs(ind: pd.DataFrame, nat: pd.DataFrame, base: str, year: int) -> dict:
    """Private county rows with a published LQ: (jobs / county total covered) / US share against the LQ."""
    county_total = ind[(ind["area_type"] == "county") & (ind["own_code"] == 0) & (ind["naics"] == TOTAL)]
    base_emp = county_total.set_index("area_fips")["emplvl"].astype("float64")
    share = nat[nat["own_code"] == 5].set_index("naics")["us_share"]
    rows = ind[
        (ind["area_type"] == "county") & (ind["own_code"] == 5) & (ind["lq_published"] > 0) & (ind["emplvl"] > 0)
    ].copy()
    rows["base"] = rows["area_fips"].map(base_emp)
    rows["share"] = rows["naics"].map(share)
    rows = rows[(rows["base"] > 0) & (rows["share"] > 0)]
    if rows.empty:
        raise UpdateError(
            industry_url(base, year, TOTAL), "no private county rows with a published location quotient to check"
        )
    emp = rows["emplvl"].astype("float64")
    lq = rows["lq_published"].astype("float64")
    computed = emp / rows["base"] / rows["share"]
    # the LQ is published to 0.01; employment counts are rounded to whole jobs; the US share is exact
    # when published and carries about 1% when recovered from state LQs
    share_tol = 0.002 if (nat["basis"] == "published US row").all() else 0.01
    tol = 0.006 + lq * (0.5 / emp + 0.5 / rows["base"] + share_tol)
    ok = (computed - lq).abs() <= tol
    rate = float(ok.mean())
    by_code = ok.groupby(rows["naics"]).agg(["mean", "size"])
    by_code = by_code[by_code["size"] >= LQ_MIN_ROWS].sort_values("mean")
    if rate < LQ_MIN_SHARE or (len(by_code) and by_code["mean"].iloc[0] < LQ_MIN_SHARE_CODE):
        code = by_code.index[0] if len(by_code) else rows["naics"].iloc[0]
        share_code = float(by_code["mean"].iloc[0]) if len(by_code) else rate
        r = rows[(rows["naics"] == code) & ~ok].iloc[0]
        raise UpdateError(
            industry_url(base, year, code),
            f"county location quotients do not reproduce from the counts: {share_code:.0%} of NAICS {code}'s "
            f"and {rate:.1%} of all {len(rows):,} within rounding (e.g. {r['area_fips']}: published "
            f"{r['lq_published']:.2f}, from the counts {float(computed[r.name]):.2f})",
        )
    return {"county_lqs_checked": len(rows), "county_lqs_reproduced": round(rate, 4)}


# ---------------------------------------------------------------- the command


def naics_vintages(data_dir: Path) -> concordance.Vintages:
    """The installed NAICS concordance (which vintage a year's codes are)."""
    try:
        return concordance.load(data_dir / concordance.FILE_NAME)
    except store.DataError as exc:
        raise UpdateError(str(data_dir / concordance.FILE_NAME), str(exc)) from None


def update_qcew(data_dir: Path, year: int | None, base: str = DEFAULT_BASE, log=print, stream=None) -> dict:
    """Fetch, check and install one year of QCEW annual averages; return what was done."""
    data_dir = Path(data_dir)
    base = base.rstrip("/")
    manifest = read_manifest(data_dir)
    installed = read_installed(data_dir, "industry")
    national = read_installed(data_dir, "national")
    areas = read_installed(data_dir, "regions")
    # the metro rows' equations bound the new year's cells too, as at build time
    metros = build_industry.metro_members(areas[areas["scheme"] == "cbsa"])
    installed_codes = sorted(set(national.loc[national["naics"] != TOTAL, "naics"]))
    if not installed_codes:
        installed_codes = sorted(set(installed.loc[installed["naics"] != TOTAL, "naics"]))
    notes: list[str] = []
    progress = Progress(f"QCEW {year or ''}".strip(), len(installed_codes) + 2, stream=stream)
    dl = Downloader(progress)
    started = dt.datetime.now()
    try:
        with tempfile.TemporaryDirectory(prefix="sector-atlas-update-") as tmp:
            tmp = Path(tmp)
            if year is None:
                year, first = newest_year(dl, base, tmp)
                progress.label = f"QCEW {year}"
            else:
                first = fetch_total(dl, base, year, tmp)
            facts = check_totals(first, industry_url(base, year, TOTAL), year, notes)
            titles: dict = {}
            codes = year_codes(dl, base, year, tmp, installed_codes, titles, notes)
            progress.grow(len(codes) - len(installed_codes))
            raw = fetch_year(dl, base, year, codes, tmp, first, notes)
            raw = add_titles(raw, installed, dl, base, titles, notes)
    finally:
        progress.close()
    published = build_industry.published_rows(raw)
    try:  # the published figures first: solving the ranges takes most of an update's time
        validate.check_industry(published)
    except validate.DataFault as exc:
        source = {"source": INDUSTRY_SLICE.format(base=base, year=year, code="CODE")}
        raise UpdateError(source_file(source, exc.table, exc.row), f"{exc}; nothing was installed") from None
    try:
        rows = add_cell_bounds(published, metros)
        nat = build_industry.national_table(rows)
    except (ValueError, KeyError) as exc:
        # a fault the ranges' solver found names its industry (cell_bounds.CellFault): that file is to blame
        code = getattr(exc, "naics", None) or TOTAL
        raise UpdateError(industry_url(base, year, code), f"the national base cannot be formed ({exc})") from None
    facts.update(check_county_lqs(rows, nat, base, year))
    # the year's NAICS vintage, from the codes its files hold (BLS's rule by year where they cannot tell)
    vintages = naics_vintages(data_dir)
    facts["naics_vintage"] = concordance.vintage_of(year, rows["naics"].unique(), vintages)
    if facts["naics_vintage"] != vintages.by_rule(year):
        notes.append(
            f"the {year} files are coded in NAICS {facts['naics_vintage']}, not the NAICS "
            f"{vintages.by_rule(year)} BLS's schedule gives that year"
        )
    new_ind = replace_year(installed, rows, year, ORDER)
    new_nat = replace_year(national, nat, year, ["year"])
    record = {
        "year": int(year),
        "source": INDUSTRY_SLICE.format(base=base, year=year, code="CODE"),
        "files": dl.files,
        "bytes": dl.bytes,
        "rows": len(rows),
        "ownerships": sorted(int(o) for o in rows["own_code"].unique()),
        **facts,
        "notes": notes,
    }
    install(data_dir, {"industry": new_ind, "national": new_nat}, manifest, "industry", record)
    record["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
    return record


def check_qcew(data_dir: Path, year: int | None, base: str = DEFAULT_BASE, stream=None) -> dict:
    """What :func:`update_qcew` would fetch (the year, its vintage, files, estimated bytes), writing nothing.

    Only the NAICS 10 file and the US000 code list are downloaded (to memory and a temporary folder);
    the other files are estimated from an earlier update's bytes per file, else at the NAICS 10 file's
    size each (an upper bound: it holds every area and ownership).
    """
    data_dir = Path(data_dir)
    base = base.rstrip("/")
    national = read_installed(data_dir, "national")
    installed_codes = sorted(set(national.loc[national["naics"] != TOTAL, "naics"]))
    notes: list[str] = []
    progress = Progress(f"QCEW {year or ''} (check)".strip(), 2, stream=stream)
    dl = Downloader(progress)
    try:
        with tempfile.TemporaryDirectory(prefix="sector-atlas-check-") as tmp:
            tmp = Path(tmp)
            if year is None:
                year, _ = newest_year(dl, base, tmp)
            else:
                fetch_total(dl, base, year, tmp)
            total_bytes = dl.bytes
            codes = year_codes(dl, base, year, tmp, installed_codes, {}, notes)
    finally:
        progress.close()
    vintages = naics_vintages(data_dir)
    files = 1 + len(codes)
    earlier = [r for _, r in sorted(read_manifest(data_dir).get("updates", {}).get("industry", {}).items())]
    earlier = [r for r in earlier if r.get("files") and r.get("bytes")]
    if earlier:  # an earlier update's bytes per file
        estimate = int(earlier[-1]["bytes"] / earlier[-1]["files"] * files)
        basis = f"from the {earlier[-1]['year']} update's bytes per file"
    else:  # each file at the all-industries file's size: an upper bound, as that file holds every area
        estimate = int(total_bytes * files)
        basis = "an upper bound: each file at the all-industries file's size"
    return {
        "year": int(year),
        "source": INDUSTRY_SLICE.format(base=base, year=year, code="CODE"),
        "naics_vintage": concordance.vintage_of(year, codes, vintages),
        "files": files,
        "estimated_bytes": estimate,
        "estimate_basis": basis,
        "downloaded_for_the_check": dl.bytes,
        "written": False,
        "notes": notes,
    }


__all__ = ["DEFAULT_BASE", "check_qcew", "industry_url", "parse_slice", "update_qcew"]
