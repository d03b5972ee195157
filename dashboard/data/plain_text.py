r"""Text from outside (a server's reason phrase, a file's cell, a lock holder) made inert for a terminal.

Control characters (escape sequences that move the cursor, erase a line or
colour it, carriage returns that overwrite it, bidirectional overrides that
reorder it) are shown as their escapes (``\x1b``), never passed on; long
text is cut, so a server cannot fill the screen.
"""

from __future__ import annotations

import unicodedata

#: Most characters of outside text shown in one message.
LIMIT = 300


def inert(text: object, limit: int = LIMIT) -> str:
    r"""``text`` with every control, format and line/paragraph separator character escaped, cut at ``limit``.

    Examples
    --------
    >>> inert("OK\x1b[2K\r\x1b[32minstalled")
    'OK\\x1b[2K\\r\\x1b[32minstalled'
    """
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 3] + "..."
