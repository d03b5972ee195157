"""CDC/ATSDR Social Vulnerability Index 2022, US county file.

Publisher: Centers for Disease Control and Prevention / Agency for Toxic
Substances and Disease Registry, Social Vulnerability Index (SVI) 2022,
county level (SVI_2022_US_county.csv), built from ACS 2018-22 5-year
estimates. ``E_*`` columns are estimated counts, ``EP_*`` the published
percentages.

Quirks handled: UTF-8 byte-order mark; ``-999`` marks a missing value and
becomes missing, never zero; FIPS stored as numbers (leading zero lost, e.g.
``9110``), padded back to five digits; Connecticut appears as its planning
regions 09110-09190.

Universe (denominator) rules. SVI publishes no denominators, and each
indicator has its own ACS universe, so one is chosen per indicator:

* household-based indicators (``no_vehicle``, ``no_internet``): the universe is
  ``E_HH``, the households estimate, exactly;
* person-based indicators (``pov150``, ``limited_english``, ``disability``,
  ``uninsured``, ``no_hs_diploma``): the universe is implied from the count and
  the published percent, ``round(count * 100 / EP)``, when ``EP >= 1.0`` and
  ``count > 0``. Below 1% the one-decimal rounding of EP makes the implied
  figure too imprecise (up to +/-5% and worse), and with a zero count or
  percent it is undefined; then ``E_TOTPOP`` (total population) stands in,
  which overstates universes such as adults 25+ but keeps the share small and
  defined;
* a missing count gives a missing universe.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.ingest.common import SourceError, pad_fips, read_csv_table, require_columns, to_number

MISSING = -999
MIN_PRECISE_PCT = 1.0

#: Output name -> (publisher's stem: E_<stem> count, EP_<stem> percent; universe basis).
#: No-internet is one of the supplemental columns at the end of the 2022 file.
INDICATORS = {
    "pov150": ("POV150", "persons"),
    "limited_english": ("LIMENG", "persons"),
    "no_vehicle": ("NOVEH", "households"),
    "disability": ("DISABL", "persons"),
    "uninsured": ("UNINSUR", "persons"),
    "no_internet": ("NOINT", "households"),
    "no_hs_diploma": ("NOHSDP", "persons"),
    # EP_AGE17 is a share of total population, so that is its exact universe
    "age17": ("AGE17", "population"),
}

REQUIRED = ["FIPS", "LOCATION", "E_TOTPOP", "E_HH"] + [
    f"{prefix}_{stem}" for stem, _ in INDICATORS.values() for prefix in ("E", "EP")
]

COLUMNS = ["fips", "area_name", "population", "households"] + [
    f"{name}{suffix}" for name in INDICATORS for suffix in ("", "_universe", "_pct_published")
]


def read_svi(path: str | Path) -> pd.DataFrame:
    """Indicator counts, universes and published percents, one row per county."""
    raw = read_csv_table(path, ["FIPS", "LOCATION"])
    require_columns(raw, REQUIRED, path)
    lines = raw["_line"]
    out = pd.DataFrame({"fips": pad_fips(raw["FIPS"], 5, path, "FIPS", lines)})
    out["area_name"] = raw["LOCATION"].str.strip()
    out["population"] = _count(raw, "E_TOTPOP", path)
    out["households"] = _count(raw, "E_HH", path)
    for name, (stem, basis) in INDICATORS.items():
        count = _count(raw, f"E_{stem}", path)
        pct = _estimate(raw, f"EP_{stem}", path)
        if basis == "persons":
            base = _person_universe(count, pct, out["population"])
        else:
            base = out[basis]
        out[name] = count
        out[f"{name}_universe"] = base.where(count.notna()).astype("Int64")
        out[f"{name}_pct_published"] = pct
    return out[COLUMNS]


def _person_universe(count: pd.Series, pct: pd.Series, population: pd.Series) -> pd.Series:
    count = count.astype("float64")
    precise = (pct >= MIN_PRECISE_PCT) & (count > 0)
    implied = np.round(count * 100 / pct.where(precise))
    return implied.where(precise, population.astype("float64"))


def _estimate(raw: pd.DataFrame, column: str, path) -> pd.Series:
    """A numeric column with the -999 code (in any spelling: -999.0) as missing."""
    x = to_number(raw[column], path, column, raw["_line"])
    return x.where(x != MISSING)


def _count(raw: pd.DataFrame, column: str, path) -> pd.Series:
    """Whole-number estimates; a fraction means the wrong column was picked up."""
    x = _estimate(raw, column, path)
    frac = x.notna() & (x % 1 != 0)
    if frac.any():
        idx = frac[frac].index[0]
        raise SourceError(
            path, f"column {column!r}: {raw[column][idx]!r} is not a whole count", line=int(raw["_line"][idx])
        )
    return x.astype("Int64")
