"""The seven-characteristics self-assessment and the "works well / less well" pairs."""

from __future__ import annotations

import pytest

from dashboard.analysis import self_assessment as sa

SEVEN = [
    "Employer leadership",
    "Excellent outcomes for individuals and employers",
    "Serves low-skill, low-wage individuals",
    "Promotes career advancement",
    "Promotes industry-recognized credentials",
    "Communicates key information to stakeholders",
    "Knowledgeable intermediary staffing",
]


@pytest.fixture(scope="module")
def assessment() -> sa.Assessment:
    return sa.load_assessment()


def test_seven_characteristics_and_twelve_pairs(assessment):
    assert [c.name for c in assessment.characteristics] == SEVEN
    assert len({c.id for c in assessment.characteristics}) == 7
    assert all(c.items for c in assessment.characteristics)
    assert len(assessment.pairs) == 12
    assert assessment.pairs[0] == ("Clusters of companies", "Individual firms")
    assert assessment.pairs[-1] == ("A disciplined, replicable process", "A mysterious, unique occurrence")
    assert all(well and less and well != less for well, less in assessment.pairs)
    assert "National Fund" in assessment.source
    assert "Keystone" in assessment.pairs_source


def test_item_ids_are_unique_and_texts_present(assessment):
    ids = assessment.item_ids
    assert len(ids) == len(set(ids)) == 15
    assert all(i.text.strip() for c in assessment.characteristics for i in c.items)


def test_nothing_ticked_scores_zero(assessment):
    got = sa.score_assessment([], assessment)
    assert got["score"] == 0
    assert got["done"] == 0 and got["total"] == 15
    for c, per in zip(assessment.characteristics, got["characteristics"]):
        assert per["score"] == 0
        assert per["gaps"] == [i.text for i in c.items]


def test_everything_ticked_scores_one(assessment):
    got = sa.score_assessment(assessment.item_ids, assessment)
    assert got["score"] == 1
    assert got["done"] == got["total"] == 15
    for per in got["characteristics"]:
        assert per["score"] == 1
        assert per["gaps"] == []


def test_partial_tick_by_hand(assessment):
    ticked = {"employers-set-agenda", "employer-measures", "worker-measures", "career-ladders"}
    got = sa.score_assessment(ticked, assessment)
    per = {p["id"]: p for p in got["characteristics"]}

    assert per["employer-leadership"]["done"] == 1 and per["employer-leadership"]["total"] == 3
    assert per["employer-leadership"]["score"] == pytest.approx(1 / 3)
    assert per["dual-outcomes"]["score"] == 1
    assert per["career-advancement"]["score"] == pytest.approx(1 / 2)
    for cid in ("serves-low-skill", "credentials", "communication", "intermediary"):
        assert per[cid]["score"] == 0

    assert got["done"] == 4 and got["total"] == 15
    assert got["score"] == pytest.approx(4 / 15)
    assert got["strongest"] == "Excellent outcomes for individuals and employers"
    assert got["weakest"] in {
        "Serves low-skill, low-wage individuals",
        "Promotes industry-recognized credentials",
        "Communicates key information to stakeholders",
        "Knowledgeable intermediary staffing",
    }


def test_gaps_list_the_unticked_item_texts(assessment):
    got = sa.score_assessment({"employers-set-agenda", "career-ladders"}, assessment)
    per = {p["id"]: p for p in got["characteristics"]}
    assert per["employer-leadership"]["gaps"] == [
        "Employers contribute time, money or in-kind resources.",
        "Where the sector has that tradition, the partnership works through or with a labor-management committee.",
    ]
    assert per["career-advancement"]["gaps"] == ["Incumbent workers get training to move up."]
    assert per["dual-outcomes"]["gaps"] == [
        "The partnership tracks results employers care about (turnover, time to hire, productivity).",
        "It tracks results for workers (placement, retention, earnings).",
    ]


def test_ticking_twice_counts_once(assessment):
    assert sa.score_assessment(["credentials-named", "credentials-named"], assessment)["done"] == 1


def test_unknown_item_ids_raise(assessment):
    with pytest.raises(ValueError, match="not-an-item"):
        sa.score_assessment({"employers-set-agenda", "not-an-item"}, assessment)
    with pytest.raises(ValueError):
        sa.score_assessment(["Employer leadership"], assessment)  # a name, not an item id


def test_default_assessment_is_the_data_file():
    assert sa.score_assessment(["dedicated-staff"])["done"] == 1


# ---- malformed files ----------------------------------------------------------


def characteristic(cid: str, items: list[str]) -> str:
    rows = ",\n".join(f'  {{ id = "{i}", text = "Text of {i}." }}' for i in items)
    return f'[[characteristic]]\nid = "{cid}"\nname = "Name of {cid}"\nitems = [\n{rows}\n]\n'


def file_text(chars: list[tuple[str, list[str]]]) -> str:
    body = 'source = "s"\npairs_source = "p"\n\n' + "\n".join(characteristic(c, items) for c, items in chars)
    return body + '\n[[pair]]\nwell = "Regional"\nless = "Statewide or too local"\n'


SEVEN_OK = [(f"c{n}", [f"c{n}-a", f"c{n}-b"]) for n in range(1, 8)]


def test_a_well_formed_file_loads(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(file_text(SEVEN_OK))
    a = sa.load_assessment(path)
    assert len(a.characteristics) == 7 and a.pairs == (("Regional", "Statewide or too local"),)
    assert sa.score_assessment({"c1-a"}, a)["score"] == pytest.approx(1 / 14)


def test_six_characteristics_are_rejected(tmp_path):
    path = tmp_path / "six.toml"
    path.write_text(file_text(SEVEN_OK[:6]))
    with pytest.raises(ValueError, match="seven"):
        sa.load_assessment(path)


def test_eight_characteristics_are_rejected(tmp_path):
    path = tmp_path / "eight.toml"
    path.write_text(file_text(SEVEN_OK + [("c8", ["c8-a"])]))
    with pytest.raises(ValueError):
        sa.load_assessment(path)


def test_duplicate_item_ids_are_rejected(tmp_path):
    chars = [*SEVEN_OK[:6], ("c7", ["c7-a", "c1-a"])]
    path = tmp_path / "dup.toml"
    path.write_text(file_text(chars))
    with pytest.raises(ValueError, match="c1-a"):
        sa.load_assessment(path)


def test_characteristic_without_items_is_rejected(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text(file_text([*SEVEN_OK[:6], ("c7", [])]))
    with pytest.raises(ValueError, match="c7"):
        sa.load_assessment(path)


def test_duplicate_characteristic_ids_are_rejected(tmp_path):
    chars = [*SEVEN_OK[:6], ("c1", ["c7-a", "c7-b"])]
    path = tmp_path / "dupchar.toml"
    path.write_text(file_text(chars))
    with pytest.raises(ValueError, match="c1"):
        sa.load_assessment(path)
