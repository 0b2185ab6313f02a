"""Read a workbook (.xlsx) or a folder of CSV files into plain sheets of cells.

Nothing here knows the import format; it only turns a file into rows and reports files that
cannot be read at all (not a workbook, truncated, empty, enormous, formulas without values).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .parse import is_blank

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is Swedish and names the file."""


@dataclass
class Sheet:
    name: str
    headers: list[str]
    # (row number as the user sees it, values by header); blank rows are dropped.
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    # Cells that hold a formula whose value Excel never saved: (row, header).
    formulas_without_value: list[tuple[int, str]] = field(default_factory=list)
    duplicate_headers: list[str] = field(default_factory=list)


def read_source(path: Path) -> dict[str, Sheet]:
    """Sheets by name from an .xlsx file or a folder of `<Blad>.csv` files."""
    if not path.exists():
        raise UnreadableFile(f"{path}: filen finns inte.")
    if path.is_dir():
        return _read_csv_folder(path)
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(f"{path.name}: filen är tom.")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"{path.name}: filen är {size // (1024 * 1024)} MB, största tillåtna är "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    if path.suffix.lower() == ".csv":
        raise UnreadableFile(
            f"{path.name}: en enskild CSV-fil räcker inte; lägg bladen som CSV-filer i en mapp "
            "(Tillfälle.csv, Organisation.csv …) eller använd en Excel-arbetsbok."
        )
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> dict[str, Sheet]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise UnreadableFile(
            f"{path.name}: filen är inte en Excel-arbetsbok (.xlsx) – den kan vara av annan typ, "
            "skadad eller avkortad."
        )
    try:
        values_wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
        formulas_wb = openpyxl.load_workbook(path, data_only=False, read_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UnreadableFile(
            f"{path.name}: arbetsboken kan inte läsas (skadad eller avkortad fil): "
            f"{type(exc).__name__}."
        ) from None
    sheets: dict[str, Sheet] = {}
    try:
        for ws in values_wb.worksheets:
            fws = formulas_wb[ws.title]
            # names exactly as written: «Ekonomi » must not silently stand in for «Ekonomi»
            sheets[ws.title] = _sheet_from_rows(
                ws.title,
                ws.iter_rows(values_only=True),
                fws.iter_rows(values_only=True),
                source=path.name,
            )
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(
            f"{path.name}: arbetsboken kan inte läsas (skadad eller avkortad fil): "
            f"{type(exc).__name__}."
        ) from None
    finally:
        values_wb.close()
        formulas_wb.close()
    return sheets


def _read_csv_folder(path: Path) -> dict[str, Sheet]:
    files = sorted(path.glob("*.csv"))
    if not files:
        raise UnreadableFile(f"{path}: mappen innehåller inga CSV-filer.")
    sheets: dict[str, Sheet] = {}
    for file in files:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableFile(f"{file.name}: filen är för stor.")
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{file.name}: filen är inte UTF-8-kodad; spara den som CSV UTF-8."
            ) from None
        delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        sheets[file.stem] = _sheet_from_rows(file.stem, rows, None, file.name)
    return sheets


def _sheet_from_rows(name, rows, formula_rows, source: str) -> Sheet:
    rows = iter(rows)
    formula_rows = iter(formula_rows) if formula_rows is not None else None
    header_row = next(rows, None)
    if formula_rows is not None:
        next(formula_rows, None)
    if header_row is None:
        return Sheet(name, [])
    headers = [str(h).strip() if not is_blank(h) else "" for h in header_row]
    while headers and headers[-1] == "":
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(
            f"{source}, blad {name}: {len(headers)} kolumner, högst {MAX_COLUMNS} tillåts."
        )
    sheet = Sheet(name, headers)
    seen: set[str] = set()
    for h in headers:
        key = h.casefold()
        if key and key in seen:
            sheet.duplicate_headers.append(h)
        seen.add(key)
    for index, row in enumerate(rows, start=2):
        frow = next(formula_rows, None) if formula_rows is not None else None
        if index - 1 > MAX_ROWS:
            raise UnreadableFile(
                f"{source}, blad {name}: fler än {MAX_ROWS} rader; dela upp filen eller kontrollera "
                "att bladet inte är fyllt av misstag."
            )
        values = {h: (row[i] if i < len(row) else None) for i, h in enumerate(headers) if h}
        if frow is not None:
            for i, h in enumerate(headers):
                if not h or i >= len(frow):
                    continue
                formula = frow[i]
                if isinstance(formula, str) and formula.startswith("=") and is_blank(values.get(h)):
                    sheet.formulas_without_value.append((index, h))
        if all(is_blank(v) for v in values.values()):
            continue
        sheet.rows.append((index, values))
    return sheet
