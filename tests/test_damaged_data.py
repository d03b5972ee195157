"""Damaged data files: every data file x every fault gives one clear message naming the file, never a traceback.

Each test builds a data folder in ``tmp_path`` whose files link to the real
ones, except the file under test, which is missing, empty, truncated, binary
junk, of the wrong columns (or keys), or without rows. The folder is put in
place as ``SECTOR_ATLAS_DATA`` would (``paths.DATA_DIR``), with every cache
emptied, and then read through the surfaces a user meets: the app's pages
(AppTest), the command line (its ``main``, and a real process for a few), and
the loaders underneath.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import streamlit as st
from cli_in_process import run
from publisher_fixture import linked_data
from streamlit.testing.v1 import AppTest

from dashboard.analysis import seats, sectors, self_assessment
from dashboard.data import caches, paths, store
from dashboard.ui.text import md

REAL = paths.DATA_DIR
APP = str(paths.ROOT / "app.py")
TABLES = sorted(store.TABLES.values())
GEO = sorted(f"geo/{layer}.parquet" for layer in store.GEO_LAYERS)
PARQUET = TABLES + GEO
TOML = ["seat_rules.toml", "partnership_sectors.toml", "self_assessment.toml"]
FILES = ["manifest.json", *PARQUET, *TOML]
FAULTS = ["missing", "zero-byte", "truncated", "binary", "wrong-columns", "no-rows"]
PAGES = [
    "pages/industry_map.py",
    "pages/workforce_map.py",
    "pages/region_profile.py",
    "pages/compare_regions.py",
    "pages/partnership_table.py",
    "pages/custom_regions.py",
    "pages/data_and_methods.py",
]
#: What ``python -m dashboard profile`` reads: a fault in any of these stops it (the map layers and the
#: self-assessment checklist are not read by the command line).
READ_BY_PROFILE = ["manifest.json", *TABLES, "seat_rules.toml", "partnership_sectors.toml"]
JUNK = bytes(range(256)) * 40


def _damage(path: Path, original: Path, fault: str) -> None:
    data = original.read_bytes()
    if fault == "zero-byte":
        path.write_bytes(b"")
    elif fault == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif fault == "binary":
        path.write_bytes(JUNK)
    elif fault == "wrong-columns":
        if path.suffix == ".parquet":
            # a real Parquet file of another table: readable, but not these columns
            pq.write_table(pa.table({"fips": ["18039"], "value": [1.5]}), path)
        elif path.suffix == ".json":
            path.write_text(json.dumps({"tables": ["industry"], "built": "today"}))
        else:
            # valid TOML, but not the keys this file's format has
            path.write_text(
                '[[seat]]\nlabel = "A seat without an id"\n[[sector]]\ntitle = 3\n'
                '[[characteristic]]\nname = ["not", "text"]\n'
            )
    elif fault == "no-rows":
        if path.suffix == ".parquet":
            pq.write_table(pq.read_schema(original).empty_table(), path)
        elif path.suffix == ".json":
            path.write_text("[]")
        else:
            path.write_text("# nothing but a comment\n")
    elif fault != "missing":
        raise ValueError(fault)


def damaged_copy(tmp_path: Path, name: str, fault: str) -> Path:
    """A data folder of links to the real files, with ``name`` damaged by ``fault``."""
    folder = linked_data(tmp_path / "data", leave_out=name)
    _damage(folder / name, REAL / name, fault)
    return folder


def clear_caches() -> None:
    """Empty every cache of the package and of Streamlit, so the next read sees the data folder as it is."""
    caches.clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def use_data(monkeypatch):
    """Point the package at a data folder (as SECTOR_ATLAS_DATA does) for one test."""

    def use(folder: Path) -> Path:
        monkeypatch.setattr(paths, "DATA_DIR", folder)
        clear_caches()
        return folder

    yield use
    monkeypatch.undo()
    clear_caches()


def load_everything() -> None:
    """What the app reads before any page: every data file, checked (``app.check_data``)."""
    store.check_data()
    sectors.load_taxonomy()
    seats.load_rules()
    self_assessment.load_assessment()


def assert_clear_message(text: str, name: str, folder: Path) -> None:
    assert "\n" not in text.strip(), text
    assert "Traceback" not in text
    assert name in text, text
    assert "Rebuild" in text or "Restore" in text, text


CASES = [(name, fault) for name in FILES for fault in FAULTS]


@pytest.mark.parametrize("name,fault", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_every_file_and_fault_is_one_error_naming_the_file(tmp_path, use_data, name, fault):
    folder = use_data(damaged_copy(tmp_path, name, fault))
    with pytest.raises(store.DataError) as exc:
        load_everything()
    assert_clear_message(str(exc.value), name, folder)
    assert str(folder) not in str(exc.value)  # the app shows this: the file, not the server's folders
    assert exc.value.folder == folder
    if fault == "missing":
        assert isinstance(exc.value, FileNotFoundError)


#: Every fault of every file the profile reads; one fault each of the files it does not read.
CLI_CASES = [(n, f) for n, f in CASES if n in READ_BY_PROFILE or f == "binary"]


@pytest.mark.parametrize("name,fault", CLI_CASES, ids=[f"{n}-{f}" for n, f in CLI_CASES])
def test_command_line_profile_names_the_damaged_file_in_one_line(tmp_path, use_data, capsys, name, fault):
    folder = use_data(damaged_copy(tmp_path, name, fault))
    code, out, err = run(["profile", "--scheme", "in-egr", "--region", "2"], capsys)
    if name not in READ_BY_PROFILE:
        assert code == 0 and json.loads(out)["region"]["id"] == "2"  # a map layer or the checklist: not read
        return
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and err.endswith("\n"), err
    assert_clear_message(err, name, folder)
    assert f"(data folder: {folder})" in err


def test_a_damaged_file_does_not_become_a_link_notice(tmp_path, use_data):
    """A link's thresholds are checked against the rule file; a broken rule file is the data's fault, not the link's."""
    from dashboard.ui import links

    use_data(damaged_copy(tmp_path, "seat_rules.toml", "binary"))
    with pytest.raises(store.DataError, match="seat_rules.toml"):
        links.parse_query({"thresholds": "human-services.recommended:1.5"})


def test_a_file_damaged_after_its_footer_is_named_when_read(tmp_path, use_data):
    """A Parquet file whose footer is sound but whose pages are overwritten passes the quick check and is still
    named, not a traceback, when a page reads it."""
    folder = use_data(damaged_copy(tmp_path, "regions.parquet", "missing"))
    data = bytearray((REAL / "regions.parquet").read_bytes())
    data[8:4008] = JUNK[:4000]
    (folder / "regions.parquet").write_bytes(bytes(data))
    with pytest.raises(store.DataError) as exc:
        store.load_table("regions")
    assert_clear_message(str(exc.value), "regions.parquet", folder)


# --- every page ------------------------------------------------------------------------------------

#: Each page meets every fault, each on another file, so the pages between them see every file.
PAGE_CASES = [
    (page, FILES[(i * len(FAULTS) + j) % len(FILES)], fault)
    for i, page in enumerate(PAGES)
    for j, fault in enumerate(FAULTS)
]


def test_page_cases_cover_every_file():
    assert {name for _, name, _ in PAGE_CASES} == set(FILES)


@pytest.mark.parametrize(
    "page,name,fault", PAGE_CASES, ids=[f"{p.split('/')[-1][:-3]}-{n}-{f}" for p, n, f in PAGE_CASES]
)
def test_every_page_shows_the_message_instead_of_a_traceback(tmp_path, use_data, page, name, fault):
    folder = use_data(damaged_copy(tmp_path, name, fault))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"state": "IN", "scheme": "in-egr", "region": "2"})
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    shown = at.error[0].value
    assert md(name) in shown or name in shown, shown
    assert "Traceback" not in shown and str(folder) not in shown and "\n" not in shown
    assert not at.dataframe and not at.get("iframe")  # the message stands in for the page


def test_an_intact_copy_opens_every_page_cleanly(tmp_path, use_data):
    """The control: the same kind of folder, nothing damaged (as SECTOR_ATLAS_DATA=copy of data/)."""
    use_data(linked_data(tmp_path / "data"))
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception and not at.error, (page, [e.value for e in at.error])


# --- the command line as a process -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args,name,fault",
    [
        (["profile", "--scheme", "in-egr", "--region", "2"], "industry.parquet", "truncated"),
        (["regions", "--scheme", "cz"], "regions.parquet", "wrong-columns"),
        (["profile", "--counties", "18039"], "seat_rules.toml", "binary"),
        (["brief", "--scheme", "in-egr", "--state", "IN", "--out", "briefs"], "manifest.json", "truncated"),
    ],
)
def test_the_command_line_process_prints_one_line_and_exits_1(tmp_path, args, name, fault):
    folder = damaged_copy(tmp_path, name, fault)
    env = {**os.environ, "SECTOR_ATLAS_DATA": str(folder)}
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert_clear_message(lines[0], name, folder)


@pytest.mark.parametrize(
    "content",
    [
        {"files": {}, "years": {"industry": ["2016"]}, "vintages": {}},
        {"files": {}, "years": {"industry": [2016]}, "vintages": {"svi": ["2022"]}},
        {"files": [], "years": {}, "vintages": {}},
    ],
)
def test_a_manifest_of_another_layout_is_named_on_a_page(tmp_path, use_data, content):
    """Before, years as text reached int() in every citation: a traceback on every page."""
    folder = use_data(damaged_copy(tmp_path, "manifest.json", "missing"))
    (folder / "manifest.json").write_text(json.dumps(content))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and md("manifest.json") in at.error[0].value
