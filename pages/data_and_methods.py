"""Data and methods: sources, vintages, formulas, suppression and caveats."""

import pandas as pd
import streamlit as st

from dashboard import seats
from dashboard.sources import SOURCES, YEARLY, loaded_years, spans, vintage
from dashboard.store import data_status
from dashboard.ui.text import md

st.title("Data and methods")

st.header("Sources and vintages", anchor=False)
st.dataframe(pd.DataFrame([{"data": k, "publisher": s.publisher, "product": s.product, "vintage": vintage(k)}
                           for k, s in SOURCES.items()]), hide_index=True, width="stretch")
st.caption("Every figure in the app comes from these official files, processed by `python -m dashboard build`; "
           "each vintage is read from the files themselves (data/manifest.json).")

st.header("Years loaded", anchor=False)
st.dataframe(pd.DataFrame([{"data": k, "product": SOURCES[k].product, "years loaded": spans(loaded_years(k)),
                            "newest (the default)": (loaded_years(k) or [None])[-1]} for k in YEARLY]),
             hide_index=True, width="stretch")
st.markdown(md("The sidebar's data year picks the QCEW year every industry figure comes from; the newest loaded year "
               "is the default, and share links keep the year they were made with. QCEW figures count private "
               "ownership; location quotients divide by all covered jobs, as BLS does."))
st.markdown("**How to add a newer year.** On a machine with a network, run `python -m dashboard update` (the newest "
            "year BLS has published) or `python -m dashboard update --year YYYY`; `--source cbp` does the same for "
            "County Business Patterns. The command checks what arrived before it installs anything, keeps every "
            "earlier year, and leaves the installed data untouched when anything fails. Restart the app afterwards "
            "so it reads the new files.")

st.header("Measures", anchor=False)
st.markdown(md("""
Location quotient (LQ): the industry's share of the region's total covered employment divided by its share nationally. 1.00 means the same share as the US; above 1.25 the industry is concentrated.
One-year change: the change over the year before the data year, as the QCEW files publish it, in the region's disclosed jobs, set against the national change.
Change between two loaded years: the region's jobs in the later year minus the earlier (a range when a cell is suppressed in either year), its growth against the US growth of the same industry, and a shift-share split of the change into national growth (the US all-industry growth applied to the region's starting jobs), industry mix (the industry's US growth beyond that) and the regional shift (the rest). The three parts add up to the change.
County Business Patterns trend (profile): mid-March employment of private employer establishments per year, shown only where county files cover every county of the region and no cell is withheld; noise-infused and not comparable one for one with QCEW.
Average pay: total wages divided by jobs, for the disclosed cells.
Workforce shares: summed counts over summed denominators of the region's counties, never an average of county percentages. Median household income for a multi-county region is the household-weighted mean of county medians and is flagged as an approximation.
Nonmetro share: people living in counties with Rural-Urban Continuum Codes 4 to 9.
""").replace("\n", "  \n"))

st.header("Suppression", anchor=False)
st.markdown(md("BLS withholds a county's industry figures when they could reveal one employer. A withheld cell is "
               "never read as zero: the region's value becomes a range, from the jobs BLS did publish up to that plus "
               "every job the county did not place in a published industry. Maps class such regions by what the "
               "published figures guarantee and draw them lighter; tables show the range."))

st.header("Candidate sectors and seats", anchor=False)
st.markdown(md("Partnership sectors group NAICS subsectors (data/partnership_sectors.toml). Each is scored on "
               "concentration, growth against the US, size and pay (a suppressed LQ counts at the low end of its range, "
               "the part the published figures guarantee), and classed as existing strength, emerging, mature "
               "or weak. Seats come from data/seat_rules.toml: core seats every table needs, and seats the region's "
               "data trigger against its state and the nation. Thresholds below are the defaults; the profile and "
               "partnership-table pages let you change them."))
rules = [r for r in seats.load_rules() if r.trigger is not None]
st.dataframe(pd.DataFrame([{"seat": r.name, "indicator": r.trigger.indicator, "direction": r.trigger.direction,
                            "recommended": r.trigger.recommended, "strongly": r.trigger.strongly,
                            "floor": r.trigger.floor, "absolute": r.trigger.absolute} for r in rules]),
             hide_index=True, width="stretch")

st.header("Caveats", anchor=False)
st.markdown(md("""
The bundled industry year is QCEW 2016, the newest year whose county files ship with the app; newer years come through the update command above. Workforce figures are newer (2019-2024).
Suppression ranges can be wide for partnership sectors made of many subsectors in small counties.
""").replace("\n", "  \n"))

st.header("Known gaps", anchor=False)
st.markdown(md("""
Maps and tables name the regions a gap touches; a region without a figure is grey on the map and n/a in tables, never zero.
Connecticut: QCEW years before 2024 use its eight former counties, which have no boundary on the 2024 map (they appear in tables only); the maps draw the 2022 planning regions, which have workforce figures but no industry figures in those years.
Alaska: Chugach and Copper River were one area, Valdez-Cordova, until 2019; in the bundled QCEW year Valdez-Cordova has industry figures but no boundary or workforce figures.
Puerto Rico: education and unemployment figures cover it; poverty, income, social-vulnerability and population figures do not.
U.S. Virgin Islands: industry figures only; no boundary on the map and no workforce figures.
Kalawao County, Hawaii: no industry, poverty or unemployment figures.
""").replace("\n", "  \n"))

st.header("Processed files", anchor=False)
st.dataframe(data_status(), hide_index=True, width="stretch")
