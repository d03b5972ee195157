"""The data year as data: two loaded years, change and shift-share between them, the year in links.

Only QCEW 2016 is bundled. Its rows publish the over-the-year change from 2015
(``oty_emplvl_chg``), so the 2015 employment of every cell whose change is
published is a real figure: 2016 employment minus the published change. The
fixture loads that 2015 beside 2016 (cells without a published change count as
suppressed in 2015, never as zero) and the national base of 2015 the same way
from the national 2016 employment and its published growth.
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from dashboard.analysis import measures, regions, sectors
from dashboard.data import paths, sources, store
from dashboard.data.cell_bounds import CELL_COLUMNS, add_cell_bounds
from dashboard.maps import data as map_data
from dashboard.report import profile
from dashboard.ui import links

PRIOR = 2015


def _prior_industry() -> pd.DataFrame:
    """2015's rows with their ranges stored, as an installed year has them (solved once per test session)."""
    return _solved_prior_industry().copy()


@functools.cache
def _solved_prior_industry() -> pd.DataFrame:
    ind = pd.read_parquet(paths.ROOT / "data" / "industry.parquet")
    rows = _prior_rows(ind.drop(columns=list(CELL_COLUMNS)))
    return add_cell_bounds(rows, measures.metro_members()).astype(ind.dtypes.to_dict())


def _prior_rows(ind: pd.DataFrame) -> pd.DataFrame:
    prior = ind.copy()
    known = prior["oty_emplvl_chg"].notna() & ~prior["suppressed"] & prior["emplvl"].notna()
    prior["emplvl"] = (prior["emplvl"].astype("float64") - prior["oty_emplvl_chg"]).round().where(known).astype("Int64")
    prior["suppressed"] = ~known
    prior["estabs"] = pd.array([pd.NA] * len(prior), dtype="Int32")  # not published for 2015 here
    for col in ("total_wages", "avg_annual_pay"):
        prior[col] = pd.array([pd.NA] * len(prior), dtype="Int64")
    prior[["oty_emplvl_chg", "lq_published"]] = float("nan")
    prior["year"] = PRIOR
    return prior.astype(ind.dtypes.to_dict())


def _prior_national(nat: pd.DataFrame) -> pd.DataFrame:
    prior = nat.copy()
    emp = prior["us_emplvl"].astype("float64") / (1 + prior["us_oty_growth"].astype("float64"))
    total = emp[(prior["own_code"] == 0) & (prior["naics"] == "10")].iloc[0]
    prior["us_emplvl"] = emp.round().astype("Int64")
    prior["us_share"] = emp / total
    prior[["us_oty_growth", "growth_coverage"]] = float("nan")
    prior["basis"] = "2016 national employment less its published one-year growth"
    prior["year"] = PRIOR
    return prior.astype(nat.dtypes.to_dict())


def _clear():
    from dashboard.data import caches

    caches.clear()  # every figure read or worked out, whatever the caches are called


@pytest.fixture
def two_years(monkeypatch):
    real = store.load_table
    ind, nat = real("industry"), real("national")
    tables = {
        "industry": pd.concat([_prior_industry(), ind], ignore_index=True),
        "national": pd.concat([_prior_national(nat), nat], ignore_index=True),
    }
    monkeypatch.setattr(
        store, "load_table", lambda name, data_dir=None: tables[name] if name in tables else real(name, data_dir)
    )
    _clear()
    yield tables
    monkeypatch.undo()
    _clear()


ELKHART = regions.resolve_region("county", "18039")


def test_years_are_read_from_the_data(two_years):
    assert measures.years() == (2015, 2016)
    assert measures.resolve_year(None) == 2016
    with pytest.raises(measures.UnknownYearError, match="2014 is not loaded"):
        measures.resolve_year(2014)


def test_change_of_elkhart_manufacturing_is_the_published_one_year_change(two_years):
    # Elkhart County, IN, private 31-33: 62,740 jobs in 2016, published change +2,262.17 over 2015
    area_region, _ = measures.qcew_area_region([ELKHART], 2016)
    out = measures.change_measures(area_region, {"mfg": ["31-33"]}, 2015, 2016).iloc[0]
    assert (out["start_year"], out["end_year"]) == (2015, 2016)
    assert out["emp_end"] == 62_740 and out["emp_start"] == 60_478
    assert out["change"] == 2_262 == out["change_low"] == out["change_high"]
    assert out["growth"] == pytest.approx(2_262 / 60_478)
    nat = store.load_table("national")
    g = float(nat[(nat.year == 2016) & (nat.own_code == 5) & (nat.naics == "31-33")]["us_oty_growth"].iloc[0])
    g_all = float(nat[(nat.year == 2016) & (nat.own_code == 0) & (nat.naics == "10")]["us_oty_growth"].iloc[0])
    assert out["us_growth"] == pytest.approx(g, abs=2e-6)
    assert out["us_all_growth"] == pytest.approx(g_all, abs=2e-6)
    assert out["national_growth"] == pytest.approx(60_478 * out["us_all_growth"])
    assert out["industry_mix"] == pytest.approx(60_478 * (out["us_growth"] - out["us_all_growth"]))
    assert out["national_growth"] + out["industry_mix"] + out["regional_shift"] == pytest.approx(2_262)


def test_change_with_a_suppressed_cell_is_a_range_not_a_number(two_years):
    ind = two_years["industry"]
    cell = ind[(ind.year == 2016) & (ind.area_type == "county") & ind.suppressed & (ind.naics == "62")].iloc[0]
    region = regions.resolve_region("county", cell.area_fips)
    area_region, _ = measures.qcew_area_region([region], 2016)
    out = measures.change_measures(area_region, {"hc": ["62"]}, 2015, 2016).iloc[0]
    assert pd.isna(out["change"]) and pd.isna(out["regional_shift"])
    assert out["change_low"] <= out["change_estimate"] <= out["change_high"]
    assert out["growth_low"] <= out["growth_estimate"] <= out["growth_high"]


def test_change_ranges_hold_their_estimates_and_published_changes_are_points(two_years):
    """Every Indiana county, every partnership sector: the change and growth estimates lie inside their
    ranges; where both years are published, the range is the published change itself."""
    view = map_data.view_regions("county", "18")
    area_region, _ = measures.qcew_area_region(list(view), 2016)
    out = measures.change_measures(area_region, sectors.sector_groups(), 2015, 2016)
    ranged = out[out["change"].isna() & out["change_low"].notna()]
    assert len(ranged) > 100
    assert (ranged["change_low"] <= ranged["change_estimate"] + 1e-9).all()
    assert (ranged["change_estimate"] <= ranged["change_high"] + 1e-9).all()
    grow = ranged[ranged["growth_estimate"].notna()]
    assert (grow["growth_low"] <= grow["growth_estimate"] + 1e-12).all()
    assert (grow["growth_estimate"] <= grow["growth_high"] + 1e-12).all()
    exact = out[out["change"].notna()]
    assert len(exact) > 50
    assert (exact["change_low"] == exact["change"]).all() and (exact["change_high"] == exact["change"]).all()
    assert (exact["change_estimate"] == exact["change"]).all()
    assert ((exact["growth_estimate"] - exact["growth"]).abs().fillna(0) < 1e-12).all()


def test_map_table_carries_the_change_between_the_years(two_years):
    view = map_data.view_regions("county", "18")
    table = map_data.industry_table(view, "31-33", 2016, since=2015).set_index("region_id")
    assert (table["year"] == 2016).all() and (table["span_start_year"] == 2015).all()
    assert table.loc["18039", "span_change"] == 2_262
    older = map_data.industry_table(view, "31-33", 2015).set_index("region_id")
    assert older.loc["18039", "employment"] == 60_478 and (older["year"] == 2015).all()


def test_profile_uses_the_longest_span_and_says_which(two_years):
    p = profile.region_profile(ELKHART)
    assert p.year == 2016 and p.years_loaded == (2015, 2016)
    assert p.growth_span == {"start_year": 2015, "end_year": 2016}
    assert all("span" in c for c in p.candidate_sectors)
    old = profile.region_profile(ELKHART, year=2015)
    assert old.year == 2015 and old.growth_span is None
    assert old.vintages["industry"].endswith(", 2015")


def test_a_year_in_a_link_reopens_that_year(two_years):
    view, notices = links.parse_query({"state": "IN", "year": "2015"})
    assert view["year"] == 2015 and notices == []
    assert links.to_query(view)["year"] == "2015"
    view, _ = links.parse_query({"state": "IN", "measure": "change", "since": "2015"})
    assert (view["year"], view["since"], view["measure"]) == (2016, 2015, "change")
    assert links.to_query(view)["since"] == "2015"


@pytest.mark.parametrize("bad", ["2014", "1_016", "２０１６", "20161", "x"])
def test_an_unknown_year_in_a_link_gives_a_notice_and_the_newest_year(two_years, bad):
    view, notices = links.parse_query({"state": "IN", "year": bad})
    assert view["year"] == 2016
    assert len(notices) == 1 and "year" in notices[0]
    assert not bad.isascii() or "2015, 2016" in notices[0]  # a notice on a well-formed value lists the loaded years


def test_the_bundled_data_has_one_year_and_no_change_map():
    assert measures.years() == (2016,)
    view, notices = links.parse_query({"state": "IN", "measure": "change"})
    assert view["measure"] == "lq" and view["since"] is None and notices
    assert "change" not in map_data_measures(2016, None)


def map_data_measures(year, since):
    from dashboard.maps import classes as maps

    return maps.industry_measures(year, since)


def test_vintages_come_from_the_manifest():
    m = store.manifest()
    assert m["years"]["industry"] == [2016] and m["years"]["cbp"] == [2017, 2018, 2019, 2020, 2021, 2022]
    assert sources.vintage("industry") == "2016" and sources.vintage("cbp") == "2017-2022"
    assert sources.vintage("population") == "Vintage 2024" and sources.vintage("education") == "2019-2023"
    assert sources.cite("industry", 2016).endswith("(annual averages), 2016")
    assert sources.spans([2016, 2023, 2024]) == "2016, 2023-2024"


# -- the app, through AppTest (in-process, so the two-year fixture applies) ---------------------------


def _app(params: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _clean(at):
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_a_year_chosen_in_a_link_reopens_that_year_in_the_app(two_years):
    at = _app({"state": "IN", "scheme": "county", "region": "18039", "industry": "31-33", "year": "2015"})
    _clean(at)
    assert at.selectbox(key="w_year").value == 2015
    assert list(at.selectbox(key="w_year").options) == ["2016", "2015"]  # newest first
    table = ranked_table(at)
    assert table.loc["Elkhart County, IN", "jobs (or range)"] == "60,478"
    assert any("Industry data year" in s.label for s in at.selectbox)
    assert at.query_params["year"] == "2015"


def test_the_change_map_between_two_years_in_the_app(two_years):
    at = _app(
        {
            "state": "IN",
            "scheme": "county",
            "region": "18039",
            "industry": "31-33",
            "measure": "change",
            "since": "2015",
        }
    )
    _clean(at)
    assert at.selectbox(key="w_measure").value == "change"
    table = ranked_table(at)
    assert table.loc["Elkhart County, IN", "jobs change 2015-2016 (or range)"] == "+2,262"
    assert table.loc["Elkhart County, IN", "change 2015-2016 (or range)"] == formatting_change(2_262 / 60_478)
    # a county suppressed in either year: its range with the labelled estimate, never a bare number
    ranged = table[table["jobs change 2015-2016 (or range)"].str.contains(" to ")]
    assert len(ranged) and ranged["change 2015-2016 (or range)"].str.contains(", estimate ").all()


def test_an_unknown_year_in_a_link_opens_the_newest_with_a_notice_in_the_app():
    at = _app({"state": "IN", "scheme": "county", "region": "18039", "year": "1999"})
    _clean(at)
    assert at.selectbox(key="w_year").value == 2016
    assert any("1999" in w.value and "year" in w.value for w in at.warning)


def formatting_change(x):
    from dashboard.analysis import formatting

    return formatting.change(x)


def ranked_table(at):
    """The page's ranked table, indexed by region, with its column names lower-cased (labels are for people)."""
    frame = next(d.value for d in at.dataframe if any(c.lower() == "region" for c in d.value.columns))
    frame = frame.rename(columns=str.lower)
    return frame.set_index("region")


def test_a_year_installed_while_the_app_runs_shows_at_the_next_click(tmp_path, monkeypatch):
    """The app keeps its figures while the data files stay as they are, and reads them again when an update
    installs a year: the next run offers the new year, says the data changed, and shows its figures."""
    import streamlit as st
    from publisher_fixture import copy_data

    from dashboard.data import caches
    from dashboard.data.update.install import install

    data = copy_data(tmp_path / "data")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    caches.clear()
    st.cache_resource.clear()
    try:
        at = _app({"state": "IN", "scheme": "county", "region": "18039", "industry": "31-33"})
        _clean(at)
        assert list(at.selectbox(key="w_year").options) == ["2016"]
        at.run()  # nothing changed: no notice
        assert not [t for t in at.toast if "updated" in t.value]

        ind, nat = pd.read_parquet(data / "industry.parquet"), pd.read_parquet(data / "national.parquet")
        install(
            data,
            {
                # the earlier year with its ranges solved from its own figures, as an update solves them
                "industry": pd.concat([_prior_industry(), ind], ignore_index=True),
                "national": pd.concat([_prior_national(nat), nat], ignore_index=True),
            },
            store.manifest(data),
            "industry",
            {"year": PRIOR},
        )
        at.run()
        _clean(at)
        assert list(at.selectbox(key="w_year").options) == ["2016", "2015"]
        assert [t for t in at.toast if "updated" in t.value]
        at.selectbox(key="w_year").select("2015").run()
        _clean(at)
        assert ranked_table(at).loc["Elkhart County, IN", "jobs (or range)"] == "60,478"  # 62,740 less +2,262
    finally:
        monkeypatch.undo()
        caches.clear()
        st.cache_resource.clear()
