"""How numbers read on screen and in downloads. Missing is "n/a", never 0.

One precision rule for every table and label: shares and percentage changes to one decimal
("39.4%", "+2.1%"), ratios such as location quotients to two decimals ("1.25"), money and
counts whole ("$45,120", "1,204"). Halves round up, from the figure as the CSVs hold it (one
decimal more than shown), so a map's tooltip, a table and a CSV never disagree on a digit
(an LQ of 4.5851 and its CSV's 4.585 both read "4.59").
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NA = "n/a"


def missing(x) -> bool:
    """None, NaN and anything not a number: shown as n/a, never as 0."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def rounded(x: float, digits: int) -> float:
    """``x`` to ``digits`` decimals, halves up, from its value to one more decimal (the CSVs' precision)."""
    x = float(x)
    if not math.isfinite(x):
        return x  # "inf" and "-inf" format as themselves; callers say "at least" before they get here
    kept = Decimal(repr(round(x, digits + 1)))
    try:
        return float(kept.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than a Decimal context holds: already far past any shown precision
        return round(x, digits)


def share(x, digits: int = 1) -> str:
    """0.394 -> "39.4%"."""
    return NA if missing(x) else f"{rounded(float(x) * 100, digits):.{digits}f}%"


def money(x) -> str:
    return NA if missing(x) else f"${float(x):,.0f}"


def count(x) -> str:
    return NA if missing(x) else f"{float(x):,.0f}"


def ratio(x, digits: int = 2) -> str:
    """4.5851 and 4.585 -> "4.59"."""
    return NA if missing(x) else f"{rounded(x, digits):.{digits}f}"


def change(x, digits: int = 1) -> str:
    """Signed percentage change: 0.021 -> "+2.1%"; a change that rounds to zero has no sign ("0.0%", not "-0.0%")."""
    if missing(x):
        return NA
    text = f"{rounded(float(x) * 100, digits):+.{digits}f}%"
    return text[1:] if float(text[1:-1]) == 0 else text


def count_change(x) -> str:
    """Signed change in a count: 2262 -> "+2,262"; one that rounds to zero has no sign."""
    if missing(x):
        return NA
    text = f"{float(x):+,.0f}"
    return text[1:] if text[1:] == "0" else text


FORMATS = {
    "share": share,
    "money": money,
    "count": count,
    "ratio": ratio,
    "change": change,
    "count_change": count_change,
}


def value_or_range(value, low, high, kind: str) -> str:
    """The exact value, else the range suppression leaves ("1.10 to 1.42"), else n/a."""
    fmt = FORMATS[kind]
    if not missing(value):
        return fmt(value)
    if not missing(low) and not missing(high):
        return _span(fmt(low), fmt(high))
    return NA


#: What a range too wide to mean anything reads as (on screen, in briefs and in CSV text columns; the CSV keeps
#: the numeric low, estimate and high beside it).
NOT_KNOWN = "not known from public data"
#: Pay whose range spans more than this factor (an order of magnitude) is not known.
PAY_SPAN = 10.0
#: Growth whose range is wider than this (100 percentage points, or without an end) is not known.
GROWTH_SPAN = 1.0


def unknowable(low, high, kind: str) -> bool:
    """True where a pay (``money``) or growth (``change``) range spans orders of magnitude: the published
    figures allow anything from a token to an absurd value, so no number in it is worth showing.

    >>> unknowable(1471, 1456656, "money"), unknowable(38000, 41000, "money"), unknowable(-0.978, 34.6, "change")
    (True, False, True)
    """
    if missing(low) or kind not in ("money", "change") or (high is not None and missing(high)):
        return False
    lo = float(low)
    hi = math.inf if high is None else float(high)
    if kind == "money":
        return lo <= 0 or (math.isfinite(hi) and hi > PAY_SPAN * lo)
    return hi - lo > GROWTH_SPAN


def _span(low: str, high: str) -> str:
    """ "0.80 to 1.90"; a range whose ends read the same is that one number ("0.28", not "0.28 to 0.28")."""
    return low if low == high else f"{low} to {high}"


def is_range(text: str) -> bool:
    """Whether a figure's text is a range (an estimate inside it is worth saying), not one number."""
    return " to " in text or text.startswith("at least ")


def range_text(low, high, kind: str) -> str:
    """The range suppression leaves ("1.10 to 1.42"); "at least $41,200" where it has no upper end (None or
    infinite, as pay where the jobs may be zero); n/a without its ends.

    >>> range_text(41200, None, "money"), range_text(0.8, 1.9, "ratio"), range_text(None, 2, "count")
    ('at least $41,200', '0.80 to 1.90', 'n/a')
    """
    fmt = FORMATS[kind]
    if missing(low):
        return NA
    if unknowable(low, high, kind):
        return NOT_KNOWN
    if high is None or (not missing(high) and math.isinf(float(high))):
        return f"at least {fmt(low)}"
    return NA if missing(high) else _span(fmt(low), fmt(high))


def with_estimate(value, low, high, estimate, kind: str) -> str:
    """The published value, else the range with the labelled estimate inside it.

    >>> with_estimate(None, 0.8, 1.9, 1.2, "ratio"), with_estimate(1.4, 1.4, 1.4, 1.4, "ratio")
    ('0.80 to 1.90, estimate 1.20', '1.40')
    """
    if not missing(value):
        return FORMATS[kind](value)
    text = range_text(low, high, kind)
    if is_range(text) and not missing(estimate):
        text += f", estimate {FORMATS[kind](estimate)}"
    return text


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` with the noun in the right number: "1 county", "3 counties", "1,204 counties"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
