"""A municipality's own data, safely (issue 11): every refusal leaves the database exactly as it
was and says where, what and how to fix it; every acceptance stores what the user wrote; an
adopted round is never replaced by less, or by a draft, without a confirmation, and every
version can be restored. SQLite and PostgreSQL (the `empty_engine` fixture runs both)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import func, select

import builders as b
from conftest import ROOT, snapshot
from dashboard import models as m
from dashboard.importing import import_log, import_path, restore, round_versions
from dashboard.importing.reader import read_source
from dashboard.importing.validate import validate


@pytest.fixture
def loaded(empty_engine, tmp_path):
    report = import_path(empty_engine, b.write_xlsx(b.base(), tmp_path / "ok.xlsx"))
    assert report.ok, report.lines()
    return empty_engine


def refused(engine, path, *needles, confirm=False):
    before = snapshot(engine)
    report = import_path(engine, path, confirm=confirm)
    assert not report.ok
    text = "\n".join(report.lines()).replace("\u00a0", " ")
    for needle in needles:
        assert needle in text, f"{needle!r} saknas i:\n{text}"
    assert snapshot(engine) == before
    return report


def book(tmp_path, change=None, name="fil.xlsx", sheets=None):
    sheets = sheets or b.base()
    if change:
        change(sheets)
    return b.write_xlsx(sheets, tmp_path / name)


def economy(engine, key: str, field: str):
    with engine.connect() as conn:
        return conn.execute(
            select(getattr(m.EconomyLine, field)).join(m.OrgUnit, m.OrgUnit.id == m.EconomyLine.unit_id)
            .where(m.OrgUnit.key == key)
        ).scalar_one()


# --- nothing is lost without the user saying so --------------------------------------------

def test_misspelt_sheet_is_an_error_with_the_right_name(loaded, tmp_path):
    def rename(s):
        s["Ekonmi"] = s.pop("Ekonomi")
    refused(loaded, book(tmp_path, rename), "Blad Ekonmi: okänt blad – menade du «Ekonomi»?")


def test_sheet_differing_only_by_case_or_space_is_an_error(loaded, tmp_path):
    def rename(s):
        s["Ekonomi "] = s.pop("Ekonomi")
    refused(loaded, book(tmp_path, rename), "döp om bladet till «Ekonomi»")


def test_own_notes_sheets_are_ignored(loaded, tmp_path):
    def notes(s):
        s["_Anteckningar"] = [["Vad som helst"], ["=1+1"]]
        s["Instruktioner"] = [["Mallens text"]]
    assert import_path(loaded, book(tmp_path, notes)).ok


def test_misspelt_column_is_an_error_with_the_right_name(loaded, tmp_path):
    def rename(s):
        s["Ekonomi"][0][s["Ekonomi"][0].index("Utfall period")] = "Utfal period"
    refused(loaded, book(tmp_path, rename), "Blad Ekonomi, rad 1, kolumn Utfal period: okänd kolumn – menade du «Utfall period»?")


def test_prognos_alone_asks_which_column(loaded, tmp_path):
    def rename(s):
        s["Ekonomi"][0][s["Ekonomi"][0].index("Prognosavvikelse")] = "Prognos"
    refused(loaded, book(tmp_path, rename),
            "rubriken är tvetydig: menar du Prognos helår (nettokostnad) eller Prognosavvikelse (budget − prognos)?")


def test_controller_aliases_are_read_as_their_column(loaded, tmp_path):
    def rename(s):
        header = s["Ekonomi"][0]
        header[header.index("Prognosavvikelse")] = "Budgetavvikelse"
        b.set_cell(s, "Tillfälle", 2, "Periodslut", "2025-08-31")
        b.set_cell(s, "Tillfälle", 2, "Typ", "Delår 2")
    report = import_path(loaded, book(tmp_path, rename))
    assert report.ok, report.lines()
    with loaded.connect() as conn:
        value = conn.execute(
            select(m.EconomyLine.forecast_deviation).join(m.Round, m.Round.id == m.EconomyLine.round_id)
            .join(m.OrgUnit, m.OrgUnit.id == m.EconomyLine.unit_id)
            .where(m.Round.kind == "Delår 2", m.OrgUnit.key == "skola/b")).scalar_one()
    assert value == -10  # "−10" under Budgetavvikelse in a Delår 2 workbook is the forecast deviation


def test_adopted_round_losing_a_section_needs_confirmation_and_can_be_restored(loaded, tmp_path):
    before = snapshot(loaded)
    path = book(tmp_path, lambda s: s.pop("Risker") and s.pop("Kontrollmoment"), "utan.xlsx")
    report = refused(loaded, path, "Tas bort: bladet Risker finns inte i den nya filen (1 rad blir «inte rapporterat»)",
                     "importen kräver bekräftelse eftersom ett fastställt tillfälle förlorar uppgifter", "--ersatt")
    assert report.needs_confirmation
    accepted = import_path(loaded, path, confirm=True)
    assert accepted.ok and accepted.version == 2
    with loaded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.RiskAssessment)).scalar_one() == 0
    versions = round_versions(loaded, "9999", "TN", dt.date(2025, 4, 30))
    assert [v["version"] for v in versions] == [2, 1] and versions[0]["current"]
    back = restore(loaded, "9999", "TN", dt.date(2025, 4, 30), 1, user="test")
    assert back.ok and back.version == 3
    after = snapshot(loaded)
    assert after == before  # version 1 again, row for row
    log = import_log(loaded, limit=5)
    assert log[0]["fil"] == "återställd version 1 (ok.xlsx)" and log[0]["version"] == 3
    assert "Tas bort: bladet Risker" in log[1]["ändringar"]


def test_adopted_round_replaced_by_a_draft_needs_confirmation(loaded, tmp_path):
    path = book(tmp_path, lambda s: b.set_cell(s, "Tillfälle", 2, "Status", "utkast") if s["Tillfälle"][0].append("Status")
                or s["Tillfälle"][1].append("utkast") else None, "utkast.xlsx")
    refused(loaded, path, "Status ändras från fastställd till utkast",
            "ett fastställt tillfälle ersätts med ett utkast")
    assert import_path(loaded, path, confirm=True).ok


def test_cli_import_asks_for_ersatt_and_restores(loaded, tmp_path, monkeypatch):
    url = loaded.url.render_as_string(hide_password=False)
    path = book(tmp_path, lambda s: s.pop("Mål") and s.pop("Aktiviteter") and s["Indikatorer"][1].__setitem__(6, None),
                "cli.xlsx")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True,
                              env={"DASHBOARD_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, cwd=ROOT)

    first = cli("import", str(path))
    assert first.returncode == 6, first.stderr
    assert "Tas bort: bladet Mål finns inte i den nya filen" in first.stderr and "Traceback" not in first.stderr
    second = cli("import", "--ersatt", str(path))
    assert second.returncode == 0, second.stderr
    assert ("Importen är klar (version 2). Öppna tillfället på Översikt: <dashboardens adress>"
            "/?kommun=9999&namnd=TN&tillfalle=2025-04-30") in second.stdout
    listed = cli("versioner", "--kommun", "9999", "--namnd", "TN", "--tillfalle", "2025-04-30")
    assert listed.returncode == 0 and "2 (gällande)" in listed.stdout and "cli.xlsx" in listed.stdout
    back = cli("aterstall", "--kommun", "9999", "--namnd", "TN", "--tillfalle", "2025-04-30", "--version", "1")
    assert back.returncode == 0 and "Version 1 är återställd som version 3." in back.stdout
    missing = cli("aterstall", "--kommun", "9999", "--namnd", "TN", "--tillfalle", "2025-04-30", "--version", "9")
    assert missing.returncode == 1 and "Det finns ingen version 9" in missing.stderr
    logged = cli("logg", "--antal", "3")
    assert logged.returncode == 0 and "återställd version 1" in logged.stdout


# --- amounts mean what they say ------------------------------------------------------------

def mnkr_book(s):
    s["Tillfälle"][0] += ["Decimaler"]
    s["Tillfälle"][1] += ["1"]
    b.set_cell(s, "Tillfälle", 2, "Beloppsenhet", "mnkr")
    b.set_cell(s, "Tillfälle", 2, "Nämndkod", "MN")  # a nämnd of its own, in mnkr


@pytest.mark.parametrize(("cell", "stored"), [("323 700 tkr", 323.7), ("323,7 mkr", 323.7), ("1 200 000 kr", 1.2),
                                              ("0,5 mnkr", 0.5), ("65 Mkr", 65.0)])
def test_amount_with_a_unit_is_converted(empty_engine, tmp_path, cell, stored):
    def change(s):
        mnkr_book(s)
        b.set_cell(s, "Ekonomi", 3, "Budget helår", cell)
    report = import_path(empty_engine, book(tmp_path, change))
    assert report.ok, report.lines()
    assert economy(empty_engine, "skola", "budget_year") == pytest.approx(stored)


def test_amount_that_needs_more_decimals_is_refused_with_the_fix(loaded, tmp_path):
    def change(s):
        mnkr_book(s)
        b.set_cell(s, "Ekonomi", 3, "Budget helår", "32 tkr")
    refused(loaded, book(tmp_path, change), "Blad Ekonomi, rad 3, kolumn Budget helår: värdet «32 tkr»",
            "0,032 mnkr, som kräver 3 decimaler – skriv 0,0 eller ändra Decimaler")


def test_mnkr_in_a_tkr_book_that_needs_decimals_is_refused(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Budget helår", "2,5005 mnkr")),
            "«2,5005 mnkr» är 2 500,5 tkr, som kräver 1 decimal")


def test_percent_in_an_amount_column_is_refused(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Budget helår", "8 %")),
            "kolumn Budget helår: värdet «8 %»: förväntade ett belopp i tkr, inte en procentsats")


def test_thousands_comma_in_a_tkr_book_is_ambiguous(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Budget helår", "476,018")),
            "«476,018» kan vara tusental eller decimaler; skriv 476 018 (tusental)")


def test_messages_show_numbers_in_swedish(loaded, tmp_path):
    def change(s):
        b.set_cell(s, "Risker", 2, "Sannolikhet", 9.0)
        b.set_cell(s, "Risker", 2, "Riskvärde", None)
    report = refused(loaded, book(tmp_path, change))
    text = "\n".join(report.lines())
    assert "värdet «9»" in text and "9.0" not in text and "1 fel – ingenting ändrades" in text


# --- keys and the organisation ---------------------------------------------------------------

def test_two_rows_with_one_derived_key_are_an_error_naming_both(loaded, tmp_path):
    def change(s):
        s["Organisation"].append([None, "Enhet A", "enhet", "skola", None])
        s["Organisation"][4][0] = None  # «Enhet A» without a key: both become skola/enhet-a
        s["Organisation"][6][0] = None
    report = refused(loaded, book(tmp_path, change), "samma nyckel som rad 5")
    assert "«Enhet A» och «Enhet A»" in "\n".join(report.lines())


def test_renamed_unit_keeps_its_key_when_matched_by_code(loaded, tmp_path):
    def change(s):
        row = s["Organisation"][3]
        row[0], row[1] = None, "Skolan (nytt namn)"  # no key, a new name, the same code 100
        s["Organisation"][4][3] = s["Organisation"][5][3] = "100"  # its enheter refer to it by code
        b.set_cell(s, "Tillfälle", 2, "Periodslut", "2025-08-31")
        b.set_cell(s, "Tillfälle", 2, "Typ", "Delår 2")
        s["Ekonomi"][2][0] = "100"
    report = import_path(loaded, book(tmp_path, change))
    assert report.ok, report.lines()
    assert "«Skolan (nytt namn)» är den lagrade enheten skola (matchad på koden)" in "\n".join(report.notes)
    with loaded.connect() as conn:
        names = dict(conn.execute(select(m.Round.period_end, m.UnitVersion.name)
                                  .join(m.UnitVersion, m.UnitVersion.round_id == m.Round.id)
                                  .join(m.OrgUnit, m.OrgUnit.id == m.UnitVersion.unit_id)
                                  .where(m.OrgUnit.key == "skola")).all())
    assert sorted(names.values()) == ["Skolan", "Skolan (nytt namn)"]  # each round keeps its own name


def test_a_unit_missing_from_a_new_round_is_kept_and_named(loaded, tmp_path):
    def change(s):
        del s["Organisation"][5]  # skola/b
        del s["Ekonomi"][4]
        b.set_cell(s, "Tillfälle", 2, "Periodslut", "2025-08-31")
        b.set_cell(s, "Tillfälle", 2, "Typ", "Delår 2")
    report = import_path(loaded, book(tmp_path, change))
    assert report.ok, report.lines()
    assert "Redovisas inte längre i detta tillfälle: 1 enhet (Enhet B (skola/b))" in "\n".join(report.lines())
    with loaded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.OrgUnit).where(m.OrgUnit.key == "skola/b")).scalar_one() == 1


def test_kommun_is_renamed_only_when_confirmed(loaded, tmp_path):
    path = book(tmp_path, lambda s: b.set_cell(s, "Tillfälle", 2, "Kommun", "Testkommunen"), "namn.xlsx")
    refused(loaded, path, "Kommunens namn ändras från «Testkommun» till «Testkommunen» för alla nämnder")
    assert import_path(loaded, path, confirm=True).ok
    with loaded.connect() as conn:
        assert conn.execute(select(m.Kommun.name)).scalar_one() == "Testkommunen"


def test_control_character_is_refused_at_import(loaded, tmp_path):
    # Excel cannot hold one, a CSV folder can
    folder = tmp_path / "csv"
    folder.mkdir()
    sheets = b.base()
    b.set_cell(sheets, "Organisation", 3, "Namn", "Skola\x07n")
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    refused(loaded, folder, "Blad Organisation, rad 3, kolumn Namn", "styrtecken (U+0007)")


def test_deep_organisation_is_refused_without_a_traceback(loaded, tmp_path):
    def change(s):
        parent = "skola/b"
        for i in range(30):
            s["Organisation"].append([f"d{i}", f"Nivå {i}", "enhet", parent, None])
            parent = f"d{i}"
    refused(loaded, book(tmp_path, change), "nivåer under roten; högst 12 nivåer stöds")


def test_long_name_is_refused_before_the_database(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Organisation", 3, "Namn", "x" * 301)),
            "texten har 301 tecken; högst 300 ryms")


def test_huge_amount_is_refused(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Ekonomi", 3, "Budget helår", 1e27)),
            "förväntade ett rimligt belopp")


# --- kommun level ------------------------------------------------------------------------------

KOMMUN_BOOK = {
    "Tillfälle": [
        ["Kommunkod", "Kommun", "Nämndkod", "Nämnd", "Typ", "Periodslut", "Beloppsenhet", "Decimaler"],
        ["9999", "Testkommun", "KOMMUN", "Testkommun", "Delår 2", "2025-08-31", "mnkr", "1"],
    ],
    "Organisation": [
        ["Enhet", "Namn", "Nivå", "Överordnad", "Kod"],
        [None, "Årets resultat", "kommun", None, None],
        [None, "Testnämnden", "nämnd", "Årets resultat", "TN"],
        [None, "Socialnämnden", "nämnd", "Årets resultat", "SN"],
        [None, "Finansiering", "post", "Årets resultat", None],
        [None, "Exploateringsvinster", "post", "Årets resultat", None],
    ],
    "Ekonomi": [
        ["Enhet", "Budget helår", "Prognos helår", "Budgetavvikelse"],
        ["Årets resultat", "150,0", "210,0", "60,0"],
        ["Testnämnden", "1 000,0", None, "−12,5"],
        ["Socialnämnden", "2 400,0", None, "−30,0"],
        ["Finansiering", "−3 700,0", None, "95,0"],
        ["Exploateringsvinster", None, None, "7,5"],
    ],
}


def test_kommun_level_round_imports_as_printed(loaded, tmp_path):
    report = import_path(loaded, b.write_xlsx(KOMMUN_BOOK, tmp_path / "kommun.xlsx"))
    assert report.ok, report.lines()
    with loaded.connect() as conn:
        rnd = conn.execute(select(m.Round.namnd_name).join(m.Namnd).where(m.Namnd.code == "KOMMUN")).scalar_one()
        rows = dict(conn.execute(select(m.OrgUnit.key, m.EconomyLine.forecast_deviation)
                                 .join(m.EconomyLine, m.EconomyLine.unit_id == m.OrgUnit.id)).all())
    assert rnd == "Kommunen totalt"
    assert rows["finansiering"] == 95.0 and rows["tn"] == -12.5 and rows["arets-resultat"] == 60.0


def test_kommun_level_round_on_the_pages(loaded, tmp_path, page_on):
    from conftest import page_text

    assert import_path(loaded, b.write_xlsx(KOMMUN_BOOK, tmp_path / "kommun.xlsx")).ok
    run = page_on(loaded)
    at = run(kommun="9999", namnd="kommun", tillfalle="2025-08-31")
    text = page_text(at)
    assert "Årets resultat (prognos): 210,0 mnkr mot budget 150,0 mnkr (+60,0 mnkr)" in text
    assert "Avvikelse mot budgeterat resultat: +60,0 mnkr" in text
    labels = list(at.selectbox(key="f_namnd").options)  # the labels the sidebar shows
    assert "Testkommun – Kommunen totalt" in labels  # not "Testkommun – Testkommun"
    links = {link.label.replace("\u00a0", " "): link for link in at.get("page_link")}
    assert "Testnämnden – nämndens uppföljning" in links  # TN has its own data; SN has none
    assert not any(label.startswith("Socialnämnden –") for label in links)
    # the largest deviations are nämnder and posts as printed; the root is not among them
    assert "Socialnämnden · −30,0 mnkr underskott" in "\n".join(links)
    ekonomi = page_text(run("ekonomi", kommun="9999", namnd="kommun", tillfalle="2025-08-31"))
    assert "Finansiering" in ekonomi and "+95,0" in ekonomi and "+7,5" in ekonomi
    assert "Testnämnden" in ekonomi and "−12,5" in ekonomi


def test_kommun_levels_only_in_a_kommun_workbook(loaded, tmp_path):
    refused(loaded, book(tmp_path, lambda s: b.set_cell(s, "Organisation", 3, "Nivå", "post")),
            "nivåerna kommun och post används bara när Nämndkod är KOMMUN")


def test_dumped_round_imports_to_the_same_rows(builtin_engine, empty_engine, tmp_path):
    """The inverse of an import (used for versions, the pre-filled template and the comparison)."""
    from dashboard.importing.dump import dump_round

    with builtin_engine.connect() as conn:
        ids = conn.execute(select(m.Round.id).order_by(m.Round.period_end)).scalars().all()
    for rid in ids:
        sheets = dump_round(builtin_engine, rid)
        data = validate(sheets)
        assert data.ok, [str(p) for p in data.errors]
        from dashboard.importing import import_sheets, ImportReport
        from pathlib import Path
        assert import_sheets(empty_engine, sheets, "dump", None, ImportReport(Path("dump")), "test", False).ok
        again = dump_round(empty_engine, rid if False else _same_round(empty_engine, builtin_engine, rid))
        for name, sheet in sheets.items():
            assert again[name].headers == sheet.headers, name
            assert [v for _, v in again[name].rows] == [v for _, v in sheet.rows], name


def _same_round(engine, other, rid):
    with other.connect() as conn:
        end = conn.execute(select(m.Round.period_end, m.Namnd.code).join(m.Namnd).where(m.Round.id == rid)).one()
    with engine.connect() as conn:
        return conn.execute(select(m.Round.id).join(m.Namnd).where(m.Round.period_end == end[0],
                                                                   m.Namnd.code == end[1])).scalar_one()


def test_template_prefilled_with_the_organisation_reads_back(builtin_engine, tmp_path):
    from dashboard.importing.dump import template_sheets
    from dashboard.importing.workbook import write_template

    path = tmp_path / "mall.xlsx"
    write_template(path, template_sheets(builtin_engine, "0580", "AMN"))
    raw = read_source(path)
    assert [v["Enhet"] for _, v in raw["Organisation"].rows][:3] == ["amn", "iaf", "utb"] or \
        "575" in [v["Enhet"] for _, v in raw["Organisation"].rows]
    assert raw["Tillfälle"].rows[0][1]["Nämndkod"] == "AMN" and raw["Tillfälle"].rows[0][1]["Periodslut"] is None


def test_csv_folder_to_workbook_keeps_text_as_text_and_amount_units(tmp_path):
    """`csv-till-xlsx`: a name starting with = is text in the workbook, not a formula, and an
    amount written with its unit stays as written for the importer to convert exactly."""
    import openpyxl

    from dashboard.importing.workbook import csv_folder_to_xlsx

    folder = tmp_path / "csv"
    folder.mkdir()
    sheets = b.base()
    b.set_cell(sheets, "Organisation", 3, "Namn", "=HYPERLINK(\"http://x\",\"y\")")
    b.set_cell(sheets, "Ekonomi", 3, "Budget helår", "1 000 tkr")
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    out = tmp_path / "ut.xlsx"
    csv_folder_to_xlsx(folder, out)
    wb = openpyxl.load_workbook(out)
    name = wb["Organisation"]["B3"]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert wb["Ekonomi"]["B3"].value == "1 000 tkr"
    assert wb["Ekonomi"]["B4"].value == 600  # a plain number is a number

