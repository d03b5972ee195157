"""NAICS vintages: a year's vintage from its codes, codes read across vintages, sectors defined per vintage."""

from __future__ import annotations

import pytest

from dashboard.analysis import sectors
from dashboard.data import naics, paths, store


def test_the_concordance_lists_the_naics_2022_subsector_changes():
    v = naics.load()
    assert v.names == (2012, 2017, 2022)
    assert v.retired_in(2022) == {"442", "443", "446", "447", "448", "451", "452", "453", "454", "511", "515"}
    assert v.introduced_in(2022) == {"449", "455", "456", "457", "458", "459", "513", "516"}
    assert not v.retired_in(2017)  # NAICS 2017 changed no 3-digit code


@pytest.mark.parametrize(
    "year, codes, vintage",
    [
        (2016, None, 2012),
        (2019, None, 2017),
        (2024, None, 2022),
        (2024, ["511", "517", "23"], 2017),  # the files say NAICS 2017 whatever the calendar says
        (2016, ["513", "23"], 2022),
        (2021, ["23", "622"], 2017),  # nothing distinguishing: BLS's rule
    ],
)
def test_a_year_knows_its_vintage_from_its_codes(year, codes, vintage):
    assert naics.vintage_of(year, codes) == vintage


def test_codes_read_in_another_vintage():
    assert naics.in_vintage(["511", "517", "518", "519"], 2022) == ["513", "517", "518", "519"]
    assert naics.in_vintage(["513", "517"], 2017) == ["511", "517"]
    assert naics.in_vintage(["442", "443", "23"], 2022) == ["449", "23"]
    assert naics.in_vintage(["31-33", "10"], 2022) == ["31-33", "10"]


def test_a_change_across_the_break_compares_like_with_like():
    assert naics.comparable(["311", "312"], 2012, 2022) == (["311", "312"], ["311", "312"], "")
    then, now, note = naics.comparable(["511", "517", "518", "519"], 2012, 2022)
    assert then == now == ["51"]
    assert "NAICS 2022" in note and "511" in note and "513" in note
    assert naics.comparable(["511"], 2012, 2017)[2] == ""


def test_information_technology_has_its_codes_in_each_vintage():
    it = next(s for s in sectors.load_taxonomy() if s.id == "information-technology")
    assert it.codes(2012) == it.codes(2017) == ("511", "517", "518", "519")
    assert it.codes(2022) == ("513", "517", "518", "519")
    assert it.every_code() == ("511", "517", "518", "519", "513")


def test_a_sector_using_a_retired_code_without_its_new_codes_is_refused(tmp_path):
    (tmp_path / naics.FILE_NAME).write_text((paths.ROOT / "data" / naics.FILE_NAME).read_text())
    bad = tmp_path / "sectors.toml"
    bad.write_text('[[sector]]\nid = "it"\nname = "IT"\nnaics = ["511", "517"]\n')
    with pytest.raises(store.DataError, match="NAICS 511, not a NAICS 2022 code"):
        sectors.load_taxonomy(bad)
