"""Link notices say what is true: a change asked for from the oldest of two loaded years, a share threshold
above 100%."""

from __future__ import annotations

import pytest

from dashboard.analysis import measures
from dashboard.ui import links


@pytest.fixture
def two_years(monkeypatch):
    monkeypatch.setattr(measures, "years", lambda: (2015, 2016))


def test_a_change_from_the_oldest_of_two_years_does_not_say_only_one_is_loaded(two_years):
    view, notices = links.parse_query({"measure": "change", "year": "2015", "state": "IN"})
    assert view["measure"] == "lq"
    assert not any("only one year is loaded" in n for n in notices), notices
    assert any("no earlier year is loaded (loaded: 2015, 2016)" in n for n in notices), notices


def test_a_change_with_one_year_loaded_still_says_so():
    if len(measures.years()) != 1:
        pytest.skip("the committed data hold one year")
    _, notices = links.parse_query({"measure": "change", "state": "IN"})
    assert any("only one year is loaded" in n for n in notices)


@pytest.mark.parametrize(
    "threshold",
    [
        "colleges-middle-skill.recommended:5,colleges-middle-skill.strongly:6",  # an absolute share of the sector's jobs: 500%
        "human-services-income.floor:5",  # a floor under a share of the population
    ],
)
def test_a_share_threshold_above_one_is_refused_with_a_notice(threshold):
    view, notices = links.parse_query({"thresholds": threshold, "state": "IN"})
    assert view["thresholds"] == {}
    assert any("is a share of 500%" in n and "seat thresholds" in n for n in notices), notices


def test_a_share_threshold_within_one_and_a_ratio_above_one_are_kept():
    text = "colleges-middle-skill.recommended:0.5,colleges-middle-skill.strongly:0.6,adult-literacy.recommended:1.1"
    view, notices = links.parse_query({"thresholds": text, "state": "IN"})
    assert notices == []
    assert view["thresholds"]["colleges-middle-skill"] == {"recommended": 0.5, "strongly": 0.6}
    assert view["thresholds"]["adult-literacy"] == {"recommended": 1.1}
