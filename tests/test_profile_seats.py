"""Seats in the region profile and on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.analysis import regions, seats, workforce
from dashboard.report.profile import region_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def marion():
    return regions.resolve_region("county", "18097")


@pytest.fixture(scope="module")
def profile(marion):
    return region_profile(marion, sector_id="healthcare")


def test_profile_has_a_seat_per_rule(profile):
    assert profile.seats_sector == "healthcare"
    ids = [s["id"] for s in profile.seats]
    assert sorted(ids) == sorted(r.id for r in seats.load_rules())
    for s in profile.seats:
        assert {"id", "name", "level", "evidence", "source"} <= set(s)
        assert s["level"] in seats.LEVELS
        assert s["evidence"] and s["source"]


def test_seat_values_equal_the_workforce_block(profile, marion):
    block = profile.workforce
    compared = 0
    for s in profile.seats:
        indicator = s.get("indicator")
        if indicator not in workforce.INDICATORS:
            continue
        if indicator in block:
            assert s["value"] == block[indicator], (s["id"], s["value"], block[indicator])
            compared += 1
        # every workforce-triggered seat also matches the measure itself
        assert s["value"] == round(workforce.workforce_values(marion.counties)[indicator], 4), s["id"]
    assert compared >= 8


def test_seat_comparisons_are_rounded_state_and_us_values(profile, marion):
    state = seats.comparison_values(marion.states)
    us = seats.us_values()
    for s in profile.seats:
        if s.get("indicator") in workforce.INDICATORS:
            assert s["state_value"] == round(state[s["indicator"]], 4)
            assert s["us_value"] == round(us[s["indicator"]], 4)


def test_sector_seats_in_the_profile(profile):
    got = {s["id"]: s for s in profile.seats}
    assert got["organized-labor"]["level"] == "recommended"
    assert got["trade-association"]["level"] == "not indicated"
    assert got["trade-association"]["value"] > 20
    assert "Healthcare" in got["employer-champions"]["evidence"]


def test_profile_is_json_serialisable(profile):
    assert json.loads(json.dumps(profile.to_json()))["seats"] == profile.seats


def test_unknown_sector_raises_key_error(marion):
    with pytest.raises(KeyError, match="nope"):
        region_profile(marion, sector_id="nope")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_profile_prints_seats(profile):
    done = run_cli("profile", "--scheme", "county", "--region", "18097", "--sector", "healthcare")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["region"]["id"] == "18097"
    assert out["seats_sector"] == "healthcare"
    assert out["seats"] == profile.seats
    for s in out["seats"]:
        assert {"id", "name", "level", "evidence", "source"} <= set(s)


def test_cli_unknown_sector_exits_2():
    done = run_cli("profile", "--scheme", "county", "--region", "18097", "--sector", "nope")
    assert done.returncode == 2
    assert "nope" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
