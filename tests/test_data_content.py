"""A processed table with the right columns but damaged figures (a row dropped, a row listed twice) stops
with one message naming the file and the fault: in the loader, on a page, and on the command line.

Every damaged table is the committed one with one of its own rows removed or repeated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from publisher_fixture import linked_data
from streamlit.testing.v1 import AppTest

from dashboard.data import caches, paths, store, table_rules
from dashboard.data.build import write_parquet
from dashboard.ui.text import md

REAL = paths.ROOT / "data"
APP = str(paths.ROOT / "app.py")


def _without_us_total(table: pd.DataFrame) -> pd.DataFrame:
    return table[~((table["own_code"] == 0) & (table["naics"] == "10"))]


def _elkhart_manufacturing_twice(table: pd.DataFrame) -> pd.DataFrame:
    row = table[(table["area_fips"] == "18039") & (table["own_code"] == 5) & (table["naics"] == "31-33")]
    return pd.concat([table, row], ignore_index=True)


def _marion_without_fips(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(fips=table["fips"].where(table["fips"] != "18097"))


#: table, how it is damaged, what the message says
CASES = [
    ("national", _without_us_total, "no US total covered employment (all ownerships, NAICS 10) for 2016"),
    (
        "industry",
        _elkhart_manufacturing_twice,
        "a row is listed twice (year 2016, area_fips 18039, own_code 5, naics 31-33)",
    ),
    ("workforce", _marion_without_fips, "a row has no fips"),
]


def damaged_copy(tmp_path: Path, name: str, damage) -> Path:
    """A data folder of links to the committed files, with table ``name`` rewritten by ``damage``."""
    folder = linked_data(tmp_path / "data", leave_out=store.TABLES[name])
    write_parquet(damage(pd.read_parquet(REAL / store.TABLES[name])), folder / store.TABLES[name])
    return folder


@pytest.fixture
def use_data(monkeypatch):
    def use(folder: Path) -> Path:
        monkeypatch.setattr(paths, "DATA_DIR", folder)
        caches.clear()
        st.cache_resource.clear()
        return folder

    yield use
    monkeypatch.undo()
    caches.clear()
    st.cache_resource.clear()


def test_the_committed_tables_have_no_fault():
    for name in store.TABLES:
        assert table_rules.problem(name, pd.read_parquet(REAL / store.TABLES[name])) is None, name


@pytest.mark.parametrize("name,damage,fault", CASES, ids=[c[0] for c in CASES])
def test_the_loader_names_the_file_and_the_fault(tmp_path, use_data, name, damage, fault):
    use_data(damaged_copy(tmp_path, name, damage))
    store.check_data()  # the columns are all there: the start-up check passes
    with pytest.raises(store.DataFileError) as err:
        store.load_table(name)
    assert str(err.value) == (
        f"Data file {store.TABLES[name]} cannot be used: not the figures the build writes "
        f"({fault}). Rebuild it with: python -m dashboard build"
    )


@pytest.mark.parametrize("name,damage,fault", CASES, ids=[c[0] for c in CASES])
def test_a_page_shows_the_one_message(tmp_path, use_data, name, damage, fault):
    use_data(damaged_copy(tmp_path, name, damage))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"state": "IN", "scheme": "county", "region": "18039", "page": "region-profile"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    assert at.error[0].value == md(
        f"Data file {store.TABLES[name]} cannot be used: not the figures the build "
        f"writes ({fault}). Rebuild it with: python -m dashboard build"
    )
    assert not at.dataframe  # the message stands in for the page


@pytest.mark.parametrize("name,damage,fault", CASES[:2], ids=[c[0] for c in CASES[:2]])
def test_the_command_line_prints_one_line_and_exits_1(tmp_path, name, damage, fault):
    folder = damaged_copy(tmp_path, name, damage)
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(folder)}
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "profile", "--scheme", "county", "--region", "18039"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fault in lines[0], proc.stderr


def test_an_update_refuses_a_table_the_app_would_refuse_and_keeps_the_data(tmp_path):
    from publisher_fixture import copy_data, tree_digest

    from dashboard.data.update.http import UpdateError
    from dashboard.data.update.install import install

    data = copy_data(tmp_path / "data")
    before = tree_digest(data)
    industry = _elkhart_manufacturing_twice(pd.read_parquet(data / "industry.parquet"))
    with pytest.raises(UpdateError, match=r"the new industry table is not sound \(a row is listed twice"):
        install(data, {"industry": industry}, store.manifest(data), "industry", {"year": 2016})
    assert tree_digest(data) == before
