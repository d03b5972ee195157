"""Compare regions: peers of similar size by default, regions from any state by name, charts, numeric CSVs."""

from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.analysis import regions
from dashboard.data import paths
from dashboard.maps import data as map_data
from dashboard.report import charts, compare

APP = str(paths.ROOT / "app.py")
HARLAN = {"page": "compare", "state": "KY", "scheme": "county", "region": "21095"}


def open_link(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_peers_are_of_similar_population_not_the_next_name():
    table = map_data.workforce_table(map_data.view_regions("county", "21"))
    population = table.set_index("region_id")["population"]
    peers = compare.similar_peers("21095", population)
    assert len(peers) == 2 and "21097" not in peers  # Harrison County, the next name
    own = population["21095"]
    nearest = sorted(
        (abs(pd.Series([p / own]).map(lambda r: __import__("math").log(r)).iloc[0]), i)
        for i, p in population.drop("21095").items()
    )[:2]
    assert peers == [i for _, i in nearest]


def test_search_finds_regions_of_any_state_by_name():
    found = compare.search(regions.list_regions("cbsa", None), "columbus")
    names = list(found["region_name"])
    assert any(n.startswith("Columbus, OH") for n in names) and any(n.startswith("Columbus, GA") for n in names)
    assert compare.search(regions.list_regions("cbsa", None), "  ").empty


def test_compare_page_defaults_adds_a_region_from_another_state_and_exports_numbers(downloads):
    at = open_link(HARLAN)
    assert not at.exception, [e.message for e in at.exception]
    chosen = at.multiselect(key="w_compare").value
    assert chosen[0] == "21095" and len(chosen) == 3 and "21097" not in chosen
    # a region of another state, found by name without listing the whole country
    at.text_input(key="w_compare_search").input("Franklin County, OH").run()
    at.selectbox(key="w_compare_pick").select("39049").run()
    at.button(key="w_compare_add").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="w_compare").value == [*chosen, "39049"]
    assert at.query_params["compare"].endswith("39049")
    # one chart per measure: sectors' LQ and the workforce shares
    assert len(at.get("vega_lite_chart")) == 2
    sectors = pd.read_csv(io.BytesIO(downloads["compare_sectors.csv"]), dtype={"region_id": str})
    assert set(sectors["region_id"]) == {*chosen, "39049"}
    for col in ("lq_low", "lq_estimate", "lq_high", "jobs_low", "jobs_estimate", "jobs_high"):
        assert pd.api.types.is_numeric_dtype(sectors[col]), col
    ok = sectors.dropna(subset=["lq_low", "lq_high"])
    assert (ok["lq_low"] <= ok["lq_estimate"]).all() and (ok["lq_estimate"] <= ok["lq_high"]).all()
    assert not downloads["compare_sectors.csv"].decode("utf-8-sig").count(",'")
    workforce = pd.read_csv(io.BytesIO(downloads["compare_workforce.csv"]), dtype={"region_id": str})
    assert pd.api.types.is_numeric_dtype(workforce["value"])


def test_the_lq_axis_is_not_stretched_by_one_outlier():
    """Harlan County's energy LQ may lie anywhere from 0.72 to 25.72: the axis stops at the cap."""
    from dashboard.analysis.regions import resolve_region
    from dashboard.report.profile import region_profile

    rows = compare.sectors_long([region_profile(resolve_region("county", "21095"))])
    assert rows["lq_high"].max() > 20
    spec = charts.compare_lq(rows).to_dict()
    domains = [layer["encoding"]["x"].get("scale", {}).get("domain") for layer in spec["layer"][:2]]
    assert domains[0] == [0, charts.LQ_AXIS_MAX]
