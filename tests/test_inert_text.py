"""User text renders as inert text on every surface: no markup, math, links, images, icons or replacements.

Streamlit renders Markdown in st.markdown, captions, titles, alerts, widget and
expander labels and ``help=`` tooltips. Besides Markdown and HTML syntax (stopped
by backslash escapes), its renderer converts some patterns in the text *after*
escapes are read. The patterns below are those of Streamlit 1.67's frontend
(``static/js/StreamlitMarkdown.*.js``): checking the Markdown string a page sends
against them is what AppTest can see. tests/browser/test_inert_text_browser.py
checks the same names in a real browser.

Counties used (FIPS): 18039 Elkhart County, IN; 18141 St. Joseph County, IN.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.data import paths
from dashboard.data.names import clean_name
from dashboard.ui.text import WORD_JOINER, md

APP = str(paths.ROOT / "app.py")
PAGES = [
    "pages/industry_map.py",
    "pages/workforce_map.py",
    "pages/region_profile.py",
    "pages/compare_regions.py",
    "pages/partnership_table.py",
    "pages/custom_regions.py",
    "pages/data_and_methods.py",
]

#: What Streamlit's Markdown renderer converts in text after escapes are read (GFM autolink literals,
#: Streamlit's icon, logo and emoji shortcodes, its typographic replacements).
CONVERSIONS = {
    "URL autolink": re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE),
    "e-mail autolink": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    "material icon": re.compile(r":material/\w+:"),
    "Streamlit logo": re.compile(r":streamlit:"),
    "emoji shortcode": re.compile(r":[\w+-][\w+-]*:"),
    "typographic replacement": re.compile(r"(?:^|\s)(?:<->|->|<-|--|>=|<=|~=)(?:\s|$)"),
}
#: Characters that start Markdown, HTML, LaTeX or Streamlit syntax: each must reach the renderer escaped.
SYNTAX = set("\\`*_{}[]()#+-.!|~$<>&:")

HOSTILE = {
    "autolinks": "Sign in at https://example.com or www.example.org, bob@example.com",
    "markup": "![x](http://127.0.0.1:9/x.png) [t](http://u.example) $x^2$ <b>b</b> &amp;",
    "shortcodes": ":material/home: :streamlit: :smile: a -> b -- c `code` **bold** # h",
    "invisible": "\u202eEvil\u200b\u2066 name\u2069 :red[x] mailto:a@b.co",
}


def after_escapes(source: str) -> str:
    """The text Markdown sees once backslash escapes are read (CommonMark: a backslash before ASCII punctuation)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


def shown(source: str) -> str:
    """What a reader sees: the text after escapes, without the invisible word joiners."""
    return after_escapes(source).replace(WORD_JOINER, "")


def unescaped_syntax(source: str) -> list[str]:
    """Syntax characters of ``source`` that are not escaped by a backslash."""
    out, escaped = [], False
    for ch in source:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in SYNTAX:
            out.append(ch)
    return out


def conversions(source: str) -> list[str]:
    text = after_escapes(source)
    return [what for what, pattern in CONVERSIONS.items() if pattern.search(text)]


# --- the escaping helper --------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_md_shows_hostile_text_as_typed_and_converts_nothing(text):
    out = md(text)
    assert shown(out) == text
    assert unescaped_syntax(out) == []
    assert conversions(out) == []


def test_the_checks_catch_what_plain_escaping_let_through():
    """Backslash escapes alone (md before the word joiners) leave every conversion in place."""
    plain = re.sub(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])", r"\\\1", HOSTILE["autolinks"] + " " + HOSTILE["shortcodes"])
    assert set(conversions(plain)) == set(CONVERSIONS)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=100))
def test_any_name_renders_as_typed(raw):
    name = clean_name(raw)
    out = md(name)
    assert shown(out) == name
    assert unescaped_syntax(out) == []
    assert conversions(out) == []


# --- every page, with a hostile custom-region name from a link and from an upload ---------------


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """Every string the page sends to Streamlit's Markdown renderer, as ``(where, string)``."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        out += [(kind, e.value) for e in getattr(at, kind)]
    for kind in (
        "checkbox",
        "selectbox",
        "multiselect",
        "text_input",
        "number_input",
        "slider",
        "radio",
        "toggle",
        "button",
    ):
        for e in getattr(at, kind):
            out.append((f"{kind} label", e.label))
            if getattr(e, "help", None):
                out.append((f"{kind} help", e.help))
    out += [("expander label", e.label) for e in at.expander]
    for link in at.get("page_link"):
        out.append(("page_link label", link.proto.label))
    return out


def assert_inert(at: AppTest, name: str, page: str) -> int:
    """Every string showing ``name`` shows it as typed, escaped and unconverted; returns how many show it."""
    assert not at.exception, [e.message for e in at.exception]
    showing = [(where, s) for where, s in markdown_strings(at) if name in shown(s)]
    for where, source in showing:
        assert conversions(source) == [], (page, where, source)
        assert not set(unescaped_syntax(source)) & set("[]()!$<>&`:@"), (page, where, source)
    # nowhere is the name sent unescaped
    assert not [s for _, s in markdown_strings(at) if name in s and md(name) != name], page
    return len(showing)


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_name_from_a_link_is_inert_on_every_page(raw):
    name = clean_name(raw)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {
        "state": "IN",
        "scheme": "custom",
        "counties": "18039,18141",
        "name": raw,
        "industry": "advanced-manufacturing",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.warning, [w.value for w in at.warning]
    seen = {}
    for page in PAGES:
        at.switch_page(page).run()
        seen[page] = assert_inert(at, name, page)
    assert seen["pages/region_profile.py"] >= 2  # the title and the seats' evidence
    assert seen["pages/partnership_table.py"] >= 2  # the line under the title and the seats' help tooltips


def test_partnership_table_help_tooltips_are_escaped():
    """The issue's case: seat evidence naming the region reached ``help=`` unescaped."""
    raw = HOSTILE["markup"]
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"state": "IN", "scheme": "custom", "counties": "18039,18141", "name": raw}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/partnership_table.py").run()
    helps = [c.help for c in at.checkbox if c.help and raw in shown(c.help)]
    assert helps, "no seat's evidence names the region"
    for text in helps:
        assert md(raw) in text and conversions(text) == [] and "![x]" not in text


def test_hostile_names_from_an_upload_are_inert():
    rows = "".join(
        f'{fips},"{raw.replace(chr(34), chr(34) * 2)}"\n'
        for fips, raw in zip(("18039", "18141", "18097", "18057"), HOSTILE.values())
    )
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/custom_regions.py").run()
    at.file_uploader(key="region_upload").set_value(("areas.csv", f"fips,region\n{rows}".encode(), "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    names = [clean_name(raw) for raw in HOSTILE.values()]
    assert list(at.dataframe[0].value["Region"]) == names
    for region_id in ("18039", "18141", "18097", "18057"):
        at.selectbox(key="w_region").set_value(region_id).run()
        name = names[["18039", "18141", "18097", "18057"].index(region_id)]
        for page in ("pages/region_profile.py", "pages/partnership_table.py"):
            at.switch_page(page).run()
            assert assert_inert(at, name, page) >= 2


def test_link_notices_and_upload_errors_are_inert():
    bad = "https://evil.example/x bob@example.com :material/home:"
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["industry"] = bad
    at.run()
    notices = [w.value for w in at.warning]
    assert any("evil" in shown(n) for n in notices)
    assert all(conversions(n) == [] for n in notices)
    at.switch_page("pages/custom_regions.py").run()
    at.file_uploader(key="region_upload").set_value(("www.example.com bob@example.com.csv", b"", "text/csv")).run()
    assert at.error and "www.example.com" in shown(at.error[0].value)
    assert conversions(at.error[0].value) == []
