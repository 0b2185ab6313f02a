"""A workbook with the issue's XSS, image, link and markdown payloads in every text field (as many
as each field's length allows; the long-text fields get all of them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import builders as b
from dashboard.importing.spec import SHEETS

EVIL = "evil.example"
PAYLOADS = [
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    f"<img src=//{EVIL}/a onerror=__xss=2>",
    f"![i](http://{EVIL}/b)",
    f"[x](http://{EVIL}/c)",
    "<script>__xss=3</script>",
    "<svg onload=__xss=4>",
    f"$\\href{{http://{EVIL}/d}}{{k}}$",
    f"www.{EVIL}/e",
    "<a href=javascript:__xss=5>j</a>",
    f"<style>*{{background:url(//{EVIL}/f)}}</style>",
    ":red[röd] :material/home:",
    "=HYPERLINK(\"http://evil.example/g\",\"x\")",
]
# keys and codes that name things in URLs stay valid; everything else that is text gets payloads
KEEP = {("Tillfälle", "Kommunkod"), ("Tillfälle", "Nämndkod"), ("Indikatorer", "Kolada-id")}


def payload(limit: int | None, start: int = 0) -> str:
    """Payloads, rotated from `start`, packed into `limit` characters."""
    order = PAYLOADS[start % len(PAYLOADS):] + PAYLOADS[: start % len(PAYLOADS)]
    text = ""
    for p in order:
        candidate = (text + " " + p).strip()
        if limit is None or len(candidate) <= limit:
            text = candidate
    return text or PAYLOADS[3][: limit or 99]


EXTRA = {
    "Kommentarer": [["Enhet", "Avsnitt", "Rubrik", "Text"], ["skola", "prognos", None, None]],
    "Händelser": [["Enhet", "Typ", "Datum", "Rubrik", "Text"], ["skola", "viktig händelse", "2025-04-01", None, None],
                  [None, "viktig händelse", "2025-04-02", None, None]],
    "Investeringar": [["Projekt", "Namn", "Redovisat", "Prognos helår", "Budget helår"], ["p1", None, "10", "20", "30"]],
    "Resultaträkning": [["Rad", "Utfall period", "Budget helår", "Prognos helår"], [None, "-100", "-300", "-290"]],
    "Intäkter och kostnader": [["Typ", "Slag", "Utfall period", "Utfall samma period fg år"], ["kostnad", None, "50", "40"]],
}
ADD_COLUMNS = {
    "Mål": ["Beskrivning"], "Aktiviteter": ["Beskrivning", "Statustext"], "Indikatorer": ["Källa", "Fotnot"],
    "Indikatorvärden": ["Uppdelning", "Källtabell"], "Risker": ["Beskrivning", "Bedömning"],
    "Kontrollmoment": ["Beskrivning", "Statustext"], "Tillfälle": ["Rapport", "Fastställd paragraf"],
}


def sheets() -> dict[str, list[list[object]]]:
    data = b.base()
    data.update({k: [list(r) for r in v] for k, v in EXTRA.items()})
    for name, headers in ADD_COLUMNS.items():
        for h in headers:
            if h not in data[name][0]:
                data[name][0].append(h)
                for r in data[name][1:]:
                    r.append(None)
    n = 0
    for spec in SHEETS:
        if spec.name not in data:
            continue
        rows = data[spec.name]
        for column in spec.columns:
            if column.kind != "text" or (spec.name, column.header) in KEEP or column.header not in rows[0]:
                continue
            j = rows[0].index(column.header)
            for r in rows[1:]:
                n += 1
                r[j] = payload(column.max_length or (280 if column.header in ("Namn", "Rubrik") else None), n)
    return data


def write(path: Path, data: dict[str, list[list[object]]] | None = None) -> Path:
    """As a user's Excel keeps text: every string a text cell (never a formula)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (data or sheets()).items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path
