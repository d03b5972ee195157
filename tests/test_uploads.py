"""Uploaded custom regions: parse_region_csv on real county codes.

Counties used (FIPS):
  18097 Marion County, IN      18057 Hamilton County, IN
  18039 Elkhart County, IN     18141 St. Joseph County, IN
  01001 Autauga County, AL     (written 1001 when a spreadsheet drops the leading zero)
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analysis import regions
from dashboard.analysis.uploads import (
    MAX_COUNTY_ROWS,
    MAX_REGIONS,
    MAX_UPLOAD_BYTES,
    SHARED_OPTION,
    UploadError,
    parse_region_csv,
    regions_to_csv_rows,
)
from dashboard.data.names import MAX_NAME, clean_name
from dashboard.report import exports

TWO_REGIONS = "fips,region\n18097,Central\n18057,Central\n18039,North\n18141,North\n"


def _error(data: bytes) -> UploadError:
    with pytest.raises(UploadError) as info:
        parse_region_csv(data)
    return info.value


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["fips", "region"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# -- valid files ---------------------------------------------------------------------------------


def test_two_indiana_regions():
    central, north = parse_region_csv(TWO_REGIONS.encode())
    assert (central.scheme, central.name, central.counties) == ("custom", "Central", ("18057", "18097"))
    assert (north.scheme, north.name, north.counties) == ("custom", "North", ("18039", "18141"))
    assert central == regions.custom_region(["18097", "18057"], "Central")


def test_regions_keep_first_appearance_order_and_skip_blank_lines():
    data = b"fips,region\n18039,Zeta\n\n18097,Alpha\n,\n18141,Zeta\n"
    out = parse_region_csv(data)
    assert [r.name for r in out] == ["Zeta", "Alpha"]
    assert out[0].counties == ("18039", "18141")


def test_four_digit_fips_gets_its_leading_zero():
    (region,) = parse_region_csv(b"fips,region\n1001,Autauga area\n")
    assert region.counties == ("01001",)


def test_utf8_bom():
    (region,) = parse_region_csv(b"\xef\xbb\xbf" + "fips,region\n18097,Région centrale\n".encode())
    assert region.name == "Région centrale"


def test_utf16_with_bom():
    (region,) = parse_region_csv("fips\tregion\r\n18097\tRégion centrale\r\n".encode("utf-16"))
    assert region.name == "Région centrale" and region.counties == ("18097",)


def test_cp1252_from_excel_plain_csv():
    data = "fips,region\r\n18097,Région centrale\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (region,) = parse_region_csv(data)
    assert region.name == "Région centrale"


@pytest.mark.parametrize(
    "header",
    [
        "FIPS,Region",
        "County_FIPS,Region Name",
        "countyfips,name",
        "GEOID,Area",
        "county geoid,area_name",
        "Fips Code,Workforce Area",
        "fips,LWDA",
        "notes,fips,region",
    ],
)
def test_header_variants(header):
    extra = "x," if header.startswith("notes") else ""
    (region,) = parse_region_csv(f"{header}\n{extra}18097,Central\n".encode())
    assert (region.name, region.counties) == ("Central", ("18097",))


def test_semicolon_delimiter_from_european_excel():
    (region,) = parse_region_csv(b"fips;region\n18097;Central\n")
    assert region.counties == ("18097",)


def test_quoted_name_with_comma():
    (region,) = parse_region_csv(b'fips,region\n18097,"Central, Indiana"\n')
    assert region.name == "Central, Indiana"


def test_names_are_cleaned_but_markup_is_kept_literally():
    data = (
        'fips,region\n18097,"  <script>alert(1)</script>\t  area "\n'
        "18039,<b>North</b>\x07\n"
        f"18141,{'x' * (MAX_NAME + 20)}\n"
    ).encode()
    script, bold, long = parse_region_csv(data)
    assert script.name == "<script>alert(1)</script> area"
    assert bold.name == "<b>North</b>"
    assert long.name == "x" * MAX_NAME


def test_formula_name_is_kept_as_typed():
    (region,) = parse_region_csv(b'fips,region\n18097,"=HYPERLINK(""http://x"",""y"")"\n')
    assert region.name == '=HYPERLINK("http://x","y")'


def test_names_lose_zero_width_and_bidi_characters_as_everywhere_else():
    (region,) = parse_region_csv("fips,region\n18097,\u202eCen\u200btral\u2066 area\u2069\n".encode())
    assert region.name == "Central area" == clean_name("\u202eCen\u200btral\u2066 area\u2069")


def test_the_exports_formula_guard_is_read_back():
    data = b"fips,region\n18097,'=HYPERLINK(1)\n18039,'-5 area\n18141,' =kept\n"
    assert [r.name for r in parse_region_csv(data)] == ["=HYPERLINK(1)", "-5 area", "' =kept"]


def test_round_trip_through_csv_rows():
    original = parse_region_csv(TWO_REGIONS.encode() + b"1001,Autauga\n")
    rows = regions_to_csv_rows(original)
    assert rows[0] == {"fips": "18057", "region": "Central"}
    assert len(rows) == 5
    assert parse_region_csv(_csv(rows)) == original


COUNTIES = sorted(regions._region_index("county"))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=90).map(clean_name).filter(bool),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    st.randoms(use_true_random=False),
)
def test_the_pages_download_uploads_back_to_the_same_regions(names, rnd):
    """What the Custom regions page offers as its download (exports.to_csv_bytes of these rows) reads back the same."""
    picked = rnd.sample(COUNTIES, 3 * len(names))
    original = tuple(
        regions.custom_region(picked[3 * i : 3 * i + rnd.randint(1, 3)], name) for i, name in enumerate(names)
    )
    data = exports.to_csv_bytes(pd.DataFrame(regions_to_csv_rows(original)))
    assert parse_region_csv(data) == original


def test_regions_sharing_counties_read_back_with_the_shared_option():
    a, b = regions.custom_region(["18097", "18057"], "A"), regions.custom_region(["18057", "18039"], "B")
    data = exports.to_csv_bytes(pd.DataFrame(regions_to_csv_rows([a, b])))
    err = _error(data)
    assert err.rows == [(5, "county 18057 is already listed on line 2")] and SHARED_OPTION in err.message
    assert parse_region_csv(data, shared=True) == (a, b)


def test_shared_option_still_refuses_a_county_twice_in_one_region():
    with pytest.raises(UploadError) as info:
        parse_region_csv(b"fips,region\n18097,A\n18097,B\n18097,A\n", shared=True)
    assert info.value.rows == [(4, "county 18097 is already listed on line 2")]
    assert SHARED_OPTION not in info.value.message


# -- rejected files ------------------------------------------------------------------------------


def test_empty_file():
    assert "empty" in _error(b"").message
    assert "empty" in _error(b"  \r\n").message


def test_header_only():
    assert "no data rows" in _error(b"fips,region\n\n").message


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
        (b"fips,region\n18097,Cen\x00tral\n", "binary"),
    ],
)
def test_binary_files(data, kind):
    err = _error(data)
    assert kind in err.message and "CSV UTF-8" in err.message


def test_oversize_file():
    err = _error(b"x" * (MAX_UPLOAD_BYTES + 1))
    assert "10 MB" in err.message and "10.00 MB" in err.message


def test_undecodable_bytes():
    # invalid UTF-8 with a control byte is not Windows-1252 text either
    err = _error(b"fips,region\n18097,\x01Central\xff\n")
    assert "not recognised" in err.message and "CSV UTF-8" in err.message


def test_wrong_columns_names_the_columns_found():
    err = _error(b"county,label\n18097,Central\n")
    assert "'county', 'label'" in err.message
    assert "county_fips" in err.message and "workforce_area" in err.message


def test_missing_name_column_only():
    err = _error(b"fips,label\n18097,Central\n")
    assert "region name column" in err.message and "county FIPS column" not in err.message


def test_unknown_and_malformed_fips_list_their_lines():
    err = _error(b"fips,region\n18097,Central\n99999,Central\n\n18A97,North\n123,North\n")
    assert err.rows == [
        (3, "unknown county FIPS 99999"),
        (5, "county FIPS '18A97' is not a 4- or 5-digit code"),
        (6, "county FIPS '123' is not a 4- or 5-digit code"),
    ]
    assert "line 3: unknown county FIPS 99999" in str(err)


def test_duplicate_county_names_both_lines():
    err = _error(b"fips,region\n18097,Central\n18039,North\n18097,North\n")
    assert err.rows == [(4, "county 18097 is already listed on line 2")]


def test_duplicate_written_with_and_without_leading_zero():
    err = _error(b"fips,region\n01001,A\n1001,B\n")
    assert err.rows == [(3, "county 01001 is already listed on line 2")]


def test_empty_name_and_wrong_field_count():
    err = _error(b"fips,region\n18097,  \n18039,North,extra\n18141\n")
    assert [line for line, _ in err.rows] == [2, 3, 4]
    assert err.rows[0][1] == "empty region name"
    assert err.rows[1][1].startswith("3 fields where the header has 2")
    assert err.rows[2][1].startswith("1 fields where the header has 2")


def test_an_unclosed_quote_is_an_error_naming_its_line():
    """Before, the rest of the file became one region name, silently."""
    err = _error(b'fips,region\n18097,Central\n18039,"North\n18141,South\n1001,Autauga\n')
    assert err.rows == [
        (
            3,
            "a double quote opened on this line is never closed, so the rest of the file "
            "(lines 3 to 5) would be read as one field; close the quote, or remove it",
        )
    ]
    assert "line 3:" in str(err)


def test_a_quote_closed_lines_later_is_an_error_not_one_long_name():
    err = _error(b'fips,region\n18039,"North\n18141,South\n1001,Autauga"\n18097,Central\n99999,X\n')
    assert err.rows == [
        (
            2,
            "a double quote opened on this line closes only on line 4, so lines 3 to 4 went into one field; "
            "close the quote on line 2, or remove it",
        ),
        (6, "unknown county FIPS 99999"),
    ]


def test_text_after_a_closing_quote_is_an_error():
    err = _error(b'fips,region\n18097,"North" area\n')
    assert [line for line, _ in err.rows] == [2] and 'twice ("")' in err.rows[0][1]


def test_an_unclosed_quote_on_the_last_line():
    err = _error(b'fips,region\n18097,Central\n18039,"North\n')
    assert err.rows == [
        (
            3,
            "a double quote opened on this line is never closed, so the rest of the file (line 3) "
            "would be read as one field; close the quote, or remove it",
        )
    ]


def test_an_unclosed_quote_in_the_header_names_line_one():
    err = _error(b'fips,"region\n18097,North\n')
    assert err.rows and err.rows[0][0] == 1


def test_a_name_over_two_lines_of_one_cell_is_still_one_name():
    (region,) = parse_region_csv(b'fips,region\n18097,"North\nCentral"\n')
    assert region.name == "North Central"


def test_line_numbers_count_lines_inside_quoted_fields():
    err = _error(b'fips,region\n18097,"Central\nIndiana"\n99999,North\n')
    assert err.rows == [(4, "unknown county FIPS 99999")]


def test_every_faulty_row_is_kept_and_the_message_shows_twenty():
    bad = "".join(f"{90000 + i},R\n" for i in range(25))
    err = _error(f"fips,region\n{bad}".encode())
    assert len(err.rows) == 25
    text = str(err)
    assert "line 21: unknown county FIPS 90019" in text
    assert "line 22:" not in text
    assert text.endswith("... and 5 more rows")


def test_too_many_regions():
    counties = sorted(regions._region_index("county"))[: MAX_REGIONS + 1]
    rows = [{"fips": c, "region": f"Region {i}"} for i, c in enumerate(counties)]
    err = _error(_csv(rows))
    assert f"{MAX_REGIONS + 1} regions" in err.message and str(MAX_REGIONS) in err.message
    # the limit itself is accepted
    assert len(parse_region_csv(_csv(rows[:MAX_REGIONS]))) == MAX_REGIONS


def test_too_many_county_rows_are_refused_with_both_figures():
    """Every US county in one region, and as many again in a second as the limit leaves room for, then one more."""
    counties = sorted(regions._region_index("county"))
    rest = MAX_COUNTY_ROWS - len(counties)
    rows = [{"fips": c, "region": "Every county"} for c in counties]
    rows += [{"fips": c, "region": "Second"} for c in counties[:rest]]
    every, second = parse_region_csv(_csv(rows), shared=True)  # the limit itself is accepted
    assert len(every.counties) + len(second.counties) == MAX_COUNTY_ROWS
    over = rows + [{"fips": counties[rest], "region": "Second"}]
    with pytest.raises(UploadError) as info:
        parse_region_csv(_csv(over), shared=True)
    assert info.value.message.startswith(
        f"The file has {MAX_COUNTY_ROWS + 1:,} county rows; the limit is "
        f"{MAX_COUNTY_ROWS:,} (a county counts once for each region that lists it)."
    )
    assert info.value.rows == []
