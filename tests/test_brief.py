"""The printable one-page brief (``dashboard.report.brief``) and ``python -m dashboard brief``."""

from __future__ import annotations

import contextlib
import html
import io
import re

import pytest

from dashboard.analysis import formatting, regions
from dashboard.cli import main
from dashboard.report import brief
from dashboard.report.profile import region_profile

EGR_COUNT = 11  # Indiana has eleven economic growth regions
SAFE_NAME = re.compile(r"[a-z0-9-]+\.html")


def rows(doc: str) -> list[list[str]]:
    """Every table row of ``doc`` as its cells' text (tags inside cells dropped, entities kept)."""
    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", doc, flags=re.DOTALL):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.DOTALL)
        out.append([re.sub(r"<[^>]+>", " ", c).strip() for c in cells])
    return out


def row_starting(doc: str, label: str) -> list[str]:
    """The table row whose first cell starts with ``label``."""
    found = [r for r in rows(doc) if r and r[0].startswith(label)]
    assert found, f"no row starting with {label!r}"
    return found[0]


def assert_self_contained(doc: str) -> None:
    """One offline document: no scripts, no event handlers, nothing fetched from elsewhere."""
    low = doc.lower()
    assert "<script" not in low and "<link" not in low and "<iframe" not in low
    assert "@import" not in low and "url(" not in low
    assert not re.search(r"<[^>]+\s(src|on[a-z]+)\s*=", low)  # attributes inside real tags only
    assert not re.search(r"""href\s*=\s*["']?\s*(https?:|//|javascript:|data:)""", low)


@pytest.fixture(scope="module")
def egr2():
    return regions.resolve_region("in-egr", "2")


@pytest.fixture(scope="module")
def egr2_profile(egr2):
    return region_profile(egr2)


@pytest.fixture(scope="module")
def egr2_comparisons(egr2):
    return brief.brief_comparisons(egr2)


@pytest.fixture(scope="module")
def egr2_brief(egr2_profile, egr2_comparisons):
    return brief.brief_html(egr2_profile, egr2_comparisons)


# ---- the content of a real brief ---------------------------------------------------------


def test_brief_is_one_titled_self_contained_document(egr2_brief):
    assert egr2_brief.startswith("<!DOCTYPE html>")
    assert egr2_brief.count("<html") == 1 and egr2_brief.rstrip().endswith("</html>")
    assert "<title>Indiana Economic Growth Region 2: sector partnership brief</title>" in egr2_brief
    assert_self_contained(egr2_brief)


def test_brief_is_laid_out_for_one_printed_page(egr2_brief):
    assert "@page { size: auto; margin: 12mm }" in egr2_brief
    assert "@media print" in egr2_brief
    assert "break-inside: avoid" in egr2_brief


def test_title_names_region_scheme_counties_and_population(egr2_brief, egr2_profile):
    header = re.search(r"<header>(.*?)</header>", egr2_brief, flags=re.DOTALL).group(1)
    assert "<h1>Indiana Economic Growth Region 2</h1>" in header
    assert "Indiana economic growth region" in header
    assert f"{len(egr2_profile.region.counties)} counties" in header
    assert f"population {egr2_profile.workforce['population']:,}" in header


def test_top_candidate_sector_with_class_score_and_range(egr2_brief, egr2_profile):
    top = egr2_profile.candidate_sectors[0]
    row = row_starting(egr2_brief, "1")
    assert row[1] == html.escape(top["name"])
    # the class, "likely" where the estimate rather than the published figures decides it
    assert row[2] == top["verdict"] and top["class"] in top["verdict"]
    assert row[3] == f"{top['score']:.1f}"
    # suppressed cells in this region: the LQ and jobs are ranges, never a single made-up number, with the
    # labelled estimate inside them
    assert top["lq"] is None and top["employment"] is None
    assert (
        row[4]
        == f"range {formatting.ratio(top['lq_low'])}–{formatting.ratio(top['lq_high'])}, est. {formatting.ratio(top['lq_estimate'])}"
    )
    assert row[5] == f"{top['employment_low']:,}–{top['employment_high']:,}, est. {top['employment_estimate']:,}"
    assert row[6] == str(top["suppressed_counties"])
    # pay and growth: the disclosed cells' figures are not the region's; the range and its estimate
    assert top["avg_annual_pay"] is None and top["pay_estimate"] is not None
    pay_range = (
        f"${top['pay_low']:,}–${top['pay_high']:,}" if top["pay_high"] is not None else f"at least ${top['pay_low']:,}"
    )
    assert row[8] == f"{pay_range}, est. ${top['pay_estimate']:,}"
    assert top["growth"] is None
    assert row[9] == (
        f"{formatting.change(top['growth_low'])}–{formatting.change(top['growth_high'])}, "
        f"est. {formatting.change(top['growth_estimate'])}"
    )
    shown = [r[1] for r in rows(egr2_brief) if r and r[0].isdigit()]
    assert shown == [html.escape(s["name"]) for s in egr2_profile.candidate_sectors[: brief.TOP_SECTORS]]


def test_workforce_against_state_and_us(egr2_brief, egr2_profile, egr2_comparisons):
    share = egr2_profile.workforce["low_skill_share"]
    row = row_starting(egr2_brief, "Low skill")
    assert row[1] == f"{100 * share:.1f}%"
    assert row[2] == f"{100 * egr2_comparisons['state']['low_skill_share']:.1f}%"
    assert row[3] == f"{100 * egr2_comparisons['us']['low_skill_share']:.1f}%"
    assert egr2_comparisons["state_label"] == "Indiana"
    assert row_starting(egr2_brief, "Indicator")[2:] == ["Indiana", "United States"]
    income = row_starting(egr2_brief, "Median household income")
    assert "approximation" in income[0]  # the regional median is an approximation and says so
    assert income[1] == f"${egr2_profile.workforce['median_household_income']:,}"


def test_every_core_seat_with_evidence_and_numbered_sources(egr2_brief, egr2_profile):
    core = [s for s in egr2_profile.seats if s["level"] == "core"]
    assert len(core) >= 6
    for seat in core:
        assert html.escape(seat["name"]) in egr2_brief
        assert html.escape(seat["evidence"]) in egr2_brief
        for title in brief.split_sources(seat["source"]):
            assert html.escape(title) in egr2_brief  # listed once in the footer
    sector = next(s["name"] for s in egr2_profile.candidate_sectors if s["id"] == egr2_profile.seats_sector)
    assert f"Seats at the table for {html.escape(sector)}" in egr2_brief


def test_seats_grouped_by_level_and_the_rest_listed(egr2_brief, egr2_profile):
    order = [
        egr2_brief.index(f">{level.capitalize()} (")
        for level in brief.INDICATED_LEVELS
        if any(s["level"] == level for s in egr2_profile.seats)
    ]
    assert order == sorted(order)
    not_indicated = [s["name"] for s in egr2_profile.seats if s["level"] == "not indicated"]
    assert not_indicated
    listed = re.search(r"<strong>Not indicated:</strong> (.*?)</p>", egr2_brief).group(1)
    assert listed == html.escape("; ".join(not_indicated)) + "."


def test_scope_basis_vintages_and_suppression_note(egr2_brief, egr2_profile):
    assert html.escape(egr2_profile.scope["verdict"]) in egr2_brief
    assert html.escape(egr2_profile.industry_basis) in egr2_brief
    footer = re.search(r"<footer>(.*?)</footer>", egr2_brief, flags=re.DOTALL).group(1)
    for cite in egr2_profile.vintages.values():
        assert html.escape(cite) in footer
    assert "shown as ranges, never as zero" in footer


def test_sections_in_order(egr2_brief):
    marks = [
        "<header>",
        "Candidate sectors",
        "<h2>Workforce</h2>",
        "Seats at the table",
        "<h2>Scope checks</h2>",
        "<footer>",
    ]
    pos = [egr2_brief.index(m) for m in marks]
    # workforce and scope sit side by side above the seats; everything else runs top to bottom
    assert pos[0] < pos[1] < pos[2] < pos[4] < pos[3] < pos[5]


def test_without_comparisons_the_region_stands_alone(egr2_profile):
    doc = brief.brief_html(egr2_profile)
    assert row_starting(doc, "Indicator") == ["Indicator", "Region"]


# ---- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", '=HYPERLINK("http://evil.example","click")', '"><img src=x onerror=alert(1)>']
)
def test_user_region_names_are_escaped(name):
    region = regions.custom_region(["18039", "18141"], name=name)
    doc = brief.brief_html(region_profile(region), brief.brief_comparisons(region))
    assert_self_contained(doc)
    assert name not in doc
    assert "<img" not in doc
    escaped = html.escape(name, quote=True)
    assert f"<h1>{escaped}</h1>" in doc
    assert f"<title>{escaped}: sector partnership brief</title>" in doc
    assert doc.count(escaped) > 3  # also inside the seat evidence that names the region


def test_index_escapes_names_and_keeps_links_relative():
    entries = [
        ("custom-1.html", "<script>alert(1)</script>", "Top sector: <b>x</b>"),
        ("javascript:alert(1)", '=HYPERLINK("x")', ""),
    ]
    doc = brief.index_html(entries, "<i>title</i>")
    assert_self_contained(doc)
    assert "<script>" not in doc and "<b>" not in doc and "<i>" not in doc
    assert "<title>&lt;i&gt;title&lt;/i&gt;</title>" in doc
    assert '<a href="custom-1.html">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in doc
    assert 'href="javascript%3Aalert%281%29"' in doc


# ---- missing data print as n/a ---------------------------------------------------------------


def test_missing_workforce_prints_na_not_zero():
    # the eight old Connecticut counties have no workforce rows (the sources moved to planning regions)
    region = regions.resolve_region("county", "09001")
    profile = region_profile(region)
    assert all(v is None for v in profile.workforce.values())
    doc = brief.brief_html(profile, brief.brief_comparisons(region))
    for _, label, _ in brief.WORKFORCE_ROWS:
        row = row_starting(doc, label.split(":")[0])
        assert row[1] == "n/a", row
    assert "population n/a" in doc
    assert row_starting(doc, "1")[1] == html.escape(profile.candidate_sectors[0]["name"])  # industry data still shown


def test_region_without_industry_data_says_so():
    # the Connecticut planning regions have no 2016 QCEW rows
    region = regions.resolve_region("county", "09110")
    profile = region_profile(region)
    assert profile.candidate_sectors == [] and profile.seats_sector is None
    doc = brief.brief_html(profile, brief.brief_comparisons(region))
    assert "No candidate sectors can be ranked: " + html.escape(profile.industry_basis) in doc
    assert "Seats at the table (no sector assessed)" in doc
    assessed = [s for s in profile.seats if s["level"] == "not assessed"]
    assert assessed
    listed = re.search(r"<strong>Not assessed:</strong> (.*?)</p>", doc).group(1)
    for seat in assessed:
        assert html.escape(f"{seat['name']} ({seat['reason']})") in listed
    assert row_starting(doc, "Low skill")[1] == f"{100 * profile.workforce['low_skill_share']:.1f}%"
    assert "No ranked sectors" in brief.brief_summary(profile)


def test_sector_cells_without_figures_print_na():
    empty = {
        "lq": None,
        "lq_low": None,
        "lq_high": None,
        "employment": None,
        "employment_low": None,
        "employment_high": None,
    }
    assert brief.lq_text(empty) == "n/a"
    assert brief.employment_text(empty) == "n/a"
    assert brief.pay_text(empty) == "n/a" and brief.growth_text(empty) == "n/a"
    assert brief.lq_text({**empty, "lq": 0.0}) == "0.00"  # a real zero stays a zero
    assert brief.fmt_share(None) == "n/a" and brief.fmt_money(float("nan")) == "n/a"


# ---- names, states and the command line --------------------------------------------------------


def test_file_names_are_safe_and_distinct():
    assert brief.file_name("in-egr", "2") == "in-egr-2.html"
    assert brief.file_name("custom", "18039,18141") == "custom-18039-18141.html"
    assert SAFE_NAME.fullmatch(brief.file_name("cz", "../../etc/passwd"))
    long_a = brief.file_name("custom", ",".join(str(18000 + i) for i in range(60)))
    long_b = brief.file_name("custom", ",".join(str(18001 + i) for i in range(60)))
    assert SAFE_NAME.fullmatch(long_a) and len(long_a) < 100 and long_a != long_b


@pytest.mark.parametrize("given", ["18", "IN", "in", " 18 ", "Indiana"])
def test_state_accepts_fips_postal_code_or_name(given):
    assert brief.state_fips(given) == "18"


@pytest.mark.parametrize("given", ["ZZ", "99", "", "GU"])
def test_unknown_state_raises(given):
    with pytest.raises(regions.UnknownRegionError, match="unknown state"):
        brief.state_fips(given)


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs") / "in-egr"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["brief", "--scheme", "in-egr", "--state", "IN", "--out", str(out)])
    return code, stdout.getvalue(), out


def test_cli_writes_a_brief_per_region_and_an_index(cli_run):
    code, stdout, out = cli_run
    assert code == 0
    assert stdout.strip() == str(out / "index.html")
    briefs = sorted(p.name for p in out.glob("*.html") if p.name != "index.html")
    assert len(briefs) == EGR_COUNT
    assert all(SAFE_NAME.fullmatch(n) for n in briefs)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert_self_contained(index)
    assert sorted(re.findall(r'href="([^"]+)"', index)) == briefs
    for name in briefs:
        doc = (out / name).read_text(encoding="utf-8")
        assert_self_contained(doc)
        region_name = re.search(r"<h1>(.*?)</h1>", doc).group(1)
        assert f">{region_name}</a>" in index


def test_cli_brief_matches_the_profile(cli_run, egr2_profile, egr2_comparisons):
    """The command line's brief is the profile's, with the partnerships the registry records for the region
    (the test run's registry is empty: the brief says none is recorded)."""
    _, _, out = cli_run
    written = (out / "in-egr-2.html").read_text(encoding="utf-8")
    assert written == brief.brief_html(egr2_profile, egr2_comparisons, recorded=[])
    assert "<p>No partnership is recorded for this region in this app's registry yet.</p>" in written


def test_cli_accepts_a_fips_state(tmp_path, capsys):
    assert main(["brief", "--scheme", "in-egr", "--state", "18", "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("in-egr-*.html"))) == EGR_COUNT
    assert capsys.readouterr().out.strip() == str(tmp_path / "index.html")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scheme", "in-egr", "--state", "ZZ"], "unknown state 'ZZ'"),
        (["--scheme", "nope", "--state", "IN"], "unknown scheme 'nope'"),
        (["--scheme", "in-egr", "--state", "OH"], "no counties of state '39'"),
    ],
)
def test_cli_unknown_scheme_or_state_exits_2(tmp_path, capsys, args, message):
    out = tmp_path / "briefs"
    assert main(["brief", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err
    assert not out.exists()  # nothing written, not even the folder


def test_cli_unwritable_output_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["brief", "--scheme", "state", "--state", "IN", "--out", str(blocker / "briefs")]) == 1
    assert capsys.readouterr().err.startswith(f"error: cannot write briefs to {blocker / 'briefs'}")
