"""Text shown through Streamlit's Markdown: escaped so user text stays text.

Streamlit renders Markdown in ``st.markdown``, captions, titles, alerts, widget
labels, expander labels and ``help=`` tooltips. Backslash escapes stop Markdown,
HTML and LaTeX syntax, but some conversions run on the text after escapes are
read, so escaping alone does not stop them: GitHub-style autolinks (``http://``,
``https://``, ``www.`` and e-mail addresses), Streamlit's ``:material/icon:``,
``:streamlit:`` and emoji shortcodes, and its typographic arrows and dashes
(``->``, ``<-``, ``--``, ``>=`` ...). :func:`md` defeats those by putting an
invisible WORD JOINER (U+2060) where each needs two characters side by side:
the text looks the same and renders as typed. Region names drop that character
when they come back in (``names.clean_name``), so a copied name pastes the same.
"""

from __future__ import annotations

import re

#: Invisible, and not a line break opportunity; a format character, so no autolink pattern matches across it.
WORD_JOINER = "\u2060"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])")
# between the characters of every sequence a text-level conversion looks for:
# ':' and what follows it (://, :material/, :streamlit:, :smile:), '@' and the domain after it,
# 'www' and its dot, and the pairs Streamlit turns into arrows, dashes and comparison signs
_JOINS = re.compile(r"(?<=:)(?=\S)|(?<=@)|(?i:(?<=www)(?=\.))|(?<=[<>~-])(?=[-<>=])")


def md(text) -> str:
    """``text`` for st.markdown, st.caption, st.warning, labels and ``help=``: renders exactly as typed.

    Markdown, HTML and LaTeX ($) characters are backslash-escaped, and autolinks,
    icon and emoji shortcodes and typographic replacements are broken with an
    invisible word joiner.
    """
    return _MARKDOWN.sub(r"\\\1", _JOINS.sub(WORD_JOINER, str(text)))
