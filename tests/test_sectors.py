"""Partnership sectors: taxonomy file, scoring, classification and scope checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import measures, regions, sectors, workforce
from dashboard.analysis.sectors import ScoringParams
from dashboard.data import store
from dashboard.maps import data as map_data

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


# two sectors of data/partnership_sectors.toml, the first without its labor_management line
GOOD = """
[[sector]]
id = "wholesale-trade"
name = "Wholesale Trade"
naics = ["423", "424", "425"]

[[sector]]
id = "construction"
name = "Construction"
naics = ["23"]
labor_management = true
"""


def test_small_taxonomy_file_loads(tmp_path):
    tax = sectors.load_taxonomy(_write(tmp_path, "ok.toml", GOOD))
    assert [s.id for s in tax] == ["wholesale-trade", "construction"]
    assert tax[0].naics == ("423", "424", "425") and tax[0].labor_management is False
    assert tax[1].labor_management is True


def test_duplicated_code_is_refused_and_named(tmp_path):
    text = GOOD.replace('naics = ["23"]', 'naics = ["23", "424"]')
    with pytest.raises(ValueError) as err:
        sectors.load_taxonomy(_write(tmp_path, "dup_code.toml", text))
    assert "424" in str(err.value)


def test_duplicated_id_is_refused_and_named(tmp_path):
    text = GOOD.replace('id = "construction"', 'id = "wholesale-trade"')
    with pytest.raises(ValueError) as err:
        sectors.load_taxonomy(_write(tmp_path, "dup_id.toml", text))
    assert "'wholesale-trade'" in str(err.value) or '"wholesale-trade"' in str(err.value)


@pytest.mark.parametrize(
    "key, line", [("id", 'id = "construction"'), ("name", 'name = "Construction"'), ("naics", 'naics = ["23"]')]
)
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


@pytest.mark.parametrize(
    "weights",
    [
        dict(weight_concentration=0.5),  # sums to 1.10
        dict(weight_concentration=0.30),  # sums to 0.90
        dict(weight_concentration=0.0, weight_growth=0.0, weight_pay=0.0, weight_size=0.0),
        dict(weight_concentration=1.2, weight_growth=-0.2, weight_pay=0.0, weight_size=0.0),
    ],
)
def test_weights_must_sum_to_one(weights):
    with pytest.raises(ValueError):
        ScoringParams(**weights)


def test_weights_summing_to_one_are_accepted():
    p = ScoringParams(weight_concentration=0.7, weight_growth=0.1, weight_pay=0.1, weight_size=0.1)
    assert p.as_dict()["weight_concentration"] == 0.7


# -- classification ------------------------------------------------------------------------------

ESTIMATE_COLUMNS = [
    "lq_estimate",
    "growth_vs_us_estimate",
    "pay_ratio_estimate",
    "size_share_estimate",
    "employment_estimate",
]


@pytest.fixture(scope="module")
def in_measures():
    """Every partnership sector in each of Indiana's 92 counties, 2016."""
    view = map_data.view_regions("county", "18")
    area_region, _ = measures.qcew_area_region(list(view), 2016)
    return measures.group_measures(area_region, sectors.sector_groups(), 2016).reset_index(drop=True)


def _rows(m, pairs, estimates=True):
    """The real rows of (county FIPS, sector id) pairs, in that order; without ``estimates`` re-laid as a frame
    without the labelled estimates (ranges then decide alone)."""
    out = pd.concat([m[(m["region_id"] == fips) & (m["group"] == group)] for fips, group in pairs], ignore_index=True)
    assert len(out) == len(pairs)
    return out if estimates else out.drop(columns=ESTIMATE_COLUMNS)


CLASS_OF = {
    (True, True): "existing strength",
    (True, False): "mature",
    (False, True): "emerging",
    (False, False): "weak",
}


def _rule(lq, growth_vs_us, params=None):
    """The classes written out for a published LQ and growth against the US."""
    params = params or ScoringParams()
    if np.isnan(lq) or np.isnan(growth_vs_us):
        return "undetermined"
    concentrated, growing = lq >= params.lq_concentrated, growth_vs_us >= params.growth_margin
    return CLASS_OF[(bool(concentrated), bool(growing))]


# published 2016 figures (nothing suppressed), one of each class
PUBLISHED = [
    (("18003", "advanced-manufacturing"), "existing strength"),  # Allen County, IN: LQ 2.14, +0.6 pts on the US
    (("18003", "wholesale-trade"), "mature"),  # Allen County, IN: LQ 1.17, -2.4 pts
    (("18001", "construction"), "emerging"),  # Adams County, IN: LQ 0.58, +2.4 pts
    (("18003", "hospitality-tourism"), "weak"),  # Allen County, IN: LQ 0.97, -0.9 pts
    (("18023", "energy-utilities"), "undetermined"),  # Clinton County, IN: a published 0 jobs, no change figure
]


@pytest.mark.parametrize("pair, expected", PUBLISHED, ids=[e for _, e in PUBLISHED])
def test_classes_of_published_figures(in_measures, pair, expected):
    row = _rows(in_measures, [pair])
    assert row["suppressed_areas"].iloc[0] == 0 and row["lq"].notna().iloc[0]
    assert _rule(row["lq"].iloc[0], row["growth_vs_us"].iloc[0]) == expected
    assert sectors.classify(row).iloc[0] == expected
    assert sectors.verdicts(row)["confidence"].iloc[0] == (
        sectors.NOT_KNOWN if expected == "undetermined" else "published"
    )


@pytest.mark.parametrize("pair", [p for p, e in PUBLISHED if e != "undetermined"])
def test_classes_at_the_boundaries(in_measures, pair):
    """Thresholds set exactly at a real sector's own LQ and growth: "at or above" counts; a hair higher does not."""
    row = _rows(in_measures, [pair])
    lq, growth = row["lq"].iloc[0], row["growth_vs_us"].iloc[0]
    above_lq, above_growth = np.nextafter(lq, np.inf), np.nextafter(growth, np.inf)
    for params, expected in [
        (
            ScoringParams(lq_concentrated=lq, growth_margin=growth),
            "existing strength",
        ),  # both exactly at the thresholds
        (ScoringParams(lq_concentrated=lq, growth_margin=above_growth), "mature"),
        (ScoringParams(lq_concentrated=above_lq, growth_margin=growth), "emerging"),
        (ScoringParams(lq_concentrated=above_lq, growth_margin=above_growth), "weak"),
    ]:
        assert _rule(lq, growth, params) == expected
        assert sectors.classify(row, params).iloc[0] == expected


# suppressed 2016 figures: LQ and growth-against-the-US ranges, read without their estimates
RANGES = [
    (
        ("18033", "transportation-logistics"),
        None,
        "existing strength",
    ),  # DeKalb County, IN: LQ 2.12-2.13, +39 to +71 pts
    (("18003", "transportation-logistics"), None, "mature"),  # Allen County, IN: LQ 1.03-1.04, -15 to -12 pts
    (("18005", "healthcare"), None, "emerging"),  # Bartholomew County, IN: LQ 0.553-0.554, +6.2 to +6.5 pts
    (("18003", "information-technology"), None, "weak"),  # Allen County, IN: LQ 0.718-0.720, -3.1 to -2.4 pts
    (("18033", "wholesale-trade"), None, "undetermined"),  # DeKalb County, IN: LQ 0.954-1.008 straddles 1.00
    (("18033", "wholesale-trade"), "high", "undetermined"),  # ... the threshold at its upper end 1.008
    (("18033", "wholesale-trade"), "above high", "weak"),  # ... a hair above: the whole range below
    (("18001", "advanced-manufacturing"), None, "undetermined"),  # Adams County, IN: LQ 3.77-5.63, -32 to +54 pts
    (("18001", "other-manufacturing"), None, "undetermined"),  # Adams County, IN: LQ 0.00-6.21, change unbounded
]


@pytest.mark.parametrize("pair, threshold, expected", RANGES)
def test_suppression_ranges(in_measures, pair, threshold, expected):
    m = _rows(in_measures, [pair], estimates=False)
    low, high = m["lq_low"].iloc[0], m["lq_high"].iloc[0]
    assert m["lq"].isna().iloc[0] and low < high
    thr = {None: 1.0, "high": high, "above high": np.nextafter(high, np.inf)}[threshold]
    g_low, g_high = m["growth_vs_us_low"].iloc[0], m["growth_vs_us_high"].iloc[0]
    # independent: concentrated only if the whole range is at or above the threshold, growing likewise
    conc = True if low >= thr else False if high < thr else None
    grow = True if g_low >= 0 else False if g_high < 0 else None
    rule = "undetermined" if conc is None or grow is None else CLASS_OF[(conc, grow)]
    assert rule == expected
    assert sectors.classify(m, ScoringParams(lq_concentrated=thr)).iloc[0] == expected


def test_estimates_decide_a_straddling_range_as_likely(in_measures):
    # DeKalb County, IN wholesale trade: LQ 0.954-1.008 straddles 1.00; its estimate 0.954 and growth estimate
    # (-36 pts) are below: likely weak
    m = _rows(in_measures, [("18033", "wholesale-trade")])
    assert m["lq_estimate"].iloc[0] < 1 and m["growth_vs_us_estimate"].iloc[0] < 0
    v = sectors.verdicts(m).iloc[0]
    assert (v["class"], v["confidence"], v["verdict"]) == ("weak", "likely", "likely weak")


def test_thresholds_are_the_params(in_measures):
    m = _rows(in_measures, [("18003", "construction")])  # Allen County, IN: published LQ 1.030, +0.10 pts on the US
    assert 1.0 < m["lq"].iloc[0] < 1.25 and 0 < m["growth_vs_us"].iloc[0] < 0.02
    assert sectors.classify(m).iloc[0] == "existing strength"
    assert sectors.classify(m, ScoringParams(lq_concentrated=1.25)).iloc[0] == "emerging"
    assert sectors.classify(m, ScoringParams(growth_margin=0.02)).iloc[0] == "mature"
    assert sectors.classify(m, ScoringParams(lq_concentrated=1.25, growth_margin=0.02)).iloc[0] == "weak"


def test_classify_keeps_the_index_and_only_known_classes(in_measures):
    m = _rows(
        in_measures,
        [("18003", "advanced-manufacturing"), ("18003", "hospitality-tourism"), ("18033", "wholesale-trade")],
        estimates=False,
    )
    m.index = [7, 3, 11]
    out = sectors.classify(m)
    assert list(out.index) == [7, 3, 11]
    assert list(out) == ["existing strength", "weak", "undetermined"]
    assert set(out) <= set(sectors.CLASSES)


# -- score ---------------------------------------------------------------------------------------


def _inputs(m):
    """What the score reads, written out: published figure or estimate (the LQ's low end without one)."""

    def first(*cols):
        out = pd.Series(np.nan, index=m.index)
        for c in reversed(cols):
            if c in m:
                out = m[c].astype("float64").where(m[c].notna(), out)
        return out

    return pd.DataFrame(
        {
            "lq": first("lq", "lq_estimate", "lq_low"),
            "growth_vs_us": first("growth_vs_us_estimate", "growth_vs_us"),
            "pay_ratio": first("pay_ratio_estimate", "pay_ratio"),
            "size_share": first("size_share_estimate", "size_share"),
        }
    )


def _formula(x, p=None):
    """The score formula written out: each term a linear ramp from zero to its full level; missing scores zero."""
    p = p or ScoringParams()

    def ramp(v, zero, full):
        return np.clip((v - zero) / (full - zero), 0, 1)

    return 100 * (
        p.weight_concentration * ramp(x["lq"].fillna(0), 0, p.lq_full_score)
        + p.weight_growth * ramp(x["growth_vs_us"], -p.growth_full_score, p.growth_full_score).fillna(0)
        + p.weight_pay * ramp(x["pay_ratio"], p.pay_ratio_zero, p.pay_ratio_full).fillna(0)
        + p.weight_size * ramp(x["size_share"].fillna(0), 0, p.size_full_score)
    )


@pytest.fixture(scope="module")
def scored(in_measures):
    x = _inputs(in_measures)
    # missing growth or pay scores as the lowest value, missing LQ or size as zero
    ranked = x.fillna({"lq": 0, "size_share": 0, "growth_vs_us": -np.inf, "pay_ratio": -np.inf})
    return ranked.assign(score=sectors.score(in_measures).to_numpy())


@pytest.mark.parametrize("col", ["lq", "growth_vs_us", "pay_ratio", "size_share"])
def test_score_never_falls_when_one_measure_rises(scored, col):
    """Between real sectors: one at least as high on every measure and higher on ``col`` never scores lower."""
    cols = ["lq", "growth_vs_us", "pay_ratio", "size_share"]
    v = scored[cols].to_numpy()
    s = scored["score"].to_numpy()
    k = cols.index(col)
    dominates = (v[:, None, :] >= v[None, :, :]).all(axis=2) & (v[:, None, k] > v[None, :, k])
    a, b = np.nonzero(dominates)
    assert len(a) > 50
    assert (s[a] >= s[b]).all(), scored.iloc[[a[np.argmin(s[a] - s[b])], b[np.argmin(s[a] - s[b])]]]
    # and it does rise somewhere along the axis
    assert (s[a] > s[b]).any()


def test_score_range_and_formula(in_measures, scored):
    assert scored["score"].between(0, 100).all()
    # both ends reached in Indiana's counties (0: a published 0 jobs with no change or pay figure)
    assert scored["score"].min() == 0 and scored["score"].max() == 100
    expected = _formula(_inputs(in_measures))
    assert np.allclose(scored["score"], expected, atol=0.05)
    # Allen County, IN construction 2016: every term inside its ramp
    one = _rows(in_measures, [("18003", "construction")])
    x = _inputs(one).iloc[0]
    assert (
        0 < x["lq"] < 2
        and -0.05 < x["growth_vs_us"] < 0.05
        and 0.5 < x["pay_ratio"] < 1.5
        and 0 < x["size_share"] < 0.1
    )
    p = ScoringParams()
    by_hand = 100 * (
        p.weight_concentration * x["lq"] / 2
        + p.weight_growth * (x["growth_vs_us"] + 0.05) / 0.1
        + p.weight_pay * (x["pay_ratio"] - 0.5) / 1.0
        + p.weight_size * x["size_share"] / 0.1
    )
    assert sectors.score(one).iloc[0] == pytest.approx(by_hand, abs=0.05)


def test_score_uses_the_estimate_or_the_guaranteed_low_end_and_treats_missing_as_zero(in_measures):
    # Adams County, IN other manufacturing: LQ 0.00 to 6.21, estimate 3.04
    m = _rows(in_measures, [("18001", "other-manufacturing")])
    bare = m.drop(columns=ESTIMATE_COLUMNS)
    assert m["lq_low"].iloc[0] == 0 and m["lq_estimate"].iloc[0] > 2
    p = ScoringParams()
    with_est, without = sectors.score(m).iloc[0], sectors.score(bare).iloc[0]
    assert with_est == pytest.approx(_formula(_inputs(m)).iloc[0], abs=0.05)
    # without an estimate the range scores as its low end (0.00), not as its midpoint
    assert without == pytest.approx(_formula(_inputs(bare)).iloc[0], abs=0.05)
    assert without == pytest.approx(_formula(_inputs(bare).assign(lq=0.0)).iloc[0], abs=0.05) and without < with_est
    # Clinton County, IN energy & utilities: a published 0 jobs, no change and no pay figure: every term zero
    # (a missing change read as "no change" would earn half the growth weight)
    zero = _rows(in_measures, [("18023", "energy-utilities")])
    assert zero["growth_vs_us"].isna().iloc[0] and zero["pay_ratio"].isna().iloc[0] and zero["lq"].iloc[0] == 0
    assert sectors.score(zero).iloc[0] == 0
    assert sectors.score(zero.fillna({"growth_vs_us": 0.0})).iloc[0] == pytest.approx(
        100 * p.weight_growth * 0.5, abs=0.05
    )


# -- employer pool and geography -------------------------------------------------------------------

# establishments of real 2016 sectors, at and either side of the 25 champions and 30 members
POOLS = [
    (("18007", "food-beverage-manufacturing"), 0, "too small"),  # Benton County, IN
    (("18005", "other-manufacturing"), 24, "too small"),  # Bartholomew County, IN
    (("18007", "business-financial-services"), 25, "thin"),  # Benton County, IN
    (("18001", "healthcare"), 29, "thin"),  # Adams County, IN
    (("18001", "transportation-logistics"), 30, "sufficient"),  # Adams County, IN
    (("18097", "business-financial-services"), 4950, "sufficient"),  # Marion County, IN
]


@pytest.mark.parametrize("pair, n, level", POOLS)
def test_employer_pool_levels(in_measures, pair, n, level):
    assert _rows(in_measures, [pair])["estabs"].iloc[0] == n
    out = sectors.employer_pool(n)
    assert out["level"] == level and out["establishments"] == n
    assert f"{n:,}" in out["verdict"]


def test_employer_pool_follows_params(in_measures):
    p = ScoringParams(champions_min=10, members_min=40)
    # Benton County, IN hospitality 9; Blackford County, IN other manufacturing 10; Boone County, IN agriculture 39;
    # Floyd County, IN other manufacturing 40 establishments
    m = _rows(
        in_measures,
        [
            ("18007", "hospitality-tourism"),
            ("18009", "other-manufacturing"),
            ("18011", "agriculture-food-production"),
            ("18043", "other-manufacturing"),
        ],
    )
    assert list(m["estabs"]) == [9, 10, 39, 40]
    assert [sectors.employer_pool(int(n), p)["level"] for n in m["estabs"]] == [
        "too small",
        "thin",
        "thin",
        "sufficient",
    ]


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
    new_york = regions.resolve_region("cbsa", "35620")  # New York-Newark-Jersey City metro area: 22 counties, 2 states
    assert (
        len(new_york.counties) > 1
        and workforce.aggregate_workforce(new_york.counties)["population"]["value"] > 10_000_000
    )
    assert _check(new_york)["level"] == "too big"


def test_geography_small_single_county_as_custom_region_is_too_small():
    assert _check(regions.custom_region(["18115"]))["level"] == "too small"
