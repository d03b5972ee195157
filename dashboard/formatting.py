"""How numbers read on screen and in downloads. Missing is "n/a", never 0.

One precision rule for every table and label: shares and percentage changes to one decimal
("39.4%", "+2.1%"), ratios such as location quotients to two decimals ("1.25"), money and
counts whole ("$45,120", "1,204").
"""

from __future__ import annotations

import math

NA = "n/a"


def missing(x) -> bool:
    """None, NaN and anything not a number: shown as n/a, never as 0."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def share(x, digits: int = 1) -> str:
    """0.394 -> "39.4%"."""
    return NA if missing(x) else f"{float(x) * 100:.{digits}f}%"


def money(x) -> str:
    return NA if missing(x) else f"${float(x):,.0f}"


def count(x) -> str:
    return NA if missing(x) else f"{float(x):,.0f}"


def ratio(x, digits: int = 2) -> str:
    return NA if missing(x) else f"{float(x):.{digits}f}"


def change(x, digits: int = 1) -> str:
    """Signed percentage change: 0.021 -> "+2.1%"; a change that rounds to zero has no sign ("0.0%", not "-0.0%")."""
    if missing(x):
        return NA
    text = f"{float(x) * 100:+.{digits}f}%"
    return text[1:] if float(text[1:-1]) == 0 else text


def count_change(x) -> str:
    """Signed change in a count: 2262 -> "+2,262"; one that rounds to zero has no sign."""
    if missing(x):
        return NA
    text = f"{float(x):+,.0f}"
    return text[1:] if text[1:] == "0" else text


FORMATS = {"share": share, "money": money, "count": count, "ratio": ratio, "change": change, "count_change": count_change}


def value_or_range(value, low, high, kind: str) -> str:
    """The exact value, else the range suppression leaves ("1.10 to 1.42"), else n/a."""
    fmt = FORMATS[kind]
    if not missing(value):
        return fmt(value)
    if not missing(low) and not missing(high):
        return f"{fmt(low)} to {fmt(high)}"
    return NA


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` with the noun in the right number: "1 county", "3 counties", "1,204 counties"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
