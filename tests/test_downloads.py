"""Table downloads (issue 10): numbers a controller can compute with, no formula from any text.

Every expected amount is read from the report texts in ../shared/seeds/ (line numbers "L…"):
Linköping 003_… (mnkr, one decimal) and Luleå 000_… (tkr). The downloads are built exactly as the
pages build them (downloads.economy / downloads.indicators on the same query frames) and read back
with openpyxl and the csv module, as a user's Excel would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from dashboard import downloads
from dashboard import economy as ec
from dashboard import queries as qq
from dashboard import targets as tg
from dashboard import views
from dashboard.importing import import_path

LI = ("0580", "AMN", dt.date(2023, 8, 31))
LU = ("2580", "AGN", dt.date(2024, 8, 31))
NOW = dt.datetime(2026, 1, 15, 9, 30)


def _round(engine, kommun, namnd, period_end):
    nm = qq.namnder(engine)
    row = nm[(nm.kommun_code == kommun) & (nm.namnd_code == namnd)].iloc[0]
    rounds = qq.rounds(engine, int(row.namnd_id))
    position = list(rounds.period_end).index(period_end)
    prev = rounds.iloc[position + 1] if position + 1 < len(rounds) else None
    return int(row.namnd_id), rounds.iloc[position], prev


def economy_download(engine, which, to_unit, scope=ec.ALL):
    namnd_id, r, prev = _round(engine, *which)
    units = qq.units(engine, namnd_id)
    prev_econ = qq.economy(engine, int(prev.round_id)) if prev is not None else None
    factor = 1.0 if prev is None else {"tkr": 1.0, "mnkr": 1000.0}[prev.amount_unit] / {"tkr": 1.0, "mnkr": 1000.0}[r.amount_unit]
    table = ec.economy_table(units, qq.economy(engine, int(r.round_id)), prev_econ, factor)
    prev_label = f"{prev.kind} {prev.period_end.year}" if prev is not None else None
    about = downloads.about_rows("K", "N", "Delår 2", r.status, "", to_unit, None, NOW)
    return downloads.economy(table, ec.scope_unit_ids(units, scope), r.amount_unit, int(r.decimals), to_unit,
                             prev_label, "ekonomi", about)


def indicator_download(engine, which, table_kind=None):
    namnd_id, r, _ = _round(engine, *which)
    ind = qq.indicators(engine, namnd_id)
    vals = qq.indicator_values(engine, int(r.round_id))
    if table_kind:
        vals = views.values_of_table(vals, ind, *table_kind)
    else:  # the Indikatorer page's table: nämndindikatorer
        vals = vals[vals["indicator_id"].isin(ind[ind["kind"] == "nämndindikator"]["indicator_id"])]
    status = tg.latest_status(ind, vals, qq.indicator_targets(engine, int(r.round_id)))
    about = downloads.about_rows("K", "N", "Delår 2", r.status, "", None, None, NOW)
    return downloads.indicators(ind, vals, status, "indikatorer", about)


def read_xlsx(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    return wb, ws, header, rows[1:]


def read_csv(data: bytes):
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 med BOM för svenska Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return rows[0], rows[1:]


def xlsx_row(header, rows, column, name, level=None):
    j = header.index(column)
    hits = [r for r in rows if r[j].value == name and (level is None or r[header.index("Nivå")].value == level)]
    assert len(hits) == 1, (name, [r[j].value for r in rows])
    return {h: c for h, c in zip(header, hits[0], strict=True)}


def csv_row(header, rows, column, name):
    j = header.index(column)
    hits = [r for r in rows if r[j] == name]
    assert len(hits) == 1, name
    return dict(zip(header, hits[0], strict=True))


def assert_cells_typed(ws, number_headers: set[str]):
    """No formula anywhere; every non-numeric cell is a string."""
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    for row in ws.iter_rows(min_row=2):
        for h, cell in zip(header, row, strict=True):
            if cell.value is None:
                continue
            assert cell.data_type != "f", (h, cell.value)
            if h in number_headers or h == "Nivå":
                assert isinstance(cell.value, int | float), (h, cell.value)
            else:
                assert cell.data_type == "s" and isinstance(cell.value, str), (h, cell.value)


# Linköping, driftsammandrag (L297–L345): period table and helår table, mnkr.
LI_EXPECTED = {
    # Verksamhet: (Budget helår, Periodbudget, Utfall, Periodavvikelse, Prognos helår, Prognosavvikelse)
    "Ekonomiskt bistånd": (323.7, 215.8, 206.1, 9.8, 313.0, 10.8),  # L302, L336
    "Grundläggande vuxenutb": (17.4, 11.6, 15.1, -3.5, 23.7, -6.4),  # L298, L332
    "Svenska för invandrare": (57.2, 38.1, 41.8, -3.7, 59.4, -2.2),  # L301, L335
    "Arbetsmarknadsåtgärder": (104.0, 68.6, 68.2, 0.4, 106.8, -2.8),  # L304, L338
    "Summa nettokostnader": (624.6, 415.7, 401.5, 14.2, 608.2, 16.4),  # L309, L343
}
AMOUNTS = ["Budget helår", "Periodbudget", "Utfall", "Periodavvikelse", "Prognos helår", "Prognosavvikelse"]


def test_linkoping_economy_xlsx_and_csv_hold_the_report_figures(builtin_engine):
    d = economy_download(builtin_engine, LI, "mnkr")
    wb, ws, header, rows = read_xlsx(downloads.to_xlsx(d))
    numbers = {h for h in header if h.endswith("(mnkr)")}
    assert_cells_typed(ws, numbers)
    assert ws.freeze_panes == "D2"  # header row and the name column stay put
    for name, expected in LI_EXPECTED.items():
        row = xlsx_row(header, rows, "Verksamhet", name)
        for label, value in zip(AMOUNTS, expected, strict=True):
            cell = row[f"{label} (mnkr)"]
            assert cell.value == pytest.approx(value, abs=1e-9), (name, label)
            assert cell.number_format == "#,##0.0"  # the report's one decimal, with grouping
    # the tree: every level with its Nivå and indentation (not only the open rows on screen)
    assert xlsx_row(header, rows, "Verksamhet", "Arbetsmarknadsnämnden")["Nivå"].value == 1
    bistand = xlsx_row(header, rows, "Verksamhet", "Ekonomiskt bistånd")
    assert bistand["Nivå"].value == 4 and bistand["Verksamhet"].alignment.indent == 3
    assert bistand["Kod"].value == "575" and bistand["Kod"].data_type == "s"
    # a förvaltning's total is computed (the report prints none): the mark has its own column
    iaf = xlsx_row(header, rows, "Verksamhet", "Integrations- och arbetsmarknadsförvaltningen", level=3)
    assert iaf["Budget helår *"].value == "*" and isinstance(iaf["Budget helår (mnkr)"].value, float)
    assert bistand["Budget helår *"].value is None
    about = dict((r[0].value, r[1].value) for r in wb[downloads.ABOUT_SHEET].iter_rows())
    assert {"Källa", "Uppföljningstillfälle", "Belopp i", "Exporterad", "*", "I.U."} <= set(about)
    assert about["Belopp i"] == "mnkr" and about["Exporterad"] == "2026-01-15 09:30"

    header, rows = read_csv(downloads.to_csv(d))
    row = csv_row(header, rows, "Verksamhet", "Ekonomiskt bistånd")
    assert [row[f"{label} (mnkr)"] for label in AMOUNTS] == ["323,7", "215,8", "206,1", "9,8", "313,0", "10,8"]
    row = csv_row(header, rows, "Verksamhet", "Grundläggande vuxenutb")
    assert row["Periodavvikelse (mnkr)"] == "-3,5" and row["Prognosavvikelse (mnkr)"] == "-6,4"  # ASCII minus
    assert csv_row(header, rows, "Verksamhet", "Summa nettokostnader")["Budget helår (mnkr)"] == "624,6"


# Luleå, "Redovisning per verksamhet" (L563–L605), tkr; Prognos = the forecast deviation.
LU_EXPECTED = {
    # (Budget helår, Periodbudget, Utfall, Periodavvikelse, Prognosavvikelse)
    "Gymnasieskolan": (357468, 237660, 234955, 2704, 5100),  # L588
    "Rektorer GY": (18, 10, 803, -793, 4000),  # L592
    "Interkommunalt netto": (-11053, -7368, -4377, -2991, 0),  # L594
    "Vuxenutbildningen": (62906, 41841, 40440, 1401, 0),  # L601
}


def test_lulea_economy_in_tkr_and_in_mnkr(builtin_engine):
    d = economy_download(builtin_engine, LU, "tkr")
    wb, ws, header, rows = read_xlsx(downloads.to_xlsx(d))
    assert_cells_typed(ws, {h for h in header if h.endswith("(tkr)")})
    labels = ["Budget helår", "Periodbudget", "Utfall", "Periodavvikelse", "Prognosavvikelse"]
    for name, expected in LU_EXPECTED.items():
        row = xlsx_row(header, rows, "Verksamhet", name)
        for label, value in zip(labels, expected, strict=True):
            assert row[f"{label} (tkr)"].value == value, (name, label)
            assert row[f"{label} (tkr)"].number_format == "#,##0"
    total = rows[0]
    by = dict(zip(header, total, strict=True))
    assert by["Nivå"].value == 1
    assert by["Budget helår (tkr)"].value == 476018 and by["Utfall (tkr)"].value == 307061  # L605
    assert by["Prognosavvikelse (tkr)"].value == 8300
    # Luleå prints the deviation only: its Prognos helår is computed (budget − deviation), marked
    gym = xlsx_row(header, rows, "Verksamhet", "Gymnasieskolan")
    assert gym["Prognos helår (tkr)"].value == 357468 - 5100 and gym["Prognos helår *"].value == "*"
    header_csv, rows_csv = read_csv(downloads.to_csv(d))
    row = csv_row(header_csv, rows_csv, "Verksamhet", "Rektorer GY")
    assert row["Utfall (tkr)"] == "803" and row["Periodavvikelse (tkr)"] == "-793"
    first = dict(zip(header_csv, rows_csv[0], strict=True))
    assert first["Budget helår (tkr)"] == "476018"  # no grouping in the CSV
    # in mnkr: never more decimals than the report had (476 018 tkr → 476,0 mnkr)
    d = economy_download(builtin_engine, LU, "mnkr")
    _, _, header, rows = read_xlsx(downloads.to_xlsx(d))
    assert dict(zip(header, rows[0], strict=True))["Budget helår (mnkr)"].value == pytest.approx(476.0)
    # the previous round (Delår 1, "Prognos April" L592: 4 600) sits in its own numeric column
    prev = [h for h in header if h.startswith("Prognosavvikelse Delår")]
    assert prev, header


def test_indicator_and_volume_downloads(builtin_engine):
    # Linköping Volymutveckling: hushåll med ekonomiskt bistånd 2 917 (helår 2022), 2 527
    # (augusti 2023), prognos 2 500 (domain.md; report table "Volymutveckling").
    d = indicator_download(builtin_engine, LI, ("volymtal", "Volymutveckling"))
    wb, ws, header, rows = read_xlsx(downloads.to_xlsx(d))
    period_headers = {c.header for c in d.columns if c.kind == "number"}
    assert_cells_typed(ws, period_headers)
    j = header.index("Indikator")
    hushall = [dict(zip(header, r, strict=True)) for r in rows
               if r[j].value.startswith("Antal hushåll med insats ekonomiskt bistånd")
               and dict(zip(header, r, strict=True))["Källa"].value == "Volymutveckling"]
    assert len(hushall) == 1
    h = hushall[0]
    assert (h["Helår 2022"].value, h["Augusti 2023"].value, h["Prognos 2023"].value) == (2917, 2527, 2500)
    assert h["Helår 2022"].number_format == "#,##0"
    arena = [dict(zip(header, r, strict=True)) for r in rows if r[j].value.startswith("Antal deltagare inskrivna")][0]
    assert arena["Helår 2022"].value is None  # I.U.: empty, not zero …
    assert arena["I.U. (inget underlag)"].value == "Helår 2022"  # … and said in its own column
    assert arena["Augusti 2023"].value == 483 and arena["Prognos 2023"].value == 700
    header_csv, rows_csv = read_csv(downloads.to_csv(d))
    arena = [dict(zip(header_csv, r, strict=True)) for r in rows_csv if r[0].startswith("Antal deltagare inskrivna")][0]
    assert arena["Helår 2022"] == "" and arena["Augusti 2023"] == "483"
    # the Indikatorer and Personal tables: every cell typed, numbers as numbers
    for dl in (indicator_download(builtin_engine, LI), indicator_download(builtin_engine, LI, ("personal", "Personal"))):
        _, ws, header, rows = read_xlsx(downloads.to_xlsx(dl))
        assert_cells_typed(ws, {c.header for c in dl.columns if c.kind == "number"})
        assert rows, "tabellen är tom"
        read_csv(downloads.to_csv(dl))


PAYLOADS = ['=HYPERLINK("http://evil.example/x","klicka")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3",
            "\tTAB=1", "\r=1"]


def test_formula_injection_is_neutralised(tmp_path, empty_engine):
    """Names from the workbook that look like formulas stay text in both formats (10.7)."""
    import builders as b

    sheets = b.base()
    b.set_cell(sheets, "Organisation", 4, "Namn", PAYLOADS[0])  # verksamhetsområde "skola"
    b.set_cell(sheets, "Organisation", 5, "Namn", PAYLOADS[1])
    b.set_cell(sheets, "Organisation", 6, "Namn", PAYLOADS[2])
    b.set_cell(sheets, "Indikatorer", 2, "Namn", PAYLOADS[0])
    path = tmp_path / "formler.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():  # written as text cells, as a user's Excel would keep them
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    assert import_path(empty_engine, path).ok

    # reproduce: the former download (pandas' to_excel of the display frame) wrote a formula
    frame = pd.DataFrame({"Verksamhet": [PAYLOADS[0]]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A2"].data_type == "f"

    d = economy_download(empty_engine, ("9999", "TN", dt.date(2025, 4, 30)), "tkr")
    _, ws, header, rows = read_xlsx(downloads.to_xlsx(d))
    assert_cells_typed(ws, {h for h in header if h.endswith("(tkr)")})
    names = [r[header.index("Verksamhet")].value for r in rows]
    assert PAYLOADS[0] in names and PAYLOADS[1] in names and PAYLOADS[2] in names
    assert all(r[header.index("Verksamhet")].quotePrefix for r in rows)
    header_csv, rows_csv = read_csv(downloads.to_csv(d))
    texts = [r[header_csv.index("Verksamhet")] for r in rows_csv]
    assert "'" + PAYLOADS[0] in texts and "'" + PAYLOADS[1] in texts and "'" + PAYLOADS[2] in texts
    for r in rows_csv:
        for h, v in zip(header_csv, r, strict=True):
            if "(tkr)" not in h and h != "Nivå":
                assert not v.startswith(downloads.FORMULA_START), (h, v)
    d = indicator_download(empty_engine, ("9999", "TN", dt.date(2025, 4, 30)))
    _, ws, _, _ = read_xlsx(downloads.to_xlsx(d))
    assert_cells_typed(ws, {c.header for c in d.columns if c.kind == "number"})
    header_csv, rows_csv = read_csv(downloads.to_csv(d))
    assert rows_csv[0][0] == "'" + PAYLOADS[0]


def test_csv_cells_for_swedish_excel():
    for payload in PAYLOADS:
        assert downloads.csv_text(payload).startswith("'")
    assert downloads.csv_text("Ekonomiskt bistånd") == "Ekonomiskt bistånd"
    assert downloads.csv_number(-12.4, 1) == "-12,4" and downloads.csv_number(476018, 0) == "476018"
    assert downloads.csv_number(-0.04, 1) == "0,0" and downloads.csv_number(10.75, 1) == "10,8"
    assert downloads.file_stem("ekonomi", "A/../B", "2023-08-31") == "ekonomi_A-B_2023-08-31"
