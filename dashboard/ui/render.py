"""Small rendering helpers shared by the pages."""

from __future__ import annotations

import html
import re

import streamlit as st

from .. import exports
from .text import md


def legend(entries: list[tuple[str, str]], title: str) -> None:
    """Colour swatches with class labels; every label is escaped."""
    items = "".join(
        f'<span style="display:inline-block;margin:2px 10px 2px 0"><span style="display:inline-block;width:14px;height:14px;'
        f'background:{html.escape(color)};border:1px solid #777;vertical-align:middle;margin-right:4px"></span>'
        f"{html.escape(label)}</span>"
        for color, label in entries
    )
    st.markdown(f'<div style="font-size:0.85rem"><b>{html.escape(title)}</b><br>{items}</div>', unsafe_allow_html=True)


def csv_download(label: str, frame, file_name: str, key: str) -> None:
    """A CSV download whose cells cannot run as spreadsheet formulas."""
    st.download_button(label, exports.to_csv_bytes(frame), file_name=safe_file_name(file_name), mime="text/csv", key=key)


def safe_file_name(name: str) -> str:
    """Only letters, digits, dot, dash and underscore: region ids of custom regions hold commas."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


def source_note(*citations: str) -> None:
    st.caption("Source: " + "; ".join(md(c) for c in citations))


def gap_note(note: str | None) -> None:
    """The note on regions without a figure or a boundary (``coverage.missing_note``), escaped; nothing if None."""
    if note:
        st.info(md(note))
