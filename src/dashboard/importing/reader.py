"""Read a workbook (.xlsx) or a folder of CSV files into plain sheets of cells.

Nothing here knows the import format; it only turns a file into rows and reports files that
cannot be read at all (not a workbook, truncated, empty, enormous, formulas without values).

Limits come before work: an .xlsx is first scanned as it streams out of the zip (expat, chunk by
chunk, nothing held) for its uncompressed size, sheet count, rows per sheet, cells and cell
length, and for hidden sheets and hidden rows with content (an error: data nobody saw on screen
would be imported). Only a workbook within every limit is handed to openpyxl. A 100 MB cell or a
1 048 576-row sheet is refused in about a second without the process growing (tests measure it).
"""

from __future__ import annotations

import csv
import io
import xml.parsers.expat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .parse import is_blank

MAX_FILE_BYTES = 10 * 1024 * 1024  # the upload limit too (.streamlit/config.toml maxUploadSize)
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024  # all parts of an .xlsx together, unpacked
MAX_PARTS = 500  # files inside the .xlsx
MAX_SHEETS = 40
MAX_ROWS = 20_000  # per sheet, as row numbers (a stray cell far down counts)
MAX_COLUMNS = 60
MAX_CELLS = 1_000_000  # in the whole workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
_CHUNK = 64 * 1024

SHEET_NS_HINT = "visa bladet (högerklicka på en bladflik → Visa) eller ta bort det"


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
    if not zipfile.is_zipfile(path):
        raise UnreadableFile(
            f"{path.name}: filen är inte en Excel-arbetsbok (.xlsx) – den kan vara av annan typ, "
            "skadad eller avkortad."
        )
    scan_xlsx(path)  # limits and hidden content, streaming, before openpyxl holds anything
    import openpyxl  # only for a workbook within the limits (its import alone takes a while)

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
        csv.field_size_limit(MAX_CELL_CHARS)
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            sheets[file.stem] = _sheet_from_rows(file.stem, rows, None, file.name)
        except csv.Error:
            raise UnreadableFile(
                f"{file.name}: en cell är längre än {MAX_CELL_CHARS:,} tecken (Excels gräns) eller filen "
                "är inte en giltig CSV-fil.".replace(",", " ")
            ) from None
    return sheets


# --- streaming scan of an .xlsx --------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _stream(zf: zipfile.ZipFile, member: str, handler: object, source: str) -> None:
    """Feed one part of the zip to expat in chunks; no DTD (OOXML has none: XXE, entity bombs)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def no_doctype(*_args):
        raise UnreadableFile(f"{source}: arbetsboken innehåller en DTD, vilket en Excel-fil aldrig gör.")

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.buffer_text = False
    try:
        with zf.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        raise UnreadableFile(f"{source}: arbetsboken kan inte läsas (skadad XML i {member}).") from None


class _Counter:
    """Counts characters of each cell value (`v`, `f`, inline `is`, shared `si`) as they stream."""

    VALUE = {"v", "f", "is", "si"}

    def __init__(self, source: str, where: str):
        self.source, self.where = source, where
        self.open_value = 0  # nesting depth inside a value element
        self.chars = 0

    def start_value(self, local: str) -> None:
        if local in self.VALUE:
            if self.open_value == 0:
                self.chars = 0
            self.open_value += 1

    def end(self, name: str) -> None:
        if _local(name) in self.VALUE and self.open_value:
            self.open_value -= 1

    def text(self, data: str) -> None:
        if self.open_value:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise UnreadableFile(
                    f"{self.source}, {self.where()}: en cell har fler än {MAX_CELL_CHARS:,} tecken "
                    "(Excels gräns för en cell). Kontrollera cellen; filen läses inte in.".replace(",", " ")
                )


class _SharedStrings(_Counter):
    def __init__(self, source: str):
        super().__init__(source, lambda: "de delade texterna (sharedStrings)")

    def start(self, name: str, _attrs: dict) -> None:
        self.start_value(_local(name))


class _SheetScan(_Counter):
    def __init__(self, source: str, sheet: str, totals: dict):
        super().__init__(source, lambda: f"blad {sheet}, rad {self.row}")
        self.sheet, self.totals = sheet, totals
        self.row = 0
        self.hidden_row = False
        self.hidden_cols: list[tuple[int, int]] = []  # 1-based inclusive ranges from <cols>
        self.cell = ""

    def start(self, name: str, attrs: dict) -> None:
        local = _local(name)
        if local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            if self.row > MAX_ROWS + 1:
                raise UnreadableFile(
                    f"{self.source}, blad {self.sheet}: fler än {MAX_ROWS:,} rader (rad {self.row:,} används). "
                    "Ta bort det som står längst ned (Ctrl+End visar sista cellen) "
                    "eller dela upp filen.".replace(",", " ")
                )
            self.hidden_row = attrs.get("hidden") in ("1", "true")
        elif local == "col":
            width = attrs.get("width")
            if attrs.get("hidden") in ("1", "true") or (width is not None and _is_zero(width)):
                lo, hi = attrs.get("min", ""), attrs.get("max", "")
                if lo.isdigit() and hi.isdigit():
                    self.hidden_cols.append((int(lo), int(hi)))
        elif local == "c":
            self.cell = attrs.get("r", "")
            self.totals["cells"] += 1
            if self.totals["cells"] > MAX_CELLS:
                raise UnreadableFile(
                    f"{self.source}: fler än {MAX_CELLS:,} celler i arbetsboken (blad {self.sheet}, "
                    f"rad {self.row:,}); dela upp filen.".replace(",", " ")
                )
        elif local in ("v", "is") and self.hidden_row:
            raise UnreadableFile(
                f"{self.source}, blad {self.sheet}: rad {self.row} är dold men har innehåll. Dolda rader "
                "läses inte in i det tysta: visa raden (markera raderna runt den, högerklicka → Visa) "
                "eller ta bort den, och läs in filen igen."
            )
        elif local in ("v", "is") and self.hidden_cols and _column_number(self.cell) is not None:
            col = _column_number(self.cell)
            if any(lo <= col <= hi for lo, hi in self.hidden_cols):
                letters = self.cell.rstrip("0123456789")
                raise UnreadableFile(
                    f"{self.source}, blad {self.sheet}: kolumn {letters} är dold men har innehåll "
                    f"(cell {self.cell}). Dolda kolumner läses inte in i det tysta: visa kolumnen "
                    "(markera kolumnerna runt den, högerklicka → Visa) eller ta bort den, och läs in filen igen."
                )
        self.start_value(local)


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _column_number(ref: str) -> int | None:
    """'C5' → 3; None when the reference has no column letters."""
    letters = ref.rstrip("0123456789").upper()
    if not letters or not letters.isalpha() or not letters.isascii():
        return None
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class _Workbook:
    def __init__(self):
        self.sheets: list[tuple[str, str, str]] = []  # name, state, relationship id

    def start(self, name: str, attrs: dict) -> None:
        if _local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))

    def end(self, _name: str) -> None:
        pass

    def text(self, _data: str) -> None:
        pass


class _Rels(_Workbook):
    def __init__(self):
        super().__init__()
        self.targets: dict[str, str] = {}

    def start(self, name: str, attrs: dict) -> None:
        if _local(name) == "Relationship":
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")


def scan_xlsx(path: Path) -> None:
    """Refuse, with a Swedish message, a workbook beyond the limits or with hidden content."""
    source = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFile(f"{source}: filen är inte en Excel-arbetsbok (.xlsx) – skadad eller avkortad.") from None
    with zf:
        parts = zf.infolist()
        if len(parts) > MAX_PARTS:
            raise UnreadableFile(f"{source}: arbetsboken består av {len(parts)} delar; högst {MAX_PARTS} tillåts.")
        unpacked = sum(p.file_size for p in parts)  # zipfile never reads past a part's stated size
        if unpacked > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableFile(
                f"{source}: arbetsboken är {unpacked // (1024 * 1024)} MB uppackad; högst "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB tillåts. Kontrollera att den inte innehåller "
                "bilder, mycket långa texter eller blad som fyllts av misstag."
            )
        names = {p.filename for p in parts}
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(f"{source}: filen är inte en Excel-arbetsbok (xl/workbook.xml saknas).")
        book = _Workbook()
        _stream(zf, "xl/workbook.xml", book, source)
        if len(book.sheets) > MAX_SHEETS:
            raise UnreadableFile(f"{source}: {len(book.sheets)} blad; högst {MAX_SHEETS} tillåts.")
        for sheet_name, state, _rid in book.sheets:
            if state in ("hidden", "veryHidden"):
                raise UnreadableFile(
                    f"{source}: bladet «{sheet_name.strip()}» är dolt. Dolda blad läses inte in i det tysta: "
                    f"{SHEET_NS_HINT}, och läs in filen igen."
                )
        rels = _Rels()
        if "xl/_rels/workbook.xml.rels" in names:
            _stream(zf, "xl/_rels/workbook.xml.rels", rels, source)
        if "xl/sharedStrings.xml" in names:
            _stream(zf, "xl/sharedStrings.xml", _SharedStrings(source), source)
        totals = {"cells": 0}
        for sheet_name, _state, rid in book.sheets:
            target = rels.targets.get(rid, "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member in names:
                _stream(zf, member, _SheetScan(source, sheet_name, totals), source)


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
