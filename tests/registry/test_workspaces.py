"""Saved workspaces through AppTest: the local user saves the view with a custom region and seat ticks under a
name; a new session opened by the workspace's link shows the same page, region and ticks; names are checked;
a link naming no workspace says so; a server others can reach without sign-in opens workspaces but saves none."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.registry import database
from dashboard.registry.models import Workspace
from dashboard.ui.text import WORD_JOINER

from .test_registry_pages import APP, clean, on_loopback  # noqa: F401 - on_loopback is a fixture

# two Kentucky counties as a custom region, on the partnership table with two seats ticked
CUSTOM_VIEW = {
    "page": "partnership-table",
    "state": "KY",
    "scheme": "custom",
    "counties": "21095,21133",
    "name": "Harlan and Letcher",
    "industry": "healthcare",
    "filled": "adult-literacy,workforce-board",
}


def open_app(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def save_as(at: AppTest, name: str) -> AppTest:
    at.text_input(key="ws_name").input(name)
    return at.button(key="FormSubmitter:ws_save-Save this view").click().run()


def shown(source: str) -> str:
    """What a reader sees of an escaped message: backslash escapes read, word joiners dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(WORD_JOINER, "")


def saved(engine) -> list[Workspace]:
    with database.session(engine) as s:
        return list(s.scalars(select(Workspace)))


def test_save_then_reopen_by_the_workspace_link(registry, on_loopback):  # noqa: F811
    at = clean(open_app(CUSTOM_VIEW))
    ticked = sorted(at.query_params["filled"].split(","))
    assert ticked == ["adult-literacy", "workforce-board"]
    at = clean(save_as(at, "  Harlan  health  table "))
    [record] = saved(registry)
    assert record.owner == "local" and record.name == "Harlan health table"
    assert record.query["page"] == "partnership-table" and record.query["industry"] == "healthcare"
    assert record.regions == [{"name": "Harlan and Letcher", "counties": ["21095", "21133"]}]
    assert any(f"?workspace={record.id}" in c.value for c in at.sidebar.code)
    assert any(record.name in m.value for m in at.sidebar.markdown)  # listed under "Yours"

    # a new session opened by the link alone: the page, the custom region and the ticks come back
    again = clean(open_app({"workspace": record.id}))
    assert again.title[0].value.startswith("Partnership table")
    assert again.query_params["page"] == "partnership-table"
    assert again.query_params["scheme"] == "custom" and again.query_params["industry"] == "healthcare"
    assert sorted(again.query_params["filled"].split(",")) == ticked
    assert "workspace" not in again.query_params  # the view's own link from here on
    region = again.selectbox(key="w_region")
    assert region.value == "21095,21133" and "Harlan and Letcher" in region.options
    assert any("Harlan health table" in c.value for c in again.sidebar.caption)


@pytest.mark.parametrize(
    "name, problem",
    [("   ", "give the workspace a name"), ("bad\u202ename", "cannot hold control characters")],
    ids=["blank", "control"],
)
def test_a_bad_name_saves_nothing_and_says_why(registry, on_loopback, name, problem):  # noqa: F811
    at = open_app(CUSTOM_VIEW)
    at = save_as(at, name)
    assert not at.exception
    messages = [shown(e.value) for e in at.error]
    assert [m for m in messages if m.startswith("Not saved:") and problem in m], messages
    assert saved(registry) == []


def test_a_link_naming_no_workspace_says_so_and_shows_the_rest(registry, on_loopback):  # noqa: F811
    at = open_app({"workspace": "no-such-token", "state": "KY", "scheme": "county", "region": "21095"})
    assert not at.exception
    assert any("cannot be opened" in w.value for w in at.warning)
    assert at.query_params["region"] == "21095" and "workspace" not in at.query_params


def test_a_reachable_server_without_sign_in_opens_workspaces_but_saves_none(registry, monkeypatch):
    with database.session(registry) as s:
        from dashboard.registry import workspaces

        token = workspaces.save(s, "someone@example.org", "Shared view", CUSTOM_VIEW, []).id
    monkeypatch.setenv("SECTOR_ATLAS_SHARED", "1")  # as `serve --replicas` starts each replica
    at = clean(open_app({"workspace": token}))
    assert at.query_params["page"] == "partnership-table"
    assert not [t for t in at.text_input if t.key == "ws_name"]
    assert any("share link above keeps" in c.value for c in at.sidebar.caption)
