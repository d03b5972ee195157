"""The Coverage page (state staff): every region x partnership sector of a state, the sector's verdict beside the
partnership recorded for it; gaps and unsupported partnerships; the statewide outcomes roll-up."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.analysis.sectors import CLASSES
from dashboard.data import catalogue
from dashboard.data.sources import cite
from dashboard.maps import data as map_data
from dashboard.registry import database, queries
from dashboard.report import partnership_coverage, partnership_outcomes
from dashboard.ui import cached, mapview, registry_view, render, state
from dashboard.ui.text import md

STATUS_COLORS = {"gap": "#d7301f", "covered": "#1a9850", "flagged": "#7b3294", "": "#e0e0e0"}
STATUS_LABELS = {"gap": "Gap", "covered": "Covered", "flagged": "Not supported by the data", "": "Not critical"}


def page() -> None:
    st.title("Coverage")
    view = state.view()
    if view["state"] == map_data.US or view["scheme"] == catalogue.CUSTOM:
        st.info(
            "Choose a state and one of its region schemes in the sidebar: coverage lists every region of one state."
        )
        st.stop()
    engine = registry_view.registry()
    if engine is None:
        st.stop()
    with database.session(engine) as s:
        cov = partnership_coverage.coverage(s, view["state"], view["scheme"], view["year"])
        outcomes = queries.state_outcomes(s, view["state"])
    scheme = catalogue.scheme(view["scheme"])
    st.markdown(
        md(
            f"{scheme.plural} of {cov.state_name} x partnership sectors, industry data {cov.year}. A gap is a sector "
            "that is an existing strength or emerging in the region, with enough employers for a launch group of "
            "champions, and no active partnership covering the whole region (A Sector Partnership Primer: an active "
            "partnership for each industry critical to the region). Flagged: a partnership in a sector the data do "
            "not support there (weak, or too few employers)."
        )
    )
    counts = cov.cells["status"].value_counts()
    cols = st.columns(3)
    cols[0].metric("Gaps", int(counts.get("gap", 0)))
    cols[1].metric("Critical sectors covered", int(counts.get("covered", 0)))
    cols[2].metric("Partnerships the data do not support", int(counts.get("flagged", 0)))
    st.altair_chart(grid_chart(cov), width="stretch")
    st.caption("Hover a cell for the verdict, jobs, location quotient and the partnerships recorded there.")
    st.dataframe(cov.wide(), hide_index=True, width="stretch")
    render.source_note(cite("industry", cov.year), "partnerships: this registry, as recorded by its users")
    st.header("Gaps", anchor=False)
    gaps = cov.gaps()
    if gaps.empty:
        st.success("No gap: every critical sector of every region has an active partnership.")
    else:
        st.dataframe(_cells_table(gaps), hide_index=True, width="stretch")
    st.header("Partnerships the data do not support there", anchor=False)
    flagged = cov.flagged()
    if flagged.empty:
        st.caption("None.")
    else:
        st.dataframe(_cells_table(flagged), hide_index=True, width="stretch")
    gap_map(cov)
    stem = f"coverage_{view['scheme']}_{view['state']}_{cov.year}"
    render.csv_download("Coverage (CSV)", cov.csv_frame(), f"{stem}.csv", "dl_coverage")
    outcomes_section(outcomes, cov.state_name, view["state"])


def gap_map(cov: partnership_coverage.Coverage) -> None:
    """One sector's coverage on the map: gaps, covered regions and unsupported partnerships in colour."""
    st.header("Map of one sector's gaps", anchor=False)
    names = dict(cov.sectors)
    industry = state.view()["industry"]
    sector = st.selectbox(
        "Sector",
        list(names),
        index=list(names).index(industry) if industry in names else 0,
        format_func=names.get,
        key="w_cov_map_sector",
    )
    cells = cov.cells[cov.cells["sector_id"] == sector]
    fills = {r.region_id: (STATUS_COLORS[r.status], 0.85) for r in cells.itertuples()}
    texts = {r.region_id: partnership_coverage.cell_text(pd.Series(r._asdict())) for r in cells.itertuples()}
    render.legend([(STATUS_COLORS[k], STATUS_LABELS[k]) for k in STATUS_COLORS], f"{names[sector]}: coverage")
    mapview.draw(cached.view_shapes(cov.scheme, cov.state, ()), fills, texts, names[sector], key="coverage_map")


def _cells_table(cells: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Region": cells["region_name"],
            "Sector": cells["sector"],
            "Verdict": cells["verdict"],
            "Employer pool": cells["pool"],
            "Establishments": cells["establishments"],
            "Jobs": cells["employment"],
            "LQ": cells["lq"],
            "Phase": cells["phase"],
            "Partnerships": cells["partnerships"],
        }
    )


def grid_chart(cov: partnership_coverage.Coverage) -> alt.Chart:
    data = cov.cells.assign(
        status_label=cov.cells["status"].map(STATUS_LABELS),
        phase_text=cov.cells["phase"].where(cov.cells["phase"] != "", "none recorded"),
        class_rank=cov.cells["class"].map({c: i for i, c in enumerate(CLASSES)}),
    )
    height = max(200, 22 * data["region_id"].nunique())
    return (
        alt.Chart(data)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("sector:N", title=None, sort=[n for _, n in cov.sectors], axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("region_name:N", title=None),
            color=alt.Color(
                "status_label:N",
                title="Coverage",
                scale=alt.Scale(domain=[STATUS_LABELS[k] for k in STATUS_COLORS], range=list(STATUS_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("region_name:N", title="Region"),
                alt.Tooltip("sector:N", title="Sector"),
                alt.Tooltip("verdict:N", title="Verdict"),
                alt.Tooltip("employment:N", title="Jobs"),
                alt.Tooltip("lq:N", title="LQ"),
                alt.Tooltip("pool:N", title="Employer pool"),
                alt.Tooltip("phase_text:N", title="Partnership phase"),
                alt.Tooltip("partnerships:N", title="Partnerships"),
                alt.Tooltip("status_label:N", title="Coverage"),
            ],
        )
        .properties(height=height)
    )


def outcomes_section(outcomes: pd.DataFrame, state_name: str, state_code: str) -> None:
    st.header(f"Outcomes reported in {state_name}, by metric and year", anchor=False)
    table = partnership_outcomes.roll_up(outcomes)
    if table.empty:
        st.info("No outcome is recorded for a partnership of this state yet (record them on the Partnerships page).")
        return
    st.altair_chart(partnership_outcomes.roll_up_chart(table), width="stretch")
    st.dataframe(
        table.rename(
            columns={
                "metric": "Metric",
                "unit": "Unit",
                "year": "Year",
                "partnerships": "Partnerships reporting",
                "total": "Total",
                "lowest": "Lowest",
                "highest": "Highest",
                "source": "Source",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Totals add counts and dollars across partnerships; rates and days are not added (their lowest and highest "
        "are given). Figures as the partnerships reported them."
    )
    render.csv_download("Outcomes by metric and year (CSV)", table, f"outcomes_{state_code}.csv", "dl_outcomes")
