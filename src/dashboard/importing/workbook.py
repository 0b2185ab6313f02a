"""Write workbooks: the empty template with instructions, and CSV folders converted to .xlsx."""

from __future__ import annotations

import csv
from pathlib import Path

from .parse import CellError, is_missing_marker, parse_number
from .spec import SHEETS

INSTRUCTIONS = [
    "Importmall för ledningsdashboarden",
    "",
    "En arbetsbok per nämnd och uppföljningstillfälle. Rubrikerna på rad 1 i varje blad ska stå kvar.",
    "Blad som inte används kan tas bort: det som saknas räknas som 'inte rapporterat', inte som noll.",
    "Ett blad med okänt namn är ett fel (inte en varning). Egna anteckningar: lägg dem i ett blad vars namn börjar med _.",
    "Obligatoriskt blad: Tillfälle. Organisation kan utelämnas när nämnden redan finns: då gäller dess senaste fastställda organisation.",
    "Obligatoriska kolumner är markerade med * nedan.",
    "Belopp skrivs i arbetsbokens beloppsenhet (476 018) eller med enhet (323 700 tkr, 0,5 mnkr, 65 mkr); de räknas om exakt.",
    "Andelar: 3,4 %. I.U. = inget underlag (saknat värde, inte noll). Metodbyte: 1 800 (2 300) = nytt värde, tidigare metod inom parentes.",
    "Datum: ÅÅÅÅ-MM-DD. Nycklar får lämnas tomma: då bildas de av koden eller namnet (t.ex. gymnasieskolan/gemensamma-resurser).",
    "En enhet, ett mål eller en indikator kan anges med nyckel, kod eller namn.",
    "Kontrollera filen: python -m dashboard check FIL.xlsx   Läs in: python -m dashboard import FIL.xlsx",
    "Fullständig beskrivning och exempel: docs/import-format.md och docs/kom-igang.md",
    "",
]


def write_template(path, prefill: dict | None = None) -> None:
    """The template workbook; `prefill` (sheets by name, e.g. a nämnd's Tillfälle and
    Organisation from `dump.template_sheets`) puts those rows under the headers."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Instruktioner"
    for line in INSTRUCTIONS:
        ws.append([line])
    for spec in SHEETS:
        ws.append([f"Blad {spec.name}" + (" *" if spec.required else ""), spec.help])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for col in spec.columns:
            allowed = ", ".join(col.choices)
            ws.append(["", col.header + (" *" if col.required else ""), col.help or allowed])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 80
    for spec in SHEETS:
        sheet = wb.create_sheet(spec.name)
        headers = [c.header for c in spec.columns]
        sheet.append(headers)
        for i, _ in enumerate(spec.columns, start=1):
            sheet.cell(1, i).font = Font(bold=True)
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = 18
        sheet.freeze_panes = "A2"
        filled = (prefill or {}).get(spec.name)
        if filled is not None:
            for _, values in filled.rows:
                row = [values.get(h) for h in headers]
                sheet.append(row)
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # a name starting with = stays text
    wb.save(path)


def csv_folder_to_xlsx(folder: Path, path: Path) -> None:
    """Convert a CSV folder to a workbook; numbers become numeric cells, the rest stays text."""
    import openpyxl
    from openpyxl.styles import Font

    number_columns = {
        (s.name, c.header) for s in SHEETS for c in s.columns if c.kind in ("number", "int", "ivalue", "amount")
    }
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    order = {s.name: i for i, s in enumerate(SHEETS)}
    for file in sorted(folder.glob("*.csv"), key=lambda f: order.get(f.stem, 99)):
        ws = wb.create_sheet(file.stem)
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=";")
            headers = next(reader)
            ws.append(headers)
            for i in range(1, len(headers) + 1):
                ws.cell(1, i).font = Font(bold=True)
            for row in reader:
                cells = []
                for header, value in zip(headers, row, strict=False):
                    cells.append(_cell(file.stem, header, value, number_columns))
                ws.append(cells)
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text stays text: «=1+1» is not a formula
        ws.freeze_panes = "A2"
    wb.save(path)


def _cell(sheet: str, header: str, value: str, number_columns: set) -> object:
    if value == "":
        return None
    # an amount with its unit (`323 700 tkr`) stays text: the importer converts it exactly
    if (sheet, header) in number_columns and not is_missing_marker(value) and "(" not in value \
            and not any(ch.isalpha() for ch in value):
        try:
            number = parse_number(value)
        except CellError:
            return value
        if number is not None and "%" not in value:
            return int(number) if number.is_integer() and "," not in value else number
    return value
