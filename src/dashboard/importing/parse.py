"""Reading cell values the way controllers write them: Swedish numbers, I.U., dates, keys."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
_UNIT_SUFFIX = re.compile(r"(%|mnkr|tkr/år|tkr|kr)$", re.IGNORECASE)
_MISSING = {"i.u.", "i.u", "iu", "i u", "i. u."}
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._/\-]*$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected (in Swedish)."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: object) -> float | None:
    """`476 018`, `−7,2`, `-7,2`, `3,4 %`, `83,5%` and numeric cells; blank -> None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("ett tal")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).translate(_MINUSES).strip()
    text = _UNIT_SUFFIX.sub("", text).strip()
    text = _SPACES.sub("", text)
    if text.endswith("."):  # a stray period after a number in pasted report text: "81,7."
        text = text[:-1]
    if "," in text:
        if "." in text:
            raise CellError("ett tal (t.ex. 476 018 eller −7,2)")
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise CellError("ett tal (t.ex. 476 018 eller −7,2)")
    return float(text)


def parse_int(value: object) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if number != int(number):
        raise CellError("ett heltal")
    return int(number)


@dataclass(frozen=True)
class IndicatorReading:
    value: float | None
    missing: bool
    old_method: float | None


_OLD_METHOD = re.compile(r"^(?P<new>[^()]+)\((?P<old>[^()]+)\)$")


def is_missing_marker(value: object) -> bool:
    if not isinstance(value, str):
        return False
    return _SPACES.sub(" ", value.strip()).casefold() in _MISSING


def parse_indicator_value(value: object) -> IndicatorReading:
    """A number, `I.U.` (explicitly missing) or `1 800 (2 300)` (new method, old method)."""
    if is_missing_marker(value):
        return IndicatorReading(None, True, None)
    if isinstance(value, str):
        match = _OLD_METHOD.match(value.strip())
        if match:
            try:
                return IndicatorReading(
                    parse_number(match["new"]), False, parse_number(match["old"])
                )
            except CellError:
                raise CellError("ett tal, I.U. eller t.ex. 1 800 (2 300)") from None
    try:
        number = parse_number(value)
    except CellError:
        raise CellError("ett tal, I.U. eller t.ex. 1 800 (2 300)") from None
    return IndicatorReading(number, False, None)


def parse_date(value: object) -> dt.date | None:
    """A date cell or `ÅÅÅÅ-MM-DD`; blank -> None."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) in (10, 19) else _bad_date()
    except ValueError:
        raise CellError("ett datum som ÅÅÅÅ-MM-DD") from None


def _bad_date() -> dt.date:
    raise ValueError


def parse_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def parse_key(value: object) -> str | None:
    text = parse_text(value)
    if text is None:
        return None
    if not KEY_PATTERN.match(text):
        raise CellError("en nyckel med gemener a–z, siffror och - _ / . (t.ex. 575 eller gymnasieskolan)")
    return text


def parse_bool(value: object) -> bool:
    text = (parse_text(value) or "").casefold()
    if text in ("", "nej", "n", "0", "false"):
        return False
    if text in ("ja", "j", "1", "true", "x"):
        return True
    raise CellError("ja eller nej")
