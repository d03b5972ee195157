"""Data and methods: sources, vintages, formulas, suppression and caveats."""

import pandas as pd
import streamlit as st

from dashboard.analysis import formatting, seats, sectors
from dashboard.analysis.sectors import ScoringParams
from dashboard.analysis.workforce import INDICATORS
from dashboard.data.sources import SOURCES, YEARLY, loaded_years, spans, vintage
from dashboard.data.store import data_status
from dashboard.report import methods, suppression_example
from dashboard.ui.text import md

st.title("Data and methods")


def _indicator(code: str) -> str:
    """A seat trigger's indicator by its label where the workforce catalogue has one."""
    found = INDICATORS.get(code)
    return found.label if found is not None else code.replace("_", " ")


st.header("Sources and vintages", anchor=False)
st.dataframe(
    pd.DataFrame(
        [{"Data": k, "Publisher": s.publisher, "Product": s.product, "Vintage": vintage(k)} for k, s in SOURCES.items()]
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Every figure in the app comes from these official files, processed by `python -m dashboard build`; "
    "each vintage is read from the files themselves (data/manifest.json)."
)

st.header("Years loaded", anchor=False)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Data": k,
                "Product": SOURCES[k].product,
                "Years loaded": spans(loaded_years(k)),
                "Newest (the default)": (loaded_years(k) or [None])[-1],
            }
            for k in YEARLY
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.markdown(
    md(
        "The sidebar's data year picks the QCEW year every industry figure comes from; the newest loaded year "
        "is the default, and share links keep the year they were made with. QCEW figures count private "
        "ownership; location quotients divide by all covered jobs, as BLS does."
    )
)
st.markdown(
    "**How to add a newer year.** On a machine with a network, run `python -m dashboard update` (the newest "
    "year BLS has published) or `python -m dashboard update --year YYYY`; `--source cbp` does the same for "
    "County Business Patterns. The command checks what arrived before it installs anything, keeps every "
    "earlier year, and leaves the installed data untouched when anything fails. A running app reads the new "
    "files at the next click and says so."
)

st.header("Measures", anchor=False)
st.markdown(
    md("""
Location quotient (LQ): the industry's share of the region's total covered employment divided by its share nationally. 1.00 means the same share as the US; above 1.25 the industry is concentrated.
One-year change: the change over the year before the data year, as the QCEW files publish it, set against the national change; where a cell is suppressed, the range the published figures allow with an estimate inside it.
Change between two loaded years: the region's jobs in the later year minus the earlier (a range when a cell is suppressed in either year), its growth against the US growth of the same industry, and a shift-share split of the change into national growth (the US all-industry growth applied to the region's starting jobs), industry mix (the industry's US growth beyond that) and the regional shift (the rest). The three parts add up to the change.
County Business Patterns trend (profile): mid-March employment of private employer establishments per year, shown only where county files cover every county of the region and no cell is withheld; noise-infused and not comparable one for one with QCEW.
Average pay: total wages divided by jobs; where a cell is suppressed, the range its wages and jobs allow with an estimate inside it (the disclosed cells' average alone is not the region's figure). Pay against the region: that figure over the region's published average pay for all private jobs.
Workforce shares: summed counts over summed denominators of the region's counties, never an average of county percentages. Median household income for a multi-county region is the household-weighted mean of county medians and is flagged as an approximation.
Nonmetro share: people living in counties with Rural-Urban Continuum Codes 4 to 9.
""").replace("\n", "  \n")
)

st.header("Suppression", anchor=False)
st.markdown(
    md(
        "BLS withholds (suppresses) an area's figure for an industry when publishing it could reveal one "
        "employer. The app never reads a withheld figure as zero, and never works one out by subtraction and "
        "shows it as if BLS had published it. It gives the tightest range the published figures allow, and a "
        "best estimate inside that range, always labelled as an estimate."
    )
)
st.subheader("The range", anchor=False)
st.markdown(
    md("""
Every withheld figure is tied to figures BLS does publish, all at once:
the industry hierarchy: an area's subsectors (3-digit NAICS) add up to their sector (2-digit), its sectors add up to its private total, and its private jobs are at most all its covered jobs;
the geography: a state's figure is its counties plus the jobs BLS could not place in a county, and a metro area's figure is its counties (where the metro's published total shows the same counties as today's list);
an industry with no establishment in an area has no jobs there, and nothing is negative.
Published figures are annual averages rounded to whole jobs, so each of these sums is allowed half a job of rounding per figure in it.
""").replace("\n", "  \n")
)
st.markdown(
    md(
        "Each withheld cell's range is worked out once, when the data are built: every sum narrows each of its "
        "cells to what the others leave room for, over and over until nothing moves (interval propagation, "
        "which reaches the bounds of a linear program for nearly every cell). A region's range adds up its "
        "cells' ranges and narrows the total again by each area's published sector and private total and by "
        "its states' and metro areas' published rows. A metro area whose counties all lie in a region counts "
        "by its own published row, so the same counties give the same range however the region is built. "
        "The exact answer, the least and the most the region's sum can be under every one of these sums at "
        "once, is a linear program; bench/RESULTS-bounds.md compares the app's ranges with it."
    )
)
st.subheader("The estimate", anchor=False)
st.markdown(
    md(
        "Inside the range sits a best estimate by proportional allocation within the published parent: each "
        "withheld cell starts from its establishment count times the industry's typical jobs per "
        "establishment (published county figures, nationally); then what each published total leaves after "
        "its published parts is shared among its withheld parts in proportion, each kept inside its range, "
        "over the industry hierarchy and the geography in turn. Proportional fitting can leave a cell at zero "
        "and stop before every total adds up, so the jobs are then fitted once more, every published figure at "
        "once, in the spirit of Eckert, Fort, Schott and Yang (NBER working paper 26632): the whole-job table "
        "closest to the proportional estimate (least total relative change) in which every cell lies in its "
        "range, subsectors add up to their sector, sectors to the private total, counties to their state and "
        "metro area, each within rounding, and every cell with establishments holds at least one job unless "
        "the published figures leave no room (a linear program solved with HiGHS). It is an estimate: "
        "tables, tooltips and downloads label it so and show it beside the range, and a published figure is "
        "never replaced by it. Wages, last year's jobs and the one-year change are bounded and estimated the "
        "same way, so pay and growth have ranges and estimates too."
    )
)
st.subheader("How the app uses them", anchor=False)
st.markdown(
    md(
        "A point figure appears only where it is published; elsewhere tables and tooltips show the range and "
        "the estimate, and CSV downloads carry numeric low, estimate and high columns. A sector's class is "
        "determined when every value in its LQ and growth ranges gives the same class; otherwise the "
        'estimate decides and the verdict says "likely", if the range is narrow enough for the estimate to mean '
        "something (see How sure each verdict is). Maps draw published values in full colour, classes the "
        "range determines paler, and likely classes palest. A seat that reads a suppressed figure (pay against "
        "the region, jobs per establishment) is decided by the range where the whole range is on one side "
        "of its threshold; otherwise the estimate decides and the seat's evidence says it is likely, not "
        "certain."
    )
)
st.subheader("How sure each verdict is", anchor="how-sure")
st.markdown(
    "Every sector verdict says how sure it is, in four words:\n\n"
    + "\n".join(f"- **{md(word)}**: {md(meaning)}" for word, meaning in sectors.CONFIDENCE_MEANING.items())
)
st.markdown(
    md(
        f'"Too wide" is defined from the figures: a verdict is not known from public data where an LQ range that '
        f"straddles the concentration threshold has a high end more than {ScoringParams().lq_known_ratio:g} times "
        f"its low end, or a growth range that straddles the national growth is wider than "
        f"{ScoringParams().growth_known_width * 100:g} percentage points, or there is no figure to decide by. "
        "Such sectors are listed after every sector whose verdict is known, ordered by what the published "
        "figures guarantee (each measure at the low end of its range), never first. Pay whose range spans more "
        f"than a factor of {formatting.PAY_SPAN:g}, and growth whose range is wider than "
        f'{formatting.GROWTH_SPAN * 100:g} percentage points, read "not known from public data" on screen and '
        "in briefs; CSV downloads keep the numeric low, estimate and high."
    )
)
st.markdown(
    "**Rounding.** "
    + md(
        "BLS publishes each annual average rounded to the whole job, so a published total may differ from the "
        "sum of its published parts by up to half a job per figure (and half for the total itself). Every range "
        "here holds each published equation within that allowance and no tighter; a group of industries is "
        "never shown above the published sectors that contain it; and estimates add up to their published "
        "parents within the same allowance. The one-year change carries its own rounding: BLS's annual "
        "files publish it in whole jobs (half a job each), and a change worked out from the quarterly files "
        "in hundredths of a job; last year's jobs, this year's less the change, carry both."
    )
)
st.markdown(
    "**Official metro rows.** "
    + md(
        "QCEW publishes metro areas under the delineation of its year. A metro row stands for a region only "
        "when its member counties' published totals add up to it within rounding; otherwise (Houston and "
        "Atlanta in 2016, for example) the region is the sum of its counties, and the profile says so."
    )
)
example = suppression_example.suppression_example()  # the newest loaded year
if example:
    st.subheader("Worked example", anchor=False)
    for paragraph in suppression_example.suppression_example_text(example):
        st.markdown(md(paragraph))

st.header("Candidate sectors and seats", anchor=False)
st.markdown(
    md(
        "Partnership sectors group NAICS subsectors (data/partnership_sectors.toml). Each is scored on "
        "concentration, growth against the US, size and pay (where cells are suppressed, by the estimate inside "
        "the range), and classed as existing strength, emerging, mature "
        "or weak. Seats come from data/seat_rules.toml: core seats every table needs, and seats the region's "
        "data trigger against its state and the nation. Thresholds below are the defaults; the profile and "
        "partnership-table pages let you change them."
    )
)
rules = [r for r in seats.load_rules() if r.trigger is not None]
st.dataframe(
    pd.DataFrame(
        [
            {
                "Seat": r.name,
                "Indicator": _indicator(r.trigger.indicator),
                "Direction": r.trigger.direction,
                "Recommended": r.trigger.recommended,
                "Strongly": r.trigger.strongly,
                "Floor": r.trigger.floor,
                "Absolute": "yes" if r.trigger.absolute else "no",
            }
            for r in rules
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={c: st.column_config.NumberColumn(format="%.2f") for c in ("Recommended", "Strongly", "Floor")},
)

st.header("Careers in a sector", anchor=False)
for paragraph in methods.careers_paragraphs():
    st.markdown(md(paragraph))
st.caption(md("Sources: " + "; ".join(methods.careers_sources()) + "."))

st.header("Seat matrix", anchor=False)
for paragraph in methods.seat_matrix_paragraphs():
    st.markdown(md(paragraph))

st.header("Caveats", anchor=False)
st.markdown(
    md("""
The bundled industry year is QCEW 2016, the newest year whose county files ship with the app; newer years come through the update command above. Workforce figures are newer (2019-2024).
Suppression ranges can still be wide where a small county withholds most of a sector; the estimate then decides the verdict ("likely") only where the range is narrow enough; otherwise the verdict is "not known from public data".
""").replace("\n", "  \n")
)

st.header("Known gaps", anchor=False)
st.markdown(
    md("""
Maps and tables name the regions a gap touches; a region without a figure is grey on the map and n/a in tables, never zero.
Connecticut: QCEW years before 2024 use its eight former counties, which have no boundary on the 2024 map (they appear in tables only); the maps draw the 2022 planning regions, which have workforce figures but no industry figures in those years.
Alaska: Chugach and Copper River were one area, Valdez-Cordova, until 2019; in the bundled QCEW year Valdez-Cordova has industry figures but no boundary or workforce figures.
Puerto Rico: education and unemployment figures cover it; poverty, income, social-vulnerability and population figures do not.
U.S. Virgin Islands: industry figures only; no boundary on the map and no workforce figures.
Kalawao County, Hawaii: no industry, poverty or unemployment figures.
""").replace("\n", "  \n")
)

st.header("Processed files", anchor=False)
st.dataframe(data_status().rename(columns=str.capitalize), hide_index=True, width="stretch")
