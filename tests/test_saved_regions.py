"""Uploaded custom regions survive a replica failover: they are kept on the server by the hash of their
content, links name them all by id, and a new session (another replica, the same folder) reopens every one."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.analysis.regions import CUSTOM, custom_region, list_regions
from dashboard.data import paths, saved_regions
from dashboard.ui import links

APP = str(paths.ROOT / "app.py")
THREE = b"fips,region\n18097,Central\n18057,Central\n18039,North\n18141,North\n18003,Northeast\n"


def open_custom_page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("pages/custom_regions.py").run()


def shown_regions(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Region"])


def _query(at: AppTest) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}


def test_every_uploaded_region_reopens_in_a_new_session_from_the_link():
    first = open_custom_page()
    first.file_uploader(key="region_upload").set_value(("areas.csv", THREE, "text/csv")).run()
    assert not first.exception and not first.error
    assert sorted(shown_regions(first)) == ["Central", "North", "Northeast"]
    query = _query(first)
    assert len(query["saved"].split(",")) == 3

    # the replica holding the session is gone: another one opens the link the browser has
    second = open_custom_page(query)
    assert not second.exception, [e.message for e in second.exception]
    assert not second.error, [e.value for e in second.error]
    assert sorted(shown_regions(second)) == ["Central", "North", "Northeast"]


def test_a_large_custom_region_is_named_by_its_id_and_the_link_is_short():
    counties = tuple(sorted(list_regions("county")["region_id"]))[:1400]
    region = custom_region(counties, "A wide region")
    rid = saved_regions.save(region.counties, region.name)
    view = {
        **links.parse_query({})[0],
        "scheme": CUSTOM,
        "counties": region.counties,
        "name": region.name,
        "saved": (rid,),
    }
    query = links.to_query(view)
    assert "counties" not in query and query["saved"] == rid
    assert sum(len(k) + len(v) + 2 for k, v in query.items()) < 200
    again, notices = links.parse_query(query)
    assert notices == []
    assert again["counties"] == region.counties and again["name"] == "A wide region"


def test_a_saved_region_whose_file_was_altered_is_refused_with_a_notice():
    region = custom_region(("18039", "18141"), "Michiana")
    rid = saved_regions.save(region.counties, region.name)
    (saved_regions.folder() / f"{rid}.json").write_text('{"counties":["18097"],"name":"Michiana"}')
    view, notices = links.parse_query({"saved": rid, "state": "IN"})
    assert view["saved"] == ()
    assert any("1 saved custom region(s) this server does not hold" in n for n in notices)


def test_an_id_that_is_not_an_id_reads_nothing():
    assert saved_regions.load("../../etc/passwd") is None
    assert saved_regions.load("0" * 20) is None
