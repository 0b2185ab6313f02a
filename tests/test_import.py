"""Import lifecycle on both backends: idempotent, replaces exactly one round, CSV folders, log."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import openpyxl
from sqlalchemy import func, select

import builders as b
from conftest import ROOT, snapshot
from dashboard.db import init_db, make_engine
from dashboard.importing import check_path, import_path
from dashboard.importing.spec import SHEETS
from dashboard.importing.workbook import write_template
from dashboard.models import EconomyLine, ImportLog, OrgUnit, Round


def test_builtin_data_imported_twice_equals_once(empty_engine, builtin_paths):
    for path in builtin_paths:
        assert import_path(empty_engine, path).ok
    once = snapshot(empty_engine)
    for path in builtin_paths:
        assert import_path(empty_engine, path).ok
    assert snapshot(empty_engine) == once
    assert sum(len(rows) for rows in once.values()) > 700  # every table of both reports


def test_reimport_replaces_exactly_that_round(empty_engine, tmp_path):
    april = b.base()
    august = b.base()
    b.set_cell(august, "Tillfälle", 2, "Typ", "Delår 2")
    b.set_cell(august, "Tillfälle", 2, "Periodslut", "2025-08-31")
    assert import_path(empty_engine, b.write_xlsx(april, tmp_path / "apr.xlsx")).ok
    assert import_path(empty_engine, b.write_xlsx(august, tmp_path / "aug.xlsx")).ok
    before = snapshot(empty_engine)
    # a corrected August workbook: one figure changed, one row removed
    b.set_cell(august, "Ekonomi", 4, "Utfall period", "160")
    del august["Ekonomi"][4]
    # the adopted round would lose a row: refused until confirmed, and nothing changes
    asked = import_path(empty_engine, b.write_xlsx(august, tmp_path / "aug2.xlsx"))
    assert not asked.ok and asked.needs_confirmation
    assert "Tas bort ur Ekonomi: 1 rad som inte finns i den nya filen (skola/b)" in "\n".join(asked.lines())
    assert snapshot(empty_engine) == before
    assert import_path(empty_engine, tmp_path / "aug2.xlsx", confirm=True).ok
    after = snapshot(empty_engine)
    with empty_engine.connect() as conn:
        rounds = dict(conn.execute(select(Round.period_end, Round.id)).all())
        rows = conn.execute(
            select(Round.period_end, OrgUnit.key, EconomyLine.actual_period)
            .join(Round, Round.id == EconomyLine.round_id)
            .join(OrgUnit, OrgUnit.id == EconomyLine.unit_id)
        ).all()
    april_id = next(v for k, v in rounds.items() if k.month == 4)
    assert [r for r in before["economy_line"] if r[0] == april_id] == [
        r for r in after["economy_line"] if r[0] == april_id
    ]
    aug = {key: value for end, key, value in rows if end.month == 8}
    assert aug["skola/a"] == 160 and "skola/b" not in aug
    assert before["round"] == after["round"]  # same keys and ids


def test_absent_sheet_is_not_reported_not_zero(empty_engine, tmp_path):
    sheets = b.base()
    sheets.pop("Risker")
    sheets.pop("Kontrollmoment")
    assert import_path(empty_engine, b.write_xlsx(sheets, tmp_path / "x.xlsx")).ok
    with empty_engine.connect() as conn:
        sections = conn.execute(select(Round.sections)).scalar_one()
    assert "Risker" not in sections and "Ekonomi" in sections


def test_csv_folder_imports_like_the_workbook(empty_engine, tmp_path, builtin_paths):
    path = builtin_paths[0]
    folder = tmp_path / "csv"
    folder.mkdir()
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        with open(folder / f"{ws.title}.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            for row in ws.iter_rows(values_only=True):
                writer.writerow(["" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
                                 for v in row])
    assert import_path(empty_engine, folder).ok
    from_csv = snapshot(empty_engine)
    assert import_path(empty_engine, path).ok
    assert snapshot(empty_engine) == from_csv


def test_dry_run_writes_nothing_but_logs(empty_engine, tmp_path):
    before = snapshot(empty_engine)
    report = import_path(empty_engine, b.write_xlsx(b.base(), tmp_path / "x.xlsx"), dry_run=True)
    assert report.ok and report.row_counts["Ekonomi"] == 4
    assert snapshot(empty_engine) == before
    with empty_engine.connect() as conn:
        log = conn.execute(select(ImportLog)).one()
    assert log.outcome == "provkörd"


def test_import_log_records_file_hash_counts_and_user(empty_engine, tmp_path):
    path = b.write_xlsx(b.base(), tmp_path / "runda.xlsx")
    import_path(empty_engine, path, user="controller@kommun.se")
    with empty_engine.connect() as conn:
        log = conn.execute(select(ImportLog)).one()
    assert log.file_name == "runda.xlsx" and len(log.sha256) == 64
    assert log.user_name == "controller@kommun.se" and log.outcome == "importerad"
    assert json.loads(log.row_counts)["Organisation"] == 5


def test_rounding_differences_are_warnings_not_errors(empty_engine, tmp_path):
    sheets = b.base()
    b.set_cell(sheets, "Ekonomi", 3, "Budget helår", "1 200")  # skola: rows say 1 000
    report = import_path(empty_engine, b.write_xlsx(sheets, tmp_path / "x.xlsx"))
    assert report.ok
    text = "\n".join(str(w) for w in report.warnings)
    assert "Blad Ekonomi, rad 3, kolumn Budget helår" in text and "större än avrundning" in text


def test_template_is_a_valid_empty_format(tmp_path):
    path = tmp_path / "mall.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Instruktioner"
    for spec in SHEETS:
        assert [c.value for c in wb[spec.name][1]] == [c.header for c in spec.columns]
    report, _ = check_path(path)
    assert not report.ok and any("exakt en rad" in str(p) for p in report.errors)


def test_cli_check_and_import(tmp_path):
    path = b.write_xlsx(b.base(), tmp_path / "ok.xlsx")
    env = os.environ | {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "dashboard", *args],  # noqa: E731
                                       capture_output=True, text=True, env=env, cwd=ROOT)
    check = run("check", str(path))
    assert check.returncode == 0 and "Filen är giltig" in check.stdout
    imp = run("import", str(path))
    assert imp.returncode == 0 and "Importen är klar" in imp.stdout
    tmpl = run("template", str(tmp_path / "mall.xlsx"))
    assert tmpl.returncode == 0 and (tmp_path / "mall.xlsx").exists()


def test_init_db_in_parallel_loads_builtin_data_once(empty_engine):
    url = empty_engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(init_db, engines))
    with empty_engine.connect() as conn:
        rounds = conn.execute(select(func.count()).select_from(Round)).scalar_one()
        imports = conn.execute(
            select(func.count()).select_from(ImportLog).where(ImportLog.outcome == "importerad")
        ).scalar_one()
    assert rounds == 3 and imports == 3
