"""Bad input: every kind is refused with a Swedish message that names the place, data unchanged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

import builders as b
from conftest import ROOT, snapshot
from dashboard.importing import import_path
from dashboard.importing import reader
from dashboard.models import EconomyLine, ImportLog


@pytest.fixture
def loaded(empty_engine, tmp_path):
    """A database holding one valid round, so 'unchanged' has something to protect."""
    report = import_path(empty_engine, b.write_xlsx(b.base(), tmp_path / "ok.xlsx"))
    assert report.ok, report.lines()
    return empty_engine


def refuse(engine, path, *expected: str):
    """Import must fail, every expected text must be in the messages, data must be unchanged."""
    before = snapshot(engine)
    with engine.connect() as conn:
        logs_before = conn.execute(select(func.count()).select_from(ImportLog)).scalar_one()
    report = import_path(engine, path)
    assert not report.ok
    text = "\n".join(str(p) for p in report.errors)
    for needle in expected:
        assert needle in text, f"{needle!r} saknas i:\n{text}"
    assert snapshot(engine) == before
    with engine.connect() as conn:
        last = conn.execute(select(ImportLog).order_by(ImportLog.id.desc())).first()
        logs_after = conn.execute(select(func.count()).select_from(ImportLog)).scalar_one()
    assert logs_after == logs_before + 1 and last.outcome == "avvisad"
    return text


def mutated(tmp_path, change, name="bad.xlsx"):
    sheets = b.base()
    change(sheets)
    return b.write_xlsx(sheets, tmp_path / name)


def test_text_in_number_column(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Utfall period", "tre hundra"))
    refuse(loaded, path, "Blad Ekonomi, rad 3, kolumn Utfall period", "tre hundra", "förväntade ett belopp")


def test_missing_required_column(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.drop_column(s, "Ekonomi", "Enhet"))
    refuse(loaded, path, "Blad Ekonomi, rad 1, kolumn Enhet", "obligatorisk kolumn saknas")


def test_missing_required_sheet(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: s.pop("Tillfälle"))
    refuse(loaded, path, "Blad Tillfälle", "bladet saknas")


def test_missing_organisation_of_a_new_namnd(loaded, tmp_path):
    # a nämnd the database does not know has no stored organisation to fall back on
    def change(s):
        s.pop("Organisation")
        b.set_cell(s, "Tillfälle", 2, "Nämndkod", "NY")
    refuse(loaded, mutated(tmp_path, change), "Blad Organisation", "bladet saknas")


def test_unknown_unit(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 4, "Enhet", "skola/x"))
    refuse(loaded, path, "Blad Ekonomi, rad 4, kolumn Enhet", "skola/x", "okänd enhet")


def test_unknown_parent(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Organisation", 5, "Överordnad", "finns-inte"))
    refuse(loaded, path, "Blad Organisation, rad 5, kolumn Överordnad", "okänd överordnad")


def test_invalid_round_type(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Tillfälle", 2, "Typ", "Delår 3"))
    refuse(loaded, path, "Blad Tillfälle, rad 2, kolumn Typ", "Delår 3", "Delår 1")


def test_invalid_round_date(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Tillfälle", 2, "Periodslut", "2025-02-30"))
    refuse(loaded, path, "Blad Tillfälle, rad 2, kolumn Periodslut", "2025-02-30", "datum")


def test_round_date_not_month_end(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Tillfälle", 2, "Periodslut", "2025-04-15"))
    refuse(loaded, path, "kolumn Periodslut", "sista dagen i en månad")


def test_duplicate_keys(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 5, "Enhet", "skola/a"))
    refuse(loaded, path, "Blad Ekonomi, rad 5", "dubblett", "rad 4")


def test_activity_status_outside_scale(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Aktiviteter", 2, "Status", "Nästan klar"))
    refuse(loaded, path, "Blad Aktiviteter, rad 2, kolumn Status", "Nästan klar", "Pågående")


def test_goal_assessment_outside_scale(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Mål", 2, "Bedömning", "Grönt"))
    refuse(loaded, path, "Blad Mål, rad 2, kolumn Bedömning", "Grönt", "Uppnås delvis")


def test_risk_value_not_product(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Risker", 2, "Riskvärde", "7"))
    refuse(loaded, path, "Blad Risker, rad 2, kolumn Riskvärde", "3 × 4 = 12")


def test_date_that_is_not_a_date(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Aktiviteter", 2, "Kommentardatum", "igår"))
    refuse(loaded, path, "Blad Aktiviteter, rad 2, kolumn Kommentardatum", "igår", "ÅÅÅÅ-MM-DD")


def test_blank_indicator_value(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Indikatorvärden", 2, "Värde", None))
    refuse(loaded, path, "Blad Indikatorvärden, rad 2, kolumn Värde", "I.U.")


def test_two_round_rows(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: s["Tillfälle"].append(list(s["Tillfälle"][1])))
    refuse(loaded, path, "Blad Tillfälle", "exakt en rad")


def test_empty_file(loaded, tmp_path):
    path = tmp_path / "tom.xlsx"
    path.write_bytes(b"")
    refuse(loaded, path, "tom.xlsx", "tom")


def test_truncated_file(loaded, tmp_path):
    good = b.write_xlsx(b.base(), tmp_path / "hel.xlsx").read_bytes()
    path = tmp_path / "avkortad.xlsx"
    path.write_bytes(good[: len(good) // 2])
    refuse(loaded, path, "avkortad.xlsx", "avkortad")


def test_not_a_workbook(loaded, tmp_path):
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    refuse(loaded, path, "rapport.xlsx", "inte en Excel-arbetsbok")


def test_formula_without_saved_value(loaded, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Utfall period", "=100+200"))
    refuse(loaded, path, "Blad Ekonomi, rad 3, kolumn Utfall period", "formel utan sparat värde")


def test_formula_with_saved_value_is_read_as_value(empty_engine, tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Utfall period", "=100+200"))
    sheet_index = list(b.base()).index("Ekonomi") + 1
    b.save_formula_value(path, sheet_index, "D3", "300")
    report = import_path(empty_engine, path)
    assert report.ok, report.lines()
    with empty_engine.connect() as conn:
        values = conn.execute(select(EconomyLine.actual_period)).scalars().all()
    assert sorted(values) == [150, 150, 300, 300]


def test_enormous_sheet(loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 500)
    def grow(s):
        for i in range(600):
            s["Händelser"] = s.get("Händelser", [["Typ", "Rubrik", "Text"]])
            s["Händelser"].append(["övrigt", f"Rad {i}", "text"])
    refuse(loaded, mutated(tmp_path, grow), "Händelser", "fler än 500 rader")


def test_csv_folder_not_utf8(loaded, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Tillfälle.csv").write_bytes(
        "Kommunkod;Kommun;Nämndkod;Nämnd;Typ;Periodslut;Beloppsenhet\n"
        "9999;Testkommun;TN;Testnämnden;Delår 1;2025-04-30;tkr\n".encode("latin-1")
    )
    refuse(loaded, folder, "Tillfälle.csv", "UTF-8")


def test_every_problem_is_listed_at_once(loaded, tmp_path):
    def many(s):
        b.set_cell(s, "Ekonomi", 2, "Budget helår", "x")
        b.set_cell(s, "Risker", 2, "Sannolikhet", "9")
        b.set_cell(s, "Aktiviteter", 2, "Status", "Snart")
    text = refuse(loaded, mutated(tmp_path, many), "Budget helår", "Sannolikhet", "Snart")
    assert text.count("\n") >= 2


def test_cli_reports_errors_with_nonzero_exit(tmp_path):
    path = mutated(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Utfall period", "abc"))
    env = os.environ | {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    assert run.returncode == 1
    assert "Blad Ekonomi, rad 3, kolumn Utfall period" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_database_down(tmp_path):
    path = b.write_xlsx(b.base(), tmp_path / "ok.xlsx")
    env = os.environ | {"DASHBOARD_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    assert run.returncode == 3
    assert "Databasen" in run.stderr and "kan inte nås" in run.stderr
    assert "Traceback" not in run.stderr


def test_goal_hierarchy_in_a_circle(loaded, tmp_path):
    def circle(s):
        s["Mål"].append(["m2", "nämndmål", "Mål två", "m3", None, None, None])
        s["Mål"].append(["m3", "nämndmål", "Mål tre", "m2", None, None, None])
    refuse(loaded, mutated(tmp_path, circle), "Blad Mål", "kolumn Överordnad", "går i cirkel")
