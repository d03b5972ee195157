"""Text shown through Streamlit's Markdown: escaped so user text stays text."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])")


def md(text) -> str:
    """Escape Markdown, HTML and LaTeX ($) in text rendered by st.markdown, st.warning and friends."""
    return _MARKDOWN.sub(r"\\\1", str(text))
