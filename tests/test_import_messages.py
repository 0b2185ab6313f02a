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
