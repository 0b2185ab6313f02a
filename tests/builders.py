"""Build small workbooks for tests: a valid fictional round, then mutate it into bad input."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import openpyxl

# A small, fictional nämnd (kommunkod 9999 does not exist) used only to exercise the importer.
BASE: dict[str, list[list[object]]] = {
    "Tillfälle": [
        ["Kommunkod", "Kommun", "Nämndkod", "Nämnd", "Typ", "Periodslut", "Beloppsenhet"],
        ["9999", "Testkommun", "TN", "Testnämnden", "Delår 1", "2025-04-30", "tkr"],
    ],
    "Organisation": [
        ["Enhet", "Namn", "Nivå", "Överordnad", "Kod"],
        ["tn", "Testnämnden", "nämnd", None, None],
        ["forv", "Testförvaltningen", "förvaltning", "tn", None],
        ["skola", "Skolan", "verksamhetsområde", "forv", "100"],
        ["skola/a", "Enhet A", "enhet", "skola", None],
        ["skola/b", "Enhet B", "enhet", "skola", None],
    ],
    "Ekonomi": [
        ["Enhet", "Budget helår", "Periodbudget", "Utfall period", "Periodavvikelse", "Prognosavvikelse"],
        ["tn", "1 000", "333", "300", "33", "50"],
        ["skola", "1 000", "333", "300", "33", "50"],
        ["skola/a", "600", "200", "150", "50", "60"],
        ["skola/b", "400", "133", "150", "−17", "−10"],
    ],
    "Mål": [
        ["Mål", "Nivå", "Namn", "Överordnad", "Bedömning", "Kommentar", "Kommentardatum"],
        ["m1", "nämndmål", "Fler klarar utbildningen", None, "Uppnås delvis", "Bra fart.", "2025-04-30"],
    ],
    "Aktiviteter": [
        ["Aktivitet", "Typ", "Namn", "Mål", "Status", "Kommentar", "Kommentardatum"],
        ["a1", "aktivitet", "Kartlägga flöden", "m1", "Pågående", "Pågår.", "2025-04-30"],
    ],
    "Indikatorer": [
        ["Indikator", "Namn", "Typ", "Måttenhet", "Riktning", "Slag", "Mål"],
        ["godkanda", "Andel godkända", "nämndindikator", "%", "högre", "andel", "m1"],
    ],
    "Indikatorvärden": [
        ["Indikator", "Period", "Periodslut", "Kön", "Värde", "Fotnot"],
        ["godkanda", "Helår 2024", "2024-12-31", "T", "81,7", None],
        ["godkanda", "April 2025", "2025-04-30", "T", "I.U.", "Mäts i augusti"],
    ],
    "Målvärden": [
        ["Indikator", "Period", "Periodslut", "Målvärde"],
        ["godkanda", "2025", "2025-12-31", "86"],
    ],
    "Risker": [
        ["Risk", "Namn", "Sannolikhet", "Konsekvens", "Riskvärde"],
        ["r1", "Fusk vid prov", "3", "4", "12"],
    ],
    "Kontrollmoment": [
        ["Kontrollmoment", "Namn", "Risk", "Status", "Kommentar", "Kommentardatum"],
        ["k1", "Stickprov", "r1", "Klar", "Inga fel.", "2025-04-30"],
    ],
}


def base() -> dict[str, list[list[object]]]:
    return copy.deepcopy(BASE)


def write_xlsx(sheets: dict[str, list[list[object]]], path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def set_cell(sheets, sheet: str, row: int, header: str, value) -> None:
    """row is the spreadsheet row number (2 = first data row)."""
    col = sheets[sheet][0].index(header)
    sheets[sheet][row - 1][col] = value


def drop_column(sheets, sheet: str, header: str) -> None:
    col = sheets[sheet][0].index(header)
    for r in sheets[sheet]:
        del r[col]


def save_formula_value(path: Path, sheet_index: int, cell: str, value: str) -> None:
    """Add the cached value Excel would have saved for a formula cell (openpyxl writes none)."""
    tmp = path.with_suffix(".tmp")
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == member:
                xml = data.decode()
                xml = re.sub(
                    rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                    lambda m: f"{m[1]}{m[2]}<v>{value}</v>",
                    xml,
                )
                data = xml.encode()
            dst.writestr(item, data)
    tmp.replace(path)
