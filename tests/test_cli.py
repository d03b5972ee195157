"""The command line (``python -m dashboard``) and the region profile behind it."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from dashboard.analysis import regions, sectors, workforce
from dashboard.data import paths
from dashboard.report.profile import region_profile

LIST_HINT = "python -m dashboard regions --scheme"
FRACTIONS = [
    "low_skill_share",
    "poverty_rate",
    "below_150pct_poverty_share",
    "unemployment_rate",
    "limited_english_share",
    "no_vehicle_share",
    "disability_share",
]
WORKFORCE_KEYS = FRACTIONS + ["median_household_income", "population"]
SECTOR_KEYS = {"code", "name", "employment", "establishments", "lq", "lq_low", "lq_high", "avg_annual_pay", "growth"}
CANDIDATE_KEYS = {"id", "name", "score", "class", "lq", "employment", "establishments"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=timeout
    )


PROFILE_ARGS = {
    "marion": ("--scheme", "county", "--region", "18097"),
    "egr2": ("--scheme", "in-egr", "--region", "2"),
    "elkhart_goshen": ("--scheme", "cbsa", "--region", "21140"),
    "custom": ("--counties", "18039,18141"),
}


@pytest.fixture(scope="module")
def profiles():
    """The four profiles, run side by side (each is its own process)."""
    procs = {
        key: subprocess.Popen(
            [sys.executable, "-m", "dashboard", "profile", *args, "--format", "json"],
            cwd=paths.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, args in PROFILE_ARGS.items()
    }
    out = {}
    for key, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=180)
        out[key] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return out


@pytest.mark.parametrize("key", list(PROFILE_ARGS))
def test_profile_prints_valid_json(profiles, key):
    proc = profiles[key]
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"region", "workforce", "sectors", "candidate_sectors", "vintages"} <= set(data)
    assert {"scheme", "id", "name", "counties"} <= set(data["region"])
    assert set(WORKFORCE_KEYS) <= set(data["workforce"])
    for k in FRACTIONS:
        v = data["workforce"][k]
        assert isinstance(v, float) and 0 <= v <= 1, (k, v)
    assert data["workforce"]["population"] > 1000
    assert 20_000 < data["workforce"]["median_household_income"] < 200_000
    assert data["sectors"] and all(SECTOR_KEYS <= set(s) for s in data["sectors"])
    assert data["candidate_sectors"] and all(CANDIDATE_KEYS <= set(s) for s in data["candidate_sectors"])
    assert {s["id"] for s in data["candidate_sectors"]} == {s.id for s in sectors.load_taxonomy()}
    assert data["vintages"]["industry"].endswith("2016")


def _json(profiles, key):
    assert profiles[key].returncode == 0, profiles[key].stderr
    return json.loads(profiles[key].stdout)


def test_profile_regions_are_the_requested_ones(profiles):
    assert _json(profiles, "marion")["region"] == {
        "scheme": "county",
        "id": "18097",
        "name": "Marion County, IN",
        "counties": ["18097"],
    }
    egr = _json(profiles, "egr2")["region"]
    assert egr["scheme"] == "in-egr" and egr["id"] == "2"
    assert egr["counties"] == ["18039", "18049", "18085", "18099", "18141"]
    custom = _json(profiles, "custom")["region"]
    assert custom["counties"] == ["18039", "18141"]


def test_marion_json_numbers_equal_aggregate_workforce(profiles):
    data = _json(profiles, "marion")["workforce"]
    agg = workforce.aggregate_workforce(["18097"])
    for k in FRACTIONS:
        assert data[k] == pytest.approx(agg[k]["value"], abs=5e-5), k
    assert data["population"] == agg["population"]["value"] == 981_628
    assert data["median_household_income"] == agg["median_household_income"]["value"] == 66_653
    assert data["poverty_rate"] == pytest.approx(0.156, abs=5e-4)
    assert data["unemployment_rate"] == pytest.approx(0.042, abs=5e-4)


def test_elkhart_goshen_manufacturing_lq(profiles):
    data = _json(profiles, "elkhart_goshen")
    assert data["region"]["counties"] == ["18039"]
    mfg = [s for s in data["sectors"] if s["code"] == "31-33"]
    assert len(mfg) == 1
    assert mfg[0]["lq"] == pytest.approx(5.7, abs=0.05)
    assert mfg[0]["employment"] == pytest.approx(62_700, rel=0.01)


def test_custom_region_sums_its_two_counties(profiles):
    data = _json(profiles, "custom")
    one = workforce.aggregate_workforce(["18039"])["population"]["value"]
    two = workforce.aggregate_workforce(["18141"])["population"]["value"]
    assert data["workforce"]["population"] == one + two


@pytest.mark.parametrize(
    "args",
    [
        ("profile", "--scheme", "nonsense", "--region", "1"),
        ("profile", "--scheme", "in-egr", "--region", "99"),
        ("profile", "--scheme", "county", "--region", "99999"),
        ("profile", "--counties", "18039,99999"),
    ],
    ids=["bad-scheme", "bad-region", "bad-county-region", "unknown-county"],
)
def test_bad_input_exits_2_with_one_line(args):
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert LIST_HINT in lines[0]
    assert "Traceback" not in proc.stderr


def test_malformed_county_code_points_to_the_list():
    proc = run("profile", "--counties", "18039,abc")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and LIST_HINT in lines[0]


def test_county_without_industry_rows_gives_no_traceback():
    proc = run("profile", "--scheme", "county", "--region", "09110")
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:
        data = json.loads(proc.stdout)
        assert all(s["lq"] is None and s["employment"] is None for s in data["sectors"])
        assert all(s["lq"] is None and s["employment"] is None for s in data["candidate_sectors"])
        assert data["workforce"]["population"] > 0
    else:
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_regions_lists_eleven_growth_regions():
    proc = run("regions", "--scheme", "in-egr")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 11
    ids = [ln.split("\t")[0] for ln in lines]
    assert sorted(ids, key=int) == [str(i) for i in range(1, 12)]
    assert lines[ids.index("2")].endswith("5 counties")


def test_regions_with_state_filter():
    proc = run("regions", "--scheme", "county", "--state", "18")
    assert proc.returncode == 0
    assert len(proc.stdout.strip().splitlines()) == 92


# -- in process: a sample of every scheme --------------------------------------------------------


def _sample(scheme: str, n: int = 5) -> list[str]:
    ids = regions.list_regions(scheme)["region_id"].tolist()
    step = max(1, len(ids) // n)
    return ids[::step][:n]


SAMPLE = [(scheme, rid) for scheme in regions.SCHEMES for rid in _sample(scheme)]


def _none_or_number(x):
    return x is None or (isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)))


@pytest.mark.parametrize("scheme, region_id", SAMPLE, ids=[f"{s}-{r}" for s, r in SAMPLE])
def test_profile_of_sample_regions(scheme, region_id):
    region = regions.resolve_region(scheme, region_id)
    profile = region_profile(region).to_json()
    json.dumps(profile, allow_nan=False)  # plain JSON: no NaN sneaks through
    assert profile["region"]["id"] == region.id
    cands = profile["candidate_sectors"]
    assert len(cands) == len(sectors.load_taxonomy())
    for c in cands:
        assert c["class"] in sectors.CLASSES, c
        assert c["score"] is not None and 0 <= c["score"] <= 100, c
        for k in ("lq", "lq_low", "lq_high", "employment"):
            assert _none_or_number(c[k]), (k, c)
        if c["lq_low"] is not None and c["lq_high"] is not None:
            assert c["lq_low"] <= c["lq_high"], c
        if c["lq"] is not None:
            assert c["lq_low"] == c["lq"] == c["lq_high"]
            assert c["employment"] is not None
    # ranked by score, sectors not known from public data in their own group after the rest
    unknown = [c["confidence"] == "not known from public data" for c in cands]
    assert unknown == sorted(unknown)
    scores = [c["score"] for c, u in zip(cands, unknown, strict=True) if not u]
    assert scores == sorted(scores, reverse=True)
    for s in profile["sectors"]:
        if s["lq_low"] is not None and s["lq_high"] is not None:
            assert s["lq_low"] <= s["lq_high"], s
    for k, v in profile["workforce"].items():
        if v is not None and k not in ("population", "median_household_income"):
            assert 0 <= v <= 1, (k, v)


@pytest.mark.parametrize("fips", ["15005", "09110", "02063"])
def test_profile_of_county_without_industry_rows(fips):
    # Kalawao HI, a Connecticut planning region, Chugach AK: no 2016 QCEW county rows
    profile = region_profile(regions.resolve_region("county", fips)).to_json()
    json.dumps(profile, allow_nan=False)
    assert profile["workforce"]["population"] > 0
    for row in profile["sectors"] + profile["candidate_sectors"]:
        assert row["lq"] is None and row["employment"] is None, row
