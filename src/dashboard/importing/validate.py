"""Check a whole workbook against the import format and collect every problem at once.

The result is either a clean, typed set of rows ready to load, or a list of problems that each
name the sheet, row, column, the value and what was expected. Nothing here touches the database.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import status as st
from .parse import (
    CellError,
    is_blank,
    parse_bool,
    parse_date,
    parse_indicator_value,
    parse_int,
    parse_key,
    parse_number,
    parse_text,
)
from .reader import Sheet
from .spec import SHEETS, SHEETS_BY_NAME, SheetSpec

IGNORED_SHEETS = {"instruktioner", "instruktion", "läs mig"}


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"blad {self.sheet}")
        if self.row:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        if not where:
            return self.message
        prefix = ", ".join(where)
        prefix = prefix[:1].upper() + prefix[1:]
        shown = "" if is_blank(self.value) else f" värdet «{_short(self.value)}»:"
        return f"{prefix}:{shown} {self.message}"


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class Validated:
    """Typed rows per sheet name (only sheets present in the workbook)."""

    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Set when the importer confirmed renaming the kommun (it changes every nämnd's label).
    rename_kommun: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def round(self) -> dict[str, Any]:
        return self.sheets["Tillfälle"][0]

    def row_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.sheets.items()}


_CELL_PARSERS = {
    "text": parse_text,
    "key": parse_key,
    "number": parse_number,
    "int": parse_int,
    "date": parse_date,
    "bool": parse_bool,
}


def validate(raw: dict[str, Sheet]) -> Validated:
    result = Validated()
    by_name = {name.casefold(): sheet for name, sheet in raw.items()}
    for name, sheet in raw.items():
        if name.casefold() not in SHEETS_BY_NAME and name.casefold() not in IGNORED_SHEETS:
            result.warnings.append(
                Problem(name, None, None, None, "okänt blad, det läses inte in.")
            )
    for spec in SHEETS:
        sheet = by_name.get(spec.name.casefold())
        if sheet is None:
            if spec.required:
                result.errors.append(
                    Problem(spec.name, None, None, None, "bladet saknas men är obligatoriskt.")
                )
            continue
        result.sheets[spec.name] = _validate_sheet(spec, sheet, result)
    _cross_check(result)
    if not result.errors:
        _reconcile(result)
    return result


def _validate_sheet(spec: SheetSpec, sheet: Sheet, result: Validated) -> list[dict[str, Any]]:
    columns = {c.header.casefold(): c for c in spec.columns}
    present = {h.casefold() for h in sheet.headers if h}
    for header in sheet.duplicate_headers:
        result.errors.append(Problem(spec.name, 1, header, None, "kolumnrubriken finns två gånger."))
    for column in spec.columns:
        if column.required and column.header.casefold() not in present:
            result.errors.append(
                Problem(spec.name, 1, column.header, None, "obligatorisk kolumn saknas.")
            )
    for header in sheet.headers:
        if header and header.casefold() not in columns:
            result.warnings.append(
                Problem(spec.name, 1, header, None, "okänd kolumn, den läses inte in.")
            )
    for row_no, header in sheet.formulas_without_value:
        result.errors.append(
            Problem(
                spec.name,
                row_no,
                header,
                None,
                "cellen har en formel utan sparat värde; öppna och spara filen i Excel, "
                "eller klistra in värdet.",
            )
        )
    rows: list[dict[str, Any]] = []
    for row_no, values in sheet.rows:
        parsed: dict[str, Any] = {"_row": row_no}
        cells = {h.casefold(): v for h, v in values.items()}
        for column in spec.columns:
            value = cells.get(column.header.casefold())
            try:
                parsed[column.field] = _parse_cell(column, value)
            except CellError as exc:
                result.errors.append(
                    Problem(spec.name, row_no, column.header, value, f"förväntade {exc}.")
                )
                parsed[column.field] = None
                continue
            if column.required and parsed[column.field] is None and not (
                column.kind == "ivalue" and not is_blank(value)
            ):
                if column.kind == "ivalue" and is_blank(value):
                    result.errors.append(
                        Problem(
                            spec.name,
                            row_no,
                            column.header,
                            None,
                            "värdet saknas; skriv I.U. om uppgift saknas, eller ta bort raden.",
                        )
                    )
                else:
                    result.errors.append(
                        Problem(spec.name, row_no, column.header, None, "värdet saknas men krävs.")
                    )
        rows.append(parsed)
    _check_unique(spec, rows, result)
    return rows


def _parse_cell(column, value):
    if column.kind == "enum":
        text = parse_text(value)
        if text is None:
            return None
        for choice in column.choices:
            if text.casefold() == choice.casefold() or text.replace(" ", "") == choice:
                return choice
        raise CellError("ett av: " + ", ".join(column.choices))
    if column.kind == "ivalue":
        return None if is_blank(value) else parse_indicator_value(value)
    if column.kind == "status_goal":
        text = parse_text(value)
        try:
            return (st.goal_status(text), text) if text else (None, None)
        except KeyError:
            raise CellError("en bedömning: " + st.allowed_goal_words() + " (tomt = ej angiven)") from None
    if column.kind == "status_act":
        text = parse_text(value)
        try:
            return (st.activity_status(text), text) if text else (None, None)
        except KeyError:
            raise CellError("en status: " + st.allowed_activity_words() + " (tomt = ej angiven)") from None
    return _CELL_PARSERS[column.kind](value)


def _unique_key(spec: SheetSpec, row: dict[str, Any]) -> tuple:
    defaults = {"gender": "T", "value_type": "utfall", "breakdown": "", "source_table": ""}
    return tuple(
        row.get(f) if row.get(f) is not None else defaults.get(f) for f in spec.unique
    )


def _check_unique(spec: SheetSpec, rows: list[dict[str, Any]], result: Validated) -> None:
    if not spec.unique:
        return
    seen: dict[tuple, int] = {}
    for row in rows:
        key = _unique_key(spec, row)
        if any(k is None for k in key[:1]):
            continue
        if key in seen:
            shown = ", ".join(str(k) for k in key if k not in (None, ""))
            result.errors.append(
                Problem(
                    spec.name,
                    row["_row"],
                    spec.columns[0].header,
                    shown,
                    f"dubblett – samma nyckel finns redan på rad {seen[key]}.",
                )
            )
        else:
            seen[key] = row["_row"]


_KOMMUN = re.compile(r"^\d{4}$")
_NAMND = re.compile(r"^[A-Za-zÅÄÖåäö0-9_-]{1,20}$")


def _cross_check(result: Validated) -> None:
    errors = result.errors
    if "Tillfälle" not in result.sheets or "Organisation" not in result.sheets:
        return
    rounds = result.sheets["Tillfälle"]
    if len(rounds) != 1:
        errors.append(
            Problem("Tillfälle", None, None, None, f"ska ha exakt en rad, har {len(rounds)}.")
        )
        rounds = rounds[:1] or [{"_row": 2, "kommun_code": None, "namnd_code": None,
                                 "period_end": None, "kind": None, "decimals": 0,
                                 "amount_unit": None, "status": None}]
    rnd = rounds[0]
    row = rnd["_row"]
    if not isinstance(rnd.get("decimals"), int | type(None)):
        rnd["decimals"] = None
    if rnd["kommun_code"] and not _KOMMUN.match(rnd["kommun_code"]):
        errors.append(
            Problem("Tillfälle", row, "Kommunkod", rnd["kommun_code"],
                    "förväntade kommunkod med fyra siffror, t.ex. 0580.")
        )
    if rnd["namnd_code"] and not _NAMND.match(rnd["namnd_code"]):
        errors.append(
            Problem("Tillfälle", row, "Nämndkod", rnd["namnd_code"],
                    "förväntade en kort kod utan blanksteg, t.ex. AMN.")
        )
    end = rnd["period_end"]
    if end is not None:
        last_day = calendar.monthrange(end.year, end.month)[1]
        if end.day != last_day:
            errors.append(
                Problem("Tillfälle", row, "Periodslut", end.isoformat(),
                        "förväntade sista dagen i en månad.")
            )
        if rnd["kind"] == "Bokslut" and (end.month, end.day) != (12, 31):
            errors.append(
                Problem("Tillfälle", row, "Periodslut", end.isoformat(),
                        "ett bokslut ska ha periodslut 31 december.")
            )
    if rnd["decimals"] is not None and not 0 <= rnd["decimals"] <= 3:
        errors.append(
            Problem("Tillfälle", row, "Decimaler", rnd["decimals"], "förväntade 0–3.")
        )
    if rnd["decimals"] is None:
        rnd["decimals"] = 1 if rnd["amount_unit"] == "mnkr" else 0
    rnd["status"] = rnd["status"] or "fastställd"

    org = result.sheets.get("Organisation", [])
    units = {u["key"]: u for u in org if u["key"]}
    roots = [u for u in org if u["level"] == "nämnd"]
    if len(roots) != 1:
        errors.append(
            Problem("Organisation", None, "Nivå", None,
                    f"exakt en rad ska ha nivå nämnd (roten), hittade {len(roots)}.")
        )
    for u in org:
        if u["level"] == "nämnd":
            if u["parent"]:
                errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                      "nämnden (roten) kan inte ha en överordnad."))
        elif not u["parent"]:
            errors.append(Problem("Organisation", u["_row"], "Överordnad", None,
                                  "överordnad enhet saknas (krävs för alla utom nämnden)."))
        elif u["parent"] not in units:
            errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                  "okänd överordnad enhet – finns inte i kolumnen Enhet."))
    for u in org:  # cycles
        seen, node = set(), u
        while node and node["parent"] and node["key"] not in seen:
            seen.add(node["key"])
            node = units.get(node["parent"])
        if node and node["key"] in seen and node["parent"]:
            errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                  "organisationen går i cirkel."))
            break

    def check_ref(sheet: str, column: str, field_: str, known: set, what: str) -> None:
        for r in result.sheets.get(sheet, []):
            if r.get(field_) and r[field_] not in known:
                errors.append(Problem(sheet, r["_row"], column, r[field_],
                                      f"okänd {what} – finns inte i bladet "
                                      f"{'Organisation' if what == 'enhet' else _SOURCE[what]}."))

    if rnd.get("forvaltning_key") and (rnd["forvaltning_key"] not in units
                                       or units[rnd["forvaltning_key"]]["level"] != "förvaltning"):
        errors.append(Problem("Tillfälle", row, "Förvaltning", rnd["forvaltning_key"],
                              "okänd förvaltning – ange en enhet med nivå förvaltning i bladet Organisation."))
    unit_keys = set(units)
    for sheet in ("Ekonomi", "Kommentarer", "Händelser", "Mål", "Aktiviteter", "Indikatorer",
                  "Indikatorvärden", "Målvärden", "Risker", "Kontrollmoment"):
        check_ref(sheet, "Enhet", "unit", unit_keys, "enhet")
    goals = {g["key"] for g in result.sheets.get("Mål", [])}
    check_ref("Mål", "Överordnad", "parent", goals, "mål")
    goal_parent = {g["key"]: g["parent"] for g in result.sheets.get("Mål", []) if g["key"]}
    for g in result.sheets.get("Mål", []):
        seen, key = set(), g["key"]
        while key in goal_parent and goal_parent[key] and key not in seen:
            seen.add(key)
            key = goal_parent[key]
        if key in seen:
            errors.append(Problem("Mål", g["_row"], "Överordnad", g["parent"], "målhierarkin går i cirkel."))
            break
    check_ref("Aktiviteter", "Mål", "goal", goals, "mål")
    check_ref("Indikatorer", "Mål", "goal", goals, "mål")
    indicators = {i["key"] for i in result.sheets.get("Indikatorer", [])}
    check_ref("Indikatorvärden", "Indikator", "indicator", indicators, "indikator")
    check_ref("Målvärden", "Indikator", "indicator", indicators, "indikator")
    risks = {r["key"] for r in result.sheets.get("Risker", [])}
    check_ref("Kontrollmoment", "Risk", "risk", risks, "risk")

    for r in result.sheets.get("Risker", []):
        for col, f in (("Sannolikhet", "probability"), ("Konsekvens", "consequence")):
            if r[f] is not None and not 1 <= r[f] <= 5:
                errors.append(Problem("Risker", r["_row"], col, r[f], "förväntade ett heltal 1–5."))
        p, c, v = r["probability"], r["consequence"], r["risk_value"]
        if v is not None and p is not None and c is not None and v != p * c:
            errors.append(Problem("Risker", r["_row"], "Riskvärde", v,
                                  f"riskvärdet ska vara sannolikhet × konsekvens = {p} × {c} = {p * c}."))
    for r in result.sheets.get("Målvärden", []):
        if r["target_value"] is None and not r["target_text"]:
            errors.append(Problem("Målvärden", r["_row"], "Målvärde", None,
                                  "ange ett målvärde eller en måltext."))
    for r in result.sheets.get("Indikatorvärden", []):
        reading = r["value"]
        if reading is not None and r["old_method_value"] is not None and reading.old_method is not None:
            errors.append(Problem("Indikatorvärden", r["_row"], "Gammal metod", r["old_method_value"],
                                  "värdet enligt gammal metod står redan inom parentes i kolumnen Värde."))


_SOURCE = {"mål": "Mål", "indikator": "Indikatorer", "risk": "Risker"}


def _reconcile(result: Validated) -> None:
    """Warn where a printed total differs from its rows by more than the printed rounding."""
    units = {u["key"]: u for u in result.sheets["Organisation"]}
    economy = {r["unit"]: r for r in result.sheets.get("Ekonomi", [])}
    children: dict[str, list[str]] = defaultdict(list)
    for key, u in units.items():
        if u["parent"]:
            children[u["parent"]].append(key)
    decimals = result.round["decimals"]
    step = 10 ** (-decimals)
    fields = {
        "budget_year": "Budget helår",
        "budget_period": "Periodbudget",
        "actual_period": "Utfall period",
        "deviation_period": "Periodavvikelse",
        "forecast_net": "Prognos helår",
        "forecast_deviation": "Prognosavvikelse",
    }

    def reported_below(key: str, f: str) -> list[float]:
        values = []
        for child in children.get(key, []):
            row = economy.get(child)
            if row is not None and row.get(f) is not None:
                values.append(row[f])
            else:
                values.extend(reported_below(child, f))
        return values

    for key, row in economy.items():
        for f, header in fields.items():
            if row.get(f) is None:
                continue
            parts = reported_below(key, f)
            if not parts:
                continue
            total = sum(parts)
            tolerance = step * (0.5 * len(parts) + 0.5) + 1e-9
            if abs(total - row[f]) > tolerance:
                result.warnings.append(
                    Problem("Ekonomi", row["_row"], header, row[f],
                            f"summan av raderna under {key} är {total:.{decimals}f}; "
                            "skillnaden är större än avrundning (sparas som rapporten skriver).")
                )
