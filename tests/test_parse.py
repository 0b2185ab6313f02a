"""Reading cells the way controllers paste them (docs/import-format.md, "Allmänt").

Accepted: `476 018` (space, no-break space, narrow no-break space or thin space as thousands
separator), `−7,2` / `-7,2` / `–7,2`, `3,4 %`, `83,5%`, `0,5`, a decimal point, unit suffixes,
numeric cells. Blank = not reported (None). `I.U.` and its variants = explicitly missing.
`1 800 (2 300)` = new method (old method). Rejected cells raise CellError whose Swedish message
says what was expected.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.importing.parse import (
    CellError,
    IndicatorReading,
    is_blank,
    is_missing_marker,
    parse_bool,
    parse_date,
    parse_indicator_value,
    parse_int,
    parse_key,
    parse_number,
    parse_text,
)

NUMBER_HINT = "ett tal (t.ex. 476 018 eller −7,2)"
INDICATOR_HINT = "ett tal, I.U. eller t.ex. 1 800 (2 300)"
DATE_HINT = "ett datum som ÅÅÅÅ-MM-DD"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("476 018", 476018.0),
        ("476\u00a0018", 476018.0),  # no-break space, as in a report
        ("476\u202f018", 476018.0),  # narrow no-break space
        ("476\u2009018", 476018.0),  # thin space
        ("1 234 567", 1234567.0),
        ("1400", 1400.0),  # printed without thousands separator
        ("−7,2", -7.2),  # U+2212
        ("-7,2", -7.2),  # ASCII hyphen-minus
        ("–7,2", -7.2),  # en dash, from word processors
        ("−1 800", -1800.0),
        ("3,4 %", 3.4),
        ("83,5%", 83.5),
        ("−0,5 %", -0.5),
        ("0,5", 0.5),
        ("7.2", 7.2),  # decimal point is accepted too
        ("+1 400", 1400.0),
        ("0", 0.0),
        ("  12  ", 12.0),
        ("81,7.", 81.7),  # stray full stop after a number in pasted report text
        ("476 018 tkr", 476018.0),
        ("10,8 mnkr", 10.8),
        ("10,8 MNKR", 10.8),
        ("244 tkr/år", 244.0),
        ("100 kr", 100.0),
        ("1 234 567,89", 1234567.89),
        (12, 12.0),
        (3.5, 3.5),
        (-793, -793.0),
        (0, 0.0),
    ],
)
def test_accepted_numbers(cell, expected):
    result = parse_number(cell)
    assert isinstance(result, float)
    assert result == pytest.approx(expected)


def test_zero_is_a_value_not_blank():
    assert parse_number("0") == 0.0
    assert parse_number(0) == 0.0


@pytest.mark.parametrize("cell", [None, "", "   ", "\u00a0", "\t"])
def test_blank_number_is_not_reported(cell):
    assert is_blank(cell)
    assert parse_number(cell) is None


@pytest.mark.parametrize(
    "cell",
    [
        "abc",
        "12 abc",
        "ca 500",
        "1,234.5",  # comma and point together: which is the decimal?
        "1.234,5",
        "7,2,1",
        "1.2.3",
        "--5",
        "5-",
        "%",
        "tkr",
        "−",
        "I.U.",  # missing marker is for indicator values, not amounts
        "1 800 (2 300)",
        "12:30",
        "1/2",
    ],
)
def test_rejected_numbers_say_a_number_was_expected(cell):
    with pytest.raises(CellError) as err:
        parse_number(cell)
    assert str(err.value) == NUMBER_HINT


@pytest.mark.parametrize("cell", [True, False])
def test_boolean_cell_is_not_a_number(cell):
    with pytest.raises(CellError) as err:
        parse_number(cell)
    assert "ett tal" in str(err.value)


def test_cell_error_is_a_value_error():
    assert issubclass(CellError, ValueError)


@pytest.mark.parametrize(("cell", "expected"), [("1 000", 1000), ("12", 12), (12.0, 12), (7, 7), ("−3", -3)])
def test_integers(cell, expected):
    result = parse_int(cell)
    assert result == expected
    assert isinstance(result, int)


def test_integer_blank_is_none():
    assert parse_int("") is None
    assert parse_int(None) is None


@pytest.mark.parametrize("cell", ["12,5", 2.5, "0,1"])
def test_rejected_integers(cell):
    with pytest.raises(CellError) as err:
        parse_int(cell)
    assert str(err.value) == "ett heltal"


def test_integer_with_text_says_number_expected():
    with pytest.raises(CellError) as err:
        parse_int("tolv")
    assert "ett tal" in str(err.value)


# --- indicator values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["I.U.", "I.U", "IU", "iu", "i.u.", "i.u", "I U", "I. U.", "  I.U.  ", "I.U.\u00a0", "I.\u00a0U.", "i.U."],
)
def test_iu_variants_are_explicitly_missing(cell):
    assert is_missing_marker(cell)
    reading = parse_indicator_value(cell)
    assert reading == IndicatorReading(value=None, missing=True, old_method=None)


@pytest.mark.parametrize("cell", ["", None, "   "])
def test_blank_indicator_value_is_not_reported_not_iu(cell):
    reading = parse_indicator_value(cell)
    assert reading.value is None
    assert reading.missing is False
    assert reading.old_method is None


@pytest.mark.parametrize("cell", ["IUU", "I.U.U.", "U.I.", "saknas", 0, None])
def test_not_missing_markers(cell):
    assert not is_missing_marker(cell)


@pytest.mark.parametrize(
    ("cell", "value"),
    [("81,7", 81.7), ("81,7 %", 81.7), ("2 527", 2527.0), (81.7, 81.7), (0, 0.0), ("−3,5", -3.5)],
)
def test_indicator_numbers(cell, value):
    reading = parse_indicator_value(cell)
    assert reading.value == pytest.approx(value)
    assert reading.missing is False
    assert reading.old_method is None


@pytest.mark.parametrize(
    ("cell", "new", "old"),
    [
        ("1 800 (2 300)", 1800.0, 2300.0),
        ("1 800(2 300)", 1800.0, 2300.0),
        ("  1 800 (2 300)  ", 1800.0, 2300.0),
        ("81,7 % (80,2 %)", 81.7, 80.2),
        ("−3,5 (−4,0)", -3.5, -4.0),
        ("1\u00a0800 (2\u00a0300)", 1800.0, 2300.0),
    ],
)
def test_method_change_in_parentheses(cell, new, old):
    reading = parse_indicator_value(cell)
    assert reading.value == pytest.approx(new)
    assert reading.old_method == pytest.approx(old)
    assert reading.missing is False


@pytest.mark.parametrize(
    "cell",
    ["abc", "saknas", "1 800 (abc)", "abc (2 300)", "(2 300)", "1 800 (2 300) (2 000)", "ej mätt"],
)
def test_rejected_indicator_values_name_all_accepted_forms(cell):
    with pytest.raises(CellError) as err:
        parse_indicator_value(cell)
    assert str(err.value) == INDICATOR_HINT


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-08-31", dt.date(2023, 8, 31)),
        ("  2023-08-31 ", dt.date(2023, 8, 31)),
        ("2024-02-29", dt.date(2024, 2, 29)),  # leap day
        ("2023-08-31 00:00:00", dt.date(2023, 8, 31)),  # a date cell exported with its time
        (dt.date(2023, 8, 31), dt.date(2023, 8, 31)),
        (dt.datetime(2023, 8, 31, 0, 0), dt.date(2023, 8, 31)),  # an Excel date cell
        (dt.datetime(2024, 4, 30, 13, 45), dt.date(2024, 4, 30)),
    ],
)
def test_accepted_dates(cell, expected):
    result = parse_date(cell)
    assert result == expected
    assert type(result) is dt.date  # never a datetime


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_blank_date_is_none(cell):
    assert parse_date(cell) is None


@pytest.mark.parametrize(
    "cell",
    [
        "2023-02-30",  # no such day
        "2023-02-29",  # not a leap year
        "2023-13-01",
        "2023-00-10",
        "31/08/2023",
        "31.08.2023",
        "2023-8-31",
        "20230831",
        "2023-08",
        "augusti 2023",
        "Helår 2023",
        "abc",
    ],
)
def test_rejected_dates_say_the_expected_form(cell):
    with pytest.raises(CellError) as err:
        parse_date(cell)
    assert str(err.value) == DATE_HINT


# --- keys, text, yes/no ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("575", "575"),
        (575, "575"),
        (575.0, "575"),  # a numeric Excel cell
        ("gymnasieskolan", "gymnasieskolan"),
        ("gymnasieskolan/rektorer-gy", "gymnasieskolan/rektorer-gy"),
        ("  amn ", "amn"),
        # typed keys are folded as issue 11 says: lower case, å/ä→a, ö→o, é→e, the rest → "-"
        ("Grundskolenämnd", "grundskolenamnd"),
        ("Gymnasieskolan", "gymnasieskolan"),
        ("två ord", "tva-ord"),
        ("förvaltning", "forvaltning"),
        ("Café  Ölands", "cafe-olands"),
        ("a.b_c-d/e", "a-b-c-d/e"),
        ("-start", "start"),
        ("/start", "start"),
        ("a,b", "a-b"),
        ("x -- y", "x-y"),
    ],
)
def test_accepted_keys(cell, expected):
    assert parse_key(cell) == expected


def test_blank_key_is_none():
    assert parse_key("") is None
    assert parse_key(None) is None


@pytest.mark.parametrize("cell", ["---", "//", "%&"])
def test_rejected_keys(cell):
    with pytest.raises(CellError) as err:
        parse_key(cell)
    assert str(err.value).startswith("en nyckel med bokstäver eller siffror")


def test_text():
    assert parse_text("  Skolan ") == "Skolan"
    assert parse_text(100.0) == "100"
    assert parse_text(dt.date(2023, 8, 31)) == "2023-08-31"
    assert parse_text(dt.datetime(2023, 8, 31, 10, 0)) == "2023-08-31"
    assert parse_text("") is None
    assert parse_text(None) is None


@pytest.mark.parametrize("cell", ["ja", "Ja", "JA", "j", "x", "X", "1", 1, "true"])
def test_yes(cell):
    assert parse_bool(cell) is True


@pytest.mark.parametrize("cell", ["nej", "Nej", "n", "0", 0, "", None, "false"])
def test_no(cell):
    assert parse_bool(cell) is False


@pytest.mark.parametrize("cell", ["kanske", "yes", "2"])
def test_rejected_yes_no(cell):
    with pytest.raises(CellError) as err:
        parse_bool(cell)
    assert str(err.value) == "ja eller nej"
