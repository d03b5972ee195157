"""Workforce map: a composition indicator across every region of the view, or low-skill x low-income combined."""

import streamlit as st

from dashboard.analysis.workforce import INDICATORS
from dashboard.data import catalogue
from dashboard.data.sources import cite, vintage
from dashboard.maps import classes as maps
from dashboard.maps import coverage
from dashboard.maps import data as map_data
from dashboard.report import tables
from dashboard.ui import cached, mapview, render, state
from dashboard.ui.text import md

BIVARIATE = "bivariate"
#: Pixels: the map, title and controls fit a 1280 x 720 projector's first screen.
MAP_HEIGHT = 470
view = state.view()
measures = maps.workforce_measures()
place = map_data.place_name(view["state"])
st.title("Workforce map")
choice = state.bound(
    st.selectbox,
    "indicator",
    "Indicator",
    options=[BIVARIATE, *measures],
    format_func=lambda i: "Low-skill x low-income (combined view)" if i == BIVARIATE else measures[i].label,
)
st.markdown(f"{md(catalogue.scheme(view['scheme']).plural)} of {md(place)}")

where = (view["scheme"], view["state"], state.custom_regions())
table = cached.workforce_table(*where)

# a projector's first screen: the map with its legend and how to read it beside it, the table below
map_column, side = st.columns([5, 2], gap="small")
if choice == BIVARIATE:
    cuts = map_data.national_terciles()
    table, shapes, texts = cached.bivariate_layers(*where)
    fills = maps.bivariate_fills(table, table["bivariate"])
    with map_column:
        render.gap_note(coverage.missing_note(table, "bivariate", "the low-skill or the low-income share", shapes.ids))
        mapview.draw(shapes, fills, texts, "Shares", key="workforce_map", height=MAP_HEIGHT)
    with side:
        render.bivariate_legend(
            {k: maps.on_white(v, 0.85) for k, v in maps.BIVARIATE.items()},
            "Low-skill x low-income: the two shares' national terciles",
        )
        render.how_to_read("darker: both shares higher; click a region, or a row of the table, to choose it.")
    st.markdown(md(map_data.bivariate_note(cuts, view["thresholds"])))
    ranked = map_data.bivariate_ranked(cached.view_regions(*where), table, view["state"], view["thresholds"])
    render.source_note(cite("education"), cite("svi"))
else:
    measure = measures[choice]
    shapes, fills, classes, texts = cached.workforce_layers(*where, choice)
    with map_column:
        render.gap_note(coverage.missing_note(table, measure.column, measure.label, shapes.ids))
        mapview.draw(shapes, fills, texts, measure.label, key="workforce_map", height=MAP_HEIGHT)
    with side:
        render.legend(classes.legend(), measure.label + " (quintiles of the regions shown)")
        render.how_to_read("darker: a higher value; click a region, or a row of the table, to choose it.")
    source = INDICATORS[choice].source if choice in INDICATORS else "rucc"
    render.source_note(cite(source), "shares recomputed from summed counts, never averaged across counties")
    ranked = tables.ranked_workforce(table, measure, vintage(source))

st.header("Regions ranked", anchor=False)
st.caption("Choose a row to select its region (as a click on the map does).")
kinds = {c: measures[c].kind for c in ranked.columns if c in measures}
shown = ranked.drop(columns=[c for c in ("region_id", "bivariate") if c in ranked])  # the class is there in words
render.region_table(
    tables.for_display(shown, kinds, labels={c: measures[c].label for c in kinds}),
    list(ranked["region_id"]),
    key="ranked_workforce",
)
render.csv_download(
    "Download the table (CSV)", ranked, f"workforce_{choice}_{view['scheme']}_{view['state']}.csv", "dl_workforce"
)
