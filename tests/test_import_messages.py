"""What a controller reads when importing their own workbook (the leftovers after issue 11): an
identical file says so and writes nothing, a change names the row and the figures, and the
command line's tables show every word whole. SQLite and PostgreSQL (`empty_engine`)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

import builders as b
from conftest import snapshot
from dashboard import cli
from dashboard import models as m
from dashboard.importing import check_path, import_log, import_path, restore, round_versions

NBSP = "\u00a0"


@pytest.fixture
def loaded(empty_engine, tmp_path):
    report = import_path(empty_engine, b.write_xlsx(b.base(), tmp_path / "ok.xlsx"), user="kontrollant")
    assert report.ok, report.lines()
    return empty_engine


def run_cli(engine, monkeypatch, capsys, *args):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out.replace(NBSP, " "), out.err.replace(NBSP, " ")


# --- 3. `logg`: every column as wide as its words --------------------------------------------

def test_logg_shows_the_outcome_whole_and_columns_aligned(loaded, tmp_path, monkeypatch, capsys):
    smaller = b.base()
    smaller.pop("Risker")
    smaller.pop("Kontrollmoment")
    report = import_path(loaded, b.write_xlsx(smaller, tmp_path / "utan-risker.xlsx"), user="kontrollant")
    assert report.needs_confirmation
    with loaded.begin() as conn:  # a row logged before the word fitted its column
        conn.execute(insert(m.ImportLog).values(
            imported_at=dt.datetime(2025, 5, 2, 9, 30, tzinfo=dt.UTC), file_name="gammal.xlsx",
            user_name="kontrollant", outcome="väntar på bekräftels", kommun_code="9999", namnd_code="TN",
            period_end=dt.date(2025, 4, 30)))
    code, out, _ = run_cli(loaded, monkeypatch, capsys, "logg", "--antal", "5")
    assert code == 0
    lines = out.splitlines()
    header = lines[0]
    assert header.split() == ["tid", "utfall", "användare", "fil", "tillfälle", "version", "ändringar"]
    assert "väntar på bekräftels " not in out and "bekräftels\t" not in out and "\t" not in out
    assert len(lines) == 4  # header, the old row, the refused one, the first import
    refused_row = next(line for line in lines[1:] if "utan-risker.xlsx" in line)
    old_row = next(line for line in lines[1:] if "gammal.xlsx" in line)
    first_row = next(line for line in lines[1:] if "ok.xlsx" in line)
    for row, outcome in ((refused_row, "kräver bekräftelse"), (old_row, "kräver bekräftelse"),
                         (first_row, "importerad")):
        # each value starts where its heading starts: nothing cut, nothing shifted
        assert row[header.index("utfall"):].startswith(outcome + " "), row
        assert row[header.index("användare"):].startswith("kontrollant "), row
        assert row[header.index("tillfälle"):].startswith("9999 TN 2025-04-30"), row
    assert first_row[header.index("version"):].startswith("1 ")
    assert "Tas bort: bladet Risker finns inte i den nya filen" in refused_row


# --- 1. the same workbook again: "Inga ändringar", nothing written, no new version ----------

def test_identical_workbook_again_says_so_and_writes_no_version(loaded, tmp_path, monkeypatch, capsys):
    path = b.write_xlsx(b.base(), tmp_path / "samma.xlsx")
    before = snapshot(loaded)
    checked, _ = check_path(path, loaded)
    assert ("Inga ändringar mot det lagrade tillfället (version 1): filen har samma innehåll som det som redan "
            "är lagrat. Ingenting skrivs och ingen ny version sparas.") in checked.lines()
    code, out, err = run_cli(loaded, monkeypatch, capsys, "import", str(path), "--user", "kontrollant")
    assert code == 0, err
    assert "Inga ändringar mot det lagrade tillfället (version 1)" in out
    assert "Inga ändringar: ingenting skrevs, version 1 gäller fortfarande." in out
    assert "Tillfället finns redan och ersätts" not in out and "Importen är klar" not in out
    assert snapshot(loaded) == before
    assert [v["version"] for v in round_versions(loaded, "9999", "TN", dt.date(2025, 4, 30))] == [1]
    entry = import_log(loaded, limit=1)[0]
    assert (entry["fil"], entry["utfall"], entry["version"]) == ("samma.xlsx", "inga ändringar", 1)
    assert entry["ändringar"].startswith("Inga ändringar mot det lagrade tillfället (version 1)")


def test_restoring_a_version_with_the_current_content_adds_none(loaded, tmp_path, monkeypatch, capsys):
    changed = b.base()
    b.set_cell(changed, "Ekonomi", 3, "Prognosavvikelse", "75")
    assert import_path(loaded, b.write_xlsx(changed, tmp_path / "v2.xlsx")).version == 2
    assert restore(loaded, "9999", "TN", dt.date(2025, 4, 30), 1).version == 3  # v3 = v1's content
    again = restore(loaded, "9999", "TN", dt.date(2025, 4, 30), 1)
    assert again.ok and again.unchanged and again.version == 3
    assert [v["version"] for v in round_versions(loaded, "9999", "TN", dt.date(2025, 4, 30))] == [3, 2, 1]
    code, out, err = run_cli(loaded, monkeypatch, capsys, "aterstall", "--kommun", "9999", "--namnd", "TN",
                             "--tillfalle", "2025-04-30", "--version", "1")
    assert code == 0, err
    assert "Version 1 har samma innehåll som den gällande version 3; ingenting ändrades." in out
    assert "återställd som version" not in out
    assert [v["version"] for v in round_versions(loaded, "9999", "TN", dt.date(2025, 4, 30))] == [3, 2, 1]


def test_same_figures_written_differently_is_a_new_version_that_says_nothing_changed(loaded, tmp_path):
    same = b.base()
    b.set_cell(same, "Ekonomi", 2, "Budget helår", 1000)  # a number instead of the text "1 000"
    report = import_path(loaded, b.write_xlsx(same, tmp_path / "siffra.xlsx"))
    assert report.ok and not report.unchanged and report.version == 2
    assert ("Inga ändringar i uppgifterna mot det lagrade tillfället (version 1); filen skiljer sig bara i "
            "skrivsätt eller radordning och sparas som en ny version.") in [line.strip() for line in report.lines()]


# --- 2. what changes, by name and figure ------------------------------------------------------

def mnkr(sheets):
    """The base round in mnkr with one decimal, as a city's report prints it."""
    sheets["Tillfälle"][0] += ["Decimaler"]
    sheets["Tillfälle"][1] += ["1"]
    b.set_cell(sheets, "Tillfälle", 2, "Beloppsenhet", "mnkr")
    b.set_cell(sheets, "Organisation", 6, "Kod", "575")
    b.set_cell(sheets, "Organisation", 6, "Namn", "Ekonomiskt bistånd")
    b.set_cell(sheets, "Ekonomi", 5, "Prognosavvikelse", "17,0")
    return sheets


def test_change_summary_names_the_row_and_the_figures(empty_engine, tmp_path):
    assert import_path(empty_engine, b.write_xlsx(mnkr(b.base()), tmp_path / "v1.xlsx")).ok
    changed = mnkr(b.base())
    b.set_cell(changed, "Ekonomi", 5, "Prognosavvikelse", "18,0")
    b.set_cell(changed, "Ekonomi", 4, "Utfall period", "−2,2")
    b.set_cell(changed, "Mål", 2, "Bedömning", "Uppnås")
    report, _ = check_path(b.write_xlsx(changed, tmp_path / "v2.xlsx"), empty_engine)
    lines = [line.replace(NBSP, " ") for line in report.plan.lines()]
    assert lines[1:] == [
        "Ändras: Ekonomi 2 rader, Mål 1 rad:",
        "  – Ekonomi: Enhet A (skola/a) – Utfall period 150,0 → −2,2 mnkr",
        "  – Ekonomi: 575 Ekonomiskt bistånd – Prognosavvikelse 17,0 → 18,0 mnkr",
        "  – Mål: Fler klarar utbildningen – Bedömning «Uppnås delvis» → «Uppnås»",
    ]


def test_many_changes_show_some_and_count_the_rest_the_cli_lists_all(loaded, tmp_path, monkeypatch, capsys):
    changed = b.base()
    for row, value in ((2, "1 001"), (3, "1 002"), (4, "601"), (5, "401")):
        b.set_cell(changed, "Ekonomi", row, "Budget helår", value)
    for row in (2, 3, 4, 5):
        b.set_cell(changed, "Ekonomi", row, "Utfall period", "299")
    b.set_cell(changed, "Mål", 2, "Kommentar", "Bättre fart.")
    b.set_cell(changed, "Risker", 2, "Namn", "Fusk vid prov och inlämning")
    b.set_cell(changed, "Kontrollmoment", 2, "Status", "Pågående")
    path = b.write_xlsx(changed, tmp_path / "manga.xlsx")
    report, _ = check_path(path, loaded)
    short = [line.replace(NBSP, " ") for line in report.plan.lines(limit=3)]
    assert short[1:] == [
        "Ändras: Ekonomi 4 rader, Mål 1 rad, Risker 1 rad, Kontrollmoment 1 rad:",
        "  – Ekonomi: Testnämnden (tn) – Budget helår 1 000 → 1 001 tkr, Utfall period 300 → 299 tkr",
        "  – Ekonomi: 100 Skolan – Budget helår 1 000 → 1 002 tkr, Utfall period 300 → 299 tkr",
        "  – Ekonomi: Enhet A (skola/a) – Budget helår 600 → 601 tkr, Utfall period 150 → 299 tkr",
        "  – och 4 till",
    ]
    code, out, err = run_cli(loaded, monkeypatch, capsys, "import", str(path))
    assert code == 0, err
    for line in ("    – Ekonomi: Enhet B (skola/b) – Budget helår 400 → 401 tkr, Utfall period 150 → 299 tkr",
                 "    – Mål: Fler klarar utbildningen – Kommentar «Bra fart.» → «Bättre fart.»",
                 "    – Risker: Fusk vid prov och inlämning – Namn «Fusk vid prov» → «Fusk vid prov och inlämning»",
                 "    – Kontrollmoment: Stickprov – Status «Klar» → «Pågående»"):
        assert line in out.splitlines(), out
    assert "och 4 till" not in out


def test_changed_indicator_value_is_named_by_the_indicator(loaded, tmp_path):
    changed = b.base()
    b.set_cell(changed, "Indikatorvärden", 3, "Värde", "84,2")
    b.set_cell(changed, "Indikatorvärden", 3, "Fotnot", None)
    report, _ = check_path(b.write_xlsx(changed, tmp_path / "varde.xlsx"), loaded)
    assert report.plan.lines()[1:] == [
        "Ändras: Indikatorvärden 1 rad:",
        "  – Indikatorvärden: Andel godkända April 2025 – Värde I.U. → 84,2, Fotnot «Mäts i augusti» → tomt",
    ]
