"""Partnership sectors: taxonomy file, scoring, classification and scope checks."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from dashboard import regions, sectors, store, workforce
from dashboard.sectors import ScoringParams


# -- taxonomy ------------------------------------------------------------------------------------

def test_taxonomy_loads_with_unique_ids_and_codes():
    tax = sectors.load_taxonomy()
    assert len(tax) >= 9
    ids = [s.id for s in tax]
    assert len(ids) == len(set(ids))
    codes = [c for s in tax for c in s.naics]
    assert len(codes) == len(set(codes)), "a NAICS code sits in two sectors"
    assert all(s.name and s.naics for s in tax)
    names = {s.id: s.name for s in tax}
    assert names["advanced-manufacturing"] == "Advanced Manufacturing"
    assert "622" in next(s for s in tax if s.id == "healthcare").naics


def test_every_taxonomy_code_is_a_private_industry_in_the_national_table():
    nat = store.load_table("national")
    private = set(nat.loc[nat.own_code == 5, "naics"])
    missing = [(s.id, c) for s in sectors.load_taxonomy() for c in s.naics if c not in private]
    assert missing == []


def test_sector_groups_mirror_the_taxonomy():
    groups = sectors.sector_groups()
    assert list(groups) == [s.id for s in sectors.load_taxonomy()]
    assert groups["construction"] == ["23"]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = '''
[[sector]]
id = "a"
name = "Sector A"
naics = ["311", "312"]

[[sector]]
id = "b"
name = "Sector B"
naics = ["23"]
labor_management = true
'''


def test_small_taxonomy_file_loads(tmp_path):
    tax = sectors.load_taxonomy(_write(tmp_path, "ok.toml", GOOD))
    assert [s.id for s in tax] == ["a", "b"]
    assert tax[0].naics == ("311", "312") and tax[0].labor_management is False
    assert tax[1].labor_management is True


def test_duplicated_code_is_refused_and_named(tmp_path):
    text = GOOD.replace('naics = ["23"]', 'naics = ["23", "312"]')
    with pytest.raises(ValueError) as err:
        sectors.load_taxonomy(_write(tmp_path, "dup_code.toml", text))
    assert "312" in str(err.value)


def test_duplicated_id_is_refused_and_named(tmp_path):
    text = GOOD.replace('id = "b"', 'id = "a"')
    with pytest.raises(ValueError) as err:
        sectors.load_taxonomy(_write(tmp_path, "dup_id.toml", text))
    assert "'a'" in str(err.value) or '"a"' in str(err.value)


@pytest.mark.parametrize("key, line", [("id", 'id = "b"'), ("name", 'name = "Sector B"'), ("naics", 'naics = ["23"]')])
def test_missing_key_is_refused_and_named(tmp_path, key, line):
    assert line in GOOD
    text = GOOD.replace(line + "\n", "")
    with pytest.raises(ValueError) as err:
        sectors.load_taxonomy(_write(tmp_path, f"no_{key}.toml", text))
    msg = str(err.value)
    assert repr(key) in msg or f'"{key}"' in msg


def test_empty_taxonomy_is_refused(tmp_path):
    with pytest.raises(ValueError):
        sectors.load_taxonomy(_write(tmp_path, "empty.toml", "# nothing\n"))


# -- parameters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("weights", [
    dict(weight_concentration=0.5),                                  # sums to 1.10
    dict(weight_concentration=0.30),                                 # sums to 0.90
    dict(weight_concentration=0.0, weight_growth=0.0, weight_pay=0.0, weight_size=0.0),
    dict(weight_concentration=1.2, weight_growth=-0.2, weight_pay=0.0, weight_size=0.0),
])
def test_weights_must_sum_to_one(weights):
    with pytest.raises(ValueError):
        ScoringParams(**weights)


def test_weights_summing_to_one_are_accepted():
    p = ScoringParams(weight_concentration=0.7, weight_growth=0.1, weight_pay=0.1, weight_size=0.1)
    assert p.as_dict()["weight_concentration"] == 0.7


# -- classification ------------------------------------------------------------------------------

def _frame(**cols):
    n = max(len(v) for v in cols.values())
    base = dict(lq=[np.nan] * n, lq_low=[np.nan] * n, lq_high=[np.nan] * n, growth_vs_us=[np.nan] * n,
                pay_ratio=[np.nan] * n, size_share=[np.nan] * n)
    base.update(cols)
    return pd.DataFrame(base, dtype="float64")


def _exact(lq, growth_vs_us):
    return _frame(lq=[lq], lq_low=[lq], lq_high=[lq], growth_vs_us=[growth_vs_us])


@pytest.mark.parametrize("lq, growth, expected", [
    (1.0, 0.0, "existing strength"),   # both exactly at the thresholds
    (2.5, 0.03, "existing strength"),
    (1.0, -0.0001, "mature"),
    (3.0, -0.02, "mature"),
    (0.9999, 0.0, "emerging"),
    (0.4, 0.10, "emerging"),
    (0.9999, -0.0001, "weak"),
    (0.2, -0.05, "weak"),
    (1.5, np.nan, "undetermined"),     # no growth figure
    (0.5, np.nan, "undetermined"),
])
def test_classes_at_the_boundaries(lq, growth, expected):
    assert sectors.classify(_exact(lq, growth)).iloc[0] == expected


@pytest.mark.parametrize("low, high, growth, expected", [
    (1.0, 1.4, 0.01, "existing strength"),   # whole range at or above the threshold
    (1.0, 1.4, -0.01, "mature"),
    (0.3, 0.99, 0.01, "emerging"),            # whole range below
    (0.3, 0.99, -0.01, "weak"),
    (0.8, 1.2, 0.05, "undetermined"),         # range straddles the threshold
    (0.8, 1.0, -0.05, "undetermined"),        # upper end reaches the threshold
    (0.0, 3.0, 0.0, "undetermined"),
])
def test_suppression_ranges(low, high, growth, expected):
    m = _frame(lq=[np.nan], lq_low=[low], lq_high=[high], growth_vs_us=[growth])
    assert sectors.classify(m).iloc[0] == expected


def test_thresholds_are_the_params():
    m = _exact(1.2, 0.01)
    assert sectors.classify(m, ScoringParams(lq_concentrated=1.25)).iloc[0] == "emerging"
    assert sectors.classify(m, ScoringParams(growth_margin=0.02)).iloc[0] == "mature"
    assert sectors.classify(m, ScoringParams(lq_concentrated=1.2, growth_margin=0.01)).iloc[0] == "existing strength"


def test_classify_keeps_the_index_and_only_known_classes():
    m = _frame(lq=[2, 0.5, np.nan], lq_low=[2, 0.5, 0.9], lq_high=[2, 0.5, 1.1], growth_vs_us=[0.1, -0.1, 0.0])
    m.index = [7, 3, 11]
    out = sectors.classify(m)
    assert list(out.index) == [7, 3, 11]
    assert list(out) == ["existing strength", "weak", "undetermined"]
    assert set(out) <= set(sectors.CLASSES)


# -- score ---------------------------------------------------------------------------------------

LQS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
GROWTHS = [-0.1, -0.05, -0.01, 0.0, 0.02, 0.05, 0.2]
PAYS = [0.2, 0.5, 0.9, 1.0, 1.5, 2.0]
SIZES = [0.0, 0.01, 0.05, 0.1, 0.3]


@pytest.fixture(scope="module")
def grid():
    rows = list(itertools.product(LQS, GROWTHS, PAYS, SIZES))
    m = pd.DataFrame(rows, columns=["lq", "growth_vs_us", "pay_ratio", "size_share"])
    m["lq_low"] = m["lq_high"] = m["lq"]
    m["score"] = sectors.score(m)
    return m


@pytest.mark.parametrize("col", ["lq", "growth_vs_us", "pay_ratio", "size_share"])
def test_score_never_falls_when_one_measure_rises(grid, col):
    others = [c for c in ["lq", "growth_vs_us", "pay_ratio", "size_share"] if c != col]
    checked = 0
    for _, g in grid.groupby(others):
        s = g.sort_values(col)["score"].to_numpy()
        assert (np.diff(s) >= 0).all(), (col, g.sort_values(col)[[col, "score"]].to_dict("list"))
        checked += 1
    assert checked > 50
    # and it does rise somewhere along the axis
    assert grid.groupby(others)["score"].agg(lambda s: s.max() - s.min()).max() > 0


def test_score_range_and_formula_at_the_corners(grid):
    assert grid["score"].between(0, 100).all()
    assert grid["score"].min() == 0 and grid["score"].max() == 100
    p = ScoringParams()
    one = pd.DataFrame({"lq": [1.0], "lq_low": [1.0], "lq_high": [1.0], "growth_vs_us": [0.0],
                        "pay_ratio": [1.0], "size_share": [0.05]})
    expected = 100 * (p.weight_concentration * 1.0 / p.lq_full_score + p.weight_growth * 0.5
                      + p.weight_pay * 0.5 + p.weight_size * 0.5)
    assert sectors.score(one).iloc[0] == pytest.approx(expected, abs=0.05)


def test_score_uses_the_guaranteed_low_end_of_a_range_and_treats_missing_as_zero():
    m = _frame(lq=[np.nan, 0.5, 1.0], lq_low=[0.5, 0.5, 1.0], lq_high=[1.5, 0.5, 1.0], growth_vs_us=[0.0] * 3,
               pay_ratio=[1.0] * 3, size_share=[0.05] * 3)
    s = sectors.score(m)
    assert s.iloc[0] == s.iloc[1] < s.iloc[2]  # 0.5 to 1.5 scores as 0.5, not as its midpoint 1.0
    # a very wide range (Energy & Utilities in Indiana growth region 1: 0.07 to 7.41) does not outrank a known 1.3
    wide = _frame(lq=[np.nan, 1.3], lq_low=[0.07, 1.3], lq_high=[7.41, 1.3], growth_vs_us=[0.0] * 2,
                  pay_ratio=[1.0] * 2, size_share=[0.05] * 2)
    scores = sectors.score(wide)
    assert scores.iloc[0] < scores.iloc[1]
    missing = _frame(lq=[1.0], lq_low=[1.0], lq_high=[1.0], growth_vs_us=[np.nan], pay_ratio=[np.nan],
                     size_share=[0.05])
    p = ScoringParams()
    expected = 100 * (p.weight_concentration * 0.5 + p.weight_size * 0.5)
    assert sectors.score(missing).iloc[0] == pytest.approx(expected, abs=0.05)


# -- employer pool and geography -------------------------------------------------------------------

@pytest.mark.parametrize("n, level", [(0, "too small"), (24, "too small"), (25, "thin"), (29, "thin"),
                                      (30, "sufficient"), (500, "sufficient")])
def test_employer_pool_levels(n, level):
    out = sectors.employer_pool(n)
    assert out["level"] == level and out["establishments"] == n
    assert str(n) in out["verdict"]


def test_employer_pool_follows_params():
    p = ScoringParams(champions_min=10, members_min=40)
    assert sectors.employer_pool(9, p)["level"] == "too small"
    assert sectors.employer_pool(10, p)["level"] == "thin"
    assert sectors.employer_pool(39, p)["level"] == "thin"
    assert sectors.employer_pool(40, p)["level"] == "sufficient"


def _check(region):
    pop = workforce.aggregate_workforce(region.counties)["population"]["value"]
    return sectors.geography_check(region.scheme, len(region.counties), len(region.states), pop)


def test_geography_state_is_too_big():
    assert _check(regions.resolve_region("state", "18"))["level"] == "too big"
    assert _check(regions.resolve_region("state", "44"))["level"] == "too big"  # even Rhode Island


def test_geography_small_single_county_is_too_small():
    ohio_county = regions.resolve_region("county", "18115")  # ~6,000 people
    assert _check(ohio_county)["level"] == "too small"


def test_geography_big_single_county_and_egr_are_just_right():
    assert _check(regions.resolve_region("in-egr", "2"))["level"] == "just right"
    assert _check(regions.resolve_region("county", "18097"))["level"] == "just right"
    table = store.load_table("regions")
    marion_cz = table.loc[(table.scheme == "cz") & (table.fips == "18097"), "region_id"].iloc[0]
    assert _check(regions.resolve_region("cz", marion_cz))["level"] == "just right"


def test_geography_more_than_ten_million_people_is_too_big():
    assert sectors.geography_check("cbsa", 29, 3, 19_500_000)["level"] == "too big"


def test_geography_small_single_county_as_custom_region_is_too_small():
    assert _check(regions.custom_region(["18115"]))["level"] == "too small"
