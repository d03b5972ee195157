"""The printable brief: one region on one page, as a self-contained HTML file.

``brief_html`` turns the dictionary of :func:`dashboard.report.profile.region_profile`
into a document with no scripts and no external assets, so it opens offline,
can be mailed as one file and prints on one A4 or Letter page.
``write_briefs`` writes a brief for every region of a scheme in one state, with
an index page (``python -m dashboard brief``).

Every string that comes from the data or from a user (custom region names are
typed or uploaded) is passed through :func:`html.escape` at the single point
where it enters the markup. Missing figures print as "n/a", never as zero.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from dashboard.analysis import formatting, regions, seats
from dashboard.analysis.regions import Region, UnknownRegionError
from dashboard.data import catalogue
from dashboard.data.catalogue import BRIEF_WORKFORCE, INDICATED_LEVELS, INDICATORS, SOURCE_LABELS
from dashboard.report import brief_figures, partnership_seats
from dashboard.report.partnership_seats import RecordedPartnership

if TYPE_CHECKING:
    from dashboard.report.profile import RegionProfile

#: (profile key, row label, format kind), in the order the brief shows them.
WORKFORCE_ROWS = tuple(
    (i, INDICATORS[i].short_label or INDICATORS[i].label, INDICATORS[i].format) for i in BRIEF_WORKFORCE
)

#: The indicated seats in the order the brief lists them: those the data trigger, then the core.
INDICATED_LEVELS = tuple(level for level in seats.LEVELS if level in INDICATED_LEVELS)
TOP_SECTORS = 6
#: Characters of indicated-seat text beyond which the printed brief switches to a denser type size.
#: Measured in headless Chromium on Letter paper: real regions stay below ~4,100; every seat
#: indicated with a long (65-character) region name reaches ~5,200 and would spill onto a second page.
DENSE_SEAT_CHARS = 4400
#: Characters of seat text one row of the careers table takes the room of (a line, with its padding).
CAREERS_ROW_CHARS = 90
SUPPRESSION_NOTE = (
    "Suppressed QCEW cells are shown as ranges, never as zero (low end: no jobs in them; "
    "high end: all of the county's undisclosed jobs)."
)
MISSING_NOTE = "n/a: not available, never zero."

CSS = """
@page { size: auto; margin: 12mm }
* { box-sizing: border-box }
body { font: 8pt/1.15 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111;
       max-width: 190mm; margin: 8mm auto; }
header { border-bottom: 2px solid #222; padding-bottom: 2px; margin-bottom: 3px }
h1 { font-size: 13pt; margin: 0 }
/* region names can be user-typed words of any length: let them wrap rather than widen the page */
h1, .meta, table.seats td { overflow-wrap: anywhere }
h2 { font-size: 8.5pt; margin: 3px 0 1px; border-bottom: 1px solid #999 }
p { margin: 1px 0 }
.meta { color: #333 }
.note { color: #555; font-size: 6.5pt }
table { border-collapse: collapse; width: 100%; break-inside: avoid; page-break-inside: avoid }
th, td { padding: 0 3px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top }
th { font-weight: 600; border-bottom: 1px solid #666 }
td.num, th.num { text-align: right }
td.num { white-space: nowrap }
table.sectors td:nth-child(2) { width: 27% }
table.sectors td:nth-child(3) { white-space: nowrap }
tr.level th { background: #eee; border-bottom: 1px solid #999 }
.cols { display: flex; gap: 5mm }
.cols > section { flex: 2 1 0 }
.cols > section:first-child { flex: 3 1 0 }
footer { margin-top: 3px; border-top: 1px solid #999; padding-top: 1px; font-size: 6pt; color: #333 }
@media print {
  body { font-size: 8pt; max-width: none; margin: 0 }
  h1 { font-size: 11pt }
  h2 { font-size: 8pt; break-after: avoid; page-break-after: avoid }
  tr { break-inside: avoid; page-break-inside: avoid }
  /* if a long seat list ever overflows, it continues row by row instead of leaving page one half empty */
  table.seats { break-inside: auto; page-break-inside: auto }
  a { color: inherit; text-decoration: none }
  body.dense { font-size: 7.5pt; line-height: 1.1 }
  body.dense .note, body.dense footer { font-size: 5.8pt }
}
"""

INDEX_CSS = """
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 200mm; margin: 10mm auto; color: #111 }
table { border-collapse: collapse; width: 100% }
th, td { padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top }
"""


# ---- formatting: plain text, escaped only when it enters the markup -----------
# The app's own formatters, so a figure reads the same on screen and on paper.

fmt_share, fmt_money, fmt_count, fmt_lq, fmt_change = (
    formatting.share,
    formatting.money,
    formatting.count,
    formatting.ratio,
    formatting.change,
)
FORMATS = {"share": fmt_share, "money": fmt_money, "count": fmt_count}


def fmt_score(x) -> str:
    """Sector scores (0-100) to one decimal."""
    return formatting.NA if formatting.missing(x) else f"{x:.1f}"


def _e(text) -> str:
    """The one way text enters the markup."""
    return html.escape(str(text), quote=True)


# ---- markup helpers ---------------------------------------------------------------


def _cell(value, tag: str = "td", numeric: bool = False) -> str:
    """A table cell; a ``(text, note)`` pair puts a small note under the text. Both are escaped here."""
    cls = ' class="num"' if numeric else ""
    if isinstance(value, tuple):
        text, note = value
        inner = _e(text) + (f'<br><span class="note">{_e(note)}</span>' if note else "")
    else:
        inner = _e(value)
    return f"<{tag}{cls}>{inner}</{tag}>"


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), cls: str = "") -> str:
    """A plain table; ``numeric`` holds the indices of right-aligned columns, ``cls`` a CSS class."""
    head = "".join(_cell(h, "th", i in numeric) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(_cell(v, "td", i in numeric) for i, v in enumerate(row)) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, css: str, body: str, body_class: str = "") -> str:
    attr = f' class="{body_class}"' if body_class else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{css}</style></head>\n<body{attr}>\n{body}\n</body></html>\n"
    )


# ---- sections of the brief ----------------------------------------------------------


def _title(profile: RegionProfile) -> str:
    region = profile.region
    scheme = catalogue.scheme(region.scheme).singular
    # a custom region's id is its county list: the count below says it better
    ident = scheme if region.scheme == regions.CUSTOM else f"{scheme} {region.id}"
    meta = (
        f"Sector partnership brief · {ident} · {_counties(region.counties)}"
        f" · population {fmt_count(profile.workforce.get('population'))} · industry data {profile.year}"
    )
    return f'<header><h1>{_e(region.name)}</h1><p class="meta">{_e(meta)}</p></header>'


def _counties(counties) -> str:
    n = len(counties)
    return f"{n:,} {'county' if n == 1 else 'counties'}"


def _range_text(lo, hi, fmt) -> str | None:
    if formatting.missing(lo) or formatting.missing(hi):
        return None
    low, high = fmt(lo), fmt(hi)
    return low if low == high else f"{low}–{high}"  # a range whose ends read the same is one number


def _estimate(sector: dict, key: str, fmt) -> str:
    """ ", est. X" after a range with a labelled estimate inside it."""
    value = sector.get(key)
    return "" if formatting.missing(value) else f", est. {fmt(value)}"


def _figure_text(
    sector: dict, value: str, prefix: str, fmt, lead: str = "", open_ended: bool = False, kind: str = ""
) -> str:
    """A published figure, else the suppression range (``prefix``'s ``_low`` to ``_high``; "at least" the low
    end where ``open_ended`` and there is no high end) with the estimate inside it, else n/a; "not known from
    public data" where a pay or growth range (``kind``) spans orders of magnitude."""
    if not formatting.missing(sector.get(value)):
        return fmt(sector[value])
    low, high = sector.get(f"{prefix}_low"), sector.get(f"{prefix}_high")
    if formatting.unknowable(low, None if formatting.missing(high) else high, kind):
        return formatting.NOT_KNOWN
    if open_ended and not formatting.missing(low) and formatting.missing(high):
        rng = f"at least {fmt(low)}"
    else:
        rng = _range_text(low, high, fmt)
    if rng and "–" not in rng and not rng.startswith("at least"):
        return rng
    return f"{lead}{rng}{_estimate(sector, f'{prefix}_estimate', fmt)}" if rng else formatting.NA


def lq_text(sector: dict) -> str:
    """The LQ, or the suppression range it lies in with the estimate inside it."""
    return _figure_text(sector, "lq", "lq", fmt_lq, lead="range ")


def employment_text(sector: dict) -> str:
    """Jobs, or the suppression range they lie in with the estimate inside it."""
    return _figure_text(sector, "employment", "employment", fmt_count)


def pay_text(sector: dict) -> str:
    """Average pay, or the range suppression leaves ("at least" where it has no upper limit) with the estimate."""
    return _figure_text(sector, "avg_annual_pay", "pay", fmt_money, open_ended=True, kind="money")


def growth_text(sector: dict) -> str:
    """The published one-year change, or the range suppression leaves with the estimate inside it."""
    return _figure_text(sector, "growth", "growth", fmt_change, kind="change")


def class_text(sector: dict) -> str:
    """The class, "likely" where the estimate decided it rather than the published figures."""
    return sector.get("verdict") or sector.get("class") or formatting.NA


def _sectors_section(profile: RegionProfile) -> str:
    candidates = profile.candidate_sectors
    if not candidates:
        why = profile.industry_basis or "no industry data for the region's counties"
        return f"<section><h2>Candidate sectors</h2><p>No candidate sectors can be ranked: {_e(why)}.</p></section>"
    rows = [
        [
            str(i),
            s["name"],
            class_text(s),
            fmt_score(s.get("score")),
            lq_text(s),
            employment_text(s),
            fmt_count(s.get("suppressed_counties")),
            fmt_count(s.get("establishments")),
            pay_text(s),
            growth_text(s),
            fmt_change(s.get("us_growth")),
            (s.get("employer_pool") or {}).get("level", formatting.NA),
        ]
        for i, s in enumerate(candidates[:TOP_SECTORS], 1)
    ]
    year = profile.year
    headers = [
        "#",
        "Partnership sector",
        "Class",
        "Score",
        "LQ",
        "Jobs",
        "Suppressed counties",
        "Estab.",
        "Avg pay",
        f"Growth {year - 1}–\u2060{year % 100:02d}",
        "US growth",
        "Employer pool",
    ]  # word joiner: keep "2015–16" whole
    shown = min(TOP_SECTORS, len(candidates))
    return (
        f"<section><h2>Candidate sectors, {year} (top {shown} of {len(candidates)}, ranked)</h2>"
        + _table(headers, rows, numeric={0, 3, 4, 5, 6, 7, 8, 9, 10}, cls="sectors")
        + '<p class="note">Score 0–100 weighs concentration (LQ), growth against the US, pay against the '
        "region's average and size. LQ above 1: more concentrated than the nation. Where BLS suppressed "
        "cells, LQ, jobs, pay and growth are the range the published figures allow and an estimate inside it (est.); "
        'scores use the estimate. Class: "published" (nothing suppressed), "determined" (every allowed value gives '
        'the class), "likely" (a narrow range; the estimate decides), "not known from public data" (the range is too '
        "wide for the estimate to decide; such sectors are ranked last). Pay or growth ranges spanning orders of "
        'magnitude read "not known from public data". '
        f"QCEW {year}, {_e(profile.ownership or 'private ownership')}.</p></section>"
    )


def _workforce_note(profile: RegionProfile, key: str) -> str:
    """Why a workforce figure needs a caveat: an approximated median, or counties left out."""
    note = profile.workforce_notes.get(key) or {}
    parts = []
    if note.get("approximation"):
        parts.append("household-weighted approximation")
    if note.get("counties_missing"):
        parts.append(f"{formatting.counted(note['counties_missing'], 'county', 'counties')} without data left out")
    return "; ".join(parts)


def _workforce_section(profile: RegionProfile, comparisons: dict | None) -> str:
    wf = profile.workforce
    headers = ["Indicator", "Region"]
    if comparisons:
        headers += [comparisons.get("state_label") or "State", "United States"]
    rows = []
    for key, label, kind in WORKFORCE_ROWS:
        fmt = FORMATS[kind]
        row = [(label, _workforce_note(profile, key)), fmt(wf.get(key))]
        if comparisons:
            row += [fmt((comparisons.get("state") or {}).get(key)), fmt((comparisons.get("us") or {}).get(key))]
        rows.append(row)
    return "<section><h2>Workforce</h2>" + _table(headers, rows, numeric=set(range(1, len(headers)))) + "</section>"


def split_sources(text: str) -> list[str]:
    """``"A (x; y); B"`` -> ``["A (x; y)", "B"]``: titles may hold semicolons inside parentheses."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [t for t in out if t]


def _seat_row(seat: dict, citations: list[str]) -> str:
    """Seat name and evidence in one cell (it wraps better on paper), reference numbers in the other."""
    numbers = sorted(_cite(t, citations) for t in split_sources(seat.get("source", "")))
    return (
        f"<tr><td><strong>{_e(seat.get('name', ''))}.</strong> {_e(seat.get('evidence', ''))}</td>"
        f'<td class="num">{_e(", ".join(map(str, numbers)))}</td></tr>'
    )


def _seats_section(profile: RegionProfile, citations: list[str]) -> str:
    """Indicated seats in one table grouped by level; the rest as a compact list.

    Source titles are long and repeat across seats, so each seat cites them by
    number and the footer lists the titles once: that is what keeps the page to one sheet.
    """
    all_seats = profile.seats
    sector = profile.seats_sector_name
    heading = f"Seats at the table for {sector}" if sector else "Seats at the table (no sector assessed)"
    rows = []
    for level in INDICATED_LEVELS:
        group = [s for s in all_seats if s.get("level") == level]
        if group:
            rows.append(
                f'<tr class="level"><th>{_e(level.capitalize())} ({len(group)})</th><th class="num">Sources</th></tr>'
            )
            rows.extend(_seat_row(s, citations) for s in group)
    parts = [f"<section><h2>{_e(heading)}</h2>"]
    if rows:
        parts.append(f'<table class="seats"><tbody>{"".join(rows)}</tbody></table>')
    for level in ("not indicated", "not assessed"):
        group = [s for s in all_seats if s.get("level") == level]
        if group:
            names = "; ".join(
                s.get("name", "") + (f" ({s['reason']})" if level == "not assessed" and s.get("reason") else "")
                for s in group
            )
            parts.append(f"<p><strong>{_e(level.capitalize())}:</strong> {_e(names)}.</p>")
    if not all_seats:
        parts.append("<p>No seats assessed.</p>")
    parts.append("</section>")
    return "".join(parts)


#: The careers ladder's rungs as the brief names them (short, so the table stays one line a rung).
RUNG_SHORT = {
    "entry": "High school or less",
    "middle": "Postsecondary award or associate's",
    "degree": "Bachelor's degree or more",
}


def _careers_text(profile: RegionProfile) -> tuple[list[list[str]], str] | None:
    """The careers section's rows (rung, share, estimated jobs, median wage, largest occupation) and note."""
    c = profile.careers
    if c is None:
        return None
    rows = []
    for rung in c.ladder:
        largest = next((o for o in c.occupations if o.rung == rung.id), None)
        rows.append(
            [
                RUNG_SHORT[rung.id],
                fmt_share(rung.share),
                fmt_count(rung.jobs),
                fmt_money(rung.median_wage),
                f"{largest.title} ({fmt_share(largest.share)})" if largest else formatting.NA,
            ]
        )
    below = c.entry_jobs_below_state_median()
    share_below = sum(o.share for o in below) / c.released_share if c.released_share else None
    local = c.wage_areas[0].name if c.wage_areas and c.wage_areas[0].kind != "national" else "the US"
    note = (
        f"{fmt_share(share_below)} of the jobs are entry occupations paying under {c.state_name}'s median wage "
        f"({fmt_money(c.state_median_wage)}); {fmt_share(c.indicators.apprenticeable_share)} are apprenticeable. "
        f"Jobs are estimates: the sector's jobs times national staffing shares (BLS OEWS, "
        f"{'regional' if c.indicators.mix == 'regional' else 'national'} industry mix); median wages for "
        f"{local} where published; entry education from BLS Employment Projections."
    )
    return rows, note


def _careers_section(profile: RegionProfile) -> str:
    """The sector's jobs by the education they need to enter: a row per rung with its share, estimated jobs,
    median wage and largest occupation, and the entry jobs paying under the state's median wage."""
    content = _careers_text(profile)
    if content is None:
        return ""
    rows, note = content
    headers = ["Education to enter", "Share of jobs", "Est. jobs", "Median wage", "Largest occupation"]
    return (
        f"<section><h2>Careers in {_e(profile.careers.sector_name)}: jobs by entry education</h2>"
        + _table(headers, rows, numeric={1, 2, 3}, cls="careers")
        + f'<p class="note">{_e(note)}</p></section>'
    )


def _cite(title: str, citations: list[str]) -> int:
    """The reference number of ``title``, adding it to ``citations`` on first use."""
    if title not in citations:
        citations.append(title)
    return citations.index(title) + 1


def _scope_section(profile: RegionProfile) -> str:
    """Geography size, the employer pool of the seats' sector and where the industry figures come from."""
    scope = profile.scope
    items = [("Geography", f"{scope.get('level', formatting.NA)}: {scope.get('verdict', '')}".rstrip(": "))]
    sector = profile.seats_sector_name
    pool = next(
        (s.get("employer_pool") for s in profile.candidate_sectors if s.get("id") == profile.seats_sector), None
    )
    if sector and pool:
        items.append((f"Employer pool ({sector})", f"{pool.get('level', formatting.NA)}: {pool.get('verdict', '')}"))
    items.append(("Industry basis", profile.industry_basis or formatting.NA))
    body = "".join(f"<p><strong>{_e(k)}:</strong> {_e(v)}</p>" for k, v in items)
    return f"<section><h2>Scope checks</h2>{body}</section>"


def _footer(profile: RegionProfile, citations: list[str]) -> str:
    refs = " ".join(f"[{i}] {_e(t)}." for i, t in enumerate(citations, 1))
    cited = f"<p><strong>Guidance cited:</strong> {refs}</p>" if refs else ""
    vintages = "; ".join(f"{_e(SOURCE_LABELS.get(k, k))}: {_e(v)}" for k, v in profile.vintages.items())
    if profile.careers is not None:
        vintages += "; Careers: " + _e(
            "; ".join(dict.fromkeys(v for k, v in profile.careers.sources.items() if k != "sector_jobs"))
        )
    return (
        f"<footer>{cited}<p><strong>Data sources and vintages:</strong> {vintages}.</p>"
        f"<p>{_e(SUPPRESSION_NOTE)} {_e(MISSING_NOTE)}</p></footer>"
    )


# ---- public API -----------------------------------------------------------------------


def _partnerships_section(recorded: list[RecordedPartnership] | None) -> str:
    """The partnerships recorded for the region in this app's registry (nothing when it could not be read)."""
    if recorded is None:
        return ""
    head = "<h2>Partnerships recorded here</h2>"
    if not recorded:
        return head + "<p>No partnership is recorded for this region in this app's registry yet.</p>"
    rows = [[p.name, p.sector, p.phase, p.open_seats] for p in recorded]
    note = (
        '<p class="note">Recorded by this app\'s users in its partnership registry. Open seats: the seats indicated '
        "above that no current member fills (for partnerships of the sector the seats were assessed for).</p>"
    )
    return head + _table(["Partnership", "Sector", "Phase", "Open seats"], rows) + note


def brief_html(
    profile: RegionProfile, comparisons: dict | None = None, recorded: list[RecordedPartnership] | None = None
) -> str:
    """The one-page brief of a region profile as a self-contained HTML document.

    ``comparisons`` (see :func:`brief_comparisons`) adds state and US columns to
    the workforce table; without it the table shows the region alone. ``recorded``
    (see :func:`dashboard.report.partnership_seats.recorded_in_registry`) lists the
    partnerships recorded for the region; None leaves the section out.
    """
    citations: list[str] = []
    seats_html = _seats_section(profile, citations)  # fills citations for the footer
    body = (
        _title(profile)
        + brief_figures.figures_html(profile)
        + _sectors_section(profile)
        + f'<div class="cols">{_workforce_section(profile, comparisons)}{_scope_section(profile)}</div>'
        + _careers_section(profile)
        + brief_figures.careers_figure_html(profile, RUNG_SHORT)
        + seats_html
        + _partnerships_section(recorded)
        + _footer(profile, citations)
    )
    return _page(f"{profile.region.name}: sector partnership brief", CSS + brief_figures.CSS, body, _density(profile))


def _density(profile: RegionProfile) -> str:
    """ "dense" when the seat evidence is long enough to push the page past one sheet at the normal size."""
    chars = sum(
        len(s.get("name", "")) + len(s.get("evidence", "")) for s in profile.seats if s.get("level") in INDICATED_LEVELS
    )
    careers = _careers_text(profile)
    if careers is not None:  # the careers section takes the room of about its text in seat evidence
        rows, note = careers
        chars += len(note) + sum(len(" ".join(r)) + CAREERS_ROW_CHARS for r in rows)
    return "dense" if chars > DENSE_SEAT_CHARS else ""


def brief_comparisons(region: Region, state: str | None = None) -> dict:
    """State and US workforce values for the brief of ``region``, with a label naming the state: the one
    chosen (2-digit FIPS) where the region lies in it, else the state holding most of its people."""
    from dashboard.analysis.careers import comparison_state

    comp = comparison_state(region, state)
    return {
        "state": dict(seats.comparison_values((comp,))),  # copies: the cached dicts must not be shared out
        "us": dict(seats.us_values()),
        "state_label": regions.state_names().get(comp, comp),
    }


def brief_summary(profile: RegionProfile) -> str:
    """One line for the index: the top candidate sector, or why there is none."""
    candidates = profile.candidate_sectors
    size = f"{_counties(profile.region.counties)}, population {fmt_count(profile.workforce.get('population'))}"
    if not candidates:
        return f"No ranked sectors ({profile.industry_basis or 'no industry data'}); {size}"
    top = candidates[0]
    return f"Top sector: {top['name']} ({top.get('verdict') or top.get('class') or formatting.NA}, score {fmt_score(top.get('score'))}); {size}"


def index_html(entries: list[tuple[str, str, str]], title: str) -> str:
    """An index page linking to each brief: ``entries`` are (file name, region name, summary)."""
    rows = "".join(
        # quote() keeps every link a relative path, whatever the file name holds
        f'<tr><td><a href="{_e(quote(file_name))}">{_e(name)}</a></td><td>{_e(summary)}</td></tr>'
        for file_name, name, summary in entries
    )
    body = (
        f"<h1>{_e(title)}</h1><p>{len(entries)} region briefs, each laid out to print on one A4 or Letter page.</p>"
        f"<table><thead><tr><th>Region</th><th>Summary</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return _page(title, INDEX_CSS, body)


def state_fips(state: str) -> str:
    """A 2-digit FIPS code from ``"18"``, ``"IN"`` or ``"Indiana"``; unknown states raise UnknownRegionError."""
    names = regions.state_names()
    text = str(state).strip()
    code = text.zfill(2) if text.isdigit() else catalogue.USPS.get(text.upper())
    if code is None:
        code = next((fips for fips, name in names.items() if name.lower() == text.lower()), None)
    if code not in names:
        raise UnknownRegionError(
            f"unknown state {state!r}; give a 2-digit FIPS code such as 18 or a postal code such as IN"
        )
    return code


def file_name(scheme: str, region_id: str) -> str:
    """A safe file name for a brief: lower-case letters, digits and hyphens only.

    The scheme prefix keeps a region from ever being named ``index.html``; very
    long ids (custom regions of many counties) are shortened with a hash so the
    name stays within file-system limits and stays distinct.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", f"{scheme}-{region_id}".lower()).strip("-") or "region"
    if len(slug) > 80:
        digest = hashlib.sha1(str(region_id).encode("utf-8")).hexdigest()[:10]
        slug = f"{slug[:60].rstrip('-')}-{digest}"
    return f"{slug}.html"


def _unique(name: str, used: set[str]) -> str:
    """``name``, or ``name-2``, ``-3``... if an earlier region of the run already took it."""
    stem, n = name.removesuffix(".html"), 2
    while name in used:
        name, n = f"{stem}-{n}.html", n + 1
    used.add(name)
    return name


def write_briefs(scheme: str, state: str, out_dir: Path, log=None, year: int | None = None) -> list[Path]:
    """Write a brief for every region of ``scheme`` touching ``state``, and ``index.html``, with the
    industry figures of ``year`` (newest loaded: None); return the paths.

    Scheme and state are checked before anything is written, so a typo leaves no empty folder behind.
    """
    from dashboard.analysis.measures import resolve_year
    from dashboard.report.profile import region_profile

    year = resolve_year(year)
    if scheme not in regions.SCHEMES:
        raise UnknownRegionError(f"unknown scheme {scheme!r}; schemes: {', '.join(regions.SCHEMES)}")
    fips = state_fips(state)
    table = regions.list_regions(scheme, fips)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, entries, used = [], [], {"index.html"}
    for i, region_id in enumerate(table["region_id"], 1):
        region = regions.resolve_region(scheme, region_id)
        profile = region_profile(region, year=year, state=fips)
        name = _unique(file_name(scheme, region.id), used)
        path = out_dir / name
        recorded = partnership_seats.recorded_in_registry(region.counties, profile.seats, profile.seats_sector)
        path.write_text(brief_html(profile, brief_comparisons(region, fips), recorded), encoding="utf-8")
        written.append(path)
        entries.append((name, region.name, brief_summary(profile)))
        if log:
            log(f"[{i}/{len(table)}] {path}")
    index = out_dir / "index.html"
    title = f"Sector partnership briefs: {regions.state_names()[fips]}, by {catalogue.scheme(scheme).singular}, industry data {year}"
    index.write_text(index_html(entries, title), encoding="utf-8")
    written.append(index)
    return written
