"""The app survives any installed state: tables whose years disagree, a year that leaves the data under a
session, a rule file edited while the app runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from publisher_fixture import copy_data

from dashboard.data import caches, paths, store
from dashboard.data.build import write_parquet

YEAR = 2016
#: A second year for these tests only: the 2016 rows relabelled, so the tables hold two years (no figure of
#: it is asserted; the tests are about which years the files hold).
STAND_IN = 2017


def add_stand_in_year(data: Path, tables=("industry", "national")) -> None:
    for name in tables:
        table = pd.read_parquet(data / f"{name}.parquet")
        more = table[table["year"] == YEAR].assign(year=STAND_IN).astype(table.dtypes.to_dict())
        write_parquet(pd.concat([table, more], ignore_index=True), data / f"{name}.parquet")


def run_cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_year_in_the_industry_table_and_not_the_national_is_the_damaged_data_message(tmp_path):
    data = copy_data(tmp_path / "data")
    add_stand_in_year(data, ("industry",))
    proc = run_cli("profile", "--scheme", "county", "--region", "18039", "--year", str(STAND_IN), data=data)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert "industry.parquet" in line
    assert f"it holds {STAND_IN}, a year national.parquet lacks" in line


def _app(params: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    import streamlit as st

    data = copy_data(tmp_path / "data")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    caches.clear()
    st.cache_resource.clear()
    yield data
    monkeypatch.undo()
    caches.clear()
    st.cache_resource.clear()


def test_a_session_whose_year_vanished_moves_to_the_newest_with_a_notice(data_folder):
    original = {n: (data_folder / f"{n}.parquet").read_bytes() for n in ("industry", "national")}
    add_stand_in_year(data_folder)
    at = _app({"state": "IN", "scheme": "county", "region": "18039", "industry": "31-33", "year": str(STAND_IN)})
    assert not at.exception and not at.error
    assert at.selectbox(key="w_year").value == STAND_IN
    for name, body in original.items():  # an update replaced the files: the stand-in year is gone
        (data_folder / f"{name}.parquet").write_bytes(body)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="w_year").value == YEAR
    assert any(f"The data year {STAND_IN} is no longer loaded" in w.value for w in at.warning)
    assert at.query_params["year"] in (str(YEAR), [str(YEAR)]) or "year" not in at.query_params


def test_an_edited_rule_file_is_a_change_of_the_data(data_folder):
    before = store.check_data(data_folder)
    rules = data_folder / "seat_rules.toml"
    rules.write_text(rules.read_text() + "\n# edited\n")
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 10**9))
    assert store.check_data(data_folder) != before


def test_the_app_reads_an_edited_rule_file_at_the_next_click(data_folder):
    at = _app({"state": "IN", "scheme": "county", "region": "18039", "industry": "31-33"})
    assert not at.exception and not at.error
    at.run()
    assert not [t for t in at.toast if "updated" in t.value]
    rules = data_folder / "self_assessment.toml"
    rules.write_text(rules.read_text() + "\n# edited\n")
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 10**9))
    at.run()
    assert [t for t in at.toast if "updated" in t.value]
