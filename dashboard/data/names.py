"""Region names that users type, upload or put in a link: one cleaning rule for all of them.

A custom region's name can come from the county picker, an uploaded CSV or a
share link, and goes back out through the link and the CSV download. Every way
in cleans it with :func:`clean_name`, so a name survives any round trip
unchanged. Markup is kept as typed: names are escaped where they are shown.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 80

#: Unicode's "Other" characters: control (Cc), format (Cf: zero-width characters, bidirectional controls,
#: the BOM), lone surrogates (Cs), private use (Co) and unassigned (Cn); none has a visible meaning.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
#: Leading apostrophes a spreadsheet (or this app's CSV export) puts before a cell that would run as a formula.
_FORMULA_GUARD = re.compile(r"^'+(?=[=+\-@])")


def clean_name(raw) -> str:
    """``raw`` as a region name: one line of visible text, at most MAX_NAME characters ("" if nothing is left).

    In order: every whitespace character (tab, line breaks, no-break and other
    spaces) becomes a space; control, zero-width, bidirectional and other format
    characters, private-use and unassigned code points are dropped; the text is
    put in Unicode NFC; runs of spaces become one and the ends are trimmed;
    apostrophes in front of ``= + - @`` are dropped (the guard the CSV export
    adds so that spreadsheets keep such a name as text); the result is cut to
    MAX_NAME characters. Cleaning a clean name changes nothing.
    """
    text = "".join(
        " " if ch.isspace() else ch
        for ch in str(raw)
        if ch.isspace() or unicodedata.category(ch) not in DROPPED_CATEGORIES
    )
    # normalised after the drop: a dropped character may have stood between a letter and its accent
    text = " ".join(unicodedata.normalize("NFC", text).split())
    text = _FORMULA_GUARD.sub("", text)
    # normalised once more, so that cleaning a clean name changes nothing wherever the cut falls
    return unicodedata.normalize("NFC", text[:MAX_NAME]).rstrip()
