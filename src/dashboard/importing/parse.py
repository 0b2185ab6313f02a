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
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9/\-]*$")
# Amounts: a number with an optional unit, as a controller types it.
_AMOUNT_UNIT = re.compile(r"^(?P<number>.*?)\s*(?P<unit>mnkr|mkr|mdkr|tkr|kr|%)\.?$", re.IGNORECASE)
UNIT_FACTORS = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000, "mkr": 1_000_000, "mdkr": 1_000_000_000}
MAX_AMOUNT = 1e15  # kronor; larger is a typo (and breaks decimal formatting)


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
    """A key as typed, folded (`Grundskolenämnd` → grundskolenamnd); blank -> None."""
    text = parse_text(value)
    if text is None:
        return None
    folded = fold_key(text)
    if not folded:
        raise CellError("en nyckel med bokstäver eller siffror (t.ex. 575 eller gymnasieskolan)")
    return folded


def parse_bool(value: object) -> bool:
    text = (parse_text(value) or "").casefold()
    if text in ("", "nej", "n", "0", "false"):
        return False
    if text in ("ja", "j", "1", "true", "x"):
        return True
    raise CellError("ja eller nej")


def fold_key(text: str) -> str:
    """A key as the dashboard stores it: lower case, å/ä→a, ö→o, é→e, other characters outside
    a–z, 0–9, `-` and `/` folded to `-`, repeated `-` collapsed (`Grundskolenämnd` → grundskolenamnd)."""
    text = text.strip().lower()
    text = text.translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u",
                                         "á": "a", "à": "a", "æ": "a", "ø": "o"}))
    text = re.sub(r"[^a-z0-9/-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text)
    text = re.sub(r"/{2,}", "/", text)
    parts = [p.strip("-") for p in text.split("/")]
    return "/".join(p for p in parts if p)


def slug(name: str, limit: int = 60) -> str:
    """A key part made from a name: folded, without `/`, at most `limit` characters at a dash."""
    text = fold_key(name.replace("/", " "))
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0] or text[:limit]
    return text.strip("-")


def _swedish(number: float, decimals: int) -> str:
    text = f"{abs(number):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if number < 0 else "") + text


def decimals_needed(value: float, limit: int = 6) -> int:
    for d in range(limit + 1):
        if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
            return d
    return limit


def parse_amount(value: object, unit: str, decimals: int) -> float | None:
    """An amount in the workbook's unit (tkr/mnkr): a number, or a number with a unit that is
    converted when the result is exact at the workbook's decimals (`323 700 tkr` in an mnkr book
    → 323,7). `%` is not an amount; `476,018` in a book without decimals is ambiguous."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("ett belopp")
    number: float
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).translate(_MINUSES).strip()
        match = _AMOUNT_UNIT.match(text)
        given = match["unit"].lower() if match else None
        digits = match["number"] if match else text
        if given == "%":
            raise CellError(f"ett belopp i {unit}, inte en procentsats (andelar hör hemma i kolumnen Andel av budget)")
        compact = _SPACES.sub("", digits)
        if decimals == 0 and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", compact):
            raise CellError(
                f"ett entydigt belopp – «{digits.strip()}» kan vara tusental eller decimaler; skriv "
                f"{compact.replace(',', ' ')} (tusental) eller ändra Decimaler i bladet Tillfälle"
            )
        try:
            number = parse_number(digits)
        except CellError:
            raise CellError(f"ett belopp, t.ex. 476 018 eller 323 700 tkr (arbetsboken är i {unit})") from None
        if number is None:
            raise CellError(f"ett belopp, t.ex. 476 018 eller 323 700 tkr (arbetsboken är i {unit})")
        if given and UNIT_FACTORS[given] != UNIT_FACTORS[unit]:
            converted = number * UNIT_FACTORS[given] / UNIT_FACTORS[unit]
            needed = decimals_needed(converted)
            if needed > decimals:
                shown = _swedish(converted, needed)
                rounded = _swedish(round(converted, decimals), decimals)
                raise CellError(
                    f"ett belopp i {unit} med {decimals} decimal{'er' if decimals != 1 else ''}: "
                    f"«{text}» är {shown} {unit}, som kräver {needed} decimal{'er' if needed != 1 else ''} – "
                    f"skriv {rounded} eller ändra Decimaler i bladet Tillfälle"
                )
            number = round(converted, decimals)
    if abs(number) * UNIT_FACTORS[unit] >= MAX_AMOUNT:
        raise CellError(f"ett rimligt belopp (under 1 000 000 000 000 000 kr)")
    return number
