"""Region schemes: every county mapped to a region id and name, per scheme.

Schemes: ``county``, ``cbsa`` (OMB 2023 metro and micro areas), ``cz`` (2020
commuting zones), ``bea`` (BEA economic areas), ``in-egr`` (Indiana economic
growth regions), ``state``. A county outside every region of a scheme (a
county in no CBSA) is simply absent from that scheme.
"""

from __future__ import annotations

import pandas as pd

SCHEMES = ["county", "cbsa", "cz", "bea", "in-egr", "state"]
COLUMNS = ["scheme", "fips", "region_id", "region_name"]


def county_scheme(counties: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """One region per county. ``extra`` adds counties that exist in the data
    but not on the current map (Connecticut's eight former counties, used by
    the 2016 industry data)."""
    names = counties[["fips", "name", "state_abbr"]].assign(region_name=lambda d: d["name"] + ", " + d["state_abbr"])
    frames = [names[["fips", "region_name"]]]
    if extra is not None:
        frames.append(extra[~extra["fips"].isin(counties["fips"])][["fips", "region_name"]])
    out = pd.concat(frames, ignore_index=True)
    return _scheme("county", out.assign(region_id=out["fips"]))


def state_scheme(counties_all: pd.Series, states: pd.DataFrame) -> pd.DataFrame:
    names = states.set_index("fips")["name"]
    df = pd.DataFrame({"fips": counties_all})
    df["region_id"] = df["fips"].str[:2]
    df["region_name"] = df["region_id"].map(names)
    return _scheme("state", df.dropna(subset=["region_name"]))


def cbsa_scheme(cbsa: pd.DataFrame) -> pd.DataFrame:
    kind = cbsa["metro_micro"].map({"metro": "Metro Area", "micro": "Micro Area"})
    df = pd.DataFrame({"fips": cbsa["fips"], "region_id": cbsa["cbsa_code"],
                       "region_name": cbsa["cbsa_title"] + " " + kind})
    return _scheme("cbsa", df)


def cz_scheme(cz: pd.DataFrame, population: pd.Series, county_names: pd.Series) -> pd.DataFrame:
    """Commuting zones carry no names: each is named after its most populous
    county (2024 estimate; counties without one rank last)."""
    df = cz[["fips", "cz_id"]].rename(columns={"cz_id": "region_id"}).copy()
    df["pop"] = df["fips"].map(population).fillna(-1)
    lead = df.sort_values(["region_id", "pop", "fips"], ascending=[True, False, True]).drop_duplicates("region_id")
    lead_name = lead.set_index("region_id")["fips"].map(county_names)
    df["region_name"] = df["region_id"].map(lead_name).fillna("Commuting zone " + df["region_id"]) + " area"
    return _scheme("cz", df)


def bea_scheme(bea: pd.DataFrame) -> pd.DataFrame:
    df = bea.rename(columns={"ea_id": "region_id", "ea_name": "region_name"})
    df["region_name"] = df["region_name"] + " economic area"
    return _scheme("bea", df)


def indiana_egr_scheme(egr: pd.DataFrame) -> pd.DataFrame:
    df = egr.rename(columns={"egr_id": "region_id"})
    df["region_name"] = "Indiana Economic Growth Region " + df["region_id"]
    return _scheme("in-egr", df)


def _scheme(name: str, df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(scheme=name)[COLUMNS].astype(str)
    if out["fips"].duplicated().any():
        dup = out.loc[out["fips"].duplicated(), "fips"].iloc[0]
        raise ValueError(f"scheme {name}: county {dup} is assigned to two regions")
    return out.sort_values(["region_id", "fips"], key=_natural).reset_index(drop=True)


def _natural(col: pd.Series) -> pd.Series:
    # numeric ids (CZ 3, 10, 100) sort as numbers
    return col.str.zfill(8) if col.str.fullmatch(r"\d+").all() else col
