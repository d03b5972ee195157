"""Small rendering helpers shared by the pages."""

from __future__ import annotations

import html
import re

import streamlit as st

from dashboard.report import exports
from dashboard.ui import state
from dashboard.ui.text import md


def legend(entries: list[tuple[str, str]], title: str) -> None:
    """Colour swatches with class labels; every label is escaped."""
    items = "".join(
        f'<span style="display:block;margin:2px 0"><span style="display:inline-block;width:14px;height:14px;'
        f'background:{html.escape(color)};border:1px solid #777;vertical-align:middle;margin-right:4px"></span>'
        f"{html.escape(label)}</span>"
        for color, label in entries
    )
    st.markdown(
        f'<div class="atlas-legend" style="font-size:0.85rem"><b>{html.escape(title)}</b><br>{items}</div>',
        unsafe_allow_html=True,
    )


def bivariate_legend(colors: dict[str, str], title: str, no_data: str = "#bebebe") -> None:
    """The combined view's 3 x 3 legend: low-skill share across (lower to higher), low-income share up
    (lower to higher); ``colors`` maps "a1".."c3" (low-skill a..c, low-income 1..3) to fills."""
    cell = "width:34px;height:34px;border:1px solid #777;padding:0"
    rows = []
    for i, income in enumerate("321"):
        side = (
            (
                '<td rowspan="3" style="padding:0 8px 0 0;vertical-align:middle;text-align:right;white-space:nowrap">'
                "Low-income share<br>(people below 150%<br>of poverty)<br>higher &uarr;<br>lower &darr;</td>"
            )
            if i == 0
            else ""
        )
        swatches = "".join(
            f'<td style="{cell};background:{html.escape(colors[skill + income])}"></td>' for skill in "abc"
        )
        rows.append(f"<tr>{side}{swatches}</tr>")
    rows.append(
        '<tr><td></td><td colspan="3" style="padding:4px 0 0 0;text-align:center;white-space:nowrap">'
        "lower &rarr; higher<br>Low-skill share (adults 25+,<br>high school or less)</td></tr>"
    )
    table = (
        f'<table role="img" aria-label="{html.escape(_GRID_LABEL)}" style="border-collapse:separate;border-spacing:2px;'
        f'font-size:0.85rem;margin:4px 0">{"".join(rows)}</table>'
    )
    none = (
        f'<span style="display:inline-block;width:14px;height:14px;background:{html.escape(no_data)};'
        'border:1px solid #777;vertical-align:middle;margin-right:4px"></span>no data'
    )
    st.markdown(
        f'<div style="font-size:0.85rem"><b>{html.escape(title)}</b>{table}{none}</div>', unsafe_allow_html=True
    )


_GRID_LABEL = (
    "Legend: nine colours, low-skill share across from lower to higher, low-income share up from lower to "
    "higher; the darkest colour is high on both."
)


def csv_download(label: str, frame, file_name: str, key: str) -> None:
    """A CSV download whose cells cannot run as spreadsheet formulas."""
    st.download_button(
        label, exports.to_csv_bytes(frame), file_name=safe_file_name(file_name), mime="text/csv", key=key
    )


def built_download(
    label: str, build, file_name: str, key: str, mime: str = "application/zip", inputs: object = None
) -> None:
    """A button that builds a long download (``build(progress)``, ``progress(done, total, what)``) under a
    progress bar with counts, then offers the file; the built bytes are kept for the session under ``key``
    while the file name and ``inputs`` (anything else the file depends on) stay the same."""
    if st.button(label, key=f"{key}_build"):
        bar = st.progress(0.0, text="Starting...")

        def progress(done: int, total: int, what: str) -> None:
            bar.progress(done / max(total, 1), text=f"{done} of {total}: {what}")

        st.session_state[f"{key}_built"] = (file_name, repr(inputs), build(progress))
        bar.empty()
    built = st.session_state.get(f"{key}_built")
    if built is not None and built[:2] == (file_name, repr(inputs)):
        st.download_button(
            f"Download {safe_file_name(file_name)}", built[2], file_name=safe_file_name(file_name), mime=mime, key=key
        )


def safe_file_name(name: str) -> str:
    """Only letters, digits, dot, dash and underscore: region ids of custom regions hold commas."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


def source_note(*citations: str) -> None:
    st.caption("Source: " + "; ".join(md(c) for c in citations))


def gap_note(note: str | None) -> None:
    """The note on regions without a figure or a boundary (``coverage.missing_note``), escaped, folded into one
    line (its first sentence) with the whole note on demand, so it does not push the map down; nothing if None.

    Always one element, shown or empty: the map after it keeps its place in the page whether or not a view has
    the note. A map whose place moves is a new map to the browser (its frame loaded again instead of restyled),
    and a frame loaded while the page is busy can miss the figures it waits for and stay blank.
    """
    slot = st.container()
    if note:
        with slot, st.expander(md(_first_sentence(note)), icon=":material/info:"):
            st.markdown(md(note))


def _first_sentence(text: str, limit: int = 90) -> str:
    head = re.split(r"(?<=[.:;])\s", text, maxsplit=1)[0].rstrip(".:;")
    return head if len(head) <= limit else head[: limit - 3].rsplit(" ", 1)[0] + "..."


def how_to_read(text: str) -> None:
    """One short "how to read this" line beside a map."""
    st.caption("**How to read this:** " + md(text))


def region_table(shown, region_ids, key: str, column_config: dict | None = None) -> None:
    """A ranked table of regions (``shown``, one row per id in ``region_ids``, in order) where choosing a row
    makes that region the view's region, as clicking it on the map does."""
    selected = state.view()["region"]
    # keyed by the selected region: once a row is chosen the table starts afresh, with no stale tick
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_{selected}",
        column_config=column_config,
    )
    rows = list(event.selection.rows) if event is not None else []
    if rows and 0 <= rows[0] < len(region_ids) and region_ids[rows[0]] != selected:
        state.set_later(region=region_ids[rows[0]])
