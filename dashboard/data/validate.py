"""What a yearly table must satisfy as a whole before it is installed: ``build`` and ``update`` alike.

The column checks of :mod:`dashboard.data.table_rules` find a damaged file; the
rules here find figures that cannot all be true at once: a subsector above its
sector, a county above its state, a negative count, a figure larger than the
nation's, a published location quotient the counts contradict, a range whose
low end is above its high end, a year whose code list is a fraction of the
vintage's. One such cell would otherwise flow into every bound of its state
(the ranges are solved from the published figures) and into rankings.

:func:`check` raises :class:`DataFault` naming the row and the rule; the caller
adds the file (the publisher's address during an update, the raw file during a
build) and stops before anything is written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.data.cell_bounds import CELL_COLUMNS, sector_of

#: Published figures are rounded to whole jobs (and dollars): a part may exceed its whole by this.
ROUNDING = 1.0
#: Relative slack on the national ceilings (the US row and the states' sum differ by rounding and by
#: the outlying areas).
NATION_MARGIN = 0.01
#: The 2-digit NAICS sectors every QCEW and CBP year publishes (99, unclassified, may be absent).
SECTORS = (
    "11", "21", "22", "23", "31-33", "42", "44-45", "48-49", "51", "52",
    "53", "54", "55", "56", "61", "62", "71", "72", "81",
)  # fmt: skip
#: A year must list at least this share of the 3-digit codes of the fullest other year: a NAICS
#: revision renames about a dozen of some 90, a truncated code list loses most.
CODE_SHARE = 0.8
#: Whole-number columns: a figure beyond 2**53 cannot be a count (and sums of it would wrap).
COUNTS = {
    "industry": ["estabs", "emplvl", "total_wages", "avg_annual_pay"],
    "cbp": ["estab", "emp", "payann"],
}
INDUSTRY_KEY = ["year", "area_fips", "own_code", "naics"]
CBP_KEY = ["year", "fips", "naics"]
#: How far a published LQ may stand from the one its counts give (see :func:`check_lqs`).
LQ_FACTOR = 2.0
OWNERSHIP_WORDS = {0: "all ownerships", 1: "federal", 2: "state government", 3: "local government", 5: "private"}


class DataFault(ValueError):
    """Figures that cannot be installed: ``row`` says which (in words), ``rule`` what they break."""

    def __init__(self, table: str, row: dict, rule: str):
        self.table, self.row, self.rule = table, row, rule
        super().__init__(f"{describe(row)}: {rule}" if row else rule)


def describe(row: dict) -> str:
    """A row in words: ``row year 2016, area 18039, private, NAICS 336``."""
    parts = []
    for key in ("year", "area_fips", "fips", "own_code", "naics"):
        if key in row and row[key] is not None:
            value = row[key]
            if key == "own_code":
                parts.append(OWNERSHIP_WORDS.get(int(value), f"ownership {value}"))
            elif key == "naics":
                parts.append(f"NAICS {value}")
            elif key == "year":
                parts.append(f"year {int(value)}")
            else:
                parts.append(f"area {value}")
    return "row " + ", ".join(parts)


def _fault(table: str, frame: pd.DataFrame, bad, key: list[str], rule) -> None:
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        i = int(bad.argmax())
        row = frame.iloc[i]
        text = rule(row) if callable(rule) else rule
        raise DataFault(table, {k: row[k] for k in key if k in frame.columns}, text)


def _f(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()


# ---------------------------------------------------------------- shared rules


def check_counts(table: str, df: pd.DataFrame, columns: list[str], key: list[str]) -> None:
    """Whole, finite, non-negative numbers, small enough that sums of them cannot wrap."""
    for col in columns:
        if col not in df:
            continue
        s = df[col]
        if not (pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)):
            v = _f(s)
            whole = np.isnan(v) | (np.isfinite(v) & (np.floor(v) == v))
            _fault(table, df, ~whole, key, lambda r, c=col: f"{c} is {r[c]!r}, not a whole number")
        v = _f(s)
        _fault(table, df, np.isinf(v), key, lambda r, c=col: f"{c} is {r[c]}, not a finite number")
        _fault(table, df, v < 0, key, lambda r, c=col: f"{c} is {r[c]:,}, below zero")
        _fault(table, df, np.abs(v) > 2.0**53, key, lambda r, c=col: f"{c} is {r[c]:,}, too large to be a count")


def _parents(codes: pd.Series, total: str) -> pd.Series:
    """Each code's parent in the NAICS hierarchy (3-digit -> sector -> ``total``); None for the total."""
    table = {c: sector_of(c) for c in codes.unique()}
    out = codes.map(table)
    return out.where(out != "10", total).where(codes != total, None)


def check_children(
    table: str, df: pd.DataFrame, group: list[str], code: str, total: str, columns: list[str], key: list[str]
) -> None:
    """Every published part at most its published whole (within rounding), industry by industry."""
    parent = _parents(df[code], total)
    index = df.set_index([*group, code])
    for col in columns:
        whole = index[col]
        whole = whole[~whole.index.duplicated()]
        lookup = pd.MultiIndex.from_arrays([*(df[g] for g in group), parent])
        pv = _f(whole.reindex(lookup).to_numpy())
        v = _f(df[col])
        bad = (v > pv + ROUNDING) & ~np.isnan(pv)
        _fault(
            table,
            df,
            bad,
            key,
            lambda r, c=col, p=pd.Series(pv, index=df.index), q=parent: (
                f"{c} {_num(r[c])} is above its parent NAICS {q[r.name]}'s {_num(p[r.name])}"
            ),
        )


def check_areas(
    table: str, df: pd.DataFrame, child: pd.Series, parent_fips: pd.Series, match: list[str], columns, key, words: str
) -> None:
    """Every published area figure at most its containing area's (county <= state <= nation)."""
    sub = df[child]
    if sub.empty:
        return
    fips_col = "area_fips" if "area_fips" in df else "fips"
    whole = df.set_index([*match, fips_col])
    lookup = pd.MultiIndex.from_arrays([*(sub[m] for m in match), parent_fips[child]])
    for col in columns:
        w = whole[col]
        w = w[~w.index.duplicated()]
        pv = _f(w.reindex(lookup).to_numpy())
        v = _f(sub[col])
        bad = (v > pv + ROUNDING) & ~np.isnan(pv)
        pvs = pd.Series(pv, index=sub.index)
        _fault(table, sub, bad, key, lambda r, c=col, p=pvs: f"{c} {_num(r[c])} is above {words} ({_num(p[r.name])})")


def _num(x) -> str:
    try:
        return f"{float(x):,.0f}"
    except (TypeError, ValueError):
        return str(x)


# ---------------------------------------------------------------- QCEW


def nation(industry: pd.DataFrame) -> pd.DataFrame:
    """Per year, the nation's total covered establishments, jobs and wages: the US row where
    published, else the states' sum (what every figure of that year must stay within)."""
    total = industry[(industry["own_code"] == 0) & (industry["naics"] == "10")]
    cols = ["estabs", "emplvl", "total_wages"]
    out = {}
    for year, rows in total.groupby("year"):
        us = rows[rows["area_type"] == "us"]
        src = us if len(us) else rows[rows["area_type"] == "state"]
        out[int(year)] = {c: float(_f(src[c]).sum()) if len(src) else np.nan for c in cols}
    return pd.DataFrame.from_dict(out, orient="index", columns=cols)


def check_industry(industry: pd.DataFrame, years=None, national: pd.DataFrame | None = None) -> None:
    """QCEW rows (the industry table) of ``years`` (every year when None); ``national`` (the base of
    the same years) lets published location quotients be checked against the counts."""
    df = industry if years is None else industry[industry["year"].isin(list(years))]
    df = df.reset_index(drop=True)
    if df.empty:
        return
    key = INDUSTRY_KEY
    check_counts("industry", df, COUNTS["industry"], key)
    for col in ("lq_published", "oty_emplvl_chg", *CELL_COLUMNS):
        if col in df:
            v = _f(df[col])
            bad = np.isinf(v) if not col.startswith(("prior", "change")) else np.zeros(len(v), bool)
            _fault("industry", df, bad, key, lambda r, c=col: f"{c} is {r[c]}, not a finite number")
    lq = _f(df["lq_published"])
    _fault("industry", df, lq < 0, key, lambda r: f"location quotient {r['lq_published']} is below zero")

    # magnitudes: nothing above the nation's own figure of the year
    nat = nation(df)
    for col in ("estabs", "emplvl", "total_wages"):
        ceiling = df["year"].astype(int).map(nat[col]).to_numpy(dtype="float64") * (1 + NATION_MARGIN) + ROUNDING
        bad = (_f(df[col]) > ceiling) & ~np.isnan(ceiling)
        _fault("industry", df, bad, key, lambda r, c=col: f"{c} {_num(r[c])} is above the nation's total")
    emp_ceiling = df["year"].astype(int).map(nat["emplvl"]).to_numpy(dtype="float64") * (1 + NATION_MARGIN)
    chg = _f(df["oty_emplvl_chg"])
    _fault(
        "industry",
        df,
        np.abs(chg) > emp_ceiling,
        key,
        lambda r: f"over-the-year change {r['oty_emplvl_chg']:,} is larger than the nation's employment",
    )

    # the industry hierarchy, within each area and ownership; each ownership within all ownerships
    check_children("industry", df, ["year", "area_fips", "own_code"], "naics", "10", ["estabs", "emplvl"], key)
    own = df[(df["naics"] == "10") & (df["own_code"] != 0)]
    if len(own):
        whole = df[(df["naics"] == "10") & (df["own_code"] == 0)].set_index(["year", "area_fips"])["emplvl"]
        whole = whole[~whole.index.duplicated()]
        pv = _f(whole.reindex(pd.MultiIndex.from_frame(own[["year", "area_fips"]])).to_numpy())
        bad = (_f(own["emplvl"]) > pv + ROUNDING) & ~np.isnan(pv)
        _fault("industry", own, bad, key, "jobs of one ownership above the area's all-ownership total")

    # geography: a county (or unallocated row) within its state, a state or metro within the nation
    fips = df["area_fips"].astype(str)
    match = ["year", "own_code", "naics"]
    in_state = df["area_type"].isin(["county", "unallocated"])
    check_areas("industry", df, in_state, fips.str[:2] + "000", match, ["estabs", "emplvl"], key, "its state's")
    in_us = df["area_type"].isin(["state", "metro"])
    us = pd.Series("US000", index=df.index)
    check_areas("industry", df, in_us, us, match, ["estabs", "emplvl"], key, "the nation's")

    check_lqs(df, key, national)
    check_ranges(df, key, nat)


def check_lqs(df: pd.DataFrame, key: list[str], national: pd.DataFrame | None) -> None:
    """A published private location quotient agrees with the counts it is made of.

    BLS's annual LQ is the mean of twelve monthly ones, so a seasonal industry's differs from the
    annual counts' by a few tenths; no real row (183,297 in 2016) is off by more than a factor of
    :data:`LQ_FACTOR` once the counts' rounding is allowed for. A changed count or LQ is.
    """
    if national is None or national.empty:
        return
    base = df[(df["own_code"] == 0) & (df["naics"] == "10")].set_index(["year", "area_fips"])["emplvl"]
    base = base[~base.index.duplicated()]
    nat = national[national["own_code"] == 5].set_index(["year", "naics"])["us_share"]
    nat = nat[~nat.index.duplicated()]
    b = _f(base.reindex(pd.MultiIndex.from_frame(df[["year", "area_fips"]])).to_numpy())
    share = _f(nat.reindex(pd.MultiIndex.from_frame(df[["year", "naics"]])).to_numpy())
    emp, lq = _f(df["emplvl"]), _f(df["lq_published"])
    with np.errstate(invalid="ignore", divide="ignore"):
        high = (emp + 0.5) / b / share
        low = np.maximum(emp - 0.5, 0) / b / share
    usable = (df["own_code"].to_numpy() == 5) & (b > 0) & (share > 0) & ~np.isnan(lq) & ~np.isnan(emp)
    bad = usable & ((low > LQ_FACTOR * lq + 0.05) | (high * LQ_FACTOR + 0.05 < lq))
    _fault(
        "industry",
        df,
        bad,
        key,
        lambda r: f"published location quotient {r['lq_published']} does not agree with {_num(r['emplvl'])} jobs",
    )


def check_ranges(df: pd.DataFrame, key: list[str], nat: pd.DataFrame) -> None:
    """The stored ranges of hidden cells: low <= estimate <= high, never below zero (jobs, wages,
    last year's jobs), never above the nation's figure, never above the published parent."""
    ceiling = {
        "emplvl": df["year"].astype(int).map(nat["emplvl"]).to_numpy(dtype="float64") * (1 + NATION_MARGIN),
        "wages": df["year"].astype(int).map(nat["total_wages"]).to_numpy(dtype="float64") * (1 + NATION_MARGIN),
    }
    ceiling["prior"] = ceiling["emplvl"]
    for table in ("emplvl", "wages", "prior"):
        cols = [f"{table}_{s}" for s in ("low", "high", "estimate")]
        if not all(c in df for c in cols):
            continue
        lo, hi, est = (_f(df[c]) for c in cols)
        _fault(
            "industry",
            df,
            lo > hi,
            key,
            lambda r, t=table: f"{t} range {_num(r[t + '_low'])} to {_num(r[t + '_high'])}: low above high",
        )
        _fault("industry", df, (est < lo) | (est > hi), key, lambda r, t=table: f"{t} estimate outside its range")
        _fault("industry", df, lo < 0, key, lambda r, t=table: f"{t} range starts below zero ({_num(r[t + '_low'])})")
        top = ceiling[table] + ROUNDING
        _fault("industry", df, (hi > top) & np.isfinite(hi) & ~np.isnan(top), key,
               lambda r, t=table: f"{t} range reaches {_num(r[t + '_high'])}, above the nation's total")  # fmt: skip
    if all(c in df for c in ("change_low", "change_high")):
        lo, hi = _f(df["change_low"]), _f(df["change_high"])
        _fault("industry", df, lo > hi, key, "change range: low above high")
    # a hidden child's range within its published parent
    if "emplvl_low" in df:
        parent = _parents(df["naics"], "10")
        whole = df.set_index(["year", "area_fips", "own_code", "naics"])["emplvl"]
        whole = whole[~whole.index.duplicated()]
        lookup = pd.MultiIndex.from_arrays([df["year"], df["area_fips"], df["own_code"], parent])
        pv = _f(whole.reindex(lookup).to_numpy())
        lo = _f(df["emplvl_low"])
        _fault(
            "industry", df, lo > pv + ROUNDING, key, "a hidden cell's range starts above its parent's published jobs"
        )


def check_national(national: pd.DataFrame, years=None) -> None:
    """The national base: shares within 0..1, the code list complete for the year's vintage."""
    df = national if years is None else national[national["year"].isin(list(years))]
    df = df.reset_index(drop=True)
    if df.empty:
        return
    key = ["year", "own_code", "naics"]
    share = _f(df["us_share"])
    _fault(
        "national",
        df,
        ~((share >= 0) & (share <= 1 + 1e-6)),
        key,
        lambda r: f"US share {r['us_share']} is not between 0 and 1",
    )
    check_counts("national", df, ["us_emplvl"], key)
    growth = _f(df["us_oty_growth"])
    _fault("national", df, np.isinf(growth) | (growth <= -1) | (growth > 10), key,
           lambda r: f"US growth {r['us_oty_growth']} is not a possible change")  # fmt: skip
    check_code_list(national, sorted(int(y) for y in df["year"].unique()))


def check_code_list(national: pd.DataFrame, years: list[int]) -> None:
    """Each year lists every sector and most of the subsectors of the fullest year."""
    private = national[national["own_code"] == 5]
    by_year = {int(y): set(g["naics"]) for y, g in private.groupby("year")}
    subsectors = {y: {c for c in codes if len(c) == 3} for y, codes in by_year.items()}
    fullest = max((len(s) for s in subsectors.values()), default=0)
    for year in years:
        codes = by_year.get(year, set())
        missing = [c for c in SECTORS if c not in codes]
        if missing:
            raise DataFault(
                "national",
                {"year": year},
                f"the year's code list lacks NAICS {', '.join(missing[:5])}"
                + (f" and {len(missing) - 5} more sectors" if len(missing) > 5 else ""),
            )
        if len(subsectors.get(year, ())) < CODE_SHARE * fullest:
            raise DataFault(
                "national",
                {"year": year},
                f"the year's code list holds {len(subsectors.get(year, ()))} subsectors where another year holds {fullest}",
            )


# ---------------------------------------------------------------- CBP


def check_cbp(cbp: pd.DataFrame, years=None, ceilings: pd.DataFrame | None = None) -> None:
    """County Business Patterns rows: whole non-negative counts, parts within wholes, counties
    within states, nothing above the nation (``ceilings``: :func:`nation` of the QCEW rows)."""
    df = cbp if years is None else cbp[cbp["year"].isin(list(years))]
    df = df.reset_index(drop=True)
    if df.empty:
        return
    key = CBP_KEY
    check_counts("cbp", df, COUNTS["cbp"], key)
    if ceilings is not None and len(ceilings):
        # CBP counts fewer employees than QCEW (no government, no farms): the largest QCEW year bounds it
        top = ceilings.max() * (1 + 10 * NATION_MARGIN)
        for col, limit in (("estab", top["estabs"]), ("emp", top["emplvl"]), ("payann", top["total_wages"])):
            if np.isfinite(limit):
                _fault(
                    "cbp",
                    df,
                    _f(df[col]) > limit,
                    key,
                    lambda r, c=col: f"{c} {_num(r[c])} is above the nation's total",
                )
    check_children("cbp", df, ["year", "fips"], "naics", "00", ["estab", "emp", "payann"], key)
    fips = df["fips"].astype(str)
    county = df["area_type"] == "county" if "area_type" in df else ~fips.str.endswith("000")
    check_areas(
        "cbp", df, county, fips.str[:2] + "000", ["year", "naics"], ["estab", "emp", "payann"], key, "its state's"
    )


def check(tables: dict[str, pd.DataFrame], years=None, context: dict[str, pd.DataFrame] | None = None) -> None:
    """Every rule for the yearly tables among ``tables`` (rows of ``years`` only, when given).

    ``context`` holds installed tables the rules compare against (the QCEW rows bound CBP's).
    """
    context = {**(context or {}), **tables}
    if "industry" in tables:
        check_industry(tables["industry"], years, context.get("national"))
    if "national" in tables:
        check_national(tables["national"], years)
    if "cbp" in tables:
        ceilings = nation(context["industry"]) if "industry" in context else None
        check_cbp(tables["cbp"], years, ceilings)
