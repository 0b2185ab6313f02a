"""Swedish number, amount, percent, date and deviation formatting as the user reads it.

Expected strings are written out by hand from the house rules: thousands separated by a
no-break space (U+00A0), minus U+2212, decimal comma, unit after a no-break space, `–` (U+2013)
for a value that was not reported, and conversions between tkr and mnkr that never show more
precision than the report printed. Half-way values round away from zero, the way Excel (where
the reports are made) and Swedish convention round: 2,5 -> 3, −2,5 -> −3.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from dashboard import formatting as fmt

NB = "\u00a0"  # no-break space
MINUS = "\u2212"
DASH = "\u2013"  # en dash, shown for "not reported"


def test_constants_are_the_typographic_characters():
    assert fmt.NBSP == NB
    assert fmt.MINUS == MINUS
    assert fmt.MISSING == DASH


# --- plain numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1000, 0, f"1{NB}000"),
        (476018, 0, f"476{NB}018"),
        (1234567, 0, f"1{NB}234{NB}567"),
        (476018.0, 0, f"476{NB}018"),
        (np.int64(2527), 0, f"2{NB}527"),
        (7.2, 1, "7,2"),
        (1234.5, 1, f"1{NB}234,5"),
        (0.05, 2, "0,05"),
        (3, 1, "3,0"),
    ],
)
def test_number_thousands_and_decimals(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_thousands_separator_is_no_break_space_not_other_spaces():
    text = fmt.number(476018)
    assert NB in text
    assert " " not in text and "\u202f" not in text and "," not in text


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (-7.2, 1, f"{MINUS}7,2"),
        (-476018, 0, f"{MINUS}476{NB}018"),
        (-2.2, 1, f"{MINUS}2,2"),
        (-1, 0, f"{MINUS}1"),
    ],
)
def test_negative_numbers_use_unicode_minus(value, decimals, expected):
    text = fmt.number(value, decimals)
    assert text == expected
    assert "-" not in text  # never the ASCII hyphen-minus


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (0.0, 1, "0,0"),
        (-0.0, 0, "0"),
        (-0.4, 0, "0"),  # rounds to zero: no "−0"
        (-0.04, 1, "0,0"),  # rounds to zero: no "−0,0"
        (0.04, 1, "0,0"),
    ],
)
def test_zero_has_no_sign(value, decimals, expected):
    assert fmt.number(value, decimals) == expected
    assert fmt.number(value, decimals, signed=True) == expected  # no "+0" either


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.4, 0, "0"),
        (0.6, 0, "1"),
        (1.5, 0, "2"),
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (-2.5, 0, f"{MINUS}3"),
        (476018.5, 0, f"476{NB}019"),
        (0.25, 1, "0,3"),
        (-0.25, 1, f"{MINUS}0,3"),
        (0.125, 2, "0,13"),
        (999.5, 0, f"1{NB}000"),
        (7.24, 1, "7,2"),
        (7.26, 1, "7,3"),
    ],
)
def test_rounding_half_away_from_zero(value, decimals, expected):
    """Half-way cases (exactly representable in binary) round away from zero, as Excel does."""
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (10.8, 1, "+10,8"),
        (1400, 0, f"+1{NB}400"),
        (-2.2, 1, f"{MINUS}2,2"),
        (-793, 0, f"{MINUS}793"),
    ],
)
def test_signed_numbers(value, decimals, expected):
    assert fmt.number(value, decimals, signed=True) == expected


def test_unsigned_positive_number_has_no_plus():
    assert fmt.number(10.8, 1) == "10,8"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float64("nan")])
def test_missing_number_is_a_dash_never_zero(missing):
    assert fmt.number(missing) == DASH
    assert fmt.number(missing, 1, signed=True) == DASH
    assert fmt.is_missing(missing)


@pytest.mark.parametrize("present", [0, 0.0, -0.0, 476018, -7.2])
def test_zero_and_numbers_are_not_missing(present):
    assert not fmt.is_missing(present)


# --- amounts and units ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((476018,), f"476{NB}018{NB}tkr"),
        ((476018, "tkr", 0, "tkr"), f"476{NB}018{NB}tkr"),
        ((-2.2, "mnkr", 1), f"{MINUS}2,2{NB}mnkr"),
        ((624.6, "mnkr", 1), f"624,6{NB}mnkr"),
        ((0, "tkr", 0), f"0{NB}tkr"),
        ((0.05, "mnkr", 2), f"0,05{NB}mnkr"),
    ],
)
def test_amount_in_the_reported_unit(args, expected):
    assert fmt.amount(*args) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.8, f"10{NB}800{NB}tkr"),
        (-2.2, f"{MINUS}2{NB}200{NB}tkr"),
        (624.6, f"624{NB}600{NB}tkr"),
        (0.1, f"100{NB}tkr"),
        (0.0, f"0{NB}tkr"),
        (16.4, f"16{NB}400{NB}tkr"),
    ],
)
def test_mnkr_with_one_decimal_shown_in_tkr_is_whole_hundreds(value, expected):
    """0,1 mnkr precision = 100 tkr: 10,8 mnkr is 10 800 tkr, never 10 800,000…"""
    assert fmt.amount(value, "mnkr", 1, "tkr") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (476018, f"476,0{NB}mnkr"),
        (10888, f"10,9{NB}mnkr"),
        (8300, f"8,3{NB}mnkr"),
        (317949, f"317,9{NB}mnkr"),
        (-793, f"{MINUS}0,8{NB}mnkr"),
        (1, f"0,0{NB}mnkr"),
        (-40, f"0,0{NB}mnkr"),  # rounds to zero: no "−0,0"
    ],
)
def test_tkr_shown_in_mnkr_with_one_decimal(value, expected):
    assert fmt.amount(value, "tkr", 0, "mnkr") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50, f"0,1{NB}mnkr"),  # 0,05 mnkr: exactly half of the last shown decimal
        (-50, f"{MINUS}0,1{NB}mnkr"),
        (49, f"0,0{NB}mnkr"),
        (-49, f"0,0{NB}mnkr"),
        (150, f"0,2{NB}mnkr"),  # wrong under half-even too: 0,15 -> 0,2
        (350, f"0,4{NB}mnkr"),  # wrong under half-even too: 0,35 -> 0,4
        (476050, f"476,1{NB}mnkr"),
    ],
)
def test_tkr_to_mnkr_half_way_edge(value, expected):
    """50 tkr = 0,05 mnkr is shown with one decimal; half-way rounds away from zero."""
    assert fmt.amount(value, "tkr", 0, "mnkr") == expected


def test_mnkr_with_two_decimals_keeps_its_precision_in_tkr():
    # 0,01 mnkr precision = 10 tkr steps
    assert fmt.amount(0.05, "mnkr", 2, "tkr") == f"50{NB}tkr"
    assert fmt.amount(1.23, "mnkr", 2, "tkr") == f"1{NB}230{NB}tkr"


def test_whole_mnkr_shown_in_tkr_is_whole_thousands():
    assert fmt.amount(12, "mnkr", 0, "tkr") == f"12{NB}000{NB}tkr"


def test_display_decimals_and_step():
    assert fmt.display_decimals("tkr", 0, "tkr") == 0
    assert fmt.display_decimals("mnkr", 1, "mnkr") == 1
    assert fmt.display_decimals("mnkr", 2, "mnkr") == 2
    assert fmt.display_decimals("mnkr", 1, "tkr") == 0
    assert fmt.display_decimals("tkr", 0, "mnkr") == 1
    assert fmt.display_step("mnkr", 1, "tkr") == pytest.approx(100)
    assert fmt.display_step("mnkr", 2, "tkr") == pytest.approx(10)
    assert fmt.display_step("tkr", 0, "mnkr") == pytest.approx(0.1)
    assert fmt.display_step("tkr", 0, "tkr") == pytest.approx(1)


def test_amount_value_is_the_number_shown():
    assert fmt.amount_value(476018, "tkr", 0, "mnkr") == pytest.approx(476.0)
    assert fmt.amount_value(10888, "tkr", 0, "mnkr") == pytest.approx(10.9)
    assert fmt.amount_value(10.8, "mnkr", 1, "tkr") == pytest.approx(10800)
    assert fmt.amount_value(-2.2, "mnkr", 1, "tkr") == pytest.approx(-2200)
    assert fmt.amount_value(None, "tkr", 0, "mnkr") is None
    assert fmt.amount_value(float("nan"), "mnkr", 1, "tkr") is None


def test_convert():
    assert fmt.convert(10.8, "mnkr", "tkr") == pytest.approx(10800)
    assert fmt.convert(476018, "tkr", "mnkr") == pytest.approx(476.018)
    assert fmt.convert(5, "tkr", "tkr") == 5
    assert fmt.convert(None, "tkr", "mnkr") is None
    assert fmt.convert(float("nan"), "tkr", "mnkr") is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10.8, "mnkr", 1), f"+10,8{NB}mnkr"),
        ((-2.2, "mnkr", 1), f"{MINUS}2,2{NB}mnkr"),
        ((8300, "tkr", 0), f"+8{NB}300{NB}tkr"),
        ((0, "tkr", 0), f"0{NB}tkr"),
        ((10.8, "mnkr", 1, "tkr"), f"+10{NB}800{NB}tkr"),
        ((-40, "tkr", 0, "mnkr"), f"0,0{NB}mnkr"),
    ],
)
def test_signed_amounts(args, expected):
    assert fmt.amount(*args, signed=True) == expected


def test_amount_without_unit():
    assert fmt.amount(476018, with_unit=False) == f"476{NB}018"
    assert fmt.amount(10.8, "mnkr", 1, "tkr", signed=True, with_unit=False) == f"+10{NB}800"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan])
def test_missing_amount_is_a_dash_without_unit(missing):
    assert fmt.amount(missing) == DASH
    assert fmt.amount(missing, "mnkr", 1, "tkr", signed=True) == DASH
    assert fmt.amount(missing, with_unit=False) == DASH


# --- percent and indicator values ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((3.4,), {}, f"3,4{NB}%"),
        ((75.1,), {}, f"75,1{NB}%"),
        ((100,), {}, f"100,0{NB}%"),
        ((0,), {}, f"0,0{NB}%"),
        ((-1.5,), {}, f"{MINUS}1,5{NB}%"),
        ((2.0,), {"signed": True}, f"+2,0{NB}%"),
        ((-1.5,), {"signed": True}, f"{MINUS}1,5{NB}%"),
        ((0.0,), {"signed": True}, f"0,0{NB}%"),
        ((3.456, 2), {}, f"3,46{NB}%"),
        ((42, 0), {}, f"42{NB}%"),
    ],
)
def test_percent(args, kwargs, expected):
    assert fmt.percent(*args, **kwargs) == expected


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_percent_is_a_dash(missing):
    assert fmt.percent(missing) == DASH
    assert fmt.percent(missing, signed=True) == DASH


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (81.7, "%", f"81,7{NB}%"),
        (2527, "antal", f"2{NB}527"),
        (244, "tkr/år", f"244{NB}tkr/år"),
        (12.5, "dagar", f"12,5{NB}dagar"),
        (105, "index", "105"),
        (3, None, "3"),
        (-1.2, "%", f"{MINUS}1,2{NB}%"),
    ],
)
def test_indicator_value(value, unit, expected):
    assert fmt.indicator_value(value, unit) == expected


def test_indicator_value_with_explicit_decimals():
    assert fmt.indicator_value(2.25, "%", 2) == f"2,25{NB}%"
    assert fmt.indicator_value(2527.4, "antal", 0) == f"2{NB}527"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan])
def test_missing_indicator_value_reads_iu(missing):
    assert fmt.indicator_value(missing, "%") == "I.U."
    assert fmt.indicator_value(missing, "antal") == "I.U."


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2023, 8, 31), "31 augusti 2023"),
        (dt.date(2024, 1, 1), "1 januari 2024"),
        (dt.date(2024, 2, 29), "29 februari 2024"),
        (dt.date(2024, 3, 5), "5 mars 2024"),
        (dt.date(2024, 4, 30), "30 april 2024"),
        (dt.date(2024, 5, 17), "17 maj 2024"),
        (dt.date(2024, 6, 30), "30 juni 2024"),
        (dt.date(2024, 7, 1), "1 juli 2024"),
        (dt.date(2024, 9, 30), "30 september 2024"),
        (dt.date(2024, 10, 31), "31 oktober 2024"),
        (dt.date(2024, 11, 30), "30 november 2024"),
        (dt.date(2022, 12, 31), "31 december 2022"),
    ],
)
def test_long_dates_in_swedish(date, expected):
    assert fmt.date_long(date) == expected


def test_long_date_missing():
    assert fmt.date_long(None) == DASH


def test_short_dates():
    assert fmt.date_short(dt.date(2023, 8, 31)) == "2023-08-31"
    assert fmt.date_short(dt.datetime(2024, 9, 2, 14, 5)) == "2024-09-02 14:05"
    assert fmt.date_short(None) == DASH


def test_round_label():
    assert fmt.round_label("Delår 2", dt.date(2023, 8, 31)) == "Delår 2 2023 (t.o.m. 31 augusti 2023)"
    assert fmt.round_label("Bokslut", dt.date(2022, 12, 31)) == "Bokslut 2022 (t.o.m. 31 december 2022)"


# --- deviation words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.8, "överskott"),
        (0.1, "överskott"),
        (-2.2, "underskott"),
        (-0.1, "underskott"),
        (0, "budget i balans"),
        (0.0, "budget i balans"),
        (None, "ej rapporterad"),
        (math.nan, "ej rapporterad"),
    ],
)
def test_deviation_word(value, expected):
    assert fmt.deviation_word(value) == expected


def test_fast_number_path_equals_babel_for_many_values():
    """fmt.number's fast path (Python's formatting) writes exactly what babel's sv_SE pattern
    writes, for rounded values of every size and sign the reports use."""
    import random

    from dashboard import formatting as fmt

    rnd = random.Random(7)
    values = [0.0, 0.05, 0.5, 1.5, 2.675, 999.5, 1000.0, 476018.0, 1e12 - 0.5, 123456789.125]
    values += [rnd.uniform(-1e9, 1e9) for _ in range(3000)] + [rnd.uniform(-10, 10) for _ in range(1000)]
    for v in values:
        for decimals in (0, 1, 2, 3):
            shown = fmt.round_half_up(v, decimals)
            assert fmt.number(v, decimals).replace("\u2212", "") == fmt._babel_number(abs(shown if shown else 0.0), decimals), (v, decimals)


# --- many amounts at once (fmt.amounts, Bildspel's large tables) ----------------------------


def test_amounts_write_each_figure_as_the_house_rules_say():
    values = [476018.0, -2200.0, 0.0, -0.0, 12.0, float("nan"), None, 1234.5]
    assert fmt.amounts(values, "tkr", 0, signed=True, with_unit=False) == [
        f"+476{NB}018", f"{MINUS}2{NB}200", "0", "0", "+12", DASH, DASH, f"+1{NB}235"]
    assert fmt.amounts([476018.0, -7.0], "tkr", 0) == [f"476{NB}018{NB}tkr", f"{MINUS}7{NB}tkr"]
    assert fmt.amounts([2150.0, -150.0], "tkr", 0, "mnkr") == [f"2,2{NB}mnkr", f"{MINUS}0,2{NB}mnkr"]
    assert fmt.amounts([-2.25], "mnkr", 2, signed=True) == [f"{MINUS}2,25{NB}mnkr"]


def test_amounts_are_amount_for_every_value_unit_and_sign():
    """The batch is a shortcut for whole figures only: every value, unit pair, decimals and sign
    gives what `amount` gives one by one (random figures, halves, the float edge, missing)."""
    rng = np.random.default_rng(15)
    values = list(rng.integers(-10**9, 10**9, 400).astype(float)) + list(rng.normal(0, 5000, 300))
    values += [0.5, -0.5, 2.5, -2.5, 149.5, 0.15, -0.0, 0.0, 1e15 - 1, 1e15, -1e15, 3e15, 1e16,
               float("nan"), None, 7, np.float64(12.0), np.int64(5)]
    for unit, to_unit in (("tkr", None), ("tkr", "mnkr"), ("mnkr", None), ("mnkr", "tkr")):
        for decimals in (0, 1, 2):
            for signed in (False, True):
                for with_unit in (False, True):
                    expected = [fmt.amount(v, unit, decimals, to_unit, signed, with_unit) for v in values]
                    assert fmt.amounts(values, unit, decimals, to_unit, signed, with_unit) == expected


def _decimal_half_up(value: float, decimals: int) -> float:
    """Half away from zero in decimal arithmetic on the shortest repr (the reference)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def test_round_half_up_in_floating_point_gives_the_decimal_rounding():
    """The floating-point path (away from halves, below 10^8) rounds every value as the decimal
    rounding does – halves that binary cannot hold (2,675), the sign of zero, large values –
    and infinity still goes to the decimal rounding."""
    import math
    import random

    rng = random.Random(15)
    values = [0.0, -0.0, 5.0, -5.0, 0.15, 0.25, -0.25, 2.5, -2.5, 81.7, 81.75, 476018.0, 1e15, 1e16, 1.5e16,
              1e-7, -1e-7, 123.456, 0.05, 1234567.891, 2.675, 1.005, 0.125, -0.125, 1.0000005, 99999999.5,
              9999999.95, 12345.4999999, 12345.5000001, -0.04, -0.4, float("inf"), float("-inf")]
    values += [rng.uniform(-1e6, 1e6) for _ in range(2000)]
    values += [round(rng.uniform(-1e4, 1e4), rng.randint(0, 4)) for _ in range(2000)]
    values += [rng.randint(-10**6, 10**6) / 2 for _ in range(500)]
    values += [rng.randint(-10**7, 10**7) / 10**rng.randint(0, 6) + rng.choice([0, 5e-7, -5e-7, 1e-9]) for _ in range(3000)]
    for v in values:
        for decimals in range(0, 7):
            if math.isinf(v):
                with pytest.raises(Exception):  # as before: the decimal rounding refuses infinity
                    _decimal_half_up(v, decimals)
                with pytest.raises(Exception):
                    fmt.round_half_up(v, decimals)
                continue
            got, want = fmt.round_half_up(v, decimals), _decimal_half_up(v, decimals)
            assert got == want and math.copysign(1, got) == math.copysign(1, want), (v, decimals, got, want)
