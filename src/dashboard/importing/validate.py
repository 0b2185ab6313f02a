"""Check a whole workbook against the import format and collect every problem at once.

The result is either a clean, typed set of rows ready to load, or a list of problems that each
name the sheet, row, column, the value and what was expected. Nothing here touches the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import status as st
from .parse import (
    CellError,
    decimals_needed,
    fold_key,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_indicator_value,
    parse_int,
    parse_key,
    parse_number,
    parse_text,
    slug,
)
from ..textsafe import unprintable
from .reader import Sheet
from .spec import (
    IGNORED_SHEETS,
    KOMMUN_CODE,
    KOMMUN_LABEL,
    SHEETS,
    SHEETS_BY_EXACT_NAME,
    SHEETS_BY_NAME,
    Column,
    SheetSpec,
)


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


def _swedish(value: float, decimals: int) -> str:
    """A computed number in Swedish format: 1 105,0 and −0,8 (not 1105.0, -0.8)."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if value < -0.5 * 10 ** -decimals else "") + text


def _short(value: object) -> str:
    """A cell value as the user typed it; a number in Swedish format (999, not 999.0)."""
    if isinstance(value, float) and math.isfinite(value):
        decimals = decimals_needed(value)
        text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
        text = ("−" if value < 0 else "") + text
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()[:10]
    else:
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
    # Keys the import made or matched for the user ("… får nyckeln gymnasieskolan/…").
    key_notes: list[str] = field(default_factory=list)

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
    "ref": parse_text,
    "number": parse_number,
    "int": parse_int,
    "date": parse_date,
    "bool": parse_bool,
}
MAX_TREE_DEPTH = 12  # levels below the root; deeper is a broken Överordnad chain, not a real organisation


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _suggest(name: str, candidates) -> str:
    found = difflib.get_close_matches(name.casefold().strip(), [c.casefold() for c in candidates], n=1, cutoff=0.6)
    if not found:
        return ""
    original = next(c for c in candidates if c.casefold() == found[0])
    return f" – menade du «{original}»?"


def _sentence_end(suggestion: str) -> str:
    """A suggestion ends its sentence with "?", no suggestion with "." (never "?.")."""
    return suggestion or "."


def _map_sheets(raw: dict[str, Sheet], result: Validated) -> dict[str, Sheet]:
    """Spec name -> sheet. Unknown names, near-misses and two sheets for one name are errors
    (a misspelt sheet would otherwise silently empty a section of an adopted round)."""
    mapped: dict[str, Sheet] = {}
    by_spec: dict[str, list[str]] = defaultdict(list)
    spec_names = [spec.name for spec in SHEETS]
    ignored = {n.casefold() for n in IGNORED_SHEETS}
    for name, sheet in raw.items():
        if name.startswith("_") or name.strip().casefold() in ignored:
            continue
        spec = SHEETS_BY_EXACT_NAME.get(name)
        if spec is None:
            near = SHEETS_BY_NAME.get(name.strip().casefold())
            if near is not None:
                result.errors.append(Problem(name, None, None, None,
                    f"bladnamnet skiljer sig från «{near.name}» bara i stora/små bokstäver eller blanksteg; "
                    f"döp om bladet till «{near.name}» (exakt så)."))
                by_spec[near.name].append(name)
                continue
            result.errors.append(Problem(name, None, None, None,
                f"okänt blad{_sentence_end(_suggest(name, spec_names))} Bladen som läses är: {', '.join(spec_names)}. "
                "Egna anteckningar kan ligga i blad vars namn börjar med _ (t.ex. _Anteckningar)."))
            continue
        by_spec[spec.name].append(name)
        mapped[spec.name] = sheet
    for spec_name, names in by_spec.items():
        if len(names) > 1:
            shown = ", ".join(f"«{n}»" for n in names)
            result.errors.append(Problem(spec_name, None, None, None,
                f"arbetsboken har flera blad för {spec_name} ({shown}); behåll ett av dem."))
    return mapped


def _header_map(spec: SheetSpec, sheet: Sheet, kind: str | None, result: Validated) -> dict[str, Column]:
    """Header as written -> the column it means: the header itself, or an alias for this kind of
    round. A header that could mean two columns, or that is unknown, is an error."""
    exact = {c.header.casefold(): c for c in spec.columns}
    aliases: dict[str, Column] = {}
    for c in spec.columns:
        for alias, kinds in c.aliases:
            if kinds is None or kind is None or kind in kinds:
                aliases.setdefault(alias.casefold(), c)
    ambiguous = {h.casefold(): question for h, question in spec.ambiguous}
    mapping: dict[str, Column] = {}
    used: dict[str, str] = {}
    for header in sheet.headers:
        if not header:
            continue
        key = " ".join(header.split()).casefold()
        column = exact.get(key) or aliases.get(key)
        if column is None:
            forecast = _forecast_alias(spec, key, kind)
            if forecast is not None:  # e.g. "Helårsprognos" in a Bokslut workbook
                result.errors.append(Problem(spec.name, 1, header, None, _outcome_only_message(spec, forecast)))
                continue
            if key in ambiguous:
                result.errors.append(Problem(spec.name, 1, header, None,
                    f"rubriken är tvetydig: {ambiguous[key]} Byt rubrik till det du menar."))
            else:
                known = [c.header for c in spec.columns]
                result.errors.append(Problem(spec.name, 1, header, None,
                    f"okänd kolumn{_sentence_end(_suggest(header, known + [a for c in spec.columns for a, _ in c.aliases]))} "
                    f"Kolumnerna i {spec.name} är: {', '.join(known)}."))
            continue
        if column.field in used:
            result.errors.append(Problem(spec.name, 1, header, None,
                f"kolumnen «{used[column.field]}» betyder redan {column.header}; ta bort den ena."))
            continue
        used[column.field] = header
        mapping[header] = column
    for header in sheet.duplicate_headers:
        result.errors.append(Problem(spec.name, 1, header, None, "kolumnrubriken finns två gånger."))
    present = {c.field for c in mapping.values()}
    for column in spec.columns:
        if column.required and column.field not in present:
            result.errors.append(Problem(spec.name, 1, column.header, None, "obligatorisk kolumn saknas."))
    return mapping


# --- a Bokslut is the year's outcome (issue 12) ------------------------------------------------

_OUTCOME_HEADERS = {  # sheet -> where a Bokslut's figures go instead
    "Ekonomi": "årets utfall i «Utfall period» (eller «Utfall helår») och resultatet mot budget i "
               "«Periodavvikelse» (eller «Resultat mot budget»)",
    "Resultaträkning": "årets utfall i «Utfall period» (eller «Utfall helår»)",
    "Investeringar": "årets utfall i «Redovisat» (eller «Utfall helår») och avvikelsen mot budget i «Avvikelse»",
}


def _forecast_alias(spec: SheetSpec, key: str, kind: str | None) -> Column | None:
    """The forecast column a header means in a forecast round, when the workbook is a Bokslut."""
    if kind != "Bokslut":
        return None
    return next((c for c in spec.columns if c.forecast_only
                 for alias, kinds in c.aliases if alias.casefold() == key), None)


def _outcome_only_message(spec: SheetSpec, column: Column, filled: int | None = None) -> str:
    where = _OUTCOME_HEADERS.get(spec.name, "årets utfall")
    count = "" if not filled else (" (1 rad har ett värde)" if filled == 1 else f" ({filled} rader har värden)")
    return (f"ett bokslut redovisar årets utfall, inte en prognos: kolumnen {column.header} hör till Delår 1, "
            f"Delår 2 och Månad{count}. Skriv {where}, eller ta bort kolumnen.")


def _outcome_only(result: Validated, kind: str | None) -> None:
    """A forecast figure in a Bokslut workbook is an error that says so (an empty forecast column,
    as in a workbook made from the template, is left alone: it carries nothing)."""
    if kind != "Bokslut":
        return
    for spec in SHEETS:
        rows = result.sheets.get(spec.name) or []
        for column in spec.columns:
            if not column.forecast_only:
                continue
            filled = [r for r in rows if r.get(column.field) is not None]
            if filled:
                result.errors.append(Problem(spec.name, filled[0]["_row"], column.header, None,
                                             _outcome_only_message(spec, column, len(filled))))


def validate(raw: dict[str, Sheet]) -> Validated:
    result = Validated()
    sheets = _map_sheets(raw, result)
    if "Tillfälle" not in sheets:
        result.errors.append(Problem("Tillfälle", None, None, None, "bladet saknas men är obligatoriskt."))
    if "Organisation" not in sheets:
        result.errors.append(Problem("Organisation", None, None, None,
            "bladet saknas. Lägg till nämndens organisation, eller läs in filen mot databasen: då "
            "används organisationen i nämndens senaste fastställda tillfälle."))
    # The round first: its kind decides which aliases apply, its unit how amounts are read.
    rnd_spec = SHEETS_BY_EXACT_NAME["Tillfälle"]
    if "Tillfälle" in sheets:
        result.sheets["Tillfälle"] = _validate_sheet(rnd_spec, sheets["Tillfälle"], result, None)
    first = (result.sheets.get("Tillfälle") or [{}])[0]
    kind = first.get("kind")
    amount = (first.get("amount_unit") or "tkr",
              first.get("decimals") if isinstance(first.get("decimals"), int) and 0 <= first["decimals"] <= 3
              else (1 if first.get("amount_unit") == "mnkr" else 0))
    for spec in SHEETS:
        if spec.name == "Tillfälle" or spec.name not in sheets:
            continue
        result.sheets[spec.name] = _validate_sheet(spec, sheets[spec.name], result, kind, amount)
    _outcome_only(result, kind)
    _derive_keys(result)
    _resolve_references(result)
    _cross_check(result)
    if not result.errors:
        _reconcile(result)
    return result


def _validate_sheet(spec: SheetSpec, sheet: Sheet, result: Validated, kind: str | None,
                    amount: tuple[str, int] = ("tkr", 0)) -> list[dict[str, Any]]:
    mapping = _header_map(spec, sheet, kind, result)
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
        parsed: dict[str, Any] = {"_row": row_no, "_given": {}}
        cells = {mapping[h].field: v for h, v in values.items() if h in mapping}
        headers = {c.field: h for h, c in mapping.items()}
        for column in spec.columns:
            value = cells.get(column.field)
            header = headers.get(column.field, column.header)
            control = unprintable(value)
            if control:
                result.errors.append(Problem(spec.name, row_no, header, value,
                    f"texten innehåller ett styrtecken ({control}) som inte kan visas eller skrivas ut; "
                    "ta bort det (det följer ofta med när text klistras in från ett annat system)."))
                parsed[column.field] = None
                continue
            try:
                parsed[column.field] = _parse_cell(column, value, amount)
            except CellError as exc:
                result.errors.append(
                    Problem(spec.name, row_no, header, value, f"förväntade {exc}.")
                )
                parsed[column.field] = None
                continue
            if column.kind in ("key", "ref") and parsed[column.field] is not None:
                parsed["_given"][column.field] = parse_text(value)
            text = parsed[column.field]
            if column.max_length and isinstance(text, str) and len(text) > column.max_length:
                result.errors.append(Problem(spec.name, row_no, header, value,
                    f"texten har {len(text)} tecken; högst {column.max_length} ryms. Korta den."))
            if column.required and parsed[column.field] is None and not (
                column.kind == "ivalue" and not is_blank(value)
            ):
                if column.kind == "ivalue" and is_blank(value):
                    result.errors.append(
                        Problem(
                            spec.name,
                            row_no,
                            header,
                            None,
                            "värdet saknas; skriv I.U. om uppgift saknas, eller ta bort raden.",
                        )
                    )
                else:
                    result.errors.append(
                        Problem(spec.name, row_no, header, None, "värdet saknas men krävs.")
                    )
        rows.append(parsed)
    return rows


def _parse_cell(column, value, amount: tuple[str, int] = ("tkr", 0)):
    if column.kind == "amount":
        return parse_amount(value, *amount)
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


# --- keys: derived where left empty, references by key, code or name -------------------------

_KEYED = {"Organisation": "enhet", "Mål": "mål", "Aktiviteter": "aktivitet", "Indikatorer": "indikator",
          "Risker": "risk", "Kontrollmoment": "kontrollmoment"}


def _derive_keys(result: Validated) -> None:
    """Fill empty keys: a unit's code, else its parent's key + `/` + a slug of its name (Luleå has
    three «Gemensamma resurser»); other sheets: a slug of the name. Two rows with one key is an
    error that names both."""
    org = result.sheets.get("Organisation", [])
    by_given: dict[str, dict] = {}
    for u in org:
        if u.get("key"):
            by_given.setdefault(u["key"], u)
    # Parents are referenced by key, code or name; resolve them to rows first (keys may be derived).
    lookup = _Lookup(org, "Organisation", with_code=True)
    for u in org:
        u["_parent_row"] = None
        if u.get("parent"):
            target = lookup.find(u["parent"])
            if isinstance(target, dict):
                u["_parent_row"] = target

    def key_of(u: dict, seen: set[int]) -> str | None:
        if u.get("key"):
            return u["key"]
        if id(u) in seen:
            return None
        seen.add(id(u))
        if u.get("code"):
            u["key"], u["_key_note"] = fold_key(u["code"]), "av koden"
            return u["key"]
        if not u.get("name"):
            return None
        parent = u.get("_parent_row")
        # Below the root and the förvaltningar names are not unique (Luleå has three «Gemensamma
        # resurser»): there the key carries the parent's key.
        prefixed = parent is not None and parent.get("level") not in ("nämnd", "kommun", "förvaltning")
        parent_key = key_of(parent, seen) if prefixed else None
        base = slug(u["name"])
        u["key"] = f"{parent_key}/{base}" if parent_key else base
        u["_key_note"] = "av namnet" + (" under den överordnade" if parent_key else "")
        return u["key"]

    for u in org:
        key_of(u, set())
    for name in ("Mål", "Aktiviteter", "Indikatorer", "Risker", "Kontrollmoment"):
        for r in result.sheets.get(name, []):
            if not r.get("key") and r.get("name"):
                r["key"], r["_key_note"] = slug(r["name"]), "av namnet"
    for name in _KEYED:
        seen: dict[str, dict] = {}
        for r in result.sheets.get(name, []):
            key = r.get("key")
            if not key:
                continue
            if key in seen:
                other = seen[key]
                result.errors.append(Problem(name, r["_row"], SHEETS_BY_EXACT_NAME[name].columns[0].header, key,
                    f"samma nyckel som rad {other['_row']} ({_quoted(other.get('name'))} och "
                    f"{_quoted(r.get('name'))}); skriv en egen nyckel för den ena i kolumnen "
                    f"{SHEETS_BY_EXACT_NAME[name].columns[0].header}."))
            else:
                seen[key] = r
        for r in result.sheets.get(name, []):
            if r.get("_key_note"):
                result.key_notes.append(f"{name} rad {r['_row']}: {_quoted(r.get('name'))} får nyckeln "
                                        f"{r['key']} ({r['_key_note']}).")


def _quoted(text) -> str:
    return f"«{text}»" if text else "(namn saknas)"


class _Lookup:
    """Finds a row of a sheet by key, code (Organisation) or name, as a controller would refer to it."""

    def __init__(self, rows: list[dict], sheet: str, with_code: bool = False) -> None:
        self.sheet = sheet
        self.by_key = {r["key"]: r for r in rows if r.get("key")}
        self.by_code: dict[str, list[dict]] = defaultdict(list)
        self.by_name: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            if with_code and r.get("code"):
                self.by_code[fold_key(str(r["code"]))].append(r)
            if r.get("name"):
                self.by_name[" ".join(str(r["name"]).split()).casefold()].append(r)

    def find(self, text: str):
        """The row, or a list of candidates when the name is ambiguous, or None."""
        folded = fold_key(text)
        if folded in self.by_key:
            return self.by_key[folded]
        if len(self.by_code.get(folded, [])) == 1:
            return self.by_code[folded][0]
        named = self.by_name.get(" ".join(text.split()).casefold(), [])
        if len(named) == 1:
            return named[0]
        return named or None


_REF_COLUMNS = (  # sheet, field, target sheet, what
    ("Organisation", "parent", "Organisation", "överordnad enhet"),
    ("Tillfälle", "forvaltning_key", "Organisation", "förvaltning"),
    ("Ekonomi", "unit", "Organisation", "enhet"),
    ("Kommentarer", "unit", "Organisation", "enhet"),
    ("Händelser", "unit", "Organisation", "enhet"),
    ("Mål", "unit", "Organisation", "enhet"),
    ("Mål", "parent", "Mål", "överordnat mål"),
    ("Aktiviteter", "unit", "Organisation", "enhet"),
    ("Aktiviteter", "goal", "Mål", "mål"),
    ("Indikatorer", "unit", "Organisation", "enhet"),
    ("Indikatorer", "goal", "Mål", "mål"),
    ("Indikatorvärden", "unit", "Organisation", "enhet"),
    ("Indikatorvärden", "indicator", "Indikatorer", "indikator"),
    ("Målvärden", "unit", "Organisation", "enhet"),
    ("Målvärden", "indicator", "Indikatorer", "indikator"),
    ("Risker", "unit", "Organisation", "enhet"),
    ("Kontrollmoment", "unit", "Organisation", "enhet"),
    ("Kontrollmoment", "risk", "Risker", "risk"),
)


def _resolve_references(result: Validated) -> None:
    """Every reference column ends up holding the key of the row it means."""
    lookups = {name: _Lookup(result.sheets.get(name, []), name, with_code=name == "Organisation")
               for name in ("Organisation", "Mål", "Indikatorer", "Risker")}
    for sheet, field_, target, what in _REF_COLUMNS:
        spec = SHEETS_BY_EXACT_NAME[sheet]
        header = next(c.header for c in spec.columns if c.field == field_)
        for r in result.sheets.get(sheet, []):
            text = r.get(field_)
            if not text:
                continue
            found = lookups[target].find(text)
            if isinstance(found, dict):
                r[field_] = found["key"]
                continue
            r[field_] = None
            if target not in result.sheets:
                if target == "Organisation":
                    r[field_] = fold_key(text)  # checked against the stored organisation later
                    continue
                result.errors.append(Problem(sheet, r["_row"], header, text,
                    f"{_unknown(what)} – bladet {target} saknas i arbetsboken."))
                continue
            if isinstance(found, list):
                keys = ", ".join(c["key"] for c in found if c.get("key"))
                result.errors.append(Problem(sheet, r["_row"], header, text,
                    f"flera rader i {target} heter så ({keys}); ange nyckeln i stället för namnet."))
                continue
            names = list(lookups[target].by_key) + [str(x.get("name")) for x in result.sheets.get(target, []) if x.get("name")]
            result.errors.append(Problem(sheet, r["_row"], header, text,
                f"{_unknown(what)} – finns inte i bladet {target} som nyckel, kod eller namn{_suggest(text, names)}"))


def _unknown(what: str) -> str:
    return ("okänt " if what.endswith("mål") else "okänd ") + what


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
    if rnd["namnd_code"]:
        rnd["namnd_code"] = rnd["namnd_code"].upper()  # the address and the lookups use upper case
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

    kommun_level = (rnd.get("namnd_code") or "").upper() == KOMMUN_CODE
    if kommun_level:
        rnd["namnd_code"] = KOMMUN_CODE
        rnd["namnd_name"] = KOMMUN_LABEL  # shown as "Exempelstad – Kommunen totalt", never the kommun twice
    root_level = "kommun" if kommun_level else "nämnd"
    org = result.sheets.get("Organisation", [])
    units = {u["key"]: u for u in org if u["key"]}
    roots = [u for u in org if u["level"] == root_level]
    if len(roots) != 1:
        what = ("exakt en rad ska ha nivå kommun (kommunens resultat, roten) när Nämndkod är KOMMUN"
                if kommun_level else "exakt en rad ska ha nivå nämnd (roten)")
        errors.append(Problem("Organisation", None, "Nivå", None, f"{what}, hittade {len(roots)}."))
    for u in org:
        if kommun_level and u["level"] == "nämnd" and not u.get("code"):
            errors.append(Problem("Organisation", u["_row"], "Kod", None,
                                  "en nämnd i kommunens uppföljning ska ha nämndens kod i kolumnen Kod (t.ex. AMN)."))
        if not kommun_level and u["level"] in ("kommun", "post"):
            errors.append(Problem("Organisation", u["_row"], "Nivå", u["level"],
                                  "nivåerna kommun och post används bara när Nämndkod är KOMMUN (kommunen totalt)."))
        if u["level"] == root_level:
            if u["parent"]:
                errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                      "roten kan inte ha en överordnad."))
        elif not u["parent"] and not u["_given"].get("parent"):
            errors.append(Problem("Organisation", u["_row"], "Överordnad", None,
                                  f"överordnad enhet saknas (krävs för alla utom roten, nivå {root_level})."))
    for u in org:  # cycles and depth
        seen, node = [], u
        while node and node["parent"] and node["key"] not in seen:
            seen.append(node["key"])
            node = units.get(node["parent"])
        if node and node["key"] in seen and node["parent"]:
            errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                  "organisationen går i cirkel."))
            break
        if len(seen) > MAX_TREE_DEPTH:
            errors.append(Problem("Organisation", u["_row"], "Överordnad", u["parent"],
                                  f"enheten ligger {len(seen)} nivåer under roten; högst {MAX_TREE_DEPTH} "
                                  "nivåer stöds. Kontrollera kolumnen Överordnad."))
            break

    if rnd.get("forvaltning_key") and (rnd["forvaltning_key"] not in units
                                       or units[rnd["forvaltning_key"]]["level"] != "förvaltning"):
        errors.append(Problem("Tillfälle", row, "Förvaltning", rnd["forvaltning_key"],
                              "okänd förvaltning – ange en enhet med nivå förvaltning i bladet Organisation."))
    goal_parent = {g["key"]: g["parent"] for g in result.sheets.get("Mål", []) if g["key"]}
    for g in result.sheets.get("Mål", []):
        seen_goals, key = set(), g["key"]
        while key in goal_parent and goal_parent[key] and key not in seen_goals:
            seen_goals.add(key)
            key = goal_parent[key]
        if key in seen_goals:
            errors.append(Problem("Mål", g["_row"], "Överordnad", g["parent"], "målhierarkin går i cirkel."))
            break
    for spec in SHEETS:
        if spec.name in result.sheets and spec.unique and spec.unique != ("key",):
            _check_unique(spec, result.sheets[spec.name], result)

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
                            f"summan av raderna under {key} är {_swedish(total, decimals)}; "
                            "skillnaden är större än avrundning (sparas som rapporten skriver).")
                )
