"""``python -m dashboard build``: official raw files -> compact committed data.

Everything is parsed and checked first, written to a temporary folder beside
``data/``, and only then moved into place, so a bad source file leaves the
previously built data untouched. Output is deterministic: rows sorted, no
timestamps, so a rebuild from the same files reproduces the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.data import table_rules, validate
from dashboard.data.ingest.bea_areas import read_bea_areas
from dashboard.data.ingest.boundaries import read_boundaries
from dashboard.data.ingest.cbp import read_cbp
from dashboard.data.ingest.cbsa import read_cbsa
from dashboard.data.ingest.common import SourceError
from dashboard.data.ingest.commuting_zones import read_commuting_zones
from dashboard.data.ingest.employment_projections import read_ep_occupations
from dashboard.data.ingest.ers_education import read_education
from dashboard.data.ingest.indiana_egr import read_indiana_egr
from dashboard.data.ingest.laus import read_laus
from dashboard.data.ingest.oews import read_oews_areas, read_oews_areas_wages, read_oews_industries, read_oews_national, read_oews_occupations
from dashboard.data.ingest.onet import read_education_training_experience, read_job_zones
from dashboard.data.ingest.popest import read_popest
from dashboard.data.ingest.qcew import read_qcew
from dashboard.data.ingest.rucc import read_rucc
from dashboard.data.ingest.saipe import read_saipe
from dashboard.data.ingest.svi import read_svi
from dashboard.data.build import geometry, industry, occupations, regions, workforce

#: QCEW annual by-area files, one per year, relative to the raw folder: every year found is built.
QCEW_YEARS = "qcew/qcew_*_q1-q4_by_area_subset.csv.gz"
#: Raw inputs, relative to the raw folder (the publishers' own file names).
RAW = {
    "cbp_county": "cbp/cbp_api_county_2017-2021_38states_naics2-3.csv.gz",
    "cbp_state": "cbp/cbp_api_state_2017-2021_naics2-3.csv.gz",
    "cbp_indiana": "cbp_recent/cbp_api_county_2022_indiana_naics2.csv.gz",
    "education": "workforce/ers_Education_2019-23.csv",
    "saipe": "workforce/ers_Poverty2023_SAIPE.csv",
    "svi": "workforce/cdc_svi_2022_us_county.csv",
    "laus": "workforce/bls_laucnty24.xlsx",
    "popest": "workforce/census_co-est2024-alldata.csv",
    "cbsa": "regions/list1_2023.xlsx",
    "cz": "regions/cz20_county20.csv",
    "bea": "regions/bea_economic_areas_county_crosswalk.csv",
    "rucc": "regions/ers_Ruralurbancontinuumcodes2023.csv",
    "in_egr": "regions/indiana_egr_counties_compiled.csv",
    "counties": "geo/cb_2024_us_county_20m",
    "states": "geo/cb_2024_us_state_20m",
    "oews_national": "occupations/oews_m2025_national_industry_by_occupation.csv.gz",
    "oews_areas_wages": "occupations/oews_m2025_state_metro_nonmetro_cross_industry.csv.gz",
    "oews_areas": "occupations/oews_m2025_areas.csv.gz",
    "oews_industries": "occupations/oews_m2025_industries.csv.gz",
    "oews_occupations": "occupations/oews_m2025_occupations.csv.gz",
    "projections": "occupations/bls_ep_2024-34_table1.2_occupational_projections_and_characteristics.csv.gz",
    "onet_zones": "occupations/onet_29.3_job_zones.csv.gz",
    "onet_ete": "occupations/onet_29.3_education_training_experience.csv.gz",
}
SHAPEFILES = ["geo/cb_2024_us_county_20m", "geo/cb_2024_us_state_20m"]
SHAPE_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg")
MANIFEST = "manifest.json"


def build_tables(raw: Path, log=print) -> dict[str, pd.DataFrame]:
    """Parse every raw file and derive the product tables (nothing written)."""
    path = {k: raw / v for k, v in RAW.items()}
    log("reading boundaries")
    counties = read_boundaries(path["counties"])
    states = read_boundaries(path["states"])
    log("reading QCEW and bounding its suppressed cells (about 40 s)")
    metros = industry.metro_members(regions.cbsa_scheme(read_cbsa(path["cbsa"])))
    ind = industry.industry_table(_read_qcew_years(raw), metros)
    nat = industry.national_table(ind)
    log("reading CBP")
    cbp = pd.concat([read_cbp(path[k]) for k in ("cbp_county", "cbp_indiana", "cbp_state")], ignore_index=True)
    cbp.insert(1, "area_type", pd.Series(cbp["fips"].str.endswith("000").map({True: "state", False: "county"})))
    cbp = cbp.sort_values(["area_type", "fips", "year", "naics"], kind="stable").reset_index(drop=True)
    log("reading workforce sources")
    popest = read_popest(path["popest"])
    education, saipe, laus, rucc = (read_education(path["education"]), read_saipe(path["saipe"]),
                                    read_laus(path["laus"]), read_rucc(path["rucc"]))
    wf = workforce.workforce_table(counties, popest, education, saipe, read_svi(path["svi"]), laus, rucc)
    log("building region schemes")
    schemes = _schemes(path, counties, states, ind, popest)
    tables = {
        "industry": ind,
        "national": nat,
        "cbp": cbp,
        "workforce": wf,
        "regions": schemes,
    }
    log("reading occupations (OEWS, Employment Projections, O*NET)")
    occ, occ_vintages = _occupations(path)
    tables.update(occ)
    tables[VINTAGES] = _vintages(ind, cbp, popest, education, saipe, laus, rucc, occ_vintages)
    top = occupations.wage_topcode(path["projections"])
    tables[VINTAGES].attrs[TOP_CODES] = {} if top is None else {"oews_annual_wage": top}
    log("simplifying and dissolving geometry")
    for name, layer in geometry.county_layers(counties).items():
        tables[f"geo/{name}"] = layer
    for scheme in ["cbsa", "cz", "bea", "in-egr", "state"]:
        tables[f"geo/regions_{scheme}"] = geometry.region_layer(counties, schemes[schemes["scheme"] == scheme])
    return tables


#: Vintages of the sources whose files do not state one in their data: the
#: release each parser reads (its layout is checked when it reads the file).
DEFINED_VINTAGES = {
    "svi": "2022 (ACS 2018-2022)", "cbsa": "July 2023", "cz": "2020", "bea": "2004 definitions",
    "in-egr": "current", "boundaries": "2024",
}
VINTAGES = "vintages"
#: The manifest's record of the bounds BLS gives for top-coded wages (``oews_annual_wage``: dollars a year).
TOP_CODES = "top_codes"


def _read_qcew_years(raw: Path) -> pd.DataFrame:
    """Every QCEW year in the raw folder (:data:`QCEW_YEARS`), read at the area levels the app uses."""
    files = sorted(raw.glob(QCEW_YEARS))
    if not files:
        raise SourceError(raw / QCEW_YEARS, "no QCEW annual by-area file in the raw folder")
    frames = [read_qcew(f, agglvls=set(industry.AGGLVL_AREA_TYPE)) for f in files]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _occupations(path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The staffing, wage and occupation tables, and the vintages their files state."""
    national = read_oews_national(path["oews_national"])
    areas_wages = read_oews_areas_wages(path["oews_areas_wages"])
    if areas_wages.attrs["vintage"] != national.attrs["vintage"]:
        raise SourceError(path["oews_areas_wages"], f"OEWS {areas_wages.attrs['vintage']} estimates beside "
                                                    f"{national.attrs['vintage']} national ones")
    ep = read_ep_occupations(path["projections"])
    zones = read_job_zones(path["onet_zones"])
    ete = read_education_training_experience(path["onet_ete"])
    tables = {
        "occ_staffing": occupations.staffing_table(national, read_oews_industries(path["oews_industries"])),
        "occ_wages": occupations.wages_table(national, areas_wages, read_oews_areas(path["oews_areas"])),
        "occupations": occupations.occupations_table(ep, read_oews_occupations(path["oews_occupations"]), zones, ete),
    }
    vintages = {"oews": national.attrs["vintage"], "projections": ep.attrs["vintage"], "onet": zones.attrs["vintage"]}
    return tables, vintages


def _vintages(ind, cbp, popest, education, saipe, laus, rucc, occ_vintages: dict[str, str]) -> pd.DataFrame:
    """Each source's vintage and, for yearly tables, the years loaded (read from the data)."""
    rows = [("industry", int(y), str(y)) for y in sorted(ind["year"].unique())]
    rows += [("cbp", int(y), str(y)) for y in sorted(cbp["year"].unique())]
    rows += [("population", popest.attrs["vintage"], f"Vintage {popest.attrs['vintage']}"),
             ("education", None, education.attrs["vintage"]), ("poverty", saipe.attrs["vintage"], str(saipe.attrs["vintage"])),
             ("laus", None, ", ".join(str(y) for y in sorted(laus["year"].unique()))),
             ("rucc", rucc.attrs["vintage"], str(rucc.attrs["vintage"]))]
    rows += [(k, None, v) for k, v in occ_vintages.items()]
    rows += [(k, None, v) for k, v in DEFINED_VINTAGES.items()]
    return pd.DataFrame(rows, columns=["source", "year", "vintage"]).astype({"year": "Int16"})


def manifest_facts(vintages: pd.DataFrame) -> dict:
    """The manifest's ``years`` (yearly sources), ``vintages`` (every source) and ``top_codes`` (the wage
    top-codes the source files state, kept in the table's ``attrs``) from the vintages table."""
    yearly = vintages[vintages["source"].isin(["industry", "cbp"])]
    years = {s: sorted(int(y) for y in g["year"]) for s, g in yearly.groupby("source")}
    others = vintages[~vintages["source"].isin(["industry", "cbp"])]
    return {"years": years, "vintages": dict(zip(others["source"], others["vintage"])),
            TOP_CODES: dict(sorted(vintages.attrs.get(TOP_CODES, {}).items()))}


def _schemes(path, counties, states, ind, popest) -> pd.DataFrame:
    old = ind[(ind["area_type"] == "county") & ~ind["area_fips"].isin(counties["fips"])]
    extra = old.drop_duplicates("area_fips").rename(columns={"area_fips": "fips"})
    extra = extra.assign(region_name=extra["area_title"].str.replace(r", ([A-Za-z ]+)$", _abbr_of(states), regex=True))
    county = regions.county_scheme(counties, extra[["fips", "region_name"]])
    names = county.set_index("fips")["region_name"]
    pop = popest.loc[popest["level"] == "county"].set_index("fips")["population"]
    return pd.concat(
        [
            county,
            regions.cbsa_scheme(read_cbsa(path["cbsa"])),
            regions.cz_scheme(read_commuting_zones(path["cz"]), pop, names),
            regions.bea_scheme(read_bea_areas(path["bea"])),
            regions.indiana_egr_scheme(read_indiana_egr(path["in_egr"])),
            regions.state_scheme(county["fips"], states),
        ],
        ignore_index=True,
    )


def _abbr_of(states):
    by_name = dict(zip(states["name"], states["state_abbr"]))
    return lambda m: ", " + by_name.get(m.group(1), m.group(1))


def write_parquet(df: pd.DataFrame, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, dest, compression="zstd", compression_level=9, write_statistics=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(manifest: dict, out_dir: Path) -> Path:
    """Write ``manifest.json`` into ``out_dir`` in the one layout every writer uses (sorted keys, no timestamps)."""
    dest = out_dir / MANIFEST
    dest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return dest


def write_outputs(tables: dict[str, pd.DataFrame], raw: Path, out_dir: Path, shape_dir: Path) -> dict:
    """Write every table and shapefile under ``out_dir`` / ``shape_dir`` and return the manifest."""
    files = {}
    facts = manifest_facts(tables[VINTAGES])
    for name, df in tables.items():
        fault = table_rules.problem(name, df)
        if fault:  # the app would refuse the file: say so now, before anything is written
            raise SourceError(f"the built {name} table", f"not sound: {fault}")
    try:  # the same whole-table rules an update passes
        validate.check({k: tables[k] for k in ("industry", "national", "cbp") if k in tables})
    except validate.DataFault as exc:
        raise SourceError(_raw_of(raw, exc), str(exc)) from None
    for name, df in tables.items():
        if name == VINTAGES:
            continue
        dest = out_dir / f"{name}.parquet"
        write_parquet(df, dest)
        files[f"data/{name}.parquet"] = {"sha256": sha256(dest), "rows": len(df)}
    for folder in SHAPEFILES:
        src = raw / folder
        for f in sorted(src.iterdir()):
            if f.name.endswith(SHAPE_SUFFIXES):
                dest = shape_dir / src.name / f.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
                files[f"shapefiles/{src.name}/{f.name}"] = {"sha256": sha256(dest)}
    import geopandas
    import shapely

    manifest = {
        **facts,
        "files": dict(sorted(files.items())),
        "versions": {"pandas": pd.__version__, "pyarrow": pa.__version__, "shapely": shapely.__version__,
                     "geos": shapely.geos_version_string, "geopandas": geopandas.__version__},
    }
    write_manifest(manifest, out_dir)
    return manifest


def _raw_of(raw: Path, fault: validate.DataFault) -> Path:
    """The raw file a faulty row was read from (as near as the table tells)."""
    if fault.table == "cbp":
        return raw / RAW["cbp_state" if str(fault.row.get("fips", "")).endswith("000") else "cbp_county"]
    year = fault.row.get("year")
    named = [f for f in sorted(raw.glob(QCEW_YEARS)) if year is not None and str(int(year)) in f.name]
    return named[0] if named else raw / QCEW_YEARS


def run_build(raw: Path, data_dir: Path, shape_dir: Path, log=print) -> dict:
    """Build into a temporary folder, then move the results into place."""
    raw = Path(raw)
    if not raw.is_dir():
        raise FileNotFoundError(f"raw data folder not found: {raw}")
    tables = build_tables(raw, log=log)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir.parent, prefix=".build-") as tmp:
        tmp = Path(tmp)
        manifest = write_outputs(tables, raw, tmp / "data", tmp / "shapefiles")
        for rel in manifest["files"]:
            top, rest = rel.split("/", 1)
            dest = (data_dir if top == "data" else shape_dir) / rest
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, dest)
        os.replace(tmp / "data" / MANIFEST, data_dir / MANIFEST)
    log(f"wrote {len(manifest['files'])} files")
    return manifest
