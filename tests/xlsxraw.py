"""Write .xlsx files part by part (zipfile, streamed): hostile shapes that openpyxl would be slow
or unable to write – a 100 MB cell, a million rows, hidden sheets and rows."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HIDDEN = ' hidden="1"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def write(path: Path, sheets: list[tuple[str, Iterable[str]]], shared: Iterable[str] | None = None,
          states: dict[str, str] | None = None) -> Path:
    """sheets: (name, chunks of <row> XML); shared: chunks of <si> XML for sharedStrings.xml."""
    states = states or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
        if shared is not None:
            overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            f'sheet.main+xml"/>{overrides}</Types>'))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i}" state="{states.get(name, "visible")}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1))
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>'
                                       f"<sheets>{entries}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                    f'"http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, rows) in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'.encode())
                for chunk in rows:
                    out.write(chunk.encode())
                out.write(b"</sheetData></worksheet>")
        if shared is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>'.encode())
                for chunk in shared:
                    out.write(chunk.encode())
                out.write(b"</sst>")
    return path


def row(number: int, *values: object, hidden: bool = False) -> str:
    cells = []
    for j, value in enumerate(values):
        ref = f"{chr(65 + j)}{number}"
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif isinstance(value, tuple):  # ("s", index) = a shared string
            cells.append(f'<c r="{ref}" t="s"><v>{value[1]}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    return f'<row r="{number}"{HIDDEN if hidden else ""}>{"".join(cells)}</row>'
