"""The careers section in the profile, its CSV, the brief, the command line and the region profile page;
multi-state regions compared with the chosen state throughout."""

from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import careers, formatting, seats
from dashboard.analysis.regions import resolve_region
from dashboard.data import paths
from dashboard.report import brief, profile_tables
from dashboard.report.profile import region_profile
from dashboard.ui.text import md

ROOT = paths.ROOT


@pytest.fixture(scope="module")
def franklin_hosp():
    return region_profile(resolve_region("county", "39049"), sector_id="hospitality-tourism")


@pytest.fixture(scope="module")
def cabell_ky():
    return region_profile(resolve_region("cz", "226"), sector_id="healthcare", state="21")


def test_profile_carries_the_careers_of_its_seat_sector(franklin_hosp):
    c = franklin_hosp.careers
    assert c is not None and c.sector_id == franklin_hosp.seats_sector == "hospitality-tourism"
    expected = careers.region_careers(franklin_hosp.region, "hospitality-tourism", franklin_hosp.year)
    assert c.indicators == expected.indicators
    assert [o.code for o in c.top(10)] == [o.code for o in expected.top(10)]
    data = json.loads(json.dumps(franklin_hosp.to_json()))
    assert {"sector", "staffing", "ladder", "occupations"} <= set(data["careers"])
    assert data["careers"]["staffing"]["entry_hs_share"] == round(c.indicators.entry_hs_share, 4)


def test_seat_evidence_equals_the_profiles_careers_figures(franklin_hosp):
    c = franklin_hosp.careers
    s = next(s for s in franklin_hosp.seats if s["id"] == "human-services")
    assert s["decided_by"] == "sector"
    entry = next(x for x in s["conditions"] if x["indicator"] == "sector_entry_hs_share")
    assert entry["value"] == round(c.indicators.entry_hs_share, 4)
    assert formatting.share(c.indicators.entry_hs_share) in s["evidence"]
    pay = franklin_hosp.candidate("hospitality-tourism")["pay_ratio"]
    assert f"{pay:.2f} times" in s["evidence"]


def test_careers_csv(franklin_hosp):
    frame = profile_tables.careers_table(franklin_hosp)
    c = franklin_hosp.careers
    assert len(frame) == len(c.occupations)
    first = frame.iloc[0]
    assert first["occupation"] == c.occupations[0].title and first["estimated_jobs"] == c.occupations[0].jobs
    assert set(frame["industry_year"]) == {franklin_hosp.year}
    assert frame["estimate_method"].str.startswith("Estimate:").all()
    assert "Occupational Employment and Wage Statistics, May 2025" in first["sources"]
    shown = profile_tables.careers_display(franklin_hosp)
    assert len(shown) == 15 and shown.iloc[0]["share of jobs"] == formatting.share(c.occupations[0].share)


def test_multi_state_profile_is_compared_with_the_chosen_state(cabell_ky):
    assert cabell_ky.comparison_state == "21"
    assert cabell_ky.careers.state == "21" and cabell_ky.careers.state_name == "Kentucky"
    s = next(s for s in cabell_ky.seats if s["id"] == "adult-literacy")
    assert s["state_value"] == round(seats.comparison_values(("21",))["low_skill_share"], 4)
    assert "Kentucky (the state chosen; the region also reaches into Ohio and West Virginia)" in s["evidence"]
    comparisons = brief.brief_comparisons(cabell_ky.region, "21")
    assert comparisons["state_label"] == "Kentucky"
    assert comparisons["state"]["low_skill_share"] == seats.comparison_values(("21",))["low_skill_share"]


def test_brief_has_a_careers_section(cabell_ky):
    doc = brief.brief_html(cabell_ky, brief.brief_comparisons(cabell_ky.region, "21"))
    assert "Careers in Healthcare: jobs by entry education" in doc
    for rung in cabell_ky.careers.ladder:
        assert html.escape(brief.RUNG_SHORT[rung.id]) in doc
        assert formatting.share(rung.share) in doc
    assert "Kentucky&#x27;s median wage" in doc
    assert "Occupational Employment and Wage Statistics, May 2025" in doc  # the footer's sources
    # data-triggered seats come before the core seats on paper too
    assert doc.index(">Strongly recommended (") < doc.index(">Core (")


def test_cli_profile_has_careers_and_takes_a_state():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "profile",
            "--scheme",
            "cz",
            "--region",
            "226",
            "--sector",
            "healthcare",
            "--state",
            "KY",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["comparison_state"] == {"fips": "21", "name": "Kentucky"}
    assert out["careers"]["sector"]["id"] == "healthcare"
    assert out["careers"]["occupations"][0]["code"] == "29-1141"  # registered nurses lead healthcare
    hs = next(s for s in out["seats"] if s["id"] == "human-services")
    assert "in Kentucky (the state chosen" in hs["evidence"]
    bad = subprocess.run(
        [sys.executable, "-m", "dashboard", "profile", "--scheme", "cz", "--region", "226", "--state", "Atlantis"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "unknown state" in bad.stderr and "Traceback" not in bad.stderr


def test_region_profile_page_shows_careers_and_data_triggered_seats_first():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for k, v in {
        "page": "region-profile",
        "state": "OH",
        "scheme": "county",
        "region": "39049",
        "industry": "hospitality-tourism",
    }.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    headers = [h.value for h in at.header]
    assert "Careers in Hospitality & Tourism" in headers
    p = region_profile(resolve_region("county", "39049"), sector_id="hospitality-tourism", state="39")
    ladder = next(
        d.value for d in at.dataframe if "entry education" in d.value.columns and "occupations" in d.value.columns
    )
    assert list(ladder["share of jobs"]) == [formatting.share(r.share) for r in p.careers.ladder]
    top = next(d.value for d in at.dataframe if "wage from" in d.value.columns)
    assert top.iloc[0]["occupation"] == p.careers.occupations[0].title
    subheaders = [h.value for h in at.subheader]
    first_core = next(i for i, t in enumerate(subheaders) if t.startswith("Core"))
    assert any(t.startswith("Recommended") or t.startswith("Strongly") for t in subheaders[:first_core])
    core_names = {md(s["name"]) for s in p.seats if s["level"] == "core"}
    core = [e for e in at.expander if e.label in core_names and not len(e.number_input)]  # not the threshold form
    assert len(core) == len(core_names) == 6  # hospitality has few middle-skill jobs: colleges stay core
    assert not any(e.proto.expanded for e in core)  # the core seats' standing text is collapsed
    assert any(b.label == "Careers (CSV)" for b in at.get("download_button"))
