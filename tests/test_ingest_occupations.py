"""Occupation parsers (OEWS, Employment Projections, O*NET) on real slices of the official files,
and the built tables against the publishers' figures.

Fixtures in tests/fixtures/occupations/ are unmodified rows (header included) cut from the files in
shared/data/raw/occupations/ (see its PROVENANCE.md). Expected values are the publishers' own.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import store
from dashboard.data.build import occupations as build
from dashboard.data.ingest.common import SourceError
from dashboard.data.ingest.employment_projections import read_ep_occupations
from dashboard.data.ingest.oews import (
    read_oews_areas,
    read_oews_areas_wages,
    read_oews_industries,
    read_oews_national,
    read_oews_occupations,
)
from dashboard.data.ingest.onet import read_education_training_experience, read_job_zones

FIXTURES = Path(__file__).parent / "fixtures" / "occupations"
RAW = Path(__file__).parents[1].parent / "shared/data/raw/occupations"
NATIONAL = FIXTURES / "oews_m2025_national_industry_by_occupation.csv"
AREAS_WAGES = FIXTURES / "oews_m2025_state_metro_nonmetro_cross_industry.csv"
AREAS = FIXTURES / "oews_m2025_areas.csv"
EP = FIXTURES / "bls_ep_2024-34_table1.2_occupational_projections_and_characteristics.csv"
ZONES = FIXTURES / "onet_29.3_job_zones.csv"
ETE = FIXTURES / "onet_29.3_education_training_experience.csv"

needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="official raw files not available")


def one(df: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    assert mask.sum() == 1, where
    return df[mask].iloc[0]


# ---- OEWS -------------------------------------------------------------------------


def test_national_staffing_values_and_vintage():
    df = read_oews_national(NATIONAL)
    assert df.attrs["vintage"] == "May 2025"
    rn = one(df, naics="622000", occ_code="29-1141")
    total = one(df, naics="622000", occ_code="00-0000")
    assert rn.tot_emp == 2_020_230 and total.tot_emp == 6_712_760
    assert round(100 * rn.tot_emp / total.tot_emp, 1) == 30.1
    assert rn.a_median == 100_220 and rn.h_median == pytest.approx(48.18)


def test_not_published_is_missing_with_its_reason_never_zero():
    df = read_oews_national(NATIONAL)
    hourly_only = one(df, naics="713000", occ_code="27-2011")  # actors: hourly wages only (footnote 4)
    assert pd.isna(hourly_only.a_median) and hourly_only.h_median == pytest.approx(18.70)
    not_released = df[df["tot_emp"].isna()]
    assert len(not_released) >= 1 and (not_released["tot_emp"] != 0).all()
    top = df[df["a_median_topcoded"]]
    assert len(top) == 1 and top["a_median"].isna().all()  # at or above $239,200: a flag, never that bound


def test_area_wages_codes_and_topcoding():
    df = read_oews_areas_wages(AREAS_WAGES)
    assert df.attrs["vintage"] == "May 2025"
    assert one(df, area="0018140", occ_code="29-1141").a_median == 83_900  # Columbus, OH metro
    assert one(df, area="3900000", occ_code="00-0000").a_median == 49_380  # Ohio, all occupations
    assert one(df, area="0018140", occ_code="29-1212").a_median_topcoded
    assert set(df["area_type"]) == {"M", "S"}


def test_area_list():
    df = read_oews_areas(AREAS)
    assert one(df, area="0018140").area_title == "Columbus, OH"
    assert one(df, area="2100004").area_title == "East Kentucky nonmetropolitan area"


def test_dash_without_footnote_stops_with_file_and_line(tmp_path):
    lines = NATIONAL.read_text().splitlines()
    bad = lines[2].split(",")
    bad[11] = "-"  # A_MEDIAN not published, but no footnote says why
    path = tmp_path / "oews_m2025_national_industry_by_occupation.csv"
    path.write_text("\n".join([lines[0], lines[1], ",".join(bad), *lines[3:]]) + "\n")
    with pytest.raises(SourceError) as err:
        read_oews_national(path)
    assert err.value.line == 3 and "A_MEDIAN" in str(err.value)


def test_unknown_footnote_code_and_bad_codes_are_refused(tmp_path):
    text = NATIONAL.read_text()
    path = tmp_path / "oews_m2025_x.csv"
    path.write_text(text.replace("A_MEAN:4;", "A_MEAN:9;", 1))
    with pytest.raises(SourceError, match="footnote"):
        read_oews_national(path)
    path.write_text(text.replace("622000,29-1141", "622000,29-11X1", 1))
    with pytest.raises(SourceError, match="SOC code"):
        read_oews_national(path)


def test_file_name_must_say_the_estimate_year(tmp_path):
    path = tmp_path / "national.csv"
    path.write_text(NATIONAL.read_text())
    with pytest.raises(SourceError, match="estimate year"):
        read_oews_national(path)


# ---- Employment Projections -----------------------------------------------------------


def test_projections_characteristics_and_vintage():
    df = read_ep_occupations(EP)
    assert df.attrs["vintage"] == "2024-34" and df.attrs["base_year"] == 2024 and df.attrs["projection_year"] == 2034
    el = one(df, soc_code="47-2111")
    assert (el.employment_base, el.employment_projected, el.openings) == (818.7, 896.1, 81.0)
    assert (el.education, el.experience, el.training) == ("High school diploma or equivalent", "None", "Apprenticeship")
    assert el.title == "Electricians"  # BLS's indentation stripped
    ceo = one(df, soc_code="11-1011")
    assert (ceo.education, ceo.experience) == ("Bachelor's degree", "5 years or more")
    total = one(df, soc_code="00-0000")
    assert total.occupation_type == "Summary" and pd.isna(total.education) and total.median_wage == 49_500


def test_projections_topcoded_wage_is_a_flag():
    row = one(read_ep_occupations(EP), soc_code="29-1022")
    assert row.median_wage_topcoded and pd.isna(row.median_wage)


def test_projections_unknown_category_is_refused(tmp_path):
    path = tmp_path / EP.name
    path.write_text(EP.read_text().replace("Apprenticeship", "Apprenticeship (registered)", 1))
    with pytest.raises(SourceError, match="not one of BLS's categories") as err:
        read_ep_occupations(path)
    assert err.value.line is not None


def test_projections_header_years_must_agree(tmp_path):
    path = tmp_path / EP.name
    path.write_text(
        EP.read_text().replace("Employment change, numeric, 2024–34", "Employment change, numeric, 2023–33", 1)
    )
    with pytest.raises(SourceError, match="years disagree"):
        read_ep_occupations(path)


# ---- O*NET ------------------------------------------------------------------------------


def test_job_zones():
    df = read_job_zones(ZONES)
    assert df.attrs["vintage"] == "29.3"
    assert one(df, onet_code="51-2092.00").job_zone == 2  # team assemblers
    assert one(df, onet_code="29-1141.00").job_zone == 4  # registered nurses


def test_education_training_experience():
    df = read_education_training_experience(ETE)
    rl = df[(df["onet_code"] == "51-2092.00") & (df["scale"] == "RL")].set_index("category")["value"]
    assert rl[2] == pytest.approx(81.5, abs=0.05)  # team assemblers: high school diploma required
    assert df.loc[df["scale"] == "IM", "category"].isna().all()


def test_occupations_table_rolls_onet_codes_up_to_soc():
    ep = read_ep_occupations(EP)
    occ = pd.DataFrame(
        {"occ_code": ["29-1141"], "occ_title": ["Registered Nurses"], "o_group": ["detailed"], "level": [3]}
    )
    table = build.occupations_table(ep, occ, read_job_zones(ZONES), read_education_training_experience(ETE)).set_index(
        "occ_code"
    )
    assert table.loc["29-1141", "title"] == "Registered Nurses"  # OEWS title where it has one
    assert (table.loc["29-1141", "job_zone_min"], table.loc["29-1141", "job_zone_max"]) == (4, 4)  # its own record
    # SOC 2018's 51-2090 holds O*NET's 51-2092 team assemblers
    assert table.loc["51-2090", "job_zone_min"] == 2 and "51-2092.00" in table.loc["51-2090", "onet_codes"]


def test_naics_codes_as_qcew_writes_them():
    assert build.short_naics("622000", 3) == "622"
    assert build.short_naics("23--24", 2) == "23"
    assert build.short_naics("31--34", 2) == "31-33"
    assert build.short_naics("3320A1", 4) is None


# ---- the built tables against the raw files ------------------------------------------------


@needs_raw
def test_built_staffing_covers_the_taxonomy_levels():
    staffing = pd.read_parquet(store._path("occ_staffing.parquet"))
    industries = read_oews_industries(RAW / "oews_m2025_industries.csv.gz")
    levels = industries[industries["level"].isin([2, 3]) & ~industries["naics"].str.startswith("99")]
    assert set(staffing["oews_naics"]) == set(levels["naics"])
    rn = staffing[(staffing["naics"] == "622") & (staffing["occ_code"] == "29-1141")]["tot_emp"].iloc[0]
    assert rn == 2_020_230


@needs_raw
def test_built_occupations_hold_every_oews_occupation():
    occupations = pd.read_parquet(store._path("occupations.parquet"))
    oews = read_oews_occupations(RAW / "oews_m2025_occupations.csv.gz")
    assert set(oews.loc[oews["level"] == 3, "occ_code"]) <= set(occupations["occ_code"])
    assert len(occupations) == 832
    with gzip.open(RAW / "bls_ep_2024-34_table1.2_occupational_projections_and_characteristics.csv.gz", "rt") as f:
        items = [r for r in csv.DictReader(f) if r["Occupation type"] == "Line item"]
    by_code = occupations.set_index("occ_code")
    for r in items[::50]:
        code = r["2024 National Employment Matrix code"]
        assert by_code.loc[code, "education"] == r["Typical education needed for entry"], code
        assert by_code.loc[code, "openings"] == pytest.approx(float(r["Occupational openings, 2024–34 annual average"]))


def test_manifest_records_the_occupation_vintages():
    vintages = store.manifest()["vintages"]
    assert vintages["oews"] == "May 2025"
    assert vintages["projections"] == "2024-34"
    assert vintages["onet"] == "29.3"
