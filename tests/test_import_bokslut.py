"""Importing a Bokslut workbook: the headers a controller types for the year's outcome, and
forecast columns refused with a message that says why (spec.py aliases, validate.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import builders as b
from dashboard import models as m
from dashboard.importing import check_path, import_path


def bokslut(ekonomi_headers: list[str], rows: list[list[object]]) -> dict:
    sheets = b.base()
    b.set_cell(sheets, "Tillfälle", 2, "Typ", "Bokslut")
    b.set_cell(sheets, "Tillfälle", 2, "Periodslut", "2024-12-31")
    sheets["Ekonomi"] = [["Enhet", *ekonomi_headers], *rows]
    return sheets


ROWS = [["tn", "1 000", "948", "52"], ["skola", "1 000", "948", "52"],
        ["skola/a", "600", "561", "39"], ["skola/b", "400", "387", "13"]]


def stored(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.OrgUnit.key, m.EconomyLine.budget_year, m.EconomyLine.actual_period,
                   m.EconomyLine.deviation_period, m.EconomyLine.forecast_net, m.EconomyLine.forecast_deviation)
            .join(m.OrgUnit, m.OrgUnit.id == m.EconomyLine.unit_id)).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_bokslut_headers_store_the_outcome_as_outcome(empty_engine, tmp_path):
    path = b.write_xlsx(bokslut(["Budget helår", "Utfall helår", "Resultat mot budget"], ROWS), tmp_path / "b.xlsx")
    report = import_path(empty_engine, path)
    assert report.ok, report.lines()
    assert stored(empty_engine)["skola/a"] == (600.0, 561.0, 39.0, None, None)  # never stored as a forecast
    assert stored(empty_engine)["tn"] == (1000.0, 948.0, 52.0, None, None)


@pytest.mark.parametrize("actual,deviation", [("Utfall", "Avvikelse mot budget"), ("Utfall helår", "Budgetavvikelse"),
                                              ("Utfall period", "Periodavvikelse"), ("Utfall", "Avvikelse")])
def test_every_bokslut_alias_is_read(tmp_path, actual, deviation):
    report, data = check_path(b.write_xlsx(bokslut(["Budget helår", actual, deviation], ROWS), tmp_path / "b.xlsx"))
    assert report.ok, report.lines()
    row = next(r for r in data.sheets["Ekonomi"] if r["_row"] == 4)
    assert (row["actual_period"], row["deviation_period"], row["forecast_deviation"]) == (561.0, 39.0, None)


def test_the_same_header_means_the_forecast_in_a_delar():
    # "Budgetavvikelse" is budget − prognos in a forecast round, budget − utfall in a Bokslut
    from dashboard.importing.spec import SHEETS_BY_EXACT_NAME

    ekonomi = SHEETS_BY_EXACT_NAME["Ekonomi"]
    meaning = {kind: next(c.field for c in ekonomi.columns for a, ks in c.aliases
                          if a == "Budgetavvikelse" and (ks is None or kind in ks))
               for kind in ("Delår 2", "Bokslut")}
    assert meaning == {"Delår 2": "forecast_deviation", "Bokslut": "deviation_period"}


def test_forecast_figures_in_a_bokslut_are_an_error_that_says_so(tmp_path):
    sheets = bokslut(["Budget helår", "Utfall helår", "Prognosavvikelse"], ROWS)
    report, _ = check_path(b.write_xlsx(sheets, tmp_path / "b.xlsx"))
    assert not report.ok
    assert [str(p) for p in report.errors] == [
        "Blad Ekonomi, rad 2, kolumn Prognosavvikelse: ett bokslut redovisar årets utfall, inte en prognos: "
        "kolumnen Prognosavvikelse hör till Delår 1, Delår 2 och Månad (4 rader har värden). Skriv årets utfall "
        "i «Utfall period» (eller «Utfall helår») och resultatet mot budget i «Periodavvikelse» (eller "
        "«Resultat mot budget»), eller ta bort kolumnen."]
    sheets = bokslut(["Budget helår", "Helårsprognos"], [["tn", "1 000", "950"]])
    report, _ = check_path(b.write_xlsx(sheets, tmp_path / "c.xlsx"))
    assert any("kolumn Helårsprognos: ett bokslut redovisar årets utfall, inte en prognos: kolumnen Prognos helår"
               in str(p) for p in report.errors), report.lines()
    sheets = bokslut(["Budget helår", "Utfall helår"], [["tn", "1 000", "950"]])
    sheets["Investeringar"] = [["Projekt", "Namn", "Utfall helår", "Prognos helår", "Budget helår"],
                               ["p1", "Skolan", "8 400", "10 500", "15 000"]]
    report, _ = check_path(b.write_xlsx(sheets, tmp_path / "d.xlsx"))
    assert [str(p) for p in report.errors] == [
        "Blad Investeringar, rad 2, kolumn Prognos helår: ett bokslut redovisar årets utfall, inte en prognos: "
        "kolumnen Prognos helår hör till Delår 1, Delår 2 och Månad (1 rad har ett värde). Skriv årets utfall i "
        "«Redovisat» (eller «Utfall helår») och avvikelsen mot budget i «Avvikelse», eller ta bort kolumnen."]


def test_an_empty_forecast_column_from_the_template_is_left_alone(tmp_path):
    sheets = bokslut(["Budget helår", "Utfall helår", "Resultat mot budget", "Prognos helår", "Prognosavvikelse"],
                     [r + [None, None] for r in ROWS])
    report, _ = check_path(b.write_xlsx(sheets, tmp_path / "b.xlsx"))
    assert report.ok, report.lines()
