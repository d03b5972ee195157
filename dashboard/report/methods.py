"""Text of the Data and methods page's careers and seat matrix sections.

Vintages are read from the data (``data/manifest.json``, through :mod:`sources` and
:mod:`careers`), so the text follows a rebuild from newer files.
"""

from __future__ import annotations

from dashboard.analysis import careers, formatting
from dashboard.data import sources

#: The careers sources in the order the section names them.
CAREERS_SOURCES = ("oews", "projections", "onet")


def careers_sources() -> list[str]:
    """ "Publisher, product, vintage" of each careers source, as the app cites them."""
    return [sources.cite(s) for s in CAREERS_SOURCES]


def careers_paragraphs() -> list[str]:
    """What the region profile's careers section shows and how its figures are made, in plain words."""
    oews, span, onet = sources.vintage("oews"), careers.projection_span(), sources.vintage("onet")
    top = careers.top_coded_wage()
    top_text = (
        f" A median at or above the top wage BLS publishes ({formatting.money(top)} a year) is shown as "
        f'"at least {formatting.money(top)}".'
        if top is not None
        else " A median at or above the top wage BLS publishes is marked as at least that bound."
    )
    return [
        "The region profile's careers section shows the occupations a partnership sector employs, largest first: "
        "how many jobs each may hold in the region, what it takes to enter, how it is projected to grow and what "
        "it pays nearby. The same figures are in the careers CSV and the printable brief, and the seat rules read "
        "the sector's shares by entry education and apprenticeship.",
        "Estimated jobs in the region are an estimate, and labelled so: the region's jobs in the sector "
        "(published, or an estimate inside the range suppression leaves) times each occupation's national share "
        f"of the jobs in the sector's industries (BLS OEWS staffing patterns, {oews}), weighted by the region's own jobs in each of "
        "those industries, or by their national jobs where the region's are not known. They are not a count of "
        "local jobs. OEWS does not survey farms (NAICS 111 and 112), so those jobs are left out.",
        f"Entry requirements come from BLS Employment Projections ({span}): the typical education needed to enter, "
        "work experience in a related occupation and typical on-the-job training. The ladder groups the jobs by "
        "entry education: no credential or a high school diploma; a postsecondary award, some college or an "
        "associate's degree; a bachelor's degree or more. An occupation is marked apprenticeship where BLS's "
        "typical training is an apprenticeship, and apprenticeable where it is an apprenticeship or long-term "
        "(more than 12 months of) on-the-job training.",
        f"O*NET job zones ({onet}) run from 1 (little or no preparation) to 5 (extensive preparation); where "
        "several O*NET occupations roll up into one occupation the table shows their range (2-3).",
        f"Growth is the projected change in national employment, {span}, and openings the projected average "
        "openings a year nationally (new jobs and replacements); neither is a regional projection.",
        "Wages are OEWS median annual wages for all industries, read nearest the region: its metropolitan area "
        "(when one holds at least half of the region's people), else its state, else the United States; the table "
        f"says which.{top_text} Entry jobs paying under the state median are occupations open with no credential "
        "or a high school diploma whose median wage is below the state's median wage for all occupations.",
    ]


def seat_matrix_paragraphs() -> list[str]:
    """What the Seat matrix page does, in plain words."""
    return [
        "The Seat matrix page, for state staff, takes one partnership sector and lists every region of a state's "
        "region scheme (regions that cross the state line included) against every seat: strongly recommended, "
        "recommended, core, not indicated (-) or not assessed (n/a). Each region is compared with the chosen state "
        "and the nation, with the same rules and thresholds as the region profile. Regions can be sorted by name "
        "or by how many seats are indicated, and hovering a cell of the grid shows the figure that decided it.",
        "Downloads: the matrix as a CSV, every seat of every region with its figure and evidence as a CSV, and a "
        "zip of every region's printable brief with an index page.",
    ]
