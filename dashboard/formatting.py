"""How numbers read on screen and in downloads. Missing is "n/a", never 0."""

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
