"""CSV exports: formula neutralising, Excel-friendly bytes, the roster template."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import regions, seats
from dashboard.maps import data as map_data
from dashboard.report.exports import (
    ROSTER_COLUMNS,
    neutralise,
    roster_template,
    safe_frame,
    to_csv_bytes,
)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\rcmd",
        "  =1+1",
    ],
)
def test_formula_strings_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Central", "North-East", "a=b", "", "'=already quoted"])
def test_plain_strings_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-3, -2.5, np.int64(-7), np.float64(-0.25), 0, None])
def test_numbers_and_none_unchanged(value):
    assert neutralise(value) is value


def test_nan_unchanged():
    assert math.isnan(neutralise(float("nan")))


def test_safe_frame_neutralises_text_and_column_names_only():
    df = pd.DataFrame(
        {
            "=cmd": ["=1+1", "Central"],
            "change": [-1.5, 2.0],
            "count": [-3, 4],
            "kind": pd.Categorical(["@x", "y"]),
            "mixed": [-5, "-5"],
        }
    )
    out = safe_frame(df)
    assert list(out.columns) == ["'=cmd", "change", "count", "kind", "mixed"]
    assert out["'=cmd"].tolist() == ["'=1+1", "Central"]
    assert out["change"].tolist() == [-1.5, 2.0] and out["count"].tolist() == [-3, 4]
    assert out["kind"].tolist() == ["'@x", "y"]
    assert out["mixed"].tolist() == [-5, "'-5"]
    # the input is left as it was
    assert df.columns[0] == "=cmd" and df["=cmd"].iloc[0] == "=1+1"


def test_to_csv_bytes_has_bom_and_parses_back():
    # health care (NAICS 62) one-year change 2016, published, rounded as the exports round it: Bayamón Municipio, PR
    # -2.67%; Doña Ana County, NM +4.99%; between them a name typed as a formula and a region without a change
    bayamon, dona_ana = (regions.resolve_region("county", f) for f in ("72021", "35013"))
    change = [round(float(map_data.industry_table((r,), "62", 2016)["growth"].iloc[0]), 4) for r in (bayamon, dona_ana)]
    assert change == [-0.0267, 0.0499]
    df = pd.DataFrame(
        {"region": [bayamon.name, '=HYPERLINK("http://x","y")', None], "one_year_change": [change[0], None, change[1]]}
    )
    data = to_csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n,0.0499" in data.replace(b"\r\n", b"\n")  # missing values are empty cells
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["region", "one_year_change"]
    assert back["region"].iloc[:2].tolist() == ["Bayamón Municipio, PR", '\'=HYPERLINK("http://x","y")']
    assert back["region"].isna().tolist() == [False, False, True]
    assert back["one_year_change"].iloc[[0, 2]].tolist() == change and math.isnan(back["one_year_change"].iloc[1])


def _seat(seat_id, level, **extra):
    return {
        "id": seat_id,
        "name": f"{seat_id} seat",
        "category": "community",
        "level": level,
        "source": "Primer",
        "evidence": f"{seat_id} evidence.",
        **extra,
    }


def test_roster_template_filters_and_marks_filled():
    listed = [_seat("a", "core"), _seat("b", "not indicated"), _seat("c", "recommended"), _seat("d", "not assessed")]
    out = roster_template(listed, filled={"c"})
    assert list(out.columns) == ROSTER_COLUMNS
    assert out["seat"].tolist() == ["a seat", "c seat"]
    assert out["filled"].tolist() == ["no", "yes"]
    assert out["why"].tolist() == ["a evidence.", "c evidence."]
    assert (out[["organisation", "contact name", "email", "notes"]] == "").all().all()


def test_roster_template_with_no_seats_keeps_its_columns():
    out = roster_template([_seat("b", "not indicated")])
    assert out.empty and list(out.columns) == ROSTER_COLUMNS


def test_roster_template_on_real_seats_for_growth_region_2():
    evaluated = seats.evaluate_seats(regions.resolve_region("in-egr", "2"))
    kept = [s for s in evaluated if s["level"] not in ("not indicated", "not assessed")]
    omitted = [s for s in evaluated if s["level"] in ("not indicated", "not assessed")]
    assert kept and omitted  # the region has both kinds, so the filter is exercised
    out = roster_template(evaluated, filled={"convener"})
    assert out["seat"].tolist() == [s["name"] for s in kept]
    assert out.loc[out["filled"] == "yes", "seat"].tolist() == [s["name"] for s in kept if s["id"] == "convener"]
    assert out["why"].tolist() == [s["evidence"] for s in kept]
    assert out["source"].tolist() == [s["source"] for s in kept]
    assert set(out["level"]) <= {"core", "strongly recommended", "recommended"}
    back = pd.read_csv(io.BytesIO(to_csv_bytes(out)), encoding="utf-8-sig", keep_default_na=False)
    assert back["seat"].tolist() == out["seat"].tolist()
