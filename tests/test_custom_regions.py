"""Custom regions: one region per county set and per name; the page's CSV download uploads back to the same regions.

Counties used (FIPS): 18097 Marion County, IN; 18057 Hamilton County, IN;
18039 Elkhart County, IN; 18141 St. Joseph County, IN.
"""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.analysis import measures, sectors, uploads
from dashboard.analysis.regions import add_custom_regions, custom_region, list_regions
from dashboard.data import paths
from dashboard.report import exports

APP = str(paths.ROOT / "app.py")


def _region(counties, name):
    return custom_region(counties, name)


# --- one region per county set and per name -----------------------------------------------------


def test_same_counties_under_a_new_name_rename_the_region_in_place():
    north, typo = _region(["18039"], "North"), _region(["18097", "18057"], "Cetnral")
    fixed = _region(["18057", "18097"], "Central")
    regions, notes = add_custom_regions((north, typo), (fixed,))
    assert regions == (north, fixed)
    assert notes == ["'Cetnral' has the same counties as 'Central', so it is now named 'Central'."]


def test_a_name_given_again_takes_the_new_counties():
    old, new = _region(["18097"], "Central"), _region(["18097", "18057"], "Central")
    regions, notes = add_custom_regions((old,), (new,))
    assert regions == (new,)
    assert notes == ["'Central' now has the 2 counties just given; it had 1 before."]


def test_the_same_region_again_changes_nothing_and_says_nothing():
    region = _region(["18097", "18057"], "Central")
    assert add_custom_regions((region,), (region,)) == ((region,), [])


def test_a_new_region_that_matches_two_keeps_one():
    a, b = _region(["18097"], "A"), _region(["18039"], "B")
    new = _region(["18097"], "B")  # a's counties, b's name
    regions, notes = add_custom_regions((a, b), (new,))
    assert regions == (new,) and len(notes) == 2
    assert len({r.id for r in regions}) == len(regions) == len({r.name for r in regions})


# --- measures: regions that share an id or counties never recurse --------------------------------


def test_two_regions_with_one_id_are_measured_without_recursion():
    """Before, two regions with the same counties (one id) split into a part that still had duplicates, forever."""
    one = _region(["18097", "18057"], "Central")
    area_region, _ = measures.qcew_area_region([one, _region(["18097", "18057"], "Cetnral")])
    assert area_region.index.has_duplicates
    twice = measures.group_measures(area_region, sectors.sector_groups())
    once = measures.group_measures(measures.qcew_area_region([one])[0], sectors.sector_groups())
    pd.testing.assert_frame_equal(twice.reset_index(drop=True), once.reset_index(drop=True))


def test_overlapping_regions_are_each_measured_whole():
    a, b = _region(["18097", "18057"], "A"), _region(["18057", "18039"], "B")
    area_region, _ = measures.qcew_area_region([a, b])
    both = measures.group_measures(area_region, sectors.sector_groups()).set_index(["region_id", "group"])
    for region in (a, b):
        alone = measures.group_measures(measures.qcew_area_region([region])[0], sectors.sector_groups())
        pd.testing.assert_frame_equal(
            both.loc[region.id].reset_index(), alone.drop(columns="region_id"), check_like=True
        )


# --- through the pages -----------------------------------------------------------------------------


def open_custom_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    return at.switch_page("pages/custom_regions.py").run()


def upload(at: AppTest, data: bytes, name: str = "areas.csv") -> AppTest:
    return at.file_uploader(key="region_upload").set_value((name, data, "text/csv")).run()


def shown_regions(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Region"])


def sidebar_region_label(at: AppTest) -> str:
    box = at.selectbox(key="w_region")
    return box.options[box.index]


def test_uploading_a_file_again_with_a_typo_fixed_renames_the_region_and_the_map_works():
    at = open_custom_page()
    upload(at, b"fips,region\n18097,Cetnral\n18057,Cetnral\n18039,North\n")
    upload(at, b"fips,region\n18097,Central\n18057,Central\n18039,North\n", "areas-fixed.csv")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert shown_regions(at) == ["Central", "North"]
    assert any("'Cetnral' has the same counties as 'Central'" in i.value.replace("\\", "") for i in at.info)
    for page in ("pages/industry_map.py", "pages/workforce_map.py", "pages/compare_regions.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert sorted(at.selectbox(key="w_region").options) == ["Central", "North"]
    at.switch_page("pages/region_profile.py").run()
    assert not at.exception
    assert sidebar_region_label(at) == at.title[0].value == "Central"
    assert at.query_params["name"] == "Central"


def test_picking_the_same_counties_twice_keeps_one_region_with_the_new_name():
    at = open_custom_page()
    for name in ("Indy area", "Indianapolis area"):
        at.multiselect[0].set_value(["18097", "18057"])
        at.text_input[0].input(name)
        at.button[0].click().run()
    assert not at.exception
    assert shown_regions(at) == ["Indianapolis area"]
    at.switch_page("pages/industry_map.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="w_region").options == ["Indianapolis area"]


def _rows_file(rows: list[tuple[str, str]]) -> bytes:
    return ("fips,region\n" + "".join(f"{fips},{name}\n" for fips, name in rows)).encode()


def test_uploads_over_the_county_row_limit_are_refused_and_nothing_is_added():
    """Every US county in one region and, in a second, as many again as the limit leaves room for: accepted.
    One row more, in the same file or added later by an upload or a pick, is refused with both figures."""
    counties = sorted(list_regions("county")["region_id"])
    rest = uploads.MAX_COUNTY_ROWS - len(counties)
    at_limit = [(c, "Every county") for c in counties] + [(c, "Second") for c in counties[:rest]]
    at = open_custom_page()
    at.checkbox(key="region_upload_shared").check().run()
    upload(at, _rows_file(at_limit + [(counties[rest], "Second")]), "over.csv")
    assert not at.exception
    refused = (
        f"The file has {uploads.MAX_COUNTY_ROWS + 1:,} county rows; the limit is {uploads.MAX_COUNTY_ROWS:,} "
        "(a county counts once for each region that lists it). Keep only the regions you need, with fewer "
        "overlapping ones, and upload the file again."
    )
    assert [e.value.replace("\\", "") for e in at.error] == [refused]
    assert at.info[-1].value == "None yet."

    upload(at, _rows_file(at_limit), "at-limit.csv")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert shown_regions(at) == ["Every county", "Second"]
    assert list(at.dataframe[0].value["Counties"]) == [len(counties), rest]

    refusal = (
        f"With these, your custom regions would be 3 regions of {uploads.MAX_COUNTY_ROWS + 1:,} county rows in "
        f"all; the limit is {uploads.MAX_REGIONS} regions and {uploads.MAX_COUNTY_ROWS:,} county rows"
    )
    upload(at, b"fips,region\n18097,Marion\n", "one-more.csv")
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.replace("\\", "").startswith(refusal)
    assert shown_regions(at) == ["Every county", "Second"]
    at.run()  # the refused file stays in the uploader, and so does its message
    assert len(at.error) == 1 and at.error[0].value.replace("\\", "").startswith(refusal)

    at.multiselect[0].set_value(["18097"])
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "").startswith(refusal)
    assert shown_regions(at) == ["Every county", "Second"]


# --- the page's download uploads back to the same regions -----------------------------------------


NAMES = ['=HYPERLINK("http://x","y")', "-5 area", "+North", "@home", 'Région centrale, "Nord"', "'quoted'"]


def test_the_download_uploads_back_to_the_same_regions_and_names(downloads):
    at = open_custom_page()
    counties = ["18097", "18057", "18039", "18141", "01001", "48201"]
    rows = "".join(f'{fips},"{name.replace(chr(34), chr(34) * 2)}"\n' for fips, name in zip(counties, NAMES))
    upload(at, f"fips,region\n{rows}".encode())
    assert not at.error, [e.value for e in at.error]
    before = shown_regions(at)
    assert before == NAMES
    exported = downloads["custom_regions.csv"]
    assert b"'=HYPERLINK" in exported  # neutralised for spreadsheets ...
    next(b for b in at.button if b.label == "Clear custom regions").click().run()
    assert at.info and at.info[-1].value == "None yet."
    upload(at, exported, "custom_regions.csv")
    assert not at.error, [e.value for e in at.error]
    assert shown_regions(at) == before  # ... and read back as the names they were
    assert uploads.parse_region_csv(exported) == tuple(custom_region([c], n) for c, n in zip(counties, NAMES))


def test_regions_that_share_counties_upload_back_with_the_option(downloads):
    at = open_custom_page()
    for counties, name in ((["18097", "18057"], "A"), (["18057", "18039"], "B")):
        at.multiselect[0].set_value(counties)
        at.text_input[0].input(name)
        at.button[0].click().run()
    exported = downloads["custom_regions.csv"]
    next(b for b in at.button if b.label == "Clear custom regions").click().run()
    upload(at, exported, "custom_regions.csv")
    assert at.error and uploads.SHARED_OPTION in at.error[0].value.replace("\\", "")
    at.checkbox(key="region_upload_shared").check().run()
    assert not at.error, [e.value for e in at.error]
    assert shown_regions(at) == ["A", "B"]
    assert list(at.dataframe[0].value["Counties"]) == [2, 2]


def test_export_rows_round_trip_for_every_kind_of_name():
    regions = tuple(
        custom_region([c], n) for c, n in zip(["18097", "18057", "18039", "18141", "01001", "48201"], NAMES)
    )
    data = exports.to_csv_bytes(pd.DataFrame(uploads.regions_to_csv_rows(regions)))
    assert uploads.parse_region_csv(data) == regions


def test_an_unclosed_quote_in_an_upload_is_an_error_naming_its_line():
    """Before, the rest of the file became one region's name, with no message."""
    at = open_custom_page()
    upload(at, b'fips,region\n18097,Central\n18039,"North\n18141,South\n')
    assert not at.exception
    assert at.error and "line 3" in at.error[0].value and "never closed" in at.error[0].value
    assert list(at.dataframe[0].value["line"]) == [3]
    assert at.info and at.info[-1].value == "None yet."  # nothing was added
