"""One cleaning rule for custom-region names, whichever way they come in: link, upload or county picker.

Counties used (FIPS): 18097 Marion County, IN; 18057 Hamilton County, IN.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlencode

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.analysis import uploads
from dashboard.analysis.regions import custom_region
from dashboard.data import paths
from dashboard.data.names import MAX_NAME, clean_name
from dashboard.report import exports
from dashboard.ui import links

ZERO_WIDTH_AND_BIDI = (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
)

# raw name -> the one clean name every way in must give
CASES = {
    "  North \t Central\r\n area  ": "North Central area",
    "Ev\u202eil\u200b\u2066 area\u2069": "Evil area",
    "Bell\x07 \x1b[31mred\x7f": "Bell [31mred",  # (a NUL byte makes an upload a binary file: refused whole)
    "North\u00a0Central\u2028area\u3000x": "North Central area x",
    "Re\u0301gion": "R\u00e9gion",  # decomposed accent -> composed (NFC)
    "e\u200b\u0301": "\u00e9",  # a zero-width character between a letter and its accent
    '\'=HYPERLINK("http://x","y")': '=HYPERLINK("http://x","y")',  # the export's formula guard
    "''@SUM(1)": "@SUM(1)",
    "' =x": "' =x",  # not a guard: the apostrophe is kept
    "<b>North</b> [x](http://y) $z$": "<b>North</b> [x](http://y) $z$",  # markup is escaped where shown, not here
    "x" * (MAX_NAME + 5): "x" * MAX_NAME,
    "\u200b \t\u202e": "",
}


@pytest.mark.parametrize("raw, clean", CASES.items(), ids=range(len(CASES)))
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def test_lone_surrogates_are_dropped():
    # a link parameter decoded with errors="surrogateescape" could hold one; UTF-8 cannot write it back out
    assert clean_name("\ud800North\udfff") == "North"


def _via_link(raw: str) -> str:
    view, notices = links.parse_query({"scheme": "custom", "counties": "18097,18057", "name": raw})
    assert notices == []
    return view["name"]


def _via_upload(raw: str) -> str:
    rows = pd.DataFrame({"fips": ["18097", "18057"], "region": [raw, raw]})
    buffer = io.StringIO()
    rows.to_csv(buffer, index=False)
    (region,) = uploads.parse_region_csv(buffer.getvalue().encode("utf-8"))
    return region.name


@pytest.mark.parametrize("raw", [r for r, c in CASES.items() if c], ids=range(len([c for c in CASES.values() if c])))
def test_link_upload_and_region_give_the_same_name(raw):
    clean = clean_name(raw)
    assert _via_link(raw) == clean
    assert _via_upload(raw) == clean
    assert custom_region(["18097", "18057"], raw).name == clean


def test_a_name_with_nothing_left_gets_the_default_everywhere():
    default = custom_region(["18097", "18057"]).name
    assert _via_link("\u200b\u202e ") == default
    assert custom_region(["18097", "18057"], "\u200b\u202e ").name == default
    with pytest.raises(uploads.UploadError, match="empty region name"):
        _via_upload("\u200b\u202e ")


names = st.text(st.characters(codec="utf-8"), max_size=120)


@settings(max_examples=300, deadline=None)
@given(names)
def test_cleaning_is_idempotent_and_leaves_no_invisible_or_control_characters(raw):
    clean = clean_name(raw)
    assert clean_name(clean) == clean
    assert len(clean) <= MAX_NAME and clean == clean.strip() and "  " not in clean
    assert not any(ch in clean for ch in ZERO_WIDTH_AND_BIDI)
    assert all(ch.isprintable() or ch == " " for ch in clean)


@settings(max_examples=150, deadline=None)
@given(names)
def test_a_name_survives_link_and_export_round_trips(raw):
    name = clean_name(raw)
    if not name:
        return
    region = custom_region(["18097", "18057"], name)
    # share link out and back in
    view = {
        **links.parse_query({})[0],
        "scheme": "custom",
        "region": region.id,
        "counties": region.counties,
        "name": region.name,
    }
    query = dict(parse_qsl(urlencode(links.to_query(view)), keep_blank_values=True))
    again, _ = links.parse_query(query)
    assert again["name"] == name
    # the page's CSV download out and back in
    data = exports.to_csv_bytes(pd.DataFrame(uploads.regions_to_csv_rows([region])))
    assert uploads.parse_region_csv(data) == (region,)


def test_the_county_picker_cleans_names_by_the_same_rule():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/custom_regions.py").run()
    raw = "  Ev\u202eil\u200b\t area\u2069 "
    at.multiselect[0].set_value(["18097", "18057"])
    at.text_input[0].input(raw)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert list(at.dataframe[0].value["Region"]) == [clean_name(raw)] == [_via_link(raw)] == [_via_upload(raw)]
    assert at.query_params["name"] == "Evil area"
