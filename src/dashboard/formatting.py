"""Swedish number, amount, date and status formatting: `476 018 tkr`, `−2,2 mnkr`, `3,4 %`.

Thousands separator is a no-break space (so a number never wraps), the minus is U+2212, and
missing values are words, never 0. Converting between tkr and mnkr never shows more precision
than the report printed: a figure reported in mnkr with one decimal is shown in tkr rounded to
hundreds.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

MINUS = "\u2212"
NBSP = "\u00a0"
MISSING = "–"  # shown for "not reported"
UNIT_FACTOR = {"tkr": 1.0, "mnkr": 1000.0}  # in tkr
MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 0, signed: bool = False) -> str:
    """`476 018`, `−7,2`; `signed` writes `+` for positive values. None/NaN -> `–`."""
    if is_missing(value):
        return MISSING
    value = round_half_up(value, decimals)
    if value == 0:
        value = 0.0  # no "−0"
    if abs(value) < FAST_LIMIT and 0 <= decimals <= 6:
        # The value is already rounded to `decimals` places, so Python's own formatting gives
        # the same digits as babel's sv_SE pattern at a fraction of the cost (tens of thousands
        # of labels per chart at scale); tests/test_formatting.py compares the two.
        text = f"{abs(value):,.{decimals}f}".translate(_SV_SEPARATORS)
    else:
        text = _babel_number(abs(value), decimals)
    if value < 0:
        return MINUS + text
    if signed and value > 0:
        return "+" + text
    return text


FAST_LIMIT = 1e15  # below this every integer and cent is exact in a float
_SV_SEPARATORS = str.maketrans({",": NBSP, ".": ","})


def _babel_number(value: float, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale="sv_SE").replace("\u202f", NBSP)


_POW10 = [10.0 ** d for d in range(7)]


def round_half_up(value: float, decimals: int = 0, step: float | None = None) -> float:
    """Round like Excel and the printed reports (half away from zero), in decimal arithmetic so
    that 0,15 is 0,15 and not 0,1499999…; `step` rounds to a multiple (e.g. 0,1 mnkr).

    Where the value times 10^decimals is below 10^8 and its fraction is not within 10^-6 of a half,
    the rounding cannot go the other way in floating point, and n / 10^decimals is the float
    nearest to the decimal result: that is returned without the decimal arithmetic (~3 µs a call,
    thousands per table at full scale; tests/test_formatting.py compares the two). Near halves,
    huge and missing values take the decimal rounding."""
    if step is None and 0 <= decimals <= 6:
        v = float(value)
        scale = _POW10[decimals]
        q = abs(v) * scale
        if q < 1e8:  # False for NaN and infinity
            whole = math.floor(q)
            if abs(q - whole - 0.5) > 1e-6:
                return math.copysign(math.floor(q + 0.5), v) / scale
    d = Decimal(repr(float(value)))
    if step is not None:
        q = Decimal(repr(float(step)))
        return float((d / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q)
    return float(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def convert(value: float | None, from_unit: str, to_unit: str) -> float | None:
    if is_missing(value):
        return None
    return float(value) * UNIT_FACTOR[from_unit] / UNIT_FACTOR[to_unit]


def display_decimals(reported_unit: str, reported_decimals: int, to_unit: str) -> int:
    """Decimals to show in `to_unit` without claiming more precision than the report gave."""
    if to_unit == reported_unit:
        return reported_decimals
    return 1 if to_unit == "mnkr" else 0


def display_step(reported_unit: str, reported_decimals: int, to_unit: str) -> float:
    """The smallest step the report's precision allows in `to_unit` (e.g. 100 tkr for 0,1 mnkr)."""
    step_tkr = UNIT_FACTOR[reported_unit] * 10 ** (-reported_decimals)
    return max(step_tkr / UNIT_FACTOR[to_unit], 10 ** (-display_decimals(reported_unit, reported_decimals, to_unit)))


def amount_value(value: float | None, reported_unit: str, reported_decimals: int, to_unit: str) -> float | None:
    """The value in `to_unit`, rounded to what the report's precision supports."""
    if is_missing(value):
        return None
    # decimal arithmetic: 150 tkr is exactly 0,15 mnkr, which rounds to 0,2
    converted = Decimal(repr(float(value))) * Decimal(repr(UNIT_FACTOR[reported_unit])) / Decimal(repr(UNIT_FACTOR[to_unit]))
    step = display_step(reported_unit, reported_decimals, to_unit)
    shown = round_half_up(float(converted), step=step) if step != 1 else round_half_up(float(converted))
    return round_half_up(shown, display_decimals(reported_unit, reported_decimals, to_unit))


def amount(
    value: float | None,
    reported_unit: str = "tkr",
    reported_decimals: int = 0,
    to_unit: str | None = None,
    signed: bool = False,
    with_unit: bool = True,
) -> str:
    """`476 018 tkr`, `−2,2 mnkr`; converted without false precision. None -> `–`."""
    to_unit = to_unit or reported_unit
    shown = amount_value(value, reported_unit, reported_decimals, to_unit)
    if shown is None:
        return MISSING
    text = number(shown, display_decimals(reported_unit, reported_decimals, to_unit), signed)
    return f"{text}{NBSP}{to_unit}" if with_unit else text


def amounts(values, reported_unit: str = "tkr", reported_decimals: int = 0, to_unit: str | None = None,
            signed: bool = False, with_unit: bool = True) -> list[str]:
    """[amount(v, …) for v in values], the same texts. A whole figure in its reported unit with
    no decimals (the usual tkr column) is its own rounded value, so it skips the decimal
    arithmetic (three Decimal roundings per figure: Bildspel's "Prognosförändring" formats
    6 000 figures per round at full scale); any other value goes through `amount`."""
    to_unit = to_unit or reported_unit
    fast = to_unit == reported_unit and reported_decimals == 0
    suffix = f"{NBSP}{to_unit}" if with_unit else ""
    out = []
    for value in values:
        if fast and isinstance(value, float) and value.is_integer() and abs(value) < FAST_LIMIT:
            text = f"{abs(value):,.0f}".translate(_SV_SEPARATORS)
            if value < 0:
                text = MINUS + text
            elif signed and value > 0:
                text = "+" + text
            out.append(text + suffix)
        else:
            out.append(amount(value, reported_unit, reported_decimals, to_unit, signed, with_unit))
    return out


def amount_values(values, reported_unit: str = "tkr", reported_decimals: int = 0,
                  to_unit: str | None = None) -> list[float | None]:
    """[amount_value(v, …) for v in values], the same values; a whole figure in its reported unit
    with no decimals is already rounded (see `amounts`)."""
    to_unit = to_unit or reported_unit
    fast = to_unit == reported_unit and reported_decimals == 0
    return [value if fast and isinstance(value, float) and value.is_integer() and abs(value) < FAST_LIMIT
            else amount_value(value, reported_unit, reported_decimals, to_unit) for value in values]


def percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """`3,4 %` (value given in percent, not as a fraction)."""
    if is_missing(value):
        return MISSING
    return f"{number(value, decimals, signed)}{NBSP}%"


def indicator_value(value: float | None, unit: str | None, decimals: int | None = None) -> str:
    """An indicator value with its unit of measure: `81,7 %`, `2 527`, `244 tkr/år`."""
    if is_missing(value):
        return "I.U."
    if decimals is None:
        decimals = 0 if float(value).is_integer() and unit != "%" else 1
    text = number(value, decimals)
    if unit in ("%",):
        return f"{text}{NBSP}%"
    if unit and unit not in ("antal", "index"):
        return f"{text}{NBSP}{unit}"
    return text


def date_long(value: dt.date | None) -> str:
    """`31 augusti 2023`."""
    if value is None:
        return MISSING
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def date_short(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return MISSING
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def round_label(kind: str, period_end: dt.date) -> str:
    """`Delår 2 2023 (t.o.m. 31 augusti 2023)`."""
    return f"{kind} {period_end.year} (t.o.m. {date_long(period_end)})"


def deviation_word(value: float | None) -> str:
    """Surplus/deficit in words, so the sign never depends on colour."""
    if is_missing(value):
        return "ej rapporterad"
    if value > 0:
        return "överskott"
    if value < 0:
        return "underskott"
    return "budget i balans"
